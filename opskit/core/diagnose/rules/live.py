"""Rules over the local machine's tailscaled process (``opskit diagnose --live``)."""

from __future__ import annotations

from collections.abc import Iterator

from opskit.core.diagnose.live import LiveSnapshot
from opskit.core.diagnose.rules.base import RuleContext, rule
from opskit.core.findings import Evidence, Finding, Severity


def _process_evidence(snapshot: LiveSnapshot, ctx: RuleContext) -> tuple[Evidence, ...]:
    return tuple(
        Evidence(
            ctx.source,
            None,
            f"pid {d.pid} user={d.user or '?'} parent={d.parent_name or '?'}: {' '.join(d.cmdline)}",
        )
        for d in snapshot.daemons
    )


@rule("TS-LIVE-NO-DAEMON", "live", Severity.ERROR, "No tailscaled process is running")
def no_daemon(snapshot: LiveSnapshot, ctx: RuleContext) -> Iterator[Finding]:
    """Why: without tailscaled there is no tunnel; every CLI command fails with 'is it running?'."""
    if snapshot.daemons:
        return
    start = (
        "Start-Service Tailscale"
        if snapshot.platform == "windows"
        else "sudo systemctl enable --now tailscaled"
    )
    yield no_daemon.finding(
        "No tailscaled process is visible on this machine: Tailscale is not running (or runs in a container "
        "or namespace this user cannot see).",
        f"Start the service (`{start}`) rather than running tailscaled by hand.",
        (Evidence(ctx.source, None, f"current user {snapshot.current_user}: no process named tailscaled"),),
    )


@rule(
    "TS-LIVE-HAND-STARTED",
    "live",
    Severity.WARNING,
    "tailscaled was started by hand, not by the service manager",
)
def hand_started(snapshot: LiveSnapshot, ctx: RuleContext) -> Iterator[Finding]:
    """Why: a hand-started tailscaled belongs to whoever started it (on Windows that user becomes the
    only LocalAPI client allowed), stops with that session, and may use other state/port than the service."""
    for daemon in snapshot.daemons:
        if daemon.started_by_service_manager is not False:
            continue
        statedir = daemon.flag("statedir")
        state = daemon.flag("state")
        port = daemon.flag("port")
        details = ", ".join(
            x
            for x in (
                f"--statedir={statedir}" if statedir else "",
                f"--state={state}" if state else "",
                f"--port={port}" if port else "no --port (random UDP port unless the default applies)",
            )
            if x
        )
        yield hand_started.finding(
            f"tailscaled pid {daemon.pid} runs as {daemon.user or 'an unknown user'} and was started by "
            f"{daemon.parent_name} (pid {daemon.parent_pid}), not by the service manager ({details}). It "
            "stops with that session, and on Windows its starter becomes the only user the LocalAPI admits.",
            "Stop it and use the packaged service (systemd `tailscaled.service` / the Windows 'Tailscale' "
            "service), which keeps state in the standard place and survives logouts.",
            _process_evidence(snapshot, ctx),
            pid=daemon.pid,
        )


@rule("TS-LIVE-OTHER-USER", "live", Severity.WARNING, "tailscaled runs as another user than the CLI")
def other_user(snapshot: LiveSnapshot, ctx: RuleContext) -> Iterator[Finding]:
    """Why: tailscaled's LocalAPI admits root/LocalSystem, the configured operator (Unix) or the
    current owner (Windows). A CLI running as someone else gets 'Access denied' or '401 Unauthorized'."""
    if snapshot.is_admin:
        return
    for daemon in snapshot.daemons:
        if daemon.user and daemon.user != snapshot.current_user:
            yield other_user.finding(
                f"tailscaled pid {daemon.pid} runs as {daemon.user}; you are {snapshot.current_user} without "
                "admin rights, so LocalAPI calls may be refused.",
                "Use `sudo tailscale …` (Unix; or once `sudo tailscale set --operator=$USER`), or on "
                "Windows run the CLI as the account that owns the Tailscale session.",
                _process_evidence(snapshot, ctx),
                pid=daemon.pid,
            )


@rule("TS-LIVE-CLI-MISSING", "live", Severity.INFO, "The tailscale CLI is not on PATH")
def cli_missing(snapshot: LiveSnapshot, ctx: RuleContext) -> Iterator[Finding]:
    """Why: --live runs `tailscale netcheck` and `tailscale status` itself only when the CLI exists."""
    if snapshot.cli_path is not None:
        return
    yield cli_missing.finding(
        "The `tailscale` CLI was not found on PATH, so `tailscale netcheck` and `tailscale status` were not "
        "run; only the process checks apply.",
        "Install Tailscale (https://tailscale.com/download) or put its CLI on PATH, then rerun "
        "`opskit diagnose --live`; or paste `tailscale netcheck` output into `opskit diagnose -`.",
        (Evidence(ctx.source, None, snapshot.cli_missing_reason or "tailscale: not found"),),
    )


@rule("TS-LIVE-CLI-FAILED", "live", Severity.WARNING, "A tailscale command failed or timed out")
def cli_failed(snapshot: LiveSnapshot, ctx: RuleContext) -> Iterator[Finding]:
    """Why: the CLI's own failure (timeout, non-zero exit with no recognisable output) is evidence too."""
    for run in snapshot.runs:
        if run.timed_out or (run.returncode not in (0, None) and not run.output.strip()):
            yield cli_failed.finding(
                f"`{run.command}` "
                + ("timed out" if run.timed_out else f"exited with status {run.returncode}")
                + " without output opskit could read.",
                "Run it by hand to see the error; a hung tailscaled shows as a timeout here.",
                (Evidence(ctx.source, None, run.command),),
            )
