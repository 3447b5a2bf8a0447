"""Run external programs: argv lists only, always a timeout, never a shell."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable, Mapping, Sequence
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


# What a streamed run keeps of each stream for its result (the journal keeps 4,000 characters of each):
# a hook that prints for a minute must not grow opskit's memory without bound.
STREAM_TAIL_CHARS = 64 * 1024


def run_streaming(argv: Sequence[str], *, timeout: float, on_line: Callable[[str, str], None]) -> Completed:
    """Run ``argv`` and hand every output line to ``on_line(stream, line)`` as it is printed.

    ``stream`` is ``"stdout"`` or ``"stderr"``; the result carries the last STREAM_TAIL_CHARS of each.
    A timeout kills the program and is reported, not raised. Nothing is read from stdin.
    """
    import os
    import selectors
    import time

    args = tuple(str(a) for a in argv)
    try:
        process = subprocess.Popen(  # noqa: S603 - argv list, no shell
            args, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
    except FileNotFoundError as exc:
        raise EnvironmentProblem(f"cannot run `{args[0]}`: {exc.strerror}.") from None
    assert process.stdout is not None and process.stderr is not None
    streams = {process.stdout.fileno(): "stdout", process.stderr.fileno(): "stderr"}
    pending = {name: b"" for name in streams.values()}
    kept = {name: "" for name in streams.values()}
    deadline = time.monotonic() + timeout
    timed_out = False

    def emit(name: str, raw: bytes) -> None:
        line = raw.decode(errors="replace")
        kept[name] = (kept[name] + line + "\n")[-STREAM_TAIL_CHARS:]
        on_line(name, line)

    with selectors.DefaultSelector() as selector:
        for fd in streams:
            selector.register(fd, selectors.EVENT_READ)
        while selector.get_map():
            left = deadline - time.monotonic()
            if left <= 0:
                timed_out = True
                process.kill()
                break
            for key, _events in selector.select(timeout=min(left, 0.5)):
                name = streams[key.fd]
                chunk = os.read(key.fd, 65536)
                if not chunk:
                    selector.unregister(key.fd)
                    if pending[name]:
                        emit(name, pending[name])
                        pending[name] = b""
                    continue
                *lines, pending[name] = (pending[name] + chunk).split(b"\n")
                for raw in lines:
                    emit(name, raw.rstrip(b"\r"))
    process.stdout.close()
    process.stderr.close()
    returncode = process.wait()
    return Completed(args, -1 if timed_out else returncode, kept["stdout"], kept["stderr"], timed_out)
