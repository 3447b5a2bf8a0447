"""Questions rules ask about an HAProxy config: evidence lines, binds, servers, header rules."""

from __future__ import annotations

import re
from dataclasses import dataclass

from opskit.core.findings import Evidence
from opskit.core.haproxy.model import BACKEND_SIDE, HaproxyConfig, Section, Statement

SEND_PROXY_OPTIONS = frozenset({"send-proxy", "send-proxy-v2", "send-proxy-v2-ssl", "send-proxy-v2-ssl-cn"})
SNI_FETCHES = (
    "req.ssl_sni",
    "req_ssl_sni",
    "req.ssl_hello_type",
    "req_ssl_hello_type",
    "req.ssl_ec_ext",
    "req.ssl_ver",
    "req_ssl_ver",
    "req.ssl_alpn",
)


def evidence(statement: Statement) -> Evidence:
    return Evidence(statement.file, statement.line, statement.raw)


def header_rules(section: Section, action: str, header: str) -> list[Statement]:
    """``http-request <action> <header> …`` lines of a section (header name case-insensitive)."""
    return [s for s in section.own("http-request", action) if len(s.words) > 2 and s.words[2].lower() == header.lower()]


def binds_ipv6(section: Section) -> Statement | None:
    """The first bind line that listens on IPv6 (``:::80``, ``[::]:80``, ``ipv6@``, ``v4v6``)."""
    for bind in section.binds():
        if len(bind.words) < 2:
            continue
        addresses = bind.words[1].split(",")
        if "v4v6" in bind.words[2:]:
            return bind
        for address in addresses:
            if address.startswith(("ipv6@", "[", "udp6@", "quic6@")) or "::" in address:
                return bind
    return None


def uses_sni(section: Section) -> Statement | None:
    """The first line that routes on the raw TLS ClientHello (SNI passthrough)."""
    for statement in section.statements:
        if any(fetch in word for word in statement.words for fetch in SNI_FETCHES):
            return statement
    return None


@dataclass(frozen=True)
class ServerLine:
    """A ``server`` line of a backend with its address and whether it sends a PROXY header."""

    section: Section
    statement: Statement
    host: str
    port: int | None
    send_proxy: bool


_ADDRESS = re.compile(r"^(?:(?:ipv4|ipv6|tcp|tcp4|tcp6)@)?(?:\[(?P<v6>[^\]]+)\]|(?P<host>[^:]*))(?::(?P<port>\d+))?$")


def server_lines(config: HaproxyConfig) -> list[ServerLine]:
    """Every ``server`` of backends/listens, with ``default-server`` options applied."""
    found: list[ServerLine] = []
    for section in config.sections:
        if section.kind not in BACKEND_SIDE:
            continue
        defaults_options: set[str] = set()
        for holder in reversed(section.inheritance_chain()):
            for statement in holder.own("default-server"):
                defaults_options |= set(statement.words[1:])
        for statement in section.own("server"):
            if len(statement.words) < 3:
                continue
            match = _ADDRESS.match(statement.words[2])
            if not match:
                continue
            options = set(statement.words[3:])
            send_proxy = bool((options | defaults_options) & SEND_PROXY_OPTIONS) and not (
                {"no-send-proxy", "no-send-proxy-v2"} & options
            )
            port = int(match.group("port")) if match.group("port") else None
            found.append(
                ServerLine(section, statement, match.group("v6") or match.group("host") or "", port, send_proxy)
            )
    return found


def condition_words(statement: Statement) -> tuple[str, ...]:
    """The words after ``if``/``unless`` (empty when the rule is unconditional)."""
    for keyword in ("if", "unless"):
        if keyword in statement.words:
            return statement.words[statement.words.index(keyword) + 1 :]
    return ()


def acl_lines(section: Section, name: str) -> list[Statement]:
    return [s for s in section.own("acl") if len(s.words) > 1 and s.words[1] == name]
