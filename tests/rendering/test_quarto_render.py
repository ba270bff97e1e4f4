"""The Quarto renderer (edi_reports.rendering.quarto) against the offline one.

The unit tests run everywhere. The comparison tests need a ``quarto`` binary on PATH and
skip with the reason where there is none (CI has none): they render one small report with
both renderers and compare what a reader gets: the page's visible text, headings, tables
and charts, the shell (skip link, breadcrumbs, one ``<h1>``, language), no network
reference, and the PDF's tags, title, language and text. The report is synthetic and branded, so the
synthetic-data mark, the logo and the colour are compared too; the Quarto page is opened in
headless Chromium under its Content-Security-Policy (no violation, no request) and checked
with axe-core.
"""

from __future__ import annotations

import base64
import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import unquote

import nbformat
import pandas as pd
import pytest
import yaml
from bs4 import BeautifulSoup
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from edi_reports.cli import main
from edi_reports.config import Settings
from edi_reports.errors import EdiError
from edi_reports.rendering import csp
from edi_reports.rendering import offline as render
from edi_reports.rendering import quarto as quarto_render
from edi_reports.report import charts, display
from edi_reports.report.branding import Brand, darker

TITLE = "King's College Hospital: workforce equality report 2023/24"
CRUMBS = [
    {"href": "../../index.html", "label": "All reports"},
    {"href": "../index.html", "label": "King's College Hospital"},
]
#: A 1x1 PNG: the organisation's logo of the compared report.
PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
BRAND = Brand(
    colour="#00594C",
    colour_dark=darker("#00594C"),
    logo_mime="image/png",
    logo_base64=PNG,
    logo_alt="King's College Hospital logo",
)
needs_quarto = pytest.mark.skipif(
    shutil.which("quarto") is None,
    reason="no `quarto` on PATH: the Quarto comparison runs where Quarto is installed",
)


def report_notebook() -> nbformat.NotebookNode:
    """An executed-looking report notebook made from display objects (no kernel)."""
    gaps = pd.DataFrame(
        {
            "Measure": ["Mean hourly pay", "Median hourly pay", "Mean bonus pay"],
            "Gap (%)": ["6.7", "4.2", "*"],
        }
    )
    plot = pd.DataFrame({"Measure": ["Mean hourly pay", "Median hourly pay"], "Gap": [6.7, 4.2]})
    quarters = pd.DataFrame(
        {
            "Quarter": ["Lower", "Lower", "Upper", "Upper"],
            "Sex": ["Women", "Men", "Women", "Men"],
            "Share": [80.3, 19.7, 61.2, 38.8],
        }
    )
    outputs = [
        display.heading(TITLE, level=1),
        display.heading("Summary"),
        display.md("This report sets out **King's College Hospital**'s figures for 2023/24."),
        display.heading("Gender pay gap"),
        display.table(
            gaps,
            "Table 1. Gender pay gaps, 31 March 2024",
            notes="* suppressed: fewer than 10 men received a bonus.",
        ),
        display.chart(
            charts.gap_chart(plot, group="Measure", value="Gap", title="Gender pay gap"),
            alt="Women's mean hourly pay is 6.7% lower than men's; the median is 4.2% lower.",
            caption="Figure 1. Gender pay gaps",
        ),
        display.callout("The mean bonus gap is not published: fewer than 10 men received one."),
        display.heading("Pay quarters"),
        display.chart(
            charts.stacked_share_chart(
                quarters,
                category="Quarter",
                group="Sex",
                value="Share",
                title="Pay quarters by sex",
            ),
            alt="Women are 80.3% of the lower pay quarter and 61.2% of the upper quarter.",
            caption="Figure 2. Pay quarters by sex",
        ),
    ]
    nb = new_notebook()
    for obj in outputs:
        data, meta = obj._repr_mimebundle_()
        cell = new_code_cell("x = 1", execution_count=1)
        cell.outputs = [new_output("display_data", data=data, metadata=meta)]
        nb.cells.append(cell)
    nb.cells.append(new_markdown_cell("## About these figures\n\nFigures of 7 or fewer are `*`."))
    return nb


# --------------------------------------------------------------------------- everywhere


class TestChoice:
    @pytest.mark.parametrize(
        ("requested", "on_path", "expected"),
        [
            ("auto", True, "quarto"),
            ("auto", False, "offline"),
            ("offline", True, "offline"),
            ("offline", False, "offline"),
            ("quarto", True, "quarto"),
            ("QUARTO ", True, "quarto"),
        ],
    )
    def test_resolve(self, monkeypatch, requested, on_path, expected):
        monkeypatch.setattr(shutil, "which", lambda name: "/bin/quarto" if on_path else None)
        assert quarto_render.resolve_renderer(requested) == expected

    def test_environment_then_auto(self, monkeypatch):
        monkeypatch.setattr(shutil, "which", lambda name: "/bin/quarto")
        monkeypatch.setenv("EDI_RENDERER", "offline")
        assert quarto_render.resolve_renderer(None) == "offline"
        monkeypatch.delenv("EDI_RENDERER")
        assert quarto_render.resolve_renderer(None) == "quarto"

    def test_quarto_asked_for_but_absent_is_a_plain_error(self, monkeypatch, tmp_path):
        monkeypatch.setattr(shutil, "which", lambda name: None)
        with pytest.raises(EdiError, match="--renderer offline"):
            render.render_report(tmp_path / "x.ipynb", tmp_path, title="t", renderer="quarto")

    def test_unknown_renderer(self):
        with pytest.raises(EdiError, match="unknown renderer 'latex'"):
            quarto_render.resolve_renderer("latex")

    def test_setting(self):
        assert Settings().render.renderer == "auto"
        assert Settings.from_dict({"render": {"renderer": "offline"}}).render.renderer == "offline"
        with pytest.raises(ValueError, match="render.renderer"):
            Settings.from_dict({"render": {"renderer": "word"}})

    def test_cli_flag_is_scoped_to_the_command(self, monkeypatch, tmp_path, capsys):
        monkeypatch.delenv("EDI_RENDERER", raising=False)
        code = main(["site", "--renderer", "offline", f"--reports-dir={tmp_path}", "--quiet"])
        assert code == 0
        assert "EDI_RENDERER" not in __import__("os").environ


class TestDocuments:
    def test_html_document(self):
        doc = quarto_render.html_document(
            "<main id='main'>```x```</main>", title=TITLE, lang="en-GB", description="Figures"
        )
        front, body = doc.split("---\n", 2)[1:]
        meta = yaml.safe_load(front)
        html = meta["format"]["html"]
        assert html["embed-resources"] is True
        assert html["page-layout"] == "custom"  # Quarto adds no <main> of its own
        assert html["title-block-style"] == "none"  # the page's own header band has the <h1>
        assert html["include-after-body"] == ["after-body.html"]
        assert html["from"] == "markdown-smart"
        assert meta["pagetitle"] == quarto_render._literal(TITLE)
        assert meta["lang"] == "en-GB" and meta["description-meta"] == "Figures"
        assert body.lstrip().startswith("````{=html}\n") and body.rstrip().endswith("````")

    def test_page_parts_are_the_offline_shell(self):
        """The Quarto page's header band, contents and footer come from the offline page's
        own partials: the same breadcrumbs, logo, synthetic-data mark and footer."""
        content, end = quarto_render._page_parts(
            "<h2 id='a'>A</h2><details><summary>Data</summary></details>",
            title=TITLE,
            toc=[{"id": "a", "text": "A"}, {"id": "b", "text": "B"}],
            subtitle="Snapshot 31 March 2024",
            breadcrumbs=CRUMBS,
            synthetic_note=render.synthetic_sentence(),
            brand=BRAND,
        )
        offline = render.render_page(
            "<h2 id='a'>A</h2><details><summary>Data</summary></details>",
            title=TITLE,
            toc=[{"id": "a", "text": "A"}, {"id": "b", "text": "B"}],
            subtitle="Snapshot 31 March 2024",
            breadcrumbs=CRUMBS,
            synthetic_note=render.synthetic_sentence(),
            brand=BRAND,
        )
        ours, theirs = (
            BeautifulSoup(content + end, "html.parser"),
            BeautifulSoup(offline, "html.parser"),
        )
        for selector in ("header.site-header", "nav.toc", "main", "footer.site-footer"):
            assert _text(ours.select_one(selector)) == _text(theirs.select_one(selector))
        assert "quarto-title-block" in ours.header["class"]  # Quarto moves no <h1>
        assert ours.select_one(".synthetic-mark strong").get_text() == render.SYNTHETIC_TITLE + "."
        assert ours.select_one(".org-logo img")["src"] == BRAND.logo_data_uri
        assert ours.select_one("script#edi-print-details") is not None

    def test_theme_takes_the_organisation_colour(self):
        plain, branded = quarto_render._theme_scss(), quarto_render._theme_scss(BRAND)
        assert "$nhs-blue: #00594C;" not in plain and "--blue: #00594C" not in plain
        head, _, rules = branded.partition("/*-- scss:rules --*/")
        assert "$nhs-blue: #00594C;" in head  # before the house default (!default)
        assert "--blue: #00594C" in rules  # and the shared page rules' colour

    def test_finish_page_keeps_only_own_scripts_and_adds_the_policy(self):
        css = "body{color:#212b32}"
        icons = '@font-face{font-family: "bootstrap-icons";src:url(data:font/woff;base64,AA)}'
        page = (
            '<html><head><meta charset="utf-8">'
            f'<link href="data:text/css;base64,{base64.b64encode(css.encode()).decode()}" '
            'rel="stylesheet" id="quarto-bootstrap">'
            f"<style>{icons}</style>"
            '<script src="data:application/javascript;base64,AA=="></script>'
            "</head><body><main id='main'><p>x</p><script>alert(1)</script></main>"
            '<script id="edi-print-details">/* print */</script>'
            '<script id="quarto-html-after-body">window.x=1</script></body></html>'
        )
        out = quarto_render.finish_page(page, include_vega=False)
        soup = BeautifulSoup(out, "html.parser")
        assert [s.get("id") for s in soup.find_all("script")] == [None, "edi-print-details"]
        assert [s.get_text().strip() for s in soup.find_all("style")] == [css]
        assert soup.find("link") is None and "bootstrap-icons" not in out
        policy = soup.find("meta", attrs={"http-equiv": "Content-Security-Policy"})["content"]
        assert policy.startswith("default-src 'none';")
        assert csp._source("/* print */") in policy
        assert csp._source(soup.find("style").string) in policy
        assert csp._source("alert(1)") not in policy  # not this package's chart script
        with pytest.raises(quarto_render.QuartoRenderError, match="refers to the network"):
            quarto_render.finish_page(
                '<script src="https://cdn.example/x.js"></script>', include_vega=False
            )

    def test_metadata_is_literal(self):
        assert quarto_render._literal("A *B* [c]") == r"A \*B\* \[c\]"

    def test_typst_document(self):
        doc = quarto_render.typst_document_source("Body", title=TITLE, lang="en-GB")
        meta = yaml.safe_load(doc.split("---\n", 2)[1])
        typst = meta["format"]["typst"]
        assert typst["pdf-standard"] == "ua-1"
        # the offline renderer's filter, before Quarto reads floats and callouts
        assert typst["filters"] == [{"path": "typst-filter.lua", "at": "pre-ast"}]
        assert typst["from"] == render.PANDOC_READER
        assert typst["include-in-header"] == ["edi-layout.typ"]
        assert typst["include-before-body"] == ["edi-title.typ"]
        assert typst["template-partials"] == ["typst-template.typ"]
        assert meta["lang"] == "en-GB"

    def test_typst_parts_are_the_offline_layout(self):
        """Quarto's PDF gets report.typ itself: running header with the synthetic-data mark,
        footer with the organisation and page x of y, the colour, the title block."""
        layout, title_block = quarto_render.typst_parts(
            title=TITLE, lang="en-GB", author="King's College Hospital", synthetic=True, brand=BRAND
        )
        offline = render.typst_document(
            "BODY",
            title=TITLE,
            lang="en-GB",
            author="King's College Hospital",
            synthetic=True,
            brand=BRAND,
        )
        assert offline.startswith(layout) and title_block in offline
        assert "Page #counter(page).display() of" in layout and 'rgb("#00594C")' in layout
        assert 'synthetic = "' + render.SYNTHETIC_TITLE in layout
        assert "#heading(level: 1)[#doc-title]" in title_block and "edi-logo.png" in layout
        assert "{{" not in layout + title_block and "BODY" not in layout + title_block

    def test_repository_templates(self):
        names = {p.name for p in quarto_render.quarto_dir().iterdir()}
        assert {"edi.scss", "skip-link.html", "typst-template.typ"} <= names
        scss = quarto_render._theme_scss()
        assert "/*-- scss:defaults --*/" in scss and "/*-- scss:rules --*/" in scss
        assert "$primary: $nhs-blue" in scss and ".skip-link" in scss  # page rules appended
        assert "@import url(" not in scss and "googleapis" not in scss

    def test_quarto_failure_names_renderer_and_fallback(self, tmp_path, monkeypatch):
        fake = tmp_path / "bin" / "quarto"
        fake.parent.mkdir()
        fake.write_text(
            "#!/bin/sh\necho 'ERROR: \033[31mTypst compilation failed\033[0m' >&2\nexit 1\n"
        )
        fake.chmod(0o755)
        monkeypatch.setenv("PATH", f"{fake.parent}:/usr/bin:/bin")
        with pytest.raises(quarto_render.QuartoRenderError) as info:
            quarto_render._run_quarto("report.qmd", "typst", tmp_path, "the PDF")
        message = str(info.value)
        assert "the Quarto renderer failed to make the PDF" in message
        assert "Typst compilation failed" in message and "\033" not in message
        assert "--renderer offline" in message
        assert isinstance(info.value, EdiError)  # the CLI prints it without a traceback


# --------------------------------------------------------------------------- with Quarto


@pytest.fixture(scope="module")
def both(tmp_path_factory) -> dict[str, dict[str, Path]]:
    """The same report rendered by each renderer."""
    tmp = tmp_path_factory.mktemp("renderers")
    nb_path = tmp / "executed.ipynb"
    nbformat.write(report_notebook(), str(nb_path))
    out = {}
    for name in ("offline", "quarto"):
        out[name] = render.render_report(
            nb_path,
            tmp / name,
            title=TITLE,
            author="King's College Hospital",
            description="Workforce equality figures",
            subtitle="Snapshot 31 March 2024",
            breadcrumbs=CRUMBS,
            renderer=name,
            synthetic=True,
            branding=BRAND,
        )
    return out


def _soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def _text(el) -> str:
    return " ".join(el.get_text(" ", strip=True).split())


def _stylesheets(soup: BeautifulSoup) -> list[str]:
    """The text of every stylesheet: inline ``<style>`` and embedded ``data:`` links."""
    out = [el.get_text() for el in soup.find_all("style")]
    for link in soup.find_all("link", rel="stylesheet"):
        href = str(link.get("href", ""))
        head, _, data = href.partition(",")
        if head.startswith("data:"):
            raw = base64.b64decode(data).decode() if head.endswith(";base64") else unquote(data)
            out.append(raw)
    return out


def _tables(soup: BeautifulSoup) -> list[list[list[str]]]:
    return [
        [[_text(c) for c in tr.find_all(["th", "td"])] for tr in t.find_all("tr")]
        + [[_text(t.caption) if t.caption else ""]]
        for t in soup.find_all("table")
    ]


def _pdf_pages(path: Path) -> list[str]:
    pdftotext = shutil.which("pdftotext")
    if not pdftotext:
        pytest.skip("poppler-utils is not installed")
    out = subprocess.run([pdftotext, "-layout", str(path), "-"], capture_output=True, text=True)
    return [" ".join(p.replace("’", "'").split()) for p in out.stdout.split("\f") if p.strip()]


@pytest.mark.slow
@needs_quarto
class TestAgainstOffline:
    def test_same_reader_content(self, both):
        off, qua = _soup(both["offline"]["html"]), _soup(both["quarto"]["html"])
        for selector in ("header.site-header", "nav.toc", "main", "footer.site-footer"):
            assert _text(qua.select_one(selector)) == _text(off.select_one(selector)), selector
        assert [(h.name, _text(h)) for h in qua.find_all(re.compile("^h[1-6]$"))] == [
            (h.name, _text(h)) for h in off.find_all(re.compile("^h[1-6]$"))
        ]
        assert _tables(qua) == _tables(off)
        assert len(qua.select(".edi-chart svg")) == len(off.select(".edi-chart svg")) == 2
        assert [el["aria-label"] for el in qua.select(".edi-chart[role=img]")] == [
            el["aria-label"] for el in off.select(".edi-chart[role=img]")
        ]
        assert len(qua.select("details.edi-chart-data table")) == 2

    def test_page_shell_synthetic_mark_and_branding(self, both):
        soup = _soup(both["quarto"]["html"])
        assert soup.html["lang"] == "en-GB"
        assert _text(soup.title) == TITLE
        assert len(soup.find_all("h1")) == 1 and _text(soup.h1) == TITLE
        assert len(soup.find_all("main")) == 1 and soup.main["id"] == "main"
        first_link = soup.body.find("a")
        assert "skip-link" in first_link["class"] and first_link["href"] == "#main"
        crumbs = soup.select("nav.breadcrumbs a")
        assert [(a["href"], _text(a)) for a in crumbs] == [(c["href"], c["label"]) for c in CRUMBS]
        assert soup.select_one("footer.site-footer")
        mark = soup.select_one("header .synthetic-mark[role=note]")
        assert mark is not None and render.SYNTHETIC_TITLE in _text(mark)
        logo = soup.select_one("header .org-logo img")
        assert logo["src"] == BRAND.logo_data_uri and logo["alt"] == BRAND.logo_alt
        css = " ".join(_stylesheets(soup)).lower()  # compiled by Quarto's dart-sass
        assert "#00594c" in css and ".skip-link" in css and ".site-header" in css

    def test_offline_page_and_policy(self, both):
        """No network reference, no script of Quarto's, the same policy as offline pages."""
        page = both["quarto"]["html"].read_text(encoding="utf-8")
        soup = BeautifulSoup(page, "html.parser")
        for el in soup.find_all(["script", "link", "img", "iframe", "source"]):
            target = str(el.get("src") or el.get("href") or "")
            assert not re.match(r"^\s*(https?:)?//", target), target
        assert soup.find("script", src=True) is None and soup.find("link") is None
        outside = [s.get("id") for s in soup.find_all("script") if not s.find_parent("main")]
        assert outside == ["edi-print-details", "edi-vega"]
        assert not re.search(
            r"require(\.min)?\.js|jquery(\.min)?\.js|Bootstrap v5|bootstrap-icons", page
        )
        assert page.count('edi-vega-ready"));') == 1  # the Vega bundle, once
        meta = soup.find("meta", attrs={"http-equiv": "Content-Security-Policy"})
        assert meta is not None and meta is soup.head.find("meta", attrs={"http-equiv": True})
        policy = meta["content"]
        assert (
            policy.startswith("default-src 'none';")
            and "'unsafe-inline'" not in policy.split("style-src-attr")[0]
        )
        for script in soup.find_all("script"):  # every script that runs, by its hash
            if script.get("type") != "application/json":  # data blocks never run
                assert csp._source(script.string or "") in policy
        for style in soup.find_all("style"):
            assert csp._source(style.string or "") in policy
        offline = both["offline"]["html"].read_text(encoding="utf-8")
        assert "Content-Security-Policy" in offline  # the offline page carries one too

    def test_pdf(self, both):
        pdfinfo = shutil.which("pdfinfo")
        if not pdfinfo:
            pytest.skip("poppler-utils is not installed")
        pdf = both["quarto"]["pdf"]
        info = subprocess.run([pdfinfo, str(pdf)], capture_output=True, text=True).stdout
        meta = subprocess.run([pdfinfo, "-meta", str(pdf)], capture_output=True, text=True).stdout
        assert re.search(r"^Tagged:\s+yes$", info, flags=re.MULTILINE)
        assert re.search(rf"^Title:\s+{re.escape(TITLE)}$", info, flags=re.MULTILINE)
        assert "<pdfuaid:part>1</pdfuaid:part>" in meta and "en-GB" in meta
        pages = _pdf_pages(pdf)
        for number, text in enumerate(pages, start=1):  # running header and footer
            assert "Synthetic demonstration data" in text, number
            assert f"King's College Hospital Page {number} of {len(pages)}" in text, number
        # the same words as the offline PDF, page by page (one layout, report.typ)
        assert pages == _pdf_pages(both["offline"]["pdf"])


@pytest.mark.slow
@pytest.mark.browser
@needs_quarto
def test_quarto_page_in_chromium(both):
    """The Quarto page under its own policy: charts drawn, no policy violation or other
    console error, no request; then axe-core (the policy bypassed only to inject it)."""
    from tests.browser import (
        CHROMIUM_ARGS,
        WCAG_TAGS,
        Visit,
        chromium_path,
        describe,
    )

    sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright is absent")
    base = pytest.importorskip("axe_playwright_python.base", reason="axe-core is absent")
    axe = Path(base.AXE_FILE_PATH).read_text(encoding="utf-8")
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        try:
            for width in (1280, 320):
                visit = Visit(browser, both["quarto"]["html"], width)
                drawn = visit.page.evaluate(
                    "Array.from(document.querySelectorAll('.edi-chart')).map(e => !!e.dataset.drawn)"
                )
                overflow = visit.page.evaluate(
                    "document.documentElement.scrollWidth - document.documentElement.clientWidth"
                )
                visit.close()
                assert drawn == [True, True], drawn
                assert visit.errors == [] and visit.requests == [], (visit.errors, visit.requests)
                assert overflow <= 0, f"scrolls sideways by {overflow}px at {width} px"
            visit = Visit(browser, both["quarto"]["html"], 1280, bypass_csp=True)
            visit.page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
            visit.page.add_script_tag(content=axe)
            result = visit.page.evaluate(
                "tags => axe.run(document, {runOnly: {type: 'tag', values: tags},"
                " resultTypes: ['violations']})",
                WCAG_TAGS,
            )
            visit.close()
            assert result["violations"] == [], describe(result["violations"])
        finally:
            browser.close()


@pytest.fixture(scope="module")
def sites(tmp_path_factory) -> dict[str, Path]:
    """The same website (two organisations) built by each renderer."""
    import json

    from edi_reports.rendering import site

    out = {}
    for name in ("offline", "quarto"):
        root = tmp_path_factory.mktemp(f"site-{name}")
        for org, label, year, value in [
            ("RJZ", "King's College Hospital", 2024, "6.7"),
            ("RJZ", "King's College Hospital", 2025, "5.9"),
            ("QKS", "NHS Kent and Medway ICB", 2025, "*"),
        ]:
            folder = root / org / str(year)
            folder.mkdir(parents=True)
            (folder / "index.html").write_text("report", encoding="utf-8")
            summary = {
                "org": org,
                "name": label,
                "year": year,
                "type": "Acute trust",
                "region": "London",
                "built": f"{year}-06-01T10:00:00",
                "headline": [{"label": "Median gender pay gap", "value": value, "unit": "%"}],
            }
            (folder / "summary.json").write_text(json.dumps(summary), encoding="utf-8")
        site.build_site(root, renderer=name)
        out[name] = root
    return out


@pytest.mark.slow
@needs_quarto
@pytest.mark.parametrize("page", ["index.html", "RJZ/index.html"])
def test_quarto_website_matches_offline(sites, page):
    off, qua = _soup(sites["offline"] / page), _soup(sites["quarto"] / page)
    assert _text(qua.find("main")) == _text(off.find("main"))
    assert [_text(h) for h in qua.find_all(re.compile("^h[1-6]$"))] == [
        _text(h) for h in off.find_all(re.compile("^h[1-6]$"))
    ]
    assert _tables(qua) == _tables(off)
    assert [a["href"] for a in qua.find_all("a")] == [a["href"] for a in off.find_all("a")]
    assert qua.html["lang"] == "en-GB" and _text(qua.title) == _text(off.title)
    assert len(qua.find_all("main")) == 1 and len(qua.find_all("h1")) == 1
    assert qua.body.find("a")["href"] == "#main"
    for el in qua.find_all(["script", "link", "img"]):
        target = str(el.get("src") or el.get("href") or "")
        assert not re.match(r"^\s*(https?:)?//", target), target
    assert not (sites["quarto"] / "site_libs").exists()  # every page is self-contained
    assert qua.find("meta", attrs={"http-equiv": "Content-Security-Policy"}) is not None
    assert qua.find("script", src=True) is None and qua.find("link") is None
