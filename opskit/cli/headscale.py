"""`opskit headscale`: tenants of a multi-cluster Headscale database, and moving one between clusters."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from opskit.cli.common import FormatOption, finish
from opskit.errors import ExitCode
from opskit.output.console import OutputFormat

headscale_app = typer.Typer(
    help="Tenants of a shared Headscale database; move one between cluster ids.", no_args_is_help=True
)
migrate_app = typer.Typer(
    help="Move a tenant to another cluster id: plan (read-only), apply, rollback.", no_args_is_help=True
)
headscale_app.add_typer(migrate_app, name="migrate")

DsnOption = Annotated[
    str | None,
    typer.Option(
        "--dsn",
        help="PostgreSQL DSN; default $OPSKIT_HEADSCALE_DSN, else libpq's PG* environment.",
        show_default=False,
    ),
]
ClusterColumnOption = Annotated[
    str, typer.Option("--cluster-column", help="Column saying which instance serves a row.")
]
LockTimeoutOption = Annotated[str, typer.Option("--lock-timeout", help="Give up waiting for a row lock after this.")]
StatementTimeoutOption = Annotated[str, typer.Option("--statement-timeout", help="Cancel any statement after this.")]


def register(app: typer.Typer) -> None:
    app.add_typer(headscale_app, name="headscale")


def _registered_dsn(option: str | None) -> str:
    """The DSN this run uses (flag or environment), registered so no output stream can show its password."""
    from opskit.app.headscale_migrate import resolve_dsn
    from opskit.cli.secrets import register_dsn

    resolved = resolve_dsn(option)
    register_dsn(resolved)
    return resolved


@headscale_app.command("tenants")
def tenants(
    cluster: Annotated[int | None, typer.Option("--cluster", help="Only this cluster id.")] = None,
    dsn: DsnOption = None,
    cluster_column: ClusterColumnOption = "cluster_id",
    output_format: FormatOption = OutputFormat.human,
) -> None:
    """Tenants (live users) per cluster with their node and pre-auth key counts."""
    from opskit.app.headscale_migrate import list_tenants
    from opskit.core.headscale.options import check_bigint, parse_column
    from opskit.core.headscale.report import TenantListing
    from opskit.output.headscale import show

    if cluster is not None:
        check_bigint(cluster, "--cluster")
    column = parse_column(cluster_column)
    counts, database = list_tenants(dsn=_registered_dsn(dsn), cluster=cluster, cluster_column=column)
    show(TenantListing(database, counts), output_format)


@migrate_app.command("plan")
def plan(
    tenant: Annotated[str | None, typer.Option("--tenant", help="Tenant (user) name.")] = None,
    tenant_id: Annotated[
        int | None, typer.Option("--tenant-id", help="Tenant by users.id (when names repeat).")
    ] = None,
    source: Annotated[int, typer.Option("--from", help="Cluster id the tenant is in now.")] = ...,  # type: ignore[assignment]
    target: Annotated[int, typer.Option("--to", help="Cluster id to move it to.")] = ...,  # type: ignore[assignment]
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Save the plan as JSON here.")] = None,
    with_tagged: Annotated[
        bool | None,
        typer.Option(
            "--with-tagged/--without-tagged",
            help="Move tagged nodes registered with the tenant's keys too, or not.",
            show_default=False,
        ),
    ] = None,
    allow_new_cluster: Annotated[
        bool, typer.Option("--allow-new-cluster", help="Allow a target cluster id no row uses yet.")
    ] = False,
    pre_hook: Annotated[
        list[str] | None,
        typer.Option("--pre-hook", help="Command run before the DB move (e.g. stop the source instance). Repeatable."),
    ] = None,
    post_hook: Annotated[
        list[str] | None,
        typer.Option("--post-hook", help="Command run after the DB move (e.g. restart both instances). Repeatable."),
    ] = None,
    hook_timeout: Annotated[float, typer.Option("--hook-timeout", help="Seconds each hook may take.")] = 60.0,
    traefik_config: Annotated[
        Path | None,
        typer.Option("--traefik-config", help="Traefik dynamic YAML file holding the tenant's router."),
    ] = None,
    router: Annotated[str | None, typer.Option("--router", help="The tenant's HTTP router name.")] = None,
    to_service: Annotated[str | None, typer.Option("--to-service", help="Service of the target instance.")] = None,
    traefik_api: Annotated[
        str | None,
        typer.Option("--traefik-api", help="Traefik API base URL to confirm the switch (read-only GETs)."),
    ] = None,
    route_timeout: Annotated[float, typer.Option("--route-timeout", help="Seconds to wait for Traefik.")] = 10.0,
    entry_port: Annotated[
        int | None,
        typer.Option("--entry-port", help="Port on THIS host where the tenant's clients connect (edge entrypoint)."),
    ] = None,
    client: Annotated[
        list[str] | None,
        typer.Option("--client", help="Client address as this host sees it; default: the nodes' endpoints."),
    ] = None,
    reconnect_wait: Annotated[
        float, typer.Option("--reconnect-wait", help="Seconds to count clients coming back after the cut.")
    ] = 5.0,
    dsn: DsnOption = None,
    cluster_column: ClusterColumnOption = "cluster_id",
    output_format: FormatOption = OutputFormat.human,
) -> None:
    """Read-only: what would move, what blocks it, and every step with its inverse."""
    from opskit.app.headscale_migrate import CutOptions, RouteOptions, check_plan_output, make_plan, save_plan
    from opskit.cli.secrets import register_secrets_of
    from opskit.core.headscale.options import (
        check_bigint,
        check_seconds,
        parse_client,
        parse_column,
        parse_hook,
    )
    from opskit.core.headscale.report import PlanOutcome
    from opskit.core.redact import secrets_in
    from opskit.errors import InputError
    from opskit.output.headscale import show

    resolved_dsn = _registered_dsn(dsn)
    register_secrets_of(traefik_api)
    if traefik_api is not None and secrets_in(traefik_api):
        # The API URL is saved in the plan file and the journal, which must never hold a credential.
        raise InputError.option(
            "--traefik-api", "carries a password; give a URL without credentials (the plan file saves it)"
        )
    if (tenant is None) == (tenant_id is None):
        raise InputError.option("--tenant", "give exactly one of --tenant NAME or --tenant-id ID")
    if tenant_id is not None:
        check_bigint(tenant_id, "--tenant-id")
    check_bigint(source, "--from")
    check_bigint(target, "--to")
    check_seconds(hook_timeout, "--hook-timeout")
    check_seconds(route_timeout, "--route-timeout")
    check_seconds(reconnect_wait, "--reconnect-wait", allow_zero=True)
    if output is not None:  # refused before the database is read: a plan nobody can save is no use
        check_plan_output(output)
    route = None
    route_parts = (traefik_config, router, to_service)
    if any(p is not None for p in route_parts):
        if not all(p is not None for p in route_parts):
            raise InputError.at(
                None,
                None,
                "--traefik-config",
                "the route switch needs --traefik-config, --router and --to-service together",
            )
        route = RouteOptions(str(traefik_config), str(router), str(to_service), traefik_api, route_timeout)
    cut = None
    if entry_port is not None:
        if not 1 <= entry_port <= 65535:
            raise InputError.option("--entry-port", f"{entry_port} is not a TCP port")
        cut = CutOptions(entry_port, tuple(parse_client(c) for c in client or []), reconnect_wait)
    elif client:
        raise InputError.option("--client", "cutting sessions needs --entry-port")
    the_plan = make_plan(
        dsn=resolved_dsn,
        tenant=tenant,
        tenant_id=tenant_id,
        source=source,
        target=target,
        cluster_column=parse_column(cluster_column),
        with_tagged=with_tagged,
        allow_new_cluster=allow_new_cluster,
        pre_hooks=[parse_hook(h, "--pre-hook", hook_timeout) for h in pre_hook or []],
        post_hooks=[parse_hook(h, "--post-hook", hook_timeout) for h in post_hook or []],
        route=route,
        cut=cut,
    )
    if output is not None:
        save_plan(the_plan, output)
    show(PlanOutcome(the_plan, str(output) if output else None), output_format)
    finish(ExitCode.FINDINGS if the_plan.blocking else ExitCode.OK)


@migrate_app.command("apply")
def apply(
    plan_file: Annotated[Path, typer.Argument(help="Plan saved by `migrate plan -o`.")],
    yes: Annotated[bool, typer.Option("--yes", help="Really do it (default: dry run).")] = False,
    journal: Annotated[Path | None, typer.Option("--journal", help="Journal path (must not exist).")] = None,
    lock_timeout: LockTimeoutOption = "5s",
    statement_timeout: StatementTimeoutOption = "60s",
    dsn: DsnOption = None,
    cut_inventory: Annotated[
        Path | None,
        typer.Option(
            "--cut-inventory",
            help="Ansible inventory of the edges: cut the tenant's sessions on each of them (through "
            "ansible-runner and the opskit.fleet collection) instead of on this host.",
        ),
    ] = None,
    cut_limit: Annotated[
        str | None,
        typer.Option("--cut-limit", help="Ansible --limit pattern for the hosts of --cut-inventory."),
    ] = None,
    output_format: FormatOption = OutputFormat.human,
) -> None:
    """Run the plan: hooks, the DB move in one transaction, the route switch, the session cut."""
    from opskit.app.headscale_apply import apply_plan
    from opskit.app.headscale_migrate import read_plan
    from opskit.core.headscale.options import parse_duration_ms
    from opskit.errors import InputError
    from opskit.output.headscale import hook_printer, show

    if cut_limit is not None and cut_inventory is None:
        raise InputError.option("--cut-limit", "--cut-limit narrows --cut-inventory; give the inventory too")
    if cut_limit is not None and (not cut_limit.strip() or any(c in cut_limit for c in "\n\r\0")):
        raise InputError.option("--cut-limit", "an Ansible host pattern on one line")
    if cut_inventory is not None:
        try:
            is_file = cut_inventory.is_file()
        except OSError as exc:  # a name longer than the file system allows, a loop of links…
            raise InputError.option("--cut-inventory", f"{cut_inventory}: {exc.strerror}") from None
        if not is_file:
            raise InputError.option("--cut-inventory", f"{cut_inventory}: no such inventory file")
    lock_ms = parse_duration_ms(lock_timeout, "--lock-timeout")
    statement_ms = parse_duration_ms(statement_timeout, "--statement-timeout")
    the_plan = read_plan(plan_file)
    fleet = None
    if cut_inventory is not None:
        from opskit.app.headscale_fleet_cut import FleetCutOptions

        if the_plan.cut is None:
            raise InputError.option(
                "--cut-inventory", "the plan has no session cut (make the plan with --entry-port and --client)"
            )
        fleet = FleetCutOptions(cut_inventory, cut_limit)
    report = apply_plan(
        the_plan,
        dsn=_registered_dsn(dsn),
        yes=yes,
        journal_path=journal,
        lock_timeout_ms=lock_ms,
        statement_timeout_ms=statement_ms,
        hook_output=hook_printer(output_format),
        fleet=fleet,
    )
    show(report, output_format)
    finish(ExitCode.OK if report.ok else ExitCode.FINDINGS)


@migrate_app.command("rollback")
def rollback(
    journal_file: Annotated[Path, typer.Argument(help="Journal written by `migrate apply`.")],
    yes: Annotated[bool, typer.Option("--yes", help="Really do it (default: dry run).")] = False,
    force: Annotated[bool, typer.Option("--force", help="Overwrite rows changed since the move.")] = False,
    lock_timeout: LockTimeoutOption = "5s",
    statement_timeout: StatementTimeoutOption = "60s",
    dsn: DsnOption = None,
    output_format: FormatOption = OutputFormat.human,
) -> None:
    """Restore the journal's before-image in one transaction and point the route back."""
    from opskit.app.headscale_rollback import rollback as do_rollback
    from opskit.core.headscale.options import parse_duration_ms
    from opskit.output.headscale import show

    lock_ms = parse_duration_ms(lock_timeout, "--lock-timeout")
    statement_ms = parse_duration_ms(statement_timeout, "--statement-timeout")
    report = do_rollback(
        str(journal_file),
        dsn=_registered_dsn(dsn),
        yes=yes,
        force=force,
        lock_timeout_ms=lock_ms,
        statement_timeout_ms=statement_ms,
    )
    show(report, output_format)
    finish(ExitCode.OK if report.ok else ExitCode.FINDINGS)
