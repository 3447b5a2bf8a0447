"""Ansible run output (``ansible-playbook``'s default and YAML callbacks) embedding Tailscale commands.

Fleets are run through Ansible, so a paste is often a playbook's log: ``TASK [name] ***`` banners, one result
per host (``ok: [host] => {json}``, ``changed: [host] => (item=…) => {json}``, ``fatal: [host]: FAILED! =>
{json}``, ``failed: [host] (item=…) => {json}``, the multi-line ``=> {`` … ``}`` form of ``debug``/``-v``, the
YAML callback's ``cmd:`` / ``stdout: |-`` blocks) and a ``PLAY RECAP`` row per host. A result whose ``cmd``
runs ``tailscale``/``tailscaled``/``headscale`` holds that command's output (``stdout``/``stderr`` as JSON
strings, ``stdout_lines`` where stdout is absent): :func:`transcript` turns it into the typed command and its
output, under the result line's number, so the same readers a plain paste goes through read it.

Order matters: a host's earlier reading that a later task changed (``status`` stopped, then ``up`` succeeding)
is history, not the state at the end: per host only the last result of each command is read, and nothing
before the host's last successful state change (``up``, ``login``, ``down``, …). Task names, module results
and the recap are never read as Tailscale output. A result the poster trimmed (broken JSON) is read for the
fields it still shows.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from opskit.core.diagnose.text import SourceLine

# The result line of the default callback (the host may carry a delegation: `[web1 -> 127.0.0.1]`)
_RESULT = re.compile(
    r"^(?P<status>ok|changed|fatal|failed|skipping|ignored|rescued|unreachable): \[(?P<host>[^\]]+)\]"
    r"(?::? (?:FAILED|UNREACHABLE)!)?(?P<rest>.*)$"
)
_BANNER = re.compile(r"^(?:TASK|RUNNING HANDLER|PLAY) \[(?P<name>.*)\] \**$")
_RECAP_ROW = re.compile(
    r"^(?P<host>\S+)\s+: ok=(?P<ok>\d+)\s+changed=\d+\s+unreachable=(?P<unreachable>\d+)\s+failed=(?P<failed>\d+)"
)
# The programs a result's command may run: the CLI, the daemon, Headscale (any path, .exe)
_PROGRAMS = frozenset({"tailscale", "tailscaled", "headscale", "tailscale.exe", "tailscaled.exe"})
# What may stand before the program in a command line: a privilege or environment wrapper, a shell's `-c`, a
# container's `exec <name>`, a list separator (flags and VAR=value skipped); after anything else the name is an
# argument (`systemctl restart tailscaled`, `apt-get install tailscale`), not the program run
_RUNS_NEXT = frozenset({"sudo", "doas", "env", "sh", "bash", "ash", "zsh", "exec", ";", "&&", "||", "|", "then", "do"})
_NAMES_TAILSCALE = re.compile(r"tailscale|headscale", re.IGNORECASE)
_STATE_CHANGES = frozenset({"up", "login", "logout", "down", "set", "switch", "start", "stop"})
_JSON_STRING = r'"(?:[^"\\]|\\.)*"?'
_FIELD = r'(?<![\\\w])"{name}"\s*:\s*'
_LIST_ITEM = re.compile(r"\s*(" + _JSON_STRING + r")\s*(?P<end>[,\]]|$)")
_ESCAPES = {"n": "\n", "t": "\t", "r": "", '"': '"', "\\": "\\", "/": "/", "b": "", "f": ""}


@dataclass(frozen=True)
class AnsibleResult:
    """One task result of one host: its status word, its task, and, for a command, what it ran and printed."""

    host: str
    status: str  # ok, changed, fatal, failed, skipping, …
    task: str
    line: SourceLine  # the result line (`ok: [host] => {…}`): the evidence of everything read from it
    command: str | None = None  # the command as typed (list form joined), from the Tailscale word on
    rc: int | None = None
    stdout: str = ""
    stderr: str = ""
    lines: tuple[int, ...] = ()  # every input line number the result spans

    @property
    def succeeded(self) -> bool:
        return self.status in {"ok", "changed"} and (self.rc is None or self.rc == 0)


@dataclass(frozen=True)
class RecapRow:
    host: str
    ok: int
    unreachable: int
    failed: int
    line: SourceLine


@dataclass(frozen=True)
class AnsibleRun:
    """What an Ansible run showed: every host's Tailscale command results (in order) and the recap."""

    results: tuple[AnsibleResult, ...]
    recap: tuple[RecapRow, ...] = ()
    fatal_hosts: tuple[str, ...] = ()  # hosts with a fatal/failed result of any task
    unreachable: tuple[AnsibleResult, ...] = ()  # `fatal: [h]: UNREACHABLE! => …` results
    structure: frozenset[int] = field(default_factory=frozenset)  # banners, results, recap: Ansible's own lines
    names_tailscale: bool = False  # a play or task name names Tailscale/Headscale (a role run; never output)

    @property
    def hosts(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(result.host for result in self.results))

    @property
    def about_tailscale(self) -> bool:
        """The run ran a Tailscale command, or could not reach a host to run a play that names Tailscale."""
        return bool(self.results) or (
            self.names_tailscale and bool(self.unreachable or any(row.unreachable for row in self.recap))
        )

    @property
    def succeeded(self) -> bool:
        """Every recap row says failed=0 unreachable=0, and no task failed."""
        return bool(self.recap) and not self.fatal_hosts and all(not r.failed and not r.unreachable for r in self.recap)


def looks_like_ansible_run(text: str) -> bool:
    """A cheap test first (any spacing: a paste's non-breaking spaces): a banner or a recap, a bracket."""
    # the bracket first: one memchr, and most pastes that are no Ansible run hold none (the words are three scans)
    return "[" in text and ("TASK" in text or "HANDLER" in text or "RECAP" in text)


def _decode(body: str) -> str:
    """A JSON string's content; one the poster cut or edited (`\\}`, no closing quote) decoded as far as it goes."""
    try:
        value = json.loads('"' + body + '"')
        return value if isinstance(value, str) else body
    except ValueError:
        pass
    out: list[str] = []
    i = 0
    while i < len(body):
        char = body[i]
        if char == "\\" and i + 1 < len(body):
            nxt = body[i + 1]
            if nxt == "u" and re.fullmatch(r"[0-9a-fA-F]{4}", body[i + 2 : i + 6]):
                out.append(chr(int(body[i + 2 : i + 6], 16)))
                i += 6
                continue
            out.append(_ESCAPES.get(nxt, nxt))
            i += 2
            continue
        out.append(char)
        i += 1
    return "".join(out)


def _string_field(text: str, name: str) -> str | None:
    match = re.search(_FIELD.format(name=name) + "(" + _JSON_STRING + ")", text)
    if match is None:
        return None
    quoted = match.group(1)
    return _decode(quoted[1:-1] if len(quoted) > 1 and quoted.endswith('"') else quoted[1:])


def _list_field(text: str, name: str) -> list[str] | None:
    match = re.search(_FIELD.format(name=name) + r"\[", text)
    if match is None:
        return None
    items: list[str] = []
    rest, at = text[match.end() :], 0
    while (item := _LIST_ITEM.match(rest, at)) is not None:  # item by item from the bracket: `[]` holds none
        quoted = item.group(1)
        items.append(_decode(quoted[1:-1] if quoted.endswith('"') and len(quoted) > 1 else quoted[1:]))
        if item.group("end") != ",":
            break
        at = item.end()
    return items


def _fields(body: str) -> dict[str, Any]:
    """The members of a result's JSON: parsed when whole, else read field by field (a trimmed result)."""
    try:
        document = json.loads(body)
        if isinstance(document, dict):
            return document
    except (ValueError, RecursionError):  # cut short, edited, or nested past the decoder's depth (a hostile paste)
        pass
    fields: dict[str, Any] = {}
    command = _list_field(body, "cmd")
    fields["cmd"] = command if command is not None else _string_field(body, "cmd")
    if (rc := re.search(_FIELD.format(name="rc") + r"(-?\d+)", body)) is not None:
        fields["rc"] = int(rc.group(1))
    for name in ("stdout", "stderr"):
        if (value := _string_field(body, name)) is not None:
            fields[name] = value
        if (listed := _list_field(body, name + "_lines")) is not None:
            fields[name + "_lines"] = listed
    return fields


def _yaml_scalar(value: str) -> str:
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] == "'":
        return value[1:-1].replace("''", "'")
    if len(value) >= 2 and value[0] == value[-1] == '"':
        return _decode(value[1:-1])
    return value


def _yaml_fields(lines: Sequence[str]) -> dict[str, Any]:
    """The YAML callback's members (`cmd:` and its `- word` items, `rc: 1`, `stdout: |-` and its indented
    block): enough of YAML for a command result, nothing else."""
    fields: dict[str, Any] = {}
    i = 0
    while i < len(lines):
        line = lines[i]
        indent = len(line) - len(line.lstrip())
        key, sep, value = line.strip().partition(":")
        i += 1
        if not sep or not re.fullmatch(r"[a-z_]+", key):
            continue
        value = value.strip()
        if value in {"|-", "|", ">-", ">", "|+"}:
            block: list[str] = []
            while i < len(lines) and (not lines[i].strip() or len(lines[i]) - len(lines[i].lstrip()) > indent):
                block.append(lines[i])
                i += 1
            depth = min((len(b) - len(b.lstrip()) for b in block if b.strip()), default=0)
            fields[key] = "\n".join(b[depth:] for b in block).rstrip("\n")
        elif not value:
            items: list[str] = []
            while (
                i < len(lines)
                and lines[i].strip().startswith("- ")
                and len(lines[i]) - len(lines[i].lstrip()) >= indent
            ):
                items.append(_yaml_scalar(lines[i].strip()[2:]))
                i += 1
            fields[key] = items
        elif key == "rc" and re.fullmatch(r"-?\d+", value):
            fields[key] = int(value)
        else:
            fields[key] = _yaml_scalar(value)
    return fields


def _command(cmd: object) -> str | None:
    """The command as typed from the Tailscale program on (`sudo`, `docker exec <c>`, `sh -c '` before it
    dropped); None when the command runs another program (`systemctl restart tailscaled`)."""
    if isinstance(cmd, list):
        words = [str(word) for word in cmd]
        if "-c" in words[:-1]:  # ["sh", "-c", "tailscale status --json"]: the shell's command line
            return _command(words[words.index("-c") + 1])
    elif isinstance(cmd, str):
        words = cmd.strip().split("\n", 1)[0].split()
    else:
        return None
    for n, word in enumerate(words):
        if word.strip("'\"();&|").replace("\\", "/").rsplit("/", 1)[-1].lower() not in _PROGRAMS:
            continue
        before = [w for w in words[:n] if not w.startswith("-") and "=" not in w]
        if (
            not before
            or word.startswith(("'", '"', "("))
            or words[n - 1].endswith((";", "&&", "|"))
            or before[-1] in _RUNS_NEXT
            or (len(before) >= 2 and before[-2] == "exec")
        ):
            if isinstance(cmd, list):
                return " ".join(w if w and not re.search(r"\s", w) else "'" + w + "'" for w in words[n:])
            command = " ".join(words[n:])
            opening = word[:1] if word[:1] in {"'", '"', "("} else ""  # `sh -c 'tailscale status'`
            closing = {"(": ")"}.get(opening, opening)
            return command[1:].rstrip(closing + ";") if opening else command.rstrip(";")
    return None


def _output(fields: dict[str, Any], name: str) -> str:
    value = fields.get(name)
    if isinstance(value, str) and (value.strip() or not isinstance(fields.get(name + "_lines"), list)):
        return value
    listed = fields.get(name + "_lines")
    if isinstance(listed, list):
        return "\n".join(str(item) for item in listed)
    return value if isinstance(value, str) else ""


def _column(line: SourceLine) -> int:
    """Where the line's text starts in the pasted line (after any quote marker or indent the paste carries)."""
    return line.raw.find(line.text[:1]) if line.text else -1


def read_ansible_run(lines: Sequence[SourceLine]) -> AnsibleRun | None:
    """The run's Tailscale command results and recap; None when the paste holds no Ansible result at all."""
    results: list[AnsibleResult] = []
    recap: list[RecapRow] = []
    fatal_hosts: list[str] = []
    unreachable: list[AnsibleResult] = []
    task = ""
    structure: set[int] = set()
    names_tailscale = False
    seen_result = False
    in_recap = False
    i = 0
    while i < len(lines):
        line = lines[i]
        raw = line.text  # cleaned: a quote marker, a tab indent, non-breaking spaces gone
        i += 1
        if (banner := _BANNER.match(raw)) is not None:
            task = banner.group("name")
            structure.add(line.number)
            names_tailscale = names_tailscale or _NAMES_TAILSCALE.search(task) is not None
            in_recap = False
            continue
        if raw.startswith("PLAY RECAP"):
            in_recap = True
            structure.add(line.number)
            continue
        if raw.startswith(("ASYNC OK on ", "ASYNC FAILED on ", "ASYNC POLL on ")):
            structure.add(line.number)
            continue
        if in_recap and (row := _RECAP_ROW.match(raw)) is not None:
            structure.add(line.number)
            recap.append(
                RecapRow(
                    row.group("host"),
                    int(row.group("ok")),
                    int(row.group("unreachable")),
                    int(row.group("failed")),
                    line,
                )
            )
            continue
        if "[" not in raw or (result := _RESULT.match(raw)) is None:
            continue
        seen_result = True
        status = result.group("status")
        host = result.group("host").split(" -> ")[0].strip()
        rest = result.group("rest")
        numbers = [line.number]
        structure.add(line.number)
        if "UNREACHABLE!" in raw or status == "unreachable":
            unreachable.append(AnsibleResult(host, "unreachable", task, line, lines=tuple(numbers)))
            continue
        if status in {"fatal", "failed"}:
            fatal_hosts.append(host)
        body_at = rest.find("=> {")
        fields: dict[str, Any]
        if body_at >= 0:
            body = rest[body_at + 3 :]
            if body.strip() == "{":  # the multi-line form: up to the closing brace in the result's column
                body_lines = [body]
                while i < len(lines):
                    body_lines.append(lines[i].text)
                    numbers.append(lines[i].number)
                    i += 1
                    if lines[i - 1].text == "}" and _column(lines[i - 1]) <= _column(line):
                        break
                body = "\n".join(body_lines)
            fields = _fields(body)
        elif "=> " in rest:
            # the YAML callback: `=> changed=true` then members indented under the result line
            yaml_lines: list[str] = []
            while i < len(lines) and (not lines[i].text or _column(lines[i]) > _column(line)):
                if not lines[i].text and (i + 1 >= len(lines) or _column(lines[i + 1]) <= _column(line)):
                    break  # a blank line, then the next task: the result ended
                yaml_lines.append(" " * max(0, _column(lines[i]) - _column(line)) + lines[i].text)
                numbers.append(lines[i].number)
                i += 1
            fields = _yaml_fields(yaml_lines)
        else:
            continue
        structure.update(numbers)
        command = _command(fields.get("cmd"))
        if command is None:
            continue
        rc = fields.get("rc")
        results.append(
            AnsibleResult(
                host,
                status,
                task,
                line,
                command,
                rc if isinstance(rc, int) else None,
                _output(fields, "stdout"),
                _output(fields, "stderr"),
                tuple(numbers),
            )
        )
    if not seen_result:
        return None
    return AnsibleRun(
        tuple(results),
        tuple(recap),
        tuple(dict.fromkeys(fatal_hosts)),
        tuple(unreachable),
        frozenset(structure),
        names_tailscale,
    )


def _subcommand(command: str) -> str:
    words = [word for word in command.split()[1:] if not word.startswith("-")]
    return words[0] if words else ""


def current_results(run: AnsibleRun, host: str) -> list[AnsibleResult]:
    """The host's results that show its state at the end: the last of each command, none before its last
    successful state change (what `up` changed an earlier `status` showed; a failed `up` a later one fixed)."""
    own = [result for result in run.results if result.host == host]
    changes = [
        n for n, result in enumerate(own) if result.succeeded and _subcommand(result.command or "") in _STATE_CHANGES
    ]
    start = changes[-1] if changes else 0
    kept = own[start:]
    last_of: dict[str, int] = {}
    for n, result in enumerate(kept):
        last_of[result.command or ""] = n
    return [result for n, result in enumerate(kept) if last_of[result.command or ""] == n]


def transcript(lines: Sequence[SourceLine], run: AnsibleRun, host: str | None) -> list[SourceLine]:
    """The paste as the host's Tailscale commands and what they printed: each current result becomes the typed
    command and its output lines under the result line's number; Ansible's own lines are blank (banners, task
    names, other modules' and other hosts' results, the recap are not Tailscale output), the rest as pasted."""
    current = current_results(run, host) if host is not None else []
    by_line: dict[int, AnsibleResult] = {result.line.number: result for result in current}
    out: list[SourceLine] = []
    for line in lines:
        result = by_line.get(line.number)
        if result is None or result.command is None:
            blank = line.number in run.structure
            out.append(SourceLine(line.number, "", line.raw, None) if blank else line)
            continue
        out.append(SourceLine(line.number, result.command, line.raw, result.command))
        for text in (result.stdout + "\n" + result.stderr).split("\n"):
            out.append(SourceLine(line.number, text.strip(), line.raw, None))
    return out
