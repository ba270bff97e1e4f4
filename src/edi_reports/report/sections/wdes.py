"""The WDES section (methodology §4): metrics, likelihoods and the declaration rate."""

from __future__ import annotations

from typing import Any

import pandas as pd

from edi_reports.disclosure import control as disclosure
from edi_reports.report import display
from edi_reports.report.core import Report, Section, content_markdown
from edi_reports.report.sections.common import (
    breakdown_label,
    distribution_table,
    indicator_table,
    likelihood_items,
)
from edi_reports.rounding import format_value, parse_number


def build(report: Report) -> Section:
    """methodology §4: metric 1 by cluster, then metrics 2-10."""
    items: list[Any] = [
        display.heading("Workforce Disability Equality Standard (WDES)", level=2, anchor="wdes"),
        display.md(
            "WDES compares the experience of Disabled and non-disabled staff on ten metrics. "
            "Workforce records (ESR) usually show far fewer Disabled staff than the NHS Staff "
            "Survey, so the declaration rate is shown beside the figures."
        ),
    ]
    m1 = distribution_table(
        report, "wdes.1", ["Disabled", "Non-disabled", "Unknown"], breakdown_label
    )
    if not m1.empty:
        items.append(
            display.table(
                m1,
                caption="WDES metric 1: percentage of staff in each cluster who are Disabled, non-disabled or unknown",
                notes="Clusters: C1 bands under 1 to 4; C2 bands 5 to 7; C3 bands 8a and 8b; C4 bands 8c to 9 and VSM; C5 consultants; C6 non-consultant career grades; C7 trainee grades. Bank staff are excluded.",
            )
        )
    items += declaration(report)
    items += likelihood_items(
        report,
        ["wdes.2", "wdes.3"],
        f"WDES metrics 2 and 3: relative likelihoods, {report.year_label}",
    )
    if report.ctx.settings.standards.wdes2_caveat:
        items.append(display.callout(WDES2_CAVEAT))
    ids: list[tuple[str, str, dict[str, str], str]] = []
    for item, text in [
        ("public", "patients, service users, relatives or the public"),
        ("managers", "managers"),
        ("colleagues", "other colleagues"),
    ]:
        for group in ("Disabled", "Non-disabled"):
            ids.append(
                (
                    f"4a. {group} staff experiencing harassment, bullying or abuse from {text}",
                    "wdes.4a",
                    {"breakdown": f"item={item}", "group": group},
                    "%",
                )
            )
    for num, text in [
        ("4b", "saying they or a colleague reported the last harassment, bullying or abuse"),
        ("5", "believing the organisation provides equal opportunities for career progression"),
        ("6", "feeling pressure from their manager to come to work when not well enough"),
        ("7", "satisfied with how far the organisation values their work"),
    ]:
        for group in ("Disabled", "Non-disabled"):
            ids.append((f"{num}. {group} staff {text}", f"wdes.{num}", {"group": group}, "%"))
    ids.append(
        (
            "8. Disabled staff saying their employer has made adequate adjustments",
            "wdes.8",
            {"group": "Disabled"},
            "%",
        )
    )
    for group in ("Disabled", "Non-disabled", "All"):
        ids.append((f"9a. Staff engagement score (0-10), {group}", "wdes.9a", {"group": group}, ""))
    for bd in dict.fromkeys(report.rows("wdes.10")["breakdown"].astype(str)):
        ids.append(
            (
                f"10. Difference between Disabled share of the board ({breakdown_label(bd)}) and of the workforce",
                "wdes.10",
                {"breakdown": bd},
                " pp",
            )
        )
    items.append(
        display.table(
            indicator_table(report, ids), caption=f"WDES metrics 4 to 10, {report.year_label}"
        )
    )
    path = report._content("wdes_9b.md")
    items.append(display.heading("Metric 9b: the voices of Disabled staff", level=3))
    if path is not None:
        items.append(display.md(content_markdown(path, top_level=4)))
    else:
        items.append(
            display.callout(
                f"The organisation has not supplied its metric 9b narrative ({report._content_hint('wdes_9b.md')}) for this year."
            )
        )
    return Section(items)


def declaration(report: Report) -> list[Any]:
    """ESR declaration rate and share recorded Disabled beside the Staff Survey prevalence
    (methodology §4.4), from the published ``profile.disability`` counts only."""
    from edi_reports.measures.wdes import declaration_figures

    rows = report.rows("profile.disability", breakdown="overall")
    if rows.empty:
        return [display.callout("Disability is not recorded in the workforce file.")]
    counts = disclosure.published_counts(rows, report.ctx.settings)
    by_group = dict(zip(rows["group"].astype(str), counts, strict=True))
    total = parse_number(rows.iloc[0]["n"])
    yes, no = by_group.get("Yes"), by_group.get("No")
    known = total is not None and all(c is not None and not pd.isna(c) for c in (yes, no))
    figures = (
        declaration_figures(float(yes), float(no), total, report.survey_prevalence)
        if known
        else None
    )

    def pct(key: str, unit: str = "%") -> str:
        if figures is None:
            return report.symbol
        v = figures[key]
        return "not calculable" if v is None else f"{format_value(v, 1)}{unit}"

    prevalence = (
        f"{format_value(report.survey_prevalence, 1)}%"
        if report.survey_prevalence is not None
        else "not supplied"
    )
    table = pd.DataFrame.from_records(
        [
            {
                "Figure": "Staff who have recorded whether they are disabled (ESR)",
                "Value": pct("esr_pct_declared"),
            },
            {"Figure": "Staff recorded as Disabled (ESR)", "Value": pct("esr_pct_disabled")},
            {
                "Figure": "Staff Survey respondents who say they are disabled",
                "Value": prevalence,
            },
            {
                "Figure": "Difference: Staff Survey minus ESR",
                "Value": pct("gap_pp", " pp")
                if report.survey_prevalence is not None
                else "not available",
            },
        ]
    )
    return [
        display.heading("Declaration rate", level=3),
        display.table(
            table,
            caption=f"Disability declaration in ESR and in the Staff Survey, {report.year_label}",
            notes="From the published workforce profile (counts rounded to the nearest 5). "
            "A low declaration rate makes the WDES figures less reliable.",
        ),
    ]


WDES2_CAVEAT = (
    "Metric 2: guaranteed-interview schemes (such as Disability Confident) shortlist more "
    "Disabled applicants, which can lower their rate of appointment from shortlisting. Read "
    "this figure with care."
)
