"""The workforce profile section (methodology §10): headcount and share by characteristic."""

from __future__ import annotations

from typing import Any

import pandas as pd

from edi_reports.disclosure import control as disclosure
from edi_reports.report import display
from edi_reports.report.core import Report, Section, _md_escape


def build(report: Report) -> Section:
    """methodology §10: headcount and share by group for each characteristic."""
    from edi_reports.measures.profile import CHARACTERISTICS

    d = report.ctx.settings.disclosure
    items: list[Any] = [
        display.heading("Workforce profile", level=2, anchor="workforce-profile"),
        display.md(
            "Staff in post on the snapshot date by protected characteristic (bank staff "
            f"excluded). Headcounts are rounded to the nearest {d.round_base} and counts of "
            f"1 to {d.suppress_max} are shown as {_md_escape(report.symbol)}; percentages are "
            "worked out from the rounded counts."
        ),
    ]
    for characteristic in CHARACTERISTICS:
        measure = f"profile.{characteristic}"
        rows = report.rows(measure, breakdown="overall")
        title = CHARACTERISTIC_TITLES.get(
            characteristic, characteristic.replace("_", " ").capitalize()
        )
        if rows.empty or (rows["value"].astype(str) == "").all():
            column = CHARACTERISTICS[characteristic][0]
            items.append(
                display.callout(
                    f"{title}: not collected. The workforce file has no "
                    f"{_md_escape(column)} column, or it is blank for everyone, so no "
                    "figures are shown."
                )
            )
            continue
        counts = disclosure.published_counts(rows, report.ctx.settings)
        headcounts = [
            report.symbol if str(v) == report.symbol else ("" if pd.isna(c) else f"{int(c):,}")
            for v, c in zip(rows["value"], counts, strict=True)
        ]
        table = pd.DataFrame(
            {
                "Group": rows["group"].astype(str).to_numpy(),
                "Headcount": headcounts,
                "Share": [
                    f"{v}%" if str(v) not in {report.symbol, ""} else (str(v) or "not calculable")
                    for v in rows["value"]
                ],
            }
        )
        items.append(
            display.table(
                table, caption=f"Workforce by {title[0].lower() + title[1:]}, {report.year_label}"
            )
        )
    return Section(items)


#: Headings of the workforce profile's protected characteristics (Equality Act 2010 s.4).
CHARACTERISTIC_TITLES: dict[str, str] = {
    "age": "Age",
    "disability": "Disability",
    "ethnicity": "Ethnicity",
    "religion_belief": "Religion or belief",
    "sex": "Sex",
    "sexual_orientation": "Sexual orientation",
    "marital_status": "Marriage and civil partnership",
    "gender_reassignment": "Gender reassignment",
    "pregnancy_maternity": "Pregnancy and maternity",
}
