"""Catalogued refusals of Tailscale's Linux install script (scripts/installer.sh, `curl -fsSL
https://tailscale.com/install.sh | sh`), at commit de9ec7ee2: each one stops the script before anything is
installed (kind ``install-failed``: installing Tailscale itself failed, outside `tailscale update`).

The script's own questions and progress ("Installing Tailscale for …", "Installation complete!") are not
refusals; its "Warning: … maintains their own Tailscale package" advisories are not failures either. Its
"unsupported track X" is left to the catalog's `tailscale update --track` entry (the same words).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from opskit.core.diagnose.cli_catalog import Refusal, catalog_entry
from opskit.core.diagnose.lazyre import LazyPattern, lazy_compile
from opskit.core.diagnose.models import CliErrorKind

_INSTALL = CliErrorKind.INSTALL_FAILED
_SCRIPT = "scripts/installer.sh"
_STATIC = "https://pkgs.tailscale.com/stable/#static"


# Downloading Tailscale failed before anything was installed: the download tool's own error naming Tailscale's
# package server (or the install script's host), as the install script (curl -fsSL / wget -q), the GitHub Action
# (v1-v3 action.yml: `curl … https://pkgs.tailscale.com/…/tailscale_<version>_amd64.tgz`, v4 src/main.ts), a
# Dockerfile or a PowerShell install step print it. curl: "curl: (N) <curl_easy_strerror + detail>" (curl 7.29's
# "Failed connect to host:443; …" too); wget: "Resolving host (host)... failed: …", "Connecting to host
# (host)|ip|:443... failed: …", "wget: unable to resolve host address 'host'", busybox's "wget: bad address
# 'host'"; PowerShell's Invoke-WebRequest: "The remote name could not be resolved: 'host'" (5.1), "No such host is
# known. (host:443)" (7).
# Third-party install scripts (OpenWrt installers and enablers that fetch Tailscale on first use) download the
# release from GitHub (github.com, api.github.com for the latest version, its asset hosts) and print the same
# tools' errors, under their own log prefixes ("[2025-06-13 13:25:26] [INFO] …"), with GNU wget's older forms
# ("Resolving host... ", "Connecting to host|ip|:443... failed: …", no "(host)" before the address).
# The same error naming another server (a tailnet host, the control server) is not an install step.
_TAILSCALE_HOST = (
    r"(?<![\w.-])(?P<host>(?:pkgs\.)?tailscale\.com|(?:api\.|codeload\.)?github\.com"
    r"|(?:objects|release-assets)\.githubusercontent\.com)(?![\w-]|\.\w)"
)
_DOWNLOAD_CAUSE = (
    "downloading Tailscale (its package, or the release list an install script reads first) from {host} failed, "
    "so nothing was installed (or updated): "
)
_DOWNLOAD_FIX_TAIL = (
    " Then run the install step again; on a CI runner (the GitHub Action downloads the package with curl) re-run "
    "the job: a hosted runner's network to one host fails now and then."
)
_DNS = (
    "this machine could not resolve the name {host}: its DNS (resolv.conf, a corporate resolver, a container's "
    "DNS) gave no answer. Not a Tailscale fault.",
    "Check `nslookup {host}` / `getent hosts {host}` from the same machine or container and fix its resolver (or "
    "its proxy settings)." + _DOWNLOAD_FIX_TAIL,
)
_CONNECT = (
    "the TCP connection to {host} never completed ({error}): a firewall, a proxy that must be configured "
    "(HTTPS_PROXY), no route out, or an IPv6 path that does not work. Not a Tailscale fault.",
    "Check `curl -v https://{host}/` from the same machine: allow outbound HTTPS (TCP 443) to {host}, set the "
    "proxy variables if a proxy is required, or force IPv4 (`curl -4`)." + _DOWNLOAD_FIX_TAIL,
)
_TLS = (
    "the TLS handshake with {host} failed ({error}): usually a proxy or security product intercepting HTTPS, "
    "missing CA certificates (ca-certificates) or a wrong clock.",
    "Check `curl -v https://{host}/`: install ca-certificates, set the date, or trust the intercepting proxy's CA."
    + _DOWNLOAD_FIX_TAIL,
)
# (catalog phrase, pattern with {host}, cause, fix, example)
_DOWNLOAD_FAILURES: tuple[tuple[str, str, str, str, str], ...] = (
    (
        "could not resolve host",
        r"curl: \((?P<code>6)\) (?P<error>Could not resolve host: {host})",
        *_DNS,
        "curl: (6) Could not resolve host: pkgs.tailscale.com",
    ),
    (
        "to connect to ",
        r"curl: \((?P<code>7|28)\) (?P<error>Failed to connect to {host} port \d+\b[^`\x22]*)",
        *_CONNECT,
        "curl: (7) Failed to connect to pkgs.tailscale.com port 443: Connection timed out",
    ),
    (
        "failed connect to ",
        r"curl: \((?P<code>7|28)\) (?P<error>Failed connect to {host}:\d+[^`\x22]*)",
        *_CONNECT,
        "curl: (7) Failed connect to pkgs.tailscale.com:443; Connection refused",
    ),
    (
        "in connection to ",
        r"curl: \((?P<code>35)\) (?P<error>[^`\x22]* in connection to {host}:\d+[^`\x22]*)",
        *_TLS,
        "curl: (35) OpenSSL SSL_connect: SSL_ERROR_SYSCALL in connection to pkgs.tailscale.com:443",
    ),
    (
        "failed: ",
        r"\bResolving {host}(?: \([^)]*\))?\.\.\. (?P<error>failed: [^`\x22]*)",
        *_DNS,
        "Resolving pkgs.tailscale.com (pkgs.tailscale.com)... failed: Temporary failure in name resolution.",
    ),
    (
        "failed: ",
        r"\bConnecting to {host}(?: \([^)]*\))?(?:\|[^|]*\|)?:\d+\.\.\. (?P<error>failed: [^`\x22]*)",
        *_CONNECT,
        "Connecting to pkgs.tailscale.com (pkgs.tailscale.com)|199.38.181.239|:443... failed: Connection timed out.",
    ),
    (
        "unable to resolve host address",
        r"wget: (?P<error>unable to resolve host address \W?{host}\W?)",
        *_DNS,
        "wget: unable to resolve host address 'pkgs.tailscale.com'",
    ),
    (
        "wget: bad address",
        r"wget: (?P<error>bad address \W?{host}\W?)",
        *_DNS,
        "wget: bad address 'pkgs.tailscale.com'",
    ),
    (
        "remote name could not be resolved",
        r"(?P<error>The remote name could not be resolved: \W?{host}\W?)",
        *_DNS,
        "Invoke-WebRequest : The remote name could not be resolved: 'pkgs.tailscale.com'",
    ),
    (
        "no such host is known",
        r"(?P<error>No such host is known\.? \({host}:\d+\))",
        *_DNS,
        "Invoke-WebRequest: No such host is known. (pkgs.tailscale.com:443)",
    ),
)


def _entry(phrase: str, pattern: str, cause: str, fix: str, example: str) -> Refusal:
    return catalog_entry(_INSTALL, phrase, pattern, cause, fix, _SCRIPT, example)


REFUSALS: tuple[Refusal, ...] = (
    _entry(
        "determine what kind of linux",
        r"Couldn.t determine what kind of Linux is running",
        "Tailscale's install script could not recognise this Linux distribution (from /etc/os-release) and "
        "installed nothing.",
        f"Install the static binaries ({_STATIC}: tailscale and tailscaled, plus a service unit), or the "
        "distribution's own tailscale package.",
        "Couldn't determine what kind of Linux is running.",
    ),
    _entry(
        "determine what operating system",
        r"Couldn.t determine what operating system you.re running",
        "Tailscale's install script could not tell which operating system this is (no /etc/os-release it "
        "knows, or not Linux/FreeBSD/OpenBSD/macOS) and installed nothing.",
        f"Install Tailscale the way https://tailscale.com/download lists for this system, or the static "
        f"binaries ({_STATIC}).",
        "Couldn't determine what operating system you're running.",
    ),
    _entry(
        "supported by this script yet",
        r"(?P<system>[\w.-]+(?: [\w.-]+)?) isn.t supported by this script yet",
        'Tailscale\'s install script knows "{system}" but has no package for it (this release or version) '
        "and installed nothing.",
        f"Use the distribution's own tailscale package if it has one, or the static binaries ({_STATIC}); on "
        "an older release, upgrade it.",
        "ubuntu 14.04 isn't supported by this script yet.",
    ),
    _entry(
        "needs either curl or wget",
        r"The installer needs either curl or wget to download files",
        "Tailscale's install script found neither curl nor wget to download the package with: nothing was installed.",
        "Install curl (or wget) with the system's package manager, then run the install script again.",
        "The installer needs either curl or wget to download files.",
    ),
    _entry(
        "installer cannot reach",
        r"The installer cannot reach (?P<url>https?://[^\s`'\"]+)",
        "Tailscale's install script could not download from {url} (no internet access, DNS, a proxy or "
        "firewall, or TLS interception): nothing was installed. The lines after it show curl's or wget's error.",
        "Check `curl -v {url}` from this machine (DNS, proxy variables, firewall, the clock for TLS), fix what "
        "it shows, then run the install script again.",
        "The installer cannot reach https://pkgs.tailscale.com/",
    ),
    _entry(
        "needs to run commands as root",
        r"This installer needs to run commands as root",
        "Tailscale's install script is not running as root and found neither sudo nor doas to become root: "
        "nothing was installed.",
        "Run it as root (`su -c 'curl -fsSL https://tailscale.com/install.sh | sh'`), or install sudo or doas.",
        "This installer needs to run commands as root.",
    ),
    _entry(
        "requires the community repo",
        r"installing tailscale requires the community repo to be enabled in /etc/apk/repositories",
        "on Alpine, the tailscale package lives in the community repository, which is not enabled here: the "
        "install script installed nothing.",
        "Uncomment the community line in /etc/apk/repositories, run `apk update`, then `apk add tailscale` (or "
        "the install script again).",
        "installing tailscale requires the community repo to be enabled in /etc/apk/repositories",
    ),
    _entry(
        "install tailscale on steamos",
        r"To install Tailscale on SteamOS, please follow the instructions here",
        "Tailscale's install script does not install on SteamOS (its /usr is read-only and replaced by every "
        "OS update): it stopped and points to the Steam Deck installer, which adds Tailscale as a systemd "
        "system extension.",
        "Follow https://github.com/tailscale-dev/deck-tailscale (re-run it after SteamOS updates).",
        "To install Tailscale on SteamOS, please follow the instructions here:",
    ),
    _entry(
        "dnf 5 detected",
        r"dnf 5 detected, but .dnf-command\(config-manager\). not available and dnf-3 not found",
        "Tailscale's install script needs dnf's config-manager to add the Tailscale repository, and this "
        "dnf 5 has no config-manager plugin (nor dnf-3): nothing was installed.",
        "Install it (`sudo dnf install 'dnf-command(config-manager)'`, dnf5-plugins), then run the install "
        "script again.",
        "dnf 5 detected, but 'dnf-command(config-manager)' not available and dnf-3 not found",
    ),
    # BusyBox wget (OpenWrt's install and enabler scripts) names the host only on its "Connecting to host (ip:443)"
    # line above; its HTTP failure is its own line. A 400 from an old BusyBox (its HTTPS support predates the
    # server's TLS and request requirements), a 404 from a URL with a wrong or empty version or architecture.
    _entry(
        "server returned error",
        r"wget: (?P<error>server returned error: HTTP/\d(?:\.\d)? \d{3}\b[^`\x22]*)",
        "a download step (BusyBox wget, as OpenWrt's Tailscale install scripts use) got an HTTP error from the "
        "server ({error}), so it saved no package and nothing was installed: a 400 is an old BusyBox wget or TLS "
        "library the server refuses, a 404 a URL with a wrong (or empty) version or architecture.",
        "Install a current wget with TLS (`opkg update && opkg install wget-ssl ca-bundle`, or curl) and run the "
        f"install step again, or download the static tarball ({_STATIC}) on another machine and copy it over.",
        "wget: server returned error: HTTP/1.0 400 Bad Request",
    ),
    # The archive a download step saved is not an archive (an error page, an empty or missing file): BusyBox's
    # "gzip: invalid magic" / "tar: invalid magic", GNU gzip's "gzip: stdin: not in gzip format". Named only after
    # the download error above it, which says why.
    _entry(
        "invalid magic",
        r"^\W*(?:error:\s*)?(?P<tool>gzip|tar): (?P<error>invalid magic)\W*$",
        "the Tailscale archive the install step unpacked is not a gzip/tar archive ({tool}: {error}): its download "
        "failed (an error page, an empty file or none was saved), so nothing was installed. The download "
        "tool's line above it says why.",
        "Fix the download (the wget/curl error above: DNS, firewall, proxy, an old wget's TLS) and run the install "
        f"step again, or copy the static tarball ({_STATIC}) over by hand.",
        "tar: invalid magic",
    ),
    _entry(
        "not in gzip format",
        r"^\W*(?:error:\s*)?(?P<tool>gzip): (?P<error>stdin: not in gzip format)\W*$",
        "the Tailscale archive the install step unpacked is not a gzip/tar archive ({tool}: {error}): its download "
        "failed (an error page, an empty file or none was saved), so nothing was installed. The download "
        "tool's line above it says why.",
        "Fix the download (the wget/curl error above: DNS, firewall, proxy, an old wget's TLS) and run the install "
        f"step again, or copy the static tarball ({_STATIC}) over by hand.",
        "gzip: stdin: not in gzip format",
    ),
    *(
        _entry(phrase, pattern.replace("{host}", _TAILSCALE_HOST), _DOWNLOAD_CAUSE + cause, fix, example)
        for phrase, pattern, cause, fix, example in _DOWNLOAD_FAILURES
    ),
    # The package's checksum check failed (GNU sha256sum -c / shasum -c: "<file>: FAILED", "<file>: FAILED open or
    # read"), as the GitHub Action (`echo "$SHA256SUM  tailscale.tgz" | sha256sum -c`), a Dockerfile or a script
    # checks the tarball it downloaded (a Dockerfile's under BuildKit's "#7 2.31 " step prefix): only for a Tailscale
    # package's file name (another file's mismatch is not
    # Tailscale's install). The download returned an error body (pkgs.tailscale.com's "404 page not found" is 19
    # bytes) or a truncated file, or the .sha256 beside it was not a hash.
    _entry(
        ": failed",
        r"^(?:#\d+ \d+(?:\.\d+)? )?\W*(?:error:\s*)?"
        r"(?P<file>(?:[\w.~/-]*/)?tailscale[\w.+-]*\.(?:tgz|tar\.gz|tar\.xz|deb|rpm|zip|msi|exe|pkg|apk|ipk))"
        r":\s+(?P<error>FAILED(?: open or read)?)\W*$",
        "the checksum check of the downloaded Tailscale package {file} failed ({error}): the download returned "
        "something else than the package (an error page such as pkgs.tailscale.com's 19-byte '404 page not found' "
        "for a version or architecture it does not serve, a cut download) or its .sha256 was no hash, so the "
        "install step stopped and Tailscale was not installed.",
        "Fetch the URL by hand (`curl -sSL -o t.tgz <url>; ls -l t.tgz; curl -sSL <url>.sha256`): an error body "
        "means the version is not published for this platform: pin one listed on https://pkgs.tailscale.com/stable/"
        " (or let the GitHub Action pick the latest); otherwise re-run the job (a download cut short).",
        "tailscale.tgz: FAILED",
    ),
)

# GNU sha256sum's (and Perl shasum's) closing summary of a failed `-c` check names no file: "sha256sum: WARNING: 1
# computed checksum did NOT match", "… N computed checksums did NOT match" (coreutils' md5sum.c), also under a
# Dockerfile step's prefix. It is a Tailscale install failing only next to a Tailscale download (a package or tarball
# name, pkgs.tailscale.com, the install script, the GitHub Action): blocks.py looks at the lines around it
# (checksum_warning_on_tailscale); alone it is any file's mismatch.
_CHECKSUM_WARNING = lazy_compile(
    r"^(?:#\d+ \d+(?:\.\d+)? )?\W*(?:(?:sha\d*sum|shasum)(?:\.exe)?: )?WARNING: "
    r"(?P<error>\d+ computed checksums? did NOT match)\W*$"
)
_TAILSCALE_DOWNLOAD = lazy_compile(
    r"pkgs\.tailscale\.com|tailscale\.com/install\.sh|tailscale/github-action"
    r"|\btailscale[\w.+-]*\.(?:tgz|tar\.gz|tar\.xz|deb|rpm|zip|msi|exe|pkg|apk|ipk)\b",
    re.IGNORECASE,
)
AROUND_CHECKSUM_WARNING = 8  # lines before it (and 2 after) that may name the download it checked
CHECKSUM_MISMATCH = _entry(
    "computed checksum",
    _CHECKSUM_WARNING.pattern,
    "the checksum check of the downloaded Tailscale package failed ({error}): the download returned something "
    "else than the package (an error page such as pkgs.tailscale.com's 19-byte '404 page not found' for a version "
    "or architecture it does not serve, a cut download) or its .sha256 was no hash, so the install step stopped and "
    "Tailscale was not installed.",
    "Fetch the URL by hand (`curl -sSL -o t.tgz <url>; ls -l t.tgz; curl -sSL <url>.sha256`): an error body "
    "means the version is not published for this platform: pin one listed on https://pkgs.tailscale.com/stable/"
    " (or let the GitHub Action pick the latest); otherwise re-run the job (a download cut short).",
    "sha256sum: WARNING: 1 computed checksum did NOT match",
)


def checksum_warning_on_tailscale(text: str, around: Sequence[str]) -> bool:
    """Whether ``text`` is sha256sum's bare "WARNING: N computed checksum(s) did NOT match" and a line ``around`` it
    (the command typed above, the lines before and after) names a Tailscale download."""
    return (
        "computed checksum" in text
        and _CHECKSUM_WARNING.search(text) is not None
        and any(_TAILSCALE_DOWNLOAD.search(line) is not None for line in around)
    )


def read_checksum_warning(text: str) -> re.Match[str] | None:
    """The bare checksum warning's match (the splitter put it beside a Tailscale download), or None."""
    return _CHECKSUM_WARNING.search(text) if "computed checksum" in text else None


# What pkgs.tailscale.com answers (or curl -f prints) for a Tailscale file it does not serve, read only under the
# typed command fetching it (`curl -L https://pkgs.tailscale.com/stable/tailscale_1.58.0_amd64.tgz.sha256`): Go's
# "404 page not found", its "failed to get hash" for a checksum it has none of (a version not built for that
# platform), curl -f's "The requested URL returned error: 404". Anywhere else these words are another server's.
_PKGS_FETCH = lazy_compile(
    r"\b(?:curl|wget|Invoke-WebRequest|iwr)\b.*\bpkgs\.tailscale\.com/\S*tailscale", re.IGNORECASE
)
_NOT_SERVED_FIX = (
    "Pin a version published for this platform (https://pkgs.tailscale.com/stable/ lists the files; a release "
    "superseded on the day may lack some builds), or let the GitHub Action resolve the latest; check the URL's "
    "track (stable/unstable), version and architecture. Then run the install step again."
)
_PKGS_ANSWERS: tuple[Refusal, ...] = (
    _entry(
        "failed to get hash",
        r"^\W*(?P<error>failed to get hash)\W*$",
        "pkgs.tailscale.com has no checksum for the Tailscale file asked for ({error}): that version is not "
        "published for this platform (or the URL's track, version or architecture is wrong), so an install step "
        "that verifies the download (the GitHub Action's `sha256sum -c`) fails and installs nothing.",
        _NOT_SERVED_FIX,
        "failed to get hash",
    ),
    _entry(
        "404 page not found",
        r"^\W*(?P<error>404 page not found)\W*$",
        "pkgs.tailscale.com does not serve the Tailscale file asked for ({error}): no such version, track or "
        "architecture, so nothing can be downloaded and installed from that URL.",
        _NOT_SERVED_FIX,
        "404 page not found",
    ),
    _entry(
        "returned error: 4",
        r"curl: \(22\) (?P<error>The requested URL returned error: 4\d\d\b[^`\x22]*)",
        "pkgs.tailscale.com refused the Tailscale file asked for (curl -f: {error}): no such version, track or "
        "architecture, so nothing was downloaded and installed.",
        _NOT_SERVED_FIX,
        "curl: (22) The requested URL returned error: 404",
    ),
)
COMMAND_ANSWERS: tuple[tuple[re.Pattern[str] | LazyPattern, Refusal], ...] = tuple(
    (_PKGS_FETCH, refusal) for refusal in _PKGS_ANSWERS
)
