"""One organisation's line of ``organisations.csv``: its name, type and region.

``data/raw/organisations.csv`` (or ``.xlsx``) lists ``org_code, name, type, region``. An
organisation that is not listed is still built, under its bare code, but the build says so
loudly: at the end of ``edi build`` and in the report's data-quality appendix.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from edi_reports.errors import EdiError

__all__ = [
    "SYNTHETIC_MARKER",
    "Organisation",
    "is_synthetic",
    "lookup",
    "row_hash",
    "unlisted_message",
]

#: The file ``<raw>/<ORG>/SYNTHETIC`` marks an organisation whose input ``edi synth`` or
#: ``edi demo`` wrote: its pages carry a "synthetic demonstration data" mark, a real
#: organisation's national benchmarks leave it out, and ``edi clean-demo`` removes it.
#: (Here rather than in :mod:`edi_reports.intake.synth`, so that looking the mark up where a
#: build starts does not import the generator.)
SYNTHETIC_MARKER = "SYNTHETIC"


def is_synthetic(raw_dir: Path, code: str) -> bool:
    """True when ``<raw_dir>/<code>/SYNTHETIC`` exists (see :data:`SYNTHETIC_MARKER`)."""
    return (Path(raw_dir) / str(code) / SYNTHETIC_MARKER).is_file()


@dataclass(frozen=True)
class Organisation:
    """What ``organisations.csv`` says about one organisation."""

    code: str
    name: str
    type: str = ""
    region: str = ""
    listed: bool = False


def _row(raw_dir: Path, org: str) -> dict[str, str] | None:
    from edi_reports.intake.clean import load_organisations

    orgs = load_organisations(Path(raw_dir))
    if not len(orgs):
        return None
    match = orgs[orgs["org_code"].astype(str).str.upper() == org.strip().upper()]
    if not len(match):
        return None
    row = match.iloc[0]
    return {
        key: "" if row.get(key) is None or str(row.get(key)) in {"<NA>", "nan"} else str(row[key])
        for key in ("org_code", "name", "type", "region")
    }


def lookup(raw_dir: Path, org: str) -> Organisation:
    """The organisation's name, type and region (its code as its name when not listed)."""
    code = org.strip().upper()
    row = _row(raw_dir, code)
    if row is None:
        return Organisation(code=code, name=code)
    return Organisation(
        code=code,
        name=row["name"] or code,
        type=row["type"],
        region=row["region"],
        listed=True,
    )


def row_hash(raw_dir: Path, org: str) -> str:
    """A hash of this organisation's line only, so that adding another organisation to
    ``organisations.csv`` leaves this one's build key unchanged.

    When the file cannot be read (the build itself reports why), the whole file's bytes
    are hashed instead, so that fixing it triggers a rebuild.
    """
    try:
        row = _row(raw_dir, org)
    except EdiError:
        from edi_reports.intake.clean import find_input

        path = find_input(Path(raw_dir), "organisations")
        data = path.read_bytes() if path is not None else b""
        return "file:" + hashlib.sha256(data).hexdigest()
    blob = json.dumps(row, sort_keys=True).encode()
    return hashlib.sha256(blob).hexdigest()


def unlisted_message(raw_dir: Path, orgs: list[str]) -> str:
    """A warning naming the organisations that have no line in ``organisations.csv``
    (blank when every one is listed)."""
    missing = []
    for org in orgs:
        try:
            if not lookup(raw_dir, org).listed:
                missing.append(org)
        except EdiError:
            return ""  # the build has already reported the file's problem
    if not missing:
        return ""
    path = Path(raw_dir) / "organisations.csv"
    return (
        f"WARNING: {', '.join(missing)} not listed in {path}: the report is titled with the "
        "bare code and has no organisation type or region (no regional benchmark).\n"
        "  How to fix: add a line 'org_code,name,type,region' for each, e.g. "
        f"'{missing[0]},Example NHS Foundation Trust,Acute trust,London', and build again."
    )
