"""Rules that read a pasted tailscaled log: one per issue class of the vocabulary (docs/diagnose.md).

The log model (opskit/core/diagnose/daemonlog) has already folded the log: an issue reaches these rules
only when it still holds at the end of the paste. Each rule says the cause an operator needs and the
exact fix, and quotes the first and last lines that raised the issue.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from opskit.core.diagnose.daemonlog import is_service_manager_only, release_at_least
from opskit.core.diagnose.daemonlog.events import (
    entrypoint_failed,
    is_state_secret_error,
    is_supervisor_verdict,
    is_systemd_verdict,
)
from opskit.core.diagnose.models import DaemonLogReport, LogIssue
from opskit.core.diagnose.regions import region
from opskit.core.diagnose.rules.facts import DiagnoseContext
from opskit.core.findings import Finding, Severity
from opskit.core.rules import rule


def _finding(
    ctx: DiagnoseContext, issues: tuple[LogIssue, ...], title: str, fix: str, severity: Severity | None = None
) -> Iterator[Finding]:
    if not issues:
        return
    lines = [line for issue in issues for line in issue.lines][:4]
    yield ctx.finding(
        f"{ctx.facts.label}: {title}",
        fix,
        ctx.facts.evidence(*lines),
        severity=severity if severity is not None else max(issue.severity for issue in issues),
        issues=[issue.kind for issue in issues],
        keys=[issue.key for issue in issues],
    )


# the file logpolicy could not open, in a directory that does not exist: "open /var/lib/tailscale/x.tmp: no such …"
_MISSING_DIR = re.compile(r"open \"?(?P<dir>/[^\s\":]+)/[^/\s\":]+\"?: no such file or directory", re.IGNORECASE)
_NOT_ROOT = re.compile(r"permission denied|operation not permitted", re.IGNORECASE)


def _last(issues: tuple[LogIssue, ...]) -> str:
    """What the last line about these issues said (shortened); "" when there are none."""
    if not issues:
        return ""
    message = issues[-1].message
    return message if len(message) <= 240 else message[:237] + "…"


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
    a deliberate debugging or userspace-networking setup, so it is only noted. Windows' own ``The service
    process could not connect to the service controller`` (error 1063) says the service binary was run
    from a prompt.

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
    TLS connection to that DERP region (and ``not connected to home DERP region N`` its health check).
    Relayed traffic and NAT-traversal signalling through it stop. With a custom (Headscale or self-hosted)
    region it is usually a firewall, a proxy or TLS-terminating load balancer in front of derper, or a
    wrong hostname/port in the DERP map. An established connection whose receive loop keeps ending
    (``derp.Recv(derp-N): derp.Recv: EOF`` twice or more, no ``connected`` after) never stays up: a
    middlebox cutting long-lived TLS connections, or the region's server refusing this node. A later
    ``magicsock: derp-N connected`` clears it.

    *Bad*::

        2023/04/25 10:01:02 magicsock: derp.Send(127.3.3.40:901): derphttp.Client.Send connect to region 901 (home): dial tcp 203.0.113.9:443: i/o timeout

    *Good*::

        2023/04/25 10:01:02 magicsock: derp.Send(127.3.3.40:901): derphttp.Client.Send connect to region 901 (home): dial tcp 203.0.113.9:443: i/o timeout
        2023/04/25 10:01:09 magicsock: derp-901 connected; connGen=1
    """
    issues = log.issues_of("derp-unreachable")
    regions = ", ".join(sorted({issue.key for issue in issues} - {"?"})) or "(the rate-limited line names none)"
    custom = any(issue.key.split(" ")[0].isdigit() and int(issue.key.split(" ")[0]) >= 900 for issue in issues)
    yield from _finding(
        ctx,
        issues,
        f"tailscaled cannot connect to DERP region {regions} ({_last(issues)}). Peers whose home is that "
        "region cannot be reached through it, and path discovery with them stalls.",
        "Region IDs of 900 and above are custom (Headscale/self-hosted derper): check that its hostname "
        "resolves and TCP 443 (or its DERPPort) is reachable, that no HTTP proxy or load balancer terminates "
        "TLS in front of derper (set no_proxy for it), and UDP 3478 for STUN; compare with `tailscale debug "
        "derp <region>`."
        if custom
        else "Check outbound TCP 443 to the region (`tailscale debug derp <region>`, `curl -v "
        "https://derpN.tailscale.com/derp`), proxies and TLS interception on the way; `tailscale netcheck` "
        "shows which regions answer.",
    )


def _region_shown(key: str) -> str:
    """ "4" → "4 (fra, Frankfurt)" for a public region (IDs under 900); custom and already-named keys as they are."""
    if not key.isdigit() or int(key) >= 900 or (public := region(key)) is None or not public["name"]:
        return key
    return f"{key} ({public['code']}, {public['name']})"


@rule(
    id="TS-LOG-DERP-SEND-QUEUE-FULL",
    name="log-derp-send-queue-full",
    family="tailscale-daemon-log",
    severity=Severity.WARNING,
    summary="tailscaled's writes to a DERP region back up: relayed packets are dropped",
    target="daemon-log",
)
def derp_send_queue_full(log: DaemonLogReport, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: magicsock hands each packet for a DERP region to that region's writer through a small queue;
    ``too many DERP packets queued; dropping`` is the queue still full after three tries, so the packet is
    dropped. wireguard-go logs it per data packet (``[xI8Q9] - Failed to send data packet too many DERP
    packets queued; dropping``; ``peer(…) - Failed to send data packets: …``), disco per message (``magicsock:
    disco: failed to send ping to 127.3.3.40:1 [xI8Q9]: …``, the port being the region). The connection to the
    relay exists but is stalled or too slow for the traffic: relayed packets to the peers behind it are lost,
    so their connections stall or crawl. Once is a burst; repeated, the connection is backed up. A later
    ``magicsock: derp-N connected`` (a fresh connection) clears it.

    *Bad*::

        04-23,14:36:03.590 63.0M/92.1M [xI8Q9] - Failed to send data packet too many DERP packets queued; dropping
        04-23,14:36:03.590 63.0M/92.1M [xI8Q9] - Failed to send data packet too many DERP packets queued; dropping

    *Good*::

        04-23,14:36:03.590 63.0M/92.1M [xI8Q9] - Failed to send data packet too many DERP packets queued; dropping
        04-23,14:36:09.120 63.0M/92.1M magicsock: derp-1 connected; connGen=2
    """
    issues = log.issues_of("derp-send-queue-full")
    regions = sorted({issue.key for issue in issues} - {"?"})
    where = (
        f"DERP region {', '.join(_region_shown(key) for key in regions)}"
        if regions
        else "a DERP region (the lines do not name it)"
    )
    peers = sorted({peer.key for peer in log.peers if peer.derp_region is not None and not peer.endpoint})
    to_peers = f" to {', '.join(peers)}" if peers else ""
    region_arg = regions[0].split(" ")[0] if regions else "<region>"
    yield from _finding(
        ctx,
        issues,
        f"tailscaled's writes to {where} back up and it drops relayed packets{to_peers} ({_last(issues)}): the "
        "relay connection is stalled or too slow, so traffic to peers reached through it is lossy or stalls.",
        f"Check that DERP connection: `tailscale netcheck` (latency to each region) and `tailscale debug derp "
        f"{region_arg}`; check the uplink for saturation or loss (a slow or congested link, a proxy or middlebox "
        "throttling the long-lived TLS connection); let the peers connect directly (UDP 41641 open) so traffic "
        "stops going through DERP; upgrade very old clients.",
    )


@rule(
    id="TS-LOG-CONTROL-UNREACHABLE",
    name="log-control-unreachable",
    family="tailscale-daemon-log",
    severity=Severity.ERROR,
    summary="tailscaled cannot reach the coordination server",
    target="daemon-log",
)
def control_unreachable(log: DaemonLogReport, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: ``Received error: PollNetMap: …``, ``control: [v1] PollNetMap: Post …: context deadline
    exceeded``, ``map response long-poll timed out`` or the health message ``not in map poll`` mean the
    node has lost its map session with the coordination server (Tailscale or Headscale). Existing direct
    paths keep working for a while, but new peers, key rotations and ACL changes stop arriving. A later
    map response or ``-> Running`` clears it.

    *Bad*::

        Apr  8 22:15:31 flash tailscaled[1680825]: Received error: PollNetMap: Post "https://login.tailscale.com/machine/x/map": dial tcp [2a05:d014::1]:443: connect: connection refused

    *Good*::

        Apr  8 22:15:31 flash tailscaled[1680825]: Received error: PollNetMap: unexpected EOF
        Apr  8 22:15:40 flash tailscaled[1680825]: control: RegisterReq: got response; nodeKeyExpired=false, machineAuthorized=true; authURL=false
    """
    issues = log.issues_of("control-unreachable")
    yield from _finding(
        ctx,
        issues,
        f"tailscaled cannot reach the coordination server: {_last(issues)}. New peers, key and ACL updates "
        "stop arriving; the node drifts offline for others.",
        "Check outbound TCP 443 to the control URL (`curl -v https://controlplane.tailscale.com/key?v=71`, or "
        "your Headscale URL) and HTTP proxies on the way; for Headscale also its reverse proxy (WebSocket/HTTP2 "
        "upgrade, timeouts of at least a few minutes for the long poll) and its log at the same time.",
    )


# Control's word for an auth key it does not accept (its RegisterResponse.Error, logged "Received error: %v" and in the
# login-state warnable: "invalid key: API key does not exist", "invalid key: …expired").
_AUTH_KEY_REFUSED = "invalid key"


@rule(
    id="TS-LOG-LOGIN-REQUIRED",
    name="log-login-required",
    family="tailscale-daemon-log",
    severity=Severity.ERROR,
    summary="the node must log in again or wait for approval",
    target="daemon-log",
)
def login_required(log: DaemonLogReport, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: ``Switching ipn state … -> NeedsLogin`` (or an expired/invalid node key) means the node has no
    valid login: it is off the tailnet until someone logs it in. ``-> NeedsMachineAuth`` means it logged
    in but device approval is on and an admin has not approved it yet (``machineAuthorized=false`` beside
    an auth URL is still a login). A later ``-> Starting``/``Running`` clears both. Login attempts that back
    off (``authRoutine: backoff``, ``LoginInteractive``) while control stays unreachable are that problem,
    not a login waiting for a person; control answering ``404: node not found`` is one.

    *Bad*::

        2024/01/12 10:41:06 Switching ipn state NoState -> NeedsLogin (WantRunning=false, nm=false)

    *Good*::

        2023/07/30 18:18:41 Switching ipn state NoState -> NeedsLogin (WantRunning=true, nm=false)
        2023/07/30 18:18:47 Switching ipn state NeedsLogin -> Starting (WantRunning=true, nm=true)
    """
    issues = log.issues_of("login-required", "needs-machine-auth")
    approval = all(issue.kind == "needs-machine-auth" for issue in issues)
    tags = tuple(issue for issue in issues if "requested tags" in issue.message)
    if tags:
        yield from _finding(
            ctx,
            issues,
            f"the coordination server refused the tags this node asked for ({_last(tags)}): it stays logged out. "
            "A tag must be declared in the policy's tagOwners and owned by whoever logs the node in (the user, "
            "the auth key's owner or OAuth client); [] means no tag reached the request.",
            "Advertise only tags you own (`tailscale up --advertise-tags=tag:x`), declare them in the policy "
            '(`"tagOwners": {"tag:x": ["autogroup:admin"]}`; Headscale: its policy file), or use an auth '
            "key created with those tags; then log in again.",
        )
        return
    # control's answer to a register request carrying an auth key it does not accept ("invalid key: API key does not
    # exist", "… expired"): the key, not the node, is what must change
    if not approval and any(_AUTH_KEY_REFUSED in issue.message for issue in issues):
        yield from _finding(
            ctx,
            issues,
            f"the coordination server refused the auth key this node logged in with ({_last(issues)}): it stays "
            "logged out. The key was deleted, expired or used up (a one-off key); a reusable key that expired does "
            "the same.",
            "Log in with a new auth key (`tailscale up --auth-key=tskey-auth-…`, TS_AUTHKEY for containers); if the "
            "node was logged in before and its state directory still holds that login, run `tailscale up` without "
            "--auth-key (a key passed on every start is sent again even when it is no longer needed).",
        )
        return
    yield from _finding(
        ctx,
        issues,
        "the node waits for an admin to approve it (NeedsMachineAuth)."
        if approval
        else f"the node is not logged in ({_last(issues)}): it is off the tailnet until it logs in.",
        "Approve the device in the admin console (Machines → … → Approve), or for Headscale `headscale nodes "
        "list` / register it."
        if approval
        else "Run `tailscale up` (add `--authkey tskey-…` on servers and containers, TS_AUTHKEY for the container "
        "image) and keep the state directory persistent; with a key that expired, re-authenticate and consider "
        "disabling key expiry for servers.",
    )


# The exit node's DoH endpoint on its PeerAPI (net/dns/resolver/forwarder.go, "http://<exit-ip>:<port>/dns-query").
_EXIT_NODE_DOH = '/dns-query": '


@rule(
    id="TS-LOG-DNS-FORWARD-FAILING",
    name="log-dns-forward-failing",
    family="tailscale-daemon-log",
    severity=Severity.ERROR,
    summary="MagicDNS cannot forward queries to any upstream resolver",
    target="daemon-log",
)
def dns_forward_failing(log: DaemonLogReport, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: tailscaled answers DNS on 100.100.100.100 and forwards names outside the tailnet upstream.
    ``no upstream resolvers set, returning SERVFAIL`` / ``upstream nameservers not set`` mean it has no
    upstream at all; repeated ``dns: error:`` lines or the warnable ``dns-forward-failing`` mean the
    upstreams (or the exit node's DNS) do not answer. One-off failures happen, so a single line does not
    count (unless it says ``no route to host``, ``network is unreachable`` or ``connect: software caused connection
    abort``, the exit node's DoH ``Post "…/dns-query"`` included, or is a ``dns: error:`` timeout or refusal, which the engine
    logs only after every upstream failed for the forwarder's whole 5 s deadline); the warnable the forwarder sets together with a single ``no upstream resolvers set`` line is
    that same event, not a second one. The warnable's ``ok`` clears it. On an exit node,
    ``peerapi: handleDNS fwd error: <error>`` saying it has no resolver to ask (``resolv.conf has no
    nameservers``, no /etc/resolv.conf) or no way to it is the same forwarder failing every query of its clients
    (sent over PeerAPI): names do not resolve for the nodes that use it as their exit node. (One name timing out
    or answered SERVFAIL is that name's.)

    *Bad*::

        Aug 29 07:41:07 router tailscaled[795]: dns: resolver: forward: no upstream resolvers set, returning SERVFAIL
        Aug 29 07:41:08 router tailscaled[795]: dns: resolver: forward: no upstream resolvers set, returning SERVFAIL

    *Good*::

        Aug 29 07:41:07 router tailscaled[795]: dns: resolver: forward: no upstream resolvers set, returning SERVFAIL
    """
    issues = log.issues_of("dns-forward-failing")
    no_upstream = any("upstream" in issue.message for issue in issues)
    # an exit node answering its clients' DNS over PeerAPI: its own resolvers are the ones that fail
    for_exit_clients = all("handleDNS fwd error" in issue.message for issue in issues)
    # this node's queries sent to its exit node's PeerAPI DNS-over-HTTP (`Post "http://<exit>:<port>/dns-query"`)
    to_exit_node = tuple(issue for issue in issues if _EXIT_NODE_DOH in issue.message)
    if to_exit_node and len(to_exit_node) == len(issues):
        yield from _finding(
            ctx,
            issues,
            f"with an exit node in use, MagicDNS sends every query to that exit node's PeerAPI DNS, and this node "
            f"cannot reach it ({_last(issues)}): names outside the tailnet do not resolve, so browsing stops although "
            "the tunnel is up.",
            "Check that the exit node is online and offers DNS to its clients (`tailscale ping <exit node>`, its "
            "PeerAPI port reachable over the tailnet, its own resolvers answering); on Android, exempt Tailscale "
            "from battery optimisation and check no other VPN or 'Always-on VPN' setting cuts its connections; "
            "or pick another exit node.",
        )
        return
    yield from _finding(
        ctx,
        issues,
        (
            f"this node, as an exit node, cannot resolve its clients' DNS queries ({_last(issues)}): names do not "
            "resolve on the nodes that use it as their exit node."
            if for_exit_clients
            else (
                "MagicDNS has no upstream resolver: names outside the tailnet get SERVFAIL."
                if no_upstream
                else f"MagicDNS cannot reach its upstream resolvers ({_last(issues)})."
            )
            + " Name resolution for the Internet fails while Tailscale manages DNS."
        ),
        (
            "Check this node's own DNS: the resolvers in its /etc/resolv.conf (or the OS's) must answer from it "
            "(`nslookup example.com` on it); with 'Override local DNS', the tailnet's global nameservers must be "
            "reachable from it."
            if for_exit_clients
            else "Set global nameservers in the admin console (DNS → Global nameservers, or Headscale's "
            "`dns.nameservers.global`) or enable 'Override local DNS'; or keep the OS resolver with "
            "`tailscale set --accept-dns=false`. With an exit node, check that node's own DNS."
        ),
    )


@rule(
    id="TS-LOG-DNS-CONFIG-FAILED",
    name="log-dns-config-failed",
    family="tailscale-daemon-log",
    severity=Severity.ERROR,
    summary="tailscaled cannot apply DNS settings to the OS",
    target="daemon-log",
)
def dns_config_failed(log: DaemonLogReport, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: the warnables ``dns``/``dns-os`` and errors from resolvconf, systemd-resolved (setLinkDNS) or
    Windows NRPT mean the OS resolver was not pointed at MagicDNS: tailnet names do not resolve, or
    resolv.conf is left half-written. ``dns: ResolvConfMode error: Unit dbus-org.freedesktop.resolve1.service not
    found.`` is logged only once tailscaled has chosen the systemd-resolved manager: resolved is not on the host,
    so that manager has nothing to configure. On Windows with Group Policy NRPT rules tailscaled must copy its
    rules into the Group Policy table (``updateGroupPoliciesLocked: copyNRPTRule(…) failed with error …``) and
    remove them later: when it cannot, its DNS settings do not apply, or outlive it.

    *Bad*::

        Feb 13 14:23:32 threonine tailscaled[27744]: 2024/02/13 14:23:32 health("dns-os"): error: exit status 1

    *Good*::

        Feb 13 14:23:32 threonine tailscaled[27744]: 2024/02/13 14:23:32 health("dns-os"): error: exit status 1
        Feb 13 14:25:01 threonine tailscaled[27744]: 2024/02/13 14:25:01 health("dns-os"): ok
    """
    every = log.issues_of("dns-config-failed")
    absent = tuple(issue for issue in every if issue.key == "resolved-absent")
    yield from _finding(
        ctx,
        absent,
        f"tailscaled chose the systemd-resolved DNS manager, but systemd-resolved is not on this host "
        f"({_last(absent)}): its MagicDNS settings go nowhere and tailnet names do not resolve.",
        "Either install and enable systemd-resolved (`systemctl enable --now systemd-resolved`, then link "
        "/etc/resolv.conf to /run/systemd/resolve/stub-resolv.conf), or stop the host looking like it uses "
        "resolved: take `resolve` out of the `hosts:` line of /etc/nsswitch.conf (`resolved=nss` in the decision "
        "line) and keep /etc/resolv.conf off 127.0.0.53 (`resolved=file`), so tailscaled picks the direct "
        "manager; then `systemctl restart tailscaled` and check `dns: using … mode`. Or opt out with "
        "`tailscale set --accept-dns=false`.",
    )
    group_policy = tuple(issue for issue in every if issue.key == "nrpt-group-policy")
    yield from _finding(
        ctx,
        group_policy,
        f"Group Policy NRPT rules are in force on this Windows host and tailscaled could not update its own rules "
        f"in the Group Policy table ({_last(group_policy)}): MagicDNS names may not resolve, or Tailscale's rules "
        "may stay in force after it stopped using them.",
        "Check the domain GPO's DNS Client > Name Resolution Policy settings (`gpresult /h report.html`, "
        "`Get-DnsClientNrptPolicy`): tailscaled, running as LocalSystem, must be able to write "
        r"HKLM\SOFTWARE\Policies\Microsoft\Windows NT\DNSClient\DnsPolicyConfig; then `gpupdate /force` and "
        "restart the Tailscale service. Or opt out with `tailscale set --accept-dns=false`.",
    )
    issues = tuple(issue for issue in every if issue.key not in ("resolved-absent", "nrpt-group-policy"))
    yield from _finding(
        ctx,
        issues,
        f"tailscaled could not apply its DNS settings to the OS ({_last(issues)}).",
        "Check which DNS manager tailscaled picked (`dns: using …` at start-up): make /etc/resolv.conf a link "
        "to /run/systemd/resolve/stub-resolv.conf when systemd-resolved runs, fix or remove a broken "
        "resolvconf/openresolv, then `systemctl restart tailscaled`; or opt out with `tailscale set "
        "--accept-dns=false`.",
    )


@rule(
    id="TS-LOG-TUN-UNAVAILABLE",
    name="log-tun-unavailable",
    family="tailscale-daemon-log",
    severity=Severity.ERROR,
    summary="the TUN (or Wintun) device cannot be created",
    target="daemon-log",
)
def tun_unavailable(log: DaemonLogReport, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: ``CreateTUN("tailscale0") failed; /dev/net/tun does not exist`` (Linux, containers, NAS) or a
    Wintun error (Windows) means the engine cannot start: tailscaled exits and the CLI reports it is not
    running.

    *Bad*::

        Feb 03 22:17:32 nas tailscaled[24466]: wgengine.NewUserspaceEngine(tun "tailscale0") error: tstun.New("tailscale0"): CreateTUN("tailscale0") failed; /dev/net/tun does not exist

    *Good*::

        2022/04/05 03:46:15 wgengine.NewUserspaceEngine(tun "userspace-networking") ...
    """
    issues = log.issues_of("tun-unavailable")
    windows = log.os == "windows"
    android = "VpnService" in _last(issues) or log.os == "android"
    yield from _finding(
        ctx,
        issues,
        f"tailscaled cannot create its network device ({_last(issues)}), so it cannot start.",
        "Android: the app's VPN interface was refused. Allow Tailscale's VPN request again (Settings > Network > "
        "VPN: remove Tailscale, reopen the app and accept), turn off always-on/lockdown for any other VPN app, "
        "and on a device with several users or a work profile run Tailscale in the owner profile (secondary "
        "users cannot create the VPN: INTERACT_ACROSS_USERS)."
        if android
        else "Reinstall Tailscale (it reinstalls the Wintun driver) and reboot; check that no security product "
        "blocks the driver."
        if windows
        else "Load the module (`modprobe tun`; in a container pass `--device /dev/net/tun` and NET_ADMIN, or "
        "create it: `mkdir -p /dev/net && mknod /dev/net/tun c 10 200`); where the kernel has no TUN "
        "(OpenVZ, some NAS), run `tailscaled --tun=userspace-networking`.",
    )


@rule(
    id="TS-LOG-TUN-WRITE-FAILED",
    name="log-tun-write-failed",
    family="tailscale-daemon-log",
    severity=Severity.ERROR,
    summary="WireGuard cannot write incoming packets to the TUN device: everything coming in is dropped",
    target="daemon-log",
)
def tun_write_failed(log: DaemonLogReport, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: wireguard-go decrypts each packet from a peer and writes it to the TUN device (``wg: Failed to write
    packets to TUN device: …``, before 2023 ``Failed to write packet to TUN device: …``). While the writes fail,
    every packet coming in over the tailnet is dropped: peers, an exit node's replies, MagicDNS answers. The error
    names the cause: ``no space left on device`` / ``no buffer space available`` on a utun write (macOS, iOS) is the
    utun queue being full (the network extension stopped draining it), not a full disk; ``input/output error``
    (Linux) is the tun interface down or removed under tailscaled; ``file already closed`` is the device closed
    under a running engine (one such line at shutdown is routine). A restart that gets further clears it.

    *Bad*::

        wg: Failed to write packets to TUN device: write /dev/tun: no space left on device

    *Good*::

        wg: Failed to write packets to TUN device: write /dev/net/tun: file already closed
    """
    issues = log.issues_of("tun-write-failed")
    keys = {issue.key for issue in issues}
    cause = (
        "the utun queue is full (ENOSPC/ENOBUFS on the write: the network extension stopped draining it, not a "
        "full disk)"
        if "queue-full" in keys
        else "the tun interface went down or was removed under tailscaled (EIO)"
        if "io-error" in keys
        else "the TUN device was closed under the running engine"
        if "closed" in keys
        else "the OS refused the write"
    )
    yield from _finding(
        ctx,
        issues,
        f"WireGuard cannot write decrypted packets to the TUN device ({_last(issues)}): {cause}; every packet "
        "coming in over Tailscale (peers, exit-node replies, MagicDNS answers) is dropped while it lasts.",
        "Restart Tailscale (macOS/iOS: quit the app or toggle the VPN off and on; Linux: `sudo systemctl restart "
        "tailscaled`). On macOS update Tailscale and macOS, and remove or disable other VPN, content-filter or "
        "network extensions (System Settings > General > Login Items & Extensions > Network Extensions) that can "
        "stall the utun; on Linux check the device is up (`ip link show tailscale0`), that nothing else deletes or "
        "downs it (NetworkManager, another VPN), and its queue discipline (`tc qdisc show dev tailscale0`).",
    )


@rule(
    id="TS-LOG-SELINUX-DENIED",
    name="log-selinux-denied",
    family="tailscale-daemon-log",
    severity=Severity.ERROR,
    summary="SELinux refuses Tailscale's process an operation it needs (an enforced AVC denial)",
    target="daemon-log",
)
def selinux_denied(log: DaemonLogReport, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: the kernel's SELinux policy refused a call of Tailscale's own process (``avc: denied { <permission> }
    … tclass=<class> permissive=0``, in Android's logcat with ``app=com.tailscale.ipn``, in Linux's audit log with
    ``comm="tailscaled"``), so that call failed. On Android 11+ an app targeting SDK 30 may not bind a
    ``netlink_route_socket``: the app's network monitor cannot list the interfaces and the VPN never comes up, until
    an app built for it (update the app). On Linux a policy keeps tailscaled from its files, sockets or devices.
    Routine, not this: ``permissive=1`` (logged only), the Android sandbox's refusals of /proc (``dev="proc"``: the
    app reads routes another way), Android's ``ip`` helper, another app's or program's denial.

    *Bad*::

        W Thread-4: type=1400 audit(0.0:2472): avc: denied { bind } for scontext=u:r:untrusted_app:s0 tcontext=u:r:untrusted_app:s0 tclass=netlink_route_socket permissive=0 app=com.tailscale.ipn

    *Good*::

        W Thread-9: type=1400 audit(0.0:32521): avc: denied { read } for name="route" dev="proc" tclass=file permissive=0 app=com.tailscale.ipn
    """
    issues = log.issues_of("selinux-denied")
    keys = [issue.key for issue in issues]
    denied = ", ".join(f"`{key.rsplit(' ', 1)[0]}` on `{key.rsplit(' ', 1)[-1]}`" for key in dict.fromkeys(keys))
    android = log.os == "android" or any("app=" in issue.message for issue in issues)
    netlink = any(key.endswith("netlink_route_socket") for key in keys)
    effect = (
        "; Android 11+ forbids apps targeting SDK 30 to bind a NETLINK_ROUTE socket, so the app cannot read the "
        "network interfaces and the VPN does not come up."
        if netlink and android
        else "."
    )
    yield from _finding(
        ctx,
        issues,
        f"SELinux (enforcing) refuses Tailscale {denied} ({_last(issues)}): that call fails{effect}",
        "Update the Tailscale app (builds for Android 11+ no longer bind a NETLINK_ROUTE socket); if it persists, "
        "report it with the app version and this logcat line."
        if android
        else "Fix the SELinux policy for tailscaled: restore its files' labels (`sudo restorecon -Rv "
        "/var/lib/tailscale /usr/sbin/tailscaled /run/tailscale`), or allow the operation with a local policy "
        "module (`sudo ausearch -m avc -c tailscaled | audit2allow -M tailscaled-local && sudo semodule -i "
        "tailscaled-local.pp`); `sudo ausearch -m avc -ts recent` shows every denial.",
    )


@rule(
    id="TS-LOG-TUNNEL-START-FAILED",
    name="log-tunnel-start-failed",
    family="tailscale-daemon-log",
    severity=Severity.ERROR,
    summary="the macOS/iOS system could not start the Tailscale app's VPN tunnel (Network Extension)",
    target="daemon-log",
)
def tunnel_start_failed(log: DaemonLogReport, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: on macOS and iOS the app's tunnel is a Network Extension the system starts from the app's VPN
    configuration ("Tailscale Tunnel"). When the system fails or refuses to start it (a stale or broken VPN
    configuration, another VPN holding the system's VPN, an MDM/Screen Time restriction, the extension failing
    as it loads) the app logs the connection's new ``Last disconnect error``, in the user's language ("The VPN
    session failed because an internal error occurred."), and stays disconnected: it cannot log in or reach the
    tailnet. Not tailscaled, control or DERP: the tunnel never started. Good is the error back to "none", or the
    extension's Go side starting again and getting further. macOS's code-signing check refusing the extension
    itself (taskgated-helper: ``io.tailscale.…: Unsatisfied entitlements: …``, ``Disallowing: io.tailscale.…``) is
    the same failure one step earlier: the installed build does not match its signature, reinstall it.

    *Bad*::

        default	01:15:19.456599+0200	Tailscale	Last disconnect error for Tailscale Tunnel changed from "none" to "The VPN session failed because an internal error occurred."

    *Good*::

        default	01:16:02.120311+0200	Tailscale	Last disconnect error for Tailscale Tunnel changed from "The VPN session failed because an internal error occurred." to "none"
    """
    issues = log.issues_of("tunnel-start-failed")
    if issues and all(issue.key == "signing" for issue in issues):
        yield from _finding(
            ctx,
            issues,
            f"macOS will not run Tailscale's code ({_last(issues)}): its signature check fails, so the network "
            "extension (and the daemon in it) never starts and this device is off the tailnet.",
            "The installed Tailscale build does not match its signature (a damaged, partial or mixed install, "
            "e.g. the App Store and standalone apps over each other): quit Tailscale, delete Tailscale.app from "
            "/Applications (confirm removing its system extension), install the current standalone package from "
            "https://pkgs.tailscale.com/stable/#macos (or the App Store app, not both), approve its system "
            "extension and VPN configuration again (System Settings > General > Login Items & Extensions, or "
            "Privacy & Security), and reboot; `systemextensionsctl list` should then show it [activated enabled].",
        )
        return
    yield from _finding(
        ctx,
        issues,
        f"the system could not start the Tailscale app's VPN tunnel ({_last(issues)}), so the app stays "
        "disconnected and this device is off the tailnet.",
        "Quit Tailscale and turn other VPN apps off; remove the 'Tailscale Tunnel' VPN configuration (macOS: System "
        "Settings > VPN, Catalina-Monterey: System Preferences > Network; iOS: Settings > General > VPN & Device "
        "Management > VPN), reopen the app and allow the VPN configuration (and, for the macOS standalone app, its "
        "system extension in Privacy & Security) again; check no MDM/Screen Time profile forbids VPN changes; "
        "reboot, and update the OS and the app if it returns.",
    )


@rule(
    id="TS-LOG-ANDROID-BACKGROUND-START-BLOCKED",
    name="log-android-background-start-blocked",
    family="tailscale-daemon-log",
    severity=Severity.ERROR,
    summary="Android would not let the Tailscale app start its VPN service in the background",
    target="daemon-log",
)
def android_background_start_blocked(log: DaemonLogReport, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: the Android app starts its VPN service (IPNService) from the background when the quick settings
    tile, a boot, an always-on restart or an automation app's Start VPN intent asks for it. Android 12+ refuses
    a foreground service started from the background (``ForegroundServiceStartNotAllowedException``), Android 8+
    a background service (``Not allowed to start service Intent …: app is in background``), more so when the
    app's battery use is restricted or optimised: the VPN does not come up (or does not come back) until the
    app is opened. Good is the service starting and ``updateTUN: established VPN`` after it.

    *Bad*::

        05-01 10:00:00.123 12345 12360 E App     : startVPN hit ForegroundServiceStartNotAllowedException: android.app.ForegroundServiceStartNotAllowedException: startForegroundService() not allowed due to mAllowStartForeground false: service com.tailscale.ipn/.IPNService

    *Good*::

        05-01 10:00:02.456 12345 12360 I com.tailscale.ipn: updateTUN: established VPN
    """
    issues = log.issues_of("android-background-start-blocked")
    yield from _finding(
        ctx,
        issues,
        f"Android would not let the Tailscale app start its VPN service in the background ({_last(issues)}): "
        "the VPN stays down until the app is opened.",
        "Settings > Apps > Tailscale > App battery usage (Battery): Unrestricted (and on Samsung/Xiaomi/Huawei "
        "remove Tailscale from sleeping/restricted apps); open the app and connect once. For a VPN that must stay "
        "on, Settings > Network & internet > VPN > Tailscale's gear: Always-on VPN.",
    )


# util/linuxfw's stub for a build without iptables (iptables_disabled.go, v1.90-: the ts_omit_iptables tag, and in
# v1.90.0-v1.90.1 every Linux build for other than arm64/amd64): the binary lacks it, whatever the host has. Only the iptables
# stub exists in the source; an nftables one would read the same way.
_FIREWALL_LEFT_OUT = re.compile(r"\b(?:ip|nf)tables disabled in build\b")
# the Linux router's netlink throw route it could not add (daemonlog events: _FIREWALL)
_THROW_ROUTE = "THROW ERROR adding "


@rule(
    id="TS-LOG-FIREWALL-FAILED",
    name="log-firewall-failed",
    family="tailscale-daemon-log",
    severity=Severity.ERROR,
    summary="installing routes or packet-filter rules fails",
    target="daemon-log",
)
def firewall_failed(log: DaemonLogReport, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: the router installs tailscaled's netfilter chains (ts-input, ts-forward), NAT rules and routes.
    ``creating router: exec: "iptables": executable file not found``, ``could not setup netfilter``,
    ``RULE_INSERT failed`` or a failing route/netsh command leave the host without them: traffic from
    peers is not accepted or subnet/exit routing does not work, or the engine does not start at all. On
    Linux's netlink path ``router: THROW ERROR adding <prefix>: <errno>`` (v1.18+) is a throw route for a local
    route kept off Tailscale (an exit node with LAN access) that the kernel would not add: router.Set fails. The
    Windows service of v1.0-v1.32 retried its engine every 5 s and named the stage that failed (``tailscaled: engine
    fetch error (try N) in …: router: …``, ``ipnserver: initial getEngine call: router: …``): its Windows router.

    *Bad*::

        Oct 23 11:17:51 rasputin tailscaled[2139]: router: updateMagicsockPort(port=41641, network=udp6) failed: could not setup netfilter: could not create new netfilter: iptables disabled in build

    *Good*::

        linuxfw: clear iptables: exec: "iptables": executable file not found in $PATH
    """
    issues = log.issues_of("firewall-failed")
    if any(_FIREWALL_LEFT_OUT.search(issue.message) for issue in issues):
        yield from _finding(
            ctx,
            issues,
            "this tailscaled build has no iptables support, so its router cannot set up netfilter (the binary, not "
            "the host's firewall: 1.90.0 and 1.90.1 left iptables out of every Linux build but amd64 and arm64, "
            f"32-bit ARM among them; fixed in 1.90.2) ({_last(issues)}).",
            "Install a tailscaled built with iptables support (1.90.2 or later, or back to 1.88), then "
            "`systemctl restart tailscaled`; for a build of your own, drop the `ts_omit_iptables` tag.",
        )
        return
    if all(issue.key == "windows-engine" for issue in issues):
        # the Windows service (v1.0-v1.32) retrying its engine every 5 s: its router stage is Windows' own
        yield from _finding(
            ctx,
            issues,
            "the Windows service could not set up its router (addresses, routes and Windows Firewall rules on the "
            f"Tailscale adapter) while creating its engine, so it cannot connect ({_last(issues)}).",
            "Check that the Windows Firewall and Base Filtering Engine services run (`Get-Service mpssvc,BFE`) and "
            "that no security product blocks tailscaled's route and firewall changes (`route print`, `netsh "
            "advfirewall show allprofiles`); then restart the Tailscale service (`Restart-Service Tailscale`); if it "
            "persists, update Tailscale (this retry loop is from v1.32 and older).",
        )
        return
    throw_routes = all(_THROW_ROUTE in issue.message for issue in issues)
    if any(_IPV6_FILTER_PROBE.search(issue.message) for issue in issues):
        yield from _ipv6_tunnel_off(ctx, issues)
        return
    yield from _finding(
        ctx,
        issues,
        f"tailscaled could not install its routes or firewall rules ({_last(issues)}).",
        "Check the routing table tailscaled fills (`ip route show table 52`, `ip rule`): another route manager "
        "(NetworkManager, Docker, another VPN) may hold or remove its entries, or the kernel lacks policy routing "
        "(CONFIG_IP_MULTIPLE_TABLES); the throw routes are the LAN routes kept off Tailscale (an exit node with "
        "`--exit-node-allow-lan-access`): turning that off avoids them. Then `systemctl restart tailscaled`."
        if throw_routes
        else "Install the firewall tool tailscaled uses (`iptables`/`ip6tables`, or nftables with "
        "`TS_DEBUG_FIREWALL_MODE=nftables` in /etc/default/tailscaled), check the kernel modules it needs "
        "(`lsmod | grep -E 'nf_tables|xt_'`), or run with `tailscale up --netfilter-mode=off` and manage "
        "the rules yourself; then `systemctl restart tailscaled`.",
    )


# util/linuxfw 1.62's probe of the IPv6 filter table ("ipv6 unavailable due to missing filter table: running
# [/sbin/ip6tables -t filter -S --wait]: …"; 1.64 on says "ip6tables filtering is not supported on this host", a host
# without that table): tailscaled then turns tunneled IPv6 off altogether. A missing table is only that (an info,
# ipv6-tunnel-off); it reaches here when ip6tables was refused its rights (events.py: the xtables lock, not root).
_IPV6_FILTER_PROBE = re.compile(r"ipv6 unavailable due to missing filter table")
# ip6tables unable to take the xtables lock ("Fatal: can't open lock file /run/xtables.lock: Permission denied"): the
# probe failed on the lock file's permission (an unprivileged tailscaled, as Synology DSM 7 runs it), not on the table
_XTABLES_LOCK = re.compile(r"lock file (?P<path>\S*xtables\.lock): (?P<why>Permission denied|Operation not permitted)")


def _ipv6_tunnel_off(ctx: DiagnoseContext, issues: tuple[LogIssue, ...]) -> Iterator[Finding]:
    lock = next((m for issue in issues if (m := _XTABLES_LOCK.search(issue.message)) is not None), None)
    why = (
        f"ip6tables cannot open its lock file {lock.group('path')} ({lock.group('why')}: tailscaled runs without the "
        "rights to it)"
        if lock is not None
        else "ip6tables is unusable"
    )
    yield from _finding(
        ctx,
        issues,
        f"tailscaled turned tunneled IPv6 off because its probe of the IPv6 filter table failed: {why} "
        f"({_last(issues)}); the node gets no Tailscale IPv6 address or IPv6 routes.",
        (
            "Give tailscaled the rights to the xtables lock (run it as root; Synology DSM 7 runs the package "
            "unprivileged, so there downgrade to 1.60.x, which did not probe the table, until a release fixes it)"
            if lock is not None
            else "Make ip6tables usable (`ip6tables -t filter -S` as root must work: the ip6table_filter kernel "
            "module, the iptables package's ip6tables), or downgrade to 1.60.x, which did not probe the table"
        )
        + "; then restart tailscaled and check `tailscale ip -6`.",
    )


# feature/tpm's errors on a TPM-sealed state file ("failed to unseal state file: failed to unseal encryption key
# with TPM: tpm2.Unseal: TPM_RC_LOCKOUT …", "state file … has not been TPM-sealed or is corrupt")
_TPM_SEALED = re.compile(r"(?:un)?seal (?:state file|encryption key)|TPM-sealed|tpm2\.\w+: |newTPMStore\(")


# the Kubernetes API's optimistic-concurrency refusal of an update (a 409 Conflict on the state Secret)
_SECRET_CONFLICT = "Operation cannot be fulfilled on secrets"


@rule(
    id="TS-LOG-STATE-UNWRITABLE",
    name="log-state-unwritable",
    family="tailscale-daemon-log",
    severity=Severity.ERROR,
    summary="the state file or directory cannot be written",
    target="daemon-log",
)
def state_unwritable(log: DaemonLogReport, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: tailscaled keeps its node key and prefs in the state file (``--state``, default
    /var/lib/tailscale/tailscaled.state; ``C:\\ProgramData\\Tailscale\\server-state.conf`` on Windows).
    Permission, read-only or full-disk errors there stop it (``store.New: …``), or lose the login at every
    restart; a state file sealed with the machine's TPM (``--encrypt-state``) that the TPM will not unseal
    (``failed to unseal state file: … TPM_RC_LOCKOUT``: dictionary-attack lockout; a reset or replaced TPM)
    cannot be read at all. logpolicy saving its log config (the node's log ID) in that directory and failing
    (``logpolicy.Config.Save for …: …``; 2020's ``logpolicy.Config write: …: no such file or directory`` when
    it could not create the directory) shows the same directory cannot be written. In Kubernetes the state is
    a Secret: containerboot or kubestore failing to check its rights on it (``error checking get permission on
    secret …: …``), missing them (``some Kubernetes permissions are missing …``) or failing to read or write it
    through the API server (``getting Tailscale state Secret …: …``) leaves the node without its identity;
    a write losing a race with another writer of that Secret (``writing ServeConfig to StateStore: Operation
    cannot be fulfilled on secrets …``) is not saved. A profile's saved prefs that cannot be read back
    (``failed to load profile prefs for …: parsing saved prefs: tpm2.Load: TPM_RC_INTEGRITY``) stop it at
    start. The Android app keeps its state encrypted with a key in the Android Keystore: keystore2 refusing
    to create it (``keystore2::error: In generate_key.``) leaves the app without its state.

    *Bad*::

        getLocalBackend error: store.New: creating state directory: chmod /var/lib/tailscale: operation not permitted

    *Good*::

        logpolicy: using system state directory "/var/lib/tailscale"
    """
    issues = log.issues_of("state-unwritable")
    # logpolicy could not create the directory it keeps the log config in, next to the state
    missing_dir = next(
        (
            (where.group("dir") if (where := _MISSING_DIR.search(issue.message)) else "<its state directory>")
            for issue in issues
            if issue.message.startswith("logpolicy.Config") and "no such file or directory" in issue.message.lower()
        ),
        None,
    )
    if any(issue.key == "android-keystore" for issue in issues):
        # the Android app: its state store's key lives in the Android Keystore, which refused to create it
        yield from _finding(
            ctx,
            issues,
            "the Android Keystore refuses to create the key of the app's encrypted state store "
            f"({_last(issues)}): the app cannot open its state and stays on loading.",
            "A platform problem, not networking: restart the device (on a Chromebook, restart ChromeOS so the "
            "Android container's Keystore starts afresh) and update Android/ChromeOS; if it persists, clear the "
            "Tailscale app's storage (Settings → Apps → Tailscale → Storage) or reinstall it, then log in again.",
        )
        return
    if any(_SECRET_CONFLICT in issue.message for issue in issues):
        # the Kubernetes API refused an update of the state Secret made on an outdated copy (resourceVersion)
        yield from _finding(
            ctx,
            issues,
            "a write into the node's state Secret lost a race with another writer of the same Secret "
            f"({_last(issues)}): the change (the serve config, the node's state) was not saved.",
            "Update the Tailscale proxy image and the operator (v1.50 and later retry such writes); make sure "
            "only one pod uses the Secret (one replica per state Secret, no two proxies with the same "
            "TS_KUBE_SECRET); the pod restarts and writes again.",
        )
        return
    if any(_TPM_SEALED.search(issue.message) for issue in issues):
        # feature/tpm: the state file is sealed with this machine's TPM (--encrypt-state, or the EncryptState
        # policy) and the TPM will not unseal it: the file is intact, no permission or disk fix applies
        yield from _finding(
            ctx,
            issues,
            f"tailscaled cannot read its TPM-sealed state file: the TPM refuses to unseal it ({_last(issues)}).",
            "If the TPM is in dictionary-attack lockout (`TPM_RC_LOCKOUT`), wait for the lockout to expire or clear "
            "it (`tpm2_dictionarylockout --clear-lockout`) and restart tailscaled; if the TPM was reset, cleared or "
            "replaced, the sealed state is lost: move the state file aside (`/var/lib/tailscale/tailscaled.state`), "
            "restart tailscaled and log in again (`tailscale up`); to stop sealing it, run tailscaled with "
            "`--encrypt-state=false` (FLAGS in /etc/default/tailscaled) or turn the EncryptState policy off "
            "(https://tailscale.com/s/state-store-init-error).",
        )
        return
    if any(is_state_secret_error(issue.message) for issue in issues):
        # kube/kubeclient, cmd/containerboot: the state lives in a Secret reached through the API server
        yield from _finding(
            ctx,
            issues,
            f"the node cannot read or write its state Secret through the Kubernetes API ({_last(issues)}).",
            "Let the pod's ServiceAccount get, update and patch its state Secret (and create it if it does not "
            "exist yet): a Role on `secrets` with that `resourceNames` bound to it; check with `kubectl auth can-i "
            "get secret/<name> --as=system:serviceaccount:<namespace>:<serviceaccount>`. If the API call itself "
            "fails (a TLS alert, a timeout, refused), the pod cannot reach the API server: check it "
            "(`kubectl get --raw /readyz`, its certificates, k3s's logs) before restarting the pod, or keep the "
            'state on a volume instead (`TS_KUBE_SECRET=""` with `TS_STATE_DIR`).',
        )
        return
    yield from _finding(
        ctx,
        issues,
        f"tailscaled cannot write its state ({_last(issues)})"
        + (": its state directory does not exist and could not be created." if missing_dir else "."),
        (
            f"Create the directory and let the program's user write it (`sudo mkdir -p {missing_dir}`), or run it "
            "as root (`sudo …`). "
            if missing_dir
            else ""
        )
        + "Give the daemon a writable, persistent state directory (`tailscaled --statedir=/path`, in Kubernetes a "
        "volume or `--state=kube:<secret>` with RBAC, in containers TS_STATE_DIR on a volume); check `ls -ld "
        "/var/lib/tailscale` (0700, owned by the daemon's user), free space and read-only mounts.",
    )


@rule(
    id="TS-LOG-PORT-IN-USE",
    name="log-port-in-use",
    family="tailscale-daemon-log",
    severity=Severity.ERROR,
    summary="the WireGuard UDP port is already taken",
    target="daemon-log",
)
def port_in_use(log: DaemonLogReport, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: ``listen udp4 :41641: bind: address already in use`` means another process (often a second
    tailscaled) holds the port tailscaled was told to use; port forwards made for that port then miss. On
    Windows ``An attempt was made to access a socket in a way forbidden by its access permissions`` is the
    same bind refused because the port lies in a range Hyper-V/WinNAT excluded (``netsh int ipv4 show
    excludedportrange protocol=udp``) or another socket holds it exclusively; tailscaled carries on with
    another port.

    *Bad*::

        magicsock: unable to bind udp4 port 41641: listen udp4 :41641: bind: address already in use

    *Good*::

        onPortUpdate(port=41641, network=udp4)
    """
    issues = log.issues_of("port-in-use")
    yield from _finding(
        ctx,
        issues,
        f"tailscaled could not bind its UDP port ({_last(issues)}).",
        "Find the owner (`ss -ulpn 'sport = :41641'`, Windows `netstat -abno -p udp` and `netsh int ipv4 show "
        "excludedportrange protocol=udp`), stop the second tailscaled or change `PORT=` in /etc/default/tailscaled "
        "(`--port`; on Windows pick a port outside the excluded ranges), and update any port forward.",
    )


@rule(
    id="TS-LOG-CONTROL-TOO-OLD",
    name="log-control-too-old",
    family="tailscale-daemon-log",
    severity=Severity.ERROR,
    summary="the coordination server answers but is too old for this client's protocol",
    target="daemon-log",
)
def control_too_old(log: DaemonLogReport, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: ``Received error: control server is too old; no noise key`` is controlclient (direct.go) finding
    no Noise (ts2021) key in the coordination server's ``/key`` answer. Clients since v1.64 speak only that
    protocol to control, so the node can neither register nor poll its map: it loops on ``doLogin`` and never
    gets an auth URL. The server is reachable (not a network problem): it is a Headscale without Noise support (v0.12 and older) or
    another control server too old for the client. The same pairing problem shows when control answers and the
    client cannot open the answer: ``register request: cannot decrypt response`` (the legacy, pre-Noise protocol's
    boxed reply that does not open with the server key, as a v1.2x client meets a Headscale 0.17 beta; also under
    ``TryLogin:``, ``PollNetMap:``, ``error decoding RegisterResponse …``) or the ts2021 handshake's ``decrypting
    payload: …``, and a map response read whole that the client cannot decode (``[v1] netmap: decode error:
    response: json: cannot unmarshal …``, a zstd or JSON syntax error: control sent fields or an encoding of another
    protocol version). A later ``RegisterReq: got response`` or a map response decoded (a netmap received,
    ``Running``) clears it.

    *Bad*::

        May 09 10:12:03 pi tailscaled[812]: Received error: control server is too old; no noise key
        2023-02-23T16:50:45.611+08:00: control: [v1] TryLogin: register request: cannot decrypt response

    *Good*::

        May 09 10:12:03 pi tailscaled[812]: control: RegisterReq: got response; nodeKeyExpired=false, machineAuthorized=true; authURL=false
    """
    issues = log.issues_of("control-too-old")
    no_noise_key = any("no noise key" in issue.message for issue in issues)
    undecodable_map = all("netmap: decode error" in issue.message for issue in issues)
    why = (
        "it offers no Noise (ts2021) key"
        if no_noise_key  # else the answer came back and does not open (legacy decrypt, Noise handshake)
        else "the client cannot decode the map it sends (client and server speak different protocol versions, or "
        "a proxy in between rewrites the answer)"
        if undecodable_map
        else "the client cannot decrypt its answer (client and server speak different protocol versions)"
    )
    yield from _finding(
        ctx,
        issues,
        f"the coordination server answered but is too old for this client ({_last(issues)}): {why}, so the node "
        "can never register or get its map.",
        "Upgrade the control server: Headscale to a current release (one that speaks the Noise protocol; "
        "follow its upgrade notes version by version), or point `tailscale up --login-server=` at a current "
        "server. Only as a stopgap, run a client old enough for that server."
        if no_noise_key
        else "Fix the version pairing: upgrade the control server (Headscale v0.20 or later, which speaks the "
        "Noise protocol; follow its upgrade notes version by version), or run a client that speaks Noise (1.30 or "
        "later) against a server that does too; `tailscale up --login-server=` a current server also works.",
    )


# the reason a rebind gave for closing a DERP connection (daemonlog events: _REBIND_CLOSURE)
_REBIND_REASON = re.compile(r"\((rebind[\w-]*)\), age ")
# the PeerAPI's Funnel ingress endpoint refusing the relay (daemonlog events: _PEERAPI_INGRESS_REFUSED)
_PEERAPI_INGRESS = "peerapi: ingress: "


@rule(
    id="TS-LOG-PEERAPI-REQUEST-REJECTED",
    name="log-peerapi-request-rejected",
    family="tailscale-daemon-log",
    severity=Severity.WARNING,
    summary="the node's PeerAPI refuses a peer's requests (Taildrop, peer DNS, Taildrive from it fail)",
    target="daemon-log",
)
def peerapi_request_rejected(log: DaemonLogReport, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: ``peerapi: invalid request from <peer>: <why>`` is the node's PeerAPI (ipn/ipnlocal/peerapi.go)
    answering a peer ``403 invalid peerapi request``: the address the peer dialled is not one of this node's
    own (``100.64.0.1/32 not found in self addresses``: a masquerade address this node has for that peer, as a
    shared-in node's, on a client older than v1.40), or the request came with a browser's ``Referer`` or
    ``Origin``. The listener works (not ``peerapi.Accept``): only that peer's Taildrop sends, peer DNS
    through this node and Taildrive fail. ``peerapi: ingress: denied; no ingress cap from <relay>`` is the
    Funnel endpoint refusing the ingress relay that brings a public visitor (by the packet filter it holds no
    ingress capability toward this node; ``ingress: bad request from …`` is a malformed ingress request): Funnel
    visitors get nothing, the tailnet is not affected.

    *Bad*::

        Apr 19 13:58:15 hydrogen tailscaled[6696]: peerapi: invalid request from 100.101.102.103:58334: 100.64.0.1/32 not found in self addresses

    *Good*::

        peerapi: serving on http://100.110.71.64:42858
    """
    every = log.issues_of("peerapi-request-rejected")
    ingress = tuple(issue for issue in every if issue.message.startswith(_PEERAPI_INGRESS))
    yield from _finding(
        ctx,
        ingress,
        f"the node's PeerAPI refused the Funnel ingress relay that brings public visitors ({_last(ingress)}): every "
        "request to the Funnel URL fails (the visitor sees a TLS error or a reset); tailnet access is not affected.",
        "A relay is let in only when this node's packet filter grants it the ingress capability, which control "
        "adds when the tailnet policy gives this node the `funnel` node attribute (`nodeAttrs` with "
        '`"attr": ["funnel"]`) and Funnel is on (`tailscale funnel status`). Check the policy names this node (its '
        "tag or user), then restart Funnel (`tailscale funnel --bg <port>`) so the node takes the new netmap; if "
        "the grant is there and the refusal stays, report it with `tailscale bugreport`.",
    )
    issues = tuple(issue for issue in every if not issue.message.startswith(_PEERAPI_INGRESS))
    masquerade = any("not found in self addresses" in issue.message for issue in issues)
    yield from _finding(
        ctx,
        issues,
        f"the node's PeerAPI refused a peer's request ({_last(issues)}): Taildrop files, peer DNS and Taildrive "
        "from that peer fail.",
        (
            "The peer reached this node at an address that is not one of its own (a masquerade address of a shared "
            "or shared-in node): update Tailscale on both nodes (v1.40 and later accept the masquerade address), "
            "and check `tailscale status` / `tailscale whois <peer ip>` on each side for the address they use."
            if masquerade
            else "A request with a browser's Referer or Origin header is refused on purpose (a web page trying to "
            "reach the PeerAPI); check which program on the peer sends it (`tailscale whois <peer ip>`)."
        ),
    )


@rule(
    id="TS-LOG-PEERAPI-ACCEPT-FAILED",
    name="log-peerapi-accept-failed",
    family="tailscale-daemon-log",
    severity=Severity.ERROR,
    summary="the node's PeerAPI listener stopped accepting connections (Taildrop to it fails)",
    target="daemon-log",
)
def peerapi_accept_failed(log: DaemonLogReport, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: ``peerapi.Accept: <error>`` is the node's PeerAPI listener (ipn/ipnlocal/peerapi.go) failing to
    accept a connection; on any error but a closed listener it stops serving on that address (one line per
    address: tcp4 and tcp6). Peers reach this node's PeerAPI to send it Taildrop files, to use it as an exit
    node's DNS, and for Taildrive: those fail (the sender sees ``502 Bad Gateway`` or a refused connection). A
    later ``peerapi: serving on …`` (a new listener after a link change or a restart) clears it. A listener that
    never started is the same loss: sandboxed macOS's ``[v1] peerapi listen("<ip>") error: interface index is 0
    on darwin; try restarting tailscaled`` (v1.96+; macOS does not retry on a link change). (One address's
    ``[unexpected] peerapi listen(…) error: …`` is not: IPv6 off, the IPv4 listener serves.)

    *Bad*::

        2022-03-27 01:18:16.8 +0000 UTC: 12.8M/236.5M peerapi.Accept: accept tcp4 100.110.71.64:42858: accept: invalid argument

    *Good*::

        peerapi: serving on http://100.110.71.64:42858
    """
    issues = log.issues_of("peerapi-accept-failed")
    never_listened = all("peerapi listen(" in issue.message for issue in issues)
    yield from _finding(
        ctx,
        issues,
        f"the node's PeerAPI {'could not listen' if never_listened else 'listener stopped accepting connections'} "
        f"({_last(issues)}): peers cannot send it Taildrop files or reach its PeerAPI services (peer DNS, Taildrive) "
        "until it listens again.",
        "Restart Tailscale on this node (turn it off and on in the app, or `sudo systemctl restart tailscaled`) "
        "and check that the log then says `peerapi: serving on …`; if the Accept error comes back, update "
        "Tailscale and report it with `tailscale bugreport` (the error after `accept:` is the OS's).",
    )


@rule(
    id="TS-LOG-EVENTBUS-SUBSCRIBER-STALLED",
    name="log-eventbus-subscriber-stalled",
    family="tailscale-daemon-log",
    severity=Severity.ERROR,
    summary="a subscriber of tailscaled's internal event bus is stuck: tailscaled is wedged",
    target="daemon-log",
)
def eventbus_subscriber_stalled(log: DaemonLogReport, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: tailscaled's subsystems talk over an internal event bus (util/eventbus, v1.90+); while one subscriber
    has not taken the event waiting for it the bus logs ``subscriber for <type> is slow (<elapsed> elapsed)`` every 5
    seconds, the elapsed time counting from that event. A few seconds is a busy handler; a minute or more (here
    hours) is a subscriber that stopped draining its queue: a deadlock or bug inside tailscaled, in the subsystem
    that subscribes to that type. Events published behind it wait too, so health, netmap and status updates stop,
    and LocalAPI callers (``tailscale status``, the GUI, a NAS plugin's page) hang. Nothing but a restart ends it.

    *Bad*::

        2025/11/21 02:40:35 subscriber for health.Change is slow (9h10m44.025677609s elapsed)

    *Good*::

        2025/11/21 02:40:30 magicsock: derp-4 connected; connGen=1
        2025/11/21 02:40:35 subscriber for health.Change is slow (5.000421s elapsed)
    """
    issues = log.issues_of("eventbus-subscriber-stalled")
    types = ", ".join(dict.fromkeys(issue.key for issue in issues))
    yield from _finding(
        ctx,
        issues,
        f"tailscaled is wedged: its internal event bus subscriber for {types} has stopped taking events "
        f"({_last(issues)}), so status and health updates stop and the CLI, GUI or plugin calling it can hang; a "
        "deadlock or bug inside tailscaled, not a network problem.",
        "While it is stuck, run `tailscale bugreport` (or `tailscale debug goroutines` for the stacks) and file a bug "
        "at github.com/tailscale/tailscale/issues with the subscriber type and that ID; then restart tailscaled "
        "(`sudo systemctl restart tailscaled`, or restart the app/plugin) to recover, and update to the latest "
        "release, which may carry the fix.",
    )


# v1.40 (ssh/tailssh 7778d708a, 2023-04) gave the ssh rule its choice on a recorder failure (OnRecordingFailure:
# refuse or close the session, else fail open) and its "(failing open)" lines. The builds before it (recorder streaming
# came 2023-03, v1.39 development builds) had no choice: "error sending recording" / "server responded with" cancelled
# the session, and a session that ended first cut its own upload off ("context canceled").
_RECORDER_CHOICE = (1, 40)


@rule(
    id="TS-LOG-SSH-RECORDING-FAILED",
    name="log-ssh-recording-failed",
    family="tailscale-daemon-log",
    severity=Severity.WARNING,
    summary="a Tailscale SSH session the policy wants recorded was not recorded (or only in part): no recorder took it",
    target="daemon-log",
)
def ssh_recording_failed(log: DaemonLogReport, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: an ``ssh`` rule with ``recorder`` makes Tailscale SSH stream each session to a tsrecorder node
    (ssh/tailssh startNewRecording). When none takes it and the rule does not enforce the recorder, the session runs
    anyway, unrecorded: ``ssh-session(…): recording: error starting recording (failing open): recording: error
    starting recording on "100.64.0.9:80": … connection refused`` (or ``error uploading recording (failing open)``
    mid-session). Nothing fails for the user; the audit trail has a hole. (With ``enforceRecorder: true`` the session
    is refused instead: ``ssh-failed``.) Before v1.40 there was no such choice: the builds that streamed recordings
    then (``recording: error sending recording …``, ``recording: server responded with …``) ended the session on a
    recorder's failure, and a session that ended first lost the rest of its recording; the finding says so when the
    log names such a version, and only that the recording failed when it names none. A later
    ``startNewRecording: <nil>`` or ``recording: finished uploading recording`` clears it.

    *Bad*::

        Apr 04 10:15:00 host tailscaled[700]: ssh-session(sess-20250404T101500-8f3a91c2d4): recording: error starting recording (failing open): recording: error starting recording on "100.64.0.9:80": dial tcp 100.64.0.9:80: connect: connection refused

    *Good*::

        Apr 04 10:15:00 host tailscaled[700]: ssh-session(sess-20250404T101500-8f3a91c2d4): startNewRecording: <nil>
    """
    issues = log.issues_of("ssh-recording-failed")
    if not issues:
        return
    recorder_back = (
        "Bring the recorder back (the tsrecorder node named in the ssh rule's `recorder`: up, reachable from this "
        "node under the tailnet policy, its storage writable)"
    )
    if "(failing open)" in issues[-1].line.text:
        title = (
            f"a Tailscale SSH session ran unrecorded ({_last(issues)}): the policy asks for a recording, no recorder "
            "took it, and the rule fails open."
        )
        fix = f"{recorder_back}; set `enforceRecorder: true` on the rule if sessions must not run unrecorded."
    elif log.version is not None and not release_at_least(log.version, _RECORDER_CHOICE):
        title = (
            f"a Tailscale SSH session's recording failed ({_last(issues)}): v{log.version} has no fail-open or "
            "fail-closed choice (v1.40 added it): the recorder's failure ends the session, and a session that ends "
            "first loses the rest of its recording."
        )
        fix = (
            f"{recorder_back}, and update this node to v1.40 or later, where the rule decides: sessions run "
            "unrecorded when no recorder takes them, or are refused with `enforceRecorder: true`."
        )
    else:
        title = (
            f"a Tailscale SSH session's recording failed ({_last(issues)}): the policy asks for a recording and "
            "the recorder did not take all of it."
        )
        fix = (
            f"{recorder_back}; check `tailscale version`: from v1.40 the rule decides whether a session runs "
            "unrecorded (fail open) or is refused (`enforceRecorder: true`)."
        )
    yield from _finding(ctx, issues, title, fix)


@rule(
    id="TS-LOG-UDP-SEND-BLOCKED",
    name="log-udp-send-blocked",
    family="tailscale-daemon-log",
    severity=Severity.WARNING,
    summary="the host refuses tailscaled's outbound UDP (a firewall OUTPUT rule or security software): no direct paths",
    target="daemon-log",
)
def udp_send_blocked(log: DaemonLogReport, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: the OS answers tailscaled's UDP sends with EPERM (``operation not permitted``; Windows' WSAEACCES
    ``… forbidden by its access permissions``): an OUTPUT rule that drops or rejects UDP (iptables or nftables —
    Linux returns EPERM to the sender) or security software (EDR) holding the socket. magicsock rebinds on it
    (``magicsock: performing rebind due to "operation-not-permitted"``, v1.66 on) and wireguard-go's handshakes fail
    (``Failed to send handshake initiation: write udp4 …: sendmmsg: operation not permitted``). Peers are then
    reached only through DERP relays (slower), or not at all where no relay is allowed. Two or more such lines: one is
    a blip a rebind heals.

    *Bad*::

        Nov 13 02:07:34 host tailscaled[11844]: magicsock: performing rebind due to "operation-not-permitted"
        Nov 13 02:07:41 host tailscaled[11844]: magicsock: performing rebind due to "operation-not-permitted"

    *Good*::

        Nov 13 02:07:34 host tailscaled[11844]: magicsock: performing rebind due to "broken-pipe"
    """
    issues = log.issues_of("udp-send-blocked")
    yield from _finding(
        ctx,
        issues,
        f"the host refuses tailscaled's outbound UDP ({_last(issues)}): direct connections fail, traffic to peers "
        "relays over DERP at best.",
        "Let tailscaled send UDP: on Linux look for an OUTPUT rule that drops or rejects it (`sudo iptables -S OUTPUT`, "
        "`sudo nft list ruleset`, ufw's `default deny outgoing`) and allow UDP from its port (41641 by default) to any "
        "destination; on Windows/macOS allow tailscaled (tailscale-ipn / the Tailscale app) in the endpoint security "
        "or firewall product. `tailscale netcheck` should then show `UDP: true` and pings go direct.",
    )


@rule(
    id="TS-LOG-DNS-FIGHT",
    name="log-dns-fight",
    family="tailscale-daemon-log",
    severity=Severity.WARNING,
    summary="tailscaled and NetworkManager (or another writer) both write /etc/resolv.conf: MagicDNS comes and goes",
    target="daemon-log",
)
def dns_fight(log: DaemonLogReport, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: on Linux tailscaled logs how it chose to manage DNS (net/dns/manager_linux.go ``dnsMode``).
    ``dns: [resolved-ping=yes rc=nm resolved=nss nm-resolved=yes nm-resolved=no ret=direct]`` (v1.52+) means
    NetworkManager owns ``/etc/resolv.conf`` (``rc=nm``) and systemd-resolved runs, but NetworkManager does not hand
    DNS to resolved (``nm-resolved=no``; the first ``nm-resolved=yes`` only says resolv.conf looked like resolved's):
    tailscaled writes ``/etc/resolv.conf`` itself (``ret=direct``) and NetworkManager writes its own back at the
    next change, so MagicDNS names and the tailnet's resolvers work only until then. (``rc=nm resolved=not-in-use
    ret=direct`` is a host without resolved: direct is the only way there, not a fight.) The same fight without
    NetworkManager: ``dns: resolvedIsActuallyResolver error: resolv.conf doesn't point to systemd-resolved; points to
    [127.0.0.53 <others>]`` then ``dns: [resolved-ping=yes rc=resolved resolved=not-in-use ret=direct]`` —
    resolv.conf names resolved's stub and other servers (another program writes it) while resolved runs, so
    tailscaled goes direct and that writer puts its file back (a list without the stub, or resolved not running, a
    container's copy of its host's file, is not this fight).

    *Bad*::

        Jul 18 13:42:28 t480 tailscaled[10663]: dns: [resolved-ping=yes rc=nm resolved=nss nm-resolved=yes nm-resolved=no ret=direct]

    *Good*::

        Jul 18 13:42:28 t480 tailscaled[10663]: dns: [rc=nm resolved=not-in-use ret=direct]
    """
    every = log.issues_of("dns-fight")
    written_beside = tuple(issue for issue in every if issue.key == "resolv-conf")
    yield from _finding(
        ctx,
        written_beside,
        f"/etc/resolv.conf looks like systemd-resolved's but lists other nameservers beside its stub 127.0.0.53 "
        f"({_last(written_beside)}): something else (dhclient, a DHCP hook, a static file) writes it, so tailscaled "
        "does not hand DNS to resolved and overwrites resolv.conf itself, the other writer puts its own back, and "
        "resolved, if it still forwards to 100.100.100.100 from an earlier run, loops back into MagicDNS.",
        "Make /etc/resolv.conf resolved's stub only (`sudo ln -sf /run/systemd/resolve/stub-resolv.conf "
        "/etc/resolv.conf`) and stop the other writer (dhclient's resolv.conf hook, a static file, resolvconf); "
        "then restart tailscaled, which logs `ret=systemd-resolved`. See https://tailscale.com/s/dns-fight.",
    )
    issues = tuple(issue for issue in every if issue.key != "resolv-conf")
    yield from _finding(
        ctx,
        issues,
        f"NetworkManager owns /etc/resolv.conf and systemd-resolved runs, but NetworkManager does not use resolved, "
        f"so tailscaled overwrites NetworkManager's resolv.conf directly ({_last(issues)}): NetworkManager writes "
        "it back at its next change, and MagicDNS names and the tailnet's resolvers stop working until tailscaled "
        "rewrites it.",
        "Let systemd-resolved own DNS: set `dns=systemd-resolved` in NetworkManager's [main] section (a file in "
        "/etc/NetworkManager/conf.d/), or `rc-manager=unmanaged` so it stops writing resolv.conf, and point "
        "/etc/resolv.conf at resolved's stub (`sudo ln -sf /run/systemd/resolve/stub-resolv.conf /etc/resolv.conf`); "
        "then restart NetworkManager and tailscaled, which logs `ret=systemd-resolved`. See "
        "https://tailscale.com/s/dns-fight.",
    )


@rule(
    id="TS-LOG-DISCO-ROUTING-LOOP",
    name="log-disco-routing-loop",
    family="tailscale-daemon-log",
    severity=Severity.ERROR,
    summary="tailscaled's own path-discovery packets come back through the tunnel: a routing loop cuts peers off",
    target="daemon-log",
)
def disco_routing_loop(log: DaemonLogReport, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: ``tstun: [unexpected] received self disco out packet over tstun; dropping`` (net/tstun/wrap.go,
    v1.14+; ``… self disco in packet …`` the other way) is tailscaled finding a disco packet of its own (magicsock's
    path discovery, meant for peers' real endpoints over the LAN or the internet) inside the Tailscale interface.
    The OS routes tailscaled's underlay traffic into the tunnel: a default route through an exit node, or a subnet
    route that covers the peers' public or LAN endpoints. The filter drops the looped packets, so neither path
    discovery nor WireGuard to the peers gets out: peers, the exit node included, cannot be reached while it lasts.

    *Bad*::

        2021/11/05 20:37:47 tstun: [unexpected] received self disco out packet over tstun; dropping

    *Good*::

        2021/11/05 20:37:47 magicsock: disco: node [xI8Q9] d:9a4c6e6a5c4d9a2f now using 192.168.1.20:41641
    """
    issues = log.issues_of("disco-routing-loop")
    yield from _finding(
        ctx,
        issues,
        f"tailscaled's own path-discovery packets come back through the Tailscale interface ({_last(issues)}): a "
        "route sends its underlay traffic into the tunnel, a loop that is dropped, so peers (the exit node "
        "included) cannot be reached while it lasts.",
        "Look at the routing table while it happens (`route print` on Windows, `ip route show table all` / "
        "`ip rule` on Linux, `netstat -rn` on macOS) for the route that captures the traffic to peers' endpoints "
        "and DERP: the exit node's default route, or a subnet route (`--accept-routes`) covering the LAN or the "
        "peers' public addresses; turn that exit node or route off to confirm (`tailscale set --exit-node=` / "
        "`--accept-routes=false`). Upgrade Tailscale: old builds (Windows 7's exit-node support, issue #3260) "
        "failed to keep their own traffic out of the tunnel.",
    )


@rule(
    id="TS-LOG-REBIND-CHURN",
    name="log-rebind-churn",
    family="tailscale-daemon-log",
    severity=Severity.WARNING,
    summary="magicsock rebinds in a loop and drops its DERP connections each time: traffic stalls",
    target="daemon-log",
)
def rebind_churn(log: DaemonLogReport, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: magicsock rebinds its sockets when it thinks they broke and closes the DERP connections whose local
    address is no longer right (wgengine/magicsock). ``magicsock: last netcheck reported send error. Rebinding.``
    means netcheck's sends failed and the socket is judged broken: on an IPv6-only or link-local-IPv4 host (EKS
    pods, Cloud Run) IPv4 never becomes sendable and every netcheck rebinds again (a Tailscale bug, PR #20722).
    ``magicsock: closing connection to derp-16 (rebind-no-localaddr), age 0s`` is a DERP connection made for a
    peer's traffic and dropped by a rebind at once: the first connection after idle stalls or fails. Three or more
    such closures in one log are the same loop; one closure after a link change (age 2 s or more) is routine.

    *Bad*::

        13:06:13 magicsock: closing connection to derp-16 (rebind-no-localaddr), age 0s

    *Good*::

        13:06:13 magicsock: closing connection to derp-16 (rebind-default-route-change), age 23s
    """
    issues = log.issues_of("rebind-churn")
    regions = sorted({issue.key for issue in issues if issue.key.isdigit()}, key=int)
    reasons = sorted({reason.group(1) for issue in issues if (reason := _REBIND_REASON.search(issue.message))})
    send_error = any(issue.key == "send-error" for issue in issues)
    dropped = (
        f"drops its DERP connection{'s' if len(regions) > 1 else ''} to "
        + ", ".join(f"derp-{region}" for region in regions)
        + (f" ({', '.join(reasons)})" if reasons else "")
        if regions
        else "drops its DERP connections each time"
    )
    yield from _finding(
        ctx,
        issues,
        ("netcheck's sends fail and magicsock rebinds after each netcheck" if send_error else "magicsock rebinds")
        + f" and {dropped} ({_last(issues)}): connections through Tailscale stall or fail each time (the first "
        "after idle most), then DERP comes back.",
        "On an IPv6-only host or one with only link-local IPv4 (an EKS pod, Cloud Run, ipvlan) this is a Tailscale "
        "bug, fixed by PR #20722: upgrade tailscaled. Otherwise look for what changes the host's network every few "
        "seconds: an interface flapping (Wi-Fi roaming, a VPN or container network coming and going: `ip monitor "
        "link address route`, tailscaled's `LinkChange` lines), or outbound UDP that fails (`tailscale netcheck`).",
    )


_DERP_SERVER_FIXES = {
    "verify-clients": "derper runs with --verify-clients (or --verify-client-url) and refuses these nodes: the "
    "tailscaled beside it must be running, logged in to the SAME control server and tailnet as the nodes that use "
    "this relay (a Headscale tailnet needs the derper host joined to Headscale, not to Tailscale's control), and "
    "as new as derper (`tailscale version` vs `derper --version`); check with `tailscale status` on the derper host "
    "that the refused node is listed, or drop --verify-clients",
    "certificate": "derper has no valid TLS certificate for the name the nodes ask for: with --certmode=letsencrypt "
    "the --hostname must resolve to this host and ports 80 and 443 must be reachable from the internet for the ACME "
    "challenge (and Let's Encrypt's rate limits respected: wait, or reuse the --certdir that holds the last cert); "
    "with --certmode=manual put <hostname>.crt/.key in --certdir and make the DERP map's HostName (or CertName) "
    "the certificate's name",
    "start": "derper exited at start: fix what its last line names (the --certdir files for --certmode=manual, the "
    "-c config file it can create and write, a free --a listen port and STUN port 3478/udp, a 64-hex-digit mesh key, "
    "a readable rate config) and start it again; until it runs, nodes whose DERP map names it get no relay there",
}


@rule(
    id="TS-LOG-DERP-SERVER-FAILED",
    name="log-derp-server-failed",
    family="tailscale-daemon-log",
    severity=Severity.ERROR,
    summary="a self-hosted DERP relay (derper) refuses clients, has no TLS certificate, or exits at start",
    target="daemon-log",
)
def derp_server_failed(log: DaemonLogReport, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: derper, the DERP relay people run for their own DERP map (custom regions, Headscale), logs its own
    failures (cmd/derper, derp/derpserver): a client refused under ``--verify-clients`` (``derp: <addr>: client
    nodekey:… rejected: peer … not authorized (not found in local tailscaled)``: the node is not in the tailnet of the
    tailscaled running beside derper, or that tailscaled does not answer), a TLS handshake failing for want of a
    certificate (acme/autocert ``unable to authorize``, an ACME ``urn:ietf:params:acme:error:…``, manual mode's
    ``cert mismatch with hostname``), or a fatal exit at start (``derper: can not start cert provider: …``, a listen
    port in use, a mesh key). Each leaves the nodes that use that region without a relay: their own logs show the
    region as ``derp-unreachable``. Scanners' handshakes (``missing server name``, ``not configured in
    HostWhitelist``) are routine.

    *Bad*::

        2024/06/20 09:12:44 derp: 100.64.0.5:40212: client nodekey:3f0b9a1c rejected: peer nodekey:3f0b9a1c not authorized (not found in local tailscaled)

    *Good*::

        2024/06/20 09:12:40 derper: serving on :443 with TLS
        2024/06/20 09:12:52 magicsock: derp-900 connected; connGen=1
    """
    for key, fix in _DERP_SERVER_FIXES.items():
        issues = tuple(issue for issue in log.issues_of("derp-server-failed") if issue.key == key)
        yield from _finding(
            ctx,
            issues,
            f"the self-hosted DERP relay (derper) fails its clients ({_last(issues)}).",
            fix + ".",
        )


# Tailscale's web interface (client/web ListenPort): tailscaled serves it itself when `--webclient` is on.
_WEB_CLIENT_PORT = "5252"
# netstack's loopback fallback for a port no serve handler takes (daemonlog events: _LOCAL_TARGET, old wording too)
_NETSTACK_LOOPBACK = "netstack: could not connect to local"


def _ports(issues: tuple[LogIssue, ...]) -> list[str]:
    """The ports these issues name, in numeric order."""
    return sorted({issue.key for issue in issues}, key=lambda port: int(port) if port.isdigit() else 0)


# Let's Encrypt's answer to an order over its limits (RFC 8555 error type "rateLimited", HTTP 429, with "too many
# certificates (N) already issued for this exact set of domains in the last 168 hours" / "…identifiers…").
_ACME_RATE_LIMITED = re.compile(r"acme:error:rateLimited|\b429\b.*\btoo many (?:certificates|new orders)")


@rule(
    id="TS-LOG-CERT-FAILED",
    name="log-cert-failed",
    family="tailscale-daemon-log",
    severity=Severity.ERROR,
    summary="tailscaled cannot get or renew the node's HTTPS certificate",
    target="daemon-log",
)
def cert_failed(log: DaemonLogReport, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: ``cert("<name>.ts.net"): async renewal failed: getCertPem: …`` (a renewal in the background),
    ``getCertPEM: …`` (a fetch) or ``acme: WaitOrder error: …`` is tailscaled failing to have the node's
    certificate issued by Let's Encrypt (ACME) for ``tailscale cert``, Serve or Funnel. The ACME server's answer
    says why: ``409 … alreadyReplaced`` (an earlier renewal order already replaced that certificate, so every new
    order naming it is refused), ``429 … rateLimited``, a SetDNS (DNS-01 TXT record) failure. Until it succeeds
    the certificate is not (re)issued, and HTTPS to the node fails once the current one expires. A later
    ``got cert`` for the name clears it.

    *Bad*::

        cert("homeassistant.tail95810e.ts.net"): async renewal failed: getCertPem: 409 urn:ietf:params:acme:error:alreadyReplaced: …

    *Good*::

        cert("homeassistant.tail95810e.ts.net"): got cert
    """
    every = log.issues_of("cert-failed")
    limited = tuple(issue for issue in every if _ACME_RATE_LIMITED.search(issue.message) is not None)
    names = ", ".join(dict.fromkeys(issue.key for issue in limited))
    yield from _finding(
        ctx,
        limited,
        f"Let's Encrypt refuses a new HTTPS certificate for {names}: its rate limit for that name is reached "
        f"({_last(limited)}); `tailscale cert`, Serve and Funnel get no certificate until the window passes.",
        "Wait out the window the error names (5 certificates per exact set of names in 168 hours, so up to a "
        "week) and stop asking again meanwhile; then keep tailscaled's state, with its `certs/` directory, across "
        "restarts (a persistent --statedir/TS_STATE_DIR volume for containers and ephemeral nodes, not "
        "mem: state), so a node re-created under the same name reuses its certificate instead of ordering a new one.",
    )
    issues = tuple(issue for issue in every if issue not in limited)
    names = ", ".join(dict.fromkeys(issue.key for issue in issues))
    yield from _finding(
        ctx,
        issues,
        f"tailscaled cannot get or renew the HTTPS certificate of {names} ({_last(issues)}): HTTPS to the node "
        "(Serve, Funnel, `tailscale cert`) breaks once the current certificate expires.",
        "Read the ACME error in the line: for `409 … alreadyReplaced` the order names (ARI 'replaces') a "
        "certificate already replaced: remove the cached `<name>.crt`/`.key` (tailscaled's state dir `certs/`, "
        "e.g. /var/lib/tailscale/certs) and restart tailscaled, or run it once with "
        "`TS_DEBUG_ACME_FORCE_RENEWAL=true`, so the next order carries no 'replaces' hint; for `429 "
        "rateLimited` wait out Let's Encrypt's limit; check that HTTPS certificates are enabled for the tailnet "
        "(admin console, DNS page) and run `tailscale cert <name>` to see the error at once.",
    )


@rule(
    id="TS-LOG-SSH-FAILED",
    name="log-ssh-failed",
    family="tailscale-daemon-log",
    severity=Severity.ERROR,
    summary="this node's Tailscale SSH server refused an SSH connection",
    target="daemon-log",
)
def ssh_failed(log: DaemonLogReport, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: Tailscale SSH (``tailscale set --ssh``) answers port 22 on the node's tailnet addresses and checks
    every connection against the ``ssh`` rules of the tailnet policy. Its connection lines (``ssh-conn-<stamp>-<id>:
    …``) say when it refuses one: no rule lets that user or device in (``failed to evaluate SSH policy: tailssh:
    rejecting connection; no matching policy``, older ``rejecting SSH public key …: ssh: access denied: …``, newer
    ``tailnet policy does not permit you to SSH to this node: …``), or the local user the rule maps to does not
    exist on this node (``failed to look up local user "bob" : user: unknown user bob``). The client only sees the
    connection closed or ``Permission denied (tailscale)``. A session the policy granted can still fail to start
    on the node (``ssh-session(…): start failed: fork/exec /usr/sbin/tailscaled: permission denied``: the ``be-child``
    process cannot run as that user), or tailscaled, not running as root, cannot switch to the mapped user at all
    (``ssh-session(…): can't switch to user "alice" from process euid 1000``), or the session's process ends with an
    error within a second of ``starting pty command: […be-child ssh…]`` (``Wait: code=1``: the incubator or
    ``login`` could not switch user; the same code after minutes is the user's shell exiting). A later ``access granted to … as
    ssh-user …`` clears it. Tailscale SSH also looks disabled when tailscaled cannot read or create its host keys
    (``warning: unable to get SSH host keys, SSH will appear as disabled for this node: …``, v1.60+): the node
    advertises none.

    *Bad*::

        Nov 13 02:07:34 host tailscaled[11844]: ssh-conn-20250404T101500-8f3a91c2d4: failed to evaluate SSH policy: tailssh: rejecting connection; no matching policy

    *Good*::

        Nov 13 02:07:34 host tailscaled[11844]: ssh-session(sess-20250404T101500-8f3a91c2d4): access granted to alice@example.com as ssh-user "alice"
    """
    recording = tuple(issue for issue in log.issues_of("ssh-failed") if issue.key == "recording")
    yield from _finding(
        ctx,
        recording,
        f"this node's Tailscale SSH server refused or closed a session it must record ({_last(recording)}): the "
        "tailnet policy's ssh rule wants a recording (`recorder`, fail closed) and no recorder took it.",
        "Make the recorder reachable from this node (the tsrecorder node named in the rule's `recorder` must be up, on "
        "the tailnet, allowed by the policy to be reached from this node, and its storage writable), or set "
        "`enforceRecorder: false` on the rule to let sessions run unrecorded when it is down.",
    )
    session = tuple(issue for issue in log.issues_of("ssh-failed") if issue.key == "session")
    yield from _finding(
        ctx,
        session,
        "the tailnet policy let the SSH user in, but this node could not start the session's process "
        f"({_last(session)}): tailscaled runs `tailscaled be-child ssh` as the local user, and the OS refused it.",
        "Check on this node that the local user can run the session: its home directory exists and is enterable "
        "(`sudo -u USER ls ~USER`; a mode like drwxr-s--- owned by another group blocks it), its shell exists, and "
        "`/usr/sbin/tailscaled` (and its directory) is executable by it (no `noexec` mount); with SELinux enforcing "
        "check `ausearch -m avc -ts recent` for tailscaled denials. Then reconnect; `tailscale set --ssh=false` "
        "and the system sshd is the fallback.",
    )
    not_root = tuple(issue for issue in log.issues_of("ssh-failed") if issue.key == "not-root")
    yield from _finding(
        ctx,
        not_root,
        "the tailnet policy let the SSH user in, but tailscaled does not run as root and cannot start a session as "
        f"another local user ({_last(not_root)}): the client sees `can't switch user` and exit 255.",
        "Run tailscaled as root (the system service: `sudo systemctl enable --now tailscaled`, not a `tailscaled` "
        "started by a user or with --tun=userspace-networking as one), or connect as the local user tailscaled runs "
        "as (the `users` of the policy's ssh rule).",
    )
    at_once = tuple(issue for issue in log.issues_of("ssh-failed") if issue.key == "exited-at-once")
    yield from _finding(
        ctx,
        at_once,
        "the tailnet policy let the SSH user in and the session's process started, but it ended with an error "
        f"within a second ({_last(at_once)}): the `tailscaled be-child ssh` incubator (or the `login` it runs) "
        "could not switch to the local user, so the client's session closes at once.",
        "Run tailscaled as root (the system service); in a container, run it as root with the capabilities to "
        "change user (SETUID, SETGID, and AUDIT_WRITE for `login`), or connect as the user tailscaled runs as. "
        "Running `tailscaled be-child ssh …` from the log by hand shows the error; `tailscale set --ssh=false` and "
        "the system sshd are the fallback.",
    )
    host_keys = tuple(issue for issue in log.issues_of("ssh-failed") if issue.key == "host-keys")
    yield from _finding(
        ctx,
        host_keys,
        f"tailscaled cannot read or create Tailscale SSH's host keys ({_last(host_keys)}), so this node advertises "
        "none: peers, `tailscale ssh` and the admin console treat its Tailscale SSH as disabled.",
        "Give tailscaled a writable state directory (`--statedir=/var/lib/tailscale`, not `--state=mem:`; the keys live "
        "in `<statedir>/ssh/`), make `<statedir>/ssh` writable by tailscaled (owned by root, mode 0700) and remove a "
        "key file there it cannot parse (`ssh_host_*_key`: a new one is generated), then restart tailscaled; "
        "`tailscale status --json | grep -A3 SSH_HostKeys` shows the keys once they are advertised.",
    )
    issues = tuple(
        issue
        for issue in log.issues_of("ssh-failed")
        if issue.key not in ("recording", "session", "not-root", "host-keys", "exited-at-once")
    )
    yield from _finding(
        ctx,
        issues,
        f"this node's Tailscale SSH server refused a connection ({_last(issues)}).",
        "Add or fix the `ssh` rule of the tailnet policy (admin console, Access controls) so that it lets the "
        "caller's user or tag in as that local user, from that source, to this node's tag or owner (`action: "
        "accept` or `check`), and test it with the policy's `sshTests`; if the line names a local user that does "
        "not exist, create it on this node or connect as one that exists (`ssh existing-user@node`); a user from "
        "LDAP/sssd must resolve with `getent passwd USER` on this node.",
    )


@rule(
    id="TS-LOG-BIRD-FAILED",
    name="log-bird-failed",
    family="tailscale-daemon-log",
    severity=Severity.ERROR,
    summary="tailscaled cannot reach or drive BIRD: the HA subnet router failover is not announced",
    target="daemon-log",
)
def bird_failed(log: DaemonLogReport, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: with ``--bird-socket`` (the BGP/OSPF subnet router pair of https://tailscale.com/kb/1298/subnet-bgp)
    tailscaled enables BIRD's ``tailscale`` protocol while this node is the primary subnet router and disables it
    otherwise, over BIRD's control socket. At start it cannot reach BIRD (``failed to connect to BIRD: dial unix
    /run/bird/bird.ctl: …``: BIRD not running, another socket path, no permission) or BIRD refuses the first
    ``disable`` (``failed to disable tailscale: 8003 No protocols match``: bird.conf defines no protocol named
    ``tailscale``): the engine is not created and tailscaled exits. At run time ``wgengine: error configuring BIRD:
    …`` is a failover BIRD never heard of: the route stays announced by the wrong router, or by none (LAN hosts lose
    the tailnet). The next ``wgengine: Reconfig: configuring BIRD`` that logs no error clears it.

    *Bad*::

        2025/10/06 09:12:44 wgengine: Reconfig: configuring BIRD
        2025/10/06 09:12:44 wgengine: error configuring BIRD: failed to enable tailscale: 8003 No protocols match

    *Good*::

        2025/10/06 09:12:44 wgengine: error configuring BIRD: write unix @->/run/bird/bird.ctl: write: broken pipe
        2025/10/06 09:13:02 wgengine: Reconfig: configuring BIRD
    """
    issues = log.issues_of("bird-failed")
    keys = {issue.key for issue in issues}
    cause = (
        "BIRD has no protocol named `tailscale` (reply 8003 `No protocols match`)"
        if "protocol" in keys
        else "BIRD's control socket does not answer (BIRD not running, another socket path, or no permission)"
        if "connect" in keys
        else "BIRD did not take the change"
    )
    yield from _finding(
        ctx,
        issues,
        f"tailscaled could not switch BIRD's `tailscale` protocol ({_last(issues)}): {cause}; the subnet route is not "
        "announced by the router control made primary, so LAN hosts may send tailnet traffic to the wrong router or "
        "lose it" + (" (tailscaled exits at start on it)." if "connect" in keys or "protocol" in keys else "."),
        "Start BIRD before tailscaled (`systemctl enable --now bird`; in the tailscaled unit `After=bird.service`), "
        "pass the socket BIRD really listens on (`--bird-socket=/run/bird/bird.ctl`; `birdc -s <path> show status` "
        "must answer as the user tailscaled runs as), and define the protocol it toggles in bird.conf (`protocol "
        "static tailscale { … }` exporting the subnet route, see https://tailscale.com/kb/1298/subnet-bgp); then "
        "`birdc show protocols` lists `tailscale` up on the primary router only.",
    )


@rule(
    id="TS-LOG-DRIVE-FAILED",
    name="log-drive-failed",
    family="tailscale-daemon-log",
    severity=Severity.WARNING,
    summary="tailscaled's Taildrive file server for a local user keeps exiting: those shares answer nothing",
    target="daemon-log",
)
def drive_failed(log: DaemonLogReport, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: a Taildrive share served as a local user (``tailscale drive share`` with ``as``) runs in ``tailscaled
    serve-taildrive`` started as that user with ``sudo -n -u`` or ``su``. When it exits tailscaled logs ``user
    server <tailscaled> stopped with error <err>, will try again in <d>`` and starts it again, waiting 2^n ms for the
    n-th exit in a row: a wait of 4ms or more (or two exits) is a server that keeps dying, and peers get nothing
    from those shares. ``"root" is root``: tailscaled runs as root but could neither sudo nor su to the share's user,
    and Taildrive never serves files as root; before each start v1.78+ says why su failed (``can't find su command:
    exec: "su": executable file not found in $PATH``, ``su check failed: …``), which alone is the same failure. ``signal:
    killed`` is tailscaled stopping it (a share change, a shutdown).

    *Bad*::

        2024/06/01 12:00:00 user server /usr/sbin/tailscaled stopped with error exit status 1, will try again in 16ms

    *Good*::

        2024/06/01 11:59:58 Switching ipn state Starting -> Running (WantRunning=true, nm=true)
        2024/06/01 12:00:00 user server /usr/sbin/tailscaled stopped with error signal: killed, will try again in 2ms
    """
    issues = log.issues_of("drive-failed")
    as_root = any(issue.key in ("as-root", "su") for issue in issues)
    yield from _finding(
        ctx,
        issues,
        f"tailscaled's Taildrive file server keeps exiting ({_last(issues)})"
        + (
            ": it must run as the share's local user and tailscaled, running as root, can neither `sudo -n -u` nor "
            "`su` to that user, so it refuses to serve the files as root and this node's shares answer nothing."
            if as_root
            else "; the shares served as that local user answer nothing to peers."
        ),
        "Make sure the share's user exists and that root can start a command as it without a password (`sudo -n -u "
        "USER /usr/sbin/tailscaled -h` must succeed; or install `su`), that the user can read the shared folder, "
        "and that the user's shell is not `nologin` when su is used; `tailscale drive list` shows each share's "
        "`as` user. Run the line `tailscaled serve-taildrive NAME PATH` as that user to see its own error.",
    )


@rule(
    id="TS-LOG-WG-SOURCE-NOT-ALLOWED",
    name="log-wg-source-not-allowed",
    family="tailscale-daemon-log",
    severity=Severity.WARNING,
    summary="WireGuard drops a peer's packets from a source address that peer does not own",
    target="daemon-log",
)
def wg_source_not_allowed(log: DaemonLogReport, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: wireguard-go accepts a decrypted packet from a peer only when its inner source address is one of that
    peer's allowed IPs: its Tailscale addresses and the subnet routes approved for it. Anything else is dropped with
    ``wg: [v2] IPv4 packet with disallowed source address from [c7sCF]`` (or ``IPv6 …``; ``peer(c7sC…bF0w)`` when
    tailscaled's log rewrite does not know the key). The peer forwards traffic from an address it does not own: a
    LAN, jail, VM or container address leaving it without being masqueraded to its Tailscale IP (subnet routers
    with ``--snat-subnet-routes=false``, FreeBSD and userspace networking, which cannot SNAT), or a subnet route
    that is not advertised, not approved, or not accepted by this node (``--accept-routes`` off: Linux's default).
    Not the ACL filter (that is ``Drop: …``): no policy change helps.

    *Bad*::

        Oct 03 10:12:44 jail1 tailscaled[8123]: wg: [v2] IPv4 packet with disallowed source address from [c7sCF]

    *Good*::

        Oct 03 10:12:44 jail1 tailscaled[8123]: wg: [v2] [c7sCF] - Received handshake initiation
    """
    issues = log.issues_of("wg-source-not-allowed")
    peers = ", ".join(dict.fromkeys(f"[{issue.key}]" for issue in issues))
    yield from _finding(
        ctx,
        issues,
        f"WireGuard drops packets from peer {peers} whose source address is not one of that peer's allowed IPs "
        f"({_last(issues)}): the peer forwards traffic from an address it does not own (a LAN, jail or container "
        "address not masqueraded to its Tailscale IP, or a subnet route not approved for it), and all of it is lost.",
        "On the sending node, either advertise the source range as a subnet route (`tailscale set "
        "--advertise-routes=192.168.1.0/24`) and approve it in the admin console (Machines → the node → Edit route "
        "settings) and let this receiving node accept routes (`tailscale set --accept-routes`, off by default on Linux: "
        "a route it does not accept is not among the peer's allowed IPs), or have the sender masquerade it to its own "
        "Tailscale IP (`--snat-subnet-routes=true`, the default on Linux; a jail or container behind FreeBSD or "
        "userspace networking needs its own tailscaled or a NAT rule on the host). An ACL change does not help: "
        "the packets never reach the filter.",
    )


@rule(
    id="TS-LOG-TAILDROP-FAILED",
    name="log-taildrop-failed",
    family="tailscale-daemon-log",
    severity=Severity.WARNING,
    summary="this node cannot store files sent to it with Taildrop",
    target="daemon-log",
)
def taildrop_failed(log: DaemonLogReport, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: a file sent with Taildrop (``tailscale file cp``, the share sheet) is written by the receiving
    tailscaled into its Taildrop directory (``<statedir>/files``, a NAS's ``Taildrop`` share, the app's folder) as
    ``<name>.partial`` and renamed into place. ``put Create error: …`` / ``put Close error: …`` / ``put Rename error:
    …`` (v1.8-v1.50 ``peerapi: put Create error``, ``put final rename``; v1.82+ behind ``taildrop:``, paths shown as
    ``redacted.<hash>``) are this node's disk refusing the file (permissions, a read-only or full file system, a
    share the service user cannot write): the sender sees the transfer fail. ``taildrop: cannot create FileOps: …``
    disables receiving altogether. ``put Copy error`` is the sender stopping (routine, it resumes) unless the write
    itself failed (``no space left on device``). A later ``got put of …`` (a file received) clears it.

    *Bad*::

        2025/03/14 18:22:05 taildrop: put Create error: open redacted.5f2a09c1: permission denied

    *Good*::

        2025/03/14 18:22:03 Switching ipn state Starting -> Running (WantRunning=true, nm=true)
        2025/03/14 18:22:05 taildrop: put Copy error: unexpected EOF
    """
    issues = log.issues_of("taildrop-failed")
    disabled = any(issue.key == "disabled" for issue in issues)
    yield from _finding(
        ctx,
        issues,
        f"this node cannot store files sent to it with Taildrop ({_last(issues)})"
        + (
            ": tailscaled could not open its Taildrop directory, so receiving is off."
            if disabled
            else ": the transfer fails on the receiving side, the sender sees it fail."
        ),
        "Make the Taildrop directory writable by tailscaled (Linux: `<statedir>/files`, e.g. `sudo ls -ld "
        "/var/lib/tailscale/files`, owned by root; a NAS: the `Taildrop` shared folder, with read/write for the "
        "Tailscale package's user), free disk space or remount read-write (`df -h`, `mount | grep ' ro,'`), then "
        "restart tailscaled and send again; the sender can check with `tailscale file cp FILE PEER:`.",
    )


@rule(
    id="TS-LOG-PEER-RELAY-FAILED",
    name="log-peer-relay-failed",
    family="tailscale-daemon-log",
    severity=Severity.WARNING,
    summary="this node's peer relay server cannot start or serve: peers fall back to DERP",
    target="daemon-log",
)
def peer_relay_failed(log: DaemonLogReport, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: ``tailscale set --relay-server-port=N`` (v1.86+) makes this node a peer relay: peers that cannot reach
    each other directly meet through its UDP port instead of DERP. Its lines say when it cannot: ``relayserver:
    error initializing server: listen udp4 :40000: bind: address already in use`` (the port is taken, or refused),
    ``error allocating endpoint: VNI pool exhausted`` (a session refused), ``error reading from socket(…): …`` (a
    socket's relay loop ended). Peers then use DERP (slower, rate-limited). ``server closed`` and a closed
    connection are a shutdown. A later ``relayserver: listening on udp4:N`` or ``allocated endpoint`` clears it.

    *Bad*::

        2025/09/02 08:00:01 relayserver: error initializing server: listen udp4 :40000: bind: address already in use

    *Good*::

        2025/09/02 08:00:00 Switching ipn state Starting -> Running (WantRunning=true, nm=true)
        2025/09/02 08:00:01 relayserver: error allocating endpoint: server closed
    """
    issues = log.issues_of("peer-relay-failed")
    keys = {issue.key for issue in issues}
    cause = (
        "its UDP port is already taken"
        if "port" in keys
        else "its UDP port could not be bound"
        if "start" in keys
        else "a socket's relay loop stopped"
        if "read" in keys
        else "it refused to set up relay sessions"
    )
    yield from _finding(
        ctx,
        issues,
        f"this node's peer relay server does not work ({_last(issues)}): {cause}; peers that would meet through it "
        "use DERP instead (slower, rate-limited).",
        "Pick a free UDP port for the relay (`ss -ulpn 'sport = :PORT'` shows the owner; `tailscale set "
        "--relay-server-port=40000`, or `--relay-server-port=` to turn the relay off), allow it in the host and cloud "
        "firewall, and restart tailscaled if the relay stopped on its own; `tailscale debug peer-relay-sessions` "
        "shows the port and sessions once it runs.",
    )


@rule(
    id="TS-LOG-APP-CONNECTOR-FAILED",
    name="log-app-connector-failed",
    family="tailscale-daemon-log",
    severity=Severity.WARNING,
    summary="this app connector cannot advertise the routes of its domains: clients reach the app without it",
    target="daemon-log",
)
def app_connector_failed(log: DaemonLogReport, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: an app connector learns the addresses of its domains from the DNS answers it forwards and advertises
    each as a route by editing its own prefs (``advertising new app connector routes: […]``). When that edit fails
    (``appc: failed to advertise routes: [140.82.112.3/32]: <error>``, v1.60+; ``error advertising stored app
    connector routes: …`` for the routes it stored) the tailnet never learns the route: clients send that traffic
    straight out of their own network, and an app that allow-lists the connector's egress address refuses them. A
    failed removal (``failed to unadvertise routes``) leaves stale routes through the connector. The edit fails as a
    ``tailscale set --advertise-routes`` would: prefs locked by a config file (``--config``, the Kubernetes
    operator's Connector), a system policy, or a state store that cannot be written. A later batch advertised
    without an error clears it.

    *Bad*::

        2025/09/02 08:00:01 appc: failed to advertise routes: [140.82.112.3/32]: can't reconfigure tailscaled when using a config file; config file is locked

    *Good*::

        2025/09/02 08:00:01 appc: failed to advertise routes: [140.82.112.3/32]: managed by policy
        2025/09/02 08:05:12 advertising new app connector routes: [140.82.112.4/32]
    """
    issues = log.issues_of("app-connector-failed")
    messages = " ".join(issue.message for issue in issues)
    cause = (
        "its prefs are locked by a config file"
        if "config file is locked" in messages
        else "a system policy manages its prefs"
        if "managed by policy" in messages
        else "stale routes stay advertised through it"
        if all(issue.key == "unadvertise" for issue in issues)
        else "its prefs could not be changed"
    )
    yield from _finding(
        ctx,
        issues,
        f"this app connector could not update the routes of its domains ({_last(issues)}): {cause}; clients reach "
        "those addresses without the connector (an app that allow-lists its egress address refuses them).",
        "Let tailscaled edit its advertised routes: drop `AdvertiseRoutes` from the `--config` file (or the "
        "Connector's spec) and restart, lift the system policy that fixes the routes, or make the state directory "
        "writable; `tailscale appc-routes` and `tailscale debug prefs` show what is advertised, and the admin "
        "console's Machines page must approve the routes (or an autoApprovers rule).",
    )


@rule(
    id="TS-LOG-DEVICE-IDENTITY-FAILED",
    name="log-device-identity-failed",
    family="tailscale-daemon-log",
    severity=Severity.WARNING,
    summary="a system policy asks this node to prove its device identity (machine certificate or hardware "
    "attestation) and it cannot: control gets no proof",
    target="daemon-log",
)
def device_identity_failed(log: DaemonLogReport, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: two system policies make a node prove to control which device it is. MachineCertificateSubject
    (Windows, macOS) signs each register request with a certificate from the machine's store whose chain names
    that subject; tailscaled logs ``RegisterReq sign error: signRegisterRequest: …`` only when the policy is set
    and signing failed (``find identity: no matching certificate``: no valid RSA certificate with that subject;
    ``open cert store``, ``create signer``, ``sign``: the store or the private key cannot be used), and registers
    unsigned (``no certificate subject configured``, which 2021 builds logged on every node, is no policy at all).
    HardwareAttestation (v1.90+) signs the node key with a TPM-held key: ``failed to create hardware attestation
    key`` or ``failed to sign node key with hardware attestation key`` mean control gets no attestation. Either way
    rules that rely on the proof (device approval, posture) do not match this node.

    *Bad*::

        2025/10/06 09:12:45 RegisterReq sign error: signRegisterRequest: find identity: no matching certificate

    *Good*::

        2021/04/15 13:02:12 control: RegisterReq sign error: signRegisterRequest: no certificate subject configured
    """
    issues = log.issues_of("device-identity-failed")
    certificate = any(issue.key == "machine-certificate" for issue in issues)
    attestation = any(issue.key == "hardware-attestation" for issue in issues)
    proof = " and ".join(
        what
        for what, failed in (
            ("sign its register request with the machine certificate the MachineCertificateSubject policy names",
             certificate),
            ("attest its node key with a hardware (TPM) key as the HardwareAttestation policy asks", attestation),
        )
        if failed
    )  # fmt: skip
    fixes = " ".join(
        fix
        for fix, failed in (
            ("Machine certificate: install a valid (not expired) RSA certificate whose chain contains exactly the "
             "policy's subject in the machine's store (Windows: Local Computer > Personal, `certlm.msc`; macOS: "
             "the System keychain) with its private key usable by tailscaled, or correct the "
             "MachineCertificateSubject policy; then restart tailscaled and look for `RegisterReq` without the "
             "error.", certificate),
            ("Hardware attestation: enable the TPM 2.0 in the firmware and check tailscaled can use it (Windows: "
             "`Get-Tpm`; Linux: /dev/tpmrm0), or lift the HardwareAttestation policy for devices without one; "
             "then restart tailscaled.", attestation),
        )
        if failed
    )  # fmt: skip
    yield from _finding(
        ctx,
        issues,
        f"tailscaled could not {proof} ({_last(issues)}): control gets no proof of this device, so device "
        "approval or posture rules that rely on it do not match this node.",
        fixes,
    )


@rule(
    id="TS-LOG-SOCKET-IN-USE",
    name="log-socket-in-use",
    family="tailscale-daemon-log",
    severity=Severity.WARNING,
    summary="a second tailscaled exited: another one already serves the LocalAPI socket",
    target="daemon-log",
)
def socket_in_use(log: DaemonLogReport, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: ``safesocket.Listen: /var/run/tailscale/tailscaled.sock: address already in use`` is logged by
    a tailscaled that found the LocalAPI socket answering when it dialled it first (safesocket/unixsocket.go):
    another tailscaled already runs and serves it, so this one exits. The running daemon is fine; the extra
    start (usually by hand, ``sudo tailscaled &`` beside the service, or a second entrypoint in a container)
    is what failed. Only when nothing should be running is the socket's owner worth finding. Good is one
    tailscaled, started by the service manager.

    *Bad*::

        safesocket.Listen: /var/run/tailscale/tailscaled.sock: address already in use

    *Good*::

        Program starting: v1.68.1-tf02ad8397-g8f9cb4763, Go 1.22.4: []string{"/usr/sbin/tailscaled", "--port=41641"}
    """
    issues = log.issues_of("socket-in-use")
    yield from _finding(
        ctx,
        issues,
        f"a second tailscaled could not listen on the LocalAPI socket and exited ({_last(issues)}): another "
        "tailscaled already runs and answers there; that one is unaffected.",
        "Do not start tailscaled again beside the running one: use it (`tailscale status`, `tailscale up`) or stop "
        "the extra start (the hand-started `tailscaled`, a second container entrypoint). To replace the running "
        "daemon, stop it through its service manager first (`sudo systemctl stop tailscaled`; macOS `sudo "
        "launchctl stop com.tailscale.tailscaled`), then find no other with `pgrep -a tailscaled`.",
    )


# serve's file or directory backend that tailscaled cannot read (daemonlog events: _SERVE_PATH_UNREADABLE)
_SERVE_PATH_UNREADABLE = ("error calling stat on ", "error opening ")


@rule(
    id="TS-LOG-SERVE-BACKEND-DOWN",
    name="log-serve-backend-down",
    family="tailscale-daemon-log",
    severity=Severity.ERROR,
    summary="tailscale serve/funnel (or an ingress proxy) cannot reach its local backend",
    target="daemon-log",
)
def serve_backend_down(log: DaemonLogReport, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: serve's reverse proxy (``http: proxy error: dial tcp 127.0.0.1:8123: … connection refused``) or
    its TCP forwarder (``localbackend: failed to TCP proxy port 443 (from …) to 127.0.0.1:8443: …``) is
    tailscaled accepting a tailnet connection for ``tailscale serve``/funnel (or the Kubernetes operator's
    ingress proxy) and finding nothing listening on the backend its serve config names. Tailnet clients are
    refused although the tailnet path works: the backend is down, listens on another address or port, or the
    serve config points at the wrong one. A file or directory backend (``tailscale serve --set-path /docs
    /srv/docs``) that tailscaled cannot read logs ``error calling stat on <path>: …`` / ``error opening <path>:
    …`` (v1.56+): every request for it gets a 500. (netstack's ``could not connect to local backend server at
    127.0.0.1:<port>`` is not serve's: it is a port no serve handler takes, TS-LOG-INBOUND-PORT-UNHANDLED.)

    *Bad*::

        2024/12/04 15:38:53 http: proxy error: dial tcp 127.0.0.1:8123: connect: connection refused

    *Good*::

        2024/12/04 15:38:53 netstack: could not connect to local backend server at 127.0.0.1:443: dial tcp 127.0.0.1:443: connect: connection refused
    """
    issues = log.issues_of("serve-backend-unreachable")
    targets = ", ".join(sorted({issue.key for issue in issues}))
    # a file or directory backend that cannot be read (keyed by its path; a unix socket backend is a path too)
    paths = all(issue.message.startswith(_SERVE_PATH_UNREADABLE) for issue in issues)
    yield from _finding(
        ctx,
        issues,
        f"tailscaled cannot read the file or directory serve publishes, {targets} ({_last(issues)}): every "
        "request for it gets a 500."
        if paths
        else f"tailscaled accepted tailnet connections but cannot reach the local backend {targets} "
        f"({_last(issues)}): the tailnet path works, the service behind it does not answer.",
        "Make the path readable by the user tailscaled runs as (root under systemd: check a home directory's "
        "0700 mode, SELinux/AppArmor labels, a mount the daemon does not see), or serve a copy from a readable "
        "place (`tailscale serve --set-path /docs /srv/docs`); the macOS App Store app's sandbox reads only "
        "what it is allowed to."
        if paths
        else "Check the backend listens where serve points (`ss -ltnp 'sport = :443'`, `tailscale serve status`); "
        "start it or fix the target (`tailscale serve --bg <port>`); for the Kubernetes operator, check the "
        "Service and its endpoints (`kubectl get endpoints`).",
    )


# What each TLS failure to a backend needs: the proxy speaks TLS to a plain port, or the other way round, or the
# backend's certificate does not verify (its own CA, or no name/IP SAN for the address dialled).
_PLAIN_BACKEND = re.compile(r"first record does not look like a TLS handshake|server gave HTTP response to HTTPS")
_TLS_BACKEND = re.compile(r"malformed HTTP response")


@rule(
    id="TS-LOG-SERVE-BACKEND-TLS-FAILED",
    name="log-serve-backend-tls-failed",
    family="tailscale-daemon-log",
    severity=Severity.ERROR,
    summary="a serve/tsnet reverse proxy reaches its backend but TLS to it fails (scheme or certificate)",
    target="daemon-log",
)
def serve_backend_tls_failed(log: DaemonLogReport, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: ``http: proxy error: tls: first record does not look like a TLS handshake`` (or ``http: server gave
    HTTP response to HTTPS client``) is a reverse proxy (tailscaled's Serve, ``tailscale serve https://…``, or the
    proxy of a program embedding Tailscale, such as tsdproxy) speaking TLS to a backend port that answers plain
    HTTP; ``http: proxy error: tls: failed to verify certificate: x509: …`` is the backend's certificate not
    trusted by the proxy (self-signed, a private CA) or not naming the address dialled (``cannot validate
    certificate for 172.20.0.10 because it doesn't contain any IP SANs``); ``malformed HTTP response "\\x15\\x03…"``
    is the reverse, plain HTTP sent to a port that speaks TLS. The backend is up and answers: the tailnet and
    the node are fine, every request through the proxy gets 502 because the scheme or certificate is wrong.

    *Bad*::

        2024/12/13 17:40:52 http: proxy error: tls: first record does not look like a TLS handshake

    *Good*::

        2024/12/13 17:40:52 serve: creating a new proxy handler for http://127.0.0.1:8080
    """
    issues = log.issues_of("serve-backend-tls-failed")
    if not issues:
        return
    fixes = []
    if any(_PLAIN_BACKEND.search(issue.message) for issue in issues):
        fixes.append(
            "the backend port answers plain HTTP: point the proxy at it with http:// (`tailscale serve --https=443 "
            'http://127.0.0.1:8080`; tsdproxy 1.x: `tsdproxy.scheme=http`, 2.x: `tsdproxy.port.1: "443/https:80/http"`), '
            "or give the backend a TLS listener on that port."
        )
    if any(_TLS_BACKEND.search(issue.message) for issue in issues):
        fixes.append("the backend port speaks TLS: use https+insecure:// (serve) or https:// for it.")
    if any("x509: " in issue.message for issue in issues):
        fixes.append(
            "the backend's certificate does not verify: for a self-signed or private-CA backend use "
            "`https+insecure://` with `tailscale serve` (or the proxy's skip-verify option: tsdproxy 1.x "
            "`tsdproxy.tlsvalidate=false`, 2.x `no_tlsvalidate` on the port label); otherwise dial it by a name its certificate holds (not a bare IP without "
            "an IP SAN) or reissue its certificate with that IP or name."
        )
    yield from _finding(
        ctx,
        issues,
        f"the reverse proxy reaches its backend but TLS to it fails ({_last(issues)}): clients get 502; the "
        "tailnet path and the node are fine, the backend's scheme or certificate is what is wrong.",
        " ".join(fixes)
        or "Match the proxy's scheme to the backend's (http:// for a plain backend, https+insecure:// "
        "for a self-signed one) or give the backend a certificate naming the address dialled.",
    )


@rule(
    id="TS-LOG-NO-PEER-FOR-ADDRESS",
    name="log-no-peer-for-address",
    family="tailscale-daemon-log",
    severity=Severity.WARNING,
    summary="traffic to a tailnet address no peer in this node's netmap owns",
    target="daemon-log",
)
def no_peer_for_address(log: DaemonLogReport, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: ``open-conn-track: timeout opening (TCP … => 100.x.y.z:443); no associated peer node`` to an
    address in the tailnet's own ranges (100.64.0.0/10, fd7a:115c:a1e0::/48) means this node sent traffic
    to a node or Tailscale Service that is not in its netmap: ACLs/grants do not let it see that node, the
    Service is not advertised or approved, or the address belongs to a node that is gone. The same line
    for a public address is NetworkManager's connectivity probe leaking into the tunnel (harmless).

    *Bad*::

        Nov 17 10:59:41 host tailscaled[1949]: open-conn-track: timeout opening (TCP [fd7a:115c:a1e0::6001:2260]:50862 => [fd7a:115c:a1e0::e236:257d]:443); no associated peer node

    *Good*::

        Nov 17 10:59:41 host tailscaled[1949]: open-conn-track: timeout opening (TCP 100.96.229.119:41526 => 185.125.190.49:80); no associated peer node
    """
    issues = log.issues_of("no-peer-for-address")
    targets = ", ".join(sorted({issue.key for issue in issues}))
    yield from _finding(
        ctx,
        issues,
        f"connections to the tailnet address {targets} go nowhere: no peer in this node's netmap owns it "
        "(a node its ACLs/grants hide, a Tailscale Service not advertised or approved for it, or a node that "
        "is gone).",
        "Look the address up (`tailscale whois <addr>`, `tailscale status --json | jq '.Peer[] | "
        'select(.TailscaleIPs[] == "<addr>")\'`); if nothing owns it for this node, allow it in the policy '
        "(grants/ACLs), advertise and approve the Service (`tailscale serve --service=svc:<name> …` and the "
        "admin console), or fix the address the client uses.",
    )


@rule(
    id="TS-LOG-PEER-KEY-UNKNOWN",
    name="log-peer-key-unknown",
    family="tailscale-daemon-log",
    severity=Severity.WARNING,
    summary="a peer keeps reaching this node with a node key its netmap does not hold",
    target="daemon-log",
)
def peer_key_unknown(log: DaemonLogReport, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: ``magicsock: disco: ignoring CallMeMaybe from d:<disco>; [<nodekey>] is unknown`` (any disco message
    type: ``CallMeMaybeVia``, ``AllocateUDPRelayEndpointResponse``; older wordings ``ignoring disco-looking frame,
    don't know of key d:…``, v1.0's ``DERP packet from unknown key: …``) repeated for the same key means a peer
    keeps reaching this node over DERP with a node key this node's netmap does not hold: the control server has
    not delivered that peer's new key yet (a re-login or key rotation; a Headscale slow to push netmap updates), or
    the policy hides the peer from this node. Its messages are dropped, so no direct path is set up with it and its
    traffic through this node fails until the netmap catches up. One line during a key rotation is routine; a later
    path to that peer (``now using …``, a pong, a handshake) clears it.

    *Bad*::

        Jul 08 07:46:55 router tailscaled[445054]: magicsock: disco: ignoring CallMeMaybe from d:77e58033721ad55b; [Unuw8] is unknown
        Jul 08 07:47:02 router tailscaled[445054]: magicsock: disco: ignoring CallMeMaybe from d:77e58033721ad55b; [Unuw8] is unknown

    *Good*::

        Jul 08 07:46:55 router tailscaled[445054]: magicsock: disco: ignoring CallMeMaybe from d:77e58033721ad55b; [Unuw8] is unknown
        Jul 08 07:46:58 router tailscaled[445054]: magicsock: disco: node [Unuw8] d:77e58033721ad55b now using 192.0.2.7:41641
    """
    issues = log.issues_of("peer-key-unknown")
    peers = ", ".join(sorted({issue.key for issue in issues if issue.key != "?"})) or "a peer"
    yield from _finding(
        ctx,
        issues,
        f"{peers} keeps reaching this node with a key its netmap does not hold ({_last(issues)}): control has not "
        "delivered that peer's current key (a re-login or key rotation), or the policy hides it from this node, so "
        "no direct path is set up with it.",
        "Wait a minute for the control server to push the key (`tailscale status` here should then list the peer). "
        "If it persists, check that the control server pushes netmap updates (for Headscale: its version and its "
        "log around the peer's registration; upgrade if it lags), and that the policy (ACLs/grants) lets the two "
        "nodes see each other.",
    )


@rule(
    id="TS-LOG-TLS-INTERCEPTED",
    name="log-tls-intercepted",
    family="tailscale-daemon-log",
    severity=Severity.ERROR,
    summary="TLS to Tailscale is intercepted (certificate signed by unknown authority)",
    target="daemon-log",
)
def tls_intercepted(log: DaemonLogReport, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: ``x509: certificate signed by unknown authority`` (or ``certificate is not trusted``) on
    connections to the control plane, DERP or log servers means something between the node and the
    Internet presents its own certificate: a TLS-inspecting firewall (Fortinet, Zscaler…), a captive
    portal, or a self-hosted server whose CA the node does not trust.

    *Bad*::

        Received error: fetch control key: Get "https://controlplane.tailscale.com/key?v=74": x509: certificate signed by unknown authority

    *Good*::

        control: control server key from https://controlplane.tailscale.com: ts2021=[fSeS+], legacy=[nlFWp]
    """
    issues = log.issues_of("tls-intercepted")
    yield from _finding(
        ctx,
        issues,
        f"TLS from tailscaled is intercepted: {_last(issues)}.",
        "Exempt controlplane.tailscale.com, login.tailscale.com, log.tailscale.com and *.tailscale.com DERP "
        "hosts (or your Headscale/derper host) from TLS inspection, sign in to the captive portal, or install "
        "the issuing CA in the system trust store (`update-ca-certificates`; in containers mount it) when the "
        "server is your own.",
    )


@rule(
    id="TS-LOG-CLOCK-SKEW",
    name="log-clock-skew",
    family="tailscale-daemon-log",
    severity=Severity.ERROR,
    summary="certificates look expired or not yet valid: the clock is wrong",
    target="daemon-log",
)
def clock_skew(log: DaemonLogReport, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: ``x509: certificate has expired or is not yet valid: current time 1970-01-01… is before …`` on
    Tailscale's own servers means the node's clock is wrong (no RTC, NTP not yet synced), not the
    certificate: every TLS connection fails until the clock is set.

    *Bad*::

        logtail: upload: log upload of 9842 bytes compressed failed: Post "https://log.tailscale.com/c/x": x509: certificate has expired or is not yet valid: current time 1970-01-01T00:08:58Z is before 2025-08-13T15:09:16Z

    *Good*::

        logtail: dialed "log.tailscale.io:443" in 204ms
    """
    issues = log.issues_of("clock-skew")
    yield from _finding(
        ctx,
        issues,
        f"the system clock is wrong, so TLS certificates look invalid: {_last(issues)}.",
        "Set the clock and keep it synced (`date`, `timedatectl set-ntp true` or `ntpd -gq`, `chronyc makestep`), "
        "order tailscaled after time-sync.target on boards without an RTC, then restart tailscaled.",
    )


@rule(
    id="TS-LOG-PEER-UNREACHABLE",
    name="log-peer-unreachable",
    family="tailscale-daemon-log",
    severity=Severity.ERROR,
    summary="a peer does not answer: disco pings or connections to it time out",
    target="daemon-log",
)
def peer_unreachable(log: DaemonLogReport, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: repeated ``disco: timeout waiting for pong … ([key], …)`` with no later pong (one alone is
    routine: disco probes every candidate endpoint), or ``open-conn-track:
    timeout opening … to node …``, or WireGuard handshakes left unanswered (``wg: [key] - Handshake did not
    complete after 5 seconds, retrying (try 3)`` or later; the first retry alone is routine), means packets
    to that peer get no answer on any path tried: the peer is
    offline, its tailscaled is stuck, or a firewall on its side drops the traffic. A later pong or ``now
    using <endpoint>`` clears it.

    *Bad*::

        2022-06-10 12:34:32.950532612 +0200 +0200: magicsock: disco: timeout waiting for pong abfc74930e20 from 3.124.1.2:13078 ([MmCPq], d:d912106f928f13b5)
        2022-06-10 12:34:32.950655626 +0200 +0200: magicsock: disco: timeout waiting for pong e6a8a2cf2d2c from 10.0.87.118:42826 ([MmCPq], d:d912106f928f13b5)

    *Good*::

        2022-06-10 12:34:32.950532612 +0200 +0200: magicsock: disco: timeout waiting for pong abfc74930e20 from 3.124.1.2:13078 ([MmCPq], d:d912106f928f13b5)
        2022-06-10 12:34:33.101030112 +0200 +0200: magicsock: disco: node [MmCPq] d:d912106f928f13b5 now using 10.0.87.118:42826
    """
    issues = log.issues_of("peer-unreachable")
    peers = ", ".join(sorted({issue.key for issue in issues if issue.key != "?"})) or "a peer"
    yield from _finding(
        ctx,
        issues,
        f"{peers} does not answer: {_last(issues)}.",
        "On that peer: `tailscale status` (is it online?), `tailscale ping <peer>` from here, and its host "
        "firewall (the Tailscale interface or UDP 41641 blocked); if it runs a subnet router, check IP "
        "forwarding and that the route is approved.",
    )


@rule(
    id="TS-LOG-DESTINATION-REFUSED",
    name="log-destination-refused",
    family="tailscale-daemon-log",
    severity=Severity.ERROR,
    summary="a connection through the tailnet reaches its destination, which refuses it",
    target="daemon-log",
)
def destination_refused(log: DaemonLogReport, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: ``socks5: client connection failed: connect tcp 172.16.4.207:1433: connection was refused``
    (userspace networking's SOCKS5 server; gVisor's wording, the kernel dialer's is ``connect: connection
    refused``) means the connection went through the
    tailnet (a subnet route, an exit node, a peer) and the far side answered with a reset: the tailnet path
    works, nothing listens on that port of the destination, or its host firewall rejects the connection.

    *Bad*::

        2025/10/08 16:25:12 socks5: client connection failed: connect tcp 172.16.4.207:1433: connection was refused

    *Good*::

        2025/10/08 16:17:52 magicsock: adding connection to derp-1 for [Zopo7]
    """
    issues = log.issues_of("destination-refused")
    targets = ", ".join(sorted({issue.key for issue in issues if issue.key != "?"})) or "the destination"
    yield from _finding(
        ctx,
        issues,
        f"connections through the tailnet to {targets} are refused by the destination ({_last(issues)}): the "
        "tailnet path works, nothing accepts connections on that port there.",
        "On the destination host: check the service runs and listens on that address and port (`ss -ltnp`, "
        "`netstat -ano` on Windows) and that its firewall allows the subnet router's (or exit node's) address "
        "in; for a subnet route, test from the router itself (`nc -vz <ip> <port>`).",
    )


@rule(
    id="TS-LOG-NETSTACK-FORWARD-UNREACHABLE",
    name="log-netstack-forward-unreachable",
    family="tailscale-daemon-log",
    severity=Severity.ERROR,
    summary="an exit node or subnet router in userspace mode has no way to the destination it forwards to",
    target="daemon-log",
)
def netstack_forward_unreachable(log: DaemonLogReport, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: in userspace networking (``--tun=userspace-networking``: containers, the Home Assistant add-on,
    Synology, Windows subnet routers) tailscaled's netstack ends every TCP connection a peer sends through this
    node (as exit node or subnet router) and dials the destination itself from the host. ``netstack: could not
    connect to local server at [2a00:1450:400e:811::200a]:443: dial tcp …: connect: network is unreachable``
    (the "local server" wording is historic: the address is the real destination) means the host has no route
    there: no IPv6 upstream while the exit node also carries ``::/0``, a subnet route to a LAN the host is not
    on, or (``no route to host``, ``i/o timeout``) a destination that does not answer from here. Those
    connections fail for every peer using this node.

    *Bad*::

        netstack: could not connect to local server at [2a00:1450:400e:811::200a]:443: dial tcp [2a00:1450:400e:811::200a]:443: connect: network is unreachable

    *Good*::

        netstack: could not connect to local backend server at 192.168.1.20:8123: dial tcp 192.168.1.20:8123: connect: connection refused
    """
    issues = log.issues_of("netstack-forward-unreachable")
    targets = sorted({issue.key for issue in issues})
    ipv6 = any(target.startswith("[") for target in targets)
    shown = ", ".join(targets[:3]) + (f" and {len(targets) - 3} more" if len(targets) > 3 else "")
    yield from _finding(
        ctx,
        issues,
        f"this node forwards connections from the tailnet (exit node or subnet route, userspace networking) but "
        f"cannot reach their destination {shown} ({_last(issues)}): those connections fail for every peer.",
        (
            "The host has no IPv6 route while peers send IPv6 through this exit node: give the host (or the "
            "container's network: Docker `enable_ipv6`, Home Assistant's network settings) IPv6 connectivity, "
            "or use an exit node that has it; check with `ip -6 route get <address>` on the host. "
            if ipv6
            else ""
        )
        + "From the node itself, test the destination (`ip route get <ip>`, `nc -vz <ip> <port>`): give the host a "
        "route to it (the LAN of an advertised subnet route must be reachable from the host or the container's "
        "network), or stop advertising routes it cannot reach (`tailscale set --advertise-routes=…`).",
    )


@rule(
    id="TS-LOG-INBOUND-PORT-UNHANDLED",
    name="log-inbound-port-unhandled",
    family="tailscale-daemon-log",
    severity=Severity.WARNING,
    summary="a connection over the tailnet reached this node for a port nothing on it serves",
    target="daemon-log",
)
def inbound_port_unhandled(log: DaemonLogReport, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: with netstack (userspace networking, an app embedding tsnet) tailscaled itself takes every TCP
    connection a peer opens to this node and hands it to the listener or ``tailscale serve`` handler of that
    port. ``[unexpected] localbackend: got TCP conn without TCP config for port 3000; from 100.93.131.69:64405``
    (before v1.52; since then ``local-serve: no handler for … to port N``, and for funnel/ingress ``no matching
    ingress serve handler``) means none exists: the program did not listen on that port (yet), listened on
    another one or on the host's own network instead of the tailnet, or the serve config lost that port. The
    connection is dropped; the tailnet path from the peer works. netstack's ``could not connect to local
    backend server at 127.0.0.1:80: … connection refused`` is the same: a connection to this node's own
    Tailscale IP that no serve/ingress handler took is handed to loopback, where nothing listens either. If
    serve or a Kubernetes ingress is meant to serve that port (443 on an ingress), its serve config is not in
    effect; otherwise clients use a port nothing serves (an Ingress serves HTTPS on 443 only).

    *Bad*::

        [unexpected] localbackend: got TCP conn without TCP config for port 3000; from 100.93.131.69:64405
        2025/02/24 03:01:00 netstack: could not connect to local backend server at 127.0.0.1:80: dial tcp 127.0.0.1:80: connect: connection refused

    *Good*::

        Accept: TCP{100.93.131.69:64405 > 100.99.93.94:3000} 64 tcp ok
        2024/12/04 15:38:53 http: proxy error: dial tcp 127.0.0.1:8123: connect: connection refused
    """
    every = log.issues_of("inbound-port-unhandled")
    web = tuple(issue for issue in every if issue.key == _WEB_CLIENT_PORT)
    yield from _finding(
        ctx,
        web,
        f"devices on the tailnet open this node's port {_WEB_CLIENT_PORT}, Tailscale's web interface, but it is off "
        f"on this node ({_last(web)}): netstack hands each connection to localhost:{_WEB_CLIENT_PORT}, where "
        "nothing listens, and drops it. Other ports and any serve/ingress backend are not affected.",
        f"If you want the web interface, turn it on with `tailscale set --webclient` (it then answers on "
        f"<tailnet IP>:{_WEB_CLIENT_PORT}); if not, the lines are harmless: find the device that opens the port "
        "(the source address of the connection, e.g. a browser tab or bookmark of the admin console's 'Web "
        "interface', a monitor or scanner) and stop it, or deny that port to it in the tailnet policy.",
    )
    rest = tuple(issue for issue in every if issue.key != _WEB_CLIENT_PORT)
    loopback = tuple(issue for issue in rest if issue.message.startswith(_NETSTACK_LOOPBACK))
    ports = _ports(loopback)
    yield from _finding(
        ctx,
        loopback,
        f"a tailnet client opened port {', '.join(ports)} of this node and neither serve nor any local service "
        f"handles it ({_last(loopback)}): netstack hands such a connection to this node's loopback, where nothing "
        "listens, and it is refused, though the path from the peer works.",
        "If `tailscale serve` or the Kubernetes operator's ingress is meant to serve this port (443 on an "
        "Ingress), its serve config is not in effect: check `tailscale serve status` on the node (in the proxy "
        "pod) and restart the proxy pod (an operator bug that lost it is fixed in 1.78). Otherwise the clients "
        f"use a port nothing serves (an Ingress serves HTTPS on 443 only: use https://<name>.<tailnet>.ts.net): "
        f"connect to the served port, or start the service on port {ports[0] if ports else '<port>'} "
        "(`ss -ltnp`).",
    )
    issues = tuple(issue for issue in rest if not issue.message.startswith(_NETSTACK_LOOPBACK))
    ports = _ports(issues)
    named = ", ".join(ports)
    yield from _finding(
        ctx,
        issues,
        f"connections from the tailnet reach this node on TCP port {named} and nothing on it serves that port "
        f"({_last(issues)}): each one is dropped, though the path from the peer works.",
        f"Make the program listen on port {ports[0] if ports else '<port>'} on the tailnet side: an app embedding "
        'tsnet must call `srv.Listen("tcp", ":<port>")` (or ListenTLS/ListenFunnel) on its tsnet.Server, not '
        "net.Listen on the host; a userspace-networking tailscaled forwards a port to a local service with "
        "`tailscale serve --bg --tcp <port> tcp://localhost:<port>` (or `tailscale serve --bg <port>` for HTTP). "
        "Check with `tailscale serve status`; or connect to the port the program really listens on.",
    )


@rule(
    id="TS-LOG-TLS-NO-SNI",
    name="log-tls-no-sni",
    family="tailscale-daemon-log",
    severity=Severity.WARNING,
    summary="HTTPS clients reach the node by IP address: without a server name no certificate is chosen",
    target="daemon-log",
)
def tls_no_sni(log: DaemonLogReport, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: an HTTPS listener whose certificate comes from Tailscale (a tsnet program's ``GetCertificate`` from
    client/local, ``tailscale serve``'s HTTPS port, ipn/ipnlocal/serve.go) picks the node's certificate by the
    server name the client sends (SNI). A client that sends none is refused with ``no SNI ServerName``, which Go's
    HTTP server logs as ``http: TLS handshake error from <client>: no SNI ServerName``. Browsers and curl send no
    SNI when the URL holds an IP address: the client opened https://100.x.y.z. The tailnet path works (the
    connection arrived); only the handshake fails. Other handshake errors (EOF, a client that does not trust the
    certificate) are the client's own.

    *Bad*::

        2025/02/06 03:30:52 http: TLS handshake error from 100.108.50.107:56808: no SNI ServerName

    *Good*::

        2025/02/06 03:30:52 [v1] Accept: TCP{100.108.50.107:56808 > 100.70.27.64:443} 52 tcp ok
        2025/02/06 03:30:52 http: TLS handshake error from 100.108.50.107:56808: EOF
    """
    issues = log.issues_of("tls-no-sni")
    clients = sorted({issue.key for issue in issues})
    yield from _finding(
        ctx,
        issues,
        f"HTTPS connections from {', '.join(clients)} reach this node's Tailscale TLS listener without a server "
        f"name (SNI) and every handshake is refused ({_last(issues)}): the client opened the node by its IP "
        "address (or a name that is not the node's), and the certificate is chosen by name. The tailnet path works.",
        "Open the node by its MagicDNS name, https://<machine>.<tailnet>.ts.net (MagicDNS and HTTPS certificates "
        "on for the tailnet: `tailscale status --json` shows the name as Self.DNSName), not https://100.x.y.z; or "
        "use plain http:// to the IP address where the program serves it.",
    )


@rule(
    id="TS-LOG-SUBNET-PING-FAILED",
    name="log-subnet-ping-failed",
    family="tailscale-daemon-log",
    severity=Severity.WARNING,
    summary="a subnet router's ping to a LAN host fails: pings through the route get no answer",
    target="daemon-log",
)
def subnet_ping_failed(log: DaemonLogReport, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: a subnet router (or app connector) in netstack mode (userspace networking, Windows, Synology)
    answers a peer's ping to a LAN host by running the OS's own ``ping`` to that host and replying only if
    it succeeds. ``exec ping of 192.168.101.104 failed in 17.8ms: unsuccessful ICMP reply received`` is
    that ping failing at once (Tailscale logs it only under 0.5 s; a host that is merely silent is not
    logged): the router got an ICMP error back (``Destination host unreachable``: no route or no ARP
    answer for the host from the router), or the ``ping`` program exited at once or could not run
    (``exit status 2``, ``executable file not found``, ``permission denied``). macOS/iOS routers send the
    ping themselves and log every failure, a silent host's timeout included (``sendOutboundUserPing: ping to
    <ip> failed: …``). The tailnet path to the router works; the route ends at the router for ICMP, while
    TCP/UDP may still get through.

    *Bad*::

        exec ping of 192.168.101.104 failed in 17.8291ms: unsuccessful ICMP reply received

    *Good*::

        exec pinged 192.168.101.104 in 1.2ms
    """
    issues = log.issues_of("subnet-ping-failed")
    # the rate limiter's "[RATELIMIT] format(…)" stands for more of the same pings: its host is unknown ("?")
    hosts = sorted({issue.key for issue in issues if issue.key != "?"})
    targets = ", ".join(hosts) or "a LAN host"
    yield from _finding(
        ctx,
        issues,
        f"the subnet router's own ping to {targets} fails "
        f"({_last(tuple(issue for issue in issues if issue.key != '?') or issues)}): peers pinging that host "
        "through the route get no reply, the tailnet path to the router works.",
        f"On the subnet router itself, run `ping {hosts[0] if hosts else '<host>'}` as tailscaled's user and read "
        "its error. 'Destination host unreachable' (Windows: 'unsuccessful ICMP reply received'): give the "
        "router a route to that LAN (an address in it, or a gateway that knows it) and let the host answer ICMP "
        "echo from the router (Windows host: `netsh advfirewall firewall add rule name=ICMPv4-echo "
        "protocol=icmpv4:8,any dir=in action=allow`). 'Operation not permitted' or `exit status 2` in a "
        "container or NAS: let the router send ICMP (Docker/Kubernetes: add the NET_RAW capability, or widen "
        "`sysctl net.ipv4.ping_group_range`; Synology: CAP_NET_RAW on tailscaled); 'executable file not found': "
        "install ping in the image. TCP/UDP through the route may work meanwhile (`nc -vz <ip> <port>`).",
    )


@rule(
    id="TS-LOG-TAILNET-LOCK-DROPPED-PEER",
    name="log-tailnet-lock-dropped-peer",
    family="tailscale-daemon-log",
    severity=Severity.ERROR,
    summary="tailnet lock removes a peer whose node key is not signed: it is unreachable from this node",
    target="daemon-log",
)
def tailnet_lock_dropped_peer(log: DaemonLogReport, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: with tailnet lock enabled, a node keeps in its netmap only peers whose node key carries a
    valid signature from a trusted signing key. ``Tailnet lock is dropping peer nodeid:…(nStableID)
    due to missing signature`` (v1.30-v1.5x: ``Network lock is …``; ``… due to failed signature
    check: …``) means that peer was added or re-keyed without being signed (a new device, a shared
    node from another tailnet, a key rotated outside the lock): this node cannot reach it at all. A
    node that still thinks the lock is on after it was disabled elsewhere drops peers the same way.

    *Bad*::

        raspnew tailscaled[3204]: Network lock is dropping peer nodeid:1693bf722320b3(nthPJrS9dr11CNTRL) due to missing signature

    *Good*::

        raspnew tailscaled[3204]: Tailnet lock is dropping peer nodeid:1693bf722320b3(nthPJrS9dr11CNTRL) due to key rotation
    """
    issues = log.issues_of("tailnet-lock-dropped-peer")
    peers = ", ".join(sorted({issue.key for issue in issues}))
    yield from _finding(
        ctx,
        issues,
        f"tailnet lock drops peer {peers} from this node's netmap: its node key is not signed by a "
        "trusted tailnet lock key, so this node cannot reach it.",
        "On a signing node run `tailscale lock status` to list the locked-out nodes, then "
        "`tailscale lock sign <nodekey:…>` for each one you trust (a shared node or a new device needs "
        "this too). If tailnet lock was meant to be off, run `tailscale lock disable <disablement-secret>`, "
        "or on a node that still enforces a lock disabled elsewhere `tailscale lock local-disable`.",
    )


@rule(
    id="TS-LOG-TAILNET-LOCK-SYNC-FAILED",
    name="log-tailnet-lock-sync-failed",
    family="tailscale-daemon-log",
    severity=Severity.ERROR,
    summary="tailscaled cannot bootstrap or sync the tailnet lock state: lock-signed peers may be dropped",
    target="daemon-log",
)
def tailnet_lock_sync_failed(log: DaemonLogReport, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: with tailnet lock enabled, every node keeps its own copy of the lock's state (the chain of
    AUMs, kept under its state directory) and brings it up to date with the coordination server after each
    netmap. ``TKA sync error: bootstrap: network-lock is not supported in this configuration, try setting
    --statedir`` means tailscaled runs without a state directory (``--state=mem:``, a container or tsnet app
    with no ``--statedir``): before v1.90 it cannot hold lock state at all. Other ``TKA sync error:`` causes
    (``fetching bootstrap: …``, ``tka sync: …``), ``initTKALocked: …`` (the stored state cannot be opened) and
    ``TKA desync: …`` mean the same: this node does not have the tailnet's lock state, so it cannot verify
    peers' signatures as the lock requires and may drop lock-signed peers or miss lock changes. ``Disablement
    failed, leaving TKA enabled. Error: …`` is the reverse: the tailnet turned the lock off, this node could not
    apply the disablement secret and keeps enforcing it. ``Failed re-signing node-key signature: …`` (v1.32+) is
    this node's own key: rotated under the lock without a new signature, peers enforcing the lock drop it.

    *Bad*::

        TKA sync error: bootstrap: network-lock is not supported in this configuration, try setting --statedir

    *Good*::

        Switching ipn state NoState -> NeedsLogin (WantRunning=false, nm=false)
        [v1] TKA sync error: tkaSyncIfNeeded: no node key in prefs
    """
    every = log.issues_of("tailnet-lock-sync-failed")
    resign = tuple(issue for issue in every if issue.key == "resign")
    yield from _finding(
        ctx,
        resign,
        f"this node rotated its node key under tailnet lock and could not re-sign it ({_last(resign)}): its new "
        "key is unsigned, so peers that enforce the lock drop this node until a signing node signs it.",
        "On a signing node run `tailscale lock status` (this node is listed among the locked-out nodes), then "
        "`tailscale lock sign <nodekey:…>` for its new key; re-authenticating with a pre-signed auth key "
        "(`tailscale lock sign` of the key) signs it too.",
    )
    issues = tuple(issue for issue in every if issue.key != "resign")
    # "network-lock is not supported in this configuration, try setting --statedir", wrapped or cut after "supported"
    no_statedir = any(word in issue.message for issue in issues for word in ("statedir", "lock is not supported"))
    disablement = any(issue.key == "disablement" for issue in issues)
    yield from _finding(
        ctx,
        issues,
        f"tailscaled cannot bootstrap or sync this node's tailnet lock state ({_last(issues)}): with tailnet "
        "lock on, it cannot check peers' signatures and may drop signed peers or miss lock changes.",
        (
            "Give tailscaled a persistent state directory: run it with `--statedir=/var/lib/tailscale` (or "
            "`--state=/var/lib/tailscale/tailscaled.state`, which implies it; containers: set TS_STATE_DIR to a "
            "mounted volume; tsnet: set Server.Dir), then restart it."
            if no_statedir
            else "The tailnet disabled tailnet lock but this node still enforces it: check `tailscale lock status` "
            "here, run `tailscale lock local-disable` on this node (or `tailscale lock disable <secret>` with the "
            "disablement secret saved when the lock was made), then restart tailscaled."
            if disablement
            else "Check `tailscale lock status` on this node against a signing node; make sure tailscaled's state "
            "directory is persistent and writable (`--statedir`), and that the node reaches the coordination "
            "server (`tailscale netcheck`, the log's control lines); then restart tailscaled to retry the sync."
        ),
    )


@rule(
    id="TS-LOG-UPDATE-FAILED",
    name="log-update-failed",
    family="tailscale-daemon-log",
    severity=Severity.ERROR,
    summary="an update of Tailscale did not finish: its package download failed (the daemon it stopped may not "
    "come back) or tailscaled's own auto-update failed",
    target="daemon-log",
)
def update_failed(log: DaemonLogReport, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: a package update or reinstall of Tailscale (a device package's auto-updater, apt/dnf, the
    install script, ``tailscale update``) downloads from pkgs.tailscale.com, usually after stopping
    tailscaled. ``curl: (6) Could not resolve host: pkgs.tailscale.com`` (apt: ``Temporary failure resolving
    'pkgs.tailscale.com'``, ``Failed to fetch https://pkgs.tailscale.com/…``) means that download failed (DNS or
    the Internet down, a proxy or firewall in the way): the update did not finish, and unless tailscaled starts
    again later in the log, the node is left without it (off the tailnet) or on the old version.

    tailscaled's own auto-update (``tailscale set --auto-update``: control's c2n request or the hourly offline
    check) runs ``tailscale update``; ``c2n: update command failed: exit status 1, output: …`` or ``offline
    auto-update: failed: failed to find cmd/tailscale binary: …`` means it did not finish: the node stays on its
    version (tailscaled keeps running) and tries again.

    *Bad*::

        Dec 09 03:40:15 Ruteren systemd[1]: Stopped Tailscale node agent.
        Dec 09 03:40:15 Ruteren bash[2279971]: curl: (6) Could not resolve host: pkgs.tailscale.com

    *Good*::

        Dec 09 03:41:02 Ruteren tailscaled[2280112]: Program starting: v1.92.3-t…, Go 1.25.5: …
    """
    found = log.issues_of("update-failed")
    auto = tuple(issue for issue in found if issue.key == "auto-update")
    yield from _finding(
        ctx,
        auto,
        f"tailscaled's auto-update did not finish ({_last(auto)}): the node stays on the version it runs.",
        "On the node: run the update by hand to see its error (`sudo tailscale update`), fix what it names (the "
        "`tailscale` CLI must be installed beside tailscaled at the same version; a package manager's error is its "
        "own: `apt`, `dnf`), then check `tailscale version`. If this install cannot update itself (a distribution "
        "or NAS package), turn it off with `tailscale set --auto-update=false` and update through its packager.",
    )
    issues = tuple(issue for issue in found if issue.key != "auto-update")
    yield from _finding(
        ctx,
        issues,
        f"an update of Tailscale could not download its package ({_last(issues)}): it did not finish, and "
        "tailscaled, stopped for it, may not be running (the node is off the tailnet) or still runs the old version.",
        "On the node: check DNS and Internet access (`nslookup pkgs.tailscale.com`, `curl -sI https://pkgs.tailscale.com`"
        "), then start Tailscale again (`sudo systemctl start tailscaled`, or re-run the update or the package's "
        "installer so it finishes) and check `tailscale status` and `tailscale version`. An auto-updater that "
        "stops tailscaled before it has the new package leaves the node offline whenever the download fails: "
        "run it when the network is up, or make it download first.",
    )


@rule(
    id="TS-LOG-CGNAT-OVERLAP",
    name="log-cgnat-overlap",
    family="tailscale-daemon-log",
    severity=Severity.ERROR,
    summary="a local interface holds an address inside 100.64.0.0/10, the range Tailscale routes",
    target="daemon-log",
)
def cgnat_overlap(log: DaemonLogReport, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: Tailscale gives nodes addresses in 100.64.0.0/10 and routes that whole range into the
    tunnel. netmon's interface list (``LinkChange: major, rebinding. New state: interfaces.State{…
    ifs={rmnet_data2:[100.95.1.2/29] …}``) showing another interface with a subnet inside that range
    means carrier-grade NAT (a mobile carrier or an ISP's CPE hands out 100.64/10 addresses) or another
    VPN or overlay (ZeroTier, a Kubernetes CNI) uses it: traffic to that network's gateway and hosts is
    captured by Tailscale's route, so that link (mobile data, the other VPN) breaks while Tailscale is on,
    and tailnet peers whose address falls in the same subnet are unreachable.

    *Bad*::

        2022-06-09 08:33:31.25621467 +0000 UTC: LinkChange: major, rebinding. New state: interfaces.State{defaultRoute=rmnet_data2 ifs={rmnet_data2:[100.95.17.3/29] tun0:[100.87.143.114/32 fd7a:115c:a1e0:ab12:4843:cd96:6257:8f72/128] wlan0:[192.168.178.37/24]} v4=true v6=true}

    *Good*::

        2022-06-09 08:33:31.25621467 +0000 UTC: LinkChange: major, rebinding. New state: interfaces.State{defaultRoute=wlan0 ifs={tun0:[100.87.143.114/32 fd7a:115c:a1e0:ab12:4843:cd96:6257:8f72/128] wlan0:[192.168.178.37/24]} v4=true v6=true}
    """
    issues = log.issues_of("cgnat-overlap")
    where = ", ".join(sorted({issue.key.replace(" ", " has ", 1) for issue in issues}))
    yield from _finding(
        ctx,
        issues,
        f"a local interface holds an address inside Tailscale's range 100.64.0.0/10 ({where}): carrier-grade "
        "NAT or another VPN overlaps the addresses Tailscale routes, so that network's traffic is captured "
        "by the tunnel.",
        "Take that interface out of 100.64.0.0/10 where you can: on a phone, another APN (one giving a private "
        "or IPv6-only address) or Wi-Fi; on a host, renumber the other VPN, overlay or CNI. Where the carrier's "
        "address cannot change: keep tailnet devices out of its subnet (admin console, the device's 'Edit IPv4 "
        "address'), and on Linux `tailscale set --netfilter-mode=off` stops Tailscale's ts-input rule that drops "
        "100.64.0.0/10 sources arriving on other interfaces (then firewall the tailnet yourself).",
    )


@rule(
    id="TS-LOG-PACKET-DROPPED",
    name="log-packet-dropped",
    family="tailscale-daemon-log",
    severity=Severity.WARNING,
    summary="the packet filter drops traffic (no ACL rule matched)",
    target="daemon-log",
)
def packet_dropped(log: DaemonLogReport, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: ``Drop: TCP{src > dst} … no rules matched`` is tailscaled's packet filter refusing traffic the
    tailnet policy (ACLs/grants) does not allow to this node: the connection fails even though the path
    works. ``open-conn-track: flow TCP src > dst rejected due to acl`` is the other end of the same refusal:
    the peer's filter rejected a connection this node opened (``shields``: the peer runs shields-up;
    ``host-ip-forwarding-unavailable``: a subnet router or exit node cannot forward).

    *Bad*::

        2026/08/28 19:40:47 Drop: TCP{[fd7a:115c:a1e0::c001:f7a7]:51237 > [fd7a:115c:a1e0::1]:8123} 80 no rules matched

    *Good*::

        2024/01/11 22:13:26 Accept: ICMPv4{100.88.156.140:0 > 100.111.165.68:0} 84 icmp ok
    """
    issues = log.issues_of("packet-dropped")
    count = sum(issue.count for issue in issues)
    refused = any("rejected due to" in issue.message for issue in issues)
    yield from _finding(
        ctx,
        issues,
        (
            f"a peer's packet filter refused {count} connection(s) from this node ({_last(issues)})."
            if refused
            else f"the packet filter dropped {count} packet(s) that no policy rule allows ({_last(issues)})."
        ),
        "Allow the source to reach this node and port in the tailnet policy file (ACLs/grants), or in "
        "Headscale's ACL policy; check with `tailscale debug netmap` / the admin console's access preview.",
    )


# events.py's Android app deaths with no cause of tailscaled's own: a native crash report, the runtime's FATAL
# EXCEPTION ("Process: com.tailscale.ipn, PID: N"), libc's "Fatal signal N (SIG…) … (com.tailscale.ipn)"
_ANDROID_APP_DIED = ("Android's native crash report: ", "Process: com.tailscale.ipn", "Fatal signal ")


@rule(
    id="TS-LOG-CRASH",
    name="log-crash",
    family="tailscale-daemon-log",
    severity=Severity.ERROR,
    summary="tailscaled panicked or exited on an error",
    target="daemon-log",
)
def crash(log: DaemonLogReport, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: a Go panic, ``fatal error:``, ``getLocalBackend error: …`` or systemd's ``Main process exited,
    code=exited, status=1/FAILURE`` means the daemon is not running: the CLI then cannot connect. The
    line before the exit usually names the cause (TUN, router, state, socket). So do tailscaled's own
    fatal start-up errors (``tailscaled does not take non-flag arguments: [...]``: a broken command line;
    ``tailscaled requires root``; v1.0-v1.4's ``wgengine.New: …``), the Go runtime dying on a signal
    (``SIGSEGV: segmentation violation``, ``goroutine 0 gp=… [idle]:``), the engine watchdog's goroutine dump (``1 @ 0x…`` / ``#  0x… func+0x…``
    lines: printed just before it exits tailscaled) and the macOS/iOS network extension failing to run
    its localhost IPC server. ``logger closing down`` (the app's ``Entering exit handler.``) after a start
    with no stop requested is an exit on its own. A later start clears it only once that
    run gets further (an ipn state, a DERP connection): a restart loop cut off earlier still shows it.

    *Bad*::

        getLocalBackend error: createEngine: creating router: exec: "iptables": executable file not found in $PATH
        2023/04/20 10:00:00 Program starting: v1.38.4-tc439a3a9c-g9275ff8bd, Go 1.20.3: []string{"/usr/sbin/tailscaled"}

    *Good*::

        getLocalBackend error: createEngine: creating router: exec: "iptables": executable file not found in $PATH
        2023/04/20 10:00:00 Program starting: v1.38.4-tc439a3a9c-g9275ff8bd, Go 1.20.3: []string{"/usr/sbin/tailscaled"}
        2023/04/20 10:00:01 Switching ipn state NoState -> Starting (WantRunning=true, nm=true)
    """
    issues = log.issues_of("crash")
    if not issues:
        return
    stopped_at = min(issue.lines[0].number for issue in issues)
    # Only what was logged before the stop can be its cause (a restart's own failures come after it).
    others = [
        i.kind
        for i in log.issues
        if i.kind not in ("crash", "hand-started", "log-upload-failing", "ipv6-tunnel-off")
        and i.lines[0].number <= stopped_at
    ]
    # A goroutine trace through cmd/tailscale/cli is the CLI crashing (e.g. `tailscale netcheck`), not the daemon.
    cli = any("/cmd/tailscale/cli/" in line.text for line in log.lines)
    # "bind: permission denied" on its socket, "you must be root", netlink "operation not permitted": the
    # daemon runs without root, and every privileged step fails the same way.
    unprivileged = any(
        "must be root" in line.text or ("safesocket" in line.text and _NOT_ROOT.search(line.text)) for line in log.lines
    )
    if not others and not cli and all(is_supervisor_verdict(issue.message) for issue in issues):
        # only the supervisor's side is pasted: it saw the service end and restarts it, tailscaled's reason is
        # in the service's own output
        yield from _finding(
            ctx,
            issues,
            f"the tailscale service keeps exiting on an error and its supervisor restarts it ({_last(issues)}); "
            "the paste shows only the supervisor's lines, tailscaled's own reason is in the service's output.",
            "Read the service's own output: Talos `talosctl logs ext-tailscale`, supervisord `supervisorctl tail "
            "tailscaled stderr`, OpenWrt `logread -e tailscale`, Kubernetes `kubectl logs <pod> -c tailscale "
            "--previous`; fix what its last lines name (often the auth key, TS_AUTHKEY / TS_EXTRA_ARGS, or the "
            "state directory), then restart the service.",
        )
        return
    if not others and all(is_systemd_verdict(issue.message) for issue in issues) and is_service_manager_only(log.lines):
        # `journalctl -xeu tailscaled` right after a failed `systemctl start`: systemd's verdicts and catalog text
        # only, the lines where tailscaled says why it exited are above them or filtered out
        yield from _finding(
            ctx,
            issues,
            f"systemd started tailscaled and it exited with an error ({_last(issues)}); systemd restarts it until it "
            "gives up. The paste shows only systemd's lines about the unit: tailscaled's own reason is not in this "
            "view.",
            "Read tailscaled's own lines: `journalctl -u tailscaled -b --no-pager | tail -50` (not only `-xe`), or run "
            "it by hand to see its error (`sudo systemctl stop tailscaled; sudo tailscaled`); fix what its last lines "
            "name, then `sudo systemctl reset-failed tailscaled` and `sudo systemctl restart tailscaled`.",
        )
        return
    if log.os == "android" and not others and not cli and all(i.message.startswith(_ANDROID_APP_DIED) for i in issues):
        # the Android app hosts the backend in its own process: there is no service to restart, only the app
        yield from _finding(
            ctx,
            issues,
            f"the Tailscale app's process died ({_last(issues)}), so Tailscale does not run on this device.",
            "Update the Tailscale app (Google Play, F-Droid, or the APK from https://pkgs.tailscale.com/stable/#android); "
            "if this build keeps crashing, install it from another of those sources (a broken store build) or the "
            "previous version, then open it again; if it persists, report the crash report with the app's version "
            "(Settings > About) at https://github.com/tailscale/tailscale/issues.",
        )
        return
    yield from _finding(
        ctx,
        issues,
        (f"the tailscale CLI panicked (its trace runs through cmd/tailscale/cli): {_last(issues)}" if cli else "")
        or f"tailscaled stopped: {_last(issues)}"
        + (f" (the cause logged before: {', '.join(dict.fromkeys(others))})." if others else ".")
        + (
            " It runs without root privileges: its socket, netlink and firewall steps are all refused."
            if unprivileged
            else ""
        ),
        (
            "Run tailscaled as root (the system service: `sudo systemctl enable --now tailscaled`), or "
            "unprivileged with `--tun=userspace-networking --socket=$HOME/.tailscale/tailscaled.sock "
            "--statedir=$HOME/.tailscale` and the CLI pointed at that socket (`tailscale --socket=…`)."
            if unprivileged
            else "Fix the cause named above, then `systemctl restart tailscaled` (Windows: restart the Tailscale "
            "service) and check `journalctl -u tailscaled -b`; a Go panic with a goroutine trace is a bug: report "
            "it with the trace and `tailscale version`."
        ),
    )


@rule(
    id="TS-LOG-EXEC-FAILED",
    name="log-exec-failed",
    family="tailscale-daemon-log",
    severity=Severity.ERROR,
    summary="the service manager cannot execute tailscaled (203/EXEC, exec format error, binary or entrypoint "
    "script missing, EnvironmentFile missing)",
    target="daemon-log",
)
def exec_failed(log: DaemonLogReport, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: systemd's ``status=203/EXEC`` (``Main process exited, code=exited, status=203/EXEC``,
    ``Failed at step EXEC spawning /usr/sbin/tailscaled: No such file or directory``), ``exec format
    error`` or ``executable file not found`` mean tailscaled never ran: the binary the unit (or container,
    or init script) points at is missing, not executable, on a ``noexec`` mount, or built for another CPU.
    systemd may also fail before it executes anything: the unit's ``EnvironmentFile=/etc/default/tailscaled``
    missing or unreadable (``Failed to load environment files: No such file or directory``, ``Failed to run
    'start' task``, ``Failed with result 'resources'``), or another set-up step of the child (``Failed at step
    NAMESPACE spawning …``, ``status=226/NAMESPACE``: every 2xx status is systemd's own).
    The service manager's ``Failed with result 'exit-code'`` and ``Start request repeated too quickly``
    that follow are its verdict on that, not a crash of tailscaled, so there is no tailscaled log to read.
    A shell or container runtime that cannot open the container's entrypoint (``ash: can't open
    '/tailscale/run.sh': No such file or directory``, ``exec /usr/local/bin/containerboot: no such file or
    directory``) is the same: the image's /tailscale/run.sh was replaced by containerboot in 1.33.138.

    *Bad*::

        Dec 13 02:42:15 host systemd[1]: tailscaled.service: Main process exited, code=exited, status=203/EXEC
        Dec 13 02:42:15 host systemd[1]: tailscaled.service: Failed with result 'exit-code'.

    *Good*::

        Dec 13 02:42:15 host systemd[1]: Started tailscaled.service - Tailscale node agent.
        Dec 13 02:42:15 host tailscaled[6948]: Program starting: v1.78.1-t1a2b3c4d5, Go 1.23.3: []string{"/usr/sbin/tailscaled"}
    """
    issues = log.issues_of("exec-failed")
    unloaded = next((line.text for issue in issues for line in issue.lines if _ENVIRONMENT_FILE in line.text), None)
    if unloaded is not None:
        # systemd stopped before executing anything: the unit's EnvironmentFile= (no "-" before its path)
        yield from _finding(
            ctx,
            issues,
            "systemd cannot load the environment file tailscaled's unit names "
            f"({unloaded[unloaded.index(_ENVIRONMENT_FILE) :]}): tailscaled never ran, nothing crashed.",
            "Restore the file the unit's `EnvironmentFile=` names (`systemctl cat tailscaled`; the packages ship "
            '/etc/default/tailscaled with `PORT="41641"` and `FLAGS=""`: reinstalling the package puts it back) '
            "and make it readable by root, then `systemctl reset-failed tailscaled && systemctl start tailscaled`.",
        )
        return
    paths = (entrypoint_failed(line.text) for issue in issues for line in issue.lines)
    script = next((path for path in paths if path is not None and path.endswith("run.sh")), None)
    if script is not None:
        # the container image's old entrypoint script: images from 1.33.138 (2022-10) on run containerboot instead
        yield from _finding(
            ctx,
            issues,
            f"the container cannot run {script} ({_last(issues)}): Tailscale's image no longer has that script "
            "(since 1.33.138 its entrypoint is /usr/local/bin/containerboot), so tailscaled never ran, nothing "
            "crashed.",
            f"Drop the command or entrypoint override that runs {script} (Helm chart, compose file, pod spec) so "
            "the image's own entrypoint, /usr/local/bin/containerboot, starts tailscaled (it reads the same TS_* "
            "settings), or pin an image older than 1.33.138; then restart the container.",
        )
        return
    yield from _finding(
        ctx,
        issues,
        f"the service manager cannot execute tailscaled ({_last(issues)}): it never ran, nothing crashed.",
        "Check the binary the unit runs: `systemctl cat tailscaled` (its ExecStart path), `ls -l /usr/sbin/tailscaled` "
        "(present, executable, not on a noexec mount: `findmnt -T /usr/sbin`), `file /usr/sbin/tailscaled` against "
        "`uname -m` (an exec format error is a build for another CPU); reinstall the package for this "
        "architecture (or fix the path, SELinux label: `restorecon -v /usr/sbin/tailscaled`), then "
        "`systemctl reset-failed tailscaled && systemctl start tailscaled`.",
    )


@rule(
    id="TS-LOG-OOM-KILLED",
    name="log-oom-killed",
    family="tailscale-daemon-log",
    severity=Severity.ERROR,
    summary="the kernel's OOM killer ended tailscaled (the host, container or unit ran out of memory)",
    target="daemon-log",
)
def oom_killed(log: DaemonLogReport, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: the kernel's ``Out of memory: Killed process N (tailscaled) …`` (``Memory cgroup out of memory: …``
    when a container's or unit's memory limit was hit; ``oom-kill:constraint=…,task=tailscaled,pid=N,…``; systemd's
    ``tailscaled.service: A process of this unit has been killed by the OOM killer.`` and ``Failed with result
    'oom-kill'``) means tailscaled did not fail on its own: it was killed with SIGKILL because memory ran out, and
    the node is offline until it is started again. systemd's ``Main process exited, code=killed, status=9/KILL`` that
    goes with it is its verdict on that kill, not a crash. ``tailscaled invoked oom-killer`` alone only says
    tailscaled asked for memory (another process may have been killed); another process killed is not Tailscale's.

    *Bad*::

        [ 3712.420981] Out of memory: Killed process 526 (tailscaled) total-vm:932140kB, anon-rss:185320kB, file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:608kB oom_score_adj:0

    *Good*::

        [ 3712.420981] Out of memory: Killed process 913 (node) total-vm:1932140kB, anon-rss:885320kB, file-rss:0kB, shmem-rss:0kB, UID:1000 pgtables:1608kB oom_score_adj:0
        Jun 17 10:00:02 host tailscaled[526]: magicsock: derp-1 connected; connGen=1
    """
    issues = log.issues_of("oom-killed")
    if any(word in line.text for issue in issues for line in issue.lines for word in _ANDROID_LMK):
        yield from _finding(
            ctx,
            issues,
            f"Android's low-memory killer ended the Tailscale app ({_last(issues)}): the phone needed memory and the app "
            "(its VPN service with it) was not protected from being reclaimed; the tunnel is down until it starts "
            "again. Not a crash of the app's own.",
            "Exempt Tailscale from battery optimisation (Settings > Apps > Tailscale > Battery: Unrestricted) and turn "
            "off the vendor's background-app limits for it (auto-start / 'sleeping apps' on Samsung, Xiaomi, Huawei, "
            "OnePlus); set it as the Always-on VPN (Settings > Network > VPN) so Android restarts it, and close "
            "memory-hungry apps if the phone keeps running short.",
        )
        return
    limit = any(word in line.text for issue in issues for line in issue.lines for word in _CGROUP_OOM)
    yield from _finding(
        ctx,
        issues,
        f"the kernel's OOM killer ended tailscaled ({_last(issues)}): "
        + (
            "its container's or unit's memory limit was reached"
            if limit
            else "the host (or its container) ran out of memory"
        )
        + "; the node is offline until tailscaled is started again. Not a crash of tailscaled's own.",
        (
            "Raise the memory limit that was hit (Docker `--memory`/compose `mem_limit`, Kubernetes "
            "`resources.limits.memory`, systemd `MemoryMax=` in `systemctl edit tailscaled`) to one that fits, or "
            if limit
            else "Give the host or container more memory (a small VM: e.g. `fly scale memory 512`), or "
        )
        + "find what grows: tailscaled's memory rises with the number of peers, routes and connections (an exit node "
        "or subnet router carries many), and some versions leaked (upgrade: `tailscale update`); watch its RSS "
        "(`ps -o rss,cmd -C tailscaled`) and set a memory limit with headroom above it, then restart tailscaled.",
    )


# the kernel's words for a kill inside a memory cgroup's limit (mm/oom_kill.c) and its summary's constraint
_CGROUP_OOM = ("Memory cgroup out of memory", "constraint=CONSTRAINT_MEMCG", "under its memory limit")
# Android lmkd's words for killing the app (events.py _OOM_KILLED)
_ANDROID_LMK = ("Kill 'com.tailscale.ipn", "Killing 'com.tailscale.ipn")


# systemd's words for an EnvironmentFile= it cannot read (src/core/service.c service_spawn)
_ENVIRONMENT_FILE = "Failed to load environment files"


# What each reason for a failed auth-key mint needs (the key the log model raises it with).
_MINT_FIXES = {
    "dns": "the API host's name does not resolve in this container/host: fix its DNS (Docker: the daemon's `dns:` "
    "or the host's /etc/resolv.conf behind 127.0.0.11; Kubernetes: CoreDNS and the pod's dnsPolicy), check with "
    "`nslookup api.tailscale.com` from the same place, then restart the container.",
    "network": "the API cannot be reached: allow outbound HTTPS (TCP 443) to api.tailscale.com (or the control server "
    "you use: `?baseURL=` on the client secret), or set HTTPS_PROXY for the container; check with `curl -sv "
    "https://api.tailscale.com/api/v2/oauth/token`.",
    "tls": "the TLS connection to the API is intercepted or the clock is wrong: trust the proxy's CA in the "
    "container (or exempt api.tailscale.com from inspection) and check the clock.",
    "credentials": "the API refused the OAuth client (401 / invalid_client): the client secret is wrong, revoked or "
    "truncated; create a new OAuth client (admin console → Settings → OAuth clients) and pass its secret as "
    "`tskey-client-…` in TS_AUTHKEY / --auth-key.",
    "scopes": "the OAuth client may not create auth keys (403): give it the `auth_keys` write scope and the tags it "
    "must assign (it can only mint keys for tags it owns), or use a client that has them.",
    "tags": "the API refused the tags asked for the key (400 `requested tags [...] are invalid or not permitted`): an "
    "OAuth client mints only tagged keys, for tags it owns: pass them (`--advertise-tags=tag:x`: containerboot's "
    "TS_EXTRA_ARGS, the Action's `tags`), spelled as in the policy's tagOwners, and check that the variable holding "
    "them is set (`[]` is an empty list).",
    "api": "the API answered with an error: read it above, check the OAuth client (scopes `auth_keys`, its tags) "
    "and the tailnet, then restart.",
}


@rule(
    id="TS-LOG-AUTH-KEY-MINT-FAILED",
    name="log-auth-key-mint-failed",
    family="tailscale-daemon-log",
    severity=Severity.ERROR,
    summary="no auth key could be created from the OAuth client credentials (DNS, network, TLS, 401/403)",
    target="daemon-log",
)
def auth_key_mint_failed(log: DaemonLogReport, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: with an OAuth client secret (``tskey-client-…``) as its auth key, ``tailscale up`` (containerboot's
    TS_AUTHKEY, the Kubernetes operator's proxies, a tsnet app) first creates a one-off auth key through the
    API: a ``POST /api/v2/oauth/token`` for an access token, then ``POST /api/v2/tailnet/-/keys``. When that
    fails the node never logs in and containerboot restarts tailscaled in a loop. The error says which step
    and why: the API host does not resolve (``lookup api.tailscale.com on 127.0.0.11:53: server
    misbehaving``), cannot be reached, TLS is intercepted, the client secret is refused (401,
    ``invalid_client``) or the client lacks the ``auth_keys`` scope (403). (The API's own answers are the
    CLI's kinds: tags refused or missing ``tags-not-permitted``, ``Status: 401/403, Message: …``
    ``auth-key-rejected``.)

    *Bad*::

        Post "https://api.tailscale.com/api/v2/tailnet/-/keys": Post "https://api.tailscale.com/api/v2/oauth/token": dial tcp: lookup api.tailscale.com on 127.0.0.11:53: server misbehaving
        boot: 2025/07/23 15:09:50 failed to auth tailscale: failed to auth tailscale: tailscale up failed: exit status 1

    *Good*::

        boot: 2025/07/23 15:09:51 Starting tailscaled
        2025/07/23 15:09:53 Switching ipn state Starting -> Running (WantRunning=true, nm=true)
    """
    issues = log.issues_of("auth-key-mint-failed")
    if not issues:
        return
    reasons = list(dict.fromkeys(issue.key for issue in issues))
    named = {
        "dns": "the API host's name does not resolve (DNS)",
        "network": "the API cannot be reached (network)",
        "tls": "TLS to the API fails (interception or clock)",
        "credentials": "the API refused the OAuth client secret (401)",
        "scopes": "the OAuth client lacks the scope or tags (403)",
        "tags": "the API refused the requested tags (400)",
        "api": "the API answered with an error",
    }
    yield from _finding(
        ctx,
        issues,
        "no auth key could be created from the OAuth client credentials — "
        + "; ".join(named.get(reason, reason) for reason in reasons)
        + f" ({_last(issues)}); the node cannot log in.",
        " ".join(f"{reason}: {_MINT_FIXES.get(reason, _MINT_FIXES['api'])}" for reason in reasons),
    )


@rule(
    id="TS-LOG-UPLOAD-FAILING",
    name="log-upload-failing",
    family="tailscale-daemon-log",
    severity=Severity.INFO,
    summary="log upload to Tailscale fails (harmless on its own)",
    target="daemon-log",
)
def upload_failing(log: DaemonLogReport, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: ``logtail: upload: log upload of … failed`` only means tailscaled cannot send its debug logs to
    log.tailscale.com (blocked, proxied, or logging disabled on purpose). Connectivity does not depend on
    it, but it can share a cause with real problems (TLS interception, no DNS, wrong clock).

    *Bad*::

        2022/03/28 09:37:45 logtail: upload: log upload of 191 bytes not-compressed failed: Post "https://log.tailscale.io/c/tailnode.log.tailscale.io/88": context deadline exceeded

    *Good*::

        logtail: upload: log upload of 522 bytes compressed failed: Post "https://log.tailscale.io/c/x": context canceled
    """
    issues = log.issues_of("log-upload-failing")
    yield from _finding(
        ctx,
        issues,
        f"tailscaled cannot upload its logs ({_last(issues)}); harmless on its own.",
        "Nothing to do for connectivity. To stop the attempts: `tailscaled --no-logs-no-support` (or "
        "TS_NO_LOGS_NO_SUPPORT=true); if other issues share the cause, fix those.",
        severity=Severity.INFO,
    )


@rule(
    id="TS-LOG-IPV6-TUNNEL-OFF",
    name="log-ipv6-tunnel-off",
    family="tailscale-daemon-log",
    severity=Severity.INFO,
    summary="tailscaled runs IPv4-only inside the tailnet (the host lacks IPv6 or ip6tables)",
    target="daemon-log",
)
def ipv6_tunnel_off(log: DaemonLogReport, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: when its firewall runner starts, tailscaled checks the host's IPv6 (sysctl, policy routing), the
    ``ip6tables`` binary and (1.62.x) the IPv6 ``filter`` table; when one is missing it logs ``disabling tunneled
    IPv6 due to system IPv6 config: …``, ``… due to missing ip6tables: …`` or ``ipv6 unavailable due to missing filter
    table: …`` and goes on IPv4-only: the node gets no Tailscale IPv6 address or IPv6 routes, IPv4 works. Containers
    (GitHub Codespaces) and hosts booted with IPv6 off log it on every start. Only the 1.62 probe failing on the
    rights to run ip6tables (the xtables lock) is a failure (``TS-LOG-FIREWALL-FAILED``).

    *Bad*::

        2024/05/22 20:12:33 router: ipv6 unavailable due to missing filter table: running [/usr/sbin/ip6tables -t filter -S --wait]: exit status 3: ip6tables v1.8.4 (legacy): can't initialize ip6tables table `filter': Table does not exist (do you need to insmod?)

    *Good*::

        2024/05/22 20:12:33 router: v6filter = true, v6nat = true
    """
    issues = log.issues_of("ipv6-tunnel-off")
    yield from _finding(
        ctx,
        issues,
        f"IPv6 inside the tailnet is off on this node: the host lacks what tailscaled needs for it ({_last(issues)}); "
        "it runs IPv4-only (no Tailscale IPv6 address or IPv6 routes), IPv4 works.",
        "Nothing to do unless you need Tailscale IPv6: then enable IPv6 on the host (sysctl "
        "net.ipv6.conf.all.disable_ipv6=0), install ip6tables and its kernel modules (ip6table_filter), and "
        "restart tailscaled.",
        severity=Severity.INFO,
    )


@rule(
    id="TS-LOG-NETWORK-DOWN",
    name="log-network-down",
    family="tailscale-daemon-log",
    severity=Severity.WARNING,
    summary="the host lost every network link: tailscaled paused",
    target="daemon-log",
)
def network_down(log: DaemonLogReport, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: ``LinkChange: all links down; pausing: …`` (with magicsock's ``SetNetworkUp(false)``, and the
    ``network-status`` health warnable, "network down" in the older overall error) means the operating system has
    no interface up with an address and a route: tailscaled idles until a link comes back. Its lookups and dials
    fail meanwhile (``connect: network is unreachable``), as a symptom. A later ``LinkChange: major, rebinding`` or
    ``SetNetworkUp(true)`` ends it.

    *Bad*::

        2021-02-14 12:52:56.791042465 -0600 -0600: LinkChange: all links down; pausing: interfaces.State{defaultRoute= ifs={} v4=false v6global=false}

    *Good*::

        2021-02-14 12:52:56.791042465 -0600 -0600: LinkChange: all links down; pausing: interfaces.State{defaultRoute= ifs={} v4=false v6global=false}
        2021-02-14 12:53:20.102933011 -0600 -0600: LinkChange: major, rebinding. New state: interfaces.State{defaultRoute=wlan0 ifs={wlan0:[192.168.0.232/24]} v4=true v6global=false}
    """
    issues = log.issues_of("network-down")
    yield from _finding(
        ctx,
        issues,
        f"the host lost every network link and tailscaled paused ({_last(issues)}); nothing of Tailscale's is "
        "broken, it waits for the operating system to bring a link back.",
        "Fix the host's own network, not Tailscale: the cable or Wi-Fi association, DHCP (`ip addr`, `ip route`: an "
        "address and a default route), NetworkManager/systemd-networkd/dhcpcd; tailscaled resumes by itself once a "
        "link with a route is back.",
    )


@rule(
    id="TS-LOG-OPERATOR-UNKNOWN",
    name="log-operator-unknown",
    family="tailscale-daemon-log",
    severity=Severity.WARNING,
    summary="the operator user set with --operator is no user tailscaled can find: its CLI commands are refused",
    target="daemon-log",
)
def operator_unknown(log: DaemonLogReport, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: ``tailscale up|set --operator=<name>`` lets that local user run ``tailscale`` without sudo. tailscaled
    looks the name up on each LocalAPI connection of a user other than root; ``error looking up operator "<name>"
    uid: user: unknown user <name>`` (v1.8+) means no local user has that name (renamed, removed, a typo; a
    directory user the static binaries' /etc/passwd-only lookup of v1.68 and older could not see): the operator's
    commands are then refused like any other user's (``Access denied``, "use sudo"). Root and sudo still work.

    *Bad*::

        Oct 06 09:12:44 nas1 tailscaled[812]: error looking up operator "alice" uid: user: unknown user alice

    *Good*::

        Oct 06 09:12:44 nas1 tailscaled[812]: Switching ipn state Starting -> Running (WantRunning=true, nm=true)
    """
    issues = log.issues_of("operator-unknown")
    names = ", ".join(dict.fromkeys(f'"{issue.key}"' for issue in issues))
    yield from _finding(
        ctx,
        issues,
        f"tailscaled's operator user {names} is no user it can find on this host ({_last(issues)}): that user's "
        "`tailscale` commands are refused as anyone else's; root and sudo still work.",
        "Check the name (`getent passwd <name>`, `id <name>`), then set an existing user: `sudo tailscale set "
        "--operator=$USER` (or clear it: `sudo tailscale set --operator=`); for a directory (LDAP/SSSD) user, "
        "update tailscaled (v1.70+ looks users up with getent).",
    )


@rule(
    id="TS-LOG-HEALTH",
    name="log-health",
    family="tailscale-daemon-log",
    severity=Severity.WARNING,
    summary="tailscaled logged another health problem that did not clear",
    target="daemon-log",
)
def health_errors(log: DaemonLogReport, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: ``health(warnable=X): error: …`` is the same health state ``tailscale status`` prints under
    "# Health check:"; it holds until the daemon logs ``health(warnable=X): ok``. Warnables with a rule of
    their own (DERP, DNS, login, control, router) are reported there; this rule names every other one
    still failing at the end of the paste.

    *Bad*::

        Nov 13 02:07:35 host tailscaled[11844]: health(warnable=update-available): warning: An update from 1.60.0 to 1.62.0 is available.

    *Good*::

        2024/10/02 07:34:57 health(warnable=update-available): warning: An update is available.
        2024/10/02 07:34:59 health(warnable=update-available): ok
    """
    issues = log.issues_of("health:")
    named = "; ".join(f"{issue.key}: {issue.message}" if issue.message != issue.key else issue.key for issue in issues)
    yield from _finding(
        ctx,
        issues,
        f"tailscaled's health check still fails at the end of the log — {named}.",
        "Fix what the warnable names, then check the log for the matching `health(…): ok` (or `tailscale "
        "status`, which lists the same warnings under '# Health check:').",
    )


# What the container can do about each answer (the key events.py gives it), and what it means for throughput.
_UDP_GRO_WHY: dict[str, tuple[str, str]] = {
    "userspace": (
        "tailscaled runs in userspace-networking mode (TS_USERSPACE=true, containerboot's default), which has no "
        "TUN interface to tune",
        "Run the container with a TUN device (TS_USERSPACE=false, /dev/net/tun mounted, NET_ADMIN) if it forwards "
        "much traffic, or drop TS_EXPERIMENTAL_ENABLE_FORWARDING_OPTIMIZATIONS.",
    ),
    "tun-segmentation": (
        "tailscaled's TUN interface has no UDP segmentation offload (a host kernel older than 6.2, or tailscaled "
        "turned TUN GRO off after its probe failed), so coalescing on the NIC would gain nothing",
        "Nothing to do on an older kernel: drop TS_EXPERIMENTAL_ENABLE_FORWARDING_OPTIMIZATIONS; for the gain, run "
        "the node on Linux 6.2 or later.",
    ),
    "permission": (
        "the container may not change its network interface's features (ethtool needs NET_ADMIN)",
        "Add the NET_ADMIN capability to the container (Kubernetes securityContext.capabilities.add, `docker run "
        "--cap-add=NET_ADMIN`), or drop TS_EXPERIMENTAL_ENABLE_FORWARDING_OPTIMIZATIONS.",
    ),
    "build": (
        "this tailscaled was built without UDP GRO support",
        "Use the official tailscale/tailscale image (or a build with GRO), or drop "
        "TS_EXPERIMENTAL_ENABLE_FORWARDING_OPTIMIZATIONS.",
    ),
    "nic": (
        "the kernel or the driver of the default route's interface refused the ethtool change",
        "On the host, `ethtool -K <default route interface> rx-udp-gro-forwarding on rx-gro-list off` where the "
        "driver allows it (https://tailscale.com/s/ethtool-config-udp-gro), or drop "
        "TS_EXPERIMENTAL_ENABLE_FORWARDING_OPTIMIZATIONS.",
    ),
}


@rule(
    id="TS-LOG-UDP-GRO-SUBOPTIMAL",
    name="log-udp-gro-suboptimal",
    family="tailscale-daemon-log",
    severity=Severity.WARNING,
    summary="containerboot asked for UDP GRO forwarding and it was not turned on: forwarding works, slower",
    target="daemon-log",
)
def udp_gro_suboptimal(log: DaemonLogReport, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: a subnet router or exit node container started with TS_EXPERIMENTAL_ENABLE_FORWARDING_OPTIMIZATIONS=true
    has containerboot ask tailscaled to turn on UDP GRO forwarding on the NIC of the default route (``ethtool -K …
    rx-udp-gro-forwarding on rx-gro-list off``). When tailscaled answers with an error containerboot logs it
    (``[unexpected] error enabling UDP GRO forwarding: …``, v1.68+) and goes on: what was asked for is not in force.
    Subnet and exit node traffic still flow, without the throughput the setting was meant to give: the log's
    reading of the CLI kind ``udp-gro-suboptimal``. The answer says why (userspace mode, no UDP segmentation on the
    TUN interface, no NET_ADMIN, the NIC's driver).

    *Bad*::

        boot: 2024/09/20 08:15:02 [unexpected] error enabling UDP GRO forwarding: error enabling UDP GRO forwarding: operation not permitted

    *Good*::

        boot: 2024/09/20 08:15:03 [unexpected] error enabling UDP GRO forwarding: error enabling UDP GRO forwarding: operation not permitted
        2024/09/20 08:20:00 Program starting: v1.74.1-t1b3a0b6f4, Go 1.23.1: []string{"tailscaled", "--tun=tailscale0"}
        2024/09/20 08:20:01 Switching ipn state Starting -> Running (WantRunning=true, nm=true)
    """
    issues = log.issues_of("udp-gro-suboptimal")
    if not issues:
        return
    why, fix = _UDP_GRO_WHY.get(issues[-1].key, _UDP_GRO_WHY["nic"])
    yield from _finding(
        ctx,
        issues,
        f"UDP GRO forwarding, asked for with TS_EXPERIMENTAL_ENABLE_FORWARDING_OPTIMIZATIONS, is not on "
        f"({_last(issues)}): {why}. Subnet and exit node traffic through this node still flow, with less throughput "
        "than the setting was meant to give.",
        fix,
    )
