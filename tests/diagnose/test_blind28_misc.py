"""Generated tests for blind batch 28's misc classes (corpus 1470, 1471, 1442).

- A LocalAPI request made by hand with curl (-v or -i, corpus 1470): tailscaled's refusal is read with the CLI
  catalog as the line the CLI prints for the same answer (client/local: "<status>: <body>", the JSON body's
  "error" alone, "Access denied: …" for a 403), and the Tailscale-Version header names the daemon's version.
- `tailscale web`'s start-up lines by version (corpus 1471): a view (web-start), no problem; --readonly gets a note
  that it does not start tailscaled's management client on port 5252.
- The engine's "router.Up: …" / "router.Set(nil): …" (corpus 1442), whole or cut by `systemctl status`: the engine
  was not created, so firewall-failed and a crash, unless the daemon gets further; a build without iptables is
  said to be the binary's fault, not the host firewall's.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from opskit.errors import InputError
from tests.diagnose.conftest import run_json


def _kinds(document: dict[str, Any]) -> list[str]:
    return sorted({error["kind"] for error in document["windows"]})


def _cli_kinds(line: str) -> list[str]:
    """What opskit reads in the line the CLI prints (the oracle: the same catalog must read the curl answer)."""
    return _kinds(run_json(line + "\n"))


# ------------------------------------------------------------------------ LocalAPI answers through curl (1470)

# (status line, body as LocalAPI sends it, the line the CLI prints for it)
ANSWERS = [
    ("500 Internal Server Error", "failed to get cert dir", "500 Internal Server Error: failed to get cert dir"),
    (
        "500 Internal Server Error",
        'acme.GetReg: Get "https://acme-v02.api.letsencrypt.org/directory": tls: failed to verify certificate: '
        "x509: certificate signed by unknown authority",
        '500 Internal Server Error: acme.GetReg: Get "https://acme-v02.api.letsencrypt.org/directory": tls: failed '
        "to verify certificate: x509: certificate signed by unknown authority",
    ),
    (
        "500 Internal Server Error",
        "your Tailscale account does not support getting TLS certs",
        "500 Internal Server Error: your Tailscale account does not support getting TLS certs",
    ),
    ("403 Forbidden", "cert access denied", "Access denied: cert access denied"),
    ("403 Forbidden", '{"error":"cert access denied"}', "Access denied: cert access denied"),
    ("400 Bad Request", "invalid localapi request host", "400 Bad Request: invalid localapi request host"),
]
SOCKETS = ["/run/tailscale/tailscaled.sock", "/var/run/tailscale/tailscaled.sock", "/tmp/ts/tailscaled.sock"]
HOSTS = ["foo", "local-tailscaled.sock", "localhost"]
PATHS = ["/localapi/v0/cert/nas.tail1234.ts.net?type=pair", "/localapi/v0/status", "/localapi/v0/prefs"]
PROMPTS = ["/app # ", "$ ", "root@nas:~# ", ""]
VERSIONS = ["1.22.2-t60b671955-gecc5d9846", "1.80.3-t1234567ab-g0123456789", "1.96.4"]


def _verbose(prompt: str, socket: str, host: str, path: str, status: str, body: str, version: str | None,
             glued: bool, http2: bool = False) -> str:  # fmt: skip
    headers = ["< Content-Type: text/plain; charset=utf-8"]
    if version is not None:
        headers.append(f"< Tailscale-Version: {version}")
    headers += ["< X-Content-Type-Options: nosniff", "< Date: Tue, 29 Mar 2022 21:49:23 GMT",
                f"< Content-Length: {len(body) + 1}"]  # fmt: skip
    tail = [f"{body}* Connection #0 to host {host} left intact"] if glued else [
        body, f"* Connection #0 to host {host} left intact"]  # fmt: skip
    return "\n".join([
        "```",
        f"{prompt}curl -v --unix-socket {socket} http://{host}{path}",
        f"*   Trying {socket}:0...",
        f"* Connected to {host} ({socket}) port 80 (#0)",
        f"> GET {path} HTTP/1.1",
        f"> Host: {host}",
        "> User-Agent: curl/7.80.0",
        "> Accept: */*",
        ">",
        "* Mark bundle as not supporting multiuse",
        f"< HTTP/2 {status.split()[0]}" if http2 else f"< HTTP/1.1 {status}",  # HTTP/2 sends no reason
        *headers,
        "<",
        *tail,
        "```",
    ]) + "\n"  # fmt: skip


def _include(prompt: str, socket: str, host: str, path: str, status: str, body: str, version: str | None) -> str:
    headers = ["Content-Type: text/plain; charset=utf-8"]
    if version is not None:
        headers.append(f"Tailscale-Version: {version}")
    headers.append("Date: Tue, 29 Mar 2022 21:49:23 GMT")
    return "\n".join([f"{prompt}curl -i --unix-socket {socket} http://{host}{path}", f"HTTP/1.1 {status}", *headers,
                      "", body]) + "\n"  # fmt: skip


@settings(max_examples=120, deadline=None)
@given(
    answer=st.sampled_from(ANSWERS),
    prompt=st.sampled_from(PROMPTS),
    socket=st.sampled_from(SOCKETS),
    host=st.sampled_from(HOSTS),
    path=st.sampled_from(PATHS),
    version=st.sampled_from([*VERSIONS, None]),
    verbose=st.booleans(),
    glued=st.booleans(),
    http2=st.booleans(),
)
def test_a_localapi_refusal_through_curl_reads_as_the_clis_error(
    answer: tuple[str, str, str], prompt: str, socket: str, host: str, path: str, version: str | None,
    verbose: bool, glued: bool, http2: bool,
) -> None:  # fmt: skip
    status, body, cli_line = answer
    if verbose:
        paste = _verbose(prompt, socket, host, path, status, body, version, glued, http2)
    else:
        paste = _include(prompt, socket, host, path, status, body, version)
    expected = _cli_kinds(cli_line)
    assert expected, cli_line  # the oracle knows the body
    document = run_json(paste)
    assert _kinds(document) == expected, paste
    assert [block["kind"] for block in document["blocks"]] == ["windows-error"], paste
    (block,) = document["blocks"]
    assert (version is not None) == (f"tailscaled {version}" in block["layout"]), block["layout"]
    assert document["summary"]["exit_code"] == 1
    assert not {"service-not-running", "pipe-missing"} & set(_kinds(document))


def test_the_corpus_shape_is_cert_failed_named_by_the_daemon_version() -> None:
    paste = _verbose("/app # ", SOCKETS[0], "foo", PATHS[0], *ANSWERS[0][:2], VERSIONS[0], glued=False)
    document = run_json(paste)
    assert _kinds(document) == ["cert-failed"]
    assert "1.22.2-t60b671955-gecc5d9846" in document["blocks"][0]["layout"]
    (finding,) = document["findings"]
    assert finding["rule"] == "TS-CLI-CERT-FAILED" and "directory" in finding["cause"]


@pytest.mark.parametrize(
    "paste",
    [
        # a 200: LocalAPI answered, nothing refused
        _verbose("$ ", SOCKETS[0], "foo", "/localapi/v0/prefs", "200 OK", '{"ControlURL":"x"}', VERSIONS[1], False),
        # another server's 500 with a body the CLI catalog knows: not tailscaled's (no header, no LocalAPI path)
        _verbose(
            "$ ",
            SOCKETS[0],
            "foo",
            "/api/v2/tailnet/-/devices",
            "500 Internal Server Error",
            "failed to get cert dir",
            None,
            False,
        ),  # fmt: skip
        # an answer with no body
        _verbose("$ ", SOCKETS[0], "foo", PATHS[0], "500 Internal Server Error", "", VERSIONS[0], False),
        # prose quoting a status line
        "curl said HTTP/1.1 500 Internal Server Error when I asked it\n",
        "< HTTP/1.1 500 Internal Server Error\nthen nothing\n",
    ],
)
def test_what_is_no_localapi_refusal_is_not_read_as_one(paste: str) -> None:
    try:
        document = run_json(paste)
    except InputError:
        return  # nothing recognised: not claimed
    assert "cert-failed" not in _kinds(document), paste
    assert all("answered by tailscaled" not in block["layout"] for block in document["blocks"])


# --------------------------------------------------------------------------------- `tailscale web` (1471)

STAMPS = ["2025/02/21 23:54:16 ", "2025/02/21 23:54:16.123456 ", ""]
CLIENTS = ["http://100.101.102.103:5252", "100.101.102.103:5252", "http://100.x.x.x:5252",
           "http://[fd7a:115c:a1e0::1]:5252", "http://invalid AddrPort"]  # fmt: skip
LISTENS = [
    ("web server running on: http://localhost:8088", "http://localhost:8088"),
    ("web server running on: http://127.0.0.1:8088", "http://127.0.0.1:8088"),
    ("web server running on: http://0.0.0.0:8088", "http://0.0.0.0:8088"),
    ("web server running on: https://0.0.0.0:443", "https://0.0.0.0:443"),
    ("web server runNIng on: https://:8443", "https://:8443"),  # v1.16-v1.3x's TLS line
]
WEB_COMMANDS = [
    ("tailscale web", False),
    ("/opt/tailscale web", False),
    ("sudo tailscale web --listen 0.0.0.0:8088", False),
    ("tailscale web --readonly", True),
    ("/opt/tailscale web --readonly", True),
    ("tailscale web -readonly --listen=127.0.0.1:8088", True),
    ("tailscale web --readonly=true", True),
    ("tailscale web --readonly=false", False),
]
WEB_PROMPTS = ["$ ", "root@ha:~# ", "PS C:\\Users\\me> "]
FENCES = [("```", "```"), ("```console", "```"), ("", "")]


@settings(max_examples=150, deadline=None)
@given(
    command=st.sampled_from(WEB_COMMANDS),
    prompt=st.sampled_from(WEB_PROMPTS),
    stamp=st.sampled_from(STAMPS),
    client=st.sampled_from(CLIENTS),
    listen=st.sampled_from(LISTENS),
    stopped=st.booleans(),
    fence=st.sampled_from(FENCES),
)
def test_tailscale_webs_start_up_is_recognised_and_no_problem(
    command: tuple[str, bool], prompt: str, stamp: str, client: str, listen: tuple[str, str], stopped: bool,
    fence: tuple[str, str],
) -> None:  # fmt: skip
    typed, readonly = command
    lines = [prompt + typed]
    if not readonly:
        lines.append(f"{stamp}starting tailscaled web client at {client}")
    lines.append(stamp + listen[0])
    if stopped:
        lines += ["^C", f"{stamp}stopping tailscaled web client"] if not readonly else []
    paste = "\n".join([fence[0], *lines, fence[1]]) + "\n"
    document = run_json(paste)
    assert document["summary"]["exit_code"] == 0, paste
    assert {block["kind"] for block in document["blocks"]} == {"web-start"}, paste
    views = [view for view in document["views"] if view["kind"] == "web-start"]
    assert views and views[0]["listen"] == listen[1] and views[0]["readonly"] is readonly, (views, paste)
    assert views[0]["management_client"] == (None if readonly else client)
    rules = [finding["rule"] for finding in document["findings"]]
    assert rules == (["TS-WEB-READONLY"] if readonly else []), (rules, paste)
    if readonly:
        assert "5252" in document["findings"][0]["cause"] and "--webclient" in document["findings"][0]["fix"]
    assert not document["windows"]


def test_the_corpus_shape_two_runs_note_only_the_readonly_one() -> None:
    paste = (
        "```\n$ /opt/tailscale web\n2025/02/21 23:54:16 starting tailscaled web client at http://100.x.x.x:5252\n"
        "2025/02/21 23:54:16 web server running on: http://localhost:8088\n\n$ /opt/tailscale web --readonly\n"
        "2025/02/21 23:54:23 web server running on: http://localhost:8088\n```\n"
    )
    document = run_json(paste)
    assert document["summary"]["exit_code"] == 0
    assert [view["readonly"] for view in document["views"]] == [False, True]
    assert [finding["rule"] for finding in document["findings"]] == ["TS-WEB-READONLY"]
    assert document["findings"][0]["evidence"][0]["line"] == 7


@pytest.mark.parametrize("readonly", ["", " --readonly"])
@pytest.mark.parametrize(
    "failure",
    ["listen tcp 127.0.0.1:8088: bind: address already in use", "listen tcp 127.0.0.1:8088: bind: permission denied"],
)
def test_a_web_run_that_cannot_listen_is_still_a_problem(readonly: str, failure: str) -> None:
    paste = f"$ tailscale web{readonly}\n2024/05/02 10:00:00 web server running on: http://127.0.0.1:8088\n{failure}\n"
    document = run_json(paste)
    assert _kinds(document) == ["web-listen-failed"], paste
    assert document["summary"]["exit_code"] == 1


@pytest.mark.parametrize(
    "text",
    [
        "the web client at port 5252 is not starting for me",
        "Why is the web server running on port 8088 only?",
        "web server running on my NAS: fine",
        "$ tailscale status\n100.64.0.1  nas  me@  linux  -\nstarting tailscaled web client is what I expected",
    ],
)
def test_prose_about_the_web_client_is_no_web_start(text: str) -> None:
    try:
        document = run_json(text + "\n")
    except InputError:
        return
    assert not [block for block in document["blocks"] if block["kind"] == "web-start"], text


# ------------------------------------------------------------------------------- router.Up (1442)

ROUTER_ERRORS = [
    ("router.Up: setting netfilter mode: could not create new netfilter: iptables disabled in build", True),
    ("router.Up: setting netfilter mode: could not create new netfilter: nftables disabled in build", True),
    (
        'router.Up: adding IP rules: running "ip rule add pref 5210 fwmark 0x80000/0xff0000 table main" failed: '
        "exit status 2",
        False,
    ),  # fmt: skip
    ("router.Set(nil): setting netfilter mode: could not setup netfilter: iptables-restore: exit status 1", False),
]
ROUTER_FORMS = [
    'wgengine.NewUserspaceEngine(tun "tailscale0") error: {e}',
    " error: {e}",  # the tail `systemctl status` kept
    "{e}",
    "getLocalBackend error: createEngine: {e}",
]
ROUTER_PREFIXES = [
    "",
    "Oct 24 10:21:03 raspberrypi tailscaled[815]: ",
    "2025-10-24T10:21:03.123+02:00 pi tailscaled[815]: ",
    "2025/10/24 10:21:03 ",
]


@settings(max_examples=120, deadline=None)
@given(
    error=st.sampled_from(ROUTER_ERRORS),
    form=st.sampled_from(ROUTER_FORMS),
    prefix=st.sampled_from(ROUTER_PREFIXES),
    fence=st.booleans(),
    goes_on=st.sampled_from(
        [
            "",
            "Switching ipn state NoState -> Running (WantRunning=true, nm=true)",
            "magicsock: derp-4 connected; connGen=1",
        ]
    ),  # fmt: skip
)
def test_a_router_that_cannot_start_is_firewall_failed_and_a_crash_unless_the_daemon_goes_on(
    error: tuple[str, bool], form: str, prefix: str, fence: bool, goes_on: str
) -> None:
    message, left_out = error
    lines = [prefix + form.format(e=message)]
    if goes_on:
        lines.append(prefix.replace("10:21:03", "10:21:09") + goes_on if prefix else goes_on)
    paste = "\n".join(["```", *lines, "```"] if fence else lines) + "\n"
    document = run_json(paste)
    issues = {issue["kind"] for log in document["daemon_logs"] for issue in log["issues"]}
    assert "firewall-failed" in issues, (issues, paste)
    assert ("crash" in issues) == (not goes_on), (issues, paste)
    assert not {"tun-unavailable", "state-unwritable", "exec-failed"} & issues
    assert document["summary"]["exit_code"] == 1
    (firewall,) = [f for f in document["findings"] if f["rule"] == "TS-LOG-FIREWALL-FAILED"]
    assert ("no iptables support" in firewall["cause"]) == left_out, firewall["cause"]
    assert ("1.90.2" in firewall["fix"]) == left_out
    assert ("netfilter-mode=off" in firewall["fix"]) == (not left_out)


@pytest.mark.parametrize(
    "paste",
    [
        # a firewall failure after the engine exists (a netmap applied later): no crash
        "Oct 24 10:21:03 pi tailscaled[815]: router: updateMagicsockPort(port=41641, network=udp6) failed: could not "
        "setup netfilter: could not create new netfilter: iptables disabled in build\n",
        # the old run's failure, then a restart that gets further
        'Oct 24 10:21:03 pi tailscaled[815]: wgengine.NewUserspaceEngine(tun "tailscale0") error: router.Up: '
        "setting netfilter mode: could not create new netfilter: iptables disabled in build\n"
        "Oct 24 10:21:09 pi tailscaled[900]: Program starting: v1.90.2-t1234567ab-g0123456789, Go 1.25.3: "
        '[]string{"/usr/sbin/tailscaled"}\n'
        "Oct 24 10:21:10 pi tailscaled[900]: Switching ipn state NoState -> Running (WantRunning=true, nm=true)\n",
    ],
)
def test_no_crash_where_the_engine_exists_or_a_later_run_gets_further(paste: str) -> None:
    document = run_json(paste)
    issues = {issue["kind"] for log in document["daemon_logs"] for issue in log["issues"]}
    assert "crash" not in issues, (issues, paste)


@pytest.mark.parametrize(
    "text",
    [
        "I think router.Up is where it fails",
        "the router.Up step of the engine",
    ],
)
def test_prose_naming_router_up_raises_no_crash(text: str) -> None:
    try:
        document = run_json(text + "\n")
    except InputError:
        return
    issues = {issue["kind"] for log in document["daemon_logs"] for issue in log["issues"]}
    assert "crash" not in issues


def test_a_netcheck_report_right_above_a_transcript_stays_a_netcheck() -> None:
    report = (
        "Report:\n\t* UDP: true\n\t* IPv4: yes, 203.0.113.7:41641\n\t* IPv6: no, but OS has support\n"
        "\t* MappingVariesByDestIP: false\n\t* HairPinning: false\n\t* PortMapping: \n\t* Nearest DERP: Frankfurt\n"
        "\t* DERP latency:\n\t\t- fra: 10.1ms  (Frankfurt)\n"
    )
    transcript = _verbose("", SOCKETS[0], "foo", PATHS[0], *ANSWERS[0][:2], VERSIONS[0], glued=False)
    # curl's notes glued under the report, without the command or the fence between them
    body = "\n".join(line for line in transcript.splitlines() if "curl -v" not in line and line != "```")
    document = run_json(report + body + "\n")
    assert [block["kind"] for block in document["blocks"]] == ["netcheck", "windows-error"]
    assert document["nodes"] and document["nodes"][0]["udp"] is True
    assert _kinds(document) == ["cert-failed"]


@pytest.mark.parametrize(
    "line",
    [
        "ipnserver: initial getEngine call: router.Up: setting netfilter mode: exit status 4",
        "ipnserver3: getEngine failed again: router.Up: setting netfilter mode: could not create new netfilter: "
        "iptables disabled in build",
        "2021/06/01 10:00:00 ipnserver: initial getEngine call: router.Set(nil): adding IP rules: exit status 2",
    ],
)
def test_the_old_windows_service_retrying_its_engine_is_no_crash(line: str) -> None:
    # ipn/ipnserver v1.6-v1.34 keeps running, serves the error and calls getEngine again on the next connection
    document = run_json(line + "\n")
    issues = {issue["kind"] for log in document["daemon_logs"] for issue in log["issues"]}
    assert "firewall-failed" in issues and "crash" not in issues, (issues, line)
