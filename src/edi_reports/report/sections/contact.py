"""The contact section: where to send questions about the report."""

from __future__ import annotations

from edi_reports.report import display
from edi_reports.report.core import Report, Section, _md_escape


def build(report: Report) -> Section:
    """The organisation's contact details for questions about the report (settings
    ``branding.contact_*`` or ``content/<ORG>/report.yml``); nothing when none is given."""
    if report.brand is None or not report.brand.contact:
        return Section([])
    lines = []
    for label, value in report.brand.contact:
        if label == "Email":
            shown = f"[{_md_escape(value)}](mailto:{value})"
        elif label == "Website":
            shown = f"[{_md_escape(value)}]({value})"
        else:
            shown = _md_escape(value)
        lines.append(f"- **{label}:** {shown}")
    return Section(
        [
            display.heading("Contact", level=2, anchor="contact"),
            display.md(
                "Questions about this report, or a request for it in another format:\n\n"
                + "\n".join(lines)
            ),
        ]
    )
