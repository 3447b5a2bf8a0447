"""Real-component helpers for tests.

In CI (``CI=true``) a missing real tool is a failure, never a skip: a suite that silently skips its
real-component tests proves nothing. On a developer machine it skips with the install hint.
"""

from __future__ import annotations

import os
import shutil

import pytest

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}

SBIN_PATH = "/usr/sbin:/sbin:/usr/local/sbin"


def require_binary(name: str, install_hint: str) -> str:
    """Path of ``name``; in CI a missing binary fails the test, elsewhere it skips with the hint."""
    found = shutil.which(name) or shutil.which(name, path=SBIN_PATH)
    if found:
        return found
    message = f"required tool `{name}` is missing ({install_hint}); run scripts/test.sh to install it"
    if IN_CI:
        pytest.fail(message, pytrace=False)
    pytest.skip(message)  # only outside CI: IN_CI failed above
    raise AssertionError("unreachable")


def require_root(reason: str) -> None:
    """Some real-component tests need root (ss -K, unshare -m, runuser). CI runs as root."""
    if os.geteuid() == 0:
        return
    message = f"requires root: {reason}"
    if IN_CI:
        pytest.fail(message, pytrace=False)
    pytest.skip(message)  # only outside CI: IN_CI failed above


def require_environment(ok: bool, problem: str) -> None:
    """A machine limit a real-component test needs (an fd limit, say): in CI its lack fails the test."""
    if ok:
        return
    if IN_CI:
        pytest.fail(problem, pytrace=False)
    pytest.skip(problem)  # only outside CI: IN_CI failed above
