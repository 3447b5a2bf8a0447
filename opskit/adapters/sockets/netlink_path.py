"""The netlink cut path: one sock_diag dump lists the sessions (a dry run shows exactly these), then
SOCK_DESTROY names each listed socket by its full identity including the kernel's cookie, batched many
per sendmsg, and one more dump verifies."""

from __future__ import annotations

import socket
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from operator import itemgetter

from opskit.adapters.sock_diag import (
    DESTROY_BATCH,
    NetlinkUnavailable,
    destroy,
    dump_tcp,
    open_diag_socket,
)
from opskit.adapters.socket_owners import iter_socket_owners, socket_owners
from opskit.adapters.sockets.host import in_netns
from opskit.core.sockets.diag import (
    DiagSocket,
    destroy_problem,
    judge_destroy,
    netlink_destroy_entry,
    state_mask,
)
from opskit.core.sockets.matching import select_by_address, split_protected
from opskit.core.sockets.model import CutReport, Session
from opskit.core.sockets.ss import exact_session_expressions, kill_argv, server_side_expressions
from opskit.core.sockets.validate import ValidatedFilter

# Sockets per destroy request buffer while owners are still being found. Measured with 5,000
# sessions: 1,024 (one full request buffer) beat 256, and beat destroying only after the whole scan.
PIPELINE_BATCH = DESTROY_BATCH


class NetlinkCutPath:
    """Cuts over sock_diag netlink in the host's namespace or that of ``netns_pid``."""

    def __init__(self, netns_pid: int | None) -> None:
        self.netns_pid = netns_pid

    def cut(self, flt: ValidatedFilter, *, yes: bool, settle_seconds: float) -> CutReport:
        """Raises NetlinkUnavailable only before anything is destroyed (no socket, or the first dump
        refused): the caller may then use another path."""
        with open_diag_socket(self.netns_pid) as diag:
            listed = dump_tcp(diag, state_mask(flt.states), flt.local_port)
            return _cut_listed(diag, flt, listed, yes, self.netns_pid, settle_seconds)


def _cut_listed(
    diag: socket.socket,
    flt: ValidatedFilter,
    listed: list[DiagSocket],
    yes: bool,
    netns_pid: int | None,
    settle_seconds: float,
) -> CutReport:
    candidates, spared_sockets = split_protected(select_by_address(listed, flt), flt)
    spared = tuple(
        Session(d.local_ip, d.local_port, d.peer_ip, d.peer_port, d.state, None, None) for d in spared_sockets
    )
    wanted = {d.inode for d in candidates if d.inode}
    uids = {d.uid for d in candidates}
    if not yes:
        _, matched = _with_owners(candidates, socket_owners(wanted, uids), flt)
        commands = _netlink_commands(flt, matched, netns_pid) if matched else ()
        return CutReport(True, tuple(matched), (), (), (), commands, None, spared)
    # Each socket is destroyed only once its owner is on record, but without waiting for the whole
    # scan: owner-confirmed batches go to a worker thread that sits in the kernel (sendmsg releases
    # the GIL) while this thread reads the next descriptors.
    by_inode = {d.inode: d for d in candidates if d.inode}
    owners: dict[int, tuple[int, str | None]] = {}
    with _BatchDestroyer(diag) as destroyer:
        for pid, name, inodes in iter_socket_owners(wanted, uids):
            for inode in inodes:
                owners[inode] = (pid, name)
                if _owner_selected(flt, pid, name):
                    destroyer.add(by_inode[inode])
        if not flt.needs_owner:  # sockets no process holds (orphans, time-wait) match by address alone
            for d in candidates:
                if d.inode not in owners:
                    destroyer.add(d)
        # The worker verifies once its last batch is destroyed; meanwhile the report is assembled here.
        verified = destroyer.verify_when_done(
            lambda cookies, families: _cookies_still_listed(diag, flt, cookies, families, settle_seconds)
        )
        targets, matched = _with_owners(candidates, owners, flt)
        commands = _netlink_commands(flt, matched, netns_pid)
        errors, problem = destroyer.results()
    if not matched:
        return CutReport(False, (), (), (), (), (), None, spared)
    cookies = [t.cookie for t in targets]
    try:
        after = verified.result()
    except (NetlinkUnavailable, OSError) as exc:  # cannot prove anything is gone: count all as present
        after, problem = set(cookies), problem or f"listing after the cut failed: {exc}"
    outcome = judge_destroy(cookies, errors, after)
    return CutReport(
        False,
        tuple(matched),
        tuple(matched[i] for i in outcome.cut),
        tuple(matched[i] for i in outcome.still_present),
        tuple(matched[i] for i in outcome.closed_on_own),
        commands,
        problem or destroy_problem(outcome.refused),
        spared,
    )


def _owner_selected(flt: ValidatedFilter, pid: int | None, process: str | None) -> bool:
    if flt.pid is not None and pid != flt.pid:
        return False
    return flt.process is None or process == flt.process


def _with_owners(
    candidates: list[DiagSocket], owners: dict[int, tuple[int, str | None]], flt: ValidatedFilter
) -> tuple[list[DiagSocket], list[Session]]:
    """The candidates the owner filter keeps, and their Sessions, in report order (local, then peer)."""
    targets: list[DiagSocket] = []
    matched: list[Session] = []
    unknown = (None, None)
    for d in sorted(candidates, key=itemgetter(3, 2, 4, 5)):
        pid, process = owners.get(d.inode, unknown)
        if _owner_selected(flt, pid, process):
            targets.append(d)
            matched.append(Session(d.local_ip, d.local_port, d.peer_ip, d.peer_port, d.state, pid, process))
    return targets, matched


class _BatchDestroyer:
    """Destroys sockets in batches on one worker thread, in the order they were added."""

    def __init__(self, diag: socket.socket, batch: int = PIPELINE_BATCH) -> None:
        self._diag = diag
        self._batch = batch
        self._pending: list[DiagSocket] = []
        self._pool = ThreadPoolExecutor(max_workers=1)  # one thread: the netlink socket is not shared
        self._futures: list[Future[dict[bytes, int]]] = []
        self._cookies: set[bytes] = set()
        self._families: set[int] = set()

    def __enter__(self) -> _BatchDestroyer:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._pool.shutdown(wait=True)

    def add(self, target: DiagSocket) -> None:
        self._pending.append(target)
        self._cookies.add(target.cookie)
        self._families.add(target.family)
        if len(self._pending) >= self._batch:
            self._submit()

    def _submit(self) -> None:
        if self._pending:
            self._futures.append(self._pool.submit(destroy, self._diag, self._pending))
            self._pending = []

    def verify_when_done(self, verify: Callable[[set[bytes], set[int]], set[bytes]]) -> Future[set[bytes]]:
        """Queue the last batch, then ``verify(cookies, families)`` of everything added, which the
        worker runs only after every destroy has returned."""
        self._submit()
        return self._pool.submit(verify, set(self._cookies), set(self._families))

    def results(self) -> tuple[dict[bytes, int], str | None]:
        """Errno by cookie of every refused request, and why the destroy broke off, if it did."""
        self._submit()
        errors: dict[bytes, int] = {}
        problem: str | None = None
        for future in self._futures:
            try:
                errors.update(future.result())
            except (NetlinkUnavailable, OSError) as exc:  # mid-cut: never retried with ss; verified below
                problem = problem or f"the netlink destroy failed part-way: {exc}"
        return errors, problem


def _netlink_commands(
    flt: ValidatedFilter, matched: list[Session], netns_pid: int | None
) -> tuple[tuple[str, ...], ...]:
    """What is done (the netlink destroy), then the `ss -K` a human could run for the same cut."""
    expressions = exact_session_expressions(matched) if flt.needs_owner else server_side_expressions(flt)
    equivalent = [in_netns(kill_argv(flt, e), netns_pid) for e in expressions]
    return (netlink_destroy_entry(len(matched), netns_pid), *equivalent)


def _cookies_still_listed(
    diag: socket.socket,
    flt: ValidatedFilter,
    wanted: set[bytes],
    families: set[int],
    settle_seconds: float,
) -> set[bytes]:
    """Cookies of the cut sockets that one dump with the same kernel filter still lists.

    Only the address families of the cut sockets are dumped: a socket never changes family.

    A destroyed socket leaves the kernel's tables at once, so this normally reads an empty dump and
    returns; only a survivor makes it look again until ``settle_seconds``.
    """
    deadline = time.monotonic() + settle_seconds
    while True:
        listed = dump_tcp(diag, state_mask(flt.states), flt.local_port, families)
        present = {d.cookie for d in listed} & wanted
        if not present or time.monotonic() >= deadline:
            return present
        time.sleep(min(0.05, settle_seconds))
