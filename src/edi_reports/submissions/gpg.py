"""The GOV.UK gender pay gap service's figures: ``gpg_submission.csv``.

Spec: data contract §3 (one row, exact headers, one decimal place, each quarter's pair
summing to exactly 100.0); methodology §0.2 (pair rounding), §1.10 (the service's checks),
§1.11 (field names).
"""

from __future__ import annotations

import math
import re
import warnings
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from pathlib import Path

import pandas as pd

from edi_reports.config import DEFAULT_SETTINGS, Settings
from edi_reports.errors import EdiError
from edi_reports.measures.metrics import MeasureWarning
from edi_reports.rounding import Number, format_value, round_pair

GPG_SUBMISSION_COLUMNS: list[str] = [
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
"""Exact headers of ``gpg_submission.csv`` (data contract §3; methodology §1.11)."""

_GAPS: dict[str, str] = {
    "DiffMeanHourlyPercent": "gpg.mean_hourly_gap",
    "DiffMedianHourlyPercent": "gpg.median_hourly_gap",
    "DiffMeanBonusPercent": "gpg.mean_bonus_gap",
    "DiffMedianBonusPercent": "gpg.median_bonus_gap",
}
_QUARTERS: dict[str, tuple[str, str]] = {
    "lower": ("MaleLowerQuartile", "FemaleLowerQuartile"),
    "lower_middle": ("MaleLowerMiddleQuartile", "FemaleLowerMiddleQuartile"),
    "upper_middle": ("MaleUpperMiddleQuartile", "FemaleUpperMiddleQuartile"),
    "upper": ("MaleTopQuartile", "FemaleTopQuartile"),
}
_BONUS_GAPS = ("DiffMeanBonusPercent", "DiffMedianBonusPercent")
_REQUIRED = (
    "DiffMeanHourlyPercent",
    "DiffMedianHourlyPercent",
    "MaleBonusPercent",
    "FemaleBonusPercent",
    *(c for pair in _QUARTERS.values() for c in pair),
)
_ONE_DP = re.compile(r"^-?\d+(\.\d)?$")


_Key = tuple[str, str, str]


def _gpg_rows(metrics: pd.DataFrame) -> dict[_Key, pd.Series]:
    """The ``gpg.*`` rows keyed by (measure, breakdown, group); the first row wins."""
    gpg = metrics[metrics["measure"].astype(str).str.startswith("gpg.")]
    out: dict[_Key, pd.Series] = {}
    for _, row in gpg.iterrows():  # a few dozen rows at most
        out.setdefault((str(row["measure"]), str(row["breakdown"]), str(row["group"])), row)
    return out


def _figure(rows: dict[_Key, pd.Series], measure: str, breakdown: str, group: str) -> Number | None:
    """The unrounded value of one ``gpg`` figure (None when absent or not calculable).

    Shares are rebuilt exactly from numerator / denominator when both are recorded.
    """
    row = rows.get((measure, breakdown, group))
    if row is None or str(row["status"]) != "ok" or pd.isna(row["value"]):
        return None
    num, den = row.get("numerator"), row.get("denominator")
    if measure.endswith(("quartile_share", "bonus_receipt")) and not (
        pd.isna(num) or pd.isna(den) or float(den) == 0
    ):
        if float(num).is_integer() and float(den).is_integer():
            return Fraction(int(num) * 100, int(den))
    return float(row["value"])


def gpg_submission(metrics: pd.DataFrame, settings: Settings = DEFAULT_SETTINGS) -> pd.DataFrame:
    """One row of strings with the GOV.UK service's figures, from ``metrics.csv`` rows.

    Spec: data contract §3; methodology §0.2 (setting ``rounding.percent_dp``, default 1;
    single figures rounded by ``rounding.mode``; each quarter's male share rounded and the
    female share set by ``rounding.pairs``, so the pair totals exactly 100.0), §1.11. A
    figure that is not calculable is left empty.

    Parameters
    ----------
    metrics
        The metrics table (:func:`edi_reports.measures.metrics.to_frame` or ``read_metrics``) holding
        the ``gpg.*`` rows of :func:`edi_reports.measures.paygap.gender_pay_gap`.
    settings
        Rounding settings.

    Returns
    -------
    pandas.DataFrame
        One row, columns :data:`GPG_SUBMISSION_COLUMNS`, every cell a string ("" = empty).
    """
    dp = settings.rounding.percent_dp
    mode = settings.rounding.mode
    out: dict[str, str] = dict.fromkeys(GPG_SUBMISSION_COLUMNS, "")
    rows = _gpg_rows(metrics)
    for col, measure in _GAPS.items():
        value = _figure(rows, measure, "overall", "Female")
        if value is not None:
            out[col] = format_value(value, dp, mode)
    for sex in ("Male", "Female"):
        value = _figure(rows, "gpg.bonus_receipt", "overall", sex)
        if value is not None:
            out[f"{sex}BonusPercent"] = format_value(value, dp, mode)
    for quarter, (male_col, female_col) in _QUARTERS.items():
        value = _figure(rows, "gpg.quartile_share", f"quartile={quarter}", "Male")
        if value is None:
            continue
        male, female = round_pair(value, dp, settings.rounding.pairs)
        out[male_col] = f"{male:.{dp}f}"
        out[female_col] = f"{female:.{dp}f}"
    _align_bonus_gaps(out, dp)
    return pd.DataFrame([out], columns=GPG_SUBMISSION_COLUMNS, dtype=object)


def _align_bonus_gaps(out: dict[str, str], dp: int) -> None:
    """Apply the service's bonus consistency rule to the *rounded* bonus percentages.

    Spec: methodology §1.10. The service judges the rounded figures: when a small but
    non-zero share of one sex was paid a bonus and it rounds to 0, the service still
    requires empty gaps (both 0) or gaps of 100 (women 0, men above 0). The submission
    follows the service and a :class:`~edi_reports.measures.metrics.MeasureWarning` says so;
    ``metrics.csv`` keeps the calculated figures.
    """
    male, female = out["MaleBonusPercent"], out["FemaleBonusPercent"]
    if not male or not female:
        return
    male_d, female_d = Decimal(male), Decimal(female)
    if male_d == 0 and female_d == 0:
        wanted = ""
    elif female_d == 0 and male_d > 0:
        wanted = f"{Decimal(100):.{dp}f}"
    else:
        return
    for col in _BONUS_GAPS:
        if out[col] != wanted:
            warnings.warn(
                f"gpg_submission: {col} written as {wanted or 'empty'} instead of "
                f"{out[col] or 'empty'}, because the bonus percentages round to "
                f"{male} (men) and {female} (women) and the GOV.UK service requires it "
                "(methodology §1.10)",
                MeasureWarning,
                stacklevel=3,
            )
            out[col] = wanted


def _parse(cell: object) -> Decimal | None:
    """A cell as a Decimal, None when empty; raises ValueError when not a number."""
    if cell is None or (isinstance(cell, float) and math.isnan(cell)):
        return None
    text = str(cell).strip()
    if text == "":
        return None
    try:
        return Decimal(text)
    except InvalidOperation as exc:
        raise ValueError(text) from exc


def check_gpg_submission(row: pd.DataFrame) -> list[str]:
    """The GOV.UK gender pay gap service's own checks on a submission row.

    Spec: methodology §1.10 and §0.2 (GPG service code): at most one decimal place; each
    quarter's male and female percentages add up to exactly 100; bonus percentages between
    0 and 100; bonus gaps not above 100; if no men and no women were paid a bonus the bonus
    gaps are empty; if no women but some men were paid a bonus the bonus gaps are 100. The
    hourly gaps, bonus percentages and quarter figures are required by the service.

    Parameters
    ----------
    row
        One-row frame as written by :func:`gpg_submission` (strings; "" = empty).

    Returns
    -------
    list of str
        Problems found, in plain words; empty when the row passes.
    """
    problems: list[str] = []
    if list(row.columns) != GPG_SUBMISSION_COLUMNS:
        problems.append(
            f"columns must be exactly {', '.join(GPG_SUBMISSION_COLUMNS)}; "
            f"got {', '.join(map(str, row.columns))}"
        )
    if len(row) != 1:
        problems.append(f"the submission must be one row, not {len(row)}")
    if problems:
        return problems
    cells = row.iloc[0]
    values: dict[str, Decimal | None] = {}
    for col in GPG_SUBMISSION_COLUMNS:
        text = "" if pd.isna(cells[col]) else str(cells[col]).strip()
        if text and not _ONE_DP.match(text):
            problems.append(f"{col} = {text!r}: must be a number with at most 1 decimal place")
            values[col] = None
            continue
        values[col] = _parse(text)
    for col in _REQUIRED:
        if values[col] is None and not any(p.startswith(f"{col} =") for p in problems):
            problems.append(f"{col} is empty: the service requires it (figure not calculable)")
    for male_col, female_col in _QUARTERS.values():
        m, f = values[male_col], values[female_col]
        for col, v in ((male_col, m), (female_col, f)):
            if v is not None and not (0 <= v <= 100):
                problems.append(f"{col} = {v}: must be between 0 and 100")
        if m is not None and f is not None and m + f != 100:
            problems.append(f"{male_col} + {female_col} = {m + f}: must add up to exactly 100")
    for col in ("MaleBonusPercent", "FemaleBonusPercent"):
        v = values[col]
        if v is not None and not (0 <= v <= 100):
            problems.append(f"{col} = {v}: must be between 0 and 100")
    for col in _BONUS_GAPS:
        v = values[col]
        if v is not None and v > 100:
            problems.append(f"{col} = {v}: a bonus gap cannot be above 100")
    male_b, female_b = values["MaleBonusPercent"], values["FemaleBonusPercent"]
    if male_b == 0 and female_b == 0:
        for col in _BONUS_GAPS:
            if values[col] is not None:
                problems.append(f"{col} must be empty when no men and no women were paid a bonus")
    elif female_b == 0 and male_b is not None and male_b > 0:
        for col in _BONUS_GAPS:
            if values[col] != 100:
                problems.append(f"{col} must be 100 when no women but some men were paid a bonus")
    return problems


def write_gpg_submission(
    metrics: pd.DataFrame, path: Path | str, settings: Settings = DEFAULT_SETTINGS
) -> None:
    """Write ``gpg_submission.csv`` after the service's checks.

    Spec: data contract §3; methodology §1.10, §1.11.

    Parameters
    ----------
    metrics
        The metrics table holding the ``gpg.*`` rows.
    path
        File to write (UTF-8, one header line and one data line).
    settings
        Rounding settings.

    Raises
    ------
    EdiError
        When the figures fail the service's checks (nothing is written).
    """
    row = gpg_submission(metrics, settings)
    problems = check_gpg_submission(row)
    if problems:
        raise EdiError(
            "gpg_submission.csv: the gender pay gap figures would fail the GOV.UK service's "
            "checks:\n  - " + "\n  - ".join(problems) + "\n  How to fix: check the workforce "
            "file's sex, pay and bonus columns (methodology §1.10)."
        )
    row.to_csv(Path(path), index=False, encoding="utf-8")
