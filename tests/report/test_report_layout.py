"""A trust's own report from settings alone: sections hidden and reordered, logo, colour,
contact details, its own suppression symbol, four-fifths band and snapshot date, checked
on the built page and PDF, and by axe-core in Chromium.

One organisation, one year (a first report), built end to end in a temporary folder.
"""

from __future__ import annotations

import base64
import re
import shutil
import subprocess
import sys

import pytest
from bs4 import BeautifulSoup

from edi_reports.intake.synth import synthesise
from tests.browser import FAILING_IMPACTS, WCAG_TAGS, Visit, browser_test, describe

ORG, YEAR = "RJZ", 2025
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)
SETTINGS = """
disclosure:
  symbol: "[c]"
standards:
  rl_adverse_band: [0.75, 1.33]
gpg:
  snapshot_month_day: [4, 5]
report:
  directorates: true
  sections: [introduction, contact, summary, gender_pay_gap, ethnicity_pay_gap, wres, wdes,
             workforce_profile, directorates, intersections, privacy, data_quality]
"""
REPORT_YML = """
branding:
  logo: logo.png
  logo_alt: Example Trust logo
  colour: "#00594C"
  contact_name: Equality, diversity and inclusion team
  contact_email: equality@example.nhs.uk
  contact_web: https://example.nhs.uk/equality
"""


@pytest.fixture(scope="module")
def layout_build(tmp_path_factory):
    """The build's reports folder and what the command printed on standard error."""
    root = tmp_path_factory.mktemp("layout")
    dirs = {name: root / name for name in ("raw", "processed", "reports", "content")}
    synthesise([ORG], [YEAR], 300, 11, dirs["raw"], dirs["content"])
    orgs = dirs["raw"] / "organisations.csv"  # the organisation is not listed
    orgs.write_text(orgs.read_text().splitlines()[0] + "\n")
    own = dirs["content"] / ORG
    own.mkdir(parents=True, exist_ok=True)
    (own / "report.yml").write_text(REPORT_YML)
    (own / "logo.png").write_bytes(PNG)
    settings = root / "edi.yml"
    settings.write_text(SETTINGS)
    args = [f"--{k}-dir={v}" for k, v in dirs.items()] + ["--quiet", f"--config={settings}"]
    for found in own.rglob("summary.md"):  # no introduction: the note names the file
        found.unlink()
    proc = subprocess.run(
        [sys.executable, "-m", "edi_reports.cli", "build", "--org", ORG, "--year", str(YEAR)]
        + args,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    return dirs["reports"] / ORG / str(YEAR), proc.stderr


@pytest.fixture(scope="module")
def soup(layout_build):
    folder, _ = layout_build
    return BeautifulSoup((folder / "index.html").read_text(encoding="utf-8"), "html.parser")


@pytest.mark.slow
def test_sections_follow_the_settings(soup):
    ids = [h["id"] for h in soup.select("main h2[id]")]
    assert ids[:3] == ["introduction", "contact", "summary"]
    for hidden in ("benchmarking", "trends", "methodology", "action-plan", "objectives"):
        assert hidden not in ids
    assert "directorates" in ids and ids[-2:] == ["privacy", "data-quality"]


@pytest.mark.slow
def test_logo_colour_and_contact_details(soup):
    logo = soup.select_one("header .org-logo img")
    assert logo["alt"] == "Example Trust logo" and logo["src"].startswith("data:image/png;base64,")
    assert "--blue: #00594C" in soup.style.text
    contact = soup.find(id="contact").find_next("div").get_text(" ", strip=True)
    assert "equality@example.nhs.uk" in contact and "Equality, diversity and inclusion" in contact
    assert soup.select_one('a[href="mailto:equality@example.nhs.uk"]') is not None


@pytest.mark.slow
def test_settings_are_honoured_in_the_words(soup):
    text = " ".join(soup.get_text(" ").split())
    assert "Snapshot 5 April 2025" in text and "Snapshot 31 March" not in text
    assert "values outside 0.75 to 1.33 are flagged" in text
    assert "Four-fifths band (0.75 to 1.33)" in text and "0.80 to 1.25" not in text
    assert "[c] = suppressed to protect privacy" in text and "* = suppressed" not in text
    assert "shown as [c]" in text and "shown as *" not in text
    privacy = soup.find(id="privacy").find_next("div")
    assert privacy.find("em") is None and "shown as [c]" in privacy.get_text()


@pytest.mark.slow
def test_a_first_report_has_no_comparison_columns(soup):
    summary = soup.find(id="summary").find_next("table")
    headers = [th.get_text(strip=True) for th in summary.select("thead th")]
    assert headers == ["Indicator", "This year"]
    cells = {td.get_text(strip=True) for td in soup.select("main td")}
    assert not cells & {"no comparison", "Last year"}


@pytest.mark.slow
def test_unlisted_organisation_is_said_loudly(layout_build, soup):
    _, stderr = layout_build
    assert f"WARNING: {ORG} not listed in" in stderr
    after = soup.find(id="data-quality").find_all_next("aside")
    texts = [" ".join(a.get_text(" ").split()) for a in after]
    assert any("has no line in organisations.csv" in t for t in texts)


@pytest.mark.slow
def test_intro_note_names_the_organisations_content_folder(soup):
    codes = [c.get_text() for c in soup.find(id="introduction").find_all_next("code", limit=2)]
    assert codes == [f"content/{ORG}/summary.md", f"content/{ORG}/{YEAR}/summary.md"]


@pytest.mark.slow
def test_pdf_has_no_malformed_metadata(layout_build):
    folder, _ = layout_build
    if shutil.which("pdfinfo") is None:
        pytest.skip("poppler-utils is absent: apt-get install poppler-utils")
    done = subprocess.run(
        ["pdfinfo", str(folder / "report.pdf")], capture_output=True, text=True, check=True
    )
    assert "Suspects" not in done.stderr and "Syntax Error" not in done.stderr
    assert re.search(r"Tagged:\s+yes", done.stdout)


@browser_test
def test_branded_page_passes_axe(layout_build, browser, axe_script):  # noqa: F811
    folder, _ = layout_build
    for width in (1280, 390):
        # the page's Content-Security-Policy is bypassed only to inject axe-core
        visit = Visit(browser, folder / "index.html", width, bypass_csp=True)
        try:
            page = visit.page
            page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")
            page.add_script_tag(content=axe_script)
            result = page.evaluate(
                "tags => axe.run(document, {runOnly: {type: 'tag', values: tags},"
                " resultTypes: ['violations']})",
                WCAG_TAGS,
            )
            bad = [v for v in result["violations"] if v["impact"] in FAILING_IMPACTS]
            assert bad == [], f"{width}px: axe-core found\n{describe(bad)}"
            assert visit.errors == [] and visit.requests == []
        finally:
            visit.close()
