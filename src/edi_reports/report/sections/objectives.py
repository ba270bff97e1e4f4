"""The equality objectives section: the organisation's own objectives."""

from __future__ import annotations

from typing import Any

from edi_reports.report import display
from edi_reports.report.core import Report, Section, content_markdown


def build(report: Report) -> Section:
    items: list[Any] = [display.heading("Equality objectives", level=2, anchor="objectives")]
    structured = report._content("objectives.yaml")
    if structured is not None:  # period and progress per year (edi_reports.rendering.equality_page)
        from edi_reports.rendering.equality_page import load_objectives, objectives_markdown

        objectives = load_objectives(structured.parent)
        if objectives is not None:
            items.append(display.md(objectives_markdown(objectives)))
            return Section(items)
    path = report._content("objectives.md")
    if path is None:
        items.append(
            display.callout(
                f"The organisation has not supplied its equality objectives ({report._content_hint('objectives.md')})."
            )
        )
    else:
        items.append(display.md(content_markdown(path, top_level=3)))
    return Section(items)
