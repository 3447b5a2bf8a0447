"""No value in a k8s_gateway spec can add an nginx directive: hostile text is rejected or inert.

(The suite-wide hypothesis test does this for every family; this one runs fixed nasty strings through
every string leaf of both k8s examples, so a regression points straight at this family.)
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from opskit.core.render.k8s import CONFIG_FILE
from opskit.core.render.pipeline import render_site
from opskit.core.spec.loader import load_spec_text
from opskit.core.spec.model import SiteSpec
from opskit.errors import InputError
from tests.render.k8s.support import parse_http_snippet

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"
HOSTILE = ["; return 200 x", "}", "{", " #", "$host", "\n", "\t", "'", '"', " valid=1s"]


def directive_paths(block: list[dict[str, Any]], prefix: str = "") -> set[str]:
    found: set[str] = set()
    for directive in block:
        path = f"{prefix}/{directive['directive']}"
        found.add(path)
        found |= directive_paths(directive.get("block", []), path)
    return found


def string_leaves(data: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    if isinstance(data, dict):
        for key, value in data.items():
            yield from string_leaves(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from string_leaves(value, (*path, index))
    elif isinstance(data, str):
        yield path


def config_for(data: dict[str, Any]) -> str:
    spec = load_spec_text(SiteSpec, yaml.safe_dump(data), "x.yaml")
    return render_site(spec, "x.yaml").files[CONFIG_FILE]


@pytest.mark.parametrize("example", ["k8s-gateway-tengine", "k8s-gateway-nginx", "k8s-gateway-manifests"])
def test_hostile_text_in_any_leaf_is_rejected_or_adds_no_directive(example: str) -> None:
    clean = yaml.safe_load((EXAMPLES / f"{example}.yaml").read_text())
    expected = directive_paths(parse_http_snippet(config_for(clean)))
    leaves = list(string_leaves(clean))
    assert len(leaves) > 15
    for path in leaves:
        for hostile in HOSTILE:
            data = copy.deepcopy(clean)
            parent = data
            for part in path[:-1]:
                parent = parent[part]
            original = parent[path[-1]]
            for value in (original + hostile, hostile + original):
                parent[path[-1]] = value
                try:
                    text = config_for(data)
                except InputError:
                    continue
                assert directive_paths(parse_http_snippet(text)) == expected, (path, value)
