"""The one registry of diagnose's views: read-only ``tailscale …`` outputs parsed into a report.

A view is one kind of thing: a module named for what it reads parses the block into a frozen report type
(:class:`ViewReport`: its ``layout``, its ``lines``, its ``facts()`` for JSON ``views[]`` under ``kind`` =
``rule_target``), its rules take that report type, and one row of :data:`VIEWS` says which block kind it
reads, how, and which rules read it. The engine knows views only through this table: one list of reports,
one dispatch, one loop (engine.py).

The views: ``tailscale version`` (versionview.py), ``debug hostinfo`` (hostinfo.py), ``whois``/``whoami``
(whois.py), ``switch --list`` (switchlist.py), ``exit-node suggest`` (exitnodesuggest.py), ``debug derp-map``
(derpmap.py), ``syspolicy list`` (syspolicy.py), ``file cp``'s progress line (filecp.py), ``exit-node list``
(exitnodes.py), ``debug peer-relay-sessions`` (peerrelay.py), ``debug netmap`` (netmap.py), ``serve status`` /
``funnel status`` (servestatus.py), ``debug ts2021`` (ts2021.py), ``debug prefs`` (debugprefs.py), ``lock
status`` (lockstatus.py), ``dns status`` (dnsstatus.py), ``debug watch-ipn`` (watchipn.py), ``debug
peer-endpoint-changes`` (peerendpoints.py), ``metrics print`` / ``debug metrics`` (metricsview.py), ``service
list`` / ``serve get-config`` (services.py), the CLI's help text (usagetext.py), ``tailscale web``'s start-up
lines (webstart.py), the CLI's routine answers (clianswerview.py: ``cert``, ``switch``, ``update``, …) and the
Linux install script's progress (installscript.py), k3s/rke2 running `tailscale up` for --vpn-auth (k3svpn.py). Lock
status and dns status were read before ``views[]`` existed: JSON keeps their own arrays (``tailnet_locks``,
``dns_statuses``) beside their ``views[]`` entries.

Not views (docs/architecture.md says why): netcheck, its 2020 log layout (stunlog.py), ``debug portmap``
(portmapdebug.py) and ``debug derp`` (derpcheck.py) are measurements that build a NAT profile or probe a
relay; status and ping are the path model.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, Protocol

from opskit.core.diagnose.clianswerview import parse_cli_answer
from opskit.core.diagnose.debugprefs import parse_debug_prefs
from opskit.core.diagnose.derpmap import is_derp_map, parse_derp_map
from opskit.core.diagnose.dnsstatus import parse_dns_status
from opskit.core.diagnose.exitnodes import parse_exit_node_list
from opskit.core.diagnose.exitnodesuggest import parse_exit_node_suggest
from opskit.core.diagnose.filecp import parse_file_cp_progress
from opskit.core.diagnose.hostinfo import is_hostinfo_json, parse_hostinfo
from opskit.core.diagnose.installscript import parse_install_script
from opskit.core.diagnose.k3svpn import parse_k3s_vpn
from opskit.core.diagnose.lockstatus import parse_lock_status, parse_lock_status_json
from opskit.core.diagnose.metricsview import parse_metrics
from opskit.core.diagnose.models import BlockKind
from opskit.core.diagnose.netmap import parse_debug_netmap
from opskit.core.diagnose.peerendpoints import parse_peer_endpoint_changes
from opskit.core.diagnose.peerrelay import parse_peer_relay_sessions
from opskit.core.diagnose.servestatus import parse_serve_config, parse_serve_status
from opskit.core.diagnose.services import (
    is_service_list_json,
    is_services_config,
    parse_service_list,
    parse_service_list_json,
    parse_services_config,
)
from opskit.core.diagnose.switchlist import is_switch_list_json, parse_switch_list, parse_switch_list_json
from opskit.core.diagnose.syspolicy import is_syspolicy_json, parse_syspolicy_json, parse_syspolicy_list
from opskit.core.diagnose.text import SourceLine
from opskit.core.diagnose.ts2021 import parse_ts2021
from opskit.core.diagnose.usagetext import parse_usage_text
from opskit.core.diagnose.versionview import is_version_json, parse_version, parse_version_json
from opskit.core.diagnose.watchipn import parse_watch_ipn
from opskit.core.diagnose.webstart import parse_web_start
from opskit.core.diagnose.whois import is_whois_json, parse_whois, parse_whois_json


class ViewReport(Protocol):
    """What every view's report is: its ``kind`` in JSON ``views[]``, the layout the block list shows, the lines
    it was read from, and the facts an operator needs from it (JSON members beside label, kind and line)."""

    rule_target: ClassVar[str]

    @property
    def layout(self) -> str: ...

    @property
    def lines(self) -> tuple[SourceLine, ...]: ...

    def facts(self) -> dict[str, Any]: ...


ViewParser = Callable[[Sequence[SourceLine], object, str | None], ViewReport | None]
"""(the block's lines, its JSON document when it is a JSON form, the command typed) → its report, or None."""


@dataclass(frozen=True)
class View:
    """One row of the registry: the block kind a view reads, its parser, and the rule target whose rules read
    its report (``cli-view`` for every view but the two read before the registry, which keep their own)."""

    block: BlockKind
    parse: ViewParser
    rules: str = "cli-view"


def _version(lines: Sequence[SourceLine], doc: object, command: str | None) -> ViewReport:
    return parse_version_json(lines, doc) if isinstance(doc, dict) else parse_version(lines, command)


def _hostinfo(lines: Sequence[SourceLine], doc: object, command: str | None) -> ViewReport | None:
    return parse_hostinfo(lines, doc) if isinstance(doc, dict) else None


def _whois(lines: Sequence[SourceLine], doc: object, command: str | None) -> ViewReport:
    return parse_whois_json(lines, doc) if isinstance(doc, dict) else parse_whois(lines)


def _switch_list(lines: Sequence[SourceLine], doc: object, command: str | None) -> ViewReport:
    return parse_switch_list_json(lines, doc) if isinstance(doc, list) else parse_switch_list(lines)


def _syspolicy(lines: Sequence[SourceLine], doc: object, command: str | None) -> ViewReport:
    return parse_syspolicy_json(lines, doc) if isinstance(doc, dict) else parse_syspolicy_list(lines)


def _derp_map(lines: Sequence[SourceLine], doc: object, command: str | None) -> ViewReport | None:
    return parse_derp_map(lines, doc) if isinstance(doc, dict) else None


def _netmap(lines: Sequence[SourceLine], doc: object, command: str | None) -> ViewReport | None:
    # the splitter gives (the jq piece shown, its JSON): the whole netmap or one field cut out
    return parse_debug_netmap(lines, doc[0], doc[1]) if isinstance(doc, tuple) else None


def _serve(lines: Sequence[SourceLine], doc: object, command: str | None) -> ViewReport:
    return parse_serve_config(lines, doc) if isinstance(doc, dict) else parse_serve_status(lines)


def _prefs(lines: Sequence[SourceLine], doc: object, command: str | None) -> ViewReport | None:
    return parse_debug_prefs(lines, doc) if isinstance(doc, dict) else None


def _lock(lines: Sequence[SourceLine], doc: object, command: str | None) -> ViewReport:
    return parse_lock_status_json(lines, doc) if isinstance(doc, dict) else parse_lock_status(lines)


def _web_start(lines: Sequence[SourceLine], doc: object, command: str | None) -> ViewReport:
    return parse_web_start(lines, command)


def _services(lines: Sequence[SourceLine], doc: object, command: str | None) -> ViewReport:
    if isinstance(doc, list):
        return parse_service_list_json(lines, doc)
    return parse_services_config(lines, doc, command) if isinstance(doc, dict) else parse_service_list(lines)


def _text_only(parse: Callable[[Sequence[SourceLine]], ViewReport]) -> ViewParser:
    return lambda lines, doc, command: parse(lines)


VIEWS: tuple[View, ...] = (
    View(BlockKind.VERSION, _version),
    View(BlockKind.DEBUG_HOSTINFO, _hostinfo),
    View(BlockKind.WHOIS, _whois),
    View(BlockKind.SWITCH_LIST, _switch_list),
    View(BlockKind.EXIT_NODE_SUGGEST, _text_only(parse_exit_node_suggest)),
    View(BlockKind.DERP_MAP, _derp_map),
    View(BlockKind.SYSPOLICY_LIST, _syspolicy),
    View(BlockKind.FILE_CP_PROGRESS, _text_only(parse_file_cp_progress)),
    View(BlockKind.EXIT_NODE_LIST, _text_only(parse_exit_node_list)),
    View(BlockKind.PEER_RELAY_SESSIONS, _text_only(parse_peer_relay_sessions)),
    View(BlockKind.DEBUG_NETMAP, _netmap),
    View(BlockKind.SERVE_STATUS, _serve),
    View(BlockKind.DEBUG_TS2021, _text_only(parse_ts2021)),
    View(BlockKind.DEBUG_PREFS, _prefs),
    View(BlockKind.TAILNET_LOCK, _lock, rules="tailnet-lock"),
    View(BlockKind.DNS_STATUS, _text_only(parse_dns_status), rules="dns-status"),
    View(BlockKind.DEBUG_WATCH_IPN, _text_only(parse_watch_ipn)),
    View(BlockKind.PEER_ENDPOINT_CHANGES, _text_only(parse_peer_endpoint_changes)),
    View(BlockKind.METRICS, _text_only(parse_metrics)),
    View(BlockKind.SERVICES, _services),
    View(BlockKind.CLI_USAGE, _text_only(parse_usage_text)),
    View(BlockKind.WEB_START, _web_start),
    View(BlockKind.CLI_ANSWER, lambda lines, doc, command: parse_cli_answer(lines, command)),
    View(BlockKind.INSTALL_SCRIPT, _text_only(parse_install_script)),
    View(BlockKind.K3S_VPN, _text_only(parse_k3s_vpn)),
)

VIEW_BY_BLOCK: Mapping[BlockKind, View] = {view.block: view for view in VIEWS}


def json_view_kind(document: object) -> BlockKind | None:
    """The view a whole JSON document is (``version --json``, ``debug hostinfo``, ``whois --json``,
    ``switch --list --json``, ``debug derp-map``, ``syspolicy list --json``, ``service list --json``, ``serve
    get-config``), or None."""
    if isinstance(document, list):
        if is_service_list_json(document):
            return BlockKind.SERVICES
        return BlockKind.SWITCH_LIST if is_switch_list_json(document) else None
    if not isinstance(document, dict):
        return None
    if is_services_config(document):
        return BlockKind.SERVICES
    if is_version_json(document):
        return BlockKind.VERSION
    if is_derp_map(document):
        return BlockKind.DERP_MAP
    if is_syspolicy_json(document):
        return BlockKind.SYSPOLICY_LIST
    if is_whois_json(document):
        return BlockKind.WHOIS
    if is_hostinfo_json(document):
        return BlockKind.DEBUG_HOSTINFO
    return None
