"""Parse three read-only CLI views people paste: ``tailscale exit-node list``, ``tailscale debug
peer-relay-sessions`` and ``tailscale debug netmap`` (whole, or one piece cut out with jq).

``tailscale exit-node list`` (cmd/tailscale/cli/exitnode.go, since v1.48) prints a tabwriter table::

     IP                  HOSTNAME                 COUNTRY     CITY        STATUS
     100.101.201.31      exit.example.ts.net      Sweden      Stockholm   offline, last seen 3h ago

    # To view the complete list of exit nodes for a country, use `tailscale exit-node list --filter=` …

STATUS is ``-`` (online, not in use), ``selected``, ``offline[, last seen …]`` or ``selected but offline[…]``;
COUNTRY and CITY are ``-`` when the node has no location (empty in some 1.85 development builds).

``tailscale debug peer-relay-sessions`` (cmd/tailscale/cli/debug-peer-relay.go, v1.88+)::

    Server port: 7777            (or "not configured (you can configure the port with …)")
    Sessions count: 2
    VNI: 3
      172.31.37.250:41641(d:1bd615a9) --> 18.217.31.242:41641(d:25eab97b), Packets: 33 Bytes: 4316

and the development form of pull request #16770 (``Server status  : running on port 7777``, ``Active sessions:
2``, a ``VNI  Server  Client 1  Client 2`` table).

``tailscale debug netmap`` prints the node's network map as JSON (netmap.NetworkMap): ``SSHPolicy``
(``{"rules": [...]}``, tailcfg.SSHPolicy), ``Peers`` (tailcfg.Node: ``Name``, ``Addresses``, ``Online``), …
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from opskit.core.diagnose.debugviews import DebugPrefsReport, ServeStatusReport, Ts2021Report
from opskit.core.diagnose.models import NetmapPeer, StatusPeer
from opskit.core.diagnose.text import SourceLine, typed_tailscale_command

# ----------------------------------------------------------------------------------------- exit-node list

EXIT_LIST_HEADER = re.compile(r"^IP\s+HOSTNAME\s+COUNTRY\s+CITY\s+STATUS$")
_EXIT_STATUS = re.compile(r"^(?:-|selected|(?:selected but )?offline(?:, last seen \d+[mhd] ago)?)$")
_EXIT_HINT = re.compile(r"^(?:# )?To (?:view the complete list of exit nodes|use an exit node|have Tailscale suggest)")
_CELLS = re.compile(r"\s{2,}")
_LAST_SEEN = re.compile(r", last seen (\d+[mhd]) ago$")
_MAX_ROWS = 5000


@dataclass(frozen=True)
class ExitNodeListReport:
    rows: tuple[StatusPeer, ...]  # one per exit node: host, IP, status cell; exit_node "exit node" when selected
    header: SourceLine
    lines: tuple[SourceLine, ...]

    @property
    def layout(self) -> str:
        return f"tailscale exit-node list ({len(self.rows)} exit node{'s' if len(self.rows) != 1 else ''})"


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
            elif not _EXIT_HINT.match(text):
                break
            end = index
        index += 1
    return end if rows else None


def parse_exit_node_list(lines: Sequence[SourceLine]) -> ExitNodeListReport:
    rows = tuple(row for line in lines[1:] if line.text and (row := _exit_row(line)) is not None)
    return ExitNodeListReport(rows, lines[0], tuple(lines))


# ----------------------------------------------------------------------------------------- peer relay sessions

_RELAY_PORT = re.compile(r"^Server port:\s*(?:(?P<port>\d+)|(?P<other>.+))$")
_RELAY_STATUS = re.compile(r"^Server status\s*:\s*(?:running on port (?P<port>\d+)|(?P<other>.+))$")
_RELAY_COUNT = re.compile(r"^(?:Sessions count|Active sessions)\s*:\s*(\d+)$")
_RELAY_VNI = re.compile(r"^VNI:\s*(\d+)$")
_RELAY_DIRECTION = re.compile(
    r"^(?P<src><no handshake>|\S+)\((?P<sd>[^)]*)\) --> (?P<dst><no handshake>|\S+)\((?P<dd>[^)]*)\), "
    r"Packets: (?P<pkts>\d+) Bytes: (?P<bytes>\d+)$"
)
_RELAY_TABLE_HEADER = re.compile(r"^VNI\s+Server\s+Client 1\s+Client 2$")
_RELAY_TABLE_ROW = re.compile(
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


# ----------------------------------------------------------------------------------------- debug netmap

# the members of netmap.NetworkMap's JSON that only a network map has together
NETMAP_KEYS = frozenset(
    {"SelfNode", "NodeKey", "PrivateKey", "Peers", "DNS", "PacketFilter", "PacketFilterRules", "SSHPolicy",
     "DERPMap", "CollectServices", "TKAEnabled", "TKAHead", "Domain", "DomainAuditLogID", "UserProfiles",
     "ControlHealth", "MachineKey", "Expiry", "AllCaps", "DisplayMessages"}
)  # fmt: skip
_NETMAP_COMMAND = typed_tailscale_command(r"debug\s+netmap", flags=0)
_JQ_FIELD = re.compile(r"\|\s*jq\b[^|]*?['\"]?\.(?P<field>[A-Za-z]+)\b")


@dataclass(frozen=True)
class DebugNetmapReport:
    piece: str  # "whole" or the jq field shown ("SSHPolicy", "Peers", …)
    ssh_rules: int | None  # how many SSH rules the policy holds; None when the paste shows no SSHPolicy
    ssh_line: SourceLine | None
    peers: tuple[NetmapPeer, ...]
    lines: tuple[SourceLine, ...]

    @property
    def layout(self) -> str:
        return "tailscale debug netmap" + ("" if self.piece == "whole" else f" (.{self.piece})")


def is_netmap_command(command: str | None) -> bool:
    return command is not None and _NETMAP_COMMAND.search(command) is not None


def netmap_piece(command: str | None, document: object) -> str | None:
    """Which piece of a network map ``document`` is: "whole", a jq field, or None when it is no netmap."""
    if isinstance(document, dict) and len(NETMAP_KEYS & document.keys()) >= 2:
        return "whole"
    if not is_netmap_command(command):
        return None
    assert command is not None
    jq = _JQ_FIELD.search(command)
    if jq is None:
        return "whole" if isinstance(document, dict) else None
    field = jq["field"]
    if field == "SSHPolicy" and not (isinstance(document, dict) and "rules" in document):
        return None
    return field if isinstance(document, (dict, list)) else None


def _netmap_peer(node: object, line: SourceLine) -> NetmapPeer | None:
    if not isinstance(node, dict) or not isinstance(node.get("Name"), str):
        return None
    addresses = node.get("Addresses")
    online = node.get("Online")
    return NetmapPeer(
        node["Name"].rstrip("."),
        tuple(a for a in addresses if isinstance(a, str)) if isinstance(addresses, list) else (),
        online if isinstance(online, bool) else None,
        line,
    )


def parse_debug_netmap(lines: Sequence[SourceLine], piece: str, document: object) -> DebugNetmapReport:
    policy: object = None
    shown = False
    peers_doc: object = None
    if piece == "whole" and isinstance(document, dict):
        shown = "SSHPolicy" in document
        policy, peers_doc = document.get("SSHPolicy"), document.get("Peers")
    elif piece == "SSHPolicy":
        shown, policy = True, document
    elif piece == "Peers":
        peers_doc = document
    ssh_rules: int | None = None
    ssh_line: SourceLine | None = None
    if shown and isinstance(policy, dict):  # "SSHPolicy": null is a node without an SSH policy, not an empty one
        rules = policy.get("rules")
        ssh_rules = len(rules) if isinstance(rules, list) else 0
        ssh_line = next((line for line in lines if '"rules"' in line.text), lines[0])
    peers = (
        tuple(peer for node in peers_doc if (peer := _netmap_peer(node, lines[0])) is not None)
        if isinstance(peers_doc, list)
        else ()
    )
    return DebugNetmapReport(piece, ssh_rules, ssh_line, peers, tuple(lines))


CliView = (
    ExitNodeListReport
    | PeerRelaySessionsReport
    | DebugNetmapReport
    | ServeStatusReport
    | Ts2021Report
    | DebugPrefsReport
)
