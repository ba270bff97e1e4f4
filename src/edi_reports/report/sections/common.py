"""Helpers shared by several sections: pay gap, quarter and bonus tables, likelihood tables
and readings, the undeclared-share sentence."""

from __future__ import annotations

from typing import Any

import pandas as pd

from edi_reports.disclosure import control as disclosure
from edi_reports.report import display, vegalite
from edi_reports.report.core import (
    ANALYTICAL,
    LIKELIHOODS,
    SUPPRESSED,
    Report,
    Section,
)
from edi_reports.rounding import parse_number


def gap_table(
    report: Report, prefix: str, groups: list[tuple[str, str]], label: str
) -> pd.DataFrame:
    records = []
    for group, ref in groups:
        where = {"breakdown": "overall", "group": group, "reference_group": ref}
        records.append(
            {
                label: group,
                "Compared with": ref,
                "Mean hourly gap": report.shown(f"{prefix}.mean_hourly_gap", "%", **where),
                "Median hourly gap": report.shown(f"{prefix}.median_hourly_gap", "%", **where),
                "Mean bonus gap": report.shown(f"{prefix}.mean_bonus_gap", "%", **where),
                "Median bonus gap": report.shown(f"{prefix}.median_bonus_gap", "%", **where),
            }
        )
        if report.intervals is not None:
            for stat in ("mean", "median"):
                records[-1][f"{stat.capitalize()} hourly gap: 95% interval ({ANALYTICAL})"] = (
                    report.interval(f"{prefix}.{stat}_hourly_gap", **where)
                )
    return pd.DataFrame.from_records(records)


def quartile_table(
    report: Report, prefix: str, groups: list[str], grouping: str | None = None
) -> pd.DataFrame:
    quarters = [
        ("lower", "Lower"),
        ("lower_middle", "Lower middle"),
        ("upper_middle", "Upper middle"),
        ("upper", "Upper"),
    ]
    records = []
    for key, name in quarters:
        bd = f"quartile={key}" + (f";grouping={grouping}" if grouping else "")
        rec = {"Pay quarter": name}
        for g in groups:
            rec[g] = report.shown(f"{prefix}.quartile_share", "%", breakdown=bd, group=g)
        records.append(rec)
    return pd.DataFrame.from_records(records)


def quartile_chart(report: Report, table: pd.DataFrame, title: str, alt: str) -> Any:
    long = table.melt(id_vars="Pay quarter", var_name="Group", value_name="Share")
    long["Share (%)"] = long["Share"].map(lambda s: parse_number(str(s).rstrip("%")))
    long = long.dropna(subset=["Share (%)"])[["Pay quarter", "Group", "Share (%)"]]
    if long.empty:
        return display.callout(
            "No chart: every share in this table is suppressed or not calculable."
        )
    chart = vegalite.stacked_share(
        long,
        category="Pay quarter",
        group="Group",
        value="Share (%)",
        title=title,
        order=list(table.columns[1:]),
    )
    return display.chart(chart, alt=alt, caption=title, data=table, data_caption=title)


def bonus_receipt(report: Report, prefix: str, groups: list[str]) -> pd.DataFrame:
    return pd.DataFrame.from_records(
        [
            {
                "Group": g,
                "Received a bonus": report.shown(
                    f"{prefix}.bonus_receipt", "%", breakdown="overall", group=g
                ),
            }
            for g in groups
        ]
    )


def binary_gap(
    report: Report,
    prefix: str,
    title: str,
    anchor: str,
    group: str,
    ref: str,
    intro: str,
    declared: tuple[str, tuple[str, ...]],
) -> Section:
    items: list[Any] = [display.heading(title, level=2, anchor=anchor), display.md(intro)]
    if (
        report.rows(f"{prefix}.median_hourly_gap").empty
        and report.rows(f"{prefix}.mean_hourly_gap").empty
    ):
        items.append(display.callout(f"No {title.lower()} figures are available for this year."))
        return Section(items)
    items.append(
        display.md(
            gap_reading(
                f"{group} staff",
                f"{ref.lower()} staff",
                report.value(f"{prefix}.median_hourly_gap", breakdown="overall", group=group),
                "median",
                report.symbol,
            )
        )
    )
    items.append(
        display.table(
            gap_table(report, prefix, [(group, ref)], "Group"),
            caption=f"{title}, {report.year_label}",
        )
    )
    quart = quartile_table(report, prefix, [group, ref, "Unknown"])
    items.append(display.table(quart, caption=f"{title}: groups in each hourly pay quarter"))
    items.append(
        display.table(
            bonus_receipt(report, prefix, [group, ref]), caption="Proportion receiving a bonus"
        )
    )
    measure, declared_groups = declared
    items.append(
        display.md(
            undeclared_sentence(
                report,
                "Not declared",
                undeclared_share(report, measure, declared_groups),
                "has no recorded answer that places them in either group",
            )
        )
    )
    return Section(items)


def undeclared_sentence(report: Report, label: str, share: str, what: str) -> str:
    """``**Not declared:** 12.3% of the workforce has ...``, or why no share is shown."""
    if share == report.symbol:
        return (
            f"**{label}:** the share of the workforce that {what} is not published, "
            "because it involves a small number of people or could reveal one."
        )
    if share in {"not available", "not calculable"}:
        return f"**{label}:** the share of the workforce that {what} is {share}."
    return f"**{label}:** {share} of the workforce {what}."


def undeclared_share(report: Report, measure: str, declared: tuple[str, ...]) -> str:
    """The share of the workforce outside the declared groups of a profile, worked out
    from the published (rounded) counts; ``*`` when a declared count is suppressed or
    the remainder is itself a count of 1 to 7 (methodology §0.4, §6.2)."""
    rows = report.rows(measure, breakdown="overall")
    if rows.empty:
        return "not available"
    counts = disclosure.published_counts(rows, report.ctx.settings)
    total = parse_number(rows["n"].iloc[0])
    wanted = rows["group"].astype(str).isin(declared)
    if total is None or total == 0 or counts[wanted].isna().any():
        return report.symbol
    remainder = total - float(counts[wanted].sum())
    if 0 < remainder <= report.ctx.settings.disclosure.suppress_max:
        return report.symbol
    return f"{100.0 * remainder / total:.1f}%"


def distribution_table(report: Report, measure: str, groups: list[str], label_of) -> pd.DataFrame:
    rows = report.rows(measure)
    records = []
    for bd in dict.fromkeys(rows["breakdown"].astype(str)):
        rec = {"Workforce group": label_of(bd)}
        for g in groups:
            rec[g] = report.shown(measure, "%", breakdown=bd, group=g)
        records.append(rec)
    return pd.DataFrame.from_records(records)


def indicator_table(
    report: Report, ids: list[tuple[str, str, dict[str, str], str]]
) -> pd.DataFrame:
    records = []
    for label, measure, where, suffix in ids:
        rec = {"Indicator": label, "This year": report.shown(measure, suffix, **where)}
        if report.previous is not None:
            rec["Last year"] = report.shown(measure, suffix, frame=report.previous, **where)
        note = report.note(measure, **where)
        rec["Note"] = note
        records.append(rec)
    return pd.DataFrame.from_records(records)


def likelihood_table(report: Report, measures: list[str]) -> pd.DataFrame:
    """Relative likelihoods with the four-fifths flag, the optional 95 % interval and a
    plain-English reading (methodology §0.3, §3.4, §8); published values only."""
    band = report.ctx.settings.standards.rl_adverse_band
    records = []
    for measure in measures:
        sel = report.rows(measure)
        bd = str(sel.iloc[0]["breakdown"]) if not sel.empty else "overall"
        value = report.value(measure, breakdown=bd)
        rec = {
            "Indicator": LIKELIHOODS[measure].label,
            "This year": report.shown(measure, breakdown=bd),
        }
        if report.previous is not None:  # last year's headline row, as in the summary
            rec["Last year"] = report.shown(measure, frame=report.previous)
        if band is not None:
            low, high = band
            rec[f"Four-fifths band ({low:.2f} to {high:.2f})"] = four_fifths_text(value, band)
        if report.intervals is not None:
            rec[f"95% interval ({ANALYTICAL})"] = report.interval(measure, breakdown=bd)
        rec["Reading"] = rl_reading(
            measure, value, report.note(measure, breakdown=bd), report.symbol
        )
        records.append(rec)
    return pd.DataFrame.from_records(records)


def likelihood_items(report: Report, measures: list[str], caption: str) -> list[Any]:
    band = report.ctx.settings.standards.rl_adverse_band
    notes = ["1.00 means parity."]
    if band is not None:
        notes.append(
            f"Outside {band[0]:.2f} to {band[1]:.2f}: flagged by the four-fifths rule, a "
            "descriptive rule of thumb that ignores group size (not a statistical test, "
            "not part of the standard)."
        )
    if report.intervals is not None:
        notes.append(
            "95% intervals by the log method (analytical, not part of the standard); n/a "
            "where a group has no outcomes."
        )
    notes.append(report.suppressed_note)
    return [
        display.table(likelihood_table(report, measures), caption=caption, notes=" ".join(notes))
    ]


def _mid(group: str) -> str:
    """A group name inside a sentence ("non-disabled"; proper names unchanged)."""
    return "non-disabled" if group == "Non-disabled" else group


def rl_reading(measure: str, value: str, note: str = "", symbol: str = SUPPRESSED) -> str:
    """A plain-English reading of a published relative likelihood.

    Spec: methodology §0.3 (group A named first, 1.00 is parity), §0.2 (2 dp). E.g.
    ``"White applicants are 1.62 times as likely as BME applicants to be appointed from
    shortlisting."``
    """
    how = LIKELIHOODS[measure]
    a = f"{how.group_a} {how.people}"
    b = f"{_mid(how.group_b)} {how.people}"
    v = parse_number(value)
    if v is None:
        if value == symbol:
            return "Not published: a group compared is too small."
        reason = note.split("not calculable:", 1)[-1].strip() if "not calculable" in note else ""
        return "Could not be calculated" + (f": {reason}." if reason else ".")
    if v == 0:
        return f"No {_mid(how.group_a)} {how.people} {how.none} (a likelihood of 0.00)."
    if f"{v:.2f}" == "1.00":
        return f"{a} and {b} are equally likely {how.outcome}."
    return f"{a} are {value} times as likely as {b} {how.outcome}."


def four_fifths_text(value: str, band: tuple[float, float]) -> str:
    """``"within"`` or ``"outside"`` the four-fifths band for a published ratio; blank when
    no ratio is published (methodology §3.4, §8: a display flag only)."""
    from edi_reports.measures.likelihood import four_fifths_flag

    v = parse_number(value)
    return "" if v is None else four_fifths_flag(v, band)


def breakdown_label(bd: str) -> str:
    """``pay_band=Band 5;clinical=Y`` -> ``Band 5, clinical``."""
    from edi_reports.intake.classifications import WDES_CLUSTER_LABELS

    if bd == "overall":
        return "Overall workforce"
    parts = []
    for part in bd.split(";"):
        key, _, val = part.partition("=")
        if key == "clinical":
            parts.append("clinical" if val == "Y" else "non-clinical")
        elif key == "cluster":
            parts.append(f"{val} {WDES_CLUSTER_LABELS.get(val, '')}".strip())
        elif key == "board":
            parts.append(val.replace("_", "-") + (" members" if val != "total" else " board"))
        elif key == "window":
            parts.append(f"{val}-year average")
        else:
            parts.append(val)
    return ", ".join(parts)


def gap_reading(group: str, ref: str, value: str, stat: str, symbol: str = SUPPRESSED) -> str:
    """A plain-English reading of a published gap."""
    v = parse_number(value)
    if v is None:
        if value == symbol:
            return f"The {stat} gap between {group.lower()} and {ref} is suppressed because a group is too small to publish."
        return (
            f"The {stat} gap between {group.lower()} and {ref} could not be calculated this year."
        )
    if v != 0:
        owner = f"{group}'" if group.endswith("s") else f"{group}'s"
        direction = "lower" if v > 0 else "higher"
        return f"{owner} {stat} hourly pay is **{abs(v):.1f}% {direction}** than {ref}'s."
    return f"There is no {stat} hourly pay gap between {group.lower()} and {ref}."
