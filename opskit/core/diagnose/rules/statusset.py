"""Rules over every ``tailscale status`` of a diagnosis at once: what one node's status says about another's."""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterator
from dataclasses import dataclass

from opskit.core.diagnose.models import StatusPeer, StatusReport
from opskit.core.diagnose.rules.facts import DiagnoseContext
from opskit.core.diagnose.text import SourceLine, hide_keys
from opskit.core.findings import Evidence, Finding, Severity
from opskit.core.rules import rule


@dataclass(frozen=True)
class NodeStatus:
    """One pasted ``tailscale status`` with what the paste says around it."""

    source: str
    status: StatusReport
    command: str | None  # what the prompt above it ran, if one was shown
    prompt: SourceLine | None  # that prompt's line (its host name names the node)
    cut: bool  # the listing is cut: an elision line ("...", "[snip]") right below or inside it


@dataclass(frozen=True)
class StatusSet:
    nodes: tuple[NodeStatus, ...]


# `tailscale status` flags that leave rows out (--self=false, --peers=false, --active), and any pipe into another
# program (grep, head, findstr, Select-String): the listing no longer shows every peer the node knows.
_FILTERING_FLAG = re.compile(r"--?(?:self|peers)(?:=|\s+)(?:false|0)\b|--?active\b(?!=false)")
# Programs a status may be piped through without losing rows.
_WHOLE_PIPES = frozenset({"cat", "less", "more", "tee", "column", "out-host"})
# The host of a prompt: "root@n1:~#", "[root@n1 ~]#", "(me@n1 ~)$", "me@n1 ~ %", Alpine's "n1:~#".
_PROMPT_HOST = re.compile(r"^[(\[]?[\w.-]+@(?P<host>[\w-]+)[\w.-]*[:\s\])]|^(?P<bare>[\w-]+)[\w.-]*:[~/]")


def lists_every_peer(command: str | None) -> bool:
    """Whether the status command shown prints every peer the node knows (no command shown: assumed so)."""
    if command is None:
        return True
    words = command.split("|")
    if _FILTERING_FLAG.search(words[0]) is not None:
        return False
    for pipe in words[1:]:
        program = pipe.split()[0].lower() if pipe.split() else ""
        if program.rsplit("/", 1)[-1] not in _WHOLE_PIPES:
            return False
    return True


def prompt_host(prompt: SourceLine | None) -> str | None:
    """The host name a shell prompt shows, lowercased (None for "$", "PS C:\\>" and other prompts without one)."""
    if prompt is None or prompt.command is None:
        return None
    match = _PROMPT_HOST.match(prompt.text)
    if match is None:
        return None
    return (match.group("host") or match.group("bare")).lower()


def _name(row: StatusPeer) -> str:
    """The row's MagicDNS name as printed, lowercased, without a trailing dot or the quoted-hostname form."""
    return row.host.split(" (")[0].strip('()"').rstrip(".").lower()


def _short(name: str) -> str:
    return name.split(".", 1)[0]


def self_row(node: NodeStatus) -> StatusPeer | None:
    """The node's own row: the one the prompt's host name names, else the first row when it reads as Self."""
    host = prompt_host(node.prompt)
    if host is not None:
        for row in node.status.peers:
            if _short(_name(row)) == host:
                return row
    return node.status.self_peer


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """The row's Tailscale IP, or None where it is missing or masked by the poster ("100.64.0.x")."""
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def _same_node(row: StatusPeer, other_self: StatusPeer) -> bool:
    """Whether a row shows the node whose own status has ``other_self`` as Self: by Tailscale IP, else by name
    (a MagicDNS name and its short form are one name); two different IPs are two nodes whatever their names."""
    row_ip, self_ip = _address(row.ip), _address(other_self.ip)
    if row_ip is not None and self_ip is not None:
        return row_ip == self_ip
    row_name, self_name = _name(row), _name(other_self)
    if not row_name or not self_name:
        return False
    if "." in row_name and "." in self_name:
        return row_name == self_name
    return _short(row_name) == _short(self_name)


def _shows_whole_netmap(node: NodeStatus) -> bool:
    """Whether the status shows the node's whole netmap: the node is running with a map session (no state line,
    no health message about the map), the listing is not filtered, cut, or a fragment of rows."""
    status = node.status
    if status.state_message is not None or status.from_cli_error:
        return False
    if any(word in m.text.lower() for m in status.health for word in ("map", "coordination server", "logged")):
        return False
    return lists_every_peer(node.command) and not node.cut and not any(row.partial for row in status.peers)


def _evidence(node: NodeStatus, *lines: SourceLine) -> list[Evidence]:
    return [Evidence(node.source, line.number, hide_keys(line.text)) for line in lines]


@rule(
    id="TS-STATUS-ONE-WAY-PEER",
    name="status-one-way-peer",
    family="tailscale-status",
    severity=Severity.WARNING,
    summary="One node lists a peer whose own status does not list it",
    target="status-set",
)
def one_way_peer(subject: StatusSet, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: control sends each node a netmap of the peers the policy lets it talk to, and the policy works
    both ways for a pair (a node may reach a peer, or be reached by it: either puts them in each other's map).
    When node A's status lists B but B's whole status does not list A, control sent B no entry for A: an ACL or
    ``autogroup:self`` policy B's map was not recomputed for (Headscale pushing policy changes only after a
    restart), or a control-server bug. B's WireGuard drops A's packets (an unknown peer), so the pair cannot talk
    either way. Offline peers are listed too; a filtered status (``| grep``, ``--active``, ``--self=false``) or a
    cut paste proves nothing.

    *Bad*::

        root@n1:~# tailscale status
        100.64.0.1      n1                   alice        linux   -
        100.64.0.2      n2                   alice        linux   -

        root@n2:~# tailscale status
        100.64.0.2      n2                   alice        linux   -

    *Good*::

        root@n1:~# tailscale status
        100.64.0.1      n1                   alice        linux   -
        100.64.0.2      n2                   alice        linux   -

        root@n2:~# tailscale status
        100.64.0.2      n2                   alice        linux   -
        100.64.0.1      n1                   alice        linux   -
    """
    nodes: list[tuple[NodeStatus, StatusPeer]] = []
    for node in subject.nodes:
        own = self_row(node)
        # the same node pasted twice (before and after) is one node
        if own is not None and not any(_same_node(own, seen) for _, seen in nodes):
            nodes.append((node, own))
    for listing, listing_self in nodes:
        for listed, listed_self in nodes:
            if listed is listing or not _shows_whole_netmap(listed):
                continue
            row = next((r for r in listing.status.peers if r is not listing_self and _same_node(r, listed_self)), None)
            # an offline row may be older than the other paste; a full MagicDNS name for a peer its own status
            # names short is a node shared in from another tailnet (its sharees are hidden in the owner's status)
            if row is None or row.offline or ("." in _name(row) and "." not in _name(listed_self)):
                continue
            if any(_same_node(r, listing_self) for r in listed.status.peers):
                continue
            a, b = _short(_name(listing_self)) or listing_self.ip, _short(_name(listed_self)) or listed_self.ip
            evidence = (
                *_evidence(listing, row.line),
                *_evidence(
                    listed, *((listed.prompt,) if listed.prompt else ()), *(r.line for r in listed.status.peers[:3])
                ),
            )
            yield ctx.finding(
                f"{b}'s status does not list {a} although {a}'s lists {b}: the coordination server sent {b} no "
                f"netmap entry for {a} (ACL/policy, autogroup:self, or a control-server bug); traffic between them "
                "fails both ways (WireGuard drops packets from unknown peers).",
                "Check the policy (ACLs/grants, autogroup:self) lets the two nodes reach each other; with "
                "Headscale, restart or upgrade it (policy changes not pushed to every node).",
                tuple(evidence),
                title=f"{b} does not know {a}, though {a} lists {b}: netmaps disagree",
                pair=[a, b],
            )
