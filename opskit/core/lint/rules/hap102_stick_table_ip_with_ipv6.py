"""``stick-table type ip`` fed by a frontend that binds IPv6: IPv6 clients are never tracked."""

from __future__ import annotations

from collections.abc import Iterator

from opskit.core.findings import Finding, Severity
from opskit.core.haproxy import HaproxyConfig
from opskit.core.haproxy.model import CLIENT_FACING, Section
from opskit.core.haproxy.query import binds_ipv6, evidence
from opskit.core.lint.options import LintContext
from opskit.core.rules import rule


def _feeders(tree: HaproxyConfig, holder: Section) -> list[Section]:
    """Client-facing sections whose tracking goes into ``holder``'s table."""
    feeders = [holder] if holder.kind in CLIENT_FACING else []
    for section in tree.proxies():
        if section is holder or section.kind not in CLIENT_FACING:
            continue
        for statement in section.statements:
            words = statement.words
            if (
                "table" in words
                and words.index("table") + 1 < len(words)
                and words[words.index("table") + 1] == holder.name
            ):
                feeders.append(section)
                break
    if holder.kind == "backend" and any("track-sc" in w for s in holder.statements for w in s.words):
        feeders.extend(tree.frontends_using(holder))
    return feeders


@rule(
    id="HAP102",
    name="stick-table-ip-with-ipv6",
    family="haproxy-slowloris",
    severity=Severity.ERROR,
    summary="stick-table type ip cannot store IPv6 clients of an IPv6 bind",
    target="haproxy",
)
def check(tree: HaproxyConfig, ctx: LintContext) -> Iterator[Finding]:
    """``stick-table type ip`` in a section whose traffic comes from an IPv6 ``bind``.

    *Why*: ``type ip`` stores IPv4 keys only; IPv6 clients are silently never tracked, so per-source
    limits (``sc0_conn_cur``, ``sc0_http_req_rate``) never apply to them (verified on 2.6: all 200).
    ``type ipv6`` stores both (IPv4 clients as v4-mapped addresses).

    *Bad*::

        frontend http_in
            mode http
            bind :::80 v4v6
            timeout http-request 10s
            stick-table type ip size 100k expire 30s store http_req_rate(10s)
            http-request track-sc0 src
            http-request deny deny_status 429 if { sc0_http_req_rate gt 100 }

    *Good*::

        frontend http_in
            mode http
            bind :::80 v4v6
            timeout http-request 10s
            stick-table type ipv6 size 100k expire 30s store http_req_rate(10s)
            http-request track-sc0 src
            http-request deny deny_status 429 if { sc0_http_req_rate gt 100 }
    """
    for section in tree.proxies():
        for table in section.own("stick-table"):
            words = table.words
            if "type" not in words or words.index("type") + 1 >= len(words) or words[words.index("type") + 1] != "ip":
                continue
            for feeder in _feeders(tree, section):
                bind = binds_ipv6(feeder)
                if bind is None:
                    continue
                yield ctx.finding(
                    cause=f"`stick-table type ip` stores IPv4 keys only, but {feeder.label} accepts IPv6 "
                    "clients, which are never tracked nor limited.",
                    fix=table.raw.replace("type ip", "type ipv6", 1),
                    evidence=[evidence(table)],
                    related=[evidence(bind)],
                )
                break
