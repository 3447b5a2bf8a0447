"""The host-integration catalog: tailscaled's log messages from the subsystems that set the node up on its OS
(wgengine/router + osrouter, util/linuxfw, net/tstun, wgengine/netstack, net/dns and its OS configurators,
ipn/store + feature/tpm + logpolicy, cmd/tailscaled's own start-up and fatal exits), read from Tailscale's
source (tailscale/tailscale at de9ec7ee2, 2026-08-22, and the tags back to v1.0) before anyone pasted them.

Each entry is one message as tailscaled logs it, with realistic values, the issue an expert reads from it
("none": a routine line that must raise nothing) and where it comes from (file:line at HEAD or the tag, and
the versions that print that wording). Every entry is read under the prefixes people paste it with (journald,
a Go log stamp, a container's stamp, the Windows service log, syslog) after one healthy line.
"""

from __future__ import annotations

import pytest

from tests.diagnose.test_daemon_log import _kinds, _log

# the prefixes the catalog is read under: journald, a bare Go log stamp, a container runtime's stamp before
# Go's, the Windows service log's RFC 3339 stamp, OpenWrt's syslog with Go's stamp inside
HOST_PREFIXES = (
    "Nov 13 02:07:34 host tailscaled[11844]: {msg}",
    "2024/01/12 10:41:06 {msg}",
    "2024-04-30T03:52:44.875476938-04:00 2024/04/30 07:52:44 {msg}",
    "2021-06-15T16:01:48.840-07:00: {msg}",
    "Thu Oct 17 18:02:08 2024 daemon.err tailscaled[5930]: 2024/10/17 10:02:08 {msg}",
)
HEALTHY_FIRST = "magicsock: derp-4 connected; connGen=1"
HAND_PREFIXES = ("2024/01/12 10:41:06 {msg}", "2024-04-30T03:52:44.875476938-04:00 2024/04/30 07:52:44 {msg}")

_IPT = "running [/usr/sbin/iptables -t filter -N ts-input --wait]: exit status 4: iptables v1.8.7 (nf_tables)"
_IPT_ERR = f"{_IPT}: Could not fetch rule set generation id: Permission denied (you must be root)"

# (message, expected kind or "none", source and versions)
CATALOG: tuple[tuple[str, str, str], ...] = (
    # ------------------------------------------------------------------ wgengine/router, util/linuxfw (Linux)
    (f"router: setting netfilter mode: could not set up netfilter: {_IPT_ERR}", "firewall-failed",
     "router_linux.go setNetfilterMode, v1.0-"),
    (f"wgengine: Reconfig: router config failed (setting up netfilter: {_IPT_ERR}); continuing to DNS config so "
     "name resolution still works", "firewall-failed", "wgengine/userspace.go:908, v1.92- (#20488)"),
    ('wgengine.NewUserspaceEngine(tun "tailscale0") error: creating router: could not create new netfilter: '
     "netlink receive: operation not permitted", "firewall-failed", "cmd/tailscaled/tailscaled.go:856, v1.50-"),
    ('wgengine.NewUserspaceEngine(tun "tailscale0") error: router.Up: setting netfilter mode: exit status 1',
     "firewall-failed", "wgengine/userspace.go:557, v1.24-"),
    ("router: route add failed: route add 100.100.100.100/32 dev tailscale0 table 52: file exists", "firewall-failed",
     "router_linux.go:1880 '%s add failed', v1.0-"),
    ("router: addr add failed: addr add 100.101.102.103/32 dev tailscale0: permission denied", "firewall-failed",
     "router_linux.go:1880, v1.0-"),
    ("router: error querying IP rules (does kernel have IP_MULTIPLE_TABLES?): operation not supported",
     "firewall-failed", "router_linux.go:161, v1.18- (2021-11)"),
    ("router: THROW ERROR adding 10.0.0.0/8: &errors.errorString{s:\"operation not supported\"}", "firewall-failed",
     "router_linux.go:1228, v1.18- (2021-10)"),
    ("router: updateMagicsockPort(port=41641, network=udp4) failed: running [/usr/sbin/iptables -t filter -A "
     "ts-input -p udp --dport 41641 -j ACCEPT --wait]: exit status 4", "firewall-failed",
     "router_linux.go:152, v1.90- (2025-10)"),
    ('running "ip -6 rule add pref 5210 fwmark 0x80000/0xff0000 table main" failed: exit status 2\n'
     "RTNETLINK answers: Address family not supported by protocol", "firewall-failed",
     "wgengine/router/runner.go, v1.0-v1.20"),
    ("router: netfilter running in iptables mode v6 = true, v6filter = true, v6nat = true", "none",
     "util/linuxfw/iptables.go:112, v1.52-"),
    ("router: netfilter running in nftables mode, v6 = true", "none", "util/linuxfw/nftables_runner.go:684, v1.52-"),
    ('router: iptables not found: exec: "iptables": executable file not found in $PATH; falling back to nftables',
     "none", "util/linuxfw/detector.go:50, v1.52-"),
    # (an info since blind batch 40's lead decision: tailscaled runs IPv4-only inside the tailnet, nothing failed)
    ('router: disabling tunneled IPv6 due to missing ip6tables: exec: "ip6tables": executable file not found in '
     "$PATH", "ipv6-tunnel-off", "util/linuxfw/iptables.go:103, v1.0-"),
    ("router: ip6tables filtering is not supported on this host: running [/usr/sbin/ip6tables -S --wait]: exit "
     "status 3", "none", "util/linuxfw/iptables.go:135, v1.52-"),
    ("router: failed to delete legacy rule, continuing anyway: exit status 1", "none", "router_linux.go, v1.0-v1.50"),
    ("router: consolidateRoutes failed, keeping existing routes: invalid prefix", "none",
     "wgengine/router/consolidating_router.go:45, v1.80-"),
    ("router: warning: tried to delete route 10.0.0.0/8 but it was already gone; ignoring error", "none",
     "router_linux.go:1329, v1.0-"),
    ("router: sysctl(net.ipv4.conf.tailscale0.rp_filter=2): ok", "none", "router_linux.go:1404"),
    ("router: linuxfw: clear iptables: exit status 1", "none", "util/linuxfw/iptables.go:192, v1.52-"),
    ("router: cleanup: did not find default chain: no such file or directory", "none",
     "util/linuxfw/nftables_runner.go:2395, v1.52-"),
    # ---------------------------------------------------------------- BSD / OpenBSD routers (ifconfig, route)
    ("router: running ifconfig failed: exit status 1\nifconfig: ioctl (SIOCAIFADDR): File exists",
     "firewall-failed", "router_userspace_bsd.go:96, router_openbsd.go:68, v1.0-"),
    ("router: addr add failed: [ifconfig tailscale0 inet 100.101.102.103/32 100.101.102.103] => exit status 1",
     "firewall-failed", "router_userspace_bsd.go:148, v1.0-"),
    ("router: route add failed: [route -q -n add -inet 100.64.0.0/10 -iface 100.101.102.103]: exit status 1",
     "firewall-failed", "router_openbsd.go:152, v1.0-"),
    ("router: failed to set up bypass rtable: sysctl: operation not permitted", "firewall-failed",
     "router_openbsd.go:259, v1.90-"),
    # ------------------------------------------------------------------------ Windows router and firewall
    ("router: ConfigureInterface: getipif: Element not found.", "firewall-failed",
     "router_windows.go:96, v1.6-"),
    ("router: firewall: error adding Tailscale-In rule to allow 100.64.0.0/10: Access is denied.",
     "firewall-failed", "router_windows.go:336, v1.0-"),
    ("router: firewall: set failed: exit status 1", "firewall-failed", "router_windows.go:264, v1.0-"),
    ("setroutes: syncRoutes: Element not found.", "firewall-failed", "ifconfig_windows.go:456, v1.0-"),
    ("failed to enable firewall: The parameter is incorrect.", "firewall-failed",
     "cmd/tailscaled/tailscaled_windows.go:375 (firewall subprocess), v1.12-"),
    ("failed to update routes (The object already exists.)", "firewall-failed",
     "cmd/tailscaled/tailscaled_windows.go:389, v1.12-"),
    ("setPrivateNetwork(try=3): GetCategory: The RPC server is unavailable.", "health:set-network-category-failed",
     "wgengine/router/osrouter/ifconfig_windows.go:281, v1.0- (the warnable since v1.66)"),
    ("setPrivateNetwork(try=0): not found", "none", "ifconfig_windows.go:289, v1.0- (the adapter not listed yet)"),
    ("router: firewall: added Tailscale-In rule to allow 100.64.0.0/10 in 31.2ms", "none",
     "router_windows.go:339, v1.0-"),
    ("router: firewall: cleared Tailscale-In firewall rules in 71ms", "none", "router_windows.go:298, v1.0-"),
    ("router: monitorDefaultRoutes done after 5.1ms", "none", "router_windows.go:79, v1.0-"),
    # ------------------------------------------------------------------------------------- net/tstun
    ('CreateTUN("tailscale0") failed; /dev/net/tun does not exist', "tun-unavailable", "net/tstun/tun.go, v1.0-"),
    ("is CONFIG_TUN enabled in your kernel? `modprobe tun` failed with: modprobe: FATAL: Module tun not found in "
     "directory /lib/modules/6.1.21-v8+", "tun-unavailable", "net/tstun/tun_linux.go:67, v1.0-"),
    ("failed to create TUN device as non-root user; use 'sudo tailscaled', or run under launchd with 'sudo "
     "tailscaled install-system-daemon'", "tun-unavailable", "net/tstun/tun_macos.go:20, v1.6-"),
    ('failed to create TUN device "tailscale0"; try using tun device "utun" instead for automatic selection',
     "tun-unavailable", "net/tstun/tun_macos.go:23, v1.6-"),
    ("timeout waiting 10s for TUN interface to come up", "tun-unavailable",
     "net/tstun/ifstatus_windows.go:105, v1.6-"),
    ('wgengine.NewUserspaceEngine(tun "Tailscale") error: tstun.New("Tailscale"): Error creating interface: '
     "Cannot create a file when that file already exists.", "tun-unavailable", "cmd/tailscaled/tailscaled.go:833"),
    ('tailscaled: engine fetch error (try 3) in 1.2s (total 4.5s, sysUptime 12s): tstun.New("Tailscale"): '
     "Error creating interface: The system cannot find the file specified.", "tun-unavailable",
     "cmd/tailscaled/tailscaled_windows.go, v1.8-v1.34"),
    # net/tstun/tun_linux.go diagnoseLinuxTUNFailure, run only after CreateTUN failed (v1.0-; OpenWrt packages v1.60-)
    ("TUN device tailscale0 is busy; another process probably still has it open (from old version of Tailscale "
     "that had a bug)", "tun-unavailable", "net/tstun/tun_linux.go:32, v1.0-"),
    ("tun module loaded in kernel, but /dev/net/tun does not exist", "tun-unavailable",
     "net/tstun/tun_linux.go:58, v1.0-"),
    ("tun module not loaded nor found on disk", "tun-unavailable", "net/tstun/tun_linux.go:73, v1.0-"),
    ("kernel/drivers/net/tun.ko found on disk, but not for current kernel; are you in middle of a system update "
     "and haven't rebooted? found: /lib/modules/5.10.0-9-amd64/kernel/drivers/net/tun.ko", "tun-unavailable",
     "net/tstun/tun_linux.go:77, v1.0-"),
    ("Missing required package kmod-tun; run: opkg install kmod-tun", "tun-unavailable",
     "net/tstun/tun_linux.go:113, v1.60-"),
    ("no TUN, and failed to look up kernel version: exec: \"uname\": executable file not found in $PATH",
     "tun-unavailable", "net/tstun/tun_linux.go:41, v1.0-"),
    ("'modprobe tun' successful", "none", "net/tstun/tun_linux.go:49, v1.0-"),
    ('created TUN device "tailscale0" after doing `modprobe tun`', "none", "net/tstun/tun.go:68, v1.0-"),
    ('Error pre-loading "C:\\Program Files\\Tailscale\\wintun.dll": The specified module could not be found.',
     "tun-unavailable", "cmd/tailscaled/tailscaled_windows.go:334, v1.54- (no Wintun driver to load)"),
    ("tun: unbound stale interface tailscale0", "none", "net/tstun/tun.go:120"),
    ("TUN interface is up after 312ms", "none", "net/tstun/ifstatus_windows.go:92, v1.6-"),
    ("Linux kernel version: 6.1.21-v8+", "none", "net/tstun/tun_linux.go"),
    # ----------------------------------------------------------------------------- wgengine/netstack
    ("netstack: could not connect to local backend server at 10.0.0.5:22: dial tcp 10.0.0.5:22: connect: no "
     "route to host", "netstack-forward-unreachable", "wgengine/netstack/netstack.go:1784, v1.60-"),
    ("netstack: could not connect to local server at 192.168.1.20:443: dial tcp 192.168.1.20:443: connect: "
     "connection refused", "destination-refused", "wgengine/netstack/netstack.go, v1.2-v1.58"),
    ("netstack: could not create UDP socket, preventing forwarding to 10.0.0.5:53: listen udp4 0.0.0.0:0: socket: "
     "too many open files", "netstack-forward-unreachable", "wgengine/netstack/netstack.go:2105, v1.4-"),
    ("write packet to 10.0.0.5:53 failed: write udp 0.0.0.0:41234->10.0.0.5:53: sendto: network is unreachable",
     "netstack-forward-unreachable", "wgengine/netstack/netstack.go:2181 startPacketCopy, v1.4-"),
    ("netstack: UDP session between 100.101.102.103:53 and 192.168.1.1:53 timed out", "none",
     "wgengine/netstack/netstack.go:2137, v1.4-"),
    ("netstack: could not bind local port 53: listen udp4 100.101.102.103:53: bind: address already in use, "
     "trying again with random port", "none", "wgengine/netstack/netstack.go:2101, v1.10-"),
    # --------------------------------------------------------------------------- the WireGuard UDP port
    ("magicsock: unable to bind udp4 port 41641: listen udp4 :41641: bind: address already in use", "port-in-use",
     "wgengine/magicsock/magicsock.go:3764, v1.8-"),
    ("magicsock: bind: default port udp4/41641 unavailable; picking random", "port-in-use",
     "wgengine/magicsock/magicsock.go:2247, v1.0-v1.6"),
    ("magicsock: bind(udp4/41641): listen udp4 :41641: bind: address already in use", "port-in-use",
     "wgengine/magicsock/magicsock.go:2254, v1.0-v1.6"),
    ("magicsock: ignoring IPv6 bind failure: listen udp6 :41641: socket: address family not supported by protocol",
     "none", "wgengine/magicsock/magicsock.go:2224, v1.0-v1.6"),
    ('wgengine.NewUserspaceEngine(tun "userspace-networking") ...', "none", "cmd/tailscaled/tailscaled.go:758"),
    ("failed to start netstack: could not create netstack NIC: duplicate nic id", "crash",
     "cmd/tailscaled/tailscaled.go:736, v1.4-"),
    # ------------------------------------------------------------------- net/dns: OS configurators
    ("dns: error setting DNS config: setLinkDNS: Unit dbus-org.freedesktop.resolve1.service not found.",
     "dns-config-failed", "net/dns/manager.go:119, v1.94- (2025-12)"),
    ("dns: failed to configure resolved: setLinkDNS: The name org.freedesktop.resolve1 was not provided by any "
     ".service files", "dns-config-failed", "net/dns/resolved.go:119, v1.40-"),
    ("failed to configure systemd-resolved: dbus: connection closed by user", "dns-config-failed",
     "net/dns/resolved.go:252, v1.8-"),
    ("dns: dbus connection error: dial unix /var/run/dbus/system_bus_socket: connect: no such file or directory",
     "dns-config-failed", "net/dns/resolved.go:145, v1.30-"),
    ("dns: restart of systemd-resolved failed: exit status 1", "dns-config-failed",
     "net/dns/direct.go:612, v1.20-"),
    ("dns: error restarting resolved after 2.5s: exit status 5", "dns-config-failed", "net/dns/direct.go:434"),
    ("dns: error running command resolvconf -m 0 -x -a tailscale stderr=\"resolvconf: signature mismatch: "
     "/etc/resolv.conf\" exitCode=1: exit status 1", "dns-config-failed", "net/dns/openresolv.go:39, v1.62-"),
    ("wgengine: error setting DNS config after major link change: running resolvconf -m 0 -x -a tailscale: "
     "exit status 1", "dns-config-failed", "wgengine/userspace.go:1187, v1.12-"),
    ('wgengine.NewUserspaceEngine(tun "tailscale0") error: dns.NewOSConfigurator: tailscaled was built without '
     'DNS "resolved" support', "dns-config-failed", "cmd/tailscaled/tailscaled.go:863 + net/dns/manager_linux.go"
     ":109, v1.88-"),
    ("dns: Error deleting NRPT rule key \"{6ee2b6a4-2c3f-4f10-9ad6-2f6d4d0a1b2c}\": Access is denied.",
     "dns-config-failed", "net/dns/nrpt_windows.go:170, v1.14-"),
    ("dns: Split DNS unsupported on this Windows version", "dns-config-failed",
     "net/dns/manager_windows.go:174, v1.26-"),
    ("dns: resolvedIsActuallyResolver error: resolv.conf doesn't point to systemd-resolved; points to "
     "[192.168.1.1]", "none", "net/dns/manager_linux.go:198, v1.10-"),
    ("dns: ResolvConfMode error: reading /etc/resolv.conf: open /etc/resolv.conf: no such file or directory",
     "none", "net/dns/manager_linux.go:160"),
    ('dns: rename of "/etc/resolv.conf" to "/etc/resolv.pre-tailscale-backup.conf" failed (invalid cross-device '
     "link), falling back to copy+delete", "none", "net/dns/direct.go:291, v1.8-"),
    ("dns: ignoring SetDNS permission error on Synology (Issue 4017); was: open /etc/resolv.conf: permission "
     "denied", "none", "net/dns/direct.go:384, v1.24-"),
    # cmd/tailscaled hands NewOSConfigurator its logger without "dns: ": the resolv.conf manager's own lines
    # come unprefixed (blind 18: 921)
    ('rename of "/etc/resolv.conf" to "/etc/resolv.pre-tailscale-backup.conf" failed (rename /etc/resolv.conf '
     "/etc/resolv.pre-tailscale-backup.conf: device or resource busy), falling back to copy+delete", "none",
     "net/dns/direct.go:291, v1.8-"),
    ("trample: resolv.conf changed from what we expected. did some other program interfere? current contents: "
     '"nameserver 1.1.1.1\\n"', "none", "net/dns/direct.go:551, v1.36-"),
    ("restart of systemd-resolved failed: exit status 1", "none", "net/dns/direct.go:612"),
    ("dns: Set: {DefaultResolvers:[] Routes:{} SearchDomains:[] Hosts:3}", "none", "net/dns/manager.go:192"),
    ("dns: OScfg: {Nameservers:[100.100.100.100] SearchDomains:[tail1234.ts.net] MatchDomains:[]}", "none",
     "net/dns/manager.go:207"),
    ('dns: using "systemd-resolved" mode', "none", "net/dns/manager_linux.go"),
    ("dns: nrptRuleDatabase using group policy: false, was false", "none", "net/dns/nrpt_windows.go:99, v1.26-"),
    ("dns: ran ipconfig /flushdns in 212ms", "none", "net/dns/manager_windows.go:527"),
    # ------------------------------------------------------------------- net/dns/resolver/forwarder.go
    ("dns: resolver: forward: sendUDP: response code indicating server failure: 2", "dns-forward-failing",
     "net/dns/resolver/forwarder.go:848, v1.30-"),
    ("dns: resolver: forward: no upstream resolvers set, returning SERVFAIL", "dns-forward-failing",
     "net/dns/resolver/forwarder.go:1248, v1.36-"),
    ("dns: resolver: forward: ListenPacket failed: listen udp4 :0: socket: too many open files",
     "dns-forward-failing", "net/dns/resolver/forwarder.go:908, v1.8-"),
    ("dns: resolver: forward: DoH error from 45.90.28.0: Post \"https://dns.nextdns.io/abc123\": context deadline "
     "exceeded", "dns-forward-failing", "net/dns/resolver/forwarder.go, v1.12-v1.24"),
    ("tsdns: error: forward: dial udp 192.168.1.1:53: connect: network is unreachable", "dns-forward-failing",
     "wgengine/userspace.go, v1.0-v1.4"),
    # --------------------------------------------------------------------- ipn/store, feature/tpm, logpolicy
    ("getLocalBackend error: store.New: open /var/lib/tailscale/tailscaled.state: permission denied",
     "state-unwritable", "cmd/tailscaled/tailscaled.go:701, v1.0-"),
    ("store.New failed: newTPMStore(\"/var/lib/tailscale/tailscaled.state\"): failed to unseal state file: "
     "tpm2.Unseal: TPM_RC_AUTH_FAIL; starting with in-memory store with a health warning", "state-unwritable",
     "cmd/tailscaled/tailscaled.go:703, v1.88-"),
    ("failed to create state directory: mkdir /data/tailscale: read-only file system", "state-unwritable",
     "cmd/tailscaled/tailscaled.go:303, v1.20-"),
    ("failed to create state directory: mkdir /config/tailscale/state: no such file or directory",
     "state-unwritable", "cmd/tailscaled/tailscaled.go:303, v1.20-"),
    ("getLocalBackend error: store.New: creating state directory: mkdir /var/lib/tailscale: permission denied",
     "state-unwritable", "ipn/store/stores.go:161, v1.26-"),
    ("getLocalBackend error: store.New: error loading state from kube Secret: secrets \"ts-state\" is "
     "forbidden: User \"system:serviceaccount:default:tailscale\" cannot get resource \"secrets\"",
     "state-unwritable", "ipn/store/kubestore/store_kube.go:146, v1.78-"),
    ("store.New: unable to parse the ARN correctly: arn: invalid prefix", "state-unwritable",
     "ipn/store/awsstore/store_aws.go:154, v1.12-"),
    ("kubestore: error creating tailscaled state Event: events is forbidden", "none",
     "ipn/store/kubestore/store_kube.go:452, v1.80-"),
    ("logpolicy.Config.Save for /var/lib/tailscale/tailscaled.log.conf: open /var/lib/tailscale/"
     "tailscaled.log.conf.tmp: read-only file system", "state-unwritable", "logpolicy/logpolicy.go:632, v1.0-"),
    ('pm: WriteState("_machinekey"): open /var/lib/tailscale/tailscaled.state.tmp: read-only file system',
     "state-unwritable", "ipn/ipnlocal/profiles.go:568, v1.34-"),
    ('pm: WriteState("profile-3f2a"): error patching Secret ts-0: secrets "ts-0" is forbidden: User '
     '"system:serviceaccount:tailscale:ts" cannot patch resource "secrets"', "state-unwritable",
     "ipn/ipnlocal/profiles.go:568 + ipn/store/kubestore/store_kube.go:508, v1.78-"),
    ('pm: WriteState("_profiles"): write /data/x.tmp: no space left on device', "state-unwritable",
     "ipn/ipnlocal/profiles.go:568, v1.34-"),
    ("getLocalBackend error: calling ReadState on state store: failed to unseal state file: tpm2.Unseal: "
     "TPM_RC_POLICY_FAIL", "state-unwritable", "ipn/ipnlocal/profiles.go:907, v1.34-"),
    ('store.NewFileStore("/var/lib/tailscale/tailscaled.state"): file empty; treating it like a missing file '
     "[warning]", "none", "ipn/store/stores.go:169, v1.12-"),
    ('migrated "/var/lib/tailscale/tailscaled.state" from plaintext to TPM-sealed format', "none",
     "ipn/store/stores.go:342, v1.86-"),
    ("logpolicy.ConfigFromFile /var/lib/tailscale/tailscaled.log.conf: open /var/lib/tailscale/tailscaled.log.conf: "
     "no such file or directory", "none", "logpolicy/logpolicy.go:626, v1.0- (a first start)"),
    ('logpolicy.Config.Validate for /var/lib/tailscale/tailscaled.log.conf: config collection "x" does not match '
     '"tailnode.log.tailscale.io"', "none", "logpolicy/logpolicy.go:629, v1.0-"),
    ("Unable to create /tmp directory for log storage: mkdir /tmp: read-only file system", "none",
     "logpolicy/logpolicy.go:742, v1.26- (the log buffer, not the state)"),
    ("filch failed: open /var/cache/tailscale/tailscaled.log1.txt: permission denied", "none",
     "logpolicy/logpolicy.go:754, v1.0- (the log buffer, not the state)"),
    ('logpolicy: invalid TS_LOG_TARGET "ftp://x": unsupported scheme; using default log host', "none",
     "logpolicy/logpolicy.go:663, v1.36-"),
    ("kube store: error updating Secret after stripping AttestationKey: secrets \"ts-0\" is forbidden",
     "state-unwritable", "ipn/store/kubestore/store_kube.go:608, v1.88-"),
    ('logpolicy: using $STATE_DIRECTORY, "/var/lib/tailscale"', "none", "logpolicy/logpolicy.go"),
    # ------------------------------------------- the router's and DNS's errors as ipnlocal logs them (v1.0-)
    # ipn/ipnlocal authReconfig (v1.0: "authReconfig: ra=%v dns=%v 0x%02x: %v", "[v1] " before it since v1.8)
    ("authReconfig: ra=true dns=true 0x02: adding [-i tailscale0 -j MARK --set-mark 0x40000] in v4/filter/"
     "ts-forward: running [iptables -t filter -A ts-forward -i tailscale0 -j MARK --set-mark 0x40000 --wait]: "
     "exit status 1: iptables: No chain/target/match by that name.", "firewall-failed",
     "ipn/ipnlocal + router_linux.go 'adding %v in v4/filter/ts-forward', v1.0-v1.50"),
    ("[v1] authReconfig: ra=true dns=true 0x02: adding IP rules: kernel doesn't support IPv6 policy routing: "
     "exit status 2", "firewall-failed", "router_linux.go 'kernel doesn't support IPv6 policy routing', v1.8-"),
    ("[v1] authReconfig: ra=true dns=true 0x02: 1 add route failures; first was: route add 10.1.0.0/16 dev "
     "tailscale0 table 52: invalid argument", "firewall-failed", "router_linux.go '%d add %s failures', v1.0-"),
    ("[v1] authReconfig: ra=true dns=true 0x02: adding address \"100.101.102.103/32\" to tunnel interface: "
     "permission denied", "firewall-failed", "router_linux.go 'adding address %q to tunnel interface', v1.0-"),
    ("[v1] authReconfig: ra=false dns=true 0x02: setLinkDNS: Unit dbus-org.freedesktop.resolve1.service not "
     "found.", "dns-config-failed", "net/dns/resolved.go 'setLinkDNS: %w', v1.4-"),
    ("[v1] authReconfig: ra=true dns=true 0x02: running /sbin/resolvconf -a tailscale: resolvconf: Error: "
     "/etc/resolv.conf isn't a symlink, not doing anything.", "dns-config-failed",
     "net/dns/debian_resolvconf.go 'running %s: %s', v1.6-"),
    ("[v1] authReconfig: ra=true dns=true 0x02: getDeviceByIpIface: Object does not exist at path "
     "/org/freedesktop/NetworkManager/Devices/5", "dns-config-failed", "net/dns/nm.go:115, v1.8-"),
    ("[v1] authReconfig: ra=true dns=true 0x02: reapply: Device is not activated", "dns-config-failed",
     "net/dns/nm.go:263, v1.8-"),
    ("wgengine: Reconfig: router config failed (adding IP rules: operation not supported); continuing to DNS "
     "config so name resolution still works", "firewall-failed", "wgengine/userspace.go:908, v1.92-"),
    ('dns: error running command resolvconf -m 0 -x -a tailscale: exec: "resolvconf": executable file not found '
     "in $PATH", "dns-config-failed", "net/dns/openresolv.go:35, v1.62-"),
    ("[v1] authReconfig: ra=true dns=true 0x02: create table: netlink receive: operation not permitted",
     "firewall-failed", "util/linuxfw/nftables_runner.go:940, v1.52-"),
    ("[v1] authReconfig: ra=true dns=true 0x02: create input chain: conn.Receive: netlink receive: invalid "
     "argument", "firewall-failed", "util/linuxfw/nftables_runner.go:948, v1.52-"),
    ("authReconfig: ra=true dns=true 0x02: setting SYSTEM\\CurrentControlSet\\Services\\Tcpip\\Parameters\\"
     "Interfaces\\{c5a7b1a4-1d2e-4f3a-9b8c-7d6e5f4a3b2c}[NameServer]: Access is denied.", "dns-config-failed",
     "wgengine/router/dns/registry_windows.go:50, v1.0-v1.8"),
    ("authReconfig: ra=true dns=true 0x02: RevertLink: Link tailscale0 not known", "dns-config-failed",
     "wgengine/router/dns/resolved.go:184, v1.0-v1.8"),
    ("[v1] authReconfig: ra=true dns=true 0x02: <nil>", "none", "ipn/ipnlocal, v1.8-"),
    ("authReconfig: ra=true dns=true 0x02: <nil>", "none", "ipn/ipnlocal, v1.0-v1.6"),
    ("wgengine: Reconfig: configuring router", "none", "wgengine/userspace.go, v1.0-"),
    # ------------------------------------------------ health warnables these subsystems set (v1.0- / v1.66-)
    ("health(warnable=router): error: setting netfilter mode: could not set up netfilter: exit status 4",
     "firewall-failed", "health SysRouter (SetRouterHealth), v1.66-"),
    ('health("router"): error: adding IP rules: operation not supported', "firewall-failed",
     "health SysRouter, v1.0-v1.64"),
    ('health("dns"): error: setLinkDNS: Unit dbus-org.freedesktop.resolve1.service not found.',
     "dns-config-failed", "health SysDNS, v1.0-v1.64"),
    ("health(warnable=dns-manager): error: getting OS base config: reading /etc/resolv.conf: permission denied",
     "dns-config-failed", "health SysDNSManager (SetDNSManagerHealth), v1.66-"),
    ("health(warnable=dns-manager): error: exit status 1", "dns-config-failed", "health SysDNSManager, v1.66-"),
    # titled "DNS configuration issue" in the source: the same issue the network/control catalog gives it
    ("health(warnable=resolv-conf-relabel-failed): error: Failed to restore the SELinux label on /etc/resolv.conf; "
     "DNS may break when other services manage the file. See https://github.com/tailscale/tailscale/issues/20149",
     "dns-config-failed", "net/dns/direct.go:360, v1.92-"),
    ("health(warnable=set-network-category-failed): error: Failed to set the network category to private on the "
     "Tailscale adapter. This may prevent Tailscale from working correctly. Error: timeout",
     "health:set-network-category-failed", "wgengine/router/osrouter/ifconfig_windows.go:240, v1.66-"),
    ("health(warnable=ip-forwarding-off): warning: Subnet routing is enabled, but IP forwarding is disabled. Check "
     "that IP forwarding is enabled on your machine.", "health:ip-forwarding-off", "health/warnings.go:306, v1.66-"),
    ("health(warnable=docker-stateful-filtering): warning: Stateful filtering is enabled and Docker was detected; "
     "this may prevent Docker containers on this host from resolving DNS and connecting to Tailscale nodes. See "
     "https://tailscale.com/s/stateful-docker", "health:docker-stateful-filtering",
     "wgengine/router/osrouter/router_linux.go:640, v1.66-"),
    ("health(warnable=state-store-health): error: state store is unhealthy: failed to unmarshal state file",
     "state-unwritable", "cmd/tailscaled/tailscaled.go:705, v1.88-"),
    ("health(warnable=dns-forward-failing): error: Tailscale can't reach the configured DNS servers. Internet "
     "connectivity may be affected.", "dns-forward-failing", "net/dns/resolver/forwarder.go:271, v1.66-"),
    ("health(warnable=resolv-conf-overwritten): warning: System DNS config not ideal. /etc/resolv.conf "
     "overwritten. See https://tailscale.com/s/dns-fight", "dns-config-failed", "net/dns/direct.go:505, v1.66-"),
    ("health(warnable=dns-set-os-config-failed): error: Tailscale failed to set the DNS configuration of your "
     "device: setLinkDNS: Access denied", "dns-config-failed", "net/dns/manager.go:296, v1.74-"),
    ("health(warnable=dns-read-os-config-failed): warning: Tailscale failed to fetch the DNS configuration of "
     "your device: reading /etc/resolv.conf: permission denied", "dns-config-failed", "net/dns/manager.go:286, v1.74-"),
    # (a bare "getting AF_INET interface: …" is both net/dns/manager_windows.go's and ifconfig_windows.go's: not
    # catalogued, the router's own "router: ConfigureInterface: …" line above it says which)
    ("[v1] authReconfig: ra=true dns=true 0x02: syncAddresses: adding IP \"100.101.102.103/32\": The object "
     "already exists.", "firewall-failed", "wgengine/router/osrouter/ifconfig_windows.go:426, v1.0-"),
    ("[v1] authReconfig: ra=true dns=true 0x02: error setting v4 MTU: The parameter is incorrect.",
     "firewall-failed", "wgengine/router/osrouter/ifconfig_windows.go:74, v1.20-"),
    ("dns: WSL(\"Ubuntu\") SetDNS: wslRun([wsl.exe -u root -d Ubuntu -e cat /etc/resolv.conf]): exit status 1",
     "dns-config-failed", "net/dns/wsl_windows.go:105, v1.16- (the DNS of that WSL distro is not set)"),
    ("health(warnable=router): ok", "none", "health, v1.66-"),
    # --------------------------------------------------------------------- old wordings (2020-2022)
    ("tsdns: error: forward: no upstream resolvers set", "dns-forward-failing", "wgengine/tsdns, v1.0-v1.4"),
    ("dns: error: forward: dial udp 8.8.8.8:53: connect: network is unreachable", "dns-forward-failing",
     "wgengine/userspace.go 'dns: error: %v', v1.6-v1.20"),
    ("Starting userspace wireguard engine with tun device \"tailscale0\"", "none", "wgengine/userspace.go, v1.0-v1.4"),
    ("ipnserver.Run: safesocket.Listen: /var/run/tailscale/tailscaled.sock: address already in use",
     "socket-in-use", "ipn/ipnserver, v1.0-v1.20"),
    ("wgengine.New: CreateTUN: open /dev/net/tun: no such file or directory", "tun-unavailable",
     "cmd/tailscaled 'wgengine.New: %v', v1.0-v1.4"),
    ("router: setting netfilter mode: could not set up netfilter: running [iptables -t filter -N ts-input]: exit "
     "status 3: modprobe: FATAL: Module ip_tables not found", "firewall-failed", "router_linux.go, v1.0-v1.50"),
    ("authReconfig: ra=true dns=true 0x02: dns set: resolv.conf is not a symlink to /etc/resolvconf/run/"
     "resolv.conf", "dns-config-failed", "wgengine/router/dns + router_linux.go 'dns set: %w', v1.0-v1.4"),
    ("authReconfig: ra=true dns=true 0x02: setting up filter/ts-input: running [iptables -t filter -N ts-input]: "
     "exit status 3: iptables v1.6.1: can't initialize iptables table `filter': Table does not exist",
     "firewall-failed", "router_linux.go 'setting up %s/%s', v1.0-v1.20"),
    # ------------------------------------------------------------------- wgengine/filter via net/tstun
    ("Drop: TCP{100.101.102.103:53212 > 100.64.0.5:22} 60 no rules matched", "packet-dropped",
     "wgengine/filter/filter.go:364 '%s: %s %d %s', v1.0-"),
    ("Accept: TCP{100.101.102.103:53212 > 100.64.0.5:22} 60 ok", "none", "wgengine/filter/filter.go:364, v1.0-"),
    ("wg: [v2] [xI8Q9] - Failed to write packets to TUN device: packet dropped by filter", "packet-dropped",
     "net/tstun/wrap.go ErrFiltered under wireguard-go, v1.20-"),
    # ---------------------------------------------------------------- cmd/tailscaled start-up and fatal exits
    ('tailscaled does not take non-flag arguments: ["up"]', "crash", "cmd/tailscaled/tailscaled.go:263, v1.0-"),
    ("tailscaled requires root; use sudo tailscaled (or use --tun=userspace-networking)", "crash",
     "cmd/tailscaled/tailscaled.go:282, v1.8-"),
    ("--statedir (or at least --state) is required", "crash", "cmd/tailscaled/tailscaled.go:525, v1.4-"),
    ("safesocket.Listen: /var/run/tailscale/tailscaled.sock: address already in use", "socket-in-use",
     "cmd/tailscaled/tailscaled.go:557, v1.0-"),
    ("debug server: listen tcp 127.0.0.1:8080: bind: address already in use", "crash",
     "cmd/tailscaled/tailscaled.go:890, v1.16-"),
    ("ipnserver.Run: listen unix /var/run/tailscale/tailscaled.sock: bind: read-only file system", "crash",
     "cmd/tailscaled/tailscaled.go:641, v1.0-"),
    ("Could not create netMon: route ip+net: no such network interface", "crash",
     "cmd/tailscaled/tailscaled_windows.go:340, v1.40-"),
    ("svc.IsWindowsService failed: Access is denied.", "crash", "cmd/tailscaled/tailscaled_windows.go:134, v1.0-"),
    ("--encrypt-state is not supported on freebsd", "crash", "cmd/tailscaled/tailscaled.go:1029, v1.86-"),
    ("starting subprocess failed: fork/exec C:\\Program Files\\Tailscale\\tailscaled.exe: Access is denied.",
     "exec-failed", "cmd/tailscaled/tailscaled_windows.go:516, v1.0-"),
    ("creating link monitor: route ip+net: netlinkrib: address family not supported by protocol", "crash",
     "cmd/tailscaled/tailscaled.go, v1.2-v1.38 (netmon.New since)"),
    ("netmon.New: route ip+net: netlinkrib: address family not supported by protocol", "crash",
     "cmd/tailscaled/tailscaled.go:466, v1.40-"),
    ("netstack.Create: could not create netstack NIC: duplicate nic id", "crash",
     "cmd/tailscaled/tailscaled.go, v1.4-v1.24"),
    ("SOCKS5 listener: listen tcp 127.0.0.1:1055: bind: address already in use", "crash",
     "cmd/tailscaled/tailscaled.go, v1.6-"),
    ("HTTP proxy listener: listen tcp 127.0.0.1:1055: bind: address already in use", "crash",
     "cmd/tailscaled/tailscaled.go, v1.14-"),
    ("filewall creation failed: Access is denied.", "firewall-failed",
     "cmd/tailscaled/tailscaled_windows.go (firewall subprocess), v1.10-v1.12"),
    # who started it: argv[0] a shell gives (a relative path), sudo, a service's absolute path (logpolicy.go:700)
    ('Program starting: v1.56.1-t906f85d10-g2b5c4c4e7, Go 1.21.5: []string{"./tailscaled", "--state=mem:"}',
     "hand-started", "logpolicy/logpolicy.go:700, v1.0-"),
    ('Program starting: v1.56.1, Go 1.21.5: []string{"/usr/sbin/tailscaled", "--state=/var/lib/tailscale/'
     'tailscaled.state", "--socket=/run/tailscale/tailscaled.sock", "--port=41641"}', "none",
     "logpolicy/logpolicy.go:700, v1.0-"),
    ("runservice: The service process could not connect to the service controller.", "hand-started",
     "cmd/tailscaled/tailscaled.go:503 (Windows), v1.0-"),
    ('Program starting: vdate.20200410, Go 1.14.1: []string{"tailscaled", "-state", "/home/pi/ts.state"}',
     "hand-started", "logpolicy/logpolicy.go, v0.98 (2020)"),
    ("Got Windows Service event: Interrogate", "none", "cmd/tailscaled/tailscaled_windows.go:217"),
    ("config: none present at \"/etc/tailscale/config.json\"; continuing unconfigured", "none",
     "cmd/tailscaled/tailscaled.go:455"),
    ("got LocalBackend in 41ms", "none", "cmd/tailscaled/tailscaled.go:615"),
    ("Running service...", "none", "cmd/tailscaled/tailscaled.go:501"),
)  # fmt: skip


# One forwarded query failing is routine (a flaky upstream, one timeout): the forwarder's failures count from the
# second on, so they are logged twice here, as a failing upstream logs them.
_REPEATED = ("dns-forward-failing",)


def _read(prefix: str, message: str, kind: str) -> dict[str, object]:
    first, *rest = message.split("\n")
    once = [prefix.format(msg=first), *rest]
    lines = [prefix.format(msg=HEALTHY_FIRST), *once, *(once if kind in _REPEATED else [])]
    return _log("\n".join(lines) + "\n")


@pytest.mark.parametrize("prefix", HOST_PREFIXES)
@pytest.mark.parametrize(("message", "kind", "source"), CATALOG, ids=[c[0][:60] for c in CATALOG])
def test_the_host_integration_catalog_reads_right(prefix: str, message: str, kind: str, source: str) -> None:
    if kind == "hand-started" and prefix not in HAND_PREFIXES:
        # the journal, syslog and the Windows service's log file are where a service's output goes: a daemon
        # started from a shell writes to that shell (only Go's own stamp, or a container's around it)
        prefix = HAND_PREFIXES[0]
    log = _read(prefix, message, kind)
    kinds = _kinds(log)
    if kind == "none":
        assert not kinds, (source, kinds)
    else:
        assert kind in kinds, (source, kinds)


# Lines only one OS's tailscaled code prints (file in the comment): a log holding one of them and no "Program
# starting" line (cut off above the paste) is that OS's.
OS_ONLY: tuple[tuple[str, str, str], ...] = (
    ("router: firewall: cleared Tailscale-In firewall rules in 71ms", "windows", "router_windows.go:298"),
    ("router: firewall: added Tailscale-Process rule in 40ms", "windows", "router_windows.go:327"),
    ("router: firewall: starting netsh goroutine", "windows", "router_windows.go:191"),
    ("dns: nrptRuleDatabase using group policy: false, was false", "windows", "net/dns/nrpt_windows.go:99"),
    ('dns: Error deleting NRPT rule key "{6ee2b6a4}": Access is denied.', "windows", "net/dns/nrpt_windows.go:170"),
    ("dns: ran ipconfig /flushdns in 212ms", "windows", "net/dns/manager_windows.go:527"),
    ("dns: ran ipconfig /registerdns in 1.2s", "windows", "net/dns/manager_windows.go:513"),
    ("router: ConfigureInterface: winnet.NewNetworkListManager: Class not registered", "windows",
     "ifconfig_windows.go:184"),
    ("TUN interface is up after 312ms", "windows", "net/tstun/ifstatus_windows.go:92"),
    ("router: monitorDefaultRoutes done after 5.1ms", "windows", "router_windows.go:79"),
    ("Got Windows Service event: Interrogate", "windows", "cmd/tailscaled/tailscaled_windows.go:217"),
    ("Cannot load wintun.dll for uninstall: The specified module could not be found.", "windows",
     "cmd/tailscaled/tailscaled_windows.go:553"),
    ("dns: WSL: could not list distributions: exit status 1", "windows", "net/dns/manager_windows.go:95"),
    ("tailscaled: engine fetch error (try 3) in 1.2s (total 4.5s, sysUptime 12s): Access is denied.", "windows",
     "cmd/tailscaled/tailscaled_windows.go, v1.8-v1.34"),
    ("router: netfilter running in iptables mode v6 = true, v6filter = true, v6nat = true", "linux",
     "util/linuxfw/iptables.go:112"),
    ("router: netfilter running in nftables mode, v6 = true", "linux", "util/linuxfw/nftables_runner.go:684"),
    ('dns: using "NetworkManager" mode', "linux", "net/dns/manager_linux.go"),
    ("router: sysctl(net.ipv4.conf.tailscale0.rp_filter=2): ok", "linux", "router_linux.go:1404"),
    ("router: warning: failed to enable src_valid_mark: permission denied", "linux", "router_linux.go:574"),
    ("dns: restart of systemd-resolved failed: exit status 1", "linux", "net/dns/direct.go:612"),
    ("failed to create TUN device as non-root user; use 'sudo tailscaled', or run under launchd with 'sudo "
     "tailscaled install-system-daemon'", "macos", "net/tstun/tun_macos.go:20"),
    ('failed to create TUN device "tailscale0"; try using tun device "utun" instead for automatic selection', "macos",
     "net/tstun/tun_macos.go:23"),
    ("dns: scutil set State:/Network/Service/Tailscale/DNS: exit status 1", "macos", "net/dns/manager_darwin.go:165"),
    ("router: failed to set up bypass rtable: sysctl: operation not permitted", "openbsd", "router_openbsd.go:259"),
    ("router: ifconfig destroy: exit status 1", "freebsd", "router_freebsd.go:25"),
    ('no TUN failure diagnostics for OS "freebsd"', "freebsd", "net/tstun/tun.go:145"),
    ('no TUN failure diagnostics for OS "openbsd"', "openbsd", "net/tstun/tun.go:145"),
    # "dns: using %T" (net/dns/manager.go:124) names the OS configurator, each built for one OS
    ("dns: using *dns.darwinConfigurator", "macos", "net/dns/manager_darwin.go:30"),
    ("dns: using *dns.windowsManager", "windows", "net/dns/manager_windows.go:47"),
    ("dns: using *dns.resolvedManager", "linux", "net/dns/resolved.go:62 (linux && !android)"),
    ("dns: using *dns.nmManager", "linux", "net/dns/nm.go:31 (linux && !android)"),
    ("dns: using *dns.resolvdManager", "openbsd", "net/dns/resolvd.go:29 (openbsd)"),
    # the open-source tailscaled's macOS start-up: its default TUN name and system state directory
    ('wgengine.NewUserspaceEngine(tun "utun") ...', "macos", "cmd/tailscaled/tailscaled.go:758, defaultTunName darwin"),
    ('logpolicy: using system state directory "/Library/Tailscale"', "macos",
     "logpolicy/logpolicy.go:257, paths/paths_unix.go:33"),
)  # fmt: skip


# prefixes that name no OS themselves (the Windows service log's stamp does)
@pytest.mark.parametrize("prefix", ("2024/01/12 10:41:06 {msg}", "[2024-01-12 10:41:06] {msg}"))
@pytest.mark.parametrize(("message", "os_name", "source"), OS_ONLY, ids=[c[0][:50] for c in OS_ONLY])
def test_a_line_only_one_os_prints_names_the_os(prefix: str, message: str, os_name: str, source: str) -> None:
    log = _log(f"{prefix.format(msg=HEALTHY_FIRST)}\n{prefix.format(msg=message)}\n")
    assert log["os"] == os_name, source


# The start line of the versions the wordings span (2020's date builds to 2026), above the message: the reading
# does not depend on which version logged it.
START_LINES = (
    'Program starting: vdate.20200410, Go 1.14.1: []string{"/usr/sbin/tailscaled", "--port=41641"}',
    'Program starting: v1.20.4-t5d1f5b5c0-g1e6d4ca51, Go 1.17.5-ts: []string{"/usr/sbin/tailscaled", "--port=41641"}',
    'Program starting: v1.56.1-t906f85d10-g2b5c4c4e7, Go 1.21.5: []string{"/usr/sbin/tailscaled", "--port=41641"}',
    'Program starting: v1.92.0, Go 1.25.3: []string{"/usr/sbin/tailscaled", "--port=41641"}',
)
_BY_VERSION = tuple(entry for entry in CATALOG if entry[1] != "hand-started")


@pytest.mark.parametrize("start", START_LINES, ids=("v0.98", "v1.20", "v1.56", "v1.92"))
@pytest.mark.parametrize(("message", "kind", "source"), _BY_VERSION, ids=[c[0][:60] for c in _BY_VERSION])
def test_the_catalog_reads_the_same_under_every_version(start: str, message: str, kind: str, source: str) -> None:
    prefix = "Nov 13 02:07:34 host tailscaled[11844]: {msg}"
    first, *rest = message.split("\n")
    once = [prefix.format(msg=first), *rest]
    lines = [prefix.format(msg=start), *once, *(once if kind in _REPEATED else [])]
    kinds = _kinds(_log("\n".join(lines) + "\n"))
    if kind == "none":
        assert not kinds, (source, kinds)
    else:
        assert kind in kinds, (source, kinds)


def test_a_network_category_set_on_a_retry_is_no_issue_and_its_warnable_is_the_same_one() -> None:
    stamp = "2024-01-12 10:41:06.123 -0500 -0500: {msg}"
    failed = stamp.format(msg="setPrivateNetwork(try=0): GetCategory: The RPC server is unavailable.")
    warnable = stamp.format(
        msg="health(warnable=set-network-category-failed): error: Failed to set the network category to private on "
        "the Tailscale adapter. This may prevent Tailscale from working correctly. Error: GetCategory: The RPC "
        "server is unavailable."
    )
    succeeded = stamp.format(msg="setPrivateNetwork(try=1): success")
    healthy = stamp.format(msg=HEALTHY_FIRST)
    assert not _kinds(_log("\n".join([healthy, failed, succeeded]) + "\n"))
    log = _log("\n".join([healthy, failed, warnable]) + "\n")
    assert [issue["kind"] for issue in log["issues"]] == ["health:set-network-category-failed"]
    assert log["os"] == "windows"
