"""The sexual-orientation pay gap section (methodology §2.6)."""

from __future__ import annotations

from edi_reports.report.core import Report, Section
from edi_reports.report.sections.common import binary_gap


def build(report: Report) -> Section:
    return binary_gap(
        report,
        "sopg",
        "Sexual orientation pay gap",
        "sexual-orientation-pay-gap",
        "LGB+",
        "Heterosexual",
        "The sexual orientation pay gap compares lesbian, gay, bisexual and other "
        "non-heterosexual staff (LGB+) with heterosexual staff, by the gender pay gap method.",
        (
            "profile.sexual_orientation",
            (
                "Heterosexual or Straight",
                "Gay or Lesbian",
                "Bisexual",
                "Other sexual orientation not listed",
            ),
        ),
    )
