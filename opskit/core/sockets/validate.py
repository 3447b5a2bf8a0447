"""Turn user-supplied filter values into validated objects; nothing unvalidated reaches `ss`."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from functools import lru_cache

from opskit.core.sockets.model import SessionFilter
from opskit.errors import InputError, Problem

IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

# ss state names we accept. "listening" (and "all", which includes it) is refused on purpose:
# cutting a listening socket takes the service down instead of moving one client.
KILLABLE_STATES: tuple[str, ...] = (
    "established",
    "syn-sent",
    "syn-recv",
    "fin-wait-1",
    "fin-wait-2",
    "close-wait",
    "last-ack",
    "closing",
    "time-wait",
)

# How ss prints a state in its State column → our state name.
SS_STATE_COLUMN: dict[str, str] = {
    "ESTAB": "established",
    "SYN-SENT": "syn-sent",
    "SYN-RECV": "syn-recv",
    "FIN-WAIT-1": "fin-wait-1",
    "FIN-WAIT-2": "fin-wait-2",
    "CLOSE-WAIT": "close-wait",
    "LAST-ACK": "last-ack",
    "CLOSING": "closing",
    "TIME-WAIT": "time-wait",
    "LISTEN": "listening",
    "UNCONN": "closed",
}


@dataclass(frozen=True)
class ValidatedFilter:
    """A SessionFilter whose every value has been parsed; the only input to the ss expression builder."""

    local_port: int | None
    local_address: IPAddress | None
    peers: tuple[IPNetwork, ...]
    process: str | None
    pid: int | None
    states: tuple[str, ...]

    @property
    def needs_owner(self) -> bool:
        """The kernel cannot filter by process: those filters are applied after listing with -p."""
        return self.process is not None or self.pid is not None


@lru_cache(maxsize=65536)
def unmapped_ip(text: str) -> IPAddress:
    """``unmap`` of a printed address, cached: matching re-checks thousands of sessions."""
    return unmap(ipaddress.ip_address(text))


def unmap(address: IPAddress) -> IPAddress:
    """``::ffff:a.b.c.d`` is the IPv4 client ``a.b.c.d`` seen by a dual-stack socket."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


@lru_cache(maxsize=65536)  # listings repeat the same few addresses thousands of times
def canonical_ip(text: str) -> str:
    """The printable form used to compare addresses from psutil and ss (brackets and %scope dropped)."""
    bare = text.strip().strip("[]").split("%", 1)[0]
    address = ipaddress.ip_address(bare)
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return f"::ffff:{address.ipv4_mapped}"  # as ss and psutil print it, not ::ffff:7f00:1
    return address.compressed


def parse_address(text: str, field: str) -> IPAddress:
    """One IP address (v4, v6 or v4-mapped, which becomes v4) or an InputError naming ``field``."""
    bare = text.strip().strip("[]")
    try:
        return unmap(ipaddress.ip_address(bare))
    except ValueError:
        raise InputError.at(None, None, field, f"{text!r} is not an IPv4 or IPv6 address") from None


def parse_peer(text: str, field: str = "--peer") -> IPNetwork:
    """An IP or CIDR of the other side; v4-mapped IPv6 (``::ffff:10.0.0.0/104``) becomes plain IPv4."""
    bare = text.strip()
    if not bare:
        raise InputError.at(None, None, field, "empty peer")
    address, slash, prefix = bare.partition("/")
    try:
        network = ipaddress.ip_network(address.strip("[]") + slash + prefix, strict=False)
    except ValueError:
        raise InputError.at(
            None,
            None,
            field,
            f"{text!r} is not an IP address or CIDR (e.g. 203.0.113.5, 2001:db8::/64, ::ffff:203.0.113.5)",
        ) from None
    if isinstance(network, ipaddress.IPv6Network):
        mapped = network.network_address.ipv4_mapped
        if mapped is not None and network.prefixlen >= 96:
            return ipaddress.IPv4Network((mapped, network.prefixlen - 96))
    return network


def parse_peers_file(text: str, filename: str) -> tuple[str, ...]:
    """Peers from a file: one IP or CIDR per line, ``#`` comments and blank lines ignored.

    Every bad line is reported with its line number; nothing is returned unless all lines are valid.
    """
    peers: list[str] = []
    problems: list[Problem] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        value = raw.split("#", 1)[0].strip()
        if not value:
            continue
        try:
            parse_peer(value)
        except InputError:
            problems.append(Problem(filename, number, "peer", f"{value!r} is not an IP address or CIDR"))
            continue
        peers.append(value)
    if problems:
        raise InputError(f"{filename}: {len(problems)} invalid peer line(s)", problems)
    return tuple(peers)


def validate_port(value: int, field: str) -> int:
    """A TCP port 1-65535."""
    if not 1 <= value <= 65535:
        raise InputError.at(None, None, field, f"{value} is not a TCP port (1-65535)")
    return value


def validate_filter(flt: SessionFilter, *, for_kill: bool) -> ValidatedFilter:
    """Parse every value of ``flt``. For a kill, refuse a filter that would hit every session."""
    port = validate_port(flt.local_port, "local_port") if flt.local_port is not None else None
    local = parse_address(flt.local_address, "local_address") if flt.local_address else None
    peers = tuple(dict.fromkeys(parse_peer(p, "peers") for p in flt.peers))
    if flt.pid is not None and flt.pid <= 0:
        raise InputError.at(None, None, "pid", f"{flt.pid} is not a process id")
    if flt.process is not None and not flt.process.strip():
        raise InputError.at(None, None, "process", "empty process name")
    if not flt.states:
        raise InputError.at(None, None, "states", "at least one state is needed (e.g. established)")
    states: list[str] = []
    for state in flt.states:
        name = state.strip().lower()
        if name in {"listening", "listen", "all", "connected", "synchronized", "bucket", "big"}:
            raise InputError.at(
                None,
                None,
                "states",
                f"{state!r} is refused: listening sockets are never "
                "touched; name connected states one by one (e.g. established)",
            )
        if name not in KILLABLE_STATES:
            raise InputError.at(
                None, None, "states", f"unknown state {state!r}; one of " + ", ".join(KILLABLE_STATES)
            )
        if name not in states:
            states.append(name)
    if for_kill and port is None and not peers and not flt.all_matching:
        raise InputError.at(
            None,
            None,
            "filter",
            "neither a local port nor a peer given: this would cut "
            "every matching session on the host; add --port/--peer, or --all-matching "
            "if that is really meant",
        )
    return ValidatedFilter(
        port, local, peers, flt.process.strip() if flt.process else None, flt.pid, tuple(states)
    )
