"""`--netns PID`: cut a session that exists only inside another network namespace (like a container)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from opskit.app.sockets_cut import cut_sessions, list_sessions
from opskit.core.sockets import SessionFilter
from tests.support.tools import require_binary, require_root

pytestmark = pytest.mark.integration

# Runs inside a fresh network namespace: server + two clients on its own loopback; reports resets.
INSIDE = r"""
import json, socket, sys
srv = socket.socket(); srv.bind(("127.0.0.1", 0)); srv.listen(8)
port = srv.getsockname()[1]
target = socket.socket(); target.bind(("127.0.0.2", 0)); target.connect(("127.0.0.1", port))
bystander = socket.socket(); bystander.bind(("127.0.0.3", 0)); bystander.connect(("127.0.0.1", port))
held = [srv.accept()[0], srv.accept()[0]]
print(json.dumps({"port": port}), flush=True)
sys.stdin.readline()
def state(client):
    client.settimeout(2)
    try:
        client.sendall(b"x")
        return "reset" if client.recv(1) == b"" else "alive"
    except (ConnectionResetError, BrokenPipeError):
        return "reset"
    except socket.timeout:
        return "alive"  # nobody echoes; still connected
print(json.dumps({"target": state(target), "bystander": state(bystander)}), flush=True)
"""


def test_cut_inside_another_network_namespace() -> None:
    require_root("unshare -n and ss -K need root")
    unshare = require_binary("unshare", "apt-get install -y util-linux")
    ip = require_binary("ip", "apt-get install -y iproute2")
    require_binary("nsenter", "apt-get install -y util-linux")
    require_binary("ss", "apt-get install -y iproute2")
    bring_lo_up_then_run = f'"{ip}" link set lo up && exec "$0" -c "$1"'
    inside = subprocess.Popen(
        [unshare, "-n", "--", "sh", "-c", bring_lo_up_then_run, sys.executable, INSIDE],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert inside.stdout is not None and inside.stdin is not None
        port = json.loads(inside.stdout.readline())["port"]
        flt = SessionFilter(local_port=port, peers=("127.0.0.2",))

        # From the host namespace the session is invisible; inside it is there.
        assert cut_sessions(flt, yes=False).matched == ()
        assert [s.peer_ip for s in list_sessions(flt, netns_pid=inside.pid)] == ["127.0.0.2"]
        report = cut_sessions(flt, yes=True, netns_pid=inside.pid)

        inside.stdin.write("go\n")
        inside.stdin.flush()
        states = json.loads(inside.stdout.readline())
    finally:
        inside.kill()
        inside.wait(timeout=5)
    assert report.ok and [s.peer_ip for s in report.cut] == ["127.0.0.2"]
    assert report.cut[0].pid == inside.pid  # the server inside the namespace owned it
    assert states == {"target": "reset", "bystander": "alive"}
