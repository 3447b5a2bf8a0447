"""Benchmark: cut 500 established sessions on each of 10 hosts with the opskit.fleet cut playbook over
real SSH (forks >= hosts, pipelining on, multiplexed connections), against one host's CLI cut
(`opskit sockets kill --yes` inside that host's namespace) measured in the same run.

The hosts are the test lab's network namespaces (tests/fleet/lab.py): each has its own sshd and a TCP
service; the clients connect from 4 peer addresses in this namespace. Needs root.

Target: the 10-host playbook cut under 10 s on this 2-core machine. Also timed, to say where the time
goes: ansible-playbook's own start-up (an empty play), a no-op module on every host over the same warm
connections (SSH + remote Python + AnsiballZ), the first contact (SSH handshakes), and the module's cut
itself (the CLI baseline minus its start-up).

    sudo .venv/bin/python bench/fleet.py [--hosts 10] [--sessions 500] [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.fleet.lab import PEER_COUNT, SERVICE_PORT, Lab, start_lab  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
CUT_PLAYBOOK = REPO / "ansible_collections/opskit/fleet/playbooks/cut_sessions.yml"
PING_PLAYBOOK = "- hosts: all\n  gather_facts: false\n  tasks:\n    - ansible.builtin.ping:\n"
EMPTY_PLAYBOOK = "- hosts: all\n  gather_facts: false\n  tasks: []\n"


def _playbook(lab: Lab, inventory: Path, playbook: Path, *extra: str) -> float:
    env = {**os.environ, "ANSIBLE_CONFIG": str(lab.directory / "ansible.cfg"), "PYTHONWARNINGS": "ignore"}
    argv = [str(Path(sys.executable).with_name("ansible-playbook")), "-i", str(inventory), str(playbook), *extra]
    started = time.perf_counter()
    done = subprocess.run(argv, capture_output=True, text=True, env=env, timeout=300)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"{playbook.name} failed (rc {done.returncode}):\n{done.stdout[-3000:]}{done.stderr[-2000:]}")
    return elapsed


def _cut_vars(lab: Lab) -> list[str]:
    peers = ",".join(f'"{p}"' for p in lab.peers)
    return ["-e", f"opskit_cut_port={SERVICE_PORT}", "-e", f'{{"opskit_cut_peers": [{peers}]}}']


def _cli_cut(lab: Lab) -> float:
    host = lab.hosts[0]
    opskit = str(Path(sys.executable).with_name("opskit"))
    peers = [a for p in lab.peers for a in ("--peer", p)]
    argv = ["ip", "netns", "exec", host.netns, opskit, "sockets", "kill", "--port", str(SERVICE_PORT), *peers, "--yes"]
    started = time.perf_counter()
    done = subprocess.run(argv, capture_output=True, text=True, timeout=120)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"CLI cut failed (rc {done.returncode}): {done.stdout[-2000:]}{done.stderr[-2000:]}")
    return elapsed


def _cli_startup(lab: Lab) -> float:
    argv = ["ip", "netns", "exec", lab.hosts[0].netns, str(Path(sys.executable).with_name("opskit")), "--version"]
    started = time.perf_counter()
    subprocess.run(argv, capture_output=True, timeout=60, check=True)
    return time.perf_counter() - started


def _established_total(lab: Lab) -> int:
    return sum(len(lab.established(h, SERVICE_PORT)) for h in lab.hosts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--hosts", type=int, default=10)
    parser.add_argument("--sessions", type=int, default=500, help="per host")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    if os.geteuid() != 0:
        raise SystemExit("needs root (network namespaces, sshd, SOCK_DESTROY)")
    per_peer = max(1, args.sessions // PEER_COUNT)
    sessions = per_peer * PEER_COUNT
    lab = start_lab(args.hosts)
    try:
        lab.write_ansible_config(forks=max(args.hosts, 5))
        inventory = lab.directory / "inventory.ini"
        inventory.write_text(lab.inventory())
        ping, empty = lab.directory / "ping.yml", lab.directory / "empty.yml"
        ping.write_text(PING_PLAYBOOK)
        empty.write_text(EMPTY_PLAYBOOK)
        print(f"{args.hosts} hosts (netns + sshd) x {sessions} established sessions from {PEER_COUNT} peers; "
              f"forks {max(args.hosts, 5)}, pipelining, ControlPersist; {args.repeat} rounds")  # fmt: skip
        first_contact = _playbook(lab, inventory, ping)  # SSH handshakes + ControlPersist masters start
        times: dict[str, list[float]] = {
            "playbook cut": [],
            "cold playbook cut": [],
            "CLI cut (1 host)": [],
            "ping play": [],
            "empty play": [],
            "CLI start-up": [],
        }
        for _ in range(args.repeat):
            clients = lab.connect_clients(per_peer)
            try:
                times["playbook cut"].append(_playbook(lab, inventory, CUT_PLAYBOOK, *_cut_vars(lab)))
                left = _established_total(lab)
                if left:
                    raise SystemExit(f"playbook cut left {left} sessions established")
            finally:
                clients.close()
            clients = lab.connect_clients(per_peer)
            try:
                lab.close_connections()  # every host needs a new SSH handshake, as a first run of the day would
                times["cold playbook cut"].append(_playbook(lab, inventory, CUT_PLAYBOOK, *_cut_vars(lab)))
            finally:
                clients.close()
            clients = lab.connect_clients(per_peer, hosts=lab.hosts[:1])
            try:
                times["CLI cut (1 host)"].append(_cli_cut(lab))
                if lab.established(lab.hosts[0], SERVICE_PORT):
                    raise SystemExit("CLI cut left sessions established")
            finally:
                clients.close()
            times["ping play"].append(_playbook(lab, inventory, ping))
            times["empty play"].append(_playbook(lab, inventory, empty))
            times["CLI start-up"].append(_cli_startup(lab))
        median = {name: statistics.median(values) for name, values in times.items()}
        for name, values in times.items():
            runs = ", ".join(f"{v:.2f}" for v in values)
            print(f"{name:<18} median {median[name]:6.2f} s   runs: {runs}")
        print(f"{'first contact':<18}        {first_contact:6.2f} s   (ping play on cold connections, once)")
        playbook, cli = median["playbook cut"], median["CLI cut (1 host)"]
        total = args.hosts * sessions
        print(f"playbook cut of {total} sessions on {args.hosts} hosts = {playbook:.2f} s "
              f"(target < 10 s)  {'PASS' if playbook < 10 else 'MISS'}")  # fmt: skip
        print(f"playbook / one host's CLI cut = {playbook / cli:5.2f}x  "
              f"(a serial CLI loop over {args.hosts} hosts would be ~{args.hosts:.0f}x plus SSH)")  # fmt: skip
        cold = median["cold playbook cut"]
        print(f"cold playbook cut (new SSH connections) = {cold:.2f} s  {'PASS' if cold < 10 else 'MISS'}")
        print("where the time goes (medians):")
        print(f"  ansible-playbook start-up, inventory, play set-up: {median['empty play']:.2f} s")
        module_round = median["ping play"] - median["empty play"]
        print(f"  one no-op module on {args.hosts} hosts over warm SSH (fork, AnsiballZ, remote Python): "
              f"{module_round:.2f} s")  # fmt: skip
        cut_work = cli - median["CLI start-up"]
        print(f"  the cut itself on one host (CLI cut minus its start-up): {cut_work:.2f} s")
        print(f"  the cut module vs a no-op module (opskit import + cut, {args.hosts} hosts on 2 cores): "
              f"{playbook - median['ping play']:.2f} s")  # fmt: skip
        print(f"  SSH handshakes when connections are cold: {cold - playbook:.2f} s")
    finally:
        lab.close()


if __name__ == "__main__":
    main()
