"""Benchmark: cut 5,000 established sessions from 50 peers with one `cut_sessions` call.

Baselines measured in the same run, on the same kind of fresh setup:
  * one bare `ss -K` with the equivalent server-side filter (what a careful human would type), and
  * one `ss -K` per peer (what a naive loop over the peer list does).
Targets: cut_sessions ≤ 2× the bare call (it also lists before and after, with owners, to prove the
result) and ≥ 10× faster than per-peer calls. Needs root (ss -K). Loopback aliases only.

Also measured, each on its own fresh setup, the parts no single-call tool can skip: the kernel's
own SOCK_DESTROY work for the 5,000 listed sockets (a netlink destroy timed alone), one netlink
listing, and the owner scan. They show how far the ≥ 10× target is from what is physically possible.

    sudo .venv/bin/python bench/sockets.py [--sessions 5000] [--peers 50] [--repeat 3]
"""

from __future__ import annotations

import argparse
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from opskit.adapters.sock_diag import destroy, dump_tcp, open_diag_socket  # noqa: E402
from opskit.adapters.socket_owners import socket_owners  # noqa: E402
from opskit.adapters.sockets import cut_sessions  # noqa: E402
from opskit.core.sockets import SessionFilter  # noqa: E402
from opskit.core.sockets.diag import DiagSocket, state_mask  # noqa: E402
from opskit.core.sockets.matching import select_by_address  # noqa: E402
from opskit.core.sockets.validate import validate_filter  # noqa: E402

# The clients live in a child process, as remote machines would: the server process (this one) then
# holds only its own 5,000 accepted sockets, like a real Headscale or proxy would.
CLIENTS_SCRIPT = r"""
import socket, sys
port, per_peer, peers = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3:]
clients = []
for peer in peers:
    for _ in range(per_peer):
        client = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        client.bind((peer, 0))
        client.connect(("127.0.0.1", port))
        clients.append(client)
print("ready", flush=True)
sys.stdin.read()
"""


class Sessions:
    """A listening socket on 127.0.0.1:0 and N established sessions from P loopback aliases."""

    def __init__(self, sessions: int, peers: int) -> None:
        self.listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(4096)
        self.port = self.listener.getsockname()[1]
        self.peers = [f"127.0.9.{i}" for i in range(1, peers + 1)]
        per_peer = sessions // peers
        self.clients = subprocess.Popen(
            [sys.executable, "-c", CLIENTS_SCRIPT, str(self.port), str(per_peer), *self.peers],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            preexec_fn=_raise_fd_limit,
        )
        self.accepted = [self.listener.accept()[0] for _ in range(per_peer * peers)]
        assert self.clients.stdout is not None and self.clients.stdout.readline().strip() == "ready"

    def close(self) -> None:
        for s in [*self.accepted, self.listener]:
            s.close()
        self.clients.kill()
        self.clients.wait()


def _raise_fd_limit() -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


def server_filter(setup: Sessions, peers: list[str]) -> str:
    return f"( sport = :{setup.port} and ( " + " or ".join(f"dst {p}/32" for p in peers) + " ) )"


def run_ours(setup: Sessions) -> int:
    report = cut_sessions(SessionFilter(local_port=setup.port, peers=tuple(setup.peers)), yes=True)
    assert report.ok, report.problem
    return len(report.cut)


def run_bare(setup: Sessions) -> int:
    done = subprocess.run(
        ["ss", "-K", "-tnH", "state", "established", server_filter(setup, setup.peers)],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return len(done.stdout.splitlines())


def run_per_peer(setup: Sessions) -> int:
    killed = 0
    for peer in setup.peers:
        done = subprocess.run(
            ["ss", "-K", "-tnH", "state", "established", server_filter(setup, [peer])],
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )
        killed += len(done.stdout.splitlines())
    return killed


def _listed(setup: Sessions) -> list[DiagSocket]:
    """The server side of the setup's sessions (a client socket may share the port number on 127.0.9.x)."""
    flt = validate_filter(SessionFilter(local_port=setup.port, peers=tuple(setup.peers)), for_kill=True)
    with open_diag_socket() as diag:
        return select_by_address(dump_tcp(diag, state_mask(["established"]), setup.port), flt)


def time_kernel_destroy(setup: Sessions) -> tuple[float, int]:
    """The kernel's own work: SOCK_DESTROY for the already listed sockets, nothing else timed."""
    listed = _listed(setup)
    with open_diag_socket() as diag:
        start = time.perf_counter()
        errors = destroy(diag, listed)
        elapsed = time.perf_counter() - start
    return elapsed, len(listed) - len(errors)


def time_listing(setup: Sessions) -> tuple[float, int]:
    """One netlink dump of the port's established sockets, parsed."""
    start = time.perf_counter()
    listed = _listed(setup)
    return time.perf_counter() - start, len(listed)


def time_owner_scan(setup: Sessions) -> tuple[float, int]:
    """Finding the owning process of every listed socket."""
    listed = _listed(setup)
    start = time.perf_counter()
    owners = socket_owners({d.inode for d in listed}, {d.uid for d in listed})
    return time.perf_counter() - start, len(owners)


def _timed(action: Callable[[Sessions], int]) -> Callable[[Sessions], tuple[float, int]]:
    def run(setup: Sessions) -> tuple[float, int]:
        start = time.perf_counter()
        done = action(setup)
        return time.perf_counter() - start, done

    return run


def measure(
    name: str,
    action: Callable[[Sessions], tuple[float, int]],
    sessions: int,
    peers: int,
    repeat: int,
    *,
    exact: bool = True,
) -> float:
    times = []
    for _ in range(repeat):
        setup = Sessions(sessions, peers)
        try:
            elapsed, done = action(setup)
            times.append(elapsed)
        finally:
            setup.close()
        if done != sessions and exact:
            raise SystemExit(f"{name}: handled {done} of {sessions} sessions")
        if done != sessions:
            # Seen once while this was written (bare ss -K printed 4,999 of 5,000; not reproduced in
            # 12 further runs, cause not established). The baselines are reported, not judged.
            print(f"  note: {name} cut {done} of {sessions} sessions in one run")
    median = statistics.median(times)
    print(f"{name:<28} median {median * 1000:8.1f} ms   runs: " + ", ".join(f"{t * 1000:.1f}" for t in times))
    return median


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sessions", type=int, default=5000)
    parser.add_argument("--peers", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    if shutil.which("ss") is None:
        raise SystemExit("ss (iproute2) is required")
    # One descriptor per session in this process (and in the clients' child); the soft limit is 1024.
    _raise_fd_limit()
    if resource.getrlimit(resource.RLIMIT_NOFILE)[0] < args.sessions + 100:
        raise SystemExit(f"RLIMIT_NOFILE hard limit is below {args.sessions + 100}")

    print(
        f"{args.sessions} established sessions from {args.peers} peers (127.0.9.x), {args.repeat} runs each"
    )
    n, p, r = args.sessions, args.peers, args.repeat
    ours = measure("cut_sessions (list+kill+verify)", _timed(run_ours), n, p, r)
    bare = measure("one bare ss -K", _timed(run_bare), n, p, r, exact=False)
    per_peer = measure(f"{p} x ss -K (per peer)", _timed(run_per_peer), n, p, r, exact=False)
    print("parts every single-call cut pays (each timed alone on a fresh setup):")
    kernel = measure("  kernel SOCK_DESTROY only", time_kernel_destroy, n, p, r)
    listing = measure("  netlink listing only", time_listing, n, p, r)
    owners = measure("  owner scan only", time_owner_scan, n, p, r)
    bare_ratio, speedup = ours / bare, per_peer / ours
    print(f"cut_sessions / bare ss -K  = {bare_ratio:5.2f}x   (target <= 2x)   {_verdict(bare_ratio <= 2)}")
    print(f"per-peer / cut_sessions    = {speedup:5.2f}x   (target >= 10x)  {_verdict(speedup >= 10)}")
    # Destroying the sockets is kernel work every approach pays once: these bound the ratio above.
    print(f"per-peer / bare ss -K      = {per_peer / bare:5.2f}x   (what ss -K itself reaches)")
    print(f"per-peer / kernel destroy  = {per_peer / kernel:5.2f}x   (ceiling: a tool that only destroys)")
    floor = kernel + listing + owners
    print(f"per-peer / (destroy+list+owners) = {per_peer / floor:5.2f}x   (ceiling with listing and owner proof)")


def _verdict(met: bool) -> str:
    return "PASS" if met else "MISS"


if __name__ == "__main__":
    main()
