"""The session cut as the opskit.fleet ``sockets_cut`` module runs it on a target: the CLI's cut (see
sockets_cut.py), sparing the SSH connection Ansible itself arrived on.

Ansible runs the module in a shell sshd started for the controller's connection, so ``SSH_CONNECTION``
(``client_ip client_port server_ip server_port``) names that TCP session from the target's side. Under
``become`` sudo drops that variable, so the ancestors of this process are asked too (their environment
is readable to root, which a cut needs anyway). The session found is spared exactly, as the CLI spares
the operator's own (``SessionFilter.protected``): sibling sessions from the controller are still cut.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping
from dataclasses import dataclass

from opskit.app.sockets_cut import cut_sessions
from opskit.core.sockets.model import CutReport, Session, SessionFilter
from opskit.core.sockets.validate import ssh_session

SshSession = tuple[str, int, str, int]  # (local ip, local port, peer ip, peer port) on this host


@dataclass(frozen=True)
class FleetCut:
    """The cut's report (``matched`` never holds a spared session) and the session spared: Ansible's own."""

    report: CutReport
    own_ssh: SshSession | None
    protected: tuple[Session, ...]


def parse_ssh_connection(value: str | None) -> SshSession | None:
    """``SSH_CONNECTION`` as this host sees the session (server end local), or None if unset/garbled."""
    return ssh_session(value)


def own_ssh_session(environ: Mapping[str, str] | None = None) -> SshSession | None:
    """The SSH session this process runs under: from its environment, else from its ancestors'."""
    found = parse_ssh_connection((os.environ if environ is None else environ).get("SSH_CONNECTION"))
    if found is not None or environ is not None:
        return found
    import psutil

    try:
        for parent in psutil.Process().parents():
            try:
                found = parse_ssh_connection(parent.environ().get("SSH_CONNECTION"))
            except psutil.Error:
                continue
            if found is not None:
                return found
    except psutil.Error:
        return None
    return None


def cut_on_target(
    flt: SessionFilter,
    *,
    yes: bool,
    ssh_connection: SshSession | None,
    settle_seconds: float = 0.2,
) -> FleetCut:
    """Cut (or with ``yes=False`` preview) the sessions ``flt`` matches, never ``ssh_connection``."""
    if ssh_connection is not None:
        flt = dataclasses.replace(flt, protected=(*flt.protected, ssh_connection))
    report = cut_sessions(flt, yes=yes, settle_seconds=settle_seconds)
    return FleetCut(report, ssh_connection, report.protected)
