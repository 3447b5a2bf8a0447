"""Turn user-supplied filter values into validated objects; nothing unvalidated reaches `ss`."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from functools import lru_cache

from opskit.core.sockets.model import SessionFilter
from opskit.errors import InputError, Problem

IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
# A connection from this host's side with addresses parsed: (local ip, local port, peer ip, peer port).
SessionKey = tuple[IPAddress, int, IPAddress, int]

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
    protected: frozenset[SessionKey] = frozenset()

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


# A peer network broader than these, without --port, reaches well past one tenant or one client
# site: every session with any host in it, the operator's SSH included. Such a filter is
# --all-matching territory (and the migrate planner refuses such a --client outright).
BROAD_IPV4_PREFIX = 16
BROAD_IPV6_PREFIX = 48


def is_broad(network: IPNetwork) -> bool:
    """True for a network shorter than /16 (IPv4) or /48 (IPv6): 0.0.0.0/0, ::/0, 10.0.0.0/8..."""
    limit = BROAD_IPV4_PREFIX if network.version == 4 else BROAD_IPV6_PREFIX
    return network.prefixlen < limit


def parse_peer(text: str, field: str = "--peer") -> IPNetwork:
    """An IP or CIDR of the other side; v4-mapped IPv6 (``::ffff:10.0.0.0/104``) becomes plain IPv4.

    A CIDR with host bits set (``10.0.0.1/8``) is refused: it is either a typo for the network or
    for the host, and guessing wrong cuts (or spares) a whole network.
    """
    bare = text.strip()
    if not bare:
        raise InputError.at(None, None, field, "empty peer")
    address, slash, prefix = bare.partition("/")
    spelled = address.strip("[]") + slash + prefix
    try:
        network = ipaddress.ip_network(spelled, strict=False)
    except ValueError:
        raise InputError.at(
            None,
            None,
            field,
            f"{text!r} is not an IP address or CIDR (e.g. 203.0.113.5, 2001:db8::/64, ::ffff:203.0.113.5)",
        ) from None
    if slash and network.network_address != ipaddress.ip_address(address.strip("[]")):
        host = unmap(ipaddress.ip_address(address.strip("[]")))
        meant = network
        if isinstance(network, ipaddress.IPv6Network):
            mapped = network.network_address.ipv4_mapped
            if mapped is not None and network.prefixlen >= 96:
                meant = ipaddress.IPv4Network((mapped, network.prefixlen - 96))
        raise InputError.at(
            None,
            None,
            field,
            f"{text!r} has host bits set: did you mean {meant} (the network) "
            f"or {host}/{host.max_prefixlen} (the host)?",
        )
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
        except InputError as error:
            problems.append(Problem(filename, number, "peer", error.problems[0].problem))
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
            raise InputError.at(None, None, "states", f"unknown state {state!r}; one of " + ", ".join(KILLABLE_STATES))
        if name not in states:
            states.append(name)
    broad = [p for p in peers if is_broad(p)]
    if for_kill and port is None and broad and not flt.all_matching:
        raise InputError.at(
            None,
            None,
            "peers",
            f"{broad[0]} is broader than /{BROAD_IPV4_PREFIX} (IPv4) or /{BROAD_IPV6_PREFIX} (IPv6) and no "
            "--port is given: this would cut every session with any host in it, SSH included; add "
            "--port, name narrower peers, or add --all-matching if that is really meant",
        )
    if for_kill and port is None and not peers and not flt.all_matching:
        raise InputError.at(
            None,
            None,
            "filter",
            "neither a local port nor a peer given: this would cut "
            "every matching session on the host; add --port/--peer, or --all-matching "
            "if that is really meant",
        )
    try:
        protected = frozenset(session_key(*key) for key in flt.protected)
    except ValueError:
        raise InputError.at(None, None, "protected", "a protected session has an invalid address") from None
    return ValidatedFilter(
        port, local, peers, flt.process.strip() if flt.process else None, flt.pid, tuple(states), protected
    )


def ssh_session(ssh_connection: str | None) -> tuple[str, int, str, int] | None:
    """The operator's own SSH session from ``$SSH_CONNECTION``, from this host's side, or None.

    sshd sets it to ``client_ip client_port server_ip server_port``; here the server end is local.
    Anything else (unset, garbled) is None: there is then no session to spare.
    """
    parts = (ssh_connection or "").split()
    if len(parts) != 4:
        return None
    client_ip, client_port, server_ip, server_port = parts
    try:
        client, server = _bare_ip(client_ip), _bare_ip(server_ip)
    except ValueError:
        return None
    if not (_is_port_text(client_port) and _is_port_text(server_port)):
        return None
    return (str(server), int(server_port), str(client), int(client_port))


def _is_port_text(text: str) -> bool:
    return 0 < len(text) <= 5 and text.isascii() and text.isdigit() and 0 < int(text) <= 65535


def session_key(local_ip: str, local_port: int, peer_ip: str, peer_port: int) -> SessionKey:
    """The comparable identity of a listed session (v4-mapped addresses unmapped)."""
    return (_bare_ip(local_ip), local_port, _bare_ip(peer_ip), peer_port)


def _bare_ip(text: str) -> IPAddress:
    return unmapped_ip(text.strip().strip("[]").split("%", 1)[0])
