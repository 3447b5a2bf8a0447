"""Everything linted in one run: nginx configs (one per root file) and one HAProxy config."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from opskit.core.haproxy import HaproxyConfig
from opskit.core.nginx import NginxConfig

Kind = Literal["nginx", "haproxy"]

_HAPROXY_SECTION = re.compile(
    r"^[ \t]*(global|defaults|frontend|backend|listen|resolvers|userlist|peers)"
    r"([ \t]+[^{;\n]*)?$",
    re.M,
)
_NGINX_BLOCK = re.compile(r"^\s*(http|server|location|upstream|events|map|stream)\b[^\n;]*\{", re.M)
_NGINX_STATEMENT = re.compile(r";\s*(#.*)?$", re.M)


def detect_kind(text: str) -> Kind | None:
    """nginx or HAProxy, judged from the syntax (blocks and ``;`` vs. section headers)."""
    haproxy_score = len(_HAPROXY_SECTION.findall(text)) * 3
    nginx_score = len(_NGINX_BLOCK.findall(text)) * 3 + len(_NGINX_STATEMENT.findall(text))
    if haproxy_score == nginx_score == 0:
        return None
    return "haproxy" if haproxy_score > nginx_score else "nginx"


@dataclass(frozen=True)
class Workspace:
    """The parsed inputs of one lint run; ``texts`` holds every file read (for suppressions)."""

    nginx: tuple[NginxConfig, ...] = ()
    haproxy: HaproxyConfig | None = None
    texts: dict[str, str] = field(default_factory=dict)
