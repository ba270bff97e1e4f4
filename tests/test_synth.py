"""Tests for synthetic input data (edi_reports.synth; data-contract.md §2)."""

from __future__ import annotations

import functools
import re
import time
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from edi_reports import classifications as cl
from edi_reports import synth

FILES = ("workforce", "recruitment", "casework", "training", "staff_survey", "board")
REQUIRED: dict[str, set[str]] = {
    "workforce": {
        "staff_id",
        "ethnic_category",
        "sex",
        "disability",
        "sexual_orientation",
        "religion_belief",
        "marital_status",
        "gender_reassignment",
        "on_maternity_leave",
        "staff_group",
        "pay_band",
        "directorate",
        "contract_type",
        "contracted_hours",
        "ordinary_pay",
        "bonus_pay_12m",
        "full_pay",
    },
    "recruitment": {
        "application_id",
        "ethnic_category",
        "disability",
        "sex",
        "shortlisted",
        "appointed",
        "post_band",
    },
    "casework": {
        "case_id",
        "staff_id",
        "process",
        "start_date",
        "ethnic_category",
        "disability",
        "sex",
    },
    "training": {"staff_id", "course", "start_date", "mandatory"},
    "staff_survey": {"question", "item", "group", "percent", "responses"},
    "board": {"member_id", "voting", "executive", "ethnic_category", "disability", "sex"},
}
OPTIONAL_WORKFORCE = {
    "pay_frequency",
    "bonus_pay_in_period",
    "bonus_period_days",
    "hourly_rate",
}
CANONICAL = set().union(*REQUIRED.values()) | OPTIONAL_WORKFORCE | {"age", "date_of_birth"}


def _key(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


ALIASES = {_key(c): c for c in CANONICAL}
ALIASES.update({_key(alias): name for name, alias in synth.ESR_HEADERS.items()})


def read(path: Path) -> pd.DataFrame:
    """A synthetic file with headers mapped back to contract names (as intake would)."""
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    unknown = [c for c in frame.columns if _key(c) not in ALIASES]
    assert not unknown, f"{path}: unexpected headers {unknown}"
    return frame.rename(columns=lambda c: ALIASES[_key(c)])


def load(raw: Path, stem: str) -> pd.DataFrame:
    """One file for every organisation and year, stacked, with ``org`` and ``year`` (and
    ``wres``, the White/BME/Unknown group, where the file has an ethnic category)."""
    return _load(raw, stem).copy()


@functools.cache
def _load(raw: Path, stem: str) -> pd.DataFrame:
    parts = []
    for path in sorted(raw.glob(f"*/*/{stem}.csv")):
        frame = read(path)
        frame["org"] = path.parent.parent.name
        frame["year"] = int(path.parent.name)
        parts.append(frame)
    frame = pd.concat(parts, ignore_index=True)
    if "ethnic_category" in frame.columns:
        codes, invalid = cl.normalise_ethnic_code(frame["ethnic_category"])
        assert not invalid.any(), frame.loc[invalid, "ethnic_category"].unique()
        frame["wres"] = cl.wres_group(codes)
    return frame


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, float, list]:
    """About 50,000 staff rows: three organisations (all three header styles), two years."""
    root = tmp_path_factory.mktemp("synth_big")
    started = time.perf_counter()
    written = synth.synthesise(
        ["RJZ", "QKS", "XQ1"], [2024, 2025], 8000, 7, root / "raw", root / "content"
    )
    return root / "raw", root / "content", time.perf_counter() - started, written


class TestSynthesise:
    def test_writes_every_file_quickly(self, big):
        raw, content, seconds, written = big
        assert written == [(o, y) for o in ("RJZ", "QKS", "XQ1") for y in (2024, 2025)]
        for org, year in written:
            for stem in FILES:
                assert (raw / org / str(year) / f"{stem}.csv").is_file()
            assert (content / org / str(year) / "actions.csv").is_file()
        assert seconds < 60
        assert 45_000 < len(load(raw, "workforce")) < 55_000

    def test_column_sets(self, big):
        raw = big[0]
        for path in raw.glob("*/*/*.csv"):
            stem = path.stem
            columns = set(read(path).columns)
            assert REQUIRED[stem] <= columns, (path, REQUIRED[stem] - columns)
            if stem == "workforce":
                assert ("age" in columns) != ("date_of_birth" in columns)
                assert columns - REQUIRED[stem] <= OPTIONAL_WORKFORCE | {"age", "date_of_birth"}
            else:
                assert columns == REQUIRED[stem]

    def test_header_styles_differ_between_orgs(self, big):
        raw = big[0]
        headers = {
            org: (raw / org / "2025" / "workforce.csv").read_text().splitlines()[0]
            for org in ("RJZ", "QKS", "XQ1")
        }
        assert '"staff_id"' in headers["RJZ"]
        assert '"Employee Number"' in headers["QKS"] and '"Ethnic Origin"' in headers["QKS"]
        assert '"Staff Id"' in headers["XQ1"] and '"Age"' in headers["XQ1"]

    def test_workforce_value_domains(self, big):
        w = load(big[0], "workforce")
        for org, frame in w.groupby("org"):
            assert frame.groupby("year")["staff_id"].apply(lambda s: s.is_unique).all(), org
        raw_eth = w["ethnic_category"]
        assert {"A", "Z", "99", "", "C3"} <= set(raw_eth)
        assert raw_eth.str.startswith("A White - British").any()
        sex, bad = cl.normalise_sex(w["sex"])
        assert not bad.any() and (sex != "Unknown").all()
        for column, allowed in (
            ("disability", cl.DISABILITY_VALUES),
            ("sexual_orientation", cl.SEXUAL_ORIENTATION_VALUES),
            ("religion_belief", cl.RELIGION_VALUES),
            ("marital_status", cl.MARITAL_VALUES),
            ("gender_reassignment", cl.GENDER_REASSIGNMENT_VALUES),
        ):
            assert not cl.match_values(w[column], allowed)[1].any(), column
        band, bad = cl.normalise_pay_band(w["pay_band"])
        assert not bad.any() and band.notna().all()
        assert {"Band 5", "Band 8a", "VSM", "Consultant", "Foundation Year 1"} <= set(band)
        group, bad = cl.normalise_staff_group(w["staff_group"])
        assert not bad.any() and group.notna().all()
        hours = w["contracted_hours"].astype(float)
        assert (hours > 0).all() and (hours <= 168).all()
        assert ((hours == 22.5) | (hours == 30)).mean() > 0.05
        assert (w["ordinary_pay"].astype(float) >= 0).all()
        assert set(w["full_pay"]) == {"Y", "N"}
        assert set(w["on_maternity_leave"]) == {"Y", "N"}
        assert (sex[w["on_maternity_leave"] == "Y"] == "Female").all()
        assert set(w["contract_type"]) == {"Permanent", "Fixed Term Temp", "Bank", ""}
        freq = w["pay_frequency"].replace("", np.nan).dropna()
        assert set(freq) == {"monthly", "weekly", "fortnightly", "4-weekly"}
        bonus = w["bonus_pay_12m"].astype(float)
        assert (bonus[band != "Consultant"] == 0).all() and (bonus > 0).any()

    def test_dates_and_ages(self, big):
        w = load(big[0], "workforce")
        dob = pd.to_datetime(w["date_of_birth"].replace("", np.nan).dropna(), format="%Y-%m-%d")
        assert dob.between("1950-01-01", "2008-01-01").all()
        age = w["age"].replace("", np.nan).dropna().astype(int)
        assert age.between(17, 70).all() and len(age) > 0

    def test_recruitment_casework_training_board_survey(self, big):
        raw = big[0]
        w = load(raw, "workforce")
        r = load(raw, "recruitment")
        assert r.groupby(["org", "year"])["application_id"].apply(lambda s: s.is_unique).all()
        assert not ((r["appointed"] == "Y") & (r["shortlisted"] != "Y")).any()
        apps_per_staff = len(r) / len(w)
        assert 1.3 < apps_per_staff < 1.7

        c = load(raw, "casework")
        assert set(c["process"].str.lower()) == {"disciplinary", "capability"}
        assert 0.01 < len(c) / len(w) < 0.02
        ids = set(zip(w["org"], w["year"], w["staff_id"], strict=True))
        known = c[c["staff_id"] != ""]
        assert all(
            k in ids for k in zip(known["org"], known["year"], known["staff_id"], strict=True)
        )

        t = load(raw, "training")
        assert set(t["mandatory"]) == {"Y", "N"}
        for year in (2024, 2025):
            dates = pd.to_datetime(t.loc[t["year"] == year, "start_date"])
            assert dates.min() >= pd.Timestamp(date(year - 1, 4, 1))
            assert dates.max() <= pd.Timestamp(date(year, 3, 31))
        first = t[t["year"] == 2024]
        assert all(
            k in ids for k in zip(first["org"], first["year"], first["staff_id"], strict=True)
        )
        later = t[t["year"] == 2025]
        in_wf = [k in ids for k in zip(later["org"], later["year"], later["staff_id"], strict=True)]
        assert 0.99 < np.mean(in_wf) < 1.0  # a few leavers' rows, for quarantine

        b = load(raw, "board")
        sizes = b.groupby(["org", "year"]).size()
        assert sizes.between(12, 16).all()
        assert set(b["voting"]) == {"Y", "N"} and set(b["executive"]) == {"Y", "N"}

        s = load(raw, "staff_survey")
        pct = s["percent"].astype(float)
        score = s["question"] == "wdes.9a"
        assert pct[~score].between(0, 100).all() and pct[score].between(0, 10).all()
        assert (s["responses"].astype(int) > 0).all()
        assert set(s.loc[s["question"] == "wdes.4a", "item"]) == {
            "public",
            "managers",
            "colleagues",
        }
        assert set(s.loc[s["question"] == "wdes.8", "group"]) == {"Disabled"}
        assert set(s.loc[score, "group"]) == {"Disabled", "Non-disabled", "All"}
        assert set(s.loc[s["question"] == "wres.7", "group"]) == {"White", "BME"}

    def test_survey_responses_about_45_percent_of_headcount(self, big):
        raw = big[0]
        w = load(raw, "workforce")
        s = load(raw, "staff_survey")
        w = w[w["contract_type"] != "Bank"]
        white = (w["wres"] == "White").sum()
        responses = s.loc[(s["question"] == "wres.5") & (s["group"] == "White"), "responses"]
        assert 0.35 < responses.astype(int).sum() / white < 0.55


class TestDisparities:
    """The built-in disparities exist (module docstring of edi_reports.synth)."""

    def test_bme_under_represented_from_band_8a(self, big):
        w = load(big[0], "workforce")
        group = w["wres"]
        band, _ = cl.normalise_pay_band(w["pay_band"])
        known = group != "Unknown"
        senior = band.isin(["Band 8a", "Band 8b", "Band 8c", "Band 8d", "Band 9", "VSM"])
        overall = (group[known] == "BME").mean()
        assert (group[known & senior] == "BME").mean() < overall - 0.05

    def test_fewer_women_hold_clinical_excellence_awards(self, big):
        w = load(big[0], "workforce")
        band, _ = cl.normalise_pay_band(w["pay_band"])
        sex, _ = cl.normalise_sex(w["sex"])
        consultants = band == "Consultant"
        award = w["bonus_pay_12m"].astype(float) > 0
        women_consultants = (sex[consultants] == "Female").mean()
        women_awards = (sex[consultants & award] == "Female").mean()
        assert women_awards < women_consultants - 0.05

    def test_bme_more_likely_to_enter_disciplinary(self, big):
        raw = big[0]
        w = load(raw, "workforce")
        w = w[w["contract_type"] != "Bank"]
        c = load(raw, "casework")
        c = c[c["process"].str.lower() == "disciplinary"]
        heads = w["wres"].value_counts()
        cases = c["wres"].value_counts()
        assert cases["BME"] / heads["BME"] > 1.2 * cases["White"] / heads["White"]

    def test_disabled_more_likely_to_enter_capability(self, big):
        raw = big[0]
        w = load(raw, "workforce")
        c = load(raw, "casework")
        c = c[c["process"].str.lower() == "capability"]
        heads = cl.disability_group(w.loc[w["contract_type"] != "Bank", "disability"])
        cases = cl.disability_group(c["disability"]).value_counts()
        heads = heads.value_counts()
        assert cases["Disabled"] / heads["Disabled"] > 1.3 * (
            cases["Non-disabled"] / heads["Non-disabled"]
        )

    def test_white_applicants_more_likely_appointed_from_shortlisting(self, big):
        r = load(big[0], "recruitment")
        r = r[r["shortlisted"] == "Y"]
        group = r["wres"]
        appointed = r["appointed"] == "Y"
        rl2 = appointed[group == "White"].mean() / appointed[group == "BME"].mean()
        assert 1.3 < rl2 < 2.0
        disabled = cl.disability_group(r["disability"])
        rl = appointed[disabled == "Non-disabled"].mean() / appointed[disabled == "Disabled"].mean()
        assert rl > 1.0

    def test_white_staff_more_likely_to_access_training(self, big):
        raw = big[0]
        w = load(raw, "workforce")
        t = load(raw, "training")
        t = t[t["mandatory"] != "Y"]
        took = pd.Series(
            list(zip(w["org"], w["year"], w["staff_id"], strict=True)), index=w.index
        ).isin(set(zip(t["org"], t["year"], t["staff_id"], strict=True)))
        group = w["wres"]
        assert took[group == "White"].mean() > 1.05 * took[group == "BME"].mean()

    def test_regional_ethnic_mix(self, big):
        w = load(big[0], "workforce")
        group = w["wres"]
        known = group != "Unknown"
        share = (group[known] == "BME").groupby(w.loc[known, "org"]).mean()
        assert 0.42 < share["RJZ"] < 0.58  # London acute, about half
        assert 0.12 < share["QKS"] < 0.22  # Kent, about one in six

    def test_survey_worse_for_bme_and_disabled(self, big):
        s = load(big[0], "staff_survey")
        s["percent"] = s["percent"].astype(float)
        mean = s.groupby(["question", "item", "group"])["percent"].mean()
        assert mean["wres.8", "", "BME"] > mean["wres.8", "", "White"]
        assert mean["wres.7", "", "BME"] < mean["wres.7", "", "White"]
        assert mean["wdes.4a", "managers", "Disabled"] > mean["wdes.4a", "managers", "Non-disabled"]


class TestYears:
    def test_workforce_evolves(self, big):
        w = load(big[0], "workforce")
        for org, frame in w.groupby("org"):
            before = set(frame.loc[frame["year"] == 2024, "staff_id"])
            after = set(frame.loc[frame["year"] == 2025, "staff_id"])
            stayed = len(before & after) / len(before)
            assert 0.8 < stayed < 0.95, org
            assert len(after) > len(before)

    def test_pay_points_uprated(self, big):
        w = load(big[0], "workforce")
        w = w[w["org"] == "XQ1"]  # not London: no HCAS; all monthly in this style
        band, _ = cl.normalise_pay_band(w["pay_band"])
        pay = w["ordinary_pay"].astype(float)
        plain = (
            (band == "Band 5")
            & (w["contracted_hours"].astype(float) == 37.5)
            & (w["full_pay"] == "Y")
            & (w["contract_type"] != "Bank")
        )
        for year in (2024, 2025):
            entry = cl.afc_pay_points(year)["Band 5"][0] / 12
            sel = plain & (w["year"] == year)
            assert round(pay[sel].min(), 2) >= round(entry, 2) - 0.01
            assert (np.round(pay[sel], 2) == round(entry, 2)).any()


def _files(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


class TestDeterminism:
    def test_same_seed_same_bytes(self, tmp_path):
        for name in ("a", "b"):
            synth.synthesise(
                2, [2024, 2025], 400, 11, tmp_path / name / "raw", tmp_path / name / "c"
            )
        a, b = _files(tmp_path / "a"), _files(tmp_path / "b")
        # per organisation: summary.md, objectives.md, and per year actions.csv and
        # equality_action_plan.csv
        assert len(a) == 2 * 2 * 6 + 1 + 2 * (2 + 2 + 2)
        assert a == b

    def test_other_seed_other_data(self, tmp_path):
        synth.synthesise(["RJZ"], [2025], 300, 1, tmp_path / "a", None)
        synth.synthesise(["RJZ"], [2025], 300, 2, tmp_path / "b", None)
        a = (tmp_path / "a" / "RJZ" / "2025" / "workforce.csv").read_bytes()
        b = (tmp_path / "b" / "RJZ" / "2025" / "workforce.csv").read_bytes()
        assert a != b


class TestOrganisations:
    def test_specs_from_codes(self):
        specs = synth.org_specs(["rjz", "QKS", "XQ1", "ABC"], 500, 3)
        assert [s.code for s in specs] == ["RJZ", "QKS", "XQ1", "ABC"]
        assert specs[0].name == "King's College Hospital NHS Foundation Trust"
        assert specs[1].type == "ICB" and specs[1].region == "South East"
        assert specs[3].name == "Synthetic organisation ABC"
        assert 0.45 <= specs[0].bme_share <= 0.55 and 0.15 <= specs[1].bme_share <= 0.19
        assert specs[0].hcas == "inner"

    def test_national_mix(self):
        specs = synth.org_specs(220, 6800, 1)
        assert sum(s.staff for s in specs) == 220 * 6800
        assert len({s.code for s in specs}) == 220 and specs[0].code == "SYN001"
        types = pd.Series([s.type for s in specs]).value_counts()
        assert set(types.index) == set(synth.KIND_TYPE.values())
        assert types["Acute trust"] > types["ICB"] > types["Ambulance trust"]
        sizes = pd.Series([s.staff for s in specs])
        assert sizes.min() >= 30 and sizes.max() > 3 * sizes.median()

    def test_organisations_csv_merges(self, tmp_path):
        raw = tmp_path / "raw"
        raw.mkdir()
        (raw / "organisations.csv").write_text(
            "org_code,name,type,region\nRAL,Royal Free London,Acute trust,London\n"
            "RJZ,Old name,Acute trust,London\n",
            encoding="utf-8",
        )
        synth.synthesise(["RJZ"], [2025], 50, 1, raw)
        orgs = pd.read_csv(raw / "organisations.csv")
        assert list(orgs["org_code"]) == ["RAL", "RJZ"]
        assert orgs.loc[1, "name"] == "King's College Hospital NHS Foundation Trust"

    def test_bad_arguments(self, tmp_path):
        with pytest.raises(ValueError):
            synth.synthesise(0, [2025], 100, 1, tmp_path)
        with pytest.raises(ValueError):
            synth.synthesise(1, [], 100, 1, tmp_path)


class TestDemo:
    def test_demo(self, tmp_path):
        content = tmp_path / "content"
        (content / "RJZ").mkdir(parents=True)
        (content / "RJZ" / "summary.md").write_text("Our own words.\n", encoding="utf-8")
        written = synth.synthesise_demo(tmp_path / "raw", content)
        assert written == [(o, y) for o in ("RJZ", "QKS", "XQ1") for y in (2024, 2025)]
        sizes = {
            org: len(read(tmp_path / "raw" / org / "2024" / "workforce.csv"))
            for org in ("RJZ", "QKS", "XQ1")
        }
        assert sizes == {"RJZ": 1500, "QKS": 800, "XQ1": 40}
        # a real team's content is never overwritten
        assert (content / "RJZ" / "summary.md").read_text() == "Our own words.\n"
        assert not (content / "RJZ" / "2024").exists()
        for org in ("QKS", "XQ1"):
            assert "synthetic" in (content / org / "summary.md").read_text()
            assert (content / org / "objectives.md").is_file()
            for year in (2024, 2025):
                actions = pd.read_csv(content / org / str(year) / "actions.csv")
                assert list(actions.columns) == ["metric", "action", "timescale", "lead"]
                assert 6 <= len(actions) <= 8
                assert actions.notna().all().all()
        assert "an integrated care board" in (content / "QKS" / "summary.md").read_text()


class TestPay:
    """Golden values for the pay helpers (measures.md §1.6 and §7.4)."""

    def _pay(self, band, hours=37.5, freq=0, bank=False, shift=0.0, hcas="", year=2025):
        b = np.array([cl.PAY_BANDS.index(band)])
        annual = synth.annual_basic(
            b, np.zeros(1), np.zeros(1, int), np.zeros(1), np.zeros(1), year
        )
        return synth.period_pay(
            annual,
            b,
            np.array([hours]),
            np.array([freq]),
            np.array([bank]),
            np.array([shift]),
            hcas,
            london=bool(hcas),
        )[0]

    def test_band5_entry_monthly(self):
        assert self._pay("Band 5") == pytest.approx(2497.50)
        assert self._pay("Band 5", year=2026) == pytest.approx(31049 / 12)

    def test_weekly_and_part_time(self):
        assert self._pay("Band 5", freq=1) == pytest.approx(29970 * 7 / 365)
        assert self._pay("Band 5", hours=22.5) == pytest.approx(2497.50 * 0.6)

    def test_hcas_cash_minimum(self):
        # Band 2: 20 % of 23,615 = 4,723 is below the inner London minimum, 5,471
        assert self._pay("Band 2", hcas="inner") == pytest.approx((23615 + 5471) / 12)

    def test_unsocial_hours(self):
        expected = 2497.50 * (1 + 0.2 * (0.7 * 0.30 + 0.3 * 0.60))
        assert self._pay("Band 5", shift=0.2) == pytest.approx(expected)

    def test_bank_hourly_rate_round_trips(self):
        pay = self._pay("Band 3", hours=12.0, bank=True)
        hourly = pay * 7 / 30.44 / 12.0
        assert hourly == pytest.approx(24071 * 7 / 365 / 37.5)


class TestProperties:
    @settings(max_examples=40, deadline=None)
    @given(
        st.lists(st.floats(0.01, 100.0), min_size=1, max_size=50),
        st.integers(1, 10_000),
    )
    def test_sizes_with_mean(self, raw, mean):
        sizes = synth._sizes_with_mean(np.array(raw), mean)
        assert sizes.sum() == len(raw) * mean
        assert sizes.min() >= min(30, mean)

    @settings(max_examples=40, deadline=None)
    @given(
        st.lists(st.floats(0.05, 20.0), min_size=1, max_size=200),
        st.floats(0.01, 0.95),
    )
    def test_calibrate_odds_hits_target(self, multipliers, target):
        m = np.array(multipliers)
        o = synth.calibrate_odds(m, target)
        assert np.mean(o * m / (1 + o * m)) == pytest.approx(target, abs=1e-6)

    @settings(max_examples=30, deadline=None)
    @given(
        st.integers(0, 80_000_000),
        st.integers(1, 5000),
        st.sampled_from(["RJZ", "QKS", "XQ1", "SYN001", "ABC"]),
    )
    def test_public_ids_unique_eight_digits(self, start, n, code):
        ids = synth._public_ids(np.arange(start, start + n), code)
        assert len(np.unique(ids)) == n
        assert ids.min() >= 10_000_000 and ids.max() < 100_000_000

    @settings(max_examples=40, deadline=None)
    @given(
        st.lists(st.tuples(st.integers(0, 11), st.floats(0, 1), st.integers(0, 5)), min_size=1),
        st.sampled_from([2023, 2024, 2025, 2026, 2027]),
    )
    def test_afc_pay_on_a_pay_point(self, rows, year):
        band = np.array([r[0] for r in rows])
        pay = synth.annual_basic(
            band,
            np.array([r[1] for r in rows]),
            np.array([r[2] for r in rows]),
            np.zeros(len(rows)),
            np.zeros(len(rows)),
            year,
        )
        points = cl.afc_pay_points(year)
        for b, p in zip(band, pay, strict=True):
            assert p in points[cl.AFC_BANDS[b]]
