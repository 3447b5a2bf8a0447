"""DNS features the target nginx version does not have (only with ``--nginx-version``)."""

from __future__ import annotations

from collections.abc import Iterator

from opskit.core.findings import Finding, Severity
from opskit.core.lint.options import LintContext
from opskit.core.nginx.query import evidence
from opskit.core.nginx.tree import NginxConfig
from opskit.core.rules import rule

RESOLVE_SINCE = (1, 27, 3)
IPV4_OFF_SINCE = (1, 23, 1)


def _version(version: tuple[int, int, int]) -> str:
    return ".".join(str(p) for p in version)


@rule(
    id="NGX110",
    name="feature-needs-newer-nginx",
    family="nginx-dns",
    severity=Severity.ERROR,
    summary="server … resolve / resolver in upstream need nginx >= 1.27.3, ipv4=off needs >= 1.23.1",
    target="nginx",
)
def check(tree: NginxConfig, ctx: LintContext) -> Iterator[Finding]:
    """With ``--nginx-version``: ``server … resolve`` or ``resolver`` inside ``upstream`` on nginx
    older than 1.27.3 (first stable: 1.28.0), ``resolver … ipv4=off`` older than 1.23.1.

    *Why*: open-source nginx got ``resolve`` in 1.27.3 (before it was NGINX Plus only); older nginx
    rejects the config (``invalid parameter "resolve"``), and 1.22 reads ``ipv4=off`` as a host
    name (``host not found in resolver "ipv4=off"``). Debian 12 ships 1.22.1.

    *Bad*::

        #@ nginx-version: 1.22.1
        upstream api {
            zone api 64k;
            resolver 10.96.0.10 valid=10s;
            server api.shop.svc.cluster.local:8080 resolve;
        }

    *Good*::

        #@ nginx-version: 1.22.1
        server {
            listen 80;
            resolver 10.96.0.10 valid=10s;
            location / {
                set $api api.shop.svc.cluster.local;
                proxy_pass http://$api:8080;
            }
        }
    """
    version = ctx.facts.nginx_version
    if version is None:
        return
    for node in tree.walk():
        directive = node.directive
        in_upstream = node.enclosing("upstream") is not None
        if version < RESOLVE_SINCE and in_upstream and directive.name == "server" and "resolve" in directive.args[1:]:
            yield ctx.finding(
                cause=f"nginx {_version(version)} has no `resolve` server parameter (open-source nginx "
                "since 1.27.3), so this config does not load.",
                fix="# on this version: a variable proxy_pass with a resolver instead of the upstream\n"
                "set $backend <service FQDN>;\nproxy_pass http://$backend:<port>;",
                evidence=[evidence(tree, directive)],
            )
        elif version < RESOLVE_SINCE and in_upstream and directive.name == "resolver":
            yield ctx.finding(
                cause=f"nginx {_version(version)} does not allow `resolver` inside upstream (since 1.27.3).",
                fix="# move it to http{}:\n" + directive.text(),
                evidence=[evidence(tree, directive)],
            )
        elif version < IPV4_OFF_SINCE and directive.name == "resolver" and "ipv4=off" in directive.args:
            yield ctx.finding(
                cause=f"nginx {_version(version)} reads `ipv4=off` as a DNS server name (the parameter "
                "exists since 1.23.1), so the config does not load.",
                fix=" ".join(a for a in ("resolver", *directive.args) if a != "ipv4=off") + ";",
                evidence=[evidence(tree, directive)],
            )
