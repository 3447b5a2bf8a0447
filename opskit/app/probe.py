"""`opskit probe slowloris`: resolve the target, refuse what is outside loopback without --yes, hold the
slow connections, judge how the server ended them, and write the optional timeline report."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from opskit.core.probe.slowloris import ProbeOutcome, ProbePlan, ProbePreview, Progress, judge
from opskit.errors import InputError


def resolve(plan: ProbePlan) -> ProbePreview:
    """The addresses the plan's host resolves to (the probe uses the first)."""
    from opskit.adapters.net import resolve_target

    return ProbePreview(plan, tuple(resolve_target(plan.host, plan.port)))


def outside_loopback(preview: ProbePreview) -> bool:
    """True when any address is outside 127.0.0.0/8 and ::1 (then the user must confirm with --yes)."""
    from opskit.adapters.net import all_loopback

    return not all_loopback(list(preview.addresses))


def refusal(preview: ProbePreview) -> InputError:
    """Why nothing was sent to a target outside loopback, and how to confirm it."""
    plan = preview.plan
    return InputError(
        f"{plan.host} resolves to {', '.join(preview.addresses)}, outside loopback: nothing was sent. "
        "Probe only servers you are responsible for; re-run with --yes to send exactly the above."
    )


def run_slowloris(preview: ProbePreview, on_progress: Callable[[Progress], None] | None = None) -> ProbeOutcome:
    """Run the probe against the first address (Ctrl-C ends it early: ``report.interrupted``)."""
    from opskit.adapters.net import run_probe

    address = preview.addresses[0]
    run = run_probe(preview.plan, address, on_progress)
    report = judge(preview.plan, run.results, run.elapsed, run.interrupted)
    return ProbeOutcome(report, address)


def save_report(path: Path, text: str) -> None:
    """Write the ``--report FILE`` (atomically; refused for a folder or a missing parent)."""
    from opskit.adapters.output_files import write_report

    write_report(path, text, "--report")
