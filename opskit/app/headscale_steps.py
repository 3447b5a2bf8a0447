"""The steps of a tenant move that act outside the database: hooks, the Traefik route switch (intent
journaled before the change) and the session cut. Shared by apply and rollback."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable

from opskit.adapters.journal_file import FileJournal
from opskit.adapters.proc import run, run_streaming
from opskit.app.headscale_migrate import utc_now
from opskit.core.headscale.journal import (
    CutRan,
    HookRan,
    RouteChecked,
    RouteIntent,
    RouteOutcome,
    RouteStepName,
)
from opskit.core.headscale.plan import CutSpec, HookSpec, RouteSwitchSpec
from opskit.core.headscale.report import StepOutcome
from opskit.errors import OpskitError

# Test-only fault hook (documented in docs/headscale.md): when set to a crash point's name, the process
# exits at once there (os._exit, like a SIGKILL: no cleanup, no further journal record), so a test can
# prove what rollback does with the journal such a crash leaves behind.
CRASH_ENV = "OPSKIT_TEST_CRASH_AT"
AFTER_ROUTE_SWITCH = "after-route-switch"  # the file is replaced, the outcome not yet journaled


def crash_point(name: str) -> None:
    if os.environ.get(CRASH_ENV) == name:
        sys.stderr.write(f"opskit-test-hook: crashing at {name}\n")
        sys.stderr.flush()
        os._exit(137)


HookOutput = Callable[[str, str, str], None]
"""Called with (hook name, stream, line) for every line a hook prints, while it runs."""


def run_hook(
    hook: HookSpec, name: str, journal: FileJournal | None, on_output: HookOutput | None = None
) -> StepOutcome:
    """Run one pre- or post-hook and journal what it did (a hook has no inverse to record first).

    With ``on_output`` the hook's lines are handed over as it prints them (a drain hook may run for a
    minute: the operator sees it work), and the journal still keeps the tail of each stream."""
    started = time.monotonic()
    if on_output is None:
        done = run(hook.argv, timeout=hook.timeout)
    else:
        done = run_streaming(
            hook.argv, timeout=hook.timeout, on_line=lambda stream, line: on_output(name, stream, line)
        )
    ok = done.returncode == 0 and not done.timed_out
    detail = f"timed out after {hook.timeout:g} s" if done.timed_out else f"exit {done.returncode}"
    stdout, stderr = done.stdout[-4000:], done.stderr[-4000:]
    outcome = StepOutcome(
        name,
        ok,
        f"{' '.join(hook.argv)}: {detail}",
        time.monotonic() - started,
        {"stdout": stdout, "stderr": stderr},
    )
    if journal:
        journal.record(
            HookRan(
                "pre-hook" if name == "pre-hook" else "post-hook",
                utc_now(),
                tuple(hook.argv),
                done.returncode,
                done.timed_out,
                stdout,
                stderr,
                ok,
            )
        )
    return outcome


def switch_route(
    route: RouteSwitchSpec,
    journal: FileJournal,
    name: RouteStepName,
    expect: tuple[str, ...] = (),
) -> StepOutcome:
    """Point ``route.router`` from ``route.from_service`` at ``route.to_service``: the intent (both
    services) is fsynced first, then the file is replaced, then the outcome is journaled; with an API
    URL, wait until Traefik serves the new route."""
    from opskit.adapters.traefik import switch_route as rewrite_route
    from opskit.adapters.traefik import wait_for_route

    started = time.monotonic()
    journal.record(RouteIntent(name, utc_now(), route.config_file, route.router, route.from_service, route.to_service))
    try:
        edit = rewrite_route(route.config_file, route.router, route.to_service, expect)
    except OpskitError as exc:  # the database step is already committed: report, do not crash
        journal.record(RouteOutcome(name, "failed", utc_now(), error=exc.describe()))
        return StepOutcome(name, False, f"route not switched: {exc.describe()}", time.monotonic() - started)
    crash_point(AFTER_ROUTE_SWITCH)
    journal.record(
        RouteOutcome(
            name,
            "switched",
            utc_now(),
            route.config_file,
            route.router,
            edit.old_service,
            route.to_service,
        )
    )
    if edit.changed:
        detail = f"router {route.router}: {edit.old_service} → {route.to_service} in {route.config_file}"
    else:
        detail = f"router {route.router} already pointed at {route.to_service} in {route.config_file}"
    if not route.api_url:
        return StepOutcome(name, True, detail + " (no --traefik-api: not verified)", time.monotonic() - started)
    check = wait_for_route(route.api_url, route.router, route.to_service, route.timeout)
    journal.record(
        RouteChecked(name, "verified" if check.ok else "unverified", utc_now(), check.detail, round(check.seconds, 3))
    )
    if check.ok:
        return StepOutcome(
            name,
            True,
            f"{detail}; Traefik shows it after {check.seconds:.2f} s",
            time.monotonic() - started,
            {"api_seconds": check.seconds},
        )
    return StepOutcome(
        name,
        False,
        f"{detail}; Traefik did not show it within {route.timeout:g} s ({check.detail})",
        time.monotonic() - started,
    )


def cut_preview(cut: CutSpec) -> str:
    """What the cut would do, with the sessions that match right now (a dry run of the sockets library)."""
    shown = (
        f"would cut established sessions on local port {cut.entry_port} from "
        f"{', '.join(cut.clients) or 'no client addresses'} (server side: sport = :{cut.entry_port} and dst "
        "in those clients), then count reconnects"
    )
    if not cut.clients:
        return shown
    try:
        from opskit.app.sockets_cut import cut_sessions
        from opskit.core.sockets import SessionFilter

        report = cut_sessions(SessionFilter(local_port=cut.entry_port, peers=tuple(cut.clients)), yes=False)
    except (ImportError, OpskitError) as exc:
        reason = exc.describe() if isinstance(exc, OpskitError) else "opskit sockets library not installed"
        return f"{shown}; cannot list them now: {reason}"
    return f"{shown}; {len(report.matched)} session(s) match now"


def cut_clients(cut: CutSpec, journal: FileJournal) -> StepOutcome:
    """Cut the tenant's sessions on this host, then count clients that came back within the window."""
    from opskit.app.sockets_cut import cut_sessions, list_sessions
    from opskit.core.sockets import SessionFilter

    started = time.monotonic()
    if not cut.clients:
        journal.record(CutRan("skipped", utc_now(), reason="no client addresses"))
        return StepOutcome("cut-sessions", True, "skipped: no client addresses known", 0.0)
    session_filter = SessionFilter(local_port=cut.entry_port, peers=tuple(cut.clients))
    try:
        report = cut_sessions(session_filter, yes=True)
    except OpskitError as exc:  # e.g. no CAP_NET_ADMIN: the move itself is done, say so instead of dying
        journal.record(CutRan("failed", utc_now(), error=exc.describe()))
        return StepOutcome("cut-sessions", False, f"not cut: {exc.describe()}", time.monotonic() - started)
    deadline = time.monotonic() + cut.wait_seconds
    wanted = {s.peer_ip for s in report.matched}
    back: set[str] = set()
    while wanted and time.monotonic() < deadline:
        back = {s.peer_ip for s in list_sessions(session_filter)} & wanted
        if back == wanted:
            break
        time.sleep(0.05)
    record = CutRan(
        "done" if report.ok else "incomplete",
        utc_now(),
        matched=len(report.matched),
        cut=len(report.cut),
        still_present=len(report.still_present),
        clients_cut=tuple(sorted(wanted)),
        clients_reconnected=tuple(sorted(back)),
        problem=report.problem,
        commands=tuple(tuple(c) for c in report.commands),
    )
    journal.record(record)
    data = {
        "matched": record.matched,
        "cut": record.cut,
        "still_present": record.still_present,
        "clients_cut": sorted(wanted),
        "clients_reconnected": sorted(back),
        "problem": report.problem,
        "commands": [list(c) for c in report.commands],
    }
    detail = (
        f"cut {len(report.cut)} of {len(report.matched)} session(s) on port {cut.entry_port}; "
        f"{len(back)} of {len(wanted)} client(s) reconnected within {cut.wait_seconds:g} s"
    )
    if report.problem:
        detail += f"; problem: {report.problem}"
    return StepOutcome("cut-sessions", report.ok, detail, time.monotonic() - started, data)
