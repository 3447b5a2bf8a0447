"""Validation of command-line values for the tenant move (pure: strings in, values or InputError out)."""

from __future__ import annotations

import ipaddress
import math
import re
import shlex

from opskit.core.headscale.plan import HookSpec
from opskit.errors import InputError

_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(ms|s|m)?\s*$")
_MAX_TIMEOUT_MS = 2**31 - 1  # lock_timeout and statement_timeout are 32-bit milliseconds in PostgreSQL
_IDENTIFIER = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


def parse_duration_ms(value: str, option: str) -> int:
    """'500ms', '5s', '2m' or a bare number of seconds → milliseconds (> 0)."""
    m = _DURATION.match(value)
    if not m:
        raise InputError.option(option, f"{value!r} is not a duration (e.g. 500ms, 5s, 2m)")
    number = float(m.group(1)) * {"ms": 1, "s": 1000, "m": 60000, None: 1000}[m.group(2)]
    if number < 1:
        raise InputError.option(option, "must be at least 1ms")
    if number > _MAX_TIMEOUT_MS:
        raise InputError.option(option, f"{value!r} is longer than PostgreSQL allows ({_MAX_TIMEOUT_MS} ms)")
    return int(number)


# PostgreSQL bigint: ids and cluster ids reach SQL as parameters of this type; a value outside it
# would fail inside the database ("bigint out of range") instead of naming the flag.
BIGINT_MIN = -(2**63)
BIGINT_MAX = 2**63 - 1
# The longest wait any seconds option takes (a day): far beyond a sane hook, and finite.
MAX_SECONDS = 86400.0


def check_bigint(value: int, option: str) -> int:
    """An id or cluster id that fits PostgreSQL's bigint, or an InputError naming ``option``."""
    if not BIGINT_MIN <= value <= BIGINT_MAX:
        raise InputError.option(option, f"{value} is out of range for an id (a 64-bit integer)")
    return value


def check_seconds(value: float, option: str, *, allow_zero: bool = False) -> float:
    """A positive, finite number of seconds (at most a day), or an InputError naming ``option``."""
    if not math.isfinite(value) or value < 0 or (value == 0 and not allow_zero) or value > MAX_SECONDS:
        least = "0" if allow_zero else "more than 0"
        raise InputError.option(option, f"{value} is not a number of seconds ({least} up to {MAX_SECONDS:g})")
    return value


def parse_hook(command: str, option: str, timeout: float) -> HookSpec:
    """A hook is an argv (split like a shell would, but never run by one)."""
    try:
        argv = shlex.split(command)
    except ValueError as exc:
        raise InputError.option(option, f"cannot split {command!r}: {exc}") from None
    if not argv:
        raise InputError.option(option, "empty command")
    return HookSpec(argv=argv, timeout=timeout)


def parse_client(value: str) -> str:
    """A client address or network as the edge sees it (v4, v6, CIDR).

    Host bits set (``10.0.0.1/8``) and networks broader than /16 (IPv4) or /48 (IPv6) are refused:
    the cut would reach every tenant's clients on the entry port, not this tenant's.
    """
    from opskit.core.sockets.validate import BROAD_IPV4_PREFIX, BROAD_IPV6_PREFIX, is_broad, parse_peer

    if "/" in value:
        try:
            network = parse_peer(value, "--client")
        except InputError as error:
            raise InputError.option("--client", error.problems[0].problem) from None
        if is_broad(network):
            raise InputError.option(
                "--client",
                f"{network} is broader than /{BROAD_IPV4_PREFIX} (IPv4) or /{BROAD_IPV6_PREFIX} (IPv6): "
                "it would cut other tenants' clients too; name this tenant's client addresses or "
                "networks, or leave --client out to use the nodes' endpoints",
            )
        return str(network)
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        raise InputError.option("--client", f"{value!r} is not an IP address or network") from None
    mapped = address.ipv4_mapped if isinstance(address, ipaddress.IPv6Address) else None
    return str(mapped or address)


def parse_column(value: str) -> str:
    """The cluster column name goes into SQL as an identifier; allow only plain lower-case names."""
    if not _IDENTIFIER.match(value):
        raise InputError.option("--cluster-column", f"{value!r} is not a plain column name")
    return value
