"""`render` as the opskit.fleet module runs it on a target: spec → files in memory → validated with
this host's own nginx/haproxy → diffed with what is on disk → written all or nothing (or, in check
mode, only reported), like ansible.builtin.template with ``validate``."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from opskit.core.render.model import ValidationResult
from opskit.core.render.pipeline import FileDrift


@dataclass(frozen=True)
class RenderedOnTarget:
    dest: str
    drift: tuple[FileDrift, ...]
    validations: tuple[ValidationResult, ...]
    written: tuple[str, ...] = ()
    backups: dict[str, str] = field(default_factory=dict)
    before: dict[str, str | None] = field(default_factory=dict)  # previous content of what differs
    after: dict[str, str] = field(default_factory=dict)  # new content of what differs

    @property
    def valid(self) -> bool:
        return all(v.ok for v in self.validations)

    @property
    def changed_paths(self) -> tuple[str, ...]:
        return tuple(d.path for d in self.drift if d.status in ("missing", "changed"))


def read_spec(path: Path) -> str:
    """A spec file on this host, as text (missing, unreadable or not UTF-8: InputError naming it)."""
    from opskit.adapters.input_files import InputKind, read_text_input

    return read_text_input(path, "spec file", InputKind.SPEC)


def render_on_target(
    spec_text: str,
    spec_name: str,
    dest: Path,
    *,
    only: Sequence[str] = (),
    validate: bool = True,
    write: bool = True,
    backup_suffix: str | None = None,
) -> RenderedOnTarget:
    """Render, validate, diff, and (``write``) replace only the files that differ, all or nothing.
    Nothing is written when a validation fails, or when a rendered path holds something opskit did not
    write (a link, a directory): that is refused, as `opskit render` refuses it."""
    from opskit.adapters.output_files import scan_output_tree
    from opskit.adapters.staged_write import write_with_backups
    from opskit.adapters.validate import validate_rendered
    from opskit.core.render.pipeline import NOT_OURS, compare_tree, render_site
    from opskit.core.spec.loader import load_spec_text
    from opskit.core.spec.model import SiteSpec
    from opskit.errors import InputError, Problem

    site = render_site(load_spec_text(SiteSpec, spec_text, spec_name), spec_name, only)
    files = site.files
    validations = tuple(
        validate_rendered(files, target)
        for family in (site.families if validate else ())
        for target in family.validations
    )
    on_disk = scan_output_tree(dest, files)
    drift = tuple(
        compare_tree(
            files,
            {p: t for p, t in on_disk.files.items() if p in files},
            {**on_disk.foreign, **dict.fromkeys(on_disk.directories, "a directory")},
        )
    )
    blocked = [d for d in drift if d.status == "foreign"]
    if blocked:
        raise InputError(
            f"{dest}: {len(blocked)} rendered path(s) hold something that is {NOT_OURS}; remove it and "
            "render again (opskit never writes through a link); nothing was written",
            [Problem(str(dest / d.path), None, None, d.diff.split(": ", 1)[-1].strip()) for d in blocked],
        )
    changed = [d.path for d in drift if d.status in ("missing", "changed")]
    before = {p: on_disk.files.get(p) for p in changed}
    after = {p: files[p] for p in changed}
    result = RenderedOnTarget(str(dest), drift, validations, before=before, after=after)
    if not write or not changed or not result.valid:
        return result
    staged = write_with_backups(dest, after, backup_suffix=backup_suffix)
    return RenderedOnTarget(str(dest), drift, validations, staged.written, staged.backups, before, after)
