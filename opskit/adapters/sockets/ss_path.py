"""The `ss -K` cut path, for hosts where sock_diag netlink cannot be opened from Python, and the `ss`
listing used inside another network namespace."""

from __future__ import annotations

import dataclasses
import re
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor

from opskit.adapters.proc import run, which
from opskit.adapters.socket_owners import socket_owners
from opskit.adapters.sockets.host import SS_INSTALL_HINT, check_netns, in_netns
from opskit.core.sockets.matching import select, split_protected
from opskit.core.sockets.model import CutReport, Session
from opskit.core.sockets.ss import (
    KERNEL_WITHOUT_DESTROY,
    destroy_failure,
    exact_session_expressions,
    judge_kill,
    kill_argv,
    list_argv,
    other_ss_failure,
    parse_ss_sessions,
    server_side_expressions,
)
from opskit.core.sockets.validate import ValidatedFilter
from opskit.errors import EnvironmentProblem

SS_TIMEOUT_SECONDS = 30.0


_INODE_FIELD = re.compile(r"\bino:(\d+)")


class SsCutPath:
    """Cuts with `ss -K` (through `nsenter` for another namespace)."""

    def __init__(self, netns_pid: int | None) -> None:
        self.netns_pid = netns_pid

    def cut(self, flt: ValidatedFilter, *, yes: bool, settle_seconds: float) -> CutReport:
        return _cut_with_ss(flt, yes, self.netns_pid, settle_seconds)


def _cut_with_ss(validated: ValidatedFilter, yes: bool, netns_pid: int | None, settle_seconds: float) -> CutReport:
    """The `ss -K` path, for hosts where sock_diag netlink cannot be opened from Python."""
    which("ss", SS_INSTALL_HINT)
    check_netns(netns_pid)
    listing = _list_raw(validated, netns_pid, with_inode=True)
    owners = socket_owners(_inodes(listing))
    if validated.needs_owner or validated.protected or not yes or not any(t.strip() for t in listing):
        matched, spared = split_protected(_parse_listing(validated, listing, owners, check_owner=True), validated)
        # A spared session lies inside the server-side filter, so only exact expressions may run then.
        expressions = (
            exact_session_expressions(matched)
            if validated.needs_owner or spared
            else server_side_expressions(validated)
        )
        commands = [in_netns(kill_argv(validated, e), netns_pid) for e in expressions] if matched else []
        if not yes or not matched:
            return CutReport(not yes, tuple(matched), (), (), (), tuple(commands), None, tuple(spared))
        report = _kill_and_verify(validated, matched, commands, netns_pid, settle_seconds)
        return dataclasses.replace(report, protected=tuple(spared))
    # The kill filter does not depend on the parsed listing here, so parsing overlaps the kill.
    commands = [in_netns(kill_argv(validated, e), netns_pid) for e in server_side_expressions(validated)]
    with ThreadPoolExecutor(max_workers=1) as pool:
        killing = pool.submit(_run_kills, commands)
        matched = _parse_listing(validated, listing, owners, check_owner=True)
        killed = killing.result()
    return _verify(validated, matched, commands, killed, netns_pid, settle_seconds)


def _kill_and_verify(
    flt: ValidatedFilter,
    matched: list[Session],
    commands: list[tuple[str, ...]],
    netns_pid: int | None,
    settle_seconds: float,
) -> CutReport:
    return _verify(flt, matched, commands, _run_kills(commands), netns_pid, settle_seconds)


def _run_kills(commands: list[tuple[str, ...]]) -> tuple[list[str], str | None]:
    """Run every ss -K; ss exits 0 on failure, so stderr decides. Returns (ss outputs, problem)."""
    destroyed: list[str] = []
    problem: str | None = None
    for argv in commands:
        done = run(argv, timeout=SS_TIMEOUT_SECONDS)
        problem = problem or destroy_failure(done.stderr) or other_ss_failure(done.returncode, done.stderr)
        if done.timed_out:
            problem = problem or f"ss -K timed out after {SS_TIMEOUT_SECONDS:.0f} s"
        destroyed.append(done.stdout)
    return destroyed, problem


def _verify(
    flt: ValidatedFilter,
    matched: list[Session],
    commands: list[tuple[str, ...]],
    killed: tuple[list[str], str | None],
    netns_pid: int | None,
    settle_seconds: float,
) -> CutReport:
    outputs, problem = killed
    single_state = flt.states[0] if len(flt.states) == 1 else None
    with ThreadPoolExecutor(max_workers=1) as pool:
        listing_again = pool.submit(_still_listed, flt, matched, netns_pid, settle_seconds)
        destroyed = [s for text in outputs for s in parse_ss_sessions(text, single_state)]
        after = listing_again.result()
    verdict = judge_kill(matched, destroyed, after)
    if problem is None and verdict.kernel_without_destroy:
        problem = KERNEL_WITHOUT_DESTROY
    return CutReport(
        False,
        tuple(matched),
        verdict.cut,
        verdict.still_present,
        verdict.closed_on_own,
        tuple(commands),
        problem,
    )


def ss_sessions(flt: ValidatedFilter, netns_pid: int | None, *, with_owner: bool) -> list[Session]:
    listing = _list_raw(flt, netns_pid, with_inode=with_owner)
    owners = socket_owners(_inodes(listing)) if with_owner else None
    return _parse_listing(flt, listing, owners, check_owner=with_owner)


def _list_raw(flt: ValidatedFilter, netns_pid: int | None, *, with_inode: bool) -> list[str]:
    """Raw `ss` output for the server-side filter(s): the kernel filters by port and peer."""
    which("ss", SS_INSTALL_HINT)
    check_netns(netns_pid)
    outputs = []
    for expression in server_side_expressions(flt):
        done = run(
            in_netns(list_argv(flt, expression, with_inode=with_inode), netns_pid),
            timeout=SS_TIMEOUT_SECONDS,
        )
        failure = other_ss_failure(done.returncode, done.stderr)
        if failure or done.timed_out:
            raise EnvironmentProblem(f"listing sessions failed: {failure or 'ss timed out'}")
        outputs.append(done.stdout)
    return outputs


def _parse_listing(
    flt: ValidatedFilter,
    outputs: list[str],
    owners: dict[int, tuple[int, str | None]] | None,
    *,
    check_owner: bool,
) -> list[Session]:
    single_state = flt.states[0] if len(flt.states) == 1 else None
    found = [s for text in outputs for s in parse_ss_sessions(text, single_state, owners)]
    # Re-checked here too: the owner filter is not in the kernel's, and listening never passes.
    return select(found, flt, check_owner=check_owner)


def _inodes(outputs: list[str]) -> set[int]:
    return {int(m) for text in outputs for m in _INODE_FIELD.findall(text)}


def _still_listed(
    flt: ValidatedFilter, matched: Sequence[Session], netns_pid: int | None, settle_seconds: float
) -> list[Session]:
    wanted = {s.key for s in matched}
    deadline = time.monotonic() + settle_seconds
    while True:
        present = [s for s in ss_sessions(flt, netns_pid, with_owner=False) if s.key in wanted]
        if not present or time.monotonic() >= deadline:
            return present
        time.sleep(min(0.05, settle_seconds))
