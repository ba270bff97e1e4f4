"""Tests for WDES (methodology §4)."""

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
from edi_reports.measures.wdes import (
    declaration_gap,
    wdes1_standard_rows,
    wdes_metrics,
)

ONE_YEAR = Settings(standards=WorkforceStandards(casework_window_years=1))
ESR_VALUES = ["Yes", "No", "Not Declared", "Prefer Not To Answer", "Unspecified", None]


def group_of(value: str | None) -> str:
    return {"Yes": "Disabled", "No": "Non-disabled"}.get(value, "Unknown")


def with_disability(values: list[str | None], **columns) -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            "disability": pd.array(values, dtype="string"),
            "disability_group": pd.Categorical(
                [group_of(v) for v in values], categories=["Disabled", "Non-disabled", "Unknown"]
            ),
        }
    )
    for name, col in columns.items():
        frame[name] = col
    return frame


def workforce(spec: list[tuple[str | None, int]], **columns) -> pd.DataFrame:
    values = [v for v, k in spec for _ in range(k)]
    n = len(values)
    base = {
        "staff_id": [f"S{i:06d}" for i in range(n)],
        "ethnic_wres": pd.Categorical(["White"] * n, categories=["White", "BME", "Unknown"]),
        "pay_band": pd.Categorical(["Band 5"] * n),
        "clinical": pd.array([True] * n, dtype="boolean"),
        "contract_type": pd.Categorical(["Permanent"] * n),
    }
    base.update(columns)
    return with_disability(values, **base)


def recruitment(nd: tuple[int, int], d: tuple[int, int], unknown=(0, 0)) -> pd.DataFrame:
    parts = []
    for value, (appointed, shortlisted) in (("No", nd), ("Yes", d), ("Not Declared", unknown)):
        parts.append(
            with_disability(
                [value] * (shortlisted + 20),
                shortlisted=[True] * shortlisted + [False] * 20,
                appointed=[True] * appointed + [False] * (shortlisted - appointed + 20),
            )
        )
    frame = pd.concat(parts, ignore_index=True)
    for col in ("shortlisted", "appointed"):
        frame[col] = frame[col].astype("boolean")
    return frame


def casework(disabled: int, non_disabled: int, disciplinary: int = 0, unknown: int = 0):
    values = ["Yes"] * disabled + ["No"] * non_disabled + [None] * unknown + ["Yes"] * disciplinary
    process = ["capability"] * (disabled + non_disabled + unknown) + ["disciplinary"] * disciplinary
    return with_disability(values, process=pd.Categorical(process))


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


def board(exec_d: int, exec_n: int, nonexec_d: int, nonexec_n: int) -> pd.DataFrame:
    """Voting board members: Disabled/Non-disabled executives, then non-executives."""
    values = ["Yes"] * exec_d + ["No"] * exec_n + ["Yes"] * nonexec_d + ["No"] * nonexec_n
    frame = with_disability(values)
    frame["voting"] = pd.array([True] * len(values), dtype="boolean")
    frame["executive"] = pd.array(
        [True] * (exec_d + exec_n) + [False] * (nonexec_d + nonexec_n), dtype="boolean"
    )
    return frame


STAFF = workforce([("Yes", 40), ("No", 900), ("Not Declared", 60)])


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
        return wdes_metrics(tables, settings_, previous=previous)


class TestMetric1:
    def make(self):
        bands = ["Band 3", "Band 8b", "Band 9", "VSM", "Consultant", "Staff Grade", "Core Training"]
        bands += ["Trust Grade", "Non-AfC", "Band 6"]
        values = ["Yes", "No", None, "Yes", "No", "Unspecified", "Yes", "No", "Yes", "No"]
        clinical = [False, True, False, False, True, True, True, True, False, True]
        contract = ["Permanent"] * 9 + ["Bank"]
        return workforce(
            [(v, 1) for v in values],
            pay_band=pd.Categorical(bands),
            clinical=pd.array(clinical, dtype="boolean"),
            contract_type=pd.Categorical(contract),
        )

    def test_clusters_and_clinical_split(self):
        out = quiet({"workforce": self.make()})
        c4 = {m.group: m.numerator for m in rows(out, "wdes.1", breakdown="cluster=C4;clinical=N")}
        assert c4 == {"Disabled": 1, "Non-disabled": 0, "Unknown": 1}  # Band 9 + VSM
        c1 = {m.group: m.value for m in rows(out, "wdes.1", breakdown="cluster=C1;clinical=N")}
        assert c1 == pytest.approx({"Disabled": 100.0, "Non-disabled": 0.0, "Unknown": 0.0})
        assert (
            one(out, "wdes.1", breakdown="cluster=C3;clinical=Y", group="Non-disabled").value == 100
        )
        assert one(out, "wdes.1", breakdown="cluster=C6", group="Unknown").n == 1
        assert one(out, "wdes.1", breakdown="cluster=C7", group="Disabled").numerator == 1

    def test_bank_excluded_and_overall_counts_everyone_in_post(self):
        out = quiet({"workforce": self.make()})
        overall = {m.group: m.numerator for m in rows(out, "wdes.1", breakdown="overall")}
        assert overall == {"Disabled": 4, "Non-disabled": 3, "Unknown": 2}
        assert one(out, "wdes.1", breakdown="cluster=C2;clinical=Y", group="Disabled").n == 0

    def test_standard_rows(self):
        out = quiet({"workforce": self.make()})
        breakdowns = list(dict.fromkeys(m.breakdown for m in rows(out, "wdes.1")))
        assert breakdowns == [*wdes1_standard_rows(), "overall"]
        assert len(breakdowns) == 8 + 3 + 1

    @settings(max_examples=30, deadline=None)
    @given(
        st.lists(
            st.tuples(
                st.sampled_from(ESR_VALUES),
                st.sampled_from(["Band 1", "Band 7", "Band 8d", "Consultant", "Foundation Year 2"]),
                st.booleans(),
            ),
            min_size=1,
            max_size=50,
        )
    )
    def test_row_percentages_sum_to_100(self, people):
        staff = workforce(
            [(p[0], 1) for p in people],
            pay_band=pd.Categorical([p[1] for p in people]),
            clinical=pd.array([p[2] for p in people], dtype="boolean"),
        )
        frame = to_frame(quiet({"workforce": staff}))
        ind1 = frame.loc[(frame["measure"] == "wdes.1") & frame["value"].notna()]
        sums = ind1.groupby("breakdown")["value"].sum()
        assert np.allclose(sums.to_numpy(dtype=float), 100.0)
        total = ind1.loc[ind1["breakdown"] != "overall", "numerator"].sum()
        assert total == len(people)  # every grade drawn here sits in exactly one row


class TestRelativeLikelihoods:
    def test_wdes2_non_disabled_over_disabled(self):
        tables = {"workforce": STAFF, "recruitment": recruitment((300, 1000), (20, 100), (40, 50))}
        m = one(quiet(tables), "wdes.2")
        assert m.value == pytest.approx((300 / 1000) / (20 / 100))
        assert (m.group, m.reference_group) == ("Non-disabled", "Disabled")
        assert (m.numerator, m.denominator, m.n) == (1000, 100, 1100)

    def test_wdes2_interval_when_enabled(self):
        on = Settings(uncertainty=Uncertainty(enabled=True))
        tables = {"workforce": STAFF, "recruitment": recruitment((300, 1000), (20, 100))}
        m = one(quiet(tables, on), "wdes.2")
        assert m.ci_low < m.value < m.ci_high

    def test_wdes3_capability_only(self):
        tables = {"workforce": STAFF, "casework": casework(4, 18, disciplinary=30, unknown=9)}
        m = one(quiet(tables), "wdes.3")
        assert m.value == pytest.approx((4 / 40) / (18 / 900))
        assert (m.group, m.reference_group, m.breakdown) == ("Disabled", "Non-disabled", "window=1")

    def test_wdes3_two_year_window(self):
        now = {"workforce": STAFF, "casework": casework(4, 18)}
        before = {"workforce": workforce([("Yes", 30), ("No", 800)]), "casework": casework(3, 20)}
        m = one(wdes_metrics(now, previous=before), "wdes.3")
        assert m.value == pytest.approx((3.5 / 35) / (19 / 850))
        assert m.breakdown == "window=2"

    def test_wdes3_no_non_disabled_cases(self):
        with pytest.warns(MeasureWarning):
            m = one(
                wdes_metrics({"workforce": STAFF, "casework": casework(4, 0)}, ONE_YEAR), "wdes.3"
            )
        assert m.value is None and "capability" in m.status

    def test_wdes2_no_disabled_shortlisted(self):
        with pytest.warns(MeasureWarning):
            out = wdes_metrics(
                {"workforce": STAFF, "recruitment": recruitment((30, 100), (0, 0))}, ONE_YEAR
            )
        assert "no Disabled shortlisted applicants" in one(out, "wdes.2").status


class TestSurvey:
    SURVEY = survey_frame(
        [
            ("wdes.4a", "public", "Disabled", 33.0, 200),
            ("wdes.4a", "public", "Non-disabled", 27.0, 900),
            ("wdes.4a", "managers", "Disabled", 15.0, 200),
            ("wdes.4a", "managers", "Non-disabled", 9.0, 900),
            ("wdes.4a", "colleagues", "Disabled", 25.0, 200),
            ("wdes.4a", "colleagues", "Non-disabled", 17.0, 900),
            ("wdes.4b", None, "Disabled", 48.0, 120),
            ("wdes.4b", None, "Non-disabled", 47.0, 400),
            ("wdes.5", None, "Disabled", 51.0, 190),
            ("wdes.5", None, "Non-disabled", 57.0, 880),
            ("wdes.6", None, "Disabled", 29.0, 150),
            ("wdes.6", None, "Non-disabled", 20.0, 600),
            ("wdes.7", None, "Disabled", 31.0, 200),
            ("wdes.7", None, "Non-disabled", 41.0, 900),
            ("wdes.8", None, "Disabled", 71.0, 180),
            ("wdes.9a", None, "Disabled", 6.5, 200),
            ("wdes.9a", None, "Non-disabled", 7.0, 900),
            ("wdes.9a", None, "All", 6.9, 1150),
            ("wdes.prevalence", None, "All", 24.0, 1150),
        ]
    )

    def test_all_survey_metrics(self):
        out = quiet({"workforce": STAFF, "staff_survey": self.SURVEY})
        items = [(m.breakdown, m.group) for m in rows(out, "wdes.4a")]
        assert items == [
            (f"item={i}", g)
            for i in ("public", "managers", "colleagues")
            for g in ("Disabled", "Non-disabled")
        ]
        assert one(out, "wdes.4a", breakdown="item=managers", group="Disabled").value == 15.0
        assert [m.group for m in rows(out, "wdes.8")] == ["Disabled"]
        score = one(out, "wdes.9a", group="All")
        assert (score.value, score.unit, score.n) == (6.9, "score", 1150)
        survey_ids = {"wdes.4a", "wdes.4b", "wdes.5", "wdes.6", "wdes.7", "wdes.8", "wdes.9a"}
        assert all(m.ok for m in out if m.measure in survey_ids)
        assert len([m for m in out if m.measure in survey_ids]) == 6 + 8 + 1 + 3
        assert not rows(out, "wdes.9b") and not rows(out, "wdes.prevalence")

    def test_missing_item(self):
        survey = self.SURVEY.loc[
            self.SURVEY["item"].ne("colleagues").fillna(True).to_numpy(dtype=bool)
        ]
        with pytest.warns(MeasureWarning):
            out = wdes_metrics({"workforce": STAFF, "staff_survey": survey}, ONE_YEAR)
        m = one(out, "wdes.4a", breakdown="item=colleagues", group="Disabled")
        assert m.value is None and "(colleagues)" in m.status


class TestBoard:
    def test_wdes10(self):
        out = quiet({"workforce": STAFF, "board": board(1, 3, 0, 6)})
        by = {m.breakdown: m for m in rows(out, "wdes.10")}
        assert list(by) == ["board=total", "board=voting", "board=executive"]
        assert by["board=voting"].value == pytest.approx(10.0 - 4.0)
        assert by["board=executive"].value == pytest.approx(25.0 - 4.0)
        assert (by["board=executive"].numerator, by["board=executive"].n) == (1, 4)
        assert by["board=voting"].group == "Disabled" and by["board=voting"].unit == "pp"


class TestMissing:
    def test_workforce_required(self):
        with pytest.raises(InputError):
            wdes_metrics({"recruitment": recruitment((1, 2), (1, 2))})

    def test_missing_files(self):
        with warnings.catch_warnings():
            warnings.simplefilter("error", MeasureWarning)
            out = wdes_metrics({"workforce": STAFF}, ONE_YEAR)
        expected = {"wdes.2": "recruitment", "wdes.3": "casework", "wdes.10": "board"}
        expected |= dict.fromkeys(
            ["wdes.4a", "wdes.4b", "wdes.5", "wdes.6", "wdes.7", "wdes.8", "wdes.9a"],
            "staff_survey",
        )
        for measure, file in expected.items():
            m = one(out, measure)
            assert m.status == f"not_calculable: not available: no {file} file"
        assert one(out, "wdes.9a").unit == "score"
        assert {m.measure for m in out} == {"wdes.1", *expected}


class TestDeclarationGap:
    def test_figures(self):
        staff = workforce([("Yes", 30), ("No", 870), (None, 60), ("Not Declared", 40), ("Yes", 5)])
        staff["contract_type"] = pd.Categorical(["Permanent"] * 1000 + ["Bank"] * 5)
        gap = declaration_gap(staff, TestSurvey.SURVEY)
        assert gap["headcount"] == 1000
        assert gap["esr_pct_disabled"] == pytest.approx(3.0)
        assert gap["esr_pct_declared"] == pytest.approx(90.0)
        assert gap["survey_prevalence"] == 24.0
        assert gap["gap_pp"] == pytest.approx(21.0)

    def test_without_survey(self):
        gap = declaration_gap(STAFF)
        assert gap["survey_prevalence"] is None and gap["gap_pp"] is None
        assert gap["esr_pct_disabled"] == pytest.approx(4.0)

    def test_nobody_in_post(self):
        gap = declaration_gap(STAFF.iloc[:0])
        assert gap["headcount"] == 0 and gap["esr_pct_disabled"] is None
