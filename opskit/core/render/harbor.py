"""Harbor on several entry points: harbor.yml settings, the entry-point nginx, and the realm report.

The logic lives here as small pure functions building a view model; the templates only print it.
"""

from __future__ import annotations

from dataclasses import dataclass

from opskit.core.harbor.realm import (
    FORWARDED_PROTO_PASSED_SINCE,
    HOST_BASED_REALM_SINCE,
    ClientOutcome,
    EntryRealm,
    RealmRewrite,
    RewriteMode,
    assess_entries,
)
from opskit.core.render.engine import render_template
from opskit.core.render.model import RenderContext, RenderedFamily, ValidationTarget
from opskit.core.spec.harbor import HarborEntry, HarborSpec
from opskit.core.spec.model import SiteSpec
from opskit.core.spec.types import is_ip_address, is_unspecified

HARBOR_YML = "harbor.yml"
NGINX_CONF = "nginx-harbor.conf"
REPORT = "harbor-realms.md"
UPSTREAM_NAME = "harbor"


def _bracketed(host: str) -> str:
    return f"[{host}]" if ":" in host else host


@dataclass(frozen=True)
class RealmMapView:
    variable: str
    pattern: str  # already escaped for a double-quoted nginx string
    replacement: str
    comment: str


@dataclass(frozen=True)
class ServerView:
    entry: str
    kind: str
    summary: str
    listen: str
    server_name: str
    scheme: str
    forwarded_port: int
    certificate: str | None
    certificate_key: str | None
    realm_variable: str | None
    realm_comment: str


def listen_value(entry: HarborEntry) -> str:
    """The argument of nginx ``listen`` for an entry (``ssl http2`` as nginx 1.22 spells it)."""
    socket = f"{_bracketed(entry.listen_address)}:{entry.port}" if entry.listen_address else str(entry.port)
    return f"{socket} ssl http2" if entry.scheme == "https" else socket


def entry_summary(entry: HarborEntry) -> str:
    """One comment line: what clients use and how it reaches this nginx."""
    where = listen_value(entry).split(" ")[0]
    if entry.client_port != entry.port or entry.kind == "http-nat":
        return f"clients use {entry.client_url}; a NAT forwards it to this nginx on {where}"
    return f"clients use {entry.client_url}"


def realm_map(rewrite: RealmRewrite) -> RealmMapView:
    if rewrite.mode is RewriteMode.SCHEME:
        comment = (
            f'Harbor >= 2.14 answers realm="<external_url scheme>://<Host>/service/token": '
            f"only the scheme must become {rewrite.to_scheme}"
        )
    else:
        comment = (
            'Harbor < 2.14 answers realm="<external_url>/service/token" whatever host the client used: '
            f"scheme and host must become {rewrite.to_scheme}://$http_host"
        )
    return RealmMapView(rewrite.variable, rewrite.pattern.replace('"', '\\"'), rewrite.replacement, comment)


def server_view(entry: HarborEntry, realm: EntryRealm) -> ServerView:
    rewrite = realm.rewrite if realm.rewrite_rendered else None
    if rewrite is not None:
        realm_comment = (
            f"Harbor would answer realm {realm.realm_without_rewrite}; clients of this entry "
            f"need {realm.realm_clients_get}"
        )
    elif realm.rewrite is not None:
        realm_comment = (
            f"realm_rewrite is off: clients get {realm.realm_without_rewrite} "
            f"(docker login {realm.docker_login.value}, see {REPORT})"
        )
    else:
        realm_comment = f"Harbor's realm already fits: {realm.realm_clients_get}"
    return ServerView(
        entry=entry.name,
        kind=entry.kind,
        summary=entry_summary(entry),
        listen=listen_value(entry),
        server_name=_bracketed(entry.client_host),
        scheme=entry.scheme,
        forwarded_port=entry.client_port,
        certificate=entry.certificate,
        certificate_key=entry.certificate_key,
        realm_variable=rewrite.variable if rewrite else None,
        realm_comment=realm_comment,
    )


def assess(harbor: HarborSpec) -> tuple[EntryRealm, ...]:
    """The realm verdicts for every entry of the spec."""
    return assess_entries(
        harbor.version,
        harbor.external_url,
        [(e.name, e.client_url) for e in harbor.entries],
        harbor.realm_rewrite,
    )


def _report_rows(realms: tuple[EntryRealm, ...]) -> list[dict[str, str]]:
    rows = []
    for realm in realms:
        if realm.rewrite is None:
            rewrite = "not needed"
        elif realm.rewrite_rendered:
            rewrite = f"rendered ({realm.rewrite.mode.value})"
        else:
            rewrite = f"NEEDED ({realm.rewrite.mode.value}), off in the spec"
        rows.append(
            {
                "entry": realm.entry,
                "url": str(realm.client_url),
                "raw": realm.realm_without_rewrite,
                "rewritten": realm.realm_with_rewrite,
                "rewrite": rewrite,
                "gets": realm.realm_clients_get,
                "login": realm.docker_login.value,
                "login_why": realm.docker_login_why,
                "ui": realm.browser_ui.value,
                "ui_why": realm.browser_ui_why,
                "notes": "\n".join(realm.notes),
            }
        )
    return rows


def report_body(site: str, harbor: HarborSpec, realms: tuple[EntryRealm, ...], with_table: bool = True) -> str:
    """The realm report (markdown) without the generated-file header.

    The printed copy drops the wide table: the per-entry sections carry the same facts.
    """
    broken_login = [r.entry for r in realms if r.docker_login is ClientOutcome.FAILS]
    broken_ui = [r.entry for r in realms if r.browser_ui is ClientOutcome.FAILS]
    http_entries = [r for r in realms if r.client_url.scheme == "http"]
    return render_template(
        "harbor/harbor-realms.md.j2",
        site=site,
        version=str(harbor.version),
        host_based=harbor.version >= HOST_BASED_REALM_SINCE,
        external_url=str(harbor.external_url),
        external_entry=harbor.external_url_entry,
        upstream=f"http://{_bracketed(harbor.upstream.host)}:{harbor.upstream.port}",
        rows=_report_rows(realms),
        broken_login=broken_login,
        broken_ui=broken_ui,
        insecure=[r.client_url.authority for r in http_entries],
        rewrite_off=not harbor.realm_rewrite,
        with_table=with_table,
        forwarded_proto_overwritten=harbor.version < FORWARDED_PROTO_PASSED_SINCE
        and any(r.client_url.scheme == "https" for r in realms),
    )


def _validation(harbor: HarborSpec) -> ValidationTarget:
    tls_files = sorted({p for e in harbor.entries for p in (e.certificate, e.certificate_key) if p})
    addresses = sorted(
        {e.listen_address for e in harbor.entries if e.listen_address and not is_unspecified(e.listen_address)}
    )
    hostnames = () if is_ip_address(harbor.upstream.host) else (harbor.upstream.host,)
    return ValidationTarget(
        tool="nginx",
        entry=NGINX_CONF,
        stub_tls_files=tuple(tls_files),
        hostnames=hostnames,
        listen_addresses=tuple(addresses),
    )


def render_harbor(harbor: HarborSpec, site: str, ctx: RenderContext) -> RenderedFamily:
    """Spec section → the three files, the printed report and how to validate the nginx config."""
    realms = assess(harbor)
    by_name = {r.entry: r for r in realms}
    servers = [server_view(entry, by_name[entry.name]) for entry in harbor.entries]
    rewrites = {r.rewrite.variable: r.rewrite for r in realms if r.rewrite is not None and r.rewrite_rendered}
    maps = [realm_map(rewrites[name]) for name in sorted(rewrites)]
    nginx = render_template(
        "harbor/nginx-harbor.conf.j2",
        header=ctx.header("#"),
        version=str(harbor.version),
        external_url=str(harbor.external_url),
        upstream_name=UPSTREAM_NAME,
        upstream=f"{_bracketed(harbor.upstream.host)}:{harbor.upstream.port}",
        registry_timeout=str(harbor.registry_timeout),
        maps=maps,
        servers=servers,
        report=REPORT,
    )
    harbor_yml = render_template(
        "harbor/harbor.yml.j2",
        header=ctx.header("#"),
        version=str(harbor.version),
        hostname=harbor.effective_hostname,
        http_port=harbor.upstream.port,
        upstream=f"{_bracketed(harbor.upstream.host)}:{harbor.upstream.port}",
        external_url=str(harbor.external_url),
        external_entry=harbor.external_url_entry,
        data_volume=harbor.data_volume,
        nginx_conf=NGINX_CONF,
    )
    body = report_body(site, harbor, realms)
    printed = report_body(site, harbor, realms, with_table=False)
    notes = tuple(
        [
            f"entry {r.entry}: docker login {r.docker_login.value}: {r.docker_login_why}"
            for r in realms
            if r.docker_login is not ClientOutcome.WORKS
        ]
    )
    return RenderedFamily(
        family=FAMILY.name,
        files={HARBOR_YML: harbor_yml, NGINX_CONF: nginx, REPORT: ctx.header(">") + "\n" + body},
        report=printed,
        validations=(_validation(harbor),),
        notes=notes,
    )


@dataclass(frozen=True)
class HarborFamily:
    name: str = "harbor"
    section: str = "harbor"

    def render(self, spec: SiteSpec, ctx: RenderContext) -> RenderedFamily | None:
        if spec.harbor is None:
            return None
        return render_harbor(spec.harbor, spec.site, ctx)


FAMILY = HarborFamily()
