"""Each organisation's equality information page, and what the equality duty asks of it.

An organisation's page on the website (``reports/<ORG>/index.html``) is the page a public
body puts online under the Public Sector Equality Duty: its aim and commitment, its equality
objectives and progress against them, its workforce by protected characteristic, its
headline pay gap, WRES and WDES figures with their status against last year, links to every
report, table and action plan, when it was published and when it will next be reviewed, and
how to ask for it in another format. The requirements it is checked against, with their
sources, are in ``docs/equality-duty.md``.

Figures come only from what each build published under ``reports/<ORG>/<YEAR>/``
(``summary.json`` and ``tables.csv``: rounded and disclosure-controlled), never from
``data/processed``. The organisation's own words come from ``content/<ORG>/``:

``commitment.md``
    The statement of aim and commitment (Markdown).
``objectives.yaml``
    Equality objectives, their period, when they were published and progress per year::

        published: 2024-03-28        # date published (reg 5: at least every four years)
        start: 2024-04-01            # period of the objectives
        end: 2028-03-31
        objectives:
          - title: Fair progression
            description: Close the gap between ...
            progress:                # by financial year, e.g. 2024/25 (or the year 2025)
              2024/25: Targets set for every care group ...

    ``objectives.md`` (free text, as in the reports) still works when there is no
    ``objectives.yaml``; the page then cannot check the four-year interval.
``contact.yaml``
    ``email``, ``phone``, ``response_days``: how to ask for another format (else the
    ``site`` settings).
``<YEAR>/actions.csv`` or ``actions.csv``
    The action plan, published in each year's report (section "Action plan").
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from edi_reports.config import DEFAULT_SETTINGS, Settings, financial_year_label
from edi_reports.errors import InputError
from edi_reports.report import charts, display
from edi_reports.report.trends import SUMMARY, status

__all__ = [
    "CHARACTERISTICS",
    "Contact",
    "Objective",
    "Objectives",
    "Requirement",
    "YearFacts",
    "accessibility_statement",
    "check_compliance",
    "characteristic_tables",
    "due_year",
    "headline_rows",
    "load_contact",
    "load_objectives",
    "objectives_markdown",
    "org_page",
    "read_tables",
    "write_demo_content",
    "year_facts",
]

log = logging.getLogger(__name__)

#: Protected characteristics in the order of the Equality Act 2010 s.4 list as published
#: by NHS bodies (profile measure id -> heading).
CHARACTERISTICS: dict[str, str] = {
    "age": "Age",
    "disability": "Disability",
    "gender_reassignment": "Gender reassignment",
    "marital_status": "Marriage and civil partnership",
    "pregnancy_maternity": "Pregnancy and maternity",
    "ethnicity": "Ethnic background",
    "religion_belief": "Religion or belief",
    "sex": "Sex",
    "sexual_orientation": "Sexual orientation",
}
#: Headline figures with their status against last year (measure ids of trends.SUMMARY).
HEADLINE_MEASURES: tuple[str, ...] = (
    "gpg.mean_hourly_gap",
    "gpg.median_hourly_gap",
    "epg.median_hourly_gap",
    "dpg.median_hourly_gap",
    "wres.1",
    "wres.2",
    "wres.3",
    "wres.4",
    "wdes.1",
    "wdes.2",
    "wdes.3",
)
#: Organisation types to which NHS England's WRES and WDES apply (NHS Standard Contract).
NHS_TYPES = re.compile(r"\b(nhs|trust|icb|integrated care board|ccg)\b", re.IGNORECASE)
#: Pay gaps the EDI improvement plan's high impact action 3 asks an improvement plan for,
#: and the year (31 March snapshot) from which each is due.
PAY_GAP_PLANS: tuple[tuple[str, str, int], ...] = (
    ("gender pay gap", "sex", 2024),
    ("ethnicity pay gap", "race", 2024),
    ("disability pay gap", "disability", 2025),
)
MAX_CONTENT_BYTES = 1_000_000
MAX_OBJECTIVES = 40
_YEAR_KEY = re.compile(r"^(\d{4})/(\d{2})$")
_DEMO_MARK = "# synthetic: written by edi demo for demonstration; replace with your own"


# --------------------------------------------------------------------------- content


@dataclass(frozen=True)
class Objective:
    """One equality objective: what, over which period, and progress by year label."""

    title: str
    description: str = ""
    start: date | None = None
    end: date | None = None
    progress: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Objectives:
    """The organisation's equality objectives (``objectives.yaml`` or ``objectives.md``)."""

    source: str
    published: date | None = None
    start: date | None = None
    end: date | None = None
    items: tuple[Objective, ...] = ()
    markdown: str = ""  # objectives.md, when that is the source


@dataclass(frozen=True)
class Contact:
    """How to ask for the information in another format."""

    email: str = ""
    phone: str = ""
    response_days: int = 10

    @property
    def given(self) -> bool:
        return bool(self.email or self.phone)


def _read_text(path: Path) -> str:
    from edi_reports.intake.limits import check_regular_file

    check_regular_file(path, path.parent, what="content")  # no link to the HR extract
    if path.stat().st_size > MAX_CONTENT_BYTES:
        raise InputError(
            str(path),
            f"is larger than {MAX_CONTENT_BYTES // 1000} KB",
            "keep the organisation's content short; link to longer documents instead",
        )
    return path.read_text(encoding="utf-8")


def _read_yaml(path: Path) -> Any:
    try:
        return yaml.safe_load(_read_text(path))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1})" if mark is not None else ""
        raise InputError(
            str(path),
            f"is not valid YAML{where}",
            "check the indentation and that text containing ':' is in quotes",
        ) from None


def _date(value: Any, path: Path, key: str) -> date | None:
    """A YAML date (``2024-03-28``) or None when absent."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise InputError(
            str(path), f"{value!r} is not a date", "write dates as 2024-03-28", column=key
        ) from None


def _year_label(key: Any, path: Path) -> str:
    """A progress key as a financial year label: ``2025`` or ``"2024/25"`` -> ``"2024/25"``."""
    text = str(key).strip()
    if text.isdigit() and len(text) == 4:
        return financial_year_label(int(text))
    m = _YEAR_KEY.match(text)
    if m and (int(m.group(1)) + 1) % 100 == int(m.group(2)):
        return text
    raise InputError(
        str(path),
        f"progress year {text!r} is not a financial year",
        "write the year as 2024/25 (or 2025, the year of the 31 March snapshot)",
        column="progress",
    )


def load_objectives(org_dir: Path) -> Objectives | None:
    """The organisation's equality objectives, or None when it has supplied none.

    ``objectives.yaml`` (structured: period, publication date, progress per year) is read
    when present, else ``objectives.md`` (free text). Reg 5 of SI 2017/353 asks for
    objectives at least every four years (docs/equality-duty.md).

    Parameters
    ----------
    org_dir
        ``content/<ORG>/``.

    Returns
    -------
    Objectives or None

    Raises
    ------
    InputError
        ``objectives.yaml`` is not valid, naming the key and how to fix it.
    """
    path = Path(org_dir) / "objectives.yaml"
    if not path.is_file():
        md = Path(org_dir) / "objectives.md"
        if md.is_file():
            from edi_reports.report.core import content_markdown

            _read_text(md)  # size check
            return Objectives(source="objectives.md", markdown=content_markdown(md, top_level=3))
        return None
    data = _read_yaml(path)
    if not isinstance(data, dict) or not isinstance(data.get("objectives"), list):
        raise InputError(
            str(path),
            "has no list of objectives",
            "write 'objectives:' followed by items '- title: ...' (see docs/equality-duty.md)",
            column="objectives",
        )
    unknown = set(data) - {"published", "start", "end", "objectives"}
    if unknown:
        raise InputError(
            str(path),
            f"unknown key(s) {sorted(unknown)}",
            "use published, start, end and objectives",
        )
    raw = data["objectives"]
    if not 1 <= len(raw) <= MAX_OBJECTIVES:
        raise InputError(
            str(path),
            f"has {len(raw)} objectives",
            f"give between 1 and {MAX_OBJECTIVES}",
            column="objectives",
        )
    start, end = _date(data.get("start"), path, "start"), _date(data.get("end"), path, "end")
    items = []
    for i, item in enumerate(raw, start=1):
        where = f"objectives[{i}]"
        if not isinstance(item, dict) or not str(item.get("title") or "").strip():
            raise InputError(
                str(path), f"objective {i} has no title", "give each objective a title", where
            )
        extra = set(item) - {"title", "description", "start", "end", "progress"}
        if extra:
            raise InputError(
                str(path),
                f"objective {i} has unknown key(s) {sorted(extra)}",
                "use title, description, start, end and progress",
                where,
            )
        progress = item.get("progress") or {}
        if not isinstance(progress, dict):
            raise InputError(
                str(path),
                f"objective {i}: progress is not a list of years",
                "write progress as '2024/25: what was done' lines",
                where,
            )
        items.append(
            Objective(
                title=str(item["title"]).strip(),
                description=str(item.get("description") or "").strip(),
                start=_date(item.get("start"), path, f"{where}.start") or start,
                end=_date(item.get("end"), path, f"{where}.end") or end,
                progress=tuple(
                    sorted(
                        ((_year_label(k, path), str(v or "").strip()) for k, v in progress.items()),
                    )
                ),
            )
        )
    for obj in items:
        if obj.start and obj.end and obj.end < obj.start:
            raise InputError(
                str(path),
                f"objective {obj.title!r} ends ({obj.end}) before it starts ({obj.start})",
                "check the start and end dates",
            )
    return Objectives(
        source="objectives.yaml",
        published=_date(data.get("published"), path, "published"),
        start=start,
        end=end,
        items=tuple(items),
    )


def _period(start: date | None, end: date | None) -> str:
    if start and end:
        return f"{start:%B %Y} to {end:%B %Y}"
    if start:
        return f"from {start:%B %Y}"
    if end:
        return f"until {end:%B %Y}"
    return "period not given"


def objectives_markdown(objectives: Objectives, heading_level: int = 3) -> str:
    """The objectives as Markdown (one heading per objective, its period and progress),
    for the report's "Equality objectives" section and the organisation page."""
    if objectives.source == "objectives.md":
        return objectives.markdown
    hashes = "#" * heading_level
    lines = []
    if objectives.published:
        lines.append(
            f"Published {objectives.published.day} {objectives.published:%B %Y}; "
            f"period {_period(objectives.start, objectives.end)}."
        )
    for obj in objectives.items:
        lines += ["", f"{hashes} {obj.title}", ""]
        lines.append(f"*Period: {_period(obj.start, obj.end)}.*")
        if obj.description:
            lines += ["", obj.description]
        if obj.progress:
            lines += ["", "Progress:", ""]
            lines += [
                f"- **{label}**: {text or 'no progress recorded'}" for label, text in obj.progress
            ]
        else:
            lines += ["", "No progress has been recorded yet."]
    return "\n".join(lines).strip()


def load_contact(org_dir: Path | None, settings: Settings = DEFAULT_SETTINGS) -> Contact:
    """``content/<ORG>/contact.yaml`` (``email``, ``phone``, ``response_days``), else the
    ``site`` settings."""
    site = settings.site
    default = Contact(site.contact_email, site.contact_phone, site.response_days)
    path = Path(org_dir) / "contact.yaml" if org_dir is not None else None
    if path is None or not path.is_file():
        return default
    data = _read_yaml(path) or {}
    if not isinstance(data, dict) or set(data) - {"email", "phone", "response_days"}:
        raise InputError(
            str(path), "has keys other than email, phone and response_days", "remove the others"
        )
    email = str(data.get("email") or "").strip()
    if email and ("@" not in email or any(c.isspace() for c in email)):
        raise InputError(str(path), f"{email!r} is not an email address", "", column="email")
    days = data.get("response_days", site.response_days)
    if not isinstance(days, int) or not 1 <= days <= 60:
        raise InputError(
            str(path), f"response_days {days!r} is not 1 to 60", "", column="response_days"
        )
    return Contact(
        email=email or default.email, phone=str(data.get("phone") or "").strip(), response_days=days
    )


def _commitment(org_dir: Path | None) -> str | None:
    path = Path(org_dir) / "commitment.md" if org_dir is not None else None
    if path is None or not path.is_file():
        return None
    from edi_reports.report.core import content_markdown

    _read_text(path)
    return content_markdown(path, top_level=3)


def _action_plan(org_dir: Path | None, year: int) -> pd.DataFrame | None:
    """The action plan of ``year`` (``<YEAR>/actions.csv``, else ``actions.csv``)."""
    if org_dir is None:
        return None
    for path in (Path(org_dir) / str(year) / "actions.csv", Path(org_dir) / "actions.csv"):
        if path.is_file():
            _read_text(path)
            return pd.read_csv(path, dtype=str, keep_default_na=False)
    return None


# --------------------------------------------------------------------------- published


def read_tables(folder: Path) -> pd.DataFrame | None:
    """A year's published ``tables.csv`` (every value a string; ``*`` = suppressed)."""
    path = Path(folder) / "tables.csv"
    if not path.is_file():
        return None
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    except (ValueError, OSError, UnicodeDecodeError) as exc:
        log.warning("skipped %s: %s", path, exc)
        return None
    missing = {"measure", "breakdown", "group", "value", "n"} - set(frame.columns)
    if missing:
        log.warning("skipped %s: no column(s) %s", path, sorted(missing))
        return None
    return frame


@dataclass
class YearFacts:
    """What one year's build published, as the compliance check needs it."""

    year: int
    built: date | None
    headcount: int | None = None
    employee_information: bool = False
    gpg: bool = False
    gpg_submission: bool = False
    wres: bool = False
    wdes: bool = False
    action_plan: bool = False
    pay_gap_actions: frozenset[str] = field(default_factory=frozenset)


def _built_date(text: Any) -> date | None:
    try:
        return datetime.fromisoformat(str(text).replace("Z", "+00:00")).date()
    except ValueError:
        return None


def _has_values(tables: pd.DataFrame | None, prefix: str) -> bool:
    if tables is None or tables.empty:
        return False
    rows = tables[tables["measure"].str.startswith(prefix)]
    return bool((rows["value"].str.strip() != "").any())


def year_facts(
    folder: Path, summary: dict[str, Any], tables: pd.DataFrame | None, org_dir: Path | None
) -> YearFacts:
    """The facts of one published year: build date, headcount, which figures it holds,
    whether it carries an action plan and which pay gaps that plan acts on."""
    year = int(summary.get("year") or Path(folder).name)
    headcount = None
    if tables is not None and not tables.empty:
        sex = tables[(tables["measure"] == "profile.sex") & (tables["breakdown"] == "overall")]
        counts = pd.to_numeric(sex["n"].str.replace(",", ""), errors="coerce").dropna()
        headcount = int(counts.iloc[0]) if len(counts) else None
    plan = _action_plan(org_dir, year)
    published = summary.get("content")
    has_plan = bool(published.get("actions")) if isinstance(published, dict) else plan is not None
    text = (
        " ".join(plan.astype(str).agg(" ".join, axis=1)).casefold()
        if plan is not None and has_plan
        else ""
    )
    return YearFacts(
        year=year,
        built=_built_date(summary.get("built")),
        headcount=headcount,
        employee_information=_has_values(tables, "profile."),
        gpg=_has_values(tables, "gpg."),
        gpg_submission=(Path(folder) / "gpg_submission.csv").is_file(),
        wres=_has_values(tables, "wres."),
        wdes=_has_values(tables, "wdes."),
        action_plan=has_plan,
        pay_gap_actions=frozenset(name for name, _, _ in PAY_GAP_PLANS if name in text),
    )


# --------------------------------------------------------------------------- compliance


@dataclass(frozen=True)
class Requirement:
    """One publication requirement and whether the published material meets it.

    ``status`` is ``met``, ``missing``, ``out of date``, ``check`` (cannot be confirmed
    from the published material) or ``not applicable``.
    """

    requirement: str
    source: str
    status: str
    detail: str

    @property
    def ok(self) -> bool:
        return self.status in {"met", "not applicable"}


def due_year(today: date, deadline: tuple[int, int]) -> int:
    """The latest snapshot year (31 March YEAR) whose publication deadline has passed.

    Parameters
    ----------
    today
        The date of the check.
    deadline
        ``(month, day)`` of the deadline in the snapshot year or the next: 31 October
        (WRES/WDES) falls in the snapshot year, 30 March (pay gaps, 12 months after the
        snapshot) in the next.

    Returns
    -------
    int
    """
    month, day = deadline
    in_next_year = (month, day) <= (3, 31)
    year = today.year - (1 if in_next_year else 0)
    if (today.month, today.day) <= (month, day):
        year -= 1
    return year


def _d(when: date) -> str:
    return f"{when.day} {when:%B %Y}"


def _add_months(when: date, months: int) -> date:
    y, m = divmod(when.month - 1 + months, 12)
    year, month = when.year + y, m + 1
    days = [31, 29 if year % 4 == 0 and (year % 100 or year % 400 == 0) else 28, 31, 30, 31]
    days += [30, 31, 31, 30, 31, 30, 31]
    return date(year, month, min(when.day, days[month - 1]))


def _fy(year: int) -> str:
    return financial_year_label(year)


def check_compliance(
    years: list[YearFacts],
    objectives: Objectives | None,
    contact: Contact,
    *,
    org_type: str,
    org_name: str = "",
    today: date,
    settings: Settings = DEFAULT_SETTINGS,
) -> list[Requirement]:
    """Which publication requirements the organisation's published material meets.

    The requirements and their sources are in ``docs/equality-duty.md``: SI 2017/353
    regs 4 to 6 (equality information at least every 12 months, with information about
    employees for bodies with 150 or more; objectives at least every four years; published
    so the public can get at it), Schedule 1 (gender pay gap within 12 months of the
    snapshot, bodies with 250 or more employees), NHS England's WRES and WDES (data and
    action plan on the website by 31 October) and high impact action 3 of the NHS EDI
    improvement plan (pay gap improvement plans).

    Parameters
    ----------
    years
        What each built year published (:func:`year_facts`), any order.
    objectives
        :func:`load_objectives`, or None.
    contact
        :func:`load_contact`.
    org_type, org_name
        From ``summary.json``: WRES/WDES apply to NHS bodies.
    today
        The date of the check.
    settings
        Uses ``profile.psed_min_employees`` and ``gpg.statutory_min_employees``.

    Returns
    -------
    list of Requirement
        In the order above; ``check`` and ``not applicable`` where the published material
        cannot say.
    """
    if not years:
        return [
            Requirement(
                "Equality information published",
                "SI 2017/353 reg 4",
                "missing",
                "No report has been built for this organisation.",
            )
        ]
    by_year = {y.year: y for y in years}
    nhs = bool(NHS_TYPES.search(org_type) or NHS_TYPES.search(org_name))
    return [
        _annual_information(years, today),
        _employee_information(by_year, today, settings.profile.psed_min_employees),
        _objectives_interval(objectives, today),
        _accessible_publication(contact),
        _gender_pay_gap(by_year, today, settings.gpg.statutory_min_employees),
        _standard(by_year, today, "WRES", nhs, settings),
        _standard(by_year, today, "WDES", nhs, settings),
        _pay_gap_plans(by_year[max(by_year)], nhs),
    ]


def _annual_information(years: list[YearFacts], today: date) -> Requirement:
    """SI 2017/353 reg 4(2)(b): equality information at intervals of at most one year."""
    name, source = "Equality information published in the last 12 months", "SI 2017/353 reg 4(2)"
    built = [y.built for y in years if y.built is not None]
    if not built:
        return Requirement(name, source, "check", "The reports carry no publication date.")
    last = max(built)
    due = _add_months(last, 12)
    if today <= due:
        return Requirement(
            name, source, "met", f"Last published {_d(last)}; next due by {_d(due)}."
        )
    return Requirement(
        name, source, "out of date", f"Last published {_d(last)}; it was due again by {_d(due)}."
    )


def _employee_information(
    by_year: dict[int, YearFacts], today: date, threshold: int
) -> Requirement:
    """SI 2017/353 reg 4(3)(a), (4): information about employees every year (150 or more).

    Every year from the first built to the latest whose pay gap deadline has passed must
    hold published profile figures."""
    name = "Information about employees by protected characteristic, every year"
    source = "SI 2017/353 reg 4(3)-(4)"
    headcount = by_year[max(by_year)].headcount
    if headcount is not None and headcount < threshold:
        return Requirement(
            name,
            source,
            "not applicable",
            f"{headcount:,} employees: the duty applies from {threshold}. "
            "The workforce is still shown, with small groups suppressed.",
        )
    first = min(by_year)
    wanted = range(first, max(max(by_year), due_year(today, (3, 30))) + 1)
    gaps = [y for y in wanted if not (y in by_year and by_year[y].employee_information)]
    if gaps:
        missing = ", ".join(_fy(y) for y in gaps)
        return Requirement(name, source, "missing", f"No employee information for {missing}.")
    span = _fy(first) if len(wanted) == 1 else f"{_fy(first)} to {_fy(max(wanted))}"
    return Requirement(name, source, "met", f"Published for every year from {span}.")


def _objectives_interval(objectives: Objectives | None, today: date) -> Requirement:
    """SI 2017/353 reg 5: equality objectives at intervals of at most four years."""
    name, source = "Equality objectives published in the last four years", "SI 2017/353 reg 5"
    if objectives is None:
        return Requirement(name, source, "missing", "No equality objectives have been supplied.")
    if objectives.published is None:
        return Requirement(
            name,
            source,
            "check",
            "The objectives carry no publication date, so the four-year interval cannot be "
            "checked: give them one in objectives.yaml.",
        )
    due = _add_months(objectives.published, 48)
    if today <= due:
        return Requirement(
            name,
            source,
            "met",
            f"Published {_d(objectives.published)}; new objectives due by {_d(due)}.",
        )
    return Requirement(
        name,
        source,
        "out of date",
        f"Published {_d(objectives.published)}; new objectives were due by {_d(due)}.",
    )


def _accessible_publication(contact: Contact) -> Requirement:
    """SI 2017/353 reg 6 and SI 2018/952: published so the public can get at it."""
    detail = "Web pages checked against WCAG 2.2 AA, tagged PDF, accessibility statement; "
    if contact.given:
        detail += "requests for another format go to the contact below."
    else:
        detail += (
            "no contact is given for requests in another format (contact.yaml or the site "
            "settings)."
        )
    return Requirement(
        "Published in a manner accessible to the public",
        "SI 2017/353 reg 6; SI 2018/952",
        "met" if contact.given else "missing",
        detail,
    )


def _gender_pay_gap(by_year: dict[int, YearFacts], today: date, threshold: int) -> Requirement:
    """SI 2017/353 Schedule 1 para 2: the six figures within 12 months of the snapshot
    (bodies with 250 or more employees)."""
    name = "Gender pay gap figures within 12 months of the snapshot date"
    source = "SI 2017/353 Schedule 1"
    headcount = by_year[max(by_year)].headcount
    if headcount is not None and headcount < threshold:
        return Requirement(
            name,
            source,
            "not applicable",
            f"{headcount:,} employees: the duty applies from {threshold}.",
        )
    due = due_year(today, (3, 30))
    if due < min(by_year):
        return Requirement(name, source, "met", "Not yet due.")
    facts = by_year.get(due)
    if facts is None or not facts.gpg:
        return Requirement(
            name,
            source,
            "missing",
            f"{_fy(due)} figures not published (due by 30 March {due + 1}).",
        )
    upload = (
        "; gpg_submission.csv holds them for the GOV.UK service." if facts.gpg_submission else "."
    )
    return Requirement(name, source, "met", f"{_fy(due)} figures published{upload}")


def _standard(
    by_year: dict[int, YearFacts], today: date, label: str, nhs: bool, settings: Settings
) -> Requirement:
    """NHS England's WRES or WDES: data and action plan on the website by the publication day
    (``standards.publication_day``, 31 October by default; methodology §3)."""
    deadline = settings.standards.publication_day
    name = f"{label} data and action plan published by {deadline}"
    source = f"NHS England {label}; NHS Standard Contract"
    if not nhs:
        return Requirement(name, source, "not applicable", "Not an NHS organisation.")
    attr = label.lower()
    due = due_year(today, settings.publication_deadline())
    year = due if due >= min(by_year) else max(by_year)
    facts = by_year.get(year)
    if facts is None or not getattr(facts, attr):
        shown = [y for y in sorted(by_year) if getattr(by_year[y], attr)]
        latest = f"; the latest published are {_fy(shown[-1])}." if shown else "."
        return Requirement(
            name,
            source,
            "missing",
            f"No {label} figures for {_fy(year)} (due by {deadline} {year}){latest}",
        )
    if not facts.action_plan:
        return Requirement(
            name,
            source,
            "missing",
            f"{_fy(year)} figures published, but the report has no action plan.",
        )
    return Requirement(name, source, "met", f"{_fy(year)} figures and action plan published.")


def _pay_gap_plans(latest: YearFacts, nhs: bool) -> Requirement:
    """NHS EDI improvement plan, high impact action 3: improvement plans for the sex and
    race pay gaps (from 2024) and the disability pay gap (from 2025)."""
    name = "Pay gap improvement plan for sex, race and disability"
    source = "NHS EDI improvement plan, high impact action 3"
    if not nhs:
        return Requirement(name, source, "not applicable", "Not an NHS organisation.")
    if not latest.action_plan:
        return Requirement(
            name, source, "missing", f"The {_fy(latest.year)} report has no action plan."
        )
    lacking = [
        gap
        for gap, _, from_year in PAY_GAP_PLANS
        if from_year <= latest.year and gap not in latest.pay_gap_actions
    ]
    if lacking:
        return Requirement(
            name,
            source,
            "missing",
            f"The {_fy(latest.year)} action plan has no action on the "
            + " or the ".join(lacking)
            + ".",
        )
    return Requirement(
        name, source, "met", f"The {_fy(latest.year)} action plan acts on each pay gap due."
    )


# --------------------------------------------------------------------------- figures


def headline_rows(latest: pd.DataFrame | None, previous: pd.DataFrame | None) -> pd.DataFrame:
    """Headline pay gap, WRES and WDES figures: this year, last year, status.

    The published values of both years (:mod:`edi_reports.report.trends`), for the measures of
    :data:`HEADLINE_MEASURES` present in this year's tables.
    """
    from edi_reports.report.trends import _shown, lookup

    records = []
    for ind in SUMMARY:
        if ind.measure not in HEADLINE_MEASURES:
            continue
        this = lookup(latest, ind)
        if this is None:
            continue
        last = lookup(previous, ind)
        records.append(
            {
                "Figure": ind.label,
                "This year": _shown(this, ind.unit),
                "Last year": _shown(last, ind.unit) if previous is not None else "not available",
                "Status": status(this, last, ind.better, ind.unit),
            }
        )
    return pd.DataFrame.from_records(
        records, columns=["Figure", "This year", "Last year", "Status"]
    )


@dataclass
class CharacteristicTable:
    """One protected characteristic across the years built (published shares)."""

    key: str
    heading: str
    table: pd.DataFrame  # Group, then "<year label> (%)" per year, oldest first
    chart_data: pd.DataFrame  # Group, Year, Share (%) (numbers only)
    latest_label: str
    headcount: str
    finding: str


def characteristic_tables(
    tables: dict[int, pd.DataFrame],
) -> tuple[list[CharacteristicTable], list[str]]:
    """The workforce by each protected characteristic, every year built.

    Parameters
    ----------
    tables
        Published tables by year (``tables.csv``), any order.

    Returns
    -------
    tuple
        The characteristics with published shares, in :data:`CHARACTERISTICS` order, and
        the headings of those the data do not hold in the latest year.
    """
    years = sorted(tables)
    latest = years[-1]
    shown, absent = [], []
    for key, heading in CHARACTERISTICS.items():
        per_year = {}
        for y in years:
            t = tables[y]
            rows = t[(t["measure"] == f"profile.{key}") & (t["breakdown"] == "overall")]
            rows = rows[rows["group"].str.strip() != ""]
            if len(rows):
                per_year[y] = rows
        if latest not in per_year:
            absent.append(heading)
            continue
        groups = list(
            dict.fromkeys(g for y in years if y in per_year for g in per_year[y]["group"])
        )
        table = pd.DataFrame({"Group": groups})
        long = []
        for y in years:
            col = f"{financial_year_label(y)} (%)"
            values = (
                dict(zip(per_year[y]["group"], per_year[y]["value"], strict=True))
                if y in per_year
                else {}
            )
            table[col] = [
                (values.get(g) or "not calculable") if g in values else "n/a" for g in groups
            ]
            for g in groups:
                number = pd.to_numeric(values.get(g, ""), errors="coerce")
                if pd.notna(number):
                    long.append({"Group": g, "Year": financial_year_label(y), "Share (%)": number})
        rows = per_year[latest]
        n = rows["n"].iloc[0]
        chart_data = pd.DataFrame.from_records(long, columns=["Group", "Year", "Share (%)"])
        latest_nums = chart_data[chart_data["Year"] == financial_year_label(latest)]
        if latest_nums.empty:
            finding = (
                f"Every {heading.lower()} group is suppressed in {financial_year_label(latest)}."
            )
        else:
            top = latest_nums.loc[latest_nums["Share (%)"].idxmax()]
            finding = (
                f"{heading}, {financial_year_label(latest)}: the largest group is "
                f"{top['Group']} ({top['Share (%)']:.1f}% of {n} staff)"
            )
            if len(years) > 1:
                first = chart_data[
                    (chart_data["Year"] == financial_year_label(years[0]))
                    & (chart_data["Group"] == top["Group"])
                ]
                if len(first):
                    finding += (
                        f", {first['Share (%)'].iloc[0]:.1f}% in {financial_year_label(years[0])}"
                    )
            finding += "."
        shown.append(
            CharacteristicTable(
                key=key,
                heading=heading,
                table=table,
                chart_data=chart_data,
                latest_label=financial_year_label(latest),
                headcount=str(n),
                finding=finding,
            )
        )
    return shown, absent


# --------------------------------------------------------------------------- page


def _status_text(req: Requirement) -> str:
    return {"met": "Met", "not applicable": "Not applicable", "check": "To check"}.get(
        req.status, req.status.capitalize()
    )


def org_page(
    org: Any,
    reports_dir: Path,
    content_dir: Path | None,
    *,
    settings: Settings = DEFAULT_SETTINGS,
    today: date | None = None,
) -> dict[str, Any]:
    """Everything the organisation page template needs.

    Parameters
    ----------
    org
        :class:`edi_reports.rendering.site.OrgEntry` (its years newest first).
    reports_dir
        The published reports folder.
    content_dir
        The content folder (``content/``), or None.
    settings
        The ``site`` settings and thresholds.
    today
        The date of the compliance check (default: today).

    Returns
    -------
    dict
        Template variables: ``commitment``, ``objectives`` (HTML), ``compliance``,
        ``characteristics`` (HTML of each figure), ``headline`` (HTML table), ``published``,
        ``next_review``, ``contact``, ``action_plans``, ``title``, ``description``, ``toc``,
        ``has_chart``.
    """
    today = today or date.today()
    org_dir = Path(content_dir) / org.code if content_dir is not None else None
    folders = {y.year: Path(reports_dir) / org.code / str(y.year) for y in org.years}
    summaries: dict[int, dict[str, Any]] = {}
    for y, folder in folders.items():
        try:
            summaries[y] = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            summaries[y] = {}
    tables = {y: read_tables(f) for y, f in folders.items()}
    facts = [year_facts(folders[y], summaries[y], tables[y], org_dir) for y in folders]
    objectives = load_objectives(org_dir) if org_dir is not None else None
    contact = load_contact(org_dir, settings)
    latest_year = org.latest.year
    latest_label = org.latest.year_label
    compliance = check_compliance(
        facts,
        objectives,
        contact,
        org_type=org.type,
        org_name=org.name,
        today=today,
        settings=settings,
    )
    published = max((f.built for f in facts if f.built), default=None)
    next_review = _add_months(published, settings.site.review_months) if published else None
    built_tables = {y: t for y, t in tables.items() if t is not None}
    figures: list[dict[str, str]] = []
    absent: list[str] = []
    if built_tables:
        chars, absent = characteristic_tables(built_tables)
        for c in chars:
            chart_html = ""
            if len(c.chart_data):
                spec = display.chart_spec(
                    charts.bar_chart(
                        c.chart_data,
                        category="Group",
                        value="Share (%)",
                        color="Year" if c.chart_data["Year"].nunique() > 1 else None,
                        title=c.heading,
                    )
                )
                # long group names ("I do not wish to disclose my religion/belief") are cut
                # short on the drawing so it fits a phone; the data table gives them whole
                spec.setdefault("config", {}).setdefault("axisY", {})["labelLimit"] = 110
                chart_html = display.chart(
                    spec,
                    alt=c.finding,
                    caption=f"{c.heading}: share of staff by group, {_years_span(built_tables)}",
                    data=c.table,
                    data_caption=f"{c.heading}: % of staff in post on {settings.snapshot_day()}, by year",
                ).html
            else:
                chart_html = display.table(
                    c.table,
                    caption=f"{c.heading}: % of staff in post on {settings.snapshot_day()}, by year",
                ).html
            figures.append(
                {
                    "id": f"char-{c.key.replace('_', '-')}",
                    "heading": c.heading,
                    "html": chart_html,
                    "headcount": c.headcount,
                }
            )
    previous = tables.get(latest_year - 1)
    head = headline_rows(tables.get(latest_year), previous)
    headline_html = (
        display.table(
            head,
            caption=f"Headline figures for {org.name}, {latest_label} against "
            f"{financial_year_label(latest_year - 1)}",
            notes="Status compares with last year in the direction that is better for each "
            "figure: pay gaps closer to 0; relative likelihoods closer to 1.00; shares of "
            "BME and Disabled staff higher. * = suppressed to protect privacy.",
        ).html
        if len(head)
        else ""
    )
    action_plans = [
        {"year": f.year, "label": financial_year_label(f.year)}
        for f in sorted(facts, key=lambda f: f.year, reverse=True)
        if f.action_plan and (folders[f.year] / "index.html").is_file()
    ]
    commitment = _commitment(org_dir)
    objectives_html = (
        display.markdown_to_html(objectives_markdown(objectives)) if objectives else ""
    )
    toc = [
        {"id": "commitment", "text": "Our aim and commitment"},
        {"id": "duty-check", "text": "What the equality duty asks"},
        {"id": "objectives", "text": "Equality objectives"},
        {"id": "workforce", "text": "Our workforce at a glance"},
    ]
    if headline_html:
        toc.append({"id": "headline", "text": "Pay gaps, WRES and WDES"})
    toc += [
        {"id": "reports", "text": "Reports"},
    ]
    if len(org.years) > 1 and any(y.labels for y in org.years):
        toc.append({"id": "headline-trends", "text": "Headline figures over time"})
    toc.append({"id": "other-formats", "text": "Other formats"})
    return {
        "title": f"{org.name}: equality information {latest_label}",
        "description": (
            f"Equality information for {org.name}, {latest_label}: equality objectives, "
            "workforce by protected characteristic, gender, ethnicity and disability pay "
            "gaps, WRES and WDES, with reports and action plans."
        ),
        "commitment": display.markdown_to_html(commitment) if commitment else "",
        "objectives": objectives_html,
        "objectives_source": objectives.source if objectives else "",
        "compliance": compliance,
        "compliance_flags": sum(not r.ok for r in compliance),
        "status_text": _status_text,
        "figures": figures,
        "absent": absent,
        "headline": headline_html,
        "published": _d(published) if published else "not recorded",
        "next_review": _d(next_review) if next_review else "not recorded",
        "contact": contact,
        "action_plans": action_plans,
        "latest_label": latest_label,
        "years_span": _years_span(built_tables) if built_tables else latest_label,
        "checked": _d(today),
        "toc": toc,
        "has_chart": any("edi-chart" in f["html"] for f in figures),
    }


def _years_span(tables: dict[int, Any]) -> str:
    years = sorted(tables)
    first, last = financial_year_label(years[0]), financial_year_label(years[-1])
    return first if first == last else f"{first} to {last}"


# --------------------------------------------------------------------------- statement


def accessibility_statement(
    settings: Settings = DEFAULT_SETTINGS, *, org_names: list[str], today: date
) -> str:
    """The accessibility statement's body, in the form of GOV.UK's model statement
    (SI 2018/952 reg 8: non-accessible content and why, a contact for problems and
    requests, and a link to the enforcement procedure), filled from the ``site`` settings.

    Returns
    -------
    str
        HTML for the page's ``<main>`` (no ``<h1>``).
    """
    from edi_reports.rendering.offline import _jinja

    site = settings.site
    tested_on = _d(date.fromisoformat(site.tested_on)) if site.tested_on else ""
    listed = bool(site.known_issues)
    return (
        _jinja()
        .get_template("site_accessibility.html.j2")
        .render(
            site=site,
            operator=site.operator or "the organisations whose reports it publishes",
            committed=f"{site.operator} is"
            if site.operator
            else "The organisations whose reports this website publishes are",
            orgs=org_names,
            tested_on=tested_on,
            prepared=_d(today),
            status_sentence={
                "fully": "This website is fully compliant with the Web Content Accessibility "
                "Guidelines version 2.2 AA standard.",
                "partially": "This website is partially compliant with the Web Content "
                "Accessibility Guidelines version 2.2 AA standard"
                + (
                    ", due to the non-compliances listed below."
                    if listed
                    else ": the tests below found no non-compliance, but it has not had a "
                    "full audit."
                ),
                "not": "This website is not compliant with the Web Content Accessibility "
                "Guidelines version 2.2 AA standard. The non-compliances are listed below.",
            }[site.compliance_status],
        )
    )


# --------------------------------------------------------------------------- demo content


_DEMO: dict[str, dict[str, Any]] = {
    # A trust whose objectives are current: the panel shows what "met" looks like.
    "DEMO1": {"published": "2024-03-28", "start": "2024-04-01", "end": "2028-03-31"},
    # The ICB's objectives date from 2021: more than four years old, so the panel flags
    # them (deliberately left out of date in the demo).
    "DEMO2": {"published": "2021-03-30", "start": "2021-04-01", "end": "2025-03-31"},
}

_DEMO_OBJECTIVES = (
    (
        "Workforce",
        "Improve the recruitment, retention, progression and experience of staff who share "
        "a protected characteristic, so that the organisation becomes an inclusive employer "
        "of choice.",
        "Inclusive recruitment training for every shortlisting panel chair; the relative "
        "likelihood of appointment from shortlisting is published each year.",
    ),
    (
        "Representation in senior roles",
        "Move the share of ethnic-minority and Disabled staff at band 8a and above towards "
        "their share of the whole workforce.",
        "Talent conversations offered to every member of the staff networks at band 6 and "
        "above; board shadowing places filled.",
    ),
    (
        "Fair pay",
        "Reduce the gender, ethnicity and disability pay gaps every year, starting with "
        "how senior roles and awards are filled.",
        "Pay gap analysis by pay band shared with the staff partnership group; starting "
        "salaries reviewed.",
    ),
    (
        "Capability",
        "Build the organisation's understanding of the equality duty, including equality "
        "impact assessment before decisions are made.",
        "Equality impact assessment guidance rewritten and taught to policy authors.",
    ),
)

_DEMO_COMMITMENT = """{mark}

We want our workforce to reflect the communities we serve, and every colleague to be
treated with respect and able to give their best. This is a synthetic statement written
for demonstration; it is not the view of {name}.

We commit to:

- a workplace free of bullying, harassment, victimisation and unlawful discrimination;
- training, development and progression open to all staff;
- equality impact assessment of new strategies, policies and services before decisions
  are made;
- monitoring our workforce every year by age, sex, ethnic background, sexual orientation,
  religion or belief and disability, and publishing what we find on this page.
"""


def write_demo_content(content_dir: Path) -> list[Path]:
    """The demo organisations' equality page content (``edi demo``).

    Writes ``commitment.md`` and ``contact.yaml`` for each demo organisation, and
    ``objectives.yaml`` for DEMO1 (current) and DEMO2 (published in 2021, so its compliance
    panel flags objectives more than four years old). DEMO3 keeps the free-text
    ``objectives.md`` written by :mod:`edi_reports.intake.synth`. A file that exists and was not
    written here (no synthetic mark) is left alone: it belongs to a real EDI team.

    Returns
    -------
    list of Path
        The files written.
    """
    from edi_reports.intake.synth import DEMO_ORGS

    written = []
    for code, name, *_ in DEMO_ORGS:
        base = Path(content_dir) / code
        files = {
            "commitment.md": _DEMO_COMMITMENT.format(
                mark=f"<!-- {_DEMO_MARK.lstrip('# ')} -->", name=name
            ),
            "contact.yaml": f"{_DEMO_MARK}\nemail: equality@{code.lower()}.example.org\n"
            "phone: 01632 960 000\nresponse_days: 10\n",
        }
        if code in _DEMO:
            files["objectives.yaml"] = _demo_objectives(**_DEMO[code])
        for fname, text in files.items():
            path = base / fname
            if path.exists() and _DEMO_MARK.lstrip("# ") not in path.read_text(
                encoding="utf-8", errors="replace"
            ):
                continue
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            written.append(path)
    return written


def _demo_objectives(published: str, start: str, end: str) -> str:
    first = int(start[:4]) + 1  # first financial year of the period, as a snapshot year
    last = int(end[:4])
    years = [y for y in range(first, last + 1) if y <= 2025][-2:]
    items = []
    for title, description, progress in _DEMO_OBJECTIVES:
        steps = [f"Started: {progress[0].lower()}{progress[1:]}", progress]
        items.append(
            {
                "title": title,
                "description": description,
                "progress": {financial_year_label(y): steps[i] for i, y in enumerate(years[-2:])},
            }
        )
    data = {"published": published, "start": start, "end": end, "objectives": items}
    body = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=88)
    return f"{_DEMO_MARK}\n{body}"
