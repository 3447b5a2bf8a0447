"""Parse ``tailscale debug netmap``: the node's network map as JSON (netmap.NetworkMap), whole or one piece cut
out with jq: ``SSHPolicy`` (``{"rules": [...]}``, tailcfg.SSHPolicy), ``Peers`` (tailcfg.Node: ``Name``,
``Addresses``, ``Online``), …
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from opskit.core.diagnose.models import NetmapPeer
from opskit.core.diagnose.text import SourceLine, typed_tailscale_command

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
    rule_target: ClassVar[str] = "debug-netmap"  # its kind in JSON views[]
    piece: str  # "whole" or the jq field shown ("SSHPolicy", "Peers", …)
    ssh_rules: int | None  # how many SSH rules the policy holds; None when the paste shows no SSHPolicy
    ssh_line: SourceLine | None
    peers: tuple[NetmapPeer, ...]
    lines: tuple[SourceLine, ...]
    peers_shown: bool = False  # the paste holds the Peers list (a jq piece or a cut netmap may not)

    @property
    def layout(self) -> str:
        return "tailscale debug netmap" + ("" if self.piece == "whole" else f" (.{self.piece})")

    def facts(self) -> dict[str, Any]:
        online = [peer.online for peer in self.peers]
        shown = self.peers_shown
        return {
            "piece": self.piece,  # "whole", or the field cut out with jq
            "peer_count": len(self.peers) if shown else None,
            "peers_online": online.count(True) if shown else None,
            "peers_offline": online.count(False) if shown else None,
            "ssh_rules": self.ssh_rules,  # null: the paste shows no SSH policy
        }


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
    return DebugNetmapReport(piece, ssh_rules, ssh_line, peers, tuple(lines), isinstance(peers_doc, list))
