"""A literal X-Forwarded-Proto that disagrees with how clients reach this server."""

from __future__ import annotations

from collections.abc import Iterator

from opskit.core.findings import Finding, Severity
from opskit.core.lint.options import LintContext
from opskit.core.nginx.query import PASS_DIRECTIVES, effective_header, evidence, server_listens
from opskit.core.nginx.tree import NginxConfig
from opskit.core.rules import rule


@rule(
    id="NGX205",
    name="forwarded-proto-wrong-hop",
    family="nginx-registry",
    severity=Severity.WARNING,
    summary="X-Forwarded-Proto set to a fixed scheme on a listener that does not serve that scheme",
    target="nginx",
)
def check(tree: NginxConfig, ctx: LintContext) -> Iterator[Finding]:
    """``proxy_set_header X-Forwarded-Proto https`` in a server with a plain-HTTP listener (or
    ``http`` with a TLS listener): this hop does not terminate the TLS it claims.

    *Why*: registries and Harbor build the token realm and upload ``Location`` URLs from
    X-Forwarded-Proto. Only the hop that terminates TLS knows the scheme: a fixed ``https`` on a
    plain listener sends plain-HTTP clients to ``https://`` URLs, and if TLS ends on a proxy in front
    the value must be passed through from it, not invented.

    *Bad*::

        server {
            listen 80;
            location / {
                proxy_pass http://harbor:8080;
                proxy_set_header X-Forwarded-Proto https;
            }
        }

    *Good*::

        server {
            listen 443 ssl;
            location / {
                proxy_pass http://harbor:8080;
                proxy_set_header X-Forwarded-Proto https;
            }
        }
    """
    for node in tree.walk():
        location = node.directive
        if location.name != "location" or not any(d.name in PASS_DIRECTIVES for d in location.children):
            continue
        header = effective_header(node, "X-Forwarded-Proto")
        if header is None or len(header.args) < 2 or header.args[1].lower() not in ("http", "https"):
            continue
        claimed = header.args[1].lower()
        server = node.enclosing("server")
        if server is None:
            continue
        wrong = [
            listen
            for listen in server_listens(server)
            if not (listen.proxy_protocol and not listen.ssl)  # TLS may end in front: unknown
            and ("https" if listen.ssl else "http") != claimed
        ]
        if not wrong:
            continue
        actual = "https" if wrong[0].ssl else "http"
        yield ctx.finding(
            cause=f"X-Forwarded-Proto is fixed to {claimed} but clients on `listen "
            f"{' '.join(wrong[0].directive.args) or '80'}` arrive over {actual}, so the backend builds "
            f"{claimed}:// URLs for them.",
            fix="proxy_set_header X-Forwarded-Proto $scheme;   # on the hop that terminates TLS\n"
            "# if TLS ends on a proxy in front, pass its value through instead:\n"
            'map $http_x_forwarded_proto $forwarded_proto { default $http_x_forwarded_proto; "" $scheme; }\n'
            "proxy_set_header X-Forwarded-Proto $forwarded_proto;",
            evidence=[evidence(tree, header)],
            related=[evidence(tree, wrong[0].directive)],
        )
