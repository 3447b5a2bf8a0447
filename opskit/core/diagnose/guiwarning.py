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

People also quote the banner inside a sentence of their own, without its code ('I get the banner "DNS
UNAVAILABLE" "Tailscale can't reach the configured DNS servers. …"'): ``quoted_health_warning`` reads a
warnable's text there by its words, which name the warnable (the texts below, from health.Register in the source).
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


# (warnable code, title, the start of its text) for the warnables whose text names them; the values a text formats
# (a relay server's name, a duration, an error) are left open. health/warnings.go and net/dns/resolver/forwarder.go.
_WARNABLE_TEXTS: tuple[tuple[str, str, str], ...] = (
    ("dns-forward-failing", "DNS unavailable", r"Tailscale can'?t reach the configured DNS servers"),
    ("network-status", "Network down", r"Tailscale cannot connect because the network is down"),
    (
        "not-in-map-poll",
        "Out of sync",
        r"Unable to connect to the Tailscale coordination server to synchronize the state of your tailnet",
    ),
    ("no-derp-home", "No home relay server", r"Tailscale could not connect to any relay server"),
    (
        "no-derp-connection",
        "Relay server unavailable",
        r"Tailscale could not connect to the (?:'[^']+' relay server|relay server with ID '\d+')",
    ),
    (
        "derp-timed-out",
        "Relay server timed out",
        r"Tailscale hasn'?t heard from the (?:'[^']+' relay server|home relay server \(region ID '\d+'\)) in",
    ),
    ("no-udp4-bind", "NAT traversal setup failure", r"Tailscale couldn'?t listen for incoming UDP connections"),
    (
        "mapresponse-timeout",
        "Network map response timeout",
        r"Tailscale hasn'?t received a network map from the coordination server in",
    ),
    ("tls-connection-failed", "Encrypted connection failed", r"Tailscale could not establish an encrypted connection"),
    ("magicsock-receive-func-error", "MagicSock function not running", r"The MagicSock function \S+ is not running"),
    ("ip-forwarding-off", "IP forwarding is off", r"Subnet routing is enabled, but IP forwarding is disabled"),
    ("login-state", "Logged out", r"You are logged out\. The last login error was:"),
)
_WARNABLE_TEXT = re.compile(
    "|".join(f"(?P<w{index}>{words})" for index, (_, _, words) in enumerate(_WARNABLE_TEXTS)), re.IGNORECASE
)
# Lower-case words each text above holds: the cheap test a line passes before the pattern runs.
QUOTED_WARNING_PHRASES = (
    "configured dns servers",
    "because the network is down",
    "synchronize the state of your tailnet",
    "relay server",
    "listen for incoming udp connections",
    "network map from the coordination server",
    "establish an encrypted connection",
    "the magicsock function",
    "but ip forwarding is disabled",
    "you are logged out. the last login error",
)
_CLOSING = "\"'`*_)]\u201d\u2019 "


def quoted_health_warning(text: str) -> tuple[str, str, str] | None:
    """(title, text, warnable code) of a health warning whose text ``text`` quotes in a sentence of its own (the app's
    banner typed out), or None. The text runs from the warnable's words to the end of the line, quotes taken off."""
    match = _WARNABLE_TEXT.search(text)
    if match is None or match.lastgroup is None:
        return None
    code, title, _ = _WARNABLE_TEXTS[int(match.lastgroup[1:])]
    return title, text[match.start() :].rstrip(_CLOSING), code
