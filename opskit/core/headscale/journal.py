"""The move journal: an append-only file, like a tiny write-ahead log.

Records are JSON lines in this order: ``header`` (plan identity, masked DSN, columns, steps), one
``before`` record per table, ``step`` records as steps run, ``committed`` once the transaction
committed, and ``rolled-back`` after a rollback. A journal without ``committed`` means the move never
became visible — unless the database says otherwise, which rollback checks by fingerprint instead of
trusting the file.

A ``before`` record (format 2) is followed by the table's before-image exactly as PostgreSQL streamed
it: COPY text lines, one per row, ended by COPY's own end-of-data marker ``\\.`` on a line of its own
(a data line can never be ``\\.``: COPY escapes every backslash). Apply writes the bytes it received
without parsing them; rollback loads the same lines back with ``COPY FROM``. Format 1 journals (the
lines as a JSON list in the record) are still read.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from opskit.core.headscale.rowtext import row_fingerprint, row_id, with_field
from opskit.errors import InputError

JOURNAL_FORMAT = 2
READABLE_FORMATS = (1, 2)
END_OF_COPY = b"\\."


def record_line(record: str, **fields: Any) -> str:
    """One journal line (no secrets may be passed in: callers give masked DSNs only)."""
    return json.dumps({"record": record, **fields}, default=str, separators=(",", ":")) + "\n"


@dataclass
class Journal:
    """A parsed journal. ``state`` is committed / uncommitted / rolled-back."""

    header: dict[str, Any]
    before: dict[str, list[str]] = field(default_factory=dict)  # table → COPY text lines
    steps: list[dict[str, Any]] = field(default_factory=list)
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
        rows = self.header.get("rows", {})
        return {t: {int(k): v for k, v in ids.items()} for t, ids in rows.items()}

    @property
    def updated(self) -> bool:
        """The UPDATEs ran (they may or may not have committed: the database decides)."""
        return self.committed_at is not None or any(
            s.get("name") == "db-move" and s.get("state") == "updated" for s in self.steps
        )

    def after_fingerprints(self) -> dict[str, dict[int, str]]:
        """What each moved row looks like right after the move: its before-image with the cluster
        column switched from source to target (the only change a move makes). Empty if the UPDATEs
        never ran."""
        if not self.updated:
            return {}
        column = str(self.header["cluster_column"])
        source, target = str(self.header["source_cluster"]), str(self.header["target_cluster"])
        out: dict[str, dict[int, str]] = {}
        for table, lines in self.before.items():
            columns = list(self.header["columns"][table])
            id_index, cluster_index = columns.index("id"), columns.index(column)
            out[table] = {
                row_id(line, id_index): row_fingerprint(with_field(line, cluster_index, source, target))
                for line in lines
            }
        return out


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
        except ValueError:  # JSONDecodeError, UnicodeDecodeError, or an integer too long to convert
            if number == len(lines) and journal is not None:
                journal.torn_tail = True
                break
            raise InputError.at(source, number, None, "not a JSON journal record") from None
        kind = entry.get("record") if isinstance(entry, dict) else None
        if journal is None:
            if kind != "header" or entry.get("format") not in READABLE_FORMATS:
                raise InputError.at(source, number, "record", "not an opskit tenant-move journal (no header)")
            journal = Journal(header=entry)
            continue
        if kind == "before":
            rows = journal.before.setdefault(str(entry.get("table")), [])
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
        elif kind == "step":
            journal.steps.append(entry)
        elif kind == "committed":
            journal.committed_at = str(entry.get("at"))
        elif kind == "rolled-back":
            journal.rolled_back_at = str(entry.get("at"))
        else:
            raise InputError.at(source, number, "record", f"unknown journal record {kind!r}")
    if journal is None:
        raise InputError.at(source, None, None, "empty journal")
    return journal
