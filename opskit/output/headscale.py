"""Rendering for `opskit headscale`: rich tables for people, versioned JSON for machines."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict
from typing import TYPE_CHECKING

from opskit.core.headscale.report import PlanOutcome, RunReport, TenantListing
from opskit.output.console import Kind, OutputFormat, emit_json, stdout_console
from opskit.output.safe import safe_cell, safe_plain, safe_text

if TYPE_CHECKING:
    from opskit.core.headscale.plan import Plan

_RUN_KINDS = {"apply": Kind.HEADSCALE_MIGRATE_APPLY, "rollback": Kind.HEADSCALE_MIGRATE_ROLLBACK}
SHOWN_ROWS = 20  # people get a sample of the moving rows; JSON and the plan file hold them all


def show(result: TenantListing | PlanOutcome | RunReport, fmt: OutputFormat) -> None:
    """The one entry point: tenants, a migrate plan, or an apply/rollback run, as JSON or for people."""
    if isinstance(result, TenantListing):
        _show_tenants(result, fmt)
    elif isinstance(result, PlanOutcome):
        _show_plan(result.plan, result.saved_to, fmt)
    else:
        _show_run(result, fmt)


def _show_tenants(listing: TenantListing, fmt: OutputFormat) -> None:
    counts, database = listing.tenants, listing.database
    if fmt is OutputFormat.json:
        emit_json(Kind.HEADSCALE_TENANTS, {"database": database, "tenants": [asdict(c) for c in counts]})
        return
    from rich.table import Table

    table = Table(title=f"Tenants in {safe_text(database)}")
    for column in ("cluster", "user id", "tenant", "provider", "nodes", "tagged nodes", "pre-auth keys"):
        table.add_column(column, justify="right" if column not in ("tenant", "provider") else "left")
    for c in counts:
        table.add_row(
            str(c.cluster),
            str(c.user_id),
            safe_cell(c.name),
            safe_cell(c.provider or ""),
            str(c.nodes),
            str(c.tagged_nodes),
            str(c.keys),
        )
    console = stdout_console()
    console.print(table)
    clusters = sorted({str(c.cluster) for c in counts})
    console.print(
        f"{len(counts)} tenant(s) in {len(clusters)} cluster(s): {', '.join(clusters) or 'none'}", markup=False
    )


def _show_plan(plan: Plan, saved_to: str | None, fmt: OutputFormat) -> None:
    if fmt is OutputFormat.json:
        emit_json(
            Kind.HEADSCALE_MIGRATE_PLAN,
            {"saved_to": saved_to, "blocking": plan.blocking, "plan": plan.model_dump(mode="json")},
        )
        return
    from rich.panel import Panel
    from rich.table import Table

    console = stdout_console()
    counts = ", ".join(f"{len(ids)} {t}" for t, ids in plan.rows.items())
    kind = f"OIDC {plan.tenant.provider_identifier}" if plan.tenant.provider_identifier else "local user"
    console.print(
        Panel(
            safe_cell(
                f"tenant {plan.tenant.name!r} (users.id={plan.tenant.id}, {safe_plain(kind)})\n"
                f"cluster {plan.source_cluster} → {plan.target_cluster} (column {plan.cluster_column})\n"
                f"database {safe_plain(plan.database)}\nrows: {counts}\ntagged nodes on the tenant's "
                f"keys: {len(plan.tagged_node_ids)} ({plan.tagged_choice})\nfingerprint {plan.fingerprint[:16]}…",
                newlines=True,
            ),
            title="Tenant move plan",
            expand=False,  # piped output is 4096 columns wide: the box stays as wide as its text
        )
    )
    if plan.conflicts:
        table = Table(title="Blocking problems")
        for column in ("kind", "row", "other row", "value", "why"):
            table.add_column(column, overflow="fold")
        for c in plan.conflicts:
            table.add_row(
                safe_cell(c.kind),
                safe_cell(f"{c.table}.id={c.row_id}" if c.row_id is not None else ""),
                safe_cell(f"id={c.other_id}" if c.other_id is not None else ""),
                safe_cell(c.value or ""),
                safe_cell(c.message),
            )
        console.print(table)
    if plan.notes:
        table = Table(title="Notes (not blocking)")
        table.add_column("kind")
        table.add_column("note")
        for n in plan.notes:
            table.add_row(safe_cell(n.kind), safe_cell(n.message))
        console.print(table)
    steps = Table(title="Steps (each with its inverse)")
    for column in ("#", "step", "action", "inverse"):
        steps.add_column(column)
    for number, step in enumerate(plan.steps, start=1):
        steps.add_row(str(number), safe_cell(step.name), safe_cell(step.action), safe_cell(step.inverse))
    console.print(steps)
    actions = Table(title="What each headscale instance must do")
    actions.add_column("instance action")
    for action in plan.instance_actions:
        actions.add_row(safe_cell(action))
    console.print(actions)
    console.print(safe_cell("schema: " + "; ".join(plan.schema_facts)))
    if saved_to:
        console.print(
            safe_cell(f"plan saved to {saved_to}; apply it with: opskit headscale migrate apply {saved_to} --yes")
        )
    verdict = "BLOCKED: resolve the problems above and plan again" if plan.blocking else "ready to apply"
    console.print(verdict)


def _show_run(report: RunReport, fmt: OutputFormat) -> None:
    if fmt is OutputFormat.json:
        emit_json(
            _RUN_KINDS[report.action],
            {
                "dry_run": report.dry_run,
                "tenant": report.tenant,
                "journal": report.journal,
                "ok": report.ok,
                "steps": [asdict(s) for s in report.steps],
            },
        )
        return
    from rich.table import Table

    title = f"{report.action} of tenant {safe_text(repr(report.tenant))}" + (
        " (dry run: nothing changed)" if report.dry_run else ""
    )
    table = Table(title=title)
    for column in ("step", "result", "detail", "seconds"):
        table.add_column(column, overflow="fold")
    for s in report.steps:
        table.add_row(
            safe_cell(s.name), "ok" if s.ok else "FAILED", safe_cell(s.detail), f"{s.seconds:.3f}" if s.seconds else ""
        )
    console = stdout_console()
    console.print(table)
    if report.journal:
        console.print(safe_cell(f"journal: {report.journal}"))
    if report.dry_run:
        console.print("dry run: add --yes to do it")


def hook_printer(fmt: OutputFormat) -> Callable[[str, str, str], None] | None:
    """For people: each line a hook prints, on stderr as it comes (`pre-hook| draining…`); for JSON,
    nothing (the lines are in the run's document and the journal)."""
    if fmt is OutputFormat.json:
        return None
    import sys

    def print_line(hook: str, stream: str, line: str) -> None:
        marker = "|" if stream == "stdout" else "!"
        sys.stderr.write(f"{hook}{marker} {safe_plain(line)}\n")
        sys.stderr.flush()

    return print_line
