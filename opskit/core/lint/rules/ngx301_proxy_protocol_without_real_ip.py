"""``listen … proxy_protocol`` without taking the client address from the PROXY header."""

from __future__ import annotations

from collections.abc import Iterator

from opskit.core.findings import Finding, Severity
from opskit.core.lint.options import LintContext
from opskit.core.nginx.query import evidence, has_unresolved_include, parse_listen, scoped
from opskit.core.nginx.tree import NginxConfig
from opskit.core.rules import rule


@rule(
    id="NGX301",
    name="proxy-protocol-without-real-ip",
    family="nginx-edge",
    severity=Severity.WARNING,
    summary="listen … proxy_protocol without real_ip_header proxy_protocol / set_real_ip_from",
    target="nginx",
)
def check(tree: NginxConfig, ctx: LintContext) -> Iterator[Finding]:
    """A server listening with ``proxy_protocol`` but not using it for ``$remote_addr``.

    *Why*: the PROXY header carries the real client address, but nginx only uses it for
    ``$remote_addr`` (logs, ``allow``/``deny``, ``limit_req``, X-Forwarded-For) with
    ``real_ip_header proxy_protocol`` and ``set_real_ip_from <proxy address>``; otherwise every client
    looks like the proxy.

    *Bad*::

        server {
            listen 443 ssl proxy_protocol;
            location / { return 200; }
        }

    *Good*::

        server {
            listen 443 ssl proxy_protocol;
            set_real_ip_from 127.0.0.1;
            real_ip_header proxy_protocol;
            location / { return 200; }
        }
    """
    for node in tree.walk():
        server = node.directive
        if server.name != "server" or not tree.in_http(node):
            continue
        listens = [listen for d in server.all("listen") if (listen := parse_listen(d)) and listen.proxy_protocol]
        if not listens:
            continue
        if has_unresolved_include(node, "real", "proxy_protocol", "proxy-protocol"):
            continue
        header = scoped(node, "real_ip_header")
        trusted = scoped(node, "set_real_ip_from")
        if header is not None and header.args[:1] == ("proxy_protocol",) and trusted is not None:
            continue
        yield ctx.finding(
            cause="this listener receives the client address in the PROXY header but nginx does not use it, "
            "so $remote_addr (logs, allow/deny, limits, X-Forwarded-For) is the proxy's address"
            f"{tree.snippet_note()}.",
            fix="set_real_ip_from <address of the proxy sending PROXY protocol>;\nreal_ip_header proxy_protocol;",
            evidence=[evidence(tree, listens[0].directive)],
        )
