"""Measures: every calculation of the methodology, unrounded and unsuppressed."""
