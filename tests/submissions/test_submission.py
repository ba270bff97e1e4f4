"""The GOV.UK gender pay gap submission file. Spec: data contract §3; methodology §0.2,
§1.10, §1.11; §11 vectors 1, 4 and 7."""

from __future__ import annotations

import warnings

import pandas as pd
import pytest

from edi_reports.config import Rounding, Settings
from edi_reports.errors import EdiError
from edi_reports.measures import paygap
from edi_reports.measures.metrics import (
    MeasureWarning,
    metric,
    not_calculable,
    read_metrics,
    to_frame,
)
from edi_reports.measures.metrics import write_metrics as write_metrics_csv
from edi_reports.submissions.gpg import (
    GPG_SUBMISSION_COLUMNS,
    check_gpg_submission,
    gpg_submission,
    write_gpg_submission,
)
from tests.measures.test_paygap import acme, workforce

pytestmark = pytest.mark.filterwarnings("ignore::edi_reports.measures.metrics.MeasureWarning")

ACME_ROW = {
    "DiffMeanHourlyPercent": "13.6",
    "DiffMedianHourlyPercent": "6.7",
    "DiffMeanBonusPercent": "9.7",
    "DiffMedianBonusPercent": "3.3",
    "MaleBonusPercent": "94.5",
    "FemaleBonusPercent": "64.0",
    "MaleLowerQuartile": "16.8",
    "FemaleLowerQuartile": "83.2",
    "MaleLowerMiddleQuartile": "9.9",
    "FemaleLowerMiddleQuartile": "90.1",
    "MaleUpperMiddleQuartile": "26.8",
    "FemaleUpperMiddleQuartile": "73.2",
    "MaleTopQuartile": "67.5",
    "FemaleTopQuartile": "32.5",
}


@pytest.fixture(scope="module")
def acme_metrics() -> pd.DataFrame:
    return to_frame(paygap.gender_pay_gap(acme()))


def quarter_metrics(male: int, size: int) -> pd.DataFrame:
    """gpg rows with one quarter holding ``male`` men out of ``size`` and fixed other figures."""
    rows = [
        metric("gpg.mean_hourly_gap", 5.0, "pct", group="Female", reference_group="Male"),
        metric("gpg.median_hourly_gap", 4.0, "pct", group="Female", reference_group="Male"),
        metric("gpg.mean_bonus_gap", 3.0, "pct", group="Female", reference_group="Male"),
        metric("gpg.median_bonus_gap", 2.0, "pct", group="Female", reference_group="Male"),
        metric("gpg.bonus_receipt", 50.0, "pct", group="Male", numerator=1, denominator=2),
        metric("gpg.bonus_receipt", 50.0, "pct", group="Female", numerator=1, denominator=2),
    ]
    for q in paygap.QUARTERS:
        for sex, k in (("Male", male), ("Female", size - male)):
            rows.append(
                metric(
                    "gpg.quartile_share",
                    k * 100 / size,
                    "pct",
                    breakdown=f"quartile={q}",
                    group=sex,
                    numerator=k,
                    denominator=size,
                    n=size,
                )
            )
    return to_frame(rows)


def one_row(**cells: str) -> pd.DataFrame:
    values = dict(ACME_ROW)
    values.update(cells)
    return pd.DataFrame([values], columns=GPG_SUBMISSION_COLUMNS, dtype=object)


class TestGpgSubmission:
    def test_columns_exact(self) -> None:
        assert GPG_SUBMISSION_COLUMNS == [
            "DiffMeanHourlyPercent",
            "DiffMedianHourlyPercent",
            "DiffMeanBonusPercent",
            "DiffMedianBonusPercent",
            "MaleBonusPercent",
            "FemaleBonusPercent",
            "MaleLowerQuartile",
            "FemaleLowerQuartile",
            "MaleLowerMiddleQuartile",
            "FemaleLowerMiddleQuartile",
            "MaleUpperMiddleQuartile",
            "FemaleUpperMiddleQuartile",
            "MaleTopQuartile",
            "FemaleTopQuartile",
        ]

    def test_vector1_acme(self, acme_metrics: pd.DataFrame) -> None:
        row = gpg_submission(acme_metrics)
        assert list(row.columns) == GPG_SUBMISSION_COLUMNS
        assert row.iloc[0].to_dict() == ACME_ROW
        assert check_gpg_submission(row) == []

    def test_from_metrics_csv_round_trip(self, acme_metrics: pd.DataFrame, tmp_path) -> None:
        path = tmp_path / "metrics.csv"
        write_metrics_csv(acme_metrics, path)
        assert gpg_submission(read_metrics(path)).iloc[0].to_dict() == ACME_ROW

    def test_vector4_complement_default(self) -> None:
        row = gpg_submission(quarter_metrics(49, 400)).iloc[0]
        assert (row["MaleLowerQuartile"], row["FemaleLowerQuartile"]) == ("12.3", "87.7")

    def test_vector4_half_even_setting(self) -> None:
        settings = Settings(rounding=Rounding(pairs="half_even"))
        row = gpg_submission(quarter_metrics(49, 400), settings).iloc[0]
        assert (row["MaleTopQuartile"], row["FemaleTopQuartile"]) == ("12.2", "87.8")

    def test_never_12_3_and_87_8(self) -> None:
        for pairs in ("complement", "half_even"):
            row = gpg_submission(
                quarter_metrics(49, 400), Settings(rounding=Rounding(pairs=pairs))
            ).iloc[0]
            assert (row["MaleLowerQuartile"], row["FemaleLowerQuartile"]) != ("12.3", "87.8")

    def test_not_calculable_left_empty(self) -> None:
        frame = quarter_metrics(1, 4)
        frame = frame[frame["measure"] != "gpg.median_bonus_gap"]
        extra = to_frame(
            [
                not_calculable(
                    "gpg.median_bonus_gap",
                    "pct",
                    "no bonus recipients in reference group Male",
                    group="Female",
                    reference_group="Male",
                    warn=False,
                )
            ]
        )
        row = gpg_submission(pd.concat([frame, extra], ignore_index=True)).iloc[0]
        assert row["DiffMedianBonusPercent"] == ""
        assert row["DiffMeanBonusPercent"] == "3.0"

    def test_vector7_no_women_bonus(self) -> None:
        df = workforce(
            sex=["Male", "Female"] * 4,
            ordinary_pay=[3000.0, 2800.0] * 4,
            bonus_pay_12m=[100.0, 0.0] + [0.0] * 6,
        )
        row = gpg_submission(to_frame(paygap.gender_pay_gap(df))).iloc[0]
        assert row["FemaleBonusPercent"] == "0.0"
        assert row["MaleBonusPercent"] == "25.0"
        assert (row["DiffMeanBonusPercent"], row["DiffMedianBonusPercent"]) == ("100.0", "100.0")
        assert check_gpg_submission(pd.DataFrame([row])) == []

    def test_vector7_no_men_bonus(self) -> None:
        df = workforce(
            sex=["Male", "Female"] * 4,
            ordinary_pay=[3000.0, 2800.0] * 4,
            bonus_pay_12m=[0.0, 100.0] + [0.0] * 6,
        )
        row = gpg_submission(to_frame(paygap.gender_pay_gap(df))).iloc[0]
        assert row["MaleBonusPercent"] == "0.0"
        assert (row["DiffMeanBonusPercent"], row["DiffMedianBonusPercent"]) == ("", "")

    def test_bonus_share_rounding_to_zero_follows_the_service(self) -> None:
        # 1 man in 2,000 paid a bonus (0.05 % -> "0.1" half up); 1 in 4,000 -> "0.0"
        sexes = ["Male"] * 4000 + ["Female"] * 10
        bonus = [500.0] + [0.0] * 4009
        df = workforce(sex=sexes, ordinary_pay=[2500.0] * 4010, bonus_pay_12m=bonus)
        metrics = to_frame(paygap.gender_pay_gap(df))
        assert metrics.loc[metrics["measure"] == "gpg.mean_bonus_gap", "value"].iloc[0] == 100.0
        with pytest.warns(MeasureWarning, match="GOV.UK service requires it"):
            row = gpg_submission(metrics).iloc[0]
        assert (row["MaleBonusPercent"], row["FemaleBonusPercent"]) == ("0.0", "0.0")
        assert row["DiffMeanBonusPercent"] == ""
        assert check_gpg_submission(pd.DataFrame([row])) == []


class TestCheckGpgSubmission:
    def test_valid_row_passes(self) -> None:
        assert check_gpg_submission(one_row()) == []
        assert check_gpg_submission(one_row(DiffMeanHourlyPercent="-4.0")) == []
        assert check_gpg_submission(one_row(DiffMeanHourlyPercent="13")) == []

    @pytest.mark.parametrize(
        ("cells", "fragment"),
        [
            ({"DiffMeanHourlyPercent": "13.59"}, "at most 1 decimal place"),
            ({"DiffMeanHourlyPercent": "abc"}, "at most 1 decimal place"),
            ({"FemaleLowerQuartile": "83.3"}, "must add up to exactly 100"),
            ({"MaleTopQuartile": "", "FemaleTopQuartile": ""}, "MaleTopQuartile is empty"),
            ({"MaleBonusPercent": "100.5"}, "between 0 and 100"),
            ({"DiffMeanBonusPercent": "100.1"}, "cannot be above 100"),
            (
                {"MaleBonusPercent": "0.0", "FemaleBonusPercent": "0.0"},
                "must be empty when no men and no women",
            ),
            ({"FemaleBonusPercent": "0.0"}, "must be 100 when no women"),
            ({"DiffMedianHourlyPercent": ""}, "DiffMedianHourlyPercent is empty"),
        ],
    )
    def test_problems_found(self, cells: dict[str, str], fragment: str) -> None:
        problems = check_gpg_submission(one_row(**cells))
        assert any(fragment in p for p in problems), problems

    def test_consistent_bonus_cases_pass(self) -> None:
        both_zero = one_row(
            MaleBonusPercent="0.0",
            FemaleBonusPercent="0.0",
            DiffMeanBonusPercent="",
            DiffMedianBonusPercent="",
        )
        assert check_gpg_submission(both_zero) == []
        women_zero = one_row(
            FemaleBonusPercent="0.0", DiffMeanBonusPercent="100.0", DiffMedianBonusPercent="100"
        )
        assert check_gpg_submission(women_zero) == []

    def test_wrong_columns_and_rows(self) -> None:
        assert "columns must be exactly" in check_gpg_submission(one_row().iloc[:, ::-1])[0]
        assert "one row" in check_gpg_submission(pd.concat([one_row(), one_row()]))[0]


class TestWriteGpgSubmission:
    def test_writes_exact_headers_and_values(self, acme_metrics: pd.DataFrame, tmp_path) -> None:
        path = tmp_path / "gpg_submission.csv"
        write_gpg_submission(acme_metrics, path)
        lines = path.read_text(encoding="utf-8").splitlines()
        assert lines[0] == ",".join(GPG_SUBMISSION_COLUMNS)
        assert lines[1] == ",".join(ACME_ROW[c] for c in GPG_SUBMISSION_COLUMNS)
        back = pd.read_csv(path, dtype=str, keep_default_na=False)
        assert back.iloc[0].to_dict() == ACME_ROW

    def test_failing_checks_raise_and_write_nothing(self, tmp_path) -> None:
        frame = quarter_metrics(1, 4)
        frame.loc[frame["measure"] == "gpg.mean_bonus_gap", "value"] = 150.0
        path = tmp_path / "gpg_submission.csv"
        with pytest.raises(EdiError, match="cannot be above 100"):
            write_gpg_submission(frame, path)
        assert not path.exists()

    def test_missing_quarters_raise(self, tmp_path) -> None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", MeasureWarning)
            metrics = to_frame(
                paygap.gender_pay_gap(workforce(sex=["Male", "Female"], ordinary_pay=[1.0, 2.0]))
            )
        with pytest.raises(EdiError, match="is empty"):
            write_gpg_submission(metrics, tmp_path / "x.csv")
