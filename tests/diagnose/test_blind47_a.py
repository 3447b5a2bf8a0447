"""Generated tests for blind batch 47's misses 2780, 2783, 2788, read as classes (what a user sees in the JSON).

- LocalAPI's answer to a cert-pair request (client/local CertPair: "<status>: <body>") relayed inside another
  program's log record (a renewer's slog/logrus ``error="…"``, a Go log line, Caddy's tls.handshake record in JSON or
  console form, journalctl's prefix and its ``>`` cut at the screen width): cert-failed, with the cert fix.
- A TLS client's handshake with a ``*.ts.net`` name answered ``remote error: tls: internal error`` (OpenSSL: ``tlsv1
  alert internal error``): Tailscale's TLS terminators send that alert when they cannot get the node's certificate:
  cert-failed, not tls-intercepted. The same alert from any other host is not claimed.
- The login's ``fetch control key: <transport error>`` (controlclient) under any wrapper or stray quote:
  control-unreachable, without claiming a LocalAPI 500; control answering with a status, a certificate that does not
  verify, a decrypt failure are other readings.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from opskit.errors import InputError
from tests.diagnose.conftest import run_json


def _json(text: str) -> dict[str, Any] | None:
    """The JSON document, or None when nothing was recognised (exit 2)."""
    try:
        return run_json(text)
    except InputError:
        return None


def _windows(document: dict[str, Any] | None) -> list[str]:
    return [] if document is None else sorted({error["kind"] for error in document["windows"] or []})


def _causes(document: dict[str, Any] | None, rule: str) -> list[str]:
    return [] if document is None else [f["cause"] + " " + f["fix"] for f in document["findings"] if f["rule"] == rule]


def _fenced(lines: list[str], fence: bool) -> str:
    body = "\n".join(lines) + "\n"
    return f"```\n{body}```\n" if fence else body


# ------------------------------------------------------------------------------------------------ cert pair relayed
_STATUSES = (
    "500 Internal Server Error",
    "500 Internal>",  # journalctl's cut
    "500 Int>",
    "500",
    "403 Forbidden",
    "429 Too Many Requests",
)
_BODIES = (
    "",
    ": acme.GetReg: EOF",
    ": getCertPEM: 429 urn:ietf:params:acme:error:rateLimited",
    ": no TailscaleVarRoot",
)
_CERT_WRAPPERS = (
    "failed to check ssl certs: failed to check cert: failed to get tailscale cert pair: failed to get cert pair: ",
    "failed to get cert pair: ",
    "error fetching certificate pair: ",
    "could not obtain tailscale cert pair: ",
    "renew: requesting cert pair from tailscale: ",
)
_CERT_RECORDS = (
    # slog's text handler through journalctl (the pasted sample's form)
    "May 11 18:26:29 pikvm renewer[21514]: 2025/05/11 18:26:29 ERROR failed to check or renew cert "
    'time_until_retry=1m0s error="{error}"',
    # slog's key=value form
    'time=2025-05-11T18:26:29.000Z level=ERROR msg="failed to renew cert" error="{error}"',
    # logrus
    'time="2025-05-11T18:26:29Z" level=error msg="renewal failed" error="{error}"',
    # a plain Go log line
    "2025/05/11 18:26:29 renew: {error}",
)


@given(
    st.sampled_from(_CERT_RECORDS),
    st.sampled_from(_CERT_WRAPPERS),
    st.sampled_from(_STATUSES),
    st.sampled_from(_BODIES),
    st.integers(1, 4),
    st.booleans(),
)
@settings(max_examples=80, deadline=None)
def test_a_cert_pair_request_answered_with_an_error_in_a_programs_log_is_cert_failed(
    record: str, wrapper: str, status: str, body: str, repeat: int, fence: bool
) -> None:
    error = wrapper + status + ("" if status.endswith(">") else body)
    lines = [record.format(error=error)] * repeat
    document = _json(_fenced(lines, fence))
    assert _windows(document) == ["cert-failed"], lines
    assert document is not None and document["summary"]["exit_code"] != 0
    (text,) = _causes(document, "TS-CLI-CERT-FAILED")
    # a body the catalog knows says its own reason (no TailscaleVarRoot, a rate limit); otherwise the status does
    assert (
        ("statedir" in text) if "TailscaleVarRoot" in error else (status[:3] in text and "HTTPS Certificates" in text)
    )
    assert "tailscale cert" in text


_CADDY = (
    '{{"level":"error","ts":1713448654.17,"logger":"tls.handshake","msg":"getting certificate from external '
    'certificate manager","remote_ip":"100.101.102.103","remote_port":"53195","sni":"{sni}","cert_manager":'
    '"{manager}","cert_manager_idx":0,"error":"{status}: {body}"}}',
    "2025/01/31 17:13:48.151 ERROR   tls.handshake   getting certificate from external certificate manager   "
    '{{"remote_ip": "100.92.170.70", "remote_port": "50696", "sni": "{sni}", "cert_manager": "{manager}", '
    '"cert_manager_idx": 0, "error": "{status}: {body}"}}',
)


@pytest.mark.parametrize("record", _CADDY)
@pytest.mark.parametrize("manager", ["*caddytls.Tailscale", "caddytls.Tailscale"])
@pytest.mark.parametrize("status", ["500 Internal Server Error", "403 Forbidden"])
@pytest.mark.parametrize("sni", ["web.tail1234.ts.net", "nas.example-cloud.ts.net"])
def test_caddys_tailscale_certificate_manager_answered_with_an_error_is_cert_failed(
    record: str, manager: str, status: str, sni: str
) -> None:
    line = record.format(sni=sni, manager=manager, status=status, body="acme.GetReg: EOF")
    document = _json(line + "\n")
    assert _windows(document) == ["cert-failed"], line
    (text,) = _causes(document, "TS-CLI-CERT-FAILED")
    assert status[:3] in text


@pytest.mark.parametrize(
    "line",
    [
        # no LocalAPI status: another failure, not this reading
        'time=2025-05-11T18:26:29Z level=INFO msg="got cert pair" domain=pikvm.tail1234.ts.net',
        "I will get the cert pair from tailscale tomorrow: 500 things to do first",
        "we talked about the cert pair: it is fine",
        # a caddy record of another certificate manager, or one that worked
        '{"level":"error","logger":"tls.handshake","msg":"getting certificate from external certificate manager",'
        '"sni":"example.com","cert_manager":"*caddytls.HTTPCertGetter","error":"500 Internal Server Error: boom"}',
    ],
)
def test_near_misses_of_a_relayed_cert_pair_error_are_not_cert_failed(line: str) -> None:
    assert "cert-failed" not in _windows(_json(line + "\n")), line


# ------------------------------------------------------------------------------------------------ TLS internal_error
_TS_HOSTS = ("tailscale-operator.XXXX.ts.net", "tailscale-operator.tail1234.ts.net", "web.example-cloud.ts.net")
_ALERT_LINES = (
    "E1105 09:55:32.633129   55472 memcache.go:265] couldn't get current server API group list: Get \"https://{host}"
    '/api?timeout=32s": remote error: tls: internal error',
    'Get "https://{host}/": remote error: tls: internal error',
    'Post "https://{host}:443/v1/items": remote error: tls: internal error',
    "Error: Get https://{host}/healthz: remote error: tls: internal error",
    "requests.exceptions.SSLError: HTTPSConnectionPool(host='{host}', port=443): Max retries exceeded with url: / "
    "(Caused by SSLError(SSLError(1, '[SSL: TLSV1_ALERT_INTERNAL_ERROR] tlsv1 alert internal error (_ssl.c:1006)')))",
)


@given(st.sampled_from(_ALERT_LINES), st.sampled_from(_TS_HOSTS), st.integers(1, 5), st.booleans(), st.booleans())
@settings(max_examples=60, deadline=None)
def test_a_tls_internal_error_alert_from_a_ts_net_name_is_cert_failed(
    line: str, host: str, repeat: int, fence: bool, tail: bool
) -> None:
    lines = [line.format(host=host)] * repeat
    if tail:
        lines.append("Unable to connect to the server: remote error: tls: internal error")
    document = _json(_fenced(lines, fence))
    assert _windows(document) == ["cert-failed"], lines
    (text,) = _causes(document, "TS-CLI-CERT-FAILED")
    assert host in text and "HTTPS Certificates" in text
    assert _causes(document, "TS-CLI-TLS-INTERCEPTED") == []


@pytest.mark.parametrize("host", ["api.example.com", "k8s.internal", "ts.net.example.org", "100.101.102.103"])
@pytest.mark.parametrize("line", _ALERT_LINES[:4])
def test_the_same_alert_from_a_host_that_is_not_ts_net_is_not_claimed(host: str, line: str) -> None:
    text = line.format(host=host) + "\nUnable to connect to the server: remote error: tls: internal error\n"
    assert "cert-failed" not in _windows(_json(text)), text


@pytest.mark.parametrize("alert", ["remote error: tls: bad certificate", "remote error: tls: handshake failure"])
def test_another_alert_from_a_ts_net_name_is_not_this_reading(alert: str) -> None:
    text = f'Get "https://web.tail1234.ts.net/": {alert}\n'
    assert "cert-failed" not in _windows(_json(text)), text


# ------------------------------------------------------------------------------------------------ fetch control key
_KEY_URLS = (
    'Get "https://controlplane.tailscale.com/key?v=106": ',
    'Get "https://hs.example.com/key?v=88": ',
    "Get https://login.tailscale.com/key: ",  # Go before 1.14: the URL unquoted
    "",
)
_TRANSPORT_ERRORS = (
    "context canceled",
    "context deadline exceeded",
    "dial tcp 192.200.0.101:443: i/o timeout",
    "dial tcp: lookup controlplane.tailscale.com: no such host",
    "read tcp 192.168.1.20:51515->192.200.0.101:443: read: connection reset by peer",
    "net/http: TLS handshake timeout",
    "proxyconnect tcp: dial tcp 10.0.0.1:3128: connect: connection refused",
    "EOF",
)
_KEY_WRAPPERS = ('"Error: ', "Error: ", "error: ", "Login failed: ", "“", '"', "")


@given(st.sampled_from(_KEY_WRAPPERS), st.sampled_from(_KEY_URLS), st.sampled_from(_TRANSPORT_ERRORS), st.booleans())
@settings(max_examples=80, deadline=None)
def test_fetch_control_key_failing_in_transport_under_any_wrapper_is_control_unreachable(
    wrapper: str, url: str, why: str, fence: bool
) -> None:
    line = f"{wrapper}fetch control key: {url}{why}"
    document = _json(_fenced([line], fence))
    assert document is not None and document["summary"]["exit_code"] == 1, line
    if why != "context canceled":
        # tailscaled's own log wording (controlclient's "Received error: fetch control key: …"): daemonlog already
        # reads the line as control unreachable; only the cancelled login (no log event of its own) is the catalog's
        rules = {f["rule"] for f in document["findings"]}
        assert rules & {"TS-UP-CONTROL-UNREACHABLE", "TS-LOG-CONTROL-UNREACHABLE"}, line
        return
    assert _windows(document) == ["control-unreachable"], line
    (text,) = _causes(document, "TS-UP-CONTROL-UNREACHABLE")
    assert why in text and "answered 500" not in text and "controlplane.tailscale.com/key" in text


@pytest.mark.parametrize("why", ["unexpected EOF", "read tcp 10.0.0.2:5000->1.2.3.4:443: connection reset by peer"])
def test_the_key_answer_cut_while_read_is_control_unreachable(why: str) -> None:
    document = _json(f"Error: fetch control key response: {why}\n")
    assert document is not None and document["summary"]["exit_code"] == 1
    rules = {f["rule"] for f in document["findings"]}
    assert rules & {"TS-UP-CONTROL-UNREACHABLE", "TS-LOG-CONTROL-UNREACHABLE"}


@pytest.mark.parametrize("wrapper", ["500 Internal Server Error: ", "backend error: "])
def test_a_relayed_500_keeps_its_own_cause(wrapper: str) -> None:
    line = f'{wrapper}fetch control key: Get "https://controlplane.tailscale.com/key?v=90": EOF'
    document = _json(line + "\n")
    assert _windows(document) == ["control-unreachable"]
    (text,) = _causes(document, "TS-UP-CONTROL-UNREACHABLE")
    assert "answered 500" in text


@pytest.mark.parametrize(
    ("line", "not_kind"),
    [
        ("Error: fetch control key: 404 Not Found", "control-unreachable"),  # control answered: a wrong server URL
        ("fetch control key: 502 Bad Gateway", "control-unreachable"),
        (
            'Error: fetch control key: Get "https://controlplane.tailscale.com/key?v=106": tls: failed to verify '
            "certificate: x509: certificate signed by unknown authority",
            "control-unreachable",
        ),
        ("We should fetch control keys more often", "control-unreachable"),
    ],
)
def test_near_misses_of_the_control_key_transport_failure(line: str, not_kind: str) -> None:
    assert not_kind not in _windows(_json(line + "\n")), line


def test_a_certificate_that_does_not_verify_while_fetching_the_key_stays_tls_intercepted() -> None:
    line = (
        'Error: fetch control key: Get "https://controlplane.tailscale.com/key?v=106": tls: failed to verify '
        "certificate: x509: certificate signed by unknown authority"
    )
    document = _json(line + "\n")
    assert document is not None and "TS-LOG-TLS-INTERCEPTED" in {f["rule"] for f in document["findings"]}
    assert "control-unreachable" not in _windows(document)
