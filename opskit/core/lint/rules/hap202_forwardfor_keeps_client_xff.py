"""``option forwardfor`` that keeps the client's own X-Forwarded-For (no del-header, or if-none)."""

from __future__ import annotations

from collections.abc import Iterator

from opskit.core.findings import Finding, Severity
from opskit.core.haproxy import HaproxyConfig
from opskit.core.haproxy.model import CLIENT_FACING
from opskit.core.haproxy.query import evidence, header_rules
from opskit.core.lint.options import LintContext
from opskit.core.rules import rule


@rule(
    id="HAP202",
    name="forwardfor-keeps-client-xff",
    family="haproxy-headers",
    severity=Severity.WARNING,
    summary="option forwardfor without del-header X-Forwarded-For (or with if-none) trusts clients",
    target="haproxy",
)
def check(tree: HaproxyConfig, ctx: LintContext) -> Iterator[Finding]:
    """A client-facing ``mode http`` proxy where ``option forwardfor`` applies but the client's own
    ``X-Forwarded-For`` is not removed first, or ``if-none`` is used.

    *Why*: forwardfor appends a line; a client-sent ``X-Forwarded-For: 1.2.3.4`` stays in front of
    it, and applications reading the first value log and rate-limit the spoofed address. ``if-none``
    is worse: HAProxy adds nothing when the client already sent one. HAProxy's own edge example does
    ``http-request del-header x-forwarded-for`` before ``option forwardfor``.

    *Bad*::

        frontend www
            mode http
            bind :80
            timeout http-request 10s
            option forwardfor
            default_backend app
        backend app
            mode http
            server a1 127.0.0.1:8080

    *Good*::

        frontend www
            mode http
            bind :80
            timeout http-request 10s
            http-request del-header X-Forwarded-For
            option forwardfor
            default_backend app
        backend app
            mode http
            server a1 127.0.0.1:8080
    """
    for section in tree.proxies():
        if section.kind not in CLIENT_FACING or section.mode != "http":
            continue
        peers = [section, *tree.backends_of(section)]
        option = next((o for p in peers if (o := p.effective_option("forwardfor")) is not None), None)
        if option is None:
            continue
        removes = any(
            header_rules(p, "del-header", "X-Forwarded-For")
            or header_rules(p, "set-header", "X-Forwarded-For")
            or header_rules(p, "add-header", "X-Forwarded-For")
            for p in peers
        )
        if "if-none" in option.words:
            cause = (
                "`option forwardfor if-none` adds nothing when the client already sent X-Forwarded-For, so "
                "the backend trusts a client-chosen address."
            )
        elif not removes:
            cause = (
                f"{section.label} keeps a client-sent X-Forwarded-For in front of the one forwardfor "
                "appends, so anything reading the first value sees a spoofable address."
            )
        else:
            continue
        yield ctx.finding(
            cause=cause,
            fix="http-request del-header X-Forwarded-For\noption forwardfor",
            evidence=[evidence(option)],
            related=[evidence(section.header)] if option.file != section.file or option.line != section.line else [],
        )
