"""What a reader sees on the page: findings, labels, symbols and settings in the words."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pandas as pd
import pytest

from edi_reports.config import Paths, Settings
from edi_reports.config_validate import SettingsError
from edi_reports.disclosure.control import policy_text
from edi_reports.intake.organisations import lookup, row_hash, unlisted_message
from edi_reports.rendering.offline import drop_false_suspects, render_page
from edi_reports.report import charts, display, trends
from edi_reports.report.branding import LOGO_MAX_BYTES, load_branding, load_layout
from edi_reports.report.core import _md_escape
from edi_reports.report.sections.ethnicity_pay_gap import gap_finding
from edi_reports.report.sections.intersections import intersection_label
from edi_reports.report.sections.wres import wres_intro

# a 1 x 1 PNG
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)


def _gaps(values: dict[str, float]) -> pd.DataFrame:
    return pd.DataFrame({"Group": list(values), "Gap": list(values.values())})


@pytest.mark.parametrize(
    ("values", "says", "never"),
    [
        # the case a reader met: every gap negative or zero, Mixed at 0.0
        (
            {"Asian": -8.7, "Black": -12.9, "Mixed": 0.0, "Other": -12.9},
            [
                "No group shown has a lower median hourly pay than White British staff.",
                "Black and Other staff is the furthest above that of White British staff, "
                "12.9% higher.",
            ],
            ["largest median hourly pay gap", "Mixed"],
        ),
        (
            {"Asian": 8.7, "Black": -2.0, "Mixed": 3.0},
            [
                "Asian staff have the largest median hourly pay gap against White British "
                "staff: their median hourly pay is 8.7% lower.",
                "Black staff is the furthest above that of White British staff, 2.0% higher.",
            ],
            [],
        ),
        (
            {"Asian": 0.0, "Black": 0.04},
            ["No group shown has a median hourly pay gap against White British staff."],
            ["largest", "higher"],
        ),
    ],
)
def test_gap_finding_reads_negative_gaps_the_right_way(values, says, never):
    text = gap_finding(_gaps(values), "Group", "Gap", "White British")
    for phrase in says:
        assert phrase in text
    for phrase in never:
        assert phrase not in text
    assert "below the chart" in text and "beside" not in text


def test_gap_chart_leaves_room_for_labels_on_both_sides():
    assert charts.gap_domain(pd.Series([-12.9, -8.7, 0.0])) == [-16.77, 3.87]
    assert charts.gap_domain(pd.Series([5.0, 10.0])) == [0.0, 13.0]
    low, high = charts.gap_domain(pd.Series([-10.0, 10.0]))
    assert low < -10 and high > 10
    spec = display.chart_spec(
        charts.gap_chart(
            _gaps({"Asian": -8.7, "Black": -12.9}), group="Group", value="Gap", title="t"
        )
    )
    domain = json.dumps(spec)
    assert '"domain": [-16.77' in domain or '"domain":[-16.77' in domain


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("White|Female", "White women"),
        ("BME|Male", "BME men"),
        ("Disabled|Female", "Disabled women"),
        ("Non-disabled|Male", "Non-disabled men"),
        ("BME|Disabled", "BME Disabled staff"),
        ("White|Non-disabled", "White non-disabled staff"),
        ("LGB+|Female", "LGB+ women"),
        ("Female|BME", "BME women"),
        ("Unknown", "Unknown"),
    ],
)
def test_intersection_labels_read_as_words(label, expected):
    assert intersection_label(label) == expected


@pytest.mark.parametrize("symbol", ["*", "[c]"])
def test_privacy_text_keeps_its_symbols_on_the_page(symbol):
    text = policy_text(Settings.from_dict({"disclosure": {"symbol": symbol}}))
    html = display.markdown_to_html(_md_escape(text))
    assert "<em>" not in html and "<a " not in html
    assert html.count(symbol) == text.count(symbol) >= 3


def test_wres_prose_follows_the_band_setting():
    assert "outside 0.80 to 1.25 are flagged" in wres_intro((0.8, 1.25))
    assert "outside 0.75 to 1.33 are flagged" in wres_intro((0.75, 1.33))
    assert "flagged" not in wres_intro(None)


def _published(rows: list[tuple[str, str, str, str]]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {"measure": m, "breakdown": b, "group": g, "reference_group": "", "value": v}
            for m, b, g, v in rows
        ]
    )


def test_first_year_summary_has_no_comparison_columns():
    this = _published([("gpg.mean_hourly_gap", "overall", "", "12.4")])
    table = trends.summary_rows(this, None)
    assert list(table.columns) == ["Indicator", "This year"]
    both = trends.summary_rows(this, this)
    assert list(both.columns) == ["Indicator", "This year", "Last year", "Status"]


def test_last_year_is_last_years_published_row_and_zero_likelihood_not_compared():
    this = _published([("wres.3", "window=2", "", "1.36"), ("wdes.3", "window=2", "", "3.00")])
    last = _published([("wres.3", "window=1", "", "1.51"), ("wdes.3", "window=1", "", "0.00")])
    table = trends.summary_rows(this, last).set_index("Indicator")
    wres3 = table.loc[table.index.str.startswith("WRES 3")].iloc[0]
    wdes3 = table.loc[table.index.str.startswith("WDES 3")].iloc[0]
    assert wres3["Last year"] == "1.51" and wres3["Status"] == "0.15 better"
    assert wdes3["Status"] == "not calculable: no cases last year (a likelihood of 0.00)"
    assert "worse" not in wdes3["Status"]


def test_summary_uses_the_configured_symbol():
    this = _published([("gpg.mean_hourly_gap", "overall", "", "[c]")])
    last = _published([("gpg.mean_hourly_gap", "overall", "", "5.0")])
    row = trends.summary_rows(this, last, symbol="[c]").iloc[0]
    assert row["This year"] == "[c]" and row["Status"] == "no comparison"
    long = trends.trend_rows({"2023/24": last, "2024/25": this}, symbol="[c]")
    assert long["Shown"].tolist()[:2] == ["5.0%", "[c]"]


# ---------------------------------------------------------------- organisations.csv


def test_an_organisations_build_key_counts_only_its_own_line(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    path = raw / "organisations.csv"
    path.write_text("org_code,name,type,region\nRJZ,Trust A,Acute trust,London\n")
    before = row_hash(raw, "RJZ")
    with path.open("a") as fh:
        fh.write("RX1,Trust B,Acute trust,South East\n")
    assert row_hash(raw, "RJZ") == before
    assert row_hash(raw, "RX1") != before
    path.write_text("org_code,name,type,region\nRJZ,Trust A renamed,Acute trust,London\n")
    assert row_hash(raw, "RJZ") != before


def test_an_unlisted_organisation_is_named_in_a_warning(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "organisations.csv").write_text("org_code,name,type,region\nRJZ,Trust A,,\n")
    assert lookup(raw, "RJZ").listed and lookup(raw, "rjz").name == "Trust A"
    assert not lookup(raw, "RX9").listed and lookup(raw, "RX9").name == "RX9"
    assert unlisted_message(raw, ["RJZ"]) == ""
    text = unlisted_message(raw, ["RJZ", "RX9"])
    assert text.startswith("WARNING: RX9 not listed in") and "organisations.csv" in text


# ---------------------------------------------------------------- layout and branding


def _paths(tmp_path: Path) -> Paths:
    return Paths(raw=tmp_path / "raw", content=tmp_path / "content")


def _org_yml(tmp_path: Path, text: str) -> Path:
    folder = tmp_path / "content" / "RJZ"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "report.yml").write_text(text)
    return folder


def test_report_yml_overrides_the_settings_key_by_key(tmp_path):
    folder = _org_yml(
        tmp_path,
        "report:\n  sections: [summary, contact, wres]\nbranding:\n  logo: logo.png\n"
        "  logo_alt: Trust A logo\n  contact_email: edi@example.nhs.uk\n",
    )
    (folder / "logo.png").write_bytes(PNG)
    settings = Settings.from_dict({"branding": {"colour": "#00594C", "contact_name": "EDI team"}})
    layout = load_layout(_paths(tmp_path), "RJZ", 2025, settings)
    assert layout.sections == ("summary", "contact", "wres")
    brand = load_branding(_paths(tmp_path), "RJZ", 2025, settings)
    assert brand.colour == "#00594C" and brand.logo_mime == "image/png"
    assert dict(brand.contact) == {"Contact": "EDI team", "Email": "edi@example.nhs.uk"}
    page = render_page("<h2 id='a'>A</h2>", title="T", brand=brand)
    assert '<img src="data:image/png;base64,' in page and 'alt="Trust A logo"' in page
    assert "--blue: #00594C" in page


@pytest.mark.parametrize(
    ("yml", "logo", "message"),
    [
        ("branding:\n  logo: logo.png\n", PNG, "logo_alt is empty"),
        ("branding:\n  logo: logo.png\n  logo_alt: L\n", b"GIF89a....", "not a PNG or JPEG"),
        ("branding:\n  logo: big.png\n  logo_alt: L\n", None, "was not found"),
        (
            "branding:\n  logo: logo.png\n  logo_alt: L\n",
            PNG + b"\0" * LOGO_MAX_BYTES,
            "bytes; at most 200,000",
        ),
        ("branding:\n  logo: ../x.png\n  logo_alt: L\n", PNG, "branding.logo: '../x.png'"),
        ("branding:\n  colour: '#FFB81C'\n", None, "branding.colour: '#FFB81C' is not allowed"),
        ("report:\n  directorates: true\n", None, "unknown setting 'report.directorates'"),
    ],
)
def test_bad_branding_gets_a_plain_message(tmp_path, yml, logo, message):
    folder = _org_yml(tmp_path, yml)
    if logo is not None:
        (folder / "logo.png").write_bytes(logo)
    with pytest.raises(SettingsError, match=message.replace("(", r"\(").replace("[", r"\[")):
        load_branding(_paths(tmp_path), "RJZ", 2025, Settings())


def test_a_logo_link_out_of_the_content_folder_is_refused(tmp_path):
    folder = _org_yml(tmp_path, "branding:\n  logo: logo.png\n  logo_alt: L\n")
    outside = tmp_path / "secret.png"
    outside.write_bytes(PNG)
    (folder / "logo.png").symlink_to(outside)
    with pytest.raises(SettingsError, match="is not inside"):
        load_branding(_paths(tmp_path), "RJZ", 2025, Settings())


def test_false_suspects_entry_is_blanked_without_moving_offsets():
    pdf = b"%PDF-1.7\n1 0 obj\n<</MarkInfo<</Marked true/Suspects false>>>>\nendobj\n"
    out = drop_false_suspects(pdf)
    assert len(out) == len(pdf) and b"Suspects" not in out and b"/Marked true" in out
