"""Rules that read ``tailscale debug ts2021`` (see opskit/core/diagnose/ts2021.py): a finding when the control
plane's Noise handshake fails, otherwise a note naming the address that answered.
"""

from __future__ import annotations

from collections.abc import Iterator

from opskit.core.diagnose.rules.facts import DiagnoseContext
from opskit.core.diagnose.ts2021 import Ts2021Report, ts2021_message
from opskit.core.diagnose.viewkinds import ViewReport
from opskit.core.findings import Finding, Severity
from opskit.core.rules import rule


@rule(
    id="TS-TS2021-FAILED",
    name="ts2021-failed",
    family="tailscale-control",
    severity=Severity.ERROR,
    summary="tailscale debug ts2021: the control plane's Noise handshake fails (control unreachable)",
    target="cli-view",
)
def ts2021_failed(report: ViewReport, ctx: DiagnoseContext) -> Iterator[Finding]:
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
    if report.captured and (report.failures or report.dial_errors):
        yield _captured_finding(report, ctx)
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


def _captured_finding(report: Ts2021Report, ctx: DiagnoseContext) -> Finding:
    """The control dial went to control's address but connected to a loopback one: a program on this machine took
    it (the failure itself, a reset or a timeout, is read with its reason as a CLI error or above)."""
    remote = ts2021_message(report.captured[0].text).rsplit(" / ", 1)[-1].strip()
    port = remote.rsplit(":", 1)[-1]
    return ctx.finding(
        f"{ctx.facts.label}: the dials to the control server's public address connected to {remote}, an address "
        f"on this machine: something here (a local proxy, VPN, filter or security app listening on port {port}) "
        "captured the control connection and then failed it, so the node cannot reach its control server. Not "
        "TLS interception (no certificate error) and not tailscaled being down.",
        f"Find the program listening on port {port} (macOS: `sudo lsof -nP -iTCP:{port} -sTCP:LISTEN`; Linux: "
        f"`sudo ss -ltnp 'sport = :{port}'`; Windows: `netstat -abno`), and turn it off or exempt Tailscale and "
        "controlplane.tailscale.com from it; then re-run `tailscale debug ts2021` until it prints `did noise "
        "handshake`.",
        ctx.facts.evidence(*report.captured[:2]),
        title="tailscale debug ts2021: a local program captured the control connection",
    )


@rule(
    id="TS-TS2021",
    name="ts2021",
    family="tailscale-control",
    severity=Severity.INFO,
    summary="tailscale debug ts2021: the control handshake succeeded, over the address shown (a note)",
    target="cli-view",
)
def ts2021_note(report: ViewReport, ctx: DiagnoseContext) -> Iterator[Finding]:
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
