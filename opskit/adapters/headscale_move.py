"""Runs a tenant move end to end: plan, apply (hooks → DB → route → cut) and rollback, journaling
every step. Side effects live here and in the adapters it calls; every decision is in the pure core."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from opskit.adapters import pg, pg_write
from opskit.adapters.proc import run
from opskit.core.headscale.journal import JOURNAL_FORMAT, Journal, parse_journal, record_line
from opskit.core.headscale.plan import (
    CutSpec,
    HookSpec,
    Plan,
    RouteSwitchSpec,
    plan_tenant_move,
    target_conflicts,
)
from opskit.core.headscale.schema import KEYS, NODES, TenantSchema, tenant_schema
from opskit.core.headscale.snapshot import Clash
from opskit.errors import ApplyError, InputError, OpskitError


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


@dataclass
class StepOutcome:
    name: str
    ok: bool
    detail: str
    seconds: float = 0.0
    data: dict[str, Any] = field(default_factory=dict)


@dataclass
class RunReport:
    """What apply or rollback did (or would do, when ``dry_run``)."""

    action: str
    dry_run: bool
    tenant: str
    journal: str | None
    steps: list[StepOutcome] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(s.ok for s in self.steps)


class FileJournal(pg_write.JournalSink):
    """Append-only journal file, 0600 (before-images hold key hashes), fsync on ``sync``."""

    def __init__(self, path: Path, *, create: bool) -> None:
        flags = os.O_WRONLY | os.O_APPEND | (os.O_CREAT | os.O_EXCL if create else 0)
        try:
            self._fd = os.open(path, flags, 0o600)
        except FileExistsError:
            raise InputError.at(
                str(path), None, "--journal", "already exists; choose a new journal path"
            ) from None
        except OSError as exc:
            raise InputError.at(str(path), None, "--journal", f"cannot open: {exc.strerror}") from None
        self.path = path
        self._size = os.fstat(self._fd).st_size
        self._reader: int | None = None
        self._new_entry = create

    def append(self, text: str) -> None:
        self.append_bytes(text.encode())

    def append_bytes(self, data: bytes) -> None:
        view = memoryview(data)
        try:
            while view:
                written = os.write(self._fd, view)
                self._size += written
                view = view[written:]
        except OSError as exc:
            raise self._unwritable(exc) from None

    def position(self) -> int:
        return self._size

    def read_back(self, start: int, size: int) -> list[bytes]:
        lines = os.pread(self._fd_read(), size, start).split(b"\n")
        lines.pop()  # every COPY line ends with a newline
        return lines

    def _fd_read(self) -> int:
        if self._reader is None:
            self._reader = os.open(self.path, os.O_RDONLY)
        return self._reader

    def sync(self) -> None:
        try:
            os.fsync(self._fd)
            if self._new_entry:  # the new directory entry must survive a crash too, not only the content
                directory = os.open(self.path.parent if str(self.path.parent) else Path("."), os.O_RDONLY)
                try:
                    os.fsync(directory)
                finally:
                    os.close(directory)
                self._new_entry = False
        except OSError as exc:
            raise self._unwritable(exc) from None

    def _unwritable(self, exc: OSError) -> pg_write.JournalUnwritable:
        return pg_write.JournalUnwritable(
            f"cannot write the journal {self.path}: {exc.strerror or exc}",
            hint="Free space or choose another --journal path.",
        )

    def record(self, kind: str, **fields: Any) -> None:
        self.append(record_line(kind, **fields))
        self.sync()

    def close(self) -> None:
        os.close(self._fd)
        if self._reader is not None:
            os.close(self._reader)


def _open(dsn: str, cluster_column: str) -> tuple[pg.Database, TenantSchema]:
    db = pg.Database(dsn)
    try:
        return db, tenant_schema(pg.read_catalog(db), cluster_column)
    except BaseException:
        db.close()
        raise


# --- plan ---------------------------------------------------------------------------------------


def make_plan(
    *,
    dsn: str,
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
    db, schema = _open(dsn, cluster_column)
    try:
        user = (
            pg.find_tenant_by_id(db, schema, tenant_id, source)
            if tenant_id is not None
            else pg.find_tenant(db, schema, str(tenant), source)
        )
        snapshot = pg.read_snapshot(db, schema, user, source)
        candidates = [n.identity for n in (*snapshot.nodes, *snapshot.tagged_nodes)]
        target_state = pg.read_target(db, schema, user, candidates, [k.id for k in snapshot.keys], target)
    finally:
        db.close()
    cut_spec = None
    if cut:
        clients = list(cut.clients)
        moving = snapshot.nodes + (snapshot.tagged_nodes if with_tagged else ())
        if not clients:
            clients = sorted({ip for n in moving for ip in n.endpoint_ips})
        cut_spec = CutSpec(
            entry_port=cut.entry_port,
            clients=clients,
            clients_source="--client" if cut.clients else "node endpoints",
            wait_seconds=cut.wait_seconds,
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


# --- apply --------------------------------------------------------------------------------------


def _recheck(schema: TenantSchema, plan: Plan) -> Callable[[pg.Database, list[Clash]], list[str]]:
    """Conflicts of the moving rows against the target as it is now (read on ``db``), given the node
    clashes pg.node_precheck found in the same snapshot."""

    def check(db: pg.Database, node_clashes: list[Clash]) -> list[str]:
        user = pg.user_by_id(db, schema, plan.tenant.id)
        key_ids = list(plan.rows.get(KEYS, {}))
        state = pg.read_target(db, schema, user, [], key_ids, plan.target_cluster, clashes=node_clashes)
        return [c.message for c in target_conflicts(schema, user, state, plan.target_cluster)]

    return check


def _run_hook(hook: HookSpec, name: str, journal: FileJournal | None) -> StepOutcome:
    started = time.monotonic()
    done = run(hook.argv, timeout=hook.timeout)
    ok = done.returncode == 0 and not done.timed_out
    detail = f"timed out after {hook.timeout:g} s" if done.timed_out else f"exit {done.returncode}"
    outcome = StepOutcome(
        name,
        ok,
        f"{' '.join(hook.argv)}: {detail}",
        time.monotonic() - started,
        {"stdout": done.stdout[-4000:], "stderr": done.stderr[-4000:]},
    )
    if journal:
        journal.record(
            "step",
            name=name,
            at=utc_now(),
            argv=hook.argv,
            returncode=done.returncode,
            timed_out=done.timed_out,
            stdout=done.stdout[-4000:],
            stderr=done.stderr[-4000:],
            ok=ok,
        )
    return outcome


def default_journal_path(plan: Plan) -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    return Path(
        f"opskit-move-{plan.tenant.name}-{plan.source_cluster}-to-{plan.target_cluster}-{stamp}.journal"
    )


def apply_plan(
    plan: Plan,
    *,
    dsn: str,
    yes: bool,
    journal_path: Path | None,
    lock_timeout_ms: int,
    statement_timeout_ms: int,
) -> RunReport:
    """Dry run without ``yes``; otherwise pre-hooks → DB move → post-hooks → route switch → cut."""
    if plan.blocking:
        raise ApplyError(
            f"the plan has {len(plan.conflicts)} blocking problem(s) (first: "
            f"{plan.conflicts[0].message}); resolve them and make a new plan."
        )
    db = pg.Database(dsn)
    # the re-check connection (see pg_write.SnapshotReader) connects while this one reads the schema; only
    # now, so that a role allowed a single connection gets it for the move (the re-checks then run here)
    reader = pg_write.SnapshotReader(dsn) if yes else None
    try:
        report = RunReport("apply", not yes, plan.tenant.name, None)
        try:
            schema = tenant_schema(pg.read_catalog(db), plan.cluster_column)
            if not yes:
                return _dry_run(db, schema, plan, report)
            path = journal_path or default_journal_path(plan)
            journal = FileJournal(path, create=True)
            report.journal = str(path)
            try:
                _apply(db, schema, plan, journal, report, lock_timeout_ms, statement_timeout_ms, reader)
            finally:
                journal.close()
        finally:
            db.close()
    finally:
        if reader:
            reader.close()
    return report


def _dry_run(db: pg.Database, schema: TenantSchema, plan: Plan, report: RunReport) -> RunReport:
    include_tagged = plan.tagged_choice == "include"
    with db.errors("checking the plan against the database"), db.conn.transaction(force_rollback=True):
        drift = pg_write.plan_drift(db, schema, plan.rows, plan.tenant.id, plan.source_cluster, include_tagged)
        pg_write.recheck_planner(db)
        precheck = pg.node_precheck(
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
    if plan.cut:
        report.steps.append(StepOutcome("cut-sessions", True, _cut_preview(plan.cut)))
    return report


def _apply(
    db: pg.Database,
    schema: TenantSchema,
    plan: Plan,
    journal: FileJournal,
    report: RunReport,
    lock_timeout_ms: int,
    statement_timeout_ms: int,
    reader: pg_write.SnapshotReader | None,
) -> None:
    journal.append(
        record_line(
            "header",
            format=JOURNAL_FORMAT,
            started_at=utc_now(),
            database=db.dsn_shown,
            plan_fingerprint=plan.fingerprint,
            cluster_column=plan.cluster_column,
            tenant=plan.tenant.model_dump(),
            source_cluster=plan.source_cluster,
            target_cluster=plan.target_cluster,
            rows=plan.rows,
            columns={table: list(schema.columns[table]) for table in plan.rows},
            steps=[s.model_dump() for s in plan.steps],
            route=plan.route.model_dump() if plan.route else None,
        )
    )
    if plan.pre_hooks:  # durable before a hook acts on the instances; else the fsync before COMMIT covers it
        journal.sync()
    for hook in plan.pre_hooks:
        outcome = _run_hook(hook, "pre-hook", journal)
        report.steps.append(outcome)
        if not outcome.ok:
            raise ApplyError(
                f"pre-hook failed ({outcome.detail}); nothing changed in the database. "
                f"Journal: {journal.path}"
            )
    try:
        result = pg_write.apply_move(
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
        journal.record("step", name="db-move", state="aborted", at=utc_now(), error=exc.message)
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
        outcome = _run_hook(hook, "post-hook", journal)
        report.steps.append(outcome)
        if not outcome.ok:
            raise ApplyError(
                f"the database move is committed but a post-hook failed ({outcome.detail}); the "
                f"route was not switched. Fix the instances, or roll back: opskit headscale migrate "
                f"rollback {journal.path} --yes"
            )
    if plan.route:
        expected = (plan.route.from_service, plan.route.to_service)
        report.steps.append(_switch(plan.route, plan.route.to_service, journal, "route-switch", expected))
        if not report.steps[-1].ok:
            raise ApplyError(f"{report.steps[-1].detail}. Database move is committed; journal {journal.path}")
    if plan.cut:
        report.steps.append(_cut(plan.cut, journal))


def _switch(
    route: RouteSwitchSpec, to_service: str, journal: FileJournal, name: str, expect: tuple[str, ...] = ()
) -> StepOutcome:
    from opskit.adapters.traefik import switch_route, wait_for_route

    started = time.monotonic()
    try:
        edit = switch_route(route.config_file, route.router, to_service, expect)
    except OpskitError as exc:  # the database step is already committed: report, do not crash
        journal.record("step", name=name, state="failed", at=utc_now(), error=exc.describe())
        return StepOutcome(name, False, f"route not switched: {exc.describe()}", time.monotonic() - started)
    journal.record(
        "step",
        name=name,
        state="switched",
        at=utc_now(),
        config_file=route.config_file,
        router=route.router,
        from_service=edit.old_service,
        to_service=to_service,
    )
    detail = f"router {route.router}: {edit.old_service} → {to_service} in {route.config_file}"
    if not route.api_url:
        return StepOutcome(
            name, True, detail + " (no --traefik-api: not verified)", time.monotonic() - started
        )
    check = wait_for_route(route.api_url, route.router, to_service, route.timeout)
    journal.record(
        "step",
        name=name,
        state="verified" if check.ok else "unverified",
        at=utc_now(),
        detail=check.detail,
        seconds=round(check.seconds, 3),
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


def _cut_preview(cut: CutSpec) -> str:
    """What the cut would do, with the sessions that match right now (a dry run of the sockets library)."""
    shown = (
        f"would cut established sessions on local port {cut.entry_port} from "
        f"{', '.join(cut.clients) or 'no client addresses'} (server side: sport = :{cut.entry_port} and dst "
        "in those clients), then count reconnects"
    )
    if not cut.clients:
        return shown
    try:
        from opskit.adapters.sockets import cut_sessions
        from opskit.core.sockets import SessionFilter

        report = cut_sessions(SessionFilter(local_port=cut.entry_port, peers=tuple(cut.clients)), yes=False)
    except (ImportError, OpskitError) as exc:
        reason = exc.describe() if isinstance(exc, OpskitError) else "opskit sockets library not installed"
        return f"{shown}; cannot list them now: {reason}"
    return f"{shown}; {len(report.matched)} session(s) match now"


def _cut(cut: CutSpec, journal: FileJournal) -> StepOutcome:
    """Cut the tenant's sessions on this host, then count clients that came back within the window."""
    from opskit.adapters.sockets import cut_sessions, list_sessions
    from opskit.core.sockets import SessionFilter

    started = time.monotonic()
    if not cut.clients:
        journal.record(
            "step", name="cut-sessions", state="skipped", at=utc_now(), reason="no client addresses"
        )
        return StepOutcome("cut-sessions", True, "skipped: no client addresses known", 0.0)
    session_filter = SessionFilter(local_port=cut.entry_port, peers=tuple(cut.clients))
    try:
        report = cut_sessions(session_filter, yes=True)
    except OpskitError as exc:  # e.g. no CAP_NET_ADMIN: the move itself is done, say so instead of dying
        journal.record("step", name="cut-sessions", state="failed", at=utc_now(), error=exc.describe())
        return StepOutcome("cut-sessions", False, f"not cut: {exc.describe()}", time.monotonic() - started)
    deadline = time.monotonic() + cut.wait_seconds
    wanted = {s.peer_ip for s in report.matched}
    back: set[str] = set()
    while wanted and time.monotonic() < deadline:
        back = {s.peer_ip for s in list_sessions(session_filter)} & wanted
        if back == wanted:
            break
        time.sleep(0.05)
    data = {
        "matched": len(report.matched),
        "cut": len(report.cut),
        "still_present": len(report.still_present),
        "clients_cut": sorted(wanted),
        "clients_reconnected": sorted(back),
        "problem": report.problem,
        "commands": [list(c) for c in report.commands],
    }
    journal.record(
        "step", name="cut-sessions", state="done" if report.ok else "incomplete", at=utc_now(), **data
    )
    detail = (
        f"cut {len(report.cut)} of {len(report.matched)} session(s) on port {cut.entry_port}; "
        f"{len(back)} of {len(wanted)} client(s) reconnected within {cut.wait_seconds:g} s"
    )
    if report.problem:
        detail += f"; problem: {report.problem}"
    return StepOutcome("cut-sessions", report.ok, detail, time.monotonic() - started, data)


# --- rollback -----------------------------------------------------------------------------------


def read_journal(path: str) -> Journal:
    from opskit.adapters.paths import read_regular_file

    return parse_journal(read_regular_file(Path(path), "journal"), path)


def rollback(
    journal_path: str, *, dsn: str, yes: bool, force: bool, lock_timeout_ms: int, statement_timeout_ms: int
) -> RunReport:
    """Restore the before-image (one transaction), then point the route back."""
    journal = read_journal(journal_path)
    if journal.state == "rolled-back":
        raise InputError.at(journal_path, None, None, f"already rolled back at {journal.rolled_back_at}")
    tenant = journal.header["tenant"]
    report = RunReport("rollback", not yes, str(tenant["name"]), journal_path)
    switched = [s for s in journal.steps if s.get("name") == "route-switch" and s.get("state") == "switched"]
    db, schema = _open(dsn, str(journal.header["cluster_column"]))
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
            if switched:
                s = switched[-1]
                report.steps.append(
                    StepOutcome(
                        "route-restore",
                        True,
                        f"would point router {s['router']} back at {s['from_service']} in {s['config_file']}",
                    )
                )
            return report
        sink = FileJournal(Path(journal_path), create=False)
        try:
            result = pg_write.restore_rows(
                db,
                schema,
                before=journal.before,
                columns=journal.header.get("columns", {}),
                before_fp=journal.before_fingerprints,
                after_fp=journal.after_fingerprints(),
                tenant_id=int(tenant["id"]),
                tenant_name=str(tenant["name"]),
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
                "step",
                name="db-restore",
                state=result.state,
                at=utc_now(),
                counts=result.counts,
                forced=[str(d) for d in result.drift],
            )
            report.steps.append(StepOutcome("db-restore", True, detail, data={"counts": result.counts}))
            if switched:
                report.steps.append(_reverse_route(switched[-1], journal, sink, force))
            sink.record("rolled-back", at=utc_now(), ok=report.ok)
        finally:
            sink.close()
    finally:
        db.close()
    return report


def _reverse_route(step: dict[str, Any], journal: Journal, sink: FileJournal, force: bool) -> StepOutcome:
    from opskit.adapters.traefik import read_dynamic
    from opskit.core.traefik.dynamic import router_service

    route_info = journal.header.get("route") or {}
    route = RouteSwitchSpec(
        config_file=step["config_file"],
        router=step["router"],
        from_service=step["to_service"],
        to_service=step["from_service"],
        api_url=route_info.get("api_url"),
        timeout=float(route_info.get("timeout", 10.0)),
    )
    now_service = router_service(read_dynamic(route.config_file), route.router, route.config_file)
    if now_service not in (step["to_service"], step["from_service"]) and not force:
        return StepOutcome(
            "route-restore",
            False,
            f"router {route.router} now points at {now_service!r}, not "
            f"{step['to_service']!r} as the move left it: not touched (--force to override)",
        )
    return _switch(route, step["from_service"], sink, "route-restore")
