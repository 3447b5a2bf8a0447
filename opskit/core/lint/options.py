"""Lint options: what a lint rule knows besides the tree (the target nginx version)."""

from __future__ import annotations

from dataclasses import dataclass

from opskit.core.rules import RuleContext
from opskit.errors import InputError


@dataclass(frozen=True)
class LintOptions:
    """Options given on the command line that change what rules conclude."""

    nginx_version: tuple[int, int, int] | None = None


def parse_version(text: str) -> tuple[int, int, int]:
    """``1.27.3`` → (1, 27, 3); a clear InputError for anything else."""
    parts = text.strip().split(".")
    if not 1 <= len(parts) <= 3 or not all(p.isdigit() for p in parts):
        raise InputError.option("--nginx-version", f"{text!r} is not a version like 1.22.1")
    numbers = [int(p) for p in parts] + [0] * (3 - len(parts))
    return numbers[0], numbers[1], numbers[2]


LintContext = RuleContext[LintOptions]
"""What a lint rule receives: its declaration, the options (``ctx.facts``) and a finding builder."""
