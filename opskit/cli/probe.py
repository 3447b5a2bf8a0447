"""`opskit probe slowloris URL`: hold slow-header connections and report how the server ends them."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from opskit.cli.common import FormatOption, finish
from opskit.errors import ExitCode, InputError
from opskit.output.console import OutputFormat

if TYPE_CHECKING:
    from opskit.core.probe.slowloris import ProbeReport

group = typer.Typer(
    name="probe",
    help="Active, bounded probes against a server you run (loopback by default; others need --yes).",
    no_args_is_help=True,
)


@group.command("slowloris", no_args_is_help=True)
def slowloris(
    url: Annotated[
        str, typer.Argument(help="http:// or https:// URL of the entry point to probe.", show_default=False)
    ],
    connections: Annotated[int, typer.Option("--connections", "-c", help="Slow connections to hold (1..5000).")] = 50,
    interval: Annotated[float, typer.Option("--interval", "-i", help="Seconds between header lines.")] = 5.0,
    max_seconds: Annotated[float, typer.Option("--max-seconds", "-t", help="Stop after this many seconds.")] = 30.0,
    expect_cut_within: Annotated[
        float | None,
        typer.Option("--expect-cut-within", help="Fail unless every connection is cut within S seconds."),
    ] = None,
    rate: Annotated[float, typer.Option("--rate", help="New connections per second while ramping up.")] = 200.0,
    yes: Annotated[bool, typer.Option("--yes", help="Confirm a target outside loopback.")] = False,
    report_file: Annotated[
        Path | None,
        typer.Option(
            "--report",
            help="Also write connection states over time: FILE.html (self-contained chart) or FILE.csv.",
            metavar="FILE",
        ),
    ] = None,
    output_format: FormatOption = OutputFormat.human,
) -> None:
    """Slow-headers probe: a request line, then one header line every --interval seconds, never finished.

    Reports each connection's lifetime and how the server ended it (408, EOF, RST, or held), p50/p95/max
    and a verdict. Exit 0 protected, 1 vulnerable / too slow / nothing measured, 2 bad input.
    """
    from urllib.parse import urlsplit

    from opskit.adapters.net import all_loopback, resolve_target, run_probe
    from opskit.cli.secrets import register_secrets_of
    from opskit.core.probe.slowloris import ProbePlan, judge
    from opskit.output.probe import show_plan, show_report, watch

    register_secrets_of(url)  # userinfo or ?token= never reaches the screen or an error message
    if report_file is not None and report_file.suffix.lower() not in (".html", ".htm", ".csv"):
        raise InputError.option("--report", f"{report_file}: the name must end in .html or .csv")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InputError.option("URL", f"{url!r} must be an http:// or https:// URL with a host")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise InputError.option("URL", f"{url!r} has an invalid port") from None
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    if any(ord(ch) < 33 or ord(ch) > 126 for ch in path):
        raise InputError.option("URL", "the path must be printable ASCII without spaces")
    try:
        plan = ProbePlan(
            parts.scheme, parts.hostname, port, path, connections, interval, max_seconds, rate, expect_cut_within
        )
    except ValueError as error:
        raise InputError(str(error)) from None
    addresses = resolve_target(plan.host, plan.port)
    if not all_loopback(addresses) and not yes:
        show_plan(plan, addresses)
        raise InputError(
            f"{plan.host} resolves to {', '.join(addresses)}, outside loopback: nothing was sent. "
            "Probe only servers you are responsible for; re-run with --yes to send exactly the above."
        )
    with watch(plan, output_format) as on_progress:
        run = run_probe(plan, addresses[0], on_progress)
    report = judge(plan, run.results, run.elapsed, run.interrupted)
    show_report(report, addresses[0], output_format)
    if report_file is not None:
        _write_timeline(report_file, report, addresses[0])
    if run.interrupted:
        finish(ExitCode.INTERRUPTED)  # the partial report is out; 130 tells scripts it was cut short
    finish(ExitCode.FINDINGS if report.failed else ExitCode.OK)


def _write_timeline(path: Path, report: ProbeReport, address: str) -> None:
    from opskit.adapters.fs import write_report
    from opskit.core.probe.timeline import build_timeline
    from opskit.output.probe_report import render_csv, render_html

    timeline = build_timeline(report.results, report.elapsed)
    text = render_csv(timeline) if path.suffix.lower() == ".csv" else render_html(report, timeline, address)
    write_report(path, text, "--report")


def register(app: typer.Typer) -> None:
    app.add_typer(group, name="probe")
