"""Render an executed report notebook to one self-contained HTML page and a tagged PDF.

Two paths (architecture §2):

- **Quarto**, when a ``quarto`` binary is on PATH (or asked for): see
  :mod:`edi_reports.rendering.quarto`; ``render_report`` only dispatches to it.
- **Offline**, everywhere else, from PyPI wheels only:

  - HTML: nbconvert (cells tagged ``parameters``/``injected-parameters`` removed with its
    ``TagRemovePreprocessor``; no code input; no prompts), placed in this package's own
    accessible page shell (``templates/page.html.j2``), with the Vega bundle of
    vl-convert inlined once when the page has charts. The page makes no network request.
  - PDF: nbconvert's ``MarkdownExporter`` (preferring ``text/markdown`` and
    ``image/svg+xml`` outputs) → pandoc (``pypandoc_binary``) to Typst with a Lua filter
    (alt text, callouts) → the ``typst`` package, tagged as PDF/UA-1.

Every output is written to a temporary file and moved into place only when complete.
"""

from __future__ import annotations

import contextlib
import copy
import functools
import gc
import logging
import os
import re
import secrets
import shutil
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2
import nbformat
import yaml
from bs4 import BeautifulSoup, NavigableString, Tag
from nbconvert import HTMLExporter, MarkdownExporter
from nbconvert.preprocessors import TagRemovePreprocessor
from traitlets.config import Config

from edi_reports import __version__
from edi_reports.config import QUARTO_CONFIG
from edi_reports.report.display import slugify

__all__ = [
    "REMOVE_TAGS",
    "RenderError",
    "clean_notebook",
    "collector_paused",
    "load_quarto_config",
    "notebook_body_html",
    "notebook_markdown",
    "page_body",
    "quarto_available",
    "render_html",
    "render_page",
    "render_pdf",
    "render_report",
    "vega_bundle",
]

log = logging.getLogger(__name__)

#: Cells with any of these tags never reach a published page.
REMOVE_TAGS = frozenset(
    {"parameters", "injected-parameters", "remove-cell", "remove_cell", "remove", "hide"}
)
#: Mime types for the PDF path, best first (text/html is dropped by pandoc's Typst writer).
PDF_PRIORITY = ["text/markdown", "image/svg+xml", "image/png", "image/jpeg", "text/plain"]
#: Fonts tried for the PDF, in order; Typst's embedded Libertinus Serif is the last resort.
PDF_FONTS = ["Liberation Sans", "Arial", "Helvetica", "DejaVu Sans", "Libertinus Serif"]
#: Pandoc's Markdown reader without any passthrough to the output format (raw Typst, HTML,
#: LaTeX), mathematics, metadata blocks or citations: narrative is text, not code.
PANDOC_READER = (
    "markdown-raw_attribute-raw_html-raw_tex-tex_math_dollars-tex_math_single_backslash"
    "-tex_math_double_backslash-yaml_metadata_block-citations-inline_notes"
)
_EXTERNAL = re.compile(r"^\s*(https?:)?//", flags=re.IGNORECASE)


class RenderError(RuntimeError):
    """A notebook cannot be published (an error output, or a renderer failure)."""


# --------------------------------------------------------------------------- shared bits


def _template_dir() -> Path:
    """The package's templates folder (package data)."""
    return Path(str(resources.files("edi_reports") / "templates"))


class _TemplateCache(jinja2.FileSystemBytecodeCache):
    """Compiled page templates kept between processes, as Python keeps compiled modules.

    A new process compiles the page's Jinja templates (nbconvert's and this package's) from
    source before its first page: about 0.15 CPU s of a one-off build, on the build
    process's critical path. Jinja's file cache keeps the compiled code under each
    template's name and reuses it only while the template's source is unchanged (its
    checksum is stored beside it) and for the same Python. A file that cannot be read or
    written is compiled as before: the cache never fails a render.
    """

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except Exception:  # a damaged file: compile from source (the bucket stays empty)
            bucket.reset()

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        with contextlib.suppress(OSError):
            super().dump_bytecode(bucket)


@functools.cache
def _template_cache() -> jinja2.BytecodeCache | None:
    """The process's :class:`_TemplateCache` in ``templates/`` of the cache folder
    (``EDI_CACHE_DIR``, else ``~/.cache/edi-reports``), or None where that folder cannot be
    had private: what it holds is run as code, so it must be a folder of this user's that
    nobody else can write to (it is made so)."""
    import stat

    try:
        folder = _cache_dir() / "templates"
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        info = folder.lstat()
    except (OSError, RuntimeError):  # no home folder, a read-only one
        return None
    if not stat.S_ISDIR(info.st_mode) or info.st_mode & 0o022 or info.st_uid != os.getuid():
        log.debug("not caching compiled templates: %s is not private", folder)
        return None
    return _TemplateCache(str(folder))


@functools.lru_cache(maxsize=1)
def _jinja() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(_template_dir()),
        autoescape=jinja2.select_autoescape(["html", "j2"]),
        keep_trailing_newline=True,
        bytecode_cache=_template_cache(),
    )


def page_css() -> str:
    """The page stylesheet (inlined in every page)."""
    return (_template_dir() / "style.css").read_text(encoding="utf-8")


def page_style(brand: Any = None) -> str:
    """The page stylesheet with the organisation's colour (both renderers' pages).

    Parameters
    ----------
    brand
        The organisation's :class:`edi_reports.report.branding.Brand`, or None for NHS blue.
    """
    css = page_css()
    if brand is not None and getattr(brand, "colour", None):
        css += f"\n:root {{ --blue: {brand.colour}; --dark-blue: {brand.colour_dark}; }}"
    return css


def quarto_available() -> bool:
    """Whether a ``quarto`` binary is on PATH."""
    return shutil.which("quarto") is not None


def load_quarto_config(path: Path | None = None) -> dict[str, Any]:
    """The project's ``_quarto.yml`` as a dict (empty when absent).

    Parameters
    ----------
    path
        The file (default: ``_quarto.yml`` at the project root).

    Returns
    -------
    dict
    """
    path = QUARTO_CONFIG if path is None else path
    if not path.is_file():
        return {}
    with open(path, encoding="utf-8") as fh:
        return yaml.safe_load(fh) or {}


def config_lang(config: dict[str, Any] | None = None, default: str = "en-GB") -> str:
    """The document language from ``_quarto.yml`` (top level ``lang``), else ``default``."""
    config = load_quarto_config() if config is None else config
    return str(config.get("lang") or default)


def _atomic_write(path: Path, data: str | bytes) -> Path:
    """Write ``data`` to ``path`` through a temporary file in the same folder."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data.encode("utf-8") if isinstance(data, str) else data)
        os.chmod(tmp, 0o666 & ~_umask())  # published files are readable like any other
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _cache_dir() -> Path:
    base = os.environ.get("EDI_CACHE_DIR") or os.environ.get("XDG_CACHE_HOME")
    return Path(base) / "edi-reports" if base else Path.home() / ".cache" / "edi-reports"


@functools.lru_cache(maxsize=1)
def vega_bundle() -> str:
    """The offline Vega + Vega-Lite + vega-embed JavaScript bundle of vl-convert.

    Building it takes a few seconds, so it is cached in memory and on disk (``EDI_CACHE_DIR``,
    else ``~/.cache/edi-reports``), keyed by the vl-convert version. The copy on disk is used
    only when its SHA-256 is the one recorded for that version (:mod:`edi_reports.rendering.csp`);
    otherwise the bundle is built again from vl-convert.

    Returns
    -------
    str
        JavaScript that defines ``window.vegaEmbed``, safe to inline in a ``<script>``.
    """
    import vl_convert

    from edi_reports.rendering.csp import verify_bundle

    version = getattr(vl_convert, "__version__", "unknown")
    cached = _cache_dir() / f"vega-bundle-{version}.js"
    if cached.is_file():
        text = cached.read_text(encoding="utf-8")
        if verify_bundle(text, version):  # the copy on disk is the packaged bundle
            return text
        log.warning("the cached chart bundle %s is not vl-convert's own: rebuilding it", cached)
    bundle = vl_convert.javascript_bundle().replace("</script", "<\\/script")
    try:
        _atomic_write(cached, bundle)
    except OSError as exc:  # a read-only home is fine: keep it in memory only
        log.debug("could not cache the vega bundle: %s", exc)
    return bundle


# --------------------------------------------------------------------------- notebook


def clean_notebook(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """A copy of ``nb`` ready to publish.

    Removes cells tagged with :data:`REMOVE_TAGS` (nbconvert ``TagRemovePreprocessor``) and
    ``stderr`` stream outputs (warnings, logs). An error output stops the render.

    Parameters
    ----------
    nb
        An executed notebook.

    Returns
    -------
    NotebookNode

    Raises
    ------
    RenderError
        If a cell holds an error output.
    """
    nb = copy.deepcopy(nb)
    pre = TagRemovePreprocessor(remove_cell_tags=set(REMOVE_TAGS), enabled=True)
    nb, _ = pre.preprocess(nb, {})
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                raise RenderError(
                    f"cell {index + 1} of the executed notebook failed with "
                    f"{out.get('ename')}: {out.get('evalue')}; fix the notebook before publishing"
                )
        cell.outputs = [o for o in cell.get("outputs", []) if not (o.get("name") == "stderr")]
    return nb


def _read(executed_nb: Path) -> nbformat.NotebookNode:
    if not Path(executed_nb).is_file():
        raise FileNotFoundError(f"executed notebook not found: {executed_nb}")
    return nbformat.read(str(executed_nb), as_version=4)


# --------------------------------------------------------------------------- HTML


class _CachedTemplates:
    """An nbconvert exporter whose Jinja environment keeps compiled templates between
    processes (:class:`_TemplateCache`)."""

    def _create_environment(self) -> jinja2.Environment:
        environment = super()._create_environment()  # type: ignore[misc]
        environment.bytecode_cache = _template_cache()
        return environment


class _MarkdownExporter(_CachedTemplates, MarkdownExporter):
    """nbconvert's Markdown exporter, its compiled templates kept (:class:`_CachedTemplates`)."""


class _TemplateHTMLExporter(_CachedTemplates, HTMLExporter):
    """nbconvert's HTML exporter without its last step, a BeautifulSoup parse of the whole
    page that gives images without alternative text a stock one and makes the cells of a
    JupyterLab-style page focusable (nbconvert 7, ``HTMLExporter.from_notebook_node``):
    :func:`_body_soup` parses the page once and does both itself (:func:`_nbconvert_fixups`).
    ``tests/rendering/test_render.py`` holds the result to nbconvert's own output."""

    def from_notebook_node(  # type: ignore[override]
        self, nb: nbformat.NotebookNode, resources: dict[str, Any] | None = None, **kw: Any
    ) -> tuple[str, dict[str, Any]]:
        from nbconvert.exporters.templateexporter import TemplateExporter
        from nbconvert.filters.highlight import Highlight2HTML
        from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter

        langinfo = nb.metadata.get("language_info", {})
        lexer = langinfo.get("pygments_lexer", langinfo.get("name", None))
        highlight_code = self.filters.get(
            "highlight_code", Highlight2HTML(pygments_lexer=lexer, parent=self)
        )
        resources = self._init_resources(resources)
        filter_data_type = WidgetsDataTypeFilter(
            notebook_metadata=self._nb_metadata, parent=self, resources=resources
        )
        self.register_filter("highlight_code", highlight_code)
        self.register_filter("filter_data_type", filter_data_type)
        return TemplateExporter.from_notebook_node(self, nb, resources, **kw)


#: nbconvert's stock alternative text for an image that has none (``HTMLExporter``).
NO_ALT = "No description has been provided for this image"


def _nbconvert_fixups(soup: BeautifulSoup) -> None:
    """What ``HTMLExporter.from_notebook_node`` does to the page after its template (see
    :class:`_TemplateHTMLExporter`): a stock alternative text for each image without one,
    and ``tabindex="0"`` on the input and output areas of a JupyterLab-style page."""
    missing_alt = 0
    for img in _tags(soup, "img"):
        if "alt" not in img.attrs:
            img.attrs["alt"] = NO_ALT
            missing_alt += 1
    if missing_alt:
        log.warning("Alternative text is missing on %s image(s).", missing_alt)
    if any(_has_class(el, "jp-Notebook") for el in _tags(soup)):  # not the basic template
        for elem in soup.select(".jp-Notebook div.jp-Cell-inputWrapper"):
            elem.attrs["tabindex"] = "0"
        for elem in soup.select(".jp-Notebook div.jp-OutputArea-output"):
            elem.attrs["tabindex"] = "0"


# An exporter compiles its Jinja templates when made: one per process (a batch worker renders
# many reports), used by one thread at a time.
@functools.cache
def _html_exporter() -> tuple[HTMLExporter, threading.Lock]:
    exporter = _TemplateHTMLExporter(
        template_name="basic",
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        anchor_link_text="",
        optimistic_validation=True,  # validate once, not after each preprocessor
    )
    return exporter, threading.Lock()


@functools.cache
def _markdown_exporter() -> tuple[MarkdownExporter, threading.Lock]:
    cfg = Config()
    cfg.NbConvertBase.display_data_priority = PDF_PRIORITY
    exporter = _MarkdownExporter(
        config=cfg,
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        optimistic_validation=True,  # validate once, not after each preprocessor
    )
    return exporter, threading.Lock()


def warm_up() -> None:
    """Convert a one-cell notebook to HTML and Markdown, so that the exporters, their
    templates and the HTML parser's patterns are ready before the report is, and find the
    PDF's fonts (a build calls this while its report notebook runs)."""
    from nbformat.v4 import new_code_cell, new_notebook, new_output

    # an entity: the HTML parser builds its entity tables on the first one it meets
    output = new_output("display_data", data={"text/html": "<p>&amp;</p>", "text/markdown": "-"})
    nb = clean_notebook(new_notebook(cells=[new_code_cell("", outputs=[output])]))
    notebook_body_html(nb)
    with tempfile.TemporaryDirectory(prefix="edi-warm-") as tmp:
        notebook_markdown(nb, Path(tmp))
    _pdf_fonts()  # the font search, off the PDF's path


def notebook_body_html(nb: nbformat.NotebookNode) -> str:
    """The content of a cleaned notebook as an HTML fragment (nbconvert, no code, no prompts).

    Only the rendered markdown cells and the outputs are kept, without nbconvert's cell
    wrappers.

    Parameters
    ----------
    nb
        A notebook passed through :func:`clean_notebook`.

    Returns
    -------
    str
    """
    return str(_body_soup(nb))


def _body_soup(nb: nbformat.NotebookNode) -> BeautifulSoup:
    """:func:`notebook_body_html` as a parsed fragment: the page nbconvert makes is parsed
    once, and the content of each cell moves into a new fragment, one line apart, with
    the white space at either end of a cell's content left out (as ``str.strip`` would).
    """
    exporter, lock = _html_exporter()
    with lock:
        html, _ = exporter.from_notebook_node(nb)
    page = BeautifulSoup(html, "html.parser")
    _nbconvert_fixups(page)
    body = BeautifulSoup("", "html.parser")
    for el in [el for el in _tags(page, "div") if _is_cell_content(el)]:
        children = _stripped(list(el.contents))
        if not children:
            continue
        if body.contents:
            body.append(NavigableString("\n"))
        for child in children:
            body.append(child.extract() if child.parent is not None else child)
    return body


def _stripped(children: list[Any]) -> list[Any]:
    """``children`` without the white space at either end (text nodes only, as
    ``str.strip`` of their markup would leave them)."""
    while children and type(children[0]) is NavigableString:
        text = str(children[0]).lstrip()
        if text:
            children[0] = NavigableString(text)
            break
        children.pop(0)
    while children and type(children[-1]) is NavigableString:
        text = str(children[-1]).rstrip()
        if text:
            children[-1] = NavigableString(text)
            break
        children.pop()
    return children


def _is_cell_content(el: Any) -> bool:
    """``div.text_cell_render, div.output_subarea``."""
    return el.name == "div" and not _CELL_CONTENT.isdisjoint(el.get("class") or ())


def _tags(root: Tag, *names: str) -> list[Tag]:
    """The tags under ``root`` (named ``names``, when given) in document order: what
    ``find_all`` finds, by one plain walk (bs4's and soupsieve's matching machinery cost
    more than the walk itself)."""
    if names:
        return [el for el in root.descendants if type(el) is Tag and el.name in names]
    return [el for el in root.descendants if type(el) is Tag]


def _has_class(el: Tag, name: str) -> bool:
    """Whether ``el``'s class list holds ``name`` (``find_all(class_=name)``)."""
    classes = el.get("class")
    return classes is not None and (
        name in classes if isinstance(classes, list) else classes == name
    )


_CELL_CONTENT = frozenset({"text_cell_render", "output_subarea"})


def _unique_id(wanted: str, taken: set[str]) -> str:
    ident, n = wanted, 2
    while ident in taken:
        ident, n = f"{wanted}-{n}", n + 1
    taken.add(ident)
    return ident


def _strip_external(soup: BeautifulSoup) -> None:
    """Remove anything that would make the page load from the network."""
    for el in _tags(soup, "script", "iframe", "link", "video", "audio", "source", "embed"):
        target = el.get("src") or el.get("href") or ""
        if target and _EXTERNAL.match(str(target)):
            log.warning("removed a reference to %s: the page must work offline", target)
            el.decompose()
    for el in _tags(soup, "img"):
        if _EXTERNAL.match(str(el.get("src", ""))):
            log.warning("replaced an image from %s by its alt text", el.get("src"))
            span = soup.new_tag("span", attrs={"class": "edi-image-alt"})
            span.string = str(el.get("alt", ""))
            el.replace_with(span)


def postprocess_body(body: str, title: str) -> tuple[str, list[dict[str, str]], bool]:
    """Make a body fragment fit the page shell.

    - a level-1 heading equal to ``title`` is dropped (the shell's ``<h1>`` is the title);
      any other level-1 heading becomes level 2, so the page has exactly one ``<h1>``;
    - every ``<h2>`` gets a unique id, and the table of contents lists them;
    - nbconvert's heading anchor links and any network reference are removed.

    Parameters
    ----------
    body
        HTML fragment.
    title
        The page title.

    Returns
    -------
    tuple
        ``(body, toc, has_chart)``: the fragment, ``[{"id", "text"}]`` and whether any
        chart needs the Vega bundle.
    """
    soup = BeautifulSoup(body, "html.parser")
    toc, has_chart = _postprocess(soup, title)
    return str(soup), toc, has_chart


def page_body(nb: nbformat.NotebookNode, title: str) -> tuple[str, list[dict[str, str]], bool]:
    """``postprocess_body(notebook_body_html(nb), title)`` with one parse of nbconvert's
    page instead of two: ``(body, toc, has_chart)``.

    The cyclic garbage collector is paused meanwhile (:func:`collector_paused`).

    Parameters
    ----------
    nb
        A notebook passed through :func:`clean_notebook`.
    title
        The page title.
    """
    with collector_paused():
        nb, svgs = _lift_chart_svgs(nb)
        soup = _body_soup(nb)
        toc, has_chart = _postprocess(soup, title, taken=_svg_ids(svgs.values()))
        body = str(soup)
    for slot, svg in svgs.items():
        body = body.replace(slot, svg, 1)
    return body, toc, has_chart


#: A chart's drawing as :func:`edi_reports.report.display.chart` places it on the page.
_CHART_SVG = re.compile(
    r'(<div class="edi-chart-canvas" aria-hidden="true">)(<svg\b.*?</svg>)(</div>)', re.S
)
#: What a drawing lifted out of the parse may not hold: scripts, foreign content, event
#: handlers, links or references other than to its own elements (``url(#clip1)``).
_UNSAFE_SVG = re.compile(
    r"<script|<foreignobject|<iframe|<image|<use\b|\son\w+\s*=|href|src\s*=|url\(\s*['\"]?[^#'\"\s]",
    re.I,
)


def _lift_chart_svgs(nb: nbformat.NotebookNode) -> tuple[nbformat.NotebookNode, dict[str, str]]:
    """``nb`` with each chart's SVG in its HTML outputs replaced by a comment, and
    ``{comment: svg}`` to put them back once the page is serialised.

    vl-convert's drawings are most of a report page's markup, and need nothing of the
    parse (no heading, image, link or script in them, :data:`_UNSAFE_SVG`): kept out of it,
    they are published exactly as vl-convert drew them. Only the outputs that change are
    copied; ``nb`` itself is left as it is.
    """
    token = secrets.token_hex(8)
    svgs: dict[str, str] = {}

    def lift(match: re.Match[str]) -> str:
        if _UNSAFE_SVG.search(match.group(2)):
            return match.group(0)
        slot = f"<!--edi-svg-{token}-{len(svgs)}-->"
        svgs[slot] = match.group(2)
        return match.group(1) + slot + match.group(3)

    cells = []
    for cell in nb.cells:
        outputs, changed = [], False
        for output in cell.get("outputs") or []:
            html = str(output.get("data", {}).get("text/html", ""))
            if "edi-chart-canvas" in html:
                data = {**output["data"], "text/html": _CHART_SVG.sub(lift, html)}
                output, changed = nbformat.from_dict({**output, "data": data}), True
            outputs.append(output)
        cells.append(nbformat.from_dict({**cell, "outputs": outputs}) if changed else cell)
    if not svgs:
        return nb, svgs
    return nbformat.from_dict({**nb, "cells": cells}), svgs


def _svg_ids(svgs: Iterable[str]) -> set[str]:
    """The ids of the lifted drawings' elements (no heading may take one)."""
    return {m for svg in svgs for m in re.findall(r'\sid="([^"]*)"', svg)}


_GC_LOCK = threading.Lock()
_GC_PAUSES = [0, False]  # pauses under way; whether the collector was on before the first


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off for the duration (nested and from several
    threads alike: it is back on when the last pause ends, if it was on before the first).

    Parsing a page builds a tree of some 50,000 objects that live until the page is
    written: each of the collector's passes while it is built looks at all of them, and
    once they are old enough they set off a pass over every object of the process (0.15 CPU s
    and more in a build). Paused, the collector does nothing while the tree lives; the tree
    is freed by the first young-generation pass after the pause, as any other garbage. What
    the code inside computes is unchanged.
    """
    with _GC_LOCK:
        if _GC_PAUSES[0] == 0:
            _GC_PAUSES[1] = gc.isenabled()
            gc.disable()
        _GC_PAUSES[0] += 1
    try:
        yield
    finally:
        with _GC_LOCK:
            _GC_PAUSES[0] -= 1
            if _GC_PAUSES[0] == 0 and _GC_PAUSES[1]:
                gc.enable()


def _postprocess(
    soup: BeautifulSoup, title: str, taken: set[str] = frozenset()
) -> tuple[list[dict[str, str]], bool]:
    """:func:`postprocess_body` on a parsed fragment, in place: ``(toc, has_chart)``;
    ``taken``: ids outside the fragment that no heading may take."""
    for a in _tags(soup, "a"):
        if _has_class(a, "anchor-link"):
            a.decompose()
    _strip_external(soup)
    norm_title = " ".join(title.split()).casefold()
    for h1 in _tags(soup, "h1"):
        if " ".join(h1.get_text(" ", strip=True).split()).casefold() == norm_title:
            h1.decompose()
        else:
            h1.name = "h2"
    tags = _tags(soup)
    taken = {str(el["id"]) for el in tags if el.get("id") is not None and el.name != "h2"} | taken
    taken |= {"main", "toc-title"}
    toc = []
    for h2 in [el for el in tags if el.name == "h2"]:
        text = " ".join(h2.get_text(" ", strip=True).split())
        h2["id"] = _unique_id(str(h2.get("id") or slugify(text)), taken)
        toc.append({"id": str(h2["id"]), "text": text})
    has_chart = any(_has_class(el, "edi-chart") for el in tags)
    return toc, has_chart


def render_page(
    body: str,
    *,
    title: str,
    lang: str = "en-GB",
    description: str = "",
    kicker: str = "",
    subtitle: str = "",
    breadcrumbs: Iterable[dict[str, str]] = (),
    footer_links: Iterable[dict[str, str]] = (),
    footer_text: str | None = None,
    toc: list[dict[str, str]] | None = None,
    include_vega: bool = False,
    synthetic_note: str = "",
    brand: Any = None,
) -> str:
    """A complete accessible page around ``body`` (shared by reports and the site index).

    Parameters
    ----------
    body
        HTML fragment for ``<main>`` (no ``<h1>``).
    title
        Page title: ``<title>`` and the page's only ``<h1>``.
    lang
        BCP 47 language of the page.
    description
        ``<meta name="description">``.
    kicker, subtitle
        Short lines above and below the title in the header band.
    breadcrumbs, footer_links
        ``[{"href", "label"}]`` links (relative, offline).
    footer_text
        Footer sentence (default: what produced the page).
    toc
        Table of contents entries ``[{"id", "text"}]``; omitted when fewer than two.
    include_vega
        Inline the Vega bundle once (pages with charts).
    synthetic_note
        When not empty, the page carries the synthetic-data mark with this sentence
        (pages built from ``edi synth`` data; see :func:`synthetic_sentence`).
    brand
        The organisation's :class:`edi_reports.report.branding.Brand` (logo in the header band,
        colour of the band, headings and links), or None for the house style.

    Returns
    -------
    str
    """
    import vl_convert

    from edi_reports.rendering.csp import add_policy

    bundle_version = getattr(vl_convert, "__version__", "unknown") if include_vega else None
    template = _jinja().get_template("page.html.j2")
    return add_policy(
        template.render(
            body=body,
            title=title,
            lang=lang,
            description=description,
            kicker=kicker,
            subtitle=subtitle,
            breadcrumbs=list(breadcrumbs),
            footer_links=list(footer_links),
            footer_text=footer_text
            or f"Produced with the open-source edi-reports pipeline, version {__version__}.",
            toc=toc if toc and len(toc) >= 2 else [],
            css=page_style(brand),
            vega_bundle=vega_bundle() if include_vega else "",
            print_details="<details" in body,  # a script opens them for printing
            version=__version__,
            synthetic_title=SYNTHETIC_TITLE,
            synthetic_note=synthetic_note,
            brand=brand,
        ),
        bundle_version,
    )  # Content-Security-Policy: only this page's own scripts and styles, no network


#: The synthetic-data mark's heading (every page and PDF built from ``edi synth`` data).
SYNTHETIC_TITLE = "Synthetic demonstration data — not real figures"


def synthetic_sentence() -> str:
    """The sentence under the synthetic-data mark of a report built from synthetic input."""
    return (
        "This report was made from generated data for a fictional organisation, to show "
        "what the pipeline produces. It describes no real organisation or person."
    )


def render_html(
    executed_nb: Path,
    out_html: Path,
    *,
    title: str,
    lang: str = "en-GB",
    description: str = "",
    kicker: str = "",
    subtitle: str = "",
    breadcrumbs: Iterable[dict[str, str]] = (),
    footer_links: Iterable[dict[str, str]] = (),
    synthetic: bool = False,
    brand: Any = None,
) -> Path:
    """Render an executed notebook to one self-contained, accessible HTML file.

    Parameters
    ----------
    executed_nb
        The executed report notebook.
    out_html
        Where to write the page (written atomically).
    title
        Report title (the page's only ``<h1>``).
    lang
        Page language.
    description
        Meta description.
    kicker, subtitle, breadcrumbs, footer_links, brand
        Optional page-shell extras, see :func:`render_page`.
    synthetic
        The input was synthetic: the page carries the synthetic-data mark.

    Returns
    -------
    Path
        ``out_html``.
    """
    return _page_from_notebook(
        clean_notebook(_read(Path(executed_nb))),
        out_html,
        title=title,
        lang=lang,
        description=description,
        kicker=kicker,
        subtitle=subtitle,
        breadcrumbs=breadcrumbs,
        footer_links=footer_links,
        synthetic=synthetic,
        brand=brand,
    )


def _page_from_notebook(
    nb: nbformat.NotebookNode,
    out_html: Path,
    *,
    title: str,
    lang: str = "en-GB",
    description: str = "",
    kicker: str = "",
    subtitle: str = "",
    breadcrumbs: Iterable[dict[str, str]] = (),
    footer_links: Iterable[dict[str, str]] = (),
    synthetic: bool = False,
    brand: Any = None,
) -> Path:
    """:func:`render_html` of a notebook passed through :func:`clean_notebook`."""
    body, toc, has_chart = page_body(nb, title)
    page = render_page(
        body,
        title=title,
        lang=lang,
        description=description,
        kicker=kicker,
        subtitle=subtitle,
        breadcrumbs=breadcrumbs,
        footer_links=footer_links,
        toc=toc,
        include_vega=has_chart,
        synthetic_note=synthetic_sentence() if synthetic else "",
        brand=brand,
    )
    return _atomic_write(Path(out_html), page)


# --------------------------------------------------------------------------- PDF


def notebook_markdown(nb: nbformat.NotebookNode, workdir: Path) -> str:
    """A cleaned notebook as pandoc markdown, with its images written into ``workdir``.

    Parameters
    ----------
    nb
        A notebook passed through :func:`clean_notebook`.
    workdir
        Folder for chart SVGs and other extracted outputs.

    Returns
    -------
    str
    """
    exporter, lock = _markdown_exporter()
    with lock:
        body, res = exporter.from_notebook_node(nb, resources={"output_files_dir": "."})
    for name, data in (res.get("outputs") or {}).items():
        (workdir / Path(name).name).write_bytes(data if isinstance(data, bytes) else data.encode())
    for cell in nb.cells:  # chart SVGs referenced by the charts' text/markdown
        for out in cell.get("outputs", []):
            meta = out.get("metadata", {}).get("edi", {})
            svg = out.get("data", {}).get("image/svg+xml")
            if meta.get("svg_file") and svg:
                text = svg if isinstance(svg, str) else "".join(svg)
                (workdir / Path(meta["svg_file"]).name).write_text(text, encoding="utf-8")
    return re.sub(r"\]\(\./", "](", body)


def _typst_string(text: str) -> str:
    """A Typst string literal."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + " ".join(escaped.split()) + '"'


@functools.lru_cache(maxsize=1)
def _typst_fonts() -> Any:
    """The fonts Typst finds (system and embedded), searched for once per process: given to
    ``typst.compile``, which otherwise searches again on every compile."""
    import typst

    return typst.Fonts()


@functools.lru_cache(maxsize=1)
def _pdf_fonts() -> tuple[str, ...]:
    available = set(_typst_fonts().families())
    chosen = tuple(f for f in PDF_FONTS if f in available)
    return chosen or ("Libertinus Serif",)


#: Options for pandoc's Haskell runtime: a larger young generation (64 MB) and no
#: collection of the old one below 256 MB. By default pandoc ran four full collections while
#: converting a report (its Lua filter keeps little alive: 3-4 MB), 0.12-0.13 s of its
#: 0.5 CPU s; with these, 0.05 s less per PDF, the same output, about 5 MB more memory.
PANDOC_RUNTIME = ("+RTS", "-A64m", "-O256m", "-RTS")


def markdown_to_typst(markdown: str, title: str) -> str:
    """Convert pandoc markdown to a Typst body with this package's Lua filter.

    With :data:`PANDOC_RUNTIME`, unless this pandoc refuses runtime options (one built
    without ``-rtsopts``): then without them, as pandoc's defaults.
    """
    import pypandoc

    def convert(runtime: tuple[str, ...]) -> str:
        # tables are aligned with the text by the filter; the formats are fixed (and tested),
        # so pypandoc need not ask pandoc for its lists of formats (two more pandoc runs) first
        return pypandoc.convert_text(
            markdown,
            "typst",
            format=PANDOC_READER,
            verify_format=False,
            extra_args=[
                "--lua-filter",
                str(_template_dir() / "typst-filter.lua"),
                "--metadata",
                f"edi_title={title}",
                "--wrap=preserve",
                *runtime,
            ],
        )

    try:
        return convert(PANDOC_RUNTIME)
    except RuntimeError as exc:
        if not PANDOC_RUNTIME or "RTS" not in str(exc):
            raise
        return convert(())


def typst_document(
    body: str,
    *,
    title: str,
    lang: str = "en-GB",
    author: str = "",
    description: str = "",
    synthetic: bool = False,
    brand: Any = None,
) -> str:
    """The full Typst source: the report template with title, language and body.

    Parameters
    ----------
    body
        Typst markup from :func:`markdown_to_typst`.
    title, lang, author, description
        Document metadata (``lang`` ``"en-GB"`` becomes ``lang: "en", region: "GB"``).
    synthetic
        The input was synthetic: every page carries the synthetic-data mark.
    brand
        The organisation's :class:`edi_reports.report.branding.Brand`: its colour replaces NHS
        blue and its logo (``logo.<ext>`` in the Typst folder) heads the first page.

    Returns
    -------
    str
    """
    language, _, region = lang.partition("-")
    if not re.fullmatch(r"[a-zA-Z]{2,3}", language) or (
        region and not re.fullmatch(r"[A-Za-z]{2}", region)
    ):
        raise ValueError(f"lang must look like 'en-GB', got {lang!r}")
    template = (_template_dir() / "report.typ").read_text(encoding="utf-8")
    fonts = "(" + ", ".join(_typst_string(f) for f in _pdf_fonts()) + ",)"
    values = {
        "{{TITLE}}": _typst_string(title),
        "{{SUBTITLE}}": _typst_string(author),
        "{{AUTHOR}}": _typst_string(author or title),
        "{{DESCRIPTION}}": _typst_string(description or title),
        "{{FONTS}}": fonts,
        "{{LANG}}": language.lower(),
        "{{REGION}}": (region or "GB").upper(),
        "{{SYNTHETIC}}": _typst_string(SYNTHETIC_TITLE) if synthetic else "none",
        "{{SYNTHETIC_NOTE}}": _typst_string(synthetic_sentence()),
        "{{COLOUR}}": _typst_string(getattr(brand, "colour", None) or "#005EB8"),
        "{{LOGO}}": _typst_string(_logo_name(brand)),
        "{{LOGO_ALT}}": _typst_string(getattr(brand, "logo_alt", "") or ""),
    }
    for key, value in values.items():
        template = template.replace(key, value)
    return template.replace("{{BODY}}", body)


def _logo_name(brand: Any) -> str:
    """The logo's file name in the Typst folder (blank when there is none)."""
    mime = getattr(brand, "logo_mime", None)
    return {"image/png": "edi-logo.png", "image/jpeg": "edi-logo.jpg"}.get(mime or "", "")


def render_pdf(
    executed_nb: Path,
    out_pdf: Path,
    *,
    title: str,
    lang: str = "en-GB",
    author: str = "",
    description: str = "",
    synthetic: bool = False,
    brand: Any = None,
) -> Path:
    """Render an executed notebook to a tagged (PDF/UA-1) PDF through pandoc and Typst.

    Parameters
    ----------
    executed_nb
        The executed report notebook.
    out_pdf
        Where to write the PDF (written atomically).
    title
        Document title (metadata and first heading).
    lang
        Document language, e.g. ``"en-GB"``.
    author
        Document author (the organisation); also shown in the page footer.
    description
        Document subject metadata.
    synthetic
        The input was synthetic: every page carries the synthetic-data mark.
    brand
        The organisation's branding (see :func:`typst_document`), or None.

    Returns
    -------
    Path
        ``out_pdf``.

    Raises
    ------
    RenderError
        If Typst cannot compile the document.
    """
    with tempfile.TemporaryDirectory(prefix="edi-pdf-") as tmp:
        markdown = _pdf_markdown(clean_notebook(_read(Path(executed_nb))), Path(tmp), brand)
        return _pdf_from_markdown(
            markdown,
            Path(tmp),
            executed_nb,
            out_pdf,
            title=title,
            lang=lang,
            author=author,
            description=description,
            synthetic=synthetic,
            brand=brand,
        )


def _pdf_markdown(nb: nbformat.NotebookNode, work: Path, brand: Any) -> str:
    """The first, Python-bound half of :func:`render_pdf`: a notebook passed through
    :func:`clean_notebook` as pandoc markdown in ``work`` (``report.md``), with its images
    and the organisation's logo beside it."""
    markdown = notebook_markdown(nb, work)
    (work / "report.md").write_text(markdown, encoding="utf-8")
    if _logo_name(brand):
        (work / _logo_name(brand)).write_bytes(brand.logo_bytes)
    return markdown


def _pdf_from_markdown(
    markdown: str, work: Path, executed_nb: Path, out_pdf: Path, **document: Any
) -> Path:
    """The second half of :func:`render_pdf`: pandoc and Typst, which run outside Python's
    lock, from the markdown :func:`_pdf_markdown` wrote into ``work``; ``document``: the
    keyword arguments of :func:`_pdf_bytes`."""
    return _atomic_write(Path(out_pdf), _pdf_bytes(markdown, work, executed_nb, **document))


def _pdf_bytes(
    markdown: str,
    work: Path,
    executed_nb: Path | str,
    *,
    title: str,
    lang: str,
    author: str,
    description: str,
    synthetic: bool,
    brand: Any,
) -> bytes:
    """The PDF :func:`_pdf_from_markdown` writes."""
    import typst

    source = typst_document(
        markdown_to_typst(markdown, title),
        title=title,
        lang=lang,
        author=author,
        description=description,
        synthetic=synthetic,
        brand=brand,
    )
    typ = work / "report.typ"
    typ.write_text(source, encoding="utf-8")
    try:
        pdf = typst.compile(
            str(typ),
            root=str(work),
            format="pdf",
            pdf_standards=["ua-1"],
            font_paths=_typst_fonts(),
        )
    except RuntimeError as exc:
        raise RenderError(f"Typst could not build the PDF for {executed_nb}: {exc}") from exc
    return drop_false_suspects(pdf)


def _folder_files(folder: Path) -> dict[str, bytes]:
    """Every file directly in ``folder``, by name: what Typst reads besides the source."""
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


class EarlyPdf:
    """A report's PDF begun before its notebook has finished (:meth:`begin`), and used only
    if the finished notebook gives the same PDF source (:meth:`finish`).

    The report stage's last cell writes the published files and shows nothing: pandoc and
    Typst, which run outside Python's lock, can make the PDF from the outputs before it
    on the second core while this process writes the files, instead of after it while
    this process waits. :meth:`finish` compares the finished notebook's PDF markdown, the
    files beside it and the document's title, language, author, description, synthetic
    mark and branding with those the early PDF was made from; on any difference the PDF is
    made again from the finished notebook, as if none had been begun.
    """

    def __init__(self, document: dict[str, Any]) -> None:
        from concurrent.futures import Future

        self.document = dict(document)
        self._made: Future[tuple[str, dict[str, bytes], bytes]] = Future()

    @classmethod
    def begin(cls, nb: nbformat.NotebookNode, document: dict[str, Any]) -> EarlyPdf:
        """Begin the PDF of ``nb`` (the notebook as executed so far, copied and cleaned
        here, so the notebook may run on) in a thread of its own.

        Parameters
        ----------
        nb
            The executed report notebook so far.
        document
            ``title``, ``lang``, ``author``, ``description``, ``synthetic`` and ``brand``,
            as :func:`render_report` passes them to the PDF.
        """
        early = cls(document)
        cleaned = clean_notebook(nb)
        threading.Thread(
            target=early._make, args=(cleaned,), name="edi-early-pdf", daemon=True
        ).start()
        return early

    def _make(self, nb: nbformat.NotebookNode) -> None:
        try:
            with tempfile.TemporaryDirectory(prefix="edi-pdf-") as tmp:
                work = Path(tmp)
                markdown = _pdf_markdown(nb, work, self.document.get("brand"))
                files = _folder_files(work)
                pdf = _pdf_bytes(markdown, work, "the report notebook", **self.document)
            self._made.set_result((markdown, files, pdf))
        except BaseException as exc:  # the finished notebook's PDF is made instead
            self._made.set_exception(exc)

    def finish(
        self, markdown: str, work: Path, executed_nb: Path, out_pdf: Path, **document: Any
    ) -> Path:
        """``_pdf_from_markdown(markdown, work, executed_nb, out_pdf, **document)``: the
        early PDF when it was made from the same source, else a new one."""
        try:
            early_markdown, early_files, pdf = self._made.result()
        except BaseException:
            pdf = None
        same = (
            pdf is not None
            and early_markdown == markdown
            and self.document == document
            and early_files == _folder_files(work)
        )
        if not same:
            log.debug("the early PDF was made from another source: made again")
            return _pdf_from_markdown(markdown, work, executed_nb, out_pdf, **document)
        return _atomic_write(Path(out_pdf), pdf)


def drop_false_suspects(pdf: bytes) -> bytes:
    """Blank out ``/Suspects false`` in the catalogue's ``/MarkInfo`` dictionary.

    The entry is optional and ``false`` is its default (ISO 32000-1 §14.7.1), but poppler
    reports it as "Suspects object is wrong type (boolean)" on every PDF Typst writes.
    Spaces of the same length replace it, so every cross-reference offset stays valid.
    """
    entry = b"/Suspects false"
    return pdf.replace(entry, b" " * len(entry))


# --------------------------------------------------------------------------- Quarto


def render_report(
    executed_nb: Path,
    out_dir: Path,
    *,
    title: str,
    use_quarto: bool | None = None,
    author: str = "",
    description: str = "",
    subtitle: str = "",
    breadcrumbs: Iterable[dict[str, str]] = (),
    synthetic: bool = False,
    renderer: str | None = None,
    branding: Any = None,
    meanwhile: Callable[[], Any] | None = None,
    early_pdf: EarlyPdf | None = None,
) -> dict[str, Path]:
    """Render the HTML page and the PDF of one report into ``out_dir``.

    Parameters
    ----------
    executed_nb
        The executed report notebook.
    out_dir
        The report folder; gets ``index.html`` and ``report.pdf``.
    title
        Report title.
    use_quarto
        ``True`` to require Quarto, ``False`` for the offline renderer, ``None`` to let
        ``renderer`` decide.
    author, description
        Document metadata for the offline path (``author``: the organisation's name, shown
        in the PDF footer).
    subtitle, breadcrumbs
        Page-shell extras for the HTML page, see :func:`render_page` (e.g. breadcrumbs
        ``[{"href": "../../index.html", "label": "All reports"}]`` once the site is built).
    synthetic
        The input was synthetic (``summary.json`` ``"synthetic": true``): the page and
        every PDF page carry the synthetic-data mark.
    renderer
        ``"auto"``, ``"quarto"`` or ``"offline"``; None reads ``EDI_RENDERER``, else auto
        (:func:`edi_reports.rendering.quarto.resolve_renderer`).
    branding
        The organisation's :class:`edi_reports.report.branding.Brand` (logo, colour), or None.
    meanwhile
        Called once the page is written, while the PDF is still being made (the offline
        renderer only): a build checks what is already in ``out_dir`` then.
    early_pdf
        The PDF begun before the notebook finished (:class:`EarlyPdf`, the offline
        renderer only): used if the finished notebook gives the same source.

    Returns
    -------
    dict
        ``{"html": Path, "pdf": Path}``.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    from edi_reports.rendering import quarto as quarto_render  # the Quarto path's own module

    if use_quarto is not None and renderer is None:
        renderer = "quarto" if use_quarto else "offline"
    page = _page_arguments(
        title=title,
        author=author,
        description=description,
        subtitle=subtitle,
        breadcrumbs=breadcrumbs,
        synthetic=synthetic,
        branding=branding,
    )
    if quarto_render.resolve_renderer(renderer) == "quarto":
        return quarto_render.render_report_quarto(Path(executed_nb), out_dir, **page)
    # pandoc and Typst are the longer path: the PDF's markdown is made first, so that pandoc
    # starts at once instead of after the markdown has shared Python's lock with the page
    nb = clean_notebook(_read(Path(executed_nb)))  # once, for both (exporters copy it)
    with tempfile.TemporaryDirectory(prefix="edi-pdf-") as tmp:
        markdown = _pdf_markdown(nb, Path(tmp), branding)
        make_pdf = _pdf_from_markdown if early_pdf is None else early_pdf.finish
        return render_pair(
            functools.partial(_page_from_notebook, nb),
            functools.partial(make_pdf, markdown, Path(tmp), executed_nb),
            out_dir,
            meanwhile=meanwhile,
            **page,
        )


def _page_arguments(
    *,
    title: str,
    author: str = "",
    description: str = "",
    subtitle: str = "",
    breadcrumbs: Iterable[dict[str, str]] = (),
    synthetic: bool = False,
    branding: Any = None,
) -> dict[str, Any]:
    """What either renderer is given for one report besides its notebook and folder: the
    arguments of :func:`render_report` of those names, and the document language."""
    return {
        "title": title,
        "lang": config_lang(),
        "author": author,
        "description": description,
        "subtitle": subtitle,
        "breadcrumbs": breadcrumbs,
        "synthetic": synthetic,
        "brand": branding,
    }


def _pdf_document(page: dict[str, Any]) -> dict[str, Any]:
    """The arguments the PDF is made with (``make_pdf`` of :func:`render_pair`, and
    :class:`EarlyPdf`), from :func:`_page_arguments`: the page-only subtitle and
    breadcrumbs left out."""
    return {k: v for k, v in page.items() if k not in ("subtitle", "breadcrumbs")}


def begin_pdf(nb: nbformat.NotebookNode, **arguments: Any) -> EarlyPdf:
    """Begin the offline renderer's PDF of ``nb``, the report notebook as executed so far
    (:class:`EarlyPdf`); ``arguments``: those :func:`render_report` will be given
    (``title``, ``author``, ``description``, ``subtitle``, ``breadcrumbs``, ``synthetic``,
    ``branding``)."""
    return EarlyPdf.begin(nb, _pdf_document(_page_arguments(**arguments)))


def render_pair(
    make_html: Callable[..., Path],
    make_pdf: Callable[..., Path],
    out_dir: Path,
    *,
    title: str,
    lang: str,
    author: str,
    description: str,
    subtitle: str,
    breadcrumbs: Iterable[dict[str, str]],
    synthetic: bool,
    brand: Any,
    meanwhile: Callable[[], Any] | None = None,
) -> dict[str, Path]:
    """One report's ``index.html`` and ``report.pdf`` (either renderer's functions), the
    PDF in a second thread: pandoc, Typst and Quarto run outside Python's lock, so the two
    renderings overlap on a second core. ``meanwhile`` runs once the page is written,
    while the PDF may still be in the making.

    Parameters
    ----------
    make_html, make_pdf
        ``make_html(out_html, **page)`` and ``make_pdf(out_pdf, **document)``.
    out_dir
        The report folder.
    title, lang, author, description, subtitle, breadcrumbs, synthetic, brand
        As for :func:`render_report` (``author`` for the PDF only, ``subtitle`` and
        ``breadcrumbs`` for the page only).

    Returns
    -------
    dict
        ``{"html": Path, "pdf": Path}``.
    """
    from concurrent.futures import ThreadPoolExecutor

    page = {
        "title": title,
        "lang": lang,
        "author": author,
        "description": description,
        "subtitle": subtitle,
        "breadcrumbs": breadcrumbs,
        "synthetic": synthetic,
        "brand": brand,
    }
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="edi-pdf") as pool:
        pdf = pool.submit(make_pdf, Path(out_dir) / "report.pdf", **_pdf_document(page))
        html = make_html(
            Path(out_dir) / "index.html", **{k: v for k, v in page.items() if k != "author"}
        )
        if meanwhile is not None:
            meanwhile()
        return {"html": html, "pdf": pdf.result()}
