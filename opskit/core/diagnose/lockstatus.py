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
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from opskit.core.diagnose.text import SourceLine

_LOCK = r"(?:network|tailnet)[- ]lock"
HEADER = re.compile(rf"^{_LOCK} is (ENABLED|NOT enabled)\.$", re.IGNORECASE)
# "Our node …" is the wording of the first development builds (PR #6182, before v1.30 shipped "This node …")
_SIGNED = re.compile(
    rf"^(?:This|Our) node is (?:accessible under|trusted by) {_LOCK}\.(?: Node signature:)?$", re.IGNORECASE
)
_LOCKED_OUT = re.compile(
    rf"^(?:This|Our) node (?:is LOCKED OUT by|IS NOT trusted by) {_LOCK}, "
    r"and action is required to establish connectivity\.$",
    re.IGNORECASE,
)
_RUN_ON_TRUSTED = re.compile(r"^Run the following command on a node with a (?:trusted|network-lock) key:$")
_SIGN_COMMAND = re.compile(r"^(?:\S*tailscale(?:\.exe)? )?lock sign (nodekey:[0-9a-f]+)(?: ((?:tl|nl)pub:[0-9a-f]+))?$")
_SIGNATURE_FIELD = re.compile(r"^(SigKind|Pubkey|KeyID|WrappingPubkey|Nested):\s*(.*)$")
_OWN_KEY = re.compile(r"^(?:our public-key|This node's (?:public-key|tailnet-lock key)): ((?:tl|nl)pub:[0-9a-f]+)$")
_TRUSTED_HEADER = re.compile(rf"^(?:Trusted signing keys|Keys trusted to make changes to {_LOCK}):$", re.IGNORECASE)
_TRUSTED_ROW = re.compile(r"^((?:tl|nl)pub:[0-9a-f]+)\s+(\d+)\s*(.*)$")
# (people abridge it when they retype or document it: "The following nodes are locked out:"; the rows under
# it are what make it this header)
_LOCKED_OUT_HEADER = re.compile(
    rf"^The following (?:peers|nodes) are locked out(?: by {_LOCK})?"
    r"(?: & do not have connectivity| and cannot connect to other nodes)?:$",
    re.IGNORECASE,
)
# name, addresses (comma-separated, maybe none), stable ID, node key; a node without a name leaves its column empty
_LOCKED_OUT_ROW = re.compile(
    r"^(?:(?P<name>\S+)\s+)?(?P<addrs>[0-9A-Fa-f.:,]+\s+)?(?P<id>\S+)\s+(?P<key>nodekey:[0-9a-f]+)$"
)
_ADDRESSES = re.compile(r"^[0-9.]+(?:,[0-9A-Fa-f:.]+)*$|^[0-9A-Fa-f]*:[0-9A-Fa-f:.,]+$")
_PREAUTH = re.compile(r"\(pre-auth key(?: (\S+))?\)")
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

    @property
    def layout(self) -> str:
        state = {True: "enabled", False: "not enabled", None: "state not shown"}[self.enabled]
        return f"tailscale lock status ({state})"


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


def lock_status_extent(lines: Sequence[SourceLine], start: int) -> int | None:
    """The index of the last line of a lock status that begins at ``lines[start]``, or None when none does.

    It begins at its "… lock is ENABLED." header, or (a paste cut above it) at the node's own line."""
    first = lines[start].text
    if not (HEADER.match(first) or _SIGNED.match(first) or _LOCKED_OUT.match(first)):
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
        text[-1:] in ".:"
        and text[:4] in ("Netw", "netw", "Tail", "tail", "This", "Our ")
        and (HEADER.match(text) is not None or _SIGNED.match(text) is not None or _LOCKED_OUT.match(text) is not None)
    )


def parse_lock_status(lines: Sequence[SourceLine]) -> LockStatusReport:
    enabled: bool | None = None
    header = node_line = None
    node_signed: bool | None = None
    sig_kind = sign_command = own_key = None
    trusted: list[TrustedKey] = []
    locked: list[LockedOutNode] = []
    section = ""
    for line in lines:
        text = line.text
        if not text:
            continue
        if (match := HEADER.match(text)) is not None:
            enabled, header = match[1] == "ENABLED", line
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
            name, addresses = match["name"] or "", tuple(a for a in (match["addrs"] or "").strip().split(",") if a)
            if not addresses and _ADDRESSES.match(name):  # a node without a name: its empty column was stripped
                name, addresses = "", tuple(name.split(","))
            locked.append(LockedOutNode(name, addresses, match["id"], match["key"], line))
        section = _section(text, section)
    if enabled is None and node_signed is not None:
        enabled = True  # only an enabled lock prints the node's signature state
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
    )
