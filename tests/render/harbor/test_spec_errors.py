# ruff: noqa: E501  (expected messages are quoted whole)
"""Bad harbor sections: every problem named with file:line and field, exit 2, nothing written."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.render.harbor.conftest import base_spec

SpecWriter = Callable[[dict[str, Any] | str], Path]


def run_bad(cli: Any, path: Path) -> list[str]:
    out = path.parent / "out"
    result = cli(["render", str(path), "-o", str(out)])
    assert result.exit_code == 2, result.stdout + result.stderr
    assert not out.exists(), "nothing may be written for a bad spec"
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert lines[0].startswith("opskit: error: ")
    return [line.strip().replace(str(path), "site.yaml") for line in lines[1:]]


def test_kind_specific_keys_are_required_and_refused_per_field(cli: Any, write_spec: SpecWriter) -> None:
    text = """\
spec_version: 1
site: t
harbor:
  version: "2.13.1"
  upstream: {host: 172.16.36.52, port: 8894}
  external_url_entry: internal
  entries:
    - name: internal
      kind: http
      listen_address: 0.0.0.0
      public_port: 80
    - name: nat
      kind: http-nat
      listen_port: 5080
      certificate: /etc/x.pem
    - name: dom
      kind: https
      public_host: 203.0.113.9
"""
    assert run_bad(cli, write_spec(text)) == [
        "site.yaml:8: harbor.entries[0].listen_port: required for kind http: clients use this port, so nginx "
        "must listen on it",
        "site.yaml:10: harbor.entries[0].listen_address: 0.0.0.0 is not an address clients can use; give the one "
        "they type (or use kind http-nat with public_host)",
        "site.yaml:11: harbor.entries[0].public_port: does not apply to kind http: clients use listen_port itself "
        "(use kind http-nat for a NAT mapping)",
        "site.yaml:12: harbor.entries[1].public_host: required for kind http-nat: the address (or name) clients "
        "use on the outside of the NAT",
        "site.yaml:15: harbor.entries[1].certificate: does not apply to kind http-nat: only https entries "
        "terminate TLS (use kind https)",
        "site.yaml:16: harbor.entries[2].certificate: required for kind https: the certificate chain nginx "
        "presents for server_name",
        "site.yaml:16: harbor.entries[2].certificate_key: required for kind https: the private key of that certificate",
        "site.yaml:16: harbor.entries[2].server_name: required for kind https: the domain clients use and the "
        "certificate is for",
        "site.yaml:18: harbor.entries[2].public_host: does not apply to kind https: clients use server_name",
    ]


def test_entries_that_clash_or_loop_are_reported_together(cli: Any, write_spec: SpecWriter) -> None:
    text = """\
spec_version: 1
site: t
harbor:
  version: "2.14.0"
  upstream: {host: 172.16.36.52, port: 8894}
  external_url_entry: nowhere
  hostname: reg.mydomain.com
  entries:
    - name: internal
      kind: http
      listen_address: 172.16.36.52
      listen_port: 8894
    - name: internal
      kind: https
      server_name: a.example
      certificate: /etc/a.pem
      certificate_key: /etc/a.key
      listen_address: 10.0.0.2
      listen_port: 80
    - name: plain
      kind: http
      listen_address: 10.0.0.2
      listen_port: 80
    - name: nat
      kind: http-nat
      listen_address: 10.0.0.3
      listen_port: 80
      public_host: 10.0.0.9
    - name: nat2
      kind: http-nat
      listen_address: 10.0.0.3
      listen_port: 80
      public_host: 10.0.0.9
"""
    assert run_bad(cli, write_spec(text)) == [
        "site.yaml:6: harbor.external_url_entry: no entry is named 'nowhere' (entries: internal, plain, nat, nat2)",
        "site.yaml:7: harbor.hostname: reg.mydomain.com is the template's placeholder; the installer refuses it",
        "site.yaml:12: harbor.entries[0].listen_port: 172.16.36.52:8894 is Harbor's upstream 172.16.36.52:8894 "
        "itself: nginx would proxy to itself (Harbor's installer publishes its nginx on that port on all interfaces)",
        "site.yaml:13: harbor.entries[1].name: entry name 'internal' is already used by entries[0]",
        "site.yaml:23: harbor.entries[2].listen_port: 10.0.0.2:80 already serves https (entries[1]); nginx would "
        "apply TLS to both or neither",
        "site.yaml:29: harbor.entries[4]: same listener 10.0.0.3:80 and client host 10.0.0.9 as entries[3]: nginx "
        "cannot tell them apart",
        "site.yaml:29: harbor.entries[4]: clients would use http://10.0.0.9, as for entries[3]",
    ]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            lambda h: h.update(version=2.14),
            'harbor.version: Harbor version must be text like "2.13.1" (quote it in YAML), got 2.14',
        ),
        (
            lambda h: h.update(version="2.14.0-rc1"),
            "harbor.version: '2.14.0-rc1' is not a Harbor release version "
            "like 2.13.1 or v2.14.0 (pre-releases are not accepted)",
        ),
        (
            lambda h: h.update(version="1.10.3"),
            "harbor.version: '1.10.3': opskit renders harbor.yml for Harbor 2.x and later (1.x used harbor.cfg)",
        ),
        (
            lambda h: h.update(hostname="127.0.0.1"),
            "harbor.hostname: Harbor's installer refuses 127.0.0.1 as hostname",
        ),
        (
            lambda h: h.update(data_volume="data dir"),
            "harbor.data_volume: 'data dir' must be an absolute path",
        ),
        (
            lambda h: h.update(registry_timeout="15 min"),
            "harbor.registry_timeout: '15 min' is not a duration",
        ),
        (lambda h: h.update(entries=[]), "harbor.entries: List should have at least 1 item"),
        (
            lambda h: h["entries"][2].update(server_name="xx.xxx.com;\n  listen 80"),
            "harbor.entries[2].server_name: 'xx.xxx.com;\\n  listen 80' is not an RFC 1123 host name",
        ),
        (
            lambda h: h["entries"][2].update(certificate="/home/cert/a.pem; ssl_verify off"),
            "harbor.entries[2].certificate: '/home/cert/a.pem; ssl_verify off' must be an absolute path",
        ),
        (
            lambda h: h["entries"][1].update(public_host="62.132.105.159:5080"),
            "harbor.entries[1].public_host: '62.132.105.159:5080' carries a port: give the host alone",
        ),
        (lambda h: h["entries"][0].update(weight=3), "harbor.entries[0].weight: unknown key"),
        (
            lambda h: h["entries"][0].update(kind="tcp"),
            "harbor.entries[0].kind: Input should be 'http', 'http-nat' or 'https'",
        ),
        (lambda h: h["upstream"].update(port=0), "harbor.upstream.port: port 0 is outside 1-65535"),
    ],
)
def test_single_bad_value_names_its_field(
    cli: Any, write_spec: SpecWriter, change: Callable[[dict[str, Any]], None], expected: str
) -> None:
    spec = base_spec()
    change(spec["harbor"])
    problems = run_bad(cli, write_spec(spec))
    assert len(problems) == 1, problems
    assert problems[0].startswith("site.yaml:")
    assert expected in problems[0]
