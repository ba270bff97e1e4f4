"""The statutory ethnicity and disability pay gaps section (2026 rules,
:mod:`edi_reports.report.sections_2026`)."""

from __future__ import annotations

from edi_reports.report import sections_2026
from edi_reports.report.core import Report, Section


def build(report: Report) -> Section:
    return sections_2026.statutory_pay_gaps(report)
