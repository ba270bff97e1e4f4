"""Headless Chromium for the browser tests: one browser per module, axe-core, page visits.

Shared by the accessibility, page-layout and Quarto tests; ``tests/conftest.py`` makes the
``browser`` and ``axe_script`` fixtures available to every test module. Skips, with the
reason, when Chromium, Playwright or the axe-core wheel is absent (``.ci/run`` installs
Chromium; ``pip install -e '.[test]'`` installs the rest; CI turns these skips into failures).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

#: Marks of the tests that build the demo and open it in Chromium (the module's unit tests
#: of the fixes at the end run in the fast suite).
BROWSER_MARKS = (pytest.mark.slow, pytest.mark.browser, pytest.mark.xdist_group("a11y"))


def browser_test(fn: Any) -> Any:
    """Mark a test as slow, browser-driven and grouped on one xdist worker."""
    for mark in BROWSER_MARKS:
        fn = mark(fn)
    return fn


#: axe-core rule tags: WCAG 2.0, 2.1 and 2.2, levels A and AA.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
FAILING_IMPACTS = {"serious", "critical"}


#: Chromium flags: headless, no sandbox (CI runs as root), and no way out to the network.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--proxy-server=127.0.0.1:9",
    "--proxy-bypass-list=<-loopback>",
]


def chromium_path() -> str:
    """The Debian Chromium binary (``EDI_CHROMIUM`` overrides), or skip the test."""
    path = os.environ.get("EDI_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(path).is_file():
        pytest.skip("Chromium is absent: apt-get install chromium (.ci/run does this)")
    return path


@pytest.fixture(scope="module")
def axe_script() -> str:
    """axe-core's ``axe.min.js``, from the wheel that vendors it (offline)."""
    base = pytest.importorskip(
        "axe_playwright_python.base",
        reason="axe-core is absent: pip install -e '.[test]' (axe-playwright-python)",
    )
    return Path(base.AXE_FILE_PATH).read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """One headless Chromium for the module, launched from the system binary."""
    sync_api = pytest.importorskip(
        "playwright.sync_api", reason="Playwright is absent: pip install -e '.[test]'"
    )
    executable = chromium_path()
    with sync_api.sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class Visit:
    """A page opened in its own browser context, with what it logged and requested."""

    def __init__(self, browser: Any, path: Path, width: int, bypass_csp: bool = False) -> None:
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.context = browser.new_context(
            viewport={"width": width, "height": 900}, bypass_csp=bypass_csp
        )
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda exc: self.errors.append(f"uncaught: {exc}"))
        self.page.goto(path.as_uri(), wait_until="load")
        self.page.wait_for_function(
            "Array.from(document.querySelectorAll('.edi-chart'))"
            ".every(el => el.dataset.drawn || el.dataset.error)",
            timeout=20_000,
        )

    def _route(self, route: Any) -> None:
        url = route.request.url
        if url.startswith(("file:", "data:", "blob:", "about:")):
            route.continue_()
        else:
            self.requests.append(url)
            route.abort()

    def _console(self, msg: Any) -> None:
        if msg.type == "error":
            self.errors.append(f"console: {msg.text}")

    def close(self) -> None:
        self.context.close()


def describe(violations: list[dict[str, Any]]) -> str:
    """A readable summary of axe violations for an assertion message."""
    lines = []
    for v in violations:
        targets = "; ".join(str(n["target"]) for n in v["nodes"][:3])
        lines.append(f"{v['id']} ({v['impact']}, {len(v['nodes'])} nodes): {v['help']} @ {targets}")
    return "\n".join(lines)


def axe_violations(page: Any, axe_script: str) -> list[dict[str, Any]]:
    """Every axe-core WCAG A/AA violation on ``page``, with every chart's data table open."""
    page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")
    page.add_script_tag(content=axe_script)
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags},"
        " resultTypes: ['violations']})",
        WCAG_TAGS,
    )
    return result["violations"]
