"""`tailscale serve`/`funnel` (1.52 and later) refusing the pre-1.52 syntax (cmd/tailscale/cli/serve_v2.go
validateArgs, isLegacyInvocation): a usage refusal before anything reaches tailscaled.

The CLI prints ``Error: the CLI for serve and funnel has changed.``, then, when it could translate the old command
(``serve https:443 / http://…``, ``serve tcp:2222 tcp://…``, ``… off``), `` You can run the following command
instead:`` and the translation on its own line (``\\t- tailscale serve --bg …``), then the KB link; the old
``funnel 443 on`` gets no translation. The translation is mechanical: the text before the first ":" is the type
and the rest the port, so a target URL typed where the old source went (``tailscale serve tcp://localhost:3000
off``) becomes ``--tcp //localhost:3000``, a value Go's flag package then refuses (--tcp takes a port number).
``with_translation_checked`` gives the refusal that reading when the suggestion pasted under it shows it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from opskit.core.diagnose.cli_catalog import Refusal, catalog_entry
from opskit.core.diagnose.lazyre import lazy_compile
from opskit.core.diagnose.models import CliError, CliErrorKind
from opskit.core.diagnose.text import SourceLine

_PHRASE = "cli for serve and funnel has changed"
_NEW_SYNTAX = (
    "the current syntax (`tailscale serve --bg --https=443 http://127.0.0.1:8080`, `tailscale funnel --bg 8080`, "
    "`tailscale serve --tcp=2222 off`; `tailscale serve status` lists what is served); see "
    "https://tailscale.com/kb/1242/tailscale-serve"
)

REFUSALS: tuple[Refusal, ...] = (
    catalog_entry(
        CliErrorKind.CLI_USAGE,
        _PHRASE,
        r"\bthe CLI for serve and funnel has changed\b",
        "`tailscale serve`/`funnel` (1.52 and later) refused the pre-1.52 syntax it was given (`serve https:443 / "
        "http://…`, `serve tcp:2222 tcp://…`, `funnel 443 on`): a usage refusal, nothing was served or removed "
        "and tailscaled was not asked.",
        "Run the command the CLI printed under the message (`- tailscale serve --bg …`), or write it in "
        + _NEW_SYNTAX
        + ".",
        "cmd/tailscale/cli/serve_v2.go",
        "Error: the CLI for serve and funnel has changed. You can run the following command instead:",
    ),
)

# The translation the CLI printed, when its port flag got the rest of a URL ("//localhost:3000") instead of a number.
_BAD_TRANSLATION = lazy_compile(
    r"^\W*-?\s*(?P<command>tailscale (?:serve|funnel)\b.*?--(?P<flag>tcp|tls-terminated-tcp|https?)[ =]"
    r"(?P<value>//\S*)(?P<rest>.*))$"
)
# The translation's own line ("\t- tailscale serve --bg …"): it belongs to the refusal's block (blocks.py).
_TRANSLATION_LINE = lazy_compile(r"^\s*- tailscale (?:serve|funnel) --bg\b")
_MAX_GAP = 3  # the translation follows its message directly (a blank line or a wrapped line at most between)


def _bad_translation_text(match: re.Match[str]) -> tuple[str, str]:
    flag, value = match.group("flag"), match.group("value")
    port = re.search(r":(\d+)/?$", value)  # the last colon: an IPv6 host has its own
    number = port.group(1) if port else "<port>"
    off = match.group("rest").strip().endswith("off")
    target = "http" if flag.startswith("http") else "tcp"
    cause = (
        "`tailscale serve`/`funnel` (1.52 and later) refused the pre-1.52 syntax it was given, and the command it "
        f"suggests instead is wrong too: a target URL was typed where the old syntax put '<type>:<port>', so its "
        f"translation gives --{flag} the rest of the URL ({value}) where a port number belongs (Go's flag package "
        f'refuses it: invalid value "{value}" for flag -{flag}). A usage refusal: nothing was served or removed.'
    )
    fix = (
        f"Give --{flag} the port number: "
        + (
            f"`tailscale serve --{flag}={number} off` removes that forward (the port it is served on; `tailscale "
            "serve status` lists them)"
            if off
            else f"`tailscale serve --bg --{flag}={number} {target}://127.0.0.1:{number}` serves it"
        )
        + "; see https://tailscale.com/kb/1242/tailscale-serve."
    )
    return cause, fix


def with_translation_checked(errors: list[CliError], lines: Sequence[SourceLine]) -> list[CliError]:
    """Give each legacy-syntax refusal whose pasted suggestion is itself unusable (a URL left in a port flag) the
    reading that says so; the others keep the catalog's."""
    for index, error in enumerate(errors):
        if error.kind is not CliErrorKind.CLI_USAGE or _PHRASE not in error.line.text.lower():
            continue
        below = (line for line in lines if 0 < line.number - error.line.number <= _MAX_GAP)
        for line in below:
            if "tailscale " in line.text and (match := _BAD_TRANSLATION.match(line.text.strip())) is not None:
                errors[index] = replace(error, explanation=_bad_translation_text(match))
                break
    return errors


def is_suggested_translation(text: str) -> bool:
    """The line under the legacy-syntax refusal holding the command the CLI suggests instead."""
    return "- tailscale " in text and _TRANSLATION_LINE.match(text) is not None
