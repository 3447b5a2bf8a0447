"""Which nginx proxy targets follow DNS and which keep the address they got at start-up.

A small reader over the shared nginx lexer (``opskit.core.nginx.lexer``; text in, no file access:
includes come through a loader). It builds only the directive tree this check needs.

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

import ipaddress
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any

from opskit.core.nginx.lexer import tokenize
from opskit.errors import InputError

# (pattern as written, including file) -> [(path, text)]: the adapter globs and reads.
IncludeLoader = Callable[[str, str], list[tuple[str, str]]]
PASS_DIRECTIVES = ("proxy_pass", "grpc_pass")


@dataclass
class Directive:
    name: str
    args: list[str]
    file: str
    line: int
    block: list[Directive] | None = None


def parse_config(text: str, file: str, load_include: IncludeLoader | None = None, depth: int = 0) -> list[Directive]:
    """Parse nginx config text into directives (with ``include`` expanded through the loader).

    Tokens come from the shared nginx lexer (crossplane's lexing rules, comments dropped, an
    unterminated quote is an InputError); braces are balanced here.
    """
    if depth > 20:
        raise InputError.at(file, None, "include", "includes nest deeper than 20 levels (a loop?)")
    tokens = list(tokenize(text, file))
    position = 0

    def block(nested: bool) -> list[Directive]:
        nonlocal position
        directives: list[Directive] = []
        while position < len(tokens):
            token, line, quoted = tokens[position]
            position += 1
            if token == "}" and not quoted:
                if nested:
                    return directives
                raise InputError.at(file, line, None, 'unexpected "}"')
            args: list[str] = []
            while position < len(tokens):
                value, _, value_quoted = tokens[position]
                position += 1
                if not value_quoted and value in (";", "{"):
                    directive = Directive(token, args, file, line)
                    if value == "{":
                        directive.block = block(nested=True)
                    directives.append(directive)
                    break
                if not value_quoted and value == "}":
                    raise InputError.at(file, line, token, 'unexpected "}"')
                args.append(value)
            else:
                raise InputError.at(file, line, token, 'unexpected end of file, expecting ";" or "}"')
            if directives and directives[-1].name == "include" and load_include is not None:
                include = directives.pop()
                for path, included in load_include(include.args[0] if include.args else "", file):
                    directives.extend(parse_config(included, path, load_include, depth + 1))
        if nested:
            last_line = tokens[-1][1] if tokens else 1
            raise InputError.at(file, last_line, None, 'unexpected end of file, expecting "}"')
        return directives

    return block(nested=False)


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


@dataclass
class _Scope:
    resolver: ResolverDirective | None = None
    variables: dict[str, str] = field(default_factory=dict)
    where: str = ""


_URL = re.compile(r"^(?P<scheme>[a-z]+)://(?P<rest>.*)$")
_VARIABLE = re.compile(r"\$(\{\w+\}|\w+)")


def _resolver_of(directive: Directive) -> ResolverDirective:
    addresses = tuple(a for a in directive.args if "=" not in a)
    options = dict(a.split("=", 1) for a in directive.args if "=" in a)
    return ResolverDirective(
        addresses, options.get("valid"), options.get("ipv6", "on") != "off", directive.file, directive.line
    )


def _split_host_port(authority: str) -> tuple[str, int | None]:
    if authority.startswith("["):
        host, _, rest = authority[1:].partition("]")
        return host, int(rest[1:]) if rest.startswith(":") and rest[1:].isdigit() else None
    host, sep, port = authority.rpartition(":")
    if sep and port.isdigit():
        return host, int(port)
    return authority, None


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
        return True
    except ValueError:
        return False


def _substitute(text: str, variables: dict[str, str]) -> str:
    return _VARIABLE.sub(lambda m: variables.get(m.group(1).strip("{}"), m.group(0)), text)


@dataclass
class _Pass:
    directive: Directive
    scope: _Scope
    has_variables: bool
    scheme: str
    host: str
    port: int | None


def _walk(
    directives: list[Directive],
    scope: _Scope,
    passes: list[_Pass],
    upstreams: dict[str, Directive],
    http_resolver: list[ResolverDirective | None],
) -> None:
    local = _Scope(scope.resolver, dict(scope.variables), scope.where)
    for directive in directives:
        if directive.name == "resolver" and directive.args:
            local.resolver = _resolver_of(directive)
        elif directive.name == "set" and len(directive.args) == 2 and not _VARIABLE.search(directive.args[1]):
            local.variables[directive.args[0].lstrip("$")] = directive.args[1]
    if scope.where == "" and local.resolver is not None:
        http_resolver[0] = local.resolver
    for directive in directives:
        if directive.name == "upstream" and directive.args and directive.block is not None:
            upstreams[directive.args[0]] = directive
        elif directive.name in PASS_DIRECTIVES and directive.args:
            url = directive.args[0]
            match = _URL.match(url)
            if match is None:
                continue
            substituted = _substitute(url, local.variables)
            rest = _URL.match(substituted)
            assert rest is not None
            authority = rest["rest"].split("/", 1)[0]
            host, port = _split_host_port(authority)
            passes.append(_Pass(directive, local, bool(_VARIABLE.search(url)), match["scheme"], host, port))
        elif directive.block is not None and directive.name in ("http", "server", "location", "if", "limit_except"):
            where = local.where
            if directive.name == "server":
                listen = next((d.args[0] for d in directive.block if d.name == "listen" and d.args), "80")
                where = f"server {listen}"
            elif directive.name == "location":
                where = f"{local.where} location {' '.join(directive.args)}".strip()
            _walk(
                directive.block,
                _Scope(local.resolver, dict(local.variables), where if directive.name != "http" else ""),
                passes,
                upstreams,
                http_resolver,
            )


def _default_port(scheme: str) -> int:
    return {"https": 443, "grpcs": 443, "grpc": 80}.get(scheme, 80)


def proxy_targets(directives: list[Directive]) -> list[ProxyTarget]:
    """Every proxy target in the config, classified by how its address is found."""
    passes: list[_Pass] = []
    upstreams: dict[str, Directive] = {}
    http_resolver: list[ResolverDirective | None] = [None]
    _walk(directives, _Scope(), passes, upstreams, http_resolver)
    # Implicit server groups: every literal proxy_pass host:port that is not an upstream block.
    implicit: dict[tuple[str, int], Directive] = {}
    for item in passes:
        if not item.has_variables and item.host not in upstreams:
            implicit.setdefault((item.host.lower(), item.port or _default_port(item.scheme)), item.directive)
    targets: list[ProxyTarget] = []
    for item in passes:
        targets.extend(_classify(item, upstreams, implicit, http_resolver[0]))
    return targets


def _line(directive: Directive) -> str:
    return f"{directive.name} {' '.join(directive.args)};"


def _classify(
    item: _Pass,
    upstreams: dict[str, Directive],
    implicit: dict[tuple[str, int], Directive],
    http_resolver: ResolverDirective | None,
) -> Iterator[ProxyTarget]:
    d = item.directive
    resolver = item.scope.resolver
    template = ProxyTarget(
        d.file, d.line, item.scope.where or "http", _line(d), item.host, item.port, Behaviour.STALE, "", resolver
    )

    def target(behaviour: Behaviour, explanation: str, **changes: Any) -> ProxyTarget:
        return replace(template, behaviour=behaviour, explanation=explanation, **changes)

    if item.host.startswith("unix:"):
        yield target(Behaviour.UNIX_SOCKET, "a unix socket: no DNS involved")
    elif item.has_variables and _VARIABLE.search(item.host):
        if resolver is None:
            yield target(
                Behaviour.NO_RESOLVER,
                "the host comes from a request variable and no `resolver` is in scope: nginx answers 502 "
                "(`no resolver defined to resolve …`) unless it names an upstream",
            )
        else:
            yield target(
                Behaviour.REQUEST_DEPENDENT,
                f"the host comes from a request variable: resolved per request through `resolver {resolver.text}`",
            )
    elif item.host in upstreams and (not item.has_variables or item.port is None):
        yield from _classify_upstream(item, upstreams[item.host], template, http_resolver)
    elif _is_ip(item.host):
        yield target(Behaviour.IP_ADDRESS, "a literal address: no DNS involved")
    elif not item.has_variables:
        yield target(
            Behaviour.STALE,
            "a literal name is resolved once when nginx loads its configuration (system resolver; `resolver` is "
            "not used for it): when the name's address changes, nginx keeps sending to the old one until it is "
            "reloaded. Put the name in a variable (`set $backend name; proxy_pass http://$backend:port;`) with a "
            "`resolver … valid=5s`",
        )
    elif (static := implicit.get((item.host.lower(), item.port or _default_port(item.scheme)))) is not None:
        yield target(
            Behaviour.SHADOWED,
            f"a literal `{_line(static)}` at {static.file}:{static.line} creates a static server group for the "
            "same host:port, and a variable proxy_pass uses an existing group before asking the resolver: this "
            "target never re-resolves. Make every proxy_pass to this name use the variable form",
            shadowed_by=(static.file, static.line),
        )
    elif resolver is None:
        yield target(
            Behaviour.NO_RESOLVER,
            "a variable target needs a `resolver` in scope: without one nginx answers 502 and logs "
            "`no resolver defined to resolve …`",
        )
    elif "." not in item.host.rstrip("."):
        yield target(
            Behaviour.SHORT_NAME,
            "nginx's resolver ignores resolv.conf search domains: a short name is never found "
            "(`could not be resolved`). Write the FQDN (<svc>.<ns>.svc.cluster.local)",
        )
    else:
        yield target(
            Behaviour.FOLLOWS_DNS,
            f"resolved per request through `resolver {resolver.text}`"
            + ("" if resolver.valid else " (answers cached for their TTL)"),
        )


def _classify_upstream(
    item: _Pass, upstream: Directive, template: ProxyTarget, http_resolver: ResolverDirective | None
) -> Iterator[ProxyTarget]:
    assert upstream.block is not None
    name = upstream.args[0]
    has_zone = any(d.name == "zone" for d in upstream.block)
    upstream_resolver = next((_resolver_of(d) for d in upstream.block if d.name == "resolver" and d.args), None)
    dynamic = any(d.name == "dynamic_resolve" for d in upstream.block)
    for server in (d for d in upstream.block if d.name == "server" and d.args):
        host, port = _split_host_port(server.args[0])
        # Point at the `server` line: that is what to change; `where` still names the location using it.
        each = replace(
            template,
            file=server.file,
            line=server.line,
            directive=_line(server),
            host=host,
            port=port,
            via_upstream=name,
        )

        def target(behaviour: Behaviour, explanation: str, each: ProxyTarget = each, **changes: Any) -> ProxyTarget:
            return replace(each, behaviour=behaviour, explanation=f"upstream {name}: {explanation}", **changes)

        if host.startswith("unix:"):
            yield target(Behaviour.UNIX_SOCKET, "a unix socket: no DNS involved")
        elif _is_ip(host):
            yield target(Behaviour.IP_ADDRESS, "a literal address")
        elif "resolve" in server.args[1:]:
            resolver = upstream_resolver or http_resolver
            if has_zone and resolver is not None:
                yield target(
                    Behaviour.FOLLOWS_DNS,
                    f"`server … resolve` with a zone re-resolves through `resolver {resolver.text}` "
                    "(nginx >= 1.27.3; older versions reject `resolve`)",
                    resolver=resolver,
                )
            else:
                missing = "a `zone`" if not has_zone else "a `resolver` in http{} or the upstream"
                yield target(
                    Behaviour.NO_RESOLVER, f"`server … resolve` needs {missing}; nginx refuses to start without it"
                )
        elif dynamic:
            if item.scope.resolver is not None:
                yield target(
                    Behaviour.FOLLOWS_DNS,
                    f"Tengine dynamic_resolve re-resolves through `resolver {item.scope.resolver.text}` "
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
