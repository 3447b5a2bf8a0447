"""Read netcheck's 2020 log layout: before the ``Report:`` block (netcheck/netcheck.go until April 2020, commit
73249f80 "aggregate spammy logging onto one concise line"), `tailscale netcheck` logged each STUN answer on a
line of its own, and the stunner package its retries::

    2020/03/17 19:20:48 derp1.tailscale.com:3478 says we are 66.130.147.6:37015 (in 28.422465ms)
    2020/03/17 19:20:48 stunner: slow STUN response from derp2.tailscale.com:3478: 1 retries
    2020/03/17 19:20:48 stunner: no STUN response from derp3.tailscale.com:3478
    2020/03/17 19:20:48 netcheck: no IPv4 UDP STUN replies

Each ``says we are`` is one STUN server seeing this node's public ip:port: UDP works, and the same ip:port
from two servers or more is an endpoint-independent ("easy") mapping; different ports, a hard one.

tailscaled's own netcheck logged the same lines through magicsock's logger (v0.96-v0.97, "netcheck: derp1…:3478 says
we are …"), so they also come under a log's prefixes (a journal's, the Windows service's stamps): read through
daemonlog's grammar, they are this node's NAT profile just as the CLI's are.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from opskit.core.diagnose.daemonlog.grammar import message_of
from opskit.core.diagnose.models import DerpHomeState, DerpLatency, Ipv6State, NetcheckReport
from opskit.core.diagnose.netcheck import parse_go_duration
from opskit.core.diagnose.text import GO_STAMP, SourceLine

_PREFIX = rf"^(?:{GO_STAMP} )?(?:netcheck: )?"
_SAYS = re.compile(_PREFIX + r"(?P<server>\S+):(?P<port>\d+) says we are (?P<addr>\S+) \(in (?P<took>[^)]+)\)$")
_STUNNER = re.compile(
    _PREFIX + r"(?:\[unexpected\] )?stunner: (?:slow STUN response from \S+: \d+ retries"
    r"|no STUN response from (?P<silent>\S+)|received bad STUN response: .+|got STUN packet for unknown TxID \S+"
    r"|received non-STUN packet|sendSTUN\(.+\): .+)$"
)
_NO_REPLIES = re.compile(_PREFIX + r"(?:no IPv4 UDP STUN replies|IPv6 seemed configured, but no UDP STUN replies)$")
_REGION = re.compile(r"^derp(\d+)(?:-v6)?\.")


def _match(pattern: re.Pattern[str], text: str) -> re.Match[str] | None:
    """``pattern`` on the line as the CLI prints it, or on tailscaled's message under a log's prefixes."""
    found = pattern.match(text)
    if found is None and (message := message_of(text).text) != text:
        found = pattern.match(message)
    return found


def is_stun_log_line(text: str) -> bool:
    """A line of netcheck's 2020 STUN log (a server's answer, the stunner's retries, no replies), also as a line
    of tailscaled's log."""
    if " says we are " in text:
        return _match(_SAYS, text) is not None
    return ("stunner: " in text and _match(_STUNNER, text) is not None) or (
        "STUN replies" in text and _match(_NO_REPLIES, text) is not None
    )


def may_start_stun_log_line(text: str) -> bool:
    """Cheap: ``text`` may be a STUN log line or the head of one soft-wrapped at a space (the words every such
    line holds before its end: a cut lands after `says`, `stunner:` or `STUN`, at any width a text box has)."""
    return " says" in text or "stunner:" in text or "STUN" in text


# A line soft-wrapped at 40 columns or wider holds in three pieces (the longest, a `sendSTUN(…)` error, aside).
_MAX_PIECES = 3
_STAMP_START = re.compile(GO_STAMP)


def stun_log_line_at(lines: Sequence[SourceLine], index: int) -> tuple[SourceLine, int] | None:
    """The STUN log line at ``lines[index]`` and the index of its last piece, or None: not one. A mail client or a
    narrow text box wraps the 2020 log's lines at a space (`… says we are` / `66.130.147.6:37015 (in 28ms)`), and
    its pieces say nothing alone: joined again with one space where the whole reads as a STUN log line."""
    line = lines[index]
    if is_stun_log_line(line.text):
        return line, index
    if not may_start_stun_log_line(line.text):
        return None
    text = line.text
    for end in range(index + 1, min(len(lines), index + _MAX_PIECES)):
        piece = lines[end]
        if not piece.text or piece.command is not None or _STAMP_START.match(piece.text) is not None:
            return None  # the next log line, a prompt or a gap: the head was a line of its own
        text = f"{text} {piece.text}"
        if is_stun_log_line(text):
            return line._replace(text=text), end
    return None


def stun_log_run(lines: Sequence[SourceLine], start: int) -> tuple[tuple[SourceLine, ...], int] | None:
    """The STUN log lines of a 2020 STUN log run starting at ``lines[start]`` (each joined again when wrapped)
    and the index of its last physical line, or None: the run must hold an answer (``says we are``) or say that
    none came."""
    run: list[SourceLine] = []
    end = index = start
    decisive = False
    while index < min(len(lines), start + 2000):
        line = lines[index]
        if not line.text.strip("> "):  # blank, or only a markdown quote marker kept
            index += 1
            continue
        if index > start and line.command is not None:
            break
        if (read := stun_log_line_at(lines, index)) is None:
            break
        stun_line, end = read
        run.append(stun_line)
        decisive = decisive or " says we are " in stun_line.text or "STUN replies" in stun_line.text
        index = end + 1
    return (tuple(run), end) if decisive else None


def parse_stun_log(lines: Sequence[SourceLine]) -> NetcheckReport:
    v4: dict[str, str] = {}  # STUN server → the ip:port it saw
    v6: dict[str, str] = {}
    best: dict[str, tuple[float | None, int | None, SourceLine]] = {}
    no_v4_replies: SourceLine | None = None
    first_answer: SourceLine | None = None
    for line in lines:
        text = line.text
        if (says := _match(_SAYS, text)) is not None:
            server, addr = says["server"], says["addr"]
            (v6 if addr.startswith("[") else v4)[server] = addr
            first_answer = first_answer or line
            took = parse_go_duration(says["took"])
            region = _REGION.match(server)
            previous = best.get(server)
            if previous is None or (took is not None and (previous[0] is None or took < previous[0])):
                best[server] = (took, int(region[1]) if region else None, line)
        elif (stunner := _match(_STUNNER, text)) is not None and stunner["silent"]:
            server = stunner["silent"].rsplit(":", 1)[0]
            best.setdefault(server, (None, int(r[1]) if (r := _REGION.match(server)) else None, line))
        elif "IPv4 UDP STUN" in text and _match(_NO_REPLIES, text):
            no_v4_replies = line
    answered = bool(v4 or v6)
    mapping_varies = len(set(v4.values())) > 1 if len(v4) >= 2 else None
    latencies = tuple(
        sorted(
            (
                DerpLatency(f"#{rid}" if rid else server, server, ms, rid, line)
                for server, (ms, rid, line) in best.items()
            ),
            key=lambda entry: (entry.latency_ms is None, entry.latency_ms or 0.0),
        )
    )
    evidence = first_answer or no_v4_replies or lines[0]
    return NetcheckReport(
        layout="netcheck log (2020: says we are)",
        udp=True if answered else (False if no_v4_replies is not None else None),
        ipv4=True if v4 else (False if no_v4_replies is not None else None),
        ipv4_endpoint=next(iter(v4.values()), None),
        ipv6_state=Ipv6State.GLOBAL if v6 else Ipv6State.UNKNOWN,
        ipv6_endpoint=next(iter(v6.values()), None),
        mapping_varies=mapping_varies,
        derp_home_state=DerpHomeState.UNKNOWN,
        latencies=latencies,
        lines={key: evidence for key in ("udp", "ipv4", "mapping")},
    )
