"""Helpers for the edge family's tests: spec builders and a tiny HAProxy section reader."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

EXAMPLE_SPEC = Path(__file__).resolve().parents[3] / "examples" / "haproxy-edge.yaml"


def minimal_edge(**overrides: Any) -> dict[str, Any]:
    """A small valid ``edge`` section (IPv4 only, no stats); keys in ``overrides`` replace its keys."""
    edge: dict[str, Any] = {
        "http": {"binds": [{"address": "127.0.0.1", "port": 8000}], "default_backend": "web"},
        "tls": {
            "binds": [{"address": "127.0.0.1", "port": 8001}],
            "routes": [
                {
                    "hosts": ["www.example.com"],
                    "backend": "web_tls",
                    "certificate": "/etc/ssl/www.crt",
                    "certificate_key": "/etc/ssl/www.key",
                }
            ],
        },
        "http_backends": [{"name": "web", "servers": [{"name": "n1", "address": "127.0.0.1", "port": 8080}]}],
        "tls_backends": [{"name": "web_tls", "servers": [{"name": "n1", "address": "127.0.0.1", "port": 8443}]}],
        "nginx": {"haproxy_addresses": ["127.0.0.1"]},
    }
    edge.update(copy.deepcopy(overrides))
    return edge


def write_spec(directory: Path, edge: dict[str, Any], name: str = "edge.yaml") -> Path:
    path = directory / name
    path.write_text(yaml.safe_dump({"spec_version": 1, "site": "test-edge", "edge": edge}, sort_keys=False))
    return path


def haproxy_sections(text: str) -> dict[str, list[str]]:
    """``{"frontend http_in": [directive lines…], …}``: comments and blank lines dropped."""
    sections: dict[str, list[str]] = {}
    current: list[str] | None = None
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].strip() if not raw.lstrip().startswith(".alert") else raw.strip()
        if not line:
            continue
        if not raw.startswith((" ", "\t")) and not line.startswith("."):
            current = sections.setdefault(line, [])
        elif current is not None:
            current.append(line)
    return sections


@pytest.fixture
def example_spec() -> Path:
    return EXAMPLE_SPEC
