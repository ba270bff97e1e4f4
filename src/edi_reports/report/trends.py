"""Year-on-year status of headline indicators, as trusts publish it ("4.5 pp better").

The comparison uses the published (rounded, disclosure-controlled) values of both years, so
the summary never shows more than the tables do. Direction depends on the indicator: for a
relative likelihood closer to 1.00 is better; for a gap or a board difference closer to 0;
for harassment and discrimination lower; for equal opportunities and engagement higher.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from edi_reports import catalogue
from edi_reports.report.lookup import NONE, first

SUPPRESSED = "*"


#: What "better" means for each direction (shown in the report's notes).
DIRECTIONS: dict[str, str] = {k: v for k, v in catalogue.DIRECTIONS.items() if k != "none"}


@dataclass(frozen=True)
class Indicator:
    """One summary line: where its value is published and which way is better."""

    label: str
    measure: str
    where: tuple[tuple[str, str], ...]
    better: str  # "lower" | "higher" | "towards_0" | "towards_1"
    unit: str  # "%" | "pp" | "" (ratio) | "score"


def _indicator(figure: catalogue.Figure, use: str) -> Indicator:
    return Indicator(figure.label_for(use), figure.id, figure.where, figure.better, figure.unit)


#: The headline pay gaps, first in the summary and in the trends (:mod:`edi_reports.catalogue`).
PAY_GAPS: tuple[Indicator, ...] = tuple(_indicator(f, "summary") for f in catalogue.pay_gaps())

#: The summary table's lines (:func:`edi_reports.catalogue.summary_figures`).
SUMMARY: tuple[Indicator, ...] = tuple(
    _indicator(f, "summary") for f in catalogue.summary_figures()
)

#: The headline figures shown across years: published values only.
TREND: tuple[Indicator, ...] = tuple(_indicator(f, "trend") for f in catalogue.trend_figures())


def lookup(published: pd.DataFrame | None, indicator: Indicator) -> str | None:
    """The published value string of an indicator, or None when it is not in the tables."""
    if published is None or published.empty:
        return None
    found = first(published, indicator.measure, "value", indicator.where)
    return None if found is NONE else str(found or "")


def _number(text: str | None, symbol: str = SUPPRESSED) -> float | None:
    if text is None or text in {"", symbol}:
        return None
    try:
        return float(text.replace(",", ""))
    except ValueError:
        return None


def status(
    this: str | None, last: str | None, better: str, unit: str, symbol: str = SUPPRESSED
) -> str:
    """Direction-aware change, e.g. ``"4.5 pp better"``, ``"0.16 worse"``, ``"no change"``.

    Parameters
    ----------
    this, last
        Published value strings (``*`` or blank when not published).
    better
        ``lower``, ``higher``, ``towards_0`` or ``towards_1``.
    unit
        ``%`` and ``pp`` changes are percentage points; a ratio or score change is plain.
    symbol
        The published symbol of a suppressed figure (``disclosure.symbol``).

    A relative likelihood of exactly 0.00 means the first group had no cases at all
    (methodology §0.3): it is not a comparable figure, so the change is not calculable.
    """
    if better not in DIRECTIONS:
        raise ValueError(f"unknown direction {better!r}; use one of {sorted(DIRECTIONS)}")
    a, b = _number(this, symbol), _number(last, symbol)
    if a is None or b is None:
        return "no comparison"
    if better == "towards_1" and unit == "" and (a == 0 or b == 0):
        when = "last year" if b == 0 else "this year"
        return f"not calculable: no cases {when} (a likelihood of 0.00)"
    # published strings carry at most a few decimals: compare them exactly
    a, b = round(a, 6), round(b, 6)
    target = {"towards_0": 0.0, "towards_1": 1.0}.get(better)
    if better == "lower":
        improvement = b - a
    elif better == "higher":
        improvement = a - b
    else:
        improvement = abs(b - target) - abs(a - target)
    improvement = round(improvement, 6)
    change = abs(a - b)
    dp = 2 if unit == "" else 1
    if round(change, dp) == 0:
        return "no change"
    suffix = " pp" if unit in {"%", "pp"} else ""
    if improvement == 0:
        return f"{change:.{dp}f}{suffix} changed, same distance from {target:.{dp}f}"
    return f"{change:.{dp}f}{suffix} {'better' if improvement > 0 else 'worse'}"


def _shown(value: str | None, unit: str, symbol: str = SUPPRESSED) -> str:
    if value is None:
        return "not available"
    if value == symbol:
        return symbol
    if value == "":
        return "not calculable"
    return f"{value}{'%' if unit == '%' else ' pp' if unit == 'pp' else ''}"


def summary_rows(
    published: pd.DataFrame,
    previous: pd.DataFrame | None,
    tester: Callable[[Indicator, str | None, str | None], str | None] | None = None,
    symbol: str = SUPPRESSED,
) -> pd.DataFrame:
    """The summary table: Indicator, This year, Last year, Status (one row per indicator
    present in this year's published tables).

    Last year's figure is the one last year's report published (:func:`lookup`, the same
    lookup as every section's "Last year" column). With no earlier year (``previous`` None)
    the table has only Indicator and This year: a first report carries no empty columns.
    ``tester`` (:func:`edi_reports.measures.significance.tester`) gives a status that says whether
    the change is larger than chance; where it returns None the plain change is shown.
    """
    columns = ["Indicator", "This year", "Last year", "Status"]
    if previous is None:
        columns = columns[:2]
    records = []
    for ind in SUMMARY:
        this = lookup(published, ind)
        if this is None:
            continue
        record = {"Indicator": ind.label, "This year": _shown(this, ind.unit, symbol)}
        if previous is not None:
            last = lookup(previous, ind)
            record["Last year"] = _shown(last, ind.unit, symbol)
            record["Status"] = (tester and tester(ind, this, last)) or status(
                this, last, ind.better, ind.unit, symbol
            )
        records.append(record)
    return pd.DataFrame.from_records(records, columns=columns)


def trend_rows(
    years: dict[str, pd.DataFrame],
    indicators: tuple[Indicator, ...] = TREND,
    symbol: str = SUPPRESSED,
) -> pd.DataFrame:
    """Each headline figure in each year, long: one row per indicator and year.

    Parameters
    ----------
    years
        Published tables (:func:`edi_reports.disclosure.control.publish`) keyed by year label,
        oldest first.
    indicators
        The figures to show (default :data:`TREND`).

    Returns
    -------
    pandas.DataFrame
        Columns ``Indicator``, ``Year``, ``Shown`` (as a table cell: value with unit,
        ``*``, "not calculable" or "not available"), ``Value`` (float, NaN unless a number
        was published) and ``unit``. Indicators absent from every year are left out.
    """
    records = []
    for ind in indicators:
        found = {label: lookup(frame, ind) for label, frame in years.items()}
        if all(v is None for v in found.values()):
            continue
        for label, value in found.items():
            number = _number(value, symbol)
            records.append(
                {
                    "Indicator": ind.label,
                    "Year": label,
                    "Shown": _shown(value, ind.unit, symbol),
                    "Value": float("nan") if number is None else number,
                    "unit": ind.unit,
                }
            )
    return pd.DataFrame.from_records(
        records, columns=["Indicator", "Year", "Shown", "Value", "unit"]
    )
