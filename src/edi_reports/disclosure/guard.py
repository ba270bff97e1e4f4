"""The last check before anything is published: no row-level input values, by any route.

Disclosure control makes the published figures safe, but a report also carries words: the
organisation's narrative, its name, captions. A narrative file that is (or links to) the HR
extract, or a paragraph pasted from it, would publish personal data that no figure holds.
:func:`check_publication` runs on every build, after rendering and before the new report
replaces the old one, and refuses to publish when any published file contains:

- an identifier from an input (staff id, assignment number, application, case or member
  id) of at least 4 characters with a letter, or at least 6 characters;
- a date of birth, as written in the input;
- an exact pay amount in pounds and pence (``ordinary_pay``, bonus columns) of 100.00 or
  more, unless it is a figure of the published tables themselves;
- three or more distinct values (of at least 6 characters, held by at most 5 rows each)
  from a free-text column (``directorate``, ``course``) or from a column the pipeline does
  not use.

The published HTML, CSV, JSON and XLSX files are read as text (HTML entities decoded); the
PDF is checked through the Markdown it is made from (the executed report notebook's
outputs), which holds every word of it.

Methodology §6 (published outputs carry only disclosure-controlled aggregates).
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from edi_reports.errors import EdiError

__all__ = ["LeakError", "Needles", "check_publication", "needles_from_inputs", "published_text"]

ID_COLUMNS = ("staff_id", "assignment_number", "application_id", "case_id", "member_id")
DOB_COLUMNS = ("date_of_birth",)
PAY_COLUMNS = ("ordinary_pay", "bonus_pay_in_period", "bonus_pay_12m")
FREE_TEXT_COLUMNS = ("directorate", "course")
#: Distinct free-text values found in one file before it is refused (one or two may be a
#: directorate named in the narrative on purpose; many are a pasted extract).
FREE_TEXT_HITS = 3
_PENCE = re.compile(r"^£?\d{3,}(,\d{3})*\.\d{2}$")
_MD_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
_WORD = re.compile(r"\w+")


class LeakError(EdiError):
    """A published file holds row-level input values: nothing is published."""

    exit_code = 2


@dataclass
class Needles:
    """Row-level values to look for, by kind, each mapped to where it came from."""

    by_kind: dict[str, dict[str, str]] = field(
        default_factory=lambda: {"id": {}, "dob": {}, "pay": {}, "free": {}}
    )

    def add(self, kind: str, values: Iterable[str], where: str) -> None:
        bucket = self.by_kind[kind]
        for value in values:
            bucket.setdefault(_norm(value), where)

    def __len__(self) -> int:
        return sum(len(v) for v in self.by_kind.values())


def _norm(text: str) -> str:
    return " ".join(str(text).split()).casefold()


def _distinct_id(value: str) -> bool:
    return len(value) >= 6 or (len(value) >= 4 and any(c.isalpha() for c in value))


def needles_from_inputs(raw_folder: Path, limits: object | None = None) -> Needles:
    """The row-level values of every input file of one organisation and year.

    Parameters
    ----------
    raw_folder
        ``data/raw/<ORG>/<YEAR>/``.
    limits
        The :class:`edi_reports.config.Limits` used to read the files.
    """
    from edi_reports.intake import schema
    from edi_reports.intake.clean import find_input, map_headers, read_table

    needles = Needles()
    for stem in schema.INPUT_FILES:
        path = find_input(Path(raw_folder), stem)
        if path is None:
            continue
        raw = read_table(path, limits)  # type: ignore[arg-type]
        try:
            headers = map_headers(list(raw.columns), stem, str(path))
        except EdiError:
            headers = {}
        used = set(headers.values())
        for canon, header in headers.items():
            values = raw[header].astype(str).str.strip()
            values = values[values != ""]
            where = f"{path.name}, column '{header}'"
            if canon in ID_COLUMNS:
                needles.add("id", (v for v in values.unique() if _distinct_id(v)), where)
            elif canon in DOB_COLUMNS:
                needles.add("dob", (v for v in values.unique() if len(v) >= 6), where)
            elif canon in PAY_COLUMNS:
                needles.add("pay", (v for v in values.unique() if _PENCE.match(v)), where)
            elif canon in FREE_TEXT_COLUMNS:
                needles.add("free", _rare_text(values), where)
        for header in raw.columns:
            if header not in used:
                values = raw[header].astype(str).str.strip()
                needles.add(
                    "free", _rare_text(values[values != ""]), f"{path.name}, column '{header}'"
                )
    return needles


def _rare_text(values: pd.Series) -> list[str]:
    """Free-text values of at least 6 characters (with a letter) held by at most 5 rows."""
    counts = values.value_counts()
    rare = counts[counts <= 5].index.astype(str)
    return [v for v in rare if len(v) >= 6 and any(c.isalpha() for c in v)]


def published_text(path: Path, assets: Iterable[str] = ()) -> str:
    """A published file as plain searchable text (HTML entities decoded; XLSX cells).

    ``assets``: texts of the package's own that a page carries whole (the chart bundle,
    about 0.9 MB of JavaScript): left out of the search, as they hold no input value. Only
    an exact copy is left out; anything else in the page is searched.
    """
    suffix = path.suffix.casefold()
    if suffix == ".xlsx":  # every string and number of every sheet, from the zip's XML
        import zipfile

        with zipfile.ZipFile(path) as book:
            parts = [
                book.read(name).decode("utf-8", errors="replace")
                for name in book.namelist()
                if name.startswith("xl/") and name.endswith(".xml")
            ]
        return html.unescape(re.sub(r"<[^>]+>", " ", "\n".join(parts)))
    text = path.read_text(encoding="utf-8", errors="replace")
    if suffix in (".html", ".htm"):
        for asset in assets:
            text = text.replace(asset, " ")
        text = html.unescape(re.sub(r"<[^>]+>", " ", text))
    return text


def notebook_markdown_text(notebook: Path) -> str:
    """Every ``text/markdown`` and ``text/plain`` output of an executed notebook (the PDF's
    source), with Markdown backslash escapes removed."""
    nb = json.loads(Path(notebook).read_text(encoding="utf-8"))
    parts: list[str] = []
    for cell in nb.get("cells", []):
        if cell.get("cell_type") == "markdown":
            parts.append("".join(cell.get("source", "")))
        for out in cell.get("outputs", []):
            for mime in ("text/markdown", "text/plain"):
                data = out.get("data", {}).get(mime)
                if data:
                    parts.append(data if isinstance(data, str) else "".join(data))
    return _MD_ESCAPE.sub(r"\1", "\n".join(parts))


_ALNUM = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class _Needle:
    """A needle with the words :class:`_Text` looks up before searching for it."""

    text: str
    first_word: str  # its first ``\w+`` word ("" when it has none)
    runs: tuple[str, ...]  # its letter-and-digit runs, in order


def _prepared(bucket: dict[str, str]) -> list[_Needle]:
    """The needles of one kind with their words (worked out once for every file)."""
    out = []
    for needle in bucket:
        first = _WORD.search(needle)
        out.append(_Needle(needle, first.group(0) if first else "", tuple(_ALNUM.findall(needle))))
    return out


#: Words of a text that the run-successor map (:meth:`_Text._successors`) goes through in
#: about the CPU time of one search of that text for a needle (``str.find``).
WORDS_PER_SEARCH = 1500


class _Text:
    """A published text, normalised, with what rules most needles out without a search.

    A needle found as a whole word (neither neighbour a letter or digit) has each two
    consecutive letter-and-digit runs of its own as consecutive runs of the text: a needle
    without them is not searched for, so that the text is scanned only for the few needles
    that may be there. Mapping the runs that follow each other costs a pass over every word
    of the text, so it is made only when more needles are left to search for than that pass
    is worth (``search_budget``): the few others are searched for at once. Either way the
    same needles are found.

    Parameters
    ----------
    text
        The published text.
    vocabulary
        Every letter-and-digit run of every needle (the runs whose successors are kept).
    search_budget
        How many needles of two or more runs are searched for without the map (default:
        one per :data:`WORDS_PER_SEARCH` words of the text).
    """

    def __init__(
        self,
        text: str,
        vocabulary: frozenset[str] = frozenset(),
        search_budget: int | None = None,
    ) -> None:
        self.flat = _norm(text)
        self._words = _WORD.findall(self.flat)
        self.words = set(self._words)
        self._vocabulary = vocabulary
        self._follows: dict[str, set[str]] | None = None
        self._budget = (
            len(self._words) // WORDS_PER_SEARCH if search_budget is None else search_budget
        )

    def candidates(self, needles: list[_Needle]) -> list[_Needle]:
        """The ``needles`` that may be in the text as whole words: those whose first word is
        a word of the text and, once the successor map is made, that :meth:`may_hold`."""
        first = [n for n in needles if n.first_word and n.first_word in self.words]
        if self._follows is None:
            several = sum(1 for n in first if len(n.runs) >= 2)
            if several <= self._budget:  # cheaper to search for them than to map the runs
                self._budget -= several
                return first
        return [n for n in first if self.may_hold(n)]

    def _successors(self) -> dict[str, set[str]]:
        """For each run of the vocabulary in the text, the runs that follow it."""
        if self._follows is None:
            # the text's letter-and-digit runs in order: its \w+ words split at "_"
            runs = " ".join(self._words).replace("_", " ").split()
            vocabulary, follows = self._vocabulary, {}
            for run, after in zip(runs, runs[1:], strict=False):
                if run in vocabulary:
                    follows.setdefault(run, set()).add(after)
            self._follows = follows
        return self._follows

    def may_hold(self, needle: _Needle) -> bool:
        """False when ``needle`` surely is not in the text as a whole word."""
        if not needle.first_word or needle.first_word not in self.words:
            return False
        runs = needle.runs
        if len(runs) < 2:
            return True
        follows = self._successors()
        return all(
            after in follows.get(run, ()) for run, after in zip(runs, runs[1:], strict=False)
        )


def _find(text: _Text, needles: list[_Needle]) -> list[str]:
    """The ``needles`` that occur in ``text`` as whole words (neither neighbour a letter or
    digit), and whose first word is a word of the text. Only the
    :meth:`_Text.candidates` are searched for (``str.find``)."""
    flat = text.flat
    found = []
    for item in text.candidates(needles):
        needle = item.text
        at = flat.find(needle)
        while at >= 0:
            end = at + len(needle)
            before = flat[at - 1] if at else " "
            after = flat[end] if end < len(flat) else " "
            if not before.isalnum() and not after.isalnum():
                found.append(needle)
                break
            at = flat.find(needle, at + 1)
    return sorted(found)


def check_publication(
    folder: Path,
    needles: Needles,
    *,
    extra_sources: dict[str, str] | None = None,
    allowed: Iterable[str] = (),
    assets: Iterable[str] = (),
    skip: Collection[str] = (),
) -> set[str]:
    """Refuse to publish when any file in ``folder`` holds row-level input values.

    Parameters
    ----------
    folder
        The staging folder about to be published.
    needles
        From :func:`needles_from_inputs`.
    extra_sources
        More text checked as if published, by name (the PDF's Markdown source).
    allowed
        Values that are published figures (``tables.csv`` values), never counted as pay.
    assets
        The package's own texts a page carries whole (:func:`published_text`).
    skip
        Files (paths relative to ``folder``) and extra sources checked already, by an
        earlier call for the same build.

    Returns
    -------
    set
        What was checked (the same names as ``skip``): a later call with it checks only
        what was written meanwhile.

    Raises
    ------
    LeakError
        Naming the published file, the kind of value and the input column it came from
        (never the value itself).
    """
    allowed_set = {_norm(a) for a in allowed}
    assets = [a for a in assets if a]
    files = {str(p.relative_to(folder)): p for p in sorted(Path(folder).rglob("*")) if p.is_file()}
    texts: dict[str, str] = {}
    read: set[str] = set()
    for key, path in files.items():
        if key in skip:
            continue
        try:
            texts[path.name] = published_text(path, assets)
        except FileNotFoundError:  # a file being written renamed its temporary file meanwhile
            continue
        read.add(key)
    extra = {k: v for k, v in (extra_sources or {}).items() if k not in skip}
    texts.update(extra)
    prepared = {kind: _prepared(bucket) for kind, bucket in needles.by_kind.items()}
    vocabulary = frozenset(run for items in prepared.values() for n in items for run in n.runs)
    problems: list[str] = []
    for name, raw in texts.items():
        text = _Text(raw, vocabulary)
        for kind, label in (
            ("id", "an identifier"),
            ("dob", "a date of birth"),
            ("pay", "an exact pay amount"),
        ):
            hits = [h for h in _find(text, prepared[kind]) if h not in allowed_set]
            if hits:
                where = sorted({needles.by_kind[kind][h] for h in hits})
                problems.append(f"{name} holds {len(hits)} × {label} from {'; '.join(where)}")
        free = _find(text, prepared["free"])
        if len(free) >= FREE_TEXT_HITS:
            where = sorted({needles.by_kind["free"][h] for h in free})
            problems.append(
                f"{name} holds {len(free)} free-text values from {'; '.join(where[:3])}"
            )
    if problems:
        raise LeakError(
            "refusing to publish: row-level values from the input files were found in the "
            "report (the values are not repeated here):\n    "
            + "\n    ".join(problems)
            + "\n  How to fix: look for text copied from the HR extract in the narrative files"
            " (content/), the organisation's name in organisations.csv and the settings; the"
            " previous report is unchanged."
        )
    return read | set(extra)


#: The name the PDF's source (the executed report notebook's text) is checked under.
PDF_SOURCE = "report.pdf (its source)"


def guard_build(
    raw_folder: Path,
    staging: Path,
    report_notebook: Path,
    limits: object,
    needles: Needles | None = None,
    assets: Iterable[str] = (),
    skip: Collection[str] = (),
) -> set[str]:
    """:func:`check_publication` for one build: the inputs of ``raw_folder`` against every
    file in ``staging`` and the executed report notebook (the PDF's source); ``skip``: what
    an earlier call checked (it returns what it checked).

    ``needles``: :func:`needles_from_inputs` of the same folder when the caller read them
    already (a build reads them while its report notebook runs). ``assets``: the package's
    own texts a page carries whole, not searched (:func:`published_text`).

    Raises
    ------
    LeakError
        When row-level values would be published.
    """
    if needles is None:
        needles = needles_from_inputs(raw_folder, limits)
    extra = {}
    if Path(report_notebook).is_file() and PDF_SOURCE not in skip:
        extra[PDF_SOURCE] = notebook_markdown_text(report_notebook)
    allowed: list[str] = []
    tables = Path(staging) / "tables.csv"
    if tables.is_file():
        frame = pd.read_csv(tables, dtype=str, keep_default_na=False)
        allowed = frame.get("value", pd.Series(dtype=str)).astype(str).tolist()
    return check_publication(
        staging, needles, extra_sources=extra, allowed=allowed, assets=assets, skip=skip
    )
