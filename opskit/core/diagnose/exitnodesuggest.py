"""Parse ``tailscale exit-node suggest`` (cmd/tailscale/cli/exitnode.go runExitNodeSuggest, v1.66+)::

    Suggested exit node: us-nyc-wg-301.mullvad.ts.net
    To accept this suggestion, use `tailscale set --exit-node=us-nyc-wg-301.mullvad.ts.net`.

(v1.66 put the node's stable ID in the hint; a name may keep its root's dot), or
``No exit node suggestion is available.`` when no exit node the tailnet offers is eligible.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from opskit.core.diagnose.text import SourceLine

_SUGGESTED = re.compile(r"^Suggested exit node: (?P<name>\S+)$")
_ACCEPT = re.compile(r"^To accept this suggestion, use `tailscale set --exit-node=(?P<target>[^`]+)`\.?$")
NONE_AVAILABLE = "No exit node suggestion is available."


@dataclass(frozen=True)
class ExitNodeSuggestReport:
    rule_target: ClassVar[str] = "exit-node-suggest"
    suggested: str | None  # the node's name; None: no suggestion available
    accept_with: str | None  # what the hint passes to --exit-node (a name, or v1.66's stable ID)
    lines: tuple[SourceLine, ...]

    @property
    def layout(self) -> str:
        return f"tailscale exit-node suggest ({self.suggested or 'none available'})"

    def facts(self) -> dict[str, Any]:
        return {"suggested": self.suggested, "accept_with": self.accept_with}


def is_suggest_start(text: str) -> bool:
    return text == NONE_AVAILABLE or _SUGGESTED.match(text) is not None


def suggest_extent(lines: Sequence[SourceLine], start: int) -> int | None:
    """The index of the last line of a suggestion starting at ``lines[start]``, or None."""
    text = lines[start].text
    if text == NONE_AVAILABLE:
        return start
    if _SUGGESTED.match(text) is None:
        return None
    for index in range(start + 1, min(len(lines), start + 3)):
        if lines[index].command is not None:
            break
        if lines[index].text:
            return index if _ACCEPT.match(lines[index].text) else start
    return start


def parse_exit_node_suggest(lines: Sequence[SourceLine]) -> ExitNodeSuggestReport:
    suggested = accept = None
    for line in lines:
        if (match := _SUGGESTED.match(line.text)) is not None:
            suggested = match["name"].rstrip(".")
        elif (match := _ACCEPT.match(line.text)) is not None:
            accept = match["target"].strip("'\"")
    return ExitNodeSuggestReport(suggested, accept, tuple(lines))
