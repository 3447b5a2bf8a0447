"""Generated tests for blind batch 48's CLI and app misses, read as classes (what a user sees in the JSON document).

1. The macOS Standalone app's keychain-backed state store refusing a state key (``[prefs_save ]failed add <key> to
   keychain: <OSStatus>: <text>``): the serve config's key (``tailscale-serve/…``, ipn.ServeConfigKey's ``_serve/…``)
   is serve-failed; other keys (profiles, the machine key) have no kind and read nothing.
2. The Windows GUI's ``Unable to setup Tailscale client:`` box, the failing walk call on the same or the next line
   (``walk.NewNotifyIcon: Shell_NotifyIcon``, retyped with ``l`` for ``I``) and the Go stack under ``Stack:``, is
   gui-failed-to-start (the stack inside the box: no tailscaled crash).
3. ``tailscaled does not take non-flag arguments: ["nc" <host> <port>]`` (tailscale ssh's ProxyCommand run by a
   ``tailscale`` that is tailscaled) is cli-is-daemon with the ProxyCommand's cause, not ssh-failed, also with
   OpenSSH's closing lines after it (their consequence: one name per concept, sample 435 too).
4. ``tailscale update``'s ``no update needed`` beside a package manager offering a newer tailscale (apk, apt, dnf,
   brew) is update-not-offered (a warning); the answer alone, or beside a listing of the same or an older version, is
   a routine answer (exit 0).
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.diagnose.log_catalog import document_of, finding_rules


def _windows(document: dict[str, Any]) -> list[str]:
    return [error["kind"] for error in document.get("windows") or []]


def _finding(document: dict[str, Any], rule: str) -> dict[str, Any]:
    (finding,) = [f for f in document["findings"] if f["rule"] == rule]
    return finding


_FENCES = ("{}", "```text\n{}\n```", "```\n{}\n```", "> {}")


# ------------------------------------------------------------------ 1. the app's keychain refusing the serve config

_SERVE_KEYS = (
    "tailscale-serve/<identifier>",
    "tailscale-serve/1a2b3c4d",
    "_serve/nZ8x9CNTRL",
    "tailscale-serve/[redacted]",
)
_STATUSES = (
    ("100001", "UNIX[Operation not permitted]"),
    ("-25308", "User interaction is not allowed."),
    ("-34018", "A required entitlement isn't present."),
)


@pytest.mark.parametrize("key", _SERVE_KEYS)
@pytest.mark.parametrize(("status", "why"), _STATUSES)
@pytest.mark.parametrize("head", ("prefs_save ", "", "2026-05-31 10:00:00.123 Tailscale[812:1234] prefs_save "))
@pytest.mark.parametrize("fence", _FENCES)
def test_the_keychain_refusing_the_serve_config_is_serve_failed(
    key: str, status: str, why: str, head: str, fence: str
) -> None:
    document = document_of(fence.format(f"{head}failed add {key} to keychain: {status}: {why}") + "\n")
    assert _windows(document) == ["serve-failed"], document["windows"]
    assert document["summary"]["exit_code"] == 1
    cause = _finding(document, "TS-CLI-SERVE-FAILED")["cause"]
    assert key in cause and status in cause and "keychain" in cause
    assert "EncryptState" in _finding(document, "TS-CLI-SERVE-FAILED")["fix"]
    assert not {"serve-not-enabled", "funnel-unavailable", "serve-not-configured"} & set(_windows(document))


@pytest.mark.parametrize(
    "text",
    (
        "prefs_save failed add profile-a1b2 to keychain: 100001: UNIX[Operation not permitted]",
        "prefs_save failed add _machinekey to keychain: 100001: UNIX[Operation not permitted]",
        "I think the serve config failed to add to keychain on my mac",
        "tailscale-serve/abc is stored in the keychain: see Keychain Access",
    ),
)
def test_other_keychain_lines_are_not_serve_failed(text: str) -> None:
    assert "serve-failed" not in _windows(document_of(text + "\n")), text


# ------------------------------------------------------------------ 2. the Windows GUI's setup error box

_STACK = (
    "goroutine 1 [running, locked to thread]:",
    "runtime/debug.Stack()",
    "runtime/debug/stack.go:24 +0x5e",
    "github.com/tailscale/walk.newErr(...)",
    "github.com/tailscale/walk@v0.0.0-20240411225155-0fe267360a54/error.go:81",
    "github.com/tailscale/walk.newError({0x1144dcc, 0x10})",
    "github.com/tailscale/walk@v0.0.0-20240411225155-0fe267360",
    "a54/error.go:85 +0x25",
    "github.com/tailscale/walk.(*niCmd).execute(0xc0001b7630)",
)
_TRAY_CALLS = (
    "walk.NewNotifyIcon: Shell_NotifyIcon",
    "walk.NewNotifylcon: Shell_Notifylcon",
    "walk.NewNotifyIcon: Shell_Notifylcon",
)


@pytest.mark.parametrize("call", _TRAY_CALLS)
@pytest.mark.parametrize("same_line", (False, True))
@pytest.mark.parametrize("stack_lines", (0, 1, 5, len(_STACK)))
@pytest.mark.parametrize("fence", _FENCES[:3])
def test_the_gui_setup_box_with_the_tray_call_is_gui_failed_to_start(
    call: str, same_line: bool, stack_lines: int, fence: str
) -> None:
    head = f"Unable to setup Tailscale client: {call}" if same_line else f"Unable to setup Tailscale client:\n{call}"
    stack = "\nStack:\n" + "\n".join(_STACK[:stack_lines]) if stack_lines else ""
    document = document_of(fence.format(head + stack) + "\n")
    assert _windows(document) == ["gui-failed-to-start"], document
    assert document["summary"]["exit_code"] == 1
    assert "TS-LOG-CRASH" not in finding_rules(document)
    assert document["warnings"] == [], document["warnings"]  # the stack is read inside the box
    (finding,) = [f for f in document["findings"] if "gui" in f["rule"].lower() or "GUI" in f["title"]]
    assert "walk.NewNotifyIcon: Shell_NotifyIcon" in finding["cause"] and "Explorer" in finding["fix"]
    assert not {"service-not-running", "tun-unavailable"} & set(_windows(document))


@pytest.mark.parametrize(
    "call", ("walk.NewMainWindow: CreateWindowEx", "walk.InitApp: RegisterClassEx: Access is denied.")
)
def test_the_gui_setup_box_with_another_walk_call_is_gui_failed_to_start_without_the_tray_advice(call: str) -> None:
    document = document_of(f"Unable to setup Tailscale client:\n{call}\nStack:\n" + "\n".join(_STACK) + "\n")
    assert _windows(document) == ["gui-failed-to-start"]
    causes = " ".join(f["cause"] for f in document["findings"])
    assert call in causes and "tray" not in causes


@pytest.mark.parametrize(
    "text",
    (
        "Unable to setup Tailscale client: I tried reinstalling twice",  # prose after the words is no box
        "Tailscale shows a box saying it is unable to setup the client",
        "walk.NewNotifyIcon is called when the tray starts",
    ),
)
def test_prose_about_the_box_is_not_gui_failed_to_start(text: str) -> None:
    assert "gui-failed-to-start" not in _windows(document_of(text + "\n")), text


# ------------------------------------------------------------------ 3. tailscale ssh's ProxyCommand run as tailscaled

_HOSTS = ("host.tail123ab.ts.net.", "nas", "server.example.com", "100.101.102.103")
_SSH_PROMPTS = ("$ tailscale ssh user@{host}\n", "% tailscale ssh root@{host} -v\n", "")


@pytest.mark.parametrize("host", _HOSTS)
@pytest.mark.parametrize("port", ("22", "2222"))
@pytest.mark.parametrize("stamp", ("", "2024/05/15 16:08:39 "))
@pytest.mark.parametrize("prompt", _SSH_PROMPTS)
def test_the_proxy_command_refused_by_tailscaled_is_cli_is_daemon(
    host: str, port: str, stamp: str, prompt: str
) -> None:
    refusal = f'{stamp}tailscaled does not take non-flag arguments: ["nc" "{host}" "{port}"]'
    document = document_of(prompt.format(host=host) + refusal + "\n")
    assert _windows(document) == ["cli-is-daemon"], document["windows"]
    assert document["summary"]["exit_code"] == 1
    finding = _finding(document, "TS-CLI-IS-DAEMON")
    assert "ProxyCommand" in finding["cause"] and "readlink" in finding["fix"]
    assert not {"TS-CLI-SSH-FAILED", "TS-LOG-CRASH"} & finding_rules(document)


@pytest.mark.parametrize("host", _HOSTS[:2])
@pytest.mark.parametrize(
    "closing",
    (
        ["Connection closed by UNKNOWN port 65535"],
        ["kex_exchange_identification: Connection closed by remote host", "Connection closed by UNKNOWN port 65535"],
    ),
)
def test_openssh_closing_after_the_refusal_is_still_one_reading(host: str, closing: list[str]) -> None:
    text = f'$ tailscale ssh user@{host}\ntailscaled does not take non-flag arguments: ["nc" "{host}" "22"]\n'
    document = document_of(text + "\n".join(closing) + "\n")
    assert _windows(document) == ["cli-is-daemon"], document["windows"]
    assert "ProxyCommand" in _finding(document, "TS-CLI-IS-DAEMON")["cause"]
    assert "TS-CLI-SSH-FAILED" not in finding_rules(document)


@pytest.mark.parametrize("words", ('"up" "--ssh"', '"status"'))
def test_other_cli_words_keep_the_stray_install_reading(words: str) -> None:
    document = document_of(
        f"$ tailscale up\n2025/03/25 19:02:04 tailscaled does not take non-flag arguments: [{words}]\n"
    )
    assert _windows(document) == ["cli-is-daemon"]
    assert "ProxyCommand" not in _finding(document, "TS-CLI-IS-DAEMON")["cause"]


# ------------------------------------------------------------------ 4. update says current, the package manager not

_ANSWERS = (
    "already running stable version {x}; no update needed",
    "already running unstable version {x}; no update needed",
    "installed stable version {x} is newer than the latest available version 1.40.0; no update needed",
)


def _apk(installed: str, other: str) -> str:
    return "\n".join(
        f"tailscale-{v}-r0 {field}:\n{value}\n"
        for v in (installed, other)
        for field, value in (
            ("description", "The easiest, most secure way to use WireGuard and 2FA"),
            ("webpage", "https://tailscale.com/"),
        )
    )


_LISTINGS = {
    "apk": lambda x, y: (
        "alpine:~# apk update && apk info tailscale\nOK: 23375 distinct packages available\n" + _apk(x, y)
    ),
    "apt-policy": lambda x, y: (
        f"$ apt-cache policy tailscale\ntailscale:\n  Installed: {x}\n  Candidate: {y}\n  Version table:\n"
    ),
    "apt-list": lambda x, y: (
        f"$ apt list --upgradable\nListing... Done\ntailscale/unknown {y} amd64 [upgradable from: {x}]\n"
    ),
    "dnf": lambda x, y: (
        f"$ dnf list tailscale\nInstalled Packages\ntailscale.x86_64    {x}-1    @tailscale-stable\n"
        f"Available Packages\ntailscale.x86_64    {y}-1    tailscale-stable\n"
    ),
    "brew": lambda x, y: f"$ brew outdated --verbose\ntailscale ({x}) < {y}\n",
}
_VERSIONS = (("1.54.1", "1.58.2"), ("1.56.0", "1.56.1"), ("1.9.0", "1.10.2"))


@pytest.mark.parametrize("answer", _ANSWERS)
@pytest.mark.parametrize("listing", sorted(_LISTINGS))
@pytest.mark.parametrize(("installed", "newer"), _VERSIONS)
@pytest.mark.parametrize("prompt", ("alpine:~# tailscale update\n", "$ sudo tailscale update --yes\n", ""))
def test_update_current_beside_a_newer_package_is_update_not_offered(
    answer: str, listing: str, installed: str, newer: str, prompt: str
) -> None:
    text = prompt + answer.format(x=installed) + "\n\n" + _LISTINGS[listing](installed, newer)
    document = document_of(text)
    assert "update-not-offered" in _windows(document), (text, document["windows"])
    assert document["summary"]["exit_code"] == 1
    finding = _finding(document, "TS-CLI-UPDATE-NOT-OFFERED")
    assert finding["severity"] == "warning"
    assert installed in finding["cause"] and newer in finding["cause"]
    assert "cli-answer" in {block["kind"] for block in document["blocks"]}


@pytest.mark.parametrize("answer", _ANSWERS)
@pytest.mark.parametrize("listing", [None, *sorted(_LISTINGS)])
@pytest.mark.parametrize(("installed", "older"), (("1.58.2", "1.58.2"), ("1.58.2", "1.54.1"), ("1.10.2", "1.9.0")))
def test_update_current_alone_or_beside_no_newer_package_is_routine(
    answer: str, listing: str | None, installed: str, older: str
) -> None:
    text = "$ tailscale update\n" + answer.format(x=installed) + "\n"
    if listing is not None:
        text += "\n" + _LISTINGS[listing](older, older)
    document = document_of(text)
    assert "update-not-offered" not in _windows(document), text
    if listing is None:
        assert document["summary"]["exit_code"] == 0
        assert {block["kind"] for block in document["blocks"]} == {"cli-answer"}


def test_a_newer_package_without_the_update_answer_is_not_update_not_offered() -> None:
    document = document_of("$ apk info tailscale\n" + _apk("1.54.1", "1.58.2"))
    assert "update-not-offered" not in _windows(document)
