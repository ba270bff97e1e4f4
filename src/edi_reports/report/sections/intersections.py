"""The intersectional findings section (methodology §9)."""

from __future__ import annotations

from typing import Any

import pandas as pd

from edi_reports.report import display
from edi_reports.report.core import Report, Section
from edi_reports.rounding import parse_number


def build(report: Report) -> Section:
    """methodology §9: crossed groups against the combined reference cell."""
    items: list[Any] = [
        display.heading("Intersectional findings", level=2, anchor="intersections"),
        display.md(
            "Pay gaps for people who share two characteristics, each compared with the group "
            "that is in the reference group for both (for example BME women compared with "
            "White men). Small groups are suppressed."
        ),
    ]
    rows = report.rows("intersection.gpg.median_hourly_gap")
    if rows.empty:
        rows = report.published[
            report.published["measure"].str.startswith("intersection.")
            & report.published["measure"].str.endswith("median_hourly_gap")
        ]
    if rows.empty:
        items.append(display.callout("No intersectional figures are available for this year."))
        return Section(items)
    table = pd.DataFrame(
        {
            "Group": rows["group"].map(intersection_label).to_numpy(),
            "Compared with": rows["reference_group"].map(intersection_label).to_numpy(),
            "Median hourly gap": [
                f"{v}%" if parse_number(v) is not None else (str(v) or "not calculable")
                for v in rows["value"]
            ],
        }
    )
    items.append(
        display.table(table, caption=f"Intersectional median hourly pay gaps, {report.year_label}")
    )
    return Section(items)


#: How each part of an intersection label reads in a sentence (methodology §9).
_INTERSECTION_WORDS: dict[str, tuple[str, str]] = {
    "Female": ("noun", "women"),
    "Male": ("noun", "men"),
    "White": ("adj", "White"),
    "BME": ("adj", "BME"),
    "Disabled": ("adj", "Disabled"),
    "Non-disabled": ("adj", "non-disabled"),
    "LGB+": ("adj", "LGB+"),
    "Heterosexual": ("adj", "heterosexual"),
}


def intersection_label(label: str) -> str:
    """``White|Female`` -> ``White women``; ``BME|Disabled`` -> ``BME Disabled staff``.

    Parts in the label's own order (``intersection.label_order``); a sex part becomes the
    noun ("women", "men"), otherwise "staff"; an unknown part is kept as written.
    """
    parts = [p for p in str(label).split("|") if p]
    if len(parts) < 2:
        return str(label)
    adjectives, noun = [], "staff"
    for part in parts:
        kind, word = _INTERSECTION_WORDS.get(part, ("adj", part))
        if kind == "noun":
            noun = word
        else:
            adjectives.append(word)
    text = " ".join([*adjectives, noun])
    return text[0].upper() + text[1:]
