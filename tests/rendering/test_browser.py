"""A rendered report in headless Chromium with the network disabled: charts draw offline."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from bs4 import BeautifulSoup
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from edi_reports.rendering import offline as render
from edi_reports.report import charts, display

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")


def chromium(tmp: Path, *args: str) -> subprocess.CompletedProcess:
    if not CHROMIUM.exists():
        pytest.skip("/usr/bin/chromium is absent (apt-get install chromium)")
    cmd = [
        str(CHROMIUM),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--proxy-server=127.0.0.1:9",
        "--proxy-bypass-list=<-loopback>",
        f"--user-data-dir={tmp / 'chromium-profile'}",
        "--virtual-time-budget=5000",
        "--hide-scrollbars",
        *args,
    ]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=90, check=True)


def stub_notebook() -> nbformat.NotebookNode:
    """An executed report notebook made without a kernel, from the display helpers."""
    quarters = pd.DataFrame(
        {
            "Quarter": ["Lower", "Lower", "Upper", "Upper"],
            "Sex": ["Women", "Men", "Women", "Men"],
            "Share": [80.3, 19.7, 61.2, 38.8],
        }
    )
    gaps = pd.DataFrame({"Measure": ["Mean", "Median"], "Gap": [6.7, -1.2]})
    objects = [
        display.heading("Gender pay gap"),
        display.md("Short narrative with a very long word: " + "equality" * 12),
        display.table(
            pd.DataFrame({f"Column {i}": [f"{i}.5"] * 3 for i in range(14)}),
            "Table 1. A wide table",
        ),
        display.chart(
            charts.gap_chart(gaps, group="Measure", value="Gap", title="Gaps"),
            alt="Women's mean hourly pay is 6.7% lower than men's.",
            caption="Figure 1. Gender pay gaps",
        ),
        display.heading("Pay quarters"),
        display.chart(
            charts.stacked_share_chart(
                quarters, category="Quarter", group="Sex", value="Share", title="Quarters"
            ),
            alt="Women are 80.3% of the lower quarter.",
            caption="Figure 2. Pay quarters",
        ),
    ]
    nb = new_notebook()
    nb.cells = [new_markdown_cell("# Report")]
    for obj in objects:
        data, meta = obj._repr_mimebundle_()
        cell = new_code_cell("...", execution_count=1)
        cell.outputs = [new_output("display_data", data=data, metadata=meta)]
        nb.cells.append(cell)
    return nb


@pytest.fixture(scope="module")
def page(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("browser")
    nb_path = tmp / "executed.ipynb"
    nbformat.write(stub_notebook(), str(nb_path))
    return render.render_html(nb_path, tmp / "site" / "index.html", title="Report")


def test_charts_drawn_offline(page, tmp_path):
    dom = chromium(tmp_path, "--dump-dom", page.as_uri()).stdout
    soup = BeautifulSoup(dom, "html.parser")
    figures = soup.find_all(class_="edi-chart")
    assert len(figures) == 2
    for fig in figures:
        assert fig["role"] == "img" and fig["aria-label"]  # not overwritten by vega
        assert fig.get("data-drawn") == "1"
        assert not fig.get("data-error"), fig.get("data-error")
        canvas = fig.find(class_="edi-chart-canvas")
        assert "vega-embed" in canvas["class"]  # drawn by vega-embed, not the static SVG
        assert canvas.find("svg", class_="marks") or canvas.find("canvas")


def test_screenshot(page, tmp_path):
    shot = tmp_path / "report.png"
    chromium(tmp_path, "--window-size=1280,1600", f"--screenshot={shot}", page.as_uri())
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert len(data) > 10_000


def test_reflows_at_320_css_pixels(page, tmp_path):
    """400 % zoom of a 1280 px window: no horizontal page scrolling (WCAG 1.4.10)."""
    probe = page.parent / "probe.html"
    # the probe script is not one of the page's own: drop the page's Content-Security-Policy
    html = re.sub(
        r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", page.read_text(encoding="utf-8")
    )
    script = (
        "<script>window.addEventListener('load',function(){setTimeout(function(){"
        "document.body.setAttribute('data-overflow',"
        "String(document.documentElement.scrollWidth - window.innerWidth));},500);});"
        "</script></body>"
    )
    probe.write_text(html.replace("</body>", script), encoding="utf-8")
    dom = chromium(tmp_path, "--window-size=320,900", "--dump-dom", probe.as_uri()).stdout
    body = BeautifulSoup(dom, "html.parser").body
    assert int(body["data-overflow"]) <= 0
