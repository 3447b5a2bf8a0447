"""Catalog test: the wordings of 2020-2021 (Tailscale v0.98 to v1.20), read from the old tags before anyone pasted them.

The source catalogs (CLI refusals, host integration, network/control) were written from HEAD; the messages here are
the ones the old releases printed in other words, or that are gone: relaynode (the v0.9x Linux client), the v0.9x
`tailscale` / `tailscaled` binaries under cmd/, the old ipn backend (ipn/local.go), controlclient's old poll, the
2020 router (wgengine/router_linux.go) and tsdns, the v1.0-v1.20 CLI's refusals and warnings. Each entry is one
message as that version printed it, with realistic values, the issue (tailscaled log) or kind (CLI) an expert
reads from it ("none": a routine line that must raise nothing) and where it comes from (tag:path:line of
tailscale/tailscale, and the versions that print it: `git log -S`).

Log entries are read under the line prefixes of that era: a 2020 Go log stamp, journald (tailscaled's and
relaynode's), the Windows service log, a container stamp, OpenWrt's syslog. CLI entries are read bare, under Go's
log stamp (the old CLI's `log.Fatalf`) and after the command's prompt. Whole pastes put together from those
messages (a `tailscale up` session against v0.98, a relaynode start that fails, a tailscaled v1.0 start that runs)
check the facts too: version, state, home DERP, userspace.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.diagnose.conftest import cli_kinds, run_json
from tests.diagnose.test_daemon_log import _kinds, _log

# ------------------------------------------------------------------------------------------- tailscaled logs

LOG_PREFIXES = (
    "2020/06/10 12:00:01 {msg}",
    "Jun 10 12:00:01 nas tailscaled[812]: {msg}",
    "Jun 10 12:00:01 pi relaynode[641]: 2020/06/10 12:00:01 {msg}",
    "2020-11-05T10:43:28.123-08:00: {msg}",
    "2021-03-02T09:14:11.482915012Z 2021/03/02 09:14:11 {msg}",
    "Tue Mar  2 09:14:11 2021 daemon.notice tailscaled[2154]: {msg}",
)
HEALTHY_FIRST = "logtail started"

# Issues whose recogniser wants a repeat (one forwarded query failing, one DERP drop is routine).
_REPEATED = frozenset(("dns-forward-failing", "derp-unreachable"))

# (message (continuation lines after "\n"), issues expected (space-separated) or "none", source and versions)
LOG_CATALOG: tuple[tuple[str, str, str], ...] = (
    # ---------------------------------------------------------------- cmd/tailscaled (and relaynode) fatal exits
    ("wgengine.New: CreateTUN: open /dev/net/tun: no such file or directory", "crash tun-unavailable",
     "v0.98.0:cmd/tailscaled/tailscaled.go:78, v0.98-v1.18"),
    ("--state is required", "crash", "v0.98.0:cmd/tailscaled/tailscaled.go:58, v0.98-v1.16"),
    ("tailscaled: safesocket.Listen: listen unix /var/run/tailscale/tailscaled.sock: bind: address already in use",
     "crash", "v0.98.0:cmd/tailscaled/tailscaled.go:89 + ipn/ipnserver/server.go:88"),
    ('tailscaled: ipn.NewFileStore("/var/lib/tailscale/tailscaled.state"): open /var/lib/tailscale/tailscaled.state: '
     "permission denied", "state-unwritable", "v0.98.0:ipn/ipnserver/server.go:105, v0.98-v1.20"),
    ('ipnserver.StateStore: ipn.NewFileStore("/var/lib/tailscale/tailscaled.state"): open '
     "/var/lib/tailscale/tailscaled.state: read-only file system", "crash state-unwritable",
     "v1.20.0:cmd/tailscaled/tailscaled.go:388, v1.20"),
    ('ipnserver.New: NewLocalBackend: loading requested state: store.ReadState("_daemon"): unexpected end of JSON '
     "input", "crash state-unwritable", "v1.18.0:cmd/tailscaled/tailscaled.go:368 + ipn/local.go:199, v1.18-v1.20"),
    ("ipnserver.New: newSafesocket: listen unix /var/run/tailscale/tailscaled.sock: bind: permission denied",
     "crash", "v1.20.0:cmd/tailscaled/tailscaled.go:392, v1.18-v1.20"),
    ("monitor.New: dialing netlink socket: socket: address family not supported by protocol", "crash",
     "v1.20.0:cmd/tailscaled/tailscaled.go:302, v1.20"),
    ("creating link monitor: dialing netlink socket: socket: address family not supported by protocol", "crash",
     "v1.6.0:cmd/tailscaled/tailscaled.go:211, v1.6-v1.18"),
    ("Error starting wireguard engine: CreateTUN: open /dev/net/tun: no such file or directory",
     "crash tun-unavailable", "v0.96:cmd/relaynode/relaynode.go:80, v0.9x"),
    ("no --config file specified", "crash", "v0.96:cmd/relaynode/relaynode.go:61, v0.9x"),
    ("load config: invalid character '}' looking for beginning of object key string", "crash state-unwritable",
     "v0.96:cmd/relaynode/relaynode.go:209 (log.Fatal of loadConfig), v0.9x"),
    ("save config: open /var/lib/tailscale/relay.conf.tmp: read-only file system", "state-unwritable",
     "v0.96:cmd/relaynode/relaynode.go:217, v0.9x"),
    ("Warning: no --tun device specified; routing disabled.", "none", "v0.96:cmd/relaynode/relaynode.go:64"),
    ("config /var/lib/tailscale/relay.conf does not exist", "none", "v0.96:cmd/relaynode/relaynode.go:205"),
    # ---------------------------------------------------------------- ipn state store, logpolicy
    ("calling ReadState on store: unexpected end of JSON input", "state-unwritable",
     "v1.18.0:ipn/ipnserver/server.go:764, v1.18-v1.20"),
    ('store.ReadState("_daemon"): open /var/lib/tailscale/tailscaled.state: permission denied', "state-unwritable",
     "v0.98.0:ipn/local.go:481, v0.98-v1.4"),
    ("store.WriteState: open /var/lib/tailscale/tailscaled.state.tmp: no space left on device", "state-unwritable",
     "v0.98.0:ipn/local.go:458, v0.98-v1.4"),
    ("logpolicy.Config.Save: open /var/lib/tailscale/tailscaled.log.conf: read-only file system", "state-unwritable",
     "v1.2.0:logpolicy/logpolicy.go:371 (v0.98-v1.0: :176), v0.98-v1.20"),
    ("logpolicy.Read /var/lib/tailscale/tailscaled.log.conf: open /var/lib/tailscale/tailscaled.log.conf: no such "
     "file or directory", "none", "v1.2.0:logpolicy/logpolicy.go:343, a first start"),
    ('Imported state from relaynode for "_daemon"', "none", "v0.98.0:ipn/local.go:472, v0.98-v1.2"),
    ('Created empty state for "_daemon"', "none", "v0.98.0:ipn/local.go:476, v0.98-v1.2"),
    ('created empty state for "_daemon": nodeKey=nodekey:0000', "none", "v1.4.0:ipn/local.go:880, v1.4"),
    ("Using backend prefs", "none", "v0.98.0:ipn/local.go:462, v0.98-v1.2"),
    ("Failed to load legacy prefs: open /root/.config/tailscale/prefs.conf: no such file or directory", "none",
     "v0.98.0:ipn/local.go:469, v0.98-v1.2"),
    # ---------------------------------------------------------------- the WireGuard UDP port (magicsock)
    ("magicsock: bind: udp4/41641: listen udp4 :41641: bind: address already in use", "port-in-use",
     "v0.98.0:wgengine/magicsock/magicsock.go:1474, v0.98-v1.6"),
    ("magicsock: link change unable to bind fixed port 41641: listen udp4 :41641: bind: address already in use, "
     "falling back to random port", "port-in-use", "v0.98.0:wgengine/magicsock/magicsock.go:1498, v0.98-v1.6"),
    ("wgengine.New: magicsock: initialBind IPv4 failed: listen udp4 :41641: bind: address already in use",
     "crash port-in-use", "v1.8.0:wgengine/magicsock/magicsock.go:2587, v1.8-v1.18"),
    ("magicsock: link change rebound port: 41641", "none", "v0.98.0:wgengine/magicsock/magicsock.go:1493"),
    ("magicsock: link change, binding new port", "none", "v0.98.0:wgengine/magicsock/magicsock.go:1501"),
    # ---------------------------------------------------------------- DERP (magicsock, derphttp of 2020)
    ("magicsock: [0xc0000b6420] derp.Recv(derp-1): derphttp.Client.Recv connect to https://derp1.tailscale.com/derp: "
     'dial of "derp1.tailscale.com": dial tcp: lookup derp1.tailscale.com: no such host', "derp-unreachable",
     "v0.98.0:wgengine/magicsock/magicsock.go:984 + derp/derphttp/derphttp_client.go:135, v0.98-v1.0"),
    ("magicsock: [0xc0000b6420] derp.Recv(derp-2): derphttp.Client.Recv connect to https://derp2.tailscale.com/derp: "
     "derp.Client: failed to receive server info: EOF", "derp-unreachable",
     "v0.98.0:derp/derp_client.go:54, v0.98-v1.0"),
    ('magicsock: derphttp.NewClient: node 1, host "derp1.tailscale.com" invalid? err: derphttp.NewClient: parse '
     '"https://derp1.tailscale.com /derp": invalid character " " in host name', "derp-unreachable",
     "v0.98.0:wgengine/magicsock/magicsock.go:847, v0.98"),
    ("magicsock: home is now derp-1 (nyc)", "none", "v0.98.0:wgengine/magicsock/magicsock.go:474"),
    ("magicsock: adding connection to derp-1 for home-keep-alive", "none",
     "v0.98.0:wgengine/magicsock/magicsock.go:832"),
    ("magicsock: derp route for [Zopo7] set to derp-1 (shared home)", "none",
     "v0.98.0:wgengine/magicsock/magicsock.go:915"),
    # ---------------------------------------------------------------- control (controlclient of 2020)
    ("Key expired; setting loggedIn=false.", "login-required", "v0.98.0:control/controlclient/auto.go:296, v0.98-v1.2"),
    ("authRoutine: key expiration check.", "none", "v0.98.0:control/controlclient/auto.go:294, v0.98-v1.2"),
    ("Generating a new machinekey.", "none", "v0.98.0:control/controlclient/direct.go:250, v0.98-v1.0"),
    ("RegisterReq: returned.", "none", "v0.98.0:control/controlclient/direct.go:337, v0.98-v1.0"),
    ("netmap: sent keep-alive timer reset", "none", "v0.98.0:control/controlclient/direct.go:561, v0.98-v1.0"),
    ("mapRoutine: new map request during PollNetMap. canceling.", "none",
     "v0.98.0:control/controlclient/auto.go:436, v0.98-v1.2"),
    ("popBrowserAuthNow: url=true", "login-required", "v0.98.0:ipn/local.go:429, v0.98-v1.4"),
    # ---------------------------------------------------------------- wgengine (2020): TUN, userspace, router, DNS
    ('Starting userspace wireguard engine with tun device "tailscale0"', "none",
     "v0.98.0:wgengine/userspace.go:95, v0.98-v1.6"),
    ("CreateTUN ok.", "none", "v0.98.0:wgengine/userspace.go:103, v0.98-v1.6"),
    ("Starting userspace wireguard engine (FAKE tuntap device).", "none",
     "v0.98.0:wgengine/userspace.go:83, v0.98-v1.0"),
    ("external route MTU: 1280 (<nil>)", "none", "v0.98.0:wgengine/userspace.go:219, v0.98-v1.6"),
    ("wgengine: Reconfig: configuring userspace wireguard engine", "none", "v0.98.0:wgengine/userspace.go:350, v0.98"),
    ("wgengine: nil filter provided; no access restrictions.", "none", "v0.98.0:wgengine/userspace.go:416, v0.98"),
    ("generating initial ping traffic to nas (100.101.102.103)", "none",
     "v0.98.0:wgengine/userspace.go:253, v0.98-v1.2"),
    ("running ip link failed: exit status 2\nRTNETLINK answers: Operation not permitted", "firewall-failed",
     "v0.98.0:wgengine/router_linux.go:66, v0.98"),
    ("iptables forward failed: exit status 1", "firewall-failed", "v0.98.0:wgengine/router_linux.go:71, v0.98"),
    ("iptables nat failed: exit status 3", "firewall-failed", "v0.98.0:wgengine/router_linux.go:75, v0.98"),
    ("replacing resolv.conf failed: open /etc/resolv.conf: read-only file system", "dns-config-failed",
     "v0.98.0:wgengine/router_linux.go:157, v0.98"),
    ("failed to restore system resolv.conf: rename /etc/resolv.pre-tailscale-backup.conf /etc/resolv.conf: device or "
     "resource busy", "dns-config-failed", "v0.98.0:wgengine/router_linux.go:188, v0.98"),
    ("service systemd-resolved restart: exit status 5", "dns-config-failed",
     "v0.98.0:wgengine/router_linux.go:267, v0.98"),
    ("tsdns: error: all upstream nameservers failed", "dns-forward-failing", "v1.0.0:wgengine/tsdns/tsdns.go:41, v1.0"),
    ("tsdns: error: resolving: upstream nameservers not set", "dns-forward-failing",
     "v1.2.0:wgengine/tsdns/forwarder.go:39 + wgengine/userspace.go:422, v1.2-v1.6"),
    ("wireguard handshake complete for [Zopo7]", "none", "v1.0.0:wgengine/userspace.go:264, v1.0-v1.8"),
    # ---------------------------------------------------------------- ipnserver (Windows service, v1.0-v1.20)
    ("ipnserver: initial getEngine call: CreateTUN: Error creating interface: Access is denied.", "tun-unavailable",
     "v1.2.0:ipn/ipnserver/server.go:415, v1.2-v1.20"),
    ("0: getEngine failed again: CreateTUN: Error creating interface: Access is denied.", "tun-unavailable",
     "v1.0.0:ipn/ipnserver/server.go:199, v1.0"),
    ("ipnserver: found server mode auto-start key \"_daemon\" (user DESKTOP-1\\alice)", "none",
     "v1.2.0:ipn/ipnserver/server.go:463"),
    ("ipnserver: now in server mode; user=DESKTOP-1\\alice", "none", "v1.2.0:ipn/ipnserver/server.go:353"),
    ("client disconnected; staying alive in server mode", "none", "v1.2.0:ipn/ipnserver/server.go:314"),
    ("1: Incoming control connection.", "none", "v0.98.0:ipn/ipnserver/server.go:176, v0.98"),
    ('wgengine.NewUserspaceEngine: (try 3) CreateTUN("Tailscale") failed: Error creating interface: Access is denied.',
     "tun-unavailable", "v1.6.0:cmd/tailscaled/tailscaled_windows.go:188, v1.6"),
    ('ipnserver: unattended mode engine load: CreateTUN("Tailscale") failed: Error creating interface: Access is '
     "denied.", "tun-unavailable", "v1.4.0:ipn/ipnserver/server.go:565, v1.4-v1.6"),
    ("blocking client while server in use; connIdentity=&{0xc000112000 4321 DESKTOP-1\\bob false}", "none",
     "v1.4.0:ipn/ipnserver/server.go:187, v1.4-v1.20"),
    ("authReconfig: ra=true dns=true 0x02: dns set: running resolvconf -m 0 -x -a tailscale0: exit status 1",
     "dns-config-failed", "v1.2.0:wgengine/router/router_linux.go:201 (returned to ipn/local.go), v1.2-v1.6"),
    ("authReconfig: ra=true dns=true 0x02: Due to a Windows limitation, one cannot have interface routes without an "
     "interface address", "firewall-failed", "v1.0.0:wgengine/router/ifconfig_windows.go:286, v1.0-v1.6"),
    # pasted once here: a lone refusal is routine (twice for one key is peer-key-unknown, blind batch 30)
    ("magicsock: DERP packet from unknown key: [Zopo7]", "none", "v0.98.0:wgengine/magicsock/magicsock.go:1161"),
    # lead (session 15): netstack's loopback fallback is a port nothing on the node handles (was
    # serve-backend-unreachable)
    ("netstack: could not connect to local server on port 22: dial tcp 127.0.0.1:22: connect: connection refused",
     "inbound-port-unhandled", "v1.6.0:wgengine/netstack/netstack.go:366, v1.6"),
    ("netstack: could not connect to local UDP server on port 53: dial udp 127.0.0.1:53: connect: connection refused",
     "inbound-port-unhandled", "v1.6.0:wgengine/netstack/netstack.go:422, v1.6-v1.8"),
    ("failed to save UpdatePrefs state: open /var/lib/tailscale/tailscaled.state.tmp: read-only file system",
     "state-unwritable", "v1.12.0:ipn/ipnlocal/local.go:769, v1.12-v1.20"),
    ("authReconfig: ra=true dns=true 0x02: SetLinkDNS: Unit dbus-org.freedesktop.resolve1.service not found.",
     "dns-config-failed", "v1.0.0:wgengine/router/dns_resolved.go:132, v1.0-v1.6"),
    ("tsdns: enqueue: closing", "none", "v1.0.0:wgengine/userspace.go:407, v1.0-v1.6 (at shutdown)"),
    ("LinkChange: major, rebinding. New state: interfaces.State{defaultRoute=eth0 ifs={eth0:[192.168.1.20/24]} "
     "v4=true v6=false}", "none", "v1.2.0:wgengine/userspace.go:1152, v1.2-v1.20"),
    ("Control connection done.", "none", "v0.98.0:ipn/ipnserver/server.go:66, v0.98"),
)  # fmt: skip


def _read_log(prefix: str, message: str, kind: str) -> dict[str, Any]:
    first, *rest = message.split("\n")
    once = [prefix.format(msg=first), *rest]
    repeat = any(k in _REPEATED for k in kind.split())
    lines = [prefix.format(msg=HEALTHY_FIRST), *once, *(once if repeat else [])]
    return _log("\n".join(lines) + "\n")


@pytest.mark.parametrize("prefix", LOG_PREFIXES)
@pytest.mark.parametrize(("message", "kind", "source"), LOG_CATALOG, ids=[c[0][:60] for c in LOG_CATALOG])
def test_the_2020_log_catalog_reads_right(prefix: str, message: str, kind: str, source: str) -> None:
    kinds = _kinds(_read_log(prefix, message, kind))
    if kind == "none":
        assert not kinds, (source, kinds)
    else:
        assert kinds == set(kind.split()), (source, kinds)


# 2020's engine said how it ran in its own words: the fake TUN (userspace networking) and a kernel TUN device.
USERSPACE_LINES = (
    ("Starting userspace wireguard engine (FAKE tuntap device).", True, "v0.98.0:wgengine/userspace.go:83"),
    ("Starting userspace wireguard engine (with fake TUN device)", True, "v1.2.0:wgengine/userspace.go:145"),
    ('Starting userspace wireguard engine with tun device "tailscale0"', False, "v0.98.0:wgengine/userspace.go:95"),
    ('Starting userspace wireguard engine with tun device "wg0"', False, "v0.96 relaynode's default --tun"),
)


@pytest.mark.parametrize("prefix", LOG_PREFIXES)
@pytest.mark.parametrize(("message", "userspace", "source"), USERSPACE_LINES, ids=[u[0][:50] for u in USERSPACE_LINES])
def test_the_2020_engine_lines_say_whether_it_runs_in_userspace(
    prefix: str, message: str, userspace: bool, source: str
) -> None:
    log = _read_log(prefix, message, "none")
    assert log["userspace"] is userspace, source


# ------------------------------------------------------------------------------------------- the old CLI

CLI_PREFIXES = ("{msg}", "2020/06/10 12:00:01 {msg}", "$ sudo tailscale up\n{msg}")

# (message, CLI kind expected, source and versions)
CLI_CATALOG: tuple[tuple[str, str, str], ...] = (
    ("Failed to connect to connect to tailscaled. (safesocket.Connect: dial unix /var/run/tailscale/tailscaled.sock: "
     "connect: no such file or directory)", "service-not-running",
     "v0.98.0:cmd/tailscale/tailscale.go:181, v0.98-v1.2"),
    ("failed to connect to local tailscaled; it doesn't appear to be running (sudo systemctl start tailscaled ?)",
     "service-not-running", "v1.12.0:cmd/tailscale/cli/diag.go:50, v1.12-v1.20"),
    ("failed to connect to local tailscaled process (is it running?); got: dial unix "
     "/var/run/tailscale/tailscaled.sock: connect: connection refused", "service-not-running",
     "v1.12.0:cmd/tailscale/cli/diag_other.go:15, v1.12-v1.20"),
    ("safesocket: failed to connect to Tailscale IPNExtension: failed to find Tailscale's IPNExtension process",
     "service-not-running", "v0.98.0:safesocket/unixsocket.go:33, v0.98-v1.10"),
    ("backend error: invalid key: unable to validate API key", "auth-key-rejected",
     "v0.98.0:cmd/tailscale/tailscale.go:174, v0.98-v1.20"),
    ('"10.0.0.0/33" is not a valid CIDR prefix: invalid CIDR address: 10.0.0.0/33', "cli-usage",
     "v0.98.0:cmd/tailscale/tailscale.go:118, v0.98"),
    ('"10.0.0.0/33" is not a valid IP address or CIDR prefix', "cli-usage", "v1.0.0:cmd/tailscale/cli/up.go:156"),
    ('invalid value --netfilter-mode: "bogus"', "cli-usage", "v1.0.0:cmd/tailscale/cli/up.go:202, v1.0-v1.6"),
    ("hostname too long: 300 bytes (max 256)", "cli-usage", "v1.0.0:cmd/tailscale/cli/up.go:174, v1.0-v1.20"),
    ("tailscale up -4 and -6 are mutually exclusive", "cli-usage", "v1.8.0:cmd/tailscale/cli/ip.go:49, v1.8-v1.14"),
    ("tailscale ip -4 and -6 are mutually exclusive", "cli-usage", "v1.16.0:cmd/tailscale/cli/ip.go:49, v1.16-v1.18"),
    ("file subcommand required; run 'tailscale file -h' for details", "cli-usage",
     "v1.8.0:cmd/tailscale/cli/file.go:48, v1.8-v1.20"),
    ("usage: file get <target-directory>", "cli-usage", "v1.8.0:cmd/tailscale/cli/file.go:329, v1.8-v1.20"),
    ("--socket cannot be empty", "cli-usage", "v0.98.0:cmd/tailscale/tailscale.go:179, v0.98-v1.20"),
    ("too many non-flag arguments: [\"up\"]", "cli-usage", "v0.98.0:cmd/tailscale/tailscale.go:123, v0.98-v1.20"),
    ("can't change --login-server without --force-reauth", "cli-usage", "v1.8.0:cmd/tailscale/cli/up.go:315"),
    ("10.0.0.1/24 has non-address bits set; expected 10.0.0.0/24", "cli-usage", "v1.4.0:cmd/tailscale/cli/up.go:156"),
    ("0.0.0.0/0 advertised without its IPv6 counterpart, please also advertise ::/0", "cli-usage",
     "v1.4.0:cmd/tailscale/cli/up.go:166"),
    ("cannot use 192.168.1.5 as the exit node as it is a local IP address to this machine, did you mean "
     "--advertise-exit-node?", "exit-node-refused", "v1.6.0:cmd/tailscale/cli/up.go:262, v1.6-v1.20"),
    ('invalid IP address "nas" for --exit-node: ParseIP("nas"): unable to parse IP', "exit-node-refused",
     "v1.6.0:cmd/tailscale/cli/up.go:204, v1.6-v1.18"),
    ('invalid value "nas" for --exit-node; must be IP or unique node name', "exit-node-refused",
     "v1.20.0:cmd/tailscale/cli/up.go:292"),
    ("'tailscale up' without --reset requires all preferences with changing values to be explicitly mentioned; this "
     'command would change the value of flagless pref "RouteAll"', "up-flags-required",
     "v1.8.0:cmd/tailscale/cli/up.go:632, v1.8"),
    ("no peer found with IP 100.101.102.103", "peer-not-found", "v1.8.0:cmd/tailscale/cli/ip.go:66, v1.8-v1.20"),
    ("owned by different user; can only send files to your own devices", "taildrop-failed",
     "v1.8.0:cmd/tailscale/cli/file.go:220"),
    ("target seems to be running an old Tailscale version", "taildrop-failed", "v1.8.0:cmd/tailscale/cli/file.go:227"),
    ("Tailscale running in server mode as DESKTOP-1\\alice. Access denied.", "not-owner",
     "v1.2.0:ipn/ipnserver/server.go:288, v1.2"),
    ("Warning: net.ipv4.ip_forward is disabled. Subnet routes won't work.", "ip-forwarding-disabled",
     "v1.0.0:cmd/tailscale/cli/up.go:140, v1.8.0:ipn/ipnlocal/local.go:2634, v1.0-v1.20"),
    ("Warning: couldn't check net.ipv4.ip_forward (open /proc/sys/net/ipv4/ip_forward: no such file or directory).\n"
     "Subnet routes won't work without IP forwarding.", "ip-forwarding-check-failed",
     "v1.0.0:cmd/tailscale/cli/up.go:131, v1.8.0:ipn/ipnlocal/local.go:2625, v1.0-v1.20"),
    ("Failed to connect to tailscaled. (safesocket.Connect: dial unix /var/run/tailscale/tailscaled.sock: connect: "
     "connection refused)", "service-not-running", "v1.4.0:cmd/tailscale/cli/cli.go:102, v1.4-v1.20"),
    ("safesocket: failed to connect to /var/run/tailscaled.socket: dial unix /var/run/tailscaled.socket: connect: no "
     "such file or directory; failed to connect to Tailscale IPNExtension: failed to find Tailscale's IPNExtension "
     "process", "service-not-running", "v1.12.0:safesocket/unixsocket.go:33, v1.12-v1.20"),
    ("backend error: register request: http 403: node key already in use", "backend-error",
     "v0.98.0:cmd/tailscale/tailscale.go:174 (log.Fatalf), v0.98-v1.20"),
    ('backend error: PollNetMap: Post "https://login.tailscale.com/machine/abc/map": dial tcp: lookup '
     "login.tailscale.com: no such host", "backend-error", "v0.98.0:cmd/tailscale/tailscale.go:174, v0.98-v1.20"),
    ("EOF (tailscaled stopped running?)", "daemon-connection-reset", "v1.8.0:cmd/tailscale/cli/cli.go:191, v1.8-v1.20"),
    ("read unix @->/var/run/tailscale/tailscaled.sock: read: connection reset by peer (tailscaled stopped running?)",
     "daemon-connection-reset", "v1.8.0:cmd/tailscale/cli/cli.go:191, v1.8-v1.20"),
    ("timeout running stop", "deadline-exceeded", "v1.2.0:cmd/tailscale/cli/down.go:33, v1.2-v1.6"),
    ("Access denied: cert access denied\n\nUse 'sudo tailscale cert' or 'tailscale up --operator=$USER' to not "
     "require root.", "unix-access-denied", "v1.16.0:cmd/tailscale/cli/cert.go:96, v1.16-v1.20"),
    ("Warning: netfilter=off; configure iptables yourself.", "netfilter-off-warning",
     "v1.0.0:cmd/tailscale/cli/up.go:200"),
)  # fmt: skip


@pytest.mark.parametrize("prefix", CLI_PREFIXES)
@pytest.mark.parametrize(("message", "kind", "source"), CLI_CATALOG, ids=[c[0][:60] for c in CLI_CATALOG])
def test_the_2020_cli_catalog_reads_right(prefix: str, message: str, kind: str, source: str) -> None:
    assert kind in cli_kinds(prefix.format(msg=message) + "\n"), source


def test_the_old_ping_usage_line_is_read_as_a_ping_without_a_target() -> None:
    # v1.2.0:cmd/tailscale/cli/ping.go:68 "usage: ping <hostname-or-IP>" (v1.2-v1.20): the ping reading has it
    document = run_json("usage: ping <hostname-or-IP>\n")
    assert {finding["rule"] for finding in document["findings"]} == {"TS-PING-NO-TARGET"}


# ------------------------------------------------------------------------------------------- whole pastes

UP_V098_NOT_RUNNING = """\
$ sudo tailscale up
2020/05/14 09:12:44 Failed to connect to connect to tailscaled. (safesocket.Connect: dial unix \
/var/run/tailscale/tailscaled.sock: connect: no such file or directory)
"""

UP_V098_MACHINE_AUTH = """\
pi@raspberrypi:~ $ sudo tailscale up --advertise-routes=192.168.1.0/24

To authorize your machine, visit (as admin):

\thttps://login.tailscale.com/admin/machines

"""

UP_V1_STATUS_UNAUTHORIZED = """\
$ tailscale status
Machine is not yet authorized by tailnet admin.
"""

RELAYNODE_FAILS = """\
Jun 10 12:00:00 pi systemd[1]: Started Traffic relay node for Tailscale IPN.
Jun 10 12:00:00 pi relaynode[641]: 2020/06/10 12:00:00 logtail started
Jun 10 12:00:00 pi relaynode[641]: 2020/06/10 12:00:00 Starting userspace wireguard engine with tun device "wg0"
Jun 10 12:00:00 pi relaynode[641]: 2020/06/10 12:00:00 is CONFIG_TUN enabled in your kernel? `modprobe tun` failed \
with: modprobe: FATAL: Module tun not found in directory /lib/modules/4.19.66-v7+
Jun 10 12:00:00 pi relaynode[641]: 2020/06/10 12:00:00 CreateTUN: open /dev/net/tun: no such file or directory
Jun 10 12:00:00 pi relaynode[641]: 2020/06/10 12:00:00 Error starting wireguard engine: open /dev/net/tun: no such \
file or directory
Jun 10 12:00:00 pi systemd[1]: tailscale-relay.service: Main process exited, code=exited, status=1/FAILURE
Jun 10 12:00:00 pi systemd[1]: tailscale-relay.service: Failed with result 'exit-code'.
"""

TAILSCALED_V1_0_RUNS = """\
Aug 20 18:01:02 nas tailscaled[812]: logtail started
Aug 20 18:01:02 nas tailscaled[812]: Program starting: v1.0.5-t5a5aeb6e8-gd8f1fa2d5, Go 1.15.2: \
[]string{"/usr/sbin/tailscaled", "--state=/var/lib/tailscale/tailscaled.state", \
"--socket=/run/tailscale/tailscaled.sock", "--port", "41641"}
Aug 20 18:01:02 nas tailscaled[812]: LogID: 2a8d4e10a6a7d1b3b5e6c2b4a2b8e0c1d7f9a3c5e7b9d1f3a5c7e9b1d3f5a7c9
Aug 20 18:01:02 nas tailscaled[812]: logpolicy: using system state directory "/var/lib/tailscale"
Aug 20 18:01:02 nas tailscaled[812]: Starting userspace wireguard engine with tun device "tailscale0"
Aug 20 18:01:02 nas tailscaled[812]: CreateTUN ok.
Aug 20 18:01:02 nas tailscaled[812]: external route MTU: 1280 (<nil>)
Aug 20 18:01:03 nas tailscaled[812]: Listening on /run/tailscale/tailscaled.sock
Aug 20 18:01:03 nas tailscaled[812]: Switching ipn state NoState -> Starting (WantRunning=true, nm=false)
Aug 20 18:01:03 nas tailscaled[812]: magicsock: home is now derp-1 (nyc)
Aug 20 18:01:03 nas tailscaled[812]: magicsock: adding connection to derp-1 for home-keep-alive
Aug 20 18:01:03 nas tailscaled[812]: magicsock: 1 active derp conns: derp-1=cr0s,wr0s
Aug 20 18:01:03 nas tailscaled[812]: derphttp.Client.Recv: connecting to derp-1 (nyc)
Aug 20 18:01:03 nas tailscaled[812]: magicsock: derp-1 connected; connGen=1
Aug 20 18:01:04 nas tailscaled[812]: Switching ipn state Starting -> Running (WantRunning=true, nm=true)
Aug 20 18:01:04 nas tailscaled[812]: wgengine: Reconfig: configuring userspace wireguard config (with 2/5 peers)
"""

TAILSCALED_V098_PORT_TAKEN = """\
2020/05/14 09:12:44 logtail started
2020/05/14 09:12:44 Program starting: v0.98-0, Go 1.14.2: []string{"tailscaled", "--port=41641"}
2020/05/14 09:12:44 LogID: 0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0
2020/05/14 09:12:44 Starting userspace wireguard engine with tun device "tailscale0"
2020/05/14 09:12:44 CreateTUN ok.
2020/05/14 09:12:44 magicsock: bind: udp4/41641: listen udp4 :41641: bind: address already in use
2020/05/14 09:12:44 wgengine.New: listen udp4 :41641: bind: address already in use
"""


def _only_log(document: dict[str, Any]) -> dict[str, Any]:
    (log,) = document["daemon_logs"]
    return log


def test_tailscale_up_against_a_stopped_v098_tailscaled_is_the_service_not_running() -> None:
    assert cli_kinds(UP_V098_NOT_RUNNING) == ["service-not-running"]


def test_tailscale_up_waiting_for_the_admin_to_authorize_the_machine_is_read() -> None:
    document = run_json(UP_V098_MACHINE_AUTH)
    assert document["summary"]["exit_code"] == 1
    rules = {finding["rule"] for finding in document["findings"]}
    assert "TS-STATUS-NOT-RUNNING" in rules, rules


def test_the_v1_status_of_a_machine_not_yet_authorized_is_read_like_not_yet_approved() -> None:
    document = run_json(UP_V1_STATUS_UNAUTHORIZED)
    assert document["summary"]["exit_code"] == 1
    rules = {finding["rule"] for finding in document["findings"]}
    assert "TS-STATUS-NOT-RUNNING" in rules, rules


def test_a_relaynode_start_that_fails_on_its_tun_device() -> None:
    log = _only_log(run_json(RELAYNODE_FAILS))
    assert _kinds(log) == {"crash", "tun-unavailable"}
    assert log["userspace"] is False
    assert log["os"] == "linux"


def test_a_tailscaled_v1_0_start_that_runs() -> None:
    document = run_json(TAILSCALED_V1_0_RUNS)
    log = _only_log(document)
    assert not _kinds(log)
    assert log["version"] == "1.0.5"
    assert log["state"] == "Running"
    assert log["home_derp"]["id"] == "1"
    assert log["userspace"] is False
    assert document["summary"]["exit_code"] == 0


def test_a_v098_tailscaled_whose_port_is_taken() -> None:
    log = _only_log(run_json(TAILSCALED_V098_PORT_TAKEN))
    assert _kinds(log) - {"hand-started"} == {"crash", "port-in-use"}
    assert log["version"] == "0.98"


WINDOWS_V1_2_ENGINE_LATE = """\
2021-02-01T08:00:03.120-08:00: logtail started
2021-02-01T08:00:03.121-08:00: Program starting: v1.2.10-tdb8ba5da2-g7a4f4f2c2, Go 1.15.6: \
[]string{"C:\\\\Program Files (x86)\\\\Tailscale IPN\\\\tailscaled.exe"}
2021-02-01T08:00:04.310-08:00: ipnserver: initial getEngine call: CreateTUN: Error creating interface: The device is \
not ready.
2021-02-01T08:00:09.002-08:00: ipnserver: try1: trying getEngine again...
2021-02-01T08:00:10.415-08:00: 1: GetEngine worked; exiting failure loop
"""


def test_a_v1_2_windows_engine_that_comes_up_on_a_retry_is_no_tun_failure() -> None:
    # v1.2.0:ipn/ipnserver/server.go:415-432: the service retries its engine on each client connection
    log = _only_log(run_json(WINDOWS_V1_2_ENGINE_LATE))
    assert not _kinds(log), log["issues"]
    assert log["os"] == "windows"
    assert log["version"] == "1.2.10"
    failed = WINDOWS_V1_2_ENGINE_LATE.rsplit("\n", 2)[0] + "\n"
    assert _kinds(_only_log(run_json(failed))) == {"tun-unavailable"}


# v0.98.0:cmd/tailscale/netcheck.go:39-63: latencies keyed by the region's STUN servers (IPv4 and IPv6), the nearest
# region by ID and city (derp/derpmap/derpmap.go's Geo), tabs before the bullets.
NETCHECK_V098 = """\
$ tailscale netcheck

Report:
\t* UDP: true
\t* IPv4: yes, 203.0.113.7:41641
\t* IPv6: yes, [2001:db8::7]:41641
\t* MappingVariesByDestIP: false
\t* HairPinning: false
\t* Nearest DERP: 2 (San Francisco)
\t* DERP latency:
\t\t- derp1-v6.tailscale.com:3478 = 80.1ms
\t\t- derp1.tailscale.com:3478 = 78.2ms
\t\t- derp2.tailscale.com:3478 = 11.9ms
\t\t- derp3.tailscale.com:3478 = 180.5ms
\t\t- derp4.tailscale.com:3478 = 150.1ms
"""


def test_the_v098_netcheck_layout_is_read_whole() -> None:
    document = run_json(NETCHECK_V098)
    (node,) = document["nodes"]
    assert node["layout"] == "text v0.98"
    assert node["derp_home_region"] == {"code": "sfo", "name": "San Francisco"}
    assert [(d["code"], d["latency_ms"]) for d in node["derp_latencies"]] == [
        ("nyc", 78.2),
        ("sfo", 11.9),
        ("sin", 180.5),
        ("fra", 150.1),
    ]
    assert node["mapping"] == "easy"
    assert not document["warnings"]


# v1.14-v1.20 `tailscale status` prints health.go's terse messages under "# Health check:" (v1.6.0:health/health.go:225
# "no map response in %v", :235 "haven't heard from home DERP region %v in %v", v1.8.0:health/health.go:270 "no udp4
# bind"): the advice names what each one is about.
STATUS_V1_20_HEALTH = """\
$ tailscale status
100.101.102.103 nas          alice@       linux   -

# Health check:
#     - no map response in 5m0s
#     - haven't heard from home DERP region 1 in 2m10s
#     - no udp4 bind
"""


def test_the_v1_20_status_health_items_get_their_own_advice() -> None:
    document = run_json(STATUS_V1_20_HEALTH)
    (health,) = [finding for finding in document["findings"] if finding["rule"] == "TS-STATUS-HEALTH"]
    assert "'no map response in …'" in health["fix"]
    assert "'no udp4 bind'" in health["fix"]
    assert "home DERP region" in health["fix"]
