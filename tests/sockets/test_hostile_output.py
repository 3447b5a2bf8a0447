"""/proc/PID/comm is chosen by whoever starts the process: `sockets list` shows it, never obeys it."""

from __future__ import annotations

import socket
import subprocess
import sys
from typing import Any

from tests.support.hostile import terminal_safe

# Renames itself with prctl(PR_SET_NAME) (comm holds 15 bytes), listens on loopback, prints its port.
_RENAMED_SERVER = r"""
import ctypes, socket, sys
name = b"[red]\x1b[2J\xe2\x80\xae"
ctypes.CDLL(None).prctl(15, ctypes.c_char_p(name), 0, 0, 0)
listener = socket.socket()
listener.bind(("127.0.0.1", 0))
listener.listen(4)
print(listener.getsockname()[1], flush=True)
conn, _ = listener.accept()
sys.stdin.read()
"""


def test_a_process_name_with_markup_and_escapes_is_shown_not_obeyed(cli: Any) -> None:
    server = subprocess.Popen(
        [sys.executable, "-c", _RENAMED_SERVER], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert server.stdout is not None
        port = int(server.stdout.readline())
        with socket.create_connection(("127.0.0.1", port), timeout=3):
            result = cli(["sockets", "list", "--port", str(port)])
        assert result.exit_code == 0, result.stderr
        assert terminal_safe(result.stdout), repr(result.stdout)
        assert "[red]\\x1b[2J\\u202e" in result.stdout, result.stdout
    finally:
        server.kill()
        server.wait(timeout=5)
