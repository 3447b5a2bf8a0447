"""A name nginx's resolver must look up without search domains: short names never resolve."""

from __future__ import annotations

from collections.abc import Iterator

from opskit.core.findings import Finding, Severity
from opskit.core.lint.options import LintContext
from opskit.core.nginx.query import (
    NEEDS_SEARCH_DOMAIN,
    classify_host,
    evidence,
    fqdn_hint,
    parse_target,
    pass_sites,
    scoped,
    upstream_blocks,
    upstream_of,
)
from opskit.core.nginx.tree import NginxConfig
from opskit.core.rules import rule


@rule(
    id="NGX104",
    name="short-name-with-resolver",
    family="nginx-dns",
    severity=Severity.ERROR,
    summary="short Service name looked up by nginx's resolver, which ignores search domains",
    target="nginx",
)
def check(tree: NginxConfig, ctx: LintContext) -> Iterator[Finding]:
    """A name resolved by nginx's own resolver (variable ``proxy_pass``, ``server … resolve``,
    Tengine ``dynamic_resolve``) that is not fully qualified: ``svc``, ``svc.ns``, ``svc.ns.svc``.

    *Why*: nginx's resolver sends the name as written; it does not apply the ``search`` domains of
    ``/etc/resolv.conf`` the way libc does. ``ping svc`` works in the pod while nginx logs
    ``svc could not be resolved (3: Host not found)`` and answers 502.

    *Bad*::

        server {
            listen 80;
            resolver 10.96.0.10 valid=10s;
            location / {
                set $api api;
                proxy_pass http://$api:8080;
            }
        }

    *Good*::

        server {
            listen 80;
            resolver 10.96.0.10 valid=10s;
            location / {
                set $api api.shop.svc.cluster.local;
                proxy_pass http://$api:8080;
            }
        }
    """
    upstreams = upstream_blocks(tree)
    for site in pass_sites(tree):
        host = site.expanded.host
        if not site.variable or "$" in host or upstream_of(tree, site) is not None:
            continue
        if classify_host(host) in NEEDS_SEARCH_DOMAIN and scoped(site.node, "resolver") is not None:
            yield ctx.finding(
                cause=f"nginx's resolver looks up `{host}` literally (no resolv.conf search domains), so it "
                "is never found and every request gets 502.",
                fix=f"set <variable> {fqdn_hint(host)};",
                evidence=[evidence(tree, site.directive)],
            )
    for upstream, _node in upstreams.values():
        dynamic = upstream.first("dynamic_resolve") is not None
        for server in upstream.all("server"):
            if not server.args or not (dynamic or "resolve" in server.args[1:]):
                continue
            target = parse_target(server.args[0])
            if target and classify_host(target.host) in NEEDS_SEARCH_DOMAIN:
                yield ctx.finding(
                    cause=f"`{target.host}` is re-resolved by nginx's own resolver, which ignores search "
                    "domains, so the lookup fails (Tengine silently keeps the start-up address).",
                    fix=f"server {fqdn_hint(target.host)}{':' + str(target.port) if target.port else ''}"
                    f"{' resolve' if not dynamic else ''};",
                    evidence=[evidence(tree, server)],
                )
