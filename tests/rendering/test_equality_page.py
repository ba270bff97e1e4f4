"""The organisation's equality information page and its compliance check
(edi_reports.rendering.equality_page)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from bs4 import BeautifulSoup
from hypothesis import given, settings
from hypothesis import strategies as st

from edi_reports.config import Settings, Site
from edi_reports.errors import InputError
from edi_reports.rendering import equality_page as ep
from edi_reports.rendering import site

TODAY = date(2026, 11, 27)
#: A day when the 2026 snapshot's pay gaps (30 March 2027) and WRES/WDES (31 October 2026)
#: are both due.
LATER = date(2027, 4, 15)
CONTACT = ep.Contact(email="equality@example.org")


def facts(year: int, **kw) -> ep.YearFacts:
    base = dict(
        built=date(year, 9, 1),
        headcount=800,
        employee_information=True,
        gpg=True,
        gpg_submission=True,
        wres=True,
        wdes=True,
        action_plan=True,
        pay_gap_actions=frozenset({"gender pay gap", "ethnicity pay gap", "disability pay gap"}),
    )
    base.update(kw)
    return ep.YearFacts(year=year, **base)


def current_objectives() -> ep.Objectives:
    return ep.Objectives(source="objectives.yaml", published=date(2024, 3, 28))


def check(years, objectives=None, contact=CONTACT, org_type="ICB", today=TODAY):
    reqs = ep.check_compliance(
        years,
        objectives if objectives is not None else current_objectives(),
        contact,
        org_type=org_type,
        today=today,
    )
    return {r.requirement: r for r in reqs}


def by_start(reqs: dict, start: str) -> ep.Requirement:
    return next(r for name, r in reqs.items() if name.startswith(start))


# --------------------------------------------------------------------------- compliance


class TestCompliance:
    def test_everything_met(self):
        reqs = check([facts(2025), facts(2026)], today=LATER)
        assert {r.status for r in reqs.values()} == {"met"}, reqs
        assert len(reqs) == 8

    @pytest.mark.parametrize(
        ("change", "requirement", "status", "words"),
        [
            # reg 4(2): last published more than 12 months ago
            ({"built": date(2026, 4, 1)}, "Equality information", "out of date", "1 April 2027"),
            # reg 4(3): the latest year holds no employee information
            ({"employee_information": False}, "Information about employees", "missing", "2025/26"),
            # Schedule 1: no gender pay gap figures in the year that is due
            ({"gpg": False}, "Gender pay gap", "missing", "30 March 2027"),
            (
                {"wres": False},
                "WRES",
                "missing",
                "No WRES figures for 2025/26 (due by 31 October 2026); the latest published are 2024/25.",
            ),
            ({"wdes": False}, "WDES", "missing", "No WDES figures"),
            ({"action_plan": False}, "WRES", "missing", "no action plan"),
            ({"action_plan": False}, "Pay gap improvement plan", "missing", "no action plan"),
            (
                {"pay_gap_actions": frozenset({"gender pay gap", "ethnicity pay gap"})},
                "Pay gap improvement plan",
                "missing",
                "disability pay gap",
            ),
            ({"headcount": 149}, "Information about employees", "not applicable", "149"),
            ({"headcount": 249}, "Gender pay gap", "not applicable", "250"),
        ],
    )
    def test_each_gap_is_flagged(self, change, requirement, status, words):
        req = by_start(check([facts(2025), facts(2026, **change)], today=LATER), requirement)
        assert req.status == status, req
        assert words in req.detail, req

    def test_a_year_with_no_employee_information(self):
        reqs = check([facts(2023), facts(2024), facts(2026, built=date(2026, 9, 1))])
        req = by_start(reqs, "Information about employees")
        assert req.status == "missing"
        assert req.detail == "No employee information for 2024/25."

    def test_objectives_older_than_four_years(self):
        old = ep.Objectives(source="objectives.yaml", published=date(2021, 3, 30))
        req = by_start(check([facts(2026)], old), "Equality objectives")
        assert req.status == "out of date"
        assert "30 March 2025" in req.detail
        # one day inside the four years is still met
        fresh = ep.Objectives(source="objectives.yaml", published=date(2022, 11, 27))
        assert by_start(check([facts(2026)], fresh), "Equality objectives").status == "met"

    def test_undated_and_absent_objectives(self):
        md = ep.Objectives(source="objectives.md", markdown="Our objectives")
        assert by_start(check([facts(2026)], md), "Equality objectives").status == "check"
        reqs = ep.check_compliance([facts(2026)], None, CONTACT, org_type="ICB", today=TODAY)
        assert by_start({r.requirement: r for r in reqs}, "Equality objectives").status == "missing"

    def test_no_contact_for_other_formats(self):
        req = by_start(check([facts(2026)], contact=ep.Contact()), "Published in a manner")
        assert req.status == "missing" and "contact" in req.detail

    def test_nhs_standards_do_not_apply_to_other_bodies(self):
        reqs = check([facts(2026)], org_type="Local authority")
        for start in ("WRES", "WDES", "Pay gap improvement plan"):
            assert by_start(reqs, start).status == "not applicable"

    def test_no_reports(self):
        reqs = ep.check_compliance([], None, CONTACT, org_type="ICB", today=TODAY)
        assert [r.status for r in reqs] == ["missing"]


@pytest.mark.parametrize("deadline", [(3, 30), (10, 31)])
@settings(derandomize=True, max_examples=100)
@given(today=st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 1, 1)))
def test_due_year_is_the_latest_snapshot_past_its_deadline(deadline, today):
    year = ep.due_year(today, deadline)
    offset = 1 if deadline <= (3, 31) else 0  # 30 March falls in the year after the snapshot

    def deadline_of(y: int) -> date:
        return date(y + offset, *deadline)

    assert deadline_of(year) < today <= deadline_of(year + 1)


@pytest.mark.parametrize(
    ("today", "deadline", "expected"),
    [
        (date(2026, 3, 30), (3, 30), 2024),  # the 2025 snapshot is due by 30 March 2026
        (date(2026, 3, 31), (3, 30), 2025),
        (date(2025, 10, 31), (10, 31), 2024),
        (date(2025, 11, 1), (10, 31), 2025),
    ],
)
def test_due_year_golden(today, deadline, expected):
    assert ep.due_year(today, deadline) == expected


# --------------------------------------------------------------------------- content


OBJECTIVES_YAML = """\
published: 2024-03-28
start: 2024-04-01
end: 2028-03-31
objectives:
  - title: Fair progression
    description: Close the gap at band 8a and above.
    progress:
      2025: Targets set for every care group.
      2025/26: Panel training for every chair.
  - title: Fair pay
    end: 2026-03-31
"""


class TestObjectives:
    def test_structured(self, tmp_path):
        (tmp_path / "objectives.yaml").write_text(OBJECTIVES_YAML, encoding="utf-8")
        obj = ep.load_objectives(tmp_path)
        assert obj.published == date(2024, 3, 28)
        first, second = obj.items
        assert first.progress == (
            ("2024/25", "Targets set for every care group."),
            ("2025/26", "Panel training for every chair."),
        )
        assert (second.start, second.end) == (date(2024, 4, 1), date(2026, 3, 31))
        md = ep.objectives_markdown(obj)
        assert "### Fair progression" in md
        assert "*Period: April 2024 to March 2028.*" in md
        assert "- **2024/25**: Targets set for every care group." in md
        assert "No progress has been recorded yet." in md

    def test_markdown_still_works(self, tmp_path):
        (tmp_path / "objectives.md").write_text("# Our objectives\n\n1. Fair pay\n", "utf-8")
        obj = ep.load_objectives(tmp_path)
        assert obj.source == "objectives.md" and obj.published is None
        assert ep.objectives_markdown(obj).startswith("### Our objectives")

    def test_none(self, tmp_path):
        assert ep.load_objectives(tmp_path) is None

    @pytest.mark.parametrize(
        ("text", "words"),
        [
            ("objectives: [", "not valid YAML"),
            ("published: 2024-03-28\n", "no list of objectives"),
            ("objectives:\n  - description: no title\n", "has no title"),
            ("objectives:\n  - title: A\n    progress:\n      24: ok\n", "not a financial year"),
            (
                "objectives:\n  - title: A\n    progress:\n      2024/26: ok\n",
                "not a financial year",
            ),
            ("published: yesterday\nobjectives:\n  - title: A\n", "not a date"),
            ("colour: blue\nobjectives:\n  - title: A\n", "unknown key"),
            ("objectives:\n  - title: A\n    owner: B\n", "unknown key"),
            (
                "objectives:\n  - title: A\n    start: 2025-01-01\n    end: 2024-01-01\n",
                "before it starts",
            ),
        ],
    )
    def test_bad_file_gets_a_plain_answer(self, tmp_path, text, words):
        (tmp_path / "objectives.yaml").write_text(text, encoding="utf-8")
        with pytest.raises(InputError) as err:
            ep.load_objectives(tmp_path)
        assert words in str(err.value)
        assert "objectives.yaml" in str(err.value)

    def test_oversized_file_refused(self, tmp_path):
        (tmp_path / "objectives.yaml").write_text("#" * (ep.MAX_CONTENT_BYTES + 1), "utf-8")
        with pytest.raises(InputError, match="larger than"):
            ep.load_objectives(tmp_path)


class TestContact:
    def test_content_overrides_settings(self, tmp_path):
        settings_ = Settings(site=Site(contact_email="site@example.org", response_days=5))
        assert ep.load_contact(tmp_path, settings_) == ep.Contact("site@example.org", "", 5)
        (tmp_path / "contact.yaml").write_text("phone: 01632 960 000\n", "utf-8")
        assert ep.load_contact(tmp_path, settings_) == ep.Contact(
            "site@example.org", "01632 960 000", 5
        )

    @pytest.mark.parametrize("text", ["email: not an address\n", "fax: 1\n", "response_days: 0\n"])
    def test_bad_contact(self, tmp_path, text):
        (tmp_path / "contact.yaml").write_text(text, "utf-8")
        with pytest.raises(InputError, match="contact.yaml"):
            ep.load_contact(tmp_path)


@pytest.mark.parametrize(
    ("values", "words"),
    [
        ({"compliance_status": "mostly"}, "compliance_status"),
        ({"review_months": 13}, "review_months"),
        ({"contact_email": "nobody"}, "contact_email"),
        ({"tested_on": "last week"}, "tested_on"),
    ],
)
def test_site_settings_validated(values, words):
    with pytest.raises(ValueError, match=words):
        Settings.from_dict({"site": values})


def test_site_settings_do_not_change_the_report_fingerprint():
    assert (
        Settings().fingerprint()
        == Settings.from_dict(
            {
                "site": {
                    "operator": "Weald and Downs ICB (fictional)",
                    "tested_on": date(2025, 6, 30),
                }
            }
        ).fingerprint()
    )


# --------------------------------------------------------------------------- figures


def published(year: int, shares: dict[str, dict[str, str]], n: str = "800") -> pd.DataFrame:
    rows = [
        {
            "table": "profile",
            "measure": f"profile.{key}",
            "breakdown": "overall",
            "group": g,
            "reference_group": "",
            "value": v,
            "unit": "pct",
            "n": n,
            "note": "",
        }
        for key, groups in shares.items()
        for g, v in groups.items()
    ]
    rows.append(
        {
            "table": "profile",
            "measure": "profile.gender_reassignment",
            "breakdown": "overall",
            "group": "",
            "reference_group": "",
            "value": "",
            "unit": "pct",
            "n": "",
            "note": "not available: not recorded in the workforce file",
        }
    )
    return pd.DataFrame(rows)


def test_characteristic_tables_every_year_and_absent_ones():
    tables = {
        2024: published(2024, {"sex": {"Female": "75.0", "Male": "25.0"}}),
        2025: published(
            2025,
            {"sex": {"Female": "76.3", "Male": "23.7"}, "disability": {"Yes": "*", "No": "90.0"}},
        ),
    }
    shown, absent = ep.characteristic_tables(tables)
    assert [c.key for c in shown] == ["disability", "sex"]  # Equality Act order
    assert "Gender reassignment" in absent and "Age" in absent
    sex = shown[1]
    assert sex.table.to_dict("list") == {
        "Group": ["Female", "Male"],
        "2023/24 (%)": ["75.0", "25.0"],
        "2024/25 (%)": ["76.3", "23.7"],
    }
    assert (
        sex.finding
        == "Sex, 2024/25: the largest group is Female (76.3% of 800 staff), 75.0% in 2023/24."
    )
    disability = shown[0]
    assert disability.table["2023/24 (%)"].tolist() == ["n/a", "n/a"]
    assert disability.table["2024/25 (%)"].tolist() == ["*", "90.0"]
    # a suppressed share is never drawn as a number
    assert disability.chart_data.to_dict("list") == {
        "Group": ["No"],
        "Year": ["2024/25"],
        "Share (%)": [90.0],
    }


def test_headline_rows_status_against_last_year():
    def tables(gap: str, rl: str) -> pd.DataFrame:
        return pd.DataFrame(
            [
                {
                    "measure": "gpg.median_hourly_gap",
                    "breakdown": "overall",
                    "group": "",
                    "reference_group": "",
                    "value": gap,
                },
                {
                    "measure": "wres.2",
                    "breakdown": "overall",
                    "group": "",
                    "reference_group": "",
                    "value": rl,
                },
            ]
        )

    rows = ep.headline_rows(tables("6.7", "1.40"), tables("7.9", "1.59"))
    assert rows.to_dict("records") == [
        {
            "Figure": "Median gender pay gap",
            "This year": "6.7%",
            "Last year": "7.9%",
            "Status": "1.2 pp better",
        },
        {
            "Figure": "WRES 2: likelihood of White applicants being appointed from shortlisting "
            "compared with BME applicants",
            "This year": "1.40",
            "Last year": "1.59",
            "Status": "0.19 better",
        },
    ]
    assert ep.headline_rows(tables("6.7", "*"), None)["Last year"].tolist() == [
        "not available",
        "not available",
    ]


# --------------------------------------------------------------------------- demo content


def test_demo_content(tmp_path):
    written = ep.write_demo_content(tmp_path)
    names = {p.relative_to(tmp_path).as_posix() for p in written}
    assert {"DEMO2/objectives.yaml", "DEMO1/objectives.yaml", "DEMO3/commitment.md"} <= names
    assert "DEMO3/objectives.yaml" not in names
    demo2 = ep.load_objectives(tmp_path / "DEMO2")
    assert demo2.published == date(2021, 3, 30) and len(demo2.items) == 4
    # the ICB's objectives are deliberately out of date: the panel flags them
    req = by_start(check([facts(2025)], demo2), "Equality objectives")
    assert req.status == "out of date"
    # a real EDI team's file is never overwritten; the demo's own files are
    (tmp_path / "DEMO1" / "commitment.md").write_text("Our own words.", "utf-8")
    again = ep.write_demo_content(tmp_path)
    assert (tmp_path / "DEMO1" / "commitment.md").read_text("utf-8") == "Our own words."
    assert tmp_path / "DEMO2" / "objectives.yaml" in again


# --------------------------------------------------------------------------- the site


def write_year(root: Path, org: str, year: int, tables: pd.DataFrame, plan: bool = True) -> None:
    folder = root / org / str(year)
    folder.mkdir(parents=True)
    for name in ("index.html", "report.pdf", "tables.xlsx"):
        (folder / name).write_bytes(b"x" * 1500)
    tables.to_csv(folder / "tables.csv", index=False)
    summary = {
        "org": org,
        "name": "Weald and Downs ICB (fictional)",
        "year": year,
        "year_label": f"{year - 1}/{str(year)[-2:]}",
        "type": "ICB",
        "region": "South East",
        "built": f"{year}-09-01T10:00:00+00:00",
        "headline": [{"label": "Median gender pay gap", "value": "4.0", "unit": "%"}],
        "content": {"summary": True, "actions": plan, "objectives": True},
    }
    (folder / "summary.json").write_text(json.dumps(summary), encoding="utf-8")


@pytest.fixture(scope="module")
def built_site(tmp_path_factory) -> Path:
    tmp_path = tmp_path_factory.mktemp("site")
    root = tmp_path / "reports"
    sexes = {"sex": {"Female": "75.0", "Male": "25.0"}, "age": {"Under 25": "*", "25-54": "70.0"}}
    write_year(root, "DEMO2", 2024, published(2024, sexes), plan=False)
    write_year(root, "DEMO2", 2025, published(2025, sexes))
    content = tmp_path / "content"
    ep.write_demo_content(content)
    site.build_site(root, content_dir=content, today=date(2025, 12, 1))
    return root


def test_org_page(built_site):
    page = built_site / "DEMO2" / "index.html"
    soup = BeautifulSoup(page.read_text("utf-8"), "html.parser")
    assert soup.title.get_text() == "Weald and Downs ICB (fictional): equality information 2024/25"
    assert "2024/25" in soup.find("meta", attrs={"name": "description"})["content"]
    sections = [h.get_text() for h in soup.main.find_all("h2")]
    assert sections[:4] == [
        "Our aim and commitment",
        "What the equality duty asks",
        "Equality objectives",
        "Our workforce at a glance",
    ]
    assert {"Reports", "Ask for this information in another format"} <= set(sections)
    assert [h.get_text() for h in soup.select("#workforce ~ h3")][:2] == ["Age", "Sex"]
    assert len(soup.select("figure.edi-figure")) == 2
    # published 1 September 2025, reviewed within 12 months
    facts_ = soup.find("dl", class_="key-facts").get_text(" ", strip=True)
    assert "1 September 2025" in facts_ and "1 September 2026" in facts_
    # the demo ICB's objectives are flagged, and the year without an action plan shows none
    flagged = [
        li.p.get_text(" ", strip=True) for li in soup.select("#compliance-list .req-out-of-date")
    ]
    assert flagged == [
        "Out of date: Equality objectives published in the last four years (SI 2017/353 reg 5)"
    ]
    years = soup.find("caption", id="tbl-years").find_parent("table")
    plans = [r.find_all("td")[2].get_text() for r in years.tbody.find_all("tr")]
    assert plans == ["Action plan 2024/25", "none"]
    assert soup.find("a", href="mailto:equality@demo2.example.org") is not None
    # every relative link resolves; no page asset comes from the network
    for a in soup.find_all("a", href=True):
        href = a["href"]
        if href.startswith("#"):
            assert soup.find(id=href[1:]) is not None, href
        elif not href.startswith("mailto:"):
            assert (page.parent / href.split("#")[0]).resolve().is_file(), href
    for el in soup.find_all(src=True):
        assert not el["src"].startswith(("http:", "https:", "//"))


def test_accessibility_statement(built_site):
    soup = BeautifulSoup((built_site / "accessibility.html").read_text("utf-8"), "html.parser")
    assert soup.h1.get_text() == "Accessibility statement for Workforce equality reports"
    headings = [h.get_text() for h in soup.main.find_all(["h2", "h3"])]
    for wanted in (
        "How accessible this website is",
        "Feedback and contact information",
        "Reporting accessibility problems with this website",
        "Enforcement procedure",
        "Technical information about this website's accessibility",
        "Compliance status",
        "Preparation of this accessibility statement",
    ):
        assert wanted in headings
    text = soup.main.get_text(" ", strip=True)
    assert (
        "partially compliant with the Web Content Accessibility Guidelines version 2.2 AA "
        "standard: the tests below found no non-compliance" in text
    )
    assert "No date has been recorded for the last test" in text
    assert "(No. 2) Accessibility Regulations 2018" in text
    assert soup.find("a", href="https://www.equalityadvisoryservice.com/") is not None
    assert "Weald and Downs ICB (fictional)" in text
    index = BeautifulSoup((built_site / "index.html").read_text("utf-8"), "html.parser")
    assert index.find("a", href="accessibility.html") is not None


def test_statement_filled_from_settings(tmp_path):
    settings_ = Settings.from_dict(
        {
            "site": {
                "operator": "Weald and Downs ICB (fictional)",
                "contact_email": "access@example.org",
                "compliance_status": "partially",
                "known_issues": ["Older PDF reports are not tagged (WCAG 1.3.1)."],
                "tested_on": "2025-06-30",
                "tested_by": "our digital team",
            }
        }
    )
    site.build_site(tmp_path, settings=settings_, today=TODAY)
    text = BeautifulSoup((tmp_path / "accessibility.html").read_text("utf-8"), "html.parser")
    words = " ".join(text.main.get_text(" ", strip=True).split())
    assert "This website is run by Weald and Downs ICB (fictional)." in words
    assert "Weald and Downs ICB (fictional) is committed to making this website accessible" in words
    assert "Older PDF reports are not tagged (WCAG 1.3.1)." in words
    assert "2.2 AA standard, due to the non-compliances listed below." in words
    assert "last tested on 30 June 2025. The test was carried out by our digital team." in words
    assert text.find("a", href="mailto:access@example.org") is not None


def test_no_content_says_what_is_missing(tmp_path):
    root = tmp_path / "reports"
    write_year(root, "DEMO2", 2025, published(2025, {"sex": {"Female": "75.0", "Male": "25.0"}}))
    site.build_site(root, today=TODAY)
    text = (root / "DEMO2" / "index.html").read_text("utf-8")
    assert "has not supplied its statement of commitment" in text
    assert "has not supplied its equality objectives" in text
    assert "No contact has been given" in text


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2025, 8, 31), 6, date(2026, 2, 28)),
        (date(2024, 2, 29), 12, date(2025, 2, 28)),
        (date(2023, 2, 28), 12, date(2024, 2, 28)),
        (date(2025, 1, 31), 1, date(2025, 2, 28)),
        (date(2021, 3, 30), 48, date(2025, 3, 30)),
    ],
)
def test_add_months_keeps_the_day_or_the_month_end(start, months, expected):
    assert ep._add_months(start, months) == expected


@pytest.mark.parametrize(
    ("day", "today", "due_text"),
    [
        # on 27 November 2026 a 31 October deadline has passed for the 2026 snapshot...
        ("31 October", date(2026, 11, 27), "due by 31 October 2026"),
        # ...a 30 November one has not, so the 2025 snapshot is the one due
        ("30 November", date(2026, 11, 27), "due by 30 November 2025"),
    ],
)
def test_standards_publication_day_sets_the_wres_deadline(day, today, due_text):
    """``standards.publication_day`` names the WRES/WDES deadline and decides which year is due."""
    settings = Settings.from_dict({"standards": {"publication_day": day}})
    reqs = ep.check_compliance(
        [facts(2024), facts(2025, wres=False), facts(2026, wres=False)],
        current_objectives(),
        CONTACT,
        org_type="NHS trust",
        today=today,
        settings=settings,
    )
    wres = by_start({r.requirement: r for r in reqs}, "WRES")
    assert wres.requirement == f"WRES data and action plan published by {day}"
    assert wres.status == "missing"
    assert due_text in wres.detail
