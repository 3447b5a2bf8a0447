"""Pairwise path prediction from NAT profiles, and comparison with observed paths.

The table follows tailscale-facts.md §5.2 (KB 1411/1082, magicsock): easy↔easy is direct,
easy↔hard depends on the easy side's *filtering* (which netcheck does not measure), hard↔hard is
DERP unless one side holds a port mapping, UDP blocked anywhere is DERP, and global IPv6 on both
sides is direct almost regardless of the IPv4 NATs.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from itertools import combinations

from opskit.core.diagnose.models import Ipv6State, PathKind
from opskit.core.diagnose.profile import AddressScope, Mapping, NatProfile, endpoint_host
from opskit.core.diagnose.text import SourceLine


class Prediction(StrEnum):
    DIRECT_IPV6 = "direct-ipv6"
    DIRECT_IPV4 = "direct-ipv4"
    DIRECT_PORTMAP = "direct-via-portmap"  # direct through a port mapping, once it exists
    UNCERTAIN = "uncertain"
    DERP_ONLY = "derp-only"

    @property
    def expects_direct(self) -> bool:
        return self in (Prediction.DIRECT_IPV6, Prediction.DIRECT_IPV4, Prediction.DIRECT_PORTMAP)


@dataclass(frozen=True)
class PairPrediction:
    a: str
    b: str
    prediction: Prediction
    reason: str
    change: str  # what would make the pair direct (empty when it already is expected to be)
    evidence: tuple[tuple[str, SourceLine], ...] = ()  # (source file, line) from either node
    hard_side: str | None = None  # for DIRECT_PORTMAP: the node whose mapping carries the path
    blocked_side: str | None = None  # for DERP_ONLY because of UDP: the node whose network blocks it

    def involves(self, x: str, y: str) -> bool:
        return {self.a, self.b} == {x, y}


@dataclass(frozen=True)
class Observation:
    """A path seen in status or ping output, from ``observer`` to ``peer``."""

    observer: str
    peer: str
    path: PathKind
    detail: str
    source: str
    line: SourceLine


FORWARD_41641 = (
    "forward UDP 41641 on {n}'s router to {n} and run tailscaled there with --port=41641 (a node whose "
    "mapping varies also advertises public-IP:its-own-port, for exactly this case)"
)


def _evidence(profile: NatProfile, *keys: str) -> list[tuple[str, SourceLine]]:
    found = [(profile.source, line) for key in keys if (line := profile.line(key)) is not None]
    return found


def _ipv6_change(*profiles: NatProfile) -> str:
    missing = [p for p in profiles if not p.ipv6_global]
    if not missing:
        return ""
    no_os = [p.label for p in missing if p.report.ipv6_state is Ipv6State.NONE]
    text = f"give {_names([p.label for p in missing])} a routed global IPv6 address (needed on both ends)"
    return text + (f", after enabling IPv6 in the OS of {_names(no_os)}" if no_os else "")


def _same_public_ipv4(a: NatProfile, b: NatProfile) -> str | None:
    if a.ipv4_scope is not AddressScope.PUBLIC or b.ipv4_scope is not AddressScope.PUBLIC:
        return None
    host_a = endpoint_host(a.report.ipv4_endpoint or "")
    return host_a if host_a and host_a == endpoint_host(b.report.ipv4_endpoint or "") else None


def predict_pair(a: NatProfile, b: NatProfile) -> PairPrediction:
    """The expected path between two nodes, why, and the change that would make it direct."""
    udp_keys = ("udp", "ipv4")
    for blocked, other in ((a, b), (b, a)):
        if blocked.udp is False:
            both = a.udp is False and b.udp is False
            who = f"{a.label} and {b.label}" if both else blocked.label
            return PairPrediction(
                a.label,
                b.label,
                Prediction.DERP_ONLY,
                f"UDP is blocked on {who}'s network (netcheck UDP: false), so no direct path can exist "
                f"whatever the other side's NAT; traffic is relayed over DERP (TCP 443).",
                f"allow outbound UDP from {who} (to UDP 3478 for STUN and to any port from tailscaled's "
                f"port, 41641 by default), or move {who} to a network that does",
                tuple(_evidence(blocked, *udp_keys) + _evidence(other, "udp")),
                blocked_side=None if both else blocked.label,
            )
    if a.udp is None or b.udp is None:
        unknown_profile = a if a.udp is None else b
        unknown = unknown_profile.label
        caveat = unknown_profile.artefact_caveat()
        return PairPrediction(
            a.label,
            b.label,
            Prediction.UNCERTAIN,
            (caveat + "; " if caveat else f"{unknown}'s report does not say whether UDP works; ")
            + "nothing can be predicted for this pair.",
            f"paste a complete `tailscale netcheck` from {unknown}",
            tuple(_evidence(a, "udp") + _evidence(b, "udp")),
        )
    same_site = _same_public_ipv4(a, b)
    if same_site:
        return PairPrediction(
            a.label,
            b.label,
            Prediction.DIRECT_IPV4,
            f"both nodes show the same public IPv4 address ({same_site}): they sit behind the same NAT, "
            "most likely on one LAN, and connect directly over the local addresses tailscaled also "
            "advertises, whatever the NAT type.",
            "",
            tuple(_evidence(a, "ipv4") + _evidence(b, "ipv4")),
        )
    if a.ipv6_global and b.ipv6_global:
        return PairPrediction(
            a.label,
            b.label,
            Prediction.DIRECT_IPV6,
            "both nodes have a global IPv6 address; IPv6 has no NAT in the way, so a direct path is "
            "expected whatever the IPv4 NATs do (only a firewall dropping inbound UDP can stop it).",
            "",
            tuple(_evidence(a, "ipv6") + _evidence(b, "ipv6")),
        )
    evidence = tuple(_evidence(a, "mapping", "portmap") + _evidence(b, "mapping", "portmap"))
    caveats = [c for c in (a.artefact_caveat(), b.artefact_caveat()) if c]
    if caveats:
        # The same caveat the single-node findings state decides every pair of that node alike: a
        # port mapping or an easy peer does not make an unmeasured NAT predictable.
        unmeasured = [p.label for p in (a, b) if p.artefact_caveat()]
        return PairPrediction(
            a.label,
            b.label,
            Prediction.UNCERTAIN,
            "; ".join(caveats) + ": the pair cannot be predicted.",
            f"rerun `tailscale netcheck` on {' and '.join(unmeasured)} with Internet STUN reachable "
            "(logged in, not next to a STUN/DERP server on the same LAN)",
            evidence,
        )
    ipv6_change = _ipv6_change(a, b)
    ma, mb = a.mapping, b.mapping
    if ma is Mapping.EASY and mb is Mapping.EASY:
        return PairPrediction(
            a.label,
            b.label,
            Prediction.DIRECT_IPV4,
            "both nodes are behind easy NAT (MappingVariesByDestIP: false): each keeps the public port "
            "it showed to STUN for every destination, so both can aim at the other's endpoint and "
            "simultaneous hole punching succeeds unless a firewall drops UDP.",
            "",
            evidence,
        )
    if Mapping.HARD in (ma, mb):
        hard, other = (a, b) if ma is Mapping.HARD else (b, a)
        mapped = [p for p in (hard, other) if p.portmap_usable]
        if mapped:
            return _via_portmap(a, b, mapped[0], b if mapped[0] is a else a, evidence)
        if other.mapping is Mapping.HARD:
            return PairPrediction(
                a.label,
                b.label,
                Prediction.DERP_ONLY,
                "both nodes are behind hard NAT (MappingVariesByDestIP: true) and neither has a working "
                "port mapping: each router picks a new public port per destination, so neither side "
                "can learn where to send; the pair stays on DERP (or a Peer Relay).",
                "; or ".join(
                    x
                    for x in (
                        f"enable UPnP, NAT-PMP or PCP on {a.label}'s or {b.label}'s router",
                        FORWARD_41641.format(n=a.label),
                        ipv6_change,
                    )
                    if x
                ),
                evidence,
            )
        if other.mapping is Mapping.EASY:
            return PairPrediction(
                a.label,
                b.label,
                Prediction.UNCERTAIN,
                f"{other.label} is behind easy NAT but {hard.label} is behind hard NAT without a port "
                f"mapping: {hard.label} can reach {other.label}'s stable endpoint, but its packets come "
                f"from a new public port, so it works only if {other.label}'s NAT admits them "
                f"(endpoint- or address-independent filtering). Port-restricted routers drop them and "
                f"the pair stays on DERP. netcheck measures mapping, not filtering, so it cannot tell.",
                "; or ".join(
                    x
                    for x in (
                        f"enable UPnP, NAT-PMP or PCP on {hard.label}'s router",
                        FORWARD_41641.format(n=hard.label),
                        ipv6_change,
                    )
                    if x
                ),
                evidence,
            )
    unmeasured = [p.label for p in (a, b) if p.mapping is Mapping.UNKNOWN]
    return PairPrediction(
        a.label,
        b.label,
        Prediction.UNCERTAIN,
        f"the NAT mapping of {' and '.join(unmeasured)} was not measured reliably (blank "
        f"MappingVariesByDestIP, or a LAN STUN server answered), so the pair cannot be predicted.",
        f"rerun `tailscale netcheck` on {' and '.join(unmeasured)} with Internet STUN reachable",
        evidence,
    )


def _names(labels: Sequence[str]) -> str:
    return labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " and " + labels[-1]


def portmap_explanation(mapped: NatProfile, others: Sequence[NatProfile]) -> tuple[str, str]:
    """Reason and change for peers that reach ``mapped`` only through its port mapping (scenario §5)."""
    h, o = mapped.label, _names([p.label for p in others])
    verb = "are" if len(others) > 1 else "is"
    protocols = ", ".join(mapped.report.portmap_protocols) or "a port-mapping protocol"
    hard_text = (
        f"{h} is behind hard NAT (MappingVariesByDestIP: true: its router gives every destination a "
        f"different public port), so {o} cannot guess where to send. "
        if mapped.mapping is Mapping.HARD
        else f"{o} is behind hard NAT, so the path depends on {h}'s mapped endpoint. "
    )
    reason = (
        hard_text + f"{h}'s router answers {protocols}, so tailscaled on {h} requests a port mapping and "
        f"advertises that public endpoint; {o} can reach {h} directly through it while the mapping exists "
        f"and {h}'s advertised endpoints are current. This is why {h} can look unreachable until it "
        f"sends first: tailscaled creates and renews the mapping lazily, from endpoint discovery that runs "
        f"while {h} is active. After about 45 s without traffic {h} stops re-STUNning, the lease "
        f"(about 2 h) can lapse or the router can drop the entry, and {o} {verb} left with stale endpoints "
        f"and DERP. When {h} sends (e.g. `tailscale ping` to a peer, run on {h}) it rediscovers its "
        f"endpoints, refreshes the mapping, sends them to its peers over DERP, and its own outbound "
        f"packets open its NAT towards them; the direct path then holds while traffic keeps it alive."
    )
    change = "; or ".join(
        x
        for x in (
            f"make {h} reachable without speaking first: " + FORWARD_41641.format(n=h),
            _ipv6_change(mapped, *others),
            f"as a stopgap keep {h} active (a periodic `tailscale ping` from {h} to {o})",
        )
        if x
    )
    return reason, change


def _via_portmap(
    a: NatProfile,
    b: NatProfile,
    mapped: NatProfile,
    other: NatProfile,
    evidence: tuple[tuple[str, SourceLine], ...],
) -> PairPrediction:
    reason, change = portmap_explanation(mapped, [other])
    return PairPrediction(a.label, b.label, Prediction.DIRECT_PORTMAP, reason, change, evidence, hard_side=mapped.label)


def predict_all(profiles: Sequence[NatProfile]) -> list[PairPrediction]:
    """Every unordered pair of nodes, in input order."""
    return [predict_pair(a, b) for a, b in combinations(profiles, 2)]
