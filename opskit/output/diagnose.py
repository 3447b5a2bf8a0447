"""Render a Diagnosis: rich tables and panels for people, one JSON document for machines."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from opskit.core.diagnose.engine import Diagnosis
from opskit.core.diagnose.paths import PairPrediction, Prediction
from opskit.core.diagnose.profile import NatProfile, endpoint_host
from opskit.core.findings import Finding, Severity

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
    "IPv4/IPv6 ports are not shown: the port netcheck prints belongs to the CLI's own probe socket, "
    "not to tailscaled."
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


def profile_json(profile: NatProfile) -> dict[str, Any]:
    report = profile.report
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
            "state": report.ipv6_state.value,
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
        "derp_home_state": report.derp_home_state.value,
        "derp_latencies": [
            {"code": d.code, "name": d.name, "region_id": d.region_id, "latency_ms": d.latency_ms}
            for d in report.latencies
        ],
        "artefacts": list(profile.artefacts),
    }


def to_json(diagnosis: Diagnosis, exit_code: int) -> dict[str, Any]:
    """The payload of ``opskit diagnose --format json`` (schema in docs/diagnose.md)."""
    counts = {s.label: sum(1 for f in diagnosis.findings if f.severity is s) for s in Severity}
    return {
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
        "findings": [f.to_json() for f in diagnosis.findings],
        "warnings": list(diagnosis.warnings),
        "live": _live_json(diagnosis),
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
            {"command": r.command, "returncode": r.returncode, "timed_out": r.timed_out} for r in live.runs
        ],
    }


# ------------------------------------------------------------------------------------------------ human


def render_human(diagnosis: Diagnosis, console: Console) -> None:
    """Inputs, node profiles, the pairwise matrix, then one panel per finding."""
    from rich.table import Table

    if diagnosis.blocks:
        table = Table(title="Recognised output", title_justify="left", show_edge=False)
        for column in ("node", "input", "lines", "kind", "layout"):
            table.add_column(column)
        for b in diagnosis.blocks:
            table.add_row(b.label, b.source, f"{b.first_line}-{b.last_line}", b.kind, b.layout)
        console.print(table)
    if diagnosis.live is not None:
        _render_live(diagnosis, console)
    if diagnosis.profiles:
        table = Table(
            title="NAT profile per node (from netcheck)", title_justify="left", caption=PROBE_PORT_NOTE
        )
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
            table.add_column(column)
        for p in diagnosis.profiles:
            table.add_row(
                p.label,
                _tri(p.udp),
                p.ipv4_text(),
                p.report.ipv6_state.value,
                p.mapping.value + (" (artefact?)" if p.artefacts else ""),
                p.portmap_text,
                _tri(p.report.captive_portal),
                _home(p),
            )
        console.print(table)
    if diagnosis.predictions:
        from opskit.output.diagnose_graph import COMPACT_ABOVE, render_compact_matrix

        if len(diagnosis.profiles) > COMPACT_ABOVE:
            render_compact_matrix(diagnosis, console)  # sentences per cell no longer fit
        else:
            _render_matrix(diagnosis, console)
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
        matrix.add_column(label)
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
        matrix.add_row(row, *cells)
    console.print(matrix)
    # Pairs without a finding still deserve their reason; the others are explained in the panels below.
    explained = [
        p for p in diagnosis.predictions if p.prediction in (Prediction.DIRECT_IPV4, Prediction.DIRECT_IPV6)
    ]
    if explained:
        details = Table(
            title="Why these pairs are expected to be direct", title_justify="left", show_lines=True
        )
        for column in ("pair", "expected", "why"):
            details.add_column(column, overflow="fold")
        for pair in explained:
            details.add_row(f"{pair.a} ↔ {pair.b}", short_prediction(pair), pair.reason)
        console.print(details)


def _render_live(diagnosis: Diagnosis, console: Console) -> None:
    from rich.table import Table

    live = diagnosis.live
    assert live is not None
    who = f"you are {live.current_user}{', admin' if live.is_admin else ''}"
    if not live.daemons:
        console.print(f"tailscaled on this machine: no process found ({who})")
        return
    table = Table(
        title=f"tailscaled on this machine (you are {live.current_user}{', admin' if live.is_admin else ''})",
        title_justify="left",
    )
    for column in ("pid", "user", "started by", "--statedir", "--state", "--port", "command line"):
        table.add_column(column, overflow="fold")
    for d in live.daemons:
        managed = d.started_by_service_manager
        starter = (
            f"{d.parent_name or '?'} ({'service' if managed else 'by hand' if managed is False else '?'})"
        )
        table.add_row(
            str(d.pid),
            d.user or "?",
            starter,
            d.flag("statedir") or "-",
            d.flag("state") or "-",
            d.flag("port") or "-",
            " ".join(d.cmdline),
        )
    console.print(table)


def finding_panel(finding: Finding) -> Any:
    """One rich Panel: severity and rule in the title; cause, fix and quoted evidence inside."""
    from rich.console import Group
    from rich.panel import Panel
    from rich.text import Text

    style = SEVERITY_STYLE[finding.severity]
    body: list[Any] = [
        Text.assemble(("Cause: ", "bold"), finding.cause),
        Text.assemble(("Fix: ", "bold"), finding.fix),
    ]
    if finding.evidence:
        body.append(Text("Evidence:", style="bold"))
        for evidence in finding.evidence:
            body.append(Text.assemble(("  " + evidence.location + "  ", "dim"), evidence.text))
    title = Text.assemble((finding.severity.label.upper(), style), "  ", finding.rule_id, "  ", finding.title)
    return Panel(Group(*body), title=title, title_align="left", border_style=style)


def render_warnings(warnings: tuple[str, ...], console: Console) -> None:
    for warning in warnings:
        console.print(f"opskit: warning: {warning}", markup=False, highlight=False)
