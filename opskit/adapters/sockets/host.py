"""Host facts for `opskit sockets`: the psutil listing, the privilege check, network namespaces, and
the peers file."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from opskit.adapters.input_files import InputKind, read_input_bytes
from opskit.adapters.proc import which
from opskit.core.sockets.matching import PSUTIL_STATES
from opskit.core.sockets.model import Session
from opskit.core.sockets.ss import CAP_NET_ADMIN, CAP_SYS_ADMIN, has_capability
from opskit.core.sockets.validate import canonical_ip
from opskit.errors import EnvironmentProblem, InputError

SS_INSTALL_HINT = "Install iproute2 (apt-get install -y iproute2)."


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


def check_netns(netns_pid: int | None, *, need_nsenter: bool = True) -> None:
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


def in_netns(argv: Sequence[str], netns_pid: int | None) -> tuple[str, ...]:
    if netns_pid is None:
        return tuple(argv)
    # Only the network namespace is entered: pids in `ss -p` stay those of this host's /proc.
    return ("nsenter", "-t", str(netns_pid), "-n", "--", *argv)


def psutil_sessions() -> list[Session]:
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
        text = read_input_bytes(path, InputKind.PEERS).decode("utf-8")
    except OSError as exc:
        raise InputError.at(str(path), None, "--peers-file", f"cannot read: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise InputError.at(str(path), None, "--peers-file", "not UTF-8 text") from None
    return parse_peers_file(text, str(path))
