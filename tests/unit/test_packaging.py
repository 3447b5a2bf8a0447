"""Package metadata a user and PyPI see: license, URLs, version in one place."""

from __future__ import annotations

import tomllib
from pathlib import Path

import opskit

ROOT = Path(__file__).resolve().parents[2]


def test_license_file_and_spdx_expression() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert project["license"] == "Apache-2.0"
    assert project["license-files"] == ["LICENSE"]
    assert "Apache License" in (ROOT / "LICENSE").read_text()[:200]


def test_project_urls_agree_with_the_links_opskit_prints() -> None:
    urls = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["urls"]
    assert urls["Homepage"] == opskit.PROJECT_URL
    assert all(url.startswith(opskit.PROJECT_URL) for url in urls.values())


def test_version_lives_in_one_place_and_has_a_changelog_entry() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert "version" not in project and "version" in project["dynamic"]
    assert f"## {opskit.__version__} " in (ROOT / "CHANGELOG.md").read_text()
