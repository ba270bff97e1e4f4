"""Narrative is text, not code: Markdown made safe for every renderer.

The organisation's own words (``content/<ORG>/<YEAR>/summary.md``, ``objectives.md``,
``wdes_9b.md``) and every sentence that carries an organisation's name reach three
renderers: mistune for the web page, pandoc and Typst for the PDF, Quarto when present.
Pandoc's Markdown passes raw Typst, HTML and LaTeX through to its output (``raw_attribute``,
``raw_html``, ``raw_tex``), reads ``$...$`` as mathematics and ``---`` blocks as metadata, so
a narrative file could rewrite the statutory figures of the PDF.

:func:`safe_markdown` therefore parses the Markdown once (mistune, CommonMark) and writes it
again in a small, conservative form both renderers read the same way: paragraphs, headings,
emphasis, strong, strikethrough, lists, quotes, tables, code shown as code, and links to
``http``, ``https`` and ``mailto`` addresses (and ``#`` anchors in the page). Every piece of
text has its punctuation backslash-escaped, so nothing in it is markup any more: raw HTML
and Typst show as the characters typed, ``$x$`` is text, a link to ``javascript:`` or
``data:`` keeps its words and loses its target. Images are refused with a plain message
(charts in a report come only from its published tables) when they come from the
organisation's files, and become their alternative text elsewhere.
"""

from __future__ import annotations

import re
from typing import Any

import mistune

from edi_reports.codes import shown
from edi_reports.errors import InputError

__all__ = ["NarrativeError", "safe_link", "safe_markdown", "escape_text"]

#: URL schemes a published link may use (anything else keeps its words, loses its target).
SAFE_SCHEMES: tuple[str, ...] = ("http://", "https://", "mailto:")

_PARSE = mistune.create_markdown(renderer=None, plugins=["table", "strikethrough"])
_PUNCT = re.compile(r"([!-/:-@\[-`{-~])")


class NarrativeError(InputError):
    """A narrative file uses something that is not published (an image)."""


def escape_text(text: str) -> str:
    """Text with every ASCII punctuation character backslash-escaped and whitespace
    collapsed, so CommonMark and pandoc Markdown both read it as the same plain text."""
    return _PUNCT.sub(r"\\\1", " ".join(text.split()) if text.strip() else text.strip())


def safe_link(url: str) -> str | None:
    """``url`` when it is an ``http``, ``https`` or ``mailto`` address or an in-page
    ``#anchor`` (control characters and spaces refused), else None."""
    url = url.strip()
    if not url or any(ord(c) < 33 or ord(c) == 127 for c in url):
        return None
    if url.startswith("#") and re.fullmatch(r"#[A-Za-z][A-Za-z0-9_\-:.]*", url):
        return url
    if url.lower().startswith(SAFE_SCHEMES) and len(url) > 8:
        return url
    return None


def _url_for_markdown(url: str) -> str:
    """Percent-encode the characters that could end or re-open a Markdown destination."""
    return "".join(f"%{ord(c):02X}" if c in '()<>"\\`{}[] ' else c for c in url)


class _Writer:
    def __init__(self, source: str, images: str) -> None:
        self.source = source
        self.images = images

    # ---------------------------------------------------------------- inline
    def inline(self, nodes: list[dict[str, Any]]) -> str:
        return "".join(self.inline_node(n) for n in nodes)

    def inline_node(self, node: dict[str, Any]) -> str:
        kind = node["type"]
        if kind == "text":
            return _PUNCT.sub(r"\\\1", node["raw"].replace("\n", " "))
        if kind in ("inline_html", "block_html"):
            return escape_text(node.get("raw", ""))
        if kind == "softbreak":
            return " "
        if kind == "linebreak":
            return "\\\n"
        if kind == "codespan":
            return _code_span(node.get("raw", ""))
        if kind in ("emphasis", "strong", "strikethrough"):
            inner = self.inline(node.get("children", []))
            if not inner.strip():
                return inner
            mark = {"emphasis": "*", "strong": "**", "strikethrough": "~~"}[kind]
            return f"{mark}{inner}{mark}"
        if kind == "link":
            words = self.inline(node.get("children", []))
            url = safe_link(node.get("attrs", {}).get("url", ""))
            if url is None or not words.strip():
                return words
            return f"[{words}]({_url_for_markdown(url)})"
        if kind == "image":
            url = node.get("attrs", {}).get("url", "")
            if self.images == "alt":
                return self.inline(node.get("children", []))
            raise NarrativeError(
                self.source,
                f"images are not published from narrative (found the image {shown(url, 60)})",
                fix="Remove the image and describe what it shows in words; the report's charts "
                "are drawn from its published tables.",
            )
        return escape_text(str(node.get("raw", "")))

    # ---------------------------------------------------------------- blocks
    def blocks(self, nodes: list[dict[str, Any]]) -> list[str]:
        out = []
        for node in nodes:
            text = self.block(node)
            if text is not None and text.strip():
                out.append(text)
        return out

    def block(self, node: dict[str, Any]) -> str | None:
        kind = node["type"]
        children = node.get("children", [])
        if kind == "blank_line":
            return None
        if kind in ("paragraph", "block_text"):
            return self.inline(children).strip()
        if kind == "heading":
            level = int(node.get("attrs", {}).get("level", 2))
            return "#" * min(max(level, 1), 6) + " " + self.inline(children).strip()
        if kind == "thematic_break":
            return "* * *"
        if kind == "block_code":
            return _code_block(node.get("raw", ""))
        if kind == "block_quote":
            inner = "\n\n".join(self.blocks(children))
            return "\n".join("> " + line if line else ">" for line in inner.split("\n"))
        if kind == "list":
            return self.list(node)
        if kind == "table":
            return self.table(node)
        if kind == "block_html":
            return escape_text(node.get("raw", ""))
        return escape_text(str(node.get("raw", "")))

    def list(self, node: dict[str, Any]) -> str:
        attrs = node.get("attrs", {})
        ordered = bool(attrs.get("ordered"))
        start = int(attrs.get("start") or 1)
        tight = node.get("tight", True)
        items = []
        for i, item in enumerate(node.get("children", [])):
            marker = f"{start + i}. " if ordered else "- "
            body = ("\n" if tight else "\n\n").join(self.blocks(item.get("children", [])))
            pad = " " * len(marker)
            lines = body.split("\n") or [""]
            text = (
                marker
                + lines[0]
                + "".join("\n" + (pad + line if line else "") for line in lines[1:])
            )
            items.append(text)
        return ("\n" if tight else "\n\n").join(items)

    def table(self, node: dict[str, Any]) -> str:
        head: list[str] = []
        aligns: list[str | None] = []
        rows: list[list[str]] = []
        for part in node.get("children", []):
            if part["type"] == "table_head":
                for cell in part.get("children", []):
                    head.append(self.inline(cell.get("children", [])).strip())
                    aligns.append(cell.get("attrs", {}).get("align"))
            elif part["type"] == "table_body":
                for row in part.get("children", []):
                    rows.append(
                        [
                            self.inline(c.get("children", [])).strip()
                            for c in row.get("children", [])
                        ]
                    )
        if not head:
            return ""
        rule = {"left": ":--", "right": "--:", "center": ":-:"}
        lines = [
            "| " + " | ".join(h or " " for h in head) + " |",
            "|" + "|".join(rule.get(a or "", "---") for a in aligns) + "|",
        ]
        for row in rows:
            row = (row + [""] * len(head))[: len(head)]
            lines.append("| " + " | ".join(c or " " for c in row) + " |")
        return "\n".join(lines)


def _code_span(code: str) -> str:
    """Inline code with a backtick fence longer than any run of backticks inside."""
    code = " ".join(code.split("\n"))
    longest = max((len(m) for m in re.findall(r"`+", code)), default=0)
    fence = "`" * (longest + 1)
    return f"{fence} {code} {fence}" if code else ""


def _code_block(code: str) -> str:
    """A fenced code block with no info string (so never a raw block)."""
    longest = max((len(m) for m in re.findall(r"^\s*(`{3,}|~{3,})", code, flags=re.M)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}\n{code.rstrip()}\n{fence}"


def safe_markdown(text: str, source: str = "narrative", images: str = "alt") -> str:
    """Markdown in which nothing is markup except the safe subset (see the module docstring).

    Parameters
    ----------
    text
        Markdown written by people (the organisation's narrative, or a sentence that holds
        an organisation's name).
    source
        The file it came from, for the message when it holds an image.
    images
        ``"alt"``: an image becomes its alternative text; ``"refuse"``: an image is a
        :class:`NarrativeError` (the organisation's own files).

    Returns
    -------
    str
        Markdown that mistune and pandoc read the same way, with no raw passthrough, no
        mathematics, no metadata and only ``http(s)``/``mailto``/``#anchor`` links.

    Raises
    ------
    NarrativeError
        When the text holds an image.
    """
    tokens = _PARSE(text)
    return "\n\n".join(_Writer(source, images).blocks(tokens)).strip()
