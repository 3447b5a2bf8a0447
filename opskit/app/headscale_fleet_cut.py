"""The tenant move's session cut across many edges (``migrate apply --cut-inventory``): the collection's
cut playbook (opskit.fleet.cut_sessions) runs through ansible-runner on the inventory's hosts, and
every host's outcome is journaled as its own record, then a summary like the one-host cut's."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from opskit.adapters.journal_file import FileJournal
from opskit.app.headscale_migrate import utc_now
from opskit.core.fleet import HostCut, PlaybookRun, host_cuts
from opskit.core.headscale.journal import CutRan, HostCutRan
from opskit.core.headscale.plan import CutSpec
from opskit.core.headscale.report import StepOutcome
from opskit.errors import OpskitError

CUT_PLAYBOOK = "cut_sessions.yml"


@dataclass(frozen=True)
class FleetCutOptions:
    """Where the cut runs: an Ansible inventory file and an optional ``--limit`` pattern."""

    inventory: Path
    limit: str | None = None


def preflight(fleet: FleetCutOptions) -> None:
    """Before the move starts: this controller can run the cut playbook (else exit 2, nothing done)."""
    from opskit.adapters.ansible_run import require_ansible

    require_ansible(CUT_PLAYBOOK)


def _run(cut: CutSpec, fleet: FleetCutOptions, *, check: bool) -> PlaybookRun:
    from opskit.adapters.ansible_run import collection_playbook, run_playbook

    return run_playbook(
        collection_playbook(CUT_PLAYBOOK),
        fleet.inventory,
        extravars={"opskit_cut_port": cut.entry_port, "opskit_cut_peers": list(cut.clients)},
        limit=fleet.limit,
        check=check,
    )


def _where(fleet: FleetCutOptions) -> str:
    return f"inventory {fleet.inventory}" + (f" (limit {fleet.limit})" if fleet.limit else "")


def _per_host(cuts: tuple[HostCut, ...], *, preview: bool) -> str:
    parts = []
    for c in cuts:
        if c.state == "done":
            parts.append(f"{c.host}: {'would cut' if preview else 'cut'} {c.matched if preview else c.cut}")
        elif c.state == "incomplete":
            parts.append(f"{c.host}: cut {c.cut}, STILL PRESENT {c.still_present}")
        else:
            parts.append(f"{c.host}: {c.state.upper()} ({c.error}), nothing cut there")
    return "; ".join(parts)


def fleet_cut_preview(cut: CutSpec, fleet: FleetCutOptions) -> StepOutcome:
    """The dry run: the cut playbook in check mode on every host (lists, cuts nothing)."""
    if not cut.clients:
        return StepOutcome("cut-sessions", True, "would skip the cut: no client addresses known")
    try:
        run = _run(cut, fleet, check=True)
    except OpskitError as exc:
        return StepOutcome("cut-sessions", False, f"cannot preview the cut on {_where(fleet)}: {exc.describe()}")
    cuts = host_cuts(run)
    if not cuts:
        return StepOutcome(
            "cut-sessions", False, f"the cut playbook ran on no host of {_where(fleet)}: {run.output_tail[-500:]}"
        )
    detail = (
        f"would cut established sessions on port {cut.entry_port} from {', '.join(cut.clients)} on "
        f"{len(cuts)} host(s) of {_where(fleet)}: {_per_host(cuts, preview=True)}"
    )
    return StepOutcome(
        "cut-sessions",
        all(c.ok for c in cuts),
        detail,
        data={"hosts": {c.host: {"state": c.state, "matched": c.matched, "error": c.error} for c in cuts}},
    )


def cut_clients_on_fleet(cut: CutSpec, journal: FileJournal, fleet: FleetCutOptions) -> StepOutcome:
    """Run the cut on every host of the inventory; journal each host's result, then a summary."""
    started = time.monotonic()
    if not cut.clients:
        journal.record(CutRan("skipped", utc_now(), reason="no client addresses"))
        return StepOutcome("cut-sessions", True, "skipped: no client addresses known", 0.0)
    try:
        run = _run(cut, fleet, check=False)
    except OpskitError as exc:
        journal.record(CutRan("failed", utc_now(), error=f"{_where(fleet)}: {exc.describe()}"))
        return StepOutcome("cut-sessions", False, f"not cut: {exc.describe()}", time.monotonic() - started)
    cuts = host_cuts(run)
    at = utc_now()
    for c in cuts:
        journal.record(
            HostCutRan(
                c.host,
                c.state,
                at,
                c.matched,
                c.cut,
                c.still_present,
                c.protected,
                c.peers_cut,
                c.peers_still_present,
                c.error,
            )
        )
    failed = [c for c in cuts if not c.ok]
    problem = None
    if not cuts:
        problem = f"the cut playbook ran on no host of {_where(fleet)}: {run.output_tail[-500:]}"
    elif failed:
        problem = f"{len(failed)} of {len(cuts)} host(s) not fully cut: " + ", ".join(c.host for c in failed)
    state: Literal["done", "incomplete", "failed"] = (
        "done" if problem is None else "incomplete" if any(c.cut for c in cuts) else "failed"
    )
    journal.record(
        CutRan(
            state,
            utc_now(),
            matched=sum(c.matched for c in cuts),
            cut=sum(c.cut for c in cuts),
            still_present=sum(c.still_present for c in cuts),
            clients_cut=tuple(sorted({p for c in cuts for p in c.peers_cut})),
            problem=problem,
        )
    )
    detail = f"on {len(cuts)} host(s) of {_where(fleet)}: {_per_host(cuts, preview=False)}"
    if problem:
        detail += f"; problem: {problem}"
    data = {
        "matched": sum(c.matched for c in cuts),
        "cut": sum(c.cut for c in cuts),
        "still_present": sum(c.still_present for c in cuts),
        "hosts": {
            c.host: {
                "state": c.state,
                "matched": c.matched,
                "cut": c.cut,
                "still_present": c.still_present,
                "protected": c.protected,
                "peers_cut": list(c.peers_cut),
                "error": c.error,
            }
            for c in cuts
        },
    }
    return StepOutcome("cut-sessions", problem is None, detail, time.monotonic() - started, data)


def fleet_cut_rollback_note(cuts: list[HostCutRan]) -> StepOutcome:
    """What rollback says about a cut across an inventory: it cannot be undone (clients reconnect on
    their own); which hosts' clients were reset and which hosts never were."""
    done = [c for c in cuts if c.cut]
    untouched = [c for c in cuts if not c.cut and c.state != "done"]
    parts = []
    if done:
        parts.append("sessions were cut on " + ", ".join(f"{c.host} ({c.cut})" for c in done))
    if untouched:
        parts.append("never cut on " + ", ".join(f"{c.host} ({c.state}: {c.error})" for c in untouched))
    return StepOutcome(
        "cut-sessions",
        True,
        "not reversible (clients reconnect on their own): " + ("; ".join(parts) or "nothing was cut"),
        data={"hosts": {c.host: {"state": c.state, "cut": c.cut} for c in cuts}},
    )
