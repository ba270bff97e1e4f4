"""CPU seconds of each part of a build's render and publish guard, on an organisation-year
that is built already: the renderer's imports, :func:`edi_reports.rendering.offline.warm_up`,
the HTML page (:func:`~edi_reports.rendering.offline.render_html`), the PDF's three steps
(the notebook as Markdown, pandoc to Typst, Typst to PDF) and
:func:`edi_reports.disclosure.guard.guard_build` (needles read beforehand, as a build does).

Each run is a new process; every step runs twice in it, so that both the first call (what a
single build pays) and a further call (a warm batch worker) are shown. Papermill (with nbformat
and nbclient) and pandas are imported and the notebook schema compiled first, as in a build's
main process, which has read and written notebooks by then. CPU is
``time.process_time()`` of this process, plus the CPU of child processes (pandoc) for the
pandoc step. All steps run in the main thread, one after the other (a build renders the PDF
beside the page: the sum is the CPU, not the wall-clock time). The figures are medians of
``--runs`` processes.

Usage: ``python benchmarks/render_parts.py --data D [--org BEN1] [--year 2025] [--runs 3]
[--profile STEP]`` where ``D`` holds ``raw/``, ``content/``, ``processed/`` and ``reports/``
of a finished ``edi build`` (its published folder is copied, never changed). ``--profile``
prints a cProfile of the STEP's first call in the first run.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys

STEPS = ("import", "warm_up", "html", "markdown", "pandoc", "typst", "guard")

RUN = """
import cProfile, json, os, pstats, resource, shutil, sys, tempfile, time
from pathlib import Path

def children():
    c = resource.getrusage(resource.RUSAGE_CHILDREN)
    return c.ru_utime + c.ru_stime

data, org, year, profile = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3]), sys.argv[4]
import nbformat, papermill  # a build's main process has run notebooks already: nbformat,
nbformat.validate(nbformat.v4.new_notebook())  # nbclient and the notebook schema are ready
from edi_reports.config import Paths, Settings, financial_year_label
from edi_reports.disclosure.guard import guard_build, needles_from_inputs
from edi_reports.report.branding import load_branding

paths = Paths(raw=data / "raw", processed=data / "processed", reports=data / "reports",
              content=data / "content")
work, raw = paths.processed_for(org, year), paths.raw_for(org, year)
settings = Settings.load(None)
nb = work / "notebooks" / "04_report.ipynb"
name = json.loads((paths.reports_for(org, year) / "summary.json").read_text())["name"]
title = f"{name}: workforce equality report {financial_year_label(year)}"
needles = needles_from_inputs(raw, settings.limits)
brand = load_branding(paths, org, year, settings)
figures = {}

def timed(step, fn):
    prof = cProfile.Profile() if profile == step and step not in figures else None
    start, kids = time.process_time(), children()
    if prof:
        prof.enable()
    result = fn()
    if prof:
        prof.disable()
        pstats.Stats(prof, stream=sys.stderr).sort_stats("cumulative").print_stats(35)
    figures.setdefault(step, []).append(time.process_time() - start + children() - kids)
    return result

def imports():
    from edi_reports.rendering import offline
    import pypandoc, typst  # imported inside the PDF's functions
    return offline

with tempfile.TemporaryDirectory(prefix="edi-render-") as tmp:
    staging = Path(tmp) / "staging"
    shutil.copytree(paths.reports_for(org, year), staging)
    (staging / "report.pdf").unlink()
    offline = timed("import", imports)
    timed("warm_up", offline.warm_up)
    for attempt in range(2):
        if attempt:
            timed("import", imports)
            timed("warm_up", offline.warm_up)
        timed("html", lambda: offline.render_html(nb, staging / "index.html", title=title,
                                                  description="d", brand=brand))
        pdf = Path(tmp) / f"pdf{attempt}"
        pdf.mkdir()
        markdown = timed("markdown", lambda: offline._pdf_markdown(
            offline.clean_notebook(offline._read(nb)), pdf, brand))
        body = timed("pandoc", lambda: offline.markdown_to_typst(markdown, title))
        def typst_step():
            import typst
            source = offline.typst_document(body, title=title, author=name, brand=brand)
            (pdf / "report.typ").write_text(source, encoding="utf-8")
            out = typst.compile(str(pdf / "report.typ"), root=str(pdf), format="pdf",
                                pdf_standards=["ua-1"], font_paths=offline._typst_fonts())
            (staging / "report.pdf").write_bytes(offline.drop_false_suspects(out))
        timed("typst", typst_step)
        timed("guard", lambda: guard_build(raw, staging, nb, settings.limits, needles=needles))
print(json.dumps(figures))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", required=True)
    parser.add_argument("--org", default="BEN1")
    parser.add_argument("--year", default="2025")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--profile", choices=STEPS, default="")
    args = parser.parse_args()
    runs = []
    for i in range(args.runs):
        profile = args.profile if i == 0 else ""
        done = subprocess.run(
            [sys.executable, "-c", RUN, args.data, args.org, args.year, profile],
            capture_output=True,
            text=True,
        )
        if done.returncode != 0:
            sys.exit(done.stderr[-3000:])
        if profile:
            print(done.stderr)
        runs.append(json.loads(done.stdout.splitlines()[-1]))
    print(f"CPU seconds, median of {len(runs)} new processes (first call / further call)")
    totals = [0.0, 0.0]
    for step in STEPS:
        cells = []
        for call in (0, 1):
            values = [r[step][call] for r in runs]
            totals[call] += statistics.median(values)
            cells.append(
                f"{statistics.median(values):.3f} ({', '.join(f'{v:.3f}' for v in values)})"
            )
        print(f"{step:<9} {cells[0]:<28} / {cells[1]}")
    print(f"{'sum':<9} {totals[0]:.3f}{'':<23} / {totals[1]:.3f}")


if __name__ == "__main__":
    main()
