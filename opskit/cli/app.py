"""The `opskit` entry point: builds the typer app and maps errors to exit codes in one place."""

from __future__ import annotations

import importlib
import sys
from typing import Any

import typer
from typer.core import TyperGroup

from opskit import __version__
from opskit.errors import OpskitError

# One line per command module; each exposes ``register(app)``. Modules import only typer at load time.
COMMAND_MODULES: tuple[str, ...] = (
    "opskit.cli.render",
    "opskit.cli.check",
    "opskit.cli.probe",
    "opskit.cli.headscale",
    "opskit.cli.sockets",
    "opskit.cli.lint",
    "opskit.cli.diagnose",
)


def _version_callback(value: bool) -> None:
    if value:
        sys.stdout.write(f"opskit {__version__}\n")
        raise typer.Exit(0)


def build_app() -> typer.Typer:
    app = typer.Typer(
        name="opskit",
        help="Configs, lints, diagnoses and safe migrations for self-hosted Harbor, HAProxy/nginx, "
        "Kubernetes gateways and Headscale/Tailscale.",
        no_args_is_help=True,
        context_settings={"help_option_names": ["-h", "--help"]},
        pretty_exceptions_show_locals=False,  # locals may hold a DSN password
        rich_markup_mode=None,
        cls=_ErrorMappingGroup,
    )

    @app.callback()
    def root(
        version: bool = typer.Option(
            False, "--version", callback=_version_callback, is_eager=True, help="Print the version and exit."
        ),
    ) -> None:
        """opskit: turn incident write-ups into tools an on-call engineer can trust."""

    for module_name in COMMAND_MODULES:
        importlib.import_module(module_name).register(app)
    return app


def report_error(error: OpskitError) -> None:
    """One paragraph on stderr, never a traceback, for expected failures; the run's secrets scrubbed."""
    from opskit.cli.secrets import scrub_run
    from opskit.output.safe import safe_plain

    # Messages quote file names, config lines and typed values: shown, never obeyed by the terminal.
    sys.stderr.write(scrub_run(f"opskit: error: {safe_plain(error.describe(), newlines=True)}\n"))


class _ErrorMappingGroup(TyperGroup):
    """Root group: every subcommand runs inside it, so expected errors map to exit codes here."""

    def main(self, *args: Any, **kwargs: Any) -> Any:
        from opskit.cli.secrets import run_scope

        # Every write of the run is scrubbed of the credentials it registers, including click's own usage
        # errors, printed after invoke returns ("Got unexpected extra argument (postgresql://u:pw@...)").
        with run_scope():
            return super().main(*args, **kwargs)

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except OpskitError as error:
            report_error(error)
            raise typer.Exit(int(error.exit_code)) from None
        except KeyboardInterrupt:
            sys.stderr.write("opskit: interrupted\n")
            raise typer.Exit(130) from None


def main() -> None:
    build_app()(prog_name="opskit")
