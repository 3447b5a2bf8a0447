"""Rules that read one node's netcheck report (through its NAT profile)."""

from __future__ import annotations

from collections.abc import Iterator

from opskit.core.diagnose.models import DerpHomeState, DerpLatency, Ipv6State
from opskit.core.diagnose.netcheck import NO_DERP_MAP_LAYOUT
from opskit.core.diagnose.profile import (
    ENOUGH_REGIONS,
    AddressScope,
    Mapping,
    NatProfile,
    endpoint_host,
    is_self_hosted,
    looks_logged_out,
)
from opskit.core.diagnose.rules.facts import DiagnoseContext
from opskit.core.findings import Finding, Severity
from opskit.core.rules import rule

PROBE_PORT_NOTE = (
    "The port after the IPv4 address is the probe socket of the `tailscale netcheck` command itself, "
    "not tailscaled's WireGuard port; do not forward or allow that port."
)
SLOW_HOME_DERP_MS = 150.0


@rule(
    id="TS-NETCHECK-UDP-BLOCKED",
    name="netcheck-udp-blocked",
    family="tailscale-netcheck",
    severity=Severity.ERROR,
    summary="UDP is blocked: every peer will be relayed",
    target="netcheck",
)
def udp_blocked(profile: NatProfile, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: with ``UDP: false`` no STUN reply came back, so neither IPv4 nor IPv6 hole punching can
    work from this network; tailscaled falls back to DERP over TCP 443 for every peer. The DERP
    latencies printed in that state come from HTTPS/ICMP probes and look inflated.

    *Bad*::

        $ tailscale netcheck

        Report:
            * Time: 2026-09-01 15:45:04.195906728+02:00
            * UDP: false
            * IPv4: (no addr found)
            * IPv6: no, but OS has support
            * MappingVariesByDestIP:
            * PortMapping:
            * Nearest DERP: Frankfurt
            * DERP latency:
                - nyc: 828.3ms (New York City)
                - sfo:         (San Francisco)

    *Good*::

        Report:
            * UDP: false
            * IPv4: (no addr found)
            * IPv6: no
            * MappingVariesByDestIP:
            * HairPinning:
            * PortMapping:
            * Nearest DERP: unknown (no response to latency probes)
            * DERP latency:
                - nyc:         (New York City)
    """
    report = profile.report
    if report.udp is not False or looks_logged_out(report):
        return
    measured = [d for d in report.latencies if d.latency_ms is not None]
    latency_note = ""
    if measured:
        low = min(d.latency_ms or 0.0 for d in measured)
        latency_note = (
            f" Only {len(measured)} of {len(report.latencies)} DERP regions answered, from {low:.0f} ms: "
            "those numbers come from non-UDP probes (HTTPS), not the real distance."
        )
    yield ctx.finding(
        f"{ctx.facts.label}: no STUN reply over UDP, so this network blocks outbound UDP (or UDP 3478). "
        f"Every connection from {ctx.facts.label} will be relayed over DERP (TCP 443), whatever the peer's NAT."
        + latency_note,
        "Allow outbound UDP from this network: to UDP 3478 (STUN) and from tailscaled's port "
        "(41641 by default) to any destination; or use another network (e.g. mobile data) to confirm.",
        ctx.facts.evidence(report.line("udp"), report.line("ipv4"), *(d.line for d in measured[:3])),
    )


@rule(
    id="TS-NETCHECK-HARD-NAT",
    name="netcheck-hard-nat",
    family="tailscale-netcheck",
    severity=Severity.WARNING,
    summary="Hard NAT: the public port changes per destination",
    target="netcheck",
)
def hard_nat(profile: NatProfile, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: ``MappingVariesByDestIP: true`` means two STUN servers saw different public ports: an
    endpoint-dependent ("hard", symmetric) NAT. Peers cannot predict the port to send to, so direct
    paths need the other side to be easy/open, a port mapping, or IPv6. When the same paste shows peers
    already on direct paths (a log's ``now using <endpoint>``, a status row's ``direct``), those paths do not
    cross the NAT or the peers' UDP is open: info, not a warning.

    *Bad*::

        $ tailscale netcheck

        Report:
            * Time: 2026-09-01 15:45:04.195906728+02:00
            * UDP: true
            * IPv4: yes, 198.51.100.20:40001
            * IPv6: no, but OS has support
            * MappingVariesByDestIP: true
            * PortMapping:
            * Nearest DERP: Frankfurt
            * DERP latency:
                - fra: 12.5ms  (Frankfurt)
                - ams: 18ms    (Amsterdam)

    *Good*::

        $ tailscale netcheck

        Report:
            * Time: 2026-09-01 15:45:04.195906728+02:00
            * UDP: true
            * IPv4: yes, 198.51.100.20:40001
            * IPv6: no, but OS has support
            * MappingVariesByDestIP:
            * PortMapping:
            * Nearest DERP: Frankfurt
            * DERP latency:
                - fra: 12.5ms  (Frankfurt)
                - ams: 18ms    (Amsterdam)
    """
    if profile.mapping is not Mapping.HARD:
        return
    report = profile.report
    if profile.portmap_usable:
        yield ctx.finding(
            f"{ctx.facts.label} is behind hard NAT, but its router answers {', '.join(report.portmap_protocols)}: "
            f"tailscaled maps a port and advertises it, so peers can come in directly while the mapping is "
            f"alive. The mapping is created lazily when {ctx.facts.label} is active, which is why such a node "
            f"can seem unreachable until it sends first.",
            f"Nothing required; for a path that never depends on {ctx.facts.label} speaking first, forward UDP "
            f"41641 to it and run tailscaled with --port=41641. {PROBE_PORT_NOTE}",
            ctx.facts.evidence(report.line("mapping"), report.line("portmap")),
            severity=Severity.INFO,
        )
        return
    direct = ctx.facts.extra.get("direct") or ()
    if direct:
        # the paths the NAT would block are already up: same LAN/VPC, or peers whose UDP is open
        shown = ", ".join(f"[{name}] {endpoint}" for name, endpoint, _ in direct[:3])
        yield ctx.finding(
            f"{ctx.facts.label} is behind hard NAT with no port mapping, but the same paste shows its peers on "
            f"direct paths ({shown}{', …' if len(direct) > 3 else ''}): those paths do not cross the NAT (same "
            f"LAN or VPC) or the peers have open UDP. Only peers that are themselves behind hard NAT would stay on DERP.",
            "Nothing required for these peers; for hard-NAT peers elsewhere, enable UPnP, NAT-PMP or PCP on the "
            "router, or forward UDP 41641 to this node and run tailscaled with --port=41641. " + PROBE_PORT_NOTE,
            ctx.facts.evidence(report.line("mapping"), direct[0][2]),
            severity=Severity.INFO,
        )
        return
    yield ctx.finding(
        f"{ctx.facts.label} is behind hard NAT (endpoint-dependent mapping) with no port mapping: peers cannot "
        f"reach it unsolicited; it gets direct paths only to peers with open or port-mapped UDP, maybe to "
        f"easy-NAT peers with lenient filtering, and DERP otherwise.",
        "Enable UPnP, NAT-PMP or PCP on the router; or forward UDP 41641 to this node and run tailscaled "
        "with --port=41641; or give the node (and its peers) global IPv6. " + PROBE_PORT_NOTE,
        ctx.facts.evidence(report.line("mapping"), report.line("portmap")),
    )


@rule(
    id="TS-NETCHECK-MAPPING-UNKNOWN",
    name="netcheck-mapping-unknown",
    family="tailscale-netcheck",
    severity=Severity.INFO,
    summary="NAT mapping was not measured",
    target="netcheck",
)
def mapping_unknown(profile: NatProfile, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: an empty ``MappingVariesByDestIP:`` is an unset opt.Bool (fewer than two IPv4 STUN
    replies), not ``false``; treating it as easy NAT is a classic misdiagnosis.

    *Bad*::

        $ tailscale netcheck

        Report:
            * Time: 2026-09-01 15:45:04.195906728+02:00
            * UDP: true
            * IPv4: yes, 198.51.100.20:40001
            * IPv6: no, but OS has support
            * MappingVariesByDestIP:
            * PortMapping:
            * Nearest DERP: Frankfurt
            * DERP latency:
                - fra: 12.5ms  (Frankfurt)
                - ams: 18ms    (Amsterdam)

    *Good*::

        $ tailscale netcheck

        Report:
            * Time: 2026-09-01 15:45:04.195906728+02:00
            * UDP: true
            * IPv4: yes, 198.51.100.20:40001
            * IPv6: no, but OS has support
            * MappingVariesByDestIP: true
            * PortMapping:
            * Nearest DERP: Frankfurt
            * DERP latency:
                - fra: 12.5ms  (Frankfurt)
                - ams: 18ms    (Amsterdam)
    """
    report = profile.report
    if report.udp is False or report.mapping_varies is not None or "lan-stun" in profile.artefacts:
        return
    if report.layout == NO_DERP_MAP_LAYOUT:
        return  # the CLI's line that tailscaled had no DERP map: nothing was measured, nothing is blank
    if report.layout.startswith("text") and report.line("mapping") is None:
        return  # a text excerpt without the field (`… | grep HairPinning`): not shown, not "blank"
    yield ctx.finding(
        f"{ctx.facts.label}: MappingVariesByDestIP is blank: fewer than two STUN servers answered over IPv4, "
        "so whether this NAT is easy or hard is unknown (blank does not mean false).",
        "Rerun `tailscale netcheck` when more DERP/STUN regions are reachable; predictions involving this "
        "node stay 'uncertain' until then.",
        ctx.facts.evidence(report.line("mapping")),
    )


@rule(
    id="TS-NETCHECK-LAN-STUN",
    name="netcheck-lan-stun",
    family="tailscale-netcheck",
    severity=Severity.WARNING,
    summary="STUN answered from inside the LAN: NAT verdict unreliable",
    target="netcheck",
)
def lan_stun(profile: NatProfile, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: a self-hosted DERP/STUN server on the same LAN or host sees the node's private address,
    while Internet STUN sees the public one; the replies differ, so netcheck shows a private IPv4
    endpoint and often ``MappingVariesByDestIP: true`` without any hard NAT.

    *Bad*::

        $ tailscale netcheck

        Report:
            * Time: 2026-09-01 15:45:04.195906728+02:00
            * UDP: true
            * IPv4: yes, 172.20.0.1:41000
            * IPv6: no, but OS has support
            * MappingVariesByDestIP: true
            * PortMapping:
            * Nearest DERP: Frankfurt
            * DERP latency:
                - fra: 12.5ms  (Frankfurt)
                - ams: 18ms    (Amsterdam)

    *Good*::

        $ tailscale netcheck

        Report:
            * Time: 2026-09-01 15:45:04.195906728+02:00
            * UDP: true
            * IPv4: yes, 198.51.100.20:40001
            * IPv6: no, but OS has support
            * MappingVariesByDestIP: true
            * PortMapping:
            * Nearest DERP: Frankfurt
            * DERP latency:
                - fra: 12.5ms  (Frankfurt)
                - ams: 18ms    (Amsterdam)
    """
    if "lan-stun" not in profile.artefacts:
        return
    report = profile.report
    address = endpoint_host(report.ipv4_endpoint or "")
    kind = "a private" if profile.ipv4_scope is AddressScope.PRIVATE else "a shared (100.64.0.0/10)"
    varies = " and the 'hard NAT' verdict" if report.mapping_varies else ""
    yield ctx.finding(
        f"{ctx.facts.label}: STUN reported {kind} address {address}: a STUN server inside this network (typically "
        "a "
        f"self-hosted DERP on the same LAN or host) answered. The endpoint{varies} "
        "is an artefact of that, not the node's real NAT behaviour."
        + (
            " (100.64.0.0/10 can also be carrier-grade NAT, where port mapping cannot help.)"
            if profile.ipv4_scope is AddressScope.SHARED
            else ""
        ),
        "Judge NAT type from a run where only Internet STUN answers (e.g. temporarily use the default DERP "
        "map, or check the report's other regions); make sure the self-hosted DERP has a public STUN "
        "address (derper -stun on a public IP) rather than being reached over the LAN.",
        ctx.facts.evidence(report.line("ipv4"), report.line("mapping")),
    )


@rule(
    id="TS-NETCHECK-V4MAPPED-BUG",
    name="netcheck-v4mapped-bug",
    family="tailscale-netcheck",
    severity=Severity.WARNING,
    summary="IPv4 shown as an IPv6 ::ffff: address (v1.30 bug)",
    target="netcheck",
)
def v4mapped_bug(profile: NatProfile, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: tailscale 1.30.0-1.30.1 (issue #5624) printed ``IPv4: (no addr found)`` and
    ``IPv6: yes, [::ffff:a.b.c.d]:port``: the IPv4 STUN reply was stored as a 4-in-6 address.
    IPv4 works; there is no IPv6.

    *Bad*::

        $ tailscale netcheck

        Report:
            * UDP: true
            * IPv4: (no addr found)
            * IPv6: yes, [::ffff:198.51.100.20]:41000
            * MappingVariesByDestIP: false
            * PortMapping:
            * Nearest DERP: Frankfurt
            * DERP latency:
                - fra: 12.5ms  (Frankfurt)
                - ams: 18ms    (Amsterdam)

    *Good*::

        $ tailscale netcheck

        Report:
            * Time: 2026-09-01 15:45:04.195906728+02:00
            * UDP: true
            * IPv4: yes, 198.51.100.20:40001
            * IPv6: yes, [2001:db8::20]:41000
            * MappingVariesByDestIP: false
            * PortMapping:
            * Nearest DERP: Frankfurt
            * DERP latency:
                - fra: 12.5ms  (Frankfurt)
                - ams: 18ms    (Amsterdam)
    """
    if "v4mapped-bug" not in profile.artefacts:
        return
    report = profile.report
    yield ctx.finding(
        f"{ctx.facts.label}: the 'IPv6' address is an IPv4-mapped address (::ffff:...): the 1.30 display bug. "
        "IPv4 actually works and there is no real IPv6 here; do not count on direct IPv6 paths.",
        "Upgrade Tailscale (fixed after 1.30.1) and rerun `tailscale netcheck`.",
        ctx.facts.evidence(report.line("ipv4"), report.line("ipv6")),
    )


@rule(
    id="TS-NETCHECK-LOGGED-OUT-OLD",
    name="netcheck-logged-out-old",
    family="tailscale-netcheck",
    severity=Severity.WARNING,
    summary="UDP false / DERP unknown may be a logged-out artefact",
    target="netcheck",
)
def logged_out_old(profile: NatProfile, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: before v1.16 ``tailscale netcheck`` run while logged out had no DERP map and printed
    ``UDP: false`` and ``Nearest DERP: unknown`` spuriously (#2993); that is not a network verdict.

    *Bad*::

        Report:
            * UDP: false
            * IPv4: (no addr found)
            * IPv6: no
            * MappingVariesByDestIP:
            * HairPinning:
            * PortMapping:
            * Nearest DERP: unknown (no response to latency probes)
            * DERP latency:
                - nyc:         (New York City)

    *Good*::

        $ tailscale netcheck

        Report:
            * Time: 2026-09-01 15:45:04.195906728+02:00
            * UDP: false
            * IPv4: (no addr found)
            * IPv6: no, but OS has support
            * MappingVariesByDestIP:
            * PortMapping:
            * Nearest DERP: unknown (no response to latency probes)
            * DERP latency:
                - nyc:         (New York City)
    """
    report = profile.report
    if not looks_logged_out(report):
        return
    yield ctx.finding(
        f"{ctx.facts.label}: an old-layout report (before v1.16) with UDP false, no DERP home and no latency at "
        "all: the signature of netcheck run while logged out, which printed these values spuriously.",
        "Log in (`tailscale up`) and rerun `tailscale netcheck`, or upgrade to v1.16+; do not conclude "
        "that UDP is blocked from this report.",
        ctx.facts.evidence(report.line("udp"), report.line("derp")),
    )


# tailscaled hands `tailscale netcheck` its DERP map from the netmap; none means no netmap from control.
_NO_DERP_MAP_CAUSE = (
    "tailscaled answered `tailscale netcheck` with no DERP map (the CLI logged 'No DERP map from tailscaled; "
    "using default.'): it holds no network map from the coordination server, so this node is not connected to "
    "control: logged out or never logged in, tailscaled just (re)started, or control unreachable from this "
    "network (a captive portal not yet cleared, DNS or a firewall blocking controlplane.tailscale.com or your "
    "login server). Without a map the node has no DERP relays and no peers."
)
_NO_DERP_MAP_FIX = (
    "Check `tailscale status` (Logged out / NeedsLogin: `tailscale up`; 'unable to connect to the Tailscale "
    "coordination server': the network); on a hotel/train Wi-Fi turn Tailscale off, open any http:// page to "
    "clear the captive portal, then turn it back on; otherwise check DNS and outbound 443 to the control URL "
    "(`curl -v https://controlplane.tailscale.com/key?v=71`)."
)


@rule(
    id="TS-NETCHECK-NO-DERP-MAP",
    name="netcheck-no-derp-map",
    family="tailscale-netcheck",
    severity=Severity.ERROR,
    summary="tailscaled gave netcheck no DERP map: the node has no netmap from control",
    target="netcheck",
)
def no_derp_map(profile: NatProfile, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: ``tailscale netcheck`` asks tailscaled for its DERP map, which comes with the netmap; an empty one
    makes the CLI log ``No DERP map from tailscaled; using default.`` and fetch the default map itself. The line
    alone (its report cut, or the fetch failing after it) says tailscaled has no netmap: not logged in, or
    control not reachable from here (a captive portal not cleared).

    *Bad*::

        $ tailscale netcheck
        2023/06/26 13:53:49 No DERP map from tailscaled; using default.

    *Good*::

        $ tailscale netcheck

        Report:
            * UDP: true
    """
    report = profile.report
    if report.layout != NO_DERP_MAP_LAYOUT:
        return
    yield ctx.finding(
        f"{ctx.facts.label}: {_NO_DERP_MAP_CAUSE}",
        _NO_DERP_MAP_FIX,
        ctx.facts.evidence(report.line("no_derp_map")),
    )


@rule(
    id="TS-NETCHECK-NO-DERP-MAP-CAVEAT",
    name="netcheck-no-derp-map-caveat",
    family="tailscale-netcheck",
    severity=Severity.WARNING,
    summary="netcheck measured without tailscaled's DERP map: the node has no netmap from control",
    target="netcheck",
)
def no_derp_map_caveat(profile: NatProfile, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: when tailscaled has no netmap the CLI measures against the default DERP map it fetched itself: the
    UDP, NAT and latency figures are this network's, but the node itself is not on the tailnet (no relays, no
    peers) until it reaches control, and a custom DERP map the tailnet uses was not measured.

    *Bad*::

        $ tailscale netcheck
        2026/04/27 20:13:10 No DERP map from tailscaled; using default.

        Report:
            * UDP: false
            * Nearest DERP: Frankfurt

    *Good*::

        $ tailscale netcheck

        Report:
            * UDP: true
            * Nearest DERP: Frankfurt
    """
    report = profile.report
    if report.layout == NO_DERP_MAP_LAYOUT or report.line("no_derp_map") is None:
        return
    yield ctx.finding(
        f"{ctx.facts.label}: {_NO_DERP_MAP_CAUSE} The report below it was measured by the CLI against the default "
        "DERP map: its UDP/NAT figures describe this network, not a working node (a custom DERP map was not used).",
        _NO_DERP_MAP_FIX,
        ctx.facts.evidence(report.line("no_derp_map")),
    )


@rule(
    id="TS-NETCHECK-DERP-SILENT",
    name="netcheck-derp-silent",
    family="tailscale-netcheck",
    severity=Severity.WARNING,
    summary="DERP regions did not answer",
    target="netcheck",
)
def derp_silent(profile: NatProfile, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: with UDP working, a region with an empty latency did not answer STUN at all. For Tailscale's
    own regions that is usually a transient; for a self-hosted (custom) region it means its STUN port
    (3478/udp) or DERP port is unreachable or misconfigured, so nodes never pick it as home.

    Not when the blanks are netcheck's early stop: without ``--verbose`` it stops probing soon after three
    regions answer (a timer of twice the slowest of them), so from a host close to its nearest regions the
    far ones, custom ones too, print blank without being silent. When at least three regions answered and
    none beyond that window (third-fastest + twice it), the finding is an info that names the unmeasured
    custom regions and points to ``tailscale netcheck --verbose``, which waits for every region. A verbose
    run (the typed flag, ``(derp1, New York City)`` names, netcheck's log lines), an answer beyond the
    window, or fewer than three answers keep the warning.

    *Bad*::

        $ tailscale netcheck

        Report:
            * Time: 2026-09-01 15:45:04.195906728+02:00
            * UDP: true
            * IPv4: yes, 198.51.100.20:40001
            * IPv6: no, but OS has support
            * MappingVariesByDestIP: false
            * PortMapping:
            * Nearest DERP: Frankfurt
            * DERP latency:
                - fra: 12.5ms  (Frankfurt)
                -  hs:         (home-derp)

    *Good*::

        $ tailscale netcheck

        Report:
            * Time: 2026-09-01 15:45:04.195906728+02:00
            * UDP: true
            * IPv4: yes, 198.51.100.20:40001
            * IPv6: no, but OS has support
            * MappingVariesByDestIP: false
            * PortMapping:
            * Nearest DERP: Frankfurt
            * DERP latency:
                - fra: 12.5ms  (Frankfurt)
                - ams: 18ms    (Amsterdam)
    """
    report = profile.report
    if report.udp is not True:
        return
    silent = [d for d in report.latencies if d.latency_ms is None and not d.cut_off]
    if not silent or len(silent) == len(report.latencies):
        return
    custom = [d for d in silent if not (len(d.code) == 3 and d.code.islower())]
    if profile.stopped_early:
        yield _not_waited_for(profile, ctx, silent, [d for d in silent if is_self_hosted(d)])
        return
    names = ", ".join(f"{d.code} ({d.name})" if d.name else d.code for d in silent)
    yield ctx.finding(
        f"{ctx.facts.label}: DERP region(s) {names} gave no latency although UDP works"
        + (
            "; the non-standard code(s) suggest a self-hosted DERP whose STUN (UDP 3478) or DERP port is "
            "unreachable from here."
            if custom
            else "."
        ),
        "For a self-hosted region: check that derper runs with -stun, that UDP 3478 and its HTTPS port are "
        "open in the firewall/security group, and that the DERP map's HostName/IPv4 point to it; then "
        "rerun netcheck.",
        ctx.facts.evidence(*(d.line for d in silent[:5])),
        severity=Severity.WARNING if custom else Severity.INFO,
    )


def _region_names(regions: list[DerpLatency]) -> str:
    return ", ".join(f"{d.code} ({d.name})" if d.name else d.code for d in regions)


def _not_waited_for(
    profile: NatProfile, ctx: DiagnoseContext, silent: list[DerpLatency], custom: list[DerpLatency]
) -> Finding:
    """The info for blank regions that netcheck's early stop explains (NatProfile.stopped_early)."""
    nearest = sorted(
        (d for d in profile.report.latencies if d.latency_ms is not None), key=lambda d: d.latency_ms or 0.0
    )
    first = ", ".join(f"{d.code} {d.latency_ms:g} ms" for d in nearest[:ENOUGH_REGIONS])
    among = f", among them the self-hosted {_region_names(custom)}," if custom else ""
    return ctx.finding(
        f"{ctx.facts.label}: netcheck stopped waiting after the nearest regions answered ({first}); the "
        f"{len(silent)} region(s) printed without a latency{among} were not waited for: blank here means not "
        "measured, not unreachable. Without --verbose netcheck stops probing shortly after three regions answer.",
        "Nothing to fix from this report. To measure every region"
        + (f" (whether {', '.join(d.code for d in custom)} answer STUN from here)" if custom else "")
        + ", run `tailscale netcheck --verbose`, which waits for all of them.",
        ctx.facts.evidence(*(d.line for d in nearest[:ENOUGH_REGIONS]), *(d.line for d in (custom or silent)[:3])),
        severity=Severity.INFO,
    )


@rule(
    id="TS-NETCHECK-NO-DERP-HOME",
    name="netcheck-no-derp-home",
    family="tailscale-netcheck",
    severity=Severity.ERROR,
    summary="No DERP home region",
    target="netcheck",
)
def no_derp_home(profile: NatProfile, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: without a home DERP region peers have nowhere to reach this node when no direct path
    exists, and endpoint exchange (which also runs over DERP) fails: connections cannot start.

    *Bad*::

        $ tailscale netcheck

        Report:
            * Time: 2026-09-01 15:45:04.195906728+02:00
            * UDP: true
            * IPv4: yes, 198.51.100.20:40001
            * IPv6: no, but OS has support
            * MappingVariesByDestIP: false
            * PortMapping:
            * Nearest DERP: unknown (no response to latency probes)
            * DERP latency:
                - fra:         (Frankfurt)

    *Good*::

        $ tailscale netcheck

        Report:
            * Time: 2026-09-01 15:45:04.195906728+02:00
            * UDP: true
            * IPv4: yes, 198.51.100.20:40001
            * IPv6: no, but OS has support
            * MappingVariesByDestIP: false
            * PortMapping:
            * Nearest DERP: Frankfurt
            * DERP latency:
                - fra: 12.5ms  (Frankfurt)
                - ams: 18ms    (Amsterdam)
    """
    report = profile.report
    state = report.derp_home_state
    if state not in (DerpHomeState.NO_RESPONSE, DerpHomeState.NONE, DerpHomeState.NOT_IN_MAP):
        return
    if looks_logged_out(report):
        return
    text = {
        DerpHomeState.NO_RESPONSE: "no DERP region answered the latency probes",
        DerpHomeState.NONE: "no DERP region is available ([none])",
        DerpHomeState.NOT_IN_MAP: f"the preferred region {report.derp_home} is not in the DERP map",
    }[state]
    yield ctx.finding(
        f"{ctx.facts.label}: {text}, so it has no DERP home: relayed connections and the endpoint exchange that "
        "starts every direct connection cannot work.",
        "Check outbound TCP 443 and UDP 3478 to the DERP servers; with Headscale, check the DERP map it "
        "serves (derp.urls / derp.paths, embedded DERP region) and that the region IDs match.",
        ctx.facts.evidence(report.line("derp")),
    )


@rule(
    id="TS-NETCHECK-CAPTIVE-PORTAL",
    name="netcheck-captive-portal",
    family="tailscale-netcheck",
    severity=Severity.WARNING,
    summary="Captive portal detected",
    target="netcheck",
)
def captive_portal(profile: NatProfile, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: behind a captive portal HTTP(S) is intercepted until the user signs in; DERP and control
    traffic fail in odd ways until then.

    *Bad*::

        $ tailscale netcheck

        Report:
            * Time: 2026-09-01 15:45:04.195906728+02:00
            * UDP: true
            * IPv4: yes, 198.51.100.20:40001
            * IPv6: no, but OS has support
            * MappingVariesByDestIP: false
            * PortMapping:
            * CaptivePortal: true
            * Nearest DERP: Frankfurt
            * DERP latency:
                - fra: 12.5ms  (Frankfurt)
                - ams: 18ms    (Amsterdam)

    *Good*::

        $ tailscale netcheck

        Report:
            * Time: 2026-09-01 15:45:04.195906728+02:00
            * UDP: true
            * IPv4: yes, 198.51.100.20:40001
            * IPv6: no, but OS has support
            * MappingVariesByDestIP: false
            * PortMapping:
            * CaptivePortal: false
            * Nearest DERP: Frankfurt
            * DERP latency:
                - fra: 12.5ms  (Frankfurt)
                - ams: 18ms    (Amsterdam)
    """
    if profile.report.captive_portal is not True:
        return
    yield ctx.finding(
        f"{ctx.facts.label}: netcheck detected a captive portal: the network intercepts web traffic until you sign in.",
        "Open a browser and complete the network's sign-in page, then rerun `tailscale netcheck`.",
        ctx.facts.evidence(profile.report.line("captive")),
    )


@rule(
    id="TS-NETCHECK-FAR-DERP",
    name="netcheck-far-derp",
    family="tailscale-netcheck",
    severity=Severity.INFO,
    summary="Nearest DERP is far: relayed paths will be slow",
    target="netcheck",
)
def far_derp(profile: NatProfile, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: any pair that ends up relayed pays at least the round trip to the DERP home region; when
    the nearest region is already > 150 ms away, relayed traffic is slow and a nearby self-hosted
    DERP (or getting the pair direct) is the fix.

    *Bad*::

        $ tailscale netcheck

        Report:
            * Time: 2026-09-01 15:45:04.195906728+02:00
            * UDP: true
            * IPv4: yes, 198.51.100.20:40001
            * IPv6: no, but OS has support
            * MappingVariesByDestIP: false
            * PortMapping:
            * Nearest DERP: Hong Kong
            * DERP latency:
                - hkg: 163.3ms (Hong Kong)
                - sfo: 172.7ms (San Francisco)

    *Good*::

        $ tailscale netcheck

        Report:
            * Time: 2026-09-01 15:45:04.195906728+02:00
            * UDP: true
            * IPv4: yes, 198.51.100.20:40001
            * IPv6: no, but OS has support
            * MappingVariesByDestIP: false
            * PortMapping:
            * Nearest DERP: Frankfurt
            * DERP latency:
                - fra: 12.5ms  (Frankfurt)
                - ams: 18ms    (Amsterdam)
    """
    report = profile.report
    home = profile.home_latency
    if report.udp is not True or home is None or (home.latency_ms or 0.0) < SLOW_HOME_DERP_MS:
        return
    yield ctx.finding(
        f"{ctx.facts.label}: the nearest DERP region ({home.code}) is {home.latency_ms:.0f} ms away, so any "
        "connection relayed through DERP will be slow.",
        "Make the important pairs direct (see the pairwise table), or run a DERP server close to this "
        "node and add it to the DERP map.",
        ctx.facts.evidence(report.line("derp"), home.line),
    )


@rule(
    id="TS-NETCHECK-NO-IPV6",
    name="netcheck-no-ipv6",
    family="tailscale-netcheck",
    severity=Severity.INFO,
    summary="IPv6: OS supports it but the network gives no route",
    target="netcheck",
)
def ipv6_os_only(profile: NatProfile, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: two nodes with global IPv6 connect directly almost regardless of IPv4 NAT. ``no, but OS
    has support`` means only the network is missing: often the cheapest way to a direct path.

    *Bad*::

        $ tailscale netcheck

        Report:
            * Time: 2026-09-01 15:45:04.195906728+02:00
            * UDP: true
            * IPv4: yes, 198.51.100.20:40001
            * IPv6: no, but OS has support
            * MappingVariesByDestIP: true
            * PortMapping:
            * Nearest DERP: Frankfurt
            * DERP latency:
                - fra: 12.5ms  (Frankfurt)
                - ams: 18ms    (Amsterdam)

    *Good*::

        $ tailscale netcheck

        Report:
            * Time: 2026-09-01 15:45:04.195906728+02:00
            * UDP: true
            * IPv4: yes, 198.51.100.20:40001
            * IPv6: no, but OS has support
            * MappingVariesByDestIP: false
            * PortMapping:
            * Nearest DERP: Frankfurt
            * DERP latency:
                - fra: 12.5ms  (Frankfurt)
                - ams: 18ms    (Amsterdam)
    """
    report = profile.report
    if report.ipv6_state is not Ipv6State.OS_ONLY or profile.mapping is Mapping.EASY or report.udp is False:
        return
    yield ctx.finding(
        f"{ctx.facts.label}: the OS supports IPv6 but this network routes none; with hard or unknown IPv4 NAT, "
        "IPv6 on both ends would make direct paths likely.",
        "Enable IPv6 on the router/ISP line (prefix delegation) or use a network with IPv6.",
        ctx.facts.evidence(report.line("ipv6")),
    )


@rule(
    id="TS-NETCHECK-IPV6-ONLY",
    name="netcheck-ipv6-only",
    family="tailscale-netcheck",
    severity=Severity.WARNING,
    summary="no IPv4 at all while UDP works over IPv6: an IPv6-only host",
    target="netcheck",
)
def ipv6_only(profile: NatProfile, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: ``UDP: true`` with ``IPv4: (no addr found)`` and ``IPv6: yes, [addr]:port`` means only STUN over IPv6
    answered: the host has no IPv4 on the Internet (an IPv6-only VPS, an IPv6-only cluster), or its network drops
    UDP over IPv4 only. Direct paths then form only with peers that have IPv6 themselves; every IPv4-only peer is
    relayed through DERP, and DERP regions that give no IPv6 answer stay silent. The control server must be
    reachable over IPv6 too: clients before v1.12 use login.tailscale.com, which had no IPv6 address in 2020
    (``tailscale up`` hung: tailscale/tailscale#1010); controlplane.tailscale.com has one since August 2021 (#2610);
    a self-hosted control server needs an AAAA record (or NAT64/DNS64 in front).

    *Bad*::

        Report:
            * UDP: true
            * IPv4: (no addr found)
            * IPv6: yes, [2001:db8:5400::1]:49427
            * MappingVariesByDestIP:
            * HairPinning:
            * PortMapping: not checked
            * Nearest DERP: New York City
            * DERP latency:
                - nyc: 19.6ms  (New York City)
                - sin:         (Singapore)

    *Good*::

        Report:
            * UDP: true
            * IPv4: yes, 198.51.100.20:40001
            * IPv6: yes, [2001:db8:5400::1]:49427
            * MappingVariesByDestIP: false
            * HairPinning: false
            * PortMapping:
            * Nearest DERP: New York City
            * DERP latency:
                - nyc: 19.6ms  (New York City)
                - sin: 240ms   (Singapore)
    """
    report = profile.report
    if (
        report.udp is not True
        or report.ipv6_state is not Ipv6State.GLOBAL
        or report.ipv4 is not False  # (NetInfo{…} names no IPv4 at all: unknown, not absent)
        or profile.ipv4_scope is not AddressScope.NONE
    ):
        return
    silent = [d for d in report.latencies if d.latency_ms is None and not d.cut_off]
    silent_note = (
        f" The silent DERP region(s) ({', '.join(d.code for d in silent)}) gave no answer over IPv6."
        if silent and len(silent) < len(report.latencies) and not profile.stopped_early
        else ""
    )
    yield ctx.finding(
        f"{ctx.facts.label}: no IPv4 address found while UDP works over IPv6 only: an IPv6-only host (or a network "
        "that drops UDP over IPv4). Direct paths form only with peers that have IPv6 too; peers with IPv4 only "
        "are relayed through DERP." + silent_note,
        "Give the host an IPv4 address (most VPS plans add one for a small fee) or a NAT64/DNS64 gateway if peers "
        "without IPv6 must connect directly; otherwise give those peers IPv6. The control server must answer over "
        "IPv6: use a current client (before v1.12 the default, login.tailscale.com, had no IPv6 address, so "
        "`tailscale up` hung: tailscale/tailscale#1010); a self-hosted control server needs an AAAA record.",
        ctx.facts.evidence(report.line("ipv4"), report.line("ipv6")),
    )


@rule(
    id="TS-NETCHECK-UPNP-NOT-GATEWAY",
    name="netcheck-upnp-not-gateway",
    family="tailscale-netcheck",
    severity=Severity.WARNING,
    summary="A UPnP gateway answered from an address that is not the default gateway",
    target="netcheck",
)
def upnp_not_gateway(profile: NatProfile, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: the port mapper multicasts UPnP discovery; ``UPnP discovery response from X, but gateway IP is
    Y`` means a device other than the default gateway answered as an Internet Gateway Device. Tailscale
    logs it and still uses the reply (net/portmapper, tailscale/tailscale#5502: a router pair behind a
    floating gateway address answers from its own address). Unless X is the same router, a mapping made
    there opens a port on a device that is not the path to the internet (a second router, a side router's
    miniupnpd, a NAS or media box), so peers cannot use it and connections stay relayed.

    *Bad*::

        $ tailscale netcheck
        portmap: UPnP discovery response from 192.168.5.2, but gateway IP is 192.168.5.1

    *Good*::

        $ tailscale netcheck

        Report:
            * UDP: true
            * IPv4: yes, 198.51.100.20:40001
            * PortMapping: UPnP
            * Nearest DERP: Frankfurt
    """
    report = profile.report
    if report.upnp_responder is None:
        return
    responder, gateway = report.upnp_responder
    yield ctx.finding(
        f"{ctx.facts.label}: a UPnP Internet Gateway Device answered from {responder}, but this machine's "
        f"default gateway is {gateway}. Tailscale still uses that answer, so port mappings are made on "
        f"{responder}: unless it is the same router (a failover pair behind a floating gateway address), the "
        "mapped port is on a device that is not the way to the internet and peers cannot reach it "
        "(connections stay relayed through DERP).",
        f"Find what runs UPnP at {responder} (a second or side router, a NAS, a media box) and turn its UPnP "
        f"server off, or enable UPnP / NAT-PMP on the real gateway {gateway}; if {responder} is the active "
        "member of a router pair, nothing is wrong. Confirm with `tailscale netcheck` (PortMapping) and "
        "`tailscale debug portmap`.",
        ctx.facts.evidence(report.line("upnp_responder")),
    )
