"""Catalog of the CLI's read-only views not read before: each as the CLI prints it, read from the source.

Read from Tailscale's CLI at commit de9ec7ee2 (2026-08-22) and its history (`git log -S`): cmd/tailscale/cli/
version.go + version/print.go (`tailscale version`, `--daemon`, `--json`, `--upstream`), whois.go / whoami.go,
switch.go (`switch --list`), exitnode.go (`exit-node suggest`), debug.go (`debug derp-map`: tailcfg.DERPMap as
JSON; `debug hostinfo`: tailcfg.Hostinfo; `debug local-creds`; `debug via`), bugreport.go, cert.go, file.go,
drive.go, syspolicy.go, update.go, configure-kube.go, web.go, dns-query.go.

Every view is pasted five ways: under a typed command with a shell prompt, without any command (only where the
view says what it is by itself), in a markdown fence, indented (a forum's code block), and with CRLF line ends.
An entry with a kind must be read as that block kind alone (another kind is a misreading) with the facts an
expert reads, in the JSON's ``views[]``, and no warning; a "routine" entry must raise nothing (no finding of
warning or error, no block of another kind) and leave no line unread.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from opskit.core.diagnose.blocks import split_input
from opskit.core.diagnose.regions import PUBLIC_REGIONS
from opskit.errors import InputError
from tests.diagnose.conftest import run_json

ROUTINE = "routine"


@dataclass(frozen=True)
class View:
    name: str
    command: str
    output: str
    kind: str  # the block kind an expert expects, or ROUTINE
    facts: dict[str, Any] = field(default_factory=dict)
    needs_command: bool = False  # says nothing about itself without its command
    allowed: tuple[str, ...] = ()  # other block kinds that are right for a routine answer (a login prompt: status)
    problem: str | None = None  # the rule of the warning an expert reads in it
    secret: str | None = None  # a value opskit must never print


_COMMIT = "0f8e1a5b0e06de4fa93bff2a2acbfd4c3a3ca8a1"
_OTHER = "5d6e1b7a3f1d5e8c0a7b6a1b2c3d4e5f6a7b8c9d"
_MARKER = "BUG-5f2a9c0e1d3b4a6978c5e4d3b2a19081726354a5b6c7d8e9f0a1b2c3d4e5f6a7-20240501120312Z-7e6d5c4b3a291807"

CATALOG: tuple[View, ...] = (
    # --- tailscale version (version.go runVersion; version/print.go String) ---------------------------------
    # v1.10-v1.38: Short, "  tailscale commit:", "  other commit:", "  go version:"
    View(
        "version-1.10",
        "tailscale version",
        f"1.36.2\n  tailscale commit: {_COMMIT}\n  other commit: {_OTHER}\n  go version: go1.19.5",
        "version",
        {"client": "1.36.2", "daemon": None},
    ),
    # v1.40+: the unstable track line (odd minor), "-dirty" after a modified tree's commit
    View(
        "version-unstable",
        "tailscale version",
        "1.77.35\n  track: unstable (dev); frequent updates and bugs are likely\n"
        f"  tailscale commit: {_COMMIT}-dirty\n  go version: go1.23.2",
        "version",
        {"client": "1.77.35", "unstable": True},
    ),
    # v1.86+ (print.go 5b086cd2a, 2025-06-15): "  long version:", the Tailscale Go toolchain's revision
    View(
        "version-head",
        "tailscale version",
        f"1.90.6\n  tailscale commit: {_COMMIT}\n  long version: 1.90.6-t0f8e1a5b0-g5d6e1b7a3\n"
        f"  other commit: {_OTHER}\n  go version: go1.25.3 (tailscale/go 1d0c2d6b1b)",
        "version",
        {"client": "1.90.6", "go": "go1.25.3"},
    ),
    # v1.0-v1.8: version.LONG alone
    View(
        "version-1.0",
        "tailscale version",
        "1.6.0-t0a4ba3b4c-g9f4b2c8b4",
        "version",
        {"client": "1.6.0"},
        needs_command=True,
    ),
    # `tailscale --version` / `-V` run `version` (cli.go); tailscaled's own -version flag prints the daemon's
    View(
        "version-flag",
        "tailscale --version",
        "1.6.0-t0a4ba3b4c-g9f4b2c8b4",
        "version",
        {"client": "1.6.0"},
        needs_command=True,
    ),
    View(
        "tailscaled-version",
        "/usr/sbin/tailscaled --version",
        f"1.82.5\n  tailscale commit: {_COMMIT}\n  other commit: {_OTHER}\n  go version: go1.24.2",
        "version",
        {"client": None, "daemon": "1.82.5"},
        needs_command=True,  # bare, it is the CLI's
    ),
    # --daemon (v1.0+): "Client: <String()>" then "Daemon: <st.Version>" (the daemon's long version)
    View(
        "version-daemon",
        "tailscale version --daemon",
        f"Client: 1.76.1\n  tailscale commit: {_COMMIT}\n  go version: go1.23.1\nDaemon: 1.74.0-t1234abcd5-g5678ef901",
        "version",
        {"client": "1.76.1", "daemon": "1.74.0"},
        problem="TS-VERSION-MISMATCH",  # the CLI itself warns (cli.go: client version != tailscaled server version)
    ),
    # --upstream (v1.76+, 2024): "  upstream: <latest>" after the version
    View(
        "version-upstream",
        "tailscale version --upstream",
        f"1.76.1\n  tailscale commit: {_COMMIT}\n  go version: go1.23.1\n  upstream: 1.78.1",
        "version",
        {"client": "1.76.1", "upstream": "1.78.1"},
    ),
    # --json (v1.58+): version.Meta, tab-indented
    View(
        "version-json",
        "tailscale version --json --daemon",
        '{\n\t"majorMinorPatch": "1.76.1",\n\t"short": "1.76.1",\n\t"long": "1.76.1-t0f8e1a5b0-g5d6e1b7a3",\n'
        f'\t"gitCommit": "{_COMMIT}",\n\t"extraGitCommit": "{_OTHER}",\n'
        '\t"daemonLong": "1.76.1-t0f8e1a5b0-g5d6e1b7a3",\n\t"cap": 106\n}',
        "version",
        {"client": "1.76.1", "daemon": "1.76.1"},
    ),
    # --- tailscale debug hostinfo (debug.go runHostinfo: tailcfg.Hostinfo, two-space indent) --------------
    View(
        "hostinfo",
        "tailscale debug hostinfo",
        '{\n  "IPNVersion": "1.76.1-t0f8e1a5b0-g5d6e1b7a3",\n  "OS": "linux",\n'
        '  "OSVersion": "Debian 12.7 (bookworm); kernel=6.1.0-25-amd64",\n  "Distro": "debian",\n'
        '  "DistroVersion": "12.7",\n  "DistroCodeName": "bookworm",\n  "Hostname": "nas",\n'
        '  "Machine": "x86_64",\n  "GoArch": "amd64",\n  "GoVersion": "go1.23.1"\n}',
        "debug-hostinfo",
        {
            "version": "1.76.1",
            "os": "linux",
            "os_version": "Debian 12.7 (bookworm); kernel=6.1.0-25-amd64",
            "hostname": "nas",
        },
    ),  # fmt: skip
    # --- tailscale whois (whois.go printWhoIs, v1.56+): tabwriter(10, 5, 5) ---------------------------------
    View(
        "whois-user",
        "tailscale whois 100.101.102.103",
        "Machine:\n  Name:          laptop.tail1234.ts.net\n  ID:            nXYZ1234CNTRL\n"
        "  Addresses:     [100.101.102.103/32 fd7a:115c:a1e0::1/128]\n"
        "User:\n  Name:          alice@example.com\n  ID:            1234567890",
        "whois",
        {
            "name": "laptop.tail1234.ts.net",
            "addresses": ["100.101.102.103", "fd7a:115c:a1e0::1"],
            "user": "alice@example.com",
            "tags": [],
        },
    ),  # fmt: skip
    # a tagged node: Tags instead of User; AllowedIPs beyond its own addresses; Capabilities with JSON values
    View(
        "whois-tagged",
        "sudo tailscale whois --proto=tcp 100.88.1.2:22",
        "Machine:\n  Name:           router.tail1234.ts.net\n  ID:             n7Hk2CNTRL\n"
        "  Addresses:      [100.88.1.2/32 fd7a:115c:a1e0::5801:102/128]\n"
        "  AllowedIPs:     [192.168.1.0/24 0.0.0.0/0 ::/0]\n  Tags:           tag:router, tag:exit\n"
        "Capabilities:\n  - https://tailscale.com/cap/ssh\n  - tailscale.com/cap/file-sharing-target:\n"
        '      [\n        {\n          "name": "admin"\n        }\n      ]',
        "whois",
        {
            "name": "router.tail1234.ts.net",
            "tags": ["tag:router", "tag:exit"],
            "user": None,
            "routes": ["192.168.1.0/24", "0.0.0.0/0", "::/0"],
        },
    ),  # fmt: skip
    # --json: whoisAndTailnet (apitype.WhoIsResponse: Node, UserProfile, CapMap)
    View(
        "whois-json",
        "tailscale whois --json laptop",
        '{\n  "Node": {\n    "ID": 123456789,\n    "StableID": "nXYZ1234CNTRL",\n'
        '    "Name": "laptop.tail1234.ts.net.",\n    "User": 1234567890,\n'
        '    "Key": "nodekey:0e3b5d0c4a9c1c7a4b8e7d6f5e4d3c2b1a0918273645f6e7d8c9b0a1f2e3d4c5",\n'
        '    "Addresses": [\n      "100.101.102.103/32",\n      "fd7a:115c:a1e0::1/128"\n    ],\n'
        '    "AllowedIPs": [\n      "100.101.102.103/32",\n      "fd7a:115c:a1e0::1/128"\n    ],\n'
        '    "Hostinfo": {\n      "OS": "windows",\n      "Hostname": "LAPTOP"\n    }\n  },\n'
        '  "UserProfile": {\n    "ID": 1234567890,\n    "LoginName": "alice@example.com",\n'
        '    "DisplayName": "Alice"\n  },\n  "CapMap": null\n}',
        "whois",
        {"name": "laptop.tail1234.ts.net", "user": "alice@example.com", "os": "windows"},
    ),
    # tailscale whoami (whoami.go, 2026-05): the same view of this node, with the Tailnet section
    View(
        "whoami",
        "tailscale whoami",
        "Machine:\n  Name:                nas.tail1234.ts.net\n  ID:                  nAbC9CNTRL\n"
        "  Addresses:           [100.64.0.9/32 fd7a:115c:a1e0::9/128]\n"
        "User:\n  Name:                alice@example.com\n  ID:                  1234567890\n"
        "Tailnet:\n  Name:                example.com\n  MagicDNS Suffix:     tail1234.ts.net",
        "whois",
        {"name": "nas.tail1234.ts.net", "user": "alice@example.com", "tailnet": "example.com"},
    ),
    # a paste that cut the top ("..." in its place), under the command: the capabilities alone
    View(
        "whois-capabilities",
        "tailscale whois 100.99.12.86",
        '...\nCapabilities:\n  - tailscale.com/cap/drive:\n      [\n        {\n          "shares": [\n'
        '            "*"\n          ],\n          "access": "rw"\n        }\n      ]\n'
        "  - tailscale.com/cap/drive-sharer",
        "whois",
        {"name": None, "capabilities": ["tailscale.com/cap/drive", "tailscale.com/cap/drive-sharer"]},
        needs_command=True,
    ),
    # --- tailscale switch --list (switch.go listProfiles) ----------------------------------------------------
    # v1.56+ (2dc064536): tabwriter(2, 2, 2) "ID  Tailnet  Account", "*" after the current profile's name
    View(
        "switch-list",
        "tailscale switch --list",
        "ID    Tailnet          Account\n2ff9  example.com      alice@example.com*\n"
        "8a1c  bob@gmail.com    bob@gmail.com",
        "switch-list",
        {"profiles": ["alice@example.com", "bob@gmail.com"], "current": "alice@example.com"},
    ),
    # v1.34-v1.54: one profile name a line, "name *" for the current one
    View(
        "switch-list-1.34",
        "tailscale switch --list",
        "alice@example.com *\nbob@gmail.com",
        "switch-list",
        {"profiles": ["alice@example.com", "bob@gmail.com"], "current": "alice@example.com"},
        needs_command=True,
    ),
    # --json (aac12ba79, 2026-01): switchProfileJSON
    View(
        "switch-list-json",
        "tailscale switch --list --json",
        '[\n  {\n    "id": "2ff9",\n    "nickname": "",\n    "tailnet": "example.com",\n'
        '    "account": "alice@example.com",\n    "selected": false\n  },\n  {\n    "id": "8a1c",\n'
        '    "nickname": "work",\n    "tailnet": "corp.example",\n    "account": "alice@corp.example",\n'
        '    "selected": true\n  }\n]',
        "switch-list",
        {"profiles": ["alice@example.com", "alice@corp.example"], "current": "alice@corp.example"},
    ),
    # --- tailscale exit-node suggest (exitnode.go runExitNodeSuggest, v1.66+) -------------------------------
    View(
        "suggest",
        "tailscale exit-node suggest",
        "Suggested exit node: us-nyc-wg-301.mullvad.ts.net\n"
        "To accept this suggestion, use `tailscale set --exit-node=us-nyc-wg-301.mullvad.ts.net`.",
        "exit-node-suggest",
        {"suggested": "us-nyc-wg-301.mullvad.ts.net"},
    ),
    # v1.66 (9171b217b) printed the stable ID in the hint
    View(
        "suggest-1.66",
        "tailscale exit-node suggest",
        "Suggested exit node: exit-fra.tail1234.ts.net.\n"
        "To accept this suggestion, use `tailscale set --exit-node=nQx3CNTRL`.",
        "exit-node-suggest",
        {"suggested": "exit-fra.tail1234.ts.net"},
    ),
    View(
        "suggest-none",
        "tailscale exit-node suggest",
        "No exit node suggestion is available.",
        "exit-node-suggest",
        {"suggested": None},
    ),
    # --- tailscale debug derp-map (debug.go runDERPMap: tailcfg.DERPMap, tab-indented) -----------------------
    View(
        "derp-map-default",
        "tailscale debug derp-map",
        '{\n\t"Regions": {\n\t\t"1": {\n\t\t\t"RegionID": 1,\n\t\t\t"RegionCode": "nyc",\n'
        '\t\t\t"RegionName": "New York City",\n\t\t\t"Latitude": 40.7128,\n\t\t\t"Longitude": -74.006,\n'
        '\t\t\t"Nodes": [\n\t\t\t\t{\n\t\t\t\t\t"Name": "1f",\n\t\t\t\t\t"RegionID": 1,\n'
        '\t\t\t\t\t"HostName": "derp1f.tailscale.com",\n\t\t\t\t\t"IPv4": "199.38.181.104",\n'
        '\t\t\t\t\t"IPv6": "2607:f740:f::bc",\n\t\t\t\t\t"CanPort80": true\n\t\t\t\t}\n\t\t\t]\n\t\t},\n'
        '\t\t"4": {\n\t\t\t"RegionID": 4,\n\t\t\t"RegionCode": "fra",\n\t\t\t"RegionName": "Frankfurt",\n'
        '\t\t\t"Nodes": [\n\t\t\t\t{\n\t\t\t\t\t"Name": "4f",\n\t\t\t\t\t"RegionID": 4,\n'
        '\t\t\t\t\t"HostName": "derp4f.tailscale.com",\n\t\t\t\t\t"IPv4": "185.40.234.219"\n'
        "\t\t\t\t}\n\t\t\t]\n\t\t}\n\t}\n}",
        "derp-map",
        {
            "regions": [
                {"id": 1, "code": "nyc", "name": "New York City", "custom": False},
                {"id": 4, "code": "fra", "name": "Frankfurt", "custom": False},
            ],
            "omit_default_regions": False,
        },
    ),  # fmt: skip
    # Headscale's embedded DERP server alone (omitDefaultRegions)
    View(
        "derp-map-headscale",
        "tailscale debug derp-map",
        '{\n\t"Regions": {\n\t\t"999": {\n\t\t\t"RegionID": 999,\n\t\t\t"RegionCode": "headscale",\n'
        '\t\t\t"RegionName": "Headscale Embedded DERP",\n\t\t\t"Nodes": [\n\t\t\t\t{\n'
        '\t\t\t\t\t"Name": "999a",\n\t\t\t\t\t"RegionID": 999,\n\t\t\t\t\t"HostName": "hs.example.com",\n'
        '\t\t\t\t\t"IPv4": "203.0.113.10",\n\t\t\t\t\t"STUNPort": 3478,\n\t\t\t\t\t"DERPPort": 443\n'
        '\t\t\t\t}\n\t\t\t]\n\t\t}\n\t},\n\t"omitDefaultRegions": true\n}',
        "derp-map",
        {
            "regions": [{"id": 999, "code": "headscale", "name": "Headscale Embedded DERP", "custom": True}],
            "omit_default_regions": True,
        },
    ),  # fmt: skip
    # a self-hosted derper added beside the default regions (ACL "derpMap"), one STUN-only node
    View(
        "derp-map-custom",
        "tailscale debug derp-map",
        '{\n\t"Regions": {\n\t\t"2": {\n\t\t\t"RegionID": 2,\n\t\t\t"RegionCode": "sfo",\n'
        '\t\t\t"RegionName": "San Francisco",\n\t\t\t"Nodes": [\n\t\t\t\t{\n\t\t\t\t\t"Name": "2e",\n'
        '\t\t\t\t\t"RegionID": 2,\n\t\t\t\t\t"HostName": "derp2e.tailscale.com"\n\t\t\t\t}\n\t\t\t]\n\t\t},\n'
        '\t\t"900": {\n\t\t\t"RegionID": 900,\n\t\t\t"RegionCode": "myderp",\n\t\t\t"RegionName": "My DERP",\n'
        '\t\t\t"Nodes": [\n\t\t\t\t{\n\t\t\t\t\t"Name": "900a",\n\t\t\t\t\t"RegionID": 900,\n'
        '\t\t\t\t\t"HostName": "derp.example.org",\n\t\t\t\t\t"DERPPort": 8443\n\t\t\t\t}\n\t\t\t]\n\t\t}\n\t}\n}',
        "derp-map",
        {
            "regions": [
                {"id": 2, "code": "sfo", "name": "San Francisco", "custom": False},
                {"id": 900, "code": "myderp", "name": "My DERP", "custom": True},
            ]
        },
    ),  # fmt: skip
    # --- routine answers -----------------------------------------------------------------------------------
    # bugreport.go: the marker (localapi.go: BUG-<logid>-<YYYYMMDDhhmmssZ>-<hex>); --record's two markers
    View("bugreport", "tailscale bugreport", _MARKER, ROUTINE),
    View(
        "bugreport-record",
        "tailscale bugreport --record",
        f"{_MARKER}\nRecording started; please reproduce your issue and then press Enter...\n\n"
        f"{_MARKER[:-4]}9a8b\nPlease provide both bugreport markers above to the support team or GitHub issue.",
        ROUTINE,
    ),
    # cert.go: what it wrote (or left unchanged)
    View(
        "cert",
        "sudo tailscale cert nas.tail1234.ts.net",
        "Wrote public cert to nas.tail1234.ts.net.crt\nWrote private key to nas.tail1234.ts.net.key",
        ROUTINE,
    ),
    View(
        "cert-unchanged",
        "tailscale cert nas.tail1234.ts.net",
        "Public cert unchanged at nas.tail1234.ts.net.crt\nPrivate key unchanged at nas.tail1234.ts.net.key",
        ROUTINE,
    ),
    # file.go runFileGet: --verbose's lines and the count
    View(
        "file-get",
        "tailscale file get --verbose .",
        "wrote photo.jpg as photo.jpg (2318823 bytes)\nwrote notes.txt as notes (1).txt (1042 bytes)\nmoved 2/2 files",
        ROUTINE,
    ),
    # file.go progressPrinter (runCp): the last repaint of `file cp`'s progress line (name padded to 36, sent,
    # rate, share, ETA)
    View(
        "file-cp-progress",
        "tailscale file cp ./photo.jpg phone:",
        "photo.jpg                                 2.21MiB       1.10MiB/s    100.00%    ETA 00:00:00",
        "file-cp-progress",
        {"file": "photo.jpg", "sent": "2.21MiB", "percent": 100.0},
    ),
    View(
        "file-cp-progress-stopped",
        "tailscale file cp big.iso nas:",
        "big.iso                                 512.00MiB          0.00B/s     12.50%    ETA -",
        "file-cp-progress",
        {"file": "big.iso", "percent": 12.5},
        problem="TS-FILE-CP-INCOMPLETE",
    ),
    # drive.go runDriveList: name/path/as and dashes
    View(
        "drive-list",
        "tailscale drive list",
        "name     path                  as\n-----    ------------------    -----\n"
        "docs     /home/alice/docs      alice\nmedia    /srv/media            alice",
        ROUTINE,
    ),
    # syspolicy.go: tabwriter(0, 0, 2) Name/Origin/Value/Error
    View(
        "syspolicy-list",
        "tailscale syspolicy list",
        "Name               Origin                 Value   Error\n"
        "----               ------                 -----   -----\n"
        "AllowIncomingConnections  Device Policy (GP)  never\nExitNodeID         Device Policy (GP)     auto:any\n",
        "syspolicy-list",
        {
            "policies": [
                {"name": "AllowIncomingConnections", "origin": "Device Policy (GP)", "value": "never", "error": None},
                {"name": "ExitNodeID", "origin": "Device Policy (GP)", "value": "auto:any", "error": None},
            ],
            "errors": [],
        },
    ),
    # a setting that could not be read: no value, the error in braces (printPolicySettings' "%s\t%s\t\t{%v}")
    View(
        "syspolicy-list-error",
        "tailscale syspolicy reload",
        "Name                         Origin             Value   Error\n"
        "----                         ------             -----   -----\n"
        "AdvertiseExitNode            Platform (Device)          {value type mismatch}\n"
        "PostureChecking              Platform (Device)  always\n",
        "syspolicy-list",
        {"errors": ["AdvertiseExitNode"]},
        problem="TS-SYSPOLICY-ERROR",
    ),
    # --json: setting.Snapshot (snapshot.go snapshotJSON, raw_item.go rawItemJSON), json.MarshalIndent with tabs
    View(
        "syspolicy-list-json",
        "tailscale syspolicy list --json",
        '{\n\t"Summary": {\n\t\t"Scope": "Device"\n\t},\n\t"Settings": {\n'
        '\t\t"ExitNodeID": {\n\t\t\t"Value": "auto:any",\n\t\t\t"Origin": {\n\t\t\t\t"Name": "Platform",\n'
        '\t\t\t\t"Scope": "Device"\n\t\t\t}\n\t\t},\n\t\t"AlwaysOn.Enabled": {\n\t\t\t"Value": true,\n'
        '\t\t\t"Origin": {\n\t\t\t\t"Name": "Platform",\n\t\t\t\t"Scope": "Device"\n\t\t\t}\n\t\t}\n\t}\n}',
        "syspolicy-list",
        {
            "policies": [
                {"name": "AlwaysOn.Enabled", "origin": "Platform (Device)", "value": "true", "error": None},
                {"name": "ExitNodeID", "origin": "Platform (Device)", "value": "auto:any", "error": None},
            ]
        },
    ),
    View("syspolicy-none", "tailscale syspolicy list", "No policy settings", ROUTINE, needs_command=True),
    # update.go: --dry-run
    View("update-dry-run", "sudo tailscale update --dry-run", "Current: 1.76.1, Latest: 1.78.1", ROUTINE),
    # configure-kube.go
    View(
        "kubeconfig",
        "tailscale configure kubeconfig k8s-operator",
        'kubeconfig configured for "k8s-operator.tail1234.ts.net" at URL "https://k8s-operator.tail1234.ts.net"',
        ROUTINE,
    ),
    # web.go: Go's log stamp, the CLI's own. A view since blind batch 28 (1471), no longer a routine answer dropped
    # unread: where it serves and whether it turned tailscaled's 5252 management client on (webstart.py)
    View(
        "web",
        "tailscale web --listen 0.0.0.0:8088",
        "2024/05/01 12:00:00 web server running on: http://0.0.0.0:8088",
        "web-start",
        {"listen": "http://0.0.0.0:8088", "management_client": None},
    ),
    View(
        "web-management-client",
        "tailscale web",
        "2025/02/21 23:54:16 starting tailscaled web client at http://100.101.102.103:5252\n"
        "2025/02/21 23:54:16 web server running on: http://localhost:8088",
        "web-start",
        {"listen": "http://localhost:8088", "management_client": "http://100.101.102.103:5252"},
    ),
    View(
        "web-readonly",
        "tailscale web --readonly",
        "2025/02/21 23:54:23 web server running on: http://localhost:8088",
        "web-start",
        {"listen": "http://localhost:8088", "management_client": None, "readonly": True},
        needs_command=True,
    ),
    # dns-query.go formatDNSQueryText (v1.74+)
    View(
        "dns-query",
        "tailscale dns query google.com",
        'DNS query for "google.com." (A) using internal resolver:\n\nForwarding to resolver: 1.1.1.1:53\n\n'
        "Response code: RCodeSuccess\n\nName         TTL  Class      Type   Body\n"
        "----         ---  -----      ----   ----\n"
        "google.com.  229  ClassINET  TypeA  142.250.185.78\n",
        ROUTINE,
    ),
    View(
        "dns-query-multi",
        "tailscale dns query nas.corp.example AAAA",
        'DNS query for "nas.corp.example." (AAAA) using internal resolver:\n\nMultiple resolvers available:\n'
        "  - 10.0.0.53:53\n  - https://dns.example/dns-query (bootstrap: [192.0.2.1])\n\n"
        "Response code: RCodeNameError\n\nNo answers were returned.",
        ROUTINE,
    ),
    # debug.go runLocalCreds: a LocalAPI token: recognised, never repeated
    View(
        "local-creds",
        "tailscale debug local-creds",
        "curl -u:6f1c2e9a8b7d4c3e2f1a0b9c http://localhost:41112/localapi/v0/status",
        ROUTINE,
        secret="6f1c2e9a8b7d4c3e2f1a0b9c",
    ),
    View(
        "local-creds-unix",
        "tailscale debug local-creds",
        "curl --unix-socket /var/run/tailscale/tailscaled.sock http://local-tailscaled.sock/localapi/v0/status",
        ROUTINE,
    ),
    # debug.go runVia: the 4via6 prefix; with one argument, "site N (0xN), <v4 prefix>"
    View("via", "tailscale debug via 7 10.1.0.0/24", "fd7a:115c:a1e0:b1a:0:7:a01:0/120", ROUTINE, needs_command=True),
    View("via-reverse", "tailscale debug via fd7a:115c:a1e0:b1a:0:7:a01:0/120", "site 7 (0x7), 10.1.0.0/24", ROUTINE),
    # switch.go: switching accounts
    View(
        "switch",
        'tailscale switch "bob@gmail.com"',
        'Switching to account "bob@gmail.com"\nSuccess.',
        ROUTINE,
    ),
    # tailnet-lock.go nlDescribeUpdate (`lock log`): since 2025-06 the hash in base32 and "tlpub:" key IDs
    View(
        "lock-log",
        "tailscale lock log",
        "update AAAQEAYEAUDAOCAJBIFQYDIOB4IBCEQTCQKRMFYYDENBWHA5DYPQ (checkpoint)\nDisablement values:\n"
        " - 5b3c9e4a0d1f2e3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f80912a3b\nKeys:\n  Type: 25519\n"
        "  KeyID: tlpub:44a0e23cd53a4b8acc02f6732813d8f5ba8b35d02d48bf94c9f1724ebe31c943\n  Votes: 1\n\n"
        "update BAAQEAYEAUDAOCAJBIFQYDIOB4IBCEQTCQKRMFYYDENBWHA5DYPQ (add-key)\nType: 25519\n"
        "KeyID: tlpub:0e3b5d0c4a9c1c7a4b8e7d6f5e4d3c2b1a0918273645f6e7d8c9b0a1f2e3d4c5\nMetadata: map[]",
        ROUTINE,
    ),
    # v1.34-v1.86: the hash and key IDs in hex
    View(
        "lock-log-hex",
        "tailscale lock log",
        "update 5f2a9c0e1d3b4a6978c5e4d3b2a19081726354a5b6c7d8e9f0a1b2c3d4e5f6a7 (remove-key)\n"
        "KeyID: 0e3b5d0c4a9c1c7a4b8e7d6f5e4d3c2b1a0918273645f6e7d8c9b0a1f2e3d4c5",
        ROUTINE,
    ),
    # licenses.go runLicenses
    View(
        "licenses",
        "tailscale licenses",
        "\nTailscale wouldn't be possible without the contributions of thousands of open\n"
        "source developers. To see the open source packages included in Tailscale and\n"
        "their respective license information, visit:\n\n    https://tailscale.com/licenses/tailscale",
        ROUTINE,
    ),
    # metrics.go runMetricsPrint (v1.74+): Prometheus text of the client metrics (usermetric)
    View(
        "metrics-print",
        "tailscale metrics print",
        "# TYPE tailscaled_advertised_routes gauge\n"
        "# HELP tailscaled_advertised_routes Number of advertised network routes (e.g. by a subnet router)\n"
        "tailscaled_advertised_routes 0\n# TYPE tailscaled_inbound_bytes_total counter\n"
        "# HELP tailscaled_inbound_bytes_total Counts the number of bytes received from other peers\n"
        'tailscaled_inbound_bytes_total{path="direct_ipv4"} 1234567\n'
        'tailscaled_inbound_bytes_total{path="derp"} 2048\n'
        "# TYPE tailscaled_health_messages gauge\n"
        "# HELP tailscaled_health_messages Number of health messages broken down by type.\n"
        'tailscaled_health_messages{type="warning"} 1',
        "metrics",  # a view of its own since test_cli_view_catalog_more.py (metricsview.py)
        {"inbound_bytes": {"direct_ipv4": 1234567, "derp": 2048}, "health_warnings": 1, "derp_only": False},
    ),
    # debug.go runDebugComponentLogs
    View(
        "component-logs",
        "tailscale debug component-logs magicsock",
        'Enabled debug logs for component "magicsock" for 1h0m0s',
        ROUTINE,
    ),
    # up.go: the login URL under "To authenticate, visit:" (read as a status message), then "Success."
    View(
        "up-login",
        "sudo tailscale up",
        "\nTo authenticate, visit:\n\n\thttps://login.tailscale.com/a/1a2b3c4d5e6f\n\nSuccess.",
        ROUTINE,
        allowed=("status",),
    ),
    View(
        "up-login-headscale",
        "sudo tailscale up --login-server https://hs.example.com",
        "\nTo authenticate, visit:\n\n\thttps://hs.example.com/register/mkey:5b6c7d8e9f0a1b2c3d4e5f60718293a4\n\nSuccess.",
        ROUTINE,
        allowed=("status",),
    ),
    # ip.go: the node's addresses
    View("ip", "tailscale ip", "100.101.102.103\nfd7a:115c:a1e0::1", ROUTINE, needs_command=True),
    View("ip-4", "tailscale ip -4", "100.101.102.103", ROUTINE, needs_command=True),
)


def _lines(view: View) -> list[str]:
    return view.output.split("\n")


def wrapped(view: View, how: str) -> str:
    """The view's output pasted one way (a catalog picks the ways it checks)."""
    command = f"$ {view.command}"
    if how == "prompt":
        return "\n".join([command, *_lines(view)]) + "\n"
    if how == "bare":
        return view.output + "\n"
    if how == "fence":
        return "\n".join(["```console", command, *_lines(view), "```"]) + "\n"
    if how == "indent":
        return "\n".join("    " + line if line else "" for line in [command, *_lines(view)]) + "\n"
    if how == "crlf":
        return "\r\n".join([f"user@host:~$ {view.command}", *_lines(view)]) + "\r\n"
    if how == "quote":
        return "\n".join(f"> {line}".rstrip() for line in [command, *_lines(view)]) + "\n"
    raise AssertionError(how)


WRAPPINGS = ("prompt", "bare", "fence", "indent", "crlf")
CASES = [
    pytest.param(view, how, id=f"{view.name}-{how}")
    for view in CATALOG
    for how in WRAPPINGS
    if not (how == "bare" and view.needs_command)
]


def _matches(expected: object, got: object) -> bool:
    if isinstance(expected, dict):
        return isinstance(got, dict) and all(_matches(v, got.get(k)) for k, v in expected.items())
    if isinstance(expected, list):
        return isinstance(got, list) and len(got) == len(expected) and all(map(_matches, expected, got))
    return expected == got


def read_right(view: View, text: str) -> tuple[bool, str]:
    """Whether opskit reads ``text`` (the view, wrapped) as an expert does, and what it read instead."""
    split = split_input(text)
    kinds = {block.kind.value for block in split.blocks}
    unread = [line.text for run in split.skipped for line in run.lines]
    try:
        document: dict[str, Any] | None = run_json(text)
    except InputError:
        document = None
    if view.secret and document is not None and view.secret in str(document):
        return False, "the token was printed"
    problems = [] if document is None else [f["rule"] for f in document["findings"] if f["severity"] != "info"]
    if view.problem is not None:
        if problems != [view.problem]:
            return False, f"expected only {view.problem}, got {problems}"
        problems = []
    if view.kind == ROUTINE:
        # routine answers are the cli-answer view since blind batch 35 (lead decision, corpus 1820): Tailscale's output
        # saying the command worked, no finding
        wrong = kinds - set(view.allowed) - {"cli-answer"}
        ok = not wrong and not unread and not problems
        return ok, f"kinds {sorted(wrong)}, unread {unread}, problems {problems}"
    if document is None or kinds != {view.kind} or problems or unread:
        return False, f"kinds {sorted(kinds)}, unread {unread}, problems {problems}"
    views = [v for v in document.get("views", []) if v.get("kind") == view.kind]
    if len(views) != 1 or not _matches(view.facts, views[0]):
        return False, f"views {views}"
    return True, ""


@pytest.mark.parametrize(("view", "how"), CASES)
def test_each_view_is_read_as_an_expert_reads_it(view: View, how: str) -> None:
    text = wrapped(view, how)
    ok, why = read_right(view, text)
    assert ok, f"{why}\n{text}"


def catalog_score() -> tuple[int, int]:
    """(read right, total) over the catalog: the figure reported before and after a change."""
    right = sum(read_right(case.values[0], wrapped(case.values[0], case.values[1]))[0] for case in CASES)  # type: ignore[arg-type]
    return right, len(CASES)


if __name__ == "__main__":
    right, total = catalog_score()
    print(f"{right}/{total} read right")
    by_view: dict[str, list[str]] = {}
    for case in CASES:
        view, how = case.values
        assert isinstance(view, View) and isinstance(how, str)
        if not read_right(view, wrapped(view, how))[0]:
            by_view.setdefault(view.name, []).append(how)
    for name, hows in by_view.items():
        print(f"  {name}: {', '.join(hows)}")


# --- negatives: what merely looks like a view stays what it was ----------------------------------------------

NOT_VIEWS = (
    "1.2.3",  # a bare version number, no command, no field under it
    "go version go1.21.5 linux/amd64",  # `go version`, not the CLI's field
    "Machine:\n  Model: ThinkPad X1",  # no whois Name/ID
    "ID    Name    Account",  # not the profile table's header
    "Name    Origin    Value    Error\nfoo     bar       baz",  # no dashed rule under the header
    "Suggested fix: restart the service",
    '{\n  "Regions": ["eu", "us"]\n}',  # no DERP map
    '{\n  "OS": "linux"\n}',  # one member is no hostinfo
)


@pytest.mark.parametrize("text", NOT_VIEWS)
def test_what_only_looks_like_a_view_is_not_read_as_one(text: str) -> None:
    kinds = {block.kind.value for block in split_input(text + "\n").blocks}
    views = {"version", "debug-hostinfo", "whois", "switch-list", "exit-node-suggest", "derp-map", "syspolicy-list"}
    assert not kinds & views, kinds


def test_the_local_api_token_is_never_repeated_beside_other_output() -> None:
    text = (
        "$ tailscale debug local-creds\ncurl -u:6f1c2e9a8b7d4c3e2f1a0b9c http://localhost:41112/localapi/v0/status\n"
        "$ tailscale status\n100.101.102.103  laptop  alice@  windows  -\n"
    )
    document = run_json(text)
    assert "6f1c2e9a8b7d4c3e2f1a0b9c" not in str(document)
    assert not document["warnings"], document["warnings"]


def test_a_view_amid_other_output_keeps_both_readings() -> None:
    text = (
        "$ tailscale status\n100.101.102.103  laptop  alice@  linux  -\n100.88.1.2  router  alice@  linux  offline\n\n"
        f"$ tailscale version\n1.76.1\n  tailscale commit: {_COMMIT}\n  go version: go1.23.1\n\n"
        "$ tailscale exit-node suggest\nNo exit node suggestion is available.\n"
    )
    document = run_json(text)
    assert [b["kind"] for b in document["blocks"]] == ["status", "version", "exit-node-suggest"]
    assert {p["name"] for p in document["peers"]} >= {"laptop", "router"}


@given(
    regions=st.lists(
        st.tuples(
            st.integers(min_value=1, max_value=999),
            st.sampled_from(["derp{}f.tailscale.com", "derp{}.example.org", "10.0.0.{}", ""]),
        ),
        min_size=0,
        max_size=5,
        unique_by=lambda region: region[0],
    ),
    omit=st.booleans(),
)
@settings(max_examples=40, deadline=None)
def test_a_derp_map_names_every_region_and_whether_it_is_custom(regions: list[tuple[int, str]], omit: bool) -> None:
    document: dict[str, Any] = {"Regions": {}}
    for region_id, host in regions:
        nodes = [{"Name": f"{region_id}a", "RegionID": region_id, "HostName": host.format(region_id)}] if host else []
        document["Regions"][str(region_id)] = {
            "RegionID": region_id,
            "RegionCode": f"r{region_id}",
            "RegionName": f"Region {region_id}",
            "Nodes": nodes,
        }
    if omit:
        document["omitDefaultRegions"] = True
    text = "$ tailscale debug derp-map\n" + json.dumps(document, indent="\t") + "\n"
    (view,) = run_json(text)["views"]
    public = {r.region_id for r in PUBLIC_REGIONS}
    # custom: a node not under tailscale.com (an address as host name too); without a host name, an ID none of
    # Tailscale's public regions has
    expected = [
        (region_id, not host.endswith(".tailscale.com") if host else region_id not in public)
        for region_id, host in sorted(regions)
    ]
    assert [(r["id"], r["custom"]) for r in view["regions"]] == expected
    assert view["omit_default_regions"] is omit
