"""Tables and JSON for `opskit sockets list|kill|explain`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict
from typing import Any

from opskit.core.sockets.explain import Explanation
from opskit.core.sockets.model import CutReport, Session
from opskit.output.console import emit_json, stderr_console, stdout_console


def _endpoint(ip: str, port: int) -> str:
    return f"[{ip}]:{port}" if ":" in ip else f"{ip}:{port}"


def _session_json(session: Session) -> dict[str, Any]:
    return asdict(session)


def _table(title: str, sessions: Sequence[Session], style: str = "") -> Any:
    from rich.table import Table

    table = Table(title=title, title_justify="left", title_style=style or None)
    for column in ("local (this host)", "peer", "state", "process"):
        table.add_column(column)
    for s in sessions:
        owner = f"{s.process or '?'} (pid {s.pid})" if s.pid is not None else "-"
        table.add_row(_endpoint(s.local_ip, s.local_port), _endpoint(s.peer_ip, s.peer_port), s.state, owner)
    return table


def show_sessions(sessions: Sequence[Session], *, as_json: bool) -> None:
    """The listing: one row per connected session (listening sockets are never shown)."""
    if as_json:
        emit_json("sockets.list", {"sessions": [_session_json(s) for s in sessions]})
        return
    console = stdout_console()
    if not sessions:
        console.print("No matching connected TCP sessions.")
        return
    console.print(_table(f"{len(sessions)} matching TCP session(s)", sessions))


def show_cut_report(report: CutReport, *, as_json: bool) -> None:
    """What matched, the exact ss commands, and the verified outcome of a cut (or of a dry run)."""
    if as_json:
        emit_json(
            "sockets.kill",
            {
                "dry_run": report.dry_run,
                "ok": report.ok,
                "problem": report.problem,
                "commands": [list(c) for c in report.commands],
                "matched": [_session_json(s) for s in report.matched],
                "cut": [_session_json(s) for s in report.cut],
                "still_present": [_session_json(s) for s in report.still_present],
                "closed_on_own": [_session_json(s) for s in report.closed_on_own],
            },
        )
        return
    import shlex

    console = stdout_console()
    if not report.matched:
        console.print("No matching connected TCP sessions: nothing to cut.")
        return
    verb = "would be cut (dry run)" if report.dry_run else "matched before the cut"
    console.print(_table(f"{len(report.matched)} session(s) {verb}", report.matched))
    console.print("Commands" + (" that would run:" if report.dry_run else " run:"))
    for argv in report.commands:
        console.print("  " + shlex.join(argv), markup=False)
    if report.dry_run:
        console.print("Nothing was cut. Add --yes to cut these sessions.")
        return
    console.print(
        f"cut: {len(report.cut)}   still present: {len(report.still_present)}   "
        f"closed on their own: {len(report.closed_on_own)}"
    )
    if report.still_present:
        console.print(_table("Still present after the cut", report.still_present, "bold red"))
    if report.problem:
        stderr_console().print(f"opskit: problem: {report.problem}", markup=False)


def show_explanation(explanation: Explanation, *, as_json: bool) -> None:
    """Which side a filter describes and the filter for this host."""
    if as_json:
        emit_json("sockets.explain", asdict(explanation))
        return
    console = stdout_console()
    console.print(f"filter:       {explanation.normalized}", markup=False)
    console.print(
        f"describes:    the {explanation.describes}'s side"
        if explanation.describes != "unknown"
        else "describes:    cannot tell which side",
        markup=False,
    )
    console.print(f"on the server: {explanation.equivalent_here}", markup=False)
    for reason in explanation.reasons:
        console.print(f"- {reason}", markup=False)
