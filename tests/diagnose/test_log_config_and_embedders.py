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

from tests.diagnose.conftest import run_json

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
