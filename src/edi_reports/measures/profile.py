"""PSED workforce profile by protected characteristic.

Spec: methodology §10 (population, groups, "not declared" as its own group), §0.4 (unknowns
shown as their own group in distribution tables), §7.1-§7.2 (value lists).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from edi_reports.config import DEFAULT_SETTINGS, Settings
from edi_reports.intake.classifications import (
    DISABILITY_VALUES,
    GENDER_REASSIGNMENT_VALUES,
    MARITAL_VALUES,
    RELIGION_VALUES,
    SEXUAL_ORIENTATION_VALUES,
    UNKNOWN,
)
from edi_reports.measures.metrics import Metric, breakdown, metric, not_calculable

NOT_DECLARED = "Not declared"

# characteristic -> (column in the cleaned workforce table, ordered groups or None)
CHARACTERISTICS: dict[str, tuple[str, tuple[str, ...] | None]] = {
    "age": ("age_band", None),
    "disability": ("disability", DISABILITY_VALUES),
    "ethnicity": ("ethnic_group", None),
    "religion_belief": ("religion_belief", RELIGION_VALUES),
    "sex": ("sex", None),
    "sexual_orientation": ("sexual_orientation", SEXUAL_ORIENTATION_VALUES),
    "marital_status": ("marital_status", MARITAL_VALUES),
    "gender_reassignment": ("gender_reassignment", GENDER_REASSIGNMENT_VALUES),
    "pregnancy_maternity": ("on_maternity_leave", None),
}
BREAKDOWNS: tuple[str, ...] = ("pay_band", "staff_group")


def profile_population(
    workforce: pd.DataFrame, settings: Settings = DEFAULT_SETTINGS
) -> pd.DataFrame:
    """Staff in post on the snapshot date; bank staff left out unless ``profile.include_bank``.

    Spec: methodology §10 (population, as for WRES/WDES metric 1).
    """
    if settings.profile.include_bank or "contract_type" not in workforce:
        return workforce
    return workforce[workforce["contract_type"].astype("string") != "Bank"]


def characteristic_values(workforce: pd.DataFrame, characteristic: str) -> pd.Series | None:
    """The profile groups of one characteristic as an ordered categorical, or None if absent.

    Recorded values are kept as recorded; blank is "Not declared" (methodology §10 default
    ``profile.recorded_values``). Pregnancy and maternity is read from ``on_maternity_leave``.
    """
    column, values = CHARACTERISTICS[characteristic]
    if column not in workforce:
        return None
    raw = workforce[column]
    if raw.isna().all() and characteristic not in {"age", "ethnicity", "sex"}:
        return None  # not supplied: "not collected", never "100 % not declared"
    if characteristic == "pregnancy_maternity":
        mapped = raw.astype("boolean").map(
            {True: "On maternity leave", False: "Not on maternity leave"}, na_action="ignore"
        )
        cats = ["On maternity leave", "Not on maternity leave", NOT_DECLARED]
        return pd.Series(
            pd.Categorical(mapped.astype(object).fillna(NOT_DECLARED), categories=cats),
            index=raw.index,
        )
    if values is None:  # already categorical with its own Unknown group
        return raw.astype("category")
    # blank joins the list's own "not declared" value where it has one (ESR "Not Declared")
    blank = next((v for v in values if v.casefold() == NOT_DECLARED.casefold()), NOT_DECLARED)
    cats = list(values) + ([blank] if blank not in values else [])
    filled = raw.astype("string").fillna(blank).astype(object)
    return pd.Series(pd.Categorical(filled, categories=cats), index=raw.index)


def _shares(groups: pd.Series, by: pd.Series | None) -> pd.DataFrame:
    """Counts and row totals of ``groups`` within each value of ``by`` (vectorised)."""
    frame = pd.DataFrame({"group": groups})
    keys = ["group"]
    if by is not None:
        frame["by"] = by.astype("category")
        keys = ["by", "group"]
    counts = frame.groupby(keys, observed=False).size().rename("count").reset_index()
    totals = counts.groupby("by" if by is not None else lambda _: 0, observed=False)["count"]
    counts["total"] = totals.transform("sum")
    return counts


def _share_counts(
    groups: pd.Series, by: pd.Series | None
) -> tuple[list[object], pd.Index, np.ndarray]:
    """People of each group within each value of ``by``: the counts of :func:`_shares`
    as a matrix, from the categorical codes (one ``bincount``, no groupby).

    Returns
    -------
    tuple
        ``(by values, group categories, counts)``: ``counts[i, j]`` is the number of
        people with the ``i``-th value of ``by`` (every category, in order; ``[None]``
        when ``by`` is None) and the ``j``-th group category. Blank groups and blank
        values of ``by`` are counted nowhere, as in a groupby.
    """
    g = groups.cat.codes.to_numpy().astype(np.int64)
    cats = groups.cat.categories
    if by is None:
        b, levels = np.zeros(len(g), dtype=np.int64), [None]
    else:
        by_cat = by.astype("category")
        b, levels = by_cat.cat.codes.to_numpy().astype(np.int64), list(by_cat.cat.categories)
    keep = (g >= 0) & (b >= 0)
    flat = np.bincount(b[keep] * len(cats) + g[keep], minlength=len(levels) * len(cats))
    return levels, cats, flat.reshape(len(levels), len(cats))


def profile_metrics(workforce: pd.DataFrame, settings: Settings = DEFAULT_SETTINGS) -> list[Metric]:
    """Headcount share by group for every protected characteristic present.

    Spec: methodology §10. One share row per characteristic x group, overall and by pay band
    and staff group (``breakdown`` ``overall``, ``pay_band=Band 5``, ``staff_group=...``);
    value = % of the breakdown's headcount, numerator = people in the group,
    denominator = headcount of the breakdown, n = denominator. Empty breakdown values are
    skipped; a characteristic whose column is absent or all blank is not calculable.

    Parameters
    ----------
    workforce
        The cleaned workforce table (schema.WORKFORCE).
    settings
        Uses ``profile.include_bank``.
    """
    population = profile_population(workforce, settings)
    rows: list[Metric] = []
    for characteristic in CHARACTERISTICS:
        measure = f"profile.{characteristic}"
        groups = characteristic_values(population, characteristic)
        if groups is None:
            rows.append(
                not_calculable(
                    measure, "pct", "not available: not recorded in the workforce file", warn=False
                )
            )
            continue
        splits: list[tuple[str | None, pd.Series | None]] = [(None, None)]
        splits += [(col, population[col]) for col in BREAKDOWNS if col in population]
        for key, by in splits:
            levels, cats, counts = _share_counts(groups, by)
            totals = counts.sum(axis=1)
            for level, row, total in zip(levels, counts.tolist(), totals.tolist(), strict=True):
                if total <= 0:  # an empty breakdown value is skipped
                    continue
                bd = "overall" if key is None else breakdown({key: level})
                for group, count in zip(cats, row, strict=True):
                    rows.append(
                        metric(
                            measure,
                            100.0 * count / total,
                            "pct",
                            breakdown=bd,
                            group=str(group),
                            numerator=count,
                            denominator=total,
                            n=total,
                        )
                    )
    return rows


def headcount(workforce: pd.DataFrame, settings: Settings = DEFAULT_SETTINGS) -> int:
    """Headcount of the profile population (PSED threshold check, §10)."""
    return int(len(profile_population(workforce, settings)))


__all__ = [
    "CHARACTERISTICS",
    "NOT_DECLARED",
    "UNKNOWN",
    "characteristic_values",
    "headcount",
    "profile_metrics",
    "profile_population",
]
