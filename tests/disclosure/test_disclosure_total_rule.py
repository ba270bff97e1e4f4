"""A hidden small total pinned by its own line (methodology §6.2): the member rule of
secondary suppression flags exactly those lines, which is why the disclosure module has no
separate rule for the total."""

from __future__ import annotations

import numpy as np
import pytest

from edi_reports.config import DEFAULT_SETTINGS
from edi_reports.disclosure.control import _SUP, _Lines, _lines_needing_more


def hidden_total_line(sizes: list[int]) -> _Lines:
    """One line: members of ``sizes`` (all small, so suppressed) under their hidden total."""
    n = len(sizes)
    count = np.array([*sizes, sum(sizes)], dtype=float)
    return _Lines(
        count=count,
        exact=np.zeros(n + 1, dtype=bool),
        state=np.full(n + 1, _SUP, dtype=np.int8),
        reason=np.array(["count"] * (n + 1), dtype=object),
        link=np.full(n + 1, -1, dtype=np.int64),
        line=np.zeros(n, dtype=np.int64),
        cell=np.arange(n, dtype=np.int64),
        total=np.array([n], dtype=np.int64),
        n_row_lines=1,
    )


@pytest.mark.parametrize("k", range(1, DEFAULT_SETTINGS.disclosure.suppress_max + 1))
def test_a_pinned_hidden_total_is_caught_by_the_member_rule(k):
    """Total 7 (the largest small count) split into k non-zero members: an attacker pins the
    total (and every member) only when all seven members are 1, and only then is the line
    flagged."""
    s = DEFAULT_SETTINGS.disclosure.suppress_max
    sizes = [1] * (k - 1) + [s - (k - 1)]
    needing = _lines_needing_more(hidden_total_line(sizes), DEFAULT_SETTINGS)
    assert needing.tolist() == [k == s]
