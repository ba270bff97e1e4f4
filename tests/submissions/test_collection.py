"""The WRES/WDES data-collection files: indicator-by-group counts that
agree with metrics.csv, written only to the internal folder."""

from __future__ import annotations

import warnings

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from edi_reports.config import Settings, WorkforceStandards
from edi_reports.measures.metrics import MeasureWarning, to_frame
from edi_reports.measures.wdes import wdes_metrics
from edi_reports.measures.wres import ethnic_wres, recruitment_rl, wres_metrics
from edi_reports.submissions.collection import (
    WDES_FILE,
    WRES_FILE,
    wdes_collection,
    wres_collection,
    write_collections,
)

ONE_YEAR = Settings(standards=WorkforceStandards(casework_window_years=1))
ETHNIC = {"A": "White", "H": "BME", "Z": "Unknown"}
DISABLED = {"A": "Disabled", "H": "Non-disabled", "Z": "Unknown"}


def people(spec: list[tuple[str, int]], **columns) -> pd.DataFrame:
    """Rows for ``[(code, count)]``: code A = White and Disabled, H = BME and Non-disabled,
    Z = unknown for both."""
    codes = [c for c, k in spec for _ in range(k)]
    frame = pd.DataFrame(
        {
            "ethnic_wres": pd.Categorical(
                [ETHNIC[c] for c in codes], categories=["White", "BME", "Unknown"]
            ),
            "disability_group": pd.Categorical(
                [DISABLED[c] for c in codes], categories=["Disabled", "Non-disabled", "Unknown"]
            ),
        }
    )
    for name, values in columns.items():
        frame[name] = values
    return frame


def staff(spec: list[tuple[str, int]]) -> pd.DataFrame:
    frame = people(spec)
    n = len(frame)
    frame["staff_id"] = [f"S{i:05d}" for i in range(n)]
    frame["pay_band"] = pd.Categorical(["Band 5"] * n)
    frame["clinical"] = pd.array([True] * n, dtype="boolean")
    frame["contract_type"] = pd.Categorical(["Permanent"] * n)
    return frame


def applications(spec: list[tuple[str, int, int]]) -> pd.DataFrame:
    """[(code, appointed, shortlisted)], plus 5 applications never shortlisted each."""
    parts = []
    for code, appointed, shortlisted in spec:
        parts.append(
            people(
                [(code, shortlisted + 5)],
                shortlisted=[True] * shortlisted + [False] * 5,
                appointed=[True] * appointed + [False] * (shortlisted - appointed + 5),
            )
        )
    frame = pd.concat(parts, ignore_index=True)
    return frame.astype({"shortlisted": "boolean", "appointed": "boolean"})


def cases(spec: list[tuple[str, int]], process: str) -> pd.DataFrame:
    frame = people(spec)
    frame["process"] = process
    return frame


def vector8() -> dict[str, pd.DataFrame]:
    """methodology §11 vector 8: RL2 1.50 (White 120/400, BME 60/300), RL3 2.40."""
    workforce = staff([("A", 4000), ("H", 1000), ("Z", 30)])
    board = people([("H", 2), ("A", 10)])
    board["voting"] = pd.array([True] * 12, dtype="boolean")
    board["executive"] = pd.array([True] * 6 + [False] * 6, dtype="boolean")
    survey = pd.DataFrame(
        {
            "question": ["wres.5", "wres.5", "wdes.9a", "wdes.9a", "wdes.9a", "wdes.8"],
            "item": [pd.NA] * 6,
            "group": ["White", "BME", "Disabled", "Non-disabled", "All", "Disabled"],
            "percent": [20.0, 30.0, pd.NA, pd.NA, pd.NA, 70.0],
            "score": [pd.NA, pd.NA, 6.5, 7.0, 6.9, pd.NA],
            "responses": [300, 100, 40, 300, 360, 40],
        }
    )
    return {
        "workforce": workforce,
        "recruitment": applications([("A", 120, 400), ("H", 60, 300), ("Z", 3, 9)]),
        "casework": cases([("H", 12), ("A", 20), ("Z", 4)], "disciplinary"),
        "board": board,
        "staff_survey": survey,
    }


def metrics_of(tables, settings_=ONE_YEAR, previous=None) -> pd.DataFrame:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", MeasureWarning)
        rows = wres_metrics(tables, settings_, previous) + wdes_metrics(tables, settings_, previous)
    return to_frame(rows)


@pytest.fixture(scope="module")
def vector():
    tables = vector8()
    return tables, metrics_of(tables)


def pick(frame: pd.DataFrame, indicator: str, quantity: str, breakdown: str | None = None):
    sel = frame[(frame.indicator == indicator) & (frame.quantity == quantity)]
    if breakdown is not None:
        sel = sel[sel.breakdown == breakdown]
    assert len(sel) == 1, sel
    return sel.iloc[0]


class TestWres:
    def test_columns(self, vector):
        table = wres_collection(vector[0], vector[1], ONE_YEAR)
        assert list(table.columns) == [
            "indicator",
            "breakdown",
            "quantity",
            "White",
            "BME",
            "Unknown",
            "value",
            "unit",
            "status",
        ]
        assert set(table.indicator) == {f"wres.{i}" for i in range(1, 10)}

    def test_indicator_2_counts_and_figure(self, vector):
        table = wres_collection(vector[0], vector[1], ONE_YEAR)
        short = pick(table, "wres.2", "shortlisted applicants")
        appointed = pick(table, "wres.2", "appointed from shortlisting")
        assert (short.White, short.BME, short.Unknown) == (400, 300, 9)
        assert (appointed.White, appointed.BME, appointed.Unknown) == (120, 60, 3)
        rl = pick(table, "wres.2", "relative likelihood")
        assert rl.value == pytest.approx(1.5) and rl.unit == "ratio" and rl.status == "ok"

    def test_indicator_3_one_year(self, vector):
        table = wres_collection(vector[0], vector[1], ONE_YEAR)
        base = pick(table, "wres.3", "staff in post")
        entering = pick(table, "wres.3", "entering the formal disciplinary process")
        assert (base.White, base.BME, base.Unknown) == (4000, 1000, 30)
        assert (entering.White, entering.BME, entering.Unknown) == (20, 12, 4)
        assert pick(table, "wres.3", "relative likelihood").value == pytest.approx(2.4)

    def test_indicator_3_two_year_window_uses_mean_counts(self, vector):
        tables = vector[0]
        previous = {
            "workforce": staff([("A", 3990), ("H", 1001)]),
            "casework": cases([("H", 13), ("A", 21)], "disciplinary"),
        }
        two = Settings()
        metrics = metrics_of(tables, two, previous)
        table = wres_collection(tables, metrics, two, previous)
        base = pick(table, "wres.3", "staff in post (mean of 2 years)")
        entering = pick(
            table, "wres.3", "entering the formal disciplinary process (mean of 2 years)"
        )
        assert (base.White, base.BME) == (3995, 1000.5)
        assert (entering.White, entering.BME, entering.Unknown) == (20.5, 12.5, 2)
        rl = pick(table, "wres.3", "relative likelihood")
        assert rl.breakdown == "window=2"
        assert rl.value == pytest.approx((12.5 / 1000.5) / (20.5 / 3995))

    def test_indicator_1_agrees_with_metrics(self, vector):
        table = wres_collection(vector[0], vector[1], ONE_YEAR)
        overall = pick(table, "wres.1", "headcount", "overall")
        assert (overall.White, overall.BME, overall.Unknown) == (4000, 1000, 30)
        share = pick(table, "wres.1", "% of headcount", "overall")
        assert share.BME == pytest.approx(1000 * 100 / 5030)

    def test_board_and_survey(self, vector):
        table = wres_collection(vector[0], vector[1], ONE_YEAR)
        voting = pick(table, "wres.9", "board members", "board=voting")
        assert (voting.White, voting.BME, voting.Unknown) == (10, 2, 0)
        assert voting.value == pytest.approx(2 * 100 / 12 - 1000 * 100 / 5030)
        assert pick(table, "wres.9", "staff in post").BME == 1000
        pct = pick(table, "wres.5", "% of respondents")
        responses = pick(table, "wres.5", "responses")
        assert (pct.White, pct.BME) == (20.0, 30.0) and (responses.White, responses.BME) == (
            300,
            100,
        )
        assert pd.isna(pct.Unknown)

    def test_missing_files_say_not_available(self):
        tables = {"workforce": staff([("A", 50), ("H", 20)])}
        table = wres_collection(tables, metrics_of(tables), ONE_YEAR)
        rl = pick(table, "wres.2", "relative likelihood")
        assert pd.isna(rl.value) and "no recruitment file" in rl.status
        assert table[table.indicator == "wres.2"].shape[0] == 1  # no count rows
        board = pick(table, "wres.9", "board members")
        assert "no board file" in board.status


class TestWdes:
    def test_counts_and_survey(self, vector):
        table = wdes_collection(vector[0], vector[1], ONE_YEAR)
        assert list(table.columns[3:6]) == ["Disabled", "Non-disabled", "Unknown"]
        short = pick(table, "wdes.2", "shortlisted applicants")
        assert (short.Disabled, short["Non-disabled"], short.Unknown) == (400, 300, 9)
        rl = pick(table, "wdes.2", "relative likelihood")
        assert rl.value == pytest.approx((60 / 300) / (120 / 400))
        score = pick(table, "wdes.9a", "score (0-10)")
        assert (score.Disabled, score["Non-disabled"], score.value) == (6.5, 7.0, 6.9)
        adjust = pick(table, "wdes.8", "% of respondents")
        assert adjust.Disabled == 70.0 and pd.isna(adjust["Non-disabled"])
        assert "wdes.9b" not in set(table.indicator)
        assert set(table.loc[table.indicator == "wdes.10", "breakdown"]) == {
            "board=total",
            "board=voting",
            "board=executive",
            "overall",
        }


def test_write_collections(vector, tmp_path):
    paths = write_collections(vector[0], vector[1], tmp_path, ONE_YEAR)
    assert [p.name for p in paths] == [WRES_FILE, WDES_FILE]
    back = pd.read_csv(tmp_path / WRES_FILE)
    assert len(back) == len(wres_collection(vector[0], vector[1], ONE_YEAR))


@settings(max_examples=15, deadline=None)
@given(
    st.integers(1, 40),
    st.integers(1, 60),
    st.integers(1, 40),
    st.integers(1, 60),
    st.integers(0, 5),
)
def test_ratio_follows_from_the_counts(wa, ws, ba, bs, unknown):
    """Property: the figure equals the ratio worked out from the file's own counts."""
    ws, bs = max(ws, wa), max(bs, ba)
    tables = {
        "workforce": staff([("A", 20), ("H", 20)]),
        "recruitment": applications([("A", wa, ws), ("H", ba, bs), ("Z", 0, unknown)]),
    }
    rl = recruitment_rl("wres.2", tables["recruitment"], ONE_YEAR, ethnic_wres, "White", "BME")
    metrics = to_frame([rl])
    table = wres_collection(tables, metrics, ONE_YEAR)
    short = pick(table, "wres.2", "shortlisted applicants")
    appointed = pick(table, "wres.2", "appointed from shortlisting")
    want = (appointed.White / short.White) / (appointed.BME / short.BME)
    assert pick(table, "wres.2", "relative likelihood").value == pytest.approx(want, rel=1e-12)
    assert short.Unknown == unknown
