"""Read a health warning copied from the Tailscale desktop app (macOS/Windows menu, or a screenshot typed out).

The app shows tailscaled's health warnables the way health/state.go's UnhealthyState gives them: the
warnable's Title, its Text and its Code, e.g. (net/dns/resolver/forwarder.go, warnable
``dns-forward-failing``)::

    DNS unavailable
    Tailscale can't reach the configured DNS servers. Internet connectivity may be affected.
    Code: dns-forward-failing

People paste it bare, as a markdown quote (``> **DNS Unavailable**``), with the title in bold or left
out, the text wrapped over a few lines, blank lines between the parts. The ``Code: <warnable>`` line is
what only this layout has; the title and text are read from the lines above it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from opskit.core.diagnose.text import SourceLine

# health.WarnableCode values are lower-case words joined by hyphens (tsconst, health/warnings.go, net/dns …)
_CODE = re.compile(r"^(?:\*\*|_)?Code:(?:\*\*|_)?\s*`?(?P<code>[a-z][a-z0-9]*(?:-[a-z0-9]+)*)`?\.?$")
_BOLD = re.compile(r"^(?:\*\*|__)(?P<title>.+?)(?:\*\*|__)$")
_MAX_TEXT_LINES = 4  # the warnable's text, wrapped
_MAX_TITLE = 60
WARNING_LOOKAHEAD = 8  # title + text lines + blank lines between them


@dataclass(frozen=True)
class GuiHealthWarning:
    title: str | None
    text: str
    code: str
    text_line: SourceLine
    code_line: SourceLine


def is_code_line(text: str) -> bool:
    """Cheap test: the ``Code: <warnable>`` line of an app health warning."""
    return "Code:" in text[:9] and _CODE.match(text) is not None


def _title(text: str) -> str | None:
    """The warning's title when ``text`` can be one: short, no sentence end, not prose introducing a paste."""
    bold = _BOLD.match(text)
    if bold is not None:
        return bold["title"].strip()
    if len(text) > _MAX_TITLE or text[-1:] in ".:!?;," or text[:1] in "#-*`[" or "  " in text:
        return None
    return text


def gui_health_warning_extent(lines: Sequence[SourceLine], start: int) -> int | None:
    """The index of the ``Code:`` line closing an app health warning that begins at ``lines[start]``, or None."""
    if _title(lines[start].text) is None and not lines[start].text.endswith("."):
        return None  # it begins at its title or (untitled) its text
    text_lines = 0
    for index in range(start + 1, min(len(lines), start + WARNING_LOOKAHEAD)):
        line = lines[index]
        if line.command is not None:
            return None
        text = line.text
        if not text or text == ">":  # a blank line, or a markdown quote's empty line
            continue
        if is_code_line(text):
            return index if text_lines or not _BOLD.match(lines[start].text) else None
        text_lines += 1
        if text_lines > _MAX_TEXT_LINES or text.startswith(("#", "$ ", "```")):
            return None
    return None


def parse_gui_health_warning(lines: Sequence[SourceLine]) -> GuiHealthWarning | None:
    """The warning in ``lines`` (a block ``gui_health_warning_extent`` delimited), or None."""
    filled = [line for line in lines if line.text and line.text != ">"]
    if len(filled) < 2 or (match := _CODE.match(filled[-1].text)) is None:
        return None
    body = filled[:-1]
    title = _title(body[0].text) if len(body) > 1 else None
    if title is not None:
        body = body[1:]
    text = " ".join(line.text.strip() for line in body)
    return GuiHealthWarning(title, text, match["code"], body[0], filled[-1])
