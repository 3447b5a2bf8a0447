"""Rules that read k3s's (rke2's) --vpn-auth integration (see opskit/core/diagnose/k3svpn.py): a finding when the
`tailscale up` it ran failed, which stops k3s."""

from __future__ import annotations

from collections.abc import Iterator

from opskit.core.diagnose.k3svpn import K3sVpnReport
from opskit.core.diagnose.rules.facts import DiagnoseContext
from opskit.core.diagnose.viewkinds import ViewReport
from opskit.core.findings import Finding, Severity
from opskit.core.rules import rule


@rule(
    id="TS-K3S-VPN-FAILED",
    name="k3s-vpn-failed",
    family="tailscale-embedders",
    severity=Severity.ERROR,
    summary="k3s/rke2 --vpn-auth: the `tailscale up` k3s ran with the join key failed, and k3s stopped",
    target="cli-view",
)
def k3s_vpn_failed(report: ViewReport, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: with ``--vpn-auth="name=tailscale,joinKey=…"`` k3s (and rke2) run ``tailscale up --authkey <joinKey>
    --timeout=30s --reset`` themselves before they start, and exit when it fails. Older builds print only the
    CLI's ``exit status 1``, newer ones ``tailscale up failed: <the CLI's output>``; the usual cause is a refused
    join key (expired, single-use and already used, revoked, or of another tailnet / Headscale user).

    *Bad*::

        k3s[7287]: time="2023-06-13T16:46:26Z" level=info msg="Starting VPN: tailscale"
        k3s[7287]: exit status 1
        systemd[1]: k3s.service: Main process exited, code=exited, status=1/FAILURE

    *Good*::

        k3s[7287]: time="2023-06-13T16:46:26Z" level=info msg="Starting VPN: tailscale"
        k3s[7287]: time="2023-06-13T16:46:28Z" level=debug msg="Output from tailscale up: "
    """
    if not isinstance(report, K3sVpnReport) or report.failure is None or report.cli_errors:
        return  # (a failure the CLI error reader knows, a refused key, is its finding, with its own fix)
    stopped = " and k3s stopped" if report.unit_failed is not None else ", which stops k3s"
    status = f" (exit status {report.exit_status})" if report.exit_status is not None else ""
    if report.reason is not None and report.reason.startswith(("VPN Error", "Requested VPN")):
        cause = (
            f"k3s refused its --vpn-auth setting before running Tailscale ({report.reason}){stopped}: the value must "
            'be "name=tailscale,joinKey=<auth key>[,controlServerURL=<URL>][,extraArgs=<tailscale up flags>]".'
        )
        fix = (
            "Fix the --vpn-auth value (or the file --vpn-auth-file names: the same one line) and restart k3s; the "
            "join key is a Tailscale (or Headscale) auth key."
        )
    else:
        said = (
            f"tailscale said: {report.reason}"
            if report.reason
            else "this k3s printed only the CLI's exit status, not its message, so the reason is not in the paste"
        )
        cause = (
            f"k3s ran `tailscale up --authkey <joinKey> --reset` for its --vpn-auth and it failed{status}{stopped}: "
            f"{said}. A refused join key (expired, single-use and already used, revoked, of another tailnet) is the "
            "usual cause; tailscaled not running or control unreachable are the others."
        )
        fix = (
            "Run the same command by hand to see the reason: `sudo tailscale up --authkey=<the joinKey> --reset` "
            "(and `journalctl -u tailscaled`); if the key is refused, create a new (reusable) auth key, put it in "
            "--vpn-auth / --vpn-auth-file, and restart k3s."
        )
    evidence = [line for line in (report.failure, report.unit_failed) if line is not None]
    yield ctx.finding(f"{ctx.facts.label}: {cause}", fix, ctx.facts.evidence(*evidence))
