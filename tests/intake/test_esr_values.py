"""Every value of every cited vocabulary maps to the right canonical value (table-driven),
and any national or local ethnic code followed by any label maps to its code (property).

The lists and their sources: src/edi_reports/intake/esr_values.py and docs/vocabularies.md.
"""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from edi_reports.intake import classifications as cl
from edi_reports.intake import clean as intake
from edi_reports.intake import esr_values as ev

# --- ethnic category ------------------------------------------------------------------------

ETHNIC_CASES: list[tuple[str, str]] = []
for _code, _label in cl.ETHNIC_CATEGORIES.items():
    ETHNIC_CASES += [(_code, _code), (_label, _code), (f"{_code} {_label}", _code)]


def _local_expected(local: str) -> str:
    """A local code's national code; British identities (CA English...) read as A by default
    (methodology §7.1, setting ``epg.british_local_codes_white_british``)."""
    return "A" if local.upper() in cl.BRITISH_LOCAL_CODES else local[0].upper()


for _local, _label in ev.PDS_LOCAL_ETHNIC_CODES.items():
    _prefix = ev.LOCAL_PREFIX[_local[0]]
    _want = _local_expected(_local)
    ETHNIC_CASES += [
        (_local, _want),  # bare local code
        (f"{_local} {_prefix} {_label}".replace("  ", " "), _want),  # ESR display
        (f"{_local} - {_label}", _want),
        (_label, _want),  # bare description
    ]
for _label, _code in {**ev.CENSUS_2021_ETHNIC, **ev.CENSUS_2021_SHORT}.items():
    ETHNIC_CASES.append((_label, _code))
for _label, _code in ev.ETHNIC_UNKNOWN_WORDS.items():
    ETHNIC_CASES.append((_label, _code))
# the values the ESR extracts of real trusts carry
ETHNIC_CASES += [
    ("CA White English", "A"),
    ("C3 White Unspecified", "C"),
    ("LH Asian British", "L"),
    ("PD Black British", "P"),
    ("SC Filipino", "S"),
    ("R Chinese", "R"),
    ("S Any Other Ethnic Group", "S"),
    ("Z Not Stated", "Z"),
    ("99 Not Known", "99"),
    ("  ca   white english ", "A"),
    ("c3-white unspecified", "C"),
    ("A:White British", "A"),
    ("N/A", "99"),
]


@pytest.mark.parametrize(("raw", "code"), ETHNIC_CASES)
def test_every_ethnic_value_maps_to_its_code(raw: str, code: str) -> None:
    codes, invalid = cl.normalise_ethnic_code(pd.Series([raw, raw.upper(), raw.lower()]))
    assert codes.tolist() == [code] * len(codes)
    assert not invalid.any()


def test_the_census_2021_list_has_19_categories_in_5_groups() -> None:
    groups = {label.split(":")[0] for label in ev.CENSUS_2021_ETHNIC}
    assert len(ev.CENSUS_2021_ETHNIC) == 19 and len(groups) == 5


@pytest.mark.parametrize(
    ("raw", "wres", "high"),
    [
        ("White: Gypsy or Irish Traveller", "White", "White other"),
        ("White: Roma", "White", "White other"),
        ("Other ethnic group: Arab", "BME", "Other"),
        ("Asian, Asian British or Asian Welsh: Chinese", "BME", "Other"),
    ],
)
def test_census_categories_outside_the_nhs_list_keep_their_own_group(raw, wres, high) -> None:
    codes, _ = cl.normalise_ethnic_code(pd.Series([raw]))
    assert cl.wres_group(codes).iloc[0] == wres
    assert cl.high_level_group(codes).iloc[0] == high


@pytest.mark.parametrize(
    "raw", ["X", "XYZ", "No answer", "DO NOT WISH", "do something", "Q White", "I Indian"]
)
def test_words_and_unknown_codes_are_not_recognised(raw: str) -> None:
    codes, invalid = cl.normalise_ethnic_code(pd.Series([raw]))
    assert codes.isna().all() and invalid.all()


_NATIONAL = [c for c in cl.ETHNIC_CATEGORIES]
_LOCAL = st.one_of(
    st.sampled_from(sorted(ev.PDS_LOCAL_ETHNIC_CODES)),
    st.builds(
        lambda a, b: a + b,
        st.sampled_from(sorted("ABCDEFGHJKLMNPRSZ")),
        st.sampled_from("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"),
    ),
)
_SEPARATORS = st.sampled_from([" ", "  ", " - ", "-", ": ", " / ", ") ", "\t"])


@settings(max_examples=300, deadline=None, derandomize=True)
@given(
    code=st.one_of(st.sampled_from(_NATIONAL), _LOCAL),
    sep=_SEPARATORS,
    label=st.text(min_size=1, max_size=40).filter(lambda t: t[:1].strip() != ""),
)
def test_any_code_followed_by_any_label_maps_to_its_code(code: str, sep: str, label: str):
    cell = f"{code}{sep}{label}"
    # documented precedence: a cell that is exactly a known label or a missing-value marker
    # is read as that; English words are never codes
    assume(cl._label_key(cell) not in cl.ETHNIC_LABELS)
    assume(cell.strip().upper() not in cl.MISSING_MARKERS)
    assume(code not in cl._WORDS_NOT_CODES)
    codes, invalid = cl.normalise_ethnic_code(pd.Series([cell]))
    expected = code if code in cl.ETHNIC_CATEGORIES else _local_expected(code)
    assert codes.iloc[0] == expected and not invalid.iloc[0]


# --- pay bands and grades -----------------------------------------------------------------------

BAND_CASES: list[tuple[str, str]] = []
for _band in cl.AFC_BANDS:
    _suffix = _band.split(" ", 1)[1]
    BAND_CASES += [(f.format(b=_suffix), _band) for f in ev.AFC_BAND_FORMS]
    BAND_CASES += [(f.format(b=_suffix.upper()), _band) for f in ev.AFC_BAND_FORMS]
    if _suffix.startswith("8"):
        BAND_CASES += [(f.format(r=_suffix[1].upper()), _band) for f in ev.AFC_BAND8_FORMS]
BAND_CASES += [(f, "VSM") for f in ev.VSM_FORMS]
BAND_CASES += [(f, "Non-AfC") for f in ev.NON_AFC_FORMS]
BAND_CASES += [(f, g) for g, forms in ev.MEDICAL_GRADE_FORMS.items() for f in forms]
BAND_CASES += [(g, g) for g in cl.PAY_BANDS]


@pytest.mark.parametrize(("raw", "band"), BAND_CASES)
def test_every_band_and_grade_spelling_maps(raw: str, band: str) -> None:
    out, invalid = cl.normalise_pay_band(pd.Series([raw, raw.lower(), f" {raw.upper()} "]))
    assert out.tolist() == [band] * 3 and not invalid.any()


def test_every_medical_grade_keeps_its_metric_1_subgroup() -> None:
    for grade in ev.MEDICAL_GRADE_FORMS:
        assert grade in cl.MEDICAL_SUBGROUPS


@pytest.mark.parametrize(
    ("raw", "group"),
    [(f, g) for g, forms in ev.ESR_STAFF_GROUP_FORMS.items() for f in forms]
    + list(ev.NHS_DIGITAL_STAFF_GROUPS.items())
    + [(code, name) for code, name in cl.STAFF_GROUP_CODES.items()],
)
def test_every_staff_group_spelling_maps(raw: str, group: str) -> None:
    out, invalid = cl.normalise_staff_group(pd.Series([raw, raw.upper()]))
    assert out.tolist() == [group, group] and not invalid.any()


@pytest.mark.parametrize(
    "raw", ["Ambulance staff", "Scientific, therapeutic & technical staff", "Band 10", "Bnad 5"]
)
def test_spanning_or_misspelt_values_are_not_guessed(raw: str) -> None:
    band, bad_band = cl.normalise_pay_band(pd.Series([raw]))
    group, bad_group = cl.normalise_staff_group(pd.Series([raw]))
    assert band.isna().all() and group.isna().all() and bad_band.all() and bad_group.all()


# --- equality values (read by the clean stage) ---------------------------------------------------

EQUALITY_TABLES = [
    (cl.DISABILITY_VALUES, ev.DISABILITY_FORMS),
    (cl.SEXUAL_ORIENTATION_VALUES, ev.SEXUAL_ORIENTATION_FORMS),
    (cl.RELIGION_VALUES, ev.RELIGION_FORMS),
    (cl.MARITAL_VALUES, ev.MARITAL_FORMS),
    (cl.GENDER_REASSIGNMENT_VALUES, ev.GENDER_REASSIGNMENT_FORMS),
    (cl.CONTRACT_TYPES, ev.CONTRACT_FORMS),
]
EQUALITY_CASES = [
    (allowed, forms, raw, canon)
    for allowed, forms in EQUALITY_TABLES
    for raw, canon in [*((v, v) for v in allowed), *forms.items()]
]


@pytest.mark.parametrize(
    ("allowed", "forms", "raw", "canon"),
    EQUALITY_CASES,
    ids=[f"{c[2]}->{c[3]}" for c in EQUALITY_CASES],
)
def test_every_equality_spelling_maps(allowed, forms, raw, canon) -> None:
    out, invalid = intake._coded(pd.Series([raw, raw.upper(), f" {raw.lower()} "]), allowed, forms)
    assert out.tolist() == [canon] * 3 and not invalid.any()


def test_every_form_maps_to_a_listed_value() -> None:
    for allowed, forms in EQUALITY_TABLES:
        assert set(forms.values()) <= set(allowed)
