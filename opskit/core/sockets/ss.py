"""Build `ss` argv from validated values, parse its output, and judge what a kill really did."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from opskit.core.sockets.model import Session
from opskit.core.sockets.validate import (
    SS_STATE_COLUMN,
    IPNetwork,
    ValidatedFilter,
    canonical_ip,
)

# One argv element may not exceed MAX_ARG_STRLEN (128 KiB) and the kernel's inet_diag bytecode
# must fit a 64 KiB netlink attribute; staying far below both keeps every batch valid.
MAX_EXPRESSION_CHARS = 24_000
MAX_TERMS_PER_CALL = 256

CAP_NET_ADMIN = 12
CAP_SYS_ADMIN = 21

KERNEL_WITHOUT_DESTROY = (
    "ss -K matched these sessions but destroyed none of them and reported no error: this kernel was "
    "built without CONFIG_INET_DIAG_DESTROY (ss cannot kill sockets here). Fix: boot a kernel with "
    "CONFIG_INET_DIAG_DESTROY=y, or close the sessions from the application / restart the owning "
    "process, or cut them on a host whose kernel supports it (e.g. the proxy in front)."
)

_USERS = re.compile(r'\("((?:[^"\\]|\\.)*)",pid=(\d+),fd=\d+\)')


def _network_term(network: IPNetwork) -> str:
    # Always ADDR/PREFIX: ss then never mistakes the last IPv6 group for a port.
    return f"{network.network_address.compressed}/{network.prefixlen}"


def _base_argv(flt: ValidatedFilter, *, kill: bool, with_inode: bool) -> list[str]:
    # -e adds the socket inode; owners are found from it (one /proc scan run in parallel) because
    # `ss -p` rescans every process's descriptors and costs more than the kill itself.
    flags = "-tn" + ("e" if with_inode else "") + "H"
    argv = ["ss", "-K", flags] if kill else ["ss", flags]
    for state in flt.states:
        argv += ["state", state]
    return argv


def _side_terms(flt: ValidatedFilter) -> list[str]:
    terms = []
    if flt.local_port is not None:
        terms.append(f"sport = :{flt.local_port}")
    if flt.local_address is not None:
        prefix = 32 if flt.local_address.version == 4 else 128
        terms.append(f"src {flt.local_address.compressed}/{prefix}")
    return terms


def server_side_expressions(flt: ValidatedFilter) -> list[str]:
    """The ss filter(s) for ``flt`` from this host's side: ``sport = :P and ( dst A or dst B … )``.

    Many peers are split into as few expressions as the argv and bytecode limits allow.
    """
    fixed = _side_terms(flt)
    if not flt.peers:
        return [f"( {' and '.join(fixed)} )" if fixed else ""]
    return [
        "( " + " and ".join([*fixed, "( " + " or ".join(chunk) + " )"]) + " )"
        for chunk in _chunks([f"dst {_network_term(p)}" for p in flt.peers], len(" and ".join(fixed)))
    ]


def exact_session_expressions(sessions: Sequence[Session]) -> list[str]:
    """Filters that match exactly these 4-tuples (used when the owner narrowed the match)."""
    terms = [
        f"( src {_host_port(s.local_ip, s.local_port)} and dst {_host_port(s.peer_ip, s.peer_port)} )" for s in sessions
    ]
    return ["( " + " or ".join(chunk) + " )" for chunk in _chunks(terms, 0)]


def _host_port(ip: str, port: int) -> str:
    return f"[{ip}]:{port}" if ":" in ip else f"{ip}:{port}"


def _chunks(terms: list[str], overhead: int) -> Iterable[list[str]]:
    chunk: list[str] = []
    size = overhead + 16
    for term in terms:
        if chunk and (len(chunk) >= MAX_TERMS_PER_CALL or size + len(term) + 4 > MAX_EXPRESSION_CHARS):
            yield chunk
            chunk, size = [], overhead + 16
        chunk.append(term)
        size += len(term) + 4
    if chunk:
        yield chunk


def list_argv(flt: ValidatedFilter, expression: str, *, with_inode: bool = True) -> tuple[str, ...]:
    """argv listing what ``expression`` matches, i.e. exactly what a kill would cut."""
    argv = _base_argv(flt, kill=False, with_inode=with_inode)
    return tuple([*argv, expression] if expression else argv)


def kill_argv(flt: ValidatedFilter, expression: str) -> tuple[str, ...]:
    """argv of ``ss -K`` for ``expression``; the state words keep listening sockets out."""
    argv = _base_argv(flt, kill=True, with_inode=False)
    return tuple([*argv, expression] if expression else argv)


def parse_ss_sessions(
    text: str, default_state: str | None, owners: Mapping[int, tuple[int, str | None]] | None = None
) -> list[Session]:
    """Parse ``ss -tn[p|e]H`` lines. ss drops the State column when exactly one state was asked for,
    so ``default_state`` names it then. ``owners`` maps a socket inode (``-e``) to (pid, name)."""
    sessions = []
    for line in text.splitlines():
        fields = line.split()
        if len(fields) < 4:
            continue
        state = SS_STATE_COLUMN.get(fields[0])
        first = 1 if state is not None else 0
        state = state or default_state
        if state is None or len(fields) < first + 4 or not fields[first].isdigit():
            continue
        local, peer = _split_endpoint(fields[first + 2]), _split_endpoint(fields[first + 3])
        if local is None or peer is None:
            continue
        pid: int | None = None
        process: str | None = None
        for extra in fields[first + 4 :]:  # -p adds users:((…)), -e adds ino:N among others
            if extra.startswith("users:("):
                match = _USERS.search(line)
                if match:
                    pid, process = int(match.group(2)), match.group(1)
                break
            if owners and extra.startswith("ino:") and extra[4:].isdigit():
                pid, process = owners.get(int(extra[4:]), (None, None))
                break
        sessions.append(Session(local[0], local[1], peer[0], peer[1], state, pid, process))
    return sessions


def _split_endpoint(text: str) -> tuple[str, int] | None:
    host, _, port = text.rpartition(":")
    if not port.isdigit() or not host or host == "*":
        return None
    try:
        return canonical_ip(host), int(port)
    except ValueError:
        return None


def destroy_failure(stderr: str) -> str | None:
    """ss exits 0 even when SOCK_DESTROY fails; its stderr is the only sign."""
    for line in stderr.splitlines():
        if "SOCK_DESTROY answers" in line:
            reason = line.strip()
            if "not permitted" in line.lower():
                reason += " (ss -K needs root or CAP_NET_ADMIN)"
            return reason
    return None


def other_ss_failure(returncode: int, stderr: str) -> str | None:
    """A non-zero exit means ss refused the filter or could not run."""
    if returncode != 0:
        return f"ss exited {returncode}: {stderr.strip() or 'no message'}"
    return None


@dataclass(frozen=True)
class KillOutcome:
    """What became of each matched session after ``ss -K``: cut, still there, or gone by itself."""

    cut: tuple[Session, ...]
    still_present: tuple[Session, ...]
    closed_on_own: tuple[Session, ...]
    kernel_without_destroy: bool


def judge_kill(matched: Sequence[Session], destroyed: Sequence[Session], after: Sequence[Session]) -> KillOutcome:
    """Compare the listing before, what ``ss -K`` printed as destroyed, and the listing after.

    ss prints a socket only after SOCK_DESTROY succeeded, and skips silently when the kernel
    answers EOPNOTSUPP (no CONFIG_INET_DIAG_DESTROY) or ENOENT (already gone).
    """
    destroyed_keys = {s.key for s in destroyed}
    after_keys = {s.key for s in after}
    cut: list[Session] = []
    still: list[Session] = []
    on_own: list[Session] = []
    for session in matched:
        if session.key in after_keys:
            still.append(session)
        elif session.key in destroyed_keys:
            cut.append(session)
        else:
            on_own.append(session)
    # A session that appeared between the listing and the kill matched the same filter: it was cut too.
    matched_keys = {s.key for s in matched}
    cut += [s for s in destroyed if s.key not in matched_keys and s.key not in after_keys]
    silent_survivors = [s for s in still if s.key not in destroyed_keys]
    return KillOutcome(
        tuple(cut),
        tuple(still),
        tuple(on_own),
        kernel_without_destroy=bool(silent_survivors) and not destroyed_keys,
    )


def effective_capabilities(status_text: str) -> int:
    """The CapEff bitmask from the text of /proc/<pid>/status (0 when absent)."""
    for line in status_text.splitlines():
        if line.startswith("CapEff:"):
            return int(line.split(":", 1)[1].strip(), 16)
    return 0


def has_capability(status_text: str, capability: int) -> bool:
    """Whether the effective set in /proc/<pid>/status text holds ``capability``."""
    return bool(effective_capabilities(status_text) >> capability & 1)
