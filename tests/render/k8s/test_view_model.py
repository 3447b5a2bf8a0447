"""Pure logic of the k8s family: FQDNs, URIs the backend receives, resolver and listen lines."""

from __future__ import annotations

import re

import pytest

from opskit.core.render.k8s import backend_uri, gateway_view, rewrite_for
from opskit.core.spec.k8s import K8sGatewaySpec, RouteSpec
from tests.render.k8s.support import section


def gateway(**changes: object) -> K8sGatewaySpec:
    return K8sGatewaySpec.model_validate(section(**changes))


def test_service_names_are_always_fully_qualified_with_the_cluster_domain() -> None:
    view = gateway_view(gateway(cluster_domain="Corp.Internal"))
    assert [r.fqdn for r in view.routes] == [
        "sys.demowms.svc.corp.internal",
        "keycloak.iam.svc.corp.internal",
    ]
    assert [r.fqdn for r in gateway_view(gateway()).routes][0] == "sys.demowms.svc.cluster.local"


@pytest.mark.parametrize(
    ("prefix", "backend_prefix", "request_uri", "expected"),
    [
        ("/api/sys/", None, "/api/sys/a/b?x=1", "/api/sys/a/b?x=1"),
        ("/api/sys/", "/", "/api/sys/a/b?x=1", "/a/b?x=1"),
        ("/reports/", "/api/v2/reports/", "/reports/2024", "/api/v2/reports/2024"),
        ("/legacy", "/new", "/legacy/x", "/new/x"),
    ],
)
def test_backend_uri_replaces_only_the_prefix(
    prefix: str, backend_prefix: str | None, request_uri: str, expected: str
) -> None:
    route = RouteSpec(name="r", prefix=prefix, service="s", namespace="n", port=80, backend_prefix=backend_prefix)
    assert backend_uri(route, request_uri) == expected


def test_rewrite_regex_matches_what_backend_uri_predicts() -> None:
    """The nginx rewrite (PCRE) and the report's prediction agree, including dots in the prefix."""
    text = rewrite_for("/v1.2/api/", "/")
    pattern, replacement = text.split(" ")
    python_pattern = pattern.replace("(?s)", "")
    assert re.fullmatch(python_pattern, "/v1.2/api/users", re.S)
    assert not re.fullmatch(python_pattern, "/v1x2/api/users", re.S)  # '.' is escaped, not "any char"
    assert replacement == "/$1"


def test_resolver_line_port_ipv6_and_default_kube_dns_name() -> None:
    assert gateway_view(gateway()).resolver == "10.96.0.10 valid=5s ipv6=off"
    custom = gateway(resolver={"address": "fd00::a", "port": 5353, "valid": "30s", "ipv6": True})
    assert gateway_view(custom).resolver == "[fd00::a]:5353 valid=30s ipv6=on"
    default = gateway(resolver={"valid": "10s"}, cluster_domain="k8s.example")
    assert gateway_view(default).resolver == "kube-dns.kube-system.svc.k8s.example valid=10s ipv6=off"


def test_valid_is_written_in_whole_seconds_even_when_given_in_minutes_or_ms() -> None:
    assert gateway_view(gateway(resolver={"address": "10.96.0.10", "valid": "15000ms"})).resolver.endswith(
        "valid=15s ipv6=off"
    )


def test_listen_lines_for_ipv4_ipv6_and_wildcard() -> None:
    assert gateway_view(gateway()).listens == ("80 default_server",)
    both = gateway(listen={"port": 8080, "addresses": ["127.0.0.1", "::1"], "default_server": False})
    assert gateway_view(both).listens == ("127.0.0.1:8080", "[::1]:8080")


def test_location_modifier_and_proxy_uri_per_flavor() -> None:
    nginx = gateway_view(gateway())
    assert [r.location for r in nginx.routes] == ["^~ /api/sys/", "^~ /auth/"]
    assert [r.rewrite for r in nginx.routes] == [None, "(?s)^/auth/(.*)$ /$1"]
    assert [r.proxy_uri for r in nginx.routes] == ["", ""]  # never a URI part with a variable
    tengine = gateway_view(gateway(flavor="tengine"))
    assert [r.rewrite for r in tengine.routes] == [None, None]
    assert [r.proxy_uri for r in tengine.routes] == [
        "",
        "/",
    ]  # literal upstream: URI part replaces the prefix


def test_route_names_become_nginx_identifiers() -> None:
    routes = [{"name": "po-v2.beta", "prefix": "/po/", "service": "po", "namespace": "demowms", "port": 1200}]
    assert [r.identifier for r in gateway_view(gateway(routes=routes)).routes] == ["k8s_po_v2_beta"]
