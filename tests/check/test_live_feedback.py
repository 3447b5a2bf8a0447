"""Live feedback: independent checks run at once, progress on a terminal only, causes named, Ctrl-C keeps
the measurement.

The servers are real loopback sockets: a "hung" port accepts and never answers, a closed port refuses.
Concurrency is asserted on the order of events the server saw (every entry connected before the first
gave up), never on wall-clock time.
"""

from __future__ import annotations

import json
import os
import pty
import selectors
import signal
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.support.ports import free_port

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]
ERASE = b"\r\x1b[K"


class HungServer:
    """Loopback listeners that accept every connection, read what arrives, and never answer.

    ``events`` records ("accept", port), ("data", port) and ("gone", port) in the order they happened; "data" is a
    connection's first bytes (the client has connected and started its request), "gone" is the client closing its
    side (it gave up at its timeout, or the probe stopped).
    """

    def __init__(self, count: int) -> None:
        self.events: list[tuple[str, int]] = []
        self.listeners: list[socket.socket] = []
        self.selector = selectors.DefaultSelector()
        self.stopping = False
        for _ in range(count):
            listener = socket.create_server(("127.0.0.1", 0), backlog=128)
            listener.setblocking(False)
            self.listeners.append(listener)
            self.selector.register(listener, selectors.EVENT_READ, ("listener", listener.getsockname()[1]))
        self.condition = threading.Condition()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    @property
    def ports(self) -> list[int]:
        return [listener.getsockname()[1] for listener in self.listeners]

    def _record(self, kind: str, port: int) -> None:
        with self.condition:
            self.events.append((kind, port))
            self.condition.notify_all()

    def _serve(self) -> None:
        held: list[socket.socket] = []
        talked: set[socket.socket] = set()
        while not self.stopping:
            for key, _ in self.selector.select(0.05):
                role, port = key.data
                if role == "listener":
                    try:
                        conn, _ = key.fileobj.accept()  # type: ignore[union-attr]
                    except BlockingIOError:
                        continue
                    conn.setblocking(False)
                    held.append(conn)
                    self.selector.register(conn, selectors.EVENT_READ, ("conn", port))
                    self._record("accept", port)
                    continue
                try:
                    data = key.fileobj.recv(65536)  # type: ignore[union-attr]
                except BlockingIOError:
                    continue
                except OSError:
                    data = b""
                if data and key.fileobj not in talked:
                    talked.add(key.fileobj)  # type: ignore[arg-type]
                    self._record("data", port)
                if not data:
                    self.selector.unregister(key.fileobj)
                    key.fileobj.close()  # type: ignore[union-attr]
                    self._record("gone", port)
        for conn in held:
            conn.close()

    def wait_for(self, kind: str, count: int, timeout: float = 30) -> None:
        with self.condition:
            ok = self.condition.wait_for(lambda: sum(1 for k, _ in self.events if k == kind) >= count, timeout)
        assert ok, f"server saw {self.events}"

    def stop(self) -> None:
        self.stopping = True
        self.thread.join(5)
        for listener in self.listeners:
            listener.close()
        self.selector.close()


@pytest.fixture
def hung() -> Iterator[Any]:
    servers: list[HungServer] = []

    def start(count: int) -> HungServer:
        server = HungServer(count)
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


def test_three_hung_entries_are_checked_at_once_not_one_after_another(cli: Any, hung: Any) -> None:
    server = hung(3)
    urls = [f"http://127.0.0.1:{port}" for port in server.ports]
    result = cli(["check", "harbor", *urls, "--timeout", "1", "--format", "json"])
    assert result.exit_code == 1
    first_gone = next(i for i, (kind, _) in enumerate(server.events) if kind == "gone")
    connected_before = {port for kind, port in server.events[:first_gone] if kind == "accept"}
    assert connected_before == set(server.ports), server.events  # all three waited together
    entries = json.loads(result.stdout)["entries"]
    assert [e["url"] for e in entries] == urls  # input order, whatever finished first
    v2 = next(c for c in entries[0]["checks"] if c["id"] == "v2")
    assert "no answer within the timeout" in v2["explanation"]


def test_closed_port_is_explained_as_connection_refused(cli: Any) -> None:
    port = free_port()  # bound and released: nothing listens there
    result = cli(["check", "harbor", f"http://127.0.0.1:{port}", "--format", "json"])
    assert result.exit_code == 1
    checks = {c["id"]: c for c in json.loads(result.stdout)["entries"][0]["checks"]}
    for check_id in ("v2", "ping"):
        assert "connection refused" in checks[check_id]["explanation"], checks[check_id]
        assert f"127.0.0.1:{port}" in checks[check_id]["explanation"]
    assert "does not reach it" not in json.dumps(checks)


def _run_with_terminal_stderr(args: list[str], timeout: float = 60) -> tuple[int, bytes, bytes]:
    """Run opskit with stderr on a pseudo-terminal (stdout piped); returns exit code, stdout, terminal bytes."""
    master, slave = pty.openpty()
    env = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1"}
    process = subprocess.Popen(
        [sys.executable, "-m", "opskit", *args], stdout=subprocess.PIPE, stderr=slave, cwd=ROOT, env=env
    )
    os.close(slave)
    seen = bytearray()
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not chunk:
            break
        seen += chunk
    os.close(master)
    stdout = process.stdout.read() if process.stdout else b""
    return process.wait(timeout), stdout, bytes(seen)


def test_check_harbor_shows_progress_on_a_terminal_and_nothing_in_json_or_pipes(hung: Any) -> None:
    server = hung(1)
    url = f"http://127.0.0.1:{server.ports[0]}"
    code, stdout, terminal = _run_with_terminal_stderr(["check", "harbor", url, "--timeout", "1"])
    assert code == 1
    assert f"checking 0/1 done: {url}".encode() in terminal
    assert b"checking 1/1 done" in terminal
    assert terminal.endswith(ERASE)  # the line is erased before the report
    assert url.encode() in stdout and ERASE not in stdout

    code, stdout, terminal = _run_with_terminal_stderr(["check", "harbor", url, "--timeout", "1", "--format", "json"])
    assert code == 1 and terminal == b""
    json.loads(stdout)

    piped = subprocess.run(
        [sys.executable, "-m", "opskit", "check", "harbor", url, "--timeout", "1"],
        capture_output=True,
        cwd=ROOT,
        timeout=60,
    )
    assert piped.returncode == 1 and piped.stderr == b""


def test_lint_names_its_phases_on_a_terminal(tmp_path: Path) -> None:
    config = tmp_path / "site.conf"
    config.write_text("server {\n    listen 80;\n    location / { return 200; }\n}\n" * 200)
    code, stdout, terminal = _run_with_terminal_stderr(["lint", str(config)])
    assert code == 0, stdout
    assert f"reading {config}".encode() in terminal
    assert f"parsing {config} (0.0 MB)".encode() in terminal
    assert b"rules over 1 file(s)" in terminal
    code, _, terminal = _run_with_terminal_stderr(["lint", "--format", "json", str(config)])
    assert code == 0 and terminal == b""


def test_ctrl_c_during_probe_prints_the_partial_result_and_exits_130(hung: Any) -> None:
    server = hung(1)
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "opskit",
            "probe",
            "slowloris",
            f"http://127.0.0.1:{server.ports[0]}/",
            "--connections",
            "4",
            "--interval",
            "1",
            "--max-seconds",
            "120",
            "--format",
            "json",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=ROOT,
        text=True,
    )
    try:
        # every connection is open, held by the server, and has sent its first bytes: the probe has counted it as
        # connected (an accept alone can precede the client's own bookkeeping on a loaded machine)
        server.wait_for("data", 4)
        process.send_signal(signal.SIGINT)
        stdout, stderr = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 130, stderr
    report = json.loads(stdout)
    assert report["interrupted"] is True
    assert report["verdict"] == "inconclusive"
    assert report["endings"]["held"] == 4
    assert "interrupted after" in report["summary"] and "4 still open" in report["summary"]
    assert all(c["connected_at"] is not None for c in report["per_connection"])
    server.wait_for("gone", 4)  # and it closed what it held


class BarrierDns:
    """A loopback DNS server that answers nothing until ``expected`` distinct questions are waiting.

    Asked one after another, the first question times out before the second is sent, so nothing ever
    gets an answer; asked at once, every question is answered.
    """

    def __init__(self, expected: int) -> None:
        self.expected = expected
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.settimeout(0.1)
        self.port = self.sock.getsockname()[1]
        self.waiting: dict[tuple[str, int], tuple[Any, tuple[str, int]]] = {}
        self.stopping = False
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        import dns.message
        import dns.rdatatype
        import dns.rrset

        released = False
        while not self.stopping:
            try:
                data, peer = self.sock.recvfrom(4096)
            except TimeoutError:
                continue
            query = dns.message.from_wire(data)
            question = query.question[0]
            self.waiting[(str(question.name), question.rdtype)] = (query, peer)
            if released or len(self.waiting) >= self.expected:
                released = True
                for (name, rdtype), (pending, to) in list(self.waiting.items()):
                    response = dns.message.make_response(pending)
                    if rdtype == dns.rdatatype.A:
                        response.answer.append(dns.rrset.from_text(name, 30, "IN", "A", "127.0.0.7"))
                    self.sock.sendto(response.to_wire(), to)
                self.waiting.clear()

    def stop(self) -> None:
        self.stopping = True
        self.thread.join(5)
        self.sock.close()


def test_resolver_questions_are_asked_at_once(cli: Any) -> None:
    names = ["one.example.test", "two.example.test", "three.example.test"]
    server = BarrierDns(expected=len(names) * 2)  # A and AAAA each
    try:
        result = cli(
            [
                "check",
                "resolver",
                *names,
                "--nameserver",
                f"127.0.0.1:{server.port}",
                "--timeout",
                "5",
                "--format",
                "json",
            ]
        )
    finally:
        server.stop()
    document = json.loads(result.stdout)
    answered = [a for a in document["names"] if a["type"] == "A"]
    assert [a["name"] for a in answered] == names  # input order
    assert all(a["records"] == ["127.0.0.7"] for a in answered), document["names"]
