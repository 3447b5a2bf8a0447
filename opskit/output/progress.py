"""One live status line on stderr while a command works (check harbor, check resolver, lint).

Only for people: the line appears when stderr is a terminal and the output format is human; with
``--format json``, or stderr piped or redirected, nothing is written at all (CI logs and files stay
byte-for-byte the report). The line is rewritten in place (``\\r`` + erase), cut to the terminal
width so it never wraps, and erased before the report prints. Safe to call from worker threads.
"""

from __future__ import annotations

import shutil
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TextIO

from opskit.output.console import OutputFormat

_ERASE = "\r\x1b[K"


def _printable(text: str) -> str:
    # A URL or file name from the command line may hold control characters: they would move the cursor.
    return "".join(ch if ch.isprintable() else "?" for ch in text)


class StatusLine:
    """The live line; a disabled one accepts every call and writes nothing."""

    def __init__(self, stream: TextIO | None) -> None:
        self._stream = stream
        self._lock = threading.Lock()
        self._shown = False

    @property
    def enabled(self) -> bool:
        return self._stream is not None

    def show(self, text: str) -> None:
        """Replace the line with ``text`` (cut to the terminal width)."""
        if self._stream is None:
            return
        width = max(20, shutil.get_terminal_size((80, 24)).columns - 1)
        line = _printable(text)
        if len(line) > width:
            line = line[: width - 1] + "…"
        with self._lock:
            self._stream.write(_ERASE + line)
            self._stream.flush()
            self._shown = True

    def clear(self) -> None:
        """Erase the line (before the report prints, or when the command stops)."""
        if self._stream is None:
            return
        with self._lock:
            if self._shown:
                self._stream.write(_ERASE)
                self._stream.flush()
                self._shown = False


@contextmanager
def status_line(output_format: OutputFormat | str, stream: TextIO | None = None) -> Iterator[StatusLine]:
    """A :class:`StatusLine` on stderr for a human at a terminal, a silent one otherwise; erased on exit."""
    target = stream if stream is not None else sys.stderr
    isatty = getattr(target, "isatty", None)
    wanted = str(output_format) == OutputFormat.human.value and isatty is not None and isatty()
    line = StatusLine(target if wanted else None)
    try:
        yield line
    finally:
        line.clear()
