"""The rule that reads the tailscale CLI's help text (see opskit/core/diagnose/usagetext.py): a note that the CLI
listed itself and showed nothing about the node."""

from __future__ import annotations

from collections.abc import Iterator

from opskit.core.diagnose.rules.facts import DiagnoseContext
from opskit.core.diagnose.usagetext import UsageTextReport
from opskit.core.diagnose.viewkinds import ViewReport
from opskit.core.findings import Finding, Severity
from opskit.core.rules import rule


@rule(
    id="TS-CLI-USAGE-TEXT",
    name="cli-usage-text",
    family="tailscale-windows",
    severity=Severity.INFO,
    summary="The tailscale CLI printed its help text (USAGE / SUBCOMMANDS / FLAGS): nothing ran (a note)",
    target="cli-view",
)
def usage_text_note(report: ViewReport, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: a bare ``tailscale``, ``tailscale help`` or ``tailscale <sub> --help`` prints the CLI's help text and
    runs nothing: it shows the commands and flags this build knows, not the node's state. A usage *error* above it
    (``flag provided but not defined: …``) is the refusal and is read on its own.

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
    young = f"; marked [ALPHA]/[BETA]: {', '.join(report.young)}" if report.young else ""
    listed = f"{len(report.subcommands)} subcommands, {len(report.flags)} flags"
    yield ctx.finding(
        f"{ctx.facts.label}: `{report.command}` printed its help text ({listed}{young}): nothing ran, and it shows "
        "nothing about this node's state.",
        f"Nothing to fix. Run the subcommand you meant (`{report.command} <subcommand>`; `tailscale status` for the "
        "node's state); the list says which commands this build knows.",
        ctx.facts.evidence(report.lines[0]),
        title="tailscale help text",
    )
