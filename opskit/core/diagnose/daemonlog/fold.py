"""Fold a log's events, in order, into the report: what still holds at the end of the paste.

Resolution rules (docs/diagnose.md, "tailscaled logs"):
- a bare engine error (``NewUserspaceEngine(tun …) error: …`` naming no subsystem) is the TUN device's, or the
  router's when the engine's last stage line before it was ``Bringing router up...`` / ``Clearing router settings...``;
- a health warnable that logs ``ok`` clears everything it raised;
- ``magicsock: derp-N connected`` clears DERP failures of region N;
- a later ``Switching ipn state … -> Starting/Running`` clears login-required / needs-machine-auth,
  and ``-> Running`` or a map response clears control-unreachable;
- a disco pong or ``now using <endpoint>`` clears peer-unreachable for that peer;
- a later (non ``--cleanup``) ``Program starting`` clears what made the previous run fail (crash, TUN,
  router, state, port) only once the new run gets further (an ipn state, a home DERP, a connection, a
  peer): a restart loop cut off before that still shows the failure;
- in the one-shot ``tailscaled --cleanup`` run (its ``Program starting`` argv) no router line is a failure: it
  removes rules and routes that may not be there; a later start ends that run;
- a failed engine (``NewUserspaceEngine(tun …) error: …``, the engine's ``router.Up: …``) is a crash unless the
  daemon gets further afterwards (an ipn state, a home DERP, a connection, a peer);
- ``logger closing down`` after a ``Program starting`` with no signal or shutdown request between them
  is the daemon exiting on its own (a crash) unless a second tailscaled found the LocalAPI socket served
  (``socket-in-use``); a fallback to userspace networking clears a failed TUN engine's crash;
- a goroutine trace is a crash's unless the dump was asked for (SIGQUIT, ``goroutine profile: total``, the
  running goroutine writing the dump: ``serveGoroutines``, runtime/pprof): then its trace raises nothing;
- DNS forwarding errors count only when repeated (one-off failures happen) unless health raised them.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace

from opskit.core.diagnose.daemonlog.events import INFO_WARNABLES, Clear, Event, Fact, Raise
from opskit.core.diagnose.models import HomeDerp, LogIssue, LogPeer
from opskit.core.diagnose.text import SourceLine
from opskit.core.findings import Severity

_RESTART_CLEARS = (
    "crash",
    "tun-unavailable",
    "firewall-failed",
    "state-unwritable",
    "port-in-use",
    "exec-failed",
    "oom-killed",  # a new run that gets further has memory again (until it grows back: the finding says why)
    "update-failed",  # a new run that gets further: the update finished (or the old package came back)
    "tunnel-start-failed",  # the app's network extension started its Go side again: the system started the tunnel
    "tun-write-failed",  # a new engine with a new TUN device that gets further writes again
    "bird-failed",  # a new run that gets further reached BIRD
    "drive-failed",  # a new run starts its Taildrive file servers afresh
    "taildrop-failed",  # a new run opens Taildrop's directory again (and says so if it still cannot)
    "peer-relay-failed",  # a new run binds its relay server afresh
    "app-connector-failed",  # a new run re-advertises the connector's stored routes (and says so if it cannot)
    "device-identity-failed",  # a new run registers (and signs) again, and logs the error again if it still fails
    "udp-gro-suboptimal",  # a new boot asks for UDP GRO forwarding again (and says so if it is refused again)
)
_SEVERITY = {
    "log-upload-failing": Severity.INFO,
    "ipv6-tunnel-off": Severity.INFO,  # util/linuxfw runs IPv4-only on a host without (filtered) IPv6: IPv4 works
    "packet-dropped": Severity.WARNING,
    "socket-in-use": Severity.WARNING,  # the daemon already running is fine: only the extra start failed
    "no-peer-for-address": Severity.WARNING,
    "peer-key-unknown": Severity.WARNING,  # a peer's key not delivered yet: its direct path waits, DERP may still work
    "inbound-port-unhandled": Severity.WARNING,  # the tailnet path works: the app on this node does not listen
    "derp-send-queue-full": Severity.WARNING,  # relayed traffic is lossy or stalled, not cut off
    "subnet-ping-failed": Severity.WARNING,  # only ICMP through the router fails: TCP/UDP to the host may work
    "udp-send-blocked": Severity.WARNING,  # direct paths fail, traffic still relays over DERP
    "ssh-recording-failed": Severity.WARNING,  # the session ran (fail open), only unrecorded
    "drive-failed": Severity.WARNING,  # Taildrive shares of one local user: the tailnet itself works
    "taildrop-failed": Severity.WARNING,  # files sent to this node are lost: the tailnet itself works
    "peer-relay-failed": Severity.WARNING,  # peers that would meet through this relay use DERP instead
    "wg-source-not-allowed": Severity.WARNING,  # only traffic from addresses the peer does not own is lost
    "app-connector-failed": Severity.WARNING,  # the app is reached without the connector: the tailnet itself works
    "device-identity-failed": Severity.WARNING,  # the node registers and works: only rules relying on the proof miss
    "peerapi-request-rejected": Severity.WARNING,  # only that peer's PeerAPI requests fail: the tailnet works
    "udp-gro-suboptimal": Severity.WARNING,  # the optimisation asked for is off: forwarding works, slower
    "operator-unknown": Severity.WARNING,  # only the operator's sudo-free CLI fails: root/sudo still work
    "network-down": Severity.WARNING,  # the host's own network is gone: nothing of Tailscale's is broken
    "dns-fight": Severity.WARNING,  # MagicDNS works until NetworkManager rewrites resolv.conf again
    "rebind-churn": Severity.WARNING,  # DERP connections drop and come back: traffic stalls, it is not cut off
    "tls-no-sni": Severity.WARNING,  # only HTTPS by IP address fails: the tailnet path and the node's name work
}
_EVIDENCE = 3
_KEY_OF = {"firewall-failed": "router"}  # the key events.py raises each kind with
_ENGINE_CRASH = ("crash", "engine")  # the engine not created (NewUserspaceEngine's error, router.Up's)
# The rate limiter's warning (today's wording, and v1.0-v1.6's): it says a message came often, a real line says what
_LIMITER, _LIMITER_V1 = "[RATELIMIT]", "[RATE LIMITED]"


@dataclass
class _Open:
    raised: Raise
    lines: list[SourceLine]
    count: int = 1
    # each independent event that raised it, weak or not (a message and the warnable set with it are one)
    units: list[bool] = field(default_factory=list)
    last: Raise | None = None
    paired: bool = False

    def add(self, event: Raise) -> None:
        """Count ``event``: a new unit, or the twin of the one before it (either order)."""
        last = self.last
        twins = (
            last is not None
            and not self.paired
            and ((last.twin != "" and last.twin == event.origin) or (event.twin != "" and event.twin == last.origin))
        )
        if twins:
            self.units[-1] = True  # the pair is the message's event: as weak as the message alone
            self.paired = True
        else:
            self.units.append(event.weak)
            self.paired = False
        self.last = event

    def holds(self) -> bool:
        return len(self.units) >= 2 or not all(self.units)


@dataclass
class Folded:
    """The fold's result, before the report adds version, OS and who started the daemon."""

    state: str | None = None
    state_line: SourceLine | None = None
    home: HomeDerp | None = None
    userspace: bool | None = None
    issues: list[LogIssue] = field(default_factory=list)
    peers: list[LogPeer] = field(default_factory=list)
    derp_codes: dict[str, str] = field(default_factory=dict)
    kernel_tun: bool = False  # the host's interface list shows a tailscaleN device with a tailnet address
    health: list[str] = field(default_factory=list)  # health warnables' messages still failing at the end


class _HealthMessages:
    """The messages of the health warnables that fail, by warnable, in the order first seen: a warnable's later
    error line says its whole state (the old "overall" one joins several checks: events.py splits them), its ``ok``
    clears it, and a new tailscaled run starts with none."""

    def __init__(self) -> None:
        self._by_warnable: dict[str, tuple[SourceLine, list[str]]] = {}

    def see(self, line: SourceLine, event: Event) -> None:
        if isinstance(event, Raise) and event.origin:
            seen = self._by_warnable.get(event.origin)
            if seen is None or seen[0] != line:
                # (a warnable raised again keeps its place: the order is the order first seen)
                seen = self._by_warnable[event.origin] = (line, [])
            if event.detail not in seen[1]:
                seen[1].append(event.detail)
        elif isinstance(event, Clear) and event.origin:
            self._by_warnable.pop(event.origin, None)
        elif isinstance(event, Fact) and event.name == "restart":
            self._by_warnable.clear()

    def failing(self) -> list[str]:
        return list(dict.fromkeys(message for _, messages in self._by_warnable.values() for message in messages))


def _unanswered_probes(events: Iterable[tuple[SourceLine, Event]]) -> Iterator[tuple[SourceLine, Event]]:
    """netcheck's failed HTTPS probes, as derp-unreachable for their regions when its report then found no region
    at all (derp=0: no relay reachable over UDP or TCP); a report naming one says the failures were routine."""
    failed: dict[str, tuple[SourceLine, str]] = {}
    for line, event in events:
        if isinstance(event, Fact) and event.name == "https-probe-failed":
            failed[event.value] = (line, event.extra)
            continue
        if isinstance(event, Fact) and event.name == "netcheck-no-derp":
            for region, (probe_line, detail) in failed.items():
                yield probe_line, Raise("derp-unreachable", region, f"{detail} (and no region answered netcheck)")
            failed.clear()
            continue
        if isinstance(event, Fact) and event.name == "home":
            failed.clear()
        yield line, event


# DERP connections a rebind closed after a while (events.py _rebind): one after a link change is routine, this many
# in one log is magicsock rebinding in a loop
_REBIND_CLOSURES_CHURN = 3


def _rebind_closures(events: Iterable[tuple[SourceLine, Event]]) -> Iterator[tuple[SourceLine, Event]]:
    """DERP connections closed by rebinds, as rebind-churn (all of them, to name every region and reason) once the
    log holds enough of them or the churn shows otherwise (a send error's rebind, a connection dropped at once)."""
    held: list[tuple[SourceLine, Fact]] = []
    churning = False
    for line, event in events:
        if isinstance(event, Raise) and event.kind == "rebind-churn":
            churning = True
        elif isinstance(event, Fact) and event.name == "rebind-closure":
            held.append((line, event))
            churning = churning or len(held) >= _REBIND_CLOSURES_CHURN
            if not churning:
                continue
        else:
            yield line, event
            continue
        if isinstance(event, Raise):
            yield line, event
        for held_line, closure in held:
            yield held_line, Raise("rebind-churn", closure.value, closure.extra)
        held.clear()


def fold(events: Iterable[tuple[SourceLine, Event]]) -> Folded:
    """Apply every event in log order; the issues left open are what the log still shows."""
    events = _rebind_closures(_unanswered_probes(events))
    result = Folded()
    open_issues: dict[tuple[str, str], _Open] = {}
    # what a restart may have cured: cleared once the new run gets further, back at the end otherwise
    after_restart: dict[tuple[str, str], _Open] = {}
    peers: dict[str, LogPeer] = {}
    stop_requested = False
    started = False  # the run's own start is in the paste: only then can its exit be judged
    dump_requested = False  # someone asked for the goroutine dump that follows: its trace is no crash
    engine_stage = ""  # the stage wgengine last logged starting ("router": bringing its router up)
    cleanup_run = False  # in the one-shot `tailscaled --cleanup` run, until the next start
    connected: dict[str, SourceLine] = {}  # DERP regions magicsock connected to, first line each
    for_peers: set[str] = set()  # regions magicsock dialed to reach a peer
    health = _HealthMessages()
    for line, event in events:
        health.see(line, event)
        if isinstance(event, Fact) and event.name == "derp-connected":
            if event.value.isdigit():
                connected.setdefault(event.value, line)
            continue
        if isinstance(event, Fact) and event.name == "peer-derp":
            for_peers.add(event.extra)
        if isinstance(event, Fact) and event.name == "engine-stage":
            engine_stage = event.value
            continue
        if isinstance(event, Raise) and event.in_router:
            # a bare engine error: the router's when the engine was bringing its router up as it failed
            event = (
                replace(event, kind=event.in_router, key=_KEY_OF.get(event.in_router, event.key), in_router="")
                if engine_stage == "router"
                else replace(event, in_router="")
            )
        if isinstance(event, Fact) and event.name == "dump":
            if event.value == "requested":
                dump_requested = True
                open_issues.pop(("crash", "trace"), None)  # the header above the writer's frame
            continue
        if dump_requested and isinstance(event, Raise) and event.kind == "crash" and event.key == "trace":
            continue
        if stop_requested and isinstance(event, Raise) and event.kind == "crash" and event.key == "exit":
            continue  # systemd reporting the exit a signal (SIGTERM, the SIGQUIT of a requested dump) asked for
        if after_restart and _progress(event):
            after_restart.clear()
        if _ENGINE_CRASH in open_issues and _progress(event):
            # an engine that was not created ends tailscaled (its run returns the error): a daemon that goes on to an
            # ipn state, a home relay or a peer is a later run whose start the paste left out, or one that fell back
            del open_issues[_ENGINE_CRASH]
        if isinstance(event, Fact) and event.name == "stopping":
            if event.value == "signal":
                stop_requested = True
            elif started and not stop_requested:
                # unless it is a second tailscaled leaving because one already serves the LocalAPI socket
                event = Raise(
                    "crash",
                    "exit",
                    "tailscaled exited on its own (no stop was requested before it)",
                    unless="socket-in-use",
                )
        if isinstance(event, Fact) and event.name == "cleanup-run":
            cleanup_run = True  # `tailscaled --cleanup`: removes rules and routes that may not be there
            continue
        if cleanup_run and isinstance(event, Raise) and event.kind == "firewall-failed":
            continue
        if isinstance(event, Fact) and event.name == "restart":
            cleanup_run = False
            stop_requested, started, dump_requested, engine_stage = False, True, False, ""
            for slot in [s for s in open_issues if s[0] in _RESTART_CLEARS]:
                after_restart[slot] = open_issues.pop(slot)
            continue
        if isinstance(event, Raise):
            slot = (event.kind, event.key)
            current = open_issues.get(slot)
            if current is None:
                open_issues[slot] = current = _Open(event, [line])
                current.add(event)
            else:
                current.add(event)
                # Keep who raised it first (a warnable's ``ok`` must still clear it) and how weak it is.
                current.raised = replace(
                    event,
                    origin=current.raised.origin or event.origin,
                    weak=current.raised.weak and event.weak,
                    unless=current.raised.unless if current.raised.unless == event.unless else "",
                    # a crash's first line names the cause (panic: …); what follows is its trace and exit; a
                    # rate-limited format says less than the message it stands for, a login attempt backing off
                    # less than the answer that refused the login
                    detail=current.raised.detail
                    if event.kind in ("crash", "network-down")  # the first line names the state it went to
                    or event.detail.startswith((_LIMITER, _LIMITER_V1))
                    or (event.unless and not current.raised.unless)
                    else event.detail,
                )
                current.count += 1
                if line not in current.lines:
                    current.lines = [current.lines[0], *current.lines[1:][-(_EVIDENCE - 2) :], line]
        elif isinstance(event, Clear):
            for table in (open_issues, after_restart):
                for slot in [s for s, opened in table.items() if _clears(event, s, opened, result.home)]:
                    del table[slot]
        else:
            _fact(result, event, line, peers)
    for slot, opened in after_restart.items():
        open_issues.setdefault(slot, opened)  # the new run never got further: the old failure stands
    _merge_unnamed_queue_drops(open_issues)
    for (kind, key), opened in open_issues.items():
        if not opened.holds():
            continue
        if opened.raised.unless and any(
            k in opened.raised.unless.split() and open_issues[(k, x)].holds() for k, x in open_issues
        ):
            continue  # explained by what still holds (login attempts while control cannot be reached)
        if kind in ("derp-unreachable", "derp-send-queue-full") and key in result.derp_codes:
            key_shown = f"{key} ({result.derp_codes[key]})"
        else:
            key_shown = key
        result.issues.append(
            LogIssue(
                kind=kind,
                severity=Severity.INFO
                if kind.startswith("health:") and key in INFO_WARNABLES
                else _SEVERITY.get(kind, Severity.WARNING if kind.startswith("health:") else Severity.ERROR),
                message=opened.raised.detail,
                key=key_shown,
                # the rate limiter's "[RATELIMIT] format(…)" says it happened often, a real line says what
                lines=tuple(sorted(opened.lines, key=lambda line: _LIMITER in line.text or _LIMITER_V1 in line.text)),
                count=opened.count,
            )
        )
    result.peers = list(peers.values())
    result.health = health.failing()
    if result.home is None:
        result.home = _home_from_connections(connected, for_peers, result.derp_codes)
    return result


def _home_from_connections(
    connected: dict[str, SourceLine], for_peers: set[str], codes: dict[str, str]
) -> HomeDerp | None:
    """The one region connected that no peer's traffic opened: magicsock dials its home unasked (derp.go)."""
    unasked = [region for region in connected if region not in for_peers]
    if len(unasked) != 1:
        return None  # several: which one is home the log does not say
    return HomeDerp(unasked[0], codes.get(unasked[0]), connected[unasked[0]])


def _merge_unnamed_queue_drops(open_issues: dict[tuple[str, str], _Open]) -> None:
    """wireguard-go's drop lines name no region, disco's do: with one region named, the unnamed drops are its."""
    unnamed = open_issues.get(("derp-send-queue-full", "?"))
    named = [slot for slot in open_issues if slot[0] == "derp-send-queue-full" and slot[1] != "?"]
    if unnamed is None or len(named) != 1:
        return
    region = open_issues[named[0]]
    region.units.extend(unnamed.units)
    region.count += unnamed.count
    region.lines = sorted({*region.lines, *unnamed.lines}, key=lambda line: line.number)[:_EVIDENCE]
    del open_issues[("derp-send-queue-full", "?")]


def _clears(event: Clear, slot: tuple[str, str], opened: _Open, home: HomeDerp | None) -> bool:
    if event.origin:
        return opened.raised.origin == event.origin
    if slot[0] == event.kind and (event.key is None or slot[1] == event.key):
        return True
    if slot[1] == "?" and slot[0] in ("derp-unreachable", "derp-send-queue-full"):
        return event.kind == slot[0]  # a drop whose region a redaction took: any relay connecting again ends it
    # a warnable's "no home relay" is over once the home region (or any, home unknown) connects
    return (
        slot == ("derp-unreachable", "home") and event.kind == slot[0] and (home is None or home.region_id == event.key)
    )


def _progress(event: Event) -> bool:
    """An event only a daemon that got past start-up logs: a restart's earlier failure is cured."""
    if isinstance(event, Fact):
        return event.name in ("state", "home", "peer", "peer-derp")
    return isinstance(event, Clear) and event.kind in ("derp-unreachable", "control-unreachable", "login-required")


def _fact(result: Folded, fact: Fact, line: SourceLine, peers: dict[str, LogPeer]) -> None:
    if fact.name == "state":
        result.state, result.state_line = fact.value, line
    elif fact.name == "home":
        result.home = HomeDerp(fact.value, fact.extra or None, line)
    elif fact.name == "derp-code":
        if fact.extra:
            result.derp_codes[fact.value] = fact.extra
    elif fact.name == "userspace":
        result.userspace = fact.value == "true"
    elif fact.name == "kernel-tun":
        result.kernel_tun = True
    elif fact.name == "peer":
        known = peers.get(fact.value)
        if fact.extra or known is None:  # a timeout after "now using" does not erase the endpoint
            peers[fact.value] = LogPeer(fact.value, fact.extra or None, line)
    elif fact.name == "peer-derp":
        known = peers.get(fact.value)
        if known is None or not known.endpoint:  # a direct path found earlier still holds
            peers[fact.value] = LogPeer(fact.value, None, line, derp_region=fact.extra)
