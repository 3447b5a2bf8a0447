"""Generated tests for the classes of log misses blind batch 13 found.

- a service manager's status of the tailscaled unit (`systemctl status`, GNU Shepherd's `herd status`), with or
  without its indentation and log tail: one log block, started by the service manager, its version read from a
  versioned install path (Nix/Guix store, Homebrew Cellar, a tarball's folder);
- log records run together on one line: Go-stamped records with a space between them, or an embedded tsnet
  node's unstamped records with nothing between them: every record is read, in order;
- the Linux router naming its netfilter mode (nftables/iptables): kernel mode, not userspace networking;
- ``inbound-port-unhandled``: a connection over the tailnet for a port nothing on this node serves.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from opskit.core.findings import Severity
from opskit.errors import InputError
from opskit.output.diagnose import to_json
from tests.diagnose.conftest import run_text

# (binary path, the version it names or None)
BINARIES = [
    ("/nix/store/4kip7ryn4vzr5i4whkls079dzjddzpb5-tailscale-1.54.0/bin/tailscaled", "1.54.0"),
    ("/gnu/store/7ldr7h9qnisc0v3d8cyd4ixc1ndrlc0h-tailscaled-1.96.4/bin/tailscaled", "1.96.4"),
    ("/opt/homebrew/Cellar/tailscale/1.76.1/bin/tailscaled", "1.76.1"),
    ("/opt/tailscale_1.58.2_arm64/tailscaled", "1.58.2"),
    ("/usr/sbin/tailscaled", None),
]
STATUSES = [
    "Stopped; run 'tailscale up' to log in",
    "Connected; user@example.com; 100.101.102.103 fd7a:115c:a1e0::1",
    "Needs login: https://login.tailscale.com/a/abc123",
]
TAILS = [
    [],
    ["Jan 14 22:36:32 nixos tailscaled[11954]: wgengine: set DNS config again after major link change"],
    [
        "Jan 14 22:36:32 nixos tailscaled[11954]: LinkChange: major, rebinding. New state: interfaces.State{}",
        'Jan 14 22:36:32 nixos tailscaled[11954]: [RATELIMIT] format("LinkChange: major, rebinding. New state: %v")',
    ],
]


def _systemctl(binary: str, status: str, bullet: str, indent: bool, tail: list[str]) -> str:
    fields = [
        "Loaded: loaded (/etc/systemd/system/tailscaled.service; enabled; preset: enabled)",
        "Drop-In: /nix/store/rbyg0k8wsh0sf4k90w029vnffafyd1w9-system-units/tailscaled.service.d",
        "\u2514\u2500overrides.conf",
        "Active: active (running) since Sun 2024-01-14 10:33:56 NZDT; 13h ago",
        "Docs: https://tailscale.com/kb/",
        f"Process: 1507559 ExecStartPre={binary} --cleanup (code=exited, status=0/SUCCESS)",
        "Main PID: 11954 (.tailscaled-wra)",
        f'Status: "{status}"',
        "IP: 471.5M in, 75.3K out",
        "Tasks: 16 (limit: 18913)",
        "Memory: 29.8M",
        "CPU: 1min 12.050s",
        "CGroup: /system.slice/tailscaled.service",
        f"\u2514\u250011954 {binary} --state=/var/lib/tailscale/tailscaled.state --port=41641",
    ]
    pad = "     " if indent else ""
    lines = [f"{bullet} tailscaled.service - Tailscale node agent", *(pad + field for field in fields)]
    return "\n".join([*lines, "", *tail] if tail and indent else [*lines, *tail]) + "\n"


def _herd(binary: str, tail: list[str]) -> str:
    lines = [
        "\u27e9 sudo herd status tailscaled",
        "Password: ",
        "\u25cf Status of tailscaled:",
        "  It is running since 06:11:01 PM (6 minutes ago).",
        "  Main PID: 491",
        f"  Command: {binary}",
        "  It is enabled.",
        "  Provides: tailscaled tailscale",
        "  Requires: user-processes",
        "  Will be respawned.",
        "",
        "Recent messages (use '-n' to view more or less):",
        *(f"  2026-09-21 18:16:00 {line.split(': ', 1)[1]}" for line in tail),
    ]
    return "\n".join(lines) + "\n"


def _only_log(text: str) -> dict[str, Any]:
    document = to_json(run_text(text), 1)
    assert [block["kind"] for block in document["blocks"]] == ["tailscaled-log"], text
    (log,) = document["daemon_logs"]
    assert not any("tailscaled.service" in w or "Main PID" in w for w in document["warnings"]), document["warnings"]
    return log


@given(
    st.sampled_from(BINARIES),
    st.sampled_from(STATUSES),
    st.sampled_from(["\u25cf", "*", "\u25cb"]),
    st.booleans(),
    st.sampled_from(TAILS),
)
@settings(max_examples=60, deadline=None)
def test_a_systemctl_status_of_the_unit_is_read_as_the_service_running_it(
    binary: tuple[str, str | None], status: str, bullet: str, indent: bool, tail: list[str]
) -> None:
    path, version = binary
    log = _only_log(_systemctl(path, status, bullet, indent, tail))
    assert log["hand_started"] is False
    assert log["version"] == version
    assert "crash" not in [issue["kind"] for issue in log["issues"]]
    assert "hand-started" not in [issue["kind"] for issue in log["issues"]]


@given(st.sampled_from(BINARIES), st.sampled_from(TAILS))
@settings(max_examples=20, deadline=None)
def test_a_shepherd_herd_status_of_the_service_is_read_as_the_service_running_it(
    binary: tuple[str, str | None], tail: list[str]
) -> None:
    path, version = binary
    log = _only_log(_herd(path, tail))
    assert log["hand_started"] is False
    assert log["version"] == version


def test_status_fields_alone_are_no_log() -> None:
    """'Memory:', 'Main PID:' and 'Status:' lines mean something only under the unit's header."""
    with pytest.raises(InputError, match="nothing to diagnose"):
        run_text('Main PID: 491\nMemory: 29.8M\nStatus: "Stopped"\nTasks: 16\n')


# Records of a start-up and a run, each (message, what it proves); joined below in generated ways.
RECORDS = [
    "[v1] using fake (no-op) tun device",
    "magicsock: disco key = d:934177877bb89049",
    "Creating WireGuard device...",
    "Engine created.",
    "Switching ipn state NoState -> Starting (WantRunning=true, nm=true)",
    'health("overall"): error: not in map poll',
    "magicsock: derp-2 connected; connGen=1",
    'health("overall"): ok',
    "Switching ipn state Starting -> Running (WantRunning=true, nm=true)",
    "[unexpected] localbackend: got TCP conn without TCP config for port 3000; from 100.93.131.69:64405",
]


@given(
    st.integers(0, 4),
    st.booleans(),
    st.sampled_from(["", "\n"]),
    st.sampled_from(["", '[vJSON]1{"controltime":"2024-03-05T02:27:02Z"}']),
)
@settings(max_examples=40, deadline=None)
def test_tsnet_records_glued_without_line_ends_are_each_read(
    start: int, with_inbound: bool, end: str, json: str
) -> None:
    """An embedded node's log file written without line ends: the state is the last switch, a health warnable that
    logged ok later is cleared, and a record at the end is read too."""
    records = [*RECORDS[:start], *RECORDS[4:9], json, *RECORDS[9:] * with_inbound]
    log = _only_log("".join(records) + end)
    assert log["state"] == "Running"
    kinds = [issue["kind"] for issue in log["issues"]]
    assert "health:overall" not in kinds
    assert ("inbound-port-unhandled" in kinds) is with_inbound


STAMPS = ["2025/04/15 05:50:10", "2025/04/15 05:50:10.123456"]
ROUTER = [
    "router: nftables rule count: 0, iptables rule count: 0",
    "router: nftables is available",
    "router: netfilter running in nftables mode, v6 = true",
]


@given(
    st.sampled_from(STAMPS),
    st.integers(2, 3),
    st.sampled_from(["nftables mode, v6 = true", "iptables mode v6 = true, v6filter = true, v6nat = true"]),
)
@settings(max_examples=20, deadline=None)
def test_go_stamped_records_on_one_line_are_split_and_the_netfilter_mode_means_kernel_mode(
    stamp: str, joined: int, mode: str
) -> None:
    records = [*ROUTER[:2], f"router: netfilter running in {mode}"]
    first = " ".join(f"{stamp} {record}" for record in records[-joined:])
    text = f"{first}\n{stamp} magicsock: disco key = d:3b174b2bfb19af50\n{stamp} Engine created.\n"
    document = to_json(run_text(text), 1)
    (log,) = document["daemon_logs"]
    assert log["userspace"] is False
    assert log["issues"] == []


def test_a_logger_prefix_before_a_go_stamp_is_no_second_record() -> None:
    """containerboot's "boot: <stamp> …" inside a stamped line is one record, not two."""
    text = "2023/10/10 22:37:43 boot: 2023/10/10 22:37:43 Starting tailscaled and waiting for the state to be ready\n"
    (log,) = to_json(run_text(text + "2023/10/10 22:37:44 Engine created.\n"), 1)["daemon_logs"]
    assert log["hand_started"] is False  # containerboot started it: its line was read whole


@given(
    st.sampled_from(
        [
            "[unexpected] localbackend: got TCP conn without TCP config for port {port}; from 100.93.131.69:64405",
            "[unexpected] localbackend: got TCP conn w/o serveConfig; from 100.93.131.69:50416 to port {port}",
            "[unexpected] local-serve: no handler for 127.0.0.1:53412 to port {port}",
            "handleIngress: [unexpected] no matching ingress serve handler for 203.0.113.9:41000 to port {port}",
        ]
    ),
    st.integers(1, 65535),
    st.sampled_from(["", "2024/03/05 02:27:03 ", "Mar 05 02:27:03 host tailscaled[812]: "]),
    st.integers(1, 3),
)
@settings(max_examples=40, deadline=None)
def test_a_connection_for_a_port_nothing_serves_names_the_port(
    template: str, port: int, prefix: str, times: int
) -> None:
    line = prefix + template.format(port=port)
    diagnosis = run_text("\n".join([f"{prefix}Engine created.", *[line] * times]) + "\n")
    (log,) = to_json(diagnosis, 1)["daemon_logs"]
    assert [(issue["kind"], issue["count"]) for issue in log["issues"]] == [("inbound-port-unhandled", times)]
    (finding,) = [f for f in diagnosis.findings if f.rule_id == "TS-LOG-INBOUND-PORT-UNHANDLED"]
    assert f"port {port}" in finding.title or f"port {port}" in finding.fix
    assert finding.severity is Severity.WARNING  # the path works: the app on this node does not listen
