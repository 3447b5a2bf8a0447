"""Parse ``tailscale dns status``: whether this device uses Tailscale DNS, MagicDNS, the resolvers and split-DNS
routes control sent, and the OS's own DNS configuration.

The text form (cmd/tailscale/cli/dns-status.go, since v1.74) is fixed: sections under ``=== … ===`` headers,
lists as ``  - item`` rows or one ``  (none …)`` note, closing with ``[this is a preliminary version of this
command; …]``::

    === 'Use Tailscale DNS' status ===
    Tailscale DNS: enabled.                     (or: disabled. + "(Run 'tailscale set --accept-dns=true' …)")
    === MagicDNS configuration ===
    MagicDNS: enabled tailnet-wide (suffix = tail1234.ts.net)  |  MagicDNS: disabled tailnet-wide.
    No tailnet information available; make sure you're logged in[to| to] a tailnet.
    Resolvers (in preference order):   Split DNS Routes:   Search Domains:   (--all: Fallback Resolvers:,
    Nameservers IP Addresses:, Certificate Domains:, Additional DNS Records:, Filtered suffixes …:)
    === System DNS configuration ===
    Nameservers:   Search domains:   (--all: Match domains:)   or one note: not supported / failed to read / none

People paste it whole, cut at either end, without its first header. Every line keeps its source line.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from opskit.core.diagnose.lazyre import lazy_compile
from opskit.core.diagnose.text import SourceLine

_USE_HEADER = lazy_compile(r"^=== 'Use Tailscale DNS' status ===$")
_TAILSCALE_DNS = lazy_compile(r"^Tailscale DNS: (enabled|disabled)\.?$")
_MAGIC_HEADER = "=== MagicDNS configuration ==="
_SYSTEM_HEADER = "=== System DNS configuration ==="
_MAGICDNS = lazy_compile(
    r"^MagicDNS: (?:enabled tailnet-wide \(suffix = (?P<suffix>[^)]*)\)|(?P<off>disabled) tailnet-wide\.?)$"
)
_SELF_NAME = lazy_compile(r"^Other devices in your tailnet can reach this device at (?P<name>\S+?)\.?$")
_NO_TAILNET = lazy_compile(r"^No tailnet information available; make sure you're logged in ?to a tailnet\.?$")
_NETMAP_FAILED = lazy_compile(r"^Failed to fetch network map: (?P<error>.+)$")
_SECTIONS = {
    "Resolvers (in preference order):": "resolvers",
    "Split DNS Routes:": "routes",
    "Fallback Resolvers:": "fallback",
    "Search Domains:": "search",
    "Nameservers IP Addresses:": "nameserver-ips",
    "Certificate Domains:": "cert",
    "Additional DNS Records:": "records",
    "Filtered suffixes when forwarding DNS queries as an exit node:": "filtered",
    "Nameservers:": "system-nameservers",
    "Search domains:": "system-search",
    "Match domains:": "system-match",
}
_PROSE = frozenset(
    {
        "Tailscale is configured to handle DNS queries on this device.",
        "Run 'tailscale set --accept-dns=false' to revert to your system default DNS resolver.",
        "(Run 'tailscale set --accept-dns=true' to start sending DNS queries to the Tailscale DNS resolver)",
        "This is the DNS configuration provided by the coordination server to this device.",
        "This is the DNS configuration that Tailscale believes your operating system is using.",
        "Tailscale may use this configuration if 'Override Local DNS' is disabled in the admin console,",
        "or if no resolvers are provided by the coordination server.",
        "unless the coordination server is providing a nameserver)",
        _MAGIC_HEADER,
        _SYSTEM_HEADER,
    }
)
_CLOSING = lazy_compile(
    r"^\[this is a preliminary version of this command; the output format may change in the future\]$"
)
_ITEM = lazy_compile(r"^(?:- |\d+: )(?P<item>.+)$")
_ROUTE = lazy_compile(r"^(?P<domain>\S+)\s+->\s+(?P<resolver>.+)$")
_NOTE = lazy_compile(r"^\((?P<note>[^)]*)\)?$")
_SYSTEM_UNREADABLE = lazy_compile(
    r"^\((?:reading the system DNS configuration is not supported|failed to read system DNS configuration"
    r"|no OS DNS configuration available)"
)
_BOOTSTRAP = lazy_compile(r"\s+\(bootstrap: [^)]*\)$")  # a DoH resolver's bootstrap addresses, after its URL
_MAX_LINES = 3000


@dataclass(frozen=True)
class DnsRoute:
    domain: str
    resolver: str
    line: SourceLine


@dataclass(frozen=True)
class DnsStatusReport:
    """One pasted ``tailscale dns status``. None where the paste does not show the fact."""

    rule_target: ClassVar[str] = "dns-status"  # its kind in JSON views[]
    tailscale_dns: bool | None  # this device uses Tailscale's DNS (--accept-dns)
    tailscale_dns_line: SourceLine | None
    magicdns: bool | None  # MagicDNS on tailnet-wide
    magicdns_line: SourceLine | None
    suffix: str | None
    self_name: str | None
    no_tailnet: SourceLine | None  # "No tailnet information available …" (not logged in)
    netmap_error: SourceLine | None
    resolvers: tuple[tuple[str, SourceLine], ...] | None  # None: the section is not in the paste
    resolvers_line: SourceLine | None
    routes: tuple[DnsRoute, ...]
    search_domains: tuple[str, ...]
    system_nameservers: tuple[str, ...] | None  # None: not shown (or the OS's configuration unreadable)
    system_line: SourceLine | None  # the system section's "Nameservers:" header or its note
    system_unreadable: str | None  # the note saying the OS's DNS configuration could not be read
    lines: tuple[SourceLine, ...]

    @property
    def layout(self) -> str:
        use = {True: "Tailscale DNS on", False: "Tailscale DNS off", None: "Tailscale DNS not shown"}[
            self.tailscale_dns
        ]
        magic = {True: "MagicDNS on", False: "MagicDNS off", None: "MagicDNS not shown"}[self.magicdns]
        return f"tailscale dns status ({use}, {magic})"

    def facts(self) -> dict[str, Any]:
        """(JSON ``dns_statuses[]`` is these with its label first and its line last.)"""
        return {
            "tailscale_dns": self.tailscale_dns,
            "magicdns": self.magicdns,
            "suffix": self.suffix,
            "self_name": self.self_name,
            "logged_in": None if self.no_tailnet is None and self.magicdns is None else self.no_tailnet is None,
            "resolvers": None if self.resolvers is None else [item for item, _ in self.resolvers],
            "split_dns": [{"domain": r.domain, "resolver": r.resolver, "line": r.line.number} for r in self.routes],
            "search_domains": list(self.search_domains),
            "system_nameservers": None if self.system_nameservers is None else list(self.system_nameservers),
            "system_unreadable": self.system_unreadable,
        }


def _known(text: str) -> bool:
    return (
        text in _PROSE
        or text in _SECTIONS
        or _USE_HEADER.match(text) is not None
        or _TAILSCALE_DNS.match(text) is not None
        or _MAGICDNS.match(text) is not None
        or _SELF_NAME.match(text) is not None
        or _NO_TAILNET.match(text) is not None
        or _NETMAP_FAILED.match(text) is not None
        or _CLOSING.match(text) is not None
    )


def is_dns_status_start(text: str) -> bool:
    """Cheap test for the caller's loop: could ``text`` begin a ``tailscale dns status``?"""
    return (text[:4] in ("=== ", "Tail", "Magi")) and (
        _USE_HEADER.match(text) is not None
        or _TAILSCALE_DNS.match(text) is not None
        or text == _MAGIC_HEADER
        or _MAGICDNS.match(text) is not None
    )


def dns_status_extent(lines: Sequence[SourceLine], start: int) -> int | None:
    """The index of the last line of a ``tailscale dns status`` beginning at ``lines[start]``, or None.

    It runs while each line is one the command prints (a section's items only inside a section); at least
    one of its own lines must follow the first, so a lone ``Tailscale DNS: enabled.`` quoted in prose is not one."""
    if not is_dns_status_start(lines[start].text):
        return None
    end = start
    own = 0
    in_section = False
    stop = min(len(lines), start + _MAX_LINES)
    index = start + 1
    while index < stop:
        line = lines[index]
        if line.command is not None:
            break
        text = line.text
        if text and text != ">":  # (a markdown quote's empty line is a blank line)
            if _known(text):
                if text in _SECTIONS or text[:4] == "=== ":  # prose inside a section keeps it open
                    in_section = text in _SECTIONS or text == _SYSTEM_HEADER
                own += 1
            elif not (in_section and (_ITEM.match(text) or _NOTE.match(text))):
                break
            end = index
            if _CLOSING.match(text):
                break
        index += 1
    return end if own >= 1 else None


def parse_dns_status(lines: Sequence[SourceLine]) -> DnsStatusReport:
    tailscale_dns: bool | None = None
    tailscale_dns_line = magicdns_line = no_tailnet = netmap_error = resolvers_line = system_line = None
    magicdns: bool | None = None
    suffix = self_name = system_unreadable = None
    resolvers: list[tuple[str, SourceLine]] | None = None
    routes: list[DnsRoute] = []
    search: list[str] = []
    system: list[str] | None = None
    section = ""
    for line in lines:
        text = line.text
        if not text or text == ">":
            continue
        if (match := _TAILSCALE_DNS.match(text)) is not None:
            tailscale_dns, tailscale_dns_line = match[1] == "enabled", line
        elif (match := _MAGICDNS.match(text)) is not None:
            magicdns, magicdns_line, suffix = match["off"] is None, line, match["suffix"]
        elif (match := _SELF_NAME.match(text)) is not None:
            self_name = match["name"]
        elif _NO_TAILNET.match(text):
            no_tailnet = line
        elif _NETMAP_FAILED.match(text):
            netmap_error = line
        elif text in _SECTIONS:
            section = _SECTIONS[text]
            if section == "resolvers":
                resolvers, resolvers_line = [], line
            elif section == "system-nameservers":
                system, system_line = [], line
        elif text == _SYSTEM_HEADER:
            section = "system"
        elif _known(text):
            continue
        elif section == "system" and _SYSTEM_UNREADABLE.match(text):
            system_unreadable, system_line = text.strip("()"), line
        elif (match := _ITEM.match(text)) is not None:
            item = _BOOTSTRAP.sub("", match["item"].strip())
            if section == "resolvers" and resolvers is not None:
                resolvers.append((item, line))
            elif section == "routes" and (route := _ROUTE.match(item)) is not None:
                routes.append(DnsRoute(route["domain"], route["resolver"].strip(), line))
            elif section == "search":
                search.append(item)
            elif section == "system-nameservers" and system is not None:
                system.append(item)
    return DnsStatusReport(
        tailscale_dns,
        tailscale_dns_line,
        magicdns,
        magicdns_line,
        suffix,
        self_name,
        no_tailnet,
        netmap_error,
        None if resolvers is None else tuple(resolvers),
        resolvers_line,
        tuple(routes),
        tuple(search),
        None if system is None else tuple(system),
        system_line,
        system_unreadable,
        tuple(lines),
    )
