"""Fixed boundary tests and independent expected values: the safety net that must catch a
one-line slip anywhere a restructuring could break the published figures unnoticed.

Each expected value here is worked out by hand in the test, never read back from the
pipeline's own outputs. Spec: methodology §0.2 (rounding), §6.2 (disclosure control),
§2.3 and §3.2 (national benchmarks compare BME with White).
"""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pandas as pd
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from edi_reports.config import DEFAULT_SETTINGS, Disclosure, Settings
from edi_reports.disclosure import control as D
from edi_reports.intake import classifications as c
from edi_reports.measures.metrics import metric, to_frame
from edi_reports.measures.national import benchmarks, headline_metrics, position
from edi_reports.rounding import pct, round_pair

STAR = DEFAULT_SETTINGS.disclosure.symbol


def _share_line(counts: dict[str, int], breakdown: str = "overall") -> list:
    total = sum(counts.values())
    return [
        metric(
            "profile.ethnicity",
            100 * n / total,
            "pct",
            breakdown=breakdown,
            group=g,
            numerator=n,
            denominator=total,
            n=total,
        )
        for g, n in counts.items()
    ]


def _published(rows, settings_: Settings = DEFAULT_SETTINGS) -> pd.DataFrame:
    return D.publish(to_frame(rows), settings_)


def _row(published: pd.DataFrame, group: str, breakdown: str = "overall") -> pd.Series:
    sel = published[(published["group"] == group) & (published["breakdown"] == breakdown)]
    assert len(sel) == 1
    return sel.iloc[0]


class TestSuppressionBoundary:
    """Counts of 1 to 7 are never published; 8 is the first count shown (rounded to 10)."""

    @pytest.mark.parametrize(
        ("count", "shown"),
        [
            (0, "0.0"),
            (1, STAR),
            (6, STAR),
            (7, STAR),
            # 8 -> 10 of 608 -> 610: 1.639 %; 12 -> 10 of 612 -> 610; 13 -> 15 of 613 -> 615
            (8, "1.6"),
            (12, "1.6"),
            (13, "2.4"),
        ],
    )
    def test_share_cell_at_the_boundary(self, count, shown):
        rows = _share_line({"Asian": count, "White British": 400, "Black": 200})
        assert _row(_published(rows), "Asian")["value"] == shown

    def test_seven_and_eight_in_one_line(self):
        published = _published(_share_line({"Mixed": 7, "Other": 8, "White British": 500}))
        mixed, other = _row(published, "Mixed"), _row(published, "Other")
        assert mixed["value"] == STAR
        # the 7 is hidden, so the 8 (the smallest published cell) is hidden too: otherwise
        # 7 = total - 500 - 8 could be worked out from the rounded total's interval
        assert other["value"] == STAR

    def test_percentages_come_from_rounded_counts(self):
        # 8 of 403: rounded 10 of 405 -> 2.5 %, not 8/403 = 1.99 %
        published = _published(_share_line({"Asian": 8, "White British": 395}))
        assert _row(published, "Asian")["value"] == "2.5"

    def test_lower_suppression_setting_is_honoured(self):
        loose = Settings(disclosure=Disclosure(suppress_max=5, allow_weaker_privacy=True))
        published = _published(_share_line({"Asian": 6, "White British": 400, "Black": 200}), loose)
        # 6 -> 5 of 606 -> 605: 0.826 %
        assert _row(published, "Asian")["value"] == "0.8"


class TestSecondarySuppression:
    def test_a_lone_hidden_cell_takes_a_second_with_it(self):
        rows = _share_line({"Asian": 3, "Black": 40, "White British": 400})
        on = _published(rows)
        off = _published(
            rows,
            Settings(disclosure=Disclosure(secondary_suppression=False, allow_weaker_privacy=True)),
        )
        assert _row(on, "Asian")["value"] == STAR and _row(on, "Black")["value"] == STAR
        # 40 of 443 -> 445: 8.99 %
        assert _row(off, "Asian")["value"] == STAR and _row(off, "Black")["value"] == "9.0"

    def test_a_long_line_of_hidden_ones_cannot_reveal_its_small_total(self):
        # a band of 7 people, one in each of 7 groups: every member is hidden, but each hides
        # at least 1, so the hidden band total (at least 7, at most 7) would be pinned at 7;
        # the overall column line through that band must then lose another cell
        groups = [f"G{i}" for i in range(7)]
        band_small = {g: 1 for g in groups}
        band_large = {g: 40 + 5 * i for i, g in enumerate(groups)}
        overall = {g: band_small[g] + band_large[g] for g in groups}
        rows = (
            _share_line(overall)
            + _share_line(band_small, "pay_band=Band 2")
            + _share_line(band_large, "pay_band=Band 5")
        )
        on = _published(rows)
        off = _published(
            rows,
            Settings(disclosure=Disclosure(secondary_suppression=False, allow_weaker_privacy=True)),
        )
        hidden_on = (on["value"] == STAR).sum()
        hidden_off = (off["value"] == STAR).sum()
        assert hidden_on > hidden_off
        # nothing of the small band is ever shown
        small = on[on["breakdown"] == "pay_band=Band 2"]
        assert (small["value"] == STAR).all()


class TestPairRoundingExactHalves:
    """Exact halves are where the two pair rules differ; generate them on purpose."""

    @given(st.integers(0, 999))
    @example(122)  # 12.25 -> methodology §11 vector 4
    @example(0)  # 0.05
    @example(999)  # 99.95
    @settings(derandomize=True, max_examples=200)
    def test_half_even_and_complement_on_exact_halves(self, h):
        # men = 2h + 1 of 2,000 is exactly h/10 + 0.05 per cent
        first = pct(2 * h + 1, 2000)
        assert first == Decimal(2 * h + 1) / 20
        low, high = Decimal(h) / 10, Decimal(h + 1) / 10
        even = low if h % 2 == 0 else high
        assert round_pair(first, rule="half_even") == (even, Decimal(100) - even)
        assert round_pair(first, rule="complement") == (high, Decimal(100) - high)

    @pytest.mark.parametrize(
        ("men", "total", "complement", "half_even"),
        [
            (49, 400, ("12.3", "87.7"), ("12.2", "87.8")),
            (1, 8, ("12.5", "87.5"), ("12.5", "87.5")),
            (7, 40, ("17.5", "82.5"), ("17.5", "82.5")),
            (3, 2000, ("0.2", "99.8"), ("0.2", "99.8")),
            (1, 2000, ("0.1", "99.9"), ("0.0", "100.0")),
        ],
    )
    def test_table(self, men, total, complement, half_even):
        share = pct(men, total)
        assert tuple(map(str, round_pair(share))) == complement
        assert tuple(map(str, round_pair(share, rule="half_even"))) == half_even


def _org(org: str, white_rates: list[float], bme_rates: list[float]) -> pd.DataFrame:
    """An organisation whose hourly rates are given: monthly pay for 7 hours a week so that
    the rate is pay x 7 / 30.44 / 7 = pay / 30.44."""
    rates = white_rates + bme_rates
    codes = pd.Series(["A"] * len(white_rates) + ["H"] * len(bme_rates), dtype="string")
    n = len(rates)
    return pd.DataFrame(
        {
            "org": org,
            "ordinary_pay": [r * 30.44 for r in rates],
            "contracted_hours": 7.0,
            "pay_frequency": "monthly",
            "full_pay": True,
            "bonus_pay_12m": 0.0,
            "sex": pd.Categorical(["Male", "Female"] * (n // 2) + ["Male"] * (n % 2), c.SEXES),
            "ethnic_code": codes,
            "ethnic_wres": c.wres_group(codes),
            "ethnic_group": c.high_level_group(codes),
            "disability_group": pd.Categorical(["Unknown"] * n, categories=c.DISABILITY_GROUPS),
            "sexual_orientation_group": pd.Categorical(
                ["Unknown"] * n, categories=c.SEXUAL_ORIENTATION_GROUPS
            ),
            "contract_type": pd.Categorical(["Permanent"] * n),
        }
    )


class TestNationalBenchmarks:
    @pytest.fixture(scope="class")
    def national(self):
        frames = [
            _org("AAA", [20.0, 20.0], [15.0, 15.0]),  # BME paid 25 % less than White
            _org("BBB", [10.0, 10.0], [12.0, 12.0]),  # BME paid 20 % more
            _org("CCC", [16.0, 16.0], [12.0, 12.0, 12.0, 12.0]),  # 25 % less
        ]
        return headline_metrics(pd.concat(frames, ignore_index=True))

    def _value(self, national, org, measure):
        sel = national[(national["org"] == org) & (national["measure"] == measure)]
        return sel["value"].iloc[0]

    def test_ethnicity_gap_is_bme_against_white(self, national):
        # (White - BME) / White x 100, worked by hand
        assert self._value(national, "AAA", "epg.mean_hourly_gap") == pytest.approx(25.0)
        assert self._value(national, "BBB", "epg.median_hourly_gap") == pytest.approx(-20.0)
        row = national[(national["org"] == "AAA") & (national["measure"] == "epg.mean_hourly_gap")]
        assert row["group"].iloc[0] == "BME" and row["reference_group"].iloc[0] == "White"

    def test_bme_share(self, national):
        assert self._value(national, "CCC", "wres.1") == pytest.approx(100 * 4 / 6)

    def test_percentile_runs_from_lowest_to_highest(self, national):
        gaps = position(national, "BBB").set_index("measure")["percentile"]
        assert gaps["epg.mean_hourly_gap"] == pytest.approx(100 / 3)  # lowest of three
        top = position(national, "CCC").set_index("measure")["percentile"]
        assert top["wres.1"] == pytest.approx(100.0)  # highest BME share

    def test_quartiles_are_over_publishable_organisations(self, national):
        loose = Settings(disclosure=Disclosure(min_group_stat=1, allow_weaker_privacy=True))
        table = benchmarks(national, settings=loose).set_index(["measure", "scope"])
        share = table.loc[("wres.1", "national")]
        values = sorted([50.0, 50.0, 100 * 4 / 6])
        assert share["organisations"] == 3
        assert share["median"] == pytest.approx(float(np.median(values)))
        assert share["lower_quartile"] == pytest.approx(float(np.quantile(values, 0.25)))
        # with the default minimum of 10 people a group, none of these gaps may be used
        strict = benchmarks(national).set_index(["measure", "scope"])
        assert ("gpg.mean_hourly_gap", "national") not in strict.index


_VALID_CELLS = {
    "ethnic_category": ["A", "C", "H", "N", "R", "S", "Z", "99", ""],
    "sex": ["Male", "Female", "M", "F"],
    "age": ["18", "40", "66"],
    "disability": ["Yes", "No", "Not Declared", ""],
    "staff_group": ["Nursing and Midwifery Registered", "Administrative and Clerical"],
    "pay_band": ["Band 2", "Band 5", "Band 8a", "Consultant", "VSM"],
    "contracted_hours": ["37.5", "22.5", "40"],
    "ordinary_pay": ["2497.50", "1800", "9000.10"],
}


@st.composite
def _valid_workforce(draw) -> tuple[bytes, int]:
    """A workforce file with only valid values: a reader that refuses it is broken."""
    header = draw(st.permutations(["staff_id", *_VALID_CELLS]))
    n = draw(st.integers(1, 8))
    rows = []
    for i in range(n):
        row = {"staff_id": str(1000 + i)}
        row.update({k: draw(st.sampled_from(v)) for k, v in _VALID_CELLS.items()})
        rows.append([row[h] for h in header])
    text = "\r\n".join(",".join(r) for r in [header, *rows]) + "\r\n"
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]))
    return text.encode(encoding), n


@given(_valid_workforce())
@settings(derandomize=True, max_examples=25, deadline=None)
def test_valid_workforce_files_are_always_read_in_full(file):
    # the fuzz tests of the intake accept "refused with a plain message" as an outcome; this
    # one makes sure a reader that refused everything could not pass them all
    import tempfile
    from pathlib import Path

    from edi_reports.intake.clean import load_inputs

    data, n = file
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "workforce.csv").write_bytes(data)
        result = load_inputs(Path(tmp), 2025)
    assert len(result.tables["workforce"]) == n
    rejected = result.quarantine[result.quarantine["action"] == "rejected"]
    assert rejected.empty
