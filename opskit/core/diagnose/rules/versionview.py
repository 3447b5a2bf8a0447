"""Rules that read ``tailscale version`` (see opskit/core/diagnose/versionview.py): which release the CLI and
tailscaled run, and the latest one. A note: people paste it to say what they run."""

from __future__ import annotations

from collections.abc import Iterator

from opskit.core.diagnose.rules.facts import DiagnoseContext
from opskit.core.diagnose.versionview import VersionReport
from opskit.core.diagnose.viewkinds import ViewReport
from opskit.core.findings import Finding, Severity
from opskit.core.rules import rule


def _newer(latest: str, current: str) -> bool:
    def key(version: str) -> tuple[int, ...]:
        return tuple(int(part) for part in version.split(".")[:3] if part.isdigit())

    return key(latest) > key(current)


@rule(
    id="TS-VERSION",
    name="version",
    family="tailscale-version",
    severity=Severity.INFO,
    summary="tailscale version: the release the CLI (and tailscaled) run, and the latest one (a note)",
    target="cli-view",
)
def version_note(report: ViewReport, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: ``tailscale version`` says which release runs here, what a fix or a known bug depends on;
    ``--daemon`` adds tailscaled's (a CLI of another release than its daemon is a half-finished update) and
    ``--upstream`` the latest release of the track.

    *Bad*::

        $ tailscale version --upstream
        1.76.1
          tailscale commit: 0f8e1a5b0e06de4fa93bff2a2acbfd4c3a3ca8a1
          go version: go1.23.1
          upstream: 1.78.1

    *Good*::

        $ tailscale status
        100.64.0.1   laptop   me@   linux   -
    """
    if not isinstance(report, VersionReport):
        return
    if (report.client is None and report.daemon is None) or report.mismatch:
        return  # a mismatch: TS-VERSION-MISMATCH says it
    parts = [f"the CLI runs Tailscale {report.client}"] if report.client else []
    if report.daemon:
        parts.append(f"tailscaled runs Tailscale {report.daemon}")
    if report.unstable:
        parts[0] += " (unstable track)"
    fix = "Nothing to fix."
    if report.upstream and report.client:
        if _newer(report.upstream, report.client):
            parts.append(f"the latest release is {report.upstream}")
            fix = "Nothing fails here; `tailscale update` (or the package manager) brings the latest release."
        else:
            parts.append(f"it is the latest release ({report.upstream})")
    yield ctx.finding(
        f"{ctx.facts.label}: " + "; ".join(parts) + ".",
        fix,
        ctx.facts.evidence(report.lines[0], *(line for line in report.lines if line.text.startswith("Daemon: "))),
        title="tailscale version",
    )


@rule(
    id="TS-VERSION-MISMATCH",
    name="version-mismatch",
    family="tailscale-version",
    severity=Severity.WARNING,
    summary="tailscale version --daemon: the CLI and tailscaled run different releases",
    target="cli-view",
)
def version_mismatch(report: ViewReport, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: the CLI and tailscaled speak over LocalAPI, which changes between releases; a CLI of another
    release than its daemon (an update that replaced one and not the other, a second install earlier on the
    PATH, a container image and host binary apart) may send what the daemon does not understand. The CLI
    itself warns (``Warning: client version … != tailscaled server version …``).

    *Bad*::

        $ tailscale version --daemon
        Client: 1.76.1
          tailscale commit: 0f8e1a5b0e06de4fa93bff2a2acbfd4c3a3ca8a1
          go version: go1.23.1
        Daemon: 1.74.0-t1234abcd5-g5678ef901

    *Good*::

        $ tailscale version --daemon
        Client: 1.76.1
          tailscale commit: 0f8e1a5b0e06de4fa93bff2a2acbfd4c3a3ca8a1
          go version: go1.23.1
        Daemon: 1.76.1-t0f8e1a5b0-g5d6e1b7a3
    """
    if not isinstance(report, VersionReport) or not report.mismatch:
        return
    daemon_line = next((line for line in report.lines if line.text.startswith("Daemon: ")), None)
    yield ctx.finding(
        f"{ctx.facts.label}: the CLI runs Tailscale {report.client} but tailscaled runs {report.daemon}: an update "
        "replaced one and not the other, or another install's CLI comes first on the PATH.",
        "Update (or reinstall) so the CLI and tailscaled come from the same release, then restart tailscaled; "
        "`which -a tailscale` (Windows: `where tailscale`) lists a second install.",
        ctx.facts.evidence(report.lines[0], daemon_line),
    )
