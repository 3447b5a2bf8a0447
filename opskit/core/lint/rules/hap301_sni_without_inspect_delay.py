"""SNI routing without ``tcp-request inspect-delay``: decided on an empty buffer."""

from __future__ import annotations

from collections.abc import Iterator

from opskit.core.findings import Finding, Severity
from opskit.core.haproxy import HaproxyConfig
from opskit.core.haproxy.model import CLIENT_FACING
from opskit.core.haproxy.query import evidence, uses_sni
from opskit.core.lint.options import LintContext
from opskit.core.rules import rule


@rule(
    id="HAP301",
    name="sni-without-inspect-delay",
    family="haproxy-sni",
    severity=Severity.ERROR,
    summary="req.ssl_sni routing without tcp-request inspect-delay races the ClientHello",
    target="haproxy",
)
def check(tree: HaproxyConfig, ctx: LintContext) -> Iterator[Finding]:
    """A TCP frontend routing on ``req.ssl_sni``/``req.ssl_hello_type`` with no
    ``tcp-request inspect-delay`` (own or from a named defaults).

    *Why*: without a delay HAProxy evaluates the rules as soon as the connection is accepted, usually
    before the ClientHello arrived: SNI is empty and clients land on ``default_backend`` at random
    (the doc calls it racy). ``haproxy -c`` gives no warning.

    *Bad*::

        frontend tls_in
            mode tcp
            bind :443
            timeout client 30s
            tcp-request content accept if { req.ssl_hello_type 1 }
            tcp-request content reject
            use_backend be_harbor if { req.ssl_sni -i harbor.example.com }
            default_backend be_harbor
        backend be_harbor
            mode tcp
            server n1 127.0.0.1:8443

    *Good*::

        frontend tls_in
            mode tcp
            bind :443
            timeout client 30s
            tcp-request inspect-delay 5s
            tcp-request content accept if { req.ssl_hello_type 1 }
            tcp-request content reject
            use_backend be_harbor if { req.ssl_sni -i harbor.example.com }
            default_backend be_harbor
        backend be_harbor
            mode tcp
            server n1 127.0.0.1:8443
    """
    for section in tree.proxies():
        if section.kind not in CLIENT_FACING or section.mode != "tcp":
            continue
        sni = uses_sni(section)
        if sni is None or section.effective("tcp-request", "inspect-delay") is not None:
            continue
        yield ctx.finding(
            cause=f"{section.label} routes on the TLS ClientHello without tcp-request inspect-delay, so the "
            "decision is taken before the hello arrives and SNI is usually empty.",
            fix="tcp-request inspect-delay 5s\ntcp-request content accept if { req.ssl_hello_type 1 }\n"
            "tcp-request content reject",
            evidence=[evidence(sni)],
            related=[evidence(section.header)],
        )
