"""The trie-built word test answers exactly as ``any(word in line for word in words)`` does, for any words."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from opskit.core.diagnose.phrases import any_word_pattern

# Few letters, so that words share prefixes, nest in each other ("ab", "abc") and occur in the lines often.
_TEXT = st.text(alphabet="ab c.(*[\\", max_size=12)


@settings(max_examples=400, deadline=None)
@given(words=st.lists(_TEXT.filter(bool), max_size=12), lines=st.lists(_TEXT, max_size=8))
def test_the_pattern_finds_a_line_exactly_when_a_word_is_in_it(words: list[str], lines: list[str]) -> None:
    pattern = any_word_pattern(words)
    for line in lines:
        assert (pattern.search(line) is not None) == any(word in line for word in words), (words, line)


def test_no_words_match_no_line() -> None:
    assert any_word_pattern([]).search("anything at all") is None
    assert any_word_pattern([]).search("") is None


def test_an_empty_word_is_refused() -> None:
    with pytest.raises(ValueError):
        any_word_pattern(["ok", ""])
