"""The statutory ethnicity and disability pay gaps section (2026 rules,
:mod:`edi_reports.sections_2026`)."""

from __future__ import annotations

from .. import sections_2026
from ..report import Report, Section


def build(report: Report) -> Section:
    return sections_2026.statutory_pay_gaps(report)
