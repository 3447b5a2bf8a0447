"""An nginx ``proxy_protocol`` listener reached by an HAProxy server that sends no PROXY header."""

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
    id="X002",
    name="proxy-protocol-expected-not-sent",
    family="cross-haproxy-nginx",
    severity=Severity.ERROR,
    summary="nginx listen … proxy_protocol reached by an HAProxy server without send-proxy",
    target="cross",
)
def check(tree: Workspace, ctx: LintContext) -> Iterator[Finding]:
    """An nginx ``listen … proxy_protocol`` whose address:port an HAProxy ``server`` connects to
    without ``send-proxy``/``send-proxy-v2``.

    *Why*: nginx waits for the PROXY header and rejects what arrives instead
    (``broken header: "…" while reading PROXY protocol``): every connection through HAProxy fails.

    *Bad*::

        #@ file: haproxy.cfg
        backend be_nginx_tls
            mode tcp
            server n1 127.0.0.1:8443
        #@ file: nginx.conf
        server {
            listen 8443 ssl proxy_protocol;
            set_real_ip_from 127.0.0.1;
            real_ip_header proxy_protocol;
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
        if link.server.send_proxy:
            continue
        expecting = [listen for listen, _ in link.listens if listen.proxy_protocol]
        if not expecting:
            continue
        yield ctx.finding(
            cause=f"nginx's `listen {' '.join(expecting[0].directive.args)}` waits for a PROXY header that "
            "this HAProxy server never sends, so nginx rejects every connection (broken header).",
            fix=f"{link.server.statement.raw} send-proxy-v2",
            evidence=[haproxy_evidence(link.server.statement)],
            related=[nginx_evidence(link.config, expecting[0].directive)],
        )
