"""`tailscale: unknown subcommand: NAME` when NAME is a real subcommand this CLI lacks: a build, platform or version
without it, not a typo.

cli.go answers any word it has no command for with "tailscale: unknown subcommand: %s" (and "tailscale configure:
unknown subcommand: %s" under `configure`). When the word is a subcommand some Tailscale CLI has, the paste is not a
typo: the CLI that ran was built without it (a ``ts_omit_*`` feature tag; the macOS GUI app's ``ts_mac_gui`` build,
which leaves ``drive`` out), runs on a platform that does not register it, or predates it. Read from
cmd/tailscale/cli across the tags (v1.0.0 … de9ec7ee2, 2026-08-22): each command's file, its build tags, and the
version whose root command list first holds it. Names every CLI since v1.2 has (up, down, status, netcheck, ping,
version, debug) are left to the usage reading: no build lacks them, so the word is something else.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from opskit.core.diagnose.cli_catalog import Refusal
from opskit.core.diagnose.lazyre import lazy_compile
from opskit.core.diagnose.models import CliErrorKind


@dataclass(frozen=True)
class _Known:
    """A subcommand some CLI has: the release that added it, and the builds/platforms that leave it out."""

    since: str  # "1.64" (and later), or "1.78-1.84" for one that was removed
    lacking: str = ""  # which builds or platforms have no such subcommand even when new enough ("" when none)
    fix: str = ""  # what to do instead on such a build ("" for the generic: update, or use a full build)
    note: str = ""  # how it came (hidden at first, behind a knob)


_OMIT = "a minimal build (`ts_omit_{tag}`: OpenWrt's or a router/NAS package, `build_dist.sh --extra-small`)"

# Top-level subcommands (cmd/tailscale/cli/cli.go's root list and the files that register them).
_TOP_LEVEL: dict[str, _Known] = {
    "drive": _Known(
        "1.64",
        "the macOS GUI app's CLI (Tailscale.app's own binary, or the `tailscale` it links, built with `ts_mac_gui`: "
        "1.90-1.96 have no `drive`, 1.98+ answer that Taildrive is set in the app) and " + _OMIT.format(tag="drive"),
        "On the macOS app, share folders from the Tailscale menu bar icon > Settings > Taildrive (the app, not its "
        "CLI, manages Taildrive); elsewhere use a 1.64+ CLI with Taildrive (`tailscale drive share NAME PATH`).",
    ),
    "file": _Known("1.8", _OMIT.format(tag="taildrop")),
    "serve": _Known("1.34", _OMIT.format(tag="serve"), note="hidden until 1.40"),
    "funnel": _Known("1.38", _OMIT.format(tag="serve"), note="hidden until 1.40"),
    "cert": _Known("1.14", _OMIT.format(tag="acme") + " and the WebAssembly build"),
    "lock": _Known("1.30", _OMIT.format(tag="tailnetlock")),
    "update": _Known("1.36", _OMIT.format(tag="clientupdate"), note="hidden until 1.50"),
    "web": _Known("1.8", _OMIT.format(tag="webclient")),
    "syspolicy": _Known("1.78", _OMIT.format(tag="syspolicy")),
    "routecheck": _Known("1.100", _OMIT.format(tag="routecheck")),
    "id-token": _Known("1.24", "CLIs before 1.66 unless TAILSCALE_USE_WIP_CODE=1 is set"),
    "configure-host": _Known(
        "1.22",
        "every system but Synology DSM (it configures a Synology; 1.38+ name it `tailscale configure synology`)",
        "Run it on the Synology (as `tailscale configure synology` on 1.38+); other systems need no such step.",
    ),
    "advertise": _Known(
        "1.78-1.84",
        "CLIs from 1.86 on (it moved to `tailscale serve advertise`)",
        "Use `tailscale serve advertise svc:NAME` (1.86+) to advertise this node as a Service host.",
    ),
    "logout": _Known("1.8"),
    "ip": _Known("1.8"),
    "bugreport": _Known("1.8"),
    "nc": _Known("1.24"),
    "ssh": _Known("1.24"),
    "licenses": _Known("1.30"),
    "set": _Known("1.34"),
    "login": _Known("1.34"),
    "switch": _Known("1.34"),
    "configure": _Known("1.38"),
    "exit-node": _Known("1.48"),
    "whois": _Known("1.56"),
    "completion": _Known("1.66"),
    "dns": _Known("1.74"),
    "metrics": _Known("1.78"),
    "systray": _Known("1.88"),
    "appc-routes": _Known("1.90"),
    "wait": _Known("1.96"),
    "get": _Known("1.100"),
    "whoami": _Known("1.100"),
    "service": _Known("1.102"),
}

# `tailscale configure` subcommands registered per platform or build (configure.go's list and each file's tags).
_CONFIGURE: dict[str, _Known] = {
    "synology": _Known("1.38", "every system but Synology DSM (it configures a Synology)"),
    "synology-cert": _Known("1.64", "every system but Synology DSM and " + _OMIT.format(tag="acme")),
    "sysext": _Known("1.80", "every system but macOS (it manages the standalone app's system extension)"),
    "mac-vpn": _Known("1.80", "every system but macOS (it manages the standalone app's VPN configuration)"),
    "jetkvm": _Known("1.86", "every system but 32-bit ARM Linux (a JetKVM device)"),
    "systray": _Known("1.88", "every system but Linux and " + _OMIT.format(tag="systray")),
    "kubeconfig": _Known("1.38", _OMIT.format(tag="kube")),
    "pve-appliance": _Known("1.102", _OMIT.format(tag="flashappliance")),
    "flash-appliance": _Known("1.102", _OMIT.format(tag="flashappliance")),
}


# Every top-level word some `tailscale` CLI takes: the table's, and those every CLI since v1.2 has.
_EVERY_CLI = ("up", "down", "status", "netcheck", "ping", "version", "debug")
CLI_SUBCOMMANDS: frozenset[str] = frozenset(_TOP_LEVEL) | frozenset(_EVERY_CLI)


def _names(table: dict[str, _Known]) -> str:
    return "|".join(sorted(map(re.escape, table), key=len, reverse=True))


_GENERIC_FIX = (
    "Check `tailscale version`: update to {since}+ where the CLI is older; where this build or platform leaves it "
    "out, run the command with an official full build (pkgs.tailscale.com, the distribution's package or the "
    "standalone app) or on the system it is for."
)


@dataclass(frozen=True)
class _KnownSubcommandRefusal(Refusal):
    """The one catalog entry whose cause is looked up by the subcommand named (the table above), not formatted."""

    def explain(self, match: re.Match[str]) -> tuple[str, str]:
        command, sub = match.group("command"), match.group("sub").lower()
        known = (_CONFIGURE if " " in command.strip() else _TOP_LEVEL)[sub]
        where = f"builds that leave it out: {known.lacking}" if known.lacking else "no build since leaves it out"
        versions = known.since if "-" in known.since else f"{known.since}+"
        versions += f", {known.note}" if known.note else ""
        cause = (
            f"`{command} {sub}` is a real subcommand (Tailscale {versions}; {where}), but the CLI that ran has "
            f"none: it is older than that, or one of those builds or platforms. Not a typo; nothing ran and "
            "tailscaled was not asked."
        )
        return cause, known.fix or _GENERIC_FIX.format(since=known.since)


REFUSALS: tuple[Refusal, ...] = (
    _KnownSubcommandRefusal(
        CliErrorKind.DAEMON_SUBCOMMAND_UNAVAILABLE,
        "unknown subcommand: ",
        lazy_compile(
            r"(?P<command>tailscale(?P<configure> configure)?): unknown subcommand: (?P<sub>"
            rf"(?(configure)(?:{_names(_CONFIGURE)})|(?:{_names(_TOP_LEVEL)})))(?![\w.-])",
            re.IGNORECASE,
        ),
        "`{command} {sub}`: a subcommand of other Tailscale builds or versions, not of the CLI that ran",
        "Check `tailscale version`: update where the CLI is older than the subcommand; where this build or platform "
        "leaves it out, use an official full build or run it on the system it is for.",
        "cmd/tailscale/cli/cli.go (and each subcommand's file and build tags)",
        "tailscale: unknown subcommand: drive",
    ),
)
