"""Generated tests for blind batch 47's misses (part b), read as classes (what a user sees in the JSON document).

1. tailscaled's whole start argv ("Program starting: v…: []string{…}") decides the TUN mode when nothing else says:
   no --tun (defaultTunName: a TUN device off the netstack GOOSes, Crostini and Synology) or a --tun naming a device
   reads userspace False; --tun=userspace-networking True; a cut argv, another program's, a one-shot run: unset.
   containerboot adds --tun=userspace-networking itself for TS_USERSPACE=true, so its tailscaled's argv decides.
2. Tailscale SSH's check banner, the check passing, then the host's login or shell failing ("root: no shell:
   Permission denied" from login(1), "Cannot execute …", su/login failures): ssh-failed with the host-side cause
   (not the policy), besides ssh-check-required. The same lines without the banner are not claimed.
3. The v0.98-v1.6 CLI's "ReadMsg: read unix @->…: use of closed network connection" (its own Ctrl-C handler closed
   the socket while `up` waited): cli-interrupted (TS-CLI-INTERRUPTED), a problem, never daemon-connection-reset or
   service-not-running; tailscaled's own "ReadMsg:" log line (the socket's path on the left) is not it.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.diagnose.log_catalog import document_of, finding_rules


def _windows(document: dict[str, Any]) -> list[str]:
    return [error["kind"] for error in document.get("windows") or []]


def _userspace(document: dict[str, Any]) -> bool | None:
    logs = document.get("daemon_logs") or []
    assert logs, document.get("blocks")
    return logs[-1]["userspace"]  # type: ignore[no-any-return]


def _text(document: dict[str, Any]) -> str:
    return " ".join(f"{finding['cause']} {finding['fix']}" for finding in document["findings"])


_FENCES = (("", ""), ("```\n", "\n```"), ("```console\n", "\n```"))

# ------------------------------------------------------------------ 1. the start argv's TUN mode

_STAMPS = (
    "2024/12/25 07:48:53 ",
    "2024-12-25 07:48:53.245569+00:002024/12/25 07:48:53 ",  # TrueNAS app log: its stamp glued to the message
    "Dec 25 07:48:53 host tailscaled[812]: ",
)
_VERSIONS = ("1.76.6-t1edcf9d46, Go 1.23.1", "1.58.2-t1a2b3c4d5, Go 1.21.5", "1.32.3-tdd85b6a1b, Go 1.19.2")
_ROUTINE = (
    'logpolicy: using system state directory "/var/lib/tailscale"',
    'dns: using "direct" mode',
    "dns: using *dns.directManager",
)


def _start_log(stamp: str, version: str, argv: str, containerboot: bool = False) -> str:
    lines = [f"{stamp}boot: 2024/12/25 07:48:52 Starting tailscaled"] if containerboot else []
    lines.append(f"{stamp}Program starting: v{version}: []string{{{argv}}}")
    lines.extend(f"{stamp}{line}" for line in _ROUTINE)
    return "\n".join(lines)


_DEVICE_ARGVS = (
    '"tailscaled", "--socket=/var/run/tailscale/tailscaled.sock", "--statedir=/var/lib/tailscale"',
    '"/usr/sbin/tailscaled", "--state=/var/lib/tailscale/tailscaled.state", "--port=41641"',
    '"tailscaled"',
    '"/usr/sbin/tailscaled", "--tun=tailscale0", "--port", "41641"',
    '"tailscaled", "-tun", "ts0"',
)


@pytest.mark.parametrize("argv", _DEVICE_ARGVS)
@pytest.mark.parametrize("stamp", _STAMPS)
@pytest.mark.parametrize("version", _VERSIONS)
@pytest.mark.parametrize("containerboot", (False, True))
def test_a_whole_argv_without_netstack_reads_a_tun_device(
    argv: str, stamp: str, version: str, containerboot: bool
) -> None:
    if containerboot and stamp.startswith("Dec"):
        return  # containerboot logs to the container's stdout, not the journal
    document = document_of(_start_log(stamp, version, argv, containerboot))
    assert _userspace(document) is False, argv
    assert document["summary"]["exit_code"] == 0


@pytest.mark.parametrize(
    "argv",
    (
        '"tailscaled", "--tun=userspace-networking", "--statedir=/var/lib/tailscale"',
        '"tailscaled", "--socket=/tmp/tailscaled.sock", "--tun", "userspace-networking"',
    ),
)
@pytest.mark.parametrize("stamp", _STAMPS[:2])
def test_a_netstack_argv_still_reads_userspace(argv: str, stamp: str) -> None:
    assert _userspace(document_of(_start_log(stamp, _VERSIONS[0], argv, containerboot=True))) is True


@pytest.mark.parametrize(
    "start",
    (
        # the argv cut before its closing brace: a --tun may have followed
        'Program starting: v1.76.6-t1edcf9d46, Go 1.23.1: []string{"tailscaled", "--socket=/var/run/tailscale/ta',
        # no argv at all
        "Program starting: v1.76.6-t1edcf9d46, Go 1.23.1",
        # another program's start line (an embedding tsnet app, a one-shot run, a subcommand)
        'Program starting: v1.76.6-t1edcf9d46, Go 1.23.1: []string{"/usr/local/bin/myapp", "--hostname=web"}',
        'Program starting: v1.76.6-t1edcf9d46, Go 1.23.1: []string{"tailscaled", "--cleanup"}',
        'Program starting: v1.76.6-t1edcf9d46, Go 1.23.1: []string{"tailscaled", "debug", "--derp-map"}',
        # an empty --tun value, and Synology's default with its netstack fallback
        'Program starting: v1.76.6-t1edcf9d46, Go 1.23.1: []string{"tailscaled", "--tun="}',
        'Program starting: v1.76.6-t1edcf9d46, Go 1.23.1: []string{"/var/packages/Tailscale/target/bin/tailscaled", '
        '"--state=/var/packages/Tailscale/etc/tailscaled.state"}',
    ),
)
@pytest.mark.parametrize("stamp", _STAMPS[:2])
def test_an_argv_that_does_not_show_the_tun_mode_leaves_it_unset(start: str, stamp: str) -> None:
    text = "\n".join(f"{stamp}{line}" for line in ("logtail started", start, *_ROUTINE))
    assert _userspace(document_of(text)) is None, start


# ------------------------------------------------------------------ 2. the check passed, then login/shell failed

_HOSTS = ("new-machine-advertizing-ssh", "box.tail1234.ts.net", "100.101.102.103")
_USERS = ("root", "alice", "deploy")
_FAILURES = (
    "{user}: no shell: Permission denied",
    "login: no shell: No such file or directory",
    "Cannot execute /bin/zsh: Permission denied",
    "Cannot execute /usr/bin/fish: No such file or directory",
    "su: cannot set groups: Operation not permitted",
    "login: PAM Failure, aborting: Permission denied",
)


def _check_then(user: str, host: str, failure: str, command: str, checked: bool, last_login: bool) -> str:
    lines = [
        f"{command} {user}@{host}",
        "# Tailscale SSH requires an additional check.",
        "# To authenticate, visit: https://login.tailscale.com/a/5d6e02ef17ef",
    ]
    if checked:
        lines += ["# Authentication checked with Tailscale SSH.", "# Time since last authentication: 0s"]
    if last_login:
        lines.append("Last login: Wed Jun 29 19:16:51 2022 from 100.64.0.7")
    lines += [failure.format(user=user), f"Connection to {host} closed."]
    return "\n".join(lines)


@pytest.mark.parametrize("failure", _FAILURES)
@pytest.mark.parametrize("user", _USERS)
@pytest.mark.parametrize("host", _HOSTS)
@pytest.mark.parametrize("command", ("ssh", "$ ssh", "$ tailscale ssh"))
@pytest.mark.parametrize(("checked", "last_login"), ((True, True), (True, False), (False, True)))
@pytest.mark.parametrize("fence", _FENCES)
def test_a_login_failing_after_the_check_is_ssh_failed_on_the_host(
    failure: str,
    user: str,
    host: str,
    command: str,
    checked: bool,
    last_login: bool,
    fence: tuple[str, str],
) -> None:
    text = fence[0] + _check_then(user, host, failure, command, checked, last_login) + fence[1]
    document = document_of(text)
    kinds = _windows(document)
    assert "ssh-failed" in kinds and "ssh-check-required" in kinds, (kinds, text)
    assert "ssh-policy-no-access" not in kinds and "service-not-running" not in kinds
    assert "TS-CLI-SSH-FAILED" in finding_rules(document)
    assert "login(1)" in _text(document)  # the host's login, not the tailnet policy
    assert document["summary"]["exit_code"] == 1


@pytest.mark.parametrize("failure", _FAILURES)
def test_the_login_lines_without_the_check_banner_are_not_claimed(failure: str) -> None:
    text = f"$ ssh root@somehost\nLast login: Wed Jun 29 19:16:51 2022\n{failure.format(user='root')}\n"
    assert "ssh-failed" not in _windows(document_of(text))


@pytest.mark.parametrize("host", _HOSTS)
def test_the_check_banner_with_a_routine_session_stays_the_check_alone(host: str) -> None:
    text = (
        f"$ ssh root@{host}\n# Tailscale SSH requires an additional check.\n"
        "# To authenticate, visit: https://login.tailscale.com/a/5d6e02ef17ef\n"
        "# Authentication checked with Tailscale SSH.\nLast login: Wed Jun 29 19:16:51 2022\n"
        "root@box:~# uptime\n"
    )
    assert _windows(document_of(text)) == ["ssh-check-required"]


# ------------------------------------------------------------------ 3. the old CLI interrupted while it waited

_SOCKETS = (
    "read unix @->/run/tailscale/tailscaled.sock",
    "read unix @->/var/run/tailscale/tailscaled.sock",
    "read unix ->/var/run/tailscaled.socket",
    "read tcp 127.0.0.1:53211->127.0.0.1:41112",
)
_PROMPTS = ("nvidia-lmr@nvidia-lmr:~$ sudo tailscale up", "$ sudo tailscale up --accept-routes", "$ tailscale ping box")


@pytest.mark.parametrize("socket", _SOCKETS)
@pytest.mark.parametrize("prompt", (*_PROMPTS, None))
@pytest.mark.parametrize("stamp", ("2020/11/13 16:20:08 ", "2021/02/01 09:00:00 ", ""))
@pytest.mark.parametrize("fence", (*_FENCES, ("`\n", "\n`")))
def test_the_old_cli_s_closed_read_is_cli_interrupted(
    socket: str, prompt: str | None, stamp: str, fence: tuple[str, str]
) -> None:
    line = f"{stamp}ReadMsg: {socket}: use of closed network connection"
    text = fence[0] + (f"{prompt}\n" if prompt else "") + line + fence[1]
    document = document_of(text)
    assert _windows(document) == ["cli-interrupted"], text
    assert "TS-CLI-INTERRUPTED" in finding_rules(document)
    assert document["summary"]["exit_code"] == 1


@pytest.mark.parametrize(
    "line",
    (
        # tailscaled's own end of the socket (its path on the left): the daemon's log, not the CLI's
        "2020/11/13 16:20:08 ReadMsg: read unix /var/run/tailscale/tailscaled.sock->@: "
        "use of closed network connection",
        "2020/11/13 16:20:08 ReadMsg: read tcp 127.0.0.1:41112->127.0.0.1:53211: use of closed network connection",
        # other read errors, and prose about the message
        "2020/11/13 16:20:08 ReadMsg: EOF",
        "the ReadMsg error says the connection was closed, I think",
    ),
)
def test_other_readmsg_lines_are_not_cli_interrupted(line: str) -> None:
    assert "cli-interrupted" not in _windows(document_of(f"$ sudo tailscale up\n{line}\n"))
