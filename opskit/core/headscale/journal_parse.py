"""Reading a move journal back, strictly: every record becomes its typed model (see journal.py), a
wrong field is bad input naming its line, and a journal format this opskit does not know is refused
(exit 2) instead of guessed at."""

from __future__ import annotations

import json
from typing import Any

from opskit.core.headscale.journal import (
    END_OF_COPY,
    READABLE_FORMATS,
    CutRan,
    Header,
    HookRan,
    HostCutRan,
    Journal,
    JournalRoute,
    JournalTenant,
    MoveStep,
    PlannedStep,
    Restored,
    RouteChecked,
    RouteIntent,
    RouteOutcome,
    StepRecord,
)
from opskit.errors import InputError


def parse_journal(data: bytes | str, source: str) -> Journal:
    """Parse a journal; a torn tail (process killed mid-write) is tolerated and flagged."""
    raw = data.encode() if isinstance(data, str) else data
    lines = raw.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    journal: Journal | None = None
    number = 0
    while number < len(lines):
        line = lines[number]
        number += 1
        if not line.strip():
            continue
        try:
            entry = json.loads(line)
        except RecursionError:  # json.loads recurses per nesting level; no record nests this deep
            raise InputError.at(source, number, None, "not a journal record: JSON nested too deeply") from None
        except ValueError:  # bad JSON, bad UTF-8, an integer over 4,300 digits
            if number == len(lines) and journal is not None:
                journal.torn_tail = True
                break
            raise InputError.at(source, number, None, "not a JSON journal record") from None
        if not isinstance(entry, dict):
            raise InputError.at(source, number, None, "a journal record is a JSON object")
        fields = _Fields(entry, source, number)
        kind = entry.get("record")
        if journal is None:
            journal = Journal(header=_header(fields))
            continue
        if kind == "before":
            table = fields.text("table")
            rows = journal.before.setdefault(table, [])
            if "copy" in entry:  # format 1: the lines inside the record
                images = entry["copy"]
                rows.extend([str(x) for x in images] if isinstance(images, list) else [str(images)])
                continue
            try:
                end = lines.index(END_OF_COPY, number)
            except ValueError:  # killed while the block was being written: it never reached a COMMIT
                journal.torn_tail = True
                break
            try:
                rows.extend(x.decode() for x in lines[number:end])
            except UnicodeDecodeError:
                raise InputError.at(source, number, "before", "before-image is not UTF-8 text") from None
            number = end + 1
        elif kind in ("step", "route-switch-intent"):
            journal.steps.append(_step(fields, kind))
        elif kind == "committed":
            journal.committed_at = fields.text("at")
        elif kind == "rolled-back":
            journal.rolled_back_at = fields.text("at")
        else:
            raise InputError.at(source, number, "record", f"unknown journal record {kind!r}")
    if journal is None:
        raise InputError.at(source, None, None, "empty journal")
    return journal


class _Fields:
    """Typed access to one record's fields; a wrong or missing one is bad input naming its line."""

    def __init__(self, entry: dict[str, Any], source: str, line: int) -> None:
        self.entry, self.source, self.line = entry, source, line

    def bad(self, name: str, problem: str) -> InputError:
        return InputError.at(self.source, self.line, name, problem)

    def text(self, name: str) -> str:
        value = self.entry.get(name)
        if not isinstance(value, str):
            raise self.bad(name, "missing or not a string")
        return value

    def optional_text(self, name: str) -> str | None:
        value = self.entry.get(name)
        return None if value is None else self.text(name)

    def integer(self, name: str) -> int:
        value = self.entry.get(name)
        if not isinstance(value, int) or isinstance(value, bool):
            raise self.bad(name, "missing or not an integer")
        return value

    def optional_integer(self, name: str) -> int | None:
        return None if self.entry.get(name) is None else self.integer(name)

    def number(self, name: str) -> float:
        value = self.entry.get(name)
        if not isinstance(value, int | float) or isinstance(value, bool):
            raise self.bad(name, "missing or not a number")
        return float(value)

    def flag(self, name: str) -> bool:
        value = self.entry.get(name)
        if not isinstance(value, bool):
            raise self.bad(name, "missing or not true/false")
        return value

    def choice(self, name: str, allowed: tuple[str, ...]) -> Any:
        value = self.entry.get(name)
        if value not in allowed:
            raise self.bad(name, f"{value!r} is not one of {', '.join(allowed)}")
        return value

    def texts(self, name: str) -> tuple[str, ...]:
        value = self.entry.get(name)
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.bad(name, "missing or not a list of strings")
        return tuple(value)

    def optional_texts(self, name: str) -> tuple[str, ...] | None:
        return None if self.entry.get(name) is None else self.texts(name)

    def counts(self, name: str) -> dict[str, int] | None:
        value = self.entry.get(name)
        if value is None:
            return None
        if not isinstance(value, dict) or not all(
            isinstance(v, int) and not isinstance(v, bool) for v in value.values()
        ):
            raise self.bad(name, "not a table → count object")
        return {str(k): v for k, v in value.items()}

    def sub(self, name: str) -> _Fields:
        value = self.entry.get(name)
        if not isinstance(value, dict):
            raise self.bad(name, "missing or not an object")
        return _Fields(value, self.source, self.line)


def _header(f: _Fields) -> Header:
    if f.entry.get("record") != "header" or "format" not in f.entry:
        raise f.bad("record", "not an opskit tenant-move journal (no header)")
    version = f.entry["format"]
    if version not in READABLE_FORMATS or isinstance(version, bool):
        readable = ", ".join(map(str, READABLE_FORMATS))
        raise f.bad(
            "format",
            f"journal format {version!r} is not one this opskit reads ({readable}); "
            "use the opskit version that wrote it",
        )
    tenant = f.sub("tenant")
    raw_rows, raw_columns = f.entry.get("rows"), f.entry.get("columns")
    try:
        rows = {str(t): {int(k): str(v) for k, v in ids.items()} for t, ids in dict(raw_rows or {}).items()}
    except (TypeError, ValueError, AttributeError):
        raise f.bad("rows", "not a table → {row id → fingerprint} object") from None
    if not isinstance(raw_columns, dict) or not all(
        isinstance(c, list) and all(isinstance(x, str) for x in c) for c in raw_columns.values()
    ):
        raise f.bad("columns", "missing or not a table → column list object")
    steps = f.entry.get("steps") or []
    if not isinstance(steps, list) or not all(isinstance(s, dict) for s in steps):
        raise f.bad("steps", "not a list of steps")
    route = None
    if f.entry.get("route") is not None:
        r = f.sub("route")
        route = JournalRoute(
            r.text("config_file"),
            r.text("router"),
            r.text("from_service"),
            r.text("to_service"),
            r.optional_text("api_url"),
            r.number("timeout") if "timeout" in r.entry else 10.0,
        )
    return Header(
        started_at=f.text("started_at"),
        database=f.text("database"),
        plan_fingerprint=f.text("plan_fingerprint"),
        cluster_column=f.text("cluster_column"),
        tenant=JournalTenant(tenant.integer("id"), tenant.text("name"), tenant.optional_text("provider_identifier")),
        source_cluster=f.integer("source_cluster"),
        target_cluster=f.integer("target_cluster"),
        rows=rows,
        columns={str(t): tuple(c) for t, c in raw_columns.items()},
        steps=tuple(
            PlannedStep(s.text("name"), s.text("action"), s.text("inverse"))
            for s in (_Fields(x, f.source, f.line) for x in steps)
        ),
        route=route,
        format=int(version),
    )


_ROUTE_NAMES = ("route-switch", "route-restore")


def _step(f: _Fields, kind: str) -> StepRecord:
    if kind == "route-switch-intent":
        return RouteIntent(
            f.choice("name", _ROUTE_NAMES),
            f.text("at"),
            f.text("config_file"),
            f.text("router"),
            f.text("from_service"),
            f.text("to_service"),
        )
    name = f.text("name")
    if name in ("pre-hook", "post-hook"):
        return HookRan(
            f.choice("name", ("pre-hook", "post-hook")),
            f.text("at"),
            f.texts("argv"),
            f.optional_integer("returncode"),
            f.flag("timed_out"),
            f.text("stdout"),
            f.text("stderr"),
            f.flag("ok"),
        )
    if name == "db-move":
        return MoveStep(
            f.choice("state", ("updated", "aborted")), f.text("at"), f.counts("counts"), f.optional_text("error")
        )
    if name in _ROUTE_NAMES:
        state = f.choice("state", ("switched", "failed", "verified", "unverified"))
        if state in ("verified", "unverified"):
            return RouteChecked(
                f.choice("name", _ROUTE_NAMES), state, f.text("at"), f.text("detail"), f.number("seconds")
            )
        return RouteOutcome(
            f.choice("name", _ROUTE_NAMES),
            state,
            f.text("at"),
            f.optional_text("config_file"),
            f.optional_text("router"),
            f.optional_text("from_service"),
            f.optional_text("to_service"),
            f.optional_text("error"),
        )
    if name == "cut-sessions":
        commands = f.entry.get("commands")
        if commands is not None and not (
            isinstance(commands, list)
            and all(isinstance(c, list) and all(isinstance(x, str) for x in c) for c in commands)
        ):
            raise f.bad("commands", "not a list of argument lists")
        return CutRan(
            f.choice("state", ("done", "incomplete", "skipped", "failed")),
            f.text("at"),
            reason=f.optional_text("reason"),
            error=f.optional_text("error"),
            matched=f.optional_integer("matched"),
            cut=f.optional_integer("cut"),
            still_present=f.optional_integer("still_present"),
            clients_cut=f.optional_texts("clients_cut"),
            clients_reconnected=f.optional_texts("clients_reconnected"),
            problem=f.optional_text("problem"),
            commands=None if commands is None else tuple(tuple(c) for c in commands),
        )
    if name == "fleet-cut":
        return HostCutRan(
            f.text("host"),
            f.choice("state", ("done", "incomplete", "failed", "unreachable", "not-run")),
            f.text("at"),
            matched=f.optional_integer("matched") or 0,
            cut=f.optional_integer("cut") or 0,
            still_present=f.optional_integer("still_present") or 0,
            protected=f.optional_integer("protected") or 0,
            peers_cut=f.optional_texts("peers_cut") or (),
            peers_still_present=f.optional_texts("peers_still_present") or (),
            error=f.optional_text("error"),
        )
    if name == "db-restore":
        return Restored(
            f.choice("state", ("restored", "nothing-to-do")),
            f.text("at"),
            f.counts("counts") or {},
            f.optional_texts("forced") or (),
        )
    raise f.bad("name", f"unknown journal step {name!r}")
