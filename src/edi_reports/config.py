"""Paths and settings.

Every path is a :class:`pathlib.Path` from the project root (cookiecutter-data-science
style) and every rule that the methodology marks "unconfirmed: keep configurable" is a field of
:class:`Settings` whose default is the binding default of methodology §12.3.

A settings file (YAML) may override any field, e.g. ``edi build --config edi.yml``::

    epg:
      reference_group: White
    rounding:
      pairs: half_even
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from edi_reports.config_validate import _MONTHS, REPORT_SECTIONS


def _find_root() -> Path:
    """The project root: ``EDI_ROOT`` if set, else the folder holding ``pyproject.toml``
    above this file (a source checkout), else the working directory."""
    env = os.environ.get("EDI_ROOT")
    if env:
        return Path(env).resolve()
    here = Path(__file__).resolve()
    for parent in here.parents:
        if (parent / "pyproject.toml").exists() and (parent / "notebooks").is_dir():
            return parent
    return Path.cwd().resolve()


PROJ_ROOT: Path = _find_root()
RAW_DIR: Path = PROJ_ROOT / "data" / "raw"
PROCESSED_DIR: Path = PROJ_ROOT / "data" / "processed"
REPORTS_DIR: Path = PROJ_ROOT / "reports"
CONTENT_DIR: Path = PROJ_ROOT / "content"
NOTEBOOKS_DIR: Path = PROJ_ROOT / "notebooks"
EXPECTATIONS_DIR: Path = PROJ_ROOT / "expectations"
QUARTO_CONFIG: Path = PROJ_ROOT / "_quarto.yml"


@dataclass(frozen=True)
class Paths:
    """Where one run reads and writes; every folder can be redirected from the command line."""

    raw: Path = RAW_DIR
    processed: Path = PROCESSED_DIR
    reports: Path = REPORTS_DIR
    content: Path = CONTENT_DIR
    notebooks: Path = NOTEBOOKS_DIR
    expectations: Path = EXPECTATIONS_DIR

    def raw_for(self, org: str, year: int) -> Path:
        return self.raw / org / str(year)

    def processed_for(self, org: str, year: int) -> Path:
        return self.processed / org / str(year)

    def reports_for(self, org: str, year: int) -> Path:
        return self.reports / org / str(year)

    def content_for(self, org: str, year: int) -> list[Path]:
        """Narrative folders, most specific first (``content/ORG/YEAR`` then ``content/ORG``)."""
        return [self.content / org / str(year), self.content / org]


@dataclass(frozen=True)
class Rounding:
    """methodology §0.2."""

    percent_dp: int = 1
    mode: str = "half_up"  # or "half_even"
    pairs: str = "complement"  # or "half_even"
    multi_group: str = "independent"  # or "largest_remainder"
    ratio_dp: int = 2
    pp_dp: int = 1


@dataclass(frozen=True)
class GPG:
    """methodology §1."""

    snapshot_month_day: tuple[int, int] = (3, 31)  # 31 March; (4, 5) for the private sector
    statutory_min_employees: int = 250  # §1.1: the duty falls on bodies with 250+ employees
    sex_source: str = "legal_sex"
    tie_precision_dp: int | None = 4  # None = exact
    tie_allocation: str = "largest_remainder_lower_first"
    employer_size_bands: tuple[int, ...] = (250, 500, 1000, 5000, 20000)
    undefined: str = "null_warning"  # methodology §0.1 gap.undefined


@dataclass(frozen=True)
class EPG:
    """methodology §2."""

    reference_group: str = "White British"  # or "White"
    comparison_groups: str = "high_level_and_bme"  # or "categories", "bme_only"
    # Smallest group for publishing an ethnicity pay gap. 10, as the 2026 government
    # response sets for the statutory figures (docs/methodology-2026.md §2.4, §2.8); the
    # earlier 50 came from unchecked secondary summaries of the 2023 voluntary guidance.
    min_group_publish: int = 10  # 10 per compared group (2026 rules §2.4; was 50)
    min_group_internal: int = 10
    unknown_in_quartiles: bool = True
    code_R_group: str = "Other"  # or "Asian" (Census 2021)
    # ESR local codes C2, CA, CB, CC, CD (Northern Irish, English, Scottish, Welsh, Cornish)
    # read as White British (A); false rolls them up to C as the Data Dictionary does
    british_local_codes_white_british: bool = True


@dataclass(frozen=True)
class WorkforceStandards:
    """methodology §3-§4 (WRES and WDES)."""

    clinical_source: str = "staff_group"
    recruitment_posts: str = "internal_and_external"
    casework_window_years: int = 2
    board_breakdowns: tuple[str, ...] = (
        "total",
        "voting",
        "non_voting",
        "executive",
        "non_executive",
    )
    rl_adverse_band: tuple[float, float] | None = (0.80, 1.25)
    wdes2_caveat: bool = True
    publication_day: str = "31 October"


@dataclass(frozen=True)
class Disclosure:
    """methodology §6.2."""

    suppress_max: int = 7
    round_base: int = 5
    min_group_stat: int = 10
    staff_survey_min: int = 11
    secondary_suppression: bool = True
    symbol: str = "*"  # never starting with = + - @ tab or CR (a spreadsheet formula)
    allow_weaker_privacy: bool = False  # true lets settings go below the floors, loudly
    # WRES 9 / WDES 10: board members are public office-holders, so board counts and
    # percentages are published in full; False restores count suppression of the board
    # side (docs/methodology-2026.md §6.1). The workforce side is always controlled.
    board_in_full: bool = True  # WRES 9 / WDES 10 board side in full (2026 rules §6.1)


@dataclass(frozen=True)
class Limits:
    """Bounds on every input file, so an accidental or hostile file is refused in seconds
    with a plain message instead of exhausting the machine (:mod:`edi_reports.intake.limits`).

    The largest NHS trusts employ about 40,000 staff; the defaults leave more than ten
    times that headroom for the longest input (recruitment applications, training rows).
    """

    max_file_mb: int = 100  # any one input file, CSV or .xlsx, on disk
    max_rows: int = 500_000  # data rows in one file
    max_columns: int = 200  # columns in one file (the data contract has about 40)
    max_cell_chars: int = 5_000  # characters in one cell
    max_xlsx_uncompressed_mb: int = 60  # what a workbook expands to when unzipped
    max_xlsx_ratio: int = 200  # uncompressed size over compressed size, per zip member
    blank_run_rows: int = 1_000  # a run of blank rows this long ends a worksheet's data
    max_content_kb: int = 512  # one narrative file in content/ (summary.md, actions.csv...)


@dataclass(frozen=True)
class Uncertainty:
    """methodology §8."""

    enabled: bool = False
    zero_cells: str = "n/a"  # or "haldane"
    bootstrap_reps: int = 2000
    seed: int = 20240331
    # Year-on-year status with a test of whether the change is larger than chance
    # (docs/methodology-2026.md §8.1); False shows the plain change only.
    year_on_year_test: bool = True  # better / worse only beyond chance (2026 rules §8.1)


@dataclass(frozen=True)
class Statutory:
    """Statutory ethnicity and disability pay gaps (docs/methodology-2026.md §2.8)."""

    enabled: bool = True  # the statutory tables and epg/dpg_submission.csv
    min_employees: int = 250  # the duty falls on employers with 250+ employees
    min_group: int = 10  # each compared group needs at least this many employees

    def __post_init__(self) -> None:
        for name in ("min_employees", "min_group"):
            value = getattr(self, name)
            if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                raise ValueError(f"statutory.{name} must be a whole number of at least 1")


@dataclass(frozen=True)
class Intersection:
    """methodology §9."""

    comparison: str = "combined_reference"  # or "within_second"
    label_order: tuple[str, ...] = ("ethnicity", "disability", "sexual_orientation", "sex")


@dataclass(frozen=True)
class Profile:
    """methodology §10."""

    psed_min_employees: int = 150
    include_bank: bool = False


#: Compliance statuses of the GOV.UK model accessibility statement.
COMPLIANCE_STATUSES: tuple[str, ...] = ("fully", "partially", "not")


@dataclass(frozen=True)
class Site:
    """The website: equality information pages and the accessibility statement.

    Filled into ``reports/accessibility.html`` in the form of GOV.UK's model accessibility
    statement and into each organisation page's "another format" section (see
    ``docs/equality-duty.md``). Not part of the report fingerprint: changing these
    rebuilds the website only.
    """

    title: str = "Workforce equality reports"  # the site index title
    operator: str = ""  # who runs the website; blank: the organisations it publishes
    contact_email: str = ""  # requests for another format and accessibility problems
    contact_phone: str = ""
    response_days: int = 10  # working days to reply to a request
    review_months: int = 12  # next review = published + this; SI 2017/353 reg 4: at most 12
    compliance_status: str = "partially"  # "fully" | "partially" | "not" (WCAG 2.2 AA)
    known_issues: tuple[str, ...] = ()  # content that fails, with the WCAG criterion
    tested_on: str = ""  # ISO date the pages were last tested; blank: the site build date
    tested_by: str = ""  # who tested, and how; blank: the pipeline's automated checks

    def __post_init__(self) -> None:
        if isinstance(self.tested_on, date):  # YAML reads 2025-06-30 as a date
            object.__setattr__(self, "tested_on", self.tested_on.isoformat())
        if self.compliance_status not in COMPLIANCE_STATUSES:
            raise ValueError(
                f"site.compliance_status is {self.compliance_status!r}; use one of "
                f"{list(COMPLIANCE_STATUSES)} (GOV.UK model accessibility statement)"
            )
        if not 1 <= int(self.review_months) <= 12:
            raise ValueError(
                f"site.review_months is {self.review_months}; use 1 to 12: equality "
                "information must be republished at least every 12 months (SI 2017/353 reg 4)"
            )
        if not 1 <= int(self.response_days) <= 60:
            raise ValueError(f"site.response_days is {self.response_days}; use 1 to 60")
        if self.contact_email and (
            "@" not in self.contact_email or any(c.isspace() for c in self.contact_email)
        ):
            raise ValueError(f"site.contact_email {self.contact_email!r} is not an email address")
        if self.tested_on:
            try:
                date.fromisoformat(self.tested_on)
            except ValueError:
                raise ValueError(
                    f"site.tested_on {self.tested_on!r} is not a date such as 2025-06-30"
                ) from None


@dataclass(frozen=True)
class ReportLayout:
    """Which report sections are shown, in which order (``report.sections``).

    ``sections`` lists section names from
    :data:`edi_reports.config_validate.REPORT_SECTIONS`; a section left out is not shown.
    ``directorates``: the optional section by directorate is off by default (``false``:
    directorate names are free text from the workforce file, published only by choice);
    ``true`` turns it on, ``"auto"`` turns it on when the workforce file names at least two
    directorates.
    """

    sections: tuple[str, ...] = REPORT_SECTIONS  # every section, in the default order
    directorates: str | bool = False  # or true, "auto"; read from the settings file only


@dataclass(frozen=True)
class Branding:
    """The organisation's logo, colour and contact details on its report (all optional).

    The same keys may be set for one organisation in ``content/<ORG>/report.yml``, which
    takes precedence. ``logo`` is a PNG or JPEG file inside the organisation's content
    folder (at most 200 KB) and needs ``logo_alt``; ``colour`` (header band, headings and
    links) must reach 4.5:1 contrast with white (WCAG 2.2 AA).
    """

    logo: str | None = None  # e.g. logo.png, beside report.yml; PNG or JPEG, 200 KB at most
    logo_alt: str | None = None  # required with a logo, e.g. "Example NHS Trust logo"
    colour: str | None = None  # e.g. "#00594C"; 4.5:1 or more against white
    contact_name: str | None = None  # e.g. "Equality, diversity and inclusion team"
    contact_email: str | None = None  # e.g. equality@example.nhs.uk
    contact_phone: str | None = None  # digits, spaces, + and brackets
    contact_web: str | None = None  # an https:// address


@dataclass(frozen=True)
class InputValidation:
    """How loudly the build treats values it could not recognise (data contract §2).

    ``unrecognised_max_percent``: a column fails its check when more than this share of its
    non-blank values was not recognised (kept as unknown or set aside); default 1 %.
    ``unrecognised_critical``: false (default) makes that failure a warning in the
    data-quality appendix; true makes it a critical failure that stops the build.
    """

    unrecognised_max_percent: float = 1.0  # % of a column's non-blank values
    unrecognised_critical: bool = False  # true: over the limit stops the build

    def __post_init__(self) -> None:
        pct = self.unrecognised_max_percent
        if isinstance(pct, bool) or not isinstance(pct, int | float) or not 0 <= pct <= 100:
            raise ValueError(
                f"validation.unrecognised_max_percent must be a number from 0 to 100, not {pct!r}"
            )
        if not isinstance(self.unrecognised_critical, bool):
            raise ValueError(
                "validation.unrecognised_critical must be true or false,"
                f" not {self.unrecognised_critical!r}"
            )


@dataclass(frozen=True)
class Render:
    """How reports are rendered; not a calculation rule (see rendering.md)."""

    renderer: str = "auto"  # auto (Quarto if on PATH), quarto or offline; --renderer wins

    def __post_init__(self) -> None:
        if self.renderer not in ("auto", "quarto", "offline"):
            raise ValueError(
                f"render.renderer must be one of auto, quarto, offline; got {self.renderer!r}"
            )


@dataclass(frozen=True)
class Settings:
    """All configurable rules, defaults as methodology §12.3."""

    rounding: Rounding = field(default_factory=Rounding)
    gpg: GPG = field(default_factory=GPG)
    epg: EPG = field(default_factory=EPG)
    standards: WorkforceStandards = field(default_factory=WorkforceStandards)
    disclosure: Disclosure = field(default_factory=Disclosure)
    uncertainty: Uncertainty = field(default_factory=Uncertainty)
    intersection: Intersection = field(default_factory=Intersection)
    profile: Profile = field(default_factory=Profile)
    statutory: Statutory = field(default_factory=Statutory)
    validation: InputValidation = field(default_factory=InputValidation)
    limits: Limits = field(default_factory=Limits)
    site: Site = field(default_factory=Site)
    render: Render = field(default_factory=Render)
    report: ReportLayout = field(default_factory=ReportLayout)
    branding: Branding = field(default_factory=Branding)

    def __post_init__(self) -> None:
        # local import: floors imports this module
        from edi_reports.disclosure.floors import check_settings

        check_settings(self)

    def snapshot_date(self, year: int) -> date:
        """The snapshot date for reporting year ``year`` (31 March by default, §1.1)."""
        month, day = self.gpg.snapshot_month_day
        return date(year, month, day)

    def publication_deadline(self) -> tuple[int, int]:
        """``(month, day)`` of NHS England's WRES/WDES publication deadline
        (``standards.publication_day``, e.g. "31 October"); methodology §3."""
        day, month = self.standards.publication_day.split(" ")
        return _MONTHS.index(month) + 1, int(day)

    def snapshot_day(self) -> str:
        """The snapshot day and month as shown, e.g. ``"31 March"`` (``gpg.snapshot_month_day``)."""
        return f"{self.snapshot_date(2000):%-d %B}"

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    def fingerprint(self) -> str:
        """A short hash of every setting, for the build manifest."""
        values = self.to_dict()
        values.pop("site")  # the website's words do not change any report
        blob = json.dumps(values, sort_keys=True, default=str).encode()
        return hashlib.sha256(blob).hexdigest()[:16]

    @classmethod
    def from_dict(cls, values: dict[str, Any] | None, source: str = "settings") -> Settings:
        """Build settings from a nested mapping; unknown keys and values that are not
        allowed are an error (:func:`edi_reports.config_validate.validate_settings`)."""
        from edi_reports.config_validate import validate_settings

        validate_settings(values, source)
        values = values or {}
        kwargs: dict[str, Any] = {}
        known = {f.name: f for f in dataclasses.fields(cls)}
        for section, sub in values.items():
            if section not in known:
                raise ValueError(
                    f"unknown settings section {section!r}; expected one of {sorted(known)}"
                )
            if sub is not None and not isinstance(sub, dict):
                raise ValueError(f"settings section {section!r} must hold name: value lines")
            section_cls = type(getattr(cls(), section))
            sub_fields = {f.name: f for f in dataclasses.fields(section_cls)}
            unknown = set(sub or {}) - set(sub_fields)
            if unknown:
                raise ValueError(
                    f"unknown setting(s) {sorted(unknown)} in section {section!r}; "
                    f"expected some of {sorted(sub_fields)}"
                )
            converted = {k: tuple(v) if isinstance(v, list) else v for k, v in (sub or {}).items()}
            kwargs[section] = section_cls(**converted)
        return cls(**kwargs)

    @classmethod
    def load(cls, path: Path | str | None) -> Settings:
        """Settings from a YAML file, or the defaults when ``path`` is None."""
        from edi_reports.config_validate import SettingsError

        if path is None:
            return cls()
        from edi_reports.disclosure.floors import SettingsError as FloorError

        try:
            with open(path, encoding="utf-8") as fh:
                values = yaml.safe_load(fh)
        except (OSError, UnicodeDecodeError) as exc:
            raise SettingsError(
                f"{path}: the settings file cannot be read ({getattr(exc, 'strerror', None) or exc})\n"
                "  How to fix: check the path given to --config."
            ) from None
        except yaml.YAMLError as exc:
            where = getattr(exc, "problem_mark", None)
            line = f" at line {where.line + 1}" if where is not None else ""
            raise SettingsError(
                f"{path}: the settings file is not valid YAML{line}\n"
                "  How to fix: write one 'section:' line, then '  key: value' lines indented "
                "under it (see docs/command-line.md)."
            ) from None
        try:
            return cls.from_dict(values or {}, source=str(path))
        except SettingsError:
            raise
        except FloorError as exc:
            raise FloorError(f"{path}: {exc}") from None
        except (ValueError, TypeError) as exc:
            problem = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            raise SettingsError(
                f"{path}: {problem}\n  How to fix: see docs/command-line.md (settings)."
            ) from None


DEFAULT_SETTINGS = Settings()


def financial_year_label(year: int) -> str:
    """``2024`` -> ``"2023/24"`` (data contract §1)."""
    return f"{year - 1}/{str(year)[-2:]}"
