"""The plan of a tenant move: what rows move, what blocks it, and every step with its inverse.

A plan is pure data: built from snapshots (:func:`plan_tenant_move`), saved as JSON, reviewed, and
handed to ``migrate apply`` which re-reads every row and compares its fingerprint before touching it.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import replace
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from opskit.core.headscale.schema import KEYS, NODES, USERS, TenantSchema, predicate_holds
from opskit.core.headscale.snapshot import (
    Clash,
    TargetState,
    TenantSnapshot,
    UserRow,
)
from opskit.errors import InputError, Problem

PLAN_FORMAT = 1

TaggedChoice = Literal["include", "exclude", "undecided"]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Conflict(_Frozen):
    """A blocking problem in the target cluster (or an undecided choice), naming the rows involved."""

    kind: str
    table: str
    row_id: int | None = None
    other_id: int | None = None
    value: str | None = None
    message: str


class Note(_Frozen):
    """Something the operator must know that does not block the move."""

    kind: str
    message: str


class HookSpec(_Frozen):
    argv: list[str] = Field(min_length=1)
    timeout: float = Field(default=60.0, gt=0)


class RouteSwitchSpec(_Frozen):
    config_file: str
    router: str
    from_service: str
    to_service: str
    api_url: str | None = None
    timeout: float = Field(default=10.0, gt=0)


class CutSpec(_Frozen):
    entry_port: int = Field(ge=1, le=65535)
    clients: list[str]
    clients_source: Literal["--client", "node endpoints"]
    wait_seconds: float = Field(default=5.0, ge=0)


class Step(_Frozen):
    name: str
    action: str
    inverse: str


class TenantRef(_Frozen):
    id: int
    name: str
    provider_identifier: str | None


class Plan(_Frozen):
    """Everything ``migrate apply`` needs, and nothing secret (the DSN is masked)."""

    opskit_plan: int = PLAN_FORMAT
    created_at: str
    database: str
    cluster_column: str
    tenant: TenantRef
    source_cluster: int
    target_cluster: int
    rows: dict[str, dict[int, str]]  # table → {row id → md5 of the row text}
    tagged_node_ids: list[int]
    tagged_choice: TaggedChoice
    conflicts: list[Conflict]
    notes: list[Note]
    instance_actions: list[str]
    schema_facts: list[str] = []
    pre_hooks: list[HookSpec] = []
    post_hooks: list[HookSpec] = []
    route: RouteSwitchSpec | None = None
    cut: CutSpec | None = None
    steps: list[Step]
    fingerprint: str

    @property
    def blocking(self) -> bool:
        return bool(self.conflicts)


def rows_fingerprint(rows: dict[str, dict[int, str]]) -> str:
    """One sha256 over every (table, id, row md5): the identity of exactly what the plan touches."""
    digest = hashlib.sha256()
    for table in sorted(rows):
        for row_id in sorted(rows[table]):
            digest.update(f"{table}\t{row_id}\t{rows[table][row_id]}\n".encode())
    return digest.hexdigest()


def plan_tenant_move(
    *,
    schema: TenantSchema,
    snapshot: TenantSnapshot,
    target: TargetState,
    source_cluster: int,
    target_cluster: int,
    database: str,
    created_at: str,
    with_tagged: bool | None,
    allow_new_cluster: bool,
    pre_hooks: list[HookSpec] = [],  # noqa: B006 - never mutated
    post_hooks: list[HookSpec] = [],  # noqa: B006
    route: RouteSwitchSpec | None = None,
    cut: CutSpec | None = None,
) -> Plan:
    """Decide what moves and what blocks; the caller has already checked the tenant exists."""
    # Only a tenant that really has tagged nodes on its keys must choose; None means "not chosen".
    tagged_choice: TaggedChoice = "include" if with_tagged else "exclude"
    if snapshot.tagged_nodes and with_tagged is None:
        tagged_choice = "undecided"
    moving_nodes = list(snapshot.nodes) + (list(snapshot.tagged_nodes) if tagged_choice == "include" else [])

    rows: dict[str, dict[int, str]] = {
        USERS: {snapshot.tenant.id: snapshot.tenant.fingerprint},
        NODES: {n.id: n.fingerprint for n in moving_nodes},
        KEYS: {k.id: k.fingerprint for k in snapshot.keys},
    }
    for child in snapshot.children:
        rows[child.table] = dict(child.fingerprints)

    if source_cluster == target_cluster:
        raise InputError.option("--to", f"source and target are both cluster {source_cluster}")
    if not target.cluster_has_rows and not allow_new_cluster:
        raise InputError.at(
            None,
            None,
            "--to",
            f"unknown target cluster {target_cluster}: no rows in users, nodes "
            "or pre_auth_keys carry it; pass --allow-new-cluster if a new instance really serves it",
        )
    moving_ids = {n.id for n in moving_nodes}
    target = replace(target, node_clashes=tuple(c for c in target.node_clashes if c.row_id in moving_ids))
    conflicts = target_conflicts(schema, snapshot.tenant, target, target_cluster)
    if tagged_choice == "undecided":
        ids = ", ".join(str(n.id) for n in snapshot.tagged_nodes)
        conflicts.append(
            Conflict(
                kind="tagged_nodes_undecided",
                table=NODES,
                message=(
                    f"{len(snapshot.tagged_nodes)} tagged node(s) (ids {ids}) registered with this tenant's "
                    "keys: "
                    "choose --with-tagged (they move too) or --without-tagged (they stay in cluster "
                    f"{source_cluster})"
                ),
            )
        )

    notes = _cross_reference_notes(snapshot, source_cluster)
    if tagged_choice == "exclude" and snapshot.tagged_nodes:
        notes.append(
            Note(
                kind="tagged_stay",
                message=(
                    f"{len(snapshot.tagged_nodes)} tagged node(s) stay in cluster {source_cluster}; their "
                    "auth_key_id keeps pointing at keys that move (ids are database-wide, the FK stays valid)"
                ),
            )
        )
    if schema.variant != "fresh":
        notes.append(Note(kind="legacy_schema", message="upgraded legacy schema: " + "; ".join(schema.legacy_marks)))

    instance_actions = _instance_actions(source_cluster, target_cluster, pre_hooks, post_hooks)
    if not post_hooks:
        notes.append(
            Note(
                kind="no_post_hook",
                message=(
                    f"no --post-hook: restart or reload the instances of clusters {source_cluster} and "
                    f"{target_cluster} yourself right after apply (headscale reads nodes only at startup)"
                ),
            )
        )

    steps = _steps(rows, source_cluster, target_cluster, schema.cluster_column, pre_hooks, post_hooks, route, cut)
    return Plan(
        created_at=created_at,
        database=database,
        cluster_column=schema.cluster_column,
        tenant=TenantRef(
            id=snapshot.tenant.id,
            name=snapshot.tenant.name,
            provider_identifier=snapshot.tenant.provider_identifier,
        ),
        source_cluster=source_cluster,
        target_cluster=target_cluster,
        rows=rows,
        tagged_node_ids=sorted(n.id for n in snapshot.tagged_nodes),
        tagged_choice=tagged_choice,
        conflicts=conflicts,
        notes=notes,
        instance_actions=instance_actions,
        schema_facts=schema.facts(),
        pre_hooks=pre_hooks,
        post_hooks=post_hooks,
        route=route,
        cut=cut,
        steps=steps,
        fingerprint=rows_fingerprint(rows),
    )


def target_conflicts(schema: TenantSchema, tenant: UserRow, target: TargetState, target_cluster: int) -> list[Conflict]:
    """Every collision the moving rows would have in the target cluster (plan time and again at apply)."""
    conflicts = _user_conflicts(schema, tenant, target.user_candidates, target_cluster)
    clashes = list(target.node_clashes) + list(target.key_clashes)
    return conflicts + [_clash_conflict(c, target_cluster) for c in clashes]


def _user_conflicts(
    schema: TenantSchema, tenant: UserRow, candidates: tuple[UserRow, ...], target_cluster: int
) -> list[Conflict]:
    """Apply each introspected unique index on users as if the tenant already sat in the target."""
    conflicts: list[Conflict] = []
    for other in candidates:
        if other.id == tenant.id or other.cluster != target_cluster:
            continue
        for index in schema.user_unique:
            key_columns = [c for c in index.columns if c != schema.cluster_column]
            if not key_columns:
                continue
            values_a = [tenant.values.get(c) for c in key_columns]
            values_b = [other.values.get(c) for c in key_columns]
            if any(v is None for v in values_a) or values_a != values_b:
                continue  # NULLs never collide in a unique index
            in_a = predicate_holds(index.predicate, tenant.values)
            in_b = predicate_holds(index.predicate, other.values)
            if in_a is False or in_b is False:
                continue
            deleted = " (soft-deleted, still holds the index)" if other.deleted else ""
            conflicts.append(
                Conflict(
                    kind="user_name",
                    table=USERS,
                    row_id=tenant.id,
                    other_id=other.id,
                    value=", ".join(f"{c}={v}" for c, v in zip(key_columns, values_a, strict=True)),
                    message=(
                        f"users.id={other.id}{deleted} in cluster {target_cluster} has the same "
                        f"{'/'.join(key_columns)} under unique index {index.name} "
                        f"(scope: {'cluster' if schema.cluster_column in index.columns else 'database'}"
                        f"{', predicate ' + index.predicate if index.predicate else ''})"
                    ),
                )
            )
            break  # one conflict per other row is enough to name it
    return conflicts


_CLASH_WORDS = {
    "ipv4": "IPv4 address",
    "ipv6": "IPv6 address",
    "given_name": "given_name (DNS name)",
    "node_key": "node_key",
    "machine_key": "machine_key",
    "key_prefix": "pre-auth key prefix",
    "legacy_key": "legacy plaintext pre-auth key",
}


def _clash_conflict(clash: Clash, target_cluster: int) -> Conflict:
    deleted = " (soft-deleted)" if clash.other_deleted else ""
    return Conflict(
        kind=clash.kind,
        table=clash.table,
        row_id=clash.row_id,
        other_id=clash.other_id,
        value=clash.value,
        message=(
            f"{clash.table}.id={clash.row_id}: {_CLASH_WORDS.get(clash.kind, clash.kind)} {clash.value!r} "
            f"is already used by {clash.table}.id={clash.other_id}{deleted} in cluster {target_cluster}"
        ),
    )


def _cross_reference_notes(snapshot: TenantSnapshot, source_cluster: int) -> list[Note]:
    notes = []
    for ref in snapshot.cross_references:
        if ref.node_moves:
            notes.append(
                Note(
                    kind="cross_tenant_key",
                    message=(
                        f"node {ref.node_id} moves but registered with pre-auth key {ref.key_id} of user "
                        f"{ref.key_owner!r}, which this move leaves where it is: the reference is kept "
                        "(ids are database-wide); a re-registration with that key would land under that user"
                    ),
                )
            )
        else:
            notes.append(
                Note(
                    kind="foreign_node_on_tenant_key",
                    message=(
                        f"node {ref.node_id} of user {ref.node_owner!r} stays in cluster {source_cluster} "
                        f"but registered with this tenant's key {ref.key_id}, which moves: the reference "
                        "is kept"
                    ),
                )
            )
    return notes


def _instance_actions(source: int, target: int, pre: list[HookSpec], post: list[HookSpec]) -> list[str]:
    def shown(hooks: list[HookSpec]) -> str:
        return "; ".join(" ".join(h.argv) for h in hooks) if hooks else "nothing configured — do it by hand"

    return [
        f"before the move, cluster {source}: stop it or make it drain — a running instance writes whole node "
        f"rows back by id and would undo the move (pre-hook: {shown(pre)})",
        f"after the move, clusters {source} and {target}: restart/reload both — headscale loads nodes and "
        f"IPs only at startup; until {target} reloads, moved clients are unknown to it "
        f"(post-hook: {shown(post)})",
    ]


def _steps(
    rows: dict[str, dict[int, str]],
    source: int,
    target: int,
    column: str,
    pre: list[HookSpec],
    post: list[HookSpec],
    route: RouteSwitchSpec | None,
    cut: CutSpec | None,
) -> list[Step]:
    steps = [Step(name="pre-hook", action=" ".join(h.argv), inverse="none (run your own undo)") for h in pre]
    counts = ", ".join(f"{len(ids)} {table}" for table, ids in rows.items())
    steps.append(
        Step(
            name="db-move",
            action=f"one transaction: SET {column} = {target} WHERE {column} = {source} for {counts}",
            inverse=f"restore the journal's before-image ({column} = {source}) in one transaction",
        )
    )
    steps += [Step(name="post-hook", action=" ".join(h.argv), inverse="none (run your own undo)") for h in post]
    if route:
        steps.append(
            Step(
                name="route-switch",
                action=f"{route.config_file}: router {route.router} service {route.from_service} → "
                f"{route.to_service}" + (f", then wait for {route.api_url} to show it" if route.api_url else ""),
                inverse=f"router {route.router} service back to {route.from_service}",
            )
        )
    if cut:
        steps.append(
            Step(
                name="cut-sessions",
                action=f"cut established TCP sessions on local port {cut.entry_port} from {len(cut.clients)} "
                f"client address(es) ({cut.clients_source}), then count reconnects for "
                f"{cut.wait_seconds:g} s",
                inverse="none needed: clients reconnect by themselves",
            )
        )
    return steps


def load_plan(text: str, source: str) -> Plan:
    """Parse a saved plan; any problem is bad input naming the file and field."""
    from pydantic import ValidationError

    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError.at(source, exc.lineno, None, f"not JSON: {exc.msg}") from None
    except RecursionError:  # json.loads recurses once per nesting level; no plan nests this deep
        raise InputError.at(source, None, None, "not a plan: JSON nested too deeply") from None
    except ValueError as exc:  # e.g. an integer longer than Python converts (4,300 digits)
        raise InputError.at(source, None, None, f"not a plan: {exc}") from None
    if not isinstance(data, dict) or data.get("opskit_plan") != PLAN_FORMAT:
        raise InputError.at(source, None, "opskit_plan", f"not an opskit tenant-move plan (format {PLAN_FORMAT})")
    try:
        plan = Plan.model_validate(data)
    except ValidationError as exc:
        problems = [Problem(source, None, ".".join(str(p) for p in e["loc"]), e["msg"]) for e in exc.errors()]
        raise InputError(f"{source}: invalid plan", problems) from None
    if rows_fingerprint(plan.rows) != plan.fingerprint:
        raise InputError.at(source, None, "fingerprint", "does not match the rows listed (edited by hand?)")
    return plan


def dump_plan(plan: Plan) -> str:
    """Plan as stable, indented JSON."""
    return plan.model_dump_json(indent=2) + "\n"
