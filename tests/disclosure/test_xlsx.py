"""The text-only workbook writer behind ``tables.xlsx``: what openpyxl reads back, and the
same worksheet XML as the pandas + openpyxl writer it replaced (data contract §3)."""

from __future__ import annotations

import zipfile

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from edi_reports.disclosure.xlsx import MAX_CELL_CHARS, column_letter, write_workbook


@pytest.mark.parametrize(
    ("index", "letters"),
    [(0, "A"), (8, "I"), (25, "Z"), (26, "AA"), (51, "AZ"), (52, "BA"), (701, "ZZ"), (702, "AAA")],
)
def test_column_letters(index, letters):
    assert column_letter(index) == letters


def test_cells_read_back_as_written(tmp_path):
    path = tmp_path / "t.xlsx"
    rows = [
        ("a", "", " padded ", "<b>&amp;</b>"),
        ("=1+1", "#N/A", "*", "x" * (MAX_CELL_CHARS + 5)),
        ("line\nbreak", "tab\there", "   ", "£1,234.50"),
    ]
    write_workbook(path, [("tables", ["w", "x", "y", "z"], rows), ("notes", ["item"], [("i",)])])
    book = load_workbook(path)
    assert book.sheetnames == ["tables", "notes"]
    sheet = book["tables"]
    assert sheet.dimensions == "A1:D4"
    got = [[c.value for c in row] for row in sheet.iter_rows()]
    assert got[0] == ["w", "x", "y", "z"]
    assert got[1] == ["a", None, " padded ", "<b>&amp;</b>"]  # an empty text cell is empty
    assert got[2][:3] == ["=1+1", "#N/A", "*"]  # text stays text: no formula, no error
    assert got[2][3] == "x" * MAX_CELL_CHARS
    assert got[3] == ["line\nbreak", "tab\there", "   ", "£1,234.50"]
    assert {c.data_type for row in sheet.iter_rows(min_row=2) for c in row if c.value} == {"s"}
    assert [[c.value for c in row] for row in book["notes"].iter_rows()] == [["item"], ["i"]]


def test_a_control_character_names_its_cell(tmp_path):
    with pytest.raises(ValueError, match=r"cell B3"):
        write_workbook(tmp_path / "t.xlsx", [("s", ["a", "b"], [("1", "2"), ("3", "bad\x07")])])


@pytest.mark.parametrize("name", ["", "x" * 32, "a/b", "a[1]", "what?"])
def test_invalid_sheet_names_are_refused(tmp_path, name):
    with pytest.raises(ValueError, match="sheet name"):
        write_workbook(tmp_path / "t.xlsx", [(name, ["a"], [])])


_TEXT = st.text(
    alphabet=st.characters(
        blacklist_categories=("Cs",),
        blacklist_characters="\x00\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c\x0e\x0f\x10\x11"
        "\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f\r",
    ),
    max_size=12,
).filter(lambda t: not t.startswith("=") and t not in {"#NULL!", "#DIV/0!", "#N/A"})


@settings(max_examples=25, deadline=None, derandomize=True)
@given(st.lists(st.tuples(_TEXT, _TEXT, _TEXT), max_size=6))
def test_same_sheet_xml_as_pandas_with_openpyxl(tmp_path_factory, rows):
    """Text as published (no formulas, no control characters): the worksheet XML is the
    one ``DataFrame.to_excel`` wrote through openpyxl, byte for byte."""
    folder = tmp_path_factory.mktemp("xlsx")
    frame = pd.DataFrame(rows, columns=["table", "value", "note"], dtype=object)
    with pd.ExcelWriter(folder / "pandas.xlsx", engine="openpyxl") as writer:
        frame.to_excel(writer, sheet_name="tables", index=False)
    header = list(frame.columns)
    write_workbook(folder / "ours.xlsx", [("tables", header, rows)])
    with zipfile.ZipFile(folder / "pandas.xlsx") as a, zipfile.ZipFile(folder / "ours.xlsx") as b:
        name = "xl/worksheets/sheet1.xml"
        assert a.read(name) == b.read(name)
