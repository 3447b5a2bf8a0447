"""``tcp-request inspect-delay`` in an anonymous ``defaults``: HAProxy refuses to start."""

from __future__ import annotations

from collections.abc import Iterator

from opskit.core.findings import Finding, Severity
from opskit.core.haproxy import HaproxyConfig
from opskit.core.haproxy.query import evidence
from opskit.core.lint.options import LintContext
from opskit.core.rules import rule


@rule(
    id="HAP304",
    name="inspect-delay-in-anonymous-defaults",
    family="haproxy-sni",
    severity=Severity.ERROR,
    summary="tcp-request inspect-delay is not allowed in an anonymous defaults section",
    target="haproxy",
)
def check(tree: HaproxyConfig, ctx: LintContext) -> Iterator[Finding]:
    """``tcp-request inspect-delay`` inside ``defaults`` without a name.

    *Why*: HAProxy ≥ 2.5 only accepts ``tcp-request``/``http-request`` rules in *named* defaults
    (used with ``from``); in an anonymous one the config fails with an ALERT (verified on 2.6).

    *Bad*::

        defaults
            mode tcp
            timeout client 30s
            tcp-request inspect-delay 5s

    *Good*::

        defaults tls_defaults
            mode tcp
            timeout client 30s
            tcp-request inspect-delay 5s
        frontend tls_in from tls_defaults
            bind :443
            tcp-request content accept if { req.ssl_hello_type 1 }
            tcp-request content reject
            default_backend be_tls
        backend be_tls
            mode tcp
            server n1 127.0.0.1:8443
    """
    for section in tree.sections:
        if section.kind != "defaults" or section.name:
            continue
        for statement in section.own("tcp-request", "inspect-delay"):
            yield ctx.finding(
                cause="tcp-request inspect-delay is rejected in an anonymous defaults section, so HAProxy "
                "does not start.",
                fix=f"{statement.raw}   # move into the frontend, or name the defaults and use `from <name>`",
                evidence=[evidence(statement)],
            )
