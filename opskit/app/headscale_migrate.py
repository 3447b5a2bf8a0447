"""`opskit headscale tenants` and `migrate plan`: read-only use cases (introspect, snapshot the tenant
and the target, build the plan). Apply and rollback are in headscale_apply / headscale_rollback."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from opskit.adapters.output_files import atomic_write
from opskit.adapters.pg import catalog, connection, tenant_reads
from opskit.core.headscale.cut import plan_cut
from opskit.core.headscale.plan import (
    HookSpec,
    Plan,
    RouteSwitchSpec,
    dump_plan,
    plan_tenant_move,
)
from opskit.core.headscale.schema import TenantSchema, tenant_schema
from opskit.core.headscale.snapshot import TenantCount
from opskit.errors import InputError


def resolve_dsn(option: str | None) -> str:
    """The DSN a command uses: ``--dsn``, else OPSKIT_HEADSCALE_DSN, else libpq's environment ("")."""
    return connection.resolve_dsn(option)


def utc_now() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")


@dataclass(frozen=True)
class RouteOptions:
    config_file: str
    router: str
    to_service: str
    api_url: str | None
    timeout: float


@dataclass(frozen=True)
class CutOptions:
    entry_port: int
    clients: tuple[str, ...]
    wait_seconds: float


def open_schema(dsn: str | None, cluster_column: str) -> tuple[connection.Database, TenantSchema]:
    """A connection (``dsn``, else $OPSKIT_HEADSCALE_DSN, else libpq's environment) and the tenant
    schema read through it; the caller closes the connection."""
    db = connection.Database(connection.resolve_dsn(dsn))
    try:
        return db, tenant_schema(catalog.read_catalog(db), cluster_column)
    except BaseException:
        db.close()
        raise


def list_tenants(*, dsn: str | None, cluster: int | None, cluster_column: str) -> tuple[list[TenantCount], str]:
    """Live tenants per cluster with their row counts, and the database as shown (masked)."""
    db, schema = open_schema(dsn, cluster_column)
    try:
        return tenant_reads.tenant_counts(db, schema, cluster), db.dsn_shown
    finally:
        db.close()


def make_plan(
    *,
    dsn: str | None,
    tenant: str | None,
    tenant_id: int | None,
    source: int,
    target: int,
    cluster_column: str,
    with_tagged: bool | None,
    allow_new_cluster: bool,
    pre_hooks: list[HookSpec],
    post_hooks: list[HookSpec],
    route: RouteOptions | None,
    cut: CutOptions | None,
) -> Plan:
    """Read-only: introspect, snapshot the tenant and the target, and build the plan."""
    from opskit.adapters.traefik import read_dynamic
    from opskit.core.traefik.dynamic import router_service, switch_router_service

    if source == target:
        raise InputError.option("--to", f"source and target are both cluster {source}")
    route_spec = None
    if route:
        text = read_dynamic(route.config_file)
        switch_router_service(text, route.router, route.to_service, route.config_file)  # validates both names
        route_spec = RouteSwitchSpec(
            config_file=str(Path(route.config_file).resolve()),
            router=route.router,
            from_service=router_service(text, route.router, route.config_file),
            to_service=route.to_service,
            api_url=route.api_url,
            timeout=route.timeout,
        )
    db, schema = open_schema(dsn, cluster_column)
    try:
        user = (
            tenant_reads.find_tenant_by_id(db, schema, tenant_id, source)
            if tenant_id is not None
            else tenant_reads.find_tenant(db, schema, str(tenant), source)
        )
        snapshot = tenant_reads.read_snapshot(db, schema, user, source)
        candidates = [n.identity for n in (*snapshot.nodes, *snapshot.tagged_nodes)]
        key_ids = [k.id for k in snapshot.keys]
        target_state = tenant_reads.read_target(db, schema, user, candidates, key_ids, target)
    finally:
        db.close()
    cut_spec = None
    if cut:
        cut_spec = plan_cut(
            entry_port=cut.entry_port,
            clients=cut.clients,
            wait_seconds=cut.wait_seconds,
            snapshot=snapshot,
            with_tagged=with_tagged,
        )
    return plan_tenant_move(
        schema=schema,
        snapshot=snapshot,
        target=target_state,
        source_cluster=source,
        target_cluster=target,
        database=db.dsn_shown,
        created_at=utc_now(),
        with_tagged=with_tagged,
        allow_new_cluster=allow_new_cluster,
        pre_hooks=pre_hooks,
        post_hooks=post_hooks,
        route=route_spec,
        cut=cut_spec,
    )


def read_plan(path: Path) -> Plan:
    """A plan file written by ``migrate plan``: bounded, UTF-8, strictly parsed (exit 2 naming the file)."""
    from opskit.adapters.input_files import InputKind, decode_utf8, read_input_bytes
    from opskit.core.headscale.plan import load_plan

    try:
        text = decode_utf8(read_input_bytes(path, InputKind.PLAN), str(path), "plan")
    except OSError as exc:
        raise InputError.at(str(path), None, None, f"cannot read plan: {exc.strerror}") from None
    return load_plan(text, str(path))


def check_plan_output(path: Path) -> None:
    """Refuse ``-o`` before the database is read: a directory, a missing folder (never created)."""
    from opskit.adapters.output_files import check_output_file

    check_output_file(path, "--output")


def save_plan(plan: Plan, path: Path) -> None:
    """The plan as JSON, 0600 (it names hosts and holds row fingerprints), replaced atomically."""
    try:
        atomic_write(path, dump_plan(plan), mode=0o600)
    except OSError as exc:
        raise InputError.option("--output", f"cannot write {str(path)!r}: {exc.strerror}") from None
