"""The pure realm model: what Harbor answers per version, what the rewrite makes of it, the verdicts."""

from __future__ import annotations

import pytest

from opskit.core.harbor.realm import (
    ClientOutcome,
    RealmRewrite,
    RewriteMode,
    assess_entries,
    challenge,
    judge_browser_ui,
    needed_rewrite,
    realm_from_harbor,
    realm_of,
    rewrite_for,
)
from opskit.core.spec.harbor import HarborVersion
from opskit.core.spec.types import BaseUrl

OLD = HarborVersion.parse("2.13.1")
NEW = HarborVersion.parse("2.14.0")
DOMAIN = BaseUrl.parse("https://xx.xxx.com:5088")
NAT = BaseUrl.parse("http://62.132.105.159:5080")
INTERNAL = BaseUrl.parse("http://172.16.36.52")
ENTRIES = [("internal", INTERNAL), ("external", NAT), ("domain", DOMAIN)]


def test_harbor_before_2_14_answers_external_url_whatever_the_host() -> None:
    assert realm_from_harbor(OLD, DOMAIN, "172.16.36.52") == "https://xx.xxx.com:5088/service/token"
    assert realm_from_harbor(HarborVersion.parse("2.13.9"), NAT, "xx.xxx.com:5088") == (
        "http://62.132.105.159:5080/service/token"
    )


def test_harbor_2_14_and_later_answers_external_url_scheme_with_the_client_host() -> None:
    assert realm_from_harbor(NEW, DOMAIN, "172.16.36.52") == "https://172.16.36.52/service/token"
    assert realm_from_harbor(HarborVersion.parse("3.0.0"), NAT, "xx.xxx.com:5088") == (
        "http://xx.xxx.com:5088/service/token"
    )
    # No Host at all: Harbor falls back to external_url.
    assert realm_from_harbor(NEW, DOMAIN, "") == "https://xx.xxx.com:5088/service/token"


def test_rewrite_mode_follows_the_version() -> None:
    assert rewrite_for(OLD, "http").mode is RewriteMode.SCHEME_AND_HOST
    assert rewrite_for(NEW, "http").mode is RewriteMode.SCHEME
    assert needed_rewrite(OLD, DOMAIN, DOMAIN) is None
    assert needed_rewrite(NEW, DOMAIN, DOMAIN) is None
    assert needed_rewrite(OLD, DOMAIN, NAT) == RealmRewrite(RewriteMode.SCHEME_AND_HOST, "http")
    assert needed_rewrite(NEW, DOMAIN, NAT) == RealmRewrite(RewriteMode.SCHEME, "http")
    # Same scheme, other host: only Harbor < 2.14 needs a rewrite.
    assert needed_rewrite(OLD, NAT, INTERNAL) == RealmRewrite(RewriteMode.SCHEME_AND_HOST, "http")
    assert needed_rewrite(NEW, NAT, INTERNAL) is None


def test_scheme_and_host_rewrite_keeps_service_and_scope() -> None:
    header = (
        'Bearer realm="https://xx.xxx.com:5088/service/token",service="harbor-registry",scope="repository:a/b:pull"'
    )
    rewritten = RealmRewrite(RewriteMode.SCHEME_AND_HOST, "http").apply(header, "62.132.105.159:5080")
    assert rewritten == (
        'Bearer realm="http://62.132.105.159:5080/service/token",service="harbor-registry",scope="repository:a/b:pull"'
    )


def test_scheme_rewrite_keeps_the_host_harbor_took_from_the_request() -> None:
    header = challenge("https://62.132.105.159:5080/service/token")
    assert realm_of(RealmRewrite(RewriteMode.SCHEME, "http").apply(header, "ignored:1")) == (
        "http://62.132.105.159:5080/service/token"
    )
    # The https-bound rewrite turns http:// into https:// (external_url http, client on the domain).
    assert (
        realm_of(RealmRewrite(RewriteMode.SCHEME, "https").apply(challenge("http://xx.xxx.com:5088/service/token"), ""))
        == "https://xx.xxx.com:5088/service/token"
    )


@pytest.mark.parametrize("mode", list(RewriteMode))
def test_basic_challenges_and_empty_headers_pass_unchanged(mode: RewriteMode) -> None:
    rewrite = RealmRewrite(mode, "http")
    assert rewrite.apply('Basic realm="harbor"', "h:1") == 'Basic realm="harbor"'
    assert rewrite.apply("", "h:1") == ""


def test_three_entries_on_old_harbor_with_the_domain_as_external_url() -> None:
    internal, external, domain = assess_entries(OLD, DOMAIN, ENTRIES, rewrite_enabled=True)
    assert internal.realm_without_rewrite == "https://xx.xxx.com:5088/service/token"
    assert internal.rewrite_rendered and internal.rewrite is not None
    assert internal.realm_clients_get == "http://172.16.36.52/service/token"
    assert internal.docker_login is ClientOutcome.WORKS and "insecure-registries" in internal.docker_login_why
    assert internal.browser_ui is ClientOutcome.FAILS and "CSRF" in internal.browser_ui_why
    assert external.realm_clients_get == "http://62.132.105.159:5080/service/token"
    assert domain.rewrite is None and not domain.rewrite_rendered
    assert domain.docker_login is ClientOutcome.WORKS and domain.browser_ui is ClientOutcome.WORKS
    assert "insecure-registries" not in domain.docker_login_why


def test_without_rewrite_old_harbor_sends_http_clients_to_the_domain() -> None:
    internal, external, _ = assess_entries(OLD, DOMAIN, ENTRIES, rewrite_enabled=False)
    assert internal.rewrite is not None and not internal.rewrite_rendered
    assert internal.realm_clients_get == "https://xx.xxx.com:5088/service/token"
    assert internal.realm_with_rewrite == "http://172.16.36.52/service/token"
    assert internal.docker_login is ClientOutcome.DEPENDS
    assert "can reach https://xx.xxx.com:5088 (entry domain)" in internal.docker_login_why
    assert "trust its certificate" in internal.docker_login_why


def test_without_rewrite_new_harbor_sends_http_clients_an_unusable_https_realm() -> None:
    internal, external, domain = assess_entries(NEW, DOMAIN, ENTRIES, rewrite_enabled=False)
    # Same host:port as the entry but TLS: the HTTP listener cannot answer it.
    assert external.realm_clients_get == "https://62.132.105.159:5080/service/token"
    assert external.docker_login is ClientOutcome.FAILS and "speaks plain HTTP" in external.docker_login_why
    # Default port: https://172.16.36.52 means port 443, which no entry serves.
    assert internal.realm_clients_get == "https://172.16.36.52/service/token"
    assert internal.docker_login is ClientOutcome.FAILS and "no entry of this site serves" in internal.docker_login_why
    assert domain.docker_login is ClientOutcome.WORKS


def test_new_harbor_with_rewrite_changes_only_the_scheme() -> None:
    internal, external, _ = assess_entries(NEW, DOMAIN, ENTRIES, rewrite_enabled=True)
    assert external.rewrite == RealmRewrite(RewriteMode.SCHEME, "http")
    assert external.realm_clients_get == "http://62.132.105.159:5080/service/token"
    assert internal.realm_clients_get == "http://172.16.36.52/service/token"


def test_http_external_url_as_in_the_write_up() -> None:
    """external_url on the NAT entry: HTTPS clients get an http:// realm unless rewritten; UI works."""
    _, external, domain = assess_entries(OLD, NAT, ENTRIES, rewrite_enabled=False)
    assert external.docker_login is ClientOutcome.WORKS
    assert domain.realm_clients_get == "http://62.132.105.159:5080/service/token"
    assert domain.docker_login is ClientOutcome.DEPENDS and "clear text" in domain.docker_login_why
    assert domain.browser_ui is ClientOutcome.WORKS and "not Secure" in domain.browser_ui_why
    _, _, domain_new = assess_entries(NEW, NAT, ENTRIES, rewrite_enabled=False)
    assert domain_new.realm_clients_get == "http://xx.xxx.com:5088/service/token"
    assert domain_new.docker_login is ClientOutcome.FAILS and "speaks TLS" in domain_new.docker_login_why
    _, _, fixed = assess_entries(NEW, NAT, ENTRIES, rewrite_enabled=True)
    assert fixed.rewrite == RealmRewrite(RewriteMode.SCHEME, "https")
    assert fixed.realm_clients_get == "https://xx.xxx.com:5088/service/token"
    assert fixed.docker_login is ClientOutcome.WORKS


def test_browser_ui_depends_only_on_the_schemes() -> None:
    assert judge_browser_ui(DOMAIN, INTERNAL)[0] is ClientOutcome.FAILS
    assert judge_browser_ui(DOMAIN, DOMAIN)[0] is ClientOutcome.WORKS
    assert judge_browser_ui(NAT, DOMAIN)[0] is ClientOutcome.WORKS
    assert judge_browser_ui(NAT, INTERNAL)[0] is ClientOutcome.WORKS


def test_harbor_before_2_3_warns_about_pushes_over_https() -> None:
    old = HarborVersion.parse("2.2.4")
    *_, domain = assess_entries(old, DOMAIN, ENTRIES, rewrite_enabled=True)
    assert any("X-Forwarded-Proto" in note and "2.3.0" in note for note in domain.notes)
    *_, current = assess_entries(OLD, DOMAIN, ENTRIES, rewrite_enabled=True)
    assert current.notes == ()


@pytest.mark.parametrize(
    ("text", "expected"), [("2.13.1", (2, 13, 1)), ("v2.14.0", (2, 14, 0)), ("10.0.12", (10, 0, 12))]
)
def test_versions_parse_and_order(text: str, expected: tuple[int, int, int]) -> None:
    version = HarborVersion.parse(text)
    assert (version.major, version.minor, version.patch) == expected
    assert HarborVersion.parse("2.9.9") < HarborVersion.parse("2.10.0") < HarborVersion.parse("2.14.0")


@pytest.mark.parametrize("text", ["2.14", "2.14.0-rc1", "2.14.0 ", "latest", "02.1.0", "1.10.3"])
def test_bad_versions_are_refused(text: str) -> None:
    with pytest.raises(ValueError):
        HarborVersion.parse(text)
