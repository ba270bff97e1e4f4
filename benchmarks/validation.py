"""CPU seconds of the validation stage (methodology-independent): ``validate_tables`` on one
organisation-year's cleaned tables, in new processes.

Each run is a new interpreter that reads the cleaned tables, validates them twice (the
first call pays the GX context and the first-use costs, the second is what each further
organisation-year of a batch worker pays) and prints the CPU of each; the figures are the
medians of ``--runs`` processes. Compare with an older version by putting its ``src`` first
on ``PYTHONPATH``.

Usage: ``python benchmarks/validation.py PROCESSED_DIR [--runs 3] [--year YEAR]
[--import-speedups]`` where ``PROCESSED_DIR`` is a build's ``processed/<ORG>/<YEAR>`` folder;
``--import-speedups`` imports Great Expectations inside
:func:`edi_reports.validation.gx_speedups.import_speedups`, as the validation does when it
is the first to import it.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys

CODE = """
import os, sys, time
os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
import numpy, pandas, pyarrow
from edi_reports import config, store
from edi_reports.validation import quality
processed, year = sys.argv[1], int(sys.argv[2])
tables = store.read_tables(processed)
c = time.process_time()
if sys.argv[3] == "1":
    from edi_reports.validation import gx_speedups
    with gx_speedups.import_speedups():
        import great_expectations
else:
    import great_expectations
imp = time.process_time() - c
runs = []
for _ in range(2):
    c = time.process_time()
    report = quality.validate_tables(
        tables, config.EXPECTATIONS_DIR, year=year, processed_dir=processed
    )
    runs.append(time.process_time() - c)
print(imp, *runs, len(report.results), quality.__file__)
"""


def main() -> None:
    """Print the medians: GX import, first and second ``validate_tables`` call."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("processed")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--year", type=int, default=None)
    parser.add_argument("--import-speedups", action="store_true")
    args = parser.parse_args()
    year = args.year or int(args.processed.rstrip("/").rsplit("/", 1)[-1])
    rows = []
    for _ in range(args.runs):
        out = subprocess.run(
            [sys.executable, "-c", CODE, args.processed, str(year), str(int(args.import_speedups))],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split()
        rows.append([float(x) for x in out[:3]])
        checks, module = out[3], out[4]
    print(f"package: {module}; {checks} checks; median of {args.runs} new processes (CPU s)")
    for i, label in enumerate(
        ("import great_expectations", "validate (1st call)", "validate (2nd call)")
    ):
        print(f"{label:28s} {statistics.median(r[i] for r in rows):6.2f}")


if __name__ == "__main__":
    main()
