"""Golden-value tests of the pay gap engine. Spec: methodology §1, §2, §8, §9, §11 vectors 1-7.

The Acme Ltd example of methodology §1.9 is rebuilt person by person so that it reproduces
the published aggregates exactly: 1,345 men and 3,100 women FPREs plus 30 men and 25 women
relevant employees not on full pay; hourly sums £23,550 and £46,900; medians £15 and £14;
quarters 187/925, 110/1,001, 298/813, 750/361 (with the §1.8 tie of 36 W + 4 M straddling the
lower / lower-middle boundary); bonus 1,300 of 1,375 men and 2,000 of 3,125 women, means
£1,650 / £1,490, medians £2,300 / £2,225.

One deliberate departure: the guidance's women #1,550 = £13 and #1,551 = £15 cannot coexist
with man #673 = £15 and the published quarters in a single ranking (all people on £15 would
form one tied block across three quarters, which the tie rule splits in one proportion,
while the published quarters need different proportions). The women's middle pair is
therefore £13.50 and £14.50: the median is still £14.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd
import pytest

from edi_reports.config import (
    EPG,
    Intersection,
    Settings,
    Uncertainty,
)
from edi_reports.intake.classifications import high_level_group, wres_group
from edi_reports.measures import paygap
from edi_reports.measures.metrics import MeasureWarning, Metric, to_frame
from edi_reports.rounding import format_value

pytestmark = pytest.mark.filterwarnings("ignore::edi_reports.measures.metrics.MeasureWarning")

# --- builders ---------------------------------------------------------------------------------


def workforce(**columns: object) -> pd.DataFrame:
    """A cleaned workforce table (schema.WORKFORCE columns the pay gaps read), with defaults."""
    n = len(next(iter(v for v in columns.values() if not np.isscalar(v))))  # type: ignore[arg-type]
    base: dict[str, object] = {
        "sex": "Female",
        "ethnic_code": "A",
        "disability_group": "Non-disabled",
        "sexual_orientation_group": "Heterosexual",
        "contract_type": "Permanent",
        "contracted_hours": 37.5,
        "pay_frequency": "monthly",
        "ordinary_pay": 2500.0,
        "bonus_pay_in_period": 0.0,
        "bonus_period_days": np.nan,
        "bonus_pay_12m": 0.0,
        "full_pay": True,
        "hourly_rate_given": np.nan,
    }
    base.update(columns)
    df = pd.DataFrame({k: (v if not np.isscalar(v) else [v] * n) for k, v in base.items()})
    df["sex"] = pd.Categorical(df["sex"], categories=["Male", "Female", "Unknown"])
    df["ethnic_code"] = df["ethnic_code"].astype("string")
    df["ethnic_wres"] = wres_group(df["ethnic_code"])
    df["ethnic_group"] = high_level_group(df["ethnic_code"])
    df["disability_group"] = pd.Categorical(
        df["disability_group"], categories=["Disabled", "Non-disabled", "Unknown"]
    )
    df["sexual_orientation_group"] = pd.Categorical(
        df["sexual_orientation_group"], categories=["Heterosexual", "LGB+", "Unknown"]
    )
    df["pay_frequency"] = df["pay_frequency"].astype("category")
    df["full_pay"] = df["full_pay"].astype("boolean")
    for col in ("contracted_hours", "ordinary_pay", "bonus_pay_in_period", "bonus_period_days"):
        df[col] = df[col].astype("float64")
    for col in ("bonus_pay_12m", "hourly_rate_given"):
        df[col] = df[col].astype("float64")
    return df


def _ramp_pence(lo: float, hi: float, k: int) -> np.ndarray:
    return np.round(np.linspace(lo * 100, hi * 100, k)).astype(np.int64)


def _fill_to(total_pence: int, lo: float, k: int) -> np.ndarray:
    """k rates in pence from lo upwards summing to total (the last, the highest, adjusted)."""
    hi = 2 * total_pence / k / 100 - lo - 1.0  # ramp mean a little below the target mean
    vals = np.r_[_ramp_pence(lo, hi, k - 1), 0]
    vals[-1] = total_pence - int(vals[:-1].sum())
    assert vals[-1] >= vals[:-1].max() and vals.min() >= lo * 100
    return vals


def acme_rates() -> tuple[np.ndarray, np.ndarray]:
    """Hourly rates in pence of the 1,345 men and 3,100 women FPREs (see the module doc)."""
    men_fixed = np.concatenate(
        [
            _ramp_pence(9.00, 10.99, 186),  # lower quarter, below the tied block
            np.full(1, 1100),  # tied block at £11 (1 of 4 men placed in lower)
            np.full(3, 1100),  # tied block (placed in lower middle)
            _ramp_pence(11.01, 13.49, 107),  # lower middle
            _ramp_pence(14.61, 14.99, 298),  # upper middle
            np.full(78, 1500),  # men #596-#673 on £15: the median man
        ]
    )
    women_fixed = np.concatenate(
        [
            _ramp_pence(9.00, 10.99, 916),
            np.full(36, 1100),  # tied block: 9 in lower, 27 in lower middle
            _ramp_pence(11.01, 13.50, 598),  # women #953-#1,550 (#1,550 = £13.50)
            _ramp_pence(14.50, 14.60, 376),  # women #1,551 (= £14.50) - #1,926
            _ramp_pence(14.61, 14.99, 813),  # upper middle
        ]
    )
    men = np.concatenate([men_fixed, _fill_to(2_355_000 - int(men_fixed.sum()), 15.01, 672)])
    women = np.concatenate([women_fixed, _fill_to(4_690_000 - int(women_fixed.sum()), 15.01, 361)])
    return men, women


def acme_bonuses() -> tuple[np.ndarray, np.ndarray]:
    """Bonus amounts of the 1,300 men and 2,000 women paid a bonus (§1.9)."""
    men = np.concatenate([np.full(648, 898.0), [896.0], [2300.0, 2300.0], np.full(649, 2400.0)])
    women = np.concatenate([np.full(998, 678.0), [1206.0], [2225.0, 2225.0], np.full(999, 2300.0)])
    return men, women


def acme(seed: int = 2017) -> pd.DataFrame:
    """The Acme Ltd workforce: 4,500 relevant employees, 4,445 FPREs, rows shuffled."""
    rng = np.random.default_rng(seed)
    men_rate, women_rate = acme_rates()
    men_bonus, women_bonus = acme_bonuses()
    parts = []
    for sex, rates, n_other, bonuses in (
        ("Male", men_rate, 30, men_bonus),
        ("Female", women_rate, 25, women_bonus),
    ):
        n = len(rates) + n_other
        bonus = np.zeros(n)
        bonus[rng.permutation(n)[: len(bonuses)]] = rng.permutation(bonuses)
        parts.append(
            pd.DataFrame(
                {
                    "sex": sex,
                    "hourly_rate_given": np.concatenate([rates / 100, np.full(n_other, 6.5)]),
                    "full_pay": np.r_[np.ones(len(rates), bool), np.zeros(n_other, bool)],
                    "bonus_pay_12m": bonus,
                }
            )
        )
    data = pd.concat(parts, ignore_index=True)
    data = data.iloc[rng.permutation(len(data))].reset_index(drop=True)
    return workforce(**{c: data[c].to_numpy() for c in data.columns})


@pytest.fixture(scope="module")
def acme_df() -> pd.DataFrame:
    return acme()


@pytest.fixture(scope="module")
def acme_gpg(acme_df: pd.DataFrame) -> list[Metric]:
    return paygap.gender_pay_gap(acme_df)


def find(rows: list[Metric], measure: str, group: str = "", breakdown: str = "overall", **kw):
    """The one row matching; fails if there is not exactly one."""
    hits = [
        r
        for r in rows
        if r.measure == measure
        and r.group == group
        and r.breakdown == breakdown
        and all(getattr(r, k) == v for k, v in kw.items())
    ]
    assert len(hits) == 1, (measure, group, breakdown, kw, hits)
    return hits[0]


def dp1(x: float | None) -> str:
    assert x is not None
    return format_value(x, 1)


# --- hourly rate (§1.6, vector 5) and FPREs (§1.2, vector 6) -----------------------------------


class TestHourlyRate:
    def test_vector5_monthly_weekly_fortnightly(self) -> None:
        df = workforce(
            ordinary_pay=[2497.50, 600.0, 1200.0],
            contracted_hours=[37.5, 40.0, 37.5],
            pay_frequency=["monthly", "weekly", "fortnightly"],
        )
        rate = paygap.hourly_rate(df)
        assert round(rate[0], 4) == 15.3154
        assert rate[1] == pytest.approx(15.00, abs=1e-12)
        assert rate[2] == pytest.approx(16.00, abs=1e-12)

    def test_four_weekly_and_yearly_and_blank_frequency(self) -> None:
        df = workforce(
            ordinary_pay=[1400.0, 36500.0, 2497.50],
            contracted_hours=[35.0, 50.0, 37.5],
            pay_frequency=["4-weekly", "yearly", None],
        )
        rate = paygap.hourly_rate(df)
        assert rate[0] == pytest.approx(1400 * 7 / 28 / 35)
        assert rate[1] == pytest.approx(36500 * 7 / 365 / 50)
        assert round(rate[2], 4) == 15.3154  # blank = monthly (data contract §2.1)

    def test_bonus_in_period_prorated_only_when_longer(self) -> None:
        df = workforce(
            ordinary_pay=[3000.0, 3000.0, 3000.0],
            bonus_pay_in_period=[1200.0, 100.0, 50.0],
            bonus_period_days=[365.0, np.nan, 7.0],
        )
        rate = paygap.hourly_rate(df)
        assert rate[0] == pytest.approx((3000 + 1200 * 30.44 / 365) * 7 / 30.44 / 37.5)
        assert rate[1] == pytest.approx(3100 * 7 / 30.44 / 37.5)  # blank = the pay period
        assert rate[2] == pytest.approx(3050 * 7 / 30.44 / 37.5)  # shorter: counted in full

    def test_given_rate_used_as_is_and_impossible_rows_nan(self) -> None:
        df = workforce(
            ordinary_pay=[2000.0, 2000.0, 2000.0, 2000.0],
            hourly_rate_given=[12.3456, np.nan, np.nan, np.nan],
            contracted_hours=[37.5, 0.0, 37.5, 37.5],
            pay_frequency=["monthly", "monthly", "hourly-ish", "weekly"],
        )
        rate = paygap.hourly_rate(df)
        assert rate[0] == 12.3456
        assert math.isnan(rate[1]) and math.isnan(rate[2])
        assert rate[3] == pytest.approx(2000 / 37.5)


class TestIsFpre:
    # (situation, full_pay flag recorded by payroll, FPRE?) - methodology §1.2 / §11 vector 6
    CASES = [
        ("worked the full week", True, True),
        ("annual leave on full pay", True, True),
        ("a day of unpaid special leave", False, False),
        ("shared parental leave on statutory pay", False, False),
        ("pay reduced by strike action (not leave)", True, True),
        ("part-timer on full contractual pay", True, True),
    ]

    def test_vector6_classification(self) -> None:
        df = workforce(full_pay=[c[1] for c in self.CASES], ordinary_pay=[1000.0] * len(self.CASES))
        assert paygap.is_fpre(df).tolist() == [c[2] for c in self.CASES]

    def test_blank_or_missing_flag_means_full_pay(self) -> None:
        df = workforce(
            full_pay=pd.array([True, None, False], dtype="boolean"), ordinary_pay=[1.0] * 3
        )
        assert paygap.is_fpre(df).tolist() == [True, True, False]
        assert paygap.is_fpre(df.drop(columns="full_pay")).tolist() == [True] * 3

    def test_non_fpres_stay_in_bonus_denominators(self) -> None:
        df = workforce(
            sex=["Male", "Male", "Female", "Female", "Female"],
            ordinary_pay=[3000.0, 3000.0, 2500.0, 2500.0, 500.0],
            full_pay=[True, True, True, True, False],
            bonus_pay_12m=[100.0, 0.0, 0.0, 0.0, 80.0],
        )
        rows = paygap.gender_pay_gap(df)
        women = find(rows, "gpg.bonus_receipt", "Female")
        assert (women.numerator, women.denominator, women.n) == (1, 3, 3)
        mean = find(rows, "gpg.mean_hourly_gap", "Female")
        assert (mean.numerator, mean.denominator, mean.n) == (2, 2, 4)  # non-FPRE left out
        assert mean.value == pytest.approx((3000 - 2500) / 3000 * 100)
        bonus = find(rows, "gpg.mean_bonus_gap", "Female")
        assert bonus.value == pytest.approx(20.0)  # the non-FPRE's bonus counts


# --- quarters (§1.8, vectors 2 and 3) -------------------------------------------------------


class TestQuartileSizes:
    @pytest.mark.parametrize(
        ("n", "sizes"),
        [
            (4445, (1112, 1111, 1111, 1111)),
            (10, (3, 2, 3, 2)),
            (11, (3, 3, 3, 2)),
            (8, (2, 2, 2, 2)),
            (9, (3, 2, 2, 2)),
            (0, (0, 0, 0, 0)),
            (1, (1, 0, 0, 0)),
        ],
    )
    def test_vector2_remainder_rule(self, n: int, sizes: tuple[int, int, int, int]) -> None:
        assert paygap.quartile_sizes(n) == sizes

    def test_negative_refused(self) -> None:
        with pytest.raises(ValueError):
            paygap.quartile_sizes(-1)


def _quarter_table(quarter: pd.Series, group: pd.Series) -> dict[tuple[str, str], int]:
    tab = pd.crosstab(quarter.astype(str), group.astype(str))
    return {(q, g): int(tab.at[q, g]) for q in tab.index for g in tab.columns if tab.at[q, g]}


class TestAssignQuartiles:
    def test_vector3_acme_tie_split(self) -> None:
        # 160 FPREs, quarters of 40: 30 below the tie, 40 tied (positions 31-70: 10 lower,
        # 30 lower middle), 90 above.
        rates = np.r_[np.linspace(8, 9, 30), np.full(40, 10.0), np.linspace(11, 20, 90)]
        groups = np.r_[["Male"] * 30, ["Female"] * 36, ["Male"] * 4, ["Female"] * 90]
        order = np.random.default_rng(3).permutation(160)
        rate = pd.Series(rates[order])
        group = pd.Series(groups[order])
        q = paygap.assign_quartiles(rate, group, ["Female", "Male"])
        tied = rate == 10.0
        t = _quarter_table(q[tied], group[tied])
        assert t == {
            ("lower", "Female"): 9,
            ("lower", "Male"): 1,
            ("lower_middle", "Female"): 27,
            ("lower_middle", "Male"): 3,
        }
        assert q.value_counts().to_dict() == dict.fromkeys(paygap.QUARTERS, 40)

    def test_block_over_three_quarters_and_three_groups(self) -> None:
        # 12 people, quarters of 3: one low, ten tied, one high; the block spans all four.
        rate = pd.Series([1.0] + [5.0] * 10 + [9.0])
        group = pd.Series(["A"] + ["A"] * 4 + ["B"] * 4 + ["C"] * 2 + ["C"])
        q = paygap.assign_quartiles(rate, group, ["A", "B", "C"])
        t = _quarter_table(q[1:11], group[1:11])
        # lower: 2 slots of {A4,B4,C2}: quotas .8,.8,.4 -> A1 B1 (equal remainders: A first)
        # lower_middle: 3 of {A3,B3,C2}: 1.125,1.125,.75 -> A1 B1 C1
        # upper_middle: 3 of {A2,B2,C1}: 1.2,1.2,.6 -> A1 B1 C1; upper takes A1 B1 C0
        assert t == {
            ("lower", "A"): 1,
            ("lower", "B"): 1,
            ("lower_middle", "A"): 1,
            ("lower_middle", "B"): 1,
            ("lower_middle", "C"): 1,
            ("upper", "A"): 1,
            ("upper", "B"): 1,
            ("upper_middle", "A"): 1,
            ("upper_middle", "B"): 1,
            ("upper_middle", "C"): 1,
        }
        assert q[0] == "lower" and q[11] == "upper"

    def test_group_order_breaks_equal_remainders(self) -> None:
        rate = pd.Series([5.0] * 4)
        group = pd.Series(["M", "F", "M", "F"])
        first_f = paygap.assign_quartiles(rate, group, ["F", "M"])
        first_m = paygap.assign_quartiles(rate, group, ["M", "F"])
        assert group[first_f == "lower"].tolist() == ["F"]
        assert group[first_m == "lower"].tolist() == ["M"]

    def test_tie_precision(self) -> None:
        rate = pd.Series([1.0, 2.0, 2.00001, 3.0])
        group = pd.Series(["F", "M", "F", "M"])
        tied = paygap.assign_quartiles(rate, group, ["F", "M"], tie_dp=4)
        exact = paygap.assign_quartiles(rate, group, ["F", "M"], tie_dp=None)
        # 4 dp: 2.0 and 2.00001 tie across lower_middle / upper_middle; F listed first -> F lower
        assert tied[2] == "lower_middle" and tied[1] == "upper_middle"
        assert exact[1] == "lower_middle" and exact[2] == "upper_middle"

    def test_missing_rates_get_no_quarter(self) -> None:
        rate = pd.Series([1.0, np.nan, 2.0, 3.0, 4.0], index=[10, 11, 12, 13, 14])
        q = paygap.assign_quartiles(rate, pd.Series(["F"] * 5, index=rate.index), ["F"])
        assert q.isna().tolist() == [False, True, False, False, False]
        assert q.dropna().tolist() == list(paygap.QUARTERS)


class TestGapPct:
    def test_formula_and_sign(self) -> None:
        assert paygap.gap_pct(15.0, 14.0) == pytest.approx(6.6667, abs=1e-4)
        assert paygap.gap_pct(10.0, 12.0) == pytest.approx(-20.0)

    @pytest.mark.parametrize(
        ("ref", "comp"), [(0.0, 1.0), (None, 1.0), (math.nan, 1.0), (1.0, None)]
    )
    def test_undefined_is_none(self, ref: float | None, comp: float | None) -> None:
        assert paygap.gap_pct(ref, comp) is None


# --- the Acme example (§1.9, vector 1) -------------------------------------------------------


class TestAcmeGenderPayGap:
    def test_population(self, acme_df: pd.DataFrame) -> None:
        assert len(acme_df) == 4500
        assert int(paygap.is_fpre(acme_df).sum()) == 4445
        fpre = acme_df[paygap.is_fpre(acme_df)]
        rates = fpre.groupby("sex", observed=True)["hourly_rate_given"]
        assert rates.sum()["Male"] == pytest.approx(23550)
        assert rates.sum()["Female"] == pytest.approx(46900)
        women = np.sort(fpre.loc[fpre["sex"] == "Female", "hourly_rate_given"])
        assert (women[1549], women[1550]) == (13.5, 14.5)

    def test_vector1_one_decimal_place(self, acme_gpg: list[Metric]) -> None:
        got = {
            "mean": dp1(find(acme_gpg, "gpg.mean_hourly_gap", "Female").value),
            "median": dp1(find(acme_gpg, "gpg.median_hourly_gap", "Female").value),
            "bonus M": dp1(find(acme_gpg, "gpg.bonus_receipt", "Male").value),
            "bonus W": dp1(find(acme_gpg, "gpg.bonus_receipt", "Female").value),
            "mean bonus": dp1(find(acme_gpg, "gpg.mean_bonus_gap", "Female").value),
            "median bonus": dp1(find(acme_gpg, "gpg.median_bonus_gap", "Female").value),
        }
        assert got == {
            "mean": "13.6",
            "median": "6.7",
            "bonus M": "94.5",
            "bonus W": "64.0",
            "mean bonus": "9.7",
            "median bonus": "3.3",
        }
        quarters = [
            (
                dp1(find(acme_gpg, "gpg.quartile_share", "Male", f"quartile={q}").value),
                dp1(find(acme_gpg, "gpg.quartile_share", "Female", f"quartile={q}").value),
            )
            for q in paygap.QUARTERS
        ]
        assert quarters == [
            ("16.8", "83.2"),
            ("9.9", "90.1"),
            ("26.8", "73.2"),
            ("67.5", "32.5"),
        ]

    def test_unrounded_checks(self, acme_gpg: list[Metric]) -> None:
        assert find(acme_gpg, "gpg.mean_hourly_gap", "Female").value == pytest.approx(
            (23550 / 1345 - 46900 / 3100) / (23550 / 1345) * 100
        )
        assert find(acme_gpg, "gpg.mean_hourly_gap", "Female").value == pytest.approx(
            13.594, abs=5e-4
        )
        assert find(acme_gpg, "gpg.median_hourly_gap", "Female").value == pytest.approx(100 / 15)
        assert find(acme_gpg, "gpg.mean_bonus_gap", "Female").value == pytest.approx(
            160 / 1650 * 100
        )
        assert find(acme_gpg, "gpg.median_bonus_gap", "Female").value == pytest.approx(
            75 / 2300 * 100
        )

    def test_counts_recorded_for_disclosure(self, acme_gpg: list[Metric]) -> None:
        mean = find(acme_gpg, "gpg.mean_hourly_gap", "Female")
        assert (mean.numerator, mean.denominator, mean.n, mean.reference_group) == (
            3100,
            1345,
            4445,
            "Male",
        )
        bonus = find(acme_gpg, "gpg.median_bonus_gap", "Female")
        assert (bonus.numerator, bonus.denominator, bonus.n) == (2000, 1300, 3300)
        receipt = find(acme_gpg, "gpg.bonus_receipt", "Male")
        assert (receipt.numerator, receipt.denominator, receipt.n) == (1300, 1375, 1375)
        cells = {
            (r.breakdown, r.group): (r.numerator, r.denominator)
            for r in acme_gpg
            if r.measure == "gpg.quartile_share"
        }
        assert cells == {
            ("quartile=lower", "Male"): (187, 1112),
            ("quartile=lower", "Female"): (925, 1112),
            ("quartile=lower_middle", "Male"): (110, 1111),
            ("quartile=lower_middle", "Female"): (1001, 1111),
            ("quartile=upper_middle", "Male"): (298, 1111),
            ("quartile=upper_middle", "Female"): (813, 1111),
            ("quartile=upper", "Male"): (750, 1111),
            ("quartile=upper", "Female"): (361, 1111),
        }
        assert all(r.ok and r.unit == "pct" for r in acme_gpg)
        assert len(acme_gpg) == 4 + 2 + 8

    def test_rates_computed_from_pay_give_the_same_figures(self, acme_df: pd.DataFrame) -> None:
        df = acme_df.copy()
        df["ordinary_pay"] = df["hourly_rate_given"] * 40
        df["contracted_hours"] = 40.0
        df["pay_frequency"] = pd.Categorical(["weekly"] * len(df))
        df["hourly_rate_given"] = np.nan
        rows = paygap.gender_pay_gap(df)
        a = {(r.measure, r.breakdown, r.group): dp1(r.value) for r in rows}
        b = {
            (r.measure, r.breakdown, r.group): dp1(r.value) for r in paygap.gender_pay_gap(acme_df)
        }
        assert a == b

    def test_unknown_sex_left_out_of_all_six(self, acme_df: pd.DataFrame) -> None:
        extra = workforce(
            sex=["Unknown"] * 7, hourly_rate_given=[1.0] * 7, bonus_pay_12m=[9999.0] * 7
        )
        df = pd.concat([acme_df, extra], ignore_index=True)
        df["sex"] = pd.Categorical(df["sex"], categories=["Male", "Female", "Unknown"])
        rows = paygap.gender_pay_gap(df)
        assert to_frame(rows).equals(to_frame(paygap.gender_pay_gap(acme_df)))


# --- bonus edge cases (§1.10, vector 7) and not-calculable figures ------------------------------


def _small(sex: list[str], bonus: list[float], pay: list[float] | None = None) -> pd.DataFrame:
    return workforce(
        sex=sex, bonus_pay_12m=bonus, ordinary_pay=pay or [2500.0 + 10 * i for i in range(len(sex))]
    )


class TestBonusEdges:
    def test_vector7_no_women_paid_a_bonus(self) -> None:
        df = _small(["Male", "Male", "Female", "Female"], [100.0, 0.0, 0.0, 0.0])
        rows = paygap.gender_pay_gap(df)
        assert find(rows, "gpg.bonus_receipt", "Female").value == 0.0
        for m in ("gpg.mean_bonus_gap", "gpg.median_bonus_gap"):
            r = find(rows, m, "Female")
            assert r.value == 100.0 and r.ok
            assert (r.numerator, r.denominator, r.n) == (0, 1, 1)

    def test_vector7_no_men_paid_a_bonus(self) -> None:
        df = _small(["Male", "Male", "Female", "Female"], [0.0, 0.0, 50.0, 0.0])
        with pytest.warns(MeasureWarning, match="no bonus recipients in reference group Male"):
            rows = paygap.gender_pay_gap(df)
        for m in ("gpg.mean_bonus_gap", "gpg.median_bonus_gap"):
            r = find(rows, m, "Female")
            assert r.value is None and r.status.startswith("not_calculable: ")
        assert find(rows, "gpg.bonus_receipt", "Male").value == 0.0

    def test_no_men_at_all_is_never_zero(self) -> None:
        df = _small(["Female", "Female"], [0.0, 0.0])
        with pytest.warns(MeasureWarning):
            rows = paygap.gender_pay_gap(df)
        for m in ("gpg.mean_hourly_gap", "gpg.median_hourly_gap"):
            r = find(rows, m, "Female")
            assert r.value is None and "reference group Male" in r.status
        male = find(rows, "gpg.bonus_receipt", "Male")
        assert male.value is None and male.n == 0

    def test_reference_rate_zero_not_calculable(self) -> None:
        df = _small(["Male", "Female"], [0.0, 0.0], pay=[0.0, 2000.0])
        with pytest.warns(MeasureWarning, match="is 0"):
            rows = paygap.gender_pay_gap(df)
        assert find(rows, "gpg.mean_hourly_gap", "Female").value is None

    def test_tiny_workforce_empty_quarters_not_calculable(self) -> None:
        df = _small(["Male", "Female"], [0.0, 0.0])
        rows = paygap.gender_pay_gap(df)
        upper = find(rows, "gpg.quartile_share", "Male", "quartile=lower_middle")
        assert upper.value is None and upper.n == 0
        # 2 FPREs: quarters (1, 0, 1, 0); the man (£2,500) lower, the woman (£2,510) upper middle
        assert find(rows, "gpg.quartile_share", "Male", "quartile=lower").value == 100.0
        assert find(rows, "gpg.quartile_share", "Female", "quartile=upper_middle").value == 100.0


# --- ethnicity (§2, §2.5 last bullet), disability, sexual orientation -------------------------


@pytest.fixture(scope="module")
def acme_epg(acme_df: pd.DataFrame) -> list[Metric]:
    df = acme_df.copy()
    df["ethnic_code"] = pd.array(np.where(df["sex"] == "Male", "A", "N"), dtype="string")
    df["ethnic_wres"] = wres_group(df["ethnic_code"])
    df["ethnic_group"] = high_level_group(df["ethnic_code"])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", MeasureWarning)
        return paygap.ethnicity_pay_gap(df)


class TestEthnicityPayGap:
    EXPECTED = {
        "mean_hourly_gap": "13.6",
        "median_hourly_gap": "6.7",
        "mean_bonus_gap": "9.7",
        "median_bonus_gap": "3.3",
    }

    @pytest.mark.parametrize(
        ("group", "reference", "breakdown"),
        [
            ("Black", "White British", "overall"),
            ("BME", "White British", "overall"),
            ("BME", "White", "overall"),
            ("Black or Black British - African", "White British", "grouping=category"),
        ],
    )
    def test_acme_relabelled(
        self, acme_epg: list[Metric], group: str, reference: str, breakdown: str
    ) -> None:
        got = {
            m: dp1(find(acme_epg, f"epg.{m}", group, breakdown, reference_group=reference).value)
            for m in self.EXPECTED
        }
        assert got == self.EXPECTED

    def test_quarters_by_high_level_and_wres(self, acme_epg: list[Metric]) -> None:
        for grouping, ref, comp in (
            ("high_level", "White British", "Black"),
            ("wres", "White", "BME"),
        ):
            shares = [
                (
                    dp1(
                        find(
                            acme_epg, "epg.quartile_share", ref, f"quartile={q};grouping={grouping}"
                        ).value
                    ),
                    dp1(
                        find(
                            acme_epg,
                            "epg.quartile_share",
                            comp,
                            f"quartile={q};grouping={grouping}",
                        ).value
                    ),
                )
                for q in paygap.QUARTERS
            ]
            assert shares == [("16.8", "83.2"), ("9.9", "90.1"), ("26.8", "73.2"), ("67.5", "32.5")]
        mixed = find(acme_epg, "epg.quartile_share", "Mixed", "quartile=upper;grouping=high_level")
        assert mixed.value == 0.0 and mixed.n == 1111

    def test_bonus_receipt_per_group(self, acme_epg: list[Metric]) -> None:
        assert dp1(find(acme_epg, "epg.bonus_receipt", "White British").value) == "94.5"
        assert dp1(find(acme_epg, "epg.bonus_receipt", "Black").value) == "64.0"
        assert dp1(find(acme_epg, "epg.bonus_receipt", "White").value) == "94.5"
        assert dp1(find(acme_epg, "epg.bonus_receipt", "BME").value) == "64.0"

    def test_empty_groups_not_calculable(self, acme_epg: list[Metric]) -> None:
        r = find(acme_epg, "epg.mean_hourly_gap", "Asian", reference_group="White British")
        assert r.value is None and r.status.startswith("not_calculable")
        # categories absent from the data get no rows
        assert not [r for r in acme_epg if r.group == "Asian or Asian British - Indian"]

    def test_both_references_and_unknowns(self) -> None:
        # A (White British) 10.0; C (White other) 12.0; H (Asian) 9.0; Z unknown 5.0
        df = workforce(
            ethnic_code=["A", "A", "C", "C", "H", "H", "Z", None],
            hourly_rate_given=[10.0, 10.0, 12.0, 12.0, 9.0, 9.0, 5.0, 5.0],
        )
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", MeasureWarning)
            rows = paygap.ethnicity_pay_gap(df)
        wb = find(rows, "epg.mean_hourly_gap", "BME", reference_group="White British")
        assert wb.value == pytest.approx(10.0) and (wb.numerator, wb.denominator) == (2, 2)
        white = find(rows, "epg.mean_hourly_gap", "BME", reference_group="White")
        assert white.value == pytest.approx((11 - 9) / 11 * 100)
        assert (white.numerator, white.denominator, white.n) == (2, 4, 6)
        other = find(rows, "epg.mean_hourly_gap", "White other", reference_group="White British")
        assert other.value == pytest.approx(-20.0)
        # Unknown stays in the ranking (2 of 8: both in the lower quarter)
        unknown = find(rows, "epg.quartile_share", "Unknown", "quartile=lower;grouping=high_level")
        assert (unknown.numerator, unknown.denominator) == (2, 2)
        no_unknown = Settings(epg=EPG(unknown_in_quartiles=False))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", MeasureWarning)
            rows2 = paygap.ethnicity_pay_gap(df, no_unknown)
        assert not [r for r in rows2 if r.group == "Unknown"]
        bme_lower = find(rows2, "epg.quartile_share", "BME", "quartile=lower;grouping=wres")
        assert (bme_lower.numerator, bme_lower.denominator) == (2, 2)  # 6 ranked: (2,1,2,1)


class TestDisabilityAndSexualOrientation:
    def test_dpg_golden(self) -> None:
        df = workforce(
            disability_group=["Disabled", "Disabled", "Non-disabled", "Non-disabled", "Unknown"],
            hourly_rate_given=[9.0, 11.0, 12.0, 14.0, 1.0],
            bonus_pay_12m=[0.0, 100.0, 200.0, 200.0, 5.0],
        )
        rows = paygap.disability_pay_gap(df)
        assert find(rows, "dpg.mean_hourly_gap", "Disabled").value == pytest.approx(
            (13 - 10) / 13 * 100
        )
        assert find(rows, "dpg.mean_hourly_gap", "Disabled").reference_group == "Non-disabled"
        assert find(rows, "dpg.mean_bonus_gap", "Disabled").value == pytest.approx(50.0)
        assert find(rows, "dpg.bonus_receipt", "Disabled").value == pytest.approx(50.0)
        assert find(rows, "dpg.bonus_receipt", "Non-disabled").value == pytest.approx(100.0)
        unknown = find(rows, "dpg.quartile_share", "Unknown", "quartile=lower")
        assert (unknown.numerator, unknown.denominator) == (1, 2)

    def test_sopg_golden(self) -> None:
        df = workforce(
            sexual_orientation_group=["LGB+", "LGB+", "Heterosexual", "Heterosexual"],
            hourly_rate_given=[20.0, 10.0, 10.0, 10.0],
        )
        rows = paygap.sexual_orientation_pay_gap(df)
        assert find(rows, "sopg.mean_hourly_gap", "LGB+").value == pytest.approx(-50.0)
        assert find(rows, "sopg.median_hourly_gap", "LGB+").value == pytest.approx(-50.0)
        assert find(rows, "sopg.mean_hourly_gap", "LGB+").reference_group == "Heterosexual"


# --- intersections (§9) ---------------------------------------------------------------------


def _crossed() -> pd.DataFrame:
    return workforce(
        ethnic_code=["A", "A", "N", "N", "A", "N", "Z", "A"],
        sex=["Male", "Female", "Male", "Female", "Male", "Female", "Male", "Unknown"],
        disability_group=["Non-disabled"] * 4 + ["Disabled", "Disabled", "Non-disabled", "Unknown"],
        hourly_rate_given=[20.0, 16.0, 18.0, 12.0, 20.0, 12.0, 30.0, 30.0],
    )


class TestIntersection:
    def test_combined_reference(self) -> None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", MeasureWarning)
            rows = paygap.intersection_pay_gaps(_crossed())
        bd = "crossing=ethnicity|sex"
        r = find(rows, "intersection.epg.mean_hourly_gap", "BME|Female", bd)
        assert r.reference_group == "White|Male"
        assert r.value == pytest.approx(40.0)  # (20 - 12) / 20
        assert (r.numerator, r.denominator) == (2, 2)
        assert find(rows, "intersection.epg.mean_hourly_gap", "White|Female", bd).value == (
            pytest.approx(20.0)
        )
        dis = find(
            rows, "intersection.dpg.mean_hourly_gap", "Disabled|Female", "crossing=disability|sex"
        )
        assert dis.reference_group == "Non-disabled|Male"
        ed = find(
            rows,
            "intersection.epg.mean_hourly_gap",
            "BME|Disabled",
            "crossing=ethnicity|disability",
        )
        assert ed.reference_group == "White|Non-disabled"
        assert ed.value == pytest.approx((18 - 12) / 18 * 100)  # White|Non-disabled = 20,16 -> 18
        # unknown cells: out of gaps, in the ranking as Unknown
        assert not [r for r in rows if "Unknown" in r.group and "gap" in r.measure]
        shares = [
            r
            for r in rows
            if r.measure == "intersection.epg.quartile_share" and r.breakdown.endswith(bd)
        ]
        assert {r.group for r in shares} == {
            "White|Male",
            "White|Female",
            "BME|Male",
            "BME|Female",
            "Unknown",
        }
        assert sum(r.numerator for r in shares) == 8

    def test_within_second(self) -> None:
        settings = Settings(intersection=Intersection(comparison="within_second"))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", MeasureWarning)
            rows = paygap.intersection_pay_gaps(_crossed(), settings)
        bd = "crossing=ethnicity|sex"
        f = find(rows, "intersection.epg.mean_hourly_gap", "BME|Female", bd)
        assert f.reference_group == "White|Female"
        assert f.value == pytest.approx(25.0)  # (16 - 12) / 16
        m = find(rows, "intersection.epg.mean_hourly_gap", "BME|Male", bd)
        assert m.reference_group == "White|Male" and m.value == pytest.approx(10.0)
        assert (
            len(
                [
                    r
                    for r in rows
                    if r.measure == "intersection.epg.bonus_receipt" and r.breakdown == bd
                ]
            )
            == 4
        )

    def test_bad_mode_refused(self) -> None:
        with pytest.raises(ValueError):
            paygap.intersection_pay_gaps(
                _crossed(), Settings(intersection=Intersection(comparison="nope"))
            )


# --- uncertainty (§8) -----------------------------------------------------------------------


class TestBootstrap:
    def test_seeded_and_brackets_the_gap(self) -> None:
        rng = np.random.default_rng(0)
        df = workforce(
            sex=["Male"] * 200 + ["Female"] * 200,
            hourly_rate_given=np.r_[rng.normal(20, 2, 200), rng.normal(18, 2, 200)],
        )
        a = paygap.bootstrap_gap_ci(
            df, "sex", "Male", "Female", "mean", 500, 7, value_col="hourly_rate_given"
        )
        b = paygap.bootstrap_gap_ci(
            df, "sex", "Male", "Female", "mean", 500, 7, value_col="hourly_rate_given"
        )
        assert a == b
        rows = paygap.gender_pay_gap(df)
        point = find(rows, "gpg.mean_hourly_gap", "Female").value
        assert a[0] < point < a[1]
        assert a[1] - a[0] < 6
        # computed hourly rates for FPREs when the value column is absent
        c = paygap.bootstrap_gap_ci(df, "sex", "Male", "Female", "median", 300, 7)
        assert c[0] < find(rows, "gpg.median_hourly_gap", "Female").value < c[1]

    def test_chunking_does_not_change_the_result(self) -> None:
        df = workforce(sex=["Male", "Female"] * 50, hourly_rate_given=np.arange(100.0) + 1)
        kw = {"value_col": "hourly_rate_given"}
        big = paygap.bootstrap_gap_ci(df, "sex", "Male", "Female", "median", 200, 1, **kw)
        small = paygap.bootstrap_gap_ci(
            df, "sex", "Male", "Female", "median", 200, 1, chunk_elems=150, **kw
        )
        assert big == small

    def test_empty_group_gives_nan(self) -> None:
        df = workforce(sex=["Male"] * 3, hourly_rate_given=[1.0, 2.0, 3.0])
        low, high = paygap.bootstrap_gap_ci(df, "sex", "Male", "Female", "mean", 10, 1)
        assert math.isnan(low) and math.isnan(high)

    def test_enabled_setting_fills_intervals(self) -> None:
        df = workforce(sex=["Male", "Female"] * 30, hourly_rate_given=np.linspace(10, 20, 60))
        settings = Settings(uncertainty=Uncertainty(enabled=True, bootstrap_reps=200, seed=3))
        rows = paygap.gender_pay_gap(df, settings)
        for m in ("gpg.mean_hourly_gap", "gpg.median_hourly_gap"):
            r = find(rows, m, "Female")
            assert r.ci_low is not None and r.ci_low < r.value < r.ci_high
        assert find(rows, "gpg.mean_bonus_gap", "Female").ci_low is None
        assert paygap.gender_pay_gap(df)[0].ci_low is None  # off by default
