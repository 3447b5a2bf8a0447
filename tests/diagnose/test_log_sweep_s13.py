"""Generated tests: the log sweep's round of session 13 (tests/diagnose/log_sweep.py, `--list unread`).

Read from tailscale/tailscale's source (HEAD de9ec7ee2; older wordings at the tags named, dated with `git log -S`).
No new issue: each family's words mean an issue the vocabulary already has.

- the profile manager's writes into the state store: the prefs Start reconciled (`Start: failed to save updated and
  reconciled prefs (but still using updated prefs in memory): …`, v1.86+; v1.12-v1.84 `failed to save UpdatePrefs
  state: …`) and the profile a switch made the user's default (`pm: failed to set <name> (<id>) as the default
  profile: …`, v1.86+; not `profile access denied`, another Windows user's profile) are `state-unwritable`;
- a PeerAPI that never listens (sandboxed macOS's `[v1] peerapi listen("<ip>") error: interface index is 0 on darwin;
  try restarting tailscaled`, v1.96+: every address skipped, and macOS does not retry on a link change) is
  `peerapi-accept-failed` (the same services fail), cleared by `peerapi: serving on …`; one address's `[unexpected]
  peerapi listen("<ip>") error: …` (v1.10+) stays no problem, as blind batch 20's truth for 817 says (IPv6 off, the
  IPv4 listener serves);
- an exit node that cannot resolve its clients' DNS over PeerAPI (`peerapi: handleDNS fwd error: …`, v1.20+) is
  `dns-forward-failing` with an exit-node cause and fix when it has no resolver to ask (no or an empty
  /etc/resolv.conf, an OS it cannot proxy for) or no way to it; a timeout or SERVFAIL is one name's query, even
  repeated (the services catalog's "one query"), and `bad query` the client's own;
- the Linux router's netlink throw route the kernel would not add (`router: THROW ERROR adding <prefix>: <errno>`,
  v1.18+) is `firewall-failed` with a routing-table fix;
- serve's file or directory backend tailscaled cannot read (`error calling stat on <path>: stat <path>: …`, `error
  opening <path>: open <path>: …`, v1.56+) is `serve-backend-unreachable` keyed by the path, with its own fix.

Each family is drawn with varied values and pasted under the prefixes people paste (journald, a Go stamp, `docker
logs -t`, the Windows service log, logcat, OpenWrt's syslog); what a user sees is asserted on the JSON document.
The catalog below (log_catalog.catalog_test) holds every wording with its source, and the routine lines of the same
subsystems that must stay silent, as do the same words in prose.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.diagnose.conftest import run_json
from tests.diagnose.log_catalog import (
    Entry,
    catalog_test,
    entry,
    log_issues,
    message_run_family_test,
    paste_lines,
    rotating_cases,
)
from tests.diagnose.test_android_catalog import FORMATS as LOGCAT_FORMATS
from tests.diagnose.test_android_catalog import GO_TAG

PREFIXES = {
    "journald": "Oct 06 09:12:44 exit1 tailscaled[812]: {msg}",
    "go-stamp": "2025/10/06 09:12:44 {msg}",
    "docker": "2025-10-06T09:12:44.123456789Z 2025/10/06 09:12:44 {msg}",
    "windows-logfile": "2025-10-06T09:12:44.123-07:00: {msg}",
    "logcat": LOGCAT_FORMATS["threadtime"].format(lvl="I", tag=GO_TAG, msg="{msg}"),
    "openwrt": "Thu Oct 17 18:02:08 2024 daemon.err tailscaled[5930]: 2024/10/17 10:02:08 {msg}",
}

# ------------------------------------------------------------------------------------------- values

_n = st.integers(1000000, 4294967295)
_tailnet_ips = st.one_of(
    st.builds(lambda b, c, d: f"100.{b}.{c}.{d}", st.integers(64, 127), st.integers(0, 255), st.integers(1, 254)),
    st.integers(1, 0xFFFF).map(lambda x: f"fd7a:115c:a1e0::{x:x}"),
)
_store_errors = st.one_of(
    _n.map(lambda n: f"open /var/lib/tailscale/tailscaled.state.tmp{n}: read-only file system"),
    _n.map(
        lambda n: (
            f"rename /var/lib/tailscale/tailscaled.state.tmp{n} /var/lib/tailscale/tailscaled.state: "
            "no space left on device"
        )
    ),  # fmt: skip
    st.sampled_from(
        [
            'secrets "ts-state-0" is forbidden: User "system:serviceaccount:tailscale:proxies" cannot patch '
            'resource "secrets" in API group "" in the namespace "tailscale"',
            "write C:\\ProgramData\\Tailscale\\server-state.conf: Access is denied.",
            "open /data/tailscaled.state.tmp: permission denied",
        ]
    ),
)
_profile_names = st.sampled_from(["alice@example.com", "bob@github", "ops@corp.example", "tagged-devices"])
_profile_ids = st.text("0123456789abcdef", min_size=4, max_size=4)
_listen_errors = st.sampled_from(
    [
        "listen tcp4 {ip}:0: bind: can't assign requested address",
        "listen tcp6 [{ip}]:0: bind: address not available",
        "listen tcp4 {ip}:42858: socket: operation not permitted",
    ]
)
_resolvers = st.sampled_from(["192.168.1.1:53", "10.0.0.2:53", "[fe80::1%eth0]:53", "1.1.1.1:53"])
# one name's query failing (a slow or broken authoritative server): routine, even repeated
_dns_one_query = st.one_of(
    _resolvers.map(lambda r: f"waiting for response or error from [{r}]: context deadline exceeded"),
    _resolvers.map(lambda r: f'resolving using "{r}": response code indicates server issue'),
    _resolvers.map(lambda r: f'resolving using "{r}": response code indicates refusal'),
    st.just("bad query"),
)
# no resolver to ask, or no way to it: every query fails the same way
_dns_broken = st.one_of(
    st.sampled_from(
        [
            "open /etc/resolv.conf: no such file or directory",
            "resolv.conf has no nameservers",
            "unsupported exit node OS",
        ]  # fmt: skip
    ),
    st.builds(
        lambda r, why: f'resolving using "{r}": read udp 100.64.0.1:50211->{r}: recvfrom: {why}',
        _resolvers,
        st.sampled_from(["connection refused", "no route to host", "network is unreachable"]),
    ),
)
_lan_prefixes = st.sampled_from(["192.168.1.0/24", "10.0.0.0/8", "172.17.0.0/16", "fd00:1::/64", "192.168.122.0/24"])
_errnos = st.sampled_from(["0x11", "0x16", "0x5f", "0x1", "0x62"])
_serve_paths = st.sampled_from(
    [
        "/home/alice/site",
        "/srv/www/index.html",
        "/root/public",
        "/mnt/media/film.mkv",
        "C:\\Users\\alice\\Documents\\site",
    ]  # fmt: skip
)
_path_errors = st.sampled_from(
    ["permission denied", "input/output error", "Access is denied.", "stale NFS file handle"]
)

# (messages, kind, key, what the finding must quote, the rule, words of the fix, words of the cause)
Variant = tuple[tuple[str, ...], str, str, str, str, str, str]
_STATE = ("state-unwritable", "store")


@st.composite
def prefs_unsaved_variants(draw: st.DrawFn) -> Variant:
    err = draw(_store_errors)
    message = draw(
        st.sampled_from(
            [
                # v1.86+ (reconcilePrefsLocked, under startLocked's "Start: " logger)
                f"Start: failed to save updated and reconciled prefs (but still using updated prefs in memory): {err}",
                f"failed to save UpdatePrefs state: {err}",  # v1.12-v1.84
            ]
        )
    )
    return (message,), *_STATE, err[:30], "TS-LOG-STATE-UNWRITABLE", "writ", "state"


@st.composite
def default_profile_variants(draw: st.DrawFn) -> Variant:
    err, name, pid = draw(_store_errors), draw(_profile_names), draw(_profile_ids)
    message = f"pm: failed to set {name} ({pid}) as the default profile: {err}"
    return (message,), *_STATE, err[:30], "TS-LOG-STATE-UNWRITABLE", "writ", "state"


@st.composite
def peerapi_listen_variants(draw: st.DrawFn) -> Variant:
    ips = draw(st.lists(_tailnet_ips, min_size=1, max_size=2, unique=True))  # one line per address of the node
    messages = tuple(
        f'[v1] peerapi listen("{ip}") error: interface index is 0 on darwin; try restarting tailscaled' for ip in ips
    )
    return messages, "peerapi-accept-failed", "peerapi", ips[-1], "TS-LOG-PEERAPI-ACCEPT-FAILED", "Restart", "listen"


@st.composite
def exit_node_dns_variants(draw: st.DrawFn) -> Variant:
    messages = (f"peerapi: handleDNS fwd error: {draw(_dns_broken)}",)
    return (
        messages,
        "dns-forward-failing",
        "forward",
        "handleDNS fwd error",
        "TS-LOG-DNS-FORWARD-FAILING",
        "nslookup",
        "exit node",
    )


@st.composite
def throw_route_variants(draw: st.DrawFn) -> Variant:
    prefix, errno = draw(_lan_prefixes), draw(_errnos)
    message = f"router: THROW ERROR adding {prefix}: {errno}"
    return (message,), "firewall-failed", "router", prefix, "TS-LOG-FIREWALL-FAILED", "table 52", "routes"


@st.composite
def serve_path_variants(draw: st.DrawFn) -> Variant:
    path, why = draw(_serve_paths), draw(_path_errors)
    message = draw(
        st.sampled_from(
            [f"error calling stat on {path}: stat {path}: {why}", f"error opening {path}: open {path}: {why}"]
        )
    )
    return (message,), "serve-backend-unreachable", path, path, "TS-LOG-SERVE-BACKEND-DOWN", "readable", "500"


FAMILIES: dict[str, Callable[[], st.SearchStrategy[Variant]]] = {
    "prefs-unsaved": prefs_unsaved_variants,
    "default-profile": default_profile_variants,
    "peerapi-listen": peerapi_listen_variants,
    "exit-node-dns": exit_node_dns_variants,
    "throw-route": throw_route_variants,
    "serve-path": serve_path_variants,
}


test_each_variant_raises_its_issue_key_and_finding = message_run_family_test(PREFIXES, FAMILIES)


@pytest.mark.parametrize("prefix_name", sorted(PREFIXES))
@settings(max_examples=6, deadline=None)
@given(errors=st.lists(_dns_one_query, min_size=1, max_size=4))
def test_an_exit_node_query_that_fails_is_that_names_not_the_nodes(prefix_name: str, errors: list[str]) -> None:
    lines = [f"peerapi: handleDNS fwd error: {err}" for err in errors]
    document = run_json(paste_lines(PREFIXES[prefix_name], *lines))
    assert log_issues(document) == [] and document["summary"]["exit_code"] == 0, log_issues(document)


@pytest.mark.parametrize("prefix_name", sorted(PREFIXES))
@settings(max_examples=6, deadline=None)
@given(ip=_tailnet_ips, port=st.integers(1024, 65535))
def test_a_peerapi_listener_serving_later_clears_the_listen_failure(prefix_name: str, ip: str, port: int) -> None:
    prefix = PREFIXES[prefix_name]
    failed = f'[v1] peerapi listen("{ip}") error: interface index is 0 on darwin; try restarting tailscaled'
    held = run_json(paste_lines(prefix, failed))
    assert [issue["kind"] for issue in log_issues(held)] == ["peerapi-accept-failed"]
    host = f"[{ip}]" if ":" in ip else ip
    cleared = run_json(paste_lines(prefix, failed, f"peerapi: serving on http://{host}:{port}"))
    assert log_issues(cleared) == [] and cleared["summary"]["exit_code"] == 0, log_issues(cleared)


@pytest.mark.parametrize("prefix_name", sorted(PREFIXES))
def test_a_listener_that_stopped_keeps_its_own_cause_beside_one_that_never_started(prefix_name: str) -> None:
    document = run_json(
        paste_lines(
            PREFIXES[prefix_name],
            '[v1] peerapi listen("100.110.71.64") error: interface index is 0 on darwin; try restarting tailscaled',
            "peerapi.Accept: accept tcp4 100.110.71.64:42858: accept: invalid argument",
        )
    )
    (finding,) = [f for f in document["findings"] if f["rule"] == "TS-LOG-PEERAPI-ACCEPT-FAILED"]
    assert "stopped accepting connections" in finding["cause"], finding["cause"]


@pytest.mark.parametrize("prefix_name", sorted(PREFIXES))
@settings(max_examples=6, deadline=None)
@given(ip=_tailnet_ips, err=_listen_errors)
def test_one_address_without_a_peerapi_listener_is_no_problem(prefix_name: str, ip: str, err: str) -> None:
    """Blind batch 20's 817: the node's IPv6 address not on an interface; the IPv4 listener serves."""
    line = f'[unexpected] peerapi listen("{ip}") error: ' + err.format(ip=ip)
    document = run_json(paste_lines(PREFIXES[prefix_name], line, line))
    assert log_issues(document) == [] and document["summary"]["exit_code"] == 0, log_issues(document)


# ------------------------------------------------------------------------------------------- catalog

NOT_PROBLEMS: frozenset[str] = frozenset()
_e = entry
CATALOG: list[Entry] = [
    # the profile manager's writes into the store
    _e(
        "Start: failed to save updated and reconciled prefs (but still using updated prefs in memory): open "
        "/var/lib/tailscale/tailscaled.state.tmp81234: no space left on device",
        "state-unwritable",
        "ipn/ipnlocal/local.go:3140 (v1.86+)",
    ),
    _e(
        "failed to save UpdatePrefs state: rename /var/lib/tailscale/tailscaled.state.tmp5512 "
        "/var/lib/tailscale/tailscaled.state: read-only file system",
        "state-unwritable",
        "v1.60.0:ipn/ipnlocal/local.go:1706 (v1.12-v1.84)",
    ),
    _e(
        "pm: failed to set alice@example.com (7f3a) as the default profile: open "
        "/var/lib/tailscale/tailscaled.state.tmp77: permission denied",
        "state-unwritable",
        "ipn/ipnlocal/profiles.go:190 (v1.86+)",
    ),
    _e(
        "pm: failed to set bob@example.com (91cc) as the default profile: profile access denied",
        "none",
        "ipn/ipnlocal/profiles.go:190: another Windows user's profile (errProfileAccessDenied), no store failed",
    ),
    # PeerAPI listeners
    _e(
        '[unexpected] peerapi listen("fd7a:115c:a1e0::53") error: listen tcp6 [fd7a:115c:a1e0::53]:0: bind: cannot '
        "assign requested address",
        "none",
        "ipn/ipnlocal/local.go:6464 (v1.10+): one address not on an interface (blind 20: 817's truth, no problem)",
    ),
    _e(
        '[v1] peerapi listen("100.101.102.103") error: interface index is 0 on darwin; try restarting tailscaled',
        "peerapi-accept-failed",
        "ipn/ipnlocal/local.go:6461 (v1.96+, sandboxed macOS)",
    ),
    _e(
        '[v1] possibly transient peerapi listen("100.101.102.103") error, will try again on linkChange: listen '
        "tcp4 100.101.102.103:0: bind: can't assign requested address",
        "none",
        "ipn/ipnlocal/local.go:6454: retried on the next link change",
    ),
    _e(
        "peerapi: failed to do peerAPI listen, harmless (netstack available) but error was: listen tcp4 "
        "100.101.102.103:0: bind: can't assign requested address",
        "none",
        "ipn/ipnlocal/peerapi.go:123 (v1.40+): netstack listens instead",
    ),
    # an exit node's DNS for its clients
    _e(
        "peerapi: handleDNS fwd error: resolv.conf has no nameservers",
        "dns-forward-failing",
        "ipn/ipnlocal/peerapi.go:789 (v1.20+), net/dns/resolver/tsdns.go errEmptyResolvConf",
    ),
    _e(
        "peerapi: handleDNS fwd error: open /etc/resolv.conf: no such file or directory",
        "dns-forward-failing",
        "ipn/ipnlocal/peerapi.go:789 (v1.20+), net/dns/resolver/tsdns.go stubResolverForOS",
    ),
    _e(
        "peerapi: handleDNS fwd error: waiting for response or error from [192.168.1.1:53]: context deadline exceeded",
        "none",
        "ipn/ipnlocal/peerapi.go:789: one name's query (pasted twice by the harness; the services catalog agrees)",
    ),
    _e(
        "peerapi: handleDNS fwd error: bad query",
        "none",
        "ipn/ipnlocal/peerapi.go:789: the client's malformed query (tsdns.go HandlePeerDNSQuery)",
    ),
    _e(
        'dns: resolver: forward: forwarder.send("192.168.1.1:53", 4242, A, 11) from 100.101.102.103:41641 [7] = 0, '
        "context canceled",
        "none",
        "net/dns/resolver/forwarder.go:633: TS_DEBUG_DNS_FORWARD_SEND's trace",
    ),
    # the Linux router's throw routes
    _e(
        "router: THROW ERROR adding 192.168.1.0/24: 0x11",
        "firewall-failed",
        "wgengine/router/osrouter/router_linux.go:1228 (v1.18+)",
    ),
    _e(
        "router: warning: tried to delete route 192.168.1.0/24 but it was already gone; ignoring error",
        "none",
        "wgengine/router/osrouter/router_linux.go:1329",
    ),
    _e(
        "router: consolidateRoutes failed, keeping existing routes: invalid prefix",
        "none",
        "wgengine/router/consolidating_router.go:45",
    ),
    # serve's file and directory backends
    _e(
        "error calling stat on /home/alice/site: stat /home/alice/site: permission denied",
        "serve-backend-unreachable",
        "ipn/ipnlocal/serve.go:1226 (v1.56+)",
    ),
    _e(
        "error opening /srv/www/report.pdf: open /srv/www/report.pdf: permission denied",
        "serve-backend-unreachable",
        "ipn/ipnlocal/serve.go:1237 (v1.56+)",
    ),
    _e(
        "error opening explicitly configured TS_DEBUG_ENV_FILE: open /etc/tailscale/env: no such file or directory",
        "none",
        "envknob/envknob.go:592: an error returned, not serve's path (tailscaled reports it where it exits)",
    ),
    # left routine by this round (the reasons are in docs/diagnose.md)
    _e(
        'control: warning: TLS cert verificication for "controlplane.tailscale.com" failed: x509: certificate is '
        "valid for proxy.corp.example, not controlplane.tailscale.com",
        "none",
        "control/controlhttp/client.go:499: demoted on purpose, Noise runs over whatever TLS it gets",
    ),
    _e(
        "control: netmap: decode error: unexpected EOF",
        "none",
        "control/controlclient/direct.go:1333: the map stream's verbose errors (sweep round 2)",
    ),
    _e(
        'cert("myhost.tail1234.ts.net"): error checking for certificate renewal: acme: ARI: Get '
        '"https://acme-v02.api.letsencrypt.org/draft-ietf-acme-ari-03/renewalInfo/abc": context deadline exceeded',
        "none",
        "feature/acme/cert.go:130: the current certificate is valid and served; a renewal that fails says so itself",
    ),
    _e(
        "magicsock: unable to bind udp6 port 41641: listen udp6 :41641: socket: address family not supported by "
        "protocol",
        "none",
        "wgengine/magicsock/magicsock.go:3764: no IPv6 (the next port, and IPv4, are tried)",
    ),
    _e(
        "magicsock: derp.Send(127.3.3.40:4): derp.Send: connection closed",
        "none",
        "wgengine/magicsock/derp.go:698: a DERP connection being replaced (its reconnect is read)",
    ),
    _e(
        "localListener failed to listen on 100.101.102.103:443, backing off: listen tcp4 100.101.102.103:443: bind: "
        "address already in use",
        "none",
        "ipn/ipnlocal/serve.go:217: serve for the node's own traffic to itself, retried with a back-off",
    ),
]


CASES = rotating_cases(CATALOG, list(PREFIXES.values()), NOT_PROBLEMS, always=1)
test_each_catalog_wording_reads_as_an_expert_reads_it = catalog_test(CASES)


PROSE = [
    "failed to save updated and reconciled prefs? I only ran tailscale set --accept-routes",
    "Which default profile does pm: pick when I switch users?",
    "peerapi listen error on my Mac, should I restart tailscaled?",
    "handleDNS fwd error shows up when I use the exit node, see below",
    "router: THROW ERROR adding is all over my journal since the kernel update",
    "error opening the serve page, is /srv/www readable?",
]
RULES = {
    "TS-LOG-STATE-UNWRITABLE",
    "TS-LOG-PEERAPI-ACCEPT-FAILED",
    "TS-LOG-DNS-FORWARD-FAILING",
    "TS-LOG-FIREWALL-FAILED",
    "TS-LOG-SERVE-BACKEND-DOWN",
}


@pytest.mark.parametrize("line", PROSE)
def test_the_same_words_in_prose_raise_nothing(line: str) -> None:
    document = run_json(paste_lines(PREFIXES["go-stamp"], "magicsock: home is now derp-4 (fra)") + line + "\n")
    assert log_issues(document) == []
    assert not any(finding["rule"] in RULES for finding in document["findings"])


def test_the_sweep_reads_each_new_family_at_head() -> None:
    """A floor on the sweep: every HEAD message of these families is read with its issue, none left unread."""
    from tests.diagnose.log_sweep import assert_families_read

    wanted = {
        "failed to save updated and reconciled prefs": "state-unwritable",
        "as the default profile: ": "state-unwritable",
        "interface index is 0 on darwin": "peerapi-accept-failed",
        "THROW ERROR adding": "firewall-failed",
        "lite map update error": "control-unreachable",  # read once the sweep gave controlclient its "control: "
    }
    assert_families_read(wanted)


def test_the_sweep_at_head_reads_at_least_what_session_13_left() -> None:
    """The sweep's whole floor: of the 705 messages at HEAD, 222 are read with an issue (217 before session 13's
    round with the same extract, 221 after it, 222 after session 14's: the operator user tailscaled cannot look up);
    a change that loses one fails here, one that reads more raises the floor."""
    from collections import Counter

    from tests.diagnose.log_sweep import measure

    outcomes = Counter(outcome for _, outcome, _, _, _ in measure("head"))
    assert outcomes["issue"] + outcomes["shown"] + outcomes["unread"] == 705
    assert outcomes["issue"] >= 222, outcomes
