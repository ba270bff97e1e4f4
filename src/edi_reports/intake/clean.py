"""The clean stage: read the raw input files, map headers and values, quarantine bad rows.

Spec: data contract §2 (inputs, header aliases, row-level and file-level problems) and §3
(``quarantine.csv``); methodology §7 (classifications), §0.4 (unknown values), §1.6 (hours).

Every raw file is read as text (:func:`read_table`), its headers are mapped to the canonical
names of :mod:`edi_reports.intake.schema` (case-insensitively, ignoring spaces, hyphens,
underscores and other punctuation; ESR aliases accepted), and its values are normalised
column by column with vectorised pandas operations. A file-level problem raises
:class:`~edi_reports.errors.InputError`; a row-level problem is listed in the quarantine
table, either rejecting the row (``rejected``) or keeping it with the value set to unknown
(``set_unknown``).

Which problems reject a row and which keep it as unknown:

- rejected: a blank or impossible value in a required column that the statutory figures
  need (negative pay, weekly hours of 0 or over 168, a number that does not parse, a blank
  id), and an unrecognised value in a column that decides who is counted or how pay is
  computed (``pay_frequency``, ``full_pay``, ``contract_type``, bonus amounts, a given hourly
  rate); secondary assignments and duplicate ids;
- set_unknown: a value outside an equality column's list (ethnic code ``X``, sex ``Q``,
  disability ``maybe``), an unusable age or date of birth, an unrecognised post band, and a
  blank or unrecognised pay band or staff group (the pay gaps do not need them: the person
  stays in every figure that does not, with the band or group unknown).

Every problem is also summed up at the end of ``edi build`` and ``edi validate``
(:mod:`edi_reports.intake.audit`), with the input columns that were ignored.

The quarantine table (internal, never published) holds file, row, column, reason, action
and the offending value, except for ids, pay, dates and ages (:data:`PRIVATE_VALUE_COLUMNS`),
whose value is left blank.
"""

from __future__ import annotations

import functools
import io
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from edi_reports.config import DEFAULT_SETTINGS, Limits, Settings
from edi_reports.errors import InputError
from edi_reports.intake import audit as intake_audit
from edi_reports.intake import esr_extract, esr_values, schema
from edi_reports.intake import limits as bounds
from edi_reports.intake.classifications import (
    AGE_BANDS,
    CASEWORK_PROCESSES,
    CONTRACT_TYPES,
    DISABILITY_GROUPS,
    DISABILITY_VALUES,
    GENDER_REASSIGNMENT_VALUES,
    HIGH_LEVEL_GROUPS,
    MARITAL_VALUES,
    PAY_BANDS,
    PAY_FREQUENCIES,
    RELIGION_VALUES,
    SCORE_QUESTIONS,
    SEXES,
    SEXUAL_ORIENTATION_GROUPS,
    SEXUAL_ORIENTATION_VALUES,
    STAFF_GROUPS,
    SURVEY_GROUPS,
    SURVEY_QUESTIONS,
    UNKNOWN,
    WRES_GROUPS,
    age_band,
    disability_group,
    high_level_group,
    is_clinical,
    normalise_ethnic_code,
    normalise_pay_band,
    normalise_sex,
    normalise_staff_group,
    sexual_orientation_group,
    wres_group,
)

__all__ = [
    "ALIASES",
    "IntakeResult",
    "find_input",
    "header_key",
    "load_inputs",
    "load_organisations",
    "map_headers",
    "parse_bool",
    "parse_date",
    "parse_number",
    "read_table",
    "write_processed",
]

# --- value lists of data contract §2 (shared with validation: classifications.py) -----

PROCESSES = CASEWORK_PROCESSES
AGE_MIN, AGE_MAX = 14, 100  # plausible ages of staff in post; outside: set unknown
IMPLAUSIBLE_HOURS = 60.0  # data contract §2.1: over 60 is flagged (kept)

# --- quarantine reasons (never include a cell's value) ----------------------------------

REJECTED = "rejected"
SET_UNKNOWN = "set_unknown"
R_BLANK = "blank value in a required column"
R_NUMBER = "not a number"
R_NEGATIVE = "negative amount"
R_HOURS = "weekly contracted hours must be more than 0 and at most 168"
R_NOT_RECOGNISED = "value not recognised"
R_SECONDARY = "secondary assignment; primary kept"
R_DUPLICATE = "duplicate id; first row kept"
R_NOT_SHORTLISTED = "appointed but not shortlisted"
R_PROCESS = "process is not disciplinary or capability"
R_DATE = "not a date (use dd/mm/yyyy or yyyy-mm-dd)"
R_MANDATORY = "mandatory training, not counted"
R_NOT_IN_WORKFORCE = "staff_id not in workforce"
R_QUESTION = "unknown question id"
R_PERCENT = "percent outside 0-100"
R_SCORE = "score outside 0-10"
R_DUPLICATE_SURVEY = "duplicate question, item and group; first row kept"
U_VALUE = "value not in the list; kept as unknown"
U_BLANK = "blank; kept as unknown"
U_AGE = "age not usable (not a whole number of years between 14 and 100); kept as unknown"
U_DOB = "date of birth not usable; age kept as unknown"


def fy_reason(year: int) -> str:
    """Reason for a date outside the financial year ending 31 March ``year``."""
    return f"start date outside the financial year (1 April {year - 1} to 31 March {year})"


# --- header aliases (data contract §2) -----------------------------------------------

_EQUALITY_ALIASES: dict[str, tuple[str, ...]] = {
    "ethnic_category": (
        "Ethnic Origin",
        "Ethnicity",
        "Ethnic Group",
        "Ethnic Code",
        "Ethnic Category Code",
        "Ethnic Origin Code",
    ),
    "disability": ("Disability Flag", "Disabled", "Disability Status", "Disabled Flag"),
    "sex": ("Gender", "Legal Sex", "Sex Code", "Gender Code"),
}

ALIASES: dict[str, dict[str, tuple[str, ...]]] = {
    "workforce": {
        "staff_id": (
            "Employee Number",
            "Employee No",
            "Employee ID",
            "Staff Number",
            "Staff No",
            "Person Number",
            "Pseudo ID",
        ),
        "assignment_number": ("Assignment Number", "Assignment No", "Assignment ID"),
        "primary_assignment": (
            "Primary Assignment",
            "Primary Assignment Flag",
            "Primary Flag",
            "Primary",
        ),
        **_EQUALITY_ALIASES,
        "age": ("Age", "Age in Years", "Age at Snapshot", "Age Years"),
        "date_of_birth": ("Date of Birth", "DOB", "Birth Date"),
        "sexual_orientation": ("Sexual Orientation",),
        "religion_belief": ("Religious Belief", "Religion", "Religion or Belief"),
        "marital_status": ("Marital Status",),
        "gender_reassignment": ("Gender Reassignment",),
        "gender_identity_same_as_birth": (
            "Gender Identity Same As Birth",
            "Gender Identity Same As At Birth",
            "Gender Identity Same As Assigned At Birth",
        ),
        "on_maternity_leave": ("On Maternity Leave", "Maternity Leave", "Maternity"),
        "staff_group": ("Staff Group", "Staff Group Name"),
        "pay_band": ("Grade", "Pay Band", "Payscale", "Pay Scale", "Band", "AfC Band"),
        "directorate": ("Directorate", "Care Group", "Division"),
        "contract_type": ("Assignment Category", "Contract Type", "Employment Category"),
        "contracted_hours": (
            "Contracted Hours",
            "Contracted Hours Per Week",
            "Weekly Contracted Hours",
            "Weekly Hours",
        ),
        "pay_frequency": ("Pay Frequency", "Payroll Frequency"),
        "ordinary_pay": ("Ordinary Pay", "Ordinary Pay In Period", "Gross Ordinary Pay"),
        "bonus_pay_in_period": ("Bonus Pay In Period", "Bonus In Period"),
        "bonus_period_days": ("Bonus Period Days",),
        "bonus_pay_12m": ("Bonus Pay 12m", "Bonus Pay 12 Months", "Bonus 12 Months"),
        "full_pay": ("Full Pay", "Full Pay Relevant Employee", "FPRE"),
        "hourly_rate": ("Hourly Rate", "Hourly Rate of Pay"),
    },
    "recruitment": {
        "application_id": ("Application ID", "Application Number", "Application Reference"),
        **_EQUALITY_ALIASES,
        "shortlisted": ("Shortlisted Flag", "Short Listed"),
        "appointed": ("Appointed Flag", "Offered", "Appointed From Shortlisting"),
        "post_band": ("Post Band", "Band", "Pay Band", "Grade"),
    },
    "casework": {
        "case_id": ("Case ID", "Case Number", "Case Reference"),
        "staff_id": ("Employee Number", "Staff Number", "Employee ID"),
        "process": ("Process", "Process Type", "Case Type"),
        "start_date": ("Start Date", "Date Entered", "Date Opened", "Case Start Date"),
        **_EQUALITY_ALIASES,
    },
    "training": {
        "staff_id": ("Employee Number", "Staff Number", "Employee ID"),
        "course": ("Course", "Course Name", "Course Title"),
        "start_date": ("Start Date", "Course Date", "Course Start Date"),
        "mandatory": ("Mandatory", "Mandatory Flag", "Is Mandatory"),
    },
    "staff_survey": {
        "question": ("Question", "Measure", "Indicator", "Metric"),
        "item": ("Item", "Sub Item"),
        "group": ("Group", "Respondent Group", "Breakdown"),
        "percent": ("Percent", "Percentage", "Score", "Percent Score"),
        "responses": ("Responses", "Respondents", "Response Count", "Base"),
    },
    "board": {
        "member_id": ("Member ID", "Board Member ID", "Member"),
        "voting": ("Voting", "Voting Member"),
        "executive": ("Executive", "Executive Member"),
        **_EQUALITY_ALIASES,
    },
    "organisations": {
        "org_code": ("Org Code", "ODS Code", "Organisation Code", "Code"),
        "name": ("Name", "Organisation Name", "Org Name"),
        "type": ("Type", "Organisation Type", "Org Type"),
        "region": ("Region",),
    },
}

# ESR Business Intelligence gender pay gap extract: compared with our hourly rates only.
ALIASES[esr_extract.STEM] = esr_extract.ALIASES

# Required columns; a tuple means "one of these".
REQUIRED: dict[str, tuple[str | tuple[str, ...], ...]] = {
    "workforce": (
        ("staff_id", "assignment_number"),
        "ethnic_category",
        "sex",
        ("age", "date_of_birth"),
        "staff_group",
        "pay_band",
        "contracted_hours",
        "ordinary_pay",
    ),
    "recruitment": (
        "application_id",
        "ethnic_category",
        "disability",
        "sex",
        "shortlisted",
        "appointed",
    ),
    "casework": ("case_id", "process", "start_date", "ethnic_category", "disability", "sex"),
    "training": ("staff_id", "course", "start_date"),
    "staff_survey": ("question", "group", "percent", "responses"),
    "board": ("member_id", "voting", "executive", "ethnic_category", "disability", "sex"),
    "organisations": ("org_code",),
    esr_extract.STEM: esr_extract.REQUIRED,
}


def header_key(name: object) -> str:
    """Header matching key: lower case, letters and digits only (``Ethnic-Origin`` ->
    ``ethnicorigin``). Spec: data contract §2."""
    return re.sub(r"[^0-9a-z]", "", str(name).casefold())


def _alias_lookup(stem: str) -> dict[str, str]:
    lookup: dict[str, str] = {}
    for canon, aliases in ALIASES[stem].items():
        for alias in (canon, *aliases):
            lookup[header_key(alias)] = canon
    return lookup


# --- result ------------------------------------------------------------------------------


@dataclass
class IntakeResult:
    """What the clean stage produced for one organisation and year.

    Attributes
    ----------
    tables
        Canonical tables of :mod:`edi_reports.intake.schema` keyed by stem; an absent optional file
        is an absent key.
    quarantine
        One row per problem: columns :data:`schema.QUARANTINE_COLUMNS`.
    reconciliation
        One row per file read: ``file, rows_in, rows_used, rows_rejected,
        values_set_unknown`` with ``rows_in == rows_used + rows_rejected``.
    sources
        Stem -> path of the file actually read.
    notes
        Plain-language notes on what the clean stage did (skipped lines, assignments, ...).
    columns
        Per file read: the contract columns found under which header, the headers ignored
        (with a suggestion) and the optional columns missing
        (:func:`edi_reports.intake.audit.column_record`).
    hourly_check
        Payroll's hourly rates against ours: from ``gpg_extract`` when the folder has one
        (:func:`edi_reports.intake.esr_extract.compare_with_extract`), else from the workforce
        file's own ``hourly_rate`` column (:func:`edi_reports.intake.audit.hourly_rate_check`).
    """

    tables: dict[str, pd.DataFrame]
    quarantine: pd.DataFrame
    reconciliation: pd.DataFrame
    sources: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    columns: list[dict[str, Any]] = field(default_factory=list)
    hourly_check: dict[str, Any] = field(default_factory=dict)


RECONCILIATION_COLUMNS: tuple[str, ...] = (
    "file",
    "rows_in",
    "rows_used",
    "rows_rejected",
    "values_set_unknown",
)

# --- finding and reading files ------------------------------------------------------------


def find_input(folder: Path, stem: str) -> Path | None:
    """``<stem>.csv`` or ``<stem>.xlsx`` in ``folder`` (names match case-insensitively).

    Raises
    ------
    InputError
        When both (or several spellings) exist, or only an old ``.xls`` workbook exists.
    """
    folder = Path(folder)
    if not folder.is_dir():
        return None
    candidates = sorted(p for p in folder.iterdir() if p.stem.casefold() == stem and p.is_file())
    usable = [p for p in candidates if p.suffix.casefold() in (".csv", ".xlsx")]
    if len(usable) > 1:
        names = " and ".join(p.name for p in usable)
        raise InputError(
            str(folder / stem),
            f"found {names}; the pipeline reads one file per input",
            fix=f"Keep one of {names} in {folder} and move the other away.",
        )
    if usable:
        return usable[0]
    legacy = [p for p in candidates if p.suffix.casefold() in (".xls", ".xlsm", ".ods")]
    if legacy:
        raise InputError(
            str(legacy[0]),
            "this spreadsheet format is not read",
            fix=f"Save it as {stem}.xlsx (Excel Workbook) or {stem}.csv (CSV UTF-8).",
        )
    return None


def read_table(path: Path, limits: Limits | None = None) -> pd.DataFrame:
    """Read one CSV or XLSX file (first sheet) with every cell as a string.

    Spec: data contract §2. CSV may be UTF-8 (with or without BOM), Windows-1252 (as Excel
    exports it) or UTF-16 with a BOM; comma, semicolon or tab separated. Leading blank lines
    are skipped; the header is the first line that names contract columns (title lines above
    it are skipped, :func:`_header_row`), else the first non-blank line. Columns with a
    blank header and no data are dropped; a blank header over data is named
    ``(unnamed column N)``.

    Parameters
    ----------
    path
        The file: a regular file (no symbolic link, device or pipe).
    limits
        Size, row, column and cell-length limits (:mod:`edi_reports.intake.limits`); default: the
        default settings' ``limits``.

    Returns
    -------
    pandas.DataFrame
        Columns = header cells (stripped); values = cell text as read (``""`` for empty);
        index 0..n-1, so the 1-based data row is ``index + 1``.

    Raises
    ------
    InputError
        Empty, binary, undecodable, truncated or malformed file; duplicate headers.
    """
    path = Path(path)
    if not path.is_file():
        raise InputError(str(path), "file not found", fix="Check the folder and file name.")
    bounds.check_regular_file(path)
    bounds.check_file_size(path, limits)
    if path.suffix.casefold() == ".xlsx":
        grid = _read_xlsx_grid(path, limits)
    else:
        grid = _read_csv_grid(path, limits)
    bounds.check_shape(grid, path, limits)
    bounds.check_cells(grid, path, limits)
    return _frame_from_grid(grid, path)


def _read_csv_grid(path: Path, limits: Limits | None = None) -> pd.DataFrame:
    data = path.read_bytes()
    if not data.strip():
        raise InputError(str(path), "the file is empty", fix="Export the data again.")
    if data[:4] == b"PK\x03\x04":
        raise InputError(
            str(path),
            "this is an Excel workbook saved under a .csv name",
            fix=f"Rename it to {path.stem}.xlsx, or save it from Excel as CSV UTF-8.",
        )
    text = _decode(data, path)
    text = text.lstrip("\r\n").rstrip("\r\n")
    if not text.strip():
        raise InputError(str(path), "the file is empty", fix="Export the data again.")
    # the first line with a separator decides (title lines above the header have none)
    lines = text.split("\n", HEADER_SEARCH_ROWS)[:HEADER_SEARCH_ROWS]
    first_line = next((ln for ln in lines if any(c in ln for c in ",\t;")), lines[0])
    sep = ","
    if "," not in first_line:
        if "\t" in first_line:
            sep = "\t"
        elif ";" in first_line:
            sep = ";"
    bounds.check_first_line(text, sep, path, limits)
    width = _csv_width(lines, sep)
    grid = _read_csv_fast(text, sep, width)
    if grid is not None:
        return grid
    try:
        grid = pd.read_csv(
            io.StringIO(text),
            sep=sep,
            header=None,
            names=list(range(width)),
            dtype=str,
            keep_default_na=False,
            na_filter=False,
            skip_blank_lines=False,
            engine="c",
        )
    except (pd.errors.ParserError, ValueError) as exc:
        raise _parse_error(path, exc) from None
    except pd.errors.EmptyDataError:
        raise InputError(str(path), "the file is empty", fix="Export the data again.") from None
    return grid


def _csv_width(lines: list[str], sep: str) -> int:
    """Fields per line: the first line's count, or, when the first line looks like a title
    (at most two non-empty fields, as report tools write above the header), the widest of
    the first lines. A data row wider than a real header stays an error."""
    import csv

    try:
        rows = list(csv.reader(lines, delimiter=sep))
    except csv.Error:
        rows = [ln.split(sep) for ln in lines]
    if not rows:
        return 1
    first = rows[0]
    if sum(bool(c.strip()) for c in first) <= 2:
        return max(len(r) for r in rows)
    return len(first)


def _read_csv_fast(text: str, sep: str, width: int) -> pd.DataFrame | None:
    """Parse a regular CSV with pyarrow (several times faster than pandas' C parser on
    large files). Returns None when the file is irregular in any way (ragged or blank
    lines, unclosed quotes); the caller then uses pandas, which explains the problem."""
    import csv

    import pyarrow as pa
    import pyarrow.csv as pacsv

    try:
        names = [f"c{i}" for i in range(width)]
        table = pacsv.read_csv(
            io.BytesIO(text.encode("utf-8")),
            read_options=pacsv.ReadOptions(column_names=names),
            parse_options=pacsv.ParseOptions(
                delimiter=sep, newlines_in_values=True, ignore_empty_lines=False
            ),
            convert_options=pacsv.ConvertOptions(
                column_types=dict.fromkeys(names, pa.string()),
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except (pa.ArrowException, csv.Error, StopIteration, ValueError):
        return None
    grid = table.to_pandas()
    grid.columns = range(width)
    return grid


def _decode(data: bytes, path: Path) -> str:
    """UTF-16 with BOM, then UTF-8 (BOM optional), then Windows-1252."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    elif b"\x00" in data:
        raise InputError(
            str(path),
            "the file is binary, not text (it may be damaged or not a CSV file)",
            fix="Export the data again as CSV UTF-8 or .xlsx.",
        )
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InputError(
        str(path),
        "the file is neither UTF-8 nor Windows-1252 text",
        fix="Save it from Excel as 'CSV UTF-8 (Comma delimited)'.",
    )


def _parse_error(path: Path, exc: Exception) -> InputError:
    msg = str(exc)
    if "EOF inside string" in msg or "EOF following" in msg:
        return InputError(
            str(path),
            "the file ends inside a quoted value: it looks truncated, or a quote is not closed",
            fix="Export the file again, or close the quote on the last line.",
        )
    found = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", msg)
    if found:
        expected, line, saw = found.groups()
        return InputError(
            str(path),
            f"line {line} has {saw} fields but the header has {expected}",
            fix="Remove the extra separators on that line, or quote values that contain commas.",
        )
    return InputError(
        str(path),
        "the file could not be read as CSV",
        fix="Open it in Excel and save it again as CSV UTF-8.",
    )


def _read_xlsx_grid(path: Path, limits: Limits | None = None) -> pd.DataFrame:
    if not zipfile.is_zipfile(path):
        raise InputError(
            str(path),
            "this is not a valid .xlsx workbook (it may be damaged, password-protected, or a"
            " renamed file of another type)",
            fix="Open it in Excel and save it again as .xlsx (Excel Workbook) or CSV UTF-8.",
        )
    rows = bounds.read_xlsx_rows(path, limits)  # declared dimensions ignored, bounded
    if not rows:
        raise InputError(str(path), "the first sheet is empty", fix="Put the data on sheet 1.")
    width = max(len(r) for r in rows)
    grid = pd.DataFrame([r + [None] * (width - len(r)) for r in rows], dtype=object)
    for col in grid.columns:
        grid[col] = grid[col].map(_cell_text).astype(str)
    return grid


def _cell_text(value: Any) -> str:
    """One Excel cell as text: whole floats without ``.0``, dates as ISO, bools as Yes/No."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, float):
        if np.isfinite(value) and value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    if isinstance(value, pd.Timestamp | date):
        text = value.isoformat()
        return text[:10] if text[10:] in ("", "T00:00:00") else text.replace("T", " ")
    return str(value)


def _frame_from_grid(grid: pd.DataFrame, path: Path) -> pd.DataFrame:
    # one object array of cell texts per column: the blank lines, the header search and
    # the unnamed-column check below read them without building a Series per step
    cols = [_cell_texts(grid[c]) for c in grid.columns]
    if not cols or not len(cols[0]):
        raise InputError(str(path), "the file is empty", fix="Export the data again.")
    empty = [_empty_cells(c) for c in cols]
    nonblank = np.flatnonzero(~np.logical_and.reduce(empty))
    if len(nonblank) == 0:
        raise InputError(str(path), "the file is empty", fix="Export the data again.")
    start = _header_row(cols, nonblank)
    header = [c[start].strip() for c in cols]
    keep: list[int] = []
    names: list[str] = []
    for i, name in enumerate(header):
        if name == "":
            if empty[i][start + 1 :].all():
                continue
            name = f"(unnamed column {i + 1})"
        keep.append(i)
        names.append(name)
    seen: dict[str, int] = {}
    for i, name in zip(keep, names, strict=True):
        folded = name.casefold()
        if folded in seen:
            raise InputError(
                str(path),
                f"the header '{name}' appears more than once (columns {seen[folded] + 1}"
                f" and {i + 1})",
                fix="Rename or remove one of the duplicate columns.",
                column=name,
            )
        seen[folded] = i
    return pd.DataFrame(
        {name: cols[i][start + 1 :].copy() for i, name in zip(keep, names, strict=True)},
        index=pd.RangeIndex(len(cols[0]) - start - 1),
        dtype=str,
    )


def _cell_texts(values: pd.Series) -> np.ndarray:
    """A column's cells as an object array of ``str`` (a missing cell is ``""``)."""
    arr = values.to_numpy(dtype=object)
    if isinstance(values.dtype, pd.StringDtype):
        if not values.isna().any():  # a text column without a missing cell: all str
            return arr
    elif all(type(v) is str for v in arr):
        return arr
    return np.array(["" if _is_missing(v) else str(v) for v in arr], dtype=object)


def _is_missing(value: Any) -> bool:
    return (
        value is None
        or value is pd.NA
        or value is pd.NaT
        or (isinstance(value, float) and np.isnan(value))
    )


def _empty_cells(values: np.ndarray) -> np.ndarray:
    """True where a cell is empty or only white space (``str.strip() == ""``); a cell that
    is not text (a missing value) is not empty."""
    return np.array([not v.strip() if type(v) is str else False for v in values], dtype=bool)


HEADER_SEARCH_ROWS = 30


def _header_row(cols: list[np.ndarray], nonblank: np.ndarray) -> int:
    """The header line: among the first :data:`HEADER_SEARCH_ROWS` non-blank lines, the
    first that names the most contract columns (at least two), so title lines above the
    header ("Gender Pay Gap Report", "Run date ...") as ESR Business Intelligence writes
    them are skipped; otherwise the first non-blank line."""
    known = _known_header_keys()
    best, best_score = int(nonblank[0]), 1
    for i in nonblank[:HEADER_SEARCH_ROWS]:
        i = int(i)
        score = sum(header_key(c[i]) in known for c in cols if c[i].strip())
        if score > best_score:
            best, best_score = i, score
    return best


@functools.cache
def _known_header_keys() -> frozenset[str]:
    return frozenset(
        header_key(alias)
        for table in ALIASES.values()
        for canon, aliases in table.items()
        for alias in (canon, *aliases)
    )


# --- header mapping ------------------------------------------------------------------------


def map_headers(columns: list[str] | pd.Index, stem: str, file: str) -> dict[str, str]:
    """Map raw headers to canonical column names for ``stem``.

    Spec: data contract §2 (aliases; extra columns ignored; missing required column
    stops the build).

    Returns
    -------
    dict
        canonical name -> raw header, for the recognised columns only.

    Raises
    ------
    InputError
        Two headers meaning the same column, or a required column missing.
    """
    lookup = _alias_lookup(stem)
    found: dict[str, str] = {}
    for raw in columns:
        canon = lookup.get(header_key(raw))
        if canon is None:
            continue
        if canon in found:
            raise InputError(
                file,
                f"the headers '{found[canon]}' and '{raw}' both mean '{canon}'",
                fix="Keep one of these columns and remove or rename the other.",
                column=canon,
            )
        found[canon] = str(raw)
    for need in REQUIRED[stem]:
        options = need if isinstance(need, tuple) else (need,)
        if not any(o in found for o in options):
            names = " or ".join(options)
            accepted = ", ".join(f"'{a}'" for o in options for a in (o, *ALIASES[stem].get(o, ())))
            raise InputError(
                file,
                f"required column '{names}' is missing",
                fix=f"Add the column, or rename its header to one of: {accepted}.",
                column=names,
            )
    return found


# --- vectorised value parsers ----------------------------------------------------------------


def _on_uniques(func: Callable[[pd.Series], Any], values: pd.Series) -> Any:
    """Apply ``func`` to the distinct values only and spread the result back (fast on
    large files with few distinct codes). ``func`` returns a Series or a tuple of them."""
    codes, uniques = pd.factorize(values.astype("string").fillna(""), sort=False)
    result = func(pd.Series(uniques, dtype="string"))

    def spread(res: pd.Series) -> pd.Series:
        out = res.take(codes) if len(res) else res.reindex(range(len(codes)))
        out.index = values.index
        return out

    if isinstance(result, tuple):
        return tuple(spread(r) for r in result)
    return spread(result)


def _strip(values: pd.Series) -> pd.Series:
    return values.astype("string").fillna("").str.strip()


def parse_number(values: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Numbers written by people and spreadsheets: ``£2,497.50 ``, ``37.5``, ``(12)``, ``45%``.

    Returns
    -------
    number, blank, invalid
        float64 values (NaN when blank or invalid); mask of blank cells; mask of non-blank
        cells that are not a finite number.
    """
    s = _strip(values)
    blank = (s == "").astype(bool)
    num = _to_float(s.mask(blank))
    retry = np.isnan(num) & ~blank.to_numpy()
    if retry.any():
        t = s[retry]
        for junk in ("£", ",", "%", " ", "\u00a0", "\t"):
            t = t.str.replace(junk, "", regex=False)
        neg = (t.str.startswith("(") & t.str.endswith(")")).fillna(False).astype(bool)
        if neg.any():
            t = t.mask(neg, "-" + t.str.slice(1, -1))
        num[retry] = _to_float(t)
    finite = np.isfinite(num)
    number = pd.Series(np.where(finite, num, np.nan), index=values.index, dtype="float64")
    invalid = pd.Series(~finite, index=values.index) & ~blank
    return number, blank, invalid.astype(bool)


_NUMBER_RE = r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$"


def _to_float(text: pd.Series) -> np.ndarray:
    """Strings to float64, NaN where not a plain decimal number (pyarrow kernels: about
    0.3 s per million cells, against several seconds for ``pd.to_numeric``)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    arr = pa.array(text.astype("string[pyarrow]").array)
    ok = pc.fill_null(pc.match_substring_regex(arr, _NUMBER_RE), False)
    values = pc.cast(pc.if_else(ok, arr, pa.scalar(None, arr.type)), pa.float64())
    return np.asarray(values.to_numpy(zero_copy_only=False), dtype=float)


_BOOL_WORDS: dict[str, bool] = {
    "y": True,
    "yes": True,
    "true": True,
    "1": True,
    "n": False,
    "no": False,
    "false": False,
    "0": False,
}


def parse_bool(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """``Y``/``N``/``Yes``/``No``/``True``/``False``/``1``/``0`` case-insensitively.

    Returns a nullable boolean Series (``<NA>`` for blank or unrecognised) and a mask of
    non-blank unrecognised cells.
    """
    # per distinct value (a column holds a handful): stripped, case-folded, looked up
    codes, uniques = pd.factorize(values.astype("string").fillna(""), sort=False)
    words = [u.strip().casefold() for u in uniques.tolist()]
    found = [_BOOL_WORDS.get(w) for w in words]
    value = np.array([f is True for f in found], dtype=bool)
    missing = np.array([f is None for f in found], dtype=bool)
    bad = np.array([f is None and w != "" for f, w in zip(found, words, strict=True)], dtype=bool)
    out = pd.Series(
        pd.arrays.BooleanArray(value[codes], missing[codes]), index=values.index, name=values.name
    )
    return out, pd.Series(bad[codes], index=values.index, name=values.name)


_DATE_FORMATS: tuple[str, ...] = (
    "%d/%m/%Y",
    "%Y-%m-%d",
    "%d-%b-%Y",
    "%d-%m-%Y",
    "%d.%m.%Y",
    "%d %b %Y",
    "%d %B %Y",
    "%Y-%m-%d %H:%M:%S",
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%Y-%m-%dT%H:%M:%S",
)
_EXCEL_SERIAL_MAX = 109574  # 31 December 2199


def _parse_date_unique(s: pd.Series) -> tuple[pd.Series, pd.Series]:
    s = _strip(s)
    blank = s == ""
    out = pd.Series(pd.NaT, index=s.index, dtype="datetime64[ns]")
    for fmt in _DATE_FORMATS:
        todo = out.isna() & ~blank
        if not todo.any():
            break
        parsed = pd.to_datetime(s[todo], format=fmt, errors="coerce")
        out.loc[todo] = parsed.astype("datetime64[ns]")
    todo = out.isna() & ~blank
    if todo.any():
        num = pd.to_numeric(
            s[todo].where(s[todo].str.match(r"^\d+(\.\d+)?$"), None), errors="coerce"
        )
        num = pd.Series(num, index=s[todo].index).astype("Float64")
        ok = (num >= 1) & (num <= _EXCEL_SERIAL_MAX)
        ok = ok.fillna(False).astype(bool)
        if ok.any():
            days = np.floor(num[ok].to_numpy(float))
            out.loc[ok[ok].index] = pd.to_datetime(days, unit="D", origin="1899-12-30").astype(
                "datetime64[ns]"
            )
    invalid = out.isna() & ~blank
    return out, invalid.astype(bool)


def parse_date(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Dates as ``dd/mm/yyyy``, ISO ``yyyy-mm-dd`` (time allowed), ``31-Mar-2024`` (ESR) or
    Excel serial numbers (days since 30 December 1899).

    Returns datetime64[ns] (NaT when blank or invalid) and a mask of non-blank invalid cells.
    UK day-first order is assumed for ``dd/mm/yyyy``.
    """
    return _on_uniques(_parse_date_unique, values)


def age_at(dob: pd.Series, on: date) -> pd.Series:
    """Whole years between each date of birth and ``on`` (Int64; <NA> where dob is NaT)."""
    d = pd.to_datetime(dob)
    years = on.year - d.dt.year
    before_birthday = (d.dt.month * 100 + d.dt.day) > (on.month * 100 + on.day)
    return (years - before_birthday.astype("Int64")).astype("Int64")


def _coded(
    values: pd.Series, allowed: tuple[str, ...], aliases: dict[str, str] | None = None
) -> tuple[pd.Series, pd.Series]:
    """Match a coded column to ``allowed`` (case, spaces and punctuation ignored; aliases
    by their :func:`header_key`). Returns canonical values (<NA> blank/unmatched) and the
    mask of non-blank unmatched cells."""
    table = {header_key(v): v for v in allowed}
    table.update({header_key(k): v for k, v in (aliases or {}).items()})
    lookup = {v.casefold(): v for v in allowed}

    def one(uniq: pd.Series) -> tuple[pd.Series, pd.Series]:
        # per distinct value, in plain Python (a handful of values: pandas' per-call cost
        # was most of the work): the alias table by header key, then
        # classifications.match_values (stripped, case-insensitive)
        canonical: list[Any] = []
        unmatched: list[bool] = []
        for text in uniq.tolist():
            text = text.strip()
            keyed = table.get(header_key(text), text).strip()
            found = lookup.get(keyed.casefold())
            canonical.append(pd.NA if found is None else found)
            unmatched.append(found is None and keyed != "")
        return pd.Series(canonical, dtype="string"), pd.Series(unmatched, dtype=bool)

    return _on_uniques(one, values)


def _categorical(values: pd.Series, categories: tuple[str, ...] | list[str]) -> pd.Series:
    """A categorical Series with exactly ``categories``; other values and blanks become NaN.
    Built from the distinct values (fast on large files)."""
    codes, uniques = pd.factorize(values.astype("string"), use_na_sentinel=True)
    lookup = pd.Index(list(categories)).get_indexer(pd.Index(uniques, dtype=object))
    if len(lookup):
        cat_codes = np.where(codes >= 0, lookup[np.maximum(codes, 0)], -1)
    else:
        cat_codes = np.full(len(codes), -1)
    return pd.Series(
        pd.Categorical.from_codes(cat_codes, categories=list(categories)), index=values.index
    )


# --- row-level bookkeeping ---------------------------------------------------------------------


class _Issues:
    """Quarantine entries for one file, built from boolean masks (no per-row loops)."""

    def __init__(self, file: str, rows: pd.Series) -> None:
        self.file = file
        self.rows = rows
        self.parts: list[pd.DataFrame] = []
        self.rejected = pd.Series(False, index=rows.index)

    def add(
        self,
        mask: pd.Series,
        column: str,
        reason: str,
        action: str,
        values: pd.Series | None = None,
    ) -> None:
        hit = _hits(mask, self.rows.index)
        if not hit.any():
            return
        mask = pd.Series(hit, index=self.rows.index)
        value: Any = ""
        if values is not None:
            value = values.reindex(self.rows.index)[mask].fillna("").astype(str).to_numpy()
        self.parts.append(
            pd.DataFrame(
                {
                    "row": self.rows[mask].to_numpy(),
                    "column": column,
                    "reason": reason,
                    "action": action,
                    "value": value,
                    "_index": self.rows.index[mask],
                }
            )
        )
        if action == REJECTED:
            self.rejected |= mask

    def frame(self) -> pd.DataFrame:
        """The entries; set_unknown entries of rejected rows are dropped (the row is gone)."""
        if not self.parts:
            return _empty_quarantine()
        q = pd.concat(self.parts, ignore_index=True)
        gone = self.rejected.to_numpy()[self.rows.index.get_indexer(q["_index"])]
        q = q[(q["action"] == REJECTED) | ~gone]
        q.insert(0, "file", self.file)
        q = q.sort_values("row", kind="stable")
        return q[list(schema.QUARANTINE_COLUMNS)].reset_index(drop=True)


def _hits(mask: pd.Series, index: pd.Index) -> np.ndarray:
    """``mask`` aligned on ``index`` as a numpy bool array (missing and absent: False)."""
    if mask.index.equals(index):
        if mask.dtype == bool:
            return mask.to_numpy()
        if isinstance(mask.dtype, pd.BooleanDtype):
            return mask.to_numpy(dtype=bool, na_value=False)
    return mask.reindex(index, fill_value=False).fillna(False).astype(bool).to_numpy()


def _empty_quarantine() -> pd.DataFrame:
    return _EMPTY_QUARANTINE().copy()


@functools.cache
def _EMPTY_QUARANTINE() -> pd.DataFrame:  # noqa: N802 - a constant, built on first use
    return pd.DataFrame(
        {
            "file": pd.Series(dtype="string"),
            "row": pd.Series(dtype="int64"),
            "column": pd.Series(dtype="string"),
            "value": pd.Series(dtype="string"),
            "reason": pd.Series(dtype="string"),
            "action": pd.Series(dtype="string"),
        }
    )


# Columns whose offending value is never copied into quarantine.csv or any message: ids,
# money, dates and ages identify or describe one person.
PRIVATE_VALUE_COLUMNS: frozenset[str] = frozenset(
    {
        "staff_id",
        "assignment_number",
        "application_id",
        "case_id",
        "member_id",
        "ordinary_pay",
        "bonus_pay_in_period",
        "bonus_pay_12m",
        "hourly_rate",
        "age",
        "date_of_birth",
        "start_date",
    }
)


@dataclass
class _Ctx:
    """One file being cleaned."""

    stem: str
    file: str
    raw: pd.DataFrame
    headers: dict[str, str]
    year: int
    settings: Settings
    issues: _Issues
    notes: list[str]
    _cache: dict[str, pd.Series] = field(default_factory=dict)

    def has(self, canon: str) -> bool:
        return canon in self.headers

    def header(self, canon: str) -> str:
        return self.headers.get(canon, canon)

    def text(self, canon: str) -> pd.Series:
        if canon not in self._cache:
            if canon in self.headers:
                self._cache[canon] = _strip(self.raw[self.headers[canon]])
            else:
                self._cache[canon] = pd.Series("", index=self.raw.index, dtype="string")
        return self._cache[canon]

    def _value(self, canon: str) -> pd.Series | None:
        if canon in PRIVATE_VALUE_COLUMNS or canon not in self.headers:
            return None
        return self.text(canon)

    def reject(self, mask: pd.Series, canon: str, reason: str) -> None:
        self.issues.add(mask, self.header(canon), reason, REJECTED, self._value(canon))

    def unknown(self, mask: pd.Series, canon: str, reason: str = U_VALUE) -> None:
        self.issues.add(mask, self.header(canon), reason, SET_UNKNOWN, self._value(canon))

    @property
    def index(self) -> pd.Index:
        return self.raw.index


def _strip_non_data(ctx: _Ctx) -> int:
    """Drop blank lines anywhere and trailing notes (rows at the bottom whose required
    columns are all blank, or where only the first cell has text, e.g. "Source: ESR BI",
    "Total 1,234"). They are not data rows; a note says how many were skipped.

    Returns the number of lines dropped.
    """
    raw = ctx.raw
    if raw.empty:
        return 0
    empty = {c: _empty_cells(raw[c].to_numpy(dtype=object)) for c in raw.columns}
    blank = np.logical_and.reduce(list(empty.values()))
    required = [
        ctx.headers[o]
        for need in REQUIRED[ctx.stem]
        for o in (need if isinstance(need, tuple) else (need,))
        if o in ctx.headers
    ]
    note_like = blank | np.logical_and.reduce([empty[c] for c in required], initial=True)
    if raw.shape[1] > 1:
        note_like |= np.logical_and.reduce(list(empty.values())[1:])
    # the notes at the bottom: the rows after the last one that is not note-like
    trailing = np.logical_and.accumulate(note_like[::-1])[::-1]
    drop = blank | trailing
    n_blank = int((blank & ~trailing).sum())
    n_trailing = int(trailing.sum())
    if n_blank:
        ctx.notes.append(f"{ctx.stem}: skipped {n_blank} blank line(s)")
    if n_trailing:
        ctx.notes.append(
            f"{ctx.stem}: skipped {n_trailing} blank, note or total line(s) at the bottom of"
            " the file"
        )
    ctx.raw = raw[~drop]
    ctx.issues = _Issues(ctx.file, (ctx.raw.index.to_series() + 1).astype("int64"))
    ctx._cache.clear()
    return int(drop.sum())


def _id_column(ctx: _Ctx, canon: str) -> pd.Series:
    """A required id column: stripped; blank rejected. Returns <NA> for blank."""
    ids = ctx.text(canon)
    blank = ids == ""
    ctx.reject(blank, canon, R_BLANK)
    return ids.mask(blank)


def _reject_duplicates(ctx: _Ctx, ids: pd.Series, canon: str, reason: str) -> None:
    """Reject every row after the first with the same (non-blank) id."""
    dup = ids.notna() & ids.duplicated(keep="first")
    ctx.reject(dup, canon, reason)


def _required_bool(ctx: _Ctx, canon: str) -> pd.Series:
    value, invalid = parse_bool(ctx.text(canon))
    ctx.reject(ctx.text(canon) == "", canon, R_BLANK)
    ctx.reject(invalid, canon, R_NOT_RECOGNISED)
    return value


def _equality_core(ctx: _Ctx, out: dict[str, pd.Series], ethnic_group: bool) -> None:
    """Ethnicity, sex and disability group. Spec: methodology §3.1, §4.2, §7.1, §7.2."""
    british = ctx.settings.epg.british_local_codes_white_british
    r_group = ctx.settings.epg.code_R_group

    def ethnic(uniq: pd.Series) -> tuple[pd.Series, ...]:
        # the code, then its WRES and high-level groups, all from the distinct cells
        codes, invalid = normalise_ethnic_code(uniq, british)
        known = codes.astype("string").fillna("")
        wres = wres_group(known).astype("string")
        if not ethnic_group:
            return codes, invalid, wres
        return codes, invalid, wres, high_level_group(known, r_group).astype("string")

    codes, invalid, wres, *high = _on_uniques(ethnic, ctx.text("ethnic_category"))
    ctx.unknown(invalid, "ethnic_category")
    out["ethnic_code"] = codes.astype("string")
    out["ethnic_wres"] = _categorical(wres, WRES_GROUPS)
    if ethnic_group:
        out["ethnic_group"] = _categorical(high[0], HIGH_LEVEL_GROUPS)
    out["sex"] = _sex(ctx)
    disability = _disability(ctx)
    groups = _on_uniques(disability_group, disability).astype("string")
    out["disability_group"] = _categorical(groups, DISABILITY_GROUPS)
    out["_disability"] = disability


_SEX_UNKNOWN_WORDS = frozenset(
    {"unknown", "indeterminate", "notknown", "notstated", "unspecified", "u", "i"}
)


def _sex(ctx: _Ctx) -> pd.Series:
    """Male/Female (M/F); recognised 'unknown' words are Unknown without a quarantine entry,
    anything else is Unknown and listed. Spec: methodology §0.4, §7.2."""

    def one(uniq: pd.Series) -> tuple[pd.Series, pd.Series]:
        sex, invalid = normalise_sex(uniq)
        words = [re.sub(r"[^0-9a-z]", "", u.casefold()) for u in uniq.tolist()]
        listed = invalid & ~pd.Series([w in _SEX_UNKNOWN_WORDS for w in words], dtype=bool)
        return sex.astype("string"), listed

    sex, listed = _on_uniques(one, ctx.text("sex"))
    ctx.unknown(listed, "sex")
    return _categorical(sex, SEXES)


_DISABILITY_ALIASES = esr_values.DISABILITY_FORMS


def _disability(ctx: _Ctx) -> pd.Series:
    value, invalid = _coded(ctx.text("disability"), DISABILITY_VALUES, _DISABILITY_ALIASES)
    ctx.unknown(invalid, "disability")
    return value.astype("string")


# --- workforce ----------------------------------------------------------------------------------

_SEXUAL_ORIENTATION_ALIASES = esr_values.SEXUAL_ORIENTATION_FORMS
_RELIGION_ALIASES = esr_values.RELIGION_FORMS
_MARITAL_ALIASES = esr_values.MARITAL_FORMS
_GENDER_REASSIGNMENT_ALIASES = esr_values.GENDER_REASSIGNMENT_FORMS
_CONTRACT_ALIASES = esr_values.CONTRACT_FORMS
_FREQUENCY_ALIASES = {
    "Month": "monthly",
    "Calendar Monthly": "monthly",
    "Week": "weekly",
    "Fortnight": "fortnightly",
    "2-weekly": "fortnightly",
    "Two weekly": "fortnightly",
    "Four weekly": "4-weekly",
    "Lunar": "4-weekly",
    "4 weekly": "4-weekly",
}


def _workforce_staff_id(ctx: _Ctx) -> pd.Series:
    """staff_id, or the part of an ESR Assignment Number (``12345678-2``) before the hyphen."""
    if ctx.has("staff_id"):
        return _id_column(ctx, "staff_id")
    ids = ctx.text("assignment_number").str.replace(r"-[^-]*$", "", regex=True).str.strip()
    blank = ids == ""
    ctx.reject(blank, "assignment_number", R_BLANK)
    return ids.mask(blank)


def _money(ctx: _Ctx, canon: str, required: bool, default: float | None) -> pd.Series:
    """£ amounts: blank -> ``default`` (or rejected when required); not a number or
    negative -> rejected."""
    value, blank, invalid = parse_number(ctx.text(canon))
    if required:
        ctx.reject(blank, canon, R_BLANK)
    ctx.reject(invalid, canon, R_NUMBER)
    ctx.reject(value < 0, canon, R_NEGATIVE)
    if default is not None:
        value = value.mask(blank, default)
    return value


def _workforce_age(ctx: _Ctx) -> pd.Series:
    """Age in whole years: the ``age`` cell where usable, else computed from
    ``date_of_birth`` at the snapshot date. Unusable values are set unknown (listed)."""
    age = pd.Series(pd.NA, index=ctx.index, dtype="Int64")
    if ctx.has("age"):
        value, _, invalid = parse_number(ctx.text("age"))
        whole = np.floor(value)
        bad = invalid | (whole < AGE_MIN) | (whole > AGE_MAX)
        ctx.unknown(bad, "age", U_AGE)
        age = whole.where(~bad).astype("Int64")
    if ctx.has("date_of_birth"):
        snap = ctx.settings.snapshot_date(ctx.year)
        need = age.isna()
        dob, invalid = parse_date(ctx.text("date_of_birth"))
        computed = age_at(dob, snap)
        bad = (invalid | (computed < AGE_MIN) | (computed > AGE_MAX)).fillna(False)
        ctx.unknown(bad & need, "date_of_birth", U_DOB)
        use = need & computed.notna() & ~bad
        age = age.mask(use, computed)
        if use.any():
            ctx.notes.append(
                f"workforce: age computed from date of birth at {snap:%d %B %Y} for"
                f" {int(use.sum())} row(s)"
            )
    return age.astype("Int64")


def _gender_reassignment(ctx: _Ctx) -> pd.Series:
    """``gender_reassignment``, or the ESR column "Gender Identity Same As Birth" inverted
    (No -> Yes, Yes -> No)."""
    if ctx.has("gender_reassignment") or not ctx.has("gender_identity_same_as_birth"):
        value, invalid = _coded(
            ctx.text("gender_reassignment"),
            GENDER_REASSIGNMENT_VALUES,
            _GENDER_REASSIGNMENT_ALIASES,
        )
        ctx.unknown(invalid, "gender_reassignment")
        return value.astype("string")
    same, invalid = _coded(
        ctx.text("gender_identity_same_as_birth"),
        GENDER_REASSIGNMENT_VALUES,
        _GENDER_REASSIGNMENT_ALIASES,
    )
    ctx.unknown(invalid, "gender_identity_same_as_birth")
    inverted = same.map({"Yes": "No", "No": "Yes"}).astype("string")
    return inverted.where(same.isin(["Yes", "No"]).fillna(False), same).astype("string")


def _workforce_equality(ctx: _Ctx, out: dict[str, pd.Series]) -> None:
    """Equality columns of the workforce. Spec: methodology §7.1-§7.2, §10."""
    _equality_core(ctx, out, ethnic_group=True)
    out["disability"] = out.pop("_disability")
    out["age"] = _workforce_age(ctx)
    out["age_band"] = age_band(out["age"])
    so, invalid = _coded(
        ctx.text("sexual_orientation"), SEXUAL_ORIENTATION_VALUES, _SEXUAL_ORIENTATION_ALIASES
    )
    ctx.unknown(invalid, "sexual_orientation")
    out["sexual_orientation"] = so.astype("string")
    so_groups = _on_uniques(sexual_orientation_group, so).astype("string")
    out["sexual_orientation_group"] = _categorical(so_groups, SEXUAL_ORIENTATION_GROUPS)
    rb, invalid = _coded(ctx.text("religion_belief"), RELIGION_VALUES, _RELIGION_ALIASES)
    ctx.unknown(invalid, "religion_belief")
    out["religion_belief"] = rb.astype("string")
    ms, invalid = _coded(ctx.text("marital_status"), MARITAL_VALUES, _MARITAL_ALIASES)
    ctx.unknown(invalid, "marital_status")
    out["marital_status"] = ms.astype("string")
    out["gender_reassignment"] = _gender_reassignment(ctx)
    mat, invalid = parse_bool(ctx.text("on_maternity_leave"))
    ctx.unknown(invalid, "on_maternity_leave")
    out["on_maternity_leave"] = mat


def _workforce_job(ctx: _Ctx, out: dict[str, pd.Series]) -> None:
    """Staff group, band, contract, hours and pay. Spec: data contract §2.1,
    methodology §1.3-§1.6, §7.3-§7.5."""
    for canon, func, cats in (
        ("staff_group", normalise_staff_group, list(STAFF_GROUPS)),
        ("pay_band", normalise_pay_band, list(PAY_BANDS)),
    ):
        # Kept as unknown, never rejected: the pay gaps do not need the band or staff group,
        # so an unrecognised or blank one must not drop the person from them.
        text = ctx.text(canon)
        value, invalid = _on_uniques(func, text)
        ctx.unknown(text == "", canon, U_BLANK)
        ctx.unknown(invalid, canon)
        out[canon] = _categorical(value, cats)
    out["clinical"] = is_clinical(out["staff_group"].astype("string"))
    dirn = ctx.text("directorate")
    out["directorate"] = dirn.mask(dirn == "")
    contract, invalid = _coded(ctx.text("contract_type"), CONTRACT_TYPES, _CONTRACT_ALIASES)
    ctx.reject(invalid, "contract_type", R_NOT_RECOGNISED)
    out["contract_type"] = _categorical(contract.fillna("Permanent"), CONTRACT_TYPES)
    hours, blank, invalid = parse_number(ctx.text("contracted_hours"))
    ctx.reject(blank, "contracted_hours", R_BLANK)
    ctx.reject(invalid, "contracted_hours", R_NUMBER)
    ctx.reject((hours <= 0) | (hours > 168), "contracted_hours", R_HOURS)
    out["contracted_hours"] = hours
    freq, invalid = _coded(ctx.text("pay_frequency"), PAY_FREQUENCIES, _FREQUENCY_ALIASES)
    ctx.reject(invalid, "pay_frequency", R_NOT_RECOGNISED)
    out["pay_frequency"] = _categorical(freq.fillna("monthly"), PAY_FREQUENCIES)
    out["ordinary_pay"] = _money(ctx, "ordinary_pay", required=True, default=None)
    out["bonus_pay_in_period"] = _money(ctx, "bonus_pay_in_period", False, 0.0)
    days, _, invalid = parse_number(ctx.text("bonus_period_days"))
    ctx.reject(invalid | (days <= 0), "bonus_period_days", R_NUMBER)
    out["bonus_period_days"] = days
    out["bonus_pay_12m"] = _money(ctx, "bonus_pay_12m", False, 0.0)
    full, invalid = parse_bool(ctx.text("full_pay"))
    ctx.reject(invalid, "full_pay", R_NOT_RECOGNISED)
    out["full_pay"] = full.fillna(True).astype("boolean")
    out["hourly_rate_given"] = _money(ctx, "hourly_rate", False, None)


def _primary_assignments(ctx: _Ctx, staff_id: pd.Series, hours: pd.Series) -> None:
    """Keep one row per person: the primary assignment.

    Rule (applied to the rows not already rejected): the row flagged primary (a
    ``primary_assignment`` column with Y) first; otherwise the row with the largest
    contracted hours; ties go to the lowest row number. Nothing is summed. The other rows
    are rejected with reason "secondary assignment; primary kept".
    """
    live = ~ctx.issues.rejected & staff_id.notna()
    dup = live & staff_id.where(live).duplicated(keep=False)
    if not dup.any():
        return
    primary, _ = parse_bool(ctx.text("primary_assignment"))
    rows = ctx.issues.rows
    sub = pd.DataFrame(
        {
            "id": staff_id[dup],
            "primary": primary[dup].fillna(False).astype(bool),
            "hours": hours[dup],
            "row": rows[dup],
        }
    ).sort_values(["id", "primary", "hours", "row"], ascending=[True, False, False, True])
    secondary = sub.duplicated("id", keep="first")
    mask = pd.Series(False, index=ctx.index)
    mask[sub.index[secondary.to_numpy()]] = True
    column = "staff_id" if ctx.has("staff_id") else "assignment_number"
    ctx.reject(mask, column, R_SECONDARY)
    ctx.notes.append(
        f"workforce: {sub['id'].nunique()} people had several assignments or rows"
        f" ({int(secondary.sum())} extra row(s)); kept the primary one (flagged primary, else"
        " the largest contracted hours, ties the first row) and listed the others in"
        " quarantine"
    )


def _clean_workforce(ctx: _Ctx) -> pd.DataFrame:
    """Spec: data contract §2.1."""
    out: dict[str, pd.Series] = {"staff_id": _workforce_staff_id(ctx)}
    _workforce_equality(ctx, out)
    _workforce_job(ctx, out)
    _primary_assignments(ctx, out["staff_id"], out["contracted_hours"])
    used = ~ctx.issues.rejected
    over = used & (out["contracted_hours"] > IMPLAUSIBLE_HOURS)
    if over.any():
        ctx.notes.append(
            f"workforce: {int(over.sum())} row(s) have contracted hours over"
            f" {IMPLAUSIBLE_HOURS:.0f} a week (implausible; kept)"
        )
    return _assemble(ctx, out, schema.WORKFORCE)


# --- the other files ------------------------------------------------------------------------


def _clean_recruitment(ctx: _Ctx) -> pd.DataFrame:
    """Spec: data contract §2.2 (appointed but not shortlisted is quarantined)."""
    ids = _id_column(ctx, "application_id")
    _reject_duplicates(ctx, ids, "application_id", R_DUPLICATE)
    out: dict[str, pd.Series] = {"application_id": ids}
    _equality_core(ctx, out, ethnic_group=False)
    out["shortlisted"] = _required_bool(ctx, "shortlisted")
    out["appointed"] = _required_bool(ctx, "appointed")
    bad = (out["appointed"] & ~out["shortlisted"]).fillna(False).astype(bool)
    ctx.reject(bad, "appointed", R_NOT_SHORTLISTED)
    band, invalid = _on_uniques(normalise_pay_band, ctx.text("post_band"))
    ctx.unknown(invalid, "post_band")
    out["post_band"] = band.astype("string")
    return _assemble(ctx, out, schema.RECRUITMENT)


def _financial_year_date(ctx: _Ctx, canon: str) -> pd.Series:
    """A required date that must fall in the financial year 1 April YEAR-1 to 31 March YEAR
    (data contract §1)."""
    text = ctx.text(canon)
    value, invalid = parse_date(text)
    ctx.reject(text == "", canon, R_BLANK)
    ctx.reject(invalid, canon, R_DATE)
    start = pd.Timestamp(ctx.year - 1, 4, 1)
    end = pd.Timestamp(ctx.year, 3, 31, 23, 59, 59)
    outside = value.notna() & ((value < start) | (value > end))
    ctx.reject(outside, canon, fy_reason(ctx.year))
    return value


def _clean_casework(ctx: _Ctx) -> pd.DataFrame:
    """Spec: data contract §2.3; methodology §3.2 (wres.3), §4.3 (wdes.3)."""
    ids = _id_column(ctx, "case_id")
    _reject_duplicates(ctx, ids, "case_id", R_DUPLICATE)
    out: dict[str, pd.Series] = {"case_id": ids}
    staff = ctx.text("staff_id")
    out["staff_id"] = staff.mask(staff == "")
    aliases = {
        "Formal disciplinary": "disciplinary",
        "Disciplinary investigation": "disciplinary",
        "Formal capability": "capability",
    }
    process, _ = _coded(ctx.text("process"), PROCESSES, aliases)
    ctx.reject(process.isna(), "process", R_PROCESS)
    out["process"] = _categorical(process, PROCESSES)
    out["start_date"] = _financial_year_date(ctx, "start_date")
    _equality_core(ctx, out, ethnic_group=False)
    return _assemble(ctx, out, schema.CASEWORK)


def _clean_training(ctx: _Ctx, workforce_ids: pd.Series) -> pd.DataFrame:
    """Spec: data contract §2.4; methodology §3.2 (wres.4: non-mandatory training)."""
    ids = _id_column(ctx, "staff_id")
    ctx.reject(ids.notna() & ~ids.isin(workforce_ids), "staff_id", R_NOT_IN_WORKFORCE)
    course = ctx.text("course")
    out: dict[str, pd.Series] = {"staff_id": ids, "course": course.mask(course == "")}
    out["start_date"] = _financial_year_date(ctx, "start_date")
    mandatory, invalid = parse_bool(ctx.text("mandatory"))
    ctx.reject(invalid, "mandatory", R_NOT_RECOGNISED)
    ctx.reject(mandatory.fillna(False).astype(bool), "mandatory", R_MANDATORY)
    return _assemble(ctx, out, schema.TRAINING)


def _clean_staff_survey(ctx: _Ctx) -> pd.DataFrame:
    """Spec: data contract §2.5; methodology §3.2 (wres.5-8), §4.3 (wdes.4a-9a)."""
    question, _ = _coded(ctx.text("question"), SURVEY_QUESTIONS)
    ctx.reject(question.isna(), "question", R_QUESTION)
    item = ctx.text("item").str.casefold()
    group, _ = _coded(
        ctx.text("group"),
        SURVEY_GROUPS,
        {
            "BAME": "BME",
            "Black and minority ethnic": "BME",
            "Non disabled": "Non-disabled",
            "Not disabled": "Non-disabled",
            "Overall": "All",
            "Organisation": "All",
            "Trust": "All",
        },
    )
    ctx.reject(ctx.text("group") == "", "group", R_BLANK)
    ctx.reject(group.isna() & (ctx.text("group") != ""), "group", R_NOT_RECOGNISED)
    pct, blank, invalid = parse_number(ctx.text("percent"))
    ctx.reject(blank, "percent", R_BLANK)
    ctx.reject(invalid, "percent", R_NUMBER)
    is_score = question.isin(SCORE_QUESTIONS).fillna(False).astype(bool)
    ctx.reject(is_score & ((pct < 0) | (pct > 10)), "percent", R_SCORE)
    ctx.reject(~is_score & ((pct < 0) | (pct > 100)), "percent", R_PERCENT)
    resp, blank, invalid = parse_number(ctx.text("responses"))
    ctx.reject(blank, "responses", R_BLANK)
    fraction = resp.notna() & (resp != np.floor(resp))
    ctx.reject(invalid | (resp < 0) | fraction, "responses", R_NUMBER)
    out: dict[str, pd.Series] = {
        "question": question,
        "item": item.mask(item == ""),
        "group": group,
        "percent": pct,
        "responses": resp.where(np.isfinite(resp) & (resp == np.floor(resp))).astype("Int64"),
    }
    live = ~ctx.issues.rejected
    key = pd.DataFrame({"q": question, "i": out["item"], "g": group})[live.to_numpy()]
    dup = pd.Series(False, index=ctx.index)
    dup[key.index[key.duplicated(keep="first").to_numpy()]] = True
    ctx.reject(dup, "question", R_DUPLICATE_SURVEY)
    return _assemble(ctx, out, schema.STAFF_SURVEY)


def _clean_board(ctx: _Ctx) -> pd.DataFrame:
    """Spec: data contract §2.6; methodology §3.2 (wres.9), §4.3 (wdes.10)."""
    ids = _id_column(ctx, "member_id")
    _reject_duplicates(ctx, ids, "member_id", R_DUPLICATE)
    out: dict[str, pd.Series] = {"member_id": ids}
    out["voting"] = _required_bool(ctx, "voting")
    out["executive"] = _required_bool(ctx, "executive")
    _equality_core(ctx, out, ethnic_group=False)
    return _assemble(ctx, out, schema.BOARD)


# --- assembly -----------------------------------------------------------------------------------

_CATEGORIES: dict[str, tuple[str, ...] | list[str]] = {
    "ethnic_wres": WRES_GROUPS,
    "ethnic_group": HIGH_LEVEL_GROUPS,
    "sex": SEXES,
    "age_band": (*AGE_BANDS, UNKNOWN),
    "disability_group": DISABILITY_GROUPS,
    "sexual_orientation_group": SEXUAL_ORIENTATION_GROUPS,
    "staff_group": list(STAFF_GROUPS),
    "pay_band": PAY_BANDS,
    "contract_type": CONTRACT_TYPES,
    "pay_frequency": PAY_FREQUENCIES,
    "process": PROCESSES,
}


def conform(frame: pd.DataFrame, table: dict[str, tuple[str, str]]) -> pd.DataFrame:
    """Order and cast columns to a :mod:`schema` table (categories fixed per column)."""
    out = {}
    for col, (dtype, _) in table.items():
        s = frame[col]
        if dtype == "category":
            cats = _CATEGORIES.get(col)
            already = isinstance(s.dtype, pd.CategoricalDtype) and cats is not None
            if already and list(s.cat.categories) == list(cats):
                pass
            elif cats is not None:
                s = _categorical(s.astype("string"), cats)
            else:
                s = s.astype("category")
        elif dtype == "datetime64[ns]":
            s = pd.to_datetime(s).astype("datetime64[ns]")
        else:
            s = s.astype(dtype)
        out[col] = s.reset_index(drop=True)
    return pd.DataFrame(out)


def _assemble(
    ctx: _Ctx, out: dict[str, pd.Series], table: dict[str, tuple[str, str]]
) -> pd.DataFrame:
    keep = ~ctx.issues.rejected
    frame = pd.DataFrame({"row": ctx.issues.rows, **out}, index=ctx.index)
    return conform(frame[keep.to_numpy()], table)


# --- entry points -------------------------------------------------------------------------------

_CLEANERS: dict[str, Callable[[_Ctx], pd.DataFrame]] = {
    "workforce": _clean_workforce,
    "recruitment": _clean_recruitment,
    "casework": _clean_casework,
    "staff_survey": _clean_staff_survey,
    "board": _clean_board,
}


def _clean_file(
    stem: str,
    path: Path,
    year: int,
    settings: Settings,
    workforce_ids: pd.Series | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, Any], list[str], dict[str, Any]]:
    """Read and clean one file. Returns table, quarantine, reconciliation row, notes and
    the column record (:func:`edi_reports.intake.audit.column_record`)."""
    raw = read_table(path, settings.limits)
    headers = map_headers(list(raw.columns), stem, str(path))
    notes: list[str] = []
    rows = (raw.index.to_series() + 1).astype("int64")
    ctx = _Ctx(stem, path.name, raw, headers, year, settings, _Issues(path.name, rows), notes)
    _strip_non_data(ctx)
    nonblank = {h: int((ctx.text(c) != "").sum()) for c, h in headers.items()}
    record = intake_audit.column_record(
        stem, path.name, [str(c) for c in raw.columns], headers, ALIASES[stem], nonblank
    )
    rows_in = len(ctx.raw)
    if stem == "workforce" and rows_in == 0:
        raise InputError(
            str(path),
            "the file has a header but no data rows",
            fix="Export the staff in post on the snapshot date again.",
        )
    if stem == "training":
        table = _clean_training(ctx, workforce_ids if workforce_ids is not None else pd.Series())
    else:
        table = _CLEANERS[stem](ctx)
    quarantine = ctx.issues.frame()
    rejected = int(ctx.issues.rejected.sum())
    recon = {
        "file": path.name,
        "rows_in": rows_in,
        "rows_used": len(table),
        "rows_rejected": rejected,
        "values_set_unknown": int((quarantine["action"] == SET_UNKNOWN).sum()),
    }
    if recon["rows_in"] != recon["rows_used"] + recon["rows_rejected"]:
        raise AssertionError(f"reconciliation failed for {path.name}: {recon}")
    return table, quarantine, recon, notes, record


def load_inputs(folder: Path, year: int, settings: Settings = DEFAULT_SETTINGS) -> IntakeResult:
    """Read and clean every input file of one organisation and year.

    Spec: data contract §2 (inputs; row-level problems quarantined, file-level problems
    stop the build) and §3 (quarantine); methodology §7 (classifications).

    Parameters
    ----------
    folder
        ``data/raw/<ORG>/<YEAR>/``.
    year
        The snapshot year (snapshot 31 March ``year``; financial year from 1 April
        ``year - 1``).
    settings
        Uses ``snapshot_date`` (age from date of birth) and ``epg.code_R_group``.

    Returns
    -------
    IntakeResult

    Raises
    ------
    InputError
        Folder or workforce file missing; a file-level problem in any file.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise InputError(
            str(folder),
            "the input folder does not exist",
            fix="Put the input files in data/raw/<ORG>/<YEAR>/ or pass --raw-dir.",
        )
    found = {stem: find_input(folder, stem) for stem in schema.INPUT_FILES}
    if found["workforce"] is None:
        raise InputError(
            str(folder / "workforce.csv"),
            "the required workforce file is missing",
            fix="Add workforce.csv or workforce.xlsx (staff in post on the snapshot date).",
        )
    tables: dict[str, pd.DataFrame] = {}
    quarantines: list[pd.DataFrame] = []
    recons: list[dict[str, Any]] = []
    notes: list[str] = []
    sources: dict[str, str] = {}
    columns: list[dict[str, Any]] = []
    for stem in schema.INPUT_FILES:
        path = found[stem]
        if path is None:
            continue
        ids = tables["workforce"]["staff_id"] if stem == "training" else None
        table, quarantine, recon, file_notes, record = _clean_file(stem, path, year, settings, ids)
        columns.append(record)
        tables[stem] = table
        quarantines.append(quarantine)
        recons.append(recon)
        notes.extend(file_notes)
        sources[stem] = str(path)
    quarantine = pd.concat(quarantines, ignore_index=True) if quarantines else _empty_quarantine()
    quarantine = quarantine.astype(
        {
            "file": "string",
            "row": "int64",
            "column": "string",
            "reason": "string",
            "action": "string",
            "value": "string",
        }
    )
    reconciliation = pd.DataFrame(recons, columns=list(RECONCILIATION_COLUMNS))
    extract = esr_extract.read_gpg_extract(folder)
    if extract is not None:
        hourly = esr_extract.compare_with_extract(tables["workforce"], extract)
        sources[esr_extract.STEM] = str(find_input(folder, esr_extract.STEM))
    else:
        hourly = intake_audit.hourly_rate_check(tables["workforce"])
    return IntakeResult(tables, quarantine, reconciliation, sources, notes, columns, hourly)


def write_processed(result: IntakeResult, out_dir: Path) -> None:
    """Write ``<stem>.parquet`` per table, ``quarantine.csv`` and ``reconciliation.csv``.

    Spec: data contract §3 (internal outputs, never published). Also
    ``intake_audit.json``: the columns found, ignored and missing per file.
    """
    from edi_reports import store

    store.write_tables(out_dir, result.tables)
    store.write_quarantine(out_dir, result.quarantine)
    store.write_reconciliation(out_dir, result.reconciliation)
    intake_audit.write_audit(result.columns, out_dir, result.hourly_check)


ORGANISATION_COLUMNS: tuple[str, ...] = ("org_code", "name", "type", "region")


def load_organisations(raw_dir: Path) -> pd.DataFrame:
    """``organisations.csv`` (or ``.xlsx``) under the raw folder: ``org_code, name, type,
    region``; an empty frame when absent.

    Spec: data contract §2 (an ORG with no row is built with its code as its name).
    Codes are upper-cased; a blank name becomes the code; blank lines are skipped.

    Raises
    ------
    InputError
        No ``org_code`` column, or the same code on several rows.
    """
    path = find_input(Path(raw_dir), "organisations")
    if path is None:
        return pd.DataFrame({c: pd.Series(dtype="string") for c in ORGANISATION_COLUMNS})
    raw = read_table(path)
    headers = map_headers(list(raw.columns), "organisations", str(path))
    out = {}
    for col in ORGANISATION_COLUMNS:
        text = _strip(raw[headers[col]]) if col in headers else pd.Series("", index=raw.index)
        out[col] = text.astype("string")
    frame = pd.DataFrame(out)
    frame["org_code"] = frame["org_code"].str.upper()
    frame = frame[frame["org_code"] != ""]
    _check_org_codes(frame["org_code"], path, headers["org_code"])
    frame["name"] = frame["name"].mask(frame["name"] == "", frame["org_code"])
    for col in ("type", "region"):
        frame[col] = frame[col].mask(frame[col] == "")
    dup = frame["org_code"].duplicated(keep=False)
    if dup.any():
        raise InputError(
            str(path),
            "the same organisation code appears on several rows",
            fix="Keep one row per org_code.",
            column=headers["org_code"],
            rows=[int(i) + 1 for i in frame.index[dup]],
        )
    return frame.reset_index(drop=True)


def _check_org_codes(codes: pd.Series, path: Path, column: str) -> None:
    """Every code of ``organisations.csv`` follows the rule of :mod:`edi_reports.codes`."""
    from edi_reports.codes import ORG_CODE_RULE, is_org_code

    bad = ~codes.map(is_org_code).astype(bool)
    if bad.any():
        raise InputError(
            str(path),
            f"not an organisation code ({ORG_CODE_RULE})",
            fix="Write each organisation's ODS code in org_code.",
            column=column,
            rows=[int(i) + 1 for i in codes.index[bad]],
        )
