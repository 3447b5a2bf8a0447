"""Generated tests for the CLI classes blind batch 21 missed (corpus 171, 173, 790, 791, 797), on variants.

- `tailscale configure kubeconfig <name>` answering '"<name>" is in MagicDNS, but is not currently reachable on
  any known peer' (cmd/tailscale/cli/configure-kube.go nodeOrServiceDNSNameFromArg, beside its "no peer found
  for %q"): the CLI found no peer for the name (`peer-not-found`), with the kubeconfig-specific cause.
- A program's LocalAPI certificate request on Windows whose pipe open failed ('open \\\\.\\pipe\\ProtectedPrefix\\
  Administrators\\Tailscale\\tailscaled: The system cannot find the file specified.', backslashes doubled by a
  JSON log): the pipe is missing (`pipe-missing`), never a certificate failure.
- A program's own LocalAPI request (a proxy's cert manager: 'Get "http://local-tailscaled.sock/localapi/v0/…":
  dial unix tailscaled.sock: connect: no such file or directory'), relative default socket because its
  container has no /var/run, the line possibly broken in two: no daemon socket there (`service-not-running`);
  the CLI's own relative dial stays `pipe-missing`.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from opskit.errors import InputError
from tests.diagnose.conftest import run_json

FENCES = [("", ""), ("```\n", "\n```"), ("```text\n", "\n```")]
INDENTS = ["", "    ", "      ", "> "]


def _kinds(document: dict[str, Any]) -> list[str]:
    return [w["kind"] for w in document["windows"]]


def _paste(lines: list[str], fence: tuple[str, str], indent: str) -> str:
    return fence[0] + "\n".join(indent + line for line in lines) + fence[1] + "\n"


# --------------------------------------------------------------------------- configure kubeconfig (171)

KUBE_NAMES = ["my-cluster.tailnet.ts.net", "tailscale-operator", "k8s-api.tail1234.ts.net", "pg-proxy"]
KUBE_PROMPTS = ["", "$ tailscale configure kubeconfig {arg}", "% sudo tailscale configure kubeconfig {arg}"]


@settings(max_examples=60, deadline=None)
@given(
    name=st.sampled_from(KUBE_NAMES),
    scheme=st.sampled_from(["", "https://"]),
    prompt=st.sampled_from(KUBE_PROMPTS),
    prefix=st.sampled_from(["", "Error: ", "error: "]),
    fence=st.sampled_from(FENCES),
    indent=st.sampled_from(INDENTS),
)
def test_kubeconfig_name_in_magicdns_without_a_peer_is_peer_not_found(
    name: str, scheme: str, prompt: str, prefix: str, fence: tuple[str, str], indent: str
) -> None:
    lines = [prompt.format(arg=scheme + name)] if prompt else []
    lines.append(f'{prefix}"{name}" is in MagicDNS, but is not currently reachable on any known peer')
    paste = _paste(lines, fence, indent)
    document = run_json(paste)
    assert _kinds(document) == ["peer-not-found"], paste
    (finding,) = document["findings"]
    assert finding["rule"] == "TS-CLI-PEER-NOT-FOUND"
    assert "MagicDNS record" in finding["cause"] and "kubeconfig" in finding["cause"], finding["cause"]
    assert document["summary"]["exit_code"] == 1


@pytest.mark.parametrize("name", KUBE_NAMES)
def test_kubeconfig_no_peer_found_for_a_name_is_peer_not_found(name: str) -> None:
    document = run_json(f'$ tailscale configure kubeconfig {name}\nno peer found for "{name}"\n')
    assert _kinds(document) == ["peer-not-found"]


# --------------------------------------------------------------------------- Windows pipe under a cert request (790)

LOCALAPI = "http://local-tailscaled.sock/localapi/v0/"
PIPE = r"\\.\pipe\ProtectedPrefix\Administrators\Tailscale\tailscaled"
NOT_FOUND = [
    "The system cannot find the file specified.",
    "Das System kann die angegebene Datei nicht finden.",
    "Le fichier spécifié est introuvable.",
]


def _json_escaped(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')


def _cert_manager_line(error: str, style: str) -> str:
    if style == "caddy-json":  # Caddy's console encoder: level, logger, message, then the fields as JSON
        return (
            'ERROR   tls.handshake   external certificate manager    {"remote_ip": "XXXXX", "sni": '
            f'"devbox-0.tail61e05.ts.net", "cert_manager": "caddytls.Tailscale", "error": "{_json_escaped(error)}"}}'
        )
    if style == "caddy-full-json":
        return (
            '{"level":"error","ts":1725600000.1,"logger":"tls.handshake","msg":"external certificate manager",'
            f'"sni":"devbox-0.tail61e05.ts.net","error":"{_json_escaped(error)}"}}'
        )
    if style == "traefik":
        return (
            'time="2024-09-06T10:00:00Z" level=error msg="Unable to fetch certificate for domain \\"nas.tail1234'
            f'.ts.net\\"" error="{_json_escaped(error)}" providerName=ts.tailscale'
        )
    return error


CERT_STYLES = ["caddy-json", "caddy-full-json", "traefik", "plain"]


@settings(max_examples=60, deadline=None)
@given(
    style=st.sampled_from(CERT_STYLES),
    words=st.sampled_from(NOT_FOUND),
    query=st.sampled_from(["?type=pair", "?type=cert", ""]),
    stamp=st.sampled_from(["", "2024/09/06 10:15:02.123\t"]),
    fence=st.sampled_from(FENCES),
)
def test_cert_request_whose_windows_pipe_is_missing_is_pipe_missing(
    style: str, words: str, query: str, stamp: str, fence: tuple[str, str]
) -> None:
    error = f'Get "{LOCALAPI}cert/devbox-0.tail61e05.ts.net{query}": open {PIPE}: {words}'
    paste = _paste([stamp + _cert_manager_line(error, style)], fence, "")
    document = run_json(paste)
    assert _kinds(document) == ["pipe-missing"], paste
    assert "cert-failed" not in _kinds(document)


@pytest.mark.parametrize("style", CERT_STYLES)
def test_cert_request_whose_windows_pipe_is_denied_is_not_a_cert_failure(style: str) -> None:
    error = f'Get "{LOCALAPI}cert/nas.tail1234.ts.net?type=pair": open {PIPE}: Access is denied.'
    document = run_json(_cert_manager_line(error, style) + "\n")
    assert _kinds(document) == ["pipe-access-denied"]


@pytest.mark.parametrize("style", CERT_STYLES)
def test_cert_request_that_reached_tailscaled_stays_a_cert_failure(style: str) -> None:
    error = (
        'Get "http://local-tailscaled.sock/localapi/v0/cert/nas.tail1234.ts.net?type=pair": unexpected status '
        "500: acme: error code 429 rateLimited"
    )
    assert "cert-failed" in _kinds(run_json(_cert_manager_line(error, style) + "\n"))


# --------------------------------------------------------------------------- a program's relative-socket dial (791)

CADDY_START = [
    "2025/01/31 17:13:21.931 INFO    tailscale       tsnet running state path /opt/caddy/tsnet-x/tailscaled.state",
    '2025/01/31 17:13:21.932 INFO    tailscale       tsnet starting with hostname "whoami", varRoot "/opt/caddy/x"',
    "[...]",
]


def _program_line(path: str, style: str) -> str:
    error = f'Get "{LOCALAPI}{path}": dial unix tailscaled.sock: connect: no such file or directory'
    if style == "caddy":
        return (
            "2025/01/31 17:13:48.151 WARN    http    could not get status; will try to get certificate anyway"
            f'        {{"error": "{_json_escaped(error)}"}}'
        )
    if style == "caddy-error":
        return (
            "2025/01/31 17:13:48.152 ERROR   tls.obtain      could not get certificate from issuer"
            f'        {{"error": "{_json_escaped(error)}"}}'
        )
    return _cert_manager_line(error, "traefik")


@settings(max_examples=80, deadline=None)
@given(
    path=st.sampled_from(["status", "cert/whoami.tail1234.ts.net?type=pair", "whois?addr=100.64.0.1%3A443"]),
    style=st.sampled_from(["caddy", "caddy-error", "traefik"]),
    cut=st.sampled_from(["", "http://local", "http://", '"error": ']),
    start=st.booleans(),
    fence=st.sampled_from(FENCES),
)
def test_a_programs_localapi_dial_to_a_relative_socket_is_service_not_running(
    path: str, style: str, cut: str, start: bool, fence: tuple[str, str]
) -> None:
    line = _program_line(path, style)
    lines = [line]
    if cut and cut in line:  # the line broken in two as posted (a soft wrap kept by the copy)
        at = line.index(cut) + len(cut)
        lines = [line[:at], line[at:]]
    paste = _paste((CADDY_START if start else []) + lines, fence, "")
    document = run_json(paste)
    assert _kinds(document) == ["service-not-running"], paste
    assert "unix-access-denied" not in _kinds(document)


@pytest.mark.parametrize(
    "line",
    [
        "Failed to connect to local Tailscale daemon for /localapi/v0/profiles/; not running? Error: dial unix "
        "tailscaled.sock: connect: no such file or directory",
        "failed to connect to local tailscaled; it doesn't appear to be running (dial unix tailscaled.sock: "
        "connect: no such file or directory)",
    ],
)
def test_the_clis_own_relative_dial_stays_pipe_missing(line: str) -> None:
    assert _kinds(run_json(f"$ tailscale status\n{line}\n")) == ["pipe-missing"]


# --------------------------------------------------------------------------- the CLI's local web page (173)

# cli/status.go (status --web: net.Listen on --listen, default 127.0.0.1:8384) and cli/web.go (http.ListenAndServe
# on --listen, default localhost:8088, after logging "web server running on: …") return Go's listen error bare.
WEB_COMMANDS = [
    ("tailscale status --web", "127.0.0.1:8384"),
    ("tailscale status --web ", "127.0.0.1:8384"),
    ("sudo tailscale status --web --listen=0.0.0.0:8384", "0.0.0.0:8384"),
    ("tailscale status -web -browser=false", "127.0.0.1:8384"),
    ("tailscale web", "127.0.0.1:8088"),
    ("tailscale web --listen 100.64.0.9:8088", "100.64.0.9:8088"),
    ("tailscale.exe status --web", "127.0.0.1:8384"),
]
PROMPTS = ["$ ", "root@nas:~# ", "PS C:\\Users\\me> ", "% "]
WEB_ERRORS = {
    "address already in use": "another program already holds that port",
    "Only one usage of each socket address (protocol/network address/port) is normally permitted.": (
        "another program already holds that port"
    ),
    "permission denied": "the OS refused the port",
    "An attempt was made to access a socket in a way forbidden by its access permissions.": "the OS refused",
    "cannot assign requested address": "not one of this host's",
}


@settings(max_examples=100, deadline=None)
@given(
    command=st.sampled_from(WEB_COMMANDS),
    prompt=st.sampled_from(PROMPTS),
    why=st.sampled_from(sorted(WEB_ERRORS)),
    logged=st.booleans(),
    fence=st.sampled_from(FENCES),
    trailing_blank=st.booleans(),
)
def test_the_clis_web_page_failing_to_listen_is_web_listen_failed(
    command: tuple[str, str], prompt: str, why: str, logged: bool, fence: tuple[str, str], trailing_blank: bool
) -> None:
    typed, address = command
    lines = [prompt + typed]
    if logged and "tailscale web" in typed:
        lines.append(f"2024/05/02 10:00:00 web server running on: http://{address}")
    lines.append(f"listen tcp {address}: bind: {why}")
    if trailing_blank:
        lines.append("")
    paste = _paste(lines, fence, "")
    document = run_json(paste)
    assert _kinds(document) == ["web-listen-failed"], paste
    (finding,) = document["findings"]
    assert finding["rule"] == "TS-CLI-WEB-LISTEN-FAILED"
    assert WEB_ERRORS[why] in finding["cause"] and address in finding["cause"], finding["cause"]
    assert "--listen" in finding["fix"]
    port = address.rsplit(":", 1)[1]
    assert why.startswith(("address", "Only")) <= (f":{port}" in finding["fix"]), finding["fix"]
    assert document["summary"]["exit_code"] == 1


@pytest.mark.parametrize(
    "paste",
    [
        "listen tcp 127.0.0.1:8384: bind: address already in use\n",
        "$ syncthing serve\nlisten tcp 127.0.0.1:8384: bind: address already in use\n",
        "$ python3 -m http.server 8088\nlisten tcp 127.0.0.1:8088: bind: address already in use\n",
    ],
)
def test_a_listen_error_of_another_program_is_not_claimed(paste: str) -> None:
    # Go's listen error is every Go program's: only under `tailscale status --web` / `tailscale web` is it ours.
    try:
        document = run_json(paste)
    except InputError:
        return
    assert "web-listen-failed" not in _kinds(document)
    assert "service-not-running" not in _kinds(document)


def test_a_status_table_after_the_web_error_is_still_read() -> None:
    paste = (
        "$ tailscale status --web\nlisten tcp 127.0.0.1:8384: bind: address already in use\n"
        "$ tailscale status\n100.101.102.103  laptop  alice@  linux  -\n"
    )
    document = run_json(paste)
    assert _kinds(document) == ["web-listen-failed"]
    assert document["statuses"], document["blocks"]


# --------------------------------------------------------------------------- Funnel on, no serve config (797)

# cli/funnel.go printFunnelStatus ("# Funnel on:" and one "#     - <url>" per Funnel host:port) then, on stderr,
# printFunnelWarning: "\nWarning: funnel=on for <host:port>, but no serve config" per port with no TCP handler and
# once "         run: `tailscale serve --help` to see how to configure handlers".
FUNNEL_HOSTS = ["chicago-wsl.tail21459.ts.net", "nas.tail1234.ts.net"]


@settings(max_examples=80, deadline=None)
@given(
    host=st.sampled_from(FUNNEL_HOSTS),
    ports=st.sampled_from([["443"], ["8443"], ["443", "10000"]]),
    command=st.sampled_from(["tailscale funnel status", "tailscale serve status", "sudo tailscale funnel status"]),
    prompt=st.booleans(),
    hint=st.booleans(),
    fence=st.sampled_from(FENCES),
)
def test_funnel_on_without_serve_config_is_a_serve_status_and_serve_not_configured(
    host: str, ports: list[str], command: str, prompt: bool, hint: bool, fence: tuple[str, str]
) -> None:
    lines = [f"$ {command}"] if prompt else []
    lines += ["", "# Funnel on:"]
    lines += [f"#     - https://{host}" + ("" if port == "443" else f":{port}") for port in ports]
    lines.append("")
    for port in ports:
        lines += ["", f"Warning: funnel=on for {host}:{port}, but no serve config"]
    if hint:
        lines.append("         run: `tailscale serve --help` to see how to configure handlers")
    paste = _paste(lines, fence, "")
    document = run_json(paste)
    kinds = {b["kind"] for b in document["blocks"]}
    assert {"serve-status", "windows-error"} <= kinds and "status" not in kinds, paste
    assert set(_kinds(document)) == {"serve-not-configured"}, paste
    (finding,) = [f for f in document["findings"] if f["rule"] == "TS-CLI-SERVE-NOT-CONFIGURED"]
    assert finding["severity"] == "warning" and f"{host}:{ports[0]}" in finding["cause"], finding
    assert not [f for f in document["findings"] if f["rule"] == "TS-CLI-SERVE-FAILED"]
    assert document["summary"]["exit_code"] == 1


@pytest.mark.parametrize("host", FUNNEL_HOSTS)
def test_the_funnel_warning_after_funnel_on_alone_is_serve_not_configured(host: str) -> None:
    # `tailscale funnel 443 on` (legacy) prints the same warning when nothing is served on that port
    paste = f"$ tailscale funnel 443 on\n\nWarning: funnel=on for {host}:443, but no serve config\n"
    document = run_json(paste)
    assert _kinds(document) == ["serve-not-configured"]
    assert document["summary"]["exit_code"] == 1


def test_no_serve_config_alone_stays_an_info_answer() -> None:
    document = run_json("$ tailscale serve status\nNo serve config\n")
    assert _kinds(document) == ["serve-not-configured"]
    assert document["summary"]["exit_code"] == 0
