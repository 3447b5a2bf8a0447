"""Parse ``tailscale ping`` output and the OS ping pasted next to it.

``pong from NODE (IP[, peerapi-port]) via VIA in LATENCY`` where VIA is ``DERP(code)``, ``ip:port``,
``[v6]:port`` or ``peer-relay(ip:port:vni:n)``; latency is a Go duration rounded to 1 ms (``23ms``,
``1.023s``). With ``--until-direct`` (the default) the CLI stops at the first direct pong, and after
``-c`` relayed pongs it fails with ``direct connection not established``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from opskit.core.diagnose.models import OsPingReport, PathKind, PingOutcome, PingReport, Pong
from opskit.core.diagnose.netcheck import parse_go_duration
from opskit.core.diagnose.text import TRAILING_NOTE, SourceLine

# Stray punctuation is tolerated ("(100.xxx.xxx.xxx))", a trailing "." or ","): people retype and
# redact pong lines, and a pong that is dropped would change the verdict. A redacted IP may also stand
# without its parentheses, as a placeholder ("pong from "nas_name" "nas_ip" via DERP(fra) in 94ms"), or
# be gone with the name: one token for both ("pong from ****** via DERP(tok)", "pong from x.x.x.x via",
# "pong from <redacted host> via"). The CLI always prints "NAME (IP)", so a lone token is a redaction.
# The name may be empty, as printed for a node without one or left by a redaction ("pong from  (IP) via",
# "pong from  via", "pong from (IP) via"). A hand-edited name may itself open with parentheses, the address
# dropped ("pong from (vps)xxx via 173.xxx.xxx.xxx:xxxxx"): a word right after the ")" makes it a name, not
# the "(IP)" of an empty name.
_PONG = re.compile(
    r"^pong from (?P<node><[^<>]{1,60}>|\[[^\[\]]{1,60}\]|\([^()\s]{1,60}\)[\w-]\S*|[^\s(]\S*)?"
    r"(?: ?\((?P<ip>[^,)\s]+)(?:, (?P<port>\d+))?\)+"
    r"| (?P<placeholder>\"[^\"\s]{1,60}\"|<[^<>\s]{1,60}>))?"
    r"[.,;:]? via (?P<via>\[[^\]]{1,60}\]:[^\s.,;]+|<[^<>]{1,60}>:[^\s.,;]+|\S+?)[.,;]?"
    r"(?: in (?P<latency>[0-9.]+[a-zµ]*s))?[.,;]*" + TRAILING_NOTE + r"?\s*$"
)
# A pong cut down to its "via" part, as people quote it ("- via DERP(fra) in 41ms  # relay"); the
# endpoint may be a placeholder such as "[Private IPv6 address]:41641".
_VIA_FRAGMENT = re.compile(
    r"^(?:[-*\u2022>]\s*)?via (?P<via>DERP\([^)]*\)|peer-relay\(\S+\)|\[[^\]]{1,60}\]:\d+|<[^<>]{1,60}>:\d+"
    r"|[0-9A-Za-z.:_-]+:(?:\d+|[A-Za-z*#_]{1,12})) in (?P<latency>[0-9.]+[a-zµ]*s)[.,;]?" + TRAILING_NOTE + r"?\s*$"
)
_TIMEOUT = re.compile(r'^(?:ping "[^"]*" timed out|timeout waiting for ping reply)')
_NOT_ESTABLISHED = "direct connection not established"
# "exit node found but not enabled" (wgengine, 1.10-era development builds, 0994a9f7c): no peer owns the address,
# only an exit node this node has not selected would route it, so no ping is sent: a target that is no node.
_ERRORS = re.compile(
    r"^(?:no reply|usage: (?:tailscale )?ping\b|error looking up IP of|no IPs found for|"
    r"node found but lacks an IP|no matching peer|context canceled|exit node found but not enabled)"
)
# The errors that mean no ping was sent at all: the target named no tailnet node, or the usage was wrong.
_NO_TARGET = re.compile(
    r"^(?:usage: (?:tailscale )?ping\b|error looking up IP of|no IPs found for|node found but lacks an IP"
    r"|no matching peer|exit node found but not enabled)"
)


# The CLI's fatal error under Go's log stamp ("2025/12/14 17:38:41 direct connection not established"): some
# builds end `tailscale ping` with log.Fatal. Only the messages that end a ping run: a stamped "context
# canceled" is as likely tailscaled's own log.
_FATAL_STAMP = re.compile(
    r"^\d{4}/\d\d/\d\d \d\d:\d\d:\d\d(?:\.\d+)? (?=direct connection not established|no reply\b"
    r"|error looking up IP of|no IPs found for|node found but lacks an IP|no matching peer"
    r"|exit node found but not enabled)"
)


# The GitHub Action's verdict on its `ping` input (tailscale/github-action src/main.ts:239, v4.1-): `tailscale ping -c 1
# <host>` retried for 3 minutes gave neither a pong nor "direct connection not established" (its other errors, a
# timeout or "no matching peer", are swallowed): no reply, under the runner's annotation ("Error: ", "##[error]",
# the raw log's stamp before it).
_ACTION_NO_REPLY = re.compile(
    r"^(?:\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z )?(?:##\[error\]|Error: )?(?:\u274c )?"
    r"Ping host (?P<target>\S+) did not respond\s*$"
)


def _unstamped(text: str) -> str:
    """The line without a Go log stamp in front of the CLI's closing error, if it has one."""
    if text[4:5] == "/" and text[:1].isdigit():
        stamp = _FATAL_STAMP.match(text)
        if stamp:
            return text[stamp.end() :]
    return text


def is_target_error(text: str) -> bool:
    """Whether a ``tailscale ping`` error line means no ping was sent (unknown name, bad usage)."""
    return bool(_NO_TARGET.match(_unstamped(text)))


_SELF = re.compile(r"^(?P<ip>\S+) is local Tailscale IP$")
_PEERAPI = re.compile(r"^hit peerapi of ")

_OS_PING = re.compile(
    r"^(?:Pinging \S+.* with \d+ bytes of data:|Reply from \S+|Request timed out\.|"
    r"Destination host unreachable\.?|General failure\.|Ping statistics for |Packets: Sent = |"
    r"Approximate round trip|"
    r"Minimum = |PING \S+ \(|\d+ bytes from |Request timeout for icmp_seq|From \S+ .*Unreachable|"
    r"--- \S+ ping statistics ---|\d+ packets transmitted, |rtt min/avg/max|round-trip min/avg/max)"
)


def is_ping_line(text: str) -> bool:
    text = _unstamped(text)
    return bool(
        _PONG.match(text)
        or (text[:1] in "-*v\u2022>" and _VIA_FRAGMENT.match(text))
        or _TIMEOUT.match(text)
        or text.startswith(_NOT_ESTABLISHED)
        or _SELF.match(text)
        or _PEERAPI.match(text)
        or (_ERRORS.match(text) and not text.startswith("ping statistics"))
        or ("did not respond" in text and _ACTION_NO_REPLY.match(text) is not None)
    )


def is_os_ping_line(text: str) -> bool:
    return bool(_OS_PING.match(text))


# What the CLI prints after "via" when the pong names no endpoint: the ping type (`tailscale ping --tsmp`,
# `--icmp`, `--peerapi`; cmd/tailscale/cli/ping.go falls back to it).
_PING_TYPES = frozenset({"TSMP", "ICMP", "DISCO", "PEERAPI"})
_ENDPOINT = re.compile(r"^(?:\[[^\]]+\]|<[^<>]+>|[0-9A-Za-z.:_*#-]+):(?:\d+|<[^<>]+>|[A-Za-z*#_]{1,12})$")


def _classify_via(via: str) -> tuple[PathKind, str | None]:
    derp = re.match(r"^DERP\((?P<code>[^)]*)\)?$", via)
    if derp:
        return PathKind.DERP, derp.group("code")
    if via.startswith("peer-relay"):
        return PathKind.PEER_RELAY, None
    if len(via) >= 3 and "DERP(".startswith(via.upper()):
        return PathKind.DERP, None  # a pong cut mid-word ("via DER"): relayed, region not shown
    if via.upper() in _PING_TYPES:
        return PathKind.UNKNOWN, None  # TSMP / ICMP pings name no endpoint
    # Any other "host:port" is the UDP endpoint the pong came from, also when people replace it (or only
    # its port) by a placeholder: "ip:port", "x.x.x.x:xxxx", "<public ip>:<port>", "[redacted]:41641".
    if _ENDPOINT.match(via):
        return PathKind.DIRECT, None
    return PathKind.UNKNOWN, None


_COMMAND_ENDS = ("#", "|", ";", "&", ">", "2>")


def ping_target(command: str | None) -> str | None:
    """The peer named on a ``tailscale ping [flags] TARGET`` command line."""
    if not command:
        return None
    words = command.split()
    # The command ends where the shell would end it: a "# comment" people add after it ("# this works"),
    # a pipe, a redirection or the next command.
    end = next((i for i, word in enumerate(words) if word.startswith(_COMMAND_ENDS)), len(words))
    words = words[:end]
    glued = next((i for i, word in enumerate(words) if word.endswith(";")), None)  # "nas; echo done"
    if glued is not None:
        words = [*words[:glued], words[glued].rstrip(";")]
    for index, word in enumerate(words):
        if word.lower().rstrip('"').endswith(("tailscale", "tailscale.exe")) and index + 1 < len(words):
            rest = words[index + 1 :]
            # the CLI's global flags before the subcommand: `tailscale --socket <path> ping …` (a test daemon)
            while len(rest) > 1 and rest[0].startswith("--socket"):
                rest = rest[1:] if "=" in rest[0] else rest[2:]
            if not rest or rest[0] != "ping":
                return None
            targets = [w for w in rest[1:] if not w.startswith("-")]
            return targets[-1] if targets else None
    return None


def parse_ping(lines: Sequence[SourceLine], command: str | None = None) -> PingReport:
    """Parse one ``tailscale ping`` run."""
    pongs: list[Pong] = []
    timeouts: list[SourceLine] = []
    errors: list[SourceLine] = []
    verdict: SourceLine | None = None
    action_target: str | None = None  # the host the GitHub Action's verdict names
    self_ping = False
    for line in lines:
        text = _unstamped(line.text)
        pong = _PONG.match(text)
        fragment = None if pong else _VIA_FRAGMENT.match(text)
        if pong:
            path, region = _classify_via(pong.group("via"))
            latency = parse_go_duration(pong.group("latency") or "")
            pongs.append(
                Pong(
                    pong.group("node") or "",
                    pong.group("ip") or pong.group("placeholder") or "",
                    pong.group("via"),
                    path,
                    latency,
                    line,
                    region,
                )
            )
        elif fragment:
            path, region = _classify_via(fragment.group("via"))
            latency = parse_go_duration(fragment.group("latency"))
            pongs.append(Pong("", "", fragment.group("via"), path, latency, line, region))
        elif _TIMEOUT.match(text):
            timeouts.append(line)
        elif text.startswith(_NOT_ESTABLISHED):
            verdict = line
        elif _SELF.match(text):
            self_ping = True
            verdict = line
        elif _ERRORS.match(text):
            errors.append(line)
        elif (action := _ACTION_NO_REPLY.match(text)) is not None:
            errors.append(line)
            action_target = action_target or action.group("target")
    target = ping_target(command) or next((p.node for p in pongs if p.node), None) or action_target
    if self_ping:
        outcome = PingOutcome.SELF
    elif any(p.path is PathKind.DIRECT for p in pongs):
        outcome = PingOutcome.DIRECT
    elif pongs and pongs[-1].path is PathKind.PEER_RELAY:
        outcome = PingOutcome.PEER_RELAY
    elif verdict is not None:
        outcome = PingOutcome.NOT_ESTABLISHED
    elif pongs:
        outcome = PingOutcome.RELAYED_ONLY
    elif timeouts:
        outcome = PingOutcome.TIMEOUT
    else:
        outcome = PingOutcome.ERROR
    return PingReport(target, tuple(pongs), tuple(timeouts), tuple(errors), verdict, outcome)


# The address an OS ping names: Linux/macOS "PING host (addr)" / "--- addr ping statistics ---", Windows
# "Pinging host [addr] with 32 bytes of data:" / "Ping statistics for addr:".
_OS_PING_TARGET = re.compile(
    r"^(?:PING (?:\S+ \((?P<a>[0-9A-Fa-f.:]+)\)|(?P<b>[0-9A-Fa-f.:]+)\b)"
    r"|Pinging (?:\S+ \[(?P<c>[0-9A-Fa-f.:]+)\]|(?P<d>[0-9A-Fa-f.:]+) )"
    r"|--- (?P<e>[0-9A-Fa-f.:]+) ping statistics ---|Ping statistics for (?P<f>[0-9A-Fa-f.:]+):)"
)


def os_ping_targets(lines: Sequence[SourceLine]) -> tuple[str, ...]:
    """The addresses an OS ping's lines name (header or statistics), in order, once each."""
    targets: list[str] = []
    for line in lines:
        match = _OS_PING_TARGET.match(line.text)
        if match is not None:
            address = next(group for group in match.groups() if group)
            if address not in targets:
                targets.append(address)
    return tuple(targets)


def parse_os_ping(lines: Sequence[SourceLine]) -> OsPingReport:
    """Did the operating system's ping get no reply at all?"""
    texts = [line.text for line in lines]
    replies = any(t.startswith("Reply from") and "bytes=" in t for t in texts) or any(
        re.match(r"^\d+ bytes from ", t) for t in texts
    )
    lost_all = any(
        "(100% loss)" in t
        or " 100% packet loss" in t
        or " 100.0% packet loss" in t  # macOS/BSD: "2 packets transmitted, 0 packets received, 100.0% packet loss"
        or t.startswith(("Request timed out", "Request timeout"))
        or "host unreachable" in t.lower()
        for t in texts
    )
    return OsPingReport(failed=lost_all and not replies, lines=tuple(lines))
