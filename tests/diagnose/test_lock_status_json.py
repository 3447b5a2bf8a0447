"""`tailscale lock status --json` reads into the same report as the human layout, for every state and layout.

Generated Tailnet Lock states are printed twice as the CLI prints them (cmd/tailscale/cli/tailnet-lock.go,
network-lock.go before): the human layout (printTailnetLockStatus) and --json, either ipnstate.NetworkLockStatus
marshalled (v1.36-v1.92: "nlpub:" keys, "Head" as numbers, "SigKind" a number, "FilteredPeers" with "Name"
and "StableID") or the stable schema of v1.94+ (cmd/tailscale/tslockjsonv1: "SchemaVersion", "tlpub:" keys,
"Public"/"Meta" trusted keys, "DNSName"/"ID" peers, "State"). Both must give the same facts: enabled, this
node signed or locked out (and the sign command), its key, the trusted keys (own, pre-auth), the locked-out nodes.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.diagnose.conftest import run_json

_SIG_KIND_NUMBERS = {"direct": 1, "rotation": 2, "credential": 3}


@dataclass(frozen=True)
class Peer:
    name: str
    addresses: tuple[str, ...]
    stable_id: str
    node_key: str


@dataclass(frozen=True)
class LockState:
    enabled: bool
    signed: bool
    sig_kind: str
    own_hex: str
    node_key: str
    trusted: tuple[tuple[str, int, str | None], ...]  # (hex, votes, pre-auth key stable ID or "" or None)
    locked_out: tuple[Peer, ...]


def _hex(seed: int) -> str:
    return f"{seed:02x}" * 32


PEERS = [
    Peer("laptop.tail1234.ts.net", ("100.101.102.103", "fd7a:115c:a1e0::1"), "nABCD1CNTRL", "nodekey:" + _hex(0xA1)),
    Peer("nas.tail1234.ts.net", ("100.64.0.7",), "n9XYZ2CNTRL", "nodekey:" + _hex(0xB2)),
    Peer("phone.tail1234.ts.net", ("100.88.1.2", "fd7a:115c:a1e0::2"), "nQWE33CNTRL", "nodekey:" + _hex(0xC3)),
]

STATES = st.builds(
    LockState,
    enabled=st.booleans(),
    signed=st.booleans(),
    sig_kind=st.sampled_from(["direct", "rotation", "credential"]),
    own_hex=st.sampled_from([_hex(0x11), _hex(0x22)]),
    node_key=st.just("nodekey:" + _hex(0x3C)),
    trusted=st.lists(
        st.tuples(
            st.sampled_from([_hex(0x11), _hex(0x44), _hex(0x55)]),
            st.integers(1, 2),
            st.sampled_from([None, "", "kAuthKey1CNTRL"]),
        ),
        max_size=3,
        unique_by=lambda row: row[0],
    ).map(tuple),
    locked_out=st.lists(st.sampled_from(PEERS), max_size=3, unique=True).map(tuple),
)


def human_layout(state: LockState) -> list[str]:
    """printTailnetLockStatus (v1.90+ wording)."""
    out = ["Tailnet Lock is ENABLED." if state.enabled else "Tailnet Lock is NOT enabled.", ""]
    if state.enabled:
        if state.signed:
            out += ["This node is accessible under Tailnet Lock. Node signature:", f"SigKind: {state.sig_kind}"]
            out += ["Pubkey: [PWVt3]", f"KeyID: tlpub:{state.own_hex}"]
        else:
            out += [
                "This node is LOCKED OUT by Tailnet Lock, and action is required to establish connectivity.",
                "Run the following command on a node with a trusted key:",
                f"\ttailscale lock sign {state.node_key} tlpub:{state.own_hex}",
            ]
        out.append("")
    out += [f"This node's tailnet-lock key: tlpub:{state.own_hex}", ""]
    if state.enabled and state.trusted:
        out.append("Trusted signing keys:")
        for key, votes, preauth in state.trusted:
            mark = "(self)" if key == state.own_hex else ""
            if preauth is not None:
                mark += f"(pre-auth key {preauth})" if preauth else "(pre-auth key)"
            out.append(f"\ttlpub:{key}\t{votes}\t{mark}")
    if state.enabled and state.locked_out:
        out += ["", "The following nodes are locked out by tailnet lock and cannot connect to other nodes:"]
        for peer in state.locked_out:
            out.append(f"\t{peer.name}.\t{','.join(peer.addresses)}\t{peer.stable_id}\t{peer.node_key}")
    return out


def _meta(preauth: str | None) -> dict[str, str] | None:
    if preauth is None:
        return None
    return {"purpose": "pre-auth key", **({"authkey_stableid": preauth} if preauth else {})}


def json_layout(state: LockState, stable_schema: bool) -> dict[str, Any]:
    """The --json document: ipnstate.NetworkLockStatus (v1.36-v1.92) or tslockjsonv1.StatusResponse (v1.94+)."""
    if stable_schema:
        document: dict[str, Any] = {
            "SchemaVersion": "1",
            "Enabled": state.enabled,
            "PublicKey": f"tlpub:{state.own_hex}",
            "NodeKey": state.node_key,
        }
        if not state.enabled:
            return document
        document |= {
            "Head": "L2ZGUC7QNRQW6LTOHL4PSBPGSRHJMYX6QA4VMO7H4ZEA2E3OXUVA",
            "NodeKeySigned": state.signed,
            **({"NodeKeySignature": {"SigKind": state.sig_kind, "Signature": "c2ln"}} if state.signed else {}),
            "TrustedKeys": [
                {"Kind": "25519", "Votes": votes, "Public": f"tlpub:{key}", **({"Meta": _meta(p)} if _meta(p) else {})}
                for key, votes, p in state.trusted
            ],
            "VisiblePeers": [],
            "FilteredPeers": [
                {"ID": p.stable_id, "DNSName": p.name + ".", "TailscaleIPs": list(p.addresses), "NodeKey": p.node_key}
                for p in state.locked_out
            ],
            "State": 1234567,
        }
        return document
    return {
        "Enabled": state.enabled,
        "Head": list(range(32)) if state.enabled else None,
        "PublicKey": f"nlpub:{state.own_hex}",
        "NodeKey": state.node_key,
        "NodeKeySigned": state.signed and state.enabled,
        "NodeKeySignature": {"SigKind": _SIG_KIND_NUMBERS[state.sig_kind], "Pubkey": "AAAA", "KeyID": "EREA"}
        if state.signed and state.enabled
        else None,
        "TrustedKeys": [
            {"Key": f"nlpub:{key}", "Metadata": _meta(p), "Votes": votes} for key, votes, p in state.trusted
        ]
        if state.enabled
        else None,
        "FilteredPeers": [
            {
                "Name": p.name + ".",
                "ID": 123456,
                "StableID": p.stable_id,
                "TailscaleIPs": list(p.addresses),
                "NodeKey": p.node_key,
            }
            for p in state.locked_out
        ]
        if state.enabled
        else None,
        "StateID": 1234567,
    }


def _facts(text: str) -> dict[str, Any]:
    document = run_json(text)
    (lock,) = document["tailnet_locks"]
    return {
        "enabled": lock["enabled"],
        "node_signed": lock["node_signed"],
        "signature_kind": lock["signature_kind"],
        "sign_command": lock["sign_command"],
        "own_key": lock["own_key"],
        "trusted": [(k["key"], k["votes"], k["own"], k["preauth_key"]) for k in lock["trusted_keys"]],
        "locked_out": [(n["name"], n["addresses"], n["stable_id"], n["node_key"]) for n in lock["locked_out"]],
        "rules": sorted(f["rule"] for f in document["findings"]),
    }


PROMPTS = [
    "$ tailscale lock status --json",
    "PS C:\\> tailscale lock status --json",
    "# tailscale lock status --json",
    None,
]


@given(STATES, st.booleans(), st.sampled_from(PROMPTS), st.sampled_from([2, None]))
@settings(max_examples=100, deadline=None)
def test_lock_status_json_reads_the_same_facts_as_the_human_layout(
    state: LockState, stable_schema: bool, prompt: str | None, indent: int | None
) -> None:
    human = _facts("\n".join(["$ tailscale lock status", *human_layout(state)]))
    body = json.dumps(json_layout(state, stable_schema), indent=indent)
    facts = _facts("\n".join([*([prompt] if prompt else []), body]))
    if not state.signed:
        human["signature_kind"] = None  # (the human layout prints none for a locked-out node either)
    assert facts == human, (body, facts, human)


def test_the_json_layout_is_named_and_evidenced_on_its_members() -> None:
    state = LockState(True, False, "direct", _hex(0x11), "nodekey:" + _hex(0x3C), ((_hex(0x44), 1, None),), (PEERS[0],))
    text = "$ tailscale lock status --json\n" + json.dumps(json_layout(state, True), indent=2)
    document = run_json(text)
    (block,) = document["blocks"]
    assert block["kind"] == "tailnet-lock-status" and block["layout"] == "tailscale lock status --json (enabled)"
    locked = next(f for f in document["findings"] if f["rule"] == "TS-LOCK-NODE-LOCKED-OUT")
    assert '"NodeKeySigned": false' in locked["evidence"][0]["text"]
    assert f"tailscale lock sign {state.node_key} tlpub:{state.own_hex}" in locked["fix"]


@pytest.mark.parametrize(
    "document",
    [
        {"Enabled": True},  # one member, no key, no command: could be anything
        {"Enabled": True, "Name": "x", "PublicKey": "nlpub:" + _hex(1)},  # a member the lock status has not
        {"Enabled": "yes", "PublicKey": "nlpub:" + _hex(1)},
        {"Enabled": True, "PublicKey": "tskey-abc"},
    ],
)
def test_other_json_is_not_a_lock_status(document: dict[str, Any]) -> None:
    try:
        facts = run_json(json.dumps(document, indent=2))
    except Exception:  # nothing recognised (InputError): right
        return
    assert not facts["tailnet_locks"]
