"""A resolver used for dynamic targets without ``valid=`` or with a long one."""

from __future__ import annotations

from collections.abc import Iterator

from opskit.core.findings import Finding, Severity
from opskit.core.lint.options import LintContext
from opskit.core.lint.rules._nginx_dns import dynamic_upstream_names, resolver_users
from opskit.core.nginx.query import evidence, parse_time_s, resolver_addresses, resolver_parameter
from opskit.core.nginx.tree import NginxConfig
from opskit.core.rules import rule

MAX_VALID_SECONDS = 30


@rule(
    id="NGX106",
    name="resolver-valid",
    family="nginx-dns",
    severity=Severity.WARNING,
    summary="resolver used for dynamic targets has no valid= or caches answers longer than 30 s",
    target="nginx",
)
def check(tree: NginxConfig, ctx: LintContext) -> Iterator[Finding]:
    """A ``resolver`` that serves variable ``proxy_pass`` targets (or re-resolving upstreams) without
    ``valid=`` or with ``valid`` above 30 s.

    *Why*: without ``valid=`` nginx caches each answer for the record's TTL, which depends on the DNS
    server (kubeadm's CoreDNS says 30 s, others much more); a long ``valid`` keeps sending traffic to
    a pod that is gone. 5–30 s bounds the staleness; add ``resolver_timeout`` (default 30 s) so a DNS
    outage does not hang every request for half a minute.

    *Bad*::

        server {
            listen 80;
            resolver 10.96.0.10;
            location / {
                set $api api.shop.svc.cluster.local;
                proxy_pass http://$api:8080;
            }
        }

    *Good*::

        server {
            listen 80;
            resolver 10.96.0.10 valid=10s;
            resolver_timeout 5s;
            location / {
                set $api api.shop.svc.cluster.local;
                proxy_pass http://$api:8080;
            }
        }
    """
    has_dynamic_upstreams = bool(dynamic_upstream_names(tree))
    for node in tree.walk():
        resolver = node.directive
        if resolver.name != "resolver" or not tree.in_http(node):
            continue
        variable, _literal = resolver_users(tree, resolver)
        in_upstream = node.enclosing("upstream") is not None
        if not variable and not in_upstream and not (has_dynamic_upstreams and len(node.parents) <= 1):
            continue
        valid = resolver_parameter(resolver, "valid")
        addresses = " ".join(resolver_addresses(resolver)) or "<dns ip>"
        ipv6 = " ipv6=off" if "ipv6=off" in resolver.args else ""
        fix = f"resolver {addresses} valid=10s{ipv6};\nresolver_timeout 5s;"
        if valid is None:
            yield ctx.finding(
                cause="this resolver has no valid=, so nginx keeps each answer for the DNS record's TTL, "
                "which the DNS server decides (it can be minutes).",
                fix=fix,
                evidence=[evidence(tree, resolver)],
            )
            continue
        seconds = parse_time_s(valid)
        if seconds is not None and seconds > MAX_VALID_SECONDS:
            yield ctx.finding(
                cause=f"valid={valid} keeps a resolved address for {int(seconds)} s, so traffic goes to a "
                "replaced pod for that long.",
                fix=fix,
                evidence=[evidence(tree, resolver)],
            )
