"""`opskit headscale migrate rollback`: restore the journal's before-image in one transaction, then point
the route back — also when only the switch's intent was journaled (a crash mid-switch)."""

from __future__ import annotations

from pathlib import Path

from opskit.adapters.journal_file import FileJournal, read_journal
from opskit.adapters.pg import restore
from opskit.app.headscale_migrate import open_schema, utc_now
from opskit.app.headscale_steps import switch_route
from opskit.core.headscale.journal import Journal, Restored, RolledBack, RouteToReverse
from opskit.core.headscale.plan import RouteSwitchSpec
from opskit.core.headscale.report import RunReport, StepOutcome
from opskit.errors import InputError


def rollback(
    journal_path: str,
    *,
    dsn: str | None,
    yes: bool,
    force: bool,
    lock_timeout_ms: int,
    statement_timeout_ms: int,
) -> RunReport:
    """Restore the before-image (one transaction), then point the route back."""
    journal = read_journal(journal_path)
    if journal.state == "rolled-back":
        raise InputError.at(journal_path, None, None, f"already rolled back at {journal.rolled_back_at}")
    tenant = journal.header.tenant
    report = RunReport("rollback", not yes, tenant.name, journal_path)
    route = journal.route_to_reverse()
    db, schema = open_schema(dsn, journal.header.cluster_column)
    try:
        if not yes:
            counts = ", ".join(f"{len(rows)} {t}" for t, rows in journal.before.items())
            report.steps.append(
                StepOutcome(
                    "db-restore",
                    True,
                    f"would restore {counts} (journal state "
                    f"{journal.state}) after checking they are unchanged since the move",
                )
            )
            _note_fleet_cut(journal, report)
            if route:
                report.steps.append(
                    StepOutcome(
                        "route-restore",
                        True,
                        f"would point router {route.router} back at {route.from_service} in "
                        f"{route.config_file}{_unconfirmed(route)}",
                    )
                )
            return report
        sink = FileJournal(Path(journal_path), create=False)
        try:
            result = restore.restore_rows(
                db,
                schema,
                before=journal.before,
                columns={t: list(c) for t, c in journal.header.columns.items()},
                before_fp=journal.before_fingerprints,
                after_fp=journal.after_fingerprints(),
                tenant_id=tenant.id,
                tenant_name=tenant.name,
                force=force,
                lock_timeout_ms=lock_timeout_ms,
                statement_timeout_ms=statement_timeout_ms,
            )
            if result.state == "nothing-to-do":
                detail = "rows already match the before-image (the move never committed): nothing to restore"
            else:
                detail = (
                    "restored "
                    + ", ".join(f"{n} {t}" for t, n in result.counts.items())
                    + " byte-identical to the before-image"
                    + (" (forced over changes)" if result.drift else "")
                )
            sink.record(
                Restored(
                    "nothing-to-do" if result.state == "nothing-to-do" else "restored",
                    utc_now(),
                    result.counts,
                    tuple(str(d) for d in result.drift),
                )
            )
            report.steps.append(StepOutcome("db-restore", True, detail, data={"counts": result.counts}))
            if route:
                report.steps.append(_reverse_route(route, journal, sink, force))
            _note_fleet_cut(journal, report)
            sink.record(RolledBack(utc_now(), report.ok))
        finally:
            sink.close()
    finally:
        db.close()
    return report


def _note_fleet_cut(journal: Journal, report: RunReport) -> None:
    """A cut across an inventory cannot be undone; say on which hosts it happened and where it did not."""
    cuts = journal.fleet_cuts()
    if cuts:
        from opskit.app.headscale_fleet_cut import fleet_cut_rollback_note

        report.steps.append(fleet_cut_rollback_note(cuts))


def _unconfirmed(route: RouteToReverse) -> str:
    if route.confirmed:
        return ""
    return " (the move journaled its intent to switch but no outcome: it may or may not have switched)"


def _reverse_route(route: RouteToReverse, journal: Journal, sink: FileJournal, force: bool) -> StepOutcome:
    from opskit.adapters.traefik import read_dynamic
    from opskit.core.traefik.dynamic import router_service

    planned = journal.header.route
    back = RouteSwitchSpec(
        config_file=route.config_file,
        router=route.router,
        from_service=route.to_service,
        to_service=route.from_service,
        api_url=planned.api_url if planned else None,
        timeout=planned.timeout if planned else 10.0,
    )
    now_service = router_service(read_dynamic(route.config_file), route.router, route.config_file)
    if now_service not in (route.to_service, route.from_service) and not force:
        return StepOutcome(
            "route-restore",
            False,
            f"router {route.router} now points at {now_service!r}, not "
            f"{route.to_service!r} as the move left it: not touched (--force to override)",
        )
    outcome = switch_route(back, sink, "route-restore")
    outcome.detail += _unconfirmed(route)
    return outcome
