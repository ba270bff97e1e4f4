"""Scale benchmarks of batch builds, measured in one run and printed against the goals.

1. one organisation-year end to end (HTML and PDF), warm-kernel engine, and the same with
   ``EDI_KERNELS=fresh`` (a new kernel per notebook, as before) for comparison;
2. 24 organisation-years with ``edi build --all --workers 2``;
3. the same again with nothing changed;
4. a national build: about 220 organisations and 1.5 million staff made by
   ``edi_reports.intake.synth``, cleaned by ``edi_reports.intake.clean`` (2 processes) and benchmarked by
   ``edi_reports.measures.national`` (one vectorised pass), with the peak memory of each part.

Usage: ``python benchmarks/run.py [--workdir DIR] [--skip-national] [--skip-fresh]``.
Everything is written under a temporary folder; nothing touches ``data/`` or ``reports/``.
Timings depend on what else the machine is doing: the load average is printed too.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

BIN = Path(sys.executable).parent
EDI = str(BIN / "edi")
GOALS = {
    "single": 10.0,  # seconds, one org-year with HTML and PDF
    "batch_ratio": 0.6,  # batch seconds per report / single-report seconds
    "unchanged_ratio": 0.05,  # unchanged rebuild / full batch
    "national_seconds": 15 * 60.0,
    "national_gb": 4.0,
}


def _env(**extra: str) -> dict[str, str]:
    env = dict(os.environ, GX_ANALYTICS_ENABLED="false", MPLBACKEND="Agg")
    env.update(extra)
    return env


def _folders(root: Path) -> list[str]:
    return [
        "--raw-dir",
        str(root / "raw"),
        "--content-dir",
        str(root / "content"),
        "--processed-dir",
        str(root / "processed"),
        "--reports-dir",
        str(root / "reports"),
    ]


def _edi(args: list[str], env: dict[str, str] | None = None) -> float:
    """Run ``edi`` and return its wall-clock seconds; stops the benchmark if it fails."""
    started = time.perf_counter()
    done = subprocess.run(
        [EDI, *args, "--quiet"], env=env or _env(), capture_output=True, text=True
    )
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        sys.exit(f"edi {' '.join(args[:3])} failed:\n{done.stdout}\n{done.stderr}")
    return seconds


def _verdict(ok: bool) -> str:
    return "met" if ok else "MISSED"


def single(root: Path, staff: int, fresh: bool) -> tuple[float, dict[str, float]]:
    """One org-year end to end in a new process; returns (seconds, per-stage timings)."""
    shutil.rmtree(root, ignore_errors=True)
    _edi(["synth", "--orgs", "BEN1", "--years", "2025", "--staff", str(staff), *_folders(root)])
    env = _env(EDI_KERNELS="fresh") if fresh else _env()
    seconds = _edi(["build", "--org", "BEN1", "--year", "2025", *_folders(root)], env)
    manifest = json.loads((root / "processed" / "BEN1" / "2025" / "manifest.json").read_text())
    for name in ("index.html", "report.pdf"):
        assert (root / "reports" / "BEN1" / "2025" / name).exists(), name
    return seconds, manifest["timings_seconds"]


def _clean_one(args: tuple[str, str, int]) -> int:
    from edi_reports.intake import clean as intake

    raw, processed, year = args
    result = intake.load_inputs(Path(raw), year)
    intake.write_processed(result, Path(processed))
    return len(result.tables["workforce"])


def national(root: Path, orgs: int, staff: int) -> dict[str, float]:
    """Synthesise, clean and benchmark a national year; seconds and peak memory (GB)."""
    from edi_reports.config import Paths
    from edi_reports.intake.synth import synthesise
    from edi_reports.measures.national import build_national

    shutil.rmtree(root, ignore_errors=True)
    paths = Paths(raw=root / "raw", processed=root / "processed", reports=root / "reports")
    out: dict[str, float] = {}
    started = time.perf_counter()
    written = synthesise(orgs, [2025], staff, 2025, paths.raw, None)
    out["synth_s"] = time.perf_counter() - started
    started = time.perf_counter()
    jobs = [(str(paths.raw_for(o, y)), str(paths.processed_for(o, y)), y) for o, y in written]
    with ProcessPoolExecutor(max_workers=2) as pool:
        out["staff"] = float(sum(pool.map(_clean_one, jobs, chunksize=4)))
    out["clean_s"] = time.perf_counter() - started
    out["clean_peak_gb"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024**2
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    folder = build_national(paths, 2025)
    out["national_s"] = time.perf_counter() - started
    out["national_peak_gb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2
    out["peak_before_national_gb"] = before / 1024**2
    out["orgs"] = float(len(written))
    assert folder is not None and (folder / "benchmarks.csv").exists()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workdir", help="where to write (default: a temporary folder)")
    parser.add_argument("--staff", type=int, default=200, help="staff per org in the batch")
    parser.add_argument("--national-orgs", type=int, default=220)
    parser.add_argument("--national-staff", type=int, default=6800, help="average per org")
    parser.add_argument("--skip-national", action="store_true")
    parser.add_argument("--skip-fresh", action="store_true", help="skip the old-engine run")
    args = parser.parse_args()
    sys.stdout.reconfigure(line_buffering=True)  # progress visible when redirected
    work = Path(args.workdir or tempfile.mkdtemp(prefix="edi-bench-"))
    print(
        f"edi-reports benchmarks in {work}; {os.cpu_count()} CPUs; "
        f"load average at start {os.getloadavg()[0]:.1f}",
        flush=True,
    )

    one, stages = single(work / "single", args.staff, fresh=False)
    print(
        f"\n1. one org-year end to end ({args.staff} staff, HTML + PDF, new process): "
        f"{one:.1f} s  [goal <= {GOALS['single']:.0f} s: {_verdict(one <= GOALS['single'])}]"
    )
    print("   stages (warm kernel): " + ", ".join(f"{k} {v:.1f} s" for k, v in stages.items()))
    if not args.skip_fresh:
        old, old_stages = single(work / "single-fresh", args.staff, fresh=True)
        print(
            f"   same with a new kernel per notebook (EDI_KERNELS=fresh, the old engine): "
            f"{old:.1f} s"
        )
        print(
            "   stages (fresh kernels): "
            + ", ".join(f"{k} {v:.1f} s" for k, v in old_stages.items())
        )

    batch = work / "batch"
    shutil.rmtree(batch, ignore_errors=True)
    _edi(
        [
            "synth",
            "--orgs",
            "12",
            "--years",
            "2024,2025",
            "--staff",
            str(args.staff),
            "--seed",
            "6",
            *_folders(batch),
        ]
    )
    full = _edi(["build", "--all", "--workers", "2", *_folders(batch)])
    reports = sum(1 for _ in (batch / "reports").glob("*/*/index.html"))
    per = full / max(reports, 1)
    ratio = per / one
    print(
        f"\n2. {reports} org-years with 2 workers: {full:.1f} s, {per:.1f} s per report = "
        f"{ratio:.2f} x the single report  "
        f"[goal <= {GOALS['batch_ratio']}: {_verdict(ratio <= GOALS['batch_ratio'])}]"
    )
    again = _edi(["build", "--all", "--workers", "2", *_folders(batch)])
    share = again / full
    print(
        f"3. the same again, nothing changed: {again:.2f} s = {share * 100:.1f} % of the full "
        f"build  [goal <= 5 %: {_verdict(share <= GOALS['unchanged_ratio'])}]"
    )

    if not args.skip_national:
        n = national(work / "national", args.national_orgs, args.national_staff)
        total = n["synth_s"] + n["clean_s"] + n["national_s"]
        peak = max(n["clean_peak_gb"], n["national_peak_gb"])
        ok = total <= GOALS["national_seconds"] and peak <= GOALS["national_gb"]
        print(
            f"\n4. national build: {n['orgs']:.0f} organisations, {n['staff']:,.0f} staff: "
            f"{total:.1f} s in all  [goal <= 15 min and <= 4 GB: {_verdict(ok)}]"
        )
        print(
            f"   synthesise {n['synth_s']:.1f} s; clean (intake, 2 processes) "
            f"{n['clean_s']:.1f} s, peak {n['clean_peak_gb']:.2f} GB per process; "
            f"national pass {n['national_s']:.1f} s, peak {n['national_peak_gb']:.2f} GB "
            f"(process peak before it {n['peak_before_national_gb']:.2f} GB)"
        )
    print(f"\nload average at end {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
