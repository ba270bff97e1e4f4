"""edi_reports: equality workforce reporting for the NHS and UK public sector."""

import sys
from importlib.metadata import PackageNotFoundError, version

# jsonschema (reached through nbformat, papermill, Altair and Great Expectations) imports the
# optional ``rfc3987_syntax`` package to check "iri" string formats, and that package builds
# a Lark grammar at import time: about 1.4 s of every new process. Nothing here validates
# "iri" formats, so it is marked absent (jsonschema treats it as not installed).
sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]

try:
    __version__ = version("edi-reports")
except PackageNotFoundError:  # running from a source tree without installing
    __version__ = "0.0.0+unknown"
