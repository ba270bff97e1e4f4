"""Rendering and site: the report as one self-contained HTML page and a tagged PDF, and the website."""
