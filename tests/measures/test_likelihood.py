"""Tests for relative likelihoods (methodology §0.3, §3.4, §8, §11 vector 8)."""

from __future__ import annotations

import math
import warnings

import pytest
from hypothesis import given
from hypothesis import strategies as st

from edi_reports.config import Settings, Uncertainty
from edi_reports.measures.likelihood import (
    four_fifths_flag,
    relative_likelihood,
    rl_confidence_interval,
    rl_metric,
)
from edi_reports.measures.metrics import MeasureWarning

CI_ON = Settings(uncertainty=Uncertainty(enabled=True))
HALDANE = Settings(uncertainty=Uncertainty(enabled=True, zero_cells="haldane"))

counts = st.integers(min_value=1, max_value=100_000)


class TestRelativeLikelihood:
    def test_vector8_rl2(self):
        assert relative_likelihood(120, 400, 60, 300) == pytest.approx(1.50)

    def test_vector8_rl3(self):
        assert relative_likelihood(12, 1000, 20, 4000) == pytest.approx(2.40)

    def test_vector8_rl4(self):
        rl = relative_likelihood(800, 4000, 150, 1000)
        assert rl == pytest.approx(4 / 3)
        assert round(rl, 2) == 1.33

    def test_no_outcome_in_group_a_is_zero_not_none(self):
        assert relative_likelihood(0, 100, 10, 100) == 0.0

    @pytest.mark.parametrize("args", [(1, 0, 1, 10), (1, 10, 1, 0), (1, 10, 0, 10), (0, 0, 0, 0)])
    def test_undefined_is_none(self, args):
        assert relative_likelihood(*args) is None

    def test_negative_count_refused(self):
        with pytest.raises(ValueError, match="outcomes_a"):
            relative_likelihood(-1, 10, 1, 10)

    @given(a=counts, n1=counts, c=counts, n2=counts)
    def test_swapping_groups_inverts(self, a, n1, c, n2):
        forward = relative_likelihood(a, n1, c, n2)
        backward = relative_likelihood(c, n2, a, n1)
        assert forward * backward == pytest.approx(1.0, rel=1e-12)

    @given(a=counts, n1=counts, c=counts, n2=counts, k=st.integers(1, 50))
    def test_scaling_one_group_leaves_ratio_unchanged(self, a, n1, c, n2, k):
        base = relative_likelihood(a, n1, c, n2)
        assert relative_likelihood(k * a, k * n1, c, n2) == pytest.approx(base, rel=1e-12)
        assert relative_likelihood(a, n1, k * c, k * n2) == pytest.approx(base, rel=1e-12)

    @given(a=counts, n=counts)
    def test_identical_rates_give_parity(self, a, n):
        assert relative_likelihood(a, n, a, n) == pytest.approx(1.0)


class TestConfidenceInterval:
    def test_vector8_interval(self):
        low, high = rl_confidence_interval(120, 400, 60, 300)
        assert (round(low, 2), round(high, 2)) == (1.14, 1.97)
        # §8: SE = sqrt(0.019167) = 0.1384
        se = (math.log(high) - math.log(low)) / (2 * 1.959963984540054)
        assert se == pytest.approx(0.1384, abs=1e-4)

    @pytest.mark.parametrize("args", [(0, 100, 10, 100), (10, 100, 0, 100)])
    def test_zero_event_is_na_by_default(self, args):
        assert rl_confidence_interval(*args) is None

    def test_haldane_adds_half_to_each_cell(self):
        low, high = rl_confidence_interval(0, 100, 10, 100, zero_cells="haldane")
        rr = (0.5 / 101) / (10.5 / 101)
        se = math.sqrt(1 / 0.5 - 1 / 101 + 1 / 10.5 - 1 / 101)
        assert math.log(low) == pytest.approx(math.log(rr) - 1.959963984540054 * se)
        assert math.log(high) == pytest.approx(math.log(rr) + 1.959963984540054 * se)

    def test_zero_base_has_no_interval_even_with_haldane(self):
        assert rl_confidence_interval(0, 0, 1, 10, zero_cells="haldane") is None

    def test_unknown_zero_cell_rule_refused(self):
        with pytest.raises(ValueError, match="zero_cells"):
            rl_confidence_interval(1, 2, 1, 2, zero_cells="katz")

    @given(
        a=st.integers(1, 5000),
        extra1=st.integers(0, 5000),
        c=st.integers(1, 5000),
        extra2=st.integers(0, 5000),
    )
    def test_interval_contains_the_estimate(self, a, extra1, c, extra2):
        n1, n2 = a + extra1, c + extra2
        low, high = rl_confidence_interval(a, n1, c, n2)
        rl = relative_likelihood(a, n1, c, n2)
        assert low <= rl * (1 + 1e-12) and rl <= high * (1 + 1e-12)


class TestFourFifths:
    @pytest.mark.parametrize(
        ("rl", "flag"),
        [(0.79, "outside"), (0.8, "within"), (1.0, "within"), (1.25, "within"), (1.26, "outside")],
    )
    def test_band_edges_inclusive(self, rl, flag):
        assert four_fifths_flag(rl) == flag

    def test_custom_band(self):
        assert four_fifths_flag(1.1, band=(0.95, 1.05)) == "outside"

    def test_missing_rl_refused(self):
        with pytest.raises(ValueError):
            four_fifths_flag(float("nan"))


class TestRlMetric:
    def test_row_convention(self):
        row = rl_metric("wres.2", 120, 400, 60, 300, group_a="White", group_b="BME")
        assert row.ok and row.unit == "ratio"
        assert row.value == pytest.approx(1.5)
        assert (row.group, row.reference_group) == ("White", "BME")
        assert (row.numerator, row.denominator, row.n) == (400, 300, 700)
        assert row.ci_low is None and row.ci_high is None

    def test_interval_when_enabled(self):
        row = rl_metric("wres.2", 120, 400, 60, 300, group_a="White", group_b="BME", settings=CI_ON)
        assert (round(row.ci_low, 2), round(row.ci_high, 2)) == (1.14, 1.97)

    def test_zero_group_a_outcome_ok_without_interval(self):
        row = rl_metric("wres.2", 0, 40, 6, 30, group_a="White", group_b="BME", settings=CI_ON)
        assert row.ok and row.value == 0.0
        assert row.ci_low is None

    def test_zero_group_a_outcome_haldane_interval(self):
        row = rl_metric("wres.2", 0, 40, 6, 30, group_a="White", group_b="BME", settings=HALDANE)
        assert row.ok and 0 < row.ci_low < row.ci_high

    @pytest.mark.parametrize(
        ("args", "reason"),
        [
            ((1, 0, 5, 30), "no White shortlisted applicants"),
            ((1, 10, 0, 0), "no BME shortlisted applicants"),
            ((3, 10, 0, 30), "no BME appointed"),
        ],
    )
    def test_undefined_is_not_calculable_with_warning(self, args, reason):
        with pytest.warns(MeasureWarning):
            row = rl_metric(
                "wres.2",
                *args,
                group_a="White",
                group_b="BME",
                base_label="shortlisted applicants",
                outcome_label="appointed",
            )
        assert row.value is None
        assert row.status.startswith("not_calculable: ")
        assert reason in row.status
        assert row.n == args[1] + args[3]

    def test_half_counts_from_two_year_means(self):
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            row = rl_metric("wres.3", 12.5, 1000.5, 20, 4000, group_a="BME", group_b="White")
        assert row.value == pytest.approx((12.5 / 1000.5) / (20 / 4000))
        assert row.n == 5000
