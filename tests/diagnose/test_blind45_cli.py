"""Generated tests for blind batch 45's CLI/GUI misses, read as classes (what a user sees in the JSON document).

1. The netcheck CLI's own "No DERP map from tailscaled; using default." (tailscaled has no netmap from control):
   alone a netcheck with a problem (TS-NETCHECK-NO-DERP-MAP); before a report, that report's caveat; before the
   CLI's own fetch failing, derpmap-fetch-failed alone.
2. The device web client's 401 "must access over tailscale" (client/web authorizeRequest), with or without the
   "not authorized" after it: web-client-not-over-tailscale. "not authorized" alone and prose are not claimed.
3. The Windows GUI's "Tailscale service stopped." box and the Service Control Manager's dialogs / event texts about
   the Tailscale service: service-not-running with the Windows reading (tailscaled.exe exited), not a log.
4. Control's "key cannot be used for node auth" (an OAuth client secret given as an auth key), in a plain log line or
   inside a zap/logrus/slog JSON wrapper (its opening brace cut or not): auth-key-rejected, never control-unreachable.
"""

from __future__ import annotations

from typing import Any

import pytest

from opskit.errors import InputError
from tests.diagnose.conftest import run_json


def _document(text: str) -> dict[str, Any]:
    try:
        return run_json(text)
    except InputError:
        return {"summary": {"exit_code": 2}, "windows": [], "findings": [], "blocks": [], "daemon_logs": []}


def _windows(document: dict[str, Any]) -> list[str]:
    return [error["kind"] for error in document.get("windows") or []]


def _rules(document: dict[str, Any]) -> set[str]:
    return {finding["rule"] for finding in document["findings"]}


def _blocks(document: dict[str, Any]) -> set[str]:
    return {block["kind"] for block in document.get("blocks") or []}


def _log_issues(document: dict[str, Any]) -> set[str]:
    return {issue["kind"] for log in document.get("daemon_logs") or [] for issue in log.get("issues") or []}


def _text(document: dict[str, Any]) -> str:
    return " ".join(f"{finding['cause']} {finding['fix']}" for finding in document["findings"])


_FENCES = (("", ""), ("```\n", "\n```"), ("```console\n", "\n```"))

# ------------------------------------------------------------------ 1. netcheck: no DERP map from tailscaled

_NO_MAP = "No DERP map from tailscaled; using default."
_NETCHECK_PROMPTS = (
    "",
    "$ tailscale netcheck\n",
    "$ tailscale netcheck (with tailscale enabled)\n",
    "PS C:\\Users\\me> tailscale netcheck\n",
    "/ # tailscale netcheck --verbose\n",
)
_STAMPS = ("", "2023/06/26 13:53:49 ", "2026/04/27 20:13:10.123456 ")
_REPORT = """
Report:
\t* Time: 2026-04-27T20:13:13.308556251Z
\t* UDP: true
\t* IPv4: yes, 203.0.113.9:41641
\t* IPv6: no, but OS has support
\t* MappingVariesByDestIP: false
\t* PortMapping:
\t* CaptivePortal: false
\t* Nearest DERP: Frankfurt
\t* DERP latency:
\t\t- fra: 17.6ms  (Frankfurt)
\t\t- ams: 25.5ms  (Amsterdam)
\t\t- par: 26.3ms  (Paris)"""


@pytest.mark.parametrize("prompt", _NETCHECK_PROMPTS)
@pytest.mark.parametrize("stamp", _STAMPS)
@pytest.mark.parametrize("fence", _FENCES)
def test_no_derp_map_alone_is_a_netcheck_saying_the_node_has_no_netmap(
    prompt: str, stamp: str, fence: tuple[str, str]
) -> None:
    text = f"{fence[0]}{prompt}{stamp}{_NO_MAP}{fence[1]}\n"
    document = _document(text)
    assert document["summary"]["exit_code"] == 1, text
    assert "netcheck" in _blocks(document), text
    assert _rules(document) == {"TS-NETCHECK-NO-DERP-MAP"}, text
    assert "no network map from the coordination server" in _text(document)
    assert "captive portal" in _text(document)


@pytest.mark.parametrize("stamp", _STAMPS)
@pytest.mark.parametrize(
    "between", ("", "2026/04/27 20:13:10 attempting to fetch a DERPMap from https://controlplane.tailscale.com\n")
)
def test_a_report_after_no_derp_map_is_read_as_usual_with_the_caveat(stamp: str, between: str) -> None:
    text = f"$ tailscale netcheck\n{stamp}{_NO_MAP}\n{between}{_REPORT}\n"
    document = _document(text)
    rules = _rules(document)
    assert "TS-NETCHECK-NO-DERP-MAP-CAVEAT" in rules, text
    assert "TS-NETCHECK-NO-DERP-MAP" not in rules
    node = document["nodes"][0]
    assert node["udp"] is True and node["derp_home"] == "Frankfurt", text


@pytest.mark.parametrize(
    "failure",
    (
        'fetch prodDERPMap failed: Get "https://controlplane.tailscale.com/derpmap/default": dial tcp: lookup '
        "controlplane.tailscale.com on 100.115.92.193:53: read udp: i/o timeout",
        "fetch prodDERPMap: 502 Bad Gateway: upstream error",
    ),
)
def test_no_derp_map_then_the_fetch_failing_stays_derpmap_fetch_failed_alone(failure: str) -> None:
    text = f"$ tailscale netcheck\n2023/06/26 13:53:49 {_NO_MAP}\n{failure}\n"
    document = _document(text)
    assert _windows(document) == ["derpmap-fetch-failed"], text
    assert "TS-NETCHECK-NO-DERP-MAP" not in _rules(document)


@pytest.mark.parametrize(
    "line",
    (
        "I saw 'No DERP map from tailscaled' yesterday but it went away",
        "No DERP map from tailscaled; using default. Then it hung and I had to press Ctrl-C",
        "no derp map",
    ),
)
def test_prose_about_the_line_is_not_a_netcheck(line: str) -> None:
    document = _document(f"{line}\n")
    assert "netcheck" not in _blocks(document), line
    assert "TS-NETCHECK-NO-DERP-MAP" not in _rules(document)


# ------------------------------------------------------------------ 2. the device web client refusing a LAN browser

_WEB_BODIES = (
    "must access over tailscale\nnot authorized",
    "must access over tailscale",
    "must access over Tailscale",
    "HTTP/1.1 401 Unauthorized: must access over tailscale",
    "401 must access over tailscale",
    "> must access over tailscale",
    "`must access over tailscale`",
)
_WEB_PROMPTS = ("", "$ curl http://100.64.0.2:5252/api/data\n", "root@OpenWrt:~# curl -s 192.168.1.1:5252/api/data\n")


@pytest.mark.parametrize("body", _WEB_BODIES)
@pytest.mark.parametrize("prompt", _WEB_PROMPTS)
@pytest.mark.parametrize("fence", _FENCES)
def test_must_access_over_tailscale_is_web_client_not_over_tailscale(
    body: str, prompt: str, fence: tuple[str, str]
) -> None:
    text = f"{prompt}{fence[0]}{body}{fence[1]}\n"
    document = _document(text)
    assert _windows(document) == ["web-client-not-over-tailscale"], text
    assert document["summary"]["exit_code"] == 1
    assert "TS-WEB-CLIENT-NOT-OVER-TAILSCALE" in _rules(document)
    assert "tailscale web --listen" in _text(document)


@pytest.mark.parametrize(
    "line",
    (
        "not authorized",
        "401 not authorized",
        "You must access it over Tailscale from your phone, right?",
        "Users must access over tailscale or over the VPN, whichever is up.",
        "no valid session",
    ),
)
def test_generic_refusals_and_prose_are_not_claimed(line: str) -> None:
    document = _document(f"```\n{line}\n```\n")
    assert "web-client-not-over-tailscale" not in _windows(document), line


# ------------------------------------------------------------------ 3. Windows: the Tailscale service stopped

_GUI_BOX = """---------------------------
Tailscale Error
---------------------------
Tailscale service stopped.

Version {version}

LogID: f58e11d9b96dc7b5813eb4e920ba18fe09073b1246cd8e617dae98f7d6535a8f
(Ctrl-C to copy this text)

---------------------------
OK
---------------------------"""
_SCM_STARTED_STOPPED = (
    "The Tailscale service on Local Computer started and then stopped.\n"
    "Some services stop automatically if they are not in use by other services or programs."
)
_SCM_COULD_NOT_START = "Windows could not start the Tailscale service on Local Computer\nError {code}"
_SCM_CODES = (
    "1067: The process terminated unexpectedly.",
    "1053: The service did not respond to the start or control request in a timely fashion.",
    "5: Access is denied.",
    "1068: The dependency service or group failed to start.",
)
_EVENTS = (
    "The Tailscale service terminated unexpectedly.  It has done this 3 time(s).",
    "The Tailscale service terminated with the following error: The process terminated unexpectedly.",
    "The Tailscale service failed to start due to the following error: Access is denied.",
    "The Tailscale service terminated with service-specific error Incorrect function..",
)


@pytest.mark.parametrize("version", ("1.8.5 (t118cf0cd7-gc6fd9c9d5)", "1.32.3 (tdc3e3b3ac-g2cbb0c8f4)"))
@pytest.mark.parametrize("code", _SCM_CODES)
@pytest.mark.parametrize("fence", _FENCES[:2])
def test_gui_box_and_scm_dialogs_are_service_not_running(version: str, code: str, fence: tuple[str, str]) -> None:
    parts = (_GUI_BOX.format(version=version), _SCM_STARTED_STOPPED, _SCM_COULD_NOT_START.format(code=code))
    text = "\n\n".join(f"{fence[0]}{part}{fence[1]}" for part in parts) + "\n"
    document = _document(text)
    assert set(_windows(document)) == {"service-not-running"}, text
    assert "tailscaled-log" not in _blocks(document)
    assert document["summary"]["exit_code"] == 1
    assert "C:\\ProgramData\\Tailscale\\Logs" in _text(document)


@pytest.mark.parametrize(
    "text",
    [
        _GUI_BOX.format(version="1.20.4 (t1234567-gabcdef0)"),
        _SCM_STARTED_STOPPED,
        *(_SCM_COULD_NOT_START.format(code=code) for code in _SCM_CODES),
        *_EVENTS,
    ],
)
def test_each_windows_text_alone_is_service_not_running(text: str) -> None:
    document = _document(f"{text}\n")
    assert _windows(document) == ["service-not-running"], text
    assert "tailscaled.exe exited" in _text(document)


@pytest.mark.parametrize(
    "line",
    (
        "The Print Spooler service on Local Computer started and then stopped.",
        "Windows could not start the Windows Update service on Local Computer",
        "Error 1067: The process terminated unexpectedly.",
        "I restarted the Tailscale service and it stopped again after a minute, any idea?",
        "Tailscale service stopped working after the update",
    ),
)
def test_other_services_and_prose_are_not_the_tailscale_service(line: str) -> None:
    document = _document(f"{line}\n")
    assert "service-not-running" not in _windows(document), line


# ------------------------------------------------------------------ 4. an OAuth client secret given as an auth key

_KEY_ERRORS = (
    "key cannot be used for node auth: {KeyCapabilityBits(CONTROL_API_SCOPE_DEVICES|OAUTH_CLIENT) [tag:caddy-test]}",
    "key cannot be used for node auth: {KeyCapabilityBits(OAUTH_CLIENT) []}",
)
_KEY_WRAPPERS = (
    "{stamp}Received error: {error}",
    '"level":"debug","ts":1715360455.7697527,"logger":"tailscale","msg":"Received error: {error}"}}',
    '{{"level":"debug","ts":1715360455.7697527,"logger":"tailscale","msg":"Received error: {error}"}}',
    'time=2024-05-10T17:00:55Z level=DEBUG msg="Received error: {error}"',
    'time="2024-05-10T17:00:55Z" level=debug msg="Received error: {error}" logger=tailscale',
    '{{"time":"2024-05-10T17:00:55Z","level":"DEBUG","message":"Received error: {error}"}}',
)


@pytest.mark.parametrize("error", _KEY_ERRORS)
@pytest.mark.parametrize("wrapper", _KEY_WRAPPERS)
@pytest.mark.parametrize("stamp", ("", "2024/05/10 17:00:55 "))
@pytest.mark.parametrize("fence", _FENCES[:2])
def test_key_cannot_be_used_for_node_auth_is_auth_key_rejected_in_any_wrapper(
    error: str, wrapper: str, stamp: str, fence: tuple[str, str]
) -> None:
    text = f"{fence[0]}{wrapper.format(stamp=stamp, error=error)}{fence[1]}\n"
    document = _document(text)
    assert _windows(document) == ["auth-key-rejected"], text
    assert "control-unreachable" not in _log_issues(document)
    assert "TS-LOG-CONTROL-UNREACHABLE" not in _rules(document)
    assert "OAuth client secret" in _text(document)


def test_inside_a_tailscaled_log_the_refusal_is_login_not_control_unreachable() -> None:
    text = "\n".join(
        (
            "2024/05/10 17:00:55 logtail started",
            "2024/05/10 17:00:55 control: client.Login(false, 0)",
            f"2024/05/10 17:00:56 Received error: {_KEY_ERRORS[1]}",
            "2024/05/10 17:00:57 magicsock: home is now derp-1 (nyc)",
        )
    )
    document = _document(text + "\n")
    assert "auth-key-rejected" in _windows(document)
    assert "control-unreachable" not in _log_issues(document)


@pytest.mark.parametrize(
    "line",
    (
        "2024/05/10 17:00:56 Received error: Post https://controlplane.tailscale.com/machine/map: EOF",
        '"level":"debug","ts":1715360455.77,"logger":"tailscale","msg":"Received error: context deadline exceeded"}',
    ),
)
def test_other_received_errors_keep_their_reading(line: str) -> None:
    document = _document(f"{line}\n")
    assert "auth-key-rejected" not in _windows(document), line
