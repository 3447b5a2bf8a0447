"""What the adapter read from the database, as plain frozen values the planner can reason about."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class UserRow:
    id: int
    name: str
    provider_identifier: str | None
    cluster: int | None
    deleted: bool
    fingerprint: str
    values: dict[str, object] = field(default_factory=dict)  # columns the unique indexes look at


@dataclass(frozen=True)
class NodeIdentity:
    """The values of a node that must be unique among the nodes one headscale instance serves."""

    id: int
    ipv4: str | None
    ipv6: str | None
    given_name: str | None
    node_key: str | None
    machine_key: str | None
    deleted: bool = False


IDENTITY_KINDS = ("ipv4", "ipv6", "given_name", "node_key", "machine_key")


@dataclass(frozen=True)
class NodeRow:
    id: int
    user_id: int | None
    auth_key_id: int | None
    given_name: str | None
    hostname: str | None
    ipv4: str | None
    ipv6: str | None
    node_key: str | None
    machine_key: str | None
    endpoint_ips: tuple[str, ...]
    fingerprint: str

    @property
    def tagged(self) -> bool:
        return self.user_id is None

    @property
    def identity(self) -> NodeIdentity:
        return NodeIdentity(self.id, self.ipv4, self.ipv6, self.given_name, self.node_key, self.machine_key)


@dataclass(frozen=True)
class KeyRow:
    id: int
    user_id: int | None
    prefix: str | None
    fingerprint: str


@dataclass(frozen=True)
class ChildRows:
    """Rows of a further cluster-scoped table (legacy ``routes``) that follow moved nodes/users."""

    table: str
    fingerprints: dict[int, str]


@dataclass(frozen=True)
class CrossReference:
    """A node and the pre-auth key it registered with belong to different users."""

    node_id: int
    node_owner: str | None
    key_id: int
    key_owner: str | None
    node_moves: bool  # True: the tenant's node uses someone else's key; False: the reverse


@dataclass(frozen=True)
class TenantSnapshot:
    tenant: UserRow
    nodes: tuple[NodeRow, ...]  # untagged nodes owned by the tenant
    keys: tuple[KeyRow, ...]
    tagged_nodes: tuple[NodeRow, ...]  # user_id NULL, registered with one of the tenant's keys
    cross_references: tuple[CrossReference, ...]
    children: tuple[ChildRows, ...] = ()


@dataclass(frozen=True)
class Clash:
    """One value of a moving row already present on another row in the target cluster."""

    kind: str  # ipv4 | ipv6 | given_name | node_key | machine_key | key_prefix | legacy_key
    table: str
    row_id: int
    other_id: int
    value: str
    other_deleted: bool = False


@dataclass(frozen=True)
class TargetState:
    cluster_has_rows: bool
    user_candidates: tuple[UserRow, ...]  # rows in the target sharing name or provider_identifier
    node_clashes: tuple[Clash, ...]  # from node_clashes()
    key_clashes: tuple[Clash, ...]


def node_clashes(moving: Iterable[NodeIdentity], present: Iterable[NodeIdentity]) -> list[Clash]:
    """Every identity value of a moving node already used by a node of the target (NULL/'' never clash)."""
    moving, present = list(moving), list(present)
    clashes = []
    for kind in IDENTITY_KINDS:
        holders: dict[str, list[NodeIdentity]] = {}
        for node in present:
            value = getattr(node, kind)
            if value:
                holders.setdefault(value, []).append(node)
        for node in moving:
            value = getattr(node, kind)
            if value and value in holders:
                clashes += [Clash(kind, "nodes", node.id, o.id, value, o.deleted) for o in holders[value]]
    return sorted(clashes, key=lambda c: (c.kind, c.row_id, c.other_id))


def endpoint_ips(endpoints_json: str | None) -> tuple[str, ...]:
    """IPs out of headscale's ``endpoints`` column (JSON array of "ip:port" / "[v6]:port")."""
    import ipaddress
    import json

    if not endpoints_json:
        return ()
    try:
        items = json.loads(endpoints_json)
    except (ValueError, RecursionError):  # a tenant's column value: cut, or nested past the decoder's depth
        return ()
    found: list[str] = []
    for item in items if isinstance(items, list) else []:
        if not isinstance(item, str):
            continue
        host = item[1 : item.index("]")] if item.startswith("[") and "]" in item else item.rsplit(":", 1)[0]
        try:
            ip = str(ipaddress.ip_address(host))
        except ValueError:
            continue
        if ip not in found:
            found.append(ip)
    return tuple(found)


@dataclass(frozen=True)
class TenantCount:
    """One row of ``opskit headscale tenants``."""

    cluster: int | None
    user_id: int
    name: str
    provider: str | None
    nodes: int
    tagged_nodes: int
    keys: int


@dataclass(frozen=True)
class RowDrift:
    """A planned row that changed or went away since the plan, or a row the tenant gained."""

    table: str
    row_id: int
    how: str  # changed | gone | new

    def __str__(self) -> str:
        return f"{self.table}.id={self.row_id} {self.how}"
