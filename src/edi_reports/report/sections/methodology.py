"""The methodology section: the rules behind the figures, in brief."""

from __future__ import annotations

from edi_reports.report import display
from edi_reports.report.core import Report, Section


def build(report: Report) -> Section:
    s = report.ctx.settings
    text = f"""
**Data.** Staff in post on {s.snapshot_date(report.ctx.year):%-d %B %Y} from the electronic staff record, one row per person (primary assignment); recruitment, casework and training in the 12 months to the snapshot date; the NHS Staff Survey breakdowns published for the organisation; the board on the snapshot date.

**Hourly pay.** Ordinary pay in the pay period that contains the snapshot date (basic pay, allowances, High Cost Area Supplement, unsocial-hours enhancements; not overtime), plus any bonus paid in that period pro-rated to it, converted to a weekly figure (a month is 30.44 days) and divided by weekly contracted hours. Hourly gaps and pay quarters use full-pay relevant employees; bonus figures use everyone employed on the snapshot date and bonuses paid in the 12 months before it. Clinical Excellence Awards are treated as bonus pay.

**Gaps.** (reference − comparison) ÷ reference × 100, on means and medians. A positive gap means the comparison group is paid less. Pay quarters follow the GOV.UK method, with people on the same hourly rate shared across a boundary in proportion.

**Ethnicity.** NHS ethnic category codes: White = A, B, C; BME = D to S; Z, 99 and blank are unknown and left out of gaps and likelihoods. The ethnicity pay gap is led by the comparison with {s.epg.reference_group} staff; the comparison of BME with White staff is also published.

**Relative likelihoods.** (outcomes ÷ base for the first group) ÷ (the same for the second). Disciplinary and capability entry use a {s.standards.casework_window_years}-year rolling average where the previous year is available.

**Rounding.** Percentages to 1 decimal place (half up), relative likelihoods to 2; the male and female shares of each pay quarter add to exactly 100.0.

**Not calculable.** A figure that cannot be worked out (for example because a group is empty) is shown as "not calculable" with its reason, never as 0.
"""
    return Section(
        [
            display.heading("Methodology", level=2, anchor="methodology"),
            display.md(text.strip()),
        ]
    )
