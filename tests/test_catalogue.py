"""The catalogue of headline figures: every use reads it, and each entry agrees with the
rules it names (methodology section, disclosure kind, direction)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from edi_reports import catalogue
from edi_reports.disclosure import control as disclosure
from edi_reports.measures import national, significance
from edi_reports.report import trends
from edi_reports.report.core import LIKELIHOODS

ROOT = Path(__file__).resolve().parents[1]
FIGURES = catalogue.FIGURES


def _key(f: catalogue.Figure) -> str:
    return f"{f.id}[{','.join(v for _, v in f.where)}]"


@pytest.mark.parametrize("figure", FIGURES, ids=_key)
def test_each_figure_names_a_known_direction_unit_and_methodology_section(figure):
    headings = set(
        re.findall(
            r"^#{2,3} (\d+(?:\.\d+)?)\b", (ROOT / "docs" / "methodology.md").read_text(), re.M
        )
    )
    assert figure.better in catalogue.DIRECTIONS
    assert figure.unit in {"%", "pp", "", "score"}
    assert figure.methodology.removeprefix("§") in headings, figure.methodology
    assert set(dict(figure.where)) <= {"breakdown", "group", "reference_group"}
    assert {use for use, _ in figure.labels} <= {"headline", "trend", "benchmark"}


@pytest.mark.parametrize("figure", FIGURES, ids=_key)
def test_disclosure_kind_is_the_one_disclosure_control_gives_the_row(figure):
    breakdown = dict(figure.where).get("breakdown", "overall")
    assert disclosure.row_kind(figure.id, breakdown) == figure.disclosure


def test_a_relative_likelihood_reads_as_one_and_is_compared_with_parity():
    for figure in FIGURES:
        assert (figure.reading is not None) == (figure.better == "towards_1")
        if figure.reading is not None:
            assert (figure.reading.group_a, figure.reading.group_b) == (
                figure.group,
                figure.reference,
            )


def test_figures_are_unique_and_headline_positions_distinct():
    keys = [(f.id, f.where) for f in FIGURES]
    assert len(keys) == len(set(keys))
    positions = [f.headline for f in FIGURES if f.headline]
    assert sorted(positions) == list(range(1, len(positions) + 1))
    for use in ("summary", "trend", "benchmark", "headline"):
        labels = [f.label_for(use) for f in FIGURES]
        assert len(labels) == len(set(labels)), use


def test_every_use_reads_the_catalogue():
    summary = catalogue.summary_figures()
    assert [(i.measure, i.where, i.label) for i in trends.SUMMARY] == [
        (f.id, f.where, f.label) for f in summary
    ]
    assert [i.measure for i in trends.TREND] == [f.id for f in catalogue.trend_figures()]
    assert [i.measure for i in trends.PAY_GAPS] == [
        "gpg.mean_hourly_gap",
        "gpg.median_hourly_gap",
        "epg.median_hourly_gap",
        "dpg.median_hourly_gap",
    ]
    assert [m for m, *_ in national.REPORT_MEASURES] == [
        f.id for f in catalogue.benchmark_figures()
    ]
    assert set(LIKELIHOODS) == set(disclosure.RL_MEASURES) == set(significance.RL_IDS)
    assert set(LIKELIHOODS) == {"wres.2", "wres.3", "wres.4", "wdes.2", "wdes.3"}
    assert disclosure.BOARD_MEASURES == {"wres.9", "wdes.10"}
    assert [f.id for f in catalogue.headline_figures()] == [
        "gpg.median_hourly_gap",
        "gpg.mean_hourly_gap",
        "epg.median_hourly_gap",
        "dpg.median_hourly_gap",
        "wres.2",
    ]
