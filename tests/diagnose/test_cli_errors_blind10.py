"""Generated tests for the CLI-error classes blind batch 10 missed (corpus 430-469, 553): each class proven
on variants of prompt, log stamp, quoting and wording (wordings as Tailscale's sources print them), not only
on the paste that showed it.

- `tailscale cert`: `failed to get cert dir`, and a cert request whose LocalAPI connection was dropped;
- a LocalAPI request dropped mid-way (EOF, connection reset): `daemon-connection-reset`, not "not running";
- `up`/`set --ssh` on a build that cannot host Tailscale SSH: `ssh-server-unsupported`;
- `tailscale ssh` whose ProxyCommand ran as tailscaled: `cli-is-daemon` with the ProxyCommand cause (session 19);
- a Go panic under a `tailscale <cmd>` prompt: `cli-panic`, the CLI's crash, not tailscaled's;
- netcheck failing to fetch the DERP map: `derpmap-fetch-failed`, no report, no UDP verdict;
- LocalAPI 500 `fetch control key: …`: `control-unreachable`, not a hung daemon;
- the old `(which appears to be running)` with a failed dial: `pipe-missing`;
- a `tailscale status` health item hard-wrapped by the terminal (continuations without the `#`): one item.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from opskit.core.findings import Severity
from opskit.output.diagnose import to_json
from tests.diagnose.conftest import cli_kinds, rule_ids, run_text

STAMPS = ["", "2024/11/15 15:34:33 "]
PROMPTS = [
    "",
    "$ ",
    "root@router:~# ",
    "\u03bb ",
    "C:\\Users\\me>",
    "\u276f ",
]
FENCES = [("", ""), ("```\n", "\n```"), ("```console\n", "\n```"), ("``` \n", "\n```")]


def _paste(prompt: str, command: str, output: list[str], fence: tuple[str, str]) -> str:
    head = f"{prompt}{command}\n" if prompt or command else ""
    return f"{fence[0]}{head}" + "\n".join(output) + fence[1]


CERT_NAMES = ["nas.tail1234.ts.net", "macbook-pro.cute-animal.ts.net", "<tail>-<scale>.ts.net"]
CERT_COMMANDS = [
    "tailscale cert {n}",
    "sudo tailscale cert {n}",
    "/Applications/Tailscale.app/Contents/MacOS/Tailscale cert {n}",
]


@given(
    st.sampled_from(STAMPS),
    st.sampled_from(PROMPTS),
    st.sampled_from(CERT_COMMANDS),
    st.sampled_from(CERT_NAMES),
    st.sampled_from(
        ["HTTP 500 Internal Server Error: failed to get cert dir", "500 Internal Server Error: failed to get cert dir"]
    ),  # fmt: skip
    st.booleans(),
    st.sampled_from(FENCES),
)
@settings(max_examples=40, deadline=None)
def test_cert_dir_failures_are_cert_failed_not_service_not_running(
    stamp: str, prompt: str, command: str, name: str, error: str, expected_200: bool, fence: tuple[str, str]
) -> None:
    output = [f"{stamp}{error}"] + ([" (expected 200)"] if expected_200 else [])
    text = _paste(prompt, command.format(n=name), output, fence)
    assert cli_kinds(text) == ["cert-failed"], text
    report = run_text(text)
    (finding,) = [f for f in report.findings if f.rule_id == "TS-CLI-CERT-FAILED"]
    assert "directory it keeps certificates in" in finding.cause
    assert "TS-WIN-SERVICE-NOT-RUNNING" not in rule_ids(report)


# LocalAPI connections dropped mid-request, as Go's net/http reports them (Unix socket, macOS/Windows TCP,
# Windows pipe), after the CLI's own words ("error", the Go log stamp) or bare.
DROPS = [
    "EOF",
    "unexpected EOF",
    "read unix @->/var/run/tailscale/tailscaled.sock: read: connection reset by peer:",
    "read tcp 127.0.0.1:52011->127.0.0.1:41112: wsarecv: An existing connection was forcibly closed by the remote "
    "host.",
    "write unix @->/var/run/tailscale/tailscaled.sock: write: broken pipe",
]  # fmt: skip
ENDPOINTS = [
    ("Post", "ping?ip=100.64.0.3&size=0&type=disco"),
    ("Get", "status"),
    ("Get", "prefs"),
    ("Post", "debug?action=rebind"),
]
DROP_LEADS = ["", "error ", "2021/11/06 14:45:07 "]


@given(st.sampled_from(DROPS), st.sampled_from(ENDPOINTS), st.sampled_from(DROP_LEADS), st.sampled_from(PROMPTS))
@settings(max_examples=50, deadline=None)
def test_a_localapi_request_dropped_mid_way_is_daemon_connection_reset(
    drop: str, endpoint: tuple[str, str], lead: str, prompt: str
) -> None:
    method, path = endpoint
    line = f'{lead}{method} "http://local-tailscaled.sock/localapi/v0/{path}": {drop}'
    text = _paste(prompt, "tailscale ping peer" if prompt else "", [line], ("", ""))
    assert cli_kinds(text) == ["daemon-connection-reset"], text
    report = run_text(text)
    assert "TS-CLI-DAEMON-CONNECTION-RESET" in rule_ids(report)
    assert "TS-WIN-SERVICE-NOT-RUNNING" not in rule_ids(report)


@given(st.sampled_from(DROPS[:3]), st.sampled_from(CERT_NAMES), st.sampled_from(DROP_LEADS))
@settings(max_examples=20, deadline=None)
def test_a_dropped_cert_request_is_cert_failed_and_the_daemon_going_away(drop: str, name: str, lead: str) -> None:
    text = f'{lead}Get "http://local-tailscaled.sock/localapi/v0/cert/{name}?type=pair": {drop}'
    assert cli_kinds(text) == ["cert-failed", "daemon-connection-reset"], text
    (finding,) = [f for f in run_text(text).findings if f.rule_id == "TS-CLI-CERT-FAILED"]
    assert "dropped the connection" in finding.cause


def test_a_reset_then_not_running_keeps_both_and_the_pongs() -> None:
    text = "\n".join(
        [
            "root@CR8808-OP:~# tailscale ping 750e",
            *["pong from 750e (100.64.0.3) via DERP(cn) in 23ms"] * 3,
            'error Post "http://local-tailscaled.sock/localapi/v0/ping?ip=100.64.0.3&size=0&type=disco": read unix '
            "@->/var/run/tailscale/tailscaled.sock: read: connection reset by peer:",
            "root@CR8808-OP:~# tailscale ping 750e",
            "failed to connect to local tailscaled; it doesn't appear to be running",
        ]
    )
    document = to_json(run_text(text), 1)
    assert [w["kind"] for w in document["windows"]] == ["daemon-connection-reset", "service-not-running"]
    assert document["pings"][0]["pongs"] == 3


# `tailscale up/set --ssh` refused by envknob/featureknob CanRunTailscaleSSH, every wording it has had.
SSH_SERVER_REFUSALS = [
    "The Tailscale SSH server does not run in sandboxed Tailscale GUI builds.",
    "The Tailscale SSH server does not run on Synology.",
    "The Tailscale SSH server does not run on QNAP.",
    "The Tailscale SSH server is not supported on windows",
    "The Tailscale SSH server has been administratively disabled.",
]
SSH_COMMANDS = ["tailscale up --ssh --reset", "tailscale set --ssh", "sudo tailscale up --ssh --accept-routes"]


@given(
    st.sampled_from(SSH_SERVER_REFUSALS),
    st.sampled_from(SSH_COMMANDS),
    st.sampled_from(PROMPTS),
    st.sampled_from(STAMPS),
    st.sampled_from(FENCES),
)
@settings(max_examples=40, deadline=None)
def test_ssh_server_refusals_are_ssh_server_unsupported(
    message: str, command: str, prompt: str, stamp: str, fence: tuple[str, str]
) -> None:
    text = _paste(prompt, command, [f"{stamp}{message}"], fence)
    assert cli_kinds(text) == ["ssh-server-unsupported"], text
    report = run_text(text)
    assert "TS-CLI-SSH-SERVER-UNSUPPORTED" in rule_ids(report)
    assert "TS-WIN-SERVICE-NOT-RUNNING" not in rule_ids(report)


@given(
    st.sampled_from(["host", "nas.tail1234.ts.net", "100.101.102.103"]),
    st.sampled_from(["22", "2222"]),
    st.sampled_from(STAMPS),
    st.booleans(),
)
@settings(max_examples=20, deadline=None)
def test_ssh_proxycommand_run_as_tailscaled_is_cli_is_daemon_with_its_cause(
    host: str, port: str, stamp: str, verbose: bool
) -> None:
    lines = (["...", "debug1: Local version string SSH-2.0-OpenSSH_9.7"] if verbose else []) + [
        f'{stamp}tailscaled does not take non-flag arguments: ["nc" "{host}" "{port}"]',
        "kex_exchange_identification: Connection closed by remote host",
        "Connection closed by UNKNOWN port 65535",
    ]
    text = _paste("$ ", f"tailscale ssh {host} -v", lines, ("```console\n", "\n```"))
    # session 19's lead decision (samples 435 and 2846): one name per concept: the refusal is cli-is-daemon (the
    # `tailscale` run is tailscaled); OpenSSH's closing lines are its consequence, not a second failure
    assert cli_kinds(text) == ["cli-is-daemon"], text
    report = run_text(text)
    (finding,) = [f for f in report.findings if f.rule_id == "TS-CLI-IS-DAEMON"]
    assert "ProxyCommand" in finding.cause
    assert not {"TS-LOG-CRASH", "TS-CLI-SSH-FAILED"} & rule_ids(report)


def test_a_daemon_started_with_other_stray_words_is_not_an_ssh_failure() -> None:
    report = run_text('$ tailscaled --state=mem: -port 41641\ntailscaled does not take non-flag arguments: ["41641"]')
    assert "TS-CLI-SSH-FAILED" not in rule_ids(report)


PANICS = [
    "panic: runtime error: invalid memory address or nil pointer dereference",
    "panic: runtime error: index out of range [0] with length 0",
    "fatal error: concurrent map writes",
]
CLI_COMMANDS = ["tailscale netcheck", "tailscale status", "sudo tailscale ping peer", "tailscale.exe netcheck"]
TRACE = [
    "[signal 0xc0000005 code=0x0 addr=0x0 pc=0x1378238]",
    "",
    "goroutine 175 [running]:",
    "tailscale.com/derp/derphttp.(*Client).Close(0xc00069c2d0)",
    "        tailscale.com@v1.32.0/derp/derphttp/derphttp_client.go:988 +0x38",
    "created by tailscale.com/net/netcheck.(*Client).GetReport",
    "\ttailscale.com@v1.32.0/net/netcheck/netcheck.go:1031 +0x1c72",
]


# Prompts the line splitter knows as prompts (a panic is the CLI's only when the command in front is known).
SHELL_PROMPTS = ["$ ", "root@router:~# ", "C:\\Users\\me>", "\u276f ", "PS C:\\> "]


@given(st.sampled_from(PANICS), st.sampled_from(CLI_COMMANDS), st.sampled_from(SHELL_PROMPTS), st.sampled_from(FENCES))
@settings(max_examples=40, deadline=None)
def test_a_panic_under_a_cli_prompt_is_cli_panic_not_a_daemon_crash(
    panic: str, command: str, prompt: str, fence: tuple[str, str]
) -> None:
    text = _paste(prompt, command, [panic, *TRACE], fence)
    document = to_json(run_text(text), 1)
    assert [w["kind"] for w in document["windows"]] == ["cli-panic"], text
    assert not document["daemon_logs"], text
    assert "TS-LOG-CRASH" not in rule_ids(run_text(text))


def test_tailscaleds_own_panic_stays_a_daemon_crash() -> None:
    text = "$ sudo tailscaled --state=/var/lib/tailscale/tailscaled.state\n" + "\n".join([PANICS[0], *TRACE])
    assert "cli-panic" not in cli_kinds(text)


DERPMAP_FAILURES = [
    'fetch prodDERPMap failed: Get "https://controlplane.tailscale.com/derpmap/default": dial tcp: lookup '
    "controlplane.tailscale.com on [::1]:53: read udp [::1]:50349->[::1]:53: read: connection refused",
    'fetch prodDERPMap failed: Get "https://controlplane.tailscale.com/derpmap/default": context deadline exceeded '
    "(Client.Timeout exceeded while awaiting headers)",
    "fetch prodDERPMap: 502 Bad Gateway: upstream error",
    "Failed to fetch a DERP map, so netcheck cannot continue.",
]
DERPMAP_PREAMBLE = [
    [],
    ["2024/01/28 05:08:40 No DERP map from tailscaled; using default."],
    [
        "2026/08/03 13:14:18 No DERP map from tailscaled; using default.",
        "2026/08/03 13:14:18 attempting to fetch a DERPMap from https://controlplane.tailscale.com",
    ],
]


@given(
    st.sampled_from(DERPMAP_FAILURES),
    st.sampled_from(DERPMAP_PREAMBLE),
    st.sampled_from(["", "1|:/data/data/com.termux/files/home # ", "$ "]),
    st.sampled_from(FENCES),
)
@settings(max_examples=40, deadline=None)
def test_netcheck_without_a_derp_map_is_derpmap_fetch_failed_and_no_udp_verdict(
    failure: str, preamble: list[str], prompt: str, fence: tuple[str, str]
) -> None:
    text = _paste(prompt, "tailscale netcheck" if prompt else "", [*preamble, failure], fence)
    assert cli_kinds(text) == ["derpmap-fetch-failed"], text
    ids = rule_ids(run_text(text))
    assert "TS-NETCHECK-DERPMAP-FETCH-FAILED" in ids
    assert "TS-NETCHECK-UDP-BLOCKED" not in ids


@given(
    st.sampled_from(["logout", "up", "login", "up --reset"]),
    st.sampled_from(["context deadline exceeded", "EOF", "dial tcp 192.200.0.101:443: connect: connection refused"]),
    st.sampled_from(["", "2024/04/25 19:09:21 "]),
    st.sampled_from(PROMPTS),
)
@settings(max_examples=30, deadline=None)
def test_localapi_500_fetch_control_key_is_control_unreachable(sub: str, why: str, stamp: str, prompt: str) -> None:
    line = (
        f'{stamp}500 Internal Server Error: fetch control key: Get "https://controlplane.tailscale.com/key?v=90": {why}'
    )
    text = _paste(prompt, f"tailscale {sub}" if prompt else "", [line], ("", ""))
    assert cli_kinds(text) == ["control-unreachable"], text
    report = run_text(text)
    (finding,) = [f for f in report.findings if f.rule_id == "TS-UP-CONTROL-UNREACHABLE"]
    assert "fetching its key" in finding.cause
    assert {"TS-WIN-DEADLINE", "TS-WIN-BACKEND-ERROR"}.isdisjoint(rule_ids(report))


@given(
    st.sampled_from(["no such file or directory", "connection refused"]),
    st.sampled_from(["status", "prefs", "login-interactive"]),
    st.sampled_from(["", "Run sudo tailscaled 2>~/tailscaled.log &\n"]),
)
@settings(max_examples=12, deadline=None)
def test_the_old_appears_to_be_running_wording_with_a_failed_dial_is_pipe_missing(
    errno: str, endpoint: str, before: str
) -> None:
    text = (
        f"{before}failed to connect to local tailscaled (which appears to be running). Got error: Get "
        f'"http://local-tailscaled.sock/localapi/v0/{endpoint}": dial unix /var/run/tailscale/tailscaled.sock: '
        f"connect: {errno}"
    )
    assert cli_kinds(text) == ["pipe-missing"], text


HEALTH_MESSAGES = [
    "adding [-i tailscale0 -j MARK --set-mark 0x40000/0xff0000] in v4/filter/ts-forward: running [/sbin/iptables "
    "-t filter -A ts-forward -i tailscale0 -j MARK --set-mark 0x40000/0xff0000 --wait]: exit status 1: iptables: "
    "Invalid argument. Run `dmesg' for more information.",
    "Tailscale could not connect to the 'Frankfurt' relay server. Your Internet connection might be down, or the "
    "server might be temporarily unavailable.",
    "Tailscale can't reach the configured DNS servers. Internet connectivity may be affected. (dns-forward-failing "
    "warning since 2024-09-01 and still failing after many retries)",
]


def _terminal(line: str, width: int) -> list[str]:
    return [line[i : i + width] for i in range(0, len(line), width)]


@given(
    st.sampled_from(HEALTH_MESSAGES),
    st.sampled_from([80, 100, 120, 130, 160]),
    st.sampled_from(["", "...", "100.64.0.1  router  tagged-devices linux -"]),
    st.sampled_from(["", "\n", "\n\nThat is all it says."]),
    st.sampled_from([("", ""), ("```\n", "\n```")]),
)
@settings(max_examples=60, deadline=None)
def test_a_health_item_cut_by_the_terminal_is_read_whole(
    message: str, width: int, rows: str, after: str, fence: tuple[str, str]
) -> None:
    item = "#     - " + message
    lines = ["mikrotik:/# tailscale status", rows, "", "# Health check:", *_terminal(item, width)]
    text = fence[0] + "\n".join(lines) + after + fence[1]
    health = [h for s in to_json(run_text(text), 1)["statuses"] for h in s["health"]]
    assert health == [message], (text, health)


def test_a_finished_health_item_is_not_glued_to_what_follows() -> None:
    message = "Tailscale could not connect to any relay server. Check your Internet connection and try again."
    text = f"$ tailscale status\n# Health check:\n#     - {message}\nafter that nothing works"
    health = [h for s in to_json(run_text(text), 1)["statuses"] for h in s["health"]]
    assert health == [message]


# netcheck's port mapper: a UPnP gateway answering from an address that is not the default gateway, alone
# (as quoted from a post), under the CLI's log stamp, before or after the report it belongs to.
UPNP_PAIRS = [("192.168.5.2", "192.168.5.1"), ("10.0.0.254", "10.0.0.1"), ("172.16.1.2", "172.16.1.1")]
NETCHECK_REPORT = [
    "",
    "Report:",
    "\t* UDP: true",
    "\t* IPv4: yes, 198.51.100.20:40001",
    "\t* IPv6: no, but OS has support",
    "\t* MappingVariesByDestIP: false",
    "\t* PortMapping: UPnP",
    "\t* Nearest DERP: Frankfurt",
    "\t* DERP latency:",
    "\t\t- fra: 12.1ms  (Frankfurt)",
]


@given(
    st.sampled_from(UPNP_PAIRS),
    st.sampled_from(["", "2025/03/01 10:00:00 ", "2025/03/01 10:00:00.123456 "]),
    st.sampled_from(["alone", "before", "after"]),
    st.integers(min_value=1, max_value=3),
    st.sampled_from(["", "$ ", "root@istoreos:~# "]),
)
@settings(max_examples=50, deadline=None)
def test_a_upnp_answer_from_another_device_than_the_gateway_is_a_warning(
    pair: tuple[str, str], stamp: str, where: str, repeats: int, prompt: str
) -> None:
    responder, gateway = pair
    logged = [f"{stamp}portmap: UPnP discovery response from {responder}, but gateway IP is {gateway}"] * repeats
    body = {"alone": logged, "before": [*logged, *NETCHECK_REPORT], "after": [*NETCHECK_REPORT[1:], *logged]}[where]
    text = _paste(prompt, "tailscale netcheck" if prompt else "", body, ("", ""))
    report = run_text(text)
    document = to_json(report, 1)
    assert [b["kind"] for b in document["blocks"]] == ["netcheck"], text
    (finding,) = [f for f in report.findings if f.rule_id == "TS-NETCHECK-UPNP-NOT-GATEWAY"]
    assert responder in finding.cause and gateway in finding.cause
    assert "TS-NETCHECK-UDP-BLOCKED" not in rule_ids(report)


def test_the_port_mappers_other_log_lines_are_no_upnp_warning() -> None:
    text = "\n".join(
        ["portmap: monitor: gateway and self IP changed: gw=192.168.5.1 self=192.168.5.20", *NETCHECK_REPORT]
    )
    assert "TS-NETCHECK-UPNP-NOT-GATEWAY" not in rule_ids(run_text(text))


# A "not running" error, then tailscaled's answer to another command in the same paste (`tailscale lock
# status`): the daemon was running, the error was the CLI's generic wording (corpus 553). A retry's
# "Success." stays a start-up race; with no later answer the error stands.
NOT_RUNNING = [
    "failed to connect to local Tailscale service; is Tailscale running?",
    "failed to connect to local tailscaled; it doesn't appear to be running (sudo systemctl start tailscaled ?)",
    "failed to connect to local tailscaled process; is the Tailscale service running?",
]
LOCK_ANSWERS = ["Tailnet lock is NOT enabled.", "Tailnet Lock is NOT enabled.", "Tailnet lock is ENABLED."]


@given(
    st.sampled_from(NOT_RUNNING),
    st.sampled_from(LOCK_ANSWERS),
    st.sampled_from(["", "2025/10/20 10:27:10 "]),
    st.sampled_from(["", "\nOh no, Tailscale isn't running!\n\nExcept it definitely is running!\n"]),
    st.sampled_from([("", ""), ("```console\n", "\n```\n")]),
)
@settings(max_examples=40, deadline=None)
def test_not_running_then_the_daemon_answering_another_command_is_not_a_daemon_problem(
    error: str, answer: str, stamp: str, prose: str, fence: tuple[str, str]
) -> None:
    first = _paste("$ ", "tailscale lock log", [f"{stamp}{error}"], fence)
    second = _paste("$ ", "tailscale lock status", [answer], fence)
    text = f"{first}\n{prose}\n{second}"
    report = run_text(text)
    assert "service-not-running" not in cli_kinds(text), text
    assert all(f.severity is Severity.INFO for f in report.findings), (text, report.findings)


@given(st.sampled_from(NOT_RUNNING[1:]), st.sampled_from(["", "2021/08/05 10:11:12 "]))
@settings(max_examples=8, deadline=None)
def test_not_running_with_no_later_answer_still_stands(error: str, stamp: str) -> None:
    text = f"$ tailscale lock log\n{stamp}{error}\n$ tailscale lock status\n{stamp}{error}"
    assert set(cli_kinds(text)) == {"service-not-running"}, text


@given(st.sampled_from(["", "2023/09/18 10:00:00 ", "When invoking tailscale cert I get:\n\n"]))
@settings(max_examples=5, deadline=None)
def test_an_acme_x509_failure_is_cert_failed_and_a_tls_problem_towards_lets_encrypt(lead: str) -> None:
    text = (
        f'{lead}500 Internal Server Error: acme.GetReg: Get "https://acme-v02.api.letsencrypt.org/directory": '
        "tls: failed to verify certificate: x509: certificate signed by unknown authority"
    )
    assert cli_kinds(text) == ["cert-failed", "tls-intercepted"], text
    (finding,) = [f for f in run_text(text).findings if f.rule_id == "TS-TLS-INTERCEPTED"]
    assert "Let's Encrypt" in finding.cause and "coordination server" not in finding.cause


@given(st.sampled_from(HEALTH_MESSAGES), st.sampled_from([80, 130]), st.sampled_from(["\r\n", "\r\r\n"]))
@settings(max_examples=12, deadline=None)
def test_a_cut_health_item_survives_crlf_line_ends_even_converted_twice(message: str, width: int, end: str) -> None:
    lines = ["$ tailscale status", "", "# Health check:", *_terminal("#     - " + message, width), ""]
    health = [h for s in to_json(run_text(end.join(lines)), 1)["statuses"] for h in s["health"]]
    assert health == [message]


def test_a_blank_line_ends_a_health_item_in_a_plain_paste() -> None:
    item = "#     - " + HEALTH_MESSAGES[0]
    pieces = _terminal(item, 130)
    text = "\n".join(["$ tailscale status", "# Health check:", pieces[0], "", "some prose the poster wrote"])
    health = [h for s in to_json(run_text(text), 1)["statuses"] for h in s["health"]]
    assert health == [pieces[0][len("#     - ") :].strip()]


@given(st.sampled_from(["\n", "\r\n", "\r\r\n", "\n\n"]), st.booleans())
@settings(max_examples=8, deadline=None)
def test_a_hand_cut_peer_object_reads_with_a_blank_after_every_line(end: str, fence: bool) -> None:
    fields = ['    "Online": true,', '    "KeepAlive": false,', '    "ExitNode": false,', '    "Active": false,']
    text = end.join((["```"] if fence else []) + fields + (["```"] if fence else []))
    assert [b["kind"] for b in to_json(run_text(text), 1)["blocks"]] == ["status"], repr(text)


# fix14-cli (blind 502): the port mapper's other UPnP discovery lines during netcheck (net/portmapper: a reply
# from a non-standard source port, still used; the [v1] reply dump; "UPnP meta changed"; an unrecognised or
# surplus reply) are netcheck chatter: read as netcheck, alone or around a report, quoted or not, no problem.
PORTMAP_CHATTER = [
    "portmap: UPnP discovery response from non-UPnP port 37565",
    "portmap: [v1] UPnP reply {Location:http://192.168.0.1:49152/IGDdevicedesc_brlan0.xml Server:Linux UPnP/1.0 "
    'USN:uuid:ebf5a0a0}, "HTTP/1.1 200 OK\\r\\nCACHE-CONTROL: max-age=1800\\r\\n\\r\\n"',
    "portmap: UPnP meta changed: [{Location:http://192.168.1.1:5000/rootDesc.xml Server:OpenWRT/22 USN:uuid:1}]",
    "portmap: unrecognized UPnP discovery response; ignoring: bad response",
    "portmap: too many UPnP responses: skipping",
]


@given(
    st.lists(st.sampled_from(PORTMAP_CHATTER), min_size=1, max_size=3),
    st.sampled_from(["", "2023/03/08 22:32:00 ", "2025/03/01 10:00:00.123456 "]),
    st.sampled_from(["alone", "before", "after"]),
    st.sampled_from(["", "> "]),
    st.sampled_from(["", "$ "]),
)
@settings(max_examples=40, deadline=None)
def test_the_port_mappers_upnp_discovery_chatter_is_netcheck_without_a_problem(
    lines: list[str], stamp: str, where: str, quote: str, prompt: str
) -> None:
    logged = [f"{stamp}{line}" for line in lines]
    body = {"alone": logged, "before": [*logged, *NETCHECK_REPORT], "after": [*NETCHECK_REPORT[1:], *logged]}[where]
    text = "\n".join(f"{quote}{line}" for line in _paste(prompt, "tailscale netcheck", body, ("", "")).split("\n"))
    report = run_text(text)
    assert [b["kind"] for b in to_json(report, 0)["blocks"]] == ["netcheck"], text
    assert [f.rule_id for f in report.findings if f.severity is not Severity.INFO] == [], text
