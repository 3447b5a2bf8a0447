"""Parse ``tailscale version``: the CLI's version, the daemon's (``--daemon``), the latest release (``--upstream``).

The text (cmd/tailscale/cli/version.go runVersion; version/print.go String) has not changed shape since v1.10::

    1.76.1                                   (v1.0-v1.8: the long version alone, "1.6.0-t0a4ba3b4c-g9f4b2c8b4")
      track: unstable (dev); frequent updates and bugs are likely      (v1.40+, odd minor versions)
      tailscale commit: 0f8e1a5b…[-dirty]
      long version: 1.90.6-t0f8e1a5b0-g5d6e1b7a3                     (v1.86+)
      other commit: 5d6e1b7a…
      go version: go1.23.1 [(tailscale/go 1d0c2d6b1b)]
      upstream: 1.78.1                                                (--upstream, v1.76+)

Under ``--daemon`` the first line reads ``Client: 1.76.1`` and a ``Daemon: <the daemon's long version>`` line
follows (``Upstream: …`` with ``--upstream``). ``--json`` (v1.58+) prints version.Meta (``majorMinorPatch``,
``short``, ``long``, ``gitCommit``, ``daemonLong``, ``cap``, …), tab-indented.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from opskit.core.diagnose.lazyre import lazy_compile
from opskit.core.diagnose.text import SourceLine, typed_tailscale_command

_FIRST = lazy_compile(r"^(?P<client>Client: )?(?P<version>\d+\.\d+\.\d+)(?P<suffix>-[\w.-]+)?$")
_FIELD = lazy_compile(
    r"^(?P<key>track|tailscale commit|long version|other commit|go version|upstream): (?P<value>\S.*)$"
)
_DAEMON = lazy_compile(r"^(?P<key>Daemon|Upstream): (?P<version>\d+\.\d+\.\d+)(?:-[\w.-]+)?$")
_SHORT = lazy_compile(r"\d+\.\d+\.\d+")
_COMMAND = typed_tailscale_command(r"(?:version\b|--?version\b|-V\b)")
# tailscaled's own -version flag prints the same text: there the version is the daemon's
_DAEMON_COMMAND = lazy_compile(r"\btailscaled(?:\.exe)?\s+(?:-\S+\s+)*--?version\b")
_MAX_LINES = 12


@dataclass(frozen=True)
class VersionReport:
    """One pasted ``tailscale version``. None where the paste does not show the fact."""

    rule_target: ClassVar[str] = "version"
    client: str | None  # major.minor.patch of the CLI
    client_long: str | None  # as printed (with -t<commit>-g<commit> or -dev suffixes)
    daemon: str | None  # major.minor.patch of tailscaled (--daemon)
    daemon_long: str | None
    upstream: str | None  # the latest release on the track (--upstream)
    go: str | None  # the Go version it was built with
    unstable: bool
    lines: tuple[SourceLine, ...]

    @property
    def layout(self) -> str:
        shown = [f"client {self.client}" if self.client else "", f"daemon {self.daemon}" if self.daemon else ""]
        return f"tailscale version ({', '.join(part for part in shown if part) or 'version not shown'})"

    @property
    def mismatch(self) -> bool:
        """The CLI and tailscaled run different releases (major.minor.patch; the CLI warns when they differ)."""
        return self.client is not None and self.daemon is not None and self.client != self.daemon

    def facts(self) -> dict[str, Any]:
        return {
            "client": self.client,
            "client_long": self.client_long,
            "daemon": self.daemon,
            "daemon_long": self.daemon_long,
            "upstream": self.upstream,
            "go": self.go,
            "unstable": self.unstable,
        }


def is_version_command(command: str | None) -> bool:
    return command is not None and (_COMMAND.search(command) is not None or _DAEMON_COMMAND.search(command) is not None)


def version_extent(lines: Sequence[SourceLine], start: int, command: str | None) -> int | None:
    """The index of the last line of a ``tailscale version`` answer starting at ``lines[start]``, or None.

    Without its command it must show one of its fields under the version line (a bare "1.2.3" is no view)."""
    first = _FIRST.match(lines[start].text)
    if first is None:
        return None
    end = start
    fields = 0
    for index in range(start + 1, min(len(lines), start + _MAX_LINES)):
        line = lines[index]
        if line.command is not None:
            break
        text = line.text
        if not text:
            continue
        if _FIELD.match(text) is None and _DAEMON.match(text) is None:
            break
        fields += 1
        end = index
    if fields == 0 and not is_version_command(command):
        return None
    return end


def parse_version(lines: Sequence[SourceLine], command: str | None = None) -> VersionReport:
    """The versions shown; under `tailscaled --version` the one printed is the daemon's."""
    client = client_long = daemon = daemon_long = upstream = go = None
    unstable = False
    for line in lines:
        text = line.text
        if (match := _FIRST.match(text)) is not None and client is None:
            client, client_long = match["version"], text.removeprefix("Client: ")
        elif (match := _DAEMON.match(text)) is not None:
            if match["key"] == "Daemon":
                daemon, daemon_long = match["version"], text.removeprefix("Daemon: ")
            else:
                upstream = match["version"]
        elif (match := _FIELD.match(text)) is not None:
            key, value = match["key"], match["value"].strip()
            if key == "track":
                unstable = value.startswith("unstable")
            elif key == "go version":
                go = value.split(" ", 1)[0]
            elif key == "upstream":
                upstream = value
    if client is not None and not unstable:
        unstable = int(client.split(".")[1]) % 2 == 1  # odd minors are the unstable track (its line since v1.40)
    if command is not None and daemon is None and _DAEMON_COMMAND.search(command) is not None:
        client, client_long, daemon, daemon_long = None, None, client, client_long
    return VersionReport(client, client_long, daemon, daemon_long, upstream, go, unstable, tuple(lines))


def is_version_json(document: object) -> bool:
    """version.Meta as ``tailscale version --json`` prints it."""
    return isinstance(document, dict) and "majorMinorPatch" in document and ("short" in document or "long" in document)


def parse_version_json(lines: Sequence[SourceLine], document: dict[str, Any]) -> VersionReport:
    def text(key: str) -> str | None:
        value = document.get(key)
        return value if isinstance(value, str) and value else None

    client = text("majorMinorPatch")
    daemon_long = text("daemonLong")
    daemon = _SHORT.match(daemon_long) if daemon_long else None
    return VersionReport(
        client,
        text("long") or text("short"),
        daemon[0] if daemon else None,
        daemon_long,
        text("upstream"),
        None,
        bool(document.get("unstableBranch")),
        tuple(lines),
    )
