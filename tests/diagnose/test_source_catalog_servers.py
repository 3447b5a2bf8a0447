"""Catalog test: the servers and helpers around tailscaled, read from their source before anyone pasted them.

Each entry is one or more messages as the program logs them, with the issues an expert reads from them ("none":
a routine line that must raise nothing) and where the wording comes from (repository, file, versions). Every
entry runs under the line prefixes people paste (tests/diagnose/log_catalog.py), after a routine tailscaled line,
and a lone message twice.

Sections:
1. derper, the self-hosted DERP relay (tailscale/tailscale at de9ec7ee2: cmd/derper, derp/derpserver,
   net/stunserver, types/logger's HTTP server filter; v1.50 for the older wordings; golang.org/x/crypto's
   acme/autocert wordings as derper's http.Server logs them): its own failures are `derp-server-failed`, never a
   node's `derp-unreachable`; its start-up and the noise of the open internet are routine.
2. Headscale's own server lines (github.com/juanfont/headscale, hscontrol/ and cmd/ at v0.22.0 … v0.27.1 and
   f20f1f12): zerolog's console line without its caller path and its JSON record. They are the control server's,
   never a node's tailscaled lines nor a Tailscale CLI refusal, whatever Tailscale words their errors quote: a paste
   of them alone stays unrecognised (as the corpus' truths 666, 948 and 966 read it), and beside a node's log they
   add nothing to it.
3. tailscaled's UDP send errors (tailscale/tailscale at de9ec7ee2: wgengine/magicsock sendUDPBatch / sendUDPStd /
   maybeRebindOnError, magicsock_notplan9.go shouldRebind (v1.66-: EPERM, v1.80-: broken pipe), net/neterror
   TreatAsLostUDP (v1.20-: Linux's EPERM from an OUTPUT DROP/REJECT is a lost packet, not an error), wgengine/wglog
   (v1.6-: wireguard-go's "Failed to send data packet" dropped), net/batching's GSO fallback): the host's firewall or
   security software refusing tailscaled's outbound UDP is the new `udp-send-blocked`; a full socket buffer, a
   missing IPv6 route and a GSO fallback are routine.
4. Tailscale SSH session recording (tailscale/tailscale at de9ec7ee2: ssh/tailssh/tailssh.go startNewRecording,
   sessionrecording/connect.go; v1.24- "startNewRecording: %v", v1.40- fail-open vs fail-closed, v1.78- "recording
   upload ended before the SSH session"): a session refused or closed because its recording could not be made is
   `ssh-failed` (the session is refused, as the CLI kind reads it; the fix names the recorder), one that ran
   unrecorded (fail open) the new `ssh-recording-failed`; and the Kubernetes operator's routine reconciler lines
   (cmd/k8s-operator, zap JSON) raise nothing.
5. Wrappers' words not read yet: the NAS packages' Taildrop folder line (feature/taildrop/paths.go, ipn/ipnserver
   v1.8-v1.50: "<distro> Taildrop support: shared folder "Taildrop" not found", "<distro> Taildrop: using …"), a
   routine start-up note of tailscaled's under every prefix (before, under some prefixes the CLI's taildrop-failed);
   the GitHub Action's ping verdict and its other refusals (tailscale/github-action at d1b6cd2, src/main.ts); and
   caddy-tailscale's config errors as Caddy prints them (tailscale/caddy-tailscale at 4137648: app.go, module.go).
"""

from __future__ import annotations

import json

import pytest

from opskit.core.diagnose.headscale_log import HEADSCALE_MESSAGES
from opskit.errors import InputError
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

NOT_PROBLEMS = frozenset(("log-upload-failing",))
# derper logs under its own name in a journal or syslog (its unit, its container), not tailscaled's.
DERPER_PREFIXES = tuple(prefix.replace("tailscaled[", "derper[") for prefix in LOG_PREFIXES)
_e = entry
_KEY = "nodekey:3f0b9a1c2d4e5f60718293a4b5c6d7e8f9011223344556677889900aabbccdd"

DERPER: list[Entry] = [
    # ------------------------------------------------------------------ start-up (routine)
    _e("no config path specified; using /var/lib/derper/derper.key", "none", "cmd/derper/derper.go:126, all"),
    _e("derper: serving on :443 with TLS", "none", "cmd/derper/derper.go:351, all"),
    _e("derper: serving on :8080", "none", "cmd/derper/derper.go:417 (plain HTTP behind a proxy), all"),
    _e("STUN server listening on [::]:3478", "none", "net/stunserver/stunserver.go:54, v1.52-"),
    _e("running STUN server on [::]:3478", "none", "cmd/derper/derper.go v1.50 and older"),
    _e("No mesh key configured", "none", "cmd/derper/derper.go:246"),
    _e("DERP mesh key configured", "none", "cmd/derper/derper.go v1.50 and older"),
    _e("Running in dev mode.", "none", "cmd/derper/derper.go:174"),
    _e(
        "derper: acme: loaded cached cert for 203.0.113.7 (expires 2026-12-01 10:00:00 +0000 UTC)",
        "none",
        "cmd/derper/ipcert.go:287, v1.9x-",
    ),
    _e(
        "rate config applied: client-rate=10485760 bytes/sec, client-burst=20971520 bytes",
        "none",
        "derp/derpserver/derpserver.go:567",
    ),
    _e("derper: rate config reloaded successfully", "none", "cmd/derper/derper.go:446"),
    _e(
        "admission controller unreachable; allowing client " + _KEY,
        "none",
        "derp/derpserver/derpserver.go:1623 (fails open: the client is let in)",
    ),
    # ------------------------------------------------------------------ the open internet's noise (routine)
    _e(
        "http: TLS handshake error from 198.51.100.23:51234: acme/autocert: missing server name",
        "none",
        "x/crypto acme/autocert via derper's http.Server ErrorLog (a scanner without SNI)",
    ),
    _e(
        'http: TLS handshake error from 198.51.100.23:51234: acme/autocert: host "203.0.113.7" not configured in '
        "HostWhitelist",
        "none",
        "x/crypto acme/autocert HostWhitelist (a scanner by IP)",
    ),
    _e(
        "http: TLS handshake error from 198.51.100.23:51234: tls: client offered only unsupported versions: [302 301]",
        "none",
        "crypto/tls via derper's http.Server (an old client: TLS 1.0/1.1 refused on purpose)",
    ),
    _e(
        "http: TLS handshake error from 198.51.100.23:51234: tls: no cipher suite supported by both client and server",
        "none",
        "crypto/tls via derper's http.Server (a scanner)",
    ),
    _e(
        "derp: 198.51.100.23:51234: receive client key: unexpected EOF",
        "none",
        "derp/derpserver/derpserver.go:676+1024 (a probe that hung up)",
    ),
    _e(
        "derp: 198.51.100.23:51234: send server key: write tcp 203.0.113.7:443->198.51.100.23:51234: write: "
        "broken pipe",
        "none",
        "derp/derpserver/derpserver.go:676+1019",
    ),
    _e("STUN ReadFrom: read udp [::]:3478: use of closed network connection", "none", "net/stunserver (shutting down)"),
    # ------------------------------------------------------------------ --verify-clients refusals
    # (a refusal quoting the LocalAPI error of the tailscaled beside derper is that daemon not running: the CLI kind
    # service-not-running, as corpus 102 reads it)
    _e(
        f"derp: 100.64.0.5:40212: client {_KEY} rejected: peer {_KEY} not authorized (not found in local tailscaled)",
        "derp-server-failed",
        "derp/derpserver/derpserver.go:1029+1593, v1.68- (the node is not in the derper host's tailnet)",
    ),
    _e(
        f"derp: 100.64.0.5:40212: client {_KEY} rejected: client {_KEY} not in set of peers",
        "derp-server-failed",
        "derp/derp_server.go v1.30-v1.66",
    ),
    _e(
        f"derp: 100.64.0.5:40212: client {_KEY} rejected: failed to query local tailscaled status for {_KEY}: "
        "Failed to connect to local Tailscale daemon for /localapi/v0/whois; not running? Error: dial unix "
        "/var/run/tailscale/tailscaled.sock: connect: no such file or directory",
        "service-not-running",
        "derp/derpserver/derpserver.go:1600, v1.68- (no tailscaled beside derper)",
    ),
    _e(
        "derp: 100.64.0.5:40212: client 3f0b9a1c2d4e5f60718293a4b5c6d7e8f9011223344556677889900aabbccdd rejected: "
        "failed to query local tailscaled status: Failed to connect to local Tailscale daemon for /localapi/v0/status; "
        "not running? Error: dial unix /var/run/tailscale/tailscaled.sock: connect: connection refused",
        "service-not-running",
        "derp/derp_server.go v1.30-v1.66",
    ),
    _e(
        f"derp: 100.64.0.5:40212: client {_KEY} rejected: tailscaled version is too old (out of sync with derper "
        "binary)",
        "derp-server-failed",
        "derp/derpserver/derpserver.go:1597, v1.68-",
    ),
    _e(
        f"derp: 198.51.100.23:51234: client {_KEY} rejected: admission controller: 403 Forbidden",
        "derp-server-failed",
        "derp/derpserver/derpserver.go:1630 (--verify-client-url)",
    ),
    _e(
        f"derp: 198.51.100.23:51234: client {_KEY} rejected: admission controller: {_KEY}/198.51.100.23 not allowed",
        "derp-server-failed",
        "derp/derpserver/derpserver.go:1637",
    ),
    # ------------------------------------------------------------------ certificates
    _e(
        'http: TLS handshake error from 100.64.0.5:40212: acme/autocert: unable to authorize "derp.example.com"; '
        'challenge "tls-alpn-01" failed with error: acme: authorization error for derp.example.com: 403 '
        'urn:ietf:params:acme:error:unauthorized: Cannot negotiate ALPN protocol "acme-tls/1" for tls-alpn-01 '
        "challenge",
        "derp-server-failed",
        "x/crypto acme/autocert (Let's Encrypt cannot reach port 443 / 80: no certificate)",
    ),
    _e(
        "http: TLS handshake error from 100.64.0.5:40212: 429 urn:ietf:params:acme:error:rateLimited: too many "
        "certificates (5) already issued for this exact set of domains in the last 168h0m0s",
        "derp-server-failed",
        "x/crypto acme via autocert (Let's Encrypt's rate limit)",
    ),
    _e(
        'http: TLS handshake error from 100.64.0.5:40212: cert mismatch with hostname: "derp.example.com"',
        "derp-server-failed",
        "cmd/derper/cert.go:174, v1.14- (--certmode=manual: the DERP map's HostName is not the cert's)",
    ),
    _e(
        "derper: acme: getting cert for 203.0.113.7: finalizing order: 400 urn:ietf:params:acme:error:badCSR: "
        "Error finalizing order (next attempt in 1h0m0s)",
        "derp-server-failed",
        "cmd/derper/ipcert.go:268, v1.9x- (--acme-ip-certs)",
    ),
    # ------------------------------------------------------------------ fatal exits (derper does not run)
    _e(
        'derper: can not start cert provider: can not load x509 key pair for hostname "derp.example.com": open '
        "/var/lib/derper/derp.example.com.crt: no such file or directory",
        "derp-server-failed",
        "cmd/derper/derper.go:355 + cert.go:131, v1.14-",
    ),
    _e(
        "derper: can not start cert provider: --hostname is an IP address; use --certmode=manual for a self-signed "
        "cert, or set --acme-ip-certs to get LetsEncrypt IP address certs",
        "derp-server-failed",
        "cmd/derper/derper.go:355 + cert.go:61",
    ),
    _e('derper: can not start cert provider: unsupport cert mode: "lets-encrypt"', "derp-server-failed", "cert.go:106"),
    _e("derper: -c <config path> not specified", "derp-server-failed", "cmd/derper/derper.go:124"),
    _e(
        "derper: config: invalid character 'P' looking for beginning of value",
        "derp-server-failed",
        "cmd/derper/derper.go:138",
    ),
    _e("derper: listen tcp :443: bind: address already in use", "derp-server-failed", "cmd/derper/derper.go:426"),
    _e("invalid mesh key: key must contain exactly 64 hex digits", "derp-server-failed", "cmd/derper/derper.go:248"),
    _e("startMesh: no hostname or IP for mesh peer", "derp-server-failed", "cmd/derper/derper.go:254"),
    _e(
        "derper: loading rate config: error reading rate config: open /etc/derper/rate.json: no such file or directory",
        "derp-server-failed",
        "cmd/derper/derper.go:200",
    ),
    _e(
        "failed to open STUN listener: listen udp :3478: bind: address already in use",
        "derp-server-failed",
        "cmd/derper/derper.go v1.50 and older (fatal)",
    ),
    _e('unknown --home value "blank"', "derp-server-failed", "cmd/derper/derper.go:260"),
]

test_each_derper_message_reads_as_an_expert_reads_it = catalog_test(
    rotating_cases(DERPER, DERPER_PREFIXES, NOT_PROBLEMS)
)


@pytest.mark.parametrize(
    "start",
    ["no config path specified; using /var/lib/derper/derper.key", "derper: serving on :443 with TLS"],
)
def test_a_derper_log_alone_is_read_without_a_tailscaled_line(start: str) -> None:
    """A derper paste has no tailscaled line at all: its failure is still read, its start alone is not a log."""
    text = paste("2024/11/05 14:24:02 {msg}", ("derper: listen tcp :443: bind: address already in use",), start=start)
    assert issue_kinds(run_json(text)) == ({"derp-server-failed"}, 1)
    routine = paste("2024/11/05 14:24:02 {msg}", ("STUN server listening on [::]:3478",), start=start)
    with pytest.raises(InputError):  # nothing a Tailscale reader knows: exit 2, as for any unrecognised paste
        run_json(routine)


# ------------------------------------------------------------------------------------ 3. UDP send errors

_W = "write udp4 0.0.0.0:41641->203.0.113.7:41641"
SEND_ERRORS: list[Entry] = [
    _e(
        'magicsock: performing rebind due to "operation-not-permitted"',
        "udp-send-blocked",
        "wgengine/magicsock/magicsock.go:1606 + magicsock_notplan9.go:30, v1.66- (EDR or an OUTPUT rule: EPERM)",
    ),
    _e(
        'magicsock: not performing "operation-not-permitted" rebind due to throttle',
        "udp-send-blocked",
        "wgengine/magicsock/magicsock.go:1611, v1.66-",
    ),
    _e(
        f"wg: [Ab1Cd] - Failed to send handshake initiation: {_W}: sendmmsg: operation not permitted",
        "udp-send-blocked",
        "wireguard-go device/send.go via magicsock sendUDPBatch, v1.36- (a batch: EPERM not treated as lost)",
    ),
    _e(
        f"wg: [Ab1Cd] - Failed to send handshake initiation: {_W}: sendto: operation not permitted",
        "udp-send-blocked",
        "wireguard-go device/send.go, macOS/BSD (EPERM is lost only on Linux)",
    ),
    _e(
        "[v2] [Ab1Cd] - Failed to send handshake initiation: write udp4 0.0.0.0:41641->203.0.113.7:41641: wsasendto: "
        "An attempt was made to access a socket in a way forbidden by its access permissions.",
        "udp-send-blocked",
        "wireguard-go device/send.go under tailscaled's [v2] tag, v1.6-v1.34 on Windows (WSAEACCES)",
    ),
    _e(
        f"peer(Ab1Cd…) - Failed to send data packet: {_W}: sendto: operation not permitted",
        "udp-send-blocked",
        "wireguard-go v1.0-v1.4 (before wglog dropped data packet failures)",
    ),
    # routine
    _e('magicsock: performing rebind due to "broken-pipe"', "none", "magicsock_notplan9.go:22, v1.80- (healed by it)"),
    _e(
        "magicsock: disabled UDP GSO on 0.0.0.0:41641, NIC(s) may not support checksum offload",
        "none",
        "net/neterror ErrUDPGSODisabled via magicsock sendUDPBatch, v1.52- (a fallback)",
    ),
    _e(
        f"wg: [Ab1Cd] - Failed to send handshake initiation: {_W}: sendmsg: no buffer space available",
        "none",
        "wireguard-go device/send.go (ENOBUFS: the socket buffer was full for a moment; retried)",
    ),
    _e(
        "wg: [Ab1Cd] - Failed to send handshake initiation: write udp6 [::]:41641->[2001:db8::7]:41641: sendmmsg: "
        "network is unreachable",
        "none",
        "wireguard-go device/send.go (no IPv6 route: the IPv4 path and DERP carry it)",
    ),
    _e(
        "magicsock: disco: failed to send ping to [2001:db8::7]:41641 [Ab1Cd]: sendto: network is unreachable",
        "none",
        "wgengine/magicsock/magicsock.go:2071 (one candidate path without a route)",
    ),
    _e(
        "netcheck: STUN send error: sendto: no buffer space available",
        "none",
        "net/netcheck (a probe; the next report retries)",
    ),
]

# wireguard-go's TUN writes (tailscale/wireguard-go device/receive.go RoutineSequentialReceiver: "Failed to write
# packet to TUN device: %v" before the 2023 batched I/O, "Failed to write packets to TUN device: %v" since; wglog's
# "wg: " in front): every incoming packet dropped, the new `tun-write-failed`
TUN_WRITES: list[Entry] = [
    _e(
        "wg: Failed to write packets to TUN device: write /dev/tun: no space left on device",
        "tun-write-failed",
        "device/receive.go (batched, 2023-): macOS/iOS utun queue full (ENOSPC)",
    ),
    _e(
        "wg: Failed to write packets to TUN device: write /dev/tun: no buffer space available",
        "tun-write-failed",
        "device/receive.go (batched): utun ENOBUFS",
    ),
    _e(
        "wg: Failed to write packets to TUN device: write /dev/net/tun: input/output error",
        "tun-write-failed",
        "device/receive.go (batched): Linux EIO, the interface down or removed",
    ),
    _e(
        "Failed to write packet to TUN device: write /dev/net/tun: input/output error",
        "tun-write-failed",
        "device/receive.go before 2023 (one packet per write; v1.0-v1.36)",
    ),
    _e(
        "wg: Failed to write packets to TUN device: write /dev/net/tun: file already closed",
        "tun-write-failed",
        "device/receive.go: the device closed under the engine (twice: not the one line of a shutdown)",
    ),
    _e(
        "wg: Failed to write packets to TUN device: packet dropped by filter",
        "packet-dropped",
        "net/tstun/wrap.go ErrFiltered under device/receive.go: the inbound filter's drop, the TUN works",
    ),
]

# -------------------------------------------------------------------------- 4. SSH session recording

_SESS = "ssh-session(sess-20250404T101500-8f3a91c2d4): "
_REC_DIAL = (
    'recording: error starting recording on "100.64.0.9:80": Post "http://100.64.0.9:80/record": dial tcp '
    "100.64.0.9:80: connect: connection refused"
)
RECORDING: list[Entry] = [
    _e(
        _SESS + "recording: error starting recording (rejecting session): " + _REC_DIAL,
        "ssh-failed",
        "ssh/tailssh/tailssh.go:1463, v1.40- (fail closed: the recorder is unreachable, the session refused)",
    ),
    _e(
        _SESS + "startNewRecording: " + _REC_DIAL,
        "ssh-failed",
        'ssh/tailssh/tailssh.go:1075, v1.24- (the session is refused: "can\'t start new recording")',
    ),
    _e(
        _SESS + "startNewRecording: no recorders configured",
        "ssh-failed",
        "ssh/tailssh/tailssh.go:1419 (the policy wants a recording, no recorder is set)",
    ),
    _e(
        _SESS + "recording: error uploading recording (closing session): recording upload ended before the SSH session",
        "ssh-failed",
        "ssh/tailssh/tailssh.go:1496, v1.78- (fail closed mid-session)",
    ),
    _e(
        _SESS + "recording: error uploading recording (closing session): recording: received error from the recorder: "
        '"disk full"',
        "ssh-failed",
        "ssh/tailssh/tailssh.go:1496 + sessionrecording/connect.go:314, v1.66-",
    ),
    _e(
        (
            _SESS + "recording: error starting recording (failing open): " + _REC_DIAL,
            _SESS + "startNewRecording: <nil>",  # what a fail-open start logs next
        ),
        "ssh-recording-failed",
        "ssh/tailssh/tailssh.go:1469, v1.40- (fail open: the session runs unrecorded)",
    ),
    _e(
        _SESS + "recording: error uploading recording (failing open): recording: unexpected status: 502 Bad Gateway",
        "ssh-recording-failed",
        "ssh/tailssh/tailssh.go:1503 + sessionrecording/connect.go:249",
    ),
    # routine
    _e(_SESS + "startNewRecording: <nil>", "none", "ssh/tailssh/tailssh.go:1099"),
    _e(_SESS + "recording: finished uploading recording", "none", "ssh/tailssh/tailssh.go:1478"),
    _e(
        (
            _SESS + "recording: error starting recording (rejecting session): " + _REC_DIAL,
            'ssh-session(sess-20250404T101622-0c1d2e3f4a): access granted to alice@example.com as ssh-user "alice"',
            "ssh-session(sess-20250404T101622-0c1d2e3f4a): startNewRecording: <nil>",
        ),
        "none",
        "a later session recorded: the recorder is back",
    ),
]

# The operator's routine reconciler lines (cmd/k8s-operator at de9ec7ee2, zap JSON as controller-runtime logs them).
_OP = '{{"level":"{level}","ts":"2025-04-04T10:15:00Z","logger":"{logger}","msg":"{msg}"}}'
OPERATOR: list[Entry] = [
    _e(_OP.format(level="debug", logger="service-reconciler", msg="starting reconcile"), "none", "svc.go:98"),
    _e(_OP.format(level="debug", logger="service-reconciler", msg="reconcile finished"), "none", "svc.go:99"),
    _e(
        _OP.format(
            level="info",
            logger="proxygroup-reconciler",
            msg="optimistic lock error, retrying: the object has "
            "been modified; please apply your changes to the latest version and try again",
        ),
        "none",
        "proxygroup.go (retried)",
    ),
    _e(
        _OP.format(level="debug", logger="connector-reconciler", msg="Connector not found, assuming it was deleted"),
        "none",
        "connector.go:88",
    ),
    _e(_OP.format(level="info", logger="startup", msg="Startup complete, operator running"), "none", "operator.go"),
]

# ---------------------------------------------------------------------------------- 5. wrappers' words

TAILDROP_FOLDER: list[Entry] = [
    _e('synology Taildrop support: shared folder "Taildrop" not found', "none", "feature/taildrop/paths.go:69"),
    _e(
        'qnap Taildrop support: symlink to shared folder "Taildrop" not found',
        "none",
        "feature/taildrop/paths.go:109",
    ),
    _e('unraid Taildrop support: shared folder "Taildrop" not found', "none", "feature/taildrop/paths.go:114"),
    _e('truenas Taildrop support: shared folder "Taildrop" not found', "none", "feature/taildrop/paths.go:92"),
    _e('qnap Taildrop support: symlink "Taildrop" to shared folder not valid', "none", "paths.go:129"),
    _e("synology Taildrop: using /volume1/Taildrop", "none", "feature/taildrop/paths.go (ext.go) v1.52-"),
    _e("Synology Taildrop: using /volume1/Taildrop", "none", "ipn/ipnserver v1.8-v1.50"),
]

# The GitHub Action's lines, as a job log shows them (the runner's raw log with its stamp and annotation, the web
# view's "Error: ", bare).
ACTION_FORMS = ("2024-05-01T10:00:00.1234567Z ##[error]{msg}", "Error: {msg}", "{msg}")
# (message, CLI kinds, ping rules, source)
ACTION: list[tuple[str, frozenset[str], frozenset[str], str]] = [
    (
        "\u274c Ping host db-server did not respond",
        frozenset(),
        frozenset({"TS-PING-NO-REPLY"}),
        "src/main.ts:239 v4.1- (3 minutes of `tailscale ping -c 1` without a pong)",
    ),
    (
        "Caching of unstable releases is not supported on macOS runners",
        frozenset({"cli-usage"}),
        frozenset(),
        "src/main.ts:106",
    ),
    (
        "Cached MSI not found at D:\\a\\_temp\\tailscale-setup-1.94.2-amd64.msi",
        frozenset({"install-failed"}),
        frozenset(),
        "src/main.ts:575",
    ),
    (
        "Cached binaries not found in /opt/hostedtoolcache/tailscale/1.94.2/x64",
        frozenset({"install-failed"}),
        frozenset(),
        "src/main.ts:1017",
    ),
]

# caddy-tailscale's refusals as Caddy prints them: its Caddyfile adapter and the app's start.
CADDY: list[tuple[str, frozenset[str], str]] = [
    (
        "Error: adapting config using caddyfile: parsing caddyfile tokens for 'tailscale': unrecognized "
        "subdirective: authkey, at /etc/caddy/Caddyfile:4",
        frozenset(),
        "app.go:237 (a Caddyfile typo: Caddy's refusal, no Tailscale kind)",
    ),
    (
        '{"level":"warn","ts":1714557600.1,"logger":"tailscale","msg":"Relying on TS_AUTHKEY_{HOST} env var is '
        'deprecated. Set caddy config instead.","host":"nas"}',
        frozenset(),
        "module.go:326 (routine)",
    ),
]

# ---------------------------------------------------------------------------------------------- 2. Headscale

# Headscale's console lines: zerolog's RFC 3339 stamp and level (cmd/headscale/headscale.go: ConsoleWriter with
# time.RFC3339), bare, in a journal (NixOS runs it as headscale-start), under docker compose, markdown-quoted; and
# its JSON record (log.format: json; zerolog.TimeFieldFormat = TimeFormatUnix).
HEADSCALE_PREFIXES = (
    "2024-01-14T15:54:34Z {lvl} {msg}",
    "Jan 14 15:54:34 nixos headscale-start[61416]: 2024-01-14T15:54:34+13:00 {lvl} {msg}",
    "headscale     | 2025-07-18T02:27:17Z {lvl} {msg}",
    "> 2025-07-18T02:27:17.123Z {lvl} {msg}",
    "Jan 14 15:54:34 vps headscale[812]: 2024-01-14T15:54:34Z {lvl} {msg}",
)
_LEVEL_NAMES = {"TRC": "trace", "DBG": "debug", "INF": "info", "WRN": "warn", "ERR": "error", "FTL": "fatal"}
_X509 = "tls: failed to verify certificate: x509: certificate signed by unknown authority"

# (level, message, fields: key=value as zerolog's console prints them, source)
HeadscaleEntry = tuple[str, str, tuple[tuple[str, str], ...], str]
HEADSCALE: list[HeadscaleEntry] = [
    (
        "ERR",
        "Could not load DERP map from path",
        (("error", f'Get "https://controlplane.tailscale.com/derpmap/default": {_X509}'), ("func", "GetDERPMap")),
        "hscontrol/derp/derp.go:119 v0.26 (hscontrol/derp.go v0.22)",
    ),
    (
        "ERR",
        "failed to build new DERPMap, retrying later",
        (("error", 'Get "https://controlplane.tailscale.com/derpmap/default": context deadline exceeded'),),
        "hscontrol/app.go v0.26-",
    ),
    (
        "WRN",
        "failed to set up OIDC provider, falling back to CLI based authentication",
        (("error", f'Get "https://auth.example.com/.well-known/openid-configuration": {_X509}'),),
        "hscontrol/app.go v0.22-",
    ),
    ("ERR", "noise upgrade failed", (("error", "unexpected EOF"),), "hscontrol/noise.go:82 v0.22"),
    (
        "ERR",
        "Failed to reload ACL policy",
        (("error", "err parsing policy: hujson: line 12, column 3: invalid character '}'"),),
        "hscontrol/app.go:766 v0.22",
    ),
    (
        "WRN",
        "policy tests failed at boot; server starting anyway, fix the policy and reload",
        (("error", "test 1: source group:admins cannot reach tag:server:22"),),
        "hscontrol/app.go HEAD",
    ),
    ("ERR", "auth session expired before authorization completed", (), "hscontrol/auth.go HEAD"),
    ("WRN", "state not found in cache, login session may have expired", (), "hscontrol/oidc.go v0.23-"),
    (
        "ERR",
        "Invalid node key passed to registration url",
        (("error", "key hex has the wrong size, got 62 want 64"),),
        "hscontrol/handlers.go v0.22",
    ),
    (
        "ERR",
        "failed to open STUN listener: listen udp :3478: bind: address already in use",
        (),
        "hscontrol/derp/server/derp_server.go (the embedded DERP's STUN port; Msgf)",
    ),
    ("INF", "STUN server started at [::]:3478", (), "hscontrol/derp/server/derp_server.go"),
    ("INF", "listening and serving HTTP on: 0.0.0.0:8080", (), "hscontrol/app.go:717 v0.22-"),
    ("WRN", "Listening without TLS but ServerURL does not start with http://", (), "hscontrol/app.go v0.22"),
    (
        "INF",
        "Long poll session started because client connected",
        (("node", "laptop"), ("node.id", "3"), ("omitPeers", "false"), ("stream", "true")),
        "hscontrol/poll.go v0.26-",
    ),
    ("ERR", "Failed to update last seen in database", (("error", "database is locked"),), "hscontrol/poll.go v0.22"),
    (
        "ERR",
        "Failed to set up TLS configuration",
        (("error", "open /etc/headscale/tls.crt: no such file or directory"),),
        "hscontrol/app.go v0.22-",
    ),
    (
        "DBG",
        "Noise registration handler for client",
        (("handler", "NoiseRegistrationHandler"), ("node.key", "nodekey:3f0b9a1c")),
        "hscontrol/noise.go v0.22",
    ),
    (
        "ERR",
        "http internal server error",
        (("error", "node key expired"), ("handler", "PollNetMap")),
        "hscontrol/handlers.go httpError v0.23-",
    ),
]


def _quoted(value: str) -> str:
    return json.dumps(value) if " " in value or '"' in value else value


def _headscale_console(prefix: str, level: str, message: str, fields: tuple[tuple[str, str], ...]) -> str:
    # zerolog quotes a value holding a space or a quote, as JSON does
    rendered = " ".join(f"{k}={_quoted(v)}" for k, v in fields)
    return prefix.format(lvl=level, msg=f"{message} {rendered}".rstrip())


def _headscale_json(level: str, message: str, fields: tuple[tuple[str, str], ...]) -> str:
    record = {"level": _LEVEL_NAMES[level], **dict(fields), "time": 1705200874, "message": message}
    return json.dumps(record, separators=(",", ":"))


def _headscale_lines(prefix: str | None, item: HeadscaleEntry) -> str:
    level, message, fields, _ = item
    line = _headscale_json(level, message, fields) if prefix is None else _headscale_console(prefix, *item[:3])
    return f"{line}\n{line}\n"


_HS_FORMS = (*HEADSCALE_PREFIXES, None)  # None: the JSON record
HEADSCALE_CASES = [
    pytest.param(form, item, id=f"{index:03d}-{f}")
    for index, item in enumerate(HEADSCALE)
    for f, form in enumerate(_HS_FORMS)
    if f % 3 == index % 3 or f == 0 or form is None
]


def _read_headscale(form: str | None, item: HeadscaleEntry) -> tuple[set[str], int] | None:
    """A paste of the Headscale line alone: None when nothing is recognised (exit 2), else what is read."""
    try:
        return issue_kinds(run_json(_headscale_lines(form, item)))
    except InputError:
        return None


@pytest.mark.parametrize(("form", "item"), HEADSCALE_CASES)
def test_a_headscale_line_alone_is_not_a_node_log(form: str | None, item: HeadscaleEntry) -> None:
    assert _read_headscale(form, item) is None, item[3]


_NODE_LOG = (
    "Jan 14 15:55:02 laptop tailscaled[700]: logtail started\n"
    "Jan 14 15:55:03 laptop tailscaled[700]: Switching ipn state Starting -> Running (WantRunning=true, nm=true)\n"
)


@pytest.mark.parametrize(("form", "item"), HEADSCALE_CASES)
def test_a_headscale_line_adds_nothing_to_a_node_log_beside_it(form: str | None, item: HeadscaleEntry) -> None:
    document = run_json(_headscale_lines(form, item) + _NODE_LOG)
    assert issue_kinds(document) == (set(), 0), item[3]
    assert len(document["daemon_logs"]) == 1


# Every message Headscale logs (headscale_log.HEADSCALE_MESSAGES, read from its source), each with an error that
# quotes Tailscale's words, in turn under each form: none is a node's line.
_TAILSCALE_WORDED_ERRORS = (
    _X509,
    "listen udp :3478: bind: address already in use",
    "Received error: node key expired",
    "magicsock: home is now derp-999",
    "dial tcp 127.0.0.1:5432: connect: connection refused",
)


@pytest.mark.parametrize("index", range(0, len(HEADSCALE_MESSAGES), 3))
def test_every_headscale_message_with_tailscale_words_is_not_a_node_line(index: int) -> None:
    message = HEADSCALE_MESSAGES[index]
    item = ("ERR", message, (("error", _TAILSCALE_WORDED_ERRORS[index % 5]),), "headscale_log.HEADSCALE_MESSAGES")
    assert _read_headscale(_HS_FORMS[index % len(_HS_FORMS)], item) is None, message


def headscale_read_right() -> int:
    """Headscale entries read as an expert reads them under every form (alone: nothing recognised)."""
    return sum(all(_read_headscale(form, item) is None for form in _HS_FORMS) for item in HEADSCALE)


test_each_send_error_reads_as_an_expert_reads_it = catalog_test(rotating_cases(SEND_ERRORS, LOG_PREFIXES, NOT_PROBLEMS))


def test_one_refused_send_alone_is_no_finding() -> None:
    """EDR has been seen to refuse a socket's sends once and let a new one through (the rebind's reason): one line
    is a blip, two or more are a host that blocks tailscaled's UDP."""
    one = 'Nov 13 02:07:34 host tailscaled[11844]: magicsock: performing rebind due to "operation-not-permitted"\n'
    assert issue_kinds(run_json("Nov 13 02:07:30 host tailscaled[11844]: logtail started\n" + one)) == (set(), 0)


test_each_tun_write_failure_reads_as_an_expert_reads_it = catalog_test(
    rotating_cases(TUN_WRITES, LOG_PREFIXES, NOT_PROBLEMS)
)


test_each_recording_message_reads_as_an_expert_reads_it = catalog_test(
    rotating_cases(RECORDING, LOG_PREFIXES, NOT_PROBLEMS)
)


# zap JSON is pasted bare or behind kubectl's/a runtime's stamp
OPERATOR_PREFIXES = ("{msg}", "2025-04-04T10:15:00.123456789Z {msg}", "operator-7d9f  | {msg}")

test_each_routine_operator_line_raises_nothing = catalog_test(
    rotating_cases(OPERATOR, OPERATOR_PREFIXES, NOT_PROBLEMS, always=0)
)


test_the_nas_taildrop_folder_line_is_routine_under_every_prefix = catalog_test(
    rotating_cases(TAILDROP_FOLDER, LOG_PREFIXES, NOT_PROBLEMS)
)


def _action_reading(text: str) -> tuple[set[str], set[str]]:
    """The CLI kinds and the rules a paste gives (nothing for a paste not recognised)."""
    try:
        document = run_json(text)
    except InputError:
        return set(), set()
    return {w["kind"] for w in document["windows"]}, {f["rule"] for f in document["findings"]}


@pytest.mark.parametrize("form", ACTION_FORMS)
@pytest.mark.parametrize("item", ACTION, ids=lambda item: item[3])
def test_each_action_line_reads_as_an_expert_reads_it(
    form: str, item: tuple[str, frozenset[str], frozenset[str], str]
) -> None:
    message, kinds, rules, source = item
    got_kinds, got_rules = _action_reading(form.format(msg=message) + "\n")
    assert got_kinds == kinds, source
    assert rules <= got_rules, source


def test_the_action_ping_verdict_names_its_host() -> None:
    document = run_json("Error: \u274c Ping host db-server did not respond\n")
    assert [(p["target"], p["outcome"]) for p in document["pings"]] == [("db-server", "error")]


@pytest.mark.parametrize("item", CADDY, ids=lambda item: item[2])
def test_caddy_tailscale_lines_give_no_tailscale_kind(item: tuple[str, frozenset[str], str]) -> None:
    message, kinds, source = item
    assert _action_reading(message + "\n")[0] == kinds, source


def wrappers_read_right() -> int:
    """The Action's and caddy-tailscale's entries read as expected under every form."""
    right = 0
    for message, kinds, rules, _ in ACTION:
        readings = [_action_reading(form.format(msg=message) + "\n") for form in ACTION_FORMS]
        right += all(k == kinds and rules <= r for k, r in readings)
    right += sum(_action_reading(message + "\n")[0] == kinds for message, kinds, _ in CADDY)
    return right


CATALOGS = {
    "derper": (DERPER, DERPER_PREFIXES),
    "send-errors": (SEND_ERRORS, LOG_PREFIXES),
    "tun-writes": (TUN_WRITES, LOG_PREFIXES),
    "ssh-recording": (RECORDING, LOG_PREFIXES),
    "operator": (OPERATOR, OPERATOR_PREFIXES),
    "nas-taildrop": (TAILDROP_FOLDER, LOG_PREFIXES),
}


def catalog_score() -> dict[str, tuple[int, int]]:
    """Per section: (entries read right under every prefix, entries), the figure reported before and after."""
    score = {name: (entries_read_right(c, ps, NOT_PROBLEMS), len(c)) for name, (c, ps) in CATALOGS.items()}
    score["headscale"] = (headscale_read_right(), len(HEADSCALE))
    score["action+caddy"] = (wrappers_read_right(), len(ACTION) + len(CADDY))
    return score


def failures() -> list[str]:
    """Each entry read wrong, with what was read (for a developer's run)."""
    return [line for name, (c, ps) in CATALOGS.items() for line in misreadings(c, ps, NOT_PROBLEMS, label=f"{name}: ")]


if __name__ == "__main__":
    for section, (right, total) in catalog_score().items():
        print(f"{section}: read right {right}/{total}")
    print("\n".join(failures()))
