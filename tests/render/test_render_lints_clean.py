"""What `opskit render` produces must pass `opskit lint`: the generator and the linter encode the same
lessons, so a finding on rendered output is a bug in one of them. HAProxy and nginx files of one
example are linted together so the cross-file rules (PROXY protocol, header timeouts) run too."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from opskit.adapters.output_files import atomic_write_tree
from opskit.core.render.pipeline import render_site
from opskit.core.spec.loader import load_spec_text
from opskit.core.spec.model import SiteSpec

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))


@pytest.mark.parametrize("spec_path", EXAMPLES, ids=lambda p: p.stem)
def test_rendered_configs_lint_clean(spec_path: Path, tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    site = render_site(load_spec_text(SiteSpec, spec_path.read_text(), spec_path.name), spec_path.name)
    atomic_write_tree(tmp_path, site.files)
    configs = sorted(str(tmp_path / name) for name in site.files if name.endswith((".conf", ".cfg")))
    assert configs, f"{spec_path.name} renders no nginx or HAProxy config"
    result = cli(["lint", "--format", "json", *configs])
    report = json.loads(result.stdout)
    assert result.exit_code == 0, json.dumps(report, indent=2)
