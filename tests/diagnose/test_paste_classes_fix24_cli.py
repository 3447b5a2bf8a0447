"""Generated tests for blind batch 24's CLI classes (corpus 1020, 1005, 1110, 1021, 1100).

- `tailscale update` refusals of clientupdate (cmd/tailscale/cli/update.go, clientupdate/*.go): the Windows
  updater needs an elevated terminal ("update must be run as Administrator", v1.48-v1.50 without "update "), the
  Unix updaters need root ("must be root; use sudo|doas"), the Debian updater edits only the one-line
  /etc/apt/sources.list.d/tailscale.list (a deb822 tailscale.sources setup fails with "open …tailscale.list: no
  such file or directory"): update-failed, whatever the confirmation prompt and the prompt before it
  (corpus 1020, 1005).
- The shell cannot find the `tailscale` program (bash/sudo/sh/zsh/fish/Android sh, cmd, PowerShell 5 and 7, an
  exec into a container without it): cli-not-found, with the Windows PATH fix for cmd/PowerShell; nothing about
  tailscaled (corpus 1110).
- LocalAPI's 403 "invalid localapi request" (ipn/localapi/localapi.go: Host not local-tailscaled.sock, or a
  Referer/Origin header), bare, in curl -v output or relayed by a client: localapi-invalid-request, not a
  permission or certificate failure (corpus 1021).
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from opskit.errors import InputError
from tests.diagnose.conftest import run_json

UPDATE_PROMPTS = [
    "C:\\Users\\me>tailscale update\n",
    "PS C:\\Windows\\system32> tailscale update --yes\n",
    "$ tailscale update\n",
    "root@host:~# tailscale update\n",
    "tailscale update\n",
    "",
]
CONFIRMS = [
    "",
    "This will update Tailscale from 1.49.288 to 1.51.194. Continue? [y/n] y\n",
    "This will update Tailscale from 1.94.1 to 1.94.2. Continue? [Y/n] y\n",
]
UPDATE_REFUSALS = [
    ("must be run as Administrator", "Administrator"),
    ("update must be run as Administrator", "Administrator"),
    ("must be root; use sudo", "root"),
    ("must be root; use doas", "root"),
    ("open /etc/apt/sources.list.d/tailscale.list: no such file or directory", "tailscale.sources"),
    ("open /etc/apt/sources.list.d/tailscale.list: permission denied", "tailscale.sources"),
    ("unexpected/unsupported /etc/apt/sources.list.d/tailscale.list contents", "tailscale.sources"),
]
WRAPS = ["{m}", "```\n{m}\n```", "{m}\nroot@Proxmox:~# cat /etc/apt/sources.list.d/tailscale.sources\nTypes: deb\n"]
NOT_UPDATE = {"service-not-running", "install-failed", "pipe-missing", "unix-access-denied"}


@given(
    st.sampled_from(UPDATE_PROMPTS),
    st.sampled_from(CONFIRMS),
    st.sampled_from(UPDATE_REFUSALS),
    st.sampled_from(WRAPS),
)
@settings(max_examples=80, deadline=None)
def test_update_refusals_are_update_failed_with_their_cause(
    prompt: str, confirm: str, refusal: tuple[str, str], wrap: str
) -> None:
    message, cause_word = refusal
    text = wrap.format(m=prompt + confirm + message) + "\n"
    document = run_json(text)
    kinds = [error["kind"] for error in document["windows"] or []]
    assert "update-failed" in kinds and not NOT_UPDATE & set(kinds), (kinds, text)
    causes = [f["cause"] + f["fix"] for f in document["findings"] if f["rule"] == "TS-CLI-UPDATE-FAILED"]
    assert causes and cause_word in causes[0], causes
    assert document["summary"]["exit_code"] == 1


SHELL_PROMPTS = ["umbrel@umbrel:~ $ ", "$ ", "root@nas:~# ", "% ", "", "pi@raspberrypi:~ $ sudo "]
COMMANDS = ["tailscale status", "tailscale bugreport", "tailscale up --ssh", "tailscale version"]
UNIX_NOT_FOUND = [
    "-bash: tailscale: command not found",
    "bash: tailscale: command not found",
    "sudo: tailscale: command not found",
    "zsh: command not found: tailscale",
    "/bin/sh: 1: tailscale: not found",
    "sh: tailscale: not found",
    "ash: tailscale: not found",
    "/system/bin/sh: tailscale: inaccessible or not found",
    "fish: Unknown command: tailscale",
    "fish: Unknown command 'tailscale'",
    'OCI runtime exec failed: exec failed: unable to start container process: exec: "tailscale": executable file '
    "not found in $PATH: unknown",
    "-bash: tailscaled: command not found",
]
WINDOWS_NOT_FOUND = [
    "'tailscale' is not recognized as an internal or external command,\noperable program or batch file.",
    "tailscale : The term 'tailscale' is not recognized as the name of a cmdlet, function, script file, or operable "
    "program. Check the spelling of the name, or if a path was included, verify that the path is correct and try "
    "again.",
    "tailscale: The term 'tailscale' is not recognized as a name of a cmdlet, function, script file, or executable "
    "program.",
    "'tailscale.exe' is not recognized as an internal or external command,",
]
NOT_DAEMON = {"service-not-running", "pipe-missing", "peer-not-found", "other"}


@given(st.sampled_from(SHELL_PROMPTS), st.sampled_from(COMMANDS), st.sampled_from(UNIX_NOT_FOUND), st.booleans())
@settings(max_examples=80, deadline=None)
def test_a_unix_shell_not_finding_tailscale_is_cli_not_found(
    prompt: str, command: str, line: str, fenced: bool
) -> None:
    text = f"{prompt}{command}\n{line}\n{prompt.strip()}\n"
    text = f"```\n{text}```\n" if fenced else text
    document = run_json(text)
    kinds = [error["kind"] for error in document["windows"] or []]
    assert "cli-not-found" in kinds and not NOT_DAEMON & set(kinds), (kinds, text)
    causes = [f["cause"] + f["fix"] for f in document["findings"] if f["rule"] == "TS-CLI-NOT-FOUND"]
    assert causes and "PATH" in causes[0] and "docker exec" in causes[0], causes
    assert document["summary"]["exit_code"] == 1


@given(st.sampled_from(["C:\\Users\\me>", "PS C:\\Users\\me> ", ""]), st.sampled_from(WINDOWS_NOT_FOUND))
@settings(max_examples=30, deadline=None)
def test_cmd_or_powershell_not_finding_tailscale_is_cli_not_found_with_the_windows_path(prompt: str, line: str) -> None:
    text = f"{prompt}tailscale status\n{line}\n"
    document = run_json(text)
    kinds = [error["kind"] for error in document["windows"] or []]
    assert "cli-not-found" in kinds and not NOT_DAEMON & set(kinds), (kinds, text)
    causes = [f["cause"] + f["fix"] for f in document["findings"] if f["rule"] == "TS-CLI-NOT-FOUND"]
    assert causes and "Program Files" in causes[0], causes


def test_prose_and_other_programs_not_found_are_not_cli_not_found() -> None:
    for text in (
        "-bash: iptables: command not found\n",
        "Unit tailscaled.service not found.\n",
        "the tailscale binary was not found on my first try, then it worked\n",
        "zsh: command not found: tailscale-ipn-helper\n",
        "-bash: /etc/init.d/tailscale: not found\n",
        "offline auto-update: failed: failed to find cmd/tailscale binary: exec: "
        '"tailscale": executable file not found in $PATH\n',
    ):
        try:
            document = run_json(text)
        except InputError:
            continue
        kinds = [error["kind"] for error in document["windows"] or []]
        assert "cli-not-found" not in kinds, (kinds, text)


LOCALAPI_CALLS = [
    "$ curl --unix-socket /var/run/tailscale/tailscaled.sock http://foo/localapi/v0/status\n",
    "$ curl -v --unix-socket /run/tailscale/tailscaled.sock http://localhost/localapi/v0/cert/a.b.ts.net?type=pair\n"
    "> GET /localapi/v0/cert/a.b.ts.net?type=pair HTTP/1.1\n> Host: localhost\n>\n< HTTP/1.1 403 Forbidden\n"
    "< Content-Type: text/plain; charset=utf-8\n< Content-Length: 25\n<\n",
    "",
]
INVALID_LINES = [
    "invalid localapi request",
    "403 Forbidden: invalid localapi request",
    'caddy: getting certificate: HTTP 403: "invalid localapi request"',
    "Error: unexpected status 403 Forbidden: invalid localapi request",
]


@given(st.sampled_from(LOCALAPI_CALLS), st.sampled_from(INVALID_LINES), st.booleans())
@settings(max_examples=40, deadline=None)
def test_localapi_host_guard_refusal_is_localapi_invalid_request(call: str, line: str, fenced: bool) -> None:
    text = f"{call}{line}\n"
    text = f"```\n{text}```\n" if fenced else text
    document = run_json(text)
    kinds = [error["kind"] for error in document["windows"] or []]
    assert "localapi-invalid-request" in kinds, (kinds, text)
    assert not {"unix-access-denied", "cert-failed", "service-not-running", "pipe-missing"} & set(kinds), (kinds, text)
    causes = [f["fix"] for f in document["findings"] if f["rule"] == "TS-LOCALAPI-INVALID-REQUEST"]
    assert causes and "http://local-tailscaled.sock/localapi/" in causes[0], causes


# `tailscale status` finding no socket, with `systemctl status tailscaled` in the same paste (corpus 1100)
SOCKET_ERRORS = [
    "failed to connect to local tailscaled (which appears to be running). Got error: Get "
    '"http://local-tailscaled.sock/localapi/v0/status": dial unix /var/run/tailscale/tailscaled.sock: connect: '
    "no such file or directory",
    "failed to connect to local tailscaled (which appears to be running as tailscaled, pid 2254). Got error: Get "
    '"http://local-tailscaled.sock/localapi/v0/status": dial unix /run/tailscale/tailscaled.sock: connect: no such '
    "file or directory",
]
UNIT_STATES = [
    "activating (start-pre) since Wed 2021-09-22 08:29:16 UTC; 9s ago",
    "activating (auto-restart) (Result: exit-code) since Wed 2021-09-22 08:29:16 UTC; 2s ago",
    "inactive (dead) since Wed 2021-09-22 08:29:16 UTC; 1min ago",
    "failed (Result: exit-code) since Wed 2021-09-22 08:29:16 UTC; 5s ago",
    "deactivating (stop-sigterm) since Wed 2021-09-22 08:29:16 UTC; 3s ago",
]


def _systemctl(active: str, cleanup_only: bool, bullet: str) -> str:
    process = "/usr/sbin/tailscaled --cleanup" if cleanup_only else "/usr/sbin/tailscaled --state=/var/lib/x"
    return (
        f"{bullet} tailscaled.service - Tailscale node agent\n"
        "   Loaded: loaded (/lib/systemd/system/tailscaled.service; enabled; vendor preset: enabled)\n"
        f"   Active: {active}\n"
        "     Docs: https://tailscale.com/kb/\n"
        "  Process: 2225 ExecStopPost=/usr/sbin/tailscaled --cleanup (code=killed, signal=TERM)\n"
        "    Tasks: 4 (limit: 2136)\n"
        "   CGroup: /system.slice/tailscaled.service\n"
        f"           `-2254 {process}\n"
    )


@given(
    st.sampled_from(SOCKET_ERRORS),
    st.sampled_from(UNIT_STATES),
    st.booleans(),
    st.sampled_from(["*", "\u25cf", "\u00d7"]),
    st.booleans(),
)
@settings(max_examples=60, deadline=None)
def test_missing_socket_with_the_unit_not_active_is_service_not_running(
    error: str, active: str, cleanup_only: bool, bullet: str, unit_first: bool
) -> None:
    cli = f"root@odroid:~# tailscale status\n{error}\n\n"
    unit = f"root@odroid:~# sudo systemctl status tailscaled.service\n{_systemctl(active, cleanup_only, bullet)}\n"
    text = f"```\n{unit + cli if unit_first else cli + unit}```\n"
    document = run_json(text)
    kinds = [item["kind"] for item in document["windows"] or []]
    assert "service-not-running" in kinds and "pipe-missing" not in kinds, (kinds, text)
    causes = [f["cause"] for f in document["findings"] if f["rule"] == "TS-WIN-SERVICE-NOT-RUNNING"]
    assert causes and active.split(" since")[0].split(" (Result")[0] in causes[0], causes


@given(st.sampled_from(SOCKET_ERRORS), st.booleans())
@settings(max_examples=10, deadline=None)
def test_missing_socket_with_the_unit_active_running_stays_pipe_missing(error: str, alone: bool) -> None:
    unit = "" if alone else _systemctl("active (running) since Wed 2021-09-22 08:29:16 UTC; 9s ago", False, "*")
    text = f"$ tailscale status\n{error}\n\n{unit}"
    kinds = [item["kind"] for item in run_json(text)["windows"] or []]
    assert kinds == ["pipe-missing"], (kinds, text)


# An old CLI (v1.12-v1.16, base64 keys) decoding a newer tailscaled's status ("nodekey:<hex>"): corpus 1040
DECODE_WRAPPERS = [
    "failed to connect to local tailscaled (which appears to be running). Got error: {e}",
    "failed to connect to local tailscaled (which appears to be running as tailscaled, pid 4242). Got error: {e}",
    "can't fetch status from tailscaled: {e}",
]
DECODE_ERRORS = ["illegal base64 data at input byte 7", "json: illegal base64 data at input byte 8"]
DECODE_LAYOUTS = [
    "{m}\n",
    "the result:\n```\n{m}\n```\n",
    "$ sudo tailscale up --authkey tskey-abc\n{m}\n",
    "Run tailscale/github-action@v1\n/usr/bin/sudo -E tailscale up --authkey ***\n{m}\nError: Process completed "
    "with exit code 1.\n",
]


@given(st.sampled_from(DECODE_WRAPPERS), st.sampled_from(DECODE_ERRORS), st.sampled_from(DECODE_LAYOUTS))
@settings(max_examples=30, deadline=None)
def test_an_old_cli_failing_to_decode_status_keys_is_version_mismatch(wrapper: str, error: str, layout: str) -> None:
    text = layout.format(m=wrapper.format(e=error))
    document = run_json(text)
    kinds = [item["kind"] for item in document["windows"] or []]
    assert "version-mismatch" in kinds, (kinds, text)
    assert not {"service-not-running", "pipe-missing", "auth-key-rejected", "other"} & set(kinds), (kinds, text)
    causes = [f["cause"] for f in document["findings"] if f["rule"] == "TS-WIN-VERSION-MISMATCH"]
    assert causes and "nodekey:" in causes[0], causes
