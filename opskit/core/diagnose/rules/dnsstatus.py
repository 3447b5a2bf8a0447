"""Rules that read one ``tailscale dns status``: is Tailscale DNS in use, and can names be resolved at all.

With Tailscale DNS on (``--accept-dns``, the default) tailscaled answers this device's DNS at 100.100.100.100:
MagicDNS names itself, split-DNS domains to their routes, everything else to the global resolvers control
sent, or (none sent) to the OS's own nameservers it read before taking over.
"""

from __future__ import annotations

from collections.abc import Iterator

from opskit.core.diagnose.dnsstatus import DnsStatusReport
from opskit.core.diagnose.rules.facts import DiagnoseContext
from opskit.core.findings import Finding, Severity
from opskit.core.rules import rule


@rule(
    id="TS-DNS-STATUS-NO-TAILNET",
    name="dns-status-no-tailnet",
    family="tailscale-dns",
    severity=Severity.ERROR,
    summary="tailscale dns status: no tailnet information (not logged in) or no network map",
    target="dns-status",
)
def no_tailnet(report: DnsStatusReport, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: ``tailscale dns status`` prints ``No tailnet information available; make sure you're logged in to
    a tailnet.`` when tailscaled has no current tailnet (logged out, never logged in, or still starting), and
    (v1.74) ``Failed to fetch network map: …`` when it has no netmap: no MagicDNS, no DNS config from control.

    *Bad*::

        $ tailscale dns status
        Tailscale DNS: enabled.

        === MagicDNS configuration ===

        This is the DNS configuration provided by the coordination server to this device.

        No tailnet information available; make sure you're logged in to a tailnet.

    *Good*::

        $ tailscale dns status
        Tailscale DNS: enabled.

        === MagicDNS configuration ===

        MagicDNS: enabled tailnet-wide (suffix = tail1234.ts.net)
    """
    line = report.no_tailnet or report.netmap_error
    if line is None:
        return
    yield ctx.finding(
        f"{ctx.facts.label}: tailscaled has no tailnet to take DNS settings from (not logged in, or no network "
        "map yet): MagicDNS names, split DNS and the tailnet's resolvers do not apply on this device.",
        "Log in (`tailscale up`, or the app) and check `tailscale status` shows this node Running; then run "
        "`tailscale dns status` again.",
        ctx.facts.evidence(line),
        title="no tailnet information (not logged in)",
    )


@rule(
    id="TS-DNS-STATUS-NO-RESOLVER",
    name="dns-status-no-resolver",
    family="tailscale-dns",
    severity=Severity.ERROR,
    summary="tailscale dns status: Tailscale DNS on, but no resolver from control and none from the OS",
    target="dns-status",
)
def no_resolver(report: DnsStatusReport, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: with Tailscale DNS on and no global resolvers from control, tailscaled forwards non-tailnet names
    to the OS nameservers it read; when it found none (``(no nameservers found, DNS queries might fail …``)
    or could not read them, only MagicDNS and split-DNS names resolve: the internet's names fail.

    *Bad*::

        Tailscale DNS: enabled.

        Resolvers (in preference order):
          (no resolvers configured, system default will be used: see 'System DNS configuration' below)

        === System DNS configuration ===

        Nameservers:
          (no nameservers found, DNS queries might fail
        unless the coordination server is providing a nameserver)

    *Good*::

        Tailscale DNS: enabled.

        Resolvers (in preference order):
          (no resolvers configured, system default will be used: see 'System DNS configuration' below)

        === System DNS configuration ===

        Nameservers:
          - 192.168.4.1
    """
    if report.tailscale_dns is False or report.resolvers is None or report.resolvers:
        return
    if report.system_nameservers is None and report.system_unreadable is None:
        return  # the system section is not in the paste
    if report.system_nameservers:
        return
    evidence = [line for line in (report.resolvers_line, report.system_line) if line is not None]
    why = report.system_unreadable or "the OS has no nameservers"
    yield ctx.finding(
        f"{ctx.facts.label}: Tailscale DNS answers this device's queries, but control sent no global resolver and "
        f"there is no system resolver to fall back on ({why}): names outside the tailnet and its split-DNS "
        "domains do not resolve.",
        "Add global nameservers in the admin console's DNS page (Headscale: `dns.nameservers.global`), ideally "
        "with 'Override local DNS'; or give the OS a nameserver (DHCP, /etc/resolv.conf, the network settings) "
        "and restart tailscaled so it reads it again; or stop using Tailscale DNS here "
        "(`tailscale set --accept-dns=false`).",
        ctx.facts.evidence(*evidence),
        title="no DNS resolver for names outside the tailnet",
    )


@rule(
    id="TS-DNS-STATUS-NOT-USED",
    name="dns-status-not-used",
    family="tailscale-dns",
    # a note, like the other settings an owner chooses (netfilter off, hand-started on Linux): the CLI states
    # it without a warning, and nothing fails in the paste itself
    severity=Severity.INFO,
    summary="tailscale dns status: this device does not use Tailscale DNS (--accept-dns=false): a note",
    target="dns-status",
)
def not_used(report: DnsStatusReport, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: ``Tailscale DNS: disabled.`` means tailscaled does not manage this device's DNS (``--accept-dns``
    is off): MagicDNS names, split-DNS routes and the tailnet's nameservers do not work here, whatever the
    admin console sets. The owner's choice (deliberate on a DNS server or a router), so a note; it is the cause
    of "MagicDNS names don't resolve" everywhere else, which the note says.

    *Bad*::

        Tailscale DNS: disabled.

        (Run 'tailscale set --accept-dns=true' to start sending DNS queries to the Tailscale DNS resolver)

    *Good*::

        Tailscale DNS: enabled.

        Tailscale is configured to handle DNS queries on this device.
    """
    if report.tailscale_dns is not False or report.tailscale_dns_line is None:
        return
    magic = " although MagicDNS is on tailnet-wide" if report.magicdns else ""
    yield ctx.finding(
        f"{ctx.facts.label}: this device does not use Tailscale DNS (--accept-dns is off){magic}: MagicDNS names, "
        "split-DNS domains and the tailnet's nameservers are not resolved here; the OS's own DNS answers.",
        "If this device should resolve tailnet names: `tailscale set --accept-dns=true` (in the app: Use "
        "Tailscale DNS). Leave it off deliberately only where another DNS server runs (Pi-hole, a router).",
        ctx.facts.evidence(report.tailscale_dns_line),
        title="Tailscale DNS is off on this device",
    )


@rule(
    id="TS-DNS-STATUS",
    name="dns-status",
    family="tailscale-dns",
    severity=Severity.INFO,
    summary="tailscale dns status: what this device's DNS uses (a note when nothing fails)",
    target="dns-status",
)
def dns_state(report: DnsStatusReport, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: people paste ``tailscale dns status`` to ask "is DNS set up right here?"; a consistent
    configuration (Tailscale DNS on, a resolver to forward to) is the answer, with nothing to fix.

    *Bad*::

        Tailscale DNS: enabled.

        MagicDNS: enabled tailnet-wide (suffix = tail1234.ts.net)

        Resolvers (in preference order):
          - 1.1.1.1

    *Good*::

        Tailscale DNS: disabled.

        (Run 'tailscale set --accept-dns=true' to start sending DNS queries to the Tailscale DNS resolver)
    """
    if report.tailscale_dns is False or report.no_tailnet or report.netmap_error:
        return  # the problem rules say it
    if report.resolvers is not None and not report.resolvers and report.system_nameservers == ():
        return
    if report.resolvers is not None and not report.resolvers and report.system_unreadable is not None:
        return
    parts = []
    if report.magicdns is not None:
        parts.append(
            f"MagicDNS {'on' if report.magicdns else 'off'}" + (f" ({report.suffix})" if report.suffix else "")
        )
    if report.resolvers:
        parts.append("resolvers " + ", ".join(item for item, _ in report.resolvers))
    elif report.resolvers is not None:
        parts.append("no global resolvers (the OS's nameservers are used)")
    if report.routes:
        parts.append("split DNS " + ", ".join(f"{r.domain} -> {r.resolver}" for r in report.routes[:6]))
    if report.system_nameservers:
        parts.append("system nameservers " + ", ".join(report.system_nameservers))
    anchor = report.tailscale_dns_line or report.magicdns_line or report.lines[0]
    yield ctx.finding(
        f"{ctx.facts.label}: DNS is consistent here: " + ("; ".join(parts) if parts else "nothing fails") + ".",
        "Nothing to fix in this configuration; if a name still fails, `tailscale dns query <name>` shows which "
        "resolver answers it.",
        ctx.facts.evidence(anchor),
        title="tailscale dns status: nothing fails",
    )
