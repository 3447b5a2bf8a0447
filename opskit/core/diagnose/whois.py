"""Parse ``tailscale whois`` (v1.56+) and ``tailscale whoami``: which node and user an address belongs to.

cmd/tailscale/cli/whois.go printWhoIs (a tabwriter, so the values line up)::

    Machine:
      Name:          laptop.tail1234.ts.net
      ID:            nXYZ1234CNTRL
      Addresses:     [100.101.102.103/32 fd7a:115c:a1e0::1/128]
      AllowedIPs:    [192.168.1.0/24]             (only routes beyond its own addresses)
      Tags:          tag:router, tag:exit         (a tagged node: no User section)
    User:
      Name:          alice@example.com
      ID:            1234567890
    Tailnet:                                      (whoami only: this node's tailnet)
      Name:          example.com
      MagicDNS Suffix:  tail1234.ts.net
    Capabilities:
      - https://tailscale.com/cap/ssh
      - tailscale.com/cap/file-sharing-target:
          [ …JSON… ]

``--json`` prints apitype.WhoIsResponse (``Node``: tailcfg.Node, ``UserProfile``, ``CapMap``; whoami adds
``CurrentTailnet``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from opskit.core.diagnose.text import SourceLine, is_elision_line, typed_tailscale_command

_SECTION = re.compile(r"^(Machine|User|Tailnet|Capabilities):$")
_FIELD = re.compile(r"^(?P<key>Name|ID|Addresses|AllowedIPs|Tags|MagicDNS Suffix):\s+(?P<value>\S.*)$")
_CAPABILITY = re.compile(r"^- \S+$")
_JSON_PIECE = re.compile(r'^(?:[\[\]{},]+|"[^"]*"\s*:.*|"[^"]*",?|-?\d[\d.]*,?|true,?|false,?|null,?)$')
_MAX_LINES = 2000
_COMMAND = typed_tailscale_command(r"who(?:is|ami)\b")


@dataclass(frozen=True)
class WhoisReport:
    """One pasted ``tailscale whois`` / ``whoami``. None where the paste does not show the fact."""

    rule_target: ClassVar[str] = "whois"
    name: str | None  # the node's MagicDNS name, without the root's dot
    node_id: str | None  # its stable ID
    addresses: tuple[str, ...]  # its tailnet addresses, without /32 and /128
    routes: tuple[str, ...]  # AllowedIPs beyond its own addresses: subnet routes, exit node (0.0.0.0/0, ::/0)
    tags: tuple[str, ...]
    user: str | None  # the owner's login name (None for a tagged node)
    tailnet: str | None  # whoami: the tailnet's name
    os: str | None  # --json: Hostinfo.OS
    capabilities: tuple[str, ...]
    lines: tuple[SourceLine, ...]

    @property
    def layout(self) -> str:
        return f"tailscale whois ({self.name or 'name not shown'})"

    def facts(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "node_id": self.node_id,
            "addresses": list(self.addresses),
            "routes": list(self.routes),
            "tags": list(self.tags),
            "user": self.user,
            "tailnet": self.tailnet,
            "os": self.os,
            "capabilities": list(self.capabilities),
        }


def is_whois_command(command: str | None) -> bool:
    return command is not None and _COMMAND.search(command) is not None


def whois_extent(lines: Sequence[SourceLine], start: int, command: str | None = None) -> int | None:
    """The index of the last line of a whois answer starting at ``lines[start]``, or None.

    It starts at its ``Machine:`` line; under a typed `whois`/`whoami` also at a later section (a paste that cut
    the top, "..." in its place)."""
    first = _SECTION.match(lines[start].text)
    if first is None or (first[1] != "Machine" and not is_whois_command(command)):
        return None
    end = start
    section = first[1]
    named = False
    for index in range(start + 1, min(len(lines), start + _MAX_LINES)):
        line = lines[index]
        text = line.text
        if line.command is not None:
            break
        if not text:
            continue
        if (match := _SECTION.match(text)) is not None:
            section = match[1]
        elif _FIELD.match(text) is not None and section != "Capabilities":
            named = named or text.startswith("Name:")
        elif is_elision_line(text):
            pass  # the poster cut fields or capabilities here: the answer goes on below
        elif section != "Capabilities" or not (_CAPABILITY.match(text) or _JSON_PIECE.match(text)):
            break
        end = index
    return end if named or (first[1] != "Machine" and end > start) else None


def _list(value: str) -> tuple[str, ...]:
    """Go's "[a b c]" printing of a slice, each prefix without a host length."""
    return tuple(item for item in value.strip("[]").split() if item)


def _address(prefix: str) -> str:
    return prefix.removesuffix("/32").removesuffix("/128")


def parse_whois(lines: Sequence[SourceLine]) -> WhoisReport:
    name = node_id = user = tailnet = None
    addresses: tuple[str, ...] = ()
    routes: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    capabilities: list[str] = []
    section = ""
    for line in lines:
        text = line.text
        if (match := _SECTION.match(text)) is not None:
            section = match[1]
            continue
        if section == "Capabilities":
            if _CAPABILITY.match(text):
                capabilities.append(text[2:].rstrip(":"))
            continue
        field = _FIELD.match(text)
        if field is None:
            continue
        key, value = field["key"], field["value"].strip()
        if section == "Machine":
            if key == "Name":
                name = value.rstrip(".")
            elif key == "ID":
                node_id = value
            elif key == "Addresses":
                addresses = tuple(_address(a) for a in _list(value))
            elif key == "AllowedIPs":
                routes = _list(value)
            elif key == "Tags":
                tags = tuple(tag.strip() for tag in value.split(",") if tag.strip())
        elif section == "User" and key == "Name":
            user = value
        elif section == "Tailnet" and key == "Name":
            tailnet = value
    return WhoisReport(name, node_id, addresses, routes, tags, user, tailnet, None, tuple(capabilities), tuple(lines))


def is_whois_json(document: object) -> bool:
    if not isinstance(document, dict):
        return False
    node = document.get("Node")
    return isinstance(node, dict) and "Name" in node and ("UserProfile" in document or "CapMap" in document)


def parse_whois_json(lines: Sequence[SourceLine], document: dict[str, Any]) -> WhoisReport:
    node: dict[str, Any] = document["Node"]
    profile = document.get("UserProfile")
    hostinfo = node.get("Hostinfo")
    tailnet = document.get("CurrentTailnet")

    def strings(value: object) -> tuple[str, ...]:
        return tuple(item for item in value if isinstance(item, str)) if isinstance(value, list) else ()

    addresses = strings(node.get("Addresses"))
    own = set(addresses)
    tags = strings(node.get("Tags"))
    cap_map = document.get("CapMap")
    name = node.get("Name")
    stable = node.get("StableID")
    login = profile.get("LoginName") if isinstance(profile, dict) else None
    os_name = hostinfo.get("OS") if isinstance(hostinfo, dict) else None
    tailnet_name = tailnet.get("Name") if isinstance(tailnet, dict) else None
    return WhoisReport(
        name.rstrip(".") if isinstance(name, str) else None,
        stable if isinstance(stable, str) else None,
        tuple(_address(a) for a in addresses),
        tuple(a for a in strings(node.get("AllowedIPs")) if a not in own),
        tags,
        login if isinstance(login, str) and not tags else None,
        tailnet_name if isinstance(tailnet_name, str) else None,
        os_name if isinstance(os_name, str) and os_name else None,
        tuple(cap_map) if isinstance(cap_map, dict) else (),
        tuple(lines),
    )
