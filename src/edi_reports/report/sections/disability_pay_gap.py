"""The disability pay gap section (methodology §2.6)."""

from __future__ import annotations

from edi_reports.report.core import Report, Section
from edi_reports.report.sections.common import binary_gap


def build(report: Report) -> Section:
    return binary_gap(
        report,
        "dpg",
        "Disability pay gap",
        "disability-pay-gap",
        "Disabled",
        "Non-disabled",
        "The disability pay gap compares the hourly pay of Disabled staff with that of "
        "non-disabled staff, by the gender pay gap method. Staff who have not declared "
        "whether they are disabled are left out of the gap.",
        ("profile.disability", ("Yes", "No")),
    )
