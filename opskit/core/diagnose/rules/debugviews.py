"""Rules that read three more CLI views: ``tailscale serve status`` / ``funnel status``, ``tailscale debug
ts2021`` and ``tailscale debug prefs`` (see opskit/core/diagnose/debugviews.py).

They mostly answer "what is there?": a note says what they show. Findings only where the view itself shows
something broken: a Funnel port with nothing served behind it, a control handshake that fails, prefs that
keep the node down (WantRunning false) or logged out.
"""

from __future__ import annotations

from collections.abc import Iterator

from opskit.core.diagnose.cliviews import CliView
from opskit.core.diagnose.debugviews import DebugPrefsReport, ServeStatusReport, Ts2021Report
from opskit.core.diagnose.rules.facts import DiagnoseContext
from opskit.core.findings import Finding, Severity
from opskit.core.rules import rule


@rule(
    id="TS-SERVE-STATUS",
    name="serve-status",
    family="tailscale-serve",
    severity=Severity.INFO,
    summary="tailscale serve/funnel status: what this node serves and whether Funnel is on (a note)",
    target="cli-view",
)
def serve_status(report: CliView, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: ``tailscale serve status`` (and ``funnel status``) list what this node serves: each URL, whether
    it is open to the internet (Funnel on) or tailnet only, and what each path hands on to (a local proxy, a
    directory, a text). A listing: nothing in it fails.

    *Bad*::

        $ tailscale funnel status

        # Funnel on:
        #     - https://node.tail1234.ts.net

        https://node.tail1234.ts.net (Funnel on)
        |-- /api proxy http://127.0.0.1:3978

    *Good*::

        $ tailscale status
        100.64.0.1   laptop   me@   linux   -
    """
    if not isinstance(report, ServeStatusReport):
        return
    served = []
    for entry in report.entries[:6]:
        handlers = f": {', '.join(entry.handlers[:4])}" if entry.handlers else ""
        served.append(f"{entry.url} ({'Funnel on' if entry.funnel else 'tailnet only'}){handlers}")
    funnel = "Funnel is on" if report.funnel_on else "Funnel is off (tailnet only)"
    yield ctx.finding(
        f"{ctx.facts.label}: {funnel}; served: " + ("; ".join(served) if served else "nothing listed") + ".",
        "Nothing fails here. If a served URL does not answer: check the local backend it proxies to (curl it on "
        "this node), and for Funnel that the name resolves publicly and port 443/8443/10000 is the one used.",
        ctx.facts.evidence(*(entry.line for entry in report.entries[:3]) if report.entries else report.lines[:1]),
        title="tailscale serve status",
    )


@rule(
    id="TS-SERVE-FUNNEL-UNSERVED",
    name="serve-funnel-unserved",
    family="tailscale-serve",
    severity=Severity.WARNING,
    summary="tailscale serve/funnel status: Funnel is on for a port that serves nothing",
    target="cli-view",
)
def serve_funnel_unserved(report: CliView, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: the CLI warns ``Warning: funnel=on for <host:port>, but no serve config`` (cmd/tailscale/cli/
    funnel.go printFunnelWarning) when a port is open to the internet but no handler serves it: visitors
    reach the node and get nothing. ``Unable to get Funnel status`` means LocalAPI did not answer.

    *Bad*::

        $ tailscale serve status
        https://node.tail1234.ts.net (tailnet only)
        |-- / proxy http://127.0.0.1:3000

        Warning: funnel=on for node.tail1234.ts.net:8443, but no serve config

    *Good*::

        $ tailscale serve status
        https://node.tail1234.ts.net (Funnel on)
        |-- / proxy http://127.0.0.1:3000
    """
    if not isinstance(report, ServeStatusReport) or not report.unserved_funnel:
        return
    ports = ", ".join(hostport for hostport, _ in report.unserved_funnel)
    yield ctx.finding(
        f"{ctx.facts.label}: Funnel is on for {ports} but nothing is served there: internet visitors reach the "
        "node and get no answer.",
        "Serve something on that port (`tailscale funnel --https=<port> <local target>`), or turn Funnel off "
        "for it (`tailscale funnel --https=<port> off`); check with `tailscale funnel status`.",
        ctx.facts.evidence(*(line for _, line in report.unserved_funnel)),
    )


@rule(
    id="TS-TS2021-FAILED",
    name="ts2021-failed",
    family="tailscale-control",
    severity=Severity.ERROR,
    summary="tailscale debug ts2021: the control plane's Noise handshake fails (control unreachable)",
    target="cli-view",
)
def ts2021_failed(report: CliView, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: ``tailscale debug ts2021`` does by hand what tailscaled does to reach its control server: fetch
    the server's key (``/key?v=N``), dial it (port 80, then 443), and do the Noise (ts2021) handshake. A
    failed step (``Do: …`` for the key fetch, ``Status: 403 …``, ``error on attempt 1/2: …``, a dial error) is
    why the node cannot log in or get its network map.

    *Bad*::

        $ tailscale debug ts2021
        2024/07/15 10:02:10 Fetching keys from https://controlplane.tailscale.com/key?v=97 ...
        2024/07/15 10:02:40 Do: Get "https://controlplane.tailscale.com/key?v=97": dial tcp 18.159.140.118:443: i/o timeout

    *Good*::

        $ tailscale debug ts2021
        2024/07/15 10:02:10 Fetching keys from https://controlplane.tailscale.com/key?v=97 ...
        2024/07/15 10:02:11 Dial("tcp", "18.159.140.118:80") ...
        2024/07/15 10:02:11 Dial("tcp", "18.159.140.118:80") = 172.16.0.2:56402 / 18.159.140.118:80
        2024/07/15 10:02:11 did noise handshake
        2024/07/15 10:02:11 final underlying conn: 172.16.0.2:56402 / 18.159.140.118:80
    """
    if not isinstance(report, Ts2021Report) or report.handshake:
        return
    # a failure the CLI error reader knows (TLS interception, …) is its finding, with its own fix
    evidence = [line for line in report.failures if line not in report.cli_errors]
    if not evidence and not report.cli_errors:
        evidence = list(report.dial_errors)
    if not evidence:
        return
    server = report.url.split("/key", 1)[0] if report.url else "the control server"
    yield ctx.finding(
        f"{ctx.facts.label}: the control handshake with {server} fails: the node cannot reach its control "
        "server, so it cannot log in or get its network map.",
        "Read the error in the evidence: a dial timeout or refusal is a firewall or proxy blocking TCP 80/443 "
        "to the control server (allow it; behind a proxy set HTTPS_PROXY for tailscaled); an x509 error is TLS "
        "interception (trust the proxy's CA or exempt the control host); an HTTP status is the server refusing "
        "(a self-hosted one: check its logs and version). Re-run `tailscale debug ts2021` until it prints "
        "`did noise handshake`.",
        ctx.facts.evidence(*evidence[:3]),
    )


@rule(
    id="TS-TS2021",
    name="ts2021",
    family="tailscale-control",
    severity=Severity.INFO,
    summary="tailscale debug ts2021: the control handshake succeeded, over the address shown (a note)",
    target="cli-view",
)
def ts2021_note(report: CliView, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: a trace that ends ``did noise handshake`` / ``final underlying conn: <local> / <remote>`` shows
    the control server reachable. A dial ``operation was canceled`` is the losing side of the IPv4/IPv6 race
    (the other address connected first), not a failure.

    *Bad*::

        $ tailscale debug ts2021
        10:02:11.294934 Dial("tcp", "18.159.140.118:80") ...
        10:02:11.302901 Dial("tcp", "18.159.140.118:80") = 172.16.0.2:56402 / 18.159.140.118:80
        10:02:11.395605 did noise handshake
        10:02:11.396133 final underlying conn: 172.16.0.2:56402 / 18.159.140.118:80

    *Good*::

        $ tailscale debug ts2021
        2024/07/15 10:02:10 Fetching keys from https://controlplane.tailscale.com/key?v=97 ...
        2024/07/15 10:02:40 Do: Get "https://controlplane.tailscale.com/key?v=97": dial tcp 18.159.140.118:443: i/o timeout
    """
    if not isinstance(report, Ts2021Report):
        return
    if report.handshake:
        via = f" over {report.winner}" if report.winner else ""
        message = f"the control plane's Noise handshake succeeded{via}: the control server is reachable."
        fix = "Nothing to fix in this trace; a login problem lies elsewhere (the daemon's log, `tailscale status`)."
        evidence = [line for line in report.lines if "final underlying conn" in line.text or "noise" in line.text]
    elif report.failures or report.dial_errors:
        return  # TS-TS2021-FAILED
    else:
        message = "the trace stops before the handshake (no failure and no success shown)."
        fix = "Paste the whole output of `tailscale debug ts2021` (it ends with `did noise handshake` or an error)."
        evidence = []
    yield ctx.finding(
        f"{ctx.facts.label}: {message}",
        fix,
        ctx.facts.evidence(*(evidence[:2] or report.lines[-1:])),
        title="tailscale debug ts2021",
    )


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
def prefs_not_running(report: CliView, ctx: DiagnoseContext) -> Iterator[Finding]:
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
def prefs_note(report: CliView, ctx: DiagnoseContext) -> Iterator[Finding]:
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
