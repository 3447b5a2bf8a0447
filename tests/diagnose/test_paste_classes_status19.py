"""Paste classes blind batches 19/20 missed in status blocks and numbered logs (generated variants).

Each test names the class it proves and the corpus sample that showed it; the variants come from the
formats Tailscale's source prints (cmd/tailscale/cli/status.go printHealth, health/warnings.go) and the
wrappings people paste them in.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from opskit.core.diagnose.text import split_lines
from opskit.errors import InputError
from tests.diagnose.conftest import run_json

# ------------------------------------------------- line numbers in front of a log's records (corpus 376)

# A log viewer (or `cat -n`, `nl`, `grep -n`) numbers every line of an Android logcat or a Go-stamped log.
LOGCAT_RECORDS = [
    "12-12 16:13:30.867 26735 17122 I com.tailscale.ipn: 20.1M/98.8M dns: Set: {DefaultResolvers:[] "
    "Routes:{example.com.beta.tailscale.net.:[] :[w.x.y.z:53] :[]}+65arpa SearchDomains:[example.ts.net. ] Hosts:58}",
    "12-12 16:13:30.876 26735 17122 I com.tailscale.ipn: getDnsConfigFromLinkProperties: 2602:1:2:3:4::1 10.1.10.1",
    "12-12 16:13:30.877 26735 17122 I com.tailscale.ipn: getDnsServersFromSystemProperties:",
    "12-12 16:13:30.879 26735 17122 I com.tailscale.ipn: getDnsServersFromNetworkInfo: 10.1.10.1",
]
GO_RECORDS = [
    "2024/05/01 12:00:00 logtail started",
    '2024/05/01 12:00:00 Program starting: v1.64.0-t1234567-gabcdef, Go 1.22.2: []string{"tailscaled"}',
    "2024/05/01 12:00:01 control: client.Login(false, 0)",
    "2024/05/01 12:00:02 Switching ipn state Starting -> Running (WantRunning=true, nm=true)",
]
NUMBERING = ["{n} ", "{n:6d}\t", "{n:6d}  ", "{n}:", "{n}\t"]


def _numbered(records: list[str], prefix: str, start: int, gaps: list[int]) -> str:
    numbers, n = [], start
    for gap in gaps[: len(records)] + [1] * (len(records) - len(gaps)):
        numbers.append(n)
        n += gap
    return "".join(prefix.format(n=number) + record + "\n" for number, record in zip(numbers, records, strict=True))


@given(
    st.sampled_from(["logcat", "logcat-year", "go"]),
    st.sampled_from(NUMBERING),
    st.integers(1, 99_999),
    st.lists(st.integers(1, 9), max_size=4),
)
@settings(max_examples=25, deadline=None)
def test_numbered_log_lines_read_as_the_log_they_number(form: str, prefix: str, start: int, gaps: list[int]) -> None:
    records = {
        "logcat": LOGCAT_RECORDS,
        "logcat-year": ["2021-" + record for record in LOGCAT_RECORDS],
        "go": GO_RECORDS,
    }[form]
    plain = run_json("".join(record + "\n" for record in records))
    numbered = run_json(_numbered(records, prefix, start, gaps))
    assert [b["kind"] for b in numbered["blocks"]] == ["tailscaled-log"], numbered["blocks"]

    def summary(document: dict[str, object]) -> object:
        (log,) = document["daemon_logs"]  # type: ignore[misc]
        return {key: value for key, value in log.items() if key not in ("label",)}

    assert summary(numbered) == summary(plain)
    assert numbered["summary"]["exit_code"] == plain["summary"]["exit_code"] == 0


@pytest.mark.parametrize(
    ("line", "kept"),
    [
        ("503 Service Unavailable: no backend", True),  # a status code, not a line number
        ("10 12-12 is not a stamp", True),
        ("2024 05/01 12:00:00 only half a Go stamp", True),
        ("10988 12-12 16:13:30.867 26735 17122 I com.tailscale.ipn: x", False),
        ("7:2024/05/01 12:00:00.123456 x", False),
    ],
)
def test_only_a_number_before_a_log_stamp_is_taken_for_a_line_number(line: str, kept: bool) -> None:
    (source,) = split_lines(line)
    assert (source.text == line) is kept, source.text


# ------------------------------------- a health block whose items lost their "#" (corpus 372: ".# Health check:")

# cli/status.go printHealth writes "# Health check:" then "#     - <message>" per item; a copy may keep the
# header's "#" (a stray character before it, or Markdown's "##") while the items lose theirs.
HEALTH_MESSAGES = [
    "dns-os: setLinkDNS: Failed to activate service 'org.freedesktop.resolve1': timed out "
    "(service_start_timeout=25000ms)",
    "Tailscale can't reach the configured DNS servers. Internet connectivity may be affected.",
    "not connected to home DERP region 1",
    "Some peers are advertising routes but --accept-routes is false",
]


@given(
    st.sampled_from(["# Health check:", ".# Health check:", "## Health check:", "Health check:", "`# Health check:"]),
    st.sampled_from(["    - ", "- ", "  -  ", "\t- "]),
    st.lists(st.sampled_from(HEALTH_MESSAGES), min_size=1, max_size=3, unique=True),
    st.booleans(),
)
@settings(max_examples=30, deadline=None)
def test_health_items_without_their_hash_under_a_kept_header_are_health(
    header: str, bullet: str, messages: list[str], fenced: bool
) -> None:
    body = header + "\n" + "".join(bullet + message + "\n" for message in messages)
    text = f"```\n{body}```\n" if fenced else body
    document = run_json(text)
    (status,) = document["statuses"]
    assert status["health"] == messages, text
    assert document["summary"]["exit_code"] == 1


def test_a_health_heading_over_prose_is_not_a_health_block() -> None:
    text = "## Health check:\nI ran the command below and it printed nothing odd.\n"
    assert "# Health check:" not in [line.text for line in split_lines(text)]


# ------------------------ a logged-out node's own row reads "offline" (corpus 368: login-state health warning)

# Self's Online is "in map poll" (ipnlocal: ss.Online = b.health.GetInPollNetMap()), so a node that is logged
# out (health/warnings.go LoginStateWarnable; before 1.70 "not logged in, last login error=…") prints its own
# row as "offline". Such a first row is the local node.
LOGIN_STATE_MESSAGES = [
    "You are logged out.",
    'You are logged out. The last login error was: fetch control key: Get "https://controlplane.tailscale.com/key?'
    'v=142": x509: certificate signed by unknown authority',
    "not logged in, last login error=register request: Post https://login.tailscale.com/machine/register: EOF",
]


@given(
    st.sampled_from(LOGIN_STATE_MESSAGES),
    st.sampled_from(["100.67.109.63", "100.x.y.z", "fd7a:115c:a1e0::1"]),
    st.sampled_from(["userid:8181701273929718", "me@", "jane@example.com"]),
    st.sampled_from(["macOS", "linux", "windows"]),
    st.sampled_from(["  ", "   ", "\t"]),
    st.booleans(),
)
@settings(max_examples=30, deadline=None)
def test_the_first_row_offline_under_a_logged_out_warning_is_the_local_node(
    message: str, ip: str, owner: str, os_name: str, gap: str, padded: bool
) -> None:
    row = gap.join([ip, "blackbook-pro", owner, os_name, "offline"]) + ("  " if padded else "")
    text = f"{row}\n\n# Health check:\n#     - {message}\n"
    (peer,) = run_json(text)["peers"]
    assert (peer["name"], peer["self"], peer["offline"]) == ("blackbook-pro", True, True), text


def test_a_first_row_offline_without_such_a_warning_stays_a_peer() -> None:
    text = "100.67.109.63  nas  me@  linux  offline\n\n# Health check:\n#     - Some peers are advertising routes\n"
    (peer,) = run_json(text)["peers"]
    assert peer["self"] is False


# ------------------------------------- fish's prompt ("~>", "user@host ~/dir>") starts a command (corpus 368)


@given(
    st.sampled_from(["~> ", "me@mbp ~> ", "me@mbp ~/src/tailscale> ", "/tmp> ", "root@nas /root# "]),
    st.sampled_from(LOGIN_STATE_MESSAGES),
)
@settings(max_examples=20, deadline=None)
def test_a_fish_prompt_after_a_health_item_starts_the_next_command(prompt: str, message: str) -> None:
    text = (
        f"{prompt}tailscale status\n100.67.109.63  blackbook-pro  me@  macOS  offline\n\n# Health check:\n"
        f"#     - {message}\n{prompt}tailscale netcheck\n\nReport:\n\t* UDP: true\n\t* IPv4: yes, 203.0.113.9:41641\n"
        "\t* IPv6: no, but OS has support\n\t* MappingVariesByDestIP: false\n\t* Nearest DERP: Frankfurt\n"
        "\t* DERP latency:\n\t\t- fra: 12ms   (Frankfurt)\n"
    )
    document = run_json(text)
    assert sorted(b["kind"] for b in document["blocks"]) == ["netcheck", "status"], text
    (status,) = document["statuses"]
    assert status["health"] == [message]  # the prompt line is not glued to the item
    assert document["nodes"][0]["udp"] is True


# ----------------- a health item that is a Go multierr: "multiple errors:" then one error per line (corpus 820)

# util/multierr's Error() writes "multiple errors:" and "\n\t<error>" per error; printHealth prints the message
# whole after "#     - ", so the errors follow on tab-indented lines without "#", and an error holding a
# command's stderr breaks onto further lines of its own (iptables: "Try `iptables -h' or 'iptables --help' …").
MULTIERR_ERRORS = [
    "adding [-m mark --mark 0x40000/0xff0000 -j MASQUERADE] in nat/ts-postrouting: running [/usr/sbin/iptables -t "
    "nat -A ts-postrouting -m mark --mark 0x40000/0xff0000 -j MASQUERADE --wait]: exit status 2: iptables v1.8.7 "
    "(nf_tables): Chain 'MASQUERADE' does not exist",
    "adding [-o tailscale0 -m conntrack ! --ctstate ESTABLISHED,RELATED -j DROP] in filter/ts-forward: running "
    "[/usr/sbin/iptables -t filter -I ts-forward 4 -o tailscale0 -m conntrack ! --ctstate ESTABLISHED,RELATED -j "
    "DROP --wait]: exit status 2: iptables v1.8.7 (nf_tables): Couldn't load match `conntrack':No such file or "
    "directory",
    "adding [-i tailscale0 -j MARK --set-mark 0x40000/0xff0000] in filter/ts-forward: running [/sbin/iptables -t "
    "filter -A ts-forward -i tailscale0 -j MARK --set-mark 0x40000/0xff0000 --wait]: exit status 1: iptables: No "
    "chain/target/match by that name.",
]
IPTABLES_HINT = "Try `iptables -h' or 'iptables --help' for more information."


@given(
    st.lists(st.sampled_from(MULTIERR_ERRORS), min_size=1, max_size=3, unique=True),
    st.sampled_from(["\t", "        ", "    "]),
    st.lists(st.sampled_from(["", "hint", "blank+hint"]), min_size=3, max_size=3),
    st.sampled_from(["fence", "none", "prompt"]),
    st.sampled_from(["", "> ", "> > "]),
)
@settings(max_examples=40, deadline=None)
def test_a_multierr_health_item_keeps_every_error_it_lists(
    errors: list[str], indent: str, tails: list[str], after: str, quote: str
) -> None:
    lines = ["# Health check:", "#     - multiple errors:"]
    for error, tail in zip(errors, tails, strict=False):
        lines.append(indent + error)
        lines.extend({"": [], "hint": [IPTABLES_HINT, ""], "blank+hint": ["", IPTABLES_HINT, ""]}[tail])
    body = "\n".join(lines) + "\n"
    text = {
        "fence": f"```\n{body}```\nThe router still forwards nothing.\n",
        "none": body,
        "prompt": body + "$ tailscale ping nas\npong from nas (100.101.6.89) via 203.0.113.7:41641 in 3ms\n",
    }[after]
    document = run_json("".join(quote + line + "\n" for line in text.splitlines()))  # maybe a Markdown quote
    (status,) = document["statuses"]
    (message,) = status["health"]
    assert message.startswith("multiple errors: "), message
    assert all(error in message for error in errors), message
    assert [b["kind"] for b in document["blocks"] if b["kind"] != "ping"] == ["status"], text
    assert (after == "prompt") == bool(document["pings"])
    (finding,) = (f for f in document["findings"] if f["rule"] == "TS-STATUS-HEALTH")
    assert "firewall rules" in finding["fix"]


def test_a_multierr_item_without_indented_errors_stays_as_printed() -> None:
    text = "# Health check:\n#     - multiple errors:\n100.101.6.89  nas  me@  linux  -\n"
    document = run_json(text)
    assert document["statuses"][0]["health"] == ["multiple errors:"]
    assert [p["name"] for p in document["peers"]] == ["nas"]


# ------------------ an abridged locked-out header over `tailscale lock status` rows (corpus 815, a docs page)

# tailnet-lock.go prints "The following nodes are locked out by tailnet lock and cannot connect to other nodes:"
# (v1.34 betas: "The following peers are locked out by tailnet lock & do not have connectivity:"); people who
# document or retype it shorten it. The rows under it (name, addresses, stable ID, node key) are as printed.
ABRIDGED_HEADERS = [
    "The following nodes are locked out:",
    "The following peers are locked out:",
    "The following nodes are locked out by Tailnet Lock:",
    "The following nodes are locked out by tailnet-lock:",
    "The following peers are locked out by tailnet lock & do not have connectivity:",
]
LOCK_KEY = "tlpub:" + "2cf55e11a9f65220" * 4
LOCKED_NODE_KEY = "nodekey:" + "38e0e68cc940b9a5" * 4


@given(
    st.sampled_from(ABRIDGED_HEADERS),
    st.sampled_from(["us-atl-wg-302.mullvad.ts.net.", "build-7", "nas.tail1234.ts.net."]),
    st.sampled_from(["Tailnet lock", "Tailnet Lock"]),
    st.booleans(),
    st.sampled_from(["", "> ", "> > "]),
)
@settings(max_examples=30, deadline=None)
def test_an_abridged_locked_out_header_still_lists_the_locked_out_nodes(
    header: str, name: str, lock: str, fenced: bool, quote: str
) -> None:
    body = (
        f"{lock} is ENABLED.\n\nThis node is accessible under {lock.lower()}. Node signature:\nSigKind: direct\n"
        f"Pubkey: [9Y8Bj]\nKeyID: {LOCK_KEY}\n\nTrusted signing keys:\n\t{LOCK_KEY}\t1\t(self)\n\n{header}\n"
        f"\t{name}\t100.117.10.73,fd7a:115c:a1e0::cc01:a51\tncqp5kyPF311CNTRL\t{LOCKED_NODE_KEY}\n"
    )
    text = f"```\n{body}```\n" if fenced else body
    document = run_json("".join(quote + line + "\n" for line in text.splitlines()))  # maybe a Markdown quote
    (report,) = document["tailnet_locks"]
    assert [(n["name"], n["node_key"]) for n in report["locked_out"]] == [(name, LOCKED_NODE_KEY)]
    assert document["summary"]["exit_code"] == 1
    (finding,) = (f for f in document["findings"] if f["rule"] == "TS-LOCK-PEERS-LOCKED-OUT")
    assert f"out: {name.rstrip('.')}. Their keys" in finding["cause"]
    assert f"tailscale lock sign {LOCKED_NODE_KEY}" in finding["fix"]


def test_prose_saying_nodes_are_locked_out_is_no_lock_status() -> None:
    text = "The following nodes are locked out:\nnas and the build box, since yesterday.\n"
    with pytest.raises(InputError):
        run_json(text)


# ------------------ a health message of `tailscale status` quoted in a line of prose (corpus 710)

# The sentences health/warnings.go (and the pre-1.70 terse forms) print are distinctive: quoted in prose
# ("tailscale status … got a report of "not connected to home DERP region XXX"") they are what status said.
QUOTED_HEALTH = [
    "not connected to home DERP region XXX",
    "not connected to home DERP region 900",
    "not connected to home DERP region 1",
]
# the 1.70+ sentences the desktop apps also show as warnings: quoted, the GUI-warning recogniser reads them first
QUOTED_WARNINGS = [
    "Unable to connect to the Tailscale coordination server to synchronize the state of your tailnet",
    "Tailscale hasn't received a network map from the coordination server in 10m0s",
    "Tailscale can't reach the configured DNS servers. Internet connectivity may be affected",
]
NETCHECK_UNDER_PROSE = (
    "Report:\n\t* UDP: true\n\t* IPv4: yes, 203.0.113.9:14644\n\t* MappingVariesByDestIP: false\n"
    "\t* Nearest DERP: home server\n\t* DERP latency:\n\t\t.......\n"
)


@given(
    st.sampled_from(QUOTED_HEALTH),
    st.sampled_from(['"{m}"', "\u201c{m}\u201d", "`{m}`", '("{m}")']),
    st.sampled_from(
        [
            "      But when I check with tailscale status, I got a report of {q}.",
            "Running tailscale status says {q} every few minutes",
            "Status: {q}",
        ]
    ),
)
@settings(max_examples=30, deadline=None)
def test_a_health_message_quoted_in_prose_is_what_status_said(message: str, quote: str, sentence: str) -> None:
    text = sentence.format(q=quote.format(m=message)) + "\n" + NETCHECK_UNDER_PROSE
    document = run_json(text)
    (status,) = document["statuses"]
    assert status["health"] == [message], text
    assert document["summary"]["exit_code"] == 1
    assert document["nodes"][0]["derp_home"] == "home server"


@pytest.mark.parametrize(
    "sentence",
    [
        'I expected "not much" to change after the upgrade.',
        'The docs say "Tailscale is great" and "You should try it".',
        "it is not connected to home DERP region 900 as far as I can tell",  # not quoted: the poster's own words
    ],
)
def test_prose_quoting_no_health_message_adds_no_health(sentence: str) -> None:
    document = run_json(sentence + "\n" + NETCHECK_UNDER_PROSE)
    assert document["statuses"] == []


@pytest.mark.parametrize("message", QUOTED_WARNINGS)
def test_a_quoted_warning_sentence_is_a_problem_too(message: str) -> None:
    text = f'But when I check with tailscale status, I got a report of "{message}".\n' + NETCHECK_UNDER_PROSE
    document = run_json(text)
    assert document["summary"]["exit_code"] == 1
    assert any(message in h for s in document["statuses"] for h in s["health"])


@pytest.mark.parametrize("marker", [">", "> ", "> >", ">>", " > > "])
def test_an_empty_line_inside_a_markdown_quote_is_blank(marker: str) -> None:
    lines = split_lines(f"> Tailnet lock is ENABLED.\n{marker}\n> Trusted signing keys:")
    assert [line.text for line in lines] == ["Tailnet lock is ENABLED.", "", "Trusted signing keys:"]
