"""Hostile text in any string of the example spec is refused, or changes no HAProxy/nginx directive."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import crossplane
import pytest
import yaml

from opskit.core.render.edge import FAMILY
from opskit.core.render.model import RenderContext
from opskit.core.spec.loader import validate_marked
from opskit.core.spec.model import SiteSpec
from opskit.errors import InputError
from tests.render.edge.conftest import EXAMPLE_SPEC

HOSTILE = [
    "x\n    server evil 192.0.2.66:80",
    'a" }\nfrontend evil',
    "a #comment",
    "a; return 200 pwned;",
    "${HOME}",
    "a b",
    "/etc/x; include /etc/passwd",
    "iPhone -m reg .*",
    "a\tb",
    "x{y}",
]


def string_leaves(data: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    if isinstance(data, dict):
        for key, value in data.items():
            yield from string_leaves(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from string_leaves(value, (*path, index))
    elif isinstance(data, str):
        yield path


def replaced(data: Any, path: tuple[Any, ...], value: str) -> Any:
    if not path:
        return value
    head, *rest = path
    if isinstance(data, dict):
        return {k: (replaced(v, tuple(rest), value) if k == head else v) for k, v in data.items()}
    return [replaced(v, tuple(rest), value) if i == head else v for i, v in enumerate(data)]


def haproxy_keywords(text: str) -> Counter[str]:
    lines = [line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    return Counter(line.split()[0] for line in lines)


def nginx_directives(text: str, tmp_path: Path) -> Counter[str]:
    path = tmp_path / "n.conf"
    path.write_text(text)
    parsed = crossplane.parse(str(path), single=True, check_ctx=False, check_args=False, comments=False)
    counts: Counter[str] = Counter()

    def walk(block: list[dict[str, Any]]) -> None:
        for directive in block:
            counts[directive["directive"]] += 1
            walk(directive.get("block", []))

    walk(parsed["config"][0]["parsed"])
    return counts


def render(data: Any) -> dict[str, str] | None:
    try:
        spec = validate_marked(SiteSpec, data, {}, "hostile.yaml")
    except InputError:
        return None
    result = FAMILY.render(spec, RenderContext("hostile.yaml"))
    assert result is not None
    return result.files


CLEAN = yaml.safe_load(EXAMPLE_SPEC.read_text())
LEAVES = [path for path in string_leaves(CLEAN) if path[0] == "edge"]


@pytest.mark.parametrize("path", LEAVES, ids=lambda p: ".".join(map(str, p)))
def test_hostile_values_are_refused_or_inert(path: tuple[Any, ...], tmp_path: Path) -> None:
    clean = render(CLEAN)
    assert clean is not None
    for value in HOSTILE:
        files = render(replaced(CLEAN, path, value))
        if files is None:
            continue
        assert haproxy_keywords(files["haproxy.cfg"]) == haproxy_keywords(clean["haproxy.cfg"]), value
        conf = "nginx-edge-proxy-protocol.conf"
        assert nginx_directives(files[conf], tmp_path) == nginx_directives(clean[conf], tmp_path), value
