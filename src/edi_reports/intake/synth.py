"""Synthetic input data (``edi synth``, ``edi demo``).

Writes files to the input contract (data contract §2.1-§2.7) for fictional or demo
organisations, with known built-in disparities so that every measure has something to find:

- ethnic-minority staff under-represented from AfC band 8a up, and promoted into 8a+ less
  often (``wres.1``);
- White applicants more likely to be appointed from shortlisting (``wres.2``), non-disabled
  applicants slightly more likely than Disabled applicants (``wdes.2``);
- ethnic-minority staff more likely to enter the formal disciplinary process (``wres.3``),
  Disabled staff more likely to enter the capability process (``wdes.3``);
- White staff slightly more likely to access non-mandatory training (``wres.4``);
- women less likely to hold Clinical Excellence Awards (bonus pay, methodology §1.4), and
  over-represented in part-time and lower-paid roles (``gpg.*``);
- Staff Survey results worse for BME and Disabled respondents (``wres.5``-``wres.8``,
  ``wdes.4a``-``wdes.9a``).

Pay follows methodology §7.4 (AfC pay points, HCAS, unsocial hours enhancements) and §7.5
(medical grades); ordinary pay is the pay in the relevant pay period (§1.3, §1.5).
Everything is vectorised with numpy; the same seed gives byte-identical files. The same
organisation evolves from year to year (about 10 % turnover, stable staff ids for stayers,
pay steps and promotions, pay points uprated), so trends are meaningful.

The band mix depends on ethnicity and disability, and pay only on band and grade, calibrated
to NHS England's WRES 2024 and WDES 2024 national figures (docs/demo-data.md), so the pay
gaps come from who holds which band, as in a real trust.

Realistic imperfections that intake must handle: header spellings differ between
organisations (contract names, ESR's own headers, Title Case), ethnic categories come as
codes, local sub-codes (``C3``), ESR display values (``CA White English``, one mapping from
canonical values: :data:`ESR_ETHNIC_DISPLAY` and friends) or blanks, a few casework rows
have no staff id, and a few training rows (about 0.3 %, from the second year on) belong to
staff who left during the year, so they are not in the workforce file and go to quarantine
(data contract §2.4).

Every organisation written is marked synthetic (:data:`SYNTHETIC_MARKER`): its pages say so,
real organisations are never benchmarked against it, and :func:`clean_demo` removes it.

Nothing here reads real data or the network.
"""

from __future__ import annotations

import functools
import os
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from edi_reports.intake import classifications as cl
from edi_reports.intake.organisations import SYNTHETIC_MARKER, is_synthetic

__all__ = [
    "DEMO_ORGS",
    "ESR_HEADERS",
    "SYNTHETIC_MARKER",
    "OrgSpec",
    "is_synthetic",
    "org_specs",
    "synthesise",
    "synthesise_demo",
]

# --- organisations ----------------------------------------------------------------------

# Fictional demonstration bodies. Their codes (DEMO1-DEMO3) follow no ODS pattern (NHS trust
# codes are three characters starting R, ICBs Q, sites five characters starting with their
# trust's code), so they cannot be taken for a real organisation; their names say "fictional".
DEMO_ORGS: list[tuple[str, str, str, str, int]] = [
    (
        "DEMO1",
        "Hartwell Park University Hospitals (fictional demo trust)",
        "Acute trust",
        "London",
        1500,
    ),
    (
        "DEMO2",
        "Weald and Downs Integrated Care Board (fictional demo ICB)",
        "ICB",
        "South East",
        800,
    ),
    (
        "DEMO3",
        "Northfield Community Interest Health (fictional demo body)",
        "Community interest company",
        "North East and Yorkshire",
        40,
    ),
]
_DEMO_STYLE: dict[str, str] = {"DEMO1": "esr", "DEMO2": "contract", "DEMO3": "spaced"}
_DEMO_HCAS: dict[str, str] = {"DEMO1": "inner"}

SYNTHETIC_NOTE = "Synthetic demonstration data \u2014 not real figures"

KINDS: tuple[str, ...] = ("acute", "mental_health", "community", "ambulance", "icb")
KIND_TYPE: dict[str, str] = {
    "acute": "Acute trust",
    "mental_health": "Mental health trust",
    "community": "Community trust",
    "ambulance": "Ambulance trust",
    "icb": "ICB",
}
_TYPE_KIND: dict[str, str] = {v.casefold(): k for k, v in KIND_TYPE.items()}
_TYPE_KIND["community interest company"] = "community"
# share of organisations of each kind (England: ~120 acute, ~50 MH, ~15 community,
# 10 ambulance, 42 ICBs) and relative size
_KIND_WEIGHTS = np.array([0.52, 0.22, 0.07, 0.04, 0.15])
_KIND_SIZE = np.array([1.6, 0.8, 0.6, 1.0, 0.15])
_KIND_BME_FACTOR: dict[str, float] = {
    "acute": 1.0,
    "mental_health": 1.1,
    "community": 0.9,
    "ambulance": 0.45,
    "icb": 0.85,
}

REGIONS: tuple[str, ...] = (
    "London",
    "South East",
    "South West",
    "East of England",
    "Midlands",
    "North West",
    "North East and Yorkshire",
)
_REGION_WEIGHTS = np.array([0.15, 0.16, 0.12, 0.12, 0.20, 0.13, 0.12])
# ethnic-minority share of staff with a known ethnicity, acute trusts (kind factor applies);
# calibrated so that England as a whole has the WRES 2024 national share, 28.6 % of staff,
# with London about half and the South West and the North East the lowest
_REGION_BME: dict[str, float] = {
    "London": 0.52,
    "South East": 0.27,
    "South West": 0.17,
    "East of England": 0.29,
    "Midlands": 0.32,
    "North West": 0.25,
    "North East and Yorkshire": 0.20,
}

STYLES: tuple[str, ...] = ("contract", "esr", "spaced", "canonical")

# ESR-style header aliases (data contract §2.1) used by the "esr" style
ESR_HEADERS: dict[str, str] = {
    "staff_id": "Employee Number",
    "ethnic_category": "Ethnic Origin",
    "sex": "Gender",
    "date_of_birth": "Date of Birth",
    "disability": "Disability Flag",
    "sexual_orientation": "Sexual Orientation",
    "religion_belief": "Religious Belief",
    "marital_status": "Marital Status",
    "staff_group": "Staff Group",
    "pay_band": "Grade",
    "directorate": "Directorate",
    "contract_type": "Assignment Category",
    "contracted_hours": "Contracted Hours",
}
# --- ESR's own display values -------------------------------------------------------------
# One mapping per column from the canonical value (what intake produces) to the text ESR
# writes in an export. The "esr" style writes these; the "canonical" style writes the
# canonical values themselves, so calibration can be checked on the same people whatever
# values intake recognises. Sources: docs/demo-data.md.

#: Ethnic origin as ESR writes it: code, space, label. The first form is the national code
#: (NHS Data Dictionary ETHNIC CATEGORY); the others are ESR local codes, two characters
#: whose first letter is the national code (NHS Data Dictionary local extensions), except
#: the British-identity codes CA, CB, CC and C2, which intake reads as White British.
ESR_ETHNIC_DISPLAY: dict[str, tuple[str, ...]] = {
    # ESR's British-identity local codes read as White British (intake's default)
    "A": (
        "A White - British",
        "CA White English",
        "CB White Scottish",
        "CC White Welsh",
        "C2 White Northern Irish",
    ),
    "B": ("B White - Irish",),
    "C": (
        "C White - Any other White background",
        "C3 White Unspecified",
        "CK White Italian",
        "CP White Polish",
        "CY White Other European",
    ),
    "D": ("D Mixed - White & Black Caribbean",),
    "E": ("E Mixed - White & Black African",),
    "F": ("F Mixed - White & Asian",),
    "G": (
        "G Mixed - Any other mixed background",
        "GC Mixed - Black & White",
        "GF Mixed - Other/Unspecified",
    ),
    "H": ("H Asian or Asian British - Indian",),
    "J": ("J Asian or Asian British - Pakistani",),
    "K": ("K Asian or Asian British - Bangladeshi",),
    "L": (
        "L Asian or Asian British - Any other Asian background",
        "LH Asian British",
        "LE Asian Sri Lankan",
        "LF Asian Tamil",
        "LB Asian Punjabi",
        "LK Asian Unspecified",
    ),
    "M": ("M Black or Black British - Caribbean",),
    "N": ("N Black or Black British - African",),
    "P": (
        "P Black or Black British - Any other Black background",
        "PD Black British",
        "PC Black Nigerian",
        "PA Black Somali",
        "PE Black Unspecified",
    ),
    "R": ("R Chinese",),
    "S": (
        "S Any Other Ethnic Group",
        "SC Filipino",
        "SA Vietnamese",
        "SD Malaysian",
        "SE Other Specified",
    ),
    "Z": ("Z Not Stated",),
    "99": ("99 Not Known",),
}
#: Share of people in a category with local codes whose value is written with a local code.
ESR_LOCAL_SHARE = 0.75

#: Pay band or grade as ESR and NHS payroll spell it, from the canonical band.
ESR_PAY_BAND_DISPLAY: dict[str, str] = {
    **{f"Band {i}": f"Band {i}" for i in range(1, 8)},
    "Band 8a": "Band 8 - Range A",
    "Band 8b": "Band 8 - Range B",
    "Band 8c": "Band 8 - Range C",
    "Band 8d": "Band 8 - Range D",
    "Band 9": "Band 9",
    "VSM": "Very Senior Manager",
    "Consultant": "Consultant",
    "Specialty Doctor": "Specialty Doctor",
    "Specialist": "Specialist",
    "Associate Specialist": "Associate Specialist",
    "Staff Grade": "Staff Grade",
    "Foundation Year 1": "Foundation Year 1",
    "Foundation Year 2": "Foundation Year 2",
    "Specialty Registrar": "Specialty Registrar",
    "Core Training": "Core Training",
    "Trust Grade": "Trust Grade Doctor",
    "Non-AfC": "Non AfC",
}
#: Staff group as ESR writes it (ESR abbreviates one of them).
ESR_STAFF_GROUP_DISPLAY: dict[str, str] = {
    **{g: g for g in cl.STAFF_GROUPS},
    "Additional Professional Scientific and Technical": "Add Prof Scientific and Technic",
}
#: Disability, sexual orientation, religion or belief and marital status: the canonical
#: values are ESR's own (methodology §7.2), written as they are.
ESR_IDENTITY_COLUMNS: dict[str, tuple[str, ...]] = {
    "disability": cl.DISABILITY_VALUES,
    "sexual_orientation": cl.SEXUAL_ORIENTATION_VALUES,
    "religion_belief": cl.RELIGION_VALUES,
    "marital_status": cl.MARITAL_VALUES,
}


# optional workforce columns the "spaced" style leaves out (defaults apply, §2.1)
_SPACED_OMITS: frozenset[str] = frozenset(
    {"pay_frequency", "bonus_pay_in_period", "bonus_period_days", "hourly_rate"}
)


@dataclass(frozen=True)
class OrgSpec:
    """One synthetic organisation.

    Attributes
    ----------
    code, name, type, region
        The ``organisations.csv`` row (data contract §2).
    staff
        Headcount in the first year generated (grows about 1.5 % a year).
    kind
        ``acute``, ``mental_health``, ``community``, ``ambulance`` or ``icb``.
    bme_share
        Ethnic-minority share among staff with a known ethnicity.
    style
        File dialect: ``contract`` (contract headers, ethnic codes), ``esr`` (ESR's headers
        and display values, :data:`ESR_ETHNIC_DISPLAY` ...), ``spaced`` (Title Case headers,
        short bands, ``M``/``F``, age, optional pay columns left out) or ``canonical``
        (contract headers, exactly the canonical values: for calibration checks).
    hcas
        High Cost Area Supplement zone: ``inner``, ``outer``, ``fringe`` or ``""`` (§7.4).
    eth_unknown
        Share of staff with ethnicity not stated, not known or blank.
    dis_yes
        Share of staff recorded as Disabled in ESR (WDES 2024: about 5 %).
    """

    code: str
    name: str
    type: str
    region: str
    staff: int
    kind: str
    bme_share: float
    style: str
    hcas: str
    eth_unknown: float
    dis_yes: float


def _crc(text: str) -> int:
    """Stable 32-bit hash of a text (Python's hash() is salted per process)."""
    return zlib.crc32(text.encode("utf-8"))


def _rng(seed: int, *keys: int | str) -> np.random.Generator:
    """An independent generator for ``seed`` and the given keys (stable across runs)."""
    ints = [int(seed) & 0xFFFFFFFF] + [k if isinstance(k, int) else _crc(k) for k in keys]
    return np.random.default_rng(ints)


def _spec(
    code: str,
    name: str,
    type_: str,
    region: str,
    staff: int,
    seed: int,
    style: str | None = None,
    hcas: str | None = None,
) -> OrgSpec:
    """Fill in the derived fields of an :class:`OrgSpec` from its code and seed."""
    rng = _rng(seed, "spec", code)
    kind = _TYPE_KIND.get(type_.casefold(), "acute")
    bme = min(0.85, _REGION_BME.get(region, 0.2) * _KIND_BME_FACTOR[kind])
    bme = float(np.clip(bme * rng.uniform(0.9, 1.1), 0.02, 0.9))
    if style is None:
        style = ("contract", "contract", "esr", "spaced")[_crc(code) % 4]
    if hcas is None:
        u = rng.random()
        if region == "London":
            hcas = "inner" if u < 0.5 else "outer"
        elif region in ("South East", "East of England") and u < 0.25:
            hcas = "fringe"
        else:
            hcas = ""
    return OrgSpec(
        code=code,
        name=name,
        type=type_,
        region=region,
        staff=int(staff),
        kind=kind,
        bme_share=round(bme, 4),
        style=style,
        hcas=hcas,
        eth_unknown=round(float(rng.uniform(0.02, 0.07)), 4),
        dis_yes=round(float(rng.uniform(0.04, 0.065)), 4),
    )


def org_specs(orgs: int | Sequence[str], staff: int, seed: int) -> list[OrgSpec]:
    """The organisations to generate.

    Parameters
    ----------
    orgs
        A number of fictional organisations (codes ``SYN001``...) with a realistic mix of
        types and regions and sizes varying around ``staff`` (lognormal, rescaled so that
        the mean is ``staff``); or a list of codes (DEMO1, DEMO2 and DEMO3 get their demo
        name, type and region; other codes "Synthetic organisation <code>").
    staff
        Average headcount per organisation.
    seed
        Random seed.

    Returns
    -------
    list of OrgSpec
    """
    if staff < 1:
        raise ValueError("staff must be at least 1")
    known = {row[0]: row for row in DEMO_ORGS}
    if isinstance(orgs, int):
        if orgs < 1:
            raise ValueError("orgs must be at least 1")
        rng = _rng(seed, "orgs", orgs)
        kinds = rng.choice(len(KINDS), size=orgs, p=_KIND_WEIGHTS / _KIND_WEIGHTS.sum())
        regions = rng.choice(len(REGIONS), size=orgs, p=_REGION_WEIGHTS / _REGION_WEIGHTS.sum())
        raw = _KIND_SIZE[kinds] * rng.lognormal(0.0, 0.45, size=orgs)
        sizes = _sizes_with_mean(raw, staff)
        width = max(3, len(str(orgs)))
        return [
            _spec(
                f"SYN{i + 1:0{width}d}",
                f"Synthetic organisation SYN{i + 1:0{width}d}",
                KIND_TYPE[KINDS[k]],
                REGIONS[r],
                int(s),
                seed,
            )
            for i, (k, r, s) in enumerate(zip(kinds, regions, sizes, strict=True))
        ]
    specs = []
    for raw_code in orgs:
        code = str(raw_code).strip().upper()
        if code in known:
            _, name, type_, region, _ = known[code]
            specs.append(
                _spec(
                    code,
                    name,
                    type_,
                    region,
                    staff,
                    seed,
                    _DEMO_STYLE[code],
                    _DEMO_HCAS.get(code, ""),
                )
            )
        else:
            rng = _rng(seed, "code", code)
            kind = KINDS[int(rng.choice(len(KINDS), p=_KIND_WEIGHTS / _KIND_WEIGHTS.sum()))]
            region = REGIONS[
                int(rng.choice(len(REGIONS), p=_REGION_WEIGHTS / _REGION_WEIGHTS.sum()))
            ]
            specs.append(
                _spec(code, f"Synthetic organisation {code}", KIND_TYPE[kind], region, staff, seed)
            )
    return specs


def _sizes_with_mean(raw: np.ndarray, mean: int, minimum: int = 30) -> np.ndarray:
    """Integer sizes proportional to ``raw``, at least ``minimum``, summing to ``len × mean``.

    The minimum is lowered to ``mean`` when the mean is smaller than it.
    """
    n = len(raw)
    minimum = min(minimum, mean)
    total = n * mean
    spare = total - n * minimum
    share = raw / raw.sum() * spare
    sizes = np.floor(share).astype(np.int64)
    rest = int(spare - sizes.sum())
    if rest:
        order = np.argsort(-(share - sizes), kind="stable")
        sizes[order[:rest]] += 1
    return sizes + minimum


# --- workforce composition --------------------------------------------------------------

_SG = tuple(cl.STAFF_GROUPS)  # staff group names, §7.3 order
SG_MED, SG_STU, SG_NUR, SG_AHP, SG_APST, SG_HCS, SG_ACS, SG_ADM, SG_EST, SG_SUP = range(10)
_STAFF_GROUP_MIX: dict[str, np.ndarray] = {
    "acute": np.array([0.12, 0.005, 0.27, 0.07, 0.04, 0.025, 0.21, 0.21, 0.05, 0.0]),
    "mental_health": np.array([0.05, 0.005, 0.23, 0.06, 0.09, 0.0, 0.27, 0.245, 0.05, 0.0]),
    "community": np.array([0.03, 0.005, 0.30, 0.16, 0.03, 0.01, 0.18, 0.245, 0.04, 0.0]),
    "ambulance": np.array([0.003, 0.002, 0.03, 0.33, 0.005, 0.0, 0.32, 0.28, 0.03, 0.0]),
    "icb": np.array([0.02, 0.0, 0.07, 0.02, 0.03, 0.005, 0.0, 0.845, 0.01, 0.0]),
}

_BANDS = cl.PAY_BANDS
_B = {name: i for i, name in enumerate(_BANDS)}
_N_AFC = len(cl.AFC_BANDS)  # 12: Band 1 .. Band 9 are indices 0..11
_VSM = _B["VSM"]
_NON_AFC = _B["Non-AfC"]
_MED = np.array([_B[g] for g in cl.MEDICAL_GRADES])
_TRAINEES = np.array(
    [
        _B[g]
        for g in ("Foundation Year 1", "Foundation Year 2", "Core Training", "Specialty Registrar")
    ]
)


def _weights(pairs: dict[str, float]) -> np.ndarray:
    """Band probabilities over classifications.PAY_BANDS from ``{band: weight}``."""
    w = np.zeros(len(_BANDS))
    for name, value in pairs.items():
        w[_B[name]] = value
    return w / w.sum()


_BAND_MIX: dict[int, np.ndarray] = {
    SG_MED: _weights(
        {
            "Consultant": 0.40,
            "Specialty Doctor": 0.11,
            "Specialist": 0.02,
            "Associate Specialist": 0.01,
            "Staff Grade": 0.005,
            "Foundation Year 1": 0.07,
            "Foundation Year 2": 0.07,
            "Core Training": 0.10,
            "Specialty Registrar": 0.18,
            "Trust Grade": 0.035,
        }
    ),
    SG_STU: _weights({"Band 3": 0.6, "Band 4": 0.4}),
    SG_NUR: _weights(
        {
            "Band 5": 0.45,
            "Band 6": 0.30,
            "Band 7": 0.17,
            "Band 8a": 0.05,
            "Band 8b": 0.02,
            "Band 8c": 0.007,
            "Band 8d": 0.002,
            "Band 9": 0.001,
        }
    ),
    SG_AHP: _weights(
        {
            "Band 4": 0.02,
            "Band 5": 0.20,
            "Band 6": 0.39,
            "Band 7": 0.27,
            "Band 8a": 0.08,
            "Band 8b": 0.03,
            "Band 8c": 0.01,
        }
    ),
    SG_APST: _weights(
        {
            "Band 3": 0.10,
            "Band 4": 0.15,
            "Band 5": 0.15,
            "Band 6": 0.15,
            "Band 7": 0.20,
            "Band 8a": 0.12,
            "Band 8b": 0.08,
            "Band 8c": 0.04,
            "Band 8d": 0.01,
        }
    ),
    SG_HCS: _weights(
        {
            "Band 3": 0.10,
            "Band 4": 0.10,
            "Band 5": 0.15,
            "Band 6": 0.25,
            "Band 7": 0.20,
            "Band 8a": 0.12,
            "Band 8b": 0.05,
            "Band 8c": 0.02,
            "Band 8d": 0.01,
        }
    ),
    SG_ACS: _weights(
        {"Band 1": 0.005, "Band 2": 0.40, "Band 3": 0.40, "Band 4": 0.165, "Band 5": 0.03}
    ),
    SG_ADM: _weights(
        {
            "Band 2": 0.15,
            "Band 3": 0.27,
            "Band 4": 0.23,
            "Band 5": 0.12,
            "Band 6": 0.09,
            "Band 7": 0.06,
            "Band 8a": 0.035,
            "Band 8b": 0.02,
            "Band 8c": 0.01,
            "Band 8d": 0.007,
            "Band 9": 0.004,
            "VSM": 0.004,
            "Non-AfC": 0.003,
        }
    ),
    SG_EST: _weights(
        {
            "Band 1": 0.03,
            "Band 2": 0.55,
            "Band 3": 0.20,
            "Band 4": 0.10,
            "Band 5": 0.06,
            "Band 6": 0.03,
            "Band 7": 0.02,
            "Band 8a": 0.01,
        }
    ),
    SG_SUP: _weights({"Band 3": 0.5, "Band 4": 0.5}),
}
# ICBs are commissioners: few staff below band 4, most in bands 6-8
_ICB_AFC = _weights(
    {
        "Band 3": 0.05,
        "Band 4": 0.09,
        "Band 5": 0.11,
        "Band 6": 0.14,
        "Band 7": 0.20,
        "Band 8a": 0.16,
        "Band 8b": 0.11,
        "Band 8c": 0.07,
        "Band 8d": 0.04,
        "Band 9": 0.02,
        "VSM": 0.01,
    }
)
_ICB_MED = _weights({"Consultant": 0.7, "Specialty Doctor": 0.2, "Trust Grade": 0.1})

# odds multipliers of being from an ethnic minority, by band (the built-in wres.1 disparity),
# calibrated to WRES 2024: ethnic-minority staff are 42.3 % of band 5 against 28.6 % of all
# staff, and 12.7 % of very senior managers. Among doctors the share is highest in
# specialty, trust-grade and training grades and close to the average among consultants,
# so the ethnicity pay gap against White staff is positive, as at most trusts.
_MED_FIRST = _B["Consultant"]
_ETH_ODDS = np.ones(len(_BANDS))
for _name, _odds in {
    "Band 1": 1.3,
    "Band 2": 1.6,
    "Band 3": 1.35,
    "Band 4": 0.95,
    "Band 5": 2.5,
    "Band 6": 1.15,
    "Band 7": 0.75,
    "Band 8a": 0.55,
    "Band 8b": 0.45,
    "Band 8c": 0.4,
    "Band 8d": 0.35,
    "Band 9": 0.33,
    "VSM": 0.45,
    "Consultant": 1.0,
    "Specialty Doctor": 2.0,
    "Specialist": 1.4,
    "Associate Specialist": 1.4,
    "Staff Grade": 1.8,
    "Foundation Year 1": 1.1,
    "Foundation Year 2": 1.1,
    "Core Training": 1.5,
    "Specialty Registrar": 1.3,
    "Trust Grade": 2.4,
}.items():
    _ETH_ODDS[_B[_name]] = _odds
# relative likelihood of being recorded as Disabled, by band (lower bands more often)
_DIS_ODDS = np.ones(len(_BANDS))
_DIS_ODDS[: _B["Band 5"]] = 1.15
_DIS_ODDS[_B["Band 8a"] : _N_AFC] = 0.85
_DIS_ODDS[_VSM] = 0.7
_DIS_ODDS[_MED_FIRST : _MED_FIRST + 10] = 0.7
_SG_ETH_ODDS = np.array([1.0, 1.0, 1.2, 0.9, 1.0, 1.0, 1.1, 0.85, 0.9, 1.0])

_FEMALE_BY_SG = np.array([0.48, 0.80, 0.89, 0.76, 0.70, 0.55, 0.78, 0.78, 0.42, 0.75])
_FEMALE_BY_BAND: dict[str, float] = {
    "Consultant": 0.40,
    "Specialty Doctor": 0.45,
    "Specialist": 0.40,
    "Associate Specialist": 0.35,
    "Staff Grade": 0.40,
    "Foundation Year 1": 0.57,
    "Foundation Year 2": 0.56,
    "Core Training": 0.54,
    "Specialty Registrar": 0.50,
    "Trust Grade": 0.45,
    "VSM": 0.50,
}

_ETH = tuple(cl.ETHNIC_CATEGORIES)  # A..S, Z, 99
_ETH_BLANK = len(_ETH)  # index 18 = blank cell
_ETH_Z, _ETH_99 = _ETH.index("Z"), _ETH.index("99")
_WHITE = np.array([0, 1, 2])
_BME = np.arange(3, 16)
_WHITE_MIX = {"London": np.array([0.55, 0.05, 0.40]), "other": np.array([0.82, 0.02, 0.16])}
_BME_MIX = {  # D E F G H J K L M N P R S
    "London": np.array(
        [0.04, 0.03, 0.03, 0.04, 0.12, 0.04, 0.04, 0.12, 0.12, 0.26, 0.05, 0.02, 0.09]
    ),
    "other": np.array(
        [0.05, 0.02, 0.05, 0.05, 0.22, 0.10, 0.03, 0.16, 0.05, 0.15, 0.02, 0.03, 0.07]
    ),
}
_LOCAL_CODES = ("C2", "C3", "CA", "CP")  # local sub-codes of C (any other White), §7.1

_DIS_VALUES = (*cl.DISABILITY_VALUES, None)  # Yes, No, Not Declared, Prefer..., Unspecified, blank
_SO_P = np.array([0.83, 0.02, 0.015, 0.003, 0.08, 0.002, 0.05])
_REL_BY_GROUP: dict[str, np.ndarray] = {
    # Atheism Buddhism Christianity Hinduism Islam Jainism Judaism Sikhism Other NotDisclose Unspec
    "White": np.array([0.26, 0.004, 0.47, 0.0, 0.004, 0.0, 0.006, 0.0, 0.05, 0.13, 0.076]),
    "Asian": np.array([0.05, 0.03, 0.14, 0.30, 0.28, 0.01, 0.0, 0.06, 0.02, 0.07, 0.04]),
    "Black": np.array([0.03, 0.0, 0.74, 0.0, 0.09, 0.0, 0.0, 0.0, 0.04, 0.06, 0.04]),
    "other": np.array([0.15, 0.03, 0.42, 0.03, 0.12, 0.0, 0.005, 0.005, 0.07, 0.10, 0.07]),
}
_MAR_P = np.array([0.46, 0.34, 0.015, 0.07, 0.01, 0.01, 0.095])
_GR_P = np.array([0.002, 0.72, 0.03, 0.248])  # Yes, No, Prefer not to say, blank

_CONTRACTS = ("Permanent", "Fixed Term Temp", "Bank", None)
_CT_PERM, _CT_FTT, _CT_BANK, _CT_BLANK = range(4)
_BANK_SHARE = {
    "acute": 0.09,
    "mental_health": 0.10,
    "community": 0.07,
    "ambulance": 0.04,
    "icb": 0.02,
}
_FREQS = ("monthly", "weekly", "fortnightly", "4-weekly")
_FREQ_DAYS = np.array([30.44, 7.0, 14.0, 28.0])  # §1.6 step 2
_FREQ_PER_YEAR = np.array([1 / 12, 7 / 365, 14 / 365, 28 / 365])
_SHIFT_SHARE = {"acute": 0.6, "mental_health": 0.5, "community": 0.2, "ambulance": 0.8, "icb": 0.0}
_PT_HOURS = np.array([7.5, 15.0, 18.75, 22.5, 24.0, 27.0, 30.0, 33.75])
_PT_HOURS_P = np.array([0.04, 0.12, 0.10, 0.24, 0.08, 0.08, 0.26, 0.08])

_DIRECTORATES: dict[str, tuple[str, ...]] = {
    "acute": (
        "Medicine",
        "Surgery",
        "Women's and Children's",
        "Clinical Support Services",
        "Emergency Care",
        "Corporate",
        "Estates and Facilities",
    ),
    "mental_health": (
        "Adult Community Services",
        "Inpatient and Urgent Care",
        "Forensic Services",
        "Children and Young People",
        "Older Adults",
        "Corporate",
        "Estates and Facilities",
    ),
    "community": (
        "Adult Community Nursing",
        "Children's Community Services",
        "Therapies",
        "Specialist Services",
        "Urgent Community Response",
        "Corporate",
        "Estates and Facilities",
    ),
    "ambulance": (
        "Emergency Operations",
        "Integrated Urgent Care (111)",
        "Emergency Operations Centres",
        "Patient Transport Service",
        "Clinical Directorate",
        "Corporate",
        "Fleet and Estates",
    ),
    "icb": (
        "Strategy and Transformation",
        "Nursing and Quality",
        "Finance and Contracting",
        "Primary and Community Care",
        "Medical Directorate",
        "Corporate Affairs",
        "Digital and Estates",
    ),
}

# High Cost Area Supplement, §7.4: % of basic pay within annual cash limits (2024/25,
# approximate cash limits; synthetic data only)
_HCAS: dict[str, tuple[float, float, float]] = {
    "inner": (0.20, 5471.0, 8146.0),
    "outer": (0.15, 4812.0, 5668.0),
    "fringe": (0.05, 1172.0, 2058.0),
}
_LONDON_WEIGHTING_MEDICAL = 2162.0
# unsocial hours enhancements, §7.4: (Saturday and weekday nights, Sunday and bank holidays)
_UNSOCIAL = np.zeros((len(_BANDS), 2))
_UNSOCIAL[0] = (0.47, 0.94)
_UNSOCIAL[1] = (0.41, 0.83)
_UNSOCIAL[2] = (0.35, 0.69)
_UNSOCIAL[3:_N_AFC] = (0.30, 0.60)
_SMP_WEEKLY = 184.03  # statutory maternity pay 2024/25 (synthetic data only)


def _snapshot(year: int) -> date:
    """The snapshot date, 31 March YEAR (data contract §1; methodology §1.1)."""
    return date(year, 3, 31)


def _days(d: date) -> int:
    """Days since 1 January 1970."""
    return (d - date(1970, 1, 1)).days


def calibrate_odds(multipliers: np.ndarray, target: float) -> float:
    """Base odds ``o`` such that ``mean(o·m / (1 + o·m)) == target``.

    Used to give each band its own ethnic-minority odds (``multipliers``) while keeping the
    organisation's overall share at ``target``. Bisection on the log odds.
    """
    if len(multipliers) == 0:
        return target / (1 - target)
    lo, hi = -20.0, 20.0
    m = np.asarray(multipliers, dtype=float)
    for _ in range(60):
        mid = (lo + hi) / 2
        o = np.exp(mid)
        share = np.mean(o * m / (1 + o * m))
        if share < target:
            lo = mid
        else:
            hi = mid
    return float(np.exp((lo + hi) / 2))


def _choice(rng: np.random.Generator, p: np.ndarray, n: int) -> np.ndarray:
    """``n`` draws of category indices with probabilities ``p`` (vectorised)."""
    p = np.asarray(p, dtype=float)
    cum = np.cumsum(p / p.sum())
    cum[-1] = 1.0
    return np.searchsorted(cum, rng.random(n), side="right").astype(np.int16)


def _draw_bands(rng: np.random.Generator, kind: str, sg: np.ndarray) -> np.ndarray:
    """Band/grade index per person, from the band mix of the person's staff group."""
    band = np.empty(len(sg), dtype=np.int16)
    for g in range(len(_SG)):
        idx = np.flatnonzero(sg == g)
        if not len(idx):
            continue
        if kind == "icb":
            p = _ICB_MED if g == SG_MED else _ICB_AFC
        else:
            p = _BAND_MIX[g]
        band[idx] = _choice(rng, p, len(idx))
    return band


def _draw_contract(
    rng: np.random.Generator, kind: str, band: np.ndarray, is_trainee: np.ndarray
) -> np.ndarray:
    """Contract type codes: bank staff in bands up to 6 and trust-grade locums; most doctors
    in training on fixed-term contracts; a few blanks (= Permanent, §2.1)."""
    n = len(band)
    bank_ok = (band <= _B["Band 6"]) | (band == _B["Trust Grade"])
    bank = bank_ok & (rng.random(n) < _BANK_SHARE[kind] / 0.8)
    contract = np.full(n, _CT_PERM, dtype=np.int8)
    ftt = rng.random(n) < np.where(is_trainee, 0.9, 0.05)
    contract[ftt] = _CT_FTT
    contract[(contract == _CT_PERM) & (rng.random(n) < 0.03)] = _CT_BLANK
    contract[bank] = _CT_BANK
    return contract


def _draw_female(
    rng: np.random.Generator, kind: str, sg: np.ndarray, band: np.ndarray
) -> np.ndarray:
    """Sex (True = female) by staff group and grade (fewer women in senior roles)."""
    pf = _FEMALE_BY_SG[sg].copy()
    for name, share in _FEMALE_BY_BAND.items():
        pf[band == _B[name]] = share
    if kind == "ambulance":
        pf[np.isin(sg, [SG_AHP, SG_ACS])] = 0.48
    pf[(band >= _B["Band 8c"]) & (band < _N_AFC)] *= 0.9
    return rng.random(len(sg)) < pf


def _draw_ethnicity(
    rng: np.random.Generator, spec: OrgSpec, sg: np.ndarray, band: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Ethnic category indices (into ``_ETH`` plus blank) and a local-sub-code flag.

    Ethnic-minority odds vary by band (lower from 8a up, higher in medical grades) and are
    calibrated so that the organisation's share among known values is ``spec.bme_share``.
    """
    n = len(sg)
    mult = _ETH_ODDS[band] * _SG_ETH_ODDS[sg]
    base = calibrate_odds(mult, spec.bme_share)
    bme = rng.random(n) < base * mult / (1 + base * mult)
    zone = "London" if spec.region == "London" else "other"
    eth = np.where(
        bme,
        _BME[_choice(rng, _BME_MIX[zone], n)],
        _WHITE[_choice(rng, _WHITE_MIX[zone], n)],
    ).astype(np.int8)
    unknown = rng.random(n) < spec.eth_unknown
    eth[unknown] = np.array([_ETH_Z, _ETH_99, _ETH_BLANK])[
        _choice(rng, np.array([0.4, 0.35, 0.25]), int(unknown.sum()))
    ]
    eth_local = (eth == 2) & (rng.random(n) < 0.4)
    return eth, eth_local


def _draw_dob(rng: np.random.Generator, sg: np.ndarray, band: np.ndarray, year: int) -> np.ndarray:
    """Dates of birth (days since 1970) from ages at 31 March ``year`` by grade."""
    n = len(sg)
    age = np.clip(rng.normal(41.0, 11.0, n), 18, 67)
    age = np.where(band >= _B["Band 8a"], np.clip(age + 4, 28, 67), age)
    age = np.where(band == _B["Consultant"], rng.uniform(34, 64, n), age)
    for grade, (lo, hi) in {
        "Foundation Year 1": (23, 28),
        "Foundation Year 2": (24, 30),
        "Core Training": (26, 34),
        "Specialty Registrar": (28, 42),
    }.items():
        sel = band == _B[grade]
        age[sel] = rng.uniform(lo, hi, int(sel.sum()))
    age[sg == SG_STU] = rng.uniform(18, 35, int((sg == SG_STU).sum()))
    return _days(_snapshot(year)) - np.floor(age * 365.25).astype(np.int64)


def _draw_equality(
    rng: np.random.Generator, spec: OrgSpec, eth: np.ndarray, band: np.ndarray
) -> dict[str, np.ndarray]:
    """Disability, sexual orientation, religion (by ethnic group), marital status and gender
    reassignment codes, ESR values of methodology §7.2.

    About 5 % of staff are recorded as Disabled in ESR (WDES 2024), more often in bands 1-4
    and less often among doctors and senior managers (:data:`_DIS_ODDS`), so the disability
    pay gap is positive as it is at most trusts; many are not declared.
    """
    n = len(eth)
    mult = _DIS_ODDS[band]
    p_yes = np.clip(spec.dis_yes * mult / mult.mean(), 0.0, 0.5)
    rest = np.array([0.0, 0.0, 0.10, 0.02, 0.06, 0.01])
    rest[1] = 1.0 - spec.dis_yes - rest.sum()
    dis = (1 + _choice(rng, rest[1:], n)).astype(np.int8)
    dis[rng.random(n) < p_yes] = 0
    so = _choice(rng, _SO_P, n).astype(np.int8)
    rel = np.empty(n, dtype=np.int8)
    group = np.full(n, "other", dtype=object)
    group[np.isin(eth, _WHITE)] = "White"
    group[np.isin(eth, [7, 8, 9, 10])] = "Asian"  # H J K L
    group[np.isin(eth, [11, 12, 13])] = "Black"  # M N P
    for name, p in _REL_BY_GROUP.items():
        sel = np.flatnonzero(group == name)
        rel[sel] = _choice(rng, p, len(sel))
    mar = _choice(rng, _MAR_P, n).astype(np.int8)
    gr = _choice(rng, _GR_P, n).astype(np.int8)
    return {"dis": dis, "so": so, "rel": rel, "mar": mar, "gr": gr}


def _draw_hours(
    rng: np.random.Generator,
    band: np.ndarray,
    female: np.ndarray,
    contract: np.ndarray,
) -> np.ndarray:
    """Weekly contracted hours: part-time (often 22.5 or 30 h) more common among women;
    consultants 4 h per programmed activity; doctors in training 40-48 h or less than full
    time; bank staff their average weekly hours."""
    n = len(band)
    is_med = np.isin(band, _MED)
    is_trainee = np.isin(band, _TRAINEES)
    part_time = rng.random(n) < np.where(female, 0.36, 0.12)
    hours = np.where(part_time, _PT_HOURS[_choice(rng, _PT_HOURS_P, n)], 37.5)
    pas = np.array([10, 11, 12, 8, 6, 9])[
        _choice(rng, np.array([0.6, 0.15, 0.1, 0.07, 0.05, 0.03]), n)
    ]
    trainee_hours = np.array([40.0, 42.0, 44.0, 45.0, 46.0, 48.0])[_choice(rng, np.ones(6), n)]
    ltft = rng.random(n) < np.where(female, 0.2, 0.05)
    hours = np.where(is_med, 40.0, hours)
    hours = np.where(band == _B["Consultant"], 4.0 * pas, hours)
    hours = np.where(is_trainee, np.where(ltft, 32.0, trainee_hours), hours)
    bank_hours = np.round(rng.uniform(3.0, 30.0, n) * 4) / 4
    return np.where(contract == _CT_BANK, bank_hours, hours)


def _draw_frequency(rng: np.random.Generator, style: str, contract: np.ndarray) -> np.ndarray:
    """Pay frequency codes: mostly monthly; some bank staff and a few others weekly,
    fortnightly or 4-weekly (all monthly in the ``spaced`` style, which has no column)."""
    n = len(contract)
    freq = np.zeros(n, dtype=np.int8)
    if style != "spaced":
        u = rng.random(n)
        freq[(contract == _CT_BANK) & (u < 0.3)] = 1
        other = contract != _CT_BANK
        freq[other & (u < 0.005)] = 1
        freq[other & (u >= 0.005) & (u < 0.008)] = 2
        freq[other & (u >= 0.008) & (u < 0.01)] = 3
    return freq


def _draw_cea(
    rng: np.random.Generator, band: np.ndarray, female: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Clinical Excellence Awards of consultants (bonus pay, methodology §1.4).

    Codes 1 local award paid once a year, 2 legacy local award paid monthly, 3 national
    award paid monthly; women are about half as likely as men to hold one.
    """
    n = len(band)
    cons = band == _B["Consultant"]
    u = rng.random(n)
    p_nat = np.where(female, 0.015, 0.035)
    p_loc = np.where(female, 0.15, 0.27)
    cea = np.zeros(n, dtype=np.int8)
    cea[cons & (u < p_nat + p_loc)] = 1
    cea[cons & (u < p_nat + p_loc / 2)] = 2
    cea[cons & (u < p_nat)] = 3
    amount = np.select(
        [cea == 1, cea == 2, cea == 3],
        [
            np.round(rng.uniform(2500, 12000, n), -1),
            3016.0 * rng.integers(1, 10, n),
            10000.0 * rng.integers(2, 5, n),
        ],
        0.0,
    )
    return cea, amount


def _new_people(
    rng: np.random.Generator, spec: OrgSpec, n: int, year: int, first_sid: int
) -> pd.DataFrame:
    """``n`` new starters (their stable attributes) for ``spec`` joining by 31 March ``year``.

    Returns one row per person with internal integer codes (rendered to the file's values
    by :func:`workforce_frame`).
    """
    sg = _choice(rng, _STAFF_GROUP_MIX[spec.kind], n)
    band = _draw_bands(rng, spec.kind, sg)
    contract = _draw_contract(rng, spec.kind, band, np.isin(band, _TRAINEES))
    female = _draw_female(rng, spec.kind, sg, band)
    eth, eth_local = _draw_ethnicity(rng, spec, sg, band)
    dob = _draw_dob(rng, sg, band, year)
    equality = _draw_equality(rng, spec, eth, band)
    hours = _draw_hours(rng, band, female, contract)
    freq = _draw_frequency(rng, spec.style, contract)

    dirs = _DIRECTORATES[spec.kind]
    direc = _choice(rng, np.array([0.2, 0.2, 0.15, 0.15, 0.1, 0.15, 0.05]), n).astype(np.int8)
    direc[sg == SG_EST] = len(dirs) - 1
    direc[(sg == SG_ADM) & (rng.random(n) < 0.5)] = len(dirs) - 2

    # share of hours worked at unsocial times (shift workers up to band 7)
    shift_ok = np.isin(sg, [SG_NUR, SG_ACS, SG_AHP, SG_EST]) & (band <= _B["Band 7"])
    shift = np.where(
        shift_ok & (rng.random(n) < _SHIFT_SHARE[spec.kind]), rng.uniform(0.08, 0.35, n), 0.0
    )

    step_u = rng.random(n)
    salary25 = np.zeros(n)
    vsm, non_afc = band == _VSM, band == _NON_AFC
    top = 190_000 if spec.kind == "icb" else 230_000
    salary25[vsm] = np.round(rng.uniform(110_000, top, int(vsm.sum())), -2)
    salary25[non_afc] = np.round(rng.uniform(22_000, 60_000, int(non_afc.sum())), -1)
    cea, cea_amt = _draw_cea(rng, band, female)

    return pd.DataFrame(
        {
            "sid": np.arange(first_sid, first_sid + n, dtype=np.int64),
            "sg": sg.astype(np.int8),
            "band": band.astype(np.int8),
            "step_u": step_u,
            "step_bonus": np.zeros(n, dtype=np.int8),
            "med_pos": rng.random(n),
            "salary25": salary25,
            "female": female,
            "eth": eth,
            "eth_local": eth_local,
            "dob": dob,
            **equality,
            "hours": hours,
            "contract": contract,
            "freq": freq,
            "direc": direc,
            "shift": shift,
            "cea": cea,
            "cea_amt": cea_amt,
        }
    )


def _evolve(
    rng: np.random.Generator,
    spec: OrgSpec,
    people: pd.DataFrame,
    year: int,
    target: int,
    first_sid: int,
) -> pd.DataFrame:
    """The workforce on 31 March ``year`` from the one a year before.

    About 10 % leave (more among trainees, bank staff and over-60s); stayers keep their id,
    move up a pay step or (less often for ethnic-minority staff into band 8a and above) a
    band; some unknown disability and ethnicity records get declared; new starters fill the
    headcount up to ``target`` (their internal ids start at ``first_sid``, so ids are
    never reused).
    """
    n = len(people)
    band = people["band"].to_numpy()
    age = (_days(_snapshot(year)) - people["dob"].to_numpy()) / 365.25
    p_leave = np.full(n, 0.10)
    p_leave[np.isin(band, _TRAINEES)] = 0.45
    p_leave[people["contract"].to_numpy() == _CT_BANK] = 0.20
    p_leave[age >= 60] = 0.25
    stay = rng.random(n) >= p_leave
    people = people.loc[stay].reset_index(drop=True)
    m = len(people)
    band = people["band"].to_numpy().copy()
    eth = people["eth"].to_numpy().copy()
    is_bme = (eth >= 3) & (eth <= 15)

    # promotions within AfC (band 1 to band 8d), fewer for BME staff into 8a and above
    p_prom = np.where((band < _B["Band 9"]) & (band >= 0), 0.035, 0.0)
    p_prom = np.where(is_bme & (band >= _B["Band 7"]), p_prom * 0.55, p_prom)
    promoted = rng.random(m) < p_prom
    band[promoted] += 1
    steps = people["step_bonus"].to_numpy().copy()
    steps[promoted] = 0
    steps[~promoted & (rng.random(m) < 0.4)] += 1
    # trainees move up: FY1 -> FY2; some core trainees -> specialty registrar
    band[band == _B["Foundation Year 1"]] = _B["Foundation Year 2"]
    core = (band == _B["Core Training"]) & (rng.random(m) < 0.35)
    band[core] = _B["Specialty Registrar"]
    people["band"] = band
    people["step_bonus"] = np.minimum(steps, 3).astype(np.int8)
    people["step_u"] = np.where(promoted, 0.0, people["step_u"].to_numpy())
    people["med_pos"] = np.minimum(people["med_pos"].to_numpy() + 0.08, 1.0)

    # declaration improves a little every year
    dis = people["dis"].to_numpy().copy()
    undeclared = dis >= 2
    declare = undeclared & (rng.random(m) < 0.06)
    dis[declare] = np.where(rng.random(int(declare.sum())) < 0.12, 0, 1)
    people["dis"] = dis
    unk = eth >= _ETH_Z
    declare = unk & (rng.random(m) < 0.08)
    zone = "London" if spec.region == "London" else "other"
    k = int(declare.sum())
    eth[declare] = np.where(
        rng.random(k) < spec.bme_share,
        _BME[_choice(rng, _BME_MIX[zone], k)],
        _WHITE[_choice(rng, _WHITE_MIX[zone], k)],
    )
    people["eth"] = eth

    # a few consultants gain a local award (still fewer women)
    cons = (band == _B["Consultant"]) & (people["cea"].to_numpy() == 0)
    female = people["female"].to_numpy()
    gain = cons & (rng.random(m) < np.where(female, 0.02, 0.04))
    people.loc[gain, "cea"] = 1
    people.loc[gain, "cea_amt"] = np.round(rng.uniform(2500, 12000, int(gain.sum())), -1)

    joiners = _new_people(rng, spec, max(target - m, 0), year, first_sid)
    return pd.concat([people, joiners], ignore_index=True)


def _next_sid(people: pd.DataFrame) -> int:
    """The next unused internal staff counter value."""
    return int(people["sid"].max()) + 1 if len(people) else 0


def _populations(spec: OrgSpec, years: Sequence[int], seed: int) -> dict[int, pd.DataFrame]:
    """The workforce of ``spec`` for every year from min(years) to max(years)."""
    rng = _rng(seed, "people", spec.code)
    first, last = min(years), max(years)
    out: dict[int, pd.DataFrame] = {}
    people = _new_people(rng, spec, spec.staff, first, 0)
    out[first] = people
    next_sid = spec.staff
    for year in range(first + 1, last + 1):
        target = int(round(spec.staff * 1.015 ** (year - first)))
        people = _evolve(rng, spec, people, year, target, next_sid)
        next_sid = max(next_sid, _next_sid(people))
        out[year] = people
    return out


# --- pay -----------------------------------------------------------------------------------


def _pay_factor(year: int) -> float:
    """Uprating of 2024/25 pay to the pay year ending 31 March ``year`` (§7.4)."""
    return cl.afc_pay_points(year)["Band 5"][0] / cl.AFC_PAY_POINTS[2025]["Band 5"][0]


def annual_basic(
    band: np.ndarray,
    step_u: np.ndarray,
    step_bonus: np.ndarray,
    med_pos: np.ndarray,
    salary25: np.ndarray,
    year: int,
) -> np.ndarray:
    """Full-time annual basic pay in force on 31 March ``year``.

    Spec: methodology §7.4 (AfC pay points, ``classifications.afc_pay_points``), §7.5
    (medical pay ranges, uprated like AfC). ``step_u`` places a person on the pay points
    (uniform 0-1, weighted towards the top point) and ``step_bonus`` adds pay steps gained
    since; VSM and Non-AfC pay are 2024/25 salaries uprated.
    """
    points = cl.afc_pay_points(year)
    factor = _pay_factor(year)
    out = np.zeros(len(band))
    for i, name in enumerate(cl.AFC_BANDS):
        sel = band == i
        if not sel.any():
            continue
        pts = np.array(points[name], dtype=float)
        k = len(pts)
        cut = {1: [], 2: [0.4], 3: [0.25, 0.55]}[k] if k <= 3 else list(np.linspace(0, 1, k)[1:-1])
        idx = np.searchsorted(np.array(cut), step_u[sel], side="right") + step_bonus[sel]
        out[sel] = pts[np.minimum(idx, k - 1)]
    for name, (lo, hi) in cl.MEDICAL_PAY_2025.items():
        sel = band == _B[name]
        out[sel] = np.round((lo + med_pos[sel] * (hi - lo)) * factor)
    other = (band == _VSM) | (band == _NON_AFC)
    out[other] = np.round(salary25[other] * factor, -1)
    return out


def period_pay(
    annual: np.ndarray,
    band: np.ndarray,
    hours: np.ndarray,
    freq: np.ndarray,
    bank: np.ndarray,
    shift: np.ndarray,
    hcas: str,
    london: bool,
) -> np.ndarray:
    """Ordinary pay in the relevant pay period at full pay (before leave reductions).

    Spec: methodology §1.3 (basic pay, HCAS allowance and unsocial-hours shift premium are
    ordinary pay; overtime is not included), §1.5 (pay period), §7.4 (HCAS zones and
    unsocial-hours rates). Basic pay is ``annual × hours / full-time hours`` for the period
    (a twelfth for monthly pay, 7/365 of a year for weekly, and so on); full-time hours are
    37.5 (40 for doctors). Bank staff are paid by the hour for the hours they work, so that
    the §1.6 hourly rate (pay × 7 / days / hours) gives back their hourly rate exactly.
    """
    is_med = np.isin(band, _MED)
    ft = np.where(is_med, 40.0, 37.5)
    afc = band < _N_AFC
    rates = _UNSOCIAL[band]
    enh_pct = shift * (0.7 * rates[:, 0] + 0.3 * rates[:, 1])
    if hcas:
        pct, lo, hi = _HCAS[hcas]
        hcas_annual = np.where(afc, np.clip(annual * pct, lo, hi), 0.0)
    else:
        hcas_annual = np.zeros(len(band))
    if london:
        hcas_annual = np.where(is_med, _LONDON_WEIGHTING_MEDICAL, hcas_annual)
    per = _FREQ_PER_YEAR[freq]
    salaried = (annual * (1 + enh_pct) + hcas_annual) * per * hours / ft
    hourly = annual * 7 / 365 / ft * (1 + enh_pct + np.where(annual > 0, hcas_annual / annual, 0))
    by_hour = hourly * hours * _FREQ_DAYS[freq] / 7
    return np.where(bank, by_hour, salaried)


# --- files ---------------------------------------------------------------------------------


def _cat(codes: np.ndarray, labels: Sequence[str | None]) -> pd.Categorical:
    """A categorical from integer codes into ``labels``; a ``None`` label is a blank cell."""
    remap, dtype = _cat_dtype(tuple(labels))
    return pd.Categorical.from_codes(remap[np.asarray(codes, dtype=np.int64)], dtype=dtype)


@functools.lru_cache(maxsize=256)
def _cat_dtype(labels: tuple[str | None, ...]) -> tuple[np.ndarray, pd.CategoricalDtype]:
    """Code remapping (blank labels to -1) and the categorical dtype, cached per label set."""
    keep = [i for i, v in enumerate(labels) if v is not None]
    remap = np.full(len(labels), -1, dtype=np.int64)
    remap[keep] = np.arange(len(keep))
    return remap, pd.CategoricalDtype([labels[i] for i in keep])


def _render_ethnic(
    eth: np.ndarray, local: np.ndarray, sid: np.ndarray, style: str
) -> pd.Categorical:
    """Ethnic category cells as the organisation's system writes them (data contract §2.1).

    ``canonical``: national codes; ``contract``: codes, with local sub-codes of C (``C3``)
    for some staff; ``esr``: ESR's display values (:data:`ESR_ETHNIC_DISPLAY`), a local code
    with its label for most people in a category that has local codes (``CA White English``,
    ``LH Asian British``, ``PD Black British``, ``SC Filipino``), else the national code with
    its label (``A White - British``, ``R Chinese``); ``spaced``: a mix of codes and labels
    without the code (``White - British``). Z, 99 and blank stay as such.
    """
    codes = list(_ETH)
    if style == "canonical":
        return _cat(eth, [*codes, None])
    if style == "contract":
        labels = [*codes, None, *_LOCAL_CODES]
        out = eth.astype(np.int64)
        use_local = local & (eth == 2)
        out = np.where(use_local, _ETH_BLANK + 1 + sid % len(_LOCAL_CODES), out)
        return _cat(out, labels)
    if style == "esr":
        labels, first, count = _esr_ethnic_table()
        e = eth.astype(np.int64)
        known = e != _ETH_BLANK
        safe = np.where(known, e, 0)
        k = count[safe]
        h = (np.asarray(sid, dtype=np.int64) * 2_654_435_761) % 4_294_967_296
        u = h / 4_294_967_296.0
        variant = np.where(
            (k > 1) & (u < ESR_LOCAL_SHARE),
            1 + (h % np.maximum(k - 1, 1)),
            0,
        )
        out = np.where(known, first[safe] + variant, len(labels))
        return _cat(out, [*labels, None])
    plain = [cl.ETHNIC_CATEGORIES[c] for c in codes]
    labels = [*codes, None, *plain]
    out = np.where((sid % 2 == 1) & (eth != _ETH_BLANK), _ETH_BLANK + 1 + eth, eth)
    return _cat(out, labels)


@functools.cache
def _esr_ethnic_table() -> tuple[list[str], np.ndarray, np.ndarray]:
    """Every ESR display value in ``_ETH`` order, with each code's first index and count."""
    labels: list[str] = []
    first, count = [], []
    for code in _ETH:
        forms = ESR_ETHNIC_DISPLAY[code]
        first.append(len(labels))
        count.append(len(forms))
        labels.extend(forms)
    return labels, np.array(first, dtype=np.int64), np.array(count, dtype=np.int64)


def _render_sex(female: np.ndarray, style: str) -> pd.Categorical:
    """``Male``/``Female``, or ``M``/``F`` in the ``spaced`` style (§2.1)."""
    labels = ["M", "F"] if style == "spaced" else ["Male", "Female"]
    return _cat(female.astype(np.int64), labels)


def _render_disability(dis: np.ndarray, style: str) -> pd.Categorical:
    """ESR disability values; upper case in the ``spaced`` style (matched case-insensitively, §2)."""
    labels = list(_DIS_VALUES)
    if style == "spaced":  # coded values match case-insensitively (§2)
        labels = [v.upper() if v else None for v in labels]
    return _cat(dis, labels)


def _band_labels(style: str) -> list[str]:
    """Pay band spellings of a style: ``Band 8a`` (``contract``, ``canonical``); ESR's
    ``Band 8 - Range A`` (``esr``, :data:`ESR_PAY_BAND_DISPLAY`); ``8A`` (``spaced``)."""
    labels = list(_BANDS)
    if style == "esr":
        labels = [ESR_PAY_BAND_DISPLAY[b] for b in labels]
    elif style == "spaced":
        labels = [b.split(" ", 1)[1].upper() if b.startswith("Band") else b for b in labels]
    return labels


def _render_yn(flag: np.ndarray) -> pd.Categorical:
    """``Y``/``N`` flags."""
    return _cat(flag.astype(np.int64), ["N", "Y"])


def workforce_frame(
    spec: OrgSpec, people: pd.DataFrame, year: int, seed: int
) -> tuple[pd.DataFrame, dict[str, np.ndarray]]:
    """The ``workforce`` file for one organisation and year (data contract §2.1).

    Returns the frame with contract column names (before the style's header spelling) and
    the internal arrays (``wres``, ``disabled``, ``female``, ``bank`` ...) that the other
    files are drawn from. Rows are in staff id order.
    """
    rng = _rng(seed, "workforce", spec.code, year)
    p = people
    n = len(p)
    band = p["band"].to_numpy()
    female = p["female"].to_numpy()
    contract = p["contract"].to_numpy()
    bank = contract == _CT_BANK
    freq = p["freq"].to_numpy()
    hours = p["hours"].to_numpy()
    dob = p["dob"].to_numpy()
    snap = _days(_snapshot(year))
    age = np.floor((snap - dob) / 365.25).astype(np.int64)

    annual = annual_basic(
        band,
        p["step_u"].to_numpy(),
        p["step_bonus"].to_numpy(),
        p["med_pos"].to_numpy(),
        p["salary25"].to_numpy(),
        year,
    )
    shift = p["shift"].to_numpy() * rng.uniform(0.8, 1.2, n)
    full = period_pay(
        annual, band, hours, freq, bank, shift, spec.hcas, london=spec.region == "London"
    )

    # leave on reduced or nil pay in the pay period (not full-pay relevant employees, §1.2)
    maternity = female & (age >= 20) & (age <= 45) & ~bank & (rng.random(n) < 0.04)
    reduced = np.where(maternity, rng.random(n) < 0.8, rng.random(n) < 0.015)
    u = rng.random(n)
    smp = _SMP_WEEKLY * _FREQ_DAYS[freq] / 7
    factor = np.where(
        maternity,
        np.select([u < 0.4, u < 0.8], [0.5, smp / np.maximum(full, 1)], 0.0),
        np.select([u < 0.7, u < 0.8], [0.5, 0.0], rng.uniform(0.85, 0.97, n)),
    )
    ordinary = np.where(reduced, full * np.minimum(factor, 1.0), full)
    ordinary = np.round(ordinary, 2)

    cea = p["cea"].to_numpy()
    cea_amt = p["cea_amt"].to_numpy()
    bonus_12m = np.where(cea > 0, cea_amt, 0.0)
    bonus_in = np.where(cea >= 2, np.round(cea_amt / 12, 2), 0.0)

    sid_out = _public_ids(p["sid"].to_numpy(), spec.code)
    style = spec.style
    cols: dict[str, object] = {
        "staff_id": sid_out,
        "ethnic_category": _render_ethnic(
            p["eth"].to_numpy(), p["eth_local"].to_numpy(), sid_out, style
        ),
        "sex": _render_sex(female, style),
    }
    if style == "spaced":
        cols["age"] = age
    else:
        cols["date_of_birth"] = pd.to_datetime(dob, unit="D").astype("datetime64[s]")
    cols.update(
        {
            "disability": _render_disability(p["dis"].to_numpy(), style),
            "sexual_orientation": _cat(p["so"].to_numpy(), cl.SEXUAL_ORIENTATION_VALUES),
            "religion_belief": _cat(p["rel"].to_numpy(), cl.RELIGION_VALUES),
            "marital_status": _cat(p["mar"].to_numpy(), cl.MARITAL_VALUES),
            "gender_reassignment": _cat(p["gr"].to_numpy(), [*cl.GENDER_REASSIGNMENT_VALUES, None]),
            "on_maternity_leave": _render_yn(maternity),
            "staff_group": _cat(
                p["sg"].to_numpy(),
                [ESR_STAFF_GROUP_DISPLAY[g] if style == "esr" else g for g in _SG],
            ),
            "pay_band": _cat(band, _band_labels(style)),
            "directorate": _cat(p["direc"].to_numpy(), _DIRECTORATES[spec.kind]),
            "contract_type": _cat(contract, _CONTRACTS),
            "contracted_hours": np.round(hours, 2),
            "pay_frequency": _cat(freq, _FREQS),
            "ordinary_pay": ordinary,
            "bonus_pay_in_period": bonus_in,
            "bonus_period_days": np.full(n, np.nan),
            "bonus_pay_12m": bonus_12m,
            "full_pay": _render_yn(~reduced),
            "hourly_rate": np.where(
                bank & (style == "contract"),
                np.round(ordinary * 7 / _FREQ_DAYS[freq] / hours, 4),
                np.nan,
            ),
        }
    )
    if style == "spaced":
        for name in _SPACED_OMITS:
            cols.pop(name, None)
    frame = pd.DataFrame(cols)
    order = np.argsort(sid_out, kind="stable")
    frame = frame.iloc[order].reset_index(drop=True)
    eth = p["eth"].to_numpy()
    wres = np.where(eth <= 2, 0, np.where(eth <= 15, 1, 2))  # White, BME, Unknown
    internal = {
        "staff_id": sid_out[order],
        "wres": wres[order],
        "disabled": (p["dis"].to_numpy() == 0)[order],
        "non_disabled": (p["dis"].to_numpy() == 1)[order],
        "female": female[order],
        "bank": bank[order],
        "band": band[order],
        "eth": eth[order],
        "eth_local": p["eth_local"].to_numpy()[order],
        "dis": p["dis"].to_numpy()[order],
    }
    return frame, internal


def _public_ids(sid: np.ndarray, code: str) -> np.ndarray:
    """Pseudonymous 8-digit staff ids: a bijection of the internal counter (unique, stable)."""
    offset = _crc(code) % 90_000_000
    return 10_000_000 + (sid.astype(np.int64) * 48_271 + offset) % 90_000_000


def numbered_ids(prefix: int, n: int, width: int) -> np.ndarray:
    """Integer ids ``prefix`` followed by 1..n zero-padded to ``width`` digits."""
    return prefix * 10**width + np.arange(1, n + 1, dtype=np.int64)


def _fy_dates(rng: np.random.Generator, year: int, n: int) -> np.ndarray:
    """Random dates in the financial year 1 April YEAR-1 to 31 March YEAR (§1)."""
    start = _days(date(year - 1, 4, 1))
    span = _days(date(year, 3, 31)) - start + 1
    days = start + rng.integers(0, span, n)
    return days.astype("datetime64[D]").astype("datetime64[s]")


def recruitment_frame(
    spec: OrgSpec, internal: dict[str, np.ndarray], year: int, seed: int
) -> pd.DataFrame:
    """Applications in the financial year (data contract §2.2; feeds wres.2, wdes.2).

    About 1.5 applications per member of staff; ethnic-minority applicants are a larger
    share than in the workforce. White applicants are appointed from shortlisting about
    1.6 times as often as BME applicants (WRES 2024), non-disabled about 1.05 times as often as
    Disabled applicants (who are shortlisted more often: guaranteed interviews). Only
    shortlisted applications are appointed.
    """
    rng = _rng(seed, "recruitment", spec.code, year)
    n = int(rng.poisson(len(internal["staff_id"]) * 1.5))
    bme_share = min(0.9, spec.bme_share + 0.12)
    bme = rng.random(n) < bme_share
    zone = "London" if spec.region == "London" else "other"
    eth = np.where(
        bme, _BME[_choice(rng, _BME_MIX[zone], n)], _WHITE[_choice(rng, _WHITE_MIX[zone], n)]
    )
    unknown = rng.random(n) < 0.05
    eth[unknown] = np.array([_ETH_Z, _ETH_99, _ETH_BLANK])[
        _choice(rng, np.array([0.5, 0.2, 0.3]), int(unknown.sum()))
    ]
    dis = _choice(rng, np.array([0.07, 0.83, 0.05, 0.03, 0.0, 0.02]), n)
    disabled = dis == 0
    female = rng.random(n) < 0.70
    shortlisted = rng.random(n) < np.where(disabled, 0.33, 0.22)
    p_app = np.where(np.isin(eth, _WHITE), 0.32, np.where(np.isin(eth, _BME), 0.20, 0.26))
    p_app = p_app * np.where(disabled, 0.95, 1.0)
    appointed = shortlisted & (rng.random(n) < p_app)
    bands = internal["band"]
    post = bands[rng.integers(0, len(bands), n)] if len(bands) else np.zeros(n, dtype=int)
    ids = numbered_ids(year, n, 6)
    return pd.DataFrame(
        {
            "application_id": ids,
            "ethnic_category": _render_ethnic(eth, rng.random(n) < 0.4, np.arange(n), spec.style),
            "disability": _render_disability(dis, spec.style),
            "sex": _render_sex(female, spec.style),
            "shortlisted": _render_yn(shortlisted),
            "appointed": _render_yn(appointed),
            "post_band": _cat(post, list(_BANDS)),
        }
    )


def casework_frame(
    spec: OrgSpec, workforce: pd.DataFrame, internal: dict[str, np.ndarray], year: int, seed: int
) -> pd.DataFrame:
    """People entering a formal disciplinary or capability process (§2.3; wres.3, wdes.3).

    About 1.2 % of (non-bank) staff enter disciplinary, ethnic-minority staff 1.2 times as
    often as White staff of the same sex (about 1.15 times overall, as more of them are
    women, who enter less often; WRES 2024: about 1.1-1.2); about 0.35 % enter capability,
    Disabled staff about 2.2 times as often (WDES 2024). Equality values are copied from the workforce file; a few cases have
    no staff id.
    """
    rng = _rng(seed, "casework", spec.code, year)
    n = len(internal["staff_id"])
    eligible = ~internal["bank"]
    p_disc = (
        0.011 * np.where(internal["wres"] == 1, 1.2, 1.0) * np.where(internal["female"], 0.85, 1.3)
    )
    p_cap = 0.003 * np.where(internal["disabled"], 2.2, 1.0)
    disc = eligible & (rng.random(n) < p_disc)
    cap = eligible & (rng.random(n) < p_cap)
    rows = np.concatenate([np.flatnonzero(disc), np.flatnonzero(cap)])
    process = np.concatenate(
        [np.zeros(int(disc.sum()), dtype=np.int64), np.ones(int(cap.sum()), dtype=np.int64)]
    )
    order = np.argsort(rng.random(len(rows)), kind="stable")
    rows, process = rows[order], process[order]
    m = len(rows)
    names = (
        ("Disciplinary", "Capability") if spec.style == "esr" else ("disciplinary", "capability")
    )
    staff_id = internal["staff_id"][rows].astype(float)
    staff_id[rng.random(m) < 0.03] = np.nan
    frame = pd.DataFrame(
        {
            "case_id": numbered_ids(year, m, 4),
            "staff_id": pd.array(staff_id, dtype="Int64"),
            "process": _cat(process, names),
            "start_date": _fy_dates(rng, year, m),
            "ethnic_category": workforce["ethnic_category"].array.take(rows),
            "disability": workforce["disability"].array.take(rows),
            "sex": workforce["sex"].array.take(rows),
        }
    )
    return frame.sort_values(["start_date", "case_id"], kind="stable").reset_index(drop=True)


_COURSES = (
    "Leadership Foundations",
    "Mary Seacole Programme",
    "Advanced Clinical Practice module",
    "Coaching Skills for Managers",
    "Quality Improvement Foundations",
    "Project Management Essentials",
    "Clinical Supervision",
    "Leading with Compassion",
    "Data Analysis with Excel",
    "Preceptorship Plus",
    "Non-medical Prescribing",
    "Mentoring Programme",
)
_MANDATORY = (
    "Fire Safety",
    "Information Governance",
    "Safeguarding Adults Level 2",
    "Basic Life Support",
    "Equality, Diversity and Human Rights",
    "Moving and Handling",
    "Infection Prevention and Control",
)


def training_frame(
    spec: OrgSpec,
    internal: dict[str, np.ndarray],
    year: int,
    seed: int,
    leavers: np.ndarray | None = None,
) -> pd.DataFrame:
    """Non-mandatory training and CPD in the financial year (§2.4; wres.4).

    About 38 % of White staff take at least one course, BME staff about 0.85 times as
    often; each takes 1 + Poisson(0.4) courses. A quarter of staff also have a mandatory
    row (``mandatory=Y``, to be ignored). A few rows belong to staff who left during the
    year (``leavers``: not in the workforce file, so they go to quarantine).
    """
    rng = _rng(seed, "training", spec.code, year)
    ids = internal["staff_id"]
    n = len(ids)
    p = 0.38 * np.where(internal["wres"] == 0, 1.0, np.where(internal["wres"] == 1, 0.85, 0.9))
    takes = rng.random(n) < p
    counts = np.where(takes, 1 + rng.poisson(0.4, n), 0)
    who = np.repeat(ids, counts)
    course = _choice(rng, np.ones(len(_COURSES)), len(who))
    mand_who = ids[rng.random(n) < 0.25]
    mand_course = _choice(rng, np.ones(len(_MANDATORY)), len(mand_who))
    parts_who = [who, mand_who]
    parts_course = [course, len(_COURSES) + mand_course]
    parts_mand = [np.zeros(len(who), dtype=np.int64), np.ones(len(mand_who), dtype=np.int64)]
    if leavers is not None and len(leavers):
        k = max(1, int(round(len(who) * 0.003)))
        lw = rng.choice(leavers, size=min(k, len(leavers)), replace=False)
        parts_who.append(lw)
        parts_course.append(_choice(rng, np.ones(len(_COURSES)), len(lw)))
        parts_mand.append(np.zeros(len(lw), dtype=np.int64))
    who = np.concatenate(parts_who)
    course = np.concatenate(parts_course)
    mand = np.concatenate(parts_mand)
    dates = _fy_dates(rng, year, len(who))
    frame = pd.DataFrame(
        {
            "staff_id": who,
            "course": _cat(course, [*_COURSES, *_MANDATORY]),
            "start_date": dates,
            "mandatory": _render_yn(mand.astype(bool)),
        }
    )
    return frame.sort_values(["start_date", "staff_id"], kind="stable").reset_index(drop=True)


# (question, item, group, base percent) - national-looking levels with built-in gaps
_SURVEY_ROWS: tuple[tuple[str, str | None, str, float], ...] = (
    ("wres.5", None, "White", 25.0),
    ("wres.5", None, "BME", 28.5),
    ("wres.6", None, "White", 22.0),
    ("wres.6", None, "BME", 26.5),
    ("wres.7", None, "White", 58.0),
    ("wres.7", None, "BME", 45.0),
    ("wres.8", None, "White", 6.0),
    ("wres.8", None, "BME", 15.0),
    ("wdes.4a", "public", "Disabled", 32.0),
    ("wdes.4a", "public", "Non-disabled", 25.0),
    ("wdes.4a", "managers", "Disabled", 16.0),
    ("wdes.4a", "managers", "Non-disabled", 9.0),
    ("wdes.4a", "colleagues", "Disabled", 25.0),
    ("wdes.4a", "colleagues", "Non-disabled", 16.0),
    ("wdes.4b", None, "Disabled", 48.0),
    ("wdes.4b", None, "Non-disabled", 46.0),
    ("wdes.5", None, "Disabled", 51.0),
    ("wdes.5", None, "Non-disabled", 57.0),
    ("wdes.6", None, "Disabled", 29.0),
    ("wdes.6", None, "Non-disabled", 20.0),
    ("wdes.7", None, "Disabled", 35.0),
    ("wdes.7", None, "Non-disabled", 45.0),
    ("wdes.8", None, "Disabled", 74.5),  # WDES 2024: 74.5 % adequate adjustments
    ("wdes.9a", None, "Disabled", 6.5),
    ("wdes.9a", None, "Non-disabled", 7.0),
    ("wdes.9a", None, "All", 6.9),
)
_RESPONSE_RATE = 0.45
_SURVEY_DISABLED = 0.22  # share of respondents saying they are disabled (§4.4)


def staff_survey_frame(
    spec: OrgSpec, internal: dict[str, np.ndarray], year: int, seed: int
) -> pd.DataFrame:
    """The organisation's Staff Survey breakdowns (§2.5; wres.5-8, wdes.4a-9a).

    Responses are about 45 % of each group's headcount (White/BME from the workforce;
    about 22 % of respondents say they are disabled, the "confidence gap" of the methodology
    §4.4). Percentages are binomial draws around national-looking levels that are worse
    for BME and Disabled staff; wdes.4b counts only those who experienced harassment and
    wdes.8 only Disabled staff who needed adjustments. wdes.9a is a 0-10 score.
    """
    rng = _rng(seed, "survey", spec.code, year)
    org = _rng(seed, "survey-org", spec.code)  # a stable organisation effect
    staff = ~internal["bank"]
    heads = {
        "White": int((staff & (internal["wres"] == 0)).sum()),
        "BME": int((staff & (internal["wres"] == 1)).sum()),
    }
    total = int(staff.sum())
    heads["Disabled"] = int(round(total * _SURVEY_DISABLED))
    heads["Non-disabled"] = int(round(total * (1 - _SURVEY_DISABLED - 0.02)))
    heads["All"] = total
    rate = _RESPONSE_RATE * rng.uniform(0.85, 1.15)
    records = []
    for question, item, group, base in _SURVEY_ROWS:
        shift = org.normal(0.0, 2.5)
        responses = int(rng.binomial(heads[group], rate))
        if question == "wdes.4b":
            responses = int(rng.binomial(responses, 0.35))
        elif question == "wdes.8":
            responses = int(rng.binomial(responses, 0.6))
        if responses == 0:
            continue
        if question == "wdes.9a":
            value = round(float(np.clip(base + shift / 10 + rng.normal(0, 0.1), 0, 10)), 2)
        else:
            p = float(np.clip(base + shift, 0.5, 99.5)) / 100
            value = round(100 * rng.binomial(responses, p) / responses, 1)
        records.append((question, item, group, value, responses))
    return pd.DataFrame(records, columns=["question", "item", "group", "percent", "responses"])


_EXECUTIVES = ("Chief Executive", "Director of Finance", "Medical Director", "Chief Nurse")


def board_frame(
    spec: OrgSpec, internal: dict[str, np.ndarray], year: int, seed: int
) -> pd.DataFrame:
    """Board members on the snapshot date (§2.6; wres.9, wdes.10).

    12-16 members (6-9 for a body of under 200 staff): the chair and non-executive
    directors (voting, bar an associate non-executive), executive directors (the first five
    voting). Ethnic-minority members are rarer than in the workforce.
    """
    rng = _rng(seed, "board", spec.code, year)
    n_staff = len(internal["staff_id"])
    size = int(rng.integers(12, 17)) if n_staff >= 200 else int(rng.integers(6, 10))
    n_exec = size // 2 - int(rng.integers(0, 2))
    executive = np.arange(size) < n_exec
    voting = np.where(executive, np.arange(size) < min(5, n_exec), True)
    if size >= 12 and rng.random() < 0.6:
        voting[-1] = False  # associate non-executive director
    bme = rng.random(size) < spec.bme_share * 0.57  # WRES 2024: 16.5 % of board members
    zone = "London" if spec.region == "London" else "other"
    eth = np.where(
        bme,
        _BME[_choice(rng, _BME_MIX[zone], size)],
        _WHITE[_choice(rng, _WHITE_MIX[zone], size)],
    )
    eth[rng.random(size) < 0.05] = _ETH_Z
    dis = _choice(rng, np.array([0.07, 0.80, 0.10, 0.03, 0.0, 0.0]), size)
    female = rng.random(size) < 0.5
    return pd.DataFrame(
        {
            "member_id": [f"BM{i + 1:02d}" for i in range(size)],
            "voting": _render_yn(voting),
            "executive": _render_yn(executive),
            "ethnic_category": _render_ethnic(
                eth, np.zeros(size, bool), np.arange(size), spec.style
            ),
            "disability": _render_disability(dis, spec.style),
            "sex": _render_sex(female, spec.style),
        }
    )


def _headers(frame: pd.DataFrame, style: str, file: str) -> pd.DataFrame:
    """Rename contract columns to the organisation's header spelling."""

    def title(column: str) -> str:
        """``staff_id`` -> ``Staff Id``."""
        return " ".join(w.capitalize() for w in column.split("_"))

    if style == "esr" and file == "workforce":
        return frame.rename(columns=lambda c: ESR_HEADERS.get(c, title(c)))
    if style == "spaced":
        return frame.rename(columns=title)
    return frame


def _write_csv(frame: pd.DataFrame, path: Path) -> None:
    """Write a CSV quickly and deterministically (pyarrow writer; blank cells for nulls)."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    table = pa.Table.from_pandas(frame, preserve_index=False)
    columns = []
    for col in table.columns:
        if pa.types.is_dictionary(col.type):
            col = col.cast(pa.string())
        elif pa.types.is_timestamp(col.type):
            col = col.cast(pa.date32())
        columns.append(col)
    table = pa.table(columns, names=table.column_names)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    pacsv.write_csv(table, tmp, write_options=pacsv.WriteOptions(quoting_style="needed"))
    os.replace(tmp, path)


def write_organisations(raw_dir: Path, specs: Sequence[OrgSpec]) -> Path:
    """Write ``raw_dir/organisations.csv``, keeping rows for organisations not generated."""
    path = Path(raw_dir) / "organisations.csv"
    new = pd.DataFrame(
        [(s.code, s.name, s.type, s.region) for s in specs],
        columns=["org_code", "name", "type", "region"],
    )
    if path.exists():
        old = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
        if "org_code" in old.columns:
            old = old[~old["org_code"].str.strip().str.upper().isin(set(new["org_code"]))]
            new = pd.concat([old, new], ignore_index=True)
    new = new.sort_values("org_code", kind="stable").reset_index(drop=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    new.to_csv(path, index=False, lineterminator="\n")
    return path


# --- narrative content ---------------------------------------------------------------------

_MARKER = "<!-- synthetic: written by edi synth for demonstration; replace with your own -->"

_ACTIONS: tuple[tuple[str, str, str, str], ...] = (
    (
        "WRES 1",
        "Set a target for ethnic-minority representation at band 8a and above for each care "
        "group, and review progress at the quarterly workforce committee.",
        "March {next}",
        "Chief People Officer",
    ),
    (
        "WRES 2",
        "Put a trained inclusion panel member on every interview panel for band 7 and above, "
        "and audit shortlisting decisions twice a year.",
        "From September {year}",
        "Head of Resourcing",
    ),
    (
        "WRES 3",
        "Require a second-level check by an independent manager before any formal "
        "disciplinary investigation is opened, and report outcomes by ethnicity.",
        "Ongoing",
        "Head of Employee Relations",
    ),
    (
        "WRES 4",
        "Publish all non-mandatory development opportunities in one place and monitor "
        "uptake by ethnicity every quarter.",
        "December {year}",
        "Head of Learning and Development",
    ),
    (
        "WRES 5-8",
        "Relaunch the bystander and civility programme with the staff networks, and follow "
        "up survey hot spots with team-level listening events.",
        "Ongoing",
        "Head of Organisational Development",
    ),
    (
        "WRES 9",
        "Offer board shadowing places to staff from under-represented groups and widen the "
        "search for non-executive directors.",
        "April {next}",
        "Chair",
    ),
    (
        "WDES 1",
        "Run a campaign with the disability staff network to improve ESR disability "
        "declaration rates.",
        "Ongoing",
        "EDI Lead",
    ),
    (
        "WDES 2",
        "Review the guaranteed interview scheme and make reasonable adjustments easier to "
        "request at every stage of recruitment.",
        "June {next}",
        "Head of Resourcing",
    ),
    (
        "WDES 3",
        "Separate performance and health-related capability routes and train managers to "
        "use a health passport before any formal process starts.",
        "March {next}",
        "Head of Employee Relations",
    ),
    (
        "Gender pay gap",
        "Review the Clinical Excellence Award process so that eligible women consultants are "
        "encouraged to apply, and report award holders by sex.",
        "March {next}",
        "Medical Director",
    ),
    (
        "Ethnicity pay gap",
        "Analyse starting salaries and pay step progression by ethnicity and publish the "
        "findings with this report.",
        "October {year}",
        "Director of Finance",
    ),
)


def _fy(year: int) -> str:
    """``2024`` -> ``2023/24`` (data contract §1)."""
    return f"{year - 1}/{str(year)[-2:]}"


def _describe(type_: str) -> str:
    """``ICB`` -> ``an integrated care board``; ``Acute trust`` -> ``an acute trust``."""
    text = "integrated care board" if type_.upper() == "ICB" else type_.lower()
    return ("an " if text[0] in "aeiou" else "a ") + text


def _summary_md(spec: OrgSpec, years: Sequence[int]) -> str:
    """``summary.md``: introduction and commitments (synthetic text)."""
    first, last = min(years), max(years)
    span = _fy(first) if first == last else f"{_fy(first)} to {_fy(last)}"
    return f"""{_MARKER}

# Equality, diversity and inclusion at {spec.name}

This is a synthetic summary written for demonstration. It is not the view of any real
organisation, and the figures in this report are generated, not real.

{spec.name} is {_describe(spec.type)} in the {spec.region} region. This report sets
out what our workforce data say about fairness for our staff over {span}: representation
across pay bands, our gender, ethnicity and disability pay gaps, and the Workforce Race and
Workforce Disability Equality Standards.

## Our commitments

- We will treat every gap in this report as something to explain and act on, not only to
  publish.
- We will work with our staff networks to decide which actions come first, and report back
  on what changed.
- We will improve the quality of our equality data, so that fewer colleagues are recorded as
  "not declared".
- We will look at the figures for groups in combination, not only one characteristic at a
  time, where the numbers are large enough to do so safely.
"""


def _objectives_md(spec: OrgSpec, years: Sequence[int]) -> str:
    """``objectives.md``: equality objectives (synthetic text)."""
    last = max(years)
    return f"""{_MARKER}

# Equality objectives {last - 1} to {last + 3}

Synthetic text for demonstration only.

1. **Fair progression.** Close the gap between the share of ethnic-minority staff in the
   whole workforce and their share at band 8a and above by a third by March {last + 3}.
2. **Fair process.** Bring the relative likelihood of ethnic-minority staff entering a
   formal disciplinary process, and of Disabled staff entering a capability process, within
   0.80 to 1.25.
3. **Fair pay.** Reduce our mean gender pay gap every year, starting with how Clinical
   Excellence Awards and senior roles are filled.
4. **Better data.** Raise the share of staff with a recorded disability status and ethnicity
   to at least 95 %.
"""


def write_content(content_dir: Path, spec: OrgSpec, years: Sequence[int], seed: int) -> list[Path]:
    """Narrative files for ``spec`` (data contract §2.7).

    ``content/<ORG>/summary.md`` and ``objectives.md`` (every year) and
    ``content/<ORG>/<YEAR>/actions.csv`` (6-8 actions). An organisation whose
    ``summary.md`` exists and was not written by this module (no synthetic marker) is
    left alone: its content belongs to a real EDI team.
    """
    base = Path(content_dir) / spec.code
    summary = base / "summary.md"
    if summary.exists() and _MARKER not in summary.read_text(encoding="utf-8", errors="replace"):
        return []
    base.mkdir(parents=True, exist_ok=True)
    summary.write_text(_summary_md(spec, years), encoding="utf-8")
    objectives = base / "objectives.md"
    objectives.write_text(_objectives_md(spec, years), encoding="utf-8")
    written = [summary, objectives]
    for year in years:
        rng = _rng(seed, "actions", spec.code, year)
        k = int(rng.integers(6, 9))
        pick = np.sort(rng.choice(len(_ACTIONS), size=k, replace=False))
        rows = [
            (
                _ACTIONS[i][0],
                _ACTIONS[i][1],
                _ACTIONS[i][2].format(year=year, next=year + 1),
                _ACTIONS[i][3],
            )
            for i in pick
        ]
        path = base / str(year) / "actions.csv"
        path.parent.mkdir(parents=True, exist_ok=True)
        frame = pd.DataFrame(rows, columns=["metric", "action", "timescale", "lead"])
        frame.to_csv(path, index=False, lineterminator="\n")
        written.append(path)
    return written


# --- the synthetic mark ----------------------------------------------------------------------


def mark_synthetic(raw_dir: Path, code: str) -> Path:
    """Write ``<raw_dir>/<code>/SYNTHETIC``: this organisation's input is synthetic."""
    path = Path(raw_dir) / code / SYNTHETIC_MARKER
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        f"{SYNTHETIC_NOTE}.\nThe input files of {code} were written by `edi synth` (or `edi "
        "demo`). Every report built from them carries a synthetic-data mark; `edi clean-demo` "
        "removes them.\n",
        encoding="utf-8",
    )
    return path


def synthetic_orgs(raw_dir: Path) -> list[str]:
    """Codes of every organisation under ``raw_dir`` that carries the synthetic mark."""
    raw_dir = Path(raw_dir)
    if not raw_dir.is_dir():
        return []
    return sorted(p.parent.name for p in raw_dir.glob(f"*/{SYNTHETIC_MARKER}") if p.is_file())


def clean_demo(
    raw_dir: Path, processed_dir: Path, reports_dir: Path, content_dir: Path
) -> list[Path]:
    """Remove everything ``edi synth``/``edi demo`` wrote, so a real site starts clean.

    Only organisations carrying the synthetic mark are touched: their raw, processed and
    published folders, their narrative content (when it is the synthetic text, not a real
    team's), their rows of ``organisations.csv``, and the national benchmark folders of
    their years (recomputed on the next ``edi build --all``). An organisation without the
    mark is never removed.

    Returns
    -------
    list of Path
        What was removed.
    """
    import shutil

    raw_dir, processed_dir = Path(raw_dir), Path(processed_dir)
    reports_dir, content_dir = Path(reports_dir), Path(content_dir)
    removed: list[Path] = []
    codes = synthetic_orgs(raw_dir)
    years: set[str] = set()
    for code in codes:
        years.update(p.name for p in (raw_dir / code).iterdir() if p.is_dir() and p.name.isdigit())
        content = content_dir / code
        summary = content / "summary.md"
        own_words = summary.is_file() and _MARKER not in summary.read_text(
            encoding="utf-8", errors="replace"
        )
        folders = [processed_dir / code, reports_dir / code, raw_dir / code]
        if not own_words:
            folders.insert(2, content)
        for folder in folders:
            if folder.is_dir():
                shutil.rmtree(folder)
                removed.append(folder)
    for year in sorted(years):
        folder = processed_dir / "national" / year
        if codes and folder.is_dir():
            shutil.rmtree(folder)
            removed.append(folder)
    orgs = raw_dir / "organisations.csv"
    if codes and orgs.is_file():
        table = pd.read_csv(orgs, dtype=str, keep_default_na=False, encoding="utf-8-sig")
        if "org_code" in table.columns:
            keep = ~table["org_code"].str.strip().str.upper().isin(codes)
            if keep.all():
                pass
            elif keep.any():
                table[keep].to_csv(orgs, index=False, lineterminator="\n")
            else:
                orgs.unlink()
                removed.append(orgs)
    return removed


# --- entry points --------------------------------------------------------------------------


def write_org(
    spec: OrgSpec,
    years: Sequence[int],
    seed: int,
    raw_dir: Path,
    progress: Callable[[str], None] | None = None,
) -> list[tuple[str, int]]:
    """Generate and write every input file of ``spec`` for ``years`` (data contract §2)."""
    years = sorted(set(int(y) for y in years))
    mark_synthetic(raw_dir, spec.code)
    populations = _populations(spec, years, seed)
    written = []
    previous_ids: np.ndarray | None = None
    for year in range(min(years), max(years) + 1):
        people = populations[year]
        frame, internal = workforce_frame(spec, people, year, seed)
        ids = internal["staff_id"]
        leavers = None if previous_ids is None else np.setdiff1d(previous_ids, ids)
        previous_ids = ids
        if year not in years:
            continue
        folder = Path(raw_dir) / spec.code / str(year)
        style = spec.style
        files = {
            "workforce": frame,
            "recruitment": recruitment_frame(spec, internal, year, seed),
            "casework": casework_frame(spec, frame, internal, year, seed),
            "training": training_frame(spec, internal, year, seed, leavers),
            "staff_survey": staff_survey_frame(spec, internal, year, seed),
            "board": board_frame(spec, internal, year, seed),
        }
        for stem, data in files.items():
            _write_csv(_headers(data, style, stem), folder / f"{stem}.csv")
        written.append((spec.code, year))
        if progress is not None:
            progress(f"{spec.code} {year}: {len(frame):,} staff")
    return written


def synthesise(
    orgs: int | list[str],
    years: list[int],
    staff: int,
    seed: int,
    raw_dir: Path,
    content_dir: Path | None = None,
    progress: Callable[[str], None] | None = None,
) -> list[tuple[str, int]]:
    """Write realistic synthetic input with built-in disparities (``edi synth``).

    Parameters
    ----------
    orgs
        A number of fictional organisations (``SYN001``...), or a list of ODS codes.
    years
        Snapshot years (31 March YEAR), e.g. ``[2024, 2025]``.
    staff
        Average headcount per organisation.
    seed
        Random seed: the same arguments give byte-identical files.
    raw_dir
        Writes ``<raw_dir>/<ORG>/<YEAR>/{workforce,recruitment,casework,training,
        staff_survey,board}.csv`` and merges ``<raw_dir>/organisations.csv``.
    content_dir
        When given, writes the narrative files (``summary.md``, ``objectives.md``,
        ``<YEAR>/actions.csv``) under ``<content_dir>/<ORG>/``.
    progress
        Called with a short message after each organisation and year.

    Returns
    -------
    list of (org, year)
        The organisation-years written.
    """
    if not years:
        raise ValueError("give at least one year")
    specs = org_specs(orgs, staff, seed)
    return _synthesise_specs(specs, years, seed, raw_dir, content_dir, progress)


def _synthesise_specs(
    specs: Sequence[OrgSpec],
    years: Sequence[int],
    seed: int,
    raw_dir: Path,
    content_dir: Path | None,
    progress: Callable[[str], None] | None,
) -> list[tuple[str, int]]:
    """Write every file for ``specs`` and ``years``; see :func:`synthesise`."""
    raw_dir = Path(raw_dir)
    written: list[tuple[str, int]] = []
    for spec in specs:
        written.extend(write_org(spec, years, seed, raw_dir, progress))
        if content_dir is not None and write_content(
            Path(content_dir), spec, sorted(set(years)), seed
        ):
            from edi_reports.submissions.action_plan import write_demo_plan  # equality action plan

            write_demo_plan(Path(content_dir), spec.code, sorted(set(years)))
    write_organisations(raw_dir, specs)
    return written


def synthesise_demo(
    raw_dir: Path,
    content_dir: Path,
    years: list[int] | None = None,
    seed: int = 2024,
) -> list[tuple[str, int]]:
    """Demo input for three fictional bodies, with narrative content: a London acute trust
    (DEMO1, ~1,500 staff, about half ethnic minority), an ICB in the South East (DEMO2, ~800,
    about one in six) and a small body (DEMO3, ~40 staff, whose report shows suppression).

    ``years`` defaults to ``[2024, 2025]``.
    """
    years = [2024, 2025] if years is None else list(years)
    specs = [
        _spec(code, name, type_, region, size, seed, _DEMO_STYLE[code], _DEMO_HCAS.get(code, ""))
        for code, name, type_, region, size in DEMO_ORGS
    ]
    written = _synthesise_specs(specs, years, seed, raw_dir, content_dir, None)
    from edi_reports.report.custom_sections import write_demo_section

    write_demo_section(Path(content_dir), DEMO_ORGS[0][0])  # an analyst's own section
    return written
