"""A variable proxy_pass whose host:port also appears literally elsewhere: nginx reuses the static group."""

from __future__ import annotations

from collections.abc import Iterator

from opskit.core.findings import Finding, Severity
from opskit.core.lint.options import LintContext
from opskit.core.nginx.query import evidence, pass_sites, shadowing_group
from opskit.core.nginx.tree import NginxConfig
from opskit.core.rules import rule


@rule(
    id="NGX103",
    name="shadowed-variable-target",
    family="nginx-dns",
    severity=Severity.ERROR,
    summary="variable proxy_pass silently uses a literal proxy_pass/upstream of the same host:port",
    target="nginx",
)
def check(tree: NginxConfig, ctx: LintContext) -> Iterator[Finding]:
    """A variable ``proxy_pass`` whose value equals the host:port of a literal ``proxy_pass`` (or the
    name of an ``upstream`` block) anywhere in the same ``http{}``.

    *Why*: with a variable, nginx first searches the configured server groups — and every literal
    ``proxy_pass http://host:port`` creates an implicit one. When host **and port** match, the
    variable form uses that group's start-up address and never asks the resolver: the DNS fix looks
    right and silently does nothing. Neither gixy-ng nor gixy-next detect this.

    *Bad*::

        server {
            listen 80;
            resolver 10.96.0.10 valid=10s;
            location /api/ {
                set $api api.shop.svc.cluster.local;
                proxy_pass http://$api:8080;
            }
            location /health {
                proxy_pass http://api.shop.svc.cluster.local:8080;
            }
        }

    *Good*::

        server {
            listen 80;
            resolver 10.96.0.10 valid=10s;
            location /api/ {
                set $api api.shop.svc.cluster.local;
                proxy_pass http://$api:8080;
            }
            location /health {
                set $api_health api.shop.svc.cluster.local;
                proxy_pass http://$api_health:8080;
            }
        }
    """
    for site in pass_sites(tree):
        found = shadowing_group(tree, site)
        if found is None:
            continue
        target, shadow, kind = site.expanded, found.group, found.kind
        yield ctx.finding(
            cause=f"`{site.directive.args[0]}` evaluates to `{target.host_port}`, which {kind} at "
            f"{shadow.file}:{shadow.line} already defines as a server group, so nginx uses that start-up "
            "address and never re-resolves the name.",
            fix="\n".join(
                [
                    "# turn the literal one into a variable too (or rename/remove it):",
                    f"set $backend_static {target.host};",
                    f"proxy_pass {target.scheme or 'http'}://$backend_static"
                    f"{':' + str(target.port) if target.port else ''};",
                ]
            )
            if kind.startswith("a literal")
            else "# give the variable a name that is not an upstream, or point proxy_pass at the upstream\n"
            f"proxy_pass {target.scheme or 'http'}://{target.host};",
            evidence=[evidence(tree, site.directive)],
            related=[evidence(tree, shadow)],
        )
