"""A variable proxy_pass with a URI part: the URI replaces the request URI instead of the prefix."""

from __future__ import annotations

from collections.abc import Iterator

from opskit.core.findings import Finding, Severity
from opskit.core.lint.options import LintContext
from opskit.core.lint.rules._nginx_dns import location_path
from opskit.core.nginx.query import evidence, pass_sites
from opskit.core.nginx.tree import NginxConfig
from opskit.core.rules import rule


@rule(
    id="NGX108",
    name="variable-proxy-pass-uri",
    family="nginx-dns",
    severity=Severity.WARNING,
    summary="variable proxy_pass with a URI part sends that URI for every request",
    target="nginx",
)
def check(tree: NginxConfig, ctx: LintContext) -> Iterator[Finding]:
    """``proxy_pass http://$backend:8080/;`` — a variable target plus a literal URI part.

    *Why*: with a literal target, ``proxy_pass http://svc:8080/;`` in ``location /api/`` replaces the
    ``/api/`` prefix. With variables nginx passes the given URI *as is*, replacing the whole request
    URI: ``/api/users`` reaches the backend as ``/``. Converting a working literal proxy_pass to the
    variable form for DNS reasons silently breaks routing. Drop the URI and rewrite explicitly.

    *Bad*::

        server {
            listen 80;
            resolver 10.96.0.10 valid=10s;
            location /api/ {
                set $api api.shop.svc.cluster.local;
                proxy_pass http://$api:8080/;
            }
        }

    *Good*::

        server {
            listen 80;
            resolver 10.96.0.10 valid=10s;
            location /api/ {
                set $api api.shop.svc.cluster.local;
                rewrite ^/api/(.*)$ /$1 break;
                proxy_pass http://$api:8080;
            }
        }
    """
    for site in pass_sites(tree):
        if not site.variable or site.directive.name != "proxy_pass":
            continue
        location_block = site.node.enclosing("location")
        modifier = location_block.args[0] if location_block is not None and location_block.args else ""
        if modifier in ("~", "~*", "=") or modifier.startswith("@"):
            continue  # regex/exact/named locations have no prefix to replace: a URI there is deliberate
        uri = site.written.uri if site.written.uri is not None else site.expanded.uri
        if uri is None or "$" in uri:
            continue
        location = location_path(site.node)
        prefix = location.rstrip("/") if location and location.startswith("/") else "/prefix"
        without = (
            site.directive.args[0][: len(site.directive.args[0]) - len(uri)]
            if site.written.uri is not None
            else site.directive.args[0]
        )
        yield ctx.finding(
            cause=f"with a variable in proxy_pass the URI part `{uri}` replaces the whole request URI "
            f"(every request under {location or 'this location'} reaches the backend as `{uri}`).",
            fix=f"rewrite ^{prefix}/(.*)$ {uri.rstrip('/')}/$1 break;\nproxy_pass {without};",
            evidence=[evidence(tree, site.directive)],
        )
