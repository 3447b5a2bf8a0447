"""Parse ``tailscale debug hostinfo``: tailcfg.Hostinfo as the CLI builds it (cmd/tailscale/cli/debug.go runHostinfo,
``json.MarshalIndent(hi, "", "  ")``): the version, OS and host this node reports to control::

    {
      "IPNVersion": "1.76.1-t0f8e1a5b0-g5d6e1b7a3",
      "OS": "linux",
      "OSVersion": "Debian 12.7 (bookworm); kernel=6.1.0-25-amd64",
      "Distro": "debian", "DistroVersion": "12.7", "Container": true, "Package": "tsapp", "Hostname": "nas",
      "Machine": "x86_64", "GoArch": "amd64", "GoVersion": "go1.23.1", …
    }

(The same object sits inside ``status --json`` peers and the netmap's nodes: only a top-level one is this view.)
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from opskit.core.diagnose.text import SourceLine

# members only Hostinfo has; a document is one with IPNVersion or OS and two more of them
_KEYS = frozenset(
    {"IPNVersion", "FrontendLogID", "BackendLogID", "OS", "OSVersion", "Container", "Env", "Distro", "DistroVersion",
     "DistroCodeName", "App", "Desktop", "Package", "DeviceModel", "Hostname", "ShieldsUp", "Machine", "GoArch",
     "GoArchVar", "GoVersion", "RoutableIPs", "RequestTags", "NoLogsNoSupport", "WireIngress", "AllowsUpdate"}
)  # fmt: skip
_SHORT = re.compile(r"\d+\.\d+\.\d+")


@dataclass(frozen=True)
class HostinfoReport:
    rule_target: ClassVar[str] = "debug-hostinfo"
    version: str | None  # major.minor.patch of IPNVersion
    version_long: str | None
    os: str | None
    os_version: str | None
    distro: str | None
    hostname: str | None
    container: bool | None
    package: str | None
    lines: tuple[SourceLine, ...]

    @property
    def layout(self) -> str:
        return f"tailscale debug hostinfo ({self.os or 'OS not shown'} {self.version or ''})".replace(" )", ")")

    def facts(self) -> dict[str, Any]:
        return {
            "version": self.version,
            "version_long": self.version_long,
            "os": self.os,
            "os_version": self.os_version,
            "distro": self.distro,
            "hostname": self.hostname,
            "container": self.container,
            "package": self.package,
        }


def is_hostinfo_json(document: object) -> bool:
    if not isinstance(document, dict) or not ("IPNVersion" in document or "OS" in document):
        return False
    return len(_KEYS.intersection(document)) >= 3 and len(_KEYS.intersection(document)) * 2 >= len(document)


def parse_hostinfo(lines: Sequence[SourceLine], document: dict[str, Any]) -> HostinfoReport:
    def text(key: str) -> str | None:
        value = document.get(key)
        return value if isinstance(value, str) and value else None

    long = text("IPNVersion")
    short = _SHORT.match(long) if long else None
    container = document.get("Container")
    return HostinfoReport(
        short[0] if short else None,
        long,
        text("OS"),
        text("OSVersion"),
        text("Distro"),
        text("Hostname"),
        container if isinstance(container, bool) else None,
        text("Package"),
        tuple(lines),
    )
