"""Render a report through Quarto: the same page and PDF as the offline renderer.

Quarto (https://quarto.org) is the renderer the design names; the offline renderer in
:mod:`edi_reports.rendering.offline` is the fallback made of PyPI wheels only. Both start from the same
cleaned notebook (:func:`edi_reports.rendering.offline.clean_notebook`), so both publish the same
sections, tables and charts. Quarto is given documents it does not need to execute or wrap:

- **HTML**: a Quarto markdown document whose body is the report's content as one raw HTML
  block (the offline renderer's own body: accessible tables, charts with their findings and
  data tables). Quarto's ``html`` format builds the page with this package's theme
  (``templates/quarto/edi.scss`` over Bootstrap, plus ``templates/style.css`` so both
  renderers share one set of page rules), its title-block partial (breadcrumbs, the only
  ``<h1>``, subtitle), a skip link and footer, and ``embed-resources`` so the page is one
  self-contained file. ``page-layout: custom`` keeps Quarto's own layout out of the way,
  so the page has one ``<main>``. Because no notebook outputs reach Quarto, it adds no
  require.js or jQuery from a CDN; any external reference that remains is an error.
- **PDF**: the report as pandoc markdown (text/markdown outputs, chart SVGs written next to
  it, so Typst finds them) rendered with Quarto's ``typst`` format, a Lua filter that keeps
  every image's alternative text, ``templates/quarto/edi.typ`` for the finding and
  table-note blocks, the document's title and language, and ``pdf-standard: ua-1`` (a
  tagged PDF).

A Quarto failure raises :class:`edi_reports.rendering.offline.RenderError` naming the renderer and the
way back: ``--renderer offline``.
"""

from __future__ import annotations

import base64
import functools
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import nbformat
import yaml

from edi_reports import __version__
from edi_reports.errors import EdiError
from edi_reports.rendering import css_prune
from edi_reports.rendering.csp import add_policy
from edi_reports.rendering.css_prune import page_names
from edi_reports.rendering.offline import (
    PANDOC_READER,
    SYNTHETIC_TITLE,
    RenderError,
    _atomic_write,
    _logo_name,
    _read,
    _template_dir,
    clean_notebook,
    drop_false_suspects,
    notebook_markdown,
    page_body,
    page_css,
    page_style,
    render_pair,
    synthetic_sentence,
    typst_document,
    vega_bundle,
)
from edi_reports.rendering.offline import (
    _jinja as _page_jinja,
)

__all__ = [
    "FALLBACK_HINT",
    "QuartoRenderError",
    "QUARTO_TIMEOUT",
    "RENDERERS",
    "html_document",
    "quarto_version",
    "render_html_quarto",
    "render_pdf_quarto",
    "render_report_quarto",
    "render_site_quarto",
    "resolve_renderer",
    "typst_document_source",
]

#: The values of the ``render.renderer`` setting and of ``--renderer``.
RENDERERS = ("auto", "quarto", "offline")
#: Seconds one ``quarto render`` may take before it is stopped.
QUARTO_TIMEOUT = 900
#: How to publish without Quarto, appended to every Quarto failure.
FALLBACK_HINT = (
    "To publish with the offline renderer instead, run the same command with "
    "--renderer offline (or set `render: {renderer: offline}` in the settings file)."
)
_EXTERNAL_REF = re.compile(
    r"""<(?:script|link|img|iframe|source|audio|video|embed)\b[^>]*?\s(?:src|href)\s*=\s*["']?"""
    r"""\s*(?:https?:)?//""",
    flags=re.IGNORECASE,
)
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
_PUNCTUATION = re.compile(r"""([\\`*_{}\[\]()#+\-.!<>|~^$"'&:@%=;,/?])""")


class QuartoRenderError(RenderError, EdiError):
    """The Quarto renderer failed: the message says so and how to fall back (no traceback)."""


def quarto_dir() -> Path:
    """This package's Quarto templates (theme, partials, filter)."""
    return _template_dir() / "quarto"


def resolve_renderer(requested: str | None = None) -> str:
    """Which renderer to use: ``"quarto"`` or ``"offline"``.

    Parameters
    ----------
    requested
        ``"auto"``, ``"quarto"`` or ``"offline"``; None reads ``EDI_RENDERER`` (set by
        ``--renderer``), else ``"auto"``. ``"auto"`` is Quarto when a ``quarto`` binary is
        on PATH, else the offline renderer.

    Returns
    -------
    str

    Raises
    ------
    RenderError
        For an unknown value, or ``"quarto"`` with no ``quarto`` on PATH.
    """
    value = (requested or os.environ.get("EDI_RENDERER") or "auto").strip().lower()
    if value not in RENDERERS:
        raise QuartoRenderError(
            f"unknown renderer {value!r}: use one of {', '.join(RENDERERS)} "
            "(--renderer, EDI_RENDERER or the render.renderer setting)"
        )
    if value == "auto":
        return "quarto" if shutil.which("quarto") else "offline"
    if value == "quarto" and not shutil.which("quarto"):
        raise QuartoRenderError(
            "the Quarto renderer was asked for, but no `quarto` binary is on PATH: install "
            "Quarto (see docs/rendering.md) or use --renderer offline"
        )
    return value


def quarto_version() -> str | None:
    """``quarto --version`` (None when Quarto is absent or does not answer)."""
    if not shutil.which("quarto"):
        return None
    try:
        done = subprocess.run(
            ["quarto", "--version"], capture_output=True, text=True, timeout=60, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout.strip() or None if done.returncode == 0 else None


def _literal(text: str) -> str:
    """Text that pandoc's markdown reader keeps exactly as written (metadata values)."""
    return _PUNCTUATION.sub(r"\\\1", " ".join(str(text).split()))


def _raw_html_block(html: str) -> str:
    """A pandoc raw HTML block holding ``html`` verbatim, fenced longer than any backtick run."""
    longest = max((len(m) for m in re.findall(r"`+", html)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}{{=html}}\n{html}\n{fence}\n"


def _run_quarto(document: str, fmt: str, work: Path, what: str) -> None:
    """Run ``quarto render <document> --to <fmt>`` in ``work``; a failure is a RenderError."""
    _run_quarto_cmd(["quarto", "render", document, "--to", fmt, "--no-execute"], work, what)


def _run_quarto_cmd(cmd: list[str], work: Path, what: str) -> None:
    """Run a Quarto command in ``work``; a failure is a :class:`QuartoRenderError`."""
    env = {**os.environ, "QUARTO_PRINT_STACK": "false"}
    try:
        done = subprocess.run(
            cmd,
            cwd=work,
            capture_output=True,
            text=True,
            timeout=QUARTO_TIMEOUT,
            check=False,
            env=env,
        )
    except FileNotFoundError as exc:
        raise QuartoRenderError(
            f"the Quarto renderer could not start ({exc}) while making {what}. {FALLBACK_HINT}"
        ) from exc
    except subprocess.TimeoutExpired as exc:
        raise QuartoRenderError(
            f"the Quarto renderer took more than {QUARTO_TIMEOUT} s to make {what} and was "
            f"stopped. {FALLBACK_HINT}"
        ) from exc
    if done.returncode != 0:
        text = _ANSI.sub("", done.stderr or done.stdout or "")
        lines = [ln for ln in text.splitlines() if ln.strip()]
        detail = "\n    ".join(lines[-12:]) or f"exit status {done.returncode}"
        raise QuartoRenderError(
            f"the Quarto renderer failed to make {what} (`{' '.join(cmd)}`):\n    {detail}\n"
            f"  {FALLBACK_HINT}"
        )


# --------------------------------------------------------------------------- HTML

#: Options of Quarto's ``html`` format for every page (report and website): this package's
#: theme, no title block of Quarto's (the page's own header band holds its only ``<h1>``),
#: no layout of Quarto's (the page has one ``<main>``, ours), one self-contained file.
_HTML = {
    "title-block-style": "none",
    "theme": ["edi-theme.scss"],
    "embed-resources": True,
    "page-layout": "custom",
    "toc": False,
    "anchor-sections": False,
    "smooth-scroll": False,
    "code-copy": False,
    "link-external-icon": False,
    "include-before-body": ["skip-link.html"],
    "from": "markdown-smart",
}
_STYLESHEET = re.compile(
    r"""<link\b(?=[^>]*\brel="stylesheet")[^>]*\bhref="data:text/css(;base64)?,([^"]*)"[^>]*>""",
    flags=re.I,
)
_ANY_SCRIPT = re.compile(r"<script\b([^>]*)>.*?</script>\s*", flags=re.S | re.I)
_ANY_STYLE = re.compile(r"<style\b[^>]*>(.*?)</style>\s*", flags=re.S | re.I)
#: This package's own scripts outside ``<main>`` (templates/page-end.html.j2).
_OWN_SCRIPT_IDS = ('id="edi-print-details"', 'id="edi-vega"')
#: Stylesheets Quarto embeds that a report page never uses, by how they begin: the
#: Bootstrap icon font (the page has no icon), the tooltip library's styles (no tooltip
#: script is kept) and code highlighting (no code is shown).
_UNUSED_CSS = re.compile(
    r"""\s*(?:@font-face\s*\{[^}]*font-family:\s*"bootstrap-icons"|\.tippy-box|:root\s*\{\s*--quarto-hl-)"""
)


def _page_parts(
    body: str,
    *,
    title: str,
    toc: list[dict[str, str]] | None,
    kicker: str = "",
    subtitle: str = "",
    breadcrumbs: Iterable[dict[str, str]] = (),
    footer_links: Iterable[dict[str, str]] = (),
    footer_text: str | None = None,
    include_vega: bool = False,
    synthetic_note: str = "",
    brand: Any = None,
) -> tuple[str, str]:
    """The page's body content (header band, contents, ``<main>``) and its end (footer,
    scripts), from the offline renderer's own partials (``templates/page-*.html.j2``)."""
    env = _page_jinja()
    shell = {
        "title": title,
        "kicker": kicker,
        "subtitle": subtitle,
        "breadcrumbs": list(breadcrumbs),
        "synthetic_title": SYNTHETIC_TITLE,
        "synthetic_note": synthetic_note,
        "brand": brand,
        # tells Quarto the page has its title block, so it moves no <h1>
        "header_class": " quarto-title-block",
    }
    content = env.get_template("page-header.html.j2").render(**shell) + env.get_template(
        "page-content.html.j2"
    ).render(body=body, toc=toc if toc and len(toc) >= 2 else [])
    end = env.get_template("page-end.html.j2").render(
        footer_links=list(footer_links),
        footer_text=footer_text
        or f"Produced with the open-source edi-reports pipeline, version {__version__}.",
        print_details="<details" in body,
        vega_bundle=vega_bundle() if include_vega else "",
    )
    return content, end


def _page_meta(title: str, lang: str, description: str = "") -> dict[str, Any]:
    """A page's ``<title>``, language and meta description, as Quarto front matter."""
    meta: dict[str, Any] = {"pagetitle": _literal(title), "lang": lang}
    if description:
        meta["description-meta"] = " ".join(description.split())
    return meta


def html_document(
    content: str,
    *,
    title: str,
    lang: str,
    description: str = "",
    after_body: str = "after-body.html",
) -> str:
    """The Quarto markdown document of one HTML page.

    Parameters
    ----------
    content
        The page's header band, table of contents and ``<main>``, HTML.
    title, lang, description
        ``<title>``, page language, meta description.
    after_body
        The file (beside the document) holding the footer and the page's scripts.

    Returns
    -------
    str
        Front matter (HTML format options) and one raw HTML block.
    """
    meta = _page_meta(title, lang, description)
    meta["format"] = {"html": {**_HTML, "include-after-body": [after_body]}}
    front = yaml.safe_dump(meta, sort_keys=False, allow_unicode=True)
    return f"---\n{front}---\n\n{_raw_html_block(content)}"


def _theme_scss(brand: Any = None) -> str:
    """``edi.scss`` with the organisation's colour (when it has one) and the shared page
    rules (``style.css``, :func:`edi_reports.rendering.offline.page_style`) appended to its rules."""
    scss = (quarto_dir() / "edi.scss").read_text(encoding="utf-8")
    colour = getattr(brand, "colour", None)
    if colour:
        defaults = "/*-- scss:defaults --*/\n"
        scss = scss.replace(
            defaults,
            f"{defaults}$nhs-blue: {colour};\n$nhs-dark-blue: {brand.colour_dark};\n",
            1,
        )
    return scss + "\n" + page_style(brand)


def finish_page(page: str, *, include_vega: bool, what: str = "page") -> str:
    """Quarto's page made as strict as the offline renderer's.

    Drops every script but this package's own (Quarto's Bootstrap, Popper, tooltip,
    clipboard and page scripts drive widgets a report page does not have) and the
    stylesheets it never uses (:data:`_UNUSED_CSS`), turns the embedded ``data:``
    stylesheets into ``<style>`` elements, and adds the same Content-Security-Policy as
    the offline pages (:func:`edi_reports.rendering.csp.add_policy`): only the page's own inline
    scripts and styles, by hash, and no network request.

    Parameters
    ----------
    page
        The page Quarto wrote (``embed-resources``).
    include_vega
        The page inlines the Vega bundle (it has charts).
    what
        The page, for the error message.

    Returns
    -------
    str

    Raises
    ------
    QuartoRenderError
        If the page refers to anything on the network.
    """
    import vl_convert

    external = _EXTERNAL_REF.search(page)
    if external:
        raise QuartoRenderError(
            f"the Quarto renderer's {what} refers to the network ({external.group(0)[:80]}...); "
            f"published pages must work offline. {FALLBACK_HINT}"
        )
    main = re.search(r"<main\b.*</main>", page, flags=re.S | re.I)
    start, stop = main.span() if main else (len(page), len(page))

    def script(m: re.Match[str]) -> str:  # outside <main>: this package's own only
        return m.group(0) if any(i in m.group(1) for i in _OWN_SCRIPT_IDS) else ""

    def style(m: re.Match[str]) -> str:
        return "" if _UNUSED_CSS.match(m.group(1)) else m.group(0)

    def stylesheet(m: re.Match[str]) -> str:
        data = m.group(2)
        css = base64.b64decode(data).decode("utf-8") if m.group(1) else unquote(data)
        if _UNUSED_CSS.match(css):
            return ""
        return "<style>\n" + css.replace("</style", "<\\/style") + "\n</style>\n"

    # the chart scripts inside <main> are left to the policy (only this package's run)
    page = (
        _ANY_SCRIPT.sub(script, page[:start])
        + page[start:stop]
        + _ANY_SCRIPT.sub(script, page[stop:])
    )
    page = _STYLESHEET.sub(stylesheet, _ANY_STYLE.sub(style, page))
    # Bootstrap's rules for classes and ids the page does not have (navigation bars,
    # forms, buttons, utilities...); the page rules' own classes are always kept
    classes, ids = page_names(page)
    classes |= {m.group(2) for m in css_prune._NAME.finditer(page_css()) if m.group(1) == "."}

    def pruned(m: re.Match[str]) -> str:
        css = css_prune.prune_css(m.group(1), classes, ids)
        return "<style>\n" + css + "\n</style>\n" if css.strip() else ""

    page = _ANY_STYLE.sub(pruned, page)
    version = getattr(vl_convert, "__version__", "unknown") if include_vega else None
    return add_policy(page, version)


def render_html_quarto(
    nb: nbformat.NotebookNode,
    out_html: Path,
    work: Path,
    *,
    title: str,
    lang: str = "en-GB",
    description: str = "",
    kicker: str = "",
    subtitle: str = "",
    breadcrumbs: Iterable[dict[str, str]] = (),
    footer_links: Iterable[dict[str, str]] = (),
    footer_text: str | None = None,
    synthetic: bool = False,
    brand: Any = None,
) -> Path:
    """Render a cleaned notebook to one self-contained HTML page with Quarto.

    Parameters
    ----------
    nb
        A notebook passed through :func:`edi_reports.rendering.offline.clean_notebook`.
    out_html
        Where to write the page (atomically).
    work
        An empty scratch folder (Quarto runs there).
    title, lang, description, kicker, subtitle, breadcrumbs, footer_links, footer_text
        As for :func:`edi_reports.rendering.offline.render_page`.
    synthetic
        The input was synthetic: the page carries the synthetic-data mark.
    brand
        The organisation's :class:`edi_reports.report.branding.Brand` (logo, colour), or None.

    Returns
    -------
    Path
        ``out_html``.

    Raises
    ------
    RenderError
        If Quarto fails, or its page refers to anything on the network.
    """
    body, toc, has_chart = page_body(nb, title)
    content, end = _page_parts(
        body,
        title=title,
        toc=toc,
        kicker=kicker,
        subtitle=subtitle,
        breadcrumbs=breadcrumbs,
        footer_links=footer_links,
        footer_text=footer_text,
        include_vega=has_chart,
        synthetic_note=synthetic_sentence() if synthetic else "",
        brand=brand,
    )
    (work / "after-body.html").write_text(end, encoding="utf-8")
    (work / "edi-theme.scss").write_text(_theme_scss(brand), encoding="utf-8")
    shutil.copyfile(quarto_dir() / "skip-link.html", work / "skip-link.html")
    doc = html_document(content, title=title, lang=lang, description=description)
    (work / "report.qmd").write_text(doc, encoding="utf-8")
    _run_quarto("report.qmd", "html", work, "the HTML page")
    page = (work / "report.html").read_text(encoding="utf-8")
    return _atomic_write(Path(out_html), finish_page(page, include_vega=has_chart))


# --------------------------------------------------------------------------- PDF

#: report.typ's part markers (see its header comment).
_TITLE_MARK, _BODY_MARK = "// ---- edi: title block\n", "// ---- edi: body\n"


def typst_parts(
    *,
    title: str,
    lang: str,
    author: str = "",
    description: str = "",
    synthetic: bool = False,
    brand: Any = None,
) -> tuple[str, str]:
    """The offline renderer's Typst layout and title block, for Quarto's Typst format.

    Parameters
    ----------
    title, lang, author, description, synthetic, brand
        As for :func:`edi_reports.rendering.offline.typst_document`.

    Returns
    -------
    tuple of str
        The layout (set and show rules, running header with the synthetic-data mark,
        footer with the organisation and "Page x of y", blocks), given to Quarto as a
        header include, and the title block (logo, the only level-1 heading, subtitle,
        synthetic-data mark), given as an include-before-body.
    """
    source = typst_document(
        "",
        title=title,
        lang=lang,
        author=author,
        description=description,
        synthetic=synthetic,
        brand=brand,
    )
    layout, _, rest = source.partition(_TITLE_MARK)
    title_block, _, _ = rest.partition(_BODY_MARK)
    return layout, title_block


def typst_document_source(markdown: str, *, title: str, lang: str) -> str:
    """The Quarto markdown document of the PDF (Typst format).

    Parameters
    ----------
    markdown
        The report as pandoc markdown (:func:`edi_reports.rendering.offline.notebook_markdown`).
    title, lang
        The document's title and language (the PDF's own metadata comes from report.typ).

    Returns
    -------
    str
    """
    typst: dict[str, Any] = {
        # page size and margins as report.typ's (Quarto sets the page after the layout)
        "papersize": "a4",
        "margin": {"x": "2cm", "y": "2.2cm"},
        "toc": False,
        "pdf-standard": "ua-1",
        # the offline renderer's filter, before Quarto reads figures, tables and callouts
        "filters": [{"path": "typst-filter.lua", "at": "pre-ast"}],
        "include-in-header": ["edi-layout.typ"],
        "include-before-body": ["edi-title.typ"],
        "template-partials": ["typst-template.typ"],
        "from": PANDOC_READER,  # as the offline renderer reads it
    }
    meta: dict[str, Any] = {
        "pagetitle": _literal(title),
        "lang": lang,
        "edi_title": _literal(title),
        "format": {"typst": typst},
    }
    front = yaml.safe_dump(meta, sort_keys=False, allow_unicode=True)
    return f"---\n{front}---\n\n{markdown}"


def render_pdf_quarto(
    nb: nbformat.NotebookNode,
    out_pdf: Path,
    work: Path,
    *,
    title: str,
    lang: str = "en-GB",
    author: str = "",
    description: str = "",
    synthetic: bool = False,
    brand: Any = None,
) -> Path:
    """Render a cleaned notebook to a tagged (PDF/UA-1) PDF with Quarto's Typst format.

    The layout is the offline renderer's (``templates/report.typ``, :func:`typst_parts`),
    and so is the filter (``templates/typst-filter.lua``); the chart SVGs and the logo are
    written into ``work`` beside the document, so Typst finds them.

    Parameters
    ----------
    nb
        A notebook passed through :func:`edi_reports.rendering.offline.clean_notebook`.
    out_pdf
        Where to write the PDF (atomically).
    work
        An empty scratch folder (Quarto runs there).
    title, lang, author, description
        Document metadata (``author``: the organisation, in the running footer).
    synthetic
        The input was synthetic: every page carries the synthetic-data mark.
    brand
        The organisation's branding (colour, logo), or None.

    Returns
    -------
    Path
        ``out_pdf``.
    """
    markdown = notebook_markdown(nb, work)
    shutil.copyfile(_template_dir() / "typst-filter.lua", work / "typst-filter.lua")
    shutil.copyfile(quarto_dir() / "typst-template.typ", work / "typst-template.typ")
    if _logo_name(brand):
        (work / _logo_name(brand)).write_bytes(brand.logo_bytes)
    layout, title_block = typst_parts(
        title=title,
        lang=lang,
        author=author,
        description=description,
        synthetic=synthetic,
        brand=brand,
    )
    (work / "edi-layout.typ").write_text(layout, encoding="utf-8")
    (work / "edi-title.typ").write_text(title_block, encoding="utf-8")
    (work / "report.qmd").write_text(
        typst_document_source(markdown, title=title, lang=lang), encoding="utf-8"
    )
    _run_quarto("report.qmd", "typst", work, "the PDF")
    pdf = drop_false_suspects((work / "report.pdf").read_bytes())
    return _atomic_write(Path(out_pdf), pdf)


def render_report_quarto(
    executed_nb: Path,
    out_dir: Path,
    *,
    title: str,
    lang: str = "en-GB",
    author: str = "",
    description: str = "",
    subtitle: str = "",
    breadcrumbs: Iterable[dict[str, str]] = (),
    synthetic: bool = False,
    brand: Any = None,
) -> dict[str, Path]:
    """Render one report's HTML page and PDF through Quarto into ``out_dir``.

    Parameters
    ----------
    executed_nb
        The executed report notebook.
    out_dir
        The report folder; gets ``index.html`` and ``report.pdf``.
    title, lang, author, description, subtitle, breadcrumbs, synthetic
        As for :func:`edi_reports.rendering.offline.render_report`.
    brand
        The organisation's :class:`edi_reports.report.branding.Brand`, or None.

    Returns
    -------
    dict
        ``{"html": Path, "pdf": Path}``.
    """
    nb = clean_notebook(_read(Path(executed_nb)))
    out_dir = Path(out_dir)
    with tempfile.TemporaryDirectory(prefix="edi-quarto-") as tmp:
        html_work, pdf_work = Path(tmp) / "html", Path(tmp) / "pdf"
        html_work.mkdir()
        pdf_work.mkdir()
        return render_pair(
            functools.partial(render_html_quarto, nb, work=html_work),
            functools.partial(render_pdf_quarto, nb, work=pdf_work),
            out_dir,
            title=title,
            lang=lang,
            author=author,
            description=description,
            subtitle=subtitle,
            breadcrumbs=breadcrumbs,
            synthetic=synthetic,
            brand=brand,
        )


# --------------------------------------------------------------------------- website


def site_project(title: str, lang: str) -> str:
    """The ``_quarto.yml`` of the website project ``edi site`` renders with Quarto.

    Parameters
    ----------
    title
        The site's title (the index page's heading).
    lang
        Page language.

    Returns
    -------
    str
    """
    config = {
        "project": {"type": "website", "output-dir": "_site"},
        "website": {"search": False, "page-navigation": False, "reader-mode": False},
        "lang": lang,
        "execute": {"enabled": False},
        "format": {"html": dict(_HTML)},
    }
    return "# " + title.replace("\n", " ") + "\n" + yaml.safe_dump(config, sort_keys=False)


def render_site_quarto(
    pages: list[dict[str, Any]], reports_dir: Path, *, title: str, lang: str = "en-GB"
) -> list[Path]:
    """Render the website's pages as one Quarto website project into ``reports_dir``.

    Each page is a title-less Quarto document (``pagetitle`` gives ``<title>``) whose body
    is the page's header band, contents and ``<main>`` as raw HTML (the offline renderer's
    partials), so Quarto adds no title block, navigation or search of its own; the theme,
    skip link, footer, ``embed-resources`` and Content-Security-Policy are those of the
    report pages (:func:`finish_page`). Only the HTML pages are published (each is
    self-contained); Quarto's ``site_libs`` stay in the scratch folder.

    Parameters
    ----------
    pages
        ``[{"path": "RJZ/index.html", "body", "title", "toc", "kicker", "subtitle",
        "description", "breadcrumbs", "footer_links", "footer_text", "include_vega",
        "synthetic_note"}]`` as for :func:`edi_reports.rendering.offline.render_page`.
    reports_dir
        The published reports folder.
    title
        The site's title.
    lang
        Page language.

    Returns
    -------
    list of Path
        The pages written, in the order given.
    """
    written = []
    with tempfile.TemporaryDirectory(prefix="edi-quarto-site-") as tmp:
        work = Path(tmp)
        (work / "_quarto.yml").write_text(site_project(title, lang), encoding="utf-8")
        (work / "edi-theme.scss").write_text(_theme_scss(), encoding="utf-8")
        shutil.copyfile(quarto_dir() / "skip-link.html", work / "skip-link.html")
        for page in pages:
            rel = Path(page["path"])
            qmd = work / rel.with_suffix(".qmd")
            qmd.parent.mkdir(parents=True, exist_ok=True)
            content, end = _page_parts(
                page["body"],
                title=page["title"],
                toc=page.get("toc") or [],
                kicker=page.get("kicker", ""),
                subtitle=page.get("subtitle", ""),
                breadcrumbs=page.get("breadcrumbs") or (),
                footer_links=page.get("footer_links") or (),
                footer_text=page.get("footer_text"),
                include_vega=bool(page.get("include_vega")),
                synthetic_note=page.get("synthetic_note", ""),
            )
            after = f"_{qmd.stem}-after-body.html"
            (qmd.parent / after).write_text(end, encoding="utf-8")
            meta = _page_meta(page["title"], lang, str(page.get("description") or ""))
            meta["format"] = {"html": {"include-after-body": [after]}}
            front = yaml.safe_dump(meta, sort_keys=False, allow_unicode=True)
            qmd.write_text(f"---\n{front}---\n\n{_raw_html_block(content)}", encoding="utf-8")
        _run_quarto_project(work)
        for page in pages:
            html = _drop_quarto_title_block(
                (work / "_site" / page["path"]).read_text(encoding="utf-8")
            )
            html = finish_page(
                html, include_vega=bool(page.get("include_vega")), what=f"page {page['path']}"
            )
            written.append(_atomic_write(Path(reports_dir) / page["path"], html))
    return written


def _drop_quarto_title_block(html: str) -> str:
    """Remove the ``<header id="title-block-header">`` Quarto's website adds to a page.

    The page's own header band holds its only ``<h1>``; Quarto adds an empty title block to
    each page of a website, and one with the site's index title to ``index.html``.
    """
    return re.sub(
        r'<header id="title-block-header"[^>]*>.*?</header>\s*', "", html, count=1, flags=re.S
    )


def _run_quarto_project(work: Path) -> None:
    """``quarto render`` of the whole project in ``work``."""
    _run_quarto_cmd(["quarto", "render", "--no-execute"], work, "the website pages")
