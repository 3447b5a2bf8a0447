"""Match HAProxy ``server`` lines to the nginx ``listen`` sockets they connect to."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator
from dataclasses import dataclass

from opskit.core.haproxy.query import ServerLine, server_lines
from opskit.core.lint.workspace import Workspace
from opskit.core.nginx.query import Listen, parse_listen
from opskit.core.nginx.tree import NginxConfig, Node


@dataclass(frozen=True)
class Link:
    """An HAProxy server line and the nginx listeners on the address:port it connects to."""

    server: ServerLine
    config: NginxConfig
    listens: tuple[tuple[Listen, Node], ...]  # (listen, node of the listen directive)


def _loopback(host: str) -> bool:
    if host in ("localhost", "ip6-localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _same_host(haproxy_host: str, nginx_address: str | None) -> bool:
    if nginx_address is None:
        return True
    if haproxy_host == nginx_address or (_loopback(haproxy_host) and _loopback(nginx_address)):
        return True
    try:
        ipaddress.ip_address(haproxy_host)
    except ValueError:
        return True  # a DNS name: cannot tell, match on the port
    return False


def links(workspace: Workspace) -> Iterator[Link]:
    """Every HAProxy server whose port matches an nginx listener (host compatible)."""
    if workspace.haproxy is None:
        return
    servers = server_lines(workspace.haproxy)
    for config in workspace.nginx:
        listeners = [
            (listen, node)
            for node in config.walk()
            if node.directive.name == "listen" and (listen := parse_listen(node.directive)) is not None
        ]
        for server in servers:
            if server.port is None:
                continue
            matched = tuple(
                (listen, node)
                for listen, node in listeners
                if listen.port == server.port and _same_host(server.host, listen.address)
            )
            if matched:
                yield Link(server, config, matched)
