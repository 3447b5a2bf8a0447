"""`tailscale lock status` (blind 14, corpus 500: "nothing recognised"): generated from the CLI's own wordings
since v1.30 (cmd/tailscale/cli/network-lock.go, tailnet-lock.go; tka/sig.go for the signature lines), under
the wrappings people paste them in. The user sees: the lock's state, whether this node is signed, the exact
`tailscale lock sign …` for a locked-out node or peer, and exit 1 only when something is locked out.
"""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from opskit.core.diagnose.text import hide_keys
from opskit.errors import InputError
from tests.diagnose.conftest import by_rule, run_json, run_text

KEY = "tlpub:" + "5d2e1f0a9b8c7d6e" * 4
NODE_KEY = "nodekey:" + "7e0a9d2c5b4f3e1d" * 4
PEER_KEY = "nodekey:" + "0e3b5d0c4a9c1c7a" * 4

# (header, signed line, locked-out line, run-on line, own-key label, trusted header, own mark, locked-out header)
WORDINGS = [
    (  # development builds before v1.30 (PR #6182): "Our node …", "our public-key:"
        "Network-lock is {state}.",
        "Our node is trusted by network-lock.",
        "Our node IS NOT trusted by network-lock, and action is required to establish connectivity.",
        "Run the following command on a node with a network-lock key:",
        "our public-key:",
        "Keys trusted to make changes to network-lock:",
        "(us)",
        None,
    ),
    (  # v1.30-v1.33
        "Network-lock is {state}.",
        "This node is trusted by network-lock.",
        "This node IS NOT trusted by network-lock, and action is required to establish connectivity.",
        "Run the following command on a node with a network-lock key:",
        "This node's public-key:",
        "Keys trusted to make changes to network-lock:",
        "(us)",
        None,
    ),
    (  # v1.34 betas
        "Tailnet-lock is {state}.",
        "This node is accessible under tailnet-lock.",
        "This node is LOCKED OUT by tailnet-lock, and action is required to establish connectivity.",
        "Run the following command on a node with a trusted key:",
        "This node's tailnet-lock key:",
        "Keys trusted to make changes to tailnet-lock:",
        "(us)",
        "The following peers are locked out by tailnet lock & do not have connectivity:",
    ),
    (  # v1.34-v1.67
        "Tailnet lock is {state}.",
        "This node is accessible under tailnet lock.",
        "This node is LOCKED OUT by tailnet lock, and action is required to establish connectivity.",
        "Run the following command on a node with a trusted key:",
        "This node's tailnet-lock key:",
        "Trusted signing keys:",
        "(self)",
        "The following nodes are locked out by tailnet lock and cannot connect to other nodes:",
    ),
    (  # v1.68-v1.89: the signature follows
        "Tailnet lock is {state}.",
        "This node is accessible under tailnet lock. Node signature:\nSigKind: direct\nPubkey: [Q8rT2]\nKeyID: " + KEY,
        "This node is LOCKED OUT by tailnet lock, and action is required to establish connectivity.",
        "Run the following command on a node with a trusted key:",
        "This node's tailnet-lock key:",
        "Trusted signing keys:",
        "(self)",
        "The following nodes are locked out by tailnet lock and cannot connect to other nodes:",
    ),
    (  # v1.90+
        "Tailnet Lock is {state}.",
        "This node is accessible under Tailnet Lock. Node signature:\nSigKind: rotation\nPubkey: [a1B2c]\nNested:\n"
        "  SigKind: direct\n  KeyID: " + KEY,
        "This node is LOCKED OUT by Tailnet Lock, and action is required to establish connectivity.",
        "Run the following command on a node with a trusted key:",
        "This node's tailnet-lock key:",
        "Trusted signing keys:",
        "(self)",
        "The following nodes are locked out by tailnet lock and cannot connect to other nodes:",
    ),
]
PROMPTS = ["$ tailscale lock status", "PS C:\\Users\\ops> tailscale lock status", "root@nas:~# tailscale lock status"]
FENCES = [("", ""), ("```\n", "\n```"), ("```console\n", "\n```\n")]
PROSE = ["", "Here is what lock status says on the new box:\n\n"]


def _status(wording: tuple[Any, ...], signed: bool, peers: bool) -> str:
    header, signed_line, locked_line, run_on, own_label, trusted_header, own_mark, peers_header = wording
    lines = [header.format(state="ENABLED"), ""]
    if signed:
        lines += [signed_line, ""]
    else:
        lines += [locked_line, run_on, f"\ttailscale lock sign {NODE_KEY} {KEY}", ""]
    lines += [f"{own_label} {KEY}", "", trusted_header, f"\t{KEY}\t1\t{own_mark}"]
    if peers and peers_header is not None:
        lines += ["", peers_header, f"\tbuild-7\t100.88.12.40,fd7a:115c:a1e0::4b01:c28\tnK3Dq1CNTRL\t{PEER_KEY}"]
    return "\n".join(lines)


def _paste(body: str, prompt: str, fence: tuple[str, str], prose: str) -> str:
    return f"{prose}{fence[0]}{prompt}\n{body}{fence[1]}"


@given(
    st.sampled_from(WORDINGS),
    st.booleans(),
    st.booleans(),
    st.sampled_from(PROMPTS),
    st.sampled_from(FENCES),
    st.sampled_from(PROSE),
)
@settings(max_examples=80, deadline=None)
def test_every_wording_reads_the_node_and_the_locked_out_peers(
    wording: tuple[Any, ...], signed: bool, peers: bool, prompt: str, fence: tuple[str, str], prose: str
) -> None:
    text = _paste(_status(wording, signed, peers), prompt, fence, prose)
    document = run_json(text)
    (lock,) = document["tailnet_locks"]
    assert lock["enabled"] is True and lock["node_signed"] is signed, text
    assert [k["key"] for k in lock["trusted_keys"]] == [KEY] and lock["trusted_keys"][0]["own"], text
    assert lock["own_key"] == KEY
    shows_peers = peers and wording[7] is not None
    assert [n["node_key"] for n in lock["locked_out"]] == ([PEER_KEY] if shows_peers else []), text
    assert document["summary"]["exit_code"] == (0 if signed and not shows_peers else 1), text
    assert [b["kind"] for b in document["blocks"]] == ["tailnet-lock-status"], text
    diagnosis = run_text(text)
    if not signed:
        (finding,) = by_rule(diagnosis, "TS-LOCK-NODE-LOCKED-OUT")
        assert f"tailscale lock sign {NODE_KEY} {KEY}" in finding.fix  # the command the CLI printed, values kept
        assert lock["sign_command"] == f"tailscale lock sign {NODE_KEY} {KEY}"
    else:
        (note,) = by_rule(diagnosis, "TS-LOCK-STATUS")
        assert "signed" in note.cause and note.severity == 1
    if shows_peers:
        (finding,) = by_rule(diagnosis, "TS-LOCK-PEERS-LOCKED-OUT")
        assert "build-7" in finding.cause and f"tailscale lock sign {PEER_KEY}" in finding.fix


@given(st.sampled_from(WORDINGS), st.sampled_from(PROMPTS), st.sampled_from(FENCES))
@settings(max_examples=20, deadline=None)
def test_a_tailnet_without_the_lock_is_a_note(wording: tuple[Any, ...], prompt: str, fence: tuple[str, str]) -> None:
    text = _paste(wording[0].format(state="NOT enabled") + "\n", prompt, fence, "")
    document = run_json(text)
    assert document["tailnet_locks"][0]["enabled"] is False
    assert document["summary"]["exit_code"] == 0
    (note,) = by_rule(run_text(text), "TS-LOCK-STATUS")
    assert "not enabled" in note.cause


def test_a_paste_cut_above_the_header_starts_at_the_node_line() -> None:
    text = "...\nThis node is LOCKED OUT by tailnet lock, and action is required to establish connectivity.\n"
    document = run_json(text)
    (lock,) = document["tailnet_locks"]
    assert lock["enabled"] is True and lock["node_signed"] is False and lock["sign_command"] is None
    (finding,) = by_rule(run_text(text), "TS-LOCK-NODE-LOCKED-OUT")
    assert "<this node's nodekey:…>" in finding.fix  # no made-up key when the paste shows none


def test_an_unnamed_locked_out_node_keeps_its_address_not_a_name() -> None:
    text = (
        "Tailnet lock is ENABLED.\n\nThe following nodes are locked out by tailnet lock and cannot connect to other "
        f"nodes:\n\t\t100.88.12.41\tnL7Fv2CNTRL\t{PEER_KEY}\n"
    )
    (node,) = run_json(text)["tailnet_locks"][0]["locked_out"]
    assert node["name"] is None and node["addresses"] == ["100.88.12.41"] and node["stable_id"] == "nL7Fv2CNTRL"


LOCK_WORDS = ["Tailnet lock is", "This node is accessible under", "Trusted signing keys"]


@given(st.sampled_from(LOCK_WORDS), st.text(max_size=40))
@settings(max_examples=60, deadline=None)
def test_prose_that_only_mentions_the_lock_is_no_lock_status(start: str, rest: str) -> None:
    line = f"{start} {rest}".replace("\n", " ")
    if line.rstrip().endswith(("ENABLED.", "NOT enabled.", "lock.", "Lock.", "signature:")):
        return  # that is the status's own line
    text = f"I think {line}\n"
    try:
        document = run_json(text)
    except InputError:  # nothing recognised: the right answer for prose
        return
    assert document["tailnet_locks"] == []


def test_a_credential_in_lock_output_is_never_printed_back() -> None:
    secret = "disablement-secret:" + "A1B2C3D4E5F60718" * 4
    assert "A1B2C3D4E5F60718" not in hide_keys(f"\t{secret}")


# fix18-status (blind 418): up to v1.33 the CLI printed `tailscale lock sign <nodekey>` alone, tab-indented; that
# line looks like a typed command and must not end the status (the trusted keys below it were lost).
@given(st.sampled_from(WORDINGS[:2]), st.sampled_from(PROMPTS + ["[xxx@tslptp:~/nl-test]$ sudo ./tailscale lock"]))
@settings(max_examples=20, deadline=None)
def test_a_sign_command_with_the_node_key_alone_stays_inside_the_status(wording: tuple[Any, ...], prompt: str) -> None:
    header, _, locked_line, run_on, own_label, trusted_header, own_mark, _ = wording
    body = "\n".join(
        [header.format(state="ENABLED"), "", locked_line, run_on, f"\ttailscale lock sign {NODE_KEY}", ""]
        + [f"{own_label} {KEY}", "", trusted_header, f"\t{KEY}\t1\t{own_mark}"]
    )
    text = f"```shell\n{prompt}\n{body}\n```"
    document = run_json(text)
    (lock,) = document["tailnet_locks"]
    assert lock["node_signed"] is False and lock["sign_command"] == f"tailscale lock sign {NODE_KEY}", text
    assert [k["key"] for k in lock["trusted_keys"]] == [KEY] and lock["own_key"] == KEY, text
    assert document["summary"]["exit_code"] == 1
    (finding,) = by_rule(run_text(text), "TS-LOCK-NODE-LOCKED-OUT")
    assert f"tailscale lock sign {NODE_KEY}" in finding.fix
