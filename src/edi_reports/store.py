"""Every file of an organisation-year's internal folder, ``data/processed/<ORG>/<YEAR>/``.

Spec: architecture §1 (one output folder per organisation-year; the flow of files between
stages), data contract §3.1 (internal outputs). The names of the files are here and only
here, and so is every read and write of them: a stage asks the store for what an earlier
stage wrote, and never builds a path into the folder itself.

What each stage writes (and the next one reads):

- clean: ``<table>.parquet`` per input table, ``quarantine.csv``, ``reconciliation.csv``,
  ``intake_audit.json``;
- validate: ``validation.json``;
- measure: ``metrics.csv`` (unsuppressed), ``measure_warnings.json``,
  ``gpg_submission.csv``, ``wres_submission.csv``, ``wdes_submission.csv``,
  ``standard_errors.csv``;
- disclose: ``published.csv`` (the published tables, all strings), ``published_intervals.csv``
  and ``published.json`` (what the report needs to know about the organisation-year);
- build: ``manifest.json``, ``notebooks/`` (the executed notebooks), ``publish/`` (staging).
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

if TYPE_CHECKING:
    from edi_reports.config import Paths
    from edi_reports.validation.quality import ValidationReport

Tables = dict[str, pd.DataFrame]

# ----------------------------------------------------------------------------- names
TABLE_SUFFIX = ".parquet"
METRICS = "metrics.csv"
MEASURE_WARNINGS = "measure_warnings.json"
QUARANTINE = "quarantine.csv"
RECONCILIATION = "reconciliation.csv"
INTAKE_AUDIT = "intake_audit.json"
VALIDATION = "validation.json"
MANIFEST = "manifest.json"
GPG_SUBMISSION = "gpg_submission.csv"
WRES_SUBMISSION = "wres_submission.csv"
WDES_SUBMISSION = "wdes_submission.csv"
STANDARD_ERRORS = "standard_errors.csv"
PUBLISHED = "published.csv"
PUBLISHED_INTERVALS = "published_intervals.csv"
PUBLISHED_FACTS = "published.json"
NOTEBOOKS = "notebooks"
PUBLISH = "publish"
#: The organisation's own sections' published figures (written by edi_reports.analysis).
SECTIONS = "sections"

#: Internal files copied into the published folder by the report stage.
COPIED_TO_REPORT: tuple[str, ...] = (GPG_SUBMISSION,)


def org_year(paths: Paths, org: str, year: int) -> Path:
    """The internal folder of one organisation-year (``data/processed/<ORG>/<YEAR>/``)."""
    return paths.processed_for(org, year)


def file(folder: Path, name: str) -> Path:
    """The path of one named artefact in ``folder`` (for writers owned by other modules,
    such as the submission files); ``name`` must be one of this module's names."""
    known = {v for k, v in globals().items() if k.isupper() and isinstance(v, str)}
    if name not in known:
        raise ValueError(f"{name} is not an artefact of the processed folder")
    return Path(folder) / name


# ----------------------------------------------------------------------------- clean
def write_tables(folder: Path, tables: Tables) -> None:
    """One ``<stem>.parquet`` per cleaned table (data contract §3.1)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    for stem, table in tables.items():
        table.to_parquet(folder / f"{stem}{TABLE_SUFFIX}", index=False)


def read_tables(folder: Path) -> Tables:
    """The cleaned tables of ``folder`` keyed by stem (absent files are absent keys)."""
    return {
        p.name[: -len(TABLE_SUFFIX)]: pd.read_parquet(p)
        for p in sorted(Path(folder).glob(f"*{TABLE_SUFFIX}"))
    }


def has_table(folder: Path, stem: str) -> bool:
    """Whether the clean stage wrote the table ``stem`` in ``folder``."""
    return (Path(folder) / f"{stem}{TABLE_SUFFIX}").is_file()


def read_table(folder: Path, stem: str, columns: list[str] | None = None) -> pd.DataFrame | None:
    """One cleaned table (only ``columns`` when given), or None when it was not written."""
    if not has_table(folder, stem):
        return None
    return pd.read_parquet(Path(folder) / f"{stem}{TABLE_SUFFIX}", columns=columns)


def organisations_with(paths: Paths, year: int, stem: str) -> list[str]:
    """Every organisation whose ``year`` folder holds the cleaned table ``stem`` (the
    national pass; ``national`` itself is not an organisation)."""
    found = sorted(Path(paths.processed).glob(f"*/{int(year)}/{stem}{TABLE_SUFFIX}"))
    return [p.parent.parent.name for p in found if p.parent.parent.name != "national"]


def sections_dir(folder: Path) -> Path:
    """The sub-folder where the organisation's own sections record what they published."""
    return Path(folder) / SECTIONS


def write_quarantine(folder: Path, quarantine: pd.DataFrame) -> None:
    quarantine.to_csv(Path(folder) / QUARANTINE, index=False)


def read_quarantine(folder: Path, *, as_text: bool = False) -> pd.DataFrame | None:
    """``quarantine.csv`` (every column as text when ``as_text``), or None when absent."""
    path = Path(folder) / QUARANTINE
    if not path.is_file():
        return None
    if as_text:
        return pd.read_csv(path, dtype=str, keep_default_na=False)
    return pd.read_csv(path)


def write_reconciliation(folder: Path, reconciliation: pd.DataFrame) -> None:
    reconciliation.to_csv(Path(folder) / RECONCILIATION, index=False)


def read_reconciliation(folder: Path) -> pd.DataFrame | None:
    path = Path(folder) / RECONCILIATION
    return pd.read_csv(path) if path.is_file() else None


def write_intake_audit(folder: Path, blob: dict[str, Any]) -> Path:
    path = Path(folder) / INTAKE_AUDIT
    path.write_text(json.dumps(blob, indent=1), encoding="utf-8")
    return path


def read_intake_audit(folder: Path) -> dict[str, Any]:
    """``intake_audit.json`` ({} when absent)."""
    path = Path(folder) / INTAKE_AUDIT
    if not path.is_file():
        return {}
    return dict(json.loads(path.read_text(encoding="utf-8")))


# ----------------------------------------------------------------------------- validate
def write_validation(folder: Path, report: ValidationReport) -> None:
    from edi_reports.validation.quality import write_validation as write

    write(report, Path(folder) / VALIDATION)


#: Folders whose validation stage is still running in this process's build, with the call
#: that waits for it (:func:`validation_pending`).
_PENDING: dict[str, Callable[[], Any]] = {}


@contextlib.contextmanager
def validation_pending(folder: Path, wait: Callable[[], Any]) -> Iterator[None]:
    """While the validation stage of ``folder`` runs beside the later stages (a one-off
    build, :func:`edi_reports.pipeline.build.build`), :func:`read_validation` of that folder
    first calls ``wait``, which returns once the stage has written ``validation.json`` and
    raises if it failed: what reads the validation result never reads an earlier one."""
    key = str(Path(folder).resolve())
    _PENDING[key] = wait
    try:
        yield
    finally:
        _PENDING.pop(key, None)


def read_validation(folder: Path) -> ValidationReport | None:
    wait = _PENDING.get(str(Path(folder).resolve()))
    if wait is not None:
        wait()
    path = Path(folder) / VALIDATION
    if not path.is_file():
        return None
    from edi_reports.validation.quality import read_validation as read

    return read(path)


# ----------------------------------------------------------------------------- measure
#: What the measure and disclose stages write: discarded when a build measured beside its
#: validation and the validation failed (:func:`discard_measured`).
MEASURED: tuple[str, ...] = (
    METRICS,
    MEASURE_WARNINGS,
    GPG_SUBMISSION,
    WRES_SUBMISSION,
    WDES_SUBMISSION,
    STANDARD_ERRORS,
    PUBLISHED,
    PUBLISHED_INTERVALS,
    PUBLISHED_FACTS,
)


def discard_measured(folder: Path) -> None:
    """Remove what the measure and disclose stages wrote in ``folder``: figures made from
    tables that then failed validation are never read by a later stage."""
    for name in MEASURED:
        (Path(folder) / name).unlink(missing_ok=True)


def write_metrics(folder: Path, metrics: pd.DataFrame) -> None:
    from edi_reports.measures.metrics import write_metrics as write

    write(metrics, Path(folder) / METRICS)


def has_metrics(folder: Path) -> bool:
    return (Path(folder) / METRICS).is_file()


def read_metrics(folder: Path) -> pd.DataFrame | None:
    """``metrics.csv`` (unsuppressed, internal), or None when the year was not measured."""
    from edi_reports.measures.metrics import read_metrics as read

    path = Path(folder) / METRICS
    return read(path) if path.is_file() else None


def write_warnings(folder: Path, messages: list[str]) -> None:
    (Path(folder) / MEASURE_WARNINGS).write_text(json.dumps(messages, indent=2))


def read_warnings(folder: Path) -> list[str]:
    path = Path(folder) / MEASURE_WARNINGS
    return list(json.loads(path.read_text())) if path.is_file() else []


def write_standard_errors(folder: Path, frame: pd.DataFrame | None) -> None:
    """``standard_errors.csv``; None removes it (the year-on-year test is off)."""
    path = Path(folder) / STANDARD_ERRORS
    path.unlink(missing_ok=True)
    if frame is not None:
        frame.to_csv(path, index=False)


def read_standard_errors(folder: Path) -> pd.DataFrame | None:
    path = Path(folder) / STANDARD_ERRORS
    if not path.is_file():
        return None
    return pd.read_csv(
        path,
        dtype={"breakdown": str, "group": str, "reference_group": str},
        keep_default_na=False,
        na_values={"se": ["", "nan", "NaN"]},
    )


# ----------------------------------------------------------------------------- disclose
@dataclass(frozen=True)
class OrgYearFacts:
    """What the report needs about an organisation-year beside its published tables,
    written by the disclosure step (``published.json``)."""

    org: str
    year: int
    name: str
    type: str = ""
    region: str = ""
    listed: bool = True
    synthetic: bool = False
    #: profile headcount used for disclosure (organisation-level counts published exactly)
    headcount: int | None = None
    #: the statutory gender pay gap duty applies (methodology §1.1)
    statutory: bool = True
    #: the 2026 statutory ethnicity and disability pay gap duty would apply (2026 §2.8)
    in_scope_2026: bool = False
    #: % of Staff Survey respondents saying they are disabled (methodology §4.4), or None
    survey_prevalence: float | None = None
    #: the settings fingerprint the tables were published with
    settings_fingerprint: str = ""


def _published_frame(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False).astype(object)


def write_published(
    folder: Path,
    published: pd.DataFrame,
    intervals: pd.DataFrame | None,
    facts: OrgYearFacts,
) -> None:
    """The published tables of one organisation-year, their intervals and its facts.

    ``published.json`` is written last: a folder holds a complete published output exactly
    when it is present.
    """
    folder = Path(folder)
    (folder / PUBLISHED_FACTS).unlink(missing_ok=True)
    published.to_csv(folder / PUBLISHED, index=False)
    (folder / PUBLISHED_INTERVALS).unlink(missing_ok=True)
    if intervals is not None:
        intervals.to_csv(folder / PUBLISHED_INTERVALS, index=False)
    (folder / PUBLISHED_FACTS).write_text(json.dumps(asdict(facts), indent=2))


def has_published(folder: Path) -> bool:
    return (Path(folder) / PUBLISHED_FACTS).is_file() and (Path(folder) / PUBLISHED).is_file()


def read_published(folder: Path) -> pd.DataFrame | None:
    """The published tables (every column a string), or None when never published."""
    return _published_frame(Path(folder) / PUBLISHED) if has_published(folder) else None


def read_intervals(folder: Path) -> pd.DataFrame | None:
    path = Path(folder) / PUBLISHED_INTERVALS
    return _published_frame(path) if path.is_file() else None


def read_facts(folder: Path) -> OrgYearFacts | None:
    path = Path(folder) / PUBLISHED_FACTS
    if not path.is_file():
        return None
    blob = json.loads(path.read_text())
    known = {f.name for f in fields(OrgYearFacts)}
    return OrgYearFacts(**{k: v for k, v in blob.items() if k in known})


# ----------------------------------------------------------------------------- build
def write_manifest(folder: Path, manifest: dict[str, Any]) -> None:
    (Path(folder) / MANIFEST).write_text(json.dumps(manifest, indent=2, default=str))


def read_manifest(folder: Path) -> dict[str, Any]:
    """``manifest.json`` ({} when absent or unreadable)."""
    path = Path(folder) / MANIFEST
    try:
        return dict(json.loads(path.read_text()))
    except (OSError, ValueError):
        return {}


def has_manifest(folder: Path) -> bool:
    return (Path(folder) / MANIFEST).is_file()
