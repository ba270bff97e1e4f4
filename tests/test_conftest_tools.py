"""The CI guard that turns a missing-tool skip into a failure."""

import pytest

from tests.conftest import _required_tool_missing


@pytest.mark.parametrize(
    "reason",
    [
        "Chromium is absent: apt-get install chromium (.ci/run does this)",
        "/usr/bin/chromium is absent (apt-get install chromium)",
        "pdfinfo (poppler-utils) is not installed",
        "Playwright is absent: pip install -e '.[test]'",
        "axe-core is absent: pip install -e '.[test]' (axe-playwright-python)",
    ],
)
def test_missing_test_tools_are_failures_in_ci(reason):
    assert _required_tool_missing(reason)


@pytest.mark.parametrize(
    "reason",
    ["quarto is not on PATH (CI has none)", "not a git checkout", "Quarto absent: chromium ok"],
)
def test_other_skips_stay_skips(reason):
    assert not _required_tool_missing(reason)


def test_guard_fails_a_skipped_tool_test(pytester, monkeypatch):
    monkeypatch.setenv("EDI_REQUIRE_TOOLS", "1")
    pytester.makeconftest((__import__("pathlib").Path(__file__).parent / "conftest.py").read_text())
    pytester.makepyfile(
        """
        import pytest
        def test_needs_pdfinfo():
            pytest.skip("pdfinfo (poppler-utils) is not installed")
        def test_needs_quarto():
            pytest.skip("quarto is not on PATH")
        """
    )
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(failed=1, skipped=1)
