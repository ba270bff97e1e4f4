"""Report sections and published files for the 2026 rules.

Spec: docs/methodology-2026.md. Called from :class:`edi_reports.report.core.Report` with a few
lines: the statutory ethnicity and disability pay gaps (§2.8), the equality action plan
(§2.9), where the pay gaps come from (§2.10) and the year-on-year tests (§8.1). Every number
comes from the published (disclosure-controlled) tables; charts are fed those tables only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd

from edi_reports.errors import EdiError
from edi_reports.measures import significance, statutory
from edi_reports.report import charts, display, vegalite
from edi_reports.submissions import action_plan

if TYPE_CHECKING:
    from edi_reports.report.core import Report, Section

QUARTER_LABELS = {
    "lower": "Lower quarter",
    "lower_middle": "Lower middle quarter",
    "upper_middle": "Upper middle quarter",
    "upper": "Upper quarter",
}
FIGURES = (
    ("mean_hourly_gap", "Mean hourly pay gap", "%"),
    ("median_hourly_gap", "Median hourly pay gap", "%"),
    ("mean_bonus_gap", "Mean bonus gap", "%"),
    ("median_bonus_gap", "Median bonus gap", "%"),
)
ADDITIONAL_ANALYSIS = (
    "This section is the organisation's additional analysis, beyond the statutory figures: "
    "it compares each group with {lead} staff, in more detail than the law asks, and follows "
    "the ordinary disclosure rules of this report (see Privacy)."
)


def _section(items: list[Any]) -> Section:
    from edi_reports.report.core import Section

    return Section(items)


# --------------------------------------------------------------------------- loading


def attach(report: Report) -> None:
    """Load what the 2026 sections need and add the year-on-year rows to the published
    table (so that ``tables.csv`` carries them). Called once from ``Report.load``."""
    from edi_reports import store
    from edi_reports.report.trends import SUMMARY

    ctx = (
        report.ctx
    )  # in_scope_2026 comes with the published facts (edi_reports.disclosure.publication)
    report.se_this = store.read_standard_errors(ctx.processed)  # type: ignore[attr-defined]
    report.se_last = store.read_standard_errors(  # type: ignore[attr-defined]
        store.org_year(ctx.paths, ctx.org, ctx.year - 1)
    )
    if report.previous is not None and ctx.settings.uncertainty.year_on_year_test:
        rows = significance.change_rows(
            SUMMARY,
            report.published,
            report.previous,
            report.se_this,
            report.se_last,
            ctx.settings,
        )
        if len(rows):
            report.published = pd.concat([report.published, rows], ignore_index=True)


def status_tester(report: Report) -> Any:
    """The status function for the summary table (None when the test is switched off)."""
    if not report.ctx.settings.uncertainty.year_on_year_test or report.previous is None:
        return None
    return significance.tester(
        report.published,
        report.previous,
        getattr(report, "se_this", None),
        getattr(report, "se_last", None),
    )


def add_change_column(report: Report, table: pd.DataFrame, labels: dict[str, Any]) -> pd.DataFrame:
    """The trend table with a "Change on last year" column (tested, §8.1).

    ``labels`` maps each row's Indicator label to its :class:`~edi_reports.report.trends.Indicator`.
    """
    run = status_tester(report)
    if run is None or "Indicator" not in table.columns:
        return table
    from edi_reports.report.trends import lookup, status

    out = []
    for label in table["Indicator"]:
        ind = labels.get(label)
        if ind is None:
            out.append("")
            continue
        this, last = lookup(report.published, ind), lookup(report.previous, ind)
        out.append(run(ind, this, last) or status(this, last, ind.better, ind.unit))
    return table.assign(**{"Change on last year": out})


def write_files(report: Report) -> list[str]:
    """``epg_submission.csv``, ``dpg_submission.csv`` and the action plan export."""
    # only the statutory rows: the submission tables look up a few dozen figures each, and
    # filtering the whole published table for each one was most of writing the files
    published = report.published
    statutory_rows = published[published["measure"].astype(str).str.match(r"(sepg|sdpg)\.")]
    written = statutory.write_submissions(statutory_rows, report.ctx.out, in_scope(report))
    plan, narrative = _plan(report, report.ctx.year)
    target = report.ctx.out / action_plan.SUBMISSION_FILE
    target.unlink(missing_ok=True)
    if plan is not None:
        action_plan.submission_frame(plan, narrative).to_csv(target, index=False)
        written.append(target.name)
    return written


def in_scope(report: Report) -> bool:
    """Whether the statutory ethnicity and disability pay gap duty would apply (§2.8)."""
    return bool(getattr(report, "in_scope_2026", False))


# --------------------------------------------------------------------------- statutory


def _statutory_table(
    report: Report, prefix: str, bd: str, suffix: str, groups: list[str]
) -> pd.DataFrame:
    ref = groups[0]
    records = []
    for group in groups:
        rec: dict[str, str] = {"Group": group}
        for name, label, unit in FIGURES:
            rec[label] = (
                "reference"
                if group == ref
                else report.shown(f"{prefix}.{name}", unit, breakdown=bd, group=group)
            )
        rec["Received a bonus"] = report.shown(
            f"{prefix}.bonus_receipt", "%", breakdown=bd, group=group
        )
        for q, label in QUARTER_LABELS.items():
            rec[label] = report.shown(
                f"{prefix}.quartile_share", "%", breakdown=f"quartile={q}{suffix}", group=group
            )
        records.append(rec)
    return pd.DataFrame.from_records(records)


def _composition_table(report: Report, prefix: str) -> pd.DataFrame:
    rows = report.rows(f"{prefix}.composition")
    records = [
        {
            "Group": str(r.group),
            "Share of employees": report.shown(f"{prefix}.composition", "%", group=str(r.group)),
        }
        for r in rows.itertuples()
    ]
    return pd.DataFrame.from_records(records, columns=["Group", "Share of employees"])


def statutory_pay_gaps(report: Report) -> Section:
    """Statutory ethnicity and disability pay gap figures (methodology-2026 §2.8)."""
    s = report.ctx.settings.statutory
    items: list[Any] = [
        display.heading(
            "Statutory ethnicity and disability pay gaps", level=2, anchor="statutory-pay-gaps"
        ),
        display.md(
            "From the 2026 rules (government response to the consultation on mandatory "
            "ethnicity and disability pay gap reporting, March 2026), employers with "
            f"{s.min_employees} or more employees will report the six gender pay gap figures "
            "for ethnicity and for disability, on the same snapshot date and pay rules: White "
            "staff (including White Irish and any other White background) compared with all "
            "other ethnic groups combined, and with each of the five high-level ethnic groups; "
            "Disabled compared with non-disabled staff. A group needs at least "
            f"{s.min_group} employees to be compared; smaller ethnic groups are combined. "
            "Staff who have not disclosed their ethnicity or disability are left out of the "
            "figures and counted in the make-up of the workforce below. The start date has "
            "not been set: these tables show the figures in the shape the rules describe."
        ),
    ]
    if not s.enabled:
        items.append(display.callout("The statutory figures are switched off in the settings."))
        return _section(items)
    if not in_scope(report):
        items.append(
            display.callout(
                f"This organisation has fewer than {s.min_employees} employees, so the "
                "statutory duty would not apply; the figures below follow the ordinary "
                "disclosure rules of this report."
            )
        )
    for prefix, title, anchor in (
        ("sepg", "Ethnicity", "statutory-ethnicity"),
        ("sdpg", "Disability", "statutory-disability"),
    ):
        items.append(display.heading(f"{title}: the statutory figures", level=3, anchor=anchor))
        for label, bd, suffix, groups in statutory.comparisons(report.published, prefix):
            table = _statutory_table(report, prefix, bd, suffix, groups)
            caption = (
                f"Statutory {title.lower()} pay gap, {label} comparison, {report.year_label}"
                if prefix == "sepg"
                else f"Statutory disability pay gap, {report.year_label}"
            )
            items.append(
                display.table(
                    table,
                    caption=caption,
                    number_columns=[c for c in table.columns if c != "Group"],
                    notes="Gaps compare each group with the reference group (first row): a "
                    "positive gap means the group is paid less. Quarter columns give the "
                    "group's share of each hourly pay quarter. "
                    + report.ctx.settings.disclosure.symbol
                    + f" = not shown: a group has fewer than {s.min_group} employees.",
                )
            )
        comp = _composition_table(report, prefix)
        if not comp.empty:
            items.append(
                display.table(
                    comp,
                    caption=f"{title} make-up of the workforce, including staff who did not "
                    f"disclose, {report.year_label}",
                    notes="Percentages of rounded counts; * = suppressed to protect privacy.",
                )
            )
    return _section(items)


def additional_analysis_note(report: Report) -> Any:
    """The label at the top of the detailed ethnicity pay gap section."""
    return display.callout(ADDITIONAL_ANALYSIS.format(lead=report.ctx.settings.epg.reference_group))


# --------------------------------------------------------------------------- action plan


def _plan(report: Report, year: int) -> tuple[pd.DataFrame | None, str]:
    ctx = report.ctx
    # this year: the year's folder, then the organisation's; an earlier year: its own folder
    if year == ctx.year:
        folders = ctx.paths.content_for(ctx.org, year)
    else:
        folders = [ctx.paths.content / ctx.org / str(year)]
    dirs = [d for d in folders if d.is_dir()]
    path = action_plan.find(dirs)
    if path is None:
        return None, ""
    plan = action_plan.load_plan(path)
    narrative = action_plan.load_narrative(action_plan.find(dirs, action_plan.NARRATIVE_FILE))
    return plan, narrative


def _figure_text(report: Report, frame: pd.DataFrame | None, measure: str) -> str:
    """A published overall figure with its unit, or why it is not shown."""
    if frame is None:
        return "not available"
    rows = report.rows(measure, frame, breakdown="overall")
    unit = str(rows.iloc[0]["unit"]) if len(rows) else ""
    suffix = {"pct": "%", "pp": " pp"}.get(unit, "")
    return report.shown(measure, suffix, frame=frame, breakdown="overall")


def equality_action_plan(report: Report) -> Section:
    """The equality action plan beside the figures it addresses, year on year (§2.9)."""
    items: list[Any] = [
        display.heading("Equality action plan", level=2, anchor="equality-action-plan"),
        display.md(
            "Under the Employment Rights Act 2025, large employers (public bodies such as NHS "
            "trusts included) will publish an equality action plan: the steps they take on "
            "the gender pay gap and to support staff going through the menopause. Plans are "
            "voluntary for 2026-27 and due to become mandatory from 2027; they are published "
            "on the GOV.UK gender pay gap service."
        ),
    ]
    plan, narrative = _plan(report, report.ctx.year)
    if plan is None:
        items.append(
            display.callout(
                "The organisation has not supplied an equality action plan "
                f"(content/{action_plan.FILE}) for this year."
            )
        )
        return _section(items)
    try:
        last, _ = _plan(report, report.ctx.year - 1)
    except EdiError:
        last = None
    last_ids = set() if last is None else set(last["action_id"]) - {action_plan.OWN}
    if narrative:
        items.append(display.md(narrative))
    records = []
    labels = {
        "gpg.mean_hourly_gap": "Mean gender pay gap",
        "gpg.median_hourly_gap": "Median gender pay gap",
        "sepg.mean_hourly_gap": "Mean ethnicity pay gap (statutory)",
        "sepg.median_hourly_gap": "Median ethnicity pay gap (statutory)",
        "sdpg.mean_hourly_gap": "Mean disability pay gap (statutory)",
        "sdpg.median_hourly_gap": "Median disability pay gap (statutory)",
    }
    for _, r in plan.iterrows():
        figures = []
        for measure in [m for m in str(r["addresses"]).split(";") if m]:
            name = labels.get(measure, measure)
            this = _figure_text(report, report.published, measure)
            before = _figure_text(report, report.previous, measure)
            figures.append(f"{name}: {this} (last year {before})")
        records.append(
            {
                "Action": r["title"],
                "Kind": r["kind_label"],
                "Status": r["status_label"],
                "Owner": r["owner"],
                "Timescale": r["timescale"],
                "How progress is measured": r["measure_of_progress"],
                "Progress since last year": r["progress_since_last_year"]
                or ("In last year's plan" if r["action_id"] in last_ids else "New this year"),
                "Figures it addresses": "; ".join(figures) or "no published figure",
            }
        )
    items.append(
        display.table(
            pd.DataFrame.from_records(records),
            caption=f"Equality action plan {report.year_label}",
            notes="Figures are the published ones for this year and last year. Actions from "
            "the GOV.UK list of 18 keep its wording; the organisation's own actions "
            "(including any on the ethnicity and disability pay gaps) are marked by their "
            "kind.",
            number_columns=[],
        )
    )
    return _section(items)


# --------------------------------------------------------------------------- decomposition


def _decomposition_rows(report: Report, key: str) -> pd.DataFrame:
    prefix = f"decomposition.{key}"
    comp = report.rows(f"{prefix}.composition")
    within = report.rows(f"{prefix}.within_band")
    bands = [b for b in dict.fromkeys(comp["breakdown"].astype(str)) if b.startswith("pay_band=")]
    records = []
    for bd in bands:
        records.append(
            {
                "Pay band": bd.split("=", 1)[1],
                "From where the groups sit (pp)": report.shown(
                    f"{prefix}.composition", breakdown=bd
                ),
                "From pay within the band (pp)": report.shown(
                    f"{prefix}.within_band", breakdown=bd
                ),
            }
        )
    if not within.empty:
        records.append(
            {
                "Pay band": "All bands",
                "From where the groups sit (pp)": report.shown(
                    f"{prefix}.composition", breakdown="overall"
                ),
                "From pay within the band (pp)": report.shown(
                    f"{prefix}.within_band", breakdown="overall"
                ),
            }
        )
    return pd.DataFrame.from_records(
        records,
        columns=["Pay band", "From where the groups sit (pp)", "From pay within the band (pp)"],
    )


def diverging_bars(table: pd.DataFrame, title: str) -> Any:
    """Grouped horizontal bars that may be negative, labels outside the bar ends.

    ``table`` has the published columns ``Pay band``, ``Part`` and ``Percentage points``.
    """
    import altair as alt

    data = charts._used(table, ["Pay band", "Part", "Percentage points"])
    bands = list(dict.fromkeys(data["Pay band"].astype(str)))
    parts = list(dict.fromkeys(data["Part"].astype(str)))
    fills, _ = charts._color_scales(parts)
    y = alt.Y("Pay band:N", sort=bands, title=None)
    x = alt.X(
        "Percentage points:Q",
        title="Percentage points of the mean gap",
        axis=alt.Axis(grid=True, tickCount=5),
    )
    offset = alt.YOffset("Part:N", sort=parts)
    base = alt.Chart().encode(y=y, x=x, yOffset=offset)
    bars = base.mark_bar().encode(
        color=alt.Color("Part:N", scale=fills, title=None, sort=parts),
        tooltip=["Pay band", "Part", "Percentage points"],
    )
    label = charts._label_expr("Percentage points", "+.1f", " pp")
    right = (
        base.mark_text(align="left", baseline="middle", dx=4)
        .transform_filter("datum['Percentage points'] >= 0")
        .transform_calculate(_label=label)
        .encode(text=alt.Text("_label:N"))
    )
    left = (
        base.mark_text(align="right", baseline="middle", dx=-4)
        .transform_filter("datum['Percentage points'] < 0")
        .transform_calculate(_label=label)
        .encode(text=alt.Text("_label:N"))
    )
    height = max(60, 26 * len(bands) * len(parts))
    return charts._finish(alt.layer(bars, right, left, data=data), title, height)


def decomposition(report: Report) -> Section:
    """Where each headline pay gap comes from (§2.10)."""
    from edi_reports.measures.decomposition import COMBINED as COMBINED_BANDS
    from edi_reports.measures.decomposition import FAMILIES, reading
    from edi_reports.rounding import parse_number

    items: list[Any] = [
        display.heading("Where the pay gaps come from", level=2, anchor="pay-gap-decomposition"),
        display.md(
            "Each mean hourly pay gap is split into two parts that add up to it: the part that "
            "comes from where the two groups sit across pay bands and grades (for example "
            "fewer women in the highest bands), and the part that comes from pay differences "
            "between the groups within the same band. The first points to recruitment and "
            "progression; the second to pay within grades (starting points, enhancements, "
            "bonuses). Bands where either group has fewer than "
            f"{report.ctx.settings.disclosure.min_group_stat} people are combined."
        ),
    ]
    for fam in FAMILIES:
        prefix = f"decomposition.{fam.key}"
        total = parse_number(report.value(f"{prefix}.mean_gap", breakdown="overall"))
        comp = parse_number(report.value(f"{prefix}.composition", breakdown="overall"))
        within = parse_number(report.value(f"{prefix}.within_band", breakdown="overall"))
        table = _decomposition_rows(report, fam.key)
        items.append(display.heading(fam.label, level=3))
        band_rows = table[table["Pay band"] != "All bands"]
        values = band_rows["From where the groups sit (pp)"].map(parse_number)
        top = None
        named = values[band_rows["Pay band"] != COMBINED_BANDS]
        if named.notna().any() and named.max() > 0:
            top = str(band_rows.loc[named.idxmax(), "Pay band"])
        group_words = {
            "gender": ("women", "men"),
            "ethnicity": ("staff of other ethnic groups", "White staff"),
            "disability": ("Disabled staff", "non-disabled staff"),
        }[fam.key]
        items.append(display.md(reading(total, comp, within, top, *group_words)))
        if table.empty:
            continue
        long = []
        for _, r in band_rows.iterrows():
            for col, part in (
                ("From where the groups sit (pp)", "Where the groups sit"),
                ("From pay within the band (pp)", "Pay within the band"),
            ):
                v = parse_number(r[col])
                if v is not None:
                    long.append({"Pay band": r["Pay band"], "Part": part, "Percentage points": v})
        if long:
            chart = vegalite.diverging(
                pd.DataFrame(long), f"{fam.label}: contributions by pay band"
            )
            items.append(
                display.chart(
                    chart,
                    alt=reading(total, comp, within, top, *group_words),
                    caption=f"{fam.label}: where the gap comes from, by pay band",
                    data=table,
                    data_caption=f"{fam.label}: contributions to the mean gap (percentage points)",
                )
            )
        else:
            items.append(
                display.table(
                    table,
                    caption=f"{fam.label}: contributions to the mean gap (percentage points)",
                    notes="* = not shown: a group has too few people.",
                )
            )
    return _section(items)
