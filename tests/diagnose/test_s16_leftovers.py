"""Generated tests for session 15's small leftovers in `opskit diagnose` (what a user sees in the JSON document).

1. systemd's start and stop lines for tailscaled's unit, which name it by its description ("Started Tailscale node
   agent.", v250 on "Started tailscaled.service - Tailscale node agent."): lines of tailscaled's log (started by the
   service), never skipped, and journalctl -x's catalog text under them is read with them. Another unit's start line
   is not Tailscale's.
"""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.diagnose.log_catalog import document_of, issue_kinds


def _skipped(document: dict[str, Any]) -> list[str]:
    return [warning for warning in document["warnings"] if "skipped" in warning]


# ------------------------------------------------------------------ 1. systemd's start/stop lines by description

_SYSTEMD_PREFIXES = (
    "Dec 07 08:00:0{s} host systemd[1]: {msg}",
    "Dec  7 08:00:0{s} raspberrypi systemd[1]: {msg}",
    "Dec  7 08:00:0{s} centos7 systemd: {msg}",  # RHEL/CentOS 7's /var/log/messages: no PID
    "2025-11-25T03:10:4{s}.123456+00:00 nas systemd[1]: {msg}",
    "{msg}",  # the message alone, copied out of `journalctl -o cat`
)
_VERBS = (("Starting", "..."), ("Started", "."), ("Stopping", "..."), ("Stopped", "."), ("Starting", "…"))
_CATALOG_STARTED = (
    "░░ Subject: A start job for unit tailscaled.service has finished successfully",
    "░░ Defined-By: systemd",
    "░░ Support: https://www.debian.org/support",
    "░░ ",
    "░░ A start job for unit tailscaled.service has finished successfully.",
    "░░ ",
    "░░ The job identifier is {job}.",
)


def _unit_line(verb: str, end: str, named: bool) -> str:
    # systemd v250 and later put the unit's name before its description
    return f"{verb} {'tailscaled.service - ' if named else ''}Tailscale node agent{end}"


@settings(max_examples=120, deadline=None)
@given(
    st.sampled_from(_SYSTEMD_PREFIXES),
    st.lists(st.tuples(st.sampled_from(_VERBS), st.booleans()), min_size=1, max_size=4),
    st.booleans(),
    st.integers(min_value=1, max_value=999_999),
)
def test_systemds_start_and_stop_lines_of_tailscaleds_unit_are_its_log(
    prefix: str, lines: list[tuple[tuple[str, str], bool]], catalog: bool, job: int
) -> None:
    text_lines: list[str] = []
    for second, ((verb, end), named) in enumerate(lines):
        text_lines.append(prefix.format(s=second, msg=_unit_line(verb, end, named)))
        if catalog and verb == "Started":
            text_lines.extend(line.format(job=job) for line in _CATALOG_STARTED)
    text = "\n".join(text_lines) + "\n"
    document = document_of(text)
    assert not _skipped(document), (text, document["warnings"])
    assert [block["kind"] for block in document["blocks"]] == ["tailscaled-log"], text
    assert issue_kinds(document) == (set(), 0), text
    if prefix != "{msg}":
        assert not document["daemon_logs"][0]["hand_started"], text


_OTHER_UNITS = (
    "Started OpenSSH server daemon.",
    "Started tailscale-autoconnect.service - Connect to the tailnet.",
    "Stopped Tailscale node agent watchdog timer.",
    "Starting Network Manager...",
)


@settings(max_examples=30, deadline=None)
@given(st.sampled_from(_SYSTEMD_PREFIXES[:4]), st.sampled_from(_OTHER_UNITS))
def test_another_units_start_line_is_not_tailscaleds_log(prefix: str, message: str) -> None:
    document = document_of(prefix.format(s=1, msg=message) + "\n")
    assert document["daemon_logs"] == [], message
    assert document["summary"]["exit_code"] == 2, message
