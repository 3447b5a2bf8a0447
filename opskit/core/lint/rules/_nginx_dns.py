"""Shared pieces of the nginx DNS rules: what a resolver serves, and the standard fix text."""

from __future__ import annotations

import re

from opskit.core.nginx.query import HostKind, PassSite, classify_host, fqdn_hint, pass_sites, scoped
from opskit.core.nginx.tree import Directive, NginxConfig, Node

PUBLIC_RESOLVERS = frozenset(
    {
        "8.8.8.8",
        "8.8.4.4",
        "1.1.1.1",
        "1.0.0.1",
        "9.9.9.9",
        "149.112.112.112",
        "208.67.222.222",
        "208.67.220.220",
        "4.2.2.1",
        "4.2.2.2",
        "114.114.114.114",
        "223.5.5.5",
        "223.6.6.6",
        "119.29.29.29",
        "180.76.76.76",
        "2001:4860:4860::8888",
        "2001:4860:4860::8844",
        "2606:4700:4700::1111",
        "2606:4700:4700::1001",
        "2620:fe::fe",
    }
)
DOCKER_EMBEDDED_DNS = "127.0.0.11"


def variable_name_for(host: str) -> str:
    """A readable nginx variable name for a target host."""
    first = re.sub(r"[^a-zA-Z0-9_]", "_", host.split(".")[0]) or "backend"
    return f"${first}_upstream"


def variable_fix(host: str, port: int | None, scheme: str | None, uri: str | None, location: str | None) -> str:
    """Config lines that make nginx re-resolve ``host`` at request time."""
    kind = classify_host(host)
    name = variable_name_for(host)
    fqdn = fqdn_hint(host)
    port_text = f":{port}" if port is not None else ""
    lines = []
    if kind in (HostKind.SHORT,):
        lines.append("# Kubernetes: the cluster DNS (kube-dns ClusterIP); Docker/Compose: resolver 127.0.0.11")
    lines += [
        "resolver <kube-dns ClusterIP, e.g. 10.96.0.10> valid=10s ipv6=off;",
        "resolver_timeout 5s;",
        f"set {name} {fqdn};   # full name: nginx's resolver ignores resolv.conf search domains",
    ]
    if uri:
        prefix = location.rstrip("/") if location and location.startswith("/") else "/prefix"
        lines.append(
            f"rewrite ^{prefix}/(.*)$ {uri.rstrip('/')}/$1 break;   # instead of the URI part "
            f"'{uri}': with a variable, proxy_pass would send '{uri}' for every request"
        )
    lines.append(f"proxy_pass {scheme or 'http'}://{name}{port_text};")
    return "\n".join(lines)


def location_path(node: Node) -> str | None:
    location = node.enclosing("location")
    return location.args[-1] if location and location.args else None


def dynamic_upstream_names(config: NginxConfig) -> set[str]:
    """Upstreams that re-resolve by themselves (``server … resolve`` or Tengine ``dynamic_resolve``)."""
    names: set[str] = set()
    for node in config.walk():
        directive = node.directive
        if not (directive.name == "upstream" and directive.args and config.in_http(node)):
            continue
        if directive.first("dynamic_resolve") or any("resolve" in s.args[1:] for s in directive.all("server")):
            names.add(directive.args[0].lower())
    return names


def resolver_users(config: NginxConfig, resolver: Directive) -> tuple[list[PassSite], list[PassSite]]:
    """(variable sites, literal sites) whose nearest resolver is ``resolver``."""
    variable, literal = config.memoized("resolver_usage", lambda: _resolver_usage(config)).get(resolver, ([], []))
    return list(variable), list(literal)


def _resolver_usage(config: NginxConfig) -> dict[Directive, tuple[list[PassSite], list[PassSite]]]:
    """Each resolver (directives hash by identity) → (variable sites, literal sites) it is nearest to."""
    usage: dict[Directive, tuple[list[PassSite], list[PassSite]]] = {}
    for site in pass_sites(config):
        nearest = scoped(site.node, "resolver")
        if nearest is not None:
            usage.setdefault(nearest, ([], []))[0 if site.variable else 1].append(site)
    return usage
