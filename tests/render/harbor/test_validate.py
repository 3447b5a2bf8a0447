"""--validate runs the real nginx -t on the rendered harbor config: the example and its variants."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.render.harbor.conftest import base_spec
from tests.support.tools import require_binary, require_root

pytestmark = pytest.mark.integration

SpecWriter = Callable[[dict[str, Any] | str], Path]
EXAMPLE = Path(__file__).resolve().parents[3] / "examples" / "harbor-three-entries.yaml"


@pytest.fixture(autouse=True)
def _tools() -> None:
    require_root("validation uses unshare --net --mount")
    require_binary("nginx", "apt-get install nginx")
    require_binary("unshare", "apt-get install util-linux")
    require_binary("openssl", "apt-get install openssl")


def validate(cli: Any, path: Path) -> dict[str, Any]:
    result = cli(["render", str(path), "--validate", "--format", "json"])
    payload: dict[str, Any] = json.loads(result.stdout)
    assert result.exit_code == 0, payload["validation"]
    [verdict] = payload["validation"]
    assert verdict["ok"] and verdict["entry"] == "nginx-harbor.conf"
    return verdict


def test_example_validates_and_matches_its_committed_output(cli: Any, tmp_path: Path) -> None:
    spec = tmp_path / EXAMPLE.name
    shutil.copy(EXAMPLE, spec)
    shutil.copytree(EXAMPLE.with_suffix(""), tmp_path / EXAMPLE.stem)
    assert cli(["render", str(spec), "--check"]).exit_code == 0
    verdict = validate(cli, spec)
    assert any("stub certificate/key" in note for note in verdict["notes"])


@pytest.mark.parametrize(
    "variant",
    [
        pytest.param(lambda h: h.update(version="2.14.0"), id="harbor-2.14"),
        pytest.param(lambda h: h.update(realm_rewrite=False), id="rewrite-off"),
        pytest.param(lambda h: h.update(external_url_entry="external", version="2.14.0"), id="http-external-url"),
        pytest.param(lambda h: h.update(version="2.15.2", registry_timeout="1h"), id="long-timeout"),
        pytest.param(lambda h: h["upstream"].update(host="harbor-core.example.internal"), id="upstream-by-name"),
    ],
)
def test_variants_validate(cli: Any, write_spec: SpecWriter, variant: Callable[[dict[str, Any]], None]) -> None:
    spec = base_spec()
    variant(spec["harbor"])
    verdict = validate(cli, write_spec(spec))
    if spec["harbor"]["upstream"]["host"] == "harbor-core.example.internal":
        assert any("harbor-core.example.internal" in note for note in verdict["notes"])


def test_ipv6_binds_and_names_validate(cli: Any, write_spec: SpecWriter) -> None:
    spec = base_spec()
    harbor = spec["harbor"]
    harbor["upstream"]["host"] = "2001:db8::52"
    harbor["entries"][0]["listen_address"] = "2001:db8::5"
    harbor["entries"][1].update(listen_address="2001:db8::5", public_host="2001:db8:ffff::7")
    harbor["entries"][2]["listen_address"] = "::"
    validate(cli, write_spec(spec))


def test_a_single_https_entry_on_all_addresses_validates(cli: Any, write_spec: SpecWriter) -> None:
    spec = base_spec()
    spec["harbor"]["entries"] = [spec["harbor"]["entries"][2]]
    del spec["harbor"]["entries"][0]["public_port"]
    validate(cli, write_spec(spec))
