"""The explicit registry of config families (no discovery magic): one line per family module.

Each module exposes ``FAMILY``, an object satisfying ``opskit.core.render.model.Family``.
"""

from __future__ import annotations

import importlib
from functools import cache

from opskit.core.render.model import Family

FAMILY_MODULES: tuple[str, ...] = (
    "opskit.core.render.harbor",
    "opskit.core.render.edge",
    "opskit.core.render.k8s",
)


@cache
def all_families() -> tuple[Family, ...]:
    return tuple(importlib.import_module(name).FAMILY for name in FAMILY_MODULES)


def family_names() -> list[str]:
    return [f.name for f in all_families()]
