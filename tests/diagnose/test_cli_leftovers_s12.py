"""The CLI sweep's leftovers (session 12, round 3), read as classes and asserted on what a user sees in the JSON.

- `tailscale ip -4` / `-6` (cmd/tailscale/cli/ip.go:114/117 at de9ec7ee2, v1.4+): ``no Tailscale IPv4 address`` /
  ``no Tailscale IPv6 address`` when the node, or the peer named, has no tailnet address of that family: the new
  kind `address-family-missing` (a warning: on the tailnet, with the other family only).
- Synology's configure-host (configure-synology.go:83, configure-synology-cert.go:73): ``unsupported DSM version
  "<v>"`` quoting a kernel release (``4.4.180+``) is the 1.31 unstable CLI's bug (d5e7e3093 made hostinfo's OSVersion
  the kernel release on 2022-09-11, ff13c66f5 fixed configure-host on 2022-09-17, before 1.32.0): upgrade the package.
  DSM's own unsupported versions (``5.2``, ``Synology 5.2-5967; kernel=…`` before 1.32) keep the general reading.
- containerboot (cmd/containerboot/main.go:460, v1.68+): ``[unexpected] error enabling UDP GRO forwarding: <answer>``
  is the log issue `udp-gro-suboptimal` keyed by tailscaled's answer (ipnlocal SetUDPGROForwarding, netkernelconf).
`no interface has IP %v` (wait.go:156) is not tested: it is never printed (`tailscale wait` hands it to a backoff whose
logger is logger.Discard and returns only ctx.Err()), so there is nothing a user could paste.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.diagnose.test_cli_sweep_s12 import PROMPTS, _assert_read, _document, _kinds, _paste

_PEER = st.one_of(
    st.just(""),
    st.from_regex(r" [a-z][a-z0-9-]{1,12}", fullmatch=True),
    st.from_regex(r" 100\.(?:6[4-9]|[7-9]\d|1[01]\d|12[0-7])\.\d{1,2}\.\d{1,3}", fullmatch=True),
    st.from_regex(r" fd7a:115c:a1e0::[0-9a-f]{1,4}", fullmatch=True),
)
_GO_STAMP = ("", "2026/08/22 11:48:56 ")


# ---- `tailscale ip -4` / `-6`: address-family-missing ----
@settings(max_examples=120, deadline=None)
@given(
    prompt=st.sampled_from(PROMPTS),
    family=st.sampled_from(("4", "6")),
    peer=_PEER,
    with_command=st.booleans(),
    shape=st.sampled_from(("{m}", "{m}\r", "`{m}`", '"{m}"', "> {m}", "Error: {m}", "{m}.")),
    stamp=st.sampled_from(_GO_STAMP),
)
def test_no_address_of_the_family_asked_for_is_a_missing_family_not_a_stopped_node(
    prompt: str, family: str, peer: str, with_command: bool, shape: str, stamp: str
) -> None:
    message = stamp + shape.format(m=f"no Tailscale IPv{family} address")
    text = _paste(prompt, f"tailscale ip -{family}{peer}" if with_command else None, message)
    _assert_read(text, "address-family-missing", "TS-CLI-ADDRESS-FAMILY-MISSING", f"no IPv{family} tailnet address")
    document = _document(text)
    assert document is not None
    finding = next(f for f in document["findings"] if f["rule"] == "TS-CLI-ADDRESS-FAMILY-MISSING")  # type: ignore[union-attr]
    assert finding["severity"] == "warning", finding
    other = "6" if family == "4" else "4"
    # the fix names the family it has and how to get the missing one
    assert f"tailscale ip -{other}" in finding["fix"] and f"v{family}:" in finding["fix"], finding["fix"]
    if family == "4":
        assert "disableIPv4" in finding["cause"] and "disableIPv4" in finding["fix"], finding
    kinds = _kinds(text)
    assert "not-running-state" not in kinds and "peer-not-found" not in kinds and "other" not in kinds, kinds


@pytest.mark.parametrize(
    "text",
    [
        "I have no Tailscale IPv4 address on this box, only the LAN one\n",  # prose: the message goes on
        "$ tailscale ip -4\n100.101.102.103\n$ tailscale status\n100.101.102.103  laptop  alice@  linux  -\n",
        "$ tailscale ip -4\nno current Tailscale IPs; state: NeedsLogin\n",  # not running: its own kind
    ],
)
def test_an_address_shown_or_only_mentioned_is_no_missing_family(text: str) -> None:
    assert "address-family-missing" not in _kinds(text), text


# ---- configure-host's DSM version check quoting the kernel release: the 1.31 CLI's bug ----
_KERNEL = st.builds(
    lambda major, minor, patch, tail: f"{major}.{minor}.{patch}{tail}",
    st.sampled_from(("3", "4", "5")),
    st.integers(0, 19),
    st.integers(0, 330),
    st.sampled_from(("+", "", "+", "-synology")),
)


@settings(max_examples=100, deadline=None)
@given(
    kernel=_KERNEL,
    command=st.sampled_from(
        (
            "sudo tailscale configure-host",
            "/var/packages/Tailscale/target/bin/tailscale configure-host",
            "tailscale configure synology",
            "tailscale configure synology-cert",
            None,
        )
    ),
    prompt=st.sampled_from(("$ ", " $ ", "# ", "root@nas:~# ")),
    stamp=st.sampled_from(_GO_STAMP),
)
def test_a_kernel_release_quoted_as_the_dsm_version_says_upgrade_the_package(
    kernel: str, command: str | None, prompt: str, stamp: str
) -> None:
    text = _paste(prompt, command, f'{stamp}unsupported DSM version "{kernel}"')
    _assert_read(text, "configure-host-failed", "TS-CLI-CONFIGURE-HOST-FAILED", "kernel release")
    document = _document(text)
    assert document is not None
    finding = next(f for f in document["findings"] if f["rule"] == "TS-CLI-CONFIGURE-HOST-FAILED")  # type: ignore[union-attr]
    assert f'"{kernel}"' in finding["cause"] and "1.31" in finding["cause"], finding["cause"]
    assert "1.32 or later" in finding["fix"], finding["fix"]
    assert finding["extra"]["step"] == "dsm-version" and finding["extra"]["kernel_release_read_as_dsm"] == kernel


@pytest.mark.parametrize(
    "version",
    ["5.2", "4.3", "", "Synology 5.2-5967; kernel=3.10.35", "Synology 5.2; kernel=3.10.35", "8.0"],
)
def test_a_dsm_version_of_its_own_keeps_the_general_reading(version: str) -> None:
    text = f'$ sudo tailscale configure-host\nunsupported DSM version "{version}"\n'
    document = _document(text)
    assert document is not None
    finding = next(f for f in document["findings"] if f["rule"] == "TS-CLI-CONFIGURE-HOST-FAILED")  # type: ignore[union-attr]
    assert finding["extra"]["kernel_release_read_as_dsm"] is None, finding
    assert "1.32" not in finding["fix"] and "DSM 6 and 7" in finding["cause"], finding


# ---- containerboot's "[unexpected] error enabling UDP GRO forwarding: …": the log issue udp-gro-suboptimal ----
# what tailscaled answers (ipn/ipnlocal/local.go:7746-7765, net/netkernelconf/netkernelconf_linux.go:65-81, LocalAPI's
# 403/501), the key opskit gives it, and a word its fix must hold
_TWICE = "error enabling UDP GRO forwarding: error enabling UDP GRO forwarding: "  # ipnlocal wrapping netkernelconf
_GRO_ANSWERS = (
    ("UDP GRO forwarding cannot be enabled in userspace mode", "userspace", "TS_USERSPACE=false"),
    (
        "error enabling UDP GRO forwarding: Not enabling UDP GRO forwarding as UDP segmentation is disabled for "
        "Tailscale interface",
        "tun-segmentation",
        "6.2",
    ),
    (_TWICE + "operation not permitted", "permission", "NET_ADMIN"),
    ("error enabling UDP GRO forwarding: failed to init ethtool: permission denied", "permission", "NET_ADMIN"),
    ("501 Not Implemented: feature not included in this build", "build", "image"),
    (_TWICE + "operation not supported", "nic", "ethtool -K"),
    ("error enabling UDP GRO forwarding: failed to retrieve TUN device features: no such device", "nic", "ethtool -K"),
    ("[unexpected] unable to retrieve tun device configuration", "nic", "ethtool -K"),
)
# how containerboot's line reaches a paste: docker/compose/kubectl around its "boot: " Go log line
_BOOT_PREFIXES = (
    "boot: 2024/09/20 08:15:03 ",
    "tailscale-1  | boot: 2024/09/20 08:15:03 ",
    "2024-09-20T08:15:03.512345678Z boot: 2024/09/20 08:15:03 ",
    "[pod/ts-router-abc12-0/tailscale] boot: 2024/09/20 08:15:03 ",
)
_BOOT_CONTEXT = (
    "boot: 2024/09/20 08:15:02 Starting tailscaled",
    "boot: 2024/09/20 08:15:02 Waiting for tailscaled socket",
)


@settings(max_examples=120, deadline=None)
@given(
    answer=st.sampled_from(_GRO_ANSWERS),
    prefix=st.sampled_from(_BOOT_PREFIXES),
    with_context=st.booleans(),
    crlf=st.booleans(),
)
def test_containerboot_not_getting_udp_gro_forwarding_is_a_log_issue_with_its_cause(
    answer: tuple[str, str, str], prefix: str, with_context: bool, crlf: bool
) -> None:
    message, key, fix_word = answer
    line = f"{prefix}[unexpected] error enabling UDP GRO forwarding: {message}"
    lines = [*(_BOOT_CONTEXT if with_context else ()), line]
    text = ("\r\n" if crlf else "\n").join(lines) + "\n"
    document = _document(text)
    assert document is not None, text
    issues = [i for log in document["daemon_logs"] for i in log["issues"]]  # type: ignore[union-attr]
    assert [(i["kind"], i["about"]) for i in issues] == [("udp-gro-suboptimal", key)], (text, issues)
    finding = next(f for f in document["findings"] if f["rule"] == "TS-LOG-UDP-GRO-SUBOPTIMAL")  # type: ignore[union-attr]
    assert finding["severity"] == "warning" and document["summary"]["exit_code"] == 1, finding  # type: ignore[index]
    assert fix_word in finding["fix"] and "TS_EXPERIMENTAL_ENABLE_FORWARDING_OPTIMIZATIONS" in finding["cause"], finding


def test_a_later_boot_that_gets_further_clears_it() -> None:
    text = (
        "boot: 2024/09/20 08:15:03 [unexpected] error enabling UDP GRO forwarding: error enabling UDP GRO forwarding: "
        "operation not permitted\n"
        '2024/09/20 08:20:00 Program starting: v1.74.1-t1b3a0b6f4, Go 1.23.1: []string{"tailscaled"}\n'
        "2024/09/20 08:20:01 Switching ipn state Starting -> Running (WantRunning=true, nm=true)\n"
    )
    document = _document(text)
    assert document is not None
    assert not [i for log in document["daemon_logs"] for i in log["issues"]], document["daemon_logs"]  # type: ignore[union-attr]
    assert document["summary"]["exit_code"] == 0  # type: ignore[index]


@pytest.mark.parametrize(
    "line",
    [
        "boot: 2024/09/20 08:15:03 Startup complete, waiting for shutdown signal",
        "2024/09/20 08:15:03 tstun: disabled TUN TCP & UDP GRO due to GRO probe error: operation not supported",
        "2024/09/20 08:15:03 [unexpected] setSessionStatusLocked(3, BackgroundSession): access denied",
    ],
)
def test_other_lines_raise_no_udp_gro_issue(line: str) -> None:
    document = _document(line + "\n")
    issues = [] if document is None else [i["kind"] for log in document["daemon_logs"] for i in log["issues"]]  # type: ignore[union-attr]
    assert "udp-gro-suboptimal" not in issues, issues
