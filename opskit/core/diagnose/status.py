"""Parse ``tailscale status`` text: legacy (<= v1.2), fixed-width (v1.4-v1.88), tabwriter (v1.90+).

The status cell grammar follows cmd/tailscale/cli/status.go:
``-`` | ``idle[; exit node | ; offers exit node][; offline, last seen …]`` | ``offline[, last seen …]`` |
``active; [exit node; | offers exit node; ](relay "x" | direct a:p | peer-relay a:p:vni:n)[; offline…]``
followed by ``, tx N rx M`` when any bytes moved.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import replace

from opskit.core.diagnose.guiwarning import quoted_health_warning
from opskit.core.diagnose.models import HealthMessage, PathKind, StatusPeer, StatusReport
from opskit.core.diagnose.text import (
    TRAILING_NOTE,
    SourceLine,
    annotated_json_document,
    hide_keys,
    is_json_elision,
    is_prose_after_subcommand,
    without_json_note,
)

# What people type over the digits they hide: x/y/z, *, #, _, ?, an ellipsis, a bullet, block characters.
_MASK_CHARS = "xXyYzZ*#_?\u2026\u2022\u2588\u2591\u2592\u2593\u25a0"
# A Tailscale IP as printed or as people redact it: 100.101.6.89, 100.xxx.xxx.xxx, 100.x.y.z, fd7a:…,
# ***, <redacted>, [redacted], xxx, ..., 100.___.___.___, 100.a;b;c, 100.XXXXX.
_IP_TOKEN = re.compile(
    r"^(?:[0-9xyzXYZ*#_]{1,3}(?:[.;][0-9a-zA-Z*#_]{1,3}){3}"
    # partly masked, any group count: 100.XXXXX, 100.x, 100.xx.xx, 100.125.75.2XXX (a group half hidden),
    # 100.123.246..XXX (a dot doubled by hand), 100.64.?.?, 100.64.0.…, 100.64.0.■■, 100.64.0.<ip>: a
    # redaction keeps the 100. and hides some of the rest
    r"|[0-9]{1,3}(?=[0-9.]*[" + _MASK_CHARS + r"<\[])(?:\.\.?(?:[0-9" + _MASK_CHARS + r"]{1,6}"
    r"|<[^<>\s]{1,20}>|\[[^\[\]\s]{1,20}\])){1,4}|[0-9a-fA-F:xX]*:[0-9a-fA-F:xX]+|\*{2,}|x{2,}|X{2,}"
    r"|<[^<>\s]{1,30}>|\[[^\[\]\s]{1,30}\]|\.{3,}|\u2026)$"
)
_REDACTED_IP = re.compile(r"[" + _MASK_CHARS + r"<>\[\];]|\.\.\.|^[0-9]{1,3}(?:\.[a-w]{1,3}){3}$")
# A host cell: ("hostname") | xn--abc (unicode) | a placeholder the poster typed in place of a name, which
# may hold spaces (`<this machine>`, `[my laptop]`, `<redacted hostname>`).
_HOST_TOKEN = r'(?:<[^<>\s][^<>]{0,38}>|\[[^\[\]\s][^\[\]]{0,38}\]|\("[^"]*"\)|\S+(?: \([^)]*\))?)'
_ROW = re.compile(
    r"^(?:(?P<ip>\S+)\s+)?(?P<host>" + _HOST_TOKEN + r")\s+(?P<owner>\S+)\s+(?P<os>\S+)\s+(?P<cell>\S.*)$"
)
_LEGACY_ROW = re.compile(
    r"^\[(?P<key>[^\]\s]{1,12})\]\s+(?P<os>\S+)\s+(?P<ip>\S+)\s+(?P<host>\S+)\s+"
    r"tx=\s*(?P<tx>\d+)\s+rx=\s*(?P<rx>\d+)\s*(?P<rest>.*)$"
)
# tx/rx as printed, or one of them masked by the poster (`tx xxxxx rx 18832`): the masked one is not known
_COUNT = r"\d+|x{2,}|X{2,}|\*{2,}"
# Re-aligned by hand (`46.48.65.87:1027,   tx 3091568  rx 2911324`): any spacing around the comma and the counts.
_TXRX = re.compile(rf",\s*tx\s+(?P<tx>{_COUNT})\s+rx\s+(?P<rx>{_COUNT})\s*$")
# a whole cell part the poster masked (`active; direct xxxx`, `active; offers exit node; xxxx`): the path is hidden
_MASKED_PART = re.compile(r"^(?:x{2,}|X{2,}|\*{2,}|<[^<>]{1,30}>|\[[^\[\]]{1,30}\]|\.{3,}|\u2026)$")
_LAST_SEEN = re.compile(r",\s*last\s+seen\s+(?P<ago>\S+)\s+ago")
# A note the poster typed after a row's cell (`tx 17168 rx 0   <-- not ok`, `-  # this one`, `← broken`):
# an arrow or comment marker after whitespace; the CLI's cell never holds one.
# A parenthesised remark after the cell (`tx 888 rx 0  (offline since monday)`) too: the cell never ends in ")".
_TRAILING_NOTE = re.compile(TRAILING_NOTE + "$")
_STATE_MESSAGES = (
    "Tailscale is stopped.",
    "Logged out.",
    "Machine is not yet approved by tailnet admin.",
    "NeedsLogin",
    "unexpected state:",
    "Log in at:",
    "To authenticate, visit:",  # `tailscale up` waiting for an interactive login (or a Headscale admin)
    # v1.8-v1.18 worded the state of a node waiting for an admin's approval "authorized" (cli/status.go)
    "Machine is not yet authorized by tailnet admin.",
    # `tailscale up` logged in, waiting for an admin to approve the device: "To authorize your machine, visit (as
    # admin):" (v0.98-v1.2x), "To approve your machine, visit (as admin):" since, then the admin console's URL
    "To authorize your machine, visit (as admin):",
    "To approve your machine, visit (as admin):",
)
KNOWN_OS = {
    "linux", "windows", "macos", "ios", "android", "freebsd", "openbsd", "illumos", "solaris",
    "tvos", "js", "plan9", "darwin", "-", "",
}  # fmt: skip


def _without_note(cell: str) -> str:
    """The status cell without a note the poster typed after it (see _TRAILING_NOTE); stripped."""
    cell = cell.strip()
    if "<" in cell or "#" in cell or "/" in cell or "←" in cell or "⬅" in cell or cell[-1:] == ")":
        cell = _TRAILING_NOTE.sub("", cell)
    return cell


def _parse_cell(cell: str) -> dict[str, object] | None:
    """Fields of a status cell, or None when the text is not a status cell at all."""
    cell = _without_note(cell)
    fields: dict[str, object] = {}
    txrx = _TXRX.search(cell)
    if txrx:
        fields["tx"], fields["rx"] = (
            int(count) if count.isdigit() else None for count in (txrx.group("tx"), txrx.group("rx"))
        )
        cell = cell[: txrx.start()]
    last_seen = _LAST_SEEN.search(cell)
    if last_seen:
        fields["last_seen"] = last_seen.group("ago") + " ago"
        cell = cell[: last_seen.start()] + cell[last_seen.end() :]
    # a part's words as the CLI spaces them, however the row was re-aligned (`offers  exit  node`)
    parts = [" ".join(p.split()) for p in cell.split(";") if p.strip()]
    # "online" is the word proposed (tailscale#21212) for an online peer without traffic, printed "-" so far.
    if not parts or parts[0] not in {"-", "idle", "offline", "active", "online"}:
        return None
    head = parts[0]
    fields["active"] = head == "active"
    fields["idle"] = head == "idle"
    fields["offline"] = head == "offline"
    fields["path"] = PathKind.NONE
    for position, part in enumerate(parts[1:], start=1):
        if part in ("exit node", "offers exit node"):
            fields["exit_node"] = part
        elif part == "offline":
            fields["offline"] = True
        elif part.startswith("relay"):
            fields["path"] = PathKind.DERP
            fields["relay_region"] = part[len("relay") :].strip().strip('"') or None
        elif part.startswith("direct"):
            fields["path"] = PathKind.DIRECT
            fields["direct_addr"] = part[len("direct") :].strip() or None
        elif part.startswith("peer-relay"):
            fields["path"] = PathKind.PEER_RELAY
            fields["peer_relay"] = part[len("peer-relay") :].strip() or None
        elif head == "active" and position == len(parts) - 1 and _MASKED_PART.match(part):
            if fields["path"] == PathKind.NONE:
                fields["path"] = PathKind.UNKNOWN  # the path part, masked: an active peer shown no path
        else:
            return None
    if head == "active" and fields["path"] == PathKind.NONE and len(parts) == 1:
        fields["path"] = PathKind.UNKNOWN  # cut-off paste: "active" without the path part
    return fields


# Every row holds one of these: a cell head (`_parse_cell`, `_CELL_START`: "-", "idle", "offline", "active", "online"),
# a bare path a cut row starts its cell with ("relay", "direct", "peer-relay") or the legacy layout's counters
# ("tx="). None of the row's re-readings (notes, punctuation, slashes, labels) adds one, so a line holding none is
# no row: most lines of prose end here instead of in four row patterns.
_ROW_WORDS = ("-", "active", "idle", "offline", "online", "relay", "direct", "tx=")


def _may_be_row(text: str) -> bool:
    return any(word in text for word in _ROW_WORDS)


def parse_status_row(line: SourceLine) -> StatusPeer | None:
    """One peer row (current layouts or the pre-v1.4 legacy layout), or None."""
    if not _may_be_row(line.text):
        return None
    peer = _parse_row_as_is(line)
    if peer is not None:
        return peer
    # A note typed after a row whose columns then slide (`("tsdev")  -  linux  -  # my NAS`: the note's words
    # make the IP-less row look like one with an IP): the row without its note. The markers are a cheap filter.
    text = line.text
    if "#" in text or "<-" in text or "//" in text or "\u2190" in text or "\u2b05" in text or text[-1:] == ")":
        bare = _TRAILING_NOTE.sub("", text)
        if bare != text and bare:
            peer = _parse_row_as_is(line._replace(text=bare))
            return None if peer is None else replace(peer, line=line)
    return None


def _parse_row_as_is(line: SourceLine) -> StatusPeer | None:
    legacy = _LEGACY_ROW.match(line.text)
    if legacy:
        return _legacy_peer(line, legacy)
    match = _ROW.match(line.text)
    if not match:
        return _retry_unwrapped(line) or _partial_row(line)
    ip = match.group("ip") or ""
    host, owner, os_name = match.group("host"), match.group("owner"), match.group("os")
    cell = match.group("cell")
    if ip and not _IP_TOKEN.match(ip):
        return _retry_unwrapped(line) or _partial_row(line)
    fields = _parse_cell(cell)
    if fields is None:
        return _retry_spaced_owner(line) or _retry_ownerless(line) or _retry_unwrapped(line) or _partial_row(line)
    if not ip and _is_ownerless_row(host, owner, os_name):
        # IP, host, OS and the cell: the poster dropped the owner column, so the regex took the IP for
        # the host and the host for the owner.
        ip, host, owner = host, owner, ""
    elif not ip and _is_osless_row(host, os_name, line.text):
        # IP, host, owner and a bare status word: the OS column is blank (Mullvad exit nodes, tagged
        # devices without Hostinfo), so the regex slid every column one place to the left.
        ip, host, owner, os_name = host, owner, os_name, ""
    # "-" (or "online") alone is a weak signal: also require a plausible OS column.
    elif cell.strip() in ("-", "online") and os_name.lower() not in KNOWN_OS:
        return _retry_unwrapped(line)
    return _peer(ip, host, owner, os_name, cell, line, fields, active=bool(fields["active"]))


# The owner column is the user's login name as the control server gives it: Headscale with OIDC may hand
# over an issuer URL and subject, a display name with spaces ("Jane Doe"), or the two split by a space
# instead of "/". Such a row has more words than columns; the OS word (one of KNOWN_OS) and a status cell
# after it mark where the owner ends. At most three words, so prose does not pass for an owner.
_SPACED_OWNER_ROW = re.compile(
    r"^(?P<ip>\S+)\s+(?P<host>" + _HOST_TOKEN + r")\s+(?P<owner>\S+(?:\s+\S+){1,2}?)\s+"
    r"(?P<os>(?i:"
    + "|".join(sorted((re.escape(o) for o in KNOWN_OS if o not in ("", "-")), key=len, reverse=True))
    + r"))\s+(?P<cell>\S.*)$"
)


def _retry_spaced_owner(line: SourceLine) -> StatusPeer | None:
    """A row whose owner column holds spaces (see _SPACED_OWNER_ROW), or None."""
    match = _SPACED_OWNER_ROW.match(line.text)
    if not match or not _IP_TOKEN.match(match.group("ip")):
        return None
    fields = _parse_cell(match.group("cell"))
    if fields is None:
        return None
    owner = " ".join(match.group("owner").split())
    return _peer(
        match.group("ip"), match.group("host"), owner, match.group("os"), match.group("cell"), line, fields,
        active=bool(fields["active"]),
    )  # fmt: skip


# A row without the owner column (posters cut it to hide their login): IP, host, OS, cell.
_OWNERLESS_ROW = re.compile(
    r"^(?P<ip>\S+)\s+(?P<host>"
    + _HOST_TOKEN
    + r")\s+(?P<os>(?i:"
    + "|".join(sorted((re.escape(o) for o in KNOWN_OS if o not in ("", "-")), key=len, reverse=True))
    + r"))\s+(?P<cell>\S.*)$"
)


def _is_ownerless_row(first: str, second: str, os_name: str) -> bool:
    """A row read as host/owner/OS whose "host" is a tailnet IP and "owner" a name: IP, host, OS, cell."""
    return (
        bool(os_name)
        and os_name.lower() in KNOWN_OS
        and os_name != "-"
        # a host named after an OS (`100.106.194.63  macos  macOS  offline`) is a host: an owner is a login
        and (second.lower() not in ("", "-") and (_is_tailnet_ip(first) or _is_plain_address(first)))
    )


# A Headscale node's address from a custom prefix (10.1.0.1, 192.168.125.15): an owner-less row is only told
# from a four-column row by its first column, and a whole dotted quad is no hostname a user picks.
_PLAIN_IPV4 = re.compile(r"^(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)$")


def _is_plain_address(first: str) -> bool:
    """A whole IPv4 address of any range (a Headscale prefix), as the first column of an owner-less row."""
    return bool(_PLAIN_IPV4.match(first))


def _retry_ownerless(line: SourceLine) -> StatusPeer | None:
    """A row without the owner column (see _OWNERLESS_ROW), or None."""
    match = _OWNERLESS_ROW.match(line.text)
    if not match or match.group("host").lower() in KNOWN_OS:
        return None
    if not (_is_tailnet_ip(match.group("ip")) or _is_plain_address(match.group("ip"))):
        return None
    fields = _parse_cell(match.group("cell"))
    if fields is None:
        return None
    return _peer(
        match.group("ip"), match.group("host"), "", match.group("os"), match.group("cell"), line, fields,
        active=bool(fields["active"]),
    )  # fmt: skip


def _is_osless_row(first: str, os_name: str, text: str) -> bool:
    """A four-column row whose first column is a Tailscale IP and whose OS column is blank.

    Only the IP column tells such a row from prose ("foo bar baz -"), so it must look like a tailnet
    address (100.64.0.0/10, fd7a:115c:a1e0::/48, or one redacted from them), not any dotted number.
    """
    if os_name.lower() in KNOWN_OS or len(text.split()) != 4:
        return False
    return _is_tailnet_ip(first)


def _is_tailnet_ip(first: str) -> bool:
    """A Tailscale address (100.64.0.0/10, fd7a:115c:a1e0::/48) as printed or partly redacted."""
    if first.startswith("fd7a:115c:a1e0:"):
        return True
    if not first.startswith("100.") or not _IP_TOKEN.match(first):
        return False
    second = first.split(".")[1]
    return not second.isdigit() or 64 <= int(second) <= 127


# What people put around a row when they retype or annotate it: columns joined by " / ", a "# " comment
# marker, a parenthesised remark or a "Before:"-style label in front. Tried only when a line does not
# parse as it is, and kept only when what remains parses as a row.
_SLASH_COLUMNS = " / "
_LEAD_COMMENT = re.compile(r"^#\s+(?=[0-9a-fA-F*xX<\[])")
_LEAD_REMARK = re.compile(r"^\([^()]{1,100}\)\s+")
_LEAD_LABEL = re.compile(r"^[A-Za-z][\w ]{0,15}?\s?:\s+(?=\S)")


# A comma or semicolon typed after a column (`100.64.0.2,  nas,  me@,  linux,  active; …`): the columns
# before the cell, which never end in one (the cell's own "active;" / "offline," head is kept).
_COLUMN_PUNCTUATION = re.compile(r"^(\S+?)[,;](?=\s)")
_CELL_HEADS = frozenset({"active", "idle", "offline", "online", "-"})


def _unpunctuated(text: str) -> str:
    """``text`` without a comma or semicolon after each of its first four columns (unchanged if none)."""
    if "," not in text and ";" not in text:
        return text
    words = text.split(None, 4)  # the first four columns (and the rest)
    if len(words) < 4 or not any(w[-1] in ",;" for w in words[:4]):
        return text
    out: list[str] = []
    rest = text
    for _ in range(4):
        rest = rest.lstrip()
        word = rest.split(None, 1)[0] if rest else ""
        if not word or (word[:-1] in _CELL_HEADS and word[-1] in ",;") or word in _CELL_HEADS:
            break
        if (glued := _COLUMN_PUNCTUATION.match(rest)) is not None:
            out.append(glued.group(1))
            rest = rest[glued.end() :]
        else:
            out.append(word)
            rest = rest[len(word) :]
    return "  ".join([*out, rest.strip()]) if out else text


def _unwrap_row(text: str) -> str:
    """The row inside an annotated line (unchanged when there is nothing to take away)."""
    if _SLASH_COLUMNS in text and text.count(_SLASH_COLUMNS) >= 3:
        text = text.replace(_SLASH_COLUMNS, "  ")
    text = _unpunctuated(text)
    for pattern in (_LEAD_COMMENT, _LEAD_REMARK, _LEAD_LABEL):
        text = pattern.sub("", text, count=1)
    return text


def _retry_unwrapped(line: SourceLine) -> StatusPeer | None:
    """Parse the row inside an annotated line; the peer keeps the original line as evidence."""
    inner = _unwrap_row(line.text)
    if inner == line.text or len(inner.split(None, 3)) < 4:
        return None
    peer = parse_status_row(SourceLine(line.number, inner, line.raw, line.command))
    return None if peer is None else replace(peer, line=line)


# Where a status cell can start inside a row that does not fit the column grammar: a fragment that
# begins mid-row (`linux active; relay "tor", tx 888 rx 0`), middle columns replaced by "...", a row
# whose "active;" head was cut away (`100.xx.xx.xx device ... relay "sfo"`).
_CELL_START = re.compile(
    r'(?:^|[\s\[`(])(?=(?:active|idle|offline)(?:;|,|\s*$)|(?:relay "[^"]*"|direct \S+:\d+|peer-relay \S+)(?:;|,|\s*$))'
)
_PATH_ONLY = re.compile(r'^(?:relay "[^"]*"|direct \S+:\d+|peer-relay \S+)')


def _partial_row(line: SourceLine) -> StatusPeer | None:
    """What a row that does not fit the column grammar still shows: path, DERP region, tx/rx.

    A skipped row is the worst outcome (it may be the very row that shows the problem), so any line
    holding a well-formed status cell yields a peer; columns that cannot be told apart stay empty.
    """
    text = line.text
    if len(text.split(None, 3)) < 4:
        return None  # too little around a cell to call it a row (and is_status_line's pre-check)
    for match in _CELL_START.finditer(text):
        start = match.end()
        cell = text[start:]
        before = text[:start].rstrip()
        # A cell quoted inside a sentence ("status says: active; relay …", "[active; relay "syd"]"):
        # the words before it are prose, not columns, and the cell ends at its closing bracket.
        quoted = before.endswith((":", "[", "`", "("))
        if quoted:
            closer = {"[": "]", "`": "`", "(": ")"}.get(before[-1:])
            if closer and closer in cell:
                cell = cell[: cell.rindex(closer)]
        fields = _parse_cell(cell)
        if fields is None and _PATH_ONLY.match(cell):
            fields = _parse_cell("active; " + cell)
            if fields is not None:
                fields["active"] = None  # the head ("active") was not shown
        if fields is None:
            continue
        words = [] if quoted else [w for w in before.split() if w not in ("...", "\u2026")]
        if len(words) > 4:
            continue  # prose that happens to contain "offline" or "relay"
        ip = words.pop(0) if words and _IP_TOKEN.match(words[0]) else ""
        os_name = words.pop() if words and words[-1].lower() in KNOWN_OS else ""
        if not (ip or os_name or fields.get("tx") is not None or fields["path"] not in (PathKind.NONE,)):
            continue  # a bare "idle"/"offline" word needs a row around it
        host = words[0] if words else ""
        if not host and ip and "." not in ip and ":" not in ip:
            # one masked word for the IP, name and owner columns (`# xxxxx windows active; …`): it names the peer
            host = ip
        owner = words[1] if len(words) > 1 else ""
        # a fragment may not show "active": None says "not shown", unlike False in a full row
        return _peer(ip, host, owner, os_name, cell, line, fields, active=fields["active"], partial=True)  # type: ignore[arg-type]
    return None


def is_redacted_ip(ip: str) -> bool:
    """``100.xx.xx.xx``, ``***``, ``<redacted>``: the user hid the address."""
    return bool(ip) and bool(_REDACTED_IP.search(ip))


def _legacy_peer(line: SourceLine, match: re.Match[str]) -> StatusPeer:
    rest = match.group("rest")
    path, direct, relay = PathKind.UNKNOWN, None, None
    starred = re.findall(r"\*([^*\s]+)\*", rest)  # the active relay/endpoint is printed as *x*
    for item in starred:
        if ":" in item:
            path, direct = PathKind.DIRECT, item
        else:
            path, relay = PathKind.DERP, item
    tx, rx = int(match.group("tx")), int(match.group("rx"))
    return StatusPeer(
        ip=match.group("ip"),
        host=match.group("host"),
        owner="",
        os=match.group("os"),
        cell=rest.strip(),
        line=line,
        active=None,
        path=path,
        direct_addr=direct,
        relay_region=relay,
        tx=tx,
        rx=rx,
    )


# The "#     - " bullet of a health item; `status` and `serve status` print the Funnel header's items with the same
# bullet ("# Funnel on:" then "#     - https://node.ts.net", "#     - Unable to get Funnel status: …"): those are
# no health messages (a pasted item without its header would otherwise read as tailscaled's warning).
_FUNNEL_ITEM = r"(?!(?:https?|tcp)://\S+$|Unable to get Funnel status: )"
_HEALTH_BULLET = re.compile(rf"#\s+-\s+{_FUNNEL_ITEM}")
_HEALTH_ITEM = re.compile(rf"^#\s+-\s+{_FUNNEL_ITEM}(?P<msg>.+)$")
# `status` prints the Funnel header and its items after its rows (cli/status.go printFunnelStatus): its lines
_FUNNEL_SECTION = re.compile(r"^# Funnel(?: on)?:$|^#\s+-\s+(?:(?:https?|tcp)://\S+$|Unable to get Funnel status: )")
# Health messages people paste on their own, without `# Health check:` and the `#     - ` bullet (the old
# terse forms and the 1.70+ sentences that `tailscale status` prints).
BARE_HEALTH = (
    "not logged in, last login error=",
    "You are logged out. The last login error was:",
    "not connected to home DERP region",
    "Unable to connect to the Tailscale coordination server",
    "Tailscale could not connect to the '",
    "Tailscale could not connect to any relay server",
    "Tailscale can't reach the configured DNS servers",
    "Tailscale hasn't received a network map from the coordination server",
    # ipnlocal's strict rp_filter check folded into one health message (v1.62-v1.96; from v1.68 under its title)
    "The following issues on your machine will likely make usage of exit nodes impossible: [",
    "Exit node misconfiguration: The following issues on your machine",
)
# a health message listed as a plain "- " bullet (the `# ` of `#     - ` dropped, e.g. in a PR description)
_DASH_BULLET = re.compile(r"^-\s+")


def bare_health(text: str) -> str | None:
    """The health message a line holds on its own (bare, or as a plain ``- `` bullet), or None."""
    message = _DASH_BULLET.sub("", text, count=1) if text[:1] == "-" else text
    return message if message.startswith(BARE_HEALTH) else None


# The first words of each BARE_HEALTH sentence: a line that holds only the head of one (a narrow text box wrapped
# the rest of it onto the next lines) is found by one set lookup, so the bulk of a paste's lines cost nothing.
_BARE_HEALTH_HEAD = 16
_BARE_HEALTH_HEADS = frozenset(phrase[:_BARE_HEALTH_HEAD] for phrase in BARE_HEALTH)
# the characters a line bare_health_head takes starts with (a "- " bullet's, or a head's own): the splitter's dispatch
BARE_HEALTH_HEAD_FIRSTS = "-" + "".join(sorted({head[0] for head in _BARE_HEALTH_HEADS}))


def bare_health_head(text: str) -> bool:
    """Whether ``text`` (bare, or a plain ``- `` bullet) is a BARE_HEALTH sentence cut before its distinctive
    words end (``- The following issues on your machine will likely make``): its rest is on the next lines. Not a
    line that ends a sentence: the apps print "You are logged out." on a line of its own (guiwarning.py)."""
    message = _DASH_BULLET.sub("", text, count=1) if text[:1] == "-" else text
    if len(message) < _BARE_HEALTH_HEAD or message[:_BARE_HEALTH_HEAD] not in _BARE_HEALTH_HEADS:
        return False
    if message[-1] in ".!?":
        return False
    return any(phrase.startswith(message) for phrase in BARE_HEALTH)


# A sentence about `tailscale status`'s output that quotes a health message: `tailscale status shows "Some peers
# are advertising routes but --accept-routes is false"`, `tailscale status says: # Health check: #     - …`.
_STATUS_PROSE = re.compile(r"^(?:sudo\s+)?tailscale(?:\.exe)?\s+status\s", re.IGNORECASE)
# (a closing backtick that ended the line is gone: split_lines strips it)
_PROSE_QUOTE = re.compile(r'"(?P<dq>[^"]{8,})"|`(?P<bq>[^`]{8,})(?:`|$)')
_PROSE_REST = re.compile(r":\s+(?P<rest>.+)$")  # "says: <message>", tried after the quoted spans
_HEALTH_PREFIX = re.compile(r"^(?:#\s*Health check:\s*)?(?:#\s+-\s+)?")
_NEXT_ITEM = re.compile(r"\s+#\s+-\s")
# health messages `tailscale status` prints that are not BARE_HEALTH (which read on their own lines anywhere)
_STATUS_ONLY_HEALTH = ("Some peers are advertising routes but --accept-routes is false",)


def status_prose_health(text: str) -> str | None:
    """The health message a sentence about `tailscale status` quotes (double quotes, inline code, its ``#     -``
    item, or after a colon), or None: not such a sentence, or what it quotes is no health message."""
    if _STATUS_PROSE.match(text) is None or not is_prose_after_subcommand(text):
        return None
    spans = [quote["dq"] or quote["bq"] for quote in _PROSE_QUOTE.finditer(text)]
    if (rest := _PROSE_REST.search(text)) is not None:
        spans.append(rest["rest"])
    for quoted in spans:
        # "says: # Health check: #     - …" (the status block pasted onto one line): its first item
        message = _NEXT_ITEM.split(_HEALTH_PREFIX.sub("", quoted.strip(), count=1), maxsplit=1)[0]
        message = message.strip().strip('"`').rstrip(".,;")
        if (
            message.startswith(BARE_HEALTH)
            or message.startswith(_STATUS_ONLY_HEALTH)
            or quoted_health_warning(message) is not None
        ):
            return message
    return None


_HEADER = re.compile(r"IP\s+Hostname\s+Owner\s+OS\s+Status$")  # the pre-v1.4 legacy header
_HEADER_RULE = re.compile(r"--\s+-{8}\s+-{5}\s+--\s+-{6}$")


def is_status_line(text: str) -> bool:
    """A line that belongs to ``tailscale status`` output (row, header, health, state message)."""
    if text[:1] == "#" and (
        text.startswith(("# Health check", "# To see the full list of exit nodes"))
        or _HEALTH_BULLET.match(text)
        or _FUNNEL_SECTION.match(text)
    ):
        return True
    if text.startswith(_STATE_MESSAGES) or bare_health(text) is not None:
        return True
    if _HEADER.match(text) or _HEADER_RULE.match(text):
        return True
    # A peer row has at least four whitespace-separated columns (host, owner, OS, status); most
    # other lines have fewer and need not go through the row patterns.
    if len(text.split(None, 3)) < 4:
        return False
    return parse_status_row(SourceLine(0, text)) is not None


def parse_status(lines: Sequence[SourceLine]) -> StatusReport:
    """Parse one status block: peers in order (self first), health messages, state message."""
    peers: list[StatusPeer] = []
    health: list[HealthMessage] = []
    state_message: str | None = None
    state_line: SourceLine | None = None
    legacy = tabwriter = False
    for line in lines:
        text = line.text
        bullet = _HEALTH_ITEM.match(text)
        if bullet:
            health.append(HealthMessage(hide_keys(bullet.group("msg").strip()), line))
            continue
        if (message := bare_health(text)) is not None:
            health.append(HealthMessage(hide_keys(message), line))
            continue
        if text.startswith(_STATE_MESSAGES):
            if state_message is None:
                state_message, state_line = text, line
            continue
        peer = parse_status_row(line)
        if peer is None:
            continue
        peers.append(peer)
        legacy = legacy or text.startswith("[")
        if peer.last_seen or (line.raw and line.raw != line.raw.rstrip() and "  " in line.raw.strip()):
            tabwriter = True  # v1.90+ tabwriter pads every cell, the status column included
    if legacy:
        layout = "legacy (<= v1.2)"
    elif tabwriter:
        layout = "tabwriter (v1.90+)"
    elif peers:
        layout = "columns (v1.4+)"
    else:
        layout = "messages only"
    return StatusReport(layout, tuple(peers), tuple(health), state_message, state_line)


# ------------------------------------------------------------------------------------ --json form


def backend_state_message(state: str) -> str | None:
    """The status state message for an ipn BackendState name (None when Running or unknown)."""
    if state in ("Running", ""):
        return None
    if state == "Stopped":
        return "Tailscale is stopped."
    return "NeedsLogin" if state == "NeedsLogin" else f"BackendState {state}"


def looks_like_status_json(document: object) -> bool:
    """``tailscale status --json``: has BackendState and Self/Peer maps."""
    return isinstance(document, dict) and "BackendState" in document and ("Peer" in document or "Self" in document)


_PATH_FIELDS = frozenset({"CurAddr", "Relay", "PeerRelay", "Active", "TxBytes", "RxBytes"})


def peer_entry_document(document: object) -> dict[str, object] | None:
    """One peer of ``status --json`` cut out on its own (``jq '.Peer[] | {HostName, CurAddr, Relay}'``, a
    pasted ``.Peer["nodekey:…"]``), as a status document holding that peer; None for other JSON."""
    if not isinstance(document, dict) or "BackendState" in document:
        return None
    if not ("HostName" in document or "DNSName" in document) or not _PATH_FIELDS & document.keys():
        return None
    return {"Peer": {"excerpt": document}}


def _json_line(lines: Sequence[SourceLine], needle: str, fallback: SourceLine) -> SourceLine:
    for line in lines:
        if needle in line.text:
            return line
    return fallback


def _json_peer(
    entry: dict[str, object],
    host_lines: dict[str, SourceLine],
    first: SourceLine,
    line: SourceLine | None = None,
) -> StatusPeer:
    host = str(entry.get("HostName") or str(entry.get("DNSName") or "").split(".")[0] or "?")
    line = line or host_lines.get(host, first)
    ips = entry.get("TailscaleIPs")
    ip = str(ips[0]) if isinstance(ips, list) and ips else ""
    cur_addr = str(entry.get("CurAddr") or "")
    # gron/jq fragments may show CurAddr without Active: a current address is a direct path in use.
    active = entry.get("Active") is True or ("Active" not in entry and bool(cur_addr))
    peer_relay = str(entry.get("PeerRelay") or "")
    relay = str(entry.get("Relay") or "")
    if not active:
        path = PathKind.NONE
    elif cur_addr:
        path = PathKind.DIRECT
    elif peer_relay:
        path = PathKind.PEER_RELAY
    else:
        path = PathKind.DERP
    tx = entry.get("TxBytes")
    rx = entry.get("RxBytes")
    tx_value = tx if isinstance(tx, int) else None
    rx_value = rx if isinstance(rx, int) else None
    online = entry.get("Online")
    shown = {
        PathKind.DIRECT: f"active; direct {cur_addr}",
        PathKind.PEER_RELAY: f"active; peer-relay {peer_relay}",
        PathKind.DERP: f'active; relay "{relay}"',
        PathKind.NONE: "idle" if (tx_value or rx_value) else "-",
    }[path]
    if online is False:
        shown += "; offline"
    if tx_value or rx_value:
        shown += f", tx {tx_value or 0} rx {rx_value or 0}"
    exit_node = (
        "exit node"
        if entry.get("ExitNode") is True
        else ("offers exit node" if entry.get("ExitNodeOption") is True else None)
    )
    return StatusPeer(
        ip=ip,
        host=host,
        owner=str(entry.get("UserID") or ""),
        os=str(entry.get("OS") or ""),
        cell=shown + "  (from --json)",
        line=line,
        active=active,
        idle=not active and bool(tx_value or rx_value),
        exit_node=exit_node,
        path=path,
        direct_addr=cur_addr or None,
        # "Relay" is the peer's home DERP region, set whatever the path: only a relayed peer uses it
        relay_region=(relay or None) if path is PathKind.DERP else None,
        peer_relay=peer_relay or None,
        offline=online is False,
        tx=tx_value,
        rx=rx_value,
    )


def parse_status_json(document: dict[str, object], lines: Sequence[SourceLine]) -> StatusReport:
    """Parse ``tailscale status --json`` (ipnstate.Status): self first, then peers."""
    peers: list[StatusPeer] = []
    # Each peer's evidence is its "HostName" line; index them once (tailnets can have many peers).
    host_lines: dict[str, SourceLine] = {}
    ordered_host_lines: list[SourceLine] = []
    for line in lines:
        if line.text.startswith('"HostName": "'):
            host_lines.setdefault(line.text[len('"HostName": "') :].rstrip(",").rstrip('"'), line)
            ordered_host_lines.append(line)
    me = document.get("Self")
    peer_map = document.get("Peer")
    entries = [e for e in (peer_map.values() if isinstance(peer_map, dict) else ()) if isinstance(e, dict)]
    if isinstance(me, dict):
        entries.insert(0, me)
    # A whole document lists Self and then every peer, one "HostName" line each, in the order json.loads
    # keeps: the n-th entry's line is the n-th HostName line (host names repeat: "localhost", "iPhone").
    in_order = len(ordered_host_lines) == len(entries) and all("HostName" in e for e in entries)
    for number, entry in enumerate(entries):
        peers.append(_json_peer(entry, host_lines, lines[0], ordered_host_lines[number] if in_order else None))
    health_items = document.get("Health")
    health: list[HealthMessage] = []
    if isinstance(health_items, list):
        for item in health_items:
            text = str(item)
            # the line shows the message JSON-escaped (quotes, '&' as \u0026): look for that form too
            escaped = json.dumps(text)[1:41]
            found = _json_line(lines, text[:40], lines[0])
            if found is lines[0] and escaped != text[:40]:
                found = _json_line(lines, escaped, lines[0])
            health.append(HealthMessage(hide_keys(text), found))
    state_message = backend_state_message(str(document.get("BackendState") or ""))
    state_line = _json_line(lines, '"BackendState"', lines[0]) if state_message else None
    # Only a document with its Self object says which row is the local node ("json" marks it so).
    whole = "BackendState" in document
    layout = ("json" if isinstance(me, dict) else "json (no self)") if whole else "json (fragment)"
    backend_state = document.get("BackendState")
    return StatusReport(
        layout,
        tuple(peers),
        tuple(health),
        state_message,
        state_line,
        backend_state=backend_state if isinstance(backend_state, str) and backend_state else None,
    )


# ------------------------------------------------------------------------- fragments of --json

# a note typed after the value (`"1.2.3.4:41641";  # my NAS`) is not part of it: a value is one JSON token
_GRON = re.compile(
    r'^json\.(?:Peer\["(?P<key>[^"]*)"\]|(?P<self>Self))\.(?P<field>\w+) = (?P<value>"(?:[^"\\]|\\.)*"|[^\s;"]+);?'
    + TRAILING_NOTE
    + r"?\s*$"
)
_JSON_FIELD = re.compile(r'^"(?P<field>BackendState|HostName|OS|CurAddr|Relay|Active)": (?P<value>"[^"]*"|true|false)')


def is_gron_status_line(text: str) -> bool:
    """``json.Peer["nodekey:…"].CurAddr = "1.2.3.4:41641";`` (``tailscale status --json | gron``)."""
    return text.startswith("json.") and bool(_GRON.match(text))


def _json_value(raw: str) -> object:
    raw = raw.strip()
    if raw in ("true", "false"):
        return raw == "true"
    if raw.startswith('"') and raw.endswith('"'):
        return raw[1:-1]
    try:
        return int(raw)
    except ValueError:
        return raw


def gron_status_document(lines: Sequence[SourceLine]) -> dict[str, object]:
    """The ``status --json`` fields that gron lines show, as the document they came from."""
    document: dict[str, object] = {}
    peers: dict[str, dict[str, object]] = {}
    for line in lines:
        match = _GRON.match(line.text)
        if not match:
            continue
        value = _json_value(match.group("value"))
        if match.group("self"):
            me = document.setdefault("Self", {})
            assert isinstance(me, dict)
            me[match.group("field")] = value
        else:
            peers.setdefault(match.group("key"), {})[match.group("field")] = value
    if peers:
        document["Peer"] = peers
    return document


def truncated_status_document(lines: Sequence[SourceLine]) -> dict[str, object] | None:
    """The top-level facts of a ``status --json`` paste cut off before its closing brace.

    Only ``BackendState`` and the self node's ``HostName``/``OS`` are read: without the closing
    braces nesting is guesswork, and those come first in the document.
    """
    document: dict[str, object] = {}
    me: dict[str, object] = {}
    for line in lines:
        match = _JSON_FIELD.match(line.text)
        if not match:
            continue
        field, value = match.group("field"), _json_value(match.group("value"))
        if field == "BackendState":
            document.setdefault("BackendState", value)
        elif field in ("HostName", "OS") and field not in me:
            me[field] = value
    if "BackendState" not in document:
        return None
    if me:
        document["Self"] = me
    return document


def _peer(
    ip: str,
    host: str,
    owner: str,
    os_name: str,
    cell: str,
    line: SourceLine,
    fields: dict[str, object],
    *,
    active: bool | None,
    partial: bool = False,
) -> StatusPeer:
    """A status row's peer from its columns and the fields its status cell gave (``_parse_cell``)."""
    return StatusPeer(
        ip=ip,
        host=host,
        owner=owner,
        os=os_name,
        cell=_without_note(cell),
        line=line,
        active=active,
        idle=bool(fields["idle"]),
        exit_node=fields.get("exit_node"),  # type: ignore[arg-type]
        path=fields["path"],  # type: ignore[arg-type]
        direct_addr=fields.get("direct_addr"),  # type: ignore[arg-type]
        relay_region=fields.get("relay_region"),  # type: ignore[arg-type]
        peer_relay=fields.get("peer_relay"),  # type: ignore[arg-type]
        offline=bool(fields["offline"]),
        last_seen=fields.get("last_seen"),  # type: ignore[arg-type]
        tx=fields.get("tx"),  # type: ignore[arg-type]
        rx=fields.get("rx"),  # type: ignore[arg-type]
        partial=partial,
    )


# `tailscale status --json | jq -r '.Health'` (or `.Health[]`, `.BackendState`): people paste the one field
# they were asked for. The filter names the field, the output is its value.
_JQ_STATUS_FIELD = re.compile(r"""\|\s*jq\b[^|]*?['"]?\.(?P<field>Health|BackendState)(?P<each>\[\])?""")
_MAX_EXCERPT_LINES = 200


_FRAGMENT_START = re.compile(r'^"(?P<field>Health|BackendState)":\s*(?P<value>\[.*|"[A-Za-z]+",?)$')


# Fields of a PeerStatus (Self or a Peer) in `status --json`: a few of its lines cut out on their own
# ("Online": true, / "ExitNode": false, / "Active": false,) are one peer object without its braces.
_PEER_STATUS_FIELDS = frozenset(
    ("ID", "PublicKey", "HostName", "DNSName", "OS", "UserID", "Relay", "PeerRelay", "CurAddr", "RxBytes",
     "TxBytes", "Created", "LastWrite", "LastSeen", "LastHandshake", "Online", "KeepAlive", "ExitNode",
     "ExitNodeOption", "Active", "InNetworkMap", "InMagicSock", "InEngine", "Expired", "KeyExpiry")
)  # fmt: skip
_SCALAR_FIELD = re.compile(r'^"(?P<field>[A-Za-z]+)":\s*(?:true|false|null|-?\d+|"[^"\\]*"),?$')
_MIN_PEER_FIELDS = 3  # fewer is a quote in prose, not a cut-out object


def _peer_object_lines(lines: Sequence[SourceLine], start: int) -> tuple[dict[str, object], int] | None:
    end, known = start, 0
    limit = min(len(lines), start + _MAX_EXCERPT_LINES)
    fields: list[str] = []
    while end < limit:
        if not lines[end].text and end + 1 < limit and _SCALAR_FIELD.match(without_json_note(lines[end + 1].text)):
            end += 1  # a blank between fields: a paste with a blank after every line (CRLF converted twice)
            continue
        bare = without_json_note(lines[end].text)  # a note typed after a value: `"Active": false,  <-- this`
        field = _SCALAR_FIELD.match(bare)
        if field is None:
            break
        known += field.group("field") in _PEER_STATUS_FIELDS
        fields.append(bare)
        end += 1
    if known < _MIN_PEER_FIELDS:
        return None
    try:
        entry = json.loads("{" + "\n".join(fields).rstrip(",") + "}")
    except (ValueError, RecursionError):  # cut short, or nested past the decoder's depth (a hostile paste)
        return None
    return {"Peer": {"excerpt": entry}}, end - 1


def status_json_fragment(lines: Sequence[SourceLine], start: int) -> tuple[dict[str, object], int] | None:
    """A hand-cut piece of ``status --json`` without its braces: ``"Health": [ … ]``, a lone
    ``"BackendState": "NeedsLogin",`` line, or three or more scalar lines of one peer object
    (``"Online": true,``), as the status document it stands for and its last line."""
    match = _FRAGMENT_START.match(lines[start].text)
    if match is None:
        return _peer_object_lines(lines, start)
    value = match.group("value").rstrip(",")
    if match.group("field") == "BackendState":
        return {"BackendState": value.strip('"')}, start
    end = start
    while "]" not in lines[end].text and end + 1 < min(len(lines), start + _MAX_EXCERPT_LINES):
        end += 1
    text = "\n".join([value, *(line.text for line in lines[start + 1 : end + 1])]).rstrip().rstrip(",")
    try:
        items = json.loads(text)
    except (ValueError, RecursionError):
        return None
    if not isinstance(items, list) or not all(isinstance(item, str) for item in items):
        return None
    return {"Health": items}, end


def status_json_excerpt(command: str, lines: Sequence[SourceLine], start: int) -> tuple[dict[str, object], int] | None:
    """The status document a ``status --json | jq .Health``/``.BackendState`` excerpt stands for, and the
    index of its last line; None when ``command`` is not such a pipeline or the output is not its value."""
    lowered = command.lower()
    if "status" not in lowered or "json" not in lowered:
        return None
    match = _JQ_STATUS_FIELD.search(command)
    if match is None or start >= len(lines):
        return None
    if is_json_elision(lines[start].text.strip()) and start + 1 < len(lines):
        start += 1  # `[snip]` typed where the poster cut lines before the value
    first = lines[start].text.strip()
    if match.group("field") == "BackendState":
        state = first.strip('"')
        return ({"BackendState": state}, start) if re.fullmatch(r"[A-Z][A-Za-z]+", state) else None
    end = start
    while end + 1 < min(len(lines), start + _MAX_EXCERPT_LINES) and lines[end + 1].text.strip():
        end += 1
    if match.group("each") or not first.startswith("["):  # `.Health[]`: one message per line
        messages = [line.text.strip().strip('"') for line in lines[start : end + 1]]
        return {"Health": messages}, end
    close = next((i for i in range(start, end + 1) if lines[i].text.strip().startswith("]")), None)
    if close is None:
        return None
    value = annotated_json_document([line.text for line in lines[start : close + 1]])  # notes, a wrapped message
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        return None
    return {"Health": value}, close
