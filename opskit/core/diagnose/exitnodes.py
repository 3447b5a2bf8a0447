"""Parse ``tailscale exit-node list`` (cmd/tailscale/cli/exitnode.go, since v1.48): a tabwriter table::

     IP                  HOSTNAME                 COUNTRY     CITY        STATUS
     100.101.201.31      exit.example.ts.net      Sweden      Stockholm   offline, last seen 3h ago

    # To view the complete list of exit nodes for a country, use `tailscale exit-node list --filter=` …

STATUS is ``-`` (online, not in use), ``selected``, ``offline[, last seen …]`` or ``selected but offline[…]``;
COUNTRY and CITY are ``-`` when the node has no location (empty in some 1.85 development builds).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from opskit.core.diagnose.models import StatusPeer
from opskit.core.diagnose.text import SourceLine, is_elision_line

EXIT_LIST_HEADER = re.compile(r"^IP\s+HOSTNAME\s+COUNTRY\s+CITY\s+STATUS$")
_EXIT_STATUS = re.compile(r"^(?:-|selected|(?:selected but )?offline(?:, last seen \d+[mhd] ago)?)$")
_EXIT_HINT = re.compile(r"^(?:# )?To (?:view the complete list of exit nodes|use an exit node|have Tailscale suggest)")
_CELLS = re.compile(r"\s{2,}")
_LAST_SEEN = re.compile(r", last seen (\d+[mhd]) ago$")
_MAX_ROWS = 5000


@dataclass(frozen=True)
class ExitNodeListReport:
    rule_target: ClassVar[str] = "exit-node-list"  # its kind in JSON views[]
    rows: tuple[StatusPeer, ...]  # one per exit node: host, IP, status cell; exit_node "exit node" when selected
    header: SourceLine
    lines: tuple[SourceLine, ...]

    @property
    def layout(self) -> str:
        return f"tailscale exit-node list ({len(self.rows)} exit node{'s' if len(self.rows) != 1 else ''})"

    def facts(self) -> dict[str, Any]:
        return {
            "exit_nodes": [
                {
                    "name": row.host,
                    "ip": row.ip,
                    "status": row.cell,
                    "in_use": row.exit_node == "exit node",
                    "offline": row.offline,
                    "last_seen": row.last_seen,
                    "line": row.line.number,
                }
                for row in self.rows
            ]
        }


def _exit_row(line: SourceLine) -> StatusPeer | None:
    cells = _CELLS.split(line.text)
    if len(cells) < 3 or len(cells) > 5 or not _EXIT_STATUS.match(cells[-1]) or " " in cells[0] + cells[1]:
        return None
    status = cells[-1]
    selected = status.startswith("selected")
    offline = "offline" in status
    seen = _LAST_SEEN.search(status)
    return StatusPeer(
        ip=cells[0],
        host=cells[1],
        owner="",
        os="",
        cell=status,
        line=line,
        active=None,
        idle=not offline,
        exit_node="exit node" if selected else "offers exit node",
        offline=offline,
        last_seen=seen[1] if seen else None,
    )


def exit_node_list_extent(lines: Sequence[SourceLine], start: int) -> int | None:
    """The index of the last line of an exit-node list whose header is ``lines[start]``, or None."""
    if not EXIT_LIST_HEADER.match(lines[start].text):
        return None
    end = start
    index = start + 1
    stop = min(len(lines), start + _MAX_ROWS)
    rows = 0
    while index < stop:
        text = lines[index].text
        if text:
            if (row := _exit_row(lines[index])) is not None:
                if row.exit_node == "exit node" and row.offline:
                    # the exit node in use is offline: CLI kind exit-node-offline reads that table (windows.py)
                    return None
                rows += 1
            elif not _EXIT_HINT.match(text) and not is_elision_line(text):
                break  # (a "[…]" where the poster cut rows stands for rows: the table goes on below it)
            end = index
        index += 1
    return end if rows else None


def parse_exit_node_list(lines: Sequence[SourceLine]) -> ExitNodeListReport:
    rows = tuple(row for line in lines[1:] if line.text and (row := _exit_row(line)) is not None)
    return ExitNodeListReport(rows, lines[0], tuple(lines))
