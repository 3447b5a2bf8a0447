"""``option forwardfor`` plus a manual X-Forwarded-For rule: the server gets two header lines."""

from __future__ import annotations

from collections.abc import Iterator

from opskit.core.findings import Finding, Severity
from opskit.core.haproxy import HaproxyConfig
from opskit.core.haproxy.model import Section, Statement
from opskit.core.haproxy.query import evidence, header_rules
from opskit.core.lint.options import LintContext
from opskit.core.rules import rule


def _manual_xff(section: Section) -> list[Statement]:
    return [
        *header_rules(section, "set-header", "X-Forwarded-For"),
        *header_rules(section, "add-header", "X-Forwarded-For"),
    ]


@rule(
    id="HAP201",
    name="duplicate-forwarded-for",
    family="haproxy-headers",
    severity=Severity.WARNING,
    summary="option forwardfor plus http-request set/add-header X-Forwarded-For sends two XFF lines",
    target="haproxy",
)
def check(tree: HaproxyConfig, ctx: LintContext) -> Iterator[Finding]:
    """``option forwardfor`` (own, inherited, or on the other side of frontend→backend) together
    with ``http-request set-header``/``add-header X-Forwarded-For``.

    *Why*: ``option forwardfor`` always *appends a new* header line after the http-request rules ran,
    so the server receives ``X-Forwarded-For`` twice ("ip, ip" once joined); frameworks that reject
    duplicate headers answer 400. Keep one mechanism: ``del-header`` + ``option forwardfor``, or
    ``set-header`` alone.

    *Bad*::

        backend app
            mode http
            option forwardfor
            http-request set-header X-Forwarded-For %[src]
            server a1 127.0.0.1:8080

    *Good*::

        backend app
            mode http
            http-request del-header X-Forwarded-For
            option forwardfor
            server a1 127.0.0.1:8080
    """
    reported: set[int] = set()
    for section in tree.proxies():
        if section.mode != "http":
            continue
        peers = [section, *tree.backends_of(section)] if section.kind in ("frontend", "listen") else [section]
        option = next((o for p in peers if (o := p.effective_option("forwardfor")) is not None), None)
        if option is None:
            continue
        for peer in peers:
            for manual in _manual_xff(peer):
                if id(manual) in reported:
                    continue
                reported.add(id(manual))
                yield ctx.finding(
                    cause="option forwardfor appends its own X-Forwarded-For line after this rule, so the "
                    "server receives the header twice (some frameworks answer 400).",
                    fix="http-request del-header X-Forwarded-For\noption forwardfor",
                    evidence=[evidence(manual)],
                    related=[evidence(option)],
                )
