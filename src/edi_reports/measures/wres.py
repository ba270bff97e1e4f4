"""WRES: the nine indicators of the Workforce Race Equality Standard.

Spec: methodology §3 (indicators, ethnic grouping, interpretation), §0.3 (relative
likelihoods), §0.4 (unknowns), §8 (optional intervals).

The building blocks that WRES and WDES share (the metric 1 distribution rows, the
casework window, recruitment and training counts, Staff Survey rows and board differences)
live here and are reused by :mod:`edi_reports.measures.wdes`.

Choices this module makes where the methodology leaves a point open:

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

import functools
import warnings
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import NamedTuple

import numpy as np
import pandas as pd

from edi_reports.config import DEFAULT_SETTINGS, Settings
from edi_reports.errors import InputError
from edi_reports.intake.classifications import (
    AFC_BANDS,
    MEDICAL_SUBGROUPS,
    UNKNOWN,
    WRES_GROUPS,
    wres_group,
)
from edi_reports.measures.likelihood import rl_metric
from edi_reports.measures.metrics import MeasureWarning, Metric, metric, not_calculable

Tables = dict[str, pd.DataFrame]

WHITE, BME = "White", "BME"
MEDICAL_ROWS: tuple[str, ...] = tuple(dict.fromkeys(MEDICAL_SUBGROUPS.values()))
WRES1_BANDS: tuple[str, ...] = (*AFC_BANDS, "VSM")
SURVEY_MEASURES: tuple[str, ...] = ("wres.5", "wres.6", "wres.7", "wres.8")
BOARD_KEYS: tuple[str, ...] = ("total", "voting", "non_voting", "executive", "non_executive")


# --- shared helpers (also used by wdes.py) ----------------------------------------------


def not_available(measure: str, unit: str, file: str) -> Metric:
    """The row for a measure whose optional input file is absent (data contract §2)."""
    return not_calculable(measure, unit, f"not available: no {file} file", warn=False)


def staff_in_post(workforce: pd.DataFrame) -> pd.DataFrame:
    """Staff in post on the snapshot date, bank staff excluded.

    Spec: methodology §3.2 (indicator 1: bank staff are excluded) and §4.1 (WDES metric 1,
    same rule since 2023).
    """
    if "contract_type" not in workforce.columns:
        return workforce
    return workforce.loc[in_post(workforce)]


def in_post(workforce: pd.DataFrame) -> np.ndarray:
    """Which rows of ``workforce`` are :func:`staff_in_post` (bank staff excluded, §3.2, §4.1).

    A blank contract type is not bank. On a categorical column the test runs once per
    category and is looked up by code.
    """
    if "contract_type" not in workforce.columns:
        return np.ones(len(workforce), dtype=bool)
    contract = workforce["contract_type"]
    if isinstance(contract.dtype, pd.CategoricalDtype):
        # categories are never missing: as _is_bank, without a Series per call
        per_category = np.array(
            [str(c).casefold() == "bank" for c in contract.cat.categories], dtype=bool
        )
        bank = np.append(per_category, False)[contract.cat.codes.to_numpy()]
    else:
        bank = _is_bank(contract)
    return ~bank


def in_post_groups(
    workforce: pd.DataFrame, grouper: Callable[[pd.DataFrame], pd.Series]
) -> pd.Series:
    """``grouper(staff_in_post(workforce))`` without copying the whole table: the groupers
    (:func:`ethnic_wres`, :func:`edi_reports.measures.wdes.disability`) work row by row, so
    grouping everyone and keeping the staff in post gives the same groups (§3.2, §4.1)."""
    return grouper(workforce)[in_post(workforce)]


def _is_bank(contract: pd.Series) -> np.ndarray:
    """Contract type ``bank`` in any case (methodology §3.2); blank is not bank."""
    return (contract.astype("string").str.casefold() == "bank").fillna(False).to_numpy(dtype=bool)


def _recode(values: pd.Series, categories: Sequence[str]) -> pd.Series:
    """``values`` as a categorical over ``categories``: blank is Unknown, any other value
    outside them is blank (as ``pd.Categorical(values.astype("string").fillna(UNKNOWN),
    categories)``, from the categorical codes when ``values`` is categorical)."""
    if not isinstance(values.dtype, pd.CategoricalDtype):
        s = values.astype("string").fillna(UNKNOWN)
        return pd.Series(pd.Categorical(s, categories=categories), index=values.index)
    position = {c: i for i, c in enumerate(categories)}
    lookup = np.array(
        [position.get(str(c), -1) for c in values.cat.categories] + [position.get(UNKNOWN, -1)],
        dtype=np.int64,
    )
    codes = lookup[values.cat.codes.to_numpy()]
    cat = pd.Categorical.from_codes(codes, dtype=_category_dtype(tuple(categories)))
    return pd.Series(cat, index=values.index)


@functools.cache
def _category_dtype(categories: tuple[str, ...]) -> pd.CategoricalDtype:
    """One dtype per fixed list of groups (pandas checks a new one's categories each time)."""
    return pd.CategoricalDtype(list(categories))


def ethnic_wres(frame: pd.DataFrame) -> pd.Series:
    """White / BME / Unknown per row (methodology §3.1), from ``ethnic_wres`` or the codes."""
    if "ethnic_wres" in frame.columns:
        return _recode(frame["ethnic_wres"], WRES_GROUPS)
    if "ethnic_code" in frame.columns:
        return wres_group(frame["ethnic_code"])
    raise KeyError("a cleaned table needs an ethnic_wres or ethnic_code column")


def group_counts(groups: pd.Series, order: Sequence[str]) -> dict[str, int]:
    """Count of rows in each of ``order`` (0 where absent), vectorised.

    Blank rows count nowhere; values are compared as text (a categorical is counted from
    its codes, each category's count under its text).
    """
    if isinstance(groups.dtype, pd.CategoricalDtype):
        codes = groups.cat.codes.to_numpy()
        per_category = np.bincount(codes[codes >= 0], minlength=len(groups.cat.categories))
        found: dict[str, int] = {}
        for category, count in zip(groups.cat.categories, per_category.tolist(), strict=True):
            found[str(category)] = found.get(str(category), 0) + count
        return {g: found.get(g, 0) for g in order}
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

    Spec: methodology §3.2 (``wres.1``) and §4.3 (``wdes.1``): each row gives each group's %
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


def casework_counts(
    process: str,
    tables: Tables,
    previous: Tables | None,
    settings: Settings,
    grouper: Callable[[pd.DataFrame], pd.Series],
    order: Sequence[str],
    measure: str | None = None,
) -> tuple[dict[str, float], dict[str, float], int]:
    """Entries into a formal process and headcounts by group, over the casework window.

    Spec: methodology §3.2 (``wres.3``) and §4.3 (``wdes.3``), setting
    ``casework.window_years`` (default 2): the two-year figures are the means of the two
    years' entry counts and of the two years' headcounts for each group; if the previous
    year's casework or workforce is missing, the current year alone is used (with a warning
    naming ``measure`` when it is given). Headcounts are staff in post, bank excluded.

    Returns
    -------
    tuple
        ``(entries, headcounts, years)``: mean counts by group (halves possible) and the
        number of years used (1 or 2).
    """
    years = [tables]
    if settings.standards.casework_window_years >= 2:
        prev_ok = (
            previous is not None
            and previous.get("casework") is not None
            and previous.get("workforce") is not None
        )
        if prev_ok:
            years.append(previous)
        elif measure is not None:
            warnings.warn(
                f"{measure}: the previous year's casework or workforce is not available; "
                "using the current year alone instead of the two-year window",
                MeasureWarning,
                stacklevel=3,
            )
    out = dict.fromkeys(order, 0.0)
    base = dict.fromkeys(order, 0.0)
    for year in years:
        case = year["casework"]
        entries = group_counts(grouper(case.loc[_process_mask(case, process)]), order)
        heads = group_counts(in_post_groups(year["workforce"], grouper), order)
        for g in order:
            out[g] += entries[g] / len(years)
            base[g] += heads[g] / len(years)
    return out, base, len(years)


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

    Spec: methodology §3.2 (``wres.3``) and §4.3 (``wdes.3``); counts by
    :func:`casework_counts` (two-year window by default).

    Returns
    -------
    Metric
        Breakdown ``window=1`` or ``window=2``; numerator/denominator are the (mean)
        headcounts of group A and group B.
    """
    if tables.get("casework") is None:
        return not_available(measure, "ratio", "casework")
    out, base, years = casework_counts(
        process, tables, previous, settings, grouper, [group_a, group_b], measure=measure
    )
    return rl_metric(
        measure,
        out[group_a],
        base[group_a],
        out[group_b],
        base[group_b],
        group_a=group_a,
        group_b=group_b,
        settings=settings,
        breakdown=f"window={years}",
        base_label="staff in post",
        outcome_label=f"staff entering the formal {process} process",
    )


def recruitment_counts(
    recruitment: pd.DataFrame,
    grouper: Callable[[pd.DataFrame], pd.Series],
    order: Sequence[str],
) -> tuple[dict[str, int], dict[str, int]]:
    """Shortlisted applications and appointments from shortlisting, by group.

    Spec: methodology §3.2 (``wres.2``), §4.3 (``wdes.2``). An appointment counts only for
    a shortlisted application (the clean stage quarantines the others).

    Returns
    -------
    tuple of dict
        ``(shortlisted, appointed)`` counts for each group of ``order``.
    """
    shortlisted = recruitment["shortlisted"].astype("boolean").fillna(False).to_numpy(dtype=bool)
    appointed = recruitment["appointed"].astype("boolean").fillna(False).to_numpy(dtype=bool)
    short = group_counts(grouper(recruitment.loc[shortlisted]), order)
    appt = group_counts(grouper(recruitment.loc[shortlisted & appointed]), order)
    return short, appt


def recruitment_rl(
    measure: str,
    recruitment: pd.DataFrame | None,
    settings: Settings,
    grouper: Callable[[pd.DataFrame], pd.Series],
    group_a: str,
    group_b: str,
) -> Metric:
    """Relative likelihood of group A being appointed from shortlisting compared with B.

    Spec: methodology §3.2 (``wres.2``), §4.3 (``wdes.2``): ``(A appointed / A shortlisted)
    / (B appointed / B shortlisted)``; unknowns left out (§0.4). An appointment counts only
    for a shortlisted application (the clean stage quarantines the others).
    """
    if recruitment is None:
        return not_available(measure, "ratio", "recruitment")
    short, appt = recruitment_counts(recruitment, grouper, [group_a, group_b])
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


class SurveyKeys(NamedTuple):
    """The Staff Survey table's ``question``, ``group`` and ``item`` columns, trimmed and
    casefolded once (None where blank), so that each figure is found by plain array
    comparisons; ``item`` is None when the table has no ``item`` column."""

    question: np.ndarray
    group: np.ndarray
    item: np.ndarray | None


def survey_keys(survey: pd.DataFrame) -> SurveyKeys:
    """The lookup keys of a cleaned ``staff_survey`` table (methodology §3.2, §4.3).

    Matching is on trimmed, casefolded text; a blank cell matches nothing (``item``: a blank
    item is the "no sub-item" row, see :func:`survey_row`).
    """

    def keys(col: str) -> np.ndarray:
        return _casefold(survey[col]).to_numpy(dtype=object, na_value=None)

    item = keys("item") if "item" in survey.columns else None
    return SurveyKeys(keys("question"), keys("group"), item)


def survey_row(
    measure: str,
    survey: pd.DataFrame,
    group: str,
    *,
    item: str | None = None,
    unit: str = "pct",
    keys: SurveyKeys | None = None,
) -> Metric:
    """One published Staff Survey figure for one group.

    Spec: methodology §3.2 (``wres.5``-``wres.8``), §4.3 (``wdes.4a``-``wdes.9a``);
    data contract §2.5. Value = the published percent (or score), ``n`` = responses.

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
    keys
        :func:`survey_keys` of ``survey`` when the caller looks up many figures in the same
        table (worked out here otherwise).
    """
    bd = "overall" if item is None else f"item={item}"
    if keys is None:
        keys = survey_keys(survey)
    mask = (keys.question == measure.casefold()) & (keys.group == group.casefold())
    if keys.item is None:
        item_mask: np.ndarray | bool = item is None
    elif item is None:
        item_mask = np.isin(keys.item, [None, "", "combined"])
    else:
        item_mask = keys.item == item.casefold()
    found = survey.iloc[np.flatnonzero(mask & item_mask)]
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

    Spec: methodology §3.2 (``wres.9``: ``%BME(board) - %BME(overall workforce)``, breakdowns
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

    Spec: methodology §3.2 (``wres.1``), §7.3 (clinical from staff group), §7.5 (medical
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

    Spec: methodology §3.2 (``wres.1``; bank staff excluded), §3.1 (Unknown shown as a
    group).
    """
    staff = staff_in_post(workforce)
    return distribution_rows(
        "wres.1", wres1_row_keys(staff), ethnic_wres(staff), wres1_standard_rows(), WRES_GROUPS
    )


def training_counts(tables: Tables, order: Sequence[str]) -> tuple[dict[str, int], dict[str, int]]:
    """Staff in post accessing non-mandatory training, and staff in post, by ethnic group.

    Spec: methodology §3.2 (``wres.4``). Accessing = a person in post (bank excluded) with
    at least one non-mandatory course in the training file (rows flagged mandatory ignored).

    Returns
    -------
    tuple of dict
        ``(accessing, headcount)`` for each group of ``order``.
    """
    training = tables["training"]
    if "mandatory" in training.columns:
        mandatory = training["mandatory"].astype("boolean").fillna(False)
        training = training.loc[~mandatory.to_numpy(dtype=bool)]
    workforce = tables["workforce"]
    groups = in_post_groups(workforce, ethnic_wres)
    staff_id = workforce["staff_id"][in_post(workforce)]
    accessed = _is_in(staff_id, training["staff_id"])
    heads = group_counts(groups, order)
    took = group_counts(groups[accessed], order)
    return took, heads


def _is_in(values: pd.Series, pool: pd.Series) -> np.ndarray:
    """Whether each of ``values`` is one of ``pool``, compared as text (blank matches blank
    only when ``pool`` has a blank), as ``Series.isin`` on string columns, through a set
    of the distinct values of ``pool`` (``isin`` on Arrow strings loops over every value
    of ``pool`` in Python)."""
    ids, wanted = values.astype("string"), pool.astype("string")
    found = set(wanted.dropna().unique().tolist())
    out = np.fromiter(
        (x in found for x in ids.to_numpy(dtype=object, na_value=None)), bool, len(ids)
    )
    if wanted.isna().any():
        out |= ids.isna().to_numpy(dtype=bool)
    return out


def wres4(tables: Tables, settings: Settings) -> Metric:
    """Indicator 4: RL of White staff accessing non-mandatory training/CPD compared with BME.

    Spec: methodology §3.2 (``wres.4``): ``(White accessing / White headcount) / (BME
    accessing / BME headcount)``. Accessing = a person in post (bank excluded) with at least
    one non-mandatory course in the training file (rows flagged mandatory are ignored).
    """
    if tables.get("training") is None:
        return not_available("wres.4", "ratio", "training")
    took, heads = training_counts(tables, [WHITE, BME])
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

    Spec: methodology §3.2 (``wres.5``-``wres.8``; ``wres.6`` is the combined managers-or-
    colleagues item), §3.3.
    """
    if survey is None:
        return [not_available(m, "pct", "staff_survey") for m in SURVEY_MEASURES]
    keys = survey_keys(survey)
    return [survey_row(m, survey, g, keys=keys) for m in SURVEY_MEASURES for g in (WHITE, BME)]


def wres9(tables: Tables, settings: Settings) -> list[Metric]:
    """Indicator 9: %BME of each board breakdown minus %BME of the overall workforce (pp).

    Spec: methodology §3.2 (``wres.9``; setting ``wres.board_breakdowns``), §11 vector 8.
    """
    board = tables.get("board")
    if board is None:
        return [not_available("wres.9", "pp", "board")]
    staff = in_post_groups(tables["workforce"], ethnic_wres)
    return board_rows(
        "wres.9",
        board,
        (ethnic_wres(board) == BME).fillna(False),
        group_counts(staff, [BME])[BME],
        len(staff),
        settings.standards.board_breakdowns,
        BME,
    )


def wres_metrics(
    tables: Tables,
    settings: Settings = DEFAULT_SETTINGS,
    previous: Tables | None = None,
    *,
    with_intervals: list[Metric] | None = None,
) -> list[Metric]:
    """All nine WRES indicators for one organisation and year.

    Spec: methodology §3.

    Parameters
    ----------
    tables
        Cleaned tables (schema.py) keyed by input stem; ``workforce`` is required, the others
        are optional (absent or None means the file was not supplied).
    settings
        Configurable rules (methodology §12.3).
    previous
        The previous year's cleaned tables, for the two-year window of indicator 3.
    with_intervals
        When given, the relative likelihoods with their interval (methodology §8, as
        :func:`wres_likelihoods` gives them with the interval on) are appended to it: the
        standard errors of §8.1 come from them, so they are not worked out twice.

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
        *likelihoods_once(wres_likelihoods, tables, settings, previous, with_intervals),
        *wres_survey(tables.get("staff_survey")),
        *wres9(tables, settings),
    ]


def with_interval(settings: Settings) -> Settings:
    """``settings`` with the optional interval of methodology §8 switched on."""
    if settings.uncertainty.enabled:
        return settings
    return replace(settings, uncertainty=replace(settings.uncertainty, enabled=True))


def likelihoods_once(
    family: Callable[[Tables, Settings, Tables | None], list[Metric]],
    tables: Tables,
    settings: Settings,
    previous: Tables | None,
    with_intervals: list[Metric] | None,
) -> list[Metric]:
    """A standard's relative likelihoods (``family``) as ``settings`` asks for them.

    With ``with_intervals`` (a list), they are worked out once with the interval on and
    added to it; the rows returned carry the interval only when ``settings`` enables it
    (the interval changes nothing else in a row, methodology §8).
    """
    if with_intervals is None:
        return family(tables, settings, previous)
    rows = family(tables, with_interval(settings), previous)
    with_intervals.extend(rows)
    if settings.uncertainty.enabled:
        return rows
    return [replace(r, ci_low=None, ci_high=None) for r in rows]


def wres_likelihoods(
    tables: Tables, settings: Settings = DEFAULT_SETTINGS, previous: Tables | None = None
) -> list[Metric]:
    """Indicators 2-4, the relative likelihoods, as :func:`wres_metrics` gives them.

    Spec: methodology §3.2 (``wres.2``-``wres.4``), §0.3, §8. Also what the year-on-year
    tests need (methodology §8.1): their standard errors come from these rows alone.
    """
    return [
        recruitment_rl("wres.2", tables.get("recruitment"), settings, ethnic_wres, WHITE, BME),
        casework_rl("wres.3", "disciplinary", tables, previous, settings, ethnic_wres, BME, WHITE),
        wres4(tables, settings),
    ]
