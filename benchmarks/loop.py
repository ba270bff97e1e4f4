"""The analyst's loop: what one build costs, and where the time goes.

Prints medians of several runs (no assertions; timings depend on what else the machine does,
so the load average is printed too):

1. ``import`` times in a new interpreter of the libraries a build loads (wall clock of
   ``python -c "import X"``, and the top self+children entries of ``python -X importtime``);
2. one organisation-year end to end, HTML and PDF, ``edi build`` in a new process;
3. a batch, ``edi build --all --workers 2 --force``, as seconds per organisation-year;
4. with ``--preview``: the round trip of ``edi preview`` after a narrative file is saved
   (save -> the served page shows the new text).

Usage: ``python benchmarks/loop.py [--runs 3] [--staff 1000] [--workdir DIR] [--preview]``.
To measure another version of the package with the same interpreter (for a before/after
comparison), put its ``src`` folder first: ``PYTHONPATH=/path/to/old/src python
benchmarks/loop.py``; the line "package:" says which one ran.
Everything is written under a temporary folder; nothing touches ``data/`` or ``reports/``.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

# the benchmark's environment and folder arguments are those of the scale benchmarks
# (this folder is on sys.path when a script in it runs)
from run import EDI, _env, _folders  # noqa: E402

MODULES = (
    "pandas",
    "scipy.stats",
    "altair",
    "great_expectations",
    "papermill",
    "nbconvert",
    "edi_reports.pipeline.build",
    "edi_reports.cli",
)


#: CPU seconds (user + system) of every finished command, its kernels included: on a
#: shared machine the wall clock mostly measures the other users, the CPU time the work.
CPU: list[float] = []


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _run(args: list[str]) -> float:
    started, cpu = time.perf_counter(), _cpu()
    done = subprocess.run(args, env=_env(), capture_output=True, text=True)
    seconds = time.perf_counter() - started
    CPU.append(_cpu() - cpu)
    if done.returncode != 0:
        sys.exit(f"{' '.join(args[:4])} failed:\n{done.stdout}\n{done.stderr[-3000:]}")
    return seconds


def _median(values: list[float]) -> str:
    return f"{statistics.median(values):.2f} s (runs: {', '.join(f'{v:.2f}' for v in values)})"


def import_times(runs: int) -> None:
    """Wall clock of importing each module in a fresh interpreter, and -X importtime's top."""
    print("1. imports in a new interpreter (median wall clock)")
    for module in MODULES:
        times = [_run([sys.executable, "-c", f"import {module}"]) for _ in range(runs)]
        print(f"   {module:<24} {_median(times)}")
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", "import edi_reports.cli"],
        env=_env(),
        capture_output=True,
        text=True,
    )
    rows = []
    for line in done.stderr.splitlines():
        m = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)", line)
        if m:
            rows.append((int(m.group(2)), len(m.group(3)), m.group(4)))
    top = sorted((r for r in rows if r[1] <= 3), reverse=True)[:8]
    print("   `python -X importtime -c 'import edi_reports.cli'`, largest cumulative:")
    for cumulative, _depth, name in top:
        print(f"     {cumulative / 1e6:6.2f} s  {name}")


def single(work: Path, staff: int, runs: int) -> None:
    root = work / "single"
    shutil.rmtree(root, ignore_errors=True)
    _run(
        [EDI, "synth", "--orgs", "BEN1", "--years", "2025", "--staff", str(staff), "--quiet"]
        + _folders(root)
    )
    times, stages = [], []
    for _ in range(runs):
        times.append(
            _run([EDI, "build", "--org", "BEN1", "--year", "2025", "--quiet", *_folders(root)])
        )
        stages.append(_stage_timings(root / "processed" / "BEN1" / "2025"))
    print(
        f"\n2. one org-year end to end ({staff} staff, HTML + PDF, new process): {_median(times)}"
    )
    print(f"   CPU time of the build and its kernels: {_median(CPU[-runs:])}")
    print("   per stage (wall clock, from manifest.json), median:")
    for name in stages[0]:
        print(f"     {name:<14} {statistics.median(s.get(name, 0.0) for s in stages):6.2f} s")


def _stage_timings(processed: Path) -> dict[str, float]:
    """The stage timings the build recorded in its manifest (seconds)."""
    manifest = json.loads((processed / "manifest.json").read_text())
    return {k: float(v) for k, v in manifest.get("timings_seconds", {}).items()}


def batch(work: Path, staff: int, runs: int, orgs: int, years: str) -> None:
    root = work / "batch"
    shutil.rmtree(root, ignore_errors=True)
    _run(
        [EDI, "synth", "--orgs", str(orgs), "--years", years, "--staff", str(staff), "--seed", "6"]
        + ["--quiet", *_folders(root)]
    )
    reports = orgs * len(years.split(","))
    per, cpu = [], []
    for _ in range(runs):
        seconds = _run(
            [EDI, "build", "--all", "--workers", "2", "--force", "--quiet", *_folders(root)]
        )
        per.append(seconds / reports)
        cpu.append(CPU[-1] / reports)
    print(
        f"\n3. batch of {reports} org-years ({staff} staff each, 2 workers, --force): "
        f"per org-year {_median(per)}"
    )
    print(f"   CPU time per org-year (Dask workers and kernels included): {_median(cpu)}")


def preview(work: Path, runs: int) -> None:
    """Save a narrative file and time until the served page shows the new words."""
    root = work / "single"
    content = root / "content" / "BEN1"
    content.mkdir(parents=True, exist_ok=True)
    port = 8765
    proc = subprocess.Popen(
        [EDI, "preview", "--org", "BEN1", "--year", "2025", "--port", str(port), *_folders(root)],
        env=_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.time() + 900  # the first page may need a full build
        while time.time() < deadline:
            try:
                urllib.request.urlopen(url, timeout=1).read()
                break
            except OSError:
                time.sleep(0.2)
        times = []
        time.sleep(5)  # let the server load the report's tables (as while a user types)
        for i in range(runs):
            marker = f"benchmark-marker-{i}-{time.time_ns()}"
            version = urllib.request.urlopen(url + "__edi/version", timeout=5).read()
            started = time.perf_counter()
            (content / "summary.md").write_text(f"# Our year\n\n{marker}\n", encoding="utf-8")
            # as the page's own script does: ask for the version, then load the page once
            while time.perf_counter() - started < 120:
                if urllib.request.urlopen(url + "__edi/version", timeout=5).read() != version:
                    break
                time.sleep(0.1)
            page = urllib.request.urlopen(url, timeout=30).read().decode("utf-8")
            times.append(time.perf_counter() - started)
            if marker not in page:
                sys.exit("the served page does not show the saved text")
            time.sleep(1)
        print(f"\n4. preview round trip, narrative text saved -> page updated: {_median(times)}")
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--staff", type=int, default=1000)
    parser.add_argument("--batch-orgs", type=int, default=3)
    parser.add_argument("--batch-years", default="2024,2025")
    parser.add_argument("--workdir")
    parser.add_argument("--skip-imports", action="store_true")
    parser.add_argument("--skip-batch", action="store_true")
    parser.add_argument("--preview", action="store_true", help="also time `edi preview`")
    parser.add_argument(
        "--preview-only",
        action="store_true",
        help="only time `edi preview`, on the single build already in --workdir",
    )
    args = parser.parse_args()
    sys.stdout.reconfigure(line_buffering=True)
    work = Path(args.workdir or tempfile.mkdtemp(prefix="edi-loop-"))
    import edi_reports

    print(f"package: {Path(edi_reports.__file__).parent}")
    print(
        f"{os.cpu_count()} CPUs; load average at start "
        f"{' '.join(f'{x:.1f}' for x in os.getloadavg())}; in {work}"
    )
    if args.preview_only:
        preview(work, args.runs)
        return
    if not args.skip_imports:
        import_times(args.runs)
    single(work, args.staff, args.runs)
    if not args.skip_batch:
        batch(work, args.staff, args.runs, args.batch_orgs, args.batch_years)
    if args.preview:
        preview(work, args.runs)
    print(f"\nload average at end {' '.join(f'{x:.1f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
