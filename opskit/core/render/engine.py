"""The Jinja2 environment every family renders with.

StrictUndefined turns a typo in a template into an error instead of an empty string; no autoescape
(these are configs, not HTML): safety comes from the spec's constrained types instead.
"""

from __future__ import annotations

import json
from functools import cache
from importlib.resources import files
from typing import Any

import jinja2


def _nginx_duration(value: Any) -> str:
    return str(value)


def yaml_string(value: Any) -> str:
    """A YAML double-quoted scalar holding exactly ``str(value)``, whatever it contains.

    JSON's string syntax is a subset of YAML's double-quoted style; with ``ensure_ascii`` every control
    character, quote, backslash and line separator (U+0085, U+2028) becomes an escape, so the value
    can never end its line or its quotes and add a key to harbor.yml.
    """
    return json.dumps(str(value), ensure_ascii=True)


@cache
def environment() -> jinja2.Environment:
    root = files("opskit.templates")
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(root)),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["duration"] = _nginx_duration
    env.filters["yaml_string"] = yaml_string
    return env


def render_template(name: str, **context: Any) -> str:
    """Render ``templates/<name>``; output always ends with exactly one newline."""
    text = environment().get_template(name).render(**context)
    return text.rstrip("\n") + "\n"
