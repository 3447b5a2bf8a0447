"""Which nginx locations proxy a container registry (the ``/v2/`` API of Docker Distribution/Harbor).

A ``location /v2/`` (any spelling) that proxies counts. So does the catch-all ``location /`` of a
server without a ``/v2/`` location when the server or its target is named like a registry
(``registry``, ``harbor``, or a ``hub.``/``registry.``/``cr.`` server name): plain-``registry:2``
setups often proxy everything from ``/``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from opskit.core.nginx.query import PASS_DIRECTIVES, parse_target
from opskit.core.nginx.tree import Directive, NginxConfig, Node

_V2_PATH = re.compile(r"^\^?/v2(/|$|\(|\\)")
_REGISTRY_NAME = re.compile(r"(registry|harbor)", re.I)
_REGISTRY_SERVER_LABELS = frozenset({"registry", "harbor", "hub", "cr", "docker"})


def _pass_directives(location: Directive) -> list[Directive]:
    found: list[Directive] = []
    for d in location.children:
        if d.name in PASS_DIRECTIVES:
            found.append(d)
        elif d.name == "if":
            found.extend(_pass_directives(d))
    return found


def _named_like_container_registry(server: Directive, location: Directive) -> bool:
    names = [n for d in server.all("server_name") for n in d.args]
    if any(n.split(".")[0].lower() in _REGISTRY_SERVER_LABELS or _REGISTRY_NAME.search(n) for n in names):
        return True
    for directive in _pass_directives(location):
        target = parse_target(directive.args[0]) if directive.args else None
        if target and _REGISTRY_NAME.search(target.host):
            return True
    return False


def _has_v2_location(server: Directive) -> bool:
    return any(d.name == "location" and d.args and _V2_PATH.match(d.args[-1]) for d in server.children)


def container_registry_locations(config: NginxConfig) -> Iterator[Node]:
    """Locations that carry registry API traffic (see the module docstring for the heuristic)."""
    return iter(config.memoized("container_registry_locations", lambda: list(_container_registry_locations(config))))


def _container_registry_locations(config: NginxConfig) -> Iterator[Node]:
    for node in config.walk():
        directive = node.directive
        if directive.name != "location" or not directive.args or not config.in_http(node):
            continue
        if not _pass_directives(directive):
            continue
        if _V2_PATH.match(directive.args[-1]):
            yield node
            continue
        server = node.enclosing("server")
        if (
            directive.args == ("/",)
            and server is not None
            and not _has_v2_location(server)
            and _named_like_container_registry(server, directive)
        ):
            yield node
