"""No spec value can add a directive: hostile strings in any scalar of any example spec are either
rejected as bad input, or leave the rendered configs with exactly the structure of the clean render."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from opskit.core.render.pipeline import render_site
from opskit.core.spec.loader import load_spec_text
from opskit.core.spec.model import SiteSpec
from opskit.errors import InputError
from tests.render.structure import file_shape

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))

INJECTIONS = [
    ";", "; ssl_verify off;", "\n", "\nserver evil 203.0.113.66:80\n", "}", "{", "} server { listen 81; }", "#",
    "# comment", "$host", "${HOME}", '"', "'", " ", "\t", "\x00", "\r\n", "\\", "`", "a b", "%[src]", "\u2028",
    "\x1b[31m", "/../", "../../etc/passwd", " resolve", " backup", " if TRUE", "\n    timeout client 1d",
]

hostile_text = st.one_of(
    st.sampled_from(INJECTIONS),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=12),
)


def scalar_paths(node: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    if isinstance(node, dict):
        return [p for key, value in node.items() for p in scalar_paths(value, (*path, key))]
    if isinstance(node, list):
        return [p for index, value in enumerate(node) for p in scalar_paths(value, (*path, index))]
    return [path]


def leaf(data: Any, path: tuple[Any, ...]) -> Any:
    for part in path:
        data = data[part]
    return data


def replaced(data: Any, path: tuple[Any, ...], value: Any) -> Any:
    if not path:
        return value
    if isinstance(data, dict):
        return {k: (replaced(v, path[1:], value) if k == path[0] else v) for k, v in data.items()}
    return [replaced(v, path[1:], value) if i == path[0] else v for i, v in enumerate(data)]


def shapes(spec_text: str, name: str) -> dict[str, Any]:
    site = render_site(load_spec_text(SiteSpec, spec_text, name), name)
    return {path: file_shape(path, text) for path, text in site.files.items()}


@pytest.mark.parametrize("spec_path", EXAMPLES, ids=lambda p: p.stem)
def test_hostile_values_are_rejected_or_inert(spec_path: Path) -> None:
    clean_text = spec_path.read_text()
    data = yaml.safe_load(clean_text)
    clean = shapes(clean_text, spec_path.name)
    # Booleans are left alone: a random word like "yes" is a legitimate value that may change the output.
    paths = [p for p in scalar_paths(data) if not isinstance(leaf(data, p), bool)]

    @settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(path=st.sampled_from(paths), draw=st.data(), placement=st.sampled_from(["append", "prepend", "only"]))
    def check(path: tuple[Any, ...], draw: st.DataObject, placement: str) -> None:
        original = leaf(data, path)
        # Numbers get only injection fragments: random digits could form another valid number.
        fragment = draw.draw(st.sampled_from(INJECTIONS) if isinstance(original, int) else hostile_text)
        base = "" if original is None else str(original)
        value = {"append": base + fragment, "prepend": fragment + base, "only": fragment}[placement]
        hostile = yaml.safe_dump(replaced(data, path, value), allow_unicode=True, sort_keys=False)
        try:
            result = shapes(hostile, spec_path.name)
        except InputError:
            return  # rejected with a clear message: fine
        assert result.keys() == clean.keys()
        for file_name, shape in result.items():
            assert shape == clean[file_name], f"{path}={value!r} changed the structure of {file_name}"

    check()
