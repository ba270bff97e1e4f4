"""Published-figure lookups (:mod:`edi_reports.report.lookup`) give exactly what the plain
pandas filter gives: same rows, same order, same first value."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from edi_reports.report import lookup
from edi_reports.report.trends import Indicator
from edi_reports.report.trends import lookup as trend_lookup

_MEASURES = ["gpg.mean_hourly_gap", "wres.2", "profile.sex"]
_WORDS = ["overall", "Female", "Male", "1", "", "nan"]


def _plain(frame: pd.DataFrame, measure: str, where: list[tuple[str, str]]) -> pd.DataFrame:
    sel = frame[frame["measure"] == measure]
    for key, value in where:
        sel = sel[sel[key].astype(str) == value]
    return sel


_ROW = st.tuples(
    st.sampled_from(_MEASURES),
    st.sampled_from(_WORDS),
    st.one_of(st.sampled_from(_WORDS), st.just(np.nan), st.just(None)),
    st.sampled_from(["17.8", "*", "", "0.5"]),
)


@settings(max_examples=60, deadline=None, derandomize=True)
@given(
    rows=st.lists(_ROW, max_size=12),
    measure=st.sampled_from([*_MEASURES, "absent"]),
    where=st.lists(
        st.tuples(st.sampled_from(["breakdown", "group"]), st.sampled_from(_WORDS)), max_size=2
    ),
    dtype=st.sampled_from([object, "string", "str"]),
)
def test_same_rows_and_first_value_as_the_pandas_filter(rows, measure, where, dtype):
    frame = pd.DataFrame(rows, columns=["measure", "breakdown", "group", "value"])
    frame = frame if dtype is object else frame.astype(dtype)
    expected = _plain(frame, measure, where)
    got = lookup.select(frame, measure, where)
    assert got.equals(expected) and list(got.index) == list(expected.index)
    first = lookup.first(frame, measure, "value", where)
    if expected.empty:
        assert first is lookup.NONE
    else:
        assert str(first) == str(expected.iloc[0]["value"])
    indicator = Indicator("label", measure, tuple(where), "lower", "%")
    found = None if expected.empty else str(expected.iloc[0]["value"] or "")
    assert trend_lookup(frame, indicator) == (found if len(frame) else None)


def test_a_changed_table_gets_its_own_index():
    """The index belongs to one table object: a new table (another build) is indexed anew."""
    one = pd.DataFrame({"measure": ["m"], "group": ["a"], "value": ["1"]})
    two = pd.DataFrame({"measure": ["m"], "group": ["a"], "value": ["2"]})
    assert lookup.first(one, "m", "value", {"group": "a"}) == "1"
    assert lookup.first(two, "m", "value", {"group": "a"}) == "2"
    assert lookup.first(one, "m", "value", {"group": "b"}) is lookup.NONE
