"""Every bundled example: its committed output is exactly what render produces (golden files), it passes
the real nginx -t / haproxy -c -dW, and `opskit render --check` agrees through a real subprocess."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from opskit.adapters.output_files import atomic_write_tree, read_tree
from opskit.core.render.families import all_families
from opskit.core.render.pipeline import compare_tree, render_site
from opskit.core.spec.loader import load_spec_text
from opskit.core.spec.model import SiteSpec

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))


def render_example(spec_path: Path):  # type: ignore[no-untyped-def]
    spec = load_spec_text(SiteSpec, spec_path.read_text(), spec_path.name)
    return render_site(spec, spec_path.name)


def test_every_family_has_an_example() -> None:
    covered = set()
    for spec_path in EXAMPLES:
        covered |= {family.family for family in render_example(spec_path).families}
    assert covered == {family.name for family in all_families()}


@pytest.mark.parametrize("spec_path", EXAMPLES, ids=lambda p: p.stem)
def test_committed_output_is_golden(spec_path: Path, update_golden: bool) -> None:
    site = render_example(spec_path)
    out_dir = spec_path.with_suffix("")
    if update_golden:
        if out_dir.exists():
            shutil.rmtree(out_dir)
        atomic_write_tree(out_dir, site.files)
    drift = [d for d in compare_tree(site.files, read_tree(out_dir)) if d.status != "unchanged"]
    message = "rendered output differs from the committed files (pytest --update-golden rewrites them):\n"
    assert not drift, message + "".join(d.diff for d in drift)


@pytest.mark.parametrize("spec_path", EXAMPLES, ids=lambda p: p.stem)
def test_rendering_is_deterministic(spec_path: Path) -> None:
    assert render_example(spec_path).files == render_example(spec_path).files


def _validation_cases() -> list[tuple[Path, int]]:
    return [(p, i) for p in EXAMPLES for family in render_example(p).families for i, _ in enumerate(family.validations)]


@pytest.mark.integration
@pytest.mark.parametrize("spec_path", EXAMPLES, ids=lambda p: p.stem)
def test_every_example_passes_the_real_validators(spec_path: Path) -> None:
    from opskit.adapters.validate import validate_rendered
    from tests.support.tools import require_binary, require_root

    require_root("validation runs in private namespaces")
    site = render_example(spec_path)
    targets = [t for family in site.families for t in family.validations]
    assert targets, f"{spec_path.name} declares nothing to validate"
    for target in targets:
        if target.tool != "kubernetes":  # schema validation: a Python package of the test extra, no binary
            require_binary(target.tool, f"apt-get install {target.tool}")
        result = validate_rendered(site.files, target)
        assert result.ok, f"{target.tool} rejected {target.entry}:\n{result.output}"


@pytest.mark.parametrize("spec_path", EXAMPLES, ids=lambda p: p.stem)
def test_check_through_a_real_subprocess(spec_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "opskit", "render", str(spec_path), "--check"],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "NO_COLOR": "1"},
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "up to date" in done.stdout
