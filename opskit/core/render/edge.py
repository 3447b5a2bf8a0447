"""Family ``edge``: HAProxy in front of nginx (scenario §2), and the nginx listeners that match it.

Pure: spec in, text out. The decisions that matter for safety are made here, in small functions the
tests call directly; the templates only lay the result out.
"""

from __future__ import annotations

from dataclasses import dataclass

from opskit.core.render.engine import render_template
from opskit.core.render.model import RenderContext, RenderedFamily, ValidationTarget
from opskit.core.spec.edge import Backend, Bind, EdgeSpec, SniRoute
from opskit.core.spec.model import SiteSpec
from opskit.core.spec.types import is_ip_address

HAPROXY_FILE = "haproxy.cfg"
NGINX_FILE = "nginx-edge-proxy-protocol.conf"
USERS_EXAMPLE_FILE = "haproxy-stats-users.example.cfg"
# Handed to `haproxy -c` through the environment during --validate; never a real secret.
PLACEHOLDER_PASSWORD = "opskit-validation-placeholder"


def haproxy_address(address: str, port: int) -> str:
    """``addr:port`` as HAProxy writes it (IPv6 in brackets)."""
    return f"[{address}]:{port}" if ":" in address else f"{address}:{port}"


def bind_lines(binds: list[Bind]) -> list[str]:
    """Arguments of each ``bind`` line.

    An IPv6 wildcard next to an IPv4 bind on the same port gets ``v6only`` (otherwise it would also
    claim the IPv4 port and the second bind fails); alone, it gets ``v4v6`` so it serves both families
    whatever the host's ``bindv6only`` sysctl says.
    """
    v4_ports = {b.port for b in binds if not b.is_ipv6}
    lines = []
    for bind in binds:
        text = haproxy_address(bind.address, bind.port)
        if bind.is_ipv6 and bind.is_wildcard:
            text += " v6only" if bind.port in v4_ports else " v4v6"
        lines.append(text)
    return lines


def stick_table_type(binds: list[Bind]) -> str:
    """``ipv6`` whenever any bind is IPv6: a ``type ip`` table silently never tracks IPv6 clients,
    while an ipv6 table stores IPv4 clients v4-mapped. ``ip`` only when every bind is IPv4."""
    return "ipv6" if any(b.is_ipv6 for b in binds) else "ip"


@dataclass(frozen=True)
class BackendView:
    name: str
    servers: list[str]  # "name addr:port"


@dataclass(frozen=True)
class UserAgentAcl:
    acl: str
    fragments: list[str]
    backend: str


@dataclass(frozen=True)
class SniAcl:
    hosts: list[str]
    backend: str


@dataclass(frozen=True)
class NginxTlsServer:
    ports: list[int]
    hosts: list[str]
    certificate: str
    certificate_key: str


def _tls_ports(spec: EdgeSpec, backend: str) -> list[int]:
    return sorted({s.port for b in spec.tls_backends if b.name == backend for s in b.servers})


def nginx_tls_servers(spec: EdgeSpec) -> list[NginxTlsServer]:
    """One nginx server per SNI route, listening with ``ssl proxy_protocol`` on its backend's ports."""
    routes: list[SniRoute] = list(spec.tls.routes) if spec.tls is not None else []
    return [
        NginxTlsServer(_tls_ports(spec, r.backend), list(r.hosts), r.certificate, r.certificate_key) for r in routes
    ]


def nginx_plain_ports(spec: EdgeSpec) -> list[int]:
    """Ports of the plain-HTTP nginx listener: the servers of the :80 frontend's default backend."""
    if spec.http is None:
        return []
    return sorted({s.port for b in spec.http_backends if b.name == spec.http.default_backend for s in b.servers})


def _backends(backends: list[Backend]) -> list[BackendView]:
    return [
        BackendView(b.name, [f"{s.name} {haproxy_address(s.address, s.port)}" for s in b.servers]) for b in backends
    ]


def _log_line(spec: EdgeSpec) -> str | None:
    if spec.log is None:
        return None
    log = spec.log
    return f"{log.target} format {log.format} {log.facility} {log.level}"


def render_haproxy(spec: EdgeSpec, ctx: RenderContext) -> str:
    http = spec.http
    return render_template(
        "edge/haproxy.cfg.j2",
        header=ctx.header("#"),
        log_line=_log_line(spec),
        timeouts=spec.timeouts,
        http=http,
        http_binds=bind_lines(list(http.binds)) if http else [],
        table_type=stick_table_type(list(http.binds)) if http else "ip",
        ua_acls=[
            UserAgentAcl(f"ua_{route.backend}_{index}", list(route.contains), route.backend)
            for index, route in enumerate(http.user_agent_routes)
        ]
        if http
        else [],
        tls=spec.tls,
        tls_binds=bind_lines(list(spec.tls.binds)) if spec.tls else [],
        sni_acls=[SniAcl(list(r.hosts), r.backend) for r in spec.tls.routes] if spec.tls else [],
        stats=spec.stats,
        stats_bind=bind_lines([spec.stats.bind])[0] if spec.stats else "",
        http_backends=_backends(list(spec.http_backends)),
        tls_backends=_backends(list(spec.tls_backends)),
    )


def render_nginx(spec: EdgeSpec, ctx: RenderContext) -> str:
    return render_template(
        "edge/nginx-edge-proxy-protocol.conf.j2",
        header=ctx.header("#"),
        real_ip_from=list(spec.nginx.haproxy_addresses),
        root=spec.nginx.root,
        tls_servers=nginx_tls_servers(spec),
        plain_ports=nginx_plain_ports(spec),
    )


def render_users_example(spec: EdgeSpec, ctx: RenderContext) -> str:
    assert spec.stats is not None
    return render_template("edge/haproxy-stats-users.example.cfg.j2", header=ctx.header("#"), stats=spec.stats)


def edge_report(spec: EdgeSpec) -> str:
    """What the edge does, what it refuses, and what the operator still has to provide."""
    lines: list[str] = []
    t = spec.timeouts
    if spec.http is not None:
        h, lim = spec.http, spec.http.limits
        lines.append(
            f":80 ({', '.join(bind_lines(list(h.binds)))}): slow headers cut with 408 after {t.http_request} "
            f"(timeout http-request), idle keep-alive closed after {t.http_keep_alive}, "
            f"idle clients after {t.client}."
        )
        lines.append(
            f"  per source (stick-table type {stick_table_type(list(h.binds))}): "
            f"> {lim.max_concurrent_connections} "
            f"concurrent or > {lim.max_connection_rate} new connections per {lim.period} rejected; "
            f"> {lim.max_request_rate} requests per {lim.period} answered 429."
        )
        lines.append(
            "  connections refused by these limits are not logged: read the counters with "
            "`show table http_in` on an HAProxy stats socket."
        )
        lines.append("  X-Forwarded-For: the client's header is deleted, HAProxy adds exactly one (option forwardfor).")
        if h.redirect_to_https:
            lines.append(f"  redirected to https: {', '.join(h.redirect_to_https)}")
        for route in h.user_agent_routes:
            lines.append(f"  User-Agent containing {' / '.join(route.contains)} → {route.backend}")
        lines.append(f"  everything else → {h.default_backend}")
    if spec.tls is not None:
        tls = spec.tls
        lines.append(
            f":443 ({', '.join(bind_lines(list(tls.binds)))}): TLS passed through by SNI after at most "
            f"{tls.inspect_delay} of inspection; clients that send no TLS ClientHello are rejected."
        )
        for sni_route in tls.routes:
            lines.append(f"  SNI {', '.join(sni_route.hosts)} → {sni_route.backend} (PROXY v2)")
        if tls.default_backend is None:
            lines.append("  TLS clients without SNI or with an unknown name are dropped (no tls.default_backend).")
        else:
            lines.append(f"  TLS clients without SNI or with an unknown name → {tls.default_backend}")
    if spec.stats is not None:
        s = spec.stats
        where = haproxy_address(s.bind.address, s.bind.port)
        if s.password_env is not None:
            lines.append(
                f"stats on {where}{s.uri}: user {s.user}, password read from ${{{s.password_env}}} "
                f"when HAProxy starts (HAProxy refuses to start if it is unset). Set it outside the "
                f"repository, e.g. a systemd "
                f"drop-in `Environment={s.password_env}=…` or /etc/default/haproxy."
            )
        else:
            lines.append(
                f"stats on {where}{s.uri}: users from userlist {s.userlist} in {s.users_file}; "
                f"start HAProxy with "
                f"an extra `-f {s.users_file}` (Debian: EXTRAOPTS in /etc/default/haproxy). Template: "
                f"{USERS_EXAMPLE_FILE}."
            )
    lines.append(f"nginx ({NGINX_FILE}): trusts client addresses only from {', '.join(spec.nginx.haproxy_addresses)}.")
    return "\n".join(lines) + "\n"


def _validation_target(spec: EdgeSpec) -> tuple[ValidationTarget, ...]:
    names = sorted(
        {
            s.address
            for b in [*spec.http_backends, *spec.tls_backends]
            for s in b.servers
            if not is_ip_address(s.address)
        }
    )
    # wildcards need no address; 127.0.0.1 and ::1 already sit on the namespace's loopback
    addresses = sorted(
        {
            b.address
            for binds in spec.frontend_binds().values()
            for b in binds
            if not b.is_wildcard and b.address not in ("127.0.0.1", "::1")
        }
    )
    environment: tuple[tuple[str, str], ...] = ()
    extra: tuple[str, ...] = ()
    if spec.stats is not None and spec.stats.password_env is not None:
        environment = ((spec.stats.password_env, PLACEHOLDER_PASSWORD),)
    if spec.stats is not None and spec.stats.users_file is not None:
        extra = (USERS_EXAMPLE_FILE,)
    tls_files = sorted({p for r in (spec.tls.routes if spec.tls else []) for p in (r.certificate, r.certificate_key)})
    return (
        ValidationTarget(
            tool="haproxy",
            entry=HAPROXY_FILE,
            hostnames=tuple(names),
            listen_addresses=tuple(addresses),
            environment=environment,
            extra_entries=extra,
        ),
        ValidationTarget(tool="nginx", entry=NGINX_FILE, stub_tls_files=tuple(tls_files)),
    )


class EdgeFamily:
    name = "edge"
    section = "edge"

    def render(self, spec: SiteSpec, ctx: RenderContext) -> RenderedFamily | None:
        edge: EdgeSpec | None = getattr(spec, "edge", None)
        if edge is None:
            return None
        files = {HAPROXY_FILE: render_haproxy(edge, ctx), NGINX_FILE: render_nginx(edge, ctx)}
        if edge.stats is not None and edge.stats.users_file is not None:
            files[USERS_EXAMPLE_FILE] = render_users_example(edge, ctx)
        notes: tuple[str, ...] = ()
        if edge.stats is not None and edge.stats.bind.is_wildcard:
            where = haproxy_address(edge.stats.bind.address, edge.stats.bind.port)
            notes = (
                f"the stats page binds every address ({where}); consider a loopback or management "
                "address so only operators can reach it",
            )
        return RenderedFamily(
            family=self.name,
            files=files,
            report=edge_report(edge),
            validations=_validation_target(edge),
            notes=notes,
        )


FAMILY = EdgeFamily()
