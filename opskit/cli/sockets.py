"""`opskit sockets list|kill|explain`: find TCP sessions, cut them from the right side, prove it."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from opskit.cli.common import FormatOption, finish
from opskit.errors import COMMAND_LINE, ExitCode, InputError, Problem
from opskit.output.console import OutputFormat

if TYPE_CHECKING:  # the model is imported inside the commands, to keep start-up light
    from opskit.core.sockets.model import SessionFilter

group = typer.Typer(
    help="List and cut TCP sessions from this host's side (SOCK_DESTROY, as ss -K), and verify they are gone.",
    no_args_is_help=True,
)

PortOpt = Annotated[int | None, typer.Option("--port", "-p", help="Port on THIS host (a server's listen port).")]
LocalOpt = Annotated[str | None, typer.Option("--local", help="IP address on this host.")]
PeerOpt = Annotated[list[str] | None, typer.Option("--peer", help="IP or CIDR of the other side; repeatable.")]
PeersFileOpt = Annotated[Path | None, typer.Option("--peers-file", help="File with one IP or CIDR per line.")]
ProcessOpt = Annotated[str | None, typer.Option("--process", help="Owning process name.")]
PidOpt = Annotated[int | None, typer.Option("--pid", help="Owning process id.")]
StateOpt = Annotated[list[str] | None, typer.Option("--state", help="TCP state (default established); repeatable.")]
NetnsOpt = Annotated[int | None, typer.Option("--netns", help="Act in the network namespace of this PID.")]


def _build_filter(
    port: int | None,
    local: str | None,
    peers: list[str] | None,
    peers_file: Path | None,
    process: str | None,
    pid: int | None,
    states: list[str] | None,
    all_matching: bool,
    *,
    for_kill: bool,
    protected: tuple[tuple[str, int, str, int], ...] = (),
) -> SessionFilter:
    from opskit.app.sockets_cut import read_peers_file
    from opskit.core.sockets.model import SessionFilter

    if process is not None and pid is not None:
        raise InputError.option("--process/--pid", "give one of --process or --pid, not both")
    from opskit.core.sockets.validate import validate_filter

    all_peers = tuple(peers or ()) + (read_peers_file(peers_file) if peers_file else ())
    flt = SessionFilter(
        local_port=port,
        local_address=local,
        peers=all_peers,
        process=process,
        pid=pid,
        states=tuple(states) if states else ("established",),
        all_matching=all_matching,
        protected=protected,
    )
    try:  # validated here too (the adapters do it again), so errors name the flag the user typed
        validate_filter(flt, for_kill=for_kill)
    except InputError as error:
        problems = [_as_flag(problem) for problem in error.problems]
        raise InputError(str(problems[0]) if len(problems) == 1 else error.message, problems) from None
    return flt


# SessionFilter field -> the option that sets it, for error messages about the command line.
_FLAG_OF_FIELD = {
    "local_port": "--port",
    "local_address": "--local",
    "peers": "--peer",
    "pid": "--pid",
    "process": "--process",
    "states": "--state",
    "filter": "--port/--peer",
}


def _as_flag(problem: Problem) -> Problem:
    if problem.file is not None or problem.field not in _FLAG_OF_FIELD:
        return problem  # a peers file names its own file and line
    return Problem(COMMAND_LINE, None, _FLAG_OF_FIELD[problem.field], problem.problem)


@group.command("list")
def list_command(
    port: PortOpt = None,
    local: LocalOpt = None,
    peer: PeerOpt = None,
    peers_file: PeersFileOpt = None,
    process: ProcessOpt = None,
    pid: PidOpt = None,
    state: StateOpt = None,
    netns: NetnsOpt = None,
    output_format: FormatOption = OutputFormat.human,
) -> None:
    """List connected TCP sessions: local and peer address, state, owning process."""
    from opskit.app.sockets_cut import list_sessions
    from opskit.core.sockets.model import SessionListing
    from opskit.output.sockets import show

    flt = _build_filter(port, local, peer, peers_file, process, pid, state, False, for_kill=False)
    sessions = list_sessions(flt, netns_pid=netns)
    show(SessionListing(tuple(sessions)), output_format)
    finish(ExitCode.OK)


@group.command("kill")
def kill_command(
    port: PortOpt = None,
    local: LocalOpt = None,
    peer: PeerOpt = None,
    peers_file: PeersFileOpt = None,
    process: ProcessOpt = None,
    pid: PidOpt = None,
    state: StateOpt = None,
    netns: NetnsOpt = None,
    yes: Annotated[bool, typer.Option("--yes", help="Really cut; without it, a dry run.")] = False,
    all_matching: Annotated[
        bool,
        typer.Option(
            "--all-matching",
            help="Allow a filter with neither --port nor --peer, or a peer network broader than /16 "
            "(IPv4) or /48 (IPv6) without --port.",
        ),
    ] = False,
    include_my_ssh: Annotated[
        bool,
        typer.Option(
            "--include-my-ssh",
            help="Also cut the session carrying your own SSH connection ($SSH_CONNECTION); "
            "without it that session is always spared.",
        ),
    ] = False,
    output_format: FormatOption = OutputFormat.human,
) -> None:
    """Cut matching sessions (the kernel's SOCK_DESTROY, as ss -K; dry run unless --yes), then verify.

    Exit 0: all cut (or dry run); 1: some still present; 2: bad input, no privilege, or the kernel
    could not destroy sockets here.
    """
    from opskit.app.sockets_cut import cut_sessions
    from opskit.core.sockets.validate import ssh_session
    from opskit.output.sockets import show

    # The operator's own SSH session is spared: cutting it mid-incident locks them out. Only the
    # host's own namespace has it (sshd does not run in a container's namespace we enter).
    own_ssh = ssh_session(os.environ.get("SSH_CONNECTION")) if netns is None else None
    protected = (own_ssh,) if own_ssh is not None and not include_my_ssh else ()
    flt = _build_filter(
        port, local, peer, peers_file, process, pid, state, all_matching, for_kill=True, protected=protected
    )
    report = cut_sessions(flt, yes=yes, netns_pid=netns)
    show(report, output_format)
    if report.problem:
        finish(ExitCode.CANNOT_RUN)
    finish(ExitCode.FINDINGS if report.still_present else ExitCode.OK)


@group.command("explain")
def explain_command(
    filter_text: Annotated[
        str, typer.Argument(metavar="FILTER", help='An ss filter, e.g. "dport = 7890 and src 203.0.113.5".')
    ],
    service_port: Annotated[
        int | None, typer.Option("--service-port", help="The port the server listens on, if known.")
    ] = None,
    output_format: FormatOption = OutputFormat.human,
) -> None:
    """Say which side an ss filter describes and print the filter to run on the server."""
    from opskit.core.sockets.explain import explain_filter
    from opskit.core.sockets.validate import validate_port
    from opskit.output.sockets import show

    if service_port is not None:
        try:
            validate_port(service_port, "--service-port")
        except InputError as error:
            raise InputError.option("--service-port", error.problems[0].problem) from None

    show(explain_filter(filter_text, service_port=service_port), output_format)
    finish(ExitCode.OK)


def register(app: typer.Typer) -> None:
    """Add the `sockets` group to the root app."""
    app.add_typer(group, name="sockets")
