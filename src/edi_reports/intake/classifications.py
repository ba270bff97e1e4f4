"""Classifications: NHS ethnic categories, ESR equality values, staff groups, bands and grades.

Spec: methodology §7 (and the groupings of §2.3, §2.6, §3.1, §4.2, §4.3).
Every mapping here is a default that the methodology marks "keep configurable"; functions take
the relevant :class:`~edi_reports.config.Settings` field where a setting applies.
All functions are vectorised over pandas Series.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from edi_reports.intake import esr_values

UNKNOWN = "Unknown"

# --- §7.1 NHS Data Dictionary ETHNIC CATEGORY -------------------------------------------

ETHNIC_CATEGORIES: dict[str, str] = {
    "A": "White - British",
    "B": "White - Irish",
    "C": "White - Any other White background",
    "D": "Mixed - White and Black Caribbean",
    "E": "Mixed - White and Black African",
    "F": "Mixed - White and Asian",
    "G": "Mixed - Any other mixed background",
    "H": "Asian or Asian British - Indian",
    "J": "Asian or Asian British - Pakistani",
    "K": "Asian or Asian British - Bangladeshi",
    "L": "Asian or Asian British - Any other Asian background",
    "M": "Black or Black British - Caribbean",
    "N": "Black or Black British - African",
    "P": "Black or Black British - Any other Black background",
    "R": "Other Ethnic Groups - Chinese",
    "S": "Other Ethnic Groups - Any other ethnic group",
    "Z": "Not stated",
    "99": "Not known",
}
NATIONAL_CODES: tuple[str, ...] = tuple(ETHNIC_CATEGORIES)
UNKNOWN_ETHNIC_CODES: frozenset[str] = frozenset({"Z", "99"})

WRES_GROUPS: tuple[str, ...] = ("White", "BME", UNKNOWN)
HIGH_LEVEL_GROUPS: tuple[str, ...] = (
    "White British",
    "White other",
    "Mixed",
    "Asian",
    "Black",
    "Other",
    UNKNOWN,
)
_HIGH_LEVEL: dict[str, str] = {
    "A": "White British",
    "B": "White other",
    "C": "White other",
    **dict.fromkeys("DEFG", "Mixed"),
    **dict.fromkeys("HJKL", "Asian"),
    **dict.fromkeys("MNP", "Black"),
    "R": "Other",
    "S": "Other",
    "Z": UNKNOWN,
    "99": UNKNOWN,
}


def _label_key(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower().replace("&", "and"))


def _lookup_keys(values: pd.Series, table: dict[str, str]) -> pd.Series:
    """Map each cell's label key through ``table``, computing keys once per distinct value
    (ESR extracts repeat a handful of labels over millions of rows)."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    mapped = np.array(
        [table.get(_label_key(u), pd.NA) if isinstance(u, str) else pd.NA for u in uniques]
        + [pd.NA],
        dtype=object,
    )
    return pd.Series(mapped[codes], index=values.index, dtype="string")


# Labels without a code: the NHS descriptions (``White - British``), the ESR display forms
# of the local codes (``White English``), the Census 2021 / GSS categories and the
# not-stated words (esr_values.py; docs/vocabularies.md).
ETHNIC_LABELS: dict[str, str] = {}
for _code, _label in ETHNIC_CATEGORIES.items():
    ETHNIC_LABELS[_label_key(_label)] = _code
    ETHNIC_LABELS[_label_key(f"{_code} {_label}")] = _code
for _local, _label in esr_values.PDS_LOCAL_ETHNIC_CODES.items():
    _prefix = esr_values.LOCAL_PREFIX.get(_local[0], "")
    ETHNIC_LABELS.setdefault(_label_key(_label), _local[0])
    ETHNIC_LABELS.setdefault(_label_key(f"{_prefix} {_label}"), _local[0])
for _table in (
    esr_values.CENSUS_2021_ETHNIC,
    esr_values.CENSUS_2021_SHORT,
    esr_values.ETHNIC_UNKNOWN_WORDS,
):
    for _label, _code in _table.items():
        ETHNIC_LABELS[_label_key(_label)] = _code
ETHNIC_LABELS.update(
    {
        _label_key("White British"): "A",
        _label_key("White Irish"): "B",
        _label_key("Chinese"): "R",
        _label_key("British"): "A",
        _label_key("Irish"): "B",
        _label_key("White Unspecified"): "C",
        _label_key("Asian British"): "L",
        _label_key("Black British"): "P",
    }
)
# Census 2021 categories written "Group - Category" or "Category (Group)" as well as
# "Group: Category".
for _label, _code in esr_values.CENSUS_2021_ETHNIC.items():
    _group, _cat = _label.split(": ", 1)
    ETHNIC_LABELS[_label_key(f"{_cat} {_group}")] = _code

# A code, then a separator, then a label: "A White - British", "CA White English",
# "c3 - white unspecified", "99 Not Known", "S: Any Other Ethnic Group". The code is a
# national code or a two-character local code whose first character is national (§7.1).
# The code decides, whatever the label says; a cell that is exactly a known label (or a
# spreadsheet's missing-value marker) is read as that first. A two-character code in lower
# or mixed case counts only when its label is one of that national code's labels, and
# English words (_WORDS_NOT_CODES) never count, so "No answer" or "DO NOT WISH TO SAY" are
# not read as the local codes NO and DO.
_CODE_LABEL = re.compile(
    r"^\s*(?:(?P<nat>99|[A-HJ-NPRSZ])|(?P<local>[A-HJ-NPRSZ][A-Z0-9]))"
    r"(?:\s*[-:.)|/]\s*|\s+)(?P<label>\S.*)$",
    re.IGNORECASE | re.DOTALL,
)
_LOCAL_FIRST = frozenset("ABCDEFGHJKLMNPRSZ")
# English words that look like a local code before a label ("NO ANSWER", "DO NOT WISH TO
# SAY" in an all-capitals export); none is in the NHS list of local codes.
_WORDS_NOT_CODES = frozenset(
    {"AN", "AS", "AT", "BE", "BY", "DO", "GO", "HE", "ME", "MY", "NO", "SO"}
)


# Spreadsheet and database markers of a missing value: read as 99 (not known), never as
# the codes N (Black African) or NA.
MISSING_MARKERS: frozenset[str] = frozenset({"NA", "N/A", "#N/A", "NULL", "NONE", "NAN", "-"})


def _ethnic_unique(value: str) -> str | None:
    """One distinct raw ethnic cell -> national code, or None when not recognised."""
    text = value.strip()
    upper = text.upper()
    if upper in MISSING_MARKERS:
        return "99"
    if upper in ETHNIC_CATEGORIES:
        return upper
    if len(upper) == 2 and upper[0] in _LOCAL_FIRST and upper[1].isalnum():
        return upper[0]
    by_label = ETHNIC_LABELS.get(_label_key(text))
    if by_label is not None:
        return by_label
    found = _CODE_LABEL.match(text)
    if found is None:
        return None
    if found.group("nat"):
        return found.group("nat").upper()
    local = found.group("local")
    if local.upper() in _WORDS_NOT_CODES:
        return None
    if local.isupper() or local[1].isdigit():
        return local[0].upper()
    label_code = ETHNIC_LABELS.get(_label_key(found.group("label")))
    return local[0].upper() if label_code == local[0].upper() else None


#: ESR local codes under C ("any other White background") that record a British national
#: identity: C2 Northern Irish, CA English, CB Scottish, CC Welsh, CD Cornish. The NHS Data
#: Dictionary rolls every C local code up to C, which would put staff recorded "CA White
#: English" outside the White British reference of the ethnicity pay gap; by default they are
#: read as A (setting ``epg.british_local_codes_white_british``; methodology §7.1).
BRITISH_LOCAL_CODES: frozenset[str] = frozenset({"C2", "CA", "CB", "CC", "CD"})
_BRITISH_LABEL_KEYS: frozenset[str] = frozenset(
    _label_key(form)
    for code in BRITISH_LOCAL_CODES
    for form in (
        esr_values.PDS_LOCAL_ETHNIC_CODES[code],
        f"White {esr_values.PDS_LOCAL_ETHNIC_CODES[code]}",
    )
)


def _british_local(value: str) -> bool:
    """Whether a cell read as C names one of :data:`BRITISH_LOCAL_CODES` (code or label)."""
    text = value.strip()
    if text.upper() in BRITISH_LOCAL_CODES or _label_key(text) in _BRITISH_LABEL_KEYS:
        return True
    found = _CODE_LABEL.match(text)
    return bool(found and (found.group("local") or "").upper() in BRITISH_LOCAL_CODES)


def normalise_ethnic_code(
    values: pd.Series, british_local_white_british: bool = True
) -> tuple[pd.Series, pd.Series]:
    """Turn raw ethnic category cells into national codes.

    Spec: methodology §7.1 (format an2: the first character is the national code; a second
    character is local and rolls up to it); data contract §2.1.

    Accepted, in any case and spacing: a national code (``A``, ``99``); a two-character
    local code (``C3``, ``LH``); either followed by a label as ESR displays them
    (``A White - British``, ``CA White English``, ``S Any Other Ethnic Group``; the code
    decides, whatever the label says); a bare label (``White - British``, ``White
    English``); a Census 2021 / GSS category (``White: Roma``, ``Arab``). The lists and
    their sources are in :mod:`edi_reports.intake.esr_values` and ``docs/vocabularies.md``.

    Parameters
    ----------
    values
        Raw cells, or blank.
    british_local_white_british
        Read the British-identity local codes (:data:`BRITISH_LOCAL_CODES`) as A rather
        than rolling them up to C (setting ``epg.british_local_codes_white_british``).

    Returns
    -------
    codes, invalid
        ``codes`` is a Series of national codes (``A``-``S``, ``Z``, ``99``) with ``<NA>``
        for blank or unrecognised cells; ``invalid`` is True where a non-blank cell was not
        recognised (to be listed in quarantine as set unknown; ``X`` is one of those, §7.1).
    """
    s = values.astype("string").str.strip()
    blank = (s.isna() | (s == "")).fillna(True).astype(bool)
    codes, uniques = pd.factorize(s.mask(blank), use_na_sentinel=True)
    found = [_ethnic_unique(u) if isinstance(u, str) else None for u in uniques]
    if british_local_white_british:
        found = [
            "A" if code == "C" and _british_local(u) else code
            for code, u in zip(found, uniques, strict=True)
        ]
    mapped = np.array([*found, None], dtype=object)
    out = pd.Series(mapped[codes], index=values.index, dtype="string")
    invalid = ~blank & out.isna()
    return out, invalid.astype(bool)


def wres_group(codes: pd.Series) -> pd.Series:
    """White (A-C) / BME (D-S) / Unknown (Z, 99, blank). Spec: methodology §3.1."""
    first = codes.astype("string")
    res = np.where(
        first.isin(["A", "B", "C"]).fillna(False),
        "White",
        np.where(first.isin(list("DEFGHJKLMNPRS")).fillna(False), "BME", UNKNOWN),
    )
    return pd.Series(pd.Categorical(res, categories=WRES_GROUPS), index=codes.index)


def high_level_group(codes: pd.Series, code_R_group: str = "Other") -> pd.Series:
    """The high-level groups of methodology §2.3 / §7.1 (setting ``ethnicity.code_R_group``)."""
    mapping = dict(_HIGH_LEVEL)
    mapping["R"] = code_R_group
    res = codes.astype("string").map(mapping).fillna(UNKNOWN).astype(str)
    return pd.Series(pd.Categorical(res, categories=HIGH_LEVEL_GROUPS), index=codes.index)


# --- §7.2 ESR equality values ----------------------------------------------------------

SEXES: tuple[str, ...] = ("Male", "Female", UNKNOWN)
DISABILITY_VALUES: tuple[str, ...] = (
    "Yes",
    "No",
    "Not Declared",
    "Prefer Not To Answer",
    "Unspecified",
)
DISABILITY_GROUPS: tuple[str, ...] = ("Disabled", "Non-disabled", UNKNOWN)
SEXUAL_ORIENTATION_VALUES: tuple[str, ...] = (
    "Heterosexual or Straight",
    "Gay or Lesbian",
    "Bisexual",
    "Other sexual orientation not listed",
    "Not stated (person asked but declined to provide a response)",
    "Undecided",
    "Unspecified",
)
SEXUAL_ORIENTATION_GROUPS: tuple[str, ...] = ("Heterosexual", "LGB+", UNKNOWN)
RELIGION_VALUES: tuple[str, ...] = (
    "Atheism",
    "Buddhism",
    "Christianity",
    "Hinduism",
    "Islam",
    "Jainism",
    "Judaism",
    "Sikhism",
    "Other",
    "I do not wish to disclose my religion/belief",
    "Unspecified",
)
MARITAL_VALUES: tuple[str, ...] = (
    "Married",
    "Single",
    "Civil Partnership",
    "Divorced",
    "Widowed",
    "Legally Separated",
    "Unknown",
)
GENDER_REASSIGNMENT_VALUES: tuple[str, ...] = ("Yes", "No", "Prefer not to say")
AGE_BANDS: tuple[str, ...] = (
    "<=20",
    "21-25",
    "26-30",
    "31-35",
    "36-40",
    "41-45",
    "46-50",
    "51-55",
    "56-60",
    "61-65",
    "66-70",
    ">=71",
)


def match_values(values: pd.Series, allowed: tuple[str, ...]) -> tuple[pd.Series, pd.Series]:
    """Match coded cells case-insensitively and ignoring surrounding spaces.

    Returns the canonical spelling (``<NA>`` for blank or unmatched) and a mask of
    non-blank cells that matched nothing (data contract §2: kept as unknown and listed).
    """
    s = values.astype("string").str.strip()
    lookup = {v.casefold(): v for v in allowed}
    out = s.str.casefold().map(lookup).astype("string")
    invalid = s.notna() & (s != "") & out.isna()
    return out, invalid


def normalise_sex(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """``Male``/``Female`` (also ``M``/``F``); anything else is Unknown (§0.4, §7.2).

    Returns the sex (categorical over :data:`SEXES`) and a mask of non-blank unrecognised cells.
    """
    s = values.astype("string").str.strip().str.casefold()
    res = s.map({"male": "Male", "m": "Male", "female": "Female", "f": "Female"})
    invalid = s.notna() & (s != "") & res.isna()
    res = res.fillna(UNKNOWN).astype(str)
    return pd.Series(pd.Categorical(res, categories=SEXES), index=values.index), invalid


def disability_group(values: pd.Series) -> pd.Series:
    """Disabled = Yes, Non-disabled = No, else Unknown. Spec: methodology §2.6, §4.2."""
    s = values.astype("string").str.strip().str.casefold()
    res = s.map({"yes": "Disabled", "no": "Non-disabled"}).fillna(UNKNOWN).astype(str)
    return pd.Series(pd.Categorical(res, categories=DISABILITY_GROUPS), index=values.index)


def sexual_orientation_group(values: pd.Series, undecided_is_lgb: bool = False) -> pd.Series:
    """Heterosexual / LGB+ / Unknown. Spec: methodology §2.6 (setting sexual_orientation.mapping)."""
    s = values.astype("string").str.strip().str.casefold()
    mapping = {
        "heterosexual or straight": "Heterosexual",
        "gay or lesbian": "LGB+",
        "bisexual": "LGB+",
        "other sexual orientation not listed": "LGB+",
    }
    if undecided_is_lgb:
        mapping["undecided"] = "LGB+"
    res = s.map(mapping).fillna(UNKNOWN).astype(str)
    return pd.Series(pd.Categorical(res, categories=SEXUAL_ORIENTATION_GROUPS), index=values.index)


def age_band(age: pd.Series) -> pd.Series:
    """NHS workforce statistics age bands (§7.2); missing age is Unknown."""
    bins = [-np.inf, 20, 25, 30, 35, 40, 45, 50, 55, 60, 65, 70, np.inf]
    cut = pd.cut(age.astype("Float64"), bins=bins, labels=list(AGE_BANDS), right=True)
    return cut.cat.add_categories([UNKNOWN]).fillna(UNKNOWN)


# --- data contract §2 value lists ----------------------------------------------------

CONTRACT_TYPES: tuple[str, ...] = ("Permanent", "Fixed Term Temp", "Bank")
PAY_FREQUENCIES: tuple[str, ...] = ("monthly", "weekly", "fortnightly", "4-weekly")
# Days in a pay period for the hourly rate (methodology §1.6 step 2).
PAY_PERIOD_DAYS: dict[str, float] = {
    "weekly": 7.0,
    "fortnightly": 14.0,
    "4-weekly": 28.0,
    "monthly": 30.44,
}
CASEWORK_PROCESSES: tuple[str, ...] = ("disciplinary", "capability")
# Staff Survey measure ids (data contract §2.5); ``wdes.prevalence`` (the share of
# respondents who say they are disabled, methodology §4.4) is an optional extra row.
SURVEY_MEASURES: tuple[str, ...] = (
    "wres.5",
    "wres.6",
    "wres.7",
    "wres.8",
    "wdes.4a",
    "wdes.4b",
    "wdes.5",
    "wdes.6",
    "wdes.7",
    "wdes.8",
    "wdes.9a",
)
SURVEY_QUESTIONS: tuple[str, ...] = (*SURVEY_MEASURES, "wdes.prevalence")
SURVEY_GROUPS: tuple[str, ...] = ("White", "BME", "Disabled", "Non-disabled", "All")
SURVEY_ITEMS: tuple[str, ...] = ("public", "managers", "colleagues")
SCORE_QUESTIONS: frozenset[str] = frozenset({"wdes.9a"})


# --- §7.3 staff groups ------------------------------------------------------------------

STAFF_GROUPS: dict[str, bool] = {
    "Medical and Dental": True,
    "Students": True,
    "Nursing and Midwifery Registered": True,
    "Allied Health Professionals": True,
    "Additional Professional Scientific and Technical": True,
    "Healthcare Scientists": True,
    "Additional Clinical Services": True,
    "Administrative and Clerical": False,
    "Estates and Ancillary": False,
    "Supplementary roles": True,
}
STAFF_GROUP_CODES: dict[str, str] = {
    f"{i:02d}": name for i, name in enumerate(STAFF_GROUPS, start=1)
}
_STAFF_GROUP_KEYS = {_label_key(name): name for name in STAFF_GROUPS}
_STAFF_GROUP_KEYS.update({code: name for code, name in STAFF_GROUP_CODES.items()})
for _name, _forms in esr_values.ESR_STAFF_GROUP_FORMS.items():
    _STAFF_GROUP_KEYS.update({_label_key(f): _name for f in _forms})
_STAFF_GROUP_KEYS.update(
    {_label_key(f): name for f, name in esr_values.NHS_DIGITAL_STAFF_GROUPS.items()}
)


def normalise_staff_group(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Canonical staff group names (§7.3) from names, ESR spellings, NHS Digital's staff
    groups that fall in one ESR staff group, or 2-digit codes (docs/vocabularies.md)."""
    s = values.astype("string").str.strip()
    out = _lookup_keys(s, _STAFF_GROUP_KEYS)
    invalid = s.notna() & (s != "") & out.isna()
    return out, invalid


def is_clinical(staff_group: pd.Series) -> pd.Series:
    """Clinical unless Administrative and Clerical or Estates and Ancillary (§7.3)."""
    return staff_group.astype("string").map(STAFF_GROUPS).astype("boolean")


# --- §7.4 Agenda for Change bands; §7.5 medical grades ----------------------------------

AFC_BANDS: tuple[str, ...] = (
    "Band 1",
    "Band 2",
    "Band 3",
    "Band 4",
    "Band 5",
    "Band 6",
    "Band 7",
    "Band 8a",
    "Band 8b",
    "Band 8c",
    "Band 8d",
    "Band 9",
)
MEDICAL_GRADES: tuple[str, ...] = (
    "Consultant",
    "Specialty Doctor",
    "Specialist",
    "Associate Specialist",
    "Staff Grade",
    "Foundation Year 1",
    "Foundation Year 2",
    "Specialty Registrar",
    "Core Training",
    "Trust Grade",
)
PAY_BANDS: tuple[str, ...] = (*AFC_BANDS, "VSM", *MEDICAL_GRADES, "Non-AfC")

MEDICAL_SUBGROUPS: dict[str, str] = {
    "Consultant": "Consultants",
    "Specialty Doctor": "Non-consultant career grades",
    "Specialist": "Non-consultant career grades",
    "Associate Specialist": "Non-consultant career grades",
    "Staff Grade": "Non-consultant career grades",
    "Foundation Year 1": "Trainee grades",
    "Foundation Year 2": "Trainee grades",
    "Core Training": "Trainee grades",
    "Specialty Registrar": "Trainee grades",
    "Trust Grade": "Other medical",
}

WDES_CLUSTERS: dict[str, str] = {
    **dict.fromkeys(["Band 1", "Band 2", "Band 3", "Band 4"], "C1"),
    **dict.fromkeys(["Band 5", "Band 6", "Band 7"], "C2"),
    **dict.fromkeys(["Band 8a", "Band 8b"], "C3"),
    **dict.fromkeys(["Band 8c", "Band 8d", "Band 9", "VSM"], "C4"),
    "Consultant": "C5",
    **dict.fromkeys(
        ["Specialty Doctor", "Specialist", "Associate Specialist", "Staff Grade"], "C6"
    ),
    **dict.fromkeys(
        ["Foundation Year 1", "Foundation Year 2", "Core Training", "Specialty Registrar"], "C7"
    ),
}
WDES_CLUSTER_LABELS: dict[str, str] = {
    "C1": "AfC bands under 1 to 4",
    "C2": "AfC bands 5 to 7",
    "C3": "AfC bands 8a and 8b",
    "C4": "AfC bands 8c to 9 and VSM",
    "C5": "Medical and dental consultants",
    "C6": "Medical and dental non-consultant career grades",
    "C7": "Medical and dental trainee grades",
}

_BAND_KEYS: dict[str, str] = {}
for _b in AFC_BANDS:
    _suffix = _b.split(" ", 1)[1]
    for _form in esr_values.AFC_BAND_FORMS:
        _BAND_KEYS[_label_key(_form.format(b=_suffix))] = _b
    if _suffix.startswith("8"):
        for _form in esr_values.AFC_BAND8_FORMS:
            _BAND_KEYS[_label_key(_form.format(r=_suffix[1].upper()))] = _b
for _form in esr_values.VSM_FORMS:
    _BAND_KEYS[_label_key(_form)] = "VSM"
for _form in esr_values.NON_AFC_FORMS:
    _BAND_KEYS[_label_key(_form)] = "Non-AfC"
for _grade, _forms in esr_values.MEDICAL_GRADE_FORMS.items():
    for _form in _forms:
        _BAND_KEYS[_label_key(_form)] = _grade
_BAND_KEYS[_label_key("Under Band 1")] = "Band 1"


def normalise_pay_band(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Canonical pay band/grade names (data contract §2.1 ``pay_band``).

    Accepts ``Band 5``, ``5``, ``8A``, ``AfC Band 5``, ``Band 8a``, ``Band 8 - Range A``,
    ``VSM``, apprentices (Non-AfC), medical and dental grades as ESR, NHS Digital and
    payroll spell them (``Speciality Doctor``, ``FY1``, ``ST3``, ``Clinical Fellow``); the
    lists are in :mod:`edi_reports.intake.esr_values` and ``docs/vocabularies.md``.
    Returns canonical names (``<NA>`` if unrecognised or blank) and a mask of unrecognised
    non-blank cells.
    """
    s = values.astype("string").str.strip()
    out = _lookup_keys(s, _BAND_KEYS)
    invalid = s.notna() & (s != "") & out.isna()
    return out, invalid


# 2024/25 and 2025/26 pay points (£ a year), methodology §7.4.
AFC_PAY_POINTS: dict[int, dict[str, tuple[int, ...]]] = {
    2025: {  # 2024/25, snapshot 31 March 2025
        "Band 1": (23615,),
        "Band 2": (23615,),
        "Band 3": (24071, 25674),
        "Band 4": (26530, 29114),
        "Band 5": (29970, 32324, 36483),
        "Band 6": (37338, 39405, 44962),
        "Band 7": (46148, 48526, 52809),
        "Band 8a": (53755, 60504),
        "Band 8b": (62215, 72293),
        "Band 8c": (74290, 85601),
        "Band 8d": (88168, 101677),
        "Band 9": (105385, 121271),
    },
    2026: {  # 2025/26, snapshot 31 March 2026
        "Band 1": (24465,),
        "Band 2": (24465,),
        "Band 3": (24937, 26598),
        "Band 4": (27485, 30162),
        "Band 5": (31049, 33487, 37796),
        "Band 6": (38682, 40823, 46580),
        "Band 7": (47810, 50273, 54710),
        "Band 8a": (55690, 62682),
        "Band 8b": (64455, 74896),
        "Band 8c": (76965, 88682),
        "Band 8d": (91342, 105337),
        "Band 9": (109179, 125637),
    },
}
# Medical basic pay ranges 2024/25 (approx., §7.5), used for synthetic data.
MEDICAL_PAY_2025: dict[str, tuple[int, int]] = {
    "Consultant": (105504, 139882),
    "Specialty Doctor": (59727, 93267),
    "Specialist": (96990, 107155),
    "Associate Specialist": (96990, 107155),
    "Staff Grade": (59727, 75000),
    "Foundation Year 1": (36616, 36616),
    "Foundation Year 2": (42008, 42008),
    "Core Training": (49909, 49909),
    "Specialty Registrar": (63152, 70425),
    "Trust Grade": (49909, 63152),
}


def afc_pay_points(year: int) -> dict[str, tuple[int, ...]]:
    """Pay points in force on 31 March ``year``: the pay year ending then (§1.6, §7.4).

    Years before 2025 are deflated from 2024/25 by 5 % a year, after 2026 inflated by 3 %
    a year; only 2025 and 2026 are the published tables (synthetic data use only).
    """
    if year in AFC_PAY_POINTS:
        return AFC_PAY_POINTS[year]
    base_year = 2025 if year < 2025 else 2026
    factor = (1.05 ** (year - base_year)) if year < 2025 else (1.03 ** (year - base_year))
    return {
        band: tuple(int(round(p * factor)) for p in points)
        for band, points in AFC_PAY_POINTS[base_year].items()
    }
