"""The publishable report: its data, loaded once, and sections built from published tables only.

:class:`Report` holds what every section needs (the published tables, earlier years,
intervals, the organisation's content and layout) and the lookups sections use
(:meth:`Report.rows`, :meth:`Report.value`, :meth:`Report.shown`, :meth:`Report.note`).
Each section is built by its own module in :mod:`edi_reports.report.sections`
(``build(report)``); the report notebook (``notebooks/04_report.ipynb``) calls
:meth:`Report.body`, and ``report.wres()`` and the like build one section alone.

Every number shown comes from :func:`edi_reports.disclosure.control.publish` (rounded, suppressed); the
unsuppressed metrics are read only to build those published tables. Charts are fed the
published tables, so the page embeds nothing more than the tables beside them.
"""

from __future__ import annotations

import functools
import json
import os
import re
import shutil
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from edi_reports import catalogue
from edi_reports.catalogue import Likelihood
from edi_reports.config import financial_year_label
from edi_reports.disclosure import control as disclosure
from edi_reports.disclosure.publication import published_intervals  # noqa: F401  (analysis API)
from edi_reports.errors import InputError
from edi_reports.notebook import Context
from edi_reports.report import lookup, sections_2026
from edi_reports.report.sections import SECTION_METHODS, SECTIONS
from edi_reports.report.sections import build as build_section
from edi_reports.store import COPIED_TO_REPORT

SUPPRESSED = "*"
#: Internal files copied into the published folder (the GOV.UK GPG figures only).
PUBLISHED_FILES: tuple[str, ...] = COPIED_TO_REPORT
ANALYTICAL = "analytical, not part of the standard"


class Section(list):
    """Display objects of one report section, shown in order when it is a cell's result."""

    def _ipython_display_(self) -> None:
        from IPython.display import display as show

        for item in self:
            show(item)


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
    #: The folder whose ``validation.json`` :attr:`validation` reads, on first use.
    validation_folder: Path | None = None
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
    #: The organisation's branding (contact details), :class:`edi_reports.report.branding.Brand`.
    brand: Any = None
    #: Whether the organisation has a line in ``organisations.csv``.
    listed: bool = True
    #: Whether the inputs carry the demo's synthetic-data mark.
    synthetic: bool = False
    #: Whether the 2026 statutory ethnicity and disability pay gap duty would apply.
    in_scope_2026: bool = False

    @functools.cached_property
    def validation(self) -> Any:
        """The build's data-quality records (:class:`edi_reports.validation.quality.
        ValidationReport`), or None. Read when first needed, by the data-quality appendix:
        in a one-off build the validation may still be running while the report is made,
        and :func:`edi_reports.store.read_validation` waits for it."""
        from edi_reports import store

        return (
            None
            if self.validation_folder is None
            else store.read_validation(self.validation_folder)
        )

    # ------------------------------------------------------------------ loading
    @classmethod
    def load(cls, ctx: Context) -> Report:
        """Read what the disclosure step published for this organisation-year (architecture
        §1): its published tables and facts, earlier years' published tables, the build's
        data-quality records and the organisation's own content. No unsuppressed figure."""
        from edi_reports import store
        from edi_reports.disclosure import publication
        from edi_reports.report.branding import load_branding, load_layout

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
            validation_folder=folder,
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
        return lookup.select(frame, measure, where)

    def _first(self, measure: str, column: str, frame: pd.DataFrame | None, where: dict) -> Any:
        """``rows(measure, frame, **where).iloc[0][column]``, or :data:`lookup.NONE` when
        there is no such row (:func:`edi_reports.report.lookup.first`)."""
        frame = self.published if frame is None else frame
        if frame is None or frame.empty:
            return lookup.NONE
        return lookup.first(frame, measure, column, where)

    def value(self, measure: str, frame: pd.DataFrame | None = None, **where: str) -> str:
        """One published value as shown (``*`` when suppressed, blank when not calculable)."""
        found = self._first(measure, "value", frame, where)
        return "" if found is lookup.NONE else str(found)

    def note(self, measure: str, **where: str) -> str:
        found = self._first(measure, "note", None, where)
        return "" if found is lookup.NONE else str(found or "")

    def shown(
        self, measure: str, suffix: str = "", frame: pd.DataFrame | None = None, **where: str
    ) -> str:
        """A value for a table cell: the figure with its unit, ``*``, or "not calculable"."""
        found = self._first(measure, "value", frame, where)
        if found is lookup.NONE:
            return "not available"
        text = str(found or "")
        if text == self.symbol:
            return self.symbol
        if not text or text == "nan":
            return "not calculable"
        return f"{text}{suffix}"

    # ------------------------------------------------------------------ files
    def write_published_files(self) -> None:
        """tables.csv/xlsx, gpg_submission.csv and summary.json into the publish folder.

        ``wres_submission.csv`` and ``wdes_submission.csv`` hold raw counts for the private
        upload to NHS England and are never published (:mod:`edi_reports.submissions.collection`).
        """
        from edi_reports import store

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
        """The catalogue's headline figures for the website index (published values only;
        :func:`edi_reports.catalogue.headline_figures`)."""
        out = []
        for figure in catalogue.headline_figures():
            where = {k: v for k, v in figure.where if k != "breakdown"}
            sel = self.rows(figure.id, breakdown="overall", **where)
            if sel.empty:
                continue
            out.append(
                {
                    "label": figure.label_for("headline"),
                    "value": str(sel.iloc[0]["value"] or "not calculable"),
                    "unit": figure.unit,
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
        from edi_reports.intake.limits import check_content_file

        for folder in self.content_dirs:
            if os.path.lexists(folder / name):
                return check_content_file(folder / name, folder, self.ctx.settings.limits)
        return None

    # ------------------------------------------------------------------ sections
    def sections(self) -> list[str]:
        """The sections shown, in order (``report.sections``; the directorate section only
        when ``report.directorates`` allows it, see :func:`edi_reports.report.sections.directorates.shown`)."""
        from edi_reports.report.sections.directorates import shown

        chosen = list(self.layout.sections) if self.layout is not None else list(SECTIONS)
        return [n for n in chosen if n != "directorates" or shown(self)]

    def body(self) -> Section:
        """Every section shown, in order: the report notebook's one section cell."""
        items: list[Any] = []
        for name in self.sections():
            items.extend(build_section(name, self))
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


def _section_method(name: str) -> Any:
    """``report.<method>()``: the section ``name`` alone (a notebook cell's call)."""
    module, method = SECTIONS[name]

    def build(self: Report) -> Section:
        return build_section(name, self)

    build.__name__ = build.__qualname__ = method
    build.__doc__ = f"The {name} section (:func:`edi_reports.report.sections.{module}.build`)."
    return build


for _name, _method in SECTION_METHODS.items():
    setattr(Report, _method, _section_method(_name))


#: How each relative likelihood reads (:func:`edi_reports.catalogue.likelihoods`).
LIKELIHOODS: dict[str, Likelihood] = catalogue.likelihoods()


def content_markdown(path: Path, top_level: int = 3) -> str:
    """The organisation's own Markdown, fitted under a report section: HTML comments removed
    and headings shifted so the highest becomes level ``top_level`` (one h1 per page)."""
    from edi_reports.report.narrative import safe_markdown

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


def _md_escape(text: str) -> str:
    """Plain text safe inside Markdown: ``*``, ``_``, brackets and the like are escaped, so
    a suppression symbol is never read as emphasis (HTML page and PDF alike)."""
    return re.sub(r"([\\`*_\[\]{}<>#|~^])", r"\\\1", text)
