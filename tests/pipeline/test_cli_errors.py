"""File-level input problems through the command line (data contract §2 and §4).

A good report is published once; then each file-level problem of the data contract is put
in the input folder in turn and ``edi build`` is run. Each must stop with a non-zero exit
status and a plain message that names the file (and the column where there is one) and
says how to fix it, with no traceback; the report published before stays byte-for-byte the
same and no partial file or staging folder is left behind. ``--debug`` shows a traceback.
"""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from edi_reports.cli import main
from edi_reports.intake.synth import synthesise

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("cli_errors")]

ORG, YEAR = "XCE", 2025


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    """A small organisation built and published once; its raw files saved for restoring."""
    root = tmp_path_factory.mktemp("cli_errors")
    dirs = {name: root / name for name in ("raw", "processed", "reports", "content")}
    synthesise([ORG], [YEAR], 40, 5, dirs["raw"], dirs["content"])
    args = [f"--{k}-dir={v}" for k, v in dirs.items()] + ["--quiet"]
    assert main(["build", "--org", ORG, "--year", str(YEAR), *args]) == 0
    raw = dirs["raw"] / ORG / str(YEAR)
    saved = {p.name: p.read_bytes() for p in raw.iterdir()}
    return dirs, args, raw, saved


def tree_digest(folder: Path) -> dict[str, str]:
    """SHA-256 of every file under ``folder`` (hidden ones included), by relative path."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def restore(raw: Path, saved: dict[str, bytes]) -> None:
    shutil.rmtree(raw)
    raw.mkdir(parents=True)
    for name, data in saved.items():
        (raw / name).write_bytes(data)


def drop_column(raw: Path, stem: str, header: str) -> None:
    frame = pd.read_csv(raw / f"{stem}.csv", dtype=str, keep_default_na=False)
    frame.drop(columns=[header]).to_csv(raw / f"{stem}.csv", index=False)


def rename_header(raw: Path, old: str, new: str) -> None:
    path = raw / "workforce.csv"
    header, rest = path.read_text(encoding="utf-8").split("\n", 1)
    path.write_text(header.replace(f'"{old}"', f'"{new}"') + "\n" + rest, encoding="utf-8")


def truncate(raw: Path) -> None:
    path = raw / "workforce.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join(lines[:12]) + '\n"TR1234567","White - Bri', encoding="utf-8")


def add_xlsx(raw: Path) -> None:
    frame = pd.read_csv(raw / "workforce.csv", dtype=str)
    frame.to_excel(raw / "workforce.xlsx", index=False)


# name -> (how to break the input, words the message must hold)
PROBLEMS: dict[str, tuple[Callable[[Path], None], tuple[str, ...]]] = {
    "missing workforce file": (
        lambda raw: (raw / "workforce.csv").unlink(),
        ("workforce.csv", "missing", "Add workforce.csv"),
    ),
    "empty file": (
        lambda raw: (raw / "workforce.csv").write_bytes(b""),
        ("workforce.csv", "empty"),
    ),
    "header only": (
        lambda raw: (raw / "workforce.csv").write_text(
            (raw / "workforce.csv").read_text().splitlines()[0] + "\n"
        ),
        ("workforce.csv", "no data rows"),
    ),
    "missing required column": (
        lambda raw: drop_column(raw, "workforce", "Ordinary Pay"),
        ("workforce.csv", "ordinary_pay", "missing", "Ordinary Pay"),
    ),
    "missing column in an optional file": (
        lambda raw: drop_column(raw, "recruitment", "Appointed"),
        ("recruitment.csv", "appointed", "missing"),
    ),
    "duplicate headers": (
        lambda raw: rename_header(raw, "Age", "Sex"),
        ("workforce.csv", "'Sex'", "more than once"),
    ),
    "two headers meaning one column": (
        lambda raw: rename_header(raw, "Age", "Gender"),
        ("workforce.csv", "both mean 'sex'"),
    ),
    "binary file": (
        lambda raw: (raw / "workforce.csv").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"),
        ("workforce.csv", "binary"),
    ),
    "truncated file": (truncate, ("workforce.csv", "truncated")),
    "both csv and xlsx": (add_xlsx, ("workforce.csv and workforce.xlsx", "one file")),
}


@pytest.mark.parametrize("problem", sorted(PROBLEMS))
def test_file_level_problem_stops_the_build_plainly(published, problem, capsys):
    dirs, args, raw, saved = published
    report = dirs["reports"] / ORG / str(YEAR)
    before = tree_digest(dirs["reports"])
    assert (report / "index.html").exists()
    breaks, words = PROBLEMS[problem]
    capsys.readouterr()
    try:
        breaks(raw)
        code = main(["build", "--org", ORG, "--year", str(YEAR), *args])
    finally:
        restore(raw, saved)
    err = capsys.readouterr().err
    assert code != 0
    assert "Traceback" not in err and "unexpected error" not in err, err
    assert "How to fix" in err or "Add workforce.csv" in err, err
    for word in words:
        assert word in err, (word, err)
    assert tree_digest(dirs["reports"]) == before
    assert not (dirs["processed"] / ORG / str(YEAR) / "publish").exists()
    assert not [p for p in dirs["reports"].rglob(".*")], "no staging folders left"


def test_debug_shows_the_traceback(published, capsys):
    dirs, args, raw, saved = published
    capsys.readouterr()
    try:
        drop_column(raw, "workforce", "Ordinary Pay")
        code = main(["build", "--org", ORG, "--year", str(YEAR), "--debug", *args])
    finally:
        restore(raw, saved)
    err = capsys.readouterr().err
    assert code != 0
    assert "Traceback" in err and "ordinary_pay" in err


def test_missing_input_folder_is_a_plain_error(published, capsys):
    dirs, args, _, _ = published
    capsys.readouterr()
    code = main(["build", "--org", "XNONE", "--year", str(YEAR), *args])
    err = capsys.readouterr().err
    assert code != 0 and "Traceback" not in err
    assert "XNONE" in err and "no input folder" in err
