"""Three more read-only CLI views as people paste them (blind 396, 390, 719): `tailscale serve status` /
`funnel status` (cmd/tailscale/cli/serve_legacy.go, funnel.go, serve_status.go), `tailscale debug ts2021`
(cli/debug.go runTS2021) and `tailscale debug prefs` (ipn.Prefs as JSON, or JSON5 with parts elided).

The user sees the block kind; a note for a listing or a trace that succeeds (exit 0); a finding for a Funnel
port that serves nothing, a control handshake that fails, prefs that keep the node down or logged out.
"""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from opskit.errors import InputError
from tests.diagnose.conftest import run_json

PROMPTS = ["", "$ ", "root@box:~# ", "C:\\Windows\\System32>", "PS C:\\> "]
FENCES = [("", ""), ("```\n", "\n```"), ("``` console\n", "\n```\n")]
HOSTS = ["node.tail1234.ts.net", "openclaw.hamlet-themis.ts.net", "nas.example-tailnet.ts.net"]
HANDLERS = [
    ("/", "proxy", "http://127.0.0.1:3000"),
    ("/api/messages", "proxy", "http://127.0.0.1:3978"),
    ("/files", "path", "/var/www/files"),
    ("/hello", "text", '"Hello, world!"'),
]


def _tree(host: str, port: int, funnel: bool, handlers: list[tuple[str, str, str]], service: str) -> list[str]:
    """One web entry as printWebStatusTree prints it (mounts sorted by length, padded to the longest)."""
    part = "" if port == 443 else f":{port}"
    head = f"https://{host}{part} ({'Funnel on' if funnel and not service else 'tailnet only'})"
    out = [head + (f" ({service})" if service else "")]
    mounts = sorted(handlers, key=lambda h: len(h[0]))
    longest = max(len(m) for m, _, _ in mounts)
    for mount, kind, target in mounts:
        out.append(f"|-- {mount}{' ' * (longest - len(mount))} {kind:<5} {target}")
    return out


@given(
    host=st.sampled_from(HOSTS),
    port=st.sampled_from([443, 8443, 10000]),
    funnel=st.booleans(),
    handlers=st.lists(st.sampled_from(HANDLERS), min_size=1, max_size=3, unique_by=lambda h: h[0]),
    service=st.sampled_from(["", "svc:db"]),
    command=st.sampled_from(["tailscale serve status", "tailscale funnel status", "sudo tailscale serve status"]),
    prompt=st.sampled_from(PROMPTS),
    fence=st.sampled_from(FENCES),
)
@settings(max_examples=60, deadline=None)
def test_a_serve_status_tree_is_read_as_a_note(
    host: str,
    port: int,
    funnel: bool,
    handlers: list[tuple[str, str, str]],
    service: str,
    command: str,
    prompt: str,
    fence: tuple[str, str],
) -> None:
    lines: list[str] = []
    if prompt:
        lines.append(prompt + command)
    funnel_on = funnel and not service
    if funnel_on:  # printFunnelStatus: a blank line, the header, one item per Funnel host:port, a blank line
        lines += ["", "# Funnel on:", f"#     - https://{host}" + ("" if port == 443 else f":{port}"), ""]
    lines += _tree(host, port, funnel, handlers, service)
    text = fence[0] + "\n".join(lines) + fence[1]
    document = run_json(text)
    assert [b["kind"] for b in document["blocks"]] == ["serve-status"], text
    assert document["summary"]["exit_code"] == 0, text
    (note,) = [f for f in document["findings"] if f["rule"] == "TS-SERVE-STATUS"]
    assert ("Funnel is on" in note["cause"]) is funnel_on, note["cause"]
    for mount, kind, target in handlers:
        assert f"{mount} → {kind} {target}" in note["cause"], note["cause"]


def test_a_legacy_tcp_tree_and_an_unserved_funnel_port() -> None:
    text = "\n".join(
        [
            "$ tailscale serve status",
            "|-- tcp://node.tail1234.ts.net:5432 (TLS-terminated TCP, tailnet only)",
            "|-- tcp://100.101.102.103:5432",
            "|--> tcp://127.0.0.1:5432",
            "",
            "Warning: funnel=on for node.tail1234.ts.net:8443, but no serve config",
        ]
    )
    document = run_json(text)
    # the warning is stderr's CLI message (serve-not-configured), after the tree
    assert sorted(b["kind"] for b in document["blocks"]) == ["serve-status", "windows-error"]
    assert [w["kind"] for w in document["windows"]] == ["serve-not-configured"]
    rules = {f["rule"]: f for f in document["findings"]}
    assert "tcp://node.tail1234.ts.net:5432" in rules["TS-SERVE-STATUS"]["cause"]
    assert "→ tcp://127.0.0.1:5432" in rules["TS-SERVE-STATUS"]["cause"]
    assert "node.tail1234.ts.net:8443" in rules["TS-CLI-SERVE-NOT-CONFIGURED"]["cause"]
    assert document["summary"]["exit_code"] == 1


def test_the_funnel_header_under_tailscale_status_stays_status() -> None:
    # `tailscale status` prints the same "# Funnel on:" lines (printFunnelStatus) after its rows: no served tree
    text = "100.64.0.1   node   me@   linux   -\n\n# Funnel on:\n#     - https://node.tail1234.ts.net\n"
    document = run_json(text)
    assert "serve-status" not in [b["kind"] for b in document["blocks"]]


# ----------------------------------------------------------------------------------------- debug ts2021

STAMPS = ["", "10:02:10.757700 ", "2024/07/15 10:02:10 ", "2025/01/03 08:00:00.123456 "]
V4 = "18.159.140.118"
V6 = "2a05:d014:386:202:4d:f871:20f3:6602"


@given(
    stamp=st.sampled_from(STAMPS[1:]),
    version=st.sampled_from([97, 113, 130]),
    order=st.sampled_from(["v4-wins", "v6-wins", "v4-only"]),
    old_layout=st.booleans(),
    prompt=st.sampled_from(PROMPTS),
    fence=st.sampled_from(FENCES),
)
@settings(max_examples=60, deadline=None)
def test_a_ts2021_trace_that_succeeds_names_the_winning_address(
    stamp: str, version: int, order: str, old_layout: bool, prompt: str, fence: tuple[str, str]
) -> None:
    local = "172.16.0.2:56402"
    winner, loser = (f"{V4}:80", f"[{V6}]:80") if order != "v6-wins" else (f"[{V6}]:80", f"{V4}:80")
    trace = [f"Fetching keys from https://controlplane.tailscale.com/key?v={version} ..."]
    if order != "v4-only":
        trace.append(f'Dial("tcp", "{loser}") ...')
    trace += [f'Dial("tcp", "{winner}") ...', f'Dial("tcp", "{winner}") = {local} / {winner}']
    if order != "v4-only":
        trace.append(f'Dial("tcp", "{loser}") = dial tcp {loser}: operation was canceled')
    if old_layout:
        trace.append("controlhttp.Dial = 0xc000208110, <nil>")
    else:
        trace.append("GotConn: *ts2021.Conn")
    trace += ["did noise handshake", f"final underlying conn: {local} / {winner}"]
    command = f"{prompt}tailscale debug ts2021\n" if prompt else ""
    text = fence[0] + command + "\n".join(stamp + line for line in trace) + fence[1]
    document = run_json(text)
    assert [b["kind"] for b in document["blocks"]] == ["debug-ts2021"], text
    assert document["summary"]["exit_code"] == 0, text
    (note,) = [f for f in document["findings"] if f["rule"] == "TS-TS2021"]
    assert winner in note["cause"], note["cause"]


# (the failing step, and how it is read: the trace's own finding, or the CLI error kind the step's words are)
FAILURES = [
    ('Do: Get "https://controlplane.tailscale.com/key?v=97": dial tcp 18.159.140.118:443: i/o timeout', None),
    ("Status: 403 Forbidden", None),
    ("error on attempt 1/2: dial tcp 18.159.140.118:80: connect: connection refused", None),
    # the control dial's failure is read as the CLI error it is (lead decision, blind batch 44 sample 2583: a
    # `debug ts2021` whose dial fails is control-unreachable with its reason, test_blind44_misc.py)
    ("controlhttp.Dial = 0x0, unexpected HTTP response: 502 Bad Gateway", "control-unreachable"),
    (
        'Do: Get "https://hs.example.com/key?v=97": tls: failed to verify certificate: x509: certificate signed by '
        "unknown authority",
        "tls-intercepted",
    ),
]


@given(
    stamp=st.sampled_from(STAMPS),
    failure=st.sampled_from(FAILURES),
    cli_line=st.booleans(),
    prompt=st.sampled_from(PROMPTS),
    fence=st.sampled_from(FENCES),
)
@settings(max_examples=40, deadline=None)
def test_a_ts2021_trace_that_fails_is_control_unreachable(
    stamp: str, failure: tuple[str, str | None], cli_line: bool, prompt: str, fence: tuple[str, str]
) -> None:
    step, cli_kind = failure
    trace = ["Fetching keys from https://controlplane.tailscale.com/key?v=97 ..."]
    if not step.startswith(("Do: ", "Status: ")):
        trace += ['Dial("tcp", "18.159.140.118:80") ...']
    trace.append(step)
    command = f"{prompt}tailscale debug ts2021\n" if prompt else ""
    text = fence[0] + command + "\n".join(stamp + line for line in trace)
    if cli_line and step.startswith("Do: "):
        text += "\n" + step.removeprefix("Do: ")  # the CLI's own error, printed unstamped as it exits
    text += fence[1]
    document = run_json(text)
    assert "debug-ts2021" in [b["kind"] for b in document["blocks"]], text
    assert document["summary"]["exit_code"] == 1, text
    failed = [f for f in document["findings"] if f["rule"] == "TS-TS2021-FAILED"]
    if cli_kind is None:
        (finding,) = failed
        assert any(step in e["text"] for e in finding["evidence"]), finding
    else:  # read as that CLI error, as before the trace had a kind: its finding explains it
        assert cli_kind in {e["kind"] for e in document["windows"]}, text
        assert not failed, failed


# ----------------------------------------------------------------------------------------- debug prefs

PREFS: dict[str, object] = {
    "ControlURL": "https://controlplane.tailscale.com",
    "RouteAll": False,
    "ExitNodeID": "",
    "ExitNodeIP": "",
    "ExitNodeAllowLANAccess": False,
    "CorpDNS": True,
    "RunSSH": False,
    "WantRunning": True,
    "LoggedOut": False,
    "ShieldsUp": False,
    "AdvertiseTags": None,
    "Hostname": "",
    "AdvertiseRoutes": None,
    "NoSNAT": False,
    "NetfilterMode": 2,
    "AutoUpdate": {"Check": True, "Apply": False},
    "Config": {"PrivateNodeKey": "privkey:0000", "Provider": "", "LoginName": "me@example.com"},
}


def _json5(prefs: dict[str, object], indent: str, elide: str, trailing: bool) -> str:
    text = json.dumps(prefs, indent=indent)
    if elide == "config":  # the poster cut an object's members: `"Config": { /* ... */ }`
        start = text.index('"Config": {')
        end = text.index("}", start)
        text = text[:start] + '"Config": { /* ... */ }' + text[end + 1 :]
    elif elide == "line":
        text = text.replace('"NoSNAT": false,', '"NoSNAT": false, // the rest as default')
    if trailing:
        text = text[: text.rindex("}")].rstrip() + ",\n}"
    return text


@given(
    want_running=st.booleans(),
    logged_out=st.booleans(),
    route_all=st.booleans(),
    exit_node=st.sampled_from(["", "100.64.0.9"]),
    routes=st.sampled_from([None, ["192.168.1.0/24"], ["10.0.0.0/8", "0.0.0.0/0", "::/0"]]),
    indent=st.sampled_from(["\t", "  ", "    "]),
    elide=st.sampled_from(["", "config", "line"]),
    trailing=st.booleans(),
    prompt=st.sampled_from(PROMPTS),
    fence=st.sampled_from([*FENCES, ("```json5\n", "\n```")]),
)
@settings(max_examples=60, deadline=None)
def test_debug_prefs_are_a_note_and_stopped_or_logged_out_is_a_finding(
    want_running: bool,
    logged_out: bool,
    route_all: bool,
    exit_node: str,
    routes: list[str] | None,
    indent: str,
    elide: str,
    trailing: bool,
    prompt: str,
    fence: tuple[str, str],
) -> None:
    prefs = dict(PREFS, WantRunning=want_running, LoggedOut=logged_out, RouteAll=route_all, ExitNodeIP=exit_node)
    prefs["AdvertiseRoutes"] = routes
    command = f"{prompt}tailscale debug prefs\n" if prompt else ""
    text = fence[0] + command + _json5(prefs, indent, elide, trailing) + fence[1]
    document = run_json(text)
    assert [b["kind"] for b in document["blocks"]] == ["debug-prefs"], text
    rules = {f["rule"]: f for f in document["findings"]}
    note = rules["TS-DEBUG-PREFS"]["cause"]
    assert ("accepts subnet routes" in note and "not accept" not in note) is route_all, note
    assert (f"exit node {exit_node}" in note) is bool(exit_node), note
    for route in routes or []:
        assert route in note, note
    down = logged_out or not want_running
    assert ("TS-PREFS-NOT-RUNNING" in rules) is down, text
    if down:
        cause = rules["TS-PREFS-NOT-RUNNING"]["cause"]
        assert ("LoggedOut true" if logged_out else "WantRunning false") in cause, cause
    assert document["summary"]["exit_code"] == int(down), text


def test_other_json_with_a_few_pref_like_names_is_not_prefs() -> None:
    text = '{\n  "RouteAll": true,\n  "Name": "x"\n}'
    with pytest.raises(InputError):  # nothing recognised: not read as prefs
        run_json(text)


@given(
    host=st.sampled_from(HOSTS),
    port=st.sampled_from(["443", "8443", "10000"]),
    funnel=st.booleans(),
    handlers=st.lists(st.sampled_from(HANDLERS), min_size=1, max_size=3, unique_by=lambda h: h[0]),
    tcp_forward=st.booleans(),
    foreground=st.booleans(),
    command=st.sampled_from(["", "$ tailscale serve status --json\n", "$ tailscale funnel status --json\n"]),
    indent=st.sampled_from([2, 4, None]),
)
@settings(max_examples=40, deadline=None)
def test_serve_status_json_is_read_like_the_tree(
    host: str,
    port: str,
    funnel: bool,
    handlers: list[tuple[str, str, str]],
    tcp_forward: bool,
    foreground: bool,
    command: str,
    indent: int | None,
) -> None:
    field = {"proxy": "Proxy", "path": "Path", "text": "Text"}
    config: dict[str, object] = {
        "TCP": {port: {"HTTPS": True}},
        "Web": {f"{host}:{port}": {"Handlers": {m: {field[k]: t} for m, k, t in handlers}}},
    }
    if funnel:
        config["AllowFunnel"] = {f"{host}:{port}": True}
    if tcp_forward:
        config["TCP"] = {port: {"HTTPS": True}, "5432": {"TCPForward": "127.0.0.1:5432"}}
    if foreground:  # a `tailscale serve` running in the foreground keeps its config under its session
        config = {"Foreground": {"a1b2c3": config}}
    text = command + json.dumps(config, indent=indent)
    document = run_json(text)
    assert [b["kind"] for b in document["blocks"]] == ["serve-status"], text
    assert document["summary"]["exit_code"] == 0, text
    (note,) = [f for f in document["findings"] if f["rule"] == "TS-SERVE-STATUS"]
    assert ("Funnel is on" in note["cause"]) is funnel, note["cause"]
    for mount, kind, target in handlers:
        assert f"{mount} → {kind} {target}" in note["cause"], note["cause"]
    assert ("→ tcp://127.0.0.1:5432" in note["cause"]) is tcp_forward, note["cause"]


def test_an_empty_serve_config_stays_serve_not_configured() -> None:
    document = run_json("$ tailscale serve status --json\n{}\n")
    assert "serve-not-configured" in {e["kind"] for e in document["windows"]}
