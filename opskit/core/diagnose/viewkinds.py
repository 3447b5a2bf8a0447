"""The read-only CLI views with their own block kind and JSON facts (``views[]``): ``tailscale version``,
``debug hostinfo``, ``whois``/``whoami``, ``switch --list``, ``exit-node suggest``, ``debug derp-map``,
``syspolicy list``, ``file cp``'s progress line.

One module per view parses it (versionview.py, hostinfo.py, whois.py, switchlist.py, exitnodesuggest.py,
derpmap.py, syspolicy.py); this one only says which kind a JSON document is and turns a block into its report.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from opskit.core.diagnose.derpmap import DerpMapReport, is_derp_map, parse_derp_map
from opskit.core.diagnose.exitnodesuggest import ExitNodeSuggestReport, parse_exit_node_suggest
from opskit.core.diagnose.filecp import FileCpProgressReport, parse_file_cp_progress
from opskit.core.diagnose.hostinfo import HostinfoReport, is_hostinfo_json, parse_hostinfo
from opskit.core.diagnose.metricsview import MetricsReport, parse_metrics
from opskit.core.diagnose.models import BlockKind
from opskit.core.diagnose.peerendpoints import PeerEndpointChangesReport, parse_peer_endpoint_changes
from opskit.core.diagnose.switchlist import (
    SwitchListReport,
    is_switch_list_json,
    parse_switch_list,
    parse_switch_list_json,
)
from opskit.core.diagnose.syspolicy import (
    SyspolicyListReport,
    is_syspolicy_json,
    parse_syspolicy_json,
    parse_syspolicy_list,
)
from opskit.core.diagnose.text import SourceLine
from opskit.core.diagnose.versionview import VersionReport, is_version_json, parse_version, parse_version_json
from opskit.core.diagnose.watchipn import WatchIpnReport, parse_watch_ipn
from opskit.core.diagnose.whois import WhoisReport, is_whois_json, parse_whois, parse_whois_json

ViewReport = (
    VersionReport
    | HostinfoReport
    | WhoisReport
    | SwitchListReport
    | ExitNodeSuggestReport
    | DerpMapReport
    | SyspolicyListReport
    | FileCpProgressReport
    | WatchIpnReport
    | PeerEndpointChangesReport
    | MetricsReport
)

VIEW_KINDS = frozenset(
    {
        BlockKind.VERSION,
        BlockKind.DEBUG_HOSTINFO,
        BlockKind.WHOIS,
        BlockKind.SWITCH_LIST,
        BlockKind.EXIT_NODE_SUGGEST,
        BlockKind.DERP_MAP,
        BlockKind.SYSPOLICY_LIST,
        BlockKind.FILE_CP_PROGRESS,
        BlockKind.DEBUG_WATCH_IPN,
        BlockKind.PEER_ENDPOINT_CHANGES,
        BlockKind.METRICS,
    }
)


def json_view_kind(document: object) -> BlockKind | None:
    """The view a whole JSON document is (``version --json``, ``debug hostinfo``, ``whois --json``,
    ``switch --list --json``, ``debug derp-map``, ``syspolicy list --json``), or None."""
    if isinstance(document, list):
        return BlockKind.SWITCH_LIST if is_switch_list_json(document) else None
    if not isinstance(document, dict):
        return None
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


def parse_view(
    kind: BlockKind, lines: Sequence[SourceLine], document: object, command: str | None = None
) -> ViewReport | None:
    """The report of a view block (``document``: its JSON, when it is the JSON form; ``command``: the one typed)."""
    doc: Any = document
    if kind is BlockKind.VERSION:
        return parse_version_json(lines, doc) if isinstance(doc, dict) else parse_version(lines, command)
    if kind is BlockKind.DEBUG_HOSTINFO and isinstance(doc, dict):
        return parse_hostinfo(lines, doc)
    if kind is BlockKind.WHOIS:
        return parse_whois_json(lines, doc) if isinstance(doc, dict) else parse_whois(lines)
    if kind is BlockKind.SWITCH_LIST:
        return parse_switch_list_json(lines, doc) if isinstance(doc, list) else parse_switch_list(lines)
    if kind is BlockKind.EXIT_NODE_SUGGEST:
        return parse_exit_node_suggest(lines)
    if kind is BlockKind.FILE_CP_PROGRESS:
        return parse_file_cp_progress(lines)
    if kind is BlockKind.SYSPOLICY_LIST:
        return parse_syspolicy_json(lines, doc) if isinstance(doc, dict) else parse_syspolicy_list(lines)
    if kind is BlockKind.DERP_MAP and isinstance(doc, dict):
        return parse_derp_map(lines, doc)
    if kind is BlockKind.DEBUG_WATCH_IPN:
        return parse_watch_ipn(lines)
    if kind is BlockKind.PEER_ENDPOINT_CHANGES:
        return parse_peer_endpoint_changes(lines)
    if kind is BlockKind.METRICS:
        return parse_metrics(lines)
    return None
