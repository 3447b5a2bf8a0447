"""Parse the tailscale CLI's help text: what a bare ``tailscale``, ``tailscale help``, ``tailscale --help`` or
``tailscale <sub> --help`` prints (cmd/tailscale/cli/cli.go usageFunc / usageFuncOpt; 1.0-1.18 the ffcli
default)::

    The easiest, most secure way to use WireGuard.

    USAGE
      tailscale [flags] <subcommand> [command flags]

    For help on subcommands, add --help after: "tailscale status --help".
    ...
    SUBCOMMANDS
      up          Connect to Tailscale, logging in if needed
      configure   [ALPHA] Configure the host to enable more Tailscale features
    ...
    FLAGS
      --socket value
            path to tailscaled socket

The layouts by version: the command's ShortHelp line above ``USAGE`` (printed since 1.40's usageFuncOpt; before,
USAGE opens the text), the indented usage line(s), the LongHelp paragraphs, ``SUBCOMMANDS`` (name, then its short
help, tabwriter-aligned; ``[ALPHA]``/``[BETA]`` marks a young one) and ``FLAGS`` (1.20+: ``--name value`` with its
usage indented under it, a bool as ``--name, --name=false``; 1.0-1.18's ffcli default: ``-name default  usage`` on
one line). The help text reads no state of the node: it is the CLI listing itself. A usage *error* printed above
it (``flag provided but not defined: …``) is read apart, as the refusal it is (``cli-usage`` in ``windows[]``); the
engine marks the help text that follows such an error (``after_error``), so that its note points at the error.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from opskit.core.diagnose.text import SourceLine

USAGE_HEADER = "USAGE"
_SECTIONS = ("SUBCOMMANDS", "FLAGS")
_MAX_LONG_HELP = 80  # LongHelp lines between the usage line and the first section (up's is the longest, ~40)
_MAX_SECTION = 200  # rows of one section (a hostile paste must not make the reader walk without bound)
_SUBCOMMAND_ROW = re.compile(r"^(?P<name>[a-z][\w-]*)(?:\s{2,}(?P<help>\S.*))?$")
_FLAG_ROW = re.compile(r"^--?(?P<name>[A-Za-z][\w.-]*)(?=[\s,=]|$)")
_MATURITY = re.compile(r"^\[(?P<mark>ALPHA|BETA)\]")
_USAGE_COMMAND = re.compile(r"^(?P<words>(?:[a-z][\w-]*)(?:\s+[a-z][\w-]*)*)")


_BLANKS = " \t\u00a0"  # a page's copy may indent with non-breaking spaces
# a markdown quote's "> " before each line (not the CLI's indent)
_QUOTE_MARKS = re.compile(r"^[ \t\u00a0]*(?:>[ \u00a0]?)+")


def _indent(line: SourceLine) -> int:
    raw = line.raw or line.text
    if raw[:1] == ">" or raw.lstrip(_BLANKS)[:1] == ">":
        raw = _QUOTE_MARKS.sub("", raw, count=1)
    return len(raw) - len(raw.lstrip(_BLANKS))


_HELP_WORDS = frozenset({"--help", "-help", "-h", "help"})


def _asks_for_help(command: str | None) -> bool:
    """Whether the typed ``command`` prints the help text on success: none typed, `tailscale` or `tailscale <sub>`
    alone, or a help flag. After any other command the help text follows the error it printed (errHelpFunc)."""
    if command is None:
        return True
    words = command.split()
    return len(words) <= 2 or any(word in _HELP_WORDS for word in words)


def is_usage_start(lines: Sequence[SourceLine], start: int, command: str | None = None) -> bool:
    """Whether ``lines[start]`` opens the help text: ``USAGE`` itself, or the command's short help line above it
    (one blank line between) when ``command`` (the one typed above) asks for help."""
    text = lines[start].text
    if text == USAGE_HEADER:
        return True
    # (the CLI's short help lines never hold ": " — none of cmd/tailscale/cli's ShortHelp strings does — while the
    # error the CLI prints above its usage text does: "error: handler does not exist", "flag provided but …: -x")
    return (
        start + 2 < len(lines)
        and lines[start + 2].text == USAGE_HEADER
        and lines[start + 1].is_blank
        and lines[start].command is None
        and ": " not in text
        and not text.lower().startswith(("error", "warning"))
        and _asks_for_help(command)
    )


def _section_end(lines: Sequence[SourceLine], header: int) -> int:
    """The last row of the section whose header is ``lines[header]``: the rows indented under it, up to a blank."""
    base = _indent(lines[header])
    end = header
    for index in range(header + 1, min(len(lines), header + 1 + _MAX_SECTION)):
        line = lines[index]
        if line.is_blank or line.command is not None or _indent(line) <= base:
            break
        end = index
    return end


def usage_extent(lines: Sequence[SourceLine], start: int) -> int | None:
    """The index of the help text's last line when it opens at ``lines[start]`` (see :func:`is_usage_start`), or
    None: no indented usage line under ``USAGE``."""
    header = start if lines[start].text == USAGE_HEADER else start + 2
    base = _indent(lines[header])
    end = header
    while end + 1 < len(lines) and not lines[end + 1].is_blank and _indent(lines[end + 1]) > base:
        end += 1
    # (the usage line "tailscale up [flags]" may itself read as a typed command: it is indented under USAGE)
    if end == header:
        return None
    # LongHelp paragraphs, then the sections; without a section the text ends at its usage line(s)
    index = end + 1
    limit = min(len(lines), end + 1 + _MAX_LONG_HELP)
    while index < limit:
        line = lines[index]
        if line.command is not None:
            break
        if line.text in _SECTIONS and _indent(line) == base:
            end = _section_end(lines, index)
            index = end + 1
            while index < len(lines) and lines[index].is_blank:
                index += 1
            if index < len(lines) and lines[index].text in _SECTIONS and _indent(lines[index]) == base:
                continue
            break
        index += 1
    return end


@dataclass(frozen=True)
class UsageTextReport:
    rule_target: ClassVar[str] = "cli-usage"
    command: str  # the command the help is for ("tailscale", "tailscale up", "up" before 1.40)
    usage: str  # the usage line as printed
    subcommands: tuple[str, ...]
    young: tuple[str, ...]  # subcommands marked [ALPHA] / [BETA]
    flags: tuple[str, ...]
    lines: tuple[SourceLine, ...]
    # the error the same command printed just above (Go's flag package and errHelpFunc print the error, then the
    # usage): the help text then answers a command line the CLI did not accept, not a request for help
    after_error: SourceLine | None = None

    @property
    def layout(self) -> str:
        return f"`{self.command}` help text ({len(self.subcommands)} subcommands, {len(self.flags)} flags)"

    def facts(self) -> dict[str, Any]:
        return {
            "command": self.command,
            "usage": self.usage,
            "subcommands": list(self.subcommands),
            "young_subcommands": list(self.young),
            "flags": list(self.flags),
        }


def parse_usage_text(lines: Sequence[SourceLine]) -> UsageTextReport:
    """The help text's command, usage line, subcommands (and which are marked young) and flags."""
    header = next(index for index, line in enumerate(lines) if line.text == USAGE_HEADER)
    usage = lines[header + 1].text if header + 1 < len(lines) else ""
    match = _USAGE_COMMAND.match(usage)
    command = match["words"] if match is not None else "tailscale"
    subcommands: list[str] = []
    young: list[str] = []
    flags: list[str] = []
    section = None
    for line in lines[header + 1 :]:
        text = line.text
        if text in _SECTIONS:
            section = text
        elif line.is_blank:
            section = None
        elif section == "SUBCOMMANDS" and (row := _SUBCOMMAND_ROW.match(text)) is not None:
            subcommands.append(row["name"])
            if row["help"] is not None and _MATURITY.match(row["help"]) is not None:
                young.append(row["name"])
        elif section == "FLAGS" and (flag := _FLAG_ROW.match(text)) is not None:
            flags.append(flag["name"])
    return UsageTextReport(command, usage, tuple(subcommands), tuple(young), tuple(flags), tuple(lines))
