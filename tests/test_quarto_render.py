"""The Quarto renderer (edi_reports.quarto_render) against the offline one.

The unit tests run everywhere. The comparison tests need a ``quarto`` binary on PATH and
skip with the reason where there is none (CI has none): they render one small report with
both renderers and compare what a reader gets: the page's visible text, headings, tables
and charts, the shell (skip link, breadcrumbs, one ``<h1>``, language), no network
reference, and the PDF's tags, title, language and text.
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

from edi_reports import charts, display, quarto_render, render
from edi_reports.cli import main
from edi_reports.config import Settings
from edi_reports.errors import EdiError

TITLE = "King's College Hospital: workforce equality report 2023/24"
CRUMBS = [
    {"href": "../../index.html", "label": "All reports"},
    {"href": "../index.html", "label": "King's College Hospital"},
]
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
            "<main id='main'>```x```</main>",
            title=TITLE,
            lang="en-GB",
            description="Figures",
            subtitle="Snapshot 31 March 2024",
            breadcrumbs=CRUMBS,
        )
        front, body = doc.split("---\n", 2)[1:]
        meta = yaml.safe_load(front)
        html = meta["format"]["html"]
        assert html["embed-resources"] is True
        assert html["page-layout"] == "custom"  # Quarto adds no <main> of its own
        assert html["template-partials"] == ["title-block.html"]
        assert html["from"] == "markdown-smart"
        assert meta["pagetitle"] == quarto_render._literal(TITLE)
        assert meta["lang"] == "en-GB"
        assert [c["href"] for c in meta["edi-breadcrumbs"]] == ["../../index.html", "../index.html"]
        assert body.lstrip().startswith("````{=html}\n") and body.rstrip().endswith("````")

    def test_metadata_is_literal(self):
        assert quarto_render._literal("A *B* [c]") == r"A \*B\* \[c\]"

    def test_typst_document(self):
        doc = quarto_render.typst_document_source(
            "Body", title=TITLE, lang="en-GB", author="KCH", description="Figures"
        )
        meta = yaml.safe_load(doc.split("---\n", 2)[1])
        typst = meta["format"]["typst"]
        assert typst["pdf-standard"] == "ua-1"
        assert typst["filters"] == ["typst.lua"]
        assert typst["template-partials"] == ["typst-template.typ"]
        assert meta["lang"] == "en-GB"

    def test_repository_templates(self):
        names = {p.name for p in quarto_render.quarto_dir().iterdir()}
        assert {
            "edi.scss",
            "title-block.html",
            "skip-link.html",
            "typst.lua",
            "typst-template.typ",
            "edi.typ",
        } <= names
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


@pytest.mark.slow
@needs_quarto
class TestAgainstOffline:
    def test_same_reader_content(self, both):
        off, qua = _soup(both["offline"]["html"]), _soup(both["quarto"]["html"])
        assert _text(qua.find("main")) == _text(off.find("main"))
        assert [(h.name, _text(h)) for h in qua.find_all(re.compile("^h[1-6]$"))] == [
            (h.name, _text(h)) for h in off.find_all(re.compile("^h[1-6]$"))
        ]
        assert _tables(qua) == _tables(off)
        assert len(qua.select(".edi-chart svg")) == len(off.select(".edi-chart svg")) == 2
        assert [el["aria-label"] for el in qua.select(".edi-chart[role=img]")] == [
            el["aria-label"] for el in off.select(".edi-chart[role=img]")
        ]
        assert len(qua.select("details.edi-chart-data table")) == 2

    def test_page_shell(self, both):
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
        css = " ".join(_stylesheets(soup)).lower()  # compiled by Quarto's dart-sass
        assert "#005eb8" in css and ".skip-link" in css and ".site-header" in css

    def test_offline_page(self, both):
        page = both["quarto"]["html"].read_text(encoding="utf-8")
        soup = BeautifulSoup(page, "html.parser")
        for el in soup.find_all(["script", "link", "img", "iframe", "source"]):
            target = str(el.get("src") or el.get("href") or "")
            assert not re.match(r"^\s*(https?:)?//", target), target
        scripts = [str(el.get("src", "")) for el in soup.find_all("script")]
        assert all(src == "" or src.startswith("data:") for src in scripts), scripts
        assert not re.search(r"require(\.min)?\.js|jquery(\.min)?\.js", page)
        assert page.count('edi-vega-ready"));') == 1  # the Vega bundle, once

    def test_pdf(self, both):
        pdfinfo, pdftotext = shutil.which("pdfinfo"), shutil.which("pdftotext")
        if not (pdfinfo and pdftotext):
            pytest.skip("poppler-utils is not installed")
        pdf = both["quarto"]["pdf"]
        info = subprocess.run([pdfinfo, str(pdf)], capture_output=True, text=True).stdout
        meta = subprocess.run([pdfinfo, "-meta", str(pdf)], capture_output=True, text=True).stdout
        assert re.search(r"^Tagged:\s+yes$", info, flags=re.MULTILINE)
        assert re.search(rf"^Title:\s+{re.escape(TITLE)}$", info, flags=re.MULTILINE)
        assert "<pdfuaid:part>1</pdfuaid:part>" in meta and "en-GB" in meta

        def words(path: Path) -> list[str]:
            out = subprocess.run([pdftotext, str(path), "-"], capture_output=True, text=True)
            return re.findall(r"[\w%*.'’]+", out.stdout.replace("’", "'"))

        offline, quarto = words(both["offline"]["pdf"]), words(pdf)
        # every word of the offline PDF's body is in Quarto's (the offline one adds a footer)
        missing = sorted(set(offline) - set(quarto) - {"Page", "of", "1", "2", "3"})
        assert missing == [], missing
        assert quarto.count("6.7%") == offline.count("6.7%")


@pytest.fixture(scope="module")
def sites(tmp_path_factory) -> dict[str, Path]:
    """The same website (two organisations) built by each renderer."""
    import json

    from edi_reports import site

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
