"""The title, the report's scope and the organisation's own introduction."""

from __future__ import annotations

from edi_reports.report import display
from edi_reports.report.core import Report, Section, content_markdown


def build(report: Report) -> Section:
    intro = [
        display.heading(report.title, level=1),
        display.md(
            f"This report sets out {report.org_name}'s workforce equality figures for "
            f"{report.year_label}: the workforce on the snapshot date of "
            f"{report.ctx.settings.snapshot_date(report.ctx.year):%-d %B %Y} and the 12 months "
            "before it. It covers the statutory gender pay gap, ethnicity, disability and "
            "sexual-orientation pay gaps, the Workforce Race Equality Standard (WRES), the "
            "Workforce Disability Equality Standard (WDES) and the workforce profile by "
            "protected characteristic required by the Public Sector Equality Duty."
        ),
    ]
    path = report._content("summary.md")
    intro.append(
        display.heading("Introduction from the organisation", level=2, anchor="introduction")
    )
    if path is not None:
        intro.append(display.md(content_markdown(path, top_level=3)))
    else:
        intro.append(
            display.callout(
                f"The organisation has not supplied an introduction ({report._content_hint('summary.md')}) for this year."
            )
        )
    return Section(intro)
