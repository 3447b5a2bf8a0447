"""A real dnsmasq for tests: answers A records from one hosts file on 127.0.0.1, nothing else.

It reads no /etc/resolv.conf and no /etc/hosts and forwards nothing; SIGHUP re-reads the file, which
is how a test plays "the Service now points at another Pod".
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from tests.support.ports import free_port


@dataclass
class Dnsmasq:
    """dnsmasq on 127.0.0.1:``port`` (UDP and TCP), answering from ``prefix``/dns-hosts with TTL 1."""

    binary: str
    prefix: Path  # 0755: dnsmasq drops to nobody and must read the hosts file
    port: int = 0
    process: subprocess.Popen[bytes] | None = None

    @property
    def hosts_file(self) -> Path:
        return self.prefix / "dns-hosts"

    def start(self, records: dict[str, str]) -> None:
        """Answer ``records`` (name → IPv4 address) from now on."""
        self.write(records)
        self.port = free_port("127.0.0.1", udp=True)
        self.process = subprocess.Popen(
            [
                self.binary,
                "-k",
                "-C",
                "/dev/null",
                "--no-resolv",
                "--no-hosts",
                "--bind-interfaces",
                "--listen-address=127.0.0.1",
                f"--port={self.port}",
                f"--addn-hosts={self.hosts_file}",
                "--local-ttl=1",
                f"--pid-file={self.prefix}/dnsmasq.pid",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        time.sleep(0.2)
        if self.process.poll() is not None:
            stderr = self.process.stderr.read().decode() if self.process.stderr else ""
            raise RuntimeError(f"dnsmasq did not start: {stderr}")

    def write(self, records: dict[str, str]) -> None:
        """Replace the hosts file atomically (dnsmasq may be reading it)."""
        text = "".join(f"{address} {name}\n" for name, address in sorted(records.items()))
        temporary = self.hosts_file.with_suffix(".tmp")
        temporary.write_text(text)
        os.chmod(temporary, 0o644)
        os.replace(temporary, self.hosts_file)

    def change(self, records: dict[str, str]) -> None:
        """Replace every record and make dnsmasq re-read them (SIGHUP re-reads --addn-hosts)."""
        self.write(records)
        assert self.process is not None
        self.process.send_signal(signal.SIGHUP)

    def wait_until_answers(self, name: str, address: str, timeout: float = 5.0) -> None:
        """Return once ``name`` resolves to exactly ``address`` here (after a start or a change)."""
        import dns.resolver

        resolver = dns.resolver.Resolver(configure=False)
        resolver.nameservers = ["127.0.0.1"]
        resolver.port = self.port
        resolver.lifetime = 0.5
        deadline = time.monotonic() + timeout
        while True:
            try:
                if [r.to_text() for r in resolver.resolve(name, "A")] == [address]:
                    return
            except Exception:  # noqa: BLE001 (not ready yet: refused, timeout, NXDOMAIN)
                pass
            if time.monotonic() > deadline:
                raise TimeoutError(f"dnsmasq did not answer {name} -> {address}")
            time.sleep(0.05)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


@contextmanager
def dnsmasq_running(binary: str, prefix: Path, records: dict[str, str]) -> Iterator[Dnsmasq]:
    """``Dnsmasq.start`` … ``stop`` as a ``with`` block."""
    server = Dnsmasq(binary, prefix)
    server.start(records)
    try:
        yield server
    finally:
        server.stop()
