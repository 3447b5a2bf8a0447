"""HTTP and TLS look-ups for `opskit check harbor` (httpx, ssl). No judgement here: see core/check/harbor.

``--connect-to HOST:PORT:ADDR:PORT`` works like curl's: requests for HOST:PORT go to ADDR:PORT while the
Host header, SNI and certificate name stay HOST. It lets an operator check a NAT or DNS-name entry from
inside the network, and the tests check public-looking entries on loopback.
"""

from __future__ import annotations

import base64
import os
import socket
import ssl
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx

from opskit.core.check.harbor_observation import (
    HarborObservation,
    HttpObservation,
    TlsObservation,
    first_bearer,
    token_request_url,
)
from opskit.errors import InputError

BODY_LIMIT = 16_384
USER_AGENT = "opskit-check (docker-like registry probe)"


@dataclass(frozen=True)
class ConnectTo:
    """Send connections for ``host:port`` to ``to_host:to_port`` (curl ``--connect-to`` semantics)."""

    host: str
    port: int
    to_host: str
    to_port: int

    @classmethod
    def parse(cls, text: str) -> ConnectTo:
        """``HOST:PORT:ADDR:PORT``; IPv6 addresses in brackets (``[::1]``)."""
        parts = _split_hostports(text)
        if parts is None:
            raise InputError.option("--connect-to", f"{text!r} is not HOST:PORT:ADDRESS:PORT")
        host, port, to_host, to_port = parts
        return cls(host.lower(), port, to_host, to_port)


def _split_hostports(text: str) -> tuple[str, int, str, int] | None:
    fields: list[str] = []
    rest = text
    while rest:
        if rest.startswith("["):
            end = rest.find("]")
            if end < 0:
                return None
            fields.append(rest[1:end])
            rest = rest[end + 1 :]
            if rest.startswith(":"):
                rest = rest[1:]
            continue
        head, sep, rest = rest.partition(":")
        fields.append(head)
        if not sep:
            break
    if len(fields) != 4 or not fields[0] or not fields[2]:
        return None
    try:
        port, to_port = int(fields[1]), int(fields[3])
    except ValueError:
        return None
    if not (0 < port < 65536 and 0 < to_port < 65536):
        return None
    return fields[0], port, fields[2], to_port


@dataclass(frozen=True)
class ClientOptions:
    insecure: bool = False
    ca_file: str | None = None
    connect_to: tuple[ConnectTo, ...] = ()
    timeout: float = 10.0


class EntryClient:
    """One httpx client per run: no redirects followed, no proxy from the environment (we test the entry)."""

    def __init__(self, options: ClientOptions) -> None:
        self.options = options
        self._verify_context = self._context(verify=True)
        self._client = httpx.Client(
            verify=self._context(verify=not options.insecure),
            follow_redirects=False,
            trust_env=False,
            timeout=options.timeout,
            headers={"User-Agent": USER_AGENT},
        )

    def close(self) -> None:
        self._client.close()

    def _context(self, verify: bool) -> ssl.SSLContext:
        if not verify:
            context = ssl.create_default_context()
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE
            return context
        try:
            return ssl.create_default_context(cafile=self.options.ca_file)
        except (OSError, ssl.SSLError) as error:
            raise InputError.at(self.options.ca_file, None, "--ca", f"cannot load CA file: {error}") from None

    def _target(self, host: str, port: int) -> tuple[str, int]:
        for rule in self.options.connect_to:
            if rule.host == host.lower() and rule.port == port:
                return rule.to_host, rule.to_port
        return host, port

    def get(self, url: str, headers: dict[str, str] | None = None) -> HttpObservation:
        """GET ``url`` once; transport errors become an observation with ``status=None``."""
        try:
            request_url = httpx.URL(url)
        except httpx.InvalidURL as error:
            return HttpObservation(url, None, error=f"invalid URL: {error}")
        port = request_url.port or (443 if request_url.scheme == "https" else 80)
        to_host, to_port = self._target(request_url.host, port)
        extensions: dict[str, Any] = {}
        all_headers = dict(headers or {})
        if (to_host, to_port) != (request_url.host, port):
            all_headers["Host"] = request_url.netloc.decode("ascii")
            if request_url.scheme == "https":
                extensions["sni_hostname"] = request_url.host
            request_url = request_url.copy_with(host=to_host, port=to_port)
        started = time.perf_counter()
        try:
            response = self._client.get(request_url, headers=all_headers, extensions=extensions)
        except httpx.HTTPError as error:
            return HttpObservation(url, None, millis=_since(started), error=_describe(error), failure=_failure(error))
        body = response.content[:BODY_LIMIT].decode("utf-8", "replace")
        return HttpObservation(url, response.status_code, tuple(response.headers.multi_items()), body, _since(started))

    def tls_peer(self, host: str, port: int) -> TlsObservation:
        """Handshake once verified (chain and name); on failure again unverified to read the certificate."""
        to_host, to_port = self._target(host, port)
        server_hostname = host
        try:
            with self._handshake(to_host, to_port, server_hostname, self._verify_context) as tls:
                return _describe_peer(tls, tls.getpeercert() or {}, True, "")
        except ssl.SSLCertVerificationError as error:
            verify_error = str(error.verify_message or error)
        except (OSError, ssl.SSLError) as error:
            return TlsObservation(False, error=str(error))
        try:
            with self._handshake(to_host, to_port, server_hostname, self._context(verify=False)) as tls:
                der = tls.getpeercert(binary_form=True)
                return _describe_peer(tls, _decode_der(der) if der else {}, False, verify_error)
        except (OSError, ssl.SSLError) as error:
            return TlsObservation(False, verify_error, error=str(error))

    def _handshake(self, host: str, port: int, server_hostname: str, context: ssl.SSLContext) -> ssl.SSLSocket:
        raw = socket.create_connection((host, port), timeout=self.options.timeout)
        try:
            return context.wrap_socket(raw, server_hostname=server_hostname)
        except BaseException:
            raw.close()
            raise


def _since(started: float) -> float:
    return (time.perf_counter() - started) * 1000


def _describe(error: httpx.HTTPError) -> str:
    cause: BaseException = error
    while cause.__cause__ is not None or cause.__context__ is not None:
        cause = cause.__cause__ or cause.__context__  # type: ignore[assignment]
    text = str(cause) or type(cause).__name__
    return f"{type(error).__name__}: {text}"


def _failure(error: httpx.HTTPError) -> str:
    """``refused`` / ``timeout`` / ``""``: the cause an operator acts on differently."""
    if isinstance(error, httpx.TimeoutException):
        return "timeout"
    cause: BaseException | None = error
    while cause is not None:
        if isinstance(cause, ConnectionRefusedError):
            return "refused"
        cause = cause.__cause__ or cause.__context__
    return "refused" if isinstance(error, httpx.ConnectError) and "refused" in str(error).lower() else ""


def _decode_der(der: bytes) -> dict[str, Any]:
    # The stdlib decodes certificates only from files; this private helper has been stable since 3.x
    # and saves a dependency on `cryptography` for reading a name and a date.
    pem = ssl.DER_cert_to_PEM_cert(der)
    handle, path = tempfile.mkstemp(suffix=".pem")
    try:
        with os.fdopen(handle, "w") as file:
            file.write(pem)
        decoded: dict[str, Any] = ssl._ssl._test_decode_cert(path)  # type: ignore[attr-defined]
        return decoded
    except (ssl.SSLError, AttributeError):
        return {}
    finally:
        os.unlink(path)


def _describe_peer(tls: ssl.SSLSocket, cert: dict[str, Any], verified: bool, verify_error: str) -> TlsObservation:
    names = tuple(value for kind, value in cert.get("subjectAltName", ()) if kind in ("DNS", "IP Address"))
    if not names:
        names = tuple(value for rdn in cert.get("subject", ()) for key, value in rdn if key == "commonName")
    issuer = ", ".join(f"{key}={value}" for rdn in cert.get("issuer", ()) for key, value in rdn)
    not_after = cert.get("notAfter")
    return TlsObservation(
        verified=verified,
        verify_error=verify_error,
        names=names,
        not_after_epoch=float(ssl.cert_time_to_seconds(not_after)) if not_after else None,
        issuer=issuer,
        protocol=tls.version() or "",
    )


def observe_harbor_entry(
    client: EntryClient,
    url: str,
    credentials: tuple[str, str] | None,
    clock: Callable[[], float] = time.time,
) -> HarborObservation:
    """Make the requests ``docker login`` makes through one entry point, plus Harbor's ping and health.

    The login chain (``/v2/`` → realm → token → ``/v2/`` with it) is sequential by nature; ping, health
    and systeminfo do not depend on it and run alongside (the client is thread-safe), so a hung entry
    costs about one timeout, not four.
    """
    from concurrent.futures import ThreadPoolExecutor

    base = url.rstrip("/")
    parsed = httpx.URL(base)
    with ThreadPoolExecutor(max_workers=3, thread_name_prefix="opskit-api") as pool:
        api = [pool.submit(client.get, f"{base}/api/v2.0/{what}") for what in ("ping", "health", "systeminfo")]
        login = _observe_login(client, base, parsed, credentials)
        ping, health, systeminfo = (future.result() for future in api)
    tls, v2, token_anonymous, token_with_credentials, v2_with_token = login
    return HarborObservation(
        url=base,
        v2=v2,
        token_anonymous=token_anonymous,
        token_with_credentials=token_with_credentials,
        v2_with_token=v2_with_token,
        ping=ping,
        health=health,
        tls=tls,
        now_epoch=clock(),
        insecure=client.options.insecure,
        reported_version=_reported_version(systeminfo),
    )


def _observe_login(
    client: EntryClient, base: str, parsed: httpx.URL, credentials: tuple[str, str] | None
) -> tuple[
    TlsObservation | None, HttpObservation, HttpObservation | None, HttpObservation | None, HttpObservation | None
]:
    tls = None
    if parsed.scheme == "https":
        tls = client.tls_peer(parsed.host, parsed.port or 443)
    v2 = client.get(f"{base}/v2/")
    challenge = first_bearer(v2) if v2.status == 401 else None
    token_anonymous = token_with_credentials = v2_with_token = None
    if challenge is not None and challenge.realm.startswith(("http://", "https://")):
        token_url = token_request_url(challenge)
        token_anonymous = client.get(token_url)
        if credentials is not None:
            user, password = credentials
            basic = base64.b64encode(f"{user}:{password}".encode()).decode("ascii")
            token_with_credentials = client.get(token_url, {"Authorization": f"Basic {basic}"})
            token = _token_of(token_with_credentials)
            if token:
                v2_with_token = client.get(f"{base}/v2/", {"Authorization": f"Bearer {token}"})
    return tls, v2, token_anonymous, token_with_credentials, v2_with_token


def _token_of(observation: HttpObservation) -> str:
    import json

    if observation.status != 200:
        return ""
    try:
        document = json.loads(observation.body)
        return str(document.get("token") or document.get("access_token") or "")
    except (ValueError, AttributeError, RecursionError):  # the server's body: any shape, any depth
        return ""


def _reported_version(observation: HttpObservation) -> str:
    import json

    if observation.status != 200:
        return ""
    try:
        return str(json.loads(observation.body).get("harbor_version", ""))
    except (ValueError, AttributeError, RecursionError):
        return ""
