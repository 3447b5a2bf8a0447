"""Which token realm a Harbor client receives, and whether ``docker login`` and the UI can work with it.

Facts (goharbor/harbor ``src/server/middleware/v2auth/auth.go``, ``src/server/middleware/csrf/csrf.go``):

- An unauthenticated ``GET /v2/`` gets ``401`` and ``Www-Authenticate: Bearer realm="<R>",service=...``;
  ``docker login`` fetches its token from R.
- Harbor < 2.14.0: ``R = external_url + /service/token``, whatever host the client used.
- Harbor >= 2.14.0 (PR #21898): ``R = <scheme of external_url>://<Host header>/service/token``. The
  Host reaching core is the client's (outer nginx and Harbor's nginx both pass ``$http_host``).
- The CSRF cookie is ``Secure`` unless external_url starts with ``http://``: browsers never send it
  back over plain HTTP, so the UI cannot log in over an HTTP entry of an https external_url.
- Before 2.3.0 Harbor's own nginx overwrote ``X-Forwarded-Proto`` with ``$scheme`` (PR #14308), so
  blob upload ``Location`` headers said ``http://`` behind a TLS-terminating proxy.

Everything here is pure: ``opskit render harbor`` uses it to plan rewrites and write its report,
``opskit check harbor`` to explain what a live Harbor answered.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Literal

from opskit.core.spec.harbor import HarborVersion
from opskit.core.spec.types import BaseUrl

TOKEN_PATH = "/service/token"
HOST_BASED_REALM_SINCE = HarborVersion(2, 14, 0)
FORWARDED_PROTO_PASSED_SINCE = HarborVersion(2, 3, 0)

Scheme = Literal["http", "https"]


def token_url(base: BaseUrl) -> str:
    """The token service URL under a base URL: what a realm should be for clients of that URL."""
    return f"{base}{TOKEN_PATH}"


def realm_from_harbor(version: HarborVersion, external_url: BaseUrl, host_header: str) -> str:
    """The realm Harbor itself answers for a request whose ``Host`` header reached core as given."""
    if version >= HOST_BASED_REALM_SINCE and host_header:
        return f"{external_url.scheme}://{host_header}{TOKEN_PATH}"
    return token_url(external_url)


class RewriteMode(Enum):
    """How the entry-point nginx must change the realm, which depends on the Harbor version."""

    SCHEME = "scheme"  # >= 2.14: Harbor already uses the client's Host; only the scheme is wrong
    SCHEME_AND_HOST = "scheme and host"  # < 2.14: Harbor answers external_url's host whatever the client used


@dataclass(frozen=True)
class RealmRewrite:
    """A rewrite of the ``Www-Authenticate`` header on /v2/ responses, as the nginx map performs it.

    ``pattern`` is a PCRE for the nginx map (Python's ``re`` runs it too, see :meth:`apply`);
    ``replacement`` is the map value. Both keep everything around the realm URL (``Bearer``,
    ``service=``, ``scope=``) and leave headers without a ``scheme://`` realm (``Basic realm="harbor"``)
    untouched.
    """

    mode: RewriteMode
    to_scheme: Scheme

    @property
    def pattern(self) -> str:
        if self.mode is RewriteMode.SCHEME:
            from_scheme = "https" if self.to_scheme == "http" else "http"
            return rf'^(?<harbor_realm_head>.*realm="){from_scheme}://(?<harbor_realm_tail>.*)$'
        return r'^(?<harbor_realm_head>.*realm=")https?://[^/"]+(?<harbor_realm_tail>/.*)$'

    @property
    def replacement(self) -> str:
        """The nginx map value (``$http_host`` is the Host the client sent, port included)."""
        if self.mode is RewriteMode.SCHEME:
            return f"${{harbor_realm_head}}{self.to_scheme}://${{harbor_realm_tail}}"
        return f"${{harbor_realm_head}}{self.to_scheme}://$http_host${{harbor_realm_tail}}"

    @property
    def variable(self) -> str:
        """The nginx variable holding the rewritten header (one per target scheme)."""
        return f"harbor_www_authenticate_for_{self.to_scheme}"

    def apply(self, www_authenticate: str, host_header: str) -> str:
        """What the nginx map yields for one upstream header value (the map's ``default`` passes it as is)."""
        match = re.match(self.pattern.replace("(?<", "(?P<"), www_authenticate)
        if match is None:
            return www_authenticate
        if self.mode is RewriteMode.SCHEME:
            return f"{match['harbor_realm_head']}{self.to_scheme}://{match['harbor_realm_tail']}"
        return f"{match['harbor_realm_head']}{self.to_scheme}://{host_header}{match['harbor_realm_tail']}"


def rewrite_for(version: HarborVersion, to_scheme: Scheme) -> RealmRewrite:
    mode = RewriteMode.SCHEME if version >= HOST_BASED_REALM_SINCE else RewriteMode.SCHEME_AND_HOST
    return RealmRewrite(mode, to_scheme)


def needed_rewrite(version: HarborVersion, external_url: BaseUrl, client_url: BaseUrl) -> RealmRewrite | None:
    """The rewrite clients of ``client_url`` need, or None when Harbor's realm already fits them."""
    if realm_from_harbor(version, external_url, client_url.authority) == token_url(client_url):
        return None
    return rewrite_for(version, "https" if client_url.scheme == "https" else "http")


def challenge(realm: str) -> str:
    """The ``Www-Authenticate`` value Harbor sends with a realm (for modelling and tests)."""
    return f'Bearer realm="{realm}",service="harbor-registry"'


def realm_of(www_authenticate: str) -> str:
    """The realm URL inside a ``Www-Authenticate`` value ("" when it has none)."""
    _, found, rest = www_authenticate.partition('realm="')
    return rest.split('"', 1)[0] if found else ""


class ClientOutcome(Enum):
    """Whether one kind of client (docker login, the browser UI) works through an entry point."""

    WORKS = "works"
    DEPENDS = "depends"
    FAILS = "fails"


@dataclass(frozen=True)
class EntryRealm:
    """What the clients of one entry point get, and what follows from it."""

    entry: str
    client_url: BaseUrl
    realm_without_rewrite: str
    rewrite: RealmRewrite | None  # needed for this entry (None: Harbor's realm already fits)
    realm_with_rewrite: str  # what the rewrite makes of it (the same realm when none is needed)
    rewrite_rendered: bool
    realm_clients_get: str
    docker_login: ClientOutcome
    docker_login_why: str
    browser_ui: ClientOutcome
    browser_ui_why: str
    notes: tuple[str, ...] = ()


def _split_realm(realm: str) -> tuple[str, str]:
    scheme, _, rest = realm.partition("://")
    return scheme, rest.split("/", 1)[0]


def judge_docker_login(realm: str, client_url: BaseUrl, served: Mapping[str, str]) -> tuple[ClientOutcome, str]:
    """Can ``docker login`` through ``client_url`` fetch a token from ``realm``?

    ``served`` maps every entry's base URL (``scheme://authority``) to its name: the URLs this site
    answers on. Realms outside it are treated as unreachable, since nothing in the spec serves them.
    """
    own_realm = token_url(client_url)
    insecure = (
        f"; the Docker daemon must list {client_url.authority} in insecure-registries "
        f'(containerd: a hosts.toml with server = "http://{client_url.authority}")'
        if client_url.scheme == "http"
        else ""
    )
    if realm == own_realm:
        return ClientOutcome.WORKS, f"the realm is this entry's own token URL{insecure}"
    scheme, authority = _split_realm(realm)
    base = f"{scheme}://{authority}"
    try:
        realm_base = BaseUrl.parse(base)
    except ValueError:
        return ClientOutcome.FAILS, f"the realm {realm!r} is not an http(s) URL a client can fetch a token from"
    if (realm_base.host, realm_base.effective_port) == (client_url.host, client_url.effective_port):
        served_as = "plain HTTP" if client_url.scheme == "http" else "TLS"
        return ClientOutcome.FAILS, (
            f"the realm says {scheme}:// but {client_url.host} port {client_url.effective_port} speaks "
            f"{served_as}, so the token request fails"
        )
    if base in served:
        caveats = [f"works only if this entry's clients can reach {base} (entry {served[base]})"]
        if scheme == "https":
            caveats.append("and trust its certificate")
        if scheme == "http" and client_url.scheme == "https":
            caveats.append("and then the password crosses the network in clear text")
        return ClientOutcome.DEPENDS, " ".join(caveats) + insecure
    return ClientOutcome.FAILS, (
        f"no entry of this site serves {base}; the token request goes nowhere "
        "unless something outside this spec answers there"
    )


def judge_browser_ui(external_url: BaseUrl, client_url: BaseUrl) -> tuple[ClientOutcome, str]:
    """Can a browser log in to the UI through ``client_url``? Decided by the CSRF cookie's Secure flag."""
    if external_url.scheme == "https" and client_url.scheme == "http":
        return ClientOutcome.FAILS, (
            "external_url is https://, so Harbor marks its CSRF cookie Secure; browsers never send it back "
            'over plain HTTP and UI logins fail with "CSRF token invalid" (no nginx rewrite can fix this)'
        )
    if external_url.scheme == "http":
        return ClientOutcome.WORKS, "external_url is http://, so the CSRF cookie is not Secure"
    return ClientOutcome.WORKS, "same scheme as external_url"


def assess_entries(
    version: HarborVersion,
    external_url: BaseUrl,
    entries: Sequence[tuple[str, BaseUrl]],
    rewrite_enabled: bool,
) -> tuple[EntryRealm, ...]:
    """Per entry point (name, client URL): the realm with and without rewrite, and the verdicts."""
    served = {str(url): name for name, url in entries}
    result = []
    for name, client_url in entries:
        raw = realm_from_harbor(version, external_url, client_url.authority)
        rewrite = needed_rewrite(version, external_url, client_url)
        with_rewrite = realm_of(rewrite.apply(challenge(raw), client_url.authority)) if rewrite else raw
        rendered = rewrite is not None and rewrite_enabled
        realm_value = with_rewrite if rendered else raw
        login, login_why = judge_docker_login(realm_value, client_url, served)
        ui, ui_why = judge_browser_ui(external_url, client_url)
        notes = []
        if client_url.scheme == "https" and version < FORWARDED_PROTO_PASSED_SINCE:
            notes.append(
                f"Harbor {version}'s own nginx overwrites X-Forwarded-Proto with http "
                "(fixed in 2.3.0, PR #14308): "
                "blob upload Locations will say http:// and pushes through this entry fail; upgrade Harbor"
            )
        result.append(
            EntryRealm(
                name,
                client_url,
                raw,
                rewrite,
                with_rewrite,
                rendered,
                realm_value,
                login,
                login_why,
                ui,
                ui_why,
                tuple(notes),
            )
        )
    return tuple(result)
