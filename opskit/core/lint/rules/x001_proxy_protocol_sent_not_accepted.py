"""HAProxy sends a PROXY header to an nginx listener that does not expect one."""

from __future__ import annotations

from collections.abc import Iterator

from opskit.core.findings import Finding, Severity
from opskit.core.haproxy.query import evidence as haproxy_evidence
from opskit.core.lint.options import LintContext
from opskit.core.lint.rules._crossref import links
from opskit.core.lint.workspace import Workspace
from opskit.core.nginx.query import evidence as nginx_evidence
from opskit.core.rules import rule


@rule(
    id="X001",
    name="proxy-protocol-sent-not-accepted",
    family="cross-haproxy-nginx",
    severity=Severity.ERROR,
    summary="HAProxy server sends send-proxy(-v2) to an nginx listen without proxy_protocol",
    target="cross",
)
def check(tree: Workspace, ctx: LintContext) -> Iterator[Finding]:
    """An HAProxy ``server … send-proxy``/``send-proxy-v2`` whose address:port is an nginx ``listen``
    without ``proxy_protocol`` (HAProxy and nginx configs linted together).

    *Why*: nginx reads the binary PROXY header as the start of an HTTP request or TLS handshake and
    fails every connection (``client sent invalid method``, or a TLS error).

    *Bad*::

        #@ file: haproxy.cfg
        backend be_nginx_tls
            mode tcp
            server n1 127.0.0.1:8443 send-proxy-v2
        #@ file: nginx.conf
        server {
            listen 8443 ssl;
            location / { return 200; }
        }

    *Good*::

        #@ file: haproxy.cfg
        backend be_nginx_tls
            mode tcp
            server n1 127.0.0.1:8443 send-proxy-v2
        #@ file: nginx.conf
        server {
            listen 8443 ssl proxy_protocol;
            set_real_ip_from 127.0.0.1;
            real_ip_header proxy_protocol;
            location / { return 200; }
        }
    """
    for link in links(tree):
        if not link.server.send_proxy or any(listen.proxy_protocol for listen, _ in link.listens):
            continue
        listen, _node = link.listens[0]
        yield ctx.finding(
            cause=f"HAProxy sends a PROXY header to port {listen.port}, but nginx's `listen "
            f"{' '.join(listen.directive.args)}` does not expect one, so every connection fails.",
            fix=f"listen {' '.join((*listen.directive.args, 'proxy_protocol'))};\n"
            "set_real_ip_from <HAProxy address>;\nreal_ip_header proxy_protocol;",
            evidence=[haproxy_evidence(link.server.statement)],
            related=[nginx_evidence(link.config, listen.directive)],
        )
