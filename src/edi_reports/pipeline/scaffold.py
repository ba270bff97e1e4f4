"""``edi new ORG --year YEAR``: the folders and templates a new organisation starts from.

Writes, without overwriting anything that exists:

- ``<raw>/<ORG>/<YEAR>/templates/<input>.csv`` and ``.xlsx`` for every input file of the
  data contract: a header row of the contract's own column names and no data (the build
  reads only ``<raw>/<ORG>/<YEAR>/<input>.csv|xlsx``, so the templates are never read as
  data);
- ``<content>/<ORG>/summary.md``, ``objectives.md``, ``wdes_9b.md``, ``<YEAR>/actions.csv``
  and ``sections/_example.md`` (a sample section, ignored while its name starts with
  ``_``), with comments saying what goes where (HTML comments never reach the page).
"""

from __future__ import annotations

from pathlib import Path

from edi_reports.config import Paths
from edi_reports.errors import EdiError

#: Columns of the contract left out of the templates: alternatives of another column.
ALTERNATIVES = frozenset({"assignment_number", "gender_identity_same_as_birth"})

SUMMARY = """<!--
Introduction to {org}'s workforce equality report for {label} (shown under "Introduction
from the organisation"). Write in plain English for staff and the public: what the figures
show this year, what changed, and what you will do next. Comments like this one are never
published. Headings (## ...) are fitted under the report's own headings.
-->
"""

OBJECTIVES = """<!--
Your equality objectives (Public Sector Equality Duty: publish at least one every four
years). A numbered list works well, for example:

1. **Fair recruitment.** Bring the likelihood of White applicants being appointed from
   shortlisting compared with BME applicants (WRES indicator 2) within 0.80 to 1.25 by {next}.
-->
"""

WDES_9B = """<!--
WDES metric 9b: what your organisation has done to make sure the voices of Disabled staff
are heard (for example a Disabled staff network and what came of it). A few paragraphs.
-->
"""

EXAMPLE_SECTION = """---
# A section of your own. Rename this file without the leading underscore (for example
# by_directorate.md) to put it in the report, after the section named by `after`
# (introduction, summary_table, gender_pay_gap, ethnicity_pay_gap, wres, wdes,
# workforce_profile, action_plan, objectives, ...).
title: Gender pay gap by directorate
after: gender_pay_gap
---

Text here is published as written. Code blocks run when the report is built, with the same
organisation and year; only what `a.publish(...)` returns reaches the page, after the same
rounding and suppression of small groups as every other figure in the report.

```python
from edi_reports import analysis

a = analysis.load(org, year, raw_dir, processed_dir, content_dir, out_dir, settings_path, section)
gaps = a.pay_gap("sex", by="directorate")
median = gaps[gaps["measure"] == "gpg.median_hourly_gap"]
```

```python
a.publish(median, caption="Median gender pay gap in hourly pay by directorate", chart=True)
```
"""


def _headers() -> dict[str, list[str]]:
    from edi_reports.intake.clean import ALIASES
    from edi_reports.intake.schema import INPUT_FILES

    return {stem: [c for c in ALIASES[stem] if c not in ALTERNATIVES] for stem in INPUT_FILES}


def new_organisation(org: str, year: int, paths: Paths, name: str = "") -> list[Path]:
    """Create the input and content folders of a new organisation-year with templates.

    Returns
    -------
    list of Path
        The files written (existing files are left alone and not listed).

    Raises
    ------
    EdiError
        When the input folder already holds data for this year.
    """
    import pandas as pd

    from edi_reports.config import financial_year_label

    org = org.strip().upper()
    raw = paths.raw_for(org, year)
    if raw.is_dir() and any(p.suffix in (".csv", ".xlsx") for p in raw.iterdir() if p.is_file()):
        raise EdiError(
            f"{raw} already holds input files; `edi new` only starts an empty organisation-year"
        )
    written: list[Path] = []

    def put(path: Path, text: str) -> None:
        if path.exists():
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)

    templates = raw / "templates"
    templates.mkdir(parents=True, exist_ok=True)
    for stem, columns in _headers().items():
        frame = pd.DataFrame(columns=columns)
        csv, xlsx = templates / f"{stem}.csv", templates / f"{stem}.xlsx"
        put(csv, ",".join(columns) + "\n")
        if not xlsx.exists():
            frame.to_excel(xlsx, index=False, sheet_name=stem)
            written.append(xlsx)
    orgs = paths.raw / "organisations.csv"
    if not orgs.exists():
        put(orgs, f"org_code,name,type,region\n{org},{name or org},,\n")
    else:
        table = pd.read_csv(orgs, dtype=str, keep_default_na=False)
        if org not in set(table.get("org_code", pd.Series(dtype=str)).str.upper()):
            with open(orgs, "a", encoding="utf-8") as fh:
                fh.write(f"{org},{name or org},,\n")
    content = paths.content / org
    label = financial_year_label(year)
    put(content / "summary.md", SUMMARY.format(org=name or org, label=label))
    put(content / "objectives.md", OBJECTIVES.format(next=year + 1))
    put(content / "wdes_9b.md", WDES_9B)
    put(content / str(year) / "actions.csv", "metric,action,timescale,lead\n")
    put(content / "sections" / "_example.md", EXAMPLE_SECTION)
    return written


def next_steps(org: str, year: int, paths: Paths) -> str:
    """What to do after ``edi new``, as printed."""
    raw = paths.raw_for(org, year)
    content = paths.content / org
    return "\n".join(
        [
            f"Started {org} {year}. Next:",
            f"  1. Fill in {raw / 'templates' / 'workforce.csv'} (or the .xlsx) with the staff "
            f"in post on 31 March {year}, and save it as {raw / 'workforce.csv'} (or .xlsx).",
            "     The other templates (recruitment, casework, training, staff_survey, board) are "
            "optional: fill in and save beside it the ones you have.",
            f"  2. Write your introduction, objectives and WDES 9b text in {content}/*.md and "
            f"your actions in {content / str(year) / 'actions.csv'}.",
            f"  3. Optional: your own analysis as a section, see {content / 'sections' / '_example.md'}.",
            f"  4. edi validate --org {org} --year {year}     (data-quality checks)",
            f"     edi preview --org {org} --year {year}      (see the page while you write)",
            f"     edi build --org {org} --year {year}        (publish)",
        ]
    )
