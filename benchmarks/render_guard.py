"""CPU and wall-clock seconds of a build's last two steps on an organisation-year that is built already:
rendering the executed report notebook (HTML and PDF, after
:func:`edi_reports.rendering.offline.warm_up`, as a build does) and the publish guard
(:func:`edi_reports.disclosure.guard.guard_build`, with the needles read beforehand, as a
build reads them while its report notebook runs).

Each run is a new process (what a single build pays); the figure is the median of
``--runs``. CPU time counts every thread and the pandoc subprocess; wall-clock time is
what the step adds to a build's critical path (the PDF renders beside the HTML page), and
varies with the machine's load far more than CPU time does. ``--profile render``
or ``--profile guard`` prints the top of a cProfile of the first run (main thread only:
the PDF renders in a second thread).

Usage: ``python benchmarks/render_guard.py --data D [--org BEN1] [--year 2025] [--runs 3]``
where ``D`` holds ``raw/``, ``content/``, ``processed/`` and ``reports/`` of a finished
``edi build`` (its published folder is copied, never changed).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys

RUN = """
import cProfile, json, pstats, resource, shutil, sys, tempfile, time
from pathlib import Path

def cpu():
    s, c = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return s.ru_utime + s.ru_stime + c.ru_utime + c.ru_stime

data, org, year, profile = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3]), sys.argv[4]
from edi_reports.config import Paths, Settings
from edi_reports.disclosure.guard import guard_build, needles_from_inputs
from edi_reports.pipeline.build import _render
from edi_reports.rendering import offline

paths = Paths(raw=data / "raw", processed=data / "processed", reports=data / "reports",
              content=data / "content")
work, raw = paths.processed_for(org, year), paths.raw_for(org, year)
settings = Settings.load(None)
name = json.loads((paths.reports_for(org, year) / "summary.json").read_text())["name"]
needles = needles_from_inputs(raw, settings.limits)
offline.warm_up()
figures = {}
with tempfile.TemporaryDirectory(prefix="edi-render-") as tmp:
    staging = Path(tmp) / "staging"
    shutil.copytree(paths.reports_for(org, year), staging)
    (staging / "index.html").unlink()
    (staging / "report.pdf").unlink()
    steps = {
        "render": lambda: _render(org, year, paths, work, staging, None, name),
        "guard": lambda: guard_build(raw, staging, work / "notebooks" / "04_report.ipynb",
                                     settings.limits, needles=needles),
    }
    for step, fn in steps.items():
        prof = cProfile.Profile() if profile == step else None
        start, wall = cpu(), time.perf_counter()
        if prof:
            prof.enable()
        fn()
        wall = time.perf_counter() - wall
        if prof:
            prof.disable()
            pstats.Stats(prof, stream=sys.stderr).sort_stats("cumulative").print_stats(30)
        figures[step] = [cpu() - start, wall]
print(json.dumps(figures))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", required=True)
    parser.add_argument("--org", default="BEN1")
    parser.add_argument("--year", default="2025")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--profile", choices=("render", "guard"), default="")
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
    for step in ("render", "guard"):
        for i, unit in enumerate(("CPU", "wall")):
            values = [r[step][i] for r in runs]
            print(
                f"{step:<7} {statistics.median(values):.2f} {unit + ' s':<6} "
                f"(runs: {', '.join(f'{v:.2f}' for v in values)})"
            )


if __name__ == "__main__":
    main()
