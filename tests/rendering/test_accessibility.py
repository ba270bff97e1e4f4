"""WCAG 2.2 AA checks of real published pages in headless Chromium.

One small organisation is built end to end into a temporary folder (two years, so the site
has an organisation page with a trends table), then the website index, the organisation
page and the latest full report are opened in Debian's Chromium, driven by Playwright,
with networking disabled. On each page:

- axe-core (the copy vendored by the ``axe-playwright-python`` wheel) runs the WCAG 2.0,
  2.1 and 2.2 level A and AA rules, with every chart's data table opened; any serious or
  critical violation fails;
- any console error, uncaught exception or request to a non-``file:`` URL fails;
- the page has ``lang="en-GB"``, one ``<h1>``, headings that never skip a level, and a
  skip link that is the first thing to take focus and is visible when it does;
- at 320 CSS pixels wide (a 1280 px window at 400 % zoom) the page does not scroll
  sideways (WCAG 1.4.10).

The report page's charts each need a text alternative that states the finding and a data
table with a caption and header cells; the PDF must be tagged and carry its title.

Fast unit tests at the end pin the fixes these checks led to (number alignment, PDF
table widths, chart markup).

Skips, with the reason, when Chromium, Playwright or the axe-core wheel is absent
(``.ci/run`` installs Chromium; ``pip install -e '.[test]'`` installs the rest).
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from bs4 import BeautifulSoup

from edi_reports.cli import main
from edi_reports.intake.synth import synthesise
from edi_reports.rendering.equality_page import write_demo_content
from edi_reports.report import charts, display
from tests.browser import (
    FAILING_IMPACTS,
    Visit,
    axe_violations,
    browser_test,
    describe,
)

ORG, YEAR = "RJZ", 2025
#: The pages checked: the site index, an organisation page and a full report.
PAGES = {
    "site index": "index.html",
    "organisation page": f"{ORG}/index.html",
    "accessibility statement": "accessibility.html",
    "report": f"{ORG}/{YEAR}/index.html",
}
#: The website's own pages: no axe-core violation of any impact, at desktop and phone width.
SITE_PAGES = ("site index", "organisation page", "accessibility statement")


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """A small demo built end to end (two years) with its website; the reports folder."""
    root = tmp_path_factory.mktemp("a11y")
    dirs = {name: root / name for name in ("raw", "processed", "reports", "content")}
    synthesise([ORG], [YEAR - 1, YEAR], 300, 5, dirs["raw"], dirs["content"])
    write_demo_content(dirs["content"])  # commitment, objectives.yaml, contact
    args = [f"--{k}-dir={v}" for k, v in dirs.items()] + ["--quiet"]
    assert main(["build", "--all", *args]) == 0
    assert main(["site", *args]) == 0
    return dirs["reports"]


@pytest.fixture(scope="module")
def visits(built, browser) -> Iterator[dict[str, Visit]]:
    """Each page opened once at desktop width (1280 CSS px). The pages' Content-Security-
    Policy is bypassed here only so that axe-core can be injected; the 320 px visits keep
    it, so a script or style the policy blocks is still a console error there."""
    opened = {
        name: Visit(browser, built / rel, 1280, bypass_csp=True) for name, rel in PAGES.items()
    }
    yield opened
    for visit in opened.values():
        visit.close()


@browser_test
@pytest.mark.parametrize("name", list(PAGES))
def test_axe_wcag_aa(name, visits, axe_script):
    visit = visits[name]
    violations = axe_violations(visit.page, axe_script)
    bad = [v for v in violations if v["impact"] in FAILING_IMPACTS or name in SITE_PAGES]
    assert bad == [], f"{name}: axe-core found\n{describe(bad)}"
    assert visit.errors == [], f"{name}: {visit.errors}"
    assert visit.requests == [], f"{name} asked the network for {visit.requests}"


@browser_test
@pytest.mark.parametrize("name", list(PAGES))
def test_page_structure_and_skip_link(name, visits):
    page = visits[name].page
    facts = page.evaluate(
        """() => {
          const levels = Array.from(document.querySelectorAll('h1,h2,h3,h4,h5,h6'))
            .filter(h => h.getClientRects().length).map(h => Number(h.tagName[1]));
          return {lang: document.documentElement.lang, title: document.title, levels,
                  main: !!document.querySelector('main#main')};
        }"""
    )
    assert facts["lang"] == "en-GB" and facts["title"].strip() and facts["main"]
    levels = facts["levels"]
    assert levels.count(1) == 1 and levels[0] == 1, levels
    jumps = [(a, b) for a, b in zip(levels, levels[1:], strict=False) if b > a + 1]
    assert jumps == [], f"{name}: heading levels skip {jumps}"
    page.evaluate("window.scrollTo(0, 0); document.activeElement.blur()")
    page.keyboard.press("Tab")
    focused = page.evaluate(
        """() => { const el = document.activeElement, r = el.getBoundingClientRect();
          const css = getComputedStyle(el);
          return {cls: el.className, href: el.getAttribute('href'), top: r.top,
                  height: r.height, bg: css.backgroundColor}; }"""
    )
    assert focused["cls"] == "skip-link" and focused["href"] == "#main"
    assert focused["top"] >= 0 and focused["height"] > 0, "skip link not visible on focus"
    assert focused["bg"] not in ("rgba(0, 0, 0, 0)", "transparent"), "no visible focus style"


@browser_test
@pytest.mark.parametrize("name", list(PAGES))
def test_reflows_at_320_css_pixels(name, built, browser):
    """400 % zoom of a 1280 px window: no horizontal page scrolling (WCAG 1.4.10)."""
    visit = Visit(browser, built / PAGES[name], 320)
    try:
        overflow = visit.page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{name} scrolls sideways by {overflow}px at 320 px"
        assert visit.errors == []
    finally:
        visit.close()


@browser_test
@pytest.mark.parametrize("name", SITE_PAGES)
def test_site_pages_at_phone_width(name, built, browser, axe_script):
    """390 CSS px (a phone): no axe-core violation and no sideways scrolling. The policy is
    bypassed only to inject axe-core; the 320 px visits keep it."""
    visit = Visit(browser, built / PAGES[name], 390, bypass_csp=True)
    try:
        overflow = visit.page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{name} scrolls sideways by {overflow}px at 390 px"
        bad = axe_violations(visit.page, axe_script)
        assert bad == [], f"{name} at 390 px: axe-core found\n{describe(bad)}"
        assert visit.errors == [] and visit.requests == []
    finally:
        visit.close()


@browser_test
def test_organisation_page_charts_every_characteristic(visits):
    """The equality page: one chart per protected characteristic held, each with its
    finding and data table, and the compliance panel."""
    facts = visits["organisation page"].page.evaluate(
        """() => ({
          figures: Array.from(document.querySelectorAll('#workforce ~ h3')).map(h => h.textContent),
          drawn: Array.from(document.querySelectorAll('.edi-chart')).map(c => c.dataset.drawn),
          tables: document.querySelectorAll('figure .edi-chart-data table caption').length,
          panel: document.querySelectorAll('#compliance-list li').length,
        })"""
    )
    assert {"Age", "Disability", "Ethnic background", "Sex", "Sexual orientation"} <= set(
        facts["figures"]
    ), facts
    assert facts["drawn"] and set(facts["drawn"]) == {"1"}, facts
    assert facts["tables"] == len(facts["drawn"])
    assert facts["panel"] == 8


@browser_test
def test_every_chart_has_its_finding_and_data_table(visits):
    figures = visits["report"].page.evaluate(
        """() => Array.from(document.querySelectorAll('figure.edi-figure')).map(fig => {
          const chart = fig.querySelector('.edi-chart');
          const table = fig.querySelector('table');
          return {
            caption: (fig.querySelector('figcaption') || {}).textContent || '',
            role: chart && chart.getAttribute('role'),
            alt: chart && chart.getAttribute('aria-label'),
            finding: (fig.querySelector('.edi-finding') || {}).textContent || '',
            drawn: chart && chart.dataset.drawn, error: chart && chart.dataset.error,
            tableCaption: table && table.caption ? table.caption.textContent : '',
            colHeaders: table ? table.querySelectorAll('thead th[scope=col]').length : 0,
          };
        })"""
    )
    assert len(figures) >= 2, "the demo report should have charts"
    for fig in figures:
        assert fig["caption"].strip(), fig
        assert fig["role"] == "img" and len(fig["alt"]) > 20, fig
        assert fig["finding"].strip() == fig["alt"].strip(), fig
        assert any(ch.isdigit() for ch in fig["alt"]), f"the alt text states no figure: {fig}"
        assert fig["drawn"] == "1" and not fig["error"], fig
        assert fig["tableCaption"].strip() and fig["colHeaders"] >= 2, fig


@browser_test
def test_pdf_is_tagged_with_title(built):
    pdfinfo = shutil.which("pdfinfo")
    if pdfinfo is None:
        pytest.skip("pdfinfo is absent: apt-get install poppler-utils (.ci/run does this)")
    pdf = built / ORG / str(YEAR) / "report.pdf"
    info = subprocess.run([pdfinfo, str(pdf)], capture_output=True, text=True, check=True).stdout
    fields = dict(
        (k.strip(), v.strip()) for k, _, v in (line.partition(":") for line in info.splitlines())
    )
    summary = json.loads((pdf.parent / "summary.json").read_text(encoding="utf-8"))
    assert fields.get("Tagged") == "yes", info
    title = fields.get("Title", "")
    assert summary["name"] in title and summary["year_label"] in title, info


# --------------------------------------------------------------------------- the fixes, fast


def test_suppressed_only_and_not_calculable_columns_align_as_numbers():
    df = pd.DataFrame(
        {
            "Group": ["A", "B"],
            "Mean bonus gap": ["*", "*"],
            "Last year": ["1.5%", "not calculable"],
            "Note": ["", ""],
        }
    )
    assert display.numeric_columns(df) == ["Mean bonus gap", "Last year"]


def test_pdf_table_columns_fit_their_longest_word():
    long = "Ethnicity pay gap (BME against White), median hourly pay"
    df = pd.DataFrame(
        {
            "Measure": [long] * 2,
            "National lower quartile": ["not shown"] * 2,
            "Where this organisation stands": ["not shown: fewer than 5 organisations"] * 2,
        }
    )
    rule = display.table(df, "Caption").markdown.splitlines()[1]
    widths = [len(cell) for cell in rule.strip("|").split("|")]
    assert widths[1] >= len("quartile") + 1 and widths[2] >= len("organisations") + 1
    assert widths[0] > widths[1]  # the long label column gets the most room


def test_chart_drawing_is_hidden_behind_its_text_alternative():
    gaps = pd.DataFrame({"Group": ["Asian", "Black"], "Gap (%)": [9.9, 12.4]})
    spec = charts.gap_chart(gaps, group="Group", value="Gap (%)", title="Gaps").to_dict()
    marks = [layer.get("mark") for layer in spec["layer"]]
    # no label layer for negative gaps when there are none (Vega warns on empty data)
    assert len(marks) == 3
    assert {"type": "rule", "color": charts.TEXT, "strokeWidth": 1.5, "aria": False} in marks
    out = display.chart(spec, alt="BME staff are paid 12.4% less.", caption="Figure 1")
    soup = BeautifulSoup(out.html, "html.parser")
    chart = soup.find(class_="edi-chart")
    assert chart["role"] == "img" and chart["aria-label"] == "BME staff are paid 12.4% less."
    assert chart.find(class_="edi-chart-canvas")["aria-hidden"] == "true"
