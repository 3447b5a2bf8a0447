"""`tailscale serve status` / `funnel status` read as an expert reads them (blind 25: 1169, 1140).

A Funnel on a port its public ingress does not listen on (ipn.CheckFunnelPort: the control server's funnel-ports
node attribute, 443, 8443 and 10000 on Tailscale's) is listed as ``(Funnel on)`` by builds whose
``funnel --https=<port> --bg`` skipped the check, yet requests from the internet never arrive: TS-SERVE-FUNNEL-PORT,
for every form of the view (the tree under either command, the ``# Funnel on:`` header, the legacy TCP tree, the
``--json`` ServeConfig). A Funnel on 443/8443/10000, or another port kept tailnet only, is not that.
"""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.diagnose.conftest import run_json

HOSTS = ["node.tail1234.ts.net", "daniels-m1-macbook-pro.drake-ostrich.ts.net", "nas.example-tailnet.ts.net"]
PROMPTS = ["$ ", "% ", "❯ ", "root@pi:~# ", "PS C:\\Users\\me> ", ""]
COMMANDS = ["tailscale serve status", "tailscale funnel status", "sudo tailscale funnel status"]
FENCES = [("", ""), ("```\n", "\n```"), ("```console\n", "\n```")]
ALLOWED = [443, 8443, 10000]
OTHER = [80, 3000, 4443, 8080, 9443, 10001, 65535]
HANDLERS = ["|-- / proxy http://127.0.0.1:3110", "|-- /api proxy http://localhost:8080", '|-- / text  "Hello"']


def _url(host: str, port: int) -> str:
    return f"https://{host}" + ("" if port == 443 else f":{port}")


def _tree(host: str, ports: list[tuple[int, bool]], handler: str, header: bool, tcp: bool) -> list[str]:
    lines: list[str] = []
    funnel = [port for port, on in ports if on]
    if header and funnel:  # printFunnelStatus's header, one item per Funnel host:port
        lines += ["", "# Funnel on:"] + [f"#     - {_url(host, port)}" for port in funnel] + [""]
    for port, on in ports:
        state = "Funnel on" if on else "tailnet only"
        if tcp:  # the legacy TLS-terminated TCP tree
            lines += [f"|-- tcp://{host}:{port} (TLS-terminated TCP, {state})", "|--> tcp://127.0.0.1:5432", ""]
        else:
            lines += [f"{_url(host, port)} ({state})", handler, ""]
    return lines


def _paste(lines: list[str], prompt: str, command: str, fence: tuple[str, str]) -> str:
    head = [prompt + command] if prompt else []
    return fence[0] + "\n".join(head + lines).rstrip("\n") + fence[1]


@given(
    host=st.sampled_from(HOSTS),
    wrong=st.sampled_from(OTHER),
    more=st.lists(st.tuples(st.sampled_from(ALLOWED + OTHER), st.booleans()), max_size=2),
    handler=st.sampled_from(HANDLERS),
    header=st.booleans(),
    tcp=st.booleans(),
    prompt=st.sampled_from(PROMPTS),
    command=st.sampled_from(COMMANDS),
    fence=st.sampled_from(FENCES),
)
@settings(max_examples=60, deadline=None)
def test_a_funnel_on_another_port_is_a_problem(
    host: str,
    wrong: int,
    more: list[tuple[int, bool]],
    handler: str,
    header: bool,
    tcp: bool,
    prompt: str,
    command: str,
    fence: tuple[str, str],
) -> None:
    ports = [(wrong, True)] + [(port, on) for port, on in more if port != wrong]
    text = _paste(_tree(host, ports, handler, header, tcp), prompt, command, fence)
    document = run_json(text)
    assert [b["kind"] for b in document["blocks"]] == ["serve-status"], text
    (finding,) = [f for f in document["findings"] if f["rule"] == "TS-SERVE-FUNNEL-PORT"]
    assert f"port {wrong})" in finding["cause"], finding["cause"]
    assert "443, 8443 or 10000" in finding["fix"]
    assert document["summary"]["exit_code"] == 1, text


@given(
    host=st.sampled_from(HOSTS),
    ports=st.lists(
        st.one_of(
            st.tuples(st.sampled_from(ALLOWED), st.booleans()), st.tuples(st.sampled_from(OTHER), st.just(False))
        ),
        min_size=1,
        max_size=3,
        unique_by=lambda p: p[0],
    ),
    handler=st.sampled_from(HANDLERS),
    header=st.booleans(),
    tcp=st.booleans(),
    prompt=st.sampled_from(PROMPTS),
    command=st.sampled_from(COMMANDS),
)
@settings(max_examples=40, deadline=None)
def test_a_funnel_on_443_8443_10000_or_a_tailnet_only_port_is_not(
    host: str, ports: list[tuple[int, bool]], handler: str, header: bool, tcp: bool, prompt: str, command: str
) -> None:
    text = _paste(_tree(host, ports, handler, header, tcp), prompt, command, ("", ""))
    document = run_json(text)
    assert "TS-SERVE-FUNNEL-PORT" not in [f["rule"] for f in document["findings"]], text
    assert document["summary"]["exit_code"] == 0, text


def _config(host: str, port: int, funnel: bool, tcp_forward: bool) -> dict[str, object]:
    if tcp_forward:
        return {"TCP": {str(port): {"TCPForward": "127.0.0.1:5432"}}, "AllowFunnel": {f"{host}:{port}": funnel}}
    return {
        "TCP": {str(port): {"HTTPS": True}},
        "Web": {f"{host}:{port}": {"Handlers": {"/": {"Proxy": "http://127.0.0.1:3110"}}}},
        "AllowFunnel": {f"{host}:{port}": funnel},
    }


@given(
    host=st.sampled_from(HOSTS),
    port=st.sampled_from(ALLOWED + OTHER),
    funnel=st.booleans(),
    tcp_forward=st.booleans(),
    indent=st.sampled_from([2, None]),
)
@settings(max_examples=40, deadline=None)
def test_the_json_serve_config_is_judged_the_same(
    host: str, port: int, funnel: bool, tcp_forward: bool, indent: int | None
) -> None:
    body = json.dumps(_config(host, port, funnel, tcp_forward), indent=indent)
    document = run_json(f"$ tailscale funnel status --json\n{body}")
    fired = [f for f in document["findings"] if f["rule"] == "TS-SERVE-FUNNEL-PORT"]
    assert bool(fired) is (funnel and port not in ALLOWED), body


# ------------------------------------------------------------------ "No serve config" beside --json Services
# Before 1.100 (commit 01c59d84a "show services in serve status") the text form counted only the node's own
# TCP/Web/Funnel config: a node serving only Tailscale Services read "No serve config" while `--json` listed them.


def _service(kind: str, port: int) -> dict[str, object]:
    if kind == "tcp":
        return {"TCP": {str(port): {"TCPForward": f"localhost:{port}"}}}
    if kind == "tun":
        return {"Tun": True}
    return {
        "TCP": {str(port): {"HTTPS": True}},
        "Web": {f"db.tail1234.ts.net:{port}": {"Handlers": {"/": {"Proxy": f"http://127.0.0.1:{port}"}}}},
    }


@given(
    names=st.lists(st.sampled_from(["svc:ascii-chat", "svc:db", "svc:web-1"]), min_size=1, max_size=2, unique=True),
    kind=st.sampled_from(["tcp", "tun", "web"]),
    port=st.sampled_from([443, 5432, 27224]),
    prompt=st.sampled_from(PROMPTS),
    json_first=st.booleans(),
    fence=st.sampled_from([("", ""), ("```bash\n", "\n```")]),
)
@settings(max_examples=40, deadline=None)
def test_no_serve_config_beside_json_services_is_not_unconfigured(
    names: list[str], kind: str, port: int, prompt: str, json_first: bool, fence: tuple[str, str]
) -> None:
    config = {"Services": {name: _service(kind, port) for name in names}}
    text_part = [prompt + "tailscale serve status", "No serve config"]
    json_part = [prompt + "tailscale serve status --json", *json.dumps(config, indent=2).splitlines()]
    lines = json_part + text_part if json_first else text_part + json_part
    if not prompt:  # without prompts the commands are not shown: the answer and the JSON alone
        lines = [line for line in lines if not line.endswith(("serve status", "--json"))]
    text = fence[0] + "\n".join(lines) + fence[1]
    document = run_json(text)
    assert "serve-not-configured" not in [w["kind"] for w in document["windows"] or []], text
    (note,) = [f for f in document["findings"] if f["rule"] == "TS-SERVE-STATUS"]
    for name in names:
        assert f"({name})" in note["cause"], note["cause"]
    assert document["summary"]["exit_code"] == 0, text


@given(
    node_config=st.sampled_from(
        [{}, {"TCP": {"443": {"HTTPS": True}}, "Web": {"n.ts.net:443": {"Handlers": {"/": {"Text": "hi"}}}}}]
    ),
    prompt=st.sampled_from(["$ ", "❯ "]),
)
@settings(max_examples=10, deadline=None)
def test_no_serve_config_stays_when_the_json_serves_no_service(node_config: dict[str, object], prompt: str) -> None:
    # an empty config, or the node's own handlers (then the two answers came at different times): the text stands
    text = "\n".join(
        [prompt + "tailscale serve status", "No serve config", prompt + "tailscale serve status --json"]
        + json.dumps(node_config, indent=2).splitlines()
    )
    assert "serve-not-configured" in [w["kind"] for w in run_json(text)["windows"] or []], text


def test_the_funnel_warning_stays_beside_json_services() -> None:
    config = {"Services": {"svc:db": _service("tcp", 5432)}}
    text = "\n".join(
        [
            "$ tailscale serve status",
            "|-- tcp://node.tail1234.ts.net:5432 (TLS-terminated TCP, tailnet only)",
            "|--> tcp://127.0.0.1:5432",
            "",
            "Warning: funnel=on for node.tail1234.ts.net:8443, but no serve config",
            "$ tailscale serve status --json",
            *json.dumps(config, indent=2).splitlines(),
        ]
    )
    assert [w["kind"] for w in run_json(text)["windows"]] == ["serve-not-configured"]


# ------------------------------------------------------------------ curl of a served URL answering 404 (1168)
# serve lists a handler, yet `curl <that URL>` pasted after the listing answered Go's "404 page not found" (serve's own
# http.NotFound when no handler matches, a path handler's missing file, or a proxied backend's 404): TS-SERVE-NOT-FOUND.

CURL_PROMPTS = ["$ ", "% ", "❯ ", "user@host:~$ ", "PS C:\\Users\\me> "]
SERVED = [  # (listing line, URL's scheme://host:port as curl may write it, handler line)
    ("http://node.tail1234.ts.net:8000/ (tailnet only)", "http://node.tail1234.ts.net:8000", '|-- / text  "Hello"'),
    (
        "https://node.tail1234.ts.net (tailnet only)",
        "https://node.tail1234.ts.net",
        "|-- / proxy http://127.0.0.1:3000",
    ),
    ("https://node.tail1234.ts.net:8443 (Funnel on)", "https://NODE.tail1234.ts.net:8443", "|-- /files path  /srv"),
    ("http://samson.tailnet.ts.net:10000/ (tailnet only)", "http://samson.tailnet.ts.net:10000", "|-- / text  hi"),
]
NOT_FOUND = [["404 page not found"], ["HTTP/1.1 404 Not Found", "Content-Type: text/plain", "", "404 page not found"]]


def _served_paste(prompt: str, listing: str, handler: str, curl: str, answer: list[str]) -> str:
    return "\n".join([f"{prompt}tailscale serve status", listing, handler, "", f"{prompt}{curl}", *answer])


@given(
    prompt=st.sampled_from(CURL_PROMPTS),
    served=st.sampled_from(SERVED),
    path=st.sampled_from(["", "/", "/files/a.txt"]),
    flags=st.sampled_from(["", "-s ", "-i ", "-sS "]),
    quote=st.sampled_from(["", "'", '"']),
    answer=st.sampled_from(NOT_FOUND),
)
@settings(max_examples=60, deadline=None)
def test_a_served_url_answering_404_is_a_problem(
    prompt: str, served: tuple[str, str, str], path: str, flags: str, quote: str, answer: list[str]
) -> None:
    listing, base, handler = served
    mount = handler.split()[1]
    if not (path or "/").startswith(mount):
        path = mount  # a path under the handler's mount
    curl = f"curl {flags}{quote}{base}{path}{quote}"
    text = _served_paste(prompt, listing, handler, curl, answer)
    document = run_json(text)
    (finding,) = [f for f in document["findings"] if f["rule"] == "TS-SERVE-NOT-FOUND"]
    assert "404 page not found" in finding["cause"] and curl in finding["cause"], finding["cause"]
    assert document["summary"]["exit_code"] == 1, text


@given(
    prompt=st.sampled_from(CURL_PROMPTS),
    served=st.sampled_from(SERVED),
    case=st.sampled_from(["answered", "other-port", "other-host", "other-mount", "before"]),
)
@settings(max_examples=40, deadline=None)
def test_a_served_url_that_answers_or_an_unlisted_url_is_not(
    prompt: str, served: tuple[str, str, str], case: str
) -> None:
    listing, base, handler = served
    mount = handler.split()[1]
    url, answer = f"{base}{mount}", ["404 page not found"]
    if case == "answered":
        answer = ["Hello"]
    elif case == "other-port":
        url = f"{base.rsplit(':', 1)[0] if base.count(':') == 2 else base}:9999{mount}"
    elif case == "other-host":
        url = url.replace("tail1234", "tail9999").replace("samson.tailnet", "other.tailnet")
    elif case == "other-mount":
        if mount == "/":
            return  # "/" holds every path
        url = f"{base}/elsewhere"
    text = _served_paste(prompt, listing, handler, f"curl {url}", answer)
    if case == "before":  # the 404 came before the listing: nothing says the listed handler existed then
        text = "\n".join(
            [f"{prompt}curl {url}", "404 page not found", f"{prompt}tailscale serve status", listing, handler]
        )
    document = run_json(text)
    assert "TS-SERVE-NOT-FOUND" not in [f["rule"] for f in document["findings"]], text
