"""``--select``/``--ignore``: pick rules by id, id prefix, name or family."""

from __future__ import annotations

from collections.abc import Iterable

from opskit.core.rules.framework import Rule
from opskit.errors import InputError


def matches(rule_: Rule, selector: str) -> bool:
    """A selector is a rule id, an id prefix (``NGX1``, ``HAP``), a rule name or a family."""
    wanted = selector.strip()
    info = rule_.info
    return info.id.upper().startswith(wanted.upper()) or wanted.lower() in (info.name, info.family)


def select_rules(rules: Iterable[Rule], select: list[str], ignore: list[str]) -> tuple[Rule, ...]:
    """Rules picked by ``--select`` (all when empty) minus those named by ``--ignore``."""
    pool = tuple(rules)
    for selector in (*select, *ignore):
        if not any(matches(r, selector) for r in pool):
            raise InputError.at(
                None,
                None,
                "--select/--ignore",
                f"{selector!r} names no rule "
                "(use an id like NGX101, a prefix like NGX or HAP, a rule name or a family)",
            )
    chosen = [r for r in pool if not select or any(matches(r, s) for s in select)]
    return tuple(r for r in chosen if not any(matches(r, s) for s in ignore))


def rule_named(rules: Iterable[Rule], selector: str, tool: str) -> Rule:
    """The rule ``--explain`` names, by id (any case) or name."""
    wanted = selector.strip()
    for rule_ in rules:
        if wanted.upper() == rule_.id or wanted.lower() == rule_.info.name:
            return rule_
    raise InputError.option("--explain", f"{selector!r} is not a rule id or name (see opskit {tool} --list-rules)")
