"""The opskit.fleet collection ships inside the opskit wheel and ansible-core finds it there with no
configuration (its sys.path scan); an editable install finds the checkout's copy; `ansible-galaxy
collection build` works; every module and the filter have documentation ansible-doc renders."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
import yaml

import opskit
from tests.fleet.conftest import REPO

COLLECTION = REPO / "ansible_collections/opskit/fleet"
MODULES = sorted(p.stem for p in (COLLECTION / "plugins/modules").glob("*.py"))
BIN = Path(sys.executable).parent


def _ansible(tool: str, *args: str, pythonpath: Path | None = None, cwd: Path = Path("/")) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ANSIBLE_")}
    env.update({"PYTHONWARNINGS": "ignore", "ANSIBLE_NOCOLOR": "1", "ANSIBLE_COLLECTIONS_PATH": "/nonexistent"})
    if pythonpath is not None:
        env["PYTHONPATH"] = str(pythonpath)
    done = subprocess.run([str(BIN / tool), *args], capture_output=True, text=True, env=env, cwd=cwd, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def test_collection_version_is_opskits() -> None:
    galaxy = yaml.safe_load((COLLECTION / "galaxy.yml").read_text())
    assert (galaxy["namespace"], galaxy["name"], galaxy["version"]) == ("opskit", "fleet", opskit.__version__)
    assert yaml.safe_load((COLLECTION / "meta/runtime.yml").read_text())["requires_ansible"].startswith(">=")


def test_every_module_and_the_filter_have_docs_ansible_doc_renders() -> None:
    docs = json.loads(_ansible("ansible-doc", "--json", *(f"opskit.fleet.{m}" for m in MODULES)))
    assert sorted(docs) == [f"opskit.fleet.{m}" for m in MODULES]
    assert set(MODULES) >= {"sockets_cut", "render", "lint", "check_harbor", "check_resolver", "tailscale_facts"}
    for name, doc in docs.items():
        assert doc["doc"]["short_description"] and doc["doc"]["options"] is not None, name
        assert doc["examples"].strip() and doc["return"], name
        # check mode is declared in every module and documented
        source = (COLLECTION / "plugins/modules" / f"{name.split('.')[-1]}.py").read_text()
        assert "supports_check_mode=True" in source and "check mode" in " ".join(doc["doc"]["notes"]), name
    secrets = {m: o for m, d in docs.items() for o in d["doc"]["options"] if "password" in o}
    assert secrets == {"opskit.fleet.check_harbor": "password"}
    assert "no_log" in (COLLECTION / "plugins/modules/check_harbor.py").read_text()
    listed = _ansible("ansible-doc", "-t", "filter", "opskit.fleet.tailscale_matrix")
    assert "the predicted path per pair" in " ".join(listed.split())


@pytest.mark.integration
def test_the_wheel_carries_the_collection_and_ansible_finds_it_on_sys_path(tmp_path: Path) -> None:
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", str(REPO), "--no-deps", "-q", "-w", str(tmp_path / "dist")],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert built.returncode == 0, built.stderr
    [wheel] = (tmp_path / "dist").glob("opskit-*.whl")
    site = tmp_path / "site"
    installed = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(site), str(wheel)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert installed.returncode == 0, installed.stderr
    shipped = site / "ansible_collections/opskit/fleet"
    assert (shipped / "galaxy.yml").is_file() and (shipped / "meta/runtime.yml").is_file()
    assert (shipped / "playbooks/cut_sessions.yml").is_file()
    assert {p.stem for p in (shipped / "plugins/modules").glob("*.py")} == set(MODULES)
    # found through the sys.path scan alone (no collections path configured), from the wheel's copy
    doc = _ansible("ansible-doc", "opskit.fleet.sockets_cut", pythonpath=site)
    assert str(shipped / "plugins/modules/sockets_cut.py") in doc


def test_an_editable_install_lets_ansible_find_the_checkout() -> None:
    if Path(opskit.__file__).resolve().is_relative_to(REPO):  # this checkout is installed editable
        site = Path(next(p for p in sys.path if p.endswith("site-packages")))
        pth = list(site.glob("__editable__.opskit-*.ansible_collections.pth"))
        assert [p.read_text().strip() for p in pth] == [str(REPO)]
    doc = _ansible("ansible-doc", "opskit.fleet.render")
    assert "opskit.fleet.render" in doc


def test_ansible_galaxy_builds_the_collection(tmp_path: Path) -> None:
    _ansible("ansible-galaxy", "collection", "build", str(COLLECTION), "--output-path", str(tmp_path))
    [tarball] = tmp_path.glob("opskit-fleet-*.tar.gz")
    assert tarball.name == f"opskit-fleet-{opskit.__version__}.tar.gz"
    with tarfile.open(tarball) as archive:
        names = set(archive.getnames())
    assert {"MANIFEST.json", "plugins/modules/sockets_cut.py", "meta/runtime.yml"} <= names
    assert not any("__pycache__" in n for n in names)


def test_modules_and_filter_reach_opskit_through_its_app_layer_never_an_adapter() -> None:
    import ast

    for path in sorted((COLLECTION / "plugins").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            names = (
                [alias.name for alias in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else []
            )
            for name in names:
                assert not name.startswith(("opskit.adapters", "opskit.cli")), f"{path.name} imports {name}"
