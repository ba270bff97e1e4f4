"""Render a report through Quarto: the same page and PDF as the offline renderer.

Quarto (https://quarto.org) is the renderer the design names; the offline renderer in
:mod:`edi_reports.render` is the fallback made of PyPI wheels only. Both start from the same
cleaned notebook (:func:`edi_reports.render.clean_notebook`), so both publish the same
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

A Quarto failure raises :class:`edi_reports.render.RenderError` naming the renderer and the
way back: ``--renderer offline``.
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import jinja2
import nbformat
import yaml

from edi_reports import __version__
from edi_reports.errors import EdiError
from edi_reports.render import (
    RenderError,
    _atomic_write,
    _pdf_fonts,
    _read,
    _template_dir,
    clean_notebook,
    notebook_body_html,
    notebook_markdown,
    page_css,
    postprocess_body,
    vega_bundle,
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


@functools.lru_cache(maxsize=1)
def _jinja() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(quarto_dir()),
        autoescape=jinja2.select_autoescape(["html", "j2"]),
        keep_trailing_newline=True,
    )


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


def html_document(
    content: str,
    *,
    title: str,
    lang: str,
    description: str = "",
    kicker: str = "",
    subtitle: str = "",
    breadcrumbs: Iterable[dict[str, str]] = (),
) -> str:
    """The Quarto markdown document of the HTML page.

    Parameters
    ----------
    content
        The page's content block (table of contents and ``<main>``), HTML.
    title, lang, description, kicker, subtitle, breadcrumbs
        As for :func:`edi_reports.render.render_page`.

    Returns
    -------
    str
        Front matter (HTML format options) and one raw HTML block.
    """
    meta: dict[str, Any] = {
        "title": _literal(title),
        "pagetitle": _literal(title),
        "lang": lang,
        "edi-title": _literal(title),
        "format": {
            "html": {
                "theme": ["edi-theme.scss"],
                "embed-resources": True,
                "page-layout": "custom",
                "toc": False,
                "anchor-sections": False,
                "smooth-scroll": False,
                "code-copy": False,
                "code-tools": False,
                "link-external-icon": False,
                "template-partials": ["title-block.html"],
                "include-before-body": ["skip-link.html"],
                "include-after-body": ["after-body.html"],
                "from": "markdown-smart",
            }
        },
    }
    if description:
        meta["description-meta"] = " ".join(description.split())
    if subtitle:
        meta["subtitle"] = _literal(subtitle)
    if kicker:
        meta["edi-kicker"] = _literal(kicker)
    crumbs = [{"href": str(c["href"]), "label": _literal(c["label"])} for c in list(breadcrumbs)]
    if crumbs:
        meta["edi-breadcrumbs"] = crumbs
    front = yaml.safe_dump(meta, sort_keys=False, allow_unicode=True)
    return f"---\n{front}---\n\n{_raw_html_block(content)}"


def _theme_scss() -> str:
    """``edi.scss`` with the shared page rules (``style.css``) appended to its rules."""
    return (quarto_dir() / "edi.scss").read_text(encoding="utf-8") + "\n" + page_css()


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
) -> Path:
    """Render a cleaned notebook to one self-contained HTML page with Quarto.

    Parameters
    ----------
    nb
        A notebook passed through :func:`edi_reports.render.clean_notebook`.
    out_html
        Where to write the page (atomically).
    work
        An empty scratch folder (Quarto runs there).
    title, lang, description, kicker, subtitle, breadcrumbs, footer_links, footer_text
        As for :func:`edi_reports.render.render_page`.

    Returns
    -------
    Path
        ``out_html``.

    Raises
    ------
    RenderError
        If Quarto fails, or its page refers to anything on the network.
    """
    body, toc, has_chart = postprocess_body(notebook_body_html(nb), title)
    content = (
        _jinja()
        .get_template("content.html.j2")
        .render(body=body, toc=toc if toc and len(toc) >= 2 else [])
    )
    after = (
        _jinja()
        .get_template("after-body.html.j2")
        .render(
            footer_links=list(footer_links),
            footer_text=footer_text
            or f"Produced with the open-source edi-reports pipeline, version {__version__}.",
            print_details="<details" in body,
            vega_bundle=vega_bundle() if has_chart else "",
        )
    )
    (work / "after-body.html").write_text(after, encoding="utf-8")
    (work / "edi-theme.scss").write_text(_theme_scss(), encoding="utf-8")
    for name in ("title-block.html", "skip-link.html"):
        shutil.copyfile(quarto_dir() / name, work / name)
    doc = html_document(
        content,
        title=title,
        lang=lang,
        description=description,
        kicker=kicker,
        subtitle=subtitle,
        breadcrumbs=breadcrumbs,
    )
    (work / "report.qmd").write_text(doc, encoding="utf-8")
    _run_quarto("report.qmd", "html", work, "the HTML page")
    page = (work / "report.html").read_text(encoding="utf-8")
    external = _EXTERNAL_REF.search(page)
    if external:
        raise QuartoRenderError(
            f"the Quarto renderer's page refers to the network ({external.group(0)[:80]}...); "
            f"published pages must work offline. {FALLBACK_HINT}"
        )
    return _atomic_write(Path(out_html), page)


# --------------------------------------------------------------------------- PDF


def typst_document_source(
    markdown: str, *, title: str, lang: str, author: str = "", description: str = ""
) -> str:
    """The Quarto markdown document of the PDF (Typst format).

    Parameters
    ----------
    markdown
        The report as pandoc markdown (:func:`edi_reports.render.notebook_markdown`).
    title, lang, author, description
        Document metadata: the PDF's title, language, author and subject.

    Returns
    -------
    str
    """
    fonts = [f for f in _pdf_fonts() if f != "Libertinus Serif"]
    typst: dict[str, Any] = {
        "papersize": "a4",
        "margin": {"x": "2cm", "y": "2.2cm"},
        "fontsize": "10pt",
        "toc": False,
        "pdf-standard": "ua-1",
        "filters": ["typst.lua"],
        "include-in-header": ["edi.typ"],
        "template-partials": ["typst-template.typ"],
        "from": "markdown-smart",
    }
    if fonts:
        typst["mainfont"] = fonts[0]
    meta: dict[str, Any] = {
        "title": _literal(title),
        "lang": lang,
        "edi-title": _literal(title),
        "format": {"typst": typst},
    }
    if author:
        meta["author"] = _literal(author)
    if description:
        meta["description"] = _literal(description)
        meta["keywords"] = []
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
) -> Path:
    """Render a cleaned notebook to a tagged (PDF/UA-1) PDF with Quarto's Typst format.

    The chart SVGs are written into ``work`` beside the document, so Typst finds them.

    Parameters
    ----------
    nb
        A notebook passed through :func:`edi_reports.render.clean_notebook`.
    out_pdf
        Where to write the PDF (atomically).
    work
        An empty scratch folder (Quarto runs there).
    title, lang, author, description
        Document metadata.

    Returns
    -------
    Path
        ``out_pdf``.
    """
    markdown = notebook_markdown(nb, work)
    for name in ("typst.lua", "edi.typ", "typst-template.typ"):
        shutil.copyfile(quarto_dir() / name, work / name)
    doc = typst_document_source(
        markdown, title=title, lang=lang, author=author, description=description
    )
    (work / "report.qmd").write_text(doc, encoding="utf-8")
    _run_quarto("report.qmd", "typst", work, "the PDF")
    return _atomic_write(Path(out_pdf), (work / "report.pdf").read_bytes())


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
) -> dict[str, Path]:
    """Render one report's HTML page and PDF through Quarto into ``out_dir``.

    Parameters
    ----------
    executed_nb
        The executed report notebook.
    out_dir
        The report folder; gets ``index.html`` and ``report.pdf``.
    title, lang, author, description, subtitle, breadcrumbs
        As for :func:`edi_reports.render.render_report`.

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
        html = render_html_quarto(
            nb,
            out_dir / "index.html",
            html_work,
            title=title,
            lang=lang,
            description=description,
            subtitle=subtitle,
            breadcrumbs=breadcrumbs,
        )
        pdf = render_pdf_quarto(
            nb,
            out_dir / "report.pdf",
            pdf_work,
            title=title,
            lang=lang,
            author=author,
            description=description,
        )
    return {"html": html, "pdf": pdf}


# --------------------------------------------------------------------------- website


#: Page options shared by every page of the Quarto website project (see html_document).
_SITE_HTML = {
    "title-block-style": "none",
    "theme": ["edi-theme.scss"],
    "embed-resources": True,
    "page-layout": "custom",
    "toc": False,
    "anchor-sections": False,
    "smooth-scroll": False,
    "link-external-icon": False,
    "include-before-body": ["skip-link.html"],
    "from": "markdown-smart",
}


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
        "format": {"html": dict(_SITE_HTML)},
    }
    return "# " + title.replace("\n", " ") + "\n" + yaml.safe_dump(config, sort_keys=False)


def render_site_quarto(
    pages: list[dict[str, Any]], reports_dir: Path, *, title: str, lang: str = "en-GB"
) -> list[Path]:
    """Render the website's pages as one Quarto website project into ``reports_dir``.

    Each page is a title-less Quarto document (``pagetitle`` gives ``<title>``) whose body
    is the page's header band, contents and ``<main>`` as raw HTML, so Quarto adds no title
    block, navigation or search of its own; the theme, skip link, footer and
    ``embed-resources`` are those of the report pages. Only the HTML pages are published
    (each is self-contained); Quarto's ``site_libs`` stay in the scratch folder.

    Parameters
    ----------
    pages
        ``[{"path": "RJZ/index.html", "body", "title", "toc", "kicker", "subtitle",
        "description", "breadcrumbs", "footer_links", "include_vega"}]`` as for
        :func:`edi_reports.render.render_page`.
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
    env = _jinja()
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
            toc = page.get("toc") or []
            content = env.get_template("header.html.j2").render(
                title=page["title"],
                kicker=page.get("kicker", ""),
                subtitle=page.get("subtitle", ""),
                breadcrumbs=list(page.get("breadcrumbs") or ()),
            ) + env.get_template("content.html.j2").render(
                body=page["body"], toc=toc if len(toc) >= 2 else []
            )
            after = env.get_template("after-body.html.j2").render(
                footer_links=list(page.get("footer_links") or ()),
                footer_text=page.get("footer_text")
                or f"Produced with the open-source edi-reports pipeline, version {__version__}.",
                print_details="<details" in page["body"],
                vega_bundle=vega_bundle() if page.get("include_vega") else "",
            )
            (qmd.parent / f"_{qmd.stem}-after-body.html").write_text(after, encoding="utf-8")
            meta: dict[str, Any] = {
                "pagetitle": _literal(page["title"]),
                "lang": lang,
                "format": {"html": {"include-after-body": [f"_{qmd.stem}-after-body.html"]}},
            }
            if page.get("description"):
                meta["description-meta"] = " ".join(str(page["description"]).split())
            front = yaml.safe_dump(meta, sort_keys=False, allow_unicode=True)
            qmd.write_text(f"---\n{front}---\n\n{_raw_html_block(content)}", encoding="utf-8")
        _run_quarto_project(work)
        for page in pages:
            html = _drop_quarto_title_block(
                (work / "_site" / page["path"]).read_text(encoding="utf-8")
            )
            external = _EXTERNAL_REF.search(html)
            if external:
                raise QuartoRenderError(
                    f"the Quarto renderer's page {page['path']} refers to the network "
                    f"({external.group(0)[:80]}...); published pages must work offline. "
                    f"{FALLBACK_HINT}"
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
