"""Catalogued errors of tailscaled (LocalAPI handlers, ipnlocal) that the CLI relays, found read as nothing or only
as a generic LocalAPI failure by the coverage sweep (tests/diagnose/cli_sweep.py, session 12 round 2).

client/local prints LocalAPI's error answer as ``Access denied: <body>`` (403), ``Preconditions failed: <body>``
(412), ``<status>: <body>`` (``503 Service Unavailable: no netmap``) or, for a JSON ``{"Error": …}`` body (EditPrefs:
`up`, `set`, `down`), the body alone; `tailscale up` prints a start error as ``backend error: <error>``.
``_RELAYED`` is that wrapper: the short generic bodies below are read anywhere only behind it, and bare only as the
whole answer of a typed `tailscale` command (COMMAND_ANSWERS).

Read from Tailscale's source at de9ec7ee2 (2026-08-22):
- system policy (util/syspolicy: MDM, Group Policy, a policy file) forbidding what was asked: ipnlocal's
  ``errManagedByPolicy`` "managed by policy" (ExitNodeID/ExitNodeIP without AllowExitNodeOverride, v1.74+; its
  ``exit node cannot be changed: …`` wording is in families_a), ipnauth/policy.go's ``disconnect not allowed:
  always-on mode is enabled`` / ``… reason required`` (AlwaysOn, AlwaysOnOverrideWithReason; v1.82+), LocalAPI's
  403 ``shutdown access denied by policy`` (AllowTailscaledRestart). Sudo does not help: the device's administrator
  set it.
- no network map yet: LocalAPI's 503/404 ``no netmap`` (id-token, file targets, funnel's feature query, service
  list, debug), ipnlocal's ``no network map, try again later`` (ErrNoNetMap, `exit-node suggest`).
- Taildrive's PeerAPI answers to a peer (ipnlocal/peerapi_drive.go): 403 ``taildrive not permitted``, 404
  ``taildrive not supported on platform`` (its 404 ``taildrive not enabled`` is families_b's).
- ipnlocal's SetUDPGROForwarding (containerboot's TS_EXPERIMENTAL_ENABLE_FORWARDING_OPTIMIZATIONS): ``UDP GRO
  forwarding cannot be enabled in userspace mode``, ``error enabling UDP GRO forwarding: …``.
- a command's own request failed by tailscaled (session 13): under a typed `tailscale lock|serve|funnel|cert|file|
  drive|switch|update|dns query`, LocalAPI's 500 (the handler relaying ipnlocal's error: tka sync/bootstrap,
  the serve config's store, a profile's prefs…) or 412 (`Preconditions failed: …`, its state changed meanwhile) is
  that command failing, whatever the body (``COMMAND_ANSWERS``; windows.py prefers it to the generic
  ``backend-error`` reading). A 4xx about the request itself stays that reading.
"""

from __future__ import annotations

import re

from opskit.core.diagnose.cli_catalog import Refusal, catalog_entry
from opskit.core.diagnose.lazyre import LazyPattern
from opskit.core.diagnose.models import CliErrorKind
from opskit.core.diagnose.text import typed_tailscale_command

_POLICY = CliErrorKind.BLOCKED_BY_POLICY
# How the CLI (client/local, `up`) wraps what tailscaled answered, at the line's start or after the command's own
# "<what>: " prefix (`suggest exit node: 500 Internal Server Error: …`).
_RELAYED = r"(?:^|: )(?:backend error|(?:HTTP )?[45]\d\d [A-Z][A-Za-z ]*[a-z]|Access denied|Preconditions failed): "
_POLICY_FIX = (
    "Ask whoever manages this device's Tailscale policy (MDM profile, Group Policy, "
    "/etc/tailscale/policy.json) to change or lift the setting; `tailscale syspolicy list` shows the settings in "
    "force and where they come from. sudo or an elevated prompt does not help."
)
_NO_NETMAP_CAUSE = (
    "tailscaled runs but has no network map from the control server yet: the node is logged out or waiting "
    "for a login/approval, stopped with `tailscale down`, or still connecting (just started, control unreachable). "
    "The command needs the map (peers, this node's name and capabilities); nothing was done."
)
_NO_NETMAP_FIX = (
    "Run `tailscale status`: log in (`tailscale up`) or approve the device if it asks, `tailscale up` if stopped; "
    "if it stays without a map, check this host reaches the control server over HTTPS. Then run the command again."
)


def _policy(phrase: str, pattern: str, cause: str, example: str, fix: str = _POLICY_FIX) -> Refusal:
    return catalog_entry(_POLICY, phrase, pattern, cause, fix, "ipn/ipnlocal/local.go, ipn/ipnauth/policy.go", example)


_MANAGED_CAUSE = (
    "tailscaled refused the change: the setting is managed by the device's system policy (MDM, Group Policy or a "
    "policy file; e.g. ExitNodeID/ExitNodeIP without AllowExitNodeOverride). Nothing changed."
)


def _no_netmap(phrase: str, pattern: str, example: str) -> Refusal:
    return catalog_entry(
        CliErrorKind.NOT_RUNNING_STATE,
        phrase,
        pattern,
        _NO_NETMAP_CAUSE,
        _NO_NETMAP_FIX,
        "ipn/localapi/localapi.go, debug.go; ipn/ipnlocal/local.go (ErrNoNetMap)",
        example,
    )


def _udp_gro(pattern: str, why: str, example: str) -> Refusal:
    return catalog_entry(
        CliErrorKind.UDP_GRO_SUBOPTIMAL,
        "udp gro forwarding",
        pattern,
        "tailscaled did not turn on UDP GRO forwarding (containerboot's TS_EXPERIMENTAL_ENABLE_FORWARDING_"
        f"OPTIMIZATIONS): {why}. Subnet routing and exit node traffic still flow, only slower.",
        "For a subnet router or exit node in a container run with a TUN device (TS_USERSPACE=false, /dev/net/tun "
        "and NET_ADMIN), or drop TS_EXPERIMENTAL_ENABLE_FORWARDING_OPTIMIZATIONS; on a host, `ethtool -K <default "
        "route interface> rx-udp-gro-forwarding on rx-gro-list off` (https://tailscale.com/s/ethtool-config-udp-gro).",
        "ipn/ipnlocal/local.go (SetUDPGROForwarding), cmd/containerboot",
        example,
    )


# Tried before every other module's entries: serve's own wrappers ("failed to apply TCP serve: …") name the step,
# this names why it failed. ipnlocal's setServeConfigLocked refuses any serve/funnel change (set, reset, off) while
# the node has no network map (v1.34+ "netMap is nil"), which LocalAPI wraps "updating config: %w" and the CLI
# "sending serve config: %w" (client/local serve.go); older clients relay it as "500 Internal Server Error: …". A
# wrapper program running the CLI quotes that stderr after its own words, in parentheses (IncusOS: "Failed to run:
# tailscale serve reset: exit status 1 (sending serve config: …)"). Not its log line "can't set intercept function
# for Service TCP Ports, netMap is nil" (no colon before it).
EARLY_REFUSALS: tuple[Refusal, ...] = (
    catalog_entry(
        CliErrorKind.NOT_RUNNING_STATE,
        "netmap is nil",
        r"(?:^|: |\()(?:(?:sending serve config|updating config|(?:HTTP )?500 Internal Server Error): )*"
        r"netMap is nil(?=$|[)\"'`.,;])",
        "tailscaled refused the Serve/Funnel change because it has no network map from the control server yet: the "
        "node is logged out, waiting for a login or approval, stopped (`tailscale down`), or still connecting "
        "(just brought up with a new auth key, control unreachable). tailscaled runs; the serve config was not "
        "changed.",
        "Run `tailscale status`: log in (`tailscale up`, or approve the device) or wait until it shows this node "
        "connected, then run the serve/funnel command again (a wrapper: retry its step once the node is up).",
        "ipn/ipnlocal/serve.go (setServeConfigLocked), ipn/localapi/serve.go, client/local/serve.go",
        "sending serve config: updating config: netMap is nil",
    ),
)

REFUSALS: tuple[Refusal, ...] = (
    # ------------------------------------------------------------------------------------- system policy
    _policy(
        "access denied by policy",
        r"\b(?P<what>[\w-]+(?: [\w-]+){0,3}) access denied by policy\b",
        "tailscaled refused the {what} request because the device's system policy does not allow it (LocalAPI's "
        "403 for a shutdown or restart of tailscaled: the AllowTailscaledRestart policy is not set). This user has "
        "the permission; the policy forbids the action. Nothing changed.",
        "Access denied: shutdown access denied by policy",
        "Restart the service itself (`sudo systemctl restart tailscaled`, the Services console), or ask the "
        "device's administrator to set AllowTailscaledRestart; `tailscale syspolicy list` shows the settings in "
        "force. sudo on the CLI command does not help.",
    ),
    _policy(
        "managed by policy", _RELAYED + r"managed by policy\.?$", _MANAGED_CAUSE, "backend error: managed by policy"
    ),
    _policy(
        "disconnect not allowed",
        r"\bdisconnect not allowed: (?:always-on mode is enabled|reason required)",
        "tailscaled refused to disconnect: the device's system policy turns on always-on mode (AlwaysOn); without "
        "AlwaysOnOverrideWithReason nobody may disconnect, with it only with a reason. Tailscale stays connected.",
        "disconnect not allowed: always-on mode is enabled",
        'Where the policy allows an override give a reason: `tailscale down --reason="…"` (1.82+; it is '
        "audit-logged); otherwise ask whoever manages the device's Tailscale policy (`tailscale syspolicy list` "
        "shows the settings in force). sudo does not help.",
    ),
    # ------------------------------------------------------------------------------------- no network map
    _no_netmap("no netmap", _RELAYED + r"no netmap$", "503 Service Unavailable: no netmap"),
    _no_netmap(
        "no network map, try again later",
        _RELAYED + r"no network map, try again later$",
        "500 Internal Server Error: no network map, try again later",
    ),
    # ------------------------------------------------------------------------------------- Taildrive (PeerAPI)
    catalog_entry(
        CliErrorKind.DRIVE_FAILED,
        "taildrive not permitted",
        r"(?:^|: |[\"'`])taildrive not permitted\b",
        "the sharing node refused this peer's Taildrive (WebDAV) request: the tailnet policy grants this user or "
        "device no `tailscale.com/cap/drive` capability to the sharing node (403).",
        'Add a grant from this user or device to the sharing node with app {{"tailscale.com/cap/drive": '
        '[{{"shares": ["*"], "access": "rw"}}]}} (and the drive:access node attribute for the accessing node).',
        "ipn/ipnlocal/peerapi_drive.go",
        "403 Forbidden: taildrive not permitted",
    ),
    catalog_entry(  # (its 404 "taildrive not enabled" is families_b's, with ipnlocal/drive.go's)
        CliErrorKind.DRIVE_FAILED,
        "taildrive not supported on platform",
        r"(?:^|: |[\"'`])taildrive not supported on platform\b",
        "the node asked for a Taildrive share runs on a platform whose tailscaled cannot serve Taildrive shares "
        "(404): only Linux, macOS and Windows nodes share folders.",
        "Share the folder from a Linux, macOS or Windows node (`tailscale drive share <name> <path>` on it, with the "
        "drive:share node attribute in the tailnet policy).",
        "ipn/ipnlocal/peerapi_drive.go",
        "404 Not Found: taildrive not supported on platform",
    ),
    # ------------------------------------------------------------------------------------- UDP GRO forwarding
    _udp_gro(
        r"\bUDP GRO forwarding cannot be enabled in userspace mode\b",
        "tailscaled runs in userspace-networking mode (containerboot's default, TS_USERSPACE=true), which has no "
        "TUN interface to tune",
        "500 Internal Server Error: UDP GRO forwarding cannot be enabled in userspace mode",
    ),
    _udp_gro(
        r"\berror enabling UDP GRO forwarding: (?P<why>.+)",
        "the kernel or ethtool refused it ({why})",
        "error enabling UDP GRO forwarding: operation not supported",
    ),
)

# The short bodies printed alone (EditPrefs' JSON error body, `debug localapi`, a body pasted bare): read only as the
# whole answer of a typed `tailscale` command (bare_answers.py wires them).
BARE: tuple[Refusal, ...] = (
    _policy("managed by policy", r"^managed by policy\.?$", _MANAGED_CAUSE, "managed by policy"),
    _no_netmap("no net", r"^no (?:netmap|network map, try again later)$", "no network map, try again later"),
)


# A command's request failed by tailscaled: (the typed command, its failure kind, what it does, what to check).
_COMMAND_FAILURES = (
    (
        r"lock",
        CliErrorKind.TAILNET_LOCK_FAILED,
        "the Tailnet Lock operation",
        "`tailscale lock status` for the lock's state and this node's key; a step talking to control (sync, "
        "bootstrap, offer) needs the control server reachable",
    ),
    (
        r"(?:serve|funnel)",
        CliErrorKind.SERVE_FAILED,
        "the serve/funnel configuration change",
        "`tailscale serve status` for what is configured now; the node needs its network map (`tailscale status`)",
    ),
    (r"cert", CliErrorKind.CERT_FAILED, "the certificate request", "that HTTPS is enabled for the tailnet"),
    (
        r"file\s+(?:cp|get)",
        CliErrorKind.TAILDROP_FAILED,
        "the Taildrop transfer",
        "`tailscale file cp --targets` for who can receive, and the node's Taildrop directory",
    ),
    (r"drive", CliErrorKind.DRIVE_FAILED, "the Taildrive request", "`tailscale drive list` for the shares"),
    (r"switch", CliErrorKind.SWITCH_FAILED, "the profile switch", "`tailscale switch --list` for the profiles"),
    (r"update", CliErrorKind.UPDATE_FAILED, "the update", "the package source it names"),
    (r"dns\s+query", CliErrorKind.DNS_QUERY_FAILED, "the DNS query", "`tailscale dns status` for the resolvers"),
)
# client/local's form of a 500 (an ipnlocal error relayed by its handler) and a 412 (v1.60+; Go's name before).
_DAEMON_FAILED = (
    ("internal server error", r"500 Internal Server Error", "500 Internal Server Error"),
    ("precondition", r"412 Precondition Failed|Preconditions failed", "Preconditions failed"),
)


def _command_failure(kind: CliErrorKind, what: str, check: str, phrase: str, status: str, printed: str) -> Refusal:
    return catalog_entry(
        kind,
        phrase,
        rf"(?:^|: )(?:HTTP )?(?P<status>{status}): (?P<body>.+)",
        f"tailscaled runs and took the request, but {what} failed in tailscaled ({{status}}: {{body}}): the text "
        "after the status is tailscaled's reason. Nothing changed.",
        f"Read tailscaled's reason and fix what it names (check {check}); tailscaled's log has the lines around "
        "it. Then run the command again.",
        "ipn/localapi, ipn/ipnlocal (a handler's http.Error(w, err.Error(), 500)), client/local",
        f"{printed}: {what} failed",
    )


# `file cp` relays the receiving peer's PeerAPI answer to its PUT: any 5xx there is the transfer failing on the
# receiver (its file writer's error, a proxy between), and a writer's impossible byte count is Go io's
# ErrInvalidWrite "invalid write result", relayed with or without the status (the Android receiver, #16397).
_TAILDROP_TYPED = r"file\s+(?:cp|get)"
_TAILDROP_SERVER_ERRORS = ("bad gateway", "gateway timeout", "insufficient storage")  # a 503 is no-backend
_TAILDROP_FAILURES: tuple[Refusal, ...] = (
    *(
        _command_failure(
            CliErrorKind.TAILDROP_FAILED,
            "the Taildrop transfer",
            "`tailscale file cp --targets` for who can receive, and the receiving device's Taildrop directory",
            reason,
            r"5\d\d " + reason.replace(" ", r"\s"),
            "503 Service Unavailable",
        )
        for reason in _TAILDROP_SERVER_ERRORS
    ),
    catalog_entry(
        CliErrorKind.TAILDROP_FAILED,
        "invalid write result",
        r"(?:^|: )(?P<body>invalid write result)\b",
        "the receiving device's Taildrop took the file but its writer reported an impossible byte count (Go's "
        "io.ErrInvalidWrite, {body}): the transfer failed on the receiver (seen on Android after a file of the "
        "same name was deleted there). Nothing was saved.",
        "Send it again under another file name, or restart Tailscale on the receiving device and clear its "
        "Taildrop folder; update Tailscale there if it keeps failing.",
        "ipn/ipnlocal (the peer's PeerAPI PUT relayed by LocalAPI's file-put), Go io.ErrInvalidWrite",
        "500 Internal Server Error: invalid write result",
    ),
)


COMMAND_ANSWERS: tuple[tuple[re.Pattern[str] | LazyPattern, Refusal], ...] = (
    *(
        (typed_tailscale_command(typed), _command_failure(kind, what, check, phrase, status, printed))
        for typed, kind, what, check in _COMMAND_FAILURES
        for phrase, status, printed in _DAEMON_FAILED
    ),
    *((typed_tailscale_command(_TAILDROP_TYPED), refusal) for refusal in _TAILDROP_FAILURES),
)
