"""What apply or rollback did, step by step: the one shape the output layer renders."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from opskit.core.headscale.plan import Plan
    from opskit.core.headscale.snapshot import TenantCount


@dataclass
class StepOutcome:
    name: str
    ok: bool
    detail: str
    seconds: float = 0.0
    data: dict[str, Any] = field(default_factory=dict)  # rendered as JSON as is (counts, cut numbers)


@dataclass
class RunReport:
    """What apply or rollback did (or would do, when ``dry_run``)."""

    action: Literal["apply", "rollback"]
    dry_run: bool
    tenant: str
    journal: str | None
    steps: list[StepOutcome] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(s.ok for s in self.steps)


@dataclass(frozen=True)
class TenantListing:
    """`headscale tenants`: every live tenant per cluster, read from ``database`` (password masked)."""

    database: str
    tenants: list[TenantCount]


@dataclass(frozen=True)
class PlanOutcome:
    """`headscale migrate plan`: the plan, and the file it was saved to (None: printed only)."""

    plan: Plan
    saved_to: str | None
