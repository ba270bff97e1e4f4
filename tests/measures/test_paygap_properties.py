"""Property tests of the pay gap engine (hypothesis). Spec: methodology §0.1, §0.2, §1.8, §2.7."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from edi_reports.config import Rounding, Settings
from edi_reports.measures import paygap
from edi_reports.measures.metrics import metric, to_frame
from edi_reports.submissions.gpg import check_gpg_submission, gpg_submission

pytestmark = pytest.mark.filterwarnings("ignore::edi_reports.measures.metrics.MeasureWarning")

FAST = settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)

rates = st.integers(min_value=100, max_value=10_000).map(lambda p: p / 100)  # £1.00-£100.00
rate_lists = st.lists(rates, min_size=1, max_size=40)


def two_groups(a: list[float], b: list[float], scale: float = 1.0) -> pd.DataFrame:
    """FPREs in groups A and B paid monthly, with bonuses, rates computed from pay."""
    hours = 37.5
    n = len(a) + len(b)
    pay = np.array(a + b) * hours * 30.44 / 7 * scale
    bonus = np.where(np.arange(n) % 3 == 0, 0.0, np.array(a + b) * 10 * scale)
    return pd.DataFrame(
        {
            "g": pd.Categorical(["A"] * len(a) + ["B"] * len(b), categories=["A", "B"]),
            "ordinary_pay": pay,
            "contracted_hours": hours,
            "pay_frequency": "monthly",
            "bonus_pay_12m": bonus,
            "full_pay": True,
        }
    )


def gaps(df: pd.DataFrame, reference: str, comparison: str) -> dict[str, float | None]:
    rows = paygap.pay_gap_metrics(
        df,
        prefix="x",
        group_col="g",
        reference=reference,
        comparisons=[comparison],
        group_order=["A", "B"],
        parts={"hourly", "bonus_gap", "bonus_receipt"},
    )
    return {f"{r.measure}:{r.group}": r.value for r in rows}


class TestGapProperties:
    @FAST
    @given(a=rate_lists, b=rate_lists)
    def test_swapping_groups(self, a: list[float], b: list[float]) -> None:
        """gap(ref=B, comp=A) = -g / (1 - g/100) where g = gap(ref=A, comp=B) (§0.1)."""
        df = two_groups(a, b)
        ab = gaps(df, "A", "B")
        ba = gaps(df, "B", "A")
        for stat in ("mean", "median"):
            g = ab[f"x.{stat}_hourly_gap:B"]
            g_swapped = ba[f"x.{stat}_hourly_gap:A"]
            assert g is not None and g_swapped is not None
            assert g_swapped == pytest.approx(-g / (1 - g / 100), rel=1e-9, abs=1e-9)

    @FAST
    @given(a=rate_lists, b=rate_lists, scale=st.floats(min_value=0.01, max_value=100))
    def test_scaling_pay_leaves_gaps_unchanged(
        self, a: list[float], b: list[float], scale: float
    ) -> None:
        base = gaps(two_groups(a, b), "A", "B")
        scaled = gaps(two_groups(a, b, scale), "A", "B")
        assert base.keys() == scaled.keys()
        for key, value in base.items():
            if value is None:
                assert scaled[key] is None
            else:
                assert scaled[key] == pytest.approx(value, rel=1e-9, abs=1e-9)


group_labels = st.sampled_from(["W", "M", "X"])
people = st.lists(
    st.tuples(st.integers(min_value=1, max_value=6).map(float), group_labels),
    min_size=0,
    max_size=80,
)


class TestQuarterProperties:
    @FAST
    @given(n=st.integers(min_value=0, max_value=10**7))
    def test_sizes_follow_the_remainder_rule(self, n: int) -> None:
        sizes = paygap.quartile_sizes(n)
        assert sum(sizes) == n
        q, r = divmod(n, 4)
        assert sizes[3] == q and all(s in (q, q + 1) for s in sizes)
        assert [s - q for s in sizes] == {
            0: [0, 0, 0, 0],
            1: [1, 0, 0, 0],
            2: [1, 0, 1, 0],
            3: [1, 1, 1, 0],
        }[r]

    @FAST
    @given(data=people)
    def test_every_fpre_in_exactly_one_quarter_and_ranking_kept(
        self, data: list[tuple[float, str]]
    ) -> None:
        rate = pd.Series([p[0] for p in data], dtype="float64")
        group = pd.Series([p[1] for p in data], dtype="object")
        q = paygap.assign_quartiles(rate, group, ["W", "M", "X"])
        assert q.notna().all()
        counts = q.value_counts()
        assert tuple(int(counts[name]) for name in paygap.QUARTERS) == paygap.quartile_sizes(
            len(data)
        )
        codes = q.cat.codes.to_numpy()
        r = rate.to_numpy()
        # a lower rate never sits in a higher quarter than a higher rate
        for lo in np.unique(r):
            assert codes[r == lo].max() <= codes[r > lo].min(initial=3)

    @FAST
    @given(data=people)
    def test_quarter_shares_sum_to_100_exactly(self, data: list[tuple[float, str]]) -> None:
        rate = pd.Series([p[0] for p in data], dtype="float64")
        group = pd.Series([p[1] for p in data], dtype="object")
        rows = paygap.quartile_share_metrics(
            rate, group, measure="x.quartile_share", group_order=["W", "M", "X"]
        )
        sizes = paygap.quartile_sizes(len(data))
        for qi, name in enumerate(paygap.QUARTERS):
            cell = [r for r in rows if r.breakdown == f"quartile={name}"]
            assert len(cell) == 3
            if sizes[qi] == 0:
                assert all(r.value is None for r in cell)
                continue
            assert sum(r.numerator for r in cell) == sizes[qi]
            assert all(r.denominator == r.n == sizes[qi] for r in cell)
            exact = sum(Fraction(int(r.numerator) * 100, int(r.denominator)) for r in cell)
            assert exact == 100
            assert sum(r.value for r in cell) == pytest.approx(100.0, abs=1e-9)

    @FAST
    @given(
        women=st.integers(min_value=0, max_value=60),
        men=st.integers(min_value=0, max_value=60),
        below=st.integers(min_value=0, max_value=60),
        above=st.integers(min_value=0, max_value=60),
    )
    def test_two_group_tie_matches_the_1_8_method(
        self, women: int, men: int, below: int, above: int
    ) -> None:
        """§2.7 reproduces §1.8 for two groups (women first) when a block spans two quarters."""
        n_block = women + men
        rate = pd.Series([1.0] * below + [5.0] * n_block + [9.0] * above)
        group = pd.Series(["M"] * below + ["F"] * women + ["M"] * men + ["F"] * above)
        q = paygap.assign_quartiles(rate, group, ["F", "M"]).cat.codes.to_numpy()
        sizes = paygap.quartile_sizes(len(rate))
        pos_q = np.repeat(np.arange(4), sizes)[below : below + n_block]
        spanned, slots = np.unique(pos_q, return_counts=True)
        block = slice(below, below + n_block)
        in_block_f = (group[block] == "F").to_numpy()
        assume(len(spanned) == 2)
        s1, s2 = (int(s) for s in slots)
        quota1, quota2 = Fraction(women * s1, n_block), Fraction(women * s2, n_block)
        f1, f2 = int(quota1), int(quota2)
        if women - f1 - f2 == 1 and quota1 - f1 >= quota2 - f2:
            f1 += 1
        assert int((q[block][in_block_f] == spanned[0]).sum()) == f1


class TestSubmissionProperties:
    @FAST
    @given(
        size=st.integers(min_value=1, max_value=100_000),
        share=st.floats(min_value=0, max_value=1),
        pairs=st.sampled_from(["complement", "half_even"]),
    )
    def test_rounded_pairs_sum_to_100(self, size: int, share: float, pairs: str) -> None:
        male = round(size * share)
        rows = [
            metric("gpg.mean_hourly_gap", 1.0, "pct", group="Female"),
            metric("gpg.median_hourly_gap", 1.0, "pct", group="Female"),
            metric("gpg.bonus_receipt", 0.0, "pct", group="Male", numerator=0, denominator=1),
            metric("gpg.bonus_receipt", 0.0, "pct", group="Female", numerator=0, denominator=1),
        ]
        for name in paygap.QUARTERS:
            for sex, k in (("Male", male), ("Female", size - male)):
                rows.append(
                    metric(
                        "gpg.quartile_share",
                        k * 100 / size,
                        "pct",
                        breakdown=f"quartile={name}",
                        group=sex,
                        numerator=k,
                        denominator=size,
                        n=size,
                    )
                )
        row = gpg_submission(to_frame(rows), Settings(rounding=Rounding(pairs=pairs)))
        cells = row.iloc[0]
        for m_col, f_col in (
            ("MaleLowerQuartile", "FemaleLowerQuartile"),
            ("MaleLowerMiddleQuartile", "FemaleLowerMiddleQuartile"),
            ("MaleUpperMiddleQuartile", "FemaleUpperMiddleQuartile"),
            ("MaleTopQuartile", "FemaleTopQuartile"),
        ):
            assert Decimal(cells[m_col]) + Decimal(cells[f_col]) == Decimal("100.0")
        assert check_gpg_submission(row) == []
