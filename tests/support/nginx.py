"""A real nginx for tests: in the foreground, every path inside its own prefix, stopped by its handle.

The prefix comes from ``public_prefix`` (0755 under /tmp): nginx workers drop to ``nobody`` and cannot
enter pytest's 0700 ``tmp_path``.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from tests.support.ports import wait_for_port

TEMP_DIRECTORIES = ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")

# Private mount namespace whose /etc/hosts is ours: nginx resolves literal upstream names at start-up
# with the system resolver, so a test gives this nginx alone a hosts file and no query leaves the box.
_WITH_HOSTS = 'mount --bind "$1" /etc/hosts && shift && exec "$@"'


def public_prefix(name: str = "opskit-test-") -> Path:
    """A fresh 0755 directory under /tmp (server workers running as nobody must enter it)."""
    prefix = Path(tempfile.mkdtemp(prefix=name, dir="/tmp"))
    prefix.chmod(0o755)
    return prefix


def remove_prefix(prefix: Path) -> None:
    shutil.rmtree(prefix, ignore_errors=True)


def nginx_main_conf(prefix: Path, http_body: str, log_level: str = "info") -> str:
    """A complete nginx.conf with every path inside ``prefix`` and ``http_body`` inside http{}."""
    temps = "".join(f"    {name}_temp_path {prefix}/{name};\n" for name in TEMP_DIRECTORIES)
    return (
        f"pid {prefix}/nginx.pid;\nerror_log {prefix}/error.log {log_level};\nworker_processes 1;\n"
        "events { worker_connections 256; }\n"
        "http {\n    access_log off;\n" + temps + http_body + "\n}\n"
    )


@dataclass
class Nginx:
    """nginx in the foreground (``daemon off``) with its own prefix; optionally its own /etc/hosts."""

    binary: str
    prefix: Path
    process: subprocess.Popen[bytes] | None = None

    @property
    def error_log(self) -> Path:
        return self.prefix / "error.log"

    def start(self, conf_text: str, wait_address: str, wait_port: int, hosts_file: Path | None = None) -> None:
        """Write ``conf_text`` as nginx.conf, start nginx, return once ``wait_address:wait_port`` accepts."""
        for name in TEMP_DIRECTORIES:
            (self.prefix / name).mkdir(mode=0o777, exist_ok=True)
            os.chmod(self.prefix / name, 0o777)
        conf = self.prefix / "nginx.conf"
        conf.write_text(conf_text)
        argv = [self.binary, "-p", f"{self.prefix}/", "-c", str(conf), "-e", str(self.error_log)]
        argv += ["-g", "daemon off;"]
        if hosts_file is not None:
            argv = ["unshare", "--mount", "--propagation", "private", "--", "sh", "-c", _WITH_HOSTS, "sh",
                    str(hosts_file), *argv]  # fmt: skip
        self.process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            wait_for_port(wait_address, wait_port, self.process, self.error_log)
        except RuntimeError as error:
            self.stop()
            raise RuntimeError(f"nginx did not start: {error}") from None

    def stop(self) -> None:
        """Fast shutdown (SIGTERM), then SIGKILL if it lingers."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


@contextmanager
def nginx_running(
    binary: str, prefix: Path, conf_text: str, host: str, port: int, hosts_file: Path | None = None
) -> Iterator[Nginx]:
    """``Nginx.start`` … ``stop`` as a ``with`` block."""
    nginx = Nginx(binary, prefix)
    nginx.start(conf_text, host, port, hosts_file)
    try:
        yield nginx
    finally:
        nginx.stop()
