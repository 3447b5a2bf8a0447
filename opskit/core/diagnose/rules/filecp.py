"""Rules that read ``tailscale file cp``'s progress line (see opskit/core/diagnose/filecp.py): a note when the
bytes all went, a warning when the send stopped short."""

from __future__ import annotations

from collections.abc import Iterator

from opskit.core.diagnose.filecp import FileCpProgressReport
from opskit.core.diagnose.rules.facts import DiagnoseContext
from opskit.core.diagnose.viewkinds import ViewReport
from opskit.core.findings import Finding, Severity
from opskit.core.rules import rule


@rule(
    id="TS-FILE-CP-PROGRESS",
    name="file-cp-progress",
    family="tailscale-taildrop",
    severity=Severity.INFO,
    summary="tailscale file cp's progress line: the whole file was sent (a note)",
    target="cli-view",
)
def file_cp_sent(report: ViewReport, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: ``tailscale file cp`` repaints one progress line while it sends; at 100.00% every byte reached the
    receiving node's tailscaled. Where the file then is depends on the receiver (its Taildrop inbox until
    ``tailscale file get`` or the app collects it), so a file the receiver does not show is a receiving-side
    question, not a failed send.

    *Bad*::

        $ tailscale file cp ./photo.png phone:
        photo.png       3.25KiB       1.89KiB/s    100.00%    ETA 00:00:00

    *Good*::

        $ tailscale status
        100.64.0.1   laptop   me@   linux   -
    """
    if not isinstance(report, FileCpProgressReport) or not (report.complete or report.percent is None):
        return
    yield ctx.finding(
        f"{ctx.facts.label}: `tailscale file cp` sent {report.name} ({report.sent}"
        + (", 100%" if report.complete else "")
        + "): the sending side finished; the file waits in the receiver's Taildrop inbox until it is collected.",
        "Nothing to fix on the sender. On the receiver: Linux/headless `tailscale file get <dir>` (or run "
        "`tailscale file get --loop`), the apps' Taildrop/Files view (Android: notification or Downloads), and "
        "check the receiver runs a Tailscale version that takes files.",
        ctx.facts.evidence(report.lines[-1]),
        title="tailscale file cp sent",
    )


@rule(
    id="TS-FILE-CP-INCOMPLETE",
    name="file-cp-incomplete",
    family="tailscale-taildrop",
    severity=Severity.WARNING,
    summary="tailscale file cp's progress line stopped below 100%: the send did not finish",
    target="cli-view",
)
def file_cp_incomplete(report: ViewReport, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: the last repaint of ``tailscale file cp``'s progress line is how far the bytes got; below 100.00%
    (and no error printed under it) the send was interrupted or hangs: the receiver went offline, the path to it
    broke, or the CLI was stopped.

    *Bad*::

        $ tailscale file cp big.iso nas:
        big.iso       512.00MiB       0.00B/s     12.50%    ETA -

    *Good*::

        $ tailscale file cp big.iso nas:
        big.iso       4.00GiB       80.00MiB/s    100.00%    ETA 00:00:00
    """
    if not isinstance(report, FileCpProgressReport) or report.percent is None or report.complete:
        return
    yield ctx.finding(
        f"{ctx.facts.label}: `tailscale file cp` stopped sending {report.name} at {report.percent:.2f}% "
        f"({report.sent} at {report.rate}): the send did not finish.",
        "Check the receiver is online and reachable (`tailscale ping <receiver>`), then send again; the partial "
        "file is discarded by the receiver.",
        ctx.facts.evidence(report.lines[-1]),
        title="tailscale file cp incomplete",
    )
