"""Rules about input lines that could not be read: a skipped line must never hide a problem."""

from __future__ import annotations

import re
from collections.abc import Iterator

from opskit.core.diagnose.blocks import SplitInput
from opskit.core.diagnose.rules.facts import DiagnoseContext
from opskit.core.findings import Finding, Severity
from opskit.core.rules import rule

# What path-bearing Tailscale output looks like, even mangled beyond parsing.
_PATH_WORDS = re.compile(
    r'relay "|\bdirect \S+:\d+|peer-relay|via DERP\(|\bpong from\b|\btx \d+ rx \d+|\boffline, last seen'
    r"|direct connection not established|MappingVariesByDestIP|\bUDP: (?:true|false)",
    re.IGNORECASE,
)


@rule(
    id="TS-INPUT-UNREAD",
    name="input-unread",
    family="tailscale-input",
    severity=Severity.WARNING,
    summary="Lines that look like Tailscale output could not be read",
    target="input",
)
def unread(split: SplitInput, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: a skipped line can be the very row that shows the problem (a relayed peer with ``rx 0``);
    reporting only what was recognised would then say "no problems". A line that mentions a path, a
    pong or a netcheck field but fits no known layout is therefore a finding, not just a warning line.

    *Bad*::

        this is what I see:
        macbook-pro-4  relay ord  tx 264376 rx 0 (from memory)
        100.101.6.89    hawkman              jrmuizel@    linux   -

    *Good*::

        this is what I see:
        100.101.6.89    hawkman              jrmuizel@    linux   -
    """
    unread_lines = [
        line
        for run in split.skipped
        if "not a Tailscale command" not in run.reason
        for line in run.lines
        if _PATH_WORDS.search(line.text)
    ]
    if not unread_lines:
        return
    yield ctx.finding(
        f"{ctx.facts.label}: {len(unread_lines)} line(s) mention a path, pong or netcheck field but fit no layout "
        "opskit knows, so what they show is not in this diagnosis (they may hold the problem).",
        "Paste the command's output unedited (whole lines, including the header rows), or read these lines yourself.",
        ctx.facts.evidence(*unread_lines[:3]),
    )
