"""Pure judgement of Harbor answers: challenge parsing, realm comparison, explanations per version."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from opskit.core.check.harbor_judgement import assess_entry, explain_realm, matches_certificate_name
from opskit.core.check.harbor_observation import (
    HarborObservation,
    HttpObservation,
    Origin,
    TlsObservation,
    parse_challenge,
    parse_reported_version,
    token_request_url,
)
from opskit.core.check.result import Status
from opskit.core.spec.harbor import HarborVersion

V213, V214 = HarborVersion(2, 13, 1), HarborVersion(2, 14, 0)


def challenge_response(url: str, *values: str) -> HttpObservation:
    return HttpObservation(url + "/v2/", 401, tuple(("Www-Authenticate", v) for v in values))


def test_parse_challenge_with_quoted_and_escaped_params() -> None:
    parsed = parse_challenge(r'Bearer realm="https://h:5088/service/token",service="harbor-registry",scope="a\"b"')
    assert parsed is not None
    assert parsed.scheme == "Bearer"
    assert parsed.realm == "https://h:5088/service/token"
    assert parsed.params["service"] == "harbor-registry"
    assert parsed.params["scope"] == 'a"b'
    assert token_request_url(parsed) == "https://h:5088/service/token?service=harbor-registry"


@given(st.text(max_size=80))
def test_parse_challenge_never_raises(text: str) -> None:
    parse_challenge(text)


def test_own_realm_passes() -> None:
    status, detail, _, _ = explain_realm(Origin.of("http://10.0.0.5:5000"), "http://10.0.0.5:5000/service/token", None)
    assert status is Status.PASS
    assert "own token URL" in detail


def test_default_port_written_or_not_is_the_same_origin() -> None:
    status, *_ = explain_realm(Origin.of("https://reg.example.com"), "https://reg.example.com:443/service/token", V214)
    assert status is Status.PASS


def test_lost_port_explains_host_for_214_and_external_url_for_older() -> None:
    entry = Origin.of("https://reg.example.com:5088")
    status, detail, why, fix = explain_realm(entry, "https://reg.example.com/service/token", V214)
    assert status is Status.FAIL and "lost the port 5088" in detail
    assert "$host;` drops the port" in why and "external_url lacks" not in why
    assert "$http_host" in fix
    _, _, why_old, fix_old = explain_realm(entry, "https://reg.example.com/service/token", V213)
    assert "external_url lacks `:5088`" in why_old and "drops the port" not in why_old
    assert "external_url: https://reg.example.com:5088" in fix_old
    _, _, both, _ = explain_realm(entry, "https://reg.example.com/service/token", None)
    assert "drops the port" in both and "external_url lacks" in both  # version unknown: both rules


def test_scheme_mismatch_on_the_same_port_needs_the_rewrite() -> None:
    status, detail, why, fix = explain_realm(
        Origin.of("http://10.0.0.5:5000"), "https://10.0.0.5:5000/service/token", V214
    )
    assert status is Status.FAIL
    assert detail == "realm says https:// but this entry speaks http"
    assert "never from X-Forwarded-Proto" in why
    assert "proxy_hide_header Www-Authenticate" in fix and " always" in fix and "http://$http_host" in fix


def test_other_host_is_a_warning_until_the_token_service_fails() -> None:
    status, detail, why, _ = explain_realm(
        Origin.of("http://10.0.0.5:5000"), "https://reg.example.com/service/token", V213
    )
    assert status is Status.WARN
    assert "Harbor < 2.14 answers external_url" in why
    plain, _, why_plain, _ = explain_realm(Origin.of("https://reg.example.com"), "http://10.0.0.5/service/token", V214)
    assert plain is Status.FAIL and "clear text" in why_plain


@pytest.mark.parametrize(
    ("realm", "expected"),
    [("reg.example.com/service/token", "not an http(s) URL"), ("http://h:5000/v2//service/token", "realm path")],
)
def test_malformed_realms(realm: str, expected: str) -> None:
    status, detail, _, _ = explain_realm(Origin.of("http://h:5000"), realm, None)
    assert status is Status.FAIL and expected in detail


def observation(v2: HttpObservation, **parts: object) -> HarborObservation:
    return HarborObservation(url="http://h:5000", v2=v2, **parts)  # type: ignore[arg-type]


def ids(report: object) -> dict[str, Status]:
    return {item.check_id: item.status for item in report.items}  # type: ignore[attr-defined]


def test_401_without_challenge_blames_add_header_without_always() -> None:
    report = assess_entry(observation(HttpObservation("http://h:5000/v2/", 401)))
    v2 = next(i for i in report.items if i.check_id == "v2")
    assert v2.status is Status.FAIL and "always" in v2.explanation and report.failed


def test_200_on_v2_and_basic_challenge_are_explained() -> None:
    ok = assess_entry(observation(HttpObservation("http://h:5000/v2/", 200)))
    assert "without token auth" in ok.items[0].explanation
    basic = assess_entry(observation(challenge_response("http://h:5000", 'Basic realm="harbor"')))
    assert "Authorization header" in basic.items[0].explanation


def test_duplicate_challenges_warn_and_the_first_bearer_counts() -> None:
    v2 = challenge_response(
        "http://h:5000",
        'Bearer realm="http://h:5000/service/token",service="harbor-registry"',
        'Bearer realm="https://other/service/token",service="harbor-registry"',
    )
    report = assess_entry(observation(v2, token_anonymous=HttpObservation("x", 401)))
    assert ids(report)["v2.duplicate"] is Status.WARN
    assert ids(report)["realm"] is Status.PASS
    assert not report.failed


def test_foreign_realm_fails_when_its_token_service_does_not_answer() -> None:
    v2 = challenge_response(
        "http://h:5000", 'Bearer realm="https://reg.example.com/service/token",service="harbor-registry"'
    )
    unreachable = HttpObservation(
        "https://reg.example.com/service/token?service=harbor-registry", None, error="ConnectError: refused"
    )
    assert ids(assess_entry(observation(v2, token_anonymous=unreachable)))["realm"] is Status.FAIL
    reachable = HttpObservation("…", 401)
    assert ids(assess_entry(observation(v2, token_anonymous=reachable)))["realm"] is Status.WARN


def test_health_lists_unhealthy_components() -> None:
    body = json.dumps(
        {
            "status": "unhealthy",
            "components": [
                {"name": "core", "status": "healthy"},
                {"name": "redis", "status": "unhealthy", "error": "dial tcp: refused"},
            ],
        }
    )
    v2 = challenge_response("http://h:5000", 'Bearer realm="http://h:5000/service/token",service="harbor-registry"')
    report = assess_entry(observation(v2, health=HttpObservation("…", 200, body=body)))
    health = next(i for i in report.items if i.check_id == "health")
    assert health.status is Status.FAIL and "redis: unhealthy (dial tcp: refused)" in health.detail


def test_tls_expiry_name_and_untrusted_chain() -> None:
    v2 = challenge_response(
        "https://reg.example.com", 'Bearer realm="https://reg.example.com/service/token",service="harbor-registry"'
    )
    now = 1_800_000_000.0
    tls = TlsObservation(False, "unable to get local issuer certificate", ("*.example.com",), now + 5 * 86400)
    report = assess_entry(HarborObservation("https://reg.example.com", v2, tls=tls, now_epoch=now))
    found = {i.check_id: i for i in report.items}
    assert found["tls.chain"].status is Status.FAIL and "incomplete chain" in found["tls.chain"].explanation
    assert found["tls.name"].status is Status.PASS
    assert found["tls.expiry"].status is Status.WARN and found["tls.expiry"].detail == "expires in 5.0 days"
    insecure = assess_entry(HarborObservation("https://reg.example.com", v2, tls=tls, now_epoch=now, insecure=True))
    assert {i.check_id: i.status for i in insecure.items}["tls.chain"] is Status.WARN
    expired = TlsObservation(True, "", ("other.example.org",), now - 86400 * 3)
    found = {
        i.check_id: i
        for i in assess_entry(HarborObservation("https://reg.example.com", v2, tls=expired, now_epoch=now)).items
    }
    assert found["tls.expiry"].detail == "expired 3 days ago" and found["tls.name"].status is Status.FAIL


def test_certificate_name_matching() -> None:
    assert matches_certificate_name("reg.example.com", ("*.example.com",))
    assert not matches_certificate_name("a.reg.example.com", ("*.example.com",))
    assert not matches_certificate_name("example.com", ("*.example.com",))
    assert matches_certificate_name("10.0.0.5", ("10.0.0.5",))


def test_reported_version() -> None:
    assert parse_reported_version("v2.13.1-0ae3e2a0") == V213
    assert parse_reported_version("dev") is None


def test_failing_and_warning_checks_become_findings_with_rule_like_ids() -> None:
    report = assess_entry(observation(challenge_response("http://h:5000", 'Bearer realm="http://h/service/token"')))
    items = {item.check_id: item for item in report.items}
    findings = {f.rule_id: f for f in report.findings}
    not_passing = {i.rule_id("harbor") for i in report.items if i.status in (Status.FAIL, Status.WARN)}
    assert set(findings) == not_passing and "CHK-HARBOR-REALM" in findings
    realm = findings["CHK-HARBOR-REALM"]
    assert realm.severity.label == ("error" if items["realm"].status is Status.FAIL else "warning")
    assert realm.fix == items["realm"].fix and realm.evidence[0].file == "http://h:5000"
    assert realm.to_json()["rule"] == "CHK-HARBOR-REALM"
    assert not any(f.rule_id == "CHK-HARBOR-V2" for f in report.findings), "a passing check is no finding"
