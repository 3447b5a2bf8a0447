"""Generated tests for tailscaled-log classes blind batch 25 missed: the node's certificate failure quoted without
its ``cert("<name>"): `` prefix and Let's Encrypt's rate limit (cert-failed), net/dns choosing a DNS manager whose
service is absent (dns-config-failed), the event bus's stalled subscriber (eventbus-subscriber-stalled), and a
netstack connection refused on a loopback port no serve config names (inbound-port-unhandled).

Each class is proven over the prefixes people paste (test_daemon_log.PREFIXES), the wrappings it comes in, and the
wordings Tailscale's source prints (ipn/ipnlocal/cert.go, net/dns/manager_linux.go, util/eventbus,
wgengine/netstack/netstack.go), not on the one sample that exposed it.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.diagnose.conftest import by_rule, run_text
from tests.diagnose.test_daemon_log import PREFIXES, _kinds, _log, _mangle

MANGLES = st.sampled_from(["plain", "crlf", "quote", "fence", "indent"])

# ------------------------------------------------------------------ cert-failed without its cert("…") prefix

NAMES = st.sampled_from(["redacted.tailnet-redacted.ts.net", "nas.tail0c1d2.ts.net", "web-1.example-corp.ts.net"])
RATE_LIMITS = st.sampled_from(
    [
        "429 urn:ietf:params:acme:error:rateLimited: Error creating new order :: too many certificates (5) already "
        "issued for this exact set of domains in the last 168 hours: {name}",
        "429 urn:ietf:params:acme:error:rateLimited: Error creating new order :: too many certificates (5) already "
        "issued for this exact set of identifiers in the last 168h0m0s, retry after 2025-01-02 03:04:05 UTC: see "
        "https://letsencrypt.org/docs/rate-limits/#new-certificates-per-exact-set-of-hostnames",
    ]
)
CALLS = st.sampled_from(
    ["getCertPEM: {err}", "async renewal failed: getCertPem: {err}", 'cert("{name}"): getCertPEM: {err}']
)


@given(st.sampled_from(PREFIXES[:20]), NAMES, RATE_LIMITS, CALLS, MANGLES)
@settings(max_examples=60, deadline=None)
def test_a_rate_limited_certificate_is_cert_failed_with_or_without_its_prefix(
    prefix: str, name: str, limit: str, call: str, how: str
) -> None:
    line = prefix.format(msg=call.format(name=name, err=limit.format(name=name)))
    text = _mangle([line], how)
    log = _log(text)
    assert "cert-failed" in _kinds(log)
    assert log["exit"] == 1
    (finding,) = by_rule(run_text(text), "TS-LOG-CERT-FAILED")
    assert "rate limit" in finding.cause
    assert "statedir" in finding.fix


def test_another_acme_error_keeps_the_general_certificate_fix() -> None:
    text = "getCertPEM: 409 urn:ietf:params:acme:error:alreadyReplaced: Could not validate ARI 'replaces' field\n"
    (finding,) = by_rule(run_text(text), "TS-LOG-CERT-FAILED")
    assert "alreadyReplaced" in finding.fix
    assert "rate limit" not in finding.cause


def test_prose_naming_getcertpem_is_not_a_failure() -> None:
    log = _log("2025/01/01 10:00:00 magicsock: derp-4 connected; connGen=1\nthe getCertPEM: call looked fine\n")
    assert "cert-failed" not in _kinds(log)


# ------------------------------------------------------------------ dns-config-failed: resolved chosen but absent

RESOLVED_ABSENT = st.sampled_from(
    [
        "Unit dbus-org.freedesktop.resolve1.service not found.",
        "Unit dbus-org.freedesktop.resolve1.service is masked.",
        "The name org.freedesktop.resolve1 was not provided by any .service files",
        "Failed to activate service 'org.freedesktop.resolve1': timed out (service_start_timeout=25000ms)",
    ]
)
# the decision line of net/dns/manager_linux.go dnsMode as versions print it, each ending with resolved chosen
DECISIONS = st.sampled_from(
    [
        "dns: [rc=nm resolved=nss nm-resolved=yes nm-safe=no resolv-conf-mode=error ret=systemd-resolved]",
        "dns: [rc=resolved nm=no resolv-conf-mode=error ret=systemd-resolved]",
        "dns: [resolved-ping=yes rc=resolved resolved=file nm=no resolv-conf-mode=error ret=systemd-resolved]",
    ]
)
USING = st.sampled_from(['dns: using "systemd-resolved" mode', "dns: using *dns.resolvedManager", None])


@given(st.sampled_from(PREFIXES[:20]), RESOLVED_ABSENT, DECISIONS, USING, st.integers(1, 3), MANGLES)
@settings(max_examples=60, deadline=None)
def test_resolved_chosen_but_not_on_the_host_is_dns_config_failed(
    prefix: str, error: str, decision: str, using: str | None, rounds: int, how: str
) -> None:
    lines = [prefix.format(msg="logtail started")]
    for _ in range(rounds):
        lines += [prefix.format(msg=f"dns: ResolvConfMode error: {error}"), prefix.format(msg=decision)]
        if using is not None:
            lines.append(prefix.format(msg=using))
    text = _mangle(lines, how)
    log = _log(text)
    assert "dns-config-failed" in _kinds(log)
    assert log["exit"] == 1
    (finding,) = by_rule(run_text(text), "TS-LOG-DNS-CONFIG-FAILED")
    assert "systemd-resolved is not on this host" in finding.cause
    assert "nsswitch.conf" in finding.fix


@given(RESOLVED_ABSENT, st.sampled_from(["stub", "foreign", "static", "uplink"]))
@settings(max_examples=20, deadline=None)
def test_a_later_decision_that_reaches_resolved_clears_it(error: str, mode: str) -> None:
    lines = [
        "2023/10/15 07:15:13 dns: ResolvConfMode error: " + error,
        "2023/10/15 07:15:13 dns: [rc=nm resolved=nss nm-resolved=yes nm-safe=no resolv-conf-mode=error "
        "ret=systemd-resolved]",
        "2023/10/15 07:20:00 logtail started",
        f"2023/10/15 07:20:00 dns: [rc=resolved nm=no resolv-conf-mode={mode} ret=systemd-resolved]",
    ]
    assert "dns-config-failed" not in _kinds(_log("\n".join(lines) + "\n"))


@given(
    st.sampled_from(
        [
            "Unknown property or interface.",
            "org.freedesktop.DBus.Error.UnknownProperty",
            "reading /etc/resolv.conf: open /etc/resolv.conf: no such file or directory",
        ]
    )
)
@settings(max_examples=10, deadline=None)
def test_other_resolvconfmode_errors_stay_harmless(error: str) -> None:
    lines = [
        "2023/10/15 07:15:13 logtail started",
        f"2023/10/15 07:15:13 dns: ResolvConfMode error: {error}",
        "2023/10/15 07:15:13 dns: [rc=resolved nm=no resolv-conf-mode=error ret=systemd-resolved]",
    ]
    assert "dns-config-failed" not in _kinds(_log("\n".join(lines) + "\n"))


# ------------------------------------------------------------------ eventbus-subscriber-stalled

# subscriber types tailscaled's subsystems take from the bus (Go's %s of the type name)
EVENT_TYPES = st.sampled_from(
    ["health.Change", "ipnlocal.PortlistServices", "netmon.ChangeDelta", "portmapper.Mapping", "controlclient.Status"]
)
# where the line's logger puts it: the bus's own logger, or a wrapper's "<module>/<pkg> <file>:<line>: "
WHERES = st.sampled_from(["", "tailscale.com/ipn/ipnlocal local.go:610: ", "eventbus: "])


def _go_duration(seconds: float) -> str:
    """Go's %v of a time.Duration ("9h10m44.025677609s", "1m5.5s", "5.000421s")."""
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    text = f"{secs:.6f}".rstrip("0").rstrip(".") + "s"
    if minutes or hours:
        text = f"{int(minutes)}m{text}"
    if hours:
        text = f"{int(hours)}h{text}"
    return text


@given(
    st.sampled_from(PREFIXES[:20]),
    EVENT_TYPES,
    WHERES,
    st.floats(60.0, 90_000.0),
    st.integers(1, 8),
    st.booleans(),
    MANGLES,
)
@settings(max_examples=60, deadline=None)
def test_a_subscriber_stuck_for_a_minute_or_more_is_stalled(
    prefix: str, event_type: str, where: str, start: float, repeats: int, newest_first: bool, how: str
) -> None:
    lines = [
        prefix.format(msg=f"{where}subscriber for {event_type} is slow ({_go_duration(start + 5.0 * i)} elapsed)")
        for i in range(repeats)
    ]
    if newest_first:
        lines.reverse()
    text = _mangle(lines, how)
    log = _log(text)
    assert "eventbus-subscriber-stalled" in _kinds(log)
    assert log["exit"] == 1
    (finding,) = by_rule(run_text(text), "TS-LOG-EVENTBUS-SUBSCRIBER-STALLED")
    assert event_type in finding.cause
    assert "bugreport" in finding.fix


@given(st.sampled_from(PREFIXES[:20]), EVENT_TYPES, st.floats(0.001, 59.9), st.integers(1, 3))
@settings(max_examples=40, deadline=None)
def test_a_subscriber_slow_for_seconds_is_no_issue(prefix: str, event_type: str, start: float, repeats: int) -> None:
    lines = [prefix.format(msg="magicsock: derp-4 connected; connGen=1")]
    elapsed = [min(start + 5.0 * i, 59.9) for i in range(repeats)]
    lines += [
        prefix.format(msg=f"subscriber for {event_type} is slow ({_go_duration(value)} elapsed)") for value in elapsed
    ]
    log = _log("\n".join(lines) + "\n")
    assert "eventbus-subscriber-stalled" not in _kinds(log)
    assert log["exit"] == 0


@given(st.sampled_from(["500ms", "999.9ms", "1m0s", "1m0.000001s", "59.999999s", "2h0m0s", "12µs"]))
def test_go_durations_are_read_in_seconds(text: str) -> None:
    from opskit.core.diagnose.daemonlog.events import EVENTBUS_STALL_SECONDS, _go_duration_seconds

    seconds = _go_duration_seconds(text)
    expected = {"500ms": 0.5, "999.9ms": 0.9999, "1m0s": 60.0, "1m0.000001s": 60.000001, "59.999999s": 59.999999,
                "2h0m0s": 7200.0, "12µs": 12e-6}[text]  # fmt: skip
    assert abs(seconds - expected) < 1e-9
    assert (seconds >= EVENTBUS_STALL_SECONDS) is (expected >= 60.0)


# ------------------------------------------------------------------ netstack to loopback: 5252 vs a serve backend

LOOPBACKS = st.sampled_from(["127.0.0.1", "[::1]", "127.0.0.2"])
REFUSED = "connect: connection refused"
DIAL_ERRORS = st.sampled_from(["connect: connection refused", "i/o timeout", "connect: connection reset by peer"])


@given(st.sampled_from(PREFIXES[:20]), LOOPBACKS, DIAL_ERRORS, st.integers(1, 3), MANGLES)
@settings(max_examples=60, deadline=None)
def test_a_connection_to_the_web_interface_port_reaching_loopback_is_an_unhandled_port(
    prefix: str, host: str, error: str, repeats: int, how: str
) -> None:
    line = f"netstack: could not connect to local backend server at {host}:5252: dial tcp {host}:5252: {error}"
    text = _mangle([prefix.format(msg=line)] * repeats, how)
    log = _log(text)
    assert "inbound-port-unhandled" in _kinds(log)
    assert "serve-backend-unreachable" not in _kinds(log)
    (finding,) = by_rule(run_text(text), "TS-LOG-INBOUND-PORT-UNHANDLED")
    assert "--webclient" in finding.fix


@given(st.sampled_from(PREFIXES[:20]), LOOPBACKS, st.sampled_from([80, 443, 3000, 8080, 8123, 5253, 52520]), MANGLES)
@settings(max_examples=60, deadline=None)
def test_any_other_loopback_port_is_an_unhandled_port_too(prefix: str, host: str, port: int, how: str) -> None:
    # lead (session 15): this was serve-backend-unreachable; netstack hands loopback only a port no serve handler
    # takes (acceptTCP), so every loopback port is one nothing on the node handles (without the web client's fix)
    target = f"{host}:{port}"
    line = f"netstack: could not connect to local backend server at {target}: dial tcp {target}: {REFUSED}"
    text = _mangle([prefix.format(msg=line)], how)
    log = _log(text)
    assert "inbound-port-unhandled" in _kinds(log)
    assert "serve-backend-unreachable" not in _kinds(log)
    (finding,) = by_rule(run_text(text), "TS-LOG-INBOUND-PORT-UNHANDLED")
    assert "--webclient" not in finding.fix


def test_a_lan_host_on_port_5252_through_a_subnet_route_is_not_the_web_interface() -> None:
    line = (
        "2024/10/28 10:51:22 netstack: could not connect to local backend server at 192.168.1.20:5252: dial tcp "
        "192.168.1.20:5252: connect: connection refused"
    )
    kinds = _kinds(_log(line + "\n"))
    assert "destination-refused" in kinds
    assert "inbound-port-unhandled" not in kinds


# ------------------------------------------------------------------ `tailscale up`'s login prompt amid a log

URLS = st.sampled_from(
    [
        "https://login.tailscale.com/a/f5c28fc1a2b3",
        "https://login.tailscale.com/a/f5c28fc........",
        "http://hs.lan:8080/register/nodekey:abc",
    ]
)
LOG_AROUND = st.lists(
    st.sampled_from(
        [
            'logtail: dial "log.tailscale.io:443" failed: dial tcp 34.229.201.48:443: i/o timeout (in 30.001s), '
            "trying bootstrap...",
            "magicsock: derp-4 connected; connGen=1",
            "logtail started",
            "wgengine: Reconfig: configuring userspace WireGuard config (with 0/0 peers)",
        ]
    ),
    min_size=1,
    max_size=3,
)
INDENTS = st.sampled_from(["\t", "    ", ""])


@given(st.sampled_from(PREFIXES[:20]), URLS, INDENTS, LOG_AROUND, st.booleans(), st.booleans(), MANGLES)
@settings(max_examples=60, deadline=None)
def test_a_login_prompt_before_or_amid_a_log_needs_login_until_it_completes(
    prefix: str, url: str, indent: str, around: list[str], before: bool, completes: bool, how: str
) -> None:
    prompt = ["To authenticate, visit:", "", f"{indent}{url}", ""]
    log_lines = [prefix.format(msg=message) for message in around]
    lines = [*prompt, *log_lines] if before else [log_lines[0], *prompt, *log_lines[1:]]
    if completes:
        lines.append(prefix.format(msg="Switching ipn state Starting -> Running (WantRunning=true, nm=true)"))
    log = _log(_mangle(lines, how))
    assert ("login-required" in _kinds(log)) is not completes


@given(URLS, INDENTS)
@settings(max_examples=10, deadline=None)
def test_the_login_prompt_alone_is_no_tailscaled_log(url: str, indent: str) -> None:
    from opskit.output.diagnose import to_json

    diagnosis = run_text(f"To authenticate, visit:\n\n{indent}{url}\n\nSuccess.\n")
    assert to_json(diagnosis, 0)["daemon_logs"] == []


# ------------------------------------------------------------------ controlclient's "HostInfo: {…}" dump

HOSTINFO_OSES = st.sampled_from([("iOS", "ios"), ("linux", "linux"), ("windows", "windows"), ("macOS", "macos")])
VERSIONS = st.sampled_from(["1.94.1-dev20260831-t59d4bb827", "1.56.1-t2a4f8b9c1", "1.80.0"])


@given(st.sampled_from(PREFIXES[:20]), HOSTINFO_OSES, VERSIONS, st.booleans(), st.booleans(), MANGLES)
@settings(max_examples=60, deadline=None)
def test_the_control_clients_hostinfo_dump_gives_version_and_os(
    prefix: str, os_names: tuple[str, str], version: str, verbose: bool, wrapped: bool, how: str
) -> None:
    logged, expected = os_names
    head = f'{"[v1] " if verbose else ""}HostInfo: {{"IPNVersion":"{version}","OS":"{logged}","App":"libtailscale",'
    rest = '"Package":"tsnet","GoArch":"arm64","Userspace":true,"UserspaceRouter":true}'
    lines = [prefix.format(msg="[v1] using fake (no-op) tun device")]
    lines += [prefix.format(msg=head), f"           {rest}"] if wrapped else [prefix.format(msg=head + rest)]
    lines.append(prefix.format(msg="control: RegisterReq: onode= node=[mLrR6] fup=false nks=false"))
    log = _log(_mangle(lines, how))
    # lead (session 15): a development build keeps its -devYYYYMMDD, the commit hashes are dropped
    assert log["version"] == "-".join(part for part in version.split("-")[:2] if not part.startswith("t"))
    assert log["os"] == expected
