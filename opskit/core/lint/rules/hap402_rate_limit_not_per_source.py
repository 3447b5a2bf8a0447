"""A 429 limit that is not per client: it punishes everyone (or never fires)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from opskit.core.findings import Finding, Severity
from opskit.core.haproxy import HaproxyConfig
from opskit.core.haproxy.model import Section, Statement
from opskit.core.haproxy.query import acl_lines, condition_words, evidence
from opskit.core.lint.options import LintContext
from opskit.core.rules import rule

_PER_SOURCE = re.compile(r"\b(sc\d?_|sc_|src_)")
_TRACKED = re.compile(r"\bsc(\d)_")


def _is_429(statement: Statement) -> bool:
    words = statement.words
    if words[:1] not in (("http-request",), ("http-response",)):
        return False
    pairs = {words[i]: words[i + 1] for i in range(len(words) - 1)}
    return pairs.get("deny_status") == "429" or (
        len(words) > 1 and words[1] == "return" and pairs.get("status") == "429"
    )


def _condition_text(section: Section, statement: Statement) -> str:
    words = list(condition_words(statement))
    expanded = list(words)
    for word in words:
        name = word.lstrip("!")
        for acl in acl_lines(section, name):
            expanded.extend(acl.words[2:])
    return " ".join(expanded)


def _tracks(tree: HaproxyConfig, section: Section, counter: str) -> bool:
    holders = [section, *tree.frontends_using(section)] if section.kind == "backend" else [section]
    return any(f"track-sc{counter}" in word for holder in holders for s in holder.statements for word in s.words)


@rule(
    id="HAP402",
    name="rate-limit-not-per-source",
    family="haproxy-slowloris",
    severity=Severity.WARNING,
    summary="429 rule without per-source tracking punishes every client (or never fires)",
    target="haproxy",
)
def check(tree: HaproxyConfig, ctx: LintContext) -> Iterator[Finding]:
    """``http-request deny deny_status 429`` whose condition is not a tracked per-source counter:
    frontend-wide rates (``fe_req_rate``), no condition, or ``sc0_*`` without any ``track-sc0``.

    *Why*: a global rate limit answers 429 to *every* user once one abusive client pushes the total
    over the threshold — the slowloris incident ended in exactly that. ``sc0_*`` fetches without a
    ``track-sc0`` rule read an empty counter and never fire. Track each source in a stick table.

    *Bad*::

        frontend http_in
            mode http
            bind :80
            timeout http-request 10s
            http-request deny deny_status 429 if { fe_req_rate gt 500 }
            default_backend be_nginx
        backend be_nginx
            mode http
            server n1 127.0.0.1:8080

    *Good*::

        frontend http_in
            mode http
            bind :80
            timeout http-request 10s
            stick-table type ipv6 size 200k expire 30s store http_req_rate(10s)
            http-request track-sc0 src
            http-request deny deny_status 429 if { sc0_http_req_rate gt 100 }
            default_backend be_nginx
        backend be_nginx
            mode http
            server n1 127.0.0.1:8080
    """
    fix = (
        "stick-table type ipv6 size 200k expire 30s store conn_cur,conn_rate(10s),http_req_rate(10s)\n"
        "tcp-request connection track-sc0 src\n"
        "http-request deny deny_status 429 if { sc0_http_req_rate gt 100 }"
    )
    for section in tree.proxies():
        for statement in section.statements:
            if not _is_429(statement):
                continue
            condition = _condition_text(section, statement)
            if not condition:
                cause = "this 429 rule has no condition, so it rejects every request of every client."
            elif not _PER_SOURCE.search(condition):
                cause = (
                    "this 429 limit counts all clients together, so once one client pushes the total over "
                    "the threshold everyone gets 429."
                )
            else:
                untracked = [c for c in sorted(set(_TRACKED.findall(condition))) if not _tracks(tree, section, c)]
                if not untracked:
                    continue
                cause = (
                    f"sc{untracked[0]}_* counters are read but nothing does track-sc{untracked[0]}, so the "
                    "limit never fires."
                )
            yield ctx.finding(cause=cause, fix=fix, evidence=[evidence(statement)])
