"""Every measure for one organisation and year, in one call.

Runs the pay gaps (methodology §1, §2, §9), WRES (§3), WDES (§4) and the PSED profile (§10)
over the cleaned tables, and collects the figures that could not be calculated with their
reasons. The result is the unrounded, unsuppressed ``metrics.csv`` (data contract §3.1).
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from edi_reports.config import DEFAULT_SETTINGS, Settings
from edi_reports.measures import decomposition, directorates, paygap, profile, statutory, wdes, wres
from edi_reports.measures.metrics import MeasureWarning, Metric, to_frame
from edi_reports.notebook import Context

Tables = dict[str, pd.DataFrame]


@dataclass
class MeasureResult:
    """The metrics frame and the warnings raised while computing it.

    ``likelihoods`` holds the WRES and WDES relative likelihoods with their interval on
    (methodology §8), worked out with the figures for the standard errors of §8.1, and
    ``settings`` the settings they were worked out with.
    """

    metrics: pd.DataFrame
    warnings: list[str] = field(default_factory=list)
    likelihoods: list[Metric] | None = None
    settings: Settings | None = None


def _families(
    settings: Settings, likelihoods: list[Metric] | None = None
) -> list[tuple[str, Callable[[Tables, Tables | None], list[Metric]]]]:
    def on_workforce(
        fn: Callable[..., list[Metric]],
    ) -> Callable[[Tables, Tables | None], list[Metric]]:
        return lambda tables, previous: fn(tables["workforce"], settings)

    return [
        ("gender pay gap", on_workforce(paygap.gender_pay_gap)),
        ("ethnicity pay gap", on_workforce(paygap.ethnicity_pay_gap)),
        ("disability pay gap", on_workforce(paygap.disability_pay_gap)),
        ("sexual orientation pay gap", on_workforce(paygap.sexual_orientation_pay_gap)),
        ("intersectional pay gaps", on_workforce(paygap.intersection_pay_gaps)),
        ("WRES", lambda t, p: wres.wres_metrics(t, settings, p, with_intervals=likelihoods)),
        ("WDES", lambda t, p: wdes.wdes_metrics(t, settings, p, with_intervals=likelihoods)),
        ("workforce profile", on_workforce(profile.profile_metrics)),
        ("statutory pay gaps", on_workforce(statutory.statutory_pay_gaps)),
        ("pay gap decomposition", on_workforce(decomposition.decomposition_metrics)),
        ("directorates", on_workforce(directorates.directorate_metrics)),
    ]


def compute_metrics(
    tables: Tables, settings: Settings = DEFAULT_SETTINGS, previous: Tables | None = None
) -> MeasureResult:
    """All figures for one organisation and year.

    Parameters
    ----------
    tables
        Cleaned tables keyed by input stem (``workforce`` is required).
    settings
        The configurable rules (methodology §12.3).
    previous
        The previous year's cleaned tables, for the two-year casework window (§3.2).

    Returns
    -------
    MeasureResult
        ``metrics`` in the metrics.csv layout; ``warnings`` as plain sentences.
    """
    rows: list[Metric] = []
    messages: list[str] = []
    likelihoods: list[Metric] = []
    if tables.get("workforce") is not None:
        # hourly rates, FPRE flags and bonuses once for every pay gap family (§1.6, §1.7)
        tables = {**tables, "workforce": paygap.with_pay_columns(tables["workforce"])}
    for _family, compute in _families(settings, likelihoods):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", MeasureWarning)
            rows.extend(compute(tables, previous))
        messages.extend(str(w.message) for w in caught if issubclass(w.category, MeasureWarning))
    return MeasureResult(
        metrics=to_frame(rows),
        warnings=list(dict.fromkeys(messages)),
        likelihoods=likelihoods,
        settings=settings,
    )


def read_tables(folder: Path) -> Tables:
    """The cleaned tables written by the clean stage (absent files are absent keys)."""
    from edi_reports import store

    return store.read_tables(folder)


#: The previous year's tables the measures read: the two-year casework window (§3.2).
PREVIOUS_TABLES: tuple[str, ...] = ("workforce", "casework")


def previous_tables(ctx: Context) -> Tables | None:
    """The previous year's cleaned workforce and casework tables (two-year casework window,
    methodology §3.2; the only use of the previous year in the measures).

    Read from the previous year's processed folder (``data/processed/<ORG>/<YEAR-1>/``),
    written when that year was built or validated; None when it was not (the measures fall
    back to one year and warn). Earlier years are built first (``edi build --all`` builds an
    organisation's years in order), so the raw files are never cleaned twice.
    """
    from edi_reports import store

    folder = store.org_year(ctx.paths, ctx.org, ctx.year - 1)
    if not store.has_table(folder, "workforce"):
        return None
    found = {stem: store.read_table(folder, stem) for stem in PREVIOUS_TABLES}
    return {stem: table for stem, table in found.items() if table is not None}


def write_outputs(
    result: MeasureResult,
    ctx: Context,
    tables: Tables | None = None,
    previous: Tables | None = None,
) -> None:
    """``metrics.csv``, the measure warnings, ``gpg_submission.csv`` and the WRES/WDES
    data-collection files ``wres_submission.csv`` / ``wdes_submission.csv`` (all internal).

    The report stage copies only ``gpg_submission.csv`` into the published folder: the
    WRES/WDES collection files hold raw counts for the private upload to NHS England
    (methodology §3.5, §4.5) and stay in ``data/processed/<ORG>/<YEAR>/``.

    Parameters
    ----------
    result
        The computed metrics.
    ctx
        Where to write.
    tables, previous
        This year's and the previous year's cleaned tables (read from the processed
        folders when ``tables`` is None): the ones ``result`` was computed from.
    """
    from edi_reports import store
    from edi_reports.disclosure.control import statutory_duty_applies
    from edi_reports.submissions.collection import write_collections
    from edi_reports.submissions.gpg import write_gpg_submission

    store.write_metrics(ctx.processed, result.metrics)
    submission = store.file(ctx.processed, store.GPG_SUBMISSION)
    submission.unlink(missing_ok=True)
    if statutory_duty_applies(result.metrics, ctx.settings):
        write_gpg_submission(result.metrics, submission, ctx.settings)
    else:  # no GOV.UK return is due, and its figures would bypass disclosure control
        result.warnings.append(
            "gpg_submission.csv not written: fewer than "
            f"{ctx.settings.gpg.statutory_min_employees} employees, so the statutory gender pay "
            "gap duty does not apply (methodology §1.1); the figures are published under "
            "disclosure control like any other pay gap"
        )
    store.write_warnings(ctx.processed, result.warnings)
    # the relative likelihoods worked out with the figures serve the standard errors when
    # they come from the same tables and settings
    likelihoods = result.likelihoods if result.settings == ctx.settings else None
    if tables is None:
        tables, previous = read_tables(ctx.processed), previous_tables(ctx)
        likelihoods = None
    if tables.get("workforce") is not None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", MeasureWarning)  # already in measure_warnings
            write_collections(tables, result.metrics, ctx.processed, ctx.settings, previous)
            # the year-on-year tests' standard errors
            from edi_reports.measures.significance import write_standard_errors

            write_standard_errors(
                tables, ctx.processed, ctx.settings, previous, likelihoods=likelihoods
            )
