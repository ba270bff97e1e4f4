"""Headline measures for every organisation of a year in one vectorised pass, and where
each organisation stands against the national and regional distribution.

Spec: methodology §1.7 (mean and median hourly gaps of FPREs, bonus receipt), §2.3 (BME
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

from edi_reports import catalogue, store
from edi_reports.config import DEFAULT_SETTINGS, Paths, Settings
from edi_reports.intake.organisations import is_synthetic
from edi_reports.measures.metrics import COLUMNS
from edi_reports.measures.paygap import hourly_rate, is_fpre

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
        The metrics layout (data contract §3.1) with an ``org`` column first: mean and
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


def publishable(national: pd.DataFrame, settings: Settings = DEFAULT_SETTINGS) -> pd.Series:
    """Which organisations' figures may enter a published distribution.

    Spec: methodology §6 (disclosure control: a gap is not shown when a group has fewer
    than ``disclosure.min_group_stat`` people) and §2.4 (ethnicity pay gaps are published for
    groups of ``epg.min_group_publish`` or more). A quartile or median over few organisations
    can equal one organisation's figure, so only figures that organisation could publish
    itself are used. ``wres.1`` is a share of the whole workforce and always qualifies.
    """
    smaller = national[["numerator", "denominator"]].min(axis=1)
    minimum = np.where(
        national["measure"].str.startswith("epg."),
        settings.epg.min_group_publish,
        np.where(national["measure"] == "wres.1", 0, settings.disclosure.min_group_stat),
    )
    return (national["status"] == "ok") & (smaller.fillna(0) >= minimum)


def benchmarks(
    national: pd.DataFrame,
    organisations: pd.DataFrame | None = None,
    settings: Settings = DEFAULT_SETTINGS,
) -> pd.DataFrame:
    """National and regional distribution of each headline measure.

    Returns one row per measure and scope (``national`` or ``region=<name>``) with the
    number of organisations, the lower quartile, median and upper quartile, over the
    organisations whose figure is :func:`publishable`.
    """
    frame = national[publishable(national, settings)][["org", "measure", "value"]].copy()
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
    found = store.organisations_with(paths, year, "workforce")
    # a real organisation is never compared with demo ones: with any real organisation
    # present, the synthetic ones (edi synth's mark) are left out of the national pass
    fake = {code for code in found if is_synthetic(paths.raw, code)}
    if len(fake) < len(found):
        found = [code for code in found if code not in fake]
    parts = []
    for code in found:
        if wanted is not None and code not in wanted:
            continue
        part = store.read_table(store.org_year(paths, code, year), "workforce", columns=columns)
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
    from edi_reports.intake.clean import load_organisations

    workforce = load_workforce(paths, year)
    if workforce.empty:
        return None
    national = headline_metrics(workforce, settings)
    out = national_dir(paths, year)
    out.mkdir(parents=True, exist_ok=True)
    national.to_csv(out / "metrics.csv", index=False)
    bench = benchmarks(national, load_organisations(paths.raw), settings)
    bench.to_csv(out / "benchmarks.csv", index=False)
    return out


#: A regional (or national) figure is shown only when it summarises at least this many
#: organisations: a median of two organisations and one's own value reveal the other's.
MIN_ORGANISATIONS = 5

#: The benchmarked measures shown in a report: (measure, group, reference group, label), from
#: :func:`edi_reports.catalogue.benchmark_figures`. ``wres.1`` is benchmarked nationally but
#: not shown, as a report publishes no overall share.
REPORT_MEASURES: tuple[tuple[str, str, str, str], ...] = tuple(
    (f.id, f.group, f.reference, f.label_for("benchmark")) for f in catalogue.benchmark_figures()
)


def national_dir(paths: Paths, year: int) -> Path:
    """``data/processed/national/<YEAR>/`` (internal; never published as such)."""
    return paths.processed / "national" / str(year)


def read_benchmarks(paths: Paths, year: int, org: str | None = None) -> pd.DataFrame | None:
    """The year's ``benchmarks.csv``, or None when no national pass has been run.

    Also None for a real ``org`` when the national pass included synthetic (demo)
    organisations, as one run before the organisation's own data arrived would have.
    """
    path = national_dir(paths, year) / "benchmarks.csv"
    if not path.exists():
        return None
    if org is not None and not is_synthetic(paths.raw, org):
        metrics = national_dir(paths, year) / "metrics.csv"
        if metrics.exists():
            codes = pd.read_csv(metrics, usecols=["org"], dtype=str)["org"].unique()
            if any(is_synthetic(paths.raw, code) for code in codes):
                return None
    return pd.read_csv(path)


def _pct(value: float) -> str:
    return f"{value:.1f}%"


def benchmark_table(
    bench: pd.DataFrame,
    own: dict[str, str],
    region: str = "",
    min_orgs: int = MIN_ORGANISATIONS,
    symbol: str = "*",
) -> pd.DataFrame:
    """Where one organisation stands, as display text for a report table.

    Spec: methodology §0.1 (gap formula), §1.7 (mean and median hourly gaps), §2.3 (BME
    against White), §2.6 (Disabled against Non-disabled). The distribution is over
    organisations' own figures (each already an organisation-level aggregate).

    Parameters
    ----------
    bench
        ``benchmarks.csv`` (:func:`benchmarks`): measure, scope, organisations, quartiles.
    own
        The organisation's *published* value of each measure in :data:`REPORT_MEASURES`
        (``*`` when suppressed, blank when not calculable), keyed by measure.
    region
        The organisation's region (``organisations.csv``); blank shows no regional median.
    min_orgs
        Scopes summarising fewer organisations are not shown.
    symbol
        The published symbol of a suppressed figure (``disclosure.symbol``).

    Returns
    -------
    pandas.DataFrame
        One row per measure: the organisation's figure, the national lower quartile, median
        and upper quartile (with the number of organisations) and the regional median.
    """
    rows = []
    for measure, _group, _ref, label in REPORT_MEASURES:
        nat = bench[(bench["measure"] == measure) & (bench["scope"] == "national")]
        reg = bench[(bench["measure"] == measure) & (bench["scope"] == f"region={region}")]
        mine = own.get(measure, "")
        number = pd.to_numeric(pd.Series([mine]), errors="coerce").iloc[0]
        row = {"Measure": label, "This organisation": _own_text(mine, symbol)}
        if nat.empty or int(nat.iloc[0]["organisations"]) < min_orgs:
            count = 0 if nat.empty else int(nat.iloc[0]["organisations"])
            row |= {
                "National lower quartile": "not shown",
                "National median": f"not shown: {count} organisation(s)",
                "National upper quartile": "not shown",
                "Where this organisation stands": "",
            }
        else:
            n = nat.iloc[0]
            row |= {
                "National lower quartile": _pct(n["lower_quartile"]),
                "National median": f"{_pct(n['median'])} ({int(n['organisations'])} orgs)",
                "National upper quartile": _pct(n["upper_quartile"]),
                "Where this organisation stands": _quarter_text(
                    number, n["lower_quartile"], n["median"], n["upper_quartile"]
                ),
            }
        if not region:
            row["Regional median"] = "no region recorded"
        elif reg.empty or int(reg.iloc[0]["organisations"]) < min_orgs:
            row["Regional median"] = f"not shown: fewer than {min_orgs} organisations"
        else:
            r = reg.iloc[0]
            row["Regional median"] = f"{_pct(r['median'])} ({int(r['organisations'])} orgs)"
        rows.append(row)
    return pd.DataFrame(rows)


def _own_text(text: str, symbol: str = "*") -> str:
    s = str(text or "").strip()
    if s == symbol:
        return f"{symbol} (suppressed)"
    if not s:
        return "not calculable"
    return f"{s}%"


def _quarter_text(value: float, low: float, median: float, high: float) -> str:
    """Which quarter of the national distribution a figure falls in (plain words)."""
    if pd.isna(value):
        return "cannot be placed"
    if value < low:
        return "below the national lower quartile"
    if value > high:
        return "above the national upper quartile"
    if value < median:
        return "between the national lower quartile and median"
    return "between the national median and upper quartile"
