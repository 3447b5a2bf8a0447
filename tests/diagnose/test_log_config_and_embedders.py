"""Generated tests for blind batch 22's log classes: logpolicy's config outside the state directory, and the
fatal exit of a program that embeds tailscale (tsnet) logged by logrus.

Each class is proven over its variants (Tailscale versions' wordings, every directory logpolicy picks, prefixes)
and against its near misses (the config in the state directory still says the state cannot be written).
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from opskit.core.diagnose.daemonlog import message_of
from opskit.errors import InputError
from tests.diagnose.conftest import cli_kinds, run_json

_START = '2022/05/08 15:41:01 Program starting: v1.24.2-tdce2409b1, Go 1.18.1: []string{"tailscaled"}'


def _issues(text: str) -> tuple[set[str], int]:
    document: dict[str, Any] = run_json(text)
    kinds = {issue["kind"] for log in document["daemon_logs"] for issue in log["issues"]}
    return kinds, document["summary"]["exit_code"]


# logpolicy/logpolicy.go LogsDir: the user's cache dir (Linux $HOME/.cache or "/.cache" with $HOME unset, macOS
# Library/Caches), Windows' LocalAppData, a "tailscaled-log-*" temp dir. Save's wordings: v0.98-v1.20 "Config.Save:
# <err>" (the error names the path), v1.22+ "Config.Save for <path>: <err>".
_OUTSIDE_STATE = [
    "logpolicy.Config.Save: mkdir /.cache: permission denied",
    "logpolicy.Config.Save: open /home/pi/.cache/Tailscale/tailscaled.log.conf: read-only file system",
    "logpolicy.Config.Save for /.cache/Tailscale/tailscaled.log.conf: mkdir /.cache: permission denied",
    "logpolicy.Config.Save for /root/.cache/Tailscale/tailscaled.log.conf: open /root/.cache/Tailscale/"
    "tailscaled.log.conf.tmp: no space left on device",
    "logpolicy.Config.Save for /Users/me/Library/Caches/Tailscale/tailscaled.log.conf: open /Users/me/Library/Caches/"
    "Tailscale/tailscaled.log.conf: permission denied",
    "logpolicy.Config.Save for C:\\Users\\me\\AppData\\Local\\Tailscale\\tailscaled.log.conf: open C:\\Users\\me\\"
    "AppData\\Local\\Tailscale\\tailscaled.log.conf: Access is denied.",
    "logpolicy.Config.Save for /tmp/tailscaled-log-123/tailscaled.log.conf: open /tmp/tailscaled-log-123/"
    "tailscaled.log.conf: no space left on device",
]
# ... and in the state directory: the state kept beside it cannot be written either.
_IN_STATE = [
    "logpolicy.Config.Save: open /var/lib/tailscale/tailscaled.log.conf: read-only file system",
    "logpolicy.Config.Save for /var/lib/tailscale/tailscaled.log.conf: mkdir /var/lib/tailscale: permission denied",
    "logpolicy.Config.Save for C:\\ProgramData\\Tailscale\\tailscaled.log.conf: open C:\\ProgramData\\Tailscale\\"
    "tailscaled.log.conf: Access is denied.",
    "logpolicy.Config write: open /var/lib/tailscale/tailscaled.log.conf.tmp: no such file or directory",
]
_PREFIXES = ["{msg}", "2022/05/08 15:41:01 {msg}", "May 08 15:41:01 host tailscaled[42]: {msg}"]
_STORE_WRITTEN = "2022/05/08 15:41:02 machine key written to store"


@given(st.sampled_from(_OUTSIDE_STATE), st.sampled_from(_PREFIXES), st.booleans())
@settings(max_examples=40, deadline=None)
def test_a_log_config_outside_the_state_directory_is_no_state_failure(msg: str, prefix: str, written: bool) -> None:
    lines = [_START, prefix.format(msg=msg), *([_STORE_WRITTEN] if written else [])]
    kinds, _ = _issues("\n".join(lines) + "\n")
    assert kinds <= {"hand-started"}  # nothing but who started it


@pytest.mark.parametrize("msg", _IN_STATE)
@pytest.mark.parametrize("prefix", _PREFIXES)
def test_a_log_config_in_the_state_directory_still_says_the_state_is_unwritable(msg: str, prefix: str) -> None:
    kinds, exit_code = _issues(f"{_START}\n{prefix.format(msg=msg)}\n")
    assert "state-unwritable" in kinds
    assert exit_code == 1


@pytest.mark.parametrize("msg", _IN_STATE)
def test_the_store_writing_its_key_afterwards_clears_the_log_config_failure(msg: str) -> None:
    kinds, _ = _issues(f"{_START}\n{msg}\n{_STORE_WRITTEN}\n")
    assert kinds <= {"hand-started"}


def test_a_store_failure_after_the_key_was_written_still_holds() -> None:
    failure = "2022/05/08 15:41:09 store.New: open /var/lib/tailscale/tailscaled.state: permission denied"
    kinds, _ = _issues(f"{_START}\n{_STORE_WRITTEN}\n{failure}\n")
    assert "state-unwritable" in kinds


# logrus' terminal layout (TextFormatter with colours off in a copy): level cut to four capitals, seconds since start or
# the full timestamp, the message padded with spaces; tailscale's own Go stamp follows on the embedded node's lines.
_LOGRUS_COLUMNS = ["{level}[0011] ", "{level}[0000] ", "{level}[2024-06-08T12:38:58Z] "]
_TS_LINES = [
    "2024/06/08 12:38:58 control: [v1] TryLogin: fetch control key: 404",
    "2024/06/08 12:38:58 Received error: fetch control key: 404",
]
_FATAL_LEVELS = ["FATA", "FATAL", "PANI", "PANIC"]
_OTHER_LEVELS = ["ERRO", "WARN", "INFO", "DEBU", "TRAC"]


def _logrus(column: str, level: str, message: str, pad: bool) -> str:
    return column.format(level=level) + (f"{message:<44} " if pad else message)


@given(
    st.sampled_from(_LOGRUS_COLUMNS),
    st.sampled_from(_OTHER_LEVELS),
    st.sampled_from(_FATAL_LEVELS),
    st.sampled_from(["control is not running", "failed to start the server", "tsnet.Up: context canceled"]),
    st.booleans(),
    st.booleans(),
)
@settings(max_examples=40, deadline=None)
def test_an_embedding_programs_logrus_fatal_line_ends_its_tailscale_log_as_a_crash(
    column: str, level: str, fatal: str, last_words: str, pad: bool, fenced: bool
) -> None:
    lines = [*(_logrus(column, level, line, pad) for line in _TS_LINES), _logrus(column, fatal, last_words, pad)]
    text = "\n".join(["```", *lines, "```"] if fenced else lines) + "\n"
    kinds, exit_code = _issues(text)
    assert {"control-unreachable", "crash"} <= kinds
    assert exit_code == 1


@pytest.mark.parametrize("level", _OTHER_LEVELS)
def test_a_logrus_line_below_fatal_is_no_crash(level: str) -> None:
    lines = [_logrus("{level}[0011] ", "DEBU", line, True) for line in _TS_LINES]
    kinds, _ = _issues("\n".join([*lines, f"{level}[0011] control is not running"]) + "\n")
    assert "crash" not in kinds
    assert "control-unreachable" in kinds


def test_a_logrus_fatal_line_alone_is_no_tailscale_log() -> None:
    with pytest.raises(InputError, match="nothing to diagnose"):
        run_json("some text before\nFATA[0011] control is not running\n")


@pytest.mark.parametrize("level", [*_OTHER_LEVELS, *_FATAL_LEVELS])
def test_the_logrus_column_is_peeled_before_tailscales_message(level: str) -> None:
    line = f"{level}[0007] 2024/06/08 12:38:58 magicsock: derp-4 connected "
    assert message_of(line).text == "magicsock: derp-4 connected"


# `tailscale debug ts2021` failing on its key fetch: the trace's "Do: <err>" step, then the CLI's exit error, the same
# error unstamped (cmd/tailscale/cli/debug.go runTS2021 returns it; cmd/tailscale's main prints it and exits 1).
_TS_STAMPS = ["00:54:10.987132 ", "2022/10/15 00:54:10 ", "2025/01/03 08:00:00.123456 "]
_NETWORK_ERRORS = [
    "net/http: TLS handshake timeout",
    "dial tcp 18.159.140.118:443: i/o timeout",
    "dial tcp 18.159.140.118:443: connect: connection refused",
    "dial tcp: lookup controlplane.tailscale.com on 127.0.0.53:53: server misbehaving",
    "read tcp 10.0.0.2:51234->18.159.140.118:443: read: connection reset by peer",
    "EOF",
    "context deadline exceeded (Client.Timeout exceeded while awaiting headers)",
]


@given(
    st.sampled_from(_TS_STAMPS),
    st.sampled_from(_NETWORK_ERRORS),
    st.sampled_from(["https://controlplane.tailscale.com", "https://hs.example.com:8443"]),
    st.sampled_from([41, 97, 130]),
    st.sampled_from(["", "~# ", "$ "]),
    st.booleans(),
)
@settings(max_examples=40, deadline=None)
def test_the_ts2021_clis_exit_error_is_control_unreachable_and_the_step_stays_the_traces(
    stamp: str, error: str, server: str, version: int, prompt: str, fenced: bool
) -> None:
    url = f"{server}/key?v={version}"
    lines = [
        f"{prompt}tailscale debug ts2021",
        f"{stamp}Fetching keys from {url} ...",
        f'{stamp}Do: Get "{url}": {error}',
        f'Get "{url}": {error}',
    ]
    document = run_json("\n".join(["```", *lines, "```"] if fenced else lines) + "\n")
    assert [error["kind"] for error in document["windows"]] == ["control-unreachable"]
    (cli_error,) = document["windows"]
    assert cli_error["line"] == (5 if fenced else 4)
    (failed,) = [f for f in document["findings"] if f["rule"] == "TS-TS2021-FAILED"]
    assert [e["line"] for e in failed["evidence"]] == [4 if fenced else 3]
    assert not document["warnings"] or all("line 1 " in w or "line 2 " in w for w in document["warnings"])


@pytest.mark.parametrize("stamp", _TS_STAMPS)
def test_a_ts2021_trace_without_the_exit_line_is_read_by_the_view_alone(stamp: str) -> None:
    url = "https://controlplane.tailscale.com/key?v=41"
    text = f'{stamp}Fetching keys from {url} ...\n{stamp}Do: Get "{url}": net/http: TLS handshake timeout\n'
    document = run_json(text)
    assert not document["windows"]
    assert [f["rule"] for f in document["findings"]] == ["TS-TS2021-FAILED"]


def test_a_ts2021_certificate_error_is_tls_interception_read_once() -> None:
    url = "https://hs.example.com/key?v=97"
    error = "tls: failed to verify certificate: x509: certificate signed by unknown authority"
    text = f'00:54:00 Fetching keys from {url} ...\n00:54:01 Do: Get "{url}": {error}\nGet "{url}": {error}\n'
    document = run_json(text)
    assert [error["kind"] for error in document["windows"]] == ["tls-intercepted"]


@pytest.mark.parametrize(
    "line",
    [
        'Get "https://controlplane.tailscale.com/key?v=41": net/http: TLS handshake timeout',
        'Get "http://10.0.0.5:8080/key?v=97": dial tcp 10.0.0.5:8080: connect: connection refused',
    ],
)
def test_the_clis_failed_key_fetch_alone_is_control_unreachable(line: str) -> None:
    assert cli_kinds(f"{line}\n") == ["control-unreachable"]


# The node's PeerAPI listener stopping on an Accept error (ipn/ipnlocal/peerapi.go serve: "peerapi.Accept: %v").
_PEERAPI_PREFIXES = [
    "{msg}",
    "2022-03-27 01:18:16.815868906 +0000 UTC: 12.8M/236.5M {msg}",
    "2022/03/27 01:18:16 {msg}",
    "Mar 27 01:18:16 pi tailscaled[812]: {msg}",
    "03-27 01:18:16.815 31087 31144 I com.tailscale.ipn: {msg}",
]
_ACCEPT_ERRORS = [
    "accept tcp6 [fd7a:115c:a1e0:ab12:4843:cd96:626e:4740]:42858: accept: invalid argument",
    "accept tcp4 100.110.71.64:42858: accept: invalid argument",
    "accept tcp4 100.101.102.103:39447: accept4: too many open files",
]


@given(st.sampled_from(_PEERAPI_PREFIXES), st.lists(st.sampled_from(_ACCEPT_ERRORS), min_size=1, max_size=2))
@settings(max_examples=30, deadline=None)
def test_a_peerapi_accept_error_is_read_under_every_prefix(prefix: str, errors: list[str]) -> None:
    text = "\n".join(prefix.format(msg=f"peerapi.Accept: {error}") for error in errors) + "\n"
    document = run_json(text)
    kinds = {issue["kind"] for log in document["daemon_logs"] for issue in log["issues"]}
    assert kinds == {"peerapi-accept-failed"}
    assert [f["rule"] for f in document["findings"]] == ["TS-LOG-PEERAPI-ACCEPT-FAILED"]
    assert document["summary"]["exit_code"] == 1


@pytest.mark.parametrize("prefix", _PEERAPI_PREFIXES)
def test_a_new_peerapi_listener_clears_the_accept_error(prefix: str) -> None:
    lines = [f"peerapi.Accept: {_ACCEPT_ERRORS[1]}", "peerapi: serving on http://100.110.71.64:42858"]
    kinds, exit_code = _issues("\n".join(prefix.format(msg=line) for line in lines) + "\n")
    assert "peerapi-accept-failed" not in kinds
    assert exit_code == 0


@pytest.mark.parametrize(
    "line",
    [
        "peerapi: failed to do peerAPI listen, harmless (netstack available) but error was: listen tcp6 [fd7a::1]:0: "
        "bind: cannot assign requested address",
        "peerapi: unknown peer 100.70.1.2:51234",
        "peerapi: serving on http://100.101.102.103:39447",
    ],
)
def test_other_peerapi_lines_are_no_accept_failure(line: str) -> None:
    kinds, _ = _issues(f"2022/03/27 01:18:16 {line}\n")
    assert "peerapi-accept-failed" not in kinds
