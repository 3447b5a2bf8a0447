"""Generated tests for the tailscaled-log classes blind batch 10 missed: the Windows router's errors, the DNS
forwarder's upstream answering SERVFAIL/REFUSED, Wintun's own error lines pasted bare, macOS Console rows with a
PID column, the auth routine idle while logged out, peers named by disco and WireGuard while a path is sought,
the service manager unable to execute tailscaled, and log lines wrapped by a console, a chat or a person.

Each class is proven under every prefix people paste (test_daemon_log.PREFIXES) and over the variants
Tailscale's (and Wintun's) source prints, not on the one sample that exposed it.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from opskit.core.diagnose.daemonlog import message_of
from tests.diagnose.test_daemon_log import HEALTHY, PREFIXES, _kinds, _log, _mangle

# wgengine/router (router_windows.go: r.logf("ConfigureInterface: %v", err) under the "router: " prefix;
# ifconfig_windows.go's errors; v1.0-v1.4 logged "getipif: %v" itself).
WINDOWS_ROUTER = [
    "router: ConfigureInterface: Due to a Windows limitation, one cannot have interface routes without an interface "
    "address",
    "router: ConfigureInterface: Element not found.",
    "getipif: Element not found.",
    'router: ConfigureInterface: syncAddresses: adding IP "100.101.102.103/32": The object already exists.',
    "router: ConfigureInterface: getting AF_INET interface: Element not found.",
    "setroutes: adding route 10.0.0.0/8: The parameter is incorrect.",
]


@given(st.sampled_from(PREFIXES), st.sampled_from(WINDOWS_ROUTER), st.sampled_from(["plain", "fence", "quote"]))
@settings(max_examples=80, deadline=None)
def test_the_windows_routers_errors_are_firewall_failed_on_windows(prefix: str, message: str, how: str) -> None:
    log = _log(_mangle([prefix.format(msg=message)], how))
    assert "firewall-failed" in _kinds(log), message
    assert log["os"] == "windows"  # only tailscaled's Windows router prints these
    assert log["exit"] == 1


def test_the_windows_routers_success_lines_raise_nothing() -> None:
    lines = ["router: monitorDefaultRoutes done after 6ms", "Clearing router settings...",
             "setPrivateNetwork(try=0): not found", "setPrivateNetwork(try=1): success"]  # fmt: skip
    assert _kinds(_log("\n".join(["logtail started", *lines]) + "\n")) == set()


# net/dns/resolver/forwarder.go: f.logf("sendUDP: response code indicating server failure: %d", rcode) and the
# refusal twin, for UDP and TCP (older builds said "recv:"), under the forwarder's "dns: resolver: forward: " prefix.
@given(
    st.sampled_from(PREFIXES),
    st.sampled_from(["recv", "sendUDP", "sendTCP"]),
    st.sampled_from(["server failure: 2", "refusal: 5"]),
    st.integers(1, 4),
)
@settings(max_examples=80, deadline=None)
def test_an_upstream_answering_servfail_or_refused_is_dns_forward_failing(
    prefix: str, where: str, answer: str, times: int
) -> None:
    line = prefix.format(msg=f"dns: resolver: forward: {where}: response code indicating {answer}")
    log = _log(_mangle(["logtail started", *[line] * times], "plain"))
    # one answer alone is a one-off (the forwarder retries); repeated ones are the upstream failing
    assert ("dns-forward-failing" in _kinds(log)) is (times >= 2)
    assert "dns-config-failed" not in _kinds(log)


# Wintun's LOG_ERROR (api/adapter.c): "<what>: <Windows' message> (Code 0x%08X)"; tailscaled tags it "[Wintun] "
# but users paste it bare from the service log too.
WINTUN_ERRORS = [
    "Failed to setup adapter (problem code: 0x12, ntstatus: 0xC0000493): The property set specified does not exist "
    "on the object. (Code 0x00000492)",
    "Timed out waiting for device query: The wait operation timed out. (Code 0x00000102)",
    "Failed to setup adapter (problem code: 0x1F, ntstatus: 0xC00002F0): The system cannot find the file specified. "
    "(Code 0x00000002)",
    "Failed to create adapter: Cannot create a file when that file already exists. (Code 0x000000B7)",
    "Failed to open adapter: The system cannot find the file specified. (Code 0x00000002)",
]


@given(
    st.sampled_from(WINTUN_ERRORS),
    st.sampled_from(["{msg}", "[Wintun] {msg}", "2021-06-15T16:01:48.840-07:00: [Wintun] {msg}",
                     "2024/01/12 10:41:06 {msg}"]),
    st.booleans(),
)  # fmt: skip
@settings(max_examples=40, deadline=None)
def test_wintuns_own_errors_are_tun_unavailable_with_or_without_its_tag(message: str, prefix: str, lead: bool) -> None:
    lines = (["Creating adapter"] if lead else []) + [prefix.format(msg=message)]
    log = _log(_mangle(lines, "plain"))
    assert "tun-unavailable" in _kinds(log)
    assert log["os"] == "windows"
    assert _kinds(log) & {"firewall-failed", "control-unreachable", "dns-config-failed"} == set()
    # only a kernel TUN creates a Wintun adapter (netstack mode creates none), tagged or not (blind 18: 429)
    assert log["userspace"] is False


@given(
    st.integers(1, 99999),
    st.sampled_from(["default", "info", "error", "fault"]),
    st.sampled_from(["IPNExtension", "io.tailscale.ipn.macos.network-extension", "Tailscale"]),
    st.sampled_from(["authReconfig: blocked, skipping.", "wgengine: Reconfig: configuring router"]),
    st.sampled_from(["\t", "  "]),
)
@settings(max_examples=60, deadline=None)
def test_macos_console_rows_with_a_pid_column_are_peeled(
    pid: int, level: str, process: str, msg: str, gap: str
) -> None:
    row = gap.join([str(pid), level, "19:53:44.078650-0800", process, msg])
    message = message_of(row.replace("\t", " "))  # text.py turns tabs into spaces before the grammar
    assert (message.text, message.process, message.form) == (msg, process, "macos")


@given(
    st.sampled_from(PREFIXES),
    st.sampled_from(["control: authRoutine: state:not-authenticated; goal=nil",
                     "control: [v1] authRoutine: loggedIn=false; goal=nil paused=false"]),
    st.sampled_from([None, "control: authRoutine: state:authenticated", "control: [v1] authRoutine: loggedIn=true; "
                     "goal=nil paused=false", "Switching ipn state NeedsLogin -> Running (WantRunning=true, nm=true)"]),
)  # fmt: skip
@settings(max_examples=60, deadline=None)
def test_the_auth_routine_idle_while_logged_out_needs_a_login(prefix: str, idle: str, later: str | None) -> None:
    lines = [prefix.format(msg=HEALTHY[0]), prefix.format(msg=idle)]
    if later is not None:
        lines.append(prefix.format(msg=later))
    log = _log(_mangle(lines, "plain"))
    assert ("login-required" in _kinds(log)) is (later is None)


DISCO_TALK = [
    "magicsock: disco: send, starting discovery for [{key}] (d:eea29f249f342db3)",
    "magicsock: disco: d:c9fa345521b8a225->d:eea29f249f342db3 ([{key}], derp-2) sent call-me-maybe",
    "magicsock: disco: d:c9fa345521b8a225->d:eea29f249f342db3 ([{key}], 192.168.86.239:50770) sent ping tx=d075a19",
    "[{key}] - Sending handshake initiation",
    "wg: [{key}] - Sending handshake initiation",
    "[{key}] - Handshake did not complete after 5 seconds, retrying (try 2)",
]


@given(st.sampled_from(PREFIXES), st.sampled_from(["CnK7M", "+XbWr", "0UbXg"]), st.sampled_from(DISCO_TALK))
@settings(max_examples=60, deadline=None)
def test_a_peer_disco_or_wireguard_talks_to_is_listed_without_a_path(prefix: str, key: str, line: str) -> None:
    log = _log(_mangle([prefix.format(msg=HEALTHY[0]), prefix.format(msg=line.format(key=key))], "plain"))
    (peer,) = [p for p in log["peers"] if p["name"] == key]
    assert (peer["path"], peer["endpoint"]) == ("unknown", None)  # talking to it says nothing of a path yet
    assert "peer-unreachable" not in _kinds(log)


# systemd (and a container runtime, a shell) unable to execute the binary: tailscaled never ran.
EXEC_FAILURES = [
    "tailscaled.service: Main process exited, code=exited, status=203/EXEC",
    "Main PID: 6948 (code=exited, status=203/EXEC)",
    "tailscaled.service: Failed at step EXEC spawning /usr/sbin/tailscaled: No such file or directory",
    "tailscaled.service: Failed to execute /usr/sbin/tailscaled: Exec format error",
    "tailscaled.service: Unable to locate executable '/usr/sbin/tailscaled': No such file or directory",
    "exec /usr/local/bin/tailscaled: exec format error",
    "/usr/sbin/tailscaled: cannot execute binary file: Exec format error",
]
VERDICTS = [
    "tailscaled.service: Failed with result 'exit-code'.",
    "tailscaled.service: Start request repeated too quickly.",
    "Active: failed (Result: exit-code) since Fri 2024-12-13 02:42:15 CST; 6min ago",
]


@given(
    st.sampled_from(["Dec 13 02:42:15 host systemd[1]: {msg}", "{msg}",
                     "2024-12-13T02:42:15.1Z host systemd[1]: {msg}"]),
    st.sampled_from(EXEC_FAILURES),
    st.lists(st.sampled_from(VERDICTS), max_size=3),
    st.booleans(),
)  # fmt: skip
@settings(max_examples=80, deadline=None)
def test_a_binary_the_service_manager_cannot_execute_is_exec_failed_not_a_crash(
    prefix: str, failure: str, verdicts: list[str], panicked: bool
) -> None:
    lines = [prefix.format(msg=failure), *[prefix.format(msg=v) for v in verdicts]]
    if panicked:  # a run that did start and panicked is a crash whatever the service manager says after it
        lines.insert(0, "panic: runtime error: invalid memory address or nil pointer dereference")
    log = _log(_mangle(lines, "plain"))
    assert "exec-failed" in _kinds(log)
    assert ("crash" in _kinds(log)) is panicked
    assert log["exit"] == 1


def test_the_service_managers_verdict_alone_is_still_a_crash() -> None:
    lines = ["Dec 13 02:42:15 host systemd[1]: " + v for v in VERDICTS]
    assert "crash" in _kinds(_log("\n".join(lines) + "\n"))


# ----------------------------------------------------------------------------------- wrapped log lines

# Prefixes short enough that the first 80 columns still show whose line it is (a macOS unified-log prefix alone is
# longer than that: a console cannot show it wrapped and still readable).
SHORT_PREFIXES = [p for p in PREFIXES if 0 < p.index("{msg}") < 45]
WRAPPABLE = {  # long messages (starting with a subsystem only tailscaled has) → the issue they raise
    "open-conn-track: timeout opening (TCP 100.79.107.110:37196 => 100.94.193.51:8001) to node [Vdhdo]; "
    "online=yes, lastRecv=13m42s": "peer-unreachable",
    "magicsock: derp.Send(127.3.3.40:900): derphttp.Client.Send connect to region 900 (home): dial tcp "
    "203.0.113.1:443: i/o timeout": "derp-unreachable",
    "wgengine: watchdog timeout on Reconfig": "crash",
}


@given(
    st.sampled_from(SHORT_PREFIXES),
    st.sampled_from(sorted(WRAPPABLE)),
    st.sampled_from(["plain", "fence", "indent", "quote"]),
)
@settings(max_examples=80, deadline=None)
def test_a_line_a_console_cut_at_80_columns_is_read_whole(prefix: str, message: str, how: str) -> None:
    full = prefix.format(msg=message)
    pieces = [full[i : i + 80] for i in range(0, len(full), 80)]  # cut anywhere, mid-word too
    log = _log(_mangle([prefix.format(msg=HEALTHY[0]), *pieces], how))
    assert WRAPPABLE[message] in _kinds(log), pieces


JOURNAL = "Oct 30 16:37:08 clockworkcity tailscaled[841]: {msg}"
CHAT_STORY = [
    "wgengine: set DNS config again after major link change",
    "magicsock: 1 active derp conns: derp-22=cr15m0s,wr17s",
    "magicsock: disco: node [+YZI4] d:dd387ab0026ec527 now using 192.168.1.111:41641 mtu=1360 tx=edaa17882e4b",
    "post-rebind ping of DERP region 22 okay",
    "open-conn-track: timeout opening (TCP 100.79.107.110:37196 => 100.94.193.51:8001) to node [p/guc]; online=yes, "
    "lastRecv=13m42s",
    "monitor: RTM_DELROUTE: src=, dst=fe80::/64, gw=, outif=82, table=254",
]


@given(
    st.sampled_from([JOURNAL, "2026/02/15 20:38:03 {msg}", "2024-04-30T03:52:44.875476938-04:00 {msg}"]),
    st.integers(56, 90),
    st.sampled_from(["", "  ", "    "]),
    st.sampled_from(["\n", "\r\n", "\r\r\n"]),  # a copy that doubled every line end: a blank between pieces
)
@settings(max_examples=60, deadline=None)
def test_a_log_a_chat_rewrapped_at_a_width_is_read_whole(prefix: str, width: int, indent: str, end: str) -> None:
    import textwrap

    pieces = [
        f"{indent}{piece}"
        for message in CHAT_STORY * 2
        for piece in textwrap.wrap(prefix.format(msg=message), width, break_long_words=False, break_on_hyphens=False)
    ]
    log = _log(end.join(pieces) + end)
    by_name = {peer["name"]: peer for peer in log["peers"]}
    assert (by_name["+YZI4"]["path"], by_name["+YZI4"]["endpoint"]) == ("direct", "192.168.1.111:41641"), pieces
    assert "p/guc" in by_name and "peer-unreachable" in _kinds(log), pieces


@given(
    st.sampled_from([JOURNAL, "2026/02/15 20:38:03 {msg}"]),
    st.sampled_from(["(TCP 100.79.107.110:37196 => 100.94.193.51:8001) to node [p/guc];", "online=yes, lastRecv=1m"]),
)
@settings(max_examples=20, deadline=None)
def test_a_piece_that_cannot_start_a_message_continues_the_line_above(prefix: str, piece: str) -> None:
    # a person broke the line by hand, at no width: "(…" and "key=value" cannot start a tailscaled message
    head = (
        "open-conn-track: timeout opening"
        if piece.startswith("(")
        else ("open-conn-track: timeout opening (TCP 100.79.107.110:37196 => 100.94.193.51:8001) to node [p/guc];")
    )
    tail = ["online=yes, lastRecv=13m42s"] if piece.startswith("(") else []
    log = _log("\n".join([prefix.format(msg=head), piece, *tail]) + "\n")
    assert "peer-unreachable" in _kinds(log)
    assert "p/guc" in {peer["name"] for peer in log["peers"]}


@given(
    st.sampled_from(SHORT_PREFIXES),
    st.sampled_from(["this is what I see after the reboot", "Any idea what is wrong?", "goroutine 1 [running]:"]),
)
@settings(max_examples=40, deadline=None)
def test_prose_or_a_trace_under_a_short_log_line_is_not_part_of_it(prefix: str, after: str) -> None:
    line = prefix.format(msg="Switching ipn state Starting -> NeedsLogin (WantRunning=true, nm=true)")
    log = _log(f"{line}\n{after}\n")
    (issue,) = [i for i in log["issues"] if i["kind"] == "login-required"]
    assert after not in issue["message"]


@given(
    st.sampled_from(["Tailscale", "tailscale", "ts-router", "container.1"]),
    st.sampled_from(["2026-03-17 04:35:27", "2026-03-17T04:35:27.123Z"]),
    st.sampled_from(["wgengine: watchdog timeout on Reconfig", "magicsock: derp-4 connected; connGen=1"]),
)
@settings(max_examples=30, deadline=None)
def test_a_viewers_stamp_and_container_name_before_the_go_stamp_are_peeled(name: str, stamp: str, msg: str) -> None:
    assert message_of(f"{stamp} {name} 2026/03/17 04:35:27 {msg}").text == msg
