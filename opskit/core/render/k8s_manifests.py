"""The gateway as Kubernetes objects: ConfigMap, Deployment, Service and a kustomization.yaml.

Built as data and written by a YAML dumper (never a text template): a spec value can only ever be a
scalar, so it cannot add a key, and the key order is the one written here, the same on every run.

Design (docs/render-k8s.md has the long form):
- The ConfigMap holds the rendered ``conf.d`` file byte for byte and is mounted as the **whole**
  conf.d directory, so the image's ``default.conf`` is gone (a second ``default_server`` or a literal
  ``proxy_pass`` beside ours would change what ours does).
- The pod template carries ``opskit.dev/config-sha256``, the sha256 of the ConfigMap's data: a config
  change changes the template, so ``kubectl apply`` rolls the Pods; anything else leaves it alone.
- Probes are TCP on the listen port: "nginx has loaded a config and listens" is what a gateway Pod
  must prove. An HTTP probe would need a location no route owns, and must not depend on backends
  (one backend down must not take the gateway out of its Service).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any

import yaml

from opskit.core.render.model import RenderContext, ValidationTarget
from opskit.core.spec.k8s import K8sGatewaySpec
from opskit.core.spec.k8s_manifests import ManifestsSpec, conf_dir_for
from opskit.errors import InputError

# The Kubernetes minor versions the manifests are checked against (tests and `render --validate`):
# the four newest that kubernetes-validate bundles and that this code was checked with.
SUPPORTED_KUBERNETES_VERSIONS: tuple[str, ...] = ("1.34", "1.35", "1.36", "1.37")

CHECKSUM_ANNOTATION = "opskit.dev/config-sha256"
CONFIGMAP_FILE = "k8s-gateway-configmap.yaml"
DEPLOYMENT_FILE = "k8s-gateway-deployment.yaml"
SERVICE_FILE = "k8s-gateway-service.yaml"
KUSTOMIZATION_FILE = "kustomization.yaml"
CONTAINER_NAME = "gateway"
CONFIG_VOLUME = "conf-d"
PORT_NAME = "http"
# Lets the endpoints controller and kube-proxy drop a terminating Pod before nginx stops accepting
# (without it, requests in flight to that Pod during a rollout get connection refused).
PRE_STOP_SLEEP_SECONDS = 5
PRIVILEGED_PORT_LIMIT = 1024
# The API server refuses a ConfigMap whose data is larger than 1 MiB (etcd's object size budget).
CONFIGMAP_MAX_BYTES = 1024 * 1024


def config_checksum(config_files: Mapping[str, str]) -> str:
    """sha256 over the ConfigMap's data: every (file name, content) pair, in name order, NUL-separated.

    Depends on nothing but the rendered config, so replicas, image or resources never roll the Pods
    through it (they change the pod template themselves when they matter).
    """
    digest = hashlib.sha256()
    for name in sorted(config_files):
        digest.update(name.encode() + b"\0" + config_files[name].encode() + b"\0")
    return digest.hexdigest()


def _labels(manifests: ManifestsSpec) -> dict[str, str]:
    return {
        "app.kubernetes.io/name": manifests.name,
        "app.kubernetes.io/component": "gateway",
        "app.kubernetes.io/managed-by": "opskit",
    }


def _selector(manifests: ManifestsSpec) -> dict[str, str]:
    # Only the name: a Deployment's selector cannot change after creation, so it holds nothing else.
    return {"app.kubernetes.io/name": manifests.name}


def _metadata(manifests: ManifestsSpec, name: str) -> dict[str, Any]:
    return {"name": name, "namespace": manifests.namespace, "labels": _labels(manifests)}


def configmap_name(manifests: ManifestsSpec) -> str:
    return f"{manifests.name}-conf-d"


def configmap(manifests: ManifestsSpec, config_files: Mapping[str, str]) -> dict[str, Any]:
    return {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": _metadata(manifests, configmap_name(manifests)),
        "data": {name: config_files[name] for name in sorted(config_files)},
    }


def _resources(manifests: ManifestsSpec) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for kind, amounts in (("requests", manifests.resources.requests), ("limits", manifests.resources.limits)):
        values = {key: value for key, value in (("cpu", amounts.cpu), ("memory", amounts.memory)) if value}
        if values:
            result[kind] = values
    return result


def _security_context(listen_port: int) -> dict[str, Any]:
    # nginx's master runs as root to bind the port and to switch its workers to an unprivileged user;
    # it needs exactly these capabilities for that, and nothing else of the runtime's default set.
    added = ["CHOWN", "SETGID", "SETUID"]
    if listen_port < PRIVILEGED_PORT_LIMIT:
        added.append("NET_BIND_SERVICE")
    return {
        "allowPrivilegeEscalation": False,
        "capabilities": {"drop": ["ALL"], "add": added},
    }


def _probe(period_seconds: int, failure_threshold: int) -> dict[str, Any]:
    return {
        "tcpSocket": {"port": PORT_NAME},
        "periodSeconds": period_seconds,
        "timeoutSeconds": 2,
        "failureThreshold": failure_threshold,
    }


def deployment(gateway: K8sGatewaySpec, manifests: ManifestsSpec, checksum: str) -> dict[str, Any]:
    port = gateway.listen.port
    container: dict[str, Any] = {
        "name": CONTAINER_NAME,
        "image": manifests.image,
        "ports": [{"name": PORT_NAME, "containerPort": port, "protocol": "TCP"}],
        "readinessProbe": _probe(period_seconds=5, failure_threshold=2),
        "livenessProbe": _probe(period_seconds=10, failure_threshold=3),
        "lifecycle": {"preStop": {"sleep": {"seconds": PRE_STOP_SLEEP_SECONDS}}},
        "resources": _resources(manifests),
        "securityContext": _security_context(port),
        "volumeMounts": [{"name": CONFIG_VOLUME, "mountPath": conf_dir_for(manifests), "readOnly": True}],
    }
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": _metadata(manifests, manifests.name),
        "spec": {
            "replicas": manifests.replicas,
            "revisionHistoryLimit": 5,
            "selector": {"matchLabels": _selector(manifests)},
            # Never below the wanted capacity while a config change rolls out.
            "strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": 1, "maxUnavailable": 0}},
            "template": {
                "metadata": {"labels": _labels(manifests), "annotations": {CHECKSUM_ANNOTATION: checksum}},
                "spec": {
                    # The gateway never talks to the API server.
                    "automountServiceAccountToken": False,
                    "securityContext": {"seccompProfile": {"type": "RuntimeDefault"}},
                    "terminationGracePeriodSeconds": 30,
                    "containers": [container],
                    "volumes": [{"name": CONFIG_VOLUME, "configMap": {"name": configmap_name(manifests)}}],
                },
            },
        },
    }


def service(manifests: ManifestsSpec) -> dict[str, Any] | None:
    spec_service = manifests.service
    if spec_service is None:
        return None
    port: dict[str, Any] = {"name": PORT_NAME, "port": spec_service.port, "targetPort": PORT_NAME, "protocol": "TCP"}
    if spec_service.node_port is not None:
        port["nodePort"] = spec_service.node_port
    return {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": _metadata(manifests, manifests.name),
        "spec": {"type": spec_service.type, "selector": _selector(manifests), "ports": [port]},
    }


def kustomization(resources: list[str]) -> dict[str, Any]:
    return {
        "apiVersion": "kustomize.config.k8s.io/v1beta1",
        "kind": "Kustomization",
        "resources": resources,
    }


def _represent_str(dumper: Any, value: str) -> Any:
    if "\n" in value:
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")
    return dumper.represent_scalar("tag:yaml.org,2002:str", value)


# A SafeDumper of our own (PyYAML's representers are class-level: changing SafeDumper would change
# every other YAML opskit writes): multi-line strings as literal blocks, so a ConfigMap stays readable.
_ManifestDumper: Any = type("_ManifestDumper", (yaml.SafeDumper,), {})
_ManifestDumper.add_representer(str, _represent_str)


def dump_yaml(document: Mapping[str, Any]) -> str:
    """One YAML document, keys in the order they were built (stable), never wrapped or aliased."""
    text: str = yaml.dump(
        document, Dumper=_ManifestDumper, sort_keys=False, default_flow_style=False, width=10_000, allow_unicode=False
    )
    return text


def render_manifests(
    gateway: K8sGatewaySpec, manifests: ManifestsSpec, config_files: Mapping[str, str], ctx: RenderContext
) -> dict[str, str]:
    """Every manifest file by name (kustomization.yaml included), each starting with opskit's header."""
    size = sum(len(name.encode()) + len(text.encode()) for name, text in config_files.items())
    if size > CONFIGMAP_MAX_BYTES:
        raise InputError.at(
            ctx.spec_name,
            None,
            "k8s_gateway.manifests",
            f"the rendered config is {size} bytes; a ConfigMap holds at most {CONFIGMAP_MAX_BYTES} "
            "(1 MiB): split the routes over several gateways",
        )
    documents: dict[str, dict[str, Any]] = {
        CONFIGMAP_FILE: configmap(manifests, config_files),
        DEPLOYMENT_FILE: deployment(gateway, manifests, config_checksum(config_files)),
    }
    service_document = service(manifests)
    if service_document is not None:
        documents[SERVICE_FILE] = service_document
    files = {name: ctx.header("#") + dump_yaml(document) for name, document in documents.items()}
    files[KUSTOMIZATION_FILE] = ctx.header("#") + dump_yaml(kustomization(list(documents)))
    return files


def manifest_validation(files: Mapping[str, str]) -> ValidationTarget:
    """Every object file, checked against the OpenAPI schemas of each supported Kubernetes version."""
    objects = sorted(name for name in files if name != KUSTOMIZATION_FILE)
    return ValidationTarget(
        tool="kubernetes",
        entry=objects[0],
        http_snippet=False,
        extra_entries=tuple(objects[1:]),
        kubernetes_versions=SUPPORTED_KUBERNETES_VERSIONS,
    )
