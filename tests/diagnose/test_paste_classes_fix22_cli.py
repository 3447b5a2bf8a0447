"""Generated tests for blind batch 22's CLI/GUI classes (corpus 554, 518, 615, 616, 519).

- LocalAPI's Taildrop endpoints answer a caller without write permission 403 "file access denied"
  (feature/taildrop/localapi.go: file-put, files, waiting files): a permission refusal of the calling user
  (unix-access-denied), whichever program asked (the CLI, a tray app such as Trayscale) and whichever Taildrop
  endpoint; not a failed transfer (corpus 554).
- The control server's "file sharing not enabled by Tailscale admin" (feature/taildrop/ext.go) as users
  retell it, with or without "Tailscale", after "403 forbidden" (corpus 518): taildrop-failed.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from opskit.errors import InputError
from tests.diagnose.conftest import run_json

STAMPS = ["", "2023/08/20 20:48:08 ", "2023-08-20T20:48:08.123Z ", "time=2023-08-20T20:48:08Z level=ERROR "]
ACCESS_DENIED_LINES = [
    'ERROR get waiting files err="Access denied: file access denied"',
    'msg="get waiting files" err="Access denied: file access denied"',
    "403 Forbidden: file access denied",
    "Access denied: file access denied",
    "getting WaitingFiles: 403 Forbidden: file access denied",
    "getting WaitingFiles: Access denied: file access denied",
    "fetchFiles: 403 Forbidden: file access denied",
    "ERROR: get files: Access denied: file access denied",
]
WRAPS = ["{m}", "```\n{m}\n```", "`{m}`", "Launching Trayscale gets the following error:\n\n{m}", "> {m}"]
NOT_A_TRANSFER = {"taildrop-failed", "service-not-running", "pipe-missing", "backend-error"}


@given(st.sampled_from(STAMPS), st.sampled_from(ACCESS_DENIED_LINES), st.sampled_from(WRAPS))
@settings(max_examples=80, deadline=None)
def test_taildrop_file_access_denied_is_a_permission_refusal(stamp: str, line: str, wrap: str) -> None:
    text = wrap.format(m=stamp + line) + "\n"
    document = run_json(text)
    kinds = [error["kind"] for error in document["windows"] or []]
    assert "unix-access-denied" in kinds and not NOT_A_TRANSFER & set(kinds), (kinds, text)
    causes = [f["cause"] for f in document["findings"] if f["rule"] == "TS-LOCALAPI-ACCESS-DENIED"]
    assert causes and "Taildrop" in causes[0] and "operator" in causes[0], causes
    assert document["summary"]["exit_code"] == 1


SHARING_OFF = [
    "403 forbidden file sharing not enabled by admin",
    "403 Forbidden: file sharing not enabled by admin",
    "500 Internal Server Error: file sharing not enabled by Tailscale admin",
    "can't send to phone: file sharing not enabled by Tailscale admin",
    "file sharing not enabled by Tailscale admin",
]
PROSE = [
    "{m}",
    'seeing this error when sending a file from windows to android tailscale "{m}"',
    "I get `{m}` when I send a file",
    "```\n{m}\n```",
]


@given(st.sampled_from(SHARING_OFF), st.sampled_from(PROSE))
@settings(max_examples=40, deadline=None)
def test_file_sharing_not_enabled_by_admin_is_taildrop_failed(message: str, prose: str) -> None:
    text = prose.format(m=message) + "\n"
    document = run_json(text)
    kinds = [error["kind"] for error in document["windows"] or []]
    assert kinds == ["taildrop-failed"], (kinds, text)
    causes = [f["cause"] for f in document["findings"] if f["rule"] == "TS-CLI-TAILDROP-FAILED"]
    assert causes and "file sharing" in causes[0], causes


def test_prose_about_access_denied_files_is_not_the_localapi_refusal() -> None:
    # Without LocalAPI's exact body nothing is claimed: "file access" in prose is no refusal.
    with pytest.raises(InputError):
        run_json("the NAS share gives me file access; is Taildrop denied here?\n")


# The VS Code extension's notification "unable to fetch status ${e.message}" (src/node-explorer-provider.ts): the
# JSON parse error of its helper's non-JSON answer, worded by each Node/V8 version, or fetch failing outright.
FETCH_ERRORS = [
    'Unexpected token \'G\', "Get "http:"... is not valid JSON',
    "Unexpected token G in JSON at position 0",
    'SyntaxError: Unexpected token \'G\', "Get "http:"... is not valid JSON',
    "Unexpected end of JSON input",
    "fetch failed",
    "TypeError: fetch failed",
    "request to http://127.0.0.1:45678/peers failed, reason: connect ECONNREFUSED 127.0.0.1:45678",
]
NOTIFICATION = [
    "unable to fetch status {e}",
    "`unable to fetch status {e}\nSource:Tailscale`",
    "VS Code shows:\n```\nunable to fetch status {e}\nSource: Tailscale (Extension)\n```",
    "> unable to fetch status {e}",
]


@given(st.sampled_from(FETCH_ERRORS), st.sampled_from(NOTIFICATION))
@settings(max_examples=40, deadline=None)
def test_vscode_unable_to_fetch_status_is_the_front_end_cut_off(error: str, notification: str) -> None:
    text = notification.format(e=error) + "\n"
    document = run_json(text)
    kinds = [e["kind"] for e in document["windows"] or []]
    assert kinds == ["gui-cannot-connect"], (kinds, text)
    causes = [f["cause"] for f in document["findings"]]
    assert any("VS Code extension" in cause and "tsrelay" in cause for cause in causes), causes


def test_prose_saying_unable_to_fetch_status_is_not_the_notification() -> None:
    # Without the extension's error text after it, the words are prose about anything.
    with pytest.raises(InputError):
        run_json("the dashboard says unable to fetch status of the tailnet\n")


# The admin console's route settings of a machine offering no exit node, as front ends and users quote it.
NOT_ADVERTISED = [
    "This device does not advertise itself as an exit node. Re-run tailscale up with the --advertise-exit-node "
    "flag to enable this option.",
    "This machine does not advertise itself as an exit node.",
    "Re-run tailscale up with the --advertise-exit-node flag to enable this option.",
    "Exit node\nThis device does not advertise itself as an exit node.\nRe-run tailscale up with the "
    "--advertise-exit-node flag to enable this option.",
]
QUOTES = [
    "{m}",
    '`"{m}"`',
    "is there any way to use it as an exit node? I get this error shown in tailscale:\n\n`{m}`",
    "```\n{m}\n```",
    "> {m}",
]


@given(st.sampled_from(NOT_ADVERTISED), st.sampled_from(QUOTES))
@settings(max_examples=40, deadline=None)
def test_a_node_that_does_not_advertise_an_exit_node_is_named(message: str, quote: str) -> None:
    text = quote.format(m=message) + "\n"
    document = run_json(text)
    kinds = {e["kind"] for e in document["windows"] or []}
    assert kinds == {"exit-node-not-advertised"}, (kinds, text)
    findings = [f for f in document["findings"] if f["rule"] == "TS-EXIT-NODE-NOT-ADVERTISED"]
    assert len(findings) == 1 and "--advertise-exit-node" in findings[0]["fix"], findings
    assert findings[0]["severity"] == "warning" and document["summary"]["exit_code"] == 1
    assert not {"TS-EXIT-NODE-REFUSED", "TS-WIN-SERVICE-NOT-RUNNING"} & {f["rule"] for f in document["findings"]}


@pytest.mark.parametrize(
    "prose",
    [
        "no exit node is selected and CT104 does not advertise itself as an exit node;\n",
        "- **Nothing else**: the device does not advertise itself as an exit node.\n",
        "this router intentionally does NOT advertise itself as an exit node.\n",
    ],
)
def test_prose_saying_a_node_offers_no_exit_node_is_not_the_console_message(prose: str) -> None:
    with pytest.raises(InputError):
        run_json(prose)


def test_using_an_exit_node_that_offers_none_stays_exit_node_refused() -> None:
    text = '$ tailscale set --exit-node=nas\nnode "nas" is not advertising an exit node\n'
    assert {e["kind"] for e in run_json(text)["windows"]} == {"exit-node-refused"}


# `tailscale file cp`'s progress line (cmd/tailscale/cli/file.go progressPrinter): "%-36s    %10s    %12s" then
# "    %7s    ETA hh:mm:ss" when the size is known; sizes by formatIEC.
SIZES = ["0.00B", "512.00B", "3.25KiB", "1.89KiB", "12.00MiB", "1023.00MiB", "4.10GiB"]
NAMES = ["6408b7c731ea2b7e9bc2e0b3_webclip.png", "photo.jpg", "a", "report 2024 final.pdf", "x" * 40]


def _progress_line(name: str, sent: str, rate: str, percent: float, eta: str) -> str:
    return f"{name:<36}    {sent:>10}    {rate + '/s':>12}    {f'{percent:.2f}%':>7}    {eta}"


@given(
    st.sampled_from(NAMES),
    st.sampled_from(SIZES),
    st.sampled_from(SIZES),
    st.sampled_from(["ETA 00:00:00", "ETA -", "ETA 01:02:03"]),
    st.sampled_from(["$ tailscale file cp ./{n} flip:\n", "tailscale file cp ./{n} flip:\n", ""]),
    st.sampled_from([("```zsh\n", "```\n"), ("", ""), ("    ", "")]),
)
@settings(max_examples=60, deadline=None)
def test_a_finished_file_cp_is_a_note(
    name: str, sent: str, rate: str, eta: str, prompt: str, fence: tuple[str, str]
) -> None:
    line = _progress_line(name, sent, rate, 100.0, eta)
    indent = fence[0] if fence[0].isspace() else ""
    head = fence[0] if not indent else ""
    text = head + indent + prompt.format(n=name) + indent + line + "\n" + fence[1]
    document = run_json(text)
    assert [b["kind"] for b in document["blocks"]] == ["file-cp-progress"], text
    (view,) = document["views"]
    assert view["file"] == name and view["sent"] == sent and view["percent"] == 100.0, view
    assert [f["rule"] for f in document["findings"]] == ["TS-FILE-CP-PROGRESS"]
    assert document["summary"]["exit_code"] == 0


@given(st.sampled_from(NAMES), st.sampled_from(SIZES), st.floats(min_value=0, max_value=99.99))
@settings(max_examples=40, deadline=None)
def test_a_file_cp_that_stopped_short_is_a_warning(name: str, sent: str, percent: float) -> None:
    text = f"$ tailscale file cp {name} nas:\n" + _progress_line(name, sent, "0.00B", percent, "ETA -") + "\n"
    document = run_json(text)
    rules = [f["rule"] for f in document["findings"]]
    if f"{percent:.2f}" == "100.00":
        return  # rounds up to a finished send
    assert rules == ["TS-FILE-CP-INCOMPLETE"], (rules, text)
    assert document["summary"]["exit_code"] == 1


def test_a_bare_size_and_rate_line_without_its_command_is_no_progress_line() -> None:
    with pytest.raises(InputError):
        run_json("backup.tar       3.25KiB       1.89KiB/s\n")


def test_an_error_after_the_progress_line_is_read_too() -> None:
    text = (
        "$ tailscale file cp a.txt nas:\n"
        + _progress_line("a.txt", "1.00KiB", "0.00B", 40.0, "ETA -")
        + "\ncan't send to nas: target seems to be running an old Tailscale version\n"
    )
    document = run_json(text)
    assert "taildrop-failed" in {w["kind"] for w in document["windows"] or []}
