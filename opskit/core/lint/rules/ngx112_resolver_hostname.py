"""A ``resolver`` given by name: looked up once at start-up with the system resolver."""

from __future__ import annotations

from collections.abc import Iterator

from opskit.core.findings import Finding, Severity
from opskit.core.lint.options import LintContext
from opskit.core.nginx.query import HostKind, classify_host, evidence, resolver_addresses
from opskit.core.nginx.tree import NginxConfig
from opskit.core.rules import rule


@rule(
    id="NGX112",
    name="resolver-hostname",
    family="nginx-dns",
    severity=Severity.INFO,
    summary="resolver named by a hostname is resolved once at start-up (acceptable for a ClusterIP)",
    target="nginx",
)
def check(tree: NginxConfig, ctx: LintContext) -> Iterator[Finding]:
    """``resolver kube-dns.kube-system.svc.cluster.local`` — the DNS server itself given by name.

    *Why*: nginx resolves the resolver's name once, at start-up, with the system resolver (search
    domains apply). For the kube-dns Service that is acceptable — a ClusterIP is stable for the
    Service's lifetime — but ``nginx -t`` fails anywhere outside the cluster (``host not found in
    resolver``), and re-creating the DNS Service needs an nginx reload. The IP avoids both.

    *Bad*::

        server {
            listen 80;
            resolver kube-dns.kube-system.svc.cluster.local valid=5s;
            location / {
                set $endpoint_service demo-dlp-service.huanfa.svc.cluster.local;
                proxy_pass http://$endpoint_service:80;
            }
        }

    *Good*::

        server {
            listen 80;
            resolver 10.96.0.10 valid=5s;
            location / {
                set $endpoint_service demo-dlp-service.huanfa.svc.cluster.local;
                proxy_pass http://$endpoint_service:80;
            }
        }
    """
    for node in tree.walk():
        resolver = node.directive
        if resolver.name != "resolver":
            continue
        names = [a for a in resolver_addresses(resolver) if classify_host(a) not in (HostKind.IP, HostKind.VARIABLE)]
        if not names:
            continue
        yield ctx.finding(
            cause=f"the resolver `{names[0]}` is itself looked up once at start-up "
            "(fine for a stable ClusterIP, "
            "but `nginx -t` fails outside the cluster and a re-created DNS Service needs a reload).",
            fix=f"resolver <IP of {names[0]}, e.g. from `kubectl -n kube-system get svc kube-dns`> "
            + " ".join(a for a in resolver.args if "=" in a)
            + ";",
            evidence=[evidence(tree, resolver)],
        )
