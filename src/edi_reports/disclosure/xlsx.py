"""A small writer of text-only Excel workbooks (``tables.xlsx``).

The published tables are text (values already rounded and suppressed by disclosure
control, methodology §6), so the workbook needs no number formats, formulas or styling:
one sheet per table, a header row, then every cell an inline string. Writing the
SpreadsheetML parts directly is a few string joins; going through pandas and openpyxl cost
about half a second of every build for the ~2,500-row ``tables`` sheet.

The parts follow what ``pandas.DataFrame.to_excel`` with openpyxl wrote before (the sheet
XML is the same, cell for cell): inline strings, an empty text cell written as an empty
``<c t="inlineStr"/>``, ``xml:space="preserve"`` on text with leading or trailing spaces,
and the default ``Normal`` style. Two deliberate differences: a text cell is always text
(openpyxl turned a string starting with ``=`` into a formula), and no theme part is
written (the default font names no theme colour).
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from html import escape
from pathlib import Path

#: Characters XML 1.0 does not allow (what openpyxl refuses in a cell).
_ILLEGAL = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")
#: Excel's limit on the text of one cell (longer text is cut, as openpyxl did).
MAX_CELL_CHARS = 32767

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_CT = "application/vnd.openxmlformats-officedocument"

_STYLES = (
    f'<styleSheet xmlns="{_MAIN}"><numFmts count="0" />'
    '<fonts count="1"><font><name val="Calibri" /><family val="2" /><sz val="11" /></font>'
    "</fonts>"
    '<fills count="2"><fill><patternFill /></fill><fill><patternFill patternType="gray125" />'
    "</fill></fills>"
    '<borders count="1"><border><left /><right /><top /><bottom /><diagonal /></border>'
    "</borders>"
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" />'
    "</cellStyleXfs>"
    '<cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" pivotButton="0" '
    'quotePrefix="0" xfId="0" /></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0" hidden="0" />'
    "</cellStyles></styleSheet>"
)


def column_letter(index: int) -> str:
    """Excel's column name of a 0-based column index (0 -> ``A``, 26 -> ``AA``)."""
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(65 + rest) + name
    return name


def _cell(ref: str, value: str) -> str:
    """One inline-string cell, as openpyxl wrote it."""
    if value == "":
        return f'<c r="{ref}" t="inlineStr" />'
    value = value[:MAX_CELL_CHARS]
    # openpyxl keeps the spaces of text that has some besides them
    space = (value[0].isspace() or value[-1].isspace()) and not value.isspace()
    attr = ' xml:space="preserve"' if space else ""
    return f'<c r="{ref}" t="inlineStr"><is><t{attr}>{escape(value, quote=False)}</t></is></c>'


def sheet_xml(header: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    """The worksheet part of a header row and rows of text (every row as long as the header).

    Raises
    ------
    ValueError
        When a cell holds a control character XML does not allow (naming the cell).
    """
    letters = [column_letter(j) for j in range(len(header))]
    out = []
    n = 0
    for n, row in enumerate([header, *rows], start=1):
        cells = "".join([_cell(f"{c}{n}", str(v)) for c, v in zip(letters, row, strict=True)])
        out.append(f'<row r="{n}">{cells}</row>')
    data = "".join(out)
    bad = _ILLEGAL.search(data)  # one search of the whole sheet, not one per cell
    if bad:
        ref = re.findall(r'<c r="([A-Z]+[0-9]+)"', data[: bad.start()])[-1]
        raise ValueError(f"cell {ref}: the text has a control character Excel refuses")
    dimension = f"A1:{letters[-1]}{n}" if letters else "A1:A1"
    return (
        f'<worksheet xmlns="{_MAIN}"><sheetPr><outlinePr summaryBelow="1" summaryRight="1" />'
        f'<pageSetUpPr /></sheetPr><dimension ref="{dimension}" />'
        '<sheetViews><sheetView workbookViewId="0"><selection activeCell="A1" sqref="A1" />'
        '</sheetView></sheetViews><sheetFormatPr baseColWidth="8" defaultRowHeight="15" />'
        f"<sheetData>{data}</sheetData>"
        '<pageMargins left="0.75" right="0.75" top="1" bottom="1" header="0.5" footer="0.5" />'
        "</worksheet>"
    )


def write_workbook(
    path: Path, sheets: Sequence[tuple[str, Sequence[str], Iterable[Sequence[str]]]]
) -> None:
    """Write ``path``: one sheet per ``(name, header, rows)``, every cell text.

    Parameters
    ----------
    path
        The ``.xlsx`` file to write (replaced if present).
    sheets
        Sheet name (at most 31 characters, none of ``[]:*?/\\``), header and rows of text.
    """
    names = [name for name, _, _ in sheets]
    for name in names:
        if not name or len(name) > 31 or re.search(r"[\[\]:*?/\\]", name):
            raise ValueError(f"{name!r} is not a valid Excel sheet name")
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{i}.xml" '
        f'ContentType="{_CT}.spreadsheetml.worksheet+xml" />'
        for i in range(1, len(sheets) + 1)
    )
    content_types = (
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml" /><Default Extension="xml" ContentType="application/xml" />'
        f'<Override PartName="/xl/styles.xml" ContentType="{_CT}.spreadsheetml.styles+xml" />'
        '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-'
        'package.core-properties+xml" />'
        f'<Override PartName="/docProps/app.xml" ContentType="{_CT}.extended-properties+xml" />'
        f"{overrides}"
        f'<Override PartName="/xl/workbook.xml" ContentType="{_CT}.spreadsheetml.sheet.main+xml" />'
        "</Types>"
    )
    root_rels = (
        f'<Relationships xmlns="{_PKG_REL}">'
        f'<Relationship Type="{_REL}/officeDocument" Target="xl/workbook.xml" Id="rId1" />'
        '<Relationship Type="http://schemas.openxmlformats.org/package/2006/relationships/'
        'metadata/core-properties" Target="docProps/core.xml" Id="rId2" />'
        f'<Relationship Type="{_REL}/extended-properties" Target="docProps/app.xml" Id="rId3" />'
        "</Relationships>"
    )
    now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    core = (
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/'
        'core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        "<dc:creator>edi-reports</dc:creator>"
        f'<dcterms:created xsi:type="dcterms:W3CDTF">{now}</dcterms:created>'
        f'<dcterms:modified xsi:type="dcterms:W3CDTF">{now}</dcterms:modified>'
        "</cp:coreProperties>"
    )
    app = (
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
        'extended-properties"><Application>edi-reports</Application></Properties>'
    )
    sheet_list = "".join(
        f'<sheet name="{escape(name)}" sheetId="{i}" state="visible" r:id="rId{i}" />'
        for i, name in enumerate(names, start=1)
    )
    workbook = (
        f'<workbook xmlns:r="{_REL}" xmlns="{_MAIN}"><workbookPr /><workbookProtection />'
        '<bookViews><workbookView visibility="visible" minimized="0" showHorizontalScroll="1" '
        'showVerticalScroll="1" showSheetTabs="1" tabRatio="600" firstSheet="0" activeTab="0" '
        'autoFilterDateGrouping="1" /></bookViews>'
        f"<sheets>{sheet_list}</sheets><definedNames />"
        '<calcPr calcId="124519" fullCalcOnLoad="1" /></workbook>'
    )
    sheet_rels = "".join(
        f'<Relationship Type="{_REL}/worksheet" Target="/xl/worksheets/sheet{i}.xml" Id="rId{i}" />'
        for i in range(1, len(sheets) + 1)
    )
    workbook_rels = (
        f'<Relationships xmlns="{_PKG_REL}">{sheet_rels}'
        f'<Relationship Type="{_REL}/styles" Target="styles.xml" Id="rId{len(sheets) + 1}" />'
        "</Relationships>"
    )
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as book:
        book.writestr("[Content_Types].xml", content_types)
        book.writestr("_rels/.rels", root_rels)
        book.writestr("docProps/app.xml", app)
        book.writestr("docProps/core.xml", core)
        book.writestr("xl/workbook.xml", workbook)
        book.writestr("xl/_rels/workbook.xml.rels", workbook_rels)
        book.writestr("xl/styles.xml", _STYLES)
        for i, (_, header, rows) in enumerate(sheets, start=1):
            book.writestr(f"xl/worksheets/sheet{i}.xml", sheet_xml(header, rows))
