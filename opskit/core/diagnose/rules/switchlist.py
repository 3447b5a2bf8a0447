"""Rules that read ``tailscale switch --list`` (see opskit/core/diagnose/switchlist.py): the accounts on this
device and the one in use. A note."""

from __future__ import annotations

from collections.abc import Iterator

from opskit.core.diagnose.rules.facts import DiagnoseContext
from opskit.core.diagnose.switchlist import SwitchListReport
from opskit.core.diagnose.viewkinds import ViewReport
from opskit.core.findings import Finding, Severity
from opskit.core.rules import rule


@rule(
    id="TS-SWITCH-LIST",
    name="switch-list",
    family="tailscale-identity",
    severity=Severity.INFO,
    summary="tailscale switch --list: the accounts (login profiles) on this device and the one in use (a note)",
    target="cli-view",
)
def switch_list_note(report: ViewReport, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: a device can hold several accounts (login profiles, each its own tailnet login); only the one
    marked ``*`` is connected. A peer or setting that "vanished" is often in another profile.

    *Bad*::

        $ tailscale switch --list
        ID    Tailnet          Account
        2ff9  example.com      alice@example.com*
        8a1c  bob@gmail.com    bob@gmail.com

    *Good*::

        $ tailscale status
        100.64.0.1   laptop   me@   linux   -
    """
    if not isinstance(report, SwitchListReport):
        return
    if not report.profiles:
        return
    current = report.current
    names = ", ".join(
        p.account + (f" ({p.tailnet})" if p.tailnet and p.tailnet != p.account else "") for p in report.profiles
    )
    yield ctx.finding(
        f"{ctx.facts.label}: {len(report.profiles)} account(s) on this device: {names}; "
        + (f"in use: {current.account}." if current else "none marked in use."),
        "Nothing to fix. `tailscale switch <account or ID>` changes the account in use.",
        ctx.facts.evidence(current.line if current else report.profiles[0].line),
        title="tailscale switch --list",
    )
