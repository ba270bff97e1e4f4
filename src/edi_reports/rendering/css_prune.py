"""Drop the style rules a page cannot use: those naming a class or id the page lacks.

Quarto's ``html`` format compiles the whole of Bootstrap with the theme (about 430 kB of
CSS: navigation bars, forms, buttons, grid and utility classes, sidebars, code listings),
and a report page uses a small part of it. :func:`prune_css` keeps every rule that may
apply to the page and drops only a rule each of whose selectors names a class (``.x``) or
id (``#x``) that appears nowhere in the page's markup. It is conservative: a selector it
cannot read with certainty (escapes, or classes inside ``:not()``, ``:is()``,
``:where()``, ``:has()``) is kept, and so are ``@font-face``, ``@keyframes``, ``@page``,
``@property`` and custom properties. The pages have no script that adds classes to the
page's markup except the chart library, which styles its own elements itself.

The page is then checked in Chromium exactly as before (axe-core, reflow at 320 CSS
pixels, the policy), so a rule dropped wrongly would show as a failure there.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

__all__ = ["page_names", "prune_css"]

_CLASS_ATTR = re.compile(r"""\sclass\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", flags=re.I)
_ID_ATTR = re.compile(r"""\sid\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", flags=re.I)
_NAME = re.compile(r"([.#])(-?[_a-zA-Z][_a-zA-Z0-9-]*)")
#: At-rules whose block holds rules (pruned inside); any other block is kept whole.
_COMMENT = re.compile(r"/\*.*?\*/", flags=re.S)
_GROUPING = ("@media", "@supports", "@layer", "@container", "@document")


def page_names(html: str) -> tuple[set[str], set[str]]:
    """The class names and ids used in ``html``'s markup.

    Parameters
    ----------
    html
        A page (markup; text inside ``<script>`` and ``<style>`` counts as markup too,
        which only keeps more rules).

    Returns
    -------
    tuple of set
        ``(classes, ids)``.
    """
    classes: set[str] = set()
    for m in _CLASS_ATTR.finditer(html):
        classes.update((m.group(1) or m.group(2) or m.group(3) or "").split())
    ids = {(m.group(1) or m.group(2) or m.group(3) or "").strip() for m in _ID_ATTR.finditer(html)}
    return classes, ids


def _strip_parens(selector: str) -> str:
    """The selector without any parenthesised group (its classes are not required)."""
    out, depth = [], 0
    for ch in selector:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(0, depth - 1)
        elif depth == 0:
            out.append(ch)
    return "".join(out)


def _split_selectors(text: str) -> list[str]:
    """A selector list split at its top-level commas."""
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth = max(0, depth - 1)
        elif ch == "," and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return parts


def _may_match(selector: str, classes: set[str], ids: set[str]) -> bool:
    """False only when the selector surely needs a class or id the page lacks."""
    if "\\" in selector:
        return True
    bare = re.sub(r"\[[^\]]*\]", "", _strip_parens(selector))
    for kind, name in _NAME.findall(bare):
        if (kind == "." and name not in classes) or (kind == "#" and name not in ids):
            return False
    return True


def _blocks(css: str) -> Iterator[tuple[str, str]]:
    """``(prelude, body)`` of each top-level block, and ``(statement, "")`` for each
    top-level statement (``@import``, ``@charset``) or trailing text."""
    i, n = 0, len(css)
    while i < n:
        brace = css.find("{", i)
        semi = css.find(";", i)
        if brace < 0:
            if css[i:].strip():
                yield css[i:], ""
            return
        if 0 <= semi < brace and css[i:semi].lstrip().startswith("@"):
            yield css[i : semi + 1], ""
            i = semi + 1
            continue
        depth, j = 0, brace
        while j < n:
            if css[j] == "{":
                depth += 1
            elif css[j] == "}":
                depth -= 1
                if depth == 0:
                    break
            elif css[j] in "\"'":  # skip a string (content: "}")
                j = css.find(css[j], j + 1)
                if j < 0:
                    j = n
            j += 1
        yield css[i:brace], css[brace + 1 : j]
        i = j + 1


def prune_css(css: str, classes: set[str], ids: set[str]) -> str:
    """``css`` without the rules that cannot apply to a page with these classes and ids.

    Parameters
    ----------
    css
        A stylesheet.
    classes, ids
        What the page uses (:func:`page_names`).

    Returns
    -------
    str
        The rules kept, in their order (a kept rule keeps all of its selectors).
    """
    out = []
    for prelude, body in _blocks(css):
        # licence comments (/*! ... */) are kept; other comments go
        out.extend(c for c in _COMMENT.findall(prelude) if c.startswith("/*!"))
        head = _COMMENT.sub("", prelude).strip()
        if not body and not head.endswith("{"):
            if head.startswith("@") and head.endswith(";"):
                out.append(head)
            continue
        if head.startswith("@"):
            if head.lower().startswith(_GROUPING):
                inner = prune_css(body, classes, ids)
                if inner.strip():
                    out.append(f"{head}{{{inner}}}")
            else:
                out.append(f"{head}{{{body}}}")
            continue
        if any(_may_match(s, classes, ids) for s in _split_selectors(head)):
            out.append(f"{head}{{{body}}}")
    return "\n".join(out)
