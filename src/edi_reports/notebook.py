"""What a stage notebook needs from its parameters: folders, settings, output places.

Every stage notebook starts with the same ``parameters`` cell (``org``, ``year`` and
optional folders as strings, architecture §1) and calls :func:`context`. An analyst who opens
a notebook sets ``org`` and ``year`` and runs it top to bottom with the repository's folders.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from edi_reports.config import Paths, Settings


@dataclass(frozen=True)
class Context:
    """Resolved parameters of one stage run."""

    org: str
    year: int
    paths: Paths
    settings: Settings
    out: Path

    @property
    def raw(self) -> Path:
        return self.paths.raw_for(self.org, self.year)

    @property
    def processed(self) -> Path:
        return self.paths.processed_for(self.org, self.year)

    @property
    def previous_processed(self) -> Path:
        return self.paths.processed_for(self.org, self.year - 1)


def context(
    org: str,
    year: int | str,
    raw_dir: str = "",
    processed_dir: str = "",
    content_dir: str = "",
    out_dir: str = "",
    settings_path: str = "",
) -> Context:
    """Resolve a stage notebook's parameters; blank folders mean the repository's own.

    ``out_dir`` is where publishable files are staged; by default
    ``data/processed/<ORG>/<YEAR>/publish`` (``edi build`` moves them to ``reports/``).
    """
    defaults = Paths()
    paths = Paths(
        raw=Path(raw_dir) if raw_dir else defaults.raw,
        processed=Path(processed_dir) if processed_dir else defaults.processed,
        reports=defaults.reports,
        content=Path(content_dir) if content_dir else defaults.content,
    )
    org = str(org).strip().upper()
    year = int(year)
    processed = paths.processed_for(org, year)
    processed.mkdir(parents=True, exist_ok=True)
    out = Path(out_dir) if out_dir else processed / "publish"
    out.mkdir(parents=True, exist_ok=True)
    return Context(
        org=org, year=year, paths=paths, settings=Settings.load(settings_path or None), out=out
    )
