"""Regular expressions compiled the first time they are used, not when their module is imported.

Python's regex parser and compiler are written in Python: compiling is the bulk of `opskit diagnose`'s start-up,
and it grows with every catalog of messages (CLI refusals, CLI/GUI error kinds, phrase tries), while one paste
only ever needs a few of their patterns (a catalog entry's pattern runs only on a line holding its phrase).
A catalog declares its patterns with :func:`lazy_compile` instead of ``re.compile``; the object answers the
methods of ``re.Pattern`` that the readers use. The first call compiles the pattern and puts the compiled
pattern's own methods in place, so every later call costs what a compiled pattern's does (no wrapper runs).
Patterns every line meets (a line's prefix, a prompt) stay ``re.compile``: they are compiled on the first line.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

_METHODS = ("search", "match", "fullmatch", "finditer", "findall", "sub", "subn", "split")


class LazyPattern:
    """A pattern compiled on first use (see the module docstring); ``pattern`` is its source, as re's."""

    __slots__ = ("_source", "_flags", "_compiled", *_METHODS)

    _source: str | Callable[[], str]
    _flags: int
    _compiled: re.Pattern[str]
    # Filled in from the compiled pattern on first use (until then __getattr__ answers).
    search: Callable[..., re.Match[str] | None]
    match: Callable[..., re.Match[str] | None]
    fullmatch: Callable[..., re.Match[str] | None]
    finditer: Callable[..., Iterator[re.Match[str]]]
    findall: Callable[..., list[Any]]
    sub: Callable[..., str]
    subn: Callable[..., tuple[str, int]]
    split: Callable[..., list[str | Any]]

    def __init__(self, pattern: str | Callable[[], str], flags: int = 0) -> None:
        self._source = pattern
        self._flags = flags

    @property
    def pattern(self) -> str:
        """The pattern's source (built now when it was given as a function that builds it)."""
        source = self._source
        if not isinstance(source, str):
            source = self._source = source()
        return source

    @property
    def compiled(self) -> re.Pattern[str]:
        """The compiled pattern (compiling it now if no method has been used yet)."""
        try:
            return self._compiled
        except AttributeError:
            compiled = re.compile(self.pattern, self._flags)
            self._compiled = compiled
            for name in _METHODS:
                setattr(self, name, getattr(compiled, name))
            return compiled

    @property
    def flags(self) -> int:
        """The flags as the compiled pattern reports them (re.UNICODE included)."""
        return self.compiled.flags

    @property
    def groupindex(self) -> dict[str, int]:
        """The named groups, as ``re.Pattern.groupindex``."""
        return dict(self.compiled.groupindex)

    def __getattr__(self, name: str) -> Any:
        # Reached only for an empty slot: a method before the first use.
        if name in _METHODS:
            return getattr(self.compiled, name)
        raise AttributeError(name)

    def __repr__(self) -> str:
        return f"lazy_compile({self._source!r}, {self._flags})"


def lazy_compile(pattern: str | Callable[[], str], flags: int = 0) -> LazyPattern:
    """``re.compile(pattern, flags)``, done when the pattern is first used. ``pattern`` may be a function
    returning the source, when building the source costs time too (a trie of hundreds of words)."""
    return LazyPattern(pattern, flags)
