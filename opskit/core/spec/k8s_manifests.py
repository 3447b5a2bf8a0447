"""Spec section ``k8s_gateway.manifests``: deploy the rendered gateway config as Kubernetes objects.

Opt-in. Without it the family renders the ``conf.d`` file only and the user mounts it by hand, which is
where deployments go wrong (scenarios §3 follow-up): a stale ConfigMap, Pods that never restart on a
change, the image's ``default.conf`` left beside the file, a resolver that is not the cluster's DNS.

Every value here ends up in a YAML document. The YAML is produced by a dumper from data, so no value
can add a key; the validators below still refuse anything Kubernetes itself would refuse, so a spec
that passes renders objects the API server accepts (checked against the OpenAPI schemas in tests).
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BeforeValidator, Field, field_validator, model_validator

from opskit.core.spec.base import SpecModel
from opskit.core.spec.types import AbsPath, DnsLabel, Port

MAX_REPLICAS = 100
MAX_CONF_DIR = 255
NODE_PORT_RANGE = (30000, 32767)  # the API server's default --service-node-port-range
DEFAULT_CONF_DIR = "/etc/nginx/conf.d"  # the official nginx image's nginx.conf includes conf.d/*.conf


def _require_text(value: object, what: str) -> str:
    if not isinstance(value, str):
        raise ValueError(f"{what} must be text, got {type(value).__name__} {value!r} (quote it in YAML)")
    return value


_DNS1035_LABEL = re.compile(r"^[a-z]([a-z0-9-]{0,61}[a-z0-9])?$")


def check_object_name(value: object) -> str:
    """A name for the Deployment, its Service and ConfigMap: an RFC 1035 label, because a Service name
    must start with a letter (the Deployment alone would allow an RFC 1123 subdomain)."""
    text = _require_text(value, "name")
    if not _DNS1035_LABEL.fullmatch(text):
        raise ValueError(
            f"{text!r} is not a Kubernetes Service name (RFC 1035 label: lower-case letters, digits and "
            "inner hyphens, starting with a letter, 1-63 characters)"
        )
    return text


# The OCI distribution reference grammar (distribution/reference's grammar, re-expressed here):
#   reference := name [":" tag] ["@" digest]; name := [domain "/"] path-component ["/" path-component]*
_DOMAIN_COMPONENT = r"(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])"
_DOMAIN = rf"{_DOMAIN_COMPONENT}(?:\.{_DOMAIN_COMPONENT})*(?::[0-9]+)?"
_PATH_COMPONENT = r"[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*"
_TAG = r"[\w][\w.-]{0,127}"
_DIGEST = r"[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}"
_REFERENCE = re.compile(
    rf"^(?P<name>(?:(?P<domain>{_DOMAIN})/)?(?P<path>{_PATH_COMPONENT}(?:/{_PATH_COMPONENT})*))"
    rf"(?::(?P<tag>{_TAG}))?(?:@(?P<digest>{_DIGEST}))?$",
    re.ASCII,
)
MAX_IMAGE_NAME = 255  # the grammar's limit on the name part


def _looks_like_domain(component: str) -> bool:
    # The reference grammar's rule: the first component is a registry only if it has '.', ':' or is
    # localhost (or has upper case); `library/nginx` is a Docker Hub path, not a host called library.
    return "." in component or ":" in component or component == "localhost" or component != component.lower()


def parse_image(value: object) -> tuple[str, str, str | None, str | None]:
    """``(registry, repository path, tag, digest)`` of an image reference, or ValueError.

    A tag or a digest is required: a bare ``nginx`` means ``nginx:latest``, a silent guess that changes
    under the gateway at the next Pod restart.
    """
    text = _require_text(value, "image")
    match = _REFERENCE.fullmatch(text)
    if not match:
        raise ValueError(
            f"{text!r} is not an image reference ([registry/]path[:tag][@sha256:digest]: lower-case path, "
            "no spaces, quotes or control characters)"
        )
    if len(match["name"]) > MAX_IMAGE_NAME:
        raise ValueError(f"image name {match['name'][:40]!r}... is longer than {MAX_IMAGE_NAME} characters")
    domain, path = match["domain"], match["path"]
    if domain is not None and not _looks_like_domain(domain):
        path, domain = f"{domain}/{path}", None
    if match["tag"] is None and match["digest"] is None:
        raise ValueError(f"{text!r} has no tag or digest: write one (e.g. nginx:1.28-alpine); none means :latest")
    registry = domain or "docker.io"
    if registry == "docker.io" and "/" not in path:
        path = f"library/{path}"
    return registry, path, match["tag"], match["digest"]


def check_image(value: object) -> str:
    parse_image(value)
    return str(value)


# Kubernetes quantities, restricted to what a container resource can sensibly be (no sign, no exponent).
_CPU = re.compile(r"^(?P<n>[0-9]{1,6}(?:\.[0-9]{1,3})?)(?P<unit>m?)$")
_MEMORY = re.compile(r"^(?P<n>[0-9]{1,12})(?P<unit>|k|M|G|T|Ki|Mi|Gi|Ti)$")
_MEMORY_FACTOR = {"": 1, "k": 10**3, "M": 10**6, "G": 10**9, "T": 10**12}
_MEMORY_FACTOR |= {"Ki": 2**10, "Mi": 2**20, "Gi": 2**30, "Ti": 2**40}


def _quantity_text(value: object, what: str) -> str:
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise ValueError(f"{what} must be a quantity like 100m or 64Mi, got {value!r}")
    return str(value)


def cpu_cores(text: str) -> Decimal:
    match = _CPU.fullmatch(text)
    if not match:
        raise ValueError(f"{text!r} is not a CPU quantity (cores like 0.5 or 2, or millicores like 250m)")
    amount = Decimal(match["n"]) / (1000 if match["unit"] else 1)
    if amount <= 0:
        raise ValueError(f"{text!r} must be more than zero")
    return amount


def memory_bytes(text: str) -> int:
    match = _MEMORY.fullmatch(text)
    if not match:
        raise ValueError(f"{text!r} is not a memory quantity (like 64Mi, 1Gi or 500M)")
    amount = int(match["n"]) * _MEMORY_FACTOR[match["unit"]]
    if amount < 4 * 2**20:
        raise ValueError(f"{text!r} is less than 4Mi: nginx cannot start in that")
    return amount


def _check_cpu(value: object) -> str:
    text = _quantity_text(value, "cpu")
    cpu_cores(text)
    return text


def _check_memory(value: object) -> str:
    text = _quantity_text(value, "memory")
    memory_bytes(text)
    return text


ObjectName = Annotated[str, BeforeValidator(check_object_name)]
ImageReference = Annotated[str, BeforeValidator(check_image)]
CpuQuantity = Annotated[str, BeforeValidator(_check_cpu)]
MemoryQuantity = Annotated[str, BeforeValidator(_check_memory)]


class ResourceAmounts(SpecModel):
    cpu: CpuQuantity | None = None
    memory: MemoryQuantity | None = None


class ResourcesSpec(SpecModel):
    """Container requests and limits. Default: requests only (see docs/render-k8s.md for why no limits)."""

    requests: ResourceAmounts = Field(default_factory=lambda: ResourceAmounts(cpu="100m", memory="64Mi"))
    limits: ResourceAmounts = Field(default_factory=ResourceAmounts)

    @model_validator(mode="after")
    def _requests_within_limits(self) -> ResourcesSpec:
        problems: list[str] = []
        if self.requests.cpu and self.limits.cpu and cpu_cores(self.requests.cpu) > cpu_cores(self.limits.cpu):
            problems.append(f"requests.cpu {self.requests.cpu} is more than limits.cpu {self.limits.cpu}")
        if (
            self.requests.memory
            and self.limits.memory
            and memory_bytes(self.requests.memory) > memory_bytes(self.limits.memory)
        ):
            problems.append(f"requests.memory {self.requests.memory} is more than limits.memory {self.limits.memory}")
        if problems:
            raise ValueError("; ".join(problems) + " (Kubernetes refuses a request above its limit)")
        return self


class ServiceSpec(SpecModel):
    """The Service in front of the gateway Pods."""

    type: Literal["ClusterIP", "NodePort", "LoadBalancer"] = "ClusterIP"
    port: Port = 80
    node_port: int | None = None

    @field_validator("node_port")
    @classmethod
    def _node_port_range(cls, value: int | None) -> int | None:
        if value is not None and (isinstance(value, bool) or not NODE_PORT_RANGE[0] <= value <= NODE_PORT_RANGE[1]):
            raise ValueError(f"node_port {value} is outside {NODE_PORT_RANGE[0]}-{NODE_PORT_RANGE[1]}")
        return value

    @model_validator(mode="after")
    def _node_port_needs_a_node_port_service(self) -> ServiceSpec:
        if self.node_port is not None and self.type == "ClusterIP":
            raise ValueError("node_port needs type NodePort or LoadBalancer (a ClusterIP Service has none)")
        return self


def _service_switch(value: object) -> object:
    # `service: false` leaves the Service out, `service: true` takes every default.
    if value is True:
        return {}
    if value is False:
        return None
    return value


class ManifestsSpec(SpecModel):
    """``k8s_gateway.manifests``: ConfigMap + Deployment (+ Service) + kustomization.yaml."""

    namespace: DnsLabel  # required: deploying into `default` by accident is a guess
    name: ObjectName = "k8s-gateway"
    image: ImageReference  # required: the image decides which directives exist (never guessed)
    replicas: int = Field(default=2, strict=True, ge=1, le=MAX_REPLICAS)
    # Where the image's nginx.conf includes *.conf inside http{}; the ConfigMap replaces that directory.
    conf_dir: AbsPath | None = None  # None: /etc/nginx/conf.d for the nginx flavors; tengine must say
    resources: ResourcesSpec = Field(default_factory=ResourcesSpec)
    service: Annotated[ServiceSpec | None, BeforeValidator(_service_switch)] = Field(default_factory=ServiceSpec)

    @field_validator("conf_dir")
    @classmethod
    def _not_a_system_directory(cls, value: str | None) -> str | None:
        # The ConfigMap volume hides everything that was in the directory: /etc or /etc/nginx would
        # hide nginx.conf and mime.types, and the container would not start.
        if value is None:
            return None
        if len(value) > MAX_CONF_DIR:
            raise ValueError(f"conf_dir is longer than {MAX_CONF_DIR} characters")
        if value.rstrip("/").count("/") < 2 or value.rstrip("/") in ("/etc/nginx", "/usr/local/nginx/conf"):
            raise ValueError(
                f"{value!r} would be replaced by the ConfigMap volume wholesale; name the conf.d-style "
                "directory the image's nginx.conf includes (like /etc/nginx/conf.d)"
            )
        return value


NGINX_RESOLVE_SINCE = (1, 27, 3)
_OFFICIAL_NGINX = {"library/nginx", "nginxinc/nginx-unprivileged"}
_VERSION_TAG = re.compile(r"^(?P<major>\d+)\.(?P<minor>\d+)(?:\.(?P<patch>\d+))?(?:-.*)?$")


def image_problems(flavor: str, manifests: ManifestsSpec) -> list[str]:
    """What makes this image unable to run this flavor's config (empty: nothing known against it)."""
    registry, path, tag, _ = parse_image(manifests.image)
    official = registry == "docker.io" and path in _OFFICIAL_NGINX
    problems: list[str] = []
    if flavor == "tengine":
        if official:
            problems.append(
                f"image {manifests.image} is stock nginx, which has no `dynamic_resolve` (Tengine's "
                "ngx_http_upstream_dynamic_module): use a Tengine image, or flavor nginx / nginx-1.28"
            )
        if manifests.conf_dir is None:
            problems.append(
                "flavor tengine needs `conf_dir`: Tengine images differ in where their nginx.conf includes "
                "extra files (a source build has no conf.d at all); name the directory your image includes"
            )
    if flavor == "nginx-1.28" and official and tag is not None:
        version = _VERSION_TAG.fullmatch(tag)
        if version:
            found = (int(version["major"]), int(version["minor"]), int(version["patch"] or 99))
            if found < NGINX_RESOLVE_SINCE:
                problems.append(
                    f"image {manifests.image} is nginx {tag.split('-')[0]}: `server ... resolve` needs nginx "
                    ">= 1.27.3 (first stable 1.28.0); use e.g. nginx:1.28-alpine, or flavor nginx"
                )
    return problems


def conf_dir_for(manifests: ManifestsSpec) -> str:
    return manifests.conf_dir or DEFAULT_CONF_DIR


def _manifests_switch(value: object) -> object:
    # `manifests: true` reads naturally but cannot work: namespace and image are never guessed.
    if value is True:
        raise ValueError(
            "write a mapping with at least `namespace` and `image` (e.g. {namespace: edge, image: "
            "nginx:1.28-alpine}): neither is guessed"
        )
    if value is False:
        return None
    return value


OptionalManifests = Annotated[ManifestsSpec | None, BeforeValidator(_manifests_switch)]
