"""A node's NAT profile, derived from its netcheck report.

netcheck measures *mapping* (does the public ip:port change per destination?) and nothing about
*filtering*; the profile keeps that limit visible instead of guessing. The IPv4 ``ip:port`` shown
by ``tailscale netcheck`` belongs to the CLI's own probe socket, not to tailscaled, so only the IP
part is used here.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache

from opskit.core.diagnose.models import (
    DerpHomeState,
    DerpLatency,
    Ipv6State,
    NetcheckReport,
    PortMapState,
    build_frozen,
)
from opskit.core.diagnose.text import SourceLine


class Mapping(StrEnum):
    EASY = "easy"  # endpoint-independent mapping: same public port for every destination
    HARD = "hard"  # endpoint-dependent mapping ("MappingVariesByDestIP: true")
    UNKNOWN = "unknown"


class AddressScope(StrEnum):
    PUBLIC = "public"
    PRIVATE = "private"  # RFC 1918 / ULA / link-local / loopback: a STUN server on the same LAN answered
    SHARED = "shared"  # 100.64.0.0/10: carrier-grade NAT address space (or the tailnet's own range)
    REDACTED = "redacted"  # "<PublicIP>", "82.XXX.184.XXX" — the user hid it
    NONE = "none"


# Plain module constants for the readers below, which run once per report: an attribute of an Enum class costs ~900
# instructions on Python 3.11 (see blocks._NETCHECK).
_PUBLIC, _PRIVATE, _SHARED_SCOPE = AddressScope.PUBLIC, AddressScope.PRIVATE, AddressScope.SHARED
_NO_SCOPE = AddressScope.NONE
_EASY, _HARD, _UNKNOWN_MAPPING = Mapping.EASY, Mapping.HARD, Mapping.UNKNOWN
_PORTMAP_FOUND = PortMapState.FOUND
_HOME_OK = DerpHomeState.OK


@dataclass(frozen=True)
class NatProfile:
    label: str
    source: str  # file name used in evidence
    report: NetcheckReport
    mapping: Mapping
    ipv4_scope: AddressScope
    portmap_usable: bool  # a port-mapping protocol answered and nothing says it cannot work
    artefacts: tuple[str, ...] = ()

    @property
    def udp(self) -> bool | None:
        """UDP as far as it was measured: a logged-out report's ``UDP: false`` is no measurement."""
        return None if "logged-out" in self.artefacts else self.report.udp

    def artefact_caveat(self) -> str:
        """The caveat the single-node findings state, for reuse in every pair this node is part of."""
        if "logged-out" in self.artefacts:
            return (
                f"{self.label}'s netcheck was run while logged out (old layout, UDP false, no DERP "
                "latency at all), so it measured nothing about UDP or NAT"
            )
        if "lan-stun" in self.artefacts:
            host = endpoint_host(self.report.ipv4_endpoint or "")
            mapped = (
                f"; its router answers {', '.join(self.report.portmap_protocols)}, which may still give it a "
                "mapped endpoint"
                if self.report.portmap_protocols
                else ""
            )
            return (
                f"{self.label}'s STUN answer came from inside its own network ({host}), so its NAT mapping "
                f"was not measured{mapped}"
            )
        return ""

    @property
    def ipv6_global(self) -> bool:
        return self.report.ipv6_state is Ipv6State.GLOBAL and not _is_v4_mapped(self.report.ipv6_endpoint)

    @property
    def home_derp(self) -> str | None:
        return self.report.derp_home if self.report.derp_home_state is DerpHomeState.OK else None

    @property
    def home_latency(self) -> DerpLatency | None:
        measured = [d for d in self.report.latencies if d.latency_ms is not None]
        return min(measured, key=lambda d: d.latency_ms or 0.0) if measured else None

    @property
    def portmap_text(self) -> str:
        state = self.report.portmap_state
        if state is PortMapState.FOUND:
            protocols = ", ".join(self.report.portmap_protocols)
            return protocols + " (behind a second NAT)" if "double-nat" in self.artefacts else protocols
        return {
            PortMapState.NONE_FOUND: "none answered",
            PortMapState.NOT_CHECKED: "not checked",
            PortMapState.UNSUPPORTED: "not built in",
            PortMapState.UNKNOWN: "unknown",
        }[state]

    def line(self, key: str) -> SourceLine | None:
        return self.report.line(key)

    def ipv4_text(self) -> str:
        """The public IPv4 address without the probe port (which is the CLI's socket, not tailscaled's)."""
        if not self.report.ipv4_endpoint:
            return "none" if self.report.ipv4 is False else "unknown"
        return f"{endpoint_host(self.report.ipv4_endpoint)} ({self.ipv4_scope.value})"


def endpoint_host(endpoint: str) -> str:
    """``1.2.3.4:5678`` → ``1.2.3.4``; ``[2001:db8::1]:41641`` → ``2001:db8::1``."""
    endpoint = endpoint.strip()
    if endpoint.startswith("["):
        return endpoint[1:].split("]", 1)[0]
    if endpoint.count(":") == 1:
        return endpoint.rsplit(":", 1)[0]
    return endpoint


def _is_v4_mapped(endpoint: str | None) -> bool:
    return bool(endpoint) and "::ffff:" in (endpoint or "").lower()


_SHARED = ipaddress.ip_network("100.64.0.0/10")
# Documentation ranges are "private" to Python, but examples and redacted pastes use them as public.
_DOCUMENTATION = tuple(ipaddress.ip_network(n) for n in ("192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24"))


def address_scope(endpoint: str | None) -> AddressScope:
    """Public / private (a LAN STUN server answered) / shared (CGNAT) / redacted, from an endpoint."""
    if not endpoint:
        return _NO_SCOPE
    return _host_scope(endpoint_host(endpoint))


def _ipv4_fast_scope(host: str) -> AddressScope | None:
    """Scope of a dotted quad without an ipaddress object (hot in big pastes); None = ask ipaddress."""
    parts = host.split(".")
    # (map, not a generator expression: no Python frame resumed per part)
    if len(parts) != 4 or not all(map(str.isdigit, parts)) or max(map(len, parts)) > 3:
        return None
    a, b, c = int(parts[0]), int(parts[1]), int(parts[2])
    if a == 10 or a == 127 or (a == 172 and 16 <= b <= 31) or (a == 192 and b == 168) or (a == 169 and b == 254):
        return _PRIVATE
    if a == 100 and 64 <= b <= 127:
        return _SHARED_SCOPE
    if (a, b, c) in ((192, 0, 2), (198, 51, 100), (203, 0, 113)):
        return _PUBLIC
    if a == 0 or a >= 240 or (a == 198 and b in (18, 19)):
        return _PRIVATE  # "this network", reserved, benchmarking
    if 224 <= a < 240 or (a, b, c) == (192, 0, 0):
        return None  # multicast, IETF assignments (with exceptions): rare, let ipaddress decide
    return _PUBLIC


@lru_cache(maxsize=4096)
def _host_scope(host: str) -> AddressScope:
    fast = _ipv4_fast_scope(host)
    if fast is not None:
        return fast
    try:
        address = ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        return AddressScope.REDACTED
    if isinstance(address, ipaddress.IPv4Address):
        if address in _SHARED:
            return _SHARED_SCOPE
        if any(address in network for network in _DOCUMENTATION):
            return _PUBLIC
    if address.is_private or address.is_loopback or address.is_link_local:
        return _PRIVATE
    return _PUBLIC


def looks_logged_out(report: NetcheckReport) -> bool:
    """Pre-v1.16 layout, UDP false, no DERP home, no latency at all: the logged-out signature (#2993)."""
    if report.udp is not False or not report.layout.startswith(("text v1.0", "text v1.2")):
        return False  # the common case, decided without looking at the latencies
    silent = not any(d.latency_ms is not None for d in report.latencies)
    return silent and report.derp_home_state is not _HOME_OK


def build_profile(label: str, source: str, report: NetcheckReport) -> NatProfile:
    """Classify mapping, note measurement artefacts and whether a port mapping can help."""
    scope = address_scope(report.ipv4_endpoint)
    artefacts: list[str] = []
    if looks_logged_out(report):
        mapping = _UNKNOWN_MAPPING
        artefacts.append("logged-out")
    elif report.udp is False:
        mapping = _UNKNOWN_MAPPING
    elif scope in (_PRIVATE, _SHARED_SCOPE):
        # A STUN server inside the LAN/CGNAT sees the private address, Internet STUN the public one:
        # the two replies differ, so "varies" is true without any hard NAT.
        mapping = _UNKNOWN_MAPPING
        artefacts.append("lan-stun")
    elif report.mapping_varies is True:
        mapping = _HARD
    elif report.mapping_varies is False:
        mapping = _EASY
    else:
        mapping = _UNKNOWN_MAPPING
    if _is_v4_mapped(report.ipv6_endpoint):
        artefacts.append("v4mapped-bug")
    portmap_usable = report.portmap_state is _PORTMAP_FOUND and scope is not _SHARED_SCOPE
    return build_frozen(  # build_frozen: once per report (gain: models.build_frozen)
        NatProfile,
        {
            "label": label,
            "source": source,
            "report": report,
            "mapping": mapping,
            "ipv4_scope": scope,
            "portmap_usable": portmap_usable,
            "artefacts": tuple(artefacts),
        },
    )
