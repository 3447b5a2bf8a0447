"""Rules that read one node's netcheck report (through its NAT profile)."""

from __future__ import annotations

from collections.abc import Iterator

from opskit.core.diagnose.models import DerpHomeState, Ipv6State
from opskit.core.diagnose.profile import AddressScope, Mapping, NatProfile, endpoint_host, looks_logged_out
from opskit.core.diagnose.rules.base import RuleContext, rule
from opskit.core.findings import Finding, Severity

PROBE_PORT_NOTE = (
    "The port after the IPv4 address is the probe socket of the `tailscale netcheck` command itself, "
    "not tailscaled's WireGuard port; do not forward or allow that port."
)
SLOW_HOME_DERP_MS = 150.0


@rule("TS-NETCHECK-UDP-BLOCKED", "netcheck", Severity.ERROR, "UDP is blocked: every peer will be relayed")
def udp_blocked(profile: NatProfile, ctx: RuleContext) -> Iterator[Finding]:
    """Why: with ``UDP: false`` no STUN reply came back, so neither IPv4 nor IPv6 hole punching can
    work from this network; tailscaled falls back to DERP over TCP 443 for every peer. The DERP
    latencies printed in that state come from HTTPS/ICMP probes and look inflated."""
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
    yield udp_blocked.finding(
        f"{ctx.label}: no STUN reply over UDP, so this network blocks outbound UDP (or UDP 3478). "
        f"Every connection from {ctx.label} will be relayed over DERP (TCP 443), whatever the peer's NAT."
        + latency_note,
        "Allow outbound UDP from this network: to UDP 3478 (STUN) and from tailscaled's port "
        "(41641 by default) to any destination; or use another network (e.g. mobile data) to confirm.",
        ctx.evidence(report.line("udp"), report.line("ipv4"), *(d.line for d in measured[:3])),
    )


@rule(
    "TS-NETCHECK-HARD-NAT", "netcheck", Severity.WARNING, "Hard NAT: the public port changes per destination"
)
def hard_nat(profile: NatProfile, ctx: RuleContext) -> Iterator[Finding]:
    """Why: ``MappingVariesByDestIP: true`` means two STUN servers saw different public ports: an
    endpoint-dependent ("hard", symmetric) NAT. Peers cannot predict the port to send to, so direct
    paths need the other side to be easy/open, a port mapping, or IPv6."""
    if profile.mapping is not Mapping.HARD:
        return
    report = profile.report
    if profile.portmap_usable:
        yield hard_nat.finding(
            f"{ctx.label} is behind hard NAT, but its router answers {', '.join(report.portmap_protocols)}: "
            f"tailscaled maps a port and advertises it, so peers can come in directly while the mapping is "
            f"alive. The mapping is created lazily when {ctx.label} is active, which is why such a node "
            f"can seem unreachable until it sends first.",
            f"Nothing required; for a path that never depends on {ctx.label} speaking first, forward UDP "
            f"41641 to it and run tailscaled with --port=41641. {PROBE_PORT_NOTE}",
            ctx.evidence(report.line("mapping"), report.line("portmap")),
            severity=Severity.INFO,
        )
        return
    yield hard_nat.finding(
        f"{ctx.label} is behind hard NAT (endpoint-dependent mapping) with no port mapping: peers cannot "
        f"reach it unsolicited; it gets direct paths only to peers with open or port-mapped UDP, maybe to "
        f"easy-NAT peers with lenient filtering, and DERP otherwise.",
        "Enable UPnP, NAT-PMP or PCP on the router; or forward UDP 41641 to this node and run tailscaled "
        "with --port=41641; or give the node (and its peers) global IPv6. " + PROBE_PORT_NOTE,
        ctx.evidence(report.line("mapping"), report.line("portmap")),
    )


@rule("TS-NETCHECK-MAPPING-UNKNOWN", "netcheck", Severity.INFO, "NAT mapping was not measured")
def mapping_unknown(profile: NatProfile, ctx: RuleContext) -> Iterator[Finding]:
    """Why: an empty ``MappingVariesByDestIP:`` is an unset opt.Bool (fewer than two IPv4 STUN
    replies), not ``false``; treating it as easy NAT is a classic misdiagnosis."""
    report = profile.report
    if report.udp is False or report.mapping_varies is not None or "lan-stun" in profile.artefacts:
        return
    yield mapping_unknown.finding(
        f"{ctx.label}: MappingVariesByDestIP is blank: fewer than two STUN servers answered over IPv4, "
        "so whether this NAT is easy or hard is unknown (blank does not mean false).",
        "Rerun `tailscale netcheck` when more DERP/STUN regions are reachable; predictions involving this "
        "node stay 'uncertain' until then.",
        ctx.evidence(report.line("mapping")),
    )


@rule(
    "TS-NETCHECK-LAN-STUN",
    "netcheck",
    Severity.WARNING,
    "STUN answered from inside the LAN: NAT verdict unreliable",
)
def lan_stun(profile: NatProfile, ctx: RuleContext) -> Iterator[Finding]:
    """Why: a self-hosted DERP/STUN server on the same LAN or host sees the node's private address,
    while Internet STUN sees the public one; the replies differ, so netcheck shows a private IPv4
    endpoint and often ``MappingVariesByDestIP: true`` without any hard NAT."""
    if "lan-stun" not in profile.artefacts:
        return
    report = profile.report
    address = endpoint_host(report.ipv4_endpoint or "")
    kind = "a private" if profile.ipv4_scope is AddressScope.PRIVATE else "a shared (100.64.0.0/10)"
    varies = " and the 'hard NAT' verdict" if report.mapping_varies else ""
    yield lan_stun.finding(
        f"{ctx.label}: STUN reported {kind} address {address}: a STUN server inside this network (typically "
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
        ctx.evidence(report.line("ipv4"), report.line("mapping")),
    )


@rule(
    "TS-NETCHECK-V4MAPPED-BUG",
    "netcheck",
    Severity.WARNING,
    "IPv4 shown as an IPv6 ::ffff: address (v1.30 bug)",
)
def v4mapped_bug(profile: NatProfile, ctx: RuleContext) -> Iterator[Finding]:
    """Why: tailscale 1.30.0-1.30.1 (issue #5624) printed ``IPv4: (no addr found)`` and
    ``IPv6: yes, [::ffff:a.b.c.d]:port``: the IPv4 STUN reply was stored as a 4-in-6 address.
    IPv4 works; there is no IPv6."""
    if "v4mapped-bug" not in profile.artefacts:
        return
    report = profile.report
    yield v4mapped_bug.finding(
        f"{ctx.label}: the 'IPv6' address is an IPv4-mapped address (::ffff:...): the 1.30 display bug. "
        "IPv4 actually works and there is no real IPv6 here; do not count on direct IPv6 paths.",
        "Upgrade Tailscale (fixed after 1.30.1) and rerun `tailscale netcheck`.",
        ctx.evidence(report.line("ipv4"), report.line("ipv6")),
    )


@rule(
    "TS-NETCHECK-LOGGED-OUT-OLD",
    "netcheck",
    Severity.WARNING,
    "UDP false / DERP unknown may be a logged-out artefact",
)
def logged_out_old(profile: NatProfile, ctx: RuleContext) -> Iterator[Finding]:
    """Why: before v1.16 ``tailscale netcheck`` run while logged out had no DERP map and printed
    ``UDP: false`` and ``Nearest DERP: unknown`` spuriously (#2993); that is not a network verdict."""
    report = profile.report
    if not looks_logged_out(report):
        return
    yield logged_out_old.finding(
        f"{ctx.label}: an old-layout report (before v1.16) with UDP false, no DERP home and no latency at "
        "all: the signature of netcheck run while logged out, which printed these values spuriously.",
        "Log in (`tailscale up`) and rerun `tailscale netcheck`, or upgrade to v1.16+; do not conclude "
        "that UDP is blocked from this report.",
        ctx.evidence(report.line("udp"), report.line("derp")),
    )


@rule("TS-NETCHECK-DERP-SILENT", "netcheck", Severity.WARNING, "DERP regions did not answer")
def derp_silent(profile: NatProfile, ctx: RuleContext) -> Iterator[Finding]:
    """Why: with UDP working, a region with an empty latency did not answer STUN at all. For Tailscale's
    own regions that is usually a transient; for a self-hosted (custom) region it means its STUN port
    (3478/udp) or DERP port is unreachable or misconfigured, so nodes never pick it as home."""
    report = profile.report
    if report.udp is not True:
        return
    silent = [d for d in report.latencies if d.latency_ms is None and not d.cut_off]
    if not silent or len(silent) == len(report.latencies):
        return
    custom = [d for d in silent if not (len(d.code) == 3 and d.code.islower())]
    names = ", ".join(f"{d.code} ({d.name})" if d.name else d.code for d in silent)
    yield derp_silent.finding(
        f"{ctx.label}: DERP region(s) {names} gave no latency although UDP works"
        + (
            "; the non-standard code(s) suggest a self-hosted DERP whose STUN (UDP 3478) or DERP port is "
            "unreachable from here."
            if custom
            else "."
        ),
        "For a self-hosted region: check that derper runs with -stun, that UDP 3478 and its HTTPS port are "
        "open in the firewall/security group, and that the DERP map's HostName/IPv4 point to it; then "
        "rerun netcheck.",
        ctx.evidence(*(d.line for d in silent[:5])),
        severity=Severity.WARNING if custom else Severity.INFO,
    )


@rule("TS-NETCHECK-NO-DERP-HOME", "netcheck", Severity.ERROR, "No DERP home region")
def no_derp_home(profile: NatProfile, ctx: RuleContext) -> Iterator[Finding]:
    """Why: without a home DERP region peers have nowhere to reach this node when no direct path
    exists, and endpoint exchange (which also runs over DERP) fails: connections cannot start."""
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
    yield no_derp_home.finding(
        f"{ctx.label}: {text}, so it has no DERP home: relayed connections and the endpoint exchange that "
        "starts every direct connection cannot work.",
        "Check outbound TCP 443 and UDP 3478 to the DERP servers; with Headscale, check the DERP map it "
        "serves (derp.urls / derp.paths, embedded DERP region) and that the region IDs match.",
        ctx.evidence(report.line("derp")),
    )


@rule("TS-NETCHECK-CAPTIVE-PORTAL", "netcheck", Severity.WARNING, "Captive portal detected")
def captive_portal(profile: NatProfile, ctx: RuleContext) -> Iterator[Finding]:
    """Why: behind a captive portal HTTP(S) is intercepted until the user signs in; DERP and control
    traffic fail in odd ways until then."""
    if profile.report.captive_portal is not True:
        return
    yield captive_portal.finding(
        f"{ctx.label}: netcheck detected a captive portal: the network intercepts web traffic until you "
        "sign in.",
        "Open a browser and complete the network's sign-in page, then rerun `tailscale netcheck`.",
        ctx.evidence(profile.report.line("captive")),
    )


@rule("TS-NETCHECK-FAR-DERP", "netcheck", Severity.INFO, "Nearest DERP is far: relayed paths will be slow")
def far_derp(profile: NatProfile, ctx: RuleContext) -> Iterator[Finding]:
    """Why: any pair that ends up relayed pays at least the round trip to the DERP home region; when
    the nearest region is already > 150 ms away, relayed traffic is slow and a nearby self-hosted
    DERP (or getting the pair direct) is the fix."""
    report = profile.report
    home = profile.home_latency
    if report.udp is not True or home is None or (home.latency_ms or 0.0) < SLOW_HOME_DERP_MS:
        return
    yield far_derp.finding(
        f"{ctx.label}: the nearest DERP region ({home.code}) is {home.latency_ms:.0f} ms away, so any "
        "connection relayed through DERP will be slow.",
        "Make the important pairs direct (see the pairwise table), or run a DERP server close to this "
        "node and add it to the DERP map.",
        ctx.evidence(report.line("derp"), home.line),
    )


@rule("TS-NETCHECK-NO-IPV6", "netcheck", Severity.INFO, "IPv6: OS supports it but the network gives no route")
def ipv6_os_only(profile: NatProfile, ctx: RuleContext) -> Iterator[Finding]:
    """Why: two nodes with global IPv6 connect directly almost regardless of IPv4 NAT. ``no, but OS
    has support`` means only the network is missing: often the cheapest way to a direct path."""
    report = profile.report
    if report.ipv6_state is not Ipv6State.OS_ONLY or profile.mapping is Mapping.EASY or report.udp is False:
        return
    yield ipv6_os_only.finding(
        f"{ctx.label}: the OS supports IPv6 but this network routes none; with hard or unknown IPv4 NAT, "
        "IPv6 on both ends would make direct paths likely.",
        "Enable IPv6 on the router/ISP line (prefix delegation) or use a network with IPv6.",
        ctx.evidence(report.line("ipv6")),
    )
