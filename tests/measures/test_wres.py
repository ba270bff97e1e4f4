"""Tests for WRES (methodology §3, §11 vectors 8 and 9)."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from edi_reports.config import Settings, Uncertainty, WorkforceStandards
from edi_reports.errors import InputError
from edi_reports.measures.metrics import MeasureWarning, to_frame
from edi_reports.measures.wres import wres1_standard_rows, wres_metrics
from edi_reports.rounding import round_value

ONE_YEAR = Settings(standards=WorkforceStandards(casework_window_years=1))
CI_ON = Settings(uncertainty=Uncertainty(enabled=True))
WHITE_CODES = ["A", "B", "C", "C"]
BME_CODES = ["D", "H", "M", "N", "R", "S"]
UNKNOWN_CODES = ["Z", "99", None]


# --- synthetic cleaned tables --------------------------------------------------------------


def wres_of(code: str | None) -> str:
    if code is None or code in ("Z", "99"):
        return "Unknown"
    return "White" if code[0] in "ABC" else "BME"


def workforce(spec: list[tuple[str | None, int]], **columns) -> pd.DataFrame:
    """``spec`` = [(ethnic_code, count), ...]; other columns constant unless given."""
    codes = [code for code, k in spec for _ in range(k)]
    n = len(codes)
    frame = pd.DataFrame(
        {
            "staff_id": [f"S{i:06d}" for i in range(n)],
            "ethnic_code": pd.array(codes, dtype="string"),
            "ethnic_wres": pd.Categorical(
                [wres_of(c) for c in codes], categories=["White", "BME", "Unknown"]
            ),
            "pay_band": pd.Categorical(["Band 5"] * n),
            "clinical": pd.array([True] * n, dtype="boolean"),
            "contract_type": pd.Categorical(["Permanent"] * n),
            "disability_group": pd.Categorical(["Unknown"] * n),
        }
    )
    for name, values in columns.items():
        frame[name] = values
    return frame


def coded(spec: list[tuple[str | None, int]], **columns) -> pd.DataFrame:
    """Rows with ethnic_code and ethnic_wres, plus constant/given columns."""
    codes = [code for code, k in spec for _ in range(k)]
    frame = pd.DataFrame(
        {
            "ethnic_code": pd.array(codes, dtype="string"),
            "ethnic_wres": pd.Categorical(
                [wres_of(c) for c in codes], categories=["White", "BME", "Unknown"]
            ),
        }
    )
    for name, values in columns.items():
        frame[name] = values
    return frame


def recruitment(white: tuple[int, int], bme: tuple[int, int], unknown=(0, 0)) -> pd.DataFrame:
    """(appointed, shortlisted) per group, plus 50 applications never shortlisted each."""
    parts = []
    for code, (appointed, shortlisted) in (("A", white), ("H", bme), ("Z", unknown)):
        parts.append(
            coded(
                [(code, shortlisted + 50)],
                shortlisted=[True] * shortlisted + [False] * 50,
                appointed=[True] * appointed + [False] * (shortlisted - appointed + 50),
            )
        )
    frame = pd.concat(parts, ignore_index=True)
    frame["shortlisted"] = frame["shortlisted"].astype("boolean")
    frame["appointed"] = frame["appointed"].astype("boolean")
    return frame


def casework(bme: int, white: int, unknown: int = 0, capability: int = 0) -> pd.DataFrame:
    frame = coded([("N", bme), ("C", white), ("99", unknown), ("A", capability)])
    frame["process"] = pd.Categorical(
        ["disciplinary"] * (bme + white + unknown) + ["capability"] * capability
    )
    return frame


def vector8_workforce(unknowns: int = 0) -> pd.DataFrame:
    return workforce([("A", 3000), ("C", 1000), ("H", 600), ("N", 400), ("Z", unknowns)])


def board(bme_voting: int, voting: int, bme_non_voting: int = 0, non_voting: int = 0):
    spec = [
        ("H", bme_voting, True),
        ("A", voting - bme_voting, True),
        ("M", bme_non_voting, False),
        ("B", non_voting - bme_non_voting, False),
    ]
    frame = coded([(c, k) for c, k, _ in spec])
    frame["voting"] = pd.array([v for _, k, v in spec for _ in range(k)], dtype="boolean")
    frame["executive"] = pd.array([i % 2 == 0 for i in range(len(frame))], dtype="boolean")
    return frame


def rows(metrics, measure, **where):
    out = [m for m in metrics if m.measure == measure]
    for key, value in where.items():
        out = [m for m in out if getattr(m, key) == value]
    return out


def one(metrics, measure, **where):
    found = rows(metrics, measure, **where)
    assert len(found) == 1, found
    return found[0]


def quiet(tables, settings_=ONE_YEAR, previous=None):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", MeasureWarning)
        return wres_metrics(tables, settings_, previous=previous)


# --- §11 vector 8 ------------------------------------------------------------------------


class TestVector8:
    def test_rl2(self):
        m = one(
            quiet(
                {
                    "workforce": vector8_workforce(),
                    "recruitment": recruitment((120, 400), (60, 300)),
                }
            ),
            "wres.2",
        )
        assert round_value(m.value, 2) == 1.50
        assert (m.group, m.reference_group) == ("White", "BME")
        assert (m.numerator, m.denominator, m.n) == (400, 300, 700)
        assert m.ci_low is None

    def test_rl2_interval_when_enabled(self):
        tables = {
            "workforce": vector8_workforce(),
            "recruitment": recruitment((120, 400), (60, 300)),
        }
        m = one(quiet(tables, CI_ON), "wres.2")
        assert (round(m.ci_low, 2), round(m.ci_high, 2)) == (1.14, 1.97)

    def test_rl3(self):
        tables = {"workforce": vector8_workforce(), "casework": casework(bme=12, white=20)}
        m = one(quiet(tables), "wres.3")
        assert m.value == pytest.approx(2.40)
        assert (m.group, m.reference_group, m.breakdown) == ("BME", "White", "window=1")
        assert (m.numerator, m.denominator, m.n) == (1000, 4000, 5000)

    def test_rl4(self):
        staff = vector8_workforce()
        white_ids = staff.loc[staff["ethnic_wres"] == "White", "staff_id"].iloc[:800]
        bme_ids = staff.loc[staff["ethnic_wres"] == "BME", "staff_id"].iloc[:150]
        ids = pd.concat([white_ids, white_ids.iloc[:300], bme_ids])  # repeat courses count once
        training = pd.DataFrame({"staff_id": ids.to_numpy(), "course": "CPD"})
        m = one(quiet({"workforce": staff, "training": training}), "wres.4")
        assert round_value(m.value, 2) == 1.33
        assert (m.group, m.reference_group) == ("White", "BME")

    def test_indicator9(self):
        tables = {"workforce": vector8_workforce(), "board": board(2, 12, 1, 3)}
        m = one(quiet(tables), "wres.9", breakdown="board=voting")
        assert round_value(m.value, 1) == -3.3
        assert (m.numerator, m.denominator, m.n, m.unit) == (2, 12, 12, "pp")
        total = one(quiet(tables), "wres.9", breakdown="board=total")
        assert total.value == pytest.approx(3 / 15 * 100 - 20.0)
        assert [m.breakdown for m in rows(quiet(tables), "wres.9")] == [
            "board=total",
            "board=voting",
            "board=non_voting",
            "board=executive",
            "board=non_executive",
        ]

    def test_board_breakdowns_setting(self):
        only = Settings(standards=WorkforceStandards(board_breakdowns=("voting",)))
        out = quiet({"workforce": vector8_workforce(), "board": board(2, 12)}, only)
        assert [m.breakdown for m in rows(out, "wres.9")] == ["board=voting"]

    def test_empty_board_breakdown_not_calculable(self):
        out = quiet({"workforce": vector8_workforce(), "board": board(2, 12)})
        m = one(out, "wres.9", breakdown="board=non_voting")
        assert m.value is None and "no board members" in m.status


# --- §11 vector 9: unknown ethnicity ------------------------------------------------------


class TestVector9Unknowns:
    def test_unknowns_left_out_of_relative_likelihoods(self):
        staff = vector8_workforce(unknowns=700)
        staff.loc[staff.index[-200:], "ethnic_code"] = pd.NA  # blank code
        staff.loc[staff.index[-100:], "ethnic_code"] = "99"
        tables = {
            "workforce": staff,
            "recruitment": recruitment((120, 400), (60, 300), unknown=(90, 100)),
            "casework": casework(bme=12, white=20, unknown=30),
        }
        out = quiet(tables)
        assert one(out, "wres.2").value == pytest.approx(1.5)
        assert one(out, "wres.2").n == 700
        assert one(out, "wres.3").value == pytest.approx(2.4)
        assert one(out, "wres.3").n == 5000

    def test_unknowns_shown_in_indicator1(self):
        staff = workforce([("A", 5), ("H", 3), ("Z", 1), ("99", 1), (None, 2), ("X", 0)])
        out = quiet({"workforce": staff})
        unknown = one(out, "wres.1", breakdown="overall", group="Unknown")
        assert unknown.numerator == 4 and unknown.denominator == 12
        assert unknown.value == pytest.approx(100 / 3)
        assert (
            one(out, "wres.1", breakdown="pay_band=Band 5;clinical=Y", group="Unknown").numerator
            == 4
        )

    def test_groups_derived_from_codes_when_no_wres_column(self):
        staff = workforce([("A", 2), ("C", 1), ("R", 1), ("Z", 1)]).drop(columns="ethnic_wres")
        out = quiet({"workforce": staff})
        counts = {m.group: m.numerator for m in rows(out, "wres.1", breakdown="overall")}
        assert counts == {"White": 3, "BME": 1, "Unknown": 1}


# --- indicator 1 ---------------------------------------------------------------------------


class TestIndicator1:
    def make(self):
        spec = [
            ("A", 3),
            ("H", 1),
            ("Z", 1),
            ("B", 2),
            ("N", 2),
            ("A", 1),
            ("M", 4),
            ("C", 2),
            ("S", 1),
        ]
        staff = workforce(spec)
        staff["pay_band"] = pd.Categorical(
            ["Band 5"] * 5
            + ["Band 8a"] * 4
            + ["Consultant"]
            + ["Foundation Year 1"] * 4
            + ["Band 5"] * 3
        )
        staff["clinical"] = pd.array(
            [True] * 5 + [False] * 4 + [True] * 5 + [True] * 3, dtype="boolean"
        )
        staff["contract_type"] = pd.Categorical(["Permanent"] * 14 + ["Bank"] * 3)
        return staff

    def test_golden_rows(self):
        out = quiet({"workforce": self.make()})
        band5 = {m.group: m for m in rows(out, "wres.1", breakdown="pay_band=Band 5;clinical=Y")}
        assert {g: m.value for g, m in band5.items()} == pytest.approx(
            {"White": 60.0, "BME": 20.0, "Unknown": 20.0}
        )
        assert all(m.denominator == 5 and m.n == 5 for m in band5.values())
        band8a = {
            m.group: m.value for m in rows(out, "wres.1", breakdown="pay_band=Band 8a;clinical=N")
        }
        assert band8a == pytest.approx({"White": 50.0, "BME": 50.0, "Unknown": 0.0})
        cons = {m.group: m.numerator for m in rows(out, "wres.1", breakdown="medical=Consultants")}
        assert cons == {"White": 1, "BME": 0, "Unknown": 0}
        trainees = {
            m.group: m.numerator for m in rows(out, "wres.1", breakdown="medical=Trainee grades")
        }
        assert trainees == {"White": 0, "BME": 4, "Unknown": 0}

    def test_bank_staff_excluded(self):
        out = quiet({"workforce": self.make()})
        overall = rows(out, "wres.1", breakdown="overall")
        assert {m.denominator for m in overall} == {14}

    def test_every_standard_row_emitted(self):
        out = quiet({"workforce": self.make()})
        breakdowns = list(dict.fromkeys(m.breakdown for m in rows(out, "wres.1")))
        assert breakdowns == [*wres1_standard_rows(), "overall"]
        assert len(breakdowns) == 13 * 2 + 4 + 1
        empty = rows(out, "wres.1", breakdown="pay_band=Band 9;clinical=Y")
        assert [m.status for m in empty] == ["not_calculable: no staff in this row"] * 3
        assert all(m.value is None and m.n == 0 for m in empty)

    @settings(max_examples=30, deadline=None)
    @given(
        st.lists(
            st.tuples(
                st.sampled_from(WHITE_CODES + BME_CODES + UNKNOWN_CODES),
                st.sampled_from(
                    ["Band 2", "Band 5", "Band 8c", "VSM", "Consultant", "Trust Grade", "Non-AfC"]
                ),
                st.booleans(),
                st.sampled_from(["Permanent", "Bank", "Fixed Term Temp"]),
            ),
            min_size=1,
            max_size=60,
        )
    )
    def test_row_percentages_sum_to_100(self, people):
        staff = workforce([(code, 1) for code, *_ in people])
        staff["pay_band"] = pd.Categorical([p[1] for p in people])
        staff["clinical"] = pd.array([p[2] for p in people], dtype="boolean")
        staff["contract_type"] = pd.Categorical([p[3] for p in people])
        frame = to_frame(quiet({"workforce": staff}))
        ind1 = frame.loc[(frame["measure"] == "wres.1") & frame["value"].notna()]
        sums = ind1.groupby("breakdown")["value"].sum()
        assert np.allclose(sums.to_numpy(dtype=float), 100.0)
        heads = ind1.groupby("breakdown")["numerator"].sum()
        assert (heads == ind1.groupby("breakdown")["denominator"].first()).all()
        in_post = sum(p[3] != "Bank" for p in people)
        overall = frame.loc[(frame["measure"] == "wres.1") & (frame["breakdown"] == "overall")]
        if in_post:
            assert (overall["denominator"] == in_post).all()
        else:
            assert overall["value"].isna().all()


# --- indicator 3 window --------------------------------------------------------------------


class TestCaseworkWindow:
    def test_two_year_window_means_counts_and_headcounts(self):
        now = {"workforce": vector8_workforce(), "casework": casework(bme=12, white=20)}
        before = {
            "workforce": workforce([("A", 3600), ("N", 800)]),
            "casework": casework(bme=9, white=25, capability=7),
        }
        with warnings.catch_warnings():
            warnings.simplefilter("error", MeasureWarning)
            m = one(wres_metrics(now, previous=before), "wres.3")
        bme = ((12 + 9) / 2) / ((1000 + 800) / 2)
        white = ((20 + 25) / 2) / ((4000 + 3600) / 2)
        assert m.value == pytest.approx(bme / white)
        assert m.breakdown == "window=2"
        assert (m.numerator, m.denominator) == (900, 3800)

    def test_missing_previous_year_falls_back_with_warning(self):
        now = {"workforce": vector8_workforce(), "casework": casework(bme=12, white=20)}
        with pytest.warns(MeasureWarning, match="previous year"):
            m = one(wres_metrics(now), "wres.3")
        assert m.ok and m.breakdown == "window=1" and m.value == pytest.approx(2.4)

    def test_previous_year_without_casework_falls_back(self):
        now = {"workforce": vector8_workforce(), "casework": casework(bme=12, white=20)}
        with pytest.warns(MeasureWarning, match="previous year"):
            m = one(wres_metrics(now, previous={"workforce": vector8_workforce()}), "wres.3")
        assert m.breakdown == "window=1"

    def test_capability_cases_not_counted(self):
        tables = {
            "workforce": vector8_workforce(),
            "casework": casework(bme=12, white=20, capability=40),
        }
        assert one(quiet(tables), "wres.3").value == pytest.approx(2.4)


# --- missing files and zero counts ----------------------------------------------------------


class TestNotCalculable:
    def test_workforce_required(self):
        with pytest.raises(InputError, match="workforce"):
            wres_metrics({})

    def test_missing_optional_files_one_row_per_measure(self):
        with warnings.catch_warnings():
            warnings.simplefilter("error", MeasureWarning)
            out = wres_metrics({"workforce": vector8_workforce()}, ONE_YEAR)
        expected = {
            "wres.2": "recruitment",
            "wres.3": "casework",
            "wres.4": "training",
            "wres.5": "staff_survey",
            "wres.6": "staff_survey",
            "wres.7": "staff_survey",
            "wres.8": "staff_survey",
            "wres.9": "board",
        }
        for measure, file in expected.items():
            m = one(out, measure)
            assert m.value is None
            assert m.status == f"not_calculable: not available: no {file} file"

    def test_no_bme_appointed(self):
        tables = {"workforce": vector8_workforce(), "recruitment": recruitment((12, 40), (0, 30))}
        with pytest.warns(MeasureWarning, match="wres.2"):
            m = one(wres_metrics(tables, ONE_YEAR), "wres.2")
        assert m.value is None and "no BME applicants appointed" in m.status

    def test_no_white_shortlisted(self):
        tables = {"workforce": vector8_workforce(), "recruitment": recruitment((0, 0), (3, 30))}
        with pytest.warns(MeasureWarning):
            m = one(wres_metrics(tables, ONE_YEAR), "wres.2")
        assert "no White shortlisted applicants" in m.status

    def test_no_white_disciplinary_entries(self):
        tables = {"workforce": vector8_workforce(), "casework": casework(bme=5, white=0)}
        with pytest.warns(MeasureWarning):
            m = one(wres_metrics(tables, ONE_YEAR), "wres.3")
        assert m.value is None and "disciplinary" in m.status

    def test_no_bme_disciplinary_entries_is_zero(self):
        tables = {"workforce": vector8_workforce(), "casework": casework(bme=0, white=5)}
        assert one(quiet(tables), "wres.3").value == 0.0

    def test_training_ignores_mandatory_and_bank(self):
        staff = workforce([("A", 10), ("H", 10)])
        staff["contract_type"] = pd.Categorical(
            ["Permanent"] * 5 + ["Bank"] * 5 + ["Permanent"] * 10
        )
        training = pd.DataFrame(
            {
                "staff_id": list(staff["staff_id"].iloc[[0, 1, 5, 6, 10, 11, 12, 13]]),
                "course": "x",
                "mandatory": pd.array(
                    [False, False, False, False, False, False, True, True], dtype="boolean"
                ),
            }
        )
        m = one(quiet({"workforce": staff, "training": training}), "wres.4")
        assert m.value == pytest.approx((2 / 5) / (2 / 10))
        assert (m.numerator, m.denominator) == (5, 10)

    def test_no_bme_training_not_calculable(self):
        staff = workforce([("A", 10), ("H", 10)])
        training = pd.DataFrame({"staff_id": list(staff["staff_id"].iloc[:3]), "course": "x"})
        with pytest.warns(MeasureWarning):
            m = one(wres_metrics({"workforce": staff, "training": training}, ONE_YEAR), "wres.4")
        assert m.value is None


# --- staff survey indicators ----------------------------------------------------------------


def survey_frame(rows_: list[tuple]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "question": pd.array([r[0] for r in rows_], dtype="string"),
            "item": pd.array([r[1] for r in rows_], dtype="string"),
            "group": pd.array([r[2] for r in rows_], dtype="string"),
            "percent": [r[3] for r in rows_],
            "responses": pd.array([r[4] for r in rows_], dtype="Int64"),
        }
    )


class TestSurvey:
    def test_values_and_responses(self):
        survey = survey_frame(
            [
                ("wres.5", None, "White", 25.1, 900),
                ("wres.5", None, "BME", 29.4, 310),
                ("wres.6", "managers", "White", 10.0, 900),
                ("wres.6", None, "White", 22.0, 900),
                ("wres.6", "combined", "BME", 27.5, 300),
                ("WRES.7", None, "white", 58.2, 880),
                ("wres.7", None, "BME", 44.0, 305),
                ("wres.8", None, "White", 6.1, 890),
                ("wres.8", None, "BME", float("nan"), 290),
            ]
        )
        out = quiet({"workforce": vector8_workforce(), "staff_survey": survey})
        m = one(out, "wres.5", group="BME")
        assert (m.value, m.n, m.unit, m.numerator, m.denominator) == (29.4, 310, "pct", None, None)
        assert one(out, "wres.6", group="White").value == 22.0  # the combined item
        assert one(out, "wres.6", group="BME").value == 27.5
        assert one(out, "wres.7", group="White").value == 58.2
        blank = one(out, "wres.8", group="BME")
        assert blank.value is None and blank.n == 290

    def test_missing_group_row(self):
        survey = survey_frame([("wres.5", None, "White", 25.1, 900)])
        with pytest.warns(MeasureWarning):
            out = wres_metrics({"workforce": vector8_workforce(), "staff_survey": survey}, ONE_YEAR)
        m = one(out, "wres.5", group="BME")
        assert m.value is None and "no Staff Survey result for wres.5 BME" in m.status
        assert len(rows(out, "wres.8")) == 2

    def test_duplicate_rows_not_calculable(self):
        survey = survey_frame(
            [("wres.7", None, "BME", 40.0, 100), ("wres.7", None, "BME", 41.0, 100)]
        )
        m = one(
            quiet({"workforce": vector8_workforce(), "staff_survey": survey}), "wres.7", group="BME"
        )
        assert m.value is None and "2 rows" in m.status
