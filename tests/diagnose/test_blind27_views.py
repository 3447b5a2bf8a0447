"""Views of blind batch 27 read as classes: a table view with a line where the poster cut rows (1388: `[…]` inside
an indented `tailscale exit-node list`), and serve's answer for a Tailscale Service an admin has not approved yet
(1425: `serve --service=svc:… ` under a redacted tailnet name).

Elisions: any line that only marks a cut (`[…]`, `[...]`, `...`, `…`, `(snip)`, `[snip]`, `[N more]`, `(N more
lines)`) inside exit-node list, switch --list, whois or status stands for rows: the reading is the paste's without
it (the same views, peers and exit code), never a table cut short. Serve: cmd/tailscale/cli/serve_v2.go
messageForPort (msgServiceWaitingApproval, the web and TCP trees, TUN mode, the background and undo lines) and
its refusals for Services (`service hosts must be tagged nodes`, msgWarnRemoteDestCompatibility, v1.92+).
"""

from __future__ import annotations

import time
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from opskit.core.diagnose.text import is_elision_line
from opskit.errors import InputError
from tests.diagnose.conftest import run_json

ELISIONS = ["[…]", "[...]", "...", "…", "(snip)", "[snip]", "[3 more]", "(12 more lines)", "[... 40 more rows ...]",
            "<snip>", "-- snip --", "[REDACTED]"]  # fmt: skip
FENCES = [("", ""), ("```\n", "\n```"), ("```console\n", "\n```\n")]
INDENTS = ["", " ", "    ", "   "]  # as pasted, inside a numbered list, under a Markdown list item


def _without_lines(document: dict[str, Any]) -> Any:
    """``document``'s reading without line numbers and evidence: what a cut line may not change."""
    if isinstance(document, dict):
        return {k: _without_lines(v) for k, v in document.items() if k not in ("line", "last_line", "evidence")}
    if isinstance(document, list):
        return [_without_lines(item) for item in document]
    return document


def _reading(document: dict[str, Any]) -> Any:
    return _without_lines(
        {
            "kinds": [b["kind"] for b in document["blocks"]],
            "views": document["views"],
            "peers": document["peers"],
            "windows": document["windows"],
            "exit_code": document["summary"]["exit_code"],
            "rules": sorted(f["rule"] for f in document["findings"] if f["rule"] != "TS-INPUT-UNREAD"),
        }
    )


def _with_cut(rows: list[str], at: int, marker: str, indent: str) -> list[str]:
    return [*rows[:at], indent + marker, *rows[at:]]


# ------------------------------------------------------------------ is_elision_line


@pytest.mark.parametrize("marker", ELISIONS + ["......", "……", "(2 more rows)", "[+12 more]", "--snip--", "[ … ]"])
def test_a_line_that_only_marks_a_cut_is_an_elision(marker: str) -> None:
    assert is_elision_line(marker)


@pytest.mark.parametrize(
    "text",
    ["[12:00:01]", "[1]", "[2024-01-02]", "100.64.0.1", "... and then it failed", "[INFO] started", "- snip",
     "(offline since monday) it was", "..x", "IP  HOSTNAME  COUNTRY  CITY  STATUS", "# To use an exit node", "",
     "[v1] magicsock: ...", "-- Boot 1a2b --"],
)  # fmt: skip
def test_a_line_with_content_is_no_elision(text: str) -> None:
    assert not is_elision_line(text)


# ------------------------------------------------------------------ exit-node list

_EXIT_HEADER = f"{'IP':<20}{'HOSTNAME':<39}{'COUNTRY':<19}{'CITY':<23}STATUS"
_EXIT_HINTS = [
    "# To view the complete list of exit nodes for a country, use `tailscale exit-node list --filter=` followed by "
    "the country name.",
    "# To use an exit node, use `tailscale set --exit-node=` followed by the hostname or IP.",
    "# To have Tailscale suggest an exit node, use `tailscale exit-node suggest`.",
]
_EXIT_NODES = [
    ("100.98.193.6", "linode-vps.tailfa84dd.ts.net", "-", "-"),
    ("100.93.242.75", "ua-iev-wg-001.mullvad.ts.net", "Ukraine", "Kyiv"),
    ("100.88.1.2", "se-sto-wg-004.mullvad.ts.net", "Sweden", "Stockholm"),
    ("100.70.12.34", "nas.example.ts.net", "-", "-"),
    ("100.101.5.6", "us-nyc-wg-301.mullvad.ts.net", "USA", "New York, NY"),
]
_EXIT_STATUSES = ["-", "-", "offline", "offline, last seen 3h ago", "selected"]


def _exit_row(node: tuple[str, str, str, str], status: str) -> str:
    ip, host, country, city = node
    return f"{ip:<20}{host:<39}{country:<19}{city:<23}{status}"


@given(
    count=st.integers(min_value=2, max_value=5),
    statuses=st.lists(st.sampled_from(_EXIT_STATUSES), min_size=5, max_size=5),
    marker=st.sampled_from(ELISIONS),
    cut_at=st.integers(min_value=1, max_value=4),
    indent=st.sampled_from(INDENTS),
    hints=st.booleans(),
    typed=st.booleans(),
    fence=st.sampled_from(FENCES),
)
@settings(max_examples=80, deadline=None)
def test_an_elision_inside_an_exit_node_list_keeps_every_row(
    count: int,
    statuses: list[str],
    marker: str,
    cut_at: int,
    indent: str,
    hints: bool,
    typed: bool,
    fence: tuple[str, str],
) -> None:
    if statuses[:count].count("selected") > 1:
        statuses = ["-" if s == "selected" else s for s in statuses]
    rows = [_exit_row(node, status) for node, status in zip(_EXIT_NODES[:count], statuses, strict=False)]
    tail = ["", *_EXIT_HINTS] if hints else []

    def paste(body: list[str]) -> str:
        lines = (["$ tailscale exit-node list"] if typed else []) + [" " + _EXIT_HEADER, *body, *tail]
        return fence[0] + "\n".join(indent + line if line else line for line in lines) + fence[1]

    whole = run_json(paste(rows))
    cut = run_json(paste(_with_cut(rows, min(cut_at, count - 1), marker, " ")))
    assert [b["kind"] for b in cut["blocks"]] == ["exit-node-list"], cut["blocks"]
    names = [p["name"] for p in cut["peers"]]
    assert names == [node[1] for node in _EXIT_NODES[:count]]
    assert [p["exit_node"] for p in cut["peers"]] == [
        "exit node" if s == "selected" else "offers exit node" for s in statuses[:count]
    ]
    assert _reading(cut) == _reading(whole)


def test_the_rows_end_where_prose_starts_even_after_an_elision() -> None:
    rows = [_exit_row(_EXIT_NODES[0], "-"), "[…]", "I think the second one is broken, any ideas?"]
    document = run_json("$ tailscale exit-node list\n" + "\n".join([_EXIT_HEADER, *rows]) + "\n")
    assert [p["name"] for p in document["peers"]] == [_EXIT_NODES[0][1]]
    (view,) = document["views"]
    assert len(view["exit_nodes"]) == 1
    assert document["summary"]["exit_code"] == 0


def test_an_elision_alone_under_the_header_is_no_exit_node_list() -> None:
    document = run_json(_EXIT_HEADER + "\n[…]\nno rows here, sorry\n")
    assert "exit-node-list" not in [b["kind"] for b in document["blocks"]]
    assert document["peers"] == []


# ------------------------------------------------------------------ switch --list

_PROFILES = [("2ff9", "example.com", "alice@example.com"), ("8a1c", "bob@gmail.com", "bob@gmail.com"),
             ("11d0", "corp.example", "alice@corp.example"), ("7c3e", "home.arpa", "carol@home.arpa")]  # fmt: skip


@given(
    count=st.integers(min_value=2, max_value=4),
    current=st.integers(min_value=0, max_value=3),
    marker=st.sampled_from(ELISIONS),
    cut_at=st.integers(min_value=1, max_value=3),
    old_form=st.booleans(),
    fence=st.sampled_from(FENCES),
)
@settings(max_examples=50, deadline=None)
def test_an_elision_inside_switch_list_keeps_every_account(
    count: int, current: int, marker: str, cut_at: int, old_form: bool, fence: tuple[str, str]
) -> None:
    current %= count
    if old_form:  # v1.34-v1.54: one name a line, " *" after the current one
        head = []
        rows = [f"{p[2]}{' *' if i == current else ''}" for i, p in enumerate(_PROFILES[:count])]
    else:
        head = ["ID    Tailnet        Account"]
        rows = [f"{p[0]}  {p[1]:<13}  {p[2]}{'*' if i == current else ''}" for i, p in enumerate(_PROFILES[:count])]

    def paste(body: list[str]) -> str:
        return fence[0] + "\n".join(["$ tailscale switch --list", *head, *body]) + fence[1]

    whole = run_json(paste(rows))
    cut = run_json(paste(_with_cut(rows, min(cut_at, count - 1), marker, "")))
    (view,) = cut["views"]
    assert view["profiles"] == [p[2] for p in _PROFILES[:count]]
    assert view["current"] == _PROFILES[current][2]
    assert _reading(cut) == _reading(whole)


# ------------------------------------------------------------------ whois

_WHOIS = [
    "Machine:",
    "  Name:          nas.tail1234.ts.net",
    "  ID:            nXYZ1234CNTRL",
    "  Addresses:     [100.101.102.103/32 fd7a:115c:a1e0::1/128]",
    "  AllowedIPs:    [192.168.1.0/24]",
    "User:",
    "  Name:          alice@example.com",
    "  ID:            1234567890",
    "Capabilities:",
    "  - https://tailscale.com/cap/ssh",
    "  - https://tailscale.com/cap/file-sharing",
    "  - https://tailscale.com/cap/funnel",
]


@given(
    cut_at=st.sampled_from([2, 4, 10, 11]),
    marker=st.sampled_from(ELISIONS),
    command=st.sampled_from(["tailscale whois 100.101.102.103", "tailscale whoami", ""]),
    fence=st.sampled_from(FENCES),
)
@settings(max_examples=40, deadline=None)
def test_an_elision_inside_whois_keeps_every_field(
    cut_at: int, marker: str, command: str, fence: tuple[str, str]
) -> None:
    def paste(body: list[str]) -> str:
        return fence[0] + "\n".join(([f"$ {command}"] if command else []) + body) + fence[1]

    # the cut stands for lines the poster left out: the paste without them is the reference
    shown = [line for i, line in enumerate(_WHOIS) if i != cut_at]
    whole = run_json(paste(shown))
    cut = run_json(paste([*shown[:cut_at], "  " + marker, *shown[cut_at:]]))
    (view,) = cut["views"]
    assert view["name"] == "nas.tail1234.ts.net"
    assert view["user"] == "alice@example.com"
    assert len(view["capabilities"]) == (3 if cut_at < 9 else 2)
    assert _reading(cut) == _reading(whole)


# ------------------------------------------------------------------ status (already kept; the same class)


@given(marker=st.sampled_from(ELISIONS), cut_at=st.integers(min_value=1, max_value=3), indent=st.sampled_from(INDENTS))
@settings(max_examples=30, deadline=None)
def test_an_elision_inside_a_status_table_keeps_every_peer(marker: str, cut_at: int, indent: str) -> None:
    rows = [
        "100.64.0.1      laptop        alice@       linux   -",
        '100.64.0.2      nas           alice@       linux   active; relay "fra", tx 1024 rx 0',
        "100.64.0.3      phone         alice@       iOS     offline",
        "100.64.0.4      pi            alice@       linux   active; direct 192.0.2.10:41641, tx 200 rx 300",
    ]

    def paste(body: list[str]) -> str:
        return "$ tailscale status\n" + "\n".join(indent + line for line in body) + "\n"

    whole = run_json(paste(rows))
    cut = run_json(paste(_with_cut(rows, cut_at, marker, "")))
    assert [p["name"] for p in cut["peers"]] == ["laptop", "nas", "phone", "pi"]
    assert _reading(cut) == _reading(whole)


# ------------------------------------------------------------------ serve --service awaiting approval

_APPROVAL = (
    "This machine is configured as a service proxy for {svc}, but approval from an admin is required. Once "
    "approved, it will be available in your Tailnet as:"
)
# the tailnet's name as posters hide it (1425: "(my tailnet)")
SUFFIXES = ["tail1234.ts.net", "(my tailnet).net", "<my tailnet>.ts.net", "[redacted].ts.net", "tailXXXX.ts.net",
            "(tailnet name).ts.net"]  # fmt: skip


def _wrapped(text: str, width: int, soft: bool) -> list[str]:
    """``text`` wrapped at ``width``: by a chat at the last space (soft) or by a terminal mid-word (hard)."""
    if not width:
        return [text]
    out = []
    while len(text) > width:
        cut = text.rfind(" ", 0, width) if soft else width
        out.append(text[:cut])
        text = text[cut:].lstrip() if soft else text[cut:]
    return [*out, text]


def _service_answer(svc: str, suffix: str, mode: str, port: int, header: list[str], cut_tail: bool) -> list[str]:
    host = f"{svc.removeprefix('svc:')}.{suffix}"
    out = [*header, ""]
    if mode == "tun":
        out += [f"IPv4 and IPv6 traffic to {host} is being routed to your operating system.",
                f"To disable the service in TUN mode, run: tailscale serve --service={svc} --tun off"]  # fmt: skip
    else:
        if mode == "tcp":
            out += [f"|-- tcp://{host}:{port}", "|--> tcp://127.0.0.1:5432", ""]
        else:
            shown = "" if (mode, port) in (("http", 80), ("https", 443)) else f":{port}"
            out += [f"{mode}://{host}{shown}/", "|-- proxy http://127.0.0.1:4533", ""]
        out += ["Serve started and running in the background.",
                f"To disable the proxy, run: tailscale serve --service={svc} --{mode}={port} off"]  # fmt: skip
    if not cut_tail:
        out.append(f"To remove config for the service, run: tailscale serve clear {svc}")
    return out


@given(
    svc=st.sampled_from(["svc:navidrome", "svc:db", "svc:kube-apiserver", "svc:my-web-2"]),
    suffix=st.sampled_from(SUFFIXES),
    mode=st.sampled_from(["http", "https", "tcp", "tun"]),
    port=st.sampled_from([80, 443, 8443, 5432]),
    wrap=st.sampled_from([(0, True), (60, True), (80, True), (100, True), (80, False), (64, False)]),
    cut_tail=st.booleans(),
    command=st.sampled_from(["$ sudo tailscale serve --bg --service={svc} --{mode}={port} 4533",
                             "$ tailscale serve --service={svc} --{mode}={port} 4533", ""]),
    fence=st.sampled_from(FENCES),
)  # fmt: skip
@settings(max_examples=120, deadline=None)
def test_a_service_awaiting_approval_is_a_warning_of_the_serve_view(
    svc: str,
    suffix: str,
    mode: str,
    port: int,
    wrap: tuple[int, bool],
    cut_tail: bool,
    command: str,
    fence: tuple[str, str],
) -> None:
    header = _wrapped(_APPROVAL.format(svc=svc), *wrap)
    answer = _service_answer(svc, suffix, mode, port, header, cut_tail)
    typed = [command.format(svc=svc, mode=mode, port=port)] if command else []
    document = run_json(fence[0] + "\n".join(typed + answer) + fence[1])
    assert [b["kind"] for b in document["blocks"]] == ["serve-status"], document["blocks"]
    assert document["windows"] == []
    (view,) = document["views"]
    assert view["awaiting_approval"] == svc
    assert len(view["served"]) == (0 if mode == "tun" else 1), view
    assert document["summary"]["exit_code"] == 1
    rules = [f["rule"] for f in document["findings"]]
    assert "TS-SERVE-SERVICE-APPROVAL" in rules
    assert not {"TS-CLI-SERVE-FAILED", "TS-CLI-SERVE-NOT-CONFIGURED", "TS-CLI-SERVICE-NOT-RUNNING"} & set(rules)
    (finding,) = [f for f in document["findings"] if f["rule"] == "TS-SERVE-SERVICE-APPROVAL"]
    assert svc in finding["cause"]
    assert finding["evidence"][0]["line"] == document["blocks"][0]["first_line"]


@given(
    svc=st.sampled_from(["svc:navidrome", "svc:db"]),
    suffix=st.sampled_from(SUFFIXES),
    mode=st.sampled_from(["http", "https", "tcp"]),
)
@settings(max_examples=30, deadline=None)
def test_an_approved_service_is_no_warning(svc: str, suffix: str, mode: str) -> None:
    answer = _service_answer(svc, suffix, mode, 443, ["Available within your tailnet:"], False)
    document = run_json(f"$ tailscale serve --bg --service={svc} --{mode}=443 4533\n" + "\n".join(answer) + "\n")
    (view,) = document["views"]
    assert view["awaiting_approval"] is None
    assert len(view["served"]) == 1
    assert document["summary"]["exit_code"] == 0
    assert "TS-SERVE-SERVICE-APPROVAL" not in [f["rule"] for f in document["findings"]]


@pytest.mark.parametrize(
    "text",
    [
        # the header quoted in prose, or its start alone before prose: not the CLI's answer
        "The CLI said " + _APPROVAL.format(svc="svc:web") + " and nothing else.\n",
        "This machine is configured as a service proxy for svc:web in our wiki, see the runbook.\n",
        "This machine is configured as a service proxy for svc:web, but approval from an admin is required.\n"
        "So I asked my admin.\n",
    ],
)
def test_the_approval_header_in_prose_is_not_the_view(text: str) -> None:
    try:
        document = run_json(text)
    except InputError:
        return
    assert "serve-status" not in [b["kind"] for b in document["blocks"]]
    assert "TS-SERVE-SERVICE-APPROVAL" not in [f["rule"] for f in document["findings"]]


@pytest.mark.parametrize("suffix", SUFFIXES)
def test_a_redacted_tailnet_name_keeps_the_serve_status_tree(suffix: str) -> None:
    document = run_json(
        f"$ tailscale serve status\nhttps://nas.{suffix} (tailnet only)\n|-- / proxy http://127.0.0.1:8080\n"
    )
    (view,) = document["views"]
    assert [e["url"] for e in view["served"]] == [f"https://nas.{suffix}"]
    assert view["awaiting_approval"] is None
    assert document["summary"]["exit_code"] == 0


def test_a_hostile_host_line_fails_fast() -> None:
    started = time.perf_counter()
    with pytest.raises(InputError):
        run_json("http://" + "(a)" * 20_000 + " x\n" + "|-- proxy " + "<b>" * 20_000 + " y\n")
    assert time.perf_counter() - started < 2.0


# ------------------------------------------------------------------ serve's refusals for Services


@pytest.mark.parametrize("who", ["the MacOS extension", "the Linux tailscaled without SO_MARK"])
@pytest.mark.parametrize("prefix", ["", "$ sudo tailscale serve --bg --service=svc:web http://192.168.1.20:8080\n"])
@pytest.mark.parametrize("warning", ["Warning: ", ""])
def test_a_remote_destination_serve_cannot_dial_is_a_refusal(who: str, prefix: str, warning: str) -> None:
    text = (
        f"{prefix}{warning}{who} doesn't support connecting to remote destinations from non-default route, see "
        "tailscale.com/kb/1552/tailscale-services for detail.\n"
    )
    document = run_json(text)
    assert [w["kind"] for w in document["windows"]] == ["serve-failed"]
    assert document["summary"]["exit_code"] == 1
    (finding,) = [f for f in document["findings"] if f["rule"] == "TS-CLI-SERVE-FAILED"]
    assert who in finding["cause"]


@pytest.mark.parametrize("prefix", ["", "$ sudo tailscale serve --bg --service=svc:web --https=443 3000\n"])
def test_an_untagged_service_host_stays_a_refusal(prefix: str) -> None:
    document = run_json(prefix + "service hosts must be tagged nodes\n")
    assert [w["kind"] for w in document["windows"]] == ["serve-failed"]
    assert document["summary"]["exit_code"] == 1
    assert document["views"] == []
