"""The report: one module per section, built from published tables only."""
