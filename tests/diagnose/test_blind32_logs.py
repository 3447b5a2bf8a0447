"""Generated tests for blind batch 32's log misses, read as classes (what a user sees in the JSON document).

1. netstack's ``could not connect to local (backend) server at 127.0.0.1:<port>`` / ``[::1]:<port>`` (and v1.6-v1.8's
   ``… local server on port N``): acceptTCP hands serve's and an ingress's ports to their handler before
   forwardTCP, so a loopback dial is a port of this node nothing handles: ``inbound-port-unhandled`` keyed by the
   port, with both readings in the finding (lead, session 15). serve's own backends stay
   ``serve-backend-unreachable``; another host's address stays a forwarded connection.
2. The PeerAPI's Funnel ingress endpoint refusing the relay (``peerapi: ingress: denied; no ingress cap from <addr>``,
   ``… bad request from <addr>: <why>``, peerapi.go v1.34-, serve.go since) is ``peerapi-request-rejected`` with a
   Funnel finding; its own ``failed hijacking conn`` and ServeConn's ``unknown peer`` are not.
3. tstun's ``[unexpected] received self disco out|in packet over tstun; dropping`` (v1.14-) is ``disco-routing-loop``
   (an error: the OS routes magicsock's underlay traffic into the tunnel), its rate limiter's format too.
4. magicsock rebinding in a loop is ``rebind-churn`` (a warning naming the DERP regions and reasons): a send error's
   rebind, a DERP connection a rebind closed at age 0-1 s, or three rebind closures in one log; one or two closures
   at age 2 s or more (after a link change) and other closures (idle, conn-close) are routine.
5. The Linux DNS mode line with NetworkManager owning resolv.conf, resolved running but NM not using it and
   tailscaled going direct (``dns: [… rc=nm … nm-resolved=no … ret=direct]``, dnsMode v1.52-) is ``dns-fight``; no
   resolved at all (``resolved=not-in-use``), or a decision for systemd-resolved/network-manager, is not.
6. A log quoting one of Windows' own error texts (Go's syscall.Errno on Windows is FormatMessage's text: WSAE*
   socket errors, Win32 file errors) names Windows as an inference (``os_why`` says which text); a log that names
   its OS otherwise (journald, systemd) keeps it, and the Unix wordings of the same errors name none.
"""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.diagnose.log_catalog import LOG_PREFIXES, document_of, log_issues, log_kinds


def _findings(document: dict[str, Any], rule_id: str) -> list[dict[str, Any]]:
    return [finding for finding in document["findings"] if finding["rule"] == rule_id]


def _paste(prefix: str, messages: list[str], fence: bool = False) -> str:
    body = "\n".join(prefix.format(msg=message) for message in messages)
    return f"```\n{body}\n```\n" if fence else body + "\n"


# ------------------------------------------------------------------ 1. netstack's loopback fallback

_LOOPBACKS = ("127.0.0.1", "[::1]", "127.0.0.53", "localhost", "[::ffff:127.0.0.1]")
_WORDINGS = ("local backend server at", "local server at", "local backend  server at")
_DIAL_ERRORS = (
    "connect: connection refused",
    "connect: connection refused    ",
    "i/o timeout",
    "connect: connection reset by peer",
    "connectex: No connection could be made because the target machine actively refused it.",
)


@settings(max_examples=80, deadline=None)
@given(
    prefix=st.sampled_from(LOG_PREFIXES),
    host=st.sampled_from(_LOOPBACKS),
    port=st.sampled_from((80, 443, 22, 3000, 8080, 8123, 1168, 65535)),
    wording=st.sampled_from(_WORDINGS),
    error=st.sampled_from(_DIAL_ERRORS),
    repeats=st.integers(1, 3),
    fence=st.booleans(),
)
def test_netstacks_loopback_dial_is_a_port_nothing_handles(
    prefix: str, host: str, port: int, wording: str, error: str, repeats: int, fence: bool
) -> None:
    line = f"netstack: could not connect to {wording} {host}:{port}: dial tcp {host}:{port}: {error}"
    document = document_of(_paste(prefix, [line] * repeats, fence))
    assert log_kinds(document) - {"hand-started"} == {"inbound-port-unhandled"}, log_issues(document)
    assert {issue["about"] for issue in log_issues(document) if issue["kind"] == "inbound-port-unhandled"} == {
        str(port)
    }
    (finding,) = _findings(document, "TS-LOG-INBOUND-PORT-UNHANDLED")
    # both readings: a serve/ingress config not in effect, or clients on a port nothing serves
    assert "serve status" in finding["fix"] and "restart the proxy pod" in finding["fix"]
    assert "443 only" in finding["fix"] and f"port {port}" in finding["cause"]
    assert document["summary"]["exit_code"] == 1


@settings(max_examples=30, deadline=None)
@given(prefix=st.sampled_from(LOG_PREFIXES), port=st.integers(1, 65535), udp=st.booleans())
def test_the_v1_6_wording_is_a_port_nothing_handles_too(prefix: str, port: int, udp: bool) -> None:
    proto = "udp" if udp else "tcp"
    line = (
        f"netstack: could not connect to local {'UDP ' if udp else ''}server on port {port}: dial {proto} "
        f"127.0.0.1:{port}: connect: connection refused"
    )
    document = document_of(_paste(prefix, [line]))
    assert log_kinds(document) - {"hand-started"} == {"inbound-port-unhandled"}, log_issues(document)


_SERVE_OWN = (
    "http: proxy error: dial tcp 127.0.0.1:{port}: connect: connection refused",
    "localbackend: failed to TCP proxy port 443 (from 100.101.102.103:52344) to 127.0.0.1:{port}: dial tcp "
    "127.0.0.1:{port}: connect: connection refused",
    "localbackend: failed to TCP proxy port 443 (from 100.101.102.103:52344) to [::1]:{port}: dial tcp "
    "[::1]:{port}: connect: connection refused",
)


@settings(max_examples=30, deadline=None)
@given(prefix=st.sampled_from(LOG_PREFIXES), line=st.sampled_from(_SERVE_OWN), port=st.integers(1, 65535))
def test_serves_own_backends_stay_serve_backend_unreachable(prefix: str, line: str, port: int) -> None:
    document = document_of(_paste(prefix, [line.format(port=port)]))
    assert "serve-backend-unreachable" in log_kinds(document), log_issues(document)
    assert "inbound-port-unhandled" not in log_kinds(document)


@settings(max_examples=30, deadline=None)
@given(
    prefix=st.sampled_from(LOG_PREFIXES),
    host=st.sampled_from(("192.168.1.20", "10.0.0.5", "[2a00:1450:400e:811::200a]", "8.8.8.8")),
    port=st.sampled_from((80, 443, 22)),
)
def test_another_hosts_address_stays_a_forwarded_connection(prefix: str, host: str, port: int) -> None:
    target = f"{host}:{port}"
    line = f"netstack: could not connect to local server at {target}: dial tcp {target}: connect: connection refused"
    kinds = log_kinds(document_of(_paste(prefix, [line])))
    assert "destination-refused" in kinds and "inbound-port-unhandled" not in kinds


# ------------------------------------------------------------------ 2. the PeerAPI refusing the Funnel ingress relay

_RELAYS = ("[fd7a:115c:a1e0:ab12:4843:cd96:625a:9516]:39290", "100.101.102.103:41234", "[fd7a:115c:a1e0::1]:443")
_INGRESS_REFUSALS = (
    "ingress: denied; no ingress cap from {relay}",
    "ingress: bad request from {relay}: only POST allowed",
    "ingress: bad request from {relay}: Tailscale-Ingress-Src header not set",
    "ingress: bad request from {relay}: Tailscale-Ingress-Target header invalid; want host:port",
)


@settings(max_examples=60, deadline=None)
@given(
    prefix=st.sampled_from(LOG_PREFIXES),
    refusal=st.sampled_from(_INGRESS_REFUSALS),
    relay=st.sampled_from(_RELAYS),
    repeats=st.integers(1, 3),
    fence=st.booleans(),
)
def test_the_funnel_ingress_endpoint_refusing_the_relay_is_a_rejected_request(
    prefix: str, refusal: str, relay: str, repeats: int, fence: bool
) -> None:
    line = "peerapi: " + refusal.format(relay=relay)
    document = document_of(_paste(prefix, [line] * repeats, fence))
    assert log_kinds(document) - {"hand-started"} == {"peerapi-request-rejected"}, log_issues(document)
    assert {issue["about"] for issue in log_issues(document)} - {"tailscaled"} == {relay.rsplit(":", 1)[0]}
    (finding,) = _findings(document, "TS-LOG-PEERAPI-REQUEST-REJECTED")
    assert "Funnel" in finding["cause"] and "funnel" in finding["fix"]
    assert document["summary"]["exit_code"] == 1


@settings(max_examples=30, deadline=None)
@given(
    prefix=st.sampled_from(LOG_PREFIXES),
    line=st.sampled_from(
        (
            "peerapi: ingress: failed hijacking conn",
            "peerapi: unknown peer 100.101.102.103:41234",
            "peerapi: got put of ~1710MB in 1m43.7s from 100.88.1.2/desktop",
            "ingress: denied; no ingress cap from the relay (as my notes say)",
        )
    ),
)
def test_other_peerapi_lines_are_not_a_rejected_request(prefix: str, line: str) -> None:
    document = document_of(_paste(prefix, ["logtail started", line]))
    assert "peerapi-request-rejected" not in log_kinds(document), log_issues(document)


# ------------------------------------------------------------------ 3. tailscaled's own disco packets in the tunnel

_SELF_DISCO = (
    "tstun: [unexpected] received self disco out packet over tstun; dropping",
    "tstun: [unexpected] received self disco in packet over tstun; dropping",
    'tstun: [RATELIMIT] format("[unexpected] received self disco out packet over tstun; dropping")',
)


@settings(max_examples=60, deadline=None)
@given(
    prefix=st.sampled_from(LOG_PREFIXES),
    lines=st.lists(st.sampled_from(_SELF_DISCO), min_size=1, max_size=4),
    fence=st.booleans(),
    routine=st.sampled_from(("", "magicsock: derp-4 connected; connGen=1", 'health("overall"): ok')),
)
def test_self_disco_packets_in_the_tunnel_are_a_routing_loop(
    prefix: str, lines: list[str], fence: bool, routine: str
) -> None:
    document = document_of(_paste(prefix, [line for line in (routine, *lines) if line], fence))
    assert "disco-routing-loop" in log_kinds(document), log_issues(document)
    assert not log_kinds(document) & {"packet-dropped", "crash", "tun-unavailable"}
    (finding,) = _findings(document, "TS-LOG-DISCO-ROUTING-LOOP")
    assert finding["severity"] == "error" and "exit node" in finding["fix"] and "Upgrade" in finding["fix"]
    assert document["summary"]["exit_code"] == 1


@settings(max_examples=20, deadline=None)
@given(
    prefix=st.sampled_from(LOG_PREFIXES),
    line=st.sampled_from(
        (
            "magicsock: disco: node [xI8Q9] d:9a4c6e6a5c4d9a2f now using 192.168.1.20:41641",
            "received self disco packets over the tunnel? is that the loop I read about",
            "tstun: [unexpected] received disco packet from unknown peer",
        )
    ),
)
def test_other_disco_lines_are_no_routing_loop(prefix: str, line: str) -> None:
    document = document_of(_paste(prefix, ["logtail started", line]))
    assert "disco-routing-loop" not in log_kinds(document)


# ------------------------------------------------------------------ 4. magicsock rebinding in a loop

_REASONS = ("rebind-no-localaddr", "rebind-default-route-change", "rebind-ping-fail", "rebind")
_LINK_CHANGES = (
    "LinkChange: major, rebinding. New state: interfaces.State{defaultRoute=eth0 ifs={eth0:[10.0.0.5/24]} v4=true}",
    "[v1] magicsock: network state changed (major)",
    "monitor: [v1] major network change: eth0 link changed",
)


def _closure(region: int, reason: str, age: str) -> str:
    return f"magicsock: closing connection to derp-{region} ({reason}), age {age}"


def _regions(document: dict[str, Any]) -> set[str]:
    return {issue["about"] for issue in log_issues(document) if issue["kind"] == "rebind-churn"}


@settings(max_examples=60, deadline=None)
@given(
    prefix=st.sampled_from(LOG_PREFIXES),
    region=st.integers(1, 999),
    reason=st.sampled_from(_REASONS),
    age=st.sampled_from(("0s", "1s")),
    fence=st.booleans(),
)
def test_a_derp_connection_a_rebind_drops_at_once_is_rebind_churn(
    prefix: str, region: int, reason: str, age: str, fence: bool
) -> None:
    messages = [f"magicsock: adding connection to derp-{region} for [pAcyY]", _closure(region, reason, age)]
    document = document_of(_paste(prefix, messages, fence))
    assert _regions(document) == {str(region)}, log_issues(document)
    (finding,) = _findings(document, "TS-LOG-REBIND-CHURN")
    assert finding["severity"] == "warning" and f"derp-{region} ({reason})" in finding["cause"]
    assert "#20722" in finding["fix"] and "flapping" in finding["fix"]
    assert document["summary"]["exit_code"] == 1


@settings(max_examples=60, deadline=None)
@given(
    prefix=st.sampled_from(LOG_PREFIXES),
    region=st.integers(1, 999),
    reason=st.sampled_from(_REASONS),
    age=st.sampled_from(("2s", "23s", "1m5s", "2h3m14s")),
    before=st.booleans(),
)
def test_a_send_errors_rebind_is_rebind_churn_naming_the_regions(
    prefix: str, region: int, reason: str, age: str, before: bool
) -> None:
    send_error = "magicsock: last netcheck reported send error. Rebinding."
    rebind = 'Rebind; defIf="v4if0", ips=[169.254.172.3/22 fe80::683a:f1ff:fec8:1aa5/64]'
    closure = _closure(region, reason, age)
    messages = [send_error, rebind, closure] if before else [closure, send_error, rebind]
    document = document_of(_paste(prefix, messages))
    assert _regions(document) == {"send-error", str(region)}, log_issues(document)
    (finding,) = _findings(document, "TS-LOG-REBIND-CHURN")
    assert f"derp-{region} ({reason})" in finding["cause"] and "send" in finding["cause"]


@settings(max_examples=60, deadline=None)
@given(
    prefix=st.sampled_from(LOG_PREFIXES),
    closures=st.lists(
        st.tuples(st.integers(1, 30), st.sampled_from(_REASONS), st.sampled_from(("2s", "26s", "3m0s"))),
        min_size=3,
        max_size=6,
    ),
    link=st.sampled_from(_LINK_CHANGES),
)
def test_three_rebind_closures_in_one_log_are_rebind_churn(
    prefix: str, closures: list[tuple[int, str, str]], link: str
) -> None:
    messages = [message for closure in closures for message in (link, _closure(*closure))]
    document = document_of(_paste(prefix, messages))
    assert _regions(document) == {str(region) for region, _, _ in closures}, log_issues(document)
    (finding,) = _findings(document, "TS-LOG-REBIND-CHURN")
    assert all(f"derp-{region}" in finding["cause"] for region, _, _ in closures)


@settings(max_examples=60, deadline=None)
@given(
    prefix=st.sampled_from(LOG_PREFIXES),
    closures=st.lists(
        st.tuples(st.integers(1, 30), st.sampled_from(_REASONS), st.sampled_from(("2s", "26s", "3m0s", "5h1m2s"))),
        min_size=1,
        max_size=2,
    ),
    others=st.lists(st.sampled_from(("idle", "conn-close", "zero-private-key", "new-private-key")), max_size=4),
    link=st.sampled_from(_LINK_CHANGES),
)
def test_routine_derp_closures_after_a_link_change_are_not_churn(
    prefix: str, closures: list[tuple[int, str, str]], others: list[str], link: str
) -> None:
    messages = [link, *(_closure(*closure) for closure in closures), *(_closure(7, why, "0s") for why in others)]
    messages += ["magicsock: derp-4 connected; connGen=2", "magicsock: home is now derp-4 (fra)"]
    document = document_of(_paste(prefix, messages))
    assert "rebind-churn" not in log_kinds(document), log_issues(document)
    assert _findings(document, "TS-LOG-REBIND-CHURN") == []


# ------------------------------------------------------------ 5. NetworkManager and tailscaled both own resolv.conf

# dnsMode's keys before the rc=nm branch (resolved-ping only when resolved answered D-Bus), the branch's own (v1.52-
# HEAD: resolvedIsActuallyResolver's "resolved=nss|file", "nm-resolved=yes", then "nm-resolved=no"), and the
# resolv-conf-mode key the second defer adds before ret when resolved answered
_FIGHT_PREFIXES = ("", "resolved-ping=yes ")
_FIGHT_RESOLVED = ("resolved=nss ", "resolved=file ", "")
_FIGHT_MODES = ("", "resolv-conf-mode=stub ", "resolv-conf-mode=foreign ", "resolv-conf-mode=error ")


@settings(max_examples=80, deadline=None)
@given(
    prefix=st.sampled_from(LOG_PREFIXES),
    ping=st.sampled_from(_FIGHT_PREFIXES),
    resolved=st.sampled_from(_FIGHT_RESOLVED),
    mode=st.sampled_from(_FIGHT_MODES),
    after=st.sampled_from(((), ('dns: using "direct" mode', "dns: using *dns.directManager"))),
    fence=st.booleans(),
)
def test_nm_not_using_resolved_with_tailscaled_going_direct_is_a_dns_fight(
    prefix: str, ping: str, resolved: str, mode: str, after: tuple[str, ...], fence: bool
) -> None:
    line = f"dns: [{ping}rc=nm {resolved}nm-resolved=yes nm-resolved=no {mode}ret=direct]"
    document = document_of(_paste(prefix, [line, *after], fence))
    assert log_kinds(document) - {"hand-started"} == {"dns-fight"}, log_issues(document)
    (finding,) = _findings(document, "TS-LOG-DNS-FIGHT")
    assert finding["severity"] == "warning" and "https://tailscale.com/s/dns-fight" in finding["fix"]
    assert "dns=systemd-resolved" in finding["fix"] and "stub-resolv.conf" in finding["fix"]
    assert document["summary"]["exit_code"] == 1


_NOT_A_FIGHT = (
    "dns: [rc=nm resolved=not-in-use ret=direct]",
    "dns: [resolved-ping=yes rc=nm resolved=not-in-use ret=direct]",
    "dns: [rc=nm resolved=nss nm-resolved=yes nm=no ret=systemd-resolved]",
    "dns: [resolved-ping=yes rc=nm resolved=nss nm-resolved=yes nm-safe=no resolv-conf-mode=stub ret=systemd-resolved]",
    "dns: [rc=nm resolved=file nm-resolved=yes nm-safe=yes ret=network-manager]",
    "dns: [resolved-ping=yes rc=resolved nm=yes nm-resolved=no resolv-conf-mode=stub ret=systemd-resolved]",
    "dns: [rc=resolvconf resolvconf=no ret=direct]",
    "dns: [rc=unknown ret=direct]",
    "dns: [rc=nm nm-resolved=no ret=direct] is what my laptop says, is that the fight?",
)


@settings(max_examples=40, deadline=None)
@given(prefix=st.sampled_from(LOG_PREFIXES), line=st.sampled_from(_NOT_A_FIGHT))
def test_other_dns_mode_decisions_are_no_fight(prefix: str, line: str) -> None:
    document = document_of(_paste(prefix, ["logtail started", line]))
    assert "dns-fight" not in log_kinds(document), log_issues(document)


@settings(max_examples=20, deadline=None)
@given(prefix=st.sampled_from(LOG_PREFIXES), later=st.sampled_from(_NOT_A_FIGHT[:6]))
def test_a_later_agreed_decision_ends_the_fight(prefix: str, later: str) -> None:
    fight = "dns: [resolved-ping=yes rc=nm resolved=nss nm-resolved=yes nm-resolved=no ret=direct]"
    document = document_of(_paste(prefix, [fight, "logtail started", later]))
    assert "dns-fight" not in log_kinds(document), log_issues(document)


# ------------------------------------------------------------------ 6. Windows' own error texts name the OS

_WINDOWS_ERRORS = (
    "listen tcp4 100.126.109.3:0: bind: The requested address is not valid in its context.",
    "listen udp4 :41641: bind: An attempt was made to access a socket in a way forbidden by its access permissions.",
    "listen udp4 :41641: bind: Only one usage of each socket address (protocol/network address/port) is normally "
    "permitted.",
    "dial tcp 127.0.0.1:8080: No connection could be made because the target machine actively refused it.",
    "read tcp 192.168.1.5:50123->203.0.113.7:443: An existing connection was forcibly closed by the remote host.",
    "write udp4 0.0.0.0:41641->[2001:db8::1]:41641: A socket operation was attempted to an unreachable network.",
    "write udp4 0.0.0.0:41641->10.9.9.9:41641: A socket operation was attempted to an unreachable host.",
    "open tailscaled.state: The system cannot find the file specified.",
    "dial tcp: lookup controlplane.example.com: No such host is known.",
    "read tcp 10.0.0.5:50123->203.0.113.7:443: An established connection was aborted by the software in your host "
    "machine.",
)
_WRAPPERS = (
    "peerapi: failed to do peerAPI listen, harmless (netstack available) but error was: {error}",
    "magicsock: unable to bind udp4 port 41641: {error}",
    "control: PollNetMap: {error}",
    "derphttp.Client.Recv: {error}",
    "portmapper: createOrGetMapping: {error}",
)
# prefixes that say nothing of the OS themselves (journald's and syslog's would name Linux)
_PLAIN_PREFIXES = tuple(prefix for prefix in LOG_PREFIXES if "tailscaled[" not in prefix)


def _os(document: dict[str, Any]) -> tuple[str | None, str | None]:
    (log,) = document["daemon_logs"]
    return log["os"], log["os_why"]


@settings(max_examples=80, deadline=None)
@given(
    prefix=st.sampled_from(_PLAIN_PREFIXES),
    wrapper=st.sampled_from(_WRAPPERS),
    error=st.sampled_from(_WINDOWS_ERRORS),
    routine=st.sampled_from(("peerapi: serving on http://100.126.109.3:1", "magicsock: derp-4 connected; connGen=1")),
)
def test_windows_own_error_texts_name_windows_as_an_inference(
    prefix: str, wrapper: str, error: str, routine: str
) -> None:
    document = document_of(_paste(prefix, [wrapper.format(error=error), routine]))
    os_name, why = _os(document)
    assert os_name == "windows", document["daemon_logs"]
    assert why is not None and why.startswith("inferred") and why.split('"')[1] in error


_UNIX_ERRORS = (
    "listen tcp4 100.126.109.3:0: bind: cannot assign requested address",
    "listen udp4 :41641: bind: address already in use",
    "dial tcp 127.0.0.1:8080: connect: connection refused",
    "read tcp 192.168.1.5:50123->203.0.113.7:443: read: connection reset by peer",
    "write udp4 0.0.0.0:41641->10.9.9.9:41641: sendto: no route to host",
    "open /var/lib/tailscale/tailscaled.state: no such file or directory",
)


@settings(max_examples=40, deadline=None)
@given(prefix=st.sampled_from(_PLAIN_PREFIXES), wrapper=st.sampled_from(_WRAPPERS), error=st.sampled_from(_UNIX_ERRORS))
def test_the_unix_wordings_name_no_windows(prefix: str, wrapper: str, error: str) -> None:
    os_name, _ = _os(document_of(_paste(prefix, [wrapper.format(error=error)])))
    assert os_name != "windows"


@settings(max_examples=40, deadline=None)
@given(wrapper=st.sampled_from(_WRAPPERS), error=st.sampled_from(_WINDOWS_ERRORS))
def test_a_log_naming_its_os_otherwise_keeps_it(wrapper: str, error: str) -> None:
    # journald's layout names Linux for certain: a Windows text quoted there (a remote's answer) is no inference
    lines = ["Nov 13 02:07:34 host tailscaled[11844]: " + wrapper.format(error=error)]
    lines.append("Nov 13 02:07:35 host systemd[1]: tailscaled.service: Main process exited, code=exited, status=1")
    assert _os(document_of("\n".join(lines) + "\n")) == ("linux", None)
