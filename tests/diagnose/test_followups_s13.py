"""Generated tests: session 12's follow-ups (session 13), each a class of small misreadings.

a. Android's keystore2 refusing to create a key ("keystore2::error: In generate_key.", the Keystore's
   ProviderException) names no app: Tailscale's `state-unwritable` (android-keystore) only when the paste shows
   Tailscale (its tag or package, a line of its log, the poster's words); else not read as Tailscale's at all.
b. TS-LOG-SSH-RECORDING-FAILED words its finding by what the logged version could do: "(failing open)" lines say so
   themselves (v1.40+); the builds before v1.40 (ssh/tailssh 916aa782a-7778d708a) had no fail-open choice: a
   recorder's failure ended the session; with no version in the log the finding claims neither.
c. `tailscale cert` run bare (its usage and the name hint), then with that name: the CLI's answer the name came from,
   not a `cli-usage` window beside the certificate's outcome (corpus 1280).
d. A line marking the poster's cut (`[snip]`, `<snip>`, `[…]`, `[... 40 lines cut ...]`) amid status, ping or
   netcheck output: no skipped-line warning and nothing lost; a real unparsed row still warns.
e. Health items re-wrapped at 30-39 columns (a phone's chat at a larger font) join; a status row with a redacted
   address, after a poster's note or not, cut right after its OS column, joins its wrapped cell (corpus 080 +
   wrap-100).
"""

from __future__ import annotations

import textwrap
from typing import Any

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from opskit.errors import InputError
from tests.diagnose.conftest import run_json
from tests.diagnose.test_android_catalog import FORMATS as LOGCAT_FORMATS
from tests.diagnose.test_android_catalog import GO_TAG
from tests.diagnose.test_deformed_classes_s12b import (
    DNS_OS_MESSAGES,
    IPTABLES_MESSAGES,
    LOGIN_ERROR_MESSAGES,
    RELAY_MESSAGES,
    SSH_ACL_MESSAGES,
    health_items,
)


def _kinds(document: dict[str, Any]) -> set[str]:
    return {issue["kind"] for log in document["daemon_logs"] for issue in log["issues"]}


# ------------------------------------------------------------------ a. keystore2 beside Tailscale, or not

_LOGCAT = st.sampled_from(sorted(LOGCAT_FORMATS))
# the layouts that name no package on each line (Android Studio's name com.tailscale.ipn on every one: Tailscale's)
_LOGCAT_ANY_APP = st.sampled_from(sorted(f for f, layout in LOGCAT_FORMATS.items() if "com.tailscale" not in layout))
_REFUSALS = st.sampled_from(
    [
        ("keystore2", "E", "keystore2::error: In generate_key."),
        ("AndroidRuntime", "E", "java.security.ProviderException: Keystore key generation failed"),
        ("System.err", "W", "java.security.ProviderException: Keystore key generation failed"),
    ]
)
_CHAIN = ("Caused by:", "    0: While generating Key without explicit attestation key.",
          "    1: Binder exception code ILLEGAL_STATE, 0")  # fmt: skip
# other apps' and the system's lines a logcat holds around it
_NOISE = st.lists(
    st.sampled_from(
        [
            ("ActivityManager", "I", "Start proc 4242:com.example.wallet/u0a212 for activity"),
            ("keystore2", "I", "keystore2::maintenance: Notifying keystore2 about user change."),
            ("Finsky", "I", "[2] Installed package com.example.wallet"),
        ]
    ),
    max_size=3,
)
# what shows Tailscale: the Go side's tag, the app's package in the kernel's denial or a crash header, the poster
_SHOWN = st.sampled_from(
    [
        ("line", GO_TAG, "I", "logtail started"),
        ("line", "Thread-7", "W", 'type=1400 audit(0.0:246): avc: denied { read } for name="route" dev="proc" '
         "ino=4026532049 scontext=u:r:untrusted_app:s0:c183 tcontext=u:object_r:proc_net:s0 tclass=file "
         "permissive=0 app=com.tailscale.ipn"),
        ("line", "AndroidRuntime", "E", "Process: com.tailscale.ipn, PID: 8123"),
        ("prose", "", "", "The Tailscale app is stuck on Loading on my Chromebook, logcat below:"),
    ]
)  # fmt: skip


def _logcat(fmt: str, rows: list[tuple[str, str, str]]) -> str:
    return "".join(LOGCAT_FORMATS[fmt].format(lvl=lvl, tag=tag, msg=msg) + "\n" for tag, lvl, msg in rows)


@settings(max_examples=40, deadline=None)
@given(_LOGCAT_ANY_APP, _REFUSALS, _NOISE, st.booleans())
def test_a_keystore_refusal_without_tailscale_in_the_paste_is_not_tailscales(
    fmt: str, refusal: tuple[str, str, str], noise: list[tuple[str, str, str]], chained: bool
) -> None:
    tag, lvl = refusal[0], refusal[1]
    rows = [*noise, refusal, *((tag, lvl, line) for line in _CHAIN if chained)]
    try:
        document = run_json(_logcat(fmt, rows))
    except InputError:
        return  # nothing recognised: not a Tailscale problem (exit 2)
    assert "state-unwritable" not in _kinds(document), document["daemon_logs"]
    assert not any(f["rule"] == "TS-LOG-STATE-UNWRITABLE" for f in document["findings"])


@settings(max_examples=40, deadline=None)
@given(_LOGCAT, _REFUSALS, _NOISE, _SHOWN, st.booleans())
def test_a_keystore_refusal_in_a_paste_that_shows_tailscale_is_the_apps_state_store(
    fmt: str,
    refusal: tuple[str, str, str],
    noise: list[tuple[str, str, str]],
    shown: tuple[str, str, str, str],
    after: bool,
) -> None:
    how, tag, lvl, msg = shown
    rows = [*noise, refusal]
    if how == "line":
        rows = [*rows, (tag, lvl, msg)] if after else [(tag, lvl, msg), *rows]
        text = _logcat(fmt, rows)
    else:
        text = f"{msg}\n\n{_logcat(fmt, rows)}"
    document = run_json(text)
    issues = [issue for log in document["daemon_logs"] for issue in log["issues"]]
    assert [(i["kind"], i["about"]) for i in issues if i["kind"] == "state-unwritable"] == [
        ("state-unwritable", "android-keystore")
    ]
    assert document["summary"]["exit_code"] == 1


# ------------------------------------------------------------------ b. SSH recording by version

_SESSION = st.from_regex(r"sess-2023032[0-9]T0[0-9]{5}-[0-9]{10}", fullmatch=True)
_BEFORE_CHOICE = st.sampled_from(["1.39.0", "1.39.12", "1.39.85", "1.38.4"])
_WITH_CHOICE = st.sampled_from(["1.40.0", "1.52.1", "1.80.3", "1.94.0"])
_LOST = st.sampled_from(
    [
        'recording: error sending recording to 100.64.0.9:80: Post "http://100.64.0.9:80/record": context canceled',
        'recording: error sending recording: Post "http://100.64.0.9:80/record": dial tcp 100.64.0.9:80: connect: '
        "connection refused",
        "recording: server responded with 500 Internal Server Error",
    ]
)
_FAILING_OPEN = st.sampled_from(
    [
        'recording: error starting recording (failing open): recording: error starting recording on "100.64.0.9:80": '
        "dial tcp 100.64.0.9:80: connect: connection refused",
        "recording: error uploading recording (failing open): unexpected EOF",
    ]
)
_STAMPS = st.sampled_from(["2023/03/25 10:15:00 ", "Mar 25 10:15:00 host tailscaled[700]: "])


def _start(version: str) -> str:
    return f'Program starting: v{version}-t1b3a0b6f4, Go 1.20.2: []string{{"/usr/sbin/tailscaled"}}'


def _recording_finding(stamp: str, *messages: str) -> dict[str, Any]:
    document = run_json("".join(f"{stamp}{message}\n" for message in ("logtail started", *messages)))
    assert _kinds(document) == {"ssh-recording-failed"}
    assert document["summary"]["exit_code"] == 1
    return next(f for f in document["findings"] if f["rule"] == "TS-LOG-SSH-RECORDING-FAILED")


@settings(max_examples=30, deadline=None)
@given(_STAMPS, _SESSION, _BEFORE_CHOICE, _LOST)
def test_a_build_before_v1_40_is_not_said_to_fail_open(stamp: str, session: str, version: str, lost: str) -> None:
    finding = _recording_finding(stamp, _start(version), f"ssh-session({session}): {lost}")
    assert "fails open" not in finding["cause"] and "fail open" not in finding["title"]
    assert f"v{version} has no fail-open" in finding["cause"], finding["cause"]
    assert "v1.40" in finding["fix"] and "enforceRecorder: true" in finding["fix"]


@settings(max_examples=30, deadline=None)
@given(_STAMPS, _SESSION, _LOST)
def test_without_a_version_the_finding_claims_neither(stamp: str, session: str, lost: str) -> None:
    finding = _recording_finding(stamp, f"ssh-session({session}): {lost}")
    assert "fails open" not in finding["cause"] and "no fail-open" not in finding["cause"], finding["cause"]
    assert "recording failed" in finding["cause"]


@settings(max_examples=30, deadline=None)
@given(_STAMPS, _SESSION, st.one_of(st.none(), _WITH_CHOICE), _FAILING_OPEN)
def test_a_failing_open_line_says_it_fails_open(stamp: str, session: str, version: str | None, line: str) -> None:
    started = () if version is None else (_start(version),)
    finding = _recording_finding(stamp, *started, f"ssh-session({session}): {line}")
    assert "ran unrecorded" in finding["cause"] and "fails open" in finding["cause"], finding["cause"]
    assert "enforceRecorder: true" in finding["fix"]


# ------------------------------------------------------------------ c. `tailscale cert` bare, then with its name

_CERT_NAMES = st.sampled_from(["mynas.****.ts.net", "host.tail1234.ts.net", "nas.tailnet-abc.ts.net"])
_CERT_HINTS = st.sampled_from(['For domain, use "{name}".', 'Valid domain options: ["{name}" "nas.example.com"].'])
_CERT_PROMPTS = st.sampled_from(["root@myNas:~# ", "$ ", "admin@DS918:/$ sudo ", "PS C:\\> "])
_CERT_OUTCOMES = st.sampled_from(
    [
        "unexpected output: no delimiter",
        '500 Internal Server Error: invalid domain "{name}"; must be one of ["other.ts.net"]',
        "500 Internal Server Error: acme.Client.AuthorizeOrder: 429 urn:ietf:params:acme:error:rateLimited: too many "
        "certificates already issued",
    ]
)


@settings(max_examples=40, deadline=None)
@given(_CERT_NAMES, _CERT_HINTS, _CERT_PROMPTS, _CERT_OUTCOMES, st.sampled_from(["", "  " * 40]),
       st.sampled_from(["", "\n"]), st.sampled_from([("", ""), ("```\n", "```\n")]))  # fmt: skip
def test_the_bare_cert_answer_before_the_named_command_is_no_usage_error(
    name: str, hint: str, prompt: str, outcome: str, trailing: str, gap: str, fence: tuple[str, str]
) -> None:
    text = (
        f"{fence[0]}{prompt}tailscale cert{trailing}\nUsage: tailscale cert [flags] <domain>\n{gap}"
        f"{hint.format(name=name)}\n\n{prompt}tailscale cert {name}\n{outcome.format(name=name)}\n{fence[1]}"
    )
    document = run_json(text)
    assert [error["kind"] for error in document["windows"]] == ["cert-failed"], text
    assert document["warnings"] == [], document["warnings"]
    assert document["summary"]["exit_code"] == 1


@settings(max_examples=20, deadline=None)
@given(_CERT_NAMES, _CERT_HINTS, _CERT_PROMPTS)
def test_the_bare_cert_answer_not_followed_by_its_name_stays_a_usage_error(name: str, hint: str, prompt: str) -> None:
    text = f"{prompt}tailscale cert\nUsage: tailscale cert [flags] <domain>\n{hint.format(name=name)}\n"
    for after in ("", f"\n{prompt}tailscale status\n", f"\n{prompt}tailscale cert --help\n"):
        document = run_json(text + after)
        assert "cli-usage" in [error["kind"] for error in document["windows"]]
        assert document["summary"]["exit_code"] == 1


# ------------------------------------------------------------------ d. the poster's cut amid a report

_CUTS = st.sampled_from(["[snip]", "<snip>", "[…]", "[...]", "[... 40 lines cut ...]", "[12 more lines]", "(snip)",
                         "[ snipped ]", "[... 3 rows cut ...]"])  # fmt: skip
_STATUS_ROWS = [
    "100.64.0.1    nas          alice@       linux   -",
    "100.64.0.7    laptop       alice@       windows active; direct 192.168.1.5:41641, tx 100 rx 200",
    '100.64.0.9    phone        alice@       android active; relay "fra", tx 52 rx 10',
    "100.64.0.12   pi           alice@       linux   offline, last seen 3d ago",
]
_PINGS = [f"pong from nas (100.64.0.1) via 192.168.1.5:41641 in {ms}ms" for ms in (2, 3, 5, 4)]
_NETCHECK = [
    "Report:",
    "\t* UDP: true",
    "\t* IPv4: yes, 203.0.113.5:41641",
    "\t* IPv6: no, but OS has support",
    "\t* MappingVariesByDestIP: false",
    "\t* Nearest DERP: Frankfurt",
    "\t* DERP latency:",
    "\t\t- fra: 5.9ms   (Frankfurt)",
    "\t\t- ams: 12.1ms  (Amsterdam)",
    "\t\t- nyc: 80ms    (New York City)",
]
_REPORTS = {"status": ("tailscale status", _STATUS_ROWS), "ping": ("tailscale ping nas", _PINGS),
            "netcheck": ("tailscale netcheck", _NETCHECK)}  # fmt: skip


def _reading(document: dict[str, Any]) -> Any:
    """What a report says, without the line numbers the cut marker's own line shifts."""
    peers = _peer_facts(document)
    pings = [(p["outcome"], p["pongs"], p["endpoint"]) for p in document["pings"]]
    nodes = [{k: n[k] for k in ("udp", "ipv4", "derp_home", "derp_latencies")} for n in document["nodes"]]
    return peers, pings, nodes, [(f["rule"], f["severity"]) for f in document["findings"]]


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(sorted(_REPORTS)), _CUTS, st.data())
def test_a_cut_marker_amid_a_report_warns_nothing_and_loses_nothing(kind: str, cut: str, data: st.DataObject) -> None:
    command, rows = _REPORTS[kind]
    at = data.draw(st.integers(2 if kind == "netcheck" else 1, len(rows)), label="at")
    indent = "\t\t" if kind == "netcheck" and at > 7 else ""
    whole = f"$ {command}\n" + "\n".join(rows) + "\n"
    marked = f"$ {command}\n" + "\n".join([*rows[:at], indent + cut, *rows[at:]]) + "\n"
    document, original = run_json(marked), run_json(whole)
    assert document["warnings"] == [], document["warnings"]
    assert _reading(document) == _reading(original)


@pytest.mark.parametrize("kind", sorted(_REPORTS))
def test_a_real_unread_line_amid_a_report_still_warns(kind: str) -> None:
    command, rows = _REPORTS[kind]
    text = f"$ {command}\n" + "\n".join([*rows[:2], "100.64.0.77 ??? garbled", *rows[2:]]) + "\n"
    assert any("garbled" in warning for warning in run_json(text)["warnings"])


# ------------------------------------------------------------------ e. narrow re-wraps, a redacted row's wrap

# health messages as test_deformed_classes_s12b draws them; the iptables one without its closing sentence (a piece
# that ends a sentence is left open at narrow widths)
_ITEMS = st.one_of(
    DNS_OS_MESSAGES,
    SSH_ACL_MESSAGES,
    RELAY_MESSAGES,
    LOGIN_ERROR_MESSAGES,
    IPTABLES_MESSAGES.map(lambda message: message.removesuffix(". Run `dmesg' for more information.")),
)


def _continues_sentence(pieces: list[str]) -> bool:
    # what tells a narrow re-wrap from prose typed under the item (as at 40-50 columns)
    starts = all(p[0].islower() or p[0] in "'\"([" or (p[0] == "-" and p[1].isalnum()) for p in pieces[1:])
    return starts and all(p[-1] not in ".!?)" for p in pieces[:-1])


@given(_ITEMS, st.integers(30, 39), st.sampled_from(["", "100.64.0.1  router  tagged-devices linux -\n"]),
       st.sampled_from(["", "I restarted tailscaled and it is still there.\n", "Any idea?\n"]))  # fmt: skip
@settings(max_examples=100, deadline=None)
def test_a_health_item_re_wrapped_at_30_to_39_columns_keeps_its_words(
    message: str, width: int, rows: str, prose: str
) -> None:
    pieces = textwrap.wrap("#     - " + message, width, break_long_words=False, break_on_hyphens=False)
    assume(len(pieces) > 1 and _continues_sentence(pieces))
    text = f"$ tailscale status\n{rows}# Health check:\n" + "\n".join(pieces) + "\n" + prose
    assert health_items(run_json(text)) == [message], text


def _peer_facts(document: dict[str, Any]) -> list[dict[str, Any]]:
    return [{k: v for k, v in peer.items() if k not in ("evidence", "line")} for peer in document["peers"]]


_REDACTED = st.sampled_from(["100.a;b;c", "100.x.y.z", "100.xxx.xxx.xxx", "100.64.x.x", "100.**.**.**"])
_NOTES = st.sampled_from(["", "(subnet router to 192.168.11 network from 192.168.1) ", "case 2: "])
_CELLS = st.sampled_from(["active; direct 8x.y.z.155:1548, tx 3144 rx 2680", 'active; relay "fra", tx 52 rx 10',
                          "idle, tx 1052 rx 860", "-"])  # fmt: skip


@settings(max_examples=60, deadline=None)
@given(_REDACTED, _NOTES, _CELLS, st.sampled_from(["linux", "windows", "macOS", "android"]), st.booleans(),
       st.sampled_from(["$ tailscale status\n", "tailscale status case 1 :\n"]))  # fmt: skip
def test_a_redacted_row_cut_after_its_os_column_joins_its_cell(
    address: str, note: str, cell: str, os_name: str, first: bool, head: str
) -> None:
    other = "100.x.y.z  t-as5202      fXXXXX@ linux   active; direct 8x.y.z.155:1550, tx 1416 rx 1300\n"
    row = f"{note}{address} t-as5002t      fXXXXX@ {os_name}"
    whole = head + ("" if first else other) + f"{row}   {cell}\n" + (other if first else "")
    wrapped = head + ("" if first else other) + f"{row}  \n{cell}\n" + (other if first else "")
    read, expected = run_json(wrapped), run_json(whole)
    assert expected["peers"] and any(peer["name"] == "t-as5002t" for peer in expected["peers"])
    assert _peer_facts(read) == _peer_facts(expected), wrapped
    assert read["warnings"] == expected["warnings"] == []
