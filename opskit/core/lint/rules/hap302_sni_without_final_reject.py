"""SNI frontend without a final ``tcp-request content reject``: silent clients pass through."""

from __future__ import annotations

from collections.abc import Iterator

from opskit.core.findings import Finding, Severity
from opskit.core.haproxy import HaproxyConfig
from opskit.core.haproxy.model import CLIENT_FACING
from opskit.core.haproxy.query import evidence, uses_sni
from opskit.core.lint.options import LintContext
from opskit.core.rules import rule


@rule(
    id="HAP302",
    name="sni-without-final-reject",
    family="haproxy-sni",
    severity=Severity.WARNING,
    summary="SNI routing without an unconditional tcp-request content reject lets silent clients through",
    target="haproxy",
)
def check(tree: HaproxyConfig, ctx: LintContext) -> Iterator[Finding]:
    """An SNI-routing TCP frontend with no unconditional ``tcp-request content reject``.

    *Why*: when the inspect delay expires without a matching rule, HAProxy's default is to *accept*:
    a client that sends nothing (or no TLS) is forwarded to the backend after the delay (verified),
    tying up backend connections. End the rule list with ``tcp-request content reject``.

    *Bad*::

        frontend tls_in
            mode tcp
            bind :443
            timeout client 30s
            tcp-request inspect-delay 5s
            tcp-request content accept if { req.ssl_hello_type 1 }
            default_backend be_tls
        backend be_tls
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
            default_backend be_tls
        backend be_tls
            mode tcp
            server n1 127.0.0.1:8443
    """
    for section in tree.proxies():
        if section.kind not in CLIENT_FACING or section.mode != "tcp":
            continue
        sni = uses_sni(section)
        if sni is None:
            continue
        if any(s.words == ("tcp-request", "content", "reject") for s in section.statements):
            continue
        anchor = section.effective("tcp-request", "inspect-delay") or sni
        yield ctx.finding(
            cause=f"{section.label} has no final `tcp-request content reject`, so a client that sends no "
            "ClientHello is passed to the backend when the inspect delay ends.",
            fix="tcp-request content accept if { req.ssl_hello_type 1 }\ntcp-request content reject",
            evidence=[evidence(anchor)],
            related=[evidence(section.header)],
        )
