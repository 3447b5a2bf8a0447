"""Parse ``tailscale debug peer-relay-sessions`` (cmd/tailscale/cli/debug-peer-relay.go, v1.88+)::

    Server port: 7777            (or "not configured (you can configure the port with …)")
    Sessions count: 2
    VNI: 3
      172.31.37.250:41641(d:1bd615a9) --> 18.217.31.242:41641(d:25eab97b), Packets: 33 Bytes: 4316

and the development form of pull request #16770 (``Server status  : running on port 7777``, ``Active sessions:
2``, a ``VNI  Server  Client 1  Client 2`` table).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from opskit.core.diagnose.lazyre import lazy_compile
from opskit.core.diagnose.text import SourceLine

_MAX_ROWS = 5000

_RELAY_PORT = lazy_compile(r"^Server port:\s*(?:(?P<port>\d+)|(?P<other>.+))$")
_RELAY_STATUS = lazy_compile(r"^Server status\s*:\s*(?:running on port (?P<port>\d+)|(?P<other>.+))$")
_RELAY_COUNT = lazy_compile(r"^(?:Sessions count|Active sessions)\s*:\s*(\d+)$")
_RELAY_VNI = lazy_compile(r"^VNI:\s*(\d+)$")
_RELAY_DIRECTION = lazy_compile(
    r"^(?P<src><no handshake>|\S+)\((?P<sd>[^)]*)\) --> (?P<dst><no handshake>|\S+)\((?P<dd>[^)]*)\), "
    r"Packets: (?P<pkts>\d+) Bytes: (?P<bytes>\d+)$"
)
_RELAY_TABLE_HEADER = lazy_compile(r"^VNI\s+Server\s+Client 1\s+Client 2$")
_RELAY_TABLE_ROW = lazy_compile(
    r"^(?P<vni>\d+)\s+(?P<server>\S+)\s+(?P<c1>\S+)(?: tx (?P<tx1>\d+)\(\d+B\))?\s+(?P<c2>\S+)"
)


@dataclass(frozen=True)
class RelaySession:
    vni: int
    clients: tuple[str, ...]  # the clients' endpoints as printed (ip:port, or "<no handshake>")
    packets: int  # packets relayed, both directions
    line: SourceLine


@dataclass(frozen=True)
class PeerRelaySessionsReport:
    rule_target: ClassVar[str] = "peer-relay-sessions"  # its kind in JSON views[]
    port: int | None  # the relay server's UDP port; None when not configured / not running
    not_running: str | None  # what the CLI said instead of a port ("not configured (…)")
    server_line: SourceLine | None
    count: int | None
    sessions: tuple[RelaySession, ...]
    lines: tuple[SourceLine, ...]

    @property
    def layout(self) -> str:
        state = "not running" if self.not_running else f"port {self.port}" if self.port else "state not shown"
        return (
            f"tailscale debug peer-relay-sessions ({state}, {self.count if self.count is not None else '?'} sessions)"
        )

    def facts(self) -> dict[str, Any]:
        return {
            "relay_port": self.port,
            "relay_not_running": self.not_running,
            "session_count": self.count,
            "sessions": [
                {"vni": s.vni, "clients": list(s.clients), "packets": s.packets, "line": s.line.number}
                for s in self.sessions
            ],
        }


def is_relay_start(text: str) -> bool:
    return text[:7] == "Server " and (_RELAY_PORT.match(text) is not None or _RELAY_STATUS.match(text) is not None)


def _relay_line(text: str) -> bool:
    return bool(
        _RELAY_COUNT.match(text)
        or _RELAY_VNI.match(text)
        or _RELAY_DIRECTION.match(text)
        or _RELAY_TABLE_HEADER.match(text)
        or _RELAY_TABLE_ROW.match(text)
    )


def peer_relay_extent(lines: Sequence[SourceLine], start: int) -> int | None:
    """The index of the last line of a peer-relay-sessions output starting at ``lines[start]``, or None.
    Its "Server …" line alone is not enough: the sessions count must follow."""
    if not is_relay_start(lines[start].text):
        return None
    end = start
    counted = False
    for index in range(start + 1, min(len(lines), start + _MAX_ROWS)):
        text = lines[index].text
        if not text:
            continue
        if not _relay_line(text):
            break
        counted = counted or _RELAY_COUNT.match(text) is not None
        end = index
    return end if counted else None


def parse_peer_relay_sessions(lines: Sequence[SourceLine]) -> PeerRelaySessionsReport:
    port: int | None = None
    not_running: str | None = None
    server_line: SourceLine | None = None
    count: int | None = None
    sessions: list[RelaySession] = []
    vni: tuple[int, SourceLine] | None = None
    clients: list[str] = []
    packets = 0

    def close() -> None:
        if vni is not None:
            sessions.append(RelaySession(vni[0], tuple(clients), packets, vni[1]))

    for line in lines:
        text = line.text
        if (match := _RELAY_PORT.match(text) or _RELAY_STATUS.match(text)) is not None:
            server_line = line
            port = int(match["port"]) if match["port"] else None
            not_running = None if match["port"] else match["other"].strip()
        elif (match := _RELAY_COUNT.match(text)) is not None:
            count = int(match[1])
        elif (match := _RELAY_VNI.match(text)) is not None:
            close()
            vni, clients, packets = (int(match[1]), line), [], 0
        elif (match := _RELAY_DIRECTION.match(text)) is not None and vni is not None:
            clients.append(match["src"])
            packets += int(match["pkts"])
        elif (match := _RELAY_TABLE_ROW.match(text)) is not None:
            tx = re.findall(r" tx (\d+)\(", text)
            clients = [client.split("[")[0] for client in (match["c1"], match["c2"])]  # "ip:port[d:…]"
            sessions.append(RelaySession(int(match["vni"]), tuple(clients), sum(int(t) for t in tx), line))
    close()
    return PeerRelaySessionsReport(port, not_running, server_line, count, tuple(sessions), tuple(lines))
