"""Rules that read one ``tailscale debug derp <region>`` report (Info / Warnings / Errors).

A node of the region is usable for DERP when TCP and TLS work over at least one address family and a
DERP connection is established; STUN (UDP 3478) is what lets the client measure the region and find its
public address. IPv6 failing next to a working IPv4 is the client without IPv6, and a STUN-only node's
failed DERP connects are how older clients' check reports a node that serves no DERP at all: neither is a
fault of the region.
"""

from __future__ import annotations

from collections.abc import Iterator

from opskit.core.diagnose.derpcheck import DerpCheckKind, DerpCheckMessage, DerpCheckReport
from opskit.core.diagnose.rules.facts import DiagnoseContext
from opskit.core.findings import Finding, Severity
from opskit.core.rules import rule

_K = DerpCheckKind


def _by_node(report: DerpCheckReport) -> dict[str, list[DerpCheckMessage]]:
    nodes: dict[str, list[DerpCheckMessage]] = {}
    for message in report.messages:
        if message.node is not None:
            nodes.setdefault(message.node, []).append(message)
    return nodes


def _unreachable_families(messages: list[DerpCheckMessage]) -> set[str]:
    return {m.family or "" for m in messages if m.kind in (_K.TCP_FAILED, _K.TLS_FAILED)}


def _client_without_ipv4(report: DerpCheckReport) -> bool:
    """Whether the report itself shows a client with no IPv4 at all (an IPv6-only network): the region works (a
    DERP connection was established), every node checked says it ``only has IPv6 connectivity, not IPv4``, the
    IPv4 STUN query got no answer from any node, and nothing worked over IPv4 (no node with working IPv4 and
    IPv6, no IPv4 STUN response). Then each IPv4 failure is the network's nature, not the region's fault; one
    node reached over IPv4 (or answering STUN) shows IPv4 exists, and the failures stay problems."""
    kinds = {m.kind for m in report.messages}
    if _K.DERP_OK not in kinds or _K.CONNECTIVITY_OK in kinds or _K.STUN_OK in kinds:
        return False
    if not kinds & {_K.STUN_NO_RESPONSE, _K.STUN_FAILED}:
        return False
    checked = {m.node for m in report.messages if m.node and m.kind in (_K.IPV6_ONLY, _K.TCP_FAILED, _K.TLS_FAILED)}
    ipv6_only = {m.node for m in report.messages if m.kind is _K.IPV6_ONLY}
    ipv6_failed = any(m.family == "IPv6" for m in report.messages if m.kind in (_K.TCP_FAILED, _K.TLS_FAILED))
    return bool(checked) and checked == ipv6_only and not ipv6_failed


def _failures(report: DerpCheckReport) -> list[tuple[str, list[DerpCheckMessage], Severity]]:
    """(what fails, the messages that say so, how bad) for every real failure of the region, in order."""
    failures: list[tuple[str, list[DerpCheckMessage], Severity]] = []
    no_ipv4 = _client_without_ipv4(report)
    for kind, what in (
        (_K.NO_DERP_MAP, "tailscaled has no DERP map: it is not connected to (or logged in at) its control server"),
        (_K.NO_SUCH_REGION, "the region asked for is not in the DERP map (wrong region ID or code)"),
        (_K.NO_NODES, "the region has no nodes defined in the DERP map"),
        (
            _K.LOAD_BALANCER,
            "the node answered with different server keys: the DERP server sits behind a load balancer",
        ),
    ):
        found = [m for m in report.messages if m.kind is kind]
        if found:
            failures.append((what, found, Severity.ERROR))
    for node, messages in _by_node(report).items():
        broken = _unreachable_families(messages)
        failed = [m for m in messages if m.kind in (_K.TCP_FAILED, _K.TLS_FAILED)]
        # The check reports every family it could not reach; the DERP connects only run once one worked.
        # So both families failing is a node this client cannot use; IPv6 alone failing is this client
        # without IPv6 (a note); IPv4 alone failing while IPv6 works is worth a warning (IPv4-only peers).
        if broken >= {"IPv4", "IPv6"}:
            tls = [m for m in failed if m.kind is _K.TLS_FAILED]
            what = (
                f"node {node}: the TLS handshake fails ({_first_error(tls)})"
                if tls
                else f"node {node}: TCP to its DERP port fails over IPv4 and IPv6 ({_first_error(failed)})"
            )
            failures.append((what, failed, Severity.ERROR))
            continue
        if broken == {"IPv4"} and not no_ipv4:  # a client without IPv4: a note (check_notes)
            failures.append(
                (
                    f"node {node}: not reachable over IPv4 ({_first_error(failed)}), only over IPv6",
                    failed,
                    Severity.WARNING,
                )
            )
        derp_failed = [m for m in messages if m.kind is _K.DERP_FAILED]
        if derp_failed and not any(m.kind is _K.DERP_OK for m in messages):
            failures.append(
                (
                    f"node {node}: TCP and TLS work but the DERP connection fails ({derp_failed[0].error})",
                    derp_failed,
                    Severity.ERROR,
                )
            )
    # An error sentence this reader does not know (a newer client's check): never "no problems" because of it.
    unknown = [m for m in report.messages if m.kind is _K.OTHER and m.level == "error"]
    if unknown:
        failures.append(
            (f"the check reported an error opskit does not classify ({unknown[0].text})", unknown, Severity.WARNING)
        )
    return failures


def _first_error(messages: list[DerpCheckMessage]) -> str:
    return next((f"over {m.family}: {m.error}" for m in messages), "")


@rule(
    id="TS-DERP-REGION-FAILING",
    name="derp-region-failing",
    family="tailscale-derp",
    severity=Severity.ERROR,
    summary="tailscale debug derp: a node of the region cannot be used for DERP",
    target="derp-check",
)
def region_failing(report: DerpCheckReport, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: ``tailscale debug derp <region>`` checks every node of one DERP region: TCP to its DERP port
    and a TLS handshake over IPv4 and IPv6, then five DERP connections, then a STUN query. A node that no
    address family reaches, whose TLS handshake fails (certificate name, expired or self-signed certificate,
    a proxy in the way), or that refuses DERP connections (``--verify-clients`` without a tailscaled beside
    it, a derper out of step with the client) relays nothing: peers homed there, or that must meet there,
    lose their relay. No DERP map at all means tailscaled is not connected to its control server.

    *Bad*::

        $ tailscale debug derp 900
        {
         "Info": [
          "Region 900 == \\"myderp\\""
         ],
         "Warnings": null,
         "Errors": [
          "Error connecting to node \\"derp.example.com\\" @ \\"derp.example.com:443\\" over IPv4: dial tcp 203.0.113.7:443: i/o timeout",
          "Error connecting to node \\"derp.example.com\\" @ \\"derp.example.com:443\\" over IPv6: dial tcp6: lookup derp.example.com: no such host"
         ]
        }

    *Good*::

        $ tailscale debug derp 27
        {
         "Info": [
          "Region 27 == \\"iad\\"",
          "Node \\"derp27b.tailscale.com\\" has working IPv4 and IPv6 connectivity",
          "Successfully established a DERP connection with node \\"derp27b.tailscale.com\\""
         ],
         "Warnings": null,
         "Errors": null
        }
    """
    for what, messages, severity in _failures(report):
        error = " ".join(m.error for m in messages[:1]).lower()
        if "x509" in error or "certificate" in error or "TLS handshake" in what:
            fix = (
                "Give the DERP server a certificate for the node's HostName (or CertName) from a CA the clients "
                "trust, renewed in time; with a self-signed or IP certificate set the node's CertName / "
                "InsecureForTests as the derper docs say. If a proxy or TLS-inspecting firewall is in the path, "
                "let the DERP host through untouched: DERP upgrades its own TLS connection and cannot be proxied."
            )
        elif "no derp map" in what:
            fix = "Run `tailscale status` and log in (`tailscale up`) so tailscaled gets its DERP map, then re-run."
        elif "not in the derp map" in what:
            fix = (
                "Use a region ID or code the map has (`tailscale netcheck` lists them, e.g. `tailscale debug "
                "derp 900` or its RegionCode); for a custom region check the derpMap in the policy file."
            )
        elif "load balancer" in what:
            fix = (
                "Point the node's HostName/IPv4 at one derper instance (DNS to a single host, or one node "
                "entry per instance in the DERP map): DERP must not sit behind a load balancer."
            )
        elif "DERP connection fails" in what:
            fix = (
                "Read the error: 'rejected'/'unauthorized' with --verify-clients needs a tailscaled running next "
                "to derper and the client's node in that tailnet; keep derper and the clients on matching "
                "versions; a reverse proxy in front of derper must pass the HTTP Upgrade through (better: none)."
            )
        elif "does not classify" in what:
            fix = (
                "Read the error itself; re-run `tailscale debug derp <region>` and compare with `tailscale "
                "netcheck` (a region without latency there is not reachable from this client)."
            )
        elif "no nodes" in what:
            fix = "Add at least one node (HostName, ports) to the region in the DERP map (policy file derpMap)."
        else:
            fix = (
                "Open the DERP port (TCP 443, or the node's DERPPort) to the DERP server from this client: "
                "check the server is listening (`ss -tlnp` there), its firewall / cloud security group, and "
                "that the node's HostName/IPv4 in the DERP map resolve to it; then re-run `tailscale debug derp`."
            )
        yield ctx.finding(
            f"{ctx.facts.label}: DERP region {report.region}: {what}. A node that cannot be used relays "
            "nothing for the peers that rely on this region.",
            fix,
            ctx.facts.evidence(*(m.line for m in messages[:3])),
            severity=severity,
            title=f"DERP region {report.region} check fails",
        )


@rule(
    id="TS-DERP-STUN-NO-RESPONSE",
    name="derp-stun-no-response",
    family="tailscale-derp",
    severity=Severity.WARNING,
    summary="tailscale debug derp: a node does not answer STUN",
    target="derp-check",
)
def stun_no_response(report: DerpCheckReport, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: ``Node "x" did not return a IPv4 STUN response`` (or the query could not be sent): UDP to the
    node's STUN port (3478, or its STUNPort) gets no answer. Without STUN the client cannot measure the
    region (netcheck shows it without latency and never picks it as home) nor learn its public address
    from it; on a self-hosted derper the STUN listener is off or UDP is not forwarded/allowed.

    *Bad*::

        "Warnings": [
         "Node \\"derp.example.com\\" did not return a IPv4 STUN response"
        ],

    *Good*::

        "Info": [
         "Node \\"derp.example.com\\" returned IPv4 STUN response: 198.51.100.4:41641"
        ],
    """
    silent = [m for m in report.messages if m.kind in (_K.STUN_NO_RESPONSE, _K.STUN_FAILED)]
    if not silent or _client_without_ipv4(report):  # the STUN query is IPv4's: no answer on an IPv6-only network
        return
    nodes = sorted({m.node for m in silent if m.node}) or ["(this client)"]
    yield ctx.finding(
        f"{ctx.facts.label}: DERP region {report.region}: no STUN answer from {', '.join(nodes)}: UDP to the "
        "node's STUN port is blocked or its STUN server is off; the client cannot measure this region or find "
        "its public address through it.",
        "On the DERP server, run derper with STUN on (`-stun`, the default; `-stun-port` if not 3478) and allow "
        "UDP 3478 (or the node's STUNPort) in its firewall / cloud security group and any port forward; check "
        "this client's network lets outbound UDP 3478 out. Re-run `tailscale debug derp` to confirm.",
        ctx.facts.evidence(*(m.line for m in silent[:3])),
        title=f"DERP region {report.region}: no STUN response",
    )


@rule(
    id="TS-DERP-CHECK-NOTES",
    name="derp-check-notes",
    family="tailscale-derp",
    severity=Severity.INFO,
    summary="tailscale debug derp: messages that are not a fault of the region",
    target="derp-check",
)
def check_notes(report: DerpCheckReport, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: some of the check's errors and warnings are not a failure: DERP connects to a STUN-only node
    fail by design (``no non-STUNOnly nodes for region N``, tailscale#16926), IPv6 failing where IPv4 works is
    this client without IPv6, IPv4 failing everywhere (IPv6-only warnings, no IPv4 STUN answer) while DERP
    connections are made is this client without IPv4, the captive-portal GET on port 80 is only for captive-portal detection, and a
    single region or the Avoid bit are configuration notes.

    *Bad*::

        "Errors": [
         "Error connecting to node \\"derp1i.tailscale.com\\" @ try 0: derphttp.Client.Connect connect to region 1 (nyc): no non-STUNOnly nodes for region 1 (nyc)"
        ]

    *Good*::

        $ tailscale debug derp 1
        {
         "Info": [
          "Region 1 == \\"nyc\\"",
          "Successfully established a DERP connection with node \\"derp1f.tailscale.com\\""
         ],
         "Warnings": null,
         "Errors": null
        }
    """
    stun_only = [m for m in report.messages if m.kind is _K.STUN_ONLY_NODE and m.level != "info"]
    if stun_only:
        nodes = sorted({m.node for m in stun_only if m.node})
        yield ctx.finding(
            f"{ctx.facts.label}: DERP region {report.region}: {', '.join(nodes)} is a STUN-only node; the "
            "check's DERP connects to it fail with 'no non-STUNOnly nodes' by design (older clients try them "
            "anyway). Not a fault: the region's other nodes carry DERP.",
            "Nothing to fix; judge the region by its other nodes' results (newer clients skip these checks).",
            ctx.facts.evidence(*(m.line for m in stun_only[:2])),
            title=f"DERP region {report.region}: STUN-only node errors are expected",
        )
    if _client_without_ipv4(report):
        evidence = [m for m in report.messages if m.kind in (_K.IPV6_ONLY, _K.STUN_NO_RESPONSE, _K.TCP_FAILED)]
        yield ctx.finding(
            f"{ctx.facts.label}: DERP region {report.region}: this client has no IPv4 (an IPv6-only network): every "
            "node reached it over IPv6 only, none answered the IPv4 STUN query, and the IPv4 dials failed, while "
            "the DERP connections to the region were established over IPv6. The IPv4 errors and warnings are the "
            "network's nature, not a fault of the region: it relays for this client.",
            "Nothing to fix for DERP. If peers or sites reachable only over IPv4 matter, the network needs IPv4 "
            "(or NAT64/DNS64, or 464XLAT on mobile); `tailscale netcheck` shows IPv4: no there.",
            ctx.facts.evidence(*(m.line for m in evidence[:3])),
            title=f"DERP region {report.region}: IPv4 unavailable on this client",
        )
    for node, messages in _by_node(report).items():
        if _unreachable_families(messages) == {"IPv6"}:
            family = "IPv6"
            yield ctx.finding(
                f"{ctx.facts.label}: DERP region {report.region}: node {node} is not reachable over {family} "
                "from this client but works over the other address family: this client (or its network) has "
                f"no working {family} route, not a fault of the node.",
                f"Nothing needed for DERP; enable {family} on this host or network if you expect it.",
                ctx.facts.evidence(*(m.line for m in messages if m.kind in (_K.TCP_FAILED, _K.TLS_FAILED))),
                title=f"DERP region {report.region}: {family} unavailable on this client",
            )
    notes = {
        _K.CAPTIVE_PORT_80: (
            "the captive-portal check (HTTP GET on port 80) failed: port 80 to the DERP node is blocked; only "
            "captive-portal detection uses it.",
            "Allow TCP 80 to the DERP server (derper's -http-port) if you want captive-portal detection.",
        ),
        _K.SINGLE_REGION: (
            "the DERP map has a single region: a single point of failure for relaying and NAT traversal.",
            "Keep Tailscale's default regions next to your own (OmitDefaultRegions false) or add a second region.",
        ),
        _K.AVOID: ("the region is marked Avoid: clients will not pick it as home.", "Nothing to fix if intended."),
    }
    for kind, (cause, fix) in notes.items():
        found = [m for m in report.messages if m.kind is kind]
        if found:
            yield ctx.finding(
                f"{ctx.facts.label}: DERP region {report.region}: {cause}",
                fix,
                ctx.facts.evidence(found[0].line),
                title=f"DERP region {report.region}: {kind.value.replace('-', ' ')}",
            )
