"""One rule for organisation codes and years, wherever they come from.

An organisation code names folders (``data/raw/<ORG>/``, ``reports/<ORG>/``) and links on the
public website, so the same rule applies to ``--org``, to folders found by ``--all``, to
``organisations.csv`` and to ``summary.json`` read back by ``edi site``: 3 to 12 letters and
digits, written in upper case. NHS Organisation Data Service (ODS) codes are alphanumeric,
at least 3 and at most 12 characters (NHS Data Dictionary, ODS code field, "min an3 max
an12"), e.g. ``RJZ`` (a trust), ``15N`` (a commissioner), ``A81001`` (a practice).

A year is the four-digit calendar year of the snapshot (31 March), from 2000 to 2099.
"""

from __future__ import annotations

import re

from edi_reports.errors import EdiError

__all__ = [
    "ORG_CODE_RULE",
    "CodeError",
    "is_org_code",
    "is_year",
    "org_code",
    "shown",
    "year",
]

_ORG_CODE = re.compile(r"[A-Z0-9]{3,12}")
_YEAR = re.compile(r"20[0-9]{2}")
ORG_CODE_RULE = "3 to 12 letters and digits, e.g. RJZ"
YEAR_RULE = "a four-digit year from 2000 to 2099, e.g. 2025"


class CodeError(EdiError):
    """An organisation code or year that does not follow the rule."""

    exit_code = 2


def shown(text: object, limit: int = 24) -> str:
    """A value safe to quote in a message: printable, at most ``limit`` characters."""
    flat = "".join(c if c.isprintable() else "?" for c in str(text))
    return repr(flat if len(flat) <= limit else flat[:limit] + "...")


def is_org_code(text: object) -> bool:
    """Whether ``text`` (already upper-case) is a valid organisation code."""
    return isinstance(text, str) and _ORG_CODE.fullmatch(text) is not None


def org_code(text: object, where: str = "organisation code") -> str:
    """The organisation code in ``text`` (stripped, upper-cased) or a plain error.

    Raises
    ------
    CodeError
        When the code is not 3 to 12 ASCII letters and digits.
    """
    code = str(text).strip().upper()
    if not is_org_code(code):
        raise CodeError(
            f"{where}: {shown(text)} is not an organisation code ({ORG_CODE_RULE}).\n"
            "  How to fix: use the organisation's ODS code."
        )
    return code


def is_year(text: object) -> bool:
    """Whether ``text`` is a year by the rule (``"2025"`` or ``2025``)."""
    return _YEAR.fullmatch(str(text).strip()) is not None


def year(text: object, where: str = "year") -> int:
    """The year in ``text`` or a plain error.

    Raises
    ------
    CodeError
        When the year is not four digits from 2000 to 2099.
    """
    if not is_year(text):
        raise CodeError(f"{where}: {shown(text)} is not a year ({YEAR_RULE}).")
    return int(str(text).strip())
