"""nginx header timeouts that never fire because HAProxy parses HTTP in front of them."""

from __future__ import annotations

from collections.abc import Iterator

from opskit.core.findings import Finding, Severity
from opskit.core.haproxy.model import CLIENT_FACING
from opskit.core.haproxy.query import evidence as haproxy_evidence
from opskit.core.lint.options import LintContext
from opskit.core.lint.rules._crossref import links
from opskit.core.lint.workspace import Workspace
from opskit.core.nginx.query import evidence as nginx_evidence
from opskit.core.nginx.query import scoped
from opskit.core.nginx.tree import Node
from opskit.core.rules import rule


@rule(
    id="X003",
    name="nginx-header-timeout-behind-http-mode",
    family="cross-haproxy-nginx",
    severity=Severity.WARNING,
    summary="nginx client_header_timeout cannot protect a path that HAProxy parses in mode http first",
    target="cross",
)
def check(tree: Workspace, ctx: LintContext) -> Iterator[Finding]:
    """An HAProxy ``mode http`` frontend without ``timeout http-request`` in front of an nginx whose
    ``client_header_timeout`` is meant to stop slow-header attacks.

    *Why*: the first component that parses HTTP must time out slow headers. In ``mode http`` HAProxy
    holds the request until its headers are complete, so a slowloris client never reaches nginx and
    nginx's header timeout never fires — the incident where 443 (``mode tcp``) was protected and 80
    (``mode http``) was not. Set the timeout on the HAProxy frontend.

    *Bad*::

        #@ file: haproxy.cfg
        defaults
            mode http
            timeout connect 5s
            timeout client 30s
            timeout server 60s
        frontend http_in
            bind :80
            default_backend be_nginx
        backend be_nginx
            server n1 127.0.0.1:8080
        #@ file: nginx.conf
        server {
            listen 8080;
            client_header_timeout 10s;
            location / { return 200; }
        }

    *Good*::

        #@ file: haproxy.cfg
        defaults
            mode http
            timeout connect 5s
            timeout client 30s
            timeout server 60s
        frontend http_in
            bind :80
            timeout http-request 10s
            default_backend be_nginx
        backend be_nginx
            server n1 127.0.0.1:8080
        #@ file: nginx.conf
        server {
            listen 8080;
            client_header_timeout 10s;
            location / { return 200; }
        }
    """
    haproxy = tree.haproxy
    if haproxy is None:
        return
    for link in links(tree):
        backend = link.server.section
        frontends = haproxy.frontends_using(backend) if backend.kind == "backend" else [backend]
        for frontend in frontends:
            if frontend.kind not in CLIENT_FACING or frontend.mode != "http":
                continue
            if frontend.timeout_ms("http-request")[0] is not None:
                continue
            listen, node = link.listens[0]
            server_node = node.parents[-1] if node.parents else None
            header_timeout = None
            if server_node is not None:
                header_timeout = scoped(Node(server_node, node.parents[:-1], node.root), "client_header_timeout")
            target = header_timeout or listen.directive
            what = (
                f"nginx's `client_header_timeout {header_timeout.args[0]}`"
                if header_timeout
                else "nginx's default client_header_timeout (60s)"
            )
            yield ctx.finding(
                cause=f"{frontend.label} parses HTTP in front of nginx port {listen.port} without timeout "
                f"http-request, so slow headers are held by HAProxy and {what} never fires.",
                fix=f"timeout http-request 10s   # in {frontend.label}"
                + ("" if frontend.timeout_ms("http-keep-alive")[0] else "\ntimeout http-keep-alive 10s"),
                evidence=[haproxy_evidence(frontend.header)],
                related=[nginx_evidence(link.config, target), haproxy_evidence(link.server.statement)],
            )
