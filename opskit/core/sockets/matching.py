"""Match sessions against a validated filter in Python (for listings that the kernel did not filter)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol, TypeVar

from opskit.core.sockets.model import Session
from opskit.core.sockets.validate import ValidatedFilter, session_key, unmapped_ip

# psutil's status names → ss state names.
PSUTIL_STATES: dict[str, str] = {
    "ESTABLISHED": "established",
    "SYN_SENT": "syn-sent",
    "SYN_RECV": "syn-recv",
    "FIN_WAIT1": "fin-wait-1",
    "FIN_WAIT2": "fin-wait-2",
    "TIME_WAIT": "time-wait",
    "CLOSE_WAIT": "close-wait",
    "LAST_ACK": "last-ack",
    "CLOSING": "closing",
    "LISTEN": "listening",
    "CLOSE": "closed",
}


def peer_selected(peer_ip: str, flt: ValidatedFilter) -> bool:
    """Whether the other side's address lies in one of the filter's peers (v4-mapped counts as v4)."""
    if not flt.peers:
        return True
    peer = unmapped_ip(peer_ip)
    return any(peer.version == net.version and peer in net for net in flt.peers)


def session_matches(session: Session, flt: ValidatedFilter, *, check_owner: bool = True) -> bool:
    """True when ``session`` is a connected socket this filter selects (listening ones never are)."""
    return bool(select([session], flt, check_owner=check_owner))


def select(sessions: Iterable[Session], flt: ValidatedFilter, *, check_owner: bool = True) -> list[Session]:
    """The matching sessions, sorted by local then peer endpoint so output is stable."""
    peer_verdicts: dict[str, bool] = {}  # thousands of sessions share a few dozen peers
    chosen = []
    for s in sessions:
        if s.state not in flt.states:
            continue
        if flt.local_port is not None and s.local_port != flt.local_port:
            continue
        if flt.local_address is not None and unmapped_ip(s.local_ip) != flt.local_address:
            continue
        if s.peer_ip not in peer_verdicts:
            peer_verdicts[s.peer_ip] = peer_selected(s.peer_ip, flt)
        if not peer_verdicts[s.peer_ip]:
            continue
        if check_owner and flt.pid is not None and s.pid != flt.pid:
            continue
        if check_owner and flt.process is not None and s.process != flt.process:
            continue
        chosen.append(s)
    return sorted(chosen, key=lambda s: (s.local_port, s.local_ip, s.peer_ip, s.peer_port))


class _Endpoints(Protocol):
    @property
    def local_ip(self) -> str: ...
    @property
    def local_port(self) -> int: ...
    @property
    def peer_ip(self) -> str: ...
    @property
    def peer_port(self) -> int: ...
    @property
    def state(self) -> str: ...


Listed = TypeVar("Listed", bound=_Endpoints)


def select_by_address(sockets: Iterable[Listed], flt: ValidatedFilter) -> list[Listed]:
    """The sockets that match ``flt`` on state, local port and address, and peer (not on owner).

    Works on raw kernel records before any Session is built, so a cut builds Sessions only for
    what it will report; the checks are those of :func:`select`.
    """
    peer_verdicts: dict[str, bool] = {}
    local_verdicts: dict[str, bool] = {}
    chosen = []
    for s in sockets:
        if s.state not in flt.states:
            continue
        if flt.local_port is not None and s.local_port != flt.local_port:
            continue
        if flt.local_address is not None:
            if s.local_ip not in local_verdicts:
                local_verdicts[s.local_ip] = unmapped_ip(s.local_ip) == flt.local_address
            if not local_verdicts[s.local_ip]:
                continue
        if s.peer_ip not in peer_verdicts:
            peer_verdicts[s.peer_ip] = peer_selected(s.peer_ip, flt)
        if not peer_verdicts[s.peer_ip]:
            continue
        chosen.append(s)
    return chosen


def split_protected(sockets: list[Listed], flt: ValidatedFilter) -> tuple[list[Listed], list[Listed]]:
    """(to act on, spared): a protected session (the operator's own SSH) is never cut."""
    if not flt.protected:
        return sockets, []
    kept: list[Listed] = []
    spared: list[Listed] = []
    for s in sockets:
        key = session_key(s.local_ip, s.local_port, s.peer_ip, s.peer_port)
        (spared if key in flt.protected else kept).append(s)
    return kept, spared
