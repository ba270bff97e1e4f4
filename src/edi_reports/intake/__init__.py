"""Intake: reading what an organisation sends (ESR exports, staff survey, casework) into clean tables."""
