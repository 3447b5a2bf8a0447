"""Generated tests: the log vocabulary session 12 gave the sweep's unread families (tests/diagnose/log_sweep.py).

Read from tailscale/tailscale's source (HEAD de9ec7ee2, v1.103.0-pre; older wordings at the tags named): BIRD
(chirp, wgengine until v1.100, feature/bird since v1.102) is `bird-failed`; the Taildrive file server that keeps
exiting (drive/driveimpl, TailFS in v1.62) is `drive-failed`; Taildrop failing to store a received file
(ipn/ipnlocal/peerapi.go v1.8-v1.50, taildrop/ v1.52-v1.80, feature/taildrop v1.82+) is `taildrop-failed`; the peer
relay server (feature/relayserver, net/udprelay, v1.86+) is `peer-relay-failed`; host keys Tailscale SSH cannot
get (ipn/ipnlocal, v1.60+) are `ssh-failed` keyed `host-keys`. Each variant is drawn with varied values and pasted
under the prefixes people paste (journald, a bare Go stamp, `docker logs -t`, the Windows service's log file, logcat);
what a user sees is asserted on the JSON document: the issue's kind and key, its rule's finding quoting the line, and
the exit code. The same words in prose and the routine lines of each subsystem raise nothing.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.diagnose.conftest import run_json
from tests.diagnose.log_catalog import (
    log_issues,
    paste_lines,
    prose_lines_test,
    routine_lines_test,
    variant_family_test,
)
from tests.diagnose.test_android_catalog import FORMATS as LOGCAT_FORMATS
from tests.diagnose.test_android_catalog import GO_TAG

PREFIXES = {
    "journald": "Oct 06 09:12:44 router1 tailscaled[812]: {msg}",
    "go-stamp": "2025/10/06 09:12:44 {msg}",
    "docker": "2025-10-06T09:12:44.123456789Z 2025/10/06 09:12:44 {msg}",
    "windows-logfile": "2025-10-06T09:12:44.123-07:00: {msg}",
    "logcat": LOGCAT_FORMATS["threadtime"].format(lvl="I", tag=GO_TAG, msg="{msg}"),
}

# ------------------------------------------------------------------------------------------- values

_paths = st.sampled_from(["/var/run/bird.ctl", "/run/bird/bird.ctl", "/var/run/bird/bird.ctl", "/tmp/bird.sock"])
_tuns = st.sampled_from(["tailscale0", "ts0", "tailscale1"])
_dial_errors = st.sampled_from(["no such file or directory", "connection refused", "permission denied"])
_users = st.sampled_from(["alice", "bob", "media", "svc-backup"])
_exes = st.sampled_from(["/usr/sbin/tailscaled", "/usr/bin/tailscaled", "/opt/tailscale/tailscaled"])
_looping_sleeps = st.sampled_from(["4ms", "8ms", "16ms", "128ms", "1.024s", "2.048s", "16.384s", "30s"])
_all_sleeps = st.sampled_from(["2ms", "4ms", "64ms", "30s"])
_hashes = st.text(alphabet="0123456789abcdef", min_size=6, max_size=8)
_disk_errors = st.sampled_from(["permission denied", "read-only file system", "no space left on device"])
_ports = st.integers(min_value=1024, max_value=65535)
_stages = st.sampled_from(["Create", "Seek", "Truncate", "Close", "Rename"])
_dirs = st.sampled_from(["/var/lib/tailscale", "/volume1/@appdata/Tailscale", "/data/tailscale"])


# (message, kind, key) for one drawn variant; the finding must quote `quote`
Variant = tuple[str, str, str, str]


@st.composite
def bird_variants(draw: st.DrawFn) -> Variant:
    sock, tun, err = draw(_paths), draw(_tuns), draw(_dial_errors)
    engine = f'wgengine.NewUserspaceEngine(tun "{tun}") error: '
    message, key = draw(
        st.sampled_from(
            [
                # v1.16-v1.19 and v1.102+ (chirp.New's error straight from NewUserspaceEngine)
                (f"{engine}failed to connect to BIRD: dial unix {sock}: connect: {err}", "connect"),
                # v1.20-v1.100 (cmd/tailscaled's createBIRDClient wrapper)
                (f"{engine}createBIRDClient: failed to connect to BIRD: dial unix {sock}: connect: {err}", "connect"),
                (
                    "getLocalBackend error: createEngine: createBIRDClient: failed to connect to BIRD: "
                    f"dial unix {sock}: connect: {err}",
                    "connect",
                ),  # fmt: skip
                (f'{engine}createBIRDClient: reading response from bird failed (EOF): ""', "connect"),
                # BIRD answered the first "disable": no protocol named tailscale in bird.conf (v1.16+)
                (f"{engine}failed to disable tailscale: 8003 No protocols match", "protocol"),
                # run time (v1.16+): failover not taken by BIRD
                ("wgengine: error configuring BIRD: failed to enable tailscale: 8003 No protocols match", "protocol"),
                (f"wgengine: error configuring BIRD: write unix @->{sock}: write: broken pipe", "configure"),
                ("wgengine: error configuring BIRD: reading response from bird failed", "connect"),  # v1.16
            ]
        )
    )
    quote = sock if sock in message else message.rsplit(": ", 1)[-1]
    return message, "bird-failed", key, quote


@st.composite
def drive_variants(draw: st.DrawFn) -> Variant:
    exe = draw(_exes)
    message, key = draw(
        st.sampled_from(
            [
                (
                    f"user server {exe} stopped with error exit status {draw(st.integers(1, 3))}, will try again in "
                    f"{draw(_looping_sleeps)}",
                    "server",
                ),  # fmt: skip
                (
                    f"user server {exe} stopped with error start: fork/exec /usr/bin/sudo: permission denied, will try "
                    f"again in {draw(_looping_sleeps)}",
                    "server",
                ),  # fmt: skip
                # tailscaled as root could neither sudo nor su: it never serves as root (v1.62+)
                (
                    f'user server {exe} stopped with error "root" is root, will try again in {draw(_all_sleeps)}',
                    "as-root",
                ),  # fmt: skip
            ]
        )
    )
    return message, "drive-failed", key, exe


@st.composite
def taildrop_variants(draw: st.DrawFn) -> Variant:
    err, stage, tag = draw(_disk_errors), draw(_stages), draw(_hashes)
    name = draw(st.sampled_from(["photo.jpg", "report 2024.pdf", "IMG_0042.HEIC"]))
    base = draw(_dirs)
    message, key = draw(
        st.sampled_from(
            [
                (f"taildrop: put {stage} error: open redacted.{tag}: {err}", "receive"),  # v1.82+ (redacted paths)
                (f"put {stage} error: open {base}/files/{name}.partial: {err}", "receive"),  # v1.52-v1.80
                (f"peerapi: put Create error: open {base}/files/{name}.partial: {err}", "receive"),  # v1.8-v1.50
                (
                    f"peerapi: put final rename: rename {base}/files/{name}.partial {base}/files/{name}: {err}",
                    "receive",
                ),  # fmt: skip
                (f"taildrop: put Copy error: write redacted.{tag}: {err}", "receive"),  # the write itself failed
                (f"taildrop: cannot create FileOps: mkdir {base}/files: {err}", "disabled"),  # v1.82+
            ]
        )
    )
    return message, "taildrop-failed", key, err


@st.composite
def relay_variants(draw: st.DrawFn) -> Variant:
    port = draw(_ports)
    message, key = draw(
        st.sampled_from(
            [
                (f"relayserver: error initializing server: listen udp4 :{port}: bind: address already in use", "port"),
                (f"relayserver: error initializing server: listen udp6 :{port}: bind: permission denied", "start"),
                ("relayserver: error allocating endpoint: VNI pool exhausted", "allocate"),
                (
                    f"relayserver: error reading from socket(0.0.0.0:{port}): read udp4 0.0.0.0:{port}: recvmmsg: "
                    "message too long",
                    "read",
                ),  # fmt: skip
            ]
        )
    )
    quote = str(port) if str(port) in message else "VNI pool exhausted"
    return message, "peer-relay-failed", key, quote


@st.composite
def ssh_host_key_variants(draw: st.DrawFn) -> Variant:
    base, err = draw(_dirs), draw(_disk_errors)
    why = draw(
        st.sampled_from(
            [
                "no var root for ssh keys",
                f"mkdir {base}/ssh: {err}",
                f'error creating SSH host key type "rsa" in "{base}/ssh": open {base}/ssh/ssh_host_rsa_key: {err}',
                f'error parsing SSH host key type "ed25519" from "{base}/ssh": ssh: no key found',
            ]
        )
    )
    message = f"warning: unable to get SSH host keys, SSH will appear as disabled for this node: {why}"
    return message, "ssh-failed", "host-keys", why[:40]


RULES = {
    "bird-failed": "TS-LOG-BIRD-FAILED",
    "drive-failed": "TS-LOG-DRIVE-FAILED",
    "taildrop-failed": "TS-LOG-TAILDROP-FAILED",
    "peer-relay-failed": "TS-LOG-PEER-RELAY-FAILED",
    "ssh-failed": "TS-LOG-SSH-FAILED",
}
FAMILIES: dict[str, Callable[[], st.SearchStrategy[Variant]]] = {
    "bird": bird_variants,
    "taildrive": drive_variants,
    "taildrop": taildrop_variants,
    "peer-relay": relay_variants,
    "ssh-host-keys": ssh_host_key_variants,
}


# the engine's BIRD refusal is tailscaled exiting (a crash naming it), never the TUN device
test_each_variant_raises_its_issue_key_and_finding = variant_family_test(
    PREFIXES, FAMILIES, rules=RULES, never={"tun-unavailable", "port-in-use", "state-unwritable"}
)


@pytest.mark.parametrize("prefix_name", sorted(PREFIXES))
@settings(max_examples=10, deadline=None)
@given(sock=_paths, tun=_tuns, err=_dial_errors)
def test_bird_at_start_is_the_crash_cause(prefix_name: str, sock: str, tun: str, err: str) -> None:
    engine = f'wgengine.NewUserspaceEngine(tun "{tun}") error: '
    message = f"{engine}failed to connect to BIRD: dial unix {sock}: connect: {err}"
    document = run_json(paste_lines(PREFIXES[prefix_name], message))
    crash = next(finding for finding in document["findings"] if finding["rule"] == "TS-LOG-CRASH")
    assert "bird-failed" in crash["cause"]
    assert "tun-unavailable" not in {issue["kind"] for issue in log_issues(document)}


@pytest.mark.parametrize("prefix_name", sorted(PREFIXES))
def test_a_later_bird_attempt_and_a_received_file_and_a_started_relay_clear(prefix_name: str) -> None:
    prefix = PREFIXES[prefix_name]
    cleared = [
        ("wgengine: error configuring BIRD: write unix @->/run/bird/bird.ctl: write: broken pipe",
         "wgengine: Reconfig: configuring BIRD"),  # fmt: skip
        ("taildrop: put Create error: open redacted.5f2a09c1: no space left on device",
         "taildrop: got put of 12.3MB in 1.84s from 100.70.1.2/laptop"),  # fmt: skip
        ("relayserver: error initializing server: listen udp4 :40000: bind: address already in use",
         "relayserver: listening on udp4:40000 sockets=1"),  # fmt: skip
        ("relayserver: error allocating endpoint: VNI pool exhausted",
         "relayserver: allocated endpoint vni=7 lamportID=3 disco[0]=d:0123456789abcdef disco[1]=d:fedcba9876543210"),
    ]  # fmt: skip
    for failure, success in cleared:
        document = run_json(paste_lines(prefix, failure, success))
        assert log_issues(document) == [], (failure, log_issues(document))
        assert document["summary"]["exit_code"] == 0
        # and still raised when the success came first
        assert log_issues(run_json(paste_lines(prefix, success, failure))), failure


@pytest.mark.parametrize("prefix_name", sorted(PREFIXES))
@settings(max_examples=10, deadline=None)
@given(exe=_exes, code=st.integers(1, 3))
def test_one_taildrive_restart_after_a_long_run_is_routine_two_are_not(prefix_name: str, exe: str, code: int) -> None:
    once = f"user server {exe} stopped with error exit status {code}, will try again in 2ms"
    assert "drive-failed" not in {i["kind"] for i in log_issues(run_json(paste_lines(PREFIXES[prefix_name], once)))}
    twice = run_json(paste_lines(PREFIXES[prefix_name], once, once))
    assert "drive-failed" in {i["kind"] for i in log_issues(twice)}


ROUTINE = [
    # BIRD: the start and each attempt
    "wgengine: connecting to BIRD at /run/bird/bird.ctl ...",
    "Connecting to BIRD at /var/run/bird.ctl ...",
    "wgengine: Reconfig: configuring BIRD",
    # Taildrive: how it starts, and tailscaled stopping it (a share change, a shutdown)
    'starting taildrive file server with sudo as user "alice"',
    "user server /usr/sbin/tailscaled stopped with error signal: killed, will try again in 2ms",
    # Taildrop: the sender stopping (the transfer resumes), a file received, a NAS's folder note
    "taildrop: put Copy error: unexpected EOF",
    "put Copy error: copied 1048576 bytes; expected 2097152",
    "peerapi: put Copy error: read tcp 100.101.102.103:39447->100.70.1.2:51234: connection reset by peer",
    "taildrop: got put of 12.3MB in 1.84s from 100.70.1.2/laptop",
    # the relay shutting down, setting up sessions
    "relayserver: error allocating endpoint: server closed",
    "relayserver: error reading from socket(0.0.0.0:40000): read udp4 0.0.0.0:40000: use of closed network connection",
    "relayserver: listening on udp4:40000 sockets=1",
    # a system host key tailscaled cannot parse is replaced by its own: SSH works
    "warning: error reading host key /etc/ssh/ssh_host_rsa_key: ssh: this private key is passphrase protected "
    "(generating one instead)",
]
PROSE = [
    "We run BIRD for BGP failover between our two subnet routers and configured it per the KB.",
    "The Taildrop put failed with an error on my phone, does anyone know why?",
    "My relay server is enabled but no peers use it.",
    "SSH host keys: I rotated them last week.",
    "the user server for Taildrive stopped with an error after the upgrade",
]


test_routine_lines_raise_nothing = routine_lines_test(PREFIXES, ROUTINE)
test_the_same_words_in_prose_raise_nothing = prose_lines_test(PREFIXES["go-stamp"], PROSE, RULES.values())
