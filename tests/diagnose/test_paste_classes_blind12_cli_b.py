"""Generated tests for four CLI classes blind batch 12 missed (corpus 884, 889, 891, 893), proven on variants
of the wordings in Tailscale's source, under every wrapping people paste them in:

- tags a node or a new auth key asked for and may not have (`tags-not-permitted`): control's and Headscale's
  "requested tags [...] are invalid or not permitted" (bare, after `backend error:`, inside the API client's
  `Status: 400, Message: "…"`, in a gRPC `desc = …`), "tailnet-owned auth key must have tags set",
  feature/oauthkey + feature/identityfederation "… authkeys require --advertise-tags", tailcfg.CheckTag
  quoted by cli/up.go;
- Synology's `tailscale configure-host` / `configure synology` failing (`configure-host-failed`), each step of
  cmd/tailscale/cli/configure-synology.go, also quoted inside a prose sentence;
- a subcommand this OS or build lacks (`daemon-subcommand-unavailable`): cmd/tailscaled/tailscaled.go
  "%s not available on %v" for every GOOS, and the CLI's platform-only commands;
- `tailscale ip <name>` / `whois` finding no peer (`peer-not-found`), the node itself when a bare
  `tailscale ip` in the same paste printed that address (cmd/tailscale/cli/ip.go before 7bfd4f521).
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.diagnose.conftest import by_rule, cli_kinds, run_json, run_text

# How people paste one CLI error: bare, under a prompt (Unix, zsh theme, Windows, xtrace), fenced, as inline
# code, quoted, inside a sentence. {cmd} is the command that printed it, {error} the error line.
WRAPPERS = [
    "{error}\n",
    "$ {cmd}\n{error}\n",
    "root@nas:~# {cmd}\n{error}\n",
    "➜  ~ {cmd}\n\n{error}\n➜  ~ \n",
    "PS C:\\Users\\me> {cmd}\n{error}\n",
    "+ {cmd}\n{error}\n",
    "```\n$ {cmd}\n{error}\n```\n",
    "```\n{error}\n```\n",
    "`{error}`\n",
    "> {error}\n",
]
PROSE = "However when I run it I'm always getting this error : {error}\n"


# --------------------------------------------------------------------------- tags-not-permitted

TAG_ERRORS = [
    ("backend error: requested tags [tag:ci] are invalid or not permitted", ["tag:ci"]),
    (
        "unexpected error while creating authkey: Status: 400, "
        'Message: "requested tags [] are invalid or not permitted"',
        [],
    ),
    (
        'Error: failed to create auth key: Status: 400, Message: "requested tags [tag:k8s tag:prod] are invalid '
        'or not permitted"',
        ["tag:k8s", "tag:prod"],
    ),
    (
        "rpc error: code = InvalidArgument desc = requested tags [tag:dev-skygate-host-1] are invalid or not permitted",
        ["tag:dev-skygate-host-1"],
    ),
    (  # the Kubernetes operator's reconciler error, zap JSON with the API message's quotes escaped
        '{"level":"error","logger":"tailscale","msg":"Reconciler error","error":"failed to create auth key: '
        'Status: 400, Message: \\"requested tags [tag:k8s] are invalid or not permitted\\""}',
        ["tag:k8s"],
    ),
    (  # Headscale's own log of the refusal
        '2024-05-01T10:00:00Z ERR node registration failed error="requested tags [tag:x] are invalid or not permitted"',
        ["tag:x"],
    ),
    (  # a GitHub Actions step log (runner stamp)
        "2024-05-01T10:00:00.1234567Z backend error: requested tags [tag:github-actions] are invalid or not permitted",
        ["tag:github-actions"],
    ),
    ("Error creating tailnet key: tailnet-owned auth key must have tags set (400)", None),
    ("oauth authkeys require --advertise-tags", None),
    ("federated identity authkeys require --advertise-tags", None),
    ('tag: "tag:Web_Server": tag names can only contain numbers, letters, or dashes', None),
    ("tag: \"tag:1web\": tag names must start with a letter, after 'tag:'", None),
    ("tag: \"web:server\": tags must start with 'tag:'", None),
]


@settings(max_examples=60, deadline=None)
@given(case=st.sampled_from(TAG_ERRORS), wrapper=st.sampled_from([*WRAPPERS, PROSE]))
def test_refused_tags_are_read_as_tags_not_permitted(case: tuple[str, list[str] | None], wrapper: str) -> None:
    error, tags = case
    paste = wrapper.format(cmd="sudo tailscale up --advertise-tags=tag:ci --auth-key=tskey-client-k1", error=error)
    assert cli_kinds(paste) == ["tags-not-permitted"], paste
    (finding,) = by_rule(run_text(paste), "TS-CLI-TAGS-NOT-PERMITTED")
    if tags is not None:
        assert finding.extra["tags"] == tags
    if tags == [] or "require --advertise-tags" in error or "must have tags set" in error:
        assert "--advertise-tags=tag:" in finding.fix  # no tag reached the request: pass one
    elif tags:
        assert tags[0] in finding.fix and "tagOwners" in finding.fix
    else:
        assert "spelling" in finding.fix
    # not read as the generic backend error or a rejected key as well
    assert not by_rule(run_text(paste), "TS-WIN-BACKEND-ERROR")
    assert not by_rule(run_text(paste), "TS-UP-AUTH-KEY-REJECTED")


def test_words_about_tags_are_not_a_refusal() -> None:
    for prose in (
        "The requested tags are listed in the ACL file",
        "tag names are case sensitive",
        "Make sure tag names must start with tag: in your notes",
    ):
        assert not by_rule(run_text(prose + "\n100.64.0.1  box  jane@  linux  -\n"), "TS-CLI-TAGS-NOT-PERMITTED")


# --------------------------------------------------------------------------- configure-host-failed

DAEMON = "/var/packages/Tailscale/target/bin/tailscaled"
CONFIGURE_ERRORS = [
    (f"setcap: exit status 1, Failed to set capabilities on file `{DAEMON}' (Invalid argument)", "setcap"),
    (f"setcap: exit status 1, Failed to set capabilities on file `{DAEMON}' (Operation not permitted)", "setcap"),
    ("setcap: fork/exec /bin/setcap: no such file or directory, ", "setcap"),
    ('must be run as root, not "admin" (1026)', "root"),
    ('unsupported DSM version "8.0"', "dsm-version"),
    ("creating /dev/net/tun: exit status 1, mknod: /dev/net/tun: Operation not permitted", "tun-device"),
    ("creating /dev/net: mkdir /dev/net: read-only file system", "tun-device"),
    ("chmod /dev/net/tun: operation not permitted", "tun-device"),
    (f"tailscaled binary not found at {DAEMON}. Is the Tailscale *.spk package installed?", "package-missing"),
]
CONFIGURE_COMMANDS = [
    "sudo /var/packages/Tailscale/target/bin/tailscale configure-host",
    "/var/packages/Tailscale/target/bin/tailscale configure synology",
    "tailscale configure-host",
]


@settings(max_examples=60, deadline=None)
@given(
    case=st.sampled_from(CONFIGURE_ERRORS),
    wrapper=st.sampled_from([*WRAPPERS, PROSE]),
    cmd=st.sampled_from(CONFIGURE_COMMANDS),
)
def test_configure_host_names_the_failing_step(case: tuple[str, str], wrapper: str, cmd: str) -> None:
    error, step = case
    paste = wrapper.format(cmd=cmd, error=error)
    assert cli_kinds(paste) == ["configure-host-failed"], paste
    (finding,) = by_rule(run_text(paste), "TS-CLI-CONFIGURE-HOST-FAILED")
    assert finding.extra["step"] == step
    assert "userspace" in finding.cause
    if "Invalid argument" in error:
        assert "Invalid argument" in finding.cause
    if step in ("setcap", "root"):
        assert "root" in finding.fix


def test_setcap_elsewhere_is_not_configure_host() -> None:
    for text in ("bash: setcap: command not found", "sudo setcap cap_net_admin+ep ./tailscaled"):
        assert not by_rule(run_text(text + "\n100.64.0.1  box  jane@  linux  -\n"), "TS-CLI-CONFIGURE-HOST-FAILED")


# --------------------------------------------------------------------------- daemon-subcommand-unavailable

GOOS = ["darwin", "linux", "freebsd", "openbsd", "illumos", "plan9", "windows", "android"]
SUBCOMMANDS = ["install-system-daemon", "uninstall-system-daemon", "be-child"]


@settings(max_examples=60, deadline=None)
@given(
    goos=st.sampled_from(GOOS),
    sub=st.sampled_from(SUBCOMMANDS),
    wrapper=st.sampled_from(WRAPPERS),
    binary=st.sampled_from(["tailscaled", "sudo $HOME/go/bin/tailscaled", "sudo /usr/local/bin/tailscaled"]),
)
def test_a_daemon_subcommand_missing_on_this_os_names_the_platform(
    goos: str, sub: str, wrapper: str, binary: str
) -> None:
    paste = wrapper.format(cmd=f"{binary} {sub}", error=f"{sub} not available on {goos}")
    document = run_json(paste)
    assert [w["kind"] for w in document["windows"]] == ["daemon-subcommand-unavailable"], paste
    assert document["daemon_logs"] == []  # the typed command and its answer are no tailscaled log
    (finding,) = by_rule(run_text(paste), "TS-CLI-SUBCOMMAND-UNAVAILABLE")
    assert finding.extra["platform"] == goos and finding.extra["subcommand"] == sub
    assert goos in finding.title
    if sub.endswith("system-daemon") and goos not in ("darwin", "windows"):
        assert "only on macOS" in finding.cause  # by design there, not a broken build


CLI_PLATFORM_ONLY = [
    (
        "tailscale ssh pi@raspberry",
        "The 'tailscale ssh' subcommand is not available on macOS builds distributed through the App Store or "
        "TestFlight.",
        "ssh",
    ),
    (
        "tailscale update",
        "The 'update' command is not supported on this platform; see https://tailscale.com/s/client-updates",
        "update",
    ),
    (
        "tailscale configure pve-appliance",
        "the pve-appliance subcommand is only available on Linux; for use on Proxmox PVE hosts",
        "pve-appliance",
    ),
    (
        "tailscale configure flash-appliance",
        "flash-appliance is only supported on linux and darwin (got windows)",
        "flash-appliance",
    ),
    ("tailscale configure jetkvm", "only implemented on JetKVM", "configure"),
]


@pytest.mark.parametrize(("cmd", "error", "sub"), CLI_PLATFORM_ONLY)
@pytest.mark.parametrize("wrapper", WRAPPERS)
def test_platform_only_cli_commands(cmd: str, error: str, sub: str, wrapper: str) -> None:
    paste = wrapper.format(cmd=cmd, error=error)
    assert cli_kinds(paste) == ["daemon-subcommand-unavailable"], paste
    (finding,) = by_rule(run_text(paste), "TS-CLI-SUBCOMMAND-UNAVAILABLE")
    assert finding.extra["subcommand"] == sub


# --------------------------------------------------------------------------- peer-not-found

OWN_V4, OWN_V6 = "100.74.70.3", "fd7a:115c:a1e0:ab12:4843:cd96:624a:4603"
PEER_V4, PEER_V6 = "100.88.178.64", "fd7a:115c:a1e0:ab12:4843:cd96:6258:b240"
PROMPTS = ["$ ", "bradfitz@tsdev:~/src/tailscale.io$ ", "PS C:\\> ", "+ ", "# "]


@settings(max_examples=60, deadline=None)
@given(
    prompt=st.sampled_from(PROMPTS),
    flag=st.sampled_from(["", " -4", " -1"]),
    missing=st.sampled_from([OWN_V4, OWN_V6, "100.101.1.2"]),
    wording=st.sampled_from(["no peer found with IP {ip}", "no peer or service found with IP {ip}"]),
    peer_first=st.booleans(),
    fence=st.booleans(),
)
def test_no_peer_found_knows_the_node_itself(
    prompt: str, flag: str, missing: str, wording: str, peer_first: bool, fence: bool
) -> None:
    own = f"{prompt}tailscale ip{flag}\n{OWN_V4}\n" + ("" if flag else f"{OWN_V6}\n")
    peer = f"{prompt}tailscale ip monitoring\n{PEER_V4}\n{PEER_V6}\n"
    body = (peer + own if peer_first else own + peer) + f"{prompt}tailscale ip tsdev\n{wording.format(ip=missing)}\n"
    paste = f"```\n{body}```\n" if fence else body
    document = run_json(paste)
    assert [w["kind"] for w in document["windows"]] == ["peer-not-found"], paste
    assert document["warnings"] == [], paste  # the addresses under `tailscale ip` are its answer
    (finding,) = by_rule(run_text(paste), "TS-CLI-PEER-NOT-FOUND")
    printed_as_own = missing == OWN_V4 or (missing == OWN_V6 and not flag)
    assert finding.extra["self_address"] is printed_as_own, paste
    assert finding.extra["address"] == missing
    assert ("own address" in finding.cause) is printed_as_own
    assert "tailscale status" in finding.fix


@pytest.mark.parametrize(
    ("cmd", "error"),
    [
        ("tailscale whois 100.99.1.2", "peer not found"),
        ("tailscale whois 100.99.1.2:22", "404 Not Found: no match for IP:port"),
        ("tailscale configure kubeconfig operator", 'no peer found for "operator"'),
    ],
)
@pytest.mark.parametrize("wrapper", [w for w in WRAPPERS if "`" not in w or "```" in w])
def test_whois_and_kubeconfig_find_no_peer(cmd: str, error: str, wrapper: str) -> None:
    paste = wrapper.format(cmd=cmd, error=error)
    assert cli_kinds(paste) == ["peer-not-found"], paste
    (finding,) = by_rule(run_text(paste), "TS-CLI-PEER-NOT-FOUND")
    assert finding.extra["self_address"] is False


def test_peer_not_found_in_a_sentence_is_not_whois() -> None:
    """Only the whole line `peer not found` is whois' answer; words in a sentence are not."""
    paste = "the peer not found in the list was removed\n100.64.0.1  box  jane@  linux  -\n"
    assert not by_rule(run_text(paste), "TS-CLI-PEER-NOT-FOUND")


# --------------------------------------------------------------------------- the same refusal in tailscaled's log

LOG_PREFIXES = [
    "Apr 30 10:00:0{n} host tailscaled[123]: ",
    "2024/04/30 10:00:0{n} ",
    "2024-04-30T10:00:0{n}.123Z ",
    "2024-04-30T10:00:0{n}+02:00 tailscale[99]: ",
]
# ipnlocal logs control's answer as "Received error: %v": the registration's own error (RegisterResponse.Error,
# a vizerror), or the HTTP refusal direct.go wraps as "register request: http 400: <body>".
LOG_REFUSALS = [
    "Received error: requested tags [tag:foo] are invalid or not permitted",
    "Received error: register request: http 400: requested tags [] are invalid or not permitted",
    "Received error: requested tags [tag:a tag:b] are invalid or not permitted",
]


@settings(max_examples=40, deadline=None)
@given(
    prefix=st.sampled_from(LOG_PREFIXES),
    refusal=st.sampled_from(LOG_REFUSALS),
    later_running=st.booleans(),
)
def test_a_tag_refusal_in_the_log_is_control_answering(prefix: str, refusal: str, later_running: bool) -> None:
    lines = [
        prefix.format(n=1) + "control: RegisterReq: got response; nodeKeyExpired=false, machineAuthorized=false",
        prefix.format(n=2) + refusal,
    ]
    if later_running:
        lines.append(prefix.format(n=3) + "Switching ipn state NeedsLogin -> Running (WantRunning=true, nm=true)")
    paste = "\n".join(lines) + "\n"
    document = run_json(paste)
    issues = [i["kind"] for log in document["daemon_logs"] for i in log["issues"]]
    assert "control-unreachable" not in issues, paste  # control answered: it refused the tags
    if later_running:
        assert "login-required" not in issues, paste
    else:
        assert "login-required" in issues, paste
        (finding,) = by_rule(run_text(paste), "TS-LOG-LOGIN-REQUIRED")
        assert "refused the tags" in finding.cause and "tagOwners" in finding.fix


# --------------------------------------------------------------------------- the shared name lookup

LOOKUP_ERRORS = [
    'error looking up IP of "foo": lookup foo on 127.0.0.53:53: no such host',
    'error looking up IP of "nas": lookup nas on 100.100.100.100:53: no such host',
    'no IPs found for "foo"',
    "node found but lacks an IP",
]


@settings(max_examples=60, deadline=None)
@given(
    error=st.sampled_from(LOOKUP_ERRORS),
    command=st.sampled_from(["tailscale ip foo", "sudo tailscale whois foo", "tailscale file cp a.txt foo:"]),
    prompt=st.sampled_from(["$ ", "root@box:~# ", "PS C:\\> ", "+ "]),
    fence=st.booleans(),
)
def test_a_failed_name_lookup_under_ip_or_whois_is_peer_not_found(
    error: str, command: str, prompt: str, fence: bool
) -> None:
    """cli/ping.go tailscaleIPFromArg serves ip, whois and file cp too: under their prompt no ping ran."""
    body = f"{prompt}{command}\n{error}\n"
    paste = f"```\n{body}```\n" if fence else body
    document = run_json(paste)
    assert [w["kind"] for w in document["windows"]] == ["peer-not-found"], paste
    assert document["pings"] == [], paste
    (finding,) = by_rule(run_text(paste), "TS-CLI-PEER-NOT-FOUND")
    if '"' in error:
        assert '"foo"' in finding.cause or '"nas"' in finding.cause


@pytest.mark.parametrize("error", LOOKUP_ERRORS)
@pytest.mark.parametrize("head", ["", "$ tailscale ping foo\n", "root@box:~# tailscale ping -c 3 foo\n"])
def test_the_same_lookup_under_ping_or_bare_stays_a_ping(error: str, head: str) -> None:
    document = run_json(f"{head}{error}\n")
    assert [p["outcome"] for p in document["pings"]] == ["error"]
    assert document["windows"] == []
