"""Side effects for `opskit sockets`: list with psutil or ss, cut with `ss -K`, check privileges."""

from __future__ import annotations

import os
import re
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from opskit.adapters.proc import run, which
from opskit.core.sockets.matching import PSUTIL_STATES, select
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
    """Cut the matching sessions with `ss -K`, then list again to prove what happened.

    ``yes=False`` is a dry run: it lists with the very filter the kill would use and returns the
    commands it would run. ``settle_seconds`` is the longest wait for stragglers before a session that
    is still listed counts as still present; nothing waits when all are gone at once.
    """
    validated = validate_filter(flt, for_kill=True)
    _check_netns(netns_pid)
    if yes:
        require_kill_privilege(netns_pid)
    listing = _list_raw(validated, netns_pid, with_inode=True)
    owners = socket_owners(_inodes(listing))
    if validated.needs_owner or not yes or not any(text.strip() for text in listing):
        matched = _parse_listing(validated, listing, owners, check_owner=True)
        expressions = (
            exact_session_expressions(matched)
            if validated.needs_owner
            else server_side_expressions(validated)
        )
        commands = [_in_netns(kill_argv(validated, e), netns_pid) for e in expressions] if matched else []
        if not yes or not matched:
            return CutReport(not yes, tuple(matched), (), (), (), tuple(commands), None)
        return _kill_and_verify(validated, matched, commands, netns_pid, settle_seconds)
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


def require_kill_privilege(netns_pid: int | None = None) -> None:
    """Refuse before trying: ss -K without CAP_NET_ADMIN prints an error yet exits 0."""
    which("ss", SS_INSTALL_HINT)
    status = Path("/proc/self/status").read_text(encoding="utf-8")
    if not has_capability(status, CAP_NET_ADMIN):
        who = "root without CAP_NET_ADMIN" if os.geteuid() == 0 else f"uid {os.geteuid()}"
        raise EnvironmentProblem(
            f"cutting sessions needs root or CAP_NET_ADMIN, and this process runs as {who}; "
            "ss -K would answer 'SOCK_DESTROY answers: Operation not permitted' and exit 0.",
            hint="Run with sudo (or grant CAP_NET_ADMIN); nothing was cut.",
        )
    if netns_pid is not None and not has_capability(status, CAP_SYS_ADMIN):
        raise EnvironmentProblem(
            "entering another network namespace (--netns) needs CAP_SYS_ADMIN.",
            hint="Run with sudo; nothing was cut.",
        )


def _check_netns(netns_pid: int | None) -> None:
    if netns_pid is None:
        return
    if netns_pid <= 0:
        raise InputError.at(None, None, "--netns", f"{netns_pid} is not a process id")
    if not Path(f"/proc/{netns_pid}/ns/net").exists():
        raise InputError.at(
            None,
            None,
            "--netns",
            f"no process {netns_pid} (its network namespace is needed to act inside a container)",
        )
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


def socket_owners(wanted: set[int]) -> dict[int, tuple[int, str | None]]:
    """Socket inode → (pid, process name) for the ``wanted`` inodes, from /proc/<pid>/fd.

    Stops as soon as every wanted inode has an owner: the scan costs one readlink per descriptor on
    the host, which is why `ss -p` (a full rescan) is not used.
    """
    owners: dict[int, tuple[int, str | None]] = {}
    if not wanted:
        return owners
    missing = set(wanted)
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        pid = int(entry.name)
        name: str | None = None
        named = False
        try:
            # readlink relative to an open fd directory skips a path walk per descriptor (~25 % faster)
            fd_dir = os.open(f"/proc/{pid}/fd", os.O_RDONLY | os.O_DIRECTORY)
        except OSError:
            continue  # gone, or not ours to read
        try:
            for fd in os.listdir(fd_dir):
                try:
                    target = os.readlink(fd, dir_fd=fd_dir)
                except OSError:
                    continue
                if not target.startswith("socket:["):
                    continue
                inode = int(target[8:-1])
                if inode in missing:
                    if not named:
                        name, named = _process_name(pid), True
                    owners[inode] = (pid, name)
                    missing.discard(inode)
        except OSError:
            continue
        finally:
            os.close(fd_dir)
        if not missing:
            break
    return owners


def _process_name(pid: int) -> str | None:
    try:
        return Path(f"/proc/{pid}/comm").read_text(encoding="utf-8", errors="replace").strip()
    except OSError:
        return None


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
    from opskit.core.sockets.validate import parse_peers_file

    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError.at(str(path), None, "--peers-file", f"cannot read: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise InputError.at(str(path), None, "--peers-file", "not UTF-8 text") from None
    return parse_peers_file(text, str(path))
