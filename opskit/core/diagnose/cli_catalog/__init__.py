"""The refusals the `tailscale` CLI prints, catalogued command family by command family from its source.

Each blind batch of real pastes used to miss on a CLI refusal nobody had given a kind yet (`tailscale file
cp`, `lock add`, `configure-host` …). The catalog names them before anyone pastes them: every entry is one
user-visible message of the CLI (or of the LocalAPI/ipnlocal error the CLI relays), a pattern written from
its text, the kind it belongs to, and what it means with the exact fix. windows.py tries the catalog after
its own hand-written patterns, so a line those read keeps its kind.

The entries live in one module per group of command families (``families_a``, ``families_b``); this module
only holds the entry type and the look-up.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from opskit.core.diagnose.models import WindowsErrorKind
from opskit.core.diagnose.phrases import any_word_pattern


@dataclass(frozen=True)
class Refusal:
    """One message the CLI prints when a command fails, and what opskit says about it."""

    kind: WindowsErrorKind
    # A lower-case literal every line holding the message contains: the cheap test a line passes before the
    # pattern runs (most lines of a big paste contain no catalog phrase).
    phrase: str
    # The message, with its values as named groups (the cause and fix below may use them as {name}).
    pattern: re.Pattern[str]
    cause: str
    fix: str
    source: str  # where the message comes from in Tailscale's source ("cmd/tailscale/cli/file.go")
    example: str  # one real-looking instance of the message (generated tests start from it)

    def explain(self, match: re.Match[str]) -> tuple[str, str]:
        """(cause, fix) with the message's values filled in (a value the message lacked reads "?")."""
        values = {name: (value if value is not None else "?") for name, value in match.groupdict().items()}
        return self.cause.format_map(values), self.fix.format_map(values)


def _entries() -> tuple[Refusal, ...]:
    from opskit.core.diagnose.cli_catalog import families_a, families_b

    return (*families_a.REFUSALS, *families_b.REFUSALS)


REFUSALS: tuple[Refusal, ...] = _entries()
PHRASES: frozenset[str] = frozenset(refusal.phrase for refusal in REFUSALS)
_ANY_PHRASE = any_word_pattern(PHRASES)


# Words too common in prose to tell a line apart: a phrase whose inner words are all common has no key word.
_COMMON = (
    "a an the is are be been not no and or to of on in for with at as it its this that one only most when can "
    "cannot use used by was has have from after all any your you exit node nodes local address server value "
    "valid remove write query fetch flag flags switch http path update support supported latest name file "
    "version required run without found ip dns tailscale tailscaled profile account failed error invalid "
    "unknown missing unable create enable set see please using config"
)
_COMMON_WORDS = frozenset(_COMMON.split())


# What may stand glued before a message's first word or after its last one in a pasted line (quotes, backticks,
# Markdown emphasis, the message's own punctuation): an edge word is also a key with each of them.
_BEFORE = ("", "`", '"', "'", "(", "[", "*", "**")
_AFTER = tuple(
    f"{mark}{closer}"
    for mark in ("", ".", ",", ";", ":", "?", "!")
    for closer in ("", "`", '"', "'", ")", "]", "*", "**")
)


def _bounded(text: str, at: int, end: int) -> tuple[bool, bool]:
    """Whether ``text[at:end]`` starts (ends) where a whitespace-separated word may start (end)."""
    before, after = text[:at], text[end:]
    left = not before or before[-1].isspace() or (before[-1] in "`\"'([*" and (len(before) < 2 or before[-2].isspace()))
    right = not after or after[0].isspace() or (after[0] in ".,;:?!`\"')]*" and (len(after) < 2 or after[1].isspace()))
    return left, right


def _key_words(phrase: str) -> tuple[str, ...]:
    """Words one of which every line holding ``phrase`` has as a whitespace-separated word; () when none is sure.

    A word with a space on both sides inside the phrase is one as it is. The phrase's first (last) word is one,
    with whatever a paste may glue before (after) it, only when the message itself starts (ends) a word there,
    as each example of the phrase's entries shows ("--netfilter-mode" in `--netfilter-mode="x"` is not). The
    longest uncommon word is taken: a common one would let most lines of prose through.
    """
    words = phrase.split(" ")
    examples = [refusal.example.lower() for refusal in REFUSALS if refusal.phrase == phrase]
    spots = [(text, text.find(phrase)) for text in examples if phrase in text]
    edges = [_bounded(text, at, at + len(phrase)) for text, at in spots]
    left_ok = bool(edges) and all(left for left, _ in edges)
    right_ok = bool(edges) and all(right for _, right in edges)
    candidates: list[tuple[str, ...]] = []
    for index, word in enumerate(words):
        if not word or word in _COMMON_WORDS:
            continue
        first, last = index == 0, index == len(words) - 1
        if (first and not left_ok) or (last and not right_ok):
            continue
        before = _BEFORE if first else ("",)
        after = _AFTER if last else ("",)
        candidates.append(tuple(f"{lead}{word}{tail}" for lead in before for tail in after))
    return max(candidates, key=lambda keys: len(keys[0])) if candidates else ()


def _by_key() -> dict[str, tuple[str, ...]]:
    phrases: dict[str, list[str]] = {}
    for phrase in sorted(PHRASES):
        for key in _key_words(phrase):
            phrases.setdefault(key, []).append(phrase)
    return {key: tuple(group) for key, group in phrases.items()}


# The second test a line goes through before the entries are tried one by one (windows.py: after its word
# trie, and alone for a line whose spaces a paste doubled, which the trie's single-spaced phrases miss): the
# line's words meet the key words in one set operation, and only the phrases of the key words found are looked
# for; the few phrases without a key word are looked for with `in`.
_PHRASES_BY_KEY: dict[str, tuple[str, ...]] = _by_key()
_KEY_WORDS: frozenset[str] = frozenset(_PHRASES_BY_KEY)
_WITHOUT_KEY = frozenset(phrase for phrase in PHRASES if not _key_words(phrase))
# (a phrase holding another of them adds nothing: "no exit nodes found for" holds "no exit nodes found")
_KEYLESS: tuple[str, ...] = tuple(
    sorted(phrase for phrase in _WITHOUT_KEY if not any(other in phrase for other in _WITHOUT_KEY - {phrase}))
)


def may_hold_refusal(lowered: str) -> bool:
    """Whether a lower-cased line may hold a catalogued message (False: it certainly holds none)."""
    words = lowered.split()
    if "  " in lowered:
        lowered = " ".join(words)
    if not _KEY_WORDS.isdisjoint(words):
        keys = _KEY_WORDS.intersection(words)
        if any(phrase in lowered for key in keys for phrase in _PHRASES_BY_KEY[key]):
            return True
    return any(phrase in lowered for phrase in _KEYLESS)


@lru_cache(maxsize=512)
def find_refusal(text: str) -> tuple[Refusal, re.Match[str]] | None:
    """The first catalogued refusal ``text`` holds (its phrase, then its pattern), or None."""
    lowered = text.lower()
    if _ANY_PHRASE.search(lowered) is None:
        return None
    for refusal in REFUSALS:
        if refusal.phrase in lowered:
            match = refusal.pattern.search(text)
            if match is not None:
                return refusal, match
    return None
