"""methodology §0.2 rounding and §11 vector 4."""

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from edi_reports.rounding import (
    format_value,
    largest_remainder,
    pct,
    round_decimal,
    round_pair,
)


class TestRoundDecimal:
    def test_half_up_recognises_float_halves(self):
        assert round_decimal(0.1225 * 100, 1) == Decimal("12.3")
        assert round_decimal(12.25, 1) == Decimal("12.3")

    def test_half_even(self):
        assert round_decimal(12.25, 1, "half_even") == Decimal("12.2")
        assert round_decimal(12.35, 1, "half_even") == Decimal("12.4")

    def test_negative_half_up_is_away_from_zero(self):
        assert round_decimal(-12.25, 1) == Decimal("-12.3")

    def test_acme_mean_gap(self):
        # methodology §1.9: 13.594 % unrounded -> 13.6
        assert format_value(13.594, 1) == "13.6"

    def test_unknown_mode(self):
        with pytest.raises(ValueError):
            round_decimal(1.0, 1, "bankers")

    def test_negative_zero_written_as_zero(self):
        assert format_value(-0.01, 1) == "0.0"


class TestRoundPair:
    def test_vector_4_complement(self):
        # 49 men of 400: 12.25 % -> 12.3 / 87.7 (complement, the default)
        assert round_pair(pct(49, 400)) == (Decimal("12.3"), Decimal("87.7"))

    def test_vector_4_half_even(self):
        assert round_pair(pct(49, 400), rule="half_even") == (Decimal("12.2"), Decimal("87.8"))

    @given(st.integers(0, 5000), st.integers(1, 5000), st.sampled_from(["complement", "half_even"]))
    def test_pairs_always_sum_to_100(self, men, extra, rule):
        total = men + extra
        a, b = round_pair(pct(men, total), rule=rule)
        assert a + b == Decimal(100)


def test_largest_remainder_sums_to_total():
    shares = [Fraction(100, 3)] * 3
    out = largest_remainder(shares, 100, 1)
    assert sum(out) == Decimal(100)
    assert out[0] == Decimal("33.4")
