"""The website index over the built reports (data contract §3: ``reports/index.html``).

Each report folder ``reports/<ORG>/<YEAR>/`` holds ``index.html``, ``report.pdf``,
``tables.csv``, ``tables.xlsx``, ``gpg_submission.csv`` and a ``summary.json`` written by the
build::

    {"org": "RJZ", "name": "...", "year": 2024, "year_label": "2023/24", "type": "...",
     "region": "...", "built": "ISO timestamp", "synthetic": false,
     "headline": [{"label": "Median gender pay gap", "value": "6.7", "unit": "%"}, ...]}

:func:`build_site` writes ``reports/index.html`` (every organisation, its latest headline
figures, links to every year) and ``reports/<ORG>/index.html`` (its years, downloads and a
headline trends table), in the same accessible, self-contained page shell as the reports.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from edi_reports.config import DEFAULT_SETTINGS, Settings, financial_year_label
from edi_reports.rendering import equality_page
from edi_reports.rendering.offline import _atomic_write, _jinja, config_lang, render_page

__all__ = ["OrgEntry", "YearEntry", "build_site", "format_headline", "read_summaries"]

log = logging.getLogger(__name__)

_DOWNLOADS = [
    ("tables.csv", "Tables", "CSV"),
    ("tables.xlsx", "Tables", "Excel"),
    ("gpg_submission.csv", "Gender pay gap submission", "CSV"),
    ("epg_submission.csv", "Statutory ethnicity pay gap figures", "CSV"),
    ("dpg_submission.csv", "Statutory disability pay gap figures", "CSV"),
    ("equality_action_plan_submission.csv", "Equality action plan", "CSV"),
]


@dataclass
class YearEntry:
    """One built report (one ``summary.json``)."""

    year: int
    year_label: str
    built: str
    values: dict[str, str]
    labels: list[str]
    files: dict[str, str]
    downloads: list[dict[str, str]]
    symbol: str = "*"  # the report's mark of a suppressed figure (disclosure.symbol)


@dataclass
class OrgEntry:
    """One organisation and its built years, newest first."""

    code: str
    name: str
    type: str
    region: str
    years: list[YearEntry] = field(default_factory=list)
    synthetic: bool = False  # built from `edi synth` data (summary.json "synthetic")

    @property
    def latest(self) -> YearEntry:
        return self.years[0]

    @property
    def years_ascending(self) -> list[YearEntry]:
        return list(reversed(self.years))


def format_headline(value: Any, unit: str | None) -> str:
    """A headline figure as shown: ``"6.7%"``, ``"1.59"``, ``"3.0 pp"``, ``"*"``.

    Parameters
    ----------
    value
        The published value (a string such as ``"6.7"`` or ``"*"``, or a number).
    unit
        ``"%"``, ``"pp"``, ``""`` or None.

    Returns
    -------
    str
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return "n/a"
    text = str(value).strip()
    try:
        float(text.replace(",", ""))
    except ValueError:  # "*", "not calculable": words take no unit
        return text
    if not unit:
        return text
    unit = unit.strip()
    return f"{text}{unit}" if unit == "%" else f"{text} {unit}"


def _size(path: Path) -> str:
    """A file size for link text, e.g. ``"215 KB"``."""
    size = path.stat().st_size
    if size >= 1_000_000:
        return f"{size / 1_000_000:.1f} MB"
    return f"{max(1, round(size / 1000))} KB"


def _built_label(built: str) -> str:
    """``"2025-06-01T10:22:00"`` → ``"1 June 2025"`` (the text as is when unparseable)."""
    try:
        when = datetime.fromisoformat(str(built).replace("Z", "+00:00"))
    except ValueError:
        return str(built)
    return f"{when.day} {when:%B %Y}"


def _year_entry(folder: Path, summary: dict[str, Any]) -> YearEntry:
    year = int(summary.get("year") or folder.name)
    headline = summary.get("headline") or []
    values = {
        str(h["label"]): format_headline(h.get("value"), h.get("unit"))
        for h in headline
        if isinstance(h, dict) and h.get("label")
    }
    files = {}
    if (folder / "index.html").is_file():
        files["html"] = "yes"
    if (folder / "report.pdf").is_file():
        files["pdf"] = _size(folder / "report.pdf")
    downloads = [
        {"href": f"{year}/{name}", "label": label, "kind": f"{kind}, {_size(folder / name)}"}
        for name, label, kind in _DOWNLOADS
        if (folder / name).is_file()
    ]
    return YearEntry(
        year=year,
        year_label=str(summary.get("year_label") or financial_year_label(year)),
        built=_built_label(summary.get("built", "")),
        values=values,
        labels=list(values),
        files=files,
        downloads=downloads,
        symbol=str(summary.get("symbol") or "*"),
    )


def read_summaries(reports_dir: Path) -> list[OrgEntry]:
    """Every built report under ``reports_dir``, grouped by organisation.

    Folders without a readable ``summary.json`` are skipped with a warning.

    Parameters
    ----------
    reports_dir
        The published reports folder.

    Returns
    -------
    list of OrgEntry
        Sorted by organisation name; years newest first.
    """
    orgs: dict[str, OrgEntry] = {}
    for path in sorted(Path(reports_dir).glob("*/*/summary.json")):
        try:
            summary = _checked_summary(path)
            entry = _year_entry(path.parent, summary)
        except (OSError, ValueError, KeyError, TypeError) as exc:
            log.warning("skipped %s: %s", path, exc)
            continue
        code = str(summary["org"])
        org = orgs.get(code)
        if org is None:
            org = orgs[code] = OrgEntry(
                code=code,
                name=str(summary.get("name") or code),
                type=str(summary.get("type") or ""),
                region=str(summary.get("region") or ""),
            )
        org.synthetic = org.synthetic or summary.get("synthetic") is True
        org.years.append(entry)
    for org in orgs.values():
        org.years.sort(key=lambda y: y.year, reverse=True)
    return sorted(orgs.values(), key=lambda o: (o.name.casefold(), o.code))


def _checked_summary(path: Path) -> dict[str, Any]:
    """A ``summary.json`` whose organisation code and year follow the rule of
    :mod:`edi_reports.codes` and match its own folder (``<ORG>/<YEAR>/summary.json``), as a
    regular file no larger than 1 MB; anything else is a ValueError (the folder is skipped).
    """
    from edi_reports.codes import is_org_code, is_year

    folder_org, folder_year = path.parent.parent.name, path.parent.name
    if path.is_symlink() or not path.is_file() or path.stat().st_size > 1_000_000:
        raise ValueError("summary.json is not a regular file of at most 1 MB")
    summary = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(summary, dict):
        raise ValueError("summary.json is not an object")
    org = str(summary.get("org") or folder_org)
    year = str(summary.get("year") or folder_year)
    if not (is_org_code(org) and org == folder_org and is_year(year) and year == folder_year):
        raise ValueError("the organisation code or year is not valid or not its folder's")
    summary["org"], summary["year"] = org, int(year)
    return summary


def _inside(root: Path, target: Path) -> Path:
    """``target`` if it resolves inside ``root``, else a ValueError (nothing is written)."""
    resolved = target.resolve()
    if not resolved.is_relative_to(root.resolve()):
        raise ValueError(f"refusing to write {target}: it is outside {root}")
    return target


def _labels(entries: list[YearEntry]) -> list[str]:
    """Headline labels in order of first appearance."""
    return list(dict.fromkeys(label for e in entries for label in e.labels))


def build_site(
    reports_dir: Path,
    *,
    title: str | None = None,
    settings: Settings = DEFAULT_SETTINGS,
    content_dir: Path | None = None,
    today: date | None = None,
    renderer: str | None = None,
) -> Path:
    """Write the website index, one equality information page per organisation and the
    accessibility statement.

    Parameters
    ----------
    reports_dir
        The published reports folder (``reports/``).
    title
        Title of the site index page (default: setting ``site.title``).
    settings
        The ``site`` settings (contact, accessibility statement) and thresholds.
    content_dir
        The organisations' own words (``content/``): commitment, objectives, contact,
        action plans. None: the pages say what is not supplied.
    today
        The date of the compliance check (default: today).
    renderer
        ``"auto"``, ``"quarto"`` or ``"offline"`` (None: ``EDI_RENDERER``, else auto). With
        Quarto the pages are rendered as one Quarto website project
        (:func:`edi_reports.rendering.quarto.render_site_quarto`), the same pages otherwise.

    Returns
    -------
    Path
        ``reports_dir/index.html``.
    """
    from edi_reports.rendering import quarto as quarto_render

    reports_dir = Path(reports_dir)
    use_quarto = quarto_render.resolve_renderer(renderer) == "quarto"
    pages: list[dict[str, Any]] = []  # rendered together at the end, by either renderer

    def emit(path: str, body: str, **shell: Any) -> None:
        pages.append({"path": path, "body": body, **shell})

    title = title or settings.site.title
    today = today or date.today()
    orgs = read_summaries(reports_dir)
    env = _jinja()
    a11y = [{"href": "../accessibility.html", "label": "Accessibility statement"}]
    for org in orgs:
        page_vars = equality_page.org_page(
            org, reports_dir, content_dir, settings=settings, today=today
        )
        plan_years = {p["year"] for p in page_vars["action_plans"]}
        body = env.get_template("site_org.html.j2").render(
            org=org,
            labels=_labels(org.years),
            page=page_vars,
            plan_years=plan_years,
            snapshot_day=settings.snapshot_day(),
        )
        emit(
            f"{org.code}/index.html",
            body,
            title=page_vars["title"],
            toc=page_vars["toc"],
            kicker=org.code + (f" · {org.type}" if org.type else ""),
            subtitle=org.region,
            description=page_vars["description"],
            breadcrumbs=[{"href": "../index.html", "label": title}],
            footer_links=[{"href": "../index.html", "label": "All organisations"}, *a11y],
            include_vega=page_vars["has_chart"],
            synthetic_note=(
                "The reports on this page were made from generated data for a fictional "
                "organisation, to show what the pipeline produces."
                if org.synthetic
                else ""
            ),
        )
    statement = equality_page.accessibility_statement(
        settings, org_names=[o.name for o in orgs], today=today
    )
    emit(
        "accessibility.html",
        statement,
        title=f"Accessibility statement for {title}",
        description=f"Accessibility statement for the {title} website",
        toc=[
            {"id": "how-accessible", "text": "How accessible this website is"},
            {"id": "feedback", "text": "Feedback and contact information"},
            {"id": "reporting", "text": "Reporting accessibility problems"},
            {"id": "enforcement", "text": "Enforcement procedure"},
            {"id": "technical", "text": "Technical information"},
            {"id": "preparation", "text": "Preparation of this statement"},
        ],
        breadcrumbs=[{"href": "index.html", "label": title}],
        footer_links=[{"href": "index.html", "label": "All organisations"}],
    )
    body = env.get_template("site_index.html.j2").render(
        orgs=orgs, labels=_labels([o.latest for o in orgs])
    )
    if not orgs:
        body = "<h2 id='organisations'>Organisations</h2><p>No reports have been built yet.</p>"
    emit(
        "index.html",
        body,
        title=title,
        description="Workforce equality reports: pay gaps, WRES, WDES and workforce profile",
        toc=[
            {"id": "organisations", "text": "Organisations"},
            {"id": "all-reports", "text": "All reports"},
        ]
        if orgs
        else None,
        footer_links=[{"href": "accessibility.html", "label": "Accessibility statement"}],
        synthetic_note=_site_synthetic_note(orgs),
    )
    for spec in pages:  # every page stays inside the reports folder, whichever renderer
        _inside(reports_dir, reports_dir / spec["path"])
    if use_quarto:
        quarto_render.render_site_quarto(pages, reports_dir, title=title, lang=config_lang())
    else:
        for spec in pages:
            shell = {k: v for k, v in spec.items() if k not in ("path", "body")}
            _atomic_write(reports_dir / spec["path"], render_page(spec["body"], **shell))
    return reports_dir / "index.html"


def _site_synthetic_note(orgs: list[OrgEntry]) -> str:
    """The index's synthetic-data sentence: empty when no organisation is synthetic."""
    fake = [o.name for o in orgs if o.synthetic]
    if not fake:
        return ""
    if len(fake) == len(orgs):
        return (
            "Every organisation on this site is fictional: the reports were made from "
            "generated data to show what the pipeline produces."
        )
    return (
        "These organisations are fictional, and their reports were made from generated data: "
        + ", ".join(fake)
        + ". The command edi clean-demo removes them."
    )
