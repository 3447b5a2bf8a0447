"""Rules about the OS side of a tailnet address: an OS ping that lost it, a route that sends it elsewhere."""

from __future__ import annotations

from collections.abc import Iterator

from opskit.core.diagnose.blocks import SplitInput
from opskit.core.diagnose.models import BlockKind
from opskit.core.diagnose.ping import os_ping_targets
from opskit.core.diagnose.routelookup import RouteLookup, is_tailnet_address
from opskit.core.diagnose.rules.facts import DiagnoseContext
from opskit.core.findings import Finding, Severity
from opskit.core.rules import rule


def _routes(ctx: DiagnoseContext) -> tuple[RouteLookup, ...]:
    routes: tuple[RouteLookup, ...] = ctx.facts.extra.get("routes", ())
    return routes


def _lost_lines(ctx: DiagnoseContext) -> tuple[str, ...]:
    """The tailnet addresses an OS ping of this input lost every packet to (none when it got a reply)."""
    os_ping = ctx.facts.os_ping
    if os_ping is None or not os_ping.failed:
        return ()
    return tuple(t for t in os_ping_targets(os_ping.lines) if is_tailnet_address(t))


@rule(
    id="TS-TAILNET-ROUTE-OUTSIDE",
    name="tailnet-route-outside",
    family="tailscale-input",
    severity=Severity.ERROR,
    summary="The OS routes a Tailscale address out of a non-Tailscale interface",
    target="input",
)
def route_outside(split: SplitInput, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: Tailscale reaches a tailnet address (100.64.0.0/10, fd7a:115c:a1e0::/48) only when the kernel
    hands its packets to Tailscale's interface (tailscale0, the macOS utun, the Windows "Tailscale" adapter).
    When `ip route get` / `route get` / `Find-NetRoute` answers another interface, a more specific route of
    another VPN, a cloud or container network, or a LAN route for 100.64.0.0/10 shadows Tailscale's (on Linux
    Tailscale's routes live in table 52, consulted by the `ip rule` at priority 5270): every packet to that
    address leaves by the LAN gateway and dies there, whatever the tunnel does.

    *Bad*::

        $ ip route get 100.114.70.3
        100.114.70.3 via 10.0.0.1 dev eth0 src 10.0.0.26 uid 0
            cache

    *Good*::

        $ ip route get 100.114.70.3
        100.114.70.3 dev tailscale0 table 52 src 100.101.102.103 uid 0
            cache
    """
    lost = _lost_lines(ctx)
    reported: set[str] = set()
    for route in _routes(ctx):
        if not route.leaves_tailscale or route.destination in reported:
            continue
        reported.add(route.destination)
        gateway = f" via {route.gateway}" if route.gateway else ""
        ping_note = " That is why the OS ping to it lost every packet." if route.destination in lost else ""
        ping_lines = (
            [line for line in ctx.facts.os_ping.lines if "loss" in line.text or "timed out" in line.text][:1]
            if ping_note and ctx.facts.os_ping is not None
            else []
        )
        yield ctx.finding(
            f"{ctx.facts.label}: the OS sends the Tailscale address {route.destination} out of {route.interface}"
            f"{gateway}, not into Tailscale's interface: a route outside Tailscale shadows Tailscale's, so its "
            f"packets never enter the tunnel.{ping_note}",
            "Find the route that takes it: Linux `ip rule` must list `5270: from all lookup 52` and `ip route show "
            "table 52` the address (it is missing when tailscaled runs with --netfilter-mode=off/userspace "
            "networking, or another rule with a lower priority, a VPN or a cloud/Docker network covering "
            "100.64.0.0/10 wins: remove or narrow that route); macOS `netstat -rn -f inet` for another utun/VPN "
            "claiming 100.64/10; Windows `Get-NetRoute -DestinationPrefix 100.64.0.0/10` for a route with a lower "
            "metric than the Tailscale adapter's. Then check again with the same lookup: it must answer tailscale0 "
            "/ utun / Tailscale.",
            ctx.facts.evidence(route.line, *ping_lines),
        )


@rule(
    id="TS-OS-PING-TAILNET-LOST",
    name="os-ping-tailnet-lost",
    family="tailscale-input",
    severity=Severity.WARNING,
    summary="The OS ping to a Tailscale address lost every packet",
    target="input",
)
def os_ping_lost(split: SplitInput, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: an OS ping (`ping 100.x.y.z`) that gets no reply from a tailnet address means traffic to that
    peer does not arrive or is not answered: the route on this host, the tunnel, or the peer's firewall. When
    the paste also holds `tailscale ping`, TS-PING-OS-FIREWALL (pongs) or the ping rules (no pongs) say which;
    without it, this finding says what to run next. A route lookup that sends the address elsewhere is reported
    by TS-TAILNET-ROUTE-OUTSIDE instead.

    *Bad*::

        $ tailscale status
        100.101.102.103  web  alice@  linux  -
        100.114.70.3     k8s  alice@  linux  idle
        $ ping 100.114.70.3
        PING 100.114.70.3 (100.114.70.3) 56(84) bytes of data.
        --- 100.114.70.3 ping statistics ---
        2 packets transmitted, 0 received, 100% packet loss, time 1018ms

    *Good*::

        $ tailscale status
        100.101.102.103  web  alice@  linux  -
        100.114.70.3     k8s  alice@  linux  idle
        $ ping 100.114.70.3
        PING 100.114.70.3 (100.114.70.3) 56(84) bytes of data.
        64 bytes from 100.114.70.3: icmp_seq=1 ttl=64 time=9.1 ms
        --- 100.114.70.3 ping statistics ---
        1 packets transmitted, 1 received, 0% packet loss, time 0ms
    """
    lost = _lost_lines(ctx)
    if not lost or ctx.facts.os_ping is None or any(block.kind is BlockKind.PING for block in split.blocks):
        return
    shadowed = {route.destination for route in _routes(ctx) if route.leaves_tailscale}
    for address in lost:
        if address in shadowed:
            continue  # TS-TAILNET-ROUTE-OUTSIDE names the cause
        failures = [line for line in ctx.facts.os_ping.lines if "loss" in line.text or "timed out" in line.text]
        yield ctx.finding(
            f"{ctx.facts.label}: the OS ping to the Tailscale address {address} lost every packet: nothing sent "
            "to it came back (this host's route, the tunnel, or the peer's firewall).",
            f"Run `tailscale ping {address}`: pongs mean the tunnel works and the peer's firewall drops ICMP (allow "
            "it on the peer's Tailscale interface); no pong means the path or the peer is down (`tailscale status`). "
            f"Also check that this host routes it into Tailscale: `ip route get {address}` (Linux) / `route get "
            f"{address}` (macOS) / `Find-NetRoute -RemoteIPAddress {address}` (Windows) must answer tailscale0 / "
            "utun / Tailscale.",
            ctx.facts.evidence(*(failures[:2] or ctx.facts.os_ping.lines[:1])),
        )
