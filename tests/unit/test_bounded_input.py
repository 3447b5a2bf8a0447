"""Every input file is read through one bounded reader: sizes around the cap, pipes, FIFOs, devices,
directories and stdin end in a one-line exit-2 error naming the file and the way to raise the limit,
never in a MemoryError or a traceback."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from opskit.adapters.input_files import (
    LIMIT_VARIABLE,
    InputKind,
    InputTooLarge,
    input_limit,
    parse_size,
    read_input_bytes,
    read_text_input,
)
from opskit.errors import InputError

ROOT = Path(__file__).resolve().parents[2]
OPSKIT = Path(sys.executable).with_name("opskit")


@settings(max_examples=60, deadline=None)
@given(limit=st.integers(1, 4096), delta=st.integers(-3, 3), byte=st.binary(min_size=1, max_size=1))
def test_a_regular_file_is_read_up_to_the_limit_and_refused_past_it(limit: int, delta: int, byte: bytes) -> None:
    size = max(limit + delta, 0)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "input.conf"
        path.write_bytes(byte * size)
        os.environ[LIMIT_VARIABLE] = str(limit)
        try:
            if size <= limit:
                assert read_input_bytes(path, InputKind.CONFIG) == byte * size
            else:
                with pytest.raises(InputTooLarge) as caught:
                    read_input_bytes(path, InputKind.CONFIG)
                assert str(path) in caught.value.message
                assert LIMIT_VARIABLE in caught.value.message
        finally:
            del os.environ[LIMIT_VARIABLE]


@settings(max_examples=25, deadline=None)
@given(limit=st.integers(1, 200_000), delta=st.integers(-2, 2), chunk=st.integers(1, 70_000))
def test_a_fifo_is_read_up_to_the_limit_plus_one_byte(limit: int, delta: int, chunk: int) -> None:
    """A FIFO has no size: the reader stops after limit + 1 bytes, whatever the writer still has."""
    size = max(limit + delta, 0)
    with tempfile.TemporaryDirectory() as folder:
        fifo = Path(folder) / "paste"
        os.mkfifo(fifo)
        written = [0]

        def writer() -> None:
            with open(fifo, "wb") as handle:
                try:
                    while written[0] < size:
                        step = min(chunk, size - written[0])
                        handle.write(b"x" * step)
                        handle.flush()
                        written[0] += step
                except BrokenPipeError:
                    pass

        thread = threading.Thread(target=writer, daemon=True)
        thread.start()
        os.environ[LIMIT_VARIABLE] = str(limit)
        try:
            if size <= limit:
                assert read_input_bytes(fifo, InputKind.PASTE) == b"x" * size
            else:
                with pytest.raises(InputTooLarge):
                    read_input_bytes(fifo, InputKind.PASTE)
        finally:
            del os.environ[LIMIT_VARIABLE]
        thread.join(timeout=10)
        assert not thread.is_alive()


def test_dev_zero_and_directories_are_bad_input(tmp_path: Path) -> None:
    with pytest.raises(InputTooLarge, match="spec is larger than 4 MiB"):
        read_text_input(Path("/dev/zero"), "spec file", InputKind.SPEC)
    with pytest.raises(InputError, match="is a directory"):
        read_text_input(tmp_path, "spec file", InputKind.SPEC)
    (tmp_path / "latin1.yaml").write_bytes(b"site: caf\xe9\n")
    with pytest.raises(InputError, match="not UTF-8 text"):
        read_text_input(tmp_path / "latin1.yaml", "spec file", InputKind.SPEC)


@pytest.mark.parametrize(
    ("text", "size"),
    [("1", 1), ("512K", 512 * 1024), ("64M", 64 << 20), ("2G", 2 << 30), ("10 MiB", 10 << 20), ("3kb", 3072)],
)
def test_sizes_are_read_as_powers_of_1024(text: str, size: int) -> None:
    assert parse_size(text) == size


@pytest.mark.parametrize("value", ["lots", "-5", "0", "1.5M", "5T"])
def test_a_bad_limit_setting_is_bad_input(value: str) -> None:
    with pytest.raises(InputError, match=LIMIT_VARIABLE):
        input_limit(InputKind.SPEC, {LIMIT_VARIABLE: value})


def _commands(big: Path) -> dict[str, list[str]]:
    return {
        "render": ["render", str(big)],
        "render --check": ["render", "--check", str(big)],
        "lint": ["lint", str(big)],
        "lint --config": ["lint", "--config", str(big), str(big)],
        "check resolver": ["check", "resolver", "--nginx-conf", str(big)],
        "diagnose": ["diagnose", str(big)],
        "migrate apply": ["headscale", "migrate", "apply", str(big)],
        "migrate rollback": ["headscale", "migrate", "rollback", str(big)],
        "sockets --peers-file": ["sockets", "list", "--peers-file", str(big)],
    }


@pytest.mark.parametrize("command", list(_commands(Path("x"))))
def test_every_command_that_reads_a_file_refuses_one_over_the_limit(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: str
) -> None:
    big = tmp_path / "big.txt"
    big.write_text("# filler\n" * 400)  # 3,600 bytes
    monkeypatch.setenv(LIMIT_VARIABLE, "2K")
    monkeypatch.chdir(tmp_path)  # no project settings from the checkout
    result = cli(_commands(big)[command])
    assert result.exit_code == 2, result.stdout + result.stderr
    assert f"{big}: " in result.stderr
    assert "larger than 2 KiB" in result.stderr and LIMIT_VARIABLE in result.stderr
    assert "Traceback" not in result.stderr


def test_stdin_is_read_up_to_the_limit(cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(LIMIT_VARIABLE, "1K")
    result = cli(["diagnose", "-"], input="y\n" * 600)
    assert result.exit_code == 2
    assert "<stdin>: paste is larger than 1 KiB" in result.stderr


def _limited_run(
    args: list[str], stdin: int | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run the installed ``opskit`` with 1 GiB of address space: an unbounded read would die of it."""

    def limit_memory() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))

    return subprocess.run(
        [str(OPSKIT), *args],
        capture_output=True,
        text=True,
        timeout=120,
        stdin=stdin,
        preexec_fn=limit_memory,
        env={**os.environ, "NO_COLOR": "1", **(env or {})},
        cwd=ROOT,
    )


@pytest.mark.parametrize(
    "args",
    [["render", "/dev/zero"], ["lint", "/dev/zero"], ["diagnose", "/dev/zero"], ["render", "--check", "/dev/urandom"]],
)
def test_endless_devices_end_in_a_one_line_error_under_a_memory_limit(args: list[str]) -> None:
    result = _limited_run(args)
    assert result.returncode == 2, result.stderr
    assert "is larger than" in result.stderr and LIMIT_VARIABLE in result.stderr
    assert "Traceback" not in result.stderr and "MemoryError" not in result.stderr


def test_endless_stdin_ends_in_a_one_line_error_under_a_memory_limit() -> None:
    with open("/dev/zero", "rb") as zero:
        result = _limited_run(["diagnose", "-"], stdin=zero.fileno())
    assert result.returncode == 2, result.stderr
    assert "<stdin>: paste is larger than 16 MiB" in result.stderr
    assert "Traceback" not in result.stderr


@settings(max_examples=6, deadline=None)
@given(levels=st.integers(4, 9), width=st.integers(6, 12))
@example(levels=4, width=8)  # 4,096 leaves fit; with the 585 files above them they do not
def test_an_include_bomb_is_refused_quickly(levels: int, width: int) -> None:
    """Files that each include the next one ``width`` times: width**levels copies, refused at the limit."""
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        for level in range(levels):
            (base / f"l{level}.conf").write_text(f"include l{level + 1}.conf;\n" * width)
        (base / f"l{levels}.conf").write_text("worker_processes 1;\n")
        (base / "nginx.conf").write_text("include l0.conf;\nevents {}\n")
        result = _limited_run(["lint", str(base / "nginx.conf")], env={LIMIT_VARIABLE: "4M"})
        # every include costs at least 1 KiB of the budget (each file here is smaller): width**k loads at level k
        if sum(width**k for k in range(levels + 1)) * 1024 <= 4 << 20:  # small enough to splice in: linted
            assert result.returncode in (0, 1), result.stderr
        else:
            assert result.returncode == 2, result.stderr
            assert "the includes splice in more config text than the input limit" in result.stderr
        assert "Traceback" not in result.stderr


def test_a_snippet_included_many_times_is_fine(cli, tmp_path: Path) -> None:
    (tmp_path / "proxy.conf").write_text("proxy_set_header Host $host;\n")
    servers = "".join(
        f"server {{ listen {8000 + i}; location / {{ include proxy.conf; proxy_pass http://127.0.0.1:9; }} }}\n"
        for i in range(2000)
    )
    (tmp_path / "nginx.conf").write_text(f"events {{}}\nhttp {{\n{servers}}}\n")
    result = cli(["lint", str(tmp_path / "nginx.conf")])
    assert result.exit_code in (0, 1), result.stderr


def test_a_password_from_an_endless_stdin_is_refused() -> None:
    with open("/dev/zero", "rb") as zero:
        result = _limited_run(
            ["check", "harbor", "https://127.0.0.1:9", "--user", "admin", "--password-stdin"], stdin=zero.fileno()
        )
    assert result.returncode == 2, result.stderr
    assert "--password-stdin: the first line of stdin is over 4096 characters" in result.stderr
