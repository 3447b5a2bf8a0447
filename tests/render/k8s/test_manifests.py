"""`k8s_gateway.manifests`: objects a cluster accepts, mounting the config the way the issue asks.

Schema checks use the OpenAPI schemas kubernetes-validate bundles, for every supported version, in
strict mode (an unknown field is an error, as with `kubectl apply --validate=strict`).
"""

from __future__ import annotations

import hashlib
from typing import Any

import pytest
import yaml

from opskit.adapters.k8s_schema import schema_problems
from opskit.core.render.k8s import CONFIG_FILE
from opskit.core.render.k8s_manifests import CHECKSUM_ANNOTATION, SUPPORTED_KUBERNETES_VERSIONS
from tests.render.k8s.manifests_support import (
    CONFIGMAP_FILE,
    DEPLOYMENT_FILE,
    KUSTOMIZATION_FILE,
    SERVICE_FILE,
    objects,
    rendered_documents,
    with_manifests,
)
from tests.render.k8s.support import render_k8s

VARIANTS: dict[str, dict[str, Any]] = {
    "nginx-defaults": with_manifests("nginx"),
    "nginx-1.28-nodeport-limits": with_manifests(
        "nginx-1.28",
        replicas=3,
        resources={"requests": {"cpu": "0.5", "memory": "128Mi"}, "limits": {"cpu": 1, "memory": "1Gi"}},
        service={"type": "NodePort", "port": 8080, "node_port": 30080},
    ),
    "tengine-no-service-digest": with_manifests(
        "tengine",
        image="registry.example.com:5000/gw/tengine:3.1.0@sha256:" + "ab" * 32,
        conf_dir="/usr/local/nginx/conf/conf.d",
        service=False,
    ),
    "nginx-loadbalancer-port-80": {
        **with_manifests("nginx", service={"type": "LoadBalancer"}),
        "listen": {"port": 80},
    },
}


@pytest.mark.parametrize("version", SUPPORTED_KUBERNETES_VERSIONS)
@pytest.mark.parametrize("variant", sorted(VARIANTS))
def test_every_object_passes_the_strict_schema_of_every_supported_version(variant: str, version: str) -> None:
    for name, document in objects(rendered_documents(VARIANTS[variant])).items():
        assert schema_problems(document, version) == [], name


@pytest.mark.parametrize("version", SUPPORTED_KUBERNETES_VERSIONS)
def test_the_schema_check_can_fail(version: str) -> None:
    documents = objects(rendered_documents(VARIANTS["nginx-defaults"]))
    deployment = documents[DEPLOYMENT_FILE]
    deployment["spec"]["template"]["spec"]["containers"][0]["livenessprobe"] = {}  # typo: lower-case p
    problems = schema_problems(deployment, version)
    assert problems and "livenessprobe" in problems[0]
    deployment = rendered_documents(VARIANTS["nginx-defaults"])[DEPLOYMENT_FILE]
    deployment["spec"]["replicas"] = "2"
    assert schema_problems(deployment, version)


def test_kustomization_lists_exactly_the_object_files_written() -> None:
    for variant, k8s in VARIANTS.items():
        family = render_k8s(k8s)
        yaml_files = {name for name in family.files if name.endswith(".yaml")}
        kustomization = yaml.safe_load(family.files[KUSTOMIZATION_FILE])
        assert kustomization["kind"] == "Kustomization"
        assert sorted(kustomization["resources"]) == sorted(yaml_files - {KUSTOMIZATION_FILE}), variant
        assert len(set(kustomization["resources"])) == len(kustomization["resources"])
    assert SERVICE_FILE not in render_k8s(VARIANTS["tengine-no-service-digest"]).files


def test_without_manifests_nothing_but_the_config_and_report_is_rendered() -> None:
    k8s = with_manifests("nginx")
    del k8s["manifests"]
    assert sorted(render_k8s(k8s).files) == sorted([CONFIG_FILE, "k8s-gateway-report.txt"])


def test_configmap_holds_the_rendered_config_byte_for_byte_and_is_the_whole_conf_d() -> None:
    family = render_k8s(VARIANTS["tengine-no-service-digest"])
    documents = {name: yaml.safe_load(family.files[name]) for name in (CONFIGMAP_FILE, DEPLOYMENT_FILE)}
    configmap, deployment = documents[CONFIGMAP_FILE], documents[DEPLOYMENT_FILE]
    assert configmap["data"] == {CONFIG_FILE: family.files[CONFIG_FILE]}
    pod = deployment["spec"]["template"]["spec"]
    (volume,) = pod["volumes"]
    assert volume["configMap"] == {"name": configmap["metadata"]["name"]}  # no `items`: every key, nothing else
    (container,) = pod["containers"]
    (mount,) = container["volumeMounts"]
    # A directory mount without subPath: the volume replaces conf.d, so default.conf is not there, and
    # the kubelet updates it; a subPath mount would leave default.conf beside ours and never update.
    assert mount == {"name": volume["name"], "mountPath": "/usr/local/nginx/conf/conf.d", "readOnly": True}


def test_checksum_annotation_is_the_sha256_of_the_written_config() -> None:
    family = render_k8s(VARIANTS["nginx-defaults"])
    deployment = yaml.safe_load(family.files[DEPLOYMENT_FILE])
    annotations = deployment["spec"]["template"]["metadata"]["annotations"]
    expected = hashlib.sha256(CONFIG_FILE.encode() + b"\0" + family.files[CONFIG_FILE].encode() + b"\0")
    assert annotations == {CHECKSUM_ANNOTATION: expected.hexdigest()}


def test_probes_target_the_listen_port_and_the_service_reaches_it() -> None:
    documents = rendered_documents(VARIANTS["nginx-1.28-nodeport-limits"] | {"listen": {"port": 8443}})
    (container,) = documents[DEPLOYMENT_FILE]["spec"]["template"]["spec"]["containers"]
    (port,) = container["ports"]
    assert port == {"name": "http", "containerPort": 8443, "protocol": "TCP"}
    for probe in ("readinessProbe", "livenessProbe"):
        assert container[probe]["tcpSocket"] == {"port": "http"}
    service = documents[SERVICE_FILE]
    assert service["spec"]["ports"] == [
        {"name": "http", "port": 8080, "targetPort": "http", "protocol": "TCP", "nodePort": 30080}
    ]
    assert service["spec"]["selector"] == documents[DEPLOYMENT_FILE]["spec"]["selector"]["matchLabels"]
    assert set(service["spec"]["selector"].items()) <= set(
        documents[DEPLOYMENT_FILE]["spec"]["template"]["metadata"]["labels"].items()
    )


@pytest.mark.parametrize(("port", "bind_capability"), [(80, True), (1023, True), (1024, False), (8080, False)])
def test_capabilities_are_what_nginx_needs_and_no_more(port: int, bind_capability: bool) -> None:
    documents = rendered_documents(with_manifests("nginx") | {"listen": {"port": port}})
    (container,) = documents[DEPLOYMENT_FILE]["spec"]["template"]["spec"]["containers"]
    security = container["securityContext"]
    assert security["allowPrivilegeEscalation"] is False
    assert security["capabilities"]["drop"] == ["ALL"]
    expected = {"CHOWN", "SETGID", "SETUID"} | ({"NET_BIND_SERVICE"} if bind_capability else set())
    assert set(security["capabilities"]["add"]) == expected


def test_every_object_is_in_the_spec_namespace_and_named_from_the_spec() -> None:
    documents = objects(rendered_documents(with_manifests("nginx", namespace="gw-ns", name="front")))
    assert {doc["metadata"]["namespace"] for doc in documents.values()} == {"gw-ns"}
    assert documents[DEPLOYMENT_FILE]["metadata"]["name"] == "front"
    assert documents[SERVICE_FILE]["metadata"]["name"] == "front"
    assert documents[CONFIGMAP_FILE]["metadata"]["name"] == "front-conf-d"


def test_the_report_names_the_gateway_service_with_the_cluster_domain() -> None:
    family = render_k8s(with_manifests("nginx", namespace="gw-ns", name="front") | {"cluster_domain": "corp.internal"})
    assert "front.gw-ns.svc.corp.internal:80 (ClusterIP)" in family.report
    assert "sys.demowms.svc.corp.internal:8150" in family.report


def test_the_report_tells_how_to_read_the_cluster_dns_address_only_when_the_spec_has_none() -> None:
    named = render_k8s(with_manifests("nginx") | {"resolver": {"valid": "5s"}}).report
    assert "kubectl -n kube-system get svc kube-dns" in named
    assert "resolves it ONCE at start-up" in named
    assert "kubectl -n kube-system" not in render_k8s(with_manifests("nginx")).report  # 10.96.0.10 given


def test_yaml_keys_keep_the_kubernetes_order_and_every_file_carries_the_header() -> None:
    family = render_k8s(VARIANTS["nginx-defaults"])
    for name, text in family.files.items():
        if not name.endswith(".yaml"):
            continue
        lines = text.splitlines()
        assert lines[0].startswith("# generated by opskit from gw.yaml"), name
        top_keys = [line.split(":")[0] for line in lines if line[:1].isalpha()]
        assert top_keys[:2] == ["apiVersion", "kind"], name


def test_a_config_too_big_for_a_configmap_is_refused() -> None:
    from opskit.core.render.k8s_manifests import CONFIGMAP_MAX_BYTES, render_manifests
    from opskit.core.render.model import RenderContext
    from opskit.core.spec.loader import load_spec_text
    from opskit.core.spec.model import SiteSpec
    from opskit.errors import InputError
    from tests.render.k8s.support import spec_yaml

    gateway = load_spec_text(SiteSpec, spec_yaml(VARIANTS["nginx-defaults"]), "gw.yaml").k8s_gateway
    assert gateway is not None and gateway.manifests is not None
    ctx = RenderContext("gw.yaml")
    limit = CONFIGMAP_MAX_BYTES - len(CONFIG_FILE)
    render_manifests(gateway, gateway.manifests, {CONFIG_FILE: "#" * limit}, ctx)  # exactly 1 MiB: fine
    with pytest.raises(InputError) as raised:
        render_manifests(gateway, gateway.manifests, {CONFIG_FILE: "#" * (limit + 1)}, ctx)
    assert "at most 1048576" in str(raised.value)
