"""Generated tests for blind batch 33's CLI misses, read as classes (what a user sees in the JSON document).

1. `tailscale: unknown subcommand: NAME` (and `tailscale configure: …`) where NAME is a real subcommand of some
   build or version (the macOS GUI app's CLI has no `drive`; `ts_omit_*` builds; platform-only `configure`
   subcommands; CLIs older than the subcommand): daemon-subcommand-unavailable, saying which builds lack it. 1.98+'s
   own "Taildrive CLI commands are not supported when using the macOS GUI app" reads the same. A typo stays cli-usage.
2. `tailscaled does not take non-flag arguments: ["up" …]` under a typed `tailscale …`, a typed `tailscaled
   <subcommand>`, or alone naming a CLI subcommand: cli-is-daemon (the program that ran is the daemon). A daemon
   log's own line, a service's journal line, or the daemon started with other stray words stays a daemon crash.
3. `sending serve config: updating config: netMap is nil` (serve/funnel changed while tailscaled has no network
   map), bare, under serve's own wrappers or relayed by a wrapper program in parentheses: not-running-state.
"""

from __future__ import annotations

from typing import Any

import pytest

from opskit.core.diagnose.cli_catalog.missing_subcommands import _CONFIGURE, _TOP_LEVEL
from opskit.errors import InputError
from tests.diagnose.conftest import run_json


def _document(text: str) -> dict[str, Any]:
    try:
        return run_json(text)
    except InputError:
        return {"summary": {"exit_code": 2}, "windows": [], "findings": [], "blocks": []}


def _windows(document: dict[str, Any]) -> list[str]:
    return [error["kind"] for error in document.get("windows") or []]


def _rules(document: dict[str, Any]) -> set[str]:
    return {finding["rule"] for finding in document["findings"]}


def _text(document: dict[str, Any]) -> str:
    return " ".join(f"{finding['cause']} {finding['fix']}" for finding in document["findings"])


# ------------------------------------------------------------------ 1. a real subcommand this CLI lacks

_STAMPS = ("", "2026/02/26 14:35:15 ", "2024/11/02 08:01:59.123456 ")
_WRAPS = ("{}", "`{}`", "```\n{}\n```", "> {}")
_PROMPTS = ("", "$ tailscale {sub} --help\n", "% /Applications/Tailscale.app/Contents/MacOS/Tailscale {sub}\n")


def _unknown(command: str, sub: str, stamp: str, wrap: str, prompt: str) -> str:
    typed = prompt.format(sub=sub if command == "tailscale" else f"configure {sub}")
    return typed + wrap.format(f"{stamp}{command}: unknown subcommand: {sub}") + "\n"


@pytest.mark.parametrize("sub", sorted(_TOP_LEVEL))
@pytest.mark.parametrize(
    ("stamp", "wrap", "prompt"), list(zip(_STAMPS * 2, _WRAPS + _WRAPS[:2], _PROMPTS * 2, strict=True))
)
def test_a_real_top_level_subcommand_the_cli_lacks_is_unavailable_naming_it(
    sub: str, stamp: str, wrap: str, prompt: str
) -> None:
    document = _document(_unknown("tailscale", sub, stamp, wrap, prompt))
    assert _windows(document) == ["daemon-subcommand-unavailable"], sub
    assert document["summary"]["exit_code"] == 1
    said = _text(document)
    since = _TOP_LEVEL[sub].since
    assert f"`tailscale {sub}`" in said and f"Tailscale {since if '-' in since else since + '+'}" in said, said
    assert "cli-usage" not in _windows(document)


@pytest.mark.parametrize("sub", sorted(_CONFIGURE))
@pytest.mark.parametrize("stamp", _STAMPS)
def test_a_platform_only_configure_subcommand_is_unavailable(sub: str, stamp: str) -> None:
    document = _document(_unknown("tailscale configure", sub, stamp, "{}", "$ sudo tailscale {sub}\n"))
    assert _windows(document) == ["daemon-subcommand-unavailable"], sub
    assert f"`tailscale configure {sub}`" in _text(document)


@pytest.mark.parametrize("stamp", _STAMPS)
@pytest.mark.parametrize("wrap", _WRAPS)
def test_drive_on_the_macos_app_points_to_the_apps_settings(stamp: str, wrap: str) -> None:
    said = _text(_document(_unknown("tailscale", "drive", stamp, wrap, "")))
    assert "ts_mac_gui" in said and "Settings > Taildrive" in said, said


@pytest.mark.parametrize("stamp", _STAMPS)
@pytest.mark.parametrize("prompt", ("", "$ /Applications/Tailscale.app/Contents/MacOS/Tailscale drive list\n"))
def test_the_macos_app_1_98_message_reads_the_same(stamp: str, prompt: str) -> None:
    text = (
        f"{prompt}{stamp}Taildrive CLI commands are not supported when using the macOS GUI app. Please use the "
        "Tailscale menu bar icon to configure Taildrive in Settings.\n\nSee https://tailscale.com/docs/features/"
        "taildrive\n"
    )
    document = _document(text)
    assert _windows(document) == ["daemon-subcommand-unavailable"], text
    assert document["summary"]["exit_code"] == 1


_NOT_SUBCOMMANDS = (
    ("tailscale", "drvie"),
    ("tailscale", "stauts"),
    ("tailscale", "drive2"),
    ("tailscale", "drive-share"),
    ("tailscale", "files"),
    ("tailscale", "sysext"),  # a `configure` subcommand, not a top-level one
    ("tailscale", "connect"),
    ("tailscale configure", "drive"),  # a top-level subcommand, not a `configure` one
    ("tailscale configure", "synologyy"),
    ("tailscale debug", "drive"),
    ("tailscale debug", "netmapp"),
)


@pytest.mark.parametrize(("command", "sub"), _NOT_SUBCOMMANDS)
@pytest.mark.parametrize("stamp", _STAMPS)
def test_a_word_no_cli_has_there_stays_a_usage_error(command: str, sub: str, stamp: str) -> None:
    document = _document(f"{stamp}{command}: unknown subcommand: {sub}\n")
    assert _windows(document) == ["cli-usage"], (command, sub)


@pytest.mark.parametrize(
    "prose",
    (
        "I expected `tailscale drive share` to work on the Mac app but it says the subcommand is unknown.\n",
        "Is drive an unknown subcommand on macOS? The docs list it.\n",
        "The Mac app has no drive command; use Settings.\n",
    ),
)
def test_prose_about_a_missing_subcommand_is_no_cli_error(prose: str) -> None:
    assert "daemon-subcommand-unavailable" not in _windows(_document(prose))


# ------------------------------------------------------------------ 2. the program run as `tailscale` is tailscaled

_ARGS = (
    ("up", '"up" "--qr" "--operator=deck" "--ssh"'),
    ("status", '"status"'),
    ("up", '"up" "--login-server=https://hs.example.com" "--authkey=tskey-auth-XXXX"'),
    ("set", '"set" "--advertise-exit-node"'),
    ("serve", '"serve" "--bg" "3000"'),
    ("version", '"version"'),
    ("ip", '"ip" "-4"'),
)
_CLI_PROMPTS = (
    "(deck@steamdeck deck-tailscale)$ sudo tailscale {typed}\n",
    "$ tailscale {typed}\n",
    "root@nas:~# /usr/local/bin/tailscale {typed}\n",
    "➜  ~ tailscale --socket=/run/ts.sock {typed}\n",
)


def _refusal(stamp: str, args: str) -> str:
    return f"{stamp}tailscaled does not take non-flag arguments: [{args}]\n"


def _typed(args: str) -> str:
    return " ".join(word.strip('"') for word in args.split('" "'))


@pytest.mark.parametrize(("first", "args"), _ARGS)
@pytest.mark.parametrize("stamp", _STAMPS)
@pytest.mark.parametrize("prompt", _CLI_PROMPTS)
def test_the_daemon_answering_a_typed_cli_command_is_cli_is_daemon(
    first: str, args: str, stamp: str, prompt: str
) -> None:
    text = prompt.format(typed=_typed(args)) + _refusal(stamp, args)
    document = _document(text)
    assert _windows(document) == ["cli-is-daemon"], text
    assert document["summary"]["exit_code"] == 1
    assert "TS-CLI-IS-DAEMON" in _rules(document) and "TS-LOG-CRASH" not in _rules(document), text
    assert "type -a tailscale" in _text(document)


@pytest.mark.parametrize("args", ('"stauts"', '"--"', '"/etc/tailscale"'))
def test_any_words_under_a_typed_cli_command_are_the_daemon_answering(args: str) -> None:
    document = _document(f"$ sudo tailscale {_typed(args)}\n" + _refusal("2025/03/25 19:02:04 ", args))
    assert _windows(document) == ["cli-is-daemon"]


@pytest.mark.parametrize(("first", "args"), _ARGS)
@pytest.mark.parametrize("stamp", _STAMPS)
@pytest.mark.parametrize("wrap", ("{}", "`{}`", "```\n{}```\n"))
def test_the_refusal_alone_naming_a_cli_subcommand_is_cli_is_daemon(
    first: str, args: str, stamp: str, wrap: str
) -> None:
    text = wrap.format(_refusal(stamp, args).rstrip("\n")) + "\n"
    document = _document(text)
    assert _windows(document) == ["cli-is-daemon"], text
    assert "TS-LOG-CRASH" not in _rules(document)


@pytest.mark.parametrize(("first", "args"), _ARGS)
@pytest.mark.parametrize(
    "prompt", ("$ sudo tailscaled {typed}\n", "root@box:~# /usr/sbin/tailscaled --verbose=1 {typed}\n")
)
def test_the_daemon_typed_by_hand_with_a_subcommand_says_to_use_the_cli(first: str, args: str, prompt: str) -> None:
    text = prompt.format(typed=_typed(args)) + _refusal("2025/03/25 19:02:04 ", args)
    document = _document(text)
    assert _windows(document) == ["cli-is-daemon"], text
    said = _text(document)
    assert "`tailscaled` was typed" in said and f"`tailscale {first} …`" in said, said


_HEALTHY = "2024/01/12 10:41:05 logtail started\n2024/01/12 10:41:05 Program starting: v1.82.0-t1234, Go 1.24.1\n"


@pytest.mark.parametrize(
    "text",
    (
        'Mar 25 19:02:04 deck tailscaled[1234]: tailscaled does not take non-flag arguments: ["up"]\n',
        "Mar 25 19:02:04 deck tailscaled[1234]: 2025/03/25 19:02:04 tailscaled does not take non-flag arguments: "
        '["status"]\n',
        _HEALTHY + _refusal("2024/01/12 10:41:06 ", '"up"'),
        _refusal("2025/04/09 11:26:59 ", '"/var/lib/tailscale"'),
        _refusal("", '"/data/data/com.termux/files/usr/bin/tailscaled" "--statedir=/data/x"'),
        '$ tailscaled --state=mem: -port 41641\ntailscaled does not take non-flag arguments: ["41641"]\n',
        "$ cat /var/log/tailscaled.log\n" + _refusal("2025/04/09 11:26:59 ", '"/var/lib/tailscale"'),
    ),
)
def test_the_daemon_refusing_its_own_start_up_words_stays_a_daemon_crash(text: str) -> None:
    document = _document(text)
    assert "cli-is-daemon" not in _windows(document), text
    assert "TS-LOG-CRASH" in _rules(document), text


@pytest.mark.parametrize("host", ("nas", "server.tail1234.ts.net"))
def test_ssh_proxy_command_answered_by_the_daemon_is_cli_is_daemon(host: str) -> None:
    # blind 48 (lead decision, sample 2846): the ProxyCommand's refusal alone is cli-is-daemon, not ssh-failed
    text = f"$ tailscale ssh root@{host}\n" + _refusal("2025/01/02 03:04:05 ", f'"nc" "{host}" "22"')
    assert _windows(_document(text)) == ["cli-is-daemon"]


# ------------------------------------------------------------------ 3. serve changed with no network map

_NETMAP_BODIES = (
    "sending serve config: updating config: netMap is nil",
    "sending serve config: 500 Internal Server Error: updating config: netMap is nil",
    "sending serve config: 500 Internal Server Error: netMap is nil",
)
_NETMAP_WRAPPERS = (
    "{}",
    "failed to apply TCP serve: {}",
    "failed apply web serve: {}",
    " Failed to run: tailscale serve reset: exit status 1 ({})",
    "Error: Failed to run: tailscale funnel --bg 443: exit status 1 ({}).",
    "`{}`",
)
_SERVE_PROMPTS = (
    "",
    "$ sudo tailscale serve reset\n",
    "$ tailscale funnel --bg 3000\n",
    "PS C:\\> tailscale serve 80\n",
)


@pytest.mark.parametrize("body", _NETMAP_BODIES)
@pytest.mark.parametrize("wrapper", _NETMAP_WRAPPERS)
@pytest.mark.parametrize("prompt", _SERVE_PROMPTS)
def test_a_serve_change_without_a_network_map_is_not_running_state(body: str, wrapper: str, prompt: str) -> None:
    text = prompt + wrapper.format(body) + "\n"
    document = _document(text)
    assert _windows(document) == ["not-running-state"], text
    assert document["summary"]["exit_code"] == 1
    assert "tailscale status" in _text(document) and "serve-failed" not in _windows(document)


@pytest.mark.parametrize(
    "text",
    (
        "Mar 12 10:00:00 incus tailscaled[99]: can't set intercept function for Service TCP Ports, netMap is nil\n",
        "I think the netMap is nil handling changed in 1.80, see serve.go.\n",
        "2026/03/12 10:00:00 can't set intercept function for Service TCP Ports, netMap is nil\n",
    ),
)
def test_the_daemons_own_log_line_and_prose_are_no_cli_error(text: str) -> None:
    assert "not-running-state" not in _windows(_document(text)), text
