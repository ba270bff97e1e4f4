"""CPU seconds of the report stage (notebook 04_report's work), without a kernel.

Each run is a new process that loads an already-built organisation-year's published
tables and times, as CPU seconds (steadier than the wall clock on a shared machine):

1. importing the report (``edi_reports.report.core`` and its sections, after pandas and
   the measure stage, as in a build's kernel), and whether that imported Altair;
2. vl-convert's first chart in the process (its JavaScript engine starting; a build draws
   it while the kernel would otherwise wait);
3. ``Report.load`` and ``write_published_files`` (tables.csv/xlsx, submission files);
4. ``Report.body()`` (every section: tables, text, charts drawn with vl-convert). Files are written to a scratch
folder inside the organisation-year's processed folder (``processed/ORG/YEAR/bench_report``),
never to ``reports/``. To compare with an older version, run the script with that
version's ``src`` first on ``PYTHONPATH``.

Usage: ``python benchmarks/report_stage.py DATA_DIR ORG YEAR [--runs 3]`` where
``DATA_DIR`` holds ``raw/``, ``content/`` and ``processed/`` of a finished ``edi build``.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys

RUN = """
import json, os, sys, time
os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
root, org, year = sys.argv[1], sys.argv[2], int(sys.argv[3])
from edi_reports.notebook import context
out = f"{root}/processed/{org}/{year}/bench_report"
ctx = context(org, year, f"{root}/raw", f"{root}/processed", f"{root}/content", out, "")
import edi_reports.intake.clean, edi_reports.measures.compute  # a kernel's earlier stages
import edi_reports.disclosure.publication
start = time.process_time()
from edi_reports.report.core import Report
from edi_reports.report.sections import SECTIONS
for module, _ in SECTIONS.values():
    __import__(f"edi_reports.report.sections.{module}")
imports = time.process_time() - start
altair = "altair" in sys.modules
start = time.process_time()
import vl_convert
vl_convert.vegalite_to_svg(
    {"data": {"values": [{"a": 1}]}, "mark": "bar", "encoding": {"x": {"field": "a"}}},
    allowed_base_urls=[],
)
first = time.process_time() - start
os.makedirs(out, exist_ok=True)
start = time.process_time()
report = Report.load(ctx)
report.write_published_files()
load = time.process_time() - start
start = time.process_time()
report.body()
body = time.process_time() - start
print(json.dumps({"imports": imports, "altair": altair, "first": first, "load": load, "body": body}))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data_dir")
    parser.add_argument("org")
    parser.add_argument("year")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    import edi_reports

    print(f"package: {edi_reports.__file__}")
    runs = []
    for _ in range(args.runs):
        done = subprocess.run(
            [sys.executable, "-c", RUN, args.data_dir, args.org, args.year],
            check=True,
            capture_output=True,
            text=True,
        )
        runs.append(json.loads(done.stdout.strip().splitlines()[-1]))
    print(f"Altair imported with the report: {sorted({r['altair'] for r in runs})}")
    for key, label in (
        ("imports", "import the report"),
        ("first", "first chart (vl-convert)"),
        ("load", "load + published files"),
        ("body", "report body"),
    ):
        values = [r[key] for r in runs]
        print(f"{label:24s} median {statistics.median(values):.2f} CPU s  runs {values}")
    total = statistics.median(sum(r[k] for k in ("imports", "first", "load", "body")) for r in runs)
    print(f"{'together':24s} median {total:.2f} CPU s")


if __name__ == "__main__":
    main()
