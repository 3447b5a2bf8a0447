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
    from opskit.adapters.fs import atomic_write, read_text_input, read_tree
    from opskit.core.render.pipeline import compare_tree, render_site
    from opskit.core.spec.loader import load_spec_text
    from opskit.core.spec.model import SiteSpec
    from opskit.errors import ExitCode
    from opskit.output.render import RenderOutcome, show_outcome

    text = read_text_input(spec, "spec file")
    site_spec = load_spec_text(SiteSpec, text, str(spec))
    site = render_site(site_spec, spec.name, only or ())
    target_dir = output_dir if output_dir is not None else spec.parent / spec.stem
    files = site.files

    validations = []
    if validate:
        from opskit.adapters.validate import validate_rendered

        for family in site.families:
            for target in family.validations:
                validations.append(validate_rendered(files, target))

    drift = compare_tree(
        files,
        read_tree(target_dir)
        if not only
        else {path: text for path, text in read_tree(target_dir).items() if path in files},
    )
    validation_failed = any(not v.ok for v in validations)
    written: list[str] = []
    if not check and not validation_failed:
        for item in drift:
            if item.status in ("missing", "changed"):
                atomic_write(target_dir / item.path, files[item.path])
                written.append(item.path)

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
