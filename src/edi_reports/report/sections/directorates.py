"""The directorates section: representation and pay gaps by directorate (optional)."""

from __future__ import annotations

from typing import Any

import pandas as pd

from edi_reports.report import display
from edi_reports.report.core import Report, Section


def shown(report: Report) -> bool:
    """Whether the directorate section is shown: its figures were published (the
    measure stage computes them when ``report.directorates`` allows) and the section is
    not switched off."""
    if report.layout is not None and report.layout.directorates is False:
        return False
    return bool(report.published["measure"].str.startswith("directorate.").any())


def build(report: Report) -> Section:
    """Pay gaps and representation by directorate (optional; see
    :mod:`edi_reports.measures.directorates`), from the published figures only."""
    items: list[Any] = [
        display.heading("Directorates", level=2, anchor="directorates"),
        display.md(
            "Representation and pay gaps in each directorate, from the workforce file's "
            "directorate column. Shares are of the directorate's staff in post (bank staff "
            "excluded), worked out from counts rounded to the nearest 5. A gap is not "
            "shown when a group compared is too small to publish "
            f"(fewer than {report.ctx.settings.disclosure.min_group_stat} people; fewer than "
            f"{report.ctx.settings.epg.min_group_publish} for ethnicity). A positive gap "
            "means women (or BME staff) are paid less."
        ),
    ]
    rows = report.published[report.published["measure"].str.startswith("directorate.")]
    names = list(dict.fromkeys(rows["breakdown"].astype(str)))
    if not names:
        items.append(display.callout("No directorate figures are available for this year."))
        return Section(items)
    records = []
    for bd in names:
        staff = report.rows("directorate.profile.sex", breakdown=bd)
        total = str(staff.iloc[0]["n"]) if not staff.empty else ""
        records.append(
            {
                "Directorate": bd.partition("=")[2],
                "Staff in post": total or "not available",
                "Women": report.shown("directorate.profile.sex", "%", breakdown=bd, group="Female"),
                "BME staff": report.shown(
                    "directorate.profile.ethnicity", "%", breakdown=bd, group="BME"
                ),
                "Disabled staff": report.shown(
                    "directorate.profile.disability", "%", breakdown=bd, group="Disabled"
                ),
                "Median gender pay gap": report.shown(
                    "directorate.gpg.median_hourly_gap", "%", breakdown=bd
                ),
                "Mean gender pay gap": report.shown(
                    "directorate.gpg.mean_hourly_gap", "%", breakdown=bd
                ),
                "Median ethnicity pay gap (BME compared with White)": report.shown(
                    "directorate.epg.median_hourly_gap", "%", breakdown=bd
                ),
            }
        )
    items.append(
        display.table(
            pd.DataFrame.from_records(records),
            caption=f"Representation and pay gaps by directorate, {report.year_label}",
            notes="Staff in post is rounded to the nearest 5. " + report.suppressed_note,
        )
    )
    return Section(items)
