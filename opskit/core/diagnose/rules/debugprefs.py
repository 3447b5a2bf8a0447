"""Rules that read ``tailscale debug prefs`` (see opskit/core/diagnose/debugprefs.py): a finding when the prefs
keep the node down (WantRunning false) or logged out, otherwise a note of the settings that matter.
"""

from __future__ import annotations

from collections.abc import Iterator

from opskit.core.diagnose.debugprefs import DebugPrefsReport
from opskit.core.diagnose.rules.facts import DiagnoseContext
from opskit.core.diagnose.viewkinds import ViewReport
from opskit.core.findings import Finding, Severity
from opskit.core.rules import rule


def _flag(prefs: dict[str, object], key: str) -> bool | None:
    value = prefs.get(key)
    return value if isinstance(value, bool) else None


@rule(
    id="TS-PREFS-NOT-RUNNING",
    name="prefs-not-running",
    family="tailscale-prefs",
    severity=Severity.WARNING,
    summary="tailscale debug prefs: the node is stopped (WantRunning false) or logged out (LoggedOut true)",
    target="cli-view",
)
def prefs_not_running(report: ViewReport, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: ``WantRunning: false`` is what ``tailscale down`` (or the app's toggle) leaves: tailscaled runs
    but keeps the tunnel down. ``LoggedOut: true`` is what ``tailscale logout`` (or an expired key) leaves:
    the node has no identity until it logs in again. Either way no peer can reach it.

    *Bad*::

        $ tailscale debug prefs
        {
            "ControlURL": "https://controlplane.tailscale.com",
            "RouteAll": false,
            "CorpDNS": true,
            "WantRunning": false,
            "LoggedOut": true
        }

    *Good*::

        $ tailscale debug prefs
        {
            "ControlURL": "https://controlplane.tailscale.com",
            "RouteAll": false,
            "CorpDNS": true,
            "WantRunning": true,
            "LoggedOut": false
        }
    """
    if not isinstance(report, DebugPrefsReport):
        return
    if _flag(report.prefs, "LoggedOut"):
        yield ctx.finding(
            f"{ctx.facts.label}: the prefs say LoggedOut true: this node is logged out of its tailnet and "
            "takes no part in it until it logs in again.",
            "Log in again: `tailscale up` (or `tailscale login`; with an auth key: `tailscale up "
            "--auth-key=<key>`), adding any non-default flags you used before; then `tailscale status`.",
            ctx.facts.evidence(report.line_of("LoggedOut")),
        )
    elif _flag(report.prefs, "WantRunning") is False:
        yield ctx.finding(
            f"{ctx.facts.label}: the prefs say WantRunning false: Tailscale is stopped on this node (`tailscale "
            "down` or the app's toggle): tailscaled runs, but the tunnel is down and no peer can reach it.",
            "Start it: `tailscale up` (or switch it on in the app); then `tailscale status`.",
            ctx.facts.evidence(report.line_of("WantRunning")),
        )


@rule(
    id="TS-DEBUG-PREFS",
    name="debug-prefs",
    family="tailscale-prefs",
    severity=Severity.INFO,
    summary="tailscale debug prefs: the node's settings that matter (control server, routes, exit node, DNS)",
    target="cli-view",
)
def prefs_note(report: ViewReport, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: ``tailscale debug prefs`` shows the node's ipn.Prefs: which control server, whether it accepts
    subnet routes (RouteAll) and Tailscale DNS (CorpDNS), its exit node, advertised routes, shields-up. People
    paste it to show their settings; a note lists what matters.

    *Bad*::

        $ tailscale debug prefs
        {
            "ControlURL": "https://controlplane.tailscale.com",
            "RouteAll": false,
            "ExitNodeID": "",
            "CorpDNS": false,
            "WantRunning": true,
            "LoggedOut": false
        }

    *Good*::

        $ tailscale status
        100.64.0.1   laptop   me@   linux   -
    """
    if not isinstance(report, DebugPrefsReport):
        return
    prefs = report.prefs
    parts: list[str] = []
    control = prefs.get("ControlURL")
    if isinstance(control, str) and control:
        parts.append(f"control server {control}")
    for key, on, off in (
        ("WantRunning", "running", "stopped (WantRunning false)"),
        ("LoggedOut", "logged out", "logged in"),
        ("CorpDNS", "uses Tailscale DNS", "ignores Tailscale DNS (CorpDNS false)"),
        ("RouteAll", "accepts subnet routes", "does not accept subnet routes (RouteAll false)"),
        ("ShieldsUp", "shields up (blocks incoming connections)", ""),
        ("RunSSH", "runs Tailscale SSH", ""),
    ):
        value = _flag(prefs, key)
        if value is not None and (on if value else off):
            parts.append(on if value else off)
    exit_node = next((v for k in ("ExitNodeID", "ExitNodeIP") if isinstance(v := prefs.get(k), str) and v), None)
    parts.append(f"exit node {exit_node}" if exit_node else "no exit node")
    routes = prefs.get("AdvertiseRoutes")
    if isinstance(routes, list) and routes:
        parts.append(f"advertises {', '.join(str(r) for r in routes[:6])}")
    yield ctx.finding(
        f"{ctx.facts.label}: prefs: " + "; ".join(parts) + ".",
        "Nothing in these prefs is failing. Change one with `tailscale set` (e.g. `--accept-routes`, "
        "`--accept-dns`, `--exit-node=<IP>`).",
        ctx.facts.evidence(report.line_of("WantRunning")),
        title="tailscale debug prefs",
    )
