"""Match sessions against a validated filter in Python (for listings that the kernel did not filter)."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable

from opskit.core.sockets.model import Session
from opskit.core.sockets.validate import ValidatedFilter, unmap

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


def session_matches(session: Session, flt: ValidatedFilter, *, check_owner: bool = True) -> bool:
    """True when ``session`` is a connected socket this filter selects (listening ones never are)."""
    if session.state not in flt.states:
        return False
    if flt.local_port is not None and session.local_port != flt.local_port:
        return False
    if flt.local_address is not None and unmap(ipaddress.ip_address(session.local_ip)) != flt.local_address:
        return False
    if flt.peers:
        peer = unmap(ipaddress.ip_address(session.peer_ip))
        if not any(peer.version == net.version and peer in net for net in flt.peers):
            return False
    if check_owner:
        if flt.pid is not None and session.pid != flt.pid:
            return False
        if flt.process is not None and session.process != flt.process:
            return False
    return True


def select(sessions: Iterable[Session], flt: ValidatedFilter, *, check_owner: bool = True) -> list[Session]:
    """The matching sessions, sorted by local then peer endpoint so output is stable."""
    chosen = [s for s in sessions if session_matches(s, flt, check_owner=check_owner)]
    return sorted(chosen, key=lambda s: (s.local_port, s.local_ip, s.peer_ip, s.peer_port))
