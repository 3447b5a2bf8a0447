"""Generated tests for three tailscaled log classes of blind batch 12, each read the way Tailscale's source
writes it:

- ``subnet-ping-failed``: a subnet router in netstack mode answering a peer's ping by running the OS's ``ping``
  (wgengine/netstack userPing: ``exec ping of %v failed in %v: %v``, before v1.20 without the error);
- ``tailnet-lock-dropped-peer``: tailnet lock removing a peer whose node key is unsigned or fails the check
  (ipn/ipnlocal/tailnet-lock.go; ``Network lock`` before the rename, the delta path's ``delta-upserted``);
- ``cgnat-overlap``: netmon's interface list (``interfaces.State{… ifs={…}}``) showing an interface that is not
  Tailscale's with a subnet inside 100.64.0.0/10 (carrier-grade NAT, another VPN or overlay).
"""

from __future__ import annotations

import textwrap
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from opskit.output.diagnose import to_json
from tests.diagnose.conftest import by_rule, run_text

PREFIXES = st.sampled_from(
    [
        "{msg}",
        "raspnew tailscaled[3204]: {msg}",
        "Nov 13 02:07:34 host tailscaled[11844]: {msg}",
        "2024/11/27 09:01:10 {msg}",
        "2021-06-15T16:01:48.840-07:00: {msg}",  # the Windows service's log file
        "2022-06-09 08:33:31.25621467 +0000 UTC: 23.0M/186.1M {msg}",  # the Android app's log
        "08-12 01:28:19.408 31087 31144 I com.tailscale.ipn: {msg}",
        "tailscale-1  | 2024/01/12 10:41:06 {msg}",
    ]
)
WRAPS = st.sampled_from(["plain", "fence", "backticks", "quote", "crlf"])


def _paste(lines: list[str], wrap: str) -> str:
    if wrap == "fence":
        lines = ["```", *lines, "```"]
    elif wrap == "backticks" and len(lines) == 1:
        lines = [f"`{lines[0]}`"]
    elif wrap == "quote":
        lines = [f"> {line}" for line in lines]
    return ("\r\n" if wrap == "crlf" else "\n").join(lines) + "\n"


def _log(text: str) -> tuple[dict[str, Any], int]:
    diagnosis = run_text(text)
    document = to_json(diagnosis, 1 if diagnosis.has_problems else 0)
    (log,) = document["daemon_logs"]
    return log, document["summary"]["exit_code"]


def _issues(log: dict[str, Any], kind: str) -> list[str]:
    return [issue["about"] for issue in log["issues"] if issue["kind"] == kind]


# ------------------------------------------------------------------------------ subnet router pings

IPV4 = st.tuples(st.integers(1, 223), st.integers(0, 255), st.integers(0, 255), st.integers(1, 254)).map(
    lambda parts: ".".join(map(str, parts))
)
PING_TARGETS = st.one_of(IPV4, st.sampled_from(["fd00:1::5", "192.168.x.x", "10.0.xxx.xxx", "2001:db8::42"]))
# Go's time.Duration as %v prints it under the 0.5 s Tailscale logs below
DURATIONS = st.sampled_from(["17.8291ms", "18.6336ms", "812.5µs", "499.9ms", "3.012ms"])
# what the ping failed with: Windows' ping.exe answered by an ICMP error, Linux/BSD ping exiting at once, no ping to
# run (a container image without it, Synology without CAP_NET_RAW), v1.1x's line without the error
PING_ERRORS = st.sampled_from(
    [
        ": unsuccessful ICMP reply received",
        ": exit status 1",
        ": exit status 2",
        ': exec: "ping": executable file not found in $PATH',
        ": fork/exec /bin/ping: permission denied",
        ": fork/exec /system/bin/ping: no such file or directory",
        "",
    ]
)


# macOS/iOS: the router pings by itself and logs every failure, a timeout (a silent host) included
APPLE_ERRORS = st.sampled_from(["context deadline exceeded", "sendto: no route to host", "i/o timeout"])


@given(PREFIXES, WRAPS, PING_TARGETS, DURATIONS, PING_ERRORS, APPLE_ERRORS, st.booleans(), st.integers(1, 4))
@settings(max_examples=120, deadline=None)
def test_a_subnet_routers_failed_ping_is_read_whatever_the_error(
    prefix: str, wrap: str, target: str, took: str, error: str, apple_error: str, apple: bool, repeats: int
) -> None:
    message = (
        f"sendOutboundUserPing: ping to {target} failed: {apple_error}"
        if apple
        else f"exec ping of {target} failed in {took}{error}"
    )
    log, exit_code = _log(_paste([prefix.format(msg=message)] * repeats, wrap))
    assert _issues(log, "subnet-ping-failed") == [target]
    assert exit_code == 1
    # nothing else is claimed from it: the tailnet path to the router works
    assert {issue["kind"] for issue in log["issues"]} == {"subnet-ping-failed"}


@given(PREFIXES, st.lists(IPV4, min_size=2, max_size=4, unique=True), st.booleans(), st.data())
@settings(max_examples=60, deadline=None)
def test_a_later_successful_ping_clears_only_that_host(
    prefix: str, targets: list[str], apple: bool, data: st.DataObject
) -> None:
    answered = data.draw(st.sampled_from(targets))
    if apple:
        failed = "sendOutboundUserPing: ping to {} failed: context deadline exceeded"
        success = f"sendOutboundUserPing: pong from {answered} in 2.3ms"
    else:
        failed = "exec ping of {} failed in 17.8ms: unsuccessful ICMP reply received"
        success = f"exec pinged {answered} in 1.9ms"
    lines = [prefix.format(msg=failed.format(t)) for t in targets]
    lines.append(prefix.format(msg=success))
    log, _ = _log(_paste(lines, "plain"))
    assert sorted(_issues(log, "subnet-ping-failed")) == sorted(t for t in targets if t != answered)


def test_the_subnet_ping_finding_names_the_host_and_the_fix() -> None:
    text = "exec ping of 192.168.101.104 failed in 17.8291ms: unsuccessful ICMP reply received\n" * 2
    (finding,) = by_rule(run_text(text), "TS-LOG-SUBNET-PING-FAILED")
    assert "192.168.101.104" in finding.cause
    assert "`ping 192.168.101.104`" in finding.fix


# ------------------------------------------------------------------------------------- tailnet lock

NODE_IDS = st.one_of(
    st.integers(1, 2**53).map(str),  # tailcfg.NodeID printed as a number
    st.text("0123456789abcdef", min_size=6, max_size=16).map(lambda h: f"nodeid:{h}"),
)
STABLE_IDS = st.text("ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789", min_size=6, max_size=12).map(
    lambda s: f"n{s}CNTRL"
)
LOCK_NAMES = st.sampled_from(["Tailnet lock", "Network lock", "Tailnet Lock"])
DROP_PATHS = st.sampled_from(["peer", "delta-upserted peer"])
REASONS = st.sampled_from(
    [
        ("missing signature", True),
        ("failed signature check: signature does not verify", True),
        ("failed signature check: key is not trusted by the authority", True),
        ("key rotation", False),  # an old key that a newer signed one replaced: nothing to do
    ]
)


@given(PREFIXES, WRAPS, LOCK_NAMES, DROP_PATHS, NODE_IDS, STABLE_IDS, REASONS, st.booleans())
@settings(max_examples=120, deadline=None)
def test_tailnet_lock_dropping_an_unsigned_peer_is_read(
    prefix: str,
    wrap: str,
    lock: str,
    path: str,
    node_id: str,
    stable: str,
    reason: tuple[str, bool],
    with_stable: bool,
) -> None:
    why, problem = reason
    peer = f"{node_id}({stable})" if with_stable else node_id
    message = f"{lock} is dropping {path} {peer} due to {why}"
    lines = [prefix.format(msg="logtail started"), prefix.format(msg=message)]
    log, exit_code = _log(_paste(lines, wrap))
    if problem:
        assert _issues(log, "tailnet-lock-dropped-peer") == [stable if with_stable else node_id]
        assert exit_code == 1
    else:
        assert _issues(log, "tailnet-lock-dropped-peer") == []


# ------------------------------------------------------------------------------ interfaces in 100.64/10

# Interfaces of the host that are never an overlap: LAN and Wi-Fi addresses, link-local and loopback as netmon
# abbreviates them, a down or nil interface, Windows names with spaces.
ORDINARY = st.sampled_from(
    [
        "eth0:[192.168.1.20/24]",
        "wlan0:[192.168.178.37/24]",
        "Wi-Fi:[10.0.0.12/24 llu6]",
        "Ethernet 2:down",
        "rmnet_data3:[2a00:20:70c3:d7ce:q:r:s:t/64]",
        "en0:[192.168.0.5/24 llu6]",
        "lo:[lo4 lo6]",
        "docker0:nil",
        "wan:[100.63.255.2/24]",  # just below 100.64.0.0/10
        "wan6:[100.128.0.2/24]",  # just above it
        "arcbr0:[100.115.92.1/30]",  # ChromeOS's VM/ARC range, which Tailscale never assigns
        "eth0:[100.115.93.6/30]",
    ]
)
# Tailscale's own interface, whatever the platform calls it: a host address, usually beside its ULA address.
OWN = st.sampled_from(
    [
        "tailscale0:[100.101.7.9/32 fd7a:115c:a1e0::1f01:709/128 llu6]",
        "tun0:[100.87.143.114/32 fd7a:115c:a1e0:ab12:4843:cd96:6257:8f72/128]",
        "utun4:[100.64.0.7/32 fd7a:115c:a1e0::7/128]",
        "Tailscale:[100.72.1.2/32 fd7a:115c:a1e0::4801:102/128]",
        "tailscale0:[100.90.0.3/32]",
        "tun0:[100.87.143.114/10 fd7a:115c:a1e0::8f72/128]",  # an odd prefix beside Tailscale's ULA: its own
        "ts-custom:[100.90.0.4/32 fd7a:115c:a1e0::5a00:4/128]",  # --tun=ts-custom
        "tun0:[100.87.143.114]",  # v1.0-v1.6 printed bare addresses
        "utun3:[100.101.1.2/32]",  # no IPv6 (a Headscale tailnet without it)
    ]
)
OVERLAP_NAMES = st.sampled_from(
    ["rmnet_data2", "ccmni1", "ztr2qsmswx", "Ethernet 3", "cni0", "wwan0", "pdp_ip0", "wg0"]
)
# the prefix length, or none (v1.0-v1.6 printed bare addresses)
OVERLAP_PREFIXES = st.tuples(
    st.integers(64, 127).filter(lambda second: second != 115),
    st.sampled_from(["1.2", "x.y", "17.3", "0.1"]),
    st.one_of(st.integers(10, 32).map(lambda bits: f"/{bits}"), st.just("")),
)


def _state(interfaces: list[str], default: str) -> str:
    return f"interfaces.State{{defaultRoute={default} ifs={{{' '.join(interfaces)}}} v4=true v6=true}}"


def _link_change(new: str, old: str | None) -> str:
    if old is None:  # v1.0-v1.5x
        return f"LinkChange: major, rebinding. New state: {new}"
    return f"LinkChange: major, rebinding: old: {old} new: {new} diff: numInterfaces: 2->3"


@given(
    PREFIXES,
    st.sampled_from(["plain", "fence", "backticks", "crlf"]),
    st.lists(ORDINARY, max_size=4, unique=True),
    OWN,
    st.one_of(st.none(), st.tuples(OVERLAP_NAMES, OVERLAP_PREFIXES)),
    st.booleans(),
    st.data(),
)
@settings(max_examples=150, deadline=None)
def test_an_interface_inside_the_cgnat_range_is_an_overlap(
    prefix: str,
    wrap: str,
    ordinary: list[str],
    own: str,
    overlap: tuple[str, tuple[int, str, str]] | None,
    new_format: bool,
    data: st.DataObject,
) -> None:
    interfaces = [*ordinary, own]
    expected: list[str] = []
    if overlap is not None:
        name, (second, rest, bits) = overlap
        address = f"100.{second}.{rest}{bits}"
        interfaces.append(f"{name}:[{address}]")
        expected = [f"{name} {address}"]
    order = data.draw(st.permutations(interfaces))
    # the old state (before the change) may hold anything: only the new one is the host now
    old = _state(["eth0:[192.168.1.20/24]", "ccmni0:[100.70.1.2/30]"], "ccmni0") if new_format else None
    line = prefix.format(msg=_link_change(_state(list(order), ""), old))
    log, exit_code = _log(_paste([line], wrap))
    assert _issues(log, "cgnat-overlap") == expected
    assert exit_code == (1 if expected else 0)


@given(PREFIXES, OVERLAP_NAMES, st.booleans())
@settings(max_examples=40, deadline=None)
def test_a_later_interface_list_without_the_overlap_clears_it(prefix: str, name: str, overlap_again: bool) -> None:
    mobile = _state([f"{name}:[100.95.17.3/29]", "tun0:[100.87.143.114/32 fd7a:115c:a1e0::8f72/128]"], name)
    wifi = _state(["tun0:[100.87.143.114/32 fd7a:115c:a1e0::8f72/128]", "wlan0:[192.168.178.37/24]"], "wlan0")
    lines = [prefix.format(msg=_link_change(mobile, None)), prefix.format(msg=_link_change(wifi, None))]
    if overlap_again:
        lines.append(prefix.format(msg=_link_change(mobile, None)))
    log, _ = _log(_paste(lines, "plain"))
    assert _issues(log, "cgnat-overlap") == ([f"{name} 100.95.17.3/29"] if overlap_again else [])


def test_the_cgnat_finding_names_the_interface_and_its_address() -> None:
    text = _link_change(_state(["rmnet_data2:[100.95.17.3/29]", "tun0:[100.87.143.114/32]"], "rmnet_data2"), None)
    (finding,) = by_rule(run_text(text + "\n"), "TS-LOG-CGNAT-OVERLAP")
    assert "rmnet_data2 has 100.95.17.3/29" in finding.cause


@given(
    st.sampled_from(
        [
            "2022-06-09 08:33:31.25621467 +0000 UTC: 23.0M/186.1M {msg}",
            "Nov 13 02:07:34 host tailscaled[11844]: {msg}",
            "2024/11/27 09:01:10 {msg}",
        ]
    ),
    st.one_of(st.just(0), st.integers(70, 130)),
)
@settings(max_examples=60, deadline=None)
def test_a_link_change_line_broken_by_a_console_or_a_re_wrap_is_read_whole(prefix: str, width: int) -> None:
    state = _state(["rmnet_data2:[100.95.17.3/29]", "tun0:[100.87.143.114/32 fd7a:115c:a1e0::8f72/128]"], "")
    line = prefix.format(msg=_link_change(state, None))
    # 0: an 80-column console cutting mid-word; otherwise a chat client re-wrapping at spaces
    pieces = [line[i : i + 80] for i in range(0, len(line), 80)] if width == 0 else textwrap.wrap(line, width)
    log, exit_code = _log(_paste(pieces, "plain"))
    assert _issues(log, "cgnat-overlap") == ["rmnet_data2 100.95.17.3/29"], pieces
    assert exit_code == 1
