"""A 1,200-person organisation's report under the 2026 rules, built end to end.

Spec: docs/methodology-2026.md. The report shows the statutory ethnicity and disability
tables (binary and five groups), the composition and non-disclosure figures, the equality
action plan, WRES 9 / WDES 10 in full, year-on-year statuses with intervals and the
decomposition; ``tables.csv`` carries each figure, and the submission files sit beside
``gpg_submission.csv``.
"""

from __future__ import annotations

import pandas as pd
import pytest

from edi_reports.cli import main
from edi_reports.statutory import SUBMISSION_COLUMNS
from edi_reports.synth import synthesise

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("e2e_rules2026")]

ORG, YEAR = "XR6", 2025


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("rules2026")
    dirs = {name: root / name for name in ("raw", "processed", "reports", "content")}
    synthesise([ORG], [YEAR - 1, YEAR], 1200, 5, dirs["raw"], dirs["content"])
    args = [f"--{k}-dir={v}" for k, v in dirs.items()] + ["--quiet"]
    # last year needs only its figures (measure stage); this year is built in full
    assert main(["build", "--org", ORG, "--year", str(YEAR - 1), "--no-render", *args]) == 0
    assert main(["build", "--org", ORG, "--year", str(YEAR), *args]) == 0
    out = dirs["reports"] / ORG / str(YEAR)
    tables = pd.read_csv(out / "tables.csv", dtype=str, keep_default_na=False)
    html = (out / "index.html").read_text(encoding="utf-8")
    return out, tables, html


def test_statutory_tables_and_composition(built):
    out, tables, html = built
    measures = set(tables["measure"])
    for prefix in ("sepg", "sdpg"):
        for name in (
            "mean_hourly_gap",
            "median_hourly_gap",
            "mean_bonus_gap",
            "median_bonus_gap",
            "bonus_receipt",
            "quartile_share",
            "composition",
        ):
            assert f"{prefix}.{name}" in measures
    five = tables[tables["breakdown"] == "grouping=five_groups"]
    assert "Asian or Asian British" in set(five["group"])
    nd = tables[(tables["measure"] == "sepg.composition") & (tables["group"] == "Not disclosed")]
    assert len(nd) == 1 and nd["value"].iloc[0] not in ("", "*")
    assert "Statutory ethnicity and disability pay gaps" in html
    assert "five groups comparison" in html and "additional analysis, beyond the statutory" in html
    for name in ("epg_submission.csv", "dpg_submission.csv"):
        sub = pd.read_csv(out / name, dtype=str, keep_default_na=False)
        assert list(sub.columns) == SUBMISSION_COLUMNS and len(sub) >= 2


def test_board_figures_published(built):
    _, tables, html = built
    board = tables[tables["measure"].isin(["wres.9", "wdes.10"])]
    shown = board[board["value"].str.match(r"^-?\d")]
    assert len(shown) >= 2
    assert "office-holders" in html


def test_year_on_year_statuses_with_intervals(built):
    _, tables, html = built
    changes = tables[tables["table"] == "year_on_year_change"]
    assert {"change.gpg.median_hourly_gap", "change.wres.2"} <= set(changes["measure"])
    assert changes["note"].str.contains("95 % interval").any()
    assert "Change on last year" in html and "95 % interval" in html


def test_decomposition_and_action_plan(built):
    out, tables, html = built
    for key in ("gender", "ethnicity", "disability"):
        rows = tables[tables["measure"] == f"decomposition.{key}.composition"]
        assert rows["breakdown"].str.startswith("pay_band=").any()
    assert "Where the pay gaps come from" in html and "percentage points come from" in html
    assert "Equality action plan" in html and "Figures it addresses" in html
    plan = pd.read_csv(out / "equality_action_plan_submission.csv", dtype=str)
    assert {"Gender pay gap", "Menopause support"} <= set(plan["Category"])
