"""Shared test set-up: no analytics, no network, headless plotting, and no silent skips in CI."""

import os

import pytest

pytest_plugins = ["pytester"]

os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
os.environ.setdefault("MPLBACKEND", "Agg")

#: Words in a skip reason that mean "a tool the tests need is not installed". On a developer's
#: machine such a test skips with its reason; where ``EDI_REQUIRE_TOOLS`` is set (``.ci/run``
#: sets it) the skip becomes a failure, so a CI that failed to install Chromium, Playwright,
#: axe-core or poppler is red rather than quietly green. Quarto is not among them: CI has none.
REQUIRED_TOOL_WORDS = (
    "chromium",
    "poppler",
    "pdfinfo",
    "pdftotext",
    "pdftoppm",
    "playwright",
    "axe",
)


def _required_tool_missing(reason: str) -> bool:
    reason = reason.lower()
    return "quarto" not in reason and any(word in reason for word in REQUIRED_TOOL_WORDS)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if not report.skipped or not os.environ.get("EDI_REQUIRE_TOOLS"):
        return
    longrepr = report.longrepr
    reason = longrepr[2] if isinstance(longrepr, tuple) else str(longrepr)
    if _required_tool_missing(reason):
        report.outcome = "failed"
        report.longrepr = f"a tool the tests need is missing (EDI_REQUIRE_TOOLS is set): {reason}"


# the browser fixtures (one Chromium per module, axe-core) for every browser test module
from tests.browser import axe_script, browser  # noqa: E402, F401
