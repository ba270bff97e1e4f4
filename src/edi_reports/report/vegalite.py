"""The report's charts as Vega-Lite specifications, written directly as dicts.

:mod:`edi_reports.report.charts` defines the house charts with Altair. Building those
Altair objects and turning them into specifications cost about a third of a CPU second per
report (Altair wraps and copies every part several times), and importing Altair half a
second more in each new kernel. The report's own sections need only the specification, so
this module writes it: the same dict, key for key and in the same order, as
``charts.<function>(...).to_dict(validate=False)`` (Altair 6, default theme). The page's
JSON, the SVG drawn from it and the chart ids are therefore byte-identical.

Altair stays the definition of the charts: ``tests/report/test_vegalite.py`` compares every
function here with its Altair counterpart, byte for byte, over table-driven and generated
inputs, and fails when either changes without the other. A table this module does not
expect (a column of dates, categories or mixed objects; a column name that Altair would
read as shorthand, such as ``"sum(x)"`` or ``"a:N"``) is handed to the Altair function
instead, so the result is always Altair's.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections.abc import Callable
from typing import Any

import pandas as pd

from edi_reports.report import charts

__all__ = ["SCHEMA_URL", "bar", "diverging", "gap", "stacked_share", "trend"]

#: Altair 6's Vega-Lite schema (``altair.SCHEMA_URL``); the equivalence test checks it.
SCHEMA_URL = "https://vega.github.io/schema/vega-lite/v6.4.1.json"
#: Altair's default theme: a 300 x 300 view, merged under the chart's own config.
_THEME_VIEW = {"continuousWidth": 300, "continuousHeight": 300}
#: Column names Altair's shorthand parser reads as more than a field name.
_SHORTHAND = re.compile(r"[:\\]|\A\w+\(.*\)\Z", re.S)


class _Unexpected(Exception):
    """The table is not one this module writes specifications for (use Altair)."""


def _column(values: pd.Series) -> tuple[list[Any], str]:
    """A column's values as Altair's data transformer writes them, and its inferred type.

    Text columns keep their strings and are ``nominal`` (a missing label is left to
    Altair);
    float columns give Python floats (NaN and infinities become None) and integer columns
    Python ints, both ``quantitative``
    (``altair.utils.core.sanitize_pandas_dataframe`` and ``parse_shorthand``).
    """
    kind, name = values.dtype.kind, str(values.dtype)  # numpy dtypes only: "Int64" is not
    items = values.tolist()
    if name == "float64":
        return [None if math.isnan(v) or math.isinf(v) else float(v) for v in items], (
            "quantitative"
        )
    if kind in ("i", "u") and name.startswith(("int", "uint")):
        return [int(v) for v in items], "quantitative"
    if name in ("str", "string", "object") and all(isinstance(v, str) for v in items):
        return items, "nominal"
    raise _Unexpected(name)


def _data(table: pd.DataFrame, columns: list[str | None]) -> tuple[pd.DataFrame, list, dict]:
    """The columns a chart draws (:func:`charts._used`), their records and their types."""
    data = charts._used(table, columns)
    if data.empty or any(not isinstance(c, str) or _SHORTHAND.search(c) for c in data.columns):
        raise _Unexpected("table")
    names = list(data.columns)
    parsed = [_column(data[c]) for c in names]
    types = {c: t for c, (_, t) in zip(names, parsed, strict=True)}
    values = [
        dict(zip(names, row, strict=True)) for row in zip(*(v for v, _ in parsed), strict=True)
    ]
    return data, values, types


def _top(
    layers: list[dict[str, Any]],
    values: list[dict[str, Any]],
    title: str,
    height: int,
    resolve: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The top-level layer chart (:func:`charts._finish` after ``alt.layer(..., data=)``)."""
    # Altair names an inline dataset by a hash of its JSON (``api._dataset_name``)
    name = (
        "data-"
        + (
            hashlib.sha256(json.dumps(values, sort_keys=True, default=str).encode()).hexdigest()[
                :32
            ]
        )
    )
    house = charts.house_config()
    house["range"] = {"category": list(charts.PALETTE)}  # configure_range
    config: dict[str, Any] = {"view": {**_THEME_VIEW, **house.pop("view")}}
    config.update(sorted(house.items()))
    # layers share channel dicts while being written; the result shares nothing
    layers = json.loads(json.dumps(layers))
    spec: dict[str, Any] = {"config": config, "layer": layers, "data": {"name": name}}
    spec["height"] = height
    if resolve is not None:
        spec["resolve"] = resolve
    spec.update({"title": title, "width": "container", "$schema": SCHEMA_URL})
    spec["datasets"] = {name: values}
    return spec


def _field(name: str, kind: str, **extra: Any) -> dict[str, Any]:
    """An encoding channel: its properties in Altair's (alphabetical) order."""
    return dict(sorted({"field": name, "type": kind, **extra}.items()))


def _tooltip(types: dict[str, str], names: list[str]) -> list[dict[str, str]]:
    return [{"field": n, "type": types[n]} for n in names]


def _scale(domain: list[Any], values: list[Any]) -> dict[str, Any]:
    return {"domain": list(domain), "range": values}


def _fills(groups: list[str]) -> tuple[list[str], list[str]]:
    """Fill colours and readable text colours of groups (:func:`charts._color_scales`)."""
    n, size = len(groups), len(charts.PALETTE)
    return (
        [charts.PALETTE[i % size] for i in range(n)],
        [charts._ON_PALETTE[i % size] for i in range(n)],
    )


def _or_altair(build: Callable[[], dict[str, Any]], altair: Callable[[], Any]) -> dict[str, Any]:
    """The specification written here, or Altair's for a table this module does not expect."""
    try:
        return build()
    except _Unexpected:
        return altair().to_dict(validate=False)


def bar(
    table: pd.DataFrame,
    *,
    category: str,
    value: str,
    title: str,
    color: str | None = None,
    value_format: str = ".1f",
    unit_label: str = "%",
) -> dict[str, Any]:
    """The specification of :func:`charts.bar_chart` (same parameters)."""
    kwargs = dict(
        category=category,
        value=value,
        title=title,
        color=color,
        value_format=value_format,
        unit_label=unit_label,
    )

    def build() -> dict[str, Any]:
        data, values, types = _data(table, [category, value, color])
        order = list(dict.fromkeys(data[category].astype(str)))
        y = _field(category, "nominal", sort=order, title=None)
        x = _field(value, "quantitative", axis={"grid": True, "tickCount": 5}, title=None)
        tips = [category, value] + ([color] if color else [])
        extra: dict[str, Any] = {}
        if color is None:
            mark: dict[str, Any] = {"type": "bar", "color": charts.NHS_BLUE}
            enc: dict[str, Any] = {}
            n_rows = len(order)
        else:
            groups = list(dict.fromkeys(data[color].astype(str)))
            mark = {"type": "bar"}
            fills, _ = _fills(groups)
            enc = {
                "color": _field(
                    color, "nominal", scale=_scale(groups, fills), sort=groups, title=None
                )
            }
            n_rows = len(order) * len(groups)
            extra = {"yOffset": _field(color, "nominal", sort=groups)}
        bars = {
            "mark": mark,
            "encoding": {**enc, "tooltip": _tooltip(types, tips), "x": x, "y": y, **extra},
        }
        text = {
            "mark": {"type": "text", "align": "left", "baseline": "middle", "dx": 4},
            "encoding": {"text": _field("_label", "nominal"), "x": x, "y": y, **extra},
            "transform": [
                {"calculate": charts._label_expr(value, value_format, unit_label), "as": "_label"}
            ],
        }
        return _top([bars, text], values, title, max(60, 26 * n_rows))

    return _or_altair(build, lambda: charts.bar_chart(table, **kwargs))


def stacked_share(
    table: pd.DataFrame,
    *,
    category: str,
    group: str,
    value: str,
    title: str,
    order: list[str] | None = None,
) -> dict[str, Any]:
    """The specification of :func:`charts.stacked_share_chart` (same parameters)."""

    def build() -> dict[str, Any]:
        data, values, types = _data(table, [category, group, value])
        cats = list(dict.fromkeys(data[category].astype(str)))
        groups = order or list(dict.fromkeys(data[group].astype(str)))
        fills, inks = _fills(groups)
        rank = "{" + ",".join(f"{g!r}:{i}" for i, g in enumerate(groups)) + "}"
        ranked = {"calculate": f"{rank}[datum[{group!r}]]", "as": "_order"}
        y = _field(category, "nominal", sort=cats, title=None)
        sequence = _field("_order", "quantitative")
        bars = {
            "mark": {"type": "bar", "stroke": "white", "strokeWidth": 1.5},
            "encoding": {
                "color": _field(
                    group, "nominal", scale=_scale(groups, fills), sort=groups, title=None
                ),
                "order": sequence,
                "tooltip": _tooltip(types, [category, group, value]),
                "x": _field(
                    value,
                    "quantitative",
                    axis={"format": "%", "grid": True, "tickCount": 5},
                    stack="normalize",
                    title=None,
                ),
                "y": y,
            },
            "transform": [ranked],
        }
        share = f"datum[{value!r}]"
        long_label = f"datum[{group!r}] + ' ' + format({share}, '.1f') + '%'"
        room = f"({share} / 100 * width)"
        label = (
            f"{room} >= 7 * length({long_label}) + 8 ? {long_label} : "
            f"({room} >= 36 ? format({share}, '.0f') + '%' : '')"
        )
        text = {
            "mark": {"type": "text", "baseline": "middle", "fontSize": 12},
            "encoding": {
                "color": _field(group, "nominal", legend=None, scale=_scale(groups, inks)),
                "detail": _field(group, "nominal"),
                "order": sequence,
                "text": _field("_label", "nominal"),
                "x": _field(value, "quantitative", bandPosition=0.5, stack="normalize", title=None),
                "y": y,
            },
            "transform": [ranked, {"calculate": label, "as": "_label"}],
        }
        resolve = {"scale": {"color": "independent"}}
        return _top([bars, text], values, title, max(80, 38 * len(cats)), resolve)

    return _or_altair(
        build,
        lambda: charts.stacked_share_chart(
            table, category=category, group=group, value=value, title=title, order=order
        ),
    )


def gap(table: pd.DataFrame, *, group: str, value: str, title: str) -> dict[str, Any]:
    """The specification of :func:`charts.gap_chart` (same parameters)."""

    def build() -> dict[str, Any]:
        data, values, types = _data(table, [group, value])
        order = list(dict.fromkeys(data[group].astype(str)))
        numbers = pd.to_numeric(data[value], errors="coerce")
        y = _field(group, "nominal", axis={"labelPadding": 6}, sort=order, title=None)
        x = _field(
            value,
            "quantitative",
            axis={"grid": True, "tickCount": 6},
            scale={"domain": charts.gap_domain(numbers)},
            title="Gap (%)",
        )
        test = f"datum[{value!r}] >= 0"
        bars = {
            "mark": {"type": "bar"},
            "encoding": {
                "color": {
                    "condition": {"test": test, "value": charts.NHS_BLUE},
                    "value": charts.PALETTE[1],
                },
                "tooltip": _tooltip(types, [group, value]),
                "x": x,
                "y": y,
            },
        }
        label = f"(datum[{value!r}] > 0 ? '+' : '') + format(datum[{value!r}], '.1f') + '%'"
        layers = [bars]
        for keep, side, align, dx in (
            (numbers >= 0, ">=", "left", 4),
            (numbers < 0, "<", "right", -4),
        ):
            if keep.any():  # a label layer with no data makes Vega warn (infinite extent)
                layers.append(
                    {
                        "mark": {"type": "text", "align": align, "baseline": "middle", "dx": dx},
                        "encoding": {"text": _field("_label", "nominal"), "x": x, "y": y},
                        "transform": [
                            {"calculate": label, "as": "_label"},
                            {"filter": f"datum[{value!r}] {side} 0"},
                        ],
                    }
                )
        zero = {"type": "rule", "aria": False, "color": charts.TEXT, "strokeWidth": 1.5}
        layers.append({"mark": zero, "encoding": {"x": {"datum": 0}}})
        return _top(layers, values, title, max(60, 30 * len(order)))

    return _or_altair(build, lambda: charts.gap_chart(table, group=group, value=value, title=title))


def trend(table: pd.DataFrame, *, year: str, value: str, series: str, title: str) -> dict[str, Any]:
    """The specification of :func:`charts.trend_chart` (same parameters)."""

    def build() -> dict[str, Any]:
        data, values, types = _data(table, [year, value, series])
        years = list(dict.fromkeys(data[year].astype(str)))
        names = list(dict.fromkeys(data[series].astype(str)))
        fills, _ = _fills(names)
        size = len(charts._DASHES)
        dashes = [list(charts._DASHES[i % size]) for i in range(len(names))]
        legend = {
            "columns": 1,
            "direction": "vertical",
            "labelLimit": 0,
            "orient": "top",
            "symbolSize": 400,
            "symbolStrokeWidth": 2.5,
            "symbolType": "stroke",
        }
        color = _field(
            series, "nominal", legend=legend, scale=_scale(names, fills), sort=names, title=None
        )
        x = _field(year, "ordinal", axis={"labelAngle": 0}, sort=years, title=None)
        y = _field(value, "quantitative", axis={"grid": True, "tickCount": 5}, title=None)
        lines = {
            "mark": {"type": "line", "strokeWidth": 2.5},
            "encoding": {
                "color": color,
                "strokeDash": _field(
                    series, "nominal", legend=dict(legend), scale=_scale(names, dashes), sort=names
                ),
                "x": x,
                "y": y,
            },
        }
        points = {
            "mark": {"type": "point", "filled": True, "size": 60},
            "encoding": {
                "color": color,
                "shape": _field(series, "nominal", legend=None, sort=names),
                "tooltip": _tooltip(types, [year, series, value]),
                "x": x,
                "y": y,
            },
        }
        return _top([lines, points], values, title, 240)

    return _or_altair(
        build,
        lambda: charts.trend_chart(table, year=year, value=value, series=series, title=title),
    )


def diverging(table: pd.DataFrame, title: str) -> dict[str, Any]:
    """The specification of :func:`edi_reports.report.sections_2026.diverging_bars`."""

    def build() -> dict[str, Any]:
        data, values, types = _data(table, ["Pay band", "Part", "Percentage points"])
        bands = list(dict.fromkeys(data["Pay band"].astype(str)))
        parts = list(dict.fromkeys(data["Part"].astype(str)))
        fills, _ = _fills(parts)
        y = _field("Pay band", "nominal", sort=bands, title=None)
        x = _field(
            "Percentage points",
            "quantitative",
            axis={"grid": True, "tickCount": 5},
            title="Percentage points of the mean gap",
        )
        offset = _field("Part", "nominal", sort=parts)
        bars = {
            "mark": {"type": "bar"},
            "encoding": {
                "color": _field(
                    "Part", "nominal", scale=_scale(parts, fills), sort=parts, title=None
                ),
                "tooltip": _tooltip(types, ["Pay band", "Part", "Percentage points"]),
                "x": x,
                "y": y,
                "yOffset": offset,
            },
        }
        label = charts._label_expr("Percentage points", "+.1f", " pp")
        layers = [bars]
        for side, align, dx in ((">=", "left", 4), ("<", "right", -4)):
            layers.append(
                {
                    "mark": {"type": "text", "align": align, "baseline": "middle", "dx": dx},
                    "encoding": {
                        "text": _field("_label", "nominal"),
                        "x": x,
                        "y": y,
                        "yOffset": offset,
                    },
                    "transform": [
                        {"filter": f"datum['Percentage points'] {side} 0"},
                        {"calculate": label, "as": "_label"},
                    ],
                }
            )
        return _top(layers, values, title, max(60, 26 * len(bands) * len(parts)))

    def altair() -> Any:
        from edi_reports.report.sections_2026 import diverging_bars

        return diverging_bars(table, title)

    return _or_altair(build, altair)
