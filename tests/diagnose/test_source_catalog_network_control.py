"""Catalog test: tailscaled's network and control messages, read from Tailscale's source before anyone pasted them.

Each entry is one or more messages as tailscaled (or tsnet, containerboot) logs them, with the issues an expert
reads from them ("none": a routine line that must raise nothing) and where the wording comes from: the source
file (tailscale/tailscale at de9ec7ee2, v1.103.0-pre) and the versions that print it (`git log -S`). Every entry is
run under several line prefixes people paste (journald, Go log stamp, container runtime, syslog, macOS, Windows)
and every message twice (a lone disco timeout or DERP drop is routine: the recognisers want a repeat), after a
routine "logtail started" line so that the paste is a tailscaled log.

Areas: health warnables (every `health.Register(&health.Warnable{…})` of the tree, their `ok` lines, the v1.0-v1.6x
`health("overall")` / subsystem wording), control/controlclient, ipn/ipnlocal state and errors, tsnet,
wgengine/magicsock and derp/derphttp, net/netcheck, net/portmapper, net/dnsfallback, wgengine/pendopen, tka,
clientupdate, logtail.
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
    paste,
    read,
    rotating_cases,
)

PREFIXES = LOG_PREFIXES

NOT_PROBLEMS = frozenset(
    (
        "log-upload-failing",
        "health:update-available",
        "health:security-update-available",
        "health:is-using-unstable-version",
        "health:wantrunning-false",
        "health:tls-cert-pending",
        "health:local-log-config-error",
        "health:ssh-unavailable-selinux-enabled",
        "health:derp-region-error",
    )
)

_e = entry  # short, so the table below stays one entry per line


CATALOG: list[Entry] = [
    # ------------------------------------------------------------------ health warnables (health/warnings.go)
    # ipn/ipnlocal/local.go "health(warnable=%s): error: %s" / "…: ok" (v1.68 on)
    _e(
        "health(warnable=network-status): error: Tailscale cannot connect because the network is down. Check your "
        "Internet connection.",
        # the issue network-down since blind batch 29 (lead decision): the condition "LinkChange: all links down" logs
        "network-down",
        "health/warnings.go NetworkStatusWarnable, Medium, v1.68+",
    ),
    _e(
        "health(warnable=wantrunning-false): error: Tailscale is stopped.",
        "health:wantrunning-false",
        "health/warnings.go IPNStateWarnable, Low, v1.68+",
    ),
    _e(
        "health(warnable=local-log-config-error): error: The local log is misconfigured: open /var/log/tailscale: "
        "permission denied",
        "health:local-log-config-error",
        "health/warnings.go localLogWarnable, Low, v1.68+",
    ),
    _e(
        "health(warnable=login-state): error: You are logged out. The last login error was: register request: http "
        "401: invalid key: API key does not exist",
        "login-required",
        "health/warnings.go LoginStateWarnable, Medium, v1.68+",
    ),
    _e(
        "health(warnable=login-state): error: You are logged out.",
        "login-required",
        "health/warnings.go LoginStateWarnable (no error), v1.68+",
    ),
    _e(
        "health(warnable=not-in-map-poll): error: Unable to connect to the Tailscale coordination server to "
        "synchronize the state of your tailnet. Peer reachability might degrade over time.",
        "control-unreachable",
        "health/warnings.go notInMapPollWarnable, v1.68+",
    ),
    _e(
        "health(warnable=no-derp-home): error: Tailscale could not connect to any relay server. Check your Internet "
        "connection.",
        "derp-unreachable",
        "health/warnings.go noDERPHomeWarnable, v1.68+",
    ),
    _e(
        "health(warnable=no-derp-connection): error: Tailscale could not connect to the 'Frankfurt' relay server. "
        "Your Internet connection might be down, or the server might be temporarily unavailable.",
        "derp-unreachable",
        "health/warnings.go noDERPConnectionWarnable (named), v1.68+",
    ),
    _e(
        "health(warnable=no-derp-connection): error: Tailscale could not connect to the relay server with ID '900'. "
        "Your Internet connection might be down, or the server might be temporarily unavailable.",
        "derp-unreachable",
        "health/warnings.go noDERPConnectionWarnable (by ID), v1.68+",
    ),
    _e(
        "health(warnable=derp-timed-out): error: Tailscale hasn't heard from the 'New York City' relay server in "
        "1m10s. The server might be temporarily unavailable, or your Internet connection might be down.",
        "derp-unreachable",
        "health/warnings.go derpTimeoutWarnable, v1.68+",
    ),
    _e(
        "health(warnable=derp-region-error): error: The relay server #900 is reporting an issue: region is being "
        "drained for maintenance",
        "health:derp-region-error",
        "health/warnings.go derpRegionErrorWarnable, Low (a notice from the relay), v1.68+",
    ),
    _e(
        "health(warnable=no-udp4-bind): error: Tailscale couldn't listen for incoming UDP connections.",
        "port-in-use",
        "health/warnings.go noUDP4BindWarnable, v1.68+",
    ),
    _e(
        "health(warnable=mapresponse-timeout): error: Tailscale hasn't received a network map from the coordination "
        "server in 2m0s.",
        "control-unreachable",
        "health/warnings.go mapResponseTimeoutWarnable, v1.68+",
    ),
    _e(
        "health(warnable=tls-connection-failed): error: Tailscale could not establish an encrypted connection with "
        "'\"controlplane.tailscale.com\"': x509: certificate signed by unknown authority",
        "health:tls-connection-failed tls-intercepted",
        "health/warnings.go tlsConnectionFailedWarnable, v1.68+",
    ),
    _e(
        "health(warnable=magicsock-receive-func-error): error: The MagicSock function ReceiveIPv4 is not running. "
        "You might experience connectivity issues.",
        "health:magicsock-receive-func-error",
        "health/warnings.go magicsockReceiveFuncWarnable, v1.68+",
    ),
    _e(
        "health(warnable=apply-disk-config): error: An error occurred applying the Tailscale envknob configuration "
        "stored on disk: parse error on line 3",
        "health:apply-disk-config",
        "health/warnings.go applyDiskConfigWarnable, v1.70+",
    ),
    _e(
        "health(warnable=ip-forwarding-off): error: Subnet routing is enabled, but IP forwarding is disabled. Check "
        "that IP forwarding is enabled on your machine.",
        "health:ip-forwarding-off",
        "health/warnings.go ipForwardingWarnable, v1.76+",
    ),
    _e(
        "health(warnable=update-available): error: An update from version 1.80.0 to 1.82.5 is available. Run "
        "`tailscale update` or `tailscale set --auto-update` to update now.",
        "health:update-available",
        "health/warnings.go updateAvailableWarnable, Low, v1.68+",
    ),
    _e(
        "health(warnable=security-update-available): error: A security update from version 1.80.0 to 1.80.3 is "
        "available.",
        "health:security-update-available",
        "health/warnings.go securityUpdateAvailableWarnable, v1.68+",
    ),
    _e(
        "health(warnable=is-using-unstable-version): error: This is an unstable version of Tailscale meant for "
        "testing and development purposes. Please report any issues to Tailscale.",
        "health:is-using-unstable-version",
        "health/warnings.go unstableWarnable, Low, v1.68+",
    ),
    _e("health(warnable=warming-up): error: Tailscale is starting. Please wait.", "none", "warmingUpWarnable, v1.70+"),
    _e(
        "health(warnable=tls-cert-pending): error: Fetching TLS certificate for node.tail1234.ts.net",
        "health:tls-cert-pending",
        "feature/acme/acme.go certPendingWarnable, Low",
    ),
    _e(
        "health(warnable=macos-screen-time): error: macOS Screen Time seems to be blocking Tailscale. Try disabling "
        "Screen Time in System Settings > Screen Time > Content & Privacy > Access to Web Content.",
        "health:macos-screen-time",
        "control/controlhttp/client.go macOSScreenTime, High, v1.8x+",
    ),
    _e(
        "health(warnable=captive-portal-detected): error: This network requires you to log in using your web browser.",
        "health:captive-portal-detected",
        "feature/captiveportal/captiveportal.go, High, v1.76+",
    ),
    _e(
        "health(warnable=posture-checking-serial-collection-failed): error: Tailscale could not collect the serial "
        "number of this device: exit status 1",
        "health:posture-checking-serial-collection-failed",
        "feature/posture/posture.go, Medium",
    ),
    _e(
        "health(warnable=invalid-packet-filter): error: The coordination server sent an invalid packet filter "
        "permitting traffic to unlocked nodes; rejecting all packets for safety",
        "health:invalid-packet-filter",
        "ipn/ipnlocal/local.go invalidPacketFilterWarnable, High (control answered: not control-unreachable)",
    ),
    _e(
        "health(warnable=sync-disabled): error: Tailscale control plane syncing is disabled; run `tailscale set "
        "--sync` to restore",
        "health:sync-disabled",
        "ipn/ipnlocal/local.go warnSyncDisabled, High",
    ),
    _e(
        "health(warnable=ssh-unavailable-selinux-enabled): error: SELinux is enabled; Tailscale SSH may not work. See "
        "https://tailscale.com/s/ssh-selinux",
        "health:ssh-unavailable-selinux-enabled",
        "ipn/ipnlocal/local.go warnSSHSELinuxWarnable, Low",
    ),
    _e(
        "health(warnable=nosnat-with-advertised-exit-node): error: snat-subnet-routes is disabled while advertising "
        "as an exit node; internet traffic through this exit node may not work as expected",
        "health:nosnat-with-advertised-exit-node",
        "ipn/ipnlocal/local.go warnNoSNATWithExitNode, Medium",
    ),
    _e(
        "health(warnable=no-tailnet-lock-state-dir): error: Tailnet Lock state is only being stored in-memory. Set "
        "--statedir to store state on disk, which is more secure. See "
        "https://tailscale.com/kb/1226/tailnet-lock#tailnet-lock-state",
        "tailnet-lock-sync-failed",
        "ipn/ipnlocal/tailnet-lock.go noTailnetLockStateDirWarnable, Medium",
    ),
    _e(
        "health(warnable=tailnet-lock): error: tka sync: fetching bootstrap: 500 Internal Server Error",
        "tailnet-lock-sync-failed",
        "health/health.go legacy subsystem warnable SysTKA, v1.68+",
    ),
    _e(
        "health(warnable=state-store-health): error: Tailscale could not initialize its state store: open "
        "/var/lib/tailscale/tailscaled.state: permission denied",
        "state-unwritable",
        "ipn/store.go StateStoreHealth, High",
    ),
    _e(
        "health(warnable=resolv-conf-relabel-failed): error: Failed to restore the SELinux label on /etc/resolv.conf; "
        "DNS may break when other services manage the file. See https://github.com/tailscale/tailscale/issues/20149",
        "dns-config-failed",
        "net/dns/direct.go selinuxRelabelWarnable, Medium",
    ),
    _e(
        "health(warnable=resolv-conf-overwritten): error: System DNS config not ideal. /etc/resolv.conf overwritten. "
        "See https://tailscale.com/s/dns-fight",
        "dns-config-failed",
        "net/dns/direct.go resolvTrampleWarnable, Medium",
    ),
    _e(
        "health(warnable=dns-manager): error: getting OS base config is not supported",
        "dns-config-failed",
        "health/health.go legacy subsystem warnable SysDNSManager, v1.68+",
    ),
    _e(
        "health(warnable=dns-forward-failing): error: Tailscale can't reach the configured DNS servers. Internet "
        "connectivity may be affected.",
        "dns-forward-failing",
        "net/dns/resolver/forwarder.go dnsForwarderFailing",
    ),
    _e(
        "health(warnable=blockblame-mitm-detected): error: Network may be blocking Tailscale. The manufacturer of "
        "your router or firewall (Palo Alto Networks) may be intercepting Tailscale's encrypted connections.",
        "tls-intercepted",
        "net/tlsdial/tlsdial.go mitmBlockWarnable, Medium",
    ),
    _e(
        "health(warnable=set-network-category-failed): error: Failed to set the network category to private on the "
        "Tailscale adapter. This may prevent Tailscale from working correctly. Error: Access is denied.",
        "health:set-network-category-failed",
        "wgengine/router/osrouter/ifconfig_windows.go networkCategoryWarnable, Medium",
    ),
    _e(
        "health(warnable=docker-stateful-filtering): error: Stateful filtering is enabled and Docker was detected; "
        "this may prevent Docker containers on this host from resolving DNS and connecting to Tailscale nodes.",
        "health:docker-stateful-filtering",
        "wgengine/router/osrouter/router_linux.go dockerStatefulFilteringWarnable, Medium",
    ),
    # a warnable that logs ok later holds no more: its kind is cleared (ipn/ipnlocal/local.go "…: ok")
    _e(
        (
            "health(warnable=no-tailnet-lock-state-dir): error: Tailnet Lock state is only being stored in-memory.",
            "health(warnable=no-tailnet-lock-state-dir): ok",
        ),
        "none",
        "ipn/ipnlocal/local.go health ok line",
    ),
    _e(
        (
            "health(warnable=network-status): error: Tailscale cannot connect because the network is down.",
            "health(warnable=network-status): ok",
        ),
        "none",
        "ipn/ipnlocal/local.go health ok line",
    ),
    _e(
        (
            "health(warnable=mapresponse-timeout): error: Tailscale hasn't received a network map from the "
            "coordination server in 2m0s.",
            "health(warnable=mapresponse-timeout): ok",
        ),
        "none",
        "ipn/ipnlocal/local.go health ok line",
    ),
    _e(
        (
            "health(warnable=blockblame-mitm-detected): error: Network may be blocking Tailscale.",
            "health(warnable=blockblame-mitm-detected): ok",
        ),
        "none",
        "ipn/ipnlocal/local.go health ok line",
    ),
    # v1.0-v1.6x: ipn/ipnlocal/local.go 'health(%q): error: %v' over health.OverallError (health/health.go)
    # network-down since blind batch 29 (lead decision), as the network-status warnable that took its place
    _e('health("overall"): error: network down', "network-down", "health/health.go v1.14-v1.66"),
    _e('health("overall"): error: no DERP home', "derp-unreachable", "health/health.go v1.14-v1.66"),
    _e(
        'health("overall"): error: not connected to home DERP region 4',
        "derp-unreachable",
        "health/health.go v1.14-v1.66",
    ),
    _e(
        'health("overall"): error: haven\'t heard from home DERP region 4 in 2m0s',
        "derp-unreachable",
        "health/health.go v1.14-v1.66",
    ),
    _e('health("overall"): error: no udp4 bind', "port-in-use", "health/health.go v1.14-v1.66"),
    _e(
        'health("overall"): error: ReceiveIPv4 is not running',
        "health:magicsock-receive-func-error",
        "health/health.go v1.24-v1.66",
    ),
    _e('health("overall"): error: not in map poll', "control-unreachable", "health/health.go v1.14-v1.66"),
    _e('health("overall"): error: no map response in 2m0s', "control-unreachable", "health/health.go v1.14-v1.66"),
    _e(
        'health("overall"): error: not logged in, last login error=register request: http 401: invalid key',
        "login-required",
        "health/health.go v1.14-v1.66",
    ),
    _e(
        'health("overall"): error: TLS connection error for "controlplane.tailscale.com": x509: certificate signed '
        "by unknown authority",
        "health:tls-connection-failed tls-intercepted",
        "health/health.go v1.36-v1.66",
    ),
    _e(
        'health("overall"): error: state=Stopped, wantRunning=false',
        "health:wantrunning-false",
        "health/health.go v1.14-v1.66",
    ),
    _e(
        'health("overall"): error: multiple errors: not in map poll; no DERP home',
        "control-unreachable derp-unreachable",
        "the same, folded onto one line",
    ),
    # ipn/ipnlocal updateExitNodeUsageWarning (v1.62-v1.96): healthmsg.WarnExitNodeUsage + ": [warn…], " +
    # healthmsg.DisableRPFilter, first under "overall", from v1.68 as the exit-node-misconfiguration warnable
    _e(
        'health("overall"): error: multiple errors: not in map poll; The following issues on your machine will '
        'likely make usage of exit nodes impossible: [interface "eth0" has strict reverse-path filtering enabled], '
        "please set rp_filter=2 instead of rp_filter=1; see https://github.com/tailscale/tailscale/issues/3310",
        "control-unreachable health:exit-node-misconfiguration",
        "health/health.go v1.62-v1.66 overall over ipnlocal's rp_filter check",
    ),
    _e(
        'health("overall"): error: The following issues on your machine will likely make usage of exit nodes '
        'impossible: [interface "ens4" has strict reverse-path filtering enabled interface "tailscale0" has strict '
        "reverse-path filtering enabled], please set rp_filter=2 instead of rp_filter=1; see "
        "https://github.com/tailscale/tailscale/issues/3310",
        "health:exit-node-misconfiguration",
        "the same check alone, v1.62-v1.66",
    ),
    _e(
        'health("overall"): error: multiple errors:\n\tnot in map poll\n\tThe following issues on your machine will '
        'likely make usage of exit nodes impossible: [interface "eth0" has strict reverse-path filtering enabled], '
        "please set rp_filter=2 instead of rp_filter=1; see https://github.com/tailscale/tailscale/issues/3310",
        "control-unreachable health:exit-node-misconfiguration",
        "the same as util/multierr prints it: one tab-indented error per line under the stamped head",
    ),
    _e(
        "health(warnable=exit-node-misconfiguration): error: Exit node misconfiguration: The following issues on "
        'your machine will likely make usage of exit nodes impossible: [interface "eth0" has strict reverse-path '
        "filtering enabled], Please set rp_filter=2 instead of rp_filter=1; see "
        "https://github.com/tailscale/tailscale/issues/3310",
        "health:exit-node-misconfiguration",
        "ipn/ipnlocal/local.go exitNodeMisconfigurationWarnable v1.68-v1.96",
    ),
    _e('health("tailnet-lock"): error: tka sync: fetching bootstrap: EOF', "tailnet-lock-sync-failed", "v1.30-v1.66"),
    _e('health("dns-manager"): error: getting OS base config is not supported', "dns-config-failed", "v1.40-v1.66"),
    _e(
        ('health("overall"): error: no DERP home', 'health("overall"): ok'),
        "none",
        "health/health.go v1.14-v1.66 ok line",
    ),
    # ------------------------------------------------------------- control/controlclient, ipn/ipnlocal
    _e(
        'control: [v1] TryLogin: fetch control key: Get "https://controlplane.tailscale.com/key?v=88": dial tcp '
        "192.200.0.109:443: i/o timeout",
        "control-unreachable",
        "control/controlclient/direct.go fetch control key, auto.go report, v1.0+",
    ),
    _e(
        'Received error: fetch control key: Get "https://controlplane.tailscale.com/key?v=88": x509: certificate '
        "signed by unknown authority",
        "control-unreachable tls-intercepted",
        "ipn/ipnlocal/local.go 'Received error: %v'",
    ),
    _e(
        "Received error: register request: http 401: invalid key: API key does not exist",
        "login-required",
        "control/controlclient/direct.go 'register request: http %d: %.200s'",
    ),
    _e(
        "control: [v1] TryLogin: invalid key: unable to validate API key",
        "login-required",
        "direct.go vizerror.New(resp.Error) (RegisterResponse.Error), auto.go report",
    ),
    _e(
        "control: RegisterReq: got response; nodeKeyExpired=false, machineAuthorized=false; authURL=false",
        "needs-machine-auth",
        "control/controlclient/direct.go RegisterReq: got response",
    ),
    _e(
        "Switching ipn state Starting -> NeedsMachineAuth (WantRunning=true, nm=true)",
        "needs-machine-auth",
        "ipn/ipnlocal/local.go enterState",
    ),
    _e(
        "Switching ipn state NoState -> NeedsLogin (WantRunning=true, nm=false)",
        "login-required",
        "ipn/ipnlocal/local.go",
    ),
    _e(
        (
            "Switching ipn state NoState -> NeedsLogin (WantRunning=true, nm=false)",
            "control: AuthURL is https://login.tailscale.com/a/1a2b3c4d5e6f",
            "control: RegisterReq: got response; nodeKeyExpired=false, machineAuthorized=true; authURL=false",
            "Switching ipn state NeedsLogin -> Starting (WantRunning=true, nm=true)",
            "Switching ipn state Starting -> Running (WantRunning=true, nm=true)",
        ),
        "none",
        "a login that completes",
    ),
    _e(
        "control: map response long-poll timed out!",
        "control-unreachable",
        "control/controlclient/direct.go v1.0+",
    ),
    _e(
        'control: [v1] mapRoutine: PollNetMap: Post "https://controlplane.tailscale.com/machine/map": context '
        "deadline exceeded",
        "control-unreachable",
        "auto.go report (v1.34+ '[v1] %s: %v')",
    ),
    _e(
        "control: [v1] PollNetMap: initial fetch failed 403: node not authorized",
        "control-unreachable",
        "direct.go 'initial fetch failed %d: %.200s'",
    ),
    _e(
        "control: controlhttp: failed dialing using DialPlan, falling back to DNS; errs=dial tcp 1.2.3.4:80: i/o "
        "timeout",
        "none",
        "control/controlhttp/client.go (a fallback, not a failure)",
    ),
    _e(
        'control: bootstrapDNS("derp1f.tailscale.com", "199.38.181.104") for "controlplane.tailscale.com" error: '
        'Get "https://derp1f.tailscale.com/bootstrap-dns?q=controlplane.tailscale.com": dial tcp 199.38.181.104:443: '
        "i/o timeout",
        "control-unreachable",
        "net/dnsfallback/dnsfallback.go v1.10+",
    ),
    # lead (session 16, blind 35: 1860): the fallback is tried only once the OS resolver failed for the log server,
    # so its failing try is log upload failing (info: exit 0), never control
    _e(
        'logtail: bootstrapDNS("derp9.tailscale.com", "207.148.3.137") for "log.tailscale.io" error: dial tcp: i/o '
        "timeout",
        "log-upload-failing",
        "net/dnsfallback for logtail (log upload only)",
    ),
    _e(
        "control: client.Login(false, 0)",
        "none",
        "control/controlclient/auto.go",
    ),
    _e(
        "control: [v1] authRoutine: state:authenticated; goal=nil",
        "none",
        "control/controlclient/auto.go v1.0-v1.4x",
    ),
    _e(
        "control: netmap: control says to open URL https://login.tailscale.com/a/abc; opening...",
        "none",
        "direct.go (a browser popup, e.g. after Tailnet-side re-auth)",
    ),
    # ------------------------------------------------------------------------------------------ tsnet
    # (a refused key is also the embedded node's log issue: it stays logged out, login-required)
    _e(
        "tsnet.Up: backend: invalid key: unable to validate API key",
        "auth-key-rejected login-required",
        "tsnet/tsnet.go 'tsnet.Up: backend: %s' (ErrMessage), v1.36+",
    ),
    _e(
        "tsnet.Up: backend: invalid key: API key kJ4b7Q3CNTRL not valid",
        "auth-key-rejected login-required",
        "tsnet/tsnet.go 'tsnet.Up: backend: %s' (ErrMessage), v1.36+",
    ),
    _e(
        "tsnet.Up: backend: requested tags [tag:web] are invalid or not permitted",
        "tags-not-permitted",
        "tsnet/tsnet.go over control's RegisterResponse.Error (the app's refusal)",
    ),
    _e(
        'tsnet.Up: backend: fetch control key: Get "https://controlplane.tailscale.com/key?v=88": dial tcp '
        "192.200.0.109:443: i/o timeout",
        "control-unreachable",
        "tsnet/tsnet.go: control not reached (a network failure, no refusal)",
    ),
    _e(
        "To start this tsnet server, restart with TS_AUTHKEY set, or go to: https://login.tailscale.com/a/1a2b3c",
        "login-required",
        "tsnet/tsnet.go v1.36+",
    ),
    _e(
        (
            "LocalBackend state is NeedsLogin; running StartLoginInteractive...",
            "AuthLoop: state is Running; done",
        ),
        "none",
        "tsnet/tsnet.go",
    ),
    # --------------------------------------------------------------------- magicsock / derphttp (DERP)
    _e(
        "magicsock: derp.Send(127.3.3.40:2): derphttp.Client.Send connect to region 2 (sfo): dial tcp "
        "64.227.102.117:443: connect: network is unreachable",
        "derp-unreachable",
        "derp/derphttp/derphttp_client.go '%s connect to %v: %v', v1.0+",
    ),
    _e(
        "magicsock: [0xc0004e8000] derp.Recv(derp-4): derphttp.Client.Recv connect to region 4 (fra): tls: failed "
        "to verify certificate: x509: certificate signed by unknown authority",
        "derp-unreachable tls-intercepted",
        "wgengine/magicsock/derp.go 'magicsock: [%p] derp.Recv(derp-%d): %v'",
    ),
    _e(
        (
            "magicsock: [0xc0004e8000] derp.Recv(derp-4): derphttp.Client.Recv connect to region 4 (fra): context "
            "deadline exceeded",
            "magicsock: derp-4 connected; connGen=2",
        ),
        "none",
        "a DERP connect that succeeds later (magicsock/derp.go 'derp-%d connected')",
    ),
    _e(
        "magicsock: derp-2 does not know about peer [Ab1Cd], removing route",
        "none",
        "wgengine/magicsock/derp.go (the peer left that region)",
    ),
    _e(
        "magicsock: closing connection to derp-4 (idle), age 1m0s",
        "none",
        "wgengine/magicsock/derp.go",
    ),
    _e(
        "[v1] magicsock: derp.Recv(derp-4): network down, closing",
        "none",
        "wgengine/magicsock/derp.go (tailscaled closing on purpose)",
    ),
    _e(
        "magicsock: disco: failed to send ping to 127.3.3.40:4 [xI8Q9]: too many DERP packets queued; dropping",
        "derp-send-queue-full",
        "wgengine/magicsock errDropDerpPacket",
    ),
    _e(
        "magicsock: endpoint update (link-change-major) failed: netcheck: STUN send error: sendto: network is "
        "unreachable",
        "none",
        "wgengine/magicsock/magicsock.go (retried on the next change)",
    ),
    # lead (session 15, blind 32: 1669): was routine; the socket is judged broken and magicsock rebinds, dropping
    # DERP connections (every netcheck again on an IPv6-only host): rebind-churn
    _e(
        "magicsock: last netcheck reported send error. Rebinding.",
        "rebind-churn",
        "wgengine/magicsock/magicsock.go",
    ),
    _e(
        "magicsock: unable to bind udp4 port 41641: listen udp4 :41641: bind: address already in use",
        "port-in-use",
        "wgengine/magicsock/magicsock.go bindSocket",
    ),
    _e(
        "magicsock: [warning] failed to force-set UDP read buffer size to 7340032: operation not permitted; using "
        "kernel default values (impacts throughput only)",
        "none",
        "wgengine/magicsock/magicsock.go (throughput only)",
    ),
    _e(
        "magicsock: disco: node [Ab1Cd] d:0123456789abcdef now using 203.0.113.7:41641 mtu=1360 tx=abcdef012345",
        "none",
        "wgengine/magicsock/endpoint.go (a direct path)",
    ),
    _e(
        "magicsock: disco: timeout waiting for pong 0a1b2c3d4e5f from 198.51.100.9:41641 ([Ab1Cd], d:0123456789abcdef)",
        "peer-unreachable",
        "wgengine/magicsock/endpoint.go (repeated)",
    ),
    # ---------------------------------------------------------------------------- pendopen (wgengine)
    _e(
        "open-conn-track: timeout opening (TCP 100.101.102.103:52344 => 100.88.1.2:22) to node [Ab1Cd]; online=yes, "
        "lastRecv=1m2s",
        "peer-unreachable",
        "wgengine/pendopen.go",
    ),
    _e(
        "open-conn-track: timeout opening (TCP 100.101.102.103:52344 => 100.88.1.2:443); no associated peer node",
        "no-peer-for-address",
        "wgengine/pendopen.go",
    ),
    _e(
        "open-conn-track: timeout opening (TCP 100.96.229.119:42798 => 185.125.190.49:80); no associated peer node",
        "none",
        "wgengine/pendopen.go (NetworkManager's probe leaking into the tunnel)",
    ),
    # ---------------------------------------------------------------------------------- netcheck / portmapper
    _e(
        "netcheck: [v1] report: udp=true v6=false v6os=true mapvarydest=false hair= portmap= v4a=203.0.113.7:41641 "
        "derp=4 derpdist=4v4:22ms",
        "none",
        "net/netcheck/netcheck.go report",
    ),
    _e(
        '[v1] netcheck: measuring HTTPS latency of fra (4): Get "https://derp4d.tailscale.com/derp/latency-check": '
        "context deadline exceeded",
        "none",
        "net/netcheck/netcheck.go (one region's latency)",
    ),
    _e(
        'netcheck: DNS lookup error for "derp4d.tailscale.com" (node "4d" region 4): lookup derp4d.tailscale.com: '
        "no such host",
        "none",
        "net/netcheck/netcheck.go",
    ),
    _e("portmapper: PMP probe failed due result code: {ResultCode:5}", "none", "net/portmapper/portmapper.go"),
    _e(
        "[v1] portmapper: UPnP reply 192.168.1.1:1900 not from gateway, ignoring",
        "none",
        "net/portmapper (routine)",
    ),
    # ----------------------------------------------------------------------------------------- tailnet lock
    _e(
        "Tailnet lock is dropping peer 12345(nAb1CdCNTRL) due to missing signature",
        "tailnet-lock-dropped-peer",
        "ipn/ipnlocal/tailnet-lock.go v1.5x+",
    ),
    _e(
        "Network lock is dropping peer 12345(nAb1CdCNTRL) due to failed signature check: invalid signature",
        "tailnet-lock-dropped-peer",
        "ipn/ipnlocal/network-lock.go v1.30-v1.5x",
    ),
    _e(
        "Tailnet lock is dropping peer 12345(nAb1CdCNTRL) due to key rotation",
        "none",
        "ipn/ipnlocal/tailnet-lock.go (an old key a newer one replaced)",
    ),
    _e(
        "[v1] TKA sync error: bootstrap: network-lock is not supported in this configuration, try setting --statedir",
        "tailnet-lock-sync-failed",
        "ipn/ipnlocal/local.go '[v1] TKA sync error: %v'",
    ),
    # ------------------------------------------------------------------------------------- serve / inbound
    _e(
        "http: proxy error: dial tcp 127.0.0.1:8080: connect: connection refused",
        "serve-backend-unreachable",
        "ipn/ipnlocal/serve.go reverse proxy (Go's httputil)",
    ),
    _e(
        "[unexpected] local-serve: no handler for 100.64.0.2:52344 to port 443",
        "inbound-port-unhandled",
        "ipn/ipnlocal/serve.go v1.52+",
    ),
    _e(
        "localbackend: failed to TCP proxy port 443 (from 100.101.102.103:52344) to 127.0.0.1:8080: dial tcp "
        "127.0.0.1:8080: connect: connection refused",
        "serve-backend-unreachable",
        "ipn/ipnlocal/serve.go 'localbackend: failed to TCP proxy port %v (from %v) to %s: %v', v1.3x+",
    ),
    _e(
        "localbackend: failed to TCP proxy port 5432 (from 100.101.102.103:52344) to db.internal:5432: dial tcp: "
        "lookup db.internal: no such host",
        "serve-backend-unreachable",
        "ipn/ipnlocal/serve.go (a serve backend on another host)",
    ),
    # ---------------------------------------------------- control, the 2020-2022 wordings (v1.0-v1.3x)
    _e(
        'control: PollNetMap: Post "https://login.tailscale.com/machine/3fa85f64/map": dial tcp: lookup '
        "login.tailscale.com on 127.0.0.53:53: server misbehaving",
        "control-unreachable",
        "control/controlclient/auto.go v1.0 'c.logf(\"%s: %v\", msg, err)', the pre-noise URL",
    ),
    _e(
        'control: TryLogin: Post "https://login.tailscale.com/machine/register": x509: certificate signed by '
        "unknown authority",
        "control-unreachable tls-intercepted",
        "control/controlclient/auto.go v1.0-v1.2x",
    ),
    _e(
        'control: [v1] TryLogin: Post "https://controlplane.tailscale.com/ts2021": tls: failed to verify certificate: '
        "x509: certificate has expired or is not yet valid: current time 2020-01-01T00:00:05Z is before "
        "2025-06-01T00:00:00Z",
        "control-unreachable clock-skew",
        "control/controlhttp (Noise over HTTPS), v1.32+",
    ),
    _e(
        'control: [v1] TryLogin: register request: Post "https://controlplane.tailscale.com/machine/register": '
        "unexpected EOF",
        "control-unreachable",
        "control/controlclient/direct.go 'register request: %w'",
    ),
    _e("Received error: register request: http 500: internal error", "control-unreachable", "direct.go, a 5xx"),
    _e(
        "Received error: register request: http 403: machine key not authorized",
        "login-required",
        "direct.go, a 4xx: control answered",
    ),
    _e(
        "Received error: invalid key: unable to validate API key",
        "login-required",
        "ipn/ipnlocal/local.go over direct.go's RegisterResponse.Error",
    ),
    _e(
        "Received error: PollNetMap: initial fetch failed 404: node not found",
        "login-required",
        "direct.go 'initial fetch failed %d: %.200s' (the node was deleted)",
    ),
    _e(
        "control: RegisterReq: got response; nodeKeyExpired=true, machineAuthorized=true; authURL=false",
        "login-required",
        "direct.go RegisterReq: got response",
    ),
    _e("control: server reports new node key [Ab1Cd] has expired", "login-required", "direct.go v1.0+"),
    _e("control: Old key expired -> regen=true", "login-required", "direct.go v1.0+"),
    _e("control: [v1] authRoutine: state:not-authenticated; goal=nil", "login-required", "auto.go v1.0-v1.4x"),
    _e("control: [v1] authRoutine: loggedIn=false; goal=nil paused=false", "login-required", "auto.go v1.5x+"),
    _e("control: mapRoutine: state:synchronized", "none", "auto.go v1.0-v1.4x"),
    _e("control: [v1] mapRoutine: netmap received: loggedIn=true inMapPoll=true", "none", "auto.go v1.5x+"),
    _e("control: doLogin(regen=false, hasUrl=false)", "none", "direct.go"),
    # ------------------------------------------------------------- containerboot (operator-managed proxies)
    _e(
        "boot: 2025/07/01 10:00:00 Auth key failed to authenticate (may be expired or single-use), disconnecting "
        "from control and requesting new key from operator",
        "login-required",
        "cmd/containerboot/main.go, 2025+",
    ),
    _e(
        (
            "Auth key failed to authenticate (may be expired or single-use), disconnecting from control and "
            "requesting new key from operator",
            "Switching ipn state Starting -> Running (WantRunning=true, nm=true)",
        ),
        "none",
        "cmd/containerboot: the operator's new key worked",
    ),
    # ---------------------------------------------------------------------- DERP, more wordings (v1.0+)
    _e(
        "magicsock: [0xc000a2c000] derp.Recv(derp-2): derp.Recv: unexpectedly large frame of 1414811695 bytes returned",
        "derp-unreachable",
        "derp/derp_client.go (an HTTP answer where a DERP frame should be: a proxy in the way), repeated",
    ),
    _e("derphttp.Client.Connect: connecting to derp-2 (sfo)", "none", "derp/derphttp/derphttp_client.go"),
    _e("magicsock: home is now derp-2 (sfo)", "none", "wgengine/magicsock/derp.go"),
    # the catalog pastes a lone message twice: one key refused twice is peer-key-unknown (blind batch 30 lead decision)
    _e("magicsock: DERP packet from unknown key: [Ab1Cd]", "peer-key-unknown", "wgengine/magicsock v1.0-v1.2x"),
    _e("magicsock: derp route for [Ab1Cd] set to derp-2 (shared home)", "none", "wgengine/magicsock/derp.go"),
    _e(
        "magicsock: Rebind ignoring IPv6 bind failure: listen udp6 :41641: socket: address family not supported by "
        "protocol",
        "none",
        "wgengine/magicsock/magicsock.go (no IPv6 on the host)",
    ),
    _e(
        "Receive func ReceiveIPv4 exiting with error: *net.OpError, read udp4 0.0.0.0:41641: use of closed network "
        "connection",
        "none",
        "wgengine/magicsock/magicsock.go (a rebind closing the socket)",
    ),
    _e(
        "wg: [Ab1Cd] - Handshake did not complete after 5 seconds, retrying (try 3)",
        "peer-unreachable",
        "wireguard-go under wglog, v1.4+",
    ),
    _e(
        "peerapi: failed to do peerAPI listen, harmless (netstack available) but error was: listen tcp4 "
        "100.64.0.1:0: bind: cannot assign requested address",
        "none",
        "ipn/ipnlocal/peerapi.go",
    ),
    # ------------------------------------------------------------------------------- tailnet lock, more
    _e(
        "initTKALocked: opening tailchonk: open /var/lib/tailscale/tka: permission denied",
        "tailnet-lock-sync-failed state-unwritable",
        "ipn/ipnlocal/tailnet-lock.go (its state directory is not writable)",
    ),
    _e("[v1] TKA sync error: tkaSyncIfNeeded: no node key in prefs", "none", "not logged in yet (not a lock failure)"),
    _e('health("dns-os"): error: getting OS base config is not supported', "dns-config-failed", "v1.2x-v1.66"),
    _e('health("router"): error: setting up netfilter: exit status 4', "firewall-failed", "v1.14-v1.66"),
    # ------------------------------------------------------------ ipn/ipnlocal: state saved, routine errors
    _e(
        "failed to save updated and reconciled prefs (but still using updated prefs in memory): open "
        "/var/lib/tailscale/tailscaled.state.tmp: read-only file system",
        "state-unwritable",
        "ipn/ipnlocal/local.go v1.5x+",
    ),
    _e(
        "Failed to save new controlclient state: open /var/lib/tailscale/tailscaled.state.tmp: no space left on device",
        "state-unwritable",
        "ipn/ipnlocal/local.go v1.0+",
    ),
    _e(
        "error writing machine key to store: open /var/lib/tailscale/tailscaled.state: permission denied",
        "state-unwritable",
        "ipn/ipnlocal/local.go",
    ),
    _e("wgengine status error: engine closing; no status", "none", "ipn/ipnlocal/local.go (shutting down)"),
    _e("Reconfig(down): wgengine: Reconfig: wgdev.Reconfig: engine closing", "none", "ipn/ipnlocal (shutting down)"),
    _e(
        "failed to log out ephemeral node on shutdown after 5s: context deadline exceeded",
        "none",
        "ipn/ipnlocal/local.go (the node is going away anyway)",
    ),
    _e(
        '[unexpected] peerapi listen("100.101.102.103") error: listen tcp4 100.101.102.103:0: bind: cannot assign '
        "requested address",
        "none",
        "ipn/ipnlocal/local.go (retried once the address is up)",
    ),
    _e(
        "magicsock: disco: failed to send ping to 192.168.1.20:41641 [Ab1Cd]: sendto: operation not permitted",
        "none",
        "wgengine/magicsock 'disco: failed to send %v to %v %s: %v' (one candidate path)",
    ),
    _e(
        "magicsock: disco: failed to send call-me-maybe to 127.3.3.40:2 [Ab1Cd]: derp.Send: connection closed",
        "none",
        "wgengine/magicsock (a DERP connection being replaced)",
    ),
    # ------------------------------------------------------------------------------------- logtail / update
    _e(
        'logtail: upload: log upload of 4021 bytes compressed failed: Post "https://log.tailscale.com/c/tailnode.log.'
        'tailscale.io/abc": dial tcp: lookup log.tailscale.com: no such host',
        "log-upload-failing",
        "logtail/logtail.go 'log upload of %d bytes %s failed: %v'",
    ),
    _e(
        'logtail: dial "log.tailscale.io:443" failed: dial tcp: lookup log.tailscale.io on 127.0.0.11:53: no such host '
        "(in 3ms), trying bootstrap...",
        "log-upload-failing",
        "logtail/logtail.go v1.0-v1.3x",
    ),
    _e(
        "logtail: upload: log upload of 12345 bytes compressed failed 429: rate limited",
        "log-upload-failing",
        "logtail/logtail.go 'log upload of %d bytes %s failed %d: %s'",
    ),
    _e(
        "c2n: update command failed: exit status 1, output: apt-get update failed: exit status 100; output:\nErr:1 "
        "https://pkgs.tailscale.com/stable/debian bookworm InRelease Could not resolve 'pkgs.tailscale.com'",
        "update-failed",
        "feature/clientupdate/clientupdate.go '%s: update command failed: %v, output: %s', v1.48+",
    ),
    _e(
        'offline auto-update: failed: failed to find cmd/tailscale binary: exec: "tailscale": executable file not '
        "found in $PATH",
        "update-failed",
        "feature/clientupdate/clientupdate.go 'offline auto-update: failed: %v', v1.66+: the daemon keeps running on"
        " its old version; the CLI kind update-failed names the same refusal (one name, fix25b-logs)",
    ),
    _e(
        (
            "c2n: update command failed: exit status 1, output: something failed",
            "c2n: update attempt complete",
        ),
        "none",
        "a later update attempt that completes",
    ),
]


# The node facts a log gives: message(s) → {fact: value} ("peers": (name, path, endpoint) of each peer seen).
FactEntry = tuple[tuple[str, ...], dict[str, Any], str]
FACT_CATALOG: list[FactEntry] = [
    (
        ('Program starting: v1.80.0-t1234abcd-g5678, Go 1.23.4: []string{"/usr/sbin/tailscaled"}',),
        {"version": "1.80.0"},
        "logpolicy/logpolicy.go 'Program starting: v%v, Go %v: %#v', v1.0+",
    ),
    (
        ('Program starting: v1.0.1-t3c4d5e6f7, Go 1.14.4: []string{"/usr/sbin/tailscaled", "--port=41641"}',),
        {"version": "1.0.1"},
        "logpolicy/logpolicy.go v1.0",
    ),
    (
        ("Switching ipn state Starting -> Running (WantRunning=true)",),
        {"state": "Running"},
        "ipn/local.go v1.0-v1.2 (no nm=)",
    ),
    (
        ("Switching ipn state NoState -> NeedsLogin (WantRunning=true, nm=false)",),
        {"state": "NeedsLogin"},
        "ipn/ipnlocal/local.go",
    ),
    (("magicsock: home is now derp-2 (sfo)",), {"home_derp": "2"}, "wgengine/magicsock/derp.go"),
    (
        (
            "netcheck: report: udp=true v6=false mapvarydest=false hair=false portmap=? v4a=203.0.113.7:41641 derp=9 "
            "derpdist=9v4:20ms",
        ),
        {"home_derp": "9"},
        "net/netcheck v1.0-v1.3x (report line without [v1])",
    ),
    (
        ('wgengine.NewUserspaceEngine(tun "userspace-networking") ...',),
        {"userspace": True},
        "cmd/tailscaled tryEngine",
    ),
    (
        ('Starting userspace wireguard engine with tun device "tailscale0"',),
        {"userspace": False},
        "wgengine/userspace.go before v1.6",
    ),
    (
        ("magicsock: disco: node [Xy9Zz] d:0123456789abcdef now using 198.51.100.7:41641 mtu=1360 tx=abcdef012345",),
        {"peers": [("Xy9Zz", "direct", "198.51.100.7:41641")]},
        "wgengine/magicsock/endpoint.go",
    ),
    (
        ("magicsock: disco: node [Ab1Cd] d:0123456789abcdef now using 203.0.113.9:7777:vni:12 mtu=1280",),
        {"peers": [("Ab1Cd", "peer-relay", "203.0.113.9:7777:vni:12")]},
        "wgengine/magicsock/endpoint.go, a peer relay's epAddr (v1.86+)",
    ),
    (
        ("magicsock: disco: node [Xy9Zz] d:0123456789abcdef now using 198.51.100.7:41641",),
        {"peers": [("Xy9Zz", "direct", "198.51.100.7:41641")]},
        "wgengine/magicsock v1.2x-v1.5x (no mtu=)",
    ),
]


def _facts(prefix: str, messages: tuple[str, ...]) -> dict[str, Any]:
    document: dict[str, Any] = run_json(paste(prefix, messages))
    (log,) = document["daemon_logs"]
    return {
        "version": log["version"],
        "state": log["state"],
        "home_derp": (log["home_derp"] or {}).get("id"),
        "userspace": log["userspace"],
        "peers": [(peer["name"], peer["path"], peer["endpoint"]) for peer in document["peers"]],
    }


@pytest.mark.parametrize(("prefix", "entry"), [pytest.param(p, e, id=f"{i:02d}") for i, e in enumerate(FACT_CATALOG)
                                                for p in PREFIXES[1:3]])  # fmt: skip
def test_each_catalog_message_gives_its_node_fact(prefix: str, entry: FactEntry) -> None:
    messages, expected, source = entry
    facts = _facts(prefix, messages)
    assert {name: facts[name] for name in expected} == expected, source


# health/health.go v1.14-v1.66 over util/multierr: "multiple errors:" then "\n\t<err>" per check. A journal or
# syslog prefixes every line of it; each check is read.
MULTI_LINE_OVERALL = (
    'health("overall"): error: multiple errors:',
    "\tnot in map poll",
    "\tno udp4 bind",
    '\tThe following issues on your machine will likely make usage of exit nodes impossible: [interface "eth0" has '
    "strict reverse-path filtering enabled], please set rp_filter=2 instead of rp_filter=1; see "
    "https://github.com/tailscale/tailscale/issues/3310",
)


@pytest.mark.parametrize("prefix", [PREFIXES[1], PREFIXES[5], PREFIXES[7]])
def test_a_multi_line_overall_health_error_under_a_journal_prefix_reads_each_check(prefix: str) -> None:
    kinds, exit_code = read(prefix, MULTI_LINE_OVERALL)
    assert kinds == {"control-unreachable", "port-in-use", "health:exit-node-misconfiguration"}
    assert exit_code == 1


_RP_FILTER = (
    'The following issues on your machine will likely make usage of exit nodes impossible: [interface "eth0" has '
    "strict reverse-path filtering enabled], please set rp_filter=2 instead of rp_filter=1; see "
    "https://github.com/tailscale/tailscale/issues/3310"
)
_OVERALL_CHECKS = (
    ("not in map poll", "control-unreachable"),
    ("no udp4 bind", "port-in-use"),
    ("no DERP home", "derp-unreachable"),
    (_RP_FILTER, "health:exit-node-misconfiguration"),
)


@pytest.mark.parametrize("indent", ["\t", "    ", "  ", "\t\t"])
@pytest.mark.parametrize("prefix", [PREFIXES[2], PREFIXES[3], PREFIXES[4]])
@pytest.mark.parametrize("count", [2, 3, 4])
def test_a_multi_line_overall_error_pasted_with_bare_indented_errors_reads_each(
    prefix: str, indent: str, count: int
) -> None:
    # util/multierr's "\n\t<err>" lines carry no prefix of their own: each indented line under the stamped head is
    # one error, however the paste re-indented it, whatever the checks' order
    for start in range(len(_OVERALL_CHECKS)):
        checks = [_OVERALL_CHECKS[(start + step) % len(_OVERALL_CHECKS)] for step in range(count)]
        text = "\n".join(
            [prefix.format(msg='health("overall"): error: multiple errors:')] + [indent + error for error, _ in checks]
        )
        kinds, exit_code = issue_kinds(run_json(text + "\n"))
        assert kinds == {kind for _, kind in checks}, (prefix, indent, checks)
        assert exit_code == 1


test_each_catalog_message_reads_as_an_expert_reads_it = catalog_test(rotating_cases(CATALOG, PREFIXES, NOT_PROBLEMS))


def catalog_score() -> tuple[int, int]:
    """(entries read right under every prefix, entries): the figure a run before and after a change reports."""
    return entries_read_right(CATALOG, PREFIXES, NOT_PROBLEMS), len(CATALOG)


if __name__ == "__main__":
    right, total = catalog_score()
    print(f"read right: {right}/{total}")
