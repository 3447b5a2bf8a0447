"""Split one pasted input into blocks of one output kind each, recognised by content.

A paste may hold several outputs and noise: log lines before ``Report:``, shell prompts, Markdown
fences, ``whoami`` output, a cut-off last line. Known noise is dropped silently; lines that are
neither Tailscale output nor known noise are returned as :class:`SkippedRun` so the caller can warn.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from opskit.core.diagnose.models import BlockKind
from opskit.core.diagnose.netcheck import (
    is_netcheck_line,
    is_netcheck_log_line,
    is_region_line,
    looks_like_netcheck_json,
    parse_json_text,
)
from opskit.core.diagnose.ping import is_os_ping_line, is_ping_line
from opskit.core.diagnose.status import is_status_line
from opskit.core.diagnose.text import SourceLine, split_lines
from opskit.core.diagnose.windows import is_windows_error_line

# Lines tailscale prints around a report that carry no diagnosis (stderr, debug logs, banners).
_NOISE = re.compile(
    r"^(?:\d{4}/\d{2}/\d{2} \d{2}:\d{2}:\d{2}(?:\.\d+)? .*portmap: |portmap: |netcheck: UDP test failure|"
    r"No DERP map from tailscaled|attempting to fetch a DERPMap|# Warning: this JSON format|"
    r"Warning: this JSON format|\.\.\.+$|\u2026+$|Serving Tailscale status at )"
)
_MAX_JSON_LINES = 2000


@dataclass(frozen=True)
class Block:
    kind: BlockKind
    lines: tuple[SourceLine, ...]
    command: str | None = None  # the shell command shown before the block, if any
    json_document: object | None = field(default=None, compare=False)
    log_form: bool = False  # a single tailscaled log line (report: / NetInfo{})


@dataclass(frozen=True)
class SkippedRun:
    lines: tuple[SourceLine, ...]
    reason: str

    @property
    def span(self) -> str:
        first, last = self.lines[0].number, self.lines[-1].number
        return f"line {first}" if first == last else f"lines {first}-{last}"


@dataclass(frozen=True)
class SplitInput:
    blocks: tuple[Block, ...]
    skipped: tuple[SkippedRun, ...]
    whoami: SourceLine | None = None
    admin_member: bool | None = None
    line_count: int = 0
    elevated: bool | None = None


def _is_tailscale_command(command: str | None) -> bool:
    return bool(command) and "tailscale" in (command or "").lower()


def _json_end(lines: list[SourceLine], start: int) -> int | None:
    """Index of the line closing the JSON object that opens at ``start`` (brace counting)."""
    depth = 0
    in_string = escaped = False
    for index in range(start, min(len(lines), start + _MAX_JSON_LINES)):
        for char in lines[index].text:
            if in_string:
                if escaped:
                    escaped = False
                elif char == "\\":
                    escaped = True
                elif char == '"':
                    in_string = False
            elif char == '"':
                in_string = True
            elif char == "{":
                depth += 1
            elif char == "}":
                depth -= 1
                if depth == 0:
                    return index
    return None


def classify_line(text: str, in_netcheck: bool) -> BlockKind | None:
    """The output kind a single line belongs to, or None."""
    if is_netcheck_line(text) or (in_netcheck and is_region_line(text)):
        return BlockKind.NETCHECK
    if is_ping_line(text):
        return BlockKind.PING
    if is_windows_error_line(text):
        return BlockKind.WINDOWS
    if is_status_line(text):
        return BlockKind.STATUS
    if is_os_ping_line(text):
        return BlockKind.OS_PING
    return None


def split_input(text: str) -> SplitInput:
    """Split a paste into typed blocks, skipped-line runs and context (``whoami``)."""
    lines = split_lines(text)
    blocks: list[Block] = []
    skipped: list[SkippedRun] = []
    current: list[SourceLine] = []
    current_kind: BlockKind | None = None
    current_command: str | None = None
    block_command: str | None = None
    seen_keys: set[str] = set()
    pending_skip: list[SourceLine] = []
    skip_reason = ""
    whoami: SourceLine | None = None
    admin_member: bool | None = None
    elevated: bool | None = None
    command_output_lines = 0

    def close_block() -> None:
        nonlocal current, current_kind, seen_keys
        if current and current_kind is not None:
            blocks.append(Block(current_kind, tuple(current), block_command))
        current, current_kind, seen_keys = [], None, set()

    def flush_skip() -> None:
        nonlocal pending_skip
        if pending_skip:
            skipped.append(SkippedRun(tuple(pending_skip), skip_reason))
        pending_skip = []

    def skip(line: SourceLine, reason: str) -> None:
        nonlocal skip_reason
        if pending_skip and reason != skip_reason:
            flush_skip()
        skip_reason = reason
        pending_skip.append(line)

    index = 0
    while index < len(lines):
        line = lines[index]
        index += 1
        if line.is_blank:
            continue
        if line.command is not None:
            close_block()
            flush_skip()
            current_command = line.command
            command_output_lines = 0
            continue
        command_output_lines += 1
        text = line.text
        # Context from non-Tailscale commands that the diagnosis can use.
        if current_command and current_command.strip().lower() == "whoami" and command_output_lines == 1:
            whoami = line
            continue
        if current_command and "net session" in current_command.lower():
            # The common "am I elevated?" one-liner: `net session >nul 2>&1 && echo ... || echo ...`.
            lowered = text.lower()
            if "elevated" in lowered:
                elevated = "not" not in lowered
                continue
        if current_command and current_command.lower().startswith("whoami /groups"):
            if "BUILTIN\\Administrators" in text or "S-1-5-32-544" in text:
                admin_member = True
            skip(line, f"output of `{current_command}`")
            continue
        if text.startswith("{") and (current_kind is None or current_kind is not BlockKind.NETCHECK):
            end = _json_end(lines, index - 1)
            if end is not None:
                chunk = lines[index - 1 : end + 1]
                document = parse_json_text("\n".join(x.text for x in chunk))
                if looks_like_netcheck_json(document):
                    close_block()
                    flush_skip()
                    blocks.append(Block(BlockKind.NETCHECK, tuple(chunk), current_command, document))
                    index = end + 1
                    continue
        if is_netcheck_log_line(text):
            close_block()
            flush_skip()
            blocks.append(Block(BlockKind.NETCHECK, (line,), current_command, log_form=True))
            continue
        kind = classify_line(text, current_kind is BlockKind.NETCHECK)
        if kind is None:
            if _NOISE.match(text):
                continue
            if current_command and not _is_tailscale_command(current_command):
                skip(line, f"output of `{current_command}`, not a Tailscale command")
            elif not any(x.text for x in lines[index:]):
                skip(line, "not recognised (the last line, probably cut off)")
            else:
                skip(line, "not recognised")
            continue
        flush_skip()
        if kind is BlockKind.NETCHECK:
            key = text.split(":", 1)[0].lstrip("*\u2022- ").strip() if not text.startswith("-") else ""
            new_report = text == "Report:" or (key and key in seen_keys)
            if current_kind is BlockKind.NETCHECK and new_report:
                close_block()
            if key and text != "Report:":
                seen_keys.add(key)
        if kind is not current_kind:
            close_block()
            current_kind = kind
            block_command = current_command
        current.append(line)
    close_block()
    flush_skip()
    return SplitInput(tuple(blocks), tuple(skipped), whoami, admin_member, len(lines), elevated)
