"""Relative likelihoods (WRES indicators 2-4, WDES metrics 2-3) and their optional statistics.

Spec: methodology §0.3 (the ratio and when it is undefined), §3.4 (the four-fifths display
flag) and §8 (the optional log-method confidence interval, labelled "analytical, not part of
the standard").

Every function here works on counts for two groups, A (the group named first in the
indicator, e.g. White for WRES 2) and B (the group compared with).
"""

from __future__ import annotations

import math

from edi_reports.config import DEFAULT_SETTINGS, Settings
from edi_reports.measures.metrics import Metric, metric, not_calculable

Z_95 = 1.959963984540054  # two-sided 95 % normal quantile (§8 writes 1.96)


def _check_counts(**counts: float) -> None:
    """Refuse negative or non-finite counts (a programming or cleaning error, not data)."""
    for name, value in counts.items():
        if value is None or not math.isfinite(value) or value < 0:
            raise ValueError(f"{name} must be a finite count >= 0, not {value!r}")


def relative_likelihood(
    outcomes_a: float, base_a: float, outcomes_b: float, base_b: float
) -> float | None:
    """The relative likelihood ``(outcomes_a / base_a) / (outcomes_b / base_b)``.

    Spec: methodology §0.3 (setting ``gap.undefined``: NULL plus warning; the caller
    that records the figure raises the warning, see :func:`rl_metric`).

    Parameters
    ----------
    outcomes_a, base_a
        Outcomes and base of group A (the group named first, e.g. White appointed and White
        shortlisted for WRES 2).
    outcomes_b, base_b
        Outcomes and base of group B.

    Returns
    -------
    float or None
        The ratio (1.00 is parity; 0 when group A has no outcome), or None when ``base_a``,
        ``base_b`` or ``outcomes_b`` is 0 and the ratio is undefined.

    Examples
    --------
    >>> relative_likelihood(120, 400, 60, 300)  # methodology §11 vector 8
    1.5
    """
    _check_counts(outcomes_a=outcomes_a, base_a=base_a, outcomes_b=outcomes_b, base_b=base_b)
    if base_a == 0 or base_b == 0 or outcomes_b == 0:
        return None
    return (outcomes_a * base_b) / (base_a * outcomes_b)


def rl_confidence_interval(
    a: float, n1: float, c: float, n2: float, zero_cells: str = "n/a"
) -> tuple[float, float] | None:
    """95 % interval for a relative likelihood treated as a risk ratio, by the log method.

    Spec: methodology §8: ``SE = sqrt(1/a - 1/n1 + 1/c - 1/n2)``,
    ``CI = exp(ln RR +/- 1.96 SE)``; undefined when an event count is 0 unless the Haldane
    correction is chosen (setting ``ci.zero_cells``).

    Parameters
    ----------
    a, n1
        Events and base of group A.
    c, n2
        Events and base of group B.
    zero_cells
        ``"n/a"`` (default): no interval when ``a`` or ``c`` is 0. ``"haldane"``: when an
        event count is 0, add 0.5 to each of the four cells of the 2x2 table (events + 0.5,
        bases + 1) before computing the ratio and its interval.

    Returns
    -------
    tuple of float or None
        ``(low, high)``, or None when the interval is undefined (a base of 0, an event count
        of 0 under ``"n/a"``, or a negative variance, which only happens when events exceed
        the base).

    Examples
    --------
    >>> low, high = rl_confidence_interval(120, 400, 60, 300)  # §8 vector: 1.14 - 1.97
    >>> round(low, 2), round(high, 2)
    (1.14, 1.97)
    """
    _check_counts(a=a, n1=n1, c=c, n2=n2)
    if zero_cells not in ("n/a", "haldane"):
        raise ValueError(f"zero_cells must be 'n/a' or 'haldane', not {zero_cells!r}")
    if n1 == 0 or n2 == 0:
        return None
    if a == 0 or c == 0:
        if zero_cells == "n/a":
            return None
        a, n1, c, n2 = a + 0.5, n1 + 1, c + 0.5, n2 + 1
    variance = 1 / a - 1 / n1 + 1 / c - 1 / n2
    if variance < 0:
        return None
    log_rr = math.log(a / n1) - math.log(c / n2)
    half_width = Z_95 * math.sqrt(variance)
    return math.exp(log_rr - half_width), math.exp(log_rr + half_width)


def four_fifths_flag(rl: float, band: tuple[float, float] = (0.8, 1.25)) -> str:
    """``"within"`` when ``band[0] <= rl <= band[1]``, else ``"outside"``.

    Spec: methodology §3.4 and §8 (setting ``rl.adverse_band``, default 0.80-1.25). A display
    flag only: it ignores sample size and is not part of the WRES/WDES guidance.
    """
    if rl is None or not math.isfinite(rl):
        raise ValueError(f"a relative likelihood is needed, not {rl!r}")
    low, high = band
    return "within" if low <= rl <= high else "outside"


def rl_metric(
    measure: str,
    a_out: float,
    a_base: float,
    b_out: float,
    b_base: float,
    *,
    group_a: str,
    group_b: str,
    settings: Settings = DEFAULT_SETTINGS,
    breakdown: str = "overall",
    base_label: str = "people in the base",
    outcome_label: str = "with the outcome",
) -> Metric:
    """A relative-likelihood row for ``metrics.csv``.

    Spec: methodology §0.3 (ratio, NULL plus warning when undefined), §8 (optional interval,
    settings ``ci.enabled`` and ``ci.zero_cells``).

    Parameters
    ----------
    measure
        Measure id, e.g. ``"wres.2"``.
    a_out, a_base, b_out, b_base
        Outcomes and bases of group A and group B (unknowns already left out, §0.4). The
        two-year window of ``wres.3``/``wdes.3`` passes mean counts, which may be halves.
    group_a, group_b
        Labels: ``group`` and ``reference_group`` of the row.
    settings
        Uses ``settings.uncertainty`` for the interval.
    breakdown
        Breakdown string of the row.
    base_label, outcome_label
        Plain words for the not-calculable reason, e.g. ``"shortlisted applicants"`` and
        ``"appointed"``.

    Returns
    -------
    Metric
        Unit ``ratio``; ``numerator = a_base``, ``denominator = b_base``,
        ``n = a_base + b_base`` (nearest whole number); ``ci_low``/``ci_high`` when the
        interval is enabled and defined. When the ratio is undefined, a
        :func:`~edi_reports.measures.metrics.not_calculable` row (with a ``MeasureWarning``) saying why.
    """
    n = int(round(a_base + b_base))
    common = {
        "breakdown": breakdown,
        "group": group_a,
        "reference_group": group_b,
        "numerator": a_base,
        "denominator": b_base,
        "n": n,
    }
    rl = relative_likelihood(a_out, a_base, b_out, b_base)
    if rl is None:
        if a_base == 0:
            reason = f"no {group_a} {base_label}"
        elif b_base == 0:
            reason = f"no {group_b} {base_label}"
        else:
            reason = f"no {group_b} {outcome_label}, so the ratio is undefined"
        return not_calculable(measure, "ratio", reason, **common)
    ci_low = ci_high = None
    if settings.uncertainty.enabled:
        ci = rl_confidence_interval(
            a_out, a_base, b_out, b_base, zero_cells=settings.uncertainty.zero_cells
        )
        if ci is not None:
            ci_low, ci_high = ci
    return metric(measure, rl, "ratio", ci_low=ci_low, ci_high=ci_high, **common)
