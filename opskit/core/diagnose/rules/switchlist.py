"""Rules that read ``tailscale switch --list`` (see opskit/core/diagnose/switchlist.py): the accounts on this
device and the one in use (a note), and profiles sharing one name (a warning)."""

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
    if not report.profiles or report.shared_names:
        return  # (profiles sharing a name: the warning below says all of it)
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


@rule(
    id="TS-SWITCH-LIST-SHARED-NAME",
    name="switch-list-shared-name",
    family="tailscale-identity",
    severity=Severity.WARNING,
    summary="tailscale switch --list: two or more profiles share one name, so `tailscale switch <name>` cannot pick",
    target="cli-view",
)
def switch_list_shared_name(report: ViewReport, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: one identity (the same GitHub or Google login) joined to two tailnets gives two profiles with the same
    name. ``tailscale switch <name>`` takes the first profile of that name (before 1.56 it matches names only), so it
    answers ``Already on account "<name>"`` or lands on the same one each time: the other tailnet cannot be reached
    from the CLI by its name. Since 1.56 ``switch --list`` shows each profile's ID and tailnet, and ``tailscale
    switch`` accepts either.

    *Bad*::

        $ tailscale switch --list
        alice@gmail.com *
        alice@gmail.com

    *Good*::

        $ tailscale switch --list
        ID    Tailnet          Account
        2ff9  example.com      alice@example.com*
        8a1c  alice.github     alice@gmail.com
    """
    if not isinstance(report, SwitchListReport) or not report.shared_names:
        return
    shared = report.shared_names
    with_ids = all(p.profile_id for p in report.profiles if p.account in shared)
    rows = [p for p in report.profiles if p.account in shared]
    answered = report.already_on
    cause = (
        f"{ctx.facts.label}: {len(rows)} profiles on this device share the name "
        + " and ".join(f'"{name}"' for name in shared)
        + ": `tailscale switch <name>` takes the first profile of that name, so it cannot reach the other (when "
        'that first one is in use it answers `Already on account "<name>"` and changes nothing).'
    )
    if with_ids:
        choices = ", ".join(f"{p.profile_id} ({p.tailnet})" if p.tailnet else f"{p.profile_id}" for p in rows)
        fix = (
            f"Switch by the profile's ID or its tailnet instead of the name: `tailscale switch <ID>` ({choices}); "
            "`tailscale switch --list` shows them."
        )
    else:
        fix = (
            "Upgrade Tailscale to 1.56 or later: its `tailscale switch --list` shows each profile's ID and tailnet, "
            "and `tailscale switch <ID>` (or the tailnet name) picks the one you mean. Until then, switch from the "
            "app's account menu, or log out of one profile (`tailscale logout`) and log in to the other tailnet."
        )
    evidence = [p.line for p in rows]
    if answered is not None:
        evidence.append(answered)
    yield ctx.finding(cause, fix, ctx.facts.evidence(*evidence), title="Profiles share one name")
