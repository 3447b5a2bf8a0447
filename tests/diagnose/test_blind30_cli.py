"""Generated tests for blind batch 30's CLI and report misses, read as classes (what a user sees in the JSON document).

1. `tailscale debug derp` on a client without IPv4: the region reached (DERP connections established), every node
   "only has IPv6 connectivity, not IPv4", no IPv4 STUN answer, the IPv4 dials failing: a note, exit 0. A node
   reached over IPv4 (or answering STUN), IPv6 failing too, or no DERP connection keep the failures problems.
2. A LocalAPI status line whose code lost leading digits in a copy ("00 Internal Server Error: …", "04 Not Found:
   …") is read by its reason phrase under the typed command; `file cp`'s failures ("invalid write result", a 5xx)
   are taildrop-failed.
3. Tailscale's package download/verify failing in an install step: sha256sum's "<tailscale package>: FAILED", and
   pkgs.tailscale.com's "failed to get hash" / "404 page not found" / curl -f's 404 under the command fetching it:
   install-failed. Another file's checksum mismatch, the same words under another command, and prose are not.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from opskit.errors import InputError
from tests.diagnose.conftest import run_json


def _document(text: str) -> dict[str, Any]:
    try:
        return run_json(text)
    except InputError:
        return {"summary": {"exit_code": 2}, "windows": [], "findings": [], "blocks": []}


def _windows(document: dict[str, Any]) -> list[str]:
    return [error["kind"] for error in document.get("windows") or []]


def _exit(document: dict[str, Any]) -> int:
    return int(document["summary"]["exit_code"])


def _rules(document: dict[str, Any]) -> set[str]:
    return {finding["rule"] for finding in document["findings"]}


# ------------------------------------------------------------------ 1. debug derp on a client without IPv4

_PROMPTS = ("$ ", "> ", "% ", "PS C:\\> ", "user@host:~$ ")


def _derp_report(region: tuple[str, str], info: list[str], warnings: list[str], errors: list[str]) -> str:
    document = {
        "Info": [f'Region {region[0]} == "{region[1]}"', *info],
        "Warnings": warnings or None,
        "Errors": errors or None,
    }
    return json.dumps(document, indent=1)


def _ipv6_only_paste(
    prompt: str, region: tuple[str, str], nodes: list[str], timer: str, *, dialed: int, stun_error: bool
) -> str:
    info = [f'Successfully established a DERP connection with node "{node}"' for node in nodes]
    warnings: list[str] = []
    errors: list[str] = []
    for index, node in enumerate(nodes):
        warnings.append(f'Node "{node}" only has IPv6 connectivity, not IPv4')
        if stun_error:
            errors.append(
                f'Error sending IPv4 STUN packet to 203.0.113.{index + 1}:3478 ("{node}"): network is unreachable'
            )
        else:
            warnings.append(f'Node "{node}" did not return a IPv4 STUN response')
        if index < dialed:
            errors.append(
                f'Error connecting to node "{node}" @ "203.0.113.{index + 1}:443" over IPv4: dial tcp4 '
                f"203.0.113.{index + 1}:443: connect: operation timed out"
            )
    command = f"{prompt}tailscale debug derp {region[1]}" + (f"{' ' * 60}{timer}" if timer else "")
    return command + "\n" + _derp_report(region, info, warnings, errors) + "\n"


_regions = st.sampled_from([("7", "tok"), ("1", "nyc"), ("4", "fra"), ("900", "myderp")])
_node_lists = st.integers(min_value=1, max_value=4).map(
    lambda n: [f"derp{n}{chr(97 + i)}.example.com" for i in range(n)]
)


@settings(max_examples=30, deadline=None)
@given(
    st.sampled_from(_PROMPTS),
    _regions,
    _node_lists,
    st.sampled_from(["", "129.289s 00:47:36", "took 2m9s"]),
    st.integers(min_value=0, max_value=4),
    st.booleans(),
)
def test_a_client_without_ipv4_reaching_the_region_over_ipv6_is_a_note(
    prompt: str, region: tuple[str, str], nodes: list[str], timer: str, dialed: int, stun_error: bool
) -> None:
    document = _document(_ipv6_only_paste(prompt, region, nodes, timer, dialed=dialed, stun_error=stun_error))
    assert [block["kind"] for block in document["blocks"]] == ["derp-check"]
    assert _exit(document) == 0
    assert "TS-DERP-CHECK-NOTES" in _rules(document)
    assert not _rules(document) & {"TS-DERP-REGION-FAILING", "TS-DERP-STUN-NO-RESPONSE"}


def _with(paste: str, old: str, new: str) -> str:
    assert old in paste
    return paste.replace(old, new, 1)


_IPV4_EXISTS = (
    # one node reached over both families: IPv4 works here, its failure on the other node is the node's
    lambda p: _with(
        p,
        '"Successfully established',
        '"Node \\"derp9z.example.com\\" has working IPv4 and IPv6 connectivity",\n  "Successfully established',
    ),
    # an IPv4 STUN answer: this client has IPv4
    lambda p: _with(
        p,
        '"Successfully established',
        '"Node \\"derp9z.example.com\\" returned IPv4 STUN response: 198.51.100.4:1",\n  "Successfully established',
    ),
)


@settings(max_examples=20, deadline=None)
@given(_regions, _node_lists, st.integers(min_value=1, max_value=4), st.sampled_from(range(len(_IPV4_EXISTS))))
def test_ipv4_failures_where_ipv4_exists_stay_problems(
    region: tuple[str, str], nodes: list[str], dialed: int, which: int
) -> None:
    paste = _IPV4_EXISTS[which](_ipv6_only_paste("$ ", region, nodes, "", dialed=dialed, stun_error=False))
    document = _document(paste)
    assert _exit(document) == 1
    assert "TS-DERP-REGION-FAILING" in _rules(document)


@pytest.mark.parametrize("nodes", [["derp7b.tailscale.com"], ["derp7b.tailscale.com", "derp7c.tailscale.com"]])
def test_a_region_unreachable_on_both_families_stays_a_problem(nodes: list[str]) -> None:
    paste = _ipv6_only_paste("$ ", ("7", "tok"), nodes, "", dialed=len(nodes), stun_error=False)
    paste = _with(
        paste,
        '"Error connecting to node',
        '"Error connecting to node \\"derp7b.tailscale.com\\" @ \\"[2001:db8::1]:443\\" over IPv6: dial tcp6 '
        '[2001:db8::1]:443: connect: network is unreachable",\n  "Error connecting to node',
    )
    document = _document(paste)
    assert _exit(document) == 1
    assert "TS-DERP-REGION-FAILING" in _rules(document)


def test_without_any_derp_connection_the_ipv4_failures_stay_problems() -> None:
    paste = _ipv6_only_paste("$ ", ("7", "tok"), ["derp7b.tailscale.com"], "", dialed=1, stun_error=False)
    paste = paste.replace('"Successfully established a DERP connection with node \\"derp7b.tailscale.com\\""', '"x"')
    document = _document(paste.replace(',\n  "x"', ""))
    assert _exit(document) == 1


def test_without_the_stun_evidence_an_ipv4_failure_stays_a_warning() -> None:
    paste = _ipv6_only_paste("$ ", ("7", "tok"), ["derp7b.tailscale.com"], "", dialed=1, stun_error=False)
    paste = paste.replace(',\n  "Node \\"derp7b.tailscale.com\\" did not return a IPv4 STUN response"', "")
    assert "STUN" not in paste
    document = _document(paste)
    assert _exit(document) == 1
    assert "TS-DERP-REGION-FAILING" in _rules(document)


# ------------------------------------------------------------------ 2. a status that lost its leading digits

_FILE_COMMANDS = (
    "tailscale file cp foo.png phone:",
    "sudo tailscale file cp ./IMG_0001.HEIC pixel-7:",
    "tailscale file cp a.txt b.txt [fd7a:115c:a1e0::1]:",
)


def _clip(status: str) -> st.SearchStrategy[str]:
    return st.sampled_from([status[1:], status[2:]])


@settings(max_examples=40, deadline=None)
@given(
    st.sampled_from(_FILE_COMMANDS),
    _clip("500"),
    st.sampled_from(["invalid write result", "short write", "open /sdcard/Download/foo.png: permission denied"]),
    st.sampled_from(["$ ", "", "```bash\n", "> "]),
)
def test_file_cp_answered_with_a_clipped_500_is_taildrop_failed(
    command: str, digits: str, body: str, prompt: str
) -> None:
    fence_close = "```\n```\n" if prompt.startswith("```") else ""
    paste = f"{prompt}{command}\n{fence_close}{digits} Internal Server Error: {body}\n"
    document = _document(paste)
    assert _windows(document) == ["taildrop-failed"]
    assert _exit(document) == 1


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("502 Bad Gateway: upstream connect error", "taildrop-failed"),
        ("02 Bad Gateway: peer busy", "taildrop-failed"),
        ("504 Gateway Timeout: context deadline exceeded", "taildrop-failed"),
        ("invalid write result", "taildrop-failed"),
        ("sending foo.png: 500 Internal Server Error: invalid write result", "taildrop-failed"),
        ("00 Internal Server Error: invalid write result", "taildrop-failed"),
    ],
)
def test_file_cps_server_failures_are_taildrop_failed(line: str, kind: str) -> None:
    assert _windows(_document(f"$ tailscale file cp foo.png phone:\n{line}\n")) == [kind]


@pytest.mark.parametrize(
    ("command", "clipped", "whole"),
    [
        (
            "tailscale serve --bg 8080",
            "0 Internal Server Error: netMap is nil",
            "500 Internal Server Error: netMap is nil",
        ),
        (
            "tailscale cert host.ts.net",
            "00 Internal Server Error: no TailscaleVarRoot",
            "500 Internal Server Error: no TailscaleVarRoot",
        ),
        ("tailscale file cp a b:", "04 Not Found: no such peer", "404 Not Found: no such peer"),
        ("tailscale file cp a b:", "3 Service Unavailable: no netmap", "503 Service Unavailable: no netmap"),
    ],
)
def test_a_clipped_status_reads_as_the_whole_one_under_its_command(command: str, clipped: str, whole: str) -> None:
    assert _windows(_document(f"$ {command}\n{clipped}\n")) == _windows(_document(f"$ {command}\n{whole}\n"))
    assert _windows(_document(f"$ {command}\n{clipped}\n"))


@pytest.mark.parametrize(
    "line",
    [
        "12 Internal Server Error: boom",  # 12 is no end of 500
        "05 Not Found: x",  # nor 05 of 404
        "00 apples: x",
        "00 Internal Server Errors were logged today",
    ],
)
def test_digits_that_are_no_clipped_code_are_not_read(line: str) -> None:
    assert _windows(_document(f"$ tailscale file cp foo.png phone:\n{line}\n")) == []


def test_a_clipped_status_without_a_typed_command_is_not_read() -> None:
    assert _windows(_document("00 Internal Server Error: invalid write result\n")) == []


# ------------------------------------------------------------------ 3. Tailscale's package download/verify failing

_CURL_METER = (
    "  % Total    % Received % Xferd  Average Speed   Time    Time     Time  Current\n"
    "                                 Dload  Upload   Total   Spent    Left  Speed\n"
    "100    19  100    19    0     0     39      0 --:--:-- --:--:-- --:--:--    39\n"
)
_PACKAGES = (
    "tailscale.tgz",
    "tailscale_1.58.0_amd64.tgz",
    "/tmp/tailscale_1.80.3_arm64.tgz",
    "tailscale-setup-1.62.0.exe",
    "tailscale_1.66.4_amd64.deb",
)


@settings(max_examples=30, deadline=None)
@given(
    st.sampled_from(_PACKAGES),
    st.sampled_from(["FAILED", "FAILED open or read"]),
    st.sampled_from(["", "Run tailscale/github-action@main\n", "#7 2.31 "]),
    st.booleans(),
)
def test_a_tailscale_packages_checksum_failing_is_install_failed(
    package: str, failed: str, head: str, meter: bool
) -> None:
    lines = f"sha256sum: WARNING: 1 computed checksum did NOT match\n{package}: {failed}\n"
    if head.startswith("#7"):
        lines = "".join(head + line + "\n" for line in lines.splitlines())
        head = ""
    paste = head + (_CURL_METER if meter else "") + lines + "Error: Process completed with exit code 1.\n"
    document = _document(paste)
    assert "install-failed" in _windows(document)
    assert _exit(document) == 1


@pytest.mark.parametrize(
    "paste",
    [
        "sha256sum: WARNING: 1 computed checksum did NOT match\nnode-v20.11.0-linux-x64.tar.xz: FAILED\n",
        "sha256sum: WARNING: 1 computed checksum did NOT match\n",
        "android-sdk.tar.gz: FAILED\n",
        "tailscale.tgz: OK\n",
        "The tailscale.tgz: FAILED step is what the Action prints when the checksum differs, I think.\n",
    ],
)
def test_other_checksum_lines_are_no_install_failure(paste: str) -> None:
    assert "install-failed" not in _windows(_document(paste))


_PKGS_URLS = (
    "https://pkgs.tailscale.com/stable/tailscale_1.58.0_amd64.tgz.sha256",
    "https://pkgs.tailscale.com/unstable/tailscale_1.59.45_arm64.tgz",
    "https://pkgs.tailscale.com/stable/tailscale_1.58.0_amd64.tgz",
)


@settings(max_examples=30, deadline=None)
@given(
    st.sampled_from(["curl -H user-agent:tailscale-github-action -L", "curl -fsSL", "wget -qO-", "curl -sL -o t.tgz"]),
    st.sampled_from(_PKGS_URLS),
    st.sampled_from(["failed to get hash", "404 page not found", "curl: (22) The requested URL returned error: 404"]),
    st.sampled_from(['"{}"', "{}", "'{}'"]),
)
def test_pkgs_answers_for_a_file_it_does_not_serve_are_install_failed(
    tool: str, url: str, answer: str, quote: str
) -> None:
    document = _document(f"$ {tool} {quote.format(url)}\n{answer}\n")
    assert _windows(document) == ["install-failed"]
    assert _exit(document) == 1


@pytest.mark.parametrize(
    "paste",
    [
        "$ curl -L https://example.com/file.sha256\nfailed to get hash\n",
        "$ curl -L https://example.com/missing\n404 page not found\n",
        "failed to get hash\n",
        "$ tailscale status\nfailed to get hash\n",
        "$ curl -L https://pkgs.tailscale.com/stable/\nThe page says failed to get hash for some builds.\n",
    ],
)
def test_the_same_words_elsewhere_are_no_install_failure(paste: str) -> None:
    assert "install-failed" not in _windows(_document(paste))
