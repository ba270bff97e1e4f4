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

SUPPRESSED = "*"


#: What "better" means for each direction (shown in the report's notes).
DIRECTIONS: dict[str, str] = {
    "lower": "lower is better",
    "higher": "higher is better",
    "towards_0": "closer to 0 is better",
    "towards_1": "closer to 1.00 (parity) is better",
}


@dataclass(frozen=True)
class Indicator:
    """One summary line: where its value is published and which way is better."""

    label: str
    measure: str
    where: tuple[tuple[str, str], ...]
    better: str  # "lower" | "higher" | "towards_0" | "towards_1"
    unit: str  # "%" | "pp" | "" (ratio) | "score"


def _i(label: str, measure: str, better: str, unit: str, **where: str) -> Indicator:
    return Indicator(label, measure, tuple(where.items()), better, unit)


#: The headline pay gaps, first in the summary and in the trends.
PAY_GAPS: tuple[Indicator, ...] = (
    _i("Mean gender pay gap", "gpg.mean_hourly_gap", "towards_0", "%", breakdown="overall"),
    _i("Median gender pay gap", "gpg.median_hourly_gap", "towards_0", "%", breakdown="overall"),
    _i(
        "Median ethnicity pay gap (BME compared with White)",
        "epg.median_hourly_gap",
        "towards_0",
        "%",
        breakdown="overall",
        group="BME",
        reference_group="White",
    ),
    _i(
        "Median disability pay gap",
        "dpg.median_hourly_gap",
        "towards_0",
        "%",
        breakdown="overall",
        group="Disabled",
    ),
)

SUMMARY: tuple[Indicator, ...] = (
    *PAY_GAPS,
    _i(
        "WRES 1: BME staff in the overall workforce",
        "wres.1",
        "higher",
        "%",
        breakdown="overall",
        group="BME",
    ),
    _i(
        "WRES 2: likelihood of White applicants being appointed from shortlisting compared with BME applicants",
        "wres.2",
        "towards_1",
        "",
    ),
    _i(
        "WRES 3: likelihood of BME staff entering the formal disciplinary process compared with White staff",
        "wres.3",
        "towards_1",
        "",
    ),
    _i(
        "WRES 4: likelihood of White staff accessing non-mandatory training compared with BME staff",
        "wres.4",
        "towards_1",
        "",
    ),
    _i(
        "WRES 5: BME staff experiencing harassment, bullying or abuse from patients, relatives or the public",
        "wres.5",
        "lower",
        "%",
        group="BME",
    ),
    _i(
        "WRES 6: BME staff experiencing harassment, bullying or abuse from staff",
        "wres.6",
        "lower",
        "%",
        group="BME",
    ),
    _i(
        "WRES 7: BME staff believing the organisation provides equal opportunities for career progression",
        "wres.7",
        "higher",
        "%",
        group="BME",
    ),
    _i(
        "WRES 8: BME staff experiencing discrimination from a manager, team leader or colleagues",
        "wres.8",
        "lower",
        "%",
        group="BME",
    ),
    _i(
        "WRES 9: difference between BME share of board voting members and of the workforce",
        "wres.9",
        "towards_0",
        "pp",
        breakdown="board=voting",
    ),
    _i(
        "WDES 1: Disabled staff in the overall workforce (ESR)",
        "wdes.1",
        "higher",
        "%",
        breakdown="overall",
        group="Disabled",
    ),
    _i(
        "WDES 2: likelihood of non-disabled applicants being appointed from shortlisting compared with Disabled applicants",
        "wdes.2",
        "towards_1",
        "",
    ),
    _i(
        "WDES 3: likelihood of Disabled staff entering the formal capability process compared with non-disabled staff",
        "wdes.3",
        "towards_1",
        "",
    ),
    _i(
        "WDES 4a: Disabled staff experiencing harassment, bullying or abuse from managers",
        "wdes.4a",
        "lower",
        "%",
        breakdown="item=managers",
        group="Disabled",
    ),
    _i(
        "WDES 4a: Disabled staff experiencing harassment, bullying or abuse from patients, service users, their relatives or the public",
        "wdes.4a",
        "lower",
        "%",
        breakdown="item=public",
        group="Disabled",
    ),
    _i(
        "WDES 4a: Disabled staff experiencing harassment, bullying or abuse from other colleagues",
        "wdes.4a",
        "lower",
        "%",
        breakdown="item=colleagues",
        group="Disabled",
    ),
    _i(
        "WDES 4b: Disabled staff saying that they or a colleague reported the last harassment, bullying or abuse",
        "wdes.4b",
        "higher",
        "%",
        group="Disabled",
    ),
    _i(
        "WDES 5: Disabled staff believing the organisation provides equal opportunities for career progression",
        "wdes.5",
        "higher",
        "%",
        group="Disabled",
    ),
    _i(
        "WDES 6: Disabled staff feeling pressure to come to work when not well enough",
        "wdes.6",
        "lower",
        "%",
        group="Disabled",
    ),
    _i(
        "WDES 7: Disabled staff satisfied with how far the organisation values their work",
        "wdes.7",
        "higher",
        "%",
        group="Disabled",
    ),
    _i(
        "WDES 8: Disabled staff saying adequate adjustments have been made",
        "wdes.8",
        "higher",
        "%",
        group="Disabled",
    ),
    _i(
        "WDES 9a: engagement score of Disabled staff (0-10)",
        "wdes.9a",
        "higher",
        "score",
        group="Disabled",
    ),
    _i(
        "WDES 9a: engagement score of the whole organisation (0-10)",
        "wdes.9a",
        "higher",
        "score",
        group="All",
    ),
    _i(
        "WDES 10: difference between Disabled share of board voting members and of the workforce",
        "wdes.10",
        "towards_0",
        "pp",
        breakdown="board=voting",
    ),
    _i(
        "WDES 10: difference between Disabled share of executive board members and of the workforce",
        "wdes.10",
        "towards_0",
        "pp",
        breakdown="board=executive",
    ),
)

#: The headline figures shown across years: published values only.
TREND: tuple[Indicator, ...] = (
    *PAY_GAPS,
    _i("WRES 2: appointment from shortlisting (White vs BME)", "wres.2", "towards_1", ""),
    _i("WRES 3: entry into formal disciplinary (BME vs White)", "wres.3", "towards_1", ""),
    _i("WRES 4: non-mandatory training (White vs BME)", "wres.4", "towards_1", ""),
)


def lookup(published: pd.DataFrame | None, indicator: Indicator) -> str | None:
    """The published value string of an indicator, or None when it is not in the tables."""
    if published is None or published.empty:
        return None
    sel = published[published["measure"] == indicator.measure]
    for key, value in indicator.where:
        sel = sel[sel[key].astype(str) == value]
    if sel.empty:
        return None
    return str(sel.iloc[0]["value"] or "")


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
    ``tester`` (:func:`edi_reports.significance.tester`) gives a status that says whether
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
        Published tables (:func:`edi_reports.disclosure.publish`) keyed by year label,
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
