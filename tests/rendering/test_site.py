"""Website index (edi_reports.rendering.site)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from hypothesis import given
from hypothesis import strategies as st

from edi_reports.rendering import site


def write_report(
    reports: Path,
    org: str,
    year: int,
    name: str,
    headline: list[dict],
    files: tuple[str, ...] = ("index.html", "report.pdf", "tables.csv", "tables.xlsx"),
) -> Path:
    folder = reports / org / str(year)
    folder.mkdir(parents=True)
    for f in files:
        (folder / f).write_bytes(b"x" * 2500)
    summary = {
        "org": org,
        "name": name,
        "year": year,
        "year_label": f"{year - 1}/{str(year)[-2:]}",
        "type": "Acute trust",
        "region": "London",
        "built": f"{year}-06-01T10:00:00",
        "headline": headline,
    }
    (folder / "summary.json").write_text(json.dumps(summary), encoding="utf-8")
    return folder


def gap(value: str) -> list[dict]:
    return [
        {"label": "Median gender pay gap", "value": value, "unit": "%"},
        {"label": "WRES 2: relative likelihood", "value": "1.59", "unit": ""},
    ]


@pytest.fixture()
def reports(tmp_path) -> Path:
    root = tmp_path / "reports"
    write_report(root, "RJZ", 2023, "King's College Hospital NHS Foundation Trust", gap("7.9"))
    write_report(root, "RJZ", 2024, "King's College Hospital NHS Foundation Trust", gap("6.7"))
    write_report(
        root,
        "QKS",
        2024,
        "NHS Kent and Medway ICB",
        [{"label": "Median gender pay gap", "value": "*", "unit": "%"}],
        files=("index.html", "report.pdf", "gpg_submission.csv"),
    )
    (root / "BAD" / "2024").mkdir(parents=True)
    (root / "BAD" / "2024" / "summary.json").write_text("{not json", encoding="utf-8")
    site.build_site(root, renderer="offline")  # the Quarto site: test_quarto_render.py
    return root


def parse(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def assert_accessible_shell(soup: BeautifulSoup, title: str) -> None:
    assert soup.html["lang"] == "en-GB"
    assert [h.get_text() for h in soup.find_all("h1")] == [title]
    assert soup.find("a", class_="skip-link")["href"] == "#main"
    assert soup.find("main")["id"] == "main"
    for el in soup.find_all(src=True):
        assert not re.match(r"(https?:)?//", el["src"])
    for a in soup.find_all("a", href=True):
        assert not re.match(r"(https?:)?//", a["href"]), a
    assert "vegaEmbed" not in str(soup)


def resolve(page: Path, href: str) -> Path:
    return (page.parent / href.split("#")[0]).resolve()


class TestIndex:
    def test_shell(self, reports):
        soup = parse(reports / "index.html")
        assert_accessible_shell(soup, "Workforce equality reports")
        assert [a["href"] for a in soup.find("nav", class_="toc").find_all("a")] == [
            "#organisations",
            "#all-reports",
        ]

    def test_table_of_organisations(self, reports):
        soup = parse(reports / "index.html")
        table = soup.find("table")
        assert table.caption.get_text().startswith("Organisations")
        headers = [th.get_text() for th in table.thead.find_all("th")]
        assert headers == [
            "Organisation",
            "Type",
            "Region",
            "Latest report",
            "Median gender pay gap",
            "WRES 2: relative likelihood",
        ]
        rows = table.tbody.find_all("tr")
        # sorted by name: King's before NHS Kent
        assert [r.th.a.get_text() for r in rows] == [
            "King's College Hospital NHS Foundation Trust",
            "NHS Kent and Medway ICB",
        ]
        assert [td.get_text() for td in rows[0].find_all("td")][3:] == ["6.7%", "1.59"]
        assert [td.get_text() for td in rows[1].find_all("td")][3:] == ["*", "n/a"]
        assert rows[0].find_all("td")[2].a["href"] == "RJZ/2024/index.html"

    def test_every_link_resolves(self, reports):
        index = reports / "index.html"
        hrefs = {a["href"] for a in parse(index).find_all("a", href=True)}
        assert "RJZ/2023/index.html" in hrefs and "QKS/index.html" in hrefs
        soup = parse(index)
        for href in hrefs:
            if href.startswith("#"):
                assert soup.find(id=href[1:]) is not None, href
            else:
                assert resolve(index, href).is_file(), href

    def test_bad_summary_skipped(self, reports):
        assert "BAD" not in (reports / "index.html").read_text(encoding="utf-8")
        assert not (reports / "BAD" / "index.html").exists()


class TestOrgPage:
    def test_years_and_downloads(self, reports):
        page = reports / "RJZ" / "index.html"
        soup = parse(page)
        assert_accessible_shell(
            soup, "King's College Hospital NHS Foundation Trust: equality information 2023/24"
        )
        years = soup.find("caption", id="tbl-years").find_parent("table")
        assert [r.th.get_text() for r in years.tbody.find_all("tr")] == ["2023/24", "2022/23"]
        links = [a["href"] for a in years.find_all("a")]
        assert links[:4] == [
            "2024/index.html",
            "2024/report.pdf",
            "2024/tables.csv",
            "2024/tables.xlsx",
        ]
        hrefs = {a["href"] for a in soup.find_all("a", href=True)}
        for href in hrefs:
            if href.startswith("#"):
                assert soup.find(id=href[1:]) is not None, href
            else:
                assert resolve(page, href).is_file(), href
        assert "PDF, 2 KB" in years.get_text() or "PDF, 3 KB" in years.get_text()
        assert "1 June 2024" in years.get_text()

    def test_trends_table(self, reports):
        soup = parse(reports / "RJZ" / "index.html")
        trends = soup.find("caption", id="tbl-trends").find_parent("table")
        assert [th.get_text() for th in trends.thead.find_all("th")] == [
            "Figure",
            "2022/23",
            "2023/24",
        ]
        first = trends.tbody.find("tr")
        assert first.th["scope"] == "row"
        assert [td.get_text() for td in first.find_all("td")] == ["7.9%", "6.7%"]

    def test_missing_files_shown_as_not_available(self, reports):
        soup = parse(reports / "QKS" / "index.html")
        row = soup.find("caption", id="tbl-years").find_parent("table").tbody.tr
        cells = row.find_all("td")
        assert cells[2].get_text() == "none"  # no action plan published
        assert cells[3].find("a")["href"] == "2024/gpg_submission.csv"
        assert "Tables" not in cells[3].get_text()

    def test_breadcrumb_to_index(self, reports):
        soup = parse(reports / "QKS" / "index.html")
        assert soup.find("nav", class_="breadcrumbs").a["href"] == "../index.html"


def test_empty_site(tmp_path):
    out = site.build_site(tmp_path / "reports")
    soup = parse(out)
    assert_accessible_shell(soup, "Workforce equality reports")
    assert "No reports have been built yet" in soup.main.get_text()


def test_html_is_escaped(tmp_path):
    root = tmp_path / "reports"
    write_report(root, "RX1", 2024, "<script>alert(1)</script> Trust", gap("1.0"))
    soup = parse(site.build_site(root))
    assert soup.find("script") is None
    assert "<script>alert(1)</script> Trust" in soup.get_text()


class TestFormatHeadline:
    @pytest.mark.parametrize(
        ("value", "unit", "expected"),
        [
            ("6.7", "%", "6.7%"),
            ("-1.2", "pp", "-1.2 pp"),
            ("1.59", "", "1.59"),
            ("1.59", None, "1.59"),
            ("*", "%", "*"),
            ("", "%", "n/a"),
            (None, "%", "n/a"),
            (3.5, "%", "3.5%"),
        ],
    )
    def test_golden(self, value, unit, expected):
        assert site.format_headline(value, unit) == expected

    @given(st.decimals(-100, 100, places=1, allow_nan=False), st.sampled_from(["%", "pp", ""]))
    def test_number_kept(self, value, unit):
        shown = site.format_headline(str(value), unit)
        assert shown.startswith(str(value))
        assert shown.endswith(unit)


def test_words_take_no_unit():
    from edi_reports.rendering.site import format_headline

    assert format_headline("not calculable", "%") == "not calculable"
    assert format_headline("*", "%") == "*"
    assert format_headline("-3.3", "pp") == "-3.3 pp"
