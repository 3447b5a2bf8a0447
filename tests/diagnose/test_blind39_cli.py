"""Generated tests for blind batch 39's CLI misses, read as classes (what a user sees in the JSON document).

1. A terminal paste flattened onto one line (its line breaks turned to spaces): the CLI's usage errors (`tailscale:
   unknown subcommand: X`, `flag provided but not defined: -x`, …) and its not-running answers (`no current Tailscale
   IPs; state: X`, `Logged out.`) are each read mid-line, not only the first; heads quoted in prose stay prose.
2. The Linux install script run to its end (`Installing Tailscale for <os> <version>, using method <m>` …
   `Installation complete! …`): an `install-script` view, exit 0, no finding; a run stopped by one of its refusals
   stays install-failed.
3. `tailscale ping <peer>` answered `peer's node key has expired`: peer-key-expired (a warning), only as ping's answer.
4. Control's `<Feature> is not available on the <plan> plan.`: funnel-unavailable for Funnel, serve-not-enabled for
   Serve; other feature names stay unread.
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
        return {"summary": {"exit_code": 2}, "windows": [], "findings": [], "blocks": [], "views": []}


def _windows(document: dict[str, Any]) -> set[str]:
    return {error["kind"] for error in document.get("windows") or []}


def _rules(document: dict[str, Any]) -> set[str]:
    return {finding["rule"] for finding in document["findings"]}


def _views(document: dict[str, Any]) -> list[dict[str, Any]]:
    return list(document.get("views") or [])


# ------------------------------------------------------------------ 1. a flattened terminal paste

_BEFORE = (
    "Selecting previously unselected package tailscale. Preparing to unpack .../tailscale_1.98.8_arm64.deb ... "
    "Unpacking tailscale (1.98.8) ... Setting up tailscale (1.98.8) ... Created symlink "
    "/etc/systemd/system/multi-user.target.wants/tailscaled.service → /lib/systemd/system/tailscaled.service.",
    "Hit:1 http://archive.ubuntu.com/ubuntu jammy InRelease Reading package lists... Done Building dependency tree... "
    "Done Reading state information... Done tailscale is already the newest version (1.80.2).",
    "I was following the guide on my Raspberry Pi 4 and everything seemed fine until the next commands, here is "
    "what my terminal showed after the install finished:",
)
_PROMPTS = ("pi@raspberrypi:~ $", "amap@aMAP:~/Desktop/TRobotics_Client$", "root@nas:/#", "")
_USAGE_ERRORS = (
    "tailscale: unknown subcommand: u",
    "tailscale: unknown subcommand: stauts",
    "tailscale debug: unknown subcommand: netmapp",
    "flag provided but not defined: -acept-routes",
    "flag needs an argument: -exit-node",
    'invalid boolean value "yes" for -accept-routes: parse error',
    'too many non-flag arguments: ["extra"]',
)
_STATE_ANSWERS = (
    ("tailscale ip -4", "no current Tailscale IPs; state: NeedsLogin"),
    ("tailscale ip", "no current Tailscale IPs; state: Stopped"),
    ("tailscale status", "Logged out."),
    ("tailscale status", "Tailscale is stopped."),
    ("tailscale status", "Machine is not yet approved by tailnet admin."),
)


def _flat(before: str, prompt: str, usage: str, answers: tuple[tuple[str, str], ...]) -> str:
    parts = [before, "sudo tailscale up", usage]
    for command, answer in answers:
        parts += [f"{prompt} {command}".strip(), answer]
    return " ".join(parts) + (f" {prompt}" if prompt else "") + "\n"


@pytest.mark.parametrize("before", _BEFORE)
@pytest.mark.parametrize("usage", _USAGE_ERRORS)
@pytest.mark.parametrize(
    "answers", [_STATE_ANSWERS[0:1], _STATE_ANSWERS[1:3], _STATE_ANSWERS[2:3], _STATE_ANSWERS[3:5]]
)
def test_each_cli_message_of_a_flattened_paste_is_read(
    before: str, usage: str, answers: tuple[tuple[str, str], ...]
) -> None:
    prompt = _PROMPTS[(len(before) + len(usage)) % len(_PROMPTS)]
    document = _document(_flat(before, prompt, usage, answers))
    kinds = _windows(document)
    assert "cli-usage" in kinds, kinds
    assert "not-running-state" in kinds, kinds
    assert {"TS-CLI-USAGE", "TS-CLI-NOT-RUNNING-STATE"} <= _rules(document)
    assert not kinds & {"service-not-running", "install-failed", "daemon-subcommand-unavailable"}, kinds
    assert document["summary"]["exit_code"] == 1
    # the evidence is the message itself, not the whole flattened line
    said = [e["text"] for f in document["findings"] if f["rule"] == "TS-CLI-USAGE" for e in f["evidence"]]
    assert said and all(len(text) < len(usage) + 60 for text in said), said


@pytest.mark.parametrize("before", _BEFORE[:2])
@pytest.mark.parametrize(("command", "answer"), _STATE_ANSWERS[:2])
def test_a_flattened_paste_with_one_answer_keeps_that_answer_alone(before: str, command: str, answer: str) -> None:
    document = _document(f"{before} {_PROMPTS[0]} {command} {answer} {_PROMPTS[0]}\n")
    assert _windows(document) == {"not-running-state"}


@pytest.mark.parametrize("before", _BEFORE[:2])
@pytest.mark.parametrize("usage", _USAGE_ERRORS)
def test_a_flattened_paste_with_one_usage_error_reads_it(before: str, usage: str) -> None:
    document = _document(f"{before} {_PROMPTS[1]} tailscale whatever {usage} {_PROMPTS[1]}\n")
    assert "cli-usage" in _windows(document) and "not-running-state" not in _windows(document)


@pytest.mark.parametrize(
    "prose",
    [
        'When I typed it wrong I got "tailscale: unknown subcommand: u" and after that `tailscale ip` said '
        '"no current Tailscale IPs; state: NeedsLogin", which the docs explain means the node never logged in to '
        "the tailnet.",
        "The CLI answers `flag provided but not defined: -foo` for a mistyped flag and `no current Tailscale IPs; "
        "state: NeedsLogin` before the first login, so both are expected on a fresh install like mine, right?",
        "Q: what does “tailscale: unknown subcommand: u” mean? A: you typed u instead of up; also “Logged out.” "
        "from tailscale status means you must log in again with sudo tailscale up and the browser.",
    ],
)
def test_prose_quoting_the_messages_is_not_read_message_by_message(prose: str) -> None:
    # a sentence naming two messages reads as it did before (its first match at most), not as a flattened paste
    assert len(_windows(_document(prose + "\n"))) <= 1


@pytest.mark.parametrize("usage", _USAGE_ERRORS[:3])
def test_a_short_line_with_one_message_reads_as_before(usage: str) -> None:
    assert _windows(_document(f"$ tailscale {usage.split()[-1]}\n{usage}\n")) <= {
        "cli-usage",
        "daemon-subcommand-unavailable",
    }


# ------------------------------------------------------------------ 2. the install script run to its end

_RUNS = (
    ("ubuntu noble", "apt", None),
    ("debian bookworm", "apt", "1.80.2"),
    ("fedora 40", "dnf", None),
    ("opensuse-leap 15.6", "zypper", None),
    ("arch", "pacman", None),
    ("alpine 3.20", "apk", None),
)
_MIDDLES = (
    ("+ sudo mkdir -p --mode=0755 /usr/share/keyrings", "[sudo] password for osadmin: **********", "..."),
    (
        "+ curl -fsSL https://pkgs.tailscale.com/stable/ubuntu/noble.noarmor.gpg",
        "+ sudo tee /usr/share/keyrings/tailscale-archive-keyring.gpg",
        "Hit:1 http://archive.ubuntu.com/ubuntu noble InRelease",
        "Reading package lists... Done",
        "Setting up tailscale (1.80.2) ...",
        "Created symlink /etc/systemd/system/multi-user.target.wants/tailscaled.service → "
        "/lib/systemd/system/tailscaled.service.",
        "+ set +x",
    ),
    (
        "+ doas apk add tailscale",
        "Warning: Alpine Linux maintains their own Tailscale package. Version pinning may "
        "not work as expected, as the target version may no longer be available.",
    ),
)
_SUDOS = ("sudo ", "doas ", "")


@pytest.mark.parametrize(("os", "method", "version"), _RUNS)
@pytest.mark.parametrize("middle", _MIDDLES)
@pytest.mark.parametrize("fence", ["{}", "```console\n{}```\n"])
def test_the_install_script_run_to_its_end_is_a_view(
    os: str, method: str, version: str | None, middle: tuple[str, ...], fence: str
) -> None:
    sudo = _SUDOS[len(os) % len(_SUDOS)]
    asked = f"{version} " if version else ""
    run = "\n".join(
        [
            "$ curl -fsSL https://tailscale.com/install.sh | sh",
            f"Installing Tailscale {asked}for {os}, using method {method}",
            *middle,
            "Installation complete! Log in to start using Tailscale by running:",
            "",
            f"{sudo}tailscale up",
            "",
        ]
    )
    document = _document(fence.format(run))
    assert document["summary"]["exit_code"] == 0
    assert document["findings"] == [] or all(f["severity"] == "info" for f in document["findings"])
    views = [view for view in _views(document) if view["kind"] == "install-script"]
    assert len(views) == 1, _views(document)
    view = views[0]
    assert (view["os"], view["method"], view["version"], view["complete"]) == (os, method, version, True)
    assert view["next_step"] == f"{sudo}tailscale up"
    assert "install-failed" not in _windows(document)
    layout = next(b["layout"] for b in document["blocks"] if b["kind"] == "install-script")
    assert layout.startswith(f"install script: installed {asked}for {os} via {method}"), layout


@pytest.mark.parametrize(
    "refusal",
    [
        "dnf 5 detected, but 'dnf-command(config-manager)' not available and dnf-3 not found",
        "installing tailscale requires the community repo to be enabled in /etc/apk/repositories",
    ],
)
def test_an_install_stopped_by_a_refusal_stays_install_failed(refusal: str) -> None:
    method = "dnf" if "dnf" in refusal else "apk"
    text = (
        f"Installing Tailscale for fedora 41, using method {method}\n+ sudo {method} install -y tailscale\n{refusal}\n"
    )
    document = _document(text)
    assert "install-failed" in _windows(document)
    assert document["summary"]["exit_code"] == 1


def test_a_refusal_between_the_start_and_a_later_end_is_still_read() -> None:
    text = (
        "Installing Tailscale for fedora 41, using method dnf\n"
        "dnf 5 detected, but 'dnf-command(config-manager)' not available and dnf-3 not found\n"
        "Installation complete! Log in to start using Tailscale by running:\n"
    )
    assert "install-failed" in _windows(_document(text))


@pytest.mark.parametrize(
    "prose",
    [
        "Installing Tailscale for the first time on my server was easy.",
        "Installation complete! Now let's configure nginx.",
        "The script says Installing Tailscale for ubuntu noble, using method apt and then it finishes.",
    ],
)
def test_prose_about_installing_is_not_the_view(prose: str) -> None:
    assert not [v for v in _views(_document(prose + "\n")) if v["kind"] == "install-script"]


# ------------------------------------------------------------------ 3. a peer whose node key expired

_PING_PROMPTS = (
    "$ tailscale ping raspberrypi",
    "% tailscale ping --tsmp 100.101.102.103",
    "PS C:\\Users\\me> tailscale ping --c 3 nas",
    "user@mac ~ % /Applications/Tailscale.app/Contents/MacOS/Tailscale ping pi.tail1234.ts.net",
    "$ sudo tailscale ping --peerapi 100.64.0.7",
)
_EXPIRED = ("peer's node key has expired", "peer’s node key has expired", "error: peer's node key has expired")


@pytest.mark.parametrize("prompt", _PING_PROMPTS)
@pytest.mark.parametrize("answer", _EXPIRED)
@pytest.mark.parametrize("fence", ["{}", "```\n{}```\n"])
def test_ping_refused_for_an_expired_peer_is_peer_key_expired(prompt: str, answer: str, fence: str) -> None:
    document = _document(fence.format(f"{prompt}\n{answer}\n"))
    assert _windows(document) == {"peer-key-expired"}
    assert _rules(document) == {"TS-CLI-PEER-KEY-EXPIRED"}
    finding = document["findings"][0]
    assert finding["severity"] == "warning"
    assert "tailscale up" in finding["fix"] and "key expiry" in finding["fix"]
    assert document["summary"]["exit_code"] == 1


@pytest.mark.parametrize(
    "text",
    [
        "The peer's node key has expired, so I re-authenticated it.\n",
        "$ tailscale status\n100.64.0.7  pi  me@  linux  offline, expired\n",
    ],
)
def test_the_words_outside_pings_answer_are_not_peer_key_expired(text: str) -> None:
    assert "peer-key-expired" not in _windows(_document(text))


# ------------------------------------------------------------------ 4. a feature not on the tailnet's plan

_PLANS = ("Starter", "Personal", "Free", "Personal Plus", "Standard")


@pytest.mark.parametrize("plan", _PLANS)
@pytest.mark.parametrize("prompt", ["", "$ tailscale funnel --bg 65500\n", "% tailscale funnel 443 on\n"])
@pytest.mark.parametrize("url", [True, False])
def test_funnel_not_on_the_plan_is_funnel_unavailable(plan: str, prompt: str, url: bool) -> None:
    lines = [f"Funnel is not available on the {plan} plan."]
    if url:
        lines += [
            "Upgrade to a different plan to get access to Funnel:",
            "",
            "         https://login.tailscale.com/admin/settings/billing/plans",
        ]
    document = _document(prompt + "\n".join(lines) + "\n")
    assert _windows(document) == {"funnel-unavailable"}
    finding = next(f for f in document["findings"] if f["rule"] == "TS-FUNNEL-UNAVAILABLE")
    assert f"({plan})" in finding["cause"] and "plan" in finding["fix"]
    assert document["summary"]["exit_code"] == 1


@pytest.mark.parametrize("plan", _PLANS[:3])
def test_serve_not_on_the_plan_is_serve_not_enabled(plan: str) -> None:
    document = _document(f"$ tailscale serve --bg 3000\nServe is not available on the {plan} plan.\n")
    assert _windows(document) == {"serve-not-enabled"}


@pytest.mark.parametrize(
    "text",
    [
        "Tailscale SSH is not available on the Starter plan.\n",
        "Funnel is not available on Windows 7, the docs say.\n",
    ],
)
def test_other_features_or_non_plan_words_are_not_funnel_unavailable(text: str) -> None:
    assert "funnel-unavailable" not in _windows(_document(text))
