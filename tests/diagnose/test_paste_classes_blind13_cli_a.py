"""Generated tests for the CLI classes blind batch 13 missed (corpus 929, 955, 958, 989), on variants:

- `tailscale up`/`set`'s bare warning "Some peers are advertising routes but --accept-routes is false"
  (health/healthmsg WarnAcceptRoutesOff, cli/up.go checkUpWarnings): kind `accept-routes-off`, a warning;
  the same words as a `#     - ` health item stay `tailscale status` health; output an author commented out
  line by line with `# ` is read without it;
- `tailscale exit-node list` (cli/exitnode.go runExitNodeList/peerStatus): a `selected but offline[, last
  seen …]` row is kind `exit-node-offline`; the table's other rows are not `tailscale status` rows;
- `tailscale serve status` / `funnel status` with an empty config (cli/serve_legacy.go runServeStatus): `No
  serve config`, and `{}` / `null` under `--json`: kind `serve-not-configured`, info;
- systemd failing to start tailscaled's unit (bus-wait-for-jobs "Job for X failed because …"): kind
  `service-not-running`, with systemd's reason named.

Each under the wrappings pastes arrive in: a shell prompt (or none), a Markdown fence, indentation, a quote.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from opskit.core.diagnose.text import split_lines
from opskit.errors import InputError
from tests.diagnose.conftest import run_json

PROMPTS = ["", "$ ", "root@OpenWrt:~# ", "pi@raspberrypi:~ $ ", "# "]
FENCES = [("", ""), ("```\n", "\n```"), ("```console\n", "\n```"), ("```sh\n", "\n````")]
INDENTS = ["", "    ", "\t", "> ", " "]


def _paste(command: str | None, output: list[str], prompt: str, fence: tuple[str, str], indent: str) -> str:
    head = f"{indent}{prompt}{command}\n" if command is not None else ""
    body = "\n".join(indent + line if line else line for line in output)
    return f"{fence[0]}{head}{body}{fence[1]}\n"


def _kinds(document: dict[str, Any]) -> list[str]:
    return [w["kind"] for w in document["windows"]]


def _rules(document: dict[str, Any]) -> list[str]:
    return [f["rule"] for f in document["findings"]]


# ---------------------------------------------------------------------------------------- accept-routes off

ACCEPT_ROUTES = "Some peers are advertising routes but --accept-routes is false"
BEFORE_WARNING = [
    [],
    ["Success."],
    ["", "To authenticate, visit:", "", "\thttps://login.tailscale.com/a/1a336f1e011f47", "", "Success."],
]


@settings(max_examples=60, deadline=None)
@given(
    before=st.sampled_from(BEFORE_WARNING),
    command=st.sampled_from(["sudo tailscale up", "tailscale set --ssh", "tailscale up --advertise-exit-node", None]),
    prompt=st.sampled_from(PROMPTS[:4]),
    fence=st.sampled_from(FENCES),
    indent=st.sampled_from(INDENTS),
    commented=st.booleans(),
)
def test_accept_routes_warning_after_up_is_its_own_kind(
    before: list[str], command: str | None, prompt: str, fence: tuple[str, str], indent: str, commented: bool
) -> None:
    output = [*before, ACCEPT_ROUTES]
    if commented:  # the author showed the output as comments: "# Result", "# Success.", "# Some peers …"
        output = ["# Result", *(f"# {line}" if line else line for line in output)]
    paste = _paste(command, output, prompt, fence, indent)
    document = run_json(paste)
    assert _kinds(document) == ["accept-routes-off"], paste
    assert document["summary"]["exit_code"] == 1, paste  # the advertised subnets are unreachable from here
    assert "TS-CLI-ACCEPT-ROUTES-OFF" in _rules(document), paste


@settings(max_examples=20, deadline=None)
@given(
    header=st.sampled_from(["# Health check:", "# Health check warnings:"]),
    other=st.sampled_from([[], ["#     - not connected to home DERP region 12"]]),
    indent=st.sampled_from(INDENTS[:3]),
)
def test_accept_routes_as_a_health_item_stays_status_health(header: str, other: list[str], indent: str) -> None:
    paste = "\n".join(indent + line for line in [header, *other, f"#     - {ACCEPT_ROUTES}"]) + "\n"
    document = run_json(paste)
    assert "accept-routes-off" not in _kinds(document), paste
    assert any(ACCEPT_ROUTES in h for s in document["statuses"] for h in s["health"]), paste


def test_author_comment_prefix_is_only_taken_off_what_then_reads_as_output() -> None:
    lines = split_lines("# Result\n# Success.\n# tailscale status\n# Health check:\n#     - x\n")
    assert [line.text for line in lines][:2] == ["# Result", "# Success."]  # split_lines keeps the text
    with pytest.raises(InputError):  # nothing but a comment and a success: nothing to diagnose
        run_json("# Result\n# Success.\n")


# ---------------------------------------------------------------------------------------- exit node offline

PLACES = [("-", "-"), ("Sweden", "Any"), ("United States", "New York City"), ("Germany", "Frankfurt am Main")]
IPS = ["100.91.12.34", "100.91.x.xxx", "100.76.xx.xx", "fd7a:115c:a1e0::9b01:5a22", "100.XXXXX"]
LAST_SEEN = ["", ", last seen 3d ago", ", last seen 5m ago"]


def _exit_row(ip: str, host: str, place: tuple[str, str], status: str) -> str:
    return f" {ip:<17}  {host:<36}  {place[0]:<15}  {place[1]:<19}  {status}"


@settings(max_examples=80, deadline=None)
@given(
    ip=st.sampled_from(IPS),
    place=st.sampled_from(PLACES),
    seen=st.sampled_from(LAST_SEEN),
    others=st.lists(st.sampled_from(["-", "offline", "offline, last seen 2h ago"]), max_size=3),
    command=st.sampled_from(
        ["tailscale exit-node list", "tailscale -- exit-node list", "sudo tailscale exit-node list", None]
    ),
    header=st.booleans(),
    hints=st.booleans(),
    prompt=st.sampled_from(PROMPTS[:4]),
    fence=st.sampled_from(FENCES),
    indent=st.sampled_from(["", " ", "    "]),
)
def test_selected_but_offline_exit_node_is_its_own_kind(
    ip: str,
    place: tuple[str, str],
    seen: str,
    others: list[str],
    command: str | None,
    header: bool,
    hints: bool,
    prompt: str,
    fence: tuple[str, str],
    indent: str,
) -> None:
    rows = [_exit_row(f"100.64.0.{n + 2}", f"node{n}.tail1234.ts.net", PLACES[n % 4], s) for n, s in enumerate(others)]
    rows.append(_exit_row(ip, "exit.tail1234.ts.net", place, "selected but offline" + seen))
    head = " IP               HOSTNAME                              COUNTRY          CITY                 STATUS"
    output = ["", head] if header else []
    output += rows
    if hints:
        output += [
            "",
            "# To view the complete list of exit nodes for a country, use `tailscale exit-node list --filter=` "
            "followed by the country name.",
            "# To use an exit node, use `tailscale set --exit-node=` followed by the IP or hostname.",
        ]
    paste = _paste(command, output, prompt if command else "", fence, indent)
    document = run_json(paste)
    assert _kinds(document) == ["exit-node-offline"], paste
    assert document["summary"]["exit_code"] == 1, paste
    findings = [f for f in document["findings"] if f["rule"] == "TS-CLI-EXIT-NODE-OFFLINE"]
    assert len(findings) == 1 and "exit.tail1234.ts.net" in findings[0]["cause"], paste
    if command is not None or header:  # in context the other rows are the exit-node table, not status rows
        assert document["peers"] == [], paste
        assert document["warnings"] == [], paste


@settings(max_examples=30, deadline=None)
@given(status=st.sampled_from(["selected", "-", "offline, last seen 1d ago"]), place=st.sampled_from(PLACES))
def test_exit_node_list_without_an_offline_selection_is_no_finding(status: str, place: tuple[str, str]) -> None:
    paste = "$ tailscale exit-node list\n\n" + _exit_row("100.91.12.34", "exit.tail1234.ts.net", place, status) + "\n"
    document = run_json(paste)
    assert "exit-node-offline" not in _kinds(document), paste
    assert document["peers"] == [], paste  # not read as a status row


# ---------------------------------------------------------------------------------------- serve not configured


@settings(max_examples=60, deadline=None)
@given(
    runner=st.sampled_from(["", "docker exec -it ts-media ", "kubectl exec -it pod/ts -- ", "sudo "]),
    sub=st.sampled_from(["serve", "funnel"]),
    json_flag=st.sampled_from(["-json", "--json", "--json=true"]),
    answer=st.sampled_from(["{}", "null"]),
    text_first=st.booleans(),
    prompt=st.sampled_from(PROMPTS[1:4]),
    fence=st.sampled_from(FENCES),
)
def test_empty_serve_config_is_info(
    runner: str, sub: str, json_flag: str, answer: str, text_first: bool, prompt: str, fence: tuple[str, str]
) -> None:
    plain = f"{prompt}{runner}tailscale {sub} status\nNo serve config\n"
    as_json = f"{prompt}{runner}tailscale {sub} status {json_flag}\n{answer}\n"
    paste = f"{fence[0]}{plain if text_first else ''}{as_json}{fence[1]}\n"
    document = run_json(paste)
    expected = ["serve-not-configured"] * (2 if text_first else 1)
    assert _kinds(document) == expected, paste
    assert document["summary"]["exit_code"] == 0, paste  # an answer: nothing is served
    assert _rules(document) == ["TS-CLI-SERVE-NOT-CONFIGURED"], paste


def test_empty_json_elsewhere_is_not_a_serve_answer() -> None:
    document = run_json("$ tailscale debug prefs\n{}\n$ tailscale status\n100.64.0.1  nas  me@  linux  -\n")
    assert "serve-not-configured" not in _kinds(document)


# ---------------------------------------------------------------------------------------- systemd job failed

RESULTS = [
    ("the control process exited with error code", "exited with an error"),
    ("a timeout was exceeded", "timeout"),
    ("a fatal signal was delivered to the control process", "signal"),
    ("a fatal signal was delivered causing the control process to dump core", "signal"),
    ("start of the service was attempted too often", "too many failed starts"),
    ("of an out-of-memory (OOM) situation", "out-of-memory"),
    ("a configured resource limit was exceeded", "start job failed"),
]
SEE = [
    ' See "systemctl status {u}" and "journalctl -xeu {u}" for details.',
    '\nSee "systemctl status {u}" and "journalctl -xeu {u}" for details.',
    '\nSee "systemctl status {u}" and "journalctl -xe" for details.',
    "",
]


@settings(max_examples=80, deadline=None)
@given(
    result=st.sampled_from(RESULTS),
    unit=st.sampled_from(["tailscaled.service", "tailscale.service", "tailscaled@wg0.service"]),
    see=st.sampled_from(SEE),
    verb=st.sampled_from(["enable --now", "start", "restart"]),
    prompt=st.sampled_from(["$ ", "(deck@steamdeck ~)$ ", "[root@fedora ~]# ", ""]),
    glued=st.booleans(),
    fence=st.sampled_from(FENCES),
)
def test_systemd_job_failed_is_service_not_running_with_the_reason(
    result: tuple[str, str], unit: str, see: str, verb: str, prompt: str, glued: bool, fence: tuple[str, str]
) -> None:
    explanation, meaning = result
    command = f"{prompt}sudo systemctl {verb} {unit.removesuffix('.service')}"
    message = f"Job for {unit} failed because {explanation}.{see.format(u=unit)}"
    paste = f"{fence[0]}{command}{' ' if glued else chr(10)}{message}{fence[1]}\n"
    document = run_json(paste)
    assert _kinds(document) == ["service-not-running"], paste
    assert document["summary"]["exit_code"] == 1, paste
    finding = next(f for f in document["findings"] if f["rule"] == "TS-WIN-SERVICE-NOT-RUNNING")
    assert meaning in finding["cause"] and "journalctl -xeu tailscaled.service" in finding["fix"], paste
    if prompt or glued:  # (a bare `sudo systemctl …` without a prompt is reported as an unread line)
        assert document["warnings"] == [], paste  # the "See …" line belongs to the message


@settings(max_examples=20, deadline=None)
@given(
    line=st.sampled_from(
        [
            ("A dependency job for tailscaled.service failed. See 'journalctl -xe' for details.", "requires failed"),
            ("Failed to start tailscaled.service: Unit tailscaled.service is masked.", "unmask"),
            ('Job for tailscaled.service failed.\nSee "systemctl status tailscaled.service" for details.', "journal"),
        ]
    ),
    prompt=st.sampled_from(["$ ", ""]),
)
def test_systemd_dependency_masked_and_bare_failures(line: tuple[str, str], prompt: str) -> None:
    text, meaning = line
    document = run_json(f"{prompt}sudo systemctl start tailscaled\n{text}\n")
    assert _kinds(document) == ["service-not-running"], text
    finding = next(f for f in document["findings"] if f["rule"] == "TS-WIN-SERVICE-NOT-RUNNING")
    assert meaning in finding["cause"] + finding["fix"], (text, finding)


def test_another_units_job_failing_is_not_tailscaled() -> None:
    paste = (
        "$ sudo systemctl start tailscale-autoconnect\n"
        "Job for tailscale-autoconnect.service failed because the control process exited with error code.\n"
    )
    with pytest.raises(InputError):  # nothing of tailscaled's: nothing to diagnose
        run_json(paste)


@settings(max_examples=40, deadline=None)
@given(
    seen=st.sampled_from(["", ", last seen 3d ago", ", last seen 12m ago"]),
    traffic=st.sampled_from(["", ", tx 1204 rx 880"]),
    owner=st.sampled_from(["me@", "tagged-devices"]),
    indent=st.sampled_from(["", "    ", "> "]),
    prompt=st.sampled_from(["$ tailscale status\n", ""]),
)
def test_status_row_of_an_offline_exit_node_in_use(
    seen: str, traffic: str, owner: str, indent: str, prompt: str
) -> None:
    rows = [
        "100.64.0.1    laptop   me@  linux  -",
        f"100.91.12.34  exit-1   {owner}  linux  idle; exit node; offline{seen}{traffic}",
        "100.91.12.35  nas      me@  linux  idle; offers exit node; offline, last seen 9d ago",
    ]
    paste = prompt + "\n".join(indent + row for row in rows) + "\n"
    document = run_json(paste)
    findings = [f for f in document["findings"] if f["rule"] == "TS-STATUS-EXIT-NODE-OFFLINE"]
    assert len(findings) == 1 and "exit-1" in findings[0]["cause"], paste  # not nas: it only offers one
    assert document["summary"]["exit_code"] == 1, paste


@settings(max_examples=20, deadline=None)
@given(online=st.booleans(), active=st.booleans())
def test_status_json_exit_node_offline_only_when_idle_and_offline(online: bool, active: bool) -> None:
    peer = (
        '{"HostName": "exit-1", "DNSName": "exit-1.tail1234.ts.net.", "OS": "linux", '
        f'"TailscaleIPs": ["100.91.12.34"], "ExitNode": true, "ExitNodeOption": true, "Online": {str(online).lower()}, '
        f'"Active": {str(active).lower()}, "Relay": "fra", "CurAddr": "", "TxBytes": 0, "RxBytes": 0}}'
    )
    paste = (
        '{"Version": "1.80.0", "BackendState": "Running", "Self": {"HostName": "laptop", "OS": "linux", '
        '"TailscaleIPs": ["100.64.0.1"], "Online": true}, "Peer": {"nodekey:abc": ' + peer + "}}\n"
    )
    document = run_json(paste)
    flagged = any(f["rule"] == "TS-STATUS-EXIT-NODE-OFFLINE" for f in document["findings"])
    assert flagged == (not online and not active), paste
