"""Is a year-on-year change larger than chance? "better", "worse" or "no clear change".

Spec: docs/methodology-2026.md §8.1. Each summary indicator's change on last year gets a
95 % interval, and the status is

- **better** or **worse** (in the direction that is better for the indicator) when the
  interval of the change leaves out "no change";
- **no clear change** when it does not, with the interval shown either way.

Methods, by kind of figure:

- percentages of people (WRES 1, WDES 1, Staff Survey results, board shares): difference of
  two proportions by the Agresti-Caffo method: with ``p̃ = (x + 1) / (n + 2)`` in each year,
  ``p̃1 − p̃2 ± 1.96·sqrt(p̃1(1−p̃1)/(n1+2) + p̃2(1−p̃2)/(n2+2))``, from the published
  percentages and numbers of people or responses (the change shown is the published one);
  the board side of WRES 9 / WDES 10 is a proportion of the board (the workforce side is a
  census and varies far less);
- relative likelihoods: ratio of this year's to last year's (a ratio of two ratios, Altman
  and Bland 2003), on the log scale, ``ln(RL1/RL2) ± 1.96·sqrt(SE1² + SE2²)``, each ``SE``
  the log-method standard error of methodology §8 (``sqrt(1/a − 1/n1 + 1/c − 1/n2)``);
  for indicator 3 (WRES 3, WDES 3) the counts are the casework window's mean counts, as
  in the published figure, and this year's and last year's windows share a year, so the
  test errs further on the side of caution;
- pay gaps: difference of the two gaps, ``d ± 1.96·sqrt(SE1² + SE2²)``, each ``SE`` from a
  bootstrap of that year's gap (resampling employees within each group, the replicates and
  seed of settings ``uncertainty.bootstrap_reps`` / ``uncertainty.seed``), taken as the
  width of the 95 % percentile interval divided by 2 × 1.96;
- engagement scores: not tested (no measure of spread is published).

The two years are treated as independent samples. They share most of their staff, so the
interval is wider than a paired one would be: "no clear change" errs on the side of caution.
The standard errors of relative likelihoods and pay gaps are worked out at the measure stage
from the unsuppressed data and kept in the internal ``standard_errors.csv``; only the
interval of a change between two *published* figures is ever shown.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pandas as pd

from edi_reports import catalogue
from edi_reports.config import DEFAULT_SETTINGS, Settings
from edi_reports.measures.likelihood import Z_95
from edi_reports.measures.metrics import MeasureWarning
from edi_reports.rounding import format_value

SE_FILE = "standard_errors.csv"  # store.STANDARD_ERRORS
SE_COLUMNS = ["measure", "breakdown", "group", "reference_group", "scale", "se"]
RL_IDS = tuple(catalogue.likelihoods())  # the relative likelihoods of the catalogue
NOT_TESTED = "not tested"


@dataclass(frozen=True)
class Change:
    """A tested change: the verdict and the interval of the change."""

    verdict: str  # "better" | "worse" | "no clear change" | "changed, same distance"
    change: float  # this − last (percentage points), or this / last for a ratio
    low: float
    high: float
    kind: str  # "difference" | "ratio"

    def text(self, unit: str) -> str:
        """e.g. ``"better: −2.1 pp (95 % interval −3.5 to −0.7)"``."""
        if self.kind == "ratio":
            what = f"ratio to last year {self.change:.2f}"
            interval = f"{self.low:.2f} to {self.high:.2f}"
        else:
            suffix = " pp" if unit in {"%", "pp"} else ""
            what = f"{self.change:+.1f}{suffix}"
            interval = f"{self.low:+.1f} to {self.high:+.1f}{suffix}"
        return f"{self.verdict}: {what} (95 % interval {interval})"


# --------------------------------------------------------------------------- intervals


def difference_of_proportions(
    p1: float, n1: float, p2: float, n2: float
) -> tuple[float, float, float] | None:
    """``p1 − p2`` and its 95 % Wald interval, all in percentage points.

    Parameters
    ----------
    p1, p2
        Percentages (0-100) this year and last year.
    n1, n2
        People (or responses) behind each.

    Returns
    -------
    (difference, low, high) or None when a size is not positive.

    Examples
    --------
    >>> [round(x, 2) for x in difference_of_proportions(30.0, 400, 20.0, 300)]
    [10.0, 3.53, 16.27]
    """
    if not (n1 > 0 and n2 > 0):
        return None
    # Agresti-Caffo: one success and one failure added to each group, so that a share of
    # 0 % or 100 % (a board with no Disabled member) still has a spread
    a, b = (p1 * n1 / 100 + 1) / (n1 + 2), (p2 * n2 / 100 + 1) / (n2 + 2)
    se = math.sqrt(a * (1 - a) / (n1 + 2) + b * (1 - b) / (n2 + 2)) * 100
    centre = (a - b) * 100
    return float(p1 - p2), centre - Z_95 * se, centre + Z_95 * se


def ratio_of_likelihoods(
    rl1: float, se1: float, rl2: float, se2: float
) -> tuple[float, float, float] | None:
    """``rl1 / rl2`` and its 95 % interval by the log method (``se`` on the log scale).

    Examples
    --------
    >>> [round(x, 3) for x in ratio_of_likelihoods(1.5, 0.1384, 1.5, 0.1384)]
    [1.0, 0.681, 1.468]
    """
    if not (rl1 > 0 and rl2 > 0) or not (math.isfinite(se1) and math.isfinite(se2)):
        return None
    r = math.log(rl1 / rl2)
    half = Z_95 * math.sqrt(se1**2 + se2**2)
    return math.exp(r), math.exp(r - half), math.exp(r + half)


def difference_of_estimates(
    x1: float, se1: float, x2: float, se2: float
) -> tuple[float, float, float] | None:
    """``x1 − x2`` and its 95 % normal interval from two independent standard errors."""
    if not (math.isfinite(se1) and math.isfinite(se2)):
        return None
    d = x1 - x2
    half = Z_95 * math.sqrt(se1**2 + se2**2)
    return d, d - half, d + half


def verdict(this: float, last: float, low: float, high: float, better: str, null: float) -> str:
    """ "better", "worse", "no clear change" (interval holds ``null``) or "changed, same
    distance" (a real change that is neither nearer nor further from the target).

    ``better`` is a direction of :data:`edi_reports.report.trends.DIRECTIONS`.
    """
    if low <= null <= high:
        return "no clear change"
    target = {"towards_0": 0.0, "towards_1": 1.0}.get(better)
    if better == "lower":
        gain = last - this
    elif better == "higher":
        gain = this - last
    else:
        assert target is not None
        gain = abs(last - target) - abs(this - target)
    gain = round(gain, 9)
    if gain == 0:
        return "changed, same distance"
    return "better" if gain > 0 else "worse"


# --------------------------------------------------------------------------- measure stage


def _bootstrap_se(
    pay: pd.DataFrame,
    group: pd.Series,
    ref: str,
    comp: str,
    stats: tuple[str, ...],
    settings: Settings,
) -> dict[str, float]:
    """Bootstrap standard error of each of ``stats`` (mean, median) of one hourly pay gap.

    Methodology §8.1: the width of the 95 % percentile interval over 2 × 1.96; the mean and
    median gaps of the same two groups are taken from one set of draws (the draws depend
    only on the seed and the groups, so each is the figure it would be on its own).
    """
    from edi_reports.measures.paygap import _FPRE, _RATE, _bootstrap_intervals

    fpre = pay[_FPRE].to_numpy(dtype=bool)
    g = group.astype("string").to_numpy()
    rate = pay[_RATE].to_numpy(dtype="float64")
    intervals = _bootstrap_intervals(
        rate[fpre & (g == ref)],
        rate[fpre & (g == comp)],
        stats,  # type: ignore[arg-type]
        settings.uncertainty.bootstrap_reps,
        settings.uncertainty.seed,
        4_000_000,
    )
    return {
        stat: (high - low) / (2 * Z_95) if math.isfinite(low) and math.isfinite(high) else math.nan
        for stat, (low, high) in intervals.items()
    }


def standard_errors(
    tables: dict[str, pd.DataFrame],
    settings: Settings = DEFAULT_SETTINGS,
    previous: dict[str, pd.DataFrame] | None = None,
) -> pd.DataFrame:
    """Standard errors of the headline pay gaps and relative likelihoods (internal).

    Spec: docs/methodology-2026.md §8.1. Pay gaps: bootstrap (scale ``pp``); relative
    likelihoods: log method (scale ``log``), from the same counts as the figures (the
    relative likelihoods of WRES and WDES are recomputed with the interval switched on).

    Returns
    -------
    pandas.DataFrame
        Columns :data:`SE_COLUMNS`; ``se`` NaN where it cannot be worked out.
    """
    from edi_reports.measures import wdes, wres
    from edi_reports.measures.paygap import _pay_columns

    records: list[dict[str, object]] = []
    df = tables.get("workforce")
    if df is not None and len(df):
        columns = {
            "gpg": df.get("sex"),
            "epg": df.get("ethnic_wres"),
            "dpg": df.get("disability_group"),
        }
        # only the gaps of the summary and trend tables (a bootstrap each, so kept few);
        # the mean and median gaps of the same groups share their draws
        figures = [
            f for f in catalogue.pay_gaps() if columns.get(f.id.partition(".")[0]) is not None
        ]
        wanted: dict[tuple[str, str, str], tuple[str, ...]] = {}
        for figure in figures:
            key = (figure.id.partition(".")[0], figure.reference, figure.group)
            stat = figure.id.partition(".")[2].split("_", 1)[0]
            wanted[key] = (*wanted.get(key, ()), stat)
        pay = _pay_columns(df) if figures else None
        errors = {
            key: _bootstrap_se(
                pay, pd.Series(columns[key[0]], index=df.index), key[1], key[2], stats, settings
            )
            for key, stats in wanted.items()
        }
        for figure in figures:
            prefix, _, name = figure.id.partition(".")
            ref, comp = figure.reference, figure.group
            se = errors[(prefix, ref, comp)][name.split("_", 1)[0]]
            records.append(
                {
                    "measure": figure.id,
                    "breakdown": "overall",
                    "group": comp,
                    "reference_group": ref,
                    "scale": "pp",
                    "se": se,
                }
            )
    on = replace(settings, uncertainty=replace(settings.uncertainty, enabled=True))
    rows = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", MeasureWarning)
        # only the relative likelihoods: the rest of each standard has no standard error
        for family in (wres.wres_likelihoods, wdes.wdes_likelihoods):
            try:
                rows += family(tables, on, previous=previous) if df is not None else []
            except KeyError:  # a table without the standard's columns: no test, no figure
                continue
    for r in rows:
        # indicator 3 (WRES 3, WDES 3) is published for its casework window (``window=2``,
        # or ``window=1`` without last year's casework) rather than ``overall``
        if r.measure not in RL_IDS or not (
            r.breakdown == "overall" or r.breakdown.startswith("window=")
        ):
            continue
        se = math.nan
        if r.ci_low and r.ci_high and r.ci_low > 0:
            se = (math.log(r.ci_high) - math.log(r.ci_low)) / (2 * Z_95)
        records.append(
            {
                "measure": r.measure,
                "breakdown": r.breakdown,
                "group": r.group,
                "reference_group": r.reference_group,
                "scale": "log",
                "se": se,
            }
        )
    return pd.DataFrame.from_records(records, columns=SE_COLUMNS)


def write_standard_errors(
    tables: dict[str, pd.DataFrame],
    folder: Path,
    settings: Settings = DEFAULT_SETTINGS,
    previous: dict[str, pd.DataFrame] | None = None,
) -> None:
    """``standard_errors.csv`` in the internal processed folder (never published)."""
    from edi_reports import store

    if not settings.uncertainty.year_on_year_test:
        store.write_standard_errors(folder, None)
        return
    store.write_standard_errors(folder, standard_errors(tables, settings, previous))


def read_standard_errors(folder: Path) -> pd.DataFrame | None:
    """The internal standard errors of one year, or None when that year has none."""
    from edi_reports import store

    return store.read_standard_errors(folder)


# --------------------------------------------------------------------------- report stage


def _number(text: str | None) -> float | None:
    try:
        return None if text in (None, "", "*") else float(str(text).replace(",", ""))
    except ValueError:
        return None


def _published(
    frame: pd.DataFrame | None, measure: str, where: dict[str, str]
) -> dict[str, Any] | None:
    """The ``value`` and ``n`` of the first published row of ``measure`` whose columns equal
    ``where`` (as text), or None when there is none."""
    if frame is None or frame.empty:
        return None
    from edi_reports.report.lookup import index  # one index per table, not a filter per call

    idx = index(frame)
    rows = idx.matching(measure, where)
    if rows is None or not len(rows):
        return None
    return {key: idx.column(key)[rows[0]] for key in ("value", "n") if key in frame.columns}


def _se(frame: pd.DataFrame | None, measure: str, where: dict[str, str]) -> float | None:
    if frame is None or frame.empty:
        return None
    from edi_reports.report.lookup import NONE, first

    keys = [(key, where[key]) for key in ("group", "reference_group") if key in where]
    found = first(frame, measure, "se", keys)
    if found is NONE:
        return None
    se = pd.to_numeric(found, errors="coerce")
    return None if pd.isna(se) else float(se)


def _board_share(frame: pd.DataFrame, measure: str, diff: float) -> float | None:
    workforce = {"wres.9": ("wres.1", "BME"), "wdes.10": ("wdes.1", "Disabled")}[measure]
    row = _published(frame, workforce[0], {"breakdown": "overall", "group": workforce[1]})
    share = None if row is None else _number(row["value"])
    return None if share is None else share + diff


def test_change(
    measure: str,
    where: dict[str, str],
    better: str,
    unit: str,
    this_pub: pd.DataFrame,
    last_pub: pd.DataFrame | None,
    this_se: pd.DataFrame | None,
    last_se: pd.DataFrame | None,
) -> Change | str | None:
    """The tested change of one indicator between two published years.

    Returns
    -------
    Change, or a short reason string when no test can be made (e.g. ``"not tested: no
    measure of spread"``), or None when either year's figure is not published as a number.
    """
    a_row, b_row = _published(this_pub, measure, where), _published(last_pub, measure, where)
    if a_row is None or b_row is None:
        return None
    a, b = _number(a_row["value"]), _number(b_row["value"])
    if a is None or b is None:
        return None
    if unit == "score":
        return f"{NOT_TESTED}: no measure of spread is published"
    if unit == "":
        se1, se2 = _se(this_se, measure, where), _se(last_se, measure, where)
        if se1 is None or se2 is None:
            return f"{NOT_TESTED}: counts too small or not kept for a year"
        res = ratio_of_likelihoods(a, se1, b, se2)
        if res is None:
            return f"{NOT_TESTED}: a likelihood is 0"
        r, lo, hi = res
        return Change(verdict(a, b, lo, hi, better, 1.0), r, lo, hi, "ratio")
    if measure.endswith("_hourly_gap"):
        se1, se2 = _se(this_se, measure, where), _se(last_se, measure, where)
        if se1 is None or se2 is None:
            return f"{NOT_TESTED}: no standard error kept for a year"
        res = difference_of_estimates(a, se1, b, se2)
    elif unit == "pp" and measure in ("wres.9", "wdes.10"):
        p1, p2 = _board_share(this_pub, measure, a), _board_share(last_pub, measure, b)
        n1, n2 = _number(a_row["n"]), _number(b_row["n"])
        if None in (p1, p2, n1, n2):
            return f"{NOT_TESTED}: the workforce share is not published"
        res = difference_of_proportions(p1, n1, p2, n2)  # type: ignore[arg-type]
        if res is not None:
            res = (a - b, res[1] - res[0] + (a - b), res[2] - res[0] + (a - b))
    else:
        n1, n2 = _number(a_row["n"]), _number(b_row["n"])
        if n1 is None or n2 is None:
            return f"{NOT_TESTED}: numbers of people not published"
        res = difference_of_proportions(a, n1, b, n2)
    if res is None:
        return f"{NOT_TESTED}: a group is empty"
    d, lo, hi = res
    return Change(verdict(a, b, lo, hi, better, 0.0), d, lo, hi, "difference")


def tester(
    this_pub: pd.DataFrame,
    last_pub: pd.DataFrame | None,
    this_se: pd.DataFrame | None,
    last_se: pd.DataFrame | None,
) -> Callable[[object, str | None, str | None], str | None]:
    """A status function for :func:`edi_reports.report.trends.summary_rows`.

    It takes an :class:`~edi_reports.report.trends.Indicator` and the two published value strings
    and returns the status text, or None to fall back on the plain change.
    """

    def run(ind: object, this: str | None, last: str | None) -> str | None:
        where = dict(ind.where)  # type: ignore[attr-defined]
        res = test_change(
            ind.measure,
            where,
            ind.better,
            ind.unit,  # type: ignore[attr-defined]
            this_pub,
            last_pub,
            this_se,
            last_se,
        )
        if res is None:
            return None
        if isinstance(res, str):
            return None if not res else res
        return res.text(ind.unit)  # type: ignore[attr-defined]

    return run


def change_rows(
    indicators: tuple,
    this_pub: pd.DataFrame,
    last_pub: pd.DataFrame | None,
    this_se: pd.DataFrame | None,
    last_se: pd.DataFrame | None,
    settings: Settings = DEFAULT_SETTINGS,
) -> pd.DataFrame:
    """Rows for ``tables.csv`` (table ``year_on_year_change``): one per tested indicator.

    ``measure`` = ``change.<measure>``, ``value`` = the change (pp, or the ratio of this
    year's likelihood to last year's), ``note`` = verdict and 95 % interval.
    """
    from edi_reports.disclosure.control import PUBLISHED_COLUMNS

    records = []
    for ind in indicators:
        where = dict(ind.where)
        res = test_change(
            ind.measure, where, ind.better, ind.unit, this_pub, last_pub, this_se, last_se
        )
        if res is None:
            continue
        base = {
            "table": "year_on_year_change",
            "measure": f"change.{ind.measure}",
            "breakdown": where.get("breakdown", "overall"),
            "group": where.get("group", ""),
            "reference_group": where.get("reference_group", ""),
            "n": "",
        }
        if isinstance(res, str):
            records.append({**base, "value": "", "unit": "pp", "note": res})
            continue
        dp = settings.rounding.ratio_dp if res.kind == "ratio" else settings.rounding.pp_dp
        mode = settings.rounding.mode
        lo, hi = format_value(res.low, dp, mode), format_value(res.high, dp, mode)
        records.append(
            {
                **base,
                "value": format_value(res.change, dp, mode),
                "unit": "ratio" if res.kind == "ratio" else "pp",
                "note": f"{res.verdict}; 95 % interval {lo} to {hi}",
            }
        )
    return pd.DataFrame.from_records(records, columns=list(PUBLISHED_COLUMNS)).astype(object)
