"""Generated tests for blind batch 34's misses, read as classes (what a user sees in the JSON).

1. A shell or container runtime that cannot open or execute Tailscale's entrypoint (BusyBox ash's "can't open
   '/tailscale/run.sh'", dash's "cannot open …: No such file", bash's "…: No such file or directory", runc's
   'exec: "…": stat …: no such file or directory', "exec /usr/local/bin/containerboot: no such file or directory"):
   `exec-failed`, not a crash; the image's old /tailscale/run.sh is named as the script 1.33.138 replaced with
   containerboot. Another program's path, a state file, a `docker exec` into a running container: not ours.
2. go-iptables failing to read iptables' version while tailscaled creates its router ("could not get iptables
   version: exit status 1", its older and sibling wordings) under every engine wrapper: `firewall-failed` and the
   `crash` it causes; the firewall-mode detection's own probe stays harmless.
3. tailcfg.NetInfo as JSON in a log line (Coder's "netinfo callback {"netinfo": {…}}", a Hostinfo dump, the bare
   object, a line cut short): the node's NAT profile, as tailscaled's NetInfo{…} line gives it.
4. A development build's "Program starting: v1.100.0-dev20260616-t97792dab2": daemon.version keeps -devYYYYMMDD and
   drops the commit hashes; a release's or a bare "-dev" build's version is as before.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from opskit.errors import InputError
from tests.diagnose.conftest import run_json
from tests.diagnose.log_catalog import LOG_PREFIXES


def _document(text: str) -> dict[str, Any]:
    try:
        return run_json(text)
    except InputError:
        return {"summary": {"exit_code": 2}, "daemon_logs": [], "findings": [], "nodes": [], "blocks": []}


def _kinds(document: dict[str, Any]) -> set[str]:
    return {issue["kind"] for log in document["daemon_logs"] for issue in log["issues"]}


def _finding(document: dict[str, Any], rule: str) -> dict[str, Any] | None:
    return next((finding for finding in document["findings"] if finding["rule"] == rule), None)


def _exit(document: dict[str, Any]) -> int:
    code: int = document["summary"]["exit_code"]
    return code


# ------------------------------------------------------------------ 1. the entrypoint a shell cannot open

_ENTRYPOINTS = (
    "/tailscale/run.sh",
    "/opt/tailscale/run.sh",
    "/tailscale-k8s/scripts/run.sh",
    "/usr/local/bin/containerboot",
    "/usr/sbin/tailscaled",
    "/usr/bin/tailscale",
    "./tailscaled",
    "/data/tailscale_1.56.1_arm64/tailscaled",
)
_OTHER_PATHS = (
    "/app/run.sh",
    "/docker-entrypoint.sh",
    "/usr/local/bin/myapp",
    "/opt/scale/run.sh",
    "/var/lib/tailscale/tailscaled.state",
    "/var/lib/tailscale/tailscaled.log.conf",
    "/tailscale/config.json",
)
_OPEN_FAILURES = (
    "ash: can't open '{path}': No such file or directory",  # BusyBox ash (the image's /bin/sh)
    "/bin/sh: can't open '{path}': No such file or directory",
    "sh: can't open '{path}': Permission denied",
    "sh: 0: cannot open {path}: No such file",  # dash
    "/bin/sh: 0: cannot open {path}: No such file",
    "zsh: can't open input file: {path}",
    "bash: {path}: No such file or directory",
    "/bin/bash: line 1: {path}: Permission denied",
    "sh: 1: {path}: Permission denied",
    # runc / containerd / docker starting the container
    'exec: "{path}": stat {path}: no such file or directory',
    "docker: Error response from daemon: OCI runtime create failed: container_linux.go:380: starting container "
    'process caused: exec: "{path}": stat {path}: no such file or directory: unknown.',
    "Error: failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create "
    'failed: unable to start container process: exec: "{path}": permission denied: unknown',
    "exec {path}: no such file or directory",
    "exec {path}: permission denied",
)
# a container log's stamp (docker logs -t, kubectl --timestamps), compose's column, journald, a TrueNAS app log
_CONTAINER_PREFIXES = (
    "{msg}",
    "2022-11-05T08:52:47.624195997Z {msg}",
    "tailscale-1  | {msg}",
    "tailscale-1  | 2022-11-05T08:52:47.624195997Z {msg}",
    "Nov 05 08:52:47 nas sh[2170]: {msg}",
    "Nov 05 08:52:47 nas tailscale[2170]: {msg}",
)


@settings(max_examples=150, deadline=None)
@given(
    prefix=st.sampled_from(_CONTAINER_PREFIXES),
    failure=st.sampled_from(_OPEN_FAILURES),
    path=st.sampled_from(_ENTRYPOINTS),
    repeated=st.integers(1, 3),
)
def test_a_shell_or_runtime_that_cannot_open_tailscales_entrypoint_is_exec_failed(
    prefix: str, failure: str, path: str, repeated: int
) -> None:
    line = prefix.format(msg=failure.format(path=path))
    document = _document((line + "\n") * repeated)
    assert _kinds(document) == {"exec-failed"}, line
    assert _exit(document) == 1
    finding = _finding(document, "TS-LOG-EXEC-FAILED")
    assert finding is not None and finding["severity"] == "error"
    # the image's old entrypoint script is named as what 1.33.138 replaced
    assert ("1.33.138" in finding["cause"]) == path.endswith("run.sh"), finding["cause"]
    if path.endswith("run.sh"):
        assert path in finding["cause"] and "containerboot" in finding["fix"]


def test_the_truecharts_app_log_reads_the_missing_run_sh() -> None:
    document = _document(
        "```Shell\n2022-11-05T08:52:47.624195997Z ash: can't open '/tailscale/run.sh': No such file or directory\n```\n"
    )
    assert _kinds(document) == {"exec-failed"}
    finding = _finding(document, "TS-LOG-EXEC-FAILED")
    assert finding is not None and "/tailscale/run.sh" in finding["cause"] and "1.33.138" in finding["cause"]


@settings(max_examples=100, deadline=None)
@given(
    prefix=st.sampled_from(_CONTAINER_PREFIXES),
    failure=st.sampled_from(_OPEN_FAILURES),
    path=st.sampled_from(_OTHER_PATHS),
)
def test_another_programs_or_files_path_is_not_ours(prefix: str, failure: str, path: str) -> None:
    document = _document(prefix.format(msg=failure.format(path=path)) + "\n")
    assert "exec-failed" not in _kinds(document)


@pytest.mark.parametrize(
    "text",
    [
        # `docker exec` into a running container: the CLI missing there, not the container's start
        'OCI runtime exec failed: exec failed: unable to start container process: exec: "/usr/bin/tailscale": '
        "stat /usr/bin/tailscale: no such file or directory: unknown",
        # prose and tailscaled's own lines about files under its state directory
        "I think the chart can't open the script, maybe the tailscale image changed?",
        "The run.sh script in the tailscale repo cannot open the state file.",
        "2024/01/12 10:41:06 logpolicy.Read /var/lib/tailscale/tailscaled.log.conf: open "
        "/var/lib/tailscale/tailscaled.log.conf: no such file or directory",
        '2024/01/12 10:41:06 exec: "iptables": executable file not found in $PATH, continuing anyway',
    ],
)
def test_near_misses_raise_no_exec_failure(text: str) -> None:
    assert "exec-failed" not in _kinds(_document(text + "\n"))


def test_a_tailscaled_log_after_the_failure_keeps_its_own_reading() -> None:
    # the runtime's failure, then a later start that runs: the log still reads the exec failure, and no crash
    lines = [
        "2022-11-05T08:52:47.624195997Z ash: can't open '/tailscale/run.sh': No such file or directory",
        "2022-11-05T08:53:47.624195997Z boot: 2022/11/05 08:53:47 Starting tailscaled",
    ]
    document = _document("\n".join(lines) + "\n")
    assert "crash" not in _kinds(document)


# --------------------------------------------------------------------- 2. iptables' version unreadable

_IPTABLES_ERRORS = (
    "could not get iptables version: exit status {status}",  # go-iptables v0.6+ (Tailscale v1.16-)
    "could not get iptables version: fork/exec /usr/sbin/iptables: permission denied",
    "could not get iptables version: signal: segmentation fault",
    "error checking iptables version: exit status {status}",  # go-iptables v0.4.5 (Tailscale v1.0-v1.14)
    "failed to extract iptables version from [iptables: Failed to initialize nft: Protocol not supported]: "
    "no iptables version found in string: iptables: Failed to initialize nft: Protocol not supported",
    "no iptables version found in string: ",
)
_ENGINE_WRAPPERS = (
    'wgengine.NewUserspaceEngine(tun "{tun}") error: {err}',
    'wgengine.NewUserspaceEngine(tun "{tun}") error: creating router: {err}',
    "wgengine.New: {err}",
    "getLocalBackend error: createEngine: creating router: {err}",
)


@settings(max_examples=120, deadline=None)
@given(
    prefix=st.sampled_from(LOG_PREFIXES),
    error=st.sampled_from(_IPTABLES_ERRORS),
    status=st.sampled_from((1, 2, 3, 111, 127)),
    tun=st.sampled_from(("tailscale0", "ts0", "tailscale1")),
    wrapper=st.sampled_from(_ENGINE_WRAPPERS),
)
def test_iptables_whose_version_cannot_be_read_is_a_firewall_failure_that_ends_the_engine(
    prefix: str, error: str, status: int, tun: str, wrapper: str
) -> None:
    err = error.format(status=status)
    messages = [
        'logpolicy: using system state directory "/var/lib/tailscale"',
        f'wgengine.NewUserspaceEngine(tun "{tun}") ...',
        wrapper.format(tun=tun, err=err),
        f"wgengine.New: {err}",
        "flushing log.",
        "logger closing down",
    ]
    document = _document("\n".join(prefix.format(msg=m) for m in messages) + "\n")
    kinds = _kinds(document)
    assert {"firewall-failed", "crash"} <= kinds, kinds
    assert "tun-unavailable" not in kinds
    assert _exit(document) == 1
    assert _finding(document, "TS-LOG-FIREWALL-FAILED") is not None


@pytest.mark.parametrize(
    "message",
    [
        # util/linuxfw's firewall-mode detection probing iptables: it carries on with the other tool
        "router: detect iptables rule: could not get iptables version: exit status 1",
        "detect iptables rule: error checking iptables version: exit status 1",
        "router: iptables not found: could not get iptables version: exit status 1; falling back to nftables",
        # iptables' own banner and prose
        "iptables v1.8.7 (legacy)",
        "it said it could not get iptables version so I reinstalled iptables",
    ],
)
def test_the_version_probe_that_tailscaled_carries_on_after_is_no_firewall_failure(message: str) -> None:
    messages = ["logtail started", message, "router: using iptables"]
    document = _document("\n".join(f"2024/01/12 10:41:06 {m}" for m in messages) + "\n")
    assert "firewall-failed" not in _kinds(document)


# ---------------------------------------------------------------------------- 3. NetInfo as JSON

_OPT = st.sampled_from((True, False, None))
_REGIONS = st.dictionaries(
    st.tuples(st.integers(1, 30), st.sampled_from(("v4", "v6"))).map(lambda t: f"{t[0]}-{t[1]}"),
    st.floats(0.001, 0.4),
    min_size=0,
    max_size=12,
)


def _opt_value(value: bool | None, old_strings: bool) -> object:
    if old_strings:  # opt.Bool before it marshalled itself: a string, "" for unknown
        return {True: "true", False: "false", None: ""}[value]
    return value


def _netinfo(
    fields: dict[str, bool | None], preferred: int, latency: dict[str, float], old: bool, omit: bool
) -> dict[str, object]:
    info: dict[str, object] = {}
    for key in ("MappingVariesByDestIP", "HairPinning", "WorkingIPv6", "OSHasIPv6", "WorkingUDP", "WorkingICMPv4"):
        if not (omit and fields[key] is None and key != "WorkingUDP"):
            info[key] = _opt_value(fields[key], old)
    for key in ("UPnP", "PMP", "PCP"):
        if not (omit and fields[key] is None):
            info[key] = _opt_value(fields[key], old)
    if preferred or not omit:
        info["PreferredDERP"] = preferred
    if latency or not omit:
        info["DERPLatency"] = latency
    return info


_WRAPPERS = (
    # Coder's slog (tab-separated) and its console form
    "2023-01-13 08:26:56.288 [DEBUG]\t(tailnet)\t<./tailnet/conn.go:229>\tNewConn.func4\tnetinfo callback\t"
    '{{"netinfo": '
    "{json}}}",
    "2023-01-13 08:26:56.288 [debu]  tailnet: netinfo callback  netinfo={json}",
    '2023-01-13 08:26:56.288 [DEBUG] netinfo callback {{"netinfo": {json}}}',
    # a Hostinfo dump that carries it, and the object alone after a logger's words
    '2024/01/12 10:41:06 [v1] HostInfo: {{"IPNVersion":"1.56.1","OS":"linux","NetInfo":{json}}}',
    "2024/01/12 10:41:06 netinfo: {json}",
    "{json}",
)


@settings(max_examples=150, deadline=None)
@given(
    values=st.fixed_dictionaries(
        {
            key: _OPT
            for key in (
                "MappingVariesByDestIP",
                "HairPinning",
                "WorkingIPv6",
                "OSHasIPv6",
                "WorkingUDP",
                "WorkingICMPv4",
                "UPnP",
                "PMP",
                "PCP",
            )
        }  # fmt: skip
    ),
    preferred=st.integers(0, 30),
    latency=_REGIONS,
    old=st.booleans(),
    omit=st.booleans(),
    compact=st.booleans(),
    wrapper=st.sampled_from(_WRAPPERS),
    endpoint_line=st.booleans(),
)
def test_netinfo_json_in_a_log_line_is_the_nodes_nat_profile(
    values: dict[str, bool | None],
    preferred: int,
    latency: dict[str, float],
    old: bool,
    omit: bool,
    compact: bool,
    wrapper: str,
    endpoint_line: bool,
) -> None:
    values = {**values, "WorkingUDP": values["WorkingUDP"] if values["WorkingUDP"] is not None else False}
    info = _netinfo(values, preferred, latency, old, omit)
    text = json.dumps(info, separators=(",", ":") if compact else (", ", ": "))
    lines = [wrapper.format(json=text)]
    if endpoint_line and not wrapper.startswith("{"):  # (a bare object under a log line is that line's rest)
        lines.insert(0, "2023-01-13 08:26:56.289 magicsock: endpoints changed: 10.42.0.235:39196 (local)")
    document = _document("\n".join(lines) + "\n")
    node = document["nodes"][-1]
    assert node["udp"] is values["WorkingUDP"]
    if values["WorkingIPv6"]:
        assert node["ipv6"]["state"] == "global"
    elif values["OSHasIPv6"] is not None:
        assert node["ipv6"]["state"] == ("os-only" if values["OSHasIPv6"] else "none")
    flags = [name for key, name in (("UPnP", "UPnP"), ("PMP", "NAT-PMP"), ("PCP", "PCP")) if values[key]]
    assert node["port_mapping"]["protocols"] == flags
    if flags:
        assert node["port_mapping"]["state"] == "found"
    elif all(values[key] is False for key in ("UPnP", "PMP", "PCP")):
        assert node["port_mapping"]["state"] == "none-found"
    assert node["derp_home"] == (f"#{preferred}" if preferred else None)
    best: dict[int, float] = {}
    for key, seconds in latency.items():
        region = int(key.split("-")[0])
        best[region] = min(best.get(region, seconds), seconds)
    assert {entry["region_id"] for entry in node["derp_latencies"]} == set(best)
    for entry in node["derp_latencies"]:
        assert entry["latency_ms"] == pytest.approx(best[entry["region_id"]] * 1e3)
    if values["WorkingUDP"] is False:
        assert _exit(document) == 1  # UDP blocked: a problem


@settings(max_examples=60, deadline=None)
@given(cut=st.integers(0, 200), udp=st.booleans(), preferred=st.integers(1, 30))
def test_a_netinfo_json_cut_after_its_udp_field_still_reads_it(cut: int, udp: bool, preferred: int) -> None:
    head = json.dumps({"MappingVariesByDestIP": None, "OSHasIPv6": True, "WorkingUDP": udp, "PreferredDERP": preferred})
    tail = json.dumps({"1-v4": 0.08, "4-v4": 0.004})
    whole = head[:-1] + ', "DERPLatency": ' + tail + "}"
    line = f'2023-01-13 08:26:56.288 [DEBUG]\tnetinfo callback\t{{"netinfo": {whole}}}}}'
    cut_line = line[: len(line) - cut] if cut < len(line) - line.index('"PreferredDERP"') - 20 else line
    node = _document(cut_line + "\n")["nodes"][-1]
    assert node["udp"] is udp and node["derp_home"] == f"#{preferred}"


@pytest.mark.parametrize(
    "text",
    [
        # netcheck's own JSON report keeps its own layout
        '{"UDP":true,"IPv4":true,"GlobalV4":"203.0.113.4:41641","PreferredDERP":1,"RegionLatency":{"1":12000000}}',
        # JSON with no WorkingUDP, prose about the field
        '2023-01-13 08:26:56.288 [DEBUG] netinfo callback {"netinfo": {"PreferredDERP": 4, "LinkType": "wired"}}',
        "the netinfo said WorkingUDP was false and PreferredDERP 4, so UDP is blocked in the cluster",
    ],
)
def test_other_json_and_prose_are_no_netinfo_json(text: str) -> None:
    document = _document(text + "\n")
    assert all(node["layout"] != "log (NetInfo JSON)" for node in document["nodes"])


def test_tailscaleds_netinfo_line_keeps_its_reading() -> None:
    line = (
        "2024/01/12 10:41:06 magicsock: netInfo update: NetInfo{varies=false hairpin= ipv6=false ipv6os=true udp=true "
        'icmpv4=false derp=#4 portmap= link="" firewallmode="ipt-default"}'
    )
    node = _document(line + "\n")["nodes"][-1]
    assert node["layout"] == "tailscaled log (NetInfo)" and node["udp"] is True and node["derp_home"] == "#4"


# ----------------------------------------------------------------------------- 4. a dev build's version

_HASHES = st.text("0123456789abcdef", min_size=7, max_size=10)


@settings(max_examples=100, deadline=None)
@given(
    prefix=st.sampled_from(LOG_PREFIXES),
    version=st.tuples(st.integers(1, 1), st.integers(0, 120), st.integers(0, 30)).map(lambda t: "{}.{}.{}".format(*t)),
    day=st.dates(date(2019, 1, 1), date(2099, 12, 31)).map(lambda d: d.strftime("%Y%m%d")),
    tail=st.sampled_from(("-t{h}", "-g{h}", "-t{h}-g{h}", "-t{h}-dirty", "")),
    commit=_HASHES,
)
def test_a_dev_builds_version_keeps_its_date_and_drops_its_hashes(
    prefix: str, version: str, day: str, tail: str, commit: str
) -> None:
    start = f'Program starting: v{version}-dev{day}{tail.format(h=commit)}, Go 1.26.4: []string{{"tailscaled"}}'
    messages = ["logtail started", start, "LogID: 0123456789abcdef", "dns: using dns.noopManager"]
    document = _document("\n".join(prefix.format(msg=m) for m in messages) + "\n")
    assert [log["version"] for log in document["daemon_logs"]] == [f"{version}-dev{day}"]


@settings(max_examples=60, deadline=None)
@given(
    version=st.tuples(st.integers(1, 1), st.integers(0, 120), st.integers(0, 30)).map(lambda t: "{}.{}.{}".format(*t)),
    tail=st.sampled_from(("", "-t{h}-g{h}", "-t{h}", "-dev-t{h}", "-dev", "-1234-g{h}")),
    commit=_HASHES,
)
def test_a_release_or_bare_dev_builds_version_is_as_before(version: str, tail: str, commit: str) -> None:
    start = f'Program starting: v{version}{tail.format(h=commit)}, Go 1.22.0: []string{{"tailscaled"}}'
    document = _document(f"2024/01/12 10:41:06 {start}\n2024/01/12 10:41:06 LogID: 0123456789abcdef\n")
    assert [log["version"] for log in document["daemon_logs"]] == [version]


def test_the_peer_statistics_line_of_a_dev_build_names_it() -> None:
    lines = [
        "2026/07/24 05:41:02 magicsock: derp-4 connected; connGen=1",
        "2026/07/24 05:41:02 [v1] v1.100.0-dev20260616-t97792dab2 peers: 100.64.0.2/1ms",
    ]
    assert [log["version"] for log in _document("\n".join(lines) + "\n")["daemon_logs"]] == ["1.100.0-dev20260616"]


# lead (session 15): one version model: a Hostinfo record's IPNVersion keeps the date as the start line does (tsnet and
# libtailscale apps are often development builds: 857, 925, 928, 1247)
@settings(max_examples=60, deadline=None)
@given(
    version=st.tuples(st.integers(1, 1), st.integers(0, 120), st.integers(0, 30)).map(lambda t: "{}.{}.{}".format(*t)),
    day=st.dates(date(2019, 1, 1), date(2099, 12, 31)).map(lambda d: d.strftime("%Y%m%d")),
    tail=st.sampled_from(("-t{h}", "-t{h}-dirty", "-t{h}-g{h}")),
    commit=_HASHES,
    record=st.sampled_from(
        (
            'control: HostInfo: {{"IPNVersion":"{v}","OS":"linux"}}',
            'control: [v1] HostInfo: {{"IPNVersion":"{v}","OS":"windows"}}',
        )
    ),
)
def test_a_hostinfo_records_dev_version_keeps_its_date(
    version: str, day: str, tail: str, commit: str, record: str
) -> None:
    line = record.format(v=f"{version}-dev{day}{tail.format(h=commit)}")
    lines = ["2024/03/02 10:00:00 magicsock: derp-2 connected; connGen=1", f"2024/03/02 10:00:01 {line}"]
    assert [log["version"] for log in _document("\n".join(lines) + "\n")["daemon_logs"]] == [f"{version}-dev{day}"]
