"""A fleet of real test hosts: network namespaces on a private /24 that exists only while the lab runs,
each with its own sshd (own host key, the lab's key authorized for root), a TCP service, and clients
from several peer addresses. Ansible runs on this (the root) namespace and reaches them over real SSH.

    root namespace: bridge okf<tag>br  10.213.N.1 (controller, SSH comes from here)
                                       10.213.N.2-5 (client peers)
    namespace okf<tag>-hI: eth0  10.213.N.(10+I), sshd :22, service :8080

The namespaces share the filesystem, so every host sees this venv (ansible_python_interpreter). Used by
tests/fleet (one lab per test module) and bench/fleet.py. ``close`` tears everything down, and is
called also when setting up failed half-way.
"""

from __future__ import annotations

import contextlib
import os
import resource
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

SERVICE_PORT = 8080
PEER_COUNT = 4

SERVICE_SCRIPT = r"""
import socket, sys, threading
listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
listener.bind(("0.0.0.0", int(sys.argv[1])))
listener.listen(8192)
held = []
def accept():
    while True:
        conn, _ = listener.accept()
        held.append(conn)
threading.Thread(target=accept, daemon=True).start()
print("ready", flush=True)
sys.stdin.read()
"""

# Opens N sessions from each peer address to each host's service, says "ready", holds them until stdin
# closes. Runs in the root namespace: the hosts' namespaces then hold only the server side.
CLIENTS_SCRIPT = r"""
import socket, sys
port, per_peer = int(sys.argv[1]), int(sys.argv[2])
hosts, peers = sys.argv[3].split(","), sys.argv[4].split(",")
held = []
for host in hosts:
    for peer in peers:
        for _ in range(per_peer):
            c = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            c.bind((peer, 0))
            c.connect((host, port))
            held.append(c)
print("ready", flush=True)
sys.stdin.read()
"""

SSHD_CONFIG = """\
ListenAddress {address}
Port 22
HostKey {host_key}
PidFile {pid_file}
AuthorizedKeysFile {authorized_keys}
PermitRootLogin prohibit-password
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
UseDNS no
PrintMotd no
MaxStartups 200
MaxSessions 200
LogLevel ERROR
Subsystem sftp internal-sftp
"""


def _run(*argv: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    return subprocess.run(argv, capture_output=True, text=True, timeout=30, check=check)


def raise_fd_limit(wanted: int) -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < wanted:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(wanted, hard), hard))


@dataclass
class Host:
    name: str
    netns: str
    address: str
    sshd: subprocess.Popen[bytes] | None = None
    service: subprocess.Popen[bytes] | None = None


@dataclass
class Clients:
    """Client sessions held open from the peers to every host; ``close`` ends them."""

    process: subprocess.Popen[str]

    def close(self) -> None:
        if self.process.poll() is None:
            assert self.process.stdin is not None
            self.process.stdin.close()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


@dataclass
class Lab:
    directory: Path
    tag: str
    subnet: int
    hosts: list[Host] = field(default_factory=list)
    bridge: str = ""
    clients: list[Clients] = field(default_factory=list)
    made_etc_netns: bool = False  # /etc/netns did not exist before: remove it again when empty

    @property
    def controller(self) -> str:
        return f"10.213.{self.subnet}.1"

    @property
    def peers(self) -> list[str]:
        return [f"10.213.{self.subnet}.{2 + i}" for i in range(PEER_COUNT)]

    @property
    def key(self) -> Path:
        return self.directory / "id_ed25519"

    # --- set-up ----------------------------------------------------------------------------------

    def start(self, count: int) -> Lab:
        _run("ip", "link", "add", self.bridge, "type", "bridge")
        _run("ip", "addr", "add", f"{self.controller}/24", "dev", self.bridge)
        for peer in self.peers:
            _run("ip", "addr", "add", f"{peer}/24", "dev", self.bridge)
        _run("ip", "link", "set", self.bridge, "up")
        _run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "opskit-fleet-test", "-f", str(self.key))
        shutil.copy(self.key.with_suffix(".pub"), self.directory / "authorized_keys")
        Path("/run/sshd").mkdir(mode=0o755, exist_ok=True)  # sshd's privilege separation directory
        for index in range(count):
            self._add_host(index)
        for host in self.hosts:
            self._wait_for_ssh(host)
        return self

    def _add_host(self, index: int) -> Host:
        host = Host(f"h{index}", f"okf{self.tag}-h{index}", f"10.213.{self.subnet}.{10 + index}")
        self.hosts.append(host)  # before anything is made for it, so close() removes whatever was
        outside, inside = f"okf{self.tag}v{index}", f"okf{self.tag}i{index}"
        _run("ip", "netns", "add", host.netns)
        _run("ip", "link", "add", outside, "type", "veth", "peer", "name", inside)
        _run("ip", "link", "set", outside, "master", self.bridge)
        _run("ip", "link", "set", outside, "up")
        _run("ip", "link", "set", inside, "netns", host.netns)
        # `ip netns exec` bind-mounts /etc/netns/<name>/* over /etc: the host's own resolv.conf (its sshd,
        # hence every module, resolves through the lab's resolver at .1, which tests may start)
        if not Path("/etc/netns").exists():
            self.made_etc_netns = True
        etc = Path("/etc/netns") / host.netns
        etc.mkdir(parents=True, exist_ok=True)
        (etc / "resolv.conf").write_text(f"nameserver {self.controller}\noptions timeout:1 attempts:1\n")
        in_ns = ("ip", "netns", "exec", host.netns)
        _run(*in_ns, "ip", "link", "set", "lo", "up")
        _run(*in_ns, "ip", "link", "set", inside, "name", "eth0")
        _run(*in_ns, "ip", "addr", "add", f"{host.address}/24", "dev", "eth0")
        _run(*in_ns, "ip", "link", "set", "eth0", "up")
        home = self.directory / host.name
        home.mkdir()
        host_key = home / "ssh_host_ed25519_key"
        _run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(host_key))
        config = home / "sshd_config"
        config.write_text(
            SSHD_CONFIG.format(
                address=host.address,
                host_key=host_key,
                pid_file=home / "sshd.pid",
                authorized_keys=self.directory / "authorized_keys",
            )
        )
        host.sshd = subprocess.Popen(
            [*in_ns, "/usr/sbin/sshd", "-D", "-e", "-f", str(config)],
            stdout=subprocess.DEVNULL,
            stderr=open(home / "sshd.log", "wb"),  # noqa: SIM115 - the child keeps it
        )
        host.service = subprocess.Popen(
            [*in_ns, sys.executable, "-c", SERVICE_SCRIPT, str(SERVICE_PORT)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
        )
        assert host.service.stdout is not None
        if host.service.stdout.readline().strip() != b"ready":
            raise RuntimeError(f"{host.name}: the test service did not start")
        return host

    def _wait_for_ssh(self, host: Host) -> None:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            probe = _run("ip", "netns", "exec", host.netns, "ss", "-Htln", "sport = :22", check=False)
            if host.address in probe.stdout:
                return
            if host.sshd is not None and host.sshd.poll() is not None:
                break
            time.sleep(0.05)
        log = (self.directory / host.name / "sshd.log").read_text(errors="replace")
        raise RuntimeError(f"{host.name}: sshd did not start: {log}")

    # --- sessions --------------------------------------------------------------------------------

    def connect_clients(
        self, per_peer: int, hosts: list[Host] | None = None, peers: list[str] | None = None
    ) -> Clients:
        """Open ``per_peer`` sessions from each peer to each host's service; held until closed."""
        raise_fd_limit(len(hosts or self.hosts) * len(peers or self.peers) * per_peer + 1024)
        process = subprocess.Popen(
            [
                sys.executable,
                "-c",
                CLIENTS_SCRIPT,
                str(SERVICE_PORT),
                str(per_peer),
                ",".join(h.address for h in hosts or self.hosts),
                ",".join(peers or self.peers),
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        clients = Clients(process)
        self.clients.append(clients)
        assert process.stdout is not None
        if process.stdout.readline().strip() != "ready":
            raise RuntimeError("the test clients did not connect")
        expected = per_peer * len(peers or self.peers)
        for host in hosts or self.hosts:  # accepted on the server side before anyone counts them
            deadline = time.monotonic() + 10
            while len(self.established(host, SERVICE_PORT)) < expected and time.monotonic() < deadline:
                time.sleep(0.02)
        return clients

    def established(self, host: Host, port: int) -> list[tuple[str, str]]:
        """(local, peer) of the established sessions on ``port`` inside the host, as `ss` lists them."""
        listed = _run("ip", "netns", "exec", host.netns, "ss", "-Htn", "state", "established", f"sport = :{port}")
        pairs = []
        for line in listed.stdout.splitlines():
            fields = line.split()
            if len(fields) >= 4:
                pairs.append((fields[2], fields[3]))
        return pairs

    def peers_on(self, host: Host, port: int = SERVICE_PORT) -> dict[str, int]:
        """Session count per peer address on ``port`` inside the host."""
        counts: dict[str, int] = {}
        for _, peer in self.established(host, port):
            address = peer.rsplit(":", 1)[0]
            counts[address] = counts.get(address, 0) + 1
        return counts

    # --- Ansible ---------------------------------------------------------------------------------

    def write_ansible_config(self, forks: int = 20) -> Path:
        """ansible.cfg for runs against the lab: pipelining, forks, multiplexed SSH with its sockets in
        the lab directory (closed at teardown), the lab's key, this venv's Python on every host."""
        control = self.directory / "cp"
        control.mkdir(exist_ok=True)
        config = self.directory / "ansible.cfg"
        config.write_text(
            "[defaults]\n"
            f"forks = {forks}\n"
            "host_key_checking = False\n"
            "gathering = explicit\n"
            "retry_files_enabled = False\n"
            f"private_key_file = {self.key}\n"
            f"local_tmp = {self.directory / 'ansible-local'}\n"
            "remote_tmp = /tmp/.opskit-fleet-test-ansible\n"
            "[ssh_connection]\n"
            "pipelining = True\n"
            f"control_path_dir = {control}\n"
            "ssh_args = -o ControlMaster=auto -o ControlPersist=120s -o UserKnownHostsFile=/dev/null "
            "-o StrictHostKeyChecking=no -o IdentitiesOnly=yes -o LogLevel=ERROR\n"
        )
        return config

    def inventory(
        self,
        overrides: dict[str, dict[str, str]] | None = None,
        *,
        hosts: list[Host] | None = None,
        group: str = "edges",
    ) -> str:
        """An INI inventory of the lab's hosts; ``overrides`` adds or replaces host variables."""
        lines = [f"[{group}]"]
        for host in self.hosts if hosts is None else hosts:
            variables = {
                "ansible_host": host.address,
                "ansible_user": "root",
                "ansible_python_interpreter": sys.executable,
                **(overrides or {}).get(host.name, {}),
            }
            lines.append(host.name + " " + " ".join(f"{k}={v}" for k, v in variables.items()))
        return "\n".join(lines) + "\n"

    def inventory_json(self, hostvars: dict[str, dict[str, object]], group: str = "edges") -> str:
        """A YAML (JSON) inventory of the named hosts with structured variables."""
        import json

        by_name = {h.name: h for h in self.hosts}
        hosts = {
            name: {
                "ansible_host": by_name[name].address,
                "ansible_user": "root",
                "ansible_python_interpreter": sys.executable,
                **variables,
            }
            for name, variables in hostvars.items()
        }
        return json.dumps({group: {"hosts": hosts}})

    def unprivileged_python(self) -> Path:
        """An interpreter that runs this venv's Python with every capability dropped (still uid 0, like a
        container without NET_ADMIN): a host where the module lacks the privilege to cut. (Another uid
        cannot run this venv: its Python lives under /root, mode 0700.)"""
        wrapper = self.directory / "python-without-capabilities"
        wrapper.write_text(f'#!/bin/sh\nexec setpriv --inh-caps=-all --bounding-set=-all {sys.executable} "$@"\n')
        wrapper.chmod(0o755)
        return wrapper

    def python_with_nsswitch(self, name: str, nsswitch: str) -> Path:
        """An interpreter that runs this venv's Python seeing its own /etc/nsswitch.conf (bind-mounted in a
        private mount namespace): a host whose name service is configured differently, e.g. one that never
        reads /etc/hosts. Everything the module starts (``haproxy -c`` included) inherits that view."""
        config = self.directory / f"nsswitch-{name}.conf"
        config.write_text(nsswitch)
        wrapper = self.directory / f"python-{name}"
        wrapper.write_text(
            "#!/bin/sh\n"
            "exec unshare --mount --propagation private -- "
            'sh -c \'mount --bind "$1" /etc/nsswitch.conf && shift && exec "$@"\' '
            f'lab-host {config} {sys.executable} "$@"\n'
        )
        wrapper.chmod(0o755)
        return wrapper

    # --- teardown --------------------------------------------------------------------------------

    def close_connections(self) -> None:
        """Ask each multiplexing SSH master Ansible left running to exit (the next run starts cold)."""
        control = self.directory / "cp"
        if control.is_dir():
            for socket_path in control.iterdir():
                _run("ssh", "-o", f"ControlPath={socket_path}", "-O", "exit", "lab", check=False)

    def close(self) -> None:
        for clients in self.clients:
            clients.close()
        self.close_connections()
        for host in self.hosts:
            for process in (host.service, host.sshd):
                if process is not None and process.poll() is None:
                    process.send_signal(signal.SIGTERM)
                    try:
                        process.wait(timeout=5)
                    except subprocess.TimeoutExpired:
                        process.kill()
                        process.wait()
            _run("ip", "netns", "del", host.netns, check=False)  # takes its end of the veth pair along
            shutil.rmtree(Path("/etc/netns") / host.netns, ignore_errors=True)
        if self.made_etc_netns:
            with contextlib.suppress(OSError):  # another lab (or someone else) uses it now
                Path("/etc/netns").rmdir()
        if self.bridge:
            _run("ip", "link", "del", self.bridge, check=False)
        shutil.rmtree(self.directory, ignore_errors=True)


def free_subnet() -> int:
    """A third octet N for 10.213.N.0/24 that no interface on this machine uses now."""
    used = _run("ip", "-o", "-4", "addr", "show").stdout
    for _ in range(100):
        candidate = 1 + secrets.randbelow(250)
        if f"10.213.{candidate}." not in used:
            return candidate
    raise RuntimeError("no free 10.213.N.0/24 subnet")


def start_lab(count: int) -> Lab:
    """Start ``count`` hosts; on any failure whatever was made is torn down before the error propagates."""
    tag = secrets.token_hex(2)
    # 0755 so an unprivileged module process (the no-privilege host) can read its own files
    directory = Path(tempfile.mkdtemp(prefix=f"opskit-fleet-{tag}-", dir="/tmp"))
    os.chmod(directory, 0o755)
    lab = Lab(directory, tag, free_subnet(), bridge=f"okf{tag}br")
    try:
        return lab.start(count)
    except BaseException:
        lab.close()
        raise
