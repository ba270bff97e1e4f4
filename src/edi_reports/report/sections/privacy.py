"""The privacy section: the disclosure-control policy in words (methodology §6)."""

from __future__ import annotations

from edi_reports.disclosure import control as disclosure
from edi_reports.report import display
from edi_reports.report.core import Report, Section, _md_escape


def build(report: Report) -> Section:
    return Section(
        [
            display.heading("Privacy", level=2, anchor="privacy"),
            display.md(_md_escape(disclosure.policy_text(report.ctx.settings))),
        ]
    )
