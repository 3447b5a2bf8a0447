"""Run external programs: argv lists only, always a timeout, never a shell."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from opskit.errors import EnvironmentProblem


@dataclass(frozen=True)
class Completed:
    argv: tuple[str, ...]
    returncode: int
    stdout: str
    stderr: str
    timed_out: bool = False


def which(name: str, install_hint: str) -> str:
    """Path of a required program, or an EnvironmentProblem saying how to install it."""
    found = shutil.which(name) or shutil.which(name, path="/usr/sbin:/sbin:/usr/local/sbin")
    if not found:
        raise EnvironmentProblem(f"`{name}` is not installed or not on PATH.", hint=install_hint)
    return found


def run(
    argv: Sequence[str],
    *,
    timeout: float,
    input_text: str | None = None,
    env: Mapping[str, str] | None = None,
    cwd: str | None = None,
) -> Completed:
    """Run ``argv`` and capture its output. A timeout is reported, not raised."""
    args = tuple(str(a) for a in argv)
    try:
        done = subprocess.run(  # noqa: S603 - argv list, no shell
            args,
            input=input_text,
            capture_output=True,
            text=True,
            timeout=timeout,
            env=dict(env) if env is not None else None,
            cwd=cwd,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        out = exc.stdout.decode(errors="replace") if isinstance(exc.stdout, bytes) else (exc.stdout or "")
        err = exc.stderr.decode(errors="replace") if isinstance(exc.stderr, bytes) else (exc.stderr or "")
        return Completed(args, -1, out, err, timed_out=True)
    except FileNotFoundError as exc:
        raise EnvironmentProblem(f"cannot run `{args[0]}`: {exc.strerror}.") from None
    return Completed(args, done.returncode, done.stdout, done.stderr)
