"""Parse ``tailscale lock status``: whether Tailnet Lock is on, whether this node is signed, who may sign,
and which nodes it locks out.

The CLI's wording changed with the feature's name (cmd/tailscale/cli/network-lock.go, now tailnet-lock.go)::

    v1.30  Network-lock is ENABLED.           This node is trusted by network-lock.
           our public-key: nlpub:…            This node IS NOT trusted by network-lock, and action is required …
    v1.34  Tailnet-lock is ENABLED.           This node is accessible under tailnet-lock.
           This node's tailnet-lock key: …    This node is LOCKED OUT by tailnet-lock, and action is required …
           Keys trusted to make changes to tailnet-lock:   (rows: key, votes, "(us)")
           The following peers are locked out by tailnet lock & do not have connectivity:
    v1.34  Tailnet lock is … / Trusted signing keys: / The following nodes are locked out by tailnet lock and
           cannot connect to other nodes:      (rows: name, addresses, stable ID, node key)
    v1.68  "… Node signature:" then the signature (SigKind:, Pubkey:, KeyID:, WrappingPubkey:, Nested:)
    v1.90  "Tailnet Lock" capitalised

A locked-out node's status also prints the command that signs it, under "Run the following command on a
node with a trusted key:". Every line keeps its source line, so findings can quote it.

``tailscale lock status --json`` (v1.36+) prints the same facts as JSON, in two layouts:

    v1.36-v1.92  ipnstate.NetworkLockStatus marshalled: "Enabled", "Head" (32 numbers or null), "PublicKey"
                 ("nlpub:…": the key's text form; the human layout prints it "tlpub:…"), "NodeKey", "NodeKeySigned",
                 "NodeKeySignature" (v1.68+: "SigKind" a number, 1 direct 2 rotation 3 credential), "TrustedKeys"
                 ([{"Key", "Metadata", "Votes"}], "Kind" later), "VisiblePeers" (v1.86+), "FilteredPeers"
                 ([{"Name", "ID", "StableID", "TailscaleIPs", "NodeKey"}] or null), "StateID" (v1.50+)
    v1.94+       the stable schema (cmd/tailscale/tslockjsonv1): "SchemaVersion": "1", "Enabled", "PublicKey"
                 ("tlpub:…"), "NodeKey"; when enabled also "Head" (a hash string), "NodeKeySigned",
                 "NodeKeySignature" ("SigKind": "direct" …), "TrustedKeys" ([{"Kind", "Votes", "Public", "Meta"}]),
                 "VisiblePeers", "FilteredPeers" ([{"ID", "DNSName", "TailscaleIPs", "NodeKey"}]), "State"

parse_lock_status_json reads either into the same report; the CLI's sign command for a locked-out node is
rebuilt from its node key and tailnet-lock key, as the human layout prints it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from opskit.core.diagnose.lazyre import lazy_compile
from opskit.core.diagnose.text import SourceLine, is_elision_line, typed_tailscale_command

_LOCK = r"(?:network|tailnet)[- ]lock"
HEADER = re.compile(rf"^{_LOCK} is (ENABLED|NOT enabled)\.$", re.IGNORECASE)
# `tailscale lock log` on a tailnet without the lock (v1.90+, cli/tailnet-lock.go runTailnetLockLog returns
# errors.New("Tailnet Lock is not enabled"), printed bare): the same state as status's "… is NOT enabled.". Its
# casing is its own: `lock add`/`remove` refuse with "tailnet lock is not enabled" (windows.py: a refusal).
_LOG_NOT_ENABLED = lazy_compile(r"^(?:Error: )?Tailnet Lock is not enabled$")
# "Our node …" is the wording of the first development builds (PR #6182, before v1.30 shipped "This node …")
_SIGNED = lazy_compile(
    rf"^(?:This|Our) node is (?:accessible under|trusted by) {_LOCK}\.(?: Node signature:)?$", re.IGNORECASE
)
_LOCKED_OUT = lazy_compile(
    rf"^(?:This|Our) node (?:is LOCKED OUT by|IS NOT trusted by) {_LOCK}, "
    r"and action is required to establish connectivity\.$",
    re.IGNORECASE,
)
_RUN_ON_TRUSTED = lazy_compile(r"^Run the following command on a node with a (?:trusted|network-lock) key:$")
_SIGN_COMMAND = lazy_compile(
    r"^(?:\S*tailscale(?:\.exe)? )?lock sign (nodekey:[0-9a-f]+)(?: ((?:tl|nl)pub:[0-9a-f]+))?$"
)
_SIGNATURE_FIELD = lazy_compile(r"^(SigKind|Pubkey|KeyID|WrappingPubkey|Nested):\s*(.*)$")
_OWN_KEY = lazy_compile(r"^(?:our public-key|This node's (?:public-key|tailnet-lock key)): ((?:tl|nl)pub:[0-9a-f]+)$")
_TRUSTED_HEADER = lazy_compile(rf"^(?:Trusted signing keys|Keys trusted to make changes to {_LOCK}):$", re.IGNORECASE)
_TRUSTED_ROW = lazy_compile(r"^((?:tl|nl)pub:[0-9a-f]+)\s+(\d+)\s*(.*)$")
# (people abridge it when they retype or document it: "The following nodes are locked out:"; the rows under
# it are what make it this header)
_LOCKED_OUT_HEADER = lazy_compile(
    rf"^The following (?:peers|nodes) are locked out(?: by {_LOCK})?"
    r"(?: & do not have connectivity| and cannot connect to other nodes)?:$",
    re.IGNORECASE,
)
# name, addresses (comma-separated, maybe none), stable ID, node key; a node without a name leaves its column empty
_LOCKED_OUT_ROW = lazy_compile(
    r"^(?:(?P<name>\S+)\s+)?(?P<addrs>[0-9A-Fa-f.:]+(?:, ?[0-9A-Fa-f.:]+)*\s+)?"
    r"(?P<id>\S+)\s+(?P<key>nodekey:[0-9a-f]+)$"
)
# the poster's stand-in for rows they left out, besides the cuts text.py knows ("...", "[snip]"): "<very long list
# of exit nodes>", "<more nodes>" (words in angle brackets, never a tag: a space or an ellipsis inside)
_PLACEHOLDER = lazy_compile(r"^<[^<>]*(?:\s|\.\.\.|\u2026)[^<>]*>$")
_LOOKAHEAD = 4  # lines between the locked-out header and its first row: blanks, the poster's cuts
_ADDRESSES = lazy_compile(r"^[0-9.]+(?:,[0-9A-Fa-f:.]+)*$|^[0-9A-Fa-f]*:[0-9A-Fa-f:.,]+$")
_PREAUTH = lazy_compile(r"\(pre-auth key(?: (\S+))?\)")
_MAX_LINES = 2000


@dataclass(frozen=True)
class TrustedKey:
    key: str  # tlpub:… (nlpub:… before v1.34)
    votes: int
    own: bool  # "(self)" / "(us)": this node's own tailnet-lock key
    preauth: str | None  # the stable ID of the pre-auth key it wraps ("" when not named), None when it wraps none
    line: SourceLine


@dataclass(frozen=True)
class LockedOutNode:
    name: str
    addresses: tuple[str, ...]
    stable_id: str
    node_key: str
    line: SourceLine


@dataclass(frozen=True)
class LockStatusReport:
    """One pasted ``tailscale lock status``. None where the paste does not show the fact."""

    rule_target: ClassVar[str] = "tailnet-lock-status"  # its kind in JSON views[]
    enabled: bool | None
    header: SourceLine | None
    node_signed: bool | None  # this node's key is signed (accessible) / not (locked out)
    node_line: SourceLine | None
    sig_kind: str | None  # "direct", "rotation", "credential": how this node's key was signed
    sign_command: str | None  # the `tailscale lock sign …` the CLI printed for a locked-out node
    own_key: str | None  # this node's tailnet-lock key
    trusted_keys: tuple[TrustedKey, ...]
    locked_out: tuple[LockedOutNode, ...]
    lines: tuple[SourceLine, ...]
    json_form: bool = False  # `tailscale lock status --json`
    log_answer: bool = False  # `tailscale lock log` answering "Tailnet Lock is not enabled"

    @property
    def layout(self) -> str:
        state = {True: "enabled", False: "not enabled", None: "state not shown"}[self.enabled]
        command = "lock log" if self.log_answer else "lock status"
        return f"tailscale {command}{' --json' if self.json_form else ''} ({state})"

    def facts(self) -> dict[str, Any]:
        """(JSON ``tailnet_locks[]`` is these with its label first and its line last.)"""
        return {
            "enabled": self.enabled,
            "node_signed": self.node_signed,
            "signature_kind": self.sig_kind,
            "sign_command": self.sign_command,
            "own_key": self.own_key,
            "trusted_keys": [
                {"key": k.key, "votes": k.votes, "own": k.own, "preauth_key": k.preauth, "line": k.line.number}
                for k in self.trusted_keys
            ],
            "locked_out": [
                {
                    "name": n.name or None,
                    "addresses": list(n.addresses),
                    "stable_id": n.stable_id,
                    "node_key": n.node_key,
                    "line": n.line.number,
                }
                for n in self.locked_out
            ],
        }


def _continues(text: str, section: str) -> bool:
    """True when ``text`` is a line the status prints (in ``section``: "", "signature", "trusted", "locked")."""
    if (
        _SIGNED.match(text)
        or _LOCKED_OUT.match(text)
        or _RUN_ON_TRUSTED.match(text)
        or _SIGN_COMMAND.match(text)
        or _OWN_KEY.match(text)
        or _TRUSTED_HEADER.match(text)
        or _LOCKED_OUT_HEADER.match(text)
    ):
        return True
    if section == "signature":
        return _SIGNATURE_FIELD.match(text) is not None
    if section == "trusted":
        return _TRUSTED_ROW.match(text) is not None
    if section == "locked":
        return _LOCKED_OUT_ROW.match(text) is not None
    return False


def _section(text: str, section: str) -> str:
    if _SIGNED.match(text):
        return "signature"
    if _TRUSTED_HEADER.match(text):
        return "trusted"
    if _LOCKED_OUT_HEADER.match(text):
        return "locked"
    if _OWN_KEY.match(text) or _LOCKED_OUT.match(text) or _RUN_ON_TRUSTED.match(text):
        return ""
    return section


def _is_cut(text: str) -> bool:
    """``text`` stands for lines the poster cut ("...", "<very long list of exit nodes>"): the report goes on."""
    return is_elision_line(text) or (text[:1] == "<" and _PLACEHOLDER.match(text) is not None)


def _rows_follow(lines: Sequence[SourceLine], start: int) -> bool:
    """A locked-out row comes right under the header at ``lines[start]`` (past blanks and the poster's cuts)."""
    for line in lines[start + 1 : start + 1 + _LOOKAHEAD]:
        if line.command is not None:
            return False
        if line.text and not _is_cut(line.text):
            return _LOCKED_OUT_ROW.match(line.text) is not None
    return False


def lock_status_extent(lines: Sequence[SourceLine], start: int) -> int | None:
    """The index of the last line of a lock status that begins at ``lines[start]``, or None when none does.

    It begins at its "… lock is ENABLED." header, or (a paste cut above it) at the node's own line, or at the
    locked-out section's header when its rows follow (the poster cut the report's head, or elided it to "...")."""
    first = lines[start].text
    if _LOG_NOT_ENABLED.match(first):
        return start  # lock log's whole answer
    if not (
        HEADER.match(first)
        or _SIGNED.match(first)
        or _LOCKED_OUT.match(first)
        or (_LOCKED_OUT_HEADER.match(first) and _rows_follow(lines, start))
    ):
        return None
    section = _section(first, "")
    end = start
    index = start + 1
    stop = min(len(lines), start + _MAX_LINES)
    after_run_on = _RUN_ON_TRUSTED.match(first) is not None
    while index < stop:
        line = lines[index]
        text = line.text
        # the tab-indented `tailscale lock sign nodekey:…` under "Run the following command …" reads like a
        # typed command; it is output there
        if line.command is not None and not (after_run_on and _SIGN_COMMAND.match(text)):
            break
        if text:
            if _is_cut(text):
                # the poster's cut amid the report (rows left out): it goes on below, and the cut is part of it
                end = index
                index += 1
                continue
            if not _continues(text, section):
                break
            section = _section(text, section)
            after_run_on = _RUN_ON_TRUSTED.match(text) is not None
            end = index
        index += 1
    return end


def is_lock_status_start(text: str) -> bool:
    """Cheap test for the caller's loop: could ``text`` begin a lock status?"""
    return (
        text[-1:] in ".:d"
        and text[:4] in ("Netw", "netw", "Tail", "tail", "This", "Our ", "Erro", "The ")
        and (
            HEADER.match(text) is not None
            or _LOCKED_OUT_HEADER.match(text) is not None
            or _SIGNED.match(text) is not None
            or _LOCKED_OUT.match(text) is not None
            or _LOG_NOT_ENABLED.match(text) is not None
        )
    )


def parse_lock_status(lines: Sequence[SourceLine]) -> LockStatusReport:
    enabled: bool | None = None
    header = node_line = None
    node_signed: bool | None = None
    sig_kind = sign_command = own_key = None
    trusted: list[TrustedKey] = []
    locked: list[LockedOutNode] = []
    section = ""
    log_answer = False
    for line in lines:
        text = line.text
        if not text:
            continue
        if (match := HEADER.match(text)) is not None:
            enabled, header = match[1] == "ENABLED", line
        elif _LOG_NOT_ENABLED.match(text):
            enabled, header, log_answer = False, line, True
        elif _SIGNED.match(text):
            node_signed, node_line = True, line
        elif _LOCKED_OUT.match(text):
            node_signed, node_line = False, line
        elif (match := _SIGN_COMMAND.match(text)) is not None:
            sign_command = "tailscale lock sign " + " ".join(part for part in match.groups() if part)
        elif (match := _OWN_KEY.match(text)) is not None:
            own_key = match[1]
        elif section == "signature" and (match := _SIGNATURE_FIELD.match(text)) is not None:
            if match[1] == "SigKind" and sig_kind is None:  # the outer signature's kind, not a nested one's
                sig_kind = match[2].strip() or None
        elif section == "trusted" and (match := _TRUSTED_ROW.match(text)) is not None:
            preauth = _PREAUTH.search(match[3])
            trusted.append(
                TrustedKey(
                    match[1],
                    int(match[2]),
                    "(self)" in match[3] or "(us)" in match[3],
                    None if preauth is None else (preauth[1] or ""),
                    line,
                )
            )
        elif section == "locked" and (match := _LOCKED_OUT_ROW.match(text)) is not None:
            name = match["name"] or ""
            addresses = tuple(a.strip() for a in (match["addrs"] or "").split(",") if a.strip())
            if not addresses and _ADDRESSES.match(name):  # a node without a name: its empty column was stripped
                name, addresses = "", tuple(name.split(","))
            locked.append(LockedOutNode(name, addresses, match["id"], match["key"], line))
        section = _section(text, section)
    if enabled is None and (node_signed is not None or locked):
        enabled = True  # only an enabled lock prints the node's signature state, or the nodes it locks out
    return LockStatusReport(
        enabled,
        header,
        node_signed,
        node_line,
        sig_kind,
        sign_command,
        own_key,
        tuple(trusted),
        tuple(locked),
        tuple(lines),
        log_answer=log_answer,
    )


# ------------------------------------------------------------------------------------------- --json

# The members of either JSON layout; "Enabled" is in every one (omitted by neither).
_JSON_KEYS = frozenset(
    {"SchemaVersion", "_WARNING", "Enabled", "Head", "PublicKey", "NodeKey", "NodeKeySigned", "NodeKeySignature",
     "TrustedKeys", "VisiblePeers", "FilteredPeers", "StateID", "State"}
)  # fmt: skip
_LOCK_STATUS_JSON_COMMAND = typed_tailscale_command(r"lock\s+status\b.*--?json")
_NL_KEY = lazy_compile(r"^(?:tl|nl)pub:([0-9a-f]+)$")
_SIG_KINDS = {0: "invalid", 1: "direct", 2: "rotation", 3: "credential"}


def lock_status_document(document: object, command: str | None) -> dict[str, object] | None:
    """``document`` when it is `tailscale lock status --json`: only its members, "Enabled" among them, and a
    tailnet-lock key or the command shown."""
    if not isinstance(document, dict) or not isinstance(document.get("Enabled"), bool):
        return None
    if not document.keys() <= _JSON_KEYS or len(document) < 2:
        return None
    key = document.get("PublicKey")
    shown = command is not None and _LOCK_STATUS_JSON_COMMAND.search(command) is not None
    return document if shown or (isinstance(key, str) and _NL_KEY.match(key)) else None


def _cli_key(key: object) -> str | None:
    """A tailnet-lock key as the human layout prints it ("tlpub:…"; JSON before v1.94 says "nlpub:…")."""
    match = _NL_KEY.match(key) if isinstance(key, str) else None
    return f"tlpub:{match[1]}" if match else None


def _line_of(lines: Sequence[SourceLine], member: str, after: int = 0) -> SourceLine:
    """The line showing ``"member"`` (from index ``after``), or the document's first line."""
    return next((line for line in lines[after:] if f'"{member}"' in line.text), lines[0])


def _first_showing(lines: Sequence[SourceLine], start: int, *values: object) -> SourceLine:
    """The first line from ``start`` showing the first of ``values`` any line shows, or ``lines[start]``."""
    for value in values:
        if isinstance(value, str) and value:
            found = next((line for line in lines[start:] if value in line.text), None)
            if found is not None:
                return found
    return lines[start]


def _sig_kind(signature: object) -> str | None:
    kind = signature.get("SigKind") if isinstance(signature, dict) else None
    if isinstance(kind, str):
        return kind or None
    return _SIG_KINDS.get(kind) if isinstance(kind, int) and not isinstance(kind, bool) else None


def parse_lock_status_json(lines: Sequence[SourceLine], document: dict[str, object]) -> LockStatusReport:
    """`tailscale lock status --json` (either layout) as the same report as the human layout."""
    enabled = document["Enabled"] is True
    own_key = _cli_key(document.get("PublicKey"))
    signed = document.get("NodeKeySigned")
    # the human layout says signed or locked out only for an enabled lock with both keys known
    node_signed = signed if enabled and isinstance(signed, bool) and own_key and document.get("NodeKey") else None
    node_line = _line_of(lines, "NodeKeySigned") if node_signed is not None else None
    node_key = document.get("NodeKey")
    sign_command = (
        f"tailscale lock sign {node_key} {own_key}"
        if node_signed is False and isinstance(node_key, str) and own_key
        else None
    )
    trusted: list[TrustedKey] = []
    members = document.get("TrustedKeys") if enabled else None
    cursor = lines.index(_line_of(lines, "TrustedKeys"))
    for member in members if isinstance(members, list) else ():
        if not isinstance(member, dict) or (key := _cli_key(member.get("Key") or member.get("Public"))) is None:
            continue
        meta = member.get("Metadata") if "Metadata" in member else member.get("Meta")
        meta = meta if isinstance(meta, dict) else {}
        preauth = None
        if meta.get("purpose") == "pre-auth key":
            preauth = str(meta.get("authkey_stableid") or "")
        votes = member.get("Votes")
        line = _first_showing(lines, cursor, key.split(":", 1)[1])
        cursor = lines.index(line)
        trusted.append(TrustedKey(key, votes if isinstance(votes, int) else 0, key == own_key, preauth, line))
    locked: list[LockedOutNode] = []
    peers = document.get("FilteredPeers") if enabled else None
    cursor = lines.index(_line_of(lines, "FilteredPeers"))
    for peer in peers if isinstance(peers, list) else ():
        if not isinstance(peer, dict):
            continue
        name = peer.get("DNSName") if "DNSName" in peer else peer.get("Name")
        stable = peer.get("StableID") if "StableID" in peer else peer.get("ID")
        addresses = peer.get("TailscaleIPs")
        key = peer.get("NodeKey")
        line = _first_showing(lines, cursor, key, name)
        cursor = lines.index(line)
        locked.append(
            LockedOutNode(
                name if isinstance(name, str) else "",
                tuple(a for a in addresses if isinstance(a, str)) if isinstance(addresses, list) else (),
                str(stable) if isinstance(stable, (str, int)) and not isinstance(stable, bool) else "",
                key if isinstance(key, str) else "",
                line,
            )
        )
    return LockStatusReport(
        enabled,
        _line_of(lines, "Enabled"),
        node_signed,
        node_line,
        _sig_kind(document.get("NodeKeySignature")) if node_signed else None,
        sign_command,
        own_key,
        tuple(trusted),
        tuple(locked),
        tuple(lines),
        json_form=True,
    )
