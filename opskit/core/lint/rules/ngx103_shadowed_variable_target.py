"""A variable proxy_pass whose host:port also appears literally elsewhere: nginx reuses the static group."""

from __future__ import annotations

from collections.abc import Iterator

from opskit.core.findings import Finding, Severity
from opskit.core.lint.context import RuleContext
from opskit.core.lint.registry import rule
from opskit.core.nginx.query import PassSite, evidence, http_root, pass_sites, upstream_blocks
from opskit.core.nginx.tree import Directive, NginxConfig


@rule(
    id="NGX103",
    name="shadowed-variable-target",
    family="nginx-dns",
    severity=Severity.ERROR,
    summary="variable proxy_pass silently uses a literal proxy_pass/upstream of the same host:port",
    target="nginx",
)
def check(tree: NginxConfig, ctx: RuleContext) -> Iterator[Finding]:
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
    literal: dict[tuple[int, str, int | None], Directive] = {}
    variable: list[PassSite] = []
    for site in pass_sites(tree):
        root = http_root(tree, site.node)
        key_root = id(root)
        if site.variable:
            variable.append(site)
        else:
            literal.setdefault(
                (key_root, site.written.host.lower(), site.written.effective_port), site.directive
            )
    explicit = {name: directive for name, (directive, _node) in upstream_blocks(tree).items()}
    for site in variable:
        target = site.expanded
        if "$" in target.host or not target.host:
            continue
        key_root = id(http_root(tree, site.node))
        shadow = literal.get((key_root, target.host.lower(), target.effective_port))
        kind = "a literal proxy_pass"
        # An upstream named in the written host is intentional (`http://pool$request_uri`); only a
        # host computed from a variable can be shadowed by an explicit upstream block by accident.
        if shadow is None and target.port is None and site.written.has_variable_host:
            shadow = explicit.get(target.host.lower())
            kind = "an upstream block"
        if shadow is None:
            continue
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
