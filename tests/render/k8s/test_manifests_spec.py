"""Every value of `k8s_gateway.manifests` is validated: hostile or impossible values are refused with
file:line:field and exit 2; whatever is accepted lands in the YAML as one scalar, never as a new key."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from opskit.core.spec.k8s_manifests import check_image, check_object_name, parse_image
from opskit.errors import InputError
from tests.render.k8s.manifests_support import objects, rendered_documents, with_manifests
from tests.render.k8s.support import render_k8s, write_spec

HOSTILE = ["a;b", "a\nb", "a: b", "{{ x }}", "a b", "a#b", "x" * 300, "", "A", "a\tb", "a'b", '"a"', "-a", "a-"]


def run_bad(cli: Any, tmp_path: Path, k8s: dict[str, Any]) -> list[str]:
    spec = write_spec(tmp_path, k8s)
    result = cli(["render", str(spec)])
    assert result.exit_code == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "gw").exists(), "nothing may be written for a bad spec"
    lines = result.stderr.strip().splitlines()
    listed = lines[1:] or [lines[0].removeprefix("opskit: error: ")]
    return [line.strip().replace(str(tmp_path) + "/", "") for line in listed]


# conf_dir is a path, not a name: upper case and hyphens are fine there, so those cases do not apply.
HOSTILE_CASES = [(field, value) for field in ("name", "namespace", "image") for value in HOSTILE] + [
    ("conf_dir", "/etc/nginx/" + value) for value in HOSTILE if value not in ("", "A", "-a", "a-")
]


HOSTILE_IDS = [f"{field}-{index}" for index, (field, _) in enumerate(HOSTILE_CASES)]


@pytest.mark.parametrize(("field", "hostile"), HOSTILE_CASES, ids=HOSTILE_IDS)
def test_hostile_values_in_the_new_fields_are_refused(cli: Any, tmp_path: Path, field: str, hostile: str) -> None:
    problems = run_bad(cli, tmp_path, with_manifests("nginx", **{field: hostile}))
    assert len(problems) == 1
    assert problems[0].startswith("gw.yaml:") and f"k8s_gateway.manifests.{field}: " in problems[0], problems


@pytest.mark.parametrize(
    ("changes", "field", "problem"),
    [
        ({"image": "nginx"}, "image", "has no tag or digest"),
        ({"image": "nginx:latest@sha256:abc"}, "image", "is not an image reference"),
        ({"replicas": 0}, "replicas", "greater than or equal to 1"),
        ({"replicas": 101}, "replicas", "less than or equal to 100"),
        ({"replicas": "2"}, "replicas", "valid integer"),
        ({"resources": {"requests": {"cpu": "-1"}}}, "resources.requests.cpu", "not a CPU quantity"),
        ({"resources": {"requests": {"cpu": "0m"}}}, "resources.requests.cpu", "more than zero"),
        ({"resources": {"limits": {"memory": "1Mi"}}}, "resources.limits.memory", "less than 4Mi"),
        ({"resources": {"limits": {"memory": "64MB"}}}, "resources.limits.memory", "not a memory quantity"),
        ({"resources": {"limits": {"memory": "32Mi"}}}, "resources", "requests.memory 64Mi is more than limits"),
        ({"service": {"node_port": 30080}}, "service", "node_port needs type NodePort"),
        ({"service": {"type": "NodePort", "node_port": 80}}, "service.node_port", "outside 30000-32767"),
        ({"service": {"type": "ExternalName"}}, "service.type", "'ClusterIP', 'NodePort' or 'LoadBalancer'"),
        ({"conf_dir": "/etc/nginx"}, "conf_dir", "replaced by the ConfigMap volume"),
        ({"conf_dir": "/etc"}, "conf_dir", "replaced by the ConfigMap volume"),
        ({"namespace": None}, "namespace", "required key is missing"),
        ({"image": None}, "image", "required key is missing"),
        ({"colour": "red"}, "colour", "unknown key"),
    ],
)
def test_impossible_values_are_refused_with_the_field(
    cli: Any, tmp_path: Path, changes: dict[str, Any], field: str, problem: str
) -> None:
    k8s = with_manifests("nginx")
    for key, value in changes.items():
        if value is None:
            del k8s["manifests"][key]
        else:
            k8s["manifests"][key] = value
    (found,) = run_bad(cli, tmp_path, k8s)
    assert f"k8s_gateway.manifests.{field}: " in found, found
    assert problem in found


@pytest.mark.parametrize(
    ("flavor", "changes", "problem"),
    [
        ("tengine", {"image": "nginx:1.28.0"}, "stock nginx, which has no `dynamic_resolve`"),
        ("tengine", {"image": "docker.io/library/nginx:1.28.0"}, "stock nginx"),
        ("tengine", {"conf_dir": None}, "flavor tengine needs `conf_dir`"),
        ("nginx-1.28", {"image": "nginx:1.26.3-alpine"}, "`server ... resolve` needs nginx >= 1.27.3"),
        ("nginx-1.28", {"image": "nginx:1.27.2"}, "needs nginx >= 1.27.3"),
        ("nginx-1.28", {"image": "nginxinc/nginx-unprivileged:1.25"}, "needs nginx >= 1.27.3"),
    ],
)
def test_an_image_that_cannot_run_the_flavor_is_refused(
    cli: Any, tmp_path: Path, flavor: str, changes: dict[str, Any], problem: str
) -> None:
    k8s = with_manifests(flavor)
    for key, value in changes.items():
        if value is None:
            del k8s["manifests"][key]
        else:
            k8s["manifests"][key] = value
    (found,) = run_bad(cli, tmp_path, k8s)
    assert "k8s_gateway.manifests: " in found and problem in found, found


@pytest.mark.parametrize("image", ["nginx:1.27.3", "nginx:1.28.0-alpine", "nginx:stable", "nginx:1.29"])
def test_images_new_enough_for_nginx_1_28_are_accepted(image: str) -> None:
    render_k8s(with_manifests("nginx-1.28", image=image))


def test_a_listen_address_the_probes_cannot_reach_is_refused(cli: Any, tmp_path: Path) -> None:
    k8s = with_manifests("nginx") | {"listen": {"port": 8080, "addresses": ["127.0.0.1"]}}
    (found,) = run_bad(cli, tmp_path, k8s)
    assert "listen.addresses must be empty" in found
    render_k8s(with_manifests("nginx") | {"listen": {"port": 8080, "addresses": ["0.0.0.0", "::"]}})


@pytest.mark.parametrize(
    ("reference", "parsed"),
    [
        ("nginx:1.28", ("docker.io", "library/nginx", "1.28", None)),
        ("library/nginx:1.28", ("docker.io", "library/nginx", "1.28", None)),
        ("localhost/gw:1", ("localhost", "gw", "1", None)),
        ("localhost:5000/gw/tengine:3.1.0", ("localhost:5000", "gw/tengine", "3.1.0", None)),
        ("registry.example.com/a/b/c:x_y.z-1", ("registry.example.com", "a/b/c", "x_y.z-1", None)),
        ("nginx@sha256:" + "0" * 64, ("docker.io", "library/nginx", None, "sha256:" + "0" * 64)),
    ],
)
def test_image_references_follow_the_oci_grammar(reference: str, parsed: tuple[str, ...]) -> None:
    assert parse_image(reference) == parsed


@pytest.mark.parametrize(
    "reference",
    [
        "Nginx:1",
        "nginx:",
        "nginx:-1",
        "nginx:1 ",
        "nginx::1",
        "ngi__x:1" + "x" * 0,
        "nginx:" + "1" * 129,
        "nginx@sha256:abc",
        "/nginx:1",
        "nginx/:1",
        "a..b/c:1",
        "nginx:1\n",
    ],
)
def test_references_outside_the_grammar_are_refused(reference: str) -> None:
    if reference == "ngi__x:1":  # `__` is a valid separator: this one must pass
        check_image(reference)
        return
    with pytest.raises(ValueError):
        check_image(reference)


SCALAR_FIELDS = ("name", "namespace", "image")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(field=st.sampled_from(SCALAR_FIELDS), text=st.text(min_size=1, max_size=80))
def test_any_accepted_value_is_one_scalar_in_the_yaml(field: str, text: str) -> None:
    """Hostile text is refused, or it lands as exactly the value given: the key structure never changes."""
    clean = with_manifests("nginx")
    expected = _key_paths(objects(rendered_documents(clean)))
    hostile = copy.deepcopy(clean)
    hostile["manifests"][field] = text
    try:
        documents = objects(rendered_documents(hostile))
    except InputError:
        return
    assert _key_paths(documents) == expected
    if field == "name":
        assert documents["k8s-gateway-deployment.yaml"]["metadata"]["name"] == text
        check_object_name(text)


def _key_paths(data: Any, prefix: str = "") -> set[str]:
    if isinstance(data, dict):
        found = {f"{prefix}/{key}" for key in data}
        for key, value in data.items():
            found |= _key_paths(value, f"{prefix}/{key}")
        return found
    if isinstance(data, list):
        return set().union(*(_key_paths(item, f"{prefix}[]") for item in data)) if data else set()
    return set()


def test_the_example_manifests_block_survives_every_leaf_made_hostile() -> None:
    """Each string leaf of the manifests block, with hostile text around it: refused or inert."""
    clean = with_manifests("nginx", resources={"requests": {"cpu": "100m", "memory": "64Mi"}})
    expected = _key_paths(objects(rendered_documents(clean)))
    leaves = [("name",), ("namespace",), ("image",), ("resources", "requests", "cpu")]
    leaves.append(("resources", "requests", "memory"))
    for path in leaves:
        for hostile in ("\nkind: Secret", ": x", "{{ x }}", "; rm", "\u2028", "#"):
            data = copy.deepcopy(clean)
            parent = data["manifests"]
            for part in path[:-1]:
                parent = parent[part]
            original = parent[path[-1]]
            for value in (original + hostile, hostile + original):
                parent[path[-1]] = value
                try:
                    documents = objects(rendered_documents(data))
                except InputError:
                    continue
                assert _key_paths(documents) == expected, (path, value)
                text = yaml.safe_dump(documents)
                assert "Secret" not in text, (path, value)


def test_manifests_true_says_what_is_missing_and_false_means_none(cli: Any, tmp_path: Path) -> None:
    k8s = with_manifests("nginx")
    k8s["manifests"] = True
    (found,) = run_bad(cli, tmp_path, k8s)
    assert "k8s_gateway.manifests: " in found and "at least `namespace` and `image`" in found
    k8s["manifests"] = False
    assert not [name for name in render_k8s(k8s).files if name.endswith(".yaml")]
