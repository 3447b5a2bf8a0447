"""Render a Diagnosis: rich tables and panels for people, one JSON document for machines."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from opskit.core.diagnose.derpcheck import DerpCheckReport
from opskit.core.diagnose.dnsstatus import DnsStatusReport
from opskit.core.diagnose.engine import Diagnosis, InputReports
from opskit.core.diagnose.lockstatus import LockStatusReport
from opskit.core.diagnose.models import (
    DaemonLogReport,
    LogPeer,
    NetmapPeer,
    PathKind,
    PingReport,
    Pong,
    StatusPeer,
)
from opskit.core.diagnose.paths import PairPrediction, Prediction
from opskit.core.diagnose.profile import NatProfile, endpoint_host
from opskit.core.diagnose.regions import region
from opskit.core.diagnose.status import is_redacted_ip
from opskit.core.diagnose.text import hide_keys
from opskit.core.findings import Finding, Severity
from opskit.output.console import OutputFormat
from opskit.output.findings import finding_json
from opskit.output.safe import safe_cell, safe_plain, safe_text

# Version of the `diagnose` payload (the envelope's "opskit" number is shared by every command).
# 2: peers[], pings[], statuses[], windows[], daemon_logs[], nodes[].derp_home_region.
#    (additive since: daemon_logs[].state/home_derp/userspace/issues, peers[].from = "tailscaled-log",
#    derp_checks[], daemon_logs[].health)
DIAGNOSE_SCHEMA_VERSION = 2

if TYPE_CHECKING:
    from rich.console import Console

SEVERITY_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}
SHORT_PREDICTION = {
    Prediction.DIRECT_IPV6: "direct (IPv6)",
    Prediction.DIRECT_IPV4: "direct (IPv4)",
    Prediction.DIRECT_PORTMAP: "direct via {h}'s port mapping, once {h} has sent",
    Prediction.UNCERTAIN: "uncertain",
    Prediction.DERP_ONLY: "DERP only",
}
PROBE_PORT_NOTE = (
    "IPv4/IPv6 ports are not shown: the port netcheck prints belongs to the CLI's own probe socket, not to tailscaled."
)


def _tri(value: bool | None) -> str:
    return "unknown" if value is None else ("yes" if value else "no")


def short_prediction(pair: PairPrediction) -> str:
    return SHORT_PREDICTION[pair.prediction].format(h=pair.hard_side or "?")


def _home(profile: NatProfile) -> str:
    home = profile.report.derp_home or profile.report.derp_home_state.value
    best = profile.home_latency
    return f"{home} ({best.latency_ms:.1f} ms)" if best and best.latency_ms is not None else home


# ------------------------------------------------------------------------------------------------ JSON


def _known_regions(profile: NatProfile) -> dict[str, tuple[str, str]]:
    known: dict[str, tuple[str, str]] = {}
    for latency in profile.report.latencies:
        if latency.code and latency.name:
            known[latency.code.lower()] = known[latency.name.lower()] = (latency.code, latency.name)
    return known


def profile_json(profile: NatProfile) -> dict[str, Any]:
    report = profile.report
    ipv6_state = report.ipv6_state.value
    if "v4mapped-bug" in profile.artefacts:
        ipv6_state = "unknown"  # v1.30 printed the IPv4 STUN answer as IPv6: IPv6 was not measured
    return {
        "label": profile.label,
        "source": profile.source,
        "layout": report.layout,
        "time": report.time,
        "udp": report.udp,
        "ipv4": {
            "works": report.ipv4,
            "address": endpoint_host(report.ipv4_endpoint) if report.ipv4_endpoint else None,
            "scope": profile.ipv4_scope.value,
            "probe_endpoint": report.ipv4_endpoint,
        },
        "ipv6": {
            "state": ipv6_state,
            "address": endpoint_host(report.ipv6_endpoint) if report.ipv6_endpoint else None,
            "global": profile.ipv6_global,
        },
        "mapping": profile.mapping.value,
        "mapping_varies_by_dest_ip": report.mapping_varies,
        "hairpinning": report.hairpinning,
        "port_mapping": {
            "state": report.portmap_state.value,
            "protocols": list(report.portmap_protocols),
            "usable": profile.portmap_usable,
        },
        "captive_portal": report.captive_portal,
        "derp_home": report.derp_home,
        "derp_home_region": region(report.derp_home, _known_regions(profile)) if profile.home_derp else None,
        "derp_home_state": report.derp_home_state.value,
        "derp_latencies": [
            {"code": d.code, "name": d.name, "region_id": d.region_id, "latency_ms": d.latency_ms}
            for d in report.latencies
        ],
        # netcheck stopped probing after the nearest regions answered: blank latencies are unmeasured, not silent
        "stopped_early": profile.stopped_early,
        "artefacts": list(profile.artefacts),
    }


def without_secrets(value: Any) -> Any:
    """``value`` (a JSON document or a part of it) with every Tailscale key and disablement secret hidden, in every
    string. The readers quote what they read (a start line's command, a shell's job report, an error's text) and a
    paste may carry ``TS_AUTHKEY=tskey-auth-…`` anywhere: the output boundary is the one place that sees it all."""
    if isinstance(value, str):
        return hide_keys(value)
    if isinstance(value, dict):
        return {key: without_secrets(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [without_secrets(item) for item in value]
    return value


def to_json(diagnosis: Diagnosis, exit_code: int) -> dict[str, Any]:
    """The payload of ``opskit diagnose --format json`` (schema in docs/diagnose.md), never holding a secret."""
    document: dict[str, Any] = without_secrets(_document(diagnosis, exit_code))
    return document


def _document(diagnosis: Diagnosis, exit_code: int) -> dict[str, Any]:
    counts = {s.label: sum(1 for f in diagnosis.findings if f.severity is s) for s in Severity}
    return {
        "schema_version": DIAGNOSE_SCHEMA_VERSION,
        "summary": {**counts, "exit_code": exit_code},
        "blocks": [
            {
                "label": b.label,
                "source": b.source,
                "kind": b.kind,
                "first_line": b.first_line,
                "last_line": b.last_line,
                "layout": b.layout,
            }
            for b in diagnosis.blocks
        ],
        "nodes": [profile_json(p) for p in diagnosis.profiles],
        "pairs": [
            {
                "a": p.a,
                "b": p.b,
                "prediction": p.prediction.value,
                "summary": short_prediction(p),
                "reason": p.reason,
                "change": p.change or None,
                "hard_side": p.hard_side,
                "observed": [
                    {
                        "observer": o.observer,
                        "path": o.path.value,
                        "detail": o.detail,
                        "source": o.source,
                        "line": o.line.number,
                    }
                    for o in diagnosis.observations
                    if {o.observer, o.peer} == {p.a, p.b}
                ],
            }
            for p in diagnosis.predictions
        ],
        "observations": [
            {
                "observer": o.observer,
                "peer": o.peer,
                "path": o.path.value,
                "detail": o.detail,
                "source": o.source,
                "line": o.line.number,
            }
            for o in diagnosis.observations
        ],
        "peers": peers_json(diagnosis),
        "pings": [ping_json(i.label, p) for i in diagnosis.inputs for p in i.pings],
        "statuses": [
            {
                "label": i.label,
                "layout": s.layout,
                "state": s.state_message or s.backend_state,
                "health": [h.text for h in s.health],
                "peers": len(s.peers),
            }
            for i in diagnosis.inputs
            for s in i.statuses
        ],
        "windows": [
            {
                "label": i.label,
                "kind": e.kind.value,
                "owner": e.owner,
                "caller": e.caller,
                "mode": e.mode,
                "pid": e.pid,
                "line": e.line.number,
            }
            for i in diagnosis.inputs
            for w in i.windows
            for e in w.errors
        ],
        "daemon_logs": [daemon_log_json(i.label, log) for i in diagnosis.inputs for log in i.daemon_logs],
        "derp_checks": [derp_check_json(i.label, check) for i in diagnosis.inputs for check in i.derp_checks],
        "tailnet_locks": [lock_status_json(i.label, lock) for i in diagnosis.inputs for lock in i.lock_statuses],
        "dns_statuses": [dns_status_json(i.label, dns) for i in diagnosis.inputs for dns in i.dns_statuses],
        "views": [
            {"label": i.label, "kind": view.rule_target, "line": view.lines[0].number, **view.facts()}
            for i in diagnosis.inputs
            for view in i.views
        ],
        "findings": [finding_json(f) for f in diagnosis.findings],
        "warnings": list(diagnosis.warnings),
        "live": _live_json(diagnosis),
    }


def derp_check_json(label: str, check: DerpCheckReport) -> dict[str, Any]:
    """One pasted `tailscale debug derp <region>` report: its region and every message, classified."""
    return {
        "label": label,
        "region": {"id": check.region_id, "code": check.region_code},
        "whole": check.whole,
        "messages": [
            {
                "level": m.level or None,
                "kind": str(m.kind),
                "node": m.node,
                "family": m.family,
                "error": m.error or None,
                "text": m.text,
                "line": m.line.number,
            }
            for m in check.messages
        ],
    }


def dns_status_json(label: str, dns: DnsStatusReport) -> dict[str, Any]:
    """One pasted `tailscale dns status`: Tailscale DNS in use, MagicDNS, resolvers, split DNS, the OS's DNS (its
    ``views[]`` facts, kept under ``dns_statuses`` for the documents written before ``views[]`` had it)."""
    return {"label": label, **dns.facts(), "line": dns.lines[0].number}


def lock_status_json(label: str, lock: LockStatusReport) -> dict[str, Any]:
    """One pasted `tailscale lock status`: the lock's state, this node's signature, trusted keys, locked-out nodes
    (its ``views[]`` facts, kept under ``tailnet_locks`` for the documents written before ``views[]`` had it)."""
    return {"label": label, **lock.facts(), "line": lock.lines[0].number}


def daemon_log_json(label: str, log: DaemonLogReport) -> dict[str, Any]:
    """One pasted tailscaled log: who started it, its state, home DERP and the issues still holding."""
    home = log.home_derp
    # A public region is named from its ID; a custom one (900+, Headscale) keeps the code it logged.
    shown = None if home is None else region(home.region_id if not home.code else home.code)
    if home is not None and home.code and shown is not None and shown.get("name") is None:
        by_id = region(home.region_id)
        shown = by_id if by_id is not None and by_id.get("code") == home.code else shown
    return {
        "label": label,
        "version": log.version,
        "os": log.os,
        "os_why": log.os_why or None,
        "hand_started": log.hand_started,
        "why": log.why or None,
        "state": log.state,
        "home_derp": None
        if home is None
        else {
            "id": home.region_id,
            "code": (shown or {}).get("code") or home.code,
            "name": (shown or {}).get("name"),
            "line": home.line.number,
        },
        "userspace": log.userspace,
        "health": list(log.health),
        "issues": [
            {
                "kind": issue.kind,
                "severity": issue.severity.name.lower(),
                "message": issue.message,
                "about": issue.key,
                "count": issue.count,
                "line": issue.line.number,
            }
            for issue in log.issues
        ],
        "derp_failures": [
            {
                "region_id": issue.key.split(" ")[0],
                "code": issue.key.partition(" (")[2].rstrip(")") or None,
                "error": issue.message,
                "line": issue.line.number,
            }
            for issue in log.issues_of("derp-unreachable")
        ],
        "line": (log.start_line or log.lines[0]).number,
    }


def _log_peer_path(peer: LogPeer) -> str:
    """A peer relay's endpoint carries its virtual network ID (magicsock epAddr "203.0.113.9:7777:vni:12", v1.8x+):
    the path goes through a peer relay, not straight to the peer."""
    if peer.endpoint:
        return "peer-relay" if ":vni:" in peer.endpoint else "direct"
    return "derp" if peer.derp_region else "unknown"


def _log_peer_json(label: str, peer: LogPeer) -> dict[str, Any]:
    return {
        "label": label,
        "from": "tailscaled-log",
        "name": peer.key,
        "ip": None,
        "os": None,
        "self": False,
        "path": _log_peer_path(peer),
        "endpoint": peer.endpoint,
        "derp": region(peer.derp_region) if peer.derp_region not in (None, "?") and not peer.endpoint else None,
        "tx": None,
        "rx": None,
        "exit_node": None,
        "offline": False,
        "last_seen": None,
        "partial": False,
        "line": peer.line.number,
        "evidence": peer.line.text,
    }


_PATH_NAMES = {
    PathKind.DIRECT: "direct",
    PathKind.DERP: "derp",
    PathKind.PEER_RELAY: "peer-relay",
    PathKind.UNKNOWN: "unknown",
}


def _ip_json(ip: str) -> str | None:
    """The Tailscale IP as shown, ``"redacted"`` when the user hid it, None when the column is blank."""
    if not ip:
        return None
    return "redacted" if is_redacted_ip(ip) else ip


def peer_path(peer: StatusPeer) -> str:
    """direct | derp | peer-relay | idle | offline | unknown, from a status row."""
    if peer.path in _PATH_NAMES:
        return _PATH_NAMES[peer.path]
    if peer.offline:
        return "offline"
    return "idle"


def _status_peer_json(label: str, peer: StatusPeer, is_self: bool) -> dict[str, Any]:
    return {
        "label": label,
        "from": "status",
        "name": peer.host.split(" (")[0].strip('()"') or None,  # xn--… (unicode): the DNS label
        "ip": _ip_json(peer.ip),
        "os": peer.os if peer.os not in ("", "-") else None,
        "self": is_self,
        "path": peer_path(peer),
        "endpoint": peer.direct_addr or peer.peer_relay,
        "derp": region(peer.relay_region),
        "tx": peer.tx,
        "rx": peer.rx,
        "exit_node": peer.exit_node,
        "offline": peer.offline,
        "last_seen": peer.last_seen,
        "partial": peer.partial,
        "line": peer.line.number,
        "evidence": peer.line.text,
    }


def _ping_peer_json(label: str, report: PingReport) -> dict[str, Any] | None:
    if not report.pongs:
        return None
    summary = ping_json(label, report)
    named = next((p for p in report.pongs if p.node), report.pongs[0])
    last_derp = next((p for p in reversed(report.pongs) if p.derp_region), None)
    return {
        "label": label,
        "from": "ping",
        "name": named.node or report.target,
        "ip": _ip_json(named.ip),
        "os": None,
        "self": False,
        "path": summary["path"],
        "endpoint": summary["endpoint"],
        "derp": region(last_derp.derp_region) if last_derp else None,
        "tx": None,
        "rx": None,
        "exit_node": None,
        "offline": False,
        "last_seen": None,
        "partial": not named.node,
        "line": summary["line"],
        "evidence": summary["evidence"],
    }


def peers_json(diagnosis: Diagnosis) -> list[dict[str, Any]]:
    """One entry per peer row of every status, per peer of every ping run, per peer disco names in a log."""
    rows: list[dict[str, Any]] = []
    for item in diagnosis.inputs:
        rows.extend(_input_peers(item))
    return rows


def _input_peers(item: InputReports) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for status in item.statuses:
        me = status.self_peer
        rows.extend(_status_peer_json(item.label, p, p is me) for p in status.peers)
    for ping in item.pings:
        entry = _ping_peer_json(item.label, ping)
        if entry is not None:
            rows.append(entry)
    for log in item.daemon_logs:
        rows.extend(_log_peer_json(item.label, peer) for peer in log.peers)
    rows.extend({**_status_peer_json(item.label, p, False), "from": "exit-node-list"} for p in item.exit_node_rows)
    rows.extend(_netmap_peer_json(item.label, peer) for peer in item.netmap_peers)
    return rows


def _netmap_peer_json(label: str, peer: NetmapPeer) -> dict[str, Any]:
    first = peer.line
    return {
        "label": label,
        "from": "debug-netmap",
        "name": peer.name or None,
        "ip": next((a.split("/")[0] for a in peer.addresses if "." in a), None),
        "os": None,
        "self": False,
        "path": "offline" if peer.online is False else "unknown",
        "endpoint": None,
        "derp": None,
        "tx": None,
        "rx": None,
        "exit_node": None,
        "offline": peer.online is False,
        "last_seen": None,
        "partial": False,
        "line": first.number,
        "evidence": first.text,
    }


def ping_json(label: str, report: PingReport) -> dict[str, Any]:
    """One `tailscale ping` run: verdict, best path seen, DERP regions, pong and timeout counts."""
    direct = next((p for p in report.pongs if p.path is PathKind.DIRECT), None)
    relay = next((p for p in report.pongs if p.path is PathKind.PEER_RELAY), None)
    best: Pong | None
    if direct is not None:
        path, best = "direct", direct
    elif relay is not None:
        path, best = "peer-relay", relay
    elif any(p.path is PathKind.DERP for p in report.pongs):
        path, best = "derp", next(p for p in report.pongs if p.path is PathKind.DERP)
    else:
        path, best = ("unknown", report.pongs[0]) if report.pongs else ("none", None)
    line = best.line if best else (report.verdict_line or next(iter(report.timeouts + report.errors), None))
    return {
        "label": label,
        "target": report.target,
        "outcome": report.outcome.value,
        "path": path,
        "endpoint": best.via if best is not None and path in ("direct", "peer-relay") else None,
        "derp_regions": sorted({p.derp_region for p in report.pongs if p.derp_region}),
        "pongs": len(report.pongs),
        "timeouts": len(report.timeouts),
        "line": line.number if line else None,
        "evidence": line.text if line else None,
    }


def _live_json(diagnosis: Diagnosis) -> dict[str, Any] | None:
    live = diagnosis.live
    if live is None:
        return None
    return {
        "current_user": live.current_user,
        "is_admin": live.is_admin,
        "cli_path": live.cli_path,
        "cli_missing_reason": live.cli_missing_reason,
        "daemons": [
            {
                "pid": d.pid,
                "user": d.user,
                "cmdline": list(d.cmdline),
                "parent": d.parent_name,
                "parent_pid": d.parent_pid,
                "service_managed": d.started_by_service_manager,
                "statedir": d.flag("statedir"),
                "state": d.flag("state"),
                "port": d.flag("port"),
            }
            for d in live.daemons
        ],
        "runs": [
            {"command": r.command, "returncode": r.returncode, "timed_out": r.timed_out}
            for r in (*live.runs, *((live.journal,) if live.journal is not None else ()))
        ],
    }


# ------------------------------------------------------------------------------------------------ human


def render_human(diagnosis: Diagnosis, console: Console) -> None:
    """Inputs, node profiles, the pairwise matrix, then one panel per finding."""
    from rich.table import Table

    if diagnosis.blocks:
        table = Table(title="Recognised output", title_justify="left", show_edge=False)
        for column in ("node", "input", "lines", "kind", "layout"):
            table.add_column(column, overflow="fold")
        for b in diagnosis.blocks:
            cells = (b.label, b.source, f"{b.first_line}-{b.last_line}", b.kind, b.layout)
            table.add_row(*(safe_cell(hide_keys(v)) for v in cells))
        console.print(table)
    if diagnosis.live is not None:
        _render_live(diagnosis, console)
    if diagnosis.profiles:
        table = Table(title="NAT profile per node (from netcheck)", title_justify="left", caption=PROBE_PORT_NOTE)
        for column in (
            "node",
            "UDP",
            "public IPv4",
            "IPv6",
            "NAT mapping",
            "port mapping",
            "captive",
            "DERP home",
        ):
            table.add_column(column, overflow="fold")
        for p in diagnosis.profiles:
            table.add_row(
                *(
                    safe_cell(v)
                    for v in (
                        p.label,
                        _tri(p.udp),
                        p.ipv4_text(),
                        p.report.ipv6_state.value,
                        p.mapping.value + (" (artefact?)" if set(p.artefacts) - {"double-nat"} else ""),
                        p.portmap_text,
                        _tri(p.report.captive_portal),
                        _home(p),
                    )
                )
            )
        console.print(table)
    if diagnosis.predictions:
        from opskit.output.diagnose_graph import COMPACT_ABOVE, render_compact_matrix

        if len(diagnosis.profiles) > COMPACT_ABOVE:
            render_compact_matrix(diagnosis, console)  # sentences per cell no longer fit
        else:
            _render_matrix(diagnosis, console)
    logs = without_secrets([daemon_log_json(i.label, log) for i in diagnosis.inputs for log in i.daemon_logs])
    if logs:
        _render_logs(logs, console)
    peers = without_secrets(peers_json(diagnosis))
    if peers:
        _render_peers(peers, console)
    for finding in diagnosis.findings:
        console.print(finding_panel(finding))
    if not diagnosis.findings:
        console.print("No problems found in the recognised output.")


def _render_matrix(diagnosis: Diagnosis, console: Console) -> None:
    from rich.table import Table

    labels = [p.label for p in diagnosis.profiles]
    matrix = Table(title="Expected path per pair", title_justify="left", show_lines=True)
    matrix.add_column("")
    for label in labels:
        matrix.add_column(safe_text(label))
    for row in labels:
        cells = []
        for column in labels:
            if row == column:
                cells.append("—")
                continue
            pair = next(p for p in diagnosis.predictions if p.involves(row, column))
            seen = [o for o in diagnosis.observations if {o.observer, o.peer} == {row, column}]
            text = short_prediction(pair)
            if seen:
                text += "\nseen: " + ", ".join(sorted({o.path.value for o in seen}))
            cells.append(text)
        matrix.add_row(safe_cell(row), *(safe_cell(c, newlines=True) for c in cells))
    console.print(matrix)
    # Pairs without a finding still deserve their reason; the others are explained in the panels below.
    explained = [p for p in diagnosis.predictions if p.prediction in (Prediction.DIRECT_IPV4, Prediction.DIRECT_IPV6)]
    if explained:
        details = Table(title="Why these pairs are expected to be direct", title_justify="left", show_lines=True)
        for column in ("pair", "expected", "why"):
            details.add_column(column, overflow="fold")
        for pair in explained:
            details.add_row(
                safe_cell(f"{pair.a} ↔ {pair.b}"), safe_cell(short_prediction(pair)), safe_cell(pair.reason)
            )
        console.print(details)


def _render_logs(logs: list[dict[str, Any]], console: Console) -> None:
    """One row per tailscaled log: version, who started it, state, home DERP, what still fails."""
    from rich.table import Table

    table = Table(title="tailscaled log summary", title_justify="left")
    for column in ("node", "version", "started by", "state", "home DERP", "TUN", "still failing at the end"):
        table.add_column(column, overflow="fold")
    for log in logs:
        home = log["home_derp"]
        started = {True: "hand (shell)", False: "service"}.get(log["hand_started"], "?")
        tun = {True: "userspace", False: "TUN device"}.get(log["userspace"], "?")
        if (failed := next((i for i in log["issues"] if i["kind"] == "tun-unavailable"), None)) is not None:
            # why there is no TUN, in the cell that would name it (the message, cut to fit a column)
            reason = failed["message"]
            tun = "no TUN: " + (reason if len(reason) <= 90 else reason[:89] + "…")
        issues = ", ".join(
            issue["kind"] + (f" ({issue['about']})" if issue["about"] not in (issue["kind"], "") else "")
            for issue in log["issues"]
            if issue["kind"] != "hand-started"
        )
        # what tailscaled's health warnables still said at the end, unless an issue above already is that message
        said = {issue["message"] for issue in log["issues"]}
        health = "; ".join(message for message in log.get("health", ()) if message not in said)
        if health:
            issues = f"{issues}; health: {health}" if issues else f"health: {health}"
        cells = (
            log["label"],
            log["version"] or "?",
            started,
            log["state"] or "?",
            (f"{home['code'] or home['id']}" + (f" ({home['name']})" if home["name"] else "")) if home else "?",
            tun,
            issues or "nothing",
        )
        table.add_row(*(safe_cell(cell) for cell in cells))  # every cell comes from pasted text
    console.print(table)


def _render_peers(peers: list[dict[str, Any]], console: Console) -> None:
    """One row per peer seen in status or ping output: the path each one uses."""
    from rich.table import Table

    table = Table(title="Path per peer (from status, ping and tailscaled logs)", title_justify="left")
    several_inputs = len({peer["label"] for peer in peers}) > 1  # one input: its name is in the title above
    columns = ("peer", "Tailscale IP", "OS", "path", "endpoint / DERP", "tx / rx", "line")
    for column in ("seen from", *columns) if several_inputs else columns:
        table.add_column(column, overflow="fold")
    for peer in peers:
        derp = peer["derp"]
        where = peer["endpoint"] or (
            f"{derp['code']} ({derp['name']})" if derp and derp["name"] else (derp["code"] if derp else "")
        )
        path = peer["path"] + (" (self)" if peer["self"] else "")
        if peer["offline"] and peer["path"] != "offline":
            path += "; offline"
        if peer["exit_node"]:
            path += f"; {peer['exit_node']}"
        traffic = f"{peer['tx']} / {peer['rx']}" if peer["tx"] is not None or peer["rx"] is not None else ""
        cells = (
            *((peer["label"],) if several_inputs else ()),
            peer["name"] or "?",
            peer["ip"] or "",
            peer["os"] or "",
            path,
            where,
            traffic,
            str(peer["line"]),
        )
        table.add_row(*(safe_cell(cell) for cell in cells))  # every cell was pasted by someone
    console.print(table)


def _render_live(diagnosis: Diagnosis, console: Console) -> None:
    from rich.table import Table

    live = diagnosis.live
    assert live is not None
    who = f"you are {live.current_user}{', admin' if live.is_admin else ''}"
    if not live.daemons:
        console.print(safe_cell(f"tailscaled on this machine: no process found ({who})"))
        return
    table = Table(
        title=safe_text(f"tailscaled on this machine ({who})"),
        title_justify="left",
    )
    for column in ("pid", "user", "started by", "--statedir", "--state", "--port", "command line"):
        table.add_column(column, overflow="fold")
    for d in live.daemons:
        managed = d.started_by_service_manager
        starter = f"{d.parent_name or '?'} ({'service' if managed else 'by hand' if managed is False else '?'})"
        table.add_row(
            str(d.pid),
            *(
                safe_cell(v)
                for v in (
                    d.user or "?",
                    starter,
                    d.flag("statedir") or "-",
                    d.flag("state") or "-",
                    d.flag("port") or "-",
                    " ".join(d.cmdline),
                )
            ),
        )
    console.print(table)


def finding_panel(finding: Finding) -> Any:
    """One rich Panel: severity and rule in the title; cause, fix and quoted evidence inside."""
    from rich.console import Group
    from rich.panel import Panel
    from rich.text import Text

    style = SEVERITY_STYLE[finding.severity]
    body: list[Any] = [
        Text.assemble(("Cause: ", "bold"), safe_plain(hide_keys(finding.cause), newlines=True)),
        Text.assemble(("Fix: ", "bold"), safe_plain(hide_keys(finding.fix), newlines=True)),
    ]
    if finding.evidence:
        body.append(Text("Evidence:", style="bold"))
        for evidence in finding.evidence:
            # Evidence quotes the paste: an ESC or bidi override in it must show, not act; a key must not show.
            where = "  " + safe_plain(evidence.location) + "  "
            body.append(Text.assemble((where, "dim"), safe_plain(hide_keys(evidence.text))))
    title = Text.assemble(
        (finding.severity.label.upper(), style), "  ", finding.rule_id, "  ", safe_plain(hide_keys(finding.title))
    )
    # As wide as its longest line, not the console: piped output (4096 columns, so that `file:line` is never
    # cut) would otherwise pad every line of the box with thousands of spaces.
    return Panel(Group(*body), title=title, title_align="left", border_style=style, expand=False)


def render_warnings(warnings: tuple[str, ...], console: Console) -> None:
    for warning in warnings:
        console.print(f"opskit: warning: {safe_plain(hide_keys(warning))}", markup=False, highlight=False)


def show(diagnosis: Diagnosis, fmt: OutputFormat) -> None:
    """The one entry point: the JSON document, or the tables and findings for people (warnings on stderr)."""
    from opskit.output.console import Kind, emit_json, stderr_console, stdout_console

    if fmt is OutputFormat.json:
        # The warnings are in the document ("warnings"); stderr stays quiet so a caller that merges the
        # streams still reads one JSON document.
        emit_json(Kind.DIAGNOSE, to_json(diagnosis, 1 if diagnosis.has_problems else 0))
        return
    render_human(diagnosis, stdout_console())
    render_warnings(diagnosis.warnings, stderr_console())
