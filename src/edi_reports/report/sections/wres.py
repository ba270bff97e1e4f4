"""The WRES section (methodology §3): the nine indicators."""

from __future__ import annotations

from typing import Any

from edi_reports.report import display
from edi_reports.report.core import Report, Section
from edi_reports.report.sections.common import (
    breakdown_label,
    distribution_table,
    indicator_table,
    likelihood_items,
)


def build(report: Report) -> Section:
    """methodology §3: indicator 1 table, then indicators 2-9."""
    items: list[Any] = [
        display.heading("Workforce Race Equality Standard (WRES)", level=2, anchor="wres"),
        display.md(wres_intro(report.ctx.settings.standards.rl_adverse_band)),
    ]
    ind1 = distribution_table(report, "wres.1", ["White", "BME", "Unknown"], breakdown_label)
    if not ind1.empty:
        items.append(
            display.table(
                ind1,
                caption="WRES indicator 1: percentage of staff in each band who are White, BME or of unknown ethnicity",
                notes="Bank staff are excluded. Clinical and non-clinical staff are shown separately.",
            )
        )
    items += likelihood_items(
        report,
        ["wres.2", "wres.3", "wres.4"],
        f"WRES indicators 2 to 4: relative likelihoods, {report.year_label}",
    )
    ids: list[tuple[str, str, dict[str, str], str]] = []
    for num, text in [
        (
            "5",
            "experiencing harassment, bullying or abuse from patients, relatives or the public",
        ),
        ("6", "experiencing harassment, bullying or abuse from staff"),
        (
            "7",
            "believing the organisation provides equal opportunities for career progression or promotion",
        ),
        (
            "8",
            "personally experiencing discrimination at work from a manager, team leader or colleagues",
        ),
    ]:
        for group in ("White", "BME"):
            ids.append((f"{num}. {group} staff {text}", f"wres.{num}", {"group": group}, "%"))
    wres9 = report.rows("wres.9")
    for bd in dict.fromkeys(wres9["breakdown"].astype(str)):
        ids.append(
            (
                f"9. Difference between BME share of the board ({breakdown_label(bd)}) and of the workforce",
                "wres.9",
                {"breakdown": bd},
                " pp",
            )
        )
    items.append(
        display.table(
            indicator_table(report, ids), caption=f"WRES indicators 5 to 9, {report.year_label}"
        )
    )
    return Section(items)


def wres_intro(band: tuple[float, float] | None) -> str:
    """The opening paragraph of the WRES section, with the four-fifths band of the
    settings (``standards.rl_adverse_band``; none when it is switched off)."""
    text = (
        "WRES compares the experience of White and Black and minority ethnic (BME) staff on "
        "nine indicators. Relative likelihoods of 1.00 mean parity"
    )
    if band is None:
        return text + "."
    return (
        f"{text}; values outside {band[0]:.2f} to {band[1]:.2f} are flagged (a descriptive "
        "rule of thumb, not a statistical test)."
    )
