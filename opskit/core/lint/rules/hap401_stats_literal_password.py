"""``stats auth user:password`` with the password written in the config."""

from __future__ import annotations

from collections.abc import Iterator

from opskit.core.findings import Evidence, Finding, Severity
from opskit.core.haproxy import HaproxyConfig
from opskit.core.lint.options import LintContext
from opskit.core.rules import rule


def redact(raw: str, secret: str) -> str:
    """The line with the password replaced, so reports never copy the secret."""
    return raw.replace(secret, "********") if secret else raw


@rule(
    id="HAP401",
    name="stats-literal-password",
    family="haproxy-secrets",
    severity=Severity.ERROR,
    summary="stats auth with a literal password leaks the secret with the config",
    target="haproxy",
)
def check(tree: HaproxyConfig, ctx: LintContext) -> Iterator[Finding]:
    """``stats auth admin:s3cret`` — a plain-text password in the config file.

    *Why*: the config is copied into repositories, tickets, backups and rendered artefacts; a
    literal password in it is a leaked secret. Take it from the environment (HAProxy expands
    ``"${VAR}"`` in double quotes) or use a ``userlist`` with a hashed ``password``. The finding
    redacts the password.

    *Bad*::

        listen stats
            bind :8070
            mode http
            timeout http-request 10s
            stats enable
            stats auth admin:xxxxxxxx

    *Good*::

        listen stats
            bind :8070
            mode http
            timeout http-request 10s
            stats enable
            stats auth admin:"${STATS_PASSWORD}"
    """
    for section in tree.sections:
        for statement in section.own("stats", "auth"):
            if len(statement.words) < 3 or "${" in statement.raw or "$" in statement.words[2].split(":", 1)[-1]:
                continue
            user, _, password = statement.words[2].partition(":")
            yield ctx.finding(
                cause="the stats password is written in the config, so everyone who can read or receive the "
                "file has it.",
                fix=f'stats auth {user}:"${{STATS_PASSWORD}}"   # STATS_PASSWORD in haproxy\'s environment',
                evidence=[Evidence(statement.file, statement.line, redact(statement.raw, password))],
            )
