"""Helpers for the k8s family's tests: build specs as data, render them, parse the output."""

from __future__ import annotations

import copy
import os
import tempfile
from pathlib import Path
from typing import Any

import yaml

from opskit.core.render.model import RenderedFamily
from opskit.core.render.pipeline import render_site
from opskit.core.spec.loader import load_spec_text
from opskit.core.spec.model import SiteSpec

BASE_SECTION: dict[str, Any] = {
    "flavor": "nginx",
    "resolver": {"address": "10.96.0.10", "valid": "5s"},
    "routes": [
        {"name": "sys", "prefix": "/api/sys/", "service": "sys", "namespace": "demowms", "port": 8150},
        {
            "name": "auth",
            "prefix": "/auth/",
            "service": "keycloak",
            "namespace": "iam",
            "port": 8080,
            "backend_prefix": "/",
        },
    ],
}


def section(**changes: Any) -> dict[str, Any]:
    """A copy of BASE_SECTION with top-level keys replaced (None removes a key)."""
    data = copy.deepcopy(BASE_SECTION)
    for key, value in changes.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return data


def spec_yaml(k8s: dict[str, Any], site: str = "test") -> str:
    return yaml.safe_dump({"spec_version": 1, "site": site, "k8s_gateway": k8s}, sort_keys=False)


def render_k8s(k8s: dict[str, Any], name: str = "gw.yaml") -> RenderedFamily:
    spec = load_spec_text(SiteSpec, spec_yaml(k8s), name)
    (family,) = render_site(spec, name, ["k8s"]).families
    return family


def parse_http_snippet(text: str) -> list[dict[str, Any]]:
    """Directives of an http{}-level snippet, parsed by crossplane (no context checks: it is a snippet)."""
    import crossplane

    with tempfile.NamedTemporaryFile("w", suffix=".conf", delete=False) as handle:
        handle.write(text)
    try:
        payload = crossplane.parse(handle.name, single=True, check_ctx=False, comments=False)
    finally:
        os.unlink(handle.name)
    assert payload["status"] == "ok", payload["errors"]
    parsed: list[dict[str, Any]] = payload["config"][0]["parsed"]
    return parsed


def children(block: list[dict[str, Any]], directive: str) -> list[dict[str, Any]]:
    return [d for d in block if d["directive"] == directive]


def args_of(block: list[dict[str, Any]], directive: str) -> list[list[str]]:
    return [d["args"] for d in children(block, directive)]


def location(server: dict[str, Any], *args: str) -> list[dict[str, Any]]:
    for loc in children(server["block"], "location"):
        if loc["args"] == list(args):
            block: list[dict[str, Any]] = loc["block"]
            return block
    raise AssertionError(f"no location {args} in {[loc['args'] for loc in children(server['block'], 'location')]}")


def write_spec(directory: Path, k8s: dict[str, Any], name: str = "gw.yaml") -> Path:
    path = directory / name
    path.write_text(spec_yaml(k8s))
    return path
