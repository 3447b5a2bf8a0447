"""Rules about an Ansible run embedding Tailscale commands (ansible.py): what the run's recap says."""

from __future__ import annotations

from collections.abc import Iterator

from opskit.core.diagnose.blocks import SplitInput
from opskit.core.diagnose.rules.facts import DiagnoseContext
from opskit.core.findings import Finding, Severity
from opskit.core.rules import rule


@rule(
    id="TS-ANSIBLE-RUN",
    name="ansible-run",
    family="tailscale-input",
    severity=Severity.INFO,
    summary="An Ansible run's outcome for the host whose Tailscale commands were read",
    target="input",
)
def ansible_run(split: SplitInput, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: a playbook's log holds a host's Tailscale commands among other tasks; its PLAY RECAP says whether
    the run got through (``failed=0 unreachable=0``), and a host Ansible could not reach ran no Tailscale
    command at all: its SSH or inventory failed, not Tailscale (so no Tailscale finding is made up for it).

    *Bad*::

        TASK [tailscale : Bring Tailscale Up] ***
        changed: [web1] => {"changed": true, "cmd": ["tailscale", "up"], "rc": 0, "stderr": "", "stdout": ""}

        PLAY RECAP ***
        web1                       : ok=3    changed=1    unreachable=0    failed=0    skipped=0

    *Good*::

        $ tailscale status
        100.82.9.43      web1   alice@  linux  -
        100.101.102.103  db1    alice@  linux  active; direct 192.0.2.10:41641, tx 1234 rx 5678
    """
    run, host = split.ansible, split.ansible_host
    if run is None or host is None:
        return
    rows = [row for row in run.recap if row.host == host]
    commands = [result for result in run.results if result.host == host]
    # the recap has the last word (a failure the play ignored, `...ignoring`, is no failure of the run)
    if rows and not rows[-1].failed and not rows[-1].unreachable:
        yield ctx.finding(
            f"{ctx.facts.label}: the Ansible run succeeded on {host} (PLAY RECAP failed=0 unreachable=0); its "
            f"{len(commands)} Tailscale command result(s) were read as typed, only the last reading of each counts "
            "as the host's state at the end (earlier ones are history).",
            "Nothing to fix in the run itself; the other findings (if any) are what its Tailscale commands showed.",
            ctx.facts.evidence(rows[-1].line),
        )
    elif (rows and rows[-1].failed) or (not rows and host in run.fatal_hosts):
        failed_tasks = [r for r in run.results if r.host == host and r.status in {"fatal", "failed"}]
        yield ctx.finding(
            f"{ctx.facts.label}: the Ansible run failed on {host}"
            + (f" (PLAY RECAP failed={rows[-1].failed})" if rows else "")
            + (
                "; a Tailscale command's own error is read as its output (see the other findings)"
                if failed_tasks
                else "; the failing task ran no Tailscale command"
            )
            + ".",
            "Fix the failing task first (its `msg`/`stderr`), then run the play again.",
            ctx.facts.evidence(*(r.line for r in failed_tasks[:2]), rows[-1].line if rows else None),
        )
    # hosts Ansible could not reach: said once, with the first host's input
    unreachable = [result for result in run.unreachable]
    unreachable_rows = [row for row in run.recap if row.unreachable]
    if (unreachable or unreachable_rows) and host == next(iter(run.hosts), None):
        names = sorted({r.host for r in unreachable} | {row.host for row in unreachable_rows})
        yield ctx.finding(
            f"{ctx.facts.label}: Ansible could not reach {', '.join(names)} (unreachable): no task ran there, so "
            "this is not a Tailscale problem (SSH, the inventory's address or credentials, the host being down).",
            "Check the connection Ansible uses (`ansible -m ping <host>`, the inventory's ansible_host); if that "
            "address is the host's Tailscale IP or MagicDNS name, check the tailnet path to it from the controller.",
            ctx.facts.evidence(*(r.line for r in unreachable[:2]), *(row.line for row in unreachable_rows[:2])),
        )
