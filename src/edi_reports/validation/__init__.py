"""Validation: data-quality checks of the cleaned tables (Great Expectations)."""
