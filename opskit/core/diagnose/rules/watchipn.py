"""Rules that read ``tailscale debug watch-ipn`` (see opskit/core/diagnose/watchipn.py): a critical error the
backend sent, and the health warnings it reported. States, logins and engine counts are facts only."""

from __future__ import annotations

from collections.abc import Iterator

from opskit.core.diagnose.rules.facts import DiagnoseContext
from opskit.core.diagnose.rules.status import health_advice
from opskit.core.diagnose.viewkinds import ViewReport
from opskit.core.diagnose.watchipn import FELL_BEHIND, WatchIpnReport
from opskit.core.findings import Finding, Severity
from opskit.core.rules import rule


def _error_fix(message: str) -> str:
    lowered = message.lower()
    if "invalid key" in lowered or "authkey" in lowered or "auth key" in lowered:
        return (
            "Generate a new auth key (admin console → Settings → Keys; with Headscale: `headscale preauthkeys "
            "create --user <user>`) and log in again with it: `tailscale up --authkey=<new key>`."
        )
    if "expired" in lowered:
        return (
            "Log in again (`tailscale up --force-reauth`), or disable key expiry for this machine in the admin console."
        )
    return (
        "Act on the message: it is the control server's or tailscaled's refusal. Read tailscaled's log around it "
        "(`journalctl -u tailscaled`, or the service log) for the cause, fix it, then `tailscale up` again."
    )


@rule(
    id="TS-WATCH-IPN-ERROR",
    name="watch-ipn-error",
    family="tailscale-debug",
    severity=Severity.WARNING,
    summary="tailscale debug watch-ipn: tailscaled sent a critical error (ErrMessage) on its IPN bus",
    target="cli-view",
)
def watch_ipn_error(report: ViewReport, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: tailscaled sends ``ErrMessage`` on its IPN bus only for a critical error the user must see (a
    control server's refusal shown to the user, a login that cannot go on); the GUI shows it in a dialog. The
    watch's own end ("IPN bus consumer fell behind; closing watch": the CLI read too slowly) is not one.

    *Bad*::

        $ tailscale debug watch-ipn
        {
                "Version": "1.80.2-t0f8e1a5b0-g5d6e1b7a3",
                "ErrMessage": "invalid key: unable to validate API key",
                "LoginFinished": null,
                "State": null
        }

    *Good*::

        $ tailscale debug watch-ipn
        {
                "Version": "1.80.2-t0f8e1a5b0-g5d6e1b7a3",
                "ErrMessage": null,
                "LoginFinished": null,
                "State": 6
        }
    """
    if not isinstance(report, WatchIpnReport):
        return
    for message, line in report.errors:
        if message == FELL_BEHIND:
            continue
        yield ctx.finding(
            f"{ctx.facts.label}: tailscaled sent a critical error on its IPN bus: {message}",
            _error_fix(message),
            ctx.facts.evidence(line),
            title="tailscaled reported a critical error",
        )


@rule(
    id="TS-WATCH-IPN-HEALTH",
    name="watch-ipn-health",
    family="tailscale-debug",
    severity=Severity.WARNING,
    summary="tailscale debug watch-ipn: tailscaled's health state names a warning (medium or high severity)",
    target="cli-view",
)
def watch_ipn_health(report: ViewReport, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: since v1.80 a notification carries tailscaled's health state: the warnables ``tailscale status``
    lists under "# Health check:", with a code and a severity. Low severity ones are notices (an update is
    available, an unstable build); medium and high ones are faults to fix first.

    *Bad*::

        $ tailscale debug watch-ipn --initial-health
        {
                "Version": "1.80.2-t0f8e1a5b0-g5d6e1b7a3",
                "ErrMessage": null,
                "Health": {
                        "Warnings": {
                                "no-derp-home": {
                                        "WarnableCode": "no-derp-home",
                                        "Severity": "medium",
                                        "Title": "No home relay server",
                                        "Text": "Tailscale could not connect to any relay server. Check your Internet connection."
                                }
                        }
                }
        }

    *Good*::

        $ tailscale debug watch-ipn --initial-health
        {
                "Version": "1.80.2-t0f8e1a5b0-g5d6e1b7a3",
                "ErrMessage": null,
                "Health": {
                        "Warnings": {}
                }
        }
    """
    if not isinstance(report, WatchIpnReport):
        return
    faults = [h for h in report.health if h.severity.lower() != "low"]
    if not faults:
        return
    messages = "; ".join(f"{h.code}: {h.text.rstrip('. ')}" for h in faults)
    yield ctx.finding(
        f"{ctx.facts.label}: tailscaled's health state reports: {messages}.",
        "Fix what the health warnings name first: " + health_advice(messages) + ".",
        ctx.facts.evidence(*(h.line for h in faults)),
        title="tailscaled reports health warnings",
    )
