"""Privacy floors: the disclosure rules a settings file cannot weaken by accident.

Spec: methodology §6.2 (counts of 1 to 7 suppressed, other counts rounded to the nearest 5,
secondary suppression, minimum group sizes for statistics). A settings file may make these
rules stricter at will. Making one weaker (a suppression ceiling below 7, a rounding base
below 5, secondary suppression off, a smaller minimum group) is refused, unless the file
also says ``disclosure: allow_weaker_privacy: true``; the build then prints every weakened rule as a
warning and the report's privacy section says which rules were weakened.

The disclosure symbol is always checked (no override): it is written into ``tables.csv`` and
``tables.xlsx``, where a value starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return is read by spreadsheet programs as a formula (OWASP, "CSV Injection").
"""

from __future__ import annotations

import logging
import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from edi_reports.config import Settings

__all__ = [
    "FLOORS",
    "FORMULA_STARTS",
    "SettingsError",
    "check_settings",
    "check_symbol",
    "report_weakened",
    "weakened",
]

log = logging.getLogger(__name__)

#: First characters that make a spreadsheet cell a formula (or a DDE payload).
FORMULA_STARTS: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r", "\n")


# one class for every settings problem, whether the value's kind or a privacy floor is wrong
from edi_reports.config_validate import SettingsError  # noqa: E402, F401


@dataclass(frozen=True)
class Floor:
    """One privacy rule: the setting, its weakest allowed value and what it protects."""

    section: str
    name: str
    minimum: int | bool
    meaning: str


#: The floors of methodology §6.2 (a bool floor means "must be on").
FLOORS: tuple[Floor, ...] = (
    Floor("disclosure", "suppress_max", 7, "counts of 1 to 7 people are not shown"),
    Floor("disclosure", "round_base", 5, "other counts are rounded to the nearest 5"),
    Floor(
        "disclosure",
        "secondary_suppression",
        True,
        "a hidden count cannot be worked out from totals",
    ),
    Floor(
        "disclosure",
        "min_group_stat",
        10,
        "averages, gaps and likelihoods need groups of at least 10",
    ),
    Floor("disclosure", "staff_survey_min", 11, "survey figures need at least 11 responses"),
    Floor(
        "epg",
        "min_group_publish",
        10,
        "ethnicity pay gaps need groups of at least 10 (2026 government response)",
    ),
    Floor(
        "statutory",
        "min_group",
        10,
        "statutory ethnicity and disability pay gaps need groups of at least 10",
    ),
)


def check_symbol(symbol: object) -> None:
    """Refuse a disclosure symbol that a spreadsheet could read as a formula.

    Parameters
    ----------
    symbol
        ``disclosure.symbol`` from the settings.

    Raises
    ------
    SettingsError
        Not a short one-line text, or starting with ``=``, ``+``, ``-``, ``@``, tab or CR.
    """
    fix = "Use a short symbol such as * or [c] (the default is *)."
    if not isinstance(symbol, str) or not symbol.strip() or len(symbol) > 10:
        raise SettingsError(
            f"disclosure.symbol must be a short piece of text (1 to 10 characters), got "
            f"{symbol!r}.\n  How to fix: {fix}"
        )
    if symbol.startswith(FORMULA_STARTS) or any(c in symbol for c in "\r\n\t\x00"):
        raise SettingsError(
            f"disclosure.symbol {symbol!r} starts with a character that spreadsheet programs "
            "read as a formula (=, +, -, @, tab, carriage return), or holds a control "
            f"character; it would be written into tables.csv and tables.xlsx.\n  How to fix: {fix}"
        )


def weakened(settings: Settings) -> list[str]:
    """Every privacy rule the settings make weaker than its floor, in plain words.

    Returns
    -------
    list of str
        e.g. ``"disclosure.suppress_max is 0 (at least 7: counts of 1 to 7 people are not
        shown)"``; empty when every floor holds.
    """
    out = []
    for floor in FLOORS:
        value = getattr(getattr(settings, floor.section), floor.name)
        if isinstance(floor.minimum, bool):
            if value is not True:
                out.append(
                    f"{floor.section}.{floor.name} is {value!r} (must be on: {floor.meaning})"
                )
            continue
        if isinstance(value, bool) or not isinstance(value, int):
            raise SettingsError(
                f"{floor.section}.{floor.name} must be a whole number, got {value!r}.\n"
                f"  How to fix: use a whole number of at least {floor.minimum}."
            )
        if value < floor.minimum:
            out.append(
                f"{floor.section}.{floor.name} is {value} (at least {floor.minimum}: {floor.meaning})"
            )
    return out


def check_settings(settings: Settings) -> None:
    """Validate the privacy settings (called whenever a :class:`Settings` is made).

    Raises
    ------
    SettingsError
        A formula-like symbol, a non-positive rounding base, or a rule below its floor
        without ``disclosure.allow_weaker_privacy: true``.
    """
    d = settings.disclosure
    check_symbol(d.symbol)
    if isinstance(d.round_base, int) and not isinstance(d.round_base, bool) and d.round_base < 1:
        raise SettingsError(
            f"disclosure.round_base must be 1 or more, got {d.round_base}.\n"
            "  How to fix: use 5 (the default), or a larger base."
        )
    import dataclasses

    for f in dataclasses.fields(settings.limits):
        value = getattr(settings.limits, f.name)
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise SettingsError(
                f"limits.{f.name} must be a whole number of at least 1, got {value!r}.\n"
                "  How to fix: remove it to use the default, or give a positive number."
            )
    below = weakened(settings)
    if below and not settings.disclosure.allow_weaker_privacy:
        raise SettingsError(
            "the settings weaken the privacy rules of the published reports:\n    "
            + "\n    ".join(below)
            + "\n  How to fix: remove these settings (the defaults are the floors), or, if "
            "your organisation's disclosure policy really requires it, add "
            "`allow_weaker_privacy: true` under `disclosure:` in the settings file; every build "
            "will then warn."
        )


def report_weakened(settings: Settings) -> list[str]:
    """Print one warning per weakened rule to standard error (never silenced by
    ``--quiet``) and return the lines."""
    lines = [f"WARNING: privacy floor overridden: {w}" for w in weakened(settings)]
    for line in lines:
        print(line, file=sys.stderr, flush=True)
        log.warning(line)
    return lines


def count_rule(settings: Settings) -> str:
    """The sentence of the privacy note about small counts (never "1 to 0 people")."""
    d = settings.disclosure
    if d.suppress_max >= 2:
        small = f"Counts of 1 to {d.suppress_max} people are shown as {d.symbol}"
    elif d.suppress_max == 1:
        small = f"Counts of 1 person are shown as {d.symbol}"
    else:
        small = "No small counts are hidden (the settings switched suppression off)"
    if d.round_base > 1:
        rounding = f"other counts are rounded to the nearest {d.round_base} (0 is shown as 0)"
    else:
        rounding = "other counts are shown exactly (the settings switched rounding off)"
    return f"{small}; {rounding}"
