"""Generated tests for the status/ping classes of misses blind batch 24 found.

Status rows re-aligned by hand (any spacing around the comma before ``tx`` and between the counts), rows
without the owner column (IP, host, OS, cell: the poster cut the login), and repeated ``tailscale ping``
runs to the same peer whose pongs add up.
"""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from opskit.output.diagnose import to_json
from tests.diagnose.conftest import rule_ids, run_text

SPACES = st.sampled_from(["", " ", "  ", "   ", "\t"])
GAPS = st.sampled_from([" ", "  ", "   ", "\t"])
COLUMN_GAPS = st.sampled_from(["  ", "   ", "    ", "\t"])
IPS = st.sampled_from(["100.87.199.13", "100.64.0.7", "100.127.255.1", "100.x.y.z", "fd7a:115c:a1e0::12"])
# (cell before the counts, expected path, expected endpoint)
HEADS = [
    ("active; direct 46.48.65.87:1027", "direct", "46.48.65.87:1027"),
    ("active; direct [2001:db8::5]:41641", "direct", "[2001:db8::5]:41641"),
    ('active; relay "fra"', "derp", None),
    ("active; exit node; direct 178.249.214.2:51820", "direct", "178.249.214.2:51820"),
    ("idle", "idle", None),
]


def _peers(text: str) -> list[dict[str, Any]]:
    return list(to_json(run_text(text), 1)["peers"] or [])


@given(
    st.sampled_from(HEADS),
    SPACES,
    GAPS,
    GAPS,
    GAPS,
    st.integers(0, 10**10),
    st.integers(0, 10**10),
    st.booleans(),
    COLUMN_GAPS,
)
@settings(max_examples=150, deadline=None)
def test_tx_rx_are_read_whatever_the_spacing_around_the_comma_and_counts(
    head: tuple[str, str, str | None],
    after_comma: str,
    after_tx: str,
    between: str,
    after_rx: str,
    tx: int,
    rx: int,
    with_owner: bool,
    gap: str,
) -> None:
    cell, path, endpoint = head
    owner = f"me@{gap}" if with_owner else ""
    self_row = f"100.90.217.37{gap}firstvds{gap}{owner}linux{gap}-"
    row = (
        f"100.87.199.13{gap}proxmox{gap}{owner}linux{gap}{cell},{after_comma}tx{after_tx}{tx}{between}rx{after_rx}{rx}"
    )
    peers = _peers(f"{self_row}\n{row}\n")
    assert [(p["name"], p["self"], p["ip"], p["os"]) for p in peers] == [
        ("firstvds", True, "100.90.217.37", "linux"),
        ("proxmox", False, "100.87.199.13", "linux"),
    ], row
    peer = peers[1]
    assert (peer["path"], peer["endpoint"], peer["tx"], peer["rx"], peer["partial"]) == (
        path, endpoint, tx, rx, False
    ), row  # fmt: skip


OWNERLESS_CELLS = [
    ("-", "idle", False),
    ("idle", "idle", False),
    ("active; direct 77.42.120.71:41641, tx 306676320 rx 209625016", "direct", False),
    ('active; relay "hkg", tx 10 rx 20', "derp", False),
    ("offline, last seen 5d ago", "offline", True),
    ("offline", "offline", True),
]
OSES = st.sampled_from(["linux", "windows", "macOS", "android", "iOS", "freebsd"])


@given(
    IPS,
    st.sampled_from(["senaev-media", "nas", "host-1.example.ts.net"]),
    OSES,
    st.sampled_from(OWNERLESS_CELLS),
    COLUMN_GAPS,
)
@settings(max_examples=150, deadline=None)
def test_a_row_without_the_owner_column_keeps_its_ip_host_and_os(
    ip: str, host: str, os_name: str, cell: tuple[str, str, bool], gap: str
) -> None:
    text, path, offline = cell
    self_row = f"100.90.217.37{gap}firstvds{gap}linux{gap}-"
    row = f"{ip}{gap}{host}{gap}{os_name}{gap}{text}"
    diagnosis = run_text(f"{self_row}\n{row}\n")
    peers = list(to_json(diagnosis, 1)["peers"] or [])
    assert [(p["name"], p["ip"], p["os"], p["self"]) for p in peers] == [
        ("firstvds", "100.90.217.37", "linux", True),
        (host, "redacted" if "x" in ip else ip, os_name, False),
    ], row
    assert (peers[1]["path"], peers[1]["offline"]) == (path, offline), row
    assert "TS-INPUT-UNREAD" not in rule_ids(diagnosis)


def test_a_four_word_row_whose_first_word_is_a_whole_ipv4_address_is_read_as_ownerless() -> None:
    # The host column is the first label of the MagicDNS name (no dots) or a quoted `("host")`
    # (cli/status.go dnsOrQuoteHostname), so a whole dotted quad there is the address of a Headscale node
    # (custom prefixes: 10.x, 192.168.x), in a row whose owner column the poster cut.
    peers = _peers("nas  alice@  linux  -\n192.168.1.4  nas2  linux  -\n")
    assert [(p["name"], p["ip"], p["os"]) for p in peers][1] == ("nas2", "192.168.1.4", "linux")
    # a partial address is no address: the row keeps the host/owner/OS reading
    peers = _peers("nas  alice@  linux  -\n192.168.1  nas2  linux  -\n")
    assert all(p["ip"] != "192.168.1" for p in peers)


VIAS = [
    ("192.168.2.248:41641", "direct", "direct"),
    ("[2001:db8::1]:41641", "direct", "direct"),
    ("DERP(fra)", "derp", "relayed-only"),
]


@given(
    st.sampled_from(VIAS),
    st.integers(2, 5),
    st.integers(1, 3),
    st.sampled_from(["$ ", "# ", "PS C:\\> ", "user@host:~$ "]),
    st.sampled_from(["100.125.58.94", "device-name"]),
    st.booleans(),
)
@settings(max_examples=80, deadline=None)
def test_repeated_runs_to_the_same_peer_add_up_their_pongs(
    via: tuple[str, str, str], runs: int, per_run: int, prompt: str, target: str, blank: bool
) -> None:
    address, path, outcome = via
    text = ""
    for run in range(runs):
        text += f"{prompt}tailscale ping {target}\n"
        text += "".join(
            f"pong from device-name (100.125.58.94) via {address} in {100 + run + n}ms\n" for n in range(per_run)
        )
        text += "\n" if blank else ""
    pings = to_json(run_text(text), 1)["pings"]
    assert [(p["outcome"], p["path"], p["pongs"]) for p in pings] == [(outcome, path, runs * per_run)], text


def test_runs_with_another_outcome_or_target_stay_apart() -> None:
    text = (
        "$ tailscale ping nas\n"
        "pong from nas (100.64.0.2) via 192.168.1.2:41641 in 2ms\n"
        "$ tailscale ping nas\n"
        "pong from nas (100.64.0.2) via DERP(fra) in 40ms\n"
        "$ tailscale ping laptop\n"
        "pong from laptop (100.64.0.3) via 192.168.1.3:41641 in 3ms\n"
    )
    pings = to_json(run_text(text), 1)["pings"]
    # direct then relayed is a path lost: two runs (relayed then direct to one peer reads as one run that went
    # direct, its DERP regions kept: blind batch 31's lead decision, tests/diagnose/test_blind31_cli.py)
    assert [(p["target"], p["outcome"], p["pongs"]) for p in pings] == [
        ("nas", "direct", 1),
        ("nas", "relayed-only", 1),
        ("laptop", "direct", 1),
    ]


# ---------------------------------------------------------------- netcheck values with a note after them

NOTES = ["# UDP 可用", "# ⚠️ true 表示", "// why?", "<-- here", "<== this", "← home", "⬅ look", "#", "# (best)"]
# (line of the report, what the JSON says for it)
NETCHECK_LINES = [
    ("* UDP: true", ("udp", True)),
    ("* IPv4: yes, 120.192.215.66:11014", ("ipv4_scope", "public")),
    ("* MappingVariesByDestIP: true", ("mapping", "hard")),
    ("* HairPinning: false", ("hairpinning", False)),
    ("* PortMapping: UPnP, NAT-PMP", ("port_mapping", ("upnp", "nat-pmp"))),
    ("* CaptivePortal: false", ("captive_portal", False)),
    ("* Nearest DERP: Hong Kong", ("derp_home", "Hong Kong")),
]


def _node_fact(node: dict[str, Any], key: str) -> Any:
    if key == "ipv4_scope":
        return node["ipv4"]["scope"]
    if key == "port_mapping":
        return tuple(p.lower() for p in node["port_mapping"]["protocols"])
    return node[key]


@given(
    st.lists(st.sampled_from(NOTES), min_size=len(NETCHECK_LINES), max_size=len(NETCHECK_LINES)),
    st.lists(st.booleans(), min_size=len(NETCHECK_LINES) + 2, max_size=len(NETCHECK_LINES) + 2),
    st.sampled_from(["", "\t", "    "]),
    st.sampled_from([" ", "   ", "                          ", "\t"]),
    st.booleans(),
)
@settings(max_examples=120, deadline=None)
def test_a_note_typed_after_a_netcheck_value_does_not_hide_the_value(
    notes: list[str], annotated: list[bool], indent: str, gap: str, elided: bool
) -> None:
    lines = ["Report:"]
    for (line, _), note, on in zip(NETCHECK_LINES, notes, annotated, strict=False):
        lines.append(f"{indent}{line}{gap}{note}" if on else f"{indent}{line}")
    lines.append(f"{indent}* DERP latency:")
    lines.append(f"{indent}{indent or ' '}- hkg: 65.1ms  (Hong Kong)" + (f"{gap}{notes[0]}" if annotated[-2] else ""))
    lines.append(f"{indent}{indent or ' '}- tok: 85.7ms" + (f"{gap}{notes[1]}" if annotated[-1] else "  (Tokyo)"))
    if elided:
        lines.append(f"{indent}{indent or ' '}- ...")
    text = "$ tailscale netcheck\n" + "\n".join(lines) + "\n"
    nodes = to_json(run_text(text), 1)["nodes"]
    assert len(nodes) == 1, text
    node = nodes[0]
    for _, (key, want) in NETCHECK_LINES:
        assert _node_fact(node, key) == want, (key, text)
    assert node["derp_home_region"]["code"] == "hkg", text
    assert [(r["code"], r["latency_ms"]) for r in node["derp_latencies"]] == [("hkg", 65.1), ("tok", 85.7)], text


# ------------------------------------------------ an OS route or ping that shows a tailnet address not reached


def _linux_route(address: str, device: str, gateway: str | None) -> str:
    via = f" via {gateway}" if gateway else ""
    return f"$ ip route get {address}\n{address}{via} dev {device} src 10.0.0.26 uid 0\n    cache\n"


def _macos_route(address: str, device: str, gateway: str | None) -> str:
    return (
        f"$ route get {address}\n   route to: {address}\ndestination: default\n       mask: default\n"
        + (f"    gateway: {gateway}\n" if gateway else "")
        + f"  interface: {device}\n      flags: <UP,GATEWAY,DONE,STATIC,PRCLONING>\n"
    )


def _windows_route(address: str, device: str, gateway: str | None) -> str:
    return (
        f"PS C:\\> Find-NetRoute -RemoteIPAddress {address}\n\n"
        f"IPAddress         : 192.168.1.20\nInterfaceIndex    : 12\nInterfaceAlias    : {device}\n"
        "AddressFamily     : IPv4\n\n"
        "Caption            :\nDestinationPrefix  : 0.0.0.0/0\n"
        f"InterfaceAlias     : {device}\nInterfaceIndex     : 12\nNextHop            : {gateway or '0.0.0.0'}\n"
    )


def _linux_ping(address: str) -> str:
    return (
        f"$ ping {address}\nPING {address} ({address}) 56(84) bytes of data.\n^C\n"
        f"--- {address} ping statistics ---\n2 packets transmitted, 0 received, 100% packet loss, time 1018ms\n"
    )


def _macos_ping(address: str) -> str:
    return (
        f"$ ping {address}\nPING {address} ({address}): 56 data bytes\nRequest timeout for icmp_seq 0\n"
        f"Request timeout for icmp_seq 1\n--- {address} ping statistics ---\n"
        "3 packets transmitted, 0 packets received, 100.0% packet loss\n"
    )


def _windows_ping(address: str) -> str:
    return (
        f"PS C:\\> ping {address}\n\nPinging {address} with 32 bytes of data:\n"
        "Request timed out.\nRequest timed out.\n\n"
        f"Ping statistics for {address}:\n    Packets: Sent = 2, Received = 0, Lost = 2 (100% loss),\n"
    )


ROUTE_FORMS = {
    "linux": (_linux_route, ["eth0", "ens3", "wlan0", "docker0", "wg0", "tun0"], ["tailscale0", "ts0"]),
    "macos": (_macos_route, ["en0", "en7", "bridge100"], ["utun4", "utun12"]),
    "windows": (_windows_route, ["Ethernet", "Wi-Fi", "OpenVPN TAP-Windows6"], ["Tailscale"]),
}
PING_FORMS = [_linux_ping, _macos_ping, _windows_ping]
TAILNET_ADDRESSES = st.sampled_from(["100.114.70.3", "100.64.0.1", "100.127.255.254"])
CONTEXT = "$ tailscale status\n100.101.102.103  web  alice@  linux  -\n"


def _rules(text: str) -> list[str]:
    return [finding["rule"] for finding in to_json(run_text(text), 1)["findings"]]


@given(
    st.sampled_from(sorted(ROUTE_FORMS)),
    TAILNET_ADDRESSES,
    st.integers(0, 10),
    st.sampled_from([None, "10.0.0.1", "192.168.1.1"]),
    st.sampled_from([None, *PING_FORMS]),
    st.booleans(),
)
@settings(max_examples=150, deadline=None)
def test_a_route_lookup_sending_a_tailnet_address_elsewhere_is_an_error_naming_the_interface(
    form: str, address: str, device_index: int, gateway: str | None, ping: Any, ping_first: bool
) -> None:
    route_of, outside, inside = ROUTE_FORMS[form]
    device = outside[device_index % len(outside)]
    route = route_of(address, device, gateway)
    ping_text = ping(address) if ping is not None else ""
    text = CONTEXT + (ping_text + route if ping_first else route + ping_text)
    findings = [f for f in to_json(run_text(text), 1)["findings"] if f["rule"] == "TS-TAILNET-ROUTE-OUTSIDE"]
    assert len(findings) == 1, text
    assert findings[0]["severity"] == "error"
    assert f"{address} out of {device}" in findings[0]["cause"], findings[0]["cause"]
    assert ("lost every packet" in findings[0]["cause"]) == (ping is not None), text
    rules = _rules(text)
    assert "TS-OS-PING-TAILNET-LOST" not in rules  # the route finding names the cause of the loss
    # the same lookup answering Tailscale's interface is fine
    good = CONTEXT + route_of(address, inside[device_index % len(inside)], None)
    assert not {"TS-TAILNET-ROUTE-OUTSIDE", "TS-OS-PING-TAILNET-LOST"} & set(_rules(good)), good


@given(st.sampled_from(sorted(ROUTE_FORMS)), st.sampled_from(["192.168.1.7", "8.8.8.8", "100.63.0.1", "100.128.0.1"]))
@settings(max_examples=30, deadline=None)
def test_a_route_lookup_of_an_address_outside_the_tailnet_says_nothing(form: str, address: str) -> None:
    route_of, outside, _ = ROUTE_FORMS[form]
    assert "TS-TAILNET-ROUTE-OUTSIDE" not in _rules(CONTEXT + route_of(address, outside[0], "10.0.0.1"))


@given(st.sampled_from(PING_FORMS), TAILNET_ADDRESSES)
@settings(max_examples=30, deadline=None)
def test_an_os_ping_to_a_tailnet_address_that_lost_everything_is_a_problem(ping: Any, address: str) -> None:
    diagnosis = run_text(CONTEXT + ping(address))
    findings = [f for f in to_json(diagnosis, 1)["findings"] if f["rule"] == "TS-OS-PING-TAILNET-LOST"]
    assert len(findings) == 1 and address in findings[0]["cause"], ping(address)
    assert diagnosis.has_problems
    # to an address outside the tailnet, it is not Tailscale's business
    assert "TS-OS-PING-TAILNET-LOST" not in _rules(CONTEXT + ping("192.168.1.7"))
    # with `tailscale ping` in the paste, the ping rules decide (pongs: the peer's firewall)
    with_ts_ping = CONTEXT + f"$ tailscale ping {address}\npong from k8s ({address}) via 203.0.113.9:41641 in 20ms\n"
    assert "TS-OS-PING-TAILNET-LOST" not in _rules(with_ts_ping + ping(address))
