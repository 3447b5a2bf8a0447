"""The hooks in .pre-commit-hooks.yaml, run by the real pre-commit in a scratch repository.

The repository under test is this checkout at its HEAD commit (what `rev:` would pin); pre-commit
installs opskit from it into its own environment, exactly as a user's machine would.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.tools import IN_CI

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = Path(__file__).parent / "scenarios"
pytestmark = [pytest.mark.integration, pytest.mark.slow]


def _git(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True, timeout=60, check=False)


@pytest.fixture(scope="module")
def pre_commit_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    try:
        import pre_commit  # noqa: F401
    except ImportError:
        message = "pre-commit is not installed (it is in the test extra: pip install -e '.[test]')"
        if IN_CI:
            pytest.fail(message, pytrace=False)
        pytest.skip(message)  # only outside CI: IN_CI failed above
    return tmp_path_factory.mktemp("pre-commit-home")  # one hook environment for the module


@pytest.fixture
def scratch(tmp_path: Path, pre_commit_home: Path) -> Iterator[tuple[Path, dict[str, str]]]:
    """A user's repository: the §2 edge (HAProxy without timeout http-request), a spec and its output."""
    head = _git(ROOT, "rev-parse", "HEAD").stdout.strip()
    repo = tmp_path / "repo"
    (repo / "deploy").mkdir(parents=True)
    shutil.copy(SCENARIOS / "s2-haproxy-before.cfg", repo / "deploy/haproxy.cfg")
    shutil.copy(SCENARIOS / "s2-nginx-behind-haproxy.conf", repo / "deploy/edge.conf")
    shutil.copy(ROOT / "examples/haproxy-edge.yaml", repo / "haproxy-edge.yaml")
    shutil.copytree(ROOT / "examples/haproxy-edge", repo / "haproxy-edge")
    (repo / ".opskit.toml").write_text('[lint]\npaths = ["deploy/haproxy.cfg", "deploy/edge.conf"]\n')
    (repo / ".pre-commit-config.yaml").write_text(
        "repos:\n"
        f"  - repo: {ROOT}\n"
        f"    rev: {head}\n"
        "    hooks:\n"
        "      - id: opskit-lint\n"
        "      - id: opskit-render-check\n"
        "        args: [haproxy-edge.yaml]\n"
    )
    env = {
        **os.environ,
        "PRE_COMMIT_HOME": str(pre_commit_home),
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.invalid",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.invalid",
        "NO_COLOR": "1",
    }
    env.pop("COLUMNS", None)
    _git(repo, "init", "-q", "-b", "main")
    _git(repo, "add", "-A")
    assert _git(repo, "-c", "commit.gpgsign=false", "commit", "-q", "--no-verify", "-m", "start").returncode == 0
    installed = subprocess.run(
        [sys.executable, "-m", "pre_commit", "install"],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert installed.returncode == 0, installed.stdout + installed.stderr
    yield repo, env


def _commit(repo: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["git", "-c", "commit.gpgsign=false", "commit", "-m", "change"],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def test_commit_staging_only_nginx_still_sees_the_haproxy_side(scratch: tuple[Path, dict[str, str]]) -> None:
    repo, env = scratch
    with (repo / "deploy/edge.conf").open("a") as handle:
        handle.write("# tuned\n")
    _git(repo, "add", "deploy/edge.conf")
    done = _commit(repo, env)
    output = done.stdout + done.stderr
    assert done.returncode != 0, output
    assert "X003" in output and "deploy/haproxy.cfg" in output  # the cross-file rule fired
    assert "opskit render --check" in output and "Passed" in output  # render-check ran and was clean


def test_a_cfg_that_is_no_config_is_a_note_and_a_clean_set_passes(scratch: tuple[Path, dict[str, str]]) -> None:
    repo, env = scratch
    shutil.copy(SCENARIOS / "s2-haproxy-fixed.cfg", repo / "deploy/haproxy.cfg")
    (repo / "deploy/tool.cfg").write_text("[tool]\nretries = 3\n")
    _git(repo, "add", "-A")
    done = _commit(repo, env)
    assert done.returncode == 0, done.stdout + done.stderr


def test_hand_edit_of_a_rendered_file_is_drift(scratch: tuple[Path, dict[str, str]]) -> None:
    repo, env = scratch
    shutil.copy(SCENARIOS / "s2-haproxy-fixed.cfg", repo / "deploy/haproxy.cfg")
    rendered = repo / "haproxy-edge/haproxy.cfg"
    rendered.write_text(rendered.read_text().replace("timeout http-request", "timeout http-request 1h #"))
    _git(repo, "add", "-A")
    done = _commit(repo, env)
    output = done.stdout + done.stderr
    assert done.returncode != 0, output
    assert "opskit render --check" in output and "Failed" in output
    assert "haproxy.cfg" in output and "DRIFT" in output
