"""Catalog test: tailscaled's service-side messages, read from the source before anyone pasted them.

Each entry is one or more messages as tailscaled (wireguard-go under it, or containerboot around it) logs them,
with the issues an expert reads from them ("none": a routine line that must raise nothing) and where the wording
comes from: the source file (tailscale/tailscale at de9ec7ee2, v1.103.0-pre; tailscale/wireguard-go at f680894
for the `wg:` lines) and the versions that print it (`git log -S`). Every entry runs under several line prefixes
people paste (journald, Go log stamp, container runtime, syslog, macOS, Windows) and every message twice (a lone
handshake retry is routine: the recognisers want a repeat), after a routine "logtail started" line so that the
paste is a tailscaled log. containerboot's own lines ("boot: <Go stamp> …") run under the prefixes a container
log has.

Areas: ipn/ipnserver and ipn/localapi (connections, users, Windows multi-user), ssh/tailssh (sessions, policy,
recording, auditd), Taildrop / peerapi / Taildrive, feature/relayserver and net/udprelay, appc, net/netmon and
net/captivedetection, util/osdiag and util/winutil, util/syspolicy and feature/posture, ipn/auditlog,
ipn/desktop, control/controlknobs, wireguard-go's device/*.go, wgengine/userspace.go and wgengine/watchdog.go,
cmd/containerboot.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.diagnose.conftest import run_json
from tests.diagnose.log_catalog import (
    LOG_PREFIXES,
    Entry,
    catalog_test,
    entries_read_right,
    entry,
    issue_kinds,
    misreadings,
    paste,
    rotating_cases,
)

PREFIXES = LOG_PREFIXES

# containerboot's lines: "boot: " and its own Go log stamp, as `docker logs`, compose and `kubectl logs` show them.
BOOT_PREFIXES = (
    "boot: 2024/01/12 10:41:06 {msg}",
    "tailscale-1  | boot: 2024/01/12 10:41:06 {msg}",
    "2023-10-10T22:37:43.517919674Z boot: 2023/10/10 22:37:43 {msg}",
)

# Issues that never make a problem (exit 0).
NOT_PROBLEMS = frozenset(("log-upload-failing", "health:ssh-unavailable-selinux-enabled"))

_e = entry  # short, so the table below stays one entry per line


CATALOG: list[Entry] = [
    # ------------------------------------------------------------------ ipn/ipnserver, ipn/localapi
    _e("Listening on /var/run/tailscale/tailscaled.sock", "none", "ipn/ipnserver/server.go v1.0-v1.36"),
    _e("[v1] incoming control connection", "none", "ipn/ipnserver v1.0-v1.30"),
    _e("connection from userid 1000; read-only", "none", "ipn/ipnserver v1.8-v1.30 (a non-root CLI user)"),
    _e("connection from userid 0; root has access", "none", "ipn/ipnserver v1.8-v1.30"),
    _e("connection from userid 1000; is configured operator", "none", "ipn/ipnserver v1.8-v1.30"),
    _e(
        "connection from userid 1001; read-only; user: unknown userid 1001",
        "none",
        "ipn/ipnserver v1.8-v1.30 (an access check that failed: the CLI says so, the daemon is fine)",
    ),
    _e("connection from unknown peer; read-only", "none", "ipn/ipnserver v1.8-v1.30"),
    _e(
        "blocking client while server in use; connIdentity={1234 S-1-5-21-1004336348-1177238915-682003330-1001 "
        "alice false}",
        "none",
        "ipn/ipnserver v1.4-v1.34 (Windows: a second user waits; the CLI shows 'Tailscale already in use')",
    ),
    _e(
        "unblocking client, server is free; connIdentity={1234 S-1-5-21-1004336348-1177238915-682003330-1001 alice "
        "false}",
        "none",
        "ipn/ipnserver v1.4-v1.34",
    ),
    _e("identity changed; resetting server", "none", "ipn/ipnserver v1.4-v1.60"),
    _e("client disconnected; staying alive in server mode", "none", "ipn/ipnserver v1.4-v1.60"),
    _e("client disconnected; stopping server", "none", "ipn/ipnserver v1.4-v1.60"),
    _e("ipnserver: now in server mode; user=alice", "none", "ipn/ipnserver v1.4-v1.34"),
    _e("ipnserver: no longer in server mode", "none", "ipn/ipnserver v1.4-v1.34"),
    _e(
        'ipnserver: found server mode auto-start key "_daemon" (user DESKTOP-4\\alice)',
        "none",
        "ipn/ipnserver v1.4-v1.34 (Windows unattended mode)",
    ),
    _e("ipnserver: try1: trying getEngine again...", "none", "ipn/ipnserver v1.6-v1.34 (a retry)"),
    _e("1: GetEngine worked; exiting failure loop", "none", "ipn/ipnserver v1.6-v1.34"),
    _e(
        "ipnserver: initial getEngine call: router.Up: setting netfilter mode: exit status 4",
        "firewall-failed",
        "ipn/ipnserver v1.6-v1.34 (Windows/unattended: the engine's router failed; tailscaled retries)",
    ),
    _e(
        "ipnserver1: getEngine failed again: CreateTUN: open /dev/net/tun: no such file or directory",
        "tun-unavailable",
        "ipn/ipnserver v1.6-v1.34",
    ),
    _e(
        "ipnserver: Accept: accept unix /var/run/tailscale/tailscaled.sock: use of closed network connection",
        "none",
        "",
    ),
    _e("GotCommandMsg: unknown command", "none", "ipn/ipnserver v1.0-v1.30 (an old CLI's message)"),
    _e("[warning] issue 869: os/user.LookupId failed; ignoring", "none", "ipn/ipnserver v1.4-v1.30"),
    _e("BabysitProc: got signal: interrupt", "none", "ipn/ipnserver v1.0-v1.34 (Windows subprocess babysitter)"),
    _e("error obtaining access token: Access is denied.", "none", "ipn/ipnserver v1.58-v1.60"),
    _e("localapi: [POST] /localapi/v0/set-dns", "none", "ipn/localapi/localapi.go [v1] route trace"),
    _e("user bugreport: BUG-5c8e3f2a1b4d6e7f-20240112104106Z", "none", "ipn/localapi bugreport marker, v1.14+"),
    _e("user bugreport health: ok", "none", "ipn/localapi v1.44+"),
    _e(
        'user bugreport node info: nodeid="n1234CNTRL" stableid="n1234CNTRL" expiry="2024-07-10T10:41:06Z"',
        "none",
        "ipn/localapi v1.44+",
    ),
    _e("user bugreport netmap: no active netmap", "none", "ipn/localapi v1.44+"),
    _e("localapi dial Hijack error: http: Hijack is incompatible with use of CONNECT", "none", "ipn/localapi"),
    _e('invalid CONNECT target "evil.example:443"; want "log.tailscale.com:443"', "none", "ipnserver/proxyconnect.go"),
    # ------------------------------------------------------------------ ssh/tailssh
    _e(
        "ssh-conn-20240112T104106-8f3a91c2d4: handling conn: 100.101.102.103:52144->alice@100.64.0.5:22",
        "none",
        "ssh/tailssh/tailssh.go, v1.24+",
    ),
    _e(
        "ssh-session(sess-20240112T104106-8f3a91c2d4): handling new SSH connection from alice@example.com "
        '(100.101.102.103) to ssh-user "alice"',
        "none",
        "ssh/tailssh/tailssh.go v1.24+",
    ),
    _e(
        'ssh-session(sess-20240112T104106-8f3a91c2d4): access granted to alice@example.com as ssh-user "alice"',
        "none",
        "ssh/tailssh/tailssh.go v1.24+",
    ),
    _e(
        "ssh-conn-20240112T104106-8f3a91c2d4: starting session: sess-20240112T104106-8f3a91c2d4",
        "none",
        "ssh/tailssh v1.24+",
    ),
    _e(
        "ssh-session(sess-20240112T104106-8f3a91c2d4): starting pty command: [/usr/sbin/tailscaled be-child ssh "
        "--uid=1000 --gid=1000 --groups=1000,27 --local-user=alice --remote-user=alice@example.com "
        "--remote-ip=100.101.102.103 --has-tty=true --tty-name=pts/1 --shell --login-cmd=/usr/bin/login --cmd=]",
        "none",
        "ssh/tailssh/incubator.go v1.24+",
    ),
    _e("ssh-session(sess-20240112T104106-8f3a91c2d4): Session complete", "none", "ssh/tailssh v1.24+"),
    _e("ssh-session(sess-20240112T104106-8f3a91c2d4): Wait: code=0", "none", "ssh/tailssh v1.24+"),
    _e("ssh-session(sess-20240112T104106-8f3a91c2d4): Wait: code=130", "none", "a user's shell exit status"),
    _e(
        "ssh-session(sess-20240112T104106-8f3a91c2d4): stdout copy: read /dev/ptmx: input/output error",
        "none",
        "ssh/tailssh: the pty closing at the end of a session",
    ),
    _e("ssh-session(sess-20240112T104106-8f3a91c2d4): ssh: agent forwarding requested", "none", "ssh/tailssh"),
    _e(
        "ssh-session(sess-20240112T104106-8f3a91c2d4): terminating SSH session from 100.101.102.103: context canceled",
        "none",
        "ssh/tailssh (a session the user closed)",
    ),
    _e(
        "ssh-conn-20240112T104106-8f3a91c2d4: session no longer valid per new SSH policy; closing",
        "none",
        "ssh/tailssh v1.26+ (the policy changed: the SSH server did what it was told)",
    ),
    _e(
        "audit: SSH login: user=alice uid=1000 from=100.101.102.103 ts_user=alice@example.com node=laptop",
        "none",
        "ssh/tailssh/auditd_linux.go",
    ),
    _e(
        "auditd: failed to create netlink socket: protocol not supported",
        "none",
        "ssh/tailssh/auditd_linux.go (auditd missing in a container: the session still runs)",
    ),
    _e(
        "ssh-session(sess-20240112T104106-8f3a91c2d4): recording: finished uploading recording",
        "none",
        "ssh/tailssh session recording v1.44+",
    ),
    _e(
        "warning: error reading host key /var/lib/tailscale/ssh/ssh_host_ed25519_key: open "
        "/var/lib/tailscale/ssh/ssh_host_ed25519_key: no such file or directory (generating one instead)",
        "none",
        "ssh/tailssh/hostkeys.go (first run: a key is generated)",
    ),
    _e(
        "WARNING: tailscaled be-child: accepted SSH environment variables were passed via the deprecated "
        "--encoded-env flag; please upgrade the parent tailscaled",
        "none",
        "ssh/tailssh/incubator.go",
    ),
    # refusals: the same concept as the CLI kind ssh-failed
    _e(
        "ssh-conn-20250404T101500-8f3a91c2d4: failed to evaluate SSH policy: tailssh: rejecting connection; no "
        "matching policy",
        "ssh-failed",
        "ssh/tailssh/tailssh.go errBanner, v1.83-v1.8x",
    ),
    _e(
        "ssh-conn-20230412T104106-8f3a91c2d4: rejecting SSH public key ssh-ed25519 "
        "AAAAC3NzaC1lZDI1NTE5AAAAIJ5q7c0n9w0yYtH3cQ2bq4Zk: ssh: access denied: tailssh: rejecting connection; no "
        "matching policy",
        "ssh-failed",
        "ssh/tailssh PublicKeyHandler, v1.24-v1.6x",
    ),
    _e(
        "ssh-conn-20260101T101500-8f3a91c2d4: tailnet policy does not permit you to SSH to this node: failed to "
        "evaluate policy, result: rejected",
        "ssh-failed",
        "ssh/tailssh/tailssh.go HEAD",
    ),
    _e(
        'ssh-conn-20250901T080001-0a1b2c3d4e: failed to look up local user "deploy" : user: unknown user deploy',
        "ssh-failed",
        "ssh/tailssh v1.83+ (the rule maps to a local user this node does not have)",
    ),
    _e(
        "ssh-conn-20220612T104106-8f3a91c2d4: failed to lookup deploy: user: unknown user deploy", "ssh-failed", "v1.24"
    ),
    _e("ssh-conn-20221012T104106-8f3a91c2d4: access denied for alice@example.com", "ssh-failed", "v1.24-v1.30"),
    _e(
        "ssh-conn-20240112T104106-8f3a91c2d4: failed to fetch next SSH action: fetch failed from "
        "https://login.tailscale.com/machine/ssh/action/from/n1234/to/n5678: context deadline exceeded",
        "ssh-failed",
        "ssh/tailssh v1.83+ (a `check` rule's next step could not be fetched: the connection is refused)",
    ),
    _e(
        "ssh-conn-20240112T104106-8f3a91c2d4: terminal error: error sending auth welcome message: EOF",
        "none",
        "ssh/tailssh errUnexpected (the client went away)",
    ),
    _e(
        "ssh-conn-20240112T104106-8f3a91c2d4: failed to get connection info: tailssh: rejecting non-Tailscale remote "
        "address 192.168.1.5:50000",
        "none",
        "ssh/tailssh (a LAN client on port 22 of the tailnet address: not a tailnet connection)",
    ),
    _e(
        (
            "ssh-conn-20250404T101500-8f3a91c2d4: failed to evaluate SSH policy: tailssh: rejecting connection; no "
            "matching policy",
            'ssh-session(sess-20250404T102000-9e8d7c6b5a): access granted to ci@example.com as ssh-user "ci"',
        ),
        "none",
        "a later granted session (the policy was fixed)",
    ),
    _e(
        "ssh-conn-20240112T104106-8f3a91c2d4: failed to look up local user's group IDs: exit status 1",
        "ssh-failed",
        "ssh/tailssh v1.40+ (the connection is refused: the local user's groups cannot be read)",
    ),
    _e(
        "health(warnable=ssh-unavailable-selinux-enabled): error: SELinux is enabled; Tailscale SSH may not work. "
        "See https://tailscale.com/s/ssh-selinux",
        "health:ssh-unavailable-selinux-enabled",
        "ipn/ipnlocal/local.go sshUnavailableSELinuxWarnable, Low, v1.68+",
    ),
    # ------------------------------------------------------------------ Taildrop, peerapi, Taildrive
    _e("peerapi: serving on http://100.101.102.103:39447", "none", "ipn/ipnlocal/peerapi.go"),
    _e(
        "peerapi: failed to do peerAPI listen, harmless (netstack available) but error was: listen tcp6 "
        "[fd7a:115c:a1e0::c101:bf15]:0: bind: cannot assign requested address",
        "none",
        "ipn/ipnlocal/peerapi.go v1.22+ (says itself it is harmless)",
    ),
    _e("peerapi: unknown peer 100.70.1.2:51234", "none", "ipn/ipnlocal/peerapi.go"),
    _e(
        "peerapi.Accept: accept tcp4 100.110.71.64:42858: accept: invalid argument",
        "peerapi-accept-failed",
        "ipn/ipnlocal/peerapi.go serve() v1.4+ (the listener stops on any error but a closed one)",
    ),
    _e("peerapi: no netmap", "none", "ipn/ipnlocal/peerapi.go"),
    # session 12 lead decision (blind 27: 1383): ServeHTTP refusing a peer's request is peerapi-request-rejected (403
    # "invalid peerapi request": Taildrop, peer DNS, Taildrive from that peer fail); its errors are validateHost's and
    # validatePeerAPIRequest's (the wording once here, "no PUT from non-owner", is in no release of peerapi.go)
    _e(
        "peerapi: invalid request from 100.70.1.2:51234: 100.64.0.1 not found in self addresses",
        "peerapi-request-rejected",
        "ipn/ipnlocal/peerapi.go ServeHTTP + validateHost, v1.40-",
    ),
    _e(
        "peerapi: invalid request from 100.70.1.2:51234: unexpected Origin",
        "peerapi-request-rejected",
        "ipn/ipnlocal/peerapi.go validatePeerAPIRequest, v1.38-",
    ),
    _e("peerapi: handleDNS fwd error: context deadline exceeded", "none", "ipn/ipnlocal/peerapi.go (one query)"),
    _e("peerapi: got put of 12.3MB in 1.84s from 100.70.1.2/laptop", "none", "feature/taildrop/peerapi.go"),
    _e("Debian Taildrop: using /var/lib/tailscale/files", "none", "ipn/ipnserver v1.8-v1.50, feature/taildrop now"),
    _e("Taildrop disabled; no state directory", "none", "ipn/ipnlocal v1.50-v1.80, feature/taildrop/ext.go"),
    _e("taildrop: no active login; can't select a target directory", "none", "feature/taildrop/ext.go"),
    _e(
        "taildrop: deleter: ListDir error: open /var/lib/tailscale/files: permission denied",
        "state-unwritable",
        "feature/taildrop/delete.go (the files directory under the state directory cannot be read)",
    ),
    _e("taildrop: put file.bin error: unexpected EOF", "none", "feature/taildrop/send.go (one interrupted send)"),
    _e(
        "taildrop: cannot create FileOps: mkdir /var/lib/tailscale/files: read-only file system",
        "taildrop-failed",
        "feature/taildrop/ext.go (the files directory cannot be made: receiving is off; s12 names it taildrop-failed)",
    ),
    _e(
        "peerapi: put Create error: open /var/lib/tailscale/files/photo.jpg.partial: permission denied",
        "taildrop-failed",
        "ipn/ipnlocal/peerapi.go v1.8-v1.50 (a received file cannot be written: Taildrop's directory, s12)",
    ),
    _e("peerapi: put Copy error: unexpected EOF", "none", "ipn/ipnlocal/peerapi.go (the sender stopped)"),
    _e("peerapi starting without Taildrop directory configured", "none", "ipn/ipnlocal v1.8-v1.80"),
    _e(
        '[unexpected] peerapi listen("100.101.102.103:0") error: listen tcp4 100.101.102.103:0: bind: cannot assign '
        "requested address",
        "none",
        "ipn/ipnlocal/local.go v1.8+ (the address not up yet: retried)",
    ),
    _e("no Taildrop directory configured", "none", "feature/taildrop/ext.go"),
    _e("resuming put at offset 1048576 after 120ms", "none", "feature/taildrop/localapi.go"),
    _e("Synology Taildrop: using /volume1/Taildrop", "none", "ipn/ipnserver v1.8-v1.50"),
    _e("taildrive: not enabled", "none", "ipn/ipnlocal/peerapi_drive.go v1.64+"),
    _e("taildrive: not permitted", "none", "ipn/ipnlocal/peerapi_drive.go"),
    _e('starting taildrive file server with sudo as user "alice"', "none", "drive/driveimpl/remote_impl.go"),
    _e(
        "user server /usr/sbin/tailscaled stopped with error exit status 1, will try again in 2.048s",
        "drive-failed",
        "drive/driveimpl/remote_impl.go (a back-off of 2^11 ms: the Taildrive helper keeps dying, s12)",
    ),
    _e(
        "user server /usr/sbin/tailscaled stopped with error signal: killed, will try again in 2ms",
        "none",
        "drive/driveimpl/remote_impl.go (tailscaled stopped the helper: a share change)",
    ),
    # ------------------------------------------------------------------ feature/relayserver, net/udprelay
    _e("relayserver: listening on udp4 40000 sockets=1", "none", "net/udprelay/server.go v1.86+"),
    _e(
        "relayserver: allocated endpoint vni=1 lamportID=1 disco[0]=d:0123456789abcdef disco[1]=d:fedcba9876543210",
        "none",
        "net/udprelay/server.go v1.86+",
    ),
    _e(
        "relayserver: ignoring IPv6 bind failure: listen udp6 :40000: socket: address family not supported by protocol",
        "none",
        "net/udprelay/server.go (IPv6 off: ignored, says so)",
    ),
    _e(
        "relayserver: [warning] failed to force-set UDP read buffer size to 7340032: operation not permitted; using "
        "kernel default values (impacts throughput only)",
        "none",
        "net/udprelay/server.go",
    ),
    _e(
        "relayserver: error initializing server: listen udp4 :40000: bind: address already in use",
        "peer-relay-failed",
        "feature/relayserver/relayserver.go v1.86+ (the peer-relay port --relay-server-port is taken)",
    ),
    # ------------------------------------------------------------------ appc
    _e("appc: handling domains: [example.com] and wildcards: [*.example.org]", "none", "appc/appconnector.go"),
    _e(
        "appc: routeInfo write rate: 120 in minute starting at 2024-01-12 10:41:00 (42 routes)",
        "none",
        "appc/appconnector.go",
    ),
    _e("appc: [v2] advertised route for example.com: 93.184.216.34", "none", "appc/appconnector.go"),
    _e(
        "appc: failed to advertise routes for example.com: [93.184.216.34/32]: setting prefs: context canceled",
        "none",
        "appc/appconnector.go (one route update during a shutdown)",
    ),
    _e("appc: [v2] observed new routes for example.com: [93.184.216.34/32]", "none", "appc/observe.go"),
    # ------------------------------------------------------------------ net/netmon, net/captivedetection
    _e(
        "monitor: RTM_NEWROUTE: src=, dst=10.128.0.0/10, gw=, outif=10, table=52",
        "none",
        "net/netmon/netmon_linux.go (wgengine/monitor before v1.40)",
    ),
    _e("monitor: RTM_DELADDR: eth0(2) 192.168.1.20/24 / 192.168.1.20", "none", "net/netmon/netmon_linux.go"),
    _e("monitor: ip rule deleted: {Family:2 DstLength:0 SrcLength:0 Tos:0 Table:52}", "none", "netmon_linux.go"),
    _e("monitor: gateway and self IP changed: gw=192.168.1.1 self=192.168.1.20", "none", "net/netmon/netmon.go"),
    _e("monitor: RTM_DELROUTE: src=, dst=0.0.0.0/0, gw=192.168.1.1, outif=2, table=254", "none", "netmon_linux.go"),
    _e("monitor: ip rule deleted; failed to parse netlink message: short buffer", "none", "netmon_linux.go"),
    _e("monitor: error from link monitor: netlink receive: no buffer space available", "none", "net/netmon/netmon.go"),
    _e("monitor: interfaces.State: route ip+net: no such network interface", "none", "net/netmon/netmon.go"),
    _e(
        "monitor: winipcfg.RegisterRouteChangeCallback error: The RPC server is unavailable.",
        "none",
        "net/netmon/netmon_windows.go (polling takes over)",
    ),
    _e("monitor: time jump detected (slept 7m12s), probably wake from sleep", "none", "net/netmon/netmon.go"),
    _e("monitor_linux: AF_NETLINK RTMGRP failed, falling back to polling", "none", "net/netmon/netmon_linux.go"),
    _e(
        "monitor: got windows change event after 3ms: evt=route",
        "none",
        "net/netmon/netmon_windows.go",
    ),
    _e(
        "LinkChange: major, rebinding. New state: interfaces.State{defaultRoute=eth0 ifs={eth0:[192.168.1.20/24]} "
        "v4=true v6=false}",
        "none",
        "wgengine/userspace.go v1.0-v1.36",
    ),
    _e(
        "LinkChange: major, rebinding: old: interfaces.State{defaultRoute=wlan0} new: interfaces.State{"
        "defaultRoute=eth0}",
        "none",
        "wgengine/userspace.go v1.38+",
    ),
    # the host lost every link: the issue network-down since blind batch 29 (lead decision; a later link clears it)
    _e(
        "LinkChange: all links down; pausing: interfaces.State{defaultRoute= ifs={} v4=false v6=false}",
        "network-down",
        "wgengine/userspace.go",
    ),
    _e("[v1] LinkChange: minor", "none", "wgengine/userspace.go"),
    _e("wgengine: Reconfig: configuring DNS", "none", "wgengine/userspace.go"),
    _e("wgengine: Reconfig: configuring router", "none", "wgengine/userspace.go"),
    _e("[v1] wgengine: Reconfig done", "none", "wgengine/userspace.go"),
    _e("Closing the engine because the WireGuard device has been closed...", "none", "wgengine/userspace.go v1.5x+"),
    _e(
        "wgengine: error setting DNS config after major link change: setting DNS: open /etc/resolv.conf: read-only "
        "file system",
        "dns-config-failed",
        "wgengine/userspace.go v1.2x+",
    ),
    _e("wgengine: set DNS config again after major link change", "none", "wgengine/userspace.go"),
    _e("DetectCaptivePortal(found=false)", "none", "net/captivedetection/captivedetection.go v1.72+"),
    _e(
        "captivedetection: current DERPMap is empty, using map from dnsfallback",
        "none",
        "net/captivedetection/endpoints.go",
    ),
    _e(
        "[v1] checkCaptivePortalEndpoint failed with endpoint {http://derp1.tailscale.com/generate_204 204 "
        'derp1.tailscale.com false}: Get "http://derp1.tailscale.com/generate_204": context deadline exceeded',
        "none",
        "net/captivedetection: one probe of several",
    ),
    # ------------------------------------------------------------------ util/osdiag, util/winutil, syspolicy, posture
    _e(
        '(s4u relay process 4120 [0x1018]) starting "C:\\Windows\\System32\\cmd.exe"',
        "none",
        "util/winutil/s4u/s4u_windows.go (Tailscale SSH on Windows)",
    ),
    _e(
        'Failed retrieving Status for service "Dnscache": Access is denied.',
        "none",
        "util/winutil/svcdiag_windows.go (a diagnostic of other services)",
    ),
    _e('syspolicy: [v2] Platform("ExitNodeID") = auto:any', "none", "util/syspolicy/internal/metrics v1.78+"),
    _e(
        "syspolicy: GP lock not acquired: context canceled",
        "none",
        "util/syspolicy/source/policy_store_windows.go (a policy read is retried)",
    ),
    _e(
        "syspolicy: failed to reload Platform policy: The system cannot find the file specified.",
        "none",
        "util/syspolicy/source/policy_reader.go",
    ),
    _e("posture: c2n: GET /posture/identity received", "none", "feature/posture/posture.go v1.56+"),
    _e(
        "posture: c2n: posture identity disabled=false reported 1 serials 2 hwaddrs",
        "none",
        "feature/posture/posture.go",
    ),
    _e(
        "health(warnable=posture-checking-serial-collection-failed): error: Tailscale could not collect the serial "
        "number of this device: exit status 1",
        "health:posture-checking-serial-collection-failed",
        "feature/posture/posture.go postureSerialWarnable",
    ),
    # ------------------------------------------------------------------ ipn/auditlog, ipn/desktop, controlknobs
    _e("auditlog: created", "none", "ipn/auditlog/auditlog.go v1.86+"),
    _e("auditlog: complete 3 audit log transactions", "none", "ipn/auditlog/auditlog.go"),
    _e(
        'auditlog: retrying after 2.5s, Post "https://controlplane.tailscale.com/machine/audit-log": context '
        "deadline exceeded",
        "none",
        "ipn/auditlog (queued and retried)",
    ),
    _e("desktop-sessions: registered for session notifications", "none", "ipn/desktop/sessions_windows.go"),
    _e(
        "registered user policy store for S-1-5-21-1004336348-1177238915-682003330-1001 (session 2)",
        "none",
        "ipn/desktop/extension.go",
    ),
    # ------------------------------------------------------------------ wgengine/userspace.go
    _e("Creating WireGuard device...", "none", "wgengine/userspace.go ('wireguard' lowercase before v1.26)"),
    _e("Creating wireguard device...", "none", "wgengine/userspace.go v1.0-v1.24"),
    _e("Bringing WireGuard device up...", "none", "wgengine/userspace.go"),
    _e("Bringing router up...", "none", "wgengine/userspace.go"),
    _e("Clearing router settings...", "none", "wgengine/userspace.go"),
    _e("Starting link monitor...", "none", "wgengine/userspace.go v1.0-v1.38"),
    _e("Starting network monitor...", "none", "wgengine/userspace.go v1.40+"),
    _e("Engine created.", "none", "wgengine/userspace.go"),
    _e("external route: up", "none", "wgengine/userspace.go"),
    _e(
        "wgengine: idle peer [Xy9Zz] now active, reconfiguring WireGuard",
        "none",
        "wgengine/userspace.go v1.4-v1.9x (lazy WireGuard)",
    ),
    _e(
        "wgengine: Reconfig: configuring userspace WireGuard config (with 3/12 peers)",
        "none",
        "wgengine/userspace.go",
    ),
    _e("wgengine: Reconfig: removing session keys for 1 peers", "none", "wgengine/userspace.go"),
    _e('wgengine: Reconfig: [Xy9Zz] changed from "" to "d:0123456789abcdef"', "none", "wgengine/userspace.go"),
    _e("wgengine: got TSMP pong 02a3b4c5, peerAPIPort=39447; cb=true", "none", "wgengine/userspace.go"),
    _e("wgengine: got diagnostic ICMP response 0102", "none", "wgengine/userspace.go v1.60+"),
    _e("ping(100.70.1.2): sending disco ping to [Xy9Zz] laptop ...", "none", "wgengine/userspace.go"),
    _e("wgengine: TUN GRO knobs changed (DisableTUNUDPGRO=true DisableTUNTCPGRO=false); applying", "none", "HEAD"),
    _e(
        "wgengine: Reconfig: router config failed (setting up netfilter: running [/usr/sbin/iptables -t filter -N "
        "ts-input --wait]: exit status 4: iptables v1.8.7 (legacy): can't initialize iptables table `filter': Table "
        "does not exist (do you need to insmod?)); continuing to DNS config so name resolution still works",
        "firewall-failed",
        "wgengine/userspace.go v1.9x+ (the router part of a Reconfig failed)",
    ),
    _e(
        ("wgengine watchdog stacks:\ngoroutine 1 [running]:", "wgengine: watchdog timeout on Reconfig"),
        "crash",
        "wgengine/watchdog.go v1.0-v1.9x (log.Fatalf: tailscaled exits)",
    ),
    _e(
        ("wgengine watchdog in-flight:\nReconfig", "wgengine: watchdog timeout on RequestStatus"),
        "crash",
        "wgengine/watchdog.go v1.40-v1.9x",
    ),
    # ------------------------------------------------------------------ wireguard-go (device/*.go) as `wg: …`
    _e("wg: [Xy9Zz] - Sending handshake initiation", "none", "wireguard-go device/send.go"),
    _e("wg: [Xy9Zz] - Received handshake response", "none", "wireguard-go device/receive.go"),
    _e("wg: [Xy9Zz] - Received handshake initiation", "none", "wireguard-go device/receive.go"),
    _e("wg: [Xy9Zz] - Sending handshake response", "none", "wireguard-go device/send.go"),
    _e("wg: [Xy9Zz] - Sending keepalive packet", "none", "wireguard-go device/send.go"),
    _e("wg: [Xy9Zz] - Receiving keepalive packet", "none", "wireguard-go device/receive.go"),
    _e("wg: [Xy9Zz] - Starting", "none", "wireguard-go device/peer.go"),
    _e("wg: [Xy9Zz] - Stopping", "none", "wireguard-go device/peer.go"),
    _e("wg: [Xy9Zz] - UAPI: Created", "none", "wireguard-go device/uapi.go"),
    _e("wg: [Xy9Zz] - UAPI: Updating endpoint", "none", "wireguard-go device/uapi.go"),
    _e("wg: [Xy9Zz] - UAPI: Removing", "none", "wireguard-go device/uapi.go"),
    _e("wg: UAPI: Updating private key", "none", "wireguard-go device/uapi.go"),
    _e("wg: Routine: receive incoming receiveIPv4 - started", "none", "wireguard-go device/receive.go"),
    _e("wg: Routine: TUN reader - stopped", "none", "wireguard-go device/send.go"),
    _e("wg: Routine: event worker - started", "none", "wireguard-go device/tun.go"),
    _e("wg: Interface up requested", "none", "wireguard-go device/tun.go"),
    _e("wg: Interface state was Down, requested Up, now Up", "none", "wireguard-go device/device.go"),
    _e("wg: UDP bind has been updated", "none", "wireguard-go device/device.go"),
    _e("wg: Device closing", "none", "wireguard-go device/device.go"),
    _e("wg: MTU updated: 1280", "none", "wireguard-go device/tun.go"),
    _e(
        "wg: [Xy9Zz] - Retrying handshake because we stopped hearing back after 15 seconds",
        "none",
        "wireguard-go device/timers.go (a new handshake follows; alone it says nothing failed)",
    ),
    _e(
        "wg: [Xy9Zz] - Removing all keys, since we haven't received a new one in 540 seconds",
        "none",
        "wireguard-go device/timers.go (an idle peer)",
    ),
    _e(
        "wg: [Xy9Zz] - ConsumeMessageInitiation: handshake replay @ 2024-01-12 10:41:06.123 +0000 UTC",
        "none",
        "wireguard-go device/noise-protocol.go",
    ),
    _e(
        "wg: [Xy9Zz] - Handshake did not complete after 5 seconds, retrying (try 3)",
        "peer-unreachable",
        "wireguard-go device/timers.go",
    ),
    _e(
        "wg: [Xy9Zz] - Handshake did not complete after 20 attempts, giving up",
        "peer-unreachable",
        "wireguard-go device/timers.go",
    ),
    _e(
        "wg: [Xy9Zz] - Failed to send handshake initiation: no UDP or DERP addr",
        "peer-unreachable",
        "wireguard-go device/send.go over magicsock: the peer has neither a direct endpoint nor a DERP home",
    ),
    _e(
        "wg: [Xy9Zz] - Failed to send data packet: no UDP or DERP addr",
        "peer-unreachable",
        "wireguard-go device/send.go over magicsock",
    ),
    _e(
        "wg: Unable to update bind: listen udp4 :41641: bind: address already in use",
        "port-in-use",
        "wireguard-go device/device.go (the WireGuard port is taken)",
    ),
    _e(
        "wg: Failed to read packet from TUN device: read /dev/net/tun: file descriptor in bad state",
        "tun-unavailable",
        "wireguard-go device/send.go (the TUN device went away under tailscaled)",
    ),
    _e(
        "wg: Received invalid initiation message from 203.0.113.9:41641",
        "none",
        "wireguard-go device/receive.go (a stray packet)",
    ),
    _e("wg: Received packet with invalid mac1", "none", "wireguard-go device/receive.go"),
    _e("wg: Failed to read packet from TUN device: Element not found.", "tun-unavailable", "Wintun's adapter gone"),
    _e(
        "wg: [Xy9Zz] - Failed to send handshake initiation: too many DERP packets queued; dropping",
        "derp-send-queue-full",
        "wireguard-go device/send.go over magicsock's DERP queue",
    ),
    # the same lines in older tailscaled: "wg: " from v1.36 (wgengine/wglog), verbose lines "[v2] " from v1.6, the
    # peer as wireguard-go prints it ("peer(Xy9Z…abcd)") before v1.2
    _e(
        "wg: [v2] [Xy9Zz] - Handshake did not complete after 5 seconds, retrying (try 3)",
        "peer-unreachable",
        "v1.36+ at --verbose=2",
    ),
    _e("[v2] [Xy9Zz] - Handshake did not complete after 20 attempts, giving up", "peer-unreachable", "v1.6-v1.34"),
    _e(
        "peer(Xy9Z…abcd) - Handshake did not complete after 5 seconds, retrying (try 4)",
        "peer-unreachable",
        "v1.0-v1.2",
    ),
    _e("[Xy9Zz] - Failed to send handshake initiation: no UDP or DERP addr", "peer-unreachable", "v1.2-v1.34"),
    _e(
        "peer(Xy9Z…abcd) - Failed to send handshake initiation: no UDP or DERP addr",
        "peer-unreachable",
        "v1.0-v1.2",
    ),
    _e("[v2] [Xy9Zz] - Sending handshake initiation", "none", "v1.6-v1.34"),
    _e("wg: [v2] [Xy9Zz] - Retrying handshake because we stopped hearing back after 15 seconds", "none", "v1.36+"),
    _e(
        "Failed to read packet from TUN device: read /dev/net/tun: file descriptor in bad state",
        "tun-unavailable",
        "v1.0-v1.34 (no 'wg: ')",
    ),
    _e("wg: Failed to read packet from TUN device: os: file already closed", "none", "a TUN closed on shutdown"),
    _e("wg: Trouble determining MTU, assuming default: operation not supported", "none", "device/device.go"),
    _e("wg: Bind close failed: use of closed network connection", "none", "device/device.go"),
]

# containerboot's own lines (cmd/containerboot), under BOOT_PREFIXES.
BOOT_CATALOG: list[Entry] = [
    _e("Starting tailscaled", "none", "cmd/containerboot v1.34+"),
    _e("Waiting for tailscaled socket", "none", "cmd/containerboot v1.34+"),
    _e("Running 'tailscale up'", "none", "cmd/containerboot"),
    _e("Running 'tailscale set'", "none", "cmd/containerboot v1.54+"),
    _e('tailscaled in state "Starting", waiting', "none", "cmd/containerboot"),
    _e("Startup complete, waiting for shutdown signal", "none", "cmd/containerboot"),
    _e(
        'Using tailscaled config file "/etc/tsconfig/ingress-0/cap-106.hujson" to match current capability version 106',
        "none",
        "cmd/containerboot v1.66+",
    ),
    _e("Installing proxy rules", "none", "cmd/containerboot"),
    _e("Installing forwarding rules for destination 100.70.1.2", "none", "cmd/containerboot"),
    _e("Running healthcheck endpoint at [::]:9002/healthz", "none", "cmd/containerboot v1.72+"),
    _e("periodic sync, ensuring firewall config is up to date...", "none", "cmd/containerboot egress v1.72+"),
    _e("serve proxy: applying serve config", "none", "cmd/containerboot/serve.go"),
    _e(
        "TS_EXTRA_ARGS contains --accept-dns=true, which overrides TS_ACCEPT_DNS=false",
        "none",
        "cmd/containerboot/settings.go",
    ),
    _e(
        "[warning] TS_HEALTHCHECK_ADDR_PORT is deprecated and will be removed in 1.82.0. Please use "
        "TS_ENABLE_HEALTH_CHECK and optionally TS_LOCAL_ADDR_PORT instead.",
        "none",
        "cmd/containerboot/settings.go v1.78+",
    ),
    _e("Sending SIGTERM to tailscaled", "none", "cmd/containerboot (shutdown)"),
    _e(
        "machine authorization required, please visit the admin panel",
        "needs-machine-auth",
        "cmd/containerboot",
    ),
    _e(
        "ensuring that /dev/net/tun exists: mknod /dev/net/tun: operation not permitted",
        "tun-unavailable crash",
        "cmd/containerboot log.Fatalf v1.40+ (the container has no /dev/net/tun and may not make one)",
    ),
    _e(
        "Unable to create tuntap device file: mknod /dev/net/tun: operation not permitted",
        "tun-unavailable crash",
        "cmd/containerboot log.Fatalf v1.34-v1.38",
    ),
    _e("Timed out waiting for tailscaled socket", "crash", "cmd/containerboot log.Fatalf"),
    _e(
        'tailscaled left running state (now in state "NeedsLogin"), exiting',
        "login-required crash",
        "cmd/containerboot log.Fatalf v1.34-v1.50",
    ),
    _e(
        "failed to auth tailscale: tailscale up failed: exit status 1",
        "crash",
        "cmd/containerboot log.Fatalf",
    ),
    _e(
        "Failed to enable IP forwarding: write /proc/sys/net/ipv4/ip_forward: read-only file system",
        "health:ip-forwarding-off",
        "cmd/containerboot (a proxy/router container cannot forward)",
    ),
    _e(
        (
            "Failed to enable IP forwarding: open /proc/sys/net/ipv4/ip_forward: read-only file system",
            "To run tailscale as a proxy or router container, IP forwarding must be enabled.",
            "you can fix this by running the container with privileged=true, or the equivalent in your container "
            "runtime that permits access to sysctls.",
        ),
        "health:ip-forwarding-off crash",
        "cmd/containerboot v1.76+ (run()'s error, log.Fatal); v1.34-v1.74 log.Fatalf 'You can fix this …'",
    ),
    _e(
        "unable to create tuntap device file: mknod /dev/net/tun: operation not permitted",
        "tun-unavailable crash",
        "cmd/containerboot v1.76+ (run()'s error)",
    ),
    _e(
        "installing ingress proxy rules: running [/sbin/iptables -t nat -A PREROUTING -d 100.70.1.2 -j DNAT "
        "--to-destination 10.0.0.5 --wait]: exit status 3",
        "firewall-failed crash",
        "cmd/containerboot (an ingress proxy cannot install its DNAT rule)",
    ),
    _e(
        "Some Kubernetes permissions are missing, please check your RBAC configuration: missing get permission on "
        'secret "ts-proxy-0"',
        "state-unwritable crash",
        "cmd/containerboot log.Fatalf v1.34-v1.74",
    ),
    _e(
        'Getting authkey from kube secret: secrets "tailscale" is forbidden: User '
        '"system:serviceaccount:default:default" cannot get resource "secrets" in API group "" in the namespace '
        '"default"',
        "state-unwritable crash",
        "cmd/containerboot log.Fatalf v1.34-v1.50",
    ),
    _e(
        "authkey found in TS_KUBE_SECRET, but the pod doesn't have patch permissions on the secret to manage the "
        "authkey.",
        "state-unwritable crash",
        "cmd/containerboot log.Fatalf v1.34-v1.74",
    ),
    _e("storing device ID in kube secret: context deadline exceeded", "state-unwritable crash", "v1.34-v1.74"),
    _e("failed to unset serve config: context deadline exceeded", "crash", "cmd/containerboot"),
    _e("serve proxy: failed to read serve config: unexpected end of JSON input", "crash", "cmd/containerboot"),
    _e("invalid configuration: TS_SERVE_CONFIG is set but TS_USERSPACE is not", "crash", "cmd/containerboot v1.76+"),
    _e(
        "Auth key missing or invalid (NeedsLogin state), disconnecting from control and requesting new key from "
        "operator",
        "login-required",
        "cmd/containerboot v1.9x (an operator-managed proxy)",
    ),
    _e(
        "[warning] failed to symlink socket: symlink /tmp/tailscaled.sock /var/run/tailscale/tailscaled.sock: file "
        'exists\n\tTo interact with the Tailscale CLI please use `tailscale --socket="/tmp/tailscaled.sock"`',
        "none",
        "cmd/containerboot (the CLI needs --socket: a hint)",
    ),
    _e(
        "reconfigureTimer: last DNS resolution attempt failed, next DNS resolution attempt in 5m0s",
        "none",
        "cmd/containerboot (a DNS-named proxy target retried)",
    ),
    _e(
        "tailnet target is an IPv6 address, but this host does not support IPv6 in the chosen firewall mode. This "
        "will probably not work.",
        "none",
        "cmd/containerboot egress (a warning)",
    ),
]


# The node facts a log gives: message(s) → the peers seen, as (name, path, endpoint).
FactEntry = tuple[tuple[str, ...], list[tuple[str, str, str | None]], str]
FACT_CATALOG: list[FactEntry] = [
    (("wg: [v2] [Xy9Zz] - Sending handshake initiation",), [("Xy9Zz", "unknown", None)], "wireguard-go, v1.36+"),
    (("[v2] [Xy9Zz] - Sending handshake initiation",), [("Xy9Zz", "unknown", None)], "wireguard-go, v1.6-v1.34"),
    (
        ("wg: [Ab1Cd] - Failed to send handshake initiation: no UDP or DERP addr",),
        [("Ab1Cd", "unknown", None)],
        "wireguard-go over magicsock: a peer tailscaled tries to reach",
    ),
    (
        ("wg: [v2] [Ab1Cd] - Handshake did not complete after 20 attempts, giving up",),
        [("Ab1Cd", "unknown", None)],
        "wireguard-go device/timers.go",
    ),
]


@pytest.mark.parametrize(("prefix", "entry"), [pytest.param(p, e, id=f"{i:02d}") for i, e in enumerate(FACT_CATALOG)
                                                for p in PREFIXES[1:3]])  # fmt: skip
def test_each_catalog_message_gives_its_peer(prefix: str, entry: FactEntry) -> None:
    messages, expected, source = entry
    document: dict[str, Any] = run_json(paste(prefix, messages))
    assert [(peer["name"], peer["path"], peer["endpoint"]) for peer in document["peers"]] == expected, source


def _boot_paste(prefix: str, messages: tuple[str, ...]) -> str:
    # containerboot starts tailscaled, whose own lines follow with the same runtime prefix and its Go stamp
    start = prefix.replace("boot: ", "").format(msg="logtail started")
    return start + "\n" + paste(prefix, messages, start=None)


def _read_boot(prefix: str, messages: tuple[str, ...]) -> tuple[set[str], int]:
    return issue_kinds(run_json(_boot_paste(prefix, messages)))


test_each_catalog_message_reads_as_an_expert_reads_it = catalog_test(rotating_cases(CATALOG, PREFIXES, NOT_PROBLEMS))


BOOT_CASES = [
    pytest.param(prefix, entry, NOT_PROBLEMS, id=f"boot{index:02d}-{p}")
    for index, entry in enumerate(BOOT_CATALOG)
    for p, prefix in enumerate(BOOT_PREFIXES)
    if p == index % len(BOOT_PREFIXES) or p == 0
]

test_each_containerboot_message_reads_as_an_expert_reads_it = catalog_test(BOOT_CASES, _read_boot)


def catalog_score() -> tuple[int, int]:
    """(entries read right under every prefix, entries): the figure a run before and after a change reports."""
    right = entries_read_right(CATALOG, PREFIXES, NOT_PROBLEMS)
    right += entries_read_right(BOOT_CATALOG, BOOT_PREFIXES, NOT_PROBLEMS, _read_boot)
    return right, len(CATALOG) + len(BOOT_CATALOG)


def failures() -> list[str]:
    """Each entry read wrong, with what was read (for a developer's run)."""
    return misreadings(CATALOG, PREFIXES, NOT_PROBLEMS) + misreadings(
        BOOT_CATALOG, BOOT_PREFIXES, NOT_PROBLEMS, _read_boot, "BOOT "
    )


if __name__ == "__main__":
    right, total = catalog_score()
    print(f"read right: {right}/{total}")
    print("\n".join(failures()))
