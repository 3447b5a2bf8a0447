"""What the parsers extract. Tri-state fields use ``None`` for "not shown / not measured".

Tailscale prints an empty value when it did not measure something (``MappingVariesByDestIP:`` is an
``opt.Bool``); reading that as ``False`` is the classic misdiagnosis, so every such field here is
``bool | None`` and the rules treat ``None`` as "unknown".
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from enum import StrEnum
from typing import Any, NamedTuple, TypeVar

from opskit.core.diagnose.text import SourceLine
from opskit.core.findings import Severity

_Frozen = TypeVar("_Frozen")
_FIELD_NAMES: dict[type, frozenset[str]] = {}


def build_frozen(cls: type[_Frozen], values: dict[str, Any]) -> _Frozen:
    """An instance of the frozen dataclass ``cls`` with exactly ``values`` as its fields.

    Equal to ``cls(**values)`` but several times cheaper: a generated frozen ``__init__`` with many
    fields costs ~5-8 µs (keyword unpacking, one ``object.__setattr__`` per field), which adds up when
    a paste holds thousands of reports. Measured with bench/diagnose.py (10,000 netcheck blocks, best
    CPU time, interleaved runs): 552 ms with it, 578 ms with ``cls(**values)`` at all four uses (+4.7%).
    Only for plain dataclasses without ``__post_init__`` or slots;
    every field must be given (checked, so a forgotten field fails at once rather than at first use).
    """
    names = _FIELD_NAMES.get(cls)
    if names is None:
        names = _FIELD_NAMES[cls] = frozenset(f.name for f in fields(cls))  # type: ignore[arg-type]
    if values.keys() != names:
        raise TypeError(f"{cls.__name__}: fields {sorted(names ^ values.keys())} missing or unknown")
    instance = object.__new__(cls)
    instance.__dict__.update(values)
    return instance


class BlockKind(StrEnum):
    NETCHECK = "netcheck"
    STATUS = "status"
    PING = "ping"
    WINDOWS = "windows-error"
    OS_PING = "os-ping"
    ROUTE_LOOKUP = "route-lookup"  # the OS's `ip route get` / `route get` / `Find-NetRoute` answer (not Tailscale's)
    DAEMON_LOG = "tailscaled-log"
    DERP_CHECK = "derp-check"  # `tailscale debug derp <region>`
    TAILNET_LOCK = "tailnet-lock-status"  # `tailscale lock status`
    DNS_STATUS = "dns-status"  # `tailscale dns status`
    PORTMAP_DEBUG = "portmap-debug"  # `tailscale debug portmap`
    EXIT_NODE_LIST = "exit-node-list"  # `tailscale exit-node list`
    PEER_RELAY_SESSIONS = "peer-relay-sessions"  # `tailscale debug peer-relay-sessions`
    DEBUG_NETMAP = "debug-netmap"  # `tailscale debug netmap` (whole, or a piece cut out with jq)
    SERVE_STATUS = "serve-status"  # `tailscale serve status` / `funnel status`: the served tree
    DEBUG_TS2021 = "debug-ts2021"  # `tailscale debug ts2021`: the control plane's Noise handshake trace
    DEBUG_PREFS = "debug-prefs"  # `tailscale debug prefs`: ipn.Prefs as JSON (or JSON5)
    VERSION = "version"  # `tailscale version` (text, --daemon, --upstream, --json)
    DEBUG_HOSTINFO = "debug-hostinfo"  # `tailscale debug hostinfo`: tailcfg.Hostinfo as JSON
    WHOIS = "whois"  # `tailscale whois` / `whoami` (text or --json)
    SWITCH_LIST = "switch-list"  # `tailscale switch --list` (table, old name list, --json)
    SYSPOLICY_LIST = "syspolicy-list"  # `tailscale syspolicy list|reload`: effective system/MDM policy settings
    EXIT_NODE_SUGGEST = "exit-node-suggest"  # `tailscale exit-node suggest`
    DERP_MAP = "derp-map"  # `tailscale debug derp-map`: tailcfg.DERPMap as JSON
    CLI_USAGE = "cli-usage"  # the CLI's help text (USAGE / SUBCOMMANDS / FLAGS): it lists itself, reads no state
    FILE_CP_PROGRESS = "file-cp-progress"  # `tailscale file cp`'s progress line: how far a Taildrop send got
    DEBUG_WATCH_IPN = "debug-watch-ipn"  # `tailscale debug watch-ipn`: the IPN bus notifications as JSON
    PEER_ENDPOINT_CHANGES = "peer-endpoint-changes"  # `tailscale debug peer-endpoint-changes`: magicsock's ring
    METRICS = "metrics"  # `tailscale metrics print` / `debug metrics`: Prometheus text of the counters
    WEB_START = "web-start"  # `tailscale web`'s start-up lines: where it serves, whether it ran the 5252 client
    SERVICES = "services"  # `tailscale service list` (table, --json) / `serve get-config`: Tailscale Services
    CLI_ANSWER = "cli-answer"  # the CLI's routine answers (clianswers.py): the command worked, nothing to diagnose
    INSTALL_SCRIPT = "install-script"  # install.sh's progress (installscript.py): what it installed, how, what next
    K3S_VPN = "k3s-vpn"  # k3s/rke2 --vpn-auth running `tailscale up` itself (k3svpn.py): whether it failed, and why


# ----------------------------------------------------------------------------------------- netcheck


class Ipv6State(StrEnum):
    GLOBAL = "global"  # "yes, [v6]:port"
    NO_ADDR_FOUND = "no-addr-found"  # "(no addr found)": v6 STUN answered but no global address
    OS_ONLY = "os-only"  # "no, but OS has support"
    NONE = "none"  # "no, unavailable in OS"
    NO = "no"  # bare "no" (before v1.30 the CLI did not say whether the OS supports IPv6)
    UNKNOWN = "unknown"


class PortMapState(StrEnum):
    FOUND = "found"  # one or more of UPnP / NAT-PMP / PCP answered
    NONE_FOUND = "none-found"  # probed, nothing answered (empty value)
    NOT_CHECKED = "not-checked"
    UNSUPPORTED = "unsupported"  # binary built without portmapper support
    UNKNOWN = "unknown"  # line absent (pre-v1.6) or log form without the field


class DerpHomeState(StrEnum):
    OK = "ok"
    NO_RESPONSE = "no-response"  # "unknown (no response to latency probes)"
    NONE = "none"  # "[none]"
    NOT_IN_MAP = "not-in-map"  # "N (region not found in map)"
    UNKNOWN = "unknown"


class DerpLatency(NamedTuple):
    """One DERP region's measured latency (a NamedTuple: a report has dozens, built per line)."""

    code: str  # region code ("fra"), or "#<id>" when only the ID is known
    name: str
    latency_ms: float | None  # None: no answer from this region
    region_id: int | None = None
    line: SourceLine | None = None
    cut_off: bool = False  # the paste ends inside this line: a missing latency means nothing


@dataclass(frozen=True)
class NetcheckReport:
    layout: str  # e.g. "text v1.100+", "text v1.0", "json", "tailscaled log (report:)"
    udp: bool | None = None
    ipv4: bool | None = None
    ipv4_endpoint: str | None = None  # ip:port as shown (the CLI's probe socket, not tailscaled's)
    ipv6_state: Ipv6State = Ipv6State.UNKNOWN
    ipv6_endpoint: str | None = None
    mapping_varies: bool | None = None
    hairpinning: bool | None = None
    portmap_state: PortMapState = PortMapState.UNKNOWN
    portmap_protocols: tuple[str, ...] = ()
    captive_portal: bool | None = None
    derp_home: str | None = None  # region name (or code/id in old/log forms)
    derp_home_state: DerpHomeState = DerpHomeState.UNKNOWN
    latencies: tuple[DerpLatency, ...] = ()
    time: str | None = None
    truncated: bool = False
    # netcheck's portmapper log "UPnP discovery response from X, but gateway IP is Y": (X, Y)
    upnp_responder: tuple[str, str] | None = None
    # the block shows netcheck's own log lines, which only a `--verbose` run prints: verbose netcheck waits for every
    # region, so a blank region there was really silent (profile.py also reads verbose's region names, "(derp1, …)")
    verbose: bool = False
    lines: dict[str, SourceLine] = field(default_factory=dict, compare=False, hash=False)

    def line(self, key: str) -> SourceLine | None:
        """The input line a field came from (``udp``, ``ipv4``, ``mapping``, ``portmap`` ...)."""
        return self.lines.get(key)


# ------------------------------------------------------------------------------------------- status


class PathKind(StrEnum):
    DIRECT = "direct"
    DERP = "derp"
    PEER_RELAY = "peer-relay"
    NONE = "none"  # idle / "-": no path in use right now
    UNKNOWN = "unknown"  # layout does not show the path (pre-v1.4)


@dataclass(frozen=True)
class StatusPeer:
    ip: str
    host: str
    owner: str
    os: str
    cell: str  # the status cell as printed
    line: SourceLine
    active: bool | None = None
    idle: bool = False
    exit_node: str | None = None  # "exit node" (in use) | "offers exit node"
    path: PathKind = PathKind.NONE
    direct_addr: str | None = None
    relay_region: str | None = None  # peer's home DERP code (shown only when relayed)
    peer_relay: str | None = None
    offline: bool = False
    last_seen: str | None = None
    tx: int | None = None
    rx: int | None = None
    partial: bool = False  # the row did not fit the column grammar: only its status cell was read


@dataclass(frozen=True)
class NetmapPeer:
    """A peer of a pasted ``tailscale debug netmap`` (tailcfg.Node: Name, Addresses, Online)."""

    name: str
    addresses: tuple[str, ...]
    online: bool | None
    line: SourceLine  # where its netmap JSON starts


@dataclass(frozen=True)
class HealthMessage:
    text: str
    line: SourceLine


@dataclass(frozen=True)
class StatusReport:
    layout: str  # "legacy (<= v1.2)", "fixed-width (v1.4-v1.88)", "tabwriter (v1.90+)", "columns"
    peers: tuple[StatusPeer, ...] = ()
    health: tuple[HealthMessage, ...] = ()
    state_message: str | None = None  # "Tailscale is stopped." / "Logged out." ...
    state_line: SourceLine | None = None
    # The state came from another command's error (`tailscale ip`: "no current Tailscale IPs; state: X"), not
    # from `tailscale status`: that error's own rule explains it, the status rules stay silent.
    from_cli_error: bool = False
    # The BackendState a `status --json` document names, "Running" included (the text form prints no state
    # when running, so state_message stays None there): what the JSON output's "state" shows when no message.
    backend_state: str | None = None

    @property
    def self_peer(self) -> StatusPeer | None:
        """``tailscale status`` prints the local node first, and its cell is ``-`` (never active), or
        ``idle; offers exit node`` when it is an approved exit node (the CLI prints Self with the peers'
        printer, and ``peerStatusFromNode`` sets ExitNodeOption for Self as for any node).

        A first row with another cell means the paste starts below the local node's row, except a bare
        ``offline`` (no ``last seen``) under a health message saying the node lost (or, logged out, never
        had) its map session: Self's Online is tailscaled's "in map poll" (ipnlocal ``ss.Online =
        b.health.GetInPollNetMap()``) and Self has no LastSeen, so that is how the local node's own row reads
        while control is out of reach or the node is logged out.
        """
        if not self.peers:
            return None
        first = self.peers[0]
        if first.cell in _SELF_CELLS or self.layout == "json":
            return first
        if first.cell == "offline" and any(
            word in message.text.lower() for message in self.health for word in _NO_MAP_SESSION
        ):
            return first
        return None


_SELF_CELLS = frozenset({"-", "idle; offers exit node"})
# Health messages that mean the node is out of its map poll (old terse forms and the 1.70+ warnables
# not-in-map-poll and mapresponse-timeout), or never got one because it is logged out (the login-state
# warnable "You are logged out[. The last login error was: …]", before 1.70 "not logged in, last login
# error=…"): the conditions under which Self reads "offline".
_NO_MAP_SESSION = ("map poll", "network map", "map response", "coordination server", "logged out", "not logged in")


# --------------------------------------------------------------------------------------------- ping


@dataclass(frozen=True)
class Pong:
    node: str
    ip: str
    via: str  # as printed: "DERP(lhr)", "1.2.3.4:41641", "[v6]:41641", "peer-relay(...)"
    path: PathKind
    latency_ms: float | None
    line: SourceLine
    derp_region: str | None = None


class PingOutcome(StrEnum):
    DIRECT = "direct"  # a direct pong arrived (exit 0)
    NOT_ESTABLISHED = "not-established"  # only DERP/peer-relay pongs, "direct connection not established"
    RELAYED_ONLY = "relayed-only"  # relayed pongs, paste ends without the verdict (truncated / -c)
    # no direct pong and the last pong came through a Peer Relay (v1.86+; DERP pongs may come first): the path
    # settled on the tailnet's own UDP relay, the intended fallback. A "direct connection not established"
    # after it only says "not direct" (the CLI keeps pinging until direct or -c).
    PEER_RELAY = "peer-relay"
    TIMEOUT = "timeout"
    ERROR = "error"
    SELF = "self"  # "<ip> is local Tailscale IP"


@dataclass(frozen=True)
class PingReport:
    target: str | None  # from the command line or the pong lines
    pongs: tuple[Pong, ...] = ()
    timeouts: tuple[SourceLine, ...] = ()
    errors: tuple[SourceLine, ...] = ()
    verdict_line: SourceLine | None = None
    outcome: PingOutcome = PingOutcome.RELAYED_ONLY


@dataclass(frozen=True)
class OsPingReport:
    """The operating system's ping (Windows or Linux) pasted next to ``tailscale ping``."""

    failed: bool
    lines: tuple[SourceLine, ...]


# -------------------------------------------------------------------------------- CLI and GUI errors
# Read by windows.py (the module's name is where it began: the Windows GUI's and LocalAPI's errors). The JSON
# keeps the names users script against: block kind "windows-error", the "windows" list.


class CliErrorKind(StrEnum):
    """What a Tailscale CLI, GUI or LocalAPI error means, on any OS."""

    NOT_OWNER = "not-owner"  # 401: LocalAPI owned by another identity
    PIPE_MISSING = "pipe-missing"
    PIPE_ACCESS_DENIED = "pipe-access-denied"
    NO_BACKEND = "no-backend"  # 503
    DEADLINE = "deadline-exceeded"
    DOMAIN_TRUST = "domain-trust"
    SERVICE_NOT_RUNNING = "service-not-running"
    GUI_CANNOT_CONNECT = "gui-cannot-connect"
    VERSION_MISMATCH = "version-mismatch"
    UNIX_ACCESS_DENIED = "unix-access-denied"
    BACKEND_ERROR = "backend-error"  # GUI "Tailscale backend error: …": the backend answered with an error
    UP_FLAGS_REQUIRED = "up-flags-required"  # `tailscale up` refused: it must name every non-default setting
    GUI_FAILED_TO_START = "gui-failed-to-start"  # macOS CLI: "The Tailscale GUI failed to start: …"
    AUTH_KEY_REJECTED = "auth-key-rejected"  # `tailscale up --authkey`: "backend error: invalid key: …"
    CLI_USAGE = "cli-usage"  # the CLI rejected its own command line: unknown flag, bad value, stray argument
    EXIT_NODE_REFUSED = "exit-node-refused"  # `--exit-node=…` refused: not in the netmap, not offered, forbidden
    # the admin console (and front ends quoting it) says this node does not offer itself as an exit node, so it
    # cannot be chosen as one: not advertised (`--advertise-exit-node`); a configuration state, nothing failed
    EXIT_NODE_NOT_ADVERTISED = "exit-node-not-advertised"
    FUNNEL_UNAVAILABLE = "funnel-unavailable"  # Funnel prerequisites missing (HTTPS, node attribute, shields-up)
    TLS_INTERCEPTED = "tls-intercepted"  # the CLI's HTTPS to the control server fails certificate checks
    CONTROL_UNREACHABLE = "control-unreachable"  # login: the coordination server (or its proxy) answered 502 …
    # `up`/`login --login-server=<A>` printed a login URL of another control server: the daemon kept its old one
    LOGIN_SERVER_MISMATCH = "login-server-mismatch"
    SSH_FAILED = "ssh-failed"  # `tailscale ssh`: refused by the SSH policy, or nothing answers on port 22
    CERT_FAILED = "cert-failed"  # `tailscale cert` / serve's on-demand certificate: HTTPS off, ACME/SetDNS failed
    SSH_SERVER_UNSUPPORTED = "ssh-server-unsupported"  # `up/set --ssh`: this build/platform cannot run Tailscale SSH
    CLI_PANIC = "cli-panic"  # the CLI itself panicked (Go panic and goroutine trace from `tailscale <cmd>`)
    DAEMON_CONNECTION_RESET = "daemon-connection-reset"  # LocalAPI connection reset/EOF mid-request
    CLI_INTERRUPTED = "cli-interrupted"  # v0.98-v1.6 CLI stopped (Ctrl-C) while it waited for tailscaled's messages
    DERPMAP_FETCH_FAILED = "derpmap-fetch-failed"  # netcheck could not fetch the DERP map: no report
    # `tailscale up/set/login` warnings (the prefs were applied): advertised routes cannot be forwarded …
    IP_FORWARDING_DISABLED = "ip-forwarding-disabled"
    # … or tailscaled could not READ the forwarding sysctls ("couldn't check net.ipv4.ip_forward (exec: sysctl …)",
    # "Couldn't check system's IP forwarding configuration"): the state is unknown (no sysctl on its PATH, no /proc/sys)
    IP_FORWARDING_CHECK_FAILED = "ip-forwarding-check-failed"
    UDP_GRO_SUBOPTIMAL = "udp-gro-suboptimal"  # … or are forwarded slower than they could be (an advisory)
    # `tailscale up`/`set --exit-node=…` on Linux (v1.68-v1.96, cli/risks.go linux-strict-rp-filter): an interface
    # has strict reverse-path filtering (rp_filter=1), so replies through the exit node are dropped; a risk
    # warning (the CLI asks to continue), the health warnable exit-node-misconfiguration says the same
    EXIT_NODE_RP_FILTER_RISK = "exit-node-rp-filter-risk"
    # `tailscale ip` (and what scripts build on it) refused: "no current Tailscale IPs; state: <BackendState>"
    NOT_RUNNING_STATE = "not-running-state"
    # `tailscale up --netfilter-mode=off|nodivert` warned that tailscaled installs no (or undiverted) firewall
    # rules: deliberate (OpenWrt fw4 zones, own iptables), an advisory, not a failure
    NETFILTER_OFF_WARNING = "netfilter-off-warning"
    TAILDROP_FAILED = "taildrop-failed"  # `tailscale file cp` refused or failed (target check, PeerAPI, relay)
    TAILNET_LOCK_FAILED = "tailnet-lock-failed"  # a `tailscale lock` command refused by tailscaled (or its CLI)
    # A node or auth key asked for tags the tailnet policy does not let it own, or for invalid/no tags
    # (control's "requested tags [...] are invalid or not permitted", the CLI's tag checks, OAuth keys)
    TAGS_NOT_PERMITTED = "tags-not-permitted"
    CONFIGURE_HOST_FAILED = "configure-host-failed"  # Synology `tailscale configure-host` / `configure synology`
    # a tailscaled/tailscale subcommand this OS or build does not have ("install-system-daemon not available on …")
    DAEMON_SUBCOMMAND_UNAVAILABLE = "daemon-subcommand-unavailable"
    PEER_NOT_FOUND = "peer-not-found"  # `tailscale ip`/`whois`: the name or address is no peer of the netmap
    # `tailscale ping <peer>`: the peer is in the netmap but its node key expired (ipnlocal pingPeerAPI, magicsock's
    # errExpired for disco/TSMP pings): nothing can reach it until it re-authenticates (this node is fine)
    PEER_KEY_EXPIRED = "peer-key-expired"
    # `tailscale up`/`set`: "Some peers are advertising routes but --accept-routes is false" (their subnets are
    # not reachable from this node); the prefs were applied
    ACCEPT_ROUTES_OFF = "accept-routes-off"
    # `tailscale up`/`set --ssh` warned: Tailscale SSH is on here, but the tailnet policy has
    # no SSH rule at all, so no one can SSH in yet; the prefs were applied (not a refused session: ssh-failed)
    SSH_POLICY_NO_ACCESS = "ssh-policy-no-access"
    # the target's Tailscale SSH server holds a session under a check-mode rule (`"action": "check"`) until the
    # user signs in again at the URL control's banner prints ("# Tailscale SSH requires an additional check."):
    # nothing failed, the node is logged in (not the `up`/`login` prompt: no login of this node is pending)
    SSH_CHECK_REQUIRED = "ssh-check-required"
    # the exit node this node selected is not active ("selected but offline" in `tailscale exit-node list`)
    EXIT_NODE_OFFLINE = "exit-node-offline"
    SERVE_NOT_CONFIGURED = "serve-not-configured"  # `tailscale serve status`: "No serve config" / `{}`: nothing served
    # `tailscale serve`/`funnel`: control says Serve (HTTPS) is not enabled for the tailnet and prints the URL
    # that enables it (cli/serve_legacy.go enableFeatureInteractive prints QueryFeature's Text and URL)
    SERVE_NOT_ENABLED = "serve-not-enabled"
    # that prompt answered by "Success." in the same run: the CLI waited until the feature (Serve/HTTPS, Funnel) was
    # enabled and went on (enableFeatureInteractive): not a refusal, the feature was enabled in this run
    FEATURE_ENABLED = "feature-enabled"
    # `tailscale set`/`up`/`serve` refused: tailscaled runs from a locked --config file (ipnlocal isConfigLocked)
    CONFIG_FILE_LOCKED = "config-file-locked"
    SERVE_FAILED = "serve-failed"  # `tailscale serve`/`funnel` refused the config (port taken, untagged Service host…)
    # the Services config file and the serve config do not fit (cli/serve_v2.go): `serve get-config` could not
    # translate a Service's running serve config into the file (nothing refused, nothing served changed), or
    # `serve set-config` refused an endpoint of the file (nothing of it applied)
    SERVE_CONFIG_INVALID = "serve-config-invalid"
    DRIVE_FAILED = "drive-failed"  # `tailscale drive` (Taildrive): not enabled for the node, bad or unknown share name
    SWITCH_FAILED = "switch-failed"  # `tailscale switch`: no such login profile, or tailscaled refused the switch
    # `tailscale update`, `version --upstream`, `set --auto-update`: this install cannot (auto-)update, or it failed
    UPDATE_FAILED = "update-failed"
    DNS_QUERY_FAILED = "dns-query-failed"  # `tailscale dns query` / `dns status`: tailscaled's resolver failed
    # `tailscale configure` (kubeconfig, pve-appliance, flash-appliance, jetkvm, macOS sysext); Synology's
    # configure-host has its own kind
    CONFIGURE_FAILED = "configure-failed"
    # an app embedding tsnet (tsnet.Server.Up) gave up waiting for its node to reach Running: not logged in
    # (no/refused auth key, an interactive login nobody opened), or control unreachable
    TSNET_UP_TIMEOUT = "tsnet-up-timeout"
    # the desktop app's health warning copied out: title, the warnable's text, "Code: <warnable>"
    GUI_HEALTH_WARNING = "gui-health-warning"
    # installing or updating Tailscale itself failed outside `tailscale update` (an installer script, a systemd
    # system extension that would not merge into /usr: SteamOS, Flatcar, atomic desktops)
    INSTALL_FAILED = "install-failed"
    # the iOS/macOS app could not start its VPN tunnel (the Network Extension): another VPN or a profile/MDM
    # restriction, the VPN configuration missing, disabled or stale, or an iOS fault the app detected
    TUNNEL_START_FAILED = "tunnel-start-failed"
    # the Linux `tailscale systray` could not show its tray icon over D-Bus: no StatusNotifierWatcher (GNOME
    # without the AppIndicator extension), or run under sudo without the desktop user's session bus
    SYSTRAY_FAILED = "systray-failed"
    # an app embedding Tailscale (tsnet, in an Android/HarmonyOS app sandbox) cannot read the routing table: Go's
    # net.Interfaces asks a netlink route socket the sandbox forbids ("route ip+net: netlinkrib: permission
    # denied"), so the embedded node never starts
    NETLINKRIB_PERMISSION_DENIED = "netlinkrib-permission-denied"
    # a front end (the Docker Desktop extension) says the host does not run Tailscale while it does: its check
    # of the host's CLI failed (a detection false alarm, not a stopped daemon)
    GUI_HOST_NOT_DETECTED = "gui-host-not-detected"
    # the shell (bash/zsh/sh/fish, cmd, PowerShell) cannot find the `tailscale` program at all: not installed here,
    # not on PATH, or Tailscale runs in a container/package whose CLI is elsewhere; nothing is known of tailscaled
    CLI_NOT_FOUND = "cli-not-found"
    # LocalAPI refused a request before reading it: 403 "invalid localapi request" (a Host other than
    # local-tailscaled.sock, or a Referer/Origin header: ipn/localapi/localapi.go's DNS-rebinding guard)
    LOCALAPI_INVALID_REQUEST = "localapi-invalid-request"
    # the CLI's own local web page (`tailscale status --web`, `tailscale web`) could not listen on its address:
    # another program holds the port, or the address is not this host's / needs privileges (not tailscaled)
    WEB_LISTEN_FAILED = "web-listen-failed"
    # the device web client (port 5252, `tailscale web` in manage mode; client/web authorizeRequest) refused a
    # browser whose request did not come over the tailnet ("must access over tailscale"): by design, not a failure
    WEB_CLIENT_NOT_OVER_TAILSCALE = "web-client-not-over-tailscale"
    # the CLI stopped to ask before a risky change (cli/risks.go presentRiskToUser: losing this SSH session,
    # a macOS app connector) and was not told yes: nothing changed until confirmed or --accept-risk=<type>
    RISK_NOT_ACCEPTED = "risk-not-accepted"
    # the GitHub Action's `tailscale up` failed on every attempt and the action shows only the exit code
    # ("Tailscale up attempt N failed: sudo failed with exit code 1"): the credential was refused, output hidden
    GITHUB_ACTION_UP_FAILED = "github-action-up-failed"
    # tsidp (Tailscale's OIDC provider) refused a token or userinfo because the login came from a tagged node,
    # which has no user identity ("tagged nodes not supported")
    IDP_TAGGED_NODE_REFUSED = "idp-tagged-node-refused"
    # a NAS package's web UI (QNAP) could not check the NAS login session with the NAS's own login CGI (QTS's
    # forced HTTPS certificate without an IP SAN, the CGI unreachable); tailscaled is not involved
    NAS_WEB_UI_AUTH_FAILED = "nas-web-ui-auth-failed"
    # the device's system policy (MDM, Group Policy, a policy file: util/syspolicy) forbids what was asked ("managed
    # by policy", "disconnect not allowed: always-on mode is enabled", "shutdown access denied by policy"): the
    # administrator set it; this user's permissions (sudo) are not the cause
    BLOCKED_BY_POLICY = "blocked-by-policy"
    # `tailscale ip -4` / `-6` (ip.go, v1.4+): this node (or the peer named) has no tailnet address of that family:
    # the tailnet gives it IPv6 only (policy `disableIPv4`, Headscale without a v4 prefix) or IPv4 only
    ADDRESS_FAMILY_MISSING = "address-family-missing"
    # `tailscale file cp` (file.go, v1.8+): the target peer is offline in the netmap, or (v1.98+) took no bytes for
    # 3 s ("is not replying"): Taildrop sends straight to it and waits; the file arrives only if it comes online
    TAILDROP_TARGET_OFFLINE = "taildrop-target-offline"
    # Headscale's admin CLI could not register a node key (`headscale nodes register --key …`: "Cannot register
    # machine|node: … not found in registration cache"): Headscale holds no pending login for that key (the client
    # logged in through another URL, Headscale restarted, or the entry expired); the client is waiting, not broken
    HEADSCALE_REGISTER_FAILED = "headscale-register-failed"
    # the program run as `tailscale` was tailscaled (cmd/tailscaled: "tailscaled does not take non-flag arguments:
    # [...]"): a stray install first in PATH, a copy/link of the daemon under another name, a combined binary not
    # named `tailscale`, or the daemon typed by hand (`tailscaled up`); nothing reached the running daemon
    CLI_IS_DAEMON = "cli-is-daemon"
    # `tailscale update` answered "no update needed" while the same paste's package manager offers a newer tailscale
    # (updateoffer.py): the updater's "latest" was wrong (v1.54's Alpine updater read the installed apk line)
    UPDATE_NOT_OFFERED = "update-not-offered"
    # the login URL `up`/`login` printed is on 0.0.0.0/[::] (or loopback after a named non-loopback server): the
    # control server's own configured URL is its listen address (Headscale's server_url), loginserver.py
    LOGIN_URL_UNROUTABLE = "login-url-unroutable"
    OTHER = "other"


@dataclass(frozen=True)
class CliError:
    kind: CliErrorKind
    line: SourceLine
    owner: str | None = None  # identity that owns tailscaled (Go quoting undone)
    caller: str | None = None  # identity that was refused
    mode: str | None = None  # "running in server mode" | "already in use" | ...
    pid: int | None = None
    truncated: bool = False
    detail: str = ""
    # A later line of the same paste showing the CLI then got through (`tailscale up`'s "Success."): the
    # error was a start-up race the retry outlived, not a problem left standing.
    cleared_by: SourceLine | None = None
    # (cause, fix) for this very message when the CLI refusals catalog (cli_catalog/) read it: the kind's
    # rule says these instead of its general text.
    explanation: tuple[str, str] | None = None
    # `peer-not-found` naming an address the same paste shows as this node's own (a bare `tailscale ip`)
    names_self: bool = False


@dataclass(frozen=True)
class CliErrorReport:
    errors: tuple[CliError, ...]
    whoami: str | None = None  # from a pasted ``whoami``
    whoami_line: SourceLine | None = None
    elevated: bool | None = None
    admin_member: bool | None = None


# ------------------------------------------------------------------------------------ tailscaled log


@dataclass(frozen=True)
class LogIssue:
    """A problem a tailscaled log shows and that still holds at its end (docs/diagnose.md vocabulary)."""

    kind: str  # "derp-unreachable", "control-unreachable", …, "health:<warnable>"
    severity: Severity
    message: str  # what the last line about it said
    key: str  # what it is about: DERP region, peer, warnable …
    lines: tuple[SourceLine, ...]  # evidence: the first, and the last few lines that raised it
    count: int = 1  # how many lines raised it

    @property
    def line(self) -> SourceLine:
        return self.lines[-1]


@dataclass(frozen=True)
class HomeDerp:
    """The DERP region tailscaled chose as home (``magicsock: home is now derp-4 (fra)``, ``derp=#4``)."""

    region_id: str  # as logged: "4", or a custom "900"
    code: str | None  # "fra" when the log names it
    line: SourceLine


@dataclass(frozen=True)
class LogPeer:
    """A peer seen in disco lines: its short node key and the direct endpoint it now uses."""

    key: str  # "Nm4ml" (the [..] short node key)
    endpoint: str | None
    line: SourceLine
    derp_region: str | None = None  # the DERP region ID magicsock reaches it through when no direct path is seen


@dataclass(frozen=True)
class DaemonLogReport:
    """What a pasted tailscaled log says: who started it, its state, home DERP, and what still fails."""

    version: str | None  # "1.52.0"
    os: str | None  # "windows" | "linux" | "macos" | "android" | "freebsd" | "openbsd" | "ios" | None: not said
    hand_started: bool | None  # started from a shell (True), by the service manager (False), unknown
    argv: tuple[str, ...]
    lines: tuple[SourceLine, ...]
    start_line: SourceLine | None = None
    why: str = ""  # what decided hand_started
    state: str | None = None  # last ipn state switched to ("Running", "NeedsLogin", …)
    state_line: SourceLine | None = None
    home_derp: HomeDerp | None = None
    userspace: bool | None = None  # --tun=userspace-networking / tsnet (True), a TUN device (False)
    issues: tuple[LogIssue, ...] = ()
    peers: tuple[LogPeer, ...] = ()
    # why ``os`` is inferred rather than said ("" when a message, path or record of the log names it)
    os_why: str = ""
    # the messages of the health warnables still failing at the log's end (what tailscaled reported), first seen first
    health: tuple[str, ...] = ()

    def issues_of(self, *kinds: str) -> tuple[LogIssue, ...]:
        """The issues of these kinds (a ``health:`` prefix matches every other warnable)."""
        return tuple(i for i in self.issues if i.kind in kinds or ("health:" in kinds and i.kind.startswith("health:")))
