"""Generated tests for blind batch 44's log misses, read as classes (what a user sees in the JSON document).

1. The Windows service's own messages (cmd/tailscaled/tailscaled_windows.go: the /subproc child's engine retry loop
   "tailscaled: getting engine... (try N)" / "tailscaled: engine fetch error (try N) in …" v1.10-v1.32, ipnserver's
   getEngine retries, "Got Windows Service event: …") say the service runs tailscaled, under any stamps (2560: the
   log viewer's Go time String stamp). Prose naming the loop, or a prompt that typed tailscaled.exe, do not.
2. wireguard-go's "write /dev/tun: no space left on device" reads as macOS, inferred (os_why): only the Apple apps'
   utun fd is named /dev/tun and refuses a write with ENOSPC (2562). ENOBUFS on /dev/tun (FreeBSD can print it),
   Linux's /dev/net/tun, or a log that names its OS otherwise do not.
3. tailscaled's 2020 netcheck lines ("netcheck: derpN.tailscale.com:3478 says we are ip:port (in 29ms)") under a
   log's prefixes are the node's NAT profile: udp true; different ports per server a hard mapping, one port an
   easy one (2564). Prose with "says we are" is no profile.
4. An enforced SELinux denial of Tailscale's own process is selinux-denied, keyed by permission and class (2569:
   Android's bind on netlink_route_socket; Linux audit's comm="tailscaled"); permissive=1, the sandbox's /proc
   refusals, Android's `ip` helper and another app's or program's denial are not.
"""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.diagnose.log_catalog import document_of, exit_code, finding_rules, log_issues, log_kinds

_FENCED = st.booleans()


def _fence(text: str, fenced: bool) -> str:
    return f"```\n{text}```\n" if fenced else text


def _log(document: dict[str, Any]) -> dict[str, Any]:
    logs = document["daemon_logs"]
    assert len(logs) == 1, [block["kind"] for block in document["blocks"]]
    return dict(logs[0])


# ----------------------------------------------------------------- 1. the Windows service's own messages

# stamps a Windows service log comes under: the log viewer's Go time String (the zone's name or its offset twice),
# the service's own log file (RFC 3339, 3 digits), Go's log stamp alone, none
_WINDOWS_STAMPS = (
    "2021-08-20 13:10:21.6973791 -0400 EDT: 2021/08/20 13:10:21 {msg}",
    "2021-06-16 13:20:33.7344627 -0700 -0700: 2021/06/16 13:20:33 {msg}",
    "2022-01-03 09:01:02.1 +0100 CET: 2022/01/03 09:01:02 {msg}",
    "2021-06-15T16:01:48.840-07:00: 2021/06/15 16:01:48 {msg}",
    "2021/08/20 13:10:21 {msg}",
    "{msg}",
)
_ENGINE_ERRORS = (
    "TUN: Error creating interface: The system cannot find the file specified.",
    "TUN: Error creating interface: Cannot create a file when that file already exists.",
    "router: setroutes: exit status 1",
    "DNS: the service is not running",
)
_SERVICE_RUNS = st.one_of(
    st.tuples(st.integers(1, 500), st.sampled_from(_ENGINE_ERRORS)).map(
        lambda case: (
            f"tailscaled: getting engine... (try {case[0]})",
            f"tailscaled: engine fetch error (try {case[0]}) in 667ms (total 667ms, sysUptime 9m17s): {case[1]}",
        )
    ),
    st.integers(2, 90).map(
        lambda n: (f"tailscaled: getting engine... (try {n})", f"tailscaled: got engine on try {n} in 1.2s (total 2s)")
    ),
    st.sampled_from(_ENGINE_ERRORS).map(
        lambda error: (f"ipnserver: initial getEngine call: {error}", "ipnserver: try1: trying getEngine again...")
    ),
    st.integers(1, 9).map(
        lambda n: ("ipnserver: try1: trying getEngine again...", f"{n}: GetEngine worked; exiting failure loop")
    ),
    st.sampled_from(("Stop", "Interrogate", "SessionChange")).map(
        lambda cmd: (f"Got Windows Service event: {cmd}", "wgengine: Reconfig: configuring userspace WireGuard config")
    ),
)  # fmt: skip


@settings(max_examples=120, deadline=None)
@given(st.sampled_from(_WINDOWS_STAMPS), _SERVICE_RUNS, _FENCED)
def test_the_windows_services_own_messages_say_the_service_runs_it(
    stamp: str, run: tuple[str, str], fenced: bool
) -> None:
    text = "".join(stamp.format(msg=message) + "\n" for message in run)
    log = _log(document_of(_fence(text, fenced)))
    assert log["hand_started"] is False
    assert "Windows service" in log["why"]


@settings(max_examples=30, deadline=None)
@given(st.sampled_from(_WINDOWS_STAMPS[:4]), st.integers(1, 50))
def test_a_typed_tailscaled_exe_still_reads_as_started_by_hand(stamp: str, attempt: int) -> None:
    # the checks before it (a prompt typing tailscaled.exe) still decide; the service's loop never prints then, so
    # the paste is contrived: what it asserts is the order, that a typed command is never outvoted
    text = (
        "PS C:\\Program Files\\Tailscale> .\\tailscaled.exe --debug=:8080\n"
        + stamp.format(msg=f"tailscaled: getting engine... (try {attempt})")
        + "\n"
    )
    assert _log(document_of(text))["hand_started"] is True


@settings(max_examples=20, deadline=None)
@given(st.sampled_from(("getting engine errors", "an engine fetch error", "the getEngine loop")))
def test_prose_about_the_engine_loop_says_nothing_of_who_started_it(words: str) -> None:
    text = f"2021/08/20 13:10:21 magicsock: disco key = d:1234abcd\nI keep {words} after the upgrade.\n"
    assert _log(document_of(text))["hand_started"] is None


# ----------------------------------------------------------------- 2. a utun write refused with ENOSPC

_TUN_WRITE_HEADS = (
    "wg: Failed to write packets to TUN device: ",
    "Failed to write packets to TUN device: ",
    "wg: Failed to write packet to TUN device: ",
)
_NO_OS_PREFIXES = ("{msg}", "    {msg}", "\t{msg}", "2025/08/14 09:12:01 {msg}", "2025/08/14 09:12:01.123456 {msg}")


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(_NO_OS_PREFIXES), st.sampled_from(_TUN_WRITE_HEADS), st.integers(1, 3), _FENCED)
def test_enospc_on_dev_tun_reads_as_macos(prefix: str, head: str, repeats: int, fenced: bool) -> None:
    line = prefix.format(msg=f"{head}write /dev/tun: no space left on device")
    document = document_of(_fence((line + "\n") * repeats, fenced))
    log = _log(document)
    assert log["os"] == "macos"
    assert log["os_why"].startswith("inferred: ")
    assert "tun-write-failed" in log_kinds(document)
    assert exit_code(document) == 1
    [finding] = [f for f in document["findings"] if f["rule"] == "TS-LOG-TUN-WRITE-FAILED"]
    assert "utun queue is full" in finding["cause"] and "not a full disk" in finding["cause"]
    assert "Restart Tailscale" in finding["fix"]


@settings(max_examples=40, deadline=None)
@given(
    st.sampled_from(_NO_OS_PREFIXES),
    st.sampled_from(
        (
            ("write /dev/tun: no buffer space available", None),  # FreeBSD's /dev/tun answers ENOBUFS too
            ("write /dev/net/tun: no space left on device", "linux"),
            ("write /dev/tun: input/output error", None),
            ("write /dev/tun0: no space left on device", None),
        )
    ),
)
def test_other_tun_write_errors_name_no_apple_os(prefix: str, case: tuple[str, str | None]) -> None:
    error, os_name = case
    log = _log(document_of(prefix.format(msg=f"wg: Failed to write packets to TUN device: {error}") + "\n"))
    assert log["os"] == os_name


@settings(max_examples=20, deadline=None)
@given(
    st.sampled_from(
        (
            ("Nov 13 02:07:34 host tailscaled[11844]: {msg}", "linux"),
            ("2024-01-12T10:41:06.123-08:00: {msg}", "windows"),
        )
    )
)
def test_a_log_that_names_its_os_keeps_it(case: tuple[str, str]) -> None:
    prefix, os_name = case
    line = prefix.format(msg="wg: Failed to write packets to TUN device: write /dev/tun: no space left on device")
    log = _log(document_of(line + "\n"))
    assert log["os"] == os_name
    assert log["os_why"] in (None, "")


# ----------------------------------------------------------------- 3. tailscaled's 2020 STUN answers

_STUN_PREFIXES = (
    "Mar 21 18:43:34 raspberrypi tailscaled[457]: 2020/03/21 18:43:34 {msg}",
    "Mar 21 18:43:34 raspberrypi tailscaled[457]: {msg}",
    "2020/03/21 18:43:34 {msg}",
    "tailscale-1  | 2020/03/21 18:43:34 {msg}",
    "2020-03-21T18:43:34.123456789Z 2020/03/21 18:43:34 {msg}",
)
_PUBLIC_IPS = st.sampled_from(("162.193.202.40", "66.130.147.6", "203.0.113.9", "[2001:db8::5]"))


def _stun_paste(prefix: str, ip: str, ports: list[int], fenced: bool) -> str:
    lines = [prefix.format(msg="magicsock.Conn: starting endpoint update (periodic)")]
    for region, port in enumerate(ports, start=1):
        answer = f"netcheck: derp{region}.tailscale.com:3478 says we are {ip}:{port} (in {20 + 7 * region}ms)"
        lines.append(prefix.format(msg=answer))
    lines.append(prefix.format(msg=f"magicsock: found local {ip}:{ports[0]} (stun)"))
    lines.append(prefix.format(msg="magicsock: found local 192.168.1.164:41641 (localAddresses)"))
    return _fence("\n".join(lines) + "\n", fenced)


@settings(max_examples=80, deadline=None)
@given(
    st.sampled_from(_STUN_PREFIXES),
    _PUBLIC_IPS.filter(lambda ip: not ip.startswith("[")),
    st.lists(st.integers(1024, 65535), min_size=2, max_size=4, unique=True),
    _FENCED,
)
def test_stun_answers_with_ports_varying_per_server_are_a_hard_nat(
    prefix: str, ip: str, ports: list[int], fenced: bool
) -> None:
    document = document_of(_stun_paste(prefix, ip, ports, fenced))
    [node] = document["nodes"]
    assert node["udp"] is True
    assert node["mapping"] == "hard"
    assert "tailscaled-log" in [block["kind"] for block in document["blocks"]]  # the lines stay the log's too


@settings(max_examples=40, deadline=None)
@given(
    st.sampled_from(_STUN_PREFIXES),
    _PUBLIC_IPS.filter(lambda ip: not ip.startswith("[")),
    st.integers(1024, 65535),
    st.integers(2, 4),
)
def test_stun_answers_with_one_port_everywhere_are_an_easy_nat(prefix: str, ip: str, port: int, servers: int) -> None:
    [node] = document_of(_stun_paste(prefix, ip, [port] * servers, False))["nodes"]
    assert node["udp"] is True
    assert node["mapping"] == "easy"


@settings(max_examples=20, deadline=None)
@given(st.sampled_from(_STUN_PREFIXES))
def test_prose_saying_says_we_are_is_no_nat_profile(prefix: str) -> None:
    text = (
        prefix.format(msg="magicsock.Conn: starting endpoint update (periodic)")
        + "\nThe STUN server says we are behind a symmetric NAT, the router says we are 10.0.0.1:41641 maybe.\n"
    )
    assert document_of(text)["nodes"] == []


# ----------------------------------------------------------------- 4. SELinux denials of Tailscale's own process

_CONTEXT = "u:r:untrusted_app:s0:c202,c257,c512,c768"
_ANDROID_HEADS = (
    "10-05 19:35:04.229  5140  5140 W Thread-4: ",
    "10-05 19:35:04.229  5140  5140 W Thread-12: ",
    "10-05 19:35:04.229  5140  5140 W m.tailscale.ipn: ",
    "10-05 19:35:04.229  5140  5140 W com.tailscale.ipn: ",
    "W/Thread-4(5140): ",
)
_DENIALS = (
    ("bind", "netlink_route_socket"),
    ("create", "netlink_route_socket"),
    ("nlmsg_readpriv", "netlink_route_socket"),
    ("ioctl", "udp_socket"),
    ("write", "file"),
)


def _android_denial(perm: str, tclass: str, permissive: int, app: str = "com.tailscale.ipn") -> str:
    return (
        f"type=1400 audit(0.0:2472): avc: denied {{ {perm} }} for scontext={_CONTEXT} tcontext={_CONTEXT} "
        f"tclass={tclass} permissive={permissive} bug=b/155595000 app={app}"
    )


@settings(max_examples=80, deadline=None)
@given(st.sampled_from(_ANDROID_HEADS), st.sampled_from(_DENIALS), st.booleans(), _FENCED)
def test_an_enforced_android_denial_of_the_app_is_selinux_denied(
    head: str, denial: tuple[str, str], inline: bool, fenced: bool
) -> None:
    perm, tclass = denial
    line = head + _android_denial(perm, tclass, 0)
    document = document_of(f"`{line}`\n" if inline else _fence(line + "\n", fenced))
    issues = [issue for issue in log_issues(document) if issue["kind"] == "selinux-denied"]
    assert [issue["about"] for issue in issues] == [f"{perm} {tclass}"]
    assert exit_code(document) == 1
    assert "TS-LOG-SELINUX-DENIED" in finding_rules(document)
    [finding] = [f for f in document["findings"] if f["rule"] == "TS-LOG-SELINUX-DENIED"]
    assert f"`{perm}` on `{tclass}`" in finding["cause"]
    assert "Update the Tailscale app" in finding["fix"]
    assert _log(document)["os"] == "android"


_LINUX_AUDIT_PREFIXES = (
    "type=AVC msg=audit(1593207465.064:7608): {msg}",
    "Dec 07 10:00:01 host kernel: audit: type=1400 audit(1701943201.123:456): {msg}",
    "Dec 07 10:00:01 host audit[1234]: AVC {msg}",
)


@settings(max_examples=40, deadline=None)
@given(
    st.sampled_from(_LINUX_AUDIT_PREFIXES),
    st.sampled_from((("write", "file", "tailscaled.state"), ("create", "sock_file", "tailscaled.sock"),
                     ("read write", "chr_file", "tun"))),
)  # fmt: skip
def test_an_enforced_linux_denial_of_tailscaled_is_selinux_denied(prefix: str, denial: tuple[str, str, str]) -> None:
    perm, tclass, name = denial
    message = (
        f'avc:  denied  {{ {perm} }} for  pid=1234 comm="tailscaled" name="{name}" dev="sda1" ino=42 '
        f"scontext=system_u:system_r:tailscaled_t:s0 tcontext=system_u:object_r:var_lib_t:s0 tclass={tclass} "
        "permissive=0"
    )
    document = document_of(prefix.format(msg=message) + "\n")
    assert [i["about"] for i in log_issues(document) if i["kind"] == "selinux-denied"] == [f"{perm} {tclass}"]
    assert exit_code(document) == 1
    [finding] = [f for f in document["findings"] if f["rule"] == "TS-LOG-SELINUX-DENIED"]
    assert "restorecon" in finding["fix"]


_ROUTINE_ANDROID = (
    # only logged (permissive), the sandbox's /proc refusals, Android's ip helper
    "10-05 19:35:04.229  5140  5140 W Thread-4: " + _android_denial("bind", "netlink_route_socket", 1),
    '10-10 18:22:24.425 32261 32261 W Thread-9: type=1400 audit(0.0:32521): avc: denied { read } for name="route" '
    f'dev="proc" ino=4026532077 scontext={_CONTEXT} tcontext=u:object_r:proc_net:s0 tclass=file permissive=0 '
    "app=com.tailscale.ipn",
    "06-04 00:42:40.917 21577 21577 W m.tailscale.ipn: type=1400 audit(0.0:359800): avc: denied { read } for "
    f'name="tcp" dev="proc" ino=4026532263 scontext={_CONTEXT} tcontext=u:object_r:proc_net_tcp_udp:s0 '
    "tclass=file permissive=0",
    "10-10 18:22:24.448 32295 32295 W ip      : " + _android_denial("bind", "netlink_route_socket", 0),
)


@settings(max_examples=30, deadline=None)
@given(st.sampled_from(_ROUTINE_ANDROID), _FENCED)
def test_routine_or_permissive_denials_are_not_selinux_denied(line: str, fenced: bool) -> None:
    text = "10-05 19:35:04.100  5140  5160 I com.tailscale.ipn: goSetupLogs: success\n" + line + "\n"
    document = document_of(_fence(text, fenced))
    assert "selinux-denied" not in log_kinds(document)
    assert exit_code(document) == 0


@settings(max_examples=30, deadline=None)
@given(
    st.sampled_from(
        (
            "10-05 19:35:04.229  6000  6000 W Thread-4: "
            + _android_denial("bind", "netlink_route_socket", 0, app="com.example.other"),
            'type=AVC msg=audit(1593207465.064:7608): avc:  denied  { write } for  pid=99 comm="dnsmasq" '
            'name="tailscaled.state" dev="sda1" ino=1 scontext=a tcontext=b tclass=file permissive=0',
        )
    ),
    st.sampled_from(
        (
            "2024/01/12 10:41:06 magicsock: disco key = d:1234abcd",
            "Nov 13 02:07:34 host tailscaled[11844]: logtail started",
        )
    ),
)
def test_another_apps_denial_is_not_tailscales(line: str, log_line: str) -> None:
    document = document_of(f"{log_line}\n{line}\n")
    assert "selinux-denied" not in log_kinds(document)
