"""What a build pays once per process, measured as CPU seconds (not wall clock).

On a shared machine the wall clock mostly measures the other users; the CPU time of a new
interpreter doing one thing is steadier. Each figure is the median of ``--runs`` new
processes:

1. ``import great_expectations`` after numpy/pandas/pyarrow, as a validation kernel does,
   with and without deferring what it loads but never uses (:mod:`edi_reports.lazy_imports`);
2. vl-convert's first chart in a process against the next one (the first starts its
   JavaScript engine and loads fonts; a build does that while its kernel would wait);
3. rendering an executed report notebook (HTML and PDF) cold, and after
   :func:`edi_reports.rendering.offline.warm_up` (which a build runs while the report notebook runs).

Usage: ``python benchmarks/components.py [--runs 3] [--notebook EXECUTED_04_report.ipynb]``
(without ``--notebook`` a small demo organisation is built in a temporary folder first).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from run import EDI, _env, _folders  # noqa: E402

CPU = """
import resource
def cpu():
    s, c = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return s.ru_utime + s.ru_stime + c.ru_utime + c.ru_stime
"""

GX = (
    CPU
    + """
import sys, numpy, pandas, pyarrow
from edi_reports import lazy_imports
if sys.argv[1] == "deferred":
    lazy_imports.defer(*lazy_imports.GX_UNUSED)
c = cpu()
import great_expectations
print(cpu() - c)
"""
)

VL = (
    CPU
    + """
import vl_convert as v
spec = {"data": {"values": [{"a": 1}]}, "mark": "bar", "encoding": {"x": {"field": "a"}}}
c = cpu(); v.vegalite_to_svg(spec, allowed_base_urls=[]); first = cpu() - c
c = cpu(); v.vegalite_to_svg(spec, allowed_base_urls=[]); print(first, cpu() - c)
"""
)

RENDER = (
    CPU
    + """
import sys, tempfile
from pathlib import Path
from edi_reports.rendering import offline as render
if sys.argv[2] == "warm":
    render.warm_up()
c = cpu()
with tempfile.TemporaryDirectory() as out:
    render.render_report(Path(sys.argv[1]), Path(out), title="T", author="A", description="D",
                         subtitle="S", renderer="offline")
print(cpu() - c)
"""
)


def _floats(code: str, *args: str) -> list[float]:
    done = subprocess.run(
        [sys.executable, "-c", code, *args], env=_env(), capture_output=True, text=True
    )
    if done.returncode != 0:
        sys.exit(done.stderr[-2000:])
    return [float(x) for x in done.stdout.split()]


def _median(values: list[float]) -> str:
    return f"{statistics.median(values):.2f} s (runs: {', '.join(f'{v:.2f}' for v in values)})"


def _notebook(work: Path) -> Path:
    root = work / "demo"
    for args in (
        ["synth", "--orgs", "BEN1", "--years", "2025", "--staff", "1000"],
        ["build", "--org", "BEN1", "--year", "2025"],
    ):
        subprocess.run([EDI, *args, "--quiet", *_folders(root)], env=_env(), check=True)
    return root / "processed" / "BEN1" / "2025" / "notebooks" / "04_report.ipynb"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--notebook")
    args = parser.parse_args()
    sys.stdout.reconfigure(line_buffering=True)
    print(f"{os.cpu_count()} CPUs; load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    print("CPU seconds, median of new processes")
    for mode in ("as imported", "deferred"):
        values = [_floats(GX, mode)[0] for _ in range(args.runs)]
        print(f"1. import great_expectations, scipy.stats {mode:<11} {_median(values)}")
    pairs = [_floats(VL) for _ in range(args.runs)]
    print(f"2. vl-convert first chart   {_median([p[0] for p in pairs])}")
    print(f"   vl-convert next chart    {_median([p[1] for p in pairs])}")
    with tempfile.TemporaryDirectory(prefix="edi-components-") as tmp:
        notebook = Path(args.notebook) if args.notebook else _notebook(Path(tmp))
        for mode in ("cold", "warm"):
            values = [_floats(RENDER, str(notebook), mode)[0] for _ in range(args.runs)]
            print(f"3. render HTML + PDF, {mode:<5}  {_median(values)}")
    print(f"load average at end {' '.join(f'{x:.1f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
