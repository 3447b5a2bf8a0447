"""The CHK rules: one per row of a `check` table that can fail or warn, in the shared rule framework.

A `check` command judges live answers (`harbor_judgement`, `resolver`) into :class:`CheckItem`
rows; a failing or warning row becomes a finding whose id is `CHK-<COMMAND>-<CHECK>`
(:meth:`CheckItem.rule_id`). This catalog declares those ids like lint's and diagnose's rules (id,
name, family, severity, summary, *Why*), so SARIF's `rules[]` and docs/rules.md describe every id a
finding can carry. Each rule's `check` picks its own rows out of a run's items; a test proves the
catalog names every id the judgements can produce and nothing else. The severity is the usual one:
a row that can only warn is a warning, the rest errors (the finding carries the row's own).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from opskit.core.check.result import CheckItem
from opskit.core.findings import Finding, Severity
from opskit.core.rules import Rule, RuleContext, rule

ERROR, WARNING = Severity.ERROR, Severity.WARNING


def _rows(items: Sequence[CheckItem], ctx: RuleContext[str]) -> Iterator[Finding]:
    """The findings of this rule's rows (`ctx.facts`: the URL or file the run checked)."""
    tool = ctx.info.target
    for item in items:
        if item.rule_id(tool) == ctx.info.id:
            finding = item.finding(tool, ctx.facts)
            if finding is not None:
                yield finding


# --- check harbor --------------------------------------------------------------------------------


@rule(
    id="CHK-HARBOR-V2",
    name="harbor-v2-challenge",
    family="check-harbor",
    severity=ERROR,
    summary="GET /v2/ does not answer 401 with a Bearer challenge",
    target="harbor",
)
def harbor_v2(items: Sequence[CheckItem], ctx: RuleContext[str]) -> Iterator[Finding]:
    """*Why*: `docker login` starts with an anonymous `GET /v2/`; Harbor answers 401 with
    `Www-Authenticate: Bearer realm=…`. No answer, a 200, another status, a 401 without the header
    (`add_header` without `always`) or a non-Bearer challenge means docker cannot find where to
    ask for a token."""
    return _rows(items, ctx)


@rule(
    id="CHK-HARBOR-V2-DUPLICATE",
    name="harbor-duplicate-challenge",
    family="check-harbor",
    severity=WARNING,
    summary="/v2/ answers with more than one Www-Authenticate header",
    target="harbor",
)
def harbor_v2_duplicate(items: Sequence[CheckItem], ctx: RuleContext[str]) -> Iterator[Finding]:
    """*Why*: A proxy added its own challenge without hiding Harbor's (`add_header` without
    `proxy_hide_header Www-Authenticate`); docker takes the first Bearer one, which may be the
    wrong realm."""
    return _rows(items, ctx)


@rule(
    id="CHK-HARBOR-V2-SERVICE",
    name="harbor-service-name",
    family="check-harbor",
    severity=WARNING,
    summary="the challenge's service is not harbor-registry",
    target="harbor",
)
def harbor_v2_service(items: Sequence[CheckItem], ctx: RuleContext[str]) -> Iterator[Finding]:
    """*Why*: Harbor always names its registry `service="harbor-registry"`; another service name
    means another registry (or a rewritten challenge) answers behind this entry."""
    return _rows(items, ctx)


@rule(
    id="CHK-HARBOR-REALM",
    name="harbor-realm-matches-entry",
    family="check-harbor",
    severity=ERROR,
    summary="the token realm is not this entry's own /service/token",
    target="harbor",
)
def harbor_realm(items: Sequence[CheckItem], ctx: RuleContext[str]) -> Iterator[Finding]:
    """*Why*: Docker fetches its token from the realm the challenge names. Harbor >= 2.14 builds it
    from external_url's scheme and the `Host` that reached core, older Harbor answers external_url
    verbatim: behind a proxy that drops the port (`Host $host`) or without a realm rewrite, clients
    of this entry are sent to another host, which they may not reach (warning when it answers from
    here, error when it does not)."""
    return _rows(items, ctx)


@rule(
    id="CHK-HARBOR-TOKEN-ANONYMOUS",
    name="harbor-realm-answers",
    family="check-harbor",
    severity=ERROR,
    summary="the realm does not answer like Harbor core's token service",
    target="harbor",
)
def harbor_token_anonymous(items: Sequence[CheckItem], ctx: RuleContext[str]) -> Iterator[Finding]:
    """*Why*: Harbor core answers an anonymous token request without scope with 401. Anything else
    from the realm (no answer, 404, a token for nobody) means docker's token request does not reach
    Harbor core from here (location `/service/` missing, or the realm's host unreachable)."""
    return _rows(items, ctx)


@rule(
    id="CHK-HARBOR-TOKEN-LOGIN",
    name="harbor-token-login",
    family="check-harbor",
    severity=ERROR,
    summary="no token for the given user and password",
    target="harbor",
)
def harbor_token_login(items: Sequence[CheckItem], ctx: RuleContext[str]) -> Iterator[Finding]:
    """*Why*: With `--user`/`--password-stdin` the realm is asked for a real token, as
    `docker login` does; a 401 is a wrong user or password, any other answer a realm that is not
    Harbor's token service."""
    return _rows(items, ctx)


@rule(
    id="CHK-HARBOR-V2-AUTHENTICATED",
    name="harbor-token-accepted",
    family="check-harbor",
    severity=ERROR,
    summary="the registry refuses the token its realm issued",
    target="harbor",
)
def harbor_v2_authenticated(items: Sequence[CheckItem], ctx: RuleContext[str]) -> Iterator[Finding]:
    """*Why*: `GET /v2/` with the token must answer 200; a refusal means the realm belongs to
    another Harbor (another signing key), so pushes and pulls fail after a successful login."""
    return _rows(items, ctx)


@rule(
    id="CHK-HARBOR-PING",
    name="harbor-api-ping",
    family="check-harbor",
    severity=ERROR,
    summary="GET /api/v2.0/ping does not answer Pong",
    target="harbor",
)
def harbor_ping(items: Sequence[CheckItem], ctx: RuleContext[str]) -> Iterator[Finding]:
    """*Why*: Harbor core answers `Pong` without authentication; another answer means location
    `/api/` does not reach Harbor core through this entry (the UI and the API are broken here)."""
    return _rows(items, ctx)


@rule(
    id="CHK-HARBOR-HEALTH",
    name="harbor-health",
    family="check-harbor",
    severity=ERROR,
    summary="Harbor reports unhealthy components",
    target="harbor",
)
def harbor_health(items: Sequence[CheckItem], ctx: RuleContext[str]) -> Iterator[Finding]:
    """*Why*: `/api/v2.0/health` lists Harbor's components (core, registry, database, redis, ...);
    an unhealthy one affects pushes and pulls through every entry, whatever the proxies do."""
    return _rows(items, ctx)


@rule(
    id="CHK-HARBOR-TLS",
    name="harbor-tls-session",
    family="check-harbor",
    severity=ERROR,
    summary="no TLS session with an https entry",
    target="harbor",
)
def harbor_tls(items: Sequence[CheckItem], ctx: RuleContext[str]) -> Iterator[Finding]:
    """*Why*: An https entry that cannot complete a TLS handshake (plain HTTP on the port, no
    certificate, a protocol mismatch) is unusable for every client."""
    return _rows(items, ctx)


@rule(
    id="CHK-HARBOR-TLS-CHAIN",
    name="harbor-certificate-chain",
    family="check-harbor",
    severity=ERROR,
    summary="the certificate chain does not verify",
    target="harbor",
)
def harbor_tls_chain(items: Sequence[CheckItem], ctx: RuleContext[str]) -> Iterator[Finding]:
    """*Why*: Docker and browsers refuse an unverified certificate unless every client trusts it
    explicitly; a leaf sent without its intermediates is the usual cause (a warning with
    `--insecure`)."""
    return _rows(items, ctx)


@rule(
    id="CHK-HARBOR-TLS-NAME",
    name="harbor-certificate-name",
    family="check-harbor",
    severity=ERROR,
    summary="the certificate does not name the entry's host",
    target="harbor",
)
def harbor_tls_name(items: Sequence[CheckItem], ctx: RuleContext[str]) -> Iterator[Finding]:
    """*Why*: Clients check the name they connect to against the certificate's names (exact, or one
    left-most `*` label); a certificate for another name fails every docker login on this entry."""
    return _rows(items, ctx)


@rule(
    id="CHK-HARBOR-TLS-EXPIRY",
    name="harbor-certificate-expiry",
    family="check-harbor",
    severity=ERROR,
    summary="the certificate has expired or expires within 14 days",
    target="harbor",
)
def harbor_tls_expiry(items: Sequence[CheckItem], ctx: RuleContext[str]) -> Iterator[Finding]:
    """*Why*: An expired certificate stops every client at once; within 14 days of expiry it is a
    warning, time enough to renew."""
    return _rows(items, ctx)


# --- check resolver ------------------------------------------------------------------------------


@rule(
    id="CHK-RESOLVER-NAME-SHORT",
    name="resolver-short-name",
    family="check-resolver",
    severity=WARNING,
    summary="a single-label name: nginx's resolver never applies search domains",
    target="resolver",
)
def resolver_name_short(items: Sequence[CheckItem], ctx: RuleContext[str]) -> Iterator[Finding]:
    """*Why*: The system resolver and ping expand `svc` with resolv.conf's search domains, nginx's
    `resolver` does not: in a variable `proxy_pass` the short name is never found."""
    return _rows(items, ctx)


@rule(
    id="CHK-RESOLVER-NAME-ERROR",
    name="resolver-no-address",
    family="check-resolver",
    severity=ERROR,
    summary="the name server gave no address for a name",
    target="resolver",
)
def resolver_name_error(items: Sequence[CheckItem], ctx: RuleContext[str]) -> Iterator[Finding]:
    """*Why*: No A or AAAA record (or no answer at all) means nginx cannot reach the service by this
    name: a variable target answers 502, a literal one stops nginx from starting."""
    return _rows(items, ctx)


@rule(
    id="CHK-RESOLVER-TARGET-FOLLOWS-DNS",
    name="resolver-target-unresolved",
    family="check-resolver",
    severity=ERROR,
    summary="a target that follows DNS gets no address from the config's resolver",
    target="resolver",
)
def resolver_target_follows_dns(items: Sequence[CheckItem], ctx: RuleContext[str]) -> Iterator[Finding]:
    """*Why*: The target re-resolves through the config's own `resolver`, which was asked here:
    without an answer, or without an address, nginx answers 502 for it."""
    return _rows(items, ctx)


@rule(
    id="CHK-RESOLVER-TARGET-STALE",
    name="resolver-target-stale",
    family="check-resolver",
    severity=WARNING,
    summary="a literal target is resolved once, at load",
    target="resolver",
)
def resolver_target_stale(items: Sequence[CheckItem], ctx: RuleContext[str]) -> Iterator[Finding]:
    """*Why*: nginx resolves a literal `proxy_pass` name when it loads the config and keeps the
    address until the next reload: a Pod or container that moves leaves it pointing at a dead IP."""
    return _rows(items, ctx)


@rule(
    id="CHK-RESOLVER-TARGET-SHADOWED",
    name="resolver-target-shadowed",
    family="check-resolver",
    severity=ERROR,
    summary="a variable target is shadowed by a literal target or upstream of the same host:port",
    target="resolver",
)
def resolver_target_shadowed(items: Sequence[CheckItem], ctx: RuleContext[str]) -> Iterator[Finding]:
    """*Why*: When a literal `proxy_pass` or an `upstream` names the same host:port, nginx uses
    that static group for the variable too, resolved once at load: the variable does not help."""
    return _rows(items, ctx)


@rule(
    id="CHK-RESOLVER-TARGET-NO-RESOLVER",
    name="resolver-target-without-resolver",
    family="check-resolver",
    severity=ERROR,
    summary="a variable target with no resolver in scope",
    target="resolver",
)
def resolver_target_no_resolver(items: Sequence[CheckItem], ctx: RuleContext[str]) -> Iterator[Finding]:
    """*Why*: A variable `proxy_pass` is resolved per request through `resolver`; without one in
    scope nginx logs "no resolver defined" and answers 502."""
    return _rows(items, ctx)


@rule(
    id="CHK-RESOLVER-TARGET-SHORT-NAME",
    name="resolver-target-short-name",
    family="check-resolver",
    severity=ERROR,
    summary="a variable target names a single-label host",
    target="resolver",
)
def resolver_target_short_name(items: Sequence[CheckItem], ctx: RuleContext[str]) -> Iterator[Finding]:
    """*Why*: nginx's resolver asks for the name as written, without search domains: a short name is
    never found (write the FQDN, e.g. `svc.namespace.svc.cluster.local`)."""
    return _rows(items, ctx)


_ALL: tuple[Rule, ...] = (
    harbor_v2,
    harbor_v2_duplicate,
    harbor_v2_service,
    harbor_realm,
    harbor_token_anonymous,
    harbor_token_login,
    harbor_v2_authenticated,
    harbor_ping,
    harbor_health,
    harbor_tls,
    harbor_tls_chain,
    harbor_tls_name,
    harbor_tls_expiry,
    resolver_name_short,
    resolver_name_error,
    resolver_target_follows_dns,
    resolver_target_stale,
    resolver_target_shadowed,
    resolver_target_no_resolver,
    resolver_target_short_name,
)


def all_rules() -> tuple[Rule, ...]:
    """Every CHK rule, harbor's then resolver's, in the order a run meets them."""
    return _ALL


def rules_of(command: str) -> tuple[Rule, ...]:
    """The CHK rules of one `check` command (`harbor` or `resolver`)."""
    return tuple(r for r in _ALL if r.info.target == command)
