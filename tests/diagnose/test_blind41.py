"""Generated tests for blind batch 41's three misses, read as classes (what a user sees in the JSON).

1. ``Success.`` (corpus 2281): up.go prints it once the login or approval it waited for went through (v1.0+, also
   under ``tailscale login``), switch.go once the account switched to runs (v1.34+), serve/funnel once the feature
   was enabled. As the first thing such a typed command printed it is the ``cli-answer`` view, exit 0, no finding; a
   bare one (prose says it too), one under another command, and the login URL then ``Success.``
   (TS-CLI-LOGIN-SUCCEEDED) read as before.
2. ``tailscale lock status``'s locked-out section (corpus 2283) pasted alone or under an elided head, in every
   wording (v1.34+ "The following nodes are locked out by tailnet lock and cannot connect to other nodes:", the
   2022-11 dev builds' "The following peers … & do not have connectivity:" with ", "-joined addresses), with the
   poster's "..." / "<very long list of exit nodes>" lines: the tailnet-lock-status view, TS-LOCK-PEERS-LOCKED-OUT,
   which says Mullvad's shared-in exit nodes need signing too. The header alone (prose) stays unread.
3. ``daemon_logs[].health`` (corpus 2343): the messages of the health warnables still failing at a log's end, first
   seen first; an ``ok`` later clears one, a new run starts with none, the old "overall" error is split.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from opskit.errors import InputError
from tests.diagnose.conftest import run_json


def _document(text: str) -> dict[str, Any] | None:
    """The JSON document, or None: nothing recognised (exit 2)."""
    try:
        return run_json(text)
    except InputError:
        return None


def _views(document: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [view for view in document.get("views") or [] if view["kind"] == kind]


def _rules(document: dict[str, Any]) -> set[str]:
    return {finding["rule"] for finding in document.get("findings") or []}


# ------------------------------------------------------------------------------------ 1. "Success." answers

_PROMPTS = ("$ ", "pi@raspberrypi:~ $ ", "root@nas:~# ", "PS C:\\Users\\me> ", "> ", "user@host ~ % ")
_RUNNERS = (
    "tailscale",
    "sudo tailscale",
    "/usr/bin/tailscale",
    "tailscale.exe",
    "sudo tailscale --socket=/tmp/ts.sock",
)
_UP_FLAGS = (
    "",
    " --advertise-exit-node",
    " --accept-routes",
    " --ssh",
    " --advertise-routes=192.168.1.0/24",
    " --login-server=https://hs.example.net",
    " --reset --accept-dns=false",
)
# (command, flags, what the view says)
_SAYS = {
    "up": "logged in, settings applied",
    "login": "logged in, settings applied",
    "switch": "switched, the account is connected",
    "serve": "the feature was enabled for the tailnet",
    "funnel": "the feature was enabled for the tailnet",
}
_ARGS = {"up": _UP_FLAGS, "login": _UP_FLAGS, "switch": (" work", " me@example.com"), "serve": (" 3000",),
         "funnel": (" --bg 8080",)}  # fmt: skip


def _wrapped(lines: list[str], wrapper: str) -> str:
    if wrapper == "fence":
        lines = ["```shell", *lines, "```"]
    elif wrapper == "quoted fence":
        lines = [f"> {line}" if line else ">" for line in ["```shell", *lines, "```"]]
    elif wrapper == "blank between":
        lines = [lines[0], "", *lines[1:]]
    return "\n".join(lines) + "\n"


_WRAPPERS = ("bare", "fence", "quoted fence", "blank between")


@settings(max_examples=120, deadline=None)
@given(
    st.sampled_from(sorted(_SAYS)),
    st.data(),
    st.sampled_from(_PROMPTS),
    st.sampled_from(_RUNNERS),
    st.sampled_from(_WRAPPERS),
)
def test_success_as_the_first_answer_of_a_typed_command_is_the_cli_answer_view(
    command: str, data: st.DataObject, prompt: str, runner: str, wrapper: str
) -> None:
    args = data.draw(st.sampled_from(_ARGS[command]))
    document = _document(_wrapped([f"{prompt}{runner} {command}{args}", "Success."], wrapper))
    assert document is not None
    assert document["summary"]["exit_code"] == 0
    assert not document["findings"] and not document["windows"]
    (view,) = _views(document, "cli-answer")
    assert view["commands"] == [command]
    assert [answer["says"] for answer in view["answers"]] == [_SAYS[command]]


@pytest.mark.parametrize("wrapper", _WRAPPERS)
@pytest.mark.parametrize(
    "lines",
    [
        ["Success."],  # bare: prose says it too
        ["It worked. Success."],
        ["$ make install", "Success."],  # another program's answer
        ["$ tailscale set --ssh", "Success."],  # set prints nothing on success: not its answer
        ["$ tailscale status", "Success."],
        ["$ docker compose up -d", "Success."],
        ["Success.", "$ tailscale up"],  # above the prompt: not its answer
    ],
)
def test_success_without_a_command_that_prints_it_stays_unread(lines: list[str], wrapper: str) -> None:
    document = _document(_wrapped(lines, wrapper))
    assert document is None or not _views(document, "cli-answer")


@pytest.mark.parametrize("runner", _RUNNERS[:3])
@pytest.mark.parametrize("command", ["up", "login", "up --ssh"])
def test_login_url_then_success_is_still_the_completed_login(runner: str, command: str) -> None:
    document = _document(
        f"$ {runner} {command}\n\nTo authenticate, visit:\n\n\thttps://login.tailscale.com/a/1a2b3c4d5e6f\n\nSuccess.\n"
    )
    assert document is not None and document["summary"]["exit_code"] == 0
    assert "TS-CLI-LOGIN-SUCCEEDED" in _rules(document)
    assert not _views(document, "cli-answer")


def test_a_refusal_then_success_keeps_the_refusal_reading() -> None:
    text = (
        "$ sudo tailscale up --advertise-exit-node\n"
        "Warning: IP forwarding is disabled, subnet routing/exit nodes will not work.\n"
        "See https://tailscale.com/s/ip-forwarding\n"
        "Success.\n"
    )
    document = _document(text)
    assert document is not None
    assert "ip-forwarding-disabled" in [error["kind"] for error in document["windows"]]
    assert not _views(document, "cli-answer")


# --------------------------------------------------------------------------- 2. the locked-out section alone

_HEADERS = (
    "The following nodes are locked out by tailnet lock and cannot connect to other nodes:",
    "The following nodes are locked out by Tailnet Lock and cannot connect to other nodes:",
    "The following peers are locked out by tailnet lock & do not have connectivity:",
)
_NAMES = ("us-sea-wg-001.mullvad.ts.net.", "jp-tyo-wg-001.mullvad.ts.net.", "laptop.tail1234.ts.net.", "nas.example.")
_CUTS_ABOVE = ((), ("...", "..."), ("[snip]",), ("\u2026",), ("...", "", "..."))
_CUTS_BELOW = ((), ("    ...", "    <very long list of exit nodes>", "    ..."), ("<more nodes>",), ("[...]",))
_LOCK_COMMANDS = (None, "$ tailscale lock", "$ tailscale lock status", "PS C:\\> tailscale.exe lock status")

_row_number = st.integers(min_value=1, max_value=250)


def _row(name: str, number: int, addresses: str, key_digits: int) -> tuple[str, str]:
    key = f"nodekey:{number:0{key_digits}x}"
    v4 = f"100.81.{number % 250}.{(number * 7) % 250}"
    v6 = f"fd7a:115c:a1e0::{number:x}"
    shown = {"v4": v4, "v4,v6": f"{v4},{v6}", "v4, v6": f"{v4}, {v6}"}[addresses]
    return f"\t{name}\t{shown}\tn{number}CNTRL\t{key}", key


@settings(max_examples=120, deadline=None)
@given(
    st.sampled_from(_HEADERS),
    st.lists(st.tuples(st.sampled_from(_NAMES), _row_number), min_size=1, max_size=6, unique_by=lambda r: r[1]),
    st.sampled_from(("v4", "v4,v6", "v4, v6")),
    st.sampled_from((64, 65)),
    st.sampled_from(_CUTS_ABOVE),
    st.sampled_from(_CUTS_BELOW),
    st.sampled_from(_LOCK_COMMANDS),
    st.booleans(),
)
def test_the_locked_out_section_alone_is_the_lock_status_view(
    header: str,
    rows: list[tuple[str, int]],
    addresses: str,
    key_digits: int,
    above: tuple[str, ...],
    below: tuple[str, ...],
    command: str | None,
    fenced: bool,
) -> None:
    printed = [_row(name, number, addresses, key_digits) for name, number in rows]
    lines = [*([command, ""] if command else []), *above, "", header, *(row for row, _ in printed), *below]
    text = "\n".join(["```bash", *lines, "```"] if fenced else lines) + "\n"
    document = _document(text)
    assert document is not None
    assert document["summary"]["exit_code"] == 1
    assert len(_views(document, "tailnet-lock-status")) == 1
    (lock,) = document["tailnet_locks"]
    assert lock["enabled"] is True
    assert [node["node_key"] for node in lock["locked_out"]] == [key for _, key in printed]
    assert [node["name"] for node in lock["locked_out"]] == [name for name, _ in rows]
    assert all(len(node["addresses"]) == (1 if addresses == "v4" else 2) for node in lock["locked_out"])
    (finding,) = [f for f in document["findings"] if f["rule"] == "TS-LOCK-PEERS-LOCKED-OUT"]
    assert f"tailscale lock sign {printed[0][1]}" in finding["fix"]
    assert ("Mullvad exit nodes" in finding["fix"]) is any(name.endswith(".mullvad.ts.net.") for name, _ in rows)
    assert not any(error["kind"] == "tailnet-lock-failed" for error in document["windows"] or [])


@pytest.mark.parametrize("header", _HEADERS)
@pytest.mark.parametrize(
    "after",
    [
        [],
        ["my laptop and my NAS, I think."],
        ["...", "<very long list of exit nodes>"],
        ["", "", "", "", "", "\tlaptop\t100.64.0.1\tnX\tnodekey:0123"],  # a row too far below to be its own
        ["$ tailscale status", "\tlaptop\t100.64.0.1\tnX\tnodekey:0123"],
    ],
)
def test_the_header_without_its_rows_stays_unread(header: str, after: list[str]) -> None:
    document = _document("\n".join(["Then it said:", header, *after]) + "\n")
    assert document is None or not _views(document, "tailnet-lock-status")


def test_a_whole_report_reads_past_a_cut_amid_it() -> None:
    text = (
        "$ tailscale lock status\nTailnet lock is ENABLED.\n\n"
        "This node is accessible under tailnet lock. Node signature:\nSigKind: direct\n...\n\n"
        f"{_HEADERS[0]}\n\tlaptop.tail1234.ts.net.\t100.64.0.9\tnQ9CNTRL\tnodekey:{9:064x}\n"
    )
    document = _document(text)
    assert document is not None
    (lock,) = document["tailnet_locks"]
    assert lock["node_signed"] is True and [node["name"] for node in lock["locked_out"]] == ["laptop.tail1234.ts.net."]
    (finding,) = [f for f in document["findings"] if f["rule"] == "TS-LOCK-PEERS-LOCKED-OUT"]
    assert "Mullvad" not in finding["fix"]


# ------------------------------------------------------------------------------- 3. daemon_logs[].health

# (warnable, message) as health/warnings.go words them
_WARNABLES = (
    (
        "not-in-map-poll",
        "Unable to connect to the Tailscale coordination server to synchronize the state of your tailnet. Peer "
        "reachability might degrade over time.",
    ),
    ("no-derp-home", "Tailscale could not connect to any relay server. Check your Internet connection."),
    ("network-status", "Tailscale cannot connect because the network is down. Check your Internet connection."),
    ("no-udp4-bind", "Tailscale couldn't listen for incoming UDP connections."),
    ("wantrunning-false", "Tailscale is stopped."),
)
_FORMS = ("health(warnable={name}): {state}", 'health("{name}"): {state}')
_ROUTINE = (
    "control: mapRoutine: state:authenticated",
    "magicsock: disco: node [abcde] d:1234567890abcdef now using 192.168.1.20:41641",
    "Received error: PollNetMap: initial fetch failed 404: node not found",
    "netmap packet filter: (not ready yet)",
)


def _stamp(second: int) -> str:
    return f"2025/03/09 22:{second // 60:02d}:{second % 60:02d}"


def _health_line(form: str, name: str, message: str | None) -> str:
    return form.format(name=name, state="ok" if message is None else f"error: {message}")


@settings(max_examples=120, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, len(_WARNABLES) - 1), st.booleans()), min_size=1, max_size=8),
    st.sampled_from(_FORMS),
    st.integers(min_value=0, max_value=len(_ROUTINE) - 1),
)
def test_health_lists_the_warnables_still_failing_at_the_end(
    steps: list[tuple[int, bool]], form: str, routine: int
) -> None:
    lines = [f"{_stamp(0)} {_ROUTINE[routine]}"]
    failing: dict[str, str] = {}  # the expectation, in the order first seen (a re-raised one keeps its place)
    for second, (which, ok) in enumerate(steps, start=1):
        name, message = _WARNABLES[which]
        lines.append(f"{_stamp(second)} {_health_line(form, name, None if ok else message)}")
        lines.append(f"{_stamp(second)} {_ROUTINE[(routine + second) % len(_ROUTINE)]}")
        if ok:
            failing.pop(name, None)
        else:
            failing.setdefault(name, message)
    document = _document("\n".join(lines) + "\n")
    assert document is not None
    (log,) = document["daemon_logs"]
    assert log["health"] == list(failing.values())


def test_the_old_overall_error_is_split_and_cleared_by_its_ok() -> None:
    joined = 'health("overall"): error: multiple errors:\n\tnot in map poll\n\tno DERP home'
    text = "\n".join([f"{_stamp(1)} {_ROUTINE[0]}", f"{_stamp(2)} {joined}"]) + "\n"
    document = _document(text)
    assert document is not None
    assert document["daemon_logs"][0]["health"] == ["not in map poll", "no DERP home"]
    document = _document(text + f'{_stamp(3)} health("overall"): ok\n')
    assert document is not None and document["daemon_logs"][0]["health"] == []


def test_a_new_run_starts_with_no_failing_warnable() -> None:
    name, message = _WARNABLES[0]
    text = "\n".join(
        [
            f"{_stamp(1)} {_health_line(_FORMS[0], name, message)}",
            f'{_stamp(2)} Program starting: v1.80.2-t1234abcd, Go 1.23.4: []string{{"tailscaled"}}',
            f"{_stamp(3)} {_ROUTINE[0]}",
        ]
    )
    document = _document(text + "\n")
    assert document is not None and document["daemon_logs"][-1]["health"] == []


@pytest.mark.parametrize(
    "line",
    [
        "health(warnable=warming-up): error: Tailscale is starting. Please wait.",  # start-up, clears itself
        "control: client.Login(false, 0)",
        "the health check said: error: not in map poll",  # prose quoting a health message
    ],
)
def test_lines_that_are_no_failing_warnable_leave_health_empty(line: str) -> None:
    document = _document(f"{_stamp(1)} {_ROUTINE[0]}\n{_stamp(2)} {line}\n{_stamp(3)} {_ROUTINE[1]}\n")
    assert document is not None and document["daemon_logs"][0]["health"] == []
