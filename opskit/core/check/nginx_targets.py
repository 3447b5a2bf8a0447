"""Which nginx proxy targets follow DNS and which keep the address they got at start-up.

Reads the tree of ``opskit.core.nginx`` (the parser ``lint`` uses, includes spliced in) and asks
``opskit.core.nginx.query`` the questions the lint rules ask (pass sites, upstreams, shadowing static
groups, resolver in scope, names nginx's resolver cannot find); only the verdicts (:class:`Behaviour`)
and their explanations are this check's own.

nginx facts (nginx.org docs, verified on 1.22.1, see proxy-facts §3):

- A literal name in ``proxy_pass`` or an ``upstream`` ``server`` is resolved once, at configuration
  load, by the system resolver. ``resolver`` is not used for it: after the Pod moves, nginx keeps
  the old address until it is reloaded.
- A variable in ``proxy_pass`` makes nginx look the name up per request through ``resolver`` (answers
  cached for ``valid=`` or the TTL) — *unless* a server group with that name exists: an ``upstream``
  block of that name, or the implicit group every literal ``proxy_pass http://host:port`` creates
  (host and port must match). Then the variable silently uses the static group.
- No ``resolver`` in scope for a variable target: 502 and ``no resolver defined to resolve``.
- nginx's resolver ignores resolv.conf search domains: a short name is never found.
- ``server NAME resolve`` in an upstream with a ``zone`` re-resolves (nginx >= 1.27.3, open source);
  Tengine's ``dynamic_resolve`` re-resolves through the location's resolver and silently keeps the
  start-up address when there is none.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any

from opskit.core.nginx.query import (
    NEEDS_SEARCH_DOMAIN,
    HostKind,
    PassSite,
    classify_host,
    map_may_name_upstream,
    parse_target,
    pass_sites,
    scoped,
    shadowing_group,
    unix_socket_passes,
    upstream_blocks,
    upstream_of,
)
from opskit.core.nginx.tree import Directive, NginxConfig, Node, block_index


class Behaviour(StrEnum):
    FOLLOWS_DNS = "follows DNS"
    STALE = "resolved once at load"
    SHADOWED = "variable shadowed by a static group"
    NO_RESOLVER = "variable without resolver"
    SHORT_NAME = "short name"
    IP_ADDRESS = "IP address"
    REQUEST_DEPENDENT = "chosen per request"
    UNIX_SOCKET = "unix socket"


@dataclass(frozen=True)
class ResolverDirective:
    addresses: tuple[str, ...]  # as written: IP, IP:PORT, [v6]:PORT or a name
    valid: str | None
    ipv6: bool
    file: str
    line: int

    @property
    def text(self) -> str:
        valid = f" valid={self.valid}" if self.valid else ""
        return " ".join(self.addresses) + valid


@dataclass(frozen=True)
class ProxyTarget:
    """One backend name a proxy_pass leads to, and how nginx finds its address."""

    file: str
    line: int
    where: str  # "server 127.0.0.1:8080 location /api/"
    directive: str  # the proxy_pass line as written
    host: str
    port: int | None
    behaviour: Behaviour
    explanation: str
    resolver: ResolverDirective | None = None
    shadowed_by: tuple[str, int] | None = None  # file, line of the static group that wins
    via_upstream: str | None = None

    @property
    def host_port(self) -> str:
        return self.host if self.port is None else f"{self.host}:{self.port}"


def _resolver_of(directive: Directive | None) -> ResolverDirective | None:
    if directive is None or not directive.args:
        return None
    addresses = tuple(a for a in directive.args if "=" not in a)
    options = dict(a.split("=", 1) for a in directive.args if "=" in a)
    return ResolverDirective(
        addresses, options.get("valid"), options.get("ipv6", "on") != "off", directive.file, directive.line
    )


def _where(node: Node) -> str:
    """``server <first listen> location <args>`` for the blocks around a directive ("http" at top)."""
    parts: list[str] = []
    for parent in node.parents:
        if parent.name == "server":
            listen = next((d.args[0] for d in block_index(parent.children).get("listen", ()) if d.args), "80")
            parts = [f"server {listen}"]
        elif parent.name == "location":
            parts.append(f"location {' '.join(parent.args)}")
    return " ".join(parts) or "http"


def proxy_targets(config: NginxConfig) -> list[ProxyTarget]:
    """Every proxy target in HTTP context (``*_pass`` and the upstream servers they lead to), classified."""
    found = [(site.directive, list(_classify(config, site))) for site in pass_sites(config)]
    sockets = list(unix_socket_passes(config))
    if sockets:
        for node in sockets:
            socket = node.directive.args[0].split("://", 1)[-1]
            target = replace(
                _template(node, socket, None, None),
                behaviour=Behaviour.UNIX_SOCKET,
                explanation="a unix socket: no DNS involved",
            )
            found.append((node.directive, [target]))
        order = {node.directive: index for index, node in enumerate(config.walk())}  # identity-hashed
        found.sort(key=lambda pair: order[pair[0]])  # in the order nginx reads the passes
    return [target for _, targets in found for target in targets]


def _template(node: Node, host: str, port: int | None, resolver: ResolverDirective | None) -> ProxyTarget:
    d = node.directive
    return ProxyTarget(d.file, d.line, _where(node), d.text(), host, port, Behaviour.STALE, "", resolver)


def _classify(config: NginxConfig, site: PassSite) -> Iterator[ProxyTarget]:
    host, port = site.expanded.host, site.expanded.port
    resolver = _resolver_of(scoped(site.node, "resolver"))
    template = _template(site.node, host, port, resolver)

    def target(behaviour: Behaviour, explanation: str, **changes: Any) -> ProxyTarget:
        return replace(template, behaviour=behaviour, explanation=explanation, **changes)

    upstream = upstream_of(config, site)
    shadow = shadowing_group(config, site)
    if site.variable and "$" in host:
        if resolver is None and not map_may_name_upstream(config, host):
            yield target(
                Behaviour.NO_RESOLVER,
                "the host comes from a request variable and no `resolver` is in scope: nginx answers 502 "
                "(`no resolver defined to resolve …`) unless it names an upstream",
            )
        elif resolver is None:
            yield target(
                Behaviour.REQUEST_DEPENDENT,
                "the host comes from a map: its values may name upstreams (no resolver needed); a value that "
                "is a DNS name needs a `resolver` in scope",
            )
        else:
            yield target(
                Behaviour.REQUEST_DEPENDENT,
                f"the host comes from a request variable: resolved per request through `resolver {resolver.text}`",
            )
    elif upstream is not None:
        yield from _classify_upstream(config, site, upstream, template)
    elif classify_host(host) is HostKind.IP:
        yield target(Behaviour.IP_ADDRESS, "a literal address: no DNS involved")
    elif not site.variable:
        yield target(
            Behaviour.STALE,
            "a literal name is resolved once when nginx loads its configuration (system resolver; `resolver` is "
            "not used for it): when the name's address changes, nginx keeps sending to the old one until it is "
            "reloaded. Put the name in a variable (`set $backend name; proxy_pass http://$backend:port;`) with a "
            "`resolver … valid=5s`",
        )
    elif shadow is not None:
        static = shadow.group
        what = "a literal" if static.name != "upstream" else "the upstream block"
        yield target(
            Behaviour.SHADOWED,
            f"{what} `{static.text()}` at {static.file}:{static.line} creates a static server group for "
            "the same host:port, and a variable proxy_pass uses an existing group before asking the resolver: "
            "this target never re-resolves. Make every proxy_pass to this name use the variable form",
            shadowed_by=(static.file, static.line),
        )
    elif resolver is None:
        yield target(
            Behaviour.NO_RESOLVER,
            "a variable target needs a `resolver` in scope: without one nginx answers 502 and logs "
            "`no resolver defined to resolve …`",
        )
    elif classify_host(host) in NEEDS_SEARCH_DOMAIN:
        yield target(Behaviour.SHORT_NAME, _SHORT_NAME)
    else:
        yield target(
            Behaviour.FOLLOWS_DNS,
            f"resolved per request through `resolver {resolver.text}`"
            + ("" if resolver.valid else " (answers cached for their TTL)"),
        )


_SHORT_NAME = (
    "nginx's resolver ignores resolv.conf search domains: a name that is not fully qualified is never found "
    "(`could not be resolved`). Write the FQDN (<svc>.<ns>.svc.cluster.local)"
)


def _classify_upstream(
    config: NginxConfig, site: PassSite, upstream: Directive, template: ProxyTarget
) -> Iterator[ProxyTarget]:
    name = upstream.args[0]
    _block, upstream_node = upstream_blocks(config)[name.lower()]
    has_zone = upstream.first("zone") is not None
    # `server … resolve` uses the upstream's own resolver, else the one of http{}.
    group_resolver = _resolver_of(scoped(upstream_node, "resolver"))
    location_resolver = _resolver_of(scoped(site.node, "resolver"))
    dynamic = upstream.first("dynamic_resolve") is not None
    for server in upstream.all("server"):
        if not server.args:
            continue
        member = parse_target(server.args[0])
        host = member.host if member is not None else server.args[0]
        port = member.port if member is not None else None
        # Point at the `server` line: that is what to change; `where` still names the location using it.
        each = replace(
            template,
            file=server.file,
            line=server.line,
            directive=server.text(),
            host=host,
            port=port,
            via_upstream=name,
        )

        def target(behaviour: Behaviour, explanation: str, each: ProxyTarget = each, **changes: Any) -> ProxyTarget:
            return replace(each, behaviour=behaviour, explanation=f"upstream {name}: {explanation}", **changes)

        if member is None:
            yield target(Behaviour.UNIX_SOCKET, "a unix socket: no DNS involved")
        elif classify_host(host) is HostKind.IP:
            yield target(Behaviour.IP_ADDRESS, "a literal address")
        elif "resolve" in server.args[1:]:
            if has_zone and group_resolver is not None:
                if classify_host(host) in NEEDS_SEARCH_DOMAIN:
                    yield target(Behaviour.SHORT_NAME, _SHORT_NAME, resolver=group_resolver)
                    continue
                yield target(
                    Behaviour.FOLLOWS_DNS,
                    f"`server … resolve` with a zone re-resolves through `resolver {group_resolver.text}` "
                    "(nginx >= 1.27.3; older versions reject `resolve`)",
                    resolver=group_resolver,
                )
            else:
                missing = "a `zone`" if not has_zone else "a `resolver` in http{} or the upstream"
                yield target(
                    Behaviour.NO_RESOLVER, f"`server … resolve` needs {missing}; nginx refuses to start without it"
                )
        elif dynamic:
            if location_resolver is not None and classify_host(host) in NEEDS_SEARCH_DOMAIN:
                yield target(Behaviour.SHORT_NAME, _SHORT_NAME)
            elif location_resolver is not None:
                yield target(
                    Behaviour.FOLLOWS_DNS,
                    f"Tengine dynamic_resolve re-resolves through `resolver {location_resolver.text}` "
                    "(first A record only)",
                )
            else:
                yield target(
                    Behaviour.STALE,
                    "Tengine dynamic_resolve without a `resolver` in the location logs `resolver has not been "
                    "configured!` and silently keeps the start-up address",
                )
        else:
            yield target(
                Behaviour.STALE,
                f"`server {server.args[0]}` is resolved once when nginx loads its configuration; when the address "
                "changes nginx keeps the old one until reloaded (Tengine: `dynamic_resolve`; nginx >= 1.27.3: "
                "`zone` + `server … resolve`)",
            )
