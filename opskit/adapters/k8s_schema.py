"""Check rendered Kubernetes manifests against the API's OpenAPI schemas, offline.

kubernetes-validate bundles the JSON schemas of many Kubernetes versions (~100 MB, slow to import), so
it is imported only here, only when ``render --validate`` meets manifests, and it is an optional extra
(``pip install 'opskit[k8s]'``). Strict mode: an unknown field is an error, as with ``kubectl apply
--validate=strict``.

The text checked is the YAML as written, parsed back: what is validated is what a user applies.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import yaml

from opskit.core.render.model import ValidationTarget
from opskit.errors import EnvironmentProblem

INSTALL_HINT = "Install it with `pip install 'opskit[k8s]'` (or `pip install kubernetes-validate`)."


def _load_validator() -> Any:
    try:
        import kubernetes_validate
    except ImportError:
        raise EnvironmentProblem(
            "checking Kubernetes manifests needs kubernetes-validate, which is not installed.", hint=INSTALL_HINT
        ) from None
    return kubernetes_validate


def schema_problems(document: Any, version: str) -> list[str]:
    """Every reason the schemas of ``version`` refuse ``document`` (empty: accepted)."""
    validator = _load_validator()
    if not isinstance(document, dict) or not {"apiVersion", "kind"} <= document.keys():
        return ["not a Kubernetes object (no apiVersion/kind)"]
    try:
        validator.validate(document, version, strict=True)
    except validator.ValidationError as error:
        where = ".".join(str(part) for part in error.path) or "(top level)"
        return [f"{where}: {error.message}"]
    except (validator.SchemaNotFoundError, validator.VersionNotSupportedError) as error:
        return [str(error.message)]
    return []


def validate_manifests(files: Mapping[str, str], target: ValidationTarget) -> tuple[bool, str, str]:
    """(ok, command shown to the user, output) for every file of ``target`` against every version."""
    names = (target.entry, *target.extra_entries)
    versions = target.kubernetes_versions
    problems: list[str] = []
    for name in names:
        document = yaml.safe_load(files[name])
        for version in versions:
            problems += [f"{name}: Kubernetes {version}: {problem}" for problem in schema_problems(document, version)]
    command = f"kubernetes-validate --strict -k {','.join(versions)} {' '.join(names)}"
    if problems:
        return False, command, "\n".join(problems)
    return True, command, f"{len(names)} manifests valid for Kubernetes {', '.join(versions)}"
