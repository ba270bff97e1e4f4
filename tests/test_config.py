"""Settings: methodology §12.3 defaults, YAML overrides, unknown keys refused."""

import pytest

from edi_reports.config import Settings, financial_year_label


def test_defaults_match_measures_12_3():
    s = Settings()
    assert s.rounding.percent_dp == 1 and s.rounding.mode == "half_up"
    assert s.rounding.pairs == "complement" and s.rounding.ratio_dp == 2
    assert s.epg.reference_group == "White British" and s.epg.min_group_publish == 10
    assert s.disclosure.suppress_max == 7 and s.disclosure.round_base == 5
    assert s.disclosure.min_group_stat == 10 and s.disclosure.staff_survey_min == 11
    assert s.standards.casework_window_years == 2
    assert s.gpg.tie_precision_dp == 4
    assert s.profile.psed_min_employees == 150 and s.profile.include_bank is False
    assert s.uncertainty.enabled is False and s.uncertainty.bootstrap_reps == 2000
    assert str(s.snapshot_date(2024)) == "2024-03-31"


def test_yaml_override(tmp_path):
    path = tmp_path / "edi.yml"
    path.write_text("epg:\n  reference_group: White\nrounding:\n  pairs: half_even\n")
    s = Settings.load(path)
    assert s.epg.reference_group == "White"
    assert s.rounding.pairs == "half_even"
    assert s.fingerprint() != Settings().fingerprint()


@pytest.mark.parametrize("text", ["epgg:\n  x: 1\n", "epg:\n  reference: White\n"])
def test_unknown_settings_are_errors(tmp_path, text):
    path = tmp_path / "edi.yml"
    path.write_text(text)
    with pytest.raises(ValueError, match="unknown"):
        Settings.load(path)


def test_financial_year_label():
    assert financial_year_label(2024) == "2023/24"
