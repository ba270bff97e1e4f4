"""The 2026 rules: statutory ethnicity and disability pay gaps, board figures in full,
year-on-year tests, pay gap decomposition and equality action plans.

Spec: docs/methodology-2026.md §2.8-§2.10, §6.1, §8.1. Small hand-checked examples; groups
of exactly 9 and exactly 10 employees on each side of the statutory minimum.
"""

from __future__ import annotations

import dataclasses
import doctest
import math

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from edi_reports.config import DEFAULT_SETTINGS, Settings
from edi_reports.disclosure import control as disclosure
from edi_reports.errors import EdiError
from edi_reports.intake.classifications import high_level_group, wres_group
from edi_reports.measures import decomposition, significance, statutory
from edi_reports.measures.metrics import metric, to_frame
from edi_reports.measures.paygap import gender_pay_gap
from edi_reports.report.trends import SUMMARY, summary_rows
from edi_reports.submissions import action_plan

pytestmark = pytest.mark.filterwarnings("ignore::edi_reports.measures.metrics.MeasureWarning")

STAR = DEFAULT_SETTINGS.disclosure.symbol
ASIAN = "Asian or Asian British"
BLACK = "Black, Black British, Caribbean or African"
MIXED = "Mixed or multiple ethnic groups"
OTHER = "Other ethnic group"


def workforce(rates: list[float], codes: list[str], disability: list[str] | None = None):
    """A cleaned workforce table with given hourly rates (payroll's own figure)."""
    n = len(rates)
    df = pd.DataFrame(
        {
            "sex": pd.Categorical(
                ["Female" if i % 2 else "Male" for i in range(n)],
                categories=["Male", "Female", "Unknown"],
            ),
            "ethnic_code": pd.Series(codes, dtype="string"),
            "disability_group": pd.Categorical(
                disability or ["Non-disabled"] * n,
                categories=["Disabled", "Non-disabled", "Unknown"],
            ),
            "contracted_hours": 37.5,
            "pay_frequency": "monthly",
            "ordinary_pay": 2000.0,
            "bonus_pay_in_period": 0.0,
            "bonus_pay_12m": 0.0,
            "full_pay": True,
            "hourly_rate_given": rates,
        }
    )
    df["ethnic_wres"] = wres_group(df["ethnic_code"])
    df["ethnic_group"] = high_level_group(df["ethnic_code"])
    return df


def example(n_white: int, n_asian: int, n_black: int, black_disabled: bool = True):
    """White: half £10, half £20 (mean £15); Asian (H) £12; Black (M) £15, Disabled."""
    rates = [10.0] * (n_white // 2) + [20.0] * (n_white - n_white // 2)
    rates += [12.0] * n_asian + [15.0] * n_black
    codes = ["A"] * (n_white // 3) + ["C"] * (n_white - n_white // 3)
    codes += ["H"] * n_asian + ["M"] * n_black
    disability = ["Non-disabled"] * (n_white + n_asian) + (
        ["Disabled" if black_disabled else "Non-disabled"] * n_black
    )
    return workforce(rates, codes, disability)


def value_of(rows, measure: str, group: str, breakdown: str = "overall"):
    for r in rows:
        if r.measure == measure and r.group == group and r.breakdown == breakdown:
            return r
    raise AssertionError(f"no {measure} {group} {breakdown}")


def pick(
    published: pd.DataFrame, measure: str, group: str, breakdown: str = "overall"
) -> pd.Series:
    sel = published[
        (published["measure"] == measure)
        & (published["group"] == group)
        & (published["breakdown"] == breakdown)
    ]
    assert len(sel) == 1, (measure, group, breakdown)
    return sel.iloc[0]


# --------------------------------------------------------------------------- statutory


class TestReportedGroups:
    @pytest.mark.parametrize(
        ("sizes", "expected"),
        [
            # exactly 10: compared on its own; exactly 9: never on its own
            ({"White": 50, ASIAN: 10, BLACK: 10}, {"White", ASIAN, BLACK}),
            # a lone group of 9 is combined, and the smallest group joins it (10 + 9)
            (
                {"White": 50, ASIAN: 10, BLACK: 9},
                {"White", f"Combined: {ASIAN}; {BLACK}"},
            ),
            # two small groups that together reach 10 are combined without help
            (
                {"White": 50, ASIAN: 30, MIXED: 5, OTHER: 5},
                {"White", ASIAN, f"Combined: {MIXED}; {OTHER}"},
            ),
            # 9 + smallest of (12, 30) = 21
            (
                {"White": 50, ASIAN: 30, BLACK: 12, MIXED: 9},
                {"White", ASIAN, f"Combined: {BLACK}; {MIXED}"},
            ),
            # everyone small: one combined group (below the minimum; withheld when published)
            ({"White": 50, MIXED: 4, OTHER: 3}, {"White", f"Combined: {MIXED}; {OTHER}"}),
        ],
    )
    def test_table(self, sizes, expected):
        assert set(statutory.reported_groups(sizes, 10)) == expected

    def test_chinese_is_asian(self):
        df = workforce([10.0, 11.0], ["R", "S"])
        assert statutory.five_group(df).tolist() == [ASIAN, OTHER]

    def test_unknown_codes_not_disclosed(self):
        df = workforce([10.0, 11.0, 12.0], ["Z", "99", "A"])
        df.loc[1, "ethnic_code"] = pd.NA
        assert statutory.five_group(df).tolist() == ["Not disclosed"] * 2 + ["White"]


class TestStatutoryFigures:
    def test_binary_and_five_groups_with_ten(self):
        rows = statutory.statutory_ethnicity_pay_gap(example(230, 10, 10))
        # binary: minority mean (10 x 12 + 10 x 15) / 20 = 13.50 against 15 -> 10.0 %
        assert value_of(rows, "sepg.mean_hourly_gap", "All other ethnic groups").value == (
            pytest.approx(10.0)
        )
        # five groups: Asian (exactly 10) 20.0 %, Black (exactly 10) 0.0 %
        five = "grouping=five_groups"
        assert value_of(rows, "sepg.mean_hourly_gap", ASIAN, five).value == pytest.approx(20.0)
        assert value_of(rows, "sepg.median_hourly_gap", BLACK, five).value == pytest.approx(0.0)
        assert value_of(rows, "sepg.bonus_receipt", BLACK, five).denominator == 10

    def test_group_of_nine_is_combined(self):
        rows = statutory.statutory_ethnicity_pay_gap(example(232, 10, 9))
        five = "grouping=five_groups"
        groups = {r.group for r in rows if r.breakdown == five}
        assert BLACK not in groups and ASIAN not in groups
        combined = f"Combined: {ASIAN}; {BLACK}"
        # (10 x 12 + 9 x 15) / 19 = 13.4211 against 15 -> 10.526 %
        assert value_of(rows, "sepg.mean_hourly_gap", combined, five).value == pytest.approx(
            (15 - 255 / 19) / 15 * 100
        )

    def test_composition_counts_non_disclosure(self):
        df = example(20, 10, 0)
        df.loc[0:2, "ethnic_code"] = "Z"
        rows = statutory.statutory_ethnicity_pay_gap(df)
        nd = value_of(rows, "sepg.composition", "Not disclosed")
        assert (nd.numerator, nd.denominator) == (3, 30)
        # people who did not disclose are left out of the figures
        assert value_of(rows, "sepg.bonus_receipt", "White").denominator == 17


def published_example(n_white: int, n_black: int) -> pd.DataFrame:
    df = example(n_white, 10, n_black)
    metrics = to_frame(gender_pay_gap(df) + statutory.statutory_pay_gaps(df))
    return disclosure.publish(metrics)


class TestStatutoryPublication:
    def test_in_scope_published_in_full(self):
        pub = published_example(230, 10)  # 250 employees: in scope
        row = pick(pub, "sepg.mean_hourly_gap", BLACK, "grouping=five_groups")
        assert row["value"] == "0.0" and "statutory" in row["note"]
        # a binary quarter's two shares add up to exactly 100.0
        for q in ("lower", "lower_middle", "upper_middle", "upper"):
            a = pick(pub, "sepg.quartile_share", "White", f"quartile={q}")["value"]
            b = pick(pub, "sepg.quartile_share", "All other ethnic groups", f"quartile={q}")[
                "value"
            ]
            assert round(float(a) + float(b), 1) == 100.0
        # disability: 10 Disabled at £15 against non-disabled (115 x 10 + 115 x 20 + 10 x 12)
        # / 240 = £14.875 -> (14.875 - 15) / 14.875 = -0.8 %
        assert pick(pub, "sdpg.mean_hourly_gap", "Disabled")["value"] == "-0.8"

    def test_nine_disabled_withheld(self):
        pub = published_example(232, 9)  # 251 employees, 9 Disabled
        gap = pick(pub, "sdpg.mean_hourly_gap", "Disabled")
        assert gap["value"] == STAR and "statutory minimum" in gap["note"]
        # every quarter share of the comparison goes, or 100 - non-disabled would give it
        for group in ("Disabled", "Non-disabled"):
            assert pick(pub, "sdpg.quartile_share", group, "quartile=lower")["value"] == STAR

    def test_out_of_scope_uses_ordinary_control(self):
        pub = published_example(40, 10)  # 60 employees
        row = pick(pub, "sepg.mean_hourly_gap", "All other ethnic groups")
        assert "statutory" not in row["note"]

    def test_submission_frame(self, tmp_path):
        pub = published_example(230, 10)
        frame = statutory.submission_frame(pub, "sepg")
        assert list(frame.columns) == statutory.SUBMISSION_COLUMNS
        binary = frame[frame["Comparison"] == "binary"]
        assert binary["Group"].tolist() == ["White", "All other ethnic groups"]
        assert binary.iloc[1]["DiffMeanHourlyPercent"] == "10.0"
        assert statutory.write_submissions(pub, tmp_path, True) == [
            "epg_submission.csv",
            "dpg_submission.csv",
        ]
        assert statutory.write_submissions(pub, tmp_path, False) == []
        assert not (tmp_path / "epg_submission.csv").exists()


# --------------------------------------------------------------------------- board


def board_frame(board_bme: int, board_n: int, wf_bme: int, wf_n: int):
    rows = [
        metric("wres.1", 100 * c / wf_n, "pct", group=g, numerator=c, denominator=wf_n, n=wf_n)
        for g, c in (("White", wf_n - wf_bme - 50), ("BME", wf_bme), ("Unknown", 50))
    ]
    rows.append(
        metric(
            "wres.9",
            100 * board_bme / board_n - 100 * wf_bme / wf_n,
            "pp",
            breakdown="board=voting",
            group="BME",
            numerator=board_bme,
            denominator=board_n,
            n=board_n,
        )
    )
    return to_frame(rows)


class TestBoardInFull:
    def test_two_of_twelve_published(self):
        # 2 of 12 board members: 16.7 % - workforce 30.0 % (300 of 1,000) = -13.3 pp
        pub = disclosure.publish(board_frame(2, 12, 300, 1000), org_headcount=1000)
        row = pick(pub, "wres.9", "BME", "board=voting")
        assert (row["value"], row["n"]) == ("-13.3", "12")
        assert "office-holders" in row["note"]

    def test_workforce_side_from_rounded_counts(self):
        # workforce 302 of 1,000 is published as 300 (30.0 %), so the figure is still -13.3
        pub = disclosure.publish(board_frame(2, 12, 302, 1000), org_headcount=1000)
        assert pick(pub, "wres.9", "BME", "board=voting")["value"] == "-13.3"

    def test_setting_restores_suppression(self):
        s = Settings(
            disclosure=dataclasses.replace(DEFAULT_SETTINGS.disclosure, board_in_full=False)
        )
        pub = disclosure.publish(board_frame(2, 12, 300, 1000), s, org_headcount=1000)
        assert pick(pub, "wres.9", "BME", "board=voting")["value"] == STAR

    def test_suppressed_workforce_share_stays_suppressed(self):
        pub = disclosure.publish(board_frame(2, 12, 5, 60))  # 5 BME staff: a count 1-7
        assert pick(pub, "wres.1", "BME")["value"] == STAR
        assert pick(pub, "wres.9", "BME", "board=voting")["value"] == STAR


# --------------------------------------------------------------------------- significance


class TestSignificance:
    def test_doctests(self):
        for module in (significance, decomposition, statutory):
            assert doctest.testmod(module).failed == 0

    def test_difference_of_proportions_golden(self):
        d, lo, hi = significance.difference_of_proportions(30.0, 400, 20.0, 300)
        # Agresti-Caffo: 121/402 = 0.300995 and 61/302 = 0.201987, centre 9.901 pp;
        # SE = sqrt(.300995 x .699005 / 402 + .201987 x .798013 / 302) = 0.032514
        assert (round(d, 1), round(lo, 2), round(hi, 2)) == (10.0, 3.53, 16.27)

    def test_empty_board_share_still_has_spread(self):
        # 0 of 6 Disabled executive members in both years: no clear change, not a
        # zero-width interval that calls a rounding of the workforce share "worse"
        d, lo, hi = significance.difference_of_proportions(0.0, 6, 0.0, 6)
        assert d == 0.0 and lo < -30 and hi > 30

    def test_ratio_of_likelihoods_golden(self):
        # methodology §8 vector: RL 1.50 with SE 0.1384 in both years -> ratio 1.00,
        # exp(±1.96 x sqrt(2) x 0.1384) = 0.681 to 1.468
        r, lo, hi = significance.ratio_of_likelihoods(1.5, 0.1384, 1.5, 0.1384)
        assert (round(r, 3), round(lo, 3), round(hi, 3)) == (1.0, 0.681, 1.468)

    @pytest.mark.parametrize(
        ("this", "last", "low", "high", "better", "null", "expected"),
        [
            (2.0, 5.0, -4.0, -2.0, "towards_0", 0.0, "better"),
            (5.0, 2.0, 1.0, 5.0, "towards_0", 0.0, "worse"),
            (5.0, 2.0, -1.0, 7.0, "towards_0", 0.0, "no clear change"),
            (1.62, 1.75, 0.8, 1.1, "towards_1", 1.0, "no clear change"),
            (1.10, 1.60, 0.6, 0.8, "towards_1", 1.0, "better"),
            (30.0, 20.0, 3.0, 17.0, "higher", 0.0, "better"),
            (30.0, 20.0, 3.0, 17.0, "lower", 0.0, "worse"),
            (-2.0, 2.0, -6.0, -2.0, "towards_0", 0.0, "changed, same distance"),
        ],
    )
    def test_verdicts(self, this, last, low, high, better, null, expected):
        assert significance.verdict(this, last, low, high, better, null) == expected

    def test_summary_status_with_interval(self):
        # the seeds' "0.13 better": WRES 2 1.62 against 1.75 with SEs of 0.15 each is noise
        def pub(rl, pct):
            return disclosure.publish(
                to_frame(
                    [
                        metric(
                            "wres.2",
                            rl,
                            "ratio",
                            group="White",
                            reference_group="BME",
                            numerator=400,
                            denominator=300,
                            n=700,
                        ),
                        metric(
                            "wres.1",
                            pct,
                            "pct",
                            group="BME",
                            numerator=pct * 10,
                            denominator=1000,
                            n=1000,
                        ),
                        metric(
                            "wres.1",
                            100 - pct,
                            "pct",
                            group="White",
                            numerator=1000 - pct * 10,
                            denominator=1000,
                            n=1000,
                        ),
                    ]
                ),
                org_headcount=1000,
            )

        se = pd.DataFrame(
            [["wres.2", "overall", "White", "BME", "log", 0.15]], columns=significance.SE_COLUMNS
        )
        this, last = pub(1.62, 30.0), pub(1.75, 20.0)
        table = summary_rows(this, last, significance.tester(this, last, se, se))
        status = dict(zip(table["Indicator"], table["Status"], strict=True))
        wres2 = next(v for k, v in status.items() if k.startswith("WRES 2"))
        assert wres2.startswith("no clear change: ratio to last year 0.93 (95 % interval")
        wres1 = next(v for k, v in status.items() if k.startswith("WRES 1"))
        assert wres1.startswith("better: +10.0 pp (95 % interval")
        rows = significance.change_rows(SUMMARY, this, last, se, se)
        assert set(rows["table"]) == {"year_on_year_change"}
        assert "no clear change; 95 % interval" in str(
            rows.loc[rows["measure"] == "change.wres.2", "note"].iloc[0]
        )

    def test_wres3_window_change_hand_checked(self):
        """WRES 3 (two-year casework window) is tested like the other likelihoods.

        This year's window: 30 of 300 BME staff and 20 of 1,000 White staff entered the
        disciplinary process (RL 5.00); last year's: 10 of 300 and 20 of 1,000 (RL 1.67).
        By hand: SE1² = 1/30 − 1/300 + 1/20 − 1/1000 = 0.079, SE2² = 1/10 − 1/300 + 1/20 −
        1/1000 = 0.145667; ratio 5.00 / 1.67 = 2.994; ln 2.994 ± 1.96·√0.224667 =
        1.09661 ± 0.92902, so 1.18 to 7.58: leaves out 1, further from parity: worse."""
        from edi_reports.measures.likelihood import Z_95, rl_confidence_interval

        def window_se(a, n1, c, n2):
            low, high = rl_confidence_interval(a, n1, c, n2)
            return (math.log(high) - math.log(low)) / (2 * Z_95)

        se1, se2 = window_se(30, 300, 20, 1000), window_se(10, 300, 20, 1000)
        assert se1 == pytest.approx(math.sqrt(0.079), rel=1e-9)
        assert se2 == pytest.approx(math.sqrt(0.145667), rel=1e-5)

        def pub(rl):
            row = metric(
                "wres.3",
                rl,
                "ratio",
                breakdown="window=2",
                group="BME",
                reference_group="White",
                numerator=300,
                denominator=1000,
                n=1300,
            )
            return disclosure.publish(to_frame([row]), org_headcount=1300)

        def se(value):
            return pd.DataFrame(
                [["wres.3", "window=2", "BME", "White", "log", value]],
                columns=significance.SE_COLUMNS,
            )

        this, last = pub(5.0), pub(10 / 300 / (20 / 1000))
        res = significance.test_change("wres.3", {}, "towards_1", "", this, last, se(se1), se(se2))
        assert isinstance(res, significance.Change)
        assert res.change == pytest.approx(5.0 / 1.67, rel=1e-9)
        assert (res.low, res.high) == (
            pytest.approx(math.exp(1.096614 - 0.929020), rel=1e-4),
            pytest.approx(math.exp(1.096614 + 0.929020), rel=1e-4),
        )
        assert round(res.low, 2) == 1.18 and round(res.high, 2) == 7.58
        assert res.verdict == "worse"
        rows = significance.change_rows(SUMMARY, this, last, se(se1), se(se2))
        note = rows.loc[rows["measure"] == "change.wres.3", "note"].iloc[0]
        assert note == "worse; 95 % interval 1.18 to 7.58"
        # the same counts a year apart with no change in the likelihood: no clear change
        same = significance.test_change("wres.3", {}, "towards_1", "", this, this, se(se1), se(se1))
        assert same.verdict == "no clear change" and same.low < 1 < same.high

    def test_standard_errors_cover_headline_gaps(self):
        df = example(230, 10, 10)
        se = significance.standard_errors(
            {"workforce": df},
            dataclasses.replace(
                DEFAULT_SETTINGS,
                uncertainty=dataclasses.replace(DEFAULT_SETTINGS.uncertainty, bootstrap_reps=200),
            ),
        )
        row = se[(se["measure"] == "gpg.mean_hourly_gap")]
        assert len(row) == 1 and float(row["se"].iloc[0]) > 0


# --------------------------------------------------------------------------- decomposition


def two_bands(women_high_rate: float = 20.0) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Men: 10 in Low (£10), 30 in High (£20); women: 30 in Low, 10 in High."""
    rate = [10.0] * 10 + [20.0] * 30 + [10.0] * 30 + [women_high_rate] * 10
    group = ["M"] * 40 + ["W"] * 40
    band = ["Low"] * 10 + ["High"] * 30 + ["Low"] * 30 + ["High"] * 10
    return pd.Series(rate), pd.Series(group), pd.Series(band)


class TestDecomposition:
    def test_composition_only(self):
        # means £17.50 and £12.50: gap 28.571 %, all composition, none within bands
        terms = decomposition.decompose(*two_bands(), "M", "W")
        assert terms["within"].abs().max() == pytest.approx(0.0)
        # Low: (0.25 - 0.75)(10 - 17.5)/17.5 = 21.4286; High: (0.75 - 0.25)(20 - 17.5)/17.5
        assert terms.loc["Low", "composition"] == pytest.approx(21.428571, abs=1e-6)
        assert terms.loc["High", "composition"] == pytest.approx(7.142857, abs=1e-6)

    def test_within_band_part(self):
        # women in High paid £18: women's mean £12; gap 5.5 / 17.5 = 31.4286 %
        terms = decomposition.decompose(*two_bands(18.0), "M", "W")
        assert terms["within"].sum() == pytest.approx(0.25 * 2 / 17.5 * 100)
        assert terms[["composition", "within"]].to_numpy().sum() == pytest.approx(5.5 / 17.5 * 100)

    @pytest.mark.parametrize(("n", "merged"), [(9, True), (10, False)])
    def test_small_band_merged(self, n, merged):
        terms = pd.DataFrame(
            {
                "n_ref": [40, 30, 20],
                "n_comp": [n, 40, 30],
                "composition": [1.0, 2.0, 3.0],
                "within": [0.5, 0.5, 0.5],
            },
            index=["A", "B", "C"],
        )
        out = decomposition.merge_small_bands(terms, 10)
        assert ("A" not in out.index) is merged
        assert out["composition"].sum() == pytest.approx(6.0)
        if merged:  # the 9 are combined with the smallest shown band, never alone
            assert out.loc[decomposition.COMBINED, "n_comp"] >= 10

    @settings(max_examples=60, derandomize=True, deadline=None)
    @given(
        st.lists(
            st.tuples(
                st.sampled_from(["M", "W"]), st.sampled_from(["B2", "B5", "B8"]), st.floats(5, 100)
            ),
            min_size=2,
            max_size=60,
        )
    )
    def test_parts_add_up_to_the_mean_gap(self, people):
        rate = pd.Series([p[2] for p in people])
        group = pd.Series([p[0] for p in people])
        band = pd.Series([p[1] for p in people])
        terms = decomposition.decompose(rate, group, band, "M", "W")
        if terms.empty:
            return
        m_r, m_c = rate[group == "M"].mean(), rate[group == "W"].mean()
        total = terms["composition"].sum() + terms["within"].sum()
        assert total == pytest.approx((m_r - m_c) / m_r * 100, abs=1e-7)

    def test_metrics_cells_carry_group_sizes(self):
        df = example(230, 10, 10)
        df["pay_band"] = ["Band 5"] * 115 + ["Band 7"] * 115 + ["Band 5"] * 20
        rows = decomposition.decomposition_metrics(df)
        comp = [r for r in rows if r.measure == "decomposition.ethnicity.composition"]
        assert all(r.n >= 10 for r in comp if r.breakdown != "overall")
        total = next(r for r in rows if r.measure == "decomposition.ethnicity.mean_gap")
        assert total.value == pytest.approx(10.0)  # the binary mean gap of TestStatutoryFigures


# --------------------------------------------------------------------------- action plan

HEADER = ",".join(action_plan.COLUMNS)
GOOD = [
    "gpg-structured-interviews,,,new_or_in_progress,Director of People,2026-27,"
    "Women appointed to 8a+,,Scored questions,",
    "men-manager-training,,,new_or_in_progress,OH lead,By March 2027,Managers trained,,"
    "A one-hour module,",
    "own,menopause,Menopause cafes,new_or_in_progress,Wellbeing lead,Quarterly,Attendance,,,",
    "men-workplace-adjustments,,,embedded,OH lead,Ongoing,Adjustments agreed,,,",
]
FLEXIBLE = (  # the one GOV.UK action on both the gender pay gap and the menopause pages
    "gpg-advertise-flexible-working,,,new_or_in_progress,Head of Resourcing,2026-27,"
    "Adverts naming flexible options,,Every advert says which patterns are possible,"
)


def plan_file(tmp_path, lines: list[str]):
    path = tmp_path / action_plan.FILE
    path.write_text("\n".join([HEADER, *lines]) + "\n", encoding="utf-8")
    return path


class TestActionPlan:
    def test_valid_plan(self, tmp_path):
        plan = action_plan.load_plan(plan_file(tmp_path, GOOD))
        assert plan["kind"].tolist() == ["gender_pay_gap", "menopause", "menopause", "menopause"]
        assert plan.loc[0, "title"] == "Use fair and structured interview techniques"
        assert plan.loc[1, "title"] == "Train managers to support employees experiencing menopause"
        assert plan.loc[0, "addresses"] == "gpg.mean_hourly_gap;gpg.median_hourly_gap"
        frame = action_plan.submission_frame(plan, "Our plan.")
        assert list(frame.columns) == action_plan.SUBMISSION_COLUMNS
        # listed actions first (with the service's numbers), then own actions, then narrative
        assert frame["Section"].tolist() == ["action"] * 3 + ["own_action", "narrative"]
        assert frame["ActionNumber"].tolist()[:3] == ["4", "16", "19"]
        assert frame["Category"].tolist()[:2] == [
            "Recruiting staff",
            "Supporting employees experiencing menopause",
        ]
        assert frame["Status"].tolist()[:4] == [
            "New or in progress",
            "New or in progress",
            "Embedded",
            "New or in progress",
        ]
        assert frame.iloc[3]["Action"] == "Menopause cafes"

    @pytest.mark.parametrize(
        ("lines", "message"),
        [
            ([*GOOD[:2], "gpg-made-up,,,embedded,A,B,C,,,"], "line 4: action_id gpg-made-up"),
            (
                [*GOOD[:2], "own,menopause,Cafe,embedded,,Soon,Count,,,"],
                "line 4: owner is empty",
            ),
            (
                [GOOD[0], GOOD[0].replace("gpg-structured-interviews", "gpg-cv-screening-bias")],
                "no menopause support action from the GOV.UK list that is new or in progress",
            ),
            # own and embedded menopause actions do not count towards the minimum
            ([GOOD[0], *GOOD[2:]], "no menopause support action from the GOV.UK list"),
            (GOOD[1:], "no gender pay gap action"),
            # the action on both pages counts once: two new or in progress are still needed
            ([FLEXIBLE, GOOD[3]], "fewer than 2 actions from the GOV.UK list"),
            ([*GOOD, GOOD[0]], "line 6: action gpg-structured-interviews is listed twice"),
            (
                [GOOD[0], GOOD[1].replace("new_or_in_progress", "started"), GOOD[2]],
                "line 3: status started",
            ),
            (
                [GOOD[0].replace("Scored questions", "word " * 101), *GOOD[1:]],
                "more than 100 words",
            ),
            (
                [GOOD[0].replace("Scored questions", ""), *GOOD[1:]],
                "line 2: supporting_text is empty",
            ),
            (
                [GOOD[0].replace(",,,new", ",,Interviews,new"), *GOOD[1:]],
                "line 2: title 'Interviews' is not GOV.UK's title",
            ),
            (
                [*GOOD, GOOD[3].replace("men-workplace-adjustments,,", "men-risk-assessment,x,")],
                "line 6: action men-risk-assessment is a menopause action, not x",
            ),
        ],
    )
    def test_problems_name_file_and_line(self, tmp_path, lines, message):
        with pytest.raises(EdiError) as err:
            action_plan.load_plan(plan_file(tmp_path, lines))
        assert message in str(err.value) and action_plan.FILE in str(err.value)
        assert "How to fix" in str(err.value)

    def test_missing_column(self, tmp_path):
        path = tmp_path / action_plan.FILE
        path.write_text("action_id,status\nown,embedded\n", encoding="utf-8")
        with pytest.raises(EdiError, match="line 1: missing column"):
            action_plan.load_plan(path)

    def test_flexible_working_counts_for_either_kind(self, tmp_path):
        """With one more listed action new or in progress, the action on both pages meets
        the gender pay gap or the menopause minimum, as on the GOV.UK service."""
        for other in (GOOD[0], GOOD[1]):
            plan = action_plan.load_plan(plan_file(tmp_path, [FLEXIBLE, other]))
            assert plan.loc[0, "title"] == "Advertise flexible working arrangements in job adverts"

    def test_aliases_and_service_numbers(self, tmp_path):
        lines = [
            GOOD[0].replace("gpg-structured-interviews", "gpg-neutral-job-adverts"),
            GOOD[1].replace("men-manager-training", "17"),
        ]
        plan = action_plan.load_plan(plan_file(tmp_path, lines))
        assert plan["action_id"].tolist() == [
            "gpg-inclusive-job-descriptions",
            "men-occupational-health-advice",
        ]

    @pytest.mark.parametrize(
        ("kind", "measure"),
        [("ethnicity_pay_gap", "sepg.mean_hourly_gap"), ("disability_pay_gap", "sdpg.")],
    )
    def test_own_ethnicity_and_disability_actions(self, tmp_path, kind, measure):
        own = f"own,{kind},Reverse mentoring,new_or_in_progress,Chief People Officer,2026-27,Gap,,,"
        plan = action_plan.load_plan(plan_file(tmp_path, [*GOOD, own]))
        row = plan.iloc[-1]
        assert row["kind"] == kind and row["addresses"].startswith(measure)
        sub = action_plan.submission_frame(plan)
        assert sub.iloc[-1]["Section"] == "own_action"
        assert sub.iloc[-1]["Kind"] == action_plan.KINDS[kind]

    def test_check_content(self, tmp_path):
        assert action_plan.check_content([tmp_path / "none", tmp_path]) is None
        plan_file(tmp_path, GOOD)
        assert len(action_plan.check_content([tmp_path])) == 4
        (tmp_path / action_plan.NARRATIVE_FILE).write_text("word " * 201, encoding="utf-8")
        with pytest.raises(EdiError, match="narrative has more than 200 words"):
            action_plan.check_content([tmp_path])

    def test_demo_plan_is_valid(self, tmp_path):
        written = action_plan.write_demo_plan(tmp_path, "XQ1", [2024, 2025])
        assert len(written) == 2
        for path in written:
            plan = action_plan.load_plan(path)
            assert set(plan["kind"]) == set(action_plan.REQUIRED_KINDS)
        assert action_plan.write_demo_plan(tmp_path, "XQ1", [2025]) == []  # never overwrites


class TestCatalogue:
    """The 18 actions of the GOV.UK gender pay gap service (methodology-2026 §2.9)."""

    def test_eighteen_actions_twelve_and_six(self):
        cat = action_plan.CATALOGUE
        assert len(cat) == 18
        assert sum("gender_pay_gap" in a.kinds for a in cat) == 12
        assert sum(a.kinds == ("menopause",) for a in cat) == 6
        both = [a.title for a in cat if len(a.kinds) == 2]
        assert both == ["Advertise flexible working arrangements in job adverts"]

    def test_ids_numbers_and_sources(self):
        cat = action_plan.CATALOGUE
        assert len({a.id for a in cat}) == 18
        assert sorted(a.number for a in cat) == [*range(1, 12), 14, *range(16, 22)]
        assert all(a.source == action_plan.SOURCE for a in cat)
        for a in cat:
            prefix = "gpg-" if a.kind == "gender_pay_gap" else "men-"
            assert a.id.startswith(prefix) and a.summary.endswith(".")
            assert a.guidance_url == "" or a.guidance_url.startswith(
                "https://www.gov.uk/government/publications/"
            )

    def test_docs_list_every_action_in_govuk_words(self):
        """docs/equality-action-plan.md lists the catalogue: id, number, category, title."""
        from pathlib import Path

        doc = (Path(__file__).parents[2] / "docs" / "equality-action-plan.md").read_text()
        rows = [line for line in doc.splitlines() if line.startswith("| `")]
        listed = [r for r in rows if r.split("|")[1].strip(" `") in action_plan.CATALOGUE_BY_ID]
        assert len(listed) == 18
        for row, action in zip(listed, action_plan.CATALOGUE, strict=True):
            cells = [c.strip() for c in row.split("|")[1:-1]]
            assert cells[0] == f"`{action.id}`" and cells[1] == str(action.number)
            assert cells[3] == action.category and action.title in cells[4]

    @pytest.mark.parametrize(
        ("number", "category", "title"),
        [
            (1, "Recruiting staff", "Make job descriptions inclusive"),
            (7, "Increasing transparency", "Increase transparency for pay, promotion and rewards"),
            (
                11,
                "Building diversity into your organisation",
                "Set targets to improve gender representation",
            ),
            (
                9,
                "Developing and promoting staff",
                "Encourage employee development through actionable steps",
            ),
            (
                21,
                "Supporting employees experiencing menopause",
                "Review policies and procedures to meet the needs of employees experiencing menopause",
            ),
        ],
    )
    def test_wording_verbatim(self, number, category, title):
        action = action_plan.CATALOGUE_BY_ID[action_plan.ALIASES[str(number)]]
        assert (action.category, action.title) == (category, title)


def test_settings_validated():
    with pytest.raises(ValueError, match="statutory.min_group"):
        Settings.from_dict({"statutory": {"min_group": 0}})
    s = Settings.from_dict({"statutory": {"min_group": 20}, "disclosure": {"board_in_full": False}})
    assert s.statutory.min_group == 20 and not s.disclosure.board_in_full


def test_reading_names_larger_part():
    text = decomposition.reading(5.0, 4.4, 0.6, "Consultant", "women", "men")
    assert "most of the gap comes from where the groups sit across pay bands" in text
    assert "Consultant" in text
    assert "not shown" in decomposition.reading(None, None, None, None, "women", "men")


def test_action_plan_section_year_on_year(tmp_path):
    """The plan is shown beside the figures it addresses, this year and last year, and an
    action carried over from last year's plan says so."""
    from edi_reports.config import Paths
    from edi_reports.notebook import Context
    from edi_reports.report.core import Report
    from edi_reports.report.sections_2026 import equality_action_plan

    def gpg(value: float) -> pd.DataFrame:
        rows = [
            metric(
                "gpg.mean_hourly_gap",
                value,
                "pct",
                group="Female",
                reference_group="Male",
                numerator=300,
                denominator=200,
                n=500,
            ),
        ]
        return disclosure.publish(to_frame(rows))

    paths = Paths(processed=tmp_path / "p", raw=tmp_path / "r", content=tmp_path / "c")
    for year, lines in ((2024, GOOD), (2025, GOOD)):
        folder = tmp_path / "c" / "XQ1" / str(year)
        folder.mkdir(parents=True)
        plan_file(folder, lines)
    ctx = Context(org="XQ1", year=2025, paths=paths, settings=DEFAULT_SETTINGS, out=tmp_path / "o")
    report = Report(ctx=ctx, published=gpg(12.34), previous=gpg(14.0), org_name="Test")
    text = "\n".join(item.plain for item in equality_action_plan(report))
    assert "Mean gender pay gap: 12.3% (last year 14.0%)" in text
    assert "In last year's plan" in text
    assert "Use fair and structured interview techniques" in text
