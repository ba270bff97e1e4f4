"""Content-Security-Policy for published pages, and the check of the inlined chart bundle.

A published page is one self-contained file: its own stylesheet, the chart scripts this
package writes, and the offline Vega bundle of vl-convert. :func:`add_policy` puts a
``<meta http-equiv="Content-Security-Policy">`` first in the page's ``<head>`` that allows
exactly those inline scripts and styles, by their SHA-256 hashes, and nothing else: no
network request of any kind (``default-src 'none'``), no other script (an injected
``<script>`` or event handler does not run), no plugins, forms or base URL. Pages with
charts also allow ``'unsafe-eval'`` (Vega compiles its data accessors with ``Function``:
only the allowed scripts can use it) and the two stylesheets vega-embed and
vega-tooltip add.

:func:`verify_bundle` checks the chart JavaScript before it is inlined: the copy cached on
disk must have the SHA-256 recorded here for the installed vl-convert version, or equal the
bundle vl-convert builds itself.

References: W3C Content Security Policy Level 3 (hash sources, ``style-src-attr``); Vega,
"Content Security Policy" (the expression interpreter).
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Iterator

__all__ = ["KNOWN_BUNDLES", "add_policy", "bundle_sha256", "policy_for", "verify_bundle"]

#: SHA-256 (hex) of the bundle as :func:`edi_reports.rendering.offline.vega_bundle` inlines it
#: (``</script`` escaped), by vl-convert version.
KNOWN_BUNDLES: dict[str, str] = {
    "1.9.0": "3425bd951a44d478d0505c6b5d1e8d57656b6e9a4da7bfe88a718ce61d76e572",
}

#: Stylesheets the bundle itself adds to the page when it draws a chart (``#vega-embed-style``
#: and ``#vega-tooltip-style``), as CSP hash sources, by vl-convert version.
BUNDLE_STYLES: dict[str, tuple[str, ...]] = {
    "1.9.0": (
        "'sha256-9uoGUaZm3j6W7+Fh2wfvjI8P7zXcclRw5tVUu3qKZa0='",
        "'sha256-MmUum7+PiN7Rz79EUMm0OmUFWjCx6NZ97rdjoIbTnAg='",
    ),
}

_SCRIPT_OPEN = re.compile(r"<script\b([^>]*)>", flags=re.I)
_SCRIPT_CLOSE = re.compile(r"</script>", flags=re.I)
_STYLE = re.compile(r"<style\b[^>]*>(.*?)</style>", flags=re.S | re.I)
#: The only script allowed inside ``<main>``: :func:`edi_reports.report.display.chart`'s drawing
#: script for one chart id.
_CHART_SCRIPT = re.compile(
    r"\(function\(\)\{var id=\"chart-[0-9a-f]{10}\";function draw\(\)\{[^<]*\}\)\(\);"
)
_DATA_TYPES = ("application/json", "application/ld+json")


def bundle_sha256(text: str) -> str:
    """SHA-256 (hex) of a JavaScript bundle as UTF-8."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def verify_bundle(text: str, version: str) -> bool:
    """Whether ``text`` is the known bundle of vl-convert ``version`` (False when the
    version is not recorded: the caller then compares with a freshly built bundle)."""
    expected = KNOWN_BUNDLES.get(version)
    return expected is not None and bundle_sha256(text) == expected


def _source(text: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def policy_for(page: str, bundle_version: str | None = None) -> str:
    """The policy allowing exactly the page's own inline scripts and styles.

    Parameters
    ----------
    page
        A complete HTML page.
    bundle_version
        The vl-convert version whose bundle the page inlines (None: no charts). Vega
        compiles its data accessors and expressions with ``Function`` (``'unsafe-eval'``,
        which lets only the allowed scripts build code, never run injected markup) and
        vega-embed and vega-tooltip add stylesheets of their own (:data:`BUNDLE_STYLES`).

    Returns
    -------
    str
        The policy text.
    """
    scripts = []
    main = re.search(r"<main\b.*</main>", page, flags=re.S | re.I)
    span = main.span() if main else (0, 0)
    for start, attrs, body in _scripts(page):
        kind = re.search(r"""type\s*=\s*["']?([^"'\s>]+)""", attrs, flags=re.I)
        if kind and kind.group(1).lower() in _DATA_TYPES:
            continue  # data blocks are never run
        inside = span[0] <= start < span[1]
        if inside and not _CHART_SCRIPT.fullmatch(body):
            continue  # in the report body, only this package's chart scripts may run
        scripts.append(_source(body))
    styles = [_source(body) for body in _STYLE.findall(page)]
    if bundle_version is not None:
        scripts.append("'unsafe-eval'")
        styles.extend(BUNDLE_STYLES.get(bundle_version, ()))
    script_src = " ".join(dict.fromkeys(scripts)) or "'none'"
    style_src = " ".join(dict.fromkeys(styles)) or "'none'"
    return (
        "default-src 'none'; "
        f"script-src {script_src}; "
        f"style-src {style_src}; "
        f"style-src-elem {style_src}; "
        # chart SVG drawn by Vega sets presentation styles on its own elements
        "style-src-attr 'unsafe-inline'; "
        "img-src data:; font-src data:; "
        "base-uri 'none'; form-action 'none'; object-src 'none'"
    )


def _scripts(page: str) -> Iterator[tuple[int, str, str]]:
    """``(start, attributes, body)`` of each ``<script ...>...</script>`` in ``page``, as
    ``re.finditer(r"<script\b([^>]*)>(.*?)</script>", page, re.S | re.I)`` finds them: the
    body ends at the first closing tag. A search for the closing tag, not a lazy ``.*?``,
    which tries it at every character of the inlined chart bundle."""
    pos = 0
    while (opening := _SCRIPT_OPEN.search(page, pos)) is not None:
        closing = _SCRIPT_CLOSE.search(page, opening.end())
        if closing is None:  # no closing tag after this one, so none after any later one
            return
        yield opening.start(), opening.group(1), page[opening.end() : closing.start()]
        pos = closing.end()


def add_policy(page: str, bundle_version: str | None = None) -> str:
    """``page`` with its Content-Security-Policy meta tag first in ``<head>``.

    The meta tag must come before any script or style it governs; it is placed right
    after ``<meta charset>`` (else after ``<head>``).
    """
    policy = policy_for(page, bundle_version)
    meta = f'<meta http-equiv="Content-Security-Policy" content="{policy}">'
    charset = re.search(r"<meta\s+charset=[^>]*>", page, flags=re.I)
    if charset is not None:  # the charset stays within the first 1024 bytes
        return page[: charset.end()] + "\n" + meta + page[charset.end() :]
    head = re.search(r"<head\b[^>]*>", page, flags=re.I)
    if head is None:
        raise ValueError("the page has no <head>: cannot add its Content-Security-Policy")
    return page[: head.end()] + "\n" + meta + page[head.end() :]
