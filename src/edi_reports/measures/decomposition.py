"""Where a pay gap comes from: composition across pay bands against pay within bands.

Spec: docs/methodology-2026.md §2.10. For the mean hourly pay gap of each headline
comparison (gender: women against men; ethnicity: all other ethnic groups against White,
the statutory binary comparison; disability: Disabled against non-disabled), over
full-pay relevant employees:

``m_R − m_C = Σ_b (s_Rb − s_Cb) · v_b  +  Σ_b s_Cb · (v_b − μ_Cb)``

where ``s_Gb`` is the share of group G's employees in band (or grade) b, ``μ_Gb`` the mean
hourly pay of group G in band b, and ``v_b`` the reference group's mean in band b (the
comparison group's where the reference group has nobody in the band, so such a band adds to
the first part only). Divided by ``m_R`` and multiplied by 100 both parts are percentage
points of the mean gap and add up to it exactly:

- **composition**: the part explained by where the groups sit across bands;
- **within bands**: the part from pay differences between the groups in the same band.

Band by band, the composition part is reported as ``(s_Rb − s_Cb) · (v_b − m_R)`` (the same
total, as the shares of each group add up to 1): a band adds to the gap when the reference
group is over-represented in a band paid above its average, or under-represented in one
paid below it. This is a shift-share (Oaxaca-Blinder style) decomposition with the band as
the only factor; it says nothing about why the groups sit where they do.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from edi_reports.config import DEFAULT_SETTINGS, Settings
from edi_reports.intake.classifications import PAY_BANDS, UNKNOWN
from edi_reports.measures.metrics import Metric, metric, not_calculable

COMBINED = "Other bands (combined)"
NOT_RECORDED = "Band not recorded"


@dataclass(frozen=True)
class Family:
    """One headline comparison to decompose."""

    key: str  # measure id part: decomposition.<key>.*
    label: str
    group_col: str
    reference: str
    comparison: str


FAMILIES: tuple[Family, ...] = (
    Family("gender", "Gender pay gap (women compared with men)", "sex", "Male", "Female"),
    Family(
        "ethnicity",
        "Ethnicity pay gap (all other ethnic groups compared with White)",
        "statutory_ethnicity",
        "White",
        "All other ethnic groups",
    ),
    Family(
        "disability",
        "Disability pay gap (Disabled compared with non-disabled staff)",
        "statutory_disability",
        "Non-disabled",
        "Disabled",
    ),
)


def decompose(
    rate: pd.Series, group: pd.Series, band: pd.Series, reference: str, comparison: str
) -> pd.DataFrame:
    """The band-by-band terms of the decomposition (module docstring).

    Parameters
    ----------
    rate
        Hourly pay of each full-pay relevant employee.
    group
        Each employee's group (others are ignored).
    band
        Each employee's pay band or grade.
    reference, comparison
        The two groups.

    Returns
    -------
    pandas.DataFrame
        One row per band with anyone of either group, index = band, columns ``n_ref``,
        ``n_comp``, ``composition`` and ``within`` (percentage points of the mean gap,
        composition centred as in the module docstring). Empty when either group is empty
        or the reference group's mean pay is 0.

    Examples
    --------
    >>> r = pd.Series([10.0, 20, 20, 10])
    >>> g = pd.Series(["M", "M", "W", "W"])
    >>> b = pd.Series(["low", "high", "high", "low"])
    >>> decompose(r, g, b, "M", "W")[["composition", "within"]].sum().round(6).tolist()
    [0.0, 0.0]
    """
    keep = group.isin([reference, comparison]).to_numpy() & rate.notna().to_numpy()
    df = pd.DataFrame(
        {"rate": rate[keep].astype(float), "group": group[keep].astype(str), "band": band[keep]}
    )
    cols = ["n_ref", "n_comp", "composition", "within"]
    if df.empty:
        return pd.DataFrame(columns=cols)
    stats = df.groupby(["band", "group"], observed=True)["rate"].agg(["count", "mean"])
    stats = stats.unstack("group")
    n_r = stats["count"].get(reference, pd.Series(0.0, index=stats.index)).fillna(0.0)
    n_c = stats["count"].get(comparison, pd.Series(0.0, index=stats.index)).fillna(0.0)
    if n_r.sum() == 0 or n_c.sum() == 0:
        return pd.DataFrame(columns=cols)
    mu_r = stats["mean"].get(reference, pd.Series(np.nan, index=stats.index))
    mu_c = stats["mean"].get(comparison, pd.Series(np.nan, index=stats.index))
    s_r, s_c = n_r / n_r.sum(), n_c / n_c.sum()
    m_r = float((s_r * mu_r.fillna(0.0)).sum())
    if m_r == 0:
        return pd.DataFrame(columns=cols)
    v = mu_r.where(n_r > 0, mu_c)
    composition = (s_r - s_c) * (v - m_r) / m_r * 100
    within = (s_c * (v - mu_c.fillna(v))) / m_r * 100
    out = pd.DataFrame(
        {"n_ref": n_r, "n_comp": n_c, "composition": composition, "within": within.fillna(0.0)}
    )
    return out[(out["n_ref"] + out["n_comp"]) > 0]


def merge_small_bands(terms: pd.DataFrame, min_group: int) -> pd.DataFrame:
    """Bands where either group has fewer than ``min_group`` people, combined.

    Spec: docs/methodology-2026.md §2.10 and methodology §6.2 (no figure about fewer than
    ``disclosure.min_group_stat`` people). The small bands are added together into
    :data:`COMBINED`; while that row is itself too small and another band is shown, the
    shown band with the smallest group joins it, so the combined row can never be worked
    out as a small band on its own from the total.
    """
    if terms.empty:
        return terms
    size = terms[["n_ref", "n_comp"]].min(axis=1)
    small = list(terms.index[size < min_group])
    shown = [b for b in terms.index if b not in small]

    def combined_ok() -> bool:
        part = terms.loc[small]
        return bool(part["n_ref"].sum() >= min_group and part["n_comp"].sum() >= min_group)

    while small and not combined_ok() and shown:
        smallest = min(reversed(shown), key=lambda b: float(size[b]))
        shown.remove(smallest)
        small.append(smallest)
    out = terms.loc[shown].copy()
    if len(small) == 1 and not shown:
        return terms.loc[small]
    if small:
        out.loc[COMBINED] = terms.loc[small].sum()
    return out


def _bands(df: pd.DataFrame) -> pd.Series:
    if "pay_band" not in df.columns:
        return pd.Series(NOT_RECORDED, index=df.index)
    band = df["pay_band"].astype("string").fillna(NOT_RECORDED)
    return band.where(~band.isin(["", UNKNOWN]), NOT_RECORDED).astype(str)


def _band_order(bands: list[str]) -> list[str]:
    known = [b for b in PAY_BANDS if b in bands]
    rest = sorted(b for b in bands if b not in known and b not in (NOT_RECORDED, COMBINED))
    tail = [b for b in (NOT_RECORDED, COMBINED) if b in bands]
    return known + rest + tail


def decomposition_metrics(df: pd.DataFrame, settings: Settings = DEFAULT_SETTINGS) -> list[Metric]:
    """``decomposition.<family>.*`` rows for metrics.csv.

    Spec: docs/methodology-2026.md §2.10.

    Rows per family (unit ``pp`` except ``mean_gap`` in ``pct``):

    - ``mean_gap`` (breakdown ``overall``): the mean hourly gap decomposed;
    - ``composition`` and ``within_band`` at ``overall`` and at ``pay_band=<band>`` for
      each band shown (small bands combined, :func:`merge_small_bands`).

    ``numerator`` / ``denominator`` are the comparison and reference group's full-pay
    relevant employees in the row's band(s); ``n`` is the smaller of the two, so that the
    ordinary rule for statistics (fewer than ``disclosure.min_group_stat``: not shown)
    protects every published cell.
    """
    from edi_reports.measures.paygap import _FPRE, _RATE, _pay_columns
    from edi_reports.measures.statutory import (
        MINORITY,
        NOT_DISCLOSED,
        WHITE,
        disability_binary,
        five_group,
    )

    pay = _pay_columns(df)
    fpre = pay[_FPRE].to_numpy(dtype=bool)
    eth = five_group(df)
    columns = {
        "sex": df["sex"].astype("string")
        if "sex" in df.columns
        else pd.Series(pd.NA, index=df.index),
        "statutory_ethnicity": eth.where(
            eth == NOT_DISCLOSED, np.where(eth == WHITE, WHITE, MINORITY)
        ),
        "statutory_disability": disability_binary(df),
    }
    band = _bands(df)
    min_group = settings.disclosure.min_group_stat
    rows: list[Metric] = []
    for fam in FAMILIES:
        group = columns[fam.group_col].astype("string")
        rate = pay[_RATE].where(fpre)
        terms = decompose(rate, group, band, fam.reference, fam.comparison)
        prefix = f"decomposition.{fam.key}"
        if terms.empty:
            reason = f"no full-pay relevant employees in group {fam.comparison} or {fam.reference}"
            rows.append(
                not_calculable(
                    f"{prefix}.mean_gap",
                    "pct",
                    reason,
                    warn=False,
                    group=fam.comparison,
                    reference_group=fam.reference,
                )
            )
            continue
        n_ref, n_comp = int(terms["n_ref"].sum()), int(terms["n_comp"].sum())
        common = {"group": fam.comparison, "reference_group": fam.reference}
        total = float(terms["composition"].sum() + terms["within"].sum())
        sizes = {"numerator": n_comp, "denominator": n_ref, "n": min(n_ref, n_comp)}
        rows.append(metric(f"{prefix}.mean_gap", total, "pct", **common, **sizes))
        rows.append(
            metric(
                f"{prefix}.composition", float(terms["composition"].sum()), "pp", **common, **sizes
            )
        )
        rows.append(
            metric(f"{prefix}.within_band", float(terms["within"].sum()), "pp", **common, **sizes)
        )
        shown = merge_small_bands(terms, min_group)
        for b in _band_order(list(shown.index)):
            r = shown.loc[b]
            cell = {
                "breakdown": f"pay_band={b}",
                "numerator": int(r["n_comp"]),
                "denominator": int(r["n_ref"]),
                "n": int(min(r["n_comp"], r["n_ref"])),
                **common,
            }
            for part, col in (("composition", "composition"), ("within_band", "within")):
                value = float(r[col])
                if not math.isfinite(value):
                    continue
                rows.append(metric(f"{prefix}.{part}", value, "pp", **cell))
    return rows


def reading(
    total: float | None,
    composition: float | None,
    within: float | None,
    top_band: str | None,
    group: str,
    reference: str,
) -> str:
    """The decomposition in plain English, from published figures.

    Spec: docs/methodology-2026.md §2.10 (the reading names the larger part, and the band
    that adds most to the composition part when one is published).
    """
    if total is None or composition is None or within is None:
        return (
            "The split of this gap is not shown: a group has too few people, or the gap "
            "cannot be worked out."
        )
    if abs(total) < 0.05:
        return f"The mean hourly pay of {group} and {reference} is about the same."
    bigger = (
        "where the groups sit across pay bands"
        if abs(composition) >= abs(within)
        else "pay differences within the same band"
    )
    text = (
        f"Of the mean gap of {total:.1f}%, {composition:.1f} percentage points come from where "
        f"{group} and {reference} sit across pay bands and {within:.1f} from pay differences "
        f"within the same band: most of the gap comes from {bigger}."
    )
    if top_band and composition > 0:
        text += f" The band that adds most to the first part is {top_band}."
    return text
