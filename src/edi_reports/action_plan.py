"""Equality action plans (gender pay gap and menopause): content, checks, export.

Spec: docs/methodology-2026.md §2.9 (Employment Rights Act 2025 s.33, inserting s.78A into
the Equality Act 2010; GOV.UK guidance for employers, March and April 2026) and
docs/equality-action-plan.md (the content file).

The organisation writes its plan as ``content/<ORG>/<YEAR>/equality_action_plan.csv`` (one
row per action, columns :data:`COLUMNS`) and, optionally, a short narrative in
``equality_action_plan_narrative.md``. The build checks the plan (:func:`load_plan`), the
report shows it beside the figures each action addresses, year on year, and
``equality_action_plan_submission.csv`` lays it out as the GOV.UK gender pay gap service asks
for it (action, whether it is new or in progress or embedded, supporting text; a narrative).

The existing WRES/WDES action plan (``actions.csv``) is separate and unchanged.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .errors import EdiError

FILE = "equality_action_plan.csv"
NARRATIVE_FILE = "equality_action_plan_narrative.md"
SUBMISSION_FILE = "equality_action_plan_submission.csv"
MAX_BYTES = 1_000_000
MAX_ROWS = 200
SUPPORTING_TEXT_WORDS = 100  # GOV.UK guidance, step 3
NARRATIVE_WORDS = 200  # GOV.UK guidance, step 3

KINDS: dict[str, str] = {"gender_pay_gap": "Gender pay gap", "menopause": "Menopause support"}
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
}


@dataclass(frozen=True)
class CatalogueAction:
    """One of the government's recommended actions."""

    id: str
    kind: str
    title: str
    source: str


_WIGGIN = "Wiggin LLP summary of the GOV.UK guidance, 20 April 2026"
_PINSENT = "Pinsent Masons Out-Law summary of the GOV.UK guidance, March 2026"

#: The recommended actions of the GOV.UK guidance that could be confirmed from the sources
#: available when this was written: the guidance lists 18 (12 on the gender pay gap, 6 on
#: menopause support). Titles here are short descriptions taken from the cited summaries,
#: not GOV.UK's own wording; docs/methodology-2026.md §2.9 says how to complete the list.
CATALOGUE: tuple[CatalogueAction, ...] = (
    CatalogueAction(
        "gpg-structured-interviews",
        "gender_pay_gap",
        "Use fair and structured interview techniques",
        _WIGGIN,
    ),
    CatalogueAction(
        "gpg-development-programmes",
        "gender_pay_gap",
        "Offer mentoring, sponsorship and other development programmes",
        _WIGGIN,
    ),
    CatalogueAction(
        "gpg-representation-targets",
        "gender_pay_gap",
        "Set targets to improve gender representation",
        _WIGGIN,
    ),
    CatalogueAction(
        "gpg-neutral-job-adverts",
        "gender_pay_gap",
        "Remove words associated with gender stereotypes from job adverts",
        _PINSENT,
    ),
    CatalogueAction(
        "gpg-cv-screening-bias",
        "gender_pay_gap",
        "Reduce unconscious bias when screening CVs",
        _PINSENT,
    ),
    CatalogueAction(
        "gpg-advertise-leave-policies",
        "gender_pay_gap",
        "Advertise leave policies to applicants",
        _PINSENT,
    ),
    CatalogueAction(
        "gpg-automatic-promotion-consideration",
        "gender_pay_gap",
        "Consider eligible employees for promotion automatically",
        _PINSENT,
    ),
    CatalogueAction(
        "men-manager-training", "menopause", "Train managers to offer menopause support", _WIGGIN
    ),
    CatalogueAction("men-support-groups", "menopause", "Set up menopause support groups", _WIGGIN),
    CatalogueAction(
        "men-workplace-adjustments", "menopause", "Offer workplace adjustments", _WIGGIN
    ),
)
CATALOGUE_BY_ID: dict[str, CatalogueAction] = {a.id: a for a in CATALOGUE}


def _problem(path: Path, line: int | None, what: str, fix: str) -> EdiError:
    where = f"{path.name}, line {line}" if line is not None else path.name
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
    for kind, label in KINDS.items():
        if not (plan["kind"] == kind).any():
            raise _problem(
                path,
                None,
                f"the plan has no {label.lower()} action",
                f"add at least one action of kind {kind} (GOV.UK guidance asks "
                "for one on the gender pay gap and one on menopause support)",
            )
    if (plan["status"] == "new_or_in_progress").sum() < 2:
        raise _problem(
            path,
            None,
            "fewer than two actions are new or in progress",
            "the GOV.UK guidance asks for at least two actions that are new or in "
            "progress; set status to new_or_in_progress for them",
        )
    return plan


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
        if kind and kind != action.kind:
            raise _problem(
                path,
                line,
                f"action {action_id} is a {action.kind} action, not {kind}",
                "leave kind blank for a listed action or give its own kind",
            )
        kind = action.kind
        row["title"] = str(row["title"]) or action.title
    else:
        raise _problem(
            path,
            line,
            f"action_id {action_id} is not a known action",
            "use an id from the list in docs/equality-action-plan.md, or 'own' "
            "with a kind and title for the organisation's own action",
        )
    row["kind"] = kind
    status = str(row["status"]).lower().replace(" ", "_").replace("-", "_")
    if status not in STATUSES:
        raise _problem(
            path, line, f"status {row['status']} is not known", f"use {' or '.join(STATUSES)}"
        )
    row["status"] = status
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


def submission_frame(plan: pd.DataFrame, narrative: str = "") -> pd.DataFrame:
    """The plan as the GOV.UK gender pay gap service asks for it.

    Spec: docs/methodology-2026.md §2.9 (each action with its category, whether it is new
    or in progress or embedded, and up to 100 words of supporting text; a narrative of up
    to 200 words for the whole plan). One ``action`` row per action and, when given, one
    ``narrative`` row.
    """
    cols = ["Section", "Category", "ActionId", "Action", "Status", "SupportingText"]
    rows = [
        [
            "action",
            r["kind_label"],
            r["action_id"],
            r["title"],
            r["status_label"],
            r["supporting_text"],
        ]
        for _, r in plan.iterrows()
    ]
    if narrative:
        rows.append(["narrative", "", "", "", "", narrative])
    return pd.DataFrame(rows, columns=cols).astype(object)


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

    Used by the demo data generator (:mod:`edi_reports.synth`); never touches a plan that
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
