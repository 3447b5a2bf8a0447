"""Parse the progress line ``tailscale file cp`` repaints while it sends (cmd/tailscale/cli/file.go
progressPrinter, on stderr; the last repaint stays on screen)::

    6408b7c731ea2b7e9bc2e0b3_webclip.png       3.25KiB       1.89KiB/s    100.00%    ETA 00:00:00

the file name padded to 36 columns, bytes sent and the rate (formatIEC: ``512.00B``, ``3.25KiB``, ``1.89KiB/s``)
and, when the size is known, the share sent and ``ETA hh:mm:ss`` (``ETA -`` with no rate yet). The send's own
result follows (an error line, or nothing when it succeeded); the line only says how far the bytes got.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from opskit.core.diagnose.text import SourceLine

_SIZE = r"\d+(?:\.\d+)?(?:[KMGTPE]i)?B"
PROGRESS = re.compile(
    rf"^(?P<name>\S.*?)\s{{2,}}(?P<sent>{_SIZE})\s+(?P<rate>{_SIZE}/s)"
    r"(?:\s+(?P<percent>\d{1,3}\.\d\d)%\s+ETA (?P<eta>-|\d\d:\d\d:\d\d))?$"
)


@dataclass(frozen=True)
class FileCpProgressReport:
    rule_target: ClassVar[str] = "file-cp-progress"
    name: str  # the file being sent
    sent: str  # bytes sent, as printed
    rate: str
    percent: float | None  # None: the size was unknown (no share printed)
    lines: tuple[SourceLine, ...]

    @property
    def layout(self) -> str:
        share = "size unknown" if self.percent is None else f"{self.percent:.2f}%"
        return f"tailscale file cp progress ({share})"

    @property
    def complete(self) -> bool:
        return self.percent is not None and self.percent >= 100.0

    def facts(self) -> dict[str, Any]:
        return {"file": self.name, "sent": self.sent, "rate": self.rate, "percent": self.percent}


def _is_progress(text: str, under_file_cp: bool) -> bool:
    match = PROGRESS.match(text)
    # Without its `file cp` prompt only the full line (share and ETA) is the CLI's: a bare "name  1KiB  1KiB/s"
    # could be any tool's.
    return match is not None and (under_file_cp or match["percent"] is not None)


def file_cp_progress_extent(lines: Sequence[SourceLine], start: int, command: str | None) -> int | None:
    """The index of the last progress line of a run starting at ``lines[start]`` (repaints copied one per line),
    or None when ``lines[start]`` is no progress line."""
    under_file_cp = command is not None and re.search(r"\bfile\s+cp\b", command) is not None
    if not _is_progress(lines[start].text, under_file_cp):
        return None
    end = start
    while end + 1 < len(lines) and lines[end + 1].command is None and _is_progress(lines[end + 1].text, under_file_cp):
        end += 1
    return end


def parse_file_cp_progress(lines: Sequence[SourceLine]) -> FileCpProgressReport:
    """The report of the last repaint (how far the send got)."""
    match = next(m for line in reversed(lines) if (m := PROGRESS.match(line.text)) is not None)
    percent = float(match["percent"]) if match["percent"] is not None else None
    return FileCpProgressReport(match["name"].strip(), match["sent"], match["rate"], percent, tuple(lines))
