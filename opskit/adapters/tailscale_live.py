"""Look at the local machine for ``opskit diagnose --live``: tailscaled processes, the CLI, the journal.

Side effects live here: psutil process inspection and running ``tailscale netcheck`` / ``status`` and
``journalctl -u tailscaled.service``
through :mod:`opskit.adapters.proc` (argv lists, timeouts). The result is a pure
:class:`~opskit.core.diagnose.live.LiveSnapshot`.
"""

from __future__ import annotations

import getpass
import os
import sys
from collections.abc import Callable, Iterable
from typing import TypeVar

from opskit.adapters import proc
from opskit.core.diagnose.live import CliRun, DaemonProcess, LiveSnapshot
from opskit.errors import EnvironmentProblem

DAEMON_NAMES = {"tailscaled", "tailscaled.exe"}
CLI_COMMANDS: tuple[tuple[str, ...], ...] = (("netcheck",), ("status",))
CLI_TIMEOUT_S = 30.0
# The unit's last lines, as `journalctl` prints them for people (ISO stamps: no locale to guess). 2,000
# lines reach back past a restart loop or a night of DERP flaps and stay well under a second to read.
JOURNAL_LINES = 2000
JOURNAL_ARGS = ("-u", "tailscaled.service", "-n", str(JOURNAL_LINES), "--no-pager", "-o", "short-iso")
T = TypeVar("T")
INSTALL_HINT = "Install Tailscale (https://tailscale.com/download) or put its CLI on PATH."


def find_daemons(names: Iterable[str] = DAEMON_NAMES) -> tuple[DaemonProcess, ...]:
    """Every visible process named tailscaled, with user, command line and parent."""
    import psutil

    wanted = {n.lower() for n in names}
    found: list[DaemonProcess] = []
    for process in psutil.process_iter(["pid", "name"]):
        try:
            name = (process.info.get("name") or "").lower()
            if name not in wanted:
                continue
            with process.oneshot():
                user = _safe(process.username)
                cmdline = tuple(_safe(process.cmdline) or ())
                parent = _safe(process.parent)
                parent_name = _safe(parent.name) if parent is not None else None
                parent_pid = parent.pid if parent is not None else None
            found.append(DaemonProcess(process.pid, name, user, cmdline, parent_name, parent_pid))
        except (psutil.NoSuchProcess, psutil.ZombieProcess):
            continue  # exited while we looked
    return tuple(sorted(found, key=lambda d: d.pid))


def _safe(getter: Callable[[], T]) -> T | None:
    """Call a psutil getter; None when another user's process denies it."""
    import psutil

    try:
        return getter()
    except (psutil.AccessDenied, psutil.NoSuchProcess, psutil.ZombieProcess):
        return None


def current_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return str(os.getuid()) if hasattr(os, "getuid") else "unknown"


def is_admin() -> bool:
    if hasattr(os, "geteuid"):
        return os.geteuid() == 0
    try:  # Windows
        import ctypes

        return bool(ctypes.windll.shell32.IsUserAnAdmin())  # type: ignore[attr-defined]
    except (AttributeError, OSError):
        return False


def run_cli(cli: str) -> tuple[CliRun, ...]:
    """Run each diagnostic command once; a failure is recorded, not raised."""
    runs: list[CliRun] = []
    for args in CLI_COMMANDS:
        command = " ".join(("tailscale", *args))
        try:
            done = proc.run([cli, *args], timeout=CLI_TIMEOUT_S)
        except EnvironmentProblem as problem:
            runs.append(CliRun(command, None, problem.describe()))
            continue
        output = "\n".join(x for x in (done.stdout, done.stderr) if x)
        runs.append(CliRun(command, done.returncode, output, done.timed_out))
    return tuple(runs)


def read_journal() -> CliRun | None:
    """tailscaled's recent journal on a systemd machine; None where there is no journalctl.

    Without root (or the systemd-journal group) journalctl shows only the caller's own entries and says
    so in a hint, which is kept: the log then reads as empty, and the hint says why.
    """
    try:
        journalctl = proc.which("journalctl", "")
    except EnvironmentProblem:
        return None
    command = " ".join(("journalctl", *JOURNAL_ARGS))
    done = proc.run([journalctl, *JOURNAL_ARGS], timeout=CLI_TIMEOUT_S)
    output = "\n".join(x for x in (done.stdout, done.stderr) if x)
    return CliRun(command, done.returncode, output, done.timed_out)


def snapshot(run_commands: bool = True) -> LiveSnapshot:
    """Inspect this machine. Runs the tailscale CLI only if it is on PATH and ``run_commands``."""
    cli_path: str | None
    missing: str | None = None
    try:
        cli_path = proc.which("tailscale", INSTALL_HINT)
    except EnvironmentProblem as problem:
        cli_path, missing = None, problem.message
    runs = run_cli(cli_path) if cli_path and run_commands else ()
    return LiveSnapshot(
        current_user=current_user(),
        is_admin=is_admin(),
        daemons=find_daemons(),
        cli_path=cli_path,
        cli_missing_reason=missing,
        runs=runs,
        platform="windows" if sys.platform.startswith("win") else sys.platform,
        journal=read_journal() if run_commands and sys.platform.startswith("linux") else None,
    )
