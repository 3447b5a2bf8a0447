"""`render` as the opskit.fleet module runs it on a target: spec → files in memory → validated with
this host's own nginx/haproxy → diffed with what is on disk → written all or nothing (or, in check
mode, only reported), like ansible.builtin.template with ``validate``."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from opskit.core.render.pipeline import FileDrift


@dataclass(frozen=True)
class RenderedOnTarget:
    dest: str
    drift: tuple[FileDrift, ...]
    validations: tuple[dict[str, object], ...]
    written: tuple[str, ...] = ()
    backups: dict[str, str] = field(default_factory=dict)
    before: dict[str, str | None] = field(default_factory=dict)  # previous content of what differs
    after: dict[str, str] = field(default_factory=dict)  # new content of what differs

    @property
    def valid(self) -> bool:
        return all(bool(v["ok"]) for v in self.validations)

    @property
    def changed_paths(self) -> tuple[str, ...]:
        return tuple(d.path for d in self.drift if d.status in ("missing", "changed"))


def read_spec(path: Path) -> str:
    """A spec file on this host, as text (missing, unreadable or not UTF-8: InputError naming it)."""
    from opskit.adapters.fs import read_text_input

    return read_text_input(path, "spec file")


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
    Nothing is written when a validation fails."""
    from opskit.adapters.fs import read_tree
    from opskit.adapters.staged_write import write_all_or_nothing
    from opskit.adapters.validate import validate_rendered
    from opskit.core.render.pipeline import compare_tree, render_site
    from opskit.core.spec.loader import load_spec_text
    from opskit.core.spec.model import SiteSpec

    site = render_site(load_spec_text(SiteSpec, spec_text, spec_name), spec_name, only)
    files = site.files
    validations = tuple(
        validate_rendered(files, target).to_json()
        for family in (site.families if validate else ())
        for target in family.validations
    )
    on_disk = read_tree(dest)
    drift = tuple(compare_tree(files, {p: t for p, t in on_disk.items() if p in files}))
    changed = [d.path for d in drift if d.status in ("missing", "changed")]
    before = {p: on_disk.get(p) for p in changed}
    after = {p: files[p] for p in changed}
    result = RenderedOnTarget(str(dest), drift, validations, before=before, after=after)
    if not write or not changed or not result.valid:
        return result
    staged = write_all_or_nothing(dest, after, backup_suffix=backup_suffix)
    return RenderedOnTarget(str(dest), drift, validations, staged.written, staged.backups, before, after)
