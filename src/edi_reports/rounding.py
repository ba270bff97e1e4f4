"""Rounding for output. Spec: methodology §0.2.

Figures are calculated unrounded and rounded only when written out. Rounding uses exact
decimal arithmetic so that exact halves (12.25) are recognised as halves. Floats carry
binary noise (``0.1225 * 100 == 12.250000000000002``), so a float is first snapped to 12
significant digits, far below any published precision and far above float noise, before
the decimal rounding rule is applied.
"""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal
from fractions import Fraction

Number = int | float | Fraction | Decimal

_MODES = {"half_up": ROUND_HALF_UP, "half_even": ROUND_HALF_EVEN}


def to_decimal(x: Number) -> Decimal:
    """An exact-as-intended Decimal for ``x`` (floats snapped to 12 significant digits)."""
    if isinstance(x, Decimal):
        return x
    if isinstance(x, int):
        return Decimal(x)
    if isinstance(x, Fraction):
        return Decimal(x.numerator) / Decimal(x.denominator)
    return Decimal(f"{float(x):.12g}")


def round_decimal(x: Number, dp: int = 1, mode: str = "half_up") -> Decimal:
    """Round ``x`` to ``dp`` decimal places by ``mode`` (``half_up`` or ``half_even``).

    Spec: methodology §0.2 (setting ``rounding.mode``, default half up; half up rounds
    halves away from zero, so -12.25 gives -12.3).
    """
    if mode not in _MODES:
        raise ValueError(f"rounding mode must be one of {sorted(_MODES)}, not {mode!r}")
    quantum = Decimal(1).scaleb(-dp)
    return to_decimal(x).quantize(quantum, rounding=_MODES[mode])


def round_value(x: Number, dp: int = 1, mode: str = "half_up") -> float:
    """:func:`round_decimal` as a float (for tables and charts)."""
    return float(round_decimal(x, dp, mode))


def format_value(x: Number, dp: int = 1, mode: str = "half_up") -> str:
    """``x`` rounded and written with exactly ``dp`` decimals (``-0.0`` written ``0.0``)."""
    d = round_decimal(x, dp, mode)
    if d == 0:
        d = abs(d)
    return f"{d:.{dp}f}"


def parse_number(text: object) -> float | None:
    """A published value string as a number (the inverse of :func:`format_value`): None for
    the suppression symbol, blank, "not calculable" or NaN."""
    if text is None or (isinstance(text, float) and text != text):
        return None
    try:
        return float(str(text).strip().replace(",", ""))
    except ValueError:
        return None


def round_pair(first_pct: Number, dp: int = 1, rule: str = "complement") -> tuple[Decimal, Decimal]:
    """Round a complementary pair of percentages so that they total exactly 100.

    Spec: methodology §0.2 (setting ``rounding.pairs``) and §1.10.

    Parameters
    ----------
    first_pct
        The first share (the male share of a quarter), unrounded, 0-100.
    dp
        Decimal places.
    rule
        ``complement`` (default): round the first half up and set the second to
        100 minus it. ``half_even``: round both half to even.

    Returns
    -------
    tuple of Decimal
        ``(first, second)``; e.g. 12.25 gives (12.3, 87.7) by complement and (12.2, 87.8)
        half-even (methodology §11 vector 4).
    """
    first = to_decimal(first_pct)
    if rule == "complement":
        r1 = round_decimal(first, dp, "half_up")
        return r1, Decimal(100) - r1
    if rule == "half_even":
        r1 = round_decimal(first, dp, "half_even")
        r2 = round_decimal(Decimal(100) - first, dp, "half_even")
        return r1, r2
    raise ValueError(f"pair rounding rule must be 'complement' or 'half_even', not {rule!r}")


def pct(numerator: int, denominator: int) -> Fraction:
    """An exact percentage ``numerator / denominator * 100`` (denominator > 0)."""
    return Fraction(numerator * 100, denominator)


def largest_remainder(values: list[Number], total: int, dp: int = 1) -> list[Decimal]:
    """Round shares so they sum to ``total`` (setting ``rounding.multi_group`` option).

    Ties in the remainder go to the earlier value.
    """
    unit = Decimal(1).scaleb(-dp)
    exact = [to_decimal(v) / unit for v in values]
    floors = [e.to_integral_value(rounding="ROUND_FLOOR") for e in exact]
    left = int(Decimal(total) / unit - sum(floors))
    order = sorted(range(len(values)), key=lambda i: (-(exact[i] - floors[i]), i))
    for i in order[: max(left, 0)]:
        floors[i] += 1
    return [f * unit for f in floors]
