"""Equality action plans (gender pay gap and menopause): content, checks, export.

Spec: docs/methodology-2026.md §2.9 (Employment Rights Act 2025 s.33, inserting s.78A into
the Equality Act 2010; GOV.UK's guidance and list of 18 actions, March and April 2026; the
GOV.UK gender pay gap service's rules for publishing a plan) and
docs/equality-action-plan.md (the content file).

The organisation writes its plan as ``content/<ORG>/<YEAR>/equality_action_plan.csv`` (one
row per action, columns :data:`COLUMNS`) and, optionally, a short narrative in
``equality_action_plan_narrative.md``. The validate stage checks the plan
(:func:`check_content`, :func:`load_plan`); the report shows it beside the figures each
action addresses, year on year; and ``equality_action_plan_submission.csv`` lays it out as
the GOV.UK gender pay gap service asks for it (action, whether it is new or in progress or
embedded, supporting text; a narrative). Actions come from :data:`CATALOGUE` (GOV.UK's
list, verbatim) or are the organisation's own, which may also be on the ethnicity and
disability pay gaps (methodology-2026 §2.8).

The existing WRES/WDES action plan (``actions.csv``) is separate and unchanged.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from edi_reports.errors import EdiError

FILE = "equality_action_plan.csv"
NARRATIVE_FILE = "equality_action_plan_narrative.md"
SUBMISSION_FILE = "equality_action_plan_submission.csv"
MAX_BYTES = 1_000_000
MAX_ROWS = 200
SUPPORTING_TEXT_WORDS = 100  # GOV.UK guidance, step 3
NARRATIVE_WORDS = 200  # GOV.UK guidance, step 3

#: Kinds of action. The GOV.UK list's actions are on the gender pay gap or menopause support
#: (one, "Advertise flexible working arrangements in job adverts", on both); the ethnicity
#: and disability pay gap kinds are for the organisation's own actions (the 2026 government
#: response on ethnicity and disability pay gap reporting expects action plans but no list
#: or template of actions exists yet; methodology-2026 §2.8).
KINDS: dict[str, str] = {
    "gender_pay_gap": "Gender pay gap",
    "menopause": "Menopause support",
    "ethnicity_pay_gap": "Ethnicity pay gap",
    "disability_pay_gap": "Disability pay gap",
}
#: Each of these kinds needs at least one action from the GOV.UK list that is new or in
#: progress (the gender pay gap service's rule when a plan is published).
REQUIRED_KINDS: tuple[str, ...] = ("gender_pay_gap", "menopause")
MIN_NEW_OR_IN_PROGRESS = 2  # the service's rule: at least 2 'new or in progress' actions
STATUSES: dict[str, str] = {
    "new_or_in_progress": "New or in progress",
    "embedded": "Embedded",
}
COLUMNS: tuple[str, ...] = (
    "action_id",
    "kind",
    "title",
    "status",
    "owner",
    "timescale",
    "measure_of_progress",
    "progress_since_last_year",
    "supporting_text",
    "addresses",
)
REQUIRED: tuple[str, ...] = ("action_id", "status", "owner", "timescale", "measure_of_progress")
OWN = "own"

#: What each kind of action addresses in the report when ``addresses`` is blank.
DEFAULT_ADDRESSES: dict[str, tuple[str, ...]] = {
    "gender_pay_gap": ("gpg.mean_hourly_gap", "gpg.median_hourly_gap"),
    "menopause": (),
    "ethnicity_pay_gap": ("sepg.mean_hourly_gap", "sepg.median_hourly_gap"),
    "disability_pay_gap": ("sdpg.mean_hourly_gap", "sdpg.median_hourly_gap"),
}

#: Where the list below comes from: the GOV.UK gender pay gap service's own source code
#: (Crown copyright, Open Government Licence v3.0), which is what employers see when they
#: choose their actions on the service.
SOURCE = (
    "GOV.UK gender pay gap service, github.com/ukgov-equality-hub/gender-pay-gap, "
    "GenderPayGap.Core/Helpers/ActionsHelper.cs and GenderPayGap.Core/Enums.cs "
    "(commit 40e5a50, 25 June 2026)"
)
_GUIDE = "https://www.gov.uk/government/publications/{0}/{0}"


@dataclass(frozen=True)
class CatalogueAction:
    """One of the 18 actions of the GOV.UK list (methodology-2026 §2.9).

    ``title``, ``summary`` and ``category`` are GOV.UK's wording, verbatim; ``number`` is
    the action's number on the GOV.UK gender pay gap service; ``id`` is this package's id.
    """

    id: str
    number: int
    kinds: tuple[str, ...]
    category: str
    title: str
    summary: str
    guidance_url: str
    source: str = SOURCE

    @property
    def kind(self) -> str:
        """The first kind (the gender pay gap for the one action that is on both pages)."""
        return self.kinds[0]


_RECRUITING = "Recruiting staff"
_DEVELOPING = "Developing and promoting staff"
_DIVERSITY = "Building diversity into your organisation"
_TRANSPARENCY = "Increasing transparency"
_MENOPAUSE = "Supporting employees experiencing menopause"
_G, _M = ("gender_pay_gap",), ("menopause",)

#: The 18 recommended actions, in the order the GOV.UK service lists them, verbatim.
CATALOGUE: tuple[CatalogueAction, ...] = (
    CatalogueAction(
        "gpg-inclusive-job-descriptions",
        1,
        _G,
        _RECRUITING,
        "Make job descriptions inclusive",
        "Inclusive job descriptions can attract diverse talent by using neutral language, "
        "listing only essential requirements, and highlighting equal opportunities.",
        _GUIDE.format("make-job-descriptions-inclusive"),
    ),
    CatalogueAction(
        "gpg-range-of-candidates",
        2,
        _G,
        _RECRUITING,
        "Encourage applications from a range of candidates",
        "Actively seeking applications from under-represented groups can ensure a broader "
        "range of applicants for all roles.",
        _GUIDE.format("encourage-applications-from-a-range-of-candidates"),
    ),
    CatalogueAction(
        "gpg-cv-screening-bias",
        3,
        _G,
        _RECRUITING,
        "Reduce unconscious bias in CV screening",
        "Using structured, skill-based screening can minimise bias and boost diversity in hiring.",
        _GUIDE.format("reduce-unconscious-bias-in-cv-screening"),
    ),
    CatalogueAction(
        "gpg-structured-interviews",
        4,
        _G,
        _RECRUITING,
        "Use fair and structured interview techniques",
        "Structured interviews support fair, objective hiring. Standardised questions and "
        "scoring helps reduce bias and promotes equal opportunity.",
        _GUIDE.format("use-fair-and-structured-interview-techniques"),
    ),
    CatalogueAction(
        "gpg-advertise-leave-policies",
        5,
        _G,
        _RECRUITING,
        "Advertise leave policies in job adverts",
        "Advertise parental, carer, and compassionate leave policies widely to ensure all "
        "prospective employees know the entitlements they would be eligible for.",
        _GUIDE.format("advertise-leave-policies-in-job-adverts"),
    ),
    CatalogueAction(
        "gpg-advertise-flexible-working",
        6,
        ("gender_pay_gap", "menopause"),
        _RECRUITING,
        "Advertise flexible working arrangements in job adverts",
        "Flexible working policies can aid work-life balance, especially for people with "
        "caring roles. Advertising flexibility can attract a wider, more diverse group of "
        "applicants.",
        "",  # the service gives no guidance page for this action
    ),
    CatalogueAction(
        "gpg-automatic-promotion-consideration",
        8,
        _G,
        _DEVELOPING,
        "Automatically consider eligible employees for promotion",
        "Automatically considering all eligible employees for promotion gives them the "
        "choice to opt-out rather than opt-in.",
        _GUIDE.format("automatically-consider-eligible-employees-for-promotion"),
    ),
    CatalogueAction(
        "gpg-actionable-development-steps",
        9,
        _G,
        _DEVELOPING,
        "Encourage employee development through actionable steps",
        "Giving all employees clear and actionable advice on how to develop may benefit "
        "organisations with low rates of progression and retention for women.",
        _GUIDE.format("encourage-employee-development-through-actionable-steps"),
    ),
    CatalogueAction(
        "gpg-development-programmes",
        10,
        _G,
        _DEVELOPING,
        "Offer mentoring, sponsorship and other development programmes",
        "Providing development programmes, such as mentoring, gives employees a formal "
        "channel for advice and support.",
        _GUIDE.format("offer-mentoring-sponsorship-and-other-development-programmes"),
    ),
    CatalogueAction(
        "gpg-representation-targets",
        11,
        _G,
        _DIVERSITY,
        "Set targets to improve gender representation",
        "Setting specific internal targets that you can monitor using data gives your "
        "organisation clear steps to improve gender representation and equality.",
        _GUIDE.format("set-targets-to-improve-gender-representation"),
    ),
    CatalogueAction(
        "gpg-transparency-pay-promotion-rewards",
        7,
        _G,
        _TRANSPARENCY,
        "Increase transparency for pay, promotion and rewards",
        "Transparency in pay, promotion, and bonus policies helps ensure everyone "
        "understands how decisions are made.",
        _GUIDE.format("increase-transparency-for-pay-promotion-and-rewards"),
    ),
    CatalogueAction(
        "gpg-flexible-working-and-leave-policies",
        14,
        _G,
        _TRANSPARENCY,
        "Enhance and promote flexible working and leave policies",
        "Enhance and promote leave policies and flexible working so employees know their "
        "entitlements and how to use them.",
        _GUIDE.format("enhance-and-promote-flexible-working-and-leave-policies"),
    ),
    CatalogueAction(
        "men-manager-training",
        16,
        _M,
        _MENOPAUSE,
        "Train managers to support employees experiencing menopause",
        "Manager training can help organisations support employees experiencing menopause.",
        _GUIDE.format("train-managers-to-support-employees-experiencing-menopause"),
    ),
    CatalogueAction(
        "men-occupational-health-advice",
        17,
        _M,
        _MENOPAUSE,
        "Offer occupational health advice to employees experiencing menopause",
        "Giving employees specialised occupational health advice can help them manage "
        "menopause symptoms, get support and work more comfortably.",
        _GUIDE.format("offer-occupational-health-advice-for-employees-experiencing-menopause"),
    ),
    CatalogueAction(
        "men-support-groups",
        18,
        _M,
        _MENOPAUSE,
        "Set up menopause support groups and networks",
        "Menopause support groups in your organisation can help provide peer support, "
        "information and guidance.",
        _GUIDE.format("set-up-menopause-support-groups-and-networks"),
    ),
    CatalogueAction(
        "men-workplace-adjustments",
        19,
        _M,
        _MENOPAUSE,
        "Offer workplace adjustments to employees experiencing menopause",
        "Personalised workplace adjustments for employees experiencing menopause can "
        "support their wellbeing and ability to work.",
        _GUIDE.format("offer-workplace-adjustments-for-employees-experiencing-menopause"),
    ),
    CatalogueAction(
        "men-risk-assessment",
        20,
        _M,
        _MENOPAUSE,
        "Conduct a menopause risk assessment for your workplace",
        "Menopause risk assessments can identify workplace adjustments to help support your "
        "employees' wellbeing.",
        _GUIDE.format("conduct-a-menopause-risk-assessment-for-your-workplace"),
    ),
    CatalogueAction(
        "men-policy-review",
        21,
        _M,
        _MENOPAUSE,
        "Review policies and procedures to meet the needs of employees experiencing menopause",
        "Ensure your organisation\u2019s policies align with the needs of employees "
        "experiencing menopause by reviewing your policies and procedures.",
        _GUIDE.format(
            "review-policies-and-procedures-to-meet-the-needs-of-employees-experiencing-menopause"
        ),
    ),
)
CATALOGUE_BY_ID: dict[str, CatalogueAction] = {a.id: a for a in CATALOGUE}
#: Ids written before the list was completed from the GOV.UK service, and the service's
#: own action numbers, accepted for the same actions.
ALIASES: dict[str, str] = {
    "gpg-neutral-job-adverts": "gpg-inclusive-job-descriptions",
    **{str(a.number): a.id for a in CATALOGUE},
}


def _problem(path: Path, line: int | None, what: str, fix: str) -> EdiError:
    where = f"{path}, line {line}" if line is not None else str(path)
    return EdiError(f"{where}: {what}\n  How to fix: {fix}")


def _words(text: str) -> int:
    return len(re.findall(r"\S+", text))


def find(content_dirs: list[Path], name: str = FILE) -> Path | None:
    """The first ``name`` in the content folders (most specific first)."""
    for folder in content_dirs:
        if (Path(folder) / name).is_file():
            return Path(folder) / name
    return None


def load_plan(path: Path) -> pd.DataFrame:
    """Read and check an equality action plan file.

    Spec: docs/methodology-2026.md §2.9 (at least one gender pay gap action and one menopause
    action; the GOV.UK service's choices of status and word limits) and
    docs/equality-action-plan.md (columns).

    Parameters
    ----------
    path
        ``equality_action_plan.csv`` (UTF-8, header row).

    Returns
    -------
    pandas.DataFrame
        One row per action, columns :data:`COLUMNS` plus ``line`` (line in the file),
        ``kind_label`` and ``status_label``; catalogue titles and kinds filled in.

    Raises
    ------
    EdiError
        A plain message naming the file and line, what is wrong and how to fix it.
    """
    path = Path(path)
    if path.stat().st_size > MAX_BYTES:
        raise _problem(
            path,
            None,
            "the file is larger than 1 MB",
            "keep the plan to its actions (a few dozen rows at most)",
        )
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _problem(
            path,
            None,
            "the file is not UTF-8 text",
            "save it as CSV UTF-8 from your spreadsheet program",
        ) from exc
    reader = csv.reader(io.StringIO(text))
    try:
        header = next(reader)
    except StopIteration:
        raise _problem(
            path, None, "the file is empty", f"start with the header line: {','.join(COLUMNS)}"
        ) from None
    header = [h.strip().lower() for h in header]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise _problem(
            path,
            1,
            f"missing column(s) {', '.join(missing)}",
            f"use the header line: {','.join(COLUMNS)}",
        )
    unknown = [h for h in header if h and h not in COLUMNS]
    if unknown:
        raise _problem(
            path,
            1,
            f"unknown column(s) {', '.join(unknown)}",
            f"use only these columns: {', '.join(COLUMNS)}",
        )
    records = []
    for line_no, cells in enumerate(reader, start=2):
        if not any(c.strip() for c in cells):
            continue
        if len(records) >= MAX_ROWS:
            raise _problem(
                path,
                line_no,
                f"more than {MAX_ROWS} actions",
                "keep the plan to the actions you will report on",
            )
        if len(cells) > len(header):
            raise _problem(
                path,
                line_no,
                f"{len(cells)} cells but {len(header)} columns",
                "put text containing commas in double quotes",
            )
        row = {c: "" for c in COLUMNS}
        row.update({h: v.strip() for h, v in zip(header, cells, strict=False) if h})
        row["line"] = line_no
        records.append(_check_row(path, line_no, row))
    if not records:
        raise _problem(
            path,
            None,
            "the plan has no actions",
            "add at least one gender pay gap action and one menopause action",
        )
    plan = pd.DataFrame.from_records(records)
    ids = plan.loc[plan["action_id"] != OWN, "action_id"]
    dup = ids[ids.duplicated()]
    if len(dup):
        first = plan.loc[dup.index[0]]
        raise _problem(
            path,
            int(first["line"]),
            f"action {first['action_id']} is listed twice",
            "list each action once (own actions use action_id 'own')",
        )
    _check_minimums(path, plan)
    return plan


def _check_minimums(path: Path, plan: pd.DataFrame) -> None:
    """The GOV.UK gender pay gap service's rules for publishing a plan (methodology-2026
    §2.9): at least one action from its list that is new or in progress on the gender pay
    gap and one on menopause support, and at least two such actions in all (the one action
    on both pages counts once). Embedded actions and the organisation's own actions are
    shown in the report but do not count."""
    listed = plan[(plan["action_id"] != OWN) & (plan["status"] == "new_or_in_progress")]
    kinds = [set(CATALOGUE_BY_ID[a].kinds) for a in listed["action_id"]]
    for kind in REQUIRED_KINDS:
        if not any(kind in k for k in kinds):
            label = KINDS[kind].lower()
            raise _problem(
                path,
                None,
                f"the plan has no {label} action from the GOV.UK list that is new or in "
                "progress (embedded actions and own actions do not count)",
                f"add an action of kind {kind} from the list in docs/equality-action-plan.md "
                "with status new_or_in_progress (the GOV.UK gender pay gap service asks for "
                "one on the gender pay gap and one on menopause support)",
            )
    if len(listed) < MIN_NEW_OR_IN_PROGRESS:
        raise _problem(
            path,
            None,
            f"fewer than {MIN_NEW_OR_IN_PROGRESS} actions from the GOV.UK list are new or in "
            "progress (an action on both the gender pay gap and menopause pages counts once)",
            "the GOV.UK gender pay gap service asks for at least two listed actions that are "
            "new or in progress; set status to new_or_in_progress for them",
        )


def _check_row(path: Path, line: int, row: dict[str, object]) -> dict[str, object]:
    for col in REQUIRED:
        if not str(row[col]):
            raise _problem(
                path,
                line,
                f"{col} is empty",
                f"fill in {col} for every action (see docs/equality-action-plan.md)",
            )
    action_id = str(row["action_id"]).lower()
    action_id = ALIASES.get(action_id, action_id)
    row["action_id"] = action_id
    kind = str(row["kind"]).lower()
    if action_id == OWN:
        if kind not in KINDS:
            raise _problem(
                path,
                line,
                f"kind {row['kind'] or '(empty)'!s} is not known",
                f"an own action needs kind {' or '.join(KINDS)}",
            )
        if not str(row["title"]):
            raise _problem(path, line, "title is empty", "an own action needs a title")
    elif action_id in CATALOGUE_BY_ID:
        action = CATALOGUE_BY_ID[action_id]
        if kind and kind not in action.kinds:
            raise _problem(
                path,
                line,
                f"action {action_id} is a {' and '.join(action.kinds)} action, not {kind}",
                "leave kind blank for a listed action or give its own kind",
            )
        kind = kind or action.kind
        given = str(row["title"])
        if given and given.casefold() != action.title.casefold():
            raise _problem(
                path,
                line,
                f"title {given!r} is not GOV.UK's title of action {action_id} ({action.title!r})",
                "leave title blank for an action from the GOV.UK list (its own title is "
                "filled in), or use action_id 'own' for an action of your own",
            )
        row["title"] = action.title
    else:
        raise _problem(
            path,
            line,
            f"action_id {action_id} is not a known action",
            "use an id (or GOV.UK action number) from the list in "
            "docs/equality-action-plan.md, or 'own' with a kind and title for the "
            "organisation's own action",
        )
    row["kind"] = kind
    status = str(row["status"]).lower().replace(" ", "_").replace("-", "_")
    if status not in STATUSES:
        raise _problem(
            path, line, f"status {row['status']} is not known", f"use {' or '.join(STATUSES)}"
        )
    row["status"] = status
    if action_id != OWN and status == "new_or_in_progress" and not str(row["supporting_text"]):
        raise _problem(
            path,
            line,
            "supporting_text is empty for an action that is new or in progress",
            "write up to 100 words on what you are doing (the GOV.UK gender pay gap service "
            "asks for supporting text for every new or in-progress action)",
        )
    if _words(str(row["supporting_text"])) > SUPPORTING_TEXT_WORDS:
        raise _problem(
            path,
            line,
            f"supporting_text has more than {SUPPORTING_TEXT_WORDS} words",
            "shorten it: the GOV.UK service takes up to 100 words per action",
        )
    addresses = [a for a in re.split(r"[;\s]+", str(row["addresses"])) if a]
    for a in addresses:
        if not re.fullmatch(r"[a-z0-9_]+(\.[a-z0-9_]+)+", a):
            raise _problem(
                path,
                line,
                f"addresses {a!r} is not a figure id",
                "give figure ids such as gpg.median_hourly_gap, separated by ';'",
            )
    row["addresses"] = ";".join(addresses) or ";".join(DEFAULT_ADDRESSES[kind])
    row["kind_label"] = KINDS[kind]
    row["status_label"] = STATUSES[str(row["status"])]
    return row


def load_narrative(path: Path | None) -> str:
    """The plan's narrative (at most 200 words, GOV.UK guidance), or ""."""
    if path is None:
        return ""
    text = Path(path).read_text(encoding="utf-8-sig", errors="replace").strip()
    if _words(text) > NARRATIVE_WORDS:
        raise _problem(
            Path(path),
            None,
            f"the narrative has more than {NARRATIVE_WORDS} words",
            "shorten it: the GOV.UK service takes up to 200 words",
        )
    return text


SUBMISSION_COLUMNS: list[str] = [
    "Section",
    "Kind",
    "Category",
    "ActionNumber",
    "ActionId",
    "Action",
    "Status",
    "SupportingText",
]


def submission_frame(plan: pd.DataFrame, narrative: str = "") -> pd.DataFrame:
    """The plan as the GOV.UK gender pay gap service asks for it.

    Spec: docs/methodology-2026.md §2.9. One ``action`` row per action from the GOV.UK list
    (its kind, GOV.UK category, the service's action number, GOV.UK title, whether it is new
    or in progress or embedded, and up to 100 words of supporting text); the organisation's
    own actions follow as ``own_action`` rows (the service has no place for them: they are
    listed so that nothing in the plan is left out silently); a last ``narrative`` row
    (up to 200 words) when a narrative is given.
    """
    rows = []
    for section in ("action", "own_action"):
        part = plan[(plan["action_id"] == OWN) == (section == "own_action")]
        for _, r in part.iterrows():
            action = CATALOGUE_BY_ID.get(str(r["action_id"]))
            rows.append(
                [
                    section,
                    r["kind_label"],
                    action.category if action else "",
                    str(action.number) if action else "",
                    r["action_id"],
                    r["title"],
                    r["status_label"],
                    r["supporting_text"],
                ]
            )
    if narrative:
        rows.append(["narrative", "", "", "", "", "", "", narrative])
    return pd.DataFrame(rows, columns=SUBMISSION_COLUMNS).astype(object)


def check_content(content_dirs: list[Path]) -> pd.DataFrame | None:
    """Check this year's equality action plan and narrative at the validate stage.

    Spec: docs/methodology-2026.md §2.9. Called by the validate stage notebook so that a
    mistake in the plan stops ``edi validate`` (and a build, before any figure is worked
    out) with the message of :func:`load_plan`, naming the file and line.

    Returns
    -------
    pandas.DataFrame or None
        The checked plan, or None when the organisation has not written one.
    """
    dirs = [Path(d) for d in content_dirs if Path(d).is_dir()]
    path = find(dirs)
    if path is None:
        return None
    plan = load_plan(path)
    load_narrative(find(dirs, NARRATIVE_FILE))
    return plan


# --------------------------------------------------------------------------- demo content

_DEMO = (
    (
        "gpg-structured-interviews",
        "new_or_in_progress",
        "Director of People",
        "Interview panels for bands 7 to 9 from April {next}",
        "Share of women appointed to bands 8a and above",
        "Structured interviews with scored questions for every senior post.",
    ),
    (
        "gpg-development-programmes",
        "embedded",
        "Head of Leadership and Development",
        "Ongoing",
        "Women in the upper pay quarter",
        "Our leadership programme reserves places for women in bands 6 and 7.",
    ),
    (
        "men-manager-training",
        "new_or_in_progress",
        "Head of Occupational Health",
        "All line managers by March {next}",
        "Managers trained; staff survey wellbeing score",
        "A one-hour module on supporting colleagues through the menopause.",
    ),
    (
        "men-workplace-adjustments",
        "embedded",
        "Wellbeing Lead",
        "Ongoing",
        "Adjustments agreed within 4 weeks",
        "Fans, uniform options and flexible breaks on request.",
    ),
)


def write_demo_plan(content_dir: Path, org: str, years: list[int]) -> list[Path]:
    """A demonstration plan for each year of a synthetic organisation.

    Used by the demo data generator (:mod:`edi_reports.intake.synth`); never touches a plan that
    is already there.
    """
    written = []
    for i, year in enumerate(sorted(years)):
        path = Path(content_dir) / org / str(year) / FILE
        if path.exists():
            continue
        rows = []
        for action_id, status, owner, timescale, measure, text in _DEMO:
            progress = (
                "" if i == 0 else "Continued from last year's plan; see the figures beside it."
            )
            rows.append(
                [
                    action_id,
                    "",
                    "",
                    status,
                    owner,
                    timescale.format(next=year + 1),
                    measure,
                    progress,
                    text,
                    "",
                ]
            )
        path.parent.mkdir(parents=True, exist_ok=True)
        pd.DataFrame(rows, columns=list(COLUMNS)).to_csv(path, index=False, lineterminator="\n")
        written.append(path)
    return written
