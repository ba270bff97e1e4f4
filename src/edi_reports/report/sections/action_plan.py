"""The action plan section: the organisation's ``actions.csv`` as a table."""

from __future__ import annotations

from typing import Any

import pandas as pd

from edi_reports.report import display
from edi_reports.report.core import Report, Section


def build(report: Report) -> Section:
    items: list[Any] = [display.heading("Action plan", level=2, anchor="action-plan")]
    path = report._content("actions.csv")
    if path is None:
        items.append(
            display.callout(
                f"The organisation has not supplied an action plan ({report._content_hint('actions.csv')}) for this year."
            )
        )
        return Section(items)
    actions = pd.read_csv(path, dtype=str).fillna("")
    actions.columns = [c.strip().capitalize() for c in actions.columns]
    items.append(display.table(actions, caption=f"Action plan {report.year_label}"))
    return Section(items)
