"""Generated tests for the CLI classes blind batch 12 missed (corpus 827, 851, 854, 876, 877), on variants:

- `tailscale up --netfilter-mode=off|nodivert`'s warning (cli/up.go netfilterModeFromFlag): kind
  `netfilter-off-warning`, an advisory (exit 0), whatever follows (a login URL and "Success.");
- `tailscale file cp` (Taildrop) failures in every wording of cli/file.go and feature/taildrop, the pre-1.20
  CLI's own PUT to the peer's PeerAPI and LocalAPI's bare "502 Bad Gateway:": kind `taildrop-failed`, the
  cause per wording, never "not running";
- `tailscale lock` refusals ("network-lock …" before the rename, "tailnet-lock …" after; tka/builder.go
  reasons; the CLI's own checks): kind `tailnet-lock-failed`, the reason per wording;
- `tailscale cert`'s refusals and the CLI's HTTPS hint (cli/cert.go, feature/acme, ipn/localapi/cert.go):
  kind `cert-failed`, the cause per wording.

Each under the wrappings pastes arrive in: a shell prompt (Linux, OpenWrt, Windows, none), a Markdown fence,
indentation, a quote marker.
"""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from opskit.core.diagnose.models import CliErrorKind
from opskit.core.diagnose.text import SourceLine
from opskit.core.diagnose.windows import is_windows_error_line, matches_error_pattern, parse_windows_error
from tests.diagnose.conftest import run_json

PROMPTS = ["", "$ ", "root@OpenWrt:~# ", "C:\\Users\\me>", "craig@somehost:~$ "]
FENCES = [("", ""), ("```\n", "\n```"), ("```console\n", "\n```"), ("```bash\n", "\n```")]
INDENTS = ["", "    ", "\t", "> "]


def _paste(command: str, output: list[str], prompt: str, fence: tuple[str, str], indent: str) -> str:
    head = f"{prompt}{command}\n" if prompt or command.startswith("tailscale") else ""
    body = "\n".join(indent + line if line else line for line in output)
    return f"{fence[0]}{head}{body}{fence[1]}\n"


def _kinds(document: dict[str, Any]) -> list[str]:
    return [w["kind"] for w in document["windows"]]


def _causes(document: dict[str, Any], rule: str) -> list[str]:
    return [f["cause"] for f in document["findings"] if f["rule"] == rule]


# ------------------------------------------------------------------------------------- netfilter warning

NETFILTER = [
    ("off", "Warning: netfilter=off; configure iptables yourself.", "installs no firewall rules"),
    ("nodivert", "Warning: netfilter=nodivert; add iptables calls to ts-* chains manually.", "does not hook them"),
    ("off", "netfilter=off; configure iptables yourself.", "installs no firewall rules"),
]
AFTER_UP = [
    [],
    ["", "To authenticate, visit:", "", "\thttps://login.tailscale.com/a/1a336f1e011f47", "", "Success."],
    ["Success."],
]


@settings(max_examples=60, deadline=None)
@given(
    warning=st.sampled_from(NETFILTER),
    after=st.sampled_from(AFTER_UP),
    prompt=st.sampled_from(PROMPTS[:3]),
    fence=st.sampled_from(FENCES),
    routes=st.sampled_from(["", " --advertise-exit-node --advertise-routes=192.168.2.0/24 --accept-routes"]),
    stamp=st.sampled_from(
        ["", "2024-06-14T15:32:34.612397076Z ", "2024/06/14 15:32:34 ", "[12:01:33] WARNING: ", "    "]
    ),
)
def test_netfilter_off_or_nodivert_warning_is_an_advisory(
    warning: tuple[str, str, str], after: list[str], prompt: str, fence: tuple[str, str], routes: str, stamp: str
) -> None:
    mode, line, meaning = warning
    paste = _paste(f"tailscale up --netfilter-mode={mode}{routes}", ["", stamp + line, *after], prompt, fence, "")
    document = run_json(paste)
    assert _kinds(document) == ["netfilter-off-warning"], paste
    assert document["summary"]["exit_code"] == 0, paste  # deliberate (OpenWrt): not a problem
    causes = _causes(document, "TS-CLI-NETFILTER-OFF")
    assert len(causes) == 1 and meaning in causes[0], (paste, causes)


def test_netfilter_warning_beside_forwarding_off_keeps_both() -> None:
    paste = (
        "# tailscale up --netfilter-mode=off --advertise-exit-node\n"
        "Warning: netfilter=off; configure iptables yourself.\n"
        "Warning: IP forwarding is disabled, subnet routing/exit nodes will not work.\n"
        "See https://tailscale.com/s/ip-forwarding\n"
    )
    document = run_json(paste)
    assert sorted(_kinds(document)) == ["ip-forwarding-disabled", "netfilter-off-warning"]
    assert document["summary"]["exit_code"] == 1  # the forwarding warning is a problem, the netfilter one is not


def test_prose_about_netfilter_mode_is_not_the_warning() -> None:
    paste = (
        "On OpenWrt I use --netfilter-mode=off because fw4 handles the zone; netfilter=off means no rules.\n"
        "$ tailscale status\n100.64.0.1  router  me@  linux  -\n"
    )
    assert "netfilter-off-warning" not in _kinds(run_json(paste))


# ------------------------------------------------------------------------------------------- Taildrop

# (command, output lines, a word the cause must hold), wordings from cli/file.go and feature/taildrop
TAILDROP = [
    (
        "tailscale file cp hello maisems-iphone-1:",
        ['Put "http://100.118.149.75:43959/v0/put/hello": dial tcp 100.118.149.75:43959: connect: no route to host'],
        "userspace-networking",
    ),
    (
        "tailscale file cp report.pdf nas:",
        ['Put "http://100.101.102.103:38211/v0/put/report.pdf": dial tcp 100.101.102.103:38211: i/o timeout'],
        "could not reach the receiving peer",
    ),
    ("tailscale.exe file cp dhis.war 100.64.0.1:", ["502 Bad Gateway:"], "did not answer"),
    (
        "tailscale file cp a.txt phone:",
        ["can't send to phone: cannot send files: peer is owned by a different user"],
        "another user",
    ),
    (
        "tailscale file cp a.txt laptop:",
        ["can't send to laptop: owned by different user; can only send files to your own devices"],
        "another user",
    ),
    (
        "tailscale file cp a.txt tv:",
        ["can't send to tv: cannot send files: target's OS does not support Taildrop"],
        "cannot receive files",
    ),
    (
        "tailscale file cp a.txt old:",
        ["can't send to old: target seems to be running an old Tailscale version"],
        "cannot receive files",
    ),
    (
        "tailscale file cp a.txt ghost:",
        ["can't send to ghost: unknown target; not in your Tailnet"],
        "not a device of this tailnet",
    ),
    (
        "tailscale file cp a.txt nas:",
        ["can't send to nas: cannot send files: missing required Taildrop capability"],
        "does not grant this node file sharing",
    ),
    ("tailscale file cp a.txt nas:", ["403 Forbidden: Taildrop disabled; no storage directory"], "no Taildrop"),
    (
        "tailscale file cp a.txt nas:",
        ["500 Internal Server Error: file sharing not enabled by Tailscale admin"],
        "grant",
    ),
    ("tailscale file cp a.txt nas:", ["409 Conflict: file already exists"], "already waits"),
    ("tailscale file cp .env nas:", ["400 Bad Request: invalid filename"], "file name"),
    (
        "tailscale file cp a.txt nas:",
        ["can't send to nas: cannot send files: local Tailscale is not connected to the tailnet"],
        "not connected",
    ),
]


@settings(max_examples=120, deadline=None)
@given(
    case=st.sampled_from(TAILDROP),
    prompt=st.sampled_from(PROMPTS),
    fence=st.sampled_from(FENCES),
    indent=st.sampled_from(INDENTS),
)
def test_taildrop_failures_name_their_cause(
    case: tuple[str, list[str], str], prompt: str, fence: tuple[str, str], indent: str
) -> None:
    command, output, word = case
    paste = _paste(command, output, prompt, fence, indent)
    document = run_json(paste)
    assert _kinds(document) == ["taildrop-failed"], paste
    assert document["summary"]["exit_code"] == 1, paste
    causes = _causes(document, "TS-CLI-TAILDROP-FAILED")
    assert len(causes) == 1 and word in causes[0], (paste, causes)


def test_taildrop_send_through_a_daemon_that_is_not_running_stays_not_running() -> None:
    paste = (
        "$ tailscale file cp a.txt nas:\n"
        'can\'t send to nas: failed to get local status: Get "http://local-tailscaled.sock/localapi/v0/status": '
        "dial unix /var/run/tailscale/tailscaled.sock: connect: no such file or directory\n"
    )
    assert _kinds(run_json(paste)) == ["service-not-running"]


def test_a_send_that_printed_nothing_is_no_taildrop_failure() -> None:
    paste = "$ tailscale file cp hello phone:\n$ tailscale status\n100.64.0.1  phone  me@  iOS  -\n"
    assert "taildrop-failed" not in _kinds(run_json(paste))


# ---------------------------------------------------------------------------------------- Tailnet Lock

LOCK = [
    (
        "tailscale lock add tlpub:vaild-key-grip",
        [
            "error: 500 Internal Server Error: network-lock modify failed: modify network-lock keys: cannot add "
            "key {25519 1 [12 34 56] map[]}: already exists"
        ],
        "already a trusted signing key",
    ),
    (
        "tailscale lock add tlpub:0a1b",
        [
            "add key failed: 500 Internal Server Error: tailnet-lock modify failed: modify tailnet-lock keys: "
            "cannot add key tlpub:0a1b: already exists"
        ],
        "already a trusted signing key",
    ),
    (
        "tailscale lock add tlpub:0a1b",
        [
            "500 Internal Server Error: tailnet-lock modify failed: cannot add key tlpub:0a1b: "
            "maximum number of keys reached"
        ],
        "maximum number",
    ),
    ("tailscale lock add tlpub:0a1b", ["403 Forbidden: network-lock modify access denied"], "may not change"),
    ("tailscale lock sign nodekey:ab", ["403 Forbidden: lock sign access denied"], "may not change"),
    ("tailscale lock sign nodekey:ab", ["tailnet lock is not enabled"], "not enabled"),
    (
        "tailscale lock sign nodekey:ab",
        ["500 Internal Server Error: signing failed: this node does not have a trusted tailnet lock key"],
        "not a trusted signing key",
    ),
    (
        "tailscale lock remove tlpub:0a1b",
        [
            "cannot remove the last trusted signing key; use 'tailscale lock disable' to disable tailnet lock "
            "instead, or add another signing key before removing one"
        ],
        "last trusted",
    ),
    (
        "tailscale lock disable disablement-secret:00",
        ["400 Bad Request: tailnet-lock disable failed: incorrect disablement secret"],
        "disablement secret",
    ),
    ("tailscale lock init tlpub:0a1b", ["403 Forbidden: Tailnet Lock is not supported on your pricing plan"], "plan"),
    ("tailscale lock init tlpub:0a1b", ["tailnet lock is already enabled"], "already enabled"),
]


@settings(max_examples=100, deadline=None)
@given(
    case=st.sampled_from(LOCK),
    prompt=st.sampled_from(PROMPTS),
    fence=st.sampled_from(FENCES),
    indent=st.sampled_from(INDENTS),
    blank=st.booleans(),
)
def test_tailnet_lock_refusals_say_why(
    case: tuple[str, list[str], str], prompt: str, fence: tuple[str, str], indent: str, blank: bool
) -> None:
    command, output, word = case
    paste = _paste(command, ([""] if blank else []) + output, prompt, fence, indent)
    document = run_json(paste)
    assert _kinds(document) == ["tailnet-lock-failed"], paste
    assert document["summary"]["exit_code"] == 1, paste
    causes = _causes(document, "TS-CLI-TAILNET-LOCK-FAILED")
    assert len(causes) == 1 and word in causes[0], (paste, causes)


def test_lock_status_saying_not_enabled_is_an_answer_not_a_refusal() -> None:
    # `lock status` prints "Tailnet lock is NOT enabled." (an answer); the CLI's refusal is lower-case "not"
    assert not is_windows_error_line("Tailnet lock is NOT enabled.")
    assert is_windows_error_line("tailnet lock is not enabled")
    paste = (
        "$ tailscale lock status\nTailnet lock is NOT enabled.\n$ tailscale status\n100.64.0.1  nas  me@  linux  -\n"
    )
    document = run_json(paste)
    assert "tailnet-lock-failed" not in _kinds(document)
    assert document["summary"]["exit_code"] == 0


# ------------------------------------------------------------------------------------- tailscale cert

CERT = [
    (["HTTPS cert support is not enabled/configured for your tailnet."], "no certificate domains"),
    (
        [
            "Usage: tailscale cert [flags] <domain>",
            "",
            "HTTPS cert support is not enabled/configured for your tailnet.",
        ],
        "no certificate domains",
    ),
    (["TLS certificate support is not enabled/configured for your tailnet."], "no certificate domains"),
    (
        ['500 Internal Server Error: invalid domain "nas"; must be one of ["nas.tail1234.ts.net"]'],
        "not one this node may get",
    ),
    (
        ["500 Internal Server Error: wildcard certificates are not enabled for this node"],
        "wildcard",
    ),
    (["500 Internal Server Error: cert support not compiled in this build"], "built without"),
    # LocalAPI's 403 "cert access denied" is a permission refusal (unix-access-denied): test_paste_classes_fix19_cli_b
    (["500 Internal Server Error: your Tailscale account does not support getting TLS certs"], "no certificate"),
]


@settings(max_examples=80, deadline=None)
@given(
    case=st.sampled_from(CERT),
    prompt=st.sampled_from(PROMPTS),
    fence=st.sampled_from(FENCES),
    indent=st.sampled_from(INDENTS),
    sudo=st.sampled_from(["", "sudo "]),
)
def test_cert_refusals_are_cert_failed_with_their_cause(
    case: tuple[list[str], str], prompt: str, fence: tuple[str, str], indent: str, sudo: str
) -> None:
    output, word = case
    paste = _paste(f"{sudo}tailscale cert", output, prompt, fence, indent)
    document = run_json(paste)
    assert _kinds(document) == ["cert-failed"], paste
    assert document["summary"]["exit_code"] == 1, paste
    causes = _causes(document, "TS-CLI-CERT-FAILED")
    assert len(causes) == 1 and word in causes[0], (paste, causes)


# ------------------------------------------------------------------- the phrase pre-check hides none of them

NEW_FRAGMENTS = [
    "Warning: ", "netfilter=off; configure iptables yourself", "netfilter=nodivert; add iptables calls to ts-* chains",
    " manually", "can't send to ", "can\u2019t send to ", "nas: ", "cannot send files: ", "Taildrop disabled; ",
    "no storage directory", "file sharing not enabled by Tailscale admin", "file access denied", "Put \"http://",
    "100.64.0.1:4321", "/v0/put/a.txt\": ", "localapi/v0/file-put/n123/a.txt\": ", "502 Bad Gateway:", "dial tcp ",
    "network-lock modify failed: ", "tailnet-lock ", "lock sign access denied", "cannot add key {1 2} ",
    ": already exists", "maximum number of keys reached", "Tailnet lock is NOT enabled.", "tailnet lock is not enabled",
    "lock is already enabled", "incorrect disablement secret", "does not have a trusted tailnet lock key",
    "HTTPS cert support is not enabled/configured for your tailnet.", "invalid domain \"nas\"; must be one of ",
    "wildcard certificates are not enabled for this node", "cert access denied",
    "cert support not compiled in this build",
    "cert store is configured in read-only mode", "Tailnet Lock is not supported on your pricing plan", "x", " ",
    "For domain, use \"", "nas.ts.net\".", "Valid domain options: [", "500 Internal Server Error: ", "signing failed: ",
    "initialization failed: ",
    "409 Conflict: ", "file already exists", "400 Bad Request: ", "invalid filename",
]  # fmt: skip


@given(st.lists(st.sampled_from(NEW_FRAGMENTS), min_size=1, max_size=6).map("".join))
@settings(max_examples=500, deadline=None)
def test_word_precheck_never_hides_these_error_lines(text: str) -> None:
    assert is_windows_error_line(text) == matches_error_pattern(text)


@settings(max_examples=40, deadline=None)
@given(
    hint=st.sampled_from(
        [
            'For domain, use "nas.tail1234.ts.net".',
            'Valid domain options: ["nas.tail1234.ts.net" "nas.example.com"].',
        ]
    ),
    prompt=st.sampled_from(PROMPTS),
    fence=st.sampled_from(FENCES),
)
def test_cert_without_its_name_is_usage_naming_the_allowed_name(hint: str, prompt: str, fence: tuple[str, str]) -> None:
    paste = _paste("tailscale cert", ["Usage: tailscale cert [flags] <domain>", "", hint], prompt, fence, "")
    document = run_json(paste)
    assert _kinds(document) == ["cli-usage"], paste
    causes = _causes(document, "TS-CLI-USAGE")
    assert len(causes) == 1 and "without the domain" in causes[0], (paste, causes)


@settings(max_examples=40, deadline=None)
@given(
    line=st.sampled_from(
        [
            "500 Internal Server Error: signing failed: this node does not have a trusted tailnet lock key",
            "500 Internal Server Error: initialization failed: tka init-begin RPC: request returned (403): plan",
            "500 Internal Server Error: signing failed: signature failed: no key",
        ]
    ),
    prompt=st.sampled_from(PROMPTS),
)
def test_lock_sign_and_init_500s_are_lock_refusals_not_backend_errors(line: str, prompt: str) -> None:
    paste = _paste("tailscale lock sign nodekey:ab", [line], prompt, ("", ""), "")
    assert _kinds(run_json(paste)) == ["tailnet-lock-failed"], paste


def test_profile_access_denied_is_not_a_taildrop_refusal() -> None:
    # LocalAPI's "profile access denied" / "user-profile access denied" (switch, whoami) end in the same words
    for line in ("403 Forbidden: profile access denied", "403 Forbidden: user-profile access denied"):
        error = parse_windows_error(SourceLine(1, line, line))
        assert error is None or error.kind is not CliErrorKind.TAILDROP_FAILED, line
