"""Catalog of the tailscale CLI's help text (block kind ``cli-usage``): every layout by version, read from the source.

Read from Tailscale's CLI (cmd/tailscale/cli/cli.go) at v1.0.0 (ffcli's default usage: no short help line,
``-socket <default>  <usage>`` flags on one line), v1.20.0 (its own usageFunc: ``--socket string`` with the usage
indented under it), v1.40.0 (usageFuncOpt, ``[ALPHA]`` subcommands) and HEAD (de9ec7ee2: the command's short help
line above USAGE since v1.64, usages "tailscale up [flags]"). A bare ``tailscale``, ``tailscale help``, ``--help``
and ``tailscale <sub> --help`` print it; it lists the CLI and reads no state: a note, exit 0. A usage error
printed above it (Go's flag package: the error, then the command's usage) stays the refusal (``cli-usage`` in
``windows[]``, exit 1), and the help text's note then points at that error instead of saying nothing ran.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.diagnose.conftest import run_json
from tests.diagnose.test_cli_view_catalog import WRAPPINGS, View, read_right, wrapped

_LONG_HELP_1_20 = (
    'For help on subcommands, add --help after: "tailscale status --help".\n\n'
    "This CLI is still under active development. Commands and flags will\nchange in the future."
)

CATALOG: tuple[View, ...] = (
    # v1.0.0 cli.go rootCmd + ffcli v2 DefaultUsageFunc
    View(
        "help-1.0",
        "tailscale",
        "USAGE\n  tailscale subcommand [flags]\n\n"
        "This CLI is still under active development. Commands and flags will\nchange in the future.\n\n"
        "SUBCOMMANDS\n  up        Connect to your Tailscale network\n"
        "  netcheck  Print an analysis of local network conditions\n"
        "  status    Show state of tailscaled and its connections\n  version   Print Tailscale version\n\n"
        "FLAGS\n  -socket /var/run/tailscale/tailscaled.sock  path to tailscaled's unix socket",
        "cli-usage",
        {
            "command": "tailscale subcommand",
            "subcommands": ["up", "netcheck", "status", "version"],
            "flags": ["socket"],
        },
    ),
    # v1.0.0 up.go upCmd: `tailscale up --help` (ShortUsage "up [flags]")
    View(
        "up-help-1.0",
        "tailscale up --help",
        "USAGE\n  up [flags]\n\n"
        '"tailscale up" connects this machine to your Tailscale network,\ntriggering authentication if necessary.\n\n'
        "FLAGS\n  -accept-routes false  accept routes advertised by other Tailscale nodes\n"
        "  -authkey ...          node authorization key",
        "cli-usage",
        {"command": "up", "subcommands": [], "flags": ["accept-routes", "authkey"]},
    ),
    # v1.20.0 cli.go usageFunc
    View(
        "help-1.20",
        "tailscale --help",
        "USAGE\n  tailscale [flags] <subcommand> [command flags]\n\n" + _LONG_HELP_1_20 + "\n\n"
        "SUBCOMMANDS\n  up         Connect to Tailscale, logging in if needed\n"
        "  down       Disconnect from Tailscale\n  logout     Disconnect from Tailscale and expire current node key\n"
        "  netcheck   Print an analysis of local network conditions\n  ip         Show Tailscale IP addresses\n"
        "  status     Show state of tailscaled and its connections\n"
        "  ping       Ping a host at the Tailscale layer, see how it routed\n"
        "  version    Print Tailscale version\n  web        Run a web server for controlling Tailscale\n"
        "  file       Send or receive files\n  bugreport  Print a shareable identifier to help diagnose issues\n"
        "  cert       get TLS certs\n\n"
        "FLAGS\n  --socket string\n"
        "        path to tailscaled's unix socket (default /var/run/tailscale/tailscaled.sock)",
        "cli-usage",
        {"command": "tailscale", "young_subcommands": [], "flags": ["socket"]},
    ),
    # v1.40.0 cli.go usageFuncOpt; configure.go "[ALPHA] Configure the host …"
    View(
        "help-1.40",
        "tailscale help",
        "USAGE\n  tailscale [flags] <subcommand> [command flags]\n\n" + _LONG_HELP_1_20 + "\n\n"
        "SUBCOMMANDS\n  up          Connect to Tailscale, logging in if needed\n"
        "  configure   [ALPHA] Configure the host to enable more Tailscale features\n"
        "  status      Show state of tailscaled and its connections\n"
        "  lock        Manage tailnet lock\n  licenses    Get open source license information\n\n"
        "FLAGS\n  --socket string\n        path to tailscaled socket (default /var/run/tailscale/tailscaled.sock)",
        "cli-usage",
        {"subcommands": ["up", "configure", "status", "lock", "licenses"], "young_subcommands": ["configure"]},
    ),
    # HEAD cli.go usageFuncOpt: the short help line first (v1.64+); Windows hides the socket default
    View(
        "help-head-windows",
        "tailscale",
        "The easiest, most secure way to use WireGuard.\n\n"
        "USAGE\n  tailscale [flags] <subcommand> [command flags]\n\n" + _LONG_HELP_1_20 + "\n\n"
        "SUBCOMMANDS\n  up          Connect to Tailscale, logging in if needed\n"
        "  exit-node   Show machines on your tailnet configured as exit nodes\n"
        "  drive       Share a directory with your tailnet\n  completion  Shell tab-completion scripts\n\n"
        "FLAGS\n  --socket value\n        path to tailscaled socket",
        "cli-usage",
        {"command": "tailscale", "subcommands": ["up", "exit-node", "drive", "completion"], "flags": ["socket"]},
    ),
    # HEAD up.go: `tailscale up --help` (bool flags as "--name, --name=false")
    View(
        "up-help-head",
        "tailscale up --help",
        "Connect to Tailscale, logging in if needed\n\nUSAGE\n  tailscale up [flags]\n\n"
        '"tailscale up" connects this machine to your Tailscale network,\ntriggering authentication if necessary.\n\n'
        "FLAGS\n  --accept-dns, --accept-dns=false\n"
        "        accept DNS configuration from the admin panel (default true)\n"
        '  --auth-key string\n        node authorization key; if it begins with "file:", then it\'s a path to a file '
        "containing the authkey\n  --exit-node string\n        Tailscale exit node (IP, base name, or auto:any) for "
        "internet traffic, or empty string to not use an exit node",
        "cli-usage",
        {"command": "tailscale up", "flags": ["accept-dns", "auth-key", "exit-node"]},
    ),
    # HEAD network-lock.go: `tailscale lock --help` (subcommands, no flags)
    View(
        "lock-help-head",
        "tailscale lock --help",
        "Manage tailnet lock\n\nUSAGE\n  tailscale lock <subcommand> [arguments...]\n\n"
        "Manage tailnet lock\n\nSUBCOMMANDS\n  init      Initialize tailnet lock\n"
        "  status    Outputs the state of tailnet lock\n"
        "  add       Add one or more trusted signing keys to tailnet lock",
        "cli-usage",
        {"command": "tailscale lock", "subcommands": ["init", "status", "add"], "flags": []},
    ),
)

CASES = [pytest.param(view, how, id=f"{view.name}-{how}") for view in CATALOG for how in (*WRAPPINGS, "quote")]


@pytest.mark.parametrize(("view", "how"), CASES)
def test_each_help_text_layout_is_read_as_the_cli_listing_itself(view: View, how: str) -> None:
    text = wrapped(view, how)
    ok, why = read_right(view, text)
    assert ok, f"{why}\n{text}"
    document = run_json(text)
    assert [f["rule"] for f in document["findings"]] == ["TS-CLI-USAGE-TEXT"]


# Go's flag package (flag.FlagSet.failf): the error, then the command's usage; main prints the error again
USAGE_ERRORS = (
    "flag provided but not defined: -login_server",
    "flag needs an argument: -exit-node",
    'invalid boolean value "yes" for -accept-routes: parse error',
)
_UP_HELP = (
    "USAGE\n  tailscale up [flags]\n\n"
    '"tailscale up" connects this machine to your Tailscale network,\ntriggering authentication if necessary.\n\n'
    "FLAGS\n  --accept-routes, --accept-routes=false\n        accept routes advertised by other Tailscale nodes\n"
    "  --exit-node string\n        Tailscale exit node (IP, base name, or auto:any) for internet traffic"
)


@settings(max_examples=30, deadline=None)
@given(
    error=st.sampled_from(USAGE_ERRORS),
    short_help=st.booleans(),
    repeated=st.booleans(),
    how=st.sampled_from(WRAPPINGS),
)
def test_a_usage_error_followed_by_the_help_text_stays_the_refusal(
    error: str, short_help: bool, repeated: bool, how: str
) -> None:
    help_text = ("Connect to Tailscale, logging in if needed\n\n" if short_help else "") + _UP_HELP
    output = f"{error}\n{help_text}" + (f"\n{error}" if repeated else "")
    text = wrapped(View("usage-error", "tailscale up --login_server x", output, "cli-usage"), how)
    document = run_json(text)
    assert "cli-usage" in [e["kind"] for e in document["windows"] or []], text
    assert any(f["severity"] == "error" for f in document["findings"]), text
    assert "cli-usage" in [b["kind"] for b in document["blocks"]], text


_SUBCOMMANDS = ("up", "down", "set", "login", "status", "netcheck", "exit-node", "serve", "funnel", "lock", "drive")


@settings(max_examples=40, deadline=None)
@given(
    names=st.lists(st.sampled_from(_SUBCOMMANDS), min_size=1, max_size=8, unique=True),
    alpha=st.sets(st.integers(min_value=0, max_value=7)),
    short_help=st.booleans(),
    flags=st.lists(st.from_regex(r"[a-z][a-z-]{1,12}", fullmatch=True), max_size=4, unique=True),
    how=st.sampled_from(WRAPPINGS),
)
def test_any_help_text_lists_its_subcommands_and_raises_nothing(
    names: list[str], alpha: set[int], short_help: bool, flags: list[str], how: str
) -> None:
    width = max(len(name) for name in names) + 2
    rows = [
        f"  {name.ljust(width)}{'[ALPHA] ' if index in alpha else ''}Does {name}" for index, name in enumerate(names)
    ]
    flag_rows = [f"  --{flag} string\n        sets {flag}" for flag in flags]
    output = (
        ("The easiest, most secure way to use WireGuard.\n\n" if short_help else "")
        + "USAGE\n  tailscale [flags] <subcommand> [command flags]\n\n"
        + _LONG_HELP_1_20
        + "\n\nSUBCOMMANDS\n"
        + "\n".join(rows)
        + ("\n\nFLAGS\n" + "\n".join(flag_rows) if flags else "")
    )
    expected = {
        "subcommands": names,
        "young_subcommands": [name for index, name in enumerate(names) if index in alpha],
        "flags": flags,
    }
    view = View("generated", "tailscale", output, "cli-usage", expected)
    text = wrapped(view, how)
    ok, why = read_right(view, text)
    assert ok, f"{why}\n{text}"


NOT_HELP = (
    "USAGE\nsee the README",  # a heading in prose: no indented usage line under it
    "Usage: tailscale [flags]",  # another tool's one-line usage
)


@pytest.mark.parametrize("text", NOT_HELP)
def test_what_only_looks_like_help_text_is_not_read_as_it(text: str) -> None:
    from opskit.core.diagnose.blocks import split_input

    assert "cli-usage" not in {block.kind.value for block in split_input(text + "\n").blocks}


@pytest.mark.parametrize(
    "command", ["tailscale serve --https=443 off", "tailscale up --login-server=x", "tailscale file cp a b:"]
)
@pytest.mark.parametrize("answer", ["handler does not exist", "Something went wrong", "not logged in"])
def test_a_sentence_above_the_usage_text_of_a_command_that_did_not_ask_for_help_is_its_answer(
    command: str, answer: str
) -> None:
    # errHelpFunc prints the usage text after the error; only `tailscale`, `tailscale <sub>` or a help flag print a
    # short help line above USAGE, so after any other command the sentence is the command's answer, not help
    from opskit.core.diagnose.blocks import split_input

    blocks = split_input(f"$ {command}\n{answer}\n\nUSAGE\n  tailscale serve <target>\n").blocks
    usage = [block for block in blocks if block.kind == "cli-usage"]
    assert usage and all(answer not in line.text for block in usage for line in block.lines)


# ------------------------------------------------------------------------------------ the help text under an error
# The shapes the corpus holds (883, 259, 386, 496, 552, 1284): Go's flag error, then the command's usage; the short
# help line above USAGE with its blank, without it (496), or none (before v1.64); under a prompt, after a container's
# log, or alone; the error again below (the CLI's main prints it once more).
_REFUSALS = (
    "flag provided but not defined: -{flag}",
    "flag needs an argument: -{flag}",
    'invalid boolean value "{value}" for -{flag}: parse error',
)
_HELP_TEXTS = (
    # v1.0-v1.18: ffcli's default, no short help line
    "USAGE\n  up [flags]\n\n"
    '"tailscale up" connects this machine to your Tailscale network,\ntriggering authentication if necessary.\n\n'
    "FLAGS\n  -accept-dns true      accept DNS configuration from the admin panel\n"
    "  -accept-routes false  accept routes advertised by other Tailscale nodes",
    "USAGE\n  tailscale subcommand [flags]\n\n"
    "This CLI is still under active development. Commands and flags will\nchange in the future.",
    _UP_HELP,
    "USAGE\n  tailscale drive share <name> <path>\n  tailscale drive rename <oldname> <newname>\n"
    "  tailscale drive unshare <name>\n  tailscale drive list",
)
_SHORT_HELP = ("", "Connect to Tailscale, logging in if needed\n\n", "Connect to Tailscale, logging in if needed\n")
_ABOVE = (
    "",
    "$ sudo tailscale up --{flag}",
    "➜  ~ tailscale up --{flag}",
    "C:\\Users\\me>tailscale up --{flag}",
    "boot: 2026/08/07 23:04:19 Running 'tailscale up'",
)


def _pasted(lines: list[str], how: str) -> str:
    if how == "fence":
        lines = ["```console", *lines, "```"]
    elif how == "indent":
        lines = ["    " + line if line else "" for line in lines]
    elif how == "quote":
        lines = [f"> {line}".rstrip() for line in lines]
    return ("\r\n" if how == "crlf" else "\n").join(lines) + "\n"


def _note(document: dict[str, Any]) -> dict[str, Any]:
    (note,) = [f for f in document["findings"] if f["rule"] == "TS-CLI-USAGE-TEXT"]
    return note


@settings(max_examples=60, deadline=None)
@given(
    refusal=st.sampled_from(_REFUSALS),
    flag=st.from_regex(r"[a-z][a-z_-]{1,14}[a-z]", fullmatch=True),
    value=st.sampled_from(("yes", "no", "1x", "on")),
    help_text=st.sampled_from(_HELP_TEXTS),
    short_help=st.sampled_from(_SHORT_HELP),
    above=st.sampled_from(_ABOVE),
    repeated=st.booleans(),
    how=st.sampled_from(("plain", "fence", "indent", "quote", "crlf")),
)
def test_the_help_text_under_a_refusal_points_at_the_refusal(
    refusal: str,
    flag: str,
    value: str,
    help_text: str,
    short_help: str,
    above: str,
    repeated: bool,
    how: str,
) -> None:
    error = refusal.format(flag=flag, value=value)
    lines = [above.format(flag=flag)] if above else []
    lines += [error, *(short_help + help_text).split("\n"), *([error] if repeated else [])]
    text = _pasted(lines, how)
    document = run_json(text)
    error_line = lines.index(error) + 1 + (how == "fence")
    assert document["summary"]["exit_code"] == 1, text
    assert "cli-usage" in [w["kind"] for w in document["windows"]], text
    refused = [f for f in document["findings"] if f["severity"] == "error"]
    assert any(error_line in [e["line"] for e in f["evidence"]] for f in refused), text
    note = _note(document)
    assert note["severity"] == "info"
    assert note["title"] == "tailscale help text after an error", text
    assert f"under the error above (line {error_line})" in note["cause"], note["cause"]
    assert "nothing ran" not in note["cause"]
    assert error_line in [e["line"] for e in note["evidence"]], note["evidence"]


@pytest.mark.parametrize(("view", "how"), CASES)
def test_help_that_was_asked_for_says_nothing_ran(view: View, how: str) -> None:
    note = _note(run_json(wrapped(view, how)))
    assert note["title"] == "tailscale help text"
    assert "nothing ran" in note["cause"]
    assert len(note["evidence"]) == 1


@pytest.mark.parametrize("error", [e.format(flag="login_server", value="yes") for e in _REFUSALS])
@pytest.mark.parametrize("asked", ["tailscale up --help", "tailscale up -h", "tailscale help"])
def test_help_asked_for_after_an_earlier_refusal_is_help(error: str, asked: str) -> None:
    # the error belongs to the command above; the help text to the next one, which asked for it
    text = f"$ tailscale up --login_server x\n{error}\n$ {asked}\n{_UP_HELP}\n"
    document = run_json(text)
    assert document["summary"]["exit_code"] == 1  # the refusal stays the problem
    note = _note(document)
    assert note["title"] == "tailscale help text", text
    assert "nothing ran" in note["cause"]
