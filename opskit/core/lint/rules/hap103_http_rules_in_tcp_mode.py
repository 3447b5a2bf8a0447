"""``http-request``/``http-response`` rules in a ``mode tcp`` proxy: HAProxy ignores them."""

from __future__ import annotations

from collections.abc import Iterator

from opskit.core.findings import Finding, Severity
from opskit.core.haproxy import HaproxyConfig
from opskit.core.haproxy.query import evidence
from opskit.core.lint.options import LintContext
from opskit.core.rules import rule

HTTP_RULES = ("http-request", "http-response", "http-after-response")


@rule(
    id="HAP103",
    name="http-rules-in-tcp-mode",
    family="haproxy-config",
    severity=Severity.ERROR,
    summary="http-request/http-response rules in mode tcp are ignored (only a warning at start-up)",
    target="haproxy",
)
def check(tree: HaproxyConfig, ctx: LintContext) -> Iterator[Finding]:
    """``http-request``, ``http-response`` or ``http-after-response`` in a section whose effective
    mode is ``tcp`` (HAProxy's default when no ``mode`` is set).

    *Why*: in TCP mode HAProxy never parses HTTP, so these rules — often a rate limit or a header
    fix — are skipped with only a start-up warning; the protection they were meant to add does not
    exist. Use ``tcp-request`` rules, or ``mode http``. A fragment with no ``mode`` line and no
    ``defaults`` section is not judged (its defaults live elsewhere).

    *Bad*::

        frontend tls_in
            mode tcp
            bind :443
            http-request deny deny_status 429 if { sc0_http_req_rate gt 100 }
            default_backend be_tls
        backend be_tls
            mode tcp
            server n1 127.0.0.1:8443

    *Good*::

        frontend tls_in
            mode tcp
            bind :443
            tcp-request connection reject if { sc0_conn_rate gt 100 }
            default_backend be_tls
        backend be_tls
            mode tcp
            server n1 127.0.0.1:8443
    """
    for section in tree.proxies():
        if section.mode != "tcp" or not section.mode_is_known:
            continue
        rules = [s for s in section.statements if s.keyword in HTTP_RULES]
        if not rules:
            continue
        yield ctx.finding(
            cause=f"{section.label} runs in mode tcp, so its {len(rules)} {rules[0].keyword} rule(s) are ignored.",
            fix=f"mode http   # in {section.label}, if it should parse HTTP\n"
            "# otherwise express the rule at TCP level, e.g.\n"
            "tcp-request connection reject if { sc0_conn_rate gt 100 }",
            evidence=[evidence(rules[0])],
            related=[evidence(r) for r in rules[1:4]],
        )
