"""Generated tests for the Linux router failing to install its policy-routing rules (blind batch 17): tailscaled
exits at start because an `ip rule`/`ip route`/`ip addr`/`ip link` it runs fails (a kernel without (IPv6) policy
routing: "Rule family not supported", an iproute2 too old for `ip rule list priority N`), or because router.Up
returns a bare error ("operation not supported") that only the stage line before it ("Bringing router up...")
ties to the router. Either way it is firewall-failed (the router cannot install routes/rules), not a TUN failure.

Each class is proven over the prefixes people paste (test_daemon_log.PREFIXES), the wrappings it comes in, and
the wordings Tailscale's source prints (wgengine/router/runner.go 'running %q failed: %w\\n%s', router_linux.go
"listing ip rules: %w", wgengine/userspace.go's stage lines, cmd/tailscaled "wgengine.NewUserspaceEngine(tun %q)
error: %v" / "wgengine.New: %v").
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.diagnose.test_daemon_log import PREFIXES, _kinds, _log, _mangle

MANGLES = st.sampled_from(["plain", "crlf", "quote", "fence", "indent"])

# the `ip` commands the Linux router ran (v1.0-v1.2x) and what iproute2 answered on the next line
IP_FAILURES = [
    ('running "ip -6 rule add pref 5210 fwmark 0x80000 table main" failed: exit status 2',
     "Error: Rule family not supported."),
    ('running "ip rule add pref 5230 fwmark 0x80000/0xff0000 table main" failed: exit status 2',
     "Error: argument \"0x80000/0xff0000\" is wrong: fwmark value is invalid"),
    ('listing ip rules: running "ip rule list priority 10000" failed: exit status 1',
     '"ip rule show" does not take any arguments.'),
    ('running "ip route add 100.100.100.100/32 dev tailscale0 table 52" failed: exit status 2',
     "RTNETLINK answers: Operation not supported"),
    ('running "ip -6 route add fd7a:115c:a1e0::/48 dev tailscale0 table 52" failed: exit status 2',
     "RTNETLINK answers: Permission denied"),
    ('running "ip addr add 100.101.102.103/32 dev tailscale0" failed: exit status 2',
     "RTNETLINK answers: Operation not permitted"),
]  # fmt: skip
# how the engine's error reaches the log: cmd/tailscaled's wrappings, the newer engine's own
WRAPPINGS = ["wgengine.New: {err}", 'wgengine.NewUserspaceEngine(tun "tailscale0") error: {err}', "{err}",
             "wgengine.New: router.Up: {err}"]  # fmt: skip
START = 'Program starting: v1.1.540-gce66dfebd, Go 1.15-tsc099eea: []string{"/usr/sbin/tailscaled"}'
EXIT = ["flushing log.", "logger closing down"]


def _os_of_prefix(prefix: str) -> str | None:
    """The OS a log under ``prefix`` is read as from the prefix alone (the Windows service log's stamp, logcat)."""
    return _log("\n".join(prefix.format(msg=line) for line in ["Bringing router up...", *EXIT]) + "\n")["os"]


# where the prefix names no other OS, the `ip` runner's words say Linux
LINUX_OK = [prefix for prefix in PREFIXES if _os_of_prefix(prefix) in (None, "linux")]


@given(st.sampled_from(PREFIXES), st.sampled_from(IP_FAILURES), st.sampled_from(WRAPPINGS), MANGLES)
@settings(max_examples=120, deadline=None)
def test_an_ip_command_the_router_runs_failing_is_a_firewall_failure(
    prefix: str, failure: tuple[str, str], wrapping: str, how: str
) -> None:
    error, answer = failure
    lines = [
        prefix.format(msg=START),
        prefix.format(msg="Bringing router up..."),
        prefix.format(msg=wrapping.format(err=error)),
        answer,  # iproute2's own words: the runner's error goes on on the next line, unprefixed
        *(prefix.format(msg=line) for line in EXIT),
    ]
    log = _log(_mangle(lines, how))
    kinds = _kinds(log)
    assert "firewall-failed" in kinds, lines
    assert "tun-unavailable" not in kinds, lines
    assert "crash" in kinds  # it exited on it
    if prefix in LINUX_OK:
        assert log["os"] == "linux"  # only the Linux router runs iproute2's `ip`
    assert log["exit"] == 1


@given(st.sampled_from(PREFIXES), st.sampled_from(IP_FAILURES))
@settings(max_examples=40, deadline=None)
def test_the_ip_failure_is_read_without_a_stage_line_or_a_start(prefix: str, failure: tuple[str, str]) -> None:
    lines = [
        "13.5M/19.5M magicsock: endpoint update (initial) failed: got STUN error: context canceled",
        "13.5M/19.5M Interface closed",
        prefix.format(msg=f"wgengine.New: {failure[0]}"),
        failure[1],
    ]
    log = _log("\n".join(lines) + "\n")
    assert {"firewall-failed", "crash"} <= _kinds(log), lines
    assert "tun-unavailable" not in _kinds(log)
    if prefix in LINUX_OK:
        assert log["os"] == "linux"


@given(st.sampled_from(PREFIXES))
@settings(max_examples=30, deadline=None)
def test_a_clean_up_the_router_carries_on_after_is_no_failure(prefix: str) -> None:
    lines = [
        START,
        'note: running "ip rule del pref 5210 fwmark 0x80000 table main" failed: exit status 2',
        "Bringing router up...",
        "Clearing router settings...",
        "Starting link monitor...",
        "Engine created.",
    ]
    log = _log("\n".join(prefix.format(msg=line) for line in lines) + "\n")
    assert "firewall-failed" not in _kinds(log)


@given(
    st.sampled_from(PREFIXES),
    st.sampled_from(["{err}", 'wgengine.NewUserspaceEngine(tun "tailscale0") error: {err}']),
    st.sampled_from(["exit status 1", "fork/exec /sbin/ip: invalid argument"]),
    st.booleans(),
)
@settings(max_examples=40, deadline=None)
def test_bringing_the_tun_link_up_failing_stays_the_tun_devices(
    prefix: str, wrapping: str, why: str, at_router_stage: bool
) -> None:
    # router.Up runs `ip link set dev tailscale0 up` (v1.0-v1.2x): the device itself will not come up
    failed = wrapping.format(err=f'running "ip link set dev tailscale0 up" failed: {why}')
    lines = [START, *(["Bringing router up..."] if at_router_stage else []), failed, *EXIT]
    kinds = _kinds(_log("\n".join(prefix.format(msg=line) for line in lines) + "\n"))
    assert "tun-unavailable" in kinds, lines
    assert "firewall-failed" not in kinds, lines


# bare errors router.Up / router.Set(nil) returned before v1.2x wrapped them, and the TUN-side ones
BARE_ERRORS = ["operation not supported", "exit status 2", "invalid argument", "file exists", "permission denied"]
ROUTER_STAGES = ["Bringing router up...", "Clearing router settings..."]
OTHER_STAGES = ["Creating wireguard device...", "Bringing wireguard device up...", "Bringing WireGuard device up..."]
# lines the engine and its goroutines log between the stage line and the error
BETWEEN = ["external route: up", "magicsock: disco key = d:2851c9d8f76971fc", "[RATE LIMITED] %s",
           'logtail: dialed "log.tailscale.io:443" in 291ms', "router: v6nat = false"]  # fmt: skip
START_118 = 'Program starting: v1.18.0-t22d969975-g7022e5a4c, Go 1.17.2: []string{"tailscaled", "-tun", "tailscale0"}'
ENGINE = 'wgengine.NewUserspaceEngine(tun "tailscale0") ...'


def _engine_run(stage: str, between: list[str], error: str) -> list[str]:
    return [
        START_118,
        ENGINE,
        "router: disabling tunneled IPv6 due to system IPv6 config: kernel doesn't support IPv6 policy routing: "
        "operation not supported",
        "Creating wireguard device...",
        *([] if stage.startswith(("Creating", "Bringing w", "Bringing W")) else ["Bringing wireguard device up..."]),
        stage,
        *between,
        f'wgengine.NewUserspaceEngine(tun "tailscale0") error: {error}',
        f"wgengine.New: {error}",
        *EXIT,
    ]


@given(
    st.sampled_from(PREFIXES),
    st.sampled_from(ROUTER_STAGES),
    st.lists(st.sampled_from(BETWEEN), max_size=3),
    st.sampled_from(BARE_ERRORS),
    MANGLES,
)
@settings(max_examples=120, deadline=None)
def test_a_bare_engine_error_while_bringing_the_router_up_is_the_routers(
    prefix: str, stage: str, between: list[str], error: str, how: str
) -> None:
    lines = [prefix.format(msg=line) for line in _engine_run(stage, between, error)]
    log = _log(_mangle(lines, how))
    kinds = _kinds(log)
    assert "firewall-failed" in kinds, lines
    assert "tun-unavailable" not in kinds, lines
    assert "crash" in kinds
    if prefix in LINUX_OK:
        assert log["os"] == "linux"


@given(
    st.sampled_from(PREFIXES),
    st.sampled_from(OTHER_STAGES),
    st.lists(st.sampled_from(BETWEEN), max_size=3),
    st.sampled_from(BARE_ERRORS),
)
@settings(max_examples=80, deadline=None)
def test_a_bare_engine_error_at_any_other_stage_stays_the_tun_devices(
    prefix: str, stage: str, between: list[str], error: str
) -> None:
    lines = [prefix.format(msg=line) for line in _engine_run(stage, between, error)]
    kinds = _kinds(_log("\n".join(lines) + "\n"))
    assert "tun-unavailable" in kinds, lines
    assert "firewall-failed" not in kinds, lines


@given(st.sampled_from(PREFIXES), st.sampled_from(BARE_ERRORS))
@settings(max_examples=40, deadline=None)
def test_a_restart_forgets_the_previous_runs_stage(prefix: str, error: str) -> None:
    # run 1 got as far as bringing its router up (and was stopped); run 2 fails before any stage line
    first = [START_118, ENGINE, "Bringing router up...", "tailscaled got signal terminated; shutting down", *EXIT]
    second = [START_118, ENGINE, f'wgengine.NewUserspaceEngine(tun "tailscale0") error: {error}', *EXIT]
    lines = [prefix.format(msg=line) for line in [*first, *second]]
    kinds = _kinds(_log("\n".join(lines) + "\n"))
    assert "tun-unavailable" in kinds, lines
    assert "firewall-failed" not in kinds, lines


@given(
    st.sampled_from(PREFIXES),
    st.sampled_from(["router.Up: setting netfilter mode: operation not supported",
                     "router.Set(nil): exit status 1", "router.Up: adding IP rules: operation not supported"]),
)  # fmt: skip
@settings(max_examples=30, deadline=None)
def test_the_newer_engine_names_the_router_itself(prefix: str, error: str) -> None:
    lines = [START_118, ENGINE, "Bringing WireGuard device up...", f'wgengine.NewUserspaceEngine(tun "tailscale0") '
             f"error: {error}", *EXIT]  # fmt: skip
    kinds = _kinds(_log("\n".join(prefix.format(msg=line) for line in lines) + "\n"))
    assert "firewall-failed" in kinds, lines
    assert "tun-unavailable" not in kinds, lines
