"""Machine output on failure: with --format json/sarif every exit leaves one document on stdout."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from opskit.cli.app import BUG_EXIT_CODE


def test_json_error_document_names_file_line_field(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    plan = tmp_path / "plan.json"
    plan.write_text('{"opskit_plan": 1,\n  "broken": \n')
    result = cli(["headscale", "migrate", "apply", str(plan), "--format", "json"])
    assert result.exit_code == 2
    document = json.loads(result.stdout)
    assert document["kind"] == "error"
    assert document["command"] == "headscale migrate apply"
    assert document["exit_code"] == 2
    assert document["file"] == str(plan)
    assert document["line"] == 3
    assert document["problems"][0]["file"] == str(plan)
    assert "not JSON" in document["error"]
    assert "opskit: error:" in result.stderr  # the human message is unchanged


def test_json_error_document_for_a_bad_option_value(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli(["sockets", "kill", "--port", "70000", "-F", "json"])
    assert result.exit_code == 2
    document = json.loads(result.stdout)
    assert (document["file"], document["field"]) == ("command line", "--port")
    assert "not a TCP port" in document["problems"][0]["problem"]


@pytest.mark.parametrize("spelling", [["--format", "json"], ["--format=JSON"], ["-Fjson"], ["-F", "Json"]])
def test_usage_errors_get_a_document_too(cli, spelling: list[str]) -> None:  # type: ignore[no-untyped-def]
    result = cli(["sockets", "list", "--port", "not-a-number", *spelling])
    assert result.exit_code == 2
    document = json.loads(result.stdout)
    assert document["kind"] == "error" and document["field"] == "--port"


def test_human_format_keeps_stdout_empty_on_error(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli(["sockets", "kill", "--port", "70000"])
    assert result.exit_code == 2
    assert result.stdout == ""


def test_sarif_error_log_is_an_unsuccessful_invocation(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    missing = tmp_path / "nginx.conf"
    result = cli(["lint", str(missing), "--format", "sarif"])
    assert result.exit_code == 2
    log = json.loads(result.stdout)
    assert log["version"] == "2.1.0"
    invocation = log["runs"][0]["invocations"][0]
    assert invocation["executionSuccessful"] is False
    assert invocation["exitCode"] == 2
    notification = invocation["toolExecutionNotifications"][0]
    assert notification["level"] == "error"
    assert notification["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == missing.as_uri()
    assert log["runs"][0]["results"] == []


def test_a_bug_exits_70_with_traceback_and_document(cli, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    import opskit.core.sockets.explain as explain

    def broken(*args: object, **kwargs: object) -> None:
        raise ZeroDivisionError("simulated bug")

    monkeypatch.setattr(explain, "explain_filter", broken)
    result = cli(["sockets", "explain", "dport = :22", "--format", "json"])
    assert result.exit_code == BUG_EXIT_CODE  # never 1 (findings) or 2 (bad input)
    assert "Traceback" in result.stderr and "ZeroDivisionError" in result.stderr
    document = json.loads(result.stdout)
    assert document["exit_code"] == BUG_EXIT_CODE
    assert "internal error" in document["error"]
