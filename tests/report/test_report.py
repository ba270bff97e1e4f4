"""Report sections built from published tables, without running notebooks:
relative-likelihood readings, the four-fifths flag, analytical intervals,
the WDES declaration rate, trends across years, and which files are published."""

from __future__ import annotations

import pandas as pd
import pytest

from edi_reports.config import DEFAULT_SETTINGS, Paths, Settings, Uncertainty, WorkforceStandards
from edi_reports.disclosure import control as disclosure
from edi_reports.measures.likelihood import rl_metric
from edi_reports.measures.metrics import metric, to_frame
from edi_reports.notebook import Context
from edi_reports.report.core import Report, published_intervals
from edi_reports.report.sections.common import four_fifths_text, likelihood_table, rl_reading
from edi_reports.report.sections.wdes import declaration
from edi_reports.report.trends import status, trend_rows

CI_ON = Settings(uncertainty=Uncertainty(enabled=True))
NO_BAND = Settings(standards=WorkforceStandards(rl_adverse_band=None, wdes2_caveat=False))


def year_metrics(mean_gap: float, white_appointed: int, settings: Settings) -> pd.DataFrame:
    """A small metrics frame: a gender pay gap, WRES 2 (§11 vector 8 when 120), WDES 2 and
    the disability profile (Yes 50, No 800, Not declared 150 of 1,000)."""
    rows = [
        metric(
            "gpg.mean_hourly_gap",
            mean_gap,
            "pct",
            group="Female",
            reference_group="Male",
            numerator=700,
            denominator=300,
            n=1000,
        ),
        rl_metric(
            "wres.2",
            white_appointed,
            400,
            60,
            300,
            group_a="White",
            group_b="BME",
            settings=settings,
        ),
        rl_metric(
            "wdes.2", 3, 5, 100, 600, group_a="Non-disabled", group_b="Disabled", settings=settings
        ),
    ]
    for group, count in (("Yes", 50), ("No", 800), ("Not declared", 150)):
        rows.append(
            metric(
                "profile.disability",
                count * 100 / 1000,
                "pct",
                group=group,
                numerator=count,
                denominator=1000,
                n=1000,
            )
        )
    return to_frame(rows)


def make_report(tmp_path, settings: Settings = DEFAULT_SETTINGS, history=None, year=2025) -> Report:
    paths = Paths(
        processed=tmp_path / "processed",
        raw=tmp_path / "raw",
        content=tmp_path / "content",
        reports=tmp_path / "reports",
    )
    ctx = Context(org="XQ1", year=year, paths=paths, settings=settings, out=tmp_path / "out")
    ctx.processed.mkdir(parents=True, exist_ok=True)
    ctx.out.mkdir(parents=True, exist_ok=True)
    metrics = year_metrics(12.5, 120, settings)
    published = disclosure.publish(metrics, settings)
    history = history or {}
    return Report(
        ctx=ctx,
        published=published,
        previous=history.get(year - 1),
        org_name="Test Trust",
        history=history,
        intervals=published_intervals(metrics, published, settings),
    )


def texts(section) -> str:
    return "\n".join(item.plain for item in section)


class TestReading:
    @pytest.mark.parametrize(
        ("measure", "value", "expected"),
        [
            (
                "wres.2",
                "1.62",
                "White applicants are 1.62 times as likely as BME applicants to be appointed "
                "from shortlisting.",
            ),
            (
                "wres.3",
                "2.40",
                "BME staff are 2.40 times as likely as White staff to enter the formal "
                "disciplinary process.",
            ),
            (
                "wdes.2",
                "1.00",
                "Non-disabled applicants and Disabled applicants are equally likely to be "
                "appointed from shortlisting.",
            ),
            (
                "wdes.3",
                "0.80",
                "Disabled staff are 0.80 times as likely as non-disabled staff to enter the "
                "formal capability process.",
            ),
            (
                "wres.4",
                "0.00",
                "No White staff accessed non-mandatory training and CPD (a likelihood of 0.00).",
            ),
            ("wres.2", "*", "Not published: a group compared is too small."),
        ],
    )
    def test_reading(self, measure, value, expected):
        assert rl_reading(measure, value) == expected

    def test_not_calculable_gives_the_reason(self):
        text = rl_reading("wres.3", "", "not calculable: no White staff in post")
        assert text == "Could not be calculated: no White staff in post."

    @pytest.mark.parametrize(
        ("value", "flag"), [("1.50", "outside"), ("0.80", "within"), ("1.25", "within"), ("*", "")]
    )
    def test_four_fifths(self, value, flag):
        assert four_fifths_text(value, (0.8, 1.25)) == flag


class TestLikelihoodTable:
    def test_default_shows_flag_and_reading_not_intervals(self, tmp_path):
        report = make_report(tmp_path)
        table = likelihood_table(report, ["wres.2", "wdes.2"]).set_index("Indicator")
        row = table.iloc[0]
        assert row["This year"] == "1.50"
        assert row["Four-fifths band (0.80 to 1.25)"] == "outside"
        assert row["Reading"].startswith("White applicants are 1.50 times as likely")
        assert not any("interval" in c for c in table.columns)
        # WDES 2: Non-disabled shortlisted 5 (< 10) -> suppressed, so no flag
        assert table.iloc[1]["This year"] == "*"
        assert table.iloc[1]["Four-fifths band (0.80 to 1.25)"] == ""

    def test_intervals_when_enabled(self, tmp_path):
        report = make_report(tmp_path, CI_ON)
        table = likelihood_table(report, ["wres.2", "wdes.2"])
        column = "95% interval (analytical, not part of the standard)"
        assert list(table[column]) == ["1.14 to 1.97", ""]  # §8 vector; none when suppressed

    def test_no_band_no_flag_no_caveat(self, tmp_path):
        report = make_report(tmp_path, NO_BAND)
        table = likelihood_table(report, ["wres.2"])
        assert not any("Four-fifths" in c for c in table.columns)
        assert "guaranteed-interview" not in texts(report.wdes())

    def test_wdes2_caveat_by_default(self, tmp_path):
        assert "guaranteed-interview schemes" in texts(make_report(tmp_path).wdes())


def test_published_intervals_only_for_published_figures():
    metrics = year_metrics(12.5, 120, CI_ON)
    published = disclosure.publish(metrics, CI_ON)
    table = published_intervals(metrics, published, CI_ON)
    # wdes.2 is suppressed; the gap has no bootstrap here (n/a); shares get no interval
    assert dict(zip(table["measure"], table["interval"], strict=True)) == {
        "gpg.mean_hourly_gap": "n/a",
        "wres.2": "1.14 to 1.97",
    }
    assert published_intervals(metrics, published, Settings()) is None


def test_declaration_from_published_profile(tmp_path):
    report = make_report(tmp_path)
    report.survey_prevalence = 18.0
    text = texts(declaration(report))
    assert "85.0%" in text  # (50 + 800) / 1,000 declared
    assert "5.0%" in text  # 50 / 1,000 recorded Disabled
    assert "18.0%" in text and "13.0 pp" in text


class TestTrends:
    def test_single_year_says_so(self, tmp_path):
        assert "once an earlier year has been built" in texts(make_report(tmp_path).trends())

    def test_chart_and_table_across_years(self, tmp_path):
        s = Settings()
        history = {
            2023: disclosure.publish(year_metrics(15.0, 132, s), s),
            2024: disclosure.publish(year_metrics(14.0, 126, s), s),
        }
        section = make_report(tmp_path, s, history)
        items = section.trends()
        kinds = [item.metadata["edi"]["kind"] for item in items]
        assert kinds.count("chart") == 2 and kinds[-1] == "table"
        table = items[-1].plain
        assert "2022/23" in table and "2024/25" in table and "15.0%" in table
        assert "Mean gender pay gap: 15.0% in 2022/23, 12.5% in 2024/25" in " ".join(
            item.metadata["edi"].get("alt", "") for item in items
        )

    def test_trend_rows_keep_suppression(self):
        s = Settings()
        years = {"2023/24": disclosure.publish(year_metrics(15.0, 132, s), s)}
        rows = trend_rows(years)
        wdes = rows[rows["Indicator"].str.startswith("WRES 2")]
        assert list(wdes["Shown"]) == ["1.65"]
        assert set(rows["Indicator"]) == {
            "Mean gender pay gap",
            "WRES 2: appointment from shortlisting (White compared with BME)",
        }


@pytest.mark.parametrize(
    ("this", "last", "better", "unit", "expected"),
    [
        ("0.90", "1.10", "towards_1", "", "0.20 changed, same distance from 1.00"),
        ("1.34", "1.50", "towards_1", "", "0.16 better"),
        ("4.0", "-2.0", "towards_0", "pp", "6.0 pp worse"),
        ("6.9", "7.1", "higher", "score", "0.2 worse"),
    ],
)
def test_status_folded_from_wres(this, last, better, unit, expected):
    assert status(this, last, better, unit) == expected


def test_status_refuses_unknown_direction():
    with pytest.raises(ValueError):
        status("1", "2", "sideways", "%")


def test_collection_files_are_not_published(tmp_path):
    report = make_report(tmp_path)
    for name in ("gpg_submission.csv", "wres_submission.csv", "wdes_submission.csv"):
        (report.ctx.processed / name).write_text("x\n1\n")
    report.write_published_files()
    names = {p.name for p in report.ctx.out.iterdir()}
    assert "gpg_submission.csv" in names and "tables.csv" in names
    assert not names & {"wres_submission.csv", "wdes_submission.csv"}


def test_data_quality_reconciles_exactly_but_rules_counts_about_people(tmp_path):
    """Issue #7: rows in = used + set aside, exactly; values set to unknown (about
    characteristics) follow the count rule (methodology §6.2)."""
    report = make_report(tmp_path)
    report.reconciliation = pd.DataFrame(
        [
            {
                "file": "workforce.csv",
                "rows_in": 41,
                "rows_used": 38,
                "rows_rejected": 3,
                "values_set_unknown": 2,
            }
        ]
    )
    report.quarantine = pd.DataFrame(
        [
            {
                "file": "workforce.csv",
                "row": 4,
                "column": "ordinary_pay",
                "reason": "negative pay",
                "action": "rejected",
            },
            {
                "file": "workforce.csv",
                "row": 9,
                "column": "ordinary_pay",
                "reason": "negative pay",
                "action": "rejected",
            },
            {
                "file": "workforce.csv",
                "row": 12,
                "column": "hours",
                "reason": "hours over 168",
                "action": "rejected",
            },
            {
                "file": "workforce.csv",
                "row": 20,
                "column": "ethnic_category",
                "reason": "not an NHS code",
                "action": "set_unknown",
            },
            {
                "file": "workforce.csv",
                "row": 30,
                "column": "ethnic_category",
                "reason": "not an NHS code",
                "action": "set_unknown",
            },
        ]
    )
    text = texts(report.data_quality())
    assert "41" in text and "38" in text  # exact reconciliation
    html = "".join(item._repr_mimebundle_()[0]["text/html"] for item in report.data_quality())
    assert ">2<" in html  # 2 rows of negative pay: an impossible value, exact
    assert "not an NHS code" in html
    row = html[html.index("not an NHS code") :]
    assert ">*<" in row[:300]  # 2 unknown ethnic codes: a count about people, suppressed
