"""The pre-commit hook definitions offered by the repository."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def test_hooks_offer_lint_and_render_check() -> None:
    hooks = {hook["id"]: hook for hook in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())}
    assert set(hooks) == {"opskit-lint", "opskit-render-check"}
    for hook in hooks.values():
        assert {"id", "name", "entry", "language"} <= set(hook)
        assert hook["language"] == "python"
        re.compile(hook.get("files", ""))
    assert hooks["opskit-lint"]["entry"] == "opskit lint --pre-commit"
    assert hooks["opskit-lint"]["require_serial"] is True
    assert hooks["opskit-render-check"]["entry"] == "opskit render --check"
    assert hooks["opskit-render-check"]["pass_filenames"] is False


def test_lint_hook_file_pattern_matches_configs() -> None:
    pattern = re.compile(yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())[0]["files"])
    for path in ("deploy/nginx.conf", "edge/haproxy.cfg", "sites/registry.conf", "etc/nginx/nginx"):
        assert pattern.search(path), path
    assert not pattern.search("README.md")
    exclude = re.compile(yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())[0]["exclude"])
    assert exclude.search("setup.cfg") and exclude.search("pkg/tox.cfg") and not exclude.search("edge/haproxy.cfg")


def test_the_documented_render_check_example_uses_real_options() -> None:
    """The example in the hooks file's header passes the spec positionally (there is no --spec)."""
    header = (ROOT / ".pre-commit-hooks.yaml").read_text().split("\n- id:", 1)[0]
    assert "--spec" not in header
    assert "args: [deploy/edge.yaml]" in header
