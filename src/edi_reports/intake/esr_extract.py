"""ESR's own gender pay gap figures, read beside the staff list to check our hourly rates.

Spec: methodology §1.6 (hourly rate of pay); data contract §2 (inputs).

Trusts can download a gender pay gap extract from ESR Business Intelligence: a workbook
with title lines above the header, one row per assignment or per person, with the employee
number, ESR's own hourly rate and its pay quartile. Put it beside the staff list as
``gpg_extract.xlsx`` (or ``.csv``). It is optional and never changes a figure: the figures
are computed from the staff list (``workforce``), and this extract is only compared with
them. Each person's row is the one flagged primary assignment (else the first); it is
joined to the staff list by employee number; where ESR's hourly rate and ours differ by
more than a penny, the build says how many and the largest differences (never who).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

STEM = "gpg_extract"

ALIASES: dict[str, tuple[str, ...]] = {
    "staff_id": ("Employee Number", "Employee No", "Staff Number", "Person Number"),
    "assignment_number": ("Assignment Number", "Assignment No"),
    "primary_assignment": (
        "Primary Assignment",
        "Primary Assignment Flag",
        "Primary Flag",
        "Primary",
    ),
    "hourly_rate": (
        "Hourly Rate",
        "Hourly Rate of Pay",
        "Ordinary Hourly Rate",
        "Ordinary Hourly Pay",
        "Hourly Pay",
    ),
    "quartile": ("Quartile", "Pay Quartile", "Quartile Band"),
}
REQUIRED: tuple[str | tuple[str, ...], ...] = (("staff_id", "assignment_number"), "hourly_rate")


def read_gpg_extract(folder: Path) -> pd.DataFrame | None:
    """ESR's hourly rate per person from ``gpg_extract.csv|xlsx`` in ``folder``.

    Returns
    -------
    pandas.DataFrame or None
        ``staff_id, hourly_rate`` with one row per person (the primary assignment's row,
        else the first), rows without an id or a usable rate left out; None when there is
        no extract.

    Raises
    ------
    InputError
        A file-level problem (unreadable file, no employee number or hourly rate column).
    """
    from edi_reports.intake.clean import (
        _strip,
        find_input,
        map_headers,
        parse_bool,
        parse_number,
        read_table,
    )

    path = find_input(Path(folder), STEM)
    if path is None:
        return None
    raw = read_table(path)
    headers = map_headers(list(raw.columns), STEM, str(path))
    if "staff_id" in headers:
        ids = _strip(raw[headers["staff_id"]])
    else:  # an ESR assignment number is the employee number, a hyphen and a suffix
        ids = _strip(raw[headers["assignment_number"]]).str.replace(r"-[^-]*$", "", regex=True)
    rate, _, _ = parse_number(raw[headers["hourly_rate"]])
    primary = pd.Series(False, index=raw.index)
    if "primary_assignment" in headers:
        primary = parse_bool(raw[headers["primary_assignment"]])[0].fillna(False).astype(bool)
    frame = pd.DataFrame({"staff_id": ids, "hourly_rate": rate, "primary": primary})
    frame = frame[(frame["staff_id"] != "") & frame["hourly_rate"].notna()]
    frame = frame.sort_values("primary", ascending=False, kind="stable")
    frame = frame.drop_duplicates("staff_id", keep="first").sort_index()
    return frame[["staff_id", "hourly_rate"]].reset_index(drop=True)


def compare_with_extract(workforce: pd.DataFrame, extract: pd.DataFrame) -> dict[str, Any]:
    """Our hourly rate (methodology §1.6) against ESR's, joined by employee number.

    Returns
    -------
    dict
        :func:`edi_reports.intake.audit.hourly_rate_check`'s keys plus ``source``
        (``gpg_extract``), ``not_in_staff_list`` (extract people with no staff list row)
        and ``not_in_extract`` (staff list people with no extract row).
    """
    from edi_reports.intake.audit import hourly_rate_check

    joined = workforce.drop(columns=["hourly_rate_given"], errors="ignore").merge(
        extract.rename(columns={"hourly_rate": "hourly_rate_given"}),
        on="staff_id",
        how="left",
    )
    check = hourly_rate_check(joined)
    known = set(workforce["staff_id"].dropna())
    check.update(
        {
            "source": STEM,
            "not_in_staff_list": int((~extract["staff_id"].isin(known)).sum()),
            "not_in_extract": int((~workforce["staff_id"].isin(set(extract["staff_id"]))).sum()),
        }
    )
    return check
