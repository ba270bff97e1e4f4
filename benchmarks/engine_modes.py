"""What the plumbing of a build costs: the same builds under several engines, interleaved.

On a shared machine the load changes from minute to minute, so the variants are run in turn
(run 1 of every variant, then run 2 of every variant...) rather than one after the other,
and the CPU time (user + system of the build and everything it starts: kernels, worker
processes, pandoc) is the figure to compare; the wall clock is printed too.

Variants: ``auto`` (the default engine: stage notebooks in the build process, a one-off
build's validation on a kernel beside it), ``warm`` (``EDI_KERNELS=warm``: every notebook on
warm kernels), ``inprocess`` (``EDI_KERNELS=inprocess``: every notebook in the build
process, validation included), ``dask`` (a batch on a Dask LocalCluster, ``--scheduler
local``, instead of the plain process pool) and, with ``--old-src DIR``, ``old``: the default
engine of another version of the package (its ``src`` folder put first on ``PYTHONPATH``; its
checkout must hold the notebooks). ``old`` is started through the package's own ``cli``
module, whichever of ``run`` and ``main`` it has, so that any earlier version can be
measured (the branch point of an issue, say).

Usage: ``python benchmarks/engine_modes.py [--runs 3] [--batch-runs 2] [--staff 1000]
[--batch-orgs 2] [--variants auto,warm,inprocess,dask] [--old-src DIR] [--workdir DIR]``.
Everything is written under a temporary folder; nothing touches ``data/`` or ``reports/``.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from run import EDI, _env, _folders  # noqa: E402  (this folder is on sys.path)


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


#: Starts the ``edi`` command of whichever version of the package is first on ``PYTHONPATH``:
#: the console script names ``cli.run``, which versions before 27 November 2026 lack.
OLD_EDI = [
    sys.executable,
    "-c",
    "import sys, edi_reports.cli as c; sys.exit((getattr(c, 'run', None) or c.main)())",
]


def _edi(name: str) -> list[str]:
    """The command that starts ``edi`` for a variant."""
    return OLD_EDI if name == "old" else [EDI]


def _run(args: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall and CPU seconds of one command (its children included)."""
    started, cpu = time.perf_counter(), _cpu()
    done = subprocess.run(args, env=env, capture_output=True, text=True)
    seconds, used = time.perf_counter() - started, _cpu() - cpu
    if done.returncode != 0:
        sys.exit(f"{' '.join(args[:4])} failed:\n{done.stdout}\n{done.stderr[-3000:]}")
    return seconds, used


def _variant_env(name: str, old_src: str | None) -> tuple[dict[str, str], list[str]]:
    """The environment and extra batch arguments of a variant."""
    if name in ("warm", "inprocess"):
        return _env(EDI_KERNELS=name), []
    if name == "dask":
        return _env(), ["--scheduler", "local"]
    if name == "old":
        if not old_src:
            sys.exit("the variant old needs --old-src")
        return _env(PYTHONPATH=old_src), []
    return _env(), []


#: A fixed piece of work (pure Python: hashing, sorting, string building) that changes with
#: nothing in the package: how long it takes alone, and two copies at once, tells a fast
#: spell of the shared machine from a slow one, and whether its two cores are both there
#: (a build keeps two processes busy), so that runs made hours apart can be compared.
REFERENCE = """
import hashlib
for i in range(6):
    words = sorted(hashlib.sha256(str(i * 100_003 + j).encode()).hexdigest() for j in range(60_000))
    text = " ".join(words).casefold().split()
"""


def _reference() -> str:
    """The reference work's wall-clock seconds alone and with two copies at once (medians
    of three), and the cores that makes available (2.0: both, 1.0: one)."""
    alone, pair = [], []
    for _ in range(3):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", REFERENCE], check=True)
        alone.append(time.perf_counter() - started)
        started = time.perf_counter()
        both = [subprocess.Popen([sys.executable, "-c", REFERENCE]) for _ in range(2)]
        for process in both:
            process.wait()
        pair.append(time.perf_counter() - started)
    one, two = statistics.median(alone), statistics.median(pair)
    return f"{one:.2f} s alone, two at once {two:.2f} s ({2 * one / two:.1f} cores)"


def _median(values: list[float]) -> str:
    return f"{statistics.median(values):6.2f} (runs: {', '.join(f'{v:.2f}' for v in values)})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="single builds per variant")
    parser.add_argument("--batch-runs", type=int, default=2, help="batches per variant")
    parser.add_argument("--staff", type=int, default=1000)
    parser.add_argument("--batch-orgs", type=int, default=2)
    parser.add_argument("--batch-years", default="2024,2025")
    parser.add_argument("--variants", default="auto,warm,inprocess,dask")
    parser.add_argument("--old-src")
    parser.add_argument("--workdir")
    args = parser.parse_args()
    sys.stdout.reconfigure(line_buffering=True)
    variants = [v.strip() for v in args.variants.split(",") if v.strip()]
    if args.old_src and "old" not in variants:
        variants.insert(0, "old")
    work = Path(args.workdir or tempfile.mkdtemp(prefix="edi-engines-"))
    print(
        f"{os.cpu_count()} CPUs; load average at start "
        f"{' '.join(f'{x:.1f}' for x in os.getloadavg())}; reference work {_reference()}; "
        f"in {work}"
    )
    single_dirs, batch_dirs = {}, {}
    for name in variants:
        root = work / f"single-{name}"
        shutil.rmtree(root, ignore_errors=True)
        synth = [EDI, "synth", "--orgs", "BEN1", "--years", "2025", "--staff", str(args.staff)]
        _run([*synth, "--quiet", *_folders(root)], _env())
        single_dirs[name] = root
        root = work / f"batch-{name}"
        shutil.rmtree(root, ignore_errors=True)
        synth = [EDI, "synth", "--orgs", str(args.batch_orgs), "--years", args.batch_years]
        synth += ["--staff", str(args.staff), "--seed", "6", "--quiet"]
        _run([*synth, *_folders(root)], _env())
        batch_dirs[name] = root
    single = {name: ([], []) for name in variants}
    for _ in range(args.runs):
        for name in (v for v in variants if v != "dask"):  # dask: a batch-only variant
            env, _extra = _variant_env(name, args.old_src)
            build = [*_edi(name), "build", "--org", "BEN1", "--year", "2025", "--quiet"]
            wall, cpu = _run([*build, *_folders(single_dirs[name])], env)
            single[name][0].append(wall)
            single[name][1].append(cpu)
    print(f"\none org-year end to end ({args.staff} staff, HTML + PDF, new process), seconds:")
    for name in (v for v in variants if v != "dask"):
        walls, cpus = single[name]
        print(f"  {name:<10} CPU {_median(cpus)}   wall {_median(walls)}")
    reports = args.batch_orgs * len(args.batch_years.split(","))
    batch = {name: ([], []) for name in variants}
    for _ in range(args.batch_runs):
        for name in variants:
            env, extra = _variant_env(name, args.old_src)
            build = [*_edi(name), "build", "--all", "--workers", "2", "--force", "--quiet"]
            build += extra
            wall, cpu = _run([*build, *_folders(batch_dirs[name])], env)
            batch[name][0].append(wall / reports)
            batch[name][1].append(cpu / reports)
    print(f"\nbatch of {reports} org-years (2 workers, --force), seconds per org-year:")
    for name in variants:
        walls, cpus = batch[name]
        print(f"  {name:<10} CPU {_median(cpus)}   wall {_median(walls)}")
    print(
        f"\nload average at end {' '.join(f'{x:.1f}' for x in os.getloadavg())}; "
        f"reference work {_reference()}"
    )


if __name__ == "__main__":
    main()
