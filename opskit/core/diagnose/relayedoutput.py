"""The tailscale CLI's output relayed inside another program's log line: a quoted field holding it, escaped.

Programs that run the CLI for the user (DockTail, sidecars, Home Assistant-style add-ons, CI helpers) log its failure
as one structured record: zerolog/slog/logfmt ``error="failed to add service: exit status 1\\nOutput: Warning:
client version \\"1.94.2-…\\" != tailscaled server version \\"…\\"\\nLogged out.\\n"`` (Go's %q: ``\\n``, ``\\"``,
``\\\\``, ``\\t``), or a JSON record's ``"error": "…"`` with the same escapes. The CLI's lines are inside the one
field, and a terminal or an issue's editor often wraps that field over several lines. Read escaped, the CLI's words
are missed (or only the first is read); unescaped, each of its lines is the CLI's answer as it printed it.

What the CLI prints when a command finds tailscaled's backend not Running (cmd/tailscale/cli/status.go
isRunningOrStarting, used by status, ping, nc, serve, debug and switch: "Logged out." (NeedsLogin, v1.0+),
"Tailscale is stopped.", "Machine is not yet approved by tailnet admin." (v1.20+; "authorized" before),
"unexpected state: <state>") is a status line when pasted under `tailscale status`; relayed by a program whose
command failed, it is that command's refusal (``RELAYED_STATE``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from opskit.core.diagnose.text import SourceLine, json_string_end

# A field opening a quoted value: logfmt/slog/zerolog console `key="`, JSON `"key": "`.
_FIELD_OPEN = re.compile(r'(?:(?:^|\s)[\w.@-]+=|"[\w.@-]+"\s*:\s*)"')
_ESCAPE = re.compile(r"\\(u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|.)")
_SIMPLE_ESCAPES = {"n": "\n", "t": "\t", "r": "", '"': '"', "\\": "\\", "/": "/", "'": "'", "a": "", "b": "", "f": ""}
# The label a program puts before the output it captured ("exit status 1\nOutput: <the CLI's first line>").
_OUTPUT_LABEL = re.compile(r"^(?:Output|Stdout|Stderr|Combined output):\s*", re.IGNORECASE)
_MAX_WRAPPED_LINES = 12  # a relayed answer is a few lines; a field still open further down is no such record
_CONSOLE_WIDTH = 80  # cmd.exe/conhost cut at 80 columns: the cut falls mid-word, nothing was lost at the seam

# isRunningOrStarting's descriptions (see the module docstring) and the state each stands for.
RELAYED_STATE = re.compile(
    r"^(?:(?P<NeedsLogin>Logged out\.)|(?P<Stopped>Tailscale is stopped\.)"
    r"|(?P<NeedsMachineAuth>Machine is not yet (?:approved|authorized) by tailnet admin\.)"
    r"|unexpected state: (?P<state>[A-Za-z]+))$"
)


def relayed_state(text: str) -> str | None:
    """The backend state a relayed state description names (``Logged out.`` → NeedsLogin), or None."""
    match = RELAYED_STATE.match(text)
    if match is None:
        return None
    return match.group("state") or next(name for name, value in match.groupdict().items() if value)


@dataclass(frozen=True)
class RelayedOutput:
    """The CLI lines a quoted log field held: each numbered by the pasted line it starts on."""

    end: int  # index of the last pasted line the field ran over
    lines: tuple[SourceLine, ...]


def may_relay_output(text: str) -> bool:
    """Cheap test for the splitter: ``text`` may open a quoted field holding escaped lines (on it, or on the lines a
    wrap put the rest of a ``key="`` field on)."""
    return ("\\n" in text and '"' in text) or '="' in text


def _unescape(value: str) -> str:
    def one(match: re.Match[str]) -> str:
        code = match.group(1)
        if code[0] in "ux" and len(code) > 1:
            return chr(int(code[1:], 16))
        return _SIMPLE_ESCAPES.get(code, code)

    return _ESCAPE.sub(one, value)


def _joined_field(lines: Sequence[SourceLine], start: int) -> tuple[str, int, list[tuple[int, int]]] | None:
    """The escaped value of the first quoted field of the record at ``lines[start]`` holding ``\\n``, joined over the
    lines a wrap put it on: (value, index of its last line, (offset in value, line index) where each pasted line
    begins). Fields before it may be wrapped too (``msg="add`` / ``service" error="…``)."""
    joined, seams, index, position = lines[start].text, [(0, start)], start, 0
    while (opening := _FIELD_OPEN.search(joined, position)) is not None:
        value_start = opening.end()
        while (close := json_string_end(joined, value_start)) < 0:
            index += 1
            if index >= len(lines) or index - start >= _MAX_WRAPPED_LINES:
                return None
            following = lines[index]
            if following.command is not None or not following.text:
                return None  # a prompt or a blank line: the field was cut, not wrapped
            cut = len(lines[index - 1].raw.rstrip()) == _CONSOLE_WIDTH
            joined += ("" if cut else " ") + following.text
            seams.append((len(joined) - len(following.text), index))
        value = joined[value_start : close - 1]
        if "\\n" in value:
            return value, index, [(begin - value_start, line) for begin, line in seams]
        position = close
    return None


def relayed_cli_output(lines: Sequence[SourceLine], start: int) -> RelayedOutput | None:
    """The lines relayed in a quoted field of ``lines[start]`` (wrapped over the lines after it), unescaped, or None:
    no field with escaped lines. Whether any of them is the CLI's is the caller's question (blocks.py)."""
    found = _joined_field(lines, start)
    if found is None:
        return None
    value, end, seams = found
    relayed: list[SourceLine] = []
    offset = 0
    for piece in value.split("\\n"):
        source = lines[max(index for begin, index in seams if begin <= offset)]
        offset += len(piece) + 2
        text = _OUTPUT_LABEL.sub("", _unescape(piece).strip(), count=1)
        if text:
            relayed.append(SourceLine(source.number, text, source.raw))
    return RelayedOutput(end, tuple(relayed))
