"""Questions rules ask about an nginx tree: targets of ``*_pass``, variables, resolvers, upstreams."""

from __future__ import annotations

import ipaddress
import posixpath
import re
from collections.abc import Iterator
from dataclasses import dataclass
from enum import Enum

from opskit.core.findings import Evidence
from opskit.core.nginx.tree import Directive, NginxConfig, Node, block_index

PASS_DIRECTIVES = frozenset({"proxy_pass", "grpc_pass", "fastcgi_pass", "uwsgi_pass", "scgi_pass", "memcached_pass"})
_DEFAULT_PORTS = {"http": 80, "https": 443, "grpc": 80, "grpcs": 443}
# Variables that carry a path: where they start the URI starts, even without a literal "/".
_URI_VARIABLES = ("$request_uri", "$uri", "$document_uri", "$is_args", "$args", "$query_string")
_VARIABLE = re.compile(r"\$(\{(\w+)\}|(\w+))")


def evidence(config: NginxConfig, directive: Directive) -> Evidence:
    """The directive's line as evidence (the real line of the file the user edits)."""
    return Evidence(
        directive.file, directive.line, config.line_text(directive.file, directive.line) or directive.text()
    )


@dataclass(frozen=True)
class Target:
    """The pieces of a ``proxy_pass``-style address. ``uri`` is None when no path part was written."""

    raw: str
    scheme: str | None
    host: str
    port: int | None
    uri: str | None

    @property
    def effective_port(self) -> int | None:
        return self.port if self.port is not None else _DEFAULT_PORTS.get(self.scheme or "http")

    @property
    def has_variable_host(self) -> bool:
        return "$" in self.host or self.host == ""

    @property
    def host_port(self) -> str:
        return f"{self.host}:{self.port}" if self.port is not None else self.host


def parse_target(raw: str) -> Target | None:
    """Split ``http://host:port/uri`` (scheme optional, as for fastcgi_pass); None for unix sockets."""
    rest = raw
    scheme = None
    if "://" in rest:
        scheme, rest = rest.split("://", 1)
        scheme = scheme.lower()
    if rest.startswith("unix:"):
        return None
    authority, uri = rest, None
    cut = len(rest)
    slash = rest.find("/")
    if slash != -1:
        cut = slash
    for variable in _URI_VARIABLES:
        position = rest.find(variable)
        if position != -1 and position < cut:
            cut = position
    if cut < len(rest):
        authority, uri = rest[:cut], rest[cut:]
    host, port = authority, None
    if authority.startswith("["):
        closing = authority.find("]")
        host = authority[1:closing]
        tail = authority[closing + 1 :]
        port = int(tail[1:]) if tail.startswith(":") and tail[1:].isdigit() else None
    elif authority.count(":") == 1:
        name, _, port_text = authority.partition(":")
        if port_text.isdigit():
            host, port = name, int(port_text)
    return Target(raw=raw, scheme=scheme, host=host, port=port, uri=uri)


class HostKind(Enum):
    VARIABLE = "variable"
    IP = "ip"
    LOCALHOST = "localhost"
    K8S_FQDN = "kubernetes service FQDN"  # name.ns.svc.cluster.local (or another cluster domain)
    K8S_SVC = "kubernetes service name ending in .svc"
    NAME_NAMESPACE = "kubernetes service.namespace name"
    SHORT = "single-label service name (Kubernetes Service or Docker/Compose service)"
    PUBLIC = "public DNS name"


_COMMON_TLDS = frozenset(
    [
        "com",
        "net",
        "org",
        "io",
        "dev",
        "app",
        "co",
        "info",
        "biz",
        "me",
        "tech",
        "cloud",
        "ai",
        "xyz",
        "site",
        "online",
        "pro",
        "name",
        "mobi",
        "asia",
        "tv",
        "cc",
        "ws",
        "gov",
        "edu",
        "mil",
        "int",
        "arpa",
        "example",
        "test",
        "invalid",
    ]
)


def classify_host(host: str) -> HostKind:
    """What kind of name a target host is; drives which DNS rules apply."""
    name = host.lower().rstrip(".")
    if "$" in name or not name:
        return HostKind.VARIABLE
    if name[0].isdigit() or ":" in name:  # only then can it be an address literal
        try:
            ipaddress.ip_address(name)
            return HostKind.IP
        except ValueError:
            pass
    if name == "localhost" or name.endswith(".localhost"):
        return HostKind.LOCALHOST
    labels = name.split(".")
    if name.endswith(".cluster.local") or (len(labels) >= 4 and labels[2] == "svc"):
        return HostKind.K8S_FQDN
    if labels[-1] == "svc":
        return HostKind.K8S_SVC
    if len(labels) == 1:
        return HostKind.SHORT
    if len(labels) == 2 and labels[-1] not in _COMMON_TLDS and len(labels[-1]) != 2:
        return HostKind.NAME_NAMESPACE
    return HostKind.PUBLIC


SERVICE_KINDS = frozenset({HostKind.K8S_FQDN, HostKind.K8S_SVC, HostKind.NAME_NAMESPACE, HostKind.SHORT})
KUBERNETES_KINDS = frozenset({HostKind.K8S_FQDN, HostKind.K8S_SVC, HostKind.NAME_NAMESPACE})
# Names nginx's resolver cannot find, because it does not apply resolv.conf search domains.
NEEDS_SEARCH_DOMAIN = frozenset({HostKind.K8S_SVC, HostKind.NAME_NAMESPACE, HostKind.SHORT})


def fqdn_hint(host: str) -> str:
    """The FQDN to suggest for a Service name (namespace placeholder when it is not written)."""
    kind = classify_host(host)
    labels = host.rstrip(".").split(".")
    if kind == HostKind.SHORT:
        return f"{host}.<namespace>.svc.cluster.local"
    if kind == HostKind.NAME_NAMESPACE:
        return f"{host}.svc.cluster.local"
    if kind == HostKind.K8S_SVC:
        return f"{'.'.join(labels)}.cluster.local"
    return host


def has_unresolved_include(node: Node, *topics: str) -> bool:
    """True when an ``include`` that matched no file, named after one of ``topics``, is in scope.

    What a missing file sets is unknown; its name is the best hint (``resolver.conf``,
    ``proxy.conf``): a rule skips its finding only when the name suggests the file covers it, so
    ``options-ssl-nginx.conf`` does not hide a missing ``proxy_request_buffering off``.
    """
    for block in node.scopes():
        for include in block_index(block).get("include", ()):
            name = posixpath.basename(include.args[0]).lower() if include.args else ""
            if any(topic in name for topic in topics):
                return True
    return False


def scoped(node: Node, name: str, include_if: bool = False) -> Directive | None:
    """The directive ``name`` that applies at ``node``: its own block, then enclosing blocks."""
    blocks = node.scopes() if not include_if else _scopes_with_if(node)
    for block in blocks:
        found = block_index(block).get(name)
        if found:
            return found[-1]
    return None


def _scopes_with_if(node: Node) -> list[tuple[Directive, ...]]:
    blocks = [node.directive.block] if node.directive.block is not None else []
    return [*blocks, *(p.children for p in reversed(node.parents)), node.root]


def variable_value(node: Node, variable: str) -> str | None:
    """The value of ``set $variable …`` visible at ``node`` (nearest block first), if literal."""
    for block in _scopes_with_if(node):
        for directive in reversed(block_index(block).get("set", ())):
            if len(directive.args) >= 2 and directive.args[0] == f"${variable}":
                return directive.args[1]
    return None


def expand(node: Node, text: str, depth: int = 0) -> str:
    """Substitute ``set`` variables visible at ``node``; unknown variables stay as they are."""
    if "$" not in text or depth > 4:
        return text

    def substitute(match: re.Match[str]) -> str:
        name = match.group(2) or match.group(3)
        value = variable_value(node, name)
        return expand(node, value, depth + 1) if value is not None else match.group(0)

    return _VARIABLE.sub(substitute, text)


def map_defines(config: NginxConfig, variable: str) -> bool:
    """True when a ``map``/``geo``/``split_clients`` block defines ``$variable``."""
    defined = config.memoized(
        "map_variables",
        lambda: {
            node.directive.args[-1]
            for node in config.walk()
            if node.directive.name in ("map", "geo", "split_clients") and node.directive.args
        },
    )
    return f"${variable}" in defined


def http_root(config: NginxConfig, node: Node) -> tuple[Directive, ...] | None:
    """The directive list of the ``http{}`` this node belongs to (a snippet counts as one)."""
    if config.top_context[:1] == ("http",):
        return config.directives
    for parent in node.parents:
        if parent.name == "http":
            return parent.children
    return None


def upstream_blocks(config: NginxConfig) -> dict[str, tuple[Directive, Node]]:
    """Explicit ``upstream`` blocks by lower-cased name."""
    return config.memoized(
        "upstreams",
        lambda: {
            node.directive.args[0].lower(): (node.directive, node)
            for node in config.walk()
            if node.directive.name == "upstream" and node.directive.args and config.in_http(node)
        },
    )


@dataclass(frozen=True)
class PassSite:
    """A ``*_pass`` directive in HTTP context with its target as written and after ``set`` expansion."""

    node: Node
    written: Target
    expanded: Target
    variable: bool  # the URL has a variable: evaluated per request (nginx may then use the resolver)

    @property
    def directive(self) -> Directive:
        return self.node.directive


def pass_sites(config: NginxConfig) -> Iterator[PassSite]:
    """Every ``proxy_pass``/``grpc_pass``/… in HTTP context that names a network target."""
    return iter(config.memoized("pass_sites", lambda: list(_pass_sites(config))))


def _pass_sites(config: NginxConfig) -> Iterator[PassSite]:
    for node in config.walk():
        directive = node.directive
        if directive.name not in PASS_DIRECTIVES or not directive.args or not config.in_http(node):
            continue
        written = parse_target(directive.args[0])
        if written is None:
            continue
        expanded = parse_target(expand(node, directive.args[0])) or written
        # Any variable makes nginx evaluate the URL per request (and ask the resolver), even one that
        # only sits in the URI part: `proxy_pass http://svc.ns.svc.cluster.local$request_uri;`.
        variable = "$" in directive.args[0]
        yield PassSite(node, written, expanded, variable)


def unix_socket_passes(config: NginxConfig) -> Iterator[Node]:
    """``*_pass`` directives in HTTP context that send to a unix socket (no DNS: not in pass_sites)."""
    for node in config.walk():
        directive = node.directive
        if (
            directive.name in PASS_DIRECTIVES
            and directive.args
            and config.in_http(node)
            and parse_target(directive.args[0]) is None
        ):
            yield node


def upstream_of(config: NginxConfig, site: PassSite) -> Directive | None:
    """The ``upstream`` block this pass sends to, if any.

    A literal name picks the block; a variable one too when no port is written: nginx compares a
    resolved URL with explicit groups by name and requires "no port" (explicit groups have port 0).
    """
    found = upstream_blocks(config).get(site.expanded.host.lower())
    if found is None or (site.variable and site.expanded.port is not None):
        return None
    return found[0]


def _implicit_groups(config: NginxConfig) -> dict[tuple[int, str, int | None], Directive]:
    """(http{} id, host, port) → the first literal pass that creates that implicit server group.

    Every literal ``proxy_pass http://host:port`` (or fastcgi_pass, grpc_pass …: one list in nginx)
    creates a group; one that names an ``upstream`` block uses that block instead of creating one.
    """
    return config.memoized("implicit_groups", lambda: _collect_implicit_groups(config))


def _collect_implicit_groups(config: NginxConfig) -> dict[tuple[int, str, int | None], Directive]:
    upstreams = upstream_blocks(config)
    groups: dict[tuple[int, str, int | None], Directive] = {}
    for site in pass_sites(config):
        host = site.written.host.lower()
        if site.variable or host in upstreams:
            continue
        groups.setdefault((id(http_root(config, site.node)), host, site.written.effective_port), site.directive)
    return groups


@dataclass(frozen=True)
class Shadow:
    """The static server group a variable pass uses instead of asking the resolver."""

    group: Directive  # the literal pass that created the group, or the upstream block
    kind: str  # "a literal proxy_pass" or "an upstream block"


def shadowing_group(config: NginxConfig, site: PassSite) -> Shadow | None:
    """The group that shadows a variable ``*_pass``: nginx searches existing groups first, so a match
    by host and port means the start-up address is used and the resolver is never asked."""
    target = site.expanded
    if not site.variable or "$" in target.host or not target.host:
        return None
    literal = _implicit_groups(config).get(
        (id(http_root(config, site.node)), target.host.lower(), target.effective_port)
    )
    if literal is not None:
        return Shadow(literal, "a literal proxy_pass")
    # An upstream named in the written host is intentional (`http://pool$request_uri`); only a
    # host computed from a variable can be shadowed by an explicit upstream block by accident.
    if target.port is None and site.written.has_variable_host:
        upstream = upstream_blocks(config).get(target.host.lower())
        if upstream is not None:
            return Shadow(upstream[0], "an upstream block")
    return None


def map_may_name_upstream(config: NginxConfig, host: str) -> bool:
    """True when a variable in ``host`` comes from a ``map``/``geo``/``split_clients``: its values may
    be upstream names (no resolver needed), which the config alone cannot tell."""
    variables = [part.strip("{}") for part in host.split("$")[1:]]
    return any(map_defines(config, v.split(".")[0].split(":")[0]) for v in variables)


def resolver_addresses(resolver: Directive) -> list[str]:
    """The name servers of a ``resolver`` line (parameters like ``valid=`` removed, ports stripped)."""
    addresses = []
    for arg in resolver.args:
        if "=" in arg:
            continue
        if arg.startswith("["):
            addresses.append(arg[1 : arg.find("]")])
        elif arg.count(":") == 1:
            addresses.append(arg.split(":", 1)[0])
        else:
            addresses.append(arg)
    return addresses


def resolver_parameter(resolver: Directive, name: str) -> str | None:
    """The value of ``name=`` on a ``resolver`` line."""
    prefix = f"{name}="
    return next((a[len(prefix) :] for a in resolver.args if a.startswith(prefix)), None)


_NGINX_TIME = re.compile(r"^(\d+)(ms|s|m|h|d|w|M|y)?$")
_SECONDS = {
    "ms": 0.001,
    "s": 1,
    "m": 60,
    "h": 3600,
    "d": 86400,
    "w": 604800,
    "M": 2_592_000,
    "y": 31_536_000,
    None: 1,
}


def parse_time_s(text: str) -> float | None:
    """nginx time (``5s``, ``1m``, bare seconds; compound ``1m30s`` too) in seconds."""
    total = 0.0
    parts = re.findall(r"(\d+)(ms|s|m|h|d|w|M|y)?", text)
    if not parts or "".join(n + u for n, u in parts) != text:
        return None
    for number, unit in parts:
        total += int(number) * _SECONDS[unit or None]
    return total


def parse_size(text: str) -> int | None:
    """nginx size (``1m``, ``512k``, ``2g``, bytes) in bytes."""
    match = re.match(r"^(\d+)([kKmMgG]?)$", text)
    if not match:
        return None
    factor = {"": 1, "k": 1024, "m": 1024**2, "g": 1024**3}[match.group(2).lower()]
    return int(match.group(1)) * factor


@dataclass(frozen=True)
class Listen:
    """One ``listen`` line: address (None = all), port, and its flags."""

    directive: Directive
    address: str | None
    port: int
    ssl: bool
    proxy_protocol: bool


def parse_listen(directive: Directive) -> Listen | None:
    """Address and port of ``listen``; None for unix sockets."""
    if not directive.args or directive.args[0].startswith("unix:"):
        return None
    spec = directive.args[0]
    address: str | None
    port = 80
    if spec.startswith("["):
        closing = spec.find("]")
        address = spec[1:closing]
        tail = spec[closing + 1 :]
        port = int(tail[1:]) if tail.startswith(":") and tail[1:].isdigit() else 80
    elif spec.isdigit():
        address, port = None, int(spec)
    elif ":" in spec:
        address, _, port_text = spec.rpartition(":")
        port = int(port_text) if port_text.isdigit() else 80
    else:
        address = spec
    if address in ("*", "0.0.0.0", "::"):
        address = None
    flags = set(directive.args[1:])
    return Listen(directive, address, port, "ssl" in flags or "quic" in flags, "proxy_protocol" in flags)


def server_listens(server: Directive) -> list[Listen]:
    """The server's listen lines (nginx's implicit ``listen 80`` when there is none)."""
    found = [listen for d in server.all("listen") if (listen := parse_listen(d)) is not None]
    if not server.all("listen"):
        found.append(Listen(server, None, 80, False, False))
    return found


def header_value(block: tuple[Directive, ...], header: str) -> Directive | None:
    """The ``proxy_set_header <header> …`` in this block (case-insensitive header name)."""
    found = [
        d for d in block_index(block).get("proxy_set_header", ()) if d.args and d.args[0].lower() == header.lower()
    ]
    return found[-1] if found else None


def effective_header(node: Node, header: str) -> Directive | None:
    """``proxy_set_header`` inheritance: a block with ANY proxy_set_header inherits none from above."""
    for block in node.scopes():
        if "proxy_set_header" in block_index(block):
            return header_value(block, header)
    return None
