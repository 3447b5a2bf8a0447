"""Spec section ``edge``: an HAProxy edge (:80 HTTP with slowloris defences, :443 SNI passthrough with
PROXY v2) in front of nginx, plus the nginx listeners that match it.

Cross-field rules live here as validators so a bad spec fails with ``file:line: field: problem``.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field, field_validator, model_validator

from opskit.core.spec.base import SpecModel
from opskit.core.spec.types import (
    AbsPath,
    Duration,
    EnvName,
    HaproxyRefresh,
    HaproxyTimer,
    Host,
    Hostname,
    IPAddress,
    Name,
    Port,
    PositiveInt,
    SourceAddress,
    UriPrefix,
    UserAgentFragment,
    is_ipv6,
    is_unspecified,
)

# Keys that would hold a literal secret. They are refused with advice, not just "unknown key".
# Whole words of a key (split on _ and -), so `passthrough` or `author` would not be caught.
_SECRET_KEY_WORDS = frozenset(
    {"password", "passwd", "pass", "pw", "pwd", "secret", "auth", "credential", "credentials", "token"}
)
_SECRET_ADVICE = (
    "a password must never be written in a spec (it would end up in a committed config); "
    "name an environment variable with `password_env: HAPROXY_STATS_PASSWORD` (HAProxy expands it at "
    "start-up) or point `users_file:` at an HAProxy userlist file kept outside the repository"
)


def _never_a_secret(value: Any) -> Any:
    raise ValueError(_SECRET_ADVICE)


# Declared so the error points at the offending key's own line; it can never hold a value.
RefusedSecret = Annotated[Any, BeforeValidator(_never_a_secret)]


def _refuse_secret_keys(data: Any, allowed: frozenset[str]) -> Any:
    if isinstance(data, dict):
        for key in data:
            words = set(re.split(r"[_\-]", str(key).lower()))
            if key not in allowed and words & _SECRET_KEY_WORDS:
                raise ValueError(f"`{key}`: {_SECRET_ADVICE}")
    return data


class Bind(SpecModel):
    """One listening socket. ``::`` / ``0.0.0.0`` mean every address of that family."""

    address: IPAddress
    port: Port

    @property
    def is_ipv6(self) -> bool:
        return is_ipv6(self.address)

    @property
    def is_wildcard(self) -> bool:
        return is_unspecified(self.address)


class Server(SpecModel):
    name: Name
    address: Host
    port: Port


class Backend(SpecModel):
    name: Name
    servers: list[Server] = Field(min_length=1)


class LogTarget(SpecModel):
    """Where HAProxy logs: ``stderr``/``stdout`` (containers, foreground) or a unix socket path (/dev/log)."""

    target: Literal["stderr", "stdout"] | AbsPath = "stderr"
    format: Literal["raw", "short", "rfc3164", "rfc5424"] = "raw"
    facility: Literal[
        "local0", "local1", "local2", "local3", "local4", "local5", "local6", "local7", "daemon", "user"
    ] = "local0"
    level: Literal["emerg", "alert", "crit", "err", "warning", "notice", "info", "debug"] = "info"


class Timeouts(SpecModel):
    connect: HaproxyTimer = Duration.parse("5s")
    # inactivity timer for every client; also must cover the TLS frontend's inspect-delay
    client: HaproxyTimer = Duration.parse("30s")
    server: HaproxyTimer = Duration.parse("60s")
    # total time for complete request headers on :80: THE slowloris defence (answers 408)
    http_request: HaproxyTimer = Duration.parse("10s")
    http_keep_alive: HaproxyTimer = Duration.parse("10s")


class SourceLimits(SpecModel):
    """Per-source-address limits kept in the :80 frontend's stick table."""

    table_size: PositiveInt = 200_000
    expire: HaproxyTimer = Duration.parse("30s")
    period: HaproxyTimer = Duration.parse("10s")
    max_concurrent_connections: PositiveInt = 80
    max_connection_rate: PositiveInt = 100
    max_request_rate: PositiveInt = 100


class UserAgentRoute(SpecModel):
    """Requests whose User-Agent contains any fragment (case-insensitive) go to ``backend``."""

    contains: list[UserAgentFragment] = Field(min_length=1)
    backend: Name


class HttpFrontend(SpecModel):
    binds: list[Bind] = Field(default_factory=lambda: [Bind(address="0.0.0.0", port=80)], min_length=1)
    limits: SourceLimits = SourceLimits()
    redirect_to_https: list[Hostname] = []
    user_agent_routes: list[UserAgentRoute] = []
    default_backend: Name


class SniRoute(SpecModel):
    """TLS clients asking for one of ``hosts`` (SNI) are passed, still encrypted, to ``backend``.

    ``certificate``/``certificate_key`` are what the matching nginx server presents for these hosts.
    """

    hosts: list[Hostname] = Field(min_length=1)
    backend: Name
    certificate: AbsPath
    certificate_key: AbsPath


class TlsFrontend(SpecModel):
    binds: list[Bind] = Field(default_factory=lambda: [Bind(address="0.0.0.0", port=443)], min_length=1)
    inspect_delay: HaproxyTimer = Duration.parse("5s")
    routes: list[SniRoute] = Field(min_length=1)
    # Where TLS clients with no SNI or an unknown one go. Absent (the default): they are dropped.
    default_backend: Name | None = None


class StatsFrontend(SpecModel):
    """HAProxy's stats page. Its password comes from the environment or a userlist file, never the spec."""

    bind: Bind
    uri: UriPrefix = "/"
    refresh: HaproxyRefresh = Duration.parse("10s")
    user: Name = "admin"
    password_env: EnvName | None = None
    users_file: AbsPath | None = None
    userlist: Name = "stats_users"
    password: RefusedSecret = Field(default=None, exclude=True)
    auth: RefusedSecret = Field(default=None, exclude=True)

    @model_validator(mode="before")
    @classmethod
    def _no_literal_password(cls, data: Any) -> Any:
        return _refuse_secret_keys(data, frozenset({"password_env", "password", "auth"}))

    @field_validator("password_env", mode="before")
    @classmethod
    def _a_name_not_a_password(cls, value: Any) -> Any:
        if isinstance(value, str) and not re.fullmatch(r"[A-Z_][A-Z0-9_]{0,63}", value):
            raise ValueError(
                "password_env takes the NAME of an environment variable (like HAPROXY_STATS_PASSWORD: "
                "capitals, digits, '_'), never the password itself; set the variable where HAProxy runs"
            )
        return value

    @model_validator(mode="after")
    def _one_credential_source(self) -> StatsFrontend:
        if (self.password_env is None) == (self.users_file is None):
            raise ValueError(
                "give exactly one of `password_env` (the NAME of an environment variable holding the "
                "password, e.g. HAPROXY_STATS_PASSWORD) or `users_file` (an HAProxy userlist file loaded "
                "with an extra -f)"
            )
        return self


class NginxSide(SpecModel):
    """The nginx behind the edge: it trusts client addresses only from HAProxy's own addresses."""

    # matched against the source of HAProxy's connections (set_real_ip_from), never bound: link-local is fine
    haproxy_addresses: list[SourceAddress] = Field(min_length=1)
    root: AbsPath = "/var/www/html"


class EdgeSpec(SpecModel):
    log: LogTarget | None = None
    timeouts: Timeouts = Timeouts()
    http: HttpFrontend | None = None
    tls: TlsFrontend | None = None
    stats: StatsFrontend | None = None
    http_backends: list[Backend] = []
    tls_backends: list[Backend] = []
    nginx: NginxSide

    @model_validator(mode="before")
    @classmethod
    def _no_literal_password(cls, data: Any) -> Any:
        return _refuse_secret_keys(data, frozenset())

    @model_validator(mode="after")
    def _consistent(self) -> EdgeSpec:
        problems: list[str] = []
        if self.http is None and self.tls is None:
            problems.append("describe at least one of `http` (the :80 frontend) or `tls` (the :443 SNI frontend)")
        http_names = [b.name for b in self.http_backends]
        tls_names = [b.name for b in self.tls_backends]
        seen: set[str] = set()
        for name in http_names + tls_names:
            if name in seen:
                problems.append(f"backend name {name!r} is used twice (names are shared by http and tls backends)")
            seen.add(name)
        if self.http is not None:
            wanted = [self.http.default_backend] + [r.backend for r in self.http.user_agent_routes]
            for name in wanted:
                if name not in http_names:
                    hint = " (it is a tls backend: mode tcp cannot serve HTTP routing)" if name in tls_names else ""
                    problems.append(f"http routes to {name!r}, which is not in `http_backends`{hint}")
        if self.tls is not None:
            wanted = [r.backend for r in self.tls.routes]
            if self.tls.default_backend is not None:
                wanted.append(self.tls.default_backend)
            for name in wanted:
                if name not in tls_names:
                    problems.append(f"tls routes to {name!r}, which is not in `tls_backends`")
            if self.tls.inspect_delay > self.timeouts.client:
                problems.append(
                    f"tls.inspect_delay ({self.tls.inspect_delay}) is longer than timeouts.client "
                    f"({self.timeouts.client}): the client timeout would cut connections still "
                    "being inspected"
                )
            hosts: dict[str, int] = {}
            for index, route in enumerate(self.tls.routes):
                for host in route.hosts:
                    if host in hosts:
                        problems.append(
                            f"SNI host {host!r} appears in tls.routes[{hosts[host]}] and tls.routes[{index}]"
                        )
                    hosts.setdefault(host, index)
        problems += self._bind_conflicts()
        problems += self._nginx_port_conflicts()
        if problems:
            raise ValueError("; ".join(problems))
        return self

    def _bind_conflicts(self) -> list[str]:
        owners: dict[tuple[str, int], str] = {}
        problems = []
        for owner, binds in self.frontend_binds().items():
            for bind in binds:
                key = (bind.address, bind.port)
                if key in owners:
                    problems.append(f"{owner} and {owners[key]} both bind {bind.address} port {bind.port}")
                owners.setdefault(key, owner)
        return problems

    def _nginx_port_conflicts(self) -> list[str]:
        tls_ports = {s.port for b in self.tls_backends for s in b.servers}
        plain_ports = set()
        if self.http is not None:
            plain_ports = {s.port for b in self.http_backends if b.name == self.http.default_backend for s in b.servers}
        clash = sorted(tls_ports & plain_ports)
        if clash:
            return [f"nginx port(s) {', '.join(map(str, clash))} would be both a plain-HTTP and a TLS+PROXY listener"]
        return []

    def frontend_binds(self) -> dict[str, list[Bind]]:
        """Every frontend's binds, keyed by the spec field that declares them."""
        binds: dict[str, list[Bind]] = {}
        if self.http is not None:
            binds["http.binds"] = list(self.http.binds)
        if self.tls is not None:
            binds["tls.binds"] = list(self.tls.binds)
        if self.stats is not None:
            binds["stats.bind"] = [self.stats.bind]
        return binds
