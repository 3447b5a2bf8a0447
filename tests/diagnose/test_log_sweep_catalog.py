"""Catalog test: what the coverage sweep of tailscaled's source (tests/diagnose/log_sweep.py) found unread.

The sweep lists every log call carrying an error or failure in the directories tailscaled's messages come from
(tailscale/tailscale at de9ec7ee2, v1.103.0-pre, and the v1.20.0, v1.40.0, v1.60.0 wordings HEAD dropped; the extracts
are tests/diagnose/samples/log_sweep/*.tsv) and measures what opskit reads of each. This table holds the ones an
expert reads as a failure that no recogniser named (each with the issue of the vocabulary that is its concept), and
routine ones that must stay silent (a fallback, a retry, a cleanup of what is not there, a debug-level line). Each
entry is run under the shared line prefixes (journald, Go log stamp, container, syslog, macOS, Windows); the source
column is `file:line` at HEAD (or `<tag>:file:line`) and the versions that print the wording (`git log -S`).
"""

from __future__ import annotations

import re

import pytest

from tests.diagnose.log_catalog import (
    LOG_PREFIXES,
    Entry,
    catalog_test,
    entries_read_right,
    entry,
    read,
    rotating_cases,
)
from tests.diagnose.log_sweep import EXTRACTS

PREFIXES = LOG_PREFIXES
NOT_PROBLEMS = frozenset(("log-upload-failing",))
_e = entry

_IP = "100.101.102.103"

CATALOG: list[Entry] = [
    # ------------------------------------------------------------ tailscaled exits on what it cannot start
    _e(
        "proxy listener: listen tcp 127.0.0.1:1055: bind: address already in use",
        "crash",
        "cmd/tailscaled/proxy.go:54 log.Fatalf (v1.20+)",
    ),
    _e(
        "runservice: The service process could not connect to the service controller.",
        "crash",
        "cmd/tailscaled/tailscaled.go:503 (Windows service, v1.6+)",
    ),
    _e(
        "runservice: Access is denied.",
        "crash",
        "cmd/tailscaled/tailscaled.go:503 (Windows service, v1.6+)",
    ),
    # the Windows killswitch helper (tailscaled /firewall <GUID>) cannot find Tailscale's adapter: no firewall rules
    _e(
        'no interface with GUID "{37217669-42DA-4657-A55B-0D995D328250}": Element not found.',
        "firewall-failed",
        "cmd/tailscaled/tailscaled_windows.go:369 log.Fatalf (v1.6+)",
    ),
    _e(
        'invalid GUID "{37217669}": invalid GUID string',
        "firewall-failed",
        "cmd/tailscaled/tailscaled_windows.go:364 log.Fatalf (v1.6+)",
    ),
    # ------------------------------------------------------------ a server certificate no root verifies
    _e(
        'tlsdial: error: server cert for "controlplane.tailscale.com" failed both system roots & Let\'s Encrypt root '
        "validation",
        "tls-intercepted",
        "net/tlsdial/tlsdial.go:214 (v1.86+)",
    ),
    _e(
        'tlsdial: error: server cert for "log.tailscale.com" failed system roots, extra roots & Let\'s Encrypt root '
        "validation",
        "tls-intercepted",
        "net/tlsdial/tlsdial.go:212 (v1.98+, Android with user CAs)",
    ),
    _e(
        'tlsdial: error: server cert for "derp1f.tailscale.com" failed to verify and is not a Let\'s Encrypt cert',
        "tls-intercepted",
        "v1.40.0:net/tlsdial/tlsdial.go (v1.36-v1.84)",
    ),
    # ------------------------------------------------------------ a granted SSH session tailscaled cannot start
    _e(
        'ssh-session(sess-20250404T101500-8f3a91c2d4): can\'t switch to user "alice" from process euid 1000',
        "ssh-failed",
        "ssh/tailssh/tailssh.go:1044 (v1.22+, tailscaled not run as root)",
    ),
    # ------------------------------------------------------------ macOS: no upstream nameserver to forward to
    _e(
        "dns: no nameservers found in /etc/resolv.conf, DNS resolution might fail",
        "dns-forward-failing",
        "net/dns/manager_darwin.go:250 (v1.74+)",
    ),
    _e(
        "no nameservers found in /etc/resolv.conf, DNS resolution might fail",
        "dns-forward-failing",
        "net/dns/manager_darwin.go:250 (v1.74+, the OS configurator's own logger)",
    ),
    # ------------------------------------------------------------ routine: must raise nothing
    # systemd-resolved's best-effort link settings on an older resolved (net/dns/resolved.go: "resolved should do the
    # right thing if these fail")
    _e(
        "dns: [v1] failed to disable DoT: Unknown method SetLinkDNSOverTLS or interface org.freedesktop.resolve1.Link.",
        "none",
        "net/dns/resolved.go:368 (v1.2x+)",
    ),
    _e(
        "dns: [v1] failed to set SetLinkDefaultRoute: Unknown method SetLinkDefaultRoute or interface "
        "org.freedesktop.resolve1.Link.",
        "none",
        "net/dns/resolved.go:341 (systemd 237)",
    ),
    _e(
        "dns: [v1] failed to disable mdns: Unknown method SetLinkMulticastDNS or interface "
        "org.freedesktop.resolve1.Link.",
        "none",
        "net/dns/resolved.go:358",
    ),
    _e("dns: [v1] failed to disable DNSSEC: Invalid DNSSEC setting: no", "none", "net/dns/resolved.go:364"),
    # the PeerAPI's address is not on an interface yet: it listens again on the next link change (read as harmless
    # by the experts of two public pastes)
    _e(
        f'[unexpected] peerapi listen("{_IP}") error: listen tcp4 {_IP}:0: bind: cannot assign requested address',
        "none",
        "ipn/ipnlocal/local.go:6464 (v1.8+)",
    ),
    _e(
        f'[v1] possibly transient peerapi listen("{_IP}") error, will try again on linkChange: listen tcp4 {_IP}:0: '
        "bind: cannot assign requested address",
        "none",
        "ipn/ipnlocal/local.go:6454 (v1.8+)",
    ),
    _e(
        f"peerapi: failed to do peerAPI listen, harmless (netstack available) but error was: listen tcp4 {_IP}:0: "
        "bind: cannot assign requested address",
        "none",
        "ipn/ipnlocal/peerapi.go:123 (v1.10+)",
    ),
    _e(
        "cannot fetch existing TKA state; no state directory for tailnet-lock",
        "none",
        "ipn/ipnlocal/tailnet-lock.go:92",
    ),
    _e(
        "portmapper: failed to get PCP mapping: PCP response not ok, code=8", "none", "net/portmapper/portmapper.go:760"
    ),
    _e("portmapper: fallback to UPnP due to no PCP and PMP failed", "none", "net/portmapper/portmapper.go:668"),
    _e(
        'portmapper: addAnyPortMapping: 41641, err="SOAP fault: ConflictInMappingEntry"',
        "none",
        "net/portmapper/upnp.go:634",
    ),
    _e(
        'portmapper: getUPnPClient: *url.Error, Get "http://192.168.1.1:5000/rootDesc.xml": context deadline exceeded',
        "none",
        "v1.40.0:net/portmapper/upnp.go:280 (v1.3x-v1.5x)",
    ),
    _e(
        "linuxfw: clear iptables: running [/usr/sbin/iptables -t filter -S ts-input]: exit status 1: iptables: No "
        "chain/target/match by that name.",
        "none",
        "util/linuxfw/iptables.go:192 (start-up cleanup)",
    ),
    _e(
        'iptables not found: exec: "iptables": executable file not found in $PATH; falling back to nftables',
        "none",
        "util/linuxfw/detector.go:50",
    ),
    _e("cleanup: did not find default chain: chain not found", "none", "util/linuxfw/nftables_runner.go:2395"),
    _e(
        "[unexpected] listing nat chains failed, but /proc/net/ip6_tables_name reports a nat table existing",
        "none",
        "util/linuxfw/iptables.go:167",
    ),
    _e("router: failed to delete legacy rule, continuing anyway: exit status 2", "none", "v1.20.0:wgengine/router"),
    _e(
        "router: warning: tried to delete route 100.64.0.0/10 but it was already gone; ignoring error",
        "none",
        "wgengine/router/osrouter/router_linux.go:1329",
    ),
    _e(
        "monitor: monitor_linux: AF_NETLINK RTMGRP failed, falling back to polling",
        "none",
        "net/netmon/netmon_linux.go:71",
    ),
    _e(
        "devd dial error: dial unixgram /var/run/devd.seqpacket.pipe: connect: no such file or directory, falling "
        "back to polling method",
        "none",
        "v1.20.0:wgengine/monitor/monitor_freebsd.go:31",
    ),
    _e(
        "controlhttp: failed dialing using DialPlan, falling back to DNS; errs=context deadline exceeded",
        "none",
        "control/controlhttp/client.go:163",
    ),
    _e(
        "dns: ignoring SetDNS permission error on Synology (Issue 4017); was: open /etc/resolv.conf: permission denied",
        "none",
        "net/dns/direct.go:384",
    ),
    _e(
        'dns: rename of "/etc/resolv.conf.tmp" to "/etc/resolv.conf" failed (rename /etc/resolv.conf.tmp '
        "/etc/resolv.conf: device or resource busy), falling back to copy+delete",
        "none",
        "net/dns/direct.go:291 (a Docker bind-mounted resolv.conf)",
    ),
    _e(
        "tstun: disabled TUN TCP & UDP GRO due to GRO probe error: operation not supported",
        "none",
        "net/tstun/wrap_linux.go:44",
    ),
    _e(
        "magicsock: [warning] failed to force-set UDP read buffer size to 7340032: operation not permitted; using "
        "kernel default values (impacts throughput only)",
        "none",
        "wgengine/magicsock/magicsock.go (v1.60+)",
    ),
    _e(
        "magicsock: Rebind ignoring IPv6 bind failure: listen udp6 :41641: socket: address family not supported by "
        "protocol",
        "none",
        "wgengine/magicsock/magicsock.go:3818",
    ),
    _e(
        "magicsock: ignoring IPv6 bind failure: listen udp6 :41641: socket: address family not supported by protocol",
        "none",
        "v1.20.0:wgengine/magicsock/magicsock.go:2786",
    ),
    _e("netcheck: hairCheck timeout", "none", "v1.20.0:net/netcheck/netcheck.go:619 (v1.0-v1.6x)"),
    _e(
        'netcheck: [v1] checkCaptivePortal: Get "http://controlplane.tailscale.com/generate_204": context deadline '
        "exceeded",
        "none",
        "v1.40.0:net/netcheck/netcheck.go:978",
    ),
    _e(
        "acme: ARI check failed: 404 Not Found; falling back to expiry-based check",
        "none",
        "v1.60.0:ipn/ipnlocal/cert.go:142",
    ),
    _e(
        "warning: error reading host key /var/lib/tailscale/ssh/ssh_host_ed25519_key: open "
        "/var/lib/tailscale/ssh/ssh_host_ed25519_key: no such file or directory (generating one instead)",
        "none",
        "v1.40.0:ipn/ipnlocal/ssh.go:205",
    ),
    _e(
        'error querying OpenWrt installed packages with opkg: exec: "opkg": executable file not found in $PATH',
        "none",
        "net/tstun/tun_linux.go:108",
    ),
    _e(
        "failed to log out ephemeral node on shutdown after 5s: context deadline exceeded",
        "none",
        "ipn/ipnlocal/local.go:1330 (control removes it anyway)",
    ),
    _e("dns: inotify: too many open files", "none", "net/dns/direct.go:500 (watching resolv.conf)"),
    # ---------------------------------------------------------- blind 25: resolved chosen but absent, certificates
    # dnsMode asks resolved for its ResolvConfMode only after choosing the systemd-resolved manager: resolved
    # missing on D-Bus means that manager has nothing to configure; an older systemd without the property is harmless
    _e(
        (
            "dns: ResolvConfMode error: Unit dbus-org.freedesktop.resolve1.service not found.",
            "dns: [rc=nm resolved=nss nm-resolved=yes nm-safe=no resolv-conf-mode=error ret=systemd-resolved]",
            'dns: using "systemd-resolved" mode',
        ),
        "dns-config-failed",
        "net/dns/manager_linux.go:160 (v1.2x+, unchanged since)",
    ),
    _e(
        "dns: ResolvConfMode error: The name org.freedesktop.resolve1 was not provided by any .service files",
        "dns-config-failed",
        "net/dns/manager_linux.go:160 (v1.2x+, unchanged since)",
    ),
    _e(
        (
            "dns: ResolvConfMode error: Unknown property or interface.",
            "dns: [rc=resolved nm=no resolv-conf-mode=error ret=systemd-resolved]",
        ),
        "none",
        "net/dns/manager_linux.go:160 (systemd before 246 has no ResolvConfMode property)",
    ),
    _e(
        "getCertPEM: 429 urn:ietf:params:acme:error:rateLimited: Error creating new order :: too many certificates "
        "(5) already issued for this exact set of domains in the last 168 hours: nas.tail0c1d2.ts.net",
        "cert-failed",
        'v1.50.0:ipn/ipnlocal/cert.go:127 (quoted without its cert("…") prefix)',
    ),
]


test_each_sweep_message_reads_as_an_expert_reads_it = catalog_test(rotating_cases(CATALOG, PREFIXES, NOT_PROBLEMS))


_HEAD_SOURCE = re.compile(r"^(?P<path>[\w/.-]+\.go):(?P<line>\d+)\b")


@pytest.mark.parametrize("item", [e for e in CATALOG if _HEAD_SOURCE.match(e[2])], ids=lambda e: e[2].split()[0])
def test_each_head_source_is_a_line_of_the_sweep_extract(item: Entry) -> None:
    """A HEAD `file:line` the table cites is a log call the sweep extracted (the extract and the table agree)."""
    extract = (EXTRACTS / "head.tsv").read_text(encoding="utf-8")
    cited = item[2].split()[0]
    assert f"\t{cited}\t" in extract, cited


def catalog_score() -> tuple[int, int]:
    """(entries read right under every prefix, entries): the figure reported before and after a change."""
    return entries_read_right(CATALOG, PREFIXES, NOT_PROBLEMS), len(CATALOG)


_CLOCK = (
    'tlsdial: error: server cert for "log.tailscale.com" failed to verify and is not a Let\'s Encrypt cert',
    'logtail: upload: log upload of 9842 bytes compressed failed: Post "https://log.tailscale.com/c/tailnode.log.'
    'tailscale.io/88a2": x509: certificate has expired or is not yet valid: current time 1970-01-01T00:08:58Z is '
    "before 2025-08-13T15:09:16Z",
    'tlsdial: error: server cert for "controlplane.tailscale.com" failed both system roots & Let\'s Encrypt root '
    "validation",
)


@pytest.mark.parametrize("prefix", PREFIXES[1:4])
def test_a_root_validation_failure_beside_a_wrong_clock_is_the_clock_not_interception(prefix: str) -> None:
    kinds, _ = read(prefix, _CLOCK)
    assert "clock-skew" in kinds
    assert "tls-intercepted" not in kinds


def test_an_ssh_session_tailscaled_cannot_switch_to_gets_the_run_as_root_fix() -> None:
    from tests.diagnose.conftest import run_json
    from tests.diagnose.log_catalog import paste

    message = 'ssh-session(sess-20250404T101500-8f3a91c2d4): can\'t switch to user "alice" from process euid 1000'
    findings = run_json(paste(PREFIXES[1], (message,)))["findings"]
    assert [f["rule"] for f in findings] == ["TS-LOG-SSH-FAILED"]
    assert "does not run as root" in findings[0]["cause"]
    assert findings[0]["fix"].startswith("Run tailscaled as root")
