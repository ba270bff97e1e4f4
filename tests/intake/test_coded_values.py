"""Coded and yes/no columns matched per distinct value (edi_reports.intake.clean).

Spec: data contract §2 (coded values matched ignoring case, spaces and punctuation;
unrecognised non-blank values listed). ``_coded`` matches each distinct value in plain
Python; these tests hold it to the vectorised rule it replaced: the alias table looked up
by header key, then :func:`edi_reports.intake.classifications.match_values`.
"""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from edi_reports.intake import esr_values
from edi_reports.intake.classifications import (
    CONTRACT_TYPES,
    DISABILITY_VALUES,
    GENDER_REASSIGNMENT_VALUES,
    MARITAL_VALUES,
    PAY_FREQUENCIES,
    RELIGION_VALUES,
    SEXUAL_ORIENTATION_VALUES,
    match_values,
)
from edi_reports.intake.clean import _BOOL_WORDS, _FREQUENCY_ALIASES, _coded, header_key, parse_bool

VOCABULARIES = {
    "disability": (DISABILITY_VALUES, esr_values.DISABILITY_FORMS),
    "sexual_orientation": (SEXUAL_ORIENTATION_VALUES, esr_values.SEXUAL_ORIENTATION_FORMS),
    "religion_belief": (RELIGION_VALUES, esr_values.RELIGION_FORMS),
    "marital_status": (MARITAL_VALUES, esr_values.MARITAL_FORMS),
    "gender_reassignment": (GENDER_REASSIGNMENT_VALUES, esr_values.GENDER_REASSIGNMENT_FORMS),
    "contract_type": (CONTRACT_TYPES, esr_values.CONTRACT_FORMS),
    "pay_frequency": (PAY_FREQUENCIES, _FREQUENCY_ALIASES),
}


def _vectorised(values: pd.Series, allowed: tuple[str, ...], aliases: dict[str, str]):
    """The rule as pandas operations on every cell (the reference)."""
    table = {header_key(v): v for v in allowed}
    table.update({header_key(k): v for k, v in aliases.items()})
    s = values.astype("string").fillna("").str.strip()
    keyed = s.map(lambda v: table.get(header_key(v), v)).astype("string")
    return match_values(keyed, allowed)


def _same(values: pd.Series, allowed: tuple[str, ...], aliases: dict[str, str]) -> None:
    got, bad = _coded(values, allowed, aliases)
    want, want_bad = _vectorised(values, allowed, aliases)
    pd.testing.assert_series_equal(got, want, check_names=False)
    assert got.index.equals(values.index)
    assert bad.tolist() == want_bad.fillna(False).astype(bool).tolist()


@pytest.mark.parametrize("name", sorted(VOCABULARIES))
def test_every_value_and_alias_of_each_vocabulary(name: str) -> None:
    allowed, aliases = VOCABULARIES[name]
    forms = [*allowed, *aliases, *(f"  {v.upper()} " for v in allowed)]
    forms += [f.replace(" ", "-") for f in aliases] + ["", "   ", "maybe", "N/A", "x"]
    values = pd.Series(forms * 2, index=range(10, 10 + 2 * len(forms)), dtype=str)
    _same(values, allowed, dict(aliases))
    got, bad = _coded(values, allowed, dict(aliases))
    assert set(got.dropna()) <= set(allowed)
    assert not bad[values.str.strip() == ""].any()


@settings(max_examples=150, deadline=None, derandomize=True)
@given(
    st.lists(
        st.one_of(
            st.sampled_from(
                [*DISABILITY_VALUES, *esr_values.DISABILITY_FORMS, "", " ", "Y", "yes "]
            ),
            st.text(alphabet=" -_.,Yesno\t\u00a0AZ", max_size=8),
        ),
        max_size=30,
    )
)
@example(["Yes", " yes", "YES ", "", "Prefer not to answer", "Prefer-Not-To-Answer"])
def test_matches_the_vectorised_rule(cells: list[str]) -> None:
    values = pd.Series(cells, dtype=str)
    _same(values, DISABILITY_VALUES, dict(esr_values.DISABILITY_FORMS))


def _bool_reference(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """parse_bool's rule as pandas operations on every cell (the reference)."""
    s = values.astype("string").fillna("").str.strip().str.casefold()
    out = s.map(_BOOL_WORDS).astype("boolean")
    return out, ((s != "") & out.isna()).astype(bool)


@settings(max_examples=150, deadline=None, derandomize=True)
@given(
    st.lists(
        st.one_of(
            st.none(),
            st.sampled_from([*_BOOL_WORDS, "Yes ", " NO", "TRUE", "", "  ", "maybe", "2"]),
            st.text(alphabet=" yesnoYN10\t", max_size=5),
        ),
        max_size=30,
    )
)
def test_parse_bool_matches_the_vectorised_rule(cells: list[str | None]) -> None:
    values = pd.Series(cells, dtype=object, index=range(7, 7 + len(cells)), name="flag")
    got, bad = parse_bool(values)
    want, want_bad = _bool_reference(values)
    pd.testing.assert_series_equal(got, want)
    pd.testing.assert_series_equal(bad, want_bad)
