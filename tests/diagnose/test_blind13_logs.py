"""Generated tests for the classes of log misses blind batch 13 found.

- a service manager's status of the tailscaled unit (`systemctl status`, GNU Shepherd's `herd status`), with or
  without its indentation and log tail: one log block, started by the service manager, its version read from a
  versioned install path (Nix/Guix store, Homebrew Cellar, a tarball's folder);
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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
