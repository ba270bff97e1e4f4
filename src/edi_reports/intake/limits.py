"""Bounded reading of input files: size, rows, columns, cell length, zip expansion.

Every input (HR extract, ``organisations.csv``, narrative in ``content/``) may be touched by
several people, and a spreadsheet can be made (or exported by accident) so that reading it
naively exhausts the machine: a sheet that declares ``A1:XFD1048576`` as its used range, or a
small zip that expands to gigabytes. Each limit here is a setting (``limits:`` in the
settings file, :class:`edi_reports.config.Limits`) and refuses with a plain message naming
the file and the limit before the file is read in full.

Workbooks are read with openpyxl's streaming (read-only) reader with the sheet's declared
dimensions ignored, at most ``max_columns + 1`` columns wide, and the data ends at the first
run of ``blank_run_rows`` blank rows (a value after such a run is refused, never dropped).
"""

from __future__ import annotations

import os
import stat
import zipfile
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from edi_reports.config import DEFAULT_SETTINGS, Limits
from edi_reports.errors import InputError

__all__ = [
    "check_cells",
    "check_content_file",
    "check_file_size",
    "check_regular_file",
    "check_shape",
    "check_zip",
    "read_xlsx_rows",
]

_MB = 1024 * 1024
_SETTING_HINT = "or raise the limit in the settings file (limits: {name}: ...)"


def _limits(limits: Limits | None) -> Limits:
    return DEFAULT_SETTINGS.limits if limits is None else limits


def check_regular_file(path: Path, folder: Path | None = None, what: str = "input") -> Path:
    """Refuse anything that is not a regular file inside its folder.

    A symbolic link (to a file inside or outside the folder), a device, a pipe or a socket
    is refused: a link from ``content/`` to the raw HR extract would otherwise publish it.

    Parameters
    ----------
    path
        The file.
    folder
        The folder it must be inside (default: its parent).
    what
        ``"input"`` or ``"content"``, for the message.

    Raises
    ------
    InputError
        Naming the file and what it is instead.
    """
    path = Path(path)
    try:
        info = os.lstat(path)
    except OSError:
        raise InputError(
            str(path), "file not found", fix="Check the folder and file name."
        ) from None
    if stat.S_ISLNK(info.st_mode):
        raise InputError(
            str(path),
            f"this {what} file is a symbolic link; only regular files are read",
            fix="Replace the link with a copy of the file itself.",
        )
    if not stat.S_ISREG(info.st_mode):
        raise InputError(
            str(path),
            f"this {what} file is not a regular file (a device, pipe or socket)",
            fix="Replace it with an ordinary file.",
        )
    parent = Path(folder) if folder is not None else path.parent
    if not path.resolve().is_relative_to(parent.resolve()):
        raise InputError(
            str(path),
            f"this {what} file resolves outside its folder {parent}",
            fix="Put the file itself in the folder, not a link to it.",
        )
    return path


def check_content_file(path: Path, folder: Path, limits: Limits | None = None) -> Path:
    """A narrative file of ``content/``: regular, inside ``folder``, at most
    ``limits.max_content_kb`` (a narrative is a few pages of text)."""
    lim = _limits(limits)
    check_regular_file(path, folder, what="content")
    size = Path(path).stat().st_size
    if size > lim.max_content_kb * 1024:
        raise InputError(
            str(path),
            f"the narrative file is {size / 1024:,.0f} KB, over the limit of "
            f"{lim.max_content_kb} KB",
            fix="Shorten it (a report's narrative is a few pages), "
            + _SETTING_HINT.format(name="max_content_kb")
            + ".",
        )
    return Path(path)


def check_file_size(path: Path, limits: Limits | None = None) -> int:
    """The file's size in bytes, or a plain error when over ``limits.max_file_mb``."""
    lim = _limits(limits)
    size = Path(path).stat().st_size
    if size > lim.max_file_mb * _MB:
        raise InputError(
            str(path),
            f"the file is {size / _MB:,.0f} MB, over the limit of {lim.max_file_mb} MB for one "
            "input file",
            fix="Check that this is the right extract (one organisation and year), "
            + _SETTING_HINT.format(name="max_file_mb")
            + ".",
        )
    return size


def check_zip(path: Path, limits: Limits | None = None) -> None:
    """Refuse a workbook that expands too much before any of it is decompressed.

    Checks the zip's central directory: the total uncompressed size against
    ``limits.max_xlsx_uncompressed_mb`` and each member's uncompressed/compressed ratio
    against ``limits.max_xlsx_ratio`` (a "zip bomb" expands thousands of times).

    Raises
    ------
    InputError
        Not a zip, or over either limit.
    """
    lim = _limits(limits)
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise InputError(
            str(path),
            "this is not a valid .xlsx workbook (it may be damaged, password-protected, or a"
            " renamed file of another type)",
            fix="Open it in Excel and save it again as .xlsx (Excel Workbook) or CSV UTF-8.",
        ) from None
    total = sum(m.file_size for m in members)
    if total > lim.max_xlsx_uncompressed_mb * _MB:
        raise InputError(
            str(path),
            f"the workbook expands to {total / _MB:,.0f} MB when unzipped, over the limit of "
            f"{lim.max_xlsx_uncompressed_mb} MB",
            fix="Save the data as CSV UTF-8, remove empty formatted rows and columns, "
            + _SETTING_HINT.format(name="max_xlsx_uncompressed_mb")
            + ".",
        )
    for m in members:
        if m.file_size > _MB and m.file_size > lim.max_xlsx_ratio * max(m.compress_size, 1):
            raise InputError(
                str(path),
                f"part {m.filename!r} of the workbook expands {m.file_size / max(m.compress_size, 1):,.0f}"
                f" times when unzipped, over the limit of {lim.max_xlsx_ratio} (a real export "
                "expands far less; this looks like a damaged or crafted file)",
                fix="Open it in Excel, copy the data to a new workbook and save it as .xlsx or"
                " CSV UTF-8.",
            )


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def read_xlsx_rows(path: Path, limits: Limits | None = None) -> list[list[Any]]:
    """The first sheet's rows, read with bounded memory and time.

    The declared used range is ignored (``reset_dimensions``); each row is cut to
    ``max_columns + 1`` cells, and a value in that extra column is refused; the data ends
    at the first run of ``blank_run_rows`` blank rows, and any value after it is refused
    (so nothing is dropped silently); more than ``max_rows`` rows is refused.

    Returns
    -------
    list of list
        Cell values as openpyxl gives them; trailing blank rows and columns removed.

    Raises
    ------
    InputError
        Over a limit, or a workbook openpyxl cannot read.
    """
    import openpyxl

    lim = _limits(limits)
    check_zip(path, lim)
    width = lim.max_columns + 1
    rows: list[list[Any]] = []
    blanks = 0  # blank rows seen since the last row with a value
    used = 0  # columns used by any row
    gap: tuple[Any, ...] | None = None
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
        try:
            sheet = workbook.worksheets[0]
            sheet.reset_dimensions()
            for number, row in enumerate(
                sheet.iter_rows(min_row=1, max_col=width, values_only=True), start=1
            ):
                if row is gap or row.count(None) == len(row):  # fast path: empty rows
                    gap = row  # openpyxl yields one shared tuple for every missing row
                    blanks += 1
                    continue
                filled = [i for i, v in enumerate(row) if not _blank(v)]
                if not filled:
                    blanks += 1
                    continue
                if rows and blanks >= lim.blank_run_rows:
                    raise InputError(
                        str(path),
                        f"row {number} holds values after {blanks:,} blank rows; the data is "
                        f"read up to the first run of {lim.blank_run_rows:,} blank rows",
                        fix="Delete the blank rows so the data is one block, or move the "
                        "values below them to another file.",
                    )
                if filled[-1] >= lim.max_columns:
                    raise InputError(
                        str(path),
                        f"row {number} has a value beyond column {lim.max_columns}, over the "
                        f"limit of {lim.max_columns} columns",
                        fix="Remove the extra columns, "
                        + _SETTING_HINT.format(name="max_columns")
                        + ".",
                    )
                rows.extend([[]] * blanks if rows else [])
                blanks = 0
                if len(rows) > lim.max_rows:
                    raise InputError(
                        str(path),
                        f"the sheet has more than {lim.max_rows:,} rows, over the limit",
                        fix="Check that this is one organisation and year, "
                        + _SETTING_HINT.format(name="max_rows")
                        + ".",
                    )
                used = max(used, filled[-1] + 1)
                rows.append(list(row[: filled[-1] + 1]))
        finally:
            workbook.close()
    except InputError:
        raise
    except Exception as exc:  # openpyxl raises many types for damaged workbooks
        raise InputError(
            str(path),
            f"the workbook could not be read ({type(exc).__name__})",
            fix="Open it in Excel and save it again as .xlsx (Excel Workbook).",
        ) from None
    return rows


def check_shape(grid: pd.DataFrame, path: Path, limits: Limits | None = None) -> None:
    """Refuse a parsed grid with more rows or columns than the limits allow."""
    lim = _limits(limits)
    if grid.shape[1] > lim.max_columns:
        raise InputError(
            str(path),
            f"the file has {grid.shape[1]:,} columns, over the limit of {lim.max_columns}",
            fix="Remove the extra columns, " + _SETTING_HINT.format(name="max_columns") + ".",
        )
    if grid.shape[0] > lim.max_rows + 1:  # + the header line
        raise InputError(
            str(path),
            f"the file has {grid.shape[0] - 1:,} rows, over the limit of {lim.max_rows:,}",
            fix="Check that this is one organisation and year, "
            + _SETTING_HINT.format(name="max_rows")
            + ".",
        )


def check_first_line(text: str, sep: str, path: Path, limits: Limits | None = None) -> None:
    """Refuse a CSV whose first line has more fields than ``max_columns`` before parsing."""
    lim = _limits(limits)
    first = text.split("\n", 1)[0]
    if first.count(sep) + 1 > lim.max_columns:
        raise InputError(
            str(path),
            f"the header line has {first.count(sep) + 1:,} fields, over the limit of "
            f"{lim.max_columns} columns",
            fix="Remove the extra columns, " + _SETTING_HINT.format(name="max_columns") + ".",
        )


def check_cells(grid: pd.DataFrame, path: Path, limits: Limits | None = None) -> None:
    """Refuse a grid with a cell longer than ``max_cell_chars`` (naming its row and column).

    ``grid`` holds every cell as text, the header on its first non-blank line; the row given
    is the line of the grid (1-based).
    """
    lim = _limits(limits)
    for col in grid.columns:
        cells = grid[col].to_numpy(object)
        lengths = np.array([len(v) if type(v) is str else 0 for v in cells], dtype=np.int64)
        if len(lengths) and int(lengths.max()) > lim.max_cell_chars:
            line = int(lengths.argmax()) + 1
            raise InputError(
                str(path),
                f"line {line}, column {int(col) + 1 if isinstance(col, int) else col} holds "
                f"{int(lengths.max()):,} characters, over the limit of {lim.max_cell_chars:,} "
                "for one cell",
                fix="Shorten or remove that value, "
                + _SETTING_HINT.format(name="max_cell_chars")
                + ".",
            )
