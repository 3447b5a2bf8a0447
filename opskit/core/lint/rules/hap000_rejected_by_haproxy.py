"""The real ``haproxy -c`` rejects the config (``lint --validate``)."""

from __future__ import annotations

from collections.abc import Iterator

from opskit.core.findings import Finding, Severity
from opskit.core.haproxy import HaproxyConfig
from opskit.core.lint.options import LintContext
from opskit.core.rules import rule


@rule(
    id="HAP000",
    name="rejected-by-haproxy",
    family="validation",
    severity=Severity.ERROR,
    summary="haproxy -c rejects the config (only with --validate: runs the real binary)",
    target="haproxy",
    validator=True,
)
def check(tree: HaproxyConfig, ctx: LintContext) -> Iterator[Finding]:
    """Each ``[ALERT]`` of the real ``haproxy -c``, run by ``opskit lint --validate`` on a private copy
    of the linted files (in the order given, like several ``-f``), mapped back to file and line.

    *Why*: lint parses HAProxy's sections and the keywords its rules need, not every sample fetch and
    converter; HAProxy refuses a whole config for one unknown fetch (``acl need_challenge !cookie_ok``
    reads ``!cookie_ok`` as a fetch name), and a reload with it keeps the old process running the old
    config. Warnings do not count here (no ``-dW``); lint's own rules cover those worth a finding.

    *Bad*::

        defaults
            mode http
            timeout connect 5s
            timeout client 30s
            timeout server 30s
            timeout http-request 10s

        frontend web
            bind 127.0.0.1:8080
            acl cookie_ok req.cook(challenge) -m found
            acl need_challenge !cookie_ok
            http-request deny if need_challenge
            default_backend app

        backend app
            server app1 127.0.0.1:9000

    *Good*::

        defaults
            mode http
            timeout connect 5s
            timeout client 30s
            timeout server 30s
            timeout http-request 10s

        frontend web
            bind 127.0.0.1:8080
            acl cookie_ok req.cook(challenge) -m found
            http-request deny if !cookie_ok
            default_backend app

        backend app
            server app1 127.0.0.1:9000
    """
    return iter(())
