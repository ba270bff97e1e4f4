"""Tests of the clean stage (edi_reports.intake.clean): headers, encodings, xlsx, values, quarantine.

Spec: data contract §2-§3; methodology §7.
"""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from edi_reports.config import Settings
from edi_reports.errors import InputError
from edi_reports.intake import schema
from edi_reports.intake.clean import (
    R_BLANK,
    R_DUPLICATE,
    R_HOURS,
    R_MANDATORY,
    R_NEGATIVE,
    R_NOT_IN_WORKFORCE,
    R_NOT_RECOGNISED,
    R_NOT_SHORTLISTED,
    R_NUMBER,
    R_PERCENT,
    R_PROCESS,
    R_QUESTION,
    R_SCORE,
    R_SECONDARY,
    U_BLANK,
    U_VALUE,
    age_at,
    fy_reason,
    header_key,
    load_inputs,
    load_organisations,
    map_headers,
    parse_bool,
    parse_date,
    parse_number,
    read_table,
    write_processed,
)

YEAR = 2024
WF_HEADER = [
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


def wf_row(staff_id: str, **overrides: str) -> list[str]:
    """A valid workforce row, with some cells overridden by column name."""
    base = {
        "staff_id": staff_id,
        "ethnic_category": "A",
        "sex": "Female",
        "age": "40",
        "disability": "No",
        "staff_group": "Nursing and Midwifery Registered",
        "pay_band": "Band 5",
        "contracted_hours": "37.5",
        "ordinary_pay": "2497.50",
    }
    base.update(overrides)
    return [base[c] for c in WF_HEADER]


def csv_text(header: list[str], rows: list[list[str]]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buf.getvalue()


def write_csv(
    folder: Path, stem: str, header: list[str], rows: list[list[str]], encoding: str = "utf-8"
) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{stem}.csv"
    path.write_bytes(csv_text(header, rows).encode(encoding))
    return path


def write_xlsx(folder: Path, stem: str, header: list[str], rows: list[list[object]]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(header)
    for row in rows:
        ws.append(row)
    path = folder / f"{stem}.xlsx"
    wb.save(path)
    return path


def quarantine_of(result, file: str) -> pd.DataFrame:
    q = result.quarantine
    return q[q["file"] == file]


def assert_reconciled(result) -> None:
    rec = result.reconciliation
    assert (rec["rows_in"] == rec["rows_used"] + rec["rows_rejected"]).all()
    for _, r in rec.iterrows():
        stem = Path(r["file"]).stem
        assert len(result.tables[stem]) == r["rows_used"]
        q = quarantine_of(result, r["file"])
        assert q.loc[q["action"] == "rejected", "row"].nunique() == r["rows_rejected"]
        assert (q["action"] == "set_unknown").sum() == r["values_set_unknown"]


# --- headers -------------------------------------------------------------------------------


class TestHeaders:
    def test_header_key_ignores_case_spaces_hyphens_underscores(self):
        assert header_key("Ethnic-Origin") == header_key("ethnic_origin") == "ethnicorigin"
        assert header_key(" Staff  ID ") == "staffid"

    def test_esr_aliases_map_to_canonical(self):
        cols = [
            "Employee Number",
            "Ethnic Origin",
            "Legal Sex",
            "Date of Birth",
            "Disabled",
            "Staff Group",
            "Payscale",
            "Contracted Hours",
            "Ordinary Pay",
            "Assignment Category",
            "Gender Identity Same As Birth",
            "Something Else",
        ]
        found = map_headers(cols, "workforce", "workforce.csv")
        assert found["staff_id"] == "Employee Number"
        assert found["ethnic_category"] == "Ethnic Origin"
        assert found["sex"] == "Legal Sex"
        assert found["date_of_birth"] == "Date of Birth"
        assert found["disability"] == "Disabled"
        assert found["pay_band"] == "Payscale"
        assert found["contract_type"] == "Assignment Category"
        assert found["gender_identity_same_as_birth"] == "Gender Identity Same As Birth"
        assert "Something Else" not in found.values()

    def test_missing_required_column_names_file_and_column(self):
        with pytest.raises(InputError) as info:
            map_headers(WF_HEADER[:-1], "workforce", "data/workforce.csv")
        assert info.value.column == "ordinary_pay"
        assert "data/workforce.csv" in str(info.value)
        assert "ordinary_pay" in str(info.value)

    def test_age_or_date_of_birth_either_is_enough(self):
        cols = [c for c in WF_HEADER if c != "age"] + ["DOB"]
        assert map_headers(cols, "workforce", "w")["date_of_birth"] == "DOB"
        with pytest.raises(InputError, match="age or date_of_birth"):
            map_headers([c for c in WF_HEADER if c != "age"], "workforce", "w")

    def test_two_headers_for_one_column_is_an_error(self):
        with pytest.raises(InputError) as info:
            map_headers([*WF_HEADER, "Ethnicity"], "workforce", "w")
        assert info.value.column == "ethnic_category"

    def test_extra_columns_never_reach_the_tables(self, tmp_path):
        folder = tmp_path / "RJZ" / "2024"
        header = [*WF_HEADER, "National Insurance Number"]
        write_csv(folder, "workforce", header, [[*wf_row("1"), "QQ123456C"]])
        res = load_inputs(folder, YEAR)
        assert list(res.tables["workforce"].columns) == list(schema.WORKFORCE)
        assert not res.tables["workforce"].isin(["QQ123456C"]).any().any()


# --- reading and encodings --------------------------------------------------------------------


class TestReadTable:
    def test_cp1252_pound_sign(self, tmp_path):
        folder = tmp_path / "f"
        write_csv(
            folder, "workforce", WF_HEADER, [wf_row("1", ordinary_pay="£2,497.50 ")], "cp1252"
        )
        assert (folder / "workforce.csv").read_bytes().count(b"\xa3") == 1
        res = load_inputs(folder, YEAR)
        assert res.tables["workforce"]["ordinary_pay"].iloc[0] == 2497.50

    def test_utf8_bom_header_is_recognised(self, tmp_path):
        folder = tmp_path / "f"
        write_csv(folder, "workforce", WF_HEADER, [wf_row("1")], "utf-8-sig")
        raw = read_table(folder / "workforce.csv")
        assert raw.columns[0] == "staff_id"
        assert load_inputs(folder, YEAR).tables["workforce"]["staff_id"].iloc[0] == "1"

    def test_utf16_tab_separated_unicode_text(self, tmp_path):
        path = tmp_path / "w.csv"
        path.write_bytes(("a\tb\r\n1\t£2\r\n").encode("utf-16"))
        raw = read_table(path)
        assert list(raw.columns) == ["a", "b"]
        assert raw.iloc[0].tolist() == ["1", "£2"]

    def test_semicolon_separated(self, tmp_path):
        path = tmp_path / "w.csv"
        path.write_text("a;b\n1;2\n")
        assert read_table(path).iloc[0].tolist() == ["1", "2"]

    def test_all_cells_are_strings_and_leading_zeros_kept(self, tmp_path):
        path = tmp_path / "w.csv"
        path.write_text("id,n\n007,1.50\n")
        raw = read_table(path)
        assert raw.iloc[0].tolist() == ["007", "1.50"]

    def test_quoted_newline_and_comma(self, tmp_path):
        path = tmp_path / "w.csv"
        path.write_text('a,b\n"x, y","line1\nline2"\n3,4\n')
        raw = read_table(path)
        assert raw.iloc[0].tolist() == ["x, y", "line1\nline2"]
        assert len(raw) == 2

    def test_irregular_csv_uses_fallback_parser(self, tmp_path):
        path = tmp_path / "w.csv"
        path.write_text("a,b,c\n1,2\n\n3,4,5\n")
        raw = read_table(path)
        assert raw.iloc[0].tolist() == ["1", "2", ""]
        assert raw.iloc[1].tolist() == ["", "", ""]
        assert raw.iloc[2].tolist() == ["3", "4", "5"]

    def test_xlsx_numbers_dates_and_text(self, tmp_path):
        path = write_xlsx(
            tmp_path,
            "workforce",
            ["id", "hours", "dob", "flag", "code"],
            [[12345678, 37.5, datetime(1980, 4, 1), True, 99]],
        )
        raw = read_table(path)
        assert raw.iloc[0].tolist() == ["12345678", "37.5", "1980-04-01", "Yes", "99"]

    def test_both_csv_and_xlsx_is_an_error(self, tmp_path):
        folder = tmp_path / "f"
        write_csv(folder, "workforce", WF_HEADER, [wf_row("1")])
        write_xlsx(folder, "workforce", WF_HEADER, [wf_row("1")])
        with pytest.raises(InputError, match="Keep one"):
            load_inputs(folder, YEAR)


# --- value parsers --------------------------------------------------------------------------------


class TestParsers:
    def test_money(self):
        values, blank, invalid = parse_number(
            pd.Series(["£2,497.50 ", "1,234", " 37.5", "(12.00)", "", "abc", "£", "nan"])
        )
        assert values.iloc[:4].tolist() == [2497.5, 1234.0, 37.5, -12.0]
        assert blank.tolist() == [False] * 4 + [True] + [False] * 3
        assert invalid.tolist() == [False] * 5 + [True] * 3

    def test_booleans(self):
        values, invalid = parse_bool(pd.Series(["Y", " n ", "Yes", "NO", "true", "", "maybe"]))
        assert values.iloc[:5].tolist() == [True, False, True, False, True]
        assert values.iloc[5:].isna().all()
        assert invalid.tolist() == [False] * 6 + [True]

    def test_dates_in_every_accepted_form(self):
        values, invalid = parse_date(
            pd.Series(["31/03/2024", "2024-03-31", "31-MAR-2024", "45382", "45382.25", "1/4/2023"])
        )
        expected = [pd.Timestamp("2024-03-31")] * 5 + [pd.Timestamp("2023-04-01")]
        assert values.tolist() == expected
        assert not invalid.any()

    def test_bad_dates_are_flagged_blank_is_not(self):
        values, invalid = parse_date(pd.Series(["31/02/2024", "yesterday", "", "13/13/2020"]))
        assert values.isna().all()
        assert invalid.tolist() == [True, True, False, True]

    def test_age_at_snapshot(self):
        dob = pd.Series(pd.to_datetime(["1980-03-31", "1980-04-01", "2000-02-29", None]))
        ages = age_at(dob, date(2024, 3, 31))
        assert ages.iloc[:3].tolist() == [44, 43, 24]
        assert ages.isna().iloc[3]

    @given(st.dates(min_value=date(1900, 3, 1), max_value=date(2100, 12, 31)))
    @settings(max_examples=60, deadline=None)
    def test_date_formats_round_trip(self, d):
        serial = (d - date(1899, 12, 30)).days
        text = pd.Series([d.strftime("%d/%m/%Y"), d.isoformat(), str(serial)])
        values, invalid = parse_date(text)
        assert not invalid.any()
        assert all(v.date() == d for v in values)

    @given(st.decimals(min_value=0, max_value=10_000_000, places=2, allow_nan=False))
    @settings(max_examples=60, deadline=None)
    def test_money_round_trip(self, amount):
        text = pd.Series([f"£{amount:,.2f}", f"{amount:.2f}", f" {amount:,.2f} "])
        values, _, invalid = parse_number(text)
        assert not invalid.any()
        assert np.allclose(values.to_numpy(), float(amount))

    @given(
        st.dates(min_value=date(1920, 1, 1), max_value=date(2010, 12, 31)),
        st.dates(min_value=date(2015, 1, 1), max_value=date(2030, 12, 31)),
    )
    @settings(max_examples=60, deadline=None)
    def test_age_matches_calendar_definition(self, dob, on):
        age = int(age_at(pd.Series(pd.to_datetime([dob])), on).iloc[0])
        birthday_passed = (on.month, on.day) >= (dob.month, dob.day)
        assert age == on.year - dob.year - (0 if birthday_passed else 1)


# --- workforce values ---------------------------------------------------------------------------------


class TestWorkforceValues:
    def test_normalisation(self, tmp_path):
        folder = tmp_path / "f"
        header = [
            "Employee Number",
            "Ethnic Origin",
            "Gender",
            "Date of Birth",
            "Disability Flag",
            "Staff Group",
            "Grade",
            "Contracted Hours",
            "Ordinary Pay",
            "Assignment Category",
            "Pay Frequency",
            "Full Pay",
            "Bonus Pay 12m",
            "Hourly Rate",
            "Gender Identity Same As Birth",
            "Sexual Orientation",
        ]
        rows = [
            ["1", "A White - British", "F", "31/03/1984", "Y", "Admin and Clerical", "8A"]
            + ["37.5", "£3,000", "", "", "", "", "", "No", "Bisexual"],
            ["2", "c3", "M", "1990-06-15", "Not Declared", "01", "AfC Band 5"]
            + ["22.5", "1500", "Bank", "Weekly", "N", "£1,000.00", "15.31", "Yes", ""],
            ["3", "White - Irish", "male", "32963", "no", "Estates and Ancillary", "Consultant"]
            + ["40", "9000", "Fixed Term", "4-weekly", "Y", "0", "", "", "straight"],
        ]
        write_csv(folder, "workforce", header, rows)
        wf = load_inputs(folder, YEAR).tables["workforce"]
        assert wf["ethnic_code"].tolist() == ["A", "C", "B"]
        assert wf["ethnic_wres"].tolist() == ["White"] * 3
        assert wf["ethnic_group"].tolist() == ["White British", "White other", "White other"]
        assert wf["sex"].tolist() == ["Female", "Male", "Male"]
        assert wf["age"].tolist() == [40, 33, 34]  # 32963 = 1990-03-31 (Excel serial)
        assert wf["age_band"].tolist() == ["36-40", "31-35", "31-35"]
        assert wf["disability"].tolist() == ["Yes", "Not Declared", "No"]
        assert wf["disability_group"].tolist() == ["Disabled", "Unknown", "Non-disabled"]
        assert wf["staff_group"].tolist() == [
            "Administrative and Clerical",
            "Medical and Dental",
            "Estates and Ancillary",
        ]
        assert wf["clinical"].tolist() == [False, True, False]
        assert wf["pay_band"].tolist() == ["Band 8a", "Band 5", "Consultant"]
        assert wf["contract_type"].tolist() == ["Permanent", "Bank", "Fixed Term Temp"]
        assert wf["pay_frequency"].tolist() == ["monthly", "weekly", "4-weekly"]
        assert wf["full_pay"].tolist() == [True, False, True]
        assert wf["bonus_pay_12m"].tolist() == [0.0, 1000.0, 0.0]
        assert wf["bonus_pay_in_period"].tolist() == [0.0, 0.0, 0.0]
        assert wf["ordinary_pay"].tolist() == [3000.0, 1500.0, 9000.0]
        assert wf["hourly_rate_given"].iloc[1] == 15.31
        assert np.isnan(wf["hourly_rate_given"].iloc[0])
        assert wf["gender_reassignment"].iloc[:2].tolist() == ["Yes", "No"]  # inverted
        assert pd.isna(wf["gender_reassignment"].iloc[2])
        assert wf["sexual_orientation"].iloc[0] == "Bisexual"
        assert wf["sexual_orientation_group"].tolist() == ["LGB+", "Unknown", "Heterosexual"]

    def test_code_r_group_setting(self, tmp_path):
        folder = tmp_path / "f"
        write_csv(folder, "workforce", WF_HEADER, [wf_row("1", ethnic_category="R")])
        census = Settings.from_dict({"epg": {"code_R_group": "Asian"}})
        assert load_inputs(folder, YEAR).tables["workforce"]["ethnic_group"].iloc[0] == "Other"
        assert (
            load_inputs(folder, YEAR, census).tables["workforce"]["ethnic_group"].iloc[0] == "Asian"
        )

    def test_schema_dtypes_and_categories(self, tmp_path):
        folder = tmp_path / "f"
        write_csv(folder, "workforce", WF_HEADER, [wf_row("1"), wf_row("2")])
        wf = load_inputs(folder, YEAR).tables["workforce"]
        assert list(wf.columns) == list(schema.WORKFORCE)
        for col, (dtype, _) in schema.WORKFORCE.items():
            assert str(wf[col].dtype) == dtype, col
        assert list(wf["pay_band"].cat.categories)[:3] == ["Band 1", "Band 2", "Band 3"]
        assert list(wf["sex"].cat.categories) == ["Male", "Female", "Unknown"]

    def test_equality_values_outside_the_list_are_kept_unknown(self, tmp_path):
        folder = tmp_path / "f"
        rows = [
            wf_row("1", ethnic_category="X"),
            wf_row("2", sex="Q"),
            wf_row("3", disability="maybe"),
            wf_row("4", sex="Indeterminate"),
        ]
        write_csv(folder, "workforce", WF_HEADER, rows)
        res = load_inputs(folder, YEAR)
        wf = res.tables["workforce"]
        assert len(wf) == 4
        assert wf["ethnic_wres"].iloc[0] == "Unknown"
        assert pd.isna(wf["ethnic_code"].iloc[0])
        assert wf["sex"].iloc[1] == "Unknown"
        assert wf["disability_group"].iloc[2] == "Unknown"
        q = res.quarantine
        assert q[["row", "column", "action"]].values.tolist() == [
            [1, "ethnic_category", "set_unknown"],
            [2, "sex", "set_unknown"],
            [3, "disability", "set_unknown"],
        ]
        assert (q["reason"] == U_VALUE).all()
        assert_reconciled(res)

    def test_impossible_values_reject_the_row(self, tmp_path):
        folder = tmp_path / "f"
        rows = [
            wf_row("1"),
            wf_row("2", ordinary_pay="-5"),
            wf_row("3", contracted_hours="0"),
            wf_row("4", contracted_hours="400"),
            wf_row("5", contracted_hours="lots"),
            wf_row("", ethnic_category="X"),
            wf_row("7", pay_band="Band 10"),
            wf_row("8", staff_group=""),
        ]
        write_csv(folder, "workforce", WF_HEADER, rows)
        res = load_inputs(folder, YEAR)
        # an unrecognised or blank band or staff group keeps the person (the pay gaps do not
        # need them), with the value unknown and listed
        wf = res.tables["workforce"]
        assert wf["staff_id"].tolist() == ["1", "7", "8"]
        assert wf["pay_band"].isna().tolist() == [False, True, False]
        assert wf["staff_group"].isna().tolist() == [False, False, True]
        q = res.quarantine
        assert q[["row", "column", "reason", "action", "value"]].values.tolist() == [
            [2, "ordinary_pay", R_NEGATIVE, "rejected", ""],
            [3, "contracted_hours", R_HOURS, "rejected", "0"],
            [4, "contracted_hours", R_HOURS, "rejected", "400"],
            [5, "contracted_hours", R_NUMBER, "rejected", "lots"],
            [6, "staff_id", R_BLANK, "rejected", ""],
            [7, "pay_band", U_VALUE, "set_unknown", "Band 10"],
            [8, "staff_group", U_BLANK, "set_unknown", ""],
        ]
        rec = res.reconciliation.iloc[0]
        assert (rec["rows_in"], rec["rows_used"], rec["rows_rejected"]) == (8, 3, 5)
        assert rec["values_set_unknown"] == 2  # the X of a rejected row is not listed
        assert_reconciled(res)

    def test_quarantine_holds_no_ids_or_pay(self, tmp_path):
        folder = tmp_path / "f"
        rows = [
            wf_row("SECRET1", ethnic_category="SECRETX", ordinary_pay="-999"),
            wf_row("SECRET2", ethnic_category="XYZ"),
        ]
        write_csv(folder, "workforce", WF_HEADER, rows)
        q = load_inputs(folder, YEAR).quarantine
        text = q.to_csv(index=False)
        # the id and the pay never; the unrecognised code (internal file) is shown
        assert "SECRET1" not in text and "SECRET2" not in text and "999" not in text
        assert q["value"].tolist() == ["", "XYZ"]
        assert list(q.columns) == list(schema.QUARANTINE_COLUMNS)

    def test_age_from_date_of_birth_when_age_absent(self, tmp_path):
        folder = tmp_path / "f"
        header = [c if c != "age" else "Date of Birth" for c in WF_HEADER]
        rows = [
            wf_row("1", age="31/03/1980"),
            wf_row("2", age="01/04/1980"),
            wf_row("3", age="2030-01-01"),
            wf_row("4", age="not a date"),
        ]
        write_csv(folder, "workforce", header, rows)
        res = load_inputs(folder, YEAR)
        wf = res.tables["workforce"]
        assert wf["age"].iloc[:2].tolist() == [44, 43]
        assert wf["age"].iloc[2:].isna().all()
        q = res.quarantine
        assert q["row"].tolist() == [3, 4]
        assert (q["action"] == "set_unknown").all()
        assert any("age computed from date of birth" in n for n in res.notes)

    def test_snapshot_date_setting_drives_age(self, tmp_path):
        folder = tmp_path / "f"
        header = [c if c != "age" else "Date of Birth" for c in WF_HEADER]
        write_csv(folder, "workforce", header, [wf_row("1", age="04/04/1980")])
        private = Settings.from_dict({"gpg": {"snapshot_month_day": [4, 5]}})
        assert load_inputs(folder, YEAR).tables["workforce"]["age"].iloc[0] == 43
        assert load_inputs(folder, YEAR, private).tables["workforce"]["age"].iloc[0] == 44


class TestAssignments:
    def test_assignment_number_largest_hours_kept(self, tmp_path):
        folder = tmp_path / "f"
        header = ["Assignment Number", *WF_HEADER[1:]]
        rows = [
            ["100-1", *wf_row("x", contracted_hours="15")[1:]],
            ["100-2", *wf_row("x", contracted_hours="22.5", pay_band="Band 6")[1:]],
            ["200-1", *wf_row("x")[1:]],
            ["100-3", *wf_row("x", contracted_hours="22.5", pay_band="Band 7")[1:]],
        ]
        write_csv(folder, "workforce", header, rows)
        res = load_inputs(folder, YEAR)
        wf = res.tables["workforce"]
        assert wf["staff_id"].tolist() == ["100", "200"]
        assert wf["pay_band"].tolist() == ["Band 6", "Band 5"]  # tie on 22.5 h: lowest row
        q = res.quarantine
        assert q["row"].tolist() == [1, 4]
        assert (q["reason"] == R_SECONDARY).all()
        assert (q["column"] == "Assignment Number").all()
        assert any("several assignments" in n for n in res.notes)
        assert_reconciled(res)

    def test_primary_flag_wins_over_hours(self, tmp_path):
        folder = tmp_path / "f"
        header = [*WF_HEADER, "Primary Assignment"]
        rows = [
            [*wf_row("9", contracted_hours="37.5"), "N"],
            [*wf_row("9", contracted_hours="7.5", pay_band="Band 2"), "Y"],
        ]
        write_csv(folder, "workforce", header, rows)
        res = load_inputs(folder, YEAR)
        assert res.tables["workforce"]["pay_band"].tolist() == ["Band 2"]
        assert res.quarantine["row"].tolist() == [1]

    def test_invalid_row_does_not_displace_a_valid_assignment(self, tmp_path):
        folder = tmp_path / "f"
        rows = [wf_row("9", ordinary_pay="-1", contracted_hours="40"), wf_row("9")]
        write_csv(folder, "workforce", WF_HEADER, rows)
        res = load_inputs(folder, YEAR)
        assert res.tables["workforce"]["row"].tolist() == [2]
        assert res.quarantine["reason"].tolist() == [R_NEGATIVE]


class TestNotesAndBlankLines:
    def test_notes_at_bottom_are_not_data(self, tmp_path):
        folder = tmp_path / "f"
        text = csv_text(WF_HEADER, [wf_row("1"), wf_row("2")])
        text += ',,,,,,,,\r\nSource: ESR BI,,,,,,,,\r\n"Total 1,234"\r\n\r\n'
        folder.mkdir()
        (folder / "workforce.csv").write_text(text)
        res = load_inputs(folder, YEAR)
        assert len(res.tables["workforce"]) == 2
        assert res.quarantine.empty
        assert res.reconciliation.iloc[0]["rows_in"] == 2
        assert any("bottom of the file" in n for n in res.notes)

    def test_blank_line_in_middle_is_skipped_and_rows_keep_their_numbers(self, tmp_path):
        folder = tmp_path / "f"
        text = csv_text(WF_HEADER, [wf_row("1"), ["", "", "", "", "", "", "", "", ""]])
        text += csv_text(WF_HEADER, [wf_row("3", ordinary_pay="-1")]).split("\r\n", 1)[1]
        folder.mkdir()
        (folder / "workforce.csv").write_text(text)
        res = load_inputs(folder, YEAR)
        assert res.quarantine["row"].tolist() == [3]
        assert res.reconciliation.iloc[0]["rows_in"] == 2
        assert any("blank line" in n for n in res.notes)


# --- xlsx -----------------------------------------------------------------------------------------


def test_xlsx_workforce_end_to_end(tmp_path):
    folder = tmp_path / "f"
    header = [c if c != "age" else "Date of Birth" for c in WF_HEADER]
    rows = [
        [1001, "A", "M", datetime(1980, 3, 31), "No", "Medical and Dental", "Consultant", 40, 9000],
        [1002, "N", "F", 29312, "Yes", "Students", "Band 1", 37.5, "£1,234.50"],
        ["Source: ESR BI"],
    ]
    write_xlsx(folder, "workforce", header, rows)
    res = load_inputs(folder, YEAR)
    wf = res.tables["workforce"]
    assert wf["staff_id"].tolist() == ["1001", "1002"]
    assert wf["age"].tolist() == [44, 43]  # 29312 = 1 April 1980 (Excel serial)
    assert wf["ordinary_pay"].tolist() == [9000.0, 1234.5]
    assert wf["ethnic_wres"].tolist() == ["White", "BME"]
    assert res.sources["workforce"].endswith("workforce.xlsx")
    assert_reconciled(res)


# --- other files --------------------------------------------------------------------------------------


@pytest.fixture
def folder_with_workforce(tmp_path) -> Path:
    folder = tmp_path / "RJZ" / "2024"
    write_csv(folder, "workforce", WF_HEADER, [wf_row(str(i)) for i in range(1, 6)])
    return folder


class TestOtherFiles:
    def test_absent_optional_files_are_absent_keys(self, folder_with_workforce):
        res = load_inputs(folder_with_workforce, YEAR)
        assert set(res.tables) == {"workforce"}
        assert res.reconciliation["file"].tolist() == ["workforce.csv"]

    def test_recruitment(self, folder_with_workforce):
        header = ["Application ID", "Ethnicity", "Disability", "Sex", "Shortlisted", "Appointed"]
        rows = [
            ["a1", "A", "No", "F", "Y", "Y"],
            ["a2", "H", "Yes", "M", "Y", "N"],
            ["a3", "N", "No", "F", "N", "Y"],
            ["a2", "H", "Yes", "M", "Y", "N"],
            ["a5", "A", "No", "F", "maybe", "N"],
            ["a6", "Z", "", "", "no", "no"],
        ]
        write_csv(folder_with_workforce, "recruitment", header, rows)
        res = load_inputs(folder_with_workforce, YEAR)
        rec = res.tables["recruitment"]
        assert rec["application_id"].tolist() == ["a1", "a2", "a6"]
        assert rec["shortlisted"].tolist() == [True, True, False]
        assert rec["ethnic_wres"].tolist() == ["White", "BME", "Unknown"]
        assert rec["disability_group"].tolist() == ["Non-disabled", "Disabled", "Unknown"]
        q = quarantine_of(res, "recruitment.csv")
        assert q[["row", "reason"]].values.tolist() == [
            [3, R_NOT_SHORTLISTED],
            [4, R_DUPLICATE],
            [5, R_NOT_RECOGNISED],
        ]
        assert_reconciled(res)

    def test_casework(self, folder_with_workforce):
        header = ["case_id", "process", "start_date", "ethnic_category", "disability", "sex"]
        rows = [
            ["c1", "Disciplinary", "01/04/2023", "H", "No", "M"],
            ["c2", "capability", "31/03/2024", "A", "Yes", "F"],
            ["c3", "grievance", "01/05/2023", "A", "No", "F"],
            ["c4", "disciplinary", "31/03/2023", "A", "No", "F"],
            ["c5", "disciplinary", "01/04/2024", "A", "No", "F"],
            ["c6", "disciplinary", "soon", "A", "No", "F"],
        ]
        write_csv(folder_with_workforce, "casework", header, rows)
        res = load_inputs(folder_with_workforce, YEAR)
        cw = res.tables["casework"]
        assert cw["case_id"].tolist() == ["c1", "c2"]
        assert cw["process"].tolist() == ["disciplinary", "capability"]
        assert str(cw["start_date"].dtype) == "datetime64[ns]"
        q = quarantine_of(res, "casework.csv")
        assert q["reason"].tolist() == [
            R_PROCESS,
            fy_reason(YEAR),
            fy_reason(YEAR),
            q["reason"].iloc[3],
        ]
        assert q["row"].tolist() == [3, 4, 5, 6]
        assert_reconciled(res)

    def test_training(self, folder_with_workforce):
        header = ["staff_id", "course", "start_date", "mandatory"]
        rows = [
            ["1", "Leadership", "2023-06-01", "N"],
            ["1", "Fire safety", "2023-06-01", "Y"],
            ["999", "Leadership", "2023-06-01", ""],
            ["2", "Coaching", "2023-06-01", ""],
        ]
        write_csv(folder_with_workforce, "training", header, rows)
        res = load_inputs(folder_with_workforce, YEAR)
        assert res.tables["training"]["staff_id"].tolist() == ["1", "2"]
        q = quarantine_of(res, "training.csv")
        assert q[["row", "reason"]].values.tolist() == [
            [2, R_MANDATORY],
            [3, R_NOT_IN_WORKFORCE],
        ]
        assert_reconciled(res)

    def test_staff_survey(self, folder_with_workforce):
        header = ["question", "item", "group", "percent", "responses"]
        rows = [
            ["wres.5", "", "White", "25.1", "800"],
            ["WRES 5", "", "BME", "31.0%", "200"],
            ["wdes.4a", "Public", "Disabled", "30", "150"],
            ["wdes.9a", "", "All", "6.9", "1000"],
            ["wdes.9a", "", "Disabled", "69", "150"],
            ["wres.5", "", "White", "101", "800"],
            ["q99", "", "All", "10", "10"],
            ["wres.5", "", "White", "20", "800"],
        ]
        write_csv(folder_with_workforce, "staff_survey", header, rows)
        res = load_inputs(folder_with_workforce, YEAR)
        ss = res.tables["staff_survey"]
        assert ss["question"].tolist() == ["wres.5", "wres.5", "wdes.4a", "wdes.9a"]
        assert ss["item"].iloc[2] == "public"
        assert ss["percent"].tolist() == [25.1, 31.0, 30.0, 6.9]
        assert ss["responses"].tolist() == [800, 200, 150, 1000]
        q = quarantine_of(res, "staff_survey.csv")
        assert q["reason"].tolist() == [R_SCORE, R_PERCENT, R_QUESTION, q["reason"].iloc[3]]
        assert "duplicate" in q["reason"].iloc[3]
        assert_reconciled(res)

    def test_board(self, folder_with_workforce):
        header = ["member_id", "voting", "executive", "ethnic_category", "disability", "sex"]
        rows = [
            ["b1", "Y", "Y", "A", "No", "M"],
            ["b2", "Yes", "no", "N", "Yes", "F"],
            ["b3", "", "N", "A", "No", "F"],
        ]
        write_csv(folder_with_workforce, "board", header, rows)
        res = load_inputs(folder_with_workforce, YEAR)
        board = res.tables["board"]
        assert board["voting"].tolist() == [True, True]
        assert board["executive"].tolist() == [True, False]
        assert quarantine_of(res, "board.csv")["reason"].tolist() == [R_BLANK]

    def test_every_table_matches_schema(self, folder_with_workforce):
        write_csv(
            folder_with_workforce,
            "board",
            ["member_id", "voting", "executive", "ethnic_category", "disability", "sex"],
            [],
        )
        res = load_inputs(folder_with_workforce, YEAR)
        for stem, table in res.tables.items():
            assert list(table.columns) == list(schema.TABLES[stem])
            for col, (dtype, _) in schema.TABLES[stem].items():
                assert str(table[col].dtype) == dtype, (stem, col)
        assert len(res.tables["board"]) == 0


# --- outputs and organisations -------------------------------------------------------------------------


def test_write_processed_round_trip(folder_with_workforce, tmp_path):
    write_csv(
        folder_with_workforce,
        "board",
        ["member_id", "voting", "executive", "ethnic_category", "disability", "sex"],
        [["b", "Y", "N", "X", "", ""]],
    )
    res = load_inputs(folder_with_workforce, YEAR)
    out = tmp_path / "processed"
    write_processed(res, out)
    assert sorted(p.name for p in out.iterdir()) == [
        "board.parquet",
        "intake_audit.json",
        "quarantine.csv",
        "reconciliation.csv",
        "workforce.parquet",
    ]
    wf = pd.read_parquet(out / "workforce.parquet")
    pd.testing.assert_frame_equal(wf, res.tables["workforce"])
    q = pd.read_csv(out / "quarantine.csv")
    assert list(q.columns) == list(schema.QUARANTINE_COLUMNS)
    assert len(q) == 1


class TestOrganisations:
    def test_absent_gives_empty_frame(self, tmp_path):
        orgs = load_organisations(tmp_path)
        assert list(orgs.columns) == ["org_code", "name", "type", "region"]
        assert orgs.empty

    def test_read_and_normalise(self, tmp_path):
        (tmp_path / "organisations.csv").write_text(
            "ODS Code,Organisation Name,Type,Region\n"
            "rjz,King's College Hospital NHS Foundation Trust,Acute trust,London\n"
            "QKS,,ICB,\n\n"
        )
        orgs = load_organisations(tmp_path)
        assert orgs["org_code"].tolist() == ["RJZ", "QKS"]
        assert orgs["name"].tolist()[1] == "QKS"
        assert pd.isna(orgs["region"].iloc[1])

    def test_duplicate_code_is_an_error(self, tmp_path):
        (tmp_path / "organisations.csv").write_text("org_code,name\nRJZ,a\nrjz,b\n")
        with pytest.raises(InputError, match="org_code"):
            load_organisations(tmp_path)
