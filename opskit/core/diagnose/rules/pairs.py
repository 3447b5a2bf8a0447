"""Rules over all nodes at once: the pairwise prediction and where reality differs from it."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from opskit.core.diagnose.models import PathKind
from opskit.core.diagnose.paths import Observation, PairPrediction, Prediction, portmap_explanation
from opskit.core.diagnose.profile import NatProfile
from opskit.core.diagnose.rules.facts import DiagnoseContext
from opskit.core.findings import Evidence, Finding, Severity
from opskit.core.rules import rule


@dataclass(frozen=True)
class PairsSubject:
    profiles: tuple[NatProfile, ...]
    predictions: tuple[PairPrediction, ...]
    observations: tuple[Observation, ...]

    def observed(self, pair: PairPrediction) -> list[Observation]:
        return [o for o in self.observations if {o.observer, o.peer} == {pair.a, pair.b}]


def _evidence(pair: PairPrediction) -> tuple[Evidence, ...]:
    seen: set[tuple[str, int]] = set()
    out: list[Evidence] = []
    for source, line in pair.evidence:
        if (source, line.number) not in seen:
            seen.add((source, line.number))
            out.append(Evidence(source, line.number, line.text))
    return tuple(out)


@rule(
    id="TS-PAIR-DERP-ONLY",
    name="pair-derp-only",
    family="tailscale-pairs",
    severity=Severity.WARNING,
    summary="This pair can only be relayed",
    target="pairs",
)
def derp_only(subject: PairsSubject, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: UDP blocked on either side, or hard NAT on both sides without a port mapping, leaves no
    endpoint either side can aim at; the pair stays on DERP (TCP 443) or a Peer Relay.

    *Bad*::

        #@ node: a
        $ tailscale netcheck

        Report:
            * Time: 2026-09-01 15:45:04.195906728+02:00
            * UDP: true
            * IPv4: yes, 198.51.100.40:40003
            * IPv6: no, but OS has support
            * MappingVariesByDestIP: true
            * PortMapping:
            * Nearest DERP: Frankfurt
            * DERP latency:
                - fra: 12.5ms  (Frankfurt)
                - ams: 18ms    (Amsterdam)
        #@ node: b
        $ tailscale netcheck

        Report:
            * Time: 2026-09-01 15:45:04.195906728+02:00
            * UDP: true
            * IPv4: yes, 203.0.113.50:40004
            * IPv6: no, but OS has support
            * MappingVariesByDestIP: true
            * PortMapping:
            * Nearest DERP: Frankfurt
            * DERP latency:
                - fra: 12.5ms  (Frankfurt)
                - ams: 18ms    (Amsterdam)

    *Good*::

        #@ node: a
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
        #@ node: b
        $ tailscale netcheck

        Report:
            * Time: 2026-09-01 15:45:04.195906728+02:00
            * UDP: true
            * IPv4: yes, 203.0.113.30:40002
            * IPv6: no, but OS has support
            * MappingVariesByDestIP: false
            * PortMapping:
            * Nearest DERP: Frankfurt
            * DERP latency:
                - fra: 12.5ms  (Frankfurt)
                - ams: 18ms    (Amsterdam)
    """
    # A node whose network blocks UDP makes every pair with it DERP-only for one reason: one finding.
    by_blocked: dict[str, list[PairPrediction]] = {}
    for pair in subject.predictions:
        if pair.prediction is Prediction.DERP_ONLY and pair.blocked_side:
            by_blocked.setdefault(pair.blocked_side, []).append(pair)
    for blocked, pairs in by_blocked.items():
        peers = [p.b if p.a == blocked else p.a for p in pairs]
        evidence: list[Evidence] = []
        for pair in pairs:
            evidence.extend(e for e in _evidence(pair) if e not in evidence)
        yield ctx.finding(
            f"{', '.join(f'{blocked} ↔ {peer}' for peer in peers)}: DERP only. {pairs[0].reason}",
            f"To make them direct: {pairs[0].change}.",
            tuple(evidence),
            title=f"Everything to and from {blocked} is relayed: its network blocks UDP",
            pairs=[[p.a, p.b] for p in pairs],
        )
    for pair in subject.predictions:
        if pair.prediction is Prediction.DERP_ONLY and not pair.blocked_side:
            yield ctx.finding(
                f"{pair.a} ↔ {pair.b}: DERP only. {pair.reason}",
                f"To make it direct: {pair.change}.",
                _evidence(pair),
                pair=[pair.a, pair.b],
            )


@rule(
    id="TS-PAIR-UNCERTAIN",
    name="pair-uncertain",
    family="tailscale-pairs",
    severity=Severity.INFO,
    summary="Direct path for this pair depends on what netcheck cannot see",
    target="pairs",
)
def uncertain(subject: PairsSubject, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: easy↔hard NAT works only if the easy side's router filters leniently, and netcheck measures
    mapping, never filtering; a blank mapping verdict is unknown, not easy.

    *Bad*::

        #@ node: a
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
        #@ node: b
        $ tailscale netcheck

        Report:
            * Time: 2026-09-01 15:45:04.195906728+02:00
            * UDP: true
            * IPv4: yes, 203.0.113.50:40004
            * IPv6: no, but OS has support
            * MappingVariesByDestIP: true
            * PortMapping:
            * Nearest DERP: Frankfurt
            * DERP latency:
                - fra: 12.5ms  (Frankfurt)
                - ams: 18ms    (Amsterdam)

    *Good*::

        #@ node: a
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
        #@ node: b
        $ tailscale netcheck

        Report:
            * Time: 2026-09-01 15:45:04.195906728+02:00
            * UDP: true
            * IPv4: yes, 203.0.113.30:40002
            * IPv6: no, but OS has support
            * MappingVariesByDestIP: false
            * PortMapping:
            * Nearest DERP: Frankfurt
            * DERP latency:
                - fra: 12.5ms  (Frankfurt)
                - ams: 18ms    (Amsterdam)
    """
    for pair in subject.predictions:
        if pair.prediction is Prediction.UNCERTAIN:
            yield ctx.finding(
                f"{pair.a} ↔ {pair.b}: uncertain. {pair.reason}",
                f"To make it reliably direct: {pair.change}. `tailscale ping` between them shows which way "
                "it went (via DERP(x) = relayed, via ip:port = direct).",
                _evidence(pair),
                pair=[pair.a, pair.b],
            )


@rule(
    id="TS-PAIR-FIRST-CONTACT",
    name="pair-first-contact",
    family="tailscale-pairs",
    severity=Severity.WARNING,
    summary="Direct only once the hard-NAT side has sent first",
    target="pairs",
)
def first_contact(subject: PairsSubject, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: a hard-NAT node with UPnP/NAT-PMP/PCP is reachable through its port mapping, but tailscaled
    creates and renews that mapping lazily while the node is active (re-STUN stops after ~45 s idle,
    leases last ~2 h). Until it sends, peers only have stale endpoints: "C is unreachable until C
    pings first".

    *Bad*::

        #@ node: a
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
        #@ node: c
        $ tailscale netcheck

        Report:
            * Time: 2026-09-01 15:45:04.195906728+02:00
            * UDP: true
            * IPv4: yes, 203.0.113.60:40005
            * IPv6: no, unavailable in OS
            * MappingVariesByDestIP: true
            * PortMapping: UPnP
            * Nearest DERP: Frankfurt
            * DERP latency:
                - fra: 12.5ms  (Frankfurt)
                - ams: 18ms    (Amsterdam)

    *Good*::

        #@ node: a
        $ tailscale netcheck

        Report:
            * Time: 2026-09-01 15:45:04.195906728+02:00
            * UDP: true
            * IPv4: yes, 198.51.100.40:40003
            * IPv6: no, but OS has support
            * MappingVariesByDestIP: true
            * PortMapping:
            * Nearest DERP: Frankfurt
            * DERP latency:
                - fra: 12.5ms  (Frankfurt)
                - ams: 18ms    (Amsterdam)
        #@ node: b
        $ tailscale netcheck

        Report:
            * Time: 2026-09-01 15:45:04.195906728+02:00
            * UDP: true
            * IPv4: yes, 203.0.113.50:40004
            * IPv6: no, but OS has support
            * MappingVariesByDestIP: true
            * PortMapping:
            * Nearest DERP: Frankfurt
            * DERP latency:
                - fra: 12.5ms  (Frankfurt)
                - ams: 18ms    (Amsterdam)
    """
    by_hard_side: dict[str, list[PairPrediction]] = {}
    for pair in subject.predictions:
        if pair.prediction is Prediction.DIRECT_PORTMAP and pair.hard_side:
            by_hard_side.setdefault(pair.hard_side, []).append(pair)
    # One finding per node whose mapping carries the paths: the mechanism is the same for all its peers.
    for hard_side, pairs in by_hard_side.items():
        peers = [p.b if p.a == hard_side else p.a for p in pairs]
        names = ", ".join(f"{peer} ↔ {hard_side}" for peer in peers)
        evidence: list[Evidence] = []
        for pair in pairs:
            evidence.extend(e for e in _evidence(pair) if e not in evidence)
        profiles = {p.label: p for p in subject.profiles}
        if hard_side in profiles and all(peer in profiles for peer in peers):
            reason, change = portmap_explanation(profiles[hard_side], [profiles[peer] for peer in peers])
        else:
            reason, change = pairs[0].reason, pairs[0].change
        yield ctx.finding(
            f"{names}: direct through {hard_side}'s port mapping once it exists. {reason}",
            f"To make it direct without waiting for {hard_side}: {change}.",
            tuple(evidence),
            title=f"{hard_side} is reachable only after it has sent first ({', '.join(peers)})",
            pairs=[[p.a, p.b] for p in pairs],
            hard_side=hard_side,
        )


@rule(
    id="TS-PAIR-REALITY-DIFFERS",
    name="pair-reality-differs",
    family="tailscale-pairs",
    severity=Severity.WARNING,
    summary="The observed path differs from the prediction",
    target="pairs",
)
def reality_differs(subject: PairsSubject, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: NAT types set what is possible; a relayed path where direct was expected points at something
    netcheck cannot see (a firewall dropping UDP, an idle node with stale endpoints), and a direct path
    where DERP was expected means the NAT picture is incomplete (same LAN, a manual port forward, IPv6).

    *Bad*::

        #@ node: a
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
        $ tailscale status
        100.64.0.1  a  u@  linux  -
        100.64.0.2  b  u@  linux  active; relay "fra", tx 1000 rx 900
        #@ node: b
        $ tailscale netcheck

        Report:
            * Time: 2026-09-01 15:45:04.195906728+02:00
            * UDP: true
            * IPv4: yes, 203.0.113.30:40002
            * IPv6: no, but OS has support
            * MappingVariesByDestIP: false
            * PortMapping:
            * Nearest DERP: Frankfurt
            * DERP latency:
                - fra: 12.5ms  (Frankfurt)
                - ams: 18ms    (Amsterdam)

    *Good*::

        #@ node: a
        $ tailscale netcheck

        Report:
            * Time: 2026-09-01 15:45:04.195906728+02:00
            * UDP: true
            * IPv4: yes, 198.51.100.40:40003
            * IPv6: no, but OS has support
            * MappingVariesByDestIP: true
            * PortMapping:
            * Nearest DERP: Frankfurt
            * DERP latency:
                - fra: 12.5ms  (Frankfurt)
                - ams: 18ms    (Amsterdam)
        $ tailscale status
        100.64.0.1  a  u@  linux  -
        100.64.0.2  b  u@  linux  active; relay "fra", tx 1000 rx 900
        #@ node: b
        $ tailscale netcheck

        Report:
            * Time: 2026-09-01 15:45:04.195906728+02:00
            * UDP: true
            * IPv4: yes, 203.0.113.50:40004
            * IPv6: no, but OS has support
            * MappingVariesByDestIP: true
            * PortMapping:
            * Nearest DERP: Frankfurt
            * DERP latency:
                - fra: 12.5ms  (Frankfurt)
                - ams: 18ms    (Amsterdam)
    """
    for pair in subject.predictions:
        for seen in subject.observed(pair):
            evidence = (Evidence(seen.source, seen.line.number, seen.line.text), *_evidence(pair)[:2])
            if pair.prediction.expects_direct and seen.path in (PathKind.DERP, PathKind.PEER_RELAY):
                if pair.prediction is Prediction.DIRECT_PORTMAP:
                    implication = (
                        f"consistent with {pair.hard_side}'s port mapping not existing yet or its endpoints "
                        f"being stale: generate traffic from {pair.hard_side} and check again"
                    )
                else:
                    implication = (
                        "NAT types allow direct, so something netcheck cannot see blocks UDP: a host "
                        "firewall, a cloud security group or an ACL dropping UDP to tailscaled's port on one "
                        "side, or a VM/NAT network mode in between"
                    )
                yield ctx.finding(
                    f"{pair.a} ↔ {pair.b}: predicted {pair.prediction.value}, but {seen.observer} sees "
                    f"{seen.detail}. This is {implication}.",
                    "Check the firewalls on both nodes for UDP (inbound from any source port to tailscaled's "
                    "port, outbound to any), then `tailscale ping` again and look for `via ip:port`.",
                    evidence,
                    pair=[pair.a, pair.b],
                    predicted=pair.prediction.value,
                    observed=seen.path.value,
                )
            elif pair.prediction is Prediction.DERP_ONLY and seen.path is PathKind.DIRECT:
                yield ctx.finding(
                    f"{pair.a} ↔ {pair.b}: predicted DERP only, but {seen.observer} sees {seen.detail}. The "
                    "netcheck picture is incomplete: the nodes share a LAN, a port forward exists, IPv6 is "
                    "in use, or the network changed since netcheck ran.",
                    "Nothing to fix for this pair; rerun `tailscale netcheck` on both if you rely on the "
                    "prediction elsewhere.",
                    evidence,
                    severity=Severity.INFO,
                    pair=[pair.a, pair.b],
                    predicted=pair.prediction.value,
                    observed=seen.path.value,
                )
            elif pair.prediction is Prediction.UNCERTAIN and seen.path in (PathKind.DIRECT, PathKind.DERP):
                verdict = (
                    "the easy side's router filters leniently enough"
                    if seen.path is PathKind.DIRECT
                    else "hole punching fails here (likely port-restricted filtering on the easy side)"
                )
                yield ctx.finding(
                    f"{pair.a} ↔ {pair.b}: the uncertain prediction is resolved by {seen.observer}'s "
                    f"output ({seen.detail}): {verdict}.",
                    pair.change + "." if seen.path is PathKind.DERP else "Nothing to fix for this pair.",
                    evidence,
                    severity=Severity.INFO,
                    pair=[pair.a, pair.b],
                    predicted=pair.prediction.value,
                    observed=seen.path.value,
                )
