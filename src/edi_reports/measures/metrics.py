"""The metrics table: one row per figure, unrounded and unsuppressed (data contract §3.1).

Every measure module returns rows built with :func:`metric` or :func:`not_calculable`;
:func:`to_frame` turns them into the ``metrics.csv`` layout.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from operator import attrgetter
from typing import Any

import pandas as pd

COLUMNS: tuple[str, ...] = (
    "measure",
    "breakdown",
    "group",
    "reference_group",
    "value",
    "unit",
    "numerator",
    "denominator",
    "n",
    "ci_low",
    "ci_high",
    "status",
)
UNITS: frozenset[str] = frozenset({"pct", "pp", "ratio", "gbp_per_hour", "gbp", "count", "score"})


class MeasureWarning(UserWarning):
    """A figure was not calculable (gap.undefined = NULL plus warning, methodology §0.1)."""


@dataclass(frozen=True)
class Metric:
    """One figure (data contract §3.1)."""

    measure: str
    value: float | None
    unit: str
    breakdown: str = "overall"
    group: str = ""
    reference_group: str = ""
    numerator: float | None = None
    denominator: float | None = None
    n: int | None = None
    ci_low: float | None = None
    ci_high: float | None = None
    status: str = "ok"

    def __post_init__(self) -> None:
        if self.unit not in UNITS:
            raise ValueError(f"unknown unit {self.unit!r} for {self.measure}")

    @property
    def ok(self) -> bool:
        return self.status == "ok"


def breakdown(parts: Mapping[str, Any] | None = None) -> str:
    """``{"pay_band": "Band 5", "clinical": "Y"}`` -> ``"pay_band=Band 5;clinical=Y"``."""
    if not parts:
        return "overall"
    return ";".join(f"{k}={v}" for k, v in parts.items())


def metric(
    measure: str,
    value: float | None,
    unit: str,
    *,
    breakdown: str = "overall",
    group: str = "",
    reference_group: str = "",
    numerator: float | None = None,
    denominator: float | None = None,
    n: int | None = None,
    ci_low: float | None = None,
    ci_high: float | None = None,
) -> Metric:
    """A calculated figure. A None or non-finite value is refused: use :func:`not_calculable`."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        raise ValueError(f"{measure}: use not_calculable() for a figure with no value")
    return Metric(
        measure=measure,
        value=float(value),
        unit=unit,
        breakdown=breakdown,
        group=group,
        reference_group=reference_group,
        numerator=numerator,
        denominator=denominator,
        n=n,
        ci_low=ci_low,
        ci_high=ci_high,
    )


def not_calculable(
    measure: str,
    unit: str,
    reason: str,
    *,
    breakdown: str = "overall",
    group: str = "",
    reference_group: str = "",
    n: int | None = None,
    numerator: float | None = None,
    denominator: float | None = None,
    warn: bool = True,
) -> Metric:
    """A figure that cannot be computed: value NULL, status ``not_calculable: <reason>``.

    Never 0 (Egapro). Raises a :class:`MeasureWarning` unless ``warn`` is False.
    """
    if warn:
        label = f"{measure} [{breakdown}] {group}".strip()
        warnings.warn(f"{label}: not calculable: {reason}", MeasureWarning, stacklevel=2)
    return Metric(
        measure=measure,
        value=None,
        unit=unit,
        breakdown=breakdown,
        group=group,
        reference_group=reference_group,
        numerator=numerator,
        denominator=denominator,
        n=n,
        status=f"not_calculable: {reason}",
    )


def to_frame(rows: Iterable[Metric]) -> pd.DataFrame:
    """Rows in the ``metrics.csv`` layout and column order.

    Each row's fields are read straight off the (flat, frozen) :class:`Metric` instead of
    through :func:`dataclasses.asdict`, which deep-copies every value.
    """
    fields = attrgetter(*COLUMNS)
    frame = pd.DataFrame([fields(r) for r in rows], columns=list(COLUMNS))
    for col in ("value", "numerator", "denominator", "ci_low", "ci_high"):
        frame[col] = pd.to_numeric(frame[col], errors="coerce").astype("Float64")
    frame["n"] = pd.to_numeric(frame["n"], errors="coerce").astype("Int64")
    return frame


def read_metrics(path: Any) -> pd.DataFrame:
    """Read a ``metrics.csv`` written by :func:`write_metrics`."""
    frame = pd.read_csv(
        path,
        dtype={"breakdown": "string", "group": "string"},
        keep_default_na=False,
        na_values=[""],
    )
    for col in ("group", "reference_group", "breakdown", "status"):
        frame[col] = frame[col].astype("string").fillna("")
    return frame


def write_metrics(frame: pd.DataFrame, path: Any) -> None:
    """Write ``metrics.csv`` with full precision (values are never rounded here, §0.2)."""
    frame.loc[:, list(COLUMNS)].to_csv(path, index=False)
