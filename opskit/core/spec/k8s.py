"""Spec section ``k8s_gateway``: an nginx/Tengine gateway Pod routing URL prefixes to Kubernetes Services.

The incident behind it (scenarios §3): a literal ``proxy_pass http://svc.ns:80`` is resolved once at
start-up, so after a rollout nginx keeps sending to a dead Pod IP. Every flavor rendered from this
section re-resolves the Service's full name at run time through an explicit ``resolver``.
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import Field, ValidationInfo, field_validator, model_validator

from opskit.core.spec.base import SpecModel
from opskit.core.spec.k8s_manifests import ManifestsSpec, OptionalManifests, image_problems
from opskit.core.spec.types import (
    AbsPath,
    DnsLabel,
    Duration,
    Host,
    Hostname,
    IPAddress,
    Name,
    Port,
    UriPrefix,
)

Flavor = Literal["nginx", "tengine", "nginx-1.28"]

# nginx's resolver cache works in whole seconds; below 5 s every request re-queries CoreDNS for
# little gain, above 30 s a rollout is followed too slowly (CoreDNS itself may cache 30 s on top).
VALID_MIN_SECONDS = 5
VALID_MAX_SECONDS = 30


class ResolverSpec(SpecModel):
    """The DNS server nginx asks at request time (never resolv.conf: its search domains do not apply)."""

    # An IP (the kube-dns ClusterIP) or a name. A name is resolved ONCE at start-up by the system
    # resolver; that is acceptable because a ClusterIP is stable. None = kube-dns.kube-system.svc.<domain>.
    address: Host | None = None
    port: Port = 53
    valid: Duration = Field(default_factory=lambda: Duration.parse("10s"))
    timeout: Duration = Field(default_factory=lambda: Duration.parse("5s"))
    ipv6: bool = False  # ask for AAAA records too (off: Services are usually IPv4-only)

    @field_validator("valid")
    @classmethod
    def _valid_range(cls, value: Duration) -> Duration:
        if value.milliseconds % 1000:
            raise ValueError(f"{value} is not whole seconds (nginx's resolver caches in seconds)")
        if not VALID_MIN_SECONDS <= value.seconds <= VALID_MAX_SECONDS:
            raise ValueError(
                f"{value} is outside {VALID_MIN_SECONDS}s-{VALID_MAX_SECONDS}s: shorter re-queries "
                "DNS on almost every request, longer keeps a dead Pod IP after a rollout for that long"
            )
        return value

    @field_validator("timeout")
    @classmethod
    def _timeout_range(cls, value: Duration) -> Duration:
        if not 0 < value.milliseconds <= 30_000:
            raise ValueError(f"{value} must be more than 0 and at most 30s (nginx's default is 30s)")
        return value


class ListenSpec(SpecModel):
    port: Port = 80
    addresses: tuple[IPAddress, ...] = ()  # empty = every IPv4 address of the Pod
    default_server: bool = True

    @field_validator("addresses")
    @classmethod
    def _distinct(cls, addresses: tuple[str, ...]) -> tuple[str, ...]:
        repeated = sorted({a for a in addresses if addresses.count(a) > 1})
        if repeated:
            raise ValueError(f"{', '.join(repeated)} listed twice (nginx refuses a duplicate listen)")
        return addresses


class StaticSpec(SpecModel):
    """Static files served at ``/`` (the front-end bundle), optionally as a single-page app."""

    root: AbsPath
    index: Name = "index.html"
    spa_fallback: bool = False  # unknown paths get index.html (client-side routing)


class TengineSpec(SpecModel):
    """Options of Tengine's ``dynamic_resolve`` (only read for ``flavor: tengine``)."""

    fallback: Literal["stale", "next", "shutdown"] = "stale"
    fail_timeout: Duration = Field(default_factory=lambda: Duration.parse("15s"))

    @field_validator("fail_timeout")
    @classmethod
    def _whole_seconds(cls, value: Duration) -> Duration:
        if value.milliseconds <= 0 or value.milliseconds % 1000:
            raise ValueError(f"{value} must be a positive number of whole seconds")
        return value


class RouteSpec(SpecModel):
    """One ``location`` → one Service port."""

    name: Name  # names the upstream / variable: letters, digits, '_', '-', '.'
    prefix: UriPrefix
    service: DnsLabel
    namespace: DnsLabel
    port: Port
    # What the backend sees instead of ``prefix``: "/" strips it. Omitted: the URI is passed unchanged.
    backend_prefix: UriPrefix | None = None
    # `location ^~ PREFIX`: a matching regex location (e.g. for static file caching) cannot take over.
    skip_regex_locations: bool = True

    @model_validator(mode="after")
    def _prefix_shapes_agree(self) -> RouteSpec:
        if self.backend_prefix is None:
            return self
        if self.prefix.endswith("/") != self.backend_prefix.endswith("/"):
            raise ValueError(
                f"prefix {self.prefix!r} and backend_prefix {self.backend_prefix!r} must both end "
                f"with '/' or both not: the prefix is replaced textually, so {self.prefix}x would reach "
                f"the backend as {self.backend_prefix}x"
            )
        return self

    @property
    def identifier(self) -> str:
        """The route's name as an nginx identifier (variables allow only letters, digits and '_')."""
        return "k8s_" + re.sub(r"[^A-Za-z0-9_]", "_", self.name)


class K8sGatewaySpec(SpecModel):
    """Section ``k8s_gateway``."""

    flavor: Flavor
    cluster_domain: Hostname = "cluster.local"
    resolver: ResolverSpec = Field(default_factory=ResolverSpec)
    listen: ListenSpec = Field(default_factory=ListenSpec)
    server_names: tuple[Hostname, ...] = ()  # empty = any Host (server_name _)
    static: StaticSpec | None = None
    tengine: TengineSpec = Field(default_factory=TengineSpec)
    routes: tuple[RouteSpec, ...]
    # Opt-in: ConfigMap + Deployment + Service + kustomization.yaml (opskit/core/spec/k8s_manifests.py).
    manifests: OptionalManifests = None

    @field_validator("routes")
    @classmethod
    def _routes_are_distinct(cls, routes: tuple[RouteSpec, ...], info: ValidationInfo) -> tuple[RouteSpec, ...]:
        if not routes:
            raise ValueError("list at least one route (prefix -> service.namespace:port)")
        problems: list[str] = []
        seen_prefix: dict[str, str] = {}
        seen_id: dict[str, str] = {}
        has_static = info.data.get("static") is not None
        for route in routes:
            if route.prefix in seen_prefix:
                problems.append(
                    f"routes {seen_prefix[route.prefix]!r} and {route.name!r} both use prefix {route.prefix}"
                )
            seen_prefix.setdefault(route.prefix, route.name)
            if route.identifier in seen_id:
                problems.append(
                    f"route names {seen_id[route.identifier]!r} and {route.name!r} both become "
                    f"{route.identifier} (nginx identifiers turn '-' and '.' into '_')"
                )
            seen_id.setdefault(route.identifier, route.name)
            if has_static and route.prefix == "/":
                problems.append(f"route {route.name!r} uses prefix / which the static files (static.root) serve")
        if problems:
            raise ValueError("; ".join(problems))
        return routes

    @model_validator(mode="after")
    def _tengine_options_need_tengine(self) -> K8sGatewaySpec:
        if self.flavor != "tengine" and "tengine" in self.model_fields_set:
            raise ValueError(f"the `tengine` options only apply to flavor tengine (flavor is {self.flavor})")
        return self

    @field_validator("manifests")
    @classmethod
    def _manifests_fit_the_flavor(cls, manifests: ManifestsSpec | None, info: ValidationInfo) -> ManifestsSpec | None:
        flavor = info.data.get("flavor")
        if manifests is None or flavor is None:
            return manifests
        problems = image_problems(flavor, manifests)
        listen = info.data.get("listen")
        if listen is not None and any(not _is_unspecified(a) for a in listen.addresses):
            problems.append(
                "listen.addresses must be empty (or 0.0.0.0 / ::) with manifests: the kubelet probes and "
                "the Service reach the Pod on its own IP, which a spec cannot know"
            )
        if problems:
            raise ValueError("; ".join(problems))
        return manifests

    def service_fqdn(self, route: RouteSpec) -> str:
        """``<service>.<namespace>.svc.<cluster domain>``: nginx's resolver ignores resolv.conf search
        domains, so only a full name resolves."""
        return f"{route.service}.{route.namespace}.svc.{self.cluster_domain}"

    @property
    def resolver_address(self) -> str:
        if self.resolver.address is not None:
            return self.resolver.address
        return f"kube-dns.kube-system.svc.{self.cluster_domain}"


def _is_unspecified(address: str) -> bool:
    import ipaddress

    return ipaddress.ip_address(address).is_unspecified
