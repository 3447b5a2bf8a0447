"""The refusals the `tailscale` CLI prints, catalogued command family by command family from its source.

Each blind batch of real pastes used to miss on a CLI refusal nobody had given a kind yet (`tailscale file
cp`, `lock add`, `configure-host` …). The catalog names them before anyone pastes them: every entry is one
user-visible message of the CLI (or of the LocalAPI/ipnlocal error the CLI relays), a pattern written from
its text, the kind it belongs to, and what it means with the exact fix. windows.py tries the catalog after
its own hand-written patterns, so a line those read keeps its kind.

The entries live in one module per group of command families (``families_a``, ``families_b``; ``old``: the
wordings of v0.98-v1.20 that are gone; ``features``: what a build or platform lacks; ``bare_answers``: generic
wordings read only under their command; ``relayed``: tailscaled's errors as the CLI relays them); this module
only holds the entry type and the look-up.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from opskit.core.diagnose.lazyre import LazyPattern, lazy_compile
from opskit.core.diagnose.localapicurl import restore_clipped_status
from opskit.core.diagnose.models import CliErrorKind
from opskit.core.diagnose.phrases import any_word_pattern


@dataclass(frozen=True)
class Refusal:
    """One message the CLI prints when a command fails, and what opskit says about it."""

    kind: CliErrorKind
    # A lower-case literal every line holding the message contains: the cheap test a line passes before the
    # pattern runs (most lines of a big paste contain no catalog phrase).
    phrase: str
    # The message, with its values as named groups (the cause and fix below may use them as {name}); compiled
    # on first use (lazyre): a paste reaches only the few entries whose phrase it holds.
    pattern: LazyPattern
    cause: str
    fix: str
    source: str  # where the message comes from in Tailscale's source ("cmd/tailscale/cli/file.go")
    example: str  # one real-looking instance of the message (generated tests start from it)

    def explain(self, match: re.Match[str]) -> tuple[str, str]:
        """(cause, fix) with the message's values filled in (a value the message lacked reads "?")."""
        values = {name: (value if value is not None else "?") for name, value in match.groupdict().items()}
        # an alternative wording's value (``why_odd``) stands in for its base name (``why``) when that one is unset
        for name, value in match.groupdict().items():
            base = name.removesuffix("_odd")
            if base != name and value is not None and match.groupdict().get(base) is None:
                values[base] = value
        return self.cause.format_map(values), self.fix.format_map(values)


def catalog_entry(
    kind: CliErrorKind, phrase: str, pattern: str, cause: str, fix: str, source: str, example: str
) -> Refusal:
    """One entry of a catalog module: ``pattern`` (case-insensitive) is compiled when a line first needs it."""
    return Refusal(kind, phrase, lazy_compile(pattern, re.IGNORECASE), cause, fix, source, example)


def _entries() -> tuple[Refusal, ...]:
    from opskit.core.diagnose.cli_catalog import (
        android,
        app_state,
        families_a,
        families_b,
        features,
        installer,
        missing_subcommands,
        old,
        relayed,
        relayed_elsewhere,
        serve_legacy_syntax,
        serve_set_config,
        ssh_server,
        subcommands,
        wrappers,
    )

    # set-config's refusals before group B's: its "failed apply web serve" reads the same words without the Service.
    # Group B first: its "usage: tailscale service …" is more specific than group A's "usage: tailscale …".
    return (
        *relayed.EARLY_REFUSALS,  # why a serve change failed, before serve's wrappers that name the step
        *serve_set_config.REFUSALS,
        *serve_legacy_syntax.REFUSALS,
        *ssh_server.REFUSALS,
        *families_b.REFUSALS,
        *missing_subcommands.REFUSALS,  # before group A's generic "unknown subcommand" (a typo)
        *families_a.REFUSALS,
        *old.REFUSALS,
        *installer.REFUSALS,
        *android.REFUSALS,
        *wrappers.REFUSALS,
        *subcommands.REFUSALS,
        *features.REFUSALS,
        *relayed.REFUSALS,
        *relayed_elsewhere.REFUSALS,
        *app_state.REFUSALS,
    )


REFUSALS: tuple[Refusal, ...] = _entries()


def _command_answers() -> tuple[tuple[re.Pattern[str] | LazyPattern, Refusal], ...]:
    from opskit.core.diagnose.cli_catalog import bare_answers, families_a, families_b, installer, relayed, subcommands

    return (
        *families_a.COMMAND_ANSWERS,
        *families_b.COMMAND_ANSWERS,
        *installer.COMMAND_ANSWERS,
        *subcommands.COMMAND_ANSWERS,
        *bare_answers.COMMAND_ANSWERS,
        *relayed.COMMAND_ANSWERS,
    )


# Refusals read only under the command that prints them: (that command's pattern, the refusal).
COMMAND_ANSWERS: tuple[tuple[re.Pattern[str] | LazyPattern, Refusal], ...] = _command_answers()
PHRASES: frozenset[str] = frozenset(refusal.phrase for refusal in REFUSALS)
_ANY_PHRASE = any_word_pattern(PHRASES)


@lru_cache(maxsize=512)
def find_refusal(text: str) -> tuple[Refusal, re.Match[str]] | None:
    """The first catalogued refusal ``text`` holds (its phrase, then its pattern), or None."""
    lowered = text.lower()
    if _ANY_PHRASE.search(lowered) is None:
        return None
    for refusal in REFUSALS:
        if refusal.phrase in lowered:
            match = refusal.pattern.search(text)
            if match is not None:
                return refusal, match
    return None


def find_command_answer(text: str, command: str | None) -> tuple[Refusal, re.Match[str]] | None:
    """The catalogued refusal ``text`` is when it is the whole answer of ``command`` (the command typed above
    it), for messages too generic to read anywhere else (serve's "handler does not exist"); or None."""
    if command is None:
        return None
    text = restore_clipped_status(text)  # "00 Internal Server Error: …", the 5 lost in a copy
    lowered = text.lower()
    for refusal in answers_under(command):
        if refusal.phrase in lowered and (match := refusal.pattern.search(text)):
            return refusal, match
    return None


@lru_cache(maxsize=256)
def answers_under(command: str) -> tuple[Refusal, ...]:
    """The refusals read as the whole answer of ``command`` (COMMAND_ANSWERS whose command pattern it matches), in
    catalog order: worked out once per typed command, not once per line under it (a netcheck paste's every
    "Report:" holds serve's phrase "port", and used to run the 47 entries' tests)."""
    return tuple(refusal for typed, refusal in COMMAND_ANSWERS if typed.search(command))
