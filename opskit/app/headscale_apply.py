"""`opskit headscale migrate apply`: dry run, or pre-hooks → DB move (one transaction, before-image
journaled and fsynced before COMMIT) → post-hooks → route switch (intent journaled first) → cut."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from opskit.adapters.journal_file import FileJournal
from opskit.adapters.pg import catalog, connection, move, recheck, tenant_reads
from opskit.app.headscale_migrate import utc_now
from opskit.app.headscale_steps import HookOutput, cut_clients, cut_preview, run_hook, switch_route
from opskit.core.headscale.journal import (
    Header,
    JournalRoute,
    JournalTenant,
    MoveStep,
    PlannedStep,
    record_text,
)
from opskit.core.headscale.plan import Plan, target_conflicts
from opskit.core.headscale.report import RunReport, StepOutcome
from opskit.core.headscale.schema import KEYS, NODES, TenantSchema, tenant_schema
from opskit.core.headscale.snapshot import Clash
from opskit.errors import ApplyError

if TYPE_CHECKING:
    from opskit.app.headscale_fleet_cut import FleetCutOptions


def _recheck(schema: TenantSchema, plan: Plan) -> Callable[[connection.Database, list[Clash]], list[str]]:
    """Conflicts of the moving rows against the target as it is now (read on ``db``), given the node
    clashes recheck.node_precheck found in the same snapshot."""

    def check(db: connection.Database, node_clashes: list[Clash]) -> list[str]:
        user = tenant_reads.user_by_id(db, schema, plan.tenant.id)
        key_ids = list(plan.rows.get(KEYS, {}))
        state = tenant_reads.read_target(db, schema, user, [], key_ids, plan.target_cluster, clashes=node_clashes)
        return [c.message for c in target_conflicts(schema, user, state, plan.target_cluster)]

    return check


def default_journal_path(plan: Plan) -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    return Path(f"opskit-move-{plan.tenant.name}-{plan.source_cluster}-to-{plan.target_cluster}-{stamp}.journal")


def apply_plan(
    plan: Plan,
    *,
    dsn: str | None,
    yes: bool,
    journal_path: Path | None,
    lock_timeout_ms: int,
    statement_timeout_ms: int,
    hook_output: HookOutput | None = None,
    fleet: FleetCutOptions | None = None,
) -> RunReport:
    """Dry run without ``yes``; otherwise pre-hooks → DB move → post-hooks → route switch → cut.

    ``hook_output`` receives each line a hook prints while it runs (the CLI shows them live). With
    ``fleet`` the cut runs on every host of that Ansible inventory instead of this host."""
    if fleet is not None:
        from opskit.app.headscale_fleet_cut import preflight

        preflight(fleet)  # a controller that cannot run the cut is refused before the database move
    if plan.blocking:
        raise ApplyError(
            f"the plan has {len(plan.conflicts)} blocking problem(s) (first: "
            f"{plan.conflicts[0].message}); resolve them and make a new plan."
        )
    dsn = connection.resolve_dsn(dsn)
    db = connection.Database(dsn)
    # the re-check connection (see recheck.SnapshotReader) connects while this one reads the schema; only
    # now, so that a role allowed a single connection gets it for the move (the re-checks then run here)
    reader = recheck.SnapshotReader(dsn) if yes else None
    try:
        report = RunReport("apply", not yes, plan.tenant.name, None)
        try:
            schema = tenant_schema(catalog.read_catalog(db), plan.cluster_column)
            if not yes:
                return _dry_run(db, schema, plan, report, fleet)
            path = journal_path or default_journal_path(plan)
            journal = FileJournal(path, create=True)
            report.journal = str(path)
            try:
                _apply(
                    db,
                    schema,
                    plan,
                    journal,
                    report,
                    lock_timeout_ms,
                    statement_timeout_ms,
                    reader,
                    hook_output,
                    fleet,
                )
            finally:
                journal.close()
        finally:
            db.close()
    finally:
        if reader:
            reader.close()
    return report


def _dry_run(
    db: connection.Database,
    schema: TenantSchema,
    plan: Plan,
    report: RunReport,
    fleet: FleetCutOptions | None = None,
) -> RunReport:
    include_tagged = plan.tagged_choice == "include"
    with db.errors("checking the plan against the database"), db.conn.transaction(force_rollback=True):
        drift = recheck.plan_drift(db, schema, plan.rows, plan.tenant.id, plan.source_cluster, include_tagged)
        recheck.recheck_planner(db)
        precheck = recheck.node_precheck(
            db,
            schema,
            list(plan.rows.get(NODES, {})),
            tenant_id=plan.tenant.id,
            source=plan.source_cluster,
            target=plan.target_cluster,
            include_tagged=include_tagged,
        )
        conflicts = _recheck(schema, plan)(db, precheck.clashes)
    for hook in plan.pre_hooks:
        report.steps.append(StepOutcome("pre-hook", True, "would run: " + " ".join(hook.argv)))
    counts = ", ".join(f"{len(ids)} {t}" for t, ids in plan.rows.items())
    problems = [str(d) for d in drift] + conflicts
    report.steps.append(
        StepOutcome(
            "db-move",
            not problems,
            (
                f"would move {counts} from cluster {plan.source_cluster} to {plan.target_cluster}"
                if not problems
                else "would refuse: " + "; ".join(problems[:10])
            ),
        )
    )
    for hook in plan.post_hooks:
        report.steps.append(StepOutcome("post-hook", True, "would run: " + " ".join(hook.argv)))
    if plan.route:
        r = plan.route
        report.steps.append(
            StepOutcome(
                "route-switch",
                True,
                f"would point router {r.router} at {r.to_service} (now {r.from_service}) in {r.config_file}",
            )
        )
    if plan.cut and fleet is not None:
        from opskit.app.headscale_fleet_cut import fleet_cut_preview

        report.steps.append(fleet_cut_preview(plan.cut, fleet))
    elif plan.cut:
        report.steps.append(StepOutcome("cut-sessions", True, cut_preview(plan.cut)))
    return report


def journal_header(plan: Plan, schema: TenantSchema, database: str) -> Header:
    """The journal's first record: what is being moved, and how to put it back."""
    route = plan.route
    return Header(
        started_at=utc_now(),
        database=database,
        plan_fingerprint=plan.fingerprint,
        cluster_column=plan.cluster_column,
        tenant=JournalTenant(plan.tenant.id, plan.tenant.name, plan.tenant.provider_identifier),
        source_cluster=plan.source_cluster,
        target_cluster=plan.target_cluster,
        rows=plan.rows,
        columns={table: tuple(schema.columns[table]) for table in plan.rows},
        steps=tuple(PlannedStep(s.name, s.action, s.inverse) for s in plan.steps),
        route=(
            JournalRoute(
                route.config_file, route.router, route.from_service, route.to_service, route.api_url, route.timeout
            )
            if route
            else None
        ),
    )


def _apply(
    db: connection.Database,
    schema: TenantSchema,
    plan: Plan,
    journal: FileJournal,
    report: RunReport,
    lock_timeout_ms: int,
    statement_timeout_ms: int,
    reader: recheck.SnapshotReader | None,
    hook_output: HookOutput | None = None,
    fleet: FleetCutOptions | None = None,
) -> None:
    journal.append(record_text(journal_header(plan, schema, db.dsn_shown)))
    if plan.pre_hooks:  # durable before a hook acts on the instances; else the fsync before COMMIT covers it
        journal.sync()
    for hook in plan.pre_hooks:
        outcome = run_hook(hook, "pre-hook", journal, hook_output)
        report.steps.append(outcome)
        if not outcome.ok:
            raise ApplyError(
                f"pre-hook failed ({outcome.detail}); nothing changed in the database. Journal: {journal.path}"
            )
    try:
        result = move.apply_move(
            db,
            schema,
            rows=plan.rows,
            tenant_id=plan.tenant.id,
            tenant_name=plan.tenant.name,
            source=plan.source_cluster,
            target=plan.target_cluster,
            include_tagged=plan.tagged_choice == "include",
            recheck=_recheck(schema, plan),
            reader=reader,
            journal=journal,
            now=utc_now,
            lock_timeout_ms=lock_timeout_ms,
            statement_timeout_ms=statement_timeout_ms,
        )
    except ApplyError as exc:
        journal.record(MoveStep("aborted", utc_now(), error=exc.message))
        raise
    counts = ", ".join(f"{n} {t}" for t, n in result.counts.items())
    report.steps.append(
        StepOutcome(
            "db-move",
            True,
            f"moved {counts} to cluster {plan.target_cluster} (committed)",
            result.seconds,
            {"counts": result.counts},
        )
    )
    for hook in plan.post_hooks:
        outcome = run_hook(hook, "post-hook", journal, hook_output)
        report.steps.append(outcome)
        if not outcome.ok:
            raise ApplyError(
                f"the database move is committed but a post-hook failed ({outcome.detail}); the "
                f"route was not switched. Fix the instances, or roll back: opskit headscale migrate "
                f"rollback {journal.path} --yes"
            )
    if plan.route:
        expected = (plan.route.from_service, plan.route.to_service)
        report.steps.append(switch_route(plan.route, journal, "route-switch", expected))
        if not report.steps[-1].ok:
            raise ApplyError(f"{report.steps[-1].detail}. Database move is committed; journal {journal.path}")
    if plan.cut and fleet is not None:
        from opskit.app.headscale_fleet_cut import cut_clients_on_fleet

        report.steps.append(cut_clients_on_fleet(plan.cut, journal, fleet))
    elif plan.cut:
        report.steps.append(cut_clients(plan.cut, journal))
