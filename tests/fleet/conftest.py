"""One lab of real hosts (network namespaces + sshd) per test module; see lab.py."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.fleet.lab import Lab, start_lab
from tests.support.tools import require_binary, require_root

REPO = Path(__file__).resolve().parents[2]


def require_lab_tools() -> None:
    require_root("network namespaces, sshd and SOCK_DESTROY need root")
    require_binary("sshd", "apt-get install -y openssh-server (scripts/install-system-deps.sh)")
    require_binary("ssh", "apt-get install -y openssh-client")
    require_binary("ip", "apt-get install -y iproute2")
    if not Path(sys.executable).with_name("ansible-playbook").exists():
        require_binary("ansible-playbook", "pip install -e '.[test]' (ansible-core)")


@pytest.fixture(scope="module")
def lab() -> Iterator[Lab]:
    require_lab_tools()
    started = start_lab(5)
    try:
        started.write_ansible_config()
        yield started
    finally:
        started.close()


@dataclass
class Played:
    rc: int
    stdout: str
    stderr: str


def ansible_playbook(lab: Lab, playbook: Path, inventory: str, *args: str, timeout: int = 120) -> Played:
    """Run ansible-playbook from this venv against ``inventory`` with the lab's ansible.cfg."""
    inventory_file = lab.directory / f"inventory-{os.urandom(3).hex()}.ini"
    inventory_file.write_text(inventory)
    env = {
        **os.environ,
        "ANSIBLE_CONFIG": str(lab.directory / "ansible.cfg"),
        "ANSIBLE_NOCOLOR": "1",
        "ANSIBLE_DEPRECATION_WARNINGS": "0",
        "PYTHONWARNINGS": "ignore",
    }
    done = subprocess.run(
        [str(Path(sys.executable).with_name("ansible-playbook")), "-i", str(inventory_file), str(playbook), *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
        cwd=lab.directory,
    )
    return Played(done.returncode, done.stdout, done.stderr)
