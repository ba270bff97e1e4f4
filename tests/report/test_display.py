"""Display objects (edi_reports.report.display) and charts (edi_reports.report.charts)."""

from __future__ import annotations

import json
import re

import altair as alt
import pandas as pd
import pytest
from bs4 import BeautifulSoup
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from edi_reports.report import charts, display

GAPS = pd.DataFrame(
    {
        "Measure": ["Mean hourly pay", "Median hourly pay"],
        "Gap (%)": ["6.7", "*"],
        "n": ["1,235", "5"],
    }
)


def bundle(obj: display.Display) -> tuple[dict[str, str], dict]:
    return obj._repr_mimebundle_()


def spec_json(html: str) -> dict:
    soup = BeautifulSoup(html, "html.parser")
    script = soup.find("script", attrs={"type": "application/json"})
    assert script is not None
    return json.loads(script.string)


class TestHeading:
    def test_golden(self):
        data, meta = bundle(display.heading("Gender pay gap"))
        assert data["text/html"] == '<h2 id="gender-pay-gap">Gender pay gap</h2>'
        assert data["text/markdown"] == "## Gender pay gap {#gender-pay-gap}"
        assert meta["edi"] == {"kind": "heading", "level": 2, "id": "gender-pay-gap"}

    def test_anchor_and_escaping(self):
        data, _ = bundle(display.heading("Pay <gap> & bonus", level=3, anchor="pay"))
        assert data["text/html"] == '<h3 id="pay">Pay &lt;gap&gt; &amp; bonus</h3>'
        assert data["text/markdown"] == "### Pay \\<gap\\> & bonus {#pay}"

    @pytest.mark.parametrize("level", [0, 7])
    def test_bad_level(self, level):
        with pytest.raises(ValueError, match="level"):
            display.heading("x", level=level)

    def test_bad_anchor(self):
        with pytest.raises(ValueError, match="anchor"):
            display.heading("x", anchor="has space")

    def test_slug_starts_with_letter(self):
        assert display.slugify("2023/24 figures") == "s-2023-24-figures"
        assert display.slugify("!!!") == "section"


class TestMarkdown:
    def test_renders_and_escapes_raw_html(self):
        data, _ = bundle(display.md("Some **bold** text <script>alert(1)</script>"))
        assert "<strong>bold</strong>" in data["text/html"]
        assert "<script>" not in data["text/html"]
        assert "&lt;script&gt;" in data["text/html"]
        assert data["text/markdown"].startswith("Some **bold** text")

    def test_remote_image_becomes_alt_text(self):
        data, _ = bundle(display.md("![Our logo](https://example.org/logo.png)"))
        assert "<img" not in data["text/html"]
        assert "Our logo" in data["text/html"]

    def test_links_kept(self):
        data, _ = bundle(display.md("See [the guidance](https://www.gov.uk/x)."))
        assert '<a href="https://www.gov.uk/x">the guidance</a>' in data["text/html"]


class TestCallout:
    def test_note(self):
        data, meta = bundle(display.callout("Not calculable: fewer than 10 men."))
        soup = BeautifulSoup(data["text/html"], "html.parser")
        aside = soup.find("aside")
        assert aside["aria-label"] == "Note"
        assert "Not calculable: fewer than 10 men." in aside.get_text()
        assert data["text/markdown"].startswith("::: {.callout .callout-note}")
        assert meta["edi"]["callout"] == "note"

    def test_bad_kind(self):
        with pytest.raises(ValueError, match="kind"):
            display.callout("x", kind="shout")


class TestTable:
    def test_html_structure(self):
        data, _ = bundle(display.table(GAPS, "Table 1. Gender pay gaps"))
        soup = BeautifulSoup(data["text/html"], "html.parser")
        table = soup.find("table")
        assert table.caption.get_text() == "Table 1. Gender pay gaps"
        cols = table.thead.find_all("th")
        assert [th["scope"] for th in cols] == ["col"] * 3
        assert [th.get_text() for th in cols] == ["Measure", "Gap (%)", "n"]
        rows = table.tbody.find_all("tr")
        assert [r.th["scope"] for r in rows] == ["row", "row"]
        assert [r.th.get_text() for r in rows] == ["Mean hourly pay", "Median hourly pay"]
        assert [td.get_text() for td in rows[0].find_all("td")] == ["6.7", "1,235"]
        assert all("num" in td["class"] for td in table.tbody.find_all("td"))
        region = soup.find(attrs={"role": "region"})
        assert region["tabindex"] == "0"
        assert region["aria-labelledby"] == table.caption["id"]

    def test_markdown_golden(self):
        data, _ = bundle(display.table(GAPS, "Table 1. Gender pay gaps"))
        assert data["text/markdown"] == (
            "| Measure | Gap (%) | n |\n"
            "|:--|--:|--:|\n"
            "| Mean hourly pay | 6.7 | 1,235 |\n"
            "| Median hourly pay | \\* | 5 |\n"
            "\n"
            ": Table 1. Gender pay gaps"
        )

    def test_no_row_header_and_explicit_numbers(self):
        data, _ = bundle(
            display.table(GAPS, "Caption", row_header=False, number_columns=["Gap (%)"])
        )
        soup = BeautifulSoup(data["text/html"], "html.parser")
        assert soup.tbody.find("th") is None
        assert soup.find("th", string="n").get("class") is None
        assert "|--:|:--|" in data["text/markdown"]

    def test_notes_and_missing_values(self):
        df = pd.DataFrame({"Group": ["A", None], "Value": [1.5, float("nan")]})
        data, _ = bundle(display.table(df, "Caption", notes="Figures of 7 or fewer are *."))
        soup = BeautifulSoup(data["text/html"], "html.parser")
        assert [td.get_text() for td in soup.tbody.find_all("td")] == ["1.5", ""]
        assert "Figures of 7 or fewer" in soup.find(class_="edi-table-notes").get_text()
        assert "::: {.table-notes}" in data["text/markdown"]

    def test_errors(self):
        with pytest.raises(ValueError, match="caption"):
            display.table(GAPS, "  ")
        with pytest.raises(ValueError, match="not in the table"):
            display.table(GAPS, "c", number_columns=["nope"])

    def test_numeric_detection(self):
        df = pd.DataFrame(
            {"a": ["x", "y"], "b": ["-3.2", "*"], "c": ["12.5%", ""], "d": ["1.2", "High"]}
        )
        assert display.numeric_columns(df) == ["b", "c"]

    @settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(
        st.lists(st.lists(st.text(max_size=12), min_size=3, max_size=3), min_size=0, max_size=8),
        st.text(min_size=1, max_size=30).filter(lambda s: s.strip()),
    )
    def test_any_strings_round_trip(self, rows, caption):
        """Any cell text comes back unchanged (whitespace-normalised) from the HTML, and the
        markdown has one line per row plus header and rule."""
        df = pd.DataFrame(rows, columns=["c1", "c|2", "c<3>"])
        data, _ = bundle(display.table(df, caption))
        soup = BeautifulSoup(data["text/html"], "html.parser")
        body_rows = soup.tbody.find_all("tr")
        assert len(body_rows) == len(rows)
        for row, tr in zip(rows, body_rows, strict=True):
            cells = [c.get_text() for c in tr.find_all(["th", "td"])]
            assert cells == [" ".join(v.split()) for v in row]
        assert soup.caption.get_text() == caption
        table_lines = data["text/markdown"].split("\n\n: ")[0].split("\n")
        assert len(table_lines) == len(rows) + 2
        # every line has exactly 4 unescaped pipes (3 columns)
        assert all(len(re.findall(r"(?<!\\)\|", line)) == 4 for line in table_lines)


def quarters() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Quarter": ["Lower", "Lower", "Upper", "Upper"],
            "Sex": ["Women", "Men", "Women", "Men"],
            "Share": [80.0, 20.0, 60.0, 40.0],
        }
    )


class TestChartDisplay:
    def test_bundle(self):
        table = pd.DataFrame({"Measure": ["Mean", "Median"], "Gap": [6.7, 4.2]})
        chart = charts.gap_chart(table, group="Measure", value="Gap", title="Gender pay gap")
        alt_text = "Women's mean hourly pay is 6.7% lower than men's."
        data, meta = bundle(display.chart(chart, alt=alt_text, caption="Figure 1. Pay gaps"))
        assert data["image/svg+xml"].startswith("<svg")
        assert 'class="marks"' in data["image/svg+xml"]
        soup = BeautifulSoup(data["text/html"], "html.parser")
        assert soup.figure.figcaption.get_text() == "Figure 1. Pay gaps"
        chart_div = soup.find(class_="edi-chart")
        assert chart_div["role"] == "img"
        assert chart_div["aria-label"] == alt_text
        assert soup.find(class_="edi-finding").get_text() == alt_text
        spec = spec_json(data["text/html"])
        assert spec["datasets"] == {
            spec["data"]["name"]: [
                {"Measure": "Mean", "Gap": 6.7},
                {"Measure": "Median", "Gap": 4.2},
            ]
        }
        details = soup.find("details")
        assert details.table.caption.get_text() == "Data for: Figure 1. Pay gaps"
        assert f'alt="{alt_text}"' in data["text/markdown"]
        assert f"]({meta['edi']['svg_file']})" in data["text/markdown"]
        assert meta["edi"]["kind"] == "chart"
        assert data["text/plain"] == alt_text

    def test_script_json_cannot_close_script(self):
        table = pd.DataFrame({"g": ["</script><b>x"], "v": [1.0]})
        data, _ = bundle(
            display.chart(
                charts.bar_chart(table, category="g", value="v", title="t"), alt="a", caption="c"
            )
        )
        assert data["text/html"].count("</script>") == 2  # spec + draw script only
        assert spec_json(data["text/html"])["datasets"]

    def test_explicit_data_table_and_dict_spec(self):
        spec = charts.bar_chart(
            pd.DataFrame({"g": ["A"], "v": [1.0]}), category="g", value="v", title="t"
        ).to_dict()
        shown = pd.DataFrame({"Group": ["A"], "Value (%)": ["1.0"]})
        data, _ = bundle(
            display.chart(spec, alt="a", caption="c", data=shown, data_caption="Table 9")
        )
        soup = BeautifulSoup(data["text/html"], "html.parser")
        assert soup.details.caption.get_text() == "Table 9"
        assert "Value (%)" in data["text/markdown"]

    def test_requires_alt_and_caption(self):
        with pytest.raises(ValueError, match="alt"):
            display.chart({"mark": "bar"}, alt=" ", caption="c")
        with pytest.raises(TypeError):
            display.chart("not a chart", alt="a", caption="c")


def dataset(chart) -> list[dict]:
    spec = chart.to_dict()
    return spec["datasets"][spec["data"]["name"]]


class TestCharts:
    def test_bar_only_used_columns(self):
        table = pd.DataFrame(
            {"Group": ["A", "B"], "Value": [1.0, 2.0], "secret": ["x", "y"], "n": [10, 20]}
        )
        chart = charts.bar_chart(table, category="Group", value="Value", title="t")
        assert dataset(chart) == [{"Group": "A", "Value": 1.0}, {"Group": "B", "Value": 2.0}]
        assert "secret" not in json.dumps(chart.to_dict())

    def test_house_style(self):
        spec = charts.stacked_share_chart(
            quarters(), category="Quarter", group="Sex", value="Share", title="Quarters"
        ).to_dict()
        assert spec["width"] == "container"
        assert spec["config"]["range"]["category"] == charts.PALETTE
        assert spec["config"]["axis"]["labelFontSize"] >= 12
        # direct labels: a text layer exists
        assert any(layer["mark"]["type"] == "text" for layer in spec["layer"])

    def test_missing_column(self):
        with pytest.raises(KeyError, match="nope"):
            charts.bar_chart(quarters(), category="nope", value="Share", title="t")

    @pytest.mark.parametrize(
        "make",
        [
            lambda: charts.bar_chart(
                quarters(), category="Quarter", value="Share", color="Sex", title="t"
            ),
            lambda: charts.stacked_share_chart(
                quarters(), category="Quarter", group="Sex", value="Share", title="t"
            ),
            lambda: charts.gap_chart(
                pd.DataFrame({"g": ["a", "b"], "v": [3.0, -2.0]}), group="g", value="v", title="t"
            ),
            lambda: charts.trend_chart(
                pd.DataFrame(
                    {"y": ["2022/23", "2023/24"] * 2, "v": [1.0, 2.0, 3.0, 4.0], "s": list("aabb")}
                ),
                year="y",
                value="v",
                series="s",
                title="t",
            ),
        ],
    )
    def test_draws_as_svg(self, make):
        svg = display.spec_to_svg(make().to_dict())
        assert svg.startswith("<svg") and "<text" in svg

    @settings(max_examples=15, deadline=None)
    @given(
        st.lists(
            st.tuples(
                st.text(alphabet="abcdefgh XYZ", min_size=1, max_size=8),
                st.floats(-100, 100, allow_nan=False),
            ),
            min_size=1,
            max_size=6,
            unique_by=lambda t: t[0],
        )
    )
    def test_spec_carries_exactly_the_table(self, rows):
        """Whatever the published table, the chart embeds its rows and nothing more."""
        table = pd.DataFrame(rows, columns=["group", "value"])
        for chart in (
            charts.bar_chart(table, category="group", value="value", title="t"),
            charts.gap_chart(table, group="group", value="value", title="t"),
        ):
            assert isinstance(chart, alt.TopLevelMixin)
            spec = chart.to_dict(validate=False)
            assert list(spec["datasets"]) == [spec["data"]["name"]]
            assert spec["datasets"][spec["data"]["name"]] == table.to_dict("records")
