"""`opskit lint` with project settings, stdin, -o, --exit-zero, --list-rules, --explain, --pre-commit."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

SCENARIOS = Path(__file__).parent / "scenarios"
HAPROXY_BEFORE = SCENARIOS / "s2-haproxy-before.cfg"
NGINX_BEHIND = SCENARIOS / "s2-nginx-behind-haproxy.conf"
K8S_ORIGINAL = SCENARIOS / "s3-k8s-gateway-original.conf"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A repository with the §2 edge: HAProxy in deploy/haproxy, nginx in deploy/nginx."""
    (tmp_path / ".git").mkdir()  # the settings search stops at the repository root
    (tmp_path / "deploy/haproxy").mkdir(parents=True)
    (tmp_path / "deploy/nginx").mkdir(parents=True)
    shutil.copy(HAPROXY_BEFORE, tmp_path / "deploy/haproxy/haproxy.cfg")
    shutil.copy(NGINX_BEHIND, tmp_path / "deploy/nginx/edge.conf")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _settings(root: Path, text: str, name: str = ".opskit.toml") -> None:
    (root / name).write_text(text)


def test_declared_paths_are_linted_when_no_path_is_given(cli, project: Path) -> None:  # type: ignore[no-untyped-def]
    _settings(project, '[lint]\npaths = ["deploy/haproxy/haproxy.cfg", "deploy/nginx/*.conf"]\n')
    result = cli(["lint", "--format", "json"])
    document = json.loads(result.stdout)
    assert result.exit_code == 1
    assert document["inputs"] == ["deploy/haproxy/haproxy.cfg", "deploy/nginx/edge.conf"]
    assert "X003" in {f["rule"] for f in document["findings"]}  # both sides seen


def test_pyproject_table_and_flags_win_over_it(cli, project: Path) -> None:  # type: ignore[no-untyped-def]
    _settings(
        project,
        '[project]\nname = "x"\n[tool.opskit.lint]\npaths = ["deploy/**/*.c*"]\nselect = ["HAP"]\n',
        "pyproject.toml",
    )
    from_file = json.loads(cli(["lint", "-F", "json"]).stdout)
    assert {f["rule"][:3] for f in from_file["findings"]} == {"HAP"}
    from_flag = json.loads(cli(["lint", "-F", "json", "--select", "X"]).stdout)
    assert {f["rule"][:1] for f in from_flag["findings"]} == {"X"}


def test_settings_found_from_a_subfolder_but_not_above_the_repository(  # type: ignore[no-untyped-def]
    cli, project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _settings(project, '[lint]\npaths = ["deploy/haproxy/haproxy.cfg"]\n')
    monkeypatch.chdir(project / "deploy/nginx")
    assert json.loads(cli(["lint", "-F", "json"]).stdout)["inputs"] == ["../haproxy/haproxy.cfg"]
    _settings(project.parent, '[lint]\npaths = ["nowhere.cfg"]\n')  # above .git: never read
    (project / ".opskit.toml").unlink()
    result = cli(["lint"])
    assert result.exit_code == 2
    assert "no config files given" in result.stderr


@pytest.mark.parametrize(
    ("text", "field", "problem"),
    [
        ('[lint]\npaths = "deploy/missing.conf"\n', "lint.paths", "no such file"),
        ("[lint]\nselekt = ['NGX']\n", "lint.selekt", "unknown key"),
        ("[lint]\nselect = [1]\n", "lint.select", "list of non-empty strings"),
        ("[lint]\nmin-severity = 3\n", "lint.min-severity", "non-empty string"),
        ("[lint\n", None, "not valid TOML"),
        ("lint = 3\n", "lint", "must be a table"),
    ],
)
def test_bad_settings_name_file_and_key(  # type: ignore[no-untyped-def]
    cli, project: Path, text: str, field: str | None, problem: str
) -> None:
    _settings(project, text)
    result = cli(["lint"])
    assert result.exit_code == 2
    assert ".opskit.toml" in result.stderr and problem in result.stderr
    if field:
        assert f": {field}: " in result.stderr


def test_pre_commit_mode_lints_the_whole_set_and_notes_other_files(  # type: ignore[no-untyped-def]
    cli, project: Path
) -> None:
    _settings(project, '[lint]\npaths = ["deploy/haproxy/haproxy.cfg", "deploy/nginx/edge.conf"]\n')
    (project / "setup.cfg").write_text("[metadata]\nname = x\n")
    # pre-commit passes only what is staged: the nginx file and an unrelated .cfg
    result = cli(["lint", "--pre-commit", "deploy/nginx/edge.conf", "setup.cfg", "-F", "json"])
    document = json.loads(result.stdout)
    assert result.exit_code == 1
    assert "X003" in {f["rule"] for f in document["findings"]}
    assert document["notes"] == ["setup.cfg: neither an nginx nor an HAProxy config; not linted"]
    without = cli(["lint", "deploy/nginx/edge.conf", "setup.cfg"])  # outside hook mode: an error
    assert without.exit_code == 2


def test_stdin_dash(cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    result = cli(["lint", "--no-config", "-", "-F", "json"], input=K8S_ORIGINAL.read_text())
    document = json.loads(result.stdout)
    assert result.exit_code == 1
    assert [(f["rule"], f["evidence"][0]["file"]) for f in document["findings"]] == [("NGX101", "-")]


def test_output_file_and_exit_zero(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    report = tmp_path / "lint.sarif"
    result = cli(["lint", "--no-config", str(K8S_ORIGINAL), "-F", "sarif", "-o", str(report), "--exit-zero"])
    assert result.exit_code == 0 and result.stdout == ""
    sarif = json.loads(report.read_text())
    run = sarif["runs"][0]
    assert [r["ruleId"] for r in run["results"]] == ["NGX101"]
    rule = run["tool"]["driver"]["rules"][0]
    assert rule["helpUri"].endswith("/docs/rules.md#ngx101")
    assert run["invocations"][0]["executionSuccessful"] is True
    missing = cli(["lint", "--no-config", str(K8S_ORIGINAL), "-o", str(tmp_path / "no/such/dir/r.txt")])
    assert missing.exit_code == 2 and "--output" in missing.stderr


def test_list_rules_and_explain(cli) -> None:  # type: ignore[no-untyped-def]
    from opskit.core.lint.catalog import all_rules

    listed = json.loads(cli(["lint", "--list-rules", "-F", "json"]).stdout)
    assert [r["id"] for r in listed["rules"]] == [r.id for r in all_rules()]
    human = cli(["lint", "--list-rules"])
    assert human.exit_code == 0 and "NGX101" in human.stdout and "static-service-name" in human.stdout
    explained = cli(["lint", "--explain", "ngx101"])
    assert explained.exit_code == 0
    assert "Why:" in explained.stdout and "Bad:" in explained.stdout and "Good:" in explained.stdout
    by_name = json.loads(cli(["lint", "--explain", "resolver-valid", "-F", "json"]).stdout)
    assert by_name["id"] == "NGX106" and by_name["examples"]["bad"]
    unknown = cli(["lint", "--explain", "NGX999"])
    assert unknown.exit_code == 2 and "--list-rules" in unknown.stderr


def test_piped_output_is_not_wrapped_at_80_columns(tmp_path: Path) -> None:
    """Run as CI does (stdout a pipe, no COLUMNS): a long path and its line number stay on one line."""
    import os
    import subprocess
    import sys

    deep = tmp_path / ("very-long-folder-name-" * 5) / "gateway.conf"
    deep.parent.mkdir(parents=True)
    shutil.copy(K8S_ORIGINAL, deep)
    env = {k: v for k, v in os.environ.items() if k != "COLUMNS"}
    done = subprocess.run(
        [sys.executable, "-m", "opskit", "lint", "--no-config", str(deep)],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert done.returncode == 1
    assert done.stdout.splitlines()[0].startswith(f"{deep}:7  warning  NGX101  Service name")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=200))
def test_any_settings_text_is_exit_0_1_or_2(cli, tmp_path: Path, text: str) -> None:  # type: ignore[no-untyped-def]
    settings_file = tmp_path / "s.toml"
    settings_file.write_text(text, encoding="utf-8")
    result = cli(["lint", "--config", str(settings_file), str(K8S_ORIGINAL)])
    assert result.exit_code in (0, 1, 2)
