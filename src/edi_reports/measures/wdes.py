"""WDES: the metrics of the Workforce Disability Equality Standard.

Spec: methodology §4 (metrics, disability status, declaration rate), §0.3 (relative
likelihoods), §0.4 (unknowns), §8 (optional intervals).

Uses the shared building blocks of :mod:`edi_reports.measures.wres` (same population and choices,
see its docstring). Metric 9b is narrative (the organisation's own yes/no and examples, in
``content/``): no row is emitted for it; the report shows the narrative text. The
declaration rate (§4.4) is not a metric id: :func:`declaration_gap` gives its figures to the
report, whose metric rows are ``profile.disability`` (§10).
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from edi_reports.config import DEFAULT_SETTINGS, Settings
from edi_reports.errors import InputError
from edi_reports.intake.classifications import (
    DISABILITY_GROUPS,
    UNKNOWN,
    WDES_CLUSTERS,
    disability_group,
)
from edi_reports.measures.metrics import Metric
from edi_reports.measures.wres import (
    Tables,
    _recode,
    board_rows,
    casework_rl,
    clinical_flag,
    distribution_rows,
    group_counts,
    in_post_groups,
    likelihoods_once,
    not_available,
    recruitment_rl,
    staff_in_post,
    survey_keys,
    survey_row,
)

DISABLED, NON_DISABLED, ALL = "Disabled", "Non-disabled", "All"
AFC_CLUSTERS: tuple[str, ...] = ("C1", "C2", "C3", "C4")
MEDICAL_CLUSTERS: tuple[str, ...] = ("C5", "C6", "C7")
WDES_BOARD_BREAKDOWNS: tuple[str, ...] = ("total", "voting", "executive")
HARASSMENT_ITEMS: tuple[str, ...] = ("public", "managers", "colleagues")
# Staff Survey metrics: id -> (groups, unit)
SURVEY_METRICS: dict[str, tuple[tuple[str, ...], str]] = {
    "wdes.4a": ((DISABLED, NON_DISABLED), "pct"),
    "wdes.4b": ((DISABLED, NON_DISABLED), "pct"),
    "wdes.5": ((DISABLED, NON_DISABLED), "pct"),
    "wdes.6": ((DISABLED, NON_DISABLED), "pct"),
    "wdes.7": ((DISABLED, NON_DISABLED), "pct"),
    "wdes.8": ((DISABLED,), "pct"),
    "wdes.9a": ((DISABLED, NON_DISABLED, ALL), "score"),
}


def disability(frame: pd.DataFrame) -> pd.Series:
    """Disabled / Non-disabled / Unknown per row (methodology §4.2).

    From the cleaned ``disability_group`` column, or the ESR ``disability`` value.
    """
    if "disability_group" in frame.columns:
        return _recode(frame["disability_group"], DISABILITY_GROUPS)
    if "disability" in frame.columns:
        return disability_group(frame["disability"])
    return pd.Series(
        pd.Categorical([UNKNOWN] * len(frame), categories=DISABILITY_GROUPS), index=frame.index
    )


def wdes1_row_keys(workforce: pd.DataFrame) -> pd.Series:
    """Each person's metric 1 row: ``cluster=C1..C4;clinical=Y|N`` or ``cluster=C5..C7``.

    Spec: methodology §4.3 (``wdes.1`` clusters), §7.3 (clinical from staff group). Grades in
    no cluster (Trust Grade, Non-AfC, blank) and AfC/VSM staff with no clinical flag count
    only in the overall row.
    """
    cluster = workforce["pay_band"].astype("string").map(WDES_CLUSTERS).astype("string")
    clinical = clinical_flag(workforce)
    afc = cluster.isin(AFC_CLUSTERS).fillna(False) & clinical.notna()
    medical = cluster.isin(MEDICAL_CLUSTERS).fillna(False)
    keys = pd.Series(pd.NA, index=workforce.index, dtype="string")
    keys = keys.mask(afc, "cluster=" + cluster + ";clinical=" + clinical)
    return keys.mask(medical, "cluster=" + cluster)


def wdes1_standard_rows() -> list[str]:
    """Metric 1 rows in report order: non-clinical C1-C4, clinical C1-C4, C5-C7 (§4.3)."""
    rows = [f"cluster={k};clinical={c}" for c in ("N", "Y") for k in AFC_CLUSTERS]
    return rows + [f"cluster={k}" for k in MEDICAL_CLUSTERS]


def wdes1(workforce: pd.DataFrame) -> list[Metric]:
    """Metric 1: Disabled/Non-disabled/Unknown % of headcount by cluster and clinical flag.

    Spec: methodology §4.3 (``wdes.1``), §4.1 (bank staff excluded since 2023).
    """
    staff = staff_in_post(workforce)
    return distribution_rows(
        "wdes.1", wdes1_row_keys(staff), disability(staff), wdes1_standard_rows(), DISABILITY_GROUPS
    )


def wdes_survey(survey: pd.DataFrame | None) -> list[Metric]:
    """Metrics 4a-9a: published Staff Survey figures by disability.

    Spec: methodology §4.3 (``wdes.4a`` by item public/managers/colleagues; ``wdes.8``
    Disabled only; ``wdes.9a`` engagement score 0-10 with group ``All``).
    """
    if survey is None:
        return [not_available(m, unit, "staff_survey") for m, (_, unit) in SURVEY_METRICS.items()]
    rows: list[Metric] = []
    keys = survey_keys(survey)
    for measure, (groups, unit) in SURVEY_METRICS.items():
        items: tuple[str | None, ...] = HARASSMENT_ITEMS if measure == "wdes.4a" else (None,)
        for item in items:
            rows.extend(
                survey_row(measure, survey, g, item=item, unit=unit, keys=keys) for g in groups
            )
    return rows


def wdes10(tables: Tables) -> list[Metric]:
    """Metric 10: %Disabled of the board (total, voting, executive) minus %Disabled of staff.

    Spec: methodology §4.3 (``wdes.10``: breakdown by voting and by executive membership;
    the total board is added as for ``wres.9``). Percentages of headcounts, unknowns
    included, as ``wres.9``.
    """
    board = tables.get("board")
    if board is None:
        return [not_available("wdes.10", "pp", "board")]
    staff = in_post_groups(tables["workforce"], disability)
    return board_rows(
        "wdes.10",
        board,
        (disability(board) == DISABLED).fillna(False),
        group_counts(staff, [DISABLED])[DISABLED],
        len(staff),
        WDES_BOARD_BREAKDOWNS,
        DISABLED,
    )


def wdes_metrics(
    tables: Tables,
    settings: Settings = DEFAULT_SETTINGS,
    previous: Tables | None = None,
    *,
    with_intervals: list[Metric] | None = None,
) -> list[Metric]:
    """All WDES metrics with data (1, 2, 3, 4a, 4b, 5-8, 9a, 10) for one organisation and year.

    Spec: methodology §4. Metric 9b is narrative and has no row (module docstring).

    Parameters
    ----------
    tables
        Cleaned tables keyed by input stem; ``workforce`` is required.
    settings
        Configurable rules (methodology §12.3).
    previous
        The previous year's cleaned tables, for the two-year window of metric 3.
    with_intervals
        When given, the relative likelihoods with their interval are appended to it (as
        :func:`edi_reports.measures.wres.wres_metrics` does, for the standard errors).

    Returns
    -------
    list of Metric
    """
    workforce = tables.get("workforce")
    if workforce is None:
        raise InputError(
            "workforce", "the workforce file is required for WDES", "supply workforce.csv"
        )
    return [
        *wdes1(workforce),
        *likelihoods_once(wdes_likelihoods, tables, settings, previous, with_intervals),
        *wdes_survey(tables.get("staff_survey")),
        *wdes10(tables),
    ]


def wdes_likelihoods(
    tables: Tables, settings: Settings = DEFAULT_SETTINGS, previous: Tables | None = None
) -> list[Metric]:
    """Metrics 2 and 3, the relative likelihoods, as :func:`wdes_metrics` gives them.

    Spec: methodology §4.3 (``wdes.2``, ``wdes.3``), §0.3, §8. Also what the year-on-year
    tests need (methodology §8.1): their standard errors come from these rows alone.
    """
    return [
        recruitment_rl(
            "wdes.2", tables.get("recruitment"), settings, disability, NON_DISABLED, DISABLED
        ),
        casework_rl(
            "wdes.3", "capability", tables, previous, settings, disability, DISABLED, NON_DISABLED
        ),
    ]


def declaration_gap(
    workforce: pd.DataFrame, staff_survey: pd.DataFrame | None = None
) -> dict[str, Any]:
    """ESR disability declaration figures and the gap to Staff Survey prevalence.

    Spec: methodology §4.4 (report the share with a recorded Yes or No, the share recorded
    Disabled, and the gap to the Staff Survey prevalence). Population: staff in post, bank
    excluded (as metric 1 and ``profile.*``, §10).

    Parameters
    ----------
    workforce
        Cleaned workforce table.
    staff_survey
        Cleaned Staff Survey table; its optional row ``question = wdes.prevalence`` (group
        ``All``, or the only row of that question) gives the % of respondents who say they
        are disabled.

    Returns
    -------
    dict
        ``headcount``; ``esr_pct_disabled`` and ``esr_pct_declared`` (% of headcount, None
        when nobody is in post); ``survey_prevalence`` (None when not supplied);
        ``gap_pp`` = survey prevalence - ESR % disabled (None when either is missing).
    """
    staff = staff_in_post(workforce)
    counts = group_counts(disability(staff), DISABILITY_GROUPS)
    return declaration_figures(
        counts[DISABLED], counts[NON_DISABLED], len(staff), survey_prevalence(staff_survey)
    )


def declaration_figures(
    disabled: float, non_disabled: float, headcount: float, prevalence: float | None
) -> dict[str, Any]:
    """The declaration-rate figures of :func:`declaration_gap` from counts.

    Spec: methodology §4.4. The report calls it with the published (rounded) counts of
    ``profile.disability`` (``Yes``, ``No`` and the total), so it shows nothing the tables
    do not; :func:`declaration_gap` calls it with counts of staff in post.

    Parameters
    ----------
    disabled, non_disabled
        People recorded Disabled (ESR ``Yes``) and Non-disabled (``No``).
    headcount
        Everyone in the population, declared or not.
    prevalence
        % of Staff Survey respondents who say they are disabled, or None.

    Returns
    -------
    dict
        As :func:`declaration_gap`.
    """
    pct_disabled = disabled * 100 / headcount if headcount else None
    pct_declared = (disabled + non_disabled) * 100 / headcount if headcount else None
    gap = None if prevalence is None or pct_disabled is None else prevalence - pct_disabled
    return {
        "headcount": headcount,
        "esr_pct_disabled": pct_disabled,
        "esr_pct_declared": pct_declared,
        "survey_prevalence": prevalence,
        "gap_pp": gap,
    }


def survey_prevalence(survey: pd.DataFrame | None, min_responses: int = 0) -> float | None:
    """% of Staff Survey respondents who say they are disabled (question ``wdes.prevalence``).

    Spec: methodology §4.4. The row with group ``All`` (or the only row of the question);
    None when absent, blank, ambiguous, or based on fewer than ``min_responses`` responses
    (when the table gives responses).
    """
    if survey is None or len(survey) == 0:
        return None
    question = survey["question"].astype("string").str.strip().str.casefold()
    rows = survey.loc[(question == "wdes.prevalence").fillna(False).to_numpy(dtype=bool)]
    if len(rows) > 1:
        group = rows["group"].astype("string").str.strip().str.casefold()
        rows = rows.loc[(group == "all").fillna(False).to_numpy(dtype=bool)]
    if len(rows) != 1 or pd.isna(rows["percent"].iloc[0]):
        return None
    if min_responses and "responses" in rows.columns:
        responses = rows["responses"].iloc[0]
        if pd.isna(responses) or responses < min_responses:
            return None
    return float(rows["percent"].iloc[0])
