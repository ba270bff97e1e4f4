"""The publish guard's search (methodology §6): the word lookups that rule needles out
before a text is scanned must never rule out a needle that is there.

The reference is the plain search: every occurrence of the needle in the normalised text
is tried, and a needle counts when one occurrence has no letter or digit on either side and
its first ``\\w+`` word is a word of the text.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from edi_reports.disclosure import guard

_WORD = re.compile(r"\w+")


def _reference(text: str, needles: list[str]) -> list[str]:
    flat = guard._norm(text)
    words = set(_WORD.findall(flat))
    found = []
    for needle in needles:
        first = _WORD.search(needle)
        if first is None or first.group(0) not in words:
            continue
        for at in range(len(flat) - len(needle) + 1):
            if not flat.startswith(needle, at):
                continue
            end = at + len(needle)
            before = flat[at - 1] if at else " "
            after = flat[end] if end < len(flat) else " "
            if not before.isalnum() and not after.isalnum():
                found.append(needle)
                break
    return sorted(found)


def _search(text: str, needles: list[str], budget: int | None = None) -> list[str]:
    prepared = guard._prepared(dict.fromkeys(needles, "test"))
    vocabulary = frozenset(run for n in prepared for run in n.runs)
    return guard._find(guard._Text(text, vocabulary, budget), prepared)


#: Search budgets: every needle left searched for without the map of successive runs, the
#: map made at once, and the map made part of the way through (the second kind searched).
BUDGETS = [10_000, 0, 2]


# letters, digits, the underscore (a \w character that is not a letter or digit) and the
# separators ids, dates and amounts are written with
_ALPHABET = "ab19_ -:./,£é"


@settings(max_examples=250, derandomize=True, deadline=None)
@given(
    text=st.text(alphabet=_ALPHABET, max_size=60),
    needles=st.lists(st.text(alphabet=_ALPHABET, min_size=1, max_size=8), max_size=6),
)
@example(text="x_ab12 ab12", needles=["ab12"])  # found after an underscore
@example(text="1985-03-12", needles=["1985-03-12", "03-12", "1985-03"])
@example(text="id qx00001x qx00001", needles=["qx00001"])  # the second occurrence counts
@example(text="a 19 b 19-1", needles=["19-1", "b 19"])
@example(text="19 1", needles=["19-1"])  # the runs are there, the needle is not
@pytest.mark.parametrize("budget", BUDGETS)
def test_search_finds_what_the_plain_search_finds(budget, text, needles):
    needles = [n for n in dict.fromkeys(guard._norm(n) for n in needles) if n]
    assert _search(text, needles, budget) == _reference(text, needles)


@pytest.mark.parametrize("budget", BUDGETS)
def test_search_across_kinds_shares_the_budget(budget):
    """One text searched for several kinds in turn, as :func:`guard.check_publication`
    does: the budget left after one kind decides for the next."""
    kinds = [["ab-12", "ab-13", "zz-12"], ["1985-03-12", "1985-03-13"], ["2,345.67", "345.6"]]
    prepared = [guard._prepared(dict.fromkeys(k, "test")) for k in kinds]
    vocabulary = frozenset(run for items in prepared for n in items for run in n.runs)
    text = guard._Text("staff ab-12 born 1985-03-12 paid 2,345.67 ab 13", vocabulary, budget)
    found = [guard._find(text, items) for items in prepared]
    assert found == [["ab-12"], ["1985-03-12"], ["2,345.67"]]


def test_the_budget_follows_the_length_of_the_text():
    short = guard._Text("a b c")
    long = guard._Text("word " * (3 * guard.WORDS_PER_SEARCH))
    assert short._budget == 0 and long._budget == 3


def test_a_needle_is_found_among_many_lookalikes():
    """Many dates and amounts share their first word with the text: only the one there
    is reported."""
    text = "born 1985-03-12; paid £2,345.67 and 1985 03 12 2345 67 " * 50
    needles = [f"1985-03-{d:02d}" for d in range(1, 29)] + ["2345.67", "2,345.67", "345.67"]
    assert _search(text, needles) == ["1985-03-12", "2,345.67", "345.67"]


class TestAssets:
    """The chart bundle a page carries whole is left out of the search; nothing else is."""

    BUNDLE = "(function(){var vega={version:'5'};window.vegaEmbed=function(){};})();" * 50

    def _page(self, tmp_path, body: str, bundle: str) -> None:
        (tmp_path / "index.html").write_text(
            f"<html><head><script>{bundle}</script></head><body>{body}</body></html>",
            encoding="utf-8",
        )

    def _needles(self) -> guard.Needles:
        needles = guard.Needles()
        needles.add("id", ["E1234567"], "workforce.csv, column 'Assignment Number'")
        return needles

    def test_the_bundle_is_not_searched_but_the_page_is(self, tmp_path):
        self._page(tmp_path, "<p>Staff E1234567 earns</p>", self.BUNDLE)
        text = guard.published_text(tmp_path / "index.html", [self.BUNDLE])
        assert "vegaEmbed" not in text and "e1234567" in guard._norm(text)
        with pytest.raises(guard.LeakError, match="index.html holds 1 × an identifier"):
            guard.check_publication(tmp_path, self._needles(), assets=[self.BUNDLE])

    def test_a_value_hidden_in_an_altered_bundle_is_found(self, tmp_path):
        altered = self.BUNDLE.replace("version:'5'", "version:'E1234567'", 1)
        self._page(tmp_path, "<p>No values here</p>", altered)
        with pytest.raises(guard.LeakError, match="an identifier"):
            guard.check_publication(tmp_path, self._needles(), assets=[self.BUNDLE])
        self._page(tmp_path, "<p>No values here</p>", self.BUNDLE)
        guard.check_publication(tmp_path, self._needles(), assets=[self.BUNDLE])


def test_a_second_check_covers_what_was_written_after_the_first(tmp_path):
    """The build checks what the page stage wrote while the PDF is made, then the rest:
    together the two calls check every file once, and a leak in either is refused."""
    needles = guard.Needles()
    needles.add("id", ["E1234567"], "workforce.csv, column 'Assignment Number'")
    (tmp_path / "index.html").write_text("<p>No values here</p>", encoding="utf-8")
    (tmp_path / "tables.csv").write_text("measure,value\nx,1\n", encoding="utf-8")
    first = guard.check_publication(tmp_path, needles, extra_sources={"source": "clean text"})
    assert first == {"index.html", "tables.csv", "source"}
    (tmp_path / "report.pdf").write_text("Staff E1234567", encoding="utf-8")
    (tmp_path / "index.html").write_text("<p>E1234567</p>", encoding="utf-8")  # checked: skipped
    with pytest.raises(guard.LeakError, match="report.pdf holds 1 × an identifier") as err:
        guard.check_publication(tmp_path, needles, skip=first)
    assert "index.html" not in str(err.value)
    (tmp_path / "report.pdf").write_text("Clean", encoding="utf-8")
    assert guard.check_publication(tmp_path, needles, skip=first) == {"report.pdf"}


def test_a_file_renamed_while_the_guard_reads_is_not_counted_as_checked(tmp_path, monkeypatch):
    """The PDF's temporary file can vanish (renamed to report.pdf) between the listing and
    the reading: it is not an error, and it is not counted as checked."""
    (tmp_path / "index.html").write_text("<p>ok</p>", encoding="utf-8")
    (tmp_path / ".report.pdf.x1.tmp").write_bytes(b"%PDF")
    real = guard.published_text

    def vanishing(path, assets=()):
        if path.name.endswith(".tmp"):
            raise FileNotFoundError(path)
        return real(path, assets)

    monkeypatch.setattr(guard, "published_text", vanishing)
    assert guard.check_publication(tmp_path, guard.Needles()) == {"index.html"}
