"""Judge what one Harbor entry point answered, and explain every mismatch the way an operator can act on.

The facts behind the explanations (goharbor/harbor ``src/server/middleware/v2auth/auth.go``,
nginx ``ngx_http_headers_module``):

- ``GET /v2/`` without credentials answers 401 with ``Bearer realm="<R>",service="harbor-registry"``;
  ``docker login`` fetches its token from R, so R must be this entry's own ``/service/token``.
- Harbor >= 2.14 builds R from external_url's *scheme* and the ``Host`` header that reached core;
  older Harbor answers ``external_url`` verbatim. The scheme never comes from X-Forwarded-Proto.
- nginx ``proxy_set_header Host $host`` drops the port (``$http_host`` keeps it); without any Host
  line nginx sends ``$proxy_host``, the upstream's own address.
- A per-entry realm rewrite hides Harbor's header and adds its own; ``add_header`` skips 401 unless
  it ends in ``always``, so a rewrite without it leaves the 401 with no challenge at all.

Observations come in from the adapter (``opskit.adapters.http``) as ``harbor_observation`` data;
nothing here does I/O.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from urllib.parse import urlsplit

from opskit.core.check.harbor_observation import (
    HARBOR_SERVICE,
    TOKEN_PATH,
    Challenge,
    HarborObservation,
    HttpObservation,
    Origin,
    TlsObservation,
    first_bearer,
    parse_challenge,
    parse_reported_version,
)
from opskit.core.check.result import CheckItem, Status, check_findings
from opskit.core.findings import Finding
from opskit.core.spec.harbor import HarborVersion

HOST_BASED_REALM_SINCE = HarborVersion(2, 14, 0)
EXPIRY_WARNING_DAYS = 14

REWRITE_FIX = (
    "rewrite the realm on this entry's location /v2/ (what `opskit render` generates): "
    'map $upstream_http_www_authenticate $wa { "~^(?<h>.*realm=\\")https?://[^/\\"]+(?<t>/.*)$" '
    '"${h}<scheme>://$http_host${t}"; default $upstream_http_www_authenticate; } and in the location '
    "`proxy_hide_header Www-Authenticate; add_header Www-Authenticate $wa always;`"
)


@dataclass(frozen=True)
class EntryReport:
    url: str
    items: tuple[CheckItem, ...]
    realm: str
    version_used: str  # the Harbor version the explanations assumed ("" = both rules explained)

    @property
    def failed(self) -> bool:
        return any(item.status is Status.FAIL for item in self.items)

    @property
    def findings(self) -> tuple[Finding, ...]:
        """Failing and warning checks as findings (``CHK-HARBOR-…`` ids), shaped like lint's and diagnose's."""
        return check_findings(self.items, "harbor", self.url)


@dataclass(frozen=True)
class HarborCheck:
    """`check harbor`: one report per entry point, in the order given."""

    entries: tuple[EntryReport, ...]

    @property
    def failed(self) -> bool:
        return any(entry.failed for entry in self.entries)


def _version_rules(version: HarborVersion | None) -> tuple[bool, bool]:
    """Which realm rules may apply: (host-based >= 2.14, external_url verbatim < 2.14)."""
    if version is None:
        return True, True
    host_based = version >= HOST_BASED_REALM_SINCE
    return host_based, not host_based


def explain_realm(entry: Origin, realm: str, version: HarborVersion | None) -> tuple[Status, str, str, str]:
    """Compare the realm with the entry's own token URL: (status, detail, explanation, fix).

    The status for a realm on another host is decided later, by whether its token service answered;
    this returns WARN for that case.
    """
    own = f"{entry}{TOKEN_PATH}"
    host_based, verbatim = _version_rules(version)
    try:
        origin = Origin.of(realm)
    except ValueError:
        return (
            Status.FAIL,
            f"realm {realm!r} is not an http(s) URL",
            "Harbor < 2.14 copies external_url verbatim and never validates it: an external_url written "
            "without http:// or https:// (e.g. `external_url: reg.example.com`) gives a realm docker cannot use.",
            f"set external_url to the full URL (e.g. {entry}) in harbor.yml and re-run ./prepare",
        )
    path = urlsplit(realm).path
    if path != TOKEN_PATH:
        return (
            Status.FAIL,
            f"realm path is {path!r}, not {TOKEN_PATH}",
            "A proxy between the client and Harbor changed the path: a `proxy_pass` with a URI part on "
            "location /v2/ (or a rewrite) produces realms like http://host/v2//service/token (goharbor/harbor#3114).",
            "proxy_pass to Harbor without a URI part (`proxy_pass http://harbor;`) and no rewrite on /v2/",
        )
    if realm == own or origin.key == entry.key:
        return Status.PASS, f"realm is this entry's own token URL {own}", "", ""

    why: list[str] = []
    fix = ""
    if origin.host == entry.host and origin.port != entry.port and origin.scheme == entry.scheme:
        if not origin.explicit_port:
            detail = f"realm {realm} lost the port {entry.port} this entry's clients use"
            if host_based:
                why.append(
                    "Harbor >= 2.14 builds the realm from the Host header that reached it: "
                    "`proxy_set_header Host $host;` drops the port (`$http_host` keeps it)."
                )
            if verbatim:
                why.append(f"Harbor < 2.14 answers external_url verbatim: external_url lacks `:{entry.port}`.")
            fix = "`proxy_set_header Host $http_host;` in every location that proxies to Harbor" if host_based else ""
            if verbatim:
                fix = (fix + " / " if fix else "") + f"external_url: {entry} in harbor.yml, then ./prepare"
        else:
            detail = f"realm {realm} names port {origin.port}, but clients of this entry use port {entry.port}"
            if host_based:
                why.append(
                    "Harbor >= 2.14 takes host:port from the Host header: it carried the proxy's own listen "
                    "port (`Host $host:$server_port`, or a NAT in front maps the public port to another one), "
                    "not the port the client typed."
                )
            if verbatim:
                why.append(f"Harbor < 2.14 answers external_url verbatim, and external_url says port {origin.port}.")
            fix = "pass `proxy_set_header Host $http_host;` (the port the client typed) or " + REWRITE_FIX
        return Status.FAIL, detail, " ".join(why), fix

    if origin.host == entry.host and origin.port == entry.port and origin.scheme != entry.scheme:
        detail = f"realm says {origin.scheme}:// but this entry speaks {entry.scheme}"
        if origin.scheme == "https":
            explanation = (
                "Harbor takes the realm's scheme from external_url (https://…), never from "
                "X-Forwarded-Proto; docker would speak TLS to this plain-HTTP port and the token request fails. "
                "One external_url cannot fit an HTTP and an HTTPS entry: the HTTP entry needs a realm rewrite."
            )
        else:
            explanation = (
                "external_url is http://, so Harbor's realm says http:// although clients come in over TLS: "
                "the token request goes as plain HTTP to a TLS port (and would carry the password in clear text)."
            )
        return Status.FAIL, detail, explanation, REWRITE_FIX.replace("<scheme>", entry.scheme)

    detail = f"realm {realm} is on {origin}, not on this entry ({entry})"
    if verbatim:
        why.append(
            "Harbor < 2.14 answers external_url + /service/token whatever host the client used, so "
            f"clients of this entry must be able to reach {origin}."
        )
    if host_based:
        why.append(
            "Harbor >= 2.14 builds the realm from the Host header that reached it, so the Host was replaced "
            "on the way: without `proxy_set_header Host $http_host;` nginx sends $proxy_host (the upstream's "
            "own name), and a hard-coded Host or a second proxy does the same."
        )
    if origin.scheme == "http" and entry.scheme == "https":
        why.append("The realm is plain http://: the password would cross the network in clear text.")
        return Status.FAIL, detail, " ".join(why), REWRITE_FIX.replace("<scheme>", entry.scheme)
    fix = REWRITE_FIX.replace("<scheme>", entry.scheme)
    if host_based:
        fix = "`proxy_set_header Host $http_host;` on location /v2/, or " + fix
    return Status.WARN, detail, " ".join(why), fix


def _response_summary(observation: HttpObservation) -> str:
    if observation.status is None:
        return f"no answer from {observation.url}: {observation.error}"
    return f"{observation.status} from {observation.url}"


def _unreachable(observation: HttpObservation) -> tuple[str, str]:
    """Why no response arrived, in the operator's words (explanation, fix)."""
    netloc = urlsplit(observation.url).netloc
    if observation.failure == "refused":
        return (
            f"connection refused: nothing listens on {netloc} (the proxy is not running, or the entry's port "
            "is wrong or blocked with a reject).",
            f"start the proxy that should listen on {netloc}, or check the entry's port",
        )
    if observation.failure == "timeout":
        return (
            f"no answer within the timeout from {netloc}: the port accepts but nothing answers (a hung proxy "
            "or upstream), or a firewall drops the packets.",
            "check the proxy's error log and its upstream; a firewall that drops instead of rejecting looks the same",
        )
    return f"no HTTP response from {netloc}: {observation.error}", ""


def _assess_v2(
    entry: Origin, observation: HarborObservation, version: HarborVersion | None
) -> tuple[list[CheckItem], str]:
    v2 = observation.v2
    title = "GET /v2/ challenge"
    if v2.status is None:
        why, fix = _unreachable(v2)
        return [CheckItem("v2", title, Status.FAIL, _response_summary(v2), why, fix, millis=v2.millis)], ""
    if v2.status == 200:
        return [
            CheckItem(
                "v2",
                title,
                Status.FAIL,
                "200 without credentials",
                "Harbor always challenges an anonymous /v2/: a 200 means a registry without token auth or a "
                "location /v2/ that does not reach Harbor.",
                "proxy location /v2/ to Harbor's own nginx (harbor.yml http.port)",
                v2.millis,
            )
        ], ""
    if v2.status != 401:
        return [
            CheckItem(
                "v2",
                title,
                Status.FAIL,
                f"{v2.status} instead of 401",
                "Harbor answers an anonymous /v2/ with 401: this is not Harbor's registry behind location /v2/ "
                "(wrong upstream, missing location, or a front page).",
                "proxy location /v2/ to Harbor's own nginx (harbor.yml http.port)",
                v2.millis,
            )
        ], ""
    values = v2.header_values("www-authenticate")
    if not values:
        return [
            CheckItem(
                "v2",
                title,
                Status.FAIL,
                "401 without any Www-Authenticate header",
                "Harbor sends its challenge with every 401, so a proxy removed it: a realm rewrite with "
                "`proxy_hide_header Www-Authenticate` plus `add_header Www-Authenticate …` *without* `always` "
                "(add_header only applies to 200, 201, 204, 206, 301, 302, 303, 304, 307 and 308). "
                "docker login has no realm to ask and fails.",
                "end the line with always: `add_header Www-Authenticate $<rewritten> always;`",
                v2.millis,
            )
        ], ""
    challenge = first_bearer(v2)
    items: list[CheckItem] = []
    if challenge is None:
        basic = any((parse_challenge(v) or Challenge("")).scheme.lower() == "basic" for v in values)
        return [
            CheckItem(
                "v2",
                title,
                Status.FAIL,
                f"no Bearer challenge: {'; '.join(values)}",
                (
                    'Harbor answers `Basic realm="harbor"` only to requests that carry an Authorization header: '
                    "something on the way adds one (a proxy_set_header Authorization / auth_basic in front)."
                    if basic
                    else "Harbor's registry answers with a Bearer challenge: this is not Harbor behind /v2/."
                ),
                "",
                v2.millis,
            )
        ], ""
    if len(values) > 1:
        items.append(
            CheckItem(
                "v2.duplicate",
                "one challenge",
                Status.WARN,
                f"{len(values)} Www-Authenticate headers: {' | '.join(values)}",
                "A proxy added a challenge without hiding Harbor's (`add_header` without "
                "`proxy_hide_header Www-Authenticate`); docker uses the first Bearer one.",
                "`proxy_hide_header Www-Authenticate;` next to the add_header",
            )
        )
    service = challenge.params.get("service", "")
    status, detail, explanation, fix = explain_realm(entry, challenge.realm, version)
    if service != HARBOR_SERVICE:
        items.append(
            CheckItem(
                "v2.service",
                "service name",
                Status.WARN,
                f"service={service!r}, Harbor says {HARBOR_SERVICE!r}",
                "A registry that is not Harbor (or a rewritten challenge) answered /v2/.",
            )
        )
    items.insert(0, CheckItem("v2", title, Status.PASS, f"401 Bearer service={service}", millis=v2.millis))
    items.insert(1, CheckItem("realm", "realm matches entry", status, detail, explanation, fix))
    return items, challenge.realm


def _assess_token(observation: HarborObservation, realm_item: CheckItem) -> list[CheckItem]:
    items: list[CheckItem] = []
    anonymous = observation.token_anonymous
    if anonymous is not None:
        title = "realm answers (anonymous)"
        if anonymous.status == 401:
            items.append(
                CheckItem(
                    "token.anonymous",
                    title,
                    Status.PASS,
                    "401 without scope: Harbor core answered",
                    "",
                    "",
                    anonymous.millis,
                )
            )
        elif anonymous.status == 200:
            items.append(
                CheckItem(
                    "token.anonymous",
                    title,
                    Status.WARN,
                    "200: a token without credentials or scope",
                    "Harbor core refuses an anonymous token request without scope; something else answers the realm.",
                    millis=anonymous.millis,
                )
            )
        else:
            items.append(
                CheckItem(
                    "token.anonymous",
                    title,
                    Status.FAIL,
                    _response_summary(anonymous),
                    "docker fetches its token from the realm: from here it does not reach Harbor core's token "
                    "service (expected 401 without credentials). Check location /service/ and that the realm's "
                    "host:port is reachable from this entry's clients.",
                    millis=anonymous.millis,
                )
            )
    credentials = observation.token_with_credentials
    if credentials is not None:
        title = "token with credentials"
        token = ""
        if credentials.status == 200:
            try:
                document = json.loads(credentials.body)
                token = str(document.get("token") or document.get("access_token") or "")
            except (ValueError, AttributeError, RecursionError):  # RecursionError: a body nested past any JSON depth
                token = ""
        if token:
            items.append(CheckItem("token.login", title, Status.PASS, "200 with a token", millis=credentials.millis))
        elif credentials.status == 401:
            items.append(
                CheckItem(
                    "token.login",
                    title,
                    Status.FAIL,
                    "401: Harbor rejected the user or password",
                    millis=credentials.millis,
                )
            )
        else:
            items.append(
                CheckItem(
                    "token.login",
                    title,
                    Status.FAIL,
                    _response_summary(credentials) + " (no token)",
                    millis=credentials.millis,
                )
            )
    authenticated = observation.v2_with_token
    if authenticated is not None:
        ok = authenticated.status == 200
        items.append(
            CheckItem(
                "v2.authenticated",
                "GET /v2/ with the token",
                Status.PASS if ok else Status.FAIL,
                _response_summary(authenticated),
                "" if ok else "The registry refused a token from this realm: the realm belongs to another Harbor.",
                millis=authenticated.millis,
            )
        )
    # A realm on another host is acceptable only when its token service answered from here.
    if realm_item.status is Status.WARN and any(i.status is Status.FAIL for i in items):
        items.insert(
            0,
            CheckItem(
                realm_item.check_id,
                realm_item.title,
                Status.FAIL,
                realm_item.detail + "; it does not answer from here",
                realm_item.explanation,
                realm_item.fix,
            ),
        )
        return items
    if realm_item.status is Status.WARN:
        items.insert(
            0,
            CheckItem(
                realm_item.check_id,
                realm_item.title,
                Status.WARN,
                realm_item.detail + "; it answers from here, so login works only for clients that reach it too",
                realm_item.explanation,
                realm_item.fix,
            ),
        )
        return items
    return [realm_item, *items]


def _assess_api(observation: HarborObservation) -> list[CheckItem]:
    items: list[CheckItem] = []
    ping = observation.ping
    if ping is not None:
        pong = ping.status == 200 and ping.body.strip() == "Pong"
        why, fix = (
            _unreachable(ping)
            if ping.status is None
            else ("" if pong else "Harbor core answers Pong without auth: location /api/ does not reach it.", "")
        )
        items.append(
            CheckItem(
                "ping",
                "GET /api/v2.0/ping",
                Status.PASS if pong else Status.FAIL,
                "200 Pong" if pong else _response_summary(ping) + (f" {ping.body[:60]!r}" if ping.body else ""),
                why,
                fix,
                millis=ping.millis,
            )
        )
    health = observation.health
    if health is not None:
        items.append(_assess_health(health))
    return items


def _assess_health(health: HttpObservation) -> CheckItem:
    title = "GET /api/v2.0/health"
    if health.status != 200:
        return CheckItem("health", title, Status.FAIL, _response_summary(health), millis=health.millis)
    try:
        document = json.loads(health.body)
        overall = str(document.get("status", ""))
        components = [
            (str(c.get("name", "?")), str(c.get("status", "?")), str(c.get("error", "") or ""))
            for c in document.get("components", [])
        ]
    except (ValueError, AttributeError, TypeError, RecursionError):  # (a body nested past any JSON depth)
        return CheckItem("health", title, Status.FAIL, "200 but not Harbor's health JSON", millis=health.millis)
    sick = [
        f"{name}: {status}" + (f" ({error})" if error else "")
        for name, status, error in components
        if status != "healthy"
    ]
    if overall == "healthy" and not sick:
        names = ", ".join(name for name, _, _ in components)
        return CheckItem("health", title, Status.PASS, f"healthy ({names})", millis=health.millis)
    return CheckItem(
        "health",
        title,
        Status.FAIL,
        f"{overall or 'unknown'}: " + ("; ".join(sick) or "no components listed"),
        "Harbor reports unhealthy components: pushes and pulls through every entry are affected.",
        millis=health.millis,
    )


def matches_certificate_name(host: str, names: tuple[str, ...]) -> bool:
    """RFC 6125 matching as browsers do it: exact, or one left-most ``*`` label."""
    host = host.lower().rstrip(".")
    for name in names:
        name = name.lower().rstrip(".")
        if name == host:
            return True
        if name.startswith("*.") and "." in host and host.split(".", 1)[1] == name[2:]:
            return True
    return False


def _assess_tls(entry: Origin, tls: TlsObservation, now_epoch: float, insecure: bool) -> list[CheckItem]:
    if tls.error:
        return [CheckItem("tls", "TLS", Status.FAIL, f"no TLS session: {tls.error}")]
    items: list[CheckItem] = []
    if tls.verified:
        items.append(
            CheckItem("tls.chain", "certificate chain", Status.PASS, f"verified ({tls.protocol}, issuer {tls.issuer})")
        )
    else:
        explanation = "docker and browsers refuse it unless every client trusts it explicitly."
        if "local issuer" in tls.verify_error:
            explanation = (
                "The server sends an incomplete chain (leaf without intermediates) or the CA is not "
                "trusted here: put the full chain in ssl_certificate, or pass --ca."
            )
        items.append(
            CheckItem(
                "tls.chain",
                "certificate chain",
                Status.WARN if insecure else Status.FAIL,
                f"not verified: {tls.verify_error}" + (" (--insecure)" if insecure else ""),
                explanation,
            )
        )
    name_ok = matches_certificate_name(entry.host, tls.names)
    items.append(
        CheckItem(
            "tls.name",
            "certificate name",
            Status.PASS if name_ok else Status.FAIL,
            f"{entry.host} {'in' if name_ok else 'not in'} {', '.join(tls.names) or 'no names'}",
            "" if name_ok else "Clients check the name they connect to against the certificate's names.",
        )
    )
    if tls.not_after_epoch is not None:
        days = (tls.not_after_epoch - now_epoch) / 86400
        if days < 0:
            status, detail = Status.FAIL, f"expired {-days:.0f} days ago"
        elif days < EXPIRY_WARNING_DAYS:
            status, detail = Status.WARN, f"expires in {days:.1f} days"
        else:
            status, detail = Status.PASS, f"expires in {days:.0f} days"
        items.append(CheckItem("tls.expiry", "certificate expiry", status, detail))
    return items


def assess_entry(observation: HarborObservation, version_hint: HarborVersion | None = None) -> EntryReport:
    """Every check for one entry point, in the order a ``docker login`` meets them."""
    entry = Origin.of(observation.url)
    version = version_hint or parse_reported_version(observation.reported_version)
    items: list[CheckItem] = []
    if entry.scheme == "https" and observation.tls is not None:
        items.extend(_assess_tls(entry, observation.tls, observation.now_epoch, observation.insecure))
    v2_items, realm = _assess_v2(entry, observation, version)
    realm_item = next((i for i in v2_items if i.check_id == "realm"), None)
    items.extend(i for i in v2_items if i.check_id != "realm")
    if realm_item is not None:
        items.extend(_assess_token(observation, realm_item))
    items.extend(_assess_api(observation))
    return EntryReport(observation.url, tuple(items), realm, str(version) if version else "")
