"""A variable proxy_pass host with no resolver in scope: nginx answers 502."""

from __future__ import annotations

from collections.abc import Iterator

from opskit.core.findings import Finding, Severity
from opskit.core.lint.options import LintContext
from opskit.core.nginx.query import (
    HostKind,
    classify_host,
    evidence,
    has_unresolved_include,
    map_may_name_upstream,
    pass_sites,
    scoped,
    upstream_of,
)
from opskit.core.nginx.tree import NginxConfig
from opskit.core.rules import rule


@rule(
    id="NGX107",
    name="variable-target-without-resolver",
    family="nginx-dns",
    severity=Severity.ERROR,
    summary="variable proxy_pass needs a resolver in scope, there is none",
    target="nginx",
)
def check(tree: NginxConfig, ctx: LintContext) -> Iterator[Finding]:
    """A ``proxy_pass`` whose host is a variable that is not an ``upstream`` name, with no
    ``resolver`` in the location, server or http block.

    *Why*: with a variable host nginx resolves the name per request with its own resolver; without
    one it logs ``no resolver defined to resolve …`` and answers 502 — ``nginx -t`` does not catch it.

    *Bad*::

        server {
            listen 80;
            location / {
                set $api api.shop.svc.cluster.local;
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
    for site in pass_sites(tree):
        if (
            not site.variable
            or scoped(site.node, "resolver") is not None
            or has_unresolved_include(site.node, "resolver", "dns")
        ):
            continue
        host = site.expanded.host
        if "$" in host:
            if map_may_name_upstream(tree, host):
                continue  # a map may yield upstream names; cannot judge
        elif upstream_of(tree, site) is not None or classify_host(host) in (HostKind.IP,):
            continue
        example = host
        yield ctx.finding(
            cause=f"`{site.directive.args[0]}` resolves `{example}` at request time but no resolver is in "
            f"scope, so nginx answers 502 (`no resolver defined`){tree.snippet_note()}.",
            fix="resolver <DNS server IP, e.g. the kube-dns ClusterIP> valid=10s ipv6=off;\nresolver_timeout 5s;",
            evidence=[evidence(tree, site.directive)],
        )
