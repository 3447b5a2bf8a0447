"""Kubernetes/Docker service name in a literal proxy_pass or upstream server: resolved once at start-up."""

from __future__ import annotations

from collections.abc import Iterator

from opskit.core.findings import Finding, Severity
from opskit.core.lint.options import LintContext
from opskit.core.lint.rules._nginx_dns import location_path, variable_fix
from opskit.core.nginx.query import (
    SERVICE_KINDS,
    HostKind,
    classify_host,
    evidence,
    fqdn_hint,
    parse_target,
    pass_sites,
    upstream_blocks,
    upstream_of,
)
from opskit.core.nginx.tree import NginxConfig
from opskit.core.rules import rule


@rule(
    id="NGX101",
    name="static-service-name",
    family="nginx-dns",
    severity=Severity.WARNING,
    summary="Service name in a literal proxy_pass/upstream is resolved once at start-up and never again",
    target="nginx",
)
def check(tree: NginxConfig, ctx: LintContext) -> Iterator[Finding]:
    """A literal ``proxy_pass http://svc.ns:80`` (or an ``upstream`` ``server svc:80``) that names a
    Kubernetes Service (bare, ``name.ns``, ``*.svc``, ``*.svc.cluster.local``) or a Docker service.

    *Why*: nginx resolves literal names once, when it loads the config, with the system resolver; the
    ``resolver`` directive is not used for them. After the Service is re-created (new ClusterIP) or a
    headless Service's pods move, nginx keeps sending to the dead address (502) until a restart, and
    it refuses to start at all while the name does not resolve yet. Put the name in a variable (with a
    ``resolver``), or use ``server … resolve`` (nginx ≥ 1.27.3) / Tengine ``dynamic_resolve``.

    *Bad*::

        server {
            listen 80;
            location / {
                proxy_pass http://demo-dlp-service.huanfa:80;
            }
        }

    *Good*::

        server {
            listen 80;
            resolver 10.96.0.10 valid=10s ipv6=off;
            resolver_timeout 5s;
            location / {
                set $demo_upstream demo-dlp-service.huanfa.svc.cluster.local;
                proxy_pass http://$demo_upstream:80;
            }
        }
    """
    upstreams = upstream_blocks(tree)
    for site in pass_sites(tree):
        host = site.written.host
        if site.variable or upstream_of(tree, site) is not None:
            continue
        kind = classify_host(host)
        if kind not in SERVICE_KINDS:
            continue
        if tree.is_snippet and kind == HostKind.SHORT and site.written.port is None:
            continue  # `proxy_pass http://app;` in a snippet: most likely an upstream defined elsewhere
        target = site.written
        yield ctx.finding(
            cause=f"`{host}` ({kind.value}) in a literal {site.directive.name} is resolved once when nginx "
            "starts and never again, so a re-created Service or moved pod leaves nginx on a dead IP "
            "(and nginx will not start while the name does not resolve).",
            fix=variable_fix(host, target.port, target.scheme, target.uri, location_path(site.node)),
            evidence=[evidence(tree, site.directive)],
        )
    for upstream, _node in upstreams.values():
        if upstream.first("dynamic_resolve"):
            continue
        for server in upstream.all("server"):
            if not server.args or "resolve" in server.args[1:]:
                continue
            member = parse_target(server.args[0])
            if member is None or classify_host(member.host) not in SERVICE_KINDS:
                continue
            name = upstream.args[0]
            yield ctx.finding(
                cause=f"`{member.host}` in upstream `{name}` is resolved once when nginx starts; the group "
                "keeps that address until a restart (stale after the Service/container is re-created).",
                fix="\n".join(
                    [
                        "# nginx >= 1.27.3: re-resolve inside the upstream (needs a zone and a resolver)",
                        f"upstream {name} {{",
                        f"    zone {name} 64k;",
                        "    resolver <cluster DNS IP> valid=10s ipv6=off;",
                        f"    server {fqdn_hint(member.host)}{':' + str(member.port) if member.port else ''} resolve;",
                        "}",
                        "# Tengine: add `dynamic_resolve fallback=stale fail_timeout=15s;` and a resolver;",
                        "# older nginx: a variable proxy_pass with a resolver instead of the upstream",
                    ]
                ),
                evidence=[evidence(tree, server)],
                related=[evidence(tree, upstream)],
            )
