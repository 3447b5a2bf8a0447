"""Generated tests for blind batch 42's misses (corpus 2361-2363, 2365, 2384), read as classes (what a user sees in
the JSON).

- `systemctl status tailscaled`'s 'Status: "…"' line: the status tailscaled hands systemd (sd_notify, Linux only;
  ipnlocal "Needs login: %s", "Stopped; run 'tailscale up' to log in", "Connected; %s; %s", the control client's
  "key expired; run 'tailscale up' to authenticate" v1.4-v1.86), alone or in the whole status block, is the
  daemon's state. Another unit's Status line is not read.
- `brew services list` rows for the tailscale formula: "error N" (launchd's wait status) is the service's crash,
  a user LaunchAgent named as the cause; "started" runs. macOS from the plist.
- cmd/tailscaled's darwin-only "tailscaled requires root; use sudo tailscaled (or use --tun=userspace-networking)":
  macOS, and NOT userspace (it is printed only when --tun is not userspace-networking).
- bash/zsh job reports ("[1]+ Exit 1  tailscaled --tun=userspace-networking"): hand-started, its flags read, how it
  ended (Exit N / a signal → crash, Done → status 0); the unstamped fatal "safesocket.Listen: …:" broken after its
  colon joins its lower-case rest.
- serve/funnel's "… is not enabled on your tailnet." prompt that the same run went past (the listing, "… started
  and running in the background."): no serve-not-enabled / funnel-unavailable; a prompt left waiting stays (and one
  followed by "Success." alone stays the resolved info of test_paste_classes_fix19_cli_b).
"""

from __future__ import annotations

from typing import Any

import pytest

from opskit.errors import InputError
from tests.diagnose.conftest import run_json


def _json(text: str) -> dict[str, Any] | None:
    """The JSON document, or None when nothing was recognised (exit 2)."""
    try:
        return run_json(text)
    except InputError:
        return None


def _log(text: str) -> dict[str, Any]:
    document = _json(text)
    assert document is not None, text
    assert len(document["daemon_logs"]) == 1, document["blocks"]
    log: dict[str, Any] = document["daemon_logs"][0]
    log["exit_code"] = document["summary"]["exit_code"]
    log["kinds"] = [issue["kind"] for issue in log["issues"]]
    return log


def _fence(lines: list[str], fence: str) -> str:
    if fence == "none":
        return "\n".join(lines) + "\n"
    return "\n".join([f"```{fence}".rstrip(), *lines, "```"]) + "\n"


# ------------------------------------------------------------------------------ systemd's Status line

_NEEDS_LOGIN = (
    'Status: "Needs login: "',
    'Status: "Needs login: https://login.tailscale.com/a/1a2b3c4d5e6f"',
    'Status: "Needs login: https://headscale.example.org/register/nodekey:abcdef0123456789"',
    "Status: \"key expired; run 'tailscale up' to authenticate\"",
)
_CONNECTED = (
    'Status: "Connected; alice@example.com; 100.101.102.103 fd7a:115c:a1e0:ab12:4843:cd96:6265:6667"',
    'Status: "Connected; bob@github; 100.64.0.7"',
    'Status: "Connected; tagged-devices; 100.x.y.z fd7a:115c:a1e0::1"',
)
_STOPPED = "Status: \"Stopped; run 'tailscale up' to log in\""
_HEADER = "● tailscaled.service - Tailscale node agent"
_UNIT_FIELDS = (
    "     Loaded: loaded (/lib/systemd/system/tailscaled.service; enabled; vendor preset: enabled)",
    "     Active: active (running) since Tue 2026-03-03 09:12:44 UTC; 3 days ago",
    "       Docs: https://tailscale.com/kb/",
    "   Main PID: 731 (tailscaled)",
)
_CGROUP = (
    "      Tasks: 12 (limit: 9401)",
    "     Memory: 41.0M",
    "     CGroup: /system.slice/tailscaled.service",
    "             └─731 /usr/sbin/tailscaled --state=/var/lib/tailscale/tailscaled.state --port=41641",
)


def _status_paste(status: str, layout: str, fence: str) -> str:
    if layout == "alone":
        lines = [status]
    elif layout == "indented":
        lines = [f"     {status}"]
    elif layout == "with-command":
        lines = ["$ systemctl status tailscaled --no-pager -l", f"     {status}"]
    else:  # the whole block
        lines = ["$ sudo systemctl status tailscaled", _HEADER, *_UNIT_FIELDS, f"     {status}", *_CGROUP]
    return _fence(lines, fence)


_LAYOUTS = ("alone", "indented", "with-command", "block")
_FENCES = ("none", "", "text")


@pytest.mark.parametrize("status", _NEEDS_LOGIN)
@pytest.mark.parametrize("layout", _LAYOUTS)
@pytest.mark.parametrize("fence", _FENCES)
def test_status_line_needs_login_is_login_required(status: str, layout: str, fence: str) -> None:
    log = _log(_status_paste(status, layout, fence))
    assert log["state"] == "NeedsLogin"
    assert "login-required" in log["kinds"]
    assert "crash" not in log["kinds"] and "control-unreachable" not in log["kinds"]
    assert log["os"] == "linux"
    assert log["hand_started"] is False
    assert log["exit_code"] == 1


@pytest.mark.parametrize("status", _CONNECTED)
@pytest.mark.parametrize("layout", _LAYOUTS)
def test_status_line_connected_is_running_and_fine(status: str, layout: str) -> None:
    log = _log(_status_paste(status, layout, ""))
    assert log["state"] == "Running"
    assert log["issues"] == []
    assert log["os"] == "linux"
    assert log["exit_code"] == 0


@pytest.mark.parametrize("layout", _LAYOUTS)
def test_status_line_stopped_is_the_stopped_state(layout: str) -> None:
    log = _log(_status_paste(_STOPPED, layout, ""))
    assert log["state"] == "Stopped"
    assert "login-required" not in log["kinds"]
    assert log["os"] == "linux"


def test_status_line_connected_after_a_login_clears_it() -> None:
    log = _log(_fence([_NEEDS_LOGIN[1], _CONNECTED[0]], ""))
    assert log["state"] == "Running"
    assert "login-required" not in log["kinds"]


@pytest.mark.parametrize(
    "status",
    [
        'Status: "Ready."',
        'Status: "Processing requests..."',
        'Status: "Connected; db-primary; 10.0.0.5"',  # no tailnet address: another program's wording
        'Status: "Needs restart"',
        'Status: 403, Message: "calling actor does not have enough permissions"',
    ],
)
@pytest.mark.parametrize("unit", ["alone", "nginx.service"])
def test_another_units_status_line_is_not_read(status: str, unit: str) -> None:
    if unit == "alone":
        lines = [status]
    else:
        lines = [f"● {unit} - A high performance web server", "     Active: active (running)", f"     {status}"]
    document = _json(_fence(lines, ""))
    logs = document["daemon_logs"] if document else []
    assert all(log["state"] is None for log in logs)
    assert all("login-required" not in [i["kind"] for i in log["issues"]] for log in logs)


@pytest.mark.parametrize(
    "prose",
    [
        "The key line says the node needs login, nothing else.",
        'Its status was "Needs login" so I ran tailscale up.',
        "Status: Needs login",  # unquoted: not systemctl's field
    ],
)
def test_prose_about_the_status_is_not_read(prose: str) -> None:
    document = _json(prose + "\n")
    assert document is None or not document["daemon_logs"]


# ------------------------------------------------------------------------------ brew services rows


def _brew_row(status: str, user: str, path: str) -> str:
    return f"tailscale {status:<8} {user:<10} {path}".rstrip()


_AGENT = "~/Library/LaunchAgents/homebrew.mxcl.tailscale.plist"
_AGENT_ABS = "/Users/jo/Library/LaunchAgents/homebrew.mxcl.tailscale.plist"
_DAEMON = "/Library/LaunchDaemons/homebrew.mxcl.tailscale.plist"


@pytest.mark.parametrize("code", [256, 512, 19968, 1, 78])
@pytest.mark.parametrize("user", ["<username>", "jo", "root"])
@pytest.mark.parametrize("path", [_AGENT, _AGENT_ABS, _DAEMON])
@pytest.mark.parametrize("header", [False, True])
def test_brew_services_error_row_is_a_crash(code: int, user: str, path: str, header: bool) -> None:
    lines = [_brew_row(f"error  {code}", user, path)]
    if header:
        lines = [
            "Name      Status       User File",
            "dnsmasq   started      root /Library/LaunchDaemons/x.plist",
            *lines,
        ]
    log = _log(_fence(lines, "log"))
    assert log["kinds"] == ["crash"]
    assert log["os"] == "macos"
    assert log["hand_started"] is False
    assert log["exit_code"] == 1
    message = log["issues"][0]["message"]
    assert f"error {code}" in message
    if code % 256 == 0:
        assert f"exit code {code // 256}" in message
    assert ("LaunchAgent" in message) is ("/LaunchAgents/" in path)
    if "/LaunchAgents/" in path:
        assert "sudo brew services start tailscale" in message


@pytest.mark.parametrize("path", [_AGENT, _DAEMON])
def test_brew_services_started_row_is_fine(path: str) -> None:
    log = _log(_fence([_brew_row("started", "root", path)], ""))
    assert log["issues"] == []
    assert log["os"] == "macos"
    assert log["exit_code"] == 0


def test_brew_services_error_row_without_file_column() -> None:
    log = _log(_fence(["tailscale error  256 jo"], ""))
    assert log["kinds"] == ["crash"]


@pytest.mark.parametrize(
    "text",
    [
        "tailscale started",
        "tailscale error",
        "tailscale stopped and I do not know why",
        "nginx     error  256 jo ~/Library/LaunchAgents/homebrew.mxcl.nginx.plist",
        "tailscaled error  256 jo ~/Library/LaunchAgents/homebrew.mxcl.tailscaled.plist",
    ],
)
def test_brew_like_lines_that_are_not_tailscales_row(text: str) -> None:
    document = _json(text + "\n")
    assert document is None or not any("crash" in [i["kind"] for i in log["issues"]] for log in document["daemon_logs"])


# ------------------------------------------------------------------------------ darwin's "requires root"

_REQUIRES_ROOT = "tailscaled requires root; use sudo tailscaled (or use --tun=userspace-networking)"


@pytest.mark.parametrize(
    "before",
    [[], ["$ cat /usr/local/var/log/tailscaled.log"], ["% tailscaled"], ["$ /opt/homebrew/bin/tailscaled"]],
)
@pytest.mark.parametrize("fence", ["none", "log", ""])
def test_requires_root_is_macos_not_userspace(before: list[str], fence: str) -> None:
    log = _log(_fence([*before, _REQUIRES_ROOT], fence))
    assert log["os"] == "macos"
    assert log["userspace"] is False
    assert "crash" in log["kinds"]
    assert log["exit_code"] == 1


def test_requires_root_repeated_by_launchd_restarts() -> None:
    log = _log(_fence([_REQUIRES_ROOT] * 3, "log"))
    assert log["os"] == "macos" and log["userspace"] is False and "crash" in log["kinds"]


# ------------------------------------------------------------------------------ shell job reports

_COMMANDS = (
    ("tailscaled --tun=userspace-networking", True),
    ("tailscaled --tun=userspace-networking --socket=/tmp/tailscaled.sock --state=/tmp/ts.state", True),
    ("sudo tailscaled", None),
    ("./tailscaled --state=mem:", None),
    ("/usr/sbin/tailscaled --tun userspace-networking", True),
    ("nohup tailscaled --tun=userspace-networking > /tmp/ts.log 2>&1", True),
)
_FAILED_ENDS = (
    ("bash", "Exit 1", 1),
    ("bash", "Exit 2", 2),
    ("bash", "Killed", None),
    ("bash", "Segmentation fault      (core dumped)", None),
    ("bash", "Terminated", None),
    ("zsh", "exit 1", 1),
    ("zsh", "killed", None),
    ("zsh", "segmentation fault", None),
)


def _job_line(shell: str, status: str, command: str, *, pid: bool = False, wd: bool = False) -> str:
    head = "[1]+ " if shell == "bash" else "[1]  + "
    if pid:
        head += "48213 "
    return f"{head}{status:<22} {command}" + ("  (wd: ~/bin)" if wd else "")


_SAFESOCKET = (
    "safesocket.Listen: listen unix /var/run/tailscale/tailscaled.sock:",
    "bind: no such file or directory",
)


@pytest.mark.parametrize(("command", "userspace"), _COMMANDS)
@pytest.mark.parametrize(("shell", "status", "code"), _FAILED_ENDS)
@pytest.mark.parametrize("pid", [False, True])
@pytest.mark.parametrize("with_error", [False, True])
def test_shell_job_end_is_a_hand_started_crash(
    command: str, userspace: bool | None, shell: str, status: str, code: int | None, pid: bool, with_error: bool
) -> None:
    job = _job_line(shell, status, command, pid=pid)
    log = _log(_fence([*(_SAFESOCKET if with_error else ()), job], ""))
    assert log["hand_started"] is True
    assert log["userspace"] is userspace
    assert "crash" in log["kinds"] and "hand-started" in log["kinds"]
    assert log["exit_code"] == 1
    crash = next(issue for issue in log["issues"] if issue["kind"] == "crash")
    if with_error:
        assert crash["message"].endswith("bind: no such file or directory")  # the wrapped piece joined
    elif code is not None:
        assert f"status {code}" in crash["message"]
    assert command.split(" >")[0] in log["why"]


@pytest.mark.parametrize(("shell", "status"), [("bash", "Done"), ("zsh", "done")])
@pytest.mark.parametrize("wd", [False, True])
def test_shell_job_done_is_status_zero_not_a_crash(shell: str, status: str, wd: bool) -> None:
    log = _log(_fence([_job_line(shell, status, "sudo tailscaled --cleanup", wd=wd)], ""))
    assert log["hand_started"] is True
    assert "crash" not in log["kinds"]
    assert "status 0" in log["why"]


@pytest.mark.parametrize(
    "text",
    [
        "[1]+ Exit 1  tailscale up --authkey=tskey-auth-xxxx",
        "[1]+  Done                    sleep 5",
        "[1]+  Running                 tailscaled --tun=userspace-networking &",
        "[1]+  Stopped                 tailscaled",
        "[2]   Exit 1                  nginx -g 'daemon off;'",
        "[1] 48213",
    ],
)
def test_other_job_reports_are_not_tailscaleds_end(text: str) -> None:
    document = _json(text + "\n")
    assert document is None or not any("crash" in [i["kind"] for i in log["issues"]] for log in document["daemon_logs"])


@pytest.mark.parametrize(
    ("rest", "kind"),
    [("bind: permission denied", "crash"), ("bind: no such file or directory", "crash")],
)
def test_unstamped_fatal_broken_after_its_colon_is_joined(rest: str, kind: str) -> None:
    log = _log(_fence([_SAFESOCKET[0], rest], ""))
    issue = next(issue for issue in log["issues"] if issue["kind"] == kind)
    assert issue["message"].endswith(rest)


def test_a_capitalised_line_after_the_colon_is_not_joined() -> None:
    log = _log(_fence([_SAFESOCKET[0], "Bind failed, see above"], ""))
    crash = next(issue for issue in log["issues"] if issue["kind"] == "crash")
    assert crash["message"].endswith("tailscaled.sock:")


# ------------------------------------------------------------------------------ serve/funnel enable prompt

_URL = {
    "Serve": "https://login.tailscale.com/f/serve?node=nAbC123CNTRL",
    "Funnel": "https://login.tailscale.com/f/funnel?node=nAbC123CNTRL",
}
_NOT_ENABLED_KINDS = {"serve-not-enabled", "funnel-unavailable"}


def _prompt(feature: str) -> list[str]:
    return [f"{feature} is not enabled on your tailnet.", "To enable, visit:", "", f"         {_URL[feature]}", ""]


def _answer(feature: str, background: bool, port: int) -> list[str]:
    available = "Available on the internet:" if feature == "Funnel" else "Available within your tailnet:"
    lines = [available, "", "https://mac-mini.tail1234.ts.net/", f"|-- proxy http://127.0.0.1:{port}", ""]
    if background:
        lines += [
            f"{feature} started and running in the background.",
            f"To disable the proxy, run: tailscale {feature.lower()} --https=443 off",
        ]
    else:
        lines += ["Press Ctrl+C to exit."]
    return lines


@pytest.mark.parametrize("feature", ["Serve", "Funnel"])
@pytest.mark.parametrize("success", [True, False])
@pytest.mark.parametrize("background", [True, False])
@pytest.mark.parametrize("prompt_form", ["zsh", "bash", "none"])
def test_enable_prompt_the_run_went_past_is_no_finding(
    feature: str, success: bool, background: bool, prompt_form: str
) -> None:
    command = f"tailscale {feature.lower()} {'--bg ' if background else ''}3000"
    head = {"zsh": [f"jo@mac-mini app % {command}"], "bash": [f"$ {command}"], "none": []}[prompt_form]
    lines = [*head, *_prompt(feature), *(["Success."] if success else []), *_answer(feature, background, 3000)]
    document = _json("\n".join(lines) + "\n")
    assert document is not None
    kinds = {error["kind"] for error in document["windows"]}
    assert not kinds & _NOT_ENABLED_KINDS
    assert any(view["kind"] == "serve-status" for view in document["views"])
    assert document["summary"]["exit_code"] == 0


@pytest.mark.parametrize("feature", ["Serve", "Funnel"])
@pytest.mark.parametrize("tail", [[], ["^C"], ["jo@mac-mini app % "]])
def test_enable_prompt_left_waiting_stays(feature: str, tail: list[str]) -> None:
    lines = [f"jo@mac-mini app % tailscale {feature.lower()} --bg 3000", *_prompt(feature), *tail]
    document = _json("\n".join(lines) + "\n")
    assert document is not None
    assert {error["kind"] for error in document["windows"]} & _NOT_ENABLED_KINDS


@pytest.mark.parametrize("feature", ["Serve", "Funnel"])
def test_a_listing_printed_by_a_later_command_does_not_go_past_the_prompt(feature: str) -> None:
    lines = [
        f"$ tailscale {feature.lower()} --bg 3000",
        *_prompt(feature),
        "^C",
        "$ tailscale serve status",
        *_answer(feature, False, 3000)[:4],
    ]
    document = _json("\n".join(lines) + "\n")
    assert document is not None
    assert {error["kind"] for error in document["windows"]} & _NOT_ENABLED_KINDS


@pytest.mark.parametrize("quote", ["> ", "> > "])
@pytest.mark.parametrize("path", [_AGENT, _DAEMON])
def test_brew_services_row_quoted_in_markdown(quote: str, path: str) -> None:
    text = "\n".join(f"{quote}{line}" for line in ["```", _brew_row("error  256", "jo", path), "```"]) + "\n"
    log = _log(text)
    assert log["kinds"] == ["crash"] and log["os"] == "macos"
