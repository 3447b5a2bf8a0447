"""Generated tests: the log classes behind blind batch 26's server and noise misses (1282 1292 1303 1311 1326 1330).

Formats read from their sources: wireguard-go's device/receive.go ("IPv4|IPv6 packet with disallowed source address
from %v", a Verbosef since 2018, "wg: [v2] " and the peer's short key from tailscaled's wgengine/wglog); Taildrive's
drive/driveimpl/remote_impl.go (v1.78+ "can't find su command: %v", "su check failed: %s", "starting taildrive file
server …"); golang.org/x/crypto/acme/autocert's handshake errors under Go's http.Server ("http: TLS handshake error from
%s: %v": "missing certificate" / "missing signer" for a minute after a failed order, "unable to satisfy …", and the
scanner refusals "missing server name", "not configured in HostWhitelist"); client/tailscale v1.14-v1.18 printing
'Warning: client version %q != tailscaled server version %q' in every program embedding it; macOS Console's copied
rows (level, time, process, message). Each class is drawn with varied values and wrappers and judged on what a user
sees in the JSON document: issues and their keys, the rule's finding, block kinds, the exit code. Near-miss lines,
prose and routine lines of the same programs raise nothing.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from opskit.errors import InputError
from tests.diagnose.conftest import run_json

# the prefixes people paste tailscaled's (or derper's) lines under
PREFIXES = {
    "journald": "Oct 03 10:12:44 jail1 tailscaled[8123]: {msg}",
    "freebsd-syslog": "Oct  3 10:12:44 jail1 tailscaled[8123]: {msg}",
    "go-stamp": "2024/10/03 10:12:44 {msg}",
    "docker": "2024-10-03T10:12:44.123456789Z 2024/10/03 10:12:44 {msg}",
    "windows-logfile": "2024-10-03T10:12:44.123-07:00: {msg}",
    "bare-inline": "`{msg}`",
}
DERPER_PREFIXES = {
    "journald": "May 27 17:42:08 debian-server derper[293395]: 2025/05/27 17:42:08 {msg}",
    "go-stamp": "2021/10/21 11:42:53 {msg}",
    "docker": "2021-10-21T11:42:53.123456789Z 2021/10/21 11:42:53 {msg}",
    "logtail": '{{"logtail": {{"client_time": "2022-07-19T01:16:33.525315903Z"}}, "text": "{msg}\\n"}}',
}


def _derper(prefix_name: str, line: str) -> str:
    """``line`` under one of DERPER_PREFIXES (JSON-escaped inside a log-upload record)."""
    return DERPER_PREFIXES[prefix_name].format(msg=line.replace('"', '\\"') if prefix_name == "logtail" else line)


def _document(text: str) -> dict[str, Any]:
    """The JSON document of one paste; nothing recognised is exit 2 with nothing read."""
    try:
        return run_json(text)
    except InputError:
        return {"exit_code": 2, "blocks": [], "daemon_logs": [], "findings": [], "windows": []}


def _issues(document: dict[str, Any]) -> list[dict[str, Any]]:
    return [issue for log in document.get("daemon_logs") or [] for issue in log["issues"]]


def _kinds(document: dict[str, Any]) -> set[str]:
    return {issue["kind"] for issue in _issues(document)}


def _rules(document: dict[str, Any]) -> list[str]:
    return [finding["rule"] for finding in document.get("findings") or []]


def _exit(document: dict[str, Any]) -> int:
    return int(document["summary"]["exit_code"] if "summary" in document else document["exit_code"])


# ------------------------------------------------------------------ wireguard-go's source check (1303)

_short_keys = st.text(
    alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/", min_size=5, max_size=5
)


@st.composite
def wg_source_lines(draw: st.DrawFn) -> tuple[str, str]:
    """(message, key) of one drop, in every era's wording."""
    key = draw(_short_keys)
    peer, expected_key = draw(
        st.sampled_from(
            [
                (f"[{key}]", key),  # wglog's rewrite to the short key
                (f"peer({key[:4]}…{key[1:]}0w)", f"peer({key[:4]}…{key[1:]}0w)"),  # wireguard-go's own String()
                ("[redacted]", "redacted"),
            ]
        )
    )
    lead = draw(st.sampled_from(["wg: [v2] ", "wg: ", ""]))
    family = draw(st.sampled_from(["4", "6"]))
    return f"{lead}IPv{family} packet with disallowed source address from {peer}", expected_key


@pytest.mark.parametrize("prefix_name", sorted(PREFIXES))
@settings(max_examples=15, deadline=None)
@given(drop=wg_source_lines(), repeats=st.integers(1, 3))
def test_a_disallowed_source_drop_raises_wg_source_not_allowed(
    prefix_name: str, drop: tuple[str, str], repeats: int
) -> None:
    message, key = drop
    paste = "\n".join([PREFIXES[prefix_name].format(msg=message)] * repeats) + "\n"
    document = _document(paste)
    issues = [issue for issue in _issues(document) if issue["kind"] == "wg-source-not-allowed"]
    assert [issue["about"] for issue in issues] == [key], _issues(document)
    assert issues[0]["severity"] == "warning"
    assert _rules(document) == ["TS-LOG-WG-SOURCE-NOT-ALLOWED"]
    finding = document["findings"][0]
    assert "snat-subnet-routes" in finding["fix"] and "advertise-routes" in finding["fix"]
    assert any(message in line["text"] for line in finding["evidence"])
    assert _exit(document) == 1
    # not an ACL drop, a relay or a crash
    assert not _kinds(document) & {"packet-dropped", "derp-unreachable", "crash", "no-peer-for-address"}


WG_NOT_A_DROP = [
    "wg: [v2] [c7sCF] - Received handshake initiation",
    "wg: [v2] [c7sCF] - Sending keepalive packet",
    "wg: [v2] [c7sCF] - Receiving keepalive packet",
    "wg: [v2] [c7sCF] - UAPI: Adding allowedip",
    "wg: [v2] IPv4 packet from [c7sCF] accepted",
]
WG_PROSE = [
    "jail-to-jail pings fail and the log says the packet with disallowed source address from my jail is dropped",
    "Why does tailscaled print IPv4 packet with disallowed source address from one of my peers?",
]


@pytest.mark.parametrize("line", WG_NOT_A_DROP)
def test_wireguard_routine_lines_raise_no_source_drop(line: str) -> None:
    document = _document(f"Oct 03 10:12:44 jail1 tailscaled[8123]: {line}\n")
    assert "wg-source-not-allowed" not in _kinds(document)
    assert "TS-LOG-WG-SOURCE-NOT-ALLOWED" not in _rules(document)


@pytest.mark.parametrize("line", WG_PROSE)
def test_prose_about_the_drop_is_no_log(line: str) -> None:
    document = _document(line + "\n")
    assert "wg-source-not-allowed" not in _kinds(document)
    assert _exit(document) == 2


# ------------------------------------------------------------------ Taildrive without su (1282)

_users = st.sampled_from(["alice", "bob", "media", "svc-backup"])
_su_failures = st.sampled_from(
    [
        'can\'t find su command: exec: "su": executable file not found in $PATH',
        'can\'t find su command: exec: "su": executable file not found in %PATH%',
        "su check failed: exit status 1",
        "su check failed: exit status 126",
        "su check failed: fork/exec /usr/bin/su: permission denied",
    ]
)


@pytest.mark.parametrize("prefix_name", sorted(PREFIXES))
@settings(max_examples=10, deadline=None)
@given(failure=_su_failures)
def test_no_su_for_the_share_owner_is_drive_failed(prefix_name: str, failure: str) -> None:
    document = _document(PREFIXES[prefix_name].format(msg=failure) + "\n")
    issues = [issue for issue in _issues(document) if issue["kind"] == "drive-failed"]
    assert [issue["about"] for issue in issues] == ["su"], _issues(document)
    assert _rules(document) == ["TS-LOG-DRIVE-FAILED"]
    assert "refuses to serve the files as root" in document["findings"][0]["cause"]
    assert _exit(document) == 1
    # su's lookup is not systemd failing to exec tailscaled, nor a crash
    assert not _kinds(document) & {"exec-failed", "crash", "ssh-failed"}


@pytest.mark.parametrize("prefix_name", sorted(PREFIXES))
@settings(max_examples=6, deadline=None)
@given(failure=_su_failures, user=_users)
def test_a_later_start_clears_it_and_the_root_refusal_keeps_it(prefix_name: str, failure: str, user: str) -> None:
    prefix = PREFIXES[prefix_name]

    def paste(*messages: str) -> dict[str, Any]:
        return _document("\n".join(prefix.format(msg=m) for m in messages) + "\n")

    # not root: it serves as itself (nothing to switch), or a later attempt switched to the user
    for started in (
        "starting taildrive file server as ourselves",
        f'starting taildrive file server with su as user "{user}"',
    ):
        document = paste(failure, started)
        assert "drive-failed" not in _kinds(document), (started, _issues(document))
        assert _exit(document) == 0
    # root: the server refuses to run as root and is restarted
    document = paste(
        failure, 'user server /usr/sbin/tailscaled stopped with error "root" is root, will try again in 2ms'
    )
    assert {issue["about"] for issue in _issues(document) if issue["kind"] == "drive-failed"} == {"su", "as-root"}
    assert _exit(document) == 1


@pytest.mark.parametrize(
    "line",
    [
        "I can't find the su command on Fedora 42, I use run0 instead",
        "the su check failed for me too",
        "tailscale drive share docs ~/Documents",
    ],
)
def test_prose_about_su_is_no_drive_failure(line: str) -> None:
    document = _document(line + "\n")
    assert "drive-failed" not in _kinds(document)
    assert "TS-LOG-DRIVE-FAILED" not in _rules(document)


# ------------------------------------------------------------------ a derper without a certificate (1330)

_clients = st.sampled_from(["client-a-ip", "203.0.113.7", "[2001:db8::7]", "100.64.1.2"])
_ports = st.integers(min_value=1024, max_value=65535)
_no_certificate = st.sampled_from(
    [
        "acme/autocert: missing certificate",
        "acme/autocert: missing signer",
        'acme/autocert: unable to satisfy "https://acme-v02.api.letsencrypt.org/acme/authz-v3/123" for domain '
        '"derp.example.com": no viable challenge type found',
        'acme/autocert: unable to authorize "derp.example.com"; challenge "tls-alpn-01" failed with error: acme: '
        "authorization error for derp.example.com: 403 urn:acme:error:unauthorized",
    ]
)


@pytest.mark.parametrize("prefix_name", sorted(DERPER_PREFIXES))
@settings(max_examples=12, deadline=None)
@given(why=_no_certificate, clients=st.lists(st.tuples(_clients, _ports), min_size=1, max_size=4))
def test_handshakes_failing_for_want_of_a_certificate_are_derp_server_failed(
    prefix_name: str, why: str, clients: list[tuple[str, int]]
) -> None:
    lines = [f"http: TLS handshake error from {host}:{port}: {why}" for host, port in clients]
    document = _document("\n".join(_derper(prefix_name, line) for line in lines) + "\n")
    assert {issue["about"] for issue in _issues(document) if issue["kind"] == "derp-server-failed"} == {"certificate"}
    assert _rules(document) == ["TS-LOG-DERP-SERVER-FAILED"]
    assert _exit(document) == 1
    assert not _kinds(document) & {"tls-intercepted", "clock-skew", "cert-failed"}


SCANNER_NOISE = [
    "acme/autocert: missing server name",
    'acme/autocert: host "****.******.com" not configured in HostWhitelist',
    "acme/autocert: server name component count invalid",
    "EOF",
    "tls: first record does not look like a TLS handshake",
    "acme/autocert: missing certificate for a friend",
]


@pytest.mark.parametrize("why", SCANNER_NOISE)
@pytest.mark.parametrize("prefix_name", sorted(DERPER_PREFIXES))
def test_strangers_handshakes_are_no_relay_failure(prefix_name: str, why: str) -> None:
    line = f"http: TLS handshake error from 113.87.130.38:56621: {why}"
    document = _document(_derper(prefix_name, line) + "\n")
    assert "derp-server-failed" not in _kinds(document)
    assert _exit(document) in (0, 2)


# ------------------------------------------------------------------ a log line in quotes (1326)

_keys = st.text(alphabet="0123456789abcdef", min_size=16, max_size=24)
_addresses = st.sampled_from(["xx.xx.xx.xx:50148", "127.0.0.1:35730", "203.0.113.9:41641", "[2001:db8::9]:443"])


@st.composite
def quoted_lines(draw: st.DrawFn) -> tuple[str, str]:
    """(pasted line, the line without its quotes) of a derper refusal the poster put in quotes."""
    key, peer, address = draw(_keys), draw(_keys), draw(_addresses)
    stop = draw(st.sampled_from(["", "."]))
    record = draw(
        st.sampled_from(
            [
                "May 27 17:42:08 debian-server derper[293395]: 2025/05/27 17:42:08 ",
                "May 27 17:42:08 debian-server derper[293395]: ",
                "2025/05/27 17:42:08 ",
                "2025-05-27T17:42:08.123Z 2025/05/27 17:42:08 ",
            ]
        )
    ) + (
        f"derp: {address}: client nodekey:{key} rejected: peer nodekey:{peer} not authorized "
        f"(not found in local tailscaled){stop}"
    )
    opening, closing = draw(
        st.sampled_from([('"', '"'), ("'", "'"), ("\u201c", "\u201d"), ('"', '".'), ('"', ""), ('"', '",')])
    )
    return f"{opening}{record}{closing}", record


@settings(max_examples=40, deadline=None)
@given(quoted=quoted_lines())
def test_a_quoted_log_line_reads_as_the_line(quoted: tuple[str, str]) -> None:
    pasted, record = quoted
    as_pasted, unquoted = _document(pasted + "\n"), _document(record + "\n")
    assert _issues(unquoted), record
    assert [(i["kind"], i["about"]) for i in _issues(as_pasted)] == [(i["kind"], i["about"]) for i in _issues(unquoted)]
    assert [(i["kind"], i["about"]) for i in _issues(as_pasted)] == [("derp-server-failed", "verify-clients")]
    assert _exit(as_pasted) == 1
    # the refusal names the local tailscaled: still no CLI reading of a daemon that is not running
    assert not as_pasted["windows"]


@pytest.mark.parametrize(
    "line",
    [
        '"100.64.0.1  laptop  alice@  linux  -"',  # a quoted status row: no stamp after the quote
        '"derp: 1.2.3.4:5: client nodekey:ab rejected"',  # a quoted phrase, not a log record
        "\"Tailscale says 'not authorized (not found in local tailscaled)'.\"",
        '"12:00 is when it breaks"',
    ],
)
def test_quoted_lines_without_a_log_prefix_stay_unread(line: str) -> None:
    document = _document(line + "\n")
    assert not _issues(document)
    assert _exit(document) == 2


# ------------------------------------------------------------------ macOS Console rows of the app (1311)

_levels = st.sampled_from(["default", "info", "debug", "error", "fault", "notice"])
_app_processes = st.sampled_from(["Tailscale", "IPNExtension", "io.tailscale.ipn.macsys.network-extension"])
_app_messages = st.sampled_from(
    [
        "<private>",
        "ExitNodesManager: Peer dictionary not available",
        "nw_protocol_socket_set_no_wake_from_sleep <private> setsockopt SO_NOWAKEFROMSLEEP failed "
        "[22: Invalid argument]",
        "Received a com.apple.neconfigurationchanged notification with token 44",
    ]
)
_times = st.sampled_from(["09:59:42.882570+1000", "19:53:44.078650-0800", "01:15:19.435604+0200"])


@st.composite
def console_rows(draw: st.DrawFn, process: st.SearchStrategy[str] = _app_processes) -> str:
    columns = [draw(_levels), draw(_times), draw(process), draw(_app_messages)]
    if draw(st.booleans()):
        columns.insert(0, str(draw(st.integers(100, 99999))))  # Console's PID column
    if draw(st.booleans()):
        columns[-3] = "2025-07-20 " + columns[-3]  # with the date
    return draw(st.sampled_from(["\t", "  ", " "])).join(columns)


@settings(max_examples=40, deadline=None)
@given(rows=st.lists(console_rows(), min_size=1, max_size=6), fenced=st.booleans())
def test_console_rows_of_tailscales_processes_are_its_log_with_nothing_wrong(rows: list[str], fenced: bool) -> None:
    from opskit.core.diagnose.daemonlog import is_daemon_log_line, is_daemon_log_line_slow

    for row in rows:
        cleaned = row.replace("\t", "  ")
        assert is_daemon_log_line(cleaned) == is_daemon_log_line_slow(cleaned) is True, cleaned
    paste = "\n".join(["```", *rows, "```"] if fenced else rows) + "\n"
    document = _document(paste)
    assert [block["kind"] for block in document["blocks"]] == ["tailscaled-log"]
    assert document["daemon_logs"][0]["os"] == "macos"
    assert not _issues(document) and not document["findings"]
    assert _exit(document) == 0


@settings(max_examples=25, deadline=None)
@given(row=console_rows(st.sampled_from(["Finder", "nesessionmanager", "mDNSResponder", "kernel", "TailscaleFan"])))
def test_console_rows_of_other_processes_are_not_tailscales(row: str) -> None:
    from opskit.core.diagnose.daemonlog import is_daemon_log_line, is_daemon_log_line_slow

    cleaned = row.replace("\t", "  ")
    assert is_daemon_log_line(cleaned) == is_daemon_log_line_slow(cleaned)
    if "TailscaleFan" not in row:  # (a process named after it is read as the app's: Console names it so)
        assert _exit(_document(row + "\n")) == 2


# ------------------------------------------------------------------ the client library's version warning (1292)

_programs = st.sampled_from(["caddy", "tsid", "tailscale-exporter-x", "traefik", "/usr/bin/caddy", "my.app"])
_client_versions = st.sampled_from(["date.20210823", "1.16.2-t4a2a1e86b", "1.18.0"])
_server_versions = st.sampled_from(["1.14.0-t5cff36945-g809e87bba", "1.16.0", "1.18.2-t1234abcd-gabcdef012"])
_warning = 'Warning: client version "{client}" != tailscaled server version "{server}"'


@settings(max_examples=30, deadline=None)
@given(
    program=_programs,
    pid=st.integers(2, 99999),
    client=_client_versions,
    server=_server_versions,
    stamp=st.sampled_from(["", "2021/08/28 18:32:40 "]),
    repeats=st.integers(1, 7),
    compose=st.booleans(),
)
def test_the_version_warning_in_another_programs_log_is_routine(
    program: str, pid: int, client: str, server: str, stamp: str, repeats: int, compose: bool
) -> None:
    message = _warning.format(client=client, server=server)
    name = program.rsplit("/", 1)[-1].replace(".", "-")
    prefix = f"{name}-1  | " if compose else f"Aug 28 18:32:40 dot {program}[{pid}]: {stamp}"
    document = _document("\n".join([prefix + message] * repeats) + "\n")
    assert document["blocks"], "the line is shown, as what it is"
    assert "TS-WIN-VERSION-MISMATCH" not in _rules(document)
    assert _exit(document) == 0


@pytest.mark.parametrize(
    "prefix",
    [
        "",
        "Aug 28 18:32:40 dot tailscale[4411]: ",
        "PS C:\\Users\\me> tailscale status\n",
        "$ tailscale status\n",
        "Aug 28 18:32:40 dot tailscale.exe[4411]: ",
    ],
)
@pytest.mark.parametrize("client", ["1.80.0-t1", "date.20210823"])
def test_the_clis_own_warning_is_still_a_version_mismatch(prefix: str, client: str) -> None:
    document = _document(prefix + _warning.format(client=client, server="1.78.1-t2") + "\n")
    assert "TS-WIN-VERSION-MISMATCH" in _rules(document)
    assert _exit(document) == 1
