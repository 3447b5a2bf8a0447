"""``timeout client`` shorter than ``tcp-request inspect-delay``: the delay never completes."""

from __future__ import annotations

from collections.abc import Iterator

from opskit.core.findings import Finding, Severity
from opskit.core.haproxy import HaproxyConfig, parse_time_ms
from opskit.core.haproxy.model import CLIENT_FACING
from opskit.core.haproxy.query import evidence
from opskit.core.lint.options import LintContext
from opskit.core.rules import rule


@rule(
    id="HAP303",
    name="timeout-client-below-inspect-delay",
    family="haproxy-sni",
    severity=Severity.WARNING,
    summary="timeout client is shorter than tcp-request inspect-delay",
    target="haproxy",
)
def check(tree: HaproxyConfig, ctx: LintContext) -> Iterator[Finding]:
    """A frontend whose effective ``timeout client`` is shorter than its ``tcp-request inspect-delay``.

    *Why*: the client timeout must cover the inspection window; otherwise slow TLS clients are cut
    before the ClientHello is inspected, and the configured delay is a lie.

    *Bad*::

        frontend tls_in
            mode tcp
            bind :443
            timeout client 3s
            tcp-request inspect-delay 5s
            tcp-request content accept if { req.ssl_hello_type 1 }
            tcp-request content reject
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
        if section.kind not in CLIENT_FACING:
            continue
        delay_line = section.effective("tcp-request", "inspect-delay")
        if delay_line is None or len(delay_line.words) < 3:
            continue
        delay = parse_time_ms(delay_line.words[2])
        client, client_line = section.timeout_ms("client")
        if delay is None or client is None or client_line is None or client >= delay:
            continue
        yield ctx.finding(
            cause=f"timeout client ({client_line.words[2]}) ends before the inspect delay "
            f"({delay_line.words[2]}), so slow clients are cut before their ClientHello is inspected.",
            fix=f"timeout client {max(30, (delay // 1000) * 2)}s",
            evidence=[evidence(client_line)],
            related=[evidence(delay_line)],
        )
