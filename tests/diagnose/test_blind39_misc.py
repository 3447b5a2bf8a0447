"""Generated tests for blind batch 39's log and status misses, read as classes (what a user sees in the JSON).

1. `systemctl status tailscaled`'s process line however much of it was copied: `ExecStart=…tailscaled … (code=exited,
   status=1/FAILURE)` with or without its `Process: N ` head, a fault signal, `Main PID: N (code=…)`: `crash`;
   203/EXEC stays `exec-failed`; a unit file's `ExecStart=` line (no `(code=…)` tail) or a clean exit is no crash.
2. Tailscale's TLS listener refusing a ClientHello without SNI (`http: TLS handshake error from <addr>: no SNI
   ServerName`, client/local GetCertificate, ipn/ipnlocal/serve.go): the new issue `tls-no-sni` (warning,
   TS-LOG-TLS-NO-SNI) under every prefix, a program's own `[name vX]` one included; the other handshake errors
   are not it.
3. A status paste of only offline rows (no self row, no online peer): TS-STATUS-ONLY-OFFLINE (warning, exit 1) naming
   each device and since when; a full status with offline peers stays exit 0.
"""

from __future__ import annotations

import itertools
from typing import Any

import pytest

from tests.diagnose.log_catalog import LOG_PREFIXES, document_of, exit_code, log_issues, log_kinds


def _findings(document: dict[str, Any], rule: str) -> list[dict[str, Any]]:
    return [finding for finding in document["findings"] if finding["rule"] == rule]


# ------------------------------------------------------------------ 1. systemctl status's process line

_BINARIES = (
    "/usr/sbin/tailscaled",
    "/usr/bin/tailscaled",
    "/nix/store/5x9k-tailscale-1.54.0/bin/tailscaled",
    "/home/linuxbrew/.linuxbrew/opt/tailscale/bin/tailscaled",
)
_ARGS = (
    "--state=/var/lib/tailscale/tailscaled.state --socket=/run/tailscale/tailscaled.sock --port=${PORT} $FLAGS",
    "--state=/var/lib/tailscale/tailscaled.state --socket=/run/tailscale/tailscaled.sock --port=41641",
    "--tun=userspace-networking",
)
_HEADS = ("", "Process: 19144 ", "    Process: 812 ", "  ")
_FAILED_ENDS = (
    "(code=exited, status=1/FAILURE)",
    "(code=exited, status=2/INVALIDARGUMENT)",
    "(code=killed, signal=SEGV)",
    "(code=dumped, signal=ABRT)",
)


def _execstart_paste(head: str, binary: str, args: str, end: str, fenced: bool) -> str:
    line = f"{head}ExecStart={binary} {args} {end}".rstrip()
    return f"```\n{line}\n```\n" if fenced else line + "\n"


@pytest.mark.parametrize(
    ("head", "binary", "args", "end", "fenced"),
    [
        (head, binary, args, end, fenced)
        for (head, binary), (args, end), fenced in itertools.product(
            zip(_HEADS, _BINARIES, strict=True), itertools.product(_ARGS, _FAILED_ENDS), (False, True)
        )
    ],
)
def test_execstart_line_with_a_failed_end_is_a_crash(head: str, binary: str, args: str, end: str, fenced: bool) -> None:
    document = document_of(_execstart_paste(head, binary, args, end, fenced))
    assert "crash" in log_kinds(document), log_issues(document)
    assert "exec-failed" not in log_kinds(document)
    assert "TS-LOG-CRASH" in {finding["rule"] for finding in document["findings"]}
    assert exit_code(document) == 1


@pytest.mark.parametrize(("head", "binary"), list(zip(_HEADS, _BINARIES, strict=True)))
def test_execstart_line_with_203_exec_stays_exec_failed(head: str, binary: str) -> None:
    document = document_of(_execstart_paste(head, binary, _ARGS[0], "(code=exited, status=203/EXEC)", False))
    assert log_kinds(document) == {"exec-failed"}, log_issues(document)
    assert exit_code(document) == 1


@pytest.mark.parametrize(
    "paste",
    [
        # a unit file's ExecStart= line: no "(code=…)" tail, nothing ran
        *(f"ExecStart={binary} {args}\n" for binary, args in itertools.product(_BINARIES[:2], _ARGS)),
        "[Service]\nEnvironmentFile=/etc/default/tailscaled\n"
        f"ExecStart=/usr/sbin/tailscaled {_ARGS[0]}\nExecStopPost=/usr/sbin/tailscaled --cleanup\n",
        # a clean exit, a stop asked for, the --cleanup run
        f"ExecStart=/usr/sbin/tailscaled {_ARGS[1]} (code=exited, status=0/SUCCESS)\n",
        f"Process: 812 ExecStart=/usr/sbin/tailscaled {_ARGS[1]} (code=killed, signal=TERM)\n",
        "ExecStartPre=/usr/sbin/tailscaled --cleanup (code=exited, status=0/SUCCESS)\n",
        # another program's unit
        "ExecStart=/usr/bin/dockerd -H fd:// (code=exited, status=1/FAILURE)\n",
    ],
)
def test_execstart_near_misses_are_no_crash(paste: str) -> None:
    document = document_of(paste)
    assert "crash" not in log_kinds(document), log_issues(document)
    assert not _findings(document, "TS-LOG-CRASH")


# ------------------------------------------------------------------ 2. tls-no-sni

# a program's own Go log prefix before the stamp: its name, with or without its version, in brackets
_PROGRAM_PREFIXES = (
    "[jetkvm-plugin-tailscale v0.2.1] 2025/02/06 03:30:52 {msg}",
    "[jetkvm-plugin-tailscale] 2025/02/06 03:30:52 {msg}",
    "[my-tsnet-app 1.4.0] 2025/02/06 03:30:52 {msg}",
    "[golink v0.0.0-20250101] 2025-02-06T03:30:52Z {msg}",
    "tsnet: 2025/02/06 03:30:52 {msg}",
)
_CLIENTS = (("100.108.50.107", "100.108.50.107:56808"), ("fd7a:115c:a1e0::1", "[fd7a:115c:a1e0::1]:443"))
_ACCEPT = "[v1] Accept: TCP{{{client} > 100.70.27.64:443}} 52 tcp ok"
_NO_SNI = "http: TLS handshake error from {client}: no SNI ServerName"


def _log(prefix: str, *messages: str) -> str:
    return "\n".join(prefix.format(msg=message) for message in messages) + "\n"


@pytest.mark.parametrize(
    ("prefix", "client", "times"),
    list(itertools.product((*LOG_PREFIXES, *_PROGRAM_PREFIXES), _CLIENTS, (1, 3))),
)
def test_no_sni_handshake_error_is_tls_no_sni(prefix: str, client: tuple[str, str], times: int) -> None:
    address, addr_port = client
    messages = [_ACCEPT.format(client=addr_port), *([_NO_SNI.format(client=addr_port)] * times)]
    document = document_of(_log(prefix, *messages))
    assert log_kinds(document) - {"hand-started"} == {"tls-no-sni"}, log_issues(document)
    (issue,) = [issue for issue in log_issues(document) if issue["kind"] == "tls-no-sni"]
    assert issue["severity"] == "warning" and issue["about"] == address and issue["count"] == times
    (finding,) = _findings(document, "TS-LOG-TLS-NO-SNI")
    assert finding["severity"] == "warning" and address in finding["cause"] and ".ts.net" in finding["fix"]
    assert exit_code(document) == 1


@pytest.mark.parametrize(
    ("prefix", "error"),
    list(
        itertools.product(
            (LOG_PREFIXES[1], LOG_PREFIXES[2], *_PROGRAM_PREFIXES[:3]),
            (
                "EOF",
                "remote error: tls: unknown certificate",
                "client sent an HTTP request to an HTTPS server",
                "tls: first record does not look like a TLS handshake",
                "read tcp 100.70.27.64:443->100.108.50.107:56808: read: connection reset by peer",
            ),
        )
    ),
)
def test_other_handshake_errors_are_not_tls_no_sni(prefix: str, error: str) -> None:
    client = "100.108.50.107:56808"
    document = document_of(
        _log(prefix, _ACCEPT.format(client=client), f"http: TLS handshake error from {client}: {error}")
    )
    assert "tls-no-sni" not in log_kinds(document), log_issues(document)
    assert not _findings(document, "TS-LOG-TLS-NO-SNI")


@pytest.mark.parametrize(
    "prose",
    [
        'I see "http: TLS handshake error from 100.1.2.3:5555: no SNI ServerName" when I open it.\n',
        "Why does Go say no SNI ServerName when I use the IP address?\n",
    ],
)
def test_no_sni_quoted_in_prose_is_not_an_issue(prose: str) -> None:
    document = document_of(prose)
    assert "tls-no-sni" not in log_kinds(document)


@pytest.mark.parametrize(
    ("prefix", "version"),
    list(itertools.product(_PROGRAM_PREFIXES[:4], ("1.79.0-dev20250126-tec0202c34", "1.80.2-t1234abcd"))),
)
def test_program_prefix_reads_as_its_tsnet_log(prefix: str, version: str) -> None:
    document = document_of(_log(prefix, "[v1] peer keys: [8dY/c] [SbsJn]", f"[v1] v{version} peers: 9204/1756"))
    assert [block["kind"] for block in document["blocks"]] == ["tailscaled-log"]
    (log,) = document["daemon_logs"]
    assert log["version"] and version.startswith(log["version"])
    assert exit_code(document) == 0


# ------------------------------------------------------------------ 3. only offline status rows

_OFFLINE_ROWS = (
    ("100.117.91.34", "raspberrypi", "someone@", "linux", "166d", "166 days ago"),
    ("100.80.12.5", "nas", "tagged-devices", "linux", "1d", "1 day ago"),
    ("100.101.7.9", "old-laptop", "me@example.com", "windows", "5h", "5 hours ago"),
    ("100.90.1.2", "phone", "me@", "iOS", "12m", "12 minutes ago"),
)
_INDENTS = ("", "  ", "    ")


def _row(ip: str, host: str, owner: str, os: str, cell: str) -> str:
    return f"{ip:<17}{host:<16}{owner:<16}{os:<9}{cell}"


def _status(rows: list[str], indent: str, fenced: bool) -> str:
    body = [f"{indent}{row}" for row in rows]
    return "\n".join([f"{indent}```", *body, f"{indent}```"] if fenced else body) + "\n"


@pytest.mark.parametrize(("count", "indent", "fenced"), list(itertools.product((1, 2, 4), _INDENTS, (False, True))))
def test_only_offline_rows_are_a_problem(count: int, indent: str, fenced: bool) -> None:
    picked = _OFFLINE_ROWS[:count]
    rows = [_row(ip, host, owner, os, f"offline, last seen {ago} ago") for ip, host, owner, os, ago, _ in picked]
    document = document_of(_status(rows, indent, fenced))
    assert [block["kind"] for block in document["blocks"]] == ["status"]
    (finding,) = _findings(document, "TS-STATUS-ONLY-OFFLINE")
    assert finding["severity"] == "warning"
    for _, host, _, _, _, words in picked:
        assert f"{host} is offline, last seen {words}" in finding["cause"]
    assert exit_code(document) == 1


@pytest.mark.parametrize(
    ("first", "indent"),
    list(
        itertools.product(
            (
                _row("100.64.0.1", "laptop", "someone@", "macOS", "-"),  # the self row
                _row("100.64.0.7", "desktop", "someone@", "linux", "idle, tx 1200 rx 900"),
                _row("100.64.0.7", "desktop", "someone@", "linux", "active; direct 192.168.1.20:41641, tx 1200 rx 900"),
                _row("100.64.0.7", "desktop", "someone@", "linux", 'active; relay "fra", tx 1200 rx 900'),
            ),
            _INDENTS[:2],
        )
    ),
)
def test_full_status_with_offline_peers_stays_silent(first: str, indent: str) -> None:
    rows = [
        first,
        *(
            _row(ip, host, owner, os, f"offline, last seen {ago} ago")
            for ip, host, owner, os, ago, _ in _OFFLINE_ROWS[:2]
        ),
    ]
    document = document_of(_status(rows, indent, False))
    assert not _findings(document, "TS-STATUS-ONLY-OFFLINE")
    if "relay" not in first:
        assert exit_code(document) == 0


def test_offline_exit_node_in_use_keeps_its_own_rule() -> None:
    row = _row("100.91.12.34", "exit-1", "me@", "linux", "idle; exit node; offline, last seen 3d ago")
    document = document_of(row + "\n")
    assert not _findings(document, "TS-STATUS-ONLY-OFFLINE")
    assert _findings(document, "TS-STATUS-EXIT-NODE-OFFLINE")
