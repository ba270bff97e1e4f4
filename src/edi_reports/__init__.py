"""edi_reports: equality workforce reporting for the NHS and UK public sector."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("edi-reports")
except PackageNotFoundError:  # running from a source tree without installing
    __version__ = "0.0.0+unknown"
