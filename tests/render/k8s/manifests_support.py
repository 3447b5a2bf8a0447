"""Specs with `manifests:` and the parsed manifests they render."""

from __future__ import annotations

from typing import Any

import yaml

from opskit.core.render.k8s_manifests import (
    CONFIGMAP_FILE,
    DEPLOYMENT_FILE,
    KUSTOMIZATION_FILE,
    SERVICE_FILE,
)
from tests.render.k8s.support import render_k8s, section

MANIFESTS: dict[str, Any] = {"namespace": "edge", "name": "gw", "image": "nginx:1.28.0-alpine"}
TENGINE_IMAGE = "registry.example.com/gateway/tengine:3.1.0"


def with_manifests(flavor: str = "nginx", **manifests: Any) -> dict[str, Any]:
    """BASE_SECTION of the given flavor with a `manifests:` block (keys replaced; None removes one)."""
    block = dict(MANIFESTS)
    if flavor == "tengine":  # stock nginx has no dynamic_resolve; Tengine images must name conf_dir
        block |= {"image": TENGINE_IMAGE, "conf_dir": "/etc/nginx/conf.d"}
    block |= manifests
    return section(flavor=flavor, manifests={k: v for k, v in block.items() if v is not None})


def rendered_documents(k8s: dict[str, Any]) -> dict[str, Any]:
    """Every rendered .yaml file of the family, parsed back."""
    family = render_k8s(k8s)
    return {name: yaml.safe_load(text) for name, text in family.files.items() if name.endswith(".yaml")}


def objects(documents: dict[str, Any]) -> dict[str, Any]:
    return {name: doc for name, doc in documents.items() if name != KUSTOMIZATION_FILE}


__all__ = [
    "CONFIGMAP_FILE",
    "DEPLOYMENT_FILE",
    "KUSTOMIZATION_FILE",
    "MANIFESTS",
    "SERVICE_FILE",
    "objects",
    "rendered_documents",
    "with_manifests",
]
