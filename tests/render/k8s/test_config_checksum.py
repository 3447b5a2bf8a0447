"""The pod template's config checksum changes exactly when the rendered config changes.

That is what makes `kubectl apply` roll the gateway Pods on a config change (the kubelet never makes
a running nginx reload), and leaves them alone when only the Deployment's own fields change.
"""

from __future__ import annotations

from typing import Any

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from opskit.core.render.k8s import CONFIG_FILE
from opskit.core.render.k8s_manifests import CHECKSUM_ANNOTATION, DEPLOYMENT_FILE, config_checksum
from tests.render.k8s.support import render_k8s

# Fields that reach nginx-k8s-gateway.conf ...
config_fields = st.fixed_dictionaries(
    {
        "valid": st.integers(5, 30).map(lambda n: f"{n}s"),
        "listen_port": st.sampled_from([80, 8080, 8443]),
        "route_port": st.integers(1, 65535),
        "prefix": st.sampled_from(["/api/", "/api/sys/", "/v1.2/", "/a"]),
        "server_names": st.lists(st.sampled_from(["a.example", "b.example"]), unique=True, max_size=2),
        "cluster_domain": st.sampled_from(["cluster.local", "corp.internal"]),
    }
)
# ... and fields that only reach the manifests.
manifest_fields = st.fixed_dictionaries(
    {
        "replicas": st.integers(1, 100),
        "image": st.sampled_from(["nginx:1.28.0-alpine", "nginx:1.29", "registry.example.com/gw/nginx:1.28.1"]),
        "namespace": st.sampled_from(["edge", "gateway"]),
        "cpu": st.sampled_from(["100m", "0.5", "2"]),
        "service": st.sampled_from([True, False, {"type": "NodePort"}]),
    }
)


def spec_for(config: dict[str, Any], manifests: dict[str, Any]) -> dict[str, Any]:
    return {
        "flavor": "nginx-1.28",
        "cluster_domain": config["cluster_domain"],
        "resolver": {"address": "10.96.0.10", "valid": config["valid"]},
        "listen": {"port": config["listen_port"]},
        "server_names": config["server_names"],
        "routes": [
            {"name": "r", "prefix": config["prefix"], "service": "s", "namespace": "n", "port": config["route_port"]}
        ],
        "manifests": {
            "namespace": manifests["namespace"],
            "image": manifests["image"],
            "replicas": manifests["replicas"],
            "resources": {"requests": {"cpu": manifests["cpu"]}},
            "service": manifests["service"],
        },
    }


def config_and_checksum(k8s: dict[str, Any]) -> tuple[str, str]:
    files = render_k8s(k8s).files
    deployment = yaml.safe_load(files[DEPLOYMENT_FILE])
    return files[CONFIG_FILE], deployment["spec"]["template"]["metadata"]["annotations"][CHECKSUM_ANNOTATION]


@settings(max_examples=60, deadline=None)
@given(first=config_fields, second=config_fields, manifests=manifest_fields)
def test_checksum_differs_exactly_when_the_config_differs(
    first: dict[str, Any], second: dict[str, Any], manifests: dict[str, Any]
) -> None:
    config_a, checksum_a = config_and_checksum(spec_for(first, manifests))
    config_b, checksum_b = config_and_checksum(spec_for(second, manifests))
    assert (config_a == config_b) == (checksum_a == checksum_b)


@settings(max_examples=40, deadline=None)
@given(config=config_fields, first=manifest_fields, second=manifest_fields)
def test_manifest_only_changes_keep_the_checksum(
    config: dict[str, Any], first: dict[str, Any], second: dict[str, Any]
) -> None:
    config_a, checksum_a = config_and_checksum(spec_for(config, first))
    config_b, checksum_b = config_and_checksum(spec_for(config, second))
    assert config_a == config_b  # replicas, image, namespace, resources, Service: not in the config
    assert checksum_a == checksum_b


@settings(max_examples=20, deadline=None)
@given(config=config_fields, manifests=manifest_fields)
def test_an_identical_render_has_an_identical_checksum(config: dict[str, Any], manifests: dict[str, Any]) -> None:
    assert config_and_checksum(spec_for(config, manifests)) == config_and_checksum(spec_for(config, manifests))


@settings(max_examples=200, deadline=None)
@given(first=st.text(max_size=200), second=st.text(max_size=200), name=st.sampled_from([CONFIG_FILE, "x.conf"]))
def test_checksum_function_separates_any_two_contents(first: str, second: str, name: str) -> None:
    assert (config_checksum({name: first}) == config_checksum({name: second})) == (first == second)
    # a file name is part of what is mounted: renaming the file is a change too
    assert config_checksum({name: first}) != config_checksum({name + ".bak": first})
