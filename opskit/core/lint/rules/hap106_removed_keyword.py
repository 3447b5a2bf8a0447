"""Keywords HAProxy 2.1 removed (``reqadd``, ``rsprep``, ``clitimeout`` …): the config does not load."""

from __future__ import annotations

from collections.abc import Iterator

from opskit.core.findings import Finding, Severity
from opskit.core.haproxy import HaproxyConfig
from opskit.core.haproxy.query import evidence
from opskit.core.lint.options import LintContext
from opskit.core.rules import rule

REPLACEMENTS = {
    "clitimeout": "timeout client",
    "contimeout": "timeout connect",
    "srvtimeout": "timeout server",
    "reqadd": "http-request add-header",
    "reqdel": "http-request del-header",
    "reqidel": "http-request del-header",
    "reqrep": "http-request replace-header (or replace-uri / replace-path)",
    "reqirep": "http-request replace-header (or replace-uri / replace-path)",
    "reqdeny": "http-request deny",
    "reqideny": "http-request deny",
    "reqallow": "http-request allow",
    "reqiallow": "http-request allow",
    "reqpass": "nothing (delete the line)",
    "reqipass": "nothing (delete the line)",
    "reqtarpit": "http-request tarpit",
    "reqitarpit": "http-request tarpit",
    "reqsetbe": "use_backend <name> if <condition>",
    "reqisetbe": "use_backend <name> if <condition>",
    "rspadd": "http-response add-header",
    "rspdel": "http-response del-header",
    "rspidel": "http-response del-header",
    "rsprep": "http-response replace-header",
    "rspirep": "http-response replace-header",
    "rspdeny": "http-response deny",
    "rspideny": "http-response deny",
    "block": "http-request deny",
}


@rule(
    id="HAP106",
    name="removed-keyword",
    family="haproxy-config",
    severity=Severity.ERROR,
    summary="reqadd/rsprep/clitimeout-style keywords were removed in HAProxy 2.1",
    target="haproxy",
)
def check(tree: HaproxyConfig, ctx: LintContext) -> Iterator[Finding]:
    """A keyword HAProxy removed in 2.1: ``reqadd``, ``reqrep``, ``reqirep``, ``reqtarpit``,
    ``rspadd``, ``rsprep``, ``block``, ``clitimeout``, ``contimeout``, ``srvtimeout`` and friends.

    *Why*: old tutorials still use them; HAProxy ≥ 2.1 stops with ``The 'reqadd' directive is not
    supported anymore since HAProxy 2.1`` (verified on 2.6), so the whole edge fails to start on
    upgrade. Each has an ``http-request``/``http-response``/``timeout`` replacement.

    *Bad*::

        listen web
            bind :80
            mode http
            clitimeout 20000
            reqadd X-Forwarded-Proto:\\ https
            server a 127.0.0.1:8080

    *Good*::

        listen web
            bind :80
            mode http
            timeout client 20s
            timeout http-request 10s
            http-request set-header X-Forwarded-Proto https
            server a 127.0.0.1:8080
    """
    for section in tree.sections:
        for statement in section.statements:
            replacement = REPLACEMENTS.get(statement.keyword)
            if replacement is None:
                continue
            yield ctx.finding(
                cause=f"`{statement.keyword}` was removed in HAProxy 2.1, so the configuration no longer loads.",
                fix=f"{replacement}   # instead of {statement.keyword}",
                evidence=[evidence(statement)],
            )
