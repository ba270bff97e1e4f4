"""Hostile and accidental input: every class of attack fails safely with a plain message.

The corpus is generated here (never committed): workbooks that declare the whole grid or
expand like a zip bomb, files over each limit, symbolic links and pipes where files should
be, narrative carrying raw Typst/HTML/LaTeX, mathematics, images and script links,
organisation codes and folder names that are not codes, settings below the privacy floors,
formula-like disclosure symbols, published pages that would carry row-level values, and
one end-to-end build with a hostile organisation name and narrative.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from edi_reports.cli import _org_code, _year, main
from edi_reports.codes import CodeError, org_code
from edi_reports.config import Disclosure, Limits, Settings
from edi_reports.disclosure import floors
from edi_reports.disclosure.control import policy_text
from edi_reports.disclosure.guard import LeakError, check_publication, needles_from_inputs
from edi_reports.errors import InputError
from edi_reports.intake.clean import load_organisations, read_table
from edi_reports.intake.limits import check_content_file
from edi_reports.pipeline.build import discover
from edi_reports.rendering import csp, site
from edi_reports.rendering import offline as render
from edi_reports.report import display, narrative

HEADER = ["Staff ID", "Ethnic Origin", "Gender", "Age", "Staff Group", "Pay Band"]
ROW = ["QX{i:05d}", "A", "Female", "41", "Nursing and Midwifery Registered", "Band 5"]


def rows(n: int) -> list[list[str]]:
    return [[v.format(i=i) for v in ROW] for i in range(n)]


def workbook(path: Path, data: list[list[object]]) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    for row in data:
        sheet.append(row)
    book.save(path)
    return path


def rewrite_sheet(path: Path, change) -> Path:
    """Rewrite the first sheet's XML of a workbook with ``change(xml) -> xml``."""
    tmp = path.with_suffix(".tmp")
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = change(data.decode()).encode()
            dst.writestr(item, data)
    tmp.replace(path)
    return path


# --------------------------------------------------------------------------- 1. intake


class TestBoundedIntake:
    def test_declared_whole_grid_is_read_as_its_data(self, tmp_path):
        path = workbook(tmp_path / "workforce.xlsx", [HEADER, *rows(50)])

        def whole_grid(xml: str) -> str:
            xml = re.sub(r'<dimension ref="[^"]*"/>', '<dimension ref="A1:XFD1048576"/>', xml)
            corner = '<row r="1048576"><c r="XFD1048576" s="0"/></row>'
            return xml.replace("</sheetData>", corner + "</sheetData>")

        rewrite_sheet(path, whole_grid)
        assert path.stat().st_size < 20_000
        raw = read_table(path)
        assert raw.shape == (50, len(HEADER))
        assert raw["Staff ID"].iloc[-1] == "QX00049"

    def test_zip_bomb_is_refused_before_reading(self, tmp_path):
        path = workbook(tmp_path / "workforce.xlsx", [HEADER, *rows(2)])
        filler = '<row><c s="0"/></row>' * 400_000  # ~9 MB that compresses ~1000 times
        rewrite_sheet(path, lambda xml: xml.replace("</sheetData>", filler + "</sheetData>"))
        with pytest.raises(InputError, match=r"expands .* times when unzipped, over the limit"):
            read_table(path)

    @pytest.mark.parametrize(
        ("limits", "suffix", "message"),
        [
            (Limits(max_file_mb=1), ".csv", r"over the limit of 1 MB"),
            (Limits(max_rows=10), ".csv", r"over the limit of 10"),
            (Limits(max_rows=10), ".xlsx", r"more than 10 rows, over the limit"),
            (Limits(max_columns=4), ".csv", r"6 fields, over the limit of 4 columns"),
            (Limits(max_columns=4), ".xlsx", r"beyond column 4, over the limit of 4 columns"),
            (Limits(max_cell_chars=5), ".csv", r"over the limit of 5 for one cell"),
            (Limits(max_xlsx_uncompressed_mb=0), ".xlsx", r"expands to .* over the limit of 0"),
        ],
    )
    def test_each_limit_names_the_file_and_the_limit(self, tmp_path, limits, suffix, message):
        data = [HEADER, *rows(3000 if limits.max_file_mb == 1 else 20)]
        path = tmp_path / f"workforce{suffix}"
        if suffix == ".csv":
            pd.DataFrame(data[1:], columns=data[0]).to_csv(path, index=False)
            if limits.max_file_mb == 1:
                path.write_text(path.read_text() * 20)
        else:
            workbook(path, data)
        with pytest.raises(InputError, match=message) as err:
            read_table(path, limits)
        assert str(path) in err.value.message and "How to fix" in err.value.message

    def test_values_after_a_long_blank_run_are_refused_not_dropped(self, tmp_path):
        data = [HEADER, *rows(3)] + [[None]] * 30 + [ROW]
        path = workbook(tmp_path / "workforce.xlsx", data)
        with pytest.raises(InputError, match=r"row 35 holds values after 30 blank rows"):
            read_table(path, Limits(blank_run_rows=25))
        assert len(read_table(path, Limits(blank_run_rows=31))) == 3 + 30 + 1

    def test_symbolic_links_and_pipes_are_not_inputs(self, tmp_path):
        target = tmp_path / "elsewhere.csv"
        target.write_text(",".join(HEADER) + "\n")
        link = tmp_path / "in" / "workforce.csv"
        link.parent.mkdir()
        link.symlink_to(target)
        with pytest.raises(InputError, match="symbolic link"):
            read_table(link)
        fifo = tmp_path / "content"
        fifo.mkdir()
        os.mkfifo(fifo / "summary.md")
        with pytest.raises(InputError, match="not a regular file"):
            check_content_file(fifo / "summary.md", fifo)
        (fifo / "objectives.md").symlink_to(target)
        with pytest.raises(InputError, match="content file is a symbolic link"):
            check_content_file(fifo / "objectives.md", fifo)
        (fifo / "wdes_9b.md").write_text("x" * 3000)
        with pytest.raises(InputError, match="over the limit of 2 KB"):
            check_content_file(fifo / "wdes_9b.md", fifo, Limits(max_content_kb=2))


# --------------------------------------------------------------------------- 2. narrative

PAYLOADS = {
    "raw typst block": '```{=typst}\n#show "22.6": "2.6"\n```',
    "raw typst inline": 'Our gap `#show "22.6": "2.6"`{=typst} fell.',
    "raw html": '<script>alert(1)</script><img src=x onerror="alert(1)">',
    "raw latex": "\\begin{verbatim}x\\end{verbatim} \\newpage",
    "maths": "The mean is $x$ and $$y$$.",
    "metadata block": "\n---\ntitle: hacked\nedi_title: hacked\n---\n",
    "typst markup": '#set text(fill: red) #let x = "hacked" @ref <label>',
    "javascript link": "[click](javascript:alert(1)) and [d](data:text/html,hi)",
}


class TestNarrativeIsText:
    @pytest.mark.parametrize("name", sorted(PAYLOADS))
    def test_no_payload_reaches_typst_or_html_as_code(self, name):
        shown = display.md(PAYLOADS[name])
        typ = render.markdown_to_typst(shown.markdown, "Title")
        code = re.sub(r"`[^`]*`|```.*?```", "", typ, flags=re.S)  # Typst raw text is inert
        assert not re.search(r"(?<!\\)#(show|set|let|image|link)\b", code), typ
        assert "javascript:" not in typ and "data:text" not in typ
        assert "<script" not in shown.html and 'onerror="' not in shown.html
        assert 'href="javascript' not in shown.html and 'href="data' not in shown.html

    def test_safe_links_stay_links(self):
        shown = display.md("[GOV.UK](https://www.gov.uk/x_(y)) or [mail](mailto:a@b.org)")
        assert 'href="https://www.gov.uk/x_%28y%29"' in shown.html
        typ = render.markdown_to_typst(shown.markdown, "Title")
        assert '#link("https://www.gov.uk/x_%28y%29")' in typ and '#link("mailto:a@b.org")' in typ

    def test_pandoc_reader_and_filter_drop_raw_even_without_sanitising(self):
        typ = render.markdown_to_typst(PAYLOADS["raw typst inline"] + "\n\n[x](javascript:y)", "T")
        assert '#show "22.6"' not in re.sub(r"`[^`]*`", "", typ)
        assert "javascript" not in typ

    def test_maths_and_an_organisation_name_with_markup_compile(self, tmp_path):
        import typst

        name = "Trust `#set text(size: 0pt)`{=typst} $x$ #strong[&] \\"
        body = render.markdown_to_typst(display.md(f"This report sets out {name}'s").markdown, "T")
        source = render.typst_document(body, title=f"{name}: report", author=name)
        (tmp_path / "r.typ").write_text(source)
        assert typst.compile(str(tmp_path / "r.typ"), format="pdf")[:4] == b"%PDF"

    def test_an_image_in_a_content_file_is_refused_plainly(self, tmp_path):
        from edi_reports.report.core import content_markdown

        path = tmp_path / "summary.md"
        path.write_text("Intro\n\n![our logo](logo.png)\n")
        with pytest.raises(narrative.NarrativeError, match=r"summary.md: images are not published"):
            content_markdown(path)


# --------------------------------------------------------------------------- 3. publish guard


class TestPublishGuard:
    @pytest.fixture
    def inputs(self, tmp_path):
        raw = tmp_path / "raw"
        raw.mkdir()
        frame = pd.DataFrame(
            {
                "Staff ID": ["QX00001", "QX00002", "QX00003"],
                "Ethnic Origin": ["A", "M", "H"],
                "Gender": ["Female", "Male", "Female"],
                "Date of Birth": ["1985-03-12", "1990-11-02", "1979-01-30"],
                "Staff Group": ["Nursing and Midwifery Registered"] * 3,
                "Pay Band": ["Band 5"] * 3,
                "Contracted Hours": ["37.5"] * 3,
                "Ordinary Pay": ["2345.67", "2511.20", "2760.05"],
                "Home notes": ["Quokka lane flat", "Numbat house", "Kestrel cottage"],
            }
        )
        frame.to_csv(raw / "workforce.csv", index=False)
        out = tmp_path / "stage"
        out.mkdir()
        return needles_from_inputs(raw), out

    @pytest.mark.parametrize(
        ("text", "kind"),
        [
            ("<p>Thanks to QX00002 for the data</p>", "an identifier"),
            ("<p>born 1990-11-02</p>", "a date of birth"),
            ("<td>2511.20</td>", "an exact pay amount"),
            ("<p>Quokka lane flat, Numbat house, Kestrel cottage</p>", "free-text values"),
        ],
    )
    def test_row_level_values_are_never_published(self, inputs, text, kind):
        needles, out = inputs
        (out / "index.html").write_text(f"<html><body>{text}</body></html>")
        with pytest.raises(LeakError, match=kind) as err:
            check_publication(out, needles)
        assert "QX0000" not in str(err.value) and "2511" not in str(err.value)

    def test_published_figures_and_ordinary_words_pass(self, inputs):
        needles, out = inputs
        (out / "index.html").write_text("<p>Median pay 2511.20; Band 5; 41 staff; QX000021</p>")
        check_publication(out, needles, allowed=["2511.20"])

    def test_the_pdf_source_is_checked_too(self, inputs):
        needles, out = inputs
        with pytest.raises(LeakError, match=r"report.pdf \(its source\) holds 1 × an identifier"):
            check_publication(out, needles, extra_sources={"report.pdf (its source)": "QX00003"})


# --------------------------------------------------------------------------- 4. codes


class TestOneRuleForCodes:
    @pytest.mark.parametrize(
        "text", ["R" * 300, "javascript:alert(1)", "RJ", "R J", "../RJZ", "RJ\x00Z", "ÅRJ"]
    )
    def test_bad_codes_are_refused_everywhere(self, tmp_path, text):
        with pytest.raises(argparse.ArgumentTypeError, match="not an ODS code"):
            _org_code(text)
        with pytest.raises(CodeError, match="not an organisation code"):
            org_code(text)

    @pytest.mark.parametrize("text", ["1999", "20255", "2k25", "-2025"])
    def test_bad_years_are_refused(self, text):
        with pytest.raises(argparse.ArgumentTypeError):
            _year(text)

    def test_a_300_character_code_is_a_plain_message(self, capsys):
        with pytest.raises(SystemExit) as err:
            main(["build", "--org", "R" * 300, "--year", "2025"])
        assert err.value.code == 2
        assert "not an ODS code" in capsys.readouterr().err

    def test_all_discovers_only_codes(self, tmp_path, capsys):
        for name in ("RJZ", "javascript:alert(1)", "x" * 40, "15N"):
            (tmp_path / name / "2025").mkdir(parents=True)
        (tmp_path / "RJZ" / "notes").mkdir()
        assert discover(tmp_path) == [("15N", 2025), ("RJZ", 2025)]
        assert "skipped the folder 'javascript:alert(1)'" in capsys.readouterr().err

    def test_organisations_csv_codes_follow_the_rule(self, tmp_path):
        (tmp_path / "organisations.csv").write_text("org_code,name\nRJZ,A\njavascript:x,B\n")
        with pytest.raises(InputError, match=r"row\(s\) 2: not an organisation code"):
            load_organisations(tmp_path)

    def test_site_reads_only_valid_summaries_and_writes_inside(self, tmp_path):
        reports = tmp_path / "reports"
        good = {"org": "RJZ", "name": "<b>Trust</b>", "year": 2025, "headline": []}
        bad = {"org": "../../outside", "name": "x", "year": 2025, "headline": []}
        for folder, summary in (("RJZ", good), ("QKS", bad)):
            (reports / folder / "2025").mkdir(parents=True)
            (reports / folder / "2025" / "summary.json").write_text(json.dumps(summary))
        orgs = site.read_summaries(reports)
        assert [o.code for o in orgs] == ["RJZ"]
        index = site.build_site(reports).read_text()
        assert "&lt;b&gt;Trust&lt;/b&gt;" in index and "outside" not in index
        assert sorted(p.name for p in tmp_path.iterdir()) == ["reports"]


# --------------------------------------------------------------------------- 5. floors

FLOOR_CASES = {
    "suppress_max": ("disclosure", {"suppress_max": 0}),
    "round_base": ("disclosure", {"round_base": 1}),
    "secondary_suppression": ("disclosure", {"secondary_suppression": False}),
    "min_group_stat": ("disclosure", {"min_group_stat": 2}),
    "staff_survey_min": ("disclosure", {"staff_survey_min": 1}),
    "min_group_publish": ("epg", {"min_group_publish": 9}),
    "min_group": ("statutory", {"min_group": 9}),
}


class TestPrivacyFloors:
    @pytest.mark.parametrize("name", sorted(FLOOR_CASES))
    def test_each_floor_needs_an_explicit_override(self, tmp_path, name, capsys):
        section, values = FLOOR_CASES[name]
        path = tmp_path / "edi.yml"
        path.write_text(json.dumps({section: values}))
        with pytest.raises(
            floors.SettingsError, match=rf"{section}\.{name} is .* \(at least|must be on"
        ):
            Settings.load(path)
        override = {"disclosure": {"allow_weaker_privacy": True}}
        override.setdefault(section, {}).update(values)
        path.write_text(json.dumps(override))
        settings = Settings.load(path)
        lines = floors.report_weakened(settings)
        assert len(lines) == 1 and name in capsys.readouterr().err
        text = policy_text(settings)
        assert "weakened these privacy rules" in text and "1 to 0" not in text

    def test_stricter_settings_need_no_override(self):
        s = Settings(disclosure=Disclosure(suppress_max=10, round_base=10, min_group_stat=20))
        assert floors.weakened(s) == [] and "Counts of 1 to 10 people" in policy_text(s)

    @pytest.mark.parametrize("symbol", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx", "", "a\nb"])
    def test_a_symbol_that_could_be_a_formula_is_refused(self, symbol):
        with pytest.raises(floors.SettingsError, match="disclosure.symbol"):
            Settings(disclosure=Disclosure(symbol=symbol, allow_weaker_privacy=True))

    @pytest.mark.parametrize("value", [0, -5, "many", True])
    def test_limits_must_be_positive_whole_numbers(self, tmp_path, value):
        path = tmp_path / "edi.yml"
        path.write_text(json.dumps({"limits": {"max_rows": value}}))
        with pytest.raises(floors.SettingsError, match="limits.max_rows must be a whole number"):
            Settings.load(path)

    def test_a_broken_settings_file_is_a_plain_message(self, tmp_path, capsys):
        path = tmp_path / "edi.yml"
        path.write_text("disclosure: [1, 2\n")
        assert main(["build", "--org", "RJZ", "--year", "2025", "--config", str(path)]) == 2
        err = capsys.readouterr().err
        assert str(path) in err and "unexpected error" not in err


# --------------------------------------------------------------------------- 6. CSP and bundle


class TestContentSecurityPolicy:
    def test_page_allows_only_its_own_scripts_and_no_network(self):
        body = '<p>&lt;script&gt;</p><script>alert("injected")</script>'
        page = render.render_page(body, title="T")
        policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page)
        assert policy is not None
        text = policy.group(1)
        assert text.startswith("default-src 'none';") and "http" not in text
        assert csp._source('alert("injected")') not in text
        assert page.index("Content-Security-Policy") < page.index("<style>")

    def test_a_tampered_cached_bundle_is_not_inlined(self, tmp_path, monkeypatch):
        import vl_convert

        version = vl_convert.__version__
        (tmp_path / "edi-reports").mkdir()
        (tmp_path / "edi-reports" / f"vega-bundle-{version}.js").write_text("steal()")
        monkeypatch.setenv("EDI_CACHE_DIR", str(tmp_path))
        monkeypatch.setattr(vl_convert, "javascript_bundle", lambda: "window.vegaEmbed=1;")
        render.vega_bundle.cache_clear()
        try:
            assert render.vega_bundle() == "window.vegaEmbed=1;"
        finally:
            render.vega_bundle.cache_clear()
        assert not csp.verify_bundle("steal()", version)


# --------------------------------------------------------------------------- 7. end to end


@pytest.mark.slow
def test_hostile_name_and_narrative_build_safely(tmp_path):
    """One build: an organisation name and a narrative written to change the PDF's figures
    and add script links publish as text; the page carries its policy; a narrative that
    is a link to the HR extract, or holds its ids, is refused and the report stays."""
    dirs = {name: tmp_path / name for name in ("raw", "processed", "reports", "content")}
    assert main(["synth", "--orgs", "RJZ", "--years", "2025", "--staff", "300", "--quiet",
                 f"--raw-dir={dirs['raw']}", f"--content-dir={dirs['content']}"]) == 0  # fmt: skip
    name = 'Hostile `#show "%": "!"`{=typst} <script>x</script> Trust'
    orgs = pd.DataFrame({"org_code": ["RJZ"], "name": [name]})
    orgs.to_csv(dirs["raw"] / "organisations.csv", index=False)
    content = dirs["content"] / "RJZ" / "2025"
    content.mkdir(parents=True, exist_ok=True)
    (content / "summary.md").write_text("\n\n".join(PAYLOADS.values()))
    args = [f"--{k}-dir={v}" for k, v in dirs.items()] + ["--quiet"]
    assert main(["build", "--org", "RJZ", "--year", "2025", *args]) == 0
    out = dirs["reports"] / "RJZ" / "2025"
    page = (out / "index.html").read_text()
    assert "Content-Security-Policy" in page and 'href="javascript' not in page
    assert "<script>x</script>" not in page and "<script>alert(1)" not in page
    nb = render.clean_notebook(
        render._read(dirs["processed"] / "RJZ/2025/notebooks/04_report.ipynb")
    )
    typ = render.markdown_to_typst(render.notebook_markdown(nb, tmp_path), "T")
    assert not re.search(r'(?<!\\)#show "', re.sub(r"`[^`]*`|```.*?```", "", typ, flags=re.S))
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(out / "report.pdf"), "-"], capture_output=True,
                              text=True).stdout  # fmt: skip
        assert '#let x = "hacked"' in text.replace("\u201c", '"').replace("\u201d", '"')
        assert "#set text(fill: red)" in text  # shown as typed, not run
    from edi_reports.disclosure.guard import guard_build

    ids = sorted(needles_from_inputs(dirs["raw"] / "RJZ" / "2025").by_kind["id"])[:5]
    leak = tmp_path / "leak"
    shutil.copytree(out, leak)
    (leak / "index.html").write_text(page + "<p>" + " ".join(ids) + "</p>")
    with pytest.raises(LeakError, match="index.html holds 5 × an identifier"):
        guard_build(dirs["raw"] / "RJZ" / "2025", leak, tmp_path / "none.ipynb", Limits())
