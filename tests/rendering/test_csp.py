"""The Content-Security-Policy's scan of a page's scripts (edi_reports.rendering.csp): it
finds exactly the scripts the regular expression ``<script\\b([^>]*)>(.*?)</script>``
(case-insensitive, across lines) finds, so the policy allows the same hashes."""

from __future__ import annotations

import re

from hypothesis import example, given, settings
from hypothesis import strategies as st

from edi_reports.rendering import csp

_REFERENCE = re.compile(r"<script\b([^>]*)>(.*?)</script>", flags=re.S | re.I)

_PIECES = st.sampled_from(
    [
        "<script>",
        "</script>",
        "<SCRIPT type='x'>",
        "</SCRIPT>",
        "<scripts>",
        "<script",
        ">",
        "<",
        "/",
        "a",
        "\n",
        "</script >",
        "<main>",
        "</main>",
        "<style>b</style>",
    ]
)


@settings(max_examples=300, derandomize=True, deadline=None)
@given(st.lists(_PIECES, max_size=14).map("".join))
@example("<script>a</script><script src='x'>b</SCRIPT>")
@example("<script>never closed")
@example("<script a='<script>'>x</script>")
def test_scripts_are_the_reference_matches(page):
    expected = [(m.start(), m.group(1), m.group(2)) for m in _REFERENCE.finditer(page)]
    assert list(csp._scripts(page)) == expected


def test_policy_hashes_each_script_once():
    page = (
        "<html><head><meta charset='utf-8'><script>var a=1;</script></head>"
        "<body><main><script>alert(1)</script></main><script>var a=1;</script></body></html>"
    )
    policy = csp.policy_for(page)
    script_src = policy.split("script-src ")[1].split(";")[0]
    # the script inside <main> is not a chart script: not allowed; the other is listed once
    assert script_src == csp._source("var a=1;")
