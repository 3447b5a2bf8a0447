"""Catalogued CLI refusals: a feature this tailscaled (or CLI) build, platform or node does not have.

Read from Tailscale's source at de9ec7ee2 (2026-08-22): feature/feature.go's ``ErrUnavailable`` ("feature not
included in this build", v1.90+), which LocalAPI answers with a 501 for every endpoint whose feature a
``ts_omit_*`` build tag left out; feature/routecheck/localapi.go (v1.102+), whose LocalAPI handler answers 503
"routecheck is not enabled" when tailscaled runs without its routecheck extension; ipn/localapi/debug.go's 501
"debug not supported in this build"; ipn/ipnlocal/local.go's "TCP connection breaking not available on this
platform". The CLI relays them as ``<status>: <body>`` (``501 Not Implemented: …``, ``503 Service Unavailable:
…``), wrapped by the command (``routecheck: error 503 …: …``). tailscaled runs and answered: never "no backend"
nor "not running".
"""

from __future__ import annotations

from opskit.core.diagnose.cli_catalog import Refusal, catalog_entry
from opskit.core.diagnose.models import CliErrorKind

_UNAVAILABLE = CliErrorKind.DAEMON_SUBCOMMAND_UNAVAILABLE
_ANSWERED = "tailscaled runs and answered (this is not 'no backend' or a stopped service); nothing changed."
UNKNOWN_ENDPOINT_CAUSE = (
    "tailscaled runs and answered, but has no LocalAPI endpoint for what the CLI asked (404 Not Found: 404 page not "
    "found): the `tailscale` CLI is newer than the tailscaled it talks to (two installs side by side, or a package "
    "upgraded while the old daemon kept running), or tailscaled is a build that leaves that feature out. " + _ANSWERED
)
UNKNOWN_ENDPOINT_FIX = (
    "Compare `tailscale version` with `tailscale version --daemon`: use the CLI that came with the running "
    "tailscaled (`which -a tailscale`) or restart tailscaled after the upgrade so both are the same release "
    "(remove the other install); a minimal build needs the feature built in."
)

REFUSALS: tuple[Refusal, ...] = (
    catalog_entry(
        _UNAVAILABLE,
        "routecheck is not enabled",
        r"\broutecheck is not enabled\b",
        "tailscaled has no routecheck client running, so `tailscale routecheck` has no report to give: this "
        "tailscaled was built without the feature (`ts_omit_routecheck`, a minimal or older build: routecheck "
        "came with 1.102), or it was switched off with TS_DEBUG_FORCE_CLIENT_SIDE_REACHABILITY_ROUTECHECK=false. "
        + _ANSWERED,
        "Run a tailscaled that has it (`tailscale version --daemon` shows which one answers: 1.102+ from "
        "pkgs.tailscale.com or the app, not a `ts_omit_routecheck` build), and remove "
        "TS_DEBUG_FORCE_CLIENT_SIDE_REACHABILITY_ROUTECHECK=false from tailscaled's environment (e.g. "
        "/etc/default/tailscaled); then restart tailscaled. Subnet routers stay usable without it.",
        "feature/routecheck/localapi.go",
        "503 Service Unavailable: routecheck is not enabled",
    ),
    catalog_entry(
        _UNAVAILABLE,
        "feature not included in this build",
        r"\bfeature not included in this build\b",
        "tailscaled was built without the feature this command needs: a `ts_omit_*` build tag left it out (a "
        "minimal build: OpenWrt's or a router/NAS package, `build_dist.sh --extra-small`, a custom build), so "
        "LocalAPI answered 501. " + _ANSWERED,
        "Install an official full build (pkgs.tailscale.com, the distribution's `tailscale` package or the app) "
        "or rebuild without that feature's `ts_omit_` tag; `tailscale version --daemon` shows which tailscaled "
        "answers.",
        "feature/feature.go (ErrUnavailable), ipn/localapi",
        "501 Not Implemented: feature not included in this build",
    ),
    catalog_entry(
        _UNAVAILABLE,
        "debug not supported in this build",
        r"\bdebug not supported in this build\b",
        "tailscaled was built without its debug handlers (`ts_omit_debug`, a minimal build), so LocalAPI "
        "refused the `tailscale debug …` action with a 501. " + _ANSWERED,
        "Use an official full build of tailscaled for debugging (pkgs.tailscale.com or the app), or rebuild "
        "without `ts_omit_debug`.",
        "ipn/localapi/debug.go",
        "501 Not Implemented: debug not supported in this build",
    ),
    catalog_entry(
        _UNAVAILABLE,
        "tcp connection breaking not available",
        r"\bTCP connection breaking not available on this platform\b",
        "`tailscale debug break-tcp-conns` closes the OS's TCP connections, which tailscaled can do only on "
        "Linux and macOS; on this platform it cannot. " + _ANSWERED,
        "Run it on a Linux or macOS node, or restart the application whose connections should be reset.",
        "ipn/ipnlocal/local.go",
        "500 Internal Server Error: TCP connection breaking not available on this platform",
    ),
    # Any other 501: LocalAPI and ipnlocal answer 501 Not Implemented only for what this build or platform lacks
    # (feature.ErrUnavailable, "debug not supported in this build", "netfilter kind only settable on linux", a
    # peer's "DNS not wired up", "not implemented"): the generic reading of that status.
    catalog_entry(
        _UNAVAILABLE,
        "501 not implemented: ",
        r"(?:^|: |`)(?:HTTP )?501 Not Implemented: (?P<body>.+)",
        "tailscaled does not implement what the command asked in this build or on this platform (LocalAPI's 501 "
        "Not Implemented: {body}): a minimal build without the feature, an OS where it does not exist, or a "
        "peer's tailscaled lacking it. " + _ANSWERED,
        "Run the command where it is implemented (the OS the message names) or with an official full build of "
        "tailscaled (pkgs.tailscale.com or the app); `tailscale version --daemon` shows which tailscaled answers.",
        "ipn/localapi, ipn/ipnlocal (http.StatusNotImplemented), feature/feature.go",
        "501 Not Implemented: netfilter kind only settable on linux",
    ),
    # LocalAPI's answer to a path it has no handler for (localapi.go ServeHTTP: http.NotFound, "404 page not
    # found"): the CLI asked for an endpoint this tailscaled does not know. client/local prints it "404 Not Found:
    # 404 page not found"; WatchIPNBus (`up`, `login`, `status --watch`…) the status alone ("404 Not Found",
    # issue 9654 with "client version 1.50.1 != tailscaled server version 1.28.0"; bare_answers reads that one).
    catalog_entry(
        CliErrorKind.VERSION_MISMATCH,
        "404 page not found",
        r"(?:^|: |`)(?:HTTP )?404 Not Found: 404 page not found\b",
        UNKNOWN_ENDPOINT_CAUSE,
        UNKNOWN_ENDPOINT_FIX,
        "ipn/localapi/localapi.go (ServeHTTP), client/local",
        "404 Not Found: 404 page not found",
    ),
)
