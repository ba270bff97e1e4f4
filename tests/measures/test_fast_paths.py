"""The measure stage's fast paths give exactly what the plain pandas way gives.

Each helper below replaced a slower pandas expression (the one written out in each test);
the figures must not move by a single bit (methodology §0.2: values are unrounded until
publication). Hypothesis is derandomised so that a boundary found once stays tested.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from edi_reports.intake.classifications import DISABILITY_GROUPS, UNKNOWN, WRES_GROUPS
from edi_reports.measures import paygap, profile, wres
from edi_reports.measures.metrics import Metric, metric, not_calculable, to_frame

FAST = settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)

labels = st.sampled_from(["White", "BME", "Unknown", "Other", "white", "Disabled", None])
label_lists = st.lists(labels, max_size=25)
category_lists = st.lists(
    st.sampled_from(["White", "BME", "Unknown", "Other", "white", "Disabled", "Zed"]),
    unique=True,
    max_size=6,
)


def categorical(values: list[str | None], categories: list[str]) -> pd.Series:
    """A categorical column; values outside ``categories`` are blank, as in a cleaned table."""
    return pd.Series(pd.Categorical([v if v in categories else None for v in values], categories))


@FAST
@given(label_lists, category_lists, st.sampled_from([WRES_GROUPS, DISABILITY_GROUPS]))
def test_recode_matches_categorical_of_text(values, categories, order):
    # methodology §3.1, §4.2: blank is Unknown, anything outside the groups is blank
    column = categorical(values, categories)
    expected = pd.Categorical(column.astype("string").fillna(UNKNOWN), categories=order)
    got = wres._recode(column, order)
    assert list(got.cat.categories) == list(order)
    assert got.astype(object).tolist() == pd.Series(expected).astype(object).tolist()
    # the text path (a column that is not categorical) is the same rule
    text = wres._recode(column.astype("string"), order)
    assert text.astype(object).tolist() == got.astype(object).tolist()


@FAST
@given(label_lists, category_lists)
def test_group_counts_of_codes_match_value_counts(values, categories):
    column = categorical(values, categories)
    order = [*categories, "absent"]
    counts = column.astype("string").value_counts()
    expected = {g: int(counts.get(g, 0)) for g in order}
    assert wres.group_counts(column, order) == expected
    assert wres.group_counts(column.astype("string"), order) == expected


@FAST
@given(
    st.lists(st.sampled_from(["Bank", "bank", "BANK", "Permanent", None]), max_size=25),
    st.lists(st.sampled_from(["Bank", "bank", "Permanent", "Fixed term"]), unique=True),
)
def test_in_post_matches_text_test(contracts, categories):
    # methodology §3.2, §4.1: bank staff are not staff in post; a blank contract is
    workforce = pd.DataFrame({"contract_type": categorical(contracts, categories)})
    bank = workforce["contract_type"].astype("string").str.casefold() == "bank"
    expected = ~bank.fillna(False).to_numpy(dtype=bool)
    assert (wres.in_post(workforce) == expected).all()
    text = workforce.assign(contract_type=workforce["contract_type"].astype("string"))
    assert (wres.in_post(text) == expected).all()
    assert wres.staff_in_post(workforce).index.equals(workforce.index[expected])


@FAST
@given(
    st.lists(st.sampled_from(["a", "b", "c", None]), max_size=20),
    st.lists(st.sampled_from(["a", "b", "d", None]), max_size=20),
)
def test_is_in_matches_isin_blanks_included(values, pool):
    ids, wanted = pd.Series(values, dtype="string"), pd.Series(pool, dtype="object")
    expected = ids.isin(wanted.astype("string")).fillna(False).to_numpy(dtype=bool)
    assert (wres._is_in(ids, wanted) == expected).all()


def test_survey_keys_find_the_same_rows():
    # methodology §3.2, §4.3: matched on trimmed, casefolded text; a blank item (or
    # "combined") is the row without a sub-item
    survey = pd.DataFrame(
        {
            "question": [" WRES.6 ", "wres.6", "wdes.4a", "wdes.4a", None, "wres.5"],
            "item": [None, "combined", " Public", "managers", None, ""],
            "group": ["white", "BME", "Disabled", "Disabled", "White", " White"],
            "percent": [20.0, 25.0, 10.0, None, 1.0, 30.0],
            "responses": pd.array([100, 40, 30, 20, 5, 90], dtype="Int64"),
        }
    )
    asks = [
        ("wres.6", "White", None, "pct"),
        ("wres.6", "BME", None, "pct"),
        ("wres.5", "White", None, "pct"),
        ("wdes.4a", "Disabled", "public", "pct"),
        ("wdes.4a", "Disabled", "managers", "pct"),
        ("wdes.4a", "Disabled", "colleagues", "pct"),
        ("wres.7", "White", None, "pct"),
    ]
    keys = wres.survey_keys(survey)
    with pytest.warns(UserWarning):
        shared = [wres.survey_row(m, survey, g, item=i, unit=u, keys=keys) for m, g, i, u in asks]
    with pytest.warns(UserWarning):
        alone = [wres.survey_row(m, survey, g, item=i, unit=u) for m, g, i, u in asks]
    assert shared == alone
    assert [r.value for r in shared] == [20.0, 25.0, 30.0, 10.0, None, None, None]
    assert shared[4].status.startswith("not_calculable: blank")
    # a table without an item column: only the "no sub-item" figures exist
    no_item = survey.drop(columns="item")
    with pytest.warns(UserWarning):
        row = wres.survey_row("wdes.4a", no_item, "Disabled", item="public")
    assert row.status.startswith("not_calculable: no Staff Survey result")


@FAST
@given(
    st.lists(st.floats(min_value=1, max_value=100, allow_nan=False), min_size=1, max_size=30),
    st.lists(st.floats(min_value=1, max_value=100, allow_nan=False), min_size=1, max_size=30),
    st.integers(min_value=1, max_value=300),
    st.integers(min_value=5, max_value=400),
)
def test_shared_bootstrap_draws_give_each_statistic_alone(ref, comp, reps, chunk):
    # methodology §8: the interval of each statistic is the one its own bootstrap gives
    ref_a, comp_a = np.array(ref), np.array(comp)
    both = paygap._bootstrap_intervals(ref_a, comp_a, ("mean", "median"), reps, 7, chunk)
    for stat in ("mean", "median"):
        alone = paygap._bootstrap_values(ref_a, comp_a, stat, reps, 7, chunk)
        np.testing.assert_array_equal(both[stat], alone)


@FAST
@given(
    st.integers(min_value=1, max_value=40),
    st.integers(min_value=1, max_value=12),
    st.sampled_from([0.5, 1.0, 1e-9, 1e9]),
    st.booleans(),
    st.integers(min_value=0, max_value=2**31),
)
def test_row_medians_are_numpys_medians(n, rows, scale, ties, seed):
    # methodology §8: the bootstrap's medians, bit for bit (odd and even rows, ties, NaN)
    rng = np.random.default_rng(seed)
    sample = rng.uniform(1, 100, size=(rows, n)) * scale
    if ties:
        sample = np.round(sample / scale) * scale
    expected = np.median(sample, axis=1)
    np.testing.assert_array_equal(paygap._row_medians(sample.copy()), expected)
    sample[0, 0] = np.nan
    np.testing.assert_array_equal(paygap._row_medians(sample.copy()), np.median(sample, axis=1))


def test_bootstrap_of_an_empty_group_has_no_interval():
    out = paygap._bootstrap_intervals(np.array([]), np.array([1.0]), ("mean", "median"), 10, 1, 9)
    assert all(np.isnan(v).all() for v in out.values())
    with pytest.raises(ValueError, match="stat must be"):
        paygap._bootstrap_intervals(np.array([1.0]), np.array([1.0]), ("mode",), 10, 1, 9)


@FAST
@given(
    st.lists(st.sampled_from(["Yes", "No", None]), min_size=1, max_size=30),
    st.lists(st.sampled_from(["Band 5", "Band 6", "Band 7", None]), min_size=30, max_size=30),
)
def test_share_counts_match_the_groupby(groups, bands):
    # methodology §10: counts by group within each breakdown value, blanks counted nowhere
    g = pd.Series(pd.Categorical(groups, categories=["Yes", "No", "Not Declared"]))
    by = pd.Series(
        pd.Categorical(bands[: len(groups)], categories=["Band 5", "Band 6", "Band 7", "Band 8a"])
    )
    for split in (None, by):
        frame = profile._shares(g, split)
        levels, cats, counts = profile._share_counts(g, split)
        expected = frame["count"].to_numpy().reshape(len(levels), len(cats))
        np.testing.assert_array_equal(counts, expected)
        if split is not None:
            assert levels == list(frame["by"].drop_duplicates())


def test_to_frame_keeps_every_field_and_dtype():
    rows: list[Metric] = [
        metric("gpg.mean_hourly_gap", 5.5, "pct", group="Female", reference_group="Male", n=7),
        not_calculable("wres.2", "ratio", "no BME shortlisted applicants", n=3, warn=False),
        metric("wres.1", 1 / 3 * 100, "pct", numerator=1, denominator=3, ci_low=0.1, ci_high=2),
    ]
    frame = to_frame(rows)
    assert frame.loc[0, "value"] == 5.5 and frame.loc[2, "value"] == 1 / 3 * 100
    assert pd.isna(frame.loc[1, "value"]) and frame.loc[1, "status"].startswith("not_calc")
    assert frame["n"].dtype == "Int64" and frame["value"].dtype == "Float64"
    assert frame.loc[2, ["numerator", "denominator", "ci_low", "ci_high"]].tolist() == [
        1,
        3,
        0.1,
        2,
    ]
    assert list(frame["breakdown"]) == ["overall"] * 3


def test_pay_columns_once_give_the_same_rows(acme_like: pd.DataFrame):
    # methodology §1.6, §1.7: hourly rates worked out once for the table, or per family
    once = paygap.with_pay_columns(acme_like)
    assert paygap.with_pay_columns(once) is once
    assert paygap.gender_pay_gap(once) == paygap.gender_pay_gap(acme_like)
    assert paygap.intersection_pay_gaps(once) == paygap.intersection_pay_gaps(acme_like)


@pytest.fixture
def acme_like() -> pd.DataFrame:
    rng = np.random.default_rng(5)
    n = 120
    return pd.DataFrame(
        {
            "sex": pd.Categorical(rng.choice(["Female", "Male", "Unknown"], n)),
            "ethnic_wres": pd.Categorical(rng.choice(["White", "BME", "Unknown"], n)),
            "disability_group": pd.Categorical(rng.choice(list(DISABILITY_GROUPS), n)),
            "ordinary_pay": rng.uniform(1500, 6000, n).round(2),
            "contracted_hours": rng.choice([37.5, 22.5, 0.0], n),
            "pay_frequency": pd.Categorical(rng.choice(["monthly", "weekly"], n)),
            "bonus_pay_in_period": rng.choice([0.0, 120.0], n),
            "bonus_period_days": rng.choice([30.0, 365.0], n),
            "bonus_pay_12m": rng.choice([0.0, 0.0, 250.0], n),
            "full_pay": pd.array(rng.choice([True, True, False], n), dtype="boolean"),
        }
    )
