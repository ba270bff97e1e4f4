"""Rendering and site: the report as one self-contained HTML page and a tagged PDF, and the website."""

from edi_reports.lazy_imports import defer_package

# BeautifulSoup imports soupsieve (CSS selectors) when it loads, about 0.06 CPU s in a new
# process; the renderer selects with CSS only on a JupyterLab-style page, so soupsieve runs
# on its first use instead (:func:`edi_reports.lazy_imports.defer_package`).
defer_package("soupsieve")
