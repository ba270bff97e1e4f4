"""The WRES and WDES data-collection files for NHS England: indicator-by-group counts.

Spec: methodology §3.2 and §3.5 (WRES indicators; data go to NHS England through the
Strategic Data Collection Service around the end of May), §4.3 and §4.5 (WDES metrics).

``wres_submission.csv`` and ``wdes_submission.csv`` follow the shape of the collection
templates: one row per indicator, breakdown and quantity (a headcount, the shortlisted
applicants, the appointments...), one column per group (White, BME, Unknown; or Disabled,
Non-disabled, Unknown) holding that quantity for the group, then the indicator's figure.

They hold **raw, unsuppressed counts** for the private upload, so they are INTERNAL: they
are written to ``data/processed/<ORG>/<YEAR>/`` and never copied into ``reports/``.

Counts come from the cleaned tables through the same helpers as the measures
(:mod:`edi_reports.measures.wres`), and every figure (percentage, relative likelihood, score,
percentage-point difference) is copied from the metrics frame, so the files always agree
with ``metrics.csv``. Columns: ``indicator, breakdown, quantity, <groups>, value, unit,
status``; ``value`` is the indicator's single figure on the row that carries it (a
relative likelihood, a board difference, or the whole-organisation engagement score of
WDES 9a); group cells are blank where a quantity does not apply to a group.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd

from edi_reports.config import DEFAULT_SETTINGS, Settings
from edi_reports.intake.classifications import DISABILITY_GROUPS, WRES_GROUPS
from edi_reports.measures.wdes import SURVEY_METRICS as WDES_SURVEY
from edi_reports.measures.wdes import WDES_BOARD_BREAKDOWNS, disability
from edi_reports.measures.wres import SURVEY_MEASURES as WRES_SURVEY
from edi_reports.measures.wres import (
    Tables,
    casework_counts,
    ethnic_wres,
    group_counts,
    in_post_groups,
    recruitment_counts,
    training_counts,
)

WRES_FILE, WDES_FILE = "wres_submission.csv", "wdes_submission.csv"
FIXED = ("indicator", "breakdown", "quantity")
TAIL = ("value", "unit", "status")
Grouper = Callable[[pd.DataFrame], pd.Series]


def _row(
    indicator: str,
    breakdown: str,
    quantity: str,
    cells: dict[str, float | None],
    *,
    value: float | None = None,
    unit: str = "count",
    status: str = "ok",
) -> dict[str, object]:
    return {
        "indicator": indicator,
        "breakdown": breakdown,
        "quantity": quantity,
        **cells,
        "value": value,
        "unit": unit,
        "status": status,
    }


def _frame(rows: list[dict[str, object]], groups: Sequence[str]) -> pd.DataFrame:
    frame = pd.DataFrame.from_records(rows, columns=[*FIXED, *groups, *TAIL])
    for col in (*groups, "value"):
        frame[col] = pd.to_numeric(frame[col], errors="coerce").astype("Float64")
    return frame


class _Figure(NamedTuple):
    """One metrics row as the collection files read it (breakdown and group as text)."""

    breakdown: str
    group: str
    value: object
    numerator: object
    n: object
    status: str


Figures = dict[str, list[_Figure]]


def _standard(metrics: pd.DataFrame, prefix: str) -> Figures:
    """The metrics rows of one standard (``wres.`` or ``wdes.``) by measure, in file order.

    Every figure a collection file copies is one of them (methodology §3.5, §4.5); reading
    them once into plain records lets each block find its rows by measure instead of
    searching the frame again.
    """
    rows = metrics[metrics["measure"].astype(str).str.startswith(prefix).to_numpy(dtype=bool)]
    out: Figures = {}
    records = zip(
        rows["measure"].astype(str),
        rows["breakdown"].astype(str),
        rows["group"].astype(str),
        rows["value"].tolist(),
        rows["numerator"].tolist(),
        rows["n"].tolist(),
        rows["status"].astype(str),
        strict=True,
    )
    for measure, *fields in records:
        out.setdefault(measure, []).append(_Figure(*fields))
    return out


def _figure(
    metrics: Figures, measure: str, breakdown: str | None = None, group: str | None = None
) -> tuple[float | None, str, str]:
    """(value, breakdown, status) of one metrics row; status says why when it is missing."""
    for row in metrics.get(measure, []):
        if (breakdown is None or row.breakdown == breakdown) and (
            group is None or row.group == group
        ):
            value = None if pd.isna(row.value) else float(row.value)  # type: ignore[arg-type]
            return value, row.breakdown, row.status
    return None, breakdown or "overall", "not_calculable: not in metrics"


def distribution_block(
    metrics: Figures, measure: str, groups: Sequence[str]
) -> list[dict[str, object]]:
    """Metric 1 rows: each breakdown's headcount by group, then each group's % of it.

    Spec: methodology §3.2 (``wres.1``), §4.3 (``wdes.1``). Counts are the metric rows'
    numerators, so the file agrees with ``metrics.csv``.
    """
    rows = metrics.get(measure, [])
    if not rows:
        return []
    num, pct = _first_values(rows, "numerator"), _first_values(rows, "value")
    out: list[dict[str, object]] = []
    for bd in dict.fromkeys(r.breakdown for r in rows):
        counts = {g: num.get((bd, g)) for g in groups}
        shares = {g: pct.get((bd, g)) for g in groups}
        out.append(_row(measure, bd, "headcount", counts))
        status = (
            "ok"
            if any(v is not None for v in shares.values())
            else "not_calculable: no staff in this row"
        )
        out.append(_row(measure, bd, "% of headcount", shares, unit="pct", status=status))
    return out


def _first_values(rows: list[_Figure], field: str) -> dict[tuple[str, str], float]:
    """The first non-blank ``field`` of each (breakdown, group) of ``rows`` (a pivot
    table's "first", as a plain dictionary: no cell when every value is blank)."""
    out: dict[tuple[str, str], float] = {}
    for row in rows:
        key, value = (row.breakdown, row.group), getattr(row, field)
        if key not in out and not pd.isna(value):
            out[key] = float(value)
    return out


def likelihood_block(
    measure: str,
    metrics: Figures,
    counts: tuple[dict[str, float], dict[str, float]] | None,
    labels: tuple[str, str],
) -> list[dict[str, object]]:
    """A relative likelihood: the base and outcome counts by group, then the ratio.

    Spec: methodology §0.3, §3.2 (``wres.2``-``wres.4``), §4.3 (``wdes.2``, ``wdes.3``).

    Parameters
    ----------
    measure
        Measure id.
    metrics
        The metrics frame (gives the ratio, its breakdown and its status).
    counts
        ``(base, outcomes)`` by group, or None when the input file is absent.
    labels
        Names of the base and outcome quantities.
    """
    value, bd, status = _figure(metrics, measure)
    rows = []
    if counts is not None:
        base, outcomes = counts
        rows.append(_row(measure, bd, labels[0], dict(base)))
        rows.append(_row(measure, bd, labels[1], dict(outcomes)))
    rows.append(
        _row(measure, bd, "relative likelihood", {}, value=value, unit="ratio", status=status)
    )
    return rows


def survey_block(
    metrics: Figures,
    measure: str,
    groups: Sequence[str],
    unit: str,
    item: str | None = None,
    whole: str | None = None,
) -> list[dict[str, object]]:
    """A Staff Survey figure: the published % (or score) and the responses by group.

    Spec: methodology §3.2 (``wres.5``-``wres.8``), §4.3 (``wdes.4a``-``wdes.9a``).
    ``whole`` names a group reported in ``value`` instead of a column (WDES 9a ``All``).
    """
    bd = "overall" if item is None else f"item={item}"
    sel = [r for r in metrics.get(measure, []) if r.breakdown == bd]
    by = {r.group: r for r in sel}
    figures = {g: _num(by[g].value) if g in by else None for g in groups}
    responses = {g: _num(by[g].n) if g in by else None for g in groups}
    statuses = sorted({r.status for r in sel} - {"ok"})
    status = "; ".join(statuses) if statuses else ("ok" if by else "not_calculable: no rows")
    value = _num(by[whole].value) if whole is not None and whole in by else None
    quantity = "score (0-10)" if unit == "score" else "% of respondents"
    return [
        _row(measure, bd, quantity, figures, value=value, unit=unit, status=status),
        _row(measure, bd, "responses", responses),
    ]


def _num(value: object) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


def board_block(
    measure: str,
    tables: Tables,
    metrics: Figures,
    grouper: Grouper,
    groups: Sequence[str],
    breakdowns: Sequence[str],
) -> list[dict[str, object]]:
    """Board members by group in each breakdown, with the pp difference to the workforce.

    Spec: methodology §3.2 (``wres.9``), §4.3 (``wdes.10``). A last row gives staff in post
    by group (the workforce the board is compared with).
    """
    board = tables.get("board")
    if board is None:
        value, bd, status = _figure(metrics, measure)
        return [_row(measure, bd, "board members", {}, unit="pp", status=status)]
    members = {
        "total": np.ones(len(board), dtype=bool),
        "voting": board["voting"].astype("boolean").fillna(False).to_numpy(dtype=bool),
        "executive": board["executive"].astype("boolean").fillna(False).to_numpy(dtype=bool),
    }
    members["non_voting"] = ~members["voting"] & board["voting"].notna().to_numpy()
    members["non_executive"] = ~members["executive"] & board["executive"].notna().to_numpy()
    groups_of = grouper(board)
    rows = []
    for key in breakdowns:
        bd = f"board={key}"
        value, _, status = _figure(metrics, measure, breakdown=bd)
        counts = group_counts(groups_of[members[key]], groups)
        rows.append(
            _row(measure, bd, "board members", dict(counts), value=value, unit="pp", status=status)
        )
    staff = in_post_groups(tables["workforce"], grouper)
    rows.append(_row(measure, "overall", "staff in post", dict(group_counts(staff, groups))))
    return rows


def _casework(
    process: str,
    tables: Tables,
    previous: Tables | None,
    settings: Settings,
    grouper: Grouper,
    groups: Sequence[str],
) -> tuple[tuple[dict[str, float], dict[str, float]] | None, str]:
    if tables.get("casework") is None:
        return None, ""
    out, base, years = casework_counts(process, tables, previous, settings, grouper, groups)
    suffix = f" (mean of {years} years)" if years > 1 else ""
    return (base, out), suffix


def wres_collection(
    tables: Tables,
    metrics: pd.DataFrame,
    settings: Settings = DEFAULT_SETTINGS,
    previous: Tables | None = None,
) -> pd.DataFrame:
    """The WRES data-collection table (``wres_submission.csv``): indicators 1-9 by group.

    Spec: methodology §3.2, §3.5.

    Parameters
    ----------
    tables
        Cleaned tables of the year (``workforce`` required).
    metrics
        The year's metrics frame (``metrics.csv`` layout).
    settings
        Casework window (``casework.window_years``) and board breakdowns.
    previous
        The previous year's cleaned tables, for the two-year casework window.

    Returns
    -------
    pandas.DataFrame
        Columns ``indicator, breakdown, quantity, White, BME, Unknown, value, unit,
        status`` (module docstring). Raw counts: internal only.
    """
    groups = WRES_GROUPS
    figures = _standard(metrics, "wres.")
    rows = distribution_block(figures, "wres.1", groups)
    rec = tables.get("recruitment")
    short_appt = None if rec is None else recruitment_counts(rec, ethnic_wres, groups)
    rows += likelihood_block(
        "wres.2", figures, short_appt, ("shortlisted applicants", "appointed from shortlisting")
    )
    counts, suffix = _casework("disciplinary", tables, previous, settings, ethnic_wres, groups)
    rows += likelihood_block(
        "wres.3",
        figures,
        counts,
        (f"staff in post{suffix}", f"entering the formal disciplinary process{suffix}"),
    )
    training = None
    if tables.get("training") is not None:
        took, heads = training_counts(tables, groups)
        training = (heads, took)
    rows += likelihood_block(
        "wres.4", figures, training, ("staff in post", "accessing non-mandatory training")
    )
    for measure in WRES_SURVEY:
        rows += survey_block(figures, measure, groups[:2], "pct")
    rows += board_block(
        "wres.9", tables, figures, ethnic_wres, groups, settings.standards.board_breakdowns
    )
    return _frame(rows, groups)


def wdes_collection(
    tables: Tables,
    metrics: pd.DataFrame,
    settings: Settings = DEFAULT_SETTINGS,
    previous: Tables | None = None,
) -> pd.DataFrame:
    """The WDES data-collection table (``wdes_submission.csv``): metrics 1-10 by group.

    Spec: methodology §4.3, §4.5. Metric 9b is narrative and has no row; 9a's
    whole-organisation score is in ``value``.

    Returns
    -------
    pandas.DataFrame
        Columns ``indicator, breakdown, quantity, Disabled, Non-disabled, Unknown, value,
        unit, status``. Raw counts: internal only.
    """
    groups = DISABILITY_GROUPS
    figures = _standard(metrics, "wdes.")
    rows = distribution_block(figures, "wdes.1", groups)
    rec = tables.get("recruitment")
    short_appt = None if rec is None else recruitment_counts(rec, disability, groups)
    rows += likelihood_block(
        "wdes.2", figures, short_appt, ("shortlisted applicants", "appointed from shortlisting")
    )
    counts, suffix = _casework("capability", tables, previous, settings, disability, groups)
    rows += likelihood_block(
        "wdes.3",
        figures,
        counts,
        (f"staff in post{suffix}", f"entering the formal capability process{suffix}"),
    )
    for measure, (survey_groups, unit) in WDES_SURVEY.items():
        items: tuple[str | None, ...] = (
            ("public", "managers", "colleagues") if measure == "wdes.4a" else (None,)
        )
        whole = "All" if "All" in survey_groups else None
        for item in items:
            rows += survey_block(figures, measure, groups[:2], unit, item=item, whole=whole)
    rows += board_block("wdes.10", tables, figures, disability, groups, WDES_BOARD_BREAKDOWNS)
    return _frame(rows, groups)


def write_collections(
    tables: Tables,
    metrics: pd.DataFrame,
    folder: Path,
    settings: Settings = DEFAULT_SETTINGS,
    previous: Tables | None = None,
) -> list[Path]:
    """Write ``wres_submission.csv`` and ``wdes_submission.csv`` into ``folder`` (internal).

    Full precision (the two-year casework counts may be halves); blank = not applicable.
    """
    from edi_reports import store

    written = []
    for name, build in ((WRES_FILE, wres_collection), (WDES_FILE, wdes_collection)):
        path = store.file(folder, name)
        build(tables, metrics, settings, previous).to_csv(path, index=False)
        written.append(path)
    return written
