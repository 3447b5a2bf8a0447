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
import struct
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from opskit.adapters.sock_diag import destroy, dump_tcp, open_diag_socket  # noqa: E402
from opskit.adapters.socket_owners import socket_owners  # noqa: E402
from opskit.app.sockets_cut import cut_sessions  # noqa: E402
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
        # Abort (RST) rather than close: a FIN would leave 5,000 TIME_WAIT sockets for 60 s, and
        # every later listing (ours and ss's) walks the kernel's hash table through all of them.
        linger = struct.pack("ii", 1, 0)
        for s in self.accepted:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, linger)
            s.close()
        self.listener.close()
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


@dataclass
class Contender:
    """One way of cutting (or one part of a cut), timed once per round on a fresh setup."""

    name: str
    action: Callable[[Sessions], tuple[float, int]]
    exact: bool = True  # ours must handle every session; the ss baselines are reported as they are
    times: list[float] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(self.times)


def run_round(contenders: list[Contender], sessions: int, peers: int) -> None:
    """Each contender once, back to back, so a change in machine load hits all of them alike."""
    for contender in contenders:
        setup = Sessions(sessions, peers)
        try:
            elapsed, done = contender.action(setup)
            left = len(_listed(setup)) if done != sessions else 0
        finally:
            setup.close()
        contender.times.append(elapsed)
        if done != sessions and contender.exact:
            raise SystemExit(f"{contender.name}: handled {done} of {sessions} sessions")
        if done != sessions:
            print(f"  note: {contender.name} printed {done} of {sessions} sessions; {left} still established after it")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
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

    n, p = args.sessions, args.peers
    print(f"{n} established sessions from {p} peers (127.0.9.x), {args.repeat} interleaved rounds")
    ours = Contender("cut_sessions (list+kill+verify)", _timed(run_ours))
    bare = Contender("one bare ss -K", _timed(run_bare), exact=False)
    per_peer = Contender(f"{p} x ss -K (per peer)", _timed(run_per_peer), exact=False)
    kernel = Contender("  kernel SOCK_DESTROY only", time_kernel_destroy)
    listing = Contender("  netlink listing only", time_listing)
    owners = Contender("  owner scan only", time_owner_scan)
    contenders = [ours, bare, per_peer, kernel, listing, owners]
    for _ in range(args.repeat):
        run_round(contenders, n, p)
    for contender in contenders:
        if contender is kernel:
            print("parts every single-call cut pays (each timed alone on a fresh setup):")
        runs = ", ".join(f"{t * 1000:.1f}" for t in contender.times)
        print(f"{contender.name:<32} median {contender.median * 1000:8.1f} ms   runs: {runs}")
    bare_ratio, speedup = ours.median / bare.median, per_peer.median / ours.median
    print(f"cut_sessions / bare ss -K  = {bare_ratio:5.2f}x   (target <= 2x)   {_verdict(bare_ratio <= 2)}")
    print(f"per-peer / cut_sessions    = {speedup:5.2f}x   (target >= 10x)  {_verdict(speedup >= 10)}")
    # Destroying the sockets is kernel work every approach pays once: these bound the ratio above.
    slow = per_peer.median
    floor = kernel.median + listing.median + owners.median
    print(f"per-peer / bare ss -K      = {slow / bare.median:5.2f}x   (what ss -K itself reaches)")
    print(f"per-peer / kernel destroy  = {slow / kernel.median:5.2f}x   (ceiling: a tool that only destroys)")
    print(f"per-peer / (destroy+list+owners) = {slow / floor:5.2f}x   (ceiling with listing and owner proof)")


def _verdict(met: bool) -> str:
    return "PASS" if met else "MISS"


if __name__ == "__main__":
    main()
