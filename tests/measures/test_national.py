"""The national pass agrees with the per-organisation engine."""

import numpy as np
import pandas as pd
import pytest

from edi_reports.intake import classifications as c
from edi_reports.measures import paygap
from edi_reports.measures.metrics import to_frame
from edi_reports.measures.national import benchmarks, headline_metrics, position


def org_frame(org: str, n: int, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    codes = pd.Series(rng.choice(["A", "C", "H", "N", "Z"], n), dtype="string")
    return pd.DataFrame(
        {
            "org": org,
            "ordinary_pay": rng.uniform(1500, 6000, n).round(2),
            "contracted_hours": rng.choice([22.5, 30.0, 37.5], n),
            "pay_frequency": "monthly",
            "full_pay": rng.random(n) > 0.05,
            "bonus_pay_12m": np.where(rng.random(n) > 0.9, 1000.0, 0.0),
            "sex": pd.Categorical(
                rng.choice(["Male", "Female", "Unknown"], n, p=[0.3, 0.68, 0.02]),
                categories=c.SEXES,
            ),
            "ethnic_code": codes,
            "ethnic_wres": c.wres_group(codes),
            "ethnic_group": c.high_level_group(codes),
            "disability_group": pd.Categorical(
                rng.choice(["Disabled", "Non-disabled", "Unknown"], n),
                categories=c.DISABILITY_GROUPS,
            ),
            "sexual_orientation_group": pd.Categorical(
                ["Unknown"] * n, categories=c.SEXUAL_ORIENTATION_GROUPS
            ),
            "contract_type": pd.Categorical(rng.choice(["Permanent", "Bank"], n, p=[0.9, 0.1])),
        }
    )


@pytest.fixture(scope="module")
def national():
    frames = [org_frame("AAA", 500, 1), org_frame("BBB", 800, 2), org_frame("CCC", 300, 3)]
    wf = pd.concat(frames, ignore_index=True)
    return frames, headline_metrics(wf)


def test_matches_per_organisation_engine(national):
    frames, out = national
    for frame in frames:
        org = frame["org"].iloc[0]
        per_org = to_frame(paygap.gender_pay_gap(frame.drop(columns="org")))
        for stat in ("mean", "median"):
            want = per_org[(per_org.measure == f"gpg.{stat}_hourly_gap")].value.iloc[0]
            got = out[(out.org == org) & (out.measure == f"gpg.{stat}_hourly_gap")].value.iloc[0]
            assert got == pytest.approx(want, rel=1e-12)


def test_bme_share_excludes_bank(national):
    frames, out = national
    frame = frames[0][frames[0].contract_type != "Bank"]
    want = (frame.ethnic_wres == "BME").mean() * 100
    got = out[(out.org == "AAA") & (out.measure == "wres.1")].value.iloc[0]
    assert got == pytest.approx(want)


def test_empty_reference_is_not_calculable():
    frame = org_frame("DDD", 50, 4)
    frame["sex"] = pd.Categorical(["Female"] * 50, categories=c.SEXES)
    out = headline_metrics(frame)
    row = out[out.measure == "gpg.mean_hourly_gap"].iloc[0]
    assert pd.isna(row.value) and row.status.startswith("not_calculable")


def test_benchmarks_and_position(national):
    _, out = national
    orgs = pd.DataFrame(
        {"org_code": ["AAA", "BBB", "CCC"], "region": ["London", "London", "North"]}
    )
    table = benchmarks(out, orgs)
    nat = table[(table.measure == "gpg.median_hourly_gap") & (table.scope == "national")].iloc[0]
    assert nat.organisations == 3
    assert set(table.scope) == {"national", "region=London", "region=North"}
    pos = position(out, "AAA")
    assert pos.percentile.between(0, 100).all() and len(pos) == 7
