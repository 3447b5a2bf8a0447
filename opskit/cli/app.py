"""The `opskit` entry point: builds the typer app and maps errors to exit codes in one place.

Machine output on failure: when the command line asks for ``--format json`` (or ``sarif``), every
exit leaves one document on stdout, so a CI job that saves stdout never uploads an empty file that
hides the error. The human one-paragraph message still goes to stderr, unchanged.
"""

from __future__ import annotations

import importlib
import sys
import traceback
from collections.abc import Sequence
from typing import Any

import typer
from typer.core import TyperGroup

from opskit import __version__
from opskit.errors import COMMAND_LINE, EnvironmentProblem, InputError, OpskitError

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

# A bug (an exception that is not an OpskitError) ends with EX_SOFTWARE from sysexits.h: neither 1
# ("findings") nor 2 ("bad input") may be mistaken for it by a script or a CI job.
BUG_EXIT_CODE = 70
_MACHINE_FORMATS = frozenset({"json", "sarif"})


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


def requested_format(group: Any, args: Sequence[str]) -> tuple[str, str | None]:
    """The command path (``headscale migrate plan``) and its ``--format/-F`` value, read from ``args``.

    Read from the raw arguments, not the parsed ones, so that a usage error (a flag the parser
    refused) still knows the caller wanted a machine document. Only a command that has a
    ``--format`` option counts; the value is lower-cased, as the option itself is case-insensitive.
    """
    command: Any = group
    path: list[str] = []
    tokens = list(args)
    position = 0
    while isinstance(getattr(command, "commands", None), dict) and position < len(tokens):
        token = tokens[position]
        position += 1
        if token.startswith("-"):
            continue
        sub = command.commands.get(token)
        if sub is None:
            break
        command, path = sub, [*path, token]
    has_format = any("--format" in getattr(p, "opts", ()) for p in getattr(command, "params", ()))
    value: str | None = None
    if has_format:
        for index, token in enumerate(tokens[position:], start=position):
            if token == "--":
                break
            if token in {"--format", "-F"} and index + 1 < len(tokens):
                value = tokens[index + 1]
            elif token.startswith("--format="):
                value = token.partition("=")[2]
            elif token.startswith("-F") and len(token) > 2 and not token.startswith("--"):
                value = token[2:]
    return " ".join(path), value.lower() if value is not None else None


def emit_error_document(output_format: str | None, command: str, error: OpskitError, exit_code: int) -> None:
    """The machine error document for ``output_format`` on stdout (built in output/; nothing for human)."""
    if output_format in _MACHINE_FORMATS:
        from opskit.output.errors import show_error

        show_error(output_format, command, error, exit_code)


class _ErrorMappingGroup(TyperGroup):
    """Root group: every subcommand runs inside it, so expected errors map to exit codes here."""

    _argv: tuple[str, ...] = ()

    def main(self, args: Sequence[str] | None = None, *rest: Any, **options: Any) -> Any:
        from opskit.cli.secrets import run_scope

        self._argv = tuple(args) if args is not None else tuple(sys.argv[1:])
        # Every write of the run is scrubbed of the credentials it registers, including click's own usage
        # errors, printed after invoke returns ("Got unexpected extra argument (postgresql://u:pw@...)").
        with run_scope():
            return super().main(args, *rest, **options)

    def invoke(self, ctx: Any) -> Any:
        remaining = self._argv
        try:
            return super().invoke(ctx)
        except OpskitError as error:
            report_error(error)
            command, output_format = self._format_of(remaining)
            emit_error_document(output_format, command, error, int(error.exit_code))
            raise typer.Exit(int(error.exit_code)) from None
        except typer.TyperException as usage:  # a flag value the parser refused: click prints it
            command, output_format = self._format_of(remaining)
            if output_format in _MACHINE_FORMATS:
                message = usage.format_message()
                where = getattr(getattr(usage, "param", None), "opts", None)
                field = where[0] if where else None
                as_input = InputError.at(COMMAND_LINE, None, field, message) if field else InputError(message)
                emit_error_document(output_format, command, as_input, int(usage.exit_code))
            raise
        except KeyboardInterrupt:
            sys.stderr.write("opskit: interrupted\n")
            raise typer.Exit(130) from None
        except (typer.Exit, typer.Abort, SystemExit):
            raise
        except Exception as bug:
            if isinstance(bug, OSError) and bug.filename is not None:
                # A path the user named that the OS refuses (too long, a loop of links, no permission, a
                # read-only or full file system): their environment, not a bug — exit 2 naming the path.
                problem = EnvironmentProblem(f"{bug.filename}: {bug.strerror or bug}")
                report_error(problem)
                command, output_format = self._format_of(remaining)
                emit_error_document(output_format, command, problem, int(problem.exit_code))
                raise typer.Exit(int(problem.exit_code)) from None
            command, output_format = self._format_of(remaining)
            sys.stderr.write(
                "opskit: internal error (a bug in opskit, not in your input); please report it "
                "with the traceback below\n" + "".join(traceback.format_exception(bug))
            )
            emit_error_document(
                output_format, command, OpskitError(f"internal error: {type(bug).__name__}"), BUG_EXIT_CODE
            )
            raise typer.Exit(BUG_EXIT_CODE) from None

    def _format_of(self, args: Sequence[str]) -> tuple[str, str | None]:
        return requested_format(self, args)


def main() -> None:
    build_app()(prog_name="opskit")
