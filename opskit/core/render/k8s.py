"""Family ``k8s``: an nginx / Tengine gateway in a Pod, routing URL prefixes to Kubernetes Services.

Output is an **http{}-level file** (``nginx-k8s-gateway.conf``), meant to be mounted from a ConfigMap
as the only file in the gateway image's ``/etc/nginx/conf.d/`` (replacing ``default.conf``). Both the
official nginx image and Tengine images ship an ``nginx.conf`` that includes ``conf.d/*.conf`` inside
``http{}`` and already sets what depends on the image (user, pid, mime.types, logs); the routing is
what the spec knows. Everything resolver-related still sits at http{} level, where ``server … resolve``
(nginx ≥ 1.27.3) requires it.

Flavors (scenarios §3, proxy-facts §3):
- ``nginx``: ``set $k8s_service <fqdn>; proxy_pass http://$k8s_service:<port>;`` — a variable
  forces resolution at request time through ``resolver``. A URI part in such a proxy_pass would
  replace the *whole* request URI, so a stripped/replaced prefix is done with ``rewrite … break``
  and a URI-less proxy_pass.
- ``tengine``: one ``upstream`` per route with ``dynamic_resolve`` and the FQDN as ``server``.
- ``nginx-1.28``: one ``upstream`` per route with ``zone`` and ``server <fqdn>:<port> resolve``.
"""

from __future__ import annotations

from dataclasses import dataclass

from opskit.core.render import k8s_manifests
from opskit.core.render.engine import render_template
from opskit.core.render.model import CompatRewrite, RenderContext, RenderedFamily, ValidationTarget
from opskit.core.spec.k8s import K8sGatewaySpec, RouteSpec
from opskit.core.spec.k8s_manifests import conf_dir_for
from opskit.core.spec.model import SiteSpec
from opskit.core.spec.types import is_ip_address

CONFIG_FILE = "nginx-k8s-gateway.conf"
REPORT_FILE = "k8s-gateway-report.txt"
UPSTREAM_ZONE_SIZE = "64k"
# flavor nginx: the variable each location sets to its Service's full name before proxy_pass
SERVICE_VARIABLE = "k8s_service"

DROP_DYNAMIC_RESOLVE = CompatRewrite(
    pattern=r"^[ \t]*dynamic_resolve\b[^;]*;[ \t]*\n",
    replacement="",
    reason="`dynamic_resolve` (Tengine's ngx_http_upstream_dynamic_module) removed: stock nginx cannot "
    "check Tengine directives; everything else was checked",
)
DROP_SERVER_RESOLVE = CompatRewrite(
    # only "server <fqdn>:<port> resolve;" has a digit before " resolve;" (replacements are literal)
    pattern=r"(?<=[0-9]) resolve;$",
    replacement=";",
    reason="` resolve` removed from `server` lines: this nginx is older than 1.27.3; the target needs "
    "nginx >= 1.27.3 (first stable: 1.28.0)",
)


@dataclass(frozen=True)
class RouteView:
    """What the template needs for one route; computed here so the template stays dumb."""

    name: str
    identifier: str  # upstream name (flavors tengine, nginx-1.28)
    location: str  # "^~ /api/sys/" or "/api/sys/"
    prefix: str
    fqdn: str
    port: int
    rewrite: str | None  # "<regex> <replacement>" for `rewrite … break` (flavor nginx only)
    proxy_uri: str  # URI part of a literal proxy_pass (upstream flavors only; "" = pass unchanged)
    example_request: str
    example_backend_uri: str


@dataclass(frozen=True)
class GatewayView:
    flavor: str
    resolver: str  # the resolver directive's arguments
    resolver_timeout: str
    listens: tuple[str, ...]
    server_name: str
    static_root: str | None
    static_index: str
    spa_fallback: bool
    dynamic_resolve: str  # arguments of Tengine's dynamic_resolve
    zone_size: str
    variable: str
    routes: tuple[RouteView, ...]


def rewrite_for(prefix: str, backend_prefix: str) -> str:
    """Arguments of ``rewrite`` that replace ``prefix`` by ``backend_prefix``, keeping the rest and the query.

    ``(?s)`` lets ``.`` match a decoded newline too, so no URI can slip past the rewrite with its prefix
    intact. ``.`` is the only PCRE metacharacter a UriPrefix may hold.
    """
    return f"(?s)^{prefix.replace('.', chr(92) + '.')}(.*)$ {backend_prefix}$1"


def backend_uri(route: RouteSpec, request_uri: str) -> str:
    """The URI the backend receives for ``request_uri`` (which must start with the route's prefix)."""
    if route.backend_prefix is None:
        return request_uri
    return route.backend_prefix + request_uri[len(route.prefix) :]


def route_view(gateway: K8sGatewaySpec, route: RouteSpec) -> RouteView:
    example = route.prefix + ("" if route.prefix.endswith("/") else "/") + "items?page=2"
    uses_variable = gateway.flavor == "nginx"
    replaced = route.backend_prefix is not None
    return RouteView(
        name=route.name,
        identifier=route.identifier,
        location=("^~ " if route.skip_regex_locations else "") + route.prefix,
        prefix=route.prefix,
        fqdn=gateway.service_fqdn(route),
        port=route.port,
        rewrite=rewrite_for(route.prefix, route.backend_prefix or "") if uses_variable and replaced else None,
        proxy_uri=(route.backend_prefix or "") if not uses_variable else "",
        example_request=example,
        example_backend_uri=backend_uri(route, example),
    )


def _bracketed(address: str) -> str:
    return f"[{address}]" if ":" in address else address


def gateway_view(gateway: K8sGatewaySpec) -> GatewayView:
    """The pure view model of the rendered file."""
    resolver = gateway.resolver
    address = _bracketed(gateway.resolver_address)
    if resolver.port != 53:
        address = f"{address}:{resolver.port}"
    valid = f"{int(resolver.valid.seconds)}s"
    ipv6 = "on" if resolver.ipv6 else "off"
    listen = gateway.listen
    suffix = " default_server" if listen.default_server else ""
    if listen.addresses:
        listens = tuple(f"{_bracketed(a)}:{listen.port}{suffix}" for a in listen.addresses)
    else:
        listens = (f"{listen.port}{suffix}",)
    static = gateway.static
    return GatewayView(
        flavor=gateway.flavor,
        resolver=f"{address} valid={valid} ipv6={ipv6}",
        resolver_timeout=str(resolver.timeout),
        listens=listens,
        server_name=" ".join(gateway.server_names) or "_",
        static_root=static.root if static else None,
        static_index=static.index if static else "index.html",
        spa_fallback=bool(static and static.spa_fallback),
        dynamic_resolve=f"fallback={gateway.tengine.fallback} fail_timeout={gateway.tengine.fail_timeout}",
        zone_size=UPSTREAM_ZONE_SIZE,
        variable=SERVICE_VARIABLE,
        routes=tuple(route_view(gateway, r) for r in gateway.routes),
    )


def validation_target(gateway: K8sGatewaySpec) -> ValidationTarget:
    """nginx -t on the snippet: names resolved at load time are declared; newer syntax is rewritten away."""
    hostnames: list[str] = []
    if not is_ip_address(gateway.resolver_address):
        hostnames.append(gateway.resolver_address)  # nginx resolves a resolver *name* at start-up
    rewrites: tuple[CompatRewrite, ...] = ()
    if gateway.flavor != "nginx":
        # upstream servers are resolved at load time (system resolver) by every flavor but `nginx`
        hostnames += [gateway.service_fqdn(r) for r in gateway.routes]
        rewrites = (DROP_DYNAMIC_RESOLVE,) if gateway.flavor == "tengine" else (DROP_SERVER_RESOLVE,)
    return ValidationTarget(
        tool="nginx",
        entry=CONFIG_FILE,
        http_snippet=True,
        hostnames=tuple(dict.fromkeys(hostnames)),
        listen_addresses=tuple(gateway.listen.addresses),
        compat_rewrites=rewrites,
    )


def notes_for(gateway: K8sGatewaySpec) -> tuple[str, ...]:
    notes: list[str] = []
    if not is_ip_address(gateway.resolver_address):
        notes.append(
            f"resolver {gateway.resolver_address} is a name: nginx resolves it once at start-up with "
            "the system "
            "resolver (acceptable: a ClusterIP is stable; `nginx -t` outside the cluster reports it "
            "not found)"
        )
    if gateway.flavor == "tengine":
        notes.append("--validate drops `dynamic_resolve` (stock nginx cannot check Tengine directives)")
    if gateway.flavor == "nginx-1.28":
        notes.append(
            "target needs nginx >= 1.27.3 (stable 1.28.0) for `server ... resolve`; --validate on an "
            "older nginx removes ` resolve`"
        )
    return tuple(notes)


@dataclass(frozen=True)
class ManifestsView:
    """What the report says about the manifests (None in the template when there are none)."""

    namespace: str
    name: str
    image: str
    replicas: int
    conf_dir: str
    files: tuple[str, ...]
    service: str | None  # "<fqdn>:<port> (<type>)"
    checksum_annotation: str
    versions: str


def manifests_view(gateway: K8sGatewaySpec, manifest_files: dict[str, str]) -> ManifestsView | None:
    manifests = gateway.manifests
    if manifests is None:
        return None
    service = None
    if manifests.service is not None:
        fqdn = f"{manifests.name}.{manifests.namespace}.svc.{gateway.cluster_domain}"
        service = f"{fqdn}:{manifests.service.port} ({manifests.service.type})"
    return ManifestsView(
        namespace=manifests.namespace,
        name=manifests.name,
        image=manifests.image,
        replicas=manifests.replicas,
        conf_dir=conf_dir_for(manifests),
        files=tuple(manifest_files),
        service=service,
        checksum_annotation=k8s_manifests.CHECKSUM_ANNOTATION,
        versions=", ".join(k8s_manifests.SUPPORTED_KUBERNETES_VERSIONS),
    )


class K8sGatewayFamily:
    name = "k8s"
    section = "k8s_gateway"

    def render(self, spec: SiteSpec, ctx: RenderContext) -> RenderedFamily | None:
        gateway = spec.k8s_gateway
        if gateway is None:
            return None
        view = gateway_view(gateway)
        config = render_template("k8s/nginx-k8s-gateway.conf.j2", header=ctx.header("#"), g=view)
        files = {CONFIG_FILE: config}
        validations = [validation_target(gateway)]
        manifest_files: dict[str, str] = {}
        if gateway.manifests is not None:
            manifest_files = k8s_manifests.render_manifests(gateway, gateway.manifests, {CONFIG_FILE: config}, ctx)
            validations.append(k8s_manifests.manifest_validation(manifest_files))
        report = render_template(
            "k8s/k8s-gateway-report.txt.j2",
            g=view,
            site=spec.site,
            resolver_is_name=not is_ip_address(gateway.resolver_address),
            resolver_address=gateway.resolver_address,
            valid_seconds=int(gateway.resolver.valid.seconds),
            tengine=gateway.tengine,
            cluster_domain=gateway.cluster_domain,
            m=manifests_view(gateway, manifest_files),
        )
        return RenderedFamily(
            family=self.name,
            files={**files, **manifest_files, REPORT_FILE: ctx.header("#") + report},
            report=report,
            validations=tuple(validations),
            notes=notes_for(gateway),
        )


FAMILY = K8sGatewayFamily()
