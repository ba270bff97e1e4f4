"""What the clean stage did not use: ignored columns, missing columns, values it set aside.

Spec: data contract §2 (extra columns are ignored; a value outside a list is kept as
unknown and listed; a row-level problem goes to quarantine) and §3 (quarantine, internal).

Nothing may be lost silently. The clean stage records, per input file, which of the
contract's columns it found under which header, which headers matched nothing (with the
contract column they most resemble), and which optional columns a figure needs but the file
lacks. :func:`summary_lines` turns that record and ``quarantine.csv`` into the plain lines
printed at the end of ``edi build`` and by ``edi validate``:

    ignored column: 'CEA Payments' in workforce.csv — did you mean bonus_pay_12m?
    workforce.csv Ethnic Origin: 'XYZ' x14 not recognised, kept as unknown

Values of ids, pay, dates and ages are never shown (intake.PRIVATE_VALUE_COLUMNS).
"""

from __future__ import annotations

import difflib
import re
from pathlib import Path
from typing import Any

import pandas as pd

MAX_VALUES_PER_COLUMN = 10

# Headers seen in ESR and payroll extracts that are not aliases (they do not mean exactly
# the contract's column) but point to it: the message suggests the column and says why.
HINTS: dict[str, tuple[str, str]] = {
    "ceapayments": ("bonus_pay_12m", "clinical excellence awards count as bonus pay"),
    "cea": ("bonus_pay_12m", "clinical excellence awards count as bonus pay"),
    "clinicalexcellenceaward": ("bonus_pay_12m", "clinical excellence awards are bonus pay"),
    "clinicalexcellenceawards": ("bonus_pay_12m", "clinical excellence awards are bonus pay"),
    "localclinicalexcellenceawards": ("bonus_pay_12m", "local awards are bonus pay"),
    "nationalclinicalexcellenceawards": ("bonus_pay_12m", "national awards are bonus pay"),
    "bonus": ("bonus_pay_12m", "the bonus paid in the 12 months to the snapshot date"),
    "bonuspay": ("bonus_pay_12m", "the bonus paid in the 12 months to the snapshot date"),
    "employeecategory": ("contract_type", "Permanent, Fixed Term Temp or Bank"),
    "employmenttype": ("contract_type", "Permanent, Fixed Term Temp or Bank"),
    "contractstatus": ("contract_type", "Permanent, Fixed Term Temp or Bank"),
    "fte": ("contracted_hours", "weekly contracted hours, e.g. FTE x 37.5"),
    "wte": ("contracted_hours", "weekly contracted hours, e.g. WTE x 37.5"),
    "annualsalary": ("ordinary_pay", "ordinary pay in the pay period, not annual salary"),
    "basicpay": ("ordinary_pay", "ordinary pay in the pay period (basic pay and allowances)"),
    "salary": ("ordinary_pay", "ordinary pay in the pay period, not annual salary"),
}

# Optional columns, and the figures that cannot be right without them.
NEEDED_FOR: dict[str, dict[str, str]] = {
    "workforce": {
        "disability": "the disability pay gap, WDES metric 1 and the disability profile",
        "bonus_pay_12m": "the bonus gaps and the shares paid a bonus (every bonus counts as 0)",
        "full_pay": "the gender pay gap (staff on reduced pay for leave are counted as on full"
        " pay)",
        "pay_frequency": "the hourly pay of every pay gap (pay is taken as monthly)",
        "contract_type": "the workforce counts (every person counts as Permanent)",
        "sexual_orientation": "the sexual orientation pay gap and profile",
        "religion_belief": "the religion or belief profile",
        "marital_status": "the marriage and civil partnership profile",
        "on_maternity_leave": "the pregnancy and maternity profile",
    },
    "casework": {"staff_id": "the two-year casework window (cases cannot be linked to staff)"},
    "recruitment": {"post_band": "recruitment by band"},
}


def column_record(
    stem: str,
    file: str,
    columns: list[str],
    found: dict[str, str],
    aliases: dict[str, tuple[str, ...]],
    nonblank: dict[str, int] | None = None,
) -> dict[str, Any]:
    """What one file's headers gave: found, ignored (with a suggestion) and missing columns.

    Parameters
    ----------
    stem, file
        The input (``workforce``) and the file name read (``workforce.csv``).
    columns
        The file's headers as read.
    found
        Canonical column -> header, as :func:`edi_reports.intake.clean.map_headers` returned it.
    aliases
        The accepted aliases of this input (``intake.ALIASES[stem]``).
    nonblank
        Header -> number of non-blank data cells (the base of the unrecognised-value check).

    Returns
    -------
    dict
        ``{"stem", "file", "found": {canon: header}, "ignored": [{"header", "suggest",
        "why"}], "missing": [{"column", "affects"}], "nonblank": {header: n}}``
        (JSON-ready).
    """
    used = set(found.values())
    ignored = [
        {"header": str(c), **suggest(str(c), aliases, found)}
        for c in columns
        if str(c) not in used and not str(c).startswith("(unnamed column")
    ]
    missing = [
        {"column": col, "affects": affects}
        for col, affects in NEEDED_FOR.get(stem, {}).items()
        if col not in found
    ]
    return {
        "stem": stem,
        "file": file,
        "found": dict(found),
        "ignored": ignored,
        "missing": missing,
        "nonblank": dict(nonblank or {}),
    }


def _key(text: str) -> str:
    return re.sub(r"[^0-9a-z]", "", text.casefold())


def suggest(
    header: str, aliases: dict[str, tuple[str, ...]], found: dict[str, str]
) -> dict[str, str]:
    """The contract column an ignored header most resembles (``{"suggest", "why"}``; empty
    strings when nothing is close). Known ESR/payroll headers first (:data:`HINTS`), then
    the closest alias by :func:`difflib.get_close_matches` among columns not yet found."""
    key = _key(header)
    if key in HINTS:
        canon, why = HINTS[key]
        return {"suggest": canon, "why": why}
    candidates: dict[str, str] = {}
    for canon, names in aliases.items():
        if canon in found:
            continue
        for name in (canon, *names):
            candidates.setdefault(_key(name), canon)
    close = difflib.get_close_matches(key, list(candidates), n=1, cutoff=0.75)
    if close:
        return {"suggest": candidates[close[0]], "why": ""}
    return {"suggest": "", "why": ""}


def write_audit(
    records: list[dict[str, Any]], out_dir: Path, hourly: dict[str, Any] | None = None
) -> Path:
    """Write the column records and the hourly-rate check (:func:`hourly_rate_check`) as
    ``intake_audit.json`` (internal, beside quarantine.csv)."""
    from edi_reports import store

    return store.write_intake_audit(out_dir, {"files": records, "hourly_rate": hourly or {}})


def read_hourly_check(processed_dir: Path) -> dict[str, Any]:
    """The hourly-rate check of the last clean of ``processed_dir`` ({} when absent)."""
    from edi_reports import store

    return dict(store.read_intake_audit(processed_dir).get("hourly_rate", {}))


def read_audit(processed_dir: Path) -> list[dict[str, Any]]:
    """The column records of the last clean of ``processed_dir`` ([] when absent)."""
    from edi_reports import store

    return list(store.read_intake_audit(processed_dir).get("files", []))


def column_lines(records: list[dict[str, Any]]) -> list[str]:
    """``ignored column: ...`` and ``missing column: ...`` lines."""
    lines: list[str] = []
    for rec in records:
        for ign in rec.get("ignored", []):
            line = f"ignored column: '{ign['header']}' in {rec['file']}"
            if ign.get("suggest"):
                line += f" — did you mean {ign['suggest']}?"
                if ign.get("why"):
                    line += f" ({ign['why']})"
            lines.append(line)
        for miss in rec.get("missing", []):
            lines.append(
                f"warning: {rec['file']} has no '{miss['column']}' column; this affects"
                f" {miss['affects']}"
            )
    return lines


def found_lines(records: list[dict[str, Any]]) -> list[str]:
    """One line per file: which contract column was read from which header."""
    lines = []
    for rec in records:
        pairs = ", ".join(
            f"{canon} <- '{header}'" if canon != header else canon
            for canon, header in rec.get("found", {}).items()
        )
        lines.append(f"{rec['file']}: {pairs}")
    return lines


def value_groups(quarantine: pd.DataFrame) -> pd.DataFrame:
    """Quarantine grouped by file, column, value, reason and action, with counts (largest
    first). A blank ``value`` means the value is not shown (ids, pay, dates) or was blank."""
    if quarantine is None or quarantine.empty:
        return pd.DataFrame(columns=["file", "column", "value", "reason", "action", "count"])
    q = quarantine.copy()
    if "value" not in q.columns:
        q["value"] = ""
    q["value"] = q["value"].fillna("").astype(str)
    return (
        q.groupby(["file", "column", "value", "reason", "action"], dropna=False)
        .size()
        .rename("count")
        .reset_index()
        .sort_values(["file", "column", "count"], ascending=[True, True, False], kind="stable")
        .reset_index(drop=True)
    )


def value_lines(quarantine: pd.DataFrame) -> list[str]:
    """``workforce.csv Ethnic Origin: 'XYZ' x14 not recognised, kept as unknown`` lines
    (at most :data:`MAX_VALUES_PER_COLUMN` values per column, then a total of the rest)."""
    groups = value_groups(quarantine)
    lines: list[str] = []
    for (file, column), part in groups.groupby(["file", "column"], sort=False):
        for i, row in enumerate(part.itertuples(index=False)):
            if i == MAX_VALUES_PER_COLUMN:
                rest = int(part["count"].iloc[i:].sum())
                lines.append(f"{file} {column}: {rest} more row(s) with other values")
                break
            shown = f"'{row.value}'" if row.value else "(value not shown)"
            if row.reason.startswith("blank"):
                shown = "blank"
            if row.action == "set_unknown":
                what = (
                    "not recognised, kept as unknown"
                    if row.reason == "value not in the list; kept as unknown"
                    else row.reason
                )
            else:
                what = f"{row.reason}; row set aside"
            lines.append(f"{file} {column}: {shown} x{row.count} {what}")
    return lines


def summary_lines(processed_dir: Path) -> list[str]:
    """Every line the end of ``edi build`` prints about the inputs of one build."""
    processed_dir = Path(processed_dir)
    lines = column_lines(read_audit(processed_dir))
    hourly = read_hourly_check(processed_dir)
    if hourly.get("differ"):
        lines.append(hourly_rate_line(hourly))
    from edi_reports import store

    q = store.read_quarantine(processed_dir, as_text=True)
    if q is not None:
        lines.extend(value_lines(q))
    return lines


PENNY = 0.01
MAX_DIFFERENCES_SHOWN = 5


def hourly_rate_check(workforce: pd.DataFrame) -> dict[str, Any]:
    """Compare payroll's own hourly rate (``hourly_rate_given``) with ours.

    Spec: methodology §1.6 (hourly rate from ordinary pay, the pay period and weekly hours).
    Where both exist for a person and differ by more than a penny, the data-quality
    appendix says how many and the largest differences in £ (never who).

    Returns
    -------
    dict
        ``{"compared": n, "differ": k, "largest": [£, ...]}`` (largest first, 2 dp);
        ``compared`` is 0 when no row has both.
    """
    from edi_reports.measures.paygap import hourly_rate

    if workforce is None or "hourly_rate_given" not in workforce.columns:
        return {"compared": 0, "differ": 0, "largest": []}
    given = pd.to_numeric(workforce["hourly_rate_given"], errors="coerce").astype("float64")
    ours = hourly_rate(workforce.drop(columns=["hourly_rate_given"]))
    both = given.notna() & ours.notna()
    diff = (given - ours).abs()[both]
    differ = diff[diff > PENNY + 1e-9].sort_values(ascending=False)
    return {
        "compared": int(both.sum()),
        "differ": int(len(differ)),
        "largest": [round(float(d), 2) for d in differ.head(MAX_DIFFERENCES_SHOWN)],
    }


def hourly_rate_line(check: dict[str, Any]) -> str:
    """One plain sentence about :func:`hourly_rate_check` ("" when nothing was compared)."""
    if not check or not check.get("compared"):
        return ""
    from_extract = check.get("source") == "gpg_extract"
    theirs = (
        "ESR's hourly rate in the gender pay gap extract"
        if from_extract
        else "Payroll's own hourly rate (used in the figures)"
    )
    unmatched = ""
    if from_extract and (check.get("not_in_staff_list") or check.get("not_in_extract")):
        unmatched = (
            f" Not matched: {check.get('not_in_staff_list', 0)} employee number(s) of the"
            f" extract are not in the staff list, and {check.get('not_in_extract', 0)} of the"
            " staff list are not in the extract."
        )
    if not check.get("differ"):
        return (
            f"{theirs} agrees with the rate computed from pay and hours to the penny for all"
            f" {check['compared']} people who have both.{unmatched}"
        )
    largest = ", ".join(f"£{d:,.2f}" for d in check["largest"])
    return (
        f"{theirs} differs by more than a penny from the rate computed from pay and hours for"
        f" {check['differ']} of {check['compared']} people; the largest differences are"
        f" {largest} an hour.{unmatched}"
    )


# Columns whose unrecognised values may be shown in the published data-quality appendix:
# organisational vocabularies (bands, staff groups, contract terms, survey ids), never
# ids, pay, dates, ages or equality characteristics (an unusual self-description of a few
# people could identify them).
PUBLIC_VALUE_COLUMNS: frozenset[str] = frozenset(
    {
        "pay_band",
        "post_band",
        "staff_group",
        "contract_type",
        "pay_frequency",
        "full_pay",
        "process",
        "question",
        "group",
        "mandatory",
        "shortlisted",
        "appointed",
        "voting",
        "executive",
    }
)


def public_value_table(quarantine: pd.DataFrame, records: list[dict[str, Any]]) -> pd.DataFrame:
    """Unrecognised values of :data:`PUBLIC_VALUE_COLUMNS`, grouped by file, column, value
    and action with row counts (the report applies the count rule to them).

    Returns
    -------
    pandas.DataFrame
        Columns ``file, column, value, action, rows``; empty when there is nothing to show.
    """
    from edi_reports.validation.quality import UNRECOGNISED_REASONS

    cols = ["file", "column", "value", "action", "rows"]
    if quarantine is None or quarantine.empty or "value" not in quarantine.columns:
        return pd.DataFrame(columns=cols)
    public = {
        (rec["file"], header)
        for rec in records
        for canon, header in rec.get("found", {}).items()
        if canon in PUBLIC_VALUE_COLUMNS
    }
    q = quarantine[quarantine["reason"].isin(UNRECOGNISED_REASONS)].copy()
    q["value"] = q["value"].fillna("").astype(str)
    keep = [(f, c) in public for f, c in zip(q["file"], q["column"], strict=True)]
    q = q[keep]
    if q.empty:
        return pd.DataFrame(columns=cols)
    return (
        q.groupby(["file", "column", "value", "action"], dropna=False)
        .size()
        .rename("rows")
        .reset_index()
        .sort_values(["file", "column", "rows"], ascending=[True, True, False], kind="stable")
        .reset_index(drop=True)[cols]
    )
