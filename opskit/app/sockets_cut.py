"""`opskit sockets list|kill` end to end: validate the filter, check privileges, list or cut through the
chosen path (see adapters/sockets/paths.py), verify."""

from __future__ import annotations

from pathlib import Path

from opskit.adapters.sockets.host import check_netns, psutil_sessions, require_kill_privilege
from opskit.adapters.sockets.host import read_peers_file as _read_peers_file
from opskit.adapters.sockets.paths import cut_matching
from opskit.adapters.sockets.ss_path import ss_sessions
from opskit.core.sockets.matching import select
from opskit.core.sockets.model import CutReport, Session, SessionFilter
from opskit.core.sockets.validate import validate_filter


def list_sessions(flt: SessionFilter, *, netns_pid: int | None = None) -> list[Session]:
    """Connected TCP sessions matching ``flt`` (never listening sockets), sorted by port and peer.

    On the host psutil reads them; inside another network namespace only ``nsenter … ss`` can.
    """
    validated = validate_filter(flt, for_kill=False)
    if netns_pid is None:
        return select(psutil_sessions(), validated)
    return ss_sessions(validated, netns_pid, with_owner=True)


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
    check_netns(netns_pid, need_nsenter=False)
    if yes:
        require_kill_privilege(netns_pid, need_ss=False)
    return cut_matching(validated, yes=yes, netns_pid=netns_pid, settle_seconds=settle_seconds)


def read_peers_file(path: Path) -> tuple[str, ...]:
    """Peers listed in ``path`` (one IP or CIDR per line), each line validated with its number."""
    return _read_peers_file(path)
