"""Catalog of what the programs that WRAP tailscaled or the tailscale CLI print, read from their public source
before anyone pasted it: the GitHub Action, the Home Assistant add-on (bashio and s6-overlay), containerboot and
the Kubernetes operator (Go log, zap JSON and console), Traefik's and Caddy's Tailscale certificate getters.

Each entry is one message as the wrapper prints it, with realistic values, the reading an expert expects (the CLI
kind or log issue, several space-separated, or "none" for the wrapper's routine lines) and where it comes from
(repository, file:line, commit and the versions that print it). A relayed LocalAPI answer takes the kind of the
answer it relays. Every entry is read under each prefix its wrapper adds (the Action's raw log and web view,
bashio's levels with and without colour, containerboot under kubectl/compose/container stamps, zap's JSON with an
epoch or ISO 8601 time and its console form, Traefik's zerolog and logrus lines, Caddy's JSON and console lines).

Sources (all read with git, free):
  tailscale/github-action at d1b6cd2 (v4.1.3; the composite action.yml of v2-v3 for the shell-step wordings)
  hassio-addons/addon-tailscale at b75e536 (2026-01-28)
  tailscale/tailscale at de9ec7ee2 (cmd/containerboot, cmd/k8s-operator, client/local, ipn/localapi)
  traefik/traefik at fd5a576df2 (pkg/provider/tailscale/provider.go)
  caddyserver/caddy at 0cf03d32f (modules/caddytls/certmanagers.go: the certificate comes from tscert/LocalAPI)
"""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from opskit.core.diagnose.cli_catalog import Refusal, wrappers
from opskit.errors import InputError
from tests.diagnose.conftest import run_json

# A LocalAPI call made by a wrapper (Traefik, Caddy, the operator's proxies) that found no tailscaled: client/local
# local.go:184 "Failed to connect to local Tailscale daemon for %s; %s Error: %w" (v1.38+), the hint "not running?"
# (off Linux or without systemctl, as in a container) or systemd's unit state.
_NO_DAEMON = (
    "Failed to connect to local Tailscale daemon for /localapi/v0/cert/nas.tail1234.ts.net; not running? Error: "
    "dial unix /var/run/tailscale/tailscaled.sock: connect: no such file or directory"
)
# client/local local.go:172 wraps LocalAPI's 403 as "Access denied: …"; ipn/localapi/cert.go:26 "cert access
# denied" (the calling user is not root, not the operator, not TS_PERMIT_CERT_UID) (v1.22+)
_CERT_DENIED = "Access denied: cert access denied"

# (wrapper, level, message, error attribute ("" for none), expected reading); source in the comment above each.
CATALOG: list[tuple[str, str, str, str, str]] = [
    # ------------------------------------------------------------------------------------ GitHub Action
    # src/main.ts:162 the status after `tailscale up` is not Running (core.setFailed) (v4.0+)
    ("action", "error", "❌ Tailscale backend state: NeedsLogin", "", "not-running-state"),
    ("action", "error", "❌ Tailscale backend state: NeedsMachineAuth", "", "not-running-state"),
    # src/main.ts:813 the daemon's LocalAPI never answered `tailscale status --json` in 15 s (v4.0+)
    (
        "action",
        "error",
        "tailscaled daemon did not become ready within timeout, last error: /usr/bin/tailscale failed with exit code 1",
        "",
        "service-not-running",
    ),
    # src/main.ts:306 validateAuth: no credential input (v4.1+, Oct 2025); action.yml:76 of v3 / :56 of v2 (June 2023
    # to v3: ::error title=⛔ error hint::OAuth identity empty, …)
    (
        "action",
        "error",
        "Please provide either an auth key, OAuth secret and tags, or federated identity client ID and audience "
        "with tags.",
        "",
        "cli-usage",
    ),
    (
        "action",
        "error",
        "OAuth identity empty, Maybe you need to populate it in the Secrets for your workflow, see more in "
        "https://docs.github.com/en/actions/security-guides/encrypted-secrets and https://tailscale.com/s/oauth-clients",
        "",
        "cli-usage",
    ),
    # src/main.ts:282 an OAuth secret without tags (v4.1+)
    ("action", "error", "the tags parameter is required when using an OAuth client", "", "cli-usage"),
    # src/main.ts:296 workload identity with a client older than 1.90 (v4.1+)
    (
        "action",
        "error",
        "Workload identity federation requires using tailscale version 1.90.0 or later.",
        "",
        "cli-usage",
    ),
    # action.yml:339 of v3 (Sep 2025; hostname check before `tailscale up`, gone in v4)
    (
        "action",
        "error",
        "HOSTNAME 'github-runner_01' is not a valid DNS label. It should contain only alphanumeric characters and "
        "dashes, be 1-63 characters long, and not start or end with a dash.",
        "",
        "cli-usage",
    ),
    # src/main.ts:95 (v4), action.yml:70 of v3 / :50 of v2: the runner's OS has no build the action installs
    ("action", "error", "Support Linux, Windows, and macOS Only", "", "install-failed"),
    ("action", "error", "Support Linux Only", "", "install-failed"),
    # src/main.ts:513/:631 the downloaded package's SHA-256 does not match (v4.0+)
    ("action", "error", "SHA256 checksum mismatch", "", "install-failed"),
    # src/main.ts:921 one `tailscale up` attempt hit the action's timeout input (default 60s; v4.0+)
    ("action", "warning", "Tailscale up attempt 3 failed: Timeout", "", "not-running-state"),
    # --- the Action's routine lines (src/main.ts:124/:153/:882/:942, logging.ts:79)
    ("action", "info", "Resolved Tailscale version: 1.94.2", "", "none"),
    ("action", "info", "✅ Tailscale is running and connected!", "", "none"),
    ("action", "info", "Attempt 1 to bring up Tailscale...", "", "none"),
    ("action", "info", "Daemon ready! Initial state: NeedsLogin", "", "none"),
    ("action", "info", "✅ Ping host build-cache reachable via DERP!", "", "none"),
    ("action", "info", "✅ Tailscale up command completed successfully on attempt 1", "", "none"),
    # ------------------------------------------------------------------------- Home Assistant add-on
    # post-tailscaled/run:42 (bashio::exit.nok prints FATAL) (Sep 2025, after v0.26.1)
    (
        "bashio",
        "FATAL",
        "You can't advertise this device as an exit node and at the same time specify an exit node to use",
        "",
        "exit-node-refused",
    ),
    # share-homeassistant/run:25/:64 (v0.12.0+): HTTPS certificates / Funnel not enabled for the tailnet or node
    ("bashio", "FATAL", "Tailscale's HTTPS support is disabled", "", "serve-not-enabled"),
    ("bashio", "FATAL", "Tailscale's Funnel support is disabled", "", "funnel-unavailable"),
    # share-homeassistant/run:30 (v0.12.0+)
    (
        "bashio",
        "FATAL",
        "Tailscale's HTTPS support is enabled, but Home Assistant is not accessible through plain HTTP connection",
        "",
        "serve-failed",
    ),
    # share-homeassistant/run:53 Home Assistant refuses the proxied request (no trusted_proxies) (v0.13.0+)
    (
        "bashio",
        "FATAL",
        "Unable to connect to Home Assistant as reverse proxy. Please check your configuration based on the "
        'add-on\'s documentation under "Option: share_homeassistant".',
        "",
        "serve-failed",
    ),
    # post-tailscaled/run:150 (v0.26.0+)
    ("bashio", "FATAL", "Unable to remove previous Tailscale Serve and Funnel settings", "", "serve-failed"),
    # tailscaled/finish:12 s6 reports tailscaled's exit; 256 = killed by a signal (15: a stop) (v0.8.0+)
    ("bashio", "INFO", "Service tailscaled exited with code 1 (by signal 0)", "", "crash"),
    ("bashio", "INFO", "Service tailscaled exited with code 256 (by signal 15)", "", "none"),
    # usr/bin/protect-subnet-routes:68 (exit.nok, v0.26.1+) and the NetworkManager dispatcher's protect-subnets
    # (log.error, v0.23.3+): the `ip rule`s keeping the host's own subnets off Tailscale's table were not added
    ("bashio", "FATAL", "  Adding route 192.168.1.0/24 to ip rules is unsuccessful", "", "firewall-failed"),
    (
        "bashio",
        "ERROR",
        "Failed to protect subnet routes. Halting add-on to prevent network loss.",
        "",
        "firewall-failed",
    ),
    ("bashio", "INFO", "  Adding route 192.168.1.0/24 to ip rules", "", "none"),
    # --- the add-on's routine lines (tailscaled/run:10/:37, post-tailscaled/run:128/:157/:190, local-network)
    ("bashio", "INFO", "Starting Tailscale...", "", "none"),
    ("bashio", "INFO", "Tailscale is running", "", "none"),
    ("bashio", "NOTICE", "The add-on uses userspace networking mode.", "", "none"),
    ("bashio", "WARNING", "The connection's key will expire on: 2024-10-28T12:00:00Z", "", "none"),
    (
        "bashio",
        "NOTICE",
        "Tailscale logs will be suppressed after 200 lines, set add-on's configuration option 'log_level' to "
        "'debug' to see further logs",
        "",
        "none",
    ),
    ("bashio", "INFO", "Local network is ready", "", "none"),
    # ---------------------------------------------------------------------------------- containerboot
    # cmd/containerboot/main.go:551 (v1.40+): the node waits for an admin to approve it
    ("boot", "", "machine authorization required, please visit the admin panel", "", "needs-machine-auth"),
    # main.go:571 (v1.86+): the key in TS_AUTHKEY was refused; the operator is asked for a new one
    (
        "boot",
        "",
        "Auth key failed to authenticate (may be expired or single-use), disconnecting from control and "
        "requesting new key from operator",
        "",
        "login-required",
    ),
    # main.go:735 (v1.50+): the node fell out of Running (key expiry, logged out from the admin console)
    ("boot", "", 'tailscaled left running state (now in state "NeedsLogin"), exiting', "", "login-required crash"),
    # tailscaled.go:87 (log.Fatalf, v1.34+)
    (
        "boot",
        "",
        "ensuring that /dev/net/tun exists: mknod /dev/net/tun: operation not permitted",
        "",
        "tun-unavailable crash",
    ),
    # settings.go:374 (v1.58+)
    (
        "boot",
        "",
        "some Kubernetes permissions are missing, please check your RBAC configuration: missing get permission "
        'on secret "ts-state"',
        "",
        "state-unwritable",
    ),
    # main.go:326 log.Fatal of run()'s error (v1.76+; the same heads under log.Fatalf before): the container exits
    # and restarts. main.go:502 (`tailscale up` failed: its own refusal is printed above), tailscaled.go:55,
    # settings.go:193 wrapped again by main.go:335, main.go:375/:378, main.go:347 after "Failed to enable IP
    # forwarding"
    ("boot", "", "failed to auth tailscale: tailscale up failed: exit status 1", "", "crash"),
    (
        "boot",
        "",
        "failed to bring up tailscale: error waiting for tailscaled socket: context deadline exceeded",
        "",
        "crash",
    ),
    (
        "boot",
        "",
        "invalid configuration: invalid configuration: TS_AUTHKEY cannot be used with TS_CLIENT_ID, "
        "TS_CLIENT_SECRET, TS_ID_TOKEN, or TS_AUDIENCE.",
        "",
        "crash",
    ),
    (
        "boot",
        "",
        "error initializing kube client: error creating kube client: open "
        "/var/run/secrets/kubernetes.io/serviceaccount/token: no such file or directory",
        "",
        "crash",
    ),
    (
        "boot",
        "",
        "you can either set the sysctls as a privileged initContainer, or run the tailscale container with "
        "privileged=true.",
        "",
        "crash",
    ),
    (
        "boot",
        "",
        "Failed to enable IP forwarding: open /proc/sys/net/ipv4/ip_forward: read-only file system",
        "",
        "health:ip-forwarding-off",  # main's containerboot recogniser (services catalog) reads it so
    ),
    # --- routine lines (tailscaled.go:148, main.go:561/:822)
    ("boot", "", "Running 'tailscale up'", "", "none"),
    ("boot", "", 'tailscaled in state "Starting", waiting', "", "none"),
    ("boot", "", "Installing proxy rules", "", "none"),
    # ----------------------------------------------------------- tsnet's errors to the embedding program (Go log)
    # tsnet/tsnet.go:1382/:1385 ListenTLS (v1.38+)
    (
        "golog",
        "",
        "tsnet: you must enable MagicDNS in the DNS page of the admin panel to proceed. See "
        "https://tailscale.com/s/https",
        "",
        # (session 12: also a line of the embedded node's log, which gets no certificate)
        "serve-not-enabled cert-failed",
    ),
    (
        "golog",
        "",
        "tsnet: you must enable HTTPS in the admin panel to proceed. See https://tailscale.com/s/https",
        "",
        "serve-not-enabled cert-failed",
    ),
    # tsnet/tsnet.go:391 (v1.52+)
    ("golog", "", "dial tcp: tsnet: backend in state Stopped", "", "not-running-state"),
    # tsnet/tsnet.go:1535 ListenFunnel (v1.38+): read already (funnel-unavailable)
    (
        "golog",
        "",
        "Funnel not available; HTTPS must be enabled. See https://tailscale.com/s/https",
        "",
        "funnel-unavailable",
    ),
    # -------------------------------------------------------------------- Kubernetes operator (zap)
    # cmd/k8s-operator/operator.go:260 (v1.52+): the operator's own auth key from its OAuth client
    (
        "zap",
        "fatal",
        'creating operator authkey: Post "https://api.tailscale.com/api/v2/tailnet/-/keys": oauth2: cannot fetch '
        "token: 401 Unauthorized",
        "",
        "auth-key-mint-failed",
    ),
    # operator.go:228 tsnet.Up of the operator's own node: control refused its auth key (v1.50+)
    (
        "zap",
        "fatal",
        "starting tailscale server: tsnet: tsnet.Up: backend: invalid key: unable to validate API key",
        "",
        # (session 12: also a line of the operator's own node's log: that node must log in)
        "auth-key-rejected login-required",
    ),
    # sts.go:233 a proxy's auth key from the API, refused for its tags (controller-runtime's "Reconciler error"
    # with the reconciler's error attribute) (v1.52+)
    (
        "zap",
        "error",
        "Reconciler error",
        'failed to provision: failed to create or get API key secret: Status: 400, Message: "requested tags '
        '[tag:k8s] are invalid or not permitted"',
        "tags-not-permitted",
    ),
    # the same mint failing at the OAuth token endpoint (the client secret revoked)
    (
        "zap",
        "error",
        "Reconciler error",
        'failed to provision: failed to create or get API key secret: Post "https://api.tailscale.com/api/v2/'
        'tailnet/-/keys": oauth2: cannot fetch token: 401 Unauthorized',
        "auth-key-mint-failed",
    ),
    # --- routine (operator.go:282 "Startup complete, operator running", the manager's start)
    ("zap", "info", "Startup complete, operator running", "", "none"),
    # ------------------------------------------------------------- Traefik's Tailscale certificate resolver
    # pkg/provider/tailscale/provider.go:250 (v3.0.0-beta1+, zerolog since beta3, logrus before): the LocalAPI
    # call failed, relayed as client/local words it
    (
        "traefik",
        "error",
        'Unable to fetch certificate for domain "nas.tail1234.ts.net"',
        _NO_DAEMON,
        "service-not-running",
    ),
    (
        "traefik",
        "error",
        'Unable to fetch certificate for domain "nas.tail1234.ts.net"',
        _CERT_DENIED,
        "unix-access-denied",
    ),
    # provider.go:315 (v3.0+): a router's Host rule names a domain outside the tailnet's ts.net name
    ("traefik", "error", "Domain app.example.com is not a valid Tailscale domain", "", "cert-failed"),
    # --- routine (provider.go:254, a debug line)
    ("traefik", "debug", 'Fetched certificate for domain "nas.tail1234.ts.net"', "", "none"),
    # ------------------------------------------------------------------- Caddy's tls.get_certificate.tailscale
    # the handshake's certificate manager (certmagic) relays tscert's LocalAPI error (caddy v2.5+)
    ("caddy", "error", "getting certificate from external certificate manager", _NO_DAEMON, "service-not-running"),
    ("caddy", "error", "getting certificate from external certificate manager", _CERT_DENIED, "unix-access-denied"),
]

# How each wrapper prints a line: {lvl}, {msg}, {err} (its error attribute, empty when the entry has none).
_ACTION_LEVEL = {"error": "error", "warning": "warning", "info": ""}
_BASHIO_COLOUR = {
    "FATAL": "\x1b[31m",
    "ERROR": "\x1b[31m",
    "WARNING": "\x1b[33m",
    "NOTICE": "\x1b[36m",
    "INFO": "\x1b[32m",
}


def _action(fmt: str, level: str, msg: str) -> str:
    annotation = _ACTION_LEVEL[level]
    if fmt == "raw":
        head = f"##[{annotation}]" if annotation else ""
        return f"2024-05-01T10:00:00.1234567Z {head}{msg}"
    if fmt == "web":
        head = f"{annotation.capitalize()}: " if annotation else ""
        return f"{head}{msg}"
    if fmt == "bare":  # the message alone, as people quote it
        return msg
    head = f"##[{annotation}]" if annotation else ""
    return f"{head}{msg}"


def _bashio(fmt: str, level: str, msg: str) -> str:
    line = f"[10:00:00] {level}: {msg}"
    if fmt == "colour":
        return f"{_BASHIO_COLOUR[level]}{line}\x1b[0m"
    if fmt == "addon-log":  # the Supervisor's log view copied with its s6 stamp-less lines
        return line
    return line


def _boot(fmt: str, msg: str) -> str:
    line = f"boot: 2024/05/01 10:00:00 {msg}"
    return {
        "bare": line,
        "kubectl": f"[pod/ts-nginx-abc12-0/tailscale] {line}",
        "compose": f"tailscale-1  | {line}",
        "container": f"2024-05-01T10:00:00.123456789Z {line}",
    }[fmt]


def _zap(fmt: str, level: str, msg: str, err: str) -> str:
    if fmt == "console":
        extra = "\t" + json.dumps({"error": err}) if err else ""
        return f"2024-05-01T10:00:00.000Z\t{level.upper()}\tstartup\t{msg}{extra}"
    record: dict[str, object] = {"level": level, "ts": 1714557600.123 if fmt == "epoch" else "2024-05-01T10:00:00Z"}
    record |= {"logger": "startup", "msg": msg}
    if err:
        record["error"] = err
    return json.dumps(record, ensure_ascii=False)


def _traefik(fmt: str, level: str, msg: str, err: str) -> str:
    if fmt == "v3":
        short = {"error": "ERR", "debug": "DBG", "info": "INF"}[level]
        tail = f" error={json.dumps(err)}" if err else ""
        return f"2024-05-01T10:00:00Z {short} {msg}{tail} providerName=myresolver.tailscale"
    # v3.0 betas logged through logrus (logger.WithError(err).Errorf(…)): the error as its own attribute
    tail = f" error={json.dumps(err)}" if err else ""
    return f'time="2024-05-01T10:00:00Z" level={level} msg={json.dumps(msg)}{tail} providerName=myresolver.tailscale'


def _caddy(fmt: str, level: str, msg: str, err: str) -> str:
    fields = {"remote_ip": "100.101.102.103", "remote_port": "53122", "server_name": "nas.tail1234.ts.net"}
    if fmt == "json":
        record: dict[str, object] = {"level": level, "ts": 1714557600.123, "logger": "tls.handshake", "msg": msg}
        record |= fields
        if err:
            record["error"] = err
        return json.dumps(record)
    extra = dict(fields, **({"error": err} if err else {}))
    return f"2024/05/01 10:00:00.123\t{level.upper()}\ttls.handshake\t{msg}\t{json.dumps(extra)}"


FORMATS: dict[str, tuple[str, ...]] = {
    "action": ("raw", "web", "plain", "bare"),
    "bashio": ("plain", "colour"),
    "boot": ("bare", "kubectl", "compose", "container"),
    "golog": ("fatal", "stamped", "slog"),
    "zap": ("epoch", "iso", "console"),
    "traefik": ("v3", "v3-beta"),
    "caddy": ("json", "console"),
}


def render(wrapper: str, fmt: str, level: str, msg: str, err: str) -> str:
    """One catalogued message as ``wrapper`` prints it in format ``fmt``."""
    if wrapper == "action":
        return _action(fmt, level, msg)
    if wrapper == "bashio":
        return _bashio(fmt, level, msg)
    if wrapper == "boot":
        return _boot(fmt, msg)
    if wrapper == "golog":  # the embedding program's own log.Fatal / log.Printf / slog of tsnet's error
        return {
            "fatal": f"2024/05/01 10:00:00 {msg}",
            "stamped": f"2024-05-01T10:00:00.123456789Z 2024/05/01 10:00:00 listen: {msg}",
            "slog": f'time=2024-05-01T10:00:00.000Z level=ERROR msg="listener failed" error="{msg}"',
        }[fmt]
    if wrapper == "zap":
        return _zap(fmt, level, msg, err)
    if wrapper == "traefik":
        return _traefik(fmt, level, msg, err)
    return _caddy(fmt, level, msg, err)


def reading(text: str) -> set[str]:
    """The log issues and CLI/GUI kinds opskit reads from a paste ("none" when it reads no problem)."""
    try:
        document = run_json(text)
    except InputError:
        return {"none"}
    found = {issue["kind"] for log in document["daemon_logs"] for issue in log["issues"]}
    found |= {error["kind"] for error in document["windows"]}
    return found or {"none"}


CASES = [
    pytest.param(wrapper, fmt, level, msg, err, expected, id=f"{wrapper}-{fmt}-{index}")
    for index, (wrapper, level, msg, err, expected) in enumerate(CATALOG)
    for fmt in FORMATS[wrapper]
]


@pytest.mark.parametrize(("wrapper", "fmt", "level", "msg", "err", "expected"), CASES)
def test_every_catalogued_wrapper_line_is_read_as_an_expert_reads_it(
    wrapper: str, fmt: str, level: str, msg: str, err: str, expected: str
) -> None:
    assert reading(render(wrapper, fmt, level, msg, err) + "\n") == set(expected.split())


@pytest.mark.parametrize("refusal", wrappers.REFUSALS, ids=[r.phrase[:40] for r in wrappers.REFUSALS])
def test_every_wrapper_verdict_is_reported_with_its_own_cause_and_fix(refusal: Refusal) -> None:
    found = refusal.pattern.search(refusal.example)
    assert found is not None
    cause, fix = refusal.explain(found)
    document = run_json(f"2024-05-01T10:00:00.1234567Z ##[error]{refusal.example}\n")
    assert [error["kind"] for error in document["windows"]] == [refusal.kind.value]
    assert any(cause in finding["cause"] and finding["fix"] == fix for finding in document["findings"])


# s6-overlay's own lines around the add-on's services (s6-rc's "info: service X: starting", "… successfully
# started"), and the s6 finish script's report of a clean exit: routine, nothing to report.
S6_ROUTINE = [
    "s6-rc: info: service s6rc-oneshot-runner: starting",
    "s6-rc: info: service tailscaled successfully started",
    "s6-rc: info: service post-tailscaled: starting",
    "[10:00:00] INFO: Service tailscaled exited with code 0 (by signal 0)",
    "[10:00:00] INFO: Service tailscaled exited with code 256 (by signal 2)",
]


@pytest.mark.parametrize("line", S6_ROUTINE)
def test_s6_overlays_routine_lines_raise_nothing(line: str) -> None:
    assert reading(line + "\n") == {"none"}


@pytest.mark.parametrize("fmt", FORMATS["boot"])
def test_a_later_running_state_clears_containerboots_wait_for_approval(fmt: str) -> None:
    waiting = _boot(fmt, "machine authorization required, please visit the admin panel")
    running = _boot(fmt, "magicsock: derp-4 connected; connGen=1")
    state = "2024/05/01 10:01:00 Switching ipn state NeedsMachineAuth -> Running (WantRunning=true, nm=true)"
    assert reading(f"{waiting}\n{running}\n{state}\n") == {"none"}


def test_the_add_ons_own_fatal_line_keeps_tailscaleds_failure_above_it() -> None:
    # post-tailscaled/run: `tailscale up` prints the control server's refusal, then bashio::exit.nok stops the add-on
    # (the failed oneshot halts the container, tailscaled with it: a crash, blind 21: 208), the refusal its cause
    paste = (
        "[10:00:00] INFO: Starting Tailscale...\n"
        "backend error: invalid key: unable to validate API key\n"
        "[10:00:02] FATAL: Unable to start up Tailscale\n"
    )
    # (session 12: the refusal printed amid the add-on's log is a line of that log too: the node must log in)
    assert reading(paste) == {"auth-key-rejected", "login-required", "crash"}


_TAILSCALED_START = (
    "2024/05/01 10:00:00 logtail started\n"
    '2024/05/01 10:00:00 Program starting: v1.66.4-t1234abcd, Go 1.22.3: []string{"{binary}", "--state={state}"}\n'
    "2024/05/01 10:00:01 magicsock: derp-4 connected; connGen=1\n"
)


def _daemon_log(text: str) -> dict[str, object]:
    logs = run_json(text)["daemon_logs"]
    assert len(logs) == 1, logs
    log: dict[str, object] = logs[0]
    return log


def test_the_synology_packages_log_file_says_the_package_started_tailscaled() -> None:
    # release/dist/synology/files/scripts/start-stop-status (tailscale/tailscale at de9ec7ee2): the start line it
    # writes at the top of tailscaled.stdout.log, sed's cut after 200 lines, and its stop line
    binary = "/var/packages/Tailscale/target/bin/tailscaled"
    state = "/var/packages/Tailscale/var/tailscaled.state"
    paste = (
        f"2024-05-01T10:00:00+02:00 Starting tailscale with: {binary} --state={state} --port=41641\n"
        + _TAILSCALED_START.replace("{binary}", binary).replace("{state}", state)
        + "[further tailscaled logs suppressed]\n"
        "2024-05-01T12:00:00+02:00 Stopping tailscale service PID=12345\n"
    )
    log = _daemon_log(paste)
    assert log["hand_started"] is False and "Synology package" in str(log["why"])
    assert log["issues"] == [] and run_json(paste)["warnings"] == []


@pytest.mark.parametrize("colour", [False, True])
def test_the_home_assistant_add_ons_log_says_the_add_on_started_tailscaled(colour: bool) -> None:
    # tailscaled/run:10/:37 and its sed's note after 200 lines (hassio-addons/addon-tailscale at b75e536)
    head = (
        "[10:00:00] INFO: Starting Tailscale...\n"
        "[10:00:00] NOTICE: Tailscale logs will be suppressed after 200 lines, set add-on's configuration option "
        "'log_level' to 'debug' to see further logs\n"
    )
    if colour:
        head = "".join(f"\x1b[32m{line}\x1b[0m\n" for line in head.splitlines())
    paste = (
        head
        + _TAILSCALED_START.replace("{binary}", "/opt/tailscaled").replace("{state}", "/data/tailscaled.state")
        + "[further tailscaled logs suppressed, set add-on's configuration option 'log_level' to 'debug' to see "
        "further tailscaled logs]\n"
    )
    log = _daemon_log(paste)
    assert log["hand_started"] is False and "Home Assistant add-on" in str(log["why"])
    assert log["issues"] == []


@given(
    st.integers(min_value=0, max_value=23),
    st.integers(min_value=0, max_value=59),
    st.sampled_from(["INFO", "NOTICE", "WARNING", "ERROR", "FATAL", "DEBUG"]),
    st.integers(min_value=0, max_value=300),
    st.sampled_from([0, 2, 6, 9, 11, 15]),
)
@settings(max_examples=60, deadline=None)
def test_s6s_report_of_tailscaleds_exit_is_a_crash_unless_clean_or_stopped(
    hour: int, minute: int, level: str, code: int, signal: int
) -> None:
    line = f"[{hour:02d}:{minute:02d}:07] {level}: Service tailscaled exited with code {code} (by signal {signal})\n"
    stopped = code == 256 and signal in (2, 15)
    assert reading(line) == ({"none"} if code == 0 or stopped else {"crash"})


# The operator's own tsnet node logs through zap under logger "tailscaled" (cmd/k8s-operator/operator.go:207,
# Logf: zlog.Named("tailscaled").Debugf); caddy-tailscale's nodes under Caddy's "tailscale" app logger
# (tailscale/caddy-tailscale module.go:269): tailscaled's own messages inside a JSON record.
# (Caddy's "tailscale" logger also carries the app's own records, so it does not by itself say "embedded node".)
@pytest.mark.parametrize(
    ("logger", "ts", "userspace"),
    [("tailscaled", '"2024-05-01T10:00:00Z"', True), ("tailscale", "1714557600.1", None)],
)
def test_tailscaleds_lines_inside_zap_json_records_are_an_embedded_nodes_log(
    logger: str, ts: str, userspace: bool | None
) -> None:
    def record(msg: str) -> str:
        return json.dumps({"level": "debug", "ts": json.loads(ts), "logger": logger, "msg": msg})

    paste = "\n".join(
        record(msg)
        for msg in (
            'Program starting: v1.66.4-t1234abcd, Go 1.22.3: []string{"/usr/local/bin/operator"}',
            "magicsock: derp-4 connected; connGen=1",
            "Switching ipn state NoState -> NeedsLogin (WantRunning=true, nm=false)",
        )
    )
    log = _daemon_log(paste + "\n")
    assert [issue["kind"] for issue in log["issues"]] == ["login-required"]  # type: ignore[index]
    assert (log["version"], log["state"], log["userspace"]) == ("1.66.4", "NeedsLogin", userspace)
    running = record("Switching ipn state Starting -> Running (WantRunning=true, nm=true)")
    assert reading(paste + "\n" + running + "\n") == {"none"}


def test_a_json_record_that_is_no_log_line_stays_what_it_was() -> None:
    # `tailscale status --json` on one line (jq -c) has no "msg": not a log record
    document = run_json('{"BackendState": "NeedsLogin", "Self": {"HostName": "a"}}\n')
    assert [block["kind"] for block in document["blocks"]] == ["status"] and document["daemon_logs"] == []
