"""`opskit render`: load the spec → render in memory → validate with the real binaries → compare with
the output folder → write (all or nothing, and only when every validation passed) or just report."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from opskit.adapters.input_files import InputKind, read_text_input
from opskit.adapters.output_files import scan_output_tree, write_files
from opskit.core.render.model import ValidationResult
from opskit.core.render.outcome import RenderOutcome
from opskit.core.render.pipeline import NOT_OURS, RenderedSite, compare_tree, render_site
from opskit.core.spec.loader import load_spec_text
from opskit.core.spec.model import SiteSpec
from opskit.errors import InputError, Problem


def default_output_dir(spec: Path) -> Path:
    """A folder named after the spec, beside it."""
    return spec.parent / spec.stem


def validate_site(site: RenderedSite) -> list[ValidationResult]:
    """Every family's validation targets, run with the real binaries on a temporary copy."""
    from opskit.adapters.validate import validate_rendered

    files = site.files
    return [validate_rendered(files, target) for family in site.families for target in family.validations]


def render_spec(
    spec: Path,
    output_dir: Path | None = None,
    *,
    check: bool = False,
    validate: bool = False,
    only: Sequence[str] = (),
) -> RenderOutcome:
    """Render ``spec``; with ``check`` only compare with the folder, otherwise write what changed.

    Raises InputError for a bad spec, an output path that is not a folder, or a rendered path that holds
    something opskit did not write (then nothing is written). With ``validate``, a failed validation
    leaves the folder untouched (the outcome says so).
    """
    text = read_text_input(spec, "spec file", InputKind.SPEC)
    site_spec = load_spec_text(SiteSpec, text, str(spec))
    site = render_site(site_spec, spec.name, only)
    target_dir = output_dir if output_dir is not None else default_output_dir(spec)
    if target_dir.exists() and not target_dir.is_dir():
        if output_dir is not None:
            raise InputError.option("--output", f"{target_dir} exists and is not a folder")
        raise InputError.at(str(target_dir), None, None, "the output folder's path exists and is not a folder")
    files = site.files
    validations = validate_site(site) if validate else []

    # Nothing inside the output folder is followed or read unless it is a regular file (see adapters.output_files).
    on_disk = scan_output_tree(target_dir, files)
    drift = compare_tree(
        files,
        on_disk.files if not only else {path: text for path, text in on_disk.files.items() if path in files},
        {**on_disk.foreign, **dict.fromkeys(on_disk.directories, "a directory")},
    )
    outcome = RenderOutcome(
        spec=str(spec),
        output_dir=str(target_dir),
        mode="check" if check else "write",
        families=site.families,
        drift=drift,
        validations=validations,
    )
    if check:
        return outcome
    blocked = [item for item in drift if item.status == "foreign"]
    if blocked:
        problems = [
            Problem(str(target_dir / item.path), None, None, item.diff.split(": ", 1)[-1].strip()) for item in blocked
        ]
        raise InputError(
            f"{target_dir}: {len(blocked)} rendered path(s) hold something that is {NOT_OURS}; "
            "remove it and render again (opskit never writes through a link); nothing was written",
            problems,
        )
    if not outcome.validation_failed:
        # All or nothing: every file is staged (written + fsynced) before the first rename.
        changed = {item.path: files[item.path] for item in drift if item.status in ("missing", "changed")}
        outcome = replace(outcome, written=write_files(target_dir, changed))
    return outcome
