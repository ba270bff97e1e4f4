"""methodology §7 classifications."""

import pandas as pd

from edi_reports.intake import classifications as c


class TestEthnicCodes:
    def test_codes_labels_and_local_codes(self):
        raw = pd.Series(
            ["A", "c3", "A White - British", "White - Irish", "99", "Z", "", None, "X", "R"]
        )
        codes, invalid = c.normalise_ethnic_code(raw)
        assert codes.tolist()[:6] == ["A", "C", "A", "B", "99", "Z"]
        assert codes.isna().tolist()[6:9] == [True, True, True]
        assert invalid.tolist() == [False] * 8 + [True, False]

    def test_wres_grouping_vector_9(self):
        codes = pd.Series(["A", "B", "C", "D", "S", "Z", "99", pd.NA], dtype="string")
        groups = c.wres_group(codes).astype(str).tolist()
        assert groups == ["White"] * 3 + ["BME"] * 2 + ["Unknown"] * 3

    def test_high_level_code_r_setting(self):
        codes = pd.Series(["R", "A", "B"], dtype="string")
        assert c.high_level_group(codes).astype(str).tolist() == [
            "Other",
            "White British",
            "White other",
        ]
        assert c.high_level_group(codes, "Asian").astype(str).tolist()[0] == "Asian"


def test_pay_band_spellings():
    raw = pd.Series(
        ["5", "8A", "AfC Band 5", "Band 8a", "band 9", "VSM", "Consultant", "FY1", "Band 12"]
    )
    bands, invalid = c.normalise_pay_band(raw)
    assert bands.tolist()[:8] == [
        "Band 5",
        "Band 8a",
        "Band 5",
        "Band 8a",
        "Band 9",
        "VSM",
        "Consultant",
        "Foundation Year 1",
    ]
    assert invalid.tolist() == [False] * 8 + [True]


def test_staff_groups_and_clinical():
    groups, invalid = c.normalise_staff_group(
        pd.Series(["Nursing and Midwifery Registered", "08", "Estates & Ancillary", "Wizards"])
    )
    assert groups.tolist()[:3] == [
        "Nursing and Midwifery Registered",
        "Administrative and Clerical",
        "Estates and Ancillary",
    ]
    assert invalid.tolist() == [False, False, False, True]
    assert c.is_clinical(groups[:3]).tolist() == [True, False, False]


def test_sex_disability_orientation():
    sex, bad = c.normalise_sex(pd.Series(["M", "female", " Male ", "X", None]))
    assert sex.astype(str).tolist() == ["Male", "Female", "Male", "Unknown", "Unknown"]
    assert bad.tolist() == [False, False, False, True, False]
    assert c.disability_group(pd.Series(["Yes", "No", "Not Declared", None])).astype(
        str
    ).tolist() == ["Disabled", "Non-disabled", "Unknown", "Unknown"]
    so = c.sexual_orientation_group(
        pd.Series(["Bisexual", "Heterosexual or Straight", "Undecided"])
    )
    assert so.astype(str).tolist() == ["LGB+", "Heterosexual", "Unknown"]


def test_age_bands():
    bands = c.age_band(pd.Series([18, 21, 25, 26, 70, 71, None], dtype="Int64"))
    assert bands.astype(str).tolist() == [
        "<=20",
        "21-25",
        "21-25",
        "26-30",
        "66-70",
        ">=71",
        "Unknown",
    ]


def test_wdes_clusters_cover_every_band_and_grade():
    assert set(c.WDES_CLUSTERS) >= set(c.AFC_BANDS) | {"VSM"}
    assert c.WDES_CLUSTERS["Consultant"] == "C5" and c.WDES_CLUSTERS["Band 8c"] == "C4"
