"""Charts of published figures (Altair / Vega-Lite), in one accessible house style.

- Colour-blind-safe palette (Okabe-Ito, reordered so the first colours keep at least 3:1
  contrast with white, WCAG 1.4.11), and colour is never the only cue: every bar carries
  its value as a direct label, trend lines are dashed and marked
  differently, and segments of stacked bars carry their group and share.
- Readable fonts (13 px labels, 15 px titles), a light grid, no chart border.
- Width ``"container"``: the chart fills its column on the page (a fixed width is used when
  it is drawn as SVG for the PDF, see :func:`edi_reports.report.display.spec_to_svg`).

Every function takes a DataFrame of already-published numbers (numeric columns parsed from
the published strings by the caller; suppressed ``*`` rows dropped and noted by the caller)
and embeds only the columns it draws, so the page carries no other data (architecture §3).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd

if TYPE_CHECKING:  # imported where a chart is built: the report's own charts need no Altair
    import altair as alt

__all__ = [
    "NHS_BLUE",
    "PALETTE",
    "TEXT",
    "bar_chart",
    "gap_chart",
    "gap_domain",
    "house_config",
    "stacked_share_chart",
    "trend_chart",
]

#: NHS blue (5.6:1 on white) and the body text colour of the report pages.
NHS_BLUE = "#005EB8"
TEXT = "#212B32"
GRID = "#D8DDE0"

#: Okabe-Ito, ordered darkest first: blue, vermilion, bluish green, reddish purple, then
#: the light ones (orange, sky blue, yellow), which appear only with many groups.
PALETTE = [
    "#0072B2",
    "#D55E00",
    "#009E73",
    "#CC79A7",
    "#E69F00",
    "#56B4E9",
    "#F0E442",
    "#000000",
]
#: Text colour readable (4.5:1 or more) on each palette colour.
_ON_PALETTE = [
    "#FFFFFF",
    "#000000",
    "#000000",
    "#000000",
    "#000000",
    "#000000",
    "#000000",
    "#FFFFFF",
]
_DASHES = [[1, 0], [6, 3], [2, 2], [8, 3, 2, 3], [4, 4], [1, 3], [10, 2], [3, 6]]
_FONT = "Arial, Liberation Sans, Helvetica, sans-serif"


def house_config() -> dict[str, Any]:
    """The shared Vega-Lite ``config``: fonts, sizes, colours, no view border."""
    return {
        "font": _FONT,
        "background": "white",
        "view": {"stroke": None},
        "title": {"fontSize": 15, "fontWeight": "bold", "color": TEXT, "anchor": "start"},
        "axis": {
            "labelFontSize": 14,
            "titleFontSize": 14,
            "labelColor": TEXT,
            "titleColor": TEXT,
            "gridColor": GRID,
            "domainColor": "#768692",
            "tickColor": "#768692",
            "labelLimit": 260,
        },
        "legend": {
            "labelFontSize": 13,
            "titleFontSize": 13,
            "labelColor": TEXT,
            "titleColor": TEXT,
            "orient": "top",
            "direction": "horizontal",
        },
        "range": {"category": PALETTE},
        "bar": {"stroke": TEXT, "strokeWidth": 0.5},
        "text": {"fontSize": 14, "color": TEXT},
    }


def _finish(chart: alt.TopLevelMixin, title: str, height: int) -> alt.TopLevelMixin:
    """Apply title, responsive width and the house config to a top-level chart."""
    return (
        chart.properties(title=title, width="container", height=height)
        .configure(**house_config())
        .configure_range(category=PALETTE)
    )


def _used(table: pd.DataFrame, columns: list[str | None]) -> pd.DataFrame:
    """Only the columns a chart draws (so nothing else is embedded in the page)."""
    keep = list(dict.fromkeys(c for c in columns if c is not None))
    missing = [c for c in keep if c not in table.columns]
    if missing:
        raise KeyError(f"columns not in the table: {missing}")
    return table.loc[:, keep].reset_index(drop=True)


def _label_expr(value: str, value_format: str, unit_label: str) -> str:
    """A Vega expression formatting ``datum[value]`` with its unit."""
    return f"format(datum[{value!r}], {value_format!r}) + {unit_label!r}"


def _color_scales(groups: list[str]) -> tuple[alt.Scale, alt.Scale]:
    """Fill colours and readable text colours for an ordered list of groups."""
    import altair as alt

    n = len(groups)
    fills = [PALETTE[i % len(PALETTE)] for i in range(n)]
    texts = [_ON_PALETTE[i % len(PALETTE)] for i in range(n)]
    return alt.Scale(domain=groups, range=fills), alt.Scale(domain=groups, range=texts)


def bar_chart(
    table: pd.DataFrame,
    *,
    category: str,
    value: str,
    title: str,
    color: str | None = None,
    value_format: str = ".1f",
    unit_label: str = "%",
) -> alt.TopLevelMixin:
    """Horizontal bars, one per category, each labelled with its value.

    Parameters
    ----------
    table
        Published figures, one row per bar (per category and colour group).
    category
        Column of bar labels (y axis, kept in table order).
    value
        Numeric column (x axis).
    title
        Chart title.
    color
        Optional column of groups: bars are then grouped (one row of bars per group
        within each category) and coloured, with a legend; otherwise NHS blue.
    value_format
        d3 format of the value labels.
    unit_label
        Appended to value labels (``"%"``, ``" pp"``, ``""``).

    Returns
    -------
    altair chart
    """
    import altair as alt

    data = _used(table, [category, value, color])
    order = list(dict.fromkeys(data[category].astype(str)))
    y = alt.Y(f"{category}:N", sort=order, title=None)
    x = alt.X(f"{value}:Q", title=None, axis=alt.Axis(grid=True, tickCount=5))
    base = alt.Chart().encode(y=y, x=x)
    if color is None:
        bars = base.mark_bar(color=NHS_BLUE)
        n_rows = len(order)
        extra: dict[str, Any] = {}
    else:
        groups = list(dict.fromkeys(data[color].astype(str)))
        fills, _ = _color_scales(groups)
        bars = base.mark_bar().encode(
            color=alt.Color(f"{color}:N", scale=fills, title=None, sort=groups),
        )
        n_rows = len(order) * len(groups)
        extra = {"yOffset": alt.YOffset(f"{color}:N", sort=groups)}
    bars = bars.encode(tooltip=[category, value] + ([color] if color else []), **extra)
    text = (
        base.mark_text(align="left", baseline="middle", dx=4)
        .transform_calculate(_label=_label_expr(value, value_format, unit_label))
        .encode(text=alt.Text("_label:N"), **extra)
    )
    height = max(60, 26 * n_rows)
    return _finish(alt.layer(bars, text, data=data), title, height)


def stacked_share_chart(
    table: pd.DataFrame,
    *,
    category: str,
    group: str,
    value: str,
    title: str,
    order: list[str] | None = None,
) -> alt.TopLevelMixin:
    """100 % stacked bars: the composition of each category (e.g. pay quarters by sex).

    Segments carry their group and share as text when wide enough, are separated by a
    white line, and follow a fixed order with the legend, so colour is not the only cue.

    Parameters
    ----------
    table
        Published shares, one row per category and group.
    category
        Column of bars (y axis, table order), e.g. the pay quarter.
    group
        Column of segments, e.g. sex.
    value
        Numeric share column (percent of the category).
    title
        Chart title.
    order
        Order of the groups (default: order of first appearance).

    Returns
    -------
    altair chart
    """
    import altair as alt

    data = _used(table, [category, group, value])
    cats = list(dict.fromkeys(data[category].astype(str)))
    groups = order or list(dict.fromkeys(data[group].astype(str)))
    fills, inks = _color_scales(groups)
    rank = "{" + ",".join(f"{g!r}:{i}" for i, g in enumerate(groups)) + "}"
    base = alt.Chart().transform_calculate(_order=f"{rank}[datum[{group!r}]]")
    y = alt.Y(f"{category}:N", sort=cats, title=None)
    x = alt.X(
        f"{value}:Q",
        stack="normalize",
        title=None,
        axis=alt.Axis(format="%", tickCount=5, grid=True),
    )
    bars = base.mark_bar(stroke="white", strokeWidth=1.5).encode(
        y=y,
        x=x,
        color=alt.Color(f"{group}:N", scale=fills, sort=groups, title=None),
        order=alt.Order("_order:Q"),
        tooltip=[category, group, value],
    )
    # a segment is labelled only as far as its label fits: "Women 78.7%", else "79%", else
    # nothing (the legend order, the axis and the data table still tell); ``width`` is the
    # plot's width in pixels, so labels follow the page width (about 7 px per character)
    share = f"datum[{value!r}]"
    long_label = f"datum[{group!r}] + ' ' + format({share}, '.1f') + '%'"
    room = f"({share} / 100 * width)"
    text = (
        base.transform_calculate(
            _label=(
                f"{room} >= 7 * length({long_label}) + 8 ? {long_label} : "
                f"({room} >= 36 ? format({share}, '.0f') + '%' : '')"
            )
        )
        .mark_text(baseline="middle", fontSize=12)
        .encode(
            y=y,
            x=alt.X(f"{value}:Q", stack="normalize", bandPosition=0.5, title=None),
            detail=alt.Detail(f"{group}:N"),
            order=alt.Order("_order:Q"),
            text=alt.Text("_label:N"),
            color=alt.Color(f"{group}:N", scale=inks, legend=None),
        )
    )
    layered = alt.layer(bars, text, data=data).resolve_scale(color="independent")
    return _finish(layered, title, max(80, 38 * len(cats)))


def gap_chart(
    table: pd.DataFrame,
    *,
    group: str,
    value: str,
    title: str,
) -> alt.TopLevelMixin:
    """Diverging bars around 0 (pay gaps), each labelled with its signed value.

    Positive gaps (the comparison group paid less) point right in NHS blue, negative ones
    point left in vermilion; the sign is also in the label, so colour is not needed.

    Parameters
    ----------
    table
        Published gaps, one row per group.
    group
        Column of group labels (y axis, table order).
    value
        Numeric gap column, in percent.
    title
        Chart title.

    Returns
    -------
    altair chart
    """
    import altair as alt

    data = _used(table, [group, value])
    order = list(dict.fromkeys(data[group].astype(str)))
    y = alt.Y(f"{group}:N", sort=order, title=None, axis=alt.Axis(labelPadding=6))
    x = alt.X(
        f"{value}:Q",
        title="Gap (%)",
        axis=alt.Axis(grid=True, tickCount=6),
        scale=alt.Scale(domain=gap_domain(pd.to_numeric(data[value], errors="coerce"))),
    )
    base = alt.Chart().encode(y=y, x=x)
    bars = base.mark_bar().encode(
        color=alt.condition(f"datum[{value!r}] >= 0", alt.value(NHS_BLUE), alt.value(PALETTE[1])),
        tooltip=[group, value],
    )
    label = f"(datum[{value!r}] > 0 ? '+' : '') + format(datum[{value!r}], '.1f') + '%'"
    labelled = base.transform_calculate(_label=label)
    layers = [bars]
    values = pd.to_numeric(data[value], errors="coerce")
    if (values >= 0).any():  # a label layer with no data makes Vega warn (infinite extent)
        layers.append(
            labelled.transform_filter(f"datum[{value!r}] >= 0")
            .mark_text(baseline="middle", align="left", dx=4)
            .encode(text=alt.Text("_label:N"))
        )
    if (values < 0).any():
        layers.append(
            labelled.transform_filter(f"datum[{value!r}] < 0")
            .mark_text(baseline="middle", align="right", dx=-4)
            .encode(text=alt.Text("_label:N"))
        )
    # the zero line is decorative: aria=False keeps it out of the SVG's accessibility tree
    zero = alt.Chart().mark_rule(color=TEXT, strokeWidth=1.5, aria=False).encode(x=alt.datum(0))
    layers.append(zero)
    return _finish(alt.layer(*layers, data=data), title, max(60, 30 * len(order)))


def gap_domain(values: pd.Series, room: float = 0.3) -> list[float]:
    """The x range of a gap chart: 0 and every bar, plus room beyond the longest bar on
    each side that has bars, so a bar's value label never lands on the group names or
    outside the chart.

    Parameters
    ----------
    values
        The gaps drawn (NaN ignored).
    room
        Extra range on a side with bars, as a share of the whole span.

    Returns
    -------
    list of float
        ``[low, high]``, low at most 0 and high at least 0.
    """
    v = values.dropna()
    low = min(0.0, float(v.min())) if len(v) else 0.0
    high = max(0.0, float(v.max())) if len(v) else 0.0
    span = (high - low) or 1.0
    if (v < 0).any():
        low -= room * span
    if (v >= 0).any():
        high += room * span
    return [round(low, 3), round(high, 3)]


def trend_chart(
    table: pd.DataFrame,
    *,
    year: str,
    value: str,
    series: str,
    title: str,
) -> alt.TopLevelMixin:
    """Lines over years, one per series, with points and a legend of line styles.

    Each series has its own colour, dash pattern and point shape, named in a one-column
    legend above the plot (the values are in the figure's finding and its data table).

    Parameters
    ----------
    table
        Published figures, one row per year and series.
    year
        Column of year labels (e.g. ``"2023/24"``), in table order on the x axis.
    value
        Numeric column (y axis).
    series
        Column naming the line (e.g. the measure or the group).
    title
        Chart title.

    Returns
    -------
    altair chart
    """
    import altair as alt

    data = _used(table, [year, value, series])
    years = list(dict.fromkeys(data[year].astype(str)))
    names = list(dict.fromkeys(data[series].astype(str)))
    fills, _ = _color_scales(names)
    dashes = alt.Scale(domain=names, range=[_DASHES[i % len(_DASHES)] for i in range(len(names))])
    x = alt.X(f"{year}:O", sort=years, title=None, axis=alt.Axis(labelAngle=0))
    y = alt.Y(f"{value}:Q", title=None, axis=alt.Axis(grid=True, tickCount=5))
    # one legend row per line (colour and dash pattern), above the plot, so close lines never
    # make labels collide and long names are never cut off
    legend = alt.Legend(
        orient="top",
        direction="vertical",
        columns=1,
        symbolType="stroke",
        symbolStrokeWidth=2.5,
        symbolSize=400,
        labelLimit=0,
    )
    color = alt.Color(f"{series}:N", scale=fills, sort=names, title=None, legend=legend)
    base = alt.Chart().encode(x=x, y=y, color=color)
    lines = base.mark_line(strokeWidth=2.5).encode(
        strokeDash=alt.StrokeDash(f"{series}:N", scale=dashes, sort=names, legend=legend)
    )
    points = base.mark_point(filled=True, size=60).encode(
        shape=alt.Shape(f"{series}:N", sort=names, legend=None), tooltip=[year, series, value]
    )
    return _finish(alt.layer(lines, points, data=data), title, 240)
