"""Tengine ``dynamic_resolve`` where no resolver is in scope: it silently keeps the start-up address."""

from __future__ import annotations

from collections.abc import Iterator

from opskit.core.findings import Finding, Severity
from opskit.core.lint.options import LintContext
from opskit.core.nginx.query import (
    evidence,
    has_unresolved_include,
    http_root,
    pass_sites,
    scoped,
    upstream_blocks,
)
from opskit.core.nginx.tree import NginxConfig
from opskit.core.rules import rule


@rule(
    id="NGX111",
    name="dynamic-resolve-without-resolver",
    family="nginx-dns",
    severity=Severity.ERROR,
    summary="Tengine dynamic_resolve without a resolver silently uses the start-up address",
    target="nginx",
)
def check(tree: NginxConfig, ctx: LintContext) -> Iterator[Finding]:
    """A Tengine upstream with ``dynamic_resolve`` reached from a location that has no ``resolver``
    in scope (location, server or http).

    *Why*: Tengine's dynamic upstream module asks the location's core ``resolver``; when none is
    configured it logs ``resolver has not been configured!`` and quietly keeps the address resolved
    at start-up — the exact stale-IP problem ``dynamic_resolve`` was added to fix.

    *Bad*::

        upstream wms {
            dynamic_resolve fallback=stale fail_timeout=15s;
            server wms.demowms.svc.cluster.local:8155;
        }
        server {
            listen 80;
            location ^~/api/wms/ { proxy_pass http://wms; }
        }

    *Good*::

        resolver 10.96.0.10 valid=10s ipv6=off;
        upstream wms {
            dynamic_resolve fallback=stale fail_timeout=15s;
            server wms.demowms.svc.cluster.local:8155;
        }
        server {
            listen 80;
            location ^~/api/wms/ { proxy_pass http://wms; }
        }
    """
    dynamic = {name: (u, n) for name, (u, n) in upstream_blocks(tree).items() if u.first("dynamic_resolve")}
    if not dynamic:
        return
    reached: set[str] = set()
    for site in pass_sites(tree):
        name = site.expanded.host.lower()  # `http://pool$request_uri` still names the upstream
        if name not in dynamic:
            continue
        reached.add(name)
        if scoped(site.node, "resolver") is None and not has_unresolved_include(site.node, "resolver", "dns"):
            upstream, _ = dynamic[name]
            yield ctx.finding(
                cause=f"upstream `{upstream.args[0]}` uses dynamic_resolve but this location has no "
                "resolver, "
                "so Tengine keeps the start-up address (only logging `resolver has not been configured!`).",
                fix="resolver <kube-dns ClusterIP> valid=10s ipv6=off;   # in http{} or this server",
                evidence=[evidence(tree, upstream.first("dynamic_resolve") or upstream)],
                related=[evidence(tree, site.directive)],
            )
    for name, (upstream, node) in dynamic.items():
        root = http_root(tree, node) or ()
        if name not in reached and not any(d.name == "resolver" for d in root):
            yield ctx.finding(
                cause=f"upstream `{upstream.args[0]}` uses dynamic_resolve but http{{}} has no resolver, so "
                "Tengine keeps the start-up address.",
                fix="resolver <kube-dns ClusterIP> valid=10s ipv6=off;   # in http{}",
                evidence=[evidence(tree, upstream.first("dynamic_resolve") or upstream)],
            )
