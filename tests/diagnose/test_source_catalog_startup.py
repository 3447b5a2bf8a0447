"""Catalog test: the start-up fatals of the Windows GUI (tailscale-ipn.exe), the macOS app and tailscaled run by
hand, from the Go code they share, read from the source before anyone pasted them.

Sources (tailscale/tailscale at de9ec7ee2, v1.103.0-pre; versions from `git log -S`):
net/tlsdial/tlsdial.go (SSLKEYLOGFILE: `log.Fatal(err)` of os.OpenFile, an *os.PathError "open <path>: <OS error>",
v1.0-; "WARNING: writing to SSLKEYLOGFILE %v" when it opened), envknob/envknob.go (`log.Fatalf("invalid boolean
environment variable %s value %q")` v1.22-, "invalid duration/int environment variable %s value %q" v1.36-/v1.38-,
"invalid integer/unsigned integer environment variable %s: %v" v1.38-/v1.40-), cmd/tailscaled/tailscaled.go
("failed to create state directory: %v"), logpolicy/logpolicy.go (its directory choices, routine). The OS error
texts are the OS's own: Windows' FormatMessage sentences (ERROR_PATH_NOT_FOUND "The system cannot find the path
specified.", ERROR_ACCESS_DENIED "Access is denied.", ERROR_INVALID_NAME "The filename, directory name, or
volume label syntax is incorrect.") and Go's syscall.Errno strings on Linux/macOS ("permission denied", "no such
file or directory", "read-only file system").

A GUI started detached (`start tailscale-ipn.exe`, `Start-Process …`, `open -a Tailscale`, `X &`) prints its fatal
when the shell has already shown its next prompt: the line reads `C:\\…>open C:\\…: <OS error>`, which is that
program's output, not a typed `open` command. Each entry is pasted in each terminal layout, before and after the
next prompt.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.diagnose.conftest import run_json
from tests.diagnose.log_catalog import (
    LOG_PREFIXES,
    Entry,
    catalog_test,
    entries_read_right,
    entry,
    issue_kinds,
    misreadings,
    rotating_cases,
)

NOT_PROBLEMS = frozenset(("log-upload-failing",))

# ------------------------------------------------------------------------------------------ the GUI at a prompt

# (prompt, command that starts the GUI) per platform
WINDOWS_STARTS = (
    ("C:\\Program Files\\Tailscale>", "start tailscale-ipn.exe"),
    ("C:\\Program Files\\Tailscale>", 'start "" "C:\\Program Files\\Tailscale\\tailscale-ipn.exe"'),
    ("C:\\Users\\me>", '"C:\\Program Files\\Tailscale\\tailscale-ipn.exe"'),
    ("PS C:\\Program Files\\Tailscale> ", "Start-Process tailscale-ipn.exe"),
    ("PS C:\\Users\\me> ", 'Start-Process -FilePath "C:\\Program Files\\Tailscale\\tailscale-ipn.exe"'),
    ("PS C:\\Program Files\\Tailscale> ", ".\\tailscale-ipn.exe"),
)
MACOS_STARTS = (
    ("me@mac ~ % ", "open -a Tailscale"),
    ("me@mac ~ % ", "/Applications/Tailscale.app/Contents/MacOS/Tailscale &"),
    ("$ ", "nohup /Applications/Tailscale.app/Contents/MacOS/Tailscale &"),
)

# (message the GUI prints as it exits, kinds, source)
WINDOWS_FATALS: list[tuple[str, str, str]] = [
    (
        "open C:\\Users\\elitest\\sslkeylog.log: The filename, directory name, or volume label syntax is incorrect.",
        "gui-failed-to-start",
        "net/tlsdial/tlsdial.go v1.0- (ERROR_INVALID_NAME)",
    ),
    (
        "open D:\\keys\\tls\\sslkeys.txt: The system cannot find the path specified.",
        "gui-failed-to-start",
        "net/tlsdial/tlsdial.go v1.0- (ERROR_PATH_NOT_FOUND)",
    ),
    (
        "open C:\\Windows\\sslkeylog.log: Access is denied.",
        "gui-failed-to-start",
        "net/tlsdial/tlsdial.go v1.0- (ERROR_ACCESS_DENIED)",
    ),
    (
        'invalid boolean environment variable TS_DEBUG_USE_DERP_HTTP value "ja"',
        "gui-failed-to-start",
        "envknob/envknob.go v1.22-",
    ),
    (
        'invalid duration environment variable TS_DEBUG_NETMON_WAIT value "5"',
        "gui-failed-to-start",
        "envknob/envknob.go v1.36-",
    ),
]
MACOS_FATALS: list[tuple[str, str, str]] = [
    ("open /Users/me/Desktop/keys/sslkeylog.log: permission denied", "gui-failed-to-start", "net/tlsdial v1.0-"),
    ("open /tmp/nowhere/keylog.txt: no such file or directory", "gui-failed-to-start", "net/tlsdial v1.0-"),
    ("open /Volumes/Backup/ssl.log: read-only file system", "gui-failed-to-start", "net/tlsdial v1.0-"),
    ("invalid integer environment variable TS_DEBUG_MTU: abc", "gui-failed-to-start", "envknob/envknob.go v1.38-"),
]


def _terminal(prompt: str, start: str, message: str, after_prompt: bool) -> str:
    """What the terminal shows: the start command, then the program's line after the next prompt (detached) or
    right under the command."""
    if after_prompt:
        return f"{prompt}{start}\n\n{prompt}{message}\n"
    return f"{prompt}{start}\n{message}\n\n{prompt}\n"


GUI_CASES = [
    pytest.param(prompt, start, message, kinds, after, id=f"{platform}{m}-{s}-{'after' if after else 'under'}")
    for platform, starts, fatals in (("win", WINDOWS_STARTS, WINDOWS_FATALS), ("mac", MACOS_STARTS, MACOS_FATALS))
    for m, (message, kinds, _source) in enumerate(fatals)
    for s, (prompt, start) in enumerate(starts)
    if s % len(fatals) == m % len(starts) or s == 0
    for after in (True, False)
]


def _gui_reading(text: str) -> tuple[list[str], int]:
    document = run_json(text)
    return [window["kind"] for window in document["windows"]], document["summary"]["exit_code"]


@pytest.mark.parametrize(("prompt", "start", "message", "kinds", "after"), GUI_CASES)
def test_gui_start_up_fatal_reads_as_the_gui_failing(
    prompt: str, start: str, message: str, kinds: str, after: bool
) -> None:
    assert _gui_reading(_terminal(prompt, start, message, after)) == (kinds.split(), 1)


# A line after the next prompt that a user did type stays a command: `open` of a file, `type` of the key log.
TYPED_AFTER_DETACHED = (
    "C:\\Program Files\\Tailscale>start tailscale-ipn.exe\n\nC:\\Program Files\\Tailscale>tailscale status\n"
    "failed to connect to local Tailscale service; is Tailscale running?\n",
    "me@mac ~ % open -a Tailscale\nme@mac ~ % open /Users/me/Downloads/report.txt\nme@mac ~ % tailscale status\n"
    "failed to connect to local Tailscale service; is Tailscale running?\n",
)


@pytest.mark.parametrize("text", TYPED_AFTER_DETACHED)
def test_a_typed_command_after_a_detached_start_stays_a_command(text: str) -> None:
    kinds, _ = _gui_reading(text)
    assert "gui-failed-to-start" not in kinds
    assert kinds  # the CLI's own error under the typed `tailscale status` is still read


# The same OS error under a command that started nothing detached, with no GUI named: not the GUI's failure.
def test_an_os_error_under_an_unrelated_command_is_not_the_gui() -> None:
    text = "C:\\Users\\me>type C:\\Users\\me\\sslkeylog.log\nThe system cannot find the path specified.\n"
    with pytest.raises(Exception, match="nothing to diagnose"):
        run_json(text)


# ------------------------------------------------------------------------------- tailscaled's own log (by hand)

_e = entry

CATALOG: list[Entry] = [
    _e("open /root/sslkeylog.log: permission denied", "crash", "net/tlsdial/tlsdial.go v1.0- (SSLKEYLOGFILE)"),
    _e("open /var/log/keys/sslkeys.txt: no such file or directory", "crash", "net/tlsdial/tlsdial.go v1.0-"),
    _e("open /etc/tailscale/keylog.txt: read-only file system", "crash", "net/tlsdial/tlsdial.go v1.0-"),
    _e(
        "open C:\\Users\\me\\sslkeylog.log: The filename, directory name, or volume label syntax is incorrect.",
        "crash",
        "net/tlsdial/tlsdial.go v1.0- (tailscaled.exe run by hand)",
    ),
    _e('invalid boolean environment variable TS_NO_LOGS_NO_SUPPORT value "yes please"', "crash", "envknob v1.22-"),
    _e('invalid duration environment variable TS_DEBUG_NETMON_WAIT value "10"', "crash", "envknob v1.36-"),
    _e('invalid int environment variable TS_DEBUG_MTU value "big"', "crash", "envknob v1.38-"),
    _e("invalid integer environment variable TS_DEBUG_MTU: big", "crash", "envknob/envknob.go v1.38-"),
    _e("invalid unsigned integer environment variable TS_PORT: -1", "crash", "envknob/envknob.go v1.40-"),
    _e("WARNING: writing to SSLKEYLOGFILE /tmp/sslkeylog.log", "none", "net/tlsdial/tlsdial.go v1.0-"),
    _e(
        "failed to create state directory: mkdir /var/lib/tailscale: read-only file system",
        "state-unwritable",
        "cmd/tailscaled/tailscaled.go v1.16-",
    ),
    _e('logpolicy: using system state directory "/var/lib/tailscale"', "none", "logpolicy/logpolicy.go v1.22-"),
    _e('logpolicy: using UserCacheDir, "/root/.cache/Tailscale"', "none", "logpolicy/logpolicy.go v1.6-"),
    _e('logpolicy: using $STATE_DIRECTORY, "/var/lib/tailscale"', "none", "logpolicy/logpolicy.go v1.2-"),
    _e(
        'logpolicy: invalid TS_LOG_TARGET "log.example.com": missing host; using default log host',
        "none",
        "logpolicy/logpolicy.go v1.42-",
    ),
    # (an `open` failing on another file, not the key log, is not read as fatal: tailscaled logs many of those)
    _e("open /var/lib/tailscale/derpmap.cached.json: no such file or directory", "none", "cmd/tailscaled v1.40-"),
]

test_each_catalog_message_reads_as_an_expert_reads_it = catalog_test(
    rotating_cases(CATALOG, LOG_PREFIXES, NOT_PROBLEMS)
)


# tailscaled started in the background from a shell logs to the terminal; its fatal may land after the next prompt.
HAND_STARTS = (
    ("$ ", "sudo tailscaled &"),
    ("root@openwrt:~# ", "nohup tailscaled --state=/etc/tailscale/tailscaled.state > /dev/null &"),
    ("PS C:\\Program Files\\Tailscale> ", "Start-Process .\\tailscaled.exe"),
)


@pytest.mark.parametrize(("prompt", "start"), HAND_STARTS)
def test_tailscaled_fatal_after_the_next_prompt_is_its_log(prompt: str, start: str) -> None:
    text = (
        f"{prompt}{start}\n{prompt}2024/01/12 10:41:06 logtail started\n"
        f"2024/01/12 10:41:06 open /root/sslkeylog.log: permission denied\n"
    )
    assert issue_kinds(run_json(text))[0] == {"crash"}


def catalog_score() -> tuple[int, int]:
    """(entries read right, entries): the daemon-log entries under every prefix, the GUI cases one by one."""
    right = entries_read_right(CATALOG, LOG_PREFIXES, NOT_PROBLEMS)
    gui = [param.values for param in GUI_CASES]
    right += sum(_safe_gui(*values) for values in gui)
    return right, len(CATALOG) + len(gui)


def _safe_gui(prompt: Any, start: Any, message: Any, kinds: Any, after: Any) -> bool:
    try:
        return _gui_reading(_terminal(prompt, start, message, after)) == (kinds.split(), 1)
    except Exception:  # a developer's run counts "nothing to diagnose" as a miss
        return False


if __name__ == "__main__":
    right, total = catalog_score()
    print(f"read right: {right}/{total}")
    print("\n".join(misreadings(CATALOG, LOG_PREFIXES, NOT_PROBLEMS)))
