"""The measures engine on national-scale synthetic data, against DuckDB .

Builds a national year of cleaned workforce rows in memory (about 220 organisations and
1.5 million staff, canonical columns and dtypes as :func:`edi_reports.measures.national.load_workforce`
returns them), then in the same run:

1. times :func:`edi_reports.measures.national.headline_metrics` (one vectorised pandas pass over
   every organisation) and a DuckDB implementation of the same headline measures: mean and
   median hourly pay gaps by organisation for sex (Female vs Male), ethnicity (BME vs White)
   and disability (Disabled vs Non-disabled), over full-pay relevant employees, and the
   BME share of staff in post (bank excluded);
2. asserts that both give the same numbers (to 1e-9) and prints seconds and the ratio
   (goal: pandas within 2x of DuckDB);
3. times the per-organisation full engine (:func:`edi_reports.measures.compute.compute_metrics`,
   every measure of the methodology) on one large synthetic organisation cleaned by
   :mod:`edi_reports.intake.clean`.

Run: ``.venv/bin/python benchmarks/engine.py [--orgs 220] [--staff 1500000] [--org-staff
20000]``. Needs the ``scale`` extra (duckdb). Prints figures; asserts only equality.
"""

from __future__ import annotations

import argparse
import tempfile
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pandas as pd

from edi_reports.measures.national import headline_metrics
from edi_reports.measures.paygap import DEFAULT_PERIOD_DAYS, PERIOD_DAYS

SEXES = ("Male", "Female", "Unknown")
ETHNIC = ("White", "BME", "Unknown")
DISABILITY = ("Disabled", "Non-disabled", "Unknown")
FREQUENCIES = ("monthly", "weekly", "fortnightly", "4-weekly")
CONTRACTS = ("Permanent", "Fixed Term Temp", "Bank")


def national_workforce(orgs: int, staff: int, seed: int = 20250331) -> pd.DataFrame:
    """Cleaned workforce rows of ``orgs`` organisations, ``staff`` rows in all (vectorised).

    Organisation sizes are log-normal (a few large trusts, many small ones); pay depends on
    sex, ethnicity and disability so that every gap is non-trivial; a few rows carry a
    payroll hourly rate, an in-period bonus, reduced pay for leave or an unknown group.
    """
    rng = np.random.default_rng(seed)
    weights = rng.lognormal(0.0, 0.8, orgs)
    sizes = np.maximum(50, np.floor(weights / weights.sum() * staff)).astype(int)
    sizes[-1] += staff - sizes.sum()
    org = np.repeat(np.arange(orgs), sizes)
    n = len(org)
    sex = rng.choice(3, n, p=[0.22, 0.77, 0.01])
    eth = rng.choice(3, n, p=[0.70, 0.25, 0.05])
    dis = rng.choice(3, n, p=[0.05, 0.75, 0.20])
    freq = rng.choice(4, n, p=[0.94, 0.03, 0.02, 0.01])
    hours = rng.choice([15.0, 22.5, 30.0, 37.5, 40.0], n, p=[0.05, 0.1, 0.15, 0.65, 0.05])
    hourly = rng.lognormal(3.0, 0.35, n) * (1 + 0.08 * (sex == 0) + 0.04 * (eth == 0))
    hourly *= 1 - 0.03 * (dis == 0)
    days = np.array([PERIOD_DAYS[f] for f in FREQUENCIES])[freq]
    pay = np.round(hourly * hours * days / 7.0, 2)
    bonus = np.where(rng.random(n) < 0.02, np.round(rng.uniform(100, 3000, n), 2), 0.0)
    bonus_days = np.where(rng.random(n) < 0.5, 365.0, np.nan)
    given = np.where(rng.random(n) < 0.01, np.round(hourly, 4), np.nan)
    return pd.DataFrame(
        {
            "ordinary_pay": pay,
            "bonus_pay_in_period": bonus,
            "bonus_period_days": bonus_days,
            "contracted_hours": hours,
            "pay_frequency": pd.Categorical.from_codes(freq, FREQUENCIES),
            "full_pay": pd.array(rng.random(n) > 0.04, dtype="boolean"),
            "hourly_rate_given": given,
            "sex": pd.Categorical.from_codes(sex, SEXES),
            "ethnic_wres": pd.Categorical.from_codes(eth, ETHNIC),
            "disability_group": pd.Categorical.from_codes(dis, DISABILITY),
            "contract_type": pd.Categorical.from_codes(
                rng.choice(3, n, p=[0.85, 0.07, 0.08]), CONTRACTS
            ),
            "org": pd.Categorical.from_codes(org, [f"R{i:04d}" for i in range(orgs)]),
        }
    )


def _days_sql() -> str:
    cases = " ".join(f"WHEN '{k}' THEN {v!r}" for k, v in PERIOD_DAYS.items())
    return (
        "CASE WHEN pay_frequency IS NULL THEN "
        f"{DEFAULT_PERIOD_DAYS!r} ELSE CASE lower(trim(CAST(pay_frequency AS VARCHAR))) "
        f"{cases} ELSE NULL END END"
    )


def duckdb_sql() -> str:
    """The headline measures in SQL, with the hourly rate of methodology §1.6 (same order of
    floating-point operations as :func:`edi_reports.measures.paygap.hourly_rate`)."""
    gaps = []
    for prefix, column, comp, ref in (
        ("gpg", "sex", "Female", "Male"),
        ("epg", "ethnic_wres", "BME", "White"),
        ("dpg", "disability_group", "Disabled", "Non-disabled"),
    ):
        for stat, fn in (("mean", "avg"), ("median", "median")):
            gaps.append(
                f"""SELECT org, '{prefix}.{stat}_hourly_gap' AS measure,
                  (r - c) / r * 100.0 AS value FROM (
                    SELECT org,
                      {fn}(rate) FILTER (WHERE {column} = '{ref}') AS r,
                      {fn}(rate) FILTER (WHERE {column} = '{comp}') AS c
                    FROM rates WHERE fpre AND rate IS NOT NULL GROUP BY org)"""
            )
    return f"""
    WITH base AS (
      SELECT *, {_days_sql()} AS days FROM wf
    ), rates AS (
      SELECT org, sex, ethnic_wres, disability_group, contract_type,
        coalesce(full_pay, true) AS fpre,
        coalesce(hourly_rate_given,
          (ordinary_pay + coalesce(bonus_pay_in_period, 0.0)
            * CASE WHEN bonus_period_days > days AND bonus_period_days > 0
                   THEN days / bonus_period_days ELSE 1.0 END)
          * 7.0 / days / CASE WHEN contracted_hours > 0 THEN contracted_hours END) AS rate
      FROM base
    )
    {" UNION ALL ".join(gaps)}
    UNION ALL
    SELECT org, 'wres.1' AS measure,
      100.0 * count(*) FILTER (WHERE ethnic_wres = 'BME') / count(*) AS value
    FROM wf WHERE contract_type IS NULL OR contract_type <> 'Bank' GROUP BY org
    """


def duckdb_headline(con: duckdb.DuckDBPyConnection, workforce: pd.DataFrame) -> pd.DataFrame:
    """DuckDB's answer: ``org, measure, value`` (NaN where a group is empty or 0)."""
    con.register("wf", workforce)
    try:
        out = con.execute(duckdb_sql()).df()
    finally:
        con.unregister("wf")
    out["org"] = out["org"].astype(str)
    out["value"] = pd.to_numeric(out["value"], errors="coerce").astype("float64")
    return out


def best_of(fn: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    """The fastest of ``repeat`` runs (seconds) and the last result."""
    best, result = float("inf"), None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - t0)
    return best, result


def compare(engine: pd.DataFrame, duck: pd.DataFrame, tol: float = 1e-9) -> float:
    """Largest absolute difference between the two answers; raises when they disagree."""
    ours = engine[["org", "measure", "value"]].assign(
        org=lambda f: f["org"].astype(str),
        value=lambda f: pd.to_numeric(f["value"], errors="coerce").astype("float64"),
    )
    both = ours.merge(duck, on=["org", "measure"], how="outer", suffixes=("_pd", "_db"))
    a, b = both["value_pd"].to_numpy(), both["value_db"].to_numpy()
    same_nan = np.isnan(a) == np.isnan(b)
    assert same_nan.all(), f"{(~same_nan).sum()} figures calculable in only one engine"
    diff = np.abs(a - b)[~np.isnan(a)]
    worst = float(diff.max()) if len(diff) else 0.0
    assert worst <= tol, f"engines disagree by {worst}"
    return worst


def per_org_engine(org_staff: int, repeat: int) -> tuple[float, float, int, int]:
    """Seconds to clean (intake) and to compute every measure for one large organisation,
    its staff in post and the number of figures."""
    from edi_reports.intake.clean import load_inputs
    from edi_reports.intake.synth import synthesise
    from edi_reports.measures.compute import compute_metrics

    with tempfile.TemporaryDirectory() as tmp:
        raw = Path(tmp) / "raw"
        synthesise(["RBIG1"], [2024, 2025], org_staff, 7, raw)
        t0 = time.perf_counter()
        tables = load_inputs(raw / "RBIG1" / "2025", 2025).tables
        clean = time.perf_counter() - t0
        previous = load_inputs(raw / "RBIG1" / "2024", 2024).tables
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        seconds, result = best_of(lambda: compute_metrics(tables, previous=previous), repeat)
    return clean, seconds, len(tables["workforce"]), len(result.metrics)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orgs", type=int, default=220)
    parser.add_argument("--staff", type=int, default=1_500_000)
    parser.add_argument("--org-staff", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)

    t0 = time.perf_counter()
    workforce = national_workforce(args.orgs, args.staff)
    print(
        f"synthetic national year: {workforce['org'].nunique()} organisations, "
        f"{len(workforce):,} staff ({time.perf_counter() - t0:.1f} s to generate)"
    )
    con = duckdb.connect()
    duck_s, duck = best_of(lambda: duckdb_headline(con, workforce), args.repeat)
    pandas_s, engine = best_of(lambda: headline_metrics(workforce), args.repeat)
    worst = compare(engine, duck)
    print(f"headline measures, {len(engine):,} figures; largest difference {worst:.1e}")
    print(f"  edi_reports (pandas): {pandas_s:.3f} s")
    print(f"  DuckDB {duckdb.__version__}:       {duck_s:.3f} s")
    ratio = pandas_s / duck_s
    print(f"  ratio pandas/DuckDB:  {ratio:.2f} (goal <= 2)")

    clean_s, engine_s, rows, figures = per_org_engine(args.org_staff, args.repeat)
    print(f"one large organisation, {rows:,} staff in post: intake {clean_s:.2f} s")
    print(f"  compute_metrics (every measure, {figures:,} figures): {engine_s:.2f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
