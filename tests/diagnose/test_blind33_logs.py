"""Generated tests for blind batch 33's log and netcheck misses, read as classes (what a user sees in the JSON).

1. The kernel's OOM killer ending tailscaled (or the CLI, or containerboot), in every form the kernel and systemd
   print, under any prefix (dmesg, syslog, journald, a platform's log column): the new issue `oom-killed` (error),
   not `crash`; systemd's verdicts on that kill are no crash; another program killed, or tailscaled only asking
   for memory, is not Tailscale's issue.
2. A binary built for another CPU run by a shell (BusyBox ash, dash, bash, zsh) or a container runtime: the shell's
   syntax errors and "exec format error" naming a Tailscale program are `exec-failed`; another program's are not.
3. A log whose only version is the node's own Hostinfo JSON (`control: HostInfo: {"IPNVersion":…}` of 2021, today's
   `[v1] HostInfo:`, LocalAPI's `user bugreport hostinfo:`): `daemon.version`.
4. A netcheck where IPv4 has no address while UDP works over IPv6: TS-NETCHECK-IPV6-ONLY (warning, exit 1); a report
   with UDP blocked, with IPv4, or a NetInfo line that names no IPv4 at all keeps its reading.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.diagnose.log_catalog import LOG_PREFIXES, document_of, exit_code, log_kinds


def _rules(document: dict[str, Any]) -> dict[str, str]:
    return {finding["rule"]: finding["severity"] for finding in document["findings"]}


# --------------------------------------------------------------------------------- 1. the OOM killer

# what stands before a kernel message: nothing, dmesg's stamp, dmesg -T, a syslog/journald kernel line, a
# console's log level, a platform's log column (Fly.io's "app[…] region [info]")
_KERNEL_PREFIXES = (
    "{msg}",
    "[ {sec:>5}.{usec:06d}] {msg}",
    "[{sec}.{usec:06d}] {msg}",
    "<3>[ {sec:>5}.{usec:06d}] {msg}",
    "[Sat Jun 17 10:{min:02d}:01 2023] {msg}",
    "Jun 17 10:{min:02d}:01 exit-node kernel: [ {sec:>5}.{usec:06d}] {msg}",
    "Jun 17 10:{min:02d}:01 exit-node kernel: {msg}",
    "2023-06-17T10:{min:02d}:01.123456+00:00 exit-node kernel: {msg}",
    "2023-06-17T10:{min:02d}:01Z app[3d8d9937c43e89] iad [info][ {sec:>5}.{usec:06d}] {msg}",
    "kern.err: {msg}",
)
_OWN_TASKS = ("tailscaled", "tailscale", "containerboot")
_OTHER_TASKS = ("java", "node", "postgres", "chrome", "tailwindcss", "dockerd", "python3")
_KILL_FORMS = (
    # mm/oom_kill.c __oom_kill_process (4.x-6.x); the memcg and allocating-task variants of its message
    "Out of memory: Killed process {pid} ({task}) total-vm:{vm}kB, anon-rss:{rss}kB, file-rss:0kB, shmem-rss:0kB, "
    "UID:0 pgtables:{pt}kB oom_score_adj:0",
    "Memory cgroup out of memory: Killed process {pid} ({task}) total-vm:{vm}kB, anon-rss:{rss}kB, file-rss:0kB, "
    "shmem-rss:0kB, UID:0 pgtables:{pt}kB oom_score_adj:0",
    "Out of memory (oom_kill_allocating_task): Killed process {pid} ({task}) total-vm:{vm}kB, anon-rss:{rss}kB, "
    "file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:{pt}kB oom_score_adj:0",
    # before 4.x: the choice, then the kill on its own line
    "Out of memory: Kill process {pid} ({task}) score {score} or sacrifice child",
    "Killed process {pid} ({task}) total-vm:{vm}kB, anon-rss:{rss}kB, file-rss:0kB",
    "Memory cgroup out of memory: Kill process {pid} ({task}) score {score} or sacrifice child",
    # the reaper and the one-line summary (4.19+)
    "oom_reaper: reaped process {pid} ({task}), now anon-rss:0kB, file-rss:0kB, shmem-rss:0kB",
    "oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=/,mems_allowed=0,global_oom,"
    "task_memcg=/system.slice/tailscaled.service,task={task},pid={pid},uid=0",
    "oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=docker-3d8d9937c43e.scope,mems_allowed=0,"
    "oom_memcg=/system.slice/docker-3d8d9937c43e.scope,task_memcg=/system.slice/docker-3d8d9937c43e.scope,"
    "task={task},pid={pid},uid=0",
)


def _kernel_line(prefix: str, form: str, task: str, pid: int, rss: int, sec: int) -> str:
    message = form.format(pid=pid, task=task, vm=rss * 5, rss=rss, pt=rss // 300 + 1, score=rss % 1000)
    return prefix.format(msg=message, sec=sec, usec=(sec * 7919) % 1_000_000, min=sec % 60)


@settings(max_examples=120, deadline=None)
@given(
    prefix=st.sampled_from(_KERNEL_PREFIXES),
    form=st.sampled_from(_KILL_FORMS),
    task=st.sampled_from(_OWN_TASKS),
    pid=st.integers(min_value=2, max_value=4_194_304),
    rss=st.integers(min_value=1_000, max_value=4_000_000),
    sec=st.integers(min_value=1, max_value=9_999_999),
    fenced=st.booleans(),
)
def test_the_kernel_killing_a_tailscale_program_is_oom_killed_under_any_prefix(
    prefix: str, form: str, task: str, pid: int, rss: int, sec: int, fenced: bool
) -> None:
    line = _kernel_line(prefix, form, task, pid, rss, sec)
    document = document_of(f"```\n{line}\n\n```\n" if fenced else line + "\n")
    assert log_kinds(document) == {"oom-killed"}, line
    assert _rules(document).get("TS-LOG-OOM-KILLED") == "error"
    assert exit_code(document) == 1
    limit = "Memory cgroup" in form or "CONSTRAINT_MEMCG" in form
    finding = next(f for f in document["findings"] if f["rule"] == "TS-LOG-OOM-KILLED")
    assert ("memory limit was reached" in finding["cause"]) is limit
    assert "memory" in finding["fix"].lower()


@settings(max_examples=60, deadline=None)
@given(
    prefix=st.sampled_from(_KERNEL_PREFIXES),
    form=st.sampled_from(_KILL_FORMS),
    task=st.sampled_from(_OTHER_TASKS),
    pid=st.integers(min_value=2, max_value=4_194_304),
    sec=st.integers(min_value=1, max_value=9_999_999),
)
def test_another_program_killed_is_no_tailscale_issue(prefix: str, form: str, task: str, pid: int, sec: int) -> None:
    line = _kernel_line(prefix, form, task, pid, 200_000, sec)
    # alone, and under a healthy tailscaled log (the victim is not tailscaled: nothing of Tailscale's failed)
    assert "oom-killed" not in log_kinds(document_of(line + "\n"))
    log = (
        "Jun 17 10:00:00 exit-node tailscaled[526]: magicsock: derp-1 connected; connGen=1\n"
        f"{line}\n"
        "Jun 17 10:00:02 exit-node tailscaled[526]: Switching ipn state Starting -> Running "
        "(WantRunning=true, nm=true)\n"
    )
    document = document_of(log)
    assert "oom-killed" not in log_kinds(document) and "crash" not in log_kinds(document)
    assert exit_code(document) == 0


@pytest.mark.parametrize(
    "line",
    [
        # tailscaled only asked for memory: the victim is named on another line
        "[ 3712.4] tailscaled invoked oom-killer: gfp_mask=0x100cca(GFP_HIGHUSER_MOVABLE), order=0, oom_score_adj=0",
        "Jun 17 10:00:01 exit-node kernel: tailscaled invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0",
        # the kernel's task table lists it, nothing was killed yet
        "[ 3712.5] [    526]     0   526   233035    46330   622592        0             0 tailscaled",
        # systemd stopping the unit the ordinary way
        "Jun 17 10:00:01 host systemd[1]: tailscaled.service: Killing process 526 (tailscaled) with signal SIGKILL.",
        # prose
        "Could the OOM killer have killed process 526 (tailscaled)? I see oom-kill in dmesg sometimes.",
    ],
)
def test_lines_that_are_not_a_kill_of_tailscaled_raise_no_oom(line: str) -> None:
    assert "oom-killed" not in log_kinds(document_of(line + "\n"))


_UNIT_PREFIXES = (
    "Jun 17 10:00:{s:02d} exit-node systemd[1]: {msg}",
    "{msg}",
    "2023-06-17T10:00:{s:02d}+0000 host systemd[1]: {msg}",
)
_SYSTEMD_OOM = (
    "{unit}: A process of this unit has been killed by the OOM killer.",
    "{unit}: systemd-oomd killed 3 process(es) in this unit.",
    "{unit}: Failed with result 'oom-kill'.",
)


@settings(max_examples=60, deadline=None)
@given(
    prefix=st.sampled_from(_UNIT_PREFIXES),
    unit=st.sampled_from(("tailscaled.service", "tailscale-relay.service", "tailscaled@wg0.service")),
    first=st.sampled_from(_SYSTEMD_OOM),
    with_verdicts=st.booleans(),
)
def test_systemd_seeing_the_oom_killer_in_tailscaleds_unit_is_oom_killed_not_a_crash(
    prefix: str, unit: str, first: str, with_verdicts: bool
) -> None:
    messages = [first.format(unit=unit)]
    if with_verdicts:
        messages += [
            f"{unit}: Main process exited, code=killed, status=9/KILL",
            f"{unit}: Failed with result 'oom-kill'.",
            f"{unit}: Consumed 1min 2.345s CPU time.",
        ]
    text = "\n".join(prefix.format(msg=m, s=n) for n, m in enumerate(messages)) + "\n"
    document = document_of(text)
    assert "oom-killed" in log_kinds(document), text
    assert "crash" not in log_kinds(document)  # systemd's verdict on the kill, not a crash of tailscaled's own
    assert exit_code(document) == 1


@pytest.mark.parametrize("unit", ["mysqld.service", "docker-3d8d9937c43e.scope", "user@1000.service"])
def test_systemd_seeing_the_oom_killer_in_another_unit_is_not_ours(unit: str) -> None:
    text = (
        f"Jun 17 10:00:01 host systemd[1]: {unit}: A process of this unit has been killed by the OOM killer.\n"
        f"Jun 17 10:00:01 host systemd[1]: {unit}: Failed with result 'oom-kill'.\n"
    )
    assert "oom-killed" not in log_kinds(document_of(text))


@pytest.mark.parametrize("indent", ["     ", ""])
def test_a_unit_status_whose_result_is_oom_kill_is_oom_killed(indent: str) -> None:
    lines = [
        "\u25cf tailscaled.service - Tailscale node agent",
        f"{indent}Loaded: loaded (/lib/systemd/system/tailscaled.service; enabled; vendor preset: enabled)",
        f"{indent}Active: failed (Result: oom-kill) since Sat 2023-06-17 10:00:01 UTC; 3min ago",
        f"{indent}Process: 526 ExecStart=/usr/sbin/tailscaled --state=/var/lib/tailscale/tailscaled.state "
        "(code=killed, signal=KILL)",
        f"{indent}Main PID: 526 (code=killed, signal=KILL)",
    ]
    document = document_of("\n".join(lines) + "\n")
    assert log_kinds(document) == {"oom-killed"}
    assert exit_code(document) == 1


def test_an_oom_kill_before_a_restart_that_gets_further_is_history() -> None:
    prefix = "Jun 17 10:00:{s:02d} exit-node tailscaled[{pid}]: {msg}"
    text = "\n".join(
        [
            "Jun 17 10:00:00 exit-node kernel: Out of memory: Killed process 526 (tailscaled) total-vm:932140kB",
            prefix.format(s=5, pid=900, msg='Program starting: v1.44.0-t1a2b3c4d5, Go 1.20.5: []string{"tailscaled"}'),
            prefix.format(s=6, pid=900, msg="Switching ipn state NoState -> Running (WantRunning=true, nm=true)"),
        ]
    )
    assert "oom-killed" not in log_kinds(document_of(text + "\n"))


# ------------------------------------------------------------------ 2. a binary for another CPU run by a shell

_PROGRAM_PATHS = (
    "/usr/local/packages/Tailscale_VPN/lib/tailscaled",
    "/usr/local/packages/Tailscale_VPN/lib/tailscale",
    "./tailscaled",
    "/usr/sbin/tailscaled",
    "/opt/tailscale_1.50.1_arm/tailscale",
    "tailscaled",
)
_SHELL_ERRORS = (
    '{path}: line 1: syntax error: unexpected word (expecting ")")',  # BusyBox ash
    '{path}: line 1: syntax error: unexpected "("',
    "{path}: line 1: syntax error: unterminated quoted string",
    '{path}: 1: Syntax error: "(" unexpected',  # dash
    '{path}: 2: Syntax error: word unexpected (expecting ")")',
    "{path}: line 1: syntax error near unexpected token `('",  # bash
    "{path}: line 1: ELF: not found",  # the ELF magic run as a command
    "{path}: 1: \x7fELF\x02\x01\x01: not found",
    "{path}: 1: {path}: \ufffdELF\ufffd: not found",
    "-sh: {path}: cannot execute binary file: Exec format error",
    "bash: {path}: cannot execute binary file: Exec format error",
    "zsh: exec format error: {path}",
)
# what the shell's output is logged under: nothing, an Axis camera's syslog with the app's tag, journald, a container
_SHELL_PREFIXES = (
    "{msg}",
    "2023-10-20T12:11:45.276-06:00 axis-b8a44f5f42e2 [ INFO    ] Tailscale_VPN[2170]: {msg}",
    "Oct 20 12:11:45 router tailscale[2170]: {msg}",
    "Oct 20 12:11:45 router sh[2170]: {msg}",
    "tailscale-1  | {msg}",
)


@settings(max_examples=100, deadline=None)
@given(
    prefix=st.sampled_from(_SHELL_PREFIXES),
    error=st.sampled_from(_SHELL_ERRORS),
    path=st.sampled_from(_PROGRAM_PATHS),
    with_app_lines=st.booleans(),
)
def test_a_shell_reading_a_tailscale_binary_as_a_script_is_exec_failed(
    prefix: str, error: str, path: str, with_app_lines: bool
) -> None:
    lines = [prefix.format(msg=error.format(path=path))]
    if with_app_lines:
        head = "2023-10-20T12:11:45.218-06:00 axis-b8a44f5f42e2 [ INFO    ] Tailscale_VPN[2166]: "
        lines = [head + "Starting Service", head + "Service Started", *lines]
    document = document_of("\n".join(lines) + "\n")
    assert log_kinds(document) == {"exec-failed"}, lines
    assert exit_code(document) == 1


@pytest.mark.parametrize(
    "line",
    [
        "exec /usr/local/bin/containerboot: exec format error",
        "2023-01-05T10:00:00.000Z tailscale-1  | exec /usr/local/bin/containerboot: exec format error",
        'Error: failed to start containerd task "tailscale": exec /usr/local/bin/containerboot: exec format error',
    ],
)
def test_a_runtime_that_cannot_exec_tailscales_entrypoint_is_exec_failed(line: str) -> None:
    assert log_kinds(document_of(line + "\n")) == {"exec-failed"}


@pytest.mark.parametrize("error", _SHELL_ERRORS)
@pytest.mark.parametrize("path", ["/usr/local/bin/myapp", "./install.sh", "/opt/scale/bin/daemon"])
def test_another_programs_shell_errors_are_not_ours(error: str, path: str) -> None:
    assert "exec-failed" not in log_kinds(document_of(error.format(path=path) + "\n"))


# ---------------------------------------------------------------- 3. the version from the node's Hostinfo JSON

_HOSTINFO_HEADS = ("control: HostInfo: ", "control: [v1] HostInfo: ", "[v1] HostInfo: ", "HostInfo: ",
                   "user bugreport hostinfo: ")  # fmt: skip
_VERSIONS = st.tuples(st.integers(0, 1), st.integers(0, 120), st.integers(0, 30)).map(lambda t: "{}.{}.{}".format(*t))


@settings(max_examples=80, deadline=None)
@given(
    prefix=st.sampled_from(LOG_PREFIXES),
    head=st.sampled_from(_HOSTINFO_HEADS),
    version=_VERSIONS,
    suffix=st.sampled_from(("", "-t5cff36945-g809e87bba", "-dev20240101")),
)
def test_the_nodes_own_hostinfo_names_the_version_when_no_start_line_does(
    prefix: str, head: str, version: str, suffix: str
) -> None:
    hostinfo = json.dumps(
        {"IPNVersion": version + suffix, "OS": "linux", "Hostname": "homeassistant", "GoArch": "arm64"},
        separators=(",", ":"),
    )
    messages = [
        "control: client.Login(false, 0)",
        "control: doLogin(regen=false, hasUrl=false)",
        head + hostinfo,
        "control: RegisterReq: got response; nodeKeyExpired=false, machineAuthorized=true; authURL=false",
    ]
    document = document_of("\n".join(prefix.format(msg=m) for m in messages) + "\n")
    # lead (session 15): a development build keeps its -devYYYYMMDD; the commit hashes are dropped
    expected = version + suffix if suffix.startswith("-dev") else version
    assert [log["version"] for log in document["daemon_logs"]] == [expected]
    assert exit_code(document) == 0


def test_a_start_line_names_the_version_before_the_hostinfo() -> None:
    text = (
        '2021/09/22 15:28:13 Program starting: v1.14.3-t1a2b3c4d5, Go 1.17.1: []string{"tailscaled"}\n'
        '2021/09/22 15:28:15 control: HostInfo: {"IPNVersion":"1.14.0-t5cff36945","OS":"linux"}\n'
    )
    assert [log["version"] for log in document_of(text)["daemon_logs"]] == ["1.14.3"]


# ------------------------------------------------------------------------------- 4. an IPv6-only netcheck

_REGIONS = (("nyc", "New York City"), ("dfw", "Dallas"), ("sin", "Singapore"), ("syd", "Sydney"), ("fra", "Frankfurt"))


def _netcheck(
    udp: str, ipv4: str, ipv6: str, latencies: list[float | None], *, indent: str, timed: bool, portmap: str
) -> str:
    rows = []
    for (code, name), ms in zip(_REGIONS, latencies, strict=False):
        cell = f"{ms}ms" if ms is not None else ""
        rows.append(f"{indent}{indent}- {code}: {cell:<7} ({name})")
    home = next((name for (_, name), ms in zip(_REGIONS, latencies, strict=False) if ms is not None), None)
    lines = [
        "",
        "Report:",
        *([f"{indent}* Time: 2026-09-01 15:45:04.195906728+00:00"] if timed else []),
        f"{indent}* UDP: {udp}",
        f"{indent}* IPv4: {ipv4}",
        f"{indent}* IPv6: {ipv6}",
        f"{indent}* MappingVariesByDestIP: ",
        f"{indent}* HairPinning: ",
        f"{indent}* PortMapping: {portmap}",
        f"{indent}* Nearest DERP: {home or 'unknown (no response to latency probes)'}",
        f"{indent}* DERP latency:",
        *rows,
    ]
    return "\n".join(lines) + "\n"


_LATENCIES = st.lists(
    st.one_of(st.none(), st.floats(min_value=1, max_value=400).map(lambda f: round(f, 1))), min_size=2, max_size=5
)
_V6_ENDPOINTS = ("[<redacted>]:49427", "[2001:19f0:5:1234::1]:41641", "[2a01:4f8:c0c:1::1]:3478")


@settings(max_examples=80, deadline=None)
@given(
    latencies=_LATENCIES.filter(lambda ms: any(m is not None for m in ms)),
    endpoint=st.sampled_from(_V6_ENDPOINTS),
    indent=st.sampled_from(("\t", "    ", "  ")),
    timed=st.booleans(),
    portmap=st.sampled_from(("not checked", "")),
    prompt=st.booleans(),
)
def test_a_netcheck_with_no_ipv4_and_udp_over_ipv6_is_an_ipv6_only_host(
    latencies: list[float | None], endpoint: str, indent: str, timed: bool, portmap: str, prompt: bool
) -> None:
    text = ("~# tailscale netcheck\n" if prompt else "") + _netcheck(
        "true", "(no addr found)", f"yes, {endpoint}", latencies, indent=indent, timed=timed, portmap=portmap
    )
    document = document_of(text)
    assert _rules(document).get("TS-NETCHECK-IPV6-ONLY") == "warning", text
    assert exit_code(document) == 1
    (node,) = document["nodes"]
    assert node["udp"] is True and node["ipv4"]["scope"] == "none" and node["ipv4"]["works"] is False
    assert node["ipv6"]["state"] == "global" and node["ipv6"]["global"] is True


@pytest.mark.parametrize(
    ("udp", "ipv4", "ipv6"),
    [
        ("false", "(no addr found)", "yes, [2001:db8::1]:41641"),  # UDP blocked: its own finding, not this one
        ("false", "(no addr found)", "no"),
        ("true", "yes, 198.51.100.20:40001", "yes, [2001:db8::1]:41641"),  # dual stack
        ("true", "yes, <redacted>", "yes, [<redacted>]:41641"),
        ("true", "(no addr found)", "no, but OS has support"),  # nothing answered over IPv6 either
        ("true", "(no addr found)", "(no addr found)"),
    ],
)
def test_netchecks_that_are_not_ipv6_only_keep_their_reading(udp: str, ipv4: str, ipv6: str) -> None:
    text = _netcheck(udp, ipv4, ipv6, [19.6, None, 61.0], indent="\t", timed=True, portmap="")
    assert "TS-NETCHECK-IPV6-ONLY" not in _rules(document_of(text))


def test_a_logged_out_old_netcheck_keeps_its_reading() -> None:
    text = _netcheck("false", "(no addr found)", "no", [None, None], indent="\t", timed=False, portmap="")
    rules = _rules(document_of(text))
    assert "TS-NETCHECK-IPV6-ONLY" not in rules and "TS-NETCHECK-LOGGED-OUT-OLD" in rules


@pytest.mark.parametrize("udp_blocked", [False, True])
def test_the_json_and_log_forms_read_the_same(udp_blocked: bool) -> None:
    document = {
        "UDP": not udp_blocked,
        "IPv4": False,
        "GlobalV4": "",
        "IPv6": not udp_blocked,
        "GlobalV6": "" if udp_blocked else "[2001:db8::1]:41641",
        "OSHasIPv6": True,
        "PreferredDERP": 1,
        "RegionLatency": {"1": 19_600_000, "2": 21_800_000},
    }
    log = (
        "2026/09/01 15:45:04 netcheck: [v1] report: udp={udp} v4=false icmpv4=false v6={udp} v6os=true "
        "mapvarydest= hair= portmap= v6a=[2001:db8::1]:41641 derp=1 derpdist=1v6:20ms,2v6:22ms"
    ).format(udp="false" if udp_blocked else "true")
    for text in (json.dumps(document, indent=2) + "\n", log + "\n"):
        rules = _rules(document_of(text))
        assert ("TS-NETCHECK-IPV6-ONLY" in rules) is not udp_blocked, text


def test_a_netinfo_line_that_names_no_ipv4_is_not_ipv6_only() -> None:
    line = (
        'control: NetInfo: NetInfo{varies=false hairpin=true ipv6=true udp=true icmpv4=false derp=#14 portmap= link=""}'
    )
    assert "TS-NETCHECK-IPV6-ONLY" not in _rules(document_of(f"Oct 28 10:11:18 hub tailscaled[16827]: {line}\n"))
