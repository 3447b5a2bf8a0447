"""Docker's 127.0.0.11 or a public DNS server asked for cluster-internal names."""

from __future__ import annotations

from collections.abc import Iterator

from opskit.core.findings import Finding, Severity
from opskit.core.lint.options import LintContext
from opskit.core.lint.rules._nginx_dns import DOCKER_EMBEDDED_DNS, PUBLIC_RESOLVERS, resolver_users
from opskit.core.nginx.query import (
    KUBERNETES_KINDS,
    SERVICE_KINDS,
    classify_host,
    evidence,
    resolver_addresses,
)
from opskit.core.nginx.tree import NginxConfig
from opskit.core.rules import rule


@rule(
    id="NGX105",
    name="resolver-cannot-answer",
    family="nginx-dns",
    severity=Severity.ERROR,
    summary="resolver 127.0.0.11 (Docker) or a public DNS server used for cluster-internal names",
    target="nginx",
)
def check(tree: NginxConfig, ctx: LintContext) -> Iterator[Finding]:
    """A ``resolver`` that cannot know the names nginx sends it: Docker's embedded DNS
    ``127.0.0.11`` for Kubernetes names, or a public resolver (8.8.8.8, 1.1.1.1, …) for any
    Service/container name.

    *Why*: ``127.0.0.11`` exists only inside Docker networks; in a Kubernetes pod nothing listens
    there, so each lookup waits ``resolver_timeout`` (30 s by default) and the request fails with 502.
    Public resolvers have never heard of ``*.cluster.local`` or Compose service names. Use the
    cluster DNS Service IP (``kubectl -n kube-system get svc kube-dns``).

    *Bad*::

        server {
            listen 80;
            resolver 127.0.0.11;
            location / {
                set $target http://springboot.default.svc.cluster.local:8080;
                proxy_pass $target;
            }
        }

    *Good*::

        server {
            listen 80;
            resolver 10.100.0.10 valid=10s;
            resolver_timeout 5s;
            location / {
                set $target http://springboot.default.svc.cluster.local:8080;
                proxy_pass $target;
            }
        }
    """
    for node in tree.walk():
        resolver = node.directive
        if resolver.name != "resolver" or not tree.in_http(node):
            continue
        addresses = resolver_addresses(resolver)
        docker = DOCKER_EMBEDDED_DNS in addresses
        public = sorted(set(addresses) & PUBLIC_RESOLVERS)
        if not docker and not public:
            continue
        variable, literal = resolver_users(tree, resolver)
        for site in (*variable, *literal):
            host = site.expanded.host if site.variable else site.written.host
            kind = classify_host(host)
            if public and kind in SERVICE_KINDS:
                reason = f"the public resolver {public[0]} cannot answer the internal name `{host}`"
            elif docker and kind in KUBERNETES_KINDS:
                reason = (
                    f"127.0.0.11 is Docker's embedded DNS and does not exist in a Kubernetes pod, so "
                    f"`{host}` times out after resolver_timeout (30 s by default)"
                )
            else:
                continue
            yield ctx.finding(
                cause=f"{reason}; requests through this resolver fail with 502.",
                fix="resolver <kube-dns ClusterIP from `kubectl -n kube-system get svc kube-dns`> "
                "valid=10s ipv6=off;\n"
                "resolver_timeout 5s;",
                evidence=[evidence(tree, resolver)],
                related=[evidence(tree, site.directive)],
            )
            break
