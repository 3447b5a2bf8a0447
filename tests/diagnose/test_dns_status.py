"""Blind batch 17 (578): `tailscale dns status` read in every state its text form prints, proven over generated
outputs built from cmd/tailscale/cli/dns-status.go's own lines (v1.74 to now; --all sections; cut at the top).

Block kind ``dns-status``: Tailscale DNS on/off, MagicDNS, resolvers, split-DNS routes, the OS's nameservers.
A consistent configuration is a note (exit 0); not logged in, no resolver at all, Tailscale DNS off are findings.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from opskit.errors import InputError
from tests.diagnose.conftest import run_json, run_text


def _output(
    *,
    header: bool,
    use_dns: bool,
    logged_in: bool,
    magicdns: bool,
    resolvers: list[str],
    routes: list[tuple[str, str]],
    system: str,  # "nameservers", "none", "unsupported", "failed"
    nameservers: list[str],
    show_all: bool,
    closing: bool,
    bootstrap: bool,
) -> str:
    out: list[str] = []
    if header:
        out += ["", "=== 'Use Tailscale DNS' status ===", ""]
    if use_dns:
        out += [
            "Tailscale DNS: enabled.",
            "",
            "Tailscale is configured to handle DNS queries on this device.",
            "Run 'tailscale set --accept-dns=false' to revert to your system default DNS resolver.",
        ]
    else:
        out += [
            "Tailscale DNS: disabled.",
            "",
            "(Run 'tailscale set --accept-dns=true' to start sending DNS queries to the Tailscale DNS resolver)",
        ]
    out += [
        "",
        "=== MagicDNS configuration ===",
        "",
        "This is the DNS configuration provided by the coordination server to this device.",
        "",
    ]
    if not logged_in:
        out.append("No tailnet information available; make sure you're logged in to a tailnet.")
        return "\n".join(out) + "\n"
    if magicdns:
        out += [
            "MagicDNS: enabled tailnet-wide (suffix = tail1234.ts.net)",
            "",
            "Other devices in your tailnet can reach this device at box.tail1234.ts.net.",
        ]
    else:
        out.append("MagicDNS: disabled tailnet-wide.")
    out += ["", "Resolvers (in preference order):"]
    if resolvers:
        out += [f"  - {r}" + (" (bootstrap: [1.1.1.1])" if bootstrap else "") for r in resolvers]
    else:
        out.append("  (no resolvers configured, system default will be used: see 'System DNS configuration' below)")
    out += ["", "Split DNS Routes:"]
    if routes:
        out += [f"  - {domain:<30} -> {addr}" for domain, addr in routes]
    else:
        out.append("  (no routes configured: split DNS disabled)")
    out.append("")
    if show_all:
        out += ["Fallback Resolvers:", "  (no fallback resolvers configured)", ""]
    out += ["Search Domains:", "  - tail1234.ts.net", ""]
    if show_all:
        out += [
            "Nameservers IP Addresses:",
            "  (none were provided)",
            "",
            "Certificate Domains:",
            "  - box.tail1234.ts.net",
            "",
            "Additional DNS Records:",
            "  (no extra records are configured)",
            "",
            "Filtered suffixes when forwarding DNS queries as an exit node:",
            "  (no suffixes are filtered)",
            "",
        ]
    out += [
        "=== System DNS configuration ===",
        "",
        "This is the DNS configuration that Tailscale believes your operating system is using.",
        "Tailscale may use this configuration if 'Override Local DNS' is disabled in the admin console,",
        "or if no resolvers are provided by the coordination server.",
        "",
    ]
    if system == "unsupported":
        out.append("  (reading the system DNS configuration is not supported on this platform)")
    elif system == "failed":
        out.append("  (failed to read system DNS configuration: exit status 1)")
    else:
        out.append("Nameservers:")
        if system == "none" or not nameservers:
            out += [
                "  (no nameservers found, DNS queries might fail",
                "unless the coordination server is providing a nameserver)",
            ]
        else:
            out += [f"  - {ns}" for ns in nameservers]
        out += ["", "Search domains:", "  (no search domains found)"]
        if show_all:
            out += ["", "Match domains:", "  (no match domains found)"]
    if closing:
        out += ["", "[this is a preliminary version of this command; the output format may change in the future]"]
    return "\n".join(out) + "\n"


ADDRESSES = st.sampled_from(["1.1.1.1", "9.9.9.9", "8.8.8.8", "2606:4700:4700::1111", "https://dns.nextdns.io/abc"])
DOMAINS = st.sampled_from(["ts.net.", "corp.example.", "home.arpa.", "svc.cluster.local."])


@settings(max_examples=60, deadline=None)
@given(
    header=st.booleans(),
    use_dns=st.booleans(),
    logged_in=st.booleans(),
    magicdns=st.booleans(),
    resolvers=st.lists(ADDRESSES, max_size=3, unique=True),
    routes=st.lists(st.tuples(DOMAINS, ADDRESSES), max_size=3),
    system=st.sampled_from(["nameservers", "none", "unsupported", "failed"]),
    nameservers=st.lists(st.sampled_from(["192.168.4.1", "10.0.0.1", "fe80::1%en0"]), max_size=2, unique=True),
    show_all=st.booleans(),
    closing=st.booleans(),
    bootstrap=st.booleans(),
    quote=st.booleans(),
    prompt=st.sampled_from(["", "$ tailscale dns status\n", "PS C:\\> tailscale dns status --all\n", "`"]),
)
def test_dns_status_is_read_in_every_state(prompt: str, quote: bool, **parts: Any) -> None:
    text = prompt + _output(**parts)
    if quote:  # posted as a markdown quote
        text = "".join(f"> {line}\n" for line in text.splitlines())
    document = run_json(text)
    assert [b["kind"] for b in document["blocks"]] == ["dns-status"]
    (dns,) = document["dns_statuses"]
    rules = {f["rule"] for f in document["findings"]}
    assert dns["tailscale_dns"] is parts["use_dns"]
    if not parts["logged_in"]:
        assert dns["logged_in"] is False and "TS-DNS-STATUS-NO-TAILNET" in rules
        assert document["summary"]["exit_code"] == 1
        return
    assert dns["magicdns"] is parts["magicdns"]
    assert dns["resolvers"] == parts["resolvers"]
    assert [(r["domain"], r["resolver"]) for r in dns["split_dns"]] == parts["routes"]
    shown_ns = parts["nameservers"] if parts["system"] == "nameservers" else []
    if parts["system"] in ("nameservers", "none"):
        assert dns["system_nameservers"] == shown_ns
    else:
        assert dns["system_nameservers"] is None and dns["system_unreadable"]
    no_resolver = not parts["resolvers"] and not shown_ns
    expected = set()
    if not parts["use_dns"]:
        expected.add("TS-DNS-STATUS-NOT-USED")
    elif no_resolver:
        expected.add("TS-DNS-STATUS-NO-RESOLVER")
    else:
        expected.add("TS-DNS-STATUS")
    assert rules == expected, (rules, expected)
    # Tailscale DNS turned off is the owner's choice: a note, like the consistent configuration
    assert document["summary"]["exit_code"] == (0 if expected <= {"TS-DNS-STATUS", "TS-DNS-STATUS-NOT-USED"} else 1)


def test_the_output_cut_above_magicdns_is_still_read() -> None:
    text = _output(
        header=False,
        use_dns=True,
        logged_in=True,
        magicdns=True,
        resolvers=["1.1.1.1"],
        routes=[],
        system="nameservers",
        nameservers=["10.0.0.1"],
        show_all=False,
        closing=True,
        bootstrap=False,
    )
    cut = text[text.index("MagicDNS: enabled") :]
    document = run_json(cut)
    (dns,) = document["dns_statuses"]
    assert dns["tailscale_dns"] is None and dns["magicdns"] is True and dns["resolvers"] == ["1.1.1.1"]
    assert {f["rule"] for f in document["findings"]} == {"TS-DNS-STATUS"}


@pytest.mark.parametrize(
    "text",
    [
        "Tailscale DNS: enabled.\n",  # one line quoted in prose
        "I checked and MagicDNS: enabled tailnet-wide (suffix = x.ts.net) is what I see\n",
    ],
)
def test_a_line_quoted_alone_is_no_dns_status(text: str) -> None:
    with pytest.raises(InputError):
        run_text(text)
