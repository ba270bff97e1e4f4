"""The gender pay gap section: the six statutory figures (methodology §1.7)."""

from __future__ import annotations

from typing import Any

import pandas as pd

from edi_reports.report import display
from edi_reports.report.core import Report, Section, _md_escape
from edi_reports.report.sections.common import gap_reading, quartile_chart, quartile_table


def build(report: Report) -> Section:
    """The six statutory figures (methodology §1.7) with quarters, trend and reading."""
    mean = report.value("gpg.mean_hourly_gap", breakdown="overall")
    median = report.value("gpg.median_hourly_gap", breakdown="overall")
    items: list[Any] = [
        display.heading("Gender pay gap", level=2, anchor="gender-pay-gap"),
        display.md(
            "The gender pay gap is the difference between men's and women's average hourly "
            "pay, as a percentage of men's pay (the statutory method of the Equality Act 2010 "
            f"(Specific Duties and Public Authorities) Regulations 2017). Snapshot date: "
            f"{report.ctx.settings.snapshot_date(report.ctx.year):%-d %B %Y}."
        ),
        display.md(gap_reading("Women", "men", median, "median", report.symbol)),
    ]
    if not report.statutory:
        items.append(
            display.callout(
                f"{report.org_name} has fewer than "
                f"{report.ctx.settings.gpg.statutory_min_employees} employees, so it is not "
                "required to report its gender pay gap to the government service. The "
                "figures below are published voluntarily, under the same privacy rules as "
                "every other figure in this report: a figure based on a small group is "
                f"shown as {_md_escape(report.symbol)}."
            )
        )
    six = pd.DataFrame.from_records(
        [
            {
                "Figure": "Mean gender pay gap in hourly pay",
                "Value": report.shown("gpg.mean_hourly_gap", "%", breakdown="overall"),
            },
            {
                "Figure": "Median gender pay gap in hourly pay",
                "Value": report.shown("gpg.median_hourly_gap", "%", breakdown="overall"),
            },
            {
                "Figure": "Mean bonus gender pay gap",
                "Value": report.shown("gpg.mean_bonus_gap", "%", breakdown="overall"),
            },
            {
                "Figure": "Median bonus gender pay gap",
                "Value": report.shown("gpg.median_bonus_gap", "%", breakdown="overall"),
            },
            {
                "Figure": "Proportion of men receiving a bonus",
                "Value": report.shown("gpg.bonus_receipt", "%", breakdown="overall", group="Male"),
            },
            {
                "Figure": "Proportion of women receiving a bonus",
                "Value": report.shown(
                    "gpg.bonus_receipt", "%", breakdown="overall", group="Female"
                ),
            },
        ]
    )
    if report.previous is not None:
        six["Last year"] = [
            report.shown(m, "%", frame=report.previous, breakdown="overall", **w)
            for m, w in [
                ("gpg.mean_hourly_gap", {}),
                ("gpg.median_hourly_gap", {}),
                ("gpg.mean_bonus_gap", {}),
                ("gpg.median_bonus_gap", {}),
                ("gpg.bonus_receipt", {"group": "Male"}),
                ("gpg.bonus_receipt", {"group": "Female"}),
            ]
        ]
    items.append(
        display.table(
            six, caption=f"Gender pay gap: the six statutory figures, {report.year_label}"
        )
    )
    quart = quartile_table(report, "gpg", ["Male", "Female"])
    quart.columns = ["Pay quarter", "Men", "Women"]
    upper_w = quart.iloc[3]["Women"]
    lower_w = quart.iloc[0]["Women"]
    items.append(
        quartile_chart(
            report,
            quart,
            "Men and women in each hourly pay quarter",
            f"Women make up {lower_w} of the lowest-paid quarter and {upper_w} of the "
            "highest-paid quarter.",
        )
    )
    if mean:
        items.append(display.md(gap_reading("Women", "men", mean, "mean", report.symbol)))
    return Section(items)
