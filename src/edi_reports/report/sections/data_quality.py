"""The data quality appendix: reconciliation, rows set aside, input audit and checks."""

from __future__ import annotations

from typing import Any

import pandas as pd

from edi_reports.disclosure import control as disclosure
from edi_reports.report import display
from edi_reports.report.core import Report, Section, _md_escape


def _reason_counts(report: Report, reasons: pd.DataFrame) -> list[str]:
    """Rows by reason: exact for rows set aside (impossible values), under the count rule
    for values set to unknown (they describe people's characteristics)."""
    ruled = _count_text(report, reasons["Rows"])
    exact = [f"{int(r):,}" for r in reasons["Rows"]]
    unknown = reasons["action"].astype(str) == "set_unknown"
    return [r if u else e for r, e, u in zip(ruled, exact, unknown, strict=True)]


def input_audit_items(report: Report) -> list[Any]:
    """Unrecognised band, staff group and other organisational values (never equality
    values, ids or pay), ignored input columns and the payroll hourly-rate comparison
    (intake_audit)."""
    from edi_reports.intake import audit as intake_audit

    records = intake_audit.read_audit(report.ctx.processed)
    items: list[Any] = []
    values = intake_audit.public_value_table(report.quarantine, records)
    if not values.empty:
        shown = values.rename(columns={"rows": "Rows"})
        shown["Rows"] = _reason_counts(report, shown)
        shown = shown.rename(
            columns={
                "file": "File",
                "column": "Column",
                "value": "Value not recognised",
                "action": "Action",
            }
        )
        items.append(
            display.table(
                shown.astype(str),
                caption="Values not recognised in organisational columns",
                notes="Pay bands, staff groups and other organisational values only; "
                "unrecognised values of equality columns, ids and pay are never shown.",
            )
        )
    ignored = [
        f"'{i['header']}' ({r['file']})"
        + (f", which may be {i['suggest']}" if i.get("suggest") else "")
        for r in records
        for i in r.get("ignored", [])
    ]
    if ignored:
        items.append(
            display.md(
                "**Input columns not used:** " + "; ".join(ignored[:40]) + ". Columns not "
                "in the data contract are ignored."
            )
        )
    hourly = intake_audit.hourly_rate_line(intake_audit.read_hourly_check(report.ctx.processed))
    if hourly:
        items.append(display.md(hourly))
    return items


def _count_text(report: Report, counts: pd.Series) -> list[str]:
    """Counts of rows by reason, under the same rule as any count below organisation
    level (a reason such as "age over 80" describes people): 1-7 shown as *."""
    rounded = disclosure.round_counts(counts, report.ctx.settings)
    return [report.symbol if pd.isna(r) else f"{int(r):,}" for r in rounded]


def build(report: Report) -> Section:
    """Reconciliation, quarantine counts by reason and the data-quality checks."""
    items: list[Any] = [
        display.heading("Data quality appendix", level=2, anchor="data-quality"),
    ]
    if report.reconciliation is not None and not report.reconciliation.empty:
        recon = report.reconciliation.rename(
            columns={
                "file": "File",
                "rows_in": "Rows in",
                "rows_used": "Rows used",
                "rows_rejected": "Rows set aside",
                "values_set_unknown": "Values set to unknown",
            }
        )
        # Rows in, used and set aside are organisation-level counts of records, and rows
        # are set aside for impossible values (pay, hours, ids), never for a protected
        # characteristic: they are exact, so the reconciliation adds up. Values set to
        # unknown are about characteristics (an unrecognised ethnic code, sex or age), so
        # they follow the count rule here and below, and cannot be worked out by
        # difference from the exact columns (methodology §6.2).
        recon["Values set to unknown"] = _count_text(report, recon["Values set to unknown"])
        items.append(
            display.table(
                recon.astype(str),
                caption="Every input row is used or set aside with a reason",
                notes="Rows in = rows used + rows set aside, for every file. Values set to "
                "unknown stay in the figures as unknown; their counts are rounded to the "
                f"nearest {report.ctx.settings.disclosure.round_base}, with 1 to "
                f"{report.ctx.settings.disclosure.suppress_max} shown as "
                f"{_md_escape(report.symbol)}, like every count about people in this report.",
            )
        )
    if report.quarantine is not None and not report.quarantine.empty:
        reasons = (
            report.quarantine.groupby(["file", "column", "reason", "action"], dropna=False)
            .size()
            .rename("Rows")
            .reset_index()
            .assign(Rows=lambda f: _reason_counts(report, f))
            .rename(
                columns={
                    "file": "File",
                    "column": "Column",
                    "reason": "Reason",
                    "action": "Action",
                }
            )
        )
        items.append(
            display.table(
                reasons.astype(str),
                caption="Rows set aside or values set to unknown, by reason",
            )
        )
    items.extend(input_audit_items(report))
    if report.validation is not None:
        summary = report.validation.summary_frame()
        failed = summary[summary["result"] != "passed"].copy()
        if "rows_affected" in failed:
            failed["rows_affected"] = _count_text(report, failed["rows_affected"])
        if failed.empty:
            items.append(display.md(f"All {len(summary)} data-quality checks passed."))
        else:
            items.append(
                display.table(
                    failed.astype(str), caption="Data-quality warnings (the build continued)"
                )
            )
    if not report.listed:
        items.append(
            display.callout(
                f"{_md_escape(report.ctx.org)} has no line in `organisations.csv`, so this "
                "report is titled with the bare code and shows no organisation type or "
                "region (no regional benchmark). Add the line "
                "`org_code,name,type,region` and build again.",
                kind="warning",
            )
        )
    if report.warnings:
        items.append(
            display.md(
                "**Figures that could not be calculated:**\n\n"
                + "\n".join(f"- {w}" for w in report.warnings[:40])
            )
        )
    return Section(items)
