"""The equality action plan section (2026 rules, :mod:`edi_reports.sections_2026`)."""

from __future__ import annotations

from .. import sections_2026
from ..report import Report, Section


def build(report: Report) -> Section:
    return sections_2026.equality_action_plan(report)
