"""The organisation's own sections: analysts' notebooks placed in the published report.

An organisation adds sections as notebooks (``.ipynb``) or as Markdown files with Python
code blocks (``.md``) under ``content/<ORG>/sections/`` (every year) or
``content/<ORG>/<YEAR>/sections/`` (one year; a file of the same name replaces the
organisation-wide one). After the report notebook has run, the build executes each section
with the same parameters as the stage notebooks (papermill, same kernel) and places its
output in the report after the section named by its front matter::

    ---
    title: Pay gaps by directorate
    after: gender_pay_gap        # a report section: see AFTER
    ---

(for a notebook, the same keys under ``"edi"`` in its metadata, or the front matter in its
first Markdown or raw cell).

What reaches the page is decided here, not by the section: the section's Markdown text
(rendered safely, headings fitted under the section title) and the outputs of
:meth:`edi_reports.analysis.Analysis.publish`, which shows disclosure-controlled published
values only. Any other output (a DataFrame, printed text, a figure drawn by hand) stops the
build with a message naming the file and the cell, and the last good report stays in place.
The published rows are added to ``tables.csv`` / ``tables.xlsx`` (table ``section_<name>``).
"""

from __future__ import annotations

import copy
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nbformat
import yaml
from nbformat.v4 import new_code_cell, new_notebook, new_output

from edi_reports.config import Paths
from edi_reports.errors import EdiError

SECTIONS = "sections"
SUFFIXES = (".md", ".ipynb")
COMBINED = "report.ipynb"
#: Report sections a custom section can follow (the report notebook's cells), in page order.
AFTER: tuple[str, ...] = (
    "introduction",
    "summary_table",
    "benchmarking",
    "trends",
    "gender_pay_gap",
    "ethnicity_pay_gap",
    "disability_pay_gap",
    "sexual_orientation_pay_gap",
    "wres",
    "wdes",
    "workforce_profile",
    "intersections",
    "action_plan",
    "objectives",
    "methodology",
    "privacy_note",
    "data_quality",
)
DEFAULT_AFTER = "objectives"
PARAMETER_NAMES = (
    "org",
    "year",
    "raw_dir",
    "processed_dir",
    "content_dir",
    "out_dir",
    "settings_path",
    "section",
)


class SectionRefused(EdiError):
    """A section cannot be published as it stands (the message says where and why)."""


@dataclass
class SourceCell:
    kind: str  # "markdown" or "code"
    source: str
    where: str  # "cell 3" or "line 12"


@dataclass
class SectionSource:
    """One section file, parsed."""

    path: Path
    title: str
    after: str
    cells: list[SourceCell] = field(default_factory=list)

    @property
    def name(self) -> str:
        return re.sub(r"[^a-z0-9]+", "_", self.path.stem.lower()).strip("_") or "section"


# --------------------------------------------------------------------------- finding


def section_dirs(paths: Paths, org: str, year: int) -> list[Path]:
    """Section folders, most specific first."""
    return [folder / SECTIONS for folder in paths.content_for(org, year)]


def section_files(paths: Paths, org: str, year: int) -> list[Path]:
    """The section files of an organisation-year, in page order of their names (a year's
    file replaces the organisation-wide file of the same name)."""
    chosen: dict[str, Path] = {}
    for folder in reversed(section_dirs(paths, org, year)):
        if not folder.is_dir():
            continue
        for path in sorted(folder.iterdir()):
            if (
                path.is_file()
                and path.suffix.lower() in SUFFIXES
                and not path.name.startswith(("_", "."))
                and path.name.lower() != "readme.md"
            ):
                chosen[path.stem] = path
    return [chosen[k] for k in sorted(chosen)]


# --------------------------------------------------------------------------- parsing

_FRONT = re.compile(r"\A---\s*\n(.*?)\n---\s*(\n|\Z)", re.S)
_FENCE = re.compile(r"^```+\s*\{?\s*(python|py)\b[^\n]*\}?\s*$", re.I)


def _front_matter(text: str, path: Path) -> tuple[dict[str, Any], str]:
    m = _FRONT.match(text)
    if not m:
        return {}, text
    try:
        meta = yaml.safe_load(m.group(1)) or {}
    except yaml.YAMLError as exc:
        raise SectionRefused(f"{path}: the front matter is not valid YAML ({exc})") from exc
    if not isinstance(meta, dict):
        raise SectionRefused(f"{path}: the front matter must be `key: value` lines")
    return meta, text[m.end() :]


def _placement(meta: dict[str, Any], path: Path) -> tuple[str, str]:
    title = str(meta.get("title") or path.stem.replace("_", " ").replace("-", " ").capitalize())
    after = str(meta.get("after") or DEFAULT_AFTER).strip().replace("-", "_")
    if after not in AFTER:
        raise SectionRefused(
            f"{path}: `after: {after}` is not a report section; use one of {', '.join(AFTER)}"
        )
    return title, after


def parse_markdown(path: Path) -> SectionSource:
    """A Markdown section: front matter, text, and ```python code blocks (each a cell)."""
    text = path.read_text(encoding="utf-8")
    meta, body = _front_matter(text, path)
    offset = text[: len(text) - len(body)].count("\n")
    cells: list[SourceCell] = []
    buf: list[str] = []
    code: list[str] | None = None
    start = 0
    for number, line in enumerate(body.splitlines(), start=offset + 1):
        if code is None and _FENCE.match(line.strip()):
            if "".join(buf).strip():
                cells.append(SourceCell("markdown", "\n".join(buf).strip(), f"line {start}"))
            buf, code, start = [], [], number
        elif code is not None and line.strip().startswith("```"):
            cells.append(SourceCell("code", "\n".join(code), f"code block at line {start}"))
            code, start = None, number + 1
        elif code is not None:
            code.append(line)
        else:
            if not buf:
                start = number
            buf.append(line)
    if code is not None:
        raise SectionRefused(f"{path}: the code block at line {start} is not closed with ```")
    if "".join(buf).strip():
        cells.append(SourceCell("markdown", "\n".join(buf).strip(), f"line {start}"))
    title, after = _placement(meta, path)
    return SectionSource(path, title, after, cells)


def parse_notebook(path: Path) -> SectionSource:
    """A notebook section: placement from ``metadata.edi`` or a front-matter first cell;
    cells tagged ``parameters`` are replaced by the build's own parameters."""
    try:
        nb = nbformat.read(str(path), as_version=4)
    except Exception as exc:  # damaged JSON, not a notebook
        raise SectionRefused(f"{path}: not a readable notebook ({exc})") from exc
    meta = dict(nb.metadata.get("edi", {}) or {})
    cells: list[SourceCell] = []
    for index, cell in enumerate(nb.cells, start=1):
        source = cell.source
        if index == 1 and cell.cell_type in ("markdown", "raw"):
            front, source = _front_matter(source, path)
            meta = {**front, **meta}
            if not source.strip():
                continue
        if "parameters" in cell.metadata.get("tags", []):
            continue
        if cell.cell_type == "code":
            cells.append(SourceCell("code", source, f"cell {index}"))
        elif cell.cell_type == "markdown" and source.strip():
            cells.append(SourceCell("markdown", source, f"cell {index}"))
    title, after = _placement(meta, path)
    return SectionSource(path, title, after, cells)


def parse(path: Path) -> SectionSource:
    return parse_notebook(path) if path.suffix.lower() == ".ipynb" else parse_markdown(path)


def to_notebook(source: SectionSource) -> nbformat.NotebookNode:
    """The notebook the build executes: a parameters cell, then the section's code cells
    (Markdown is rendered by the build, not executed)."""
    params = "\n".join(f'{name} = ""' for name in PARAMETER_NAMES)
    cells = [new_code_cell(params, metadata={"tags": ["parameters"]})]
    for i, cell in enumerate(source.cells):
        if cell.kind == "code":
            cells.append(new_code_cell(cell.source, metadata={"edi_cell": i}))
    nb = new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    for i, cell in enumerate(nb.cells):
        cell["id"] = f"section-{i:02d}"
    return nb


# --------------------------------------------------------------------------- running


@dataclass
class SectionOutput:
    source: SectionSource
    outputs: list[dict[str, Any]]


def _fit_headings(text: str, top_level: int) -> str:
    """HTML comments removed; headings shifted so the highest is ``top_level``."""
    text = re.sub(r"<!--.*?-->", "", text, flags=re.S)
    levels = [len(m) for m in re.findall(r"^(#{1,6})\s", text, flags=re.M)]
    if not levels:
        return text.strip()
    shift = top_level - min(levels)
    return re.sub(
        r"^(#{1,6})(?=\s)",
        lambda m: "#" * min(6, max(1, len(m.group(1)) + shift)),
        text,
        flags=re.M,
    ).strip()


def _bundle(item: Any) -> dict[str, Any]:
    data, meta = item._repr_mimebundle_()
    return new_output("display_data", data=data, metadata=meta)


def _describe(out: dict[str, Any]) -> str:
    if out.get("output_type") == "stream":
        return "printed text"
    data = out.get("data", {})
    html = str(data.get("text/html", ""))
    if "<table" in html or "dataframe" in html:
        return "a table that did not go through a.publish() (a DataFrame or row-level data)"
    if any(k.startswith("image/") for k in data):
        return "an image or chart that did not go through a.publish()"
    return "a value that did not go through a.publish()"


def checked_outputs(source: SectionSource, executed: nbformat.NotebookNode) -> list[dict[str, Any]]:
    """The outputs of an executed section that may be published, in page order.

    Raises
    ------
    SectionRefused
        Naming the section file and cell of the first output that is not the analysis
        API's published output (stderr warnings are dropped, never published).
    """
    from edi_reports.analysis import PUBLISHED_MARK
    from edi_reports.report import display

    by_index = {
        int(c.metadata.get("edi_cell", -1)): c for c in executed.cells if c.cell_type == "code"
    }
    outputs = [
        _bundle(
            display.heading(
                source.title, level=2, anchor="section-" + source.name.replace("_", "-")
            )
        )
    ]
    for i, cell in enumerate(source.cells):
        if cell.kind == "markdown":
            outputs.append(_bundle(display.md(_fit_headings(cell.source, top_level=3))))
            continue
        ran = by_index.get(i)
        for out in ran.get("outputs", []) if ran is not None else []:
            kind = out.get("output_type")
            if kind == "stream" and out.get("name") == "stderr":
                continue
            if kind == "error":
                raise SectionRefused(
                    f"{source.path}, {cell.where}: failed with {out.get('ename')}: "
                    f"{out.get('evalue')}"
                )
            if kind in ("display_data", "execute_result") and out.get("metadata", {}).get(
                "edi", {}
            ).get(PUBLISHED_MARK):
                outputs.append(
                    new_output("display_data", data=out["data"], metadata=out["metadata"])
                )
                continue
            raise SectionRefused(
                f"{source.path}, {cell.where}: shows {_describe(out)}. Only what "
                "a.publish(result, caption=...) returns can reach the report; assign other "
                "values to a name (`x = ...`) instead of showing them."
            )
    return outputs


def _refusal(exc: EdiError, source: SectionSource, executed: Path) -> SectionRefused:
    """A failed cell as a plain message naming the section file and cell."""
    cause = exc.__cause__
    where = "a cell"
    try:  # papermill marks the failed cell (and adds cells of its own around it)
        nb = nbformat.read(str(executed), as_version=4)
    except Exception:
        nb = nbformat.v4.new_notebook()
    for cell in nb.cells:
        failed = cell.metadata.get("papermill", {}).get("exception")
        if failed and cell.metadata.get("edi_cell") is not None:
            where = source.cells[int(cell.metadata["edi_cell"])].where
            break
    ename = getattr(cause, "ename", "")
    evalue = getattr(cause, "evalue", str(exc))
    prefix = "" if ename in ("PublishRefused", "EdiError") else f"{ename}: "
    return SectionRefused(f"{source.path}, {where}: {prefix}{evalue}")


def run_sections(
    org: str,
    year: int,
    paths: Paths,
    parameters: dict[str, Any],
    work: Path,
    staging: Path,
    *,
    kernel: Any = None,
    progress: Any = None,
    only: Path | None = None,
) -> list[SectionOutput]:
    """Execute every section of an organisation-year and assemble the report notebook.

    Writes ``notebooks/report.ipynb`` (the report notebook with the sections' outputs
    placed) beside ``04_report.ipynb`` and adds the sections' published rows to the staged
    ``tables.csv`` / ``tables.xlsx``. With no section, removes any earlier
    ``report.ipynb`` and does nothing else.

    Parameters
    ----------
    only
        Re-run this section file alone and keep the other sections' earlier outputs (the
        preview server, when one section file is saved).

    Raises
    ------
    SectionRefused
        When a section fails or shows something that is not publishable.
    """
    from edi_reports.pipeline.build import NOTEBOOK_DIRNAME, run_notebook

    notebooks = work / NOTEBOOK_DIRNAME
    combined = notebooks / COMBINED
    files = section_files(paths, org, year)
    registry = work / SECTIONS
    if not files:
        combined.unlink(missing_ok=True)
        shutil.rmtree(registry, ignore_errors=True)
        return []
    if only is None:
        shutil.rmtree(registry, ignore_errors=True)
    results: list[SectionOutput] = []
    folder = notebooks / SECTIONS
    folder.mkdir(parents=True, exist_ok=True)
    for path in files:
        source = parse(path)
        cached = folder / f"{source.name}.outputs.json"
        if only is not None and path != only and cached.exists():
            outputs = nbformat.reads(cached.read_text(encoding="utf-8"), as_version=4)
            results.append(SectionOutput(source, list(outputs.cells[0].outputs)))
            continue
        if progress is not None:
            progress(f"[{org} {year}] section {path.name}")
        for stale in registry.glob(f"{source.name}.*"):
            stale.unlink()
        nb = to_notebook(source)
        src_nb = folder / f"{source.name}.source.ipynb"
        nbformat.write(nb, str(src_nb))
        executed_path = folder / f"{source.name}.ipynb"
        try:
            run_notebook(
                src_nb,
                executed_path,
                {**parameters, "section": str(path)},
                cwd=work,
                kernel=kernel,
            )
        except SectionRefused:
            raise
        except EdiError as exc:
            raise _refusal(exc, source, executed_path) from exc
        executed = nbformat.read(str(executed_path), as_version=4)
        outputs = checked_outputs(source, executed)
        holder = new_notebook(cells=[new_code_cell("", outputs=outputs)])
        cached.write_text(nbformat.writes(holder), encoding="utf-8")
        results.append(SectionOutput(source, outputs))
    assemble(notebooks / "04_report.ipynb", combined, results)
    add_published_rows(staging, registry, parameters.get("settings_path") or None)
    return results


def assemble(report_nb: Path, out: Path, sections: list[SectionOutput]) -> Path:
    """The executed report notebook with each section's outputs placed after the cell of
    the report section it names."""
    nb = place(nbformat.read(str(report_nb), as_version=4), sections)
    nbformat.write(nb, str(out))
    return out


def place(nb: nbformat.NotebookNode, sections: list[SectionOutput]) -> nbformat.NotebookNode:
    """``nb`` (changed in place) with each section's outputs after its report section."""
    cells = split_body(list(nb.cells))
    for section in reversed(sections):
        call = f"report.{section.source.after}()"
        at = next(
            (i for i, c in enumerate(cells) if c.cell_type == "code" and c.source.strip() == call),
            len(cells) - 1,
        )
        cell = new_code_cell("", outputs=copy.deepcopy(section.outputs))
        cell.metadata["edi_section"] = section.source.path.name
        cell["id"] = f"edi-section-{section.source.name}"[:64]
        cells.insert(at + 1, cell)
    nb.cells = cells
    return nb


def split_body(cells: list) -> list:
    """The report's one ``report.body()`` cell (sections in the order of the settings) as
    one cell per section, each with the source of its own method (``report.wres()``), so a
    section can be placed after any of them. The outputs are cut at each level-2 heading."""
    from edi_reports.report.core import SECTION_METHODS

    out = []
    for cell in cells:
        if cell.cell_type != "code" or cell.source.strip() != "report.body()":
            out.append(cell)
            continue
        parts: list[tuple[str, list]] = [("introduction", [])]
        for output in cell.get("outputs", []):
            meta = output.get("metadata", {}).get("edi", {})
            if meta.get("kind") == "heading" and meta.get("level") == 2:
                name = str(meta.get("id", "")).replace("-", "_")
                if name in SECTION_METHODS:
                    parts.append((name, []))
            parts[-1][1].append(output)
        for i, (name, outputs) in enumerate(parts):
            if not outputs:
                continue
            part = new_code_cell(f"report.{SECTION_METHODS[name]}()", outputs=outputs)
            part.metadata = copy.deepcopy(cell.metadata)
            part["id"] = f"{cell.get('id', 'body')}-{i}"[:64]
            out.append(part)
    return out


def add_published_rows(staging: Path, registry: Path, settings_path: str | None) -> None:
    """Append the sections' published rows to the staged ``tables.csv`` / ``tables.xlsx``
    (a figure already in the report's own tables is not repeated)."""
    import pandas as pd

    from edi_reports.config import Settings
    from edi_reports.disclosure.control import PUBLISHED_COLUMNS, write_tables

    extra = sorted(registry.glob("*.tables.csv")) if registry.is_dir() else []
    main_path = staging / "tables.csv"
    if not extra or not main_path.exists():
        return
    main = pd.read_csv(main_path, dtype=str, keep_default_na=False)
    keys = ["measure", "breakdown", "group", "reference_group"]
    rows = pd.concat(
        [pd.read_csv(p, dtype=str, keep_default_na=False) for p in extra], ignore_index=True
    ).drop_duplicates(keys)
    seen = pd.MultiIndex.from_frame(main[keys])
    fresh = rows[~pd.MultiIndex.from_frame(rows[keys]).isin(seen)]
    frame = pd.concat([main, fresh.loc[:, list(PUBLISHED_COLUMNS)]], ignore_index=True)
    write_tables(frame, staging, settings=Settings.load(settings_path))


def report_notebook(work: Path) -> Path:
    """The notebook to render: the report with its sections when there are any."""
    from edi_reports.pipeline.build import NOTEBOOK_DIRNAME

    combined = work / NOTEBOOK_DIRNAME / COMBINED
    return combined if combined.exists() else work / NOTEBOOK_DIRNAME / "04_report.ipynb"


# --------------------------------------------------------------------------- demo

DEMO_MARKER = "<!-- edi demo section -->"
DEMO_SECTION = """---
title: Pay and training by directorate and staff group
after: wres
---
<!-- edi demo section -->
This section is our own analysis, added to the standard report. It uses the same methods
and the same privacy rules as the rest of the report: figures about small groups are
shown as *.

## Gender pay gap by directorate

```python
from edi_reports import analysis

a = analysis.load(org, year, raw_dir, processed_dir, content_dir, out_dir, settings_path, section)
gaps = a.pay_gap("sex", by="directorate")
median = gaps[gaps["measure"] == "gpg.median_hourly_gap"]
a.publish(
    median,
    caption="Median gender pay gap in hourly pay, by directorate",
    chart=True,
)
```

## Access to non-mandatory training by staff group

A relative likelihood above 1.00 means White staff were more likely than BME staff to
access non-mandatory training and CPD (WRES indicator 4).

```python
training = a.likelihood("wres.4", by="staff_group")
a.publish(
    training,
    caption="Likelihood of White staff accessing non-mandatory training compared with BME staff, by staff group",
)
```
"""


def write_demo_section(content_dir: Path, org: str) -> Path | None:
    """The demo organisation's own section (``content/<ORG>/sections/by_directorate.md``);
    a file not written by this function is left alone."""
    path = Path(content_dir) / org / SECTIONS / "by_directorate.md"
    if path.exists() and DEMO_MARKER not in path.read_text(encoding="utf-8", errors="replace"):
        return None
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(DEMO_SECTION, encoding="utf-8")
    return path
