"""British-identity local ethnic codes and the White British reference (methodology §7.1).

The NHS Data Dictionary rolls every local code under C up to C ("any other White
background"), including C2 Northern Irish, CA English, CB Scottish, CC Welsh and CD Cornish;
read that way, staff recorded "CA White English" in ESR would fall outside the ethnicity pay
gap's White British reference group. By default they are read as A; the setting restores the
Data Dictionary roll-up. Either way they are White for WRES.
"""

import pandas as pd
import pytest

from edi_reports.config import EPG, Settings
from edi_reports.intake import classifications as c

BRITISH = [
    "CA White English",
    "CB White Scottish",
    "CC White Welsh",
    "CD White Cornish",
    "C2 White Northern Irish",
    "CA",
    "cb white scottish",
    "White English",
    "Welsh",
]
OTHER_WHITE = ["C3 White Unspecified", "CP White Polish", "CY", "CK Italian", "CL Irish Traveller"]


@pytest.mark.parametrize("cell", BRITISH)
def test_british_identities_are_white_british_by_default(cell):
    codes, invalid = c.normalise_ethnic_code(pd.Series([cell]))
    assert codes.tolist() == ["A"] and not invalid.any()


@pytest.mark.parametrize("cell", BRITISH)
def test_setting_restores_the_data_dictionary_roll_up(cell):
    codes, _ = c.normalise_ethnic_code(pd.Series([cell]), british_local_white_british=False)
    assert codes.tolist() == ["C"]


@pytest.mark.parametrize("cell", OTHER_WHITE)
def test_other_white_local_codes_stay_c(cell):
    codes, _ = c.normalise_ethnic_code(pd.Series([cell]))
    assert codes.tolist() == ["C"]


def test_wres_group_is_white_either_way():
    for flag in (True, False):
        codes, _ = c.normalise_ethnic_code(pd.Series(BRITISH), british_local_white_british=flag)
        assert set(c.wres_group(codes)) == {"White"}


def test_setting_is_a_settings_field():
    assert Settings().epg.british_local_codes_white_british is True
    off = Settings(epg=EPG(british_local_codes_white_british=False))
    assert off.epg.british_local_codes_white_british is False
