"""Generated tests for tailscaled-log classes blind batch 19 missed (logs, helper a): the one-shot ``--cleanup``
run that service scripts and package installers start (not a hand start); macOS refusing a Tailscale binary
for its code signature (taskgated-helper's "Unsatisfied entitlements" and "Disallowing"): tunnel-start-failed.

Each class is proven over the prefixes, argv spellings and wrappings it comes in, and the wordings Tailscale's
source prints (cmd/tailscaled/tailscaled.go's -cleanup flag, cmd/tailscaled/tailscaled.service's
``ExecStopPost=/usr/sbin/tailscaled --cleanup``), not on the one sample that exposed it.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.diagnose.conftest import run_json
from tests.diagnose.test_daemon_log import _kinds, _log

# ------------------------------------------------------------------ the --cleanup run is a script's, not a person's

# what a cleanup run prints, as tailscaled's log (net/dns, linuxfw, logpolicy) shows it, and how it ends
CLEANUP_BODY = [
    'logpolicy: using system state directory "/var/lib/tailscale"',
    "dns: [rc=unknown ret=direct]",
    'dns: using "direct" mode',
    'linuxfw: clear iptables: exec: "iptables": executable file not found in $PATH',
    'linuxfw: clear ip6tables: exec: "ip6tables": executable file not found in $PATH',
    "flushing log.",
    "logger closing down",
]
# what a package manager, an init system or an add-on script prints around it (not tailscaled's)
AROUND = [
    "root@OpenWrt:~# opkg install tailscale",
    "Configuring tailscale.",
    "[services.d] starting services",
    "[cont-init.d] done.",
    "Setting up tailscale (1.88.4) ...",
    "tailscaled not started yet, sleeping 5s",
]
ARGV0 = ["tailscaled", "/usr/bin/tailscaled", "/usr/sbin/tailscaled", "./tailscaled", "bin/tailscaled"]
CLEANUP = ["--cleanup", "-cleanup", "--cleanup=true", "-cleanup=1"]
EXTRA = ["", '"-state", "/data/tailscaled.state", ', '"--statedir=/var/lib/tailscale", ']
STAMPS = ["{msg}", "2021/08/25 06:09:51 {msg}", "2025-10-17T10:02:08Z {msg}"]


def _cleanup_run(stamp: str, argv0: str, flag: str, extra: str, before: list[str], after: list[str]) -> str:
    start = f'Program starting: v1.88.4-t85f4267ee, Go 1.25.3: []string{{"{argv0}", {extra}"{flag}"}}'
    body = ["logtail started", start, "LogID: 6598baf6a767ae9291fdf3f0897e8fc577dd7554d74d11f62c00e6acf98e4a2f"]
    logged = [stamp.format(msg=m) for m in [*body, *CLEANUP_BODY]]
    return "\n".join([*before, *logged, *after]) + "\n"


@given(
    st.sampled_from(STAMPS),
    st.sampled_from(ARGV0),
    st.sampled_from(CLEANUP),
    st.sampled_from(EXTRA),
    st.lists(st.sampled_from(AROUND), max_size=3),
    st.lists(st.sampled_from(AROUND), max_size=2),
)
@settings(max_examples=80, deadline=None)
def test_a_cleanup_run_nobody_typed_is_started_by_a_script(
    stamp: str, argv0: str, flag: str, extra: str, before: list[str], after: list[str]
) -> None:
    log = _log(_cleanup_run(stamp, argv0, flag, extra, before, after))
    assert (log["version"], log["hand_started"]) == ("1.88.4", False)
    assert not {"hand-started", "crash", "firewall-failed"} & _kinds(log)
    assert log["exit"] == 0


@given(st.sampled_from(STAMPS), st.sampled_from(["tailscaled", "./tailscaled"]), st.sampled_from(CLEANUP))
@settings(max_examples=30, deadline=None)
def test_a_cleanup_run_typed_at_a_prompt_stays_a_hand_start(stamp: str, argv0: str, flag: str) -> None:
    # the prompt says a person ran it: the cleanup flag does not overrule that
    typed = f"root@host:~# {argv0} {flag}"
    assert _log(_cleanup_run(stamp, argv0, flag, "", [typed], []))["hand_started"] is True


@given(st.sampled_from(STAMPS), st.sampled_from(["-cleanup=false", "--cleanup=0", "--cleanupx"]))
@settings(max_examples=20, deadline=None)
def test_a_cleanup_flag_turned_off_is_no_cleanup_run(stamp: str, flag: str) -> None:
    # a bare argv0 is still a shell's (only a real cleanup run is a script's)
    assert _log(_cleanup_run(stamp, "tailscaled", flag, "", [], []))["hand_started"] is True


# ------------------------------------------------------------------ macOS refusing a Tailscale binary's signature

# the unified log's layouts: the plain "process: message" of a copied excerpt, Console's copy, `log show`, syslog
APPLE_ROWS = [
    "{process}: {msg}",
    "default\t10:41:06.456599+0200\t{process}\t{msg}",
    "error\t10:41:06.456599+0200\t{process}\t{msg}",
    "2024-10-22 10:41:06.758978-0400 0xba326    Default     0x0                  291  0    {process}: {msg}",
    "2024-10-22 10:41:06.758978-0400  localhost {process}[291]: {msg}",
]
BUNDLES = [
    "io.tailscale.ipn.macsys.network-extension",
    "io.tailscale.ipn.macsys",
    "io.tailscale.ipn.macos.network-extension",
    "io.tailscale.ipn.macos",
]
ENTITLEMENTS = [
    "com.apple.security.application-groups",
    "com.apple.developer.networking.networkextension, com.apple.developer.system-extension.install",
    "com.apple.developer.team-identifier",
]
# the lines of other processes around the refusal in the excerpt (tccd, the kernel's System Policy)
APPLE_AROUND = [
    "tccd: Failed to create LSApplicationRecord for file:///Library/SystemExtensions/68D292AE/"
    "io.tailscale.ipn.macsys.network-extension.systemextension/: 'The operation couldn’t be completed. "
    "(OSStatus error -10811.)'",
    "kernel: System Policy: syspolicyd(290) deny(1) file-write-xattr /Library/SystemExtensions/68D292AE/"
    "io.tailscale.ipn.macsys.network-extension.systemextension",
]
EXTENSION_NOISE = "io.tailscale.ipn.macsys.network-extension: [0x7fd1d7e04080] Channel could not return listener port."


@given(
    st.sampled_from(APPLE_ROWS),
    st.sampled_from(BUNDLES),
    st.sampled_from(ENTITLEMENTS),
    st.sampled_from([(True, True), (True, False), (False, True)]),
    st.lists(st.sampled_from(APPLE_AROUND), max_size=2),
    st.booleans(),
)
@settings(max_examples=80, deadline=None)
def test_macos_refusing_a_tailscale_signature_is_tunnel_start_failed(
    row: str, bundle: str, entitlements: str, which: tuple[bool, bool], around: list[str], noise: bool
) -> None:
    unsatisfied, disallowing = which
    lines = []
    if unsatisfied:
        lines.append(row.format(process="taskgated-helper", msg=f"{bundle}: Unsatisfied entitlements: {entitlements}"))
    if disallowing:
        lines.append(row.format(process="taskgated-helper", msg=f"Disallowing: {bundle}"))
    lines += [*around, *([EXTENSION_NOISE] if noise else [])]
    log = _log("\n".join(lines) + "\n")
    assert "tunnel-start-failed" in _kinds(log)
    assert not {"login-required", "control-unreachable", "crash"} & _kinds(log)
    assert (log["os"], log["exit"]) == ("macos", 1)
    document = run_json("\n".join(lines) + "\n")
    (finding,) = [f for f in document["findings"] if f["rule"] == "TS-LOG-TUNNEL-START-FAILED"]
    assert "pkgs.tailscale.com" in finding["fix"] and bundle in finding["cause"]


@given(
    st.sampled_from(APPLE_ROWS),
    st.sampled_from(["com.example.vpn.network-extension", "com.wireguard.macos.network-extension"]),
)
@settings(max_examples=20, deadline=None)
def test_another_apps_refused_signature_is_no_tailscale_issue(row: str, bundle: str) -> None:
    lines = [
        row.format(process="taskgated-helper", msg=f"{bundle}: Unsatisfied entitlements: {ENTITLEMENTS[0]}"),
        row.format(process="taskgated-helper", msg=f"Disallowing: {bundle}"),
        EXTENSION_NOISE,
    ]
    log = _log("\n".join(lines) + "\n")
    assert "tunnel-start-failed" not in _kinds(log)
