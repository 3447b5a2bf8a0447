"""``http-request add-header X-Forwarded-Proto``: a client-sent value survives in front."""

from __future__ import annotations

from collections.abc import Iterator

from opskit.core.findings import Finding, Severity
from opskit.core.haproxy import HaproxyConfig
from opskit.core.haproxy.query import evidence, header_rules
from opskit.core.lint.options import LintContext
from opskit.core.rules import rule


@rule(
    id="HAP203",
    name="add-header-forwarded-proto",
    family="haproxy-headers",
    severity=Severity.WARNING,
    summary="add-header X-Forwarded-Proto keeps a client-sent value; use set-header",
    target="haproxy",
)
def check(tree: HaproxyConfig, ctx: LintContext) -> Iterator[Finding]:
    """``http-request add-header X-Forwarded-Proto …`` instead of ``set-header``.

    *Why*: ``add-header`` appends; a client can send ``X-Forwarded-Proto: https`` over plain HTTP and
    applications that read the first value believe it (secure cookies, redirects, realm URLs).

    *Bad*::

        backend app
            mode http
            http-request add-header X-Forwarded-Proto https if { ssl_fc }
            server a1 127.0.0.1:8080

    *Good*::

        backend app
            mode http
            http-request set-header X-Forwarded-Proto https if { ssl_fc }
            server a1 127.0.0.1:8080
    """
    for section in tree.proxies():
        for statement in header_rules(section, "add-header", "X-Forwarded-Proto"):
            yield ctx.finding(
                cause="add-header appends, so a client-sent X-Forwarded-Proto stays first and applications "
                "reading the first value trust the client's scheme.",
                fix=statement.raw.replace("add-header", "set-header", 1),
                evidence=[evidence(statement)],
            )
