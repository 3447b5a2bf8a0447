"""Generated tests for the classes of misses the fourth blind batch (corpus 074-093) found.

Each class is proven on generated variants, not only on the paste that showed it: status rows with
other redaction placeholders or no OS column, rows people annotate or retype, the proposed "online"
status word, pongs whose IP is a placeholder without parentheses, tailscaled lines under syslog or
journald prefixes, health warnings in a daemon log, and a start-up log flattened onto one line.
"""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from opskit.output.diagnose import to_json
from tests.diagnose.conftest import rule_ids, run_text

SELF = "100.101.6.89    hawkman              jrmuizel@    linux   -"

# (cell as printed, expected path, tx, rx)
CELLS = [
    ("-", "idle", None, None),
    ("online", "idle", None, None),
    ('active; relay "fra", tx 2960 rx 0', "derp", 2960, 0),
    ("active; direct 192.168.1.33:41641, tx 9128 rx 16840", "direct", 9128, 16840),
    ("active; exit node; direct 178.249.214.2:51820, tx 61544 rx 536", "direct", 61544, 536),
    ("offline", "offline", None, None),
]
REDACTIONS = ["100.___.___.___", "100.a;b;c", "100.x.y.z", "100.xx.xx.xx", "100.***.***.***", "100.#.#.#"]


def _peers(text: str) -> list[dict[str, Any]]:
    return [p for p in to_json(run_text(text), 1)["peers"] or [] if not p["self"]]


@given(
    st.sampled_from(REDACTIONS),
    st.sampled_from(CELLS),
    st.booleans(),
    st.sampled_from(["  ", "    ", "\t"]),
)
@settings(max_examples=120, deadline=None)
def test_a_row_with_a_redacted_ip_is_read_with_or_without_its_os_column(
    ip: str, cell: tuple[str, str, int | None, int | None], with_os: bool, gap: str
) -> None:
    text, path, tx, rx = cell
    os_column = f"linux{gap}" if with_os else ""
    row = f"{ip}{gap}nas-box{gap}tagged-devices{gap}{os_column}{text}"
    if not with_os and text in ("-", "online", "offline"):
        return  # a bare word without an OS column is not a row (prose would match too)
    diagnosis = run_text(f"{SELF}\n{row}\n")
    peers = [p for p in to_json(diagnosis, 1)["peers"] if not p["self"]]
    assert [(p["name"], p["ip"], p["path"], p["tx"], p["rx"]) for p in peers] == [
        ("nas-box", "redacted", path, tx, rx)
    ], row
    assert "TS-INPUT-UNREAD" not in rule_ids(diagnosis)


ANNOTATIONS = [
    lambda row: "# " + row.replace("  ", " / "),  # retyped with slashes behind a comment marker
    lambda row: row.replace("  ", " / "),
    lambda row: "# " + row,
    lambda row: "(subnet router to the office LAN) " + row,
    lambda row: "Before: " + row,
    lambda row: "case 2 : " + row,
    lambda row: "After:  " + row,
]


@given(st.sampled_from(ANNOTATIONS), st.sampled_from(CELLS[2:5]), st.sampled_from(["100.72.52.40", "100.x.y.z"]))
@settings(max_examples=80, deadline=None)
def test_an_annotated_row_still_yields_its_peer(annotate: Any, cell: tuple[str, str, int, int], ip: str) -> None:
    text, path, tx, rx = cell
    row = annotate(f"{ip}  t-as5002t  fXXXXX@  linux  {text}")
    diagnosis = run_text(f"{SELF}\n{row}\n")
    peers = [p for p in to_json(diagnosis, 1)["peers"] if not p["self"]]
    assert [(p["name"], p["path"], p["tx"], p["rx"], p["os"]) for p in peers] == [
        ("t-as5002t", path, tx, rx, "linux")
    ], row
    assert "TS-INPUT-UNREAD" not in rule_ids(diagnosis)
    # the evidence is the line as pasted, annotation included
    assert peers[0]["evidence"] == row.strip()


def test_online_word_is_an_idle_peer_and_no_problem() -> None:
    diagnosis = run_text(f"{SELF}\n100.64.0.1  device  user@  linux  online\n")
    assert [(p["name"], p["path"]) for p in _peers(f"{SELF}\n100.64.0.1  device  user@  linux  online\n")] == [
        ("device", "idle")
    ]
    assert not diagnosis.has_problems


def test_prose_with_a_colon_is_not_taken_for_a_row() -> None:
    assert _peers(f"{SELF}\nNote: the box on the left is the NAS and it was offline\n") == []
    assert _peers(f"{SELF}\n(that one) is the NAS box and it was offline\n") == []


PLACEHOLDERS = st.sampled_from(['"nas_ip"', "<redacted>", '"100.x.y.z"', "<tailscale-ip>"])
VIAS = [("DERP(fra)", "derp"), ("82.76.29.163:41641", "direct"), ("peer-relay(1.2.3.4:7777:vni:1)", "peer-relay")]


@given(PLACEHOLDERS, st.sampled_from(['"nas_name"', "nas", "<host>"]), st.sampled_from(VIAS), st.integers(1, 4))
@settings(max_examples=80, deadline=None)
def test_pongs_whose_ip_is_a_bare_placeholder_are_counted(ip: str, node: str, via: tuple[str, str], count: int) -> None:
    text = "".join(f"pong from {node} {ip} via {via[0]} in {9 + n}ms\n" for n in range(count))
    pings = to_json(run_text(text), 1)["pings"]
    assert [(p["path"], p["pongs"]) for p in pings] == [(via[1], count)], text


PREFIXES = st.sampled_from(
    [
        "",
        "Nov 13 02:07:34 miniarch tailscaled[11844]: ",
        "Dec  1 09:12:05 nas tailscaled[2211]: ",
        "2021-07-17T15:03:36.462Z headscale tailscaled[14930]: ",
        "2024/10/02 07:34:57 ",
        "Nov 14 11:49:03 raspberrypi tailscaled[29641]: 2021/11/14 11:49:03 ",
        "\u044f\u043d\u0432 30 20:54:59 user-pi tailscaled[884]: ",  # journald in a Russian locale
        "2024-04-30T03:52:44.875476938-04:00 2024/04/30 07:52:44 ",  # container runtime + Go
        "2021-08-15 08:09:13.580261 +0100 +0100: ",  # Go time.Time, as log uploads print it
        "2023-06-03 22:56:56.746992311 +0000 UTC: ",
    ]
)
BODIES = st.sampled_from(
    [
        "magicsock: STUN done; sending call-me-maybe to d:f73553cbf89086bf [WVgFc]",
        "dns: error: context deadline exceeded",
        "dns udp query: waiting for response or error from [http://100.79.191.222:56907/dns-query]: EOF",
        '[RATELIMIT] format("dns: error: %v") (16 dropped)',
        "Accept: ICMPv4{100.64.196.6:0 > 100.100.100.100:0} 122 ok out",
        "wgengine: Reconfig done",
        "authReconfig: ra=false dns=true 0x00: <nil>",
        "control: creating new noise client",
        "portmapper: saw UPnP type WANIPConnection1 at http://192.168.0.1:1900/igd.xml",
        "health(warnable=warming-up): ok",
        "open-conn-track: timeout opening (TCP 100.102.69.110:46312 => 100.127.227.19:38798) to node [Vdhdo]",
        "netstack: decrementing connsInFlightByClient[100.87.35.122] because the packet was not handled",
        "exec ping of 10.4.0.3 failed in 1.332657ms: exit status 2",
        "magicsock: disco: timeout waiting for pong b3c252cdf29b from w.x.y.z:51524 ([+XbWr], d:a2e090010cd26eef)",
    ]
)


@given(PREFIXES, st.lists(BODIES, min_size=1, max_size=5))
@settings(max_examples=80, deadline=None)
def test_tailscaled_lines_are_recognised_under_syslog_and_journald_prefixes(prefix: str, bodies: list[str]) -> None:
    text = "".join(prefix + body + "\n" for body in bodies)
    document = to_json(run_text(text), 1)
    assert [b["kind"] for b in document["blocks"]] == ["tailscaled-log"], text
    assert "TS-INPUT-UNREAD" not in {f["rule"] for f in document["findings"]}


# warnable → the issue kind it stands for (docs/diagnose.md, "tailscaled logs")
WARNABLES = {"no-derp-connection": "derp-unreachable", "dns-forward-failing": "dns-forward-failing",
             "login-state": "login-required"}  # fmt: skip


@given(
    PREFIXES,
    st.lists(st.tuples(st.sampled_from(sorted(WARNABLES)), st.sampled_from(["error", "ok"])), min_size=1, max_size=6),
)
@settings(max_examples=100, deadline=None)
def test_a_health_warning_counts_only_while_its_last_state_is_an_error(
    prefix: str, events: list[tuple[str, str]]
) -> None:
    lines = [
        prefix + f"health(warnable={name}): " + ("error: something failed" if state == "error" else "ok")
        for name, state in events
    ]
    last = {name: state for name, state in events}
    still_failing = sorted(WARNABLES[name] for name, state in last.items() if state == "error")
    diagnosis = run_text("\n".join(lines) + "\n")
    issues = sorted(i["kind"] for log in to_json(diagnosis, 1)["daemon_logs"] for i in log["issues"])
    assert issues == still_failing
    assert diagnosis.has_problems == bool(still_failing)


@given(
    st.lists(st.sampled_from(["s6-rc: info: service legacy-services successfully started", "2023/03/11 16:14:06",
                              "logtail started", "noise"]), max_size=4).map(" ".join),
    st.tuples(st.integers(1, 2), st.integers(0, 99), st.integers(0, 20)),
)  # fmt: skip
@settings(max_examples=60, deadline=None)
def test_a_start_up_log_flattened_onto_one_line_still_gives_the_version(
    before: str, version: tuple[int, int, int]
) -> None:
    dotted = ".".join(map(str, version))
    text = f'{before} Program starting: v{dotted}-t9450812f7, Go 1.19.4: []string{{"tailscaled"}} LogID: abc\n'
    logs = to_json(run_text(text), 1)["daemon_logs"]
    assert [log["version"] for log in logs] == [dotted], text


@given(PREFIXES, st.integers(0, 5), st.booleans())
@settings(max_examples=60, deadline=None)
def test_repeated_dns_errors_count_as_failing_dns_forwarding(prefix: str, errors: int, cleared: bool) -> None:
    lines = [prefix + "magicsock: derp-4 connected; connGen=1"]
    # a timeout can be a one-off (two are needed); no route to the resolver counts at once (test_daemon_log)
    error = 'dns: error: Post "http://100.127.227.19:38798/dns-query": context deadline exceeded'
    lines += [f"{prefix}{error} ({n})" for n in range(errors)]
    if cleared:
        lines.append(prefix + "health(warnable=dns-forward-failing): ok")
    findings = [f for f in run_text("\n".join(lines) + "\n").findings if f.rule_id == "TS-LOG-DNS-FORWARD-FAILING"]
    if errors >= 2 and not cleared:
        (finding,) = findings
        assert finding.extra["issues"] == ["dns-forward-failing"]
    else:
        assert findings == []


@given(
    st.sampled_from(["", "I get this error: ", "the container logs say ", "> "]),
    st.sampled_from(['"{}"', "`{}`", "\u201c{}\u201d", "{}"]),
    st.sampled_from(["doesn't", "doesn\u2019t", "does not"]),
    st.sampled_from(["", " (sudo systemctl start tailscaled ?)", "."]),
)
@settings(max_examples=60, deadline=None)
def test_the_cli_saying_tailscaled_is_not_running_is_read_however_it_is_quoted(
    before: str, quote: str, verb: str, after: str
) -> None:
    message = f"failed to connect to local tailscaled; it {verb} appear to be running{after}"
    document = to_json(run_text(before + quote.format(message) + "\n"), 1)
    assert [w["kind"] for w in document["windows"]] == ["service-not-running"]
