"""The report's Vega-Lite specifications (edi_reports.report.vegalite) are Altair's, byte for byte.

Each function of :mod:`edi_reports.report.vegalite` writes the specification that its
Altair counterpart in :mod:`edi_reports.report.charts` produces with
``to_dict(validate=False)``. The comparison is of the JSON text, so key order counts too
(the page embeds the specification as written, and the chart id hashes it).
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from edi_reports.report import charts, sections_2026, vegalite


def _pairs(
    table: pd.DataFrame, cat: str = "Cat", val: str = "Val", grp: str = "Grp"
) -> list[tuple[str, Callable[[], Any], Callable[[], dict]]]:
    """(name, Altair chart, vegalite spec) for every chart kind over ``table``."""
    div = table.rename(columns={cat: "Pay band", grp: "Part", val: "Percentage points"})
    return [
        (
            "bar",
            lambda: charts.bar_chart(table, category=cat, value=val, title="T"),
            lambda: vegalite.bar(table, category=cat, value=val, title="T"),
        ),
        (
            "bar by group",
            lambda: charts.bar_chart(
                table,
                category=cat,
                value=val,
                title="T",
                color=grp,
                value_format=".0f",
                unit_label=" pp",
            ),
            lambda: vegalite.bar(
                table,
                category=cat,
                value=val,
                title="T",
                color=grp,
                value_format=".0f",
                unit_label=" pp",
            ),
        ),
        (
            "stacked",
            lambda: charts.stacked_share_chart(
                table, category=cat, group=grp, value=val, title="Shares"
            ),
            lambda: vegalite.stacked_share(
                table, category=cat, group=grp, value=val, title="Shares"
            ),
        ),
        (
            "stacked in a given order",
            lambda: charts.stacked_share_chart(
                table, category=cat, group=grp, value=val, title="S", order=["y", "x", "absent"]
            ),
            lambda: vegalite.stacked_share(
                table, category=cat, group=grp, value=val, title="S", order=["y", "x", "absent"]
            ),
        ),
        (
            "gap",
            lambda: charts.gap_chart(table, group=cat, value=val, title="Gaps"),
            lambda: vegalite.gap(table, group=cat, value=val, title="Gaps"),
        ),
        (
            "trend",
            lambda: charts.trend_chart(table, year=cat, value=val, series=grp, title="Years"),
            lambda: vegalite.trend(table, year=cat, value=val, series=grp, title="Years"),
        ),
        (
            "diverging",
            lambda: sections_2026.diverging_bars(div, "Parts"),
            lambda: vegalite.diverging(div, "Parts"),
        ),
    ]


def assert_same(table: pd.DataFrame, **names: str) -> None:
    for kind, altair_chart, written in _pairs(table, **names):
        expected = json.dumps(altair_chart().to_dict(validate=False))
        assert json.dumps(written()) == expected, kind


TABLES = {
    "two rows": pd.DataFrame({"Cat": ["A", "B"], "Val": [1.5, -2.0], "Grp": ["x", "y"]}),
    "a value not calculable": pd.DataFrame(
        {"Cat": ["A", "B", "C"], "Val": [1.5, np.nan, 0.0], "Grp": ["x", "y", "x"]}
    ),
    "whole numbers": pd.DataFrame({"Cat": ["A", "B"], "Val": [1, -2], "Grp": ["x", "y"]}),
    "text as objects, quotes": pd.DataFrame(
        {
            "Cat": pd.Series(["A", "B'q\"</script>"], dtype=object),
            "Val": [1.5, 2.0],
            "Grp": pd.Series(["x", "y"], dtype=object),
        }
    ),
    "negative only": pd.DataFrame({"Cat": ["A", "B"], "Val": [-1.5, -2.0], "Grp": ["x", "x"]}),
    "unicode, tiny and huge values": pd.DataFrame(
        {"Cat": ["Ä ü", "Māori"], "Val": [1e-7, 2e9], "Grp": ["x y", "y"]}
    ),
    "more groups than colours": pd.DataFrame(
        {
            "Cat": [f"c{i % 5}" for i in range(20)],
            "Val": [i * 1.1 for i in range(20)],
            "Grp": [f"g{i % 10}" for i in range(20)],
        }
    ),
    "report columns": pd.DataFrame(
        {"Pay quarter": ["Lower", "Upper"], "Share (%)": [36.3, 63.7], "Group": ["Men", "Women"]}
    ),
}


@pytest.mark.parametrize("name", list(TABLES))
def test_same_specification_as_altair(name):
    table = TABLES[name]
    if name == "report columns":
        assert_same(table, cat="Pay quarter", val="Share (%)", grp="Group")
    else:
        assert_same(table)


@pytest.mark.parametrize(
    "table",
    [
        # dates, and a missing label: left to Altair, whose specification is returned
        pd.DataFrame(
            {
                "Cat": pd.to_datetime(["2020-01-01", "2021-01-01"]),
                "Val": [1.0, 2.0],
                "Grp": ["x", "y"],
            }
        ),
        pd.DataFrame({"Cat": ["A", None], "Val": [1.0, 2.0], "Grp": ["x", "y"]}),
        pd.DataFrame(
            {"Cat": ["A", "B"], "Val": np.array([1.1, 2.2], "float32"), "Grp": ["x", "y"]}
        ),
    ],
    ids=["dates", "missing label", "float32"],
)
def test_unexpected_tables_get_altairs_specification(table):
    assert_same(table)


def test_missing_column_is_the_same_error():
    table = TABLES["two rows"]
    with pytest.raises(KeyError, match="nope"):
        vegalite.bar(table, category="nope", value="Val", title="t")


def test_schema_is_altairs():
    import altair as alt

    assert vegalite.SCHEMA_URL == alt.SCHEMA_URL


def test_specification_shares_no_parts():
    spec = vegalite.gap(TABLES["two rows"], group="Cat", value="Val", title="t")
    first, second = spec["layer"][0]["encoding"]["x"], spec["layer"][1]["encoding"]["x"]
    assert first == second and first is not second


labels = st.text(min_size=1, max_size=12)


@settings(
    max_examples=6,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(
    rows=st.lists(
        st.tuples(
            labels,
            st.one_of(
                st.floats(min_value=-1e6, max_value=1e6, allow_nan=False), st.just(float("nan"))
            ),
            st.sampled_from(["x", "y", "z", "Women", "Men"]),
        ),
        min_size=1,
        max_size=8,
    )
)
def test_same_specification_for_any_table(rows):
    table = pd.DataFrame(rows, columns=["Cat", "Val", "Grp"])
    assert_same(table)


def test_report_does_not_import_altair():
    """Building a report needs no Altair: importing it cost each kernel about half a second."""
    code = (
        "import sys\n"
        "from edi_reports.report.core import Report\n"
        "from edi_reports.report import sections_2026, vegalite\n"
        "print('altair' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"
