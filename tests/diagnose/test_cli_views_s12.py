"""CLI outputs and verdicts of blind batch 26 (session 12), as classes: the GitHub Action's "daemon did not become
ready" (tailscaled never answered: service-not-running), the client library's reading of a certificate pair that is
none ("unexpected output: no delimiter / key in cert": cert-failed), `tailscale cert`'s name hint followed by the
command with that name (not a usage error left standing), a jq piece of `syspolicy list --json`, pasted JSON with
bare redaction placeholders, the 2022-2025 `serve status` TCP annotations and the Funnel header's items (no health
messages), and the 2023 prototype of `debug peer-endpoint-changes` (no ``When``, members sorted).

Every test asserts what a user sees in the structured JSON (opskit.output.diagnose.to_json)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from opskit.core.diagnose.text import parse_pasted_json, quote_bare_placeholders
from opskit.errors import InputError
from tests.diagnose.conftest import run_json

_PROMPTS = ["$ ", "# ", "root@myNas:~# ", "user@host:~$ ", "PS C:\\Users\\me> ", "> $ "]
_SUDO = ["", "sudo ", "/usr/bin/", "sudo /usr/local/bin/"]


def _typed(prompt: str, sudo: str) -> bool:
    """Whether the splitter reads the line as a typed command: after a bare "# " a path reads as a comment."""
    return not (prompt == "# " and "/" in sudo)


def _rules(document: dict[str, Any]) -> dict[str, str]:
    return {finding["rule"]: finding["severity"] for finding in document["findings"]}


def _kinds(document: dict[str, Any]) -> list[str]:
    return [error["kind"] for error in document["windows"]]


# ------------------------------------------------------------------- GitHub Action: tailscaled never answered
_LAST_ERRORS = [
    "",
    ", last error: tailscale failed with exit code 1",
    ", last error: /usr/bin/tailscale failed with exit code 1",
    ", last error: The process '/usr/bin/tailscale' failed with exit code 1",
    ", last error: connect ENOENT /var/run/tailscale/tailscaled.sock",
]
_ACTION_WRAPS = [
    "{line}",
    "Error: {line}",
    "##[error]{line}",
    "`Error: {line}`",
    "2025-11-06T10:21:13.1234567Z ##[error]{line}",
    "Run tailscale/github-action@v4\nError: {line}",
]


@given(st.sampled_from(_LAST_ERRORS), st.sampled_from(_ACTION_WRAPS))
@settings(max_examples=40, deadline=None)
def test_the_actions_daemon_not_ready_is_service_not_running(last_error: str, wrap: str) -> None:
    document = run_json(wrap.format(line=f"tailscaled daemon did not become ready within timeout{last_error}"))
    assert _kinds(document) == ["service-not-running"]
    assert "TS-WIN-SERVICE-NOT-RUNNING" in _rules(document)
    assert "TS-WIN-NO-BACKEND" not in _rules(document)
    assert document["summary"]["exit_code"] == 1


def test_the_actions_other_verdicts_keep_their_kinds() -> None:
    document = run_json("Error: ❌ Tailscale backend state: NeedsLogin")
    assert _kinds(document) == ["not-running-state"]
    # a 503 from a running daemon without a backend stays no-backend
    document = run_json("503 Service Unavailable: no backend")
    assert _kinds(document) == ["no-backend"]


# ------------------------------------------------------------ certificate pair that is none (client CertPair)
_PAIR_ERRORS = ["unexpected output: no delimiter", "unexpected output: key in cert"]
_CERT_WRAPS = [
    "{line}",
    "{prompt}{sudo}tailscale cert node.tail1234.ts.net\n{line}",
    "{prompt}{sudo}tailscale cert --cert-file /tmp/c.pem --key-file /tmp/k.pem node.tail1234.ts.net\n{line}",
    'time="2023-03-12T20:37:48Z" level=error msg="Unable to fetch certificate for domain \\"node.tail1234.ts.net\\"" '
    'error="{line}" providerName=tsresolver.acme',
    '{{"level":"error","ts":1698550000.1,"logger":"tls.handshake","msg":"getting certificate from external '
    'certificate manager","sni":"node.tail1234.ts.net","error":"{line}"}}',
    "2023/10/29 03:33:32 http: TLS handshake error from 100.64.0.2:51234: {line}",
    "```\n{line}\n```",
]


@given(st.sampled_from(_PAIR_ERRORS), st.sampled_from(_CERT_WRAPS), st.sampled_from(_PROMPTS), st.sampled_from(_SUDO))
@settings(max_examples=60, deadline=None)
def test_a_pair_answer_that_is_no_pair_is_cert_failed(error: str, wrap: str, prompt: str, sudo: str) -> None:
    document = run_json(wrap.format(line=error, prompt=prompt, sudo=sudo))
    assert _kinds(document) == ["cert-failed"]
    finding = next(f for f in document["findings"] if f["rule"] == "TS-CLI-CERT-FAILED")
    assert finding["severity"] == "error" and "localapi/v0/cert/" in finding["fix"]
    assert document["summary"]["exit_code"] == 1


@pytest.mark.parametrize(
    "text",
    [
        "unexpected output: none",
        "The test printed unexpected output: it differs from the golden file.",
        'client: unexpected output: "hello"',
        "unexpected output\nwrote: 00 01\n want: 00 02",
    ],
)
def test_other_unexpected_outputs_are_no_certificate_failure(text: str) -> None:
    try:
        document = run_json(text)
    except InputError:  # nothing recognised at all is fine: exit 2, never a certificate verdict
        return
    assert "cert-failed" not in _kinds(document)


# ------------------------------------------------- `tailscale cert` bare for its name, then run with it
_NAMES = ["mynas.****.ts.net", "host.tail1234.ts.net", "nas.tailnet-abc.ts.net", "my-pc.example-tailnet.ts.net"]
_HINTS = ['For domain, use "{name}".', 'For domain, use "{name}"', 'Valid domain options: ["{name}"]']
# what the command with the name printed, and the kinds and exit code it gives on its own (a certificate written is a
# routine answer: since blind batch 35 (lead decision, corpus 1820) the cli-answer view, exit 0; it was exit 2,
# nothing to diagnose)
_OUTCOMES = [
    ("unexpected output: no delimiter", ["cert-failed"], 1),
    ('500 Internal Server Error: invalid domain "{name}"; must be one of ["other.ts.net"]', ["cert-failed"], 1),
    ("Wrote public cert to {name}.crt\nWrote private key to {name}.key", [], 0),
]


@given(
    st.sampled_from(_NAMES),
    st.sampled_from(_HINTS),
    st.sampled_from(_OUTCOMES),
    st.sampled_from(_PROMPTS),
    st.sampled_from(_SUDO),
    st.sampled_from(["", "--cert-file x.crt --key-file x.key ", "--min-validity=120h "]),
)
@settings(max_examples=80, deadline=None)
def test_the_cert_name_hint_followed_by_the_named_command_is_no_usage_error(
    name: str, hint: str, outcome: tuple[str, list[str], int], prompt: str, sudo: str, flags: str
) -> None:
    assume(_typed(prompt, sudo))
    result, kinds, exit_code = outcome
    text = (
        f"{prompt}{sudo}tailscale cert\nUsage: tailscale cert [flags] <domain>\n{hint.format(name=name)}\n\n"
        f"{prompt}{sudo}tailscale cert {flags}{name}\n{result.format(name=name)}\n"
    )
    # session 13 (corpus 1280): the usage and its name hint, then the named command, are the CLI's answer the user
    # learned the name from, read as such (no `cli-usage` window beside the certificate's outcome, no unread line);
    # session 12 listed it as a resolved usage error with an info finding
    try:
        document = run_json(text)
    except InputError:
        assert exit_code == 2  # only the routine answers: nothing to diagnose, as the written certificate alone
        return
    assert _kinds(document) == kinds
    assert not any(f["rule"] == "TS-CLI-USAGE" for f in document["findings"])
    assert document["warnings"] == []
    assert document["summary"]["exit_code"] == exit_code


@given(st.sampled_from(_NAMES), st.sampled_from(_HINTS), st.sampled_from(_PROMPTS))
@settings(max_examples=30, deadline=None)
def test_the_cert_name_hint_alone_or_not_followed_stays_a_usage_error(name: str, hint: str, prompt: str) -> None:
    hinted = f"{prompt}tailscale cert\nUsage: tailscale cert [flags] <domain>\n{hint.format(name=name)}\n"
    for text in (
        hinted,
        hinted + f"\n{prompt}tailscale cert\n",  # run bare again
        hinted + f"\n{prompt}tailscale cert --help\n",  # a flag, no name
        hinted + f"\n{prompt}tailscale status\n",  # another command
        f"{prompt}tailscale cert {name}\nunexpected output: no delimiter\n" + hinted,  # the name typed before
    ):
        document = run_json(text)
        usage = next(f for f in document["findings"] if f["rule"] == "TS-CLI-USAGE")
        assert usage["severity"] == "error"
        assert "resolved_line" not in usage.get("extra", {})
        assert document["summary"]["exit_code"] == 1


# ------------------------------------------------------------------- `syspolicy list --json | jq …`
_KEYS = ["AdvertiseExitNode", "AlwaysOn.Enabled", "ExitNodeID", "Hostname", "AuthKey", "ManagedByOrganizationName"]
_PATHS = [".Settings.{key}", '.Settings["{key}"]', '.Settings."{key}"', ".Settings?.{key}"]
_JQ = ["jq {path}", "jq '{path}'", "jq -r '{path}'", "jq --indent 4 '{path}'", "jq -C {path}"]
_VALUES: list[object] = ["user-decides", True, False, 30, ["a", "b"], None]
_ORIGINS: list[object] = [
    {"Name": "Platform", "Scope": "Device"},
    {"Scope": "Device"},
    {"Name": "Windows GP", "Scope": "User"},
    None,
]
_SYSPOLICY = [
    "tailscale syspolicy list --json",
    "tailscale syspolicy list -json",
    "tailscale.exe syspolicy list --json",
]


def _item(value: object, error: str | None, origin: object) -> dict[str, object]:
    item: dict[str, object] = {}
    if value is not None:
        item["Value"] = value
    if error:
        item["Error"] = error
    if origin is not None:
        item["Origin"] = origin
    return item or {"Error": "not configured"}


@given(
    st.sampled_from(_KEYS),
    st.sampled_from(_PATHS),
    st.sampled_from(_JQ),
    st.sampled_from(_SYSPOLICY),
    st.sampled_from(_VALUES),
    st.sampled_from([None, "value type mismatch", "unexpected type"]),
    st.sampled_from(_ORIGINS),
    st.sampled_from(_PROMPTS),
    st.sampled_from([2, 4, "\t"]),
)
@settings(max_examples=80, deadline=None)
def test_a_jq_piece_of_one_setting_is_the_syspolicy_list(
    key: str,
    path: str,
    jq: str,
    command: str,
    value: object,
    error: str | None,
    origin: object,
    prompt: str,
    indent: int | str,
) -> None:
    assume("." not in key or '"' in path)  # jq reads `.Settings.AlwaysOn.Enabled` as two members: people quote it
    item = _item(value, error, origin)
    filtered = jq.format(path=path.format(key=key))
    text = f"{prompt}{command} | {filtered}\n{json.dumps(item, indent=indent)}\n"
    document = run_json(text)
    views = [view for view in document["views"] if view["kind"] == "syspolicy-list"]
    assert len(views) == 1
    (policy,) = views[0]["policies"]
    assert policy["name"] == key
    assert policy["error"] == item.get("Error")
    assert views[0]["errors"] == ([key] if "Error" in item else [])
    assert ("TS-SYSPOLICY-ERROR" in _rules(document)) is ("Error" in item)


@given(st.sampled_from(_JQ), st.sampled_from(_SYSPOLICY), st.sets(st.sampled_from(_KEYS), min_size=1, max_size=4))
@settings(max_examples=30, deadline=None)
def test_a_jq_piece_of_the_settings_map_is_the_syspolicy_list(jq: str, command: str, keys: set[str]) -> None:
    settings_map = {key: _item("x", None, {"Name": "Platform", "Scope": "Device"}) for key in keys}
    text = f"$ {command} | {jq.format(path='.Settings')}\n{json.dumps(settings_map, indent=2)}\n"
    (view,) = [view for view in run_json(text)["views"] if view["kind"] == "syspolicy-list"]
    assert sorted(policy["name"] for policy in view["policies"]) == sorted(keys)


@pytest.mark.parametrize(
    "command",
    [
        "",  # no command: a bare {Value, Error, Origin} object is nobody's
        "$ cat policy.json | jq .Settings.AdvertiseExitNode",  # another program's file
        "$ tailscale syspolicy list --json | jq .Settings.AdvertiseExitNode.Origin",  # a member of the item
        "$ tailscale syspolicy list --json | jq .Summary",
        "$ tailscale debug prefs | jq .Settings.AdvertiseExitNode",
    ],
)
def test_other_jq_pieces_are_no_syspolicy_list(command: str) -> None:
    item = {"Value": "user-decides", "Error": "value type mismatch", "Origin": {"Name": "Platform", "Scope": "Device"}}
    text = f"{command}\n{json.dumps(item, indent=2)}\n"
    try:
        document = run_json(text)
    except InputError:  # nothing recognised (exit 2) is the expected answer for most
        return
    assert all(view["kind"] != "syspolicy-list" for view in document["views"])


# ------------------------------------------------------------- bare redaction placeholders in pasted JSON
_PLACEHOLDERS = ["<redacted>", "<REDACTED>", "<hostname>", "<my nas>", "[REDACTED]", "[redacted name]", "REDACTED",
                 "***", "xxxx", "XXX", "...", "…"]  # fmt: skip


@given(
    st.lists(st.sampled_from(["DeviceModel", "Hostname", "Package", "DistroCodeName"]), min_size=1, unique=True),
    st.sampled_from(_PLACEHOLDERS),
    st.sampled_from(["", "tailscale debug hostinfo\n", "$ sudo tailscale debug hostinfo\n"]),
)
@settings(max_examples=60, deadline=None)
def test_hostinfo_with_bare_placeholders_is_still_debug_hostinfo(
    redacted: list[str], placeholder: str, command: str
) -> None:
    hostinfo: dict[str, object] = {
        "IPNVersion": "1.31.72-t027111fb5",
        "OS": "linux",
        "OSVersion": "4.4.180+",
        "Container": False,
        "Distro": "synology",
        "DistroVersion": "7.1",
        "Desktop": True,
        "DeviceModel": "DS920+",
        "Hostname": "mynas",
        "Package": "synology",
        "DistroCodeName": "",
        "GoArch": "amd64",
    }
    lines = json.dumps(hostinfo, indent=2).splitlines()
    marked = [
        line.replace(json.dumps(hostinfo[key]), placeholder) if line.strip().startswith(f'"{key}"') else line
        for line in lines
        for key in [next((k for k in redacted if line.strip().startswith(f'"{k}"')), "")]
    ]
    document = run_json(command + "\n".join(marked) + "\n")
    (view,) = [view for view in document["views"] if view["kind"] == "debug-hostinfo"]
    assert view["version"] == "1.31.72" and view["os"] == "linux" and view["distro"] == "synology"
    assert view["hostname"] == (placeholder if "Hostname" in redacted else "mynas")


_JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=12,
)


@given(_JSON_VALUES, st.sampled_from([None, 2, "\t"]))
@settings(max_examples=200, deadline=None)
def test_valid_json_reads_as_itself(value: object, indent: int | str | None) -> None:
    assert parse_pasted_json(json.dumps(value, indent=indent, ensure_ascii=False)) == value


@pytest.mark.parametrize("text", ['{"a": "<b>", "c": "[REDACTED]"}', '{"a": [1, 2, 3], "b": {"c": []}}'])
def test_quoted_placeholders_and_lists_are_left_alone(text: str) -> None:
    assert quote_bare_placeholders(text) == text


def test_a_placeholder_like_string_in_valid_json_is_not_touched() -> None:
    # only a document that fails as it is gets its placeholders quoted
    assert parse_pasted_json('{"msg": "x: ***, y"}') == {"msg": "x: ***, y"}


# ---------------------------------------------------------- `serve status` TCP annotations, Funnel header
_TLS = ["TLS over TCP, ", "TLS terminated, ", "TLS-terminated TCP, ", ""]
_HTTPS_STATES = ["Funnel on", "tailnet only"]


@given(
    st.sampled_from(_TLS),
    st.sampled_from(["tailnet only", "Funnel on"]),
    st.sampled_from(_HTTPS_STATES),
    st.integers(min_value=1, max_value=65535),
    st.booleans(),
    st.sampled_from(["", "$ tailscale serve status\n", "$ tailscale funnel status\n"]),
)
@settings(max_examples=80, deadline=None)
def test_serve_status_tcp_annotations_of_every_era(
    tls: str, tcp_state: str, https_state: str, port: int, with_http: bool, command: str
) -> None:
    host = "node.tail1234.ts.net"
    funnel_urls = [f"https://{host}"] if https_state == "Funnel on" else []
    if tcp_state == "Funnel on":
        funnel_urls.append(f"tcp://{host}:443")
    tcp_port = 443 if tcp_state == "Funnel on" else port  # Funnel only on its ports: a healthy config
    header = "# Funnel on:\n" + "".join(f"#     - {url}\n" for url in funnel_urls) + "\n" if funnel_urls else ""
    text = (
        f"{command}{header}"
        f"|-- tcp://{host}:{tcp_port} ({tls}{tcp_state})\n|-- tcp://100.65.14.60:{tcp_port}\n"
        f"|-- tcp://[fd7a:115c:a1e0:ab12:4843:cd96:6241:e3c]:{tcp_port}\n|--> tcp://127.0.0.1:22\n\n"
        f"https://{host} ({https_state})\n|-- /    proxy http://127.0.0.1:3000\n|-- /api proxy http://127.0.0.1:4000\n"
    )
    if with_http:
        text += f"\nhttp://node (tailnet only)\nhttp://{host} (tailnet only)\n|-- /foo proxy http://127.0.0.1:3000\n"
    document = run_json(text)
    assert [block["kind"] for block in document["blocks"]] == ["serve-status"]
    (view,) = document["views"]
    served = {entry["url"]: entry["funnel"] for entry in view["served"]}
    assert served[f"tcp://{host}:{tcp_port}"] is (tcp_state == "Funnel on")
    assert served[f"https://{host}"] is (https_state == "Funnel on")
    assert view["funnel_urls"] == funnel_urls
    assert "TS-STATUS-HEALTH" not in _rules(document)
    assert document["summary"]["exit_code"] == 0


@given(st.sampled_from(["https://node.tail1234.ts.net", "tcp://node.tail1234.ts.net:443"]), st.booleans())
@settings(max_examples=10, deadline=None)
def test_status_with_its_funnel_section_reports_no_health_problem(url: str, with_peer: bool) -> None:
    rows = "100.101.102.103  node   me@  linux   -\n"
    if with_peer:
        rows += "100.101.102.104  other  me@  linux   active; direct 1.2.3.4:41641, tx 100 rx 200\n"
    text = f"$ tailscale status\n{rows}\n# Funnel on:\n#     - {url}\n"
    document = run_json(text)
    # the Funnel section is status's own (read with the rows, not skipped), and no health message
    (block,) = document["blocks"]
    assert block["kind"] == "status" and block["last_line"] == len(text.splitlines())
    assert "TS-STATUS-HEALTH" not in _rules(document)
    assert document["summary"]["exit_code"] == 0


@pytest.mark.parametrize(
    "item",
    [
        "not connected to home DERP region 12",
        "Tailscale could not connect to the 'Frankfurt' relay server. Your Internet connection might be down",
        "unexpected state: https://node.tail1234.ts.net not reachable",  # a URL inside a message
    ],
)
def test_health_items_with_the_same_bullet_stay_health(item: str) -> None:
    document = run_json(f"100.101.102.103  node   me@  linux   -\n\n# Health check:\n#     - {item}\n")
    assert _rules(document).get("TS-STATUS-HEALTH") == "warning"
    assert document["summary"]["exit_code"] == 1


# -------------------------------------------------------- `debug peer-status`, the 2023 prototype
_WHATS = [
    ("updateFromNode-DERP", "127.3.3.40:{region}"),
    ("updateFromNode-new-Endpoints", ["{a}", "{b}"]),
    ("handleCallMeMaybe-new-endpoints", ["{a}"]),
    ("handlePongConnLocked-bestAddr-update", "{a}"),
    ("updateFromNode-resetLocked", None),
]


def _change(what: str, to: object, region: int, when: str | None, order: str, with_from: bool) -> dict[str, object]:
    def filled(value: object) -> object:
        if isinstance(value, list):
            return [filled(each) for each in value]
        if isinstance(value, str):
            return value.format(region=region, a="18.217.1.1:53442", b="172.31.16.1:53442")
        return value

    members: dict[str, object] = {}
    if when is not None:
        members["When"] = when
    members["What"] = what
    if with_from:
        members["From"] = ""
    if to is not None:
        members["To"] = filled(to)
    return dict(sorted(members.items())) if order == "sorted" else members


@given(
    st.lists(st.sampled_from(_WHATS), min_size=1, max_size=5),
    st.integers(min_value=1, max_value=99),
    st.sampled_from([None, "2023-02-21T15:56:08.123456789Z"]),
    st.sampled_from(["sorted", "struct"]),
    st.booleans(),
    st.sampled_from([1, 2]),
    st.sampled_from(
        [
            "",
            '2023/02/21 15:56:08 lookup "andrew-arm64-dev" => "100.64.1.2"\n',
            "$ ./tailscale --socket /tmp/tailscaled.usermode.sock debug peer-status andrew-arm64-dev\n"
            '2023/02/21 15:56:08 lookup "andrew-arm64-dev" => "100.64.1.2"\n',
            "$ tailscale debug peer-endpoint-changes 100.64.1.2\n",
        ]
    ),
)
@settings(max_examples=80, deadline=None)
def test_peer_endpoint_changes_with_or_without_when(
    whats: list[tuple[str, object]],
    region: int,
    when: str | None,
    order: str,
    with_from: bool,
    indent: int,
    lead: str,
) -> None:
    changes = [_change(what, to, region, when, order, with_from) for what, to in whats]
    document = run_json(lead + json.dumps(changes, indent=indent) + "\n")
    (view,) = [view for view in document["views"] if view["kind"] == "peer-endpoint-changes"]
    assert view["changes"] == len(changes)
    assert view["derp_regions"] == ([region] if any(w == "updateFromNode-DERP" for w, _ in whats) else [])
    assert view["first"] == when
    assert document["summary"]["exit_code"] == 0


@pytest.mark.parametrize(
    "changes",
    [
        [{"From": "", "To": "127.3.3.40:21", "What": "route"}],  # "What" no magicsock change
        [{"To": "1.2.3.4:80", "Weight": 3}],  # no "What" at all
        [{"From": "a", "To": "b"}],
    ],
)
def test_other_arrays_of_from_to_objects_are_no_endpoint_changes(changes: list[dict[str, object]]) -> None:
    try:
        document = run_json(json.dumps(changes, indent=2) + "\n")
    except InputError:  # nothing recognised: exit 2
        return
    assert all(view["kind"] != "peer-endpoint-changes" for view in document["views"])
