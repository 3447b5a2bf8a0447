"""Generated tests: the log sweep's round of session 14 (tests/diagnose/log_sweep.py, `--list unread`, HEAD and the
older tags' wordings beside it).

Read from tailscale/tailscale's source (HEAD de9ec7ee2; the wordings dated with `git log -S`). Three families are
older wordings of families already read, into issues the vocabulary has; one is a new operator meaning:

- the Windows service creating its engine apart from its IPN server and retrying it (`tailscaled: engine fetch error
  (try N) in D (total D, sysUptime D): <stage>: <err>` v1.8-v1.32, `ipnserver: initial getEngine call: <err>` and
  `ipnserver<N>: getEngine failed again: <err>` v1.0-v1.32): the `router:` stage is `firewall-failed`, the `engine:`
  stage (wireguard-go's device) `tun-unavailable` (`TUN:` and `DNS:` were read already), cleared by `tailscaled: got
  engine on try N …` or `N: GetEngine worked; exiting failure loop` (boot-time tries that fail, then succeed);
- Taildrop's directory tailscaled cannot make (`Taildrop disabled; error making directory: <err>`, v1.20-v1.86,
  behind `taildrop: ` in v1.84-v1.86) is `taildrop-failed` keyed `disabled`, whatever the error (it read as
  `state-unwritable` when the directory lay under /var/lib/tailscale, and as nothing on Windows);
- Windows' Group Policy NRPT rules moved between tables (`dns: movePolicies: executeMove("<from>", "<to>") failed with
  error <err>`, `movePolicies DeleteKey error …`, `… isPolicyConfigSubkeyEmpty error …`, `… policy config subkey should
  be empty, but isn't!`, v1.30-v1.64) are `dns-config-failed` keyed `nrpt-group-policy`, as v1.66+'s
  `updateGroupPoliciesLocked` wordings are;
- the operator user the prefs name that tailscaled cannot look up (`error looking up operator "<name>" uid: <err>`,
  v1.8+, on each LocalAPI connection of a user other than root) is the new `operator-unknown` keyed by the name
  (TS-LOG-OPERATOR-UNKNOWN, a warning: that user's sudo-free CLI is refused, root and sudo still work).
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.diagnose.conftest import run_json
from tests.diagnose.log_catalog import (
    Entry,
    catalog_test,
    entry,
    log_issues,
    message_run_family_test,
    paste_lines,
    prose_lines_test,
    rotating_cases,
    routine_lines_test,
)
from tests.diagnose.test_android_catalog import FORMATS as LOGCAT_FORMATS
from tests.diagnose.test_android_catalog import GO_TAG

PREFIXES = {
    "journald": "Oct 06 09:12:44 nas1 tailscaled[812]: {msg}",
    "go-stamp": "2021/10/06 09:12:44 {msg}",
    "docker": "2021-10-06T09:12:44.123456789Z 2021/10/06 09:12:44 {msg}",
    "windows-logfile": "2021-10-06T09:12:44.123-07:00: {msg}",
    "logcat": LOGCAT_FORMATS["threadtime"].format(lvl="I", tag=GO_TAG, msg="{msg}"),
    "openwrt": "Thu Oct 17 18:02:08 2024 daemon.err tailscaled[5930]: 2024/10/17 10:02:08 {msg}",
}

# ------------------------------------------------------------------------------------------- values

_durations = st.sampled_from(["1.021s", "3ms", "15.2s", "412ms", "2m3.5s"])
_uptimes = st.sampled_from(["52s", "2m8s", "14m2s", "3h1m0s"])
_router_errors = st.sampled_from(
    [
        "setFirewall: netsh advfirewall firewall add rule failed: exit status 1",
        "syncRoutes: CreateIpForwardEntry2: The object already exists.",
        "ifconfig: setPrivateNetwork: Access is denied.",
        "configureInterface: SetIPAddresses: Element not found.",
    ]
)
_engine_errors = st.sampled_from(
    [
        "wgdev.Up: The system cannot find the file specified.",
        "wgengine: bind: Only one usage of each socket address (protocol/network address/port) is normally permitted.",
        "wgdev.Up: Access is denied.",
    ]
)


def _engine_failure(stage: str, why: str, draw: st.DrawFn) -> str:
    """One of the three wordings the Windows service logs its engine failing in (with its stage prefix)."""
    try_no = draw(st.integers(1, 40))
    return draw(
        st.sampled_from(
            [
                f"tailscaled: engine fetch error (try {try_no}) in {draw(_durations)} (total {draw(_durations)}, "
                f"sysUptime {draw(_uptimes)}): {stage}: {why}",
                f"ipnserver: initial getEngine call: {stage}: {why}",
                f"ipnserver{try_no}: getEngine failed again: {stage}: {why}",
            ]
        )
    )


_taildrop_dirs = st.sampled_from(
    [
        "/var/lib/tailscale/files/alice-example.com-uid-0",
        "C:\\ProgramData\\Tailscale\\files\\bob-uid-0",
        "/volume1/@appdata/Tailscale/files",
        "/data/data/com.tailscale.ipn/files/taildrop",
    ]
)
_mkdir_errors = st.sampled_from(
    ["permission denied", "read-only file system", "no space left on device", "Access is denied.", "not a directory"]
)
_nrpt_errors = st.sampled_from(
    ["Access is denied.", "The system cannot find the file specified.", "The parameter is incorrect."]
)
_rule_ids = st.uuids().map(lambda u: "{" + str(u).upper() + "}")

_operators = st.sampled_from(["alice", "bob.smith", "svc-tailscale", "jdoe@CORP.EXAMPLE", "pi"])
_lookup_errors = st.sampled_from(
    [
        "user: unknown user {name}",
        "user: lookup username {name}: no such file or directory",
        "getent: exit status 2",
    ]
)

# (messages, kind, key, what the finding must quote, the rule, words of the fix, words of the cause)
Variant = tuple[tuple[str, ...], str, str, str, str, str, str]


@st.composite
def engine_router_variants(draw: st.DrawFn) -> Variant:
    why = draw(_router_errors)
    message = _engine_failure("router", why, draw)
    return (message,), "firewall-failed", "windows-engine", why[:20], "TS-LOG-FIREWALL-FAILED", "mpssvc", "router"


@st.composite
def engine_device_variants(draw: st.DrawFn) -> Variant:
    why = draw(_engine_errors)
    message = _engine_failure("engine", why, draw)
    return (message,), "tun-unavailable", "tun", why[:12], "TS-LOG-TUN-UNAVAILABLE", "Wintun", "network device"


@st.composite
def taildrop_directory_variants(draw: st.DrawFn) -> Variant:
    where, why = draw(_taildrop_dirs), draw(_mkdir_errors)
    message = draw(st.sampled_from(["", "taildrop: "])) + (
        f"Taildrop disabled; error making directory: mkdir {where}: {why}"
    )
    return (message,), "taildrop-failed", "disabled", why, "TS-LOG-TAILDROP-FAILED", "writable", "receiving is off"


@st.composite
def nrpt_move_variants(draw: st.DrawFn) -> Variant:
    rule, why = draw(_rule_ids), draw(_nrpt_errors)
    local = "SYSTEM\\CurrentControlSet\\Services\\Dnscache\\Parameters\\DnsPolicyConfig\\" + rule
    policy = "SOFTWARE\\Policies\\Microsoft\\Windows NT\\DNSClient\\DnsPolicyConfig\\" + rule
    source, target = draw(st.permutations([local, policy]))
    message = "dns: " + draw(
        st.sampled_from(
            [
                f'movePolicies: executeMove("{source}", "{target}") failed with error {why}',
                f"movePolicies DeleteKey error {why}",
                f"movePolicies: isPolicyConfigSubkeyEmpty error {why}",
                "movePolicies: policy config subkey should be empty, but isn't!",
            ]
        )
    )
    quote = message.removeprefix("dns: ")[:30]
    return (message,), "dns-config-failed", "nrpt-group-policy", quote, "TS-LOG-DNS-CONFIG-FAILED", "gpupdate", "NRPT"


@st.composite
def operator_variants(draw: st.DrawFn) -> Variant:
    name = draw(_operators)
    why = draw(_lookup_errors).format(name=name)
    messages = tuple(f'error looking up operator "{name}" uid: {why}' for _ in range(draw(st.integers(1, 3))))
    return messages, "operator-unknown", name, f'"{name}"', "TS-LOG-OPERATOR-UNKNOWN", "--operator=", "sudo"


FAMILIES: dict[str, Callable[[], st.SearchStrategy[Variant]]] = {
    "operator": operator_variants,
    "engine-router": engine_router_variants,
    "engine-device": engine_device_variants,
    "taildrop-directory": taildrop_directory_variants,
    "nrpt-move": nrpt_move_variants,
}


test_each_variant_raises_its_issue_key_and_finding = message_run_family_test(PREFIXES, FAMILIES)


@pytest.mark.parametrize("prefix_name", sorted(PREFIXES))
@settings(max_examples=6, deadline=None)
@given(data=st.data())
def test_an_engine_that_comes_up_on_a_later_try_clears_the_boot_failures(prefix_name: str, data: st.DataObject) -> None:
    """Early in boot Windows' network stack is not ready and the first tries fail: the success that follows clears."""
    failures = [
        _engine_failure("router", data.draw(_router_errors), data.draw),
        _engine_failure("engine", data.draw(_engine_errors), data.draw),
    ]
    held = run_json(paste_lines(PREFIXES[prefix_name], *failures))
    assert {issue["kind"] for issue in log_issues(held)} == {"firewall-failed", "tun-unavailable"}
    came_up = data.draw(
        st.sampled_from(
            [
                f"tailscaled: got engine on try {data.draw(st.integers(2, 40))} in 1.2s (total 41.5s)",
                "tailscaled: got engine in 812ms",
                f"{data.draw(st.integers(1, 9))}: GetEngine worked; exiting failure loop",
            ]
        )
    )
    cleared = run_json(paste_lines(PREFIXES[prefix_name], *failures, came_up))
    assert log_issues(cleared) == [] and cleared["summary"]["exit_code"] == 0, log_issues(cleared)


# ------------------------------------------------------------------------------------------- catalog

NOT_PROBLEMS: frozenset[str] = frozenset()
_e = entry
CATALOG: list[Entry] = [
    # the Windows service's engine
    _e(
        "tailscaled: engine fetch error (try 3) in 1.5s (total 1.5s, sysUptime 14m8s): router: setFirewall: netsh "
        "advfirewall firewall add rule failed: exit status 1",
        "firewall-failed",
        "v1.20.0:cmd/tailscaled/tailscaled_windows.go:294 (v1.8-v1.32)",
    ),
    _e(
        "ipnserver: initial getEngine call: engine: wgdev.Up: The system cannot find the file specified.",
        "tun-unavailable",
        "v1.20.0:ipn/ipnserver/server.go:721 (v1.0-v1.32)",
    ),
    _e(
        "ipnserver2: getEngine failed again: router: syncRoutes: CreateIpForwardEntry2: Access is denied.",
        "firewall-failed",
        "v1.20.0:ipn/ipnserver/server.go:736 (v1.0-v1.32)",
    ),
    _e(
        "ipnserver: initial getEngine call: TUN: Error creating interface: Error creating adapter: Access is denied.",
        "tun-unavailable",
        "v1.20.0:ipn/ipnserver/server.go:721: the TUN stage, read by its own words before this round",
    ),
    _e(
        (
            "tailscaled: engine fetch error (try 1) in 1.021s (total 1.021s, sysUptime 52s): engine: wgdev.Up: "
            "Access is denied.",
            "tailscaled: got engine on try 2 in 1.1s (total 6.2s)",
        ),
        "none",
        "v1.20.0:cmd/tailscaled/tailscaled_windows.go:299: a boot-time failure, then the engine came up",
    ),
    _e(
        "tailscaled: getting engine... (try 1)",
        "none",
        "v1.20.0:cmd/tailscaled/tailscaled_windows.go:289: a routine try",
    ),
    # Taildrop's directory
    _e(
        "Taildrop disabled; error making directory: mkdir /var/lib/tailscale/files/alice-uid-0: permission denied",
        "taildrop-failed",
        "v1.60.0:ipn/ipnlocal/local.go:3851 (v1.20-v1.82): not the state store, though under its directory",
    ),
    _e(
        "taildrop: Taildrop disabled; error making directory: mkdir C:\\ProgramData\\Tailscale\\files: Access is "
        "denied.",
        "taildrop-failed",
        "v1.84.0:feature/taildrop/ext.go:226 (v1.84-v1.86)",
    ),
    _e(
        "Taildrop disabled; no state directory",
        "none",
        "v1.20.0:ipn/ipnlocal/local.go:2137: tailscaled run without a state directory (tsnet, --state=mem:)",
    ),
    _e(
        "Synology Taildrop support: shared folder Taildrop not found",
        "none",
        "v1.20.0:ipn/ipnserver/server.go:786, feature/taildrop/paths.go:36: a NAS without a Taildrop share (every "
        "start: a notice, most NAS users do not receive files)",
    ),
    # NRPT group policy, v1.30-v1.64
    _e(
        'dns: movePolicies: executeMove("SOFTWARE\\Policies\\Microsoft\\Windows NT\\DNSClient\\DnsPolicyConfig\\'
        '{6A1A9C1E-0000-4000-8000-000000000001}", "SYSTEM\\CurrentControlSet\\Services\\Dnscache\\Parameters\\'
        'DnsPolicyConfig\\{6A1A9C1E-0000-4000-8000-000000000001}") failed with error Access is denied.',
        "dns-config-failed",
        "v1.40.0:net/dns/nrpt_windows.go:448 (v1.30-v1.64)",
    ),
    _e(
        "dns: movePolicies DeleteKey error Access is denied.",
        "dns-config-failed",
        "v1.40.0:net/dns/nrpt_windows.go:474 (v1.30-v1.64)",
    ),
    _e(
        "dns: movePolicies: policy config subkey should be empty, but isn't!",
        "dns-config-failed",
        "v1.40.0:net/dns/nrpt_windows.go:467 (v1.30-v1.64)",
    ),
    # the operator user
    _e(
        'error looking up operator "alice" uid: user: unknown user alice',
        "operator-unknown",
        "ipn/ipnlocal/local.go:7604 (v1.8+)",
    ),
    _e(
        "Access denied: prefs write access denied",
        "unix-access-denied",
        "the CLI's refusal the operator then sees: its own kind (with the operator fix), not the log's issue",
    ),
    # left routine by this round (the reasons are in docs/diagnose.md)
    _e(
        "WriteState error: exit status 1",
        "none",
        "v1.20.0:ipn/ipnlocal/local.go:1446: decided by the error it quotes (the store's words are read); HEAD's "
        "feature/taildrop/send.go logs the same words for a transfer's state",
    ),
    _e(
        "tailscaled: engine fetch error (try 1) in 1.021s (total 1.021s, sysUptime 52s): pretending to be a "
        "service failure: test",
        "none",
        "v1.20.0:cmd/tailscaled/tailscaled_windows.go:317: TS_DEBUG_WIN_FAIL, no stage",
    ),
    _e(
        '[v1] possibly transient peerapi listen("100.101.102.103") error, will try again on linkChange: listen '
        "tcp4 100.101.102.103:0: bind: can't assign requested address",
        "none",
        "ipn/ipnlocal/local.go:6454: retried on the next link change",
    ),
    _e(
        "wgengine: error reconfiguring VPN after major link change: context canceled",
        "none",
        "wgengine/userspace.go:1189: decided by the error it quotes (the router's and DNS's words are read)",
    ),
]


CASES = rotating_cases(CATALOG, list(PREFIXES.values()), NOT_PROBLEMS, always=1)
test_each_catalog_wording_reads_as_an_expert_reads_it = catalog_test(CASES)

# the same subsystems' routine lines (v1.20.0 tailscaled_windows.go, ipnserver/server.go, ipnlocal/local.go; v1.40.0
# net/dns/nrpt_windows.go: a group policy change and the table tailscaled then writes)
ROUTINE = [
    "tailscaled: getting engine... (try 2)",
    "ipnserver: try3: trying getEngine again...",
    "Taildrop disabled; no state directory",
    "dns: nrptRuleDatabase using group policy: true, was false",
    "dns: Computer group policies refreshed, reconfiguring NRPT rule database.",
    "[warning] issue 869: os/user.LookupId failed; ignoring",
]
test_routine_lines_raise_nothing = routine_lines_test(PREFIXES, ROUTINE)

PROSE = [
    "engine fetch error: router: on my Windows box after the update, any idea?",
    "the GUI showed ipnserver: initial getEngine call: engine: and nothing else, what does it mean?",
    "Taildrop disabled; error making directory: happens on my NAS, see below",
    "Why does movePolicies DeleteKey error show up whenever the GPO changes?",
    "movePolicies: executeMove is what the old client logs, right?",
    'why do I get error looking up operator "alice" uid: after renaming my account?',
    "tailscale set --operator=alice, then error looking up operator in the journal",
]
RULES = {
    "TS-LOG-FIREWALL-FAILED",
    "TS-LOG-TUN-UNAVAILABLE",
    "TS-LOG-TAILDROP-FAILED",
    "TS-LOG-DNS-CONFIG-FAILED",
    "TS-LOG-OPERATOR-UNKNOWN",
}
test_the_same_words_in_prose_raise_nothing = prose_lines_test(PREFIXES["go-stamp"], PROSE, RULES)


def test_the_sweep_reads_each_family_at_the_tags_that_log_it() -> None:
    """A floor on the sweep's older extracts: every message of these families is read with its issue."""
    from tests.diagnose.log_sweep import assert_families_read

    # (not Taildrop's directory: the sweep fills its error with "exit status 1", never os.MkdirAll's "mkdir <path>: …")
    assert_families_read({"movePolicies": "dns-config-failed"}, extract="v1.40.0")
    assert_families_read({"error looking up operator": "operator-unknown"})


@pytest.mark.parametrize(("extract", "floor"), [("v1.20.0", 17), ("v1.40.0", 17), ("v1.60.0", 18)])
def test_the_sweep_reads_at_least_what_session_14_left_of_the_older_wordings(extract: str, floor: int) -> None:
    """The older tags' wordings HEAD no longer has, read with an issue: 17, 14, 15 before this round (v1.40/v1.60:
    the NRPT moves; not the engine and Taildrop lines the sweep fills with a bare "exit status 1", which no real one
    is: a stage, "mkdir <path>: …")."""
    from collections import Counter

    from tests.diagnose.log_sweep import measure

    outcomes = Counter(outcome for _, outcome, _, _, _ in measure(extract, beside="head"))
    assert outcomes["issue"] >= floor, outcomes
