"""`opskit render` with manifests: --check sees drift in them, --validate checks them against the schemas
(and says how to install the checker when it is missing), nothing is written when a check fails."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from opskit.adapters.validate import validate_rendered
from opskit.core.render.k8s_manifests import (
    CONFIGMAP_FILE,
    DEPLOYMENT_FILE,
    KUSTOMIZATION_FILE,
    SERVICE_FILE,
    SUPPORTED_KUBERNETES_VERSIONS,
)
from opskit.errors import EnvironmentProblem
from tests.render.k8s.manifests_support import with_manifests
from tests.render.k8s.support import render_k8s, write_spec
from tests.support.tools import require_binary, require_root

MANIFEST_FILES = [CONFIGMAP_FILE, DEPLOYMENT_FILE, SERVICE_FILE, KUSTOMIZATION_FILE]


def test_check_reports_drift_in_each_manifest(cli: Any, tmp_path: Path) -> None:
    spec = write_spec(tmp_path, with_manifests("nginx"))
    out = tmp_path / "gw"
    assert cli(["render", str(spec)]).exit_code == 0
    assert sorted(p.name for p in out.iterdir() if p.suffix == ".yaml") == sorted(MANIFEST_FILES)
    assert cli(["render", str(spec), "--check"]).exit_code == 0

    deployment = out / DEPLOYMENT_FILE
    deployment.write_text(deployment.read_text().replace("replicas: 2", "replicas: 5"))
    (out / CONFIGMAP_FILE).unlink()
    result = cli(["render", str(spec), "--check", "--format", "json"])
    assert result.exit_code == 1
    drift = {item["path"]: item for item in _json(result.stdout)["files"]}
    assert drift[DEPLOYMENT_FILE]["status"] == "changed"
    assert "-  replicas: 5" in drift[DEPLOYMENT_FILE]["diff"] and "+  replicas: 2" in drift[DEPLOYMENT_FILE]["diff"]
    assert drift[CONFIGMAP_FILE]["status"] == "missing"
    assert drift[SERVICE_FILE]["status"] == "unchanged"
    assert (out / CONFIGMAP_FILE).exists() is False, "--check writes nothing"


def test_dropping_manifests_from_the_spec_reports_them_orphaned(cli: Any, tmp_path: Path) -> None:
    spec = write_spec(tmp_path, with_manifests("nginx"))
    assert cli(["render", str(spec)]).exit_code == 0
    write_spec(tmp_path, {key: value for key, value in with_manifests("nginx").items() if key != "manifests"})
    result = cli(["render", str(spec), "--check", "--format", "json"])
    assert result.exit_code == 1
    orphaned = sorted(item["path"] for item in _json(result.stdout)["files"] if item["status"] == "orphaned")
    assert orphaned == sorted(MANIFEST_FILES)


def test_a_config_change_shows_up_as_drift_in_the_configmap_and_the_deployment_checksum(
    cli: Any, tmp_path: Path
) -> None:
    k8s = with_manifests("nginx")
    spec = write_spec(tmp_path, k8s)
    assert cli(["render", str(spec)]).exit_code == 0
    k8s["routes"][0]["port"] = 9999
    write_spec(tmp_path, k8s)
    result = cli(["render", str(spec), "--check", "--format", "json"])
    changed = sorted(item["path"] for item in _json(result.stdout)["files"] if item["status"] == "changed")
    assert changed == sorted([CONFIGMAP_FILE, DEPLOYMENT_FILE, "k8s-gateway-report.txt", "nginx-k8s-gateway.conf"])


def test_schema_validation_names_the_file_and_every_version_it_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    family = render_k8s(with_manifests("nginx"))
    (target,) = [t for t in family.validations if t.tool == "kubernetes"]
    assert sorted((target.entry, *target.extra_entries)) == sorted(set(MANIFEST_FILES) - {KUSTOMIZATION_FILE})
    assert validate_rendered(family.files, target).ok

    files = dict(family.files)
    service = yaml.safe_load(files[SERVICE_FILE])
    service["spec"]["ports"][0]["port"] = "eighty"
    files[SERVICE_FILE] = yaml.safe_dump(service)
    result = validate_rendered(files, target)
    assert not result.ok
    lines = result.output.splitlines()
    assert [line.split(":")[0] for line in lines] == [SERVICE_FILE] * len(SUPPORTED_KUBERNETES_VERSIONS)
    assert all("spec.ports.0.port" in line and "'eighty'" in line for line in lines)


def test_without_kubernetes_validate_the_check_is_an_environment_problem(monkeypatch: pytest.MonkeyPatch) -> None:
    family = render_k8s(with_manifests("nginx"))
    (target,) = [t for t in family.validations if t.tool == "kubernetes"]
    monkeypatch.setitem(sys.modules, "kubernetes_validate", None)  # `import` now raises ImportError
    with pytest.raises(EnvironmentProblem) as raised:
        validate_rendered(family.files, target)
    assert "pip install 'opskit[k8s]'" in raised.value.describe()


@pytest.mark.integration
def test_render_validate_without_the_package_exits_2_with_the_hint_and_writes_nothing(
    cli: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    require_root("nginx -t runs in private namespaces first")
    require_binary("nginx", "apt-get install nginx")
    spec = write_spec(tmp_path, with_manifests("nginx"))
    monkeypatch.setitem(sys.modules, "kubernetes_validate", None)
    result = cli(["render", str(spec), "--validate"])
    assert result.exit_code == 2, result.stdout + result.stderr
    assert "kubernetes-validate" in result.stderr and "pip install" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "gw").exists()


@pytest.mark.integration
def test_render_validate_checks_nginx_and_the_manifests_then_writes(cli: Any, tmp_path: Path) -> None:
    require_root("nginx -t runs in private namespaces")
    require_binary("nginx", "apt-get install nginx")
    spec = write_spec(tmp_path, with_manifests("nginx"))
    result = cli(["render", str(spec), "--validate", "--format", "json"])
    assert result.exit_code == 0, result.stdout + result.stderr
    checks = {item["tool"]: item for item in _json(result.stdout)["validation"]}
    assert checks["nginx"]["ok"] and checks["kubernetes"]["ok"]
    assert "valid for Kubernetes " + ", ".join(SUPPORTED_KUBERNETES_VERSIONS) in checks["kubernetes"]["output"]
    assert (tmp_path / "gw" / KUSTOMIZATION_FILE).exists()


def _json(text: str) -> dict[str, Any]:
    import json

    data: dict[str, Any] = json.loads(text)
    return data
