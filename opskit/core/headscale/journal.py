"""The move journal: an append-only file, like a tiny write-ahead log, of typed records.

Records are JSON lines in this order: a ``header`` (journal format, plan identity, masked DSN,
columns, steps), one ``before`` record per table, ``step`` records as steps run, ``committed`` once the
transaction committed, and ``rolled-back`` after a rollback. A journal without ``committed`` means the
move never became visible — unless the database says otherwise, which rollback checks by fingerprint
instead of trusting the file.

A ``before`` record (format 2 on) is followed by the table's before-image exactly as PostgreSQL
streamed it: COPY text lines, one per row, ended by COPY's own end-of-data marker ``\\.`` on a line of
its own (a data line can never be ``\\.``: COPY escapes every backslash). Apply writes the bytes it
received without parsing them; rollback loads the same lines back with ``COPY FROM``. Format 1 journals
(the lines as a JSON list in the record) are still read.

Undo is recorded before the change (format 3 on): before the Traefik file is rewritten, a
``route-switch-intent`` record with the old and new service is fsynced; the ``step`` record saying
``switched`` follows once the file is replaced. Rollback reverses an intent that has no outcome too:
the switch may or may not have happened, and pointing the router at the old service is idempotent.

Every record is a frozen dataclass below; ``record_text`` writes one, ``journal_parse`` reads them back
strictly (a journal format this opskit does not know is refused with exit 2, never guessed at).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

from opskit.core.headscale.rowtext import row_fingerprint, row_id, with_field
from opskit.errors import EnvironmentProblem

JOURNAL_FORMAT = 3
READABLE_FORMATS = (1, 2, 3)
END_OF_COPY = b"\\."


class JournalUnwritable(EnvironmentProblem):
    """The journal could not be written or synced (disk full, I/O error)."""


class JournalSink(Protocol):
    """Where apply and rollback append journal records; ``sync`` makes them durable (fsync)."""

    def append(self, text: str) -> None: ...

    def append_bytes(self, data: bytes) -> None: ...

    def position(self) -> int:
        """Bytes written so far."""
        ...

    def read_back(self, start: int, size: int) -> list[bytes]:
        """The lines of ``size`` bytes written from ``start`` (without their newlines)."""
        ...

    def sync(self) -> None: ...


# --- the records --------------------------------------------------------------------------------


@dataclass(frozen=True)
class JournalTenant:
    id: int
    name: str
    provider_identifier: str | None = None


@dataclass(frozen=True)
class JournalRoute:
    """The plan's route switch, as the header keeps it (api_url and timeout serve the reversal)."""

    config_file: str
    router: str
    from_service: str
    to_service: str
    api_url: str | None = None
    timeout: float = 10.0


@dataclass(frozen=True)
class PlannedStep:
    name: str
    action: str
    inverse: str


@dataclass(frozen=True)
class Header:
    started_at: str
    database: str  # masked: never a password
    plan_fingerprint: str
    cluster_column: str
    tenant: JournalTenant
    source_cluster: int
    target_cluster: int
    rows: Mapping[str, Mapping[int, str]]  # table → {row id → fingerprint at plan time}
    columns: Mapping[str, tuple[str, ...]]
    steps: tuple[PlannedStep, ...] = ()
    route: JournalRoute | None = None
    format: int = JOURNAL_FORMAT


@dataclass(frozen=True)
class BeforeImage:
    """Announces a table's before-image; the COPY lines follow the record (format 1: inside it)."""

    table: str


@dataclass(frozen=True)
class HookRan:
    name: Literal["pre-hook", "post-hook"]
    at: str
    argv: tuple[str, ...]
    returncode: int | None
    timed_out: bool
    stdout: str
    stderr: str
    ok: bool


@dataclass(frozen=True)
class MoveStep:
    """``updated``: the UPDATEs ran (fsynced before COMMIT); ``aborted``: refused, nothing changed."""

    state: Literal["updated", "aborted"]
    at: str
    counts: Mapping[str, int] | None = None
    error: str | None = None
    name: Literal["db-move"] = "db-move"


RouteStepName = Literal["route-switch", "route-restore"]


@dataclass(frozen=True)
class RouteIntent:
    """Written and fsynced before the router's file is rewritten: what it pointed at, and at what next."""

    name: RouteStepName
    at: str
    config_file: str
    router: str
    from_service: str
    to_service: str


@dataclass(frozen=True)
class RouteOutcome:
    """The outcome of a RouteIntent: ``switched`` (the file now says ``to_service``) or ``failed``."""

    name: RouteStepName
    state: Literal["switched", "failed"]
    at: str
    config_file: str | None = None
    router: str | None = None
    from_service: str | None = None
    to_service: str | None = None
    error: str | None = None


@dataclass(frozen=True)
class RouteChecked:
    name: RouteStepName
    state: Literal["verified", "unverified"]
    at: str
    detail: str
    seconds: float


@dataclass(frozen=True)
class CutRan:
    state: Literal["done", "incomplete", "skipped", "failed"]
    at: str
    reason: str | None = None
    error: str | None = None
    matched: int | None = None
    cut: int | None = None
    still_present: int | None = None
    clients_cut: tuple[str, ...] | None = None
    clients_reconnected: tuple[str, ...] | None = None
    problem: str | None = None
    commands: tuple[tuple[str, ...], ...] | None = None
    name: Literal["cut-sessions"] = "cut-sessions"


@dataclass(frozen=True)
class HostCutRan:
    """The session cut on one edge of an inventory (``migrate apply --cut-inventory``), one record per
    host, written when the playbook run ended: what was cut there and what was not. A cut has no
    inverse; rollback reads these to say which hosts' clients were reset and which never were."""

    host: str
    state: Literal["done", "incomplete", "failed", "unreachable", "not-run"]
    at: str
    matched: int = 0
    cut: int = 0
    still_present: int = 0
    protected: int = 0
    peers_cut: tuple[str, ...] = ()
    peers_still_present: tuple[str, ...] = ()
    error: str | None = None
    name: Literal["fleet-cut"] = "fleet-cut"


@dataclass(frozen=True)
class Restored:
    state: Literal["restored", "nothing-to-do"]
    at: str
    counts: Mapping[str, int]
    forced: tuple[str, ...] = ()
    name: Literal["db-restore"] = "db-restore"


@dataclass(frozen=True)
class Committed:
    at: str


@dataclass(frozen=True)
class RolledBack:
    at: str
    ok: bool = True


StepRecord = HookRan | MoveStep | RouteIntent | RouteOutcome | RouteChecked | CutRan | HostCutRan | Restored
Record = Header | BeforeImage | StepRecord | Committed | RolledBack

_KIND: dict[type, str] = {
    Header: "header",
    BeforeImage: "before",
    RouteIntent: "route-switch-intent",
    Committed: "committed",
    RolledBack: "rolled-back",
}


def _plain(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if hasattr(value, "__dataclass_fields__"):
        return {name: _plain(getattr(value, name)) for name in value.__dataclass_fields__}
    return value


def record_text(record: Record) -> str:
    """One journal line. Optional fields left empty are not written (except in the header, whose
    ``route`` is written as null). No secrets may be passed in: callers give masked DSNs only."""
    fields = _plain(record)
    if not isinstance(record, Header):
        fields = {k: v for k, v in fields.items() if v is not None}
    kind = _KIND.get(type(record), "step")
    if kind == "header":  # the format first: a reader decides on it before anything else
        fields = {"format": fields.pop("format"), **fields}
    return json.dumps({"record": kind, **fields}, separators=(",", ":")) + "\n"


# --- the parsed journal -------------------------------------------------------------------------


@dataclass(frozen=True)
class RouteToReverse:
    """A route switch rollback must undo: ``confirmed`` when its outcome says switched, else only its
    intent was recorded (the process died between the two, or while the file was being replaced)."""

    config_file: str
    router: str
    from_service: str  # what the router pointed at before the move: rollback points it back here
    to_service: str  # what the move pointed it at
    confirmed: bool


@dataclass
class Journal:
    """A parsed journal. ``state`` is committed / uncommitted / rolled-back."""

    header: Header
    before: dict[str, list[str]] = field(default_factory=dict)  # table → COPY text lines
    steps: list[StepRecord] = field(default_factory=list)
    committed_at: str | None = None
    rolled_back_at: str | None = None
    torn_tail: bool = False

    @property
    def state(self) -> str:
        if self.rolled_back_at:
            return "rolled-back"
        return "committed" if self.committed_at else "uncommitted"

    @property
    def before_fingerprints(self) -> dict[str, dict[int, str]]:
        return {t: dict(ids) for t, ids in self.header.rows.items()}

    @property
    def updated(self) -> bool:
        """The UPDATEs ran (they may or may not have committed: the database decides)."""
        return self.committed_at is not None or any(
            isinstance(s, MoveStep) and s.state == "updated" for s in self.steps
        )

    def after_fingerprints(self) -> dict[str, dict[int, str]]:
        """What each moved row looks like right after the move: its before-image with the cluster
        column switched from source to target (the only change a move makes). Empty if the UPDATEs
        never ran."""
        if not self.updated:
            return {}
        column = self.header.cluster_column
        source, target = str(self.header.source_cluster), str(self.header.target_cluster)
        out: dict[str, dict[int, str]] = {}
        for table, lines in self.before.items():
            columns = list(self.header.columns[table])
            id_index, cluster_index = columns.index("id"), columns.index(column)
            out[table] = {
                row_id(line, id_index): row_fingerprint(with_field(line, cluster_index, source, target))
                for line in lines
            }
        return out

    def fleet_cuts(self) -> list[HostCutRan]:
        """The per-host results of a cut run across an inventory, last record per host wins."""
        latest: dict[str, HostCutRan] = {}
        for step in self.steps:
            if isinstance(step, HostCutRan):
                latest[step.host] = step
        return [latest[host] for host in sorted(latest)]

    def route_to_reverse(self) -> RouteToReverse | None:
        """The move's route switch if it happened or may have happened: the last ``route-switch``
        intent, unless its outcome says it failed (the file was then left as it was). Format 2
        journals have no intents: their ``switched`` outcome carries the same facts."""
        found: RouteToReverse | None = None
        for step in self.steps:
            if step.name != "route-switch":
                continue
            if isinstance(step, RouteIntent):
                found = RouteToReverse(
                    step.config_file, step.router, step.from_service, step.to_service, confirmed=False
                )
            elif isinstance(step, RouteOutcome) and step.state == "failed":
                found = None
            elif isinstance(step, RouteOutcome) and step.config_file and step.router:
                found = RouteToReverse(
                    step.config_file,
                    step.router,
                    str(step.from_service),
                    str(step.to_service),
                    confirmed=True,
                )
        return found
