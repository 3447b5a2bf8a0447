"""Generated tests for session 17's leftovers in `opskit diagnose` (what a user sees in the JSON document).

1. A flattened paste (line breaks turned to spaces) whose only Tailscale message is a one-line state answer
   (`$ tailscale status Logged out.`) reads as the unflattened paste does; prose and other commands do not.
"""

from __future__ import annotations

import itertools
from typing import Any

import pytest

from opskit.errors import InputError
from tests.diagnose.conftest import run_json
from tests.diagnose.log_catalog import LOG_PREFIXES, document_of


def _reading(document: dict[str, Any]) -> tuple[object, ...]:
    """What a user sees of a state answer: exit code, findings, the status state, the CLI errors."""
    return (
        document.get("summary", {}).get("exit_code", document.get("exit_code")),
        sorted((finding["rule"], finding["severity"]) for finding in document.get("findings", [])),
        [status["state"] for status in document.get("statuses") or []],
        [error["kind"] for error in document.get("windows") or []],
    )


# ------------------------------------------------------------------ 1. a flattened one-line state answer

_PROMPTS = ("$ ", "# ", "PS C:\\> ", "user@host:~$ ", "root@pi-4:/etc# ", "C:\\Users\\me> ", "> ")
_COMMANDS = ("tailscale status", "sudo tailscale up", "tailscale ip -4", "tailscale.exe status", "tailscale up --ssh")
_STATES = ("Logged out.", "Tailscale is stopped.", "Machine is not yet approved by tailnet admin.")
_AFTER = ("", " user@host:~$ ", " $ sudo systemctl status tailscaled")


@pytest.mark.parametrize(
    ("prompt", "command", "state", "after"), list(itertools.product(_PROMPTS, _COMMANDS, _STATES, _AFTER))
)
def test_flattened_state_answer_reads_as_the_unflattened_paste(
    prompt: str, command: str, state: str, after: str
) -> None:
    flattened = run_json(f"{prompt}{command} {state}{after}\n")
    unflattened = run_json(f"{prompt}{command}\n{state}\n{after.strip()}\n")
    assert _reading(flattened) == _reading(unflattened)
    assert _reading(flattened)[0] == 1  # a node not up is a problem, never "no problems"
    assert [status["state"] for status in flattened["statuses"]] == [state]


@pytest.mark.parametrize(
    "text",
    [
        f"{lead}{state}{tail}"
        for lead, state, tail in itertools.product(
            ("I saw ", "$ echo ", "it said ", "$ grep -r ", "the app showed "), _STATES, ("", " yesterday", " again")
        )
    ],
)
def test_a_state_answer_not_after_a_typed_tailscale_command_stays_prose(text: str) -> None:
    try:
        document = run_json(text + "\n")
    except InputError:
        return  # nothing recognised: no state read
    assert document["statuses"] == []


# ------------------------------------------------------------------ 4. util/linuxfw's IPv4-only decision, any prefix

_V6_PREFIXES = (
    *LOG_PREFIXES,
    "01-02 03:04:05.678  1234  1250 I tailscaled: {msg}",  # logcat
    "2024-01-12T10:41:06.123Z {msg}",
    "ts-sidecar-1  | {msg}",  # docker compose without a stamp
)
# util/linuxfw: iptables.go / nftables_runner.go "disabling tunneled IPv6 due to system IPv6 config: %v" with
# linuxfw.go checkIPv6's errors, "… due to missing ip6tables: %v"; v1.62 "ipv6 unavailable due to missing filter table"
_V6_OFF_MESSAGES = (
    "disabling tunneled IPv6 due to system IPv6 config: disable_ipv6 is set",
    "disabling tunneled IPv6 due to system IPv6 config: disable_policy is set",
    "disabling tunneled IPv6 due to system IPv6 config: kernel doesn't support IPv6 policy routing: exit status 2",
    "disabling tunneled IPv6 due to system IPv6 config: querying IPv6 policy routing rules: exit status 255",
    'disabling tunneled IPv6 due to missing ip6tables: exec: "ip6tables": executable file not found in $PATH',
    "ipv6 unavailable due to missing filter table: running [/sbin/ip6tables -t filter -S --wait]: exit status 3",
)


@pytest.mark.parametrize(
    ("prefix", "logger", "message"), list(itertools.product(_V6_PREFIXES, ("", "router: "), _V6_OFF_MESSAGES))
)
def test_ipv6_tunnel_off_reads_under_every_prefix_and_bare(prefix: str, logger: str, message: str) -> None:
    document = document_of(prefix.format(msg=logger + message) + "\n")
    kinds = [issue["kind"] for log in document["daemon_logs"] for issue in log["issues"]]
    assert kinds == ["ipv6-tunnel-off"]
    assert document["summary"]["exit_code"] == 0  # an info: IPv4 works


@pytest.mark.parametrize(("prefix", "logger"), list(itertools.product(_V6_PREFIXES, ("", "router: "))))
def test_the_ipv6_probe_refused_its_rights_stays_a_firewall_failure(prefix: str, logger: str) -> None:
    message = "ipv6 unavailable due to missing filter table: running [ip6tables -S]: Permission denied (must be root)"
    document = document_of(prefix.format(msg=logger + message) + "\n")
    kinds = [issue["kind"] for log in document["daemon_logs"] for issue in log["issues"]]
    assert "ipv6-tunnel-off" not in kinds


# ------------------------------------------------------------------ 5. memory kills: Android's lmkd, `docker inspect`

_LOGCAT = (
    "01-02 03:04:05.678   512   512 I lowmemorykiller: {msg}",
    "2024-01-02 03:04:05.678   512   512 I lowmemorykiller: {msg}",
    "I/lowmemorykiller(  512): {msg}",
    "{msg}",
)
# lmkd.cpp (Android 11+) "Kill '%s' (%d), uid %d, oom_score_adj %d to free %ldkB rss, %ldkB swap; reason: %s";
# before, and the kernel's lowmemorykiller driver, "Killing '%s' (%d), adj %d,"
_LMKD = (
    "Kill '{app}' ({pid}), uid 10234, oom_score_adj {adj} to free 123456kB rss, 4567kB swap; reason: low watermark",
    "Killing '{app}' ({pid}), adj {adj},",
    "Killing '{app}' ({pid}), uid 10234, adj {adj}",
)


@pytest.mark.parametrize(
    ("prefix", "form", "app", "pid", "adj"),
    list(itertools.product(_LOGCAT, _LMKD, ("com.tailscale.ipn", "com.tailscale.ipn:tile"), (812, 30411), (900, 0))),
)
def test_android_lmkd_killing_the_app_is_a_memory_kill(prefix: str, form: str, app: str, pid: int, adj: int) -> None:
    document = document_of(prefix.format(msg=form.format(app=app, pid=pid, adj=adj)) + "\n")
    kinds = [issue["kind"] for log in document["daemon_logs"] for issue in log["issues"]]
    assert kinds == ["oom-killed"]
    (finding,) = [f for f in document["findings"] if f["rule"] == "TS-LOG-OOM-KILLED"]
    assert "low-memory killer" in finding["cause"] and "Battery" in finding["fix"]
    assert document["summary"]["exit_code"] == 1


@pytest.mark.parametrize(
    ("prefix", "form", "app"),
    list(itertools.product(_LOGCAT, _LMKD, ("com.android.chrome", "com.example.tailscaleclient", "org.tailscale"))),
)
def test_lmkd_killing_another_app_is_not_tailscales(prefix: str, form: str, app: str) -> None:
    document = document_of(prefix.format(msg=form.format(app=app, pid=812, adj=900)) + "\n")
    assert not any(log["issues"] for log in document["daemon_logs"])


def _docker_inspect(name: str, image: str, oom: bool, memory: int, path: str = "/usr/local/bin/containerboot") -> str:
    return (
        f'[\n    {{\n        "Id": "3f2a9c0d1b4e",\n        "Path": "{path}",\n        "State": {{\n'
        f'            "Status": "exited",\n            "Running": false,\n'
        f'            "OOMKilled": {str(oom).lower()},\n            "ExitCode": {137 if oom else 0}\n        }},\n'
        f'        "Name": "/{name}",\n        "HostConfig": {{\n            "Memory": {memory}\n        }},\n'
        f'        "Config": {{\n            "Image": "{image}"\n        }}\n    }}\n]\n'
    )


@pytest.mark.parametrize(
    ("command", "name", "image", "memory"),
    list(
        itertools.product(
            ("", "$ docker inspect ts\n", "$ sudo docker container inspect tailscale-sidecar\n"),
            ("ts", "tailscale", "vpn_1"),
            ("tailscale/tailscale:latest", "ghcr.io/tailscale/tailscale:v1.80.2", "tailscale/tailscale:stable"),
            (0, 268435456),
        )
    ),
)
def test_docker_inspect_oom_killed_tailscale_container(command: str, name: str, image: str, memory: int) -> None:
    document = document_of(command + _docker_inspect(name, image, True, memory))
    (finding,) = [f for f in document["findings"] if f["rule"] == "TS-LOG-OOM-KILLED"]
    assert ("memory limit was reached" in finding["cause"]) is (memory > 0)
    assert document["summary"]["exit_code"] == 1
    assert finding["evidence"][0]["line"] == command.count("\n") + 8  # the "OOMKilled" line


@pytest.mark.parametrize(
    ("name", "image", "oom"),
    [
        ("postgres", "postgres:16", True),
        ("web", "nginx:1.27", True),
        ("ts", "tailscale/tailscale:latest", False),
        ("tailscale", "tailscale/tailscale:v1.80.2", False),
    ],
)
def test_docker_inspect_of_another_container_or_no_oom_reads_nothing(name: str, image: str, oom: bool) -> None:
    document = document_of(_docker_inspect(name, image, oom, 0, path="/docker-entrypoint.sh"))
    assert not any(f["rule"] == "TS-LOG-OOM-KILLED" for f in document["findings"])


# ------------------------------------------------------------------ 3. the enable prompt answered by "Success."

_ENABLE_RUNS = (
    ("tailscale serve --bg 3000", "Serve", "serve"),
    ("sudo tailscale serve --bg --https=8443 http://127.0.0.1:8080", "Serve", "serve"),
    ("tailscale funnel --bg 443", "Funnel", "funnel"),
    ("tailscale funnel 8080", "Funnel", "funnel"),
)


def _enable_run(prompt: str, command: str, feature: str, path: str, indent: str, node: str, success: bool) -> str:
    url = f"https://login.tailscale.com/f/{path}?node={node}"
    tail = "\nSuccess.\n" if success else "\n"
    return f"{prompt}{command}\n\n{feature} is not enabled on your tailnet.\nTo enable, visit:\n\n{indent}{url}\n{tail}"


_ENABLE_CASES = list(
    itertools.product(
        ("$ ", "PS C:\\> ", "me@mac ~ % "), _ENABLE_RUNS, ("         ", "", "\t"), ("nABC123CNTRL", "<redacted>")
    )
)


@pytest.mark.parametrize(("prompt", "run", "indent", "node"), _ENABLE_CASES)
def test_an_enable_prompt_answered_by_success_is_the_feature_enabled(
    prompt: str, run: tuple[str, str, str], indent: str, node: str
) -> None:
    document = run_json(_enable_run(prompt, *run, indent, node, success=True))
    assert [error["kind"] for error in document["windows"]] == ["feature-enabled"]
    rules = [(finding["rule"], finding["severity"]) for finding in document["findings"]]
    assert rules == [("TS-CLI-FEATURE-ENABLED", "info")]
    assert f"{run[1]}" in document["findings"][0]["cause"] and "enabled in this run" in document["findings"][0]["cause"]
    assert document["summary"]["exit_code"] == 0


@pytest.mark.parametrize(("prompt", "run", "indent", "node"), _ENABLE_CASES)
def test_an_enable_prompt_with_nothing_after_it_stays_not_enabled(
    prompt: str, run: tuple[str, str, str], indent: str, node: str
) -> None:
    document = run_json(_enable_run(prompt, *run, indent, node, success=False))
    assert [error["kind"] for error in document["windows"]] in (["serve-not-enabled"], ["funnel-unavailable"])
    assert document["summary"]["exit_code"] == 1


# ------------------------------------------------------------------ 2. `brew services info tailscale` (text, --json)

_BOOLS = {True: ("true", "\u2714"), False: ("false", "\u2718")}  # plain, and a terminal's ✔/✘


def _brew_info_text(running: bool, user: str, tty: int, verbose: bool, label: str = "homebrew.mxcl.tailscale") -> str:
    lines = ["$ brew services info tailscale", f"tailscale ({label})", f"Running: {_BOOLS[running][tty]}"]
    lines += [f"Loaded: {_BOOLS[True][tty]}", f"Schedulable: {_BOOLS[False][tty]}"]
    if running:
        lines += [f"User: {user}", "PID: 4242"]
    if verbose:
        folder = "/Library/LaunchDaemons" if user == "root" else f"/Users/{user}/Library/LaunchAgents"
        lines += [
            f"File: {folder}/{label}.plist {_BOOLS[True][tty]}",
            "Command: /opt/homebrew/opt/tailscale/bin/tailscaled",
        ]
    return "\n".join(lines) + "\n"


def _brew_info_json(running: bool, user: str, exit_code: int | None, label: str = "homebrew.mxcl.tailscale") -> str:
    folder = "/Library/LaunchDaemons" if user == "root" else f"/Users/{user}/Library/LaunchAgents"
    pid = "4242" if running else "null"
    code = "null" if exit_code is None else str(exit_code)
    return (
        '$ brew services info tailscale --json\n[\n  {\n    "name": "tailscale",\n'
        f'    "service_name": "{label}",\n    "running": {str(running).lower()},\n    "loaded": true,\n'
        f'    "schedulable": false,\n    "pid": {pid},\n    "exit_code": {code},\n    "user": "{user}",\n'
        f'    "status": "{"started" if running else "error" if exit_code else "none"}",\n'
        f'    "file": "{folder}/{label}.plist",\n    "registered": true\n  }}\n]\n'
    )


def _log_reading(text: str) -> tuple[list[str], str | None, int]:
    document = document_of(text)
    logs = document["daemon_logs"]
    kinds = [issue["kind"] for log in logs for issue in log["issues"]]
    return kinds, logs[0]["os"] if logs else None, document["summary"]["exit_code"] if logs else 2


@pytest.mark.parametrize(
    ("user", "tty", "verbose"), list(itertools.product(("alice", "jo.smith", "<username>"), (0, 1), (False, True)))
)
def test_brew_info_running_as_a_user_agent_cannot_create_the_utun(user: str, tty: int, verbose: bool) -> None:
    document = document_of(_brew_info_text(True, user, tty, verbose))
    (log,) = document["daemon_logs"]
    assert [issue["kind"] for issue in log["issues"]] == ["crash"] and log["os"] == "macos"
    assert "sudo brew services start tailscale" in log["issues"][0]["message"] and "utun" in log["issues"][0]["message"]
    assert document["summary"]["exit_code"] == 1


@pytest.mark.parametrize(("tty", "verbose"), list(itertools.product((0, 1), (False, True))))
def test_brew_info_running_as_root_or_not_running_is_fine(tty: int, verbose: bool) -> None:
    assert _log_reading(_brew_info_text(True, "root", tty, verbose)) == ([], "macos", 0)
    # the text form prints no exit status: not running is not known to be a crash
    assert _log_reading(_brew_info_text(False, "alice", tty, verbose)) == ([], "macos", 0)


@pytest.mark.parametrize(
    ("user", "code"), list(itertools.product(("alice", "root", "<username>"), (256, 512, 19968, 1, 78)))
)
def test_brew_info_json_not_running_with_an_exit_status_is_a_crash(user: str, code: int) -> None:
    document = document_of(_brew_info_json(False, user, code))
    (log,) = document["daemon_logs"]
    assert [issue["kind"] for issue in log["issues"]] == ["crash"] and log["os"] == "macos"
    message = log["issues"][0]["message"]
    assert f"error {code}" in message and ("LaunchAgent" in message) is (user != "root")
    assert document["summary"]["exit_code"] == 1


@pytest.mark.parametrize("user", ["alice", "<username>"])
def test_brew_info_json_running_as_a_user_agent_and_as_root(user: str) -> None:
    assert _log_reading(_brew_info_json(True, user, None))[0] == ["crash"]
    assert _log_reading(_brew_info_json(True, "root", None)) == ([], "macos", 0)
    assert _log_reading(_brew_info_json(False, user, 0))[0] == []  # stopped cleanly (exit status 0)


@pytest.mark.parametrize(
    "text",
    [
        _brew_info_text(True, "alice", 0, False).replace("tailscale (", "nginx (").replace(".tailscale)", ".nginx)"),
        _brew_info_json(False, "alice", 256).replace('"tailscale"', '"nginx"').replace(".tailscale", ".nginx"),
        "tailscale (homebrew.mxcl.tailscale)\nsome words about it\n",
    ],
)
def test_brew_info_of_another_formula_or_without_its_fields_reads_nothing(text: str) -> None:
    assert _log_reading(text)[0] == []


@pytest.mark.parametrize(
    ("user", "path"),
    list(
        itertools.product(
            ("jo", "<username>"),
            (
                "~/Library/LaunchAgents/homebrew.mxcl.tailscale.plist",
                "/Users/jo/Library/LaunchAgents/homebrew.mxcl.tailscale.plist",
            ),
        )
    ),
)
def test_brew_list_started_row_of_a_user_agent_reads_as_the_info_does(user: str, path: str) -> None:
    row = f"tailscale started  {user:<10} {path}\n"
    assert _log_reading(row)[0] == ["crash"]
    daemon = "tailscale started  root       /Library/LaunchDaemons/homebrew.mxcl.tailscale.plist\n"
    assert _log_reading(daemon)[0] == []
