"""Blind batch 44's CLI and embedding misses, as classes (samples 2583, 2603, 2607):

- a `tailscale debug ts2021` whose control dial fails is control-unreachable with its reason, and a dial to control's
  public address that connects to a loopback address is a local program capturing it;
- tsnet's own messages under a host program's logger (zerolog's console with its caller column, zerolog's JSON,
  slog's text with source=), behind a compose prefix, are an embedded node's log;
- k3s/rke2's --vpn-auth running `tailscale up` itself: its failure stops k3s, read with its reason when shown.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from opskit.errors import InputError
from tests.diagnose.conftest import run_json


def _document(text: str) -> dict[str, Any]:
    """The JSON document, or a stand-in with exit code 2 when nothing was recognised."""
    try:
        return run_json(text)
    except InputError:
        return {"summary": {"exit_code": 2}, "windows": [], "findings": [], "views": [], "daemon_logs": []}


def _rules(document: dict[str, Any]) -> list[str]:
    return [finding["rule"] for finding in document["findings"]]


# ------------------------------------------------------------------------------------- debug ts2021 (2583)

STAMPS = ["09:58:10.933774 ", "2024/07/15 10:02:10 ", "10:02:11 "]
PROMPTS = ["", "$ ", "➜  ~ "]
FENCES = [("", ""), ("```\n", "\n```")]
# controlhttp's errors (control/controlhttp/client.go) and what the dial under them says
DIAL_ERRORS = [
    "all connection attempts failed (HTTP: read tcp [::1]:50010->[::1]:10011: read: connection reset by peer, "
    "HTTPS: read tcp [::1]:50012->[::1]:10011: read: connection reset by peer)",
    "all connection attempts failed (HTTP: dial tcp 18.159.140.118:80: i/o timeout, HTTPS: dial tcp "
    "18.159.140.118:443: i/o timeout)",
    "all connection attempts failed (HTTP: dial tcp 18.159.140.118:80: connect: connection refused, HTTPS: dial "
    "tcp 18.159.140.118:443: connect: connection refused)",
    "connection attempts aborted by context: context deadline exceeded",
    "macOS Screen Time is blocking network access: dial tcp 18.159.140.118:443: connect: operation not permitted",
    "unexpected HTTP response: 502 Bad Gateway",
]
# how the trace says the dial failed: before v1.80 the dial's own line, since then the attempt's error
FORMS = ["controlhttp.Dial = 0x0, {err}", "error on attempt 1/2: RoundTrip whoami request: {err}"]


def _ts2021_trace(
    stamp: str, form: str, error: str, *, dials: list[tuple[str, str]], final: bool, prompt: str, fence: tuple[str, str]
) -> str:
    trace = ["Fetching keys from https://controlplane.tailscale.com/key?v=74 ..."]
    for target, result in dials:
        trace += [f'Dial("tcp", "{target}") ...', f'Dial("tcp", "{target}") = {result}']
    trace.append(form.format(err=error))
    lines = [stamp + line for line in trace]
    if final and form.startswith("controlhttp"):
        lines.append(stamp + error)  # the CLI's exit error (v1.50 prints it through the log it set up: stamped)
    command = f"{prompt}tailscale debug ts2021\n" if prompt else ""
    return fence[0] + command + "\n".join(lines) + fence[1]


@pytest.mark.parametrize("stamp", STAMPS)
@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("error", DIAL_ERRORS)
@pytest.mark.parametrize(("prompt", "fence", "final"), [("", FENCES[0], False), ("$ ", FENCES[1], True)])
def test_a_ts2021_dial_failure_is_control_unreachable_with_its_reason(
    stamp: str, form: str, error: str, prompt: str, fence: tuple[str, str], final: bool
) -> None:
    dials = [("18.159.140.118:80", "172.16.0.2:56402 / 18.159.140.118:80")]
    text = _ts2021_trace(stamp, form, error, dials=dials, final=final, prompt=prompt, fence=fence)
    document = _document(text)
    assert document["summary"]["exit_code"] == 1, text
    kinds = [each["kind"] for each in document["windows"]]
    assert set(kinds) == {"control-unreachable"}, (kinds, text)
    assert "debug-ts2021" in [block["kind"] for block in document["blocks"]], text
    causes = " ".join(f["cause"] for f in document["findings"] if f["rule"] == "TS-UP-CONTROL-UNREACHABLE")
    assert error.split(" (", 1)[0].split(":", 1)[0] in causes, causes  # the reason is told
    assert not any("skipped line" in warning for warning in document["warnings"]), document["warnings"]
    assert "TS-TS2021-CAPTURED" not in causes


@pytest.mark.parametrize("stamp", STAMPS)
@pytest.mark.parametrize(
    ("target", "remote"),
    [
        ("[2a05:d014:386:202:f041:44b6:9559:668]:80", "[::1]:10011"),
        ("18.159.140.118:443", "127.0.0.1:8443"),
        ("3.78.129.120:80", "127.0.0.53:3128"),
    ],
)
@pytest.mark.parametrize("error", DIAL_ERRORS[:3])
def test_a_control_dial_landing_on_loopback_is_a_local_program_capturing_it(
    stamp: str, target: str, remote: str, error: str
) -> None:
    dials = [(target, f"[::1]:50010 / {remote}" if remote.startswith("[") else f"127.0.0.1:50010 / {remote}")]
    text = _ts2021_trace(stamp, FORMS[0], error, dials=dials, final=True, prompt="$ ", fence=FENCES[0])
    document = _document(text)
    assert document["summary"]["exit_code"] == 1, text
    port = remote.rsplit(":", 1)[1]
    captured = [f for f in document["findings"] if "captured the control connection" in f["cause"]]
    assert len(captured) == 1, document["findings"]
    assert remote in captured[0]["cause"] and f"port {port}" in captured[0]["cause"]
    assert f"{port}" in captured[0]["fix"]
    kinds = {each["kind"] for each in document["windows"]}
    assert kinds == {"control-unreachable"}, kinds
    assert not kinds & {"tls-intercepted", "service-not-running"}


@pytest.mark.parametrize(
    ("target", "result"),
    [
        ("18.159.140.118:80", "172.16.0.2:56402 / 18.159.140.118:80"),  # the remote is the target: no capture
        ("127.0.0.1:443", "127.0.0.1:50010 / 127.0.0.1:443"),  # a control server on this machine, dialled so
        ("[::1]:8080", "[::1]:50010 / [::1]:8080"),
    ],
)
def test_a_dial_to_its_own_target_is_no_capture(target: str, result: str) -> None:
    text = _ts2021_trace(STAMPS[0], FORMS[0], DIAL_ERRORS[1], dials=[(target, result)], final=False, prompt="$ ",
                         fence=FENCES[0])  # fmt: skip
    document = _document(text)
    assert document["summary"]["exit_code"] == 1
    assert not [f for f in document["findings"] if "captured the control connection" in f["cause"]]


@pytest.mark.parametrize("stamp", STAMPS)
@pytest.mark.parametrize(
    "result",
    ["0xc000208110, <nil>", "0x14000126000, <nil>"],
)
def test_a_ts2021_trace_that_connects_stays_healthy(stamp: str, result: str) -> None:
    lines = [
        "Fetching keys from https://controlplane.tailscale.com/key?v=74 ...",
        'Dial("tcp", "18.159.140.118:80") ...',
        'Dial("tcp", "18.159.140.118:80") = 172.16.0.2:56402 / 18.159.140.118:80',
        f"controlhttp.Dial = {result}",
        "did noise handshake",
        "final underlying conn: 172.16.0.2:56402 / 18.159.140.118:80",
    ]
    document = _document("$ tailscale debug ts2021\n" + "\n".join(stamp + line for line in lines))
    assert document["summary"]["exit_code"] == 0
    assert document["windows"] == []
    assert "TS-TS2021" in _rules(document)


@pytest.mark.parametrize(
    "error",
    [
        "tls: failed to verify certificate: x509: certificate signed by unknown authority",
        "all connection attempts failed (HTTP: unexpected HTTP response: 308 Permanent Redirect, HTTPS: unexpected "
        "HTTP response: 400 Bad Request)",
    ],
)
def test_a_dial_failure_with_its_own_reading_keeps_it(error: str) -> None:
    """A certificate error is TLS interception; an HTTP status on both ports is the catalog's proxy reading."""
    text = _ts2021_trace(STAMPS[0], FORMS[0], error, dials=[], final=True, prompt="$ ", fence=FENCES[0])
    document = _document(text)
    kinds = {each["kind"] for each in document["windows"]}
    if "x509" in error:
        assert kinds == {"tls-intercepted"}, kinds
    else:
        assert kinds == {"control-unreachable"}, kinds
        assert any("Upgrade" in f["fix"] or "upgrade" in f["cause"] for f in document["findings"])


@pytest.mark.parametrize(
    "prose",
    [
        "I think controlhttp.Dial failed because of the proxy",
        "controlhttp.Dial = 0xc000208110, <nil>",
        "the error on attempt 1/2 was gone after a reboot",
    ],
)
def test_prose_about_the_dial_is_not_a_dial_failure(prose: str) -> None:
    document = _document(prose)
    assert "control-unreachable" not in {each["kind"] for each in document["windows"]}


# ------------------------------------------------------------------------------ tsnet under a host logger (2603)

# tsnet/tsnet.go's own messages (s.logf), for a node that is logged in already
TSNET_RUNNING = [
    'tsnet starting with hostname "tsdproxy", varRoot "/data/default/tsdproxy"',
    "Authkey is set; but state is Starting. Ignoring authkey. Re-run with TSNET_FORCE_LOGIN=1 to force use of authkey.",
    "AuthLoop: state is Running; done",
]
TSNET_RUNNING_ALT = [
    "tsnet running state path /data/tailscaled.state",
    'tsnet starting with hostname "web", varRoot "/var/lib/web"',
    "Authkey is set; but state is Running. Ignoring authkey. Re-run with TSNET_FORCE_LOGIN=1 to force use of authkey.",
    "AuthLoop: state is Running; done",
]
TSNET_LOGIN = [
    'tsnet starting with hostname "web", varRoot "/data"',
    "To start this tsnet server, restart with TS_AUTHKEY set, or go to: https://login.tailscale.com/a/1a2b3c4d5e",
]


def _zerolog_caller(message: str) -> str:
    return (
        "5:19PM INF home/runner/work/tsdproxy/tsdproxy/internal/proxyproviders/tailscale/node_lifecycle.go:141 > "
        f"{message} component=lifecycle module=proxymanager"
    )


def _zerolog_short_caller(message: str) -> str:
    return f"11:02AM INF internal/ts/node.go:88 > {message} tailscale=default"


def _zerolog_plain(message: str) -> str:
    return f"9:05AM INF {message} component=tsnet"


def _zerolog_json(message: str) -> str:
    record = {"level": "info", "component": "tsnet", "time": "2025-01-02T10:00:00Z", "message": message}
    return json.dumps(record)


def _logrus_json(message: str) -> str:
    return json.dumps({"level": "info", "msg": message, "time": "2025-01-02T10:00:00Z"})


def _slog_source(message: str) -> str:
    quoted = message.replace("\\", "\\\\").replace('"', '\\"')
    return f'time=2025-01-02T10:00:00.000Z level=INFO source=/app/internal/tsnode.go:41 msg="{quoted}"'


LOGGERS = [_zerolog_caller, _zerolog_short_caller, _zerolog_plain, _zerolog_json, _logrus_json, _slog_source]
COMPOSE = ["", "tsdproxy-1  | ", "app  | "]


@pytest.mark.parametrize("logger", LOGGERS)
@pytest.mark.parametrize("prefix", COMPOSE)
@pytest.mark.parametrize("messages", [TSNET_RUNNING, TSNET_RUNNING_ALT])
def test_a_logged_in_tsnet_node_under_a_host_logger_is_running(logger: Any, prefix: str, messages: list[str]) -> None:
    text = "\n".join(prefix + logger(message) for message in messages)
    document = _document(text)
    assert document["summary"]["exit_code"] == 0, text
    assert [log["state"] for log in document["daemon_logs"]] == ["Running"], text
    issues = {issue["kind"] for log in document["daemon_logs"] for issue in log["issues"]}
    assert not issues & {"login-required", "control-unreachable", "crash", "tun-unavailable"}, issues


@pytest.mark.parametrize("logger", LOGGERS)
@pytest.mark.parametrize("prefix", COMPOSE)
def test_a_tsnet_node_waiting_for_login_under_a_host_logger_needs_login(logger: Any, prefix: str) -> None:
    text = "\n".join(prefix + logger(message) for message in TSNET_LOGIN)
    document = _document(text)
    assert document["summary"]["exit_code"] == 1, text
    issues = {issue["kind"] for log in document["daemon_logs"] for issue in log["issues"]}
    assert "login-required" in issues, text


@pytest.mark.parametrize("logger", LOGGERS)
@pytest.mark.parametrize(
    "message",
    [
        "device reconciler not available, skipping hostname cleanup",
        "proxy started for service grafana",
        "listening on :8080",
    ],
)
def test_a_host_programs_own_lines_are_not_a_tailscale_log(logger: Any, message: str) -> None:
    text = "\n".join("svc-1  | " + logger(message) for _ in range(2))
    assert _document(text)["summary"]["exit_code"] == 2, text


# ------------------------------------------------------------------------------------ k3s --vpn-auth (2607)

K3S_PREFIXES = [
    "Jun 13 16:46:26 ip-172-31-0-50 k3s[7287]: ",
    "Aug 20 12:55:16 k01 rke2[3444072]: ",
    "May 02 10:00:00 node1 k3s-agent[91]: ",
]
SYSTEMD_UNITS = [("k3s", "Lightweight Kubernetes"), ("rke2-server", "Rancher Kubernetes Engine v2 (server)")]


def _logrus(level: str, message: str) -> str:
    return f'time="2023-06-13T16:46:26Z" level={level} msg="{message}"'


def _k3s_run(prefix: str, failure: str, unit: tuple[str, str] | None) -> str:
    lines = [prefix + _logrus("info", "Starting VPN: tailscale"), prefix + failure]
    if unit is not None:
        host = prefix.split(" k3s")[0].split(" rke2")[0]
        lines += [
            f"{host} systemd[1]: {unit[0]}.service: Main process exited, code=exited, status=1/FAILURE",
            f"{host} systemd[1]: {unit[0]}.service: Failed with result 'exit-code'.",
            f"{host} systemd[1]: Failed to start {unit[1]}.",
        ]
    return "```\n" + "\n".join(lines) + "\n```"


@pytest.mark.parametrize("prefix", K3S_PREFIXES)
@pytest.mark.parametrize("unit", [None, *SYSTEMD_UNITS])
@pytest.mark.parametrize(
    ("failure", "reason", "status"),
    [
        ("exit status 1", None, 1),
        (_logrus("fatal", "exit status 2"), None, 2),
        (_logrus("fatal", "tailscale up failed: : exit status 1"), None, 1),
        (
            _logrus("fatal", "tailscale up failed: timeout waiting for the backend\\n: exit status 1"),
            "timeout waiting for the backend",
            1,
        ),  # fmt: skip
        (_logrus("fatal", "VPN Error. Tailscale requires a JoinKey"), "VPN Error. Tailscale requires a JoinKey", None),
        (
            _logrus("fatal", "Requested VPN: wireguard is not supported. We currently only support tailscale"),
            "Requested VPN: wireguard is not supported",
            None,
        ),  # fmt: skip
    ],
)
def test_a_failed_k3s_vpn_start_is_a_problem(
    prefix: str, unit: tuple[str, str] | None, failure: str, reason: str | None, status: int | None
) -> None:
    text = _k3s_run(prefix, failure, unit)
    document = _document(text)
    assert document["summary"]["exit_code"] == 1, text
    (view,) = [v for v in document["views"] if v["kind"] == "k3s-vpn"]
    assert view["outcome"] == "failed" and view["exit_status"] == status, view
    assert view["unit_failed"] is (unit is not None)
    if reason is None:
        assert view["reason"] is None
    else:
        assert view["reason"] is not None and reason in view["reason"], view
    (finding,) = [f for f in document["findings"] if f["rule"] == "TS-K3S-VPN-FAILED"]
    if reason is None:
        assert "not in the paste" in finding["cause"] and "tailscale up --authkey" in finding["fix"]
    else:
        assert reason.split(". ", 1)[-1] in finding["cause"], finding["cause"]


@pytest.mark.parametrize("prefix", K3S_PREFIXES)
@pytest.mark.parametrize(
    "output",
    ["backend error: invalid key: API key does not exist", "backend error: invalid key: unable to validate API key"],
)
def test_a_refused_join_key_stays_the_clis_refusal(prefix: str, output: str) -> None:
    text = _k3s_run(prefix, _logrus("fatal", f"tailscale up failed: {output}\\n: exit status 1"), SYSTEMD_UNITS[0])
    document = _document(text)
    assert document["summary"]["exit_code"] == 1
    assert "auth-key-rejected" in {each["kind"] for each in document["windows"]}, text
    assert "TS-K3S-VPN-FAILED" not in _rules(document)  # one reading: the refusal's own finding explains it
    (view,) = [v for v in document["views"] if v["kind"] == "k3s-vpn"]
    assert view["reason"] == output


@pytest.mark.parametrize("prefix", K3S_PREFIXES)
@pytest.mark.parametrize(
    "after",
    [
        _logrus("debug", "Tailscale is already running, skipping tailscale up"),
        _logrus("debug", "Output from tailscale up: "),
    ],
)
def test_a_k3s_vpn_start_that_worked_is_no_problem(prefix: str, after: str) -> None:
    lines = [_logrus("info", "Starting VPN: tailscale"), after, _logrus("info", "Starting k3s v1.27.2+k3s1 (213d7ad4)")]
    document = _document("\n".join(prefix + line for line in lines))
    assert document["summary"]["exit_code"] == 0
    (view,) = [v for v in document["views"] if v["kind"] == "k3s-vpn"]
    assert view["outcome"] == "up"


@pytest.mark.parametrize("prefix", K3S_PREFIXES)
def test_a_k3s_exit_without_the_vpn_start_is_not_read_as_it(prefix: str) -> None:
    text = "\n".join([prefix + _logrus("info", "Starting k3s v1.27.2+k3s1"), prefix + "exit status 1"])
    document = _document(text)
    assert not [v for v in document["views"] if v["kind"] == "k3s-vpn"]
    assert "TS-K3S-VPN-FAILED" not in _rules(document)


@pytest.mark.parametrize("key", ["S3cr3tV4lue", "a1b2c3d4e5f6a7b8", "hskey-auth-XYZ123"])
@pytest.mark.parametrize("form", ["vpn-auth: name=tailscale,joinKey={key}", "--vpn-auth=name=tailscale,joinKey={key}"])
def test_a_join_key_is_never_printed(key: str, form: str) -> None:
    text = _k3s_run(K3S_PREFIXES[0], "exit status 1", None) + "\n" + form.format(key=key) + "\nmore"
    rendered = json.dumps(_document(text), ensure_ascii=False)
    assert key not in rendered
    assert "joinKey=…" in rendered  # the line is quoted (skipped), its key hidden
