"""One test for "does this line hold any of these words?" whose cost does not grow with the number of words.

Most lines of a big paste hold none of the words a recogniser looks for, so every recogniser starts with that
test. Written as ``any(word in line for word in words)`` it costs one substring scan per word: as the CLI
kinds, log issues and the CLI refusals catalog grew to hundreds of words, a 50,000-line paste of prose spent
most of its time there. A regular expression built as a trie of the words (``ab(?:c|d)``, not ``abc|abd``)
lets the regex engine try every word at a position in one pass down the trie instead.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from opskit.core.diagnose.lazyre import LazyPattern, lazy_compile

_NEVER = lazy_compile(r"(?!)")
_Trie = dict[str, "_Trie"]


def any_word_pattern(words: Iterable[str]) -> LazyPattern:
    """A pattern whose ``search`` finds a line holding any of ``words`` (exactly as ``word in line`` would).

    Built and compiled on first use (lazyre): a trie of the hundreds of words of a catalog is a long regex,
    and a paste that never reaches the catalog's test should not pay for it."""
    listed = tuple(words)
    if "" in listed:
        raise ValueError("an empty word would match every line")
    # the trie too is built on first use: seven catalogs' tries at import were 5 % of `opskit diagnose`'s start-up
    return lazy_compile(lambda: _branch(_trie(listed))) if listed else _NEVER


def _trie(words: Iterable[str]) -> _Trie:
    trie: _Trie = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}  # a word ends here
    return trie


def _branch(node: _Trie) -> str:
    ends_here = "" in node
    nexts = [re.escape(char) + _branch(child) for char, child in sorted(node.items()) if char]
    if not nexts:
        return ""
    body = nexts[0] if len(nexts) == 1 else "(?:" + "|".join(nexts) + ")"
    # A word ending here has already matched: what follows may be there or not (the shorter word suffices).
    return f"(?:{body})?" if ends_here else body
