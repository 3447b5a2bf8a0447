"""Rules that read tailscaled's own start-up log pasted into a ticket."""

from __future__ import annotations

from collections.abc import Iterator

from opskit.core.diagnose.models import DaemonLogReport
from opskit.core.diagnose.rules.facts import DiagnoseContext
from opskit.core.findings import Finding, Severity
from opskit.core.rules import rule


@rule(
    id="TS-LOG-HAND-STARTED",
    name="log-hand-started",
    family="tailscale-daemon-log",
    severity=Severity.WARNING,
    summary="tailscaled was started by hand, not by the service",
    target="daemon-log",
)
def hand_started(log: DaemonLogReport, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: a tailscaled run from a shell runs as that user with that shell's environment. On Windows
    it is not LocalSystem: it cannot create the protected named pipe or reach the service's state, and
    the GUI/CLI of other users (or the service, started later) cannot talk to it. On Linux it is usually
    a deliberate debugging or userspace-networking setup, so it is only noted.

    *Bad*::

        PS C:\\Users\\ops> tailscaled
        logtail started
        Program starting: v1.60.1-t1234567-gabcdef, Go 1.22.0: []string{"C:\\\\Program Files\\\\Tailscale\\\\tailscaled.exe"}
        LogID: 0123456789abcdef

    *Good*::

        2021-06-15T16:01:48.840-07:00: 2021/06/15 16:01:48 Program starting: v1.8.7-te1571ed7e-g2f595b1b6: []string{"C:\\\\Program Files (x86)\\\\Tailscale IPN\\\\tailscaled.exe", "/subproc", "380b"}
        2021-06-15T16:01:48.852-07:00: 2021/06/15 16:01:48 subproc mode: logid=380b
    """
    if log.hand_started is not True:
        return
    version = f" v{log.version}" if log.version else ""
    windows = log.os == "windows"
    yield ctx.finding(
        f"{ctx.facts.label}: tailscaled{version} was started by hand ({log.why}), not by the "
        + (
            "Tailscale Windows service: it runs as the current user instead of LocalSystem, so the named pipe, "
            "state directory and LocalAPI owner differ from the service's and other clients cannot reach it."
            if windows
            else "service manager: it lives only as long as that shell and runs with its flags."
        ),
        "Stop the hand-started tailscaled and start the service instead (Windows: `net start Tailscale` in an "
        "elevated console, or Services → Tailscale → Start); to debug, stop the service first and run the "
        "daemon elevated."
        if windows
        else "If this is not deliberate, stop it and use `systemctl start tailscaled` (flags in "
        "/etc/default/tailscaled).",
        ctx.facts.evidence(log.start_line or log.lines[0]),
        severity=Severity.WARNING if windows else Severity.INFO,
        version=log.version,
        os=log.os,
    )


@rule(
    id="TS-LOG-DERP-UNREACHABLE",
    name="log-derp-unreachable",
    family="tailscale-daemon-log",
    severity=Severity.ERROR,
    summary="tailscaled cannot connect to a DERP region",
    target="daemon-log",
)
def derp_unreachable(log: DaemonLogReport, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: ``derphttp.Client.Send connect to region N (code): <error>`` is tailscaled failing to open its
    TLS connection to that DERP region. Relayed traffic and NAT-traversal signalling through it stop;
    with a custom (Headscale or self-hosted) region it is usually a firewall, a TLS-terminating proxy or
    load balancer in front of derper, or a wrong hostname/port in the DERP map.

    *Bad*::

        2023/04/25 10:01:02 magicsock: derp.Send(127.3.3.40:901): derphttp.Client.Send connect to region 901 (home): dial tcp 203.0.113.9:443: i/o timeout

    *Good*::

        logtail started
        Program starting: v1.60.1-t1234567-gabcdef, Go 1.22.0: []string{"tailscaled"}
        LogID: 0123456789abcdef
    """
    if not log.derp_failures:
        return
    regions = sorted({f"{code} (region {region_id})" for region_id, code, _, _ in log.derp_failures})
    errors = sorted({error for _, _, error, _ in log.derp_failures})
    custom = any(region_id >= 900 for region_id, _, _, _ in log.derp_failures)
    yield ctx.finding(
        f"{ctx.facts.label}: tailscaled could not connect to DERP {', '.join(regions)}: {'; '.join(errors)}. "
        "Peers whose home is that region cannot be reached through it, and path discovery with them stalls.",
        (
            "Region IDs of 900 and above are custom (Headscale/self-hosted derper): check that its hostname "
            "resolves and TCP 443 (or its DERPPort) is reachable, that no HTTP proxy or load balancer "
            "terminates TLS in front of derper, and UDP 3478 for STUN; compare with `tailscale debug derp "
            "<region>`."
            if custom
            else "Check outbound TCP 443 to that region (`tailscale debug derp <region>`), proxies and TLS "
            "interception on the way."
        ),
        ctx.facts.evidence(*(line for _, _, _, line in log.derp_failures[:3])),
        regions=[region_id for region_id, _, _, _ in log.derp_failures],
    )


@rule(
    id="TS-LOG-HEALTH",
    name="log-health",
    family="tailscale-daemon-log",
    severity=Severity.WARNING,
    summary="tailscaled logged a health problem that did not clear",
    target="daemon-log",
)
def health_errors(log: DaemonLogReport, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: ``health(warnable=X): error: …`` is the same health state ``tailscale status`` prints under
    "# Health check:"; it holds until the daemon logs ``health(warnable=X): ok``. A warnable whose last
    logged state is an error is still failing at the end of the paste (DERP unreachable, DNS forwarding
    failing, control plane unreachable…). Repeated ``dns: error:`` lines count as dns-forward-failing,
    which tailscaled raises from the same failures.

    *Bad*::

        Nov 13 02:07:35 host tailscaled[11844]: health(warnable=dns-forward-failing): error: Tailscale can't reach the configured DNS servers.

    *Good*::

        2024/10/02 07:34:57 health(warnable=no-derp-connection): error: Tailscale could not connect to the relay server.
        2024/10/02 07:34:59 health(warnable=no-derp-connection): ok
    """
    if not log.health_errors:
        return
    named = [f"{name}: {msg}" if msg else name for name, msg, _ in log.health_errors]
    yield ctx.finding(
        f"{ctx.facts.label}: tailscaled's health check still fails at the end of the log — {'; '.join(named)}.",
        "Fix what the warnable names first: no-derp-connection / 'not connected to home DERP region' → "
        "outbound TCP 443 to the DERP region (and the custom derper's TLS); dns-forward-failing → the "
        "upstream resolvers (or the exit node's DNS) answering; login/control messages → reach the control "
        "server. Then check the log for the matching `health(…): ok`.",
        ctx.facts.evidence(*(line for _, _, line in log.health_errors[:3])),
        warnables=[name for name, _, _ in log.health_errors],
    )
