"""Rules that read tailscaled's own start-up log pasted into a ticket."""

from __future__ import annotations

from collections.abc import Iterator

from opskit.core.diagnose.models import DaemonLogReport
from opskit.core.diagnose.rules.base import RuleContext, rule
from opskit.core.findings import Finding, Severity


@rule("TS-LOG-HAND-STARTED", "daemon-log", Severity.WARNING, "tailscaled was started by hand, not by the service")
def hand_started(log: DaemonLogReport, ctx: RuleContext) -> Iterator[Finding]:
    """Why: a tailscaled run from a shell runs as that user with that shell's environment. On Windows
    it is not LocalSystem: it cannot create the protected named pipe or reach the service's state, and
    the GUI/CLI of other users (or the service, started later) cannot talk to it. On Linux it is usually
    a deliberate debugging or userspace-networking setup, so it is only noted."""
    if log.hand_started is not True:
        return
    version = f" v{log.version}" if log.version else ""
    windows = log.os == "windows"
    yield hand_started.finding(
        f"{ctx.label}: tailscaled{version} was started by hand ({log.why}), not by the "
        + ("Tailscale Windows service: it runs as the current user instead of LocalSystem, so the named pipe, "
           "state directory and LocalAPI owner differ from the service's and other clients cannot reach it."
           if windows else "service manager: it lives only as long as that shell and runs with its flags."),
        "Stop the hand-started tailscaled and start the service instead (Windows: `net start Tailscale` in an "
        "elevated console, or Services → Tailscale → Start); to debug, stop the service first and run the "
        "daemon elevated."
        if windows
        else "If this is not deliberate, stop it and use `systemctl start tailscaled` (flags in "
        "/etc/default/tailscaled).",
        ctx.evidence(log.start_line or log.lines[0]),
        severity=Severity.WARNING if windows else Severity.INFO,
        version=log.version,
        os=log.os,
    )
