"""Hostile text in any string of the harbor section is refused or cannot change the config's structure."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import crossplane
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from opskit.core.render.pipeline import render_site
from opskit.core.spec.loader import validate_marked
from opskit.core.spec.model import SiteSpec
from opskit.errors import InputError
from tests.render.harbor.conftest import base_spec

Path_ = tuple[str | int, ...]


def string_leaves(node: Any, path: Path_ = ()) -> Iterator[Path_]:
    if isinstance(node, dict):
        for key, value in node.items():
            yield from string_leaves(value, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from string_leaves(value, (*path, index))
    elif isinstance(node, str):
        yield path


LEAVES = [p for p in string_leaves(base_spec()) if p[0] == "harbor"]
SYNTAX = [";", "{", "}", "#", "$", '"', "'", " ", "\n", "\t", "\\", "\x00", "\r"]
hostile = st.one_of(
    st.builds(
        lambda a, s, b: a + s + b,
        st.sampled_from(["xx.xxx.com", "/home/cert/a.pem", "2.13.1", "domain", "172.16.36.52", ""]),
        st.sampled_from([";", "; listen 1;", "{", "}", " # ", "$host", '"', "\n  server {", "\\", "\x00"]),
        st.sampled_from(["", "x", " ssl_verify off", ";"]),
    ),
    st.text(alphabet=st.sampled_from(SYNTAX + list("ab.-:/_1")), max_size=20),
)


def structure(conf: str, tmp: Path) -> list[tuple[str, ...]]:
    path = tmp / "nginx-harbor.conf"
    path.write_text(conf)
    parsed = crossplane.parse(str(path), single=True, comments=False, check_ctx=False, check_args=False)
    assert parsed["status"] == "ok", parsed["errors"]

    def walk(block: list[dict[str, Any]], trail: tuple[str, ...]) -> Iterator[tuple[str, ...]]:
        for directive in block:
            here = (*trail, directive["directive"], str(len(directive["args"])))
            yield here
            yield from walk(directive.get("block", []), here)

    return sorted(walk(parsed["config"][0]["parsed"], ()))


def render(spec: dict[str, Any]) -> dict[str, str]:
    return render_site(validate_marked(SiteSpec, spec, {}, "site.yaml"), "site.yaml").files


CLEAN = render(base_spec())


def set_leaf(spec: dict[str, Any], path: Path_, value: str) -> None:
    node: Any = spec
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(leaf=st.sampled_from(LEAVES), value=hostile)
def test_hostile_value_is_refused_or_adds_nothing(tmp_path: Path, leaf: Path_, value: str) -> None:
    spec = copy.deepcopy(base_spec())
    set_leaf(spec, leaf, value)
    try:
        files = render(spec)
    except InputError:
        return
    assert structure(files["nginx-harbor.conf"], tmp_path) == structure(CLEAN["nginx-harbor.conf"], tmp_path)
    assert set(yaml.safe_load(files["harbor.yml"])) == set(yaml.safe_load(CLEAN["harbor.yml"]))
