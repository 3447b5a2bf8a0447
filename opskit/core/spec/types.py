"""Constrained value types for every spec field that reaches a generated config.

Each type admits only what its target syntax can carry without quoting: no whitespace, quotes,
``;``, ``{``, ``}``, ``#``, ``$`` or control characters, unless a type says otherwise. A value that
passes here cannot add a directive to nginx or HAProxy (the hypothesis tests check that claim by
parsing rendered output).
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from typing import Annotated, Any
from urllib.parse import urlsplit

from pydantic import AfterValidator, BeforeValidator, Field, GetCoreSchemaHandler
from pydantic_core import core_schema

_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")


def _require_str(value: object, what: str) -> str:
    if not isinstance(value, str):
        raise ValueError(f"{what} must be a string, got {type(value).__name__}")
    return value


def check_hostname(value: object) -> str:
    """RFC 1123 host name (letters, digits, hyphens; dot-separated labels; ≤ 253 chars)."""
    text = _require_str(value, "host name")
    lowered = text.lower()
    if not lowered or len(lowered) > 253:
        raise ValueError(f"{shown(text)} is not a valid host name (1-253 characters)")
    if lowered.replace(".", "").isdigit():
        raise ValueError(f"{shown(text)} looks like an IP address; use an address field for it")
    for label in lowered.split("."):
        if not _LABEL.fullmatch(label):
            raise ValueError(
                f"{shown(text)} is not an RFC 1123 host name (label {shown(label)}: letters, digits and inner "
                "hyphens only, 1-63 characters)"
            )
    return lowered


# Why zone ids are refused (measured with nginx 1.22.1 and HAProxy 2.6.12): nginx answers "invalid
# IPv6 address" for `listen [fe80::1%eth0]:80`, `resolver [fe80::1%eth0]` and `server [fe80::1%eth0]:80`
# in an upstream; HAProxy answers "invalid address" for `bind fe80::1%eth0:80` and "could not resolve
# address" for `server s fe80::1%eth0:80`. Only `set_real_ip_from` takes one, and it drops it: the
# address is then trusted on every interface. No target can use a zone, so no address field takes one.
_ZONE_REFUSED = (
    "IPv6 zone ids (the '%...' part) are not accepted: nginx 1.22 refuses them in listen, resolver "
    "and upstream servers, HAProxy 2.6 in bind and server, and nginx's set_real_ip_from ignores them; "
    "write the address without its zone"
)
_LINK_LOCAL_REFUSED = (
    "is an IPv6 link-local address: a socket can only bind or connect to it with a zone id "
    "(fe80::1%eth0), which nginx and HAProxy cannot parse; use a global or unique-local (fd00::/8) "
    "address of that host"
)
_LINK_LOCAL = ipaddress.ip_network("fe80::/10")
_SHOWN_MAX = 80


def shown(text: str) -> str:
    """``repr`` of a value for an error message, cut short: a megabyte value must not become the message."""
    if len(text) <= _SHOWN_MAX:
        return repr(text)
    return repr(text[:_SHOWN_MAX]) + f"... ({len(text)} characters)"


def parse_ip(value: object, *, link_local: bool = False) -> ipaddress.IPv4Address | ipaddress.IPv6Address:
    """THE address parser of every spec field: one IPv4 or IPv6 address, normalised.

    ``[v6]`` loses its brackets; an IPv4-mapped IPv6 address (``::ffff:10.0.0.1``) becomes the IPv4
    address (nginx and HAProxy match and bind it as IPv4 anyway, and two spellings of one socket must
    compare equal); upper case becomes lower case. Refused: zone ids (``fe80::1%eth0``: no target can
    parse them, see ``_ZONE_REFUSED``) and, unless ``link_local``, fe80::/10 addresses, which are
    unusable for a socket without a zone.
    """
    text = _require_str(value, "IP address")
    bare = text
    if text.startswith("[") and text.endswith("]") and len(text) > 2:
        bare = text[1:-1]
        if ":" not in bare:
            raise ValueError(f"{shown(text)}: brackets go only around an IPv6 address")
    if "%" in bare:
        address = bare.partition("%")[0]
        try:
            ipaddress.IPv6Address(address)
        except ValueError:
            raise ValueError(f"{shown(text)} is not an IPv4 or IPv6 address") from None
        raise ValueError(f"{shown(text)}: {_ZONE_REFUSED}")
    try:
        parsed = ipaddress.ip_address(bare)
    except ValueError:
        raise ValueError(f"{shown(text)} is not an IPv4 or IPv6 address") from None
    if isinstance(parsed, ipaddress.IPv6Address):
        if parsed.ipv4_mapped is not None:
            return parsed.ipv4_mapped
        if not link_local and parsed in _LINK_LOCAL:
            raise ValueError(f"{parsed} {_LINK_LOCAL_REFUSED}")
    return parsed


def check_ip(value: object) -> str:
    """An address a socket binds or connects to (listen, bind, server, upstream, resolver), normalised."""
    return str(parse_ip(value))


def check_source_ip(value: object) -> str:
    """An address compared with a connection's source (nginx ``set_real_ip_from``): link-local allowed."""
    return str(parse_ip(value, link_local=True))


def is_ip_address(text: str) -> bool:
    """Whether an already validated host value is an IP address (else it is a host name)."""
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def is_ipv6(text: str) -> bool:
    """Whether an already validated address is IPv6."""
    return is_ip_address(text) and ipaddress.ip_address(text).version == 6


def is_unspecified(text: str) -> bool:
    """Whether an already validated address is a wildcard (``0.0.0.0`` / ``::``)."""
    return is_ip_address(text) and ipaddress.ip_address(text).is_unspecified


def check_host(value: object) -> str:
    """A host name or an IP address (an IP goes through :func:`check_ip`, with its rules)."""
    text = _require_str(value, "host")
    host, colon, port = text.rpartition(":")
    if colon and port.isdigit() and ":" not in host:
        raise ValueError(f"{shown(text)} carries a port: give the host alone (the port has its own key)")
    # ':' , '%' or brackets only occur in addresses: report the address problem, not a host-name one.
    if any(c in text for c in ":%[]") or text.replace(".", "").isdigit():
        return check_ip(text)
    try:
        return check_ip(text)
    except ValueError:
        return check_hostname(text)


def check_port(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"port must be an integer, got {value!r}")
    if not 1 <= value <= 65535:
        raise ValueError(f"port {value} is outside 1-65535")
    return value


_DURATION = re.compile(r"^(?P<n>\d{1,9})(?P<unit>ms|s|m|h|d)$")
_UNIT_MS = {"ms": 1, "s": 1000, "m": 60_000, "h": 3_600_000, "d": 86_400_000}


@dataclass(frozen=True, order=True)
class Duration:
    """A time span written as ``<integer><unit>`` (ms, s, m, h, d), the syntax nginx and HAProxy share."""

    milliseconds: int
    text: str

    @classmethod
    def parse(cls, value: object) -> Duration:
        if isinstance(value, Duration):
            return value
        if isinstance(value, bool):
            raise ValueError("duration must look like 10s, 500ms, 5m")
        if isinstance(value, int):
            value = f"{value}s"  # a bare number means seconds, as in both nginx and HAProxy
        text = _require_str(value, "duration").strip()
        match = _DURATION.fullmatch(text)
        if not match:
            raise ValueError(f"{shown(text)} is not a duration like 10s, 500ms, 5m, 1h")
        return cls(int(match["n"]) * _UNIT_MS[match["unit"]], text)

    @property
    def seconds(self) -> float:
        return self.milliseconds / 1000

    def __str__(self) -> str:
        return self.text

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: GetCoreSchemaHandler) -> Any:
        return core_schema.no_info_plain_validator_function(
            cls.parse, serialization=core_schema.plain_serializer_function_ser_schema(str)
        )


# The longest timer HAProxy accepts. `haproxy -c` (2.6.12) refuses one millisecond more with "timer
# overflow ... maximum value is 2147483647 ms or ~24.8 days", for every `timeout`, `tcp-request
# inspect-delay`, a stick table's `expire` and the period of `conn_rate()`/`http_req_rate()` alike.
# Written with at most nine digits (the syntax below), the longest is 2147483s, 2147484s the shortest refused.
HAPROXY_MAX_TIMER_MS = 2**31 - 1
# `stats refresh` is kept in seconds: `haproxy -c` accepts 2147483647s (35791394m, 24855d) and refuses
# 2147483648s (35791395m, 24856d).
HAPROXY_MAX_REFRESH_MS = (2**31 - 1) * 1000
# nginx's durations (proxy_read_timeout, ...) hold up to 2^63-1 ms: `nginx -t` (1.22.1) accepts
# 9223372036854775807ms and refuses one more. The duration syntax (at most nine digits, so 999999999d,
# about 8.6e16 ms) stays below that, so a duration that reaches nginx needs no cap of its own.


def haproxy_timer(value: Duration) -> Duration:
    """A duration HAProxy can hold as a timer (timeouts, inspect-delay, stick-table expire and periods)."""
    if value.milliseconds > HAPROXY_MAX_TIMER_MS:
        raise ValueError(
            f"{value} is longer than HAProxy's timers can hold (2^31-1 ms, about 24.8 days: at most "
            "2147483s, e.g. 24d); haproxy -c would refuse the config"
        )
    return value


def haproxy_refresh(value: Duration) -> Duration:
    """A duration HAProxy's `stats refresh` can hold (whole seconds up to 2^31-1)."""
    if value.milliseconds > HAPROXY_MAX_REFRESH_MS:
        raise ValueError(
            f"{value} is longer than HAProxy's stats refresh can hold (2^31-1 s, about 68 years: at most "
            "35791394m or 24855d); haproxy -c would refuse the config"
        )
    return value


_SAFE_PATH = re.compile(r"^/[A-Za-z0-9._/@%+=:,~-]*$")


def check_abs_path(value: object) -> str:
    """An absolute file path made of characters configs can carry unquoted."""
    text = _require_str(value, "path")
    if not _SAFE_PATH.fullmatch(text):
        raise ValueError(
            f"{shown(text)} must be an absolute path of letters, digits and ._/@%+=:,~- "
            "(no spaces, quotes, ;, {, }, #, $ or control characters)"
        )
    if any(part == ".." for part in text.split("/")):
        raise ValueError(f"{shown(text)} must not contain '..'")
    return text


_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_.-]{0,62}$")


def check_name(value: object) -> str:
    """An identifier for backends, upstreams, routes: letter first, then letters, digits, _ . -."""
    text = _require_str(value, "name")
    if not _NAME.fullmatch(text):
        raise ValueError(f"{shown(text)} must start with a letter and use only letters, digits, '_', '.', '-' (≤ 63)")
    return text


_URI_PREFIX = re.compile(r"^/[A-Za-z0-9._~%/-]*$")


def check_uri_prefix(value: object) -> str:
    """A URL path prefix for an nginx location or an HAProxy path rule."""
    text = _require_str(value, "path prefix")
    if not _URI_PREFIX.fullmatch(text):
        raise ValueError(f"{shown(text)} must start with '/' and use only letters, digits and ._~%/-")
    return text


_ENV_NAME = re.compile(r"^[A-Z_][A-Z0-9_]{0,63}$")


def check_dns_label(value: object) -> str:
    """A Kubernetes object name that is a DNS label (Service, Namespace): RFC 1123 label, lower case.

    Unlike ``check_hostname`` it does not lower-case: Kubernetes rejects upper case, so a spec that
    writes it names an object that cannot exist.
    """
    text = _require_str(value, "DNS label")
    if not _LABEL.fullmatch(text):
        raise ValueError(
            f"{shown(text)} is not a Kubernetes DNS label (lower-case letters, digits and inner hyphens, "
            "1-63 characters)"
        )
    return text


def check_env_name(value: object) -> str:
    text = _require_str(value, "environment variable name")
    if not _ENV_NAME.fullmatch(text):
        raise ValueError(f"{shown(text)} must be an environment variable name like HAPROXY_STATS_PASSWORD")
    return text


@dataclass(frozen=True)
class BaseUrl:
    """``scheme://host[:port]`` without path, query or credentials (e.g. Harbor's external_url)."""

    scheme: str
    host: str
    port: int | None

    @classmethod
    def parse(cls, value: object) -> BaseUrl:
        if isinstance(value, BaseUrl):
            return value
        text = _require_str(value, "URL")
        parts = urlsplit(text)
        if parts.scheme not in ("http", "https"):
            raise ValueError(f"{shown(text)} must start with http:// or https://")
        if parts.username or parts.password:
            raise ValueError(f"{shown(text)} must not carry credentials")
        if parts.path not in ("", "/") or parts.query or parts.fragment:
            raise ValueError(f"{shown(text)} must be scheme://host[:port] with no path, query or fragment")
        try:
            port = parts.port
        except ValueError:
            raise ValueError(f"{shown(text)} has an invalid port") from None
        if not parts.hostname:
            raise ValueError(f"{shown(text)} has no host")
        host = check_host(parts.hostname)
        if port is not None:
            check_port(port)
        return cls(parts.scheme, host, port)

    @property
    def effective_port(self) -> int:
        return self.port or (443 if self.scheme == "https" else 80)

    @property
    def authority(self) -> str:
        """host[:port] as a client writes it (port omitted when it is the scheme's default)."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        if self.port is None or self.port == {"http": 80, "https": 443}[self.scheme]:
            return host
        return f"{host}:{self.port}"

    def __str__(self) -> str:
        return f"{self.scheme}://{self.authority}"

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: GetCoreSchemaHandler) -> Any:
        return core_schema.no_info_plain_validator_function(
            cls.parse, serialization=core_schema.plain_serializer_function_ser_schema(str)
        )


def _strict_str(value: object) -> object:
    # YAML turns `on`, `1.0` or `null` into non-strings; a config token must be written as text.
    if value is not None and not isinstance(value, str):
        raise ValueError(f"expected text, got {type(value).__name__} {value!r} (quote it in YAML)")
    return value


Hostname = Annotated[str, BeforeValidator(_strict_str), AfterValidator(check_hostname)]
IPAddress = Annotated[str, BeforeValidator(_strict_str), AfterValidator(check_ip)]
SourceAddress = Annotated[str, BeforeValidator(_strict_str), AfterValidator(check_source_ip)]
Host = Annotated[str, BeforeValidator(_strict_str), AfterValidator(check_host)]
Port = Annotated[int, BeforeValidator(check_port)]
AbsPath = Annotated[str, BeforeValidator(_strict_str), AfterValidator(check_abs_path)]
Name = Annotated[str, BeforeValidator(_strict_str), AfterValidator(check_name)]
UriPrefix = Annotated[str, BeforeValidator(_strict_str), AfterValidator(check_uri_prefix)]
DnsLabel = Annotated[str, BeforeValidator(_strict_str), AfterValidator(check_dns_label)]
EnvName = Annotated[str, BeforeValidator(_strict_str), AfterValidator(check_env_name)]
PositiveInt = Annotated[int, Field(strict=True, gt=0)]
HaproxyTimer = Annotated[Duration, AfterValidator(haproxy_timer)]
HaproxyRefresh = Annotated[Duration, AfterValidator(haproxy_refresh)]


_USER_AGENT_FRAGMENT = re.compile(r"^[A-Za-z0-9._/:+-]{1,64}$")


def check_user_agent_fragment(value: object) -> str:
    """A literal substring of a User-Agent header (``iPhone``, ``Android``, ``okhttp/4``).

    Matched as a plain substring, never as a regular expression, so it cannot carry spaces, quotes,
    braces, ``#`` or backslashes: each one would end or comment out an HAProxy ACL pattern.
    """
    text = _require_str(value, "User-Agent fragment")
    if not _USER_AGENT_FRAGMENT.fullmatch(text):
        raise ValueError(
            f"{shown(text)} must be 1-64 letters, digits or ._/:+- (a plain substring of the User-Agent; "
            "no spaces, quotes, braces, '#' or regular-expression syntax)"
        )
    return text


UserAgentFragment = Annotated[str, BeforeValidator(_strict_str), AfterValidator(check_user_agent_fragment)]
