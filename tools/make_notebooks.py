"""Write the clean stage-notebook templates in notebooks/ (run after editing the cells here).

Notebooks are committed without outputs; keeping their source here makes review easy.
"""

from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from edi_reports.pipeline.build import PUBLISHED_FILES_TAG

PARAMETERS = """org = "RJZ"  # ODS code of the organisation
year = 2025  # snapshot year: 31 March 2025, reported as 2024/25
raw_dir = ""  # blank: data/raw
processed_dir = ""  # blank: data/processed
content_dir = ""  # blank: content
out_dir = ""  # blank: data/processed/<ORG>/<YEAR>/publish
settings_path = ""  # blank: the defaults of methodology §12.3"""

SETUP = """from edi_reports.notebook import context

ctx = context(org, year, raw_dir, processed_dir, content_dir, out_dir, settings_path)"""

NOTEBOOKS = {
    "01_clean": [
        new_markdown_cell(
            "# 1. Clean\n\nReads the raw extracts in `data/raw/<ORG>/<YEAR>/`, maps ESR headers "
            "and values to the data contract, and writes the cleaned tables and the quarantine "
            "list to `data/processed/<ORG>/<YEAR>/`. Every input row is either used or listed in "
            "`quarantine.csv` with its reason."
        ),
        new_code_cell(PARAMETERS, metadata={"tags": ["parameters"]}),
        new_code_cell(SETUP),
        new_code_cell(
            "from edi_reports.intake import clean as intake\n\n"
            "result = intake.load_inputs(ctx.raw, ctx.year, ctx.settings)\n"
            "intake.write_processed(result, ctx.processed)"
        ),
        new_markdown_cell("Reconciliation: rows in = rows used + rows rejected."),
        new_code_cell("result.reconciliation"),
        new_markdown_cell(
            "Quarantine by file, column, value and reason (row numbers are in "
            "`quarantine.csv`), then the input columns that were ignored or are missing."
        ),
        new_code_cell(
            "from edi_reports.intake import audit as intake_audit\n\nintake_audit.value_groups(result.quarantine)"
        ),
        new_code_cell(
            "print(*result.notes, *intake_audit.column_lines(result.columns), sep=chr(10))"
        ),
    ],
    "02_validate": [
        new_markdown_cell(
            "# 2. Validate\n\nRuns the Great Expectations suites in `expectations/` on the "
            "cleaned tables. A failed **critical** check stops the build and nothing is "
            "published; failed **warning** checks go to the report's data-quality appendix."
        ),
        new_code_cell(PARAMETERS, metadata={"tags": ["parameters"]}),
        new_code_cell(SETUP),
        new_markdown_cell(
            "The organisation's equality action plan (`content/`) is checked first: a "
            "mistake stops the build with the file and line before any figure is published."
        ),
        new_code_cell(
            "from edi_reports.submissions import action_plan\n\n"
            "plan = action_plan.check_content(ctx.paths.content_for(ctx.org, ctx.year))"
        ),
        new_code_cell(
            "from edi_reports import store\nfrom edi_reports.validation import quality as validation\n\n"
            "tables = store.read_tables(ctx.processed)\n"
            "report = validation.validate_tables(\n"
            "    tables,\n"
            "    ctx.paths.expectations,\n"
            "    year=ctx.year,\n"
            "    settings=ctx.settings,\n"
            "    processed_dir=ctx.processed,\n"
            ")\n"
            "store.write_validation(ctx.processed, report)\n"
            "report.summary_frame()"
        ),
        new_code_cell(
            "report.raise_for_critical()  # a failed critical check stops the build here"
        ),
    ],
    "03_measure": [
        new_markdown_cell(
            "# 3. Measure\n\nComputes every figure of `the methodology` (pay gaps, WRES, WDES, "
            "workforce profile) from the cleaned tables. `metrics.csv` is unrounded and "
            "unsuppressed: it is internal and never published."
        ),
        new_code_cell(PARAMETERS, metadata={"tags": ["parameters"]}),
        new_code_cell(SETUP),
        new_code_cell(
            "from edi_reports.measures import compute as measure\nfrom edi_reports import store\n\n"
            "tables = store.read_tables(ctx.processed)\n"
            "previous = measure.previous_tables(ctx)\n"
            "result = measure.compute_metrics(tables, ctx.settings, previous)\n"
            "measure.write_outputs(result, ctx, tables, previous)"
        ),
        new_markdown_cell("Figures that could not be calculated, with the reason:"),
        new_code_cell(
            'result.metrics[result.metrics["status"] != "ok"][["measure", "breakdown", "group", "status"]]'
        ),
        new_code_cell('result.metrics[result.metrics["measure"].str.startswith("gpg.")]'),
    ],
    "04_report": [
        new_markdown_cell(
            "# 4. Report\n\nThe publishable report. Every table and chart below is drawn from the "
            "disclosure-controlled published tables only (`tables.csv`), never from row-level "
            "data. `edi build` renders this executed notebook to HTML and PDF.",
            metadata={"tags": ["remove-cell"]},
        ),
        new_code_cell(PARAMETERS, metadata={"tags": ["parameters"]}),
        new_code_cell(SETUP),
        new_code_cell("from edi_reports.report.core import Report\n\nreport = Report.load(ctx)"),
        new_markdown_cell(
            "Every section shown, in the order of the settings (`report.sections`) or of the "
            "organisation's `content/<ORG>/report.yml`. To look at one section alone, run "
            "for example `report.gender_pay_gap()` in a new cell.",
            metadata={"tags": ["remove-cell"]},
        ),
        new_code_cell("report.body()"),
        new_markdown_cell(
            "The published files: `tables.csv`, `tables.xlsx`, `summary.json` and the "
            "submissions. Written last, and shown nowhere: `edi build` makes the PDF from the "
            "outputs above while this cell runs.",
            metadata={"tags": ["remove-cell"]},
        ),
        new_code_cell(
            "report.write_published_files()",
            metadata={"tags": [PUBLISHED_FILES_TAG]},
        ),
    ],
    "explore": [
        new_markdown_cell(
            "# Explore: your own questions of the data\n\nThe report's own engines (pay gaps, "
            "relative likelihoods, representation) on any breakdown: directorate, staff group, "
            "pay band or any column of the workforce table. Every result is a table of "
            "unrounded figures with 95% intervals and, in `published`, `publishable` and "
            "`note`, what would be shown if it were published and why a figure would be "
            "suppressed. Set `org` and `year` (the organisation-year must have been built or "
            "validated) and run every cell."
        ),
        new_code_cell(PARAMETERS, metadata={"tags": ["parameters"]}),
        new_code_cell(
            "from edi_reports import analysis\n\n"
            "a = analysis.load(org, year, raw_dir, processed_dir, content_dir, out_dir, "
            "settings_path)\n"
            "a.columns()  # columns you can break figures down by"
        ),
        new_markdown_cell("## Is the gender pay gap larger in some directorates?"),
        new_code_cell(
            'by_directorate = a.pay_gap("sex", by="directorate")\n'
            'by_directorate[by_directorate["measure"] == "gpg.median_hourly_gap"]'
        ),
        new_markdown_cell("## The gender pay gap by staff group"),
        new_code_cell('a.pay_gap("sex", by="staff_group")'),
        new_markdown_cell("## The ethnicity pay gap (BME against White staff) by staff group"),
        new_code_cell('a.pay_gap("ethnicity", by="staff_group")'),
        new_markdown_cell(
            "## Likelihood of White staff accessing non-mandatory training compared with BME "
            "staff (WRES 4), by directorate"
        ),
        new_code_cell('training = a.likelihood("wres.4", by="directorate")\ntraining'),
        new_markdown_cell(
            "## Likelihood of BME staff entering the disciplinary process compared with White "
            "staff (WRES 3), by staff group"
        ),
        new_code_cell('a.likelihood("wres.3", by="staff_group")'),
        new_markdown_cell("## Representation: ethnic groups in each pay band"),
        new_code_cell('a.representation("ethnicity", by="pay_band")'),
        new_markdown_cell(
            "## What would be suppressed if published, and why\n\nFigures about small groups "
            "are hidden in a published report (the same rules as every table of the report)."
        ),
        new_code_cell(
            'training.loc[~training["publishable"], ["directorate", "published", "note"]]'
        ),
        new_markdown_cell(
            "## Put an answer in the report\n\nCopy the cells into a section file under "
            "`content/<ORG>/sections/` (see `docs/analysis-api.md`); there, "
            "`a.publish(result, caption=...)` shows the published figures only."
        ),
    ],
}


def main(out: Path | None = None) -> None:
    """Write every notebook template into ``out`` (default: the repository's notebooks/)."""
    out = out or Path(__file__).resolve().parents[1] / "notebooks"
    for name, cells in NOTEBOOKS.items():
        nb = new_notebook(cells=cells)
        nb.metadata["kernelspec"] = {
            "name": "python3",
            "display_name": "Python 3",
            "language": "python",
        }
        nb.metadata["language_info"] = {"name": "python"}
        for i, cell in enumerate(nb.cells):
            cell["id"] = f"{name}-{i:02d}"
        nbformat.write(nb, out / f"{name}.ipynb")


if __name__ == "__main__":
    main()
