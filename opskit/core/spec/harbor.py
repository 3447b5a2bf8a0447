"""The ``harbor`` section: one Harbor (http mode) behind an nginx that serves several entry points.

An entry point is a way clients reach Harbor: an internal IP over HTTP, an external IP behind a NAT
port mapping over HTTP, or a domain over HTTPS. Every address and port is written once; the public
URL of each entry (what clients type, what Harbor's realm must match) is derived, never retyped.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import total_ordering
from typing import Any, Literal

from pydantic import Field, GetCoreSchemaHandler, ValidationError, model_validator
from pydantic_core import InitErrorDetails, PydanticCustomError, core_schema

from opskit.core.spec.base import SpecModel
from opskit.core.spec.types import (
    AbsPath,
    BaseUrl,
    Duration,
    Host,
    Hostname,
    IPAddress,
    Name,
    Port,
    is_unspecified,
)

_VERSION = re.compile(r"^v?(?P<major>0|[1-9]\d{0,3})\.(?P<minor>0|[1-9]\d{0,3})\.(?P<patch>0|[1-9]\d{0,3})$")


@total_ordering
@dataclass(frozen=True)
class HarborVersion:
    """A Harbor release as ``MAJOR.MINOR.PATCH`` (a leading ``v`` is accepted, as in release tags)."""

    major: int
    minor: int
    patch: int

    @classmethod
    def parse(cls, value: object) -> HarborVersion:
        if isinstance(value, HarborVersion):
            return value
        if not isinstance(value, str):
            # YAML reads `2.13` as a number: the patch level matters (and is lost), so insist on text.
            raise ValueError(f'Harbor version must be text like "2.13.1" (quote it in YAML), got {value!r}')
        match = _VERSION.fullmatch(value)
        if not match:
            raise ValueError(
                f"{value!r} is not a Harbor release version like 2.13.1 or v2.14.0 (pre-releases are not accepted)"
            )
        version = cls(int(match["major"]), int(match["minor"]), int(match["patch"]))
        if version.major < 2:
            raise ValueError(f"{value!r}: opskit renders harbor.yml for Harbor 2.x and later (1.x used harbor.cfg)")
        return version

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, HarborVersion):
            return NotImplemented
        return (self.major, self.minor, self.patch) < (other.major, other.minor, other.patch)

    def __str__(self) -> str:
        return f"{self.major}.{self.minor}.{self.patch}"

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: GetCoreSchemaHandler) -> Any:
        return core_schema.no_info_plain_validator_function(
            cls.parse, serialization=core_schema.plain_serializer_function_ser_schema(str)
        )


EntryKind = Literal["http", "http-nat", "https"]

# Harbor's installer refuses these as `hostname` (prepare: utils/configs.py validate(); the template
# comment adds localhost): the value is a placeholder or cannot be reached by clients.
_REFUSED_HOSTNAMES = {
    "127.0.0.1": "Harbor's installer refuses 127.0.0.1 as hostname",
    "localhost": "Harbor must not use localhost as hostname (clients cannot reach it)",
    "reg.mydomain.com": "reg.mydomain.com is the template's placeholder; the installer refuses it",
}


def _field_errors(title: str, errors: Sequence[tuple[tuple[str | int, ...], str]]) -> ValidationError:
    """A ValidationError whose problems point at the given fields (so the loader can name their lines)."""
    return ValidationError.from_exception_data(
        title,
        [
            InitErrorDetails(type=PydanticCustomError("harbor_spec", message), loc=loc, input=None)
            for loc, message in errors
        ],
    )


class HarborUpstream(SpecModel):
    """Harbor's own nginx in http mode: where the entry-point nginx proxies to."""

    host: Host
    # Also harbor.yml `http.port`: the installer publishes Harbor's nginx on this port on all interfaces.
    port: Port


class HarborEntry(SpecModel):
    """One way clients reach Harbor. Which keys apply depends on ``kind`` (checked below)."""

    name: Name
    kind: EntryKind
    listen_address: IPAddress | None = None
    listen_port: Port | None = None
    public_host: Host | None = None
    public_port: Port | None = None
    server_name: Hostname | None = None
    certificate: AbsPath | None = None
    certificate_key: AbsPath | None = None

    @model_validator(mode="after")
    def _keys_fit_kind(self) -> HarborEntry:
        errors: list[tuple[tuple[str | int, ...], str]] = []

        def needs(key: str, why: str) -> None:
            if getattr(self, key) is None:
                errors.append(((key,), f"required for kind {self.kind}: {why}"))

        def refuses(key: str, why: str) -> None:
            if getattr(self, key) is not None:
                errors.append(((key,), f"does not apply to kind {self.kind}: {why}"))

        if self.kind == "http":
            needs("listen_address", "clients use this address, so nginx must listen on it")
            if self.listen_address is not None and is_unspecified(self.listen_address):
                errors.append(
                    (
                        ("listen_address",),
                        f"{self.listen_address} is not an address clients can use; give "
                        "the one they type (or use kind http-nat with public_host)",
                    )
                )
            needs("listen_port", "clients use this port, so nginx must listen on it")
            refuses("public_host", "clients use listen_address itself (use kind http-nat for a NAT mapping)")
            refuses("public_port", "clients use listen_port itself (use kind http-nat for a NAT mapping)")
        elif self.kind == "http-nat":
            needs("listen_port", "the port the NAT forwards to on this nginx")
            needs("public_host", "the address (or name) clients use on the outside of the NAT")
        else:
            needs("server_name", "the domain clients use and the certificate is for")
            needs("certificate", "the certificate chain nginx presents for server_name")
            needs("certificate_key", "the private key of that certificate")
            refuses("public_host", "clients use server_name")
        if self.kind != "https":
            for key in ("server_name", "certificate", "certificate_key"):
                refuses(key, "only https entries terminate TLS (use kind https)")
        if errors:
            raise _field_errors("HarborEntry", errors)
        return self

    @property
    def scheme(self) -> Literal["http", "https"]:
        return "https" if self.kind == "https" else "http"

    @property
    def port(self) -> int:
        """The port nginx listens on (https defaults to 443)."""
        if self.listen_port is not None:
            return self.listen_port
        return 443  # only reachable for https entries: the others require listen_port

    @property
    def client_host(self) -> str:
        """The host clients type: server name, public host, or the listen address itself."""
        if self.kind == "https":
            assert self.server_name is not None
            return self.server_name
        if self.kind == "http-nat":
            assert self.public_host is not None
            return self.public_host
        assert self.listen_address is not None
        return self.listen_address

    @property
    def client_port(self) -> int:
        """The port clients use: the public port when a NAT maps another port, else the listen port."""
        return self.public_port if self.public_port is not None else self.port

    @property
    def client_url(self) -> BaseUrl:
        """The URL clients use for this entry (``docker login <authority>``)."""
        return BaseUrl(self.scheme, self.client_host, self.client_port)


class HarborSpec(SpecModel):
    """Harbor's settings and the entry points the nginx in front of it serves."""

    version: HarborVersion
    upstream: HarborUpstream
    # The entry whose client URL becomes harbor.yml `external_url` (so no URL is typed twice).
    external_url_entry: Name
    # harbor.yml `hostname`; unused by Harbor once external_url is set, but the installer still checks it.
    hostname: Host | None = None
    data_volume: AbsPath = "/data"
    # proxy_read_timeout / proxy_send_timeout on /v2/ (large layers on slow links).
    registry_timeout: Duration = Duration.parse("900s")
    # Rewrite the token realm on /v2/ for entries whose realm from Harbor would not fit them.
    realm_rewrite: bool = True
    entries: list[HarborEntry] = Field(min_length=1)

    @model_validator(mode="after")
    def _entries_fit_together(self) -> HarborSpec:
        errors: list[tuple[tuple[str | int, ...], str]] = []
        first_by_name: dict[str, int] = {}
        for index, entry in enumerate(self.entries):
            if entry.name in first_by_name:
                errors.append(
                    (
                        ("entries", index, "name"),
                        f"entry name {entry.name!r} is already used by entries[{first_by_name[entry.name]}]",
                    )
                )
            else:
                first_by_name[entry.name] = index
        if self.external_url_entry not in first_by_name:
            known = ", ".join(first_by_name) or "(none)"
            errors.append(
                (("external_url_entry",), f"no entry is named {self.external_url_entry!r} (entries: {known})")
            )
        if self.hostname in _REFUSED_HOSTNAMES:
            errors.append((("hostname",), _REFUSED_HOSTNAMES[self.hostname]))
        errors += _socket_conflicts(self.entries, self.upstream)
        if errors:
            raise _field_errors("HarborSpec", errors)
        return self

    @property
    def external_url_source(self) -> HarborEntry:
        return next(e for e in self.entries if e.name == self.external_url_entry)

    @property
    def external_url(self) -> BaseUrl:
        """harbor.yml ``external_url``: the client URL of the chosen entry."""
        return self.external_url_source.client_url

    @property
    def effective_hostname(self) -> str:
        return self.hostname if self.hostname is not None else self.external_url.host


def _socket_conflicts(
    entries: Sequence[HarborEntry], upstream: HarborUpstream
) -> list[tuple[tuple[str | int, ...], str]]:
    """Entries that nginx could not tell apart, that mix TLS and plain HTTP on one socket, or that loop."""
    errors: list[tuple[tuple[str | int, ...], str]] = []
    seen_socket: dict[tuple[str, int], tuple[int, str]] = {}
    seen_server: dict[tuple[str, int, str], int] = {}
    seen_client: dict[str, int] = {}
    for index, entry in enumerate(entries):
        address = entry.listen_address or "*"
        socket = (address, entry.port)
        where = f"{address}:{entry.port}" if ":" not in address else f"[{address}]:{entry.port}"
        if socket in seen_socket and seen_socket[socket][1] != entry.scheme:
            errors.append(
                (
                    ("entries", index, "listen_port"),
                    f"{where} already serves {seen_socket[socket][1]} (entries[{seen_socket[socket][0]}]); "
                    "nginx would apply TLS to both or neither",
                )
            )
        seen_socket.setdefault(socket, (index, entry.scheme))
        server = (*socket, entry.client_host)
        if server in seen_server:
            errors.append(
                (
                    ("entries", index),
                    f"same listener {where} and client host {entry.client_host} "
                    f"as entries[{seen_server[server]}]: "
                    "nginx cannot tell them apart",
                )
            )
        seen_server.setdefault(server, index)
        client = str(entry.client_url)
        if client in seen_client:
            errors.append((("entries", index), f"clients would use {client}, as for entries[{seen_client[client]}]"))
        seen_client.setdefault(client, index)
        if entry.port == upstream.port and address in ("*", upstream.host):
            errors.append(
                (
                    ("entries", index, "listen_port"),
                    f"{where} is Harbor's upstream {upstream.host}:{upstream.port} itself: "
                    "nginx would proxy to itself "
                    "(Harbor's installer publishes its nginx on that port on all interfaces)",
                )
            )
    return errors
