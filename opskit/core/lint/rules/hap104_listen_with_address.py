"""``listen name address``: the address belongs on a ``bind`` line (fatal since HAProxy 2.x)."""

from __future__ import annotations

from collections.abc import Iterator

from opskit.core.findings import Finding, Severity
from opskit.core.haproxy import HaproxyConfig
from opskit.core.haproxy.query import evidence
from opskit.core.lint.options import LintContext
from opskit.core.rules import rule


@rule(
    id="HAP104",
    name="listen-with-address",
    family="haproxy-config",
    severity=Severity.ERROR,
    summary="address on the listen/frontend line is rejected; use bind",
    target="haproxy",
)
def check(tree: HaproxyConfig, ctx: LintContext) -> Iterator[Finding]:
    """``listen stats :70`` or ``frontend web *:80`` — an address on the section line.

    *Why*: HAProxy 2.6 refuses it (``please use the 'bind' keyword for listening addresses``) and
    then reports cascading errors for every following line.

    *Bad*::

        listen stats :8070
            mode http
            stats enable

    *Good*::

        listen stats
            bind :8070
            mode http
            stats enable
    """
    for section in tree.proxies():
        if section.kind not in ("listen", "frontend"):
            continue
        extra = [w for w in section.header.words[2:] if w != "from"]
        if section.from_name:
            extra = [w for w in extra if w != section.from_name]
        if extra:
            yield ctx.finding(
                cause=f"`{section.header.raw}` puts an address on the {section.kind} line, which HAProxy 2.x "
                "rejects (the config does not load).",
                fix=f"{section.kind} {section.name}\n    bind {' '.join(extra)}",
                evidence=[evidence(section.header)],
            )
