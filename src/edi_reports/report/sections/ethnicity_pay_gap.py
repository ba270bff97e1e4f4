"""The ethnicity pay gap section (methodology §2): every group against the reference group."""

from __future__ import annotations

from typing import Any

import pandas as pd

from edi_reports.report import display, sections_2026, vegalite
from edi_reports.report.core import Report, Section
from edi_reports.report.sections.common import (
    bonus_receipt,
    gap_table,
    quartile_table,
    undeclared_sentence,
)
from edi_reports.rounding import parse_number


def build(report: Report) -> Section:
    """methodology §2: against White British (default) and against White (WRES-aligned)."""
    lead = report.ctx.settings.epg.reference_group
    items: list[Any] = [
        display.heading("Ethnicity pay gap", level=2, anchor="ethnicity-pay-gap"),
        sections_2026.additional_analysis_note(report),
        display.md(
            "The ethnicity pay gap uses the gender pay gap method with ethnic groups in place "
            "of sex (GOV.UK ethnicity pay reporting guidance, 2023). Each group is compared "
            f"with {lead} staff; figures for groups smaller than "
            f"{report.ctx.settings.epg.min_group_publish} people are not published. People "
            "who did not state their ethnicity are left out of the gaps; the share who did "
            "not is shown below because low disclosure makes the gaps less reliable."
        ),
    ]
    gaps = report.rows("epg.median_hourly_gap", breakdown="overall")
    pairs = [
        (str(r.group), str(r.reference_group))
        for r in gaps.itertuples()
        if str(r.reference_group) == lead
        or (str(r.group) == "BME" and str(r.reference_group) == "White")
    ]
    pairs = sorted(dict.fromkeys(pairs), key=lambda p: (p[1] != lead, p[0]))
    if pairs:
        items.append(
            display.table(
                gap_table(report, "epg", pairs, "Ethnic group"),
                caption=f"Ethnicity pay gaps in hourly pay and bonus pay, {report.year_label}",
                notes="A positive gap means the group is paid less than the group it is compared with.",
            )
        )
        chart_rows = [
            {
                "Group": g,
                "Median hourly gap (%)": parse_number(
                    report.value(
                        "epg.median_hourly_gap", breakdown="overall", group=g, reference_group=r
                    )
                ),
            }
            for g, r in pairs
            if r == lead
        ]
        chart_df = pd.DataFrame(chart_rows).dropna()
        if not chart_df.empty:
            items.append(
                display.chart(
                    vegalite.gap(
                        chart_df,
                        group="Group",
                        value="Median hourly gap (%)",
                        title=f"Median hourly pay gap against {lead} staff",
                    ),
                    alt=gap_finding(chart_df, "Group", "Median hourly gap (%)", lead),
                    caption=f"Median ethnicity pay gap by group, against {lead} staff",
                    data=chart_df.assign(
                        **{
                            "Median hourly gap (%)": chart_df["Median hourly gap (%)"].map(
                                lambda v: f"{v:.1f}"
                            )
                        }
                    ),
                    data_caption="Median hourly pay gap by ethnic group (%)",
                )
            )
    else:
        items.append(display.callout("No ethnicity pay gap could be published for this year."))
    groups = [
        g
        for g in ["White British", "White other", "Mixed", "Asian", "Black", "Other", "Unknown"]
        if not report.rows("epg.quartile_share", group=g).empty
    ]
    if groups:
        quart = quartile_table(report, "epg", groups, grouping="high_level")
        items.append(
            display.table(
                quart,
                caption="Ethnic groups in each hourly pay quarter",
                notes="Shares of each quarter; they may not add to exactly 100 because each is rounded on its own.",
            )
        )
    undisclosed = report.shown("profile.ethnicity", "%", breakdown="overall", group="Unknown")
    items.append(
        display.md(
            undeclared_sentence(
                report,
                "Ethnicity not stated or not known",
                undisclosed,
                "has no recorded ethnicity",
            )
        )
    )
    receipt_groups = [
        g
        for g in [
            "White British",
            "White other",
            "Mixed",
            "Asian",
            "Black",
            "Other",
            "White",
            "BME",
        ]
        if not report.rows("epg.bonus_receipt", group=g).empty
    ]
    if receipt_groups:
        items.append(
            display.table(
                bonus_receipt(report, "epg", receipt_groups),
                caption="Proportion of each ethnic group receiving a bonus",
            )
        )
    return Section(items)


def gap_finding(df: pd.DataFrame, group: str, value: str, ref: str) -> str:
    """The finding of the ethnicity pay gap chart in words, sign by sign.

    A positive gap means the group is paid less than ``ref`` staff, a negative one more
    (methodology §0.1). The sentence names the group paid the least compared with
    ``ref`` (the largest positive gap) and the group paid the most (the most negative gap),
    each with its direction, so a negative gap is never read as "the largest gap".
    """
    values = pd.to_numeric(df[value], errors="coerce")
    frame = df.assign(_v=values).dropna(subset=["_v"])
    where = "The data table below the chart gives every group's figure."
    if frame.empty:
        return f"No median hourly pay gap against {ref} staff could be published. {where}"
    rounded = frame["_v"].round(1)
    parts = []
    if (rounded > 0).any():
        top = rounded.max()
        parts.append(
            f"{_names(frame.loc[rounded == top, group])} staff have the largest median hourly "
            f"pay gap against {ref} staff: their median hourly pay is {top:.1f}% lower."
        )
    else:
        parts.append(f"No group shown has a lower median hourly pay than {ref} staff.")
    if (rounded < 0).any():
        low = rounded.min()
        parts.append(
            f"The median hourly pay of {_names(frame.loc[rounded == low, group])} staff is "
            f"the furthest above that of {ref} staff, {abs(low):.1f}% higher."
        )
    elif not (rounded > 0).any():
        parts = [f"No group shown has a median hourly pay gap against {ref} staff."]
    return " ".join([*parts, where])


def _names(groups: pd.Series) -> str:
    """``["Black", "Other"]`` -> ``"Black and Other"`` (ties named together)."""
    names = [str(g) for g in groups]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
