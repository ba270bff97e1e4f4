"""Accessible display objects for report notebooks.

Each helper returns a :class:`Display`, an object with ``_repr_mimebundle_`` so that the
executed notebook carries two renderings of every output:

- ``text/html`` for the web page (accessible markup: captions, header scopes, landmarks are
  added by :mod:`edi_reports.rendering.offline`);
- ``text/markdown`` (and ``image/svg+xml`` for charts) for the PDF path, which goes through
  pandoc and Typst.

Report notebooks call only these helpers and never display row-level data. Tables are shown
exactly as given: the caller passes published strings, already rounded and suppressed by
disclosure control (methodology §6).
"""

from __future__ import annotations

import contextlib
import copy
import functools
import hashlib
import html
import json
import re
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import Any

import mistune
import pandas as pd

from edi_reports.report.drawing import spec_to_svg, svg_width

__all__ = [
    "Display",
    "callout",
    "chart",
    "chart_spec",
    "heading",
    "md",
    "slugify",
    "svg_width",
    "table",
]

#: Values accepted in a numeric column besides numbers: suppressed, not calculable, blank.
_NUMERIC_PLACEHOLDERS = {
    "",
    "*",
    "-",
    "–",
    "—",
    "n/a",
    "N/A",
    "..",
    "x",
    "[c]",
    "[z]",
    "not calculable",
    "not available",
}
_NUMBER_RE = re.compile(r"^[+\-−]?[£$]?\d[\d,]*(\.\d+)?\s?(%|pp|p)?$")
#: Pandoc's default line width: a pipe table with a longer row wraps, sized by its dashes.
_PANDOC_COLUMNS = 72
#: About how many characters of 8.5 pt table text fit across an A4 page (report.typ).
_PDF_LINE_CHARS = 90
_CALLOUT_KINDS = {"note": "Note", "warning": "Warning", "important": "Important", "tip": "Tip"}


@dataclass
class Display:
    """A notebook output carrying several renderings of the same content.

    Parameters
    ----------
    html
        The ``text/html`` rendering (a fragment, no page chrome).
    markdown
        The ``text/markdown`` rendering, in pandoc's markdown, for the PDF path.
    plain
        A plain-text rendering (``text/plain``).
    svg
        An optional ``image/svg+xml`` rendering (charts).
    metadata
        Output metadata; ``{"edi": {...}}`` tells the renderer what the output is.
    """

    html: str
    markdown: str
    plain: str
    svg: str | None = None
    metadata: dict[str, Any] = field(default_factory=dict)
    #: A chart whose SVG is being drawn elsewhere (:func:`drawn_by`): called once, when the
    #: chart is first shown, it returns the SVG, which then takes its place in ``html``.
    pending: Callable[[], str] | None = field(default=None, repr=False, compare=False)

    def ready(self) -> Display:
        """This display with its chart's SVG in place (waiting for it if it is still being
        drawn); every rendering of a display goes through it."""
        if self.pending is not None:
            svg, self.pending = self.pending(), None
            self.html = self.html.replace(_SVG_SLOT, svg, 1)
            self.svg = svg
        return self

    def _repr_mimebundle_(
        self, include: Any = None, exclude: Any = None
    ) -> tuple[dict[str, str], dict[str, Any]]:
        self.ready()
        data = {"text/html": self.html, "text/markdown": self.markdown, "text/plain": self.plain}
        if self.svg is not None:
            data["image/svg+xml"] = self.svg
        return data, copy.deepcopy(self.metadata)

    def _repr_html_(self) -> str:
        return self.ready().html


def slugify(text: str) -> str:
    """An HTML id from heading text: lower case letters, digits and hyphens.

    Parameters
    ----------
    text
        Any text.

    Returns
    -------
    str
        A non-empty id such as ``"gender-pay-gap"`` (``"section"`` when nothing is left).
    """
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    if not slug:
        return "section"
    return slug if slug[0].isalpha() else f"s-{slug}"


def _short_id(*parts: str) -> str:
    """A short stable id from content, so re-running a notebook gives the same page."""
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:10]


class _SafeRenderer(mistune.HTMLRenderer):
    """Mistune renderer that never lets narrative text make a network request.

    Raw HTML is escaped (``escape=True``) and images that point to the network are shown as
    their alternative text, so a page stays self-contained (data contract §3).
    """

    def image(self, text: str, url: str, title: str | None = None) -> str:
        if re.match(r"^(https?:)?//", url.strip(), flags=re.IGNORECASE):
            return f'<span class="edi-image-alt">{text}</span>'
        return super().image(text, url, title)

    def link(self, text: str, url: str, title: str | None = None) -> str:
        from edi_reports.report.narrative import safe_link

        if safe_link(url) is None:  # only http(s), mailto and #anchors are links
            return text
        return super().link(text, url, title)


_MARKDOWN = mistune.create_markdown(
    renderer=_SafeRenderer(escape=True),
    plugins=["table", "strikethrough", "footnotes"],
)


def markdown_to_html(text: str) -> str:
    """Render markdown to an HTML fragment (mistune, raw HTML escaped)."""
    return str(_MARKDOWN(text)).strip()


def heading(text: str, level: int = 2, anchor: str | None = None) -> Display:
    """A section heading emitted as a display output.

    Parameters
    ----------
    text
        Heading text (plain text, escaped).
    level
        1 to 6. Level 1 is the report title and is used once per report; the page shell
        already carries the title, so :func:`edi_reports.rendering.offline.render_html` drops a body
        level-1 heading equal to the title and demotes any other to level 2.
    anchor
        The id used in links and the table of contents (default: from the text).

    Returns
    -------
    Display
    """
    if not 1 <= level <= 6:
        raise ValueError(f"heading level must be 1 to 6, got {level}")
    ident = anchor or slugify(text)
    if not re.fullmatch(r"[A-Za-z][A-Za-z0-9_\-:.]*", ident):
        raise ValueError(f"anchor {ident!r} is not a valid id (letters, digits, - _ : .)")
    hashes = "#" * level
    flat = " ".join(text.split())
    return Display(
        html=f'<h{level} id="{ident}">{html.escape(flat)}</h{level}>',
        markdown=f"{hashes} {_escape_md_inline(flat)} {{#{ident}}}",
        plain=flat,
        metadata={"edi": {"kind": "heading", "level": level, "id": ident}},
    )


def md(text: str) -> Display:
    """Markdown paragraph(s), e.g. narrative written by the organisation's EDI team.

    Parameters
    ----------
    text
        Markdown. Raw HTML is escaped in the web page; images from the network are replaced
        by their alternative text.

    Returns
    -------
    Display
        Both renderings come from :func:`edi_reports.report.narrative.safe_markdown`: no raw
        HTML, Typst or LaTeX, no mathematics, links only to http(s) and mailto.
    """
    from edi_reports.report.narrative import safe_markdown

    safe = safe_markdown(text)
    return Display(
        html=f'<div class="edi-md">{markdown_to_html(safe)}</div>',
        markdown=safe,
        plain=text.strip(),
        metadata={"edi": {"kind": "markdown"}},
    )


def callout(text: str, kind: str = "note") -> Display:
    """A highlighted note, e.g. "not calculable: ..." or why figures are suppressed.

    Parameters
    ----------
    text
        Markdown text of the note.
    kind
        ``"note"``, ``"warning"``, ``"important"`` or ``"tip"``.

    Returns
    -------
    Display
    """
    if kind not in _CALLOUT_KINDS:
        raise ValueError(f"callout kind must be one of {sorted(_CALLOUT_KINDS)}, got {kind!r}")
    from edi_reports.report.narrative import safe_markdown

    label = _CALLOUT_KINDS[kind]
    safe = safe_markdown(text)
    body = markdown_to_html(safe)
    return Display(
        html=(
            f'<aside class="edi-callout edi-callout-{kind}" aria-label="{label}">'
            f'<p class="edi-callout-title">{label}</p>{body}</aside>'
        ),
        markdown=f"::: {{.callout .callout-{kind}}}\n**{label}:** {safe}\n:::",
        plain=f"{label}: {text.strip()}",
        metadata={"edi": {"kind": "callout", "callout": kind}},
    )


# --------------------------------------------------------------------------- tables


def _cell_text(value: Any) -> str:
    """A table cell as displayed: strings as given, missing values blank."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return " ".join(str(value).split())


def _column_texts(df: pd.DataFrame) -> list[list[str]]:
    """Every cell as its displayed text, column by column (plain lists: report tables are
    small, and per-cell Python is cheaper than a pandas operation per column)."""
    return [[_cell_text(v) for v in df.iloc[:, j].tolist()] for j in range(df.shape[1])]


def _plain_table(cols: list[str], texts: list[list[str]]) -> str:
    """The table as aligned plain text (``text/plain``), one line per row, every column
    right-aligned as ``DataFrame.to_string`` aligns them, from the cells' displayed texts."""
    widths = [max([len(c), *map(len, column)]) for c, column in zip(cols, texts, strict=True)]
    rows = [cols, *zip(*texts, strict=True)] if texts else [cols]
    return "\n".join(
        " ".join(t.rjust(w) for t, w in zip(row, widths, strict=True)).rstrip() for row in rows
    )


def _texts_numeric(texts: list[str]) -> bool:
    """True when every non-placeholder text of a column is a published number.

    A column of placeholders only (every figure suppressed, ``*``) counts as numeric when
    at least one cell is not blank, so it lines up with its neighbours.
    """
    real = [t for t in texts if t not in _NUMERIC_PLACEHOLDERS]
    if not real:
        return any(t != "" for t in texts)
    return all(_NUMBER_RE.match(t) for t in real)


def _looks_numeric(values: pd.Series) -> bool:
    """True when every non-placeholder value of a column is a published number
    (:func:`_texts_numeric` of the column's displayed texts)."""
    return _texts_numeric([_cell_text(v) for v in values.tolist()])


def numeric_columns(df: pd.DataFrame) -> list[str]:
    """Columns whose values are all numbers (or ``*``, blank...): right-aligned.

    Parameters
    ----------
    df
        A table of published values.

    Returns
    -------
    list of str
        Column names, in table order.
    """
    return [str(c) for c in df.columns if _looks_numeric(df[c])]


def _escape_md_inline(text: str) -> str:
    """Escape characters that pandoc markdown would read as markup."""
    return _MD_INLINE_RE.sub(r"\\\1", text)


_MD_INLINE_RE = re.compile(r"([\\`*_\[\]{}<>#|$@~^])")


def _html_table(
    cols: list[str],
    texts: list[list[str]],
    caption: str,
    numbers: set[str],
    row_header: bool,
    ident: str,
) -> str:
    """The accessible ``<table>`` markup, wrapped in a labelled scrolling region."""
    align = [' class="num"' if c in numbers else "" for c in cols]
    head = "".join(
        f'<th scope="col"{a}>{html.escape(c)}</th>' for c, a in zip(cols, align, strict=True)
    )
    opens, closes = [], []
    for j, a in enumerate(align):
        tag, scope = ("th", ' scope="row"') if (j == 0 and row_header) else ("td", "")
        opens.append(f"<{tag}{scope}{a}>")
        closes.append(f"</{tag}>")
    escaped = [[html.escape(t) for t in column] for column in texts]
    n_rows = len(texts[0]) if texts else 0
    body = "".join(
        "<tr>"
        + "".join(o + column[i] + c for o, c, column in zip(opens, closes, escaped, strict=True))
        + "</tr>"
        for i in range(n_rows)
    )
    cap_id = f"tbl-{ident}"
    return (
        f'<div class="edi-table-wrap" role="region" aria-labelledby="{cap_id}" tabindex="0">'
        f'<table class="edi-table"><caption id="{cap_id}">{html.escape(caption)}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>"
    )


def _md_cell(text: str) -> str:
    """A pipe-table cell: markup escaped, a blank cell kept as a space."""
    return _escape_md_inline(text) or " "


def _column_weights(cols: list[str], texts: list[list[str]]) -> list[int]:
    """Relative column widths for the PDF, in characters.

    Pandoc sizes a wrapping pipe table by the dashes of its separator line. Each column
    wants its longest cell (at most 40 characters) and needs at least its longest word
    (header included) plus one; when the wants exceed a page line
    (:data:`_PDF_LINE_CHARS`), every column keeps its need and shares out what is left in
    proportion to the rest of its want, so no word overflows its cell (tables fit the
    page).
    """
    need, want = [], []
    for col, column in zip(cols, texts, strict=True):
        cells = [*column, col]
        longest_word = max((len(w) for cell in cells for w in cell.split()), default=0)
        need.append(max(3, longest_word + 1))
        longest = max(len(cell) for cell in cells)
        want.append(max(need[-1], min(40, longest)))
    spare = _PDF_LINE_CHARS - sum(need)
    extra = sum(want) - sum(need)
    if sum(want) <= _PDF_LINE_CHARS or extra == 0:
        return want
    share = max(0.0, spare / extra)
    return [n + round((w - n) * share) for n, w in zip(need, want, strict=True)]


def _markdown_table(
    cols: list[str], texts: list[list[str]], caption: str, numbers: set[str]
) -> str:
    """A pandoc pipe table with a ``: caption`` line; column widths follow the content."""
    header = "| " + " | ".join(_md_cell(c) for c in cols) + " |"
    cells = [[_md_cell(t) for t in column] for column in texts]
    n_rows = len(texts[0]) if texts else 0
    rows = ["|" + "".join(" " + column[i] + " |" for column in cells) for i in range(n_rows)]
    dashes = ["--"] * len(cols)
    if max(len(line) for line in [header, *rows]) > _PANDOC_COLUMNS:
        dashes = ["-" * (w - 1) for w in _column_weights(cols, texts)]  # the table wraps
    marks = [d + ":" if c in numbers else ":" + d for c, d in zip(cols, dashes, strict=True)]
    rule = "|" + "|".join(marks) + "|"
    lines = [header, rule, *rows]
    return "\n".join(lines) + f"\n\n: {_escape_md_inline(' '.join(caption.split()))}"


def table(
    df: pd.DataFrame,
    caption: str,
    *,
    notes: str | None = None,
    row_header: bool = True,
    number_columns: list[str] | None = None,
) -> Display:
    """An accessible table of published figures.

    Parameters
    ----------
    df
        The published table: values displayed as given (strings already rounded and
        suppressed by disclosure control, methodology §6). The index is not shown.
    caption
        What the table shows (becomes ``<caption>`` and the PDF table caption).
    notes
        Optional markdown shown under the table (sources, suppression, definitions).
    row_header
        Whether the first column labels the rows (``<th scope="row">``).
    number_columns
        Columns to right-align; default: the columns whose values all look numeric.

    Returns
    -------
    Display
    """
    if not caption.strip():
        raise ValueError("every table needs a caption")
    df = df.reset_index(drop=True)
    numbers = set(number_columns or [])
    unknown = numbers - {str(c) for c in df.columns}
    if unknown:
        raise ValueError(f"number_columns not in the table: {sorted(unknown)}")
    cols = [str(c) for c in df.columns]
    texts = _column_texts(df)
    ident = _short_id(caption, json.dumps([cols, texts], ensure_ascii=False))
    if number_columns is None:
        numbers = {c for c, column in zip(cols, texts, strict=True) if _texts_numeric(column)}
    html_out = _html_table(cols, texts, caption, numbers, row_header, ident)
    md_out = _markdown_table(cols, texts, caption, numbers)
    if notes:
        from edi_reports.report.narrative import safe_markdown

        notes = re.sub(r"(?m)^(\s*)\* ", r"\1\\* ", notes)  # "* suppressed" is not a list
        notes = safe_markdown(notes)
        html_out += f'<div class="edi-table-notes">{markdown_to_html(notes)}</div>'
        md_out += f"\n\n::: {{.table-notes}}\n{notes.strip()}\n:::"
    html_out = f'<div class="edi-table-block">{html_out}</div>'
    return Display(
        html=html_out,
        markdown=md_out,
        plain=f"{caption}\n{_plain_table(cols, texts)}",
        metadata={"edi": {"kind": "table", "rows": len(df)}},
    )


# --------------------------------------------------------------------------- charts


def chart_spec(spec_or_chart: Any, *, validate: bool = True) -> dict[str, Any]:
    """The Vega-Lite specification of an Altair chart or a spec dict (a deep copy).

    ``validate=False`` skips Altair's JSON-schema check of the specification (about a third
    of turning a chart into its specification): for the charts the report builds itself
    (:mod:`edi_reports.report.charts`), whose specifications a test validates instead.
    """
    if hasattr(spec_or_chart, "to_dict"):
        return spec_or_chart.to_dict(validate=validate)
    if isinstance(spec_or_chart, dict):
        return copy.deepcopy(spec_or_chart)
    raise TypeError(f"expected an Altair chart or a Vega-Lite dict, got {type(spec_or_chart)}")


#: Where a chart's SVG goes in its ``html`` until it is drawn (:attr:`Display.pending`).
_SVG_SLOT = "<!--edi-chart-svg-->"
#: Who draws the charts, when not this process: ``spec -> Future[svg]`` (:func:`drawn_by`).
_DRAWER: list[Callable[[dict[str, Any]], Future[str]]] = []


@contextlib.contextmanager
def drawn_by(draw: Callable[[dict[str, Any]], Future[str]]) -> Iterator[None]:
    """Charts made meanwhile are drawn by ``draw`` (a build's helper process, architecture
    §3): :func:`chart` hands it the specification and returns at once; the SVG is put in
    place when the chart is shown (:meth:`Display.ready`). A chart that ``draw`` could not
    draw is drawn here instead, so the page is the same either way."""
    _DRAWER.append(draw)
    try:
        yield
    finally:
        _DRAWER.pop()


#: Seconds a chart may take elsewhere before it is drawn here instead (one takes well under
#: a second; the first, about one more).
DRAW_TIMEOUT = 60.0


def _drawing(spec: dict[str, Any]) -> str | Callable[[], str]:
    """The SVG of ``spec``: drawn now, or, when there is a drawer, a function that waits for
    the drawer's.

    A drawer that fails or does not answer within :data:`DRAW_TIMEOUT` is not asked again
    during this :func:`drawn_by`; its charts, and the next ones, are drawn here.
    """
    if not _DRAWER:
        return spec_to_svg(spec)
    draw = _DRAWER[-1]
    try:
        future = draw(spec)
    except Exception:  # a drawer that failed before (:func:`_failed`)
        return spec_to_svg(spec)

    def wait() -> str:
        try:
            return future.result(timeout=DRAW_TIMEOUT)
        except Exception:  # stopped or stalled: the same drawing, here
            future.cancel()
            if draw in _DRAWER:
                _DRAWER[_DRAWER.index(draw)] = _failed
            return spec_to_svg(spec)

    return wait


def _failed(spec: dict[str, Any]) -> Future[str]:
    """A drawer that has failed once: every chart is drawn here."""
    raise RuntimeError("the drawer failed")


def _chart_data(spec: dict[str, Any]) -> pd.DataFrame | None:
    """The chart's main inline dataset (the top-level one) as a DataFrame, if any."""
    datasets = spec.get("datasets", {})
    top = spec.get("data") if isinstance(spec.get("data"), dict) else {}
    if top.get("name") in datasets:
        return pd.DataFrame(datasets[top["name"]])
    if top.get("values"):
        return pd.DataFrame(top["values"])
    if datasets:
        return pd.DataFrame(max(datasets.values(), key=len))
    return None


def _json_for_script(spec: dict[str, Any]) -> str:
    """JSON safe to place inside ``<script type="application/json">``."""
    text = json.dumps(spec, ensure_ascii=False, separators=(",", ":"))
    return text.replace("</", "<\\/").replace("<!--", "<\\!--")


_DRAW_SCRIPT = (
    "<script>(function(){var id=%s;function draw(){var el=document.getElementById(id);"
    "if(!el||el.getAttribute('data-drawn'))return;"
    "var spec=JSON.parse(document.getElementById(id+'-spec').textContent);"
    "var target=el.querySelector('.edi-chart-canvas');"
    "el.setAttribute('data-drawn','1');target.innerHTML='';"
    "window.vegaEmbed(target,spec,{actions:false,renderer:'svg'})"
    ".catch(function(e){el.setAttribute('data-error',String(e));});}"
    "if(window.vegaEmbed){draw();}else{document.addEventListener('edi-vega-ready',draw);}"
    "})();</script>"
)


def chart(
    spec_or_altair_chart: Any,
    *,
    alt: str,
    caption: str,
    data: pd.DataFrame | None = None,
    data_caption: str | None = None,
    validate: bool = True,
) -> Display:
    """An accessible chart: figure, caption, the finding in words, and its data table.

    The web page embeds the Vega-Lite spec as JSON and draws it with vega-embed once the
    offline bundle (inlined by :func:`edi_reports.rendering.offline.render_html`) is present; until
    then, or without JavaScript, a static SVG is shown. The drawing is ``aria-hidden``:
    assistive technology reads the figure's ``role="img"`` label (``alt``, the finding) and
    the data table instead of Vega's marks. The PDF gets the SVG with ``alt`` as its
    alternative text. Feed charts only published, aggregated tables: the spec
    carries its whole dataset (architecture §3).

    Parameters
    ----------
    spec_or_altair_chart
        An Altair chart (e.g. from :mod:`edi_reports.report.charts`) or a Vega-Lite dict.
    alt
        The finding in plain words, shown under the chart and used as its text alternative.
    caption
        The figure caption (what the chart shows).
    data
        The table shown beside the chart (default: the chart's own dataset).
    data_caption
        Caption of that table (default: ``"Data for: <caption>"``).
    validate
        Whether to check an Altair chart's specification against the Vega-Lite schema
        (:func:`chart_spec`); the report's own charts skip it.

    Returns
    -------
    Display
    """
    if not alt.strip() or not caption.strip():
        raise ValueError("every chart needs alt text (the finding) and a caption")
    spec = chart_spec(spec_or_altair_chart, validate=validate)
    spec.pop("title", None)  # the figure caption titles the chart, once
    drawing = _drawing(spec)
    ident = "chart-" + _short_id(caption, json.dumps(spec, sort_keys=True, default=str))
    svg_file = f"{ident}.svg"
    shown = data if data is not None else _chart_data(spec)
    data_cap = data_caption or f"Data for: {caption}"
    data_block = table(shown, data_cap) if shown is not None and len(shown.columns) else None
    alt_flat = " ".join(alt.split())
    cap_flat = " ".join(caption.split())
    parts = [
        f'<figure class="edi-figure" aria-labelledby="{ident}-cap">',
        f'<figcaption id="{ident}-cap">{html.escape(cap_flat)}</figcaption>',
        f'<div class="edi-chart" id="{ident}" role="img" aria-label="{html.escape(alt_flat)}">'
        f'<div class="edi-chart-canvas" aria-hidden="true">{_SVG_SLOT}</div></div>',
        f'<script type="application/json" id="{ident}-spec" class="edi-chart-spec">'
        f"{_json_for_script(spec)}</script>",
        _DRAW_SCRIPT % json.dumps(ident),
        f'<p class="edi-finding">{html.escape(alt_flat)}</p>',
    ]
    if data_block is not None:
        parts.append(
            f'<details class="edi-chart-data"><summary>Show the data for this chart</summary>'
            f"{data_block.html}</details>"
        )
    parts.append("</figure>")
    md_parts = [f'![{_escape_md_inline(cap_flat)}]({svg_file}){{alt="{_attr(alt_flat)}"}}']
    md_parts.append(f"::: {{.finding}}\n{_escape_md_inline(alt_flat)}\n:::")
    if data_block is not None:
        md_parts.append(data_block.markdown)
    shown_chart = Display(
        html="".join(parts),
        markdown="\n\n".join(md_parts),
        plain=alt_flat,
        metadata={"edi": {"kind": "chart", "id": ident, "svg_file": svg_file, "alt": alt_flat}},
        pending=drawing if callable(drawing) else functools.partial(str, drawing),
    )
    return shown_chart if callable(drawing) else shown_chart.ready()


def _attr(text: str) -> str:
    """Text safe inside a double-quoted pandoc attribute."""
    return text.replace("\\", "\\\\").replace('"', '\\"')
