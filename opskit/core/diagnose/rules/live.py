"""Rules over the local machine's tailscaled process (``opskit diagnose --live``)."""

from __future__ import annotations

from collections.abc import Iterator

from opskit.core.diagnose.live import LiveSnapshot
from opskit.core.diagnose.rules.facts import DiagnoseContext
from opskit.core.findings import Evidence, Finding, Severity
from opskit.core.rules import rule


def _process_evidence(snapshot: LiveSnapshot, ctx: DiagnoseContext) -> tuple[Evidence, ...]:
    return tuple(
        Evidence(
            ctx.facts.source,
            None,
            f"pid {d.pid} user={d.user or '?'} parent={d.parent_name or '?'}: {' '.join(d.cmdline)}",
        )
        for d in snapshot.daemons
    )


@rule(
    id="TS-LIVE-NO-DAEMON",
    name="live-no-daemon",
    family="tailscale-live",
    severity=Severity.ERROR,
    summary="No tailscaled process is running",
    target="live",
)
def no_daemon(snapshot: LiveSnapshot, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: without tailscaled there is no tunnel; every CLI command fails with 'is it running?'.

    *Bad*::

        {
          "daemons": []
        }

    *Good*::

        {}
    """
    if snapshot.daemons:
        return
    start = "Start-Service Tailscale" if snapshot.platform == "windows" else "sudo systemctl enable --now tailscaled"
    yield ctx.finding(
        "No tailscaled process is visible on this machine: Tailscale is not running (or runs in a container "
        "or namespace this user cannot see).",
        f"Start the service (`{start}`) rather than running tailscaled by hand.",
        (Evidence(ctx.facts.source, None, f"current user {snapshot.current_user}: no process named tailscaled"),),
    )


@rule(
    id="TS-LIVE-HAND-STARTED",
    name="live-hand-started",
    family="tailscale-live",
    severity=Severity.WARNING,
    summary="tailscaled was started by hand, not by the service manager",
    target="live",
)
def hand_started(snapshot: LiveSnapshot, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: a hand-started tailscaled belongs to whoever started it (on Windows that user becomes the
    only LocalAPI client allowed), stops with that session, and may use other state/port than the service.

    *Bad*::

        {
          "daemons": [
            {
              "pid": 4242,
              "name": "tailscaled",
              "user": "alice",
              "cmdline": [
                "tailscaled",
                "--statedir=/home/alice/ts",
                "--port=41641"
              ],
              "parent_name": "bash",
              "parent_pid": 4000
            }
          ]
        }

    *Good*::

        {}
    """
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
        yield ctx.finding(
            f"tailscaled pid {daemon.pid} runs as {daemon.user or 'an unknown user'} and was started by "
            f"{daemon.parent_name} (pid {daemon.parent_pid}), not by the service manager ({details}). It "
            "stops with that session, and on Windows its starter becomes the only user the LocalAPI admits.",
            "Stop it and use the packaged service (systemd `tailscaled.service` / the Windows 'Tailscale' "
            "service), which keeps state in the standard place and survives logouts.",
            _process_evidence(snapshot, ctx),
            pid=daemon.pid,
        )


@rule(
    id="TS-LIVE-OTHER-USER",
    name="live-other-user",
    family="tailscale-live",
    severity=Severity.WARNING,
    summary="tailscaled runs as another user than the CLI",
    target="live",
)
def other_user(snapshot: LiveSnapshot, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: tailscaled's LocalAPI admits root/LocalSystem, the configured operator (Unix) or the
    current owner (Windows). A CLI running as someone else gets 'Access denied' or '401 Unauthorized'.

    *Bad*::

        {
          "current_user": "bob",
          "is_admin": false
        }

    *Good*::

        {
          "current_user": "bob",
          "is_admin": true
        }
    """
    if snapshot.is_admin:
        return
    for daemon in snapshot.daemons:
        if daemon.user and daemon.user != snapshot.current_user:
            yield ctx.finding(
                f"tailscaled pid {daemon.pid} runs as {daemon.user}; you are {snapshot.current_user} without "
                "admin rights, so LocalAPI calls may be refused.",
                "Use `sudo tailscale …` (Unix; or once `sudo tailscale set --operator=$USER`), or on "
                "Windows run the CLI as the account that owns the Tailscale session.",
                _process_evidence(snapshot, ctx),
                pid=daemon.pid,
            )


@rule(
    id="TS-LIVE-CLI-MISSING",
    name="live-cli-missing",
    family="tailscale-live",
    severity=Severity.INFO,
    summary="The tailscale CLI is not on PATH",
    target="live",
)
def cli_missing(snapshot: LiveSnapshot, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: --live runs `tailscale netcheck` and `tailscale status` itself only when the CLI exists.

    *Bad*::

        {
          "cli_path": null,
          "cli_missing_reason": "`tailscale` is not installed or not on PATH."
        }

    *Good*::

        {}
    """
    if snapshot.cli_path is not None:
        return
    yield ctx.finding(
        "The `tailscale` CLI was not found on PATH, so `tailscale netcheck` and `tailscale status` were not "
        "run; only the process checks apply.",
        "Install Tailscale (https://tailscale.com/download) or put its CLI on PATH, then rerun "
        "`opskit diagnose --live`; or paste `tailscale netcheck` output into `opskit diagnose -`.",
        (Evidence(ctx.facts.source, None, snapshot.cli_missing_reason or "tailscale: not found"),),
    )


@rule(
    id="TS-LIVE-CLI-FAILED",
    name="live-cli-failed",
    family="tailscale-live",
    severity=Severity.WARNING,
    summary="A tailscale command failed or timed out",
    target="live",
)
def cli_failed(snapshot: LiveSnapshot, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: the CLI's own failure (timeout, non-zero exit with no recognisable output) is evidence too.

    *Bad*::

        {
          "runs": [
            {
              "command": "tailscale netcheck",
              "returncode": -1,
              "output": "",
              "timed_out": true
            }
          ]
        }

    *Good*::

        {
          "runs": [
            {
              "command": "tailscale netcheck",
              "returncode": 0,
              "output": "Report:\\n* UDP: true\\n",
              "timed_out": false
            }
          ]
        }
    """
    for run in snapshot.runs:
        if run.timed_out or (run.returncode not in (0, None) and not run.output.strip()):
            yield ctx.finding(
                f"`{run.command}` "
                + ("timed out" if run.timed_out else f"exited with status {run.returncode}")
                + " without output opskit could read.",
                "Run it by hand to see the error; a hung tailscaled shows as a timeout here.",
                (Evidence(ctx.facts.source, None, run.command),),
            )
