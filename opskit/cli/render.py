"""`opskit render SPEC`: one YAML spec → every config it implies (written, checked, or validated)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from opskit.cli.common import FormatOption, finish
from opskit.output.console import OutputFormat


def render(
    spec: Annotated[Path, typer.Argument(help="The site spec (YAML).", show_default=False, metavar="SPEC.yaml")],
    output_dir: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            metavar="DIR",
            help="Where the files go. Default: a folder named after the spec, beside it.",
        ),
    ] = None,
    check: Annotated[
        bool, typer.Option("--check", help="Render in memory, diff against DIR, exit 1 on drift. Writes nothing.")
    ] = False,
    validate: Annotated[
        bool,
        typer.Option("--validate", help="Check the output with the real nginx -t / haproxy -c -dW before writing."),
    ] = False,
    only: Annotated[
        list[str] | None, typer.Option("--only", help="Render only this family (repeatable).", metavar="FAMILY")
    ] = None,
    output_format: FormatOption = OutputFormat.human,
) -> None:
    """Render Harbor, HAProxy-edge and Kubernetes-gateway configs from one spec.

    Output is byte-identical across runs and machines. Files are written atomically, and with
    --validate only after every check passed.
    """
    from opskit.adapters.fs import InputKind, read_text_input, scan_output_tree, write_files
    from opskit.core.render.pipeline import NOT_OURS, compare_tree, render_site
    from opskit.core.spec.loader import load_spec_text
    from opskit.core.spec.model import SiteSpec
    from opskit.errors import ExitCode, InputError, Problem
    from opskit.output.render import RenderOutcome, show_outcome

    text = read_text_input(spec, "spec file", InputKind.SPEC)
    site_spec = load_spec_text(SiteSpec, text, str(spec))
    site = render_site(site_spec, spec.name, only or ())
    target_dir = output_dir if output_dir is not None else spec.parent / spec.stem
    if target_dir.exists() and not target_dir.is_dir():
        if output_dir is not None:
            raise InputError.option("--output", f"{target_dir} exists and is not a folder")
        raise InputError.at(str(target_dir), None, None, "the output folder's path exists and is not a folder")
    files = site.files

    validations = []
    if validate:
        from opskit.adapters.validate import validate_rendered

        for family in site.families:
            for target in family.validations:
                validations.append(validate_rendered(files, target))

    # Nothing inside the output folder is followed or read unless it is a regular file (see adapters.fs).
    on_disk = scan_output_tree(target_dir, files)
    drift = compare_tree(
        files,
        on_disk.files if not only else {path: text for path, text in on_disk.files.items() if path in files},
        {**on_disk.foreign, **dict.fromkeys(on_disk.directories, "a directory")},
    )
    validation_failed = any(not v.ok for v in validations)
    written: list[str] = []
    if not check:
        blocked = [item for item in drift if item.status == "foreign"]
        if blocked:
            problems = [
                Problem(str(target_dir / item.path), None, None, item.diff.split(": ", 1)[-1].strip())
                for item in blocked
            ]
            raise InputError(
                f"{target_dir}: {len(blocked)} rendered path(s) hold something that is {NOT_OURS}; "
                "remove it and render again (opskit never writes through a link); nothing was written",
                problems,
            )
    if not check and not validation_failed:
        # All or nothing: every file is staged (written + fsynced) before the first rename.
        written = write_files(
            target_dir, {item.path: files[item.path] for item in drift if item.status in ("missing", "changed")}
        )

    outcome = RenderOutcome(
        spec=str(spec),
        output_dir=str(target_dir),
        mode="check" if check else "write",
        families=site.families,
        drift=drift,
        written=written,
        validations=validations,
    )
    show_outcome(outcome, output_format)
    if validation_failed:
        finish(ExitCode.FINDINGS)
    if check and any(item.status != "unchanged" for item in drift):
        finish(ExitCode.FINDINGS)
    finish(ExitCode.OK)


def register(app: typer.Typer) -> None:
    app.command("render", no_args_is_help=True)(render)
