"""Tests for edi_reports.validation.quality (Great Expectations data-quality checks).

GX is slow to import and each validation run has a fixed cost of about a second, so the
GX runs happen once per module in fixtures: every clean table together, every crafted bad
table together, and one warnings-only workforce without a year. Everything else is
plain Python.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from edi_reports import config
from edi_reports.errors import InputError, ValidationFailed
from edi_reports.intake import classifications, schema
from edi_reports.validation import quality as validation
from edi_reports.validation.quality import CheckResult, ValidationReport

EXPECTATIONS_DIR = Path(__file__).resolve().parents[2] / "expectations"
YEAR = 2025  # snapshot 31 March 2025, 2024/25: National Living Wage £11.44

# --------------------------------------------------------------------------- builders

DEFAULTS: dict[str, dict[str, Any]] = {
    "workforce": {
        "ethnic_code": "A",
        "ethnic_wres": "White",
        "ethnic_group": "White British",
        "sex": "Female",
        "age": 40,
        "age_band": "36-40",
        "disability": "No",
        "disability_group": "Non-disabled",
        "sexual_orientation": "Heterosexual or Straight",
        "sexual_orientation_group": "Heterosexual",
        "religion_belief": "Christianity",
        "marital_status": "Married",
        "gender_reassignment": "No",
        "on_maternity_leave": False,
        "staff_group": "Nursing and Midwifery Registered",
        "clinical": True,
        "pay_band": "Band 5",
        "directorate": "Medicine",
        "contract_type": "Permanent",
        "contracted_hours": 37.5,
        "pay_frequency": "monthly",
        "ordinary_pay": 2497.50,
        "bonus_pay_in_period": 0.0,
        "bonus_period_days": None,
        "bonus_pay_12m": 0.0,
        "full_pay": True,
        "hourly_rate_given": None,
    },
    "recruitment": {
        "ethnic_code": "A",
        "ethnic_wres": "White",
        "disability_group": "Non-disabled",
        "sex": "Female",
        "shortlisted": True,
        "appointed": False,
        "post_band": "Band 5",
    },
    "casework": {
        "staff_id": None,
        "process": "disciplinary",
        "start_date": "2024-06-01",
        "ethnic_code": "H",
        "ethnic_wres": "BME",
        "disability_group": "Non-disabled",
        "sex": "Male",
    },
    "training": {"course": "Leadership", "start_date": "2024-09-01"},
    "staff_survey": {
        "question": "wres.5",
        "item": None,
        "group": "White",
        "percent": 25.0,
        "responses": 300,
    },
    "board": {
        "voting": True,
        "executive": False,
        "ethnic_code": "A",
        "ethnic_wres": "White",
        "disability_group": "Non-disabled",
        "sex": "Female",
    },
}
ID_COLUMN = {
    "workforce": "staff_id",
    "recruitment": "application_id",
    "casework": "case_id",
    "training": "staff_id",
    "board": "member_id",
}


def _column(values: list[Any], dtype: str) -> Any:
    """Values cast to a schema.py dtype."""
    if dtype == "category":
        return pd.Categorical([v if v is not None else np.nan for v in values])
    if dtype.startswith("datetime64"):
        return pd.to_datetime(pd.Series(values)).astype(dtype).to_numpy()
    if dtype == "float64":
        return np.array([np.nan if v is None else v for v in values], dtype="float64")
    return pd.array(values, dtype=dtype)


def make_table(table: str, rows: list[dict[str, Any]]) -> pd.DataFrame:
    """A cleaned canonical table (every schema.py column and dtype) from row overrides.

    Row ``i`` (1-based ``row`` = i) gets the table's defaults, a distinct id, and the
    values in ``rows[i - 1]``.
    """
    records = []
    for i, override in enumerate(rows, start=1):
        record = {"row": i, **DEFAULTS[table]}
        if table in ID_COLUMN:
            record[ID_COLUMN[table]] = f"{ID_COLUMN[table][0].upper()}{i}"
        record.update(override)
        records.append(record)
    columns = schema.TABLES[table]
    return pd.DataFrame(
        {col: _column([r.get(col) for r in records], dtype) for col, (dtype, _) in columns.items()}
    )


def clean_tables() -> dict[str, pd.DataFrame]:
    """One clean table of each kind: every check, critical and warning, passes."""
    workforce = make_table(
        "workforce",
        [
            {"staff_id": "S1", "sex": "Male"},
            {"staff_id": "S2", "ethnic_code": "H", "ethnic_wres": "BME", "ethnic_group": "Asian"},
            {"staff_id": "S3", "pay_band": "Consultant", "ordinary_pay": 9500.0},
            {"staff_id": "S4", "disability": "Yes", "disability_group": "Disabled"},
            {"staff_id": "S5", "pay_frequency": "weekly", "ordinary_pay": 600.0},
            {"staff_id": "S6", "full_pay": False, "ordinary_pay": 0.0},
            {"staff_id": "S7", "bonus_pay_12m": 5000.0, "hourly_rate_given": 20.0},
        ],
    )
    recruitment = make_table(
        "recruitment",
        [{}, {"appointed": True}, {"shortlisted": False}, {"post_band": None}],
    )
    casework = make_table("casework", [{}, {"process": "capability", "staff_id": "S2"}])
    training = make_table("training", [{"staff_id": "S1"}, {"staff_id": "S2"}])
    survey = make_table(
        "staff_survey",
        [
            {},
            {"group": "BME", "percent": 30.0, "responses": 80},
            {"question": "wdes.4a", "item": "public", "group": "Disabled"},
            {"question": "wdes.9a", "group": "All", "percent": 6.8},
        ],
    )
    board = make_table("board", [{"executive": True}, {"voting": False}])
    return {
        "workforce": workforce,
        "recruitment": recruitment,
        "casework": casework,
        "training": training,
        "staff_survey": survey,
        "board": board,
    }


def bad_tables() -> dict[str, pd.DataFrame]:
    """One table of each kind with one crafted fault per row (see BAD_CASES)."""
    wf_rows: list[dict[str, Any]] = [
        {"staff_id": "S1"},  # 1 clean (but duplicated by row 4)
        {"contracted_hours": 0.0},  # 2
        {"contracted_hours": 200.0},  # 3
        {"staff_id": "S1"},  # 4 duplicate id
        {"staff_id": None},  # 5 blank id
        {"ordinary_pay": -5.0},  # 6
        {"sex": "Other"},  # 7 not in the list
        {"pay_band": "Band 10"},  # 8
        {"ethnic_wres": None},  # 9
        {"sex": None},  # 10
        {"contracted_hours": None},  # 11
        {"bonus_pay_12m": -1.0},  # 12
        {"age": -3},  # 13
    ]
    wf_rows += [{"pay_frequency": None}] * 25  # rows 14-38: more than 20 failing rows
    recruitment = make_table(
        "recruitment",
        [
            {"application_id": "A1"},
            {"appointed": True, "shortlisted": False},  # 2 appointed, not shortlisted
            {"application_id": "A1"},  # 3 duplicate id
            {"shortlisted": None},  # 4
        ],
    )
    casework = make_table(
        "casework",
        [{"case_id": "C1"}, {"process": "grievance"}, {"start_date": None}, {"case_id": "C1"}],
    )
    training = make_table(
        "training", [{"staff_id": "S1"}, {"staff_id": "NOT-A-STAFF-ID"}, {"staff_id": None}]
    )
    survey = make_table(
        "staff_survey",
        [
            {},
            {"percent": 120.0, "group": "BME"},  # 2
            {"question": "wdes.9a", "percent": 45.0, "group": "All"},  # 3 score out of 10
            {"question": "wres.99"},  # 4 (same item/group as row 1 but another question)
            {},  # 5 duplicate of row 1
            {"question": "wres.6", "responses": 5},  # 6 warning only
        ],
    )
    board = make_table("board", [{"member_id": "M1"}, {"voting": None}, {"member_id": "M1"}]).drop(
        columns=["executive"]
    )
    return {
        "workforce": make_table("workforce", wf_rows),
        "recruitment": recruitment,
        "casework": casework,
        "training": training,
        "staff_survey": survey,
        "board": board,
    }


# (table, column as reported, expectation type, failing rows)
BAD_CASES: list[tuple[str, str, str, list[int]]] = [
    ("workforce", "contracted_hours", "expect_column_values_to_be_between", [2, 3]),
    ("workforce", "contracted_hours", "expect_column_values_to_not_be_null", [11]),
    ("workforce", "staff_id", "expect_column_values_to_be_unique", [1, 4]),
    ("workforce", "staff_id", "expect_column_values_to_not_be_null", [5]),
    ("workforce", "ordinary_pay", "expect_column_values_to_be_between", [6]),
    ("workforce", "sex", "expect_column_values_to_be_in_set", [7]),
    ("workforce", "sex", "expect_column_values_to_not_be_null", [10]),
    ("workforce", "pay_band", "expect_column_values_to_be_in_set", [8]),
    ("workforce", "ethnic_wres", "expect_column_values_to_not_be_null", [9]),
    ("workforce", "bonus_pay_12m", "expect_column_values_to_be_between", [12]),
    ("workforce", "age", "expect_column_values_to_be_between", [13]),
    ("workforce", "pay_frequency", "expect_column_values_to_not_be_null", list(range(14, 34))),
    ("recruitment", "shortlisted, appointed", "expect_column_values_to_be_in_set", [2]),
    ("recruitment", "application_id", "expect_column_values_to_be_unique", [1, 3]),
    ("recruitment", "shortlisted", "expect_column_values_to_not_be_null", [4]),
    ("casework", "process", "expect_column_values_to_be_in_set", [2]),
    ("casework", "start_date", "expect_column_values_to_not_be_null", [3]),
    ("casework", "case_id", "expect_column_values_to_be_unique", [1, 4]),
    ("training", "staff_id", "expect_column_values_to_be_in_set", [2]),
    ("training", "staff_id", "expect_column_values_to_not_be_null", [3]),
    ("staff_survey", "percent", "expect_column_values_to_be_between", [2]),
    ("staff_survey", "percent (score for wdes.9a)", "expect_column_values_to_be_between", [3]),
    ("staff_survey", "question", "expect_column_values_to_be_in_set", [4]),
    ("staff_survey", "question, item, group", "expect_compound_columns_to_be_unique", [1, 5]),
    ("board", "voting", "expect_column_values_to_not_be_null", [2]),
    ("board", "member_id", "expect_column_values_to_be_unique", [1, 3]),
]


def _find(
    report: ValidationReport, table: str, column: str, expectation: str, severity: str
) -> list[CheckResult]:
    return [
        r
        for r in report.results
        if r.table == table
        and r.column == column
        and r.expectation == expectation
        and r.severity == severity
    ]


# --------------------------------------------------------------------------- GX runs


@pytest.fixture(scope="module")
def clean_report() -> ValidationReport:
    return validation.validate_tables(clean_tables(), EXPECTATIONS_DIR, year=YEAR)


@pytest.fixture(scope="module")
def bad_report() -> ValidationReport:
    return validation.validate_tables(bad_tables(), EXPECTATIONS_DIR, year=YEAR)


@pytest.fixture(scope="module")
def warnings_only_report() -> ValidationReport:
    """Workforce with implausible but valid values, validated without a year."""
    workforce = make_table(
        "workforce",
        [
            {"contracted_hours": 61.0},  # 1 over 60 hours
            {"age": 90},  # 2
            {"ordinary_pay": 900.0},  # 3 under any minimum wage, but no year given
            {"bonus_pay_12m": 200000.0},  # 4 bonus > 5 x annual pay
            {},
        ],
    )
    return validation.validate_tables({"workforce": workforce}, EXPECTATIONS_DIR, year=None)


class TestValidateTables:
    def test_clean_tables_pass_every_check(self, clean_report: ValidationReport) -> None:
        assert clean_report.results, "no checks ran"
        assert {r.table for r in clean_report.results} == set(schema.TABLES)
        assert clean_report.critical_failures == []
        assert clean_report.warnings == []
        assert clean_report.passed
        assert all(r.unexpected_rows == [] and not r.error for r in clean_report.results)

    def test_every_suite_ran_on_clean_tables(self, clean_report: ValidationReport) -> None:
        specs = validation.load_suite_specs(EXPECTATIONS_DIR)
        for (table, severity), exps in specs.items():
            ran = [r for r in clean_report.results if (r.table, r.severity) == (table, severity)]
            assert len(ran) == len(exps), (table, severity)

    @pytest.mark.parametrize(("table", "column", "expectation", "rows"), BAD_CASES)
    def test_each_critical_rule_fails_on_its_rows(
        self,
        bad_report: ValidationReport,
        table: str,
        column: str,
        expectation: str,
        rows: list[int],
    ) -> None:
        found = _find(bad_report, table, column, expectation, "critical")
        failed = [r for r in found if not r.success]
        assert len(failed) == 1, [(r.description, r.unexpected_rows) for r in found]
        check = failed[0]
        assert check.unexpected_rows == rows
        assert check in bad_report.critical_failures
        assert check.description and check.fix

    def test_more_than_20_rows_are_counted_not_listed(self, bad_report: ValidationReport) -> None:
        (check,) = _find(
            bad_report,
            "workforce",
            "pay_frequency",
            "expect_column_values_to_not_be_null",
            "critical",
        )
        assert check.unexpected_count == 25
        assert len(check.unexpected_rows) == validation.MAX_ROWS_LISTED
        assert "row(s) 14, 15" in check.location() and "and 5 more" in check.location()

    def test_missing_column_is_a_failure_with_a_reason(self, bad_report: ValidationReport) -> None:
        (check,) = _find(
            bad_report, "board", "executive", "expect_column_values_to_not_be_null", "critical"
        )
        assert not check.success
        assert "executive" in check.error

    def test_only_expected_critical_failures(self, bad_report: ValidationReport) -> None:
        expected = {(t, c, e) for t, c, e, _ in BAD_CASES} | {
            ("board", "executive", "expect_column_values_to_not_be_null"),
        }
        got = {(r.table, r.column, r.expectation) for r in bad_report.critical_failures}
        assert got == expected

    def test_message_names_file_column_rows_and_fix_but_no_values(
        self, bad_report: ValidationReport
    ) -> None:
        text = bad_report.message()
        assert text.startswith(f"Data-quality checks found {len(bad_report.critical_failures)}")
        assert (
            "workforce file, column 'contracted_hours', row(s) 2, 3: "
            "Weekly contracted hours must be more than 0 and at most 168." in text
        )
        assert "How to fix: Correct the weekly contracted hours" in text
        assert "recruitment file, columns 'shortlisted, appointed', row(s) 2:" in text
        for value in ("200", "-5", "Band 10", "NOT-A-STAFF-ID", "grievance", "wres.99", "120"):
            assert value not in text
        with pytest.raises(ValidationFailed) as err:
            bad_report.raise_for_critical()
        assert err.value.args[0] == text

    def test_warnings_do_not_count_as_critical(
        self, warnings_only_report: ValidationReport
    ) -> None:
        report = warnings_only_report
        assert report.critical_failures == []
        assert report.passed
        failed = {(r.column, tuple(r.unexpected_rows)) for r in report.warnings}
        assert failed == {
            ("contracted_hours", (1,)),
            ("age", (2,)),
            ("bonus_pay_12m, ordinary_pay", (4,)),
        }
        assert report.message().startswith("All critical data-quality checks passed.")
        assert "3 warning(s) about implausible values" in report.message()
        report.raise_for_critical()  # does not raise

    def test_year_dependent_checks_are_skipped_without_a_year(
        self, warnings_only_report: ValidationReport, clean_report: ValidationReport
    ) -> None:
        assert not any("Living Wage" in r.description for r in warnings_only_report.results)
        assert any("Living Wage" in r.description for r in clean_report.results)

    def test_absent_tables_are_skipped(self, warnings_only_report: ValidationReport) -> None:
        assert {r.table for r in warnings_only_report.results} == {"workforce"}

    def test_no_tables_gives_an_empty_report(self) -> None:
        report = validation.validate_tables({}, EXPECTATIONS_DIR, year=YEAR)
        assert report.results == [] and report.passed

    def test_living_wage_warning_on_bad_workforce(self, bad_report: ValidationReport) -> None:
        (check,) = [
            r
            for r in bad_report.warnings
            if r.table == "workforce" and "Living Wage" in r.description
        ]
        # row 3: 2,497.50 x 7 / 30.44 / 200 h = £2.87; row 6: negative pay
        assert check.unexpected_rows == [3, 6]

    def test_survey_small_groups_warn(self, bad_report: ValidationReport) -> None:
        (check,) = [
            r for r in bad_report.warnings if r.table == "staff_survey" and r.column == "responses"
        ]
        assert check.unexpected_rows == [6]


class TestSummaryAndJson:
    def test_summary_frame(self, bad_report: ValidationReport) -> None:
        frame = bad_report.summary_frame()
        assert list(frame.columns) == [
            "table",
            "severity",
            "check",
            "column",
            "result",
            "rows_affected",
        ]
        assert len(frame) == len(bad_report.results)
        failed = frame[(frame["result"] == "failed") & (frame["severity"] == "critical")]
        assert len(failed) == len(bad_report.critical_failures)
        hours = frame[
            (frame["column"] == "contracted_hours")
            & frame["check"].str.startswith("Weekly contracted hours must")
        ]
        assert hours["rows_affected"].tolist() == [2]

    def test_file_round_trip(self, bad_report: ValidationReport, tmp_path: Path) -> None:
        path = tmp_path / "out" / "validation.json"
        validation.write_validation(bad_report, path)
        doc = json.loads(path.read_text(encoding="utf-8"))
        assert doc["critical_failures"] == len(bad_report.critical_failures)
        assert doc["passed"] is False
        assert validation.read_validation(path) == bad_report

    @settings(max_examples=50, deadline=None)
    @given(
        st.lists(
            st.builds(
                CheckResult,
                table=st.sampled_from(sorted(schema.TABLES)),
                severity=st.sampled_from(validation.SEVERITIES),
                expectation=st.text(min_size=1, max_size=30),
                column=st.none() | st.text(max_size=20),
                success=st.booleans(),
                unexpected_count=st.integers(0, 10**7),
                unexpected_rows=st.lists(st.integers(1, 10**7), max_size=20),
                description=st.text(max_size=50),
                fix=st.text(max_size=50),
                unexpected_percent=st.none() | st.floats(0, 100),
                error=st.text(max_size=20),
            ),
            max_size=8,
        )
    )
    def test_json_round_trip_property(self, results: list[CheckResult]) -> None:
        report = ValidationReport(results=results)
        again = ValidationReport.from_json(json.loads(json.dumps(report.to_json())))
        assert again == report
        assert len(again.critical_failures) + len(again.warnings) == sum(
            not r.success for r in results
        )
        assert report.to_json()["passed"] == (not report.critical_failures)


class TestSuites:
    def test_every_table_has_both_suites(self) -> None:
        specs = validation.load_suite_specs(EXPECTATIONS_DIR)
        assert set(specs) == {(t, s) for t in schema.TABLES for s in validation.SEVERITIES}

    def test_suites_are_valid_gx_expectations(self) -> None:
        for (table, severity), exps in validation.load_suite_specs(EXPECTATIONS_DIR).items():
            suite = validation.build_suite(f"{table}.{severity}", exps)
            assert len(suite.expectations) == len(exps)
            for spec in exps:
                assert spec["meta"]["why"].strip() and spec["meta"]["fix"].strip()

    def test_every_parameter_and_column_exists(self) -> None:
        params = validation.suite_parameters(YEAR)
        derived = {
            "workforce": {"hourly_pay_estimate", "bonus_to_annual_pay"},
            "recruitment": {"appointed_not_shortlisted"},
            "training": {"staff_id_in_workforce"},
            "staff_survey": {"wdes_9a_score"},
        }
        for (table, _), exps in validation.load_suite_specs(EXPECTATIONS_DIR).items():
            known = set(schema.TABLES[table]) | derived.get(table, set())
            assert validation.columns_used(exps) <= known, table
            for spec in exps:
                assert validation.parameters_used(spec["kwargs"]) <= set(params)

    def test_bad_suite_file_is_a_plain_error(self, tmp_path: Path) -> None:
        (tmp_path / "workforce.critical.json").write_text("{not json", encoding="utf-8")
        with pytest.raises(InputError, match="not valid JSON"):
            validation.load_suite_specs(tmp_path)

    def test_suite_needs_why_and_fix(self, tmp_path: Path) -> None:
        doc = {
            "table": "board",
            "severity": "warning",
            "expectations": [
                {"type": "expect_table_row_count_to_be_between", "kwargs": {"min_value": 1}}
            ],
        }
        (tmp_path / "board.warning.json").write_text(json.dumps(doc), encoding="utf-8")
        with pytest.raises(InputError, match=r"meta\.why and meta\.fix"):
            validation.load_suite_specs(tmp_path)

    def test_suite_file_name_needs_a_severity(self, tmp_path: Path) -> None:
        (tmp_path / "board.json").write_text("{}", encoding="utf-8")
        with pytest.raises(InputError, match="file name"):
            validation.load_suite_specs(tmp_path)


# --------------------------------------------------------------------------- helpers


class TestParameters:
    @pytest.mark.parametrize(
        ("year", "wage"),
        [(2017, None), (2018, 7.50), (2024, 10.42), (2025, 11.44), (2026, 12.21), (2030, 12.71)],
    )
    def test_minimum_hourly_wage(self, year: int, wage: float | None) -> None:
        assert validation.minimum_hourly_wage(year) == wage

    def test_dates_follow_the_snapshot(self) -> None:
        params = validation.suite_parameters(2024)
        assert params["financial_year_start"] == pd.Timestamp("2023-04-01")
        assert params["snapshot_date"].date() == pd.Timestamp("2024-03-31").date()
        assert params["min_hourly_wage"] == 10.42
        assert params["staff_survey_min"] == config.DEFAULT_SETTINGS.disclosure.staff_survey_min

    def test_no_year_no_year_parameters(self) -> None:
        params = validation.suite_parameters(None)
        assert not {"snapshot_date", "min_hourly_wage", "financial_year_start"} & set(params)


class TestDerivedColumns:
    def test_hourly_pay_golden_band5(self) -> None:
        # methodology §1.6: 2,497.50 x 7 / 30.44 / 37.5 = £15.3154
        wf = make_table("workforce", [{}])
        assert validation.hourly_pay_estimate(wf).iloc[0] == pytest.approx(15.3154, abs=5e-5)

    def test_hourly_pay_uses_given_rate_and_skips_reduced_pay(self) -> None:
        wf = make_table(
            "workforce",
            [
                {"hourly_rate_given": 20.0},
                {"full_pay": False},
                {"contracted_hours": 0.0},
                {"pay_frequency": "4-weekly", "ordinary_pay": 1120.0, "contracted_hours": 40.0},
            ],
        )
        rates = validation.hourly_pay_estimate(wf)
        assert rates.iloc[0] == 20.0
        assert math.isnan(rates.iloc[1]) and math.isnan(rates.iloc[2])
        assert rates.iloc[3] == pytest.approx(1120 * 7 / 28 / 40)

    @settings(max_examples=50, deadline=None)
    @given(
        pay=st.floats(0, 50_000),
        hours=st.floats(0.5, 168),
        freq=st.sampled_from(sorted(classifications.PAY_PERIOD_DAYS)),
    )
    def test_hourly_pay_formula_property(self, pay: float, hours: float, freq: str) -> None:
        wf = make_table(
            "workforce", [{"ordinary_pay": pay, "contracted_hours": hours, "pay_frequency": freq}]
        )
        expected = pay * 7 / classifications.PAY_PERIOD_DAYS[freq] / hours
        assert validation.hourly_pay_estimate(wf).iloc[0] == pytest.approx(expected)
        ratio = validation.bonus_to_annual_pay(wf).iloc[0]
        assert ratio == 0.0 or (pay == 0 and math.isnan(ratio))

    def test_derived_columns_do_not_change_the_input(self) -> None:
        tables = clean_tables()
        before = {k: v.copy() for k, v in tables.items()}
        for name, df in tables.items():
            out = validation.add_derived_columns(name, df, tables)
            pd.testing.assert_frame_equal(df, before[name])
            assert len(out) == len(df)
        training = validation.add_derived_columns(
            "training", tables["training"], {"training": tables["training"]}
        )
        assert training["staff_id_in_workforce"].isna().all()

    def test_prepare_for_gx_keeps_values_and_indexes_rows(self) -> None:
        wf = make_table("workforce", [{"age": None}, {"age": 30}])
        out = validation.prepare_for_gx(wf, {"age", "sex", "staff_id"}, {"sex"})
        assert list(out.index) == [1, 2] and out.index.name == "row"
        assert set(out.columns) == {"row", "age", "sex", "staff_id"}
        assert out["age"].dtype == np.float64 and math.isnan(out["age"].iloc[0])
        assert out["age"].iloc[1] == 30.0
        assert isinstance(out["sex"].dtype, pd.CategoricalDtype)

    def test_rows_from_both_gx_layouts(self) -> None:
        rows = list(range(100, 130))
        assert validation._rows_from({"unexpected_index_list": [{"row": rows}]}) == rows[:20]
        layout = [{"x": 5.0, "row": 9}, {"x": 7.0, "row": 3}]
        assert validation._rows_from({"unexpected_index_list": layout}) == [3, 9]
        assert validation._rows_from({}) == []


def test_import_is_cheap_and_analytics_off() -> None:
    import subprocess
    import sys

    code = (
        "import os, sys; import edi_reports.validation.quality; "
        "assert 'great_expectations' not in sys.modules; "
        "assert os.environ['GX_ANALYTICS_ENABLED'] == 'false'"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)
