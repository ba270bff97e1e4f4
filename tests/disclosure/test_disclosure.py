"""Unit tests for disclosure control. Spec: methodology §6 (and §0.2, §1.11, §2.4)."""

from __future__ import annotations

import dataclasses
import warnings

import pandas as pd
import pytest
from openpyxl import load_workbook

from edi_reports.config import DEFAULT_SETTINGS, Disclosure, Rounding, Settings
from edi_reports.disclosure import control as D
from edi_reports.measures.metrics import (
    metric,
    not_calculable,
    read_metrics,
    to_frame,
    write_metrics,
)

STAR = DEFAULT_SETTINGS.disclosure.symbol


def share_rows(measure: str, breakdown: str, counts: dict[str, int], total: int | None = None):
    """Share rows of one distribution (METRIC ROW CONVENTION)."""
    total = sum(counts.values()) if total is None else total
    return [
        metric(
            measure,
            100 * c / total,
            "pct",
            breakdown=breakdown,
            group=g,
            numerator=c,
            denominator=total,
            n=total,
        )
        for g, c in counts.items()
    ]


def gap(measure: str, comp: int, ref: int, value: float = 5.0, group: str = "Female"):
    return metric(
        measure,
        value,
        "pct",
        group=group,
        reference_group="Ref",
        numerator=comp,
        denominator=ref,
        n=comp + ref,
    )


def pub(rows, settings: Settings = DEFAULT_SETTINGS, **kw) -> pd.DataFrame:
    return D.publish(to_frame(rows), settings, **kw)


def cell(
    published: pd.DataFrame, measure: str, group: str, breakdown: str = "overall"
) -> pd.Series:
    sel = published[
        (published["measure"] == measure)
        & (published["group"] == group)
        & (published["breakdown"] == breakdown)
    ]
    assert len(sel) == 1
    return sel.iloc[0]


class TestRoundCounts:
    def test_golden(self):
        got = D.round_counts(pd.Series([0, 1, 7, 8, 9, 12, 13, 17, 18, 1003, 1002]))
        assert got.tolist()[:1] == [0]
        assert got.isna().tolist()[1:3] == [True, True]
        assert got.tolist()[3:] == [10, 10, 10, 15, 15, 20, 1005, 1000]

    def test_unknown_stays_unknown(self):
        assert D.round_counts(pd.Series([None, 5.0])).isna().all()

    def test_settings(self):
        s = Settings(
            disclosure=Disclosure(suppress_max=4, round_base=10, allow_weaker_privacy=True)
        )
        assert D.round_counts(pd.Series([4, 5, 14, 15]), s).tolist()[1:] == [10, 10, 20]


class TestNames:
    @pytest.mark.parametrize(
        ("measure", "breakdown", "table"),
        [
            ("gpg.mean_hourly_gap", "overall", "gender_pay_gap"),
            ("gpg.bonus_receipt", "overall", "gender_pay_gap"),
            ("gpg.quartile_share", "quartile=upper", "gender_pay_quartiles"),
            ("epg.median_hourly_gap", "overall", "ethnicity_pay_gap"),
            ("epg.quartile_share", "quartile=lower", "ethnicity_pay_quartiles"),
            ("dpg.mean_bonus_gap", "overall", "disability_pay_gap"),
            ("sopg.quartile_share", "quartile=lower", "sexual_orientation_pay_quartiles"),
            ("wres.1", "pay_band=Band 5;clinical=Y", "wres_1"),
            ("wres.3", "window=2", "wres_likelihoods"),
            ("wres.6", "overall", "wres_survey"),
            ("wres.9", "board=voting", "wres_board"),
            ("wdes.1", "cluster=C5", "wdes_1"),
            ("wdes.2", "overall", "wdes_likelihoods"),
            ("wdes.4a", "item=public", "wdes_survey"),
            ("wdes.9a", "overall", "wdes_survey"),
            ("wdes.10", "board=executive", "wdes_board"),
            ("profile.ethnicity", "overall", "profile_ethnicity"),
            ("profile.ethnicity", "pay_band=Band 5", "profile_ethnicity_by_band"),
            ("profile.sex", "staff_group=Students", "profile_sex_by_staff_group"),
            ("intersection.epg.mean_hourly_gap", "overall", "intersection_pay_gaps"),
            ("intersection.gpg.quartile_share", "quartile=lower", "intersection_pay_quartiles"),
            ("gpg.mean_hourly_gap", "staff_group=Students", "gender_pay_gap_by_staff_group"),
        ],
    )
    def test_table_for(self, measure, breakdown, table):
        assert D.table_for(measure, breakdown) == table

    @pytest.mark.parametrize(
        ("measure", "breakdown", "kind"),
        [
            ("gpg.mean_hourly_gap", "overall", "statutory"),
            ("gpg.quartile_share", "quartile=lower", "statutory"),
            ("gpg.bonus_receipt", "overall", "statutory"),
            ("gpg.mean_hourly_gap", "staff_group=Students", "comparison"),
            ("gpg.bonus_receipt", "pay_band=Band 5", "binary"),
            ("epg.bonus_receipt", "overall", "binary"),
            ("epg.quartile_share", "quartile=lower", "share"),
            ("intersection.gpg.mean_hourly_gap", "overall", "comparison"),
            ("wres.2", "overall", "comparison"),
            ("wdes.9a", "overall", "survey"),
            ("wres.9", "board=total", "binary"),
            ("profile.age", "overall", "share"),
            ("wdes.1", "cluster=C1;clinical=Y", "share"),
        ],
    )
    def test_row_kind(self, measure, breakdown, kind):
        assert D.row_kind(measure, breakdown) == kind


class TestShares:
    def test_percentages_from_rounded_counts(self):
        # 12 -> 10, 13 -> 15, 77 -> 75, total 102 -> 100 (NHS Digital convention, §6.1)
        out = pub(share_rows("profile.sex", "overall", {"Male": 12, "Female": 13, "Unknown": 77}))
        assert out["value"].tolist() == ["10.0", "15.0", "75.0"]
        assert out["n"].tolist() == ["100"] * 3

    def test_zero_stays_zero(self):
        out = pub(share_rows("profile.sex", "overall", {"Male": 40, "Female": 60, "Unknown": 0}))
        assert out["value"].tolist() == ["40.0", "60.0", "0.0"]

    def test_small_count_and_secondary(self):
        counts = {"White": 500, "Asian": 40, "Black": 30, "Unknown": 3}
        out = pub(share_rows("profile.ethnicity", "overall", counts))
        assert out["value"].tolist() == ["87.0", "7.0", STAR, STAR]
        assert "1 to 7 people" in cell(out, "profile.ethnicity", "Unknown")["note"]
        assert "secondary suppression" in cell(out, "profile.ethnicity", "Black")["note"]
        assert out["n"].tolist() == ["575"] * 4  # 573 rounded

    def test_two_suppressed_need_no_secondary(self):
        counts = {"White": 500, "Asian": 40, "Black": 5, "Unknown": 3}
        out = pub(share_rows("profile.ethnicity", "overall", counts))
        assert out["value"].tolist()[:2] == ["90.9", "7.3"]  # of 550
        assert out["value"].tolist()[2:] == [STAR, STAR]

    def test_two_group_complement(self):
        out = pub(share_rows("profile.gender_reassignment", "overall", {"Yes": 4, "No": 900}))
        assert out["value"].tolist() == [STAR, STAR]

    def test_small_total_hides_the_row(self):
        out = pub(share_rows("profile.sex", "pay_band=VSM", {"Male": 3, "Female": 2, "Unknown": 0}))
        assert out["value"].tolist() == [STAR] * 3
        assert out["n"].tolist() == [STAR] * 3
        assert out["note"].str.contains("n: \\*: 1 to 7 people").all()

    def test_remainder_of_unlisted_groups_is_a_cell(self):
        # groups cover 995 of 1000: the missing 5 could be worked out from the total
        out = pub(share_rows("profile.sex", "overall", {"Male": 500, "Female": 495}, total=1000))
        assert out["value"].tolist() == ["50.0", STAR]
        assert "secondary" in out["note"].iloc[1]

    def test_secondary_suppression_off(self):
        s = Settings(disclosure=Disclosure(secondary_suppression=False, allow_weaker_privacy=True))
        counts = {"White": 500, "Asian": 40, "Black": 30, "Unknown": 3}
        out = pub(share_rows("profile.ethnicity", "overall", counts), s)
        assert out["value"].tolist() == ["87.0", "7.0", "5.2", STAR]

    def test_interval_audit_catches_what_one_rule_misses(self):
        # five cells of 13 (published 15, true value could be 13..17) and two cells of 1:
        # total 67 is published 65, so the hidden pair sums to at most 67 - 5 * 13 = 2,
        # which pins both to 1. The audit must suppress another cell.
        counts = {f"g{i}": 13 for i in range(5)} | {"a": 1, "b": 1}
        s = Settings(disclosure=Disclosure())
        out = pub(share_rows("profile.religion_belief", "overall", counts), s)
        assert (out["value"] == STAR).sum() >= 3

    def test_org_headcount_total_is_exact(self):
        rows = share_rows("profile.sex", "overall", {"Male": 401, "Female": 602})
        out = pub(rows, org_headcount=1003)
        assert out["n"].tolist() == ["1003", "1003"]
        assert out["value"].tolist() == ["39.9", "59.8"]  # 400/1003, 600/1003
        assert pub(rows)["n"].tolist() == ["1005", "1005"]

    def test_multi_group_note(self):
        out = pub(share_rows("profile.sex", "overall", {"Male": 40, "Female": 60, "Unknown": 10}))
        assert out["note"].str.contains("may not add up to 100").all()

    def test_counts_exceeding_total_are_an_error(self):
        with pytest.raises(ValueError, match="exceed"):
            pub(share_rows("profile.sex", "overall", {"Male": 40, "Female": 60}, total=90))


class TestAcrossTables:
    def bands(self, asian_b5: int = 3):
        overall = {"White": 300, "Asian": asian_b5 + 50 + 60, "Unknown": 0}
        return [
            *share_rows("profile.ethnicity", "overall", overall),
            *share_rows(
                "profile.ethnicity",
                "pay_band=Band 5",
                {"White": 100, "Asian": asian_b5, "Unknown": 0},
            ),
            *share_rows(
                "profile.ethnicity", "pay_band=Band 6", {"White": 100, "Asian": 50, "Unknown": 0}
            ),
            *share_rows(
                "profile.ethnicity", "pay_band=Band 7", {"White": 100, "Asian": 60, "Unknown": 0}
            ),
        ]

    def test_column_secondary(self):
        out = pub(self.bands())
        # Band 5 Asian (3) alone hidden in the Asian column: overall Asian minus Bands 6-7
        # would give it, so the smallest other Asian cell (Band 6, 50) is hidden too.
        assert cell(out, "profile.ethnicity", "Asian", "pay_band=Band 5")["value"] == STAR
        b6 = cell(out, "profile.ethnicity", "Asian", "pay_band=Band 6")
        assert b6["value"] == STAR
        assert "secondary" in b6["note"]
        assert cell(out, "profile.ethnicity", "Asian", "pay_band=Band 7")["value"] != STAR
        assert cell(out, "profile.ethnicity", "Asian")["value"] != STAR

    def test_no_column_rule_without_small_cells(self):
        out = pub(self.bands(asian_b5=30))
        assert cell(out, "profile.ethnicity", "Asian", "pay_band=Band 6")["value"] != STAR

    def test_family_totals_column(self):
        # Band 5 has 5 staff (total hidden); the overall total minus Bands 6-7 would reveal it
        rows = [
            *share_rows("profile.sex", "overall", {"Male": 203, "Female": 402}),
            *share_rows("profile.sex", "pay_band=Band 5", {"Male": 3, "Female": 2}),
            *share_rows("profile.sex", "pay_band=Band 6", {"Male": 100, "Female": 200}),
            *share_rows("profile.sex", "pay_band=Band 7", {"Male": 100, "Female": 200}),
        ]
        out = pub(rows)
        n = out.set_index("breakdown")["n"]
        assert n["pay_band=Band 5"].iloc[0] == STAR
        assert (n[["pay_band=Band 6", "pay_band=Band 7"]] == STAR).any()

    def test_identical_cells_in_two_tables_are_suppressed_together(self):
        a = share_rows(
            "profile.disability", "overall", {"Disabled": 50, "Non-disabled": 900, "Unknown": 65}
        )
        b = share_rows(
            "wdes.1",
            "overall",
            {"Disabled": 50, "Non-disabled": 900, "Not Declared": 60, "Prefer Not": 5},
        )
        out = pub(a + b)
        assert cell(out, "wdes.1", "Disabled")["value"] == STAR  # secondary in wdes.1
        assert cell(out, "profile.disability", "Disabled")["value"] == STAR  # linked

    def test_same_cell_under_other_labels(self):
        a = share_rows("profile.disability", "overall", {"Yes": 50, "No": 900, "Unknown": 65})
        b = share_rows(
            "wdes.1",
            "overall",
            {"Disabled": 50, "Non-disabled": 900, "Not Declared": 60, "Prefer Not": 5},
        )
        out = pub(a + b)
        assert cell(out, "profile.disability", "Yes")["value"] == STAR
        assert cell(out, "profile.disability", "No")["value"] != STAR


class TestPartialFamilies:
    def test_wres1_rows(self):
        # AfC rows and medical rows together cover the workforce except 10 White staff in
        # no row; BME column: overall 63 = 3 (Band 5) + 30 (Band 6) + 30 (consultants)
        rows = [
            *share_rows("wres.1", "overall", {"White": 230, "BME": 63, "Unknown": 0}),
            *share_rows(
                "wres.1", "pay_band=Band 5;clinical=Y", {"White": 100, "BME": 3, "Unknown": 0}
            ),
            *share_rows(
                "wres.1", "pay_band=Band 6;clinical=Y", {"White": 60, "BME": 30, "Unknown": 0}
            ),
            *share_rows("wres.1", "medical=Consultants", {"White": 60, "BME": 30, "Unknown": 0}),
        ]
        out = pub(rows)
        assert cell(out, "wres.1", "BME", "pay_band=Band 5;clinical=Y")["value"] == STAR
        others = [
            cell(out, "wres.1", "BME", b)["value"]
            for b in ("pay_band=Band 6;clinical=Y", "medical=Consultants")
        ]
        assert STAR in others  # the BME column across both families is protected

    def test_same_cell_under_two_groupings(self):
        quarter = {"White British": 200, "White other": 60, "BME": 100, "Unknown": 3}
        wres = {"White": 260, "BME": 100, "Unknown": 3}
        rows = [
            *share_rows("epg.quartile_share", "quartile=lower;grouping=high_level", quarter),
            *share_rows("epg.quartile_share", "quartile=lower;grouping=wres", wres),
        ]
        out = pub(rows)
        hi = "quartile=lower;grouping=high_level"
        # Unknown (3) is hidden in both tables; the wres table's secondary is BME (100),
        # the same people as BME in the high-level table, so it is hidden there too
        assert (
            cell(out, "epg.quartile_share", "BME", "quartile=lower;grouping=wres")["value"] == STAR
        )
        assert cell(out, "epg.quartile_share", "BME", hi)["value"] == STAR
        assert cell(out, "epg.quartile_share", "White other", hi)["value"] == STAR
        assert cell(out, "epg.quartile_share", "White British", hi)["value"] != STAR


class TestBinary:
    def bonus(self, received: int, total: int, measure: str = "dpg.bonus_receipt"):
        return metric(
            measure,
            100 * received / total,
            "pct",
            group="Disabled",
            numerator=received,
            denominator=total,
            n=total,
        )

    def test_bonus_receipt(self):
        out = pub([self.bonus(20, 50)])
        assert out["value"].tolist() == ["40.0"]
        assert out["n"].tolist() == ["50"]

    def test_few_receive(self):
        assert pub([self.bonus(3, 50)])["value"].tolist() == [STAR]

    def test_few_do_not_receive(self):
        # 47 of 50: 100 - % would show that 3 did not receive one
        out = pub([self.bonus(47, 50)])
        assert out["value"].tolist() == [STAR]
        assert "secondary" in out["note"].iloc[0]

    def test_statutory_bonus_receipt_exempt(self):
        out = pub([self.bonus(47, 50, "gpg.bonus_receipt"), *large_employer(300, 0)])
        assert out["value"].tolist()[0] == "94.0"
        assert "statutory" in out["note"].iloc[0]

    def board(self, num: int, den: int, workforce_pct: float):
        return metric(
            "wres.9",
            100 * num / den - workforce_pct,
            "pp",
            breakdown="board=voting",
            group="BME",
            numerator=num,
            denominator=den,
            n=den,
        )

    def test_board_small_count(self):
        # §11 vector 8: 2 BME of 12 voting members -> a count of 2: not shown (§6.2)
        out = pub([self.board(2, 12, 20.0)])
        assert out["value"].tolist() == [STAR]
        assert out["n"].tolist() == ["10"]

    def test_board_zero(self):
        out = pub([self.board(0, 12, 20.0)])
        assert out["value"].tolist() == ["-20.0"]

    def test_board_from_rounded_counts(self):
        # 20 of 40 BME -> 20/40 = 50 % minus workforce 20 % = 30.0 pp
        out = pub([self.board(20, 40, 20.0)])
        assert out["value"].tolist() == ["30.0"]
        # 21 of 41: rounded 20/40 -> 50 % - 20 % (the raw 51.2 % is not used)
        assert pub([self.board(21, 41, 20.0)])["value"].tolist() == ["30.0"]


class TestComparisons:
    @pytest.mark.parametrize(("comp", "shown"), [(9, False), (10, True), (500, True)])
    def test_min_group(self, comp, shown):
        out = pub([gap("dpg.mean_hourly_gap", comp, 400, 4.25)])
        assert (out["value"].iloc[0] == "4.3") is shown
        if not shown:
            assert "fewer than 10 people" in out["note"].iloc[0]

    def test_reference_group_small(self):
        assert pub([gap("sopg.median_hourly_gap", 400, 9)])["value"].iloc[0] == STAR

    @pytest.mark.parametrize(("comp", "shown"), [(9, False), (10, True), (49, True)])
    def test_epg_threshold(self, comp, shown):
        # 10 per compared group, as the 2026 government response sets (the earlier 50 came
        # from unchecked summaries; docs/methodology-2026.md §2.4)
        out = pub([gap("epg.mean_hourly_gap", comp, 1000, -2.04, group="Black")])
        assert (out["value"].iloc[0] == "-2.0") is shown
        if not shown:
            assert "fewer than 10" in out["note"].iloc[0]

    @pytest.mark.parametrize(("comp", "shown"), [(49, False), (50, True)])
    def test_epg_threshold_setting(self, comp, shown):
        s = Settings(epg=dataclasses.replace(DEFAULT_SETTINGS.epg, min_group_publish=50))
        out = pub([gap("epg.mean_hourly_gap", comp, 1000, -2.04, group="Black")], s)
        assert (out["value"].iloc[0] == "-2.0") is shown
        if not shown:
            assert "fewer than 50" in out["note"].iloc[0]

    def test_intersections_use_base_thresholds(self):
        rows = [
            gap("intersection.epg.mean_hourly_gap", 30, 1000),
            gap("intersection.dpg.mean_hourly_gap", 30, 1000),
        ]
        s = Settings(epg=dataclasses.replace(DEFAULT_SETTINGS.epg, min_group_publish=50))
        assert pub(rows, s)["value"].tolist() == [STAR, "5.0"]

    def test_relative_likelihood(self):
        rl = metric(
            "wres.2", 1.5, "ratio", group="White", reference_group="BME",
            numerator=400, denominator=300, n=700,
        )  # fmt: skip
        out = pub([rl])
        assert out["value"].tolist() == ["1.50"]
        assert out["n"].tolist() == ["700"]

    def test_outcome_style_row_is_checked_conservatively(self):
        # numerator = outcomes, denominator = group A base, n = both bases: B base is 5
        rl = metric(
            "wres.3", 2.4, "ratio", group="BME", reference_group="White",
            numerator=12, denominator=1000, n=1005,
        )  # fmt: skip
        assert pub([rl])["value"].tolist() == [STAR]

    def test_sizes_unknown(self):
        row = metric("wdes.2", 1.2, "ratio", group="Non-disabled", reference_group="Disabled")
        out = pub([row])
        assert out["value"].tolist() == [STAR]
        assert "not known" in out["note"].iloc[0]

    def test_small_n_rounded(self):
        out = pub([gap("dpg.mean_hourly_gap", 3, 4)])
        assert out["n"].tolist() == [STAR]


class TestSurvey:
    @pytest.mark.parametrize(("responses", "value"), [(10, STAR), (11, "25.3"), (None, STAR)])
    def test_threshold(self, responses, value):
        out = pub([metric("wres.5", 25.25, "pct", group="BME", n=responses)])
        assert out["value"].tolist() == [value]

    def test_score(self):
        out = pub([metric("wdes.9a", 6.849, "score", group="Disabled", n=120)])
        assert out["value"].tolist() == ["6.8"]
        assert out["n"].tolist() == ["120"]


def large_employer(men: int = 400, women: int = 600) -> list:
    """gpg.bonus_receipt rows of a body with 250+ employees (the statutory duty applies)."""
    return [
        metric("gpg.bonus_receipt", 10.0, "pct", group=g, numerator=k // 10, denominator=k, n=k)
        for g, k in (("Male", men), ("Female", women))
    ]


class TestStatutory:
    def acme(self) -> list:
        rows = [
            gap("gpg.mean_hourly_gap", 3100, 1345, 13.594),
            gap("gpg.median_hourly_gap", 3100, 1345, 6.6667),
            gap("gpg.mean_bonus_gap", 2000, 1300, 9.697),
            gap("gpg.median_bonus_gap", 2000, 1300, 3.261),
        ]
        for group, got, of in (("Male", 1300, 1375), ("Female", 2000, 3125)):
            rows.append(
                metric("gpg.bonus_receipt", 100 * got / of, "pct", group=group,
                       numerator=got, denominator=of, n=of)
            )  # fmt: skip
        for q, men, size in (
            ("lower", 187, 1112),
            ("lower_middle", 110, 1111),
            ("upper_middle", 298, 1111),
            ("upper", 750, 1111),
        ):
            for group, c in (("Male", men), ("Female", size - men)):
                rows.append(
                    metric("gpg.quartile_share", 100 * c / size, "pct",
                           breakdown=f"quartile={q}", group=group,
                           numerator=c, denominator=size, n=size)
                )  # fmt: skip
        return rows

    def test_acme_vector(self):
        # methodology §11 vector 1
        out = pub(self.acme())
        assert out["value"].tolist() == [
            "13.6", "6.7", "9.7", "3.3", "94.5", "64.0",
            "16.8", "83.2", "9.9", "90.1", "26.8", "73.2", "67.5", "32.5",
        ]  # fmt: skip
        assert out["note"].str.contains("statutory figure, published in full").all()

    def test_pair_rounding(self):
        # methodology §11 vector 4: 49 men of 400 -> 12.25 %
        rows = [
            metric("gpg.quartile_share", 12.25, "pct", breakdown="quartile=lower", group="Male",
                   numerator=49, denominator=400, n=400),
            metric("gpg.quartile_share", 87.75, "pct", breakdown="quartile=lower", group="Female",
                   numerator=351, denominator=400, n=400),
        ]  # fmt: skip
        assert pub(rows + large_employer())["value"].tolist()[:2] == ["12.3", "87.7"]
        even = Settings(rounding=Rounding(pairs="half_even"))
        assert pub(rows + large_employer(), even)["value"].tolist()[:2] == ["12.2", "87.8"]

    def test_small_groups_exempt(self):
        out = pub([gap("gpg.mean_bonus_gap", 3, 2, 12.345), *large_employer()])
        assert out["value"].tolist()[0] == "12.3"
        assert out["n"].tolist()[0] == STAR  # n is a count, controlled as usual

    def test_not_exempt_below_250_employees(self):
        # methodology §1.1: the duty (and so the exemption) applies from 250 employees
        rows = [gap("gpg.mean_bonus_gap", 3, 2, 12.345), *large_employer(100, 149)]
        out = pub(rows)
        assert out["value"].tolist()[0] == STAR
        assert "statutory" not in out["note"].iloc[0]
        assert (
            pub([gap("gpg.mean_bonus_gap", 3, 2, 12.345), *large_employer(100, 150)])[
                "value"
            ].tolist()[0]
            == "12.3"
        )

    def test_not_statutory_below_org_level(self):
        out = pub([gap("gpg.mean_hourly_gap", 3, 200).__class__(
            **{**dataclasses.asdict(gap("gpg.mean_hourly_gap", 3, 200)),
               "breakdown": "staff_group=Students"})])  # fmt: skip
        assert out["value"].tolist() == [STAR]


class TestNotCalculable:
    def test_empty_value_and_reason(self):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            row = not_calculable(
                "wres.2", "ratio", "no BME shortlisted applicants", n=3,
                group="White", reference_group="BME",
            )  # fmt: skip
        out = pub([row])
        assert out["value"].tolist() == [""]
        assert out["note"].iloc[0].startswith("not calculable: no BME shortlisted applicants")
        assert out["n"].tolist() == [STAR]

    def test_share_not_calculable(self):
        row = not_calculable(
            "wres.1", "pct", "no staff in this row", breakdown="pay_band=Band 9;clinical=Y",
            group="BME", numerator=0, denominator=0, n=0, warn=False,
        )  # fmt: skip
        out = pub([row, *share_rows("wres.1", "overall", {"White": 80, "BME": 20})])
        assert out["value"].tolist() == ["", "80.0", "20.0"]
        assert out["n"].tolist()[0] == "0"


class TestOutput:
    def mixed(self) -> list:
        return [
            *share_rows("profile.sex", "overall", {"Male": 40, "Female": 60}),
            gap("dpg.mean_hourly_gap", 20, 300, 7.777),
            metric("wdes.9a", 7.0, "score", group="All", n=500),
            metric("gpg.mean_hourly_rate", 1.0, "gbp_per_hour", group="Male", n=12),
            metric("profile.age", 12.0, "count", breakdown="age_band=21-25", n=12),
            metric("profile.age", 3.0, "count", breakdown="age_band=<=20", n=3),
        ]

    def test_layout_and_order(self):
        out = pub(self.mixed())
        assert tuple(out.columns) == D.PUBLISHED_COLUMNS
        assert out["measure"].tolist() == [r.measure for r in self.mixed()]
        assert out.map(lambda v: isinstance(v, str)).all().all()
        assert out["value"].tolist() == ["40.0", "60.0", "7.8", "7.0", "1.00", "10", STAR]

    def test_from_csv(self, tmp_path):
        path = tmp_path / "metrics.csv"
        write_metrics(to_frame(self.mixed()), path)
        assert read_metrics(path).pipe(D.publish).equals(pub(self.mixed()))

    def test_write_tables(self, tmp_path):
        out = pub(self.mixed())
        D.write_tables(out, tmp_path / "pub")
        back = pd.read_csv(tmp_path / "pub" / "tables.csv", dtype=str, keep_default_na=False)
        assert back.equals(out.astype(str))
        wb = load_workbook(tmp_path / "pub" / "tables.xlsx", read_only=True)
        assert wb.sheetnames == ["tables", "notes"]
        notes = [r for r in wb["notes"].iter_rows(values_only=True)]
        assert any(r[1] == STAR for r in notes)

    def test_published_counts(self):
        out = pub(share_rows("profile.sex", "overall", {"Male": 41, "Female": 62}))
        assert D.published_counts(out).tolist() == [40, 60]

    def test_empty_input(self):
        out = D.publish(to_frame([]))
        assert out.empty
        assert tuple(out.columns) == D.PUBLISHED_COLUMNS


class TestPolicy:
    def test_defaults(self):
        text = D.policy_text()
        for part in ("1 to 7", "nearest 5", "fewer than 10", "fewer than 11", "*"):
            assert part in text
        assert "fewer than 50" not in text  # the ethnicity threshold is now the same 10
        assert "office-holders" in text and "statutory ethnicity and disability" in text

    def test_follows_settings(self):
        s = Settings(disclosure=Disclosure(suppress_max=9, round_base=10, symbol="[c]"))
        text = D.policy_text(s)
        assert "1 to 9" in text and "nearest 10" in text and "[c]" in text
        assert D.note_text("count", s).startswith("[c]: 1 to 9 people")
