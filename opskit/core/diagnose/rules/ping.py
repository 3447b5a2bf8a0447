"""Rules that read one ``tailscale ping`` run (and an OS ping pasted next to it)."""

from __future__ import annotations

from collections.abc import Iterator

from opskit.core.diagnose.models import PathKind, PingOutcome, PingReport
from opskit.core.diagnose.ping import is_target_error
from opskit.core.diagnose.rules.facts import DiagnoseContext
from opskit.core.diagnose.text import SourceLine
from opskit.core.findings import Finding, Severity
from opskit.core.rules import rule

SLOW_PONG_MS = 1000.0


def _peer(report: PingReport) -> str:
    return report.target or "the peer"


@rule(
    id="TS-PING-NOT-DIRECT",
    name="ping-not-direct",
    family="tailscale-ping",
    severity=Severity.WARNING,
    summary="tailscale ping never went direct",
    target="ping",
)
def not_direct(report: PingReport, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: every ``pong … via DERP(x)`` and then ``direct connection not established`` means all pings
    (``-c``, default 10) were answered only through a relay while NAT traversal kept failing; a paste
    that ends after relayed pongs shows the same state so far. A Peer Relay (``via peer-relay(…)``,
    v1.86+) is a tailnet node relaying UDP: far better than DERP, so it is reported apart and milder.
    A DERP pong can race a peer-relay path (#17121), so this shows the disco path, not necessarily where
    WireGuard data flows.

    *Bad*::

        $ tailscale ping bugg
        pong from bugg (100.127.11.6) via DERP(sea) in 16ms
        pong from bugg (100.127.11.6) via DERP(sea) in 16ms
        pong from bugg (100.127.11.6) via DERP(sea) in 16ms
        direct connection not established

    *Good*::

        $ tailscale ping bugg
        pong from bugg (100.127.11.6) via 198.51.100.6:41641 in 6ms
    """
    relayed = (PingOutcome.NOT_ESTABLISHED, PingOutcome.RELAYED_ONLY, PingOutcome.PEER_RELAY)
    if report.outcome not in relayed or not report.pongs:
        return
    derp = sorted({p.derp_region or p.via for p in report.pongs if p.path is PathKind.DERP})
    peer_relays = sorted({p.via for p in report.pongs if p.path is PathKind.PEER_RELAY})
    verdict = report.verdict_line is not None
    how = ", then 'direct connection not established'" if verdict else " and no direct pong in the paste"
    if report.outcome is PingOutcome.PEER_RELAY:
        over_derp = sum(1 for p in report.pongs if p.path is PathKind.DERP)
        first = f" after {over_derp} pong(s) via DERP {', '.join(derp)}" if over_derp else ""
        yield ctx.finding(
            f"{ctx.facts.label} → {_peer(report)}: the path settled on Peer Relay {', '.join(peer_relays)}{first}"
            f"{how}: not direct, but not DERP either: a tailnet node relays the UDP, the intended fallback when "
            "hole punching fails.",
            "Acceptable (Peer Relay throughput is close to direct); to get direct, see what the pairwise "
            "prediction says would have to change on either NAT.",
            ctx.facts.evidence(*(p.line for p in report.pongs[:1]), report.pongs[-1].line, report.verdict_line),
            severity=Severity.INFO,
            title="tailscale ping went through a Peer Relay, not DERP",
            peer=_peer(report),
            path="peer-relay",
        )
        return
    if derp:
        via = "DERP " + ", ".join(derp) + (f" (and peer relay {', '.join(peer_relays)})" if peer_relays else "")
        yield ctx.finding(
            f"{ctx.facts.label} → {_peer(report)}: {len(report.pongs)} pong(s), all relayed via {via}{how}: "
            "hole punching did not succeed, the pair is relayed through DERP.",
            "Run `opskit diagnose` on both nodes' `tailscale netcheck` to see whether their NATs allow a direct "
            "path; if they should, check for a firewall dropping UDP (host firewall, cloud security group, "
            "VM/NAT network mode for guests) on either side.",
            ctx.facts.evidence(*(p.line for p in report.pongs[:2]), report.verdict_line),
            title="tailscale ping was answered only through DERP",
            peer=_peer(report),
            path="derp",
            derp_regions=derp,
        )
    elif peer_relays:
        yield ctx.finding(
            f"{ctx.facts.label} → {_peer(report)}: {len(report.pongs)} pong(s), all via Peer Relay "
            f"{', '.join(peer_relays)}{how}: not direct, but not DERP either: a tailnet node relays UDP.",
            "Acceptable (Peer Relay throughput is close to direct); to get direct, see what the pairwise "
            "prediction says would have to change on either NAT.",
            ctx.facts.evidence(*(p.line for p in report.pongs[:2]), report.verdict_line),
            severity=Severity.INFO,
            title="tailscale ping went through a Peer Relay, not DERP",
            peer=_peer(report),
            path="peer-relay",
        )


@rule(
    id="TS-PING-DIRECT-AFTER-RELAY",
    name="ping-direct-after-relay",
    family="tailscale-ping",
    severity=Severity.INFO,
    summary="Path went direct after relayed pings",
    target="ping",
)
def direct_after_relay(report: PingReport, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: the first pings usually go over DERP while NAT traversal runs; a later ``via ip:port``
    pong shows hole punching succeeded. Whether that address is private (same LAN) or public matters.

    *Bad*::

        pong from p (100.64.0.4) via DERP(lhr) in 76ms
        pong from p (100.64.0.4) via 198.51.100.4:55081 in 38ms

    *Good*::

        pong from p (100.64.0.4) via DERP(lhr) in 76ms
        direct connection not established
    """
    if report.outcome is not PingOutcome.DIRECT:
        return
    direct = next(p for p in report.pongs if p.path is PathKind.DIRECT)
    relayed = [p for p in report.pongs if p.path is not PathKind.DIRECT]
    over = "IPv6" if direct.via.startswith("[") else "IPv4"
    kinds = sorted({"DERP" if p.path is PathKind.DERP else "peer relay" for p in relayed})
    yield ctx.finding(
        f"{ctx.facts.label} → {_peer(report)}: direct over {over} via {direct.via}"
        + (f" after {len(relayed)} relayed pong(s)" if relayed else "")
        + " — NAT traversal works for this pair.",
        "Nothing to fix. If the path is relayed again later, the pair's NAT needs traffic to keep it open "
        "(see the pairwise table).",
        ctx.facts.evidence(*(p.line for p in relayed[:1]), direct.line),
        title=(
            f"Path went direct after {len(relayed)} pong(s) via {' and '.join(kinds)}"
            if relayed
            else "tailscale ping went direct at once"
        ),
        peer=_peer(report),
        endpoint=direct.via,
    )


@rule(
    id="TS-PING-NO-REPLY",
    name="ping-no-reply",
    family="tailscale-ping",
    severity=Severity.ERROR,
    summary="tailscale ping got no reply",
    target="ping",
)
def no_reply(report: PingReport, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: timeouts without any pong mean the peer did not answer even through DERP: it is offline,
    its tailscaled is stuck, or the two nodes do not share a working DERP region.

    *Bad*::

        $ tailscale ping nas
        ping "100.64.0.5" timed out
        ping "100.64.0.5" timed out
        no reply

    *Good*::

        $ tailscale ping nas
        pong from nas (100.64.0.5) via DERP(fra) in 30ms
        pong from nas (100.64.0.5) via 198.51.100.5:41641 in 9ms
    """
    if report.outcome not in (PingOutcome.TIMEOUT, PingOutcome.ERROR) or report.pongs:
        return
    if _target_errors(report):
        return  # nothing was sent: TS-PING-NO-TARGET says why
    lines = report.timeouts or report.errors
    text = lines[0].text if lines else "no reply"
    yield ctx.finding(
        f"{ctx.facts.label} → {_peer(report)}: {text} — no pong at all, not even over DERP.",
        f"Check that {_peer(report)} is online (`tailscale status` on both), that the name resolves to a "
        "tailnet node, and that both nodes reach their DERP home (TCP 443).",
        ctx.facts.evidence(*lines[:3]),
        peer=_peer(report),
    )


def _target_errors(report: PingReport) -> list[SourceLine]:
    """The error lines that mean no ping was sent, when nothing else (a pong, a timeout) came back."""
    if report.pongs or report.timeouts:
        return []
    return [line for line in report.errors if is_target_error(line.text)]


@rule(
    id="TS-PING-NO-TARGET",
    name="ping-no-target",
    family="tailscale-ping",
    severity=Severity.ERROR,
    summary="tailscale ping could not resolve its target: nothing was sent",
    target="ping",
)
def no_target(report: PingReport, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: ``error looking up IP of "x"``, ``no IPs found for``, ``no matching peer`` or a usage line
    mean the ping never left this node: the name is not a tailnet node it knows (typo, MagicDNS off, the
    peer removed or hidden by ACLs). Reading it as "the peer did not answer" sends the user to the
    wrong place.

    *Bad*::

        $ tailscale ping magnesium
        error looking up IP of "magnesium": lookup magnesium on 100.100.100.100:53: no such host

    *Good*::

        $ tailscale ping nas
        ping "100.64.0.5" timed out
        no reply
    """
    found = _target_errors(report)
    if not found:
        return
    yield ctx.finding(
        f"{ctx.facts.label} → {_peer(report)}: {found[0].text} — tailscale ping found no tailnet node to ping, so "
        "nothing was sent; this says nothing about the connection.",
        "Use the peer's MagicDNS name or Tailscale IP as `tailscale status` lists it (`tailscale ping "
        "100.x.y.z`); if it is missing there, the node is not in your netmap (removed, expired, or hidden by "
        "ACLs). `usage:` lines mean the command had no target at all.",
        ctx.facts.evidence(*found[:3]),
        peer=_peer(report),
    )


@rule(
    id="TS-PING-SLOW",
    name="ping-slow",
    family="tailscale-ping",
    severity=Severity.WARNING,
    summary="Pongs take a second or more",
    target="ping",
)
def slow(report: PingReport, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: Go prints durations >= 1 s in seconds (``in 1.023s``); a relayed pong that slow means the
    DERP region is far or overloaded.

    *Bad*::

        pong from xxx (100.108.29.50) via DERP(fra) in 1.023s
        pong from xxx (100.108.29.50) via DERP(fra) in 1.470s

    *Good*::

        pong from xxx (100.108.29.50) via DERP(fra) in 23ms
        pong from xxx (100.108.29.50) via 198.51.100.50:41641 in 9ms
    """
    slow_pongs = [p for p in report.pongs if p.latency_ms is not None and p.latency_ms >= SLOW_PONG_MS]
    if not slow_pongs:
        return
    worst = max(slow_pongs, key=lambda p: p.latency_ms or 0.0)
    yield ctx.finding(
        f"{ctx.facts.label} → {_peer(report)}: pong via {worst.via} took {(worst.latency_ms or 0.0) / 1000:.3f} s.",
        "If relayed, get the pair direct or use a nearer DERP region; if the first pong only, it includes "
        "path setup and can be ignored when later pongs are fast.",
        ctx.facts.evidence(worst.line),
        severity=Severity.WARNING if len(slow_pongs) > 1 or worst.path is PathKind.DERP else Severity.INFO,
    )


@rule(
    id="TS-PING-HOST-FIREWALL",
    name="ping-host-firewall",
    family="tailscale-ping",
    severity=Severity.WARNING,
    summary="tailscale ping works, OS ping does not: host firewall",
    target="ping",
)
def host_firewall(report: PingReport, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: ``tailscale ping`` is answered by tailscaled itself and never enters the TUN interface; an
    OS ping goes through the TUN and the peer's OS firewall. One working and the other failing means
    the peer's host firewall (e.g. Windows Defender) drops ICMP/traffic on the Tailscale interface.

    *Bad*::

        $ tailscale ping nas
        pong from nas (100.64.0.5) via 198.51.100.5:41641 in 9ms
        $ ping -c 2 100.64.0.5
        PING 100.64.0.5 (100.64.0.5) 56(84) bytes of data.

        --- 100.64.0.5 ping statistics ---
        2 packets transmitted, 0 received, 100% packet loss, time 1001ms

    *Good*::

        $ tailscale ping nas
        pong from nas (100.64.0.5) via 198.51.100.5:41641 in 9ms
        $ ping -c 1 100.64.0.5
        PING 100.64.0.5 (100.64.0.5) 56(84) bytes of data.
        64 bytes from 100.64.0.5: icmp_seq=1 ttl=64 time=9.1 ms

        --- 100.64.0.5 ping statistics ---
        1 packets transmitted, 1 received, 0% packet loss, time 0ms
    """
    if not report.pongs or ctx.facts.os_ping is None or not ctx.facts.os_ping.failed:
        return
    if any(route.leaves_tailscale for route in ctx.facts.extra.get("routes", ())):
        return  # this host routes the address outside Tailscale: TS-TAILNET-ROUTE-OUTSIDE, not the peer's firewall
    failures = [line for line in ctx.facts.os_ping.lines if "timed out" in line.text or "loss" in line.text]
    yield ctx.finding(
        f"{ctx.facts.label} → {_peer(report)}: `tailscale ping` gets pongs but the OS ping fails: the tunnel "
        "works; "
        f"{_peer(report)}'s host firewall drops traffic arriving on its Tailscale interface.",
        "On the peer allow the traffic on the Tailscale interface (Windows: allow ICMPv4 echo / the service "
        "port for the 100.64.0.0/10 range in Windows Defender Firewall; Linux: check nftables/iptables for "
        "the tailscale0 interface).",
        ctx.facts.evidence(report.pongs[0].line, *(failures[:2] or ctx.facts.os_ping.lines[:1])),
    )
