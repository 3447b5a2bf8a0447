"""Read the operating system's answer to "which way does this address go?" pasted beside Tailscale output.

Three forms: Linux ``ip route get <addr>`` (``100.64.0.2 dev tailscale0 table 52 src 100.64.0.1 uid 0``, or
``… via 10.0.0.1 dev eth0 src 10.0.0.26 uid 0`` and its ``cache`` line), macOS/BSD ``route get <addr>`` (``route
to:``, ``gateway:``, ``interface:`` lines) and Windows PowerShell ``Find-NetRoute -RemoteIPAddress <addr>`` (its
list form: ``InterfaceAlias : Ethernet``, ``NextHop : 10.0.0.1``; the address is the command's). Like the OS ping,
this is not Tailscale's output: it says whether the kernel hands a tailnet address to Tailscale's interface.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from opskit.core.diagnose.lazyre import LazyPattern, lazy_compile
from opskit.core.diagnose.text import TAILNET_V4_PREFIX, TAILNET_V6_PREFIX, SourceLine

_ADDRESS = r"[0-9]{1,3}(?:\.[0-9]{1,3}){3}|[0-9a-fA-F]{0,4}(?::[0-9a-fA-F]{0,4}){2,7}"
# `ip route get` (iproute2): an optional route type, the destination, then from/via/dev/src attributes
_IP_ROUTE_GET = lazy_compile(
    rf"^(?:(?P<type>local|unicast|unreachable|blackhole|prohibit|throw) )?(?P<dest>{_ADDRESS})"
    rf"(?: from \S+)?(?: via (?:inet6? )?(?P<via>\S+))?(?: dev (?P<dev>\S+))?(?: (?:table|src|uid|proto|metric"
    r"|mtu|hoplimit|pref|expires|realm|rtt)\b.*)?$"
)
_IP_ROUTE_CACHE = lazy_compile(r"^cache(?: .*)?$")
# `route get` (macOS / BSD): "key: value" lines, right-aligned keys
_BSD_ROUTE = lazy_compile(r"^(?P<key>route to|destination|mask|gateway|interface|flags|if address): (?P<value>.*)$")
# `Find-NetRoute` list form (Format-List of a NetIPAddress then a NetRoute object)
_FIND_NETROUTE = lazy_compile(
    r"^(?P<key>InterfaceAlias|InterfaceIndex|DestinationPrefix|NextHop|RouteMetric|IPAddress|AddressFamily"
    r"|AddressState|PrefixLength|PrefixOrigin|SuffixOrigin|ValidLifetime|PreferredLifetime|SkipAsSource"
    r"|PolicyStore|InterfaceMetric|ifIndex)\s*: (?P<value>.*)$"
)
_FIND_NETROUTE_COMMAND = lazy_compile(r"\bFind-NetRoute\b.*?-RemoteIPAddress\s+['\"]?(?P<dest>[0-9A-Fa-f.:]+)", re.I)
_ROUTE_GET_COMMAND = lazy_compile(r"\broute\s+(?:-n\s+)?get\s+(?:-inet6?\s+)?(?P<dest>[0-9A-Fa-f.:]+)")
_TAILNET = lazy_compile(rf"^(?:{TAILNET_V4_PREFIX}\d{{1,3}}\.\d{{1,3}}|{TAILNET_V6_PREFIX}[0-9a-fA-F:]*)$", re.I)
# Tailscale's own interface: tailscale0 (Linux; `--tun` may name it tailscaleN or tsN), utunN (macOS, where other
# VPNs also use utun: not told apart), "Tailscale" (Windows), tun/wintun names of the Windows adapter.
_TAILSCALE_INTERFACE = lazy_compile(r"^(?:tailscale\d*|ts\d+|utun\d+|Tailscale.*)$", re.I)


def is_tailnet_address(address: str) -> bool:
    """A Tailscale address: 100.64.0.0/10 or fd7a:115c:a1e0::/48."""
    return _TAILNET.match(address) is not None


@dataclass(frozen=True)
class RouteLookup:
    """Where the OS routes one address: the interface, the gateway (None when on-link), the answer's line."""

    destination: str
    interface: str | None
    gateway: str | None
    line: SourceLine
    local: bool = False  # `ip route get` answering "local": the address is this host's own

    @property
    def tailnet_destination(self) -> bool:
        """The address looked up is a Tailscale address (100.64.0.0/10 or fd7a:115c:a1e0::/48)."""
        return is_tailnet_address(self.destination)

    @property
    def leaves_tailscale(self) -> bool:
        """A tailnet address the kernel hands to an interface that is not Tailscale's."""
        return (
            self.tailnet_destination
            and not self.local
            and self.interface is not None
            and self.interface != "lo"
            and _TAILSCALE_INTERFACE.match(self.interface) is None
        )


def is_route_lookup_line(text: str) -> bool:
    """A line of `ip route get`, `route get` or `Find-NetRoute` output (cheap tests before each pattern)."""
    if " dev " in text:
        return _IP_ROUTE_GET.match(text) is not None
    if text[:5] == "cache":
        return _IP_ROUTE_CACHE.match(text) is not None  # `ip route get`'s second line
    if ": " in text:
        head = text[:1]
        if head in "rdmgif" and _BSD_ROUTE.match(text) is not None:
            return True
        return head.isupper() and " : " in text and _FIND_NETROUTE.match(text) is not None
    return False


def parse_route_lookups(lines: Sequence[SourceLine], command: str | None = None) -> tuple[RouteLookup, ...]:
    """Every route answer in one block (one per `ip route get` line, one per `route get` / `Find-NetRoute`)."""
    found: list[RouteLookup] = []
    bsd: dict[str, tuple[str, SourceLine]] = {}
    windows: dict[str, tuple[str, SourceLine]] = {}
    for line in lines:
        text = line.text
        if (linux := _IP_ROUTE_GET.match(text)) is not None and " dev " in text:
            found.append(
                RouteLookup(
                    linux.group("dest"), linux.group("dev"), linux.group("via"), line, linux.group("type") == "local"
                )
            )
        elif (key_value := _BSD_ROUTE.match(text)) is not None:
            bsd[key_value.group("key")] = (key_value.group("value").strip(), line)
        elif (key_value := _FIND_NETROUTE.match(text)) is not None:
            windows.setdefault(key_value.group("key"), (key_value.group("value").strip(), line))
    if "interface" in bsd:
        to = bsd.get("route to") or _command_destination(_ROUTE_GET_COMMAND, command, bsd["interface"][1])
        if to is not None:
            gateway = bsd.get("gateway", ("", line))[0] or None
            found.append(RouteLookup(to[0], bsd["interface"][0], gateway, bsd["interface"][1]))
    if "InterfaceAlias" in windows:
        to = _command_destination(_FIND_NETROUTE_COMMAND, command, windows["InterfaceAlias"][1])
        if to is not None:
            gateway = windows.get("NextHop", ("", line))[0]
            on_link = gateway in ("", "0.0.0.0", "::")
            found.append(RouteLookup(to[0], windows["InterfaceAlias"][0], None if on_link else gateway, to[1]))
    return tuple(found)


def _command_destination(
    pattern: re.Pattern[str] | LazyPattern, command: str | None, line: SourceLine
) -> tuple[str, SourceLine] | None:
    match = pattern.search(command or "")
    return None if match is None else (match.group("dest"), line)
