"""What a Harbor entry point answered, as plain data: the origin asked, each HTTP answer, the TLS
session, and the pieces of them docker acts on (the Bearer challenge, the token URL, the version).

The adapter (``opskit.adapters.http``) fills these in; ``harbor_judgement`` judges them. Nothing here
does I/O.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from opskit.core.spec.harbor import HarborVersion

TOKEN_PATH = "/service/token"
HARBOR_SERVICE = "harbor-registry"
_DEFAULT_PORTS = {"http": 80, "https": 443}


@dataclass(frozen=True)
class Origin:
    """``scheme://host:port`` of a URL, with the port made explicit (what a client connects to)."""

    scheme: str
    host: str
    port: int
    explicit_port: bool

    @classmethod
    def of(cls, url: str) -> Origin:
        """Parse the origin of an http(s) URL; ValueError for anything else."""
        parts = urlsplit(url)
        if parts.scheme not in _DEFAULT_PORTS:
            raise ValueError(f"{url!r} is not an http:// or https:// URL")
        if not parts.hostname:
            raise ValueError(f"{url!r} has no host")
        try:
            port = parts.port
        except ValueError:
            raise ValueError(f"{url!r} has an invalid port") from None
        return cls(parts.scheme, parts.hostname.lower(), port or _DEFAULT_PORTS[parts.scheme], port is not None)

    @property
    def key(self) -> tuple[str, str, int]:
        """What a client connects to: ``https://h`` and ``https://h:443`` are the same origin."""
        return self.scheme, self.host, self.port

    @property
    def authority(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return host if self.port == _DEFAULT_PORTS[self.scheme] else f"{host}:{self.port}"

    def __str__(self) -> str:
        return f"{self.scheme}://{self.authority}"


@dataclass(frozen=True)
class Challenge:
    """One ``Www-Authenticate`` challenge: ``Bearer realm="…",service="…"``."""

    scheme: str
    params: dict[str, str] = field(default_factory=dict, hash=False)

    @property
    def realm(self) -> str:
        return self.params.get("realm", "")


_TOKEN = r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+"
_PARAM = re.compile(rf'\s*({_TOKEN})\s*=\s*(?:"((?:[^"\\]|\\.)*)"|({_TOKEN}))\s*(?:,|$)')


def parse_challenge(value: str) -> Challenge | None:
    """Parse one challenge (RFC 7235 auth-params); None when the value is not one."""
    match = re.match(rf"\s*({_TOKEN})(?:\s+|$)", value)
    if match is None:
        return None
    params: dict[str, str] = {}
    rest = value[match.end() :]
    while rest.strip():
        param = _PARAM.match(rest)
        if param is None:
            break
        quoted, token = param.group(2), param.group(3)
        params[param.group(1).lower()] = re.sub(r"\\(.)", r"\1", quoted) if quoted is not None else token
        rest = rest[param.end() :]
    return Challenge(match.group(1), params)


@dataclass(frozen=True)
class HttpObservation:
    """What one request got: status (None when no response arrived), headers, the start of the body."""

    url: str
    status: int | None
    headers: tuple[tuple[str, str], ...] = ()
    body: str = ""
    millis: float = 0.0
    error: str = ""
    failure: str = ""  # with status None: "refused", "timeout" or "" (another transport error)

    def header_values(self, name: str) -> list[str]:
        wanted = name.lower()
        return [value for key, value in self.headers if key.lower() == wanted]


@dataclass(frozen=True)
class TlsObservation:
    """The certificate an https entry presented, and whether it verified (chain and name)."""

    verified: bool
    verify_error: str = ""
    names: tuple[str, ...] = ()  # subjectAltName DNS/IP entries (or the CN when there are none)
    not_after_epoch: float | None = None
    issuer: str = ""
    protocol: str = ""
    error: str = ""  # no TLS session at all


@dataclass(frozen=True)
class HarborObservation:
    """Everything `check harbor` saw for one entry point. Optional parts are None when not attempted."""

    url: str
    v2: HttpObservation
    token_anonymous: HttpObservation | None = None
    token_with_credentials: HttpObservation | None = None
    v2_with_token: HttpObservation | None = None
    ping: HttpObservation | None = None
    health: HttpObservation | None = None
    tls: TlsObservation | None = None
    now_epoch: float = 0.0
    insecure: bool = False
    reported_version: str = ""  # harbor_version from /api/v2.0/systeminfo when it was given out


def first_bearer(observation: HttpObservation) -> Challenge | None:
    """The challenge docker acts on: the first Bearer one among the ``Www-Authenticate`` values."""
    for value in observation.header_values("www-authenticate"):
        challenge = parse_challenge(value)
        if challenge is not None and challenge.scheme.lower() == "bearer":
            return challenge
    return None


def token_request_url(challenge: Challenge) -> str:
    """The anonymous token request docker makes first: the realm with ``?service=``."""
    service = challenge.params.get("service", HARBOR_SERVICE)
    separator = "&" if "?" in challenge.realm else "?"
    return f"{challenge.realm}{separator}service={service}"


def parse_reported_version(text: str) -> HarborVersion | None:
    """``v2.13.1-0ae3e2a0`` (systeminfo's harbor_version) → 2.13.1; None when it is not one."""
    match = re.match(r"v?(\d+)\.(\d+)\.(\d+)", text.strip())
    if match is None:
        return None
    return HarborVersion(int(match[1]), int(match[2]), int(match[3]))
