"""The pay gap engine: gender (statutory), ethnicity, disability, sexual orientation and
intersectional pay gaps.

Spec: methodology §0.1 (gap formula), §0.4 (unknowns), §1 (gender pay gap), §2 (ethnicity,
disability and sexual-orientation pay gaps), §8 (bootstrap intervals), §9 (intersections).

Every function reads the cleaned workforce table of :mod:`edi_reports.intake.schema` (one row per
relevant employee) and returns unrounded, unsuppressed :class:`~edi_reports.measures.metrics.Metric`
rows. Disclosure control is applied later, from the ``n``, ``numerator`` and ``denominator``
recorded here.

Row convention (metrics.csv):

- gap rows: ``group`` = comparison group, ``reference_group`` = reference group,
  ``numerator`` = people of the comparison group used, ``denominator`` = people of the
  reference group used, ``n`` = both (FPREs for hourly gaps, bonus recipients for bonus gaps);
- ``bonus_receipt`` and ``quartile_share`` rows: ``value`` in %, ``numerator`` = people in the
  cell, ``denominator`` = people in the group / quarter, ``n`` = ``denominator``.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Sequence
from typing import Any, Literal

import numpy as np
import pandas as pd

from edi_reports.config import DEFAULT_SETTINGS, Settings
from edi_reports.intake.classifications import (
    DISABILITY_GROUPS,
    ETHNIC_CATEGORIES,
    HIGH_LEVEL_GROUPS,
    SEXUAL_ORIENTATION_GROUPS,
    UNKNOWN,
    WRES_GROUPS,
)
from edi_reports.measures.metrics import Metric, metric, not_calculable

QUARTERS: tuple[str, str, str, str] = ("lower", "lower_middle", "upper_middle", "upper")
"""Pay quarter labels, lowest paid first (methodology §1.8)."""

PERIOD_DAYS: dict[str, float] = {
    "weekly": 7.0,
    "week": 7.0,
    "fortnightly": 14.0,
    "fortnight": 14.0,
    "4-weekly": 28.0,
    "four-weekly": 28.0,
    "monthly": 30.44,
    "month": 30.44,
    "yearly": 365.0,
    "annual": 365.0,
    "annually": 365.0,
}
"""Days in the relevant pay period by pay frequency (methodology §1.6 step 2)."""

DEFAULT_PERIOD_DAYS = 30.44  # monthly is the default pay frequency (data contract §2.1)

PARTS: frozenset[str] = frozenset({"hourly", "bonus_gap", "bonus_receipt", "quartile"})
"""The parts of :func:`pay_gap_metrics`: hourly gaps, bonus gaps, bonus receipt, quarters."""

Stat = Literal["mean", "median"]


# --- hourly pay and populations ------------------------------------------------------------


def _num(df: pd.DataFrame, col: str, default: float) -> pd.Series:
    """Column ``col`` as float64 (``default`` where missing or blank)."""
    if col not in df.columns:
        return pd.Series(default, index=df.index, dtype="float64")
    return pd.to_numeric(df[col], errors="coerce").astype("float64").fillna(default)


def _codes(values: pd.Series | pd.Categorical, categories: Sequence[str]) -> np.ndarray:
    """Position of each value in ``categories`` (-1 for others and blanks).

    Factorises once (cheap on categoricals) and maps the distinct values only.
    """
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    lookup = {str(c): i for i, c in enumerate(categories)}
    mapping = np.array([lookup.get(str(u), -1) for u in uniques] + [-1], dtype=np.int64)
    return mapping[codes]


def period_days(pay_frequency: pd.Series) -> pd.Series:
    """Days in the relevant pay period for each row.

    Spec: methodology §1.6 step 2 (week 7, fortnight 14, four-weekly 28, month 30.44,
    year 365). Blank means monthly (data contract §2.1); an unrecognised frequency gives
    NaN, so that person's hourly rate is NaN rather than a wrong figure.

    Parameters
    ----------
    pay_frequency
        Pay frequency per person (``monthly``, ``weekly``, ``fortnightly``, ``4-weekly``).

    Returns
    -------
    pandas.Series
        float64 days, aligned with ``pay_frequency``.
    """
    codes, uniques = pd.factorize(pay_frequency, use_na_sentinel=True)
    per_value = [PERIOD_DAYS.get(str(u).strip().lower(), np.nan) for u in uniques]
    lookup = np.array([*per_value, DEFAULT_PERIOD_DAYS], dtype="float64")
    return pd.Series(lookup[codes], index=pay_frequency.index, dtype="float64")


def hourly_rate(df: pd.DataFrame) -> pd.Series:
    """Hourly rate of pay of each relevant employee.

    Spec: methodology §1.6 (SI 2017/353 Sch 1 para 6)::

        P = ordinary_pay + bonus_pay_in_period × min(1, days_in_period / bonus_period_days)
        hourly_rate = P × 7 / days_in_period / weekly_hours

    A bonus paid in the period that relates to a longer period is pro-rated (step 1); one
    that relates to the period or a shorter one counts in full. A non-blank
    ``hourly_rate_given`` (payroll's own figure) is used as is for that row.

    Parameters
    ----------
    df
        Cleaned workforce table (``ordinary_pay``, ``contracted_hours``; optional
        ``pay_frequency``, ``bonus_pay_in_period``, ``bonus_period_days``,
        ``hourly_rate_given``).

    Returns
    -------
    pandas.Series
        £ an hour (float64), NaN where it cannot be computed (no hours, unknown frequency).
    """
    days = (
        period_days(df["pay_frequency"])
        if "pay_frequency" in df.columns
        else pd.Series(DEFAULT_PERIOD_DAYS, index=df.index, dtype="float64")
    )
    ordinary = pd.to_numeric(df["ordinary_pay"], errors="coerce").astype("float64")
    bonus = _num(df, "bonus_pay_in_period", 0.0)
    bonus_days = _num(df, "bonus_period_days", np.nan)
    longer = (bonus_days > days) & (bonus_days > 0)
    share = (days / bonus_days).where(longer, 1.0)
    pay = ordinary + bonus * share
    hours = pd.to_numeric(df["contracted_hours"], errors="coerce").astype("float64")
    hours = hours.where(hours > 0)
    rate = pay * 7.0 / days / hours
    if "hourly_rate_given" in df.columns:
        given = pd.to_numeric(df["hourly_rate_given"], errors="coerce").astype("float64")
        rate = given.where(given.notna(), rate)
    return rate.rename("hourly_rate")


def is_fpre(df: pd.DataFrame) -> pd.Series:
    """Whether each relevant employee is a full-pay relevant employee (FPRE).

    Spec: methodology §1.2 (SI 2017/353 Sch 1 para 1): not an FPRE when paid at a reduced
    rate, or nothing, in the relevant pay period because of leave. The clean table's
    ``full_pay`` flag records that (blank = ``Y``). Non-FPREs still count in every bonus
    measure (§1.7).

    Parameters
    ----------
    df
        Cleaned workforce table (optional ``full_pay`` boolean column).

    Returns
    -------
    pandas.Series
        bool, True for FPREs.
    """
    if "full_pay" not in df.columns:
        return pd.Series(True, index=df.index, dtype=bool, name="fpre")
    flag = df["full_pay"].astype("boolean").fillna(True)
    return flag.astype(bool).rename("fpre")


def _bonus_12m(df: pd.DataFrame) -> pd.Series:
    """Bonus paid in the 12 months to the snapshot, 0 when blank (methodology §1.7 para 10)."""
    return _num(df, "bonus_pay_12m", 0.0)


_RATE, _FPRE, _BONUS = "__hourly_rate", "__fpre", "__bonus_12m"


def _pay_columns(df: pd.DataFrame) -> pd.DataFrame:
    """Hourly rate, FPRE flag (with a rate) and 12-month bonus, computed once per table."""
    if _RATE in df.columns:
        return df[[_RATE, _FPRE, _BONUS]]
    rate = hourly_rate(df)
    fpre = is_fpre(df).to_numpy() & rate.notna().to_numpy()
    return pd.DataFrame({_RATE: rate, _FPRE: fpre, _BONUS: _bonus_12m(df)}, index=df.index)


def with_pay_columns(df: pd.DataFrame) -> pd.DataFrame:
    """``df`` with its hourly rate, FPRE flag and 12-month bonus attached (a new frame).

    Methodology §1.6 (hourly rate), §1.2 (FPREs), §1.7 (bonus): worked out once for the
    whole table, so that every pay gap family, and every subset of the table it takes,
    reads them instead of working them out again (each value depends on its own row
    only, so a subset's figures are the same).
    """
    if _RATE in df.columns:
        return df
    return pd.concat([df, _pay_columns(df)], axis=1)


def _slim(df: pd.DataFrame, groups: dict[str, pd.Series]) -> pd.DataFrame:
    """Pay columns plus the given group columns: all that :func:`pay_gap_metrics` reads."""
    out = _pay_columns(df).copy()
    for name, values in groups.items():
        out[name] = values
    return out


# --- gaps ------------------------------------------------------------------------------------


def gap_pct(ref: float | None, comp: float | None) -> float | None:
    """The pay gap ``(ref − comp) / ref × 100``.

    Spec: methodology §0.1. Positive when the comparison group is paid less.

    Parameters
    ----------
    ref
        Mean or median of the reference group.
    comp
        Mean or median of the comparison group.

    Returns
    -------
    float or None
        The gap in %, or None when ``ref`` is 0, missing or not finite, or ``comp`` is
        missing (the gap is undefined: never 0 or infinity).
    """
    if ref is None or comp is None:
        return None
    ref_f, comp_f = float(ref), float(comp)
    if not (math.isfinite(ref_f) and math.isfinite(comp_f)) or ref_f == 0.0:
        return None
    return (ref_f - comp_f) / ref_f * 100.0


# --- quarters --------------------------------------------------------------------------------


def quartile_sizes(n: int) -> tuple[int, int, int, int]:
    """Sizes of the four pay quarters for ``n`` FPREs, lower quarter first.

    Spec: methodology §1.8 step 2 (GOV.UK remainder rule): with ``n = 4q + r``, r = 1 gives
    the lower quarter one extra; r = 2 the lower and upper middle; r = 3 the lower, lower
    middle and upper middle. §11 vector 2: 4,445 → (1,112, 1,111, 1,111, 1,111); 10 →
    (3, 2, 3, 2); 11 → (3, 3, 3, 2).

    Parameters
    ----------
    n
        Number of FPREs ranked (>= 0).

    Returns
    -------
    tuple of int
        (lower, lower_middle, upper_middle, upper).
    """
    if n < 0:
        raise ValueError(f"quartile_sizes needs n >= 0, not {n}")
    q, r = divmod(n, 4)
    return (q + (r >= 1), q + (r >= 3), q + (r >= 2), q)


def _largest_remainder_split(remaining: np.ndarray, slots: int) -> np.ndarray:
    """Share ``slots`` among groups in proportion to ``remaining`` (exact integer arithmetic).

    Largest remainder; equal remainders go to the group listed first. Spec: methodology §2.7.
    """
    total = int(remaining.sum())
    if slots >= total:
        return remaining.copy()
    scaled = remaining.astype(np.int64) * slots
    base = scaled // total
    rem = scaled % total
    left = slots - int(base.sum())
    if left > 0:
        order = np.lexsort((np.arange(len(rem)), -rem))  # largest remainder, then first listed
        base[order[:left]] += 1
    return base


def _split_tied_block(groups: np.ndarray, quarters: np.ndarray, n_groups: int) -> np.ndarray:
    """Quarter of each member of a tied block that straddles one or more boundaries.

    Spec: methodology §1.8 step 3 and §2.7: the quarters the block spans are filled one at a
    time from the lowest; each quarter's slots in the block are shared among the members of
    each group not yet placed, in proportion to those remaining numbers (largest remainder,
    equal remainders to the group listed first); the last quarter takes everyone left.

    Parameters
    ----------
    groups
        Group code of each member (0 = first in the configured order), in rank order.
    quarters
        Quarter code (0-3) of each slot the block occupies, ascending.
    n_groups
        Number of group codes.

    Returns
    -------
    numpy.ndarray
        Quarter code per member, aligned with ``groups``.
    """
    spanned, slots = np.unique(quarters, return_counts=True)
    remaining = np.bincount(groups, minlength=n_groups).astype(np.int64)
    alloc = np.zeros((len(spanned), n_groups), dtype=np.int64)
    for k, n_slots in enumerate(slots[:-1]):
        alloc[k] = _largest_remainder_split(remaining, int(n_slots))
        remaining -= alloc[k]
    alloc[-1] = remaining
    out = np.empty(len(groups), dtype=quarters.dtype)
    for g in range(n_groups):
        members = np.flatnonzero(groups == g)
        if len(members):
            out[members] = np.repeat(spanned, alloc[:, g])
    return out


def assign_quartiles(
    rate: pd.Series,
    group: pd.Series,
    group_order: Sequence[str],
    tie_dp: int | None = 4,
) -> pd.Series:
    """The pay quarter of each person, with ties across a boundary split by group.

    Spec: methodology §1.8 (ranking, remainder rule, ties: Acme 36 W + 4 M over 10 + 30
    slots → 9 W/1 M and 27 W/3 M, §11 vector 3) and §2.7 (more than two groups; setting
    ``pay_gap.multi_group_ties``). Rates are tied when equal after rounding to ``tie_dp``
    decimal places of a pound (setting ``gpg.tie_precision_dp``; None = exact).

    Sorting is done once; only tied blocks that straddle a quarter boundary (at most three)
    are split in a loop over their groups.

    Parameters
    ----------
    rate
        Hourly rate of each FPRE to rank (NaN rows get no quarter).
    group
        Group of each person (aligned with ``rate``).
    group_order
        The configured group order; groups not listed come after, alphabetically. With two
        groups, list women first to reproduce the §1.8 method.
    tie_dp
        Decimal places at which two rates count as equal.

    Returns
    -------
    pandas.Series
        Categorical over :data:`QUARTERS`, aligned with ``rate``.
    """
    values = pd.to_numeric(rate, errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
    valid = np.isfinite(values)
    labels = _as_groups(pd.Series(group, index=rate.index))
    present = labels.cat.categories[np.unique(labels.cat.codes.to_numpy()[valid])]
    extra = sorted(set(map(str, present)) - set(group_order))
    order = list(dict.fromkeys([*group_order, *extra]))
    gcodes = _codes(labels, order)
    key = values[valid]
    if tie_dp is not None:
        key = np.round(key, tie_dp)
    n = len(key)
    rank = np.argsort(key)
    sorted_key = key[rank]
    sizes = quartile_sizes(n)
    pos_quarter = np.repeat(np.arange(4, dtype=np.int8), sizes)
    sorted_groups = gcodes[valid][rank]
    done: set[int] = set()
    for boundary in np.cumsum(sizes)[:3]:
        if 0 < boundary < n and sorted_key[boundary - 1] == sorted_key[boundary]:
            start = int(np.searchsorted(sorted_key, sorted_key[boundary], side="left"))
            if start in done:
                continue
            done.add(start)
            end = int(np.searchsorted(sorted_key, sorted_key[boundary], side="right"))
            pos_quarter[start:end] = _split_tied_block(
                sorted_groups[start:end], pos_quarter[start:end], len(order)
            )
    codes = np.full(len(values), -1, dtype=np.int8)
    valid_codes = np.empty(n, dtype=np.int8)
    valid_codes[rank] = pos_quarter
    codes[valid] = valid_codes
    cat = pd.Categorical.from_codes(codes, categories=list(QUARTERS))
    return pd.Series(cat, index=rate.index, name="quarter")


def _quarter_counts(quarter: pd.Series, group: pd.Series, order: Sequence[str]) -> np.ndarray:
    """4 × len(order) matrix of people per quarter and group."""
    q = quarter.cat.codes.to_numpy()
    g = _codes(group, order)
    keep = (q >= 0) & (g >= 0)
    flat = q[keep].astype(np.int64) * len(order) + g[keep]
    return np.bincount(flat, minlength=4 * len(order)).reshape(4, len(order))


def quartile_share_metrics(
    rate: pd.Series,
    group: pd.Series,
    *,
    measure: str,
    group_order: Sequence[str],
    tie_dp: int | None = 4,
    breakdown_suffix: str = "",
) -> list[Metric]:
    """Share of each pay quarter in each group.

    Spec: methodology §1.7 para 13, §1.8 and §2.7. One row per quarter and group of
    ``group_order``: value = people of the group in the quarter / people in the quarter ×
    100 (unit pct), numerator = people in the cell, denominator = n = people in the quarter.

    Parameters
    ----------
    rate, group
        Hourly rate and group of the FPREs to rank (everyone given is ranked).
    measure
        Measure id, e.g. ``gpg.quartile_share``.
    group_order
        Groups to report, in the configured order (also the tie order).
    tie_dp
        Tie precision (setting ``gpg.tie_precision_dp``).
    breakdown_suffix
        Appended to ``quartile=<q>`` with ``;``, e.g. ``grouping=wres``.

    Returns
    -------
    list of Metric
    """
    quarter = assign_quartiles(rate, group, group_order, tie_dp)
    counts = _quarter_counts(quarter, group, group_order)
    sizes = quartile_sizes(int(quarter.notna().sum()))
    rows: list[Metric] = []
    for qi, qname in enumerate(QUARTERS):
        bd = f"quartile={qname}" + (f";{breakdown_suffix}" if breakdown_suffix else "")
        size = sizes[qi]
        for gi, gname in enumerate(group_order):
            if size == 0:
                rows.append(
                    not_calculable(
                        measure,
                        "pct",
                        "no full-pay relevant employees in this quarter",
                        breakdown=bd,
                        group=gname,
                        n=0,
                        denominator=0,
                        warn=False,
                    )
                )
                continue
            cell = int(counts[qi, gi])
            rows.append(
                metric(
                    measure,
                    cell * 100 / size,
                    "pct",
                    breakdown=bd,
                    group=gname,
                    numerator=cell,
                    denominator=size,
                    n=size,
                )
            )
    return rows


# --- bootstrap -------------------------------------------------------------------------------


def _boot_stats(
    values: np.ndarray,
    stats: Sequence[Stat],
    reps: int,
    rng: np.random.Generator,
    chunk_elems: int,
) -> dict[Stat, np.ndarray]:
    """``reps`` bootstrap replicates of each of ``stats`` (mean, median) of ``values``.

    Methodology §8: each chunk draws one replicates × n index matrix and every statistic
    is taken from the same resamples, so the draws (and so the figures) are those of one
    statistic alone; asking for both costs one set of draws instead of two.
    """
    n = len(values)
    out = {stat: np.empty(reps, dtype="float64") for stat in stats}
    step = max(1, chunk_elems // max(n, 1))
    for start in range(0, reps, step):
        m = min(step, reps - start)
        sample = values[rng.integers(0, n, size=(m, n))]
        if "mean" in out:
            out["mean"][start : start + m] = np.mean(sample, axis=1)
        if "median" in out:  # last: it reorders the (fresh) sample in place
            out["median"][start : start + m] = _row_medians(sample)
    return out


def _row_medians(sample: np.ndarray) -> np.ndarray:
    """The median of each row of ``sample`` (reordered in place), bit for bit what
    ``np.median(sample, axis=1)`` gives.

    Methodology §8: the bootstrap's medians. Only the middle order statistics are placed
    (``np.median`` also places each row's largest value to look for NaN, and goes through
    ``np.mean``); the mean of the two middle values is ``(a + b) / 2`` as in ``np.mean``.
    A sample holding NaN goes through ``np.median`` itself.
    """
    n = sample.shape[1]
    if n == 0 or np.isnan(sample).any():
        return np.median(sample, axis=1, overwrite_input=True)
    half = n // 2
    if n % 2:
        sample.partition(half, axis=1)
        return sample[:, half].copy()
    sample.partition([half - 1, half], axis=1)
    return (sample[:, half - 1] + sample[:, half]) / 2


def _bootstrap_intervals(
    ref: np.ndarray,
    comp: np.ndarray,
    stats: Sequence[Stat],
    reps: int,
    seed: int,
    chunk_elems: int,
) -> dict[Stat, tuple[float, float]]:
    """Percentile 95 % interval of the mean and/or median gap from one set of draws (§8).

    Each interval is exactly the one :func:`_bootstrap_values` gives for that statistic
    alone (same seed, same draws in the same order: reference group first).
    """
    for stat in stats:
        if stat not in ("mean", "median"):
            raise ValueError(f"stat must be 'mean' or 'median', not {stat!r}")
    if len(ref) == 0 or len(comp) == 0 or reps < 1:
        return dict.fromkeys(stats, (math.nan, math.nan))
    rng = np.random.default_rng(seed)
    ref_s = _boot_stats(ref, stats, reps, rng, chunk_elems)
    comp_s = _boot_stats(comp, stats, reps, rng, chunk_elems)
    out: dict[Stat, tuple[float, float]] = {}
    for stat in stats:
        r, c = ref_s[stat], comp_s[stat]
        with np.errstate(divide="ignore", invalid="ignore"):
            gaps = np.where(r != 0, (r - c) / r * 100.0, np.nan)
        if not np.isfinite(gaps).any():
            out[stat] = (math.nan, math.nan)
            continue
        low, high = np.nanpercentile(gaps, [2.5, 97.5])
        out[stat] = (float(low), float(high))
    return out


def _bootstrap_values(
    ref: np.ndarray, comp: np.ndarray, stat: Stat, reps: int, seed: int, chunk_elems: int
) -> tuple[float, float]:
    """Percentile 95 % interval of the gap from resampling within each group (§8)."""
    if stat not in ("mean", "median"):
        raise ValueError(f"stat must be 'mean' or 'median', not {stat!r}")
    return _bootstrap_intervals(ref, comp, (stat,), reps, seed, chunk_elems)[stat]


def bootstrap_gap_ci(
    df: pd.DataFrame,
    group_col: str,
    reference: str,
    comparison: str,
    stat: Stat,
    reps: int,
    seed: int,
    *,
    value_col: str = "hourly_rate",
    chunk_elems: int = 4_000_000,
) -> tuple[float, float]:
    """Bootstrap 95 % percentile interval of a mean or median pay gap.

    Spec: methodology §8 (optional analysis, setting ``ci.enabled``; at least 2,000
    replicates, resampling employees within each group; seeded for reproducibility).
    Vectorised: each chunk draws a replicates × group-size index matrix.

    Parameters
    ----------
    df
        Rows to resample. If ``value_col`` is a column, its non-missing values are used as
        given; otherwise hourly rates are computed (:func:`hourly_rate`) for FPREs only.
    group_col
        Column holding the groups.
    reference, comparison
        The reference and comparison group values.
    stat
        ``mean`` or ``median``.
    reps
        Number of bootstrap replicates.
    seed
        Random seed (setting ``ci.seed``).
    value_col
        Column of values to compare (default ``hourly_rate``).
    chunk_elems
        Largest index matrix drawn at once (memory bound).

    Returns
    -------
    tuple of float
        (low, high) gap in %; (nan, nan) when a group is empty.
    """
    if value_col in df.columns:
        values = pd.to_numeric(df[value_col], errors="coerce").astype("float64")
        use = values.notna()
    else:
        values = hourly_rate(df)
        use = is_fpre(df) & values.notna()
    codes = _codes(df[group_col], [reference, comparison])
    use_np = use.to_numpy(dtype=bool)
    ref = values.to_numpy(dtype="float64")[use_np & (codes == 0)]
    comp = values.to_numpy(dtype="float64")[use_np & (codes == 1)]
    return _bootstrap_values(ref, comp, stat, reps, seed, chunk_elems)


# --- the six measures ------------------------------------------------------------------------


def _as_groups(values: pd.Series) -> pd.Series:
    """Group labels as a categorical with blanks as ``Unknown`` (methodology §0.4)."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    cats = list(dict.fromkeys(str(u) for u in uniques))
    if len(cats) != len(uniques):  # distinct values with the same text
        return _as_groups(values.astype("string"))
    if UNKNOWN not in cats:
        cats.append(UNKNOWN)
    codes = np.where(codes < 0, cats.index(UNKNOWN), codes)
    return pd.Series(pd.Categorical.from_codes(codes, categories=cats), index=values.index)


Stats = dict[Any, dict[str, float]]


def _stats(values: pd.Series, groups: pd.Series) -> Stats:
    """count, mean and median of ``values`` per observed group (one categorical groupby),
    as plain numbers: the gap rows look a few of them up."""
    grouped = values.groupby(groups, observed=True)
    count, mean, median = grouped.count(), grouped.mean(), grouped.median()
    if not (mean.index.equals(count.index) and median.index.equals(count.index)):
        frame = pd.DataFrame({"count": count, "mean": mean, "median": median})
        count, mean, median = frame["count"], frame["mean"], frame["median"]
    return {
        group: {"count": float(c), "mean": float(m), "median": float(d)}
        for group, c, m, d in zip(
            count.index.tolist(), count.tolist(), mean.tolist(), median.tolist(), strict=True
        )
    }


def _lookup(table: Stats, group: str, col: str) -> float:
    row = table.get(group)
    if row is not None:
        return row[col]
    return 0.0 if col == "count" else math.nan


def _hourly_gap_rows(
    stats: Stats,
    *,
    prefix: str,
    reference: str,
    ref_label: str,
    comparisons: Sequence[str],
    breakdown: str,
    settings: Settings,
    ci_values: tuple[pd.Series, pd.Series] | None,
) -> list[Metric]:
    """Mean and median hourly gaps (§1.7 paras 8-9) for each comparison group."""
    rows: list[Metric] = []
    intervals: dict[str, dict[Stat, tuple[float, float]]] = {}
    n_ref = int(_lookup(stats, reference, "count"))
    for comp in comparisons:
        n_comp = int(_lookup(stats, comp, "count"))
        for stat in ("mean", "median"):
            measure = f"{prefix}.{stat}_hourly_gap"
            common = {
                "breakdown": breakdown,
                "group": comp,
                "reference_group": ref_label,
                "numerator": n_comp,
                "denominator": n_ref,
                "n": n_comp + n_ref,
            }
            if n_ref == 0:
                rows.append(
                    not_calculable(
                        measure,
                        "pct",
                        f"no full-pay relevant employees in reference group {ref_label}",
                        **common,
                    )
                )
                continue
            if n_comp == 0:
                rows.append(
                    not_calculable(
                        measure,
                        "pct",
                        f"no full-pay relevant employees in group {comp}",
                        warn=False,
                        **common,
                    )
                )
                continue
            value = gap_pct(_lookup(stats, reference, stat), _lookup(stats, comp, stat))
            if value is None:
                rows.append(
                    not_calculable(
                        measure,
                        "pct",
                        f"{stat} hourly rate of reference group {ref_label} is 0",
                        **common,
                    )
                )
                continue
            ci_low = ci_high = None
            if ci_values is not None:
                if comp not in intervals:  # both statistics from one set of draws
                    rate, groups = ci_values
                    intervals[comp] = _bootstrap_intervals(
                        rate[(groups == reference).to_numpy()].to_numpy(dtype="float64"),
                        rate[(groups == comp).to_numpy()].to_numpy(dtype="float64"),
                        ("mean", "median"),
                        settings.uncertainty.bootstrap_reps,
                        settings.uncertainty.seed,
                        4_000_000,
                    )
                low, high = intervals[comp][stat]  # type: ignore[index]
                if math.isfinite(low) and math.isfinite(high):
                    ci_low, ci_high = low, high
            rows.append(metric(measure, value, "pct", ci_low=ci_low, ci_high=ci_high, **common))
    return rows


def _bonus_gap_rows(
    stats: Stats,
    headcount: pd.Series,
    *,
    prefix: str,
    reference: str,
    ref_label: str,
    comparisons: Sequence[str],
    breakdown: str,
) -> list[Metric]:
    """Mean and median bonus gaps over bonus recipients (§1.7 paras 10-11, §1.10)."""
    rows: list[Metric] = []
    n_ref = int(_lookup(stats, reference, "count"))
    for comp in comparisons:
        n_comp = int(_lookup(stats, comp, "count"))
        for stat in ("mean", "median"):
            measure = f"{prefix}.{stat}_bonus_gap"
            common = {
                "breakdown": breakdown,
                "group": comp,
                "reference_group": ref_label,
                "numerator": n_comp,
                "denominator": n_ref,
                "n": n_comp + n_ref,
            }
            if int(headcount.get(comp, 0)) == 0:
                rows.append(
                    not_calculable(
                        measure,
                        "pct",
                        f"no relevant employees in group {comp}",
                        warn=False,
                        **common,
                    )
                )
                continue
            if n_ref == 0:
                rows.append(
                    not_calculable(
                        measure,
                        "pct",
                        f"no bonus recipients in reference group {ref_label}",
                        **common,
                    )
                )
                continue
            # §1.10: no recipients in the comparison group -> its figure counts as 0
            comp_value = _lookup(stats, comp, stat) if n_comp else 0.0
            value = gap_pct(_lookup(stats, reference, stat), comp_value)
            if value is None:
                rows.append(
                    not_calculable(
                        measure,
                        "pct",
                        f"{stat} bonus of reference group {ref_label} is 0",
                        **common,
                    )
                )
                continue
            rows.append(metric(measure, value, "pct", **common))
    return rows


def _bonus_receipt_rows(
    headcount: pd.Series,
    recipients: pd.Series,
    *,
    prefix: str,
    groups: Sequence[str],
    breakdown: str,
) -> list[Metric]:
    """Percentage of each group's relevant employees paid a bonus (§1.7 para 12, §2.7)."""
    rows: list[Metric] = []
    measure = f"{prefix}.bonus_receipt"
    for grp in groups:
        size = int(headcount.get(grp, 0))
        got = int(recipients.get(grp, 0))
        if size == 0:
            rows.append(
                not_calculable(
                    measure,
                    "pct",
                    f"no relevant employees in group {grp}",
                    breakdown=breakdown,
                    group=grp,
                    numerator=0,
                    denominator=0,
                    n=0,
                    warn=False,
                )
            )
            continue
        rows.append(
            metric(
                measure,
                got * 100 / size,
                "pct",
                breakdown=breakdown,
                group=grp,
                numerator=got,
                denominator=size,
                n=size,
            )
        )
    return rows


def pay_gap_metrics(
    df: pd.DataFrame,
    *,
    prefix: str,
    group_col: str,
    reference: str,
    comparisons: list[str],
    group_order: list[str],
    settings: Settings = DEFAULT_SETTINGS,
    reference_label: str | None = None,
    parts: Collection[str] = PARTS,
    breakdown: str = "overall",
    quartile_breakdown: str = "",
) -> list[Metric]:
    """The six pay gap measures for one grouping.

    Spec: methodology §1.7 (the six measures; populations: FPREs for the hourly gaps and the
    quarters, all relevant employees for the bonus measures), §1.8 (quarters), §1.10 (bonus
    edge cases), §0.1 (undefined gaps), §0.4 (unknowns left out of gaps) and §2.7 (more than
    two groups). No disclosure control here: ``n`` is recorded for it.

    - ``<prefix>.mean_hourly_gap`` / ``median_hourly_gap``: one row per comparison group,
      over FPREs with an hourly rate. With ``settings.uncertainty.enabled`` the rows carry a
      bootstrap interval (§8).
    - ``<prefix>.mean_bonus_gap`` / ``median_bonus_gap``: over bonus recipients
      (``bonus_pay_12m > 0``) among all relevant employees. A comparison group with people
      but no recipients gives 100.0 (its figure counts as 0, §1.10); a reference group with
      no recipients gives not calculable plus a warning.
    - ``<prefix>.bonus_receipt``: one row per group, reference included.
    - ``<prefix>.quartile_share``: one row per quarter and group of ``group_order``; people
      whose group is ``Unknown`` stay in the ranking as their own group when
      ``settings.epg.unknown_in_quartiles`` (setting ``pay_gap.unknown_in_quartiles``) and
      are left out otherwise. Groups outside ``group_order`` (and Unknown) are not ranked.

    Parameters
    ----------
    df
        Cleaned workforce table: every relevant employee (filter beforehand to leave people
        out of all six measures, as :func:`gender_pay_gap` does with unknown sex).
    prefix
        Measure id prefix (``gpg``, ``epg``, ``dpg``, ``sopg``, ``intersection.epg`` …).
    group_col
        Column of ``df`` holding the groups (blank = Unknown).
    reference
        Reference group value.
    comparisons
        Comparison group values, one gap row each.
    group_order
        Groups ranked into quarters and reported there, in the configured order (also the
        tie order of §2.7).
    settings
        Configurable rules (tie precision, unknowns in quarters, uncertainty).
    reference_label
        Label written as ``reference_group`` (default: ``reference``).
    parts
        Which parts to compute: any of ``hourly``, ``bonus_gap``, ``bonus_receipt``,
        ``quartile`` (default all), so that several groupings can share a table.
    breakdown
        Breakdown of the gap and bonus receipt rows (default ``overall``).
    quartile_breakdown
        Extra ``key=value`` appended to the quarter rows' ``quartile=<q>`` breakdown.

    Returns
    -------
    list of Metric
    """
    unknown_parts = set(parts) - PARTS
    if unknown_parts:
        raise ValueError(f"unknown parts {sorted(unknown_parts)}; expected some of {sorted(PARTS)}")
    ref_label = reference_label or reference
    groups = _as_groups(df[group_col])
    rows: list[Metric] = []
    pay = _pay_columns(df)
    fpre = pay[_FPRE].to_numpy(dtype=bool)
    rate_f, groups_f = pay[_RATE][fpre], groups[fpre]
    if "hourly" in parts:
        stats = _stats(rate_f, groups_f)
        ci_values = (rate_f, groups_f) if settings.uncertainty.enabled else None
        rows += _hourly_gap_rows(
            stats,
            prefix=prefix,
            reference=reference,
            ref_label=ref_label,
            comparisons=comparisons,
            breakdown=breakdown,
            settings=settings,
            ci_values=ci_values,
        )
    if {"bonus_gap", "bonus_receipt"} & set(parts):
        bonus = pay[_BONUS]
        got = (bonus > 0).to_numpy()
        headcount = groups.value_counts()
        if "bonus_gap" in parts:
            rows += _bonus_gap_rows(
                _stats(bonus[got], groups[got]),
                headcount,
                prefix=prefix,
                reference=reference,
                ref_label=ref_label,
                comparisons=comparisons,
                breakdown=breakdown,
            )
        if "bonus_receipt" in parts:
            rows += _bonus_receipt_rows(
                headcount,
                groups[got].value_counts(),
                prefix=prefix,
                groups=list(dict.fromkeys([reference, *comparisons])),
                breakdown=breakdown,
            )
    if "quartile" in parts:
        order = [g for g in group_order if g != UNKNOWN]
        if settings.epg.unknown_in_quartiles and (groups_f == UNKNOWN).any():
            order.append(UNKNOWN)
        ranked = groups_f.isin(order).to_numpy()
        rows += quartile_share_metrics(
            rate_f[ranked],
            groups_f[ranked],
            measure=f"{prefix}.quartile_share",
            group_order=order,
            tie_dp=settings.gpg.tie_precision_dp,
            breakdown_suffix=quartile_breakdown,
        )
    return rows


# --- the four families -----------------------------------------------------------------------


def gender_pay_gap(df: pd.DataFrame, settings: Settings = DEFAULT_SETTINGS) -> list[Metric]:
    """The statutory gender pay gap: ``gpg.*``, Female against Male.

    Spec: methodology §1 (SI 2017/353 Sch 1), §1.7 the six measures, §1.8 quarters (women
    listed first for ties), §1.10 edge cases; §0.4: people whose sex is not Male or Female
    are left out of all six figures (setting ``gpg.sex_source``).

    Parameters
    ----------
    df
        Cleaned workforce table (every relevant employee).
    settings
        Configurable rules.

    Returns
    -------
    list of Metric
    """
    codes = _codes(df["sex"], ["Female", "Male"])
    known = codes >= 0
    sex = pd.Categorical.from_codes(codes, categories=["Female", "Male"], validate=False)
    sub = _slim(df, {"sex": pd.Series(sex, index=df.index)}).loc[known]
    return pay_gap_metrics(
        sub,
        prefix="gpg",
        group_col="sex",
        reference="Male",
        comparisons=["Female"],
        group_order=["Female", "Male"],
        settings=settings,
    )


def _categorical_from(codes: np.ndarray, categories: Sequence[str], index: pd.Index) -> pd.Series:
    return pd.Series(pd.Categorical.from_codes(codes, categories=list(categories)), index=index)


def _ethnic_columns(df: pd.DataFrame, settings: Settings) -> pd.DataFrame:
    """Derived grouping columns for the ethnicity pay gap (methodology §2.3, §3.1, §7.1)."""
    from edi_reports.intake.classifications import high_level_group, wres_group

    code = df["ethnic_code"] if "ethnic_code" in df.columns else None
    if "ethnic_group" in df.columns:
        high = _as_groups(df["ethnic_group"])
    else:
        high = high_level_group(code, settings.epg.code_R_group)
    wres = _as_groups(df["ethnic_wres"]) if "ethnic_wres" in df.columns else wres_group(code)
    wb = _codes(high, ["White British"]) == 0
    wres_codes = _codes(wres, ["White", "BME"])
    wb_bme = np.select([wb, wres_codes == 1, wres_codes == 0], [0, 1, 2], default=3)
    out = pd.DataFrame(index=df.index)
    out["high_level"] = high
    out["wres"] = wres
    out["wb_bme"] = _categorical_from(
        wb_bme, ["White British", "BME", "White other", UNKNOWN], df.index
    )
    if code is not None:
        known = [c for c in ETHNIC_CATEGORIES if c not in ("Z", "99")]
        labels = ["White British" if c == "A" else ETHNIC_CATEGORIES[c] for c in known]
        cat_codes = _codes(code, known)
        out["category"] = _categorical_from(
            np.where(cat_codes < 0, len(labels), cat_codes), [*labels, UNKNOWN], df.index
        )
    return out


def ethnicity_pay_gap(df: pd.DataFrame, settings: Settings = DEFAULT_SETTINGS) -> list[Metric]:
    """The ethnicity pay gap, ``epg.*``, against both references.

    Spec: methodology §2 (method mirrors §1), §2.3 (reference groups: White British, code A,
    against each high-level group and against BME; and White, codes A-C, against BME; both
    always in metrics.csv, told apart by ``reference_group``), §2.7 (more than two groups),
    §0.4 (Unknown left out of gaps).

    Rows:

    - gaps and bonus receipt with breakdown ``overall``: White British against White other,
      Mixed, Asian, Black, Other and BME; White against BME; bonus receipt for every
      high-level group and for White and BME;
    - quarter shares by high-level group (Unknown included when
      ``settings.epg.unknown_in_quartiles``), breakdown ``quartile=<q>;grouping=high_level``,
      and by WRES group, ``quartile=<q>;grouping=wres``;
    - detailed gaps (hourly and bonus) for each of the 16 categories present against White
      British, breakdown ``grouping=category``, group = the category description.

    Parameters
    ----------
    df
        Cleaned workforce table (``ethnic_code``, ``ethnic_wres``, ``ethnic_group``).
    settings
        Configurable rules.

    Returns
    -------
    list of Metric
    """
    cols = _ethnic_columns(df, settings)
    work = _slim(df, {c: cols[c] for c in cols.columns})
    high_comps = [g for g in HIGH_LEVEL_GROUPS if g not in ("White British", UNKNOWN)]
    rows = pay_gap_metrics(
        work,
        prefix="epg",
        group_col="high_level",
        reference="White British",
        comparisons=high_comps,
        group_order=list(HIGH_LEVEL_GROUPS),
        settings=settings,
        quartile_breakdown="grouping=high_level",
    )
    rows += pay_gap_metrics(
        work,
        prefix="epg",
        group_col="wb_bme",
        reference="White British",
        comparisons=["BME"],
        group_order=["White British", "BME"],
        settings=settings,
        parts={"hourly", "bonus_gap"},
    )
    rows += pay_gap_metrics(
        work,
        prefix="epg",
        group_col="wres",
        reference="White",
        comparisons=["BME"],
        group_order=list(WRES_GROUPS),
        settings=settings,
        quartile_breakdown="grouping=wres",
    )
    if "category" in work.columns:
        counts = work["category"].value_counts()
        present = {str(k) for k, v in counts.items() if v > 0}
        cat_comps = [
            desc
            for c, desc in ETHNIC_CATEGORIES.items()
            if c not in ("A", "Z", "99") and desc in present
        ]
        if cat_comps:
            rows += pay_gap_metrics(
                work,
                prefix="epg",
                group_col="category",
                reference="White British",
                comparisons=cat_comps,
                group_order=["White British", *cat_comps],
                settings=settings,
                parts={"hourly", "bonus_gap"},
                breakdown="grouping=category",
            )
    return rows


def disability_pay_gap(df: pd.DataFrame, settings: Settings = DEFAULT_SETTINGS) -> list[Metric]:
    """The disability pay gap, ``dpg.*``: Disabled against Non-disabled.

    Spec: methodology §2.6 (the rules of §1 and §2.1-§2.5 unchanged; mapping Yes/No, others
    Unknown), §2.7 (Unknown kept in the quarter ranking by default).

    Parameters
    ----------
    df
        Cleaned workforce table (``disability_group``).
    settings
        Configurable rules.

    Returns
    -------
    list of Metric
    """
    return pay_gap_metrics(
        df,
        prefix="dpg",
        group_col="disability_group",
        reference="Non-disabled",
        comparisons=["Disabled"],
        group_order=list(DISABILITY_GROUPS),
        settings=settings,
    )


def sexual_orientation_pay_gap(
    df: pd.DataFrame, settings: Settings = DEFAULT_SETTINGS
) -> list[Metric]:
    """The sexual-orientation pay gap, ``sopg.*``: LGB+ against Heterosexual.

    Spec: methodology §2.6 (mapping of ESR values; rules of §1 and §2.1-§2.5 unchanged),
    §2.7.

    Parameters
    ----------
    df
        Cleaned workforce table (``sexual_orientation_group``).
    settings
        Configurable rules.

    Returns
    -------
    list of Metric
    """
    return pay_gap_metrics(
        df,
        prefix="sopg",
        group_col="sexual_orientation_group",
        reference="Heterosexual",
        comparisons=["LGB+"],
        group_order=list(SEXUAL_ORIENTATION_GROUPS),
        settings=settings,
    )


# --- intersections -------------------------------------------------------------------------

# characteristic -> (column, reference value, other values in order, measure prefix)
_CHARACTERISTICS: dict[str, tuple[str, str, tuple[str, ...], str]] = {
    "ethnicity": ("ethnic_wres", "White", ("BME",), "epg"),
    "disability": ("disability_group", "Non-disabled", ("Disabled",), "dpg"),
    "sexual_orientation": ("sexual_orientation_group", "Heterosexual", ("LGB+",), "sopg"),
    "sex": ("sex", "Male", ("Female",), "gpg"),
}
INTERSECTIONS: tuple[tuple[str, str], ...] = (
    ("ethnicity", "sex"),
    ("disability", "sex"),
    ("ethnicity", "disability"),
)
"""Crossed characteristics reported by :func:`intersection_pay_gaps` (methodology §9)."""


def crossed_groups(
    first: pd.Series, second: pd.Series, first_values: Sequence[str], second_values: Sequence[str]
) -> pd.Series:
    """Crossed group labels such as ``BME|Female``; ``Unknown`` if either part is unknown.

    Spec: methodology §9 (labels joined with ``|``). Vectorised on categorical codes.

    Parameters
    ----------
    first, second
        The two characteristics per person.
    first_values, second_values
        Known values of each, in order (anything else is unknown).

    Returns
    -------
    pandas.Series
        Categorical: every crossed cell (first-major order), then ``Unknown``.
    """
    a = _codes(first, first_values)
    b = _codes(second, second_values)
    nb = len(second_values)
    cells = [f"{x}|{y}" for x in first_values for y in second_values]
    codes = np.where((a >= 0) & (b >= 0), a.astype(np.int64) * nb + b, len(cells))
    return _categorical_from(codes, [*cells, UNKNOWN], first.index)


def intersection_pay_gaps(df: pd.DataFrame, settings: Settings = DEFAULT_SETTINGS) -> list[Metric]:
    """Intersectional pay gaps, ``intersection.<base measure id>``.

    Spec: methodology §9. Crossings: ethnicity (WRES White/BME) × sex, disability × sex,
    ethnicity × disability; labels in the order of ``settings.intersection.label_order``
    (``BME|Female``). Measure prefix = that of the first characteristic in the label
    (``intersection.epg.*`` for ethnicity crossings, ``intersection.dpg.*`` for disability ×
    sex); every row's breakdown names the crossing (``crossing=ethnicity|sex``).

    - ``settings.intersection.comparison == "combined_reference"`` (default): every known
      cell against the cell of the reference groups (``White|Male``).
    - ``"within_second"``: within each value of the second characteristic
      (``BME|Female`` against ``White|Female``).

    Mean and median hourly gaps, mean and median bonus gaps, bonus receipt per known cell
    and quarter shares per cell (Unknown cell kept in the ranking by
    ``settings.epg.unknown_in_quartiles``); cells with an unknown part are left out of gaps.

    Parameters
    ----------
    df
        Cleaned workforce table.
    settings
        Configurable rules.

    Returns
    -------
    list of Metric
    """
    mode = settings.intersection.comparison
    if mode not in ("combined_reference", "within_second"):
        raise ValueError(
            f"intersection.comparison must be 'combined_reference' or 'within_second', not {mode!r}"
        )
    order = list(settings.intersection.label_order)
    rows: list[Metric] = []
    pay = _pay_columns(df)
    for pair in INTERSECTIONS:
        if not all(_CHARACTERISTICS[c][0] in df.columns for c in pair):
            continue
        c1, c2 = sorted(pair, key=lambda c: order.index(c) if c in order else len(order))
        col1, ref1, others1, prefix1 = _CHARACTERISTICS[c1]
        col2, ref2, others2, _ = _CHARACTERISTICS[c2]
        values1, values2 = [ref1, *others1], [ref2, *others2]
        cells = crossed_groups(df[col1], df[col2], values1, values2)
        work = pay.assign(_cell=cells)
        known = [str(c) for c in cells.cat.categories if c != UNKNOWN]
        prefix = f"intersection.{prefix1}"
        bd = f"crossing={c1}|{c2}"
        if mode == "combined_reference":
            ref_cell = f"{ref1}|{ref2}"
            rows += pay_gap_metrics(
                work,
                prefix=prefix,
                group_col="_cell",
                reference=ref_cell,
                comparisons=[c for c in known if c != ref_cell],
                group_order=known,
                settings=settings,
                breakdown=bd,
                quartile_breakdown=bd,
            )
            continue
        for v2 in values2:
            rows += pay_gap_metrics(
                work,
                prefix=prefix,
                group_col="_cell",
                reference=f"{ref1}|{v2}",
                comparisons=[f"{v1}|{v2}" for v1 in others1],
                group_order=known,
                settings=settings,
                parts={"hourly", "bonus_gap"},
                breakdown=bd,
            )
        rows += pay_gap_metrics(
            work,
            prefix=prefix,
            group_col="_cell",
            reference=f"{ref1}|{ref2}",
            comparisons=[c for c in known if c != f"{ref1}|{ref2}"],
            group_order=known,
            settings=settings,
            parts={"bonus_receipt", "quartile"},
            breakdown=bd,
            quartile_breakdown=bd,
        )
    return rows
