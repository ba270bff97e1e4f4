"""Per-report render times of the two renderers, measured in one run.

Builds the demo (three organisations, two years) once with the offline renderer, then
renders every executed report notebook again with each renderer in turn, timing each
render (HTML and PDF), and the website index with each. Quarto must be on PATH for its
column; without it only the offline times are printed.

Usage: ``python benchmarks/renderers.py [--workdir DIR] [--repeat N]``.
Everything is written under a temporary folder; nothing touches ``data/`` or ``reports/``.
Timings depend on what else the machine is doing: the load average is printed too.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
os.environ.setdefault("MPLBACKEND", "Agg")

from edi_reports import quarto_render, render, site  # noqa: E402
from edi_reports.cli import main  # noqa: E402
from edi_reports.config import financial_year_label  # noqa: E402
from edi_reports.synth import synthesise_demo  # noqa: E402


def _render_once(nb: Path, out: Path, renderer: str, org: str, year: int) -> float:
    label = financial_year_label(year)
    started = time.perf_counter()
    render.render_report(
        nb,
        out,
        title=f"{org}: workforce equality report {label}",
        author=org,
        description=f"Workforce equality figures for {org}, {label}",
        subtitle=f"Snapshot 31 March {year} · financial year {label}",
        breadcrumbs=[{"href": "../../index.html", "label": "All reports"}],
        renderer=renderer,
    )
    return time.perf_counter() - started


def main_(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workdir", help="keep the build here (default: a temporary folder)")
    parser.add_argument("--repeat", type=int, default=1, help="renders per report and renderer")
    args = parser.parse_args(argv)
    root = Path(args.workdir or tempfile.mkdtemp(prefix="edi-bench-render-"))
    dirs = {name: root / name for name in ("raw", "processed", "reports", "content")}
    renderers = ["offline"] + (["quarto"] if shutil.which("quarto") else [])
    print(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    if "quarto" in renderers:
        print(f"quarto {quarto_render.quarto_version()} at {shutil.which('quarto')}")
    else:
        print("no quarto on PATH: offline renderer only")
    if not any(dirs["processed"].glob("*/*/notebooks/04_report.ipynb")):
        synthesise_demo(dirs["raw"], dirs["content"])
        folders = [f"--{k}-dir={v}" for k, v in dirs.items()]
        started = time.perf_counter()
        code = main(["build", "--all", "--renderer", "offline", "--quiet", *folders])
        print(f"demo built (offline) in {time.perf_counter() - started:.1f} s, exit {code}")
    notebooks = sorted(dirs["processed"].glob("*/*/notebooks/04_report.ipynb"))
    print(f"\n{'report':<12}" + "".join(f"{r + ' (s)':>14}" for r in renderers))
    totals: dict[str, list[float]] = {r: [] for r in renderers}
    for nb in notebooks:
        org, year = nb.parents[2].name, int(nb.parents[1].name)
        row = f"{org} {year:<7}"
        for renderer in renderers:
            times = [
                _render_once(nb, root / f"out-{renderer}" / org / str(year), renderer, org, year)
                for _ in range(args.repeat)
            ]
            totals[renderer].append(statistics.median(times))
            row += f"{statistics.median(times):>14.1f}"
        print(row)
    print(f"{'median':<12}" + "".join(f"{statistics.median(totals[r]):>14.1f}" for r in renderers))
    if not any(dirs["reports"].glob("*/*/summary.json")):
        print("no built reports to make a website from (did the demo build fail?)")
        return 1
    row = f"{'website':<12}"
    for renderer in renderers:
        target = root / f"site-{renderer}"
        shutil.rmtree(target, ignore_errors=True)
        shutil.copytree(dirs["reports"], target)
        started = time.perf_counter()
        site.build_site(target, renderer=renderer)
        row += f"{time.perf_counter() - started:>14.1f}"
    print(row)
    if "quarto" in renderers:
        sizes = {
            r: statistics.median(
                p.stat().st_size / 1e6 for p in (root / f"out-{r}").glob("*/*/index.html")
            )
            for r in renderers
        }
        print("median page size (MB): " + ", ".join(f"{r} {s:.2f}" for r, s in sizes.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main_())
