"""Which nginx locations proxy a container registry (the ``/v2/`` API of Docker Distribution/Harbor)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from opskit.core.nginx.query import PASS_DIRECTIVES
from opskit.core.nginx.tree import Directive, NginxConfig, Node

_V2_PATH = re.compile(r"^\^?/v2(/|$|\(|\\)")


def _proxies(location: Directive) -> bool:
    return any(d.name in PASS_DIRECTIVES or (d.name == "if" and _proxies(d)) for d in location.children)


def registry_locations(config: NginxConfig) -> Iterator[Node]:
    """``location /v2/`` (any modifier or regex spelling) blocks that proxy somewhere."""
    for node in config.walk():
        directive = node.directive
        if directive.name == "location" and directive.args and config.in_http(node) \
                and _V2_PATH.match(directive.args[-1]) and _proxies(directive):
            yield node
