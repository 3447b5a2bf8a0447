"""Sections and statements of an HAProxy config, with defaults inheritance resolved."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

PROXY_KINDS = frozenset({"frontend", "backend", "listen"})
# Sections that can receive traffic from clients (they have `bind` lines).
CLIENT_FACING = frozenset({"frontend", "listen"})
BACKEND_SIDE = frozenset({"backend", "listen"})


@dataclass(frozen=True)
class Statement:
    """One config line: its words (quotes removed, escapes applied), where it is, and the raw text.

    ``in_conditional`` marks lines inside an ``.if`` block, whose condition a linter cannot know.
    """

    words: tuple[str, ...]
    file: str
    line: int
    raw: str
    in_conditional: bool = False

    @property
    def keyword(self) -> str:
        return self.words[0]

    def starts(self, *prefix: str) -> bool:
        """True when the statement begins with these words (case-sensitive, as HAProxy is)."""
        return self.words[: len(prefix)] == prefix

    def after(self, *prefix: str) -> tuple[str, ...]:
        """The words following ``prefix`` (assumes :meth:`starts`)."""
        return self.words[len(prefix) :]


@dataclass(eq=False)
class Section:
    """``global``, ``defaults``, ``frontend``, ``backend``, ``listen`` and the other section kinds.

    ``defaults`` is the defaults section this proxy inherits from (the last one before it, or the one
    named by ``from``), resolved by the parser; it may itself inherit from another named defaults.
    """

    kind: str
    name: str
    file: str
    line: int
    header: Statement
    statements: list[Statement] = field(default_factory=list)
    from_name: str | None = None
    defaults: Section | None = None

    @property
    def label(self) -> str:
        return f"{self.kind} {self.name}".strip()

    def own(self, *prefix: str) -> list[Statement]:
        """This section's own statements starting with ``prefix``."""
        return [s for s in self.statements if s.starts(*prefix)]

    def inheritance_chain(self) -> list[Section]:
        """This section, then its defaults, then their defaults (no loops)."""
        chain: list[Section] = []
        current: Section | None = self
        while current is not None and current not in chain:
            chain.append(current)
            current = current.defaults
        return chain

    def effective(self, *prefix: str) -> Statement | None:
        """The last statement starting with ``prefix`` here, else inherited from defaults."""
        for section in self.inheritance_chain():
            found = section.own(*prefix)
            if found:
                return found[-1]
        return None

    def effective_option(self, name: str) -> Statement | None:
        """``option <name>`` as it applies here: own or inherited, unless cancelled by ``no option``."""
        for section in self.inheritance_chain():
            for statement in reversed(section.statements):
                if statement.starts("no", "option", name):
                    return None
                if statement.starts("option", name):
                    return statement
        return None

    @property
    def mode(self) -> str:
        """``http`` or ``tcp`` (HAProxy's default when no ``mode`` is set)."""
        statement = self.effective("mode")
        return statement.words[1] if statement and len(statement.words) > 1 else "tcp"

    @property
    def mode_is_known(self) -> bool:
        """False for a fragment: no ``mode`` line anywhere in the chain and no defaults section to
        inherit from (a README snippet whose defaults live elsewhere)."""
        return self.effective("mode") is not None or self.defaults is not None

    def timeout_ms(self, name: str) -> tuple[int | None, Statement | None]:
        """Effective ``timeout <name>`` in milliseconds and the line that sets it."""
        statement = self.effective("timeout", name)
        if statement is None or len(statement.words) < 3:
            return None, statement
        return parse_time_ms(statement.words[2]), statement

    def binds(self) -> list[Statement]:
        return self.own("bind")


@dataclass(frozen=True)
class HaproxyConfig:
    """All files given together (like several ``-f``), in order, as one list of sections."""

    files: tuple[str, ...]
    sections: tuple[Section, ...]
    texts: dict[str, str] = field(default_factory=dict)

    def proxies(self) -> list[Section]:
        return [s for s in self.sections if s.kind in PROXY_KINDS]

    def section(self, kind: str, name: str) -> Section | None:
        return next((s for s in self.sections if s.kind == kind and s.name == name), None)

    def backend(self, name: str) -> Section | None:
        return next((s for s in self.sections if s.kind in BACKEND_SIDE and s.name == name), None)

    def frontends_using(self, backend: Section) -> list[Section]:
        """Frontends/listens whose ``default_backend``/``use_backend`` name this backend."""
        users: list[Section] = []
        for proxy in self.proxies():
            if proxy.kind not in CLIENT_FACING:
                continue
            for statement in proxy.statements:
                if (
                    statement.keyword in ("default_backend", "use_backend")
                    and len(statement.words) > 1
                    and statement.words[1] == backend.name
                ):
                    users.append(proxy)
                    break
        return users

    def backends_of(self, frontend: Section) -> list[Section]:
        """Backends a frontend can send traffic to (a listen section is its own backend)."""
        names: list[str] = []
        for statement in frontend.statements:
            if statement.keyword in ("default_backend", "use_backend") and len(statement.words) > 1:
                names.append(statement.words[1])
        found = [b for n in dict.fromkeys(names) if (b := self.backend(n)) is not None]
        if frontend.kind == "listen":
            found.insert(0, frontend)
        return found


_TIME = re.compile(r"^(\d+)(us|ms|s|m|h|d)?$")
_UNIT_MS = {"us": 0.001, "ms": 1, "s": 1000, "m": 60_000, "h": 3_600_000, "d": 86_400_000, None: 1}


def parse_time_ms(text: str) -> int | None:
    """HAProxy time value in milliseconds (a bare number is milliseconds); None if not a time."""
    match = _TIME.match(text.strip())
    if not match:
        return None
    return int(int(match.group(1)) * _UNIT_MS[match.group(2)])
