"""Corpus pastes deformed the way people deform them when they paste, and the judge's facts re-checked.

Every blind batch missed known outputs in a layout nobody had pasted yet (a status table with its owner
column dropped and commas after the endpoint, a netcheck with tabs, inline comments in another language and
elided latencies). This module takes every corpus paste of kinds status, ping and netcheck (and a sample of
CLI errors and tailscaled logs) whose truth holds today, applies those edits alone and in pairs, and checks
the SAME facts with the judge (tests/diagnose/corpus_check.check_sample), plus one more: a paste that shows
a problem never turns into "no problems" (exit 0). Each edit says in a comment who makes it and why; an edit
that would hide a fact the truth states (a redacted address the truth quotes, a dropped OS column the truth
reads) declines that paste (returns None), so every deformed paste can still be read by an expert.

    python -m tests.diagnose.deform             # keep-their-reading counts per edit and per paste kind
    python -m tests.diagnose.deform --misses    # and every deformed paste that loses a fact
"""

from __future__ import annotations

import hashlib
import html
import random
import re
import sys
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from opskit.core.diagnose.status import KNOWN_OS
from tests.diagnose.corpus_check import NOTHING, check_sample, document_for, load_truth

Edit = Callable[[str, dict[str, Any]], "str | None"]

# A row of `tailscale status`: the Tailscale address (or a redaction of it) first, then the name.
_STATUS_ROW = re.compile(r"^(\s*)((?:100|fd7a)[.:][^\s]*|[\dx*.]{5,}|\*{3})(\s+)(\S+)(\s+)(\S+)(\s+)(\S+)(\s+)(.*)$")
_TS_IP = re.compile(r"\b100\.(?:6[4-9]|[7-9]\d|1[01]\d|12[0-7])\.\d{1,3}\.\d{1,3}\b|\bfd7a:115c:a1e0:[0-9a-f:]+")
_PUBLIC_ENDPOINT = re.compile(r"\b(?!100\.)(\d{1,3}(?:\.\d{1,3}){3}):(\d{1,5})\b")
_LATENCY_LINE = re.compile(r"^\s*-\s*[\w-]+:\s*[\d.]+\s*[mµu]?s\b")


def _kind(truth: dict[str, Any]) -> str:
    kinds = set(truth.get("kinds", []))
    for kind in ("tailscaled-log", "windows-error", "status", "netcheck", "ping"):
        if kind in kinds:
            return {"tailscaled-log": "log", "windows-error": "cli-error"}.get(kind, kind)
    return "other"


def _lines(text: str) -> list[str]:
    return text.split("\n")


def _content_indexes(lines: list[str]) -> list[int]:
    return [i for i, line in enumerate(lines) if line.strip() and not line.lstrip().startswith("```")]


def _status_rows(lines: list[str]) -> list[int]:
    return [i for i, line in enumerate(lines) if _STATUS_ROW.match(line)]


def _peer_keys(truth: dict[str, Any]) -> set[str]:
    return {key for peer in truth.get("peers", []) for key in peer}


# ------------------------------------------------------------------ comments people add after a row


def _comment(suffix: str) -> Edit:
    """A note typed after a row to point at it: on the middle content row and on the last one."""

    def edit(text: str, truth: dict[str, Any]) -> str | None:
        lines = _lines(text)
        rows = _status_rows(lines) or _content_indexes(lines)
        if not rows:
            return None
        for index in {rows[len(rows) // 2], rows[-1]}:
            lines[index] = lines[index].rstrip() + suffix
        return "\n".join(lines)

    return edit


def _note_line(note: str) -> Edit:
    """A note typed on a line of its own before the middle content line, indented like it (`// this is my
    laptop` above a peer's object in `status --json`, `<-- the broken one` above a row)."""

    def edit(text: str, truth: dict[str, Any]) -> str | None:
        lines = _lines(text)
        rows = _content_indexes(lines)
        if len(rows) < 2:
            return None
        index = rows[len(rows) // 2]
        indent = lines[index][: len(lines[index]) - len(lines[index].lstrip())]
        lines.insert(index, indent + note)
        return "\n".join(lines)

    return edit


# ------------------------------------------------------------------ columns dropped, blanked, redacted


def _status_column(column: int, blank: bool, fact: str | None) -> Edit:
    """A status column removed (a user trims what they think is noise: the owner, the OS) or blanked (an
    HTML table copied with an empty cell). Declines when the truth reads that column."""

    def edit(text: str, truth: dict[str, Any]) -> str | None:
        if fact is not None and fact in _peer_keys(truth):
            return None
        lines = _lines(text)
        rows = _status_rows(lines)
        if not rows:
            return None
        for index in rows:
            match = _STATUS_ROW.match(lines[index])
            assert match is not None
            parts = list(match.groups())  # indent, ip, sp, name, sp, owner, sp, os, sp, rest
            if column == 4 and parts[7].lower() not in KNOWN_OS:
                return None  # a row without an OS column (`100.x.x.x  device ... relay "sfo"`): nothing to drop
            slot = {1: 1, 3: 5, 4: 7}[column]
            parts[slot] = " " * len(parts[slot]) if blank else ""
            if not blank:
                parts[slot + 1] = ""
            lines[index] = "".join(parts)
        return "\n".join(lines)

    return edit


def _redact_tailscale_ips(token: str) -> Edit:
    """The 100.x / fd7a: addresses hidden a new way (forum habits: [REDACTED], a black bar, xx.xx.xx.xx,
    <ip>, *.*.*.*). Declines when the truth quotes an address."""

    def edit(text: str, truth: dict[str, Any]) -> str | None:
        if "ip" in _peer_keys(truth) or "target" in truth.get("ping", {}):
            return None
        changed = _TS_IP.sub(token, text)
        return changed if changed != text else None

    return edit


def _redact_endpoints(token: str) -> Edit:
    """A public endpoint hidden (the port kept, as people do): declines when the truth quotes it or reads
    its scope."""

    def edit(text: str, truth: dict[str, Any]) -> str | None:
        if "endpoint" in _peer_keys(truth) | set(truth.get("ping", {})) or "ipv4_scope" in truth.get("node", {}):
            return None
        changed = _PUBLIC_ENDPOINT.sub(lambda m: f"{token}:{m.group(2)}", text)
        return changed if changed != text else None

    return edit


# ------------------------------------------------------------------ separators


def _tabs(text: str, truth: dict[str, Any]) -> str | None:
    """Runs of spaces become one tab (an editor that re-tabs, a spreadsheet copy)."""
    changed = re.sub(r"(?<=\S) {2,}(?=\S)", "\t", text)
    return changed if changed != text else None


def _wide_spaces(text: str, truth: dict[str, Any]) -> str | None:
    """A status table re-aligned by hand: every gap in a row widened, the cell's own single spaces too
    (`46.48.65.87:1027,   tx 3091568  rx 2911324` was pasted so)."""
    lines = _lines(text)
    rows = _status_rows(lines)
    if not rows:
        return None
    for index in rows:
        lines[index] = re.sub(r"(?<=\S)(\s+)(?=\S)", lambda m: m.group(1) + "  ", lines[index])
    return "\n".join(lines)


def _markdown_table(text: str, truth: dict[str, Any]) -> str | None:
    """A status table turned into a Markdown table (GitHub users make one to look tidy), header row first."""
    lines = _lines(text)
    rows = _status_rows(lines)
    if not rows:
        return None
    for n, index in enumerate(rows):
        match = _STATUS_ROW.match(lines[index])
        assert match is not None
        cells = [match.group(g) for g in (2, 4, 6, 8, 10)]
        lines[index] = "| " + " | ".join(c.strip() for c in cells) + " |"
        if n == 0:
            lines[index] = "| IP | Name | Owner | OS | Status |\n|---|---|---|---|---|\n" + lines[index]
    return "\n".join(lines)


def _field_punctuation(mark: str) -> Edit:
    """A comma or semicolon after each status column (a user re-typing the table, a CSV-ish export)."""

    def edit(text: str, truth: dict[str, Any]) -> str | None:
        lines = _lines(text)
        rows = _status_rows(lines)
        if not rows:
            return None
        for index in rows:
            match = _STATUS_ROW.match(lines[index])
            assert match is not None
            g = match.groups()
            lines[index] = g[0] + "".join(g[i] + mark + g[i + 1] for i in (1, 3, 5, 7)) + g[9]
        return "\n".join(lines)

    return edit


# ------------------------------------------------------------------ elisions


def _elision(marker: str) -> Edit:
    """An elision marker put where the user cut lines (between the first and second content rows)."""

    def edit(text: str, truth: dict[str, Any]) -> str | None:
        lines = _lines(text)
        rows = _content_indexes(lines)
        if len(rows) < 3:
            return None
        indent = re.match(r"\s*", lines[rows[1]]).group()  # type: ignore[union-attr]
        lines.insert(rows[1], indent + marker)
        return "\n".join(lines)

    return edit


def _elided_latency(text: str, truth: dict[str, Any]) -> str | None:
    """A netcheck DERP latency replaced by `...` (the user cut the numbers they thought did not matter)."""
    lines = _lines(text)
    rows = [i for i, line in enumerate(lines) if _LATENCY_LINE.match(line)]
    if len(rows) < 3:
        return None
    index = rows[len(rows) // 2]
    code = re.match(r"^\s*-\s*([\w-]+):", lines[index]).group(1)  # type: ignore[union-attr]
    if code.lower() in {c.lower() for c in truth.get("node", {}).get("silent_regions", [])}:
        return None
    lines[index] = re.sub(r"[\d.]+\s*[mµu]?s\b", "...", lines[index], count=1)
    return "\n".join(lines)


# ------------------------------------------------------------------ prefixes per line


def _line_numbers(text: str, truth: dict[str, Any]) -> str | None:
    """`1 `, `2 `… before each line (a copy out of a pastebin or an editor gutter)."""
    lines = _lines(text)
    return "\n".join(f"{n + 1} {line}" if line.strip() else line for n, line in enumerate(lines))


def _clock_prefix(text: str, truth: dict[str, Any]) -> str | None:
    """`12:00:01 ` before each line (a terminal logger such as `ts` or a tmux log). Not for logs: they
    already carry their own stamp and a second one is the log-prefix catalog's business."""
    if _kind(truth) == "log":
        return None
    lines = _lines(text)
    return "\n".join(f"12:00:{n % 60:02d} {line}" if line.strip() else line for n, line in enumerate(lines))


def _root_prompt(text: str, truth: dict[str, Any]) -> str | None:
    """`[root@host ~]# ` on the first line only (the command line copied with its prompt, the output
    without)."""
    lines = _lines(text)
    first = _content_indexes(lines)
    if not first:
        return None
    command = {"status": "status", "netcheck": "netcheck", "ping": "ping 100.64.0.2"}.get(_kind(truth))
    if re.match(r"\s*(?:[$#>]\s*)?(?:sudo\s+)?tailscale\b", lines[first[0]]):
        lines[first[0]] = "[root@host ~]# " + re.sub(r"^\s*(?:[$#>]\s*)?", "", lines[first[0]])
    elif command is not None:
        lines.insert(first[0], f"[root@host ~]# tailscale {command}")
    else:
        return None
    return "\n".join(lines)


# ------------------------------------------------------------------ characters a web copy brings


def _html_entities(text: str, truth: dict[str, Any]) -> str | None:
    """`&gt;`, `&quot;`, `&amp;` and `&nbsp;` left in (a copy of a page's HTML source, or a forum that
    escapes twice)."""
    changed = html.escape(text, quote=True).replace("&#x27;", "'")
    changed = re.sub(r"(?<=\S)  (?=\S)", "&nbsp; ", changed)
    return changed if changed != text else None


def _nbsp(text: str, truth: dict[str, Any]) -> str | None:
    """Non-breaking spaces for the spaces between words (copied from a rendered web page)."""
    changed = text.replace("  ", "\u00a0 ").replace(" ", "\u00a0")
    return changed if changed != text else None


def _zero_width(text: str, truth: dict[str, Any]) -> str | None:
    """Zero-width spaces at line starts and after `:` (chat apps and some forums insert them)."""
    lines = _lines(text)
    changed = "\n".join("\u200b" + line if line.strip() else line for line in lines)
    return changed.replace(": ", ":\u200b ")


def _full_width(text: str, truth: dict[str, Any]) -> str | None:
    """Full-width colons and ideographic spaces in the report's own lines (a CJK input method left on while
    tidying a netcheck report's bullets): not in log records or health messages, which nobody re-types."""
    lines = _lines(text)
    for index, line in enumerate(lines):
        if re.match(r"\s*(?:\*\s|-\s+[\w-]+:|Report:)", line):
            lines[index] = re.sub(r":(?= )", "\uff1a", line, count=1).replace("    ", "\u3000\u3000")
    changed = "\n".join(lines)
    return changed if changed != text else None


def _translated_header(text: str, truth: dict[str, Any]) -> str | None:
    """The header line translated (`Report:` → `报告：`) or a translated caption line added above."""
    if "Report:" in text:
        return text.replace("Report:", "报告：", 1)
    return "以下是输出 / voici la sortie :\n" + text


# ------------------------------------------------------------------ line shapes


def _soft_wrap(width: int) -> Edit:
    """Long lines wrapped at ``width`` columns at a space (a mail client, a narrow forum text box)."""

    def edit(text: str, truth: dict[str, Any]) -> str | None:
        out: list[str] = []
        for line in _lines(text):
            while len(line) > width and " " in line[1:width]:
                cut = line.rfind(" ", 1, width)
                out.append(line[:cut])
                line = line[cut + 1 :]
            out.append(line)
        changed = "\n".join(out)
        return changed if changed != text else None

    return edit


def _trailing_cr(text: str, truth: dict[str, Any]) -> str | None:
    """`\\r` left at each line end (a Windows copy pasted into a Unix editor, sometimes doubled)."""
    return "\n".join(line + ("\r\r" if n % 2 else "\r") for n, line in enumerate(_lines(text)))


EDITS: dict[str, Edit] = {
    "comment-hash": _comment("  # my NAS"),
    "comment-arrow": _comment("   <-- this one"),
    "comment-cjk": _comment("  // 这是家里的"),
    "comment-paren": _comment("  (offline since monday)"),
    "comment-line": _note_line("// this is my laptop"),
    "drop-owner": _status_column(3, blank=False, fact=None),
    "drop-os": _status_column(4, blank=False, fact="os"),
    "blank-owner": _status_column(3, blank=True, fact=None),
    "blank-ip": _status_column(1, blank=True, fact="ip"),
    "redact-REDACTED": _redact_tailscale_ips("[REDACTED]"),
    "redact-bar": _redact_tailscale_ips("█████"),
    "redact-xx": _redact_tailscale_ips("xx.xx.xx.xx"),
    "redact-angle": _redact_tailscale_ips("<ip>"),
    "redact-stars": _redact_tailscale_ips("*.*.*.*"),
    "redact-endpoint": _redact_endpoints("xx.xx.xx.xx"),
    "tabs": _tabs,
    "wide-spaces": _wide_spaces,
    "markdown-table": _markdown_table,
    "commas": _field_punctuation(","),
    "semicolons": _field_punctuation(";"),
    "elide-dots": _elision("..."),
    "elide-ellipsis": _elision("…"),
    "elide-snip": _elision("[snip]"),
    "elide-more": _elision("(12 more lines)"),
    "elide-latency": _elided_latency,
    "line-numbers": _line_numbers,
    "clock-prefix": _clock_prefix,
    "root-prompt": _root_prompt,
    "html-entities": _html_entities,
    "nbsp": _nbsp,
    "zero-width": _zero_width,
    "full-width": _full_width,
    "translated-header": _translated_header,
    "wrap-60": _soft_wrap(60),
    "wrap-80": _soft_wrap(80),
    "wrap-100": _soft_wrap(100),
    "trailing-cr": _trailing_cr,
}

# Edits only tried on status/ping/netcheck pastes: a log line or a CLI refusal has no columns, and its
# long lines wrapped are the wrapped-paste catalogs' business.
TABLE_ONLY = {"drop-owner", "drop-os", "blank-owner", "blank-ip", "markdown-table", "commas", "semicolons",
              "elide-latency", "wrap-60", "wrap-80", "wrap-100", "full-width"}  # fmt: skip
TABLE_KINDS = ("status", "ping", "netcheck")


@dataclass(frozen=True)
class Case:
    """One corpus paste under one or two edits."""

    file: str
    kind: str
    edits: tuple[str, ...]


# The pastes deformed are fixed by batch, so a new blind batch (its pastes judged once, then fixed) does not
# move the ceilings in test_deformed_pastes.py under the developers' feet: raise this when a round works on
# deformations and measures the new batches too.
DEFORMED_THROUGH_BATCH = 24
# One CLI-error or log paste in SAMPLE_EVERY is deformed, chosen by a hash of its file name, so the sample
# stays the same when other pastes join the corpus or an open miss is fixed (a seeded draw over the whole
# group changed with every paste added).
SAMPLE_EVERY = 12


def _sampled(file: str) -> bool:
    return int(hashlib.sha256(file.encode()).hexdigest()[:8], 16) % SAMPLE_EVERY == 0


def eligible_truths() -> list[dict[str, Any]]:
    """The corpus truths deformed: every status/ping/netcheck paste right today, and a stable sample of the
    CLI-error and tailscaled-log pastes right today, from the batches up to DEFORMED_THROUGH_BATCH."""
    picked: list[dict[str, Any]] = []
    for truth in load_truth():
        if "open_miss" in truth or truth.get("recognised", True) is not True:
            continue
        if truth.get("blind_batch", 0) > DEFORMED_THROUGH_BATCH:
            continue
        kind = _kind(truth)
        if kind in TABLE_KINDS or (kind in ("cli-error", "log") and _sampled(truth["file"])):
            picked.append(truth)
    return picked


def deform(truth: dict[str, Any], text: str, edits: tuple[str, ...]) -> str | None:
    """``text`` under ``edits`` in order (None when one declines the paste)."""
    for name in edits:
        if name in TABLE_ONLY and _kind(truth) not in TABLE_KINDS:
            return None
        result = EDITS[name](text, truth)
        if result is None:
            return None
        text = result
    return text


def problems_after(truth: dict[str, Any], original: dict[str, Any] | None, text: str) -> list[str]:
    """The judge's misses on the deformed paste, plus a problem shown before and hidden after."""
    from opskit.core.diagnose.engine import InputText, diagnose
    from opskit.errors import InputError
    from opskit.output.diagnose import to_json

    try:
        diagnosis = diagnose([InputText("deformed", truth["file"], text)])
        document = to_json(diagnosis, 1 if diagnosis.has_problems else 0)
    except InputError:
        document = None
    problems = check_sample(truth, document)
    if original is not None and original["summary"]["exit_code"] == 1:
        if document is not None and document["summary"]["exit_code"] == 0:
            problems.append("a problem shown before the edit became 'no problems' (exit 0)")
        elif document is None and NOTHING not in problems:
            problems.append(NOTHING)
    return problems


def cases(truths: list[dict[str, Any]], pairs_per_paste: int = 3) -> Iterator[Case]:
    """Every edit alone on every paste, then ``pairs_per_paste`` seeded pairs per paste."""
    names = sorted(EDITS)
    for truth in truths:
        for name in names:
            yield Case(truth["file"], _kind(truth), (name,))
        rng = random.Random(truth["file"])
        for _ in range(pairs_per_paste):
            yield Case(truth["file"], _kind(truth), tuple(rng.sample(names, 2)))


def run(truths: list[dict[str, Any]], pairs_per_paste: int = 3) -> list[tuple[Case, list[str] | None]]:
    """Each case with the judge's misses (None: an edit declined the paste)."""
    from tests.diagnose.corpus_check import CORPUS

    results: list[tuple[Case, list[str] | None]] = []
    originals = {t["file"]: document_for(t["file"]) for t in truths}
    texts = {t["file"]: (CORPUS / t["file"]).read_text(encoding="utf-8") for t in truths}
    by_file = {t["file"]: t for t in truths}
    for case in cases(truths, pairs_per_paste):
        truth = by_file[case.file]
        text = deform(truth, texts[case.file], case.edits)
        if text is None or text == texts[case.file]:
            results.append((case, None))
            continue
        results.append((case, problems_after(truth, originals[case.file], text)))
    return results


def main(argv: list[str]) -> int:
    truths = eligible_truths()
    results = run(truths)
    kept: Counter[tuple[str, str]] = Counter()
    tried: Counter[tuple[str, str]] = Counter()
    for case, problems in results:
        if problems is None:
            continue
        label = case.edits[0] if len(case.edits) == 1 else "(pairs)"
        for key in ((label, case.kind), (label, "all"), ("ALL", case.kind), ("ALL", "all")):
            tried[key] += 1
            kept[key] += not problems
    kinds = ["status", "ping", "netcheck", "cli-error", "log", "all"]
    print(f"{'edit':<20}" + "".join(f"{k:>14}" for k in kinds))
    for label in [*sorted(EDITS), "(pairs)", "ALL"]:
        cells = [f"{kept[label, k]}/{tried[label, k]}" if tried[label, k] else "-" for k in kinds]
        print(f"{label:<20}" + "".join(f"{c:>14}" for c in cells))
    if "--misses" in argv:
        for case, problems in results:
            if problems:
                print(f"{case.file} {'+'.join(case.edits)}: {problems[0][:200]}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
