"""Run an Ansible playbook through ansible-runner (its supported Python API) and hand back every task's
result per host, typed. The one side effect: the playbook run (ansible-playbook in a subprocess)."""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from opskit.core.fleet import HostTaskResult, PlaybookRun
from opskit.errors import EnvironmentProblem

_STATUS_OF_EVENT = {
    "runner_on_ok": "ok",
    "runner_on_failed": "failed",
    "runner_on_unreachable": "unreachable",
    "runner_on_skipped": "skipped",
}


def _playbook_binary() -> str:
    """ansible-playbook beside this interpreter (a venv) first, else on PATH."""
    beside = Path(sys.executable).with_name("ansible-playbook")
    if beside.exists():
        return str(beside)
    found = shutil.which("ansible-playbook")
    if found is None:
        raise EnvironmentProblem(
            "ansible-playbook is not installed on this controller.",
            hint="pip install 'ansible-core>=2.19' ansible-runner (into opskit's environment).",
        )
    return found


def require_ansible(playbook_name: str) -> Path:
    """Refuse early (before anything is changed) when this controller cannot run the collection's
    playbook: ansible-runner and ansible-playbook installed, the playbook on sys.path."""
    try:
        import ansible_runner  # noqa: F401
    except ImportError:
        raise EnvironmentProblem(
            "ansible-runner is not installed on this controller.",
            hint="pip install 'ansible-core>=2.19' ansible-runner (into opskit's environment).",
        ) from None
    _playbook_binary()
    return collection_playbook(playbook_name)


def run_playbook(
    playbook: Path,
    inventory: Path,
    *,
    extravars: Mapping[str, Any],
    limit: str | None = None,
    check: bool = False,
    diff: bool = False,
    forks: int | None = None,
    ansible_config: Path | None = None,
    timeout: int | None = None,
) -> PlaybookRun:
    """Run ``playbook`` against ``inventory`` and return each host's task results (``check``: --check,
    ``diff``: --diff).

    The runner's private directory is temporary and removed afterwards (it would hold the extra vars).
    """
    try:
        import ansible_runner
    except ImportError:
        raise EnvironmentProblem(
            "ansible-runner is not installed on this controller.",
            hint="pip install 'ansible-core>=2.19' ansible-runner (into opskit's environment).",
        ) from None
    binary = _playbook_binary()
    envvars = {"PATH": f"{Path(binary).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    if ansible_config is not None:
        envvars["ANSIBLE_CONFIG"] = str(ansible_config)
    private = Path(tempfile.mkdtemp(prefix="opskit-ansible-"))
    results: list[HostTaskResult] = []

    def on_event(event: Mapping[str, Any]) -> bool:
        status = _STATUS_OF_EVENT.get(str(event.get("event")))
        data = event.get("event_data") or {}
        if status is not None and isinstance(data, Mapping):
            res = data.get("res") if isinstance(data.get("res"), Mapping) else {}
            assert isinstance(res, Mapping)
            if status == "ok" and res.get("changed"):
                status = "changed"
            results.append(
                HostTaskResult(
                    host=str(data.get("host")),
                    task=str(data.get("task")),
                    action=str(data.get("task_action") or ""),
                    status=status,
                    result=dict(res),
                )
            )
        return False  # runner need not keep the events on disk for us

    try:
        runner = ansible_runner.run(
            private_data_dir=str(private),
            playbook=str(playbook.resolve()),
            inventory=str(inventory.resolve()),
            extravars=dict(extravars),
            limit=limit,
            cmdline=" ".join(flag for flag, wanted in (("--check", check), ("--diff", diff)) if wanted) or None,
            forks=forks,
            envvars=envvars,
            quiet=True,
            event_handler=on_event,
            suppress_env_files=True,
            timeout=timeout,
        )
        status, rc = str(runner.status), int(runner.rc if runner.rc is not None else -1)
        stdout = runner.stdout.read() if status not in ("successful",) else ""
    finally:
        shutil.rmtree(private, ignore_errors=True)
    return PlaybookRun(status=status, rc=rc, results=tuple(results), output_tail=stdout[-4000:])


def collection_playbook(name: str) -> Path:
    """A playbook shipped in the opskit.fleet collection, found the way ansible-core finds the
    collection: the first ``ansible_collections/opskit/fleet`` on sys.path."""
    for entry in sys.path:
        candidate = Path(entry or ".") / "ansible_collections" / "opskit" / "fleet" / "playbooks" / name
        if candidate.is_file():
            return candidate
    raise EnvironmentProblem(
        f"the opskit.fleet collection's playbook {name} is not on this Python's path ({sys.executable}).",
        hint="Reinstall opskit (pip install opskit): the collection ships inside its wheel.",
    )
