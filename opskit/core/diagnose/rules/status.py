"""Rules that read one ``tailscale status`` output: the actual path per peer and node health."""

from __future__ import annotations

import re
from collections.abc import Iterator

from opskit.core.diagnose.models import PathKind, StatusPeer, StatusReport
from opskit.core.diagnose.profile import AddressScope, address_scope
from opskit.core.diagnose.rules.facts import DiagnoseContext
from opskit.core.diagnose.text import SourceLine
from opskit.core.findings import Finding, Severity
from opskit.core.rules import rule


def peer_name(peer: StatusPeer) -> str:
    """The peer's host name, or where it is shown when a fragment hides the name."""
    host = peer.host.split(" (")[0].strip('()"')
    return host or (peer.ip if peer.ip else f"the peer on line {peer.line.number}")


@rule(
    id="TS-STATUS-RELAYED",
    name="status-relayed",
    family="tailscale-status",
    severity=Severity.WARNING,
    summary="Peer traffic is relayed through DERP",
    target="status",
)
def relayed(status: StatusReport, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: ``active; relay "x"`` means packets to that peer went through DERP region ``x`` (the
    peer's home region) in the last 45 s because no UDP path is in use. It works, but throughput is
    limited and latency is higher. ``relay "tor"`` is Toronto, not Tor.

    *Bad*::

        $ tailscale status
        100.64.0.1  me    u@  linux  -
        100.64.0.2  peer  u@  linux  active; relay "fra", tx 1000 rx 900

    *Good*::

        $ tailscale status
        100.64.0.1  me    u@  linux  -
        100.64.0.2  peer  u@  linux  active; direct 198.51.100.2:41641, tx 1000 rx 900
    """
    for peer in status.peers:
        if peer.active is not False and peer.path is PathKind.DERP and not (peer.tx and peer.rx == 0):
            yield ctx.finding(
                f'{ctx.facts.label} → {peer_name(peer)}: traffic is relayed via DERP region "{peer.relay_region}" '
                "(the peer's home region): no direct UDP path is in use.",
                "Compare both nodes' `tailscale netcheck` (run `opskit diagnose` on them together) to see "
                "whether their NATs allow direct; if they should, look for a firewall dropping UDP to "
                "tailscaled's port (41641 by default) on either side.",
                ctx.facts.evidence(peer.line),
                peer=peer_name(peer),
            )


@rule(
    id="TS-STATUS-TX-NO-RX",
    name="status-tx-no-rx",
    family="tailscale-status",
    severity=Severity.ERROR,
    summary="Sending to a peer, nothing comes back",
    target="status",
)
def tx_no_rx(status: StatusReport, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: ``tx N rx 0`` on an active peer: this node keeps sending and receives nothing, even
    through DERP. NAT type cannot explain that: DERP always works when both ends are up.

    *Bad*::

        100.64.0.1  me  u@  linux  -
        100.64.0.4  arrakis  u@  macOS  active; relay "mia", tx 444 rx 0

    *Good*::

        100.64.0.1  me  u@  linux  -
        100.64.0.4  arrakis  u@  macOS  active; relay "mia", tx 444 rx 10
    """
    for peer in status.peers:
        if peer.active is not False and peer.tx and peer.rx == 0:
            where = f'via DERP "{peer.relay_region}"' if peer.path is PathKind.DERP else "on its current path"
            yield ctx.finding(
                f"{ctx.facts.label} → {peer_name(peer)}: {peer.tx} bytes sent {where}, 0 received: the peer is not "
                "answering at all (asleep, tailscaled stopped, lost its DERP connection, or its keys/ACLs "
                "do not admit this node). NAT type does not explain this: relayed traffic would still flow.",
                f"On {peer.host}: check `tailscale status` shows it running and connected to its DERP home; "
                "check ACLs/grants allow this node; on Headscale check both nodes share a consistent DERP "
                "map and are not expired.",
                ctx.facts.evidence(peer.line),
                peer=peer.host,
            )


@rule(
    id="TS-STATUS-ACTIVE-OFFLINE",
    name="status-active-offline",
    family="tailscale-status",
    severity=Severity.WARNING,
    summary="Peer data path works but control says offline",
    target="status",
)
def active_offline(status: StatusReport, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: ``offline`` reflects the peer's connection to the control plane, ``active; direct …`` the
    data path; both at once means WireGuard traffic flows while the peer lost its control connection.

    *Bad*::

        100.87.60.79    exit-node-1  someone@      linux   active; exit node; direct 198.51.100.9:41641; offline, tx 181866880 rx 949256916

    *Good*::

        100.87.60.79    exit-node-1  someone@      linux   offline, last seen 3d ago
    """
    me = status.self_peer
    others = [p for p in status.peers if p is not me]
    flagged = [p for p in others if p.active and p.offline]
    two_way = [p for p in flagged if p.tx and p.rx]
    if len(two_way) >= 2 and all(p.offline for p in others):
        # Every peer row says offline, even several exchanging traffic both ways: presence is simply not
        # reported (older Headscale releases sent no Online flag, so every peer reads offline), not each
        # peer losing the control server at once.
        yield ctx.finding(
            f"{ctx.facts.label}: every peer is marked offline, yet {len(two_way)} of them are active with traffic "
            "both ways: the control server reports no presence (older Headscale releases did not send it), so "
            "'offline' here says nothing about the peers.",
            "Nothing to fix for the tunnels. To get real online/offline states, upgrade the control server "
            "(Headscale) to a release that reports presence.",
            ctx.facts.evidence(*(p.line for p in two_way[:3])),
            severity=Severity.INFO,
            title="Every peer marked offline while traffic flows: presence not reported by the control server",
        )
        return
    for peer in flagged:
        if peer.active and peer.offline:
            yield ctx.finding(
                f"{ctx.facts.label} → {peer.host}: the data path is up ({peer.path.value}) but the control plane "
                f"marks {peer.host} offline: its connection to the coordination server is broken, not the "
                "tunnel.",
                f"On {peer.host} check the connection to the control server (Headscale URL reachable over "
                "TCP 443, no proxy cutting long polls, clock correct); existing tunnels keep working but "
                "key/endpoint updates will not reach it.",
                ctx.facts.evidence(peer.line),
                peer=peer.host,
            )


@rule(
    id="TS-STATUS-EXIT-NODE-OFFLINE",
    name="status-exit-node-offline",
    family="tailscale-status",
    severity=Severity.WARNING,
    summary="The exit node in use is offline and idle: internet traffic has nowhere to go",
    target="status",
)
def exit_node_offline(status: StatusReport, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: ``idle; exit node; offline`` is the exit node this node uses (cli/status.go prints ``exit node``
    only for the selected one) with no traffic through it and marked offline by the control server: all of
    this node's internet traffic is sent to a node that is gone. (``active; exit node; …; offline`` still
    carries traffic: see TS-STATUS-ACTIVE-OFFLINE.)

    *Bad*::

        100.64.0.1    laptop   me@  linux  -
        100.91.12.34  exit-1   me@  linux  idle; exit node; offline, last seen 3d ago

    *Good*::

        100.64.0.1    laptop   me@  linux  -
        100.91.12.34  exit-1   me@  linux  active; exit node; direct 198.51.100.9:41641, tx 18186 rx 94925
    """
    me = status.self_peer
    for peer in status.peers:
        if peer is me or peer.exit_node != "exit node" or not peer.offline or peer.active:
            continue
        name = peer_name(peer)
        seen = f" (last seen {peer.last_seen})" if peer.last_seen else ""
        yield ctx.finding(
            f"{ctx.facts.label}: the exit node in use, {name}, is offline{seen} and nothing flows through it: every "
            "internet-bound packet (and DNS through the exit node) of this node goes to a node that is not there, "
            "so the internet is unreachable from here while tailnet addresses still work.",
            f"Bring {name} back (running, logged in, key not expired, still an approved exit node), or stop using "
            "it: `tailscale set --exit-node=` (empty) or choose an online one from `tailscale exit-node list`.",
            ctx.facts.evidence(peer.line),
            peer=peer.host,
            severity=Severity.WARNING,
        )


# cli.go lastSeenFmt: "Nm", "Nh", "Nd" before " ago"
_AGO = re.compile(r"^(?P<count>\d+)(?P<unit>[mhd]) ago$")
_AGO_UNITS = {"m": "minute", "h": "hour", "d": "day"}


def _ago_in_words(last_seen: str) -> str:
    """ "166d ago" as "166 days ago" (another form as printed)."""
    ago = _AGO.match(last_seen)
    if ago is None:
        return last_seen
    count = int(ago.group("count"))
    return f"{count} {_AGO_UNITS[ago.group('unit')]}{'' if count == 1 else 's'} ago"


@rule(
    id="TS-STATUS-ONLY-OFFLINE",
    name="status-only-offline",
    family="tailscale-status",
    severity=Severity.WARNING,
    summary="The status rows pasted show only offline peers: those devices are not connected to Tailscale",
    target="status",
)
def only_offline(status: StatusReport, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: a status paste holding no self row and no online peer, only ``offline[, last seen …]`` rows, is the
    rows the poster picked to show the problem: those devices have no connection to the coordination server
    (cli.go lastSeenFmt says since when), so nothing on the tailnet reaches them. The device is off, not running
    Tailscale, or logged out; a node key that expired (180 days by default) reads the same. A full status (the
    self row, or any online peer) with some offline peers is a tailnet's normal state and stays silent.

    *Bad*::

        100.117.91.34    raspberrypi     someone@  linux  offline, last seen 166d ago

    *Good*::

        100.64.0.1       laptop          someone@  linux  -
        100.117.91.34    raspberrypi     someone@  linux  offline, last seen 166d ago
    """
    if not status.peers or status.self_peer is not None or status.state_message or status.from_cli_error:
        return
    if not all(peer.offline and not peer.active for peer in status.peers):
        return
    # the exit node in use has its own rule (TS-STATUS-EXIT-NODE-OFFLINE)
    peers = [peer for peer in status.peers if peer.exit_node != "exit node"]
    if not peers:
        return
    named = [
        f"{peer_name(peer)} is offline" + (f", last seen {_ago_in_words(peer.last_seen)}" if peer.last_seen else "")
        for peer in peers[:6]
    ]
    more = f" (and {len(peers) - 6} more)" if len(peers) > 6 else ""
    cause = (
        f"{ctx.facts.label}: {'; '.join(named)}{more}: the device is off, not running Tailscale, or logged out (an "
        "expired node key looks the same), so nothing on the tailnet reaches it."
    )
    fix = (
        "Check it on the device: is it powered and online, is tailscaled running (`systemctl status tailscaled`), "
        "and what does `tailscale status` say there ('Logged out.' or an expired key: run `tailscale up` again; "
        "disable key expiry for a server in the admin console)."
    )
    evidence = ctx.facts.evidence(*(peer.line for peer in peers[:4]))
    if len(peers) == 1:
        yield ctx.finding(cause, fix, evidence, peer=peer_name(peers[0]))
    else:
        yield ctx.finding(cause, fix, evidence)


@rule(
    id="TS-STATUS-HEALTH",
    name="status-health",
    family="tailscale-status",
    severity=Severity.WARNING,
    summary="tailscaled reports health problems",
    target="status",
)
def health(status: StatusReport, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: the ``# Health check:`` block is tailscaled's own list of what is broken (no DERP home,
    not in map poll, DNS, ...); it is the most direct evidence there is. Its notices (an update is
    available; this is an unstable (development) build) are tailscaled's SeverityLow warnables: information
    (severity info), not a fault.

    *Bad*::

        # Health check:
        #     - not connected to home DERP region 999
        100.64.0.1  me  u@  linux  -

    *Good*::

        100.64.0.1  me  u@  linux  -
    """
    if not status.health or status.from_cli_error:
        return  # a health item read from the desktop app's warning: TS-CLI-GUI-HEALTH-WARNING says it
    faults = [h for h in status.health if _health_notice(h.text) is None]
    if not faults:  # only notices: tailscaled's update-available / unstable-version warnables are SeverityLow
        kinds = {_health_notice(h.text) for h in status.health}
        texts = "; ".join(h.text.rstrip(". ") for h in status.health)
        if kinds == {"update"}:
            title = "tailscaled says an update is available (not a fault)"
            cause = f"the only health message is the update notice ({texts}): a newer Tailscale exists"
            fix = (
                "Optional: update (`tailscale update`, or `tailscale set --auto-update` to keep it current; the app "
                "store on macOS/iOS/Android)."
            )
        else:
            title = "tailscaled says this is an unstable (development) build (not a fault)"
            cause = f"the only health messages are notices ({texts}): this node runs a build from the unstable track"
            fix = (
                "Nothing to fix. For fewer updates and fewer bugs, move to the stable track: "
                "`tailscale update --track=stable` (or install the stable package)."
            )
        yield ctx.finding(
            f"{ctx.facts.label}: {cause}; nothing is broken.",
            fix,
            ctx.facts.evidence(*(h.line for h in status.health)),
            severity=Severity.INFO,
            title=title,
        )
        return
    messages = "; ".join(h.text.rstrip(". ") for h in faults)
    yield ctx.finding(
        f"{ctx.facts.label}: tailscaled reports: {messages}.",
        "Fix what the health messages name first: " + health_advice(messages) + ".",
        ctx.facts.evidence(*(h.line for h in faults)),
    )


# health/warnings.go `update-available` (SeverityLow): "An update from version X to Y is available[. Run
# `tailscale update` …]". The security-update warnable ("A security update from …", SeverityMedium) stays a
# warning.
_UPDATE_AVAILABLE = re.compile(r"^(?:- )?An update from version \S+ to \S+ is available\b", re.IGNORECASE)
# The unstable-track notice, SeverityLow too: v1.36-v1.64 ipn/ipnlocal and health.go "This is an unstable
# (development) version of Tailscale; frequent updates and bugs are likely"; v1.66+ health/warnings.go
# unstableWarnable "This is an unstable version of Tailscale meant for testing and development purposes. …".
_UNSTABLE_VERSION = re.compile(
    r"^(?:- )?(?:Using an unstable version: )?This is an unstable (?:\(development\) )?version of Tailscale\b",
    re.IGNORECASE,
)


def _health_notice(text: str) -> str | None:
    """Which notice (not a fault) this health message is: "update", "unstable", or None for a fault."""
    if _UPDATE_AVAILABLE.match(text):
        return "update"
    if _UNSTABLE_VERSION.match(text):
        return "unstable"
    return None


def health_advice(messages: str) -> str:
    """What to check first for these health messages (or warnable codes): the hints whose words they name,
    else the three most common ones."""
    lowered = messages.lower().replace("-", " ")
    hints = [advice for words, advice in _HEALTH_HINTS if any(word in lowered for word in words)]
    return "; ".join(hints) if hints else "; ".join(advice for _, advice in _HEALTH_HINTS[:3])


# Health messages (old terse forms and the 1.70+ sentences) → what to check first.
_HEALTH_HINTS: tuple[tuple[tuple[str, ...], str], ...] = (
    (
        ("home derp", "relay server", "no derp"),
        "'not connected to home DERP region' / 'could not connect to the … relay server' → check TCP 443 and "
        "UDP 3478 to that DERP region (with Headscale or a custom DERP, its address and certificate)",
    ),
    (
        # v1.6-v1.20's terse forms: "no map response in 5m0s" (health.go), "not in map poll"
        ("map poll", "coordination server", "no map response", "network map from the coordination"),
        "'not in map poll' / 'no map response in …' / 'unable to connect to the coordination server' → check the "
        "connection to the control server (with Headscale: its URL, TLS and reverse proxy)",
    ),
    (("state=stopped", "tailscale is stopped"), "'state=Stopped' → run `tailscale up`"),
    (
        # v1.8-v1.66's "no udp4 bind" (health.go), the no-udp4-bind warnable's "couldn't listen for incoming UDP"
        ("no udp4 bind", "listen for incoming udp"),
        "'no udp4 bind' → tailscaled could not open its UDP port: another process holds it (a second tailscaled, "
        "another WireGuard), or on Windows the port lies in an excluded range (`netsh int ipv4 show "
        "excludedportrange protocol=udp`); free it or pick another with `--port`, then restart tailscaled",
    ),
    (
        ("not logged in", "logged out", "login error"),
        "'not logged in, last login error=…' → log in again (`tailscale up`); a 404 from /machine/register "
        "means the client and a Headscale server do not speak the same protocol version",
    ),
    (
        ("x509", "failed to verify certificate"),
        "'x509: certificate …' → HTTPS to the control server is intercepted (TLS inspection, proxy, captive "
        "portal) or the clock is wrong (expired / not yet valid): try another network, exempt the control and "
        "DERP servers from inspection, fix the time",
    ),
    (
        ("invalid key",),
        "'invalid key' → the control server refused the auth key: create a new one (reusable if restarts or "
        "several nodes replay it) and log in with it once",
    ),
    (
        ("iptables", "nftables", "netfilter", "ts postrouting", "ts forward", "ts input"),
        "'iptables …/nftables … exit status' (adding a rule to a ts-* chain) → tailscaled could not install its "
        "firewall rules: install the iptables/ip6tables extensions it uses (MASQUERADE, conntrack, mark) or the "
        "nftables tool and kernel modules (or set TS_DEBUG_FIREWALL_MODE=nftables), or run with "
        "`tailscale up --netfilter-mode=off` and manage the rules yourself; then restart tailscaled",
    ),
    (
        ("setlinkdns", "resolve1", "systemd resolved"),
        "'setLinkDNS: Failed to activate service org.freedesktop.resolve1' → tailscaled talks to "
        "systemd-resolved over D-Bus and resolved does not start: `systemctl status systemd-resolved dbus`, "
        "enable and start it (or point /etc/resolv.conf away from resolved's stub so tailscaled writes the file "
        "itself), then restart tailscaled",
    ),
    (
        ("dns servers", "dns forward"),
        "'can't reach the configured DNS servers' → check the DNS servers set in the admin console or "
        "Headscale (and the exit node's DNS when one is in use)",
    ),
)


# `tailscale up` waiting for an admin's device approval (cli/up.go: "To authorize your machine, visit (as admin):"
# v0.98-v1.2x, "To approve your machine, visit (as admin):" since) and the state `status` shows meanwhile
# ("Machine is not yet authorized by tailnet admin." v1.8-v1.18, "… approved …" since).
_APPROVAL_PROMPTS = ("To authorize your machine", "To approve your machine")
_APPROVAL_WAITS = ("Machine is not yet approved", "Machine is not yet authorized", *_APPROVAL_PROMPTS)
# the prompts after which `tailscale up` prints "Success." once the login (or the approval) went through
_LOGIN_PROMPTS = ("To authenticate", *_APPROVAL_PROMPTS)


def _login_success(status: StatusReport, ctx: DiagnoseContext) -> SourceLine | None:
    """The "Success." `tailscale up`/`login` printed after the login prompt that is this status' state (once the
    login, an admin's approval or a Headscale admin's `nodes register` went through), or None: still pending."""
    if not status.state_message or status.from_cli_error or not status.state_message.startswith(_LOGIN_PROMPTS):
        return None
    successes = ctx.facts.extra.get("successes", ())
    return next((s for s in successes if status.state_line and s.number > status.state_line.number), None)


@rule(
    id="TS-CLI-LOGIN-SUCCEEDED",
    name="cli-login-succeeded",
    family="tailscale-status",
    severity=Severity.INFO,
    summary="The login waited for authentication, then succeeded",
    target="status",
)
def login_succeeded(status: StatusReport, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: `tailscale up`/`login` print the login (or approval) URL, wait, then "Success." once the node is
    authenticated and running: the prompt above it is not a pending login. Said so that the URL in the paste is
    not mistaken for a node still waiting (an older opskit reported it under TS-STATUS-NOT-RUNNING).

    *Bad*::

        $ sudo tailscale up

        To authenticate, visit:

                https://login.tailscale.com/a/1a2b3c4d5e6f

        Success.

    *Good*::

        $ sudo tailscale up

        To authenticate, visit:

                https://login.tailscale.com/a/1a2b3c4d5e6f
    """
    done = _login_success(status, ctx)
    if done is None:
        return
    yield ctx.finding(
        f'{ctx.facts.label}: the login printed "{status.state_message}" and its URL, then "Success." (line '
        f"{done.number}): the node was authenticated (or registered by the Headscale admin) and is up.",
        "Nothing to fix.",
        ctx.facts.evidence(status.state_line, done),
        severity=Severity.INFO,
        title="Login waited for authentication, then succeeded",
    )


@rule(
    id="TS-STATUS-NOT-RUNNING",
    name="status-not-running",
    family="tailscale-status",
    severity=Severity.ERROR,
    summary="Tailscale is not running on this node",
    target="status",
)
def not_running(status: StatusReport, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: ``Tailscale is stopped.`` / ``Logged out.`` / ``not yet approved`` mean no peer can reach
    this node at all. On Windows without Unattended Mode, tailscaled also stops when the last GUI/CLI
    client disconnects ("works only while the GUI runs").

    *Bad*::

        $ tailscale status
        Logged out.

        Log in at: https://headscale.example.com/register/abc

    *Good*::

        100.64.0.1  me  u@  linux  -
    """
    if not status.state_message or status.from_cli_error:
        return
    message = status.state_message
    if message.startswith("Tailscale is stopped"):
        fix = (
            "Run `tailscale up`. On Windows, if it stops again when you log off or close the tray app, turn "
            "on "
            "Unattended Mode (`tailscale up --unattended` or 'Run unattended' in the menu) so tailscaled "
            "keeps "
            "running without a GUI client."
        )
    elif message.startswith(_LOGIN_PROMPTS):
        if _login_success(status, ctx) is not None:
            return  # the login went through: TS-CLI-LOGIN-SUCCEEDED says so (the node is running)
        fix = (
            "`tailscale up` is waiting for a login: open the URL printed under this line and sign in; with "
            "Headscale an admin registers it (`headscale nodes register --user <user> --key <key from the "
            "URL>`). To skip the browser, pass a pre-auth key (`tailscale up --auth-key=…`)."
        )
        if ctx.facts.extra.get("login_server_mismatch"):
            fix = (
                "The URL printed under this line belongs to another control server than the --login-server named "
                "(TS-CLI-LOGIN-SERVER-MISMATCH): do not open it; log out and log in to the server you named."
            )
        elif message.startswith(_APPROVAL_PROMPTS):
            fix = (
                "An admin of the tailnet approves the device in the admin console (Machines, the URL printed under "
                'this line); `tailscale up` then prints "Success.". To skip the wait, use a pre-approved auth key.'
            )
    elif message.startswith(("Logged out", "Log in at", "NeedsLogin")):
        fix = "Log in again (`tailscale up --login-server=<your Headscale URL>`), or re-register the node key."
    elif message.startswith(_APPROVAL_WAITS):
        fix = "Approve the node in the admin console (Headscale: `headscale nodes register`)."
    else:
        fix = "Restart tailscaled and check its log for why the backend is in this state."
    if message.startswith(_APPROVAL_PROMPTS):
        cause = (
            f'{ctx.facts.label}: `tailscale up` printed "{message}" and the admin console\'s URL, and no "Success." '
            "after it: the node is logged in but device approval is on and no admin has approved it yet, so it has "
            "no tunnel and no peer can reach it."
        )
    elif message.startswith("To authenticate"):
        # cli/up.go prints the URL while the backend is not Running and "Success." only once it is: a pending
        # first login (a normal step, but the node has no tailnet address until someone completes it)
        cause = (
            f'{ctx.facts.label}: `tailscale up`/`login` printed "{message}" and its URL, and no "Success." after '
            "it: the node is not logged in yet (the interactive login is pending), so it has no tailnet address "
            "and no peer can reach it until the login is completed."
        )
    else:
        cause = (
            f'{ctx.facts.label}: `tailscale status` says "{message}": this node has no tunnel, so no peer can reach it.'
        )
    yield ctx.finding(
        cause,
        fix,
        ctx.facts.evidence(status.state_line),
    )


@rule(
    id="TS-STATUS-LEGACY",
    name="status-legacy",
    family="tailscale-status",
    severity=Severity.INFO,
    summary="Pre-1.4 status layout: the path is not shown",
    target="status",
)
def legacy(status: StatusReport, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: the v1.2 layout ``[key] os ip host tx= rx=`` marks the active relay or endpoint with
    ``*…*`` only when one is in use; without that the path is unknown, not 'none'.

    *Bad*::

        [vmMIl] linux   100.91.66.111   myhost             tx=    1588 rx=   11932

    *Good*::

        [vmMIl] linux   100.91.66.111   myhost             tx=    1588 rx=   11932 *198.51.100.3:41641*
    """
    if not status.layout.startswith("legacy"):
        return
    unknown = [p for p in status.peers if p.path is PathKind.UNKNOWN]
    if not unknown:
        return
    yield ctx.finding(
        f"{ctx.facts.label}: this is the pre-1.4 `tailscale status` layout and it does not show which path "
        f"{len(unknown)} peer(s) use; nothing can be concluded about direct vs relayed from it.",
        "Upgrade Tailscale (the client is older than v1.4) and paste `tailscale status` again, or use "
        "`tailscale ping <peer>` to see the path.",
        ctx.facts.evidence(*(p.line for p in unknown[:3])),
    )


@rule(
    id="TS-STATUS-PEER-RELAY",
    name="status-peer-relay",
    family="tailscale-status",
    severity=Severity.INFO,
    summary="Peer traffic goes through a Tailscale Peer Relay",
    target="status",
)
def peer_relay(status: StatusReport, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: ``peer-relay ip:port:vni:n`` (v1.86+) means a tailnet node relays UDP for this pair: better
    than DERP, still not direct; the NATs of both ends did not allow a direct path.

    *Bad*::

        100.64.0.1  me  u@  linux  -
        100.64.0.3  far  u@  linux  active; peer-relay 198.51.100.7:7777:vni:1, tx 5 rx 6

    *Good*::

        100.64.0.1  me  u@  linux  -
        100.64.0.3  far  u@  linux  active; direct 198.51.100.7:41641, tx 5 rx 6
    """
    for peer in status.peers:
        if peer.active and peer.path is PathKind.PEER_RELAY:
            yield ctx.finding(
                f"{ctx.facts.label} → {peer.host}: traffic goes through a Peer Relay ({peer.peer_relay}), not direct.",
                "Acceptable; to get direct, see the pairwise prediction for the NAT change that would allow it.",
                ctx.facts.evidence(peer.line),
                peer=peer.host,
            )


@rule(
    id="TS-STATUS-DIRECT",
    name="status-direct",
    family="tailscale-status",
    severity=Severity.INFO,
    summary="Peer traffic is direct",
    target="status",
)
def direct(status: StatusReport, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: users paste `tailscale status` to ask "is it direct?"; ``active; direct ip:port`` is the
    answer, and whether that endpoint is on the LAN, public or behind CGNAT says which path was found.

    *Bad*::

        100.64.0.1  gateway  ops@  linux  -
        100.64.0.7  nas      ops@  linux  active; direct 192.168.1.20:41641, tx 1200 rx 3400

    *Good*::

        100.64.0.1  gateway  ops@  linux  -
        100.64.0.7  nas      ops@  linux  active; relay "fra", tx 1200 rx 3400
    """
    for peer in status.peers:
        if peer.path is not PathKind.DIRECT or peer.active is False:
            continue
        endpoint = peer.direct_addr or "?"
        scope = address_scope(endpoint) if peer.direct_addr else AddressScope.NONE
        where = {
            AddressScope.PRIVATE: "a LAN endpoint",
            AddressScope.PUBLIC: "a public endpoint",
            AddressScope.SHARED: "a CGNAT-range endpoint",
            AddressScope.REDACTED: "an endpoint (redacted)",
        }.get(scope, "an endpoint")
        yield ctx.finding(
            f"{ctx.facts.label} → {peer_name(peer)}: direct to {where} {endpoint}; no relay in use.",
            "Nothing to fix.",
            ctx.facts.evidence(peer.line),
            title=f"{peer_name(peer)} is direct",
            peer=peer_name(peer),
            endpoint=peer.direct_addr,
        )
