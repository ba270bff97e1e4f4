"""Offline renderer (edi_reports.rendering.offline): executed notebook -> HTML page and tagged PDF."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from bs4 import BeautifulSoup
from nbclient import NotebookClient
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from edi_reports.rendering import offline as render
from edi_reports.report import display

TITLE = "Workforce equality report 2023/24"
PARAM_SENTINEL = "PARAM-SENTINEL-1234"
INJECTED_SENTINEL = "INJECTED-SENTINEL-5678"
CODE_SENTINEL = "CODE-SENTINEL-9012"

SETUP = f"""\
# {CODE_SENTINEL}
import pandas as pd
from edi_reports.report.charts import gap_chart, stacked_share_chart, trend_chart
from edi_reports.report.display import callout, chart, heading, md, table
display(heading({TITLE!r}, level=1))
"""

SUMMARY = """\
display(heading("Summary"))
display(md("This report sets out **King's College Hospital**'s workforce equality figures "
           "for 2023/24. See [the GOV.UK guidance](https://www.gov.uk/guidance/gender-pay-gap)."))
"""

GPG = """\
display(heading("Gender pay gap"))
gaps = pd.DataFrame({"Measure": ["Mean hourly pay", "Median hourly pay", "Mean bonus pay"],
                     "Gap (%)": ["6.7", "4.2", "*"]})
display(table(gaps, "Table 1. Gender pay gaps, 31 March 2024",
              notes="* suppressed: fewer than 10 men received a bonus."))
plot = pd.DataFrame({"Measure": ["Mean hourly pay", "Median hourly pay"], "Gap": [6.7, 4.2]})
display(chart(gap_chart(plot, group="Measure", value="Gap", title="Gender pay gap"),
              alt="Women's mean hourly pay is 6.7% lower than men's; the median is 4.2% lower.",
              caption="Figure 1. Gender pay gaps"))
display(callout("The mean bonus gap is not published: fewer than 10 men received a bonus."))
"""

QUARTERS = """\
display(heading("Pay quarters"))
q = pd.DataFrame({"Quarter": ["Lower", "Lower", "Upper", "Upper"],
                  "Sex": ["Women", "Men", "Women", "Men"], "Share": [80.3, 19.7, 61.2, 38.8]})
display(chart(stacked_share_chart(q, category="Quarter", group="Sex", value="Share",
                                  title="Pay quarters by sex"),
              alt="Women are 80.3% of the lower pay quarter and 61.2% of the upper quarter.",
              caption="Figure 2. Pay quarters by sex"))
trend = pd.DataFrame({"Year": ["2021/22", "2022/23", "2023/24"] * 2,
                      "Gap": [8.1, 7.2, 6.7, 5.0, 4.1, 4.2],
                      "Measure": ["Mean"] * 3 + ["Median"] * 3})
display(chart(trend_chart(trend, year="Year", value="Gap", series="Measure", title="Trend"),
              alt="The mean gap fell from 8.1% to 6.7% over three years.",
              caption="Figure 3. Gender pay gap over time"))
"""


def report_notebook() -> nbformat.NotebookNode:
    """A small report notebook like the lead's 04_report.ipynb."""
    nb = new_notebook()
    params = new_code_cell(f'org = "XXX"\nyear = 2020\nsecret = "{PARAM_SENTINEL}"')
    params.metadata["tags"] = ["parameters"]
    injected = new_code_cell(f'org = "RJZ"\nyear = 2024\nsecret = "{INJECTED_SENTINEL}"')
    injected.metadata["tags"] = ["injected-parameters"]
    nb.cells = [
        params,
        injected,
        new_code_cell(SETUP),
        new_code_cell(SUMMARY),
        new_code_cell(GPG),
        new_code_cell(QUARTERS),
        new_markdown_cell(
            "## About these figures\n\nFigures of 7 or fewer people are shown as `*`."
        ),
    ]
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    return nb


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> dict[str, Path]:
    """Execute the notebook once (nbclient), then render HTML and PDF."""
    tmp = tmp_path_factory.mktemp("render")
    nb = report_notebook()
    NotebookClient(
        nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(tmp)}}
    ).execute()
    executed = tmp / "executed.ipynb"
    nbformat.write(nb, str(executed))
    out = render.render_report(executed, tmp / "RJZ" / "2024", title=TITLE, use_quarto=False)
    return {"nb": executed, **out}


@pytest.fixture(scope="module")
def page(rendered) -> str:
    return rendered["html"].read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def soup(page) -> BeautifulSoup:
    return BeautifulSoup(page, "html.parser")


@pytest.mark.slow
class TestHtmlPage:
    def test_files(self, rendered):
        assert rendered["html"].name == "index.html"
        assert rendered["pdf"].name == "report.pdf"

    def test_lang_title_and_one_h1(self, soup):
        assert soup.html["lang"] == "en-GB"
        assert soup.title.get_text() == TITLE
        h1s = soup.find_all("h1")
        assert [h.get_text() for h in h1s] == [TITLE]

    def test_landmarks_and_skip_link(self, soup):
        skip = soup.find("a", class_="skip-link")
        assert skip["href"] == "#main"
        assert soup.body.find("a") is skip  # first focusable element
        assert soup.find("main")["id"] == "main"
        for landmark in ("header", "nav", "main", "footer"):
            assert soup.find(landmark) is not None

    def test_table_of_contents(self, soup):
        toc = soup.find("nav", class_="toc")
        links = [(a["href"], a.get_text()) for a in toc.find_all("a")]
        assert links == [
            ("#summary", "Summary"),
            ("#gender-pay-gap", "Gender pay gap"),
            ("#pay-quarters", "Pay quarters"),
            ("#About-these-figures", "About these figures"),
        ]
        main_ids = {h["id"] for h in soup.main.find_all("h2")}
        assert {href[1:] for href, _ in links} == main_ids

    def test_parameters_and_code_absent(self, page):
        assert PARAM_SENTINEL not in page
        assert INJECTED_SENTINEL not in page
        assert CODE_SENTINEL not in page
        assert "import pandas" not in page
        assert "In&nbsp;[" not in page and "In [" not in page
        assert "anchor-link" not in page

    def test_content(self, soup):
        caption = soup.find("caption", string="Table 1. Gender pay gaps, 31 March 2024")
        assert caption is not None
        cells = [td.get_text() for td in caption.find_parent("table").tbody.find_all("td")]
        assert cells == ["6.7", "4.2", "*"]
        assert soup.find("aside", class_="edi-callout") is not None
        assert len(soup.find_all("figure", class_="edi-figure")) == 3

    def test_no_network_references(self, soup, page):
        for el in soup.find_all(src=True):
            assert not re.match(r"^\s*(https?:)?//", el["src"]), el
        for el in soup.find_all(["link", "script", "img", "iframe", "source"]):
            assert not el.get("href") and not re.match(r"(https?:)?//", el.get("src", ""))
        hrefs = [a["href"] for a in soup.find_all(href=True)]
        external = [h for h in hrefs if re.match(r"(https?:)?//", h)]
        assert all(soup.find("a", href=h) for h in external)  # only narrative <a> links
        assert external == ["https://www.gov.uk/guidance/gender-pay-gap"]
        for style in soup.find_all("style"):
            assert not re.search(r"url\(\s*['\"]?(https?:)?//", style.get_text())
            assert "@import" not in style.get_text()
        assert not re.search(r"<script[^>]+src=", page)

    def test_vega_bundle_once(self, soup, page):
        assert page.count("window.vegaEmbed=") == 1
        modules = soup.find_all("script", attrs={"type": "module"})
        assert len(modules) == 1
        specs = soup.find_all("script", attrs={"type": "application/json"})
        assert len(specs) == 3

    def test_tables_scroll_in_labelled_regions(self, soup):
        for table in soup.main.find_all("table"):
            region = table.find_parent(attrs={"role": "region"})
            assert region["tabindex"] == "0"
            assert soup.find(id=region["aria-labelledby"]).name == "caption"

    def test_unique_ids(self, soup):
        ids = [el["id"] for el in soup.find_all(id=True)]
        assert len(ids) == len(set(ids))

    def test_styles(self, page):
        assert ":focus-visible" in page
        assert "@media print" in page
        assert "#005EB8" in page


def pdf_tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.skip(f"{name} (poppler-utils) is not installed")
    return path


@pytest.mark.slow
class TestPdf:
    def test_tagged_with_title(self, rendered):
        info = subprocess.run(
            [pdf_tool("pdfinfo"), str(rendered["pdf"])], capture_output=True, text=True, check=True
        ).stdout
        assert re.search(r"^Tagged:\s+yes$", info, flags=re.MULTILINE)
        assert re.search(rf"^Title:\s+{re.escape(TITLE)}$", info, flags=re.MULTILINE)
        meta = subprocess.run(
            [pdf_tool("pdfinfo"), "-meta", str(rendered["pdf"])],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        assert "pdfuaid:part" in meta  # PDF/UA-1 identification
        assert "en-GB" in meta or "en-gb" in meta.lower()

    def test_text(self, rendered):
        text = subprocess.run(
            [pdf_tool("pdftotext"), "-layout", str(rendered["pdf"]), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        assert text.count(TITLE) >= 1
        assert "Table 1. Gender pay gaps, 31 March 2024" in text
        assert re.search(r"Mean hourly pay\s+6\.7", text)
        assert "Figure 2. Pay quarters by sex" in text
        assert "Women are 80.3% of the lower pay quarter" in text
        assert "About these figures" in text
        for sentinel in (PARAM_SENTINEL, INJECTED_SENTINEL, CODE_SENTINEL, "import pandas"):
            assert sentinel not in text

    def test_figures_have_alt_text(self, rendered, tmp_path):
        nb = render.clean_notebook(nbformat.read(str(rendered["nb"]), as_version=4))
        markdown = render.notebook_markdown(nb, tmp_path)
        typ = render.markdown_to_typst(markdown, TITLE)
        alts = re.findall(r'#image\("([^"]+)", alt: "([^"]+)"', typ)
        assert [a for _, a in alts][0].startswith("Women's mean hourly pay is 6.7% lower")
        assert len(alts) == 3
        assert all((tmp_path / name).is_file() for name, _ in alts)
        assert "= " + TITLE not in typ  # the title heading is the template's, once


def executed_stub(outputs: list[display.Display], markdown: str = "") -> nbformat.NotebookNode:
    """An 'executed' notebook built without a kernel from display objects."""
    nb = new_notebook()
    cells = [new_markdown_cell(markdown)] if markdown else []
    for obj in outputs:
        data, meta = obj._repr_mimebundle_()
        cell = new_code_cell("x = 1", execution_count=1)
        cell.outputs = [new_output("display_data", data=data, metadata=meta)]
        cells.append(cell)
    nb.cells = cells
    return nb


class TestUnits:
    def test_title_heading_dropped_other_h1_demoted(self):
        body, toc, has_chart = render.postprocess_body(
            "<h1>My title</h1><h1>Other</h1><h2>Other</h2><p id='other'>x</p>", "My  title"
        )
        soup = BeautifulSoup(body, "html.parser")
        assert soup.find("h1") is None
        assert [h["id"] for h in soup.find_all("h2")] == ["other-2", "other-3"]
        assert [t["text"] for t in toc] == ["Other", "Other"]
        assert not has_chart

    def test_external_resources_removed(self):
        body, _, _ = render.postprocess_body(
            '<img src="https://x.org/a.png" alt="Logo"><script src="//cdn.x/v.js"></script>'
            '<img src="local.png" alt="ok"><a href="https://x.org">link</a>',
            "t",
        )
        assert "x.org/a.png" not in body and "cdn.x" not in body
        assert "Logo" in body and 'src="local.png"' in body and 'href="https://x.org"' in body

    def test_error_output_stops_render(self, tmp_path):
        nb = new_notebook()
        cell = new_code_cell("1/0")
        cell.outputs = [
            new_output("error", ename="ZeroDivisionError", evalue="division", traceback=[])
        ]
        nb.cells = [cell]
        with pytest.raises(render.RenderError, match="ZeroDivisionError"):
            render.clean_notebook(nb)

    def test_stderr_dropped_and_tags_removed(self):
        keep = new_code_cell("print('x')")
        keep.outputs = [
            new_output("stream", name="stdout", text="shown\n"),
            new_output("stream", name="stderr", text="UserWarning: hidden\n"),
        ]
        hidden = new_code_cell("y = 2")
        hidden.metadata["tags"] = ["remove-cell"]
        nb = new_notebook(cells=[keep, hidden])
        cleaned = render.clean_notebook(nb)
        assert len(cleaned.cells) == 1
        assert [o["name"] for o in cleaned.cells[0].outputs] == ["stdout"]
        assert len(nb.cells) == 2  # the input notebook is not changed

    def test_page_without_charts_has_no_bundle(self, tmp_path):
        nb = executed_stub(
            [display.heading("One"), display.md("Text"), display.heading("Two")], "# T"
        )
        path = tmp_path / "nb.ipynb"
        nbformat.write(nb, str(path))
        out = render.render_html(path, tmp_path / "out" / "index.html", title="T", lang="cy-GB")
        page = out.read_text(encoding="utf-8")
        assert '<html lang="cy-GB">' in page
        assert "vegaEmbed" not in page
        assert page.count("<h1") == 1

    def test_typst_document_language_and_escaping(self):
        source = render.typst_document(
            "Body", title='Report "2024" \\ test', lang="en-GB", author="Trust"
        )
        assert 'lang: "en", region: "GB"' in source
        assert '#let doc-title = "Report \\"2024\\" \\\\ test"' in source
        assert "{{" not in source
        with pytest.raises(ValueError, match="lang"):
            render.typst_document("Body", title="t", lang="english")

    def test_quarto_config(self):
        config = render.load_quarto_config(Path(__file__).parents[2] / "_quarto.yml")
        assert config["lang"] == "en-GB"
        assert config["format"]["html"]["embed-resources"] is True
        assert "typst" in config["format"]
        assert render.config_lang(config) == "en-GB"
        assert render.load_quarto_config(Path("/nonexistent/_quarto.yml")) == {}

    def test_quarto_required_but_absent(self, tmp_path, monkeypatch):
        monkeypatch.setattr(render.shutil, "which", lambda name: None)
        assert render.quarto_available() is False
        with pytest.raises(render.RenderError, match="quarto"):
            render.render_report(tmp_path / "x.ipynb", tmp_path, title="t", use_quarto=True)

    def test_missing_notebook(self, tmp_path):
        with pytest.raises(FileNotFoundError):
            render.render_html(tmp_path / "none.ipynb", tmp_path / "o.html", title="t")


# --------------------------------------------------------------------------- one parse


def _three_parses(nb: nbformat.NotebookNode, title: str) -> tuple[str, list, bool]:
    """The page body as nbconvert's own ``HTMLExporter`` and separate parses make it: the
    reference the renderer's single parse must equal byte for byte."""
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(
        template_name="basic",
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        anchor_link_text="",
    )
    html, _ = exporter.from_notebook_node(nb)
    soup = BeautifulSoup(html, "html.parser")
    parts = [
        el.decode_contents().strip()
        for el in soup.find_all("div", class_=["text_cell_render", "output_subarea"])
    ]
    return render.postprocess_body("\n".join(p for p in parts if p), title)


def _awkward_notebook() -> nbformat.NotebookNode:
    """Outputs that test the edges of the single parse: white space and entities at either
    end of a cell, an image without alternative text, an empty output, a JupyterLab-style
    block, comments, a heading equal to the title and one that is not, anchors."""
    png = (
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kg"
        "AAAABJRU5ErkJggg=="
    )
    html_outputs = [
        "\n  <h1>My  title</h1>\n",
        "&nbsp; lead <b>bold</b> &amp; tail&#160;\n ",
        "   \n ",
        "<!-- a comment -->text<br>more <img src='data:image/png;base64,x'>",
        "<h1 id='x'>Another heading</h1><p>a < b and c &gt; d</p>",
        "<div class='jp-Notebook'><div class='jp-OutputArea-output'>lab</div></div>",
        "plain text only",
        "<a class='x anchor-link' href='#a'>¶</a><p id=''>empty id</p><div class='edi-chart'></div>",
        "<h2>Section</h2>\n<p id='section'>clash</p><script src='https://cdn.x/a.js'></script>",
    ]
    cells = [new_markdown_cell("# My title\n\nSome *markdown* & more\n\n## Section")]
    for text in html_outputs:
        cell = new_code_cell("x = 1", execution_count=1)
        cell.outputs = [new_output("display_data", data={"text/html": text})]
        cells.append(cell)
    image = new_code_cell("x = 1", execution_count=1)
    image.outputs = [new_output("display_data", data={"image/png": png, "text/plain": "img"})]
    stream = new_code_cell("print(1)", execution_count=1)
    stream.outputs = [new_output("stream", name="stdout", text="  printed <text>  \n")]
    cells += [image, stream]
    return render.clean_notebook(new_notebook(cells=cells))


class TestOneParse:
    """The renderer parses nbconvert's page once (``_TemplateHTMLExporter`` skips the parse
    inside ``HTMLExporter``): the body must be the one nbconvert and three parses give, so a
    change in nbconvert's exporter shows here."""

    def test_awkward_outputs_give_the_same_body(self):
        nb = _awkward_notebook()
        body, toc, has_chart = render.page_body(nb, "My title")
        assert (body, toc, has_chart) == _three_parses(nb, "My title")
        assert render.NO_ALT in body and 'tabindex="0"' in body

    def test_the_report_gives_the_same_body(self, rendered):
        """The same body, except that the charts' drawings skip the parse: published as
        vl-convert drew them, the same markup once parsed."""
        nb = render.clean_notebook(nbformat.read(str(rendered["nb"]), as_version=4))
        reference = render.postprocess_body(render.notebook_body_html(nb), TITLE)
        assert reference == _three_parses(nb, TITLE)
        page, toc, has_chart = render.page_body(nb, TITLE)
        assert (toc, has_chart) == reference[1:] and has_chart
        assert str(BeautifulSoup(page, "html.parser")) == reference[0]
        drawn = [
            o["data"]["text/html"]
            for c in nb.cells
            for o in c.get("outputs", [])
            if "edi-chart-canvas" in str(o.get("data", {}).get("text/html", ""))
        ]
        svgs = [m for html in drawn for m in re.findall(r"<svg\b.*?</svg>", html, re.S)]
        assert svgs and all(svg in page for svg in svgs)  # exactly as drawn
        assert "edi-svg-" not in page

    def test_a_drawing_that_could_reach_out_is_parsed_as_any_markup(self):
        safe = '<svg class="marks"><g><path d="M0,0h1"></path></g></svg>'
        unsafe = '<svg class="marks"><image href="https://x.example/a.png"></image></svg>'
        cells = []
        for svg in (safe, unsafe):
            cell = new_code_cell("x = 1", execution_count=1)
            html = f'<div class="edi-chart-canvas" aria-hidden="true">{svg}</div>'
            cell.outputs = [new_output("display_data", data={"text/html": html})]
            cells.append(cell)
        nb = render.clean_notebook(new_notebook(cells=cells))
        lifted, svgs = render._lift_chart_svgs(nb)
        assert list(svgs.values()) == [safe]
        assert nb.cells[0].outputs[0]["data"]["text/html"].count(safe) == 1  # nb unchanged
        page, _, _ = render.page_body(nb, "T")
        reference = render.postprocess_body(render.notebook_body_html(nb), "T")[0]
        assert safe in page and str(BeautifulSoup(page, "html.parser")) == reference


def test_css_selectors_load_on_first_use():
    """soupsieve is deferred when the renderer loads, and runs when a JupyterLab-style page
    needs its selectors (:func:`offline._nbconvert_fixups`)."""
    code = """
import sys
from edi_reports.rendering import offline
from bs4 import BeautifulSoup
assert type(sys.modules["soupsieve"]).__name__ == "_Deferred"
soup = BeautifulSoup(
    "<div class='jp-Notebook'><div class='jp-OutputArea-output'>x</div></div>", "html.parser"
)
offline._nbconvert_fixups(soup)
assert type(sys.modules["soupsieve"]).__name__ == "module"
print(soup)
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert 'class="jp-OutputArea-output" tabindex="0"' in done.stdout


class TestCollectorPaused:
    """``collector_paused`` turns Python's garbage collector off while a page is parsed and
    puts it back as it was, however the pauses nest or overlap between threads."""

    @pytest.fixture(autouse=True)
    def _collector_on(self):
        import gc

        was = gc.isenabled()
        gc.enable()
        yield
        if was:  # as it was before the test, whatever the test left
            gc.enable()
        else:
            gc.disable()

    def test_nested_pauses(self):
        import gc

        with render.collector_paused():
            assert not gc.isenabled()
            with render.collector_paused():
                assert not gc.isenabled()
            assert not gc.isenabled()
        assert gc.isenabled()

    def test_an_error_ends_the_pause(self):
        import gc

        with pytest.raises(ValueError), render.collector_paused():
            raise ValueError("in the page")
        assert gc.isenabled()

    def test_a_collector_that_was_off_stays_off(self):
        import gc

        gc.disable()
        with render.collector_paused():
            pass
        assert not gc.isenabled()

    def test_overlapping_pauses_in_two_threads(self):
        import gc
        import threading

        entered, first_done = threading.Event(), threading.Event()
        seen: list[bool] = []

        def second() -> None:
            with render.collector_paused():
                entered.set()
                first_done.wait(10)
                seen.append(gc.isenabled())

        thread = threading.Thread(target=second)
        with render.collector_paused():
            thread.start()
            entered.wait(10)
        first_done.set()  # the first pause ended while the second is under way
        thread.join(10)
        assert seen == [False] and gc.isenabled()


# --------------------------------------------------------------------------- the PDF's path


def _markdown_notebook(tmp_path: Path) -> Path:
    path = tmp_path / "md.ipynb"
    nbformat.write(new_notebook(cells=[new_markdown_cell("## Section\n\nSome text.")]), path)
    return path


def _pdf_threads() -> list[str]:
    import threading

    return [t.name for t in threading.enumerate() if t.name.startswith("edi-pdf")]


class TestPdfPath:
    """``render_report`` makes the PDF's markdown first, then runs pandoc and Typst beside
    the HTML page; Typst gets the fonts found once per process."""

    def test_shared_fonts_give_the_same_pdf(self, tmp_path):
        import typst

        (tmp_path / "r.typ").write_text(
            render.typst_document("= Heading\n\nSome *text*, 12.5%.", title="T"), encoding="utf-8"
        )
        options = {"root": str(tmp_path), "format": "pdf", "pdf_standards": ["ua-1"]}
        alone = typst.compile(str(tmp_path / "r.typ"), timestamp=0, **options)
        shared = typst.compile(
            str(tmp_path / "r.typ"), timestamp=0, font_paths=render._typst_fonts(), **options
        )
        assert shared == alone

    def test_typst_error_leaves_no_pdf_thread_or_folder(self, tmp_path, monkeypatch):
        scratch = tmp_path / "scratch"
        scratch.mkdir()
        monkeypatch.setattr(render.tempfile, "tempdir", str(scratch))
        monkeypatch.setattr(render, "markdown_to_typst", lambda markdown, title: "#let x = (")
        out = tmp_path / "out"
        with pytest.raises(render.RenderError, match="Typst could not build the PDF for"):
            render.render_report(_markdown_notebook(tmp_path), out, title="T", use_quarto=False)
        assert not (out / "report.pdf").exists()
        assert list(scratch.iterdir()) == [] and _pdf_threads() == []

    def test_page_error_waits_for_the_pdf_and_cleans_up(self, tmp_path, monkeypatch):
        scratch = tmp_path / "scratch"
        scratch.mkdir()
        monkeypatch.setattr(render.tempfile, "tempdir", str(scratch))

        def broken(*args, **kwargs):
            raise render.RenderError("page failed")

        monkeypatch.setattr(render, "_page_from_notebook", broken)
        out = tmp_path / "out"
        with pytest.raises(render.RenderError, match="page failed"):
            render.render_report(_markdown_notebook(tmp_path), out, title="T", use_quarto=False)
        assert (out / "report.pdf").read_bytes()[:4] == b"%PDF"  # finished, not cut off
        assert not (out / "index.html").exists()
        assert list(scratch.iterdir()) == [] and _pdf_threads() == []

    def test_missing_notebook(self, tmp_path):
        with pytest.raises(FileNotFoundError, match="executed notebook not found"):
            render.render_report(tmp_path / "none.ipynb", tmp_path, title="t", use_quarto=False)
        assert _pdf_threads() == []


def _finished_notebook(late: str = "") -> nbformat.NotebookNode:
    """A report notebook whose last cell (the published files) shows nothing, or ``late``."""
    shown = new_code_cell("")
    shown.outputs = [
        new_output("display_data", data={"text/markdown": "## Figures\n\nEarly words, 12.5%."})
    ]
    last = new_code_cell("", metadata={"tags": ["published-files"]})
    last.outputs = [new_output("stream", name="stdout", text=late)] if late else []
    return new_notebook(cells=[new_markdown_cell("# Report"), shown, last])


class TestEarlyPdf:
    """A PDF begun before the notebook finished (``begin_pdf``) is the one published only when
    the finished notebook gives the same source; otherwise it is made again."""

    @pytest.fixture
    def compiled(self, monkeypatch) -> list[str]:
        sources: list[str] = []
        made = render._pdf_bytes

        def counted(markdown, *args, **kwargs):
            sources.append(markdown)
            return made(markdown, *args, **kwargs)

        monkeypatch.setattr(render, "_pdf_bytes", counted)
        return sources

    def _render(self, tmp_path: Path, nb: nbformat.NotebookNode, early, **arguments) -> Path:
        path = tmp_path / "executed.ipynb"
        nbformat.write(nb, path)
        out = tmp_path / "out"
        render.render_report(path, out, use_quarto=False, early_pdf=early, **arguments)
        return out / "report.pdf"

    def test_the_same_source_is_compiled_once(self, tmp_path, compiled):
        so_far = _finished_notebook()
        so_far.cells[-1].outputs = []
        early = render.begin_pdf(so_far, title="T", author="Org", synthetic=True)
        pdf = self._render(
            tmp_path, _finished_notebook(), early, title="T", author="Org", synthetic=True
        )
        assert len(compiled) == 1 and "Early words" in compiled[0]
        assert pdf.read_bytes()[:4] == b"%PDF"

    @pytest.mark.parametrize(
        ("late", "changed"),
        [
            ("Late words printed by the last cell\n", {}),  # another source
            ("", {"synthetic": False}),  # another document
            ("", {"title": "Another title"}),
        ],
    )
    def test_a_different_source_or_document_is_made_again(self, tmp_path, compiled, late, changed):
        arguments = {"title": "T", "author": "Org", "synthetic": True}
        early = render.begin_pdf(_finished_notebook(), **arguments)
        self._render(tmp_path, _finished_notebook(late), early, **{**arguments, **changed})
        assert len(compiled) == 2  # the early one, then the one published
        if late:
            assert "Late words" in compiled[-1] and "Late words" not in compiled[0]

    def test_a_failed_early_pdf_is_made_again(self, tmp_path, monkeypatch):
        made, calls = render._pdf_bytes, []

        def fails_first(*args, **kwargs):
            calls.append(1)
            if len(calls) == 1:
                raise render.RenderError("Typst could not build the PDF")
            return made(*args, **kwargs)

        monkeypatch.setattr(render, "_pdf_bytes", fails_first)
        early = render.begin_pdf(_finished_notebook(), title="T")
        pdf = self._render(tmp_path, _finished_notebook(), early, title="T")
        assert len(calls) == 2 and pdf.read_bytes()[:4] == b"%PDF"


# --------------------------------------------------------------------------- template cache


class TestTemplateCache:
    """Compiled page templates are kept between processes (``offline._TemplateCache``):
    the same page from a cold cache, a warm one and a damaged one, and never a failed render
    because of the cache."""

    def test_every_page_template_environment_keeps_compiled_templates(self):
        cache = render._template_cache()
        assert isinstance(cache, render._TemplateCache)
        assert render._jinja().bytecode_cache is cache
        for make in (render._html_exporter, render._markdown_exporter):
            exporter, _ = make()
            assert exporter.environment.bytecode_cache is cache

    @staticmethod
    def _page(folder: Path) -> str:
        """The report page, its templates through a cache in ``folder``."""
        import jinja2

        environment = jinja2.Environment(
            loader=jinja2.FileSystemLoader(render._template_dir()),
            autoescape=jinja2.select_autoescape(["html", "j2"]),
            keep_trailing_newline=True,
            bytecode_cache=render._TemplateCache(str(folder)),
        )
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(render, "_jinja", lambda: environment)
            return render.render_page("<p>Body &amp; more</p>", title="T")

    def test_cold_warm_and_damaged_caches_give_the_same_page(self, tmp_path):
        cold = self._page(tmp_path)
        files = sorted(tmp_path.glob("__jinja2_*.cache"))
        assert files  # compiled code was kept
        assert self._page(tmp_path) == cold
        for path in files:
            path.write_bytes(b"\x00not a cache file")
        assert self._page(tmp_path) == cold
        for path in files:
            path.write_bytes(b"")
        assert self._page(tmp_path) == cold

    def test_a_folder_that_cannot_be_written_still_renders(self, tmp_path):
        folder = tmp_path / "gone"
        folder.mkdir()
        cold = self._page(folder)
        shutil.rmtree(folder)  # writing the cache now fails: the page is made all the same
        assert self._page(folder) == cold

    def test_a_changed_template_is_compiled_again(self, tmp_path):
        import jinja2

        templates = tmp_path / "templates"
        templates.mkdir()
        (templates / "t.j2").write_text("one {{ x }}", encoding="utf-8")

        def make() -> str:
            environment = jinja2.Environment(
                loader=jinja2.FileSystemLoader(templates),
                bytecode_cache=render._TemplateCache(str(tmp_path)),
            )
            return environment.get_template("t.j2").render(x=1)

        assert make() == "one 1"
        (templates / "t.j2").write_text("two {{ x }}", encoding="utf-8")
        assert make() == "two 1"


def test_pandoc_runtime_options_change_nothing_but_its_memory(monkeypatch):
    """``offline.PANDOC_RUNTIME`` sizes pandoc's garbage collector: the Typst it writes is the
    one pandoc writes with its defaults."""
    markdown = "\n\n".join(
        [
            "# Title",
            "Text with *emphasis*, `code` and a [link](#x).",
            "| Group | Staff |\n|:--|--:|\n| Women | 1,234 |\n| Men | \\* |",
            "::: {.callout}\nA callout.\n:::",
        ]
    )
    tuned = render.markdown_to_typst(markdown, "Title")
    monkeypatch.setattr(render, "PANDOC_RUNTIME", ())
    assert render.markdown_to_typst(markdown, "Title") == tuned
    assert "1,234" in tuned
    # a pandoc that refuses the options (built without -rtsopts) converts with its defaults
    monkeypatch.setattr(render, "PANDOC_RUNTIME", ("+RTS", "-Qrefused", "-RTS"))
    assert render.markdown_to_typst(markdown, "Title") == tuned


class TestTemplateCacheFolder:
    """Where compiled templates are kept: a private folder of the cache folder, else
    nowhere (they are run as code)."""

    def _cache(self, monkeypatch, folder):
        monkeypatch.setenv("EDI_CACHE_DIR", str(folder))
        render._template_cache.cache_clear()
        try:
            return render._template_cache()
        finally:
            render._template_cache.cache_clear()

    def test_made_private_in_the_cache_folder(self, tmp_path, monkeypatch):
        cache = self._cache(monkeypatch, tmp_path)
        folder = tmp_path / "edi-reports" / "templates"
        assert cache is not None and cache.directory == str(folder)
        assert folder.stat().st_mode & 0o777 == 0o700

    def test_a_folder_others_can_write_to_is_not_used(self, tmp_path, monkeypatch):
        folder = tmp_path / "edi-reports" / "templates"
        folder.mkdir(parents=True)
        folder.chmod(0o777)
        assert self._cache(monkeypatch, tmp_path) is None

    def test_a_link_in_its_place_is_not_used(self, tmp_path, monkeypatch):
        elsewhere = tmp_path / "elsewhere"
        elsewhere.mkdir(mode=0o700)
        (tmp_path / "edi-reports").mkdir()
        (tmp_path / "edi-reports" / "templates").symlink_to(elsewhere)
        assert self._cache(monkeypatch, tmp_path) is None

    def test_a_file_in_its_place_means_no_cache(self, tmp_path, monkeypatch):
        (tmp_path / "edi-reports").mkdir()
        (tmp_path / "edi-reports" / "templates").write_text("x", encoding="utf-8")
        assert self._cache(monkeypatch, tmp_path) is None
