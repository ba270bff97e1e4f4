"""The summary table: headline indicators this year and last year, with status."""

from __future__ import annotations

from typing import Any

from edi_reports.report import display, sections_2026
from edi_reports.report.core import Report, Section


def build(report: Report) -> Section:
    """Indicator, this year, last year, status (the shape trusts publish)."""
    from edi_reports.report.trends import summary_rows

    table = summary_rows(
        report.published, report.previous, sections_2026.status_tester(report), report.symbol
    )
    items: list[Any] = [display.heading("Summary", level=2, anchor="summary")]
    if report.previous is None:
        items.append(
            display.md(
                "This is the first year built for this organisation, so there is no "
                "comparison with last year."
            )
        )
        notes = report.suppressed_note
    else:
        notes = (
            "Last year is the figure published in last year's report. Status compares "
            "with it in the direction that is better for each indicator: for a relative "
            "likelihood, closer to 1.00 is better; for harassment and discrimination, "
            "lower is better. A change is called better or worse only when its 95 % "
            "interval (shown) leaves out no change; otherwise it reads no clear change. "
            "A likelihood of 0.00 (no cases) is not compared. " + report.suppressed_note
        )
    items.append(
        display.table(
            table, caption=f"Summary of headline indicators, {report.year_label}", notes=notes
        )
    )
    return Section(items)
