"""Views and answers of blind batch 24 read as classes: a `tailscale debug ts2021` trace cut to its last lines
(1027), its control dial refused with HTTP statuses by a proxy (1028), and serve's config write conflict (1006).

Every case is generated over the ways people paste it (stamps, prompts, fences, versions, wordings taken from
Tailscale's source: cmd/tailscale/cli/debug.go runTS2021, control/controlhttp/client.go, cmd/tailscale/cli/
serve_v2.go, client/local/serve.go).
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from opskit.errors import InputError
from tests.diagnose.conftest import run_json

PROMPTS = ["", "$ ", "root@box:~# ", "PS C:\\> "]
FENCES = [("", ""), ("```\n", "\n```"), ("``` console\n", "\n```\n")]
STAMPS = ["", "15:52:49.435971 ", "2023/12/21 15:52:49 ", "2025/01/03 08:00:00.123456 "]
LOCAL, REMOTE = "172.16.0.2:56402", "18.159.140.118:80"

# The tail of a trace that worked, as people cut it: the lines only runTS2021 prints, without the command or the
# key fetch (v1.38-era "controlhttp.Dial = %p, %v" then "did noise handshake"; later "GotConn" and the final conn).
SUCCESS_TAILS = [
    ["controlhttp.Dial = 0xc000208018, <nil>", "did noise handshake"],
    ["controlhttp.Dial = 0xc000208018, <nil>", "did noise handshake", f"final underlying conn: {LOCAL} / {REMOTE}"],
    ["did noise handshake", f"final underlying conn: {LOCAL} / {REMOTE}"],
    ["GotConn: *ts2021.Conn", "did noise handshake", f"final underlying conn: {LOCAL} / {REMOTE}"],
    ["controlhttp.Dial = 0xc000208018, <nil>", "GotConn: *ts2021.Conn", "did noise handshake"],
]


@given(
    tail=st.sampled_from(SUCCESS_TAILS),
    stamp=st.sampled_from(STAMPS),
    prompt=st.sampled_from(PROMPTS),
    typed=st.booleans(),
    fence=st.sampled_from(FENCES),
)
@settings(max_examples=50, deadline=None)
def test_the_tail_of_a_ts2021_trace_reads_as_the_handshake_done(
    tail: list[str], stamp: str, prompt: str, typed: bool, fence: tuple[str, str]
) -> None:
    command = f"{prompt}tailscale debug ts2021\n" if typed and prompt else ""
    text = fence[0] + command + "\n".join(stamp + line for line in tail) + fence[1]
    document = run_json(text)
    assert [b["kind"] for b in document["blocks"]] == ["debug-ts2021"], text
    assert document["summary"]["exit_code"] == 0, text
    assert [f["rule"] for f in document["findings"]] == ["TS-TS2021"], document["findings"]


@pytest.mark.parametrize(
    "text",
    [
        "did noise handshake\n",  # one line alone is not a trace
        "controlhttp.Dial = 0xc000208018, <nil>\n",
        "I ran it and it said it did noise handshake and then nothing\n",
        "The HTTP proxy env: is empty here\n",
    ],
)
def test_a_single_ts2021_line_or_prose_is_not_a_trace(text: str) -> None:
    try:
        document = run_json(text)
    except InputError:  # nothing recognised
        return
    assert "debug-ts2021" not in [b["kind"] for b in document["blocks"]], text


# The answers a control server's front end gives the Noise upgrade (controlhttp: "unexpected HTTP response: %s",
# resp.Status; a masked or old client prints "308 unknown"), and the other side's error.
STATUSES = [
    "308 unknown",
    "308 Permanent Redirect",
    "301 Moved Permanently",
    "400 Bad Request",
    "404 Not Found",
    "426 Upgrade Required",
    "403 Forbidden",
]


@given(
    http=st.sampled_from(STATUSES),
    https=st.sampled_from([*STATUSES, "dial tcp 203.0.113.7:443: connect: connection refused"]),
    swap=st.booleans(),
    stamp=st.sampled_from(STAMPS),
    prompt=st.sampled_from(PROMPTS),
    fence=st.sampled_from(FENCES),
    tls_warning=st.booleans(),
)
@settings(max_examples=60, deadline=None)
def test_a_control_upgrade_refused_with_http_statuses_is_control_unreachable_through_a_proxy(
    http: str, https: str, swap: bool, stamp: str, prompt: str, fence: tuple[str, str], tls_warning: bool
) -> None:
    sides = [
        f"unexpected HTTP response: {http}",
        https if " " in https and ":" in https else f"unexpected HTTP response: {https}",
    ]
    if swap:
        sides.reverse()
    trace = [
        "Fetching keys from https://hs.example.com/key?v=58 ...",
        "got public key: mkey:5a1f",
        'Dial("tcp", "203.0.113.7:80") ...',
        'Dial("tcp", "203.0.113.7:80") = 192.168.1.20:56028 / 203.0.113.7:80',
    ]
    if tls_warning:
        trace.append('tlsdial: warning: server cert for "hs.example.com" is not a Let\'s Encrypt cert')
    trace.append(f"controlhttp.Dial = 0x0, all connection attempts failed (HTTP: {sides[0]}, HTTPS: {sides[1]})")
    command = f"{prompt}tailscale debug ts2021 --verbose --host=hs.example.com\n" if prompt else ""
    text = fence[0] + command + "\n".join(stamp + line for line in trace) + fence[1]
    document = run_json(text)
    kinds = [e["kind"] for e in document["windows"]]
    assert kinds == ["control-unreachable"], (text, kinds)
    assert "debug-ts2021" in [b["kind"] for b in document["blocks"]], text
    assert document["summary"]["exit_code"] == 1, text
    (finding,) = [f for f in document["findings"] if f["rule"] == "TS-UP-CONTROL-UNREACHABLE"]
    assert "proxy" in finding["cause"] and "Upgrade" in finding["cause"], finding
    assert not [f for f in document["findings"] if f["rule"] == "TS-TS2021-FAILED"]


def test_a_control_dial_failing_on_a_certificate_stays_tls_interception() -> None:
    text = (
        "$ tailscale debug ts2021\n"
        "controlhttp.Dial = 0x0, all connection attempts failed (HTTP: unexpected HTTP response: 200 OK, "
        "HTTPS: tls: failed to verify certificate: x509: certificate signed by unknown authority)\n"
    )
    assert [e["kind"] for e in run_json(text)["windows"]] == ["tls-intercepted"]


# serve's config write refused because another client changed it (If-Match etag): the CLI's hint, the error, or both
CONFLICT_LINES = [
    ["Another client is changing the serve config; please try again."],
    ["sending serve config: Preconditions failed: etag mismatch"],
    [
        "Another client is changing the serve config; please try again.",
        "sending serve config: Preconditions failed: etag mismatch",
    ],
]


@given(
    lines=st.sampled_from(CONFLICT_LINES),
    command=st.sampled_from(["", "tailscale serve --bg --http=8080 3000", "tailscale funnel --bg 443"]),
    prompt=st.sampled_from(PROMPTS[1:]),
    fence=st.sampled_from([*FENCES, ("```shell\n", "\n```\n")]),
)
@settings(max_examples=30, deadline=None)
def test_a_serve_config_write_conflict_is_serve_failed_with_the_retry_fix(
    lines: list[str], command: str, prompt: str, fence: tuple[str, str]
) -> None:
    head = f"{prompt}{command}\n" if command else ""
    text = fence[0] + head + "\n".join(lines) + fence[1]
    document = run_json(text)
    assert {e["kind"] for e in document["windows"]} == {"serve-failed"}, text
    assert document["summary"]["exit_code"] == 1
    (finding,) = [f for f in document["findings"] if f["rule"] == "TS-CLI-SERVE-FAILED"]
    assert "one at a time" in finding["fix"] and "etag" in finding["cause"], finding


# `tailscale lock log` on a tailnet without the lock (v1.90+): "Tailnet Lock is not enabled", a state; `lock add` /
# `remove` refusing with "tailnet lock is not enabled" stay refusals.
@given(
    prompt=st.sampled_from(PROMPTS),
    indent=st.sampled_from(["", "    ", "\t"]),
    fence=st.sampled_from(FENCES),
    error_prefix=st.booleans(),
    limit=st.sampled_from(["", " --limit 10"]),
)
@settings(max_examples=40, deadline=None)
def test_lock_log_answering_not_enabled_is_the_lock_state_not_a_failure(
    prompt: str, indent: str, fence: tuple[str, str], error_prefix: bool, limit: str
) -> None:
    command = f"{indent}{prompt}tailscale lock log{limit}\n" if prompt else ""
    answer = f"{indent}{'Error: ' if error_prefix else ''}Tailnet Lock is not enabled"
    document = run_json(fence[0] + command + answer + fence[1])
    assert [b["kind"] for b in document["blocks"]] == ["tailnet-lock-status"], document["blocks"]
    assert document["blocks"][0]["layout"] == "tailscale lock log (not enabled)"
    assert document["summary"]["exit_code"] == 0
    assert document["windows"] == []
    assert [lock["enabled"] for lock in document["tailnet_locks"]] == [False]


@pytest.mark.parametrize("command", ["lock add tlpub:0a1b", "lock remove tlpub:0a1b", ""])
def test_lock_add_or_remove_refused_because_the_lock_is_off_stays_a_refusal(command: str) -> None:
    head = f"$ tailscale {command}\n" if command else ""
    document = run_json(head + "tailnet lock is not enabled\n")
    assert [e["kind"] for e in document["windows"]] == ["tailnet-lock-failed"]
    assert document["summary"]["exit_code"] == 1


# serve's/funnel's answer to a change (cmd/tailscale/cli/serve_v2.go messageForPort, v1.52+), generated over its
# parts: the header (funnel or not, a Service awaiting approval), web mounts or the TCP tree, foreground or
# background, the Service's undo lines; with or without the typed command above it.
def _serve_answer(funnel: bool, service: str, tcp: bool, mounts: list[str], background: bool) -> list[str]:
    host = f"{service.removeprefix('svc:')}.tail1234.ts.net" if service else "node.tail1234.ts.net"
    header = "Available on the internet:" if funnel and not service else "Available within your tailnet:"
    out = [header, ""]
    if tcp:
        # a Funnel listens publicly only on 443, 8443 and 10000 (ipn.CheckFunnelPort): another port is
        # TS-SERVE-FUNNEL-PORT's problem, so a funnel's TCP forward here uses 10000
        port = 10000 if funnel and not service else 6443
        out += [
            f"|-- tcp://{host}:{port} (TLS over TCP)",
            f"|-- tcp://100.114.70.3:{port}",
            "|--> tcp://127.0.0.1:22",
            "",
        ]
    else:
        for mount in sorted(mounts, key=len):
            out += [f"https://{host}{mount}", "|-- proxy http://127.0.0.1:2283", ""]
    if not background and not service:
        return [*out, "Press Ctrl+C to exit."]
    sub = "funnel" if funnel and not service else "serve"
    out.append(f"{sub.capitalize()} started and running in the background.")
    if service:
        kind = "tcp=6443" if tcp else "https=443"
        out += [
            f"To disable the proxy, run: tailscale serve --service={service} --{kind} off",
            f"To remove config for the service, run: tailscale serve clear {service}",
        ]
    else:
        out.append(f"To disable the proxy, run: tailscale {sub} --https=443 off")
    return out


@given(
    funnel=st.booleans(),
    service=st.sampled_from(["", "svc:immich", "svc:kube-apiserver"]),
    tcp=st.booleans(),
    mounts=st.lists(st.sampled_from(["/", "/api", "/files/"]), min_size=1, max_size=3, unique=True),
    background=st.booleans(),
    typed=st.booleans(),
    fence=st.sampled_from(FENCES),
)
@settings(max_examples=60, deadline=None)
def test_serve_and_funnel_answers_read_as_the_serve_view(
    funnel: bool, service: str, tcp: bool, mounts: list[str], background: bool, typed: bool, fence: tuple[str, str]
) -> None:
    answer = _serve_answer(funnel, service, tcp, mounts, background)
    command = f"$ tailscale {'funnel' if funnel else 'serve'} --bg 2283\n" if typed else ""
    document = run_json(fence[0] + command + "\n".join(answer) + fence[1])
    assert [b["kind"] for b in document["blocks"]] == ["serve-status"], document["blocks"]
    assert document["summary"]["exit_code"] == 0
    assert document["windows"] == []
    (view,) = document["views"]
    assert len(view["served"]) == 1, view
    assert view["funnel_on"] == (funnel and not service)
    if not tcp:
        assert {h.split(" → ")[0] for h in view["served"][0]["handlers"]} == set(mounts)
    layout = document["blocks"][0]["layout"]
    assert ("background" in layout) == (background or bool(service)), layout


def test_a_serve_answer_header_alone_or_in_prose_is_not_the_view() -> None:
    for text in ("Available within your tailnet:\n", "Available on the internet: my blog, since Monday\n"):
        try:
            document = run_json(text)
        except InputError:
            continue
        assert "serve-status" not in [b["kind"] for b in document["blocks"]], text


# `tailscale up|login --login-server=<A>` printing a login URL of another control server (login-server-mismatch)
TAILSCALE_SERVERS = ["https://controlplane.tailscale.com", "https://login.tailscale.com"]
SELF_HOSTED = ["https://hs.corp.net", "https://headscale.home.arpa:8443", "http://100.64.0.1:8080"]
FLAG_FORMS = ["--login-server={url}", "--login-server {url}", "--login-server  {url}", '--login-server="{url}"']
PREFIXES = ["$ ", "$ sudo ", "PS C:\\> ", "root@nas:~# "]
INDENTS = ["", "        ", "\t"]


def _login_paste(prefix: str, sub: str, flag: str, url: str, extra: str, indent: str, blank: bool) -> str:
    gap = "\n" if blank else ""
    return f"{prefix}tailscale {sub} {flag} {extra}\nTo authenticate, visit:\n{gap}{indent}{url}\n"


@given(
    named=st.sampled_from([*TAILSCALE_SERVERS, *SELF_HOSTED]),
    flag=st.sampled_from(FLAG_FORMS),
    sub=st.sampled_from(["up", "login"]),
    prefix=st.sampled_from(PREFIXES),
    extra=st.sampled_from(["", "--force-reauth --reset", "--unattended --accept-routes"]),
    indent=st.sampled_from(INDENTS),
    blank=st.booleans(),
    other=st.sampled_from(
        [
            "https://hs.corp.net/register/nodekey:4a5b6c",
            "https://old-hs.example.net.au/oidc/register/nodekey:*******",
            "https://login.tailscale.com/a/1b2c3d4e5f",
        ]
    ),
)
@settings(max_examples=80, deadline=None)
def test_a_login_url_of_another_control_server_is_login_server_mismatch(
    named: str, flag: str, sub: str, prefix: str, extra: str, indent: str, blank: bool, other: str
) -> None:
    from urllib.parse import urlsplit

    named_host, other_host = urlsplit(named).hostname, urlsplit(other).hostname
    both_tailscale = named in TAILSCALE_SERVERS and other_host == "login.tailscale.com"
    mismatch = named_host != other_host and not both_tailscale
    text = _login_paste(prefix, sub, flag.format(url=named), other, extra, indent, blank)
    document = run_json(text)
    kinds = [e["kind"] for e in document["windows"]]
    assert kinds == (["login-server-mismatch"] if mismatch else []), (text, kinds)
    assert document["summary"]["exit_code"] == 1  # either way the login is pending
    if mismatch:
        (finding,) = [f for f in document["findings"] if f["rule"] == "TS-CLI-LOGIN-SERVER-MISMATCH"]
        assert f"--login-server={named}" in finding["fix"] and other_host in finding["cause"], finding
        (pending,) = [f for f in document["findings"] if f["rule"] == "TS-STATUS-NOT-RUNNING"]
        assert "do not open it" in pending["fix"], pending


@pytest.mark.parametrize(
    ("command", "url"),
    [
        ("tailscale up --login-server=https://controlplane.tailscale.com", "https://login.tailscale.com/a/abc123"),
        ("tailscale up", "https://hs.corp.net/register/nodekey:abcd"),  # no --login-server: nothing to compare
        ("tailscale up --login-server=https://hs.corp.net", "https://hs.corp.net/oidc/register/nodekey:abcd"),
        # a masked host says nothing
        ("tailscale up --login-server=https://hs.corp.net", "https://example.com/register/nodekey:abcd"),
        ("tailscale up --login-server=https://<my-server>", "https://hs.corp.net/register/nodekey:abcd"),
        ("tailscale up --login-server=https://hs.corp.net", "https://***.***/register/nodekey:abcd"),
        # `tailscale set` prints no login URL: a URL under it is not its answer
        ("tailscale set --login-server=https://hs.corp.net", "https://login.tailscale.com/a/abc123"),
    ],
)
def test_a_login_url_of_the_named_server_or_an_unknown_one_is_no_mismatch(command: str, url: str) -> None:
    document = run_json(f"$ {command}\nTo authenticate, visit:\n\n\t{url}\n")
    assert "login-server-mismatch" not in [e["kind"] for e in document["windows"]], document["windows"]
