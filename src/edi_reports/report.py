"""The publishable report: sections built from disclosure-controlled published tables only.

The report notebook (``notebooks/04_report.ipynb``) calls one method per section. Every
number shown comes from :func:`edi_reports.disclosure.publish` (rounded, suppressed); the
unsuppressed metrics are read only to build those published tables. Charts are fed the
published tables, so the page embeds nothing more than the tables beside them.

Section order follows what trusts publish: summary table, gender, ethnicity,
disability and sexual-orientation pay gaps, WRES, WDES, workforce profile, intersectional
findings, action plan, equality objectives, methodology, privacy note, data quality.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from . import charts, disclosure, display, sections_2026
from .config import financial_year_label
from .errors import InputError
from .notebook import Context
from .publication import published_intervals  # noqa: F401  (analysis API)
from .rounding import format_value
from .store import COPIED_TO_REPORT

SUPPRESSED = "*"
#: Internal files copied into the published folder (the GOV.UK GPG figures only).
PUBLISHED_FILES: tuple[str, ...] = COPIED_TO_REPORT
ANALYTICAL = "analytical, not part of the standard"
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


class Section(list):
    """Display objects of one report section, shown in order when it is a cell's result."""

    def _ipython_display_(self) -> None:
        from IPython.display import display as show

        for item in self:
            show(item)


def parse_number(text: Any) -> float | None:
    """A published value string as a number; None for ``*``, blank or not calculable."""
    if text is None or (isinstance(text, float) and pd.isna(text)):
        return None
    s = str(text).strip().replace(",", "")
    try:
        return float(s)
    except ValueError:
        return None


@dataclass
class Report:
    """Everything a report needs, loaded once per organisation and year."""

    ctx: Context
    published: pd.DataFrame
    previous: pd.DataFrame | None
    org_name: str
    org_type: str = ""
    region: str = ""
    warnings: list[str] = field(default_factory=list)
    reconciliation: pd.DataFrame | None = None
    quarantine: pd.DataFrame | None = None
    validation: Any = None
    content_dirs: list[Path] = field(default_factory=list)
    statutory: bool = True  # the gender pay gap duty applies (250+ employees, §1.1)
    #: Published tables of earlier years (year -> table), oldest first (trend charts).
    history: dict[int, pd.DataFrame] = field(default_factory=dict)
    #: 95 % intervals of published figures (``uncertainty.enabled``), from
    #: :func:`published_intervals`; None when the option is off.
    intervals: pd.DataFrame | None = None
    #: % of Staff Survey respondents saying they are disabled (methodology §4.4), or None.
    survey_prevalence: float | None = None
    #: Sections shown and their order (settings ``report``, then ``content/<ORG>/report.yml``).
    layout: Any = None
    #: The organisation's branding (contact details), :class:`edi_reports.branding.Brand`.
    brand: Any = None
    #: Whether the organisation has a line in ``organisations.csv``.
    listed: bool = True
    #: Whether the inputs carry the demo's synthetic-data mark.
    synthetic: bool = False
    #: Whether the 2026 statutory ethnicity and disability pay gap duty would apply.
    in_scope_2026: bool = False

    # ------------------------------------------------------------------ loading
    @classmethod
    def load(cls, ctx: Context) -> Report:
        """Read what the disclosure step published for this organisation-year (architecture
        §1): its published tables and facts, earlier years' published tables, the build's
        data-quality records and the organisation's own content. No unsuppressed figure."""
        from . import publication, store
        from .branding import load_branding, load_layout

        folder = ctx.processed
        published, facts = store.read_published(folder), store.read_facts(folder)
        if published is None or facts is None:
            raise InputError(
                str(folder),
                "this organisation-year has no published tables",
                f"run `edi build --org {ctx.org} --year {ctx.year}` (the disclosure step "
                "follows the measures)",
            )
        history = publication.earlier_published(ctx.paths, ctx.org, ctx.year)
        report = cls(
            ctx=ctx,
            published=published,
            previous=history.get(ctx.year - 1),
            org_name=facts.name,
            org_type=facts.type,
            region=facts.region,
            warnings=store.read_warnings(folder),
            reconciliation=store.read_reconciliation(folder),
            quarantine=store.read_quarantine(folder),
            validation=store.read_validation(folder),
            content_dirs=[d for d in ctx.paths.content_for(ctx.org, ctx.year) if d.is_dir()],
            statutory=facts.statutory,
            history=history,
            intervals=store.read_intervals(folder),
            survey_prevalence=facts.survey_prevalence,
            layout=load_layout(ctx.paths, ctx.org, ctx.year, ctx.settings),
            brand=load_branding(ctx.paths, ctx.org, ctx.year, ctx.settings),
            listed=facts.listed,
            synthetic=facts.synthetic,
            in_scope_2026=facts.in_scope_2026,
        )
        sections_2026.attach(report)  # 2026 rules: year-on-year tests, statutory scope
        return report

    @property
    def symbol(self) -> str:
        """The published symbol of a suppressed figure (``disclosure.symbol``)."""
        return self.ctx.settings.disclosure.symbol

    @property
    def suppressed_note(self) -> str:
        """The table note on suppression, with the configured symbol (escaped for Markdown)."""
        return f"{_md_escape(self.symbol)} = suppressed to protect privacy."

    @property
    def year_label(self) -> str:
        return financial_year_label(self.ctx.year)

    @property
    def title(self) -> str:
        return f"{self.org_name}: workforce equality report {self.year_label}"

    # ------------------------------------------------------------------ lookups
    def rows(self, measure: str, frame: pd.DataFrame | None = None, **where: str) -> pd.DataFrame:
        """Published rows of one measure, filtered by column values (breakdown, group...)."""
        frame = self.published if frame is None else frame
        if frame is None or frame.empty:
            return pd.DataFrame(columns=disclosure.PUBLISHED_COLUMNS)
        sel = _by_measure(frame).get(measure, frame.iloc[:0])
        for key, value in where.items():
            sel = sel[sel[key].astype(str) == value]
        return sel

    def value(self, measure: str, frame: pd.DataFrame | None = None, **where: str) -> str:
        """One published value as shown (``*`` when suppressed, blank when not calculable)."""
        sel = self.rows(measure, frame, **where)
        if sel.empty:
            return ""
        return str(sel.iloc[0]["value"])

    def note(self, measure: str, **where: str) -> str:
        sel = self.rows(measure, **where)
        return "" if sel.empty else str(sel.iloc[0]["note"] or "")

    def shown(
        self, measure: str, suffix: str = "", frame: pd.DataFrame | None = None, **where: str
    ) -> str:
        """A value for a table cell: the figure with its unit, ``*``, or "not calculable"."""
        sel = self.rows(measure, frame, **where)
        if sel.empty:
            return "not available"
        text = str(sel.iloc[0]["value"] or "")
        if text == self.symbol:
            return self.symbol
        if not text or text == "nan":
            return "not calculable"
        return f"{text}{suffix}"

    # ------------------------------------------------------------------ files
    def write_published_files(self) -> None:
        """tables.csv/xlsx, gpg_submission.csv and summary.json into the publish folder.

        ``wres_submission.csv`` and ``wdes_submission.csv`` hold raw counts for the private
        upload to NHS England and are never published (:mod:`edi_reports.collection`).
        """
        from . import store

        out = self.ctx.out
        disclosure.write_tables(self.published, out, settings=self.ctx.settings)
        for name in PUBLISHED_FILES:
            src = store.file(self.ctx.processed, name)
            if src.exists():
                shutil.copyfile(src, out / name)
        sections_2026.write_files(self)  # epg/dpg submissions, equality action plan export
        summary = {
            "org": self.ctx.org,
            "name": self.org_name,
            "year": self.ctx.year,
            "year_label": self.year_label,
            "type": self.org_type,
            "region": self.region,
            "built": datetime.now(UTC).isoformat(timespec="seconds"),
            "synthetic": self.synthetic,
            "headline": self.headline(),
            "symbol": self.symbol,
            # which of the organisation's own words this report published (website checks)
            "content": {
                "summary": self._content("summary.md") is not None,
                "actions": self._content("actions.csv") is not None,
                "objectives": any(
                    self._content(n) is not None for n in ("objectives.md", "objectives.yaml")
                ),
            },
        }
        (out / "summary.json").write_text(json.dumps(summary, indent=2))

    def headline(self) -> list[dict[str, str]]:
        """A few headline figures for the website index (published values only)."""
        picks = [
            ("Median gender pay gap", "gpg.median_hourly_gap", {}, "%"),
            ("Mean gender pay gap", "gpg.mean_hourly_gap", {}, "%"),
            (
                "Median ethnicity pay gap (BME vs White)",
                "epg.median_hourly_gap",
                {"group": "BME", "reference_group": "White"},
                "%",
            ),
            ("Median disability pay gap", "dpg.median_hourly_gap", {"group": "Disabled"}, "%"),
            ("WRES 2: likelihood of appointment (White vs BME)", "wres.2", {}, ""),
        ]
        out = []
        for label, measure, where, unit in picks:
            sel = self.rows(measure, breakdown="overall", **where)
            if sel.empty:
                continue
            out.append(
                {
                    "label": label,
                    "value": str(sel.iloc[0]["value"] or "not calculable"),
                    "unit": unit,
                }
            )
        return out

    # ------------------------------------------------------------------ content
    def _content_hint(self, name: str) -> str:
        """Where the organisation's file goes: ``content/RJZ/summary.md`` (or the year
        folder ``content/RJZ/2025/summary.md``), as a code span."""
        return f"`content/{self.ctx.org}/{name}` or `content/{self.ctx.org}/{self.ctx.year}/{name}`"

    def _content(self, name: str) -> Path | None:
        """The most specific ``content/`` file called ``name``: a regular file inside its
        folder (no symbolic link, device or pipe) of at most ``limits.max_content_kb``."""
        from .limits import check_content_file

        for folder in self.content_dirs:
            if os.path.lexists(folder / name):
                return check_content_file(folder / name, folder, self.ctx.settings.limits)
        return None

    # ------------------------------------------------------------------ sections
    def sections(self) -> list[str]:
        """The sections shown, in order (``report.sections``; the directorate section only
        when ``report.directorates`` allows it, see :meth:`directorates_shown`)."""
        from .config_validate import REPORT_SECTIONS

        chosen = list(self.layout.sections) if self.layout is not None else list(REPORT_SECTIONS)
        return [n for n in chosen if n != "directorates" or self.directorates_shown()]

    def body(self) -> Section:
        """Every section shown, in order: the report notebook's one section cell."""
        items: list[Any] = []
        for name in self.sections():
            items.extend(getattr(self, SECTION_METHODS[name])())
        return Section(items)

    def contact(self) -> Section:
        """The organisation's contact details for questions about the report (settings
        ``branding.contact_*`` or ``content/<ORG>/report.yml``); nothing when none is given."""
        if self.brand is None or not self.brand.contact:
            return Section([])
        lines = []
        for label, value in self.brand.contact:
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

    def introduction(self) -> Section:
        intro = [
            display.heading(self.title, level=1),
            display.md(
                f"This report sets out {self.org_name}'s workforce equality figures for "
                f"{self.year_label}: the workforce on the snapshot date of "
                f"{self.ctx.settings.snapshot_date(self.ctx.year):%-d %B %Y} and the 12 months "
                "before it. It covers the statutory gender pay gap, ethnicity, disability and "
                "sexual-orientation pay gaps, the Workforce Race Equality Standard (WRES), the "
                "Workforce Disability Equality Standard (WDES) and the workforce profile by "
                "protected characteristic required by the Public Sector Equality Duty."
            ),
        ]
        path = self._content("summary.md")
        intro.append(
            display.heading("Introduction from the organisation", level=2, anchor="introduction")
        )
        if path is not None:
            intro.append(display.md(content_markdown(path, top_level=3)))
        else:
            intro.append(
                display.callout(
                    f"The organisation has not supplied an introduction ({self._content_hint('summary.md')}) for this year."
                )
            )
        return Section(intro)

    def summary_table(self) -> Section:
        """Indicator, this year, last year, status (the shape trusts publish)."""
        from .trends import summary_rows

        table = summary_rows(
            self.published, self.previous, sections_2026.status_tester(self), self.symbol
        )
        items: list[Any] = [display.heading("Summary", level=2, anchor="summary")]
        if self.previous is None:
            items.append(
                display.md(
                    "This is the first year built for this organisation, so there is no "
                    "comparison with last year."
                )
            )
            notes = self.suppressed_note
        else:
            notes = (
                "Last year is the figure published in last year's report. Status compares "
                "with it in the direction that is better for each indicator: for a relative "
                "likelihood, closer to 1.00 is better; for harassment and discrimination, "
                "lower is better. A change is called better or worse only when its 95 % "
                "interval (shown) leaves out no change; otherwise it reads no clear change. "
                "A likelihood of 0.00 (no cases) is not compared. " + self.suppressed_note
            )
        items.append(
            display.table(
                table, caption=f"Summary of headline indicators, {self.year_label}", notes=notes
            )
        )
        return Section(items)

    def benchmarking(self) -> Section:
        """Where the organisation stands against the national and regional distribution
        , from ``data/processed/national/<YEAR>/benchmarks.csv``: other
         organisations appear only as medians and quartiles over at least
         :data:`edi_reports.national.MIN_ORGANISATIONS` organisations; this organisation's
         figures are its published (disclosure-controlled) ones."""
        from . import national

        items: list[Any] = [display.heading("Benchmarking", level=2, anchor="benchmarking")]
        bench = national.read_benchmarks(self.ctx.paths, self.ctx.year, self.ctx.org)
        if bench is None or bench.empty:
            items.append(
                display.md(
                    "No national comparison is available for this year: it is produced when "
                    "the reports of many organisations are built together (`edi build --all`)."
                )
            )
            return Section(items)
        own = {
            measure: self.value(measure, breakdown="overall", group=group, reference_group=ref)
            for measure, group, ref, _label in national.REPORT_MEASURES
        }
        items.append(
            display.table(
                national.benchmark_table(bench, own, self.region, symbol=self.symbol),
                caption=f"Where {self.org_name} stands among organisations, {self.year_label}",
                notes="Pay gaps are the difference in hourly pay as a percentage of the "
                "reference group's (men; White staff; non-disabled staff). Quartiles and "
                "medians are of organisations' own figures; a national or regional figure is "
                f"shown only when it summarises at least {national.MIN_ORGANISATIONS} "
                f"organisations. {self.suppressed_note}",
            )
        )
        return Section(items)

    def interval(self, measure: str, **where: str) -> str:
        """The 95 % interval of a published figure as text (``"1.14 to 1.97"``), ``"n/a"``
        when none could be computed, blank when the option is off or the figure is not
        published (methodology §8)."""
        if self.intervals is None:
            return ""
        sel = self.rows(measure, self.intervals, **where)
        if sel.empty:
            return ""
        return str(sel.iloc[0]["interval"])

    def trends(self) -> Section:
        """The headline figures across every year built: published values."""
        from .trends import TREND, trend_rows

        items: list[Any] = [display.heading("Trends", level=2, anchor="trends")]
        years = {financial_year_label(y): f for y, f in sorted(self.history.items())}
        years[self.year_label] = self.published
        if len(years) < 2:
            items.append(
                display.callout(
                    "Trends over time are shown once an earlier year has been built for this "
                    "organisation."
                )
            )
            return Section(items)
        long = trend_rows(years, TREND, self.symbol)
        order = [i.label for i in TREND if i.label in set(long["Indicator"])]
        table = (
            long.pivot(index="Indicator", columns="Year", values="Shown")
            .reindex(index=order, columns=list(years))
            .fillna("not available")
            .reset_index()
        )
        table = sections_2026.add_change_column(self, table, {i.label: i for i in TREND})
        items.append(
            display.md(
                f"The headline figures in each of the {len(years)} years built, as published "
                "each year (rounded, with small groups suppressed). Pay gaps are better closer "
                "to 0; relative likelihoods are better closer to 1.00 (parity)."
            )
        )
        for unit, title, axis in (
            ("%", "Pay gaps across years", "Gap (%)"),
            ("", "WRES relative likelihoods across years", "Relative likelihood"),
        ):
            part = long[(long["unit"] == unit) & long["Value"].notna()]
            if part["Year"].nunique() < 2:
                continue
            data = part.rename(columns={"Value": axis})[["Year", "Indicator", axis]]
            chart = charts.trend_chart(
                data, year="Year", value=axis, series="Indicator", title=title
            )
            shown = table[table["Indicator"].isin(set(part["Indicator"]))]
            items.append(
                display.chart(
                    chart,
                    alt=_trend_sentence(part, list(years)),
                    caption=title,
                    data=shown,
                    data_caption=f"{title} (published figures)",
                )
            )
        items.append(
            display.table(
                table,
                caption=f"Headline figures by year, {next(iter(years))} to {self.year_label}",
                notes=self.suppressed_note,
            )
        )
        return Section(items)

    # --- pay gaps -------------------------------------------------------------------
    def _gap_table(self, prefix: str, groups: list[tuple[str, str]], label: str) -> pd.DataFrame:
        records = []
        for group, ref in groups:
            where = {"breakdown": "overall", "group": group, "reference_group": ref}
            records.append(
                {
                    label: group,
                    "Compared with": ref,
                    "Mean hourly gap": self.shown(f"{prefix}.mean_hourly_gap", "%", **where),
                    "Median hourly gap": self.shown(f"{prefix}.median_hourly_gap", "%", **where),
                    "Mean bonus gap": self.shown(f"{prefix}.mean_bonus_gap", "%", **where),
                    "Median bonus gap": self.shown(f"{prefix}.median_bonus_gap", "%", **where),
                }
            )
            if self.intervals is not None:
                for stat in ("mean", "median"):
                    records[-1][f"{stat.capitalize()} hourly gap: 95% interval ({ANALYTICAL})"] = (
                        self.interval(f"{prefix}.{stat}_hourly_gap", **where)
                    )
        return pd.DataFrame.from_records(records)

    def _quartile_table(
        self, prefix: str, groups: list[str], grouping: str | None = None
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
                rec[g] = self.shown(f"{prefix}.quartile_share", "%", breakdown=bd, group=g)
            records.append(rec)
        return pd.DataFrame.from_records(records)

    def _quartile_chart(self, table: pd.DataFrame, title: str, alt: str) -> Any:
        long = table.melt(id_vars="Pay quarter", var_name="Group", value_name="Share")
        long["Share (%)"] = long["Share"].map(lambda s: parse_number(str(s).rstrip("%")))
        long = long.dropna(subset=["Share (%)"])[["Pay quarter", "Group", "Share (%)"]]
        if long.empty:
            return display.callout(
                "No chart: every share in this table is suppressed or not calculable."
            )
        chart = charts.stacked_share_chart(
            long,
            category="Pay quarter",
            group="Group",
            value="Share (%)",
            title=title,
            order=list(table.columns[1:]),
        )
        return display.chart(chart, alt=alt, caption=title, data=table, data_caption=title)

    def _bonus_receipt(self, prefix: str, groups: list[str]) -> pd.DataFrame:
        return pd.DataFrame.from_records(
            [
                {
                    "Group": g,
                    "Received a bonus": self.shown(
                        f"{prefix}.bonus_receipt", "%", breakdown="overall", group=g
                    ),
                }
                for g in groups
            ]
        )

    def gender_pay_gap(self) -> Section:
        """The six statutory figures (methodology §1.7) with quarters, trend and reading."""
        mean = self.value("gpg.mean_hourly_gap", breakdown="overall")
        median = self.value("gpg.median_hourly_gap", breakdown="overall")
        items: list[Any] = [
            display.heading("Gender pay gap", level=2, anchor="gender-pay-gap"),
            display.md(
                "The gender pay gap is the difference between men's and women's average hourly "
                "pay, as a percentage of men's pay (the statutory method of the Equality Act 2010 "
                f"(Specific Duties and Public Authorities) Regulations 2017). Snapshot date: "
                f"{self.ctx.settings.snapshot_date(self.ctx.year):%-d %B %Y}."
            ),
            display.md(_gap_reading("Women", "men", median, "median", self.symbol)),
        ]
        if not self.statutory:
            items.append(
                display.callout(
                    f"{self.org_name} has fewer than "
                    f"{self.ctx.settings.gpg.statutory_min_employees} employees, so it is not "
                    "required to report its gender pay gap to the government service. The "
                    "figures below are published voluntarily, under the same privacy rules as "
                    "every other figure in this report: a figure based on a small group is "
                    f"shown as {_md_escape(self.symbol)}."
                )
            )
        six = pd.DataFrame.from_records(
            [
                {
                    "Figure": "Mean gender pay gap in hourly pay",
                    "Value": self.shown("gpg.mean_hourly_gap", "%", breakdown="overall"),
                },
                {
                    "Figure": "Median gender pay gap in hourly pay",
                    "Value": self.shown("gpg.median_hourly_gap", "%", breakdown="overall"),
                },
                {
                    "Figure": "Mean bonus gender pay gap",
                    "Value": self.shown("gpg.mean_bonus_gap", "%", breakdown="overall"),
                },
                {
                    "Figure": "Median bonus gender pay gap",
                    "Value": self.shown("gpg.median_bonus_gap", "%", breakdown="overall"),
                },
                {
                    "Figure": "Proportion of men receiving a bonus",
                    "Value": self.shown(
                        "gpg.bonus_receipt", "%", breakdown="overall", group="Male"
                    ),
                },
                {
                    "Figure": "Proportion of women receiving a bonus",
                    "Value": self.shown(
                        "gpg.bonus_receipt", "%", breakdown="overall", group="Female"
                    ),
                },
            ]
        )
        if self.previous is not None:
            six["Last year"] = [
                self.shown(m, "%", frame=self.previous, breakdown="overall", **w)
                for m, w in [
                    ("gpg.mean_hourly_gap", {}),
                    ("gpg.median_hourly_gap", {}),
                    ("gpg.mean_bonus_gap", {}),
                    ("gpg.median_bonus_gap", {}),
                    ("gpg.bonus_receipt", {"group": "Male"}),
                    ("gpg.bonus_receipt", {"group": "Female"}),
                ]
            ]
        items.append(
            display.table(
                six, caption=f"Gender pay gap: the six statutory figures, {self.year_label}"
            )
        )
        quart = self._quartile_table("gpg", ["Male", "Female"])
        quart.columns = ["Pay quarter", "Men", "Women"]
        upper_w = quart.iloc[3]["Women"]
        lower_w = quart.iloc[0]["Women"]
        items.append(
            self._quartile_chart(
                quart,
                "Men and women in each hourly pay quarter",
                f"Women make up {lower_w} of the lowest-paid quarter and {upper_w} of the "
                "highest-paid quarter.",
            )
        )
        if mean:
            items.append(display.md(_gap_reading("Women", "men", mean, "mean", self.symbol)))
        return Section(items)

    def ethnicity_pay_gap(self) -> Section:
        """methodology §2: against White British (default) and against White (WRES-aligned)."""
        lead = self.ctx.settings.epg.reference_group
        items: list[Any] = [
            display.heading("Ethnicity pay gap", level=2, anchor="ethnicity-pay-gap"),
            sections_2026.additional_analysis_note(self),
            display.md(
                "The ethnicity pay gap uses the gender pay gap method with ethnic groups in place "
                "of sex (GOV.UK ethnicity pay reporting guidance, 2023). Each group is compared "
                f"with {lead} staff; figures for groups smaller than "
                f"{self.ctx.settings.epg.min_group_publish} people are not published. People "
                "who did not state their ethnicity are left out of the gaps; the share who did "
                "not is shown below because low disclosure makes the gaps less reliable."
            ),
        ]
        gaps = self.rows("epg.median_hourly_gap", breakdown="overall")
        pairs = [
            (str(r.group), str(r.reference_group))
            for r in gaps.itertuples()
            if str(r.reference_group) == lead
            or (str(r.group) == "BME" and str(r.reference_group) == "White")
        ]
        pairs = sorted(dict.fromkeys(pairs), key=lambda p: (p[1] != lead, p[0]))
        if pairs:
            items.append(
                display.table(
                    self._gap_table("epg", pairs, "Ethnic group"),
                    caption=f"Ethnicity pay gaps in hourly pay and bonus pay, {self.year_label}",
                    notes="A positive gap means the group is paid less than the group it is compared with.",
                )
            )
            chart_rows = [
                {
                    "Group": g,
                    "Median hourly gap (%)": parse_number(
                        self.value(
                            "epg.median_hourly_gap", breakdown="overall", group=g, reference_group=r
                        )
                    ),
                }
                for g, r in pairs
                if r == lead
            ]
            chart_df = pd.DataFrame(chart_rows).dropna()
            if not chart_df.empty:
                items.append(
                    display.chart(
                        charts.gap_chart(
                            chart_df,
                            group="Group",
                            value="Median hourly gap (%)",
                            title=f"Median hourly pay gap against {lead} staff",
                        ),
                        alt=gap_finding(chart_df, "Group", "Median hourly gap (%)", lead),
                        caption=f"Median ethnicity pay gap by group, against {lead} staff",
                        data=chart_df.assign(
                            **{
                                "Median hourly gap (%)": chart_df["Median hourly gap (%)"].map(
                                    lambda v: f"{v:.1f}"
                                )
                            }
                        ),
                        data_caption="Median hourly pay gap by ethnic group (%)",
                    )
                )
        else:
            items.append(display.callout("No ethnicity pay gap could be published for this year."))
        groups = [
            g
            for g in ["White British", "White other", "Mixed", "Asian", "Black", "Other", "Unknown"]
            if not self.rows("epg.quartile_share", group=g).empty
        ]
        if groups:
            quart = self._quartile_table("epg", groups, grouping="high_level")
            items.append(
                display.table(
                    quart,
                    caption="Ethnic groups in each hourly pay quarter",
                    notes="Shares of each quarter; they may not add to exactly 100 because each is rounded on its own.",
                )
            )
        undisclosed = self.shown("profile.ethnicity", "%", breakdown="overall", group="Unknown")
        items.append(
            display.md(
                self._undeclared_sentence(
                    "Ethnicity not stated or not known", undisclosed, "has no recorded ethnicity"
                )
            )
        )
        receipt_groups = [
            g
            for g in [
                "White British",
                "White other",
                "Mixed",
                "Asian",
                "Black",
                "Other",
                "White",
                "BME",
            ]
            if not self.rows("epg.bonus_receipt", group=g).empty
        ]
        if receipt_groups:
            items.append(
                display.table(
                    self._bonus_receipt("epg", receipt_groups),
                    caption="Proportion of each ethnic group receiving a bonus",
                )
            )
        return Section(items)

    def _binary_gap(
        self,
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
            self.rows(f"{prefix}.median_hourly_gap").empty
            and self.rows(f"{prefix}.mean_hourly_gap").empty
        ):
            items.append(
                display.callout(f"No {title.lower()} figures are available for this year.")
            )
            return Section(items)
        items.append(
            display.md(
                _gap_reading(
                    f"{group} staff",
                    f"{ref.lower()} staff",
                    self.value(f"{prefix}.median_hourly_gap", breakdown="overall", group=group),
                    "median",
                    self.symbol,
                )
            )
        )
        items.append(
            display.table(
                self._gap_table(prefix, [(group, ref)], "Group"),
                caption=f"{title}, {self.year_label}",
            )
        )
        quart = self._quartile_table(prefix, [group, ref, "Unknown"])
        items.append(display.table(quart, caption=f"{title}: groups in each hourly pay quarter"))
        items.append(
            display.table(
                self._bonus_receipt(prefix, [group, ref]), caption="Proportion receiving a bonus"
            )
        )
        measure, declared_groups = declared
        items.append(
            display.md(
                self._undeclared_sentence(
                    "Not declared",
                    self.undeclared_share(measure, declared_groups),
                    "has no recorded answer that places them in either group",
                )
            )
        )
        return Section(items)

    def _undeclared_sentence(self, label: str, share: str, what: str) -> str:
        """``**Not declared:** 12.3% of the workforce has ...``, or why no share is shown."""
        if share == self.symbol:
            return (
                f"**{label}:** the share of the workforce that {what} is not published, "
                "because it involves a small number of people or could reveal one."
            )
        if share in {"not available", "not calculable"}:
            return f"**{label}:** the share of the workforce that {what} is {share}."
        return f"**{label}:** {share} of the workforce {what}."

    def undeclared_share(self, measure: str, declared: tuple[str, ...]) -> str:
        """The share of the workforce outside the declared groups of a profile, worked out
        from the published (rounded) counts; ``*`` when a declared count is suppressed or
        the remainder is itself a count of 1 to 7 (methodology §0.4, §6.2)."""
        rows = self.rows(measure, breakdown="overall")
        if rows.empty:
            return "not available"
        counts = disclosure.published_counts(rows, self.ctx.settings)
        total = parse_number(rows["n"].iloc[0])
        wanted = rows["group"].astype(str).isin(declared)
        if total is None or total == 0 or counts[wanted].isna().any():
            return self.symbol
        remainder = total - float(counts[wanted].sum())
        if 0 < remainder <= self.ctx.settings.disclosure.suppress_max:
            return self.symbol
        return f"{100.0 * remainder / total:.1f}%"

    def disability_pay_gap(self) -> Section:
        return self._binary_gap(
            "dpg",
            "Disability pay gap",
            "disability-pay-gap",
            "Disabled",
            "Non-disabled",
            "The disability pay gap compares the hourly pay of Disabled staff with that of "
            "non-disabled staff, by the gender pay gap method. Staff who have not declared "
            "whether they are disabled are left out of the gap.",
            ("profile.disability", ("Yes", "No")),
        )

    def sexual_orientation_pay_gap(self) -> Section:
        return self._binary_gap(
            "sopg",
            "Sexual orientation pay gap",
            "sexual-orientation-pay-gap",
            "LGB+",
            "Heterosexual",
            "The sexual orientation pay gap compares lesbian, gay, bisexual and other "
            "non-heterosexual staff (LGB+) with heterosexual staff, by the gender pay gap method.",
            (
                "profile.sexual_orientation",
                (
                    "Heterosexual or Straight",
                    "Gay or Lesbian",
                    "Bisexual",
                    "Other sexual orientation not listed",
                ),
            ),
        )

    # --- WRES / WDES -----------------------------------------------------------------
    def _distribution_table(self, measure: str, groups: list[str], label_of) -> pd.DataFrame:
        rows = self.rows(measure)
        records = []
        for bd in dict.fromkeys(rows["breakdown"].astype(str)):
            rec = {"Workforce group": label_of(bd)}
            for g in groups:
                rec[g] = self.shown(measure, "%", breakdown=bd, group=g)
            records.append(rec)
        return pd.DataFrame.from_records(records)

    def _indicator_table(self, ids: list[tuple[str, str, dict[str, str], str]]) -> pd.DataFrame:
        records = []
        for label, measure, where, suffix in ids:
            rec = {"Indicator": label, "This year": self.shown(measure, suffix, **where)}
            if self.previous is not None:
                rec["Last year"] = self.shown(measure, suffix, frame=self.previous, **where)
            note = self.note(measure, **where)
            rec["Note"] = note
            records.append(rec)
        return pd.DataFrame.from_records(records)

    def likelihood_table(self, measures: list[str]) -> pd.DataFrame:
        """Relative likelihoods with the four-fifths flag, the optional 95 % interval and a
        plain-English reading (methodology §0.3, §3.4, §8); published values only."""
        band = self.ctx.settings.standards.rl_adverse_band
        records = []
        for measure in measures:
            sel = self.rows(measure)
            bd = str(sel.iloc[0]["breakdown"]) if not sel.empty else "overall"
            value = self.value(measure, breakdown=bd)
            rec = {
                "Indicator": LIKELIHOODS[measure].label,
                "This year": self.shown(measure, breakdown=bd),
            }
            if self.previous is not None:  # last year's headline row, as in the summary
                rec["Last year"] = self.shown(measure, frame=self.previous)
            if band is not None:
                low, high = band
                rec[f"Four-fifths band ({low:.2f} to {high:.2f})"] = four_fifths_text(value, band)
            if self.intervals is not None:
                rec[f"95% interval ({ANALYTICAL})"] = self.interval(measure, breakdown=bd)
            rec["Reading"] = rl_reading(
                measure, value, self.note(measure, breakdown=bd), self.symbol
            )
            records.append(rec)
        return pd.DataFrame.from_records(records)

    def _likelihood_items(self, measures: list[str], caption: str) -> list[Any]:
        band = self.ctx.settings.standards.rl_adverse_band
        notes = ["1.00 means parity."]
        if band is not None:
            notes.append(
                f"Outside {band[0]:.2f} to {band[1]:.2f}: flagged by the four-fifths rule, a "
                "descriptive rule of thumb that ignores group size (not a statistical test, "
                "not part of the standard)."
            )
        if self.intervals is not None:
            notes.append(
                "95% intervals by the log method (analytical, not part of the standard); n/a "
                "where a group has no outcomes."
            )
        notes.append(self.suppressed_note)
        return [
            display.table(self.likelihood_table(measures), caption=caption, notes=" ".join(notes))
        ]

    def wres(self) -> Section:
        """methodology §3: indicator 1 table, then indicators 2-9."""
        items: list[Any] = [
            display.heading("Workforce Race Equality Standard (WRES)", level=2, anchor="wres"),
            display.md(wres_intro(self.ctx.settings.standards.rl_adverse_band)),
        ]
        ind1 = self._distribution_table("wres.1", ["White", "BME", "Unknown"], _breakdown_label)
        if not ind1.empty:
            items.append(
                display.table(
                    ind1,
                    caption="WRES indicator 1: percentage of staff in each band who are White, BME or of unknown ethnicity",
                    notes="Bank staff are excluded. Clinical and non-clinical staff are shown separately.",
                )
            )
        items += self._likelihood_items(
            ["wres.2", "wres.3", "wres.4"],
            f"WRES indicators 2 to 4: relative likelihoods, {self.year_label}",
        )
        ids: list[tuple[str, str, dict[str, str], str]] = []
        for num, text in [
            (
                "5",
                "experiencing harassment, bullying or abuse from patients, relatives or the public",
            ),
            ("6", "experiencing harassment, bullying or abuse from staff"),
            (
                "7",
                "believing the organisation provides equal opportunities for career progression or promotion",
            ),
            (
                "8",
                "personally experiencing discrimination at work from a manager, team leader or colleagues",
            ),
        ]:
            for group in ("White", "BME"):
                ids.append((f"{num}. {group} staff {text}", f"wres.{num}", {"group": group}, "%"))
        wres9 = self.rows("wres.9")
        for bd in dict.fromkeys(wres9["breakdown"].astype(str)):
            ids.append(
                (
                    f"9. Difference between BME share of the board ({_breakdown_label(bd)}) and of the workforce",
                    "wres.9",
                    {"breakdown": bd},
                    " pp",
                )
            )
        items.append(
            display.table(
                self._indicator_table(ids), caption=f"WRES indicators 5 to 9, {self.year_label}"
            )
        )
        return Section(items)

    def wdes(self) -> Section:
        """methodology §4: metric 1 by cluster, then metrics 2-10."""
        items: list[Any] = [
            display.heading(
                "Workforce Disability Equality Standard (WDES)", level=2, anchor="wdes"
            ),
            display.md(
                "WDES compares the experience of Disabled and non-disabled staff on ten metrics. "
                "Workforce records (ESR) usually show far fewer Disabled staff than the NHS Staff "
                "Survey, so the declaration rate is shown beside the figures."
            ),
        ]
        m1 = self._distribution_table(
            "wdes.1", ["Disabled", "Non-disabled", "Unknown"], _breakdown_label
        )
        if not m1.empty:
            items.append(
                display.table(
                    m1,
                    caption="WDES metric 1: percentage of staff in each cluster who are Disabled, non-disabled or unknown",
                    notes="Clusters: C1 bands under 1 to 4; C2 bands 5 to 7; C3 bands 8a and 8b; C4 bands 8c to 9 and VSM; C5 consultants; C6 non-consultant career grades; C7 trainee grades. Bank staff are excluded.",
                )
            )
        items += self.declaration()
        items += self._likelihood_items(
            ["wdes.2", "wdes.3"], f"WDES metrics 2 and 3: relative likelihoods, {self.year_label}"
        )
        if self.ctx.settings.standards.wdes2_caveat:
            items.append(display.callout(WDES2_CAVEAT))
        ids: list[tuple[str, str, dict[str, str], str]] = []
        for item, text in [
            ("public", "patients, service users, relatives or the public"),
            ("managers", "managers"),
            ("colleagues", "other colleagues"),
        ]:
            for group in ("Disabled", "Non-disabled"):
                ids.append(
                    (
                        f"4a. {group} staff experiencing harassment, bullying or abuse from {text}",
                        "wdes.4a",
                        {"breakdown": f"item={item}", "group": group},
                        "%",
                    )
                )
        for num, text in [
            ("4b", "saying they or a colleague reported the last harassment, bullying or abuse"),
            ("5", "believing the organisation provides equal opportunities for career progression"),
            ("6", "feeling pressure from their manager to come to work when not well enough"),
            ("7", "satisfied with how far the organisation values their work"),
        ]:
            for group in ("Disabled", "Non-disabled"):
                ids.append((f"{num}. {group} staff {text}", f"wdes.{num}", {"group": group}, "%"))
        ids.append(
            (
                "8. Disabled staff saying their employer has made adequate adjustments",
                "wdes.8",
                {"group": "Disabled"},
                "%",
            )
        )
        for group in ("Disabled", "Non-disabled", "All"):
            ids.append(
                (f"9a. Staff engagement score (0-10), {group}", "wdes.9a", {"group": group}, "")
            )
        for bd in dict.fromkeys(self.rows("wdes.10")["breakdown"].astype(str)):
            ids.append(
                (
                    f"10. Difference between Disabled share of the board ({_breakdown_label(bd)}) and of the workforce",
                    "wdes.10",
                    {"breakdown": bd},
                    " pp",
                )
            )
        items.append(
            display.table(
                self._indicator_table(ids), caption=f"WDES metrics 4 to 10, {self.year_label}"
            )
        )
        path = self._content("wdes_9b.md")
        items.append(display.heading("Metric 9b: the voices of Disabled staff", level=3))
        if path is not None:
            items.append(display.md(content_markdown(path, top_level=4)))
        else:
            items.append(
                display.callout(
                    f"The organisation has not supplied its metric 9b narrative ({self._content_hint('wdes_9b.md')}) for this year."
                )
            )
        return Section(items)

    def declaration(self) -> list[Any]:
        """ESR declaration rate and share recorded Disabled beside the Staff Survey prevalence
        (methodology §4.4), from the published ``profile.disability`` counts only."""
        from .wdes import declaration_figures

        rows = self.rows("profile.disability", breakdown="overall")
        if rows.empty:
            return [display.callout("Disability is not recorded in the workforce file.")]
        counts = disclosure.published_counts(rows, self.ctx.settings)
        by_group = dict(zip(rows["group"].astype(str), counts, strict=True))
        total = parse_number(rows.iloc[0]["n"])
        yes, no = by_group.get("Yes"), by_group.get("No")
        known = total is not None and all(c is not None and not pd.isna(c) for c in (yes, no))
        figures = (
            declaration_figures(float(yes), float(no), total, self.survey_prevalence)
            if known
            else None
        )

        def pct(key: str, unit: str = "%") -> str:
            if figures is None:
                return self.symbol
            v = figures[key]
            return "not calculable" if v is None else f"{format_value(v, 1)}{unit}"

        prevalence = (
            f"{format_value(self.survey_prevalence, 1)}%"
            if self.survey_prevalence is not None
            else "not supplied"
        )
        table = pd.DataFrame.from_records(
            [
                {
                    "Figure": "Staff who have recorded whether they are disabled (ESR)",
                    "Value": pct("esr_pct_declared"),
                },
                {"Figure": "Staff recorded as Disabled (ESR)", "Value": pct("esr_pct_disabled")},
                {
                    "Figure": "Staff Survey respondents who say they are disabled",
                    "Value": prevalence,
                },
                {
                    "Figure": "Difference: Staff Survey minus ESR",
                    "Value": pct("gap_pp", " pp")
                    if self.survey_prevalence is not None
                    else "not available",
                },
            ]
        )
        return [
            display.heading("Declaration rate", level=3),
            display.table(
                table,
                caption=f"Disability declaration in ESR and in the Staff Survey, {self.year_label}",
                notes="From the published workforce profile (counts rounded to the nearest 5). "
                "A low declaration rate makes the WDES figures less reliable.",
            ),
        ]

    # --- profile, intersections --------------------------------------------------------
    def workforce_profile(self) -> Section:
        """methodology §10: headcount and share by group for each characteristic."""
        from .profile import CHARACTERISTICS

        d = self.ctx.settings.disclosure
        items: list[Any] = [
            display.heading("Workforce profile", level=2, anchor="workforce-profile"),
            display.md(
                "Staff in post on the snapshot date by protected characteristic (bank staff "
                f"excluded). Headcounts are rounded to the nearest {d.round_base} and counts of "
                f"1 to {d.suppress_max} are shown as {_md_escape(self.symbol)}; percentages are "
                "worked out from the rounded counts."
            ),
        ]
        for characteristic in CHARACTERISTICS:
            measure = f"profile.{characteristic}"
            rows = self.rows(measure, breakdown="overall")
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
            counts = disclosure.published_counts(rows, self.ctx.settings)
            headcounts = [
                self.symbol if str(v) == self.symbol else ("" if pd.isna(c) else f"{int(c):,}")
                for v, c in zip(rows["value"], counts, strict=True)
            ]
            table = pd.DataFrame(
                {
                    "Group": rows["group"].astype(str).to_numpy(),
                    "Headcount": headcounts,
                    "Share": [
                        f"{v}%" if str(v) not in {self.symbol, ""} else (str(v) or "not calculable")
                        for v in rows["value"]
                    ],
                }
            )
            items.append(
                display.table(
                    table, caption=f"Workforce by {title[0].lower() + title[1:]}, {self.year_label}"
                )
            )
        return Section(items)

    def directorates_shown(self) -> bool:
        """Whether the directorate section is shown: its figures were published (the
        measure stage computes them when ``report.directorates`` allows) and the section is
        not switched off."""
        if self.layout is not None and self.layout.directorates is False:
            return False
        return bool(self.published["measure"].str.startswith("directorate.").any())

    def directorates(self) -> Section:
        """Pay gaps and representation by directorate (optional; see
        :mod:`edi_reports.directorates`), from the published figures only."""
        items: list[Any] = [
            display.heading("Directorates", level=2, anchor="directorates"),
            display.md(
                "Representation and pay gaps in each directorate, from the workforce file's "
                "directorate column. Shares are of the directorate's staff in post (bank staff "
                "excluded), worked out from counts rounded to the nearest 5. A gap is not "
                "shown when a group compared is too small to publish "
                f"(fewer than {self.ctx.settings.disclosure.min_group_stat} people; fewer than "
                f"{self.ctx.settings.epg.min_group_publish} for ethnicity). A positive gap "
                "means women (or BME staff) are paid less."
            ),
        ]
        rows = self.published[self.published["measure"].str.startswith("directorate.")]
        names = list(dict.fromkeys(rows["breakdown"].astype(str)))
        if not names:
            items.append(display.callout("No directorate figures are available for this year."))
            return Section(items)
        records = []
        for bd in names:
            staff = self.rows("directorate.profile.sex", breakdown=bd)
            total = str(staff.iloc[0]["n"]) if not staff.empty else ""
            records.append(
                {
                    "Directorate": bd.partition("=")[2],
                    "Staff in post": total or "not available",
                    "Women": self.shown(
                        "directorate.profile.sex", "%", breakdown=bd, group="Female"
                    ),
                    "BME staff": self.shown(
                        "directorate.profile.ethnicity", "%", breakdown=bd, group="BME"
                    ),
                    "Disabled staff": self.shown(
                        "directorate.profile.disability", "%", breakdown=bd, group="Disabled"
                    ),
                    "Median gender pay gap": self.shown(
                        "directorate.gpg.median_hourly_gap", "%", breakdown=bd
                    ),
                    "Mean gender pay gap": self.shown(
                        "directorate.gpg.mean_hourly_gap", "%", breakdown=bd
                    ),
                    "Median ethnicity pay gap (BME compared with White)": self.shown(
                        "directorate.epg.median_hourly_gap", "%", breakdown=bd
                    ),
                }
            )
        items.append(
            display.table(
                pd.DataFrame.from_records(records),
                caption=f"Representation and pay gaps by directorate, {self.year_label}",
                notes="Staff in post is rounded to the nearest 5. " + self.suppressed_note,
            )
        )
        return Section(items)

    def intersections(self) -> Section:
        """methodology §9: crossed groups against the combined reference cell."""
        items: list[Any] = [
            display.heading("Intersectional findings", level=2, anchor="intersections"),
            display.md(
                "Pay gaps for people who share two characteristics, each compared with the group "
                "that is in the reference group for both (for example BME women compared with "
                "White men). Small groups are suppressed."
            ),
        ]
        rows = self.rows("intersection.gpg.median_hourly_gap")
        if rows.empty:
            rows = self.published[
                self.published["measure"].str.startswith("intersection.")
                & self.published["measure"].str.endswith("median_hourly_gap")
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
            display.table(
                table, caption=f"Intersectional median hourly pay gaps, {self.year_label}"
            )
        )
        return Section(items)

    def _reason_counts(self, reasons: pd.DataFrame) -> list[str]:
        """Rows by reason: exact for rows set aside (impossible values), under the count rule
        for values set to unknown (they describe people's characteristics)."""
        ruled = self._count_text(reasons["Rows"])
        exact = [f"{int(r):,}" for r in reasons["Rows"]]
        unknown = reasons["action"].astype(str) == "set_unknown"
        return [r if u else e for r, e, u in zip(ruled, exact, unknown, strict=True)]

    def _input_audit_items(self) -> list[Any]:
        """Unrecognised band, staff group and other organisational values (never equality
        values, ids or pay), ignored input columns and the payroll hourly-rate comparison
        (intake_audit)."""
        from . import intake_audit

        records = intake_audit.read_audit(self.ctx.processed)
        items: list[Any] = []
        values = intake_audit.public_value_table(self.quarantine, records)
        if not values.empty:
            shown = values.rename(columns={"rows": "Rows"})
            shown["Rows"] = self._reason_counts(shown)
            shown = shown.rename(
                columns={
                    "file": "File",
                    "column": "Column",
                    "value": "Value not recognised",
                    "action": "Action",
                }
            )
            items.append(
                display.table(
                    shown.astype(str),
                    caption="Values not recognised in organisational columns",
                    notes="Pay bands, staff groups and other organisational values only; "
                    "unrecognised values of equality columns, ids and pay are never shown.",
                )
            )
        ignored = [
            f"'{i['header']}' ({r['file']})"
            + (f", which may be {i['suggest']}" if i.get("suggest") else "")
            for r in records
            for i in r.get("ignored", [])
        ]
        if ignored:
            items.append(
                display.md(
                    "**Input columns not used:** " + "; ".join(ignored[:40]) + ". Columns not "
                    "in the data contract are ignored."
                )
            )
        hourly = intake_audit.hourly_rate_line(intake_audit.read_hourly_check(self.ctx.processed))
        if hourly:
            items.append(display.md(hourly))
        return items

    def _count_text(self, counts: pd.Series) -> list[str]:
        """Counts of rows by reason, under the same rule as any count below organisation
        level (a reason such as "age over 80" describes people): 1-7 shown as *."""
        rounded = disclosure.round_counts(counts, self.ctx.settings)
        return [self.symbol if pd.isna(r) else f"{int(r):,}" for r in rounded]

    # --- narrative ---------------------------------------------------------------------
    # --- the 2026 rules (sections_2026.py) ----------------------------------------------
    def statutory_pay_gaps(self) -> Section:
        return sections_2026.statutory_pay_gaps(self)

    def equality_action_plan(self) -> Section:
        return sections_2026.equality_action_plan(self)

    def pay_gap_decomposition(self) -> Section:
        return sections_2026.decomposition(self)

    def action_plan(self) -> Section:
        items: list[Any] = [display.heading("Action plan", level=2, anchor="action-plan")]
        path = self._content("actions.csv")
        if path is None:
            items.append(
                display.callout(
                    f"The organisation has not supplied an action plan ({self._content_hint('actions.csv')}) for this year."
                )
            )
            return Section(items)
        actions = pd.read_csv(path, dtype=str).fillna("")
        actions.columns = [c.strip().capitalize() for c in actions.columns]
        items.append(display.table(actions, caption=f"Action plan {self.year_label}"))
        return Section(items)

    def objectives(self) -> Section:
        items: list[Any] = [display.heading("Equality objectives", level=2, anchor="objectives")]
        structured = self._content("objectives.yaml")
        if structured is not None:  # period and progress per year (edi_reports.equality_page)
            from .equality_page import load_objectives, objectives_markdown

            objectives = load_objectives(structured.parent)
            if objectives is not None:
                items.append(display.md(objectives_markdown(objectives)))
                return Section(items)
        path = self._content("objectives.md")
        if path is None:
            items.append(
                display.callout(
                    f"The organisation has not supplied its equality objectives ({self._content_hint('objectives.md')})."
                )
            )
        else:
            items.append(display.md(content_markdown(path, top_level=3)))
        return Section(items)

    def methodology(self) -> Section:
        s = self.ctx.settings
        text = f"""
**Data.** Staff in post on {s.snapshot_date(self.ctx.year):%-d %B %Y} from the electronic staff record, one row per person (primary assignment); recruitment, casework and training in the 12 months to the snapshot date; the NHS Staff Survey breakdowns published for the organisation; the board on the snapshot date.

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

    def privacy_note(self) -> Section:
        return Section(
            [
                display.heading("Privacy", level=2, anchor="privacy"),
                display.md(_md_escape(disclosure.policy_text(self.ctx.settings))),
            ]
        )

    def data_quality(self) -> Section:
        """Reconciliation, quarantine counts by reason and the data-quality checks."""
        items: list[Any] = [
            display.heading("Data quality appendix", level=2, anchor="data-quality"),
        ]
        if self.reconciliation is not None and not self.reconciliation.empty:
            recon = self.reconciliation.rename(
                columns={
                    "file": "File",
                    "rows_in": "Rows in",
                    "rows_used": "Rows used",
                    "rows_rejected": "Rows set aside",
                    "values_set_unknown": "Values set to unknown",
                }
            )
            # Rows in, used and set aside are organisation-level counts of records, and rows
            # are set aside for impossible values (pay, hours, ids), never for a protected
            # characteristic: they are exact, so the reconciliation adds up. Values set to
            # unknown are about characteristics (an unrecognised ethnic code, sex or age), so
            # they follow the count rule here and below, and cannot be worked out by
            # difference from the exact columns (methodology §6.2).
            recon["Values set to unknown"] = self._count_text(recon["Values set to unknown"])
            items.append(
                display.table(
                    recon.astype(str),
                    caption="Every input row is used or set aside with a reason",
                    notes="Rows in = rows used + rows set aside, for every file. Values set to "
                    "unknown stay in the figures as unknown; their counts are rounded to the "
                    f"nearest {self.ctx.settings.disclosure.round_base}, with 1 to "
                    f"{self.ctx.settings.disclosure.suppress_max} shown as "
                    f"{_md_escape(self.symbol)}, like every count about people in this report.",
                )
            )
        if self.quarantine is not None and not self.quarantine.empty:
            reasons = (
                self.quarantine.groupby(["file", "column", "reason", "action"], dropna=False)
                .size()
                .rename("Rows")
                .reset_index()
                .assign(Rows=lambda f: self._reason_counts(f))
                .rename(
                    columns={
                        "file": "File",
                        "column": "Column",
                        "reason": "Reason",
                        "action": "Action",
                    }
                )
            )
            items.append(
                display.table(
                    reasons.astype(str),
                    caption="Rows set aside or values set to unknown, by reason",
                )
            )
        items.extend(self._input_audit_items())
        if self.validation is not None:
            summary = self.validation.summary_frame()
            failed = summary[summary["result"] != "passed"].copy()
            if "rows_affected" in failed:
                failed["rows_affected"] = self._count_text(failed["rows_affected"])
            if failed.empty:
                items.append(display.md(f"All {len(summary)} data-quality checks passed."))
            else:
                items.append(
                    display.table(
                        failed.astype(str), caption="Data-quality warnings (the build continued)"
                    )
                )
        if not self.listed:
            items.append(
                display.callout(
                    f"{_md_escape(self.ctx.org)} has no line in `organisations.csv`, so this "
                    "report is titled with the bare code and shows no organisation type or "
                    "region (no regional benchmark). Add the line "
                    "`org_code,name,type,region` and build again.",
                    kind="warning",
                )
            )
        if self.warnings:
            items.append(
                display.md(
                    "**Figures that could not be calculated:**\n\n"
                    + "\n".join(f"- {w}" for w in self.warnings[:40])
                )
            )
        return Section(items)


#: Section name (``report.sections``) -> the :class:`Report` method that builds it.
SECTION_METHODS: dict[str, str] = {
    "introduction": "introduction",
    "summary": "summary_table",
    "benchmarking": "benchmarking",
    "trends": "trends",
    "gender_pay_gap": "gender_pay_gap",
    "ethnicity_pay_gap": "ethnicity_pay_gap",
    "disability_pay_gap": "disability_pay_gap",
    "statutory_pay_gaps": "statutory_pay_gaps",
    "pay_gap_decomposition": "pay_gap_decomposition",
    "sexual_orientation_pay_gap": "sexual_orientation_pay_gap",
    "wres": "wres",
    "wdes": "wdes",
    "workforce_profile": "workforce_profile",
    "directorates": "directorates",
    "intersections": "intersections",
    "action_plan": "action_plan",
    "equality_action_plan": "equality_action_plan",
    "objectives": "objectives",
    "contact": "contact",
    "methodology": "methodology",
    "privacy": "privacy_note",
    "data_quality": "data_quality",
}


@dataclass(frozen=True)
class Likelihood:
    """How a relative likelihood reads (methodology §3.2, §4.3: group A first)."""

    label: str
    group_a: str
    group_b: str
    people: str
    outcome: str
    none: str  # e.g. "were appointed from shortlisting", when group A had no outcome


LIKELIHOODS: dict[str, Likelihood] = {
    "wres.2": Likelihood(
        "2. Likelihood of White applicants being appointed from shortlisting compared with BME applicants",
        "White",
        "BME",
        "applicants",
        "to be appointed from shortlisting",
        "were appointed from shortlisting",
    ),
    "wres.3": Likelihood(
        "3. Likelihood of BME staff entering the formal disciplinary process compared with White staff",
        "BME",
        "White",
        "staff",
        "to enter the formal disciplinary process",
        "entered the formal disciplinary process",
    ),
    "wres.4": Likelihood(
        "4. Likelihood of White staff accessing non-mandatory training and CPD compared with BME staff",
        "White",
        "BME",
        "staff",
        "to access non-mandatory training and CPD",
        "accessed non-mandatory training and CPD",
    ),
    "wdes.2": Likelihood(
        "2. Likelihood of non-disabled applicants being appointed from shortlisting compared with Disabled applicants",
        "Non-disabled",
        "Disabled",
        "applicants",
        "to be appointed from shortlisting",
        "were appointed from shortlisting",
    ),
    "wdes.3": Likelihood(
        "3. Likelihood of Disabled staff entering the formal capability process compared with non-disabled staff",
        "Disabled",
        "Non-disabled",
        "staff",
        "to enter the formal capability process",
        "entered the formal capability process",
    ),
}

WDES2_CAVEAT = (
    "Metric 2: guaranteed-interview schemes (such as Disability Confident) shortlist more "
    "Disabled applicants, which can lower their rate of appointment from shortlisting. Read "
    "this figure with care."
)


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
    from .likelihood import four_fifths_flag

    v = parse_number(value)
    return "" if v is None else four_fifths_flag(v, band)


_MEASURE_GROUPS: dict[int, tuple[pd.DataFrame, dict[str, pd.DataFrame]]] = {}


def _by_measure(frame: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """A frame's rows grouped by measure, worked out once per frame: a report looks up a
    few hundred figures, and filtering the whole published table for each one was a
    second or more of every report."""
    cached = _MEASURE_GROUPS.get(id(frame))
    if cached is None or cached[0] is not frame:
        if len(_MEASURE_GROUPS) > 32:
            _MEASURE_GROUPS.clear()
        groups = {str(m): g for m, g in frame.groupby("measure", sort=False)}
        cached = (frame, groups)
        _MEASURE_GROUPS[id(frame)] = cached
    return cached[1]


def _trend_sentence(part: pd.DataFrame, years: list[str]) -> str:
    """The finding of a trend chart in words: each line's first and last published value."""
    bits = []
    for name, rows in part.groupby("Indicator", sort=False):
        rows = rows.sort_values("Year", key=lambda y: y.map(years.index))
        first, last = rows.iloc[0], rows.iloc[-1]
        bits.append(
            f"{name}: {first['Shown']} in {first['Year']}, {last['Shown']} in {last['Year']}"
        )
    return "; ".join(bits) + "."


def content_markdown(path: Path, top_level: int = 3) -> str:
    """The organisation's own Markdown, fitted under a report section: HTML comments removed
    and headings shifted so the highest becomes level ``top_level`` (one h1 per page)."""
    from .narrative import safe_markdown

    try:
        raw = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise InputError(
            str(path), "the file is not UTF-8 text", fix="Save it as UTF-8 text (Markdown)."
        ) from None
    text = re.sub(r"<!--.*?-->", "", raw, flags=re.S)
    levels = [len(m) for m in re.findall(r"^(#{1,6})\s", text, flags=re.M)]
    if levels:
        shift = top_level - min(levels)
        text = re.sub(
            r"^(#{1,6})(?=\s)",
            lambda m: "#" * min(6, max(1, len(m.group(1)) + shift)),
            text,
            flags=re.M,
        )
    return safe_markdown(text.strip(), source=str(path), images="refuse")  # text, not code


def _breakdown_label(bd: str) -> str:
    """``pay_band=Band 5;clinical=Y`` -> ``Band 5, clinical``."""
    from .classifications import WDES_CLUSTER_LABELS

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


def _gap_reading(group: str, ref: str, value: str, stat: str, symbol: str = SUPPRESSED) -> str:
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


def gap_finding(df: pd.DataFrame, group: str, value: str, ref: str) -> str:
    """The finding of the ethnicity pay gap chart in words, sign by sign.

    A positive gap means the group is paid less than ``ref`` staff, a negative one more
    (methodology §0.1). The sentence names the group paid the least compared with
    ``ref`` (the largest positive gap) and the group paid the most (the most negative gap),
    each with its direction, so a negative gap is never read as "the largest gap".
    """
    values = pd.to_numeric(df[value], errors="coerce")
    frame = df.assign(_v=values).dropna(subset=["_v"])
    where = "The data table below the chart gives every group's figure."
    if frame.empty:
        return f"No median hourly pay gap against {ref} staff could be published. {where}"
    rounded = frame["_v"].round(1)
    parts = []
    if (rounded > 0).any():
        top = rounded.max()
        parts.append(
            f"{_names(frame.loc[rounded == top, group])} staff have the largest median hourly "
            f"pay gap against {ref} staff: their median hourly pay is {top:.1f}% lower."
        )
    else:
        parts.append(f"No group shown has a lower median hourly pay than {ref} staff.")
    if (rounded < 0).any():
        low = rounded.min()
        parts.append(
            f"The median hourly pay of {_names(frame.loc[rounded == low, group])} staff is "
            f"the furthest above that of {ref} staff, {abs(low):.1f}% higher."
        )
    elif not (rounded > 0).any():
        parts = [f"No group shown has a median hourly pay gap against {ref} staff."]
    return " ".join([*parts, where])


def _names(groups: pd.Series) -> str:
    """``["Black", "Other"]`` -> ``"Black and Other"`` (ties named together)."""
    names = [str(g) for g in groups]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def wres_intro(band: tuple[float, float] | None) -> str:
    """The opening paragraph of the WRES section, with the four-fifths band of the
    settings (``standards.rl_adverse_band``; none when it is switched off)."""
    text = (
        "WRES compares the experience of White and Black and minority ethnic (BME) staff on "
        "nine indicators. Relative likelihoods of 1.00 mean parity"
    )
    if band is None:
        return text + "."
    return (
        f"{text}; values outside {band[0]:.2f} to {band[1]:.2f} are flagged (a descriptive "
        "rule of thumb, not a statistical test)."
    )


def _md_escape(text: str) -> str:
    """Plain text safe inside Markdown: ``*``, ``_``, brackets and the like are escaped, so
    a suppression symbol is never read as emphasis (HTML page and PDF alike)."""
    return re.sub(r"([\\`*_\[\]{}<>#|~^])", r"\\\1", text)


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
