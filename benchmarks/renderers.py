"""Per-report render times and page sizes of the two renderers, measured in one run.

Builds the demo (three organisations, two years) end to end twice from the same synthetic
input, once with each renderer (``edi build --all --renderer offline|quarto``), and
compares what the two builds published: every report's ``tables.csv`` byte for byte, each
PDF's tagging and page count, and the page sizes. Then it renders every executed report
notebook again with each renderer in turn (the same synthetic flag and branding as the
build), timing each render (HTML and PDF together), and the website with each. Quarto
must be on PATH for its column; without it only the offline figures are printed.

Usage: ``python benchmarks/renderers.py [--workdir DIR] [--repeat N]``.
Everything is written under a temporary folder; nothing touches ``data/`` or ``reports/``.
Timings depend on what else the machine is doing: the load average is printed too. The
two builds are left in the work folder (``reports-offline``, ``reports-quarto``) for
further checks, such as opening every page in a browser.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
os.environ.setdefault("MPLBACKEND", "Agg")

from edi_reports.cli import main  # noqa: E402
from edi_reports.config import Paths, Settings, financial_year_label  # noqa: E402
from edi_reports.intake.synth import synthesise_demo  # noqa: E402
from edi_reports.rendering import offline as render  # noqa: E402
from edi_reports.rendering import quarto as quarto_render  # noqa: E402
from edi_reports.rendering import site  # noqa: E402
from edi_reports.report.branding import load_branding  # noqa: E402


def _render_once(nb: Path, out: Path, renderer: str, paths: Paths, org: str, year: int) -> float:
    label = financial_year_label(year)
    summary = json.loads((paths.reports / org / str(year) / "summary.json").read_text())
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
        synthetic=bool(summary.get("synthetic")),
        branding=load_branding(paths, org, year, Settings()),
    )
    return time.perf_counter() - started


def _build(root: Path, renderer: str) -> tuple[Paths, float, int]:
    """``edi build --all`` of the demo input under ``root`` with one renderer."""
    paths = Paths(
        raw=root / "raw",
        processed=root / f"processed-{renderer}",
        reports=root / f"reports-{renderer}",
        content=root / "content",
    )
    folders = [f"--{k}-dir={getattr(paths, k)}" for k in ("raw", "processed", "reports", "content")]
    started = time.perf_counter()
    code = main(["build", "--all", "--renderer", renderer, "--quiet", *folders])
    return paths, time.perf_counter() - started, code


def _pdf_facts(pdf: Path) -> str:
    if not shutil.which("pdfinfo"):
        return "?"
    out = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    tagged = re.search(r"^Tagged:\s+(\w+)", out, flags=re.M)
    pages = re.search(r"^Pages:\s+(\d+)", out, flags=re.M)
    return f"tagged {tagged.group(1) if tagged else '?'}, {pages.group(1) if pages else '?'} p"


def main_(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workdir", help="keep the builds here (default: a temporary folder)")
    parser.add_argument("--repeat", type=int, default=1, help="renders per report and renderer")
    args = parser.parse_args(argv)
    root = Path(args.workdir or tempfile.mkdtemp(prefix="edi-bench-render-"))
    renderers = ["offline"] + (["quarto"] if shutil.which("quarto") else [])
    print(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    if "quarto" in renderers:
        print(f"quarto {quarto_render.quarto_version()} at {shutil.which('quarto')}")
    else:
        print("no quarto on PATH: offline renderer only")
    if not (root / "raw").exists():
        synthesise_demo(root / "raw", root / "content")
    built: dict[str, Paths] = {}
    for renderer in renderers:
        paths, seconds, code = _build(root, renderer)
        built[renderer] = paths
        print(f"demo built with {renderer} in {seconds:.1f} s, exit {code}")
        if code != 0:
            return code
    base = built["offline"]
    reports = sorted(p.parent for p in base.reports.glob("*/*/summary.json"))
    print(f"\n{'report':<12}{'tables.csv':>12}" + "".join(f"{r + ' PDF':>22}" for r in renderers))
    for folder in reports:
        rel = folder.relative_to(base.reports)
        tables = {r: (built[r].reports / rel / "tables.csv").read_bytes() for r in renderers}
        same = "identical" if len(set(tables.values())) == 1 else "DIFFERENT"
        facts = "".join(
            f"{_pdf_facts(built[r].reports / rel / 'report.pdf'):>22}" for r in renderers
        )
        print(f"{str(rel):<12}{same:>12}{facts}")
    sizes = {
        r: [p.stat().st_size / 1e6 for p in built[r].reports.glob("*/*/index.html")]
        for r in renderers
    }
    print(
        "report page size (MB), median [min-max]: "
        + "; ".join(
            f"{r} {statistics.median(s):.2f} [{min(s):.2f}-{max(s):.2f}]" for r, s in sizes.items()
        )
    )
    notebooks = sorted(base.processed.glob("*/*/notebooks/04_report.ipynb"))
    print(f"\n{'render (s)':<12}" + "".join(f"{r:>14}" for r in renderers))
    totals: dict[str, list[float]] = {r: [] for r in renderers}
    for nb in notebooks:
        org, year = nb.parents[2].name, int(nb.parents[1].name)
        row = f"{org} {year:<7}"
        for renderer in renderers:
            times = [
                _render_once(
                    nb, root / f"out-{renderer}" / org / str(year), renderer, base, org, year
                )
                for _ in range(args.repeat)
            ]
            totals[renderer].append(statistics.median(times))
            row += f"{statistics.median(times):>14.1f}"
        print(row)
    print(f"{'median':<12}" + "".join(f"{statistics.median(totals[r]):>14.1f}" for r in renderers))
    row = f"{'website':<12}"
    for renderer in renderers:
        started = time.perf_counter()
        site.build_site(built[renderer].reports, renderer=renderer)
        row += f"{time.perf_counter() - started:>14.1f}"
    print(row)
    print(f"\nbuilds kept in {root}")
    return 0


if __name__ == "__main__":
    sys.exit(main_())
