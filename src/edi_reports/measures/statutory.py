"""Statutory ethnicity and disability pay gaps (the 2026 rules).

Spec: docs/methodology-2026.md §2.8 (government response to the consultation on mandatory
ethnicity and disability pay gap reporting, CP 1542, March 2026), §2.4 (thresholds), §6.1.

The statutory figures are the six gender pay gap figures (methodology §1.7) computed for:

- ethnicity, ``sepg.*``: a **binary** comparison of White (ETHNIC CATEGORY A, B, C: White
  British, Irish and any other White background) with all other ethnic groups combined
  (breakdown ``overall`` and ``quartile=<q>``), and a comparison of each of the **five
  high-level groups** of the GSS harmonised standard with White (breakdown
  ``grouping=five_groups``). A group with fewer than ``statutory.min_group`` employees is
  not compared on its own: it is combined with the other small groups; when the combined
  group is itself below the minimum, the smallest reported minority group joins it, and so
  on (so no group below the minimum can be worked out from the others);
- disability, ``sdpg.*``: Disabled against non-disabled (breakdown ``overall``).

People whose ethnicity or disability is unknown or not disclosed are left out of the six
figures (as people of unknown sex are left out of the gender pay gap) and counted in the
composition rows ``sepg.composition`` / ``sdpg.composition`` (group ``Not disclosed``).

Row convention: as :func:`edi_reports.measures.paygap.pay_gap_metrics`. The number of employees in
each group (relevant employees of known ethnicity or disability) is the denominator of the
group's ``bonus_receipt`` row, which the publication rule of :func:`publish_statutory` reads.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from edi_reports.config import DEFAULT_SETTINGS, Settings
from edi_reports.measures.metrics import Metric, metric

WHITE = "White"
MINORITY = "All other ethnic groups"
NOT_DISCLOSED = "Not disclosed"
DISABLED, NON_DISABLED = "Disabled", "Non-disabled"

#: The five high-level groups of the GSS harmonised ethnicity standard (Census 2021), in
#: the order GOV.UK lists them, with the NHS ETHNIC CATEGORY codes of each. Chinese (R) is
#: Asian in the harmonised standard (the NHS list puts it under "Other").
FIVE_GROUPS: dict[str, tuple[str, ...]] = {
    "Asian or Asian British": ("H", "J", "K", "L", "R"),
    "Black, Black British, Caribbean or African": ("M", "N", "P"),
    "Mixed or multiple ethnic groups": ("D", "E", "F", "G"),
    WHITE: ("A", "B", "C"),
    "Other ethnic group": ("S",),
}
_CODE_TO_GROUP: dict[str, str] = {c: g for g, codes in FIVE_GROUPS.items() for c in codes}
_HIGH_LEVEL_TO_GROUP: dict[str, str] = {
    "White British": WHITE,
    "White other": WHITE,
    "Mixed": "Mixed or multiple ethnic groups",
    "Asian": "Asian or Asian British",
    "Black": "Black, Black British, Caribbean or African",
    "Other": "Other ethnic group",
}
FIVE_BREAKDOWN = "grouping=five_groups"
PREFIXES: tuple[str, str] = ("sepg", "sdpg")
COMBINED = "Combined: "


# --------------------------------------------------------------------------- groups


def five_group(df: pd.DataFrame) -> pd.Series:
    """Each employee's high-level ethnic group (GSS harmonised standard), or Not disclosed.

    Spec: docs/methodology-2026.md §2.8. From ``ethnic_code`` (national code, A-S) when the
    table has it, otherwise from ``ethnic_group`` (where Chinese cannot be told apart and
    stays with Other).
    """
    if "ethnic_code" in df.columns:
        codes = df["ethnic_code"].astype("string").str.strip().str.upper()
        mapped = codes.map(_CODE_TO_GROUP)
    elif "ethnic_group" in df.columns:
        mapped = df["ethnic_group"].astype("string").map(_HIGH_LEVEL_TO_GROUP)
    else:
        mapped = pd.Series(pd.NA, index=df.index, dtype="object")
    return mapped.fillna(NOT_DISCLOSED).astype(str).rename("statutory_ethnicity")


def disability_binary(df: pd.DataFrame) -> pd.Series:
    """Disabled / Non-disabled / Not disclosed from ``disability_group`` (methodology §2.6)."""
    if "disability_group" not in df.columns:
        return pd.Series(NOT_DISCLOSED, index=df.index, name="statutory_disability")
    groups = df["disability_group"].astype("string")
    out = groups.where(groups.isin([DISABLED, NON_DISABLED]), NOT_DISCLOSED)
    return out.fillna(NOT_DISCLOSED).astype(str).rename("statutory_disability")


def reported_groups(sizes: dict[str, int], min_group: int) -> dict[str, list[str]]:
    """Which high-level groups are compared on their own and which are combined.

    Spec: docs/methodology-2026.md §2.8. Every group of ``sizes`` other than White with at
    least ``min_group`` employees is reported on its own; the others are combined into one
    group. While that combined group has fewer than ``min_group`` employees (and some
    group is still reported on its own), the smallest reported group joins it (ties: the
    later group in :data:`FIVE_GROUPS` order), so that a small group can never be worked out
    as the difference between the total and the groups shown.

    Parameters
    ----------
    sizes
        Employees (known ethnicity) in each high-level group; absent groups count as 0.
    min_group
        The statutory minimum (setting ``statutory.min_group``).

    Returns
    -------
    dict
        Reported label -> the high-level groups it covers, White first, in
        :data:`FIVE_GROUPS` order. A combined label reads ``"Combined: <a>; <b>"``. Groups with
        no employees are left out.

    Examples
    --------
    >>> sorted(reported_groups({"White": 50, "Asian or Asian British": 12,
    ...                         "Mixed or multiple ethnic groups": 9}, 10))
    ['Combined: Asian or Asian British; Mixed or multiple ethnic groups', 'White']
    """
    order = [g for g in FIVE_GROUPS if g != WHITE and sizes.get(g, 0) > 0]
    alone = [g for g in order if sizes.get(g, 0) >= min_group]
    combined = [g for g in order if g not in alone]
    while combined and sum(sizes.get(g, 0) for g in combined) < min_group and alone:
        smallest = min(reversed(alone), key=lambda g: sizes.get(g, 0))
        alone.remove(smallest)
        combined.append(smallest)
    out: dict[str, list[str]] = {}
    if sizes.get(WHITE, 0) > 0:
        out[WHITE] = [WHITE]
    for g in alone:
        out[g] = [g]
    if len(combined) == 1:
        out[combined[0]] = combined
    elif combined:
        members = [g for g in order if g in combined]
        out[COMBINED + "; ".join(members)] = members
    return out


# --------------------------------------------------------------------------- metrics


def _composition(prefix: str, groups: pd.Series, order: Sequence[str]) -> list[Metric]:
    """Percentage of employees in each group, ``Not disclosed`` included (§2.8)."""
    total = len(groups)
    counts = groups.value_counts()
    rows: list[Metric] = []
    if total == 0:
        return rows
    for g in [*order, NOT_DISCLOSED]:
        c = int(counts.get(g, 0))
        rows.append(
            metric(
                f"{prefix}.composition",
                100 * c / total,
                "pct",
                group=g,
                numerator=c,
                denominator=total,
                n=total,
            )
        )
    return rows


def statutory_ethnicity_pay_gap(
    df: pd.DataFrame, settings: Settings = DEFAULT_SETTINGS
) -> list[Metric]:
    """The statutory ethnicity pay gap figures, ``sepg.*``.

    Spec: docs/methodology-2026.md §2.8 (binary White / all other groups and the five
    high-level groups; minimum group size ``statutory.min_group``), §1.7 (the six figures,
    same populations as the gender pay gap), §2.7 (quarters with more than two groups).

    Parameters
    ----------
    df
        Cleaned workforce table (every relevant employee).
    settings
        Configurable rules (``statutory``; pay gap settings as for the gender pay gap).

    Returns
    -------
    list of Metric
        Binary rows (breakdown ``overall`` / ``quartile=<q>``), five-group rows (breakdown
        ``grouping=five_groups`` / ``quartile=<q>;grouping=five_groups``) and the
        composition rows ``sepg.composition``.
    """
    from edi_reports.measures.paygap import _slim, pay_gap_metrics

    groups = five_group(df)
    rows = _composition("sepg", groups, list(FIVE_GROUPS))
    known = (groups != NOT_DISCLOSED).to_numpy()
    if not known.any():
        return rows
    binary = np.where(groups == WHITE, WHITE, MINORITY)
    work = _slim(df, {"binary": pd.Series(binary, index=df.index), "five": groups}).loc[known]
    rows += pay_gap_metrics(
        work,
        prefix="sepg",
        group_col="binary",
        reference=WHITE,
        comparisons=[MINORITY],
        group_order=[WHITE, MINORITY],
        settings=settings,
    )
    five_sizes = {g: int(c) for g, c in work["five"].value_counts().items()}
    reported = reported_groups(five_sizes, settings.statutory.min_group)
    label_of = {g: label for label, members in reported.items() for g in members}
    work = work.assign(reported=work["five"].map(label_of))
    comps = [label for label in reported if label != WHITE]
    if WHITE in reported and comps:
        rows += pay_gap_metrics(
            work,
            prefix="sepg",
            group_col="reported",
            reference=WHITE,
            comparisons=comps,
            group_order=list(reported),
            settings=settings,
            breakdown=FIVE_BREAKDOWN,
            quartile_breakdown=FIVE_BREAKDOWN,
        )
    return rows


def statutory_disability_pay_gap(
    df: pd.DataFrame, settings: Settings = DEFAULT_SETTINGS
) -> list[Metric]:
    """The statutory disability pay gap figures, ``sdpg.*``: Disabled against non-disabled.

    Spec: docs/methodology-2026.md §2.8 (binary comparison on the Equality Act 2010
    definition, as recorded in ESR, methodology §2.6; minimum group size
    ``statutory.min_group``), §1.7.

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
    from edi_reports.measures.paygap import _slim, pay_gap_metrics

    groups = disability_binary(df)
    rows = _composition("sdpg", groups, [DISABLED, NON_DISABLED])
    known = (groups != NOT_DISCLOSED).to_numpy()
    if not known.any():
        return rows
    work = _slim(df, {"binary": groups}).loc[known]
    rows += pay_gap_metrics(
        work,
        prefix="sdpg",
        group_col="binary",
        reference=NON_DISABLED,
        comparisons=[DISABLED],
        group_order=[DISABLED, NON_DISABLED],
        settings=settings,
    )
    return rows


def statutory_pay_gaps(df: pd.DataFrame, settings: Settings = DEFAULT_SETTINGS) -> list[Metric]:
    """Both statutory families (none when ``statutory.enabled`` is False)."""
    if not settings.statutory.enabled:
        return []
    return statutory_ethnicity_pay_gap(df, settings) + statutory_disability_pay_gap(df, settings)


# --------------------------------------------------------------------------- publication

STATUTORY_NAMES: frozenset[str] = frozenset(
    {
        "mean_hourly_gap",
        "median_hourly_gap",
        "mean_bonus_gap",
        "median_bonus_gap",
        "bonus_receipt",
        "quartile_share",
    }
)


def is_statutory_measure(measure: str) -> bool:
    """Whether ``measure`` is one of the six statutory ethnicity/disability figures."""
    prefix, _, name = measure.partition(".")
    return prefix in PREFIXES and name in STATUTORY_NAMES


def duty_applies(relevant_employees: int | None, settings: Settings = DEFAULT_SETTINGS) -> bool:
    """Whether the employer is in scope (``statutory.min_employees``, 250, §2.8)."""
    return (
        settings.statutory.enabled
        and relevant_employees is not None
        and relevant_employees >= settings.statutory.min_employees
    )


def below_minimum_note(settings: Settings = DEFAULT_SETTINGS) -> str:
    """The note of a statutory figure withheld because a group is too small."""
    return (
        f"{settings.disclosure.symbol}: a group compared has fewer than "
        f"{settings.statutory.min_group} employees (statutory minimum)"
    )


def publish_statutory(
    frame: pd.DataFrame, rows: pd.Series, value: pd.Series, note: pd.Series, settings: Settings
) -> None:
    """Apply the statutory minimum group size to statutory ethnicity/disability rows.

    Spec: docs/methodology-2026.md §2.8 and §6.1: the figures of an employer in scope are
    published in full (1 dp) like the gender pay gap, except that a figure about a group of
    fewer than ``statutory.min_group`` employees is withheld; the quarter shares of a
    comparison are withheld together when any of its groups is below the minimum (its
    share would otherwise be 100 minus the others). The two shares of a binary quarter are
    rounded as a pair so that they add up to exactly 100.0 (methodology §0.2).

    Parameters
    ----------
    frame
        The metrics frame being published (``disclosure._as_metrics``).
    rows
        Boolean mask of the statutory ethnicity/disability rows already formatted.
    value, note
        The published value and note columns, changed in place.
    settings
        ``statutory.min_group``, ``disclosure.symbol`` and rounding.
    """
    from edi_reports.rounding import round_pair

    if not rows.any():
        return
    sym = settings.disclosure.symbol
    sub = frame.loc[rows]
    quarter = sub["measure"].str.endswith("quartile_share")
    family = (
        sub["measure"].str.partition(".")[0]
        + "|"
        + sub["breakdown"].str.replace(r"quartile=[a-z_]+;?", "", regex=True).replace("", "overall")
    )
    # employees in each group of each comparison: its bonus_receipt row's denominator
    receipt = sub["measure"].str.endswith(".bonus_receipt")
    sizes = dict(
        zip(
            zip(family[receipt], sub.loc[receipt, "group"], strict=True),
            sub.loc[receipt, "denominator"].fillna(0.0),
            strict=True,
        )
    )
    n = [
        min(sizes.get((f, g), 0.0), sizes.get((f, r), 0.0)) if r else sizes.get((f, g), 0.0)
        for f, g, r in zip(family, sub["group"], sub["reference_group"], strict=True)
    ]
    small = pd.Series(n, index=sub.index, dtype="float64") < settings.statutory.min_group
    hidden_families = set(family[quarter & small])
    hide = small | (quarter & family.isin(hidden_families))
    value[hide[hide].index] = sym
    note[hide[hide].index] = below_minimum_note(settings)
    dp = settings.rounding.percent_dp
    binary = sub[quarter & ~hide & ~sub["breakdown"].str.contains("grouping=")]
    for _, pair in binary.groupby(["measure", "breakdown"]):
        if len(pair) != 2 or pair["value"].isna().any():
            continue
        first, second = pair.index
        a, b = round_pair(float(pair.loc[first, "value"]), dp, settings.rounding.pairs)
        value[first], value[second] = f"{a:.{dp}f}", f"{b:.{dp}f}"


# --------------------------------------------------------------------------- submission

SUBMISSION_COLUMNS: list[str] = [
    "Comparison",
    "Group",
    "ComparedWith",
    "DiffMeanHourlyPercent",
    "DiffMedianHourlyPercent",
    "DiffMeanBonusPercent",
    "DiffMedianBonusPercent",
    "BonusPercent",
    "LowerQuartile",
    "LowerMiddleQuartile",
    "UpperMiddleQuartile",
    "TopQuartile",
]
"""Columns of ``epg_submission.csv`` / ``dpg_submission.csv``: the gender pay gap service's
figures (methodology §1.11) laid out one row per group, since no GOV.UK service for these
figures exists yet (docs/methodology-2026.md §2.8)."""

_GAP_COLUMNS = {
    "DiffMeanHourlyPercent": "mean_hourly_gap",
    "DiffMedianHourlyPercent": "median_hourly_gap",
    "DiffMeanBonusPercent": "mean_bonus_gap",
    "DiffMedianBonusPercent": "median_bonus_gap",
}
_QUARTER_COLUMNS = {
    "LowerQuartile": "lower",
    "LowerMiddleQuartile": "lower_middle",
    "UpperMiddleQuartile": "upper_middle",
    "TopQuartile": "upper",
}


def comparisons(published: pd.DataFrame, prefix: str) -> list[tuple[str, str, str, list[str]]]:
    """The comparisons present in the published rows of ``prefix``.

    Returns
    -------
    list of (comparison label, gap breakdown, quarter breakdown suffix, groups with the
    reference first)
    """
    out = []
    rows = published[published["measure"].astype(str).str.startswith(prefix + ".")]
    for label, bd, suffix in (
        ("binary", "overall", ""),
        ("five groups", FIVE_BREAKDOWN, ";" + FIVE_BREAKDOWN),
    ):
        receipt = rows[(rows["measure"] == f"{prefix}.bonus_receipt") & (rows["breakdown"] == bd)]
        groups = list(dict.fromkeys(receipt["group"].astype(str)))
        if groups:
            gaps = rows[
                (rows["measure"] == f"{prefix}.mean_hourly_gap") & (rows["breakdown"] == bd)
            ]
            ref = str(gaps["reference_group"].iloc[0]) if len(gaps) else groups[0]
            groups = [ref, *[g for g in groups if g != ref]]
            out.append((label, bd, suffix, groups))
    return out


def submission_frame(published: pd.DataFrame, prefix: str) -> pd.DataFrame:
    """The submission-style table of ``sepg`` or ``sdpg``, from published figures only.

    Spec: docs/methodology-2026.md §2.8. One row per group and comparison; the reference
    group's row has no gap figures. Values are exactly as published (``*`` when withheld,
    empty when not calculable).
    """

    first: dict[tuple[object, object, str], object] = {}  # first row of each key, read once
    for key in zip(
        published["measure"],
        published["breakdown"],
        published["group"].astype(str),
        published["value"],
        strict=True,
    ):
        first.setdefault(key[:3], key[3])

    def pick(measure: str, breakdown: str, group: str) -> str:
        value = first.get((measure, breakdown, group), first)
        return "" if value is first else str(value)

    records = []
    for label, bd, suffix, groups in comparisons(published, prefix):
        ref = groups[0]
        for group in groups:
            rec = {"Comparison": label, "Group": group, "ComparedWith": "" if group == ref else ref}
            for col, name in _GAP_COLUMNS.items():
                rec[col] = "" if group == ref else pick(f"{prefix}.{name}", bd, group)
            rec["BonusPercent"] = pick(f"{prefix}.bonus_receipt", bd, group)
            for col, q in _QUARTER_COLUMNS.items():
                rec[col] = pick(f"{prefix}.quartile_share", f"quartile={q}{suffix}", group)
            records.append(rec)
    return pd.DataFrame.from_records(records, columns=SUBMISSION_COLUMNS).astype(object)


def write_submissions(published: pd.DataFrame, out_dir: Path, statutory: bool) -> list[str]:
    """Write ``epg_submission.csv`` and ``dpg_submission.csv`` beside ``gpg_submission.csv``.

    Only for an employer in scope (``statutory``); a smaller body's figures are in
    ``tables.csv`` under ordinary disclosure control. Returns the file names written.
    """
    written = []
    for prefix, name in (("sepg", "epg_submission.csv"), ("sdpg", "dpg_submission.csv")):
        path = Path(out_dir) / name
        path.unlink(missing_ok=True)
        if not statutory:
            continue
        frame = submission_frame(published, prefix)
        if frame.empty:
            continue
        frame.to_csv(path, index=False, encoding="utf-8")
        written.append(name)
    return written
