"""Disclosure control: the unsuppressed metrics table made into the published tables.

Spec: methodology §6 (disclosure control), §0.2 (rounding), §1.11 and §2.4 (thresholds),
data contract §3 (``tables.csv`` / ``tables.xlsx``).

Every metric row is put in one of these kinds (:func:`row_kind`):

``statutory``
    The six organisation-level gender pay gap figures (``gpg.*`` at breakdown ``overall`` or
    ``quartile=...``). The law requires them: published as calculated, 1 dp, each quarter's
    pair summing to 100.0 (§1.10, §0.2).
``share``
    Distribution rows (``profile.*``, ``wres.1``, ``wdes.1``, ``*.quartile_share``): the rows
    of one measure and breakdown share one total and form a *line* ``cells = total``.
``binary``
    ``*.bonus_receipt`` (outside the statutory figures) and the board rows ``wres.9`` /
    ``wdes.10``: each row is its own line, ``group + rest = total``.
``comparison``
    Gaps and relative likelihoods: ``numerator`` and ``denominator`` are the sizes of the
    two groups compared (METRIC ROW CONVENTION).
``survey``
    Staff Survey figures (``wres.5``-``wres.8``, ``wdes.4a``-``wdes.9a``); ``n`` = responses.
``count``, ``statistic``, ``narrative``
    Rows of unit ``count``; other means/medians (``n`` = people); ``wdes.9b``.

Counts (§6.2): 0 stays 0, 1 to ``suppress_max`` (7) become ``*``, the rest are rounded to the
nearest ``round_base`` (5); percentages of share and binary lines are worked out from the
rounded counts (NHS Digital convention, §6.1). A count equal to the organisation's
headcount (``org_headcount``) at breakdown ``overall`` is an organisation-level count and is
published exactly (§6.2 controls counts *below* organisation level).

Secondary suppression (§6.2, setting ``disclosure.secondary_suppression``) works on lines:

* every share line and binary line (row lines), with an implicit remainder cell when the
  groups shown do not cover the total (the people not in a listed group; for a binary line
  the people *not* in the group, e.g. those who received no bonus);
* column lines across tables: for a measure published both overall and by a breakdown
  family (``pay_band=...``, ``staff_group=...``, ``cluster=...;clinical=...``), each group's
  overall cell is the sum of that group's cells over the family's rows, and the overall
  total is the sum of the rows' totals. A family whose row totals add up to the overall
  total is a full partition and makes its own column lines; families that do not (WRES
  indicator 1's AfC rows and medical rows) are combined into one set of column lines with
  a remainder for the people in no row.
* the same cell in two tables (two measure ids or two ethnic ``grouping=`` values, same
  breakdown otherwise, same count and total, e.g. ``profile.disability`` "Yes" and
  ``wdes.1`` "Disabled", or the Unknown cell of a pay quarter under both ethnic groupings)
  is suppressed in both when it is suppressed in either; a coincidental match only adds
  suppression.

Two rules are applied to every line until nothing changes (suppression only ever grows, so
this terminates):

1. *Exactly one*: if the line's total is published and exactly one of its cells is not
   published and that cell is a small count (1-7), the smallest published non-zero cell of
   the line is suppressed too (a two-group complement such as men % = 100 - women % is the
   two-cell case).
2. *Interval audit*: an attacker who knows every published number of the line, that a
   published count ``r`` hides a true count in ``[max(r - h, s + 1), r + h]``
   (``h = round_base // 2``, ``s = suppress_max``), and even the class of every hidden
   cell (0; 1..s; more than s) works out the range of values each hidden small count can
   take from ``sum(cells) = total``. If that range is a single value the line gets another
   suppression. When no published non-zero cell is left, the line's total is suppressed
   (and with it every percentage of a row line).

What this proves, line by line: no count 1..7 is published; every published count other
than an exact organisation headcount is 0 or a multiple of ``round_base`` of at least 10
(counts of 8 or more round to 10 or more); no line with a published total has exactly one
hidden small cell; and no single row or column equation pins a hidden small count to one
value. Not covered: attacks that combine several equations at once (linear programming
over a whole two-way table), relations between different measures other than identical
cells (e.g. ``profile.disability`` groups summed against ``wdes.1`` Unknown), and the
statutory figures, which are exempt by law.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from edi_reports import catalogue
from edi_reports.config import DEFAULT_SETTINGS, Settings
from edi_reports.disclosure.xlsx import write_workbook
from edi_reports.intake.classifications import SURVEY_MEASURES as SURVEY_MEASURE_IDS
from edi_reports.measures import statutory as statutory_rules
from edi_reports.rounding import format_value, round_pair

PUBLISHED_COLUMNS: tuple[str, ...] = (
    "table",
    "measure",
    "breakdown",
    "group",
    "reference_group",
    "value",
    "unit",
    "n",
    "note",
)

#: Note texts; ``{...}`` fields are filled from the settings by :func:`note_text`.
SUPPRESSION_NOTE: dict[str, str] = {
    "count": "{symbol}: {low} to {high} people, not shown",
    "secondary": (
        "{symbol}: not shown so that a small count elsewhere cannot be worked out "
        "(secondary suppression)"
    ),
    "total": "{symbol}: the total is not shown, so the percentage cannot be shown",
    "small_group": "{symbol}: a group compared has fewer than {min_group} people",
    "epg_group": (
        "{symbol}: a group compared has fewer than {epg_min} people "
        "(ethnicity pay gap publication threshold)"
    ),
    "survey": "{symbol}: fewer than {survey_min} survey responses",
    "sizes_unknown": "{symbol}: group sizes not known, so the figure is not shown",
    "statutory": "statutory figure, published in full",
    "rounded_shares": "percentages of counts rounded to the nearest {base}; may not add up to 100",
    "not_calculable": "not calculable: {reason}",
}

PAY_PREFIXES: dict[str, str] = {
    "gpg": "gender",
    "epg": "ethnicity",
    "dpg": "disability",
    "sopg": "sexual_orientation",
    "sepg": "statutory_ethnicity",  # statutory figures of the 2026 rules (statutory.py)
    "sdpg": "statutory_disability",
}
GAP_MEASURES: tuple[str, ...] = (
    "mean_hourly_gap",
    "median_hourly_gap",
    "mean_bonus_gap",
    "median_bonus_gap",
)
STATUTORY_MEASURES: frozenset[str] = frozenset(
    {f"gpg.{m}" for m in (*GAP_MEASURES, "bonus_receipt", "quartile_share")}
)
QUARTILES: tuple[str, ...] = ("lower", "lower_middle", "upper_middle", "upper")
#: Relative likelihoods and board differences, from :mod:`edi_reports.catalogue`.
RL_MEASURES: frozenset[str] = frozenset(catalogue.likelihoods())
SURVEY_MEASURES: frozenset[str] = frozenset(SURVEY_MEASURE_IDS)
BOARD_MEASURES: frozenset[str] = frozenset(
    f.id for f in catalogue.FIGURES if f.id.startswith(("wres.", "wdes.")) and f.unit == "pp"
)
_WORKFORCE_TABLES: dict[str, str] = {
    **{f"wres.{i}": "wres_likelihoods" for i in (2, 3, 4)},
    **{f"wdes.{i}": "wdes_likelihoods" for i in (2, 3)},
    **dict.fromkeys(SURVEY_MEASURES),
    "wres.1": "wres_1",
    "wdes.1": "wdes_1",
    "wres.9": "wres_board",
    "wdes.10": "wdes_board",
    "wdes.9b": "wdes_narrative",
}
_BREAKDOWN_SUFFIX: dict[str, str] = {"pay_band": "band"}
_DP_FIXED: dict[str, int] = {"gbp": 2, "gbp_per_hour": 2, "score": 1, "count": 0}

_PUB, _SUP, _HID = 0, 1, 2


# --------------------------------------------------------------------------- naming


def base_measure(measure: str) -> str:
    """``intersection.epg.mean_hourly_gap`` -> ``epg.mean_hourly_gap``; others unchanged.

    Spec: methodology §9 (intersectional cells follow the rules of their base measure).
    """
    for prefix in ("intersection.", "directorate."):  # directorate figures: optional section
        if measure.startswith(prefix):
            return measure[len(prefix) :]
    return measure


def breakdown_keys(breakdown: str) -> tuple[str, ...]:
    """The keys of a breakdown string: ``"pay_band=Band 5;clinical=Y"`` -> ``("pay_band", "clinical")``.

    Spec: data contract §3.1 (``key=value`` pairs joined by ``;``; ``overall`` has none).
    """
    if not breakdown or breakdown == "overall":
        return ()
    return tuple(part.split("=", 1)[0].strip() for part in breakdown.split(";") if part)


def table_for(measure: str, breakdown: str) -> str:
    """The stable name of the published table that a metric row belongs to.

    Spec: data contract §3 (``table`` column of ``tables.csv``).

    Parameters
    ----------
    measure
        Measure id (the methodology "Measure identifiers").
    breakdown
        Breakdown string of the row.

    Returns
    -------
    str
        e.g. ``gender_pay_gap``, ``gender_pay_quartiles``, ``ethnicity_pay_gap``,
        ``wres_1``, ``wres_likelihoods``, ``wres_survey``, ``wres_board``,
        ``profile_ethnicity_by_band``, ``intersection_pay_gaps``.

    Examples
    --------
    >>> table_for("gpg.quartile_share", "quartile=lower")
    'gender_pay_quartiles'
    >>> table_for("profile.sex", "staff_group=Estates and Ancillary")
    'profile_sex_by_staff_group'
    """
    keys = [k for k in breakdown_keys(breakdown) if k != "quartile"]
    if measure.startswith("directorate."):
        return "directorate_" + table_for(base_measure(measure), breakdown)
    if measure.startswith("intersection."):
        base = base_measure(measure)
        prefix, _, name = base.partition(".")
        if prefix in PAY_PREFIXES:
            return (
                "intersection_pay_quartiles"
                if name == "quartile_share"
                else "intersection_pay_gaps"
            )
        return f"intersection_{table_for(base, 'overall')}"
    prefix, _, name = measure.partition(".")
    if prefix in PAY_PREFIXES and name == "composition":
        stem = PAY_PREFIXES[prefix] + "_composition"
    elif prefix in PAY_PREFIXES:
        stem = PAY_PREFIXES[prefix] + ("_pay_quartiles" if name == "quartile_share" else "_pay_gap")
    elif prefix == "profile":
        stem = f"profile_{name}"
    elif measure in _WORKFORCE_TABLES:
        stem = _WORKFORCE_TABLES[measure] or f"{prefix}_survey"
        return stem
    else:
        stem = measure.replace(".", "_")
    if keys:
        stem += "_by_" + "_and_".join(_BREAKDOWN_SUFFIX.get(k, k) for k in keys)
    return stem


def row_kind(measure: str, breakdown: str, *, statutory: bool = True) -> str:
    """How disclosure control treats a metric row (see the module docstring).

    Spec: methodology §6.2; §1.11 (statutory figures); §9 (intersections use the rules of the
    base measure).

    Returns
    -------
    str
        One of ``statutory``, ``share``, ``binary``, ``comparison``, ``survey``,
        ``narrative``, ``other`` (``other`` rows are treated by unit: counts by the count
        rule, other figures as statistics of ``n`` people). With ``statutory=False`` the
        organisation-level gender pay gap figures get the kind of any other pay gap figure.
    """
    if statutory and measure in STATUTORY_MEASURES:
        keys = breakdown_keys(breakdown)
        if keys == () or keys == ("quartile",):
            return "statutory"
    base = base_measure(measure)
    prefix, _, name = base.partition(".")
    if prefix in PAY_PREFIXES:
        if name in GAP_MEASURES:
            return "comparison"
        if name == "quartile_share":
            return "share"
        if name == "bonus_receipt":
            return "binary"
        if name == "composition":
            return "share"
    if base in RL_MEASURES:
        return "comparison"
    if base in SURVEY_MEASURES:
        return "survey"
    if base in BOARD_MEASURES:
        return "binary"
    if base in ("wres.1", "wdes.1") or prefix == "profile":
        return "share"
    if base == "wdes.9b":
        return "narrative"
    return "other"


def note_text(key: str, settings: Settings = DEFAULT_SETTINGS, **fields: str) -> str:
    """One of :data:`SUPPRESSION_NOTE`, filled in from ``settings``.

    Spec: methodology §6.2 (thresholds of setting ``sdc.*`` and ``epg.min_group_publish``).
    """
    d = settings.disclosure
    values = {
        "symbol": d.symbol,
        "low": "1",
        "high": str(d.suppress_max),
        "base": str(d.round_base),
        "min_group": str(d.min_group_stat),
        "epg_min": str(settings.epg.min_group_publish),
        "survey_min": str(d.staff_survey_min),
        "reason": "",
    }
    values.update(fields)
    return SUPPRESSION_NOTE[key].format(**values)


def policy_text(settings: Settings = DEFAULT_SETTINGS) -> str:
    """The disclosure policy in plain English, for the README and the report's methods.

    Spec: methodology §6.
    """
    d = settings.disclosure
    s = d.symbol
    secondary = (
        f" Where one {s} could be worked out from a total or from the other figures in its "
        f"table (for example women % = 100 - men %), further figures are also shown as {s}."
        if d.secondary_suppression
        else ""
    )
    epg = (
        f" (fewer than {settings.epg.min_group_publish} for ethnicity pay gaps)"
        if settings.epg.min_group_publish != d.min_group_stat
        else ""
    )
    st = settings.statutory
    statutory = (
        " The statutory ethnicity and disability pay gap figures of a body with "
        f"{st.min_employees} or more employees are published in full too, except that no "
        f"figure is given for a group of fewer than {st.min_group} employees (small ethnic "
        "groups are combined instead)."
        if st.enabled
        else ""
    )
    board = (
        " Board members are public office-holders and NHS England publishes each board's "
        "make-up, so the board counts and percentages of WRES indicator 9 and WDES metric 10 "
        "are published in full; the workforce side of those comparisons is the published, "
        "rounded workforce figure."
        if d.board_in_full
        else ""
    )
    from edi_reports.disclosure.floors import count_rule, weakened

    below = weakened(settings)
    warning = (
        "**The organisation's settings weakened these privacy rules:** " + "; ".join(below) + ". "
        if below
        else ""
    )
    return (
        warning + "To protect the privacy of staff, no figure in this report identifies an "
        f"individual. {count_rule(settings)}, and percentages are worked out "
        "from the rounded counts, so they may not add up to exactly 100."
        f"{secondary} Averages, pay gaps and relative likelihoods are shown as {s} when a "
        f"group compared has fewer than {d.min_group_stat} people{epg}, and Staff Survey "
        f"results when they come from fewer than {d.staff_survey_min} responses. The "
        "statutory gender pay gap figures of a body with "
        f"{settings.gpg.statutory_min_employees} or more employees are published in full, as "
        "the law requires; a smaller body's are treated like any other pay gap."
        f"{statutory}{board}"
    )


# --------------------------------------------------------------------------- numbers


def round_counts(counts: pd.Series, settings: Settings = DEFAULT_SETTINGS) -> pd.Series:
    """The published form of counts below organisation level.

    Spec: methodology §6.2 (0 stays 0, 1 to ``suppress_max`` suppressed, others rounded to
    the nearest ``round_base``, halves up).

    Returns
    -------
    pd.Series
        ``Int64``: the rounded count, ``<NA>`` where suppressed or unknown.
    """
    d = settings.disclosure
    c = pd.to_numeric(counts, errors="coerce").astype("Float64")
    rounded = (np.floor(c / d.round_base + 0.5) * d.round_base).astype("Float64")
    small = (c > 0) & (c <= d.suppress_max)
    rounded = rounded.mask(c == 0, 0.0).mask(small, pd.NA)
    return rounded.round().astype("Int64")


def _format_counts(counts: pd.Series, settings: Settings) -> pd.Series:
    """Counts as published strings: rounded, ``*`` for 1-7, empty when unknown (§6.2)."""
    rounded = round_counts(counts, settings)
    known = pd.to_numeric(counts, errors="coerce").notna()
    out = rounded.astype("string").fillna(settings.disclosure.symbol)
    return out.where(known, "")


def _percent_of(rc: pd.Series, total: pd.Series, dp: int, mode: str) -> pd.Series:
    """``100 * rc / total`` rounded exactly (integer arithmetic) and written with ``dp`` decimals.

    Spec: methodology §0.2 (exact rounding, setting ``rounding.mode``). ``rc`` and ``total``
    are non-negative whole numbers, ``total`` > 0.
    """
    num = rc.astype("int64").to_numpy() * (100 * 10**dp)
    den = total.astype("int64").to_numpy()
    q, rem = np.divmod(num, den)
    up = (2 * rem > den) | ((2 * rem == den) & ((mode == "half_up") | (q % 2 == 1)))
    q = q + up
    whole = pd.Series(q // 10**dp, index=rc.index).astype("string")
    if dp == 0:
        return whole
    frac = pd.Series(q % 10**dp, index=rc.index).astype("string").str.zfill(dp)
    return whole + "." + frac


def _dp_for(unit: str, settings: Settings) -> int:
    """Decimal places of a unit (methodology §0.2; gbp 2 dp, score 1 dp, counts whole)."""
    r = settings.rounding
    return {"pct": r.percent_dp, "pp": r.pp_dp, "ratio": r.ratio_dp}.get(
        unit, _DP_FIXED.get(unit, 2)
    )


def _format_values(values: pd.Series, units: pd.Series, settings: Settings) -> pd.Series:
    """Unrounded figures rounded for output, exactly (methodology §0.2).

    Element-wise exact decimal rounding of aggregate figures (one per metric row, not per
    person) through :func:`edi_reports.rounding.format_value`.
    """
    names = [str(u) for u in units.tolist()]
    dp_of = {name: _dp_for(name, settings) for name in set(names)}
    v = pd.to_numeric(values, errors="coerce").astype("Float64")
    known = v.notna().to_numpy()
    numbers = v.to_numpy(dtype="float64", na_value=np.nan)
    mode = settings.rounding.mode
    texts = [
        format_value(float(x), dp_of[name], mode) if ok else ""
        for x, name, ok in zip(numbers, names, known, strict=True)
    ]
    return pd.Series(texts, index=values.index, dtype="string")


# --------------------------------------------------------------------------- lines


def _cell_intervals(
    count: np.ndarray, state: np.ndarray, exact: np.ndarray, settings: Settings
) -> tuple[np.ndarray, np.ndarray]:
    """What an attacker knows about each cell's true count: ``lo <= count <= hi``.

    Spec: methodology §6.2. A published count ``r`` hides ``[max(r - h, s + 1), r + h]``;
    0 and exact counts are known; a hidden cell's class is assumed known (0, 1..s, > s).
    """
    d = settings.disclosure
    h = d.round_base // 2
    s = d.suppress_max
    pub = state == _PUB
    r = np.floor(count / d.round_base + 0.5) * d.round_base
    lo = np.where(count == 0, 0.0, np.where(count <= s, 1.0, s + 1.0))
    hi = np.where(count == 0, 0.0, np.where(count <= s, float(s), np.inf))
    known = exact | (count == 0)
    pub_lo = np.where(known, count, np.maximum(r - h, s + 1.0))
    pub_hi = np.where(known, count, r + h)
    return np.where(pub, pub_lo, lo), np.where(pub, pub_hi, hi)


@dataclass
class _Lines:
    """Cells and the lines ``sum(members) = total`` they sit in (methodology §6.2).

    Lines are numbered ``0 .. n_lines - 1``; the first ``n_row_lines`` are row lines (a
    table row: when its total is hidden, its percentages are hidden too).
    """

    count: np.ndarray  # true count of each cell
    exact: np.ndarray  # published exactly (organisation-level count)
    state: np.ndarray  # _PUB, _SUP or _HID
    reason: np.ndarray  # "count", "secondary", "total", "hidden" or ""
    link: np.ndarray  # cells with the same link id >= 0 are the same figure in two tables
    line: np.ndarray  # member rows: line id
    cell: np.ndarray  # member rows: cell id
    total: np.ndarray  # total cell of each line
    n_row_lines: int


def _lines_needing_more(lines: _Lines, settings: Settings) -> np.ndarray:
    """Lines where a hidden small count is the only hidden cell, or is pinned to one value.

    Spec: methodology §6.2 (secondary suppression); the two rules of the module docstring.

    Returns
    -------
    np.ndarray
        Boolean mask over lines.
    """
    s = settings.disclosure.suppress_max
    n_lines = len(lines.total)
    lo, hi = _cell_intervals(lines.count, lines.state, lines.exact, settings)
    hidden = lines.state != _PUB
    primary = (lines.count > 0) & (lines.count <= s)
    ml, mc = lines.line, lines.cell
    m_inf = ~np.isfinite(hi[mc])
    sum_lo = np.bincount(ml, lo[mc], n_lines)
    sum_hi = np.bincount(ml, np.where(m_inf, 0.0, hi[mc]), n_lines)
    n_inf = np.bincount(ml, m_inf, n_lines)
    n_hidden = np.bincount(ml, hidden[mc], n_lines)
    n_hidden_primary = np.bincount(ml, hidden[mc] & primary[mc], n_lines)
    t = lines.total
    # rule 1: exactly one hidden cell, a small count, under a published total
    one = ~hidden[t] & (n_hidden == 1) & (n_hidden_primary == 1)
    # rule 2: the range of each hidden small member from sum(members) = total ...
    others_hi = np.where(n_inf[ml] - m_inf > 0, np.inf, sum_hi[ml] - np.where(m_inf, 0.0, hi[mc]))
    others_lo = sum_lo[ml] - lo[mc]
    low = np.maximum(lo[mc], lo[t][ml] - others_hi)
    high = np.minimum(hi[mc], hi[t][ml] - others_lo)
    pinned = hidden[mc] & primary[mc] & (high - low < 1)
    pinned_lines = np.bincount(ml[pinned], minlength=n_lines) > 0
    # A hidden small total needs no rule of its own: its members are each 0 or at most the
    # total, so every non-zero member is a hidden small count in [1, s] (counts 1..s start
    # suppressed, and only totals are ever exact). With k such members the total's range
    # from the line is [max(1, k), min(s, k s)], of width s - k; each member's range is
    # [1, s - (k - 1)], of the same width s - k. The total is pinned exactly when its
    # members are, and rule 2 above already flags that line.
    return one | pinned_lines


def _next_suppressions(lines: _Lines, needing: np.ndarray) -> np.ndarray:
    """For each line in ``needing``: its smallest published non-zero member, else its total
    when still published (methodology §6.2). Returns cell ids."""
    ml, mc = lines.line, lines.cell
    cand = needing[ml] & (lines.state[mc] == _PUB) & (lines.count[mc] > 0)
    cl, cc = ml[cand], mc[cand]
    order = np.lexsort((cc, lines.count[cc], cl))
    first_lines, first = np.unique(cl[order], return_index=True)
    chosen = cc[order][first]
    rest = needing.copy()
    rest[first_lines] = False
    totals = lines.total[rest]
    return np.concatenate([chosen, totals[lines.state[totals] == _PUB]])


def _protect(lines: _Lines, settings: Settings) -> _Lines:
    """Apply secondary suppression until every line passes (methodology §6.2).

    Suppression only grows, so the loop ends; each pass hides the cells of row lines whose
    total is hidden, hides every copy of a hidden linked cell, then applies the two rules.
    """
    state, reason = lines.state, lines.reason
    row_member = lines.line < lines.n_row_lines
    rl, rc = lines.line[row_member], lines.cell[row_member]
    has_link = lines.link >= 0
    n_links = int(lines.link.max()) + 1 if has_link.any() else 0
    for _ in range(len(state) + 2):
        before = int((state == _PUB).sum())
        hit = rc[(state[lines.total[rl]] != _PUB) & (state[rc] == _PUB)]
        state[hit], reason[hit] = _SUP, "total"
        if n_links:
            any_hidden = np.bincount(lines.link[has_link], state[has_link] != _PUB, n_links) > 0
            sync = has_link & (state == _PUB)
            sync[sync] = any_hidden[lines.link[sync]]
            state[sync], reason[sync] = _SUP, "secondary"
        if settings.disclosure.secondary_suppression:
            more = _next_suppressions(lines, _lines_needing_more(lines, settings))
            state[more], reason[more] = _SUP, "secondary"
        if int((state == _PUB).sum()) == before:
            return lines
    raise RuntimeError("secondary suppression did not settle")  # pragma: no cover


def _build_lines(
    shares: pd.DataFrame, org_headcount: int | None, settings: Settings
) -> tuple[_Lines, np.ndarray, np.ndarray]:
    """Cells and lines of the share and binary rows (methodology §6.2).

    Parameters
    ----------
    shares
        Share/binary metric rows with numeric ``numerator`` and ``denominator``, indexed by
        their position in the metrics frame, and a ``kind`` column.

    Returns
    -------
    lines, member_cell, total_cell
        The cells and lines; ``member_cell`` and ``total_cell`` give each metric row's cell
        id and its row total's cell id.
    """
    s = settings.disclosure.suppress_max
    rows = shares.copy()
    rows["ref"] = rows["reference_group"].fillna("").astype(str)
    binary = rows["kind"] == "binary"
    line_group = rows["group"].astype(str).where(binary, "")
    keys = [rows["measure"], rows["breakdown"], rows["ref"], rows["denominator"], line_group]
    rows["line"] = (
        pd.DataFrame({i: k for i, k in enumerate(keys)})
        .groupby(list(range(len(keys))), sort=False)
        .ngroup()
    )
    n_rows, n_lines = len(rows), int(rows["line"].max()) + 1 if len(rows) else 0
    rows["cell"] = np.arange(n_rows)
    line_info = rows.groupby("line").agg(
        total=("denominator", "first"),
        covered=("numerator", "sum"),
        breakdown=("breakdown", "first"),
        kind=("kind", "first"),
    )
    if (line_info["covered"] > line_info["total"] + 1e-9).any():
        bad = rows[rows["line"].isin(line_info.index[line_info["covered"] > line_info["total"]])]
        raise ValueError(
            "share rows whose counts exceed their total: "
            f"{sorted(set(bad['measure'] + ' [' + bad['breakdown'] + ']'))}"
        )
    total_ids = n_rows + line_info.index.to_numpy()
    exact = (
        (line_info["breakdown"] == "overall") & (line_info["total"] == org_headcount)
        if org_headcount is not None
        else pd.Series(False, index=line_info.index)
    )
    cell_frames = [
        pd.DataFrame({"count": rows["numerator"].to_numpy(float), "exact": False}),
        pd.DataFrame({"count": line_info["total"].to_numpy(float), "exact": exact.to_numpy()}),
    ]
    member_frames = [
        pd.DataFrame(
            {"line": rows["line"].to_numpy(), "cell": rows["cell"].to_numpy(), "role": "m"}
        ),
        pd.DataFrame({"line": line_info.index.to_numpy(), "cell": total_ids, "role": "t"}),
    ]
    next_id = n_rows + n_lines
    rest = line_info["total"] - line_info["covered"]
    rest = rest[rest > 1e-9]
    cell_frames.append(pd.DataFrame({"count": rest.to_numpy(float), "exact": False}))
    member_frames.append(
        pd.DataFrame(
            {"line": rest.index.to_numpy(), "cell": next_id + np.arange(len(rest)), "role": "m"}
        )
    )
    next_id += len(rest)
    hidden_ids = [next_id - len(rest) + np.arange(len(rest))]

    # column lines: a breakdown family against the overall line of the same measure
    share_rows = rows[~binary]
    overall = share_rows[share_rows["breakdown"] == "overall"]
    parts = share_rows[share_rows["breakdown"] != "overall"]
    col_lines: list[pd.DataFrame] = []
    col_cells: list[pd.DataFrame] = []
    if len(overall) and len(parts):
        cols, next_id, rest_ids = _column_lines(rows, overall, parts, n_rows, n_lines, next_id)
        col_lines.extend(cols[:-1])
        col_cells.append(cols[-1])
        hidden_ids.append(rest_ids)

    cells = pd.concat(cell_frames + col_cells, ignore_index=True)
    members = pd.concat(member_frames + col_lines, ignore_index=True)
    is_total = (members["role"] == "t").to_numpy()
    n_all_lines = int(members["line"].max()) + 1
    total = np.full(n_all_lines, -1, dtype=np.int64)
    total[members["line"].to_numpy()[is_total]] = members["cell"].to_numpy()[is_total]
    count = cells["count"].to_numpy(dtype=float)
    state = np.where((count > 0) & (count <= s), _SUP, _PUB).astype(np.int8)
    reason = np.where(state == _SUP, "count", "").astype(object)
    hidden = np.concatenate(hidden_ids).astype(np.int64)
    state[hidden], reason[hidden] = _HID, "hidden"
    reason[total_ids[state[total_ids] == _SUP]] = "total"
    # the same cell in two tables: same breakdown (apart from the ethnic ``grouping``), count
    # and total under two measure ids or groupings (labels may differ: profile.disability
    # "Yes" is wdes.1 "Disabled"); a coincidental match only adds suppression
    population = rows["breakdown"].str.replace(r"(^|;)grouping=[^;]*", "", regex=True)
    key = pd.MultiIndex.from_arrays([population, rows["numerator"], rows["denominator"]])
    codes = pd.Series(pd.factorize(key)[0], index=rows.index)
    measures = (rows["measure"] + rows["breakdown"]).groupby(codes).transform("nunique")
    shared = (measures > 1) & (rows["numerator"] > 0)
    link = np.full(len(cells), -1, dtype=np.int64)
    link[:n_rows] = np.where(shared, codes, -1)
    lines = _Lines(
        count=count,
        exact=cells["exact"].to_numpy(dtype=bool),
        state=state,
        reason=reason,
        link=link,
        line=members["line"].to_numpy(dtype=np.int64)[~is_total],
        cell=members["cell"].to_numpy(dtype=np.int64)[~is_total],
        total=total,
        n_row_lines=n_lines,
    )
    return lines, rows["cell"].to_numpy(), total_ids[rows["line"].to_numpy()]


def _column_lines(
    rows: pd.DataFrame,
    overall: pd.DataFrame,
    parts: pd.DataFrame,
    n_rows: int,
    n_lines: int,
    next_id: int,
) -> tuple[list[pd.DataFrame], int, np.ndarray]:
    """Column lines: a breakdown family's rows against the overall line of their measure.

    Spec: methodology §6.2 (no suppressed cell recoverable from totals, across tables). For
    each group, the overall cell is the sum of the group's cells over the family's rows;
    the overall total is the sum of the rows' totals. A family whose row totals add up to
    the overall total makes its own lines; the other families of a measure are combined
    (with a remainder cell for people in no row) when together they fit in the total.

    Returns
    -------
    frames, next_id, rest_ids
        Member frames (the last frame holds the new remainder cells), the next free cell id
        and the ids of the remainder cells (hidden).
    """
    keys = ["measure", "ref"]
    parts = parts.assign(
        family=parts["breakdown"].map(lambda b: ";".join(sorted(breakdown_keys(b))))
    )
    o_line = overall.groupby(keys)["line"].first()
    o_info = pd.DataFrame(
        {"o_total_cell": n_rows + o_line, "overall": overall.groupby(keys)["denominator"].first()}
    )
    fam = (
        parts.drop_duplicates("line")
        .groupby([*keys, "family"])["denominator"]
        .sum()
        .rename("fam_total")
        .reset_index()
        .join(o_info, on=keys, how="inner")
    )
    fam["full"] = (fam["fam_total"] - fam["overall"]).abs() < 1e-9
    partial_total = (
        fam["fam_total"]
        .where(~fam["full"], 0.0)
        .groupby([fam["measure"], fam["ref"]])
        .transform("sum")
    )
    fam["fam_group"] = fam["family"].where(
        fam["full"] | (partial_total > fam["overall"] + 1e-9), "*partial*"
    )
    parts = parts.merge(
        fam[[*keys, "family", "fam_group", "o_total_cell", "overall"]], on=[*keys, "family"]
    )
    o_cells = overall.set_index([*keys, "group"])[["cell", "numerator"]].rename(
        columns={"cell": "col_total", "numerator": "col_count"}
    )
    by_group = parts.join(o_cells, on=[*keys, "group"], how="inner")
    tot_rows = parts.drop_duplicates("line")
    by_total = pd.DataFrame(
        {
            "measure": tot_rows["measure"],
            "ref": tot_rows["ref"],
            "fam_group": tot_rows["fam_group"],
            "group": "\x00total",
            "cell": n_rows + tot_rows["line"],
            "col_total": tot_rows["o_total_cell"],
            "col_count": tot_rows["overall"],
            "numerator": tot_rows["denominator"],
        }
    )
    columns = [
        "measure",
        "ref",
        "fam_group",
        "group",
        "cell",
        "col_total",
        "col_count",
        "numerator",
    ]
    cols = pd.concat([by_group[columns], by_total[columns]], ignore_index=True)
    cols["col"] = cols.groupby(["measure", "ref", "fam_group", "group"], sort=False).ngroup()
    info = cols.groupby("col").agg(
        total_cell=("col_total", "first"),
        total=("col_count", "first"),
        covered=("numerator", "sum"),
    )
    info = info[info["covered"] <= info["total"] + 1e-9]  # cells exceed the total: no equation
    cols = cols[cols["col"].isin(info.index)]
    rest = info["total"] - info["covered"]
    rest = rest[rest > 1e-9]
    rest_ids = next_id + np.arange(len(rest))
    frames = [
        pd.DataFrame(
            {
                "line": n_lines + cols["col"].to_numpy(),
                "cell": cols["cell"].astype(int).to_numpy(),
                "role": "m",
            }
        ),
        pd.DataFrame(
            {
                "line": n_lines + info.index.to_numpy(),
                "cell": info["total_cell"].astype(int).to_numpy(),
                "role": "t",
            }
        ),
        pd.DataFrame({"line": n_lines + rest.index.to_numpy(), "cell": rest_ids, "role": "m"}),
        pd.DataFrame({"count": rest.to_numpy(float), "exact": False}),
    ]
    return frames, next_id + len(rest), rest_ids


# --------------------------------------------------------------------------- publish


def _as_metrics(metrics: pd.DataFrame) -> pd.DataFrame:
    """A copy with clean string keys and numeric figures, in the original row order."""
    frame = metrics.reset_index(drop=True).copy()
    for col in ("measure", "breakdown", "group", "reference_group", "unit", "status"):
        frame[col] = frame[col].astype("string").fillna("").astype(object)
    frame["breakdown"] = frame["breakdown"].where(frame["breakdown"] != "", "overall")
    for col in ("value", "numerator", "denominator", "n"):
        frame[col] = pd.to_numeric(frame[col], errors="coerce").astype("float64")
    return frame


def _join_notes(*notes: pd.Series) -> pd.Series:
    """Non-empty notes of each row joined with ``; `` (duplicates dropped, order kept)."""
    index = notes[0].index
    columns = [n.reindex(index).fillna("").astype(str).tolist() for n in notes]
    joined = [
        "; ".join(dict.fromkeys(p for p in parts if p)) for parts in zip(*columns, strict=True)
    ]
    return pd.Series(joined, index=index, dtype="string")


def _publish_statutory(frame: pd.DataFrame, idx: pd.Index, settings: Settings) -> pd.Series:
    """Statutory GPG values: 1 dp, quarter pairs summing to 100.0 (methodology §0.2, §1.10)."""
    out = _format_values(frame.loc[idx, "value"], frame.loc[idx, "unit"], settings)
    dp = settings.rounding.percent_dp
    q = frame.loc[idx]
    q = q[q["measure"] == "gpg.quartile_share"]
    for _, quarter in q.groupby("breakdown"):
        male = quarter[quarter["group"] == "Male"]
        female = quarter[quarter["group"] == "Female"]
        if len(male) == 1 and len(female) == 1 and male["value"].notna().all():
            first, second = _round_pair(float(male["value"].iloc[0]), dp, settings)
            out[male.index[0]] = first
            if female["value"].notna().all():
                out[female.index[0]] = second
    return out


def _round_pair(male: float, dp: int, settings: Settings) -> tuple[str, str]:
    """A quarter's male and female shares, summing to exactly 100 (methodology §0.2)."""
    a, b = round_pair(male, dp, settings.rounding.pairs)
    return f"{a:.{dp}f}", f"{b:.{dp}f}"


@dataclass
class _Out:
    """The published columns being filled in, aligned with the metrics frame."""

    value: pd.Series
    n: pd.Series
    note_value: pd.Series
    note_n: pd.Series

    def hide(self, mask: pd.Series, symbol: str, note: str) -> None:
        """Suppress the values of ``mask`` with ``note``."""
        self.value[mask] = symbol
        self.note_value[mask] = note


def _publish_comparisons(
    frame: pd.DataFrame, rows: pd.Series, out: _Out, settings: Settings
) -> None:
    """Gaps and relative likelihoods: hidden when a group compared is too small.

    Spec: methodology §6.2 (fewer than ``min_group_stat`` = 10 people) and §2.4 (``epg.*``:
    fewer than ``epg.min_group_publish`` = 50); §9 (intersections: the base measure's
    threshold, per cell). Group sizes are ``numerator`` and ``denominator``; when ``n`` is
    not their sum (a row built with outcomes as numerator), ``n - denominator`` is also
    checked, so either layout is safe.
    """
    d = settings.disclosure
    num, den, n = frame["numerator"], frame["denominator"], frame["n"]
    other = (n - den).where((n - num - den).abs() > 1e-9)
    sizes = pd.concat([num, den, other], axis=1).min(axis=1)
    unknown = rows & (num.isna() | den.isna())
    is_epg = frame["measure"].map(lambda m: base_measure(m).startswith("epg."))
    threshold = np.where(is_epg, settings.epg.min_group_publish, d.min_group_stat)
    small = rows & ~unknown & (sizes < threshold)
    out.value[rows] = _format_values(frame.loc[rows, "value"], frame.loc[rows, "unit"], settings)
    out.hide(small & is_epg, d.symbol, note_text("epg_group", settings))
    out.hide(small & ~is_epg, d.symbol, note_text("small_group", settings))
    out.hide(unknown, d.symbol, note_text("sizes_unknown", settings))


def _publish_statistics(
    frame: pd.DataFrame, rows: pd.Series, minimum: int, note: str, out: _Out, settings: Settings
) -> None:
    """Figures about ``n`` people or responses: hidden when ``n`` < ``minimum`` or unknown.

    Spec: methodology §6.2 (Staff Survey: fewer than 11 responses; means and medians: fewer
    than 10 people).
    """
    out.value[rows] = _format_values(frame.loc[rows, "value"], frame.loc[rows, "unit"], settings)
    out.hide(rows & ~(frame["n"] >= minimum), settings.disclosure.symbol, note)


def _publish_lines(
    frame: pd.DataFrame,
    kinds: pd.Series,
    rows: pd.Series,
    org_headcount: int | None,
    out: _Out,
    settings: Settings,
) -> None:
    """Share and binary rows: percentages of rounded counts, primary and secondary suppression.

    Spec: methodology §6.1-§6.2 (see the module docstring); §0.2 (several groups rounded
    one by one carry a note that they may not add up to 100).
    """
    sym = settings.disclosure.symbol
    shares = frame.loc[rows].assign(kind=kinds[rows])
    lines, member_cell, total_cell = _build_lines(shares, org_headcount, settings)
    lines = _protect(lines, settings)
    m_state, m_reason = lines.state[member_cell], lines.reason[member_cell]
    t_state = lines.state[total_cell]
    idx = shares.index
    rc = round_counts(shares["numerator"], settings).fillna(0)
    rt = round_counts(shares["denominator"], settings).fillna(0)
    rt = rt.where(~lines.exact[total_cell], shares["denominator"].round().astype("Int64"))
    shown = (m_state == _PUB) & (t_state == _PUB)
    dp = pd.Series([_dp_for(u, settings) for u in shares["unit"]], index=idx)
    text = pd.Series(sym, index=idx, dtype="string")
    for places in dp[shown].unique():
        sel = idx[shown & (dp == places).to_numpy()]
        text[sel] = _percent_of(rc[sel], rt[sel], int(places), settings.rounding.mode)
    board = shown & shares["measure"].map(lambda m: base_measure(m) in BOARD_MEASURES).to_numpy()
    if board.any():
        # board % of rounded counts minus the workforce % (value = board % - workforce %)
        b = idx[board]
        workforce = (
            100 * shares.loc[b, "numerator"] / shares.loc[b, "denominator"] - shares.loc[b, "value"]
        )
        board_pct = 100 * rc[b].astype(float) / rt[b].astype(float)
        text[b] = _format_values(board_pct - workforce, shares.loc[b, "unit"], settings)
    out.value[idx] = text
    reasons = pd.Series(np.where(shown, "", m_reason), index=idx)
    reasons[(t_state != _PUB) & (m_reason != "count")] = "total"
    notes = {key: note_text(key, settings) for key in ("count", "secondary", "total")}
    out.note_value[idx] = reasons.map(notes).fillna("")
    n_text = rt.astype("string")
    n_text[t_state != _PUB] = sym
    out.n[idx] = n_text
    t_count = lines.count[total_cell]
    t_small = (t_count > 0) & (t_count <= settings.disclosure.suppress_max)
    out.note_n[idx] = np.where(
        t_state == _PUB, "", np.where(t_small, notes["count"], notes["secondary"])
    )
    size = shares.groupby(["measure", "breakdown", "reference_group"])["group"].transform("size")
    multi = idx[((shares["kind"] == "share") & (size > 2)).to_numpy()]
    out.note_value[multi] = _join_notes(
        out.note_value[multi], pd.Series(note_text("rounded_shares", settings), index=multi)
    )


#: The workforce row each board figure is compared with (WRES 1 / WDES 1, overall).
BOARD_WORKFORCE: dict[str, tuple[str, str]] = {
    "wres.9": ("wres.1", "BME"),
    "wdes.10": ("wdes.1", "Disabled"),
}
BOARD_NOTE = (
    "board members are public office-holders: board counts published in full; the "
    "workforce share is the published one, from rounded counts"
)


def publish_board_in_full(
    frame: pd.DataFrame, rows: pd.Series, out: _Out, settings: Settings
) -> None:
    """WRES 9 / WDES 10: the board side published in full, the workforce side controlled.

    Spec: docs/methodology-2026.md §6.1 (setting ``disclosure.board_in_full``). Board
    members are public office-holders and NHS England publishes each board's make-up, so
    the board percentage is worked out from the exact board counts and the board size is
    shown exactly. The workforce percentage subtracted is the one published for WRES 1 /
    WDES 1 overall (percentage of rounded counts, suppressed when that is), so nothing new
    is revealed about the workforce. When that workforce row is not in the table, or is for
    a different population, the row keeps its ordinary disclosure control.
    """
    board = rows & frame["measure"].map(lambda m: base_measure(m) in BOARD_MEASURES)
    workforce_rows: dict[tuple[str, str], pd.DataFrame] = {}  # one search per standard
    rounding = settings.rounding.mode
    for i in frame.index[board]:
        num, den = frame.at[i, "numerator"], frame.at[i, "denominator"]
        if pd.isna(num) or pd.isna(den) or not den > 0:
            continue
        board_pct = 100 * float(num) / float(den)
        workforce_exact = board_pct - float(frame.at[i, "value"])
        measure, group = BOARD_WORKFORCE[base_measure(frame.at[i, "measure"])]
        if (measure, group) not in workforce_rows:
            workforce_rows[measure, group] = frame[
                (frame["measure"] == measure)
                & (frame["breakdown"] == "overall")
                & (frame["group"] == group)
                & (frame["denominator"] > 0)
            ]
        wf = workforce_rows[measure, group]
        if len(wf) != 1:
            continue
        j = wf.index[0]
        if abs(100 * wf.at[j, "numerator"] / wf.at[j, "denominator"] - workforce_exact) > 1e-6:
            continue
        shown = str(out.value[j])
        if shown == settings.disclosure.symbol:
            out.value[i] = shown
            out.note_value[i] = note_text("total", settings)
        else:
            diff = board_pct - float(shown)
            out.value[i] = (
                "" if pd.isna(diff) else format_value(diff, _dp_for("pp", settings), rounding)
            )
            out.note_value[i] = BOARD_NOTE
        out.n[i] = str(int(den))
        out.note_n[i] = ""


def relevant_employees(metrics: pd.DataFrame) -> int | None:
    """Men and women employed on the snapshot date, from the ``gpg.bonus_receipt`` rows
    (their denominators are all relevant employees of each sex, methodology §1.7)."""
    rows = metrics[
        (metrics["measure"] == "gpg.bonus_receipt") & (metrics["breakdown"] == "overall")
    ]
    sizes = pd.to_numeric(rows["denominator"], errors="coerce").dropna()
    return int(sizes.sum()) if len(sizes) else None


def statutory_duty_applies(metrics: pd.DataFrame, settings: Settings = DEFAULT_SETTINGS) -> bool:
    """Whether the statutory gender pay gap exemption from disclosure control applies.

    Spec: methodology §1.1 (the duty falls on bodies with 250 or more employees on the
    snapshot date) and §6.2. Below that the six figures are voluntary, so they are
    published under the same rules as every other pay gap: a small organisation's
    "7.7 % of men received a bonus" would otherwise reveal that one man did.
    """
    employees = relevant_employees(metrics)
    return employees is not None and employees >= settings.gpg.statutory_min_employees


def publish(
    metrics: pd.DataFrame,
    settings: Settings = DEFAULT_SETTINGS,
    *,
    org_headcount: int | None = None,
) -> pd.DataFrame:
    """The published tables: every figure rounded, formatted and disclosure-controlled.

    Spec: methodology §6 (disclosure control), §0.2 (rounding), §1.10-§1.11 (statutory GPG
    figures), §2.4 (ethnicity pay gap threshold), §9 (intersections); data contract §3.

    Parameters
    ----------
    metrics
        The unsuppressed metrics table (``metrics.COLUMNS``), as built by
        :func:`edi_reports.measures.metrics.to_frame` or read by ``read_metrics``.
    settings
        Uses ``disclosure``, ``epg.min_group_publish`` and ``rounding``.
    org_headcount
        The organisation's headcount; a share total equal to it at breakdown ``overall`` is
        an organisation-level count and is published exactly. None: every count is rounded.

    Returns
    -------
    pd.DataFrame
        Columns :data:`PUBLISHED_COLUMNS`, all strings, one row per metric row in the input
        order. ``value``: pct/pp 1 dp, ratio 2 dp, gbp 2 dp, score 1 dp, count whole; ``*``
        when suppressed (``note`` says why); empty when not calculable (``note``
        "not calculable: <reason>"). ``n``: rounded like a count (``*`` for 1-7); for share
        rows it is the rounded total of the row, and the group's own rounded count is
        ``value * n / 100`` (see :func:`published_counts`).
    """
    frame = _as_metrics(metrics)
    d = settings.disclosure
    sym = d.symbol
    statutory = statutory_duty_applies(frame, settings)
    in_scope_2026 = statutory_rules.duty_applies(relevant_employees(frame), settings)
    # the kind and the table of each distinct (measure, breakdown) pair, worked out once
    pairs = list(zip(frame["measure"].tolist(), frame["breakdown"].tolist(), strict=True))
    kind_of = {
        (m, b): "statutory"
        if in_scope_2026 and statutory_rules.is_statutory_measure(m)
        else row_kind(m, b, statutory=statutory)
        for m, b in set(pairs)
    }
    kinds = pd.Series([kind_of[p] for p in pairs], index=frame.index, dtype=object)
    ok = frame["status"].str.strip().isin(["ok", ""])
    unit = frame["unit"]
    blank = pd.Series("", index=frame.index, dtype="string")
    out = _Out(blank.copy(), _format_counts(frame["n"], settings), blank.copy(), blank.copy())
    out.note_n[out.n == sym] = note_text("count", settings)

    reason = frame["status"].str.replace(r"^not_calculable:\s*", "", regex=True)
    out.note_value[~ok] = [note_text("not_calculable", settings, reason=r) for r in reason[~ok]]

    stat = ok & (kinds == "statutory")
    out.value[stat] = _publish_statutory(frame, frame.index[stat], settings)
    out.note_value[stat] = note_text("statutory", settings)
    rules_2026 = stat & frame["measure"].map(statutory_rules.is_statutory_measure)
    statutory_rules.publish_statutory(frame, rules_2026, out.value, out.note_value, settings)

    _publish_comparisons(frame, ok & (kinds == "comparison"), out, settings)
    survey = ok & (kinds == "survey")
    _publish_statistics(
        frame, survey, d.staff_survey_min, note_text("survey", settings), out, settings
    )
    narrative = ok & (kinds == "narrative")
    out.value[narrative] = frame.loc[narrative, "value"].astype("string").fillna("")
    counts = ok & (unit == "count") & kinds.isin(["share", "binary", "other"])
    out.value[counts] = _format_counts(frame.loc[counts, "value"], settings)
    out.note_value[counts & (out.value == sym)] = note_text("count", settings)
    stats = ok & (kinds == "other") & ~counts
    _publish_statistics(
        frame, stats, d.min_group_stat, note_text("small_group", settings), out, settings
    )

    lined = ok & kinds.isin(["share", "binary"]) & ~counts
    no_counts = lined & (
        frame["numerator"].isna() | frame["denominator"].isna() | ~(frame["denominator"] > 0)
    )
    out.hide(no_counts, sym, note_text("sizes_unknown", settings))
    if (lined & ~no_counts).any():
        _publish_lines(frame, kinds, lined & ~no_counts, org_headcount, out, settings)
    if d.board_in_full:
        publish_board_in_full(frame, ok & (kinds == "binary"), out, settings)

    n_note = out.note_n.where(out.note_n != out.note_value, "")
    table_of = {p: table_for(*p) for p in set(pairs)}
    published = pd.DataFrame(
        {
            "table": [table_of[p] for p in pairs],
            "measure": frame["measure"],
            "breakdown": frame["breakdown"],
            "group": frame["group"],
            "reference_group": frame["reference_group"],
            "value": out.value.fillna(""),
            "unit": unit,
            "n": out.n.fillna(""),
            "note": _join_notes(out.note_value, n_note.map(lambda t: f"n: {t}" if t else "")),
        },
        columns=list(PUBLISHED_COLUMNS),
    )
    return published.astype("string").fillna("").astype(object)


def published_counts(published: pd.DataFrame, settings: Settings = DEFAULT_SETTINGS) -> pd.Series:
    """The rounded count of each published share row (``value * n / 100``), ``<NA>`` otherwise.

    Spec: methodology §6.1 (percentages of rounded counts, so the count is recoverable and
    already rounded). Useful for headcount columns of profile tables. Published counts are
    multiples of ``round_base``, so the product is snapped to that base: the 1-decimal
    percentage alone would be off by up to ``n / 2000`` people.
    """
    v = pd.to_numeric(published["value"], errors="coerce")
    n = pd.to_numeric(published["n"], errors="coerce")
    kinds = pd.Series(
        [row_kind(m, b) for m, b in zip(published["measure"], published["breakdown"], strict=True)],
        index=published.index,
    )
    share = kinds.isin(["share"]) | (
        (kinds == "binary") & ~published["measure"].map(lambda m: base_measure(m) in BOARD_MEASURES)
    )
    base = settings.disclosure.round_base
    return ((v * n / 100 / base).round() * base).astype("Int64").where(share)


def write_tables(
    published: pd.DataFrame, out_dir: Path, *, settings: Settings = DEFAULT_SETTINGS
) -> None:
    """Write ``tables.csv`` (UTF-8) and ``tables.xlsx`` (sheets ``tables`` and ``notes``).

    Spec: data contract §3 (publishable outputs); methodology §6 (the symbol explained).

    Parameters
    ----------
    published
        The frame returned by :func:`publish`.
    out_dir
        The folder to write into (created if needed).
    settings
        For the thresholds stated on the ``notes`` sheet.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    frame = published.loc[:, list(PUBLISHED_COLUMNS)].astype("string").fillna("")
    frame.to_csv(out_dir / "tables.csv", index=False, encoding="utf-8")
    notes = notes_frame(settings).astype("string").fillna("")
    write_workbook(  # every cell text, as published (a plain writer: openpyxl took ~0.5 s)
        out_dir / "tables.xlsx",
        [
            (name, [str(c) for c in sheet.columns], sheet.itertuples(index=False, name=None))
            for name, sheet in (("tables", frame), ("notes", notes))
        ],
    )


def notes_frame(settings: Settings = DEFAULT_SETTINGS) -> pd.DataFrame:
    """The ``notes`` sheet: the symbol and conventions of the published tables (§6.2)."""
    d = settings.disclosure
    r = settings.rounding
    rows = [
        (
            "symbol",
            d.symbol,
            "Not shown to protect the privacy of staff; the note column says why.",
        ),
        ("policy", "", policy_text(settings)),
        (
            "empty value",
            "",
            "The figure cannot be worked out (for example a group has nobody in it); the note "
            "gives the reason. It is never shown as 0.",
        ),
        (
            "n",
            "",
            "Number of people (or survey responses) behind the figure, rounded like any other "
            "count. For shares it is the total of the row, and the group's own rounded count "
            "is value x n / 100.",
        ),
        (
            "precision",
            "",
            f"Percentages and percentage points to {r.percent_dp} decimal place; relative "
            f"likelihoods to {r.ratio_dp} decimal places; pounds to 2 decimal places; "
            "engagement scores to 1 decimal place.",
        ),
        (
            "units",
            "",
            "pct: percent; pp: percentage points; ratio: relative likelihood; "
            "gbp / gbp_per_hour: pounds; score: 0 to 10; count: people.",
        ),
    ]
    return pd.DataFrame(rows, columns=["item", "symbol", "explanation"])


__all__ = [
    "PUBLISHED_COLUMNS",
    "SUPPRESSION_NOTE",
    "base_measure",
    "breakdown_keys",
    "note_text",
    "notes_frame",
    "policy_text",
    "publish",
    "published_counts",
    "round_counts",
    "row_kind",
    "table_for",
    "write_tables",
]
