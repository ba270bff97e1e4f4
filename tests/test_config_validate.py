"""Every setting is checked with a plain message naming the key and what is allowed."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

from edi_reports.cli import main
from edi_reports.config import Settings
from edi_reports.config_validate import (
    RULES,
    SettingsError,
    contrast_ratio,
    settings_table_markdown,
    show_value,
    validate_settings,
)

DOCS = Path(__file__).resolve().parents[1] / "docs" / "command-line.md"


def _default(key: str):
    section, _, name = key.partition(".")
    value = getattr(getattr(Settings(), section), name)
    return list(value) if isinstance(value, tuple) else value


#: One value that is NOT allowed for each setting (table-driven over every setting).
INVALID: dict[str, object] = {
    "rounding.percent_dp": "one",
    "rounding.mode": "half_down",
    "rounding.pairs": "both",
    "rounding.multi_group": "largest",
    "rounding.ratio_dp": 2.5,
    "rounding.pp_dp": -1,
    "gpg.snapshot_month_day": [3, 30],
    "gpg.statutory_min_employees": 0,
    "gpg.sex_source": "biological",
    "gpg.tie_precision_dp": "exact",
    "gpg.tie_allocation": "random",
    "gpg.employer_size_bands": [500, 250],
    "gpg.undefined": "zero",
    "epg.reference_group": "White Irish",
    "epg.comparison_groups": "everything",
    "epg.min_group_publish": "fifty",
    "epg.min_group_internal": True,
    "epg.unknown_in_quartiles": 1,
    "epg.code_R_group": "Chinese",
    "standards.clinical_source": "job_title",
    "standards.recruitment_posts": "external",
    "standards.casework_window_years": 3,
    "standards.board_breakdowns": ["total", "total"],
    "standards.rl_adverse_band": [1.25, 0.8],
    "standards.wdes2_caveat": "shown",
    "standards.publication_day": "31/10",
    "disclosure.suppress_max": "seven",
    "disclosure.round_base": 0,
    "disclosure.min_group_stat": "ten",
    "disclosure.staff_survey_min": 10.5,
    "disclosure.secondary_suppression": "on",
    "disclosure.symbol": "x",
    "disclosure.allow_weaker_privacy": "yes",
    "uncertainty.enabled": "false",
    "uncertainty.zero_cells": "zero",
    "uncertainty.bootstrap_reps": 10,
    "uncertainty.seed": -1,
    "intersection.comparison": "pairwise",
    "intersection.label_order": ["sex", "ethnicity"],
    "profile.psed_min_employees": "150",
    "profile.include_bank": None,
    "render.renderer": "typst",
    "statutory.enabled": "yes",
    "statutory.min_employees": 0,
    "statutory.min_group": "ten",
    "epg.british_local_codes_white_british": "sometimes",
    "disclosure.board_in_full": "no",
    "uncertainty.year_on_year_test": 2,
    "validation.unrecognised_max_percent": 101,
    "validation.unrecognised_critical": "no",
    "limits.max_file_mb": 0,
    "limits.max_rows": "many",
    "limits.max_columns": 2.5,
    "limits.max_cell_chars": -1,
    "limits.max_xlsx_uncompressed_mb": None,
    "limits.max_xlsx_ratio": True,
    "limits.blank_run_rows": "1000",
    "limits.max_content_kb": 0,
    "site.title": 12,
    "site.operator": ["a"],
    "site.contact_email": "nobody",
    "site.contact_phone": "ring us",
    "site.response_days": 0,
    "site.review_months": 13,
    "site.compliance_status": "mostly",
    "site.known_issues": "charts",
    "site.tested_on": "30/06/2025",
    "site.tested_by": None,
    "report.sections": ["summary", "appendix"],
    "report.directorates": "yes",
    "branding.logo": "../other/logo.png",
    "branding.logo_alt": 42,
    "branding.colour": "#FFB81C",
    "branding.contact_name": "x" * 200,
    "branding.contact_email": "not an email",
    "branding.contact_phone": "call us",
    "branding.contact_web": "http://example.org",
}


def test_rules_cover_every_setting_and_accept_every_default():
    fields = {
        f"{s.name}.{f.name}"
        for s in dataclasses.fields(Settings)
        for f in dataclasses.fields(type(getattr(Settings(), s.name)))
    }
    assert set(RULES) == fields
    assert set(INVALID) == fields
    for key, rule in RULES.items():
        assert rule.check(_default(key)), key


@pytest.mark.parametrize("key", sorted(RULES))
def test_every_setting_refuses_a_bad_value_by_name(key):
    if key.startswith("limits."):  # the input limits' own check names them
        with pytest.raises(SettingsError, match=re.escape(key)):
            Settings.from_dict({"limits": {key.partition(".")[2]: INVALID[key]}})
        return
    section, _, name = key.partition(".")
    with pytest.raises(SettingsError) as exc:
        validate_settings({section: {name: INVALID[key]}}, "edi.yml")
    text = str(exc.value)
    shown = show_value(INVALID[key])
    assert f"{key}: {shown} is not allowed; allowed: {RULES[key].allowed}" in text
    assert text.startswith("edi.yml:") and "docs/command-line.md" in text


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ({"epg": {"reference_group": "White Irish"}}, "'White British', 'White'"),
        ({"disclosure": {"min_group_stat": "ten"}}, "a whole number, 1 or more"),
        ({"epg": {"refrence_group": "White"}}, "did you mean 'reference_group'?"),
        ({"epgg": {"reference_group": "White"}}, "did you mean 'epg'?"),
        ({"disclosure": {"symbl": "*"}}, "did you mean 'symbol'?"),
    ],
)
def test_plain_messages_for_the_examples(values, expected):
    with pytest.raises(SettingsError, match=re.escape(expected)):
        Settings.from_dict(values)


def test_valid_alternatives_are_accepted():
    s = Settings.from_dict(
        {
            "epg": {"reference_group": "White"},
            "standards": {"rl_adverse_band": None},
            "disclosure": {"symbol": "[c]"},
            "gpg": {"snapshot_month_day": [4, 5]},
            "report": {"sections": ["summary", "wres"], "directorates": "auto"},
            "branding": {"colour": "#00594C", "contact_email": "edi@example.nhs.uk"},
        }
    )
    assert s.standards.rl_adverse_band is None and s.report.sections == ("summary", "wres")
    assert str(s.snapshot_date(2025)) == "2025-04-05"


def test_contrast_ratio_follows_wcag():
    assert contrast_ratio("#000000") == pytest.approx(21.0)
    assert contrast_ratio("#FFFFFF") == pytest.approx(1.0)
    assert contrast_ratio("#005EB8") == pytest.approx(6.0, abs=0.5)  # NHS blue, AA
    assert contrast_ratio("#FFB81C") < 4.5  # NHS warm yellow: not for white text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("epg:\n  reference_group: White Irish\n", "epg.reference_group: 'White Irish'"),
        ("epg: [\n", "not valid YAML at line"),
        ("- just\n- a list\n", "must hold sections"),
    ],
)
def test_cli_reports_a_bad_settings_file_plainly(tmp_path, capsys, text, expected):
    path = tmp_path / "edi.yml"
    path.write_text(text)
    code = main(["build", "--all", "--config", str(path), f"--raw-dir={tmp_path / 'raw'}"])
    err = capsys.readouterr().err
    assert code == 2
    assert expected in err and "unexpected error" not in err and "Traceback" not in err


def test_docs_list_every_setting_with_its_allowed_values():
    assert settings_table_markdown() in DOCS.read_text(encoding="utf-8")
