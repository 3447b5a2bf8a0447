"""The one place that chooses how sessions are cut: sock_diag netlink when this process can use it,
else `ss -K`. Both paths list, cut and verify; they differ only in how they talk to the kernel."""

from __future__ import annotations

from typing import Protocol

from opskit.adapters.sock_diag import NetlinkUnavailable
from opskit.adapters.sockets.netlink_path import NetlinkCutPath
from opskit.adapters.sockets.ss_path import SsCutPath
from opskit.core.sockets.model import CutReport
from opskit.core.sockets.validate import ValidatedFilter


class CutPath(Protocol):
    """Lists the sessions ``flt`` matches, cuts them unless a dry run, and lists again to verify."""

    def cut(self, flt: ValidatedFilter, *, yes: bool, settle_seconds: float) -> CutReport: ...


def cut_matching(flt: ValidatedFilter, *, yes: bool, netns_pid: int | None, settle_seconds: float) -> CutReport:
    """Cut over netlink; fall back to `ss -K` only when netlink is refused before anything was cut
    (a failure part-way is reported by the netlink path itself, never retried another way)."""
    netlink: CutPath = NetlinkCutPath(netns_pid)
    try:
        return netlink.cut(flt, yes=yes, settle_seconds=settle_seconds)
    except NetlinkUnavailable:
        fallback: CutPath = SsCutPath(netns_pid)
        return fallback.cut(flt, yes=yes, settle_seconds=settle_seconds)
