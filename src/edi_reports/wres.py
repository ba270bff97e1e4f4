"""WRES: the nine indicators of the Workforce Race Equality Standard, and their summary table.

Spec: measures.md §3 (indicators, ethnic grouping, interpretation), §0.3 (relative
likelihoods), §0.4 (unknowns), §8 (optional intervals).

The building blocks that WRES and WDES share (the metric 1 distribution rows, the
casework window, Staff Survey rows, board differences and the year-on-year summary) live
here and are reused by :mod:`edi_reports.wdes`.

Choices this module makes where measures.md leaves a point open:

- Headcounts (indicator 1 and every relative-likelihood denominator drawn from the workforce
  file, i.e. indicators 3, 4 and 9) are staff in post on the snapshot date **excluding bank
  staff**, the population §3.2 sets for indicator 1. Training (indicator 4) counts only
  people in that population; casework entries (indicator 3) are counted as given in the
  casework file.
- Indicator 9 percentages are of the board breakdown's headcount and of the overall
  workforce headcount, unknown ethnicity included in both denominators (§11 vector 8).
- A metric 1 row with nobody in it is emitted as not calculable ("no staff in this row")
  without a warning, so every standard row appears in every report.
- A missing optional input file gives one not-calculable row per measure id, reason
  ``not available: no <file> file``, without a warning (the status says it).
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal

import pandas as pd

from .classifications import (
    AFC_BANDS,
    MEDICAL_SUBGROUPS,
    UNKNOWN,
    WRES_GROUPS,
    wres_group,
)
from .config import DEFAULT_SETTINGS, Settings
from .errors import InputError
from .likelihood import rl_metric
from .metrics import MeasureWarning, Metric, metric, not_calculable
from .rounding import round_decimal

Tables = dict[str, pd.DataFrame]

WHITE, BME = "White", "BME"
MEDICAL_ROWS: tuple[str, ...] = tuple(dict.fromkeys(MEDICAL_SUBGROUPS.values()))
WRES1_BANDS: tuple[str, ...] = (*AFC_BANDS, "VSM")
SURVEY_MEASURES: tuple[str, ...] = ("wres.5", "wres.6", "wres.7", "wres.8")
BOARD_KEYS: tuple[str, ...] = ("total", "voting", "non_voting", "executive", "non_executive")


# --- shared helpers (also used by wdes.py) ----------------------------------------------


def not_available(measure: str, unit: str, file: str) -> Metric:
    """The row for a measure whose optional input file is absent (data-contract.md §2)."""
    return not_calculable(measure, unit, f"not available: no {file} file", warn=False)


def staff_in_post(workforce: pd.DataFrame) -> pd.DataFrame:
    """Staff in post on the snapshot date, bank staff excluded.

    Spec: measures.md §3.2 (indicator 1: bank staff are excluded) and §4.1 (WDES metric 1,
    same rule since 2023).
    """
    if "contract_type" not in workforce.columns:
        return workforce
    bank = (workforce["contract_type"].astype("string").str.casefold() == "bank").fillna(False)
    return workforce.loc[~bank.to_numpy(dtype=bool)]


def ethnic_wres(frame: pd.DataFrame) -> pd.Series:
    """White / BME / Unknown per row (measures.md §3.1), from ``ethnic_wres`` or the codes."""
    if "ethnic_wres" in frame.columns:
        s = frame["ethnic_wres"].astype("string").fillna(UNKNOWN)
        return pd.Series(pd.Categorical(s, categories=WRES_GROUPS), index=frame.index)
    if "ethnic_code" in frame.columns:
        return wres_group(frame["ethnic_code"])
    raise KeyError("a cleaned table needs an ethnic_wres or ethnic_code column")


def group_counts(groups: pd.Series, order: Sequence[str]) -> dict[str, int]:
    """Count of rows in each of ``order`` (0 where absent), vectorised."""
    counts = groups.astype("string").value_counts()
    return {g: int(counts.get(g, 0)) for g in order}


def distribution_rows(
    measure: str,
    row_keys: pd.Series,
    groups: pd.Series,
    standard_rows: Sequence[str],
    group_order: Sequence[str],
) -> list[Metric]:
    """Share of each group in each row of a metric 1 table, plus the overall row.

    Spec: measures.md §3.2 (``wres.1``) and §4.3 (``wdes.1``): each row gives each group's %
    of that row's headcount; unknowns are a group of their own (§0.4).

    Parameters
    ----------
    measure
        ``wres.1`` or ``wdes.1``.
    row_keys
        Breakdown string of each person's row (``<NA>`` for people in no row, who still
        count in the overall row).
    groups
        Each person's group (values of ``group_order``).
    standard_rows
        Every breakdown string to emit, in order; rows with nobody in them are emitted as
        not calculable without a warning.
    group_order
        The groups, in order.

    Returns
    -------
    list of Metric
        Unit ``pct``; numerator = people of the group in the row, denominator = row
        headcount, ``n`` = row headcount. The overall row has breakdown ``overall``.
    """
    frame = pd.DataFrame(
        {
            "row": pd.Categorical(row_keys.astype("string"), categories=list(standard_rows)),
            "group": pd.Categorical(groups.astype("string"), categories=list(group_order)),
        }
    )
    table = frame.groupby(["row", "group"], observed=False).size().unstack("group")
    table.index = table.index.astype(str)
    table.loc["overall"] = frame.groupby("group", observed=False).size()
    rows: list[Metric] = []
    for key in (*standard_rows, "overall"):
        counts = table.loc[key]
        total = int(counts.sum())
        for group in group_order:
            count = int(counts[group])
            if total == 0:
                rows.append(
                    not_calculable(
                        measure,
                        "pct",
                        "no staff in this row",
                        breakdown=key,
                        group=group,
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
                    count * 100 / total,
                    "pct",
                    breakdown=key,
                    group=group,
                    numerator=count,
                    denominator=total,
                    n=total,
                )
            )
    return rows


def clinical_flag(frame: pd.DataFrame) -> pd.Series:
    """``"Y"``/``"N"``/``<NA>`` from the cleaned ``clinical`` column (§3.2, §7.3)."""
    clinical = frame["clinical"].astype("boolean")
    return clinical.map({True: "Y", False: "N"}).astype("string")


def _process_mask(casework: pd.DataFrame, process: str) -> pd.Series:
    return (casework["process"].astype("string").str.casefold() == process).fillna(False)


def casework_rl(
    measure: str,
    process: str,
    tables: Tables,
    previous: Tables | None,
    settings: Settings,
    grouper: Callable[[pd.DataFrame], pd.Series],
    group_a: str,
    group_b: str,
) -> Metric:
    """Relative likelihood of group A entering a formal process compared with group B.

    Spec: measures.md §3.2 (``wres.3``) and §4.3 (``wdes.3``), setting
    ``casework.window_years`` (default 2): the two-year figure is the mean of the two years'
    entry counts over the mean of the two years' headcounts for each group; if the previous
    year's casework or workforce is missing, the current year alone is used with a warning.
    Headcounts are staff in post, bank excluded (module docstring).

    Returns
    -------
    Metric
        Breakdown ``window=1`` or ``window=2``; numerator/denominator are the (mean)
        headcounts of group A and group B.
    """
    if tables.get("casework") is None:
        return not_available(measure, "ratio", "casework")
    years = [tables]
    window = settings.standards.casework_window_years
    if window >= 2:
        prev_ok = (
            previous is not None
            and previous.get("casework") is not None
            and previous.get("workforce") is not None
        )
        if prev_ok:
            years.append(previous)
        else:
            warnings.warn(
                f"{measure}: the previous year's casework or workforce is not available; "
                "using the current year alone instead of the two-year window",
                MeasureWarning,
                stacklevel=2,
            )
    out = {group_a: 0.0, group_b: 0.0}
    base = {group_a: 0.0, group_b: 0.0}
    for year in years:
        case = year["casework"]
        entries = group_counts(grouper(case.loc[_process_mask(case, process)]), [group_a, group_b])
        heads = group_counts(grouper(staff_in_post(year["workforce"])), [group_a, group_b])
        for g in (group_a, group_b):
            out[g] += entries[g] / len(years)
            base[g] += heads[g] / len(years)
    return rl_metric(
        measure,
        out[group_a],
        base[group_a],
        out[group_b],
        base[group_b],
        group_a=group_a,
        group_b=group_b,
        settings=settings,
        breakdown=f"window={len(years)}",
        base_label="staff in post",
        outcome_label=f"staff entering the formal {process} process",
    )


def recruitment_rl(
    measure: str,
    recruitment: pd.DataFrame | None,
    settings: Settings,
    grouper: Callable[[pd.DataFrame], pd.Series],
    group_a: str,
    group_b: str,
) -> Metric:
    """Relative likelihood of group A being appointed from shortlisting compared with B.

    Spec: measures.md §3.2 (``wres.2``), §4.3 (``wdes.2``): ``(A appointed / A shortlisted)
    / (B appointed / B shortlisted)``; unknowns left out (§0.4). An appointment counts only
    for a shortlisted application (the clean stage quarantines the others).
    """
    if recruitment is None:
        return not_available(measure, "ratio", "recruitment")
    shortlisted = recruitment["shortlisted"].astype("boolean").fillna(False).to_numpy(dtype=bool)
    appointed = recruitment["appointed"].astype("boolean").fillna(False).to_numpy(dtype=bool)
    short = group_counts(grouper(recruitment.loc[shortlisted]), [group_a, group_b])
    appt = group_counts(grouper(recruitment.loc[shortlisted & appointed]), [group_a, group_b])
    return rl_metric(
        measure,
        appt[group_a],
        short[group_a],
        appt[group_b],
        short[group_b],
        group_a=group_a,
        group_b=group_b,
        settings=settings,
        base_label="shortlisted applicants",
        outcome_label="applicants appointed from shortlisting",
    )


def _casefold(series: pd.Series) -> pd.Series:
    return series.astype("string").str.strip().str.casefold()


def survey_row(
    measure: str,
    survey: pd.DataFrame,
    group: str,
    *,
    item: str | None = None,
    unit: str = "pct",
) -> Metric:
    """One published Staff Survey figure for one group.

    Spec: measures.md §3.2 (``wres.5``-``wres.8``), §4.3 (``wdes.4a``-``wdes.9a``);
    data-contract.md §2.5. Value = the published percent (or score), ``n`` = responses.

    Parameters
    ----------
    measure
        Measure id, matched against the ``question`` column.
    survey
        The cleaned ``staff_survey`` table.
    group
        ``White``, ``BME``, ``Disabled``, ``Non-disabled`` or ``All``.
    item
        Sub-item (``public``, ``managers``, ``colleagues``); None selects the row with a blank
        item (or item ``combined``), e.g. the combined managers-or-colleagues item of wres.6.
        The value is ``percent`` (or, when blank, a ``score`` column if the table has one).
    unit
        ``pct`` or ``score``.
    """
    bd = "overall" if item is None else f"item={item}"
    items = _casefold(survey["item"]) if "item" in survey.columns else None
    mask = (_casefold(survey["question"]) == measure.casefold()) & (
        _casefold(survey["group"]) == group.casefold()
    )
    if items is None:
        item_mask = pd.Series(item is None, index=survey.index)
    elif item is None:
        item_mask = items.isna() | items.isin(["", "combined"])
    else:
        item_mask = items == item.casefold()
    found = survey.loc[(mask & item_mask).fillna(False).to_numpy(dtype=bool)]
    what = f"Staff Survey result for {measure} {group}" + (f" ({item})" if item else "")
    if len(found) == 0:
        return not_calculable(measure, unit, f"no {what}", breakdown=bd, group=group)
    if len(found) > 1:
        return not_calculable(
            measure, unit, f"{len(found)} rows give the {what}", breakdown=bd, group=group
        )
    value = found["percent"].iloc[0] if "percent" in found.columns else pd.NA
    if pd.isna(value) and "score" in found.columns:
        value = found["score"].iloc[0]
    responses = found["responses"].iloc[0] if "responses" in found.columns else pd.NA
    n = None if pd.isna(responses) else int(responses)
    if pd.isna(value):
        return not_calculable(measure, unit, f"blank {what}", breakdown=bd, group=group, n=n)
    return metric(measure, float(value), unit, breakdown=bd, group=group, n=n)


def board_rows(
    measure: str,
    board: pd.DataFrame,
    board_in_group: pd.Series,
    workforce_in_group: int,
    workforce_total: int,
    breakdowns: Sequence[str],
    group: str,
) -> list[Metric]:
    """Percentage-point difference between a board breakdown and the overall workforce.

    Spec: measures.md §3.2 (``wres.9``: ``%BME(board) - %BME(overall workforce)``, breakdowns
    setting ``wres.board_breakdowns``) and §4.3 (``wdes.10``). Percentages are of headcounts,
    unknowns included (§11 vector 8).

    Returns
    -------
    list of Metric
        Unit ``pp``, breakdown ``board=<key>``; numerator = board members of the group in
        the breakdown, denominator = board members in the breakdown, ``n`` = denominator.
    """
    unknown = set(breakdowns) - set(BOARD_KEYS)
    if unknown:
        raise ValueError(f"unknown board breakdown(s) {sorted(unknown)}; use {BOARD_KEYS}")
    voting = board["voting"].astype("boolean")
    executive = board["executive"].astype("boolean")
    masks = {
        "total": pd.Series(True, index=board.index, dtype="boolean"),
        "voting": voting,
        "non_voting": ~voting,
        "executive": executive,
        "non_executive": ~executive,
    }
    in_group = board_in_group.to_numpy(dtype=bool)
    rows: list[Metric] = []
    for key in breakdowns:
        members = masks[key].fillna(False).to_numpy(dtype=bool)
        total = int(members.sum())
        count = int((members & in_group).sum())
        bd = f"board={key}"
        if workforce_total == 0:
            rows.append(
                not_calculable(measure, "pp", "no staff in post", breakdown=bd, group=group)
            )
        elif total == 0:
            rows.append(
                not_calculable(
                    measure,
                    "pp",
                    "no board members in this breakdown",
                    breakdown=bd,
                    group=group,
                    numerator=0,
                    denominator=0,
                    n=0,
                    warn=False,
                )
            )
        else:
            diff = count * 100 / total - workforce_in_group * 100 / workforce_total
            rows.append(
                metric(
                    measure,
                    diff,
                    "pp",
                    breakdown=bd,
                    group=group,
                    numerator=count,
                    denominator=total,
                    n=total,
                )
            )
    return rows


# --- WRES indicators ----------------------------------------------------------------------


def wres1_row_keys(workforce: pd.DataFrame) -> pd.Series:
    """Each person's indicator 1 row: ``pay_band=<band>;clinical=Y|N`` or ``medical=<subgroup>``.

    Spec: measures.md §3.2 (``wres.1``), §7.3 (clinical from staff group), §7.5 (medical
    subgroups). Other grades (Non-AfC, blank) and AfC/VSM staff with no clinical flag have no
    row (``<NA>``) and count only in the overall row.
    """
    band = workforce["pay_band"].astype("string")
    clinical = clinical_flag(workforce)
    afc = band.isin(WRES1_BANDS).fillna(False) & clinical.notna()
    medical = band.map(MEDICAL_SUBGROUPS).astype("string")
    keys = pd.Series(pd.NA, index=workforce.index, dtype="string")
    keys = keys.mask(afc, "pay_band=" + band + ";clinical=" + clinical)
    return keys.mask(medical.notna(), "medical=" + medical)


def wres1_standard_rows() -> list[str]:
    """Indicator 1 rows in report order: non-clinical bands, clinical bands, medical (§3.2)."""
    rows = [f"pay_band={b};clinical={c}" for c in ("N", "Y") for b in WRES1_BANDS]
    return rows + [f"medical={m}" for m in MEDICAL_ROWS]


def wres1(workforce: pd.DataFrame) -> list[Metric]:
    """Indicator 1: White/BME/Unknown % of headcount by band, clinical flag and medical subgroup.

    Spec: measures.md §3.2 (``wres.1``; bank staff excluded), §3.1 (Unknown shown as a
    group).
    """
    staff = staff_in_post(workforce)
    return distribution_rows(
        "wres.1", wres1_row_keys(staff), ethnic_wres(staff), wres1_standard_rows(), WRES_GROUPS
    )


def wres4(tables: Tables, settings: Settings) -> Metric:
    """Indicator 4: RL of White staff accessing non-mandatory training/CPD compared with BME.

    Spec: measures.md §3.2 (``wres.4``): ``(White accessing / White headcount) / (BME
    accessing / BME headcount)``. Accessing = a person in post (bank excluded) with at least
    one non-mandatory course in the training file (rows flagged mandatory are ignored).
    """
    training = tables.get("training")
    if training is None:
        return not_available("wres.4", "ratio", "training")
    if "mandatory" in training.columns:
        mandatory = training["mandatory"].astype("boolean").fillna(False)
        training = training.loc[~mandatory.to_numpy(dtype=bool)]
    staff = staff_in_post(tables["workforce"])
    groups = ethnic_wres(staff)
    accessed = staff["staff_id"].astype("string").isin(training["staff_id"].astype("string"))
    heads = group_counts(groups, [WHITE, BME])
    took = group_counts(groups[accessed.fillna(False).to_numpy(dtype=bool)], [WHITE, BME])
    return rl_metric(
        "wres.4",
        took[WHITE],
        heads[WHITE],
        took[BME],
        heads[BME],
        group_a=WHITE,
        group_b=BME,
        settings=settings,
        base_label="staff in post",
        outcome_label="staff accessing non-mandatory training",
    )


def wres_survey(survey: pd.DataFrame | None) -> list[Metric]:
    """Indicators 5-8: published Staff Survey percentages for White and BME staff.

    Spec: measures.md §3.2 (``wres.5``-``wres.8``; ``wres.6`` is the combined managers-or-
    colleagues item), §3.3.
    """
    if survey is None:
        return [not_available(m, "pct", "staff_survey") for m in SURVEY_MEASURES]
    return [survey_row(m, survey, g) for m in SURVEY_MEASURES for g in (WHITE, BME)]


def wres9(tables: Tables, settings: Settings) -> list[Metric]:
    """Indicator 9: %BME of each board breakdown minus %BME of the overall workforce (pp).

    Spec: measures.md §3.2 (``wres.9``; setting ``wres.board_breakdowns``), §11 vector 8.
    """
    board = tables.get("board")
    if board is None:
        return [not_available("wres.9", "pp", "board")]
    staff = staff_in_post(tables["workforce"])
    return board_rows(
        "wres.9",
        board,
        (ethnic_wres(board) == BME).fillna(False),
        group_counts(ethnic_wres(staff), [BME])[BME],
        len(staff),
        settings.standards.board_breakdowns,
        BME,
    )


def wres_metrics(
    tables: Tables,
    settings: Settings = DEFAULT_SETTINGS,
    previous: Tables | None = None,
) -> list[Metric]:
    """All nine WRES indicators for one organisation and year.

    Spec: measures.md §3.

    Parameters
    ----------
    tables
        Cleaned tables (schema.py) keyed by input stem; ``workforce`` is required, the others
        are optional (absent or None means the file was not supplied).
    settings
        Configurable rules (measures.md §12.3).
    previous
        The previous year's cleaned tables, for the two-year window of indicator 3.

    Returns
    -------
    list of Metric
        ``wres.1`` ... ``wres.9`` rows (metrics.csv layout via ``metrics.to_frame``).
    """
    workforce = tables.get("workforce")
    if workforce is None:
        raise InputError(
            "workforce", "the workforce file is required for WRES", "supply workforce.csv"
        )
    return [
        *wres1(workforce),
        recruitment_rl("wres.2", tables.get("recruitment"), settings, ethnic_wres, WHITE, BME),
        casework_rl("wres.3", "disciplinary", tables, previous, settings, ethnic_wres, BME, WHITE),
        wres4(tables, settings),
        *wres_survey(tables.get("staff_survey")),
        *wres9(tables, settings),
    ]


# --- year-on-year summary -----------------------------------------------------------------

DIRECTIONS: dict[str, str] = {
    "parity": "closer to 1.00 is better",
    "zero": "closer to 0 is better",
    "higher": "higher is better",
    "lower": "lower is better",
}


@dataclass(frozen=True)
class SummaryItem:
    """One line of a WRES/WDES summary table.

    ``breakdown`` None matches any breakdown (one row expected, e.g. ``window=2``);
    ``derive`` computes the value from the whole metrics frame instead of picking a row.
    """

    indicator: str
    label: str
    group: str
    direction: str
    unit: str
    breakdown: str | None = "overall"
    derive: Callable[[pd.DataFrame], float | None] | None = None


def share_in_rows(
    frame: pd.DataFrame, measure: str, group: str, key: str, values: Sequence[str]
) -> float | None:
    """The group's % of the headcount of the metric 1 rows whose ``key`` is in ``values``.

    Pools the rows' numerators and denominators (e.g. BME staff in Bands 8a-9 and VSM, both
    clinical and non-clinical). None when those rows hold nobody.
    """
    rows = frame.loc[(frame["measure"] == measure) & (frame["group"] == group)]
    found = rows["breakdown"].astype("string").str.extract(rf"(?:^|;){key}=([^;]+)")[0]
    picked = rows.loc[found.isin(list(values)).fillna(False).to_numpy(dtype=bool)]
    num = pd.to_numeric(picked["numerator"], errors="coerce").sum()
    den = pd.to_numeric(picked["denominator"], errors="coerce").sum()
    if not den or pd.isna(den):
        return None
    return float(num * 100 / den)


def _pick(frame: pd.DataFrame | None, item: SummaryItem) -> float | None:
    if frame is None:
        return None
    if item.derive is not None:
        return item.derive(frame)
    mask = (frame["measure"] == item.indicator) & (frame["group"].astype("string") == item.group)
    if item.breakdown is not None:
        mask &= frame["breakdown"].astype("string") == item.breakdown
    values = pd.to_numeric(frame.loc[mask.fillna(False).to_numpy(dtype=bool), "value"])
    values = values.dropna()
    if len(values) != 1:
        return None
    return float(values.iloc[0])


def _dp(unit: str, settings: Settings) -> int:
    r = settings.rounding
    return {"ratio": r.ratio_dp, "pp": r.pp_dp}.get(unit, r.percent_dp)


def change_status(
    this: float | None,
    last: float | None,
    direction: str,
    unit: str,
    settings: Settings = DEFAULT_SETTINGS,
) -> str:
    """Year-on-year status such as ``"4.5 pp better"``, ``"0.16 worse"``, ``"no change"``.

    Compares the values rounded as published (§0.2), so the status agrees with the figures
    shown. The size is the change in the value (pp for percentages); better or worse follows
    ``direction`` (:data:`DIRECTIONS`): for ``parity``/``zero`` the value whose distance from
    1.00 / 0 is smaller is better. ``"no comparison"`` when either year has no value.
    """
    if direction not in DIRECTIONS:
        raise ValueError(f"direction must be one of {sorted(DIRECTIONS)}, not {direction!r}")
    if this is None or last is None or pd.isna(this) or pd.isna(last):
        return "no comparison"
    dp = _dp(unit, settings)
    now = round_decimal(this, dp, settings.rounding.mode)
    before = round_decimal(last, dp, settings.rounding.mode)
    if now == before:
        return "no change"
    size = abs(now - before)
    suffix = " pp" if unit in ("pct", "pp") else ""
    target = {"parity": Decimal(1), "zero": Decimal(0)}.get(direction)
    if target is not None:
        closer = abs(now - target) - abs(before - target)
        if closer == 0:
            return f"{size}{suffix} changed, same distance from {target:.{dp}f}"
        better = closer < 0
    else:
        better = (now > before) == (direction == "higher")
    return f"{size}{suffix} {'better' if better else 'worse'}"


def summary_table(
    items: Sequence[SummaryItem],
    this_year: pd.DataFrame,
    last_year: pd.DataFrame | None,
    settings: Settings = DEFAULT_SETTINGS,
) -> pd.DataFrame:
    """A trust-style summary: one line per item with both years' values and a status.

    Values are rounded as published (§0.2); a missing, not calculable or suppressed value
    is empty and its status ``no comparison``.
    """
    lines = []
    mode = settings.rounding.mode
    for item in items:
        now, before = _pick(this_year, item), _pick(last_year, item)
        dp = _dp(item.unit, settings)
        lines.append(
            {
                "indicator": item.indicator,
                "label": item.label,
                "group": item.group,
                "breakdown": item.breakdown or "",
                "unit": item.unit,
                "direction": DIRECTIONS[item.direction],
                "this_year": None if now is None else float(round_decimal(now, dp, mode)),
                "last_year": None if before is None else float(round_decimal(before, dp, mode)),
                "status": change_status(now, before, item.direction, item.unit, settings),
            }
        )
    frame = pd.DataFrame(lines)
    for col in ("this_year", "last_year"):
        frame[col] = pd.to_numeric(frame[col]).astype("Float64")
    return frame


UPPER_BANDS: tuple[str, ...] = ("Band 8a", "Band 8b", "Band 8c", "Band 8d", "Band 9", "VSM")

# Direction of improvement for each WRES line. Conventions of trusts' published WRES
# summary tables (e.g. NCIC WRES 2025) and measures.md §3.4: relative likelihoods are
# better closer to parity (1.00); harassment, bullying and discrimination (5, 6, 8) lower
# is better; equal opportunities (7) higher is better; BME representation in senior bands
# (1) higher is better; the board gap (9) is better closer to 0.
WRES_SUMMARY: tuple[SummaryItem, ...] = (
    SummaryItem(
        "wres.1",
        "BME staff in Bands 8a to 9 and VSM (% of headcount)",
        BME,
        "higher",
        "pct",
        breakdown=None,
        derive=lambda f: share_in_rows(f, "wres.1", BME, "pay_band", UPPER_BANDS),
    ),
    SummaryItem(
        "wres.2",
        "Relative likelihood of White applicants being appointed from shortlisting "
        "compared to BME applicants",
        WHITE,
        "parity",
        "ratio",
    ),
    SummaryItem(
        "wres.3",
        "Relative likelihood of BME staff entering the formal disciplinary process "
        "compared to White staff",
        BME,
        "parity",
        "ratio",
        breakdown=None,
    ),
    SummaryItem(
        "wres.4",
        "Relative likelihood of White staff accessing non-mandatory training and CPD "
        "compared to BME staff",
        WHITE,
        "parity",
        "ratio",
    ),
    *(
        SummaryItem(m, label, g, direction, "pct")
        for m, label, direction in (
            (
                "wres.5",
                "Staff experiencing harassment, bullying or abuse from patients, relatives "
                "or the public in the last 12 months (%)",
                "lower",
            ),
            (
                "wres.6",
                "Staff experiencing harassment, bullying or abuse from staff in the last "
                "12 months (%)",
                "lower",
            ),
            (
                "wres.7",
                "Staff believing that the trust provides equal opportunities for career "
                "progression or promotion (%)",
                "higher",
            ),
            (
                "wres.8",
                "Staff personally experiencing discrimination at work from a manager, team "
                "leader or other colleagues in the last 12 months (%)",
                "lower",
            ),
        )
        for g in (WHITE, BME)
    ),
    SummaryItem(
        "wres.9",
        "Difference between BME board voting membership and the overall workforce (pp)",
        BME,
        "zero",
        "pp",
        breakdown="board=voting",
    ),
)


def wres_summary(
    metrics_this_year: pd.DataFrame,
    metrics_last_year: pd.DataFrame | None,
    settings: Settings = DEFAULT_SETTINGS,
) -> pd.DataFrame:
    """The WRES summary table: each indicator this year and last year, and the change.

    Spec: measures.md §3.2 (indicators), §3.4 (parity is 1.00), §0.2 (rounding).

    Parameters
    ----------
    metrics_this_year, metrics_last_year
        Frames in the metrics.csv layout (``metrics.to_frame`` / ``metrics.read_metrics``);
        last year may be None.
    settings
        Rounding settings.

    Returns
    -------
    pandas.DataFrame
        Columns ``indicator, label, group, breakdown, unit, direction, this_year, last_year,
        status``; one line per item of :data:`WRES_SUMMARY`. Status is e.g. ``"4.5 pp
        better"``, ``"0.16 worse"``, ``"no change"`` or ``"no comparison"``.
    """
    return summary_table(WRES_SUMMARY, metrics_this_year, metrics_last_year, settings)
