"""The hostile inputs of issue 11 item 7, one by one: each is exit 2 with the file or flag named."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

PLAN = ["headscale", "migrate", "plan", "--tenant", "acme", "--from", "1", "--to", "2"]
# A DSN nobody listens on: every case here must be refused before the database is reached.
CLOSED_DSN = ["--dsn", "postgresql://opskit@127.0.0.1:9/none?connect_timeout=1"]


def test_plan_output_directory_is_refused(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = cli([*PLAN, *CLOSED_DSN, "-o", str(tmp_path)])
    assert result.exit_code == 2
    assert "--output" in result.stderr and "is a directory" in result.stderr


def test_plan_output_in_a_missing_folder_creates_nothing(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    missing = tmp_path / "no-such-dir"
    result = cli([*PLAN, *CLOSED_DSN, "-o", str(missing / "p.json")])
    assert result.exit_code == 2
    assert "does not exist" in result.stderr and "--output" in result.stderr
    assert not missing.exists()


@pytest.mark.parametrize("command", [["apply"], ["rollback"]])
def test_deep_json_is_bad_input(cli, tmp_path: Path, command: list[str]) -> None:  # type: ignore[no-untyped-def]
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 100_000 + "]" * 100_000 + "\n")
    result = cli(["headscale", "migrate", *command, str(deep), *CLOSED_DSN])
    assert result.exit_code == 2
    assert str(deep) in result.stderr and "nested too deeply" in result.stderr


@pytest.mark.parametrize("command", [["apply"], ["rollback"]])
def test_non_utf8_file_is_bad_input(cli, tmp_path: Path, command: list[str]) -> None:  # type: ignore[no-untyped-def]
    binary = tmp_path / "plan.json"
    binary.write_bytes(b"\xff\xfe\x00{not text")
    result = cli(["headscale", "migrate", *command, str(binary), *CLOSED_DSN])
    assert result.exit_code == 2
    assert str(binary) in result.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["headscale", "migrate", "apply"],
        ["headscale", "migrate", "rollback"],
        ["diagnose"],
        ["sockets", "list", "--peers-file"],
    ],
)
def test_a_fifo_nobody_writes_to_is_refused_instead_of_blocking(  # type: ignore[no-untyped-def]
    cli, tmp_path: Path, args: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A named FIFO is read like a pipe (bounded) once something writes to it; one nobody opens for
    writing is bad input after a short wait, never a hang (the wait is shortened here)."""
    monkeypatch.setattr("opskit.adapters.input_files.FIFO_WRITER_WAIT_SECONDS", 0.2)
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    result = cli([*args, str(fifo)])
    assert result.exit_code == 2
    assert f"{fifo}: is a FIFO that nothing wrote to" in result.stderr


@pytest.mark.parametrize(
    "filter_text",
    ["(" * 1000 + "dport = :22" + ")" * 1000, "not " * 5000 + "dport = :22", "! " * 51 + "sport = :22"],
)
def test_deeply_nested_ss_filter(cli, filter_text: str) -> None:  # type: ignore[no-untyped-def]
    result = cli(["sockets", "explain", filter_text])
    assert result.exit_code == 2
    assert "nested more than" in result.stderr


def test_ss_filter_at_the_nesting_limit_still_explains(cli) -> None:  # type: ignore[no-untyped-def]
    from opskit.core.sockets.explain import MAX_NESTING

    result = cli(["sockets", "explain", "(" * MAX_NESTING + "dport = :22" + ")" * MAX_NESTING])
    assert result.exit_code == 0


@pytest.mark.parametrize("port", [":" + "9" * 5000, ":²", ":0", ":65536"])
def test_ss_filter_ports_that_are_not_ports(cli, port: str) -> None:  # type: ignore[no-untyped-def]
    result = cli(["sockets", "explain", f"dport = {port}"])
    assert result.exit_code == 2


@pytest.mark.parametrize(
    ("args", "flag"),
    [
        (["headscale", "tenants", "--cluster", "99999999999999999999"], "--cluster"),
        (["headscale", "tenants", "--cluster", str(-(2**63) - 1)], "--cluster"),
        ([*PLAN[:-4], "--from", str(2**63), "--to", "2"], "--from"),
        ([*PLAN[:-2], "--to", str(2**64)], "--to"),
        (["headscale", "migrate", "plan", "--tenant-id", str(2**63), "--from", "1", "--to", "2"], "--tenant-id"),
        ([*PLAN, "--hook-timeout", "-5"], "--hook-timeout"),
        ([*PLAN, "--hook-timeout", "0"], "--hook-timeout"),
        ([*PLAN, "--hook-timeout", "nan"], "--hook-timeout"),
        ([*PLAN, "--route-timeout", "inf"], "--route-timeout"),
        ([*PLAN, "--reconnect-wait", "-1"], "--reconnect-wait"),
        (["sockets", "explain", "dport = :22", "--service-port", "99999"], "--service-port"),
    ],
)
def test_numbers_out_of_range_name_the_flag(cli, args: list[str], flag: str) -> None:  # type: ignore[no-untyped-def]
    result = cli([*args, *CLOSED_DSN] if args[0] == "headscale" else args)
    assert result.exit_code == 2
    assert f"command line: {flag}:" in result.stderr


@pytest.mark.parametrize("value", ["99999999999m", "9" * 30])
def test_lock_timeout_longer_than_postgres_allows(cli, tmp_path: Path, value: str) -> None:  # type: ignore[no-untyped-def]
    result = cli(["headscale", "migrate", "apply", str(tmp_path / "p.json"), "--lock-timeout", value])
    assert result.exit_code == 2
    assert "--lock-timeout" in result.stderr


@pytest.mark.parametrize("name", ["a" * 300, "a" * 300 + "/p.json"])
def test_plan_output_name_too_long_is_bad_input(cli, tmp_path: Path, name: str) -> None:  # type: ignore[no-untyped-def]
    result = cli([*PLAN, *CLOSED_DSN, "-o", str(tmp_path / name)])
    assert result.exit_code == 2
    assert "--output" in result.stderr and "File name too long" in result.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["check", "resolver", "--nameserver", "127.0.0.1:9", "--nginx-conf", "(" * 300],
        ["check", "harbor", "--ca", "a" * 300, "http://127.0.0.1:9/"],
    ],
)
def test_input_name_too_long_is_bad_input(cli, args: list[str]) -> None:  # type: ignore[no-untyped-def]
    result = cli(args)
    assert result.exit_code == 2
    assert "File name too long" in result.stderr
