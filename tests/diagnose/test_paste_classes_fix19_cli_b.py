"""Generated tests for the CLI classes blind batches 19 and 20 missed (corpus 734, 735, …), on variants.

- A LocalAPI certificate request whose dial reached nobody (Traefik's/Caddy's Tailscale certificate resolver
  quoting `Get "http://local-tailscaled.sock/localapi/v0/cert/<name>?type=pair": dial unix <socket>: connect:
  connection refused`, or the CLI's own pre-1.16 wording): tailscaled is not running there
  (`service-not-running`), never a certificate failure; a dial refused for permission is `unix-access-denied`.
- LocalAPI's 403 for a certificate (ipn/localapi/cert.go "cert access denied", printed "Access denied: …" by
  client/local's AccessDeniedError, "403 Forbidden: …" before it), bare or quoted in a proxy's log line: a
  permission refusal (`unix-access-denied`) with the TS_PERMIT_CERT_UID fix, not `cert-failed`.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from opskit.errors import InputError
from tests.diagnose.conftest import run_json

FENCES = [("", ""), ("```\n", "\n```"), ("```log\n", "\n```")]
INDENTS = ["", "    ", "> "]
SOCKETS = ["/var/run/tailscale/tailscaled.sock", "/run/tailscale/tailscaled.sock", "/tmp/tailscaled.sock"]
DOMAINS = ["test.magicDNS.ts.net", "master.XXX.ts.net", "nas.tail1234.ts.net"]


def _kinds(document: dict[str, Any]) -> list[str]:
    return [w["kind"] for w in document["windows"]]


def _causes(document: dict[str, Any]) -> list[str]:
    return [f["cause"] for f in document["findings"]]


def _wrap(line: str, fence: tuple[str, str], indent: str) -> str:
    return f"{fence[0]}{indent}{line}{fence[1]}\n"


def _escaped(error: str, style: str) -> str:
    """The error as a log line carries it: logfmt/zerolog quote it (inner quotes escaped), plain prints it bare."""
    return error.replace('"', '\\"') if style != "plain" else error


# Traefik v2/v3 (logfmt and zerolog console), Caddy (JSON) and a bare CLI line: how the error reaches a paste.
def _resolver_line(error: str, domain: str, style: str) -> str:
    if style == "zerolog":
        return (
            "2023-12-19T09:44:49Z ERR github.com/traefik/traefik/v3/pkg/provider/tailscale/provider.go:249 > "
            f'Unable to fetch certificate for domain "{domain}" error="{_escaped(error, style)}" '
            "providerName=myresolver.tailscale"
        )
    if style == "logfmt":
        return (
            f'time="2023-07-18T10:00:00Z" level=error msg="Unable to fetch certificate for domain \\"{domain}\\"" '
            f'error="{_escaped(error, style)}" providerName=ts.tailscale'
        )
    if style == "bare-resolver":
        return (
            f'Unable to fetch certificate for domain "{domain}" error="{_escaped(error, style)}" '
            "providerName=ts.tailscale"
        )
    return error  # the CLI's own line (`tailscale cert` before the friendly wording)


STYLES = ["zerolog", "logfmt", "bare-resolver", "plain"]


@settings(max_examples=80, deadline=None)
@given(
    style=st.sampled_from(STYLES),
    domain=st.sampled_from(DOMAINS),
    socket=st.sampled_from(SOCKETS),
    refusal=st.sampled_from(["connection refused", "no such file or directory"]),
    query=st.sampled_from(["?type=pair", "?type=cert", ""]),
    fence=st.sampled_from(FENCES),
    indent=st.sampled_from(INDENTS),
)
def test_cert_request_that_reached_no_daemon_is_service_not_running(
    style: str, domain: str, socket: str, refusal: str, query: str, fence: tuple[str, str], indent: str
) -> None:
    error = (
        f'Get "http://local-tailscaled.sock/localapi/v0/cert/{domain}{query}": dial unix {socket}: connect: {refusal}'
    )
    paste = _wrap(_resolver_line(error, domain, style), fence, indent)
    document = run_json(paste)
    assert _kinds(document) == ["service-not-running"], paste
    assert document["summary"]["exit_code"] == 1, paste
    (cause,) = _causes(document)
    assert "Unix socket" in cause and "Start-Service" not in " ".join(f["fix"] for f in document["findings"])


@settings(max_examples=40, deadline=None)
@given(style=st.sampled_from(STYLES), domain=st.sampled_from(DOMAINS), socket=st.sampled_from(SOCKETS))
def test_cert_request_dial_refused_for_permission_is_access_denied(style: str, domain: str, socket: str) -> None:
    error = (
        f'Get "http://local-tailscaled.sock/localapi/v0/cert/{domain}?type=pair": dial unix {socket}: '
        "connect: permission denied"
    )
    document = run_json(_resolver_line(error, domain, style) + "\n")
    assert _kinds(document) == ["unix-access-denied"]


@settings(max_examples=30, deadline=None)
@given(style=st.sampled_from(STYLES), domain=st.sampled_from(DOMAINS))
def test_cert_request_the_daemon_dropped_stays_a_certificate_failure(style: str, domain: str) -> None:
    # The request reached tailscaled, which went away before answering: the certificate was not issued.
    error = f'Get "http://local-tailscaled.sock/localapi/v0/cert/{domain}?type=pair": EOF'
    document = run_json(_resolver_line(error, domain, style) + "\n")
    assert "cert-failed" in _kinds(document)
    assert "service-not-running" not in _kinds(document)


@settings(max_examples=60, deadline=None)
@given(
    style=st.sampled_from(STYLES),
    domain=st.sampled_from(DOMAINS),
    wrapper=st.sampled_from(["Access denied: ", "403 Forbidden: "]),
    prompt=st.sampled_from(["", "$ sudo -u traefik tailscale cert nas.tail1234.ts.net\n", "$ tailscale cert x\n"]),
    fence=st.sampled_from(FENCES),
    indent=st.sampled_from(INDENTS),
)
def test_cert_access_denied_is_a_localapi_permission_refusal(
    style: str, domain: str, wrapper: str, prompt: str, fence: tuple[str, str], indent: str
) -> None:
    line = _resolver_line(f"{wrapper}cert access denied", domain, style)
    paste = f"{fence[0]}{prompt}{indent}{line}{fence[1]}\n"
    document = run_json(paste)
    assert _kinds(document) == ["unix-access-denied"], paste
    assert document["summary"]["exit_code"] == 1, paste
    (cause,) = _causes(document)
    assert "TS_PERMIT_CERT_UID" in cause, cause
    assert "TS_PERMIT_CERT_UID=" in document["findings"][0]["fix"]


# --------------------------------------------------------------------------- serve/funnel refusals (722, 395)

# cli/serve_v2.go backgroundExistsMsg (1.54-1.90): "background configuration already exists, use `tailscale %s
# --%s=%d off` to remove the existing configuration", with the command and serve type of the refused one.
BACKGROUND_EXISTS = [
    "background configuration already exists, use `tailscale {command} --{type}={port} off` to remove the "
    "existing configuration",
    "error: background configuration already exists, use `tailscale {command} --{type}={port} off` to remove "
    "the existing configuration",
    "background configuration already exists",
    "The error : (background configuration already exists)",
]
HANDLER_MISSING = [
    "--{type}={port} off gives handler does not exist",
    "`tailscale {command} --{type}={port} off` says: handler does not exist",
    "tailscale {command} --{type} {port} off -> error: handler does not exist",
]


@settings(max_examples=80, deadline=None)
@given(
    message=st.sampled_from(BACKGROUND_EXISTS + HANDLER_MISSING),
    command=st.sampled_from(["serve", "funnel"]),
    serve_type=st.sampled_from(["https", "http", "tcp", "tls-terminated-tcp"]),
    port=st.sampled_from(["443", "8443", "10000"]),
    fence=st.sampled_from(FENCES),
    indent=st.sampled_from(INDENTS),
)
def test_serve_refusing_a_change_is_serve_failed(
    message: str, command: str, serve_type: str, port: str, fence: tuple[str, str], indent: str
) -> None:
    text = message.format(command=command, type=serve_type, port=port)
    paste = fence[0] + "\n".join(indent + line for line in text.split("\n")) + fence[1] + "\n"
    document = run_json(paste)
    assert _kinds(document) == ["serve-failed"], paste
    assert document["summary"]["exit_code"] == 1, paste
    (cause,) = _causes(document)
    assert "{" not in cause and "?" not in cause, cause


@pytest.mark.parametrize(
    "prose",
    ["The route handler does not exist yet", "error: handler does not exist", "this handler does not exist in nginx"],
)
def test_handler_does_not_exist_alone_is_not_claimed_for_serve(prose: str) -> None:
    # Generic words without a serve command or flag on the line: nothing says Tailscale.
    with pytest.raises(InputError, match="nothing to diagnose"):
        run_json(prose + "\n")


@settings(max_examples=40, deadline=None)
@given(
    command=st.sampled_from(["funnel --tcp 433 tcp://192.168.1.250:22", "serve --bg http://10.0.0.5:8080"]),
    wrapper=st.sampled_from(["error: failed to apply TCP serve: unable to expand target: ", "error: ", ""]),
    prompt=st.sampled_from([">", "$ ", "PS C:\\> "]),
    enable=st.sampled_from(
        [
            [],
            [
                "Funnel is not enabled on your tailnet.",
                "To enable, visit:",
                "",
                "  https://login.tailscale.com/f/funnel?node=nho4o",
                "",
                "Success.",
            ],
        ]
    ),
)
def test_remote_proxy_target_refused_is_serve_failed(
    command: str, wrapper: str, prompt: str, enable: list[str]
) -> None:
    lines = [
        f"{prompt}tailscale {command}",
        "",
        *enable,
        f"{wrapper}only localhost or 127.0.0.1 proxies are currently supported",
    ]
    document = run_json("\n".join(lines) + "\n")
    assert "serve-failed" in _kinds(document)
    assert "serve-config-invalid" not in _kinds(document)
    fix = next(f["fix"] for f in document["findings"] if f["rule"] == "TS-CLI-SERVE-FAILED")
    assert "1.92" in fix and "127.0.0.1" in fix


# ------------------------------------------------------------ netlinkrib denied in an app sandbox (730)

NETLINKRIB_LINES = [
    "error: tsnet: route ip+net: netlinkrib: permission denied",
    "tsnet: route ip+net: netlinkrib: permission denied",
    "route ip+net: netlinkrib: permission denied",
    'time="2026-07-19T10:00:00+08:00" level=warning msg="[TCP] dial Tailscale-fnos (match IPCIDR/100.64.0.0/10) '
    '172.19.0.1:54158 --> 100.100.181.10:8989 error: tsnet: route ip+net: netlinkrib: permission denied"',
    "07-19 10:00:00.123  4321  4380 E GoLog   : tsnet: route ip+net: netlinkrib: permission denied",
    "failed to start tailscale: route ip+net: netlinkrib: operation not permitted",
]
AROUND = [
    ([], []),
    (["### 关键日志", ""], ["", "该错误会持续重复出现。"]),
    (["[TCP] dial Tailscale-fnos (match IPCIDR/100.64.0.0/10)", "172.19.0.1:54158 --> 100.100.181.10:8989"], []),
]


@settings(max_examples=60, deadline=None)
@given(
    line=st.sampled_from(NETLINKRIB_LINES),
    around=st.sampled_from(AROUND),
    repeat=st.integers(min_value=1, max_value=3),
    fence=st.sampled_from(FENCES),
    indent=st.sampled_from(INDENTS),
)
def test_netlinkrib_denied_is_its_own_kind(
    line: str, around: tuple[list[str], list[str]], repeat: int, fence: tuple[str, str], indent: str
) -> None:
    before, after = around
    body = [*before, *([indent + line] * repeat), *after]
    paste = fence[0] + "\n".join(body) + fence[1] + "\n"
    document = run_json(paste)
    assert _kinds(document) == ["netlinkrib-permission-denied"], paste
    assert document["summary"]["exit_code"] == 1
    finding = next(f for f in document["findings"] if f["rule"] == "TS-CLI-NETLINKRIB-DENIED")
    assert "sandbox" in finding["cause"] and "userspace networking" in finding["fix"]


# ------------------------------------------------------ the Docker Desktop extension's host warning (823)

HOST_WARNINGS = [
    "Your host device is not running Tailscale",
    "Tailscale is installed on your host device, but is not running.",
    "Tailscale is not installed on your host device. Please install it to access these container URLs.",
]
TELLINGS = [
    "{w}",
    "the Tailscale Docker-Extension claims `{w}` and `No containers are running`.",
    'The extension says "{w}" although the App Store client runs.',
    "* {w}",
]


@settings(max_examples=40, deadline=None)
@given(
    warning=st.sampled_from(HOST_WARNINGS),
    telling=st.sampled_from(TELLINGS),
    fence=st.sampled_from(FENCES),
    prose=st.sampled_from([[], ["## Observation", "After upgrading Docker Desktop 4.8.2 to 4.9.0:"]]),
)
def test_docker_extension_host_warning_is_a_detection_note(
    warning: str, telling: str, fence: tuple[str, str], prose: list[str]
) -> None:
    paste = fence[0] + "\n".join([*prose, telling.format(w=warning)]) + fence[1] + "\n"
    document = run_json(paste)
    assert _kinds(document) == ["gui-host-not-detected"], paste
    assert document["summary"]["exit_code"] == 0, paste  # information to check, not a daemon that is down
    finding = next(f for f in document["findings"] if f["rule"] == "TS-GUI-HOST-NOT-DETECTED")
    assert "tailscale status --json" in finding["cause"] and "tailscale status" in finding["fix"]


# ------------------------------------------- `tailscale ping` to an address no peer owns, 2021 wording (459)


@settings(max_examples=40, deadline=None)
@given(
    command=st.sampled_from(
        [
            "go run ./cmd/tailscale --socket /Users/josh/t/sock ping 100.N.N.N",
            "./tailscale --socket=/tmp/ts.sock ping 100.101.102.103",
            "sudo tailscale ping 100.101.102.103",
            "tailscale ping --verbose 100.101.102.103",
        ]
    ),
    prompt=st.sampled_from(["", "$ ", "% "]),
    stamp=st.sampled_from(["", "2021/06/01 10:00:00 "]),
    tail=st.sampled_from([[], ["exit status 1"]]),
    fence=st.sampled_from(FENCES),
)
def test_ping_exit_node_found_but_not_enabled_is_no_target(
    command: str, prompt: str, stamp: str, tail: list[str], fence: tuple[str, str]
) -> None:
    lines = [prompt + command, stamp + "exit node found but not enabled", *tail]
    paste = fence[0] + "\n".join(lines) + fence[1] + "\n"
    document = run_json(paste)
    (ping,) = document["pings"]
    assert ping["outcome"] == "error" and ping["pongs"] == 0, paste
    assert ping["target"] == command.split()[-1], paste
    assert "exit-node-refused" not in _kinds(document) and "service-not-running" not in _kinds(document)
    assert [f["rule"] for f in document["findings"]] == ["TS-PING-NO-TARGET"], paste


# ------------------------------------------------ serve/funnel's enable prompt answered by "Success." (395)


@settings(max_examples=40, deadline=None)
@given(
    feature=st.sampled_from(
        [("Funnel", "funnel", "TS-FUNNEL-UNAVAILABLE"), ("Serve", "serve", "TS-CLI-SERVE-NOT-ENABLED")]
    ),
    success=st.booleans(),
    indent=st.sampled_from(["", "         ", "\t"]),
    fence=st.sampled_from(FENCES),
)
def test_enable_prompt_followed_by_success_is_resolved(
    feature: tuple[str, str, str], success: bool, indent: str, fence: tuple[str, str]
) -> None:
    name, command, rule = feature
    lines = [
        f"$ tailscale {command} --bg 3000",
        "",
        f"{name} is not enabled on your tailnet.",
        "To enable, visit:",
        "",
        f"{indent}https://login.tailscale.com/f/{command}?node=nho4oGYG7X11CNTRL",
        "",
        *(["Success."] if success else []),
    ]
    document = run_json(fence[0] + "\n".join(lines) + fence[1] + "\n")
    if success:
        # session 18: "Success." there means enableFeatureInteractive saw the feature enabled and went on, so the
        # reading is the info that it was enabled in this run (feature-enabled), no longer the not-enabled rule's
        assert not [f for f in document["findings"] if f["rule"] == rule]
        (finding,) = [f for f in document["findings"] if f["rule"] == "TS-CLI-FEATURE-ENABLED"]
        assert finding["severity"] == "info" and "enabled in this run" in finding["cause"]
        assert document["summary"]["exit_code"] == 0
    else:
        (finding,) = [f for f in document["findings"] if f["rule"] == rule]
        assert finding["severity"] == "error"
        assert document["summary"]["exit_code"] == 1
