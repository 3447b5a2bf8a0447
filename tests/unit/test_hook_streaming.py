"""Hook output reaches the operator while the hook runs (issue 15), with real processes."""

from __future__ import annotations

from pathlib import Path

from opskit.adapters.proc import STREAM_TAIL_CHARS, run_streaming


def test_lines_arrive_while_the_program_still_runs(tmp_path: Path) -> None:
    """A handshake, not a timing: the program waits for a file the test creates only when the
    program's first line has reached it. Output captured until exit would deadlock into the timeout."""
    go = tmp_path / "go"
    script = f'echo ready; echo warming >&2; while [ ! -e "{go}" ]; do sleep 0.02; done; echo done'
    seen: list[tuple[str, str]] = []

    def on_line(stream: str, line: str) -> None:
        seen.append((stream, line))
        if line == "ready":
            go.touch()

    done = run_streaming(["sh", "-c", script], timeout=20, on_line=on_line)
    assert not done.timed_out and done.returncode == 0
    assert ("stdout", "ready") in seen and ("stderr", "warming") in seen
    assert seen.index(("stdout", "ready")) < seen.index(("stdout", "done"))
    assert done.stdout == "ready\ndone\n" and done.stderr == "warming\n"


def test_timeout_kills_and_keeps_what_was_printed() -> None:
    lines: list[str] = []
    done = run_streaming(
        ["sh", "-c", "echo started; exec sleep 30"], timeout=0.5, on_line=lambda _s, line: lines.append(line)
    )
    assert done.timed_out and done.returncode == -1
    assert lines == ["started"] and done.stdout == "started\n"


def test_a_chatty_program_keeps_only_a_bounded_tail() -> None:
    count = 0

    def on_line(_stream: str, _line: str) -> None:
        nonlocal count
        count += 1

    done = run_streaming(["sh", "-c", "yes 0123456789 | head -n 50000"], timeout=30, on_line=on_line)
    assert count == 50000
    assert len(done.stdout) <= STREAM_TAIL_CHARS and done.stdout.endswith("0123456789\n")
    assert done.stdout.count("\n") < 50000


def test_a_last_line_without_newline_is_still_delivered() -> None:
    lines: list[str] = []
    run_streaming(["printf", "one\\ntwo"], timeout=10, on_line=lambda _s, line: lines.append(line))
    assert lines == ["one", "two"]
