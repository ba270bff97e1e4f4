"""methodology §10 PSED workforce profile."""

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from edi_reports.config import Settings
from edi_reports.intake import classifications as c
from edi_reports.measures.profile import NOT_DECLARED, headcount, profile_metrics


def workforce(n: int = 20) -> pd.DataFrame:
    sex = ["Male", "Female"] * (n // 2)
    return pd.DataFrame(
        {
            "sex": pd.Categorical(sex, categories=c.SEXES),
            "ethnic_group": pd.Categorical(
                ["White British", "Asian", "Unknown", "Black"] * (n // 4),
                categories=c.HIGH_LEVEL_GROUPS,
            ),
            "age_band": pd.Categorical(
                ["21-25", "41-45"] * (n // 2), categories=[*c.AGE_BANDS, "Unknown"]
            ),
            "disability": pd.Series(["Yes", "No", None, "Not Declared"] * (n // 4), dtype="string"),
            "religion_belief": pd.Series([None] * n, dtype="string"),
            "on_maternity_leave": pd.Series([True] + [False] * (n - 2) + [None], dtype="boolean"),
            "contract_type": pd.Categorical(["Permanent"] * (n - 2) + ["Bank"] * 2),
            "pay_band": pd.Categorical(["Band 5", "Band 6"] * (n // 2)),
            "staff_group": pd.Categorical(["Administrative and Clerical"] * n),
        }
    )


def frame(rows):
    return pd.DataFrame([r.__dict__ for r in rows])


def test_bank_staff_excluded_and_shares():
    rows = frame(profile_metrics(workforce()))
    sex = rows[(rows.measure == "profile.sex") & (rows.breakdown == "overall")]
    assert sex.denominator.unique().tolist() == [18]
    assert sex.set_index("group").numerator.to_dict() == {"Male": 9, "Female": 9, "Unknown": 0}
    assert abs(sex.value.sum() - 100) < 1e-9


def test_not_declared_group_and_missing_characteristic():
    rows = frame(profile_metrics(workforce()))
    dis = rows[(rows.measure == "profile.disability") & (rows.breakdown == "overall")].set_index(
        "group"
    )
    # blanks join ESR's own "Not Declared" group: 4 blanks + 4 recorded (bank rows excluded)
    assert dis.loc["Not Declared", "numerator"] == 8
    assert NOT_DECLARED not in dis.index
    religion = rows[rows.measure == "profile.religion_belief"]
    assert religion.status.iloc[0].startswith("not_calculable")
    orientation = rows[rows.measure == "profile.sexual_orientation"]
    assert orientation.status.iloc[0].startswith("not_calculable")


def test_breakdowns_by_band_and_staff_group():
    rows = frame(profile_metrics(workforce()))
    assert "pay_band=Band 5" in set(rows.breakdown)
    assert "staff_group=Administrative and Clerical" in set(rows.breakdown)


def test_include_bank_setting():
    s = Settings.from_dict({"profile": {"include_bank": True}})
    assert headcount(workforce(), s) == 20 and headcount(workforce()) == 18


@settings(max_examples=30, deadline=None)
@given(st.lists(st.sampled_from(list(c.HIGH_LEVEL_GROUPS)), min_size=1, max_size=60))
def test_shares_sum_to_100_in_every_breakdown(groups):
    n = len(groups)
    wf = pd.DataFrame(
        {
            "ethnic_group": pd.Categorical(groups, categories=c.HIGH_LEVEL_GROUPS),
            "pay_band": pd.Categorical(["Band 5", "Band 7", "VSM"] * n)[:n],
        }
    )
    rows = frame(profile_metrics(wf))
    eth = rows[rows.measure == "profile.ethnicity"]
    for _, part in eth.groupby("breakdown"):
        assert abs(part.value.sum() - 100) < 1e-9
        assert part.numerator.sum() == part.denominator.iloc[0]
