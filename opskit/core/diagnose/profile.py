"""A node's NAT profile, derived from its netcheck report.

netcheck measures *mapping* (does the public ip:port change per destination?) and nothing about
*filtering*; the profile keeps that limit visible instead of guessing. The IPv4 ``ip:port`` shown
by ``tailscale netcheck`` belongs to the CLI's own probe socket, not to tailscaled, so only the IP
part is used here.
"""

from __future__ import annotations

import ipaddress
import re
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
from opskit.core.diagnose.regions import PUBLIC_REGIONS
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
    # netcheck stopped probing once the nearest regions answered (early_stop_explains_blanks): its blank regions
    # were not waited for and say nothing about those regions. The one fact every rule and the pair predictor read.
    stopped_early: bool = False

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


def is_loopback_host(host: str) -> bool:
    """``host`` (a name or an address, a zone id allowed) is this machine's loopback: ``localhost`` and its
    subdomains (RFC 6761), 127.0.0.0/8, ::1."""
    lowered = host.lower()
    if lowered == "localhost" or lowered.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host.split("%", 1)[0]).is_loopback
    except ValueError:
        return False


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


# netcheck (net/netcheck/netcheck.go, the same since v1.0): once ENOUGH_REGIONS regions have answered, a timer of
# twice the slowest of them (a full report; once for an incremental one) stops the remaining probes. `--verbose`
# raises the count to 100 (from v1.2), so a verbose run waits for every region.
ENOUGH_REGIONS = 3
_VERBOSE_FLAG = re.compile(r"(?:^|\s)--?verbose(?:=(?P<value>\S*))?(?=\s|$)")
_GO_FLAG_FALSE = frozenset({"0", "f", "false"})
_PRINTED_ROUNDING_MS = 0.15  # netcheck prints latencies rounded to 0.1 ms: three of them make the window


def command_is_verbose(command: str | None) -> bool:
    """The typed `tailscale netcheck` has --verbose / -verbose (Go's flag package: either dash, `=true`/`=false`)."""
    if not command or "verbose" not in command:
        return False
    match = _VERBOSE_FLAG.search(command)
    return match is not None and (match.group("value") or "true").lower() not in _GO_FLAG_FALSE


def early_stop_explains_blanks(report: NetcheckReport, command: str | None = None) -> bool:
    """Whether the report's blank regions are consistent with netcheck's early stop, not with silence.

    UDP worked (the stop is STUN's; without UDP netcheck measures the missing regions over HTTPS/ICMP instead),
    at least ENOUGH_REGIONS regions answered, some printed blank, the run was not verbose, and no answered latency
    lies beyond the stop window the three fastest imply: the timer starts when the third answers (at the
    third-fastest latency at the earliest) and runs twice the slowest of those three. An answer beyond that
    window shows the run waited longer, so a blank region there did not answer. So does a report where every one
    of Tailscale's own regions answered and only self-hosted ones are blank: the window reached the far side of
    the world (Johannesburg, Sydney), so a reachable relay would have answered inside it.
    """
    if report.udp is not True:
        return False
    printed = [d.latency_ms for d in report.latencies]
    if None not in printed:
        return False  # nothing blank (most reports: asked first, it is the cheapest answer)
    if report.verbose or not report.layout.startswith("text") or command_is_verbose(command):
        return False
    if report.layout not in _ID_IN_EVERY_MODE and [d.region_id for d in report.latencies].count(None) != len(printed):
        return False  # regions named "(derp1, New York City)": only --verbose names them so
    measured = sorted([latency for latency in printed if latency is not None])
    if len(measured) < ENOUGH_REGIONS:
        return False
    third = measured[ENOUGH_REGIONS - 1]
    window = third + 2 * third + _PRINTED_ROUNDING_MS  # the slowest of the first three is the third-fastest
    if measured[-1] > window:
        return False
    blank = [d for d in report.latencies if d.latency_ms is None and not d.cut_off]
    if not blank:
        return False
    if _PUBLIC_NAMES.keys().isdisjoint([d.code for d in report.latencies]):
        return True  # no region of Tailscale's printed: nothing to say the window reached far
    return any(d.code in _PUBLIC_NAMES and not is_self_hosted(d) for d in blank)


_PUBLIC_NAMES = {region.code: region.name for region in PUBLIC_REGIONS}
# the layouts whose region rows carry the region's ID whether --verbose was given or not (v0.98, v1.0)
_ID_IN_EVERY_MODE = ("text v0.98", "text v1.0")


def is_self_hosted(region: DerpLatency) -> bool:
    """Not one of Tailscale's own regions (a custom code, or a public code over another city: "cnh", "hkg (Home)")."""
    public = _PUBLIC_NAMES.get(region.code)
    return public is None or bool(region.name) and region.name.casefold() != public.casefold()


def build_profile(label: str, source: str, report: NetcheckReport, command: str | None = None) -> NatProfile:
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
            "stopped_early": early_stop_explains_blanks(report, command),
        },
    )
