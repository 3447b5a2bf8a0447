"""Generated tests for blind batch 30's log misses, read as classes (what a user sees in the JSON document).

1. peer-key-unknown: a peer reaching this node with a node key its netmap does not hold (magicsock's "disco: ignoring
   <msg> from d:…; [key] is unknown", any message type, and the older wordings), repeated for one key with no later
   path to that peer: a warning naming the peer by its short key, nothing invented. A lone line is routine.
2. A control answer the client cannot decrypt (legacy "cannot decrypt response" under every wrapper, the Noise
   handshake's "decrypting payload: …") is control-too-old (a version pairing problem), never control-unreachable.
3. The one-shot `tailscaled --cleanup` run, and deleting/flushing rules or chains that are not there in any run, are
   not firewall failures; a failed add/insert still is.
4. 1.62's IPv6 filter probe refused its rights: firewall-failed whose cause says tunneled IPv6 is off and names the
   xtables lock.
"""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.diagnose.log_catalog import LOG_PREFIXES, document_of, exit_code, log_issues, log_kinds


def _finding(document: dict[str, Any], rule: str) -> dict[str, Any]:
    found = [finding for finding in document["findings"] if finding["rule"] == rule]
    assert len(found) == 1, [finding["rule"] for finding in document["findings"]]
    return found[0]


def _paste(prefix: str, *messages: str) -> str:
    return "\n".join(prefix.format(msg=message) for message in messages) + "\n"


_prefixes = st.sampled_from(LOG_PREFIXES)
_ROUTINE = 'logtail: dialed "log.tailscale.io:443" in 199ms'

# --------------------------------------------------------------------------------- 1. peer-key-unknown

_short_keys = st.text("ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789", min_size=5, max_size=5)
_disco_keys = st.text("0123456789abcdef", min_size=16, max_size=16).map(lambda hex_: f"d:{hex_}")
_MESSAGE_TYPES = ("CallMeMaybe", "CallMeMaybeVia", "AllocateUDPRelayEndpointResponse")


def _ignoring(kind: str, disco: str, key: str) -> str:
    return f"magicsock: disco: ignoring {kind} from {disco}; [{key}] is unknown"


@settings(max_examples=60, deadline=None)
@given(_prefixes, st.sampled_from(_MESSAGE_TYPES), _disco_keys, _short_keys, st.integers(2, 5), st.booleans())
def test_a_key_refused_repeatedly_is_peer_key_unknown_naming_that_peer(
    prefix: str, kind: str, disco: str, key: str, times: int, routine_first: bool
) -> None:
    messages = ((_ROUTINE,) if routine_first else ()) + (_ignoring(kind, disco, key),) * times
    document = document_of(_paste(prefix, *messages))
    issues = [issue for issue in log_issues(document) if issue["kind"] == "peer-key-unknown"]
    assert [(issue["about"], issue["severity"], issue["count"]) for issue in issues] == [(key, "warning", times)]
    assert exit_code(document) == 1
    finding = _finding(document, "TS-LOG-PEER-KEY-UNKNOWN")
    assert key in finding["cause"] and "netmap" in finding["cause"]
    assert "control server" in finding["fix"] and "policy" in finding["fix"]
    peers = [peer for peer in document["peers"] if peer["name"] == key]
    assert len(peers) == 1 and peers[0]["ip"] is None  # named by the key as printed, nothing invented
    assert not log_kinds(document) & {"packet-dropped", "derp-unreachable", "control-unreachable", "peer-unreachable"}


_OLD_WORDINGS = (
    "magicsock: DERP packet from unknown key: [{key}]",
    "magicsock: disco: ignoring disco-looking frame, don't know of key {disco}",
    "magicsock: disco: ignoring disco-looking frame, don't know endpoint for {disco}",
    "magicsock: disco: ignoring disco-looking frame, don't know node for {disco}",
    "magicsock: disco: [unexpected] ignoring ping from unknown peer Node",
)


@settings(max_examples=40, deadline=None)
@given(_prefixes, st.sampled_from(_OLD_WORDINGS), _disco_keys, _short_keys)
def test_older_wordings_of_an_unknown_sender_repeated_are_peer_key_unknown(
    prefix: str, wording: str, disco: str, key: str
) -> None:
    line = wording.format(key=key, disco=disco)
    document = document_of(_paste(prefix, _ROUTINE, line, line))
    assert "peer-key-unknown" in log_kinds(document)
    assert exit_code(document) == 1


@settings(max_examples=40, deadline=None)
@given(_prefixes, st.sampled_from(_MESSAGE_TYPES), _disco_keys, _short_keys, _short_keys)
def test_a_lone_refusal_per_key_is_routine(prefix: str, kind: str, disco: str, key: str, other: str) -> None:
    document = document_of(_paste(prefix, _ROUTINE, _ignoring(kind, disco, key), _ignoring(kind, disco, other + "x")))
    assert "peer-key-unknown" not in log_kinds(document)
    assert exit_code(document) == 0


_KEY_KNOWN = (
    "magicsock: disco: node [{key}] {disco} now using 192.0.2.7:41641",
    "magicsock: disco: v0.14 ([{key}], {disco}) got pong tx=0a1b2c3d4e5f latency=12ms pong.src=192.0.2.7:41641",
    "magicsock: adding connection to derp-4 for [{key}]",
    "wg: [v2] [{key}] - Received handshake response",
    "magicsock: disco: send, starting discovery for [{key}] ({disco})",
)


@settings(max_examples=50, deadline=None)
@given(_prefixes, st.sampled_from(_MESSAGE_TYPES), _disco_keys, _short_keys, st.sampled_from(_KEY_KNOWN))
def test_a_later_path_to_the_peer_clears_it(prefix: str, kind: str, disco: str, key: str, known: str) -> None:
    refused = _ignoring(kind, disco, key)
    document = document_of(_paste(prefix, refused, refused, refused, known.format(key=key, disco=disco)))
    assert "peer-key-unknown" not in log_kinds(document)
    assert "TS-LOG-PEER-KEY-UNKNOWN" not in {finding["rule"] for finding in document["findings"]}


_NEAR_MISSES = (
    "magicsock: disco: ignoring {kind} from {disco}; {disco} is not known to be relay capable",
    "magicsock: disco: node [{key}] {disco} now using 192.0.2.7:41641",
    "magicsock: sending CallMeMaybe to unknown peer per TS_DEBUG_SEND_CALLME_UNKNOWN_PEER",
)


@settings(max_examples=30, deadline=None)
@given(_prefixes, st.sampled_from(_NEAR_MISSES), st.sampled_from(_MESSAGE_TYPES), _disco_keys, _short_keys)
def test_near_miss_lines_are_not_peer_key_unknown(prefix: str, near: str, kind: str, disco: str, key: str) -> None:
    line = near.format(kind=kind, disco=disco, key=key)
    document = document_of(_paste(prefix, _ROUTINE, line, line))
    assert "peer-key-unknown" not in log_kinds(document)


# ---------------------------------------------------------------------- 2. an answer that does not decrypt

_UNREADABLE = (
    "control: [v1] TryLogin: register request: cannot decrypt response",
    "Received error: register request: cannot decrypt response",
    "control: Received error: register request: cannot decrypt response (len 1022 + nonce 24 = 1046)",
    "control: PollNetMap: cannot decrypt response",
    "control: error decoding RegisterResponse with server key [{a}] and machine key [{b}]: cannot decrypt response",
    "control: [v1] netmap: decode error: cannot decrypt response",
    'Received error: register request: Post "https://hs.example.com/machine/register": decrypting payload: '
    "chacha20poly1305: message authentication failed",
    "control: [v1] TryLogin: fetch control key: decrypting payload: chacha20poly1305: message authentication failed",
)


@settings(max_examples=60, deadline=None)
@given(_prefixes, st.sampled_from(_UNREADABLE), _short_keys, _short_keys, st.booleans())
def test_an_answer_that_does_not_decrypt_is_control_too_old(
    prefix: str, wording: str, a: str, b: str, with_state: bool
) -> None:
    line = wording.format(a=a, b=b)
    state = ("control: [v1] sendStatus: authRoutine-report: state:authenticating",) if with_state else ()
    document = document_of(_paste(prefix, line, *state, line))
    kinds = log_kinds(document)
    assert "control-too-old" in kinds
    assert not kinds & {"control-unreachable", "tls-intercepted", "clock-skew", "crash", "derp-unreachable"}
    assert exit_code(document) == 1
    finding = _finding(document, "TS-LOG-CONTROL-TOO-OLD")
    assert "decrypt" in finding["cause"] and "no Noise" not in finding["cause"]
    assert "version pairing" in finding["fix"] and "1.30" in finding["fix"]


@settings(max_examples=20, deadline=None)
@given(_prefixes, st.sampled_from(_UNREADABLE[:4]))
def test_a_later_registration_clears_it(prefix: str, line: str) -> None:
    document = document_of(_paste(prefix, line, "Switching ipn state Starting -> Running (WantRunning=true, nm=true)"))
    assert "control-too-old" not in log_kinds(document)
    assert exit_code(document) == 0


@settings(max_examples=20, deadline=None)
@given(_prefixes, _short_keys, _short_keys, st.sampled_from(("unexpected EOF", "http2: response body closed")))
def test_a_cut_register_answer_stays_control_unreachable(prefix: str, a: str, b: str, error: str) -> None:
    line = f"control: error decoding RegisterResponse with server key [{a}] and machine key [{b}]: {error}"
    kinds = log_kinds(document_of(_paste(prefix, line)))
    assert "control-too-old" not in kinds and "control-unreachable" in kinds


def test_no_noise_key_still_says_so() -> None:
    document = document_of(_paste(LOG_PREFIXES[1], "Received error: control server is too old; no noise key"))
    assert "no Noise (ts2021) key" in _finding(document, "TS-LOG-CONTROL-TOO-OLD")["cause"]


# -------------------------------------------------------------- 3. --cleanup and deletions of absent rules

_START = 'Program starting: v{version}-t0a01efc8f-g3d0598425, Go 1.21.4: []string{{"/usr/sbin/tailscaled", {args}}}'
_CLEANUP_ARGS = ('"--cleanup"', '"-cleanup"', '"--cleanup=true"', '"--state=/var/lib/tailscale/s", "--cleanup"')
_ABSENT = (
    "deleting [-j ts-input] in filter/INPUT: running [/usr/sbin/iptables -t filter -D INPUT -j ts-input --wait]: "
    "exit status 2: iptables v1.8.9 (nf_tables): Chain 'ts-input' does not exist",
    "router: note: flushing filter/ts-forward: running [/usr/sbin/ip6tables -t filter -F ts-forward --wait]: "
    "exit status 1: ip6tables: No chain/target/match by that name.",
    "router: deleting filter/ts-input: running [/sbin/iptables -t filter -X ts-input --wait]: exit status 1: "
    "iptables: No chain/target/match by that name.",
    "router: deleting [-j ts-forward] in filter/FORWARD: running [/sbin/iptables -t filter -D FORWARD -j ts-forward "
    "--wait]: exit status 1: iptables: Bad rule (does a matching rule exist in that chain?).",
    "router: running [/usr/sbin/iptables -t nat -D POSTROUTING -j ts-postrouting --wait]: exit status 2: "
    "iptables v1.8.7 (legacy): Couldn't load target `ts-postrouting':No such file or directory",
)
_ADD_FAILED = (
    "router: adding [-j ts-input] in filter/INPUT: running [/usr/sbin/iptables -t filter -I INPUT 1 -j ts-input "
    "--wait]: exit status 3: iptables v1.8.7 (legacy): can't initialize iptables table `filter': Table does not "
    "exist (do you need to insmod?)",
    "router: setting up netfilter: running [/sbin/iptables -t filter -N ts-input --wait]: exit status 4: "
    "iptables v1.8.7 (nf_tables): Could not fetch rule set generation id: Permission denied (you must be root)",
)
_versions = st.sampled_from(("1.54.1", "1.48.2", "1.62.0", "1.80.3"))


@settings(max_examples=40, deadline=None)
@given(_prefixes, _versions, st.sampled_from(_CLEANUP_ARGS), st.sampled_from(_ABSENT + _ADD_FAILED))
def test_the_cleanup_run_reads_no_firewall_failure(prefix: str, version: str, args: str, line: str) -> None:
    start = _START.format(version=version, args=args)
    document = document_of(_paste(prefix, start, 'dns: using "direct" mode', line))
    assert "firewall-failed" not in log_kinds(document)
    assert exit_code(document) == 0
    assert [log["hand_started"] for log in document["daemon_logs"]] == [False]


@settings(max_examples=40, deadline=None)
@given(_prefixes, _versions, st.sampled_from(_ABSENT))
def test_deleting_what_is_not_there_is_routine_in_any_run(prefix: str, version: str, line: str) -> None:
    start = _START.format(version=version, args='"--state=/var/lib/tailscale/tailscaled.state"')
    document = document_of(_paste(prefix, start, line))
    assert "firewall-failed" not in log_kinds(document)


@settings(max_examples=30, deadline=None)
@given(_prefixes, _versions, st.sampled_from(_CLEANUP_ARGS), st.sampled_from(_ADD_FAILED), st.booleans())
def test_an_add_failure_of_a_real_run_stays_firewall_failed(
    prefix: str, version: str, args: str, line: str, cleanup_first: bool
) -> None:
    cleanup = (_START.format(version=version, args=args), _ABSENT[0]) if cleanup_first else ()
    start = _START.format(version=version, args='"--state=/var/lib/tailscale/tailscaled.state"')
    document = document_of(_paste(prefix, *cleanup, start, line))
    assert "firewall-failed" in log_kinds(document)
    assert exit_code(document) == 1


# ------------------------------------------------------------------- 4. 1.62's IPv6 filter probe failing

_PROBE = (
    "router: ipv6 unavailable due to missing filter table: running [{tool} -t filter -S --wait]: "
    "exit status {code}: {err}"
)
_LOCK_ERRORS = (
    "Fatal: can't open lock file /run/xtables.lock: Permission denied",
    "Fatal: can't open lock file /var/run/xtables.lock: Permission denied",
)
# (a probe finding no table is an info since blind batch 40's lead decision: test_blind40_logs.py; one refused its
# rights as root-only stays a failure)
_OTHER_ERRORS = (
    "ip6tables v1.8.7 (nf_tables): Could not fetch rule set generation id: Permission denied (you must be root)",
)


@settings(max_examples=30, deadline=None)
@given(
    _prefixes,
    st.sampled_from(("/sbin/ip6tables", "/usr/sbin/ip6tables")),
    st.integers(1, 4),
    st.sampled_from(_LOCK_ERRORS + _OTHER_ERRORS),
)
def test_the_ipv6_probe_failing_says_tunneled_ipv6_is_off(prefix: str, tool: str, code: int, err: str) -> None:
    document = document_of(_paste(prefix, _PROBE.format(tool=tool, code=code, err=err)))
    assert "firewall-failed" in log_kinds(document)
    finding = _finding(document, "TS-LOG-FIREWALL-FAILED")
    assert "tunneled IPv6 off" in finding["cause"]
    if "xtables.lock" in err:
        assert "lock file" in finding["cause"] and "xtables lock" in finding["fix"]
    else:
        assert "ip6tables is unusable" in finding["cause"] and "xtables" not in finding["fix"]
