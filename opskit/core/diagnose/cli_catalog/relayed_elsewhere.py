"""Tailscale's errors as other programs show them: a certificate renewer's or web server's log record quoting
LocalAPI's answer to a cert-pair request, the app's login error, a TLS client talking to Tailscale's own TLS
terminators. The words are Tailscale's; the wrapper (slog/logrus ``error="…"``, Caddy's JSON, kubectl's klog
line, a stray quote from the prose around it, journalctl's ``>`` cut at the screen width) is the other program's.

Read from Tailscale's source (facts, no code):
- client/local cert.go CertPair/CertPairWithValidity: a LocalAPI error answer comes back as ``<status>: <body>``
  (local.go: ``fmt.Errorf("%v: %s", res.Status, body)``); programs built on it wrap that ("failed to get cert
  pair: 500 Internal Server Error: acme.GetReg: …", Caddy's tls.handshake record "getting certificate from
  external certificate manager" with the same text in its "error" field).
- control/controlclient/direct.go loadServerPubKeys: ``fetch control key: %v`` of http.Do's error
  (``Get "https://…/key?v=N": <transport error>``) and ``fetch control key response: %v`` (the body cut): the
  request to the coordination server never completed. Its ``fetch control key: <status>`` (control answered)
  and the decrypt/x509 failures are other readings and not matched here.
- The TLS servers that get the node's certificate from tailscaled on demand (ipn/ipnlocal serve, tsnet
  ListenTLS, the Kubernetes operator's API server proxy: a tls.Config GetCertificate backed by the cert
  request) make Go's crypto/tls send an ``internal_error`` alert when that fetch fails; the client prints
  ``remote error: tls: internal error`` (OpenSSL clients: ``tlsv1 alert internal error``).
"""

from __future__ import annotations

from opskit.core.diagnose.cli_catalog import Refusal, catalog_entry
from opskit.core.diagnose.models import CliErrorKind

_CERT = CliErrorKind.CERT_FAILED
# LocalAPI's status as client/local prints it ("500 Internal Server Error"), or its start when journalctl cut the
# line at the screen width ("500 Internal>"; "500 Int>").
_STATUS = r"(?P<status>[45]\d\d)(?:\s+[A-Z][A-Za-z]*(?:\s+[A-Za-z]+)*)?(?=>|:|\s*$|[\"'`,;)}])"
_CERT_FIX = (
    "Run `sudo tailscale cert <name>.<tailnet>.ts.net` on that machine to see tailscaled's full reason (the "
    "program's log shows only its start), and fix what it names: turn on HTTPS Certificates (and MagicDNS) in the "
    "admin console's DNS page, let the program's user ask for certificates (run it as root or set "
    "TS_PERMIT_CERT_UID), check tailscaled reaches Let's Encrypt; then restart the program."
)
_HANDSHAKE_FIX = (
    "Turn on HTTPS Certificates (and MagicDNS) in the admin console's DNS page; then check the serving node's "
    "own log (for the Kubernetes operator's API server proxy: the operator pod's log) for the certificate error, "
    "or run `tailscale cert <name>` on it. Not a kubeconfig, firewall or TLS-interception problem."
)

_INTERNAL_ERROR_ALERTS = (
    (
        "tls: internal error",
        r"remote error: tls: internal error",
        "couldn't get current server API group list: Get \"https://tailscale-operator.tail1234.ts.net/api?"
        'timeout=32s": remote error: tls: internal error',
    ),
    (
        "alert internal error",
        r"tlsv1 alert internal error",
        "HTTPSConnectionPool(host='web.tail1234.ts.net', port=443): Max retries exceeded with url: / (Caused by "
        "SSLError(SSLError(1, '[SSL: TLSV1_ALERT_INTERNAL_ERROR] tlsv1 alert internal error (_ssl.c:1006)')))",
    ),
)


def _handshake_alert(phrase: str, alert: str, example: str) -> Refusal:
    return catalog_entry(
        _CERT,
        phrase,
        r"\b(?P<host>[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.ts\.net)\b.*?" + alert,
        "the TLS handshake with {host} reached the Tailscale node behind it (TCP over the tailnet works), but its "
        "TLS server answered with an internal_error alert: Tailscale's own TLS terminators (serve, tsnet, the "
        "Kubernetes operator's API server proxy) fetch the node's certificate on demand and send that alert when "
        "they cannot get one, HTTPS certificates not enabled for the tailnet or the certificate request failing.",
        _HANDSHAKE_FIX,
        "ipn/ipnlocal/serve.go, tsnet (ListenTLS), k8s-operator API server proxy; Go crypto/tls alertInternalError",
        example,
    )


def _cert_pair(phrase: str) -> Refusal:
    return catalog_entry(
        _CERT,
        phrase,
        r"\b(?:get|getting|fetch|fetching|obtain|obtaining|retrieve|retrieving|request|requesting|load|loading)"
        r"(?: the)?(?: tailscale)? " + phrase + r"(?: from tailscale)?: (?:[^\"'`]*?: )??" + _STATUS,
        "a program asked the local tailscaled for this node's certificate and key (LocalAPI's cert request, the "
        "way certificate renewers, Caddy and Traefik get Tailscale certificates), and tailscaled answered "
        "{status}: it could not give a certificate (HTTPS certificates not enabled for the tailnet, the Let's "
        "Encrypt order or its DNS challenge failing, a caller without certificate access). tailscaled itself "
        "runs; the TLS certificate is what fails, so the service keeps an old certificate or none.",
        _CERT_FIX,
        "client/local/cert.go (CertPair), ipn/localapi/cert.go",
        f"failed to check cert: failed to get tailscale {phrase}: 500 Internal Server Error: acme.GetReg: EOF",
    )


REFUSALS: tuple[Refusal, ...] = (
    # "cert pair" or "certificate pair" (a wrapper's own words), then LocalAPI's status after any further wrappers
    *(_cert_pair(phrase) for phrase in ("cert pair", "certificate pair")),
    catalog_entry(
        _CERT,
        "external certificate manager",
        r"\bexternal certificate manager\b.*\btailscale\b.*[\"']error[\"']:\s*[\"']" + _STATUS,
        "the web server (Caddy's Tailscale certificate manager) asked the local tailscaled for this node's "
        "certificate during a TLS handshake and tailscaled answered {status}: no certificate, so HTTPS to the "
        "name fails (HTTPS certificates not enabled for the tailnet, the Let's Encrypt order failing, the web "
        "server's user without certificate access).",
        _CERT_FIX,
        "client/local/cert.go (GetCertificate), ipn/localapi/cert.go",
        'ERROR tls.handshake getting certificate from external certificate manager {"sni": "web.tail1234.ts.net", '
        '"cert_manager": "caddytls.Tailscale", "error": "500 Internal Server Error: acme.GetReg: EOF"}',
    ),
    # Go's client ("remote error: tls: internal error") and OpenSSL's (curl, Python: "tlsv1 alert internal error"),
    # only on a line naming a *.ts.net host before it: the same alert from any other server is that server's own.
    *(_handshake_alert(*alert) for alert in _INTERNAL_ERROR_ALERTS),
    catalog_entry(
        CliErrorKind.CONTROL_UNREACHABLE,
        "fetch control key",
        r"(?:^|[\s\"'`(:])fetch control key(?: response)?: (?:(?:Get|GET) \"?(?P<url>https?://[^\"\s]+)\"?: )?"
        r"(?!.*(?:x509: |tls: failed to verify|decrypt))(?P<why>(?!\d{3}\b)\S.*)",
        "the login never got the coordination server's key: the HTTPS request for it did not complete "
        "({why}), so no login URL came and nothing was registered. tailscaled runs; this machine cannot reach "
        "the control server (a firewall or the OS's application firewall, a security product or filtering DNS, a "
        "proxy tailscaled does not use), or the login was cancelled before control answered.",
        "Check from this machine that `curl -sv https://controlplane.tailscale.com/key?v=71` answers (or your "
        "login server's /key); allow Tailscale through the firewall / security software (macOS: System Settings > "
        "Network > Firewall, and any network filter), set a proxy for tailscaled if the network needs one; try "
        "another network to confirm, then log in again.",
        "control/controlclient/direct.go (loadServerPubKeys)",
        'Error: fetch control key: Get "https://controlplane.tailscale.com/key?v=106": context canceled',
    ),
)
