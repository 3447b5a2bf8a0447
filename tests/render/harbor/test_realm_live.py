"""The rendered nginx in front of a stand-in Harbor: clients get the realm the report promises.

A small HTTP server on loopback answers like Harbor core does for the given version
(``realm_from_harbor`` with the Host header it received); the real nginx runs the rendered config
on loopback ports. Public addresses in the spec (203.0.113.7, harbor.example.test) only ever appear
in Host headers: nothing but 127.0.0.1 is contacted.
"""

from __future__ import annotations

import http.client
import os
import ssl
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from opskit.core.harbor.realm import challenge, realm_from_harbor
from opskit.core.render.harbor import assess
from opskit.core.render.pipeline import render_site
from opskit.core.spec.harbor import HarborVersion
from opskit.core.spec.loader import validate_marked
from opskit.core.spec.model import SiteSpec
from opskit.core.spec.types import BaseUrl
from tests.support.certs import make_certificate
from tests.support.nginx import Nginx, nginx_main_conf
from tests.support.ports import free_port
from tests.support.tools import IN_CI, require_binary

pytestmark = pytest.mark.integration


@dataclass
class FakeHarbor:
    """Answers /v2/ like Harbor core: 401 + Bearer challenge, Basic when Authorization is present."""

    version: HarborVersion
    external_url: BaseUrl
    seen: list[dict[str, str]] = field(default_factory=list)

    def handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
                fake.seen.append({k: v for k, v in self.headers.items()})
                body = b"{}"
                if self.path.startswith("/v2/"):
                    self.send_response(401)
                    if self.headers.get("Authorization"):
                        self.send_header("Www-Authenticate", 'Basic realm="harbor"')
                    else:
                        realm = realm_from_harbor(fake.version, fake.external_url, self.headers.get("Host", ""))
                        self.send_header("Www-Authenticate", challenge(realm))
                else:
                    self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                return

        return Handler


@dataclass
class Site:
    ports: dict[str, int]
    fake: FakeHarbor
    spec: SiteSpec
    address: str  # the loopback address every entry listens on


@pytest.fixture
def run_site(tmp_path: Path) -> Iterator[Any]:
    nginx_binary = require_binary("nginx", "apt-get install nginx")
    openssl = require_binary("openssl", "apt-get install openssl")
    started: list[tuple[Nginx, ThreadingHTTPServer]] = []

    def start(version: str, external_url_entry: str, realm_rewrite: bool = True, address: str = "127.0.0.1") -> Site:
        prefix = Path(tempfile.mkdtemp(dir=tmp_path))
        os.chmod(prefix, 0o755)
        cert, key = make_certificate(openssl, prefix, "harbor.example.test")
        ports = {name: free_port(address) for name in ("internal", "external", "domain")}
        data = {
            "spec_version": 1,
            "site": "live",
            "harbor": {
                "version": version,
                "upstream": {"host": "127.0.0.1", "port": 1},
                "external_url_entry": external_url_entry,
                "realm_rewrite": realm_rewrite,
                "entries": [
                    {
                        "name": "internal",
                        "kind": "http",
                        "listen_address": address,
                        "listen_port": ports["internal"],
                    },
                    {
                        "name": "external",
                        "kind": "http-nat",
                        "listen_address": address,
                        "listen_port": ports["external"],
                        "public_host": "203.0.113.7",
                        "public_port": 5080,
                    },
                    {
                        "name": "domain",
                        "kind": "https",
                        "server_name": "harbor.example.test",
                        "certificate": str(cert),
                        "certificate_key": str(key),
                        "listen_address": address,
                        "listen_port": ports["domain"],
                        "public_port": 5088,
                    },
                ],
            },
        }
        spec = validate_marked(SiteSpec, data, {}, "live.yaml")
        assert spec.harbor is not None
        fake = FakeHarbor(spec.harbor.version, spec.harbor.external_url)
        server = ThreadingHTTPServer(("127.0.0.1", 0), fake.handler())
        threading.Thread(target=server.serve_forever, daemon=True).start()
        data["harbor"]["upstream"]["port"] = server.server_address[1]
        spec = validate_marked(SiteSpec, data, {}, "live.yaml")
        files = render_site(spec, "live.yaml").files
        (prefix / "nginx-harbor.conf").write_text(files["nginx-harbor.conf"])
        nginx = Nginx(nginx_binary, prefix)
        started.append((nginx, server))
        conf = nginx_main_conf(prefix, f"    include {prefix}/nginx-harbor.conf;", log_level="notice")
        nginx.start(conf, address, ports["domain"])
        return Site(ports, fake, spec, address)

    yield start
    for nginx, server in started:
        nginx.stop()
        server.shutdown()
        server.server_close()


CLIENT_HOSTS = {"internal": None, "external": "203.0.113.7:5080", "domain": "harbor.example.test:5088"}


def get(site: Site, entry: str, path: str, authorization: str | None = None) -> http.client.HTTPResponse:
    port = site.ports[entry]
    if entry == "domain":
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        conn: http.client.HTTPConnection = http.client.HTTPSConnection(site.address, port, timeout=10, context=context)
    else:
        conn = http.client.HTTPConnection(site.address, port, timeout=10)
    bracketed = f"[{site.address}]" if ":" in site.address else site.address
    host = CLIENT_HOSTS[entry] or f"{bracketed}:{port}"
    headers = {"Host": host, "X-Forwarded-Proto": "https", "X-Forwarded-Port": "1"}  # client lies: replaced
    if authorization:
        headers["Authorization"] = authorization
    conn.request("GET", path, headers=headers)
    response = conn.getresponse()
    response.read()
    conn.close()
    return response


def realm_received(site: Site, entry: str) -> str:
    response = get(site, entry, "/v2/")
    assert response.status == 401
    values = response.headers.get_all("Www-Authenticate") or []
    assert len(values) == 1, values
    return values[0].split('realm="', 1)[1].split('"', 1)[0]


@pytest.mark.parametrize("version", ["2.13.1", "2.14.0"])
@pytest.mark.parametrize("external_url_entry", ["domain", "external"])
def test_every_entry_gets_its_own_realm_through_the_real_nginx(
    run_site: Any, version: str, external_url_entry: str
) -> None:
    site = run_site(version, external_url_entry)
    assert site.spec.harbor is not None
    predicted = {r.entry: r.realm_clients_get for r in assess(site.spec.harbor)}
    for entry in ("internal", "external", "domain"):
        received = realm_received(site, entry)
        assert received == predicted[entry], entry
        url = next(e.client_url for e in site.spec.harbor.entries if e.name == entry)
        assert received == f"{url}/service/token"


@pytest.mark.parametrize("version", ["2.13.1", "2.14.0"])
def test_without_rewrite_clients_get_what_the_report_predicts(run_site: Any, version: str) -> None:
    site = run_site(version, "domain", realm_rewrite=False)
    assert site.spec.harbor is not None
    realms = {r.entry: r for r in assess(site.spec.harbor)}
    for entry in ("internal", "external"):
        assert realm_received(site, entry) == realms[entry].realm_clients_get
        assert realms[entry].realm_clients_get.startswith("https://")


def test_headers_reaching_harbor_and_untouched_responses(run_site: Any) -> None:
    site = run_site("2.13.1", "domain")
    expectations = {
        "internal": (f"127.0.0.1:{site.ports['internal']}", "http", str(site.ports["internal"])),
        "external": ("203.0.113.7:5080", "http", "5080"),
        "domain": ("harbor.example.test:5088", "https", "5088"),
    }
    for entry, (host, proto, port) in expectations.items():
        site.fake.seen.clear()
        ok = get(site, entry, "/api/v2.0/ping")
        assert ok.status == 200 and ok.headers.get("Www-Authenticate") is None
        sent = site.fake.seen[-1]
        assert (
            sent["Host"],
            sent["X-Forwarded-Host"],
            sent["X-Forwarded-Proto"],
            sent["X-Forwarded-Port"],
        ) == (host, host, proto, port)
        # With credentials Harbor answers Basic; the rewrite must pass it through as is.
        basic = get(site, entry, "/v2/", authorization="Basic dTpw")
        assert basic.headers.get_all("Www-Authenticate") == ['Basic realm="harbor"']
        assert get(site, entry, "/v2/").headers.get("Server") == "nginx"  # server_tokens off: no version


def test_ipv6_entries_match_their_bracketed_host_and_get_their_realm(run_site: Any) -> None:
    """server_name [::1] must match the Host [::1]:port, and the < 2.14 rewrite must keep the brackets."""
    try:
        free_port("::1")
    except OSError:
        if IN_CI:
            pytest.fail("CI machine has no IPv6 loopback (::1): IPv6 entries cannot be proven", pytrace=False)
        pytest.skip("this machine has no IPv6 loopback (::1)")  # outside CI only: IN_CI failed above
    site = run_site("2.13.1", "domain", address="::1")
    assert realm_received(site, "internal") == f"http://[::1]:{site.ports['internal']}/service/token"
    assert realm_received(site, "domain") == "https://harbor.example.test:5088/service/token"
    assert site.fake.seen[-1]["X-Forwarded-Proto"] == "https"
