"""The disclosure step: publish an organisation-year's metrics once, after the measures.

Spec: architecture §1 (the disclose stage), methodology §6 (disclosure control), §8
(intervals beside published figures), §1.1 (the statutory duty), §4.4 (survey prevalence).

:func:`publish_year` runs in the build process right after the measure notebook (no kernel
of its own). It reads ``metrics.csv`` and the two cleaned tables disclosure needs, and writes
through :mod:`edi_reports.store` the published tables, their intervals and what the report
needs to know about the organisation-year (name, type, region, headcount used for
disclosure, statutory flag, survey prevalence). The report stage reads those and nothing
else of the processed folder's figures; an earlier year's published tables are read from
its own stored output, never published again.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from edi_reports import store
from edi_reports.config import Paths, Settings
from edi_reports.errors import EdiError
from edi_reports.rounding import format_value, parse_number

#: Relative likelihoods shown with intervals (methodology §3.2-§3.4, §4.2-§4.3).
LIKELIHOOD_MEASURES: tuple[str, ...] = ("wres.2", "wres.3", "wres.4", "wdes.2", "wdes.3")
#: How many earlier years a report's trends look back.
EARLIER_YEARS = 4


@dataclass(frozen=True)
class Organisation:
    """The organisation as looked up once where a build starts (``organisations.csv``)."""

    code: str
    name: str
    type: str = ""
    region: str = ""
    listed: bool = False
    synthetic: bool = False


def organisation(paths: Paths, org: str) -> Organisation:
    """Look the organisation up once: its line of ``organisations.csv`` and the demo mark."""
    from edi_reports.intake.organisations import is_synthetic, lookup

    found = lookup(paths.raw, org)
    return Organisation(
        code=org,
        name=found.name,
        type=found.type,
        region=found.region,
        listed=found.listed,
        synthetic=is_synthetic(paths.raw, org),
    )


def published_intervals(
    metrics: pd.DataFrame, published: pd.DataFrame, settings: Any
) -> pd.DataFrame | None:
    """95 % intervals to show beside published figures (methodology §8).

    Only when ``uncertainty.enabled``, for relative likelihoods and mean/median hourly pay
    gaps whose published value is a number (a figure disclosure control suppressed, or that
    was not calculable, gets no interval).
    Intervals need no further disclosure control (§8, NHS Digital). Rounded like the figure.

    Returns
    -------
    pandas.DataFrame or None
        ``measure, breakdown, group, reference_group, interval`` (``"1.14 to 1.97"``, or
        ``"n/a"`` where the interval is undefined); None when the option is off.
    """
    if not settings.uncertainty.enabled:
        return None
    keys = ["measure", "breakdown", "group", "reference_group"]
    eligible = metrics["measure"].isin(list(LIKELIHOOD_MEASURES)) | metrics["measure"].str.endswith(
        ("mean_hourly_gap", "median_hourly_gap")
    )
    m = metrics.loc[eligible, [*keys, "unit", "ci_low", "ci_high"]].copy()
    for key in keys:
        m[key] = m[key].astype(str)
    pub = published.loc[:, [*keys, "value"]].astype(str)
    shown = pub[pub["value"].map(parse_number).notna()].drop(columns="value")
    m = m.merge(shown.drop_duplicates(keys), on=keys, how="inner")
    r = settings.rounding
    dps = m["unit"].map({"pct": r.percent_dp, "pp": r.pp_dp, "ratio": r.ratio_dp}).fillna(2)
    lows = pd.to_numeric(m["ci_low"], errors="coerce")
    highs = pd.to_numeric(m["ci_high"], errors="coerce")
    m["interval"] = [
        "n/a"
        if pd.isna(lo) or pd.isna(hi)
        else f"{format_value(lo, int(dp), r.mode)} to {format_value(hi, int(dp), r.mode)}"
        for lo, hi, dp in zip(lows, highs, dps, strict=True)
    ]
    return m.loc[:, [*keys, "interval"]]


def headcount_in(folder: Path, settings: Settings) -> int | None:
    """The profile headcount of the year whose processed folder is ``folder``
    (an organisation-level count, published exactly: methodology §6.2)."""
    from edi_reports.measures.profile import headcount

    workforce = store.read_table(folder, "workforce", columns=["contract_type"])
    return None if workforce is None else headcount(workforce, settings)


def survey_prevalence_in(folder: Path, settings: Settings) -> float | None:
    """The Staff Survey disability prevalence (question ``wdes.prevalence``), shown only
    with enough responses (methodology §4.4, §6.2)."""
    from edi_reports.measures.wdes import survey_prevalence

    survey = store.read_table(folder, "staff_survey")
    if survey is None:
        return None
    return survey_prevalence(survey, min_responses=settings.disclosure.staff_survey_min)


def publish_year(
    paths: Paths, org: str, year: int, settings: Settings, who: Organisation
) -> store.OrgYearFacts:
    """Publish one organisation-year's metrics under disclosure control, once.

    Parameters
    ----------
    paths, org, year
        Which organisation-year (its ``metrics.csv`` must exist).
    settings
        The rules (``disclosure``, ``rounding``, ``uncertainty``, ``gpg``).
    who
        The organisation as looked up where the build started.

    Returns
    -------
    store.OrgYearFacts
        What was written beside the published tables.
    """
    from edi_reports.disclosure import control as disclosure
    from edi_reports.measures import statutory

    folder = store.org_year(paths, org, year)
    metrics = store.read_metrics(folder)
    if metrics is None:
        raise EdiError(
            f"{org} {year}: no metrics to publish in {folder}; run `edi build --org {org} "
            f"--year {year}`"
        )
    headcount = headcount_in(folder, settings)
    published = disclosure.publish(metrics, settings, org_headcount=headcount)
    facts = store.OrgYearFacts(
        org=org,
        year=int(year),
        name=who.name,
        type=who.type,
        region=who.region,
        listed=who.listed,
        synthetic=who.synthetic,
        headcount=headcount,
        statutory=disclosure.statutory_duty_applies(metrics, settings),
        in_scope_2026=statutory.duty_applies(disclosure.relevant_employees(metrics), settings),
        survey_prevalence=survey_prevalence_in(folder, settings),
        settings_fingerprint=settings.fingerprint(),
    )
    store.write_published(
        folder, published, published_intervals(metrics, published, settings), facts
    )
    return facts


def earlier_published(
    paths: Paths, org: str, year: int, max_years: int = EARLIER_YEARS
) -> dict[int, pd.DataFrame]:
    """Published tables of up to ``max_years`` earlier years, oldest first, each read from
    that year's own stored published output (a year without one is left out)."""
    found: dict[int, pd.DataFrame] = {}
    for earlier in range(year - max_years, year):
        table = store.read_published(store.org_year(paths, org, earlier))
        if table is not None:
            found[earlier] = table
    return found


def unpublished_earlier_years(
    paths: Paths, org: str, year: int, max_years: int = EARLIER_YEARS
) -> list[int]:
    """Earlier years that were measured but have no stored published output (built by an
    older version): the report's trends leave them out."""
    out = []
    for earlier in range(year - max_years, year):
        folder = store.org_year(paths, org, earlier)
        if store.has_metrics(folder) and not store.has_published(folder):
            out.append(earlier)
    return out


def rebuild_warning(org: str, years: list[int]) -> str:
    """The plain warning for earlier years left out of the trends, naming the command."""
    listed = ", ".join(str(y) for y in years)
    commands = "; ".join(f"`edi build --org {org} --year {y}`" for y in years)
    return (
        f"warning: {org}: the trends leave out {listed}: that year has no published tables "
        f"(it was built by an older version). Rebuild it with {commands}, then this year."
    )
