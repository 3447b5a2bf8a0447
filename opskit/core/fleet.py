"""What a playbook run across a fleet returned, per host and task, and the session cut's outcome per
host read from it (pure: the adapter adapters/ansible_run.py fills these in)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

TaskStatus = Literal["ok", "changed", "failed", "unreachable", "skipped"]

SOCKETS_CUT_ACTIONS = ("opskit.fleet.sockets_cut", "sockets_cut")


@dataclass(frozen=True)
class HostTaskResult:
    host: str
    task: str
    action: str
    status: str  # a TaskStatus
    result: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class PlaybookRun:
    status: str  # ansible-runner's: successful / failed / timeout / canceled
    rc: int
    results: tuple[HostTaskResult, ...]
    output_tail: str = ""


@dataclass(frozen=True)
class HostCut:
    """One host's session cut: ``state`` done / incomplete / failed / unreachable / not-run."""

    host: str
    state: Literal["done", "incomplete", "failed", "unreachable", "not-run"]
    matched: int = 0
    cut: int = 0
    still_present: int = 0
    protected: int = 0
    peers_cut: tuple[str, ...] = ()
    peers_still_present: tuple[str, ...] = ()
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.state == "done"


def _count(result: Mapping[str, Any], name: str) -> int:
    value = result.get(name)
    return len(value) if isinstance(value, list) else 0


def _peers(result: Mapping[str, Any], name: str) -> tuple[str, ...]:
    value = result.get(name)
    if not isinstance(value, list):
        return ()
    return tuple(sorted({str(s.get("peer_ip")) for s in value if isinstance(s, Mapping)}))


def host_cuts(run: PlaybookRun, hosts: tuple[str, ...] = ()) -> tuple[HostCut, ...]:
    """The cut's outcome on each host, from the sockets_cut task results of ``run``; a host of ``hosts``
    with no such result (skipped, limited away, the play stopped first) is ``not-run``."""
    found: dict[str, HostCut] = {}
    for item in run.results:
        if item.action not in SOCKETS_CUT_ACTIONS and item.status != "unreachable":
            continue
        res = item.result
        if item.status == "unreachable":
            found[item.host] = HostCut(item.host, "unreachable", error=str(res.get("msg") or "unreachable"))
            continue
        if item.status == "skipped":
            continue
        still = _count(res, "still_present")
        state: Literal["done", "incomplete", "failed"] = (
            "done" if item.status in ("ok", "changed") else "incomplete" if still else "failed"
        )
        found[item.host] = HostCut(
            item.host,
            state,
            matched=_count(res, "matched"),
            cut=_count(res, "cut"),
            still_present=still,
            protected=_count(res, "protected"),
            peers_cut=_peers(res, "cut"),
            peers_still_present=_peers(res, "still_present"),
            error=None if state == "done" else str(res.get("msg") or "failed"),
        )
    for host in hosts:
        found.setdefault(host, HostCut(host, "not-run"))
    return tuple(found[h] for h in sorted(found))
