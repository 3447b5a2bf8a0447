"""Generated tests for tailscaled-log classes blind batch 13 missed: the home region a home-relay health warnable
names, a DERP connect failure whose whole target was redacted, a lookup through Tailscale's resolver failing in any
program's log, another service supervisor's restart loop of the tailscale service (Talos, supervisord, procd,
Kubernetes), and an auth key that could not be minted from OAuth client credentials.

Each class is proven over the prefixes people paste (test_daemon_log.PREFIXES where the class allows) and the
variants Tailscale's source (and the supervisors') print, not on the one sample that exposed it.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from opskit.core.diagnose.regions import PUBLIC_REGIONS
from tests.diagnose.conftest import by_rule, run_text
from tests.diagnose.test_daemon_log import PREFIXES, _kinds, _log, _mangle

MANGLES = st.sampled_from(["plain", "crlf", "quote", "fence", "indent"])

# ------------------------------------------------------- the home region a home-relay warnable names

# health/warnings.go: no-derp-connection and derp-timed-out name the home region by the DERP map's name, or by ID
# when the map gives none; both speak of the home region only.
NAMED_FORMS = [
    ("no-derp-connection", "Tailscale could not connect to the '{name}' relay server. Your Internet connection might "
     "be down, or the server might be temporarily unavailable."),
    ("derp-timed-out", "Tailscale hasn't heard from the '{name}' relay server in 1m0s. The server might be temporarily "
     "unavailable, or your Internet connection might be down."),
]  # fmt: skip
ID_FORMS = [
    ("no-derp-connection", "Tailscale could not connect to the relay server with ID '{id}'. Your Internet connection "
     "might be down, or the server might be temporarily unavailable."),
    ("derp-timed-out", "Tailscale hasn't heard from the home relay server (region ID '{id}') in 2m0s. The server might "
     "be temporarily unavailable, or your Internet connection might be down."),
]  # fmt: skip


@given(
    st.sampled_from(PREFIXES),
    st.sampled_from(PUBLIC_REGIONS),
    st.sampled_from(NAMED_FORMS + ID_FORMS),
    st.booleans(),
    MANGLES,
)
@settings(max_examples=80, deadline=None)
def test_a_home_relay_warnable_names_the_home_region(
    prefix: str, region: tuple[int, str, str], form: tuple[str, str], ok_first: bool, how: str
) -> None:
    region_id, code, name = region
    warnable, text = form
    message = f"health(warnable={warnable}): error: " + text.format(name=name, id=region_id)
    lines = [f"health(warnable={warnable}): ok"] if ok_first else []
    lines += [message, message]
    log = _log(_mangle([prefix.format(msg=line) for line in lines], how))
    assert (log["home_derp"]["id"], log["home_derp"]["code"], log["home_derp"]["name"]) == (str(region_id), code, name)
    assert "derp-unreachable" in _kinds(log)
    assert log["exit"] == 1
    # the home region connecting again clears it
    cleared = _log(
        _mangle([prefix.format(msg=line) for line in [*lines, f"magicsock: derp-{region_id} connected"]], how)
    )
    assert "derp-unreachable" not in _kinds(cleared)


@given(st.sampled_from(PREFIXES), st.sampled_from(["Headscale Embedded DERP", "my-derp", "Home Lab"]))
@settings(max_examples=20, deadline=None)
def test_a_custom_home_region_keeps_its_own_name(prefix: str, name: str) -> None:
    message = "health(warnable=no-derp-connection): error: " + NAMED_FORMS[0][1].format(name=name)
    log = _log(prefix.format(msg=message) + "\n")
    assert log["home_derp"]["code"] == name
    assert "derp-unreachable" in _kinds(log)


def test_the_no_home_warnable_names_no_region() -> None:
    message = (
        "health(warnable=no-derp-home): error: Tailscale could not connect to any relay server. Check your Internet "
        "connection."
    )
    log = _log(message + "\n")
    assert log["home_derp"] is None
    assert "derp-unreachable" in _kinds(log)


# ------------------------------------------------------ a DERP connect failure, the whole target redacted

REDACTED_TARGETS = ["derp-node", "derp-XX", "[REDACTED]", "<region>", "***", "xxx"]


@given(
    st.sampled_from(PREFIXES),
    st.sampled_from(REDACTED_TARGETS),
    st.sampled_from(["", ": dial tcp 203.0.113.7:443: i/o timeout", ": EOF"]),
    st.sampled_from(["magicsock: derp.Recv: ", "magicsock: [0xc0041183c0] derp.Recv(xxx): ", ""]),
    MANGLES,
)
@settings(max_examples=80, deadline=None)
def test_a_derp_connect_failure_is_read_with_its_whole_target_redacted(
    prefix: str, target: str, error: str, caller: str, how: str
) -> None:
    message = f"{caller}derphttp.Client.Recv connect to {target}{error}"
    attempt = f"derphttp.Client.Recv: connecting to {target}"  # the attempt itself is no failure
    lines = [
        prefix.format(msg=line) for line in ["magicsock: derp.Recv: read tcp6 [REDACTED] failed", attempt, message]
    ]
    log = _log(_mangle(lines, how))
    assert "derp-unreachable" in _kinds(log)
    assert log["exit"] == 1
    if target.startswith("derp-"):  # the success names the redacted target the same way
        cleared = _log(_mangle([*lines, prefix.format(msg=f"magicsock: {target} connected")], how))
        assert "derp-unreachable" not in _kinds(cleared)


@given(st.sampled_from(PREFIXES), st.sampled_from(REDACTED_TARGETS))
@settings(max_examples=20, deadline=None)
def test_connecting_to_a_redacted_relay_is_no_failure(prefix: str, target: str) -> None:
    lines = [
        "logtail started",
        f"derphttp.Client.Recv: connecting to {target}",
        f"derphttp.Client.Send: connecting to {target}",
    ]
    assert "derp-unreachable" not in _kinds(_log(_mangle([prefix.format(msg=line) for line in lines], "plain")))


def test_one_redacted_receive_drop_alone_is_routine() -> None:
    log = _log("logtail started\nmagicsock: derp.Recv: read tcp6 [REDACTED] failed\n")
    assert "derp-unreachable" not in _kinds(log)


@given(st.sampled_from(PREFIXES), st.integers(1, 28))
@settings(max_examples=30, deadline=None)
def test_redacted_receive_drops_hold_until_a_relay_connects(prefix: str, region_id: int) -> None:
    drops = [prefix.format(msg="magicsock: derp.Recv: read tcp6 [REDACTED] failed")] * 2
    assert "derp-unreachable" in _kinds(_log(_mangle(drops, "plain")))
    connected = prefix.format(msg=f"magicsock: derp-{region_id} connected")
    assert "derp-unreachable" not in _kinds(_log(_mangle([*drops, connected], "plain")))


# ----------------------------------------------- lookups through Tailscale's resolver (100.100.100.100)

QUAD100 = ["100.100.100.100:53", "[fd7a:115c:a1e0::53]:53"]
# Go's resolver errors (net/dnsclient_unix.go): a read that timed out, SERVFAIL, nothing listening
LOOKUP_FAILURES = [
    "read udp 192.168.0.3:45884->{server}: i/o timeout",
    "server misbehaving",
    "dial udp {server}: connect: connection refused",
]
# who looked it up: containerboot checking its Secret, a Go app, tsnet, a plain program's log
LOOKUP_CALLERS = [
    "boot: 2024/08/01 06:11:56 error checking get permission on secret ts-state: Post "
    '"https://kubernetes.default.svc/apis/authorization.k8s.io/v1/selfsubjectaccessreviews": dial tcp: {lookup}',
    "2024-08-01 16:11:56.378142+10:00boot: 2024/08/01 06:11:56 error checking update permission on secret ts: Post "
    '"https://kubernetes.default.svc/api": dial tcp: {lookup}',
    'Get "https://ghcr.io/v2/": dial tcp: {lookup}',
    "2025/01/02 03:04:05 tsnet: failed to fetch: {lookup}",
]


@given(
    st.sampled_from(LOOKUP_CALLERS),
    st.sampled_from(QUAD100),
    st.sampled_from(LOOKUP_FAILURES),
    st.sampled_from(["api.example.com", "kubernetes.default.svc", "nas.tailnet-1234.ts.net"]),
    MANGLES,
)
@settings(max_examples=80, deadline=None)
def test_lookups_through_tailscales_resolver_failing_are_dns_forward_failing(
    caller: str, server: str, failure: str, name: str, how: str
) -> None:
    lookup = f"lookup {name} on {server}: " + failure.format(server=server)
    line = caller.format(lookup=lookup)
    log = _log(_mangle([line, line], how))
    assert "dns-forward-failing" in _kinds(log)
    assert log["exit"] == 1
    # one failure alone happens (one-off timeouts): not enough
    assert "dns-forward-failing" not in _kinds(_log(_mangle(["logtail started", line], how)))


@given(
    st.sampled_from(LOOKUP_CALLERS),
    st.sampled_from(
        [
            "lookup api.example.com on 100.100.100.100:53: no such host",  # an answer: the name does not exist
            "lookup api.example.com on 127.0.0.11:53: read udp 127.0.0.1:5->127.0.0.11:53: i/o timeout",  # not quad-100
            "lookup api.example.com on 10.100.100.100:53: server misbehaving",
        ]
    ),
)
@settings(max_examples=30, deadline=None)
def test_other_resolvers_and_answers_are_not_tailscales_forwarding(caller: str, lookup: str) -> None:
    line = caller.format(lookup=lookup)
    log = _log(_mangle(["logtail started", line, line], "plain"))
    assert "dns-forward-failing" not in _kinds(log)


# ------------------------------------------------------ a service supervisor's restart loop of tailscale

# Talos' machined (internal/app/machined/pkg/system: "Error running %s, going to restart forever: %s", "… until it
# succeeds", "Failed to run service: …"), as `talosctl dmesg` prints the kernel ring buffer (node, facility,
# level, stamp; the node may be cut off).
TALOS_PREFIXES = [
    " user: warning: [2024-05-04T00:16:09.710620224Z]: [talos] {msg}",
    "172.20.0.2: user: warning: [2024-05-04T00:16:09.710620224Z]: [talos] {msg}",
    "talos-cp-1: user: info: [2024-05-04T00:16:09.710Z]: [talos] {msg}",
    "user: warning: [2024-05-04T00:16:09.710620224Z]: [talos] {msg}",
]
RUNNING = "service[{svc}](Waiting): Error running Containerd({svc}), "
TALOS_EXITS = [
    RUNNING + 'going to restart forever: task "{svc}" failed: exit code 1',
    RUNNING + "going to restart until it succeeds: task failed: exit code 2",
    "service[{svc}](Failed): Failed to run service: task failed: exit code 1",
]
TALOS_START = "service[{svc}](Running): Started task {svc} (PID 6661) for container {svc}"


@given(
    st.sampled_from(TALOS_PREFIXES),
    st.sampled_from(TALOS_EXITS),
    st.sampled_from(["ext-tailscale", "tailscale", "ext-tailscale-sidecar"]),
    st.integers(1, 3),
    st.booleans(),
    MANGLES,
)
@settings(max_examples=80, deadline=None)
def test_a_talos_restart_loop_of_the_tailscale_extension_is_a_crash(
    prefix: str, exit_line: str, svc: str, loops: int, ends_started: bool, how: str
) -> None:
    body = [TALOS_START, exit_line] * loops + ([TALOS_START] if ends_started else [])
    text = _mangle([prefix.format(msg=line.format(svc=svc)) for line in body], how)
    log = _log(text)
    assert "crash" in _kinds(log)
    assert "exec-failed" not in _kinds(log)
    assert log["exit"] == 1
    (finding,) = by_rule(run_text(text), "TS-LOG-CRASH")
    assert "talosctl logs" in finding.fix


@given(
    st.sampled_from(PREFIXES[:6]),
    st.sampled_from(
        [
            "exited: tailscaled (exit status 1; not expected)",
            "gave up: tailscaled entered FATAL state, too many start retries too quickly",
            "Instance tailscale::instance1 s in a crash loop 6 crashes, 0 seconds since last crash",
            "Back-off restarting failed container tailscale in pod ts-router-0_tailscale(1234)",
        ]
    ),
)
@settings(max_examples=40, deadline=None)
def test_other_supervisors_restart_loops_are_a_crash(prefix: str, verdict: str) -> None:
    log = _log(prefix.format(msg="logtail started") + "\n" + prefix.format(msg=verdict) + "\n")
    assert "crash" in _kinds(log)
    assert log["exit"] == 1


@given(
    st.sampled_from(TALOS_PREFIXES),
    st.sampled_from(TALOS_EXITS),
    st.sampled_from(["ext-nut-client", "ext-iscsid", "kubelet"]),
)
@settings(max_examples=30, deadline=None)
def test_other_services_restart_loops_are_not_tailscales(prefix: str, exit_line: str, svc: str) -> None:
    lines = ["logtail started", exit_line.format(svc=svc)]
    assert "crash" not in _kinds(_log("\n".join(prefix.format(msg=line) for line in lines) + "\n"))


def test_a_clean_supervisor_exit_is_no_crash() -> None:
    lines = ["logtail started", "exited: tailscaled (exit status 0; expected)"]
    assert "crash" not in _kinds(_log("\n".join(lines) + "\n"))


# ---------------------------------------------------- an auth key that could not be minted from OAuth

KEYS = 'Post "https://api.tailscale.com/api/v2/tailnet/-/keys": '
TOKEN = 'Post "https://api.tailscale.com/api/v2/oauth/token": '
# (error as `tailscale up` / containerboot / tsnet print it, the reason it names; "log:<reason>": the API's own refusal,
# a mint failure only as containerboot's own line ("boot: "): otherwise the CLI's refusal, windows.py)
MINT_FAILURES = [
    (KEYS + TOKEN + "dial tcp: lookup api.tailscale.com on 127.0.0.11:53: server misbehaving", "dns"),
    (KEYS + TOKEN + "dial tcp: lookup api.tailscale.com: no such host", "dns"),
    (KEYS + TOKEN + "dial tcp 192.0.2.10:443: i/o timeout", "network"),
    (KEYS + TOKEN + "dial tcp 192.0.2.10:443: connect: connection refused", "network"),
    (KEYS + TOKEN + "tls: failed to verify certificate: x509: certificate signed by unknown authority", "tls"),
    (KEYS + 'oauth2: cannot fetch token: 401 Unauthorized\nResponse: {"message":"invalid client"}', "credentials"),
    (KEYS + 'oauth2: "invalid_client" "client authentication failed"', "credentials"),
    # the keys API refusing an OAuth client without the auth_keys scope: the CLI's auth-key-rejected (windows.py) when
    # pasted alone; in containerboot's log (these lines) the mint failing for its scopes
    ('Status: 403, Message: "calling actor does not have enough permissions to perform this function"', "log:scopes"),
    (
        KEYS + 'Status: 403, Message: "calling actor does not have enough permissions to perform this function"',
        "log:scopes",
    ),
    (KEYS + 'oauth2: cannot fetch token: 403 Forbidden\nResponse: {"message":"insufficient scope"}', "scopes"),
    ("oauth authkeys require --advertise-tags", None),  # the CLI's tags-not-permitted (windows.py)
    # the API refusing the tags asked for the key (in containerboot's log: the mint failed for its tags, blind 26 1340)
    (
        "unexpected error while creating authkey: "
        'Status: 400, Message: "requested tags [] are invalid or not permitted"',
        "log:tags",
    ),
    ("failed to exchange JWT for access token: oauth2: cannot fetch token: 400 Bad Request", "api"),
    ("error resolving auth key: " + KEYS + TOKEN + "context deadline exceeded", "network"),
]
MINT_PREFIXES = ["{msg}", "boot: 2025/07/23 15:09:50 {msg}", "2025/07/23 15:09:50 {msg}", "tailscale-1  | {msg}"]


@given(st.sampled_from(MINT_PREFIXES), st.sampled_from(MINT_FAILURES), st.booleans(), MANGLES)
@settings(max_examples=80, deadline=None)
def test_a_failed_auth_key_mint_says_why(prefix: str, failure: tuple[str, str | None], restart: bool, how: str) -> None:
    error, reason = failure
    error = error.split("\n")[0]  # oauth2 prints the response body on the next line
    lines = [
        prefix.format(msg=error),
        "boot: 2025/07/23 15:09:50 failed to auth tailscale: tailscale up failed: exit status 1",
    ]
    if restart:  # containerboot restarts tailscaled: a new run does not mint the key
        lines += [
            "boot: 2025/07/23 15:09:51 Starting tailscaled",
            '2025/07/23 15:09:51 Program starting: v1.84.3-t7648989bc, Go 1.24.2: []string{"tailscaled"}',
        ]
    text = _mangle(lines, how)
    log = _log(text)
    mint = [issue for issue in log["issues"] if issue["kind"] == "auth-key-mint-failed"]
    if reason is not None and reason.startswith("log:"):
        reason = reason.removeprefix("log:") if prefix.startswith("boot: ") else None
    if reason is None:  # the API's answer alone does not say what was asked for
        assert not mint
        return
    assert [issue["about"] for issue in mint] == [reason]
    assert log["exit"] == 1
    (finding,) = by_rule(run_text(text), "TS-LOG-AUTH-KEY-MINT-FAILED")
    assert f"{reason}: " in finding.fix
    # the node logging in later (a key was minted on a later try) clears it
    done = _log(
        _mangle(
            [*lines, "2025/07/23 15:10:03 Switching ipn state Starting -> Running (WantRunning=true, nm=true)"], how
        )
    )
    assert "auth-key-mint-failed" not in _kinds(done)
