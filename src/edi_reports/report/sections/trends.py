"""The trends section: the catalogue's trend figures across every year built."""

from __future__ import annotations

from typing import Any

import pandas as pd

from edi_reports.config import financial_year_label
from edi_reports.report import display, sections_2026, vegalite
from edi_reports.report.core import Report, Section


def build(report: Report) -> Section:
    """The headline figures across every year built: published values."""
    from edi_reports.report.trends import TREND, trend_rows

    items: list[Any] = [display.heading("Trends", level=2, anchor="trends")]
    years = {financial_year_label(y): f for y, f in sorted(report.history.items())}
    years[report.year_label] = report.published
    if len(years) < 2:
        items.append(
            display.callout(
                "Trends over time are shown once an earlier year has been built for this "
                "organisation."
            )
        )
        return Section(items)
    long = trend_rows(years, TREND, report.symbol)
    order = [i.label for i in TREND if i.label in set(long["Indicator"])]
    table = (
        long.pivot(index="Indicator", columns="Year", values="Shown")
        .reindex(index=order, columns=list(years))
        .fillna("not available")
        .reset_index()
    )
    table = sections_2026.add_change_column(report, table, {i.label: i for i in TREND})
    items.append(
        display.md(
            f"The headline figures in each of the {len(years)} years built, as published "
            "each year (rounded, with small groups suppressed). Pay gaps are better closer "
            "to 0; relative likelihoods are better closer to 1.00 (parity)."
        )
    )
    for unit, title, axis in (
        ("%", "Pay gaps across years", "Gap (%)"),
        ("", "WRES relative likelihoods across years", "Relative likelihood"),
    ):
        part = long[(long["unit"] == unit) & long["Value"].notna()]
        if part["Year"].nunique() < 2:
            continue
        data = part.rename(columns={"Value": axis})[["Year", "Indicator", axis]]
        chart = vegalite.trend(data, year="Year", value=axis, series="Indicator", title=title)
        shown = table[table["Indicator"].isin(set(part["Indicator"]))]
        items.append(
            display.chart(
                chart,
                alt=_trend_sentence(part, list(years)),
                caption=title,
                data=shown,
                data_caption=f"{title} (published figures)",
            )
        )
    items.append(
        display.table(
            table,
            caption=f"Headline figures by year, {next(iter(years))} to {report.year_label}",
            notes=report.suppressed_note,
        )
    )
    return Section(items)


def _trend_sentence(part: pd.DataFrame, years: list[str]) -> str:
    """The finding of a trend chart in words: each line's first and last published value."""
    bits = []
    for name, rows in part.groupby("Indicator", sort=False):
        rows = rows.sort_values("Year", key=lambda y: y.map(years.index))
        first, last = rows.iloc[0], rows.iloc[-1]
        bits.append(
            f"{name}: {first['Shown']} in {first['Year']}, {last['Shown']} in {last['Year']}"
        )
    return "; ".join(bits) + "."
