"""check_resolver and check_harbor run from the target's network position: the lab hosts resolve through
their own resolv.conf (the lab's dnsmasq, which this controller does not use), and a Harbor stand-in
reachable on the lab subnet advertises its realm from the Host the host asked with. The Harbor password
never appears in the results (no_log)."""

from __future__ import annotations

import json
import subprocess
import time
from http.server import ThreadingHTTPServer
from typing import Any

import pytest

from opskit.adapters.ansible_run import run_playbook
from opskit.core.spec.harbor import HarborVersion
from tests.check import live
from tests.check.live import HarborStandIn
from tests.fleet.lab import Lab
from tests.support.tools import require_binary

pytestmark = pytest.mark.integration

NAME = "harbor.fleet.test"

PLAYBOOK = """\
- hosts: all
  gather_facts: false
  tasks:
    - name: DNS as this host sees it
      opskit.fleet.check_resolver:
        names: [{name}]
      register: dns
    - name: Harbor as docker login on this host sees it
      opskit.fleet.check_harbor:
        urls: ["http://{name}:{port}"]
        user: admin
        password: "{password}"
      register: harbor
"""


def test_resolver_and_harbor_are_checked_from_the_hosts_network_position(
    lab: Lab, monkeypatch: pytest.MonkeyPatch
) -> None:
    dnsmasq_binary = require_binary("dnsmasq", "apt-get install -y dnsmasq")
    hosts_file = lab.directory / "dns-hosts"
    hosts_file.write_text(f"{lab.controller} {NAME}\n")
    hosts_file.chmod(0o644)
    dnsmasq = subprocess.Popen(
        [
            dnsmasq_binary,
            "-k",
            "-C",
            "/dev/null",
            "--no-resolv",
            "--no-hosts",
            "--bind-interfaces",
            f"--listen-address={lab.controller}",
            "--port=53",
            f"--addn-hosts={hosts_file}",
            f"--pid-file={lab.directory}/dnsmasq.pid",
        ],  # fmt: skip
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )

    class OnLabAddress(ThreadingHTTPServer):  # the stand-in listens where the lab hosts can reach it
        def __init__(self, _address: Any, handler: Any) -> None:
            super().__init__((lab.controller, 0), handler)

    monkeypatch.setattr(live, "ThreadingHTTPServer", OnLabAddress)
    standin = HarborStandIn(HarborVersion.parse("2.14.0"), f"http://{NAME}")
    port = standin.start()
    try:
        time.sleep(0.2)
        assert dnsmasq.poll() is None, dnsmasq.stderr.read() if dnsmasq.stderr else ""
        playbook = lab.directory / "checks.yml"
        playbook.write_text(PLAYBOOK.format(name=NAME, port=port, password=standin.password))
        inventory = lab.directory / "checks.ini"
        inventory.write_text(lab.inventory(hosts=lab.hosts[:2]))
        run = run_playbook(playbook, inventory, extravars={}, ansible_config=lab.directory / "ansible.cfg")
        assert run.rc == 0, run.output_tail
        by_action: dict[str, dict[str, Any]] = {}
        for result in run.results:
            by_action.setdefault(result.action, {})[result.host] = result
        for host in lab.hosts[:2]:
            dns = by_action["opskit.fleet.check_resolver"][host.name]
            assert dns.status == "ok"
            [a_record] = [a for a in dns.result["names"] if a["type"] == "A"]
            assert a_record["records"] == [lab.controller] and lab.controller in a_record["server"]
            harbor = by_action["opskit.fleet.check_harbor"][host.name]
            assert harbor.status == "ok" and harbor.result["ok"] is True
            [entry] = harbor.result["entries"]
            assert entry["realm"] == f"http://{NAME}:{port}/service/token"
        assert f"{NAME}:{port}" in standin.seen_hosts  # asked by name, as resolved on the hosts
        assert standin.password not in json.dumps([r.result for r in run.results])
    finally:
        standin.stop()
        dnsmasq.terminate()
        dnsmasq.wait(timeout=10)
