"""Generated tests for the log issue ``tunnel-start-failed`` (blind batch 18: 422).

The macOS/iOS app's tunnel is a Network Extension the system starts from the app's VPN configuration; when the
system fails to start it, the app logs the connection's new last disconnect error, in the user's language:
'Last disconnect error for Tailscale Tunnel changed from "none" to "<Apple's message>"'. Proven under the
Console copy and `log show` layouts, any process column the app's lines carry, any message language, and with
its resolution (the error back to "none", the extension's Go side starting and getting further); another VPN's
configuration and a change to "none" alone are no issue.
"""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from opskit.output.diagnose import to_json
from tests.diagnose.conftest import run_text

PREFIXES = [
    "{level}\t01:15:19.456599+0200\t{process}\t{msg}",
    "{level}\t01:15:19.456599+0200\t{process}\t {msg}",
    "2023-05-27 01:02:04.758978-0400 0xba326    Default     0x0                  19332  0    {process}: {msg}",
    "2023-05-27 01:02:04.758978-0400  localhost {process}[19332]: {msg}",
]
PROCESSES = ["Tailscale", "IPNExtension", "io.tailscale.ipn.macos.network-extension"]
LEVELS = ["default", "error", "fault"]
# Apple's message as the user's language words it (the English and Swedish ones are as pasted; any text counts)
ERRORS = [
    "The VPN session failed because an internal error occurred.",
    "VPN-sessionen misslyckades eftersom ett internt fel inträffade.",
    "The VPN session failed because the VPN configuration is invalid.",
    "La session VPN a échoué en raison d'une erreur interne.",
]
NAMES = ["Tailscale Tunnel", "Tailscale"]
# the Console rows around it in the pasted excerpt (the app's own lines, the session manager's)
AROUND = [
    "Successfully saved configuration Tailscale Tunnel",
    "NOGO-LOG: BackendClient.go; state=<disconnected>",
    "Received a com.apple.neconfigurationchanged notification with token 44",
]


def _document(lines: list[str]) -> dict[str, Any]:
    diagnosis = run_text("\n".join(lines) + "\n")
    return to_json(diagnosis, 1 if diagnosis.has_problems else 0)


def _kinds(document: dict[str, Any]) -> set[str]:
    return {issue["kind"] for log in document["daemon_logs"] for issue in log["issues"]}


def _row(prefix: str, level: str, process: str, msg: str) -> str:
    return prefix.format(level=level, process=process, msg=msg)


def _change(name: str, before: str, after: str) -> str:
    return f'Last disconnect error for {name} changed from "{before}" to "{after}"'


@given(
    st.sampled_from(PREFIXES),
    st.sampled_from(LEVELS),
    st.sampled_from(PROCESSES),
    st.sampled_from(NAMES),
    st.sampled_from(ERRORS),
    st.sampled_from(["none", ERRORS[0]]),
    st.lists(st.sampled_from(AROUND), max_size=3),
)
@settings(max_examples=80, deadline=None)
def test_a_new_last_disconnect_error_is_tunnel_start_failed(
    prefix: str, level: str, process: str, name: str, error: str, before: str, around: list[str]
) -> None:
    lines = [_row(prefix, level, process, m) for m in [*around, _change(name, before, error), *around]]
    document = _document(lines)
    assert "tunnel-start-failed" in _kinds(document)
    assert document["summary"]["exit_code"] == 1
    (log,) = document["daemon_logs"]
    assert log["os"] == "macos"
    rules = {finding["rule"] for finding in document["findings"]}
    assert "TS-LOG-TUNNEL-START-FAILED" in rules
    # the tunnel never started: not a login, control, DERP or crash problem
    assert _kinds(document) & {"crash", "login-required", "control-unreachable", "derp-unreachable"} == set()


@given(
    st.sampled_from(PREFIXES),
    st.sampled_from(PROCESSES),
    st.sampled_from(ERRORS),
    st.sampled_from(
        [
            _change("Tailscale Tunnel", "{error}", "none"),
            "goSetupLogs initializing; version 1.32.2\n"
            "Switching ipn state Starting -> Running (WantRunning=true, nm=true)",
        ]
    ),
)
@settings(max_examples=40, deadline=None)
def test_the_error_back_to_none_or_the_extension_starting_clears_it(
    prefix: str, process: str, error: str, later: str
) -> None:
    lines = [_row(prefix, "default", process, _change("Tailscale Tunnel", "none", error))]
    lines += [_row(prefix, "default", process, m) for m in later.replace("{error}", error).split("\n")]
    assert "tunnel-start-failed" not in _kinds(_document(lines))


@given(st.sampled_from(PREFIXES), st.sampled_from(ERRORS), st.sampled_from(["WireGuard", "Corp VPN", "IKEv2 Office"]))
@settings(max_examples=30, deadline=None)
def test_another_vpns_disconnect_error_is_not_tailscales(prefix: str, error: str, name: str) -> None:
    lines = [
        _row(prefix, "default", "Tailscale", AROUND[1]),
        _row(prefix, "default", "Tailscale", _change(name, "none", error)),
    ]
    assert "tunnel-start-failed" not in _kinds(_document(lines))
