"""Headline measures for every organisation of a year in one vectorised pass, and where
each organisation stands against the national and regional distribution.

Spec: measures.md §1.7 (mean and median hourly gaps of FPREs, bonus receipt), §2.3 (BME
against White), §2.6 (Disabled against Non-disabled), §3.2 (WRES indicator 1 overall BME
share), §0.1 (gap formula; an empty or zero reference gives no figure).

The pass groups all organisations' cleaned workforce rows at once (categorical group keys,
no loop over organisations), so a national year of about 1.5 million staff takes seconds.
Output: ``data/processed/national/<YEAR>/metrics.csv`` in the metrics layout plus ``org``
(internal: unsuppressed), and a benchmark table of medians and quartiles by measure.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pandas as pd

from .config import DEFAULT_SETTINGS, Paths, Settings
from .metrics import COLUMNS
from .paygap import hourly_rate, is_fpre

# measure id -> (group column, comparison group, reference group)
HEADLINE_GAPS: dict[str, tuple[str, str, str]] = {
    "gpg": ("sex", "Female", "Male"),
    "epg": ("ethnic_wres", "BME", "White"),
    "dpg": ("disability_group", "Disabled", "Non-disabled"),
}


def _gap_frame(stats: pd.DataFrame, stat: str, comp: str, ref: str) -> pd.DataFrame:
    """Gap per organisation from a (org, group) table of ``stat`` and counts."""
    wide = stats[stat].unstack("group")
    counts = stats["n"].unstack("group").fillna(0).astype("int64")
    r = wide.get(ref, pd.Series(np.nan, index=wide.index))
    c = wide.get(comp, pd.Series(np.nan, index=wide.index))
    gap = (r - c) / r * 100.0
    gap = gap.where(r.notna() & (r != 0) & c.notna())
    return pd.DataFrame(
        {
            "value": gap,
            "numerator": counts.get(comp, 0),
            "denominator": counts.get(ref, 0),
        }
    )


def headline_metrics(
    workforce: pd.DataFrame, settings: Settings = DEFAULT_SETTINGS
) -> pd.DataFrame:
    """Headline figures for every organisation in ``workforce`` (which has an ``org`` column).

    Parameters
    ----------
    workforce
        Cleaned workforce rows of many organisations (schema.WORKFORCE plus ``org``).
    settings
        Uses ``profile.include_bank`` for the representation share.

    Returns
    -------
    pandas.DataFrame
        The metrics layout (data-contract.md §3.1) with an ``org`` column first: mean and
        median hourly gaps for ``gpg``, ``epg`` (BME against White) and ``dpg``, and
        ``wres.1`` overall BME share. A figure with an empty reference group is
        ``not_calculable``.
    """
    org = workforce["org"].astype("category")
    rate = hourly_rate(workforce)
    fpre = is_fpre(workforce).to_numpy() & rate.notna().to_numpy()
    frames: list[pd.DataFrame] = []
    for prefix, (column, comp, ref) in HEADLINE_GAPS.items():
        sub = pd.DataFrame(
            {
                "org": org[fpre],
                "group": workforce.loc[fpre, column].astype("category"),
                "rate": rate[fpre],
            }
        )
        sub = sub[sub["group"].isin([comp, ref])]
        sub["group"] = sub["group"].cat.remove_unused_categories()
        grouped = sub.groupby(["org", "group"], observed=True)["rate"]
        stats = pd.DataFrame(
            {"mean": grouped.mean(), "median": grouped.median(), "n": grouped.size()}
        )
        for stat in ("mean", "median"):
            part = _gap_frame(stats, stat, comp, ref).reindex(org.cat.categories)
            part["measure"] = f"{prefix}.{stat}_hourly_gap"
            part["group"], part["reference_group"], part["unit"] = comp, ref, "pct"
            frames.append(part.rename_axis("org").reset_index())
    population = workforce
    if not settings.profile.include_bank and "contract_type" in workforce:
        population = workforce[workforce["contract_type"].astype("string") != "Bank"]
    eth = pd.crosstab(
        population["org"].astype("category"), population["ethnic_wres"].astype("category")
    )
    eth = eth.reindex(index=org.cat.categories, fill_value=0)
    total = eth.sum(axis=1)
    bme = eth.get("BME", pd.Series(0, index=eth.index))
    share = pd.DataFrame(
        {
            "value": (bme / total * 100.0).where(total > 0),
            "numerator": bme,
            "denominator": total,
        }
    )
    share["measure"], share["group"], share["reference_group"], share["unit"] = (
        "wres.1",
        "BME",
        "",
        "pct",
    )
    frames.append(share.rename_axis("org").reset_index())
    out = pd.concat(frames, ignore_index=True)
    out["breakdown"] = "overall"
    out["n"] = (out["numerator"] + out["denominator"]).where(
        out["measure"] != "wres.1", out["denominator"]
    )
    out["ci_low"] = np.nan
    out["ci_high"] = np.nan
    out["status"] = np.where(
        out["value"].notna(), "ok", "not_calculable: a group is empty or the reference figure is 0"
    )
    return (
        out[["org", *COLUMNS]].sort_values(["measure", "org"], kind="stable").reset_index(drop=True)
    )


def benchmarks(national: pd.DataFrame, organisations: pd.DataFrame | None = None) -> pd.DataFrame:
    """National and regional distribution of each headline measure.

    Returns one row per measure and scope (``national`` or ``region=<name>``) with the
    number of organisations, the lower quartile, median and upper quartile.
    """
    frame = national[national["status"] == "ok"][["org", "measure", "value"]].copy()
    scopes = [frame.assign(scope="national")]
    if organisations is not None and len(organisations) and "region" in organisations:
        regions = organisations.rename(columns={"org_code": "org"})[["org", "region"]]
        regional = frame.merge(regions, on="org", how="inner")
        scopes.append(
            regional.assign(scope="region=" + regional["region"].astype(str)).drop(columns="region")
        )
    allscopes = pd.concat(scopes, ignore_index=True)
    grouped = allscopes.groupby(["measure", "scope"])["value"]
    return pd.DataFrame(
        {
            "organisations": grouped.size(),
            "lower_quartile": grouped.quantile(0.25),
            "median": grouped.median(),
            "upper_quartile": grouped.quantile(0.75),
        }
    ).reset_index()


def position(national: pd.DataFrame, org: str) -> pd.DataFrame:
    """Where one organisation stands: its value and its percentile rank among organisations
    (0 = lowest value, 100 = highest) for each headline measure."""
    ok = national[national["status"] == "ok"]
    ranks = ok.groupby("measure")["value"].rank(pct=True) * 100.0
    mine = ok.assign(percentile=ranks)
    return mine[mine["org"] == org][
        ["measure", "group", "reference_group", "value", "percentile"]
    ].reset_index(drop=True)


def load_workforce(paths: Paths, year: int, orgs: Iterable[str] | None = None) -> pd.DataFrame:
    """Every built organisation's cleaned workforce for ``year``, with an ``org`` column."""
    columns = [
        "ordinary_pay",
        "bonus_pay_in_period",
        "bonus_period_days",
        "contracted_hours",
        "pay_frequency",
        "full_pay",
        "hourly_rate_given",
        "sex",
        "ethnic_wres",
        "disability_group",
        "contract_type",
    ]
    wanted = set(orgs) if orgs is not None else None
    parts = []
    for path in sorted(paths.processed.glob(f"*/{year}/workforce.parquet")):
        code = path.parent.parent.name
        if code == "national" or (wanted is not None and code not in wanted):
            continue
        part = pd.read_parquet(path, columns=columns)
        part["org"] = code
        parts.append(part)
    if not parts:
        return pd.DataFrame(columns=["org", *columns])
    frame = pd.concat(parts, ignore_index=True)
    for col in ("sex", "ethnic_wres", "disability_group", "org", "pay_frequency", "contract_type"):
        frame[col] = frame[col].astype("category")
    return frame


def build_national(paths: Paths, year: int, settings: Settings = DEFAULT_SETTINGS) -> Path | None:
    """Write ``data/processed/national/<YEAR>/metrics.csv`` and ``benchmarks.csv``.

    Returns the folder written, or None when no organisation has been built for the year.
    """
    from .intake import load_organisations

    workforce = load_workforce(paths, year)
    if workforce.empty:
        return None
    national = headline_metrics(workforce, settings)
    out = paths.processed / "national" / str(year)
    out.mkdir(parents=True, exist_ok=True)
    national.to_csv(out / "metrics.csv", index=False)
    benchmarks(national, load_organisations(paths.raw)).to_csv(out / "benchmarks.csv", index=False)
    return out
