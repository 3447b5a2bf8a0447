"""The pure decisions of the edge family: bind syntax, stick-table type, nginx listeners."""

from __future__ import annotations

from opskit.core.render.edge import (
    bind_lines,
    haproxy_address,
    nginx_plain_ports,
    nginx_tls_servers,
    stick_table_type,
)
from opskit.core.spec.edge import Bind, EdgeSpec
from tests.render.edge.conftest import minimal_edge


def binds(*pairs: tuple[str, int]) -> list[Bind]:
    return [Bind(address=a, port=p) for a, p in pairs]


def test_ipv6_addresses_are_bracketed() -> None:
    assert haproxy_address("::1", 80) == "[::1]:80"
    assert haproxy_address("192.0.2.1", 80) == "192.0.2.1:80"


def test_ipv6_wildcard_is_v6only_next_to_ipv4_and_v4v6_alone() -> None:
    assert bind_lines(binds(("0.0.0.0", 80), ("::", 80))) == ["0.0.0.0:80", "[::]:80 v6only"]
    assert bind_lines(binds(("::", 80))) == ["[::]:80 v4v6"]
    assert bind_lines(binds(("0.0.0.0", 80), ("::", 81))) == ["0.0.0.0:80", "[::]:81 v4v6"]
    assert bind_lines(binds(("2001:db8::1", 80))) == ["[2001:db8::1]:80"]


def test_stick_table_is_ipv6_whenever_any_bind_is_ipv6() -> None:
    assert stick_table_type(binds(("0.0.0.0", 80))) == "ip"
    assert stick_table_type(binds(("127.0.0.1", 80), ("10.1.2.3", 80))) == "ip"
    assert stick_table_type(binds(("0.0.0.0", 80), ("::", 80))) == "ipv6"
    assert stick_table_type(binds(("::1", 80))) == "ipv6"


def test_nginx_listeners_follow_the_backends() -> None:
    edge = minimal_edge()
    edge["tls_backends"][0]["servers"].append({"name": "n2", "address": "127.0.0.1", "port": 9443})
    edge["http_backends"].append({"name": "app", "servers": [{"name": "a", "address": "127.0.0.1", "port": 9000}]})
    spec = EdgeSpec.model_validate(edge)
    servers = nginx_tls_servers(spec)
    assert [(s.ports, s.hosts, s.certificate) for s in servers] == [
        ([8443, 9443], ["www.example.com"], "/etc/ssl/www.crt")
    ]
    # only the :80 default backend is nginx's plain listener; the app backend is not nginx
    assert nginx_plain_ports(spec) == [8080]
