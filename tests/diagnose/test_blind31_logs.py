"""Generated tests for blind batch 31's log misses, read as classes (what a user sees in the JSON document).

1. Coder's embedded Tailscale engine logging through cdr.dev/slog (2024's "[debu]  net.wgengine: …" and 2022-23's
   "[DEBUG] (tailnet.wgengine)  <file.go:98>  func  …") is read as tailscaled's own messages; netcheck's failed HTTPS
   latency probes ("measuring HTTPS latency of coder (999): <error>", Coder's "HTTP(S)") are derp-unreachable for
   their regions when the report then found no region (derp=0), not when one answered or the region connects later.
2. A log naming its home region no other way: the one region magicsock connected to that no peer's traffic opened
   ("magicsock: derp-10 connected; connGen=1") is the home; a region opened for a peer, or two candidates, say none.
3. A Go crash trace's frames name the OS they were built for: a "_linux.go" file or a netlink package names Linux,
   "_windows.go" Windows, an Android frame Android; "_darwin.go" (macOS or iOS), generic files or two OSes name none.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.diagnose.log_catalog import LOG_PREFIXES, document_of, log_issues, log_kinds


def _homes(document: dict[str, Any]) -> list[str | None]:
    return [log["home_derp"]["id"] if log["home_derp"] else None for log in document["daemon_logs"]]


def _oses(document: dict[str, Any]) -> list[str | None]:
    return [log["os"] for log in document["daemon_logs"]]


# ------------------------------------------------------------------ 1. Coder's slog, HTTPS probes with no region

_STAMP = "2023-07-13 18:54:44.{ms:03d}"
# the engine's logger under Coder's two slog human formats (the old one tab-separated, pastes make tabs spaces)
_CODER_FORMS = (
    "{stamp} [debu]  wgengine: {msg}",
    "{stamp} [debu]  net.wgengine: {msg}",
    "{stamp} [info]  tailnet.wgengine: {msg}",
    "{stamp} [debu]  coderd.net.wgengine: {msg}",
    "{stamp} [DEBUG] (tailnet.wgengine)      <./../../../tailscale.com/wgengine/magicsock/logger.go:98>      "
    "NewConn.func6   {msg}",
    "{stamp} [DEBUG]\t(coderd.tailnet.wgengine)\t<./tailnet/conn.go:515>\tLogger.func1\t{msg}",
)
_PROBE_ERRORS = (
    "no non-STUNOnly nodes for region {id} ({code})",
    "tls: first record does not look like a TLS handshake",
    "context deadline exceeded",
    "dial tcp 203.0.113.7:443: connect: connection refused",
    'Get "https://derp.example.com/derp/latency-check": EOF',
)
_CODES = ("coder", "fra", "nyc", "my-derp", "sea")


def _coder_paste(form: str, messages: list[str]) -> str:
    return "\n".join(form.format(stamp=_STAMP.format(ms=n), msg=m) for n, m in enumerate(messages)) + "\n"


def _probe(region: int, code: str, error: str, https: str = "HTTPS") -> str:
    return f"netcheck: [v1] netcheck: measuring {https} latency of {code} ({region}): " + error.format(
        id=region, code=code
    )


_REPORT_NONE = (
    "netcheck: [v1] report: udp=false v4=false icmpv4=false v6=false v6os=true mapvarydest= hair= portmap= derp=0"
)


@settings(max_examples=60, deadline=None)
@given(
    form=st.sampled_from(_CODER_FORMS + LOG_PREFIXES),
    region=st.integers(min_value=1, max_value=999),
    code=st.sampled_from(_CODES),
    error=st.sampled_from(_PROBE_ERRORS),
    https=st.sampled_from(("HTTPS", "HTTP(S)")),
)
def test_failed_https_probes_with_no_region_read_derp_unreachable(
    form: str, region: int, code: str, error: str, https: str
) -> None:
    messages = [
        "netcheck: netcheck: UDP is blocked, trying HTTPS",
        "netcheck: [v1] measureAllICMPLatency: listen ip4:icmp 0.0.0.0: socket: operation not permitted",
        _probe(region, code, error, https),
        _REPORT_NONE,
        f"magicsock: home is now derp-{region} ({code})",
        "magicsock: endpoints changed: 10.100.23.8:59192 (local)",
    ]
    document = document_of(_coder_paste(form, messages))
    derp = [issue for issue in log_issues(document) if issue["kind"] == "derp-unreachable"]
    assert derp and derp[0]["about"].startswith(f"{region}"), log_issues(document)
    assert "tls-intercepted" not in log_kinds(document)  # plain HTTP answering HTTPS is no interception
    assert document["summary"]["exit_code"] == 1


@pytest.mark.parametrize("form", _CODER_FORMS)
@pytest.mark.parametrize("region", [999, 1, 47])
def test_coder_slog_prefix_is_peeled_to_tailscaled_messages(form: str, region: int) -> None:
    # the home chosen and then half a minute of log with no word of it: read under Coder's logger as under
    # tailscaled's own (the reading anchors at the message's start, so the prefix must be gone)
    messages = [
        f"magicsock: home is now derp-{region} (coder)",
        *["magicsock: endpoints changed: 172.17.0.3:54012 (local)"] * 3,
    ]
    text = "\n".join(form.format(stamp=f"2023-03-10 11:06:{10 * n:02d}.077", msg=m) for n, m in enumerate(messages))
    document = document_of(text + "\n")
    assert _homes(document) == [str(region)]
    assert "derp-unreachable" in log_kinds(document), log_issues(document)


_ROUTINE_AFTER = (
    # a report naming a region: the failed probe was one slow region among those that answered
    ("netcheck: [v1] report: udp=false v4=false icmpv4=false v6=false derp=4 derpdist=4v4:31ms",),
    # no region in the report, but the region connects afterwards
    (_REPORT_NONE, "magicsock: home is now derp-{id} ({code})", "magicsock: derp-{id} connected; connGen=1"),
    # the home chosen from another answer before the next failing run's report
    ("magicsock: home is now derp-4 (fra)", "magicsock: derp-4 connected; connGen=1"),
)


@settings(max_examples=40, deadline=None)
@given(
    prefix=st.sampled_from(LOG_PREFIXES + _CODER_FORMS),
    region=st.integers(min_value=1, max_value=999),
    code=st.sampled_from(_CODES),
    error=st.sampled_from(_PROBE_ERRORS),
    after=st.sampled_from(_ROUTINE_AFTER),
)
def test_failed_probe_answered_otherwise_is_routine(
    prefix: str, region: int, code: str, error: str, after: tuple[str, ...]
) -> None:
    messages = [_probe(region, code, error), *(m.format(id=region, code=code) for m in after)]
    document = document_of(_coder_paste(prefix, messages))
    assert "derp-unreachable" not in log_kinds(document), log_issues(document)


@pytest.mark.parametrize(
    "probe",
    [
        # ICMP probes failing are not the relay refusing TCP (ICMP is often not permitted at all)
        "netcheck: [v1] measuring ICMP latency of fra (4): listen ip4:icmp 0.0.0.0: socket: operation not permitted",
        # prose quoting the phrase, no region ID
        "I also see measuring HTTPS latency of my region fail sometimes",
    ],
)
def test_near_miss_probe_lines_raise_nothing(probe: str) -> None:
    text = f"2024/01/12 10:41:06 {probe}\n2024/01/12 10:41:06 {_REPORT_NONE}\n"
    assert "derp-unreachable" not in log_kinds(document_of(text))


# ------------------------------------------------------------------ 2. the home a lone connection names


@settings(max_examples=40, deadline=None)
@given(
    prefix=st.sampled_from(LOG_PREFIXES),
    region=st.integers(min_value=1, max_value=999),
    conn_gen=st.integers(min_value=1, max_value=9),
    repeats=st.integers(min_value=1, max_value=3),
)
def test_lone_unasked_connection_is_the_home(prefix: str, region: int, conn_gen: int, repeats: int) -> None:
    lines = ["health(warnable=warming-up): ok"]
    for _ in range(repeats):
        lines += [
            "health(warnable=no-derp-connection): ok",
            "health: connectivity impacted; triggering captive portal detection",
        ]
    lines += [
        "control: RegisterReq: got response; nodeKeyExpired=false, machineAuthorized=true; authURL=false",
        f"magicsock: derp-{region} connected; connGen={conn_gen}",
        "netcheck: DetectCaptivePortal(found=false)",
    ]
    document = document_of("\n".join(prefix.format(msg=m) for m in lines) + "\n")
    assert _homes(document) == [str(region)]
    assert document["summary"]["exit_code"] == 0


@pytest.mark.parametrize(
    ("messages", "home"),
    [
        # opened for a peer: that peer's home, not ours
        (("magicsock: adding connection to derp-7 for [abcde]", "magicsock: derp-7 connected; connGen=1"), None),
        # two candidates: which is home the log does not say
        (("magicsock: derp-7 connected; connGen=1", "magicsock: derp-4 connected; connGen=1"), None),
        # the home named outright wins over a connection
        (("magicsock: home is now derp-4 (fra)", "magicsock: derp-7 connected; connGen=1"), "4"),
        # one for a peer, one unasked: the unasked one
        (
            (
                "magicsock: adding connection to derp-7 for [abcde]",
                "magicsock: derp-7 connected; connGen=1",
                "magicsock: derp-12 connected; connGen=1",
            ),
            "12",
        ),
    ],
)
@pytest.mark.parametrize("prefix", LOG_PREFIXES)
def test_connections_that_do_not_name_the_home(prefix: str, messages: tuple[str, ...], home: str | None) -> None:
    text = "\n".join(prefix.format(msg=m) for m in ("logtail started", *messages)) + "\n"
    assert _homes(document_of(text)) == [home]


# ------------------------------------------------------------------ 3. a crash trace's frames name the OS

_PANIC_HEAD = (
    "panic: runtime error: invalid memory address or nil pointer dereference",
    "[signal SIGSEGV: segmentation violation code=0x1 addr=0x8 pc=0x9e2070]",
    "",
    "goroutine 41 [running]:",
)
_LINUX_FRAMES = (
    (
        "github.com/tailscale/netlink.parseLinkXdp({0x83a624c, 0x8, 0x370})",
        "\tgithub.com/tailscale/netlink@v1.1.1-0.20240822203006-4d49adab4de7/link_linux.go:2822 +0x4",
    ),
    (
        "github.com/vishvananda/netlink.LinkByName(...)",
        "\tgithub.com/vishvananda/netlink@v1.2.1/handle.go:120 +0x10",
    ),
    ("github.com/mdlayher/netlink.(*Conn).Receive(0xc000123456)",),
    (
        "tailscale.com/wgengine/router/osrouter.(*linuxRouter).Set(0xc0001, 0xc0002)",
        "\ttailscale.com/wgengine/router/osrouter/router_linux.go:412 +0x1a0",
    ),
    (
        "tailscale.com/net/netmon.(*nlConn).Receive(0xc0001)",
        "\ttailscale.com/net/netmon/netmon_linux_amd64.go:77 +0x33",
    ),
)
_WINDOWS_FRAMES = (
    "tailscale.com/wgengine/router.(*winRouter).Set(0xc0001)",
    "\ttailscale.com/wgengine/router/router_windows.go:51 +0x2a",
)
_ANDROID_FRAMES = (
    "github.com/tailscale/tailscale-android/libtailscale.(*App).runBackend(0xc0001)",
    "\tgithub.com/tailscale/tailscale-android/libtailscale/backend.go:210 +0x44",
    "tailscale.com/net/netmon.(*nlConn).Receive(0xc0001)",
    "\ttailscale.com/net/netmon/netmon_linux.go:77 +0x33",
)
_TABLE_PREFIXES = ("{msg}", "2026-07-19T13:35:25Z | {msg}", "2026/07/19 13:35:25 {msg}")


def _trace(prefix: str, frames: tuple[str, ...]) -> str:
    return "\n".join(prefix.format(msg=line).rstrip() for line in (*_PANIC_HEAD, *frames)) + "\n"


@pytest.mark.parametrize("prefix", _TABLE_PREFIXES)
@pytest.mark.parametrize("frames", _LINUX_FRAMES)
def test_linux_frames_name_linux(prefix: str, frames: tuple[str, ...]) -> None:
    document = document_of(_trace(prefix, frames))
    assert _oses(document) == ["linux"]
    assert "crash" in log_kinds(document)


@pytest.mark.parametrize("prefix", _TABLE_PREFIXES)
@pytest.mark.parametrize(
    ("frames", "os_name"),
    [
        (_WINDOWS_FRAMES, "windows"),
        (_ANDROID_FRAMES, "android"),  # "_linux.go" is built for Android too: the app's frames say which
        (
            ("tailscale.com/net/dns.(*darwinConfigurator).SetDNS(0x1)", "\ttailscale.com/net/dns/manager_darwin.go:30"),
            None,
        ),
        (
            (
                "tailscale.com/ipn/ipnlocal.(*LocalBackend).Start(0x1)",
                "\ttailscale.com/ipn/ipnlocal/local.go:2100 +0x1",
            ),
            None,
        ),
        ((*_WINDOWS_FRAMES, *_LINUX_FRAMES[3]), None),  # two OSes: not one node's trace
    ],
)
def test_other_frames_name_their_os_or_none(prefix: str, frames: tuple[str, ...], os_name: str | None) -> None:
    document = document_of(_trace(prefix, frames))
    assert _oses(document) == [os_name]
