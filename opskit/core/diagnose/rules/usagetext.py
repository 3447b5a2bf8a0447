"""The rule that reads the tailscale CLI's help text (see opskit/core/diagnose/usagetext.py): a note that the CLI
listed itself and showed nothing about the node, or, under an error of the same command, that it refused the command
line."""

from __future__ import annotations

from collections.abc import Iterator

from opskit.core.diagnose.rules.facts import DiagnoseContext
from opskit.core.diagnose.text import SourceLine
from opskit.core.diagnose.usagetext import UsageTextReport
from opskit.core.diagnose.viewkinds import ViewReport
from opskit.core.findings import Finding, Severity
from opskit.core.rules import rule


@rule(
    id="TS-CLI-USAGE-TEXT",
    name="cli-usage-text",
    family="tailscale-windows",
    severity=Severity.INFO,
    summary="The tailscale CLI printed its help text (USAGE / SUBCOMMANDS / FLAGS): nothing ran, or, after an error, "
    "the command line was not accepted (a note)",
    target="cli-view",
)
def usage_text_note(report: ViewReport, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: a bare ``tailscale``, ``tailscale help`` or ``tailscale <sub> --help`` prints the CLI's help text and
    runs nothing: it shows the commands and flags this build knows, not the node's state. A usage *error* above it
    (``flag provided but not defined: …``, ``flag needs an argument: …``, a subcommand's ``Error: invalid number of
    arguments``) is the refusal and is read on its own; the help text the same command printed right under it is
    then no request for help: the note says that the CLI did not accept the command line and points at the
    error's line and finding instead of saying "nothing ran" as if help had been asked for.

    *Bad*::

        $ tailscale
        USAGE
          tailscale [flags] <subcommand> [command flags]

        SUBCOMMANDS
          up          Connect to Tailscale, logging in if needed
          status      Show state of tailscaled and its connections

    *Good*::

        $ tailscale status
        100.64.0.1   laptop   me@   linux   -
    """
    if not isinstance(report, UsageTextReport):
        return
    if report.after_error is not None:
        yield _after_error_note(report, report.after_error, ctx)
        return
    listed = f"{len(report.subcommands)} subcommands, {len(report.flags)} flags"
    young = f"; marked [ALPHA]/[BETA]: {', '.join(report.young)}" if report.young else ""
    yield ctx.finding(
        f"{ctx.facts.label}: `{report.command}` printed its help text ({listed}{young}): nothing ran, and it shows "
        "nothing about this node's state.",
        f"Nothing to fix. Run the subcommand you meant (`{report.command} <subcommand>`; `tailscale status` for the "
        "node's state); the list says which commands this build knows.",
        ctx.facts.evidence(report.lines[0]),
        title="tailscale help text",
    )


def _after_error_note(report: UsageTextReport, error: SourceLine, ctx: DiagnoseContext) -> Finding:
    """The note on a help text the CLI printed under an error of the same command: it points at that error."""
    where = f"the error above (line {error.number})" if error.number > 0 else "the error above"
    return ctx.finding(
        f"{ctx.facts.label}: the usage of `{report.command}` printed under {where} is the CLI refusing the command "
        "line as typed, not help that was asked for; the error's finding says what was wrong. The help text shows "
        "nothing about this node's state.",
        f"Nothing to fix in the help text: fix {where} as its finding says.",
        ctx.facts.evidence(report.lines[0], error),
        title="tailscale help text after an error",
    )
