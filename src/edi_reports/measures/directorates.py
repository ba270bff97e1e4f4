"""Pay gaps and representation by directorate: an optional section of the report.

The workforce file's ``directorate`` column (ESR "Directorate", "Care Group" or "Division")
is free text, so the section is off by default: directorate names are published only when
a trust chooses to. When the setting ``report.directorates`` is ``true``, or ``"auto"`` and
the column names at least two directorates, the measure stage adds, for each directorate:

- ``directorate.gpg.mean_hourly_gap`` and ``directorate.gpg.median_hourly_gap``: women
  against men, by the statutory method (methodology §1.7), among the directorate's
  full-pay relevant employees;
- ``directorate.epg.median_hourly_gap``: BME against White staff (methodology §2.3, the
  WRES grouping);
- ``directorate.profile.sex``, ``directorate.profile.ethnicity`` and
  ``directorate.profile.disability``: the share of the directorate's staff in post in each
  group (methodology §10, bank staff excluded).

Every row has breakdown ``directorate=<name>`` and goes through disclosure control by the
rules of its base measure (a gap is not shown when a group has fewer than
``disclosure.min_group_stat`` people, or ``epg.min_group_publish`` for ethnicity; counts
of 1 to 7 are suppressed), as every other figure.
"""

from __future__ import annotations

import pandas as pd

from edi_reports.config import DEFAULT_SETTINGS, Settings
from edi_reports.measures.metrics import Metric, metric

__all__ = ["PREFIX", "directorate_metrics", "directorates_enabled"]

PREFIX = "directorate."
#: Share rows: characteristic -> (column, groups in order).
_SHARES: dict[str, tuple[str, tuple[str, ...]]] = {
    "sex": ("sex", ("Female", "Male", "Unknown")),
    "ethnicity": ("ethnic_wres", ("White", "BME", "Unknown")),
    "disability": ("disability_group", ("Disabled", "Non-disabled", "Unknown")),
}


def directorate_names(workforce: pd.DataFrame) -> list[str]:
    """The directorates named in the workforce file, sorted (blank left out)."""
    if "directorate" not in workforce:
        return []
    names = workforce["directorate"].astype("string").str.strip()
    return sorted(str(n) for n in names.dropna().unique() if str(n))


def directorates_enabled(workforce: pd.DataFrame, settings: Settings = DEFAULT_SETTINGS) -> bool:
    """Whether the directorate figures are computed (setting ``report.directorates``)."""
    choice = settings.report.directorates
    if choice is False:
        return False
    names = directorate_names(workforce)
    return bool(names) if choice is True else len(names) >= 2


def _safe(name: str) -> str:
    """A directorate name usable inside a ``key=value;...`` breakdown string."""
    return " ".join(name.replace(";", ",").replace("=", "-").split())


def directorate_metrics(
    workforce: pd.DataFrame, settings: Settings = DEFAULT_SETTINGS
) -> list[Metric]:
    """Pay gaps and representation for each directorate (see the module docstring).

    Parameters
    ----------
    workforce
        The cleaned workforce table.
    settings
        Configurable rules (``report.directorates``, ``profile.include_bank``, the pay gap
        rules).

    Returns
    -------
    list of Metric
        Empty when the option is off or the column is absent.
    """
    import warnings

    from edi_reports.measures.metrics import MeasureWarning

    if not directorates_enabled(workforce, settings):
        return []
    with warnings.catch_warnings():  # a small directorate's empty group is not news
        warnings.simplefilter("ignore", MeasureWarning)
        return _directorate_rows(workforce, settings)


def _directorate_rows(workforce: pd.DataFrame, settings: Settings) -> list[Metric]:
    from edi_reports.measures import paygap
    from edi_reports.measures.profile import profile_population

    names = workforce["directorate"].astype("string").str.strip()
    population = profile_population(workforce, settings)
    rows: list[Metric] = []
    for name in directorate_names(workforce):
        bd = f"directorate={_safe(name)}"
        staff = workforce[names == name]
        gaps = paygap.gender_pay_gap(staff, settings)
        rows += [
            _rebadge(m, bd)
            for m in gaps
            if m.measure in ("gpg.mean_hourly_gap", "gpg.median_hourly_gap")
        ]
        cols = paygap._ethnic_columns(staff, settings)
        work = paygap._slim(staff, {"wres": cols["wres"]})
        rows += [
            _rebadge(m, bd)
            for m in paygap.pay_gap_metrics(
                work,
                prefix="epg",
                group_col="wres",
                reference="White",
                comparisons=["BME"],
                group_order=["White", "BME"],
                settings=settings,
                parts={"hourly"},
            )
            if m.measure == "epg.median_hourly_gap"
        ]
        in_post = population[population["directorate"].astype("string").str.strip() == name]
        total = len(in_post)
        if total == 0:
            continue
        for characteristic, (column, groups) in _SHARES.items():
            if column not in in_post:
                continue
            values = in_post[column].astype("string").fillna("Unknown")
            for group in groups:
                count = int((values == group).sum())
                rows.append(
                    metric(
                        f"{PREFIX}profile.{characteristic}",
                        100.0 * count / total,
                        "pct",
                        breakdown=bd,
                        group=group,
                        numerator=count,
                        denominator=total,
                        n=total,
                    )
                )
    return rows


def _rebadge(m: Metric, breakdown: str) -> Metric:
    """A pay gap row of one directorate: measure prefixed, breakdown naming it."""
    from dataclasses import replace

    return replace(m, measure=PREFIX + m.measure, breakdown=breakdown)
