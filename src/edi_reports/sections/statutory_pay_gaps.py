"""Report section helpers: statutory_pay_gaps."""

from __future__ import annotations

from .. import sections_2026
from ..report import (
    Report,
    Section,
)


def build(report: Report) -> Section:
    return sections_2026.statutory_pay_gaps(report)
