"""The CLI's routine answers as a view: output that says a command did what it was asked (clianswers.py knows them).

A paste of nothing but such answers is Tailscale's output all the same: ``tailscale cert <name>`` answering
``Public cert unchanged at …`` / ``Private key unchanged at …`` (the certificate on disk is already current, nothing
was written), ``Wrote public cert to …``, ``switch``'s ``Switching to account "…"``, ``update``'s ``Current: X,
Latest: Y``, ``file get``'s ``wrote X as Y (N bytes)``, and the rest of clianswers.py's list. The view says which
command answered (the typed command, else what the answer itself shows) and what each answer says in plain words: the
words are clianswers.py's, next to each answer's pattern (``answer_says``); this module keeps the view's own concerns
(the typed command, secrets, which lines belong to one answer).

Secrets are never repeated: ``id-token``'s token, ``debug local-creds``' curl command and its token, ``debug env``'s
values and ``lock init``'s disablement secrets show as "(secret not shown)".
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from opskit.core.diagnose.clianswers import (
    SECRET_ANSWER_COMMANDS,
    SECRET_ANSWER_PREFIXES,
    answer_says,
    answering_command,
    without_stamp,
)
from opskit.core.diagnose.text import SourceLine

# a typed `tailscale [global flags] <subcommand> [<sub-subcommand>] …`: the words naming the command
_TYPED = re.compile(
    r"\btailscale(?:\.exe)?[\"']?\s+(?:--?\S+\s+)*(?P<first>[a-z][\w-]*)(?:\s+(?P<second>[a-z][\w-]*))?"
)
# commands whose first word is a group: the second word names the command (`debug via`, `lock init`, `file get`)
_GROUPS = ("debug", "lock", "configure", "file", "dns", "drive", "service", "metrics", "syspolicy", "exit-node")
_SECRET = "(secret not shown)"


@dataclass(frozen=True)
class CliAnswer:
    """One answer: the command that printed it and what it says (never a secret)."""

    command: str | None
    says: str
    line: int


@dataclass(frozen=True)
class CliAnswerReport:
    """Routine answers of the CLI: which command answered, and what each answer says."""

    rule_target: ClassVar[str] = "cli-answer"
    typed: str | None  # the command typed above the answers ("cert"), None when no prompt shows it
    answers: tuple[CliAnswer, ...]
    lines: tuple[SourceLine, ...]

    @property
    def commands(self) -> tuple[str, ...]:
        named = [answer.command for answer in self.answers if answer.command is not None]
        return tuple(dict.fromkeys(named or ([self.typed] if self.typed else [])))

    @property
    def layout(self) -> str:
        said = "; ".join(dict.fromkeys(answer.says for answer in self.answers))
        name = " / ".join(f"tailscale {command}" for command in self.commands) or "the tailscale CLI"
        return f"{name} answered: {said}"

    def facts(self) -> dict[str, Any]:
        return {
            "commands": list(self.commands),
            "answers": [{"command": a.command, "says": a.says, "line": a.line} for a in self.answers],
        }


def typed_command_name(command: str | None) -> str | None:
    """The name of the tailscale command a prompt ran (``cert``, ``lock init``, ``file get``), or None."""
    typed = _TYPED.search(command) if command else None
    if typed is None:
        return None
    if typed["first"] in _GROUPS and typed["second"]:
        return f"{typed['first']} {typed['second']}"
    return typed["first"]


def _says(text: str, command: str | None, typed: str | None) -> str:
    if command in SECRET_ANSWER_COMMANDS or text.startswith(SECRET_ANSWER_PREFIXES):
        return _SECRET
    # what the answer says in plain words (clianswers.py's table), else "done": the command answered as it does when
    # it works
    return answer_says(text, typed) or "done"


def parse_cli_answer(lines: Sequence[SourceLine], command: str | None) -> CliAnswerReport:
    """The report of a run of routine answers; ``command`` is the command typed above them (if shown)."""
    typed = typed_command_name(command)
    answers: list[CliAnswer] = []
    for line in lines:
        text = without_stamp(line.text)
        named = answering_command(text)
        # a line of a longer answer (a table's row, a JSON answer's body) belongs to the answer above it
        if named is None and answers:
            continue
        own = named or typed
        answers.append(CliAnswer(own, _says(text, own, command), line.number))
    return CliAnswerReport(typed, tuple(answers), tuple(lines))
