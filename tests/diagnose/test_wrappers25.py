"""Pastes of programs around Tailscale (blind batch 25): third-party OpenWrt install and enabler scripts whose download
of Tailscale fails (BusyBox and GNU wget, curl, gzip/tar on what was saved), from Tailscale's package server or
GitHub, under the scripts' own log prefixes: the existing ``install-failed`` kind, never a tailscaled log."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from opskit.core.diagnose.cli_catalog import find_refusal
from opskit.output.diagnose import to_json
from tests.diagnose.conftest import run_text


def _windows(text: str) -> tuple[list[str], list[dict[str, Any]], int]:
    diagnosis = run_text(text)
    document = to_json(diagnosis, 1 if diagnosis.has_problems else 0)
    kinds = [error["kind"] for error in document["windows"]]
    return kinds, document["daemon_logs"], document["summary"]["exit_code"]


_HOSTS = [
    "pkgs.tailscale.com",
    "tailscale.com",
    "github.com",
    "api.github.com",
    "codeload.github.com",
    "objects.githubusercontent.com",
    "release-assets.githubusercontent.com",
]
# (a download tool's failure naming the host, words the fix must say)
_HOST_ERRORS = [
    ("curl: (6) Could not resolve host: {host}", "nslookup"),
    ("curl: (7) Failed to connect to {host} port 443 after 21 ms: Connection refused", "outbound HTTPS"),
    ("curl: (28) Failed to connect to {host} port 443 after 130923 ms: Timeout was reached", "outbound HTTPS"),
    ("curl: (35) OpenSSL SSL_connect: SSL_ERROR_SYSCALL in connection to {host}:443 ", "ca-certificates"),
    # GNU wget, new (host in parentheses) and old (none) forms
    ("Resolving {host} ({host})... failed: Name or service not known.", "nslookup"),
    ("Resolving {host}... failed: Temporary failure in name resolution.", "nslookup"),
    ("Connecting to {host} ({host})|199.38.181.239|:443... failed: Connection refused.", "outbound HTTPS"),
    ("Connecting to {host}|199.38.181.239|:443... failed: Connection refused.", "outbound HTTPS"),
    ("Connecting to {host}|140.82.112.6|:443... failed: Connection timed out.", "outbound HTTPS"),
    ("wget: bad address '{host}'", "nslookup"),
    ("wget: unable to resolve host address \u2018{host}\u2019", "nslookup"),
]
# How install scripts and their users wrap the line: a script's own log prefix, the command typed, a fence, a quote.
_WRAPS = [
    "{line}\n",
    "[2025-06-13 13:25:26] [INFO] \U0001f680  \u5f00\u59cb\u5b89\u88c5 Tailscale...\n{line}\n"
    "[2025-06-13 13:25:31] [ERROR] \u274c  \u83b7\u53d6\u6700\u65b0\u7248\u672c\u5931\u8d25\n",
    "[2025-06-13 13:25:31] [ERROR] {line}\n",
    "root@OpenWrt:~# tailscale up --accept-dns=false --advertise-routes=10.0.0.0/24\n"
    "--2023-08-29 15:52:53--  https://pkgs.tailscale.com/stable/\n{line}\nDownloading Tailscale _amd64 ..\n"
    "gzip: invalid magic\ntar: Child returned status 1\ntar: Error is not recoverable: exiting now\n",
    "```\n{line}\n```\n",
    "> {line}\n",
]


@given(st.sampled_from(_HOST_ERRORS), st.sampled_from(_HOSTS), st.sampled_from(_WRAPS))
@settings(max_examples=80, deadline=None)
def test_a_failed_download_from_tailscale_or_github_is_install_failed(
    error: tuple[str, str], host: str, wrap: str
) -> None:
    form, fix_words = error
    text = wrap.format(line=form.format(host=host))
    kinds, logs, exit_code = _windows(text)
    assert kinds and set(kinds) == {"install-failed"}
    assert logs == []
    assert exit_code == 1
    said = " ".join(f"{f.cause} {f.fix}" for f in run_text(text).findings)
    assert fix_words in said and host in said


# BusyBox wget names the host on the line above; its HTTP failure and the archive tools' complaints about what it
# saved stand on their own lines.
_BUSYBOX_STATUSES = ["HTTP/1.0 400 Bad Request", "HTTP/1.1 404 Not Found", "HTTP/1.1 403 Forbidden", "HTTP/1.1 502"]
_ARCHIVE_LINES = ["tar: invalid magic", "gzip: invalid magic", "gzip: stdin: not in gzip format"]


@given(
    st.sampled_from(_BUSYBOX_STATUSES),
    st.sampled_from(["pkgs.tailscale.com (199.38.181.239:443)", "github.com (140.82.112.4:443)"]),
    st.lists(st.sampled_from(_ARCHIVE_LINES), max_size=2),
    st.sampled_from(["", "[root@xxx:/tmp]#tailscale up --accept-dns=false\n", "```bash\n"]),
)
@settings(max_examples=50, deadline=None)
def test_busybox_wgets_http_error_and_a_broken_archive_are_install_failed(
    status: str, connecting: str, archive: list[str], above: str
) -> None:
    lines = [
        f"Connecting to {connecting}",
        f"wget: server returned error: {status}",
        "Downloading Tailscale _mipsle ..",
    ]
    text = above + "\n".join([*lines, *archive, "tar: short read"]) + "\n"
    kinds, logs, exit_code = _windows(text)
    assert kinds and set(kinds) == {"install-failed"}
    assert logs == [] and exit_code == 1
    said = " ".join(f"{f.cause} {f.fix}" for f in run_text(text).findings)
    assert status in said and "wget-ssl" in said


@pytest.mark.parametrize("line", _ARCHIVE_LINES)
def test_a_downloaded_archive_that_is_none_is_install_failed(line: str) -> None:
    found = find_refusal(line)
    assert found is not None and found[0].kind.value == "install-failed"
    cause, fix = found[0].explain(found[1])
    assert "download" in cause and "pkgs.tailscale.com/stable/#static" in fix


@pytest.mark.parametrize(
    "line",
    [
        # the same tools failing on other hosts, or succeeding, are no failed install of Tailscale
        "curl: (6) Could not resolve host: github.com.example.org",
        "curl: (6) Could not resolve host: mygithub.com",
        "Connecting to pkgs.tailscale.com.mirror.example|10.0.0.1|:443... failed: Connection refused.",
        "Resolving pkgs.tailscale.com... 199.38.181.239",
        "Connecting to pkgs.tailscale.com|199.38.181.239|:443... connected.",
        "Connecting to pkgs.tailscale.com (199.38.181.239:443)",
        "the tarball said tar: invalid magic somewhere",
        "wget: server returned error",
    ],
)
def test_lines_that_are_no_failed_download_are_not_read_as_one(line: str) -> None:
    assert find_refusal(line) is None


def _findings_text(text: str) -> str:
    return " ".join(f"{f.rule_id} {f.cause} {f.fix}" for f in run_text(text).findings)


# The GitHub Action v4 (src/main.ts): each failed `tailscale up` is core.warning("Tailscale up attempt N failed:
# <error>") with the hidden command's ExecError or the timeout; the last one fails the step. As the web view shows
# it ("Warning: …", emoji step lines) and as the raw log does ("##[warning]…" behind a timestamp).
_ACTION_ERRORS = [
    "sudo failed with exit code 1",
    "Error: sudo failed with exit code 2",
    "C:\\Program Files\\Tailscale\\tailscale.exe failed with exit code 1",
    "Error: Timeout",
]
_ACTION_FORMS = [
    "Warning: {line}",
    "##[warning]{line}",
    "2025-10-31T10:00:00.1234567Z ##[warning]{line}",
    "{line}",
]


@given(
    st.sampled_from(_ACTION_ERRORS),
    st.sampled_from(_ACTION_FORMS),
    st.integers(min_value=1, max_value=5),
    st.booleans(),
)
@settings(max_examples=60, deadline=None)
def test_the_github_actions_failed_up_attempts_are_github_action_up_failed(
    error: str, form: str, attempts: int, fenced: bool
) -> None:
    lines = ["\u25b6\ufe0f get tailscale status", "Daemon ready! Initial state: NeedsLogin"]
    for attempt in range(1, attempts + 1):
        lines += [
            f"Attempt {attempt} to bring up Tailscale...",
            "\u25b6\ufe0f tailscale up",
            form.format(line=f"Tailscale up attempt {attempt} failed: {error}"),
            f"Retrying in {attempt * 2} seconds...",
        ]
    lines.append(f"Error: {error}")
    text = "\n".join(["```", *lines, "```"] if fenced else lines) + "\n"
    kinds, logs, exit_code = _windows(text)
    assert set(kinds) == {"github-action-up-failed"}
    assert logs == [] and exit_code == 1
    said = _findings_text(text)
    assert "TS-CLI-GITHUB-ACTION-UP-FAILED" in said and "ACTIONS_STEP_DEBUG" in said
    assert ("timeout" in said) is ("Timeout" in error)


def test_the_v3_actions_retry_line_is_github_action_up_failed() -> None:
    kinds, _, exit_code = _windows(
        "Attempt 1 to bring up Tailscale...\nTailscale up failed. Retrying in 5 seconds...\n"
    )
    assert kinds == ["github-action-up-failed"] and exit_code == 1


# tsidp refusing a tagged node: cmd/tsidp's plain http.Error and the standalone tsidp's OAuth error JSON, in the
# forms people paste them (a sentence with inline code, a curl answer, pretty-printed).
_TSIDP_ANSWERS = [
    '{"error":"invalid_request","error_description":"tagged nodes not supported"}',
    '{"error": "invalid_request", "error_description": "tagged nodes not supported"}',
    '{"error_description":"tagged nodes not supported","error":"invalid_request"}',
    "tsidp: tagged nodes not supported",
]


@given(
    st.sampled_from(_TSIDP_ANSWERS),
    st.sampled_from(
        [
            "{answer}\n",
            "it turned out that /token request returns `{answer}`\n",
            "$ curl -s https://idp.tailnet.ts.net/userinfo\n{answer}\n",
            "< HTTP/2 400\n< content-type: text/plain; charset=utf-8\n{answer}\n",
            "> {answer}\n",
        ]
    ),
)
@settings(max_examples=40, deadline=None)
def test_tsidp_refusing_a_tagged_node_is_idp_tagged_node_refused(answer: str, wrap: str) -> None:
    text = wrap.format(answer=answer)
    kinds, logs, exit_code = _windows(text)
    assert kinds == ["idp-tagged-node-refused"]
    assert logs == [] and exit_code == 1
    assert "untagged" in _findings_text(text)


# The QNAP package's web UI checking the NAS session at QTS's authLogin.cgi (client/web/qnap.go qnapAuthnURL: the
# scheme and host the UI was opened on, sid or qtoken): a certificate error, or any other failure of the request.
_QNAP_URLS = [
    "https://127.0.0.1:443/cgi-bin/authLogin.cgi?sid=k0gygokg",
    "https://localhost:5000/cgi-bin/authLogin.cgi?qtoken=token&user=admin",
    "https://qnap.example.com/cgi-bin/authLogin.cgi?sid=abc",
    "https://[ff7d:0:1:2::1]/cgi-bin/authLogin.cgi?qtoken=token",
]
_X509 = [
    "x509: cannot validate certificate for 127.0.0.1 because it doesn't contain any IP SANs",
    "x509: certificate signed by unknown authority",
    "x509: certificate is valid for QNAP NAS, not localhost",
]


@given(st.sampled_from(_QNAP_URLS), st.sampled_from(_X509), st.sampled_from(["{line}\n", "error page:\n\n{line}\n"]))
@settings(max_examples=30, deadline=None)
def test_the_qnap_web_uis_certificate_error_is_nas_web_ui_auth_failed(url: str, error: str, wrap: str) -> None:
    text = wrap.format(line=f'Get "{url}": {error}')
    kinds, logs, exit_code = _windows(text)
    assert kinds == ["nas-web-ui-auth-failed"]  # QTS's own certificate: no TLS interception, no cert-failed
    assert logs == [] and exit_code == 1
    assert "Force secure connection" in _findings_text(text)


@pytest.mark.parametrize(
    "error",
    ["dial tcp 127.0.0.1:8080: connect: connection refused", "EOF", "context deadline exceeded"],
)
def test_the_qnap_web_uis_other_failures_are_nas_web_ui_auth_failed(error: str) -> None:
    text = f'Get "http://localhost:8080/cgi-bin/authLogin.cgi?sid=abc": {error}\n'
    kinds, _, exit_code = _windows(text)
    assert kinds == ["nas-web-ui-auth-failed"] and exit_code == 1


@pytest.mark.parametrize(
    "line",
    [
        "Tagged nodes not supported by this feature yet",
        "Retrying in 2 seconds...",
        "Attempt 1 to bring up Tailscale...",
        "\u2705 Tailscale up command completed successfully on attempt 2",
        "GET /cgi-bin/authLogin.cgi?sid=abc HTTP/1.1 200",
    ],
)
def test_neighbouring_lines_are_no_wrapper_failure(line: str) -> None:
    assert find_refusal(line) is None
