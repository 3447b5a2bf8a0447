"""``server … resolve`` in an upstream without a ``zone`` or without a resolver."""

from __future__ import annotations

from collections.abc import Iterator

from opskit.core.findings import Finding, Severity
from opskit.core.lint.options import LintContext
from opskit.core.nginx.query import evidence, http_root, upstream_blocks
from opskit.core.nginx.tree import NginxConfig
from opskit.core.rules import rule


@rule(
    id="NGX109",
    name="upstream-resolve-incomplete",
    family="nginx-dns",
    severity=Severity.ERROR,
    summary="server … resolve needs a zone in the upstream and a resolver in it or in http",
    target="nginx",
)
def check(tree: NginxConfig, ctx: LintContext) -> Iterator[Finding]:
    """An ``upstream`` whose servers carry ``resolve`` but that has no ``zone``, or with no
    ``resolver`` in the upstream (nginx ≥ 1.27.3) or at ``http`` level.

    *Why*: the re-resolved addresses live in shared memory, so nginx refuses the config without a
    ``zone``; without a resolver there is nothing to re-resolve with and nginx refuses to start.

    *Bad*::

        upstream api {
            server api.shop.svc.cluster.local:8080 resolve;
        }
        server {
            listen 80;
            location / { proxy_pass http://api; }
        }

    *Good*::

        resolver 10.96.0.10 valid=10s;
        upstream api {
            zone api 64k;
            server api.shop.svc.cluster.local:8080 resolve;
        }
        server {
            listen 80;
            location / { proxy_pass http://api; }
        }
    """
    for upstream, node in upstream_blocks(tree).values():
        resolving = [s for s in upstream.all("server") if "resolve" in s.args[1:]]
        if not resolving:
            continue
        name = upstream.args[0]
        if upstream.first("zone") is None:
            yield ctx.finding(
                cause=f"upstream `{name}` re-resolves servers but has no zone, which `resolve` requires "
                "(nginx rejects the config).",
                fix=f"zone {name} 64k;   # inside upstream {name} {{ … }}",
                evidence=[evidence(tree, resolving[0])],
                related=[evidence(tree, upstream)],
            )
        root = http_root(tree, node) or ()
        if upstream.first("resolver") is None and not any(d.name == "resolver" for d in root):
            yield ctx.finding(
                cause=f"upstream `{name}` re-resolves servers but no resolver is set in it or in http{{}}, "
                "so nginx has no DNS server to ask.",
                fix="resolver <DNS server IP> valid=10s ipv6=off;   # in http{} (or in the upstream on >= 1.27.3)",
                evidence=[evidence(tree, resolving[0])],
                related=[evidence(tree, upstream)],
            )
