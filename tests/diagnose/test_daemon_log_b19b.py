"""Generated tests for tailscaled-log classes blind batches 19 and 20 missed (second logs helper): the control
client's own "url-visit-required" state (a login URL handed out, never visited), the Windows service's babysitter
seeing its tailscaled subprocess die and the atomic state-file write failing under it, relaynode's fatal exits
(2020), Go's Windows-only socket and file error wordings naming the OS, and a Windows start's log flush that is the
process exiting.

Each class is proven over the prefixes people paste (test_daemon_log.PREFIXES), the wrappings it comes in, and the
wordings Tailscale's source prints (control/controlclient auto.go + status.go, cmd/tailscaled/tailscaled_windows.go,
atomicfile, cmd/relaynode, logpolicy), not on the one sample that exposed it.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.diagnose.test_daemon_log import PREFIXES, _kinds, _log, _mangle

MANGLES = st.sampled_from(["plain", "crlf", "quote", "fence", "indent"])
GO_TIME_STAMPS = st.sampled_from(
    ["", "2021-10-13 23:18:46.819032234 -0400 EDT: ", "2022-05-26 20:54:13.0886801 -0700 PDT: ", "2021/10/13 23:18:46 "]
)
HEALTHY = "magicsock: derp-4 connected; connGen=1"
CONTROL = st.sampled_from(["control: ", "control: [v1] ", ""])

# ------------------------------------------------------------- the control client waiting on a login URL

URL_WAIT = st.sampled_from(
    [
        "authRoutine: state:url-visit-required; wantLoggedIn=true",
        "mapRoutine: state:url-visit-required",
        "authRoutine: state:url-visit-required; goal=nil paused=false",
    ]
)
CANCELED = st.sampled_from(
    [
        'WaitLoginURL: register request: Post "https://controlplane.tailscale.com/machine/XXXXXX": context canceled',
        'WaitLoginURL: register request: Post "https://controlplane.tailscale.com/machine/XX": **context canceled**',
        'TryLogin: register request: Post "https://hs.example.net/machine/abc": `context canceled`',
    ]
)


@given(st.sampled_from(PREFIXES), GO_TIME_STAMPS, CONTROL, URL_WAIT, CANCELED, st.booleans(), MANGLES)
@settings(max_examples=60, deadline=None)
def test_url_visit_required_is_a_login_never_completed(
    prefix: str, stamp: str, control: str, wait: str, canceled: str, logged_in_after: bool, how: str
) -> None:
    lines = [
        f"{stamp}{control}client.Shutdown()",
        f"{stamp}{control}{canceled}",
        f"{stamp}{control}{wait}",
        f"{stamp}{control}authRoutine: quit",
    ]
    if logged_in_after:
        lines.append(f"{stamp}{control}authRoutine: state:authenticated; wantLoggedIn=true")
    log = _log(_mangle([prefix.format(msg=line) for line in lines], how))
    kinds = _kinds(log)
    assert ("login-required" in kinds) is not logged_in_after
    # the register request was cancelled by the client's own shutdown: control answered nothing, and was not lost
    assert "control-unreachable" not in kinds


@given(st.sampled_from(PREFIXES), CONTROL, st.sampled_from(["authenticated", "synchronized", "new", "authenticating"]))
@settings(max_examples=30, deadline=None)
def test_other_control_client_states_ask_for_no_login(prefix: str, control: str, state: str) -> None:
    lines = [HEALTHY, f"{control}authRoutine: state:{state}; wantLoggedIn=true", f"{control}mapRoutine: state:{state}"]
    log = _log("\n".join(prefix.format(msg=line) for line in lines) + "\n")
    assert "login-required" not in _kinds(log)


# ------------------------------------------------------------- Go's Windows error wordings name the OS

WINDOWS_ERRORS = st.sampled_from(
    [
        'TryLogin: fetch control key: Get "https://controlplane.tailscale.com/key?v=113": proxyconnect tcp: dial tcp '
        "127.0.0.1:7890: connectex: No connection could be made because the target machine actively refused it.",
        'Received error: fetch control key: Get "https://hs.example.net/key?v=68": dial tcp 10.0.0.5:443: connectex: '
        "A connection attempt failed because the connected party did not properly respond after a period of time, "
        "or established connection failed because connected host has failed to respond.",
        "derp-4: derp.Recv(derp-4): read tcp 192.168.1.20:50301->199.38.181.104:443: wsarecv: An existing connection "
        "was forcibly closed by the remote host.",
        "magicsock: derp-4 does not know about peer [abc], removing route; write udp4 0.0.0.0:41641->1.2.3.4:41641: "
        "wsasendto: The requested address is not valid in its context.",
    ]
)
UNIX_ERRORS = st.sampled_from(
    [
        'TryLogin: fetch control key: Get "https://controlplane.tailscale.com/key?v=113": proxyconnect tcp: dial tcp '
        "127.0.0.1:7890: connect: connection refused",
        "derp-4: derp.Recv(derp-4): read tcp 192.168.1.20:50301->199.38.181.104:443: read: connection reset by peer",
    ]
)
PROSE_PREFIXES = st.sampled_from(["", "the service log always shows: ", "When I closed Clash, the log shows:  "])


@given(st.sampled_from(PREFIXES[:4]), WINDOWS_ERRORS, MANGLES)
@settings(max_examples=40, deadline=None)
def test_go_windows_socket_errors_name_windows(prefix: str, message: str, how: str) -> None:
    log = _log(_mangle([prefix.format(msg=HEALTHY), prefix.format(msg=message)], how))
    assert log["os"] == "windows"


@given(PROSE_PREFIXES, WINDOWS_ERRORS.filter(lambda m: m.startswith(("TryLogin", "Received error"))), MANGLES)
@settings(max_examples=30, deadline=None)
def test_a_control_error_quoted_in_prose_names_windows(lead: str, message: str, how: str) -> None:
    log = _log(_mangle([f"{lead}{message}"], how))
    assert log["os"] == "windows"
    assert "control-unreachable" in _kinds(log)


@given(st.sampled_from(PREFIXES[:4]), UNIX_ERRORS, MANGLES)
@settings(max_examples=30, deadline=None)
def test_the_same_errors_in_unix_words_name_no_windows(prefix: str, message: str, how: str) -> None:
    log = _log(_mangle([prefix.format(msg=HEALTHY), prefix.format(msg=message)], how))
    assert log["os"] != "windows"


# ------------------------------------------------------------- relaynode's fatal exits (v0.9x, 2020)

RELAYNODE_PREFIXES = st.sampled_from(
    [*PREFIXES, "Feb 16 12:00:01 ct relaynode[614]: 2020/02/16 12:00:01 {msg}", "2020/02/16 12:00:01 {msg}"]
)
RELAYNODE_FATALS = st.sampled_from(
    [
        "Error starting wireguard engine: no such file or directory",
        "Error starting wireguard engine: operation not permitted",
        "Error getting wg config: bad key",
        "Error reconfiguring engine: wgengine: Reconfig: ip: exit status 2",
        "Wireguard engine status error: IpcGetOperation: EOF",
        "--routes: not an IP range: 10.0.0.0/33",
    ]
)
TUN_REFUSALS = st.sampled_from(
    ["CreateTUN: no such file or directory", "CreateTUN: operation not permitted", "CreateTUN: permission denied"]
)


@given(RELAYNODE_PREFIXES, st.one_of(st.none(), TUN_REFUSALS), RELAYNODE_FATALS, MANGLES)
@settings(max_examples=60, deadline=None)
def test_relaynode_fatal_exits_are_crashes(prefix: str, tun: str | None, fatal: str, how: str) -> None:
    lines = [prefix.format(msg=line) for line in ([tun] if tun else []) + [fatal]]
    log = _log(_mangle(lines, how))
    kinds = _kinds(log)
    assert "crash" in kinds
    assert ("tun-unavailable" in kinds) is (tun is not None)
    assert log["exit"] == 1


# ------------------------------------------- the Windows service's subprocess dying on a state file it cannot write

WIN_STAMPS = st.sampled_from(["", "2022-05-26 20:54:13.0886801 -0700 PDT: ", "2022-05-26 20:54:13.09 +0200 CEST: "])
SUBPROC_START = (
    'Program starting: v1.25.91-tfc5839864-g75e9154c1: []string{"C:\\\\Program Files (x86)\\\\Tailscale IPN\\\\'
    'tailscaled.exe", "/subproc", "2646014839487dfcdbf94544078db3865f63fa7a9ce8cacd2b799d3b7c4c5570"}'
)
STATE_RENAMES = st.sampled_from(
    [
        "ipnserver: rename .\\..tmp1113218995 : The system cannot find the path specified.",
        "ipnserver: rename C:\\ProgramData\\Tailscale\\server-state.conf.tmp2211 C:\\ProgramData\\Tailscale\\"
        "server-state.conf: Access is denied.",
        "ipnserver: rename C:\\Users\\Jo Smith\\AppData\\Local\\Tailscale\\server-state.conf.tmp77 "
        "C:\\Users\\Jo Smith\\AppData\\Local\\Tailscale\\server-state.conf: The process cannot access "
        "the file because it is being used by another process.",
        "rename /var/lib/tailscale/tailscaled.state.tmp4039 /var/lib/tailscale/tailscaled.state: read-only file system",
    ]
)
EXIT_ERRORS = st.sampled_from(["exit status 1", "exit status 3221225477", "exit status 2"])


@given(WIN_STAMPS, STATE_RENAMES, EXIT_ERRORS, st.booleans(), MANGLES)
@settings(max_examples=60, deadline=None)
def test_subprocess_dying_on_an_unwritable_state_file(
    stamp: str, rename: str, exited: str, came_back: bool, how: str
) -> None:
    lines = [
        SUBPROC_START,
        "subproc mode: logid=2646014839487dfcdbf94544078db3865f63fa7a9ce8cacd2b799d3b7c4c5570",
        "tailscaled: getting engine... (try 1)",
        rename,
        f"subprocess exited: {exited}",
        "BabysitProc: backoff: 30953 msec",
        'exec: "C:\\\\Program Files (x86)\\\\Tailscale IPN\\\\tailscaled.exe" [/subproc 2646014839487dfcdb]',
    ]
    if came_back:  # the next run gets further: what made the last one fail is cured
        lines += [SUBPROC_START, "Switching ipn state NoState -> Running (WantRunning=true, nm=true)"]
    log = _log(_mangle([f"{stamp}{line}" for line in lines], how))
    kinds = _kinds(log)
    assert ("crash" in kinds) is not came_back
    assert ("state-unwritable" in kinds) is not came_back
    assert log["exit"] == (0 if came_back else 1)


@given(WIN_STAMPS, MANGLES)
@settings(max_examples=20, deadline=None)
def test_a_clean_subprocess_exit_and_other_renames_are_no_failure(stamp: str, how: str) -> None:
    lines = [
        SUBPROC_START,
        # another file's atomic write (not the state file, not the subprocess's fatal): no state trouble
        "dns: rename C:\\Windows\\System32\\drivers\\etc\\hosts.tmp12 C:\\Windows\\System32\\drivers\\etc\\hosts: "
        "Access is denied.",
        "subprocess exited: <nil>",
    ]
    log = _log(_mangle([f"{stamp}{line}" for line in lines], how))
    assert not {"crash", "state-unwritable"} & _kinds(log)


# ------------------------------------------- a Windows start's log flush is run() returning, whatever follows it

AFTER_FLUSH = st.lists(
    st.sampled_from(
        [
            '2024/04/22 10:31:24 logtail: dialed "10.20.245.10:3128" in 9ms',
            'tshttpproxy: CONNECT response from http://10.20.245.10:3128 for target "log.tailscale.io:443" (auth '
            '"Negotiate TlRMTVNTUA...(66 total bytes)"): 200 Connection established',
            'WSL: could not list distributions: wslRun([wsl.exe -l]): exit status 1: ""',
        ]
    ),
    max_size=3,
)


@given(st.sampled_from(["C:\\Program Files\\Tailscale>", "PS C:\\Program Files\\Tailscale> "]), AFTER_FLUSH, MANGLES)
@settings(max_examples=30, deadline=None)
def test_a_hand_started_windows_daemon_flushing_its_log_has_exited(prompt: str, after: list[str], how: str) -> None:
    # logpolicy's "flushing log." is printed only by Policy.Shutdown, which only run()'s deferred flush calls
    # (cmd/tailscaled/tailscaled.go): what follows is logtail's last upload and goroutines finishing, not a new run
    lines = [
        f"{prompt}tailscaled.exe --verbose=3",
        'Program starting: v1.64.2-t67a648908-gf5b4f5dbe, Go 1.22.2: []string{"tailscaled.exe", "--verbose=3"}',
        "logpolicy: using dir C:\\ProgramData\\Tailscale",
        "dns: using *dns.windowsManager",
        "running ipconfig /registerdns ...",
        "flushing log.",
        "logger closing down",
        *after,
    ]
    log = _log(_mangle(lines, how))
    assert log["os"] == "windows"
    assert log["hand_started"] is True
    assert {"crash", "hand-started"} <= _kinds(log)
