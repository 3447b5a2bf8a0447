"""Facts gathered by ``opskit diagnose --live`` (the adapter fills them; this module stays pure)."""

from __future__ import annotations

from dataclasses import dataclass

SERVICE_PARENTS = {"systemd", "init", "services.exe", "launchd", "runit", "s6-supervise", "supervisord"}


@dataclass(frozen=True)
class DaemonProcess:
    pid: int
    name: str
    user: str | None  # None: not visible to us (another user's process, no privilege)
    cmdline: tuple[str, ...]
    parent_name: str | None
    parent_pid: int | None

    def flag(self, name: str) -> str | None:
        """Value of ``--name=value`` / ``--name value`` / ``-name value`` on the command line."""
        args = list(self.cmdline[1:])
        for index, arg in enumerate(args):
            bare = arg.lstrip("-")
            if not arg.startswith("-"):
                continue
            if bare.startswith(name + "="):
                return bare.split("=", 1)[1]
            if bare == name and index + 1 < len(args):
                return args[index + 1]
        return None

    @property
    def started_by_service_manager(self) -> bool | None:
        if self.parent_name is None:
            return None
        return self.parent_name.lower() in SERVICE_PARENTS or self.parent_pid == 1


# journalctl's own words around (or instead of) entries: "-- No entries --", "-- Boot 0123… --",
# "No journal files were found.", "Hint: You are currently not seeing messages from other users …".
_JOURNAL_NOTICE = ("-- ", "No journal files", "Hint: ", "Warning: ")


def journal_has_entries(output: str) -> bool:
    """Whether journalctl printed any entry (not only its notices about having none to show)."""
    # An entry starts at the line's start (its stamp); indented lines continue a hint or a message.
    return any(line[:1].strip() and not line.startswith(_JOURNAL_NOTICE) for line in output.splitlines())


def journal_hidden_from_user(output: str) -> bool:
    """journalctl said this user cannot see the system's entries (not root, not in systemd-journal/adm)."""
    return "not seeing messages from other users" in output or "insufficient permissions" in output


@dataclass(frozen=True)
class CliRun:
    command: str  # "tailscale netcheck"
    returncode: int | None
    output: str  # stdout + stderr, as the user would have pasted it
    timed_out: bool = False


@dataclass(frozen=True)
class LiveSnapshot:
    current_user: str
    is_admin: bool
    daemons: tuple[DaemonProcess, ...]
    cli_path: str | None
    cli_missing_reason: str | None
    runs: tuple[CliRun, ...] = ()
    platform: str = "linux"
    journal: CliRun | None = None  # tailscaled's recent journal (systemd machines), read as a pasted log
