"""`opskit diagnose`: read the pasted files (or stdin), optionally inspect this machine's tailscaled,
and explain it all with the pure diagnose engine."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from opskit.core.diagnose.engine import Diagnosis, InputText, diagnose
from opskit.core.diagnose.live import journal_has_entries, journal_hidden_from_user
from opskit.errors import InputError

STDIN = "-"


def read_inputs(files: Sequence[str], labels: Sequence[str]) -> list[InputText]:
    """One input per FILE, labelled by ``labels`` (in order) or the file stem; ``-`` reads stdin once."""
    if labels and len(labels) != len(files):
        raise InputError.at(
            None, None, "--label", f"got {len(labels)} label(s) for {len(files)} input(s); give one per input"
        )
    from opskit.adapters.input_files import InputKind, read_input_bytes, read_stdin_bytes

    inputs: list[InputText] = []
    for index, name in enumerate(files):
        if name == STDIN:
            data = read_stdin_bytes(InputKind.PASTE)
            text, source, stem = data.decode("utf-8", errors="replace"), "<stdin>", "stdin"
        else:
            path = Path(name)
            try:
                data = read_input_bytes(path, InputKind.PASTE)
            except OSError as error:
                raise InputError.at(name, None, None, f"cannot read: {error.strerror or error}") from None
            text, source, stem = data.decode("utf-8", errors="replace"), name, path.stem
        inputs.append(InputText(labels[index] if labels else stem, source, text))
    return inputs


def run_diagnosis(files: Sequence[str], labels: Sequence[str] = (), *, live: bool = False) -> Diagnosis:
    """Diagnose the pasted ``files`` and, with ``live``, this machine's tailscaled and CLI output."""
    from opskit.app.gc_pause import collector_paused

    if not files and not live:
        raise InputError.option("FILE", "give one or more files, '-' for stdin, or --live")
    inputs = read_inputs(files, labels)
    snapshot = None
    if live:
        from opskit.adapters.tailscale_live import snapshot as take_snapshot

        snapshot = take_snapshot()
        journal = snapshot.journal
        # A journal without tailscaled's entries (no systemd unit, no permission) has nothing to diagnose.
        runs = (*snapshot.runs, *((journal,) if journal is not None and journal_has_entries(journal.output) else ()))
        if runs:
            # One node, several commands: keep the prompts so each block knows its command.
            transcript = "\n".join(f"$ {run.command}\n{run.output}" for run in runs)
            inputs.append(InputText("local", "live", transcript, required=False))
    with collector_paused():  # a big paste is many small, long-lived, acyclic objects: see opskit.app.gc_pause
        diagnosis = diagnose(inputs, live=snapshot)
    journal = snapshot.journal if snapshot is not None else None
    if journal is not None and not journal_has_entries(journal.output) and journal_hidden_from_user(journal.output):
        note = (
            "live: journalctl shows this user none of tailscaled.service's entries; run as root or in the "
            "systemd-journal group to have the daemon's log read"
        )
        diagnosis = replace(diagnosis, warnings=(*diagnosis.warnings, note))
    return diagnosis


def save_graph(path: Path, dot_text: str) -> None:
    """Write the drawing to ``--graph FILE``: the DOT text for ``.dot``, Graphviz's SVG for ``.svg``."""
    from opskit.adapters.output_files import write_report

    text = dot_text
    if path.suffix.lower() == ".svg":
        from opskit.adapters.graphviz import dot_to_svg

        text = dot_to_svg(dot_text)
    write_report(path, text, "--graph")
