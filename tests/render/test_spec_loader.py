"""YAML → model with file:line: field: problem for every mistake (the loader is family-agnostic)."""

from __future__ import annotations

import pytest

from opskit.core.spec.base import SpecModel
from opskit.core.spec.loader import load_spec_text
from opskit.core.spec.types import AbsPath, BaseUrl, Duration, Host, Hostname, Name, Port
from opskit.errors import InputError


class Entry(SpecModel):
    name: Name
    host: Host
    port: Port


class Sample(SpecModel):
    server: Hostname
    url: BaseUrl
    timeout: Duration = Duration.parse("10s")
    cert: AbsPath | None = None
    entries: list[Entry] = []


def problems(text: str) -> list[str]:
    with pytest.raises(InputError) as caught:
        load_spec_text(Sample, text, "site.yaml")
    return [str(p) for p in caught.value.problems]


def test_valid_spec_loads_with_normalised_values() -> None:
    spec = load_spec_text(Sample, "server: Reg.Example.COM\nurl: https://reg.example.com:5088\ntimeout: 5m\n", "s.yaml")
    assert spec.server == "reg.example.com"
    assert spec.url.authority == "reg.example.com:5088"
    assert spec.timeout.milliseconds == 300_000


def test_every_problem_is_reported_with_its_line_and_field() -> None:
    text = (
        "server: bad_host\n"
        "url: ftp://x\n"
        "entries:\n"
        "  - name: ok\n"
        "    host: 10.0.0.1\n"
        "    port: 70000\n"
        "  - name: two\n"
        "    host: 'a b'\n"
        "    port: 80\n"
        "    colour: red\n"
    )
    assert problems(text) == [
        "site.yaml:1: server: 'bad_host' is not an RFC 1123 host name (label 'bad_host': letters, digits and "
        "inner hyphens only, 1-63 characters)",
        "site.yaml:2: url: 'ftp://x' must start with http:// or https://",
        "site.yaml:6: entries[0].port: port 70000 is outside 1-65535",
        "site.yaml:8: entries[1].host: 'a b' is not an RFC 1123 host name (label 'a b': letters, digits and "
        "inner hyphens only, 1-63 characters)",
        "site.yaml:10: entries[1].colour: unknown key",
    ]


def test_duplicate_keys_are_errors_not_silent_overrides() -> None:
    assert problems("server: a.example\nurl: http://a\nserver: b.example\n") == [
        "site.yaml:3: server: duplicate key (first at line 1)"
    ]


def test_missing_required_key_points_at_the_enclosing_mapping() -> None:
    assert problems("url: http://a\n") == ["site.yaml:1: server: required key is missing"]


def test_yaml_syntax_error_names_the_line() -> None:
    found = problems("server: a\nurl: [unclosed\n")
    assert len(found) == 1 and found[0].startswith("site.yaml:") and "not valid YAML" in found[0]


@pytest.mark.parametrize(
    "path",
    [
        "relative/cert.pem",
        "/etc/cert.pem;",
        "/etc/ce rt.pem",
        "/etc/$x.pem",
        "/etc/{a}.pem",
        "/etc/a#b",
        "/etc/../x",
        "/etc/a\nssl_verify off",
    ],
)
def test_paths_that_could_carry_syntax_are_rejected(path: str) -> None:
    import json

    found = problems(f"server: a.example\nurl: http://a\ncert: {json.dumps(path)}\n")
    assert found and "cert:" in found[0]


def test_non_text_scalars_are_rejected_for_text_fields() -> None:
    assert "expected text" in problems("server: 1.5\nurl: http://a\n")[0]
