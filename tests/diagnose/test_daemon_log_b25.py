"""Generated tests for tailscaled-log classes blind batch 25 missed: the node's certificate failure quoted without
its ``cert("<name>"): `` prefix and Let's Encrypt's rate limit (cert-failed), net/dns choosing a DNS manager whose
service is absent (dns-config-failed), the event bus's stalled subscriber (eventbus-subscriber-stalled), and a
netstack connection refused on a loopback port no serve config names (inbound-port-unhandled).

Each class is proven over the prefixes people paste (test_daemon_log.PREFIXES), the wrappings it comes in, and the
wordings Tailscale's source prints (ipn/ipnlocal/cert.go, net/dns/manager_linux.go, util/eventbus,
wgengine/netstack/netstack.go), not on the one sample that exposed it.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.diagnose.conftest import by_rule, run_text
from tests.diagnose.test_daemon_log import PREFIXES, _kinds, _log, _mangle

MANGLES = st.sampled_from(["plain", "crlf", "quote", "fence", "indent"])

# ------------------------------------------------------------------ cert-failed without its cert("…") prefix

NAMES = st.sampled_from(["redacted.tailnet-redacted.ts.net", "nas.tail0c1d2.ts.net", "web-1.example-corp.ts.net"])
RATE_LIMITS = st.sampled_from(
    [
        "429 urn:ietf:params:acme:error:rateLimited: Error creating new order :: too many certificates (5) already "
        "issued for this exact set of domains in the last 168 hours: {name}",
        "429 urn:ietf:params:acme:error:rateLimited: Error creating new order :: too many certificates (5) already "
        "issued for this exact set of identifiers in the last 168h0m0s, retry after 2025-01-02 03:04:05 UTC: see "
        "https://letsencrypt.org/docs/rate-limits/#new-certificates-per-exact-set-of-hostnames",
    ]
)
CALLS = st.sampled_from(
    ["getCertPEM: {err}", "async renewal failed: getCertPem: {err}", 'cert("{name}"): getCertPEM: {err}']
)


@given(st.sampled_from(PREFIXES[:20]), NAMES, RATE_LIMITS, CALLS, MANGLES)
@settings(max_examples=60, deadline=None)
def test_a_rate_limited_certificate_is_cert_failed_with_or_without_its_prefix(
    prefix: str, name: str, limit: str, call: str, how: str
) -> None:
    line = prefix.format(msg=call.format(name=name, err=limit.format(name=name)))
    text = _mangle([line], how)
    log = _log(text)
    assert "cert-failed" in _kinds(log)
    assert log["exit"] == 1
    (finding,) = by_rule(run_text(text), "TS-LOG-CERT-FAILED")
    assert "rate limit" in finding.cause
    assert "statedir" in finding.fix


def test_another_acme_error_keeps_the_general_certificate_fix() -> None:
    text = "getCertPEM: 409 urn:ietf:params:acme:error:alreadyReplaced: Could not validate ARI 'replaces' field\n"
    (finding,) = by_rule(run_text(text), "TS-LOG-CERT-FAILED")
    assert "alreadyReplaced" in finding.fix
    assert "rate limit" not in finding.cause


def test_prose_naming_getcertpem_is_not_a_failure() -> None:
    log = _log("2025/01/01 10:00:00 magicsock: derp-4 connected; connGen=1\nthe getCertPEM: call looked fine\n")
    assert "cert-failed" not in _kinds(log)
