"""A corpus of bad and awkward input files, each with its expected outcome, and property
tests: whatever the bytes, headers, values or encodings, the clean stage ends in either an
IntakeResult whose reconciliation holds, or an InputError -- never any other exception.

Spec: data contract §2 (row-level and file-level problems), §3 (quarantine).
"""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from edi_reports.errors import InputError
from edi_reports.intake import schema
from edi_reports.intake.clean import (
    ALIASES,
    R_DATE,
    R_HOURS,
    R_MANDATORY,
    R_NEGATIVE,
    R_NOT_IN_WORKFORCE,
    R_NOT_RECOGNISED,
    R_NOT_SHORTLISTED,
    R_NUMBER,
    R_PERCENT,
    R_SECONDARY,
    U_VALUE,
    IntakeResult,
    fy_reason,
    header_key,
    load_inputs,
    read_table,
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
GOOD = ["A", "Female", "40", "No", "Nursing and Midwifery Registered", "Band 5", "37.5", "2497.5"]


def csv_bytes(header: list[str], rows: list[list[str]], encoding: str = "utf-8") -> bytes:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerows([header, *rows])
    return buf.getvalue().encode(encoding)


def wf(*rows: list[str], header: list[str] | None = None, encoding: str = "utf-8") -> bytes:
    """workforce.csv bytes; default two good rows."""
    body = list(rows) if rows else [["1", *GOOD], ["2", *GOOD]]
    return csv_bytes(header or WF_HEADER, body, encoding)


def good_row(staff_id: str, **changes: str) -> list[str]:
    row = dict(zip(WF_HEADER, [staff_id, *GOOD], strict=True))
    row.update(changes)
    return [row[c] for c in WF_HEADER]


def xlsx_bytes(header: list[str], rows: list[list[object]]) -> bytes:
    wb = openpyxl.Workbook()
    wb.active.append(header)
    for row in rows:
        wb.active.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def check_result(res: IntakeResult) -> None:
    """The invariants every IntakeResult satisfies."""
    rec = res.reconciliation
    assert list(rec.columns) == [
        "file",
        "rows_in",
        "rows_used",
        "rows_rejected",
        "values_set_unknown",
    ]
    assert (rec["rows_in"] == rec["rows_used"] + rec["rows_rejected"]).all()
    assert list(res.quarantine.columns) == list(schema.QUARANTINE_COLUMNS)
    assert set(res.quarantine["action"]) <= {"rejected", "set_unknown"}
    for _, r in rec.iterrows():
        stem = Path(r["file"]).stem
        table = res.tables[stem]
        assert len(table) == r["rows_used"]
        assert list(table.columns) == list(schema.TABLES[stem])
        q = res.quarantine[res.quarantine["file"] == r["file"]]
        assert q.loc[q["action"] == "rejected", "row"].nunique() == r["rows_rejected"]
        assert not set(table["row"]) & set(q.loc[q["action"] == "rejected", "row"])
    assert res.tables["workforce"]["staff_id"].is_unique


# --- the corpus ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Err:
    """Expect InputError naming ``file`` (and ``column``) with ``text`` in the message."""

    file: str
    text: str
    column: str | None = None


@dataclass(frozen=True)
class Quar:
    """Expect this quarantine row (the build goes on)."""

    file: str
    row: int
    column: str
    reason: str
    action: str = "rejected"


@dataclass(frozen=True)
class Ok:
    """Expect success and ``check(result)`` to hold."""

    check: Callable[[IntakeResult], bool]
    what: str


CORPUS: dict[str, tuple[dict[str, bytes], Err | Quar | Ok]] = {
    # --- file-level problems: the build stops with a plain message ----------------------
    "missing workforce file": (
        {"recruitment.csv": b"application_id\n"},
        Err("workforce.csv", "required workforce file is missing"),
    ),
    "empty file": ({"workforce.csv": b""}, Err("workforce.csv", "empty")),
    "whitespace only": ({"workforce.csv": b"\r\n \r\n"}, Err("workforce.csv", "empty")),
    "header only": (
        {"workforce.csv": csv_bytes(WF_HEADER, [])},
        Err("workforce.csv", "no data rows"),
    ),
    "missing required column": (
        {"workforce.csv": csv_bytes(WF_HEADER[:-1], [["1", *GOOD[:-1]]])},
        Err("workforce.csv", "missing", column="ordinary_pay"),
    ),
    "missing age and date of birth": (
        {"workforce.csv": csv_bytes([c for c in WF_HEADER if c != "age"], [])},
        Err("workforce.csv", "missing", column="age or date_of_birth"),
    ),
    "duplicate headers": (
        {"workforce.csv": csv_bytes([*WF_HEADER, "Sex"], [["1", *GOOD, "F"]])},
        Err("workforce.csv", "more than once", column="Sex"),
    ),
    "two aliases for one column": (
        {"workforce.csv": csv_bytes([*WF_HEADER, "Ethnic Origin"], [["1", *GOOD, "A"]])},
        Err("workforce.csv", "both mean", column="ethnic_category"),
    ),
    "binary file": ({"workforce.csv": bytes(range(256)) * 4}, Err("workforce.csv", "binary")),
    "truncated csv inside a quote": (
        {"workforce.csv": wf() + b'3,A,Female,40,No,"Nursing and Midwif'},
        Err("workforce.csv", "truncated"),
    ),
    "row with more fields than the header": (
        {"workforce.csv": wf() + b"3,A,Female,40,No,Students,Band 5,37.5,2000,extra\r\n"},
        Err("workforce.csv", "line 4 has 10 fields"),
    ),
    "xlsx that is not a zip": (
        {"workforce.xlsx": wf()},
        Err("workforce.xlsx", "not a valid .xlsx"),
    ),
    "xlsx saved with a csv name": (
        {"workforce.csv": xlsx_bytes(WF_HEADER, [["1", *GOOD]])},
        Err("workforce.csv", "Excel workbook"),
    ),
    "both csv and xlsx": (
        {"workforce.csv": wf(), "workforce.xlsx": xlsx_bytes(WF_HEADER, [["1", *GOOD]])},
        Err("workforce", "Keep one"),
    ),
    "old xls only": ({"workforce.xls": b"\xd0\xcf\x11\xe0"}, Err("workforce.xls", "not read")),
    "optional file missing a required column": (
        {
            "workforce.csv": wf(),
            "recruitment.csv": csv_bytes(
                ["application_id", "ethnic_category", "disability", "sex", "shortlisted"], []
            ),
        },
        Err("recruitment.csv", "missing", column="appointed"),
    ),
    # --- row-level problems: quarantined, the build goes on ------------------------------
    "duplicate staff ids": (
        {"workforce.csv": wf(good_row("1"), good_row("1", contracted_hours="40"))},
        Quar("workforce.csv", 1, "staff_id", R_SECONDARY),
    ),
    "multiple ESR assignments": (
        {
            "workforce.csv": wf(
                ["100-1", *GOOD], ["100-2", *GOOD], header=["Assignment Number", *WF_HEADER[1:]]
            )
        },
        Quar("workforce.csv", 2, "Assignment Number", R_SECONDARY),
    ),
    "negative pay": (
        {"workforce.csv": wf(good_row("1"), good_row("2", ordinary_pay="-100"))},
        Quar("workforce.csv", 2, "ordinary_pay", R_NEGATIVE),
    ),
    "zero hours": (
        {"workforce.csv": wf(good_row("1", contracted_hours="0"), good_row("2"))},
        Quar("workforce.csv", 1, "contracted_hours", R_HOURS),
    ),
    "400 hours": (
        {"workforce.csv": wf(good_row("1"), good_row("2", contracted_hours="400"))},
        Quar("workforce.csv", 2, "contracted_hours", R_HOURS),
    ),
    "unparseable pay": (
        {"workforce.csv": wf(good_row("1", ordinary_pay="n/a"), good_row("2"))},
        Quar("workforce.csv", 1, "ordinary_pay", R_NUMBER),
    ),
    "unknown ethnic code X": (
        {"workforce.csv": wf(good_row("1", ethnic_category="X"), good_row("2"))},
        Quar("workforce.csv", 1, "ethnic_category", U_VALUE, "set_unknown"),
    ),
    "unknown sex Q": (
        {"workforce.csv": wf(good_row("1"), good_row("2", sex="Q"))},
        Quar("workforce.csv", 2, "sex", U_VALUE, "set_unknown"),
    ),
    "unknown pay frequency": (
        {
            "workforce.csv": wf(
                ["1", *GOOD, "daily"], ["2", *GOOD, ""], header=[*WF_HEADER, "pay_frequency"]
            )
        },
        Quar("workforce.csv", 1, "pay_frequency", R_NOT_RECOGNISED),
    ),
    "appointed but not shortlisted": (
        {
            "workforce.csv": wf(),
            "recruitment.csv": csv_bytes(
                [
                    "application_id",
                    "ethnic_category",
                    "disability",
                    "sex",
                    "shortlisted",
                    "appointed",
                ],
                [["a1", "A", "No", "F", "Y", "Y"], ["a2", "H", "No", "M", "N", "Y"]],
            ),
        },
        Quar("recruitment.csv", 2, "appointed", R_NOT_SHORTLISTED),
    ),
    "bad casework date": (
        {
            "workforce.csv": wf(),
            "casework.csv": csv_bytes(
                ["case_id", "process", "start_date", "ethnic_category", "disability", "sex"],
                [["c1", "disciplinary", "32/13/2023", "A", "No", "F"]],
            ),
        },
        Quar("casework.csv", 1, "start_date", R_DATE),
    ),
    "casework outside the financial year": (
        {
            "workforce.csv": wf(),
            "casework.csv": csv_bytes(
                ["case_id", "process", "start_date", "ethnic_category", "disability", "sex"],
                [["c1", "capability", "2024-04-01", "A", "No", "F"]],
            ),
        },
        Quar("casework.csv", 1, "start_date", fy_reason(YEAR)),
    ),
    "training of someone not in workforce": (
        {
            "workforce.csv": wf(),
            "training.csv": csv_bytes(
                ["staff_id", "course", "start_date"],
                [["1", "x", "01/06/2023"], ["77", "x", "01/06/2023"]],
            ),
        },
        Quar("training.csv", 2, "staff_id", R_NOT_IN_WORKFORCE),
    ),
    "mandatory training": (
        {
            "workforce.csv": wf(),
            "training.csv": csv_bytes(
                ["staff_id", "course", "start_date", "mandatory"],
                [["1", "Fire", "01/06/2023", "Y"]],
            ),
        },
        Quar("training.csv", 1, "mandatory", R_MANDATORY),
    ),
    "survey percent over 100": (
        {
            "workforce.csv": wf(),
            "staff_survey.csv": csv_bytes(
                ["question", "group", "percent", "responses"], [["wres.5", "BME", "150", "20"]]
            ),
        },
        Quar("staff_survey.csv", 1, "percent", R_PERCENT),
    ),
    # --- awkward but valid: read correctly ---------------------------------------------
    "notes at the bottom": (
        {"workforce.csv": wf() + b'\r\nSource: ESR BI\r\n"Total 1,234"\r\n'},
        Ok(
            lambda r: len(r.tables["workforce"]) == 2 and r.quarantine.empty,
            "2 rows, no quarantine",
        ),
    ),
    "cp1252 pound sign": (
        {"workforce.csv": wf(good_row("1", ordinary_pay="£1,234.50"), encoding="cp1252")},
        Ok(lambda r: r.tables["workforce"]["ordinary_pay"].tolist() == [1234.5], "£1,234.50 read"),
    ),
    "utf-8 BOM": (
        {"workforce.csv": wf(encoding="utf-8-sig")},
        Ok(lambda r: r.tables["workforce"]["staff_id"].tolist() == ["1", "2"], "first header read"),
    ),
    "xlsx with a date cell": (
        {
            "workforce.xlsx": xlsx_bytes(
                [c if c != "age" else "Date of Birth" for c in WF_HEADER],
                [[1, "A", "F", datetime(1980, 4, 1), "No", "Students", 5, 37.5, 2000]],
            )
        },
        Ok(lambda r: r.tables["workforce"]["age"].tolist() == [43], "age 43 from the date cell"),
    ),
    "pound sign and thousands separator": (
        {"workforce.csv": wf(good_row("1", ordinary_pay=" £1,234.50 "))},
        Ok(lambda r: r.tables["workforce"]["ordinary_pay"].tolist() == [1234.5], "1234.5"),
    ),
    "trailing spaces and odd case in codes": (
        {"workforce.csv": wf(good_row("1 ", sex=" f ", pay_band="band 8A ", ethnic_category=" n"))},
        Ok(
            lambda r: (
                r.quarantine.empty
                and r.tables["workforce"][
                    ["staff_id", "sex", "pay_band", "ethnic_code"]
                ].values.tolist()
                == [["1", "Female", "Band 8a", "N"]]
            ),
            "values cleaned, nothing quarantined",
        ),
    ),
    "excel serial date of birth": (
        {
            "workforce.csv": wf(
                good_row("1", age="29312"), header=[c if c != "age" else "DOB" for c in WF_HEADER]
            )
        },
        Ok(lambda r: r.tables["workforce"]["age"].tolist() == [43], "29312 = 1 April 1980"),
    ),
    "header-only optional file": (
        {
            "workforce.csv": wf(),
            "board.csv": csv_bytes(
                ["member_id", "voting", "executive", "ethnic_category", "disability", "sex"], []
            ),
        },
        Ok(
            lambda r: len(r.tables["board"]) == 0 and "board.csv" in set(r.reconciliation["file"]),
            "empty board table",
        ),
    ),
    "leading blank lines and blank columns": (
        {"workforce.csv": b"\r\n\r\n" + csv_bytes([*WF_HEADER, ""], [["1", *GOOD, ""]])},
        Ok(lambda r: r.tables["workforce"]["staff_id"].tolist() == ["1"], "header found"),
    ),
}


@pytest.mark.parametrize("name", list(CORPUS))
def test_corpus(name: str, tmp_path: Path) -> None:
    files, expected = CORPUS[name]
    folder = tmp_path / "ORG" / str(YEAR)
    folder.mkdir(parents=True)
    for filename, data in files.items():
        (folder / filename).write_bytes(data)
    if isinstance(expected, Err):
        with pytest.raises(InputError) as info:
            load_inputs(folder, YEAR)
        message = str(info.value)
        assert expected.file in message
        assert expected.text in message
        if expected.column is not None:
            assert f"column '{expected.column}'" in message
        assert "How to fix" in message
        return
    res = load_inputs(folder, YEAR)
    check_result(res)
    if isinstance(expected, Quar):
        q = res.quarantine
        hit = q[
            (q["file"] == expected.file)
            & (q["row"] == expected.row)
            & (q["column"] == expected.column)
            & (q["reason"] == expected.reason)
            & (q["action"] == expected.action)
        ]
        assert len(hit) == 1, q
    else:
        assert expected.check(res), expected.what


def test_corpus_is_large_enough():
    assert len(CORPUS) >= 20


def test_missing_folder_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="does not exist"):
        load_inputs(tmp_path / "nowhere", YEAR)


# --- property tests ---------------------------------------------------------------------------------

_HEADER_POOL = sorted(
    {alias for canon, aliases in ALIASES["workforce"].items() for alias in (canon, *aliases)}
)
_VALUE_POOL = [
    "",
    " ",
    "A",
    "X",
    "C3",
    "99",
    "A White - British",
    "Male",
    "F",
    "Q",
    "Yes",
    "N",
    "maybe",
    "Band 5",
    "8A",
    "Consultant",
    "Admin and Clerical",
    "Students",
    "37.5",
    "0",
    "400",
    "-5",
    "£2,497.50",
    "1e400",
    "31/03/1980",
    "1980-04-01",
    "45382",
    "12345678-2",
    "Bank",
    "weekly",
    '"',
    "a,b",
    "line\nbreak",
    "Source: ESR BI",
]

cells = st.one_of(st.sampled_from(_VALUE_POOL), st.text(max_size=6))


_OPTIONAL_HEADERS = [
    "Directorate",
    "Assignment Category",
    "pay_frequency",
    "full_pay",
    "bonus_pay_12m",
    "Hourly Rate",
    "Sexual Orientation",
    "Gender Identity Same As Birth",
    "National Insurance Number",
]


_VALID: dict[str, list[str]] = {
    header_key(h): values
    for h, values in {
        "staff_id": ["1", "2", "3", "1 ", "100-2"],
        "ethnic_category": ["A", "N", "C3", "Z", "", "X", "A White - British"],
        "sex": ["Male", "Female", "F", "m", "", "Q"],
        "age": ["40", "25", "", "200"],
        "disability": ["Yes", "No", "Not Declared", "", "maybe"],
        "staff_group": ["Students", "Admin and Clerical", "01", "Medical and Dental"],
        "pay_band": ["Band 5", "8A", "Consultant", "VSM", "5"],
        "contracted_hours": ["37.5", "22.5", "40", "0", "168"],
        "ordinary_pay": ["2497.50", "£1,234.50", "0", "-1"],
        "pay_frequency": ["", "weekly", "Monthly", "daily"],
        "full_pay": ["", "Y", "N"],
        "bonus_pay_12m": ["", "0", "£500"],
        "Hourly Rate": ["", "15.31"],
    }.items()
}


def _sometimes(draw, one_in: int) -> bool:
    return draw(st.integers(0, one_in - 1)) == 0


@st.composite
def workforce_files(draw) -> tuple[bytes, str]:
    """A workforce file: mostly-valid headers, random cells, encoding and separator; now and
    then a dropped or conflicting header, ragged rows, truncation or a wrong suffix."""
    header = list(draw(st.permutations(WF_HEADER)))
    header += draw(st.lists(st.sampled_from(_OPTIONAL_HEADERS), max_size=3, unique=True))
    if _sometimes(draw, 6):
        header.append(draw(st.sampled_from(_HEADER_POOL)))
    if _sometimes(draw, 6):
        header.pop(draw(st.integers(0, len(header) - 1)))
    header = [draw(st.sampled_from([h, h.upper(), h.replace("_", " ")])) for h in header]
    n_rows = draw(st.integers(0, 6))
    pools = [_VALID.get(header_key(h), _VALUE_POOL) for h in header]
    rows = [
        [draw(cells) if _sometimes(draw, 8) else draw(st.sampled_from(pool)) for pool in pools]
        for _ in range(n_rows)
    ]
    if _sometimes(draw, 6):
        rows += draw(st.lists(st.lists(cells, max_size=len(header) + 1), max_size=2))
    sep = draw(st.sampled_from([",", ",", ";", "\t"]))
    buf = io.StringIO()
    csv.writer(buf, delimiter=sep, lineterminator=draw(st.sampled_from(["\n", "\r\n"]))).writerows(
        [header, *rows]
    )
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16"]))
    data = buf.getvalue().encode(encoding, errors="replace")
    if _sometimes(draw, 8):
        data = data[: draw(st.integers(0, len(data)))]
    suffix = ".xlsx" if _sometimes(draw, 12) else ".csv"
    return data, suffix


def _load(files: dict[str, bytes]) -> IntakeResult | None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for name, data in files.items():
            (folder / name).write_bytes(data)
        try:
            return load_inputs(folder, YEAR)
        except InputError as exc:
            assert exc.file and exc.problem
            return None


@given(workforce_files())
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_random_workforce_files_end_in_result_or_input_error(file):
    data, suffix = file
    res = _load({f"workforce{suffix}": data})
    if res is not None:
        check_result(res)


@given(st.binary(max_size=300))
@settings(max_examples=80, deadline=None)
def test_random_bytes_are_read_or_refused(data):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "workforce.csv"
        path.write_bytes(data)
        try:
            raw = read_table(path)
        except InputError:
            return
        assert isinstance(raw, pd.DataFrame)
        assert all(isinstance(c, str) for c in raw.columns)


optional_cells = st.one_of(
    st.sampled_from(
        [
            "",
            "Y",
            "N",
            "yes",
            "wres.5",
            "wdes.9a",
            "q1",
            "White",
            "BME",
            "All",
            "101",
            "5",
            "-1",
            "2.5",
            "01/06/2023",
            "2024-04-01",
            "45000",
            "disciplinary",
            "capability",
            "1",
            "2",
        ]
    ),
    st.text(max_size=4),
)


@given(
    st.sampled_from(["recruitment", "casework", "training", "staff_survey", "board"]),
    st.data(),
)
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_random_optional_files_end_in_result_or_input_error(stem, data):
    canon = list(ALIASES[stem])
    header = data.draw(
        st.lists(st.sampled_from(canon), min_size=len(canon) - 1, max_size=len(canon) + 1)
    )
    rows = data.draw(
        st.lists(st.lists(optional_cells, min_size=len(header), max_size=len(header)), max_size=6)
    )
    files = {"workforce.csv": wf(), f"{stem}.csv": csv_bytes(header, rows)}
    res = _load(files)
    if res is not None:
        check_result(res)


@given(
    st.lists(
        st.lists(
            st.one_of(
                st.none(),
                st.integers(-(10**6), 10**6),
                st.floats(allow_nan=False, allow_infinity=False, width=32),
                st.booleans(),
                st.datetimes(min_value=datetime(1900, 3, 1), max_value=datetime(2100, 1, 1)),
                st.sampled_from(GOOD + ["X", "Q", "£5"]),
            ),
            min_size=len(WF_HEADER),
            max_size=len(WF_HEADER),
        ),
        max_size=4,
    )
)
@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_random_xlsx_cells_end_in_result_or_input_error(rows):
    res = _load({"workforce.xlsx": xlsx_bytes(WF_HEADER, rows)})
    if res is not None:
        check_result(res)
