"""Turn a raw paste into clean, numbered lines.

Pastes arrive through chat, Markdown and terminals: tabs or spaces, trailing padding, curly quotes,
ANSI colours, CRLF, shell prompts in front of the command, Markdown fences. Everything downstream
works on :class:`SourceLine` so that evidence can quote the line *and* its number in the input.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Chat clients "smarten" quotes; Go prints plain ASCII ones.
_QUOTE_TABLE = str.maketrans(
    {
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u2018": "'",
        "\u2019": "'",
        "\u00a0": " ",
        "\u2007": " ",
        "\u202f": " ",
        "\ufeff": "",
        "\u200b": "",
    }
)
_ANSI = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_FENCE = re.compile(r"^(```+|~~~+)\s*[\w+-]*\s*$")

# A shell prompt followed by a command. Order matters: the most specific forms first.
_PROMPTS: tuple[re.Pattern[str], ...] = (
    re.compile(r"^(?:\([\w.-]+\)\s+)?PS [A-Za-z]:\\[^>]*>\s?(?P<cmd>.*)$"),  # PowerShell, optional (venv)
    re.compile(r"^[A-Za-z]:\\[^>]*>\s?(?P<cmd>.*)$"),  # cmd.exe  C:\>  C:\Users\x>
    re.compile(r"^(?:\([\w.-]+\)\s+)?[\w.@-]+@[\w.-]+(?::[^\s$#>]*)?\s?[$#%>]\s(?P<cmd>.*)$"),  # user@host:~$
    re.compile(r"^(?:[~/][^\s]*\s)?[$%]\s(?P<cmd>.*)$"),  # "$ cmd", "~ % cmd"
    # "# cmd" only for known commands: "# Health check:" and "# Warning:" are tailscale output.
    re.compile(
        r"^(?:[~/][^\s]*\s)?#\s(?P<cmd>(?:sudo\s+)?(?:tailscale|whoami|ping|ping6|ip|systemctl)\b.*)$"
    ),
    re.compile(
        r"^[\u279c\u276f\u2192\u27a4\u25b6\ue0b0\u2771]\s+(?:\S+\s+)?(?P<cmd>tailscale.*)$"
    ),  # ➜ ~ / ❯
    re.compile(r"^[\u279c\u276f\u2192\u27a4\u25b6\ue0b0\u2771]\s+(?P<cmd>.*)$"),
    re.compile(r"^>\s(?P<cmd>(?:tailscale|whoami|net|ping)\b.*)$"),
)
_SUBCOMMANDS = (
    "netcheck|status|ping|up|down|login|logout|set|debug|version|ip|whois|bugreport|exit-node|serve|"
    "funnel|cert|web|switch|configure|lock|dns|metrics|syspolicy|update|file|drive|nc|ssh|licenses"
)
_BARE_COMMAND = re.compile(
    r"^(?P<cmd>(?:sudo\s+)?(?:\"?[\w:\\/ .()-]*[\\/])?tailscale(?:\.exe)?\"?\s+(?:"
    + _SUBCOMMANDS
    + r")\b.*)$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class SourceLine:
    """One input line: 1-based number, cleaned text (no indentation or padding), raw text."""

    number: int
    text: str
    raw: str = ""
    command: str | None = None  # set when the line is a shell prompt running ``command``

    @property
    def is_blank(self) -> bool:
        return not self.text and self.command is None


def _clean(raw: str) -> str:
    text = _ANSI.sub("", raw).translate(_QUOTE_TABLE)
    text = text.replace("\t", " ")
    return _CONTROL.sub("", text).strip()


def prompt_command(text: str) -> str | None:
    """The command of a shell-prompt line (``PS C:\\> tailscale status`` → ``tailscale status``)."""
    for pattern in _PROMPTS:
        match = pattern.match(text)
        if match:
            return match.group("cmd").strip()
    bare = _BARE_COMMAND.match(text)
    if bare and len(text) < 120:
        return bare.group("cmd").strip()
    return None


def split_lines(text: str) -> list[SourceLine]:
    """Number and clean every line; fences become blank, prompts carry their command."""
    lines: list[SourceLine] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        cleaned = _clean(raw)
        if _FENCE.match(cleaned):
            lines.append(SourceLine(number, "", raw))
            continue
        # Markdown quote markers ("> ") in front of pasted output.
        while cleaned.startswith("> ") and not cleaned[2:].startswith(("tailscale", "whoami")):
            cleaned = cleaned[2:].lstrip()
        command = prompt_command(cleaned) if cleaned else None
        lines.append(SourceLine(number, cleaned, raw.rstrip("\r\n"), command))
    return lines


def undo_go_quoting(text: str) -> str:
    """Undo Go's %q escaping of a Windows account name: ``DOMAIN\\\\user`` → ``DOMAIN\\user``."""
    out: list[str] = []
    i = 0
    while i < len(text):
        char = text[i]
        if char == "\\" and i + 1 < len(text) and text[i + 1] in '\\"':
            out.append(text[i + 1])
            i += 2
            continue
        out.append(char)
        i += 1
    return "".join(out)
