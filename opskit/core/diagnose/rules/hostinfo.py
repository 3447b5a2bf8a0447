"""Rules that read ``tailscale debug hostinfo`` (see opskit/core/diagnose/hostinfo.py): the version, OS and host
this node reports to control. A note."""

from __future__ import annotations

from collections.abc import Iterator

from opskit.core.diagnose.hostinfo import HostinfoReport
from opskit.core.diagnose.rules.facts import DiagnoseContext
from opskit.core.diagnose.viewkinds import ViewReport
from opskit.core.findings import Finding, Severity
from opskit.core.rules import rule


@rule(
    id="TS-DEBUG-HOSTINFO",
    name="debug-hostinfo",
    family="tailscale-version",
    severity=Severity.INFO,
    summary="tailscale debug hostinfo: the version, OS and host name this node reports (a note)",
    target="cli-view",
)
def hostinfo_note(report: ViewReport, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: ``tailscale debug hostinfo`` prints what this node tells control about itself: its Tailscale
    release, its OS and OS version (the kernel, the distribution, a container), its host name.

    *Bad*::

        $ tailscale debug hostinfo
        {
          "IPNVersion": "1.76.1-t0f8e1a5b0-g5d6e1b7a3",
          "OS": "linux",
          "OSVersion": "Debian 12.7 (bookworm); kernel=6.1.0-25-amd64",
          "Hostname": "nas"
        }

    *Good*::

        $ tailscale status
        100.64.0.1   laptop   me@   linux   -
    """
    if not isinstance(report, HostinfoReport):
        return
    parts = []
    if report.version:
        parts.append(f"Tailscale {report.version}")
    if report.os:
        parts.append(f"on {report.os}" + (f" ({report.os_version})" if report.os_version else ""))
    if report.container:
        parts.append("in a container")
    if report.package:
        parts.append(f"package {report.package}")
    if report.hostname:
        parts.append(f"host name {report.hostname}")
    if not parts:
        return
    yield ctx.finding(
        f"{ctx.facts.label}: this node reports " + ", ".join(parts) + ".",
        "Nothing to fix.",
        ctx.facts.evidence(
            next((line for line in report.lines if '"IPNVersion"' in line.text or '"OS"' in line.text), None)
        ),
        title="tailscale debug hostinfo",
    )
