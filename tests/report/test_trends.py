"""Direction-aware year-on-year status."""

import pandas as pd
import pytest

from edi_reports.report.trends import status, summary_rows


@pytest.mark.parametrize(
    ("this", "last", "better", "unit", "expected"),
    [
        ("55.2", "50.7", "higher", "%", "4.5 pp better"),
        ("1.04", "0.88", "towards_1", "", "0.16 better"),
        ("1.20", "1.04", "towards_1", "", "0.16 worse"),
        ("29.2", "32.1", "lower", "%", "2.9 pp better"),
        ("-3.3", "-5.0", "towards_0", "pp", "1.7 pp better"),
        ("6.7", "6.7", "towards_0", "%", "no change"),
        ("*", "6.7", "towards_0", "%", "no comparison"),
        ("6.7", None, "towards_0", "%", "no comparison"),
    ],
)
def test_status(this, last, better, unit, expected):
    assert status(this, last, better, unit) == expected


def test_summary_rows_use_published_values_only():
    cols = [
        "table",
        "measure",
        "breakdown",
        "group",
        "reference_group",
        "value",
        "unit",
        "n",
        "note",
    ]
    now = pd.DataFrame(
        [
            ["t", "gpg.median_hourly_gap", "overall", "Female", "Male", "6.7", "pct", "100", ""],
            ["t", "wres.2", "overall", "White", "BME", "*", "ratio", "*", "small"],
        ],
        columns=cols,
    )
    before = pd.DataFrame(
        [["t", "gpg.median_hourly_gap", "overall", "Female", "Male", "8.0", "pct", "100", ""]],
        columns=cols,
    )
    table = summary_rows(now, before).set_index("Indicator")
    assert table.loc["Median gender pay gap", "Status"] == "1.3 pp better"
    row = table.filter(like="WRES 2", axis=0).iloc[0]
    assert row["This year"] == "*" and row["Status"] == "no comparison"
