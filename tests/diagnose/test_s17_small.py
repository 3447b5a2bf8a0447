"""Generated tests for session 16's small leftovers in `opskit diagnose` (what a user sees in the JSON document).

1. A chat client or a browser re-wraps a long line at a space OR right after a word's hyphen ("not-" / "compressed",
   "ts-" / "forward"): the hyphen joins as written, never with a space ("not- compressed"), in a log line and in a
   health item alike; a line that ends with a dash of its own ("… -") or a flag ("--") under it is not glued.
"""

from __future__ import annotations

import itertools
import textwrap

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.diagnose.conftest import run_json
from tests.diagnose.log_catalog import document_of
from tests.diagnose.test_deformed_classes_s12b import (
    _ends_no_sentence,
    _shows_its_wrap,
    _terminal_like,
    health_items,
)
from tests.diagnose.test_s16_leftovers import _JOURNAL, _LONG_MESSAGES, _issues

# ------------------------------------------------------------------ 1. a re-wrap right after a word's hyphen


def _rewrapped_at_hyphens(line: str, width: int) -> list[str]:
    return textwrap.wrap(line, width, break_long_words=False, break_on_hyphens=True)


def _breaks_after_a_hyphen(pieces: list[str]) -> bool:
    return any(piece[-1] == "-" and piece[-2:-1].isalnum() and after[:1].isalnum()
               for piece, after in zip(pieces, pieces[1:], strict=False))  # fmt: skip


def _rewrapped_logs() -> list[tuple[list[str], int]]:
    # every pair and triple of long messages at every width from 90 to 150 columns whose re-wrap breaks after a
    # hyphen somewhere (about one in seven; drawn from directly, a filter would reject too many). Several pieces
    # exactly as wide read as a terminal's cut at that width (test_s16_leftovers.py): a chat client's proportional
    # font makes that rare in a real re-wrap, textwrap's character count does not, so those are left out.
    cases = []
    for count in (2, 3):
        for messages in itertools.permutations(_LONG_MESSAGES, count):
            lines = [_JOURNAL.format(s=second, msg=message) for second, message in enumerate(messages)]
            for columns in range(90, 151):
                pieces = [piece for line in lines for piece in _rewrapped_at_hyphens(line, columns)]
                if _breaks_after_a_hyphen(pieces) and sum(len(piece) == columns for piece in pieces) < 2:
                    cases.append((lines, columns))
    return cases


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(_rewrapped_logs()))
def test_a_log_re_wrapped_after_a_hyphen_reads_as_logged(case: tuple[list[str], int]) -> None:
    lines, columns = case
    text = "\n".join(piece for line in lines for piece in _rewrapped_at_hyphens(line, columns)) + "\n"
    read = _issues(document_of(text))
    assert read, text
    # (which issues a re-wrap at a narrow width keeps whole is the width test's concern, test_s16_leftovers.py)
    for _, message in read:
        assert any(message in line for line in lines), (message, text)  # no space put into "not-compressed"


_HYPHENATED_HEALTH = [
    *(
        f"adding [-i tailscale0 -j MARK --set-mark 0x40000/0xff0000] in v4/filter/{chain}: running "
        f"[/sbin/{binary} -t filter -A {chain} -i tailscale0 -j MARK --set-mark 0x40000/0xff0000 --wait]: exit "
        f"status {status}: {binary}: Invalid argument. Run `dmesg' for more information."
        for chain in ("ts-forward", "ts-input", "ts-postrouting")
        for binary in ("iptables", "ip6tables")
        for status in (1, 4)
    ),
    *(
        f"UDP GRO forwarding is suboptimally configured on {nic}, UDP forwarding throughput capability will increase "
        "with a configuration change, see https://tailscale.com/s/ethtool-config-udp-gro"
        for nic in ("eth0", "enp3s0", "vmbr0", "ens18")
    ),
]


def _rewrapped_health() -> list[tuple[str, list[str]]]:
    cases = []
    for message in _HYPHENATED_HEALTH:
        for width in range(51, 101):
            pieces = _rewrapped_at_hyphens("#     - " + message, width)
            if (
                len(pieces) > 1
                and _breaks_after_a_hyphen(pieces)
                and not _terminal_like(pieces)
                and _shows_its_wrap(pieces, [])
                and _ends_no_sentence(pieces)
            ):
                cases.append((message, pieces))
    return cases


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(_rewrapped_health()), st.sampled_from(["", "100.64.0.1  router  tagged-devices linux -\n"]))
def test_a_health_item_re_wrapped_after_a_hyphen_keeps_its_words(case: tuple[str, list[str]], rows: str) -> None:
    message, pieces = case
    text = f"$ tailscale status\n{rows}# Health check:\n" + "\n".join(pieces) + "\n"
    document = run_json(text)
    assert health_items(document) == [message], text
    unwrapped = run_json(f"$ tailscale status\n{rows}# Health check:\n#     - {message}\n")
    assert sorted(f["rule"] for f in document["findings"]) == sorted(f["rule"] for f in unwrapped["findings"])


@given(st.sampled_from(_LONG_MESSAGES), st.sampled_from([" -", " --", " -- see", ": -"]))
@settings(max_examples=40, deadline=None)
def test_a_dash_of_its_own_at_a_line_end_still_joins_with_a_space(message: str, dash: str) -> None:
    # "… -" / "… --" end no word: a re-wrap there was at a space, and the piece keeps it
    head, _, rest = message.partition(" ")
    line = _JOURNAL.format(s=1, msg=head + dash)
    read = _issues(document_of(f"{line}\n{rest}\n" * 1))
    for _, read_message in read:
        assert f"{dash}{rest[:1]}" not in read_message, read_message


# ------------------------------------------------------------ 2. no key in any output, wherever a reader quotes it

_SECRET = st.text(alphabet="ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz0123456789", min_size=20, max_size=40)
_KEY_KINDS = st.sampled_from(["tskey-auth-", "tskey-", "tskey-client-", "tskey-api-"])
# where this session's readers quote a line's text back: a shell's job report (its command), systemctl's process
# line (the unit's command line), a start line, a CLI error, the install script's xtrace
_CARRIERS = (
    "[1]+  Exit 1                  TS_AUTHKEY={key} tailscaled --tun=userspace-networking",
    "[2]-  Killed                  sudo TS_AUTHKEY={key} tailscaled",
    "ExecStart=/usr/sbin/tailscaled --state=/var/lib/tailscale/tailscaled.state {flag}{key} (code=exited, "
    "status=1/FAILURE)",
    "Process: 123 ExecStart=/usr/sbin/tailscaled {flag}{key} (code=exited, status=1/FAILURE)",
    '2024/05/22 20:12:33 Program starting: v1.62.0, Go 1.22.1: []string{{"tailscaled", "{flag}{key}"}}',
    "$ sudo tailscale up {flag}{key}\nbackend error: invalid key: API key {key} not valid",
    "Installing Tailscale for ubuntu noble, using method apt\n+ sudo tailscale up {flag}{key}\n"
    "Installation complete! Log in to start using Tailscale by running:",
)


@settings(max_examples=80, deadline=None)
@given(st.sampled_from(_CARRIERS), _KEY_KINDS, _SECRET, st.sampled_from(["--authkey=", "--auth-key=", "--authkey "]))
def test_no_key_reaches_the_json_or_the_terminal(carrier: str, kind: str, secret: str, flag: str) -> None:
    from rich.console import Console

    from opskit.output.diagnose import render_human, to_json
    from tests.diagnose.conftest import run_text

    text = carrier.format(key=f"{kind}k{secret}", flag=flag) + "\n"
    diagnosis = run_text(text)
    document = to_json(diagnosis, 0)
    assert secret not in repr(document), text
    console = Console(record=True, width=300)
    render_human(diagnosis, console)
    assert secret not in console.export_text(), text
