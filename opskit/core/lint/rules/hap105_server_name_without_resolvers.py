"""A backend ``server`` named by a Docker/Kubernetes service name, resolved once at start-up."""

from __future__ import annotations

from collections.abc import Iterator

from opskit.core.findings import Finding, Severity
from opskit.core.haproxy import HaproxyConfig
from opskit.core.haproxy.query import evidence, server_lines
from opskit.core.lint.options import LintContext
from opskit.core.nginx.query import SERVICE_KINDS, classify_host
from opskit.core.rules import rule


@rule(
    id="HAP105",
    name="server-name-without-resolvers",
    family="haproxy-config",
    severity=Severity.WARNING,
    summary="server addressed by a service name without a resolvers section is never re-resolved",
    target="haproxy",
)
def check(tree: HaproxyConfig, ctx: LintContext) -> Iterator[Finding]:
    """``server weba weba:80`` (a Docker/Compose or Kubernetes Service name) without ``resolvers``
    on the server line or in ``default-server``.

    *Why*: HAProxy resolves server names once at start-up with libc; after the container or Service
    is re-created it keeps sending to the old address, and it refuses to start while a name does
    not resolve. A ``resolvers`` section (plus ``init-addr last,libc,none``) re-resolves at run time.

    *Bad*::

        backend app
            mode http
            server weba weba:80 check

    *Good*::

        resolvers docker
            nameserver dns1 127.0.0.11:53
            hold valid 10s
        backend app
            mode http
            default-server init-addr last,libc,none
            server weba weba:80 check resolvers docker
    """
    for server in server_lines(tree):
        if classify_host(server.host) not in SERVICE_KINDS:
            continue
        options = set(server.statement.words[3:])
        for holder in server.section.inheritance_chain():
            for default in holder.own("default-server"):
                options |= set(default.words[1:])
        if "resolvers" in options:
            continue
        yield ctx.finding(
            cause=f"`{server.host}` is resolved once when HAProxy starts, so a re-created container/Service "
            "leaves this server on a dead address (and start-up fails while the name is missing).",
            fix="resolvers dns\n"
            "    nameserver dns1 <DNS server IP>:53   # Docker: 127.0.0.11; Kubernetes: kube-dns\n"
            "    hold valid 10s\n"
            f"{server.statement.raw} resolvers dns init-addr last,libc,none",
            evidence=[evidence(server.statement)],
        )
