"""The benchmarking section: the organisation against the national and regional distribution."""

from __future__ import annotations

from typing import Any

from edi_reports.report import display
from edi_reports.report.core import Report, Section


def build(report: Report) -> Section:
    """Where the organisation stands against the national and regional distribution, from
    ``data/processed/national/<YEAR>/benchmarks.csv``: other organisations appear only as
    medians and quartiles over at least :data:`edi_reports.measures.national.MIN_ORGANISATIONS`
    organisations; this organisation's figures are its published (disclosure-controlled)
    ones, for the catalogue's benchmarked figures
    (:func:`edi_reports.catalogue.benchmark_figures`)."""
    from edi_reports import catalogue
    from edi_reports.measures import national

    items: list[Any] = [display.heading("Benchmarking", level=2, anchor="benchmarking")]
    bench = national.read_benchmarks(report.ctx.paths, report.ctx.year, report.ctx.org)
    if bench is None or bench.empty:
        items.append(
            display.md(
                "No national comparison is available for this year: it is produced when "
                "the reports of many organisations are built together (`edi build --all`)."
            )
        )
        return Section(items)
    own = {
        f.id: report.value(f.id, breakdown="overall", group=f.group, reference_group=f.reference)
        for f in catalogue.benchmark_figures()
    }
    items.append(
        display.table(
            national.benchmark_table(bench, own, report.region, symbol=report.symbol),
            caption=f"Where {report.org_name} stands among organisations, {report.year_label}",
            notes="Pay gaps are the difference in hourly pay as a percentage of the "
            "reference group's (men; White staff; non-disabled staff). Quartiles and "
            "medians are of organisations' own figures; a national or regional figure is "
            f"shown only when it summarises at least {national.MIN_ORGANISATIONS} "
            f"organisations. {report.suppressed_note}",
        )
    )
    return Section(items)
