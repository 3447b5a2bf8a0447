"""The run's secrets: a command that receives a credential registers it; every output stream is scrubbed.

Why a per-run registry in the CLI layer rather than an argument: a credential arrives in one place (``--dsn``,
a URL's userinfo, ``--password-stdin``) but may resurface anywhere, in a driver error raised three
adapters down, in the error paragraph printed by the root group after the command's frame is gone, or in a
JSON document. Threading a redactor through every adapter signature would not reach the error path at all.
So the root group opens a ``run_scope()`` around each run (its ``main``, so click's usage errors too): it
holds the registered secrets in a ``ContextVar`` (reset when the run ends, so tests running many commands
in one process never share one) and wraps ``sys.stdout``/``sys.stderr`` so that every write (rich
consoles, JSON, ``report_error``) has them removed in every spelling (``opskit.core.redact``). Renderers
still redact first (``redact_dsn``); this is the last line of defence for the value nobody expected to print.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TextIO

from opskit.core.redact import redact_text, remove_secrets, secret_forms, secrets_in

_RUN_SECRETS: ContextVar[frozenset[str]] = ContextVar("opskit_run_secrets", default=frozenset())


def register_secret(*values: str | None) -> None:
    """Scrub these values (every spelling) from everything this run writes."""
    fresh = {v for v in values if v}
    if fresh:
        _RUN_SECRETS.set(_RUN_SECRETS.get() | fresh)


def register_secrets_of(value: str | None) -> None:
    """Register the passwords a DSN or URL carries (userinfo, password-like parameters, key=value)."""
    if value:
        register_secret(*secrets_in(value))


def register_dsn(dsn: str | None) -> None:
    """A PostgreSQL DSN's passwords, plus PGPASSWORD, which libpq uses when the DSN has none."""
    register_secrets_of(dsn)
    register_secret(os.environ.get("PGPASSWORD"))


def scrub_run(text: str) -> str:
    """``text`` without any secret registered in this run, nor any URL/DSN password pattern."""
    return redact_text(_remove_run_secrets(text))


def _remove_run_secrets(text: str) -> str:
    secrets = _RUN_SECRETS.get()
    return remove_secrets(text, secret_forms(secrets)) if secrets else text


class _ScrubbingStream:
    """A text stream that scrubs each write; everything else (isatty, fileno, encoding) is the original's.

    stdout filters registered values only: pattern redaction could alter legitimate output there (a
    rendered config). stderr carries messages only, so it also masks URL/DSN password patterns: a usage
    error can quote a DSN typed without --dsn, before any command registered it.
    """

    def __init__(self, wrapped: TextIO, *, patterns: bool) -> None:
        self._wrapped = wrapped
        self._clean = scrub_run if patterns else _remove_run_secrets

    def write(self, text: str) -> int:
        self._wrapped.write(self._clean(text))
        return len(text)

    def writelines(self, lines: Any) -> None:
        for line in lines:
            self.write(line)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._wrapped, name)


@contextmanager
def run_scope() -> Iterator[None]:
    """One command run: a fresh secret set, and stdout/stderr scrubbed until the run ends."""
    token = _RUN_SECRETS.set(frozenset())
    saved = sys.stdout, sys.stderr
    sys.stdout = _ScrubbingStream(saved[0], patterns=False)
    sys.stderr = _ScrubbingStream(saved[1], patterns=True)
    try:
        yield
    finally:
        sys.stdout, sys.stderr = saved
        _RUN_SECRETS.reset(token)
