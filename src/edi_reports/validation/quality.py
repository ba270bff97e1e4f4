"""Data-quality validation of the cleaned tables with Great Expectations (GX Core 1.x).

Spec: architecture §1 (validate stage: a critical failure stops the build, nothing is
published) and §3 (GX facts); data contract §2 (what each input holds) and §3
(``validation.json``).

The checks live in ``expectations/<table>.<severity>.json``, one small JSON file per cleaned
table and severity, readable and editable by analysts::

    {"table": "workforce", "severity": "critical", "description": "...",
     "expectations": [
       {"type": "expect_column_values_to_not_be_null",
        "kwargs": {"column": "staff_id"},
        "meta": {"why": "plain-English rule", "fix": "what to do"}}]}

- ``critical`` checks guard the invariants the measures rely on (invalid values: stop);
  ``warning`` checks flag implausible values (listed in the report's data-quality
  appendix; the build goes on), as Logib separates invalid from implausible.
- ``kwargs`` may name a parameter as ``{"$PARAMETER": "name"}`` (GX's own syntax). The
  parameters are the value lists of :mod:`edi_reports.intake.classifications` and a few
  year-dependent limits (:func:`suite_parameters`); a check whose parameter is not available
  (no ``year`` given) is skipped.
- ``meta.column_label`` (optional) names the input columns behind a derived column;
  ``meta.show_rows: false`` (optional) leaves row numbers out of share checks.

The cleaned tables get a few derived columns before validation
(:func:`add_derived_columns`), so cross-column rules are plain column checks.

GX is imported lazily inside functions, so ``import edi_reports.validation.quality`` is cheap; its
usage analytics are switched off here, before any GX import. Results never carry data
values: only row numbers (the 1-based input row in each cleaned table's ``row`` column),
counts and shares.
"""

from __future__ import annotations

import copy
import functools
import json
import os
import threading
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from edi_reports import config, lazy_imports
from edi_reports.errors import InputError, ValidationFailed
from edi_reports.intake import classifications as cl

# before any Great Expectations import: what it loads but our suites never use
lazy_imports.defer(*lazy_imports.GX_UNUSED)

if TYPE_CHECKING:  # pragma: no cover
    from great_expectations.core.expectation_suite import ExpectationSuite

os.environ["GX_ANALYTICS_ENABLED"] = "false"

SEVERITIES: tuple[str, ...] = ("critical", "warning")
MAX_ROWS_LISTED = 20
SCHEMA_VERSION = 1
ROW_COLUMN = "row"
#: GX result format of the first run over a table (:func:`_validate_table`).
FIRST_RUN_FORMAT = "BASIC"


# National Living Wage (£ an hour) in force on 31 March YEAR, i.e. the rate from April of
# YEAR - 1: the floor of the implausibly-low-hourly-pay warning.
NATIONAL_LIVING_WAGE: dict[int, float] = {
    2018: 7.50,
    2019: 7.83,
    2020: 8.21,
    2021: 8.72,
    2022: 8.91,
    2023: 9.50,
    2024: 10.42,
    2025: 11.44,
    2026: 12.21,
    2027: 12.71,
}


# --------------------------------------------------------------------------- results


@dataclass
class CheckResult:
    """The outcome of one expectation on one cleaned table.

    Attributes
    ----------
    table
        Cleaned table (the input file's stem), e.g. ``workforce``.
    severity
        ``critical`` (a failure stops the build) or ``warning``.
    expectation
        GX expectation type, e.g. ``expect_column_values_to_be_between``.
    column
        Column checked (for a derived column, the input columns behind it), or None for a
        table-level check.
    success
        True when the check passed.
    unexpected_count
        Number of rows that broke the rule (0 for table-level checks).
    unexpected_rows
        The first :data:`MAX_ROWS_LISTED` 1-based input row numbers that broke it (empty for
        share checks and table-level checks). Never data values.
    description
        Plain-English rule (``meta.why``).
    fix
        What to do (``meta.fix``).
    unexpected_percent
        Share of non-blank rows that broke the rule, in %, when GX reports it.
    error
        Why the check could not run (e.g. a missing column); empty when it ran.
    """

    table: str
    severity: str
    expectation: str
    column: str | None
    success: bool
    unexpected_count: int = 0
    unexpected_rows: list[int] = field(default_factory=list)
    description: str = ""
    fix: str = ""
    unexpected_percent: float | None = None
    error: str = ""

    def location(self) -> str:
        """``workforce file, column 'x', row(s) 3, 7 and 2 more`` (row numbers, no values)."""
        where = f"{self.table} file"
        if self.column:
            label = "columns" if "," in self.column else "column"
            where += f", {label} '{self.column}'"
        if self.unexpected_rows:
            shown = ", ".join(str(r) for r in self.unexpected_rows)
            more = self.unexpected_count - len(self.unexpected_rows)
            where += f", row(s) {shown}" + (f" and {more} more" if more > 0 else "")
        elif self.unexpected_count and self.unexpected_percent is not None:
            where += f" ({self.unexpected_count} rows, {self.unexpected_percent:.1f} %)"
        return where


@dataclass
class ValidationReport:
    """All check outcomes of one validation run (written to ``validation.json``)."""

    results: list[CheckResult] = field(default_factory=list)

    @property
    def critical_failures(self) -> list[CheckResult]:
        """Failed critical checks: any one stops the build."""
        return [r for r in self.results if r.severity == "critical" and not r.success]

    @property
    def warnings(self) -> list[CheckResult]:
        """Failed warning checks (implausible values; the build goes on)."""
        return [r for r in self.results if r.severity == "warning" and not r.success]

    @property
    def passed(self) -> bool:
        """True when no critical check failed."""
        return not self.critical_failures

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict: counts and every result."""
        return {
            "schema_version": SCHEMA_VERSION,
            "passed": self.passed,
            "checks": len(self.results),
            "critical_failures": len(self.critical_failures),
            "warnings": len(self.warnings),
            "results": [asdict(r) for r in self.results],
        }

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> ValidationReport:
        """Rebuild a report from :meth:`to_json` output (unknown keys are ignored)."""
        known = {f.name for f in fields(CheckResult)}
        results = []
        for item in d.get("results", []):
            kwargs = {k: v for k, v in item.items() if k in known}
            kwargs["unexpected_rows"] = [int(x) for x in kwargs.get("unexpected_rows", [])]
            results.append(CheckResult(**kwargs))
        return cls(results=results)

    def message(self, include_warnings: bool = True) -> str:
        """Plain multi-line message for the command line.

        Names the file (table), column and failing row numbers of each failed check, and how
        to fix it; never data values. Critical failures first, then warnings.
        """
        lines: list[str] = []
        crit = self.critical_failures
        if crit:
            lines.append(
                f"Data-quality checks found {len(crit)} critical problem(s); "
                "the build stopped and nothing was published."
            )
            lines.extend(_numbered(crit))
        else:
            lines.append("All critical data-quality checks passed.")
        if include_warnings and self.warnings:
            lines.append("")
            lines.append(
                f"{len(self.warnings)} warning(s) about implausible values "
                "(the build can go on; please check them):"
            )
            lines.extend(_numbered(self.warnings))
        return "\n".join(lines)

    def raise_for_critical(self) -> None:
        """Raise :class:`~edi_reports.errors.ValidationFailed` if a critical check failed."""
        if self.critical_failures:
            raise ValidationFailed(self.message())

    def summary_frame(self) -> pd.DataFrame:
        """One row per check for the report's data-quality appendix.

        Columns: ``table``, ``severity``, ``check`` (plain English), ``column``,
        ``result`` (``passed``/``failed``) and ``rows_affected``.
        """
        return pd.DataFrame(
            {
                "table": [r.table for r in self.results],
                "severity": [r.severity for r in self.results],
                "check": [r.description for r in self.results],
                "column": [r.column or "" for r in self.results],
                "result": ["passed" if r.success else "failed" for r in self.results],
                "rows_affected": pd.array(
                    [r.unexpected_count for r in self.results], dtype="Int64"
                ),
            },
            columns=["table", "severity", "check", "column", "result", "rows_affected"],
        )


def _numbered(results: list[CheckResult]) -> list[str]:
    """``1. <where>: <rule>`` plus an indented ``How to fix`` line per result."""
    out = []
    for i, r in enumerate(results, start=1):
        text = f"{i}. {r.location()}: {r.description}"
        if r.error:
            text += f" (the check could not run: {r.error})"
        out.append(text)
        if r.fix:
            out.append(f"   How to fix: {r.fix}")
    return out


def write_validation(report: ValidationReport, path: Path) -> None:
    """Write ``validation.json`` (UTF-8, indented)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(report.to_json(), indent=2) + "\n", encoding="utf-8")


def read_validation(path: Path) -> ValidationReport:
    """Read a ``validation.json`` written by :func:`write_validation`."""
    return ValidationReport.from_json(json.loads(Path(path).read_text(encoding="utf-8")))


# --------------------------------------------------------------------------- suites


def load_suite_specs(
    expectations_dir: Path = config.EXPECTATIONS_DIR,
) -> dict[tuple[str, str], list[dict[str, Any]]]:
    """Read every ``<table>.<severity>.json`` suite file (no GX needed).

    Parameters
    ----------
    expectations_dir
        Folder holding the suite files.

    Returns
    -------
    dict
        ``(table, severity)`` -> list of ``{"type", "kwargs", "meta"}`` expectation specs.

    Raises
    ------
    InputError
        A suite file is not valid JSON or does not follow the format (named file, problem,
        fix).
    """
    specs: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for path in sorted(Path(expectations_dir).glob("*.json")):
        table, _, severity = path.stem.partition(".")
        fix = "Correct the suite file: see the format in the edi_reports.validation.quality docstring."
        if severity not in SEVERITIES:
            raise InputError(
                str(path), f"the file name must be <table>.<one of {SEVERITIES}>.json", fix
            )
        try:
            doc = json.loads(path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as exc:
            raise InputError(str(path), f"not valid JSON ({exc})", fix) from exc
        if doc.get("table", table) != table or doc.get("severity", severity) != severity:
            raise InputError(str(path), "'table'/'severity' do not match the file name", fix)
        exps = doc.get("expectations")
        if not isinstance(exps, list):
            raise InputError(str(path), "'expectations' must be a list", fix)
        for i, exp in enumerate(exps, start=1):
            if not isinstance(exp, dict) or not isinstance(exp.get("type"), str):
                raise InputError(str(path), f"expectation {i} has no 'type'", fix)
            if not isinstance(exp.get("kwargs", {}), dict):
                raise InputError(str(path), f"expectation {i}: 'kwargs' must be an object", fix)
            meta = exp.get("meta", {})
            if not (isinstance(meta, dict) and meta.get("why") and meta.get("fix")):
                raise InputError(
                    str(path), f"expectation {i} ({exp['type']}) needs meta.why and meta.fix", fix
                )
        specs[(table, severity)] = exps
    return specs


def parameters_used(kwargs: dict[str, Any]) -> set[str]:
    """Names of the ``{"$PARAMETER": name}`` values in an expectation's kwargs."""
    return {v["$PARAMETER"] for v in kwargs.values() if isinstance(v, dict) and "$PARAMETER" in v}


def minimum_hourly_wage(year: int) -> float | None:
    """National Living Wage in force on 31 March ``year`` (None before 2018).

    Years after the last known rate use the last known rate.
    """
    known = [y for y in NATIONAL_LIVING_WAGE if y <= year]
    return NATIONAL_LIVING_WAGE[max(known)] if known else None


def suite_parameters(
    year: int | None = None, settings: config.Settings | None = None
) -> dict[str, Any]:
    """Values for the ``$PARAMETER`` names used in the suites.

    Value lists come from :mod:`edi_reports.intake.classifications` (one source of truth); the
    year-dependent limits (``min_hourly_wage``, ``snapshot_date`` (its last moment),
    ``financial_year_start``) only when ``year`` is given.
    """
    settings = settings or config.DEFAULT_SETTINGS
    params: dict[str, Any] = {
        "sexes": list(cl.SEXES),
        "wres_groups": list(cl.WRES_GROUPS),
        "high_level_groups": list(cl.HIGH_LEVEL_GROUPS),
        "disability_groups": list(cl.DISABILITY_GROUPS),
        "sexual_orientation_groups": list(cl.SEXUAL_ORIENTATION_GROUPS),
        "age_bands": [*cl.AGE_BANDS, cl.UNKNOWN],
        "ethnic_codes": list(cl.NATIONAL_CODES),
        "disability_values": list(cl.DISABILITY_VALUES),
        "sexual_orientation_values": list(cl.SEXUAL_ORIENTATION_VALUES),
        "religion_values": list(cl.RELIGION_VALUES),
        "marital_values": list(cl.MARITAL_VALUES),
        "gender_reassignment_values": list(cl.GENDER_REASSIGNMENT_VALUES),
        "staff_groups": list(cl.STAFF_GROUPS),
        "pay_bands": list(cl.PAY_BANDS),
        "contract_types": list(cl.CONTRACT_TYPES),
        "pay_frequencies": list(cl.PAY_PERIOD_DAYS),
        "processes": list(cl.CASEWORK_PROCESSES),
        "survey_questions": list(cl.SURVEY_QUESTIONS),
        "survey_groups": list(cl.SURVEY_GROUPS),
        "survey_items": list(cl.SURVEY_ITEMS),
        "staff_survey_min": settings.disclosure.staff_survey_min,
    }
    if year is not None:
        snapshot = pd.Timestamp(settings.snapshot_date(year))
        day = pd.Timedelta(days=1)
        params["snapshot_date"] = snapshot + day - pd.Timedelta(microseconds=1)
        params["financial_year_start"] = snapshot - pd.DateOffset(years=1) + day
        wage = minimum_hourly_wage(year)
        if wage is not None:
            params["min_hourly_wage"] = wage
    return params


def build_suite(name: str, specs: list[dict[str, Any]]) -> ExpectationSuite:
    """A GX ``ExpectationSuite`` from expectation specs.

    Each expectation's GX ``meta`` is only ``edi_index`` (its position in ``specs``), so
    results can be matched back to their spec, whose own ``meta`` (rule, fix, labels) the
    messages use; GX validates a meta dict every time it rebuilds a configuration, dozens
    of times per check. Raises GX's error if a ``type`` is not a GX expectation.
    """
    from great_expectations.core.expectation_suite import ExpectationSuite
    from great_expectations.expectations.expectation_configuration import (
        ExpectationConfiguration,
    )

    expectations = []
    for i, spec in enumerate(specs):
        conf = ExpectationConfiguration(
            type=spec["type"], kwargs=copy.deepcopy(spec.get("kwargs", {})), meta={"edi_index": i}
        )
        expectations.append(conf.to_domain_obj())
    return ExpectationSuite(name=name, expectations=expectations)


# --------------------------------------------------------------------------- derived columns


def pay_period_days(pay_frequency: pd.Series) -> pd.Series:
    """Days in each row's pay period (methodology §1.6 step 2); NaN if unknown.

    Looks the days up once per category, then spreads them by category code.
    """
    freq = pay_frequency.astype("category")
    per_category = (
        pd.Series(freq.cat.categories.astype("string"))
        .map(cl.PAY_PERIOD_DAYS)
        .to_numpy(dtype="float64", na_value=np.nan)
    )
    lookup = np.append(per_category, np.nan)  # code -1 (missing) -> NaN
    return pd.Series(lookup[freq.cat.codes.to_numpy()], index=pay_frequency.index)


def hourly_pay_estimate(workforce: pd.DataFrame) -> pd.Series:
    """Hourly pay for the plausibility warnings.

    ``hourly_rate_given`` where present, else ``ordinary_pay × 7 / days_in_period /
    contracted_hours`` (methodology §1.6, bonus left out); NaN for rows not on full pay
    (paid reduced or nil because of leave) and where hours are not positive.
    """
    days = pay_period_days(workforce["pay_frequency"])
    hours = workforce["contracted_hours"].astype("float64")
    computed = workforce["ordinary_pay"].astype("float64") * 7.0 / days / hours.where(hours > 0)
    given = workforce["hourly_rate_given"].astype("float64")
    rate = given.where(given.notna(), computed)
    full = workforce["full_pay"].astype("boolean").fillna(True).astype(bool)
    return rate.where(full).replace([np.inf, -np.inf], np.nan)


def bonus_to_annual_pay(workforce: pd.DataFrame) -> pd.Series:
    """``bonus_pay_12m`` as a multiple of annualised ordinary pay (× 365 / days in period).

    NaN where annual pay is not positive or the row is not on full pay.
    """
    days = pay_period_days(workforce["pay_frequency"])
    annual = workforce["ordinary_pay"].astype("float64") * 365.0 / days
    full = workforce["full_pay"].astype("boolean").fillna(True).astype(bool)
    ratio = workforce["bonus_pay_12m"].astype("float64") / annual.where(annual > 0)
    return ratio.where(full)


def add_derived_columns(
    table: str, df: pd.DataFrame, tables: dict[str, pd.DataFrame]
) -> pd.DataFrame:
    """Add the derived columns the suites check (a new frame; ``df`` is not changed).

    - workforce: ``hourly_pay_estimate`` (:func:`hourly_pay_estimate`),
      ``bonus_to_annual_pay`` (:func:`bonus_to_annual_pay`);
    - recruitment: ``appointed_not_shortlisted`` (appointed and not shortlisted);
    - training: ``staff_id_in_workforce`` (<NA> when there is no workforce table);
    - staff_survey: ``wdes_9a_score`` (``percent`` of the wdes.9a rows, else NaN).

    A derived column is only added when its input columns are all present.
    """
    out = df.copy(deep=False)
    cols = set(df.columns)
    if table == "workforce":
        needed = {"pay_frequency", "contracted_hours", "ordinary_pay", "full_pay"}
        if needed | {"hourly_rate_given"} <= cols:
            out["hourly_pay_estimate"] = hourly_pay_estimate(df)
        if needed | {"bonus_pay_12m"} <= cols:
            out["bonus_to_annual_pay"] = bonus_to_annual_pay(df)
    elif table == "recruitment" and {"appointed", "shortlisted"} <= cols:
        out["appointed_not_shortlisted"] = df["appointed"].astype("boolean") & ~df[
            "shortlisted"
        ].astype("boolean")
    elif table == "training" and "staff_id" in cols:
        workforce = tables.get("workforce")
        if workforce is not None and "staff_id" in workforce.columns:
            known = df["staff_id"].isin(workforce["staff_id"].dropna()).astype("boolean")
            out["staff_id_in_workforce"] = known.mask(df["staff_id"].isna())
        else:
            out["staff_id_in_workforce"] = pd.Series(pd.NA, index=df.index, dtype="boolean")
    elif table == "staff_survey" and {"question", "percent"} <= cols:
        is_9a = (df["question"].astype("string") == "wdes.9a").fillna(False).astype(bool)
        out["wdes_9a_score"] = df["percent"].astype("float64").where(is_9a)
    return out


# --------------------------------------------------------------------------- validation


def _result_format(result_format: str = "COMPLETE") -> dict[str, Any]:
    """GX result format: COMPLETE (or BASIC: counts only) with row numbers, no data values.

    architecture §3 asks for COMPLETE with ``unexpected_index_column_names``. With the
    ``row`` column also set as the frame's named index and ``exclude_unexpected_values``,
    GX 1.x lists the failing rows as ``[{"row": [3, 7, ...]}]`` without a per-row Python
    loop and without copying any data value into the result (measured: a per-row loop
    otherwise, about 80 s on 1.5 M rows when a share check fails on 15 % of them).
    ``BASIC`` asks for the same counts and shares without the row numbers: GX plans four
    metrics per check instead of six, and planning, not the data, is most of a check's
    cost on ordinary tables (:func:`_validate_table` runs it first, COMPLETE for the
    failed checks).
    """
    return {
        "result_format": result_format,
        "unexpected_index_column_names": [ROW_COLUMN],
        "exclude_unexpected_values": True,
        "partial_unexpected_count": MAX_ROWS_LISTED,
        "return_unexpected_index_query": False,
    }


def _rows_from(result: dict[str, Any]) -> list[int]:
    """The first :data:`MAX_ROWS_LISTED` failing row numbers from a GX result.

    Accepts GX's two layouts: ``[{"row": [3, 7]}]`` (values excluded) and
    ``[{"col": value, "row": 3}, ...]``; any values are dropped.
    """
    index_list = result.get("unexpected_index_list") or result.get("partial_unexpected_index_list")
    rows: list[int] = []
    for item in index_list or []:
        if not isinstance(item, dict) or item.get(ROW_COLUMN) is None:
            continue
        value = item[ROW_COLUMN]
        if isinstance(value, list | tuple | np.ndarray | pd.Index):
            rows.extend(int(x) for x in value[:MAX_ROWS_LISTED])
        else:
            rows.append(int(value))
        if len(rows) >= MAX_ROWS_LISTED:
            break
    return sorted(rows[:MAX_ROWS_LISTED])


def _column_of(spec: dict[str, Any]) -> str | None:
    """The column(s) an expectation is about, for messages."""
    meta, kwargs = spec.get("meta", {}), spec.get("kwargs", {})
    if meta.get("column_label"):
        return str(meta["column_label"])
    if "column" in kwargs:
        return str(kwargs["column"])
    if "column_list" in kwargs:
        return ", ".join(kwargs["column_list"])
    if "column_A" in kwargs:
        return f"{kwargs['column_A']}, {kwargs['column_B']}"
    return None


def _check_result(table: str, severity: str, spec: dict[str, Any], gx_result: Any) -> CheckResult:
    """Turn one GX ExpectationValidationResult into a :class:`CheckResult`."""
    result = dict(gx_result.result or {})
    meta = spec.get("meta", {})
    exc = gx_result.exception_info or {}
    if "raised_exception" not in exc:  # a dict of per-metric exception infos
        exc = next(iter(exc.values()), {}) if exc else {}
    error = str(exc.get("exception_message") or "") if exc.get("raised_exception") else ""
    count = int(result.get("unexpected_count") or 0)
    pct = result.get("unexpected_percent")
    show_rows = meta.get("show_rows", True) and not gx_result.success
    return CheckResult(
        table=table,
        severity=severity,
        expectation=spec["type"],
        column=_column_of(spec),
        success=bool(gx_result.success) and not error,
        unexpected_count=count,
        unexpected_rows=_rows_from(result) if show_rows else [],
        description=str(meta.get("why", "")),
        fix=str(meta.get("fix", "")),
        unexpected_percent=None if pct is None else float(pct),
        error=error,
    )


def columns_used(specs: list[dict[str, Any]]) -> set[str]:
    """Every column named by a list of expectation specs."""
    cols: set[str] = set()
    for spec in specs:
        kwargs = spec.get("kwargs", {})
        cols.update(str(kwargs[k]) for k in ("column", "column_A", "column_B") if k in kwargs)
        cols.update(str(c) for c in kwargs.get("column_list", []))
    return cols


def set_columns(specs: list[dict[str, Any]]) -> set[str]:
    """Columns checked against a list of values (in set / not in set)."""
    return {
        str(spec["kwargs"]["column"])
        for spec in specs
        if spec["type"].endswith(("_to_be_in_set", "_to_not_be_in_set"))
        and "column" in spec.get("kwargs", {})
    }


def prepare_for_gx(
    df: pd.DataFrame, columns: set[str], categorical: set[str] = frozenset()
) -> pd.DataFrame:
    """The frame GX validates: only the checked columns, in dtypes GX handles fast.

    - ``row`` becomes the named index too (see :func:`_result_format`);
    - nullable integers and floats become float64 (GX compares non-numpy dtypes one
      value at a time in Python; values are unchanged);
    - text columns in ``categorical`` (those checked against a list of values) become
      categorical, which GX filters and matches faster (measured ~1.5x on 1.5 M rows);
      identifiers stay text, since factorising 1.5 M distinct ids costs more than it saves;
    - datetimes become ``datetime64[ns]`` (GX only vectorises date comparisons for ns).

    Columns named by a suite but missing from ``df`` stay missing, so their checks fail
    with a plain "column does not exist" error.
    """
    keep = [c for c in df.columns if c in columns or c == ROW_COLUMN]
    out = df[keep].copy(deep=False)
    for col in keep:
        dtype = out[col].dtype
        if col in categorical and isinstance(dtype, pd.StringDtype):
            out[col] = out[col].astype("category")
        elif pd.api.types.is_integer_dtype(dtype) and isinstance(
            dtype, pd.api.extensions.ExtensionDtype
        ):
            out[col] = out[col].to_numpy(dtype="float64", na_value=np.nan)
        elif isinstance(dtype, pd.Float64Dtype | pd.Float32Dtype):
            out[col] = out[col].to_numpy(dtype="float64", na_value=np.nan)
        elif pd.api.types.is_datetime64_dtype(dtype) and dtype != np.dtype("datetime64[ns]"):
            out[col] = out[col].astype("datetime64[ns]")
    if ROW_COLUMN in out.columns:
        out.index = pd.Index(out[ROW_COLUMN].to_numpy(), name=ROW_COLUMN)
    else:  # the row checks fail with "column missing"; number rows from 1 meanwhile
        out.index = pd.RangeIndex(1, len(out) + 1, name=ROW_COLUMN)
    return out


def _validate_table(
    datasource: Any,
    table: str,
    df: pd.DataFrame,
    suites: dict[str, list[dict[str, Any]]],
    params: dict[str, Any],
) -> list[CheckResult]:
    """Validate one table against its critical and warning suites (one batch).

    Both suites run as one GX suite, in :data:`SEVERITIES` order; each result is matched
    back to its severity and spec by position. A first run asks GX for counts only
    (``BASIC``, :func:`_result_format`); the checks that failed and list their rows
    (``meta.show_rows``) run again with ``COMPLETE`` for the row numbers, and their result
    is the one reported. Every check runs on every row either way; the counts, shares and
    success of a check are the same in both formats (the same GX metrics), and the second
    run only adds the failing row numbers, which a passed check never shows.
    """
    all_specs = [spec for specs in suites.values() for spec in specs]
    entries = [
        (severity, spec)
        for severity in SEVERITIES
        for spec in suites.get(severity, [])
        if parameters_used(spec["kwargs"]) <= set(params)
    ]
    if not entries:
        return []
    df = prepare_for_gx(df, columns_used(all_specs), set_columns(all_specs))
    batch = _batch(datasource, table, df)
    specs = [spec for _, spec in entries]
    used = set().union(*(parameters_used(s["kwargs"]) for s in specs))
    values = {k: params[k] for k in used}
    results = _run_suite(batch, table, specs, FIRST_RUN_FORMAT, values)
    again = [
        i
        for i, res in enumerate(results)
        if not res.success and specs[i].get("meta", {}).get("show_rows", True)
    ]
    if again:
        complete = _run_suite(batch, table, [specs[i] for i in again], "COMPLETE", values)
        for i, res in zip(again, complete, strict=True):
            results[i] = res
    return [
        _check_result(table, severity, spec, res)
        for (severity, spec), res in zip(entries, results, strict=True)
    ]


def _run_suite(
    batch: Any,
    table: str,
    specs: list[dict[str, Any]],
    result_format: str,
    expectation_parameters: dict[str, Any],
) -> list[Any]:
    """GX's result for each of ``specs`` on ``batch``, in the order of ``specs``."""
    from edi_reports.validation import gx_speedups

    suite = build_suite(table, specs)
    with gx_speedups.speedups():
        res = batch.validate(
            suite,
            result_format=_result_format(result_format),
            expectation_parameters=expectation_parameters,
        )
    by_index = {r.expectation_config.meta["edi_index"]: r for r in res.results}
    return [by_index[i] for i in range(len(specs))]


def _batch(datasource: Any, table: str, df: pd.DataFrame) -> Any:
    """A GX batch of ``df`` under the datasource's asset ``table`` (added on first use)."""
    try:
        asset = datasource.get_asset(table)
    except LookupError:
        asset = datasource.add_dataframe_asset(name=table)
        asset.add_batch_definition_whole_dataframe(f"{table}_whole")
    return asset.get_batch_definition(f"{table}_whole").get_batch(
        batch_parameters={"dataframe": df}
    )


def validate_tables(
    tables: dict[str, pd.DataFrame],
    expectations_dir: Path = config.EXPECTATIONS_DIR,
    year: int | None = None,
    *,
    settings: config.Settings | None = None,
    processed_dir: Path | None = None,
) -> ValidationReport:
    """Validate the cleaned canonical tables against the suites in ``expectations_dir``.

    Spec: architecture §1 and §3; the tables are those of :mod:`edi_reports.intake.schema`.

    Parameters
    ----------
    tables
        Table name (``workforce``, ``recruitment``, ...) -> cleaned DataFrame with its
        1-based ``row`` column. Only tables present are validated; suites for absent tables
        are skipped, and tables without a suite are ignored.
    expectations_dir
        Folder of ``<table>.<severity>.json`` suites.
    year
        Reporting year (snapshot 31 March ``year``); enables the year-dependent checks
        (National Living Wage floor, dates in the financial year). Without it those
        checks are skipped.
    settings
        Settings for the snapshot date and the survey minimum (defaults if None).
    processed_dir
        The clean stage's folder: when given, its ``quarantine.csv`` and
        ``intake_audit.json`` add one unrecognised-value check per input column
        (:func:`unrecognised_value_checks`).

    Returns
    -------
    ValidationReport
        Every check's outcome; use :attr:`ValidationReport.critical_failures` to decide
        whether the build stops.
    """
    extra = (
        unrecognised_value_checks(Path(processed_dir), settings or config.DEFAULT_SETTINGS)
        if processed_dir is not None
        else []
    )
    specs = load_suite_specs(expectations_dir)
    suites_by_table: dict[str, dict[str, list[dict[str, Any]]]] = {}
    for (table, severity), exps in specs.items():
        suites_by_table.setdefault(table, {})[severity] = exps
    present = [t for t in suites_by_table if tables.get(t) is not None]
    if not present:
        return ValidationReport(results=extra)
    params = suite_parameters(year, settings)
    results: list[CheckResult] = []
    with _GX_LOCK:  # one process-wide datasource: one validation at a time
        datasource = _datasource()
        try:
            for table in present:
                df = add_derived_columns(table, tables[table], tables)
                results.extend(
                    _validate_table(datasource, table, df, suites_by_table[table], params)
                )
        finally:
            _release_batches(datasource)
    return ValidationReport(results=results + extra)


# Quarantine reasons that mean "a non-blank value was not recognised" (intake.py).
UNRECOGNISED_REASONS: frozenset[str] = frozenset(
    {
        "value not in the list; kept as unknown",
        "value not recognised",
        "unknown question id",
        "process is not disciplinary or capability",
    }
)


def unrecognised_value_checks(
    processed_dir: Path, settings: config.Settings = config.DEFAULT_SETTINGS
) -> list[CheckResult]:
    """One check per input column with unrecognised values: it fails when more than
    ``settings.validation.unrecognised_max_percent`` % of the column's non-blank values were
    not recognised (kept as unknown or set aside).

    Spec: data contract §2 (no value is lost silently). The check is a warning, or a
    critical failure that stops the build when ``validation.unrecognised_critical`` is
    true. Results carry row numbers and counts, never values.
    """
    from edi_reports import store
    from edi_reports.intake import audit as intake_audit

    records = intake_audit.read_audit(processed_dir)
    q = store.read_quarantine(processed_dir, as_text=True)
    if q is None or not records:
        return []
    if q.empty:
        return []
    q = q[q["reason"].isin(UNRECOGNISED_REASONS)]
    limit = float(settings.validation.unrecognised_max_percent)
    severity = "critical" if settings.validation.unrecognised_critical else "warning"
    out: list[CheckResult] = []
    for rec in records:
        part = q[q["file"] == rec["file"]]
        for header, rows in part.groupby("column", sort=True):
            base = int(rec.get("nonblank", {}).get(header, 0)) or len(rows)
            count = len(rows)
            pct = 100.0 * count / base
            out.append(
                CheckResult(
                    table=rec["stem"],
                    severity=severity,
                    expectation="expect_column_values_to_be_recognised",
                    column=str(header),
                    success=pct <= limit,
                    unexpected_count=count,
                    unexpected_rows=sorted(int(r) for r in rows["row"].head(MAX_ROWS_LISTED)),
                    description=f"At most {limit:g} % of the non-blank values of a column may"
                    " be unrecognised (kept as unknown or set aside).",
                    fix="See the values listed at the end of `edi build` (quarantine.csv has"
                    " each row): correct them, or use a spelling listed in"
                    " docs/vocabularies.md.",
                    unexpected_percent=pct,
                )
            )
    return out


_GX_LOCK = threading.Lock()


@functools.cache
def _datasource() -> Any:
    """The process's GX pandas datasource (:func:`_ephemeral_datasource`), made on first use.

    A context, datasource and one asset per table hold no data and no results between
    calls, only configuration, so a batch worker that validates many organisation-years
    sets them up once (about 0.1 s each time otherwise); :func:`_release_batches` lets go
    of each call's data.
    """
    return _ephemeral_datasource()


def _release_batches(datasource: Any) -> None:
    """Drop the batches (and their DataFrames) GX's execution engine keeps after a run."""
    manager = datasource.get_execution_engine().batch_manager
    manager.batch_data_cache.clear()
    manager.reset_batch_cache()


def import_great_expectations() -> None:
    """Import Great Expectations, unless this process has already (a batch worker, a build
    run in one process), as a validation kernel does
    (:func:`edi_reports.pipeline.engine.preload_code`).

    Altair is deferred first (GX imports it for the KL-divergence expectation's charts;
    nothing here draws with it, and a notebook that does gets the real package on first
    use); the import runs inside :func:`edi_reports.validation.gx_speedups.import_speedups`;
    then what is loaded is frozen out of the collector's reach (:func:`gc.freeze`): some
    200,000 objects that live as long as the process, which every full collection would
    otherwise walk again.
    """
    import gc
    import sys

    from edi_reports.validation import gx_speedups

    if "great_expectations" in sys.modules:
        return
    lazy_imports.defer_package(*lazy_imports.VALIDATION_UNUSED)
    with gx_speedups.import_speedups():
        import great_expectations  # noqa: F401
    gc.freeze()


def _ephemeral_datasource() -> Any:
    """A pandas datasource in a fresh ephemeral GX context, progress bars off.

    A process that has not imported GX yet imports it here (:func:`import_great_expectations`).
    """
    import_great_expectations()
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    _skip_batch_fingerprint()
    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    return context.data_sources.add_pandas(name="edi_reports")


def _skip_batch_fingerprint() -> None:
    """Stop GX hashing every row of each batch for a fingerprint we never use.

    GX 1.x hashes the whole DataFrame (``hash_pandas_object``) each time a batch is loaded
    (three times per table), only to store it as a batch marker; that was a large share of
    the validation time on big tables. Setting the size threshold under which it hashes to
    0 turns it off. Harmless if a GX version lacks the attribute.
    """
    try:
        from great_expectations.execution_engine import pandas_execution_engine as engine
    except ImportError:  # pragma: no cover
        return
    if hasattr(engine, "HASH_THRESHOLD"):
        engine.HASH_THRESHOLD = 0
