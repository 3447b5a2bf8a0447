"""Side effects for `opskit sockets`: list with psutil or ss, cut over sock_diag netlink (or `ss -K`
where netlink cannot be used), check privileges."""

from __future__ import annotations

import dataclasses
import os
import re
import socket
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from operator import itemgetter
from pathlib import Path

from opskit.adapters.proc import run, which
from opskit.adapters.sock_diag import (
    DESTROY_BATCH,
    NetlinkUnavailable,
    destroy,
    dump_tcp,
    open_diag_socket,
)
from opskit.adapters.socket_owners import iter_socket_owners, socket_owners
from opskit.core.sockets.diag import (
    DiagSocket,
    destroy_problem,
    judge_destroy,
    netlink_destroy_entry,
    state_mask,
)
from opskit.core.sockets.matching import PSUTIL_STATES, select, select_by_address, split_protected
from opskit.core.sockets.model import CutReport, Session, SessionFilter
from opskit.core.sockets.ss import (
    CAP_NET_ADMIN,
    CAP_SYS_ADMIN,
    KERNEL_WITHOUT_DESTROY,
    destroy_failure,
    exact_session_expressions,
    has_capability,
    judge_kill,
    kill_argv,
    list_argv,
    other_ss_failure,
    parse_ss_sessions,
    server_side_expressions,
)
from opskit.core.sockets.validate import ValidatedFilter, canonical_ip, validate_filter
from opskit.errors import EnvironmentProblem, InputError

SS_TIMEOUT_SECONDS = 30.0
_INODE_FIELD = re.compile(r"\bino:(\d+)")
SS_INSTALL_HINT = "Install iproute2 (apt-get install -y iproute2)."
# Sockets per destroy request buffer while owners are still being found. Measured with 5,000
# sessions: 1,024 (one full request buffer) beat 256, and beat destroying only after the whole scan.
PIPELINE_BATCH = DESTROY_BATCH


def list_sessions(flt: SessionFilter, *, netns_pid: int | None = None) -> list[Session]:
    """Connected TCP sessions matching ``flt`` (never listening sockets), sorted by port and peer.

    On the host psutil reads them; inside another network namespace only ``nsenter … ss`` can.
    """
    validated = validate_filter(flt, for_kill=False)
    if netns_pid is None:
        return select(_psutil_sessions(), validated)
    return _ss_matching(validated, netns_pid, with_owner=True)


def cut_sessions(
    flt: SessionFilter,
    *,
    yes: bool,
    netns_pid: int | None = None,
    settle_seconds: float = 0.2,
) -> CutReport:
    """Cut the matching sessions, then list again to prove what happened.

    The cut goes over sock_diag netlink: one dump lists the sessions (the dry run shows exactly
    these), then SOCK_DESTROY names each listed socket by its full identity including the kernel's
    cookie, batched many per sendmsg, and one more dump verifies. Where netlink cannot be used the
    same is done with `ss -K`. ``yes=False`` is a dry run. ``settle_seconds`` is the longest wait for
    stragglers before a session still listed counts as still present.
    """
    validated = validate_filter(flt, for_kill=True)
    _check_netns(netns_pid, need_nsenter=False)
    if yes:
        require_kill_privilege(netns_pid, need_ss=False)
    try:
        diag = open_diag_socket(netns_pid)
    except NetlinkUnavailable:
        return _cut_with_ss(validated, yes, netns_pid, settle_seconds)
    with diag:
        try:
            listed = dump_tcp(diag, state_mask(validated.states), validated.local_port)
        except NetlinkUnavailable:
            return _cut_with_ss(validated, yes, netns_pid, settle_seconds)
        return _cut_listed(diag, validated, listed, yes, netns_pid, settle_seconds)


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
    equivalent = [_in_netns(kill_argv(flt, e), netns_pid) for e in expressions]
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


def _cut_with_ss(
    validated: ValidatedFilter, yes: bool, netns_pid: int | None, settle_seconds: float
) -> CutReport:
    """The `ss -K` path, for hosts where sock_diag netlink cannot be opened from Python."""
    which("ss", SS_INSTALL_HINT)
    _check_netns(netns_pid)
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
        commands = [_in_netns(kill_argv(validated, e), netns_pid) for e in expressions] if matched else []
        if not yes or not matched:
            return CutReport(not yes, tuple(matched), (), (), (), tuple(commands), None, tuple(spared))
        report = _kill_and_verify(validated, matched, commands, netns_pid, settle_seconds)
        return dataclasses.replace(report, protected=tuple(spared))
    # The kill filter does not depend on the parsed listing here, so parsing overlaps the kill.
    commands = [_in_netns(kill_argv(validated, e), netns_pid) for e in server_side_expressions(validated)]
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


def require_kill_privilege(netns_pid: int | None = None, *, need_ss: bool = True) -> None:
    """Refuse before trying: without CAP_NET_ADMIN the kernel refuses every SOCK_DESTROY (and ss -K
    prints that, yet exits 0)."""
    if need_ss:
        which("ss", SS_INSTALL_HINT)
    status = Path("/proc/self/status").read_text(encoding="utf-8")
    if not has_capability(status, CAP_NET_ADMIN):
        who = "root without CAP_NET_ADMIN" if os.geteuid() == 0 else f"uid {os.geteuid()}"
        raise EnvironmentProblem(
            f"cutting sessions needs root or CAP_NET_ADMIN, and this process runs as {who}; "
            "the kernel refuses SOCK_DESTROY without it (ss -K would print 'SOCK_DESTROY answers: Operation "
            "not permitted' and still exit 0).",
            hint="Run with sudo (or grant CAP_NET_ADMIN); nothing was cut.",
        )
    if netns_pid is not None and not has_capability(status, CAP_SYS_ADMIN):
        raise EnvironmentProblem(
            "entering another network namespace (--netns) needs CAP_SYS_ADMIN.",
            hint="Run with sudo; nothing was cut.",
        )


def _check_netns(netns_pid: int | None, *, need_nsenter: bool = True) -> None:
    if netns_pid is None:
        return
    if netns_pid <= 0:
        raise InputError.option("--netns", f"{netns_pid} is not a process id")
    if not Path(f"/proc/{netns_pid}/ns/net").exists():
        raise InputError.at(
            None,
            None,
            "--netns",
            f"no process {netns_pid} (its network namespace is needed to act inside a container)",
        )
    if need_nsenter:
        which("nsenter", "Install util-linux (apt-get install -y util-linux).")


def _in_netns(argv: Sequence[str], netns_pid: int | None) -> tuple[str, ...]:
    if netns_pid is None:
        return tuple(argv)
    # Only the network namespace is entered: pids in `ss -p` stay those of this host's /proc.
    return ("nsenter", "-t", str(netns_pid), "-n", "--", *argv)


def _ss_matching(flt: ValidatedFilter, netns_pid: int | None, *, with_owner: bool) -> list[Session]:
    listing = _list_raw(flt, netns_pid, with_inode=with_owner)
    owners = socket_owners(_inodes(listing)) if with_owner else None
    return _parse_listing(flt, listing, owners, check_owner=with_owner)


def _list_raw(flt: ValidatedFilter, netns_pid: int | None, *, with_inode: bool) -> list[str]:
    """Raw `ss` output for the server-side filter(s): the kernel filters by port and peer."""
    which("ss", SS_INSTALL_HINT)
    _check_netns(netns_pid)
    outputs = []
    for expression in server_side_expressions(flt):
        done = run(
            _in_netns(list_argv(flt, expression, with_inode=with_inode), netns_pid),
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
        present = [s for s in _ss_matching(flt, netns_pid, with_owner=False) if s.key in wanted]
        if not present or time.monotonic() >= deadline:
            return present
        time.sleep(min(0.05, settle_seconds))


def _psutil_sessions() -> list[Session]:
    import psutil

    names: dict[int, str | None] = {}

    def process_name(pid: int | None) -> str | None:
        if pid is None:
            return None
        if pid not in names:
            try:
                names[pid] = psutil.Process(pid).name()
            except psutil.Error:
                names[pid] = None
        return names[pid]

    sessions = []
    for conn in psutil.net_connections(kind="tcp"):
        if not conn.raddr or not conn.laddr:
            continue  # listening or unbound: never ours to touch
        state = PSUTIL_STATES.get(conn.status)
        if state is None or state == "listening":
            continue
        sessions.append(
            Session(
                local_ip=canonical_ip(conn.laddr.ip),
                local_port=conn.laddr.port,
                peer_ip=canonical_ip(conn.raddr.ip),
                peer_port=conn.raddr.port,
                state=state,
                pid=conn.pid,
                process=process_name(conn.pid),
            )
        )
    return sessions


def read_peers_file(path: Path) -> tuple[str, ...]:
    """Peers listed in ``path`` (one IP or CIDR per line), each line validated with its number."""
    from opskit.adapters.paths import read_regular_text
    from opskit.core.sockets.validate import parse_peers_file

    return parse_peers_file(read_regular_text(path, "--peers-file"), str(path))
