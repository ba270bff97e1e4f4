"""Time and peak memory of the clean stage's reader on hostile and accidental input files.

Each file is made here (nothing is committed), put in a folder as ``workforce.xlsx`` or
``workforce.csv`` and read by :func:`edi_reports.intake.clean.load_inputs` (what the clean stage
runs) in a new Python process; the script prints the wall time, the peak resident memory
of that process and the first line of the message (or "read": the file was read).

Goal: every file refused or read in under 60 s (CPU time of the reading process; the wall
time is printed too, and depends on the machine's load) and under 2 GB.

Usage: ``python benchmarks/hostile.py [--workdir DIR] [--only NAME ...]``.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

GOAL_SECONDS = 60.0
GOAL_GB = 2.0

HEADER = [
    "Assignment Number",
    "Ethnic Origin",
    "Gender",
    "Disability",
    "Staff Group",
    "Pay Band",
    "Contracted Hours",
    "Ordinary Pay",
    "Age",
]
ROW = [
    "{i:08d}-1",
    "A",
    "Female",
    "No",
    "Nursing and Midwifery Registered",
    "Band 5",
    "37.5",
    "2500.00",
    "41",
]

_SHEET_HEAD = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<dimension ref="{dim}"/><sheetData>'
)
_SHEET_TAIL = "</sheetData></worksheet>"


def _inline(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def _col(n: int) -> str:
    out = ""
    while n:
        n, r = divmod(n - 1, 26)
        out = chr(65 + r) + out
    return out


def _workbook(path: Path, sheet_chunks: Callable[[], object], dim: str) -> None:
    """A minimal valid .xlsx whose first sheet's XML is streamed from ``sheet_chunks``."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            "</Types>",
        )
        z.writestr(
            "_rels/.rels",
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
            "</Relationships>",
        )
        z.writestr(
            "xl/workbook.xml",
            '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        z.writestr(
            "xl/_rels/workbook.xml.rels",
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
            "</Relationships>",
        )
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as fh:
            fh.write(_SHEET_HEAD.format(dim=dim).encode())
            for chunk in sheet_chunks():  # type: ignore[attr-defined]
                fh.write(chunk.encode())
            fh.write(_SHEET_TAIL.encode())


def _data_rows(n: int, first: int = 1) -> str:
    rows = [
        '<row r="1">'
        + "".join(_inline(f"{_col(j + 1)}1", h) for j, h in enumerate(HEADER))
        + "</row>"
    ]
    for i in range(first, first + n):
        r = i + 1
        cells = "".join(_inline(f"{_col(j + 1)}{r}", v.format(i=i)) for j, v in enumerate(ROW))
        rows.append(f'<row r="{r}">{cells}</row>')
    return "".join(rows)


def declared_grid(path: Path) -> None:
    """50 staff, the used range declared as the whole grid, styled empty cells at the far
    corner (an accidental Excel export): ~11 KB."""

    def chunks():
        yield _data_rows(50)
        yield '<row r="1048576"><c r="XFD1048576" s="1"/></row>'

    _workbook(path, chunks, "A1:XFD1048576")


def zip_bomb(path: Path, gigabytes: float = 3.0) -> None:
    """A sheet of ~3 GB of XML compressed to a few MB."""
    filler = '<row><c s="1"/></row>' * 50_000

    def chunks():
        yield _data_rows(10)
        for _ in range(int(gigabytes * 1024**3 / len(filler))):
            yield filler

    _workbook(path, chunks, "A1:H11")


def near_caps(path: Path, megabytes: int = 59) -> None:
    """Just under the uncompressed limit, in the smallest cells the format allows (the most
    cells to parse per megabyte): 199 numbers a row, every cell distinct."""

    def chunks():
        yield _data_rows(1)
        size, r = 0, 3
        while size < megabytes * 1024**2:
            row = "<row>" + "".join(f"<c><v>{r * 199 + j}</v></c>" for j in range(199)) + "</row>"
            size += len(row)
            r += 1
            yield row

    _workbook(path, chunks, "A1:H3")


def many_rows_csv(path: Path, rows: int = 600_000) -> None:
    """More rows than the limit."""
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(",".join(HEADER) + "\n")
        line = ",".join(ROW) + "\n"
        for i in range(rows):
            fh.write(line.format(i=i))


def big_csv(path: Path, megabytes: int = 99) -> None:
    """Just under the file-size limit, 100 columns of distinct numbers."""
    header = ",".join(HEADER + [f"extra{j}" for j in range(91)]) + "\n"
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(header)
        size, i = len(header), 0
        while size < megabytes * 1024**2:
            line = (
                ",".join(v.format(i=i) for v in ROW)
                + ","
                + ",".join(str(i * 100 + j) for j in range(91))
                + "\n"
            )
            fh.write(line)
            size += len(line)
            i += 1
            if i >= 490_000:
                break


def wide_csv(path: Path) -> None:
    """A header of 100,000 columns."""
    path.write_text(",".join(f"c{j}" for j in range(100_000)) + "\n1\n", encoding="utf-8")


def long_cell_csv(path: Path) -> None:
    """One cell of 50 million characters."""
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(",".join(HEADER) + ",Notes\n")
        fh.write(",".join(v.format(i=1) for v in ROW) + ",")
        fh.write("9" * 50_000_000 + "\n")


CASES: dict[str, tuple[str, Callable[[Path], None]]] = {
    "declared_grid": ("workforce.xlsx", declared_grid),
    "zip_bomb_3gb": ("workforce.xlsx", zip_bomb),
    "near_caps_xlsx": ("workforce.xlsx", near_caps),
    "rows_600k_csv": ("workforce.csv", many_rows_csv),
    "big_99mb_csv": ("workforce.csv", big_csv),
    "wide_100k_columns_csv": ("workforce.csv", wide_csv),
    "long_cell_50m_csv": ("workforce.csv", long_cell_csv),
}

_CHILD = """
import sys
from pathlib import Path
from edi_reports.errors import EdiError
from edi_reports.intake.clean import load_inputs
try:
    result = load_inputs(Path(sys.argv[1]), 2025)
    print("read:", len(result.tables["workforce"]), "rows used")
except EdiError as exc:
    print(str(exc).splitlines()[0])
"""


def measure(folder: Path) -> tuple[float, float, float, str]:
    """Wall seconds, CPU seconds, peak RSS (GB) and the last output line of a child reading
    ``folder`` (CPU time is the fairer figure on a shared, loaded machine)."""
    started = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-c", _CHILD, str(folder)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    out = proc.stdout.read() if proc.stdout else ""
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - started
    peak_gb = usage.ru_maxrss / 1024**2  # ru_maxrss is in KB on Linux
    cpu = usage.ru_utime + usage.ru_stime
    lines = [line for line in out.splitlines() if line.strip()]
    return seconds, cpu, peak_gb, (lines[-1] if lines else f"exit {proc.returncode}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workdir", type=Path, default=None)
    parser.add_argument("--only", nargs="*", default=None)
    args = parser.parse_args()
    root = args.workdir or Path(tempfile.mkdtemp(prefix="edi-hostile-"))
    print(f"load average {os.getloadavg()[0]:.1f}; files under {root}")
    failed = False
    for name, (filename, make) in CASES.items():
        if args.only and name not in args.only:
            continue
        folder = root / name
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / filename
        if not path.exists():
            make(path)
        seconds, cpu, gb, said = measure(folder)
        ok = cpu < GOAL_SECONDS and gb < GOAL_GB
        failed |= not ok
        size = path.stat().st_size / 1024**2
        print(
            f"{name:22} {size:8.2f} MB  wall {seconds:6.1f} s  cpu {cpu:6.1f} s  {gb:5.2f} GB  "
            f"{'ok ' if ok else 'MISS'}  {said[:110]}",
            flush=True,
        )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
