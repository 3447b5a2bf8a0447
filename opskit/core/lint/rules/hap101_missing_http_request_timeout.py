"""HTTP frontend without an effective ``timeout http-request``: slowloris holds connections open."""

from __future__ import annotations

from collections.abc import Iterator

from opskit.core.findings import Finding, Severity
from opskit.core.haproxy import HaproxyConfig
from opskit.core.haproxy.model import CLIENT_FACING
from opskit.core.haproxy.query import evidence
from opskit.core.lint.options import LintContext
from opskit.core.rules import rule


@rule(
    id="HAP101",
    name="missing-http-request-timeout",
    family="haproxy-slowloris",
    severity=Severity.WARNING,
    summary="mode http frontend without timeout http-request (own or from defaults)",
    target="haproxy",
)
def check(tree: HaproxyConfig, ctx: LintContext) -> Iterator[Finding]:
    """A ``frontend``/``listen`` in ``mode http`` with no ``timeout http-request``, neither its own
    nor inherited from its ``defaults``.

    *Why*: HAProxy in HTTP mode waits for the complete request headers before passing anything on.
    Without ``timeout http-request`` only ``timeout client`` applies, an inactivity timer that every
    trickled byte resets: a slowloris client holds the connection for ever, and the nginx behind it
    never sees the request, so nginx's header timeouts cannot help. ``haproxy -c`` does not warn.

    *Bad*::

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

    *Good*::

        defaults
            mode http
            timeout connect 5s
            timeout client 30s
            timeout server 60s
            timeout http-request 10s
            timeout http-keep-alive 5s
        frontend http_in
            bind :80
            default_backend be_nginx
        backend be_nginx
            server n1 127.0.0.1:8080
    """
    for section in tree.proxies():
        if section.kind not in CLIENT_FACING or section.mode != "http":
            continue
        value, _line = section.timeout_ms("http-request")
        if value is not None:
            continue
        keep_alive, _ = section.timeout_ms("http-keep-alive")
        client, client_line = section.timeout_ms("client")
        fix = ["timeout http-request 10s"]
        if keep_alive is None:
            fix.append("timeout http-keep-alive 10s")
        related = [evidence(client_line)] if client_line else []
        yield ctx.finding(
            cause=f"{section.label} parses HTTP but has no timeout http-request, so a client trickling "
            "header "
            "bytes keeps its connection open indefinitely (timeout client is reset by every byte).",
            fix="\n".join(f"{line}   # in {section.label}" if index == 0 else line for index, line in enumerate(fix)),
            evidence=[evidence(section.header)],
            related=related,
        )
