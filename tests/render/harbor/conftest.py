"""Spec builders for the harbor render tests: a known-good spec as data, changed per test."""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

# The scenario of examples/harbor-three-entries.yaml, as data (addresses are inert strings here).
BASE_SPEC: dict[str, Any] = {
    "spec_version": 1,
    "site": "harbor-test",
    "harbor": {
        "version": "2.13.1",
        "upstream": {"host": "172.16.36.52", "port": 8894},
        "external_url_entry": "domain",
        "entries": [
            {"name": "internal", "kind": "http", "listen_address": "172.16.36.52", "listen_port": 5000},
            {
                "name": "external",
                "kind": "http-nat",
                "listen_address": "172.16.36.52",
                "listen_port": 5080,
                "public_host": "62.132.105.159",
                "public_port": 5080,
            },
            {
                "name": "domain",
                "kind": "https",
                "server_name": "xx.xxx.com",
                "certificate": "/home/cert/xx.xxx.com.pem",
                "certificate_key": "/home/cert/xx.xxx.com.key",
                "listen_port": 443,
                "public_port": 5088,
            },
        ],
    },
}


def base_spec() -> dict[str, Any]:
    return copy.deepcopy(BASE_SPEC)


@pytest.fixture
def write_spec(tmp_path: Path) -> Callable[[dict[str, Any] | str], Path]:
    """Write a spec (data or YAML text) to tmp_path/site.yaml and return its path."""

    def write(spec: dict[str, Any] | str) -> Path:
        path = tmp_path / "site.yaml"
        path.write_text(spec if isinstance(spec, str) else yaml.safe_dump(spec, sort_keys=False))
        return path

    return write
