"""Data that crosses layers: the filter a user asks for, a session, and the report of a cut."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SessionFilter:
    """Which sessions to list or cut, always from *this host's* point of view."""

    local_port: int | None = None  # the port on THIS host (server side: sport)
    local_address: str | None = None  # IP on this host
    peers: tuple[str, ...] = ()  # IPs or CIDRs of the other side (v4, v6, v4-mapped)
    process: str | None = None
    pid: int | None = None
    states: tuple[str, ...] = ("established",)
    all_matching: bool = False  # needed when neither local_port nor peers given, or peers are broad
    # Sessions never cut whatever else matches, as (local ip, local port, peer ip, peer port) from
    # this host's side: the operator's own SSH connection, unless they name it to be cut.
    protected: tuple[tuple[str, int, str, int], ...] = ()


@dataclass(frozen=True)
class Session:
    """One TCP socket on this host: its own address first, then the other side's."""

    local_ip: str
    local_port: int
    peer_ip: str
    peer_port: int
    state: str
    pid: int | None
    process: str | None

    @property
    def key(self) -> tuple[str, int, str, int]:
        """Identity of the connection, independent of state and owner (used to compare listings)."""
        return (self.local_ip, self.local_port, self.peer_ip, self.peer_port)


@dataclass(frozen=True)
class CutReport:
    """What matched, what `ss -K` cut, and what is still there after listing again."""

    dry_run: bool
    matched: tuple[Session, ...]  # what matched before acting (listening sockets never)
    cut: tuple[Session, ...]  # gone after `ss -K` (verified by listing again)
    still_present: tuple[Session, ...]  # matched, kill attempted, still there
    closed_on_own: tuple[Session, ...]  # matched, not reported destroyed by ss, gone anyway
    commands: tuple[tuple[str, ...], ...]  # argv of every ss invocation run (or that would run)
    problem: str | None  # why the cut failed, with the fix when known
    protected: tuple[Session, ...] = ()  # matched but spared (the operator's own SSH connection)

    @property
    def ok(self) -> bool:
        """True when nothing went wrong and nothing that matched is still there."""
        return self.problem is None and not self.still_present
