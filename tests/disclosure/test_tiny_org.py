"""Tiny organisations: 1, 3 and 8 staff, and a header-only file.

A tiny body either builds with every figure below organisation level suppressed and the
report saying why (methodology §6.2; the privacy note of the report), or stops with a plain
message naming the file (data contract §4). It never crashes: no traceback and no
"unexpected error".
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from bs4 import BeautifulSoup

from edi_reports.cli import main
from edi_reports.disclosure.control import row_kind

pytestmark = pytest.mark.slow

ORG, YEAR = "XTN", 2025
STAR = "*"
HEADER = [
    "staff_id",
    "ethnic_category",
    "sex",
    "age",
    "disability",
    "staff_group",
    "pay_band",
    "contracted_hours",
    "ordinary_pay",
]


def tiny_workforce(n: int, seed: int = 7) -> pd.DataFrame:
    """``n`` staff to the data contract (§2.1): mixed sex, ethnicity and bands."""
    rng = np.random.default_rng(seed)
    return pd.DataFrame(
        {
            "staff_id": [f"TN{900000 + i}" for i in range(n)],
            "ethnic_category": rng.choice(["A", "C", "H", "N", "Z"], size=n),
            "sex": (["Female", "Male"] * n)[:n],
            "age": rng.integers(22, 64, size=n),
            "disability": rng.choice(["Yes", "No", "No"], size=n),
            "staff_group": rng.choice(
                ["Administrative and Clerical", "Allied Health Professionals"], size=n
            ),
            "pay_band": rng.choice(["Band 3", "Band 5", "Band 7"], size=n),
            "contracted_hours": rng.choice([37.5, 22.5], size=n),
            "ordinary_pay": np.round(rng.uniform(1800, 4200, size=n), 2),
        },
        columns=HEADER,
    )


def run(tmp: Path, frame: pd.DataFrame, capsys) -> tuple[int, str, dict[str, Path]]:
    """Build one organisation from ``frame`` through the CLI; exit code, stderr, folders."""
    dirs = {name: tmp / name for name in ("raw", "processed", "reports", "content")}
    folder = dirs["raw"] / ORG / str(YEAR)
    folder.mkdir(parents=True)
    frame.to_csv(folder / "workforce.csv", index=False)
    args = [f"--{k}-dir={v}" for k, v in dirs.items()] + ["--quiet"]
    code = main(["build", "--org", ORG, "--year", str(YEAR), *args])
    return code, capsys.readouterr().err, dirs


def assert_plain_error(code: int, err: str) -> None:
    assert code != 0
    assert "Traceback" not in err and "unexpected error" not in err, err
    assert "workforce" in err, err


def assert_all_suppressed(out: Path, processed: Path, headcount: int) -> None:
    """Every count of 1 to 7 and every figure about fewer than 10 people below organisation
    level is hidden (methodology §6.2), and the page says why."""
    tables = pd.read_csv(out / "tables.csv", dtype=str, keep_default_na=False)
    metrics = pd.read_csv(processed / "metrics.csv", keep_default_na=False, dtype=str)
    keys = ["measure", "breakdown", "group", "reference_group"]
    rows = tables.merge(metrics, on=keys, suffixes=("", "_true"), validate="1:1")
    kinds = [row_kind(m, b) for m, b in zip(rows["measure"], rows["breakdown"], strict=True)]
    below = rows[[k != "statutory" for k in kinds]]
    rounded = {str((2 * k + 5) // 10 * 5) for k in range(8, headcount + 1)}
    assert below["n"].isin({"", "0", STAR, str(headcount), *rounded}).all()
    figures = below[~below["value"].isin(["", STAR])]
    value = pd.to_numeric(figures["value"], errors="coerce")
    count = pd.to_numeric(figures["numerator"], errors="coerce")
    # a figure left is a 0 % share (0 stays 0) or a share of a count of 8 or more
    assert ((value == 0) | (count >= 8)).all(), figures[[*keys, "value", "n"]]
    text = " ".join(BeautifulSoup((out / "index.html").read_text(), "html.parser").stripped_strings)
    assert "Counts of 1 to 7 people are shown as *" in text
    assert "1 to 7 people, not shown" in (out / "tables.csv").read_text()


@pytest.mark.parametrize(
    "size",
    [
        pytest.param(1, marks=pytest.mark.xdist_group("tiny1")),
        pytest.param(3, marks=pytest.mark.xdist_group("tiny3")),
        pytest.param(8, marks=pytest.mark.xdist_group("tiny8")),
    ],
)
def test_tiny_organisation_builds_suppressed_or_stops_plainly(size, tmp_path, capsys):
    code, err, dirs = run(tmp_path, tiny_workforce(size), capsys)
    out = dirs["reports"] / ORG / str(YEAR)
    if code != 0:
        assert_plain_error(code, err)
        assert not out.exists()
        return
    assert_all_suppressed(out, dirs["processed"] / ORG / str(YEAR), size)


@pytest.mark.xdist_group("tiny0")
def test_header_only_workforce_is_a_plain_error(tmp_path, capsys):
    code, err, dirs = run(tmp_path, pd.DataFrame(columns=HEADER), capsys)
    assert_plain_error(code, err)
    assert "no data rows" in err and "How to fix" in err
    assert not (dirs["reports"] / ORG / str(YEAR)).exists()
