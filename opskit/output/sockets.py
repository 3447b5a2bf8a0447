"""Tables and JSON for `opskit sockets list|kill|explain`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict
from typing import Any

from opskit.core.sockets.explain import Explanation
from opskit.core.sockets.model import CutReport, Session
from opskit.output.console import emit_json, stderr_console, stdout_console
from opskit.output.safe import safe_cell, safe_plain


def _endpoint(ip: str, port: int) -> str:
    return f"[{ip}]:{port}" if ":" in ip else f"{ip}:{port}"


def _session_json(session: Session) -> dict[str, Any]:
    return asdict(session)


def _table(title: str, sessions: Sequence[Session], style: str = "") -> Any:
    from rich.table import Table

    table = Table(title=title, title_justify="left", title_style=style or None)
    for column in ("local (this host)", "peer", "state", "process"):
        table.add_column(column, overflow="fold")
    for s in sessions:
        owner = f"{s.process or '?'} (pid {s.pid})" if s.pid is not None else "-"
        # /proc/PID/comm is chosen by whoever started the process; "[fe80::1]:443" would parse as a tag.
        table.add_row(
            safe_cell(_endpoint(s.local_ip, s.local_port)),
            safe_cell(_endpoint(s.peer_ip, s.peer_port)),
            safe_cell(s.state),
            safe_cell(owner),
        )
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
                "protected": [_session_json(s) for s in report.protected],
            },
        )
        return
    console = stdout_console()
    if report.protected:
        console.print(_table("Protected, never cut: your own SSH connection ($SSH_CONNECTION)", report.protected))
        console.print("To cut it too, add --include-my-ssh.")
    if not report.matched:
        console.print("No matching connected TCP sessions: nothing to cut.")
        return
    verb = "would be cut (dry run)" if report.dry_run else "matched before the cut"
    console.print(_table(f"{len(report.matched)} session(s) {verb}", report.matched))
    _print_commands(console, report)
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
        stderr_console().print(f"opskit: problem: {safe_plain(report.problem)}", markup=False)


def _print_commands(console: Any, report: CutReport) -> None:
    """The netlink destroy as a sentence (it is not a command line), then the runnable ss equivalent."""
    import shlex

    from opskit.core.sockets.diag import NETLINK_ENTRY

    done = [c for c in report.commands if c and c[0] == NETLINK_ENTRY]
    argvs = [c for c in report.commands if not c or c[0] != NETLINK_ENTRY]
    for entry in done:
        where = entry[-1].removeprefix("netns=")
        where = "this host's network namespace" if where == "host" else f"the network namespace of {where}"
        console.print(
            ("Would send" if report.dry_run else "Sent")
            + f" SOCK_DESTROY over sock_diag netlink for exactly the {len(report.matched)} listed socket(s) "
            f"in {where}, each named by addresses, ports, interface and socket cookie.",
            markup=False,
        )
    if argvs:
        heading = "Equivalent ss command(s) a human could run:" if done else "Commands"
        if not done:
            heading += " that would run:" if report.dry_run else " run:"
        console.print(heading)
        for argv in argvs:
            console.print("  " + safe_plain(shlex.join(argv)), markup=False)


def show_explanation(explanation: Explanation, *, as_json: bool) -> None:
    """Which side a filter describes and the filter for this host."""
    if as_json:
        emit_json("sockets.explain", asdict(explanation))
        return
    console = stdout_console()
    console.print(f"filter:       {safe_plain(explanation.normalized)}", markup=False)
    console.print(
        f"describes:    the {explanation.describes}'s side"
        if explanation.describes != "unknown"
        else "describes:    cannot tell which side",
        markup=False,
    )
    console.print(f"on the server: {safe_plain(explanation.equivalent_here)}", markup=False)
    for reason in explanation.reasons:
        console.print(f"- {reason}", markup=False)
