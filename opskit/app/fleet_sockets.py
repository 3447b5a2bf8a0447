"""The session cut as the opskit.fleet ``sockets_cut`` module runs it on a target: the CLI's cut (see
sockets_cut.py), sparing the SSH connection Ansible itself arrived on.

Ansible runs the module in a shell sshd started for the controller's connection, so ``SSH_CONNECTION``
(``client_ip client_port server_ip server_port``) names that TCP session from the target's side. Under
``become`` sudo drops that variable, so the ancestors of this process are asked too (their environment
is readable to root, which a cut needs anyway).

The spare is done here, in one small function (``_cut_sparing``), until the sockets layer can spare an
exact session itself; it then becomes a ``protected=`` on the filter.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping
from dataclasses import dataclass

from opskit.app.sockets_cut import cut_sessions
from opskit.core.sockets.model import CutReport, Session, SessionFilter
from opskit.core.sockets.validate import unmapped_ip

SshSession = tuple[str, int, str, int]  # (local ip, local port, peer ip, peer port) on this host


@dataclass(frozen=True)
class FleetCut:
    """The cut's report (``matched`` never holds a spared session) and the sessions spared because they
    come from the address Ansible's own SSH connection comes from."""

    report: CutReport
    own_ssh: SshSession | None
    protected: tuple[Session, ...]


def parse_ssh_connection(value: str | None) -> SshSession | None:
    """``SSH_CONNECTION`` as this host sees the session (server end local), or None if unset/garbled."""
    parts = (value or "").split()
    if len(parts) != 4:
        return None
    client_ip, client_port, server_ip, server_port = parts
    try:
        client, server = unmapped_ip(client_ip), unmapped_ip(server_ip)
        local_port, peer_port = int(server_port), int(client_port)
    except ValueError:
        return None
    if not (0 < local_port <= 65535 and 0 < peer_port <= 65535):
        return None
    return (str(server), local_port, str(client), peer_port)


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


def _same_peer(session: Session, own: SshSession) -> bool:
    try:
        return unmapped_ip(session.peer_ip) == unmapped_ip(own[2])
    except ValueError:
        return False


def _cut_sparing(flt: SessionFilter, own: SshSession, *, yes: bool, settle_seconds: float) -> FleetCut:
    """Cut what ``flt`` matches except the sessions from the SSH client's address (which include the
    SSH session itself): list first, then cut only the other peers by exact address."""
    preview = cut_sessions(flt, yes=False, settle_seconds=settle_seconds)
    protected = tuple(s for s in preview.matched if _same_peer(s, own))
    if not protected:
        report = preview if not yes else cut_sessions(flt, yes=True, settle_seconds=settle_seconds)
        return FleetCut(report, own, ())
    others = tuple(s for s in preview.matched if not _same_peer(s, own))
    if not yes or not others:
        return FleetCut(dataclasses.replace(preview, matched=others, dry_run=not yes), own, protected)
    narrowed = dataclasses.replace(flt, peers=tuple(sorted({s.peer_ip for s in others})))
    return FleetCut(cut_sessions(narrowed, yes=True, settle_seconds=settle_seconds), own, protected)


def _may_match(flt: SessionFilter, own: SshSession) -> bool:
    """False when the filter cannot match the SSH session (another port, address or peer set): then no
    listing is needed to spare it."""
    import ipaddress

    if flt.local_port is not None and flt.local_port != own[1]:
        return False
    try:
        if flt.local_address is not None and unmapped_ip(flt.local_address) != unmapped_ip(own[0]):
            return False
        client = unmapped_ip(own[2])
        if flt.peers:
            networks = [ipaddress.ip_network(peer, strict=False) for peer in flt.peers]
            # another address family may still match (v4-mapped forms): only a same-family miss is sure
            return any(net.version != client.version or client in net for net in networks)
    except ValueError:
        return True  # unparsable here: let the cut's own validation refuse it, after a careful listing
    return True


def cut_on_target(
    flt: SessionFilter,
    *,
    yes: bool,
    ssh_connection: SshSession | None,
    settle_seconds: float = 0.2,
) -> FleetCut:
    """Cut (or with ``yes=False`` preview) the sessions ``flt`` matches, never the SSH connection
    ``ssh_connection`` (when it matches, every session from that client address is spared and listed
    as protected: the filter cannot tell the SSH session apart from its siblings more precisely yet)."""
    if ssh_connection is None or not _may_match(flt, ssh_connection):
        return FleetCut(cut_sessions(flt, yes=yes, settle_seconds=settle_seconds), ssh_connection, ())
    return _cut_sparing(flt, ssh_connection, yes=yes, settle_seconds=settle_seconds)
