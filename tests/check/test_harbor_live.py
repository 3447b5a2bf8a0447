"""`opskit check harbor` against the real nginx running the config `opskit render` produced.

A Harbor stand-in (tests/check/live.py) builds its realm like Harbor >= 2.14 (external_url's scheme +
Host) or like older Harbor (external_url verbatim). Public-looking entry URLs (203.0.113.7,
harbor.example.test) are only Host headers and SNI: ``--connect-to`` sends every connection to
127.0.0.1, including the default ports a broken realm could point at.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from opskit.core.harbor.realm import ClientOutcome
from opskit.core.render.harbor import assess
from opskit.core.spec.harbor import HarborVersion
from opskit.core.spec.loader import load_spec_text
from opskit.core.spec.model import SiteSpec
from tests.check.live import HarborStandIn
from tests.support.certs import make_certificate
from tests.support.nginx import Nginx, nginx_main_conf, public_prefix
from tests.support.ports import free_port
from tests.support.sarif import valid_sarif_log
from tests.support.tools import require_binary

pytestmark = pytest.mark.integration

EXTERNAL = ("203.0.113.7", 5080)
DOMAIN = ("harbor.example.test", 5088)


@dataclass
class Site:
    urls: dict[str, str]
    connect_to: list[str]
    cert: Path
    rendered: str
    promised: dict[str, ClientOutcome]  # what render's report says docker login does, per entry


@pytest.fixture
def harbor_site(cli: Any) -> Iterator[Any]:
    nginx_binary = require_binary("nginx", "apt-get install nginx")
    openssl = require_binary("openssl", "apt-get install openssl")
    cleanup: list[Any] = []

    def start(version: str, break_with: tuple[str, str] | None = None, realm_rewrite: bool = True) -> Site:
        prefix = public_prefix()
        cert, key = make_certificate(openssl, prefix, DOMAIN[0])
        standin = HarborStandIn(HarborVersion.parse(version), f"https://{DOMAIN[0]}:{DOMAIN[1]}")
        upstream_port = standin.start()
        cleanup.append(standin.stop)
        ports = {name: free_port() for name in ("internal", "external", "domain")}
        spec = {
            "spec_version": 1,
            "site": "check-live",
            "harbor": {
                "version": version,
                "upstream": {"host": "127.0.0.1", "port": upstream_port},
                "external_url_entry": "domain",
                "realm_rewrite": realm_rewrite,
                "entries": [
                    {
                        "name": "internal",
                        "kind": "http",
                        "listen_address": "127.0.0.1",
                        "listen_port": ports["internal"],
                    },
                    {
                        "name": "external",
                        "kind": "http-nat",
                        "listen_address": "127.0.0.1",
                        "listen_port": ports["external"],
                        "public_host": EXTERNAL[0],
                        "public_port": EXTERNAL[1],
                    },
                    {
                        "name": "domain",
                        "kind": "https",
                        "server_name": DOMAIN[0],
                        "certificate": str(cert),
                        "certificate_key": str(key),
                        "listen_address": "127.0.0.1",
                        "listen_port": ports["domain"],
                        "public_port": DOMAIN[1],
                    },
                ],
            },
        }
        spec_file = prefix / "check-live.yaml"
        spec_file.write_text(yaml.safe_dump(spec, sort_keys=False))
        result = cli(["render", str(spec_file), "-o", str(prefix / "out")])
        assert result.exit_code == 0, result.stdout + result.stderr
        rendered = (prefix / "out" / "nginx-harbor.conf").read_text()
        loaded = load_spec_text(SiteSpec, spec_file.read_text(), spec_file.name)
        assert loaded.harbor is not None
        promised = {realm.entry: realm.docker_login for realm in assess(loaded.harbor)}
        if break_with is not None:
            # The broken variants are the rendered config with one known mistake put in by hand.
            old, new = break_with
            assert old in rendered
            rendered = rendered.replace(old, new)
        (prefix / "nginx-harbor.conf").write_text(rendered)
        nginx = Nginx(nginx_binary, prefix)
        nginx.start(nginx_main_conf(prefix, f"    include {prefix}/nginx-harbor.conf;"), "127.0.0.1", ports["domain"])
        cleanup.append(nginx.stop)
        closed = free_port()  # nothing listens here: where a realm on a default port leads
        connect_to = [
            f"{EXTERNAL[0]}:{EXTERNAL[1]}:127.0.0.1:{ports['external']}",
            f"{DOMAIN[0]}:{DOMAIN[1]}:127.0.0.1:{ports['domain']}",
            f"{EXTERNAL[0]}:80:127.0.0.1:{closed}",
            f"{DOMAIN[0]}:443:127.0.0.1:{closed}",
            f"{DOMAIN[0]}:80:127.0.0.1:{closed}",
            f"127.0.0.1:80:127.0.0.1:{closed}",
            f"127.0.0.1:443:127.0.0.1:{closed}",
        ]
        urls = {
            "internal": f"http://127.0.0.1:{ports['internal']}",
            "external": f"http://{EXTERNAL[0]}:{EXTERNAL[1]}",
            "domain": f"https://{DOMAIN[0]}:{DOMAIN[1]}",
        }
        return Site(urls, connect_to, cert, rendered, promised)

    yield start
    for stop in reversed(cleanup):
        stop()


def run_check(cli: Any, site: Site, *extra: str, password: str | None = None) -> tuple[int, dict[str, Any]]:
    args = ["check", "harbor", *site.urls.values(), "--ca", str(site.cert), "--format", "json"]
    for rule in site.connect_to:
        args += ["--connect-to", rule]
    result = cli([*args, *extra], input=password)
    document = json.loads(result.stdout)
    return result.exit_code, {entry["url"]: entry for entry in document["entries"]}


def checks(entry: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {check["id"]: check for check in entry["checks"]}


@pytest.mark.parametrize("version", ["2.13.1", "2.14.0"])
def test_every_rendered_entry_passes_with_login(cli: Any, harbor_site: Any, version: str) -> None:
    site = harbor_site(version)
    assert set(site.promised.values()) == {ClientOutcome.WORKS}  # render promised every entry works
    code, entries = run_check(cli, site, "--user", "admin", "--password-stdin", password="Harbor12345\n")
    assert code == 0, json.dumps(entries, indent=1)
    for name, url in site.urls.items():
        entry = entries[url]
        found = checks(entry)
        assert entry["status"] == "pass", name
        assert entry["realm"] == f"{url}/service/token"
        assert found["token.anonymous"]["status"] == "pass"
        assert found["token.login"]["status"] == "pass"
        assert found["v2.authenticated"]["status"] == "pass"
        assert found["ping"]["detail"] == "200 Pong"
        assert entry["harbor_version_assumed"] == version  # read from /api/v2.0/systeminfo
    domain = checks(entries[site.urls["domain"]])
    assert domain["tls.chain"]["status"] == "pass"
    assert domain["tls.name"]["status"] == "pass"
    assert domain["tls.expiry"]["detail"].startswith("expires in")


@pytest.mark.parametrize("version", ["2.13.1", "2.14.0"])
def test_check_agrees_with_what_render_promised_without_the_rewrite(cli: Any, harbor_site: Any, version: str) -> None:
    """Rendered with realm_rewrite off: render's report says which entries work, depend or fail; check agrees."""
    site = harbor_site(version, realm_rewrite=False)
    _, entries = run_check(cli, site)
    expected = {ClientOutcome.WORKS: "pass", ClientOutcome.DEPENDS: "warn", ClientOutcome.FAILS: "fail"}
    assert set(site.promised.values()) != {ClientOutcome.WORKS}  # the variant really breaks something
    for name, url in site.urls.items():
        assert checks(entries[url])["realm"]["status"] == expected[site.promised[name]], name


def test_wrong_password_fails_the_login_check(cli: Any, harbor_site: Any) -> None:
    site = harbor_site("2.14.0")
    code, entries = run_check(cli, site, "--user", "admin", "--password-stdin", password="nope\n")
    assert code == 1
    assert checks(entries[site.urls["internal"]])["token.login"]["detail"].startswith("401")


def test_host_without_port_is_explained(cli: Any, harbor_site: Any) -> None:
    site = harbor_site("2.14.0", break_with=("proxy_set_header Host $http_host;", "proxy_set_header Host $host;"))
    code, entries = run_check(cli, site)
    assert code == 1
    for name in ("internal", "external", "domain"):
        realm = checks(entries[site.urls[name]])["realm"]
        assert realm["status"] == "fail", name
        assert "lost the port" in realm["detail"]
        assert "`proxy_set_header Host $host;` drops the port" in realm["explanation"]
        assert "$http_host" in realm["fix"]


def test_add_header_without_always_is_explained(cli: Any, harbor_site: Any) -> None:
    site = harbor_site("2.13.1", break_with=(" always;", ";"))
    code, entries = run_check(cli, site)
    assert code == 1
    for name in ("internal", "external"):
        v2 = checks(entries[site.urls[name]])["v2"]
        assert v2["status"] == "fail"
        assert v2["detail"] == "401 without any Www-Authenticate header"
        assert "without* `always`" in v2["explanation"]
    # The https entry needs no rewrite and keeps working: the failure is pinned to the entries it breaks.
    assert entries[site.urls["domain"]]["status"] == "pass"


def test_failing_entries_are_findings_in_json_and_sarif(cli: Any, harbor_site: Any) -> None:
    """A CI job reads the failures as findings: `findings[]` in the JSON document (shaped like lint's),
    and `--format sarif` results with the CHK rules, each pointing at the entry's URL."""

    site = harbor_site("2.13.1", break_with=(" always;", ";"))
    code, _ = run_check(cli, site)
    args = ["check", "harbor", *site.urls.values(), "--ca", str(site.cert)]
    for rule in site.connect_to:
        args += ["--connect-to", rule]
    document = json.loads(cli([*args, "--format", "json"]).stdout)
    assert code == 1
    broken = {site.urls["internal"], site.urls["external"]}
    v2 = [f for f in document["findings"] if f["rule"] == "CHK-HARBOR-V2"]
    assert {f["evidence"][0]["file"] for f in v2} == broken  # the https entry keeps working: no finding
    assert all(f["severity"] == "error" and "without* `always`" in f["cause"] for f in v2)
    assert all(f["evidence"][0]["text"] == "401 without any Www-Authenticate header" for f in v2)
    assert all(site.urls["domain"] != f["evidence"][0]["file"] for f in document["findings"])

    sarif = cli([*args, "--format", "sarif"])
    assert sarif.exit_code == 1
    log = valid_sarif_log(sarif.stdout)
    run = log["runs"][0]
    rules = [rule["id"] for rule in run["tool"]["driver"]["rules"]]
    assert "CHK-HARBOR-REALM" in rules and not any(r.startswith("CHK-RESOLVER") for r in rules)
    results = [r for r in run["results"] if r["ruleId"] == "CHK-HARBOR-V2"]
    assert {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results} == broken
    assert all(rules[r["ruleIndex"]] == "CHK-HARBOR-V2" and r["level"] == "error" for r in results)
    assert len(run["results"]) == len(document["findings"])


def test_without_rewrite_the_http_entries_get_the_https_realm(cli: Any, harbor_site: Any) -> None:
    """Harbor < 2.14 rendered without the rewrite: HTTP entries are sent to external_url (another host)."""
    site = harbor_site("2.13.1", realm_rewrite=False)
    code, entries = run_check(cli, site, "--harbor-version", "2.13.1")
    internal = checks(entries[site.urls["internal"]])["realm"]
    # The domain entry answers from here, so it is a warning: it works only for clients that reach it.
    assert internal["status"] == "warn"
    assert f"https://{DOMAIN[0]}:{DOMAIN[1]}" in internal["detail"]
    assert "Harbor < 2.14 answers external_url" in internal["explanation"]
    assert "2.14 builds the realm from the Host" not in internal["explanation"]  # version pinned
    assert code == 0


def test_human_output_names_entry_and_explanation(cli: Any, harbor_site: Any) -> None:
    site = harbor_site("2.13.1", break_with=(" always;", ";"))
    args = ["check", "harbor", site.urls["internal"]]
    result = cli(args)
    assert result.exit_code == 1
    assert site.urls["internal"] in result.stdout
    assert "401 without any Www-Authenticate header" in result.stdout
    assert "fix: end the line with always" in result.stdout
    assert "1 of 1 entry points fail" in result.stdout
