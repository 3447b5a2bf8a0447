"""A resolver whose scope has only literal targets: it is never consulted for them."""

from __future__ import annotations

from collections.abc import Iterator

from opskit.core.findings import Finding, Severity
from opskit.core.lint.options import LintContext
from opskit.core.lint.rules._nginx_dns import dynamic_upstream_names, resolver_users
from opskit.core.nginx.query import HostKind, classify_host, evidence, upstream_blocks
from opskit.core.nginx.tree import NginxConfig
from opskit.core.rules import rule


@rule(
    id="NGX102",
    name="resolver-unused",
    family="nginx-dns",
    severity=Severity.ERROR,
    summary="resolver is set but every proxy target in its scope is literal, so it is never used",
    target="nginx",
)
def check(tree: NginxConfig, ctx: LintContext) -> Iterator[Finding]:
    """``resolver`` next to literal ``proxy_pass`` names only.

    *Why*: the operator added a resolver to get fresh DNS answers, but nginx only asks the resolver
    for names computed at request time (a variable in ``proxy_pass``) or for ``server … resolve``
    upstreams. Literal names were resolved once at start-up by the system resolver, so the resolver
    line changes nothing and the stale-IP problem is still there.

    *Bad*::

        server {
            listen 80;
            resolver 10.96.0.10 valid=10s;
            location / {
                proxy_pass http://springboot.default.svc.cluster.local:8080;
            }
        }

    *Good*::

        server {
            listen 80;
            resolver 10.96.0.10 valid=10s;
            location / {
                set $springboot springboot.default.svc.cluster.local;
                proxy_pass http://$springboot:8080;
            }
        }
    """
    if dynamic_upstream_names(tree):
        return
    upstreams = upstream_blocks(tree)
    for node in tree.walk():
        resolver = node.directive
        if resolver.name != "resolver" or not tree.in_http(node) or node.enclosing("upstream"):
            continue
        variable, literal = resolver_users(tree, resolver)
        named = [
            s
            for s in literal
            if s.written.host.lower() not in upstreams
            and classify_host(s.written.host) not in (HostKind.IP, HostKind.LOCALHOST)
        ]
        if variable or not named:
            continue
        first = named[0]
        yield ctx.finding(
            cause=f"`{resolver.text()}` is never consulted: {first.directive.name} "
            f"`{first.directive.args[0]}` "
            "is literal, so nginx resolved it once at start-up with the system resolver.",
            fix="\n".join(
                [
                    f"set $backend {first.written.host};",
                    f"proxy_pass {first.written.scheme or 'http'}://$backend"
                    f"{':' + str(first.written.port) if first.written.port else ''};",
                    "# (a variable target makes nginx ask this resolver at request time; drop any URI part)",
                ]
            ),
            evidence=[evidence(tree, resolver)],
            related=[evidence(tree, s.directive) for s in named[:3]],
        )
