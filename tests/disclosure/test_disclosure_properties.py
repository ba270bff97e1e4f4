"""Property tests of disclosure control (methodology §6.2), with hypothesis.

What is shown, for random small organisations' share tables (a characteristic overall and by
pay band, some groups with 1-7 people, some staff in no band, some groups not listed, with
and without an exact organisation headcount, plus binary bonus-receipt rows):

1. No true count of 1-7 people is published, as a percentage's count or as ``n``.
2. Every published count (``value * n / 100`` for shares, ``n``) is 0, or the true count
   rounded to the nearest 5 (so at least 10), or the exact organisation headcount.
3. Every published percentage is exactly the rounded count over the rounded total, 1 dp.
4. No line (a table row, or a group's column across the bands with the overall figure as
   its total) with a published total has exactly one hidden cell that is a count of 1-7.
5. An attacker who knows every published number, the rounding rule (a published count r
   hides a true count in [max(r - 2, 8), r + 2]) and even which hidden cells are 0, 1-7 or
   8 and over, cannot narrow any hidden count of 1-7 to a single value from any one line's
   equation ``sum(cells) = total``. The checker below is written independently of the
   module, from the published table only.

Not shown: attacks that solve several equations at once (see the module docstring).
"""

from __future__ import annotations

from fractions import Fraction

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from edi_reports.disclosure import control as D
from edi_reports.measures.metrics import metric, to_frame

STAR = "*"
SMALL = 7
BASE = 5
INF = float("inf")

counts_st = st.one_of(st.just(0), st.integers(1, SMALL), st.integers(8, 60))


def round5(c: int) -> int:
    return (2 * c + BASE) // (2 * BASE) * BASE


@st.composite
def organisations(draw):
    """A characteristic with 2-4 groups over 1-3 bands, optionally staff in no band."""
    n_groups = draw(st.integers(2, 4))
    n_bands = draw(st.integers(1, 3))
    groups = [f"G{i}" for i in range(n_groups)]
    bands = {f"pay_band=B{b}": {g: draw(counts_st) for g in groups} for b in range(n_bands)}
    no_band = {g: draw(st.one_of(st.just(0), counts_st)) for g in groups}
    listed = groups if draw(st.booleans()) else groups[:-1]  # unlisted group -> remainder
    bonus = draw(st.lists(st.tuples(counts_st, counts_st), min_size=0, max_size=2))
    exact = draw(st.booleans())
    return groups, listed, bands, no_band, bonus, exact


def build(org):
    """Metric rows and the true tables they describe."""
    groups, listed, bands, no_band, bonus, exact = org
    overall = {g: sum(b[g] for b in bands.values()) + no_band[g] for g in groups}
    tables = {"overall": overall, **bands}
    rows = []
    for bd, counts in tables.items():
        total = sum(counts.values())
        if total == 0:
            continue
        for g in listed:
            rows.append(
                metric(
                    "profile.x", 100 * counts[g] / total, "pct", breakdown=bd, group=g,
                    numerator=counts[g], denominator=total, n=total,
                )
            )  # fmt: skip
    for i, (got, did_not) in enumerate(bonus):
        if got + did_not:
            rows.append(
                metric(
                    "dpg.bonus_receipt", 100 * got / (got + did_not), "pct", group=f"B{i}",
                    numerator=got, denominator=got + did_not, n=got + did_not,
                )
            )  # fmt: skip
    headcount = sum(overall.values()) if exact else None
    return rows, tables, headcount


def published_cells(out: pd.DataFrame) -> dict[tuple[str, str], tuple[str, str]]:
    return {
        (r.breakdown, r.group): (r.value, r.n)
        for r in out[out["measure"] == "profile.x"].itertuples()
    }


def interval(true: int, shown: int | None, exact: bool = False) -> tuple[float, float]:
    """Attacker's knowledge of one cell: from the published count, or from its class."""
    if shown is not None:
        if exact or shown == 0:
            return shown, shown
        return max(shown - 2, SMALL + 1), shown + 2
    if true == 0:
        return 0, 0
    return (1, SMALL) if true <= SMALL else (SMALL + 1, INF)


def audit_line(cells: list[tuple[int, int | None]], total: tuple[int, int | None, bool]):
    """Assert the two line properties (4 and 5) for one line."""
    t_true, t_shown, t_exact = total
    t_lo, t_hi = interval(t_true, t_shown, t_exact)
    hidden_small = [c for c in cells if c[1] is None and 1 <= c[0] <= SMALL]
    hidden = [c for c in cells if c[1] is None]
    if t_shown is not None:
        assert not (len(hidden) == 1 and len(hidden_small) == 1), (cells, total)
    ivs = [interval(c, s) for c, s in cells]
    for j, (c, s) in enumerate(cells):
        if s is not None or not 1 <= c <= SMALL:
            continue
        others = [iv for k, iv in enumerate(ivs) if k != j]
        low = max(ivs[j][0], t_lo - sum(h for _, h in others))
        high = min(ivs[j][1], t_hi - sum(lo for lo, _ in others))
        assert low <= c <= high
        assert high - low >= 1, (cells, total, j)
    if t_shown is None and 1 <= t_true <= SMALL:
        low = max(t_lo, sum(lo for lo, _ in ivs))
        high = min(t_hi, sum(h for _, h in ivs))
        assert high - low >= 1, (cells, total)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(organisations())
def test_no_small_count_can_be_recovered(org):
    groups, listed, bands, no_band, bonus, exact = org
    rows, tables, headcount = build(org)
    if not rows:
        return
    out = D.publish(to_frame(rows), org_headcount=headcount)
    pub = published_cells(out)
    shown: dict[tuple[str, str], int | None] = {}
    totals: dict[str, tuple[int, int | None, bool]] = {}
    for bd, counts in tables.items():
        total = sum(counts.values())
        if total == 0:
            continue
        is_exact = headcount is not None and bd == "overall"
        n_text = pub[(bd, listed[0])][1]
        if 1 <= total <= SMALL:
            assert n_text == STAR  # property 1
        t_shown = None if n_text == STAR else int(n_text)
        if t_shown is not None:  # property 2
            assert t_shown == (total if is_exact else round5(total))
        totals[bd] = (total, t_shown, is_exact)
        for g in groups:
            if g not in listed:
                shown[(bd, g)] = None  # never published: a hidden remainder cell
                continue
            value, _ = pub[(bd, g)]
            if 1 <= counts[g] <= SMALL:
                assert value == STAR  # property 1
            if value == STAR:
                shown[(bd, g)] = None
                continue
            rc = round5(counts[g])
            assert t_shown is not None
            q = (Fraction(rc * 1000, t_shown) + Fraction(1, 2)).__floor__()  # property 3
            assert value == f"{q // 10}.{q % 10}"
            assert round(float(value) * t_shown / 100) == rc  # property 2
            shown[(bd, g)] = rc
    # property 4 and 5 on the rows ...
    for bd, counts in tables.items():
        if bd in totals:
            audit_line([(counts[g], shown[(bd, g)]) for g in groups], totals[bd])
    # ... and on the columns: each group over the bands (+ staff in no band) = overall
    if "overall" in totals:
        band_keys = [bd for bd in bands if bd in totals]
        for g in groups:
            col = [(bands[bd][g], shown[(bd, g)]) for bd in band_keys]
            col += [(no_band[g], None)] if no_band[g] else []
            audit_line(col, (tables["overall"][g], shown[("overall", g)], False))
        col = [(totals[bd][0], totals[bd][1]) for bd in band_keys]
        col += [(sum(no_band.values()), None)] if sum(no_band.values()) else []
        audit_line(col, totals["overall"])
    # binary rows: received + did not receive = total
    bonus_rows = out[out["measure"] == "dpg.bonus_receipt"].reset_index(drop=True)
    for (got, did_not), r in zip(
        [b for b in bonus if sum(b)], bonus_rows.itertuples(), strict=True
    ):
        total = got + did_not
        t_shown = None if r.n == STAR else int(r.n)
        got_shown = None if r.value == STAR else round5(got)
        if r.value != STAR:
            assert round(float(r.value) * t_shown / 100) == got_shown
        audit_line([(got, got_shown), (did_not, None)], (total, t_shown, False))


@settings(max_examples=15, deadline=None)
@given(
    pairs=st.lists(st.tuples(st.integers(0, 120), st.integers(0, 120)), min_size=1, max_size=20),
    epg=st.booleans(),
)
def test_comparisons_published_only_for_big_enough_groups(pairs, epg):
    measure = "epg.mean_hourly_gap" if epg else "dpg.median_hourly_gap"
    rows = [
        metric(
            measure, 3.21, "pct", group=f"A{i}", reference_group="B",
            numerator=comp, denominator=ref, n=comp + ref,
        )
        for i, (comp, ref) in enumerate(pairs)
    ]  # fmt: skip
    out = D.publish(to_frame(rows))
    threshold = D.DEFAULT_SETTINGS.epg.min_group_publish if epg else 10  # 10 since 2026
    for (comp, ref), value, n in zip(pairs, out["value"], out["n"], strict=True):
        assert (value == "3.2") is (min(comp, ref) >= threshold)
        assert n == STAR if 1 <= comp + ref <= SMALL else int(n) == round5(comp + ref)


@settings(max_examples=80, deadline=None)
@given(st.lists(st.integers(0, 5000), min_size=1, max_size=30))
def test_round_counts_invariants(counts):
    got = D.round_counts(pd.Series(counts))
    for c, r in zip(counts, got, strict=True):
        if c == 0:
            assert r == 0
        elif c <= SMALL:
            assert pd.isna(r)
        else:
            assert r % BASE == 0 and r >= 10 and abs(r - c) <= BASE // 2
