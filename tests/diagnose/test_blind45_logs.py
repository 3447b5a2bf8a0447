"""Generated tests for blind batch 45's log misses (corpus 2643, 2644, 2647, 2648), asserting what a user sees in the
JSON: a register answer's error ends the machine-auth reading (login-required with the key's fix); resolv.conf
listing systemd-resolved's stub beside other servers while resolved runs is `dns-fight`; one exit-node DoH query whose
connect is aborted locally is `dns-forward-failing` with the exit node's cause; a Tailscale SSH session whose process
ends non-zero within a second of its start is `ssh-failed`. Near-misses stay what they were.
"""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.diagnose.conftest import run_json

# Stamps as tailscaled's logs carry them: Go's log, journald's syslog layout, telemetry's time.Time String.
STAMPS = [
    "2026/04/23 20:{m:02d}:{s:02d} ",
    "Apr 23 20:{m:02d}:{s:02d} host tailscaled[812]: ",
    "2026-04-23 20:{m:02d}:{s:02d}.123456789 +0000 UTC: ",
]
WRAPS = ["{t}", "```\n{t}\n```", "```log\n{t}\n```\n"]


def _log(stamp: str, messages: list[tuple[int, str]], wrap: str = "{t}") -> str:
    """Lines of ``messages`` (seconds after 20:10:00, message) under ``stamp``."""
    lines = [stamp.format(m=10 + at // 60, s=at % 60) + message for at, message in messages]
    return wrap.format(t="\n".join(lines))


def _daemon(document: dict[str, Any]) -> dict[str, Any]:
    (log,) = document["daemon_logs"]
    return dict(log)


def _kinds(document: dict[str, Any]) -> list[str]:
    return [issue["kind"] for issue in _daemon(document)["issues"]]


def _finding(document: dict[str, Any], rule: str) -> dict[str, Any]:
    (finding,) = [f for f in document["findings"] if f["rule"] == rule]
    return dict(finding)


# ------------------------------------------------------------------ 2643: the register answer's error


REGISTER_ANSWER = "control: RegisterReq: got response; nodeKeyExpired=false, machineAuthorized=false; authURL=false"
KEY_ERRORS = [
    "invalid key: API key does not exist",
    "invalid key: API key k123456CNTRL expired",
    "invalid key: unable to validate API key",
]
# the same exchange's error, as ipnlocal, the login-state warnable and the control client log it
KEY_ERROR_LINES = [
    "Received error: {e}",
    "health(warnable=login-state): error: You are logged out. The last login error was: {e}",
    "[v1] TryLogin: {e}",
]
OTHER_REFUSALS = [
    "Received error: register request: http 403: bad machine key",
    "Received error: register request: http 410: auth path not found",
    "Received error: requested tags [tag:server] are invalid or not permitted",
]


@given(
    st.sampled_from(STAMPS),
    st.sampled_from(KEY_ERRORS),
    st.lists(st.sampled_from(KEY_ERROR_LINES), min_size=1, max_size=3, unique=True),
    st.booleans(),
    st.sampled_from(WRAPS),
)
@settings(max_examples=60, deadline=None)
def test_a_refused_auth_key_in_the_register_answer_is_login_required_not_machine_auth(
    stamp: str, error: str, forms: list[str], relogin: bool, wrap: str
) -> None:
    messages = [(0, "control: RegisterReq: onode= node=[BxUQT] fup=false nks=false"), (31, REGISTER_ANSWER)]
    messages += [(31, form.format(e=error)) for form in forms]
    if relogin:
        messages.append((31, "control: doLogin(regen=false, hasUrl=false)"))
    text = _log(stamp, messages, wrap)
    document = run_json(text)
    assert _kinds(document) == ["login-required"], text
    assert document["summary"]["exit_code"] == 1
    finding = _finding(document, "TS-LOG-LOGIN-REQUIRED")
    assert "auth key" in finding["cause"], finding
    assert "new auth key" in finding["fix"] and "without --auth-key" in finding["fix"], finding


@given(st.sampled_from(STAMPS), st.sampled_from(OTHER_REFUSALS))
@settings(max_examples=20, deadline=None)
def test_any_refusal_in_the_register_answer_ends_the_machine_auth_reading(stamp: str, refusal: str) -> None:
    text = _log(stamp, [(0, REGISTER_ANSWER), (0, refusal)])
    document = run_json(text)
    assert "needs-machine-auth" not in _kinds(document), text
    assert "login-required" in _kinds(document), text
    assert document["summary"]["exit_code"] == 1


@given(
    st.sampled_from(STAMPS),
    st.sampled_from(
        [
            [],
            ["[v1] No AuthURL"],
            ['Received error: PollNetMap: Post "https://controlplane.tailscale.com/machine/map": EOF'],
            ["Switching ipn state Starting -> NeedsMachineAuth (WantRunning=true, nm=true)"],
        ]
    ),
)
@settings(max_examples=20, deadline=None)
def test_a_register_answer_without_an_error_still_waits_for_approval(stamp: str, after: list[str]) -> None:
    text = _log(stamp, [(0, REGISTER_ANSWER), *((1, line) for line in after)])
    document = run_json(text)
    assert "needs-machine-auth" in _kinds(document), text
    assert "login-required" not in _kinds(document), text
    assert "approve" in _finding(document, "TS-LOG-LOGIN-REQUIRED")["cause"]


# ------------------------------------------------------------------ 2644: resolv.conf written beside resolved

RESOLVED_ERROR = "dns: resolvedIsActuallyResolver error: resolv.conf doesn't point to systemd-resolved; points to [{s}]"
RESOLVED_RUNS = "dns: [resolved-ping=yes rc=resolved resolved=not-in-use ret=direct]"
OTHERS = ["192.168.10.10", "1.1.1.1", "10.0.0.2", "168.63.129.16", "fd00::1", "8.8.8.8"]


@st.composite
def stub_and_others(draw: st.DrawFn) -> str:
    others = draw(st.lists(st.sampled_from(OTHERS), min_size=1, max_size=3, unique=True))
    at = draw(st.integers(min_value=0, max_value=len(others)))
    return " ".join([*others[:at], "127.0.0.53", *others[at:]])


@given(st.sampled_from(STAMPS), stub_and_others(), st.sampled_from(["rc=resolved", "rc=nm"]), st.sampled_from(WRAPS))
@settings(max_examples=60, deadline=None)
def test_a_stub_beside_other_servers_while_resolved_runs_is_dns_fight(
    stamp: str, servers: str, owner: str, wrap: str
) -> None:
    messages = [
        (0, RESOLVED_ERROR.format(s=servers)),
        (0, f"dns: [resolved-ping=yes {owner} resolved=not-in-use ret=direct]"),
        (0, 'dns: using "direct" mode'),
        (0, "dns: using *dns.directManager"),
    ]
    text = _log(stamp, messages, wrap)
    document = run_json(text)
    assert [(i["kind"], i["about"]) for i in _daemon(document)["issues"]] == [("dns-fight", "resolv-conf")], text
    assert document["summary"]["exit_code"] == 1
    finding = _finding(document, "TS-LOG-DNS-FIGHT")
    assert "beside its stub 127.0.0.53" in finding["cause"] and "stub-resolv.conf" in finding["fix"], finding


@given(
    st.sampled_from(STAMPS),
    st.sampled_from(
        [
            # no stub: a plain resolv.conf under a stale header
            (RESOLVED_ERROR.format(s="1.1.1.1 8.8.8.8"), RESOLVED_RUNS),
            # no nameserver at all
            ("dns: resolvedIsActuallyResolver error: resolv.conf has no nameservers", RESOLVED_RUNS),
            # resolved not running: a container's copy of its host's file (Codespaces, Azure's 168.63.129.16)
            (RESOLVED_ERROR.format(s="127.0.0.53 168.63.129.16"), "dns: [rc=resolved resolved=not-in-use ret=direct]"),
        ]
    ),
)
@settings(max_examples=20, deadline=None)
def test_resolved_errors_that_are_not_the_fight_stay_routine(stamp: str, lines: tuple[str, str]) -> None:
    text = _log(stamp, [(0, lines[0]), (0, lines[1]), (0, 'dns: using "direct" mode')])
    document = run_json(text)
    assert _kinds(document) == [], text
    assert document["summary"]["exit_code"] == 0


@given(st.sampled_from(STAMPS), stub_and_others())
@settings(max_examples=20, deadline=None)
def test_a_later_decision_for_resolved_ends_the_fight(stamp: str, servers: str) -> None:
    messages = [
        (0, RESOLVED_ERROR.format(s=servers)),
        (0, "dns: [resolved-ping=yes rc=resolved resolved=not-in-use ret=direct]"),
        (90, 'Program starting: v1.56.1-t2d1d2f4c9, Go 1.21.5: []string{"/usr/sbin/tailscaled"}'),
        (90, "dns: [resolved-ping=yes rc=resolved resolved=file nm=no ret=systemd-resolved]"),
    ]
    text = _log(stamp, messages)
    assert "dns-fight" not in _kinds(run_json(text)), text


# ------------------------------------------------------------ 2647: the exit node's DoH, connect aborted

DOH = 'dns {proto} query: Post "http://{exit}:{port}/dns-query": dial tcp {ip}:{port}: connect: {why}'
RUSAGE = ["", "22.0M/202.9M ", "5.3M/40.1M "]


@given(
    st.sampled_from(STAMPS),
    st.sampled_from(RUSAGE),
    st.sampled_from(["udp", "tcp"]),
    st.sampled_from(["100.101.x.y", "100.101.225.3", "100.64.0.7"]),
    st.integers(min_value=1025, max_value=65535),
    st.sampled_from(["software caused connection abort", "no route to host", "network is unreachable"]),
    st.sampled_from(WRAPS),
)
@settings(max_examples=60, deadline=None)
def test_one_exit_node_doh_query_aborted_locally_is_dns_forward_failing(
    stamp: str, rusage: str, proto: str, exit_node: str, port: int, why: str, wrap: str
) -> None:
    message = DOH.format(proto=proto, exit=exit_node, port=port, ip="100.101.225.3", why=why)
    text = _log(stamp, [(0, rusage + message)], wrap)
    document = run_json(text)
    assert _kinds(document) == ["dns-forward-failing"], text
    assert document["summary"]["exit_code"] == 1
    finding = _finding(document, "TS-LOG-DNS-FORWARD-FAILING")
    assert "exit node's PeerAPI DNS" in finding["cause"] and "Android" in finding["fix"], finding


@given(
    st.sampled_from(STAMPS),
    st.sampled_from(RUSAGE),
    st.sampled_from(
        [
            # one query timing out or reset after the connect: a possible one-off (two are needed)
            'dns udp query: Post "http://100.101.225.3:50126/dns-query": dial tcp 100.101.225.3:50126: i/o timeout',
            'dns udp query: Post "http://100.101.225.3:50126/dns-query": '
            "read tcp 100.90.1.2:4711->100.101.225.3:50126: read: software caused connection abort",
            'dns udp query: Post "http://100.101.225.3:50126/dns-query": context deadline exceeded',
        ]
    ),
)
@settings(max_examples=20, deadline=None)
def test_one_doh_query_failing_otherwise_stays_a_one_off(stamp: str, rusage: str, message: str) -> None:
    text = _log(stamp, [(0, rusage + message)])
    document = run_json(text)
    assert _kinds(document) == [], text
    assert document["summary"]["exit_code"] == 0


# ------------------------------------------------------------------ 2648: an SSH session dying at once

SESSION_LINES = [
    'ssh-session({id}): handling new SSH connection from alice@github (100.100.77.230) to ssh-user "{user}"',
    'ssh-session({id}): access granted to alice@github as ssh-user "{user}"',
]
PTY = (
    "ssh-session({id}): starting pty command: [/usr/sbin/tailscaled be-child ssh --uid=1000 --gid=1000 --groups=1000 "
    "--local-user={user} --remote-user=alice@github --remote-ip=100.100.77.230 --has-tty=true --tty-name=pts/1 "
    "--shell --login-cmd=/bin/login --cmd=/bin/bash -- -l]"
)
NON_PTY = (
    "ssh-session({id}): starting non-pty command: [/usr/sbin/tailscaled be-child ssh --uid=1000 --gid=1000 "
    "--groups=1000 --local-user={user} --remote-user=alice@github --remote-ip=100.100.77.230 --has-tty=false "
    "--tty-name= --cmd=/bin/sh -- -c uptime]"
)
SESSION_IDS = st.from_regex(r"sess-20230104T0316[0-5][0-9]-[0-9a-f]{10}", fullmatch=True)


def _session(session: str, user: str, start: str, end: str, after: int) -> list[tuple[int, str]]:
    conn = "ssh-conn-20230104T031648-11f5ffdc27"
    lines = [(0, f"{conn}: handling conn: 100.100.77.230:28391->{user}@100.93.116.135:22")]
    lines.append((1, f"{conn}: starting session: {session}"))
    lines += [(1, line.format(id=session, user=user)) for line in SESSION_LINES]
    lines.append((1, start.format(id=session, user=user)))
    lines.append((1 + after, f"ssh-session({session}): {end}"))
    return lines


@given(
    st.sampled_from(STAMPS),
    SESSION_IDS,
    st.sampled_from(["app", "root", "ubuntu"]),
    st.sampled_from([PTY, NON_PTY]),
    st.sampled_from(["Wait: code=1", "Wait: code=126", "Wait: code=255", "Wait: exec: not started"]),
    st.integers(min_value=0, max_value=1),
    st.sampled_from(WRAPS),
)
@settings(max_examples=60, deadline=None)
def test_a_session_whose_process_fails_at_once_is_ssh_failed(
    stamp: str, session: str, user: str, start: str, end: str, after: int, wrap: str
) -> None:
    text = _log(stamp, _session(session, user, start, end, after), wrap)
    document = run_json(text)
    assert [(i["kind"], i["about"]) for i in _daemon(document)["issues"]] == [("ssh-failed", "exited-at-once")], text
    assert document["summary"]["exit_code"] == 1
    finding = _finding(document, "TS-LOG-SSH-FAILED")
    assert "within a second" in finding["cause"] and "root" in finding["fix"], finding


@given(
    st.sampled_from(STAMPS),
    SESSION_IDS,
    st.sampled_from([PTY, NON_PTY]),
    st.sampled_from(
        [
            ("Wait: code=1", 2),  # a shell ending with its last command's status after a while
            ("Wait: code=1", 600),
            ("Wait: code=130", 45),
            ("Wait: code=-1", 0),  # a signal: the session was ended
            ("Session complete", 0),
            ("Session complete", 300),
        ]
    ),
)
@settings(max_examples=40, deadline=None)
def test_sessions_that_ran_or_were_ended_are_routine(
    stamp: str, session: str, start: str, end: tuple[str, int]
) -> None:
    text = _log(stamp, _session(session, "app", start, *end))
    document = run_json(text)
    assert document["blocks"][0]["kind"] == "tailscaled-log", text
    assert _kinds(document) == [], text
    assert document["summary"]["exit_code"] == 0


@given(st.sampled_from(STAMPS), SESSION_IDS, SESSION_IDS)
@settings(max_examples=20, deadline=None)
def test_a_later_session_that_runs_ends_the_failure(stamp: str, first: str, second: str) -> None:
    failed = _session(first, "app", PTY, "Wait: code=1", 0)
    ran = [(at + 30, line) for at, line in _session(second, "app", PTY, "Session complete", 120)]
    text = _log(stamp, failed + ran) if first != second else _log(stamp, ran)
    assert _kinds(run_json(text)) == [], text


def test_session_lines_without_stamps_say_nothing_about_timing() -> None:
    session = "sess-20230104T031650-053ff6822d"
    text = "\n".join(line for _, line in _session(session, "app", PTY, "Wait: code=1", 0))
    document = run_json(text)
    assert "ssh-failed" not in [i["kind"] for log in document["daemon_logs"] for i in log["issues"]], text


# Linux's static tarball folder (release/dist/unixpkgs: "tailscale_<version>_<arch>"; other OSes name theirs)
@given(
    st.sampled_from(STAMPS),
    st.sampled_from(["1.34.1", "1.54.0", "1.80.2"]),
    st.sampled_from(["amd64", "arm64", "arm", "386", "mips", "riscv64"]),
    st.sampled_from(["/app/", "/opt/", "/home/pi/", "./"]),
)
@settings(max_examples=30, deadline=None)
def test_a_tailscaled_from_linux_static_tarball_reads_linux(stamp: str, version: str, arch: str, where: str) -> None:
    session = "sess-20230104T031650-053ff6822d"
    start = PTY.replace("/usr/sbin/tailscaled", f"{where}tailscale_{version}_{arch}/tailscaled")
    text = _log(
        stamp.replace(" host tailscaled[812]: ", " host app[812]: "), _session(session, "app", start, "Wait: code=1", 0)
    )
    assert _daemon(run_json(text))["os"] == "linux", text


@given(st.sampled_from(["freebsd_amd64", "darwin_arm64", "openbsd_amd64"]))
@settings(max_examples=5, deadline=None)
def test_another_os_tarball_folder_is_no_linux_clue(os_arch: str) -> None:
    session = "sess-20230104T031650-053ff6822d"
    start = PTY.replace("/usr/sbin/tailscaled", f"/opt/tailscale_1.80.2_{os_arch}/tailscaled")
    text = _log(STAMPS[0], _session(session, "app", start, "Wait: code=1", 0))
    assert _daemon(run_json(text))["os"] != "linux", text
