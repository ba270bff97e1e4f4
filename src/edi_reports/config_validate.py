"""Plain-English checks of a settings file before any setting is used.

Every key of a settings file (``edi build --config edi.yml``) is checked here, once, before
:class:`edi_reports.config.Settings` is built from it:

- a key that does not exist is named, with the nearest existing key suggested
  (``epg.refrence_group`` -> "did you mean 'epg.reference_group'?");
- a value of the wrong type or outside the allowed values is named with what is allowed
  (``epg.reference_group: White Irish`` -> "allowed values: 'White British', 'White'").

The rules live in :data:`RULES`, one entry per setting, so that a test can walk every
setting (``tests/test_config_validate.py``). Minimum privacy thresholds are checked
separately, where the disclosure settings are defined; this module checks only types,
allowed values and the shape of each value.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from edi_reports.errors import EdiError
from edi_reports.report.sections import SECTIONS

__all__ = ["RULES", "Rule", "SettingsError", "contrast_ratio", "validate_settings"]


class SettingsError(EdiError, ValueError):
    """A settings file names an unknown key or holds a value that is not allowed."""

    exit_code = 2


#: Sections of the report, in their default order (``report.sections``); their one home is
#: :data:`edi_reports.report.sections.SECTIONS`.
REPORT_SECTIONS: tuple[str, ...] = tuple(SECTIONS)

#: Symbols a table may use for a suppressed figure: ``*`` (usual in NHS publications) and
#: ``[c]`` (confidential, the UK Government Analysis Function's symbol in tables). Both are
#: read as a placeholder in a numeric column (:mod:`edi_reports.report.display`).
SUPPRESSION_SYMBOLS: tuple[str, ...] = ("*", "[c]")

_MONTHS = (
    "January February March April May June July August September October November December"
).split()


@dataclass(frozen=True)
class Rule:
    """How one setting is checked.

    Parameters
    ----------
    allowed
        What is allowed, as shown to the user ("a whole number from 0 to 3").
    check
        Returns True when a value (as read from YAML) is acceptable.
    """

    allowed: str
    check: Callable[[Any], bool]


def _is_int(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _int(lo: int, hi: int | None = None) -> Rule:
    text = (
        f"a whole number from {lo} to {hi}" if hi is not None else f"a whole number, {lo} or more"
    )
    return Rule(text, lambda v: _is_int(v) and v >= lo and (hi is None or v <= hi))


def show_value(v: Any) -> str:
    """A value as it is written in the YAML settings file (``true``, ``null``, ``'White'``)."""
    if isinstance(v, bool):
        return "true" if v else "false"
    if v is None:
        return "null"
    if isinstance(v, (list, tuple)):
        return "[" + ", ".join(show_value(x) for x in v) + "]"
    return repr(v)


def _choice(*values: Any) -> Rule:
    return Rule(
        ("one of " if len(values) > 1 else "only ") + ", ".join(show_value(v) for v in values),
        lambda v: any(v == x and type(v) is type(x) for x in values),
    )


def _bool() -> Rule:
    return Rule("true or false", lambda v: isinstance(v, bool))


def _day_month(v: Any) -> bool:
    m = re.fullmatch(r"(\d{1,2}) ([A-Z][a-z]+)", str(v)) if isinstance(v, str) else None
    if m is None or m.group(2) not in _MONTHS:
        return False
    try:
        date(2024, _MONTHS.index(m.group(2)) + 1, int(m.group(1)))
    except ValueError:
        return False
    return True


def _band(v: Any) -> bool:
    if v is None:
        return True
    if not isinstance(v, (list, tuple)) or len(v) != 2:
        return False
    low, high = v
    numbers = all(isinstance(x, (int, float)) and not isinstance(x, bool) for x in v)
    return numbers and 0 < low < 1 < high


def _subset(options: tuple[str, ...], *, permutation: bool = False) -> Rule:
    def check(v: Any) -> bool:
        if not isinstance(v, (list, tuple)) or not all(isinstance(x, str) for x in v):
            return False
        if len(set(v)) != len(v) or not set(v) <= set(options):
            return False
        return set(v) == set(options) if permutation else len(v) > 0

    what = "every one of" if permutation else "a list of some of"
    return Rule(f"{what} " + ", ".join(repr(o) for o in options) + ", each once", check)


def _increasing_ints(v: Any) -> bool:
    return (
        isinstance(v, (list, tuple))
        and len(v) > 0
        and all(_is_int(x) and x > 0 for x in v)
        and list(v) == sorted(set(v))
    )


def _snapshot(v: Any) -> bool:
    return isinstance(v, (list, tuple)) and [*v] in ([3, 31], [4, 5])


def _luminance(colour: str) -> float:
    """Relative luminance of ``#RRGGBB`` (WCAG 2.2 definition)."""
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast_ratio(a: str, b: str = "#FFFFFF") -> float:
    """WCAG 2.2 contrast ratio of two ``#RRGGBB`` colours, from 1 to 21."""
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def _hex_colour(v: Any) -> bool:
    """A ``#RRGGBB`` colour with at least 4.5:1 contrast against white (WCAG 2.2 AA 1.4.3):
    the header band carries white text on it, and headings and links use it on white."""
    if not (isinstance(v, str) and re.fullmatch(r"#[0-9A-Fa-f]{6}", v)):
        return False
    return contrast_ratio(v) >= 4.5


def _text(max_len: int) -> Rule:
    return Rule(
        f"text of at most {max_len} characters",
        lambda v: isinstance(v, str) and len(v) <= max_len and "\n" not in v.strip(),
    )


def _optional(rule: Rule) -> Rule:
    return Rule(f"{rule.allowed}, or nothing (null)", lambda v: v is None or rule.check(v))


def _iso_date(v: Any) -> bool:
    if isinstance(v, date) or v == "":
        return True  # YAML reads 2025-06-30 as a date
    try:
        date.fromisoformat(str(v))
    except ValueError:
        return False
    return isinstance(v, str)


def _email(v: Any) -> bool:
    return (
        isinstance(v, str) and re.fullmatch(r"[^@\s<>\"]+@[^@\s<>\"]+\.[A-Za-z]{2,}", v) is not None
    )


def _web_address(v: Any) -> bool:
    return isinstance(v, str) and re.fullmatch(r"https://[^\s<>\"]+", v) is not None


def _logo_path(v: Any) -> bool:
    if not isinstance(v, str) or not v or v.startswith(("/", "\\")) or ".." in v.split("/"):
        return False
    return re.fullmatch(r"[\w./-]+\.(png|jpg|jpeg)", v, flags=re.IGNORECASE) is not None


#: Input limits are checked, with their own message, where they are defined
#: (:mod:`edi_reports.disclosure.floors`): a whole number of at least 1.
_LIMIT = Rule("a whole number, 1 or more (checked with the input limits)", lambda v: True)

#: One rule per setting: ``section.key`` -> :class:`Rule`. The keys are exactly the fields
#: of :class:`edi_reports.config.Settings` (a test checks it).
RULES: dict[str, Rule] = {
    "rounding.percent_dp": _int(0, 3),
    "rounding.mode": _choice("half_up", "half_even"),
    "rounding.pairs": _choice("complement", "half_even"),
    "rounding.multi_group": _choice("independent", "largest_remainder"),
    "rounding.ratio_dp": _int(1, 4),
    "rounding.pp_dp": _int(0, 3),
    "gpg.snapshot_month_day": Rule(
        "[3, 31] (31 March, most public authorities) or [4, 5] (5 April, other employers)",
        _snapshot,
    ),
    "gpg.statutory_min_employees": _int(1),
    "gpg.sex_source": _choice("legal_sex"),
    "gpg.tie_precision_dp": _optional(_int(0, 10)),
    "gpg.tie_allocation": _choice("largest_remainder_lower_first"),
    "gpg.employer_size_bands": Rule(
        "a list of increasing whole numbers above 0, e.g. [250, 500, 1000, 5000, 20000]",
        _increasing_ints,
    ),
    "gpg.undefined": _choice("null_warning"),
    "epg.reference_group": _choice("White British", "White"),
    "epg.comparison_groups": _choice("high_level_and_bme"),
    "epg.min_group_publish": _int(1),
    "epg.min_group_internal": _int(1),
    "epg.unknown_in_quartiles": _bool(),
    "epg.code_R_group": _choice("Other", "Asian"),
    "epg.british_local_codes_white_british": _bool(),
    "standards.clinical_source": _choice("staff_group"),
    "standards.recruitment_posts": _choice("internal_and_external"),
    "standards.casework_window_years": _int(1, 2),
    "standards.board_breakdowns": _subset(
        ("total", "voting", "non_voting", "executive", "non_executive")
    ),
    "standards.rl_adverse_band": Rule(
        "two numbers [low, high] with 0 < low < 1 < high, e.g. [0.8, 1.25], or null (off)",
        _band,
    ),
    "standards.wdes2_caveat": _bool(),
    "standards.publication_day": Rule("a day and month such as '31 October'", _day_month),
    "disclosure.suppress_max": _int(0),
    "disclosure.round_base": _int(1),
    "disclosure.min_group_stat": _int(1),
    "disclosure.staff_survey_min": _int(1),
    "disclosure.secondary_suppression": _bool(),
    "disclosure.symbol": _choice(*SUPPRESSION_SYMBOLS),
    "disclosure.allow_weaker_privacy": _bool(),
    "disclosure.board_in_full": _bool(),
    "uncertainty.enabled": _bool(),
    "uncertainty.zero_cells": _choice("n/a", "haldane"),
    "uncertainty.bootstrap_reps": _int(100, 100_000),
    "uncertainty.seed": _int(0),
    "uncertainty.year_on_year_test": _bool(),
    "intersection.comparison": _choice("combined_reference", "within_second"),
    "intersection.label_order": _subset(
        ("ethnicity", "disability", "sexual_orientation", "sex"), permutation=True
    ),
    "profile.psed_min_employees": _int(1),
    "profile.include_bank": _bool(),
    "statutory.enabled": _bool(),
    "statutory.min_employees": _int(1),
    "statutory.min_group": _int(1),
    "render.renderer": _choice("auto", "quarto", "offline"),
    "validation.unrecognised_max_percent": Rule(
        "a number from 0 to 100",
        lambda v: isinstance(v, (int, float)) and not isinstance(v, bool) and 0 <= v <= 100,
    ),
    "validation.unrecognised_critical": _bool(),
    "limits.max_file_mb": _LIMIT,
    "limits.max_rows": _LIMIT,
    "limits.max_columns": _LIMIT,
    "limits.max_cell_chars": _LIMIT,
    "limits.max_xlsx_uncompressed_mb": _LIMIT,
    "limits.max_xlsx_ratio": _LIMIT,
    "limits.blank_run_rows": _LIMIT,
    "limits.max_content_kb": _LIMIT,
    "site.title": _text(120),
    "site.operator": _text(200),
    "site.contact_email": Rule(
        "an email address such as edi@example.nhs.uk, or '' (none)",
        lambda v: v == "" or _email(v),
    ),
    "site.contact_phone": Rule(
        "a telephone number of digits, spaces, + and brackets, or '' (none)",
        lambda v: (
            isinstance(v, str) and (v == "" or re.fullmatch(r"[+\d ()-]{6,25}", v) is not None)
        ),
    ),
    "site.response_days": _int(1, 60),
    "site.review_months": _int(1, 12),
    "site.compliance_status": _choice("fully", "partially", "not"),
    "site.known_issues": Rule(
        "a list of texts, each a piece of content that fails and the WCAG criterion",
        lambda v: isinstance(v, (list, tuple)) and all(isinstance(x, str) for x in v),
    ),
    "site.tested_on": Rule(
        "a date such as 2025-06-30, or '' (the site build date)", lambda v: _iso_date(v)
    ),
    "site.tested_by": _text(300),
    "report.sections": _subset(REPORT_SECTIONS),
    "report.directorates": _choice(False, True, "auto"),
    "branding.logo": _optional(
        Rule(
            "the name of a .png or .jpg file inside the organisation's content folder, "
            "e.g. logo.png",
            _logo_path,
        )
    ),
    "branding.logo_alt": _optional(_text(150)),
    "branding.colour": _optional(
        Rule(
            "a colour such as '#005EB8' (# and six hexadecimal digits) with a contrast of "
            "at least 4.5:1 against white (WCAG 2.2 AA); choose a darker shade",
            _hex_colour,
        )
    ),
    "branding.contact_name": _optional(_text(120)),
    "branding.contact_email": _optional(
        Rule("an email address such as edi@example.nhs.uk", _email)
    ),
    "branding.contact_phone": _optional(
        Rule(
            "a telephone number of digits, spaces, + and brackets",
            lambda v: isinstance(v, str) and re.fullmatch(r"[+\d ()-]{6,25}", v) is not None,
        )
    ),
    "branding.contact_web": _optional(Rule("a web address starting with https://", _web_address)),
}


def _suggest(name: str, options: list[str]) -> str:
    close = difflib.get_close_matches(name, options, n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else ""


def _fields(rules: Mapping[str, Rule]) -> dict[str, list[str]]:
    sections: dict[str, list[str]] = {}
    for key in rules:
        section, _, name = key.partition(".")
        sections.setdefault(section, []).append(name)
    return sections


def validate_settings(
    values: Any, source: str = "settings", rules: Mapping[str, Rule] | None = None
) -> None:
    """Check a settings mapping as read from YAML; raise on the first problems found.

    Parameters
    ----------
    values
        The mapping read from the settings file (``{section: {key: value}}``), or None.
    source
        The file name, for the message.
    rules
        The rules to apply (default :data:`RULES`; the organisation's ``report.yml`` uses
        the ``report`` and ``branding`` rules only).

    Raises
    ------
    SettingsError
        Naming every unknown key (with the nearest known one) and every value that is not
        allowed (with what is allowed), and where the settings are documented.
    """
    rules = RULES if rules is None else rules
    if values is None:
        return
    sections = _fields(rules)
    problems: list[str] = []
    if not isinstance(values, Mapping):
        raise SettingsError(
            f"{source}: the file must hold sections such as 'epg:' with settings under them, "
            f"not {type(values).__name__}\n  How to fix: see docs/command-line.md (settings)."
        )
    for section, sub in values.items():
        if section not in sections:
            problems.append(
                f"unknown section {section!r}{_suggest(str(section), list(sections))} "
                f"(sections: {', '.join(sections)})"
            )
            continue
        if sub is None:
            continue
        if not isinstance(sub, Mapping):
            problems.append(f"section {section!r} must hold 'key: value' lines")
            continue
        known = sections[section]
        for key, value in sub.items():
            full = f"{section}.{key}"
            if key not in known:
                everything = [f"{s}.{k}" for s, ks in sections.items() for k in ks]
                hint = _suggest(str(key), known) or _suggest(full, everything)
                problems.append(
                    f"unknown setting {full!r}{hint} (settings in {section!r}: {', '.join(known)})"
                )
                continue
            rule = rules[full]
            if not rule.check(value):
                problems.append(
                    f"{full}: {show_value(value)} is not allowed; allowed: {rule.allowed}"
                )
    if problems:
        lines = "\n".join(f"  - {p}" for p in problems)
        raise SettingsError(
            f"{source}: {len(problems)} problem(s) in the settings:\n{lines}\n"
            "  How to fix: correct the lines named above; every setting and its allowed "
            "values are listed in docs/command-line.md."
        )


def settings_table_markdown() -> str:
    """Every setting with its default and what is allowed, as a Markdown table (pasted into
    docs/command-line.md; a test keeps the two equal)."""
    from edi_reports.config import Settings

    defaults = Settings()
    lines = ["| setting | default | allowed |", "|---|---|---|"]
    for key, rule in RULES.items():
        section, _, name = key.partition(".")
        shown = show_value(getattr(getattr(defaults, section), name)).replace("|", "\\|")
        if key == "report.sections":
            shown = "every section, in the order listed below"
        allowed = rule.allowed.replace("|", "\\|")
        lines.append(f"| `{key}` | {shown} | {allowed} |")
    return "\n".join(lines)
