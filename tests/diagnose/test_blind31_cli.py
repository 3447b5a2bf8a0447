"""Generated tests for blind batch 31's ping and CLI misses, read as classes (what a user sees in the JSON document).

1. Several `tailscale ping` runs to one peer in one paste: a run answered only through a relay (DERP or a Peer
   Relay, cut short or ended by "direct connection not established"), then the next run to the same peer going
   direct, is the path upgrading while hole punching went on: one run, direct (exit 0), keeping the DERP regions
   seen before. A direct run followed by a relayed one (a path lost), other peers, or another block between the
   runs keep them apart.
2. `tailscale update` on Windows ending in msiexec's Windows Installer exit code: the updater hands the install to a
   copy of itself and exits, so the copy's "exit status N" lands after the next prompt (clientupdate_windows.go);
   its log's "MSI install failed: exit status N" / "Install attempt failed: exit status N" say the same. Each is
   update-failed, explained by the code. A bare "exit status N" elsewhere, another code, or prose is not.
"""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from opskit.errors import InputError
from tests.diagnose.conftest import run_json


def _document(text: str) -> dict[str, Any]:
    try:
        return run_json(text)
    except InputError:
        return {"summary": {"exit_code": 2}, "windows": [], "findings": [], "blocks": [], "pings": []}


def _exit(document: dict[str, Any]) -> int:
    return int(document["summary"]["exit_code"])


def _windows(document: dict[str, Any]) -> list[str]:
    return [error["kind"] for error in document.get("windows") or []]


def _pings(document: dict[str, Any]) -> list[tuple[Any, ...]]:
    return [(p["target"], p["outcome"], p["path"], p["endpoint"], p["derp_regions"]) for p in document["pings"]]


# ------------------------------------------------------------------ 1. a relayed run, then a direct run

_PING_PROMPTS = ("$ ", "user@vm:~$ ", "PS C:\\Users\\me> ", "root@nas:~# ", "> ")
_COMMENTS = ("", "# first ping, relayed via DERP\n", "# 第一次 ping, 走 DERP 中继\n", "\n")
_LATER = ("", "\n", "# 等几秒再 ping, 已经直连了\n", "\n# ping again a few seconds later\n")
_REGIONS = ("nue", "fra", "tok", "sfo", "hkg", "sin")
_ENDPOINTS = ("82.157.188.40:41641", "192.168.1.20:41641", "[2001:db8::20]:41641", "203.0.113.9:53412")
_TARGETS = (("tenxuncloud-cn", "100.100.164.32"), ("nas", "100.64.0.5"), ("my-vps.tail1234.ts.net", "100.71.2.3"))


def _relayed_run(prompt: str, target: tuple[str, str], regions: list[str], verdict: bool) -> str:
    name, ip = target
    pongs = "".join(f"pong from {name} ({ip}) via DERP({code}) in {600 + 7 * i}ms\n" for i, code in enumerate(regions))
    return f"{prompt}tailscale ping {name}\n{pongs}" + ("direct connection not established\n" if verdict else "")


def _direct_run(prompt: str, target: tuple[str, str], endpoint: str) -> str:
    name, ip = target
    return f"{prompt}tailscale ping {name}\npong from {name} ({ip}) via {endpoint} in 10ms\n"


@given(
    st.sampled_from(_PING_PROMPTS),
    st.sampled_from(_TARGETS),
    st.lists(st.sampled_from(_REGIONS), min_size=1, max_size=4),
    st.booleans(),
    st.sampled_from(_COMMENTS),
    st.sampled_from(_LATER),
    st.sampled_from(_ENDPOINTS),
    st.sampled_from(("", "```bash\n")),
)
@settings(max_examples=80, deadline=None)
def test_a_relayed_run_then_a_direct_run_to_the_same_peer_is_direct_keeping_the_regions(
    prompt: str,
    target: tuple[str, str],
    regions: list[str],
    verdict: bool,
    comment: str,
    later: str,
    endpoint: str,
    fence: str,
) -> None:
    text = (
        fence
        + comment
        + _relayed_run(prompt, target, regions, verdict)
        + later
        + _direct_run(prompt, target, endpoint)
        + ("```\n" if fence else "")
    )
    document = _document(text)
    assert _pings(document) == [(target[0], "direct", "direct", endpoint, sorted(set(regions)))], text
    assert _exit(document) == 0, text
    assert "TS-PING-NOT-DIRECT" not in {f["rule"] for f in document["findings"]}, text


@given(
    st.sampled_from(_PING_PROMPTS),
    st.sampled_from(_TARGETS),
    st.sampled_from(_ENDPOINTS),
    st.sampled_from(("fra-relay:7777", "100.70.1.2:40000")),
)
@settings(max_examples=30, deadline=None)
def test_a_peer_relay_run_then_a_direct_run_is_direct(
    prompt: str, target: tuple[str, str], endpoint: str, relay: str
) -> None:
    name, ip = target
    text = f"{prompt}tailscale ping {name}\npong from {name} ({ip}) via peer-relay({relay}) in 30ms\n" + _direct_run(
        prompt, target, endpoint
    )
    document = _document(text)
    assert [p[1:4] for p in _pings(document)] == [("direct", "direct", endpoint)], text
    assert _exit(document) == 0, text


@given(
    st.sampled_from(_PING_PROMPTS),
    st.sampled_from(_TARGETS),
    st.lists(st.sampled_from(_REGIONS), min_size=1, max_size=3),
    st.booleans(),
    st.sampled_from(_ENDPOINTS),
)
@settings(max_examples=40, deadline=None)
def test_a_direct_run_then_a_relayed_run_stays_two_runs_and_a_problem(
    prompt: str, target: tuple[str, str], regions: list[str], verdict: bool, endpoint: str
) -> None:
    text = _direct_run(prompt, target, endpoint) + _relayed_run(prompt, target, regions, verdict)
    document = _document(text)
    outcomes = [p[1] for p in _pings(document)]
    assert outcomes == ["direct", "not-established" if verdict else "relayed-only"], text
    assert _exit(document) == 1, text


@given(
    st.sampled_from(_PING_PROMPTS),
    st.lists(st.sampled_from(_REGIONS), min_size=1, max_size=3),
    st.sampled_from(_ENDPOINTS),
)
@settings(max_examples=30, deadline=None)
def test_a_relayed_run_to_another_peer_is_not_cleared_by_a_direct_run(
    prompt: str, regions: list[str], endpoint: str
) -> None:
    text = _relayed_run(prompt, _TARGETS[0], regions, False) + _direct_run(prompt, _TARGETS[1], endpoint)
    document = _document(text)
    assert [p[:2] for p in _pings(document)] == [(_TARGETS[0][0], "relayed-only"), (_TARGETS[1][0], "direct")], text
    assert _exit(document) == 1, text


@given(st.sampled_from(_PING_PROMPTS), st.sampled_from(_TARGETS), st.sampled_from(_ENDPOINTS))
@settings(max_examples=20, deadline=None)
def test_runs_with_a_status_between_them_stay_apart(prompt: str, target: tuple[str, str], endpoint: str) -> None:
    status = f"{prompt}tailscale status\n100.64.0.1   this-node   me@   linux   -\n"
    text = _relayed_run(prompt, target, ["fra"], False) + status + _direct_run(prompt, target, endpoint)
    document = _document(text)
    assert [p[1] for p in _pings(document)] == ["relayed-only", "direct"], text


# ------------------------------------------------------------------ 2. `tailscale update` on Windows: msiexec's code

_WIN_PROMPTS = ("PS C:\\Users\\user> ", "PS C:\\> ", "C:\\Windows\\system32>", "PS C:\\Program Files\\Tailscale> ")
_UPDATE_COMMANDS = (
    "sudo tailscale update",
    "tailscale update",
    "tailscale update --yes",
    "tailscale.exe update --version=1.82.0",
    "& 'C:\\Program Files\\Tailscale\\tailscale.exe' update",
    "gsudo tailscale update --track=stable",
)
# (the code, a word the explanation must hold)
_CODES = (
    ("1618", "another Windows Installer session"),
    ("1603", "fatal error"),
    ("1638", "another version"),
    ("1925", "privileges"),
    ("1625", "policy"),
    ("3010", "restart"),
    ("1641", "restart"),
    ("1602", "cancelled"),
    ("1620", "Windows Installer code 1620"),
    ("1619", "Windows Installer code 1619"),
)


def _updater_output(old: str, new: str) -> str:
    temp = "C:\\Users\\user\\AppData\\Local\\Temp"
    return (
        f"This will update Tailscale from {old} to {new}. Continue? [y/n] y\n"
        f'Downloading "https://pkgs.tailscale.com/stable/tailscale-setup-{new}-amd64.msi"\n'
        "Download size: 34093056\n"
        "Downloaded 34093056/34093056 (100.0%)\n"
        "Signature OK\n"
        "verifying MSI authenticode...\n"
        "authenticode verification succeeded\n"
        "making tailscale.exe copy to switch to...\n"
        f"cleaning up old downloads: remove {temp}\\tailscale-updater-1541932761.exe: Access is denied.\n"
        "running tailscale.exe copy for final install...\n"
        f'writing update output to "{temp.replace(chr(92), chr(92) * 2)}\\\\tailscale-updater-3910498767.log"\n'
    )


_VERSIONS = st.sampled_from((("1.80.2", "1.82.0"), ("1.76.6", "1.78.1"), ("1.90.6", "1.92.0")))


def _explained(document: dict[str, Any], word: str) -> bool:
    return any(word.lower() in f["cause"].lower() for f in document["findings"] if f["rule"] == "TS-CLI-UPDATE-FAILED")


@given(
    st.sampled_from(_WIN_PROMPTS),
    st.sampled_from(_UPDATE_COMMANDS),
    _VERSIONS,
    st.sampled_from(_CODES),
    st.booleans(),
    st.booleans(),
    st.sampled_from(("", "```\n", "```powershell\n")),
)
@settings(max_examples=100, deadline=None)
def test_msiexec_exit_code_after_tailscale_update_is_update_failed(
    prompt: str,
    command: str,
    versions: tuple[str, str],
    code: tuple[str, str],
    after_prompt: bool,
    preamble: bool,
    fence: str,
) -> None:
    number, word = code
    output = _updater_output(*versions) if preamble else ""
    tail = f"{prompt}exit status {number}\n" if after_prompt else f"exit status {number}\n"
    text = fence + f"{prompt}{command}\n" + output + tail + ("```\n" if fence else "")
    document = _document(text)
    assert _windows(document) == ["update-failed"], text
    assert _exit(document) == 1, text
    assert _explained(document, word), text


@given(
    st.sampled_from(("MSI install failed: ", "Install attempt failed: ")),
    st.sampled_from(_CODES),
    st.sampled_from(("", "installing C:\\ProgramData\\Tailscale\\MSICache\\tailscale-setup-1.82.0-amd64.msi ...\n")),
)
@settings(max_examples=40, deadline=None)
def test_the_updater_logs_msiexec_failure_is_update_failed_anywhere(
    prefix: str, code: tuple[str, str], before: str
) -> None:
    number, word = code
    document = _document(f"{before}{prefix}exit status {number}\n")
    assert _windows(document) == ["update-failed"]
    assert _exit(document) == 1
    assert _explained(document, word)


@given(st.sampled_from(_WIN_PROMPTS), st.sampled_from(_CODES))
@settings(max_examples=30, deadline=None)
def test_a_bare_exit_status_without_tailscale_update_is_not_read(prompt: str, code: tuple[str, str]) -> None:
    number = code[0]
    for text in (
        f"exit status {number}\n",
        f"{prompt}tailscale up\nexit status {number}\n",
        f"{prompt}msiexec /i tailscale-setup-1.82.0-amd64.msi /quiet\n{prompt}exit status {number}\n",
        f"The installer stopped with exit status {number} yesterday.\n",
    ):
        assert "update-failed" not in _windows(_document(text)), text


@given(st.sampled_from(_WIN_PROMPTS), st.sampled_from(_UPDATE_COMMANDS), st.sampled_from(("0", "1", "2", "100", "255")))
@settings(max_examples=30, deadline=None)
def test_a_non_installer_exit_status_under_tailscale_update_is_not_an_msi_failure(
    prompt: str, command: str, number: str
) -> None:
    text = f"{prompt}{command}\n{prompt}exit status {number}\n"
    assert "update-failed" not in _windows(_document(text)), text


@given(st.sampled_from(_WIN_PROMPTS), st.sampled_from(_UPDATE_COMMANDS), _VERSIONS)
@settings(max_examples=20, deadline=None)
def test_the_next_typed_command_after_tailscale_update_stays_a_command(
    prompt: str, command: str, versions: tuple[str, str]
) -> None:
    """A prompt after the update whose text is a command (not program output) is not given to the updater."""
    text = f"{prompt}{command}\n{_updater_output(*versions)}{prompt}tailscale version\n{versions[0]}\n"
    assert "update-failed" not in _windows(_document(text)), text
