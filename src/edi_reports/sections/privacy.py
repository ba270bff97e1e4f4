"""The privacy section: the disclosure-control policy in words (methodology §6)."""

from __future__ import annotations

from .. import disclosure, display
from ..report import Report, Section, _md_escape


def build(report: Report) -> Section:
    return Section(
        [
            display.heading("Privacy", level=2, anchor="privacy"),
            display.md(_md_escape(disclosure.policy_text(report.ctx.settings))),
        ]
    )
