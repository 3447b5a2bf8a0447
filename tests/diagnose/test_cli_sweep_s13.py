"""The CLI sweep's round 4 (session 13): LocalAPI's answers as the CLI prints them, read as classes.

client/local prints a LocalAPI error answer as ``Access denied: <body>`` (403), ``Preconditions failed: <body>``
(412, v1.60+) or ``<status>: <body>`` (1.4-1.18: ``HTTP <status>: <body>``); WatchIPNBus prints the status alone.
Before this round the sweep's `wrapped` figure read 84 of 393 such answers as nothing (every 400/404/405/409/412/204
answer) and 184 only as the generic `backend-error`. Now:
- a status with no kind of its own (400, 404, 405, 409, 412, 204, 429, 502) is `backend-error` whatever its body,
  with what that status means (405: the method, a CLI of another release; 400: a value; 404: a thing named);
- 501 is always a build or platform without the feature (`daemon-subcommand-unavailable`);
- `404 Not Found: 404 page not found` (LocalAPI has no such endpoint) and WatchIPNBus's bare `404 Not Found` under a
  tailscale command are a CLI newer than its tailscaled (`version-mismatch`, issue 9654);
- a 500 or 412 under a typed `tailscale lock|serve|funnel|cert|file|drive|switch|update|dns query` is that command's
  failure kind.
Each class is generated over prompts, with and without the command line, the wrappers and prefixes the CLI and the
programs around it print, and values; asserted on the JSON a user sees. Source: Tailscale at de9ec7ee2 (2026-08-22).
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.diagnose.cli_sweep import EXTRACTS, measure, read_extract, relayed
from tests.diagnose.test_cli_sweep_s12 import PROMPTS, _assert_read, _document, _kinds, _paste
from tests.diagnose.test_cli_view_catalog import WRAPPINGS, View, read_right, wrapped

# what a command or a program puts in front of a relayed answer (`tailscale: ` is main's, `Error: ` a wrapper's)
_PREFIXES = ("", "Error: ", "tailscale: ", "error fetching status: ", "HTTP ")
_PARAM = st.sampled_from(("addr", "ip", "size", "type", "id", "expiry", "enabled", "limit", "aud"))
_METHOD = st.sampled_from(("GET", "POST", "PUT", "PATCH", "DELETE"))


def _printed(prefix: str, status: str, body: str) -> str:
    if prefix == "HTTP ":  # 1.4-1.18's client: "HTTP <status>: <body>"
        return f"HTTP {status}: {body}"
    return f"{prefix}{status}: {body}"


# ---- statuses with no kind of their own: backend-error, the status's meaning said ----
# ipn/localapi/localapi.go (405 "use POST", "only GET allowed", …; 400 "missing 'ip' parameter", "invalid JSON
# body"; 404 "no peer with that NodeID", "Profile not found"), debug.go:353 (204), serve.go:68 (412), feature/acme
# (429), localapi.go:1335/1355 (502)
@st.composite
def _refusal(draw: st.DrawFn) -> tuple[str, str, str]:
    status = draw(st.sampled_from(("400", "404", "405", "409", "412", "204", "429", "502")))
    param, method = draw(_PARAM), draw(_METHOD)
    if status == "405":
        body = draw(st.sampled_from((f"use {method}", f"only {method} allowed", f"{method} required", "bad method")))
        return "405 Method Not Allowed", body, "http method"
    if status == "400":
        body = draw(
            st.sampled_from(
                (f"missing '{param}' parameter", f"invalid '{param}' parameter", "invalid JSON body", f"want {method}")
            )
        )
        return "400 Bad Request", body, "a value of the request"
    if status == "404":
        body = draw(st.sampled_from(("no peer with that NodeID", "no user with that UserID", "Unknown profile")))
        return "404 Not Found", body, "does not have what the request named"
    if status == "409":
        return "409 Conflict", draw(st.sampled_from(("file exists", "already exists"))), "current state"
    if status == "412":
        status = draw(st.sampled_from(("Preconditions failed", "412 Precondition Failed")))
        return status, "event bus not running", "412"
    if status == "204":
        return "204 No Content", "event bus not running", "current state"
    if status == "429":
        return "429 Too Many Requests", "rate limited", "rate limit"
    return "502 Bad Gateway", draw(st.sampled_from(("dial failure: ", "resolve failure: "))) + "i/o timeout", "502"


@settings(max_examples=200, deadline=None)
@given(
    prompt=st.sampled_from(PROMPTS),
    command=st.sampled_from(
        (
            "tailscale whois 100.101.102.103",
            "tailscale ping nas",
            "tailscale debug localapi",
            None,
        )
    ),
    refusal=_refusal(),
    prefix=st.sampled_from(_PREFIXES),
)
def test_a_localapi_refusal_with_no_kind_of_its_own_is_tailscaled_answering(
    prompt: str, command: str | None, refusal: tuple[str, str, str], prefix: str
) -> None:
    status, body, meaning = refusal
    if prefix == "HTTP " and not status[0].isdigit():
        prefix = ""  # "Preconditions failed" is client/local's own words, never after "HTTP "
    text = _paste(prompt, command, _printed(prefix, status, body))
    _assert_read(text, "backend-error", "TS-WIN-BACKEND-ERROR", meaning)
    assert set(_kinds(text)) == {"backend-error"}, (text, _kinds(text))  # never "not running", never "no backend"


def test_a_405_says_the_cli_and_tailscaled_releases_differ() -> None:
    document = _document("$ tailscale set --accept-routes\n405 Method Not Allowed: use PATCH\n")
    assert document is not None
    finding = next(f for f in document["findings"] if f["rule"] == "TS-WIN-BACKEND-ERROR")  # type: ignore[union-attr]
    assert "tailscale version --daemon" in finding["fix"] and "release" in finding["cause"], finding


# other programs' HTTP lines with the same status words: not a LocalAPI answer
@pytest.mark.parametrize(
    "text",
    [
        "$ curl -sI https://nas.tail1234.ts.net/api\nHTTP/1.1 404 Not Found\ncontent-length: 19\n",
        "$ curl https://nas.tail1234.ts.net/x\n404 Not Found\n",
        "$ wget http://nas:8080/\nwget: server returned error: HTTP/1.0 400 Bad Request\n",
        "$ kubectl logs web-0\nGET /api 405 Method Not Allowed in 3ms\n",
    ],
)
def test_another_programs_http_status_is_no_localapi_answer(text: str) -> None:
    kinds = _kinds(text)
    assert "backend-error" not in kinds and "version-mismatch" not in kinds, (text, kinds)


# ---- 501: a build or platform without it ----
# feature/feature.go ErrUnavailable, ipn/ipnlocal/c2n.go:301/313/335, peerapi.go:760, localapi/debug.go:166
@settings(max_examples=80, deadline=None)
@given(
    prompt=st.sampled_from(PROMPTS),
    command=st.sampled_from(("tailscale debug netfilter-kind nftables", "tailscale dns query example.com", None)),
    body=st.sampled_from(("netfilter kind only settable on linux", "DNS not wired up", "not implemented")),
    prefix=st.sampled_from(_PREFIXES),
)
def test_a_501_is_a_build_or_platform_without_it(prompt: str, command: str | None, body: str, prefix: str) -> None:
    text = _paste(prompt, command, _printed(prefix, "501 Not Implemented", body))
    _assert_read(text, "daemon-subcommand-unavailable", "TS-CLI-SUBCOMMAND-UNAVAILABLE", body)


# ---- an endpoint this tailscaled does not have: the CLI is newer (version-mismatch) ----
# ipn/localapi/localapi.go ServeHTTP (http.NotFound), client/local WatchIPNBus (errors.New(res.Status)); issue 9654
@settings(max_examples=80, deadline=None)
@given(
    prompt=st.sampled_from(PROMPTS),
    command=st.sampled_from(("tailscale serve status", "tailscale up --ssh", "tailscale drive list", None)),
    prefix=st.sampled_from(_PREFIXES),
)
def test_localapi_without_the_endpoint_is_a_cli_newer_than_tailscaled(
    prompt: str, command: str | None, prefix: str
) -> None:
    text = _paste(prompt, command, _printed(prefix, "404 Not Found", "404 page not found"))
    _assert_read(text, "version-mismatch", "TS-WIN-VERSION-MISMATCH", "newer than the tailscaled")
    assert "backend-error" not in _kinds(text)


@pytest.mark.parametrize("prompt", PROMPTS)
@pytest.mark.parametrize("command", ["tailscale up", "tailscale login --login-server=https://hs.example.com"])
def test_watch_ipn_bus_bare_404_under_a_tailscale_command_is_the_same(prompt: str, command: str) -> None:
    _assert_read(_paste(prompt, command, "404 Not Found"), "version-mismatch", "TS-WIN-VERSION-MISMATCH", "newer")


def test_issue_9654_the_mismatch_warning_and_the_bare_404() -> None:
    text = (
        "root@ubuntu:~# tailscale up\n"
        'Warning: client version "1.50.1-tf45c02bfc-g36a20760a" != tailscaled server version "1.28.0-taabca3a4c"\n'
        "404 Not Found\n"
    )
    assert _kinds(text) == ["version-mismatch"], _kinds(text)


# ---- a 500 or 412 under a command with its own failure kind ----
# the ipnlocal errors those commands' handlers relay (http.Error(w, err.Error(), 500)): tailnet-lock.go, serve.go,
# profiles.go, …
_COMMAND_KINDS = (
    ("tailscale lock sign nodekey:{hex} tlpub:{hex}", "tailnet-lock-failed", "TS-CLI-TAILNET-LOCK-FAILED"),
    ("tailscale lock init --confirm tlpub:{hex}", "tailnet-lock-failed", "TS-CLI-TAILNET-LOCK-FAILED"),
    ("tailscale serve --bg {port}", "serve-failed", "TS-CLI-SERVE-FAILED"),
    ("tailscale funnel --https={port} on", "serve-failed", "TS-CLI-SERVE-FAILED"),
    ("tailscale cert nas.tail{hex}.ts.net", "cert-failed", "TS-CLI-CERT-FAILED"),
    ("tailscale file cp notes.txt nas:", "taildrop-failed", "TS-CLI-TAILDROP-FAILED"),
    ("tailscale switch work", "switch-failed", "TS-CLI-SWITCH-FAILED"),
    ("tailscale dns query example.com", "dns-query-failed", "TS-CLI-DNS-QUERY-FAILED"),
)
_DAEMON_BODIES = (
    "tka sync: context deadline exceeded",
    'fetching bootstrap: Post "https://controlplane.tailscale.com/machine/tka/bootstrap": EOF',
    # (not serve's "netMap is nil": since blind 33 (lead decision) it reads as not-running-state under any command,
    # tailscaled having no network map yet; tests/diagnose/test_blind33_cli.py)
    "unexpected end of JSON input",
    "writing ServeConfig to StateStore: open /var/lib/tailscale/tailscaled.state: read-only file system",
    "calling ReadState on state store: unexpected end of JSON input",
    "profile not found",
)


@settings(max_examples=200, deadline=None)
@given(
    prompt=st.sampled_from(tuple(p for p in PROMPTS)),
    case=st.sampled_from(_COMMAND_KINDS),
    body=st.sampled_from(_DAEMON_BODIES),
    status=st.sampled_from(("500 Internal Server Error", "HTTP 500 Internal Server Error", "Preconditions failed")),
    hex_value=st.from_regex(r"[0-9a-f]{4,16}", fullmatch=True),
    port=st.integers(min_value=1, max_value=65535),
)
def test_a_500_under_a_command_is_that_command_failing(
    prompt: str, case: tuple[str, str, str], body: str, status: str, hex_value: str, port: int
) -> None:
    command, kind, rule = case
    text = _paste(prompt, command.format(hex=hex_value, port=port), f"{status}: {body}")
    kinds = _kinds(text)
    if "control" in body or "EOF" in body or "state store" in body:  # a cause of its own may be read beside it
        assert kind in kinds, (text, kinds)
        return
    _assert_read(text, kind, rule, body.split(":")[0])
    assert "backend-error" not in kinds, (text, kinds)


@pytest.mark.parametrize("prompt", PROMPTS)
# (not "netMap is nil": see _DAEMON_BODIES)
@pytest.mark.parametrize("body", ["unexpected end of JSON input", "profile not found"])
def test_the_same_500_under_another_command_stays_tailscaled_failing_it(prompt: str, body: str) -> None:
    text = _paste(prompt, "tailscale up --accept-routes", f"500 Internal Server Error: {body}")
    _assert_read(text, "backend-error", "TS-WIN-BACKEND-ERROR", "failed the request itself")


# ---- the sweep: every LocalAPI answer as the CLI prints it is read ----
@pytest.mark.parametrize("name", ["head.tsv", "old.tsv"])
def test_no_wrapped_localapi_answer_is_read_as_nothing(name: str) -> None:
    messages = [m for m in read_extract(EXTRACTS / name) if relayed(m) is not None]
    assert messages
    wrapped = measure(messages)["wrapped"]
    assert wrapped["nothing"] == 0 and wrapped["output"] == 0, wrapped


# ---- Tailscale Services: service list (table, --json) and serve get-config as a view ----
# cmd/tailscale/cli/service.go runServiceList (tabwriter minwidth 10, padding 5; "-" for an empty cell; ENDPOINTS and
# TYPE joined with ", "), serve_v2.go runServeGetConfig with ipn/conffile's ServicesConfigFile ("advertised" omitted
# when true)
_SVC_NAME = st.from_regex(r"[a-z][a-z0-9-]{1,10}", fullmatch=True)


def _table(rows: list[tuple[str, str, str, str, str]]) -> str:
    cells = [("IP", "HOSTNAME", "DISPLAY NAME", "ENDPOINTS", "TYPE"), *rows]
    widths = [max(10, max(len(row[i]) for row in cells) + 5) for i in range(5)]
    return "\n" + "\n".join(" " + "".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) for row in cells)


@settings(max_examples=80, deadline=None)
@given(
    prompt=st.sampled_from(PROMPTS),
    names=st.lists(_SVC_NAME, min_size=1, max_size=6, unique=True),
    tailnet=st.from_regex(r"tail[0-9a-f]{4,6}\.ts\.net", fullmatch=True),
    display=st.sampled_from(("-", "Web frontend", "Grafana")),
    ports=st.sampled_from(("tcp:443", "tcp:443, tcp:80", "tcp:5432", "*")),
    types=st.sampled_from(("-", "http", "http, ssh", "http, ssh, 2 others")),
    v6=st.booleans(),
)
def test_service_list_is_a_view_of_the_services_this_node_reaches(
    prompt: str, names: list[str], tailnet: str, display: str, ports: str, types: str, v6: bool
) -> None:
    rows = [
        (f"fd7a:115c:a1e0::{i + 1:x}" if v6 else f"100.100.10.{i + 1}", f"{n}.{tailnet}", display, ports, types)
        for i, n in enumerate(names)
    ]
    document = _document(_paste(prompt, "tailscale service list", _table(rows)))
    assert document is not None
    views = [v for v in document["views"] if v["kind"] == "services"]  # type: ignore[union-attr]
    assert len(views) == 1 and not views[0]["hosted"], document["views"]  # type: ignore[index]
    listed = views[0]["services"]
    assert [s["name"] for s in listed] == [f"svc:{n}" for n in names], listed
    assert [s["ip"] for s in listed] == [row[0] for row in rows]
    assert all(s["endpoints"] == ports.split(", ") for s in listed)
    assert all(s["display_name"] == (None if display == "-" else display) for s in listed)
    assert document["summary"]["exit_code"] == 0 and not document["warnings"], document  # type: ignore[index]
    assert [f["rule"] for f in document["findings"]] == ["TS-SERVICES"]  # type: ignore[union-attr]


@settings(max_examples=60, deadline=None)
@given(names=st.lists(_SVC_NAME, min_size=1, max_size=4, unique=True), with_command=st.booleans())
def test_service_list_json_is_the_same_view(names: list[str], with_command: bool) -> None:
    import json

    entries = [
        {"Name": f"svc:{n}", "Addrs": [f"100.100.10.{i + 1}"], "Ports": ["tcp:443"], "Hostname": f"{n}.tail1.ts.net"}
        for i, n in enumerate(names)
    ]
    body = json.dumps(entries, indent=2)
    text = f"$ tailscale service list --json\n{body}\n" if with_command else body + "\n"
    document = _document(text)
    assert document is not None, text
    views = [v for v in document["views"] if v["kind"] == "services"]  # type: ignore[union-attr]
    assert [s["name"] for s in views[0]["services"]] == [f"svc:{n}" for n in names]
    assert [s["hostname"] for s in views[0]["services"]] == [f"{n}.tail1.ts.net" for n in names]


@settings(max_examples=80, deadline=None)
@given(
    services=st.dictionaries(
        _SVC_NAME,
        st.tuples(st.sampled_from(("http://localhost:3000", "tcp://localhost:5432", "TUN")), st.booleans()),
        min_size=1,
        max_size=5,
    ),
    prompt=st.sampled_from(PROMPTS),
)
def test_serve_get_config_says_which_hosted_services_are_not_advertised(
    services: dict[str, tuple[str, bool]], prompt: str
) -> None:
    import json

    config: dict[str, object] = {"version": "0.0.1", "services": {}}
    for name, (target, advertised) in services.items():
        body: dict[str, object] = {"endpoints": {"*" if target == "TUN" else "tcp:443": target}}
        if not advertised:
            body["advertised"] = False
        config["services"][f"svc:{name}"] = body  # type: ignore[index]
    document = _document(_paste(prompt, "tailscale serve get-config --all", json.dumps(config, indent=2)))
    assert document is not None
    view = next(v for v in document["views"] if v["kind"] == "services")  # type: ignore[union-attr]
    drained = sorted(f"svc:{n}" for n, (_, advertised) in services.items() if not advertised)
    assert view["hosted"] and sorted(view["drained"]) == drained, view
    rules = [f["rule"] for f in document["findings"]]  # type: ignore[union-attr]
    assert ("TS-SERVICE-NOT-ADVERTISED" in rules) == bool(drained), rules
    assert document["summary"]["exit_code"] == (1 if drained else 0)  # type: ignore[index]
    if drained:
        finding = next(f for f in document["findings"] if f["rule"] == "TS-SERVICE-NOT-ADVERTISED")  # type: ignore[union-attr]
        assert all(f"tailscale serve advertise {name}" in finding["fix"] for name in drained), finding


def test_one_services_config_takes_its_name_from_the_command() -> None:
    text = (
        "$ tailscale serve get-config --service=svc:grafana\n"
        '{\n  "version": "0.0.1",\n  "endpoints": {\n    "tcp:443": "http://localhost:3000"\n  },\n'
        '  "advertised": false\n}\n'
    )
    document = _document(text)
    assert document is not None
    view = next(v for v in document["views"] if v["kind"] == "services")  # type: ignore[union-attr]
    assert view["drained"] == ["svc:grafana"], view


# serve_v2.go runServeClear (log.Printf), runServeSetConfig (conffile.LoadServicesConfig's errors)
@settings(max_examples=60, deadline=None)
@given(
    prompt=st.sampled_from(PROMPTS),
    name=_SVC_NAME,
    stamp=st.sampled_from(("", "2026/08/22 11:48:56 ")),
)
def test_serve_clear_of_a_service_not_configured_here(prompt: str, name: str, stamp: str) -> None:
    text = _paste(
        prompt,
        f"tailscale serve clear svc:{name}",
        f"{stamp}service svc:{name} not found in serve config, nothing to clear",
    )
    _assert_read(text, "serve-not-configured", "TS-CLI-SERVE-NOT-CONFIGURED", f"svc:{name}")


@settings(max_examples=60, deadline=None)
@given(
    prompt=st.sampled_from(PROMPTS),
    file=st.sampled_from(("services.json", "/etc/tailscale/svc.json", "C:\\svc.json")),
    why=st.sampled_from(
        (
            "open {f}: no such file or directory",
            'unsupported config file version "0.0.2"',
            'service "svc:web": missing "endpoints" field',
            "could not parse serve config: unexpected end of JSON input",
        )
    ),
)
def test_serve_set_config_with_a_file_it_cannot_use(prompt: str, file: str, why: str) -> None:
    text = _paste(
        prompt,
        f"tailscale serve set-config {file} --all",
        f'could not read config from file "{file}": {why.format(f=file)}',
    )
    _assert_read(text, "serve-failed", "TS-CLI-SERVE-FAILED", "set-config")


# ---- file cp to a target that is offline or not replying: taildrop-target-offline (it was a status row) ----
# cmd/tailscale/cli/file.go: v1.8-v1.96 "# warning: %s is offline" (right away), v1.98+ after 3 s without a byte
# "\r\x1b[K# warning: %s is reportedly offline; trying anyway" / "… is not replying; trying anyway" (stderr)
@settings(max_examples=120, deadline=None)
@given(
    prompt=st.sampled_from(PROMPTS),
    target=st.one_of(_SVC_NAME, st.from_regex(r"100\.(?:6[4-9]|[7-9]\d|1[01]\d)\.\d{1,2}\.\d{1,3}", fullmatch=True)),
    state=st.sampled_from(("offline", "reportedly offline; trying anyway", "not replying; trying anyway")),
    files=st.sampled_from(("photo.jpg", "a.txt b.txt", "-")),
    residue=st.sampled_from(("", "[K", "^[[K")),
    typed=st.booleans(),
)
def test_file_cp_to_an_offline_target_is_read_as_such(
    prompt: str, target: str, state: str, files: str, residue: str, typed: bool
) -> None:
    warning = f"{residue}# warning: {target} is {state}"
    text = _paste(prompt, f"tailscale file cp {files} {target}:" if typed else None, warning)
    _assert_read(text, "taildrop-target-offline", "TS-CLI-TAILDROP-TARGET-OFFLINE", target)
    document = _document(text)
    assert document is not None and not document["statuses"] and not document["peers"], document  # no status row


def test_a_comment_of_ones_own_is_no_offline_warning() -> None:
    assert "taildrop-target-offline" not in _kinds("$ tailscale file cp a.txt nas:\n# warning: nas is my NAS\n")


# ---- the Services layouts as the CLI prints them, judged like the view catalog (test_cli_view_catalog.read_right):
# read as that view alone, every line read, the facts an expert reads in views[], pasted five ways ----
_SERVICE_VIEWS = (
    # service.go:144-155 (2026-07+)
    View(
        "service-list-table",
        "tailscale service list",
        "\n IP                    HOSTNAME                      DISPLAY NAME     ENDPOINTS              TYPE     \n"
        " 100.100.10.1          web.tail1234.ts.net           Web frontend     tcp:443, tcp:80        http     \n"
        " fd7a:115c:a1e0::a     db.tail1234.ts.net            -                tcp:5432               -        ",
        "services",
        {
            "hosted": False,
            "services": [
                {
                    "name": "svc:web",
                    "ip": "100.100.10.1",
                    "display_name": "Web frontend",
                    "endpoints": ["tcp:443", "tcp:80"],
                },
                {"name": "svc:db", "ip": "fd7a:115c:a1e0::a", "display_name": None, "type": None},
            ],
        },
    ),
    # service.go:131-134 --json: tailcfg.ServiceDetails + Hostname
    View(
        "service-list-json",
        "tailscale service list --json",
        '[\n  {\n    "Name": "svc:web",\n    "DisplayName": "Web frontend",\n    "Addrs": [\n      "100.100.10.1"\n'
        '    ],\n    "Ports": [\n      "tcp:443"\n    ],\n    "Hostname": "web.tail1234.ts.net"\n  }\n]',
        "services",
        {"services": [{"name": "svc:web", "hostname": "web.tail1234.ts.net", "endpoints": ["tcp:443"]}]},
    ),
    # serve_v2.go:783-795 (v1.90+): ipn/conffile ServicesConfigFile, "advertised" omitted when true
    View(
        "serve-get-config-all",
        "tailscale serve get-config --all",
        '{\n  "version": "0.0.1",\n  "services": {\n    "svc:db": {\n      "endpoints": {\n'
        '        "tcp:5432": "tcp://localhost:5432"\n      },\n      "advertised": false\n    },\n'
        '    "svc:web": {\n      "endpoints": {\n        "tcp:443": "http://localhost:3000"\n      }\n    }\n  }\n}',
        "services",
        {"hosted": True, "drained": ["svc:db"]},
        problem="TS-SERVICE-NOT-ADVERTISED",
    ),
)


@pytest.mark.parametrize("view", _SERVICE_VIEWS, ids=lambda v: v.name)
@pytest.mark.parametrize("how", WRAPPINGS)
def test_each_services_layout_is_read_as_an_expert_reads_it(view: View, how: str) -> None:
    text = wrapped(view, how)
    ok, why = read_right(view, text)
    assert ok, f"{why}\n{text}"
