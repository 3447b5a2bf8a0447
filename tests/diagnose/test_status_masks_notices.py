"""Generated tests for two `tailscale status` classes blind batch 22 missed (corpus 515, 516):

- a row whose IP column is only partly masked by hand (`100.125.75.2XXX`, a group half hidden;
  `100.123.246..XXX`, a dot doubled while typing the mask; `?`, an ellipsis, bullets, block characters,
  `<ip>`/`[redacted]` for a group): every such row is a peer row, its IP redacted;
- a health block holding only notices (tailscaled's SeverityLow warnables): the unstable-track notice in
  both of its wordings (v1.36-v1.64 "This is an unstable (development) version of Tailscale; frequent
  updates and bugs are likely", v1.66+ health/warnings.go unstableWarnable "This is an unstable version
  of Tailscale meant for testing and development purposes. …"), alone or with the update notice, is not a
  fault; with a real fault beside it, the fault is still reported.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from opskit.core.findings import Severity
from tests.diagnose.conftest import by_rule, run_json, run_text

# ------------------------------------------------------------------------------ partly masked IP columns

MASKS = [
    "XXX",
    "xxx",
    "xx",
    "X",
    "***",
    "##",
    "__",
    "yyy",
    "?",
    "??",
    "\u2026",
    "\u25a0\u25a0",
    "\u2022\u2022",
    "\u2588\u2588",
]
PLACEHOLDERS = ["<ip>", "[redacted]", "<hidden>"]  # a whole group replaced by a word in brackets


@st.composite
def partly_masked_ip(draw: st.DrawFn) -> str:
    """A Tailscale IP with its tail hidden by hand: whole groups, part of a group, or a doubled dot."""
    groups = [str(draw(st.integers(64, 127))), str(draw(st.integers(0, 255))), str(draw(st.integers(0, 255)))]
    style = draw(st.sampled_from(["whole", "half", "double-dot", "placeholder"]))
    mask = draw(st.sampled_from(PLACEHOLDERS if style == "placeholder" else MASKS))
    keep = draw(st.integers(1, 3))  # how many groups after "100." stay readable
    shown = groups[:keep]
    if style == "half" and keep < 3:
        tail = groups[keep][:1] + mask  # 100.125.75.2XXX
        return ".".join(["100", *shown, tail])
    sep = ".." if style == "double-dot" else "."
    return ".".join(["100", *shown]) + sep + mask


@given(
    st.lists(partly_masked_ip(), min_size=2, max_size=5),
    st.sampled_from(["XXX@", "someone@", "tagged-devices"]),
    st.sampled_from(["-", "idle", "offline", "active; direct 198.51.100.7:41641, tx 100 rx 200"]),
    st.sampled_from(["   ", "\t", "  "]),
)
@settings(max_examples=40, deadline=None)
def test_every_row_with_a_partly_masked_ip_is_read(ips: list[str], owner: str, cell: str, gap: str) -> None:
    rows = [f"{ip}{gap}host{i}{gap}{owner}{gap}{'linux' if i == 0 else 'windows'}{gap}-" for i, ip in enumerate(ips)]
    rows[-1] = rows[-1][: -len("-")] + cell
    text = "root@box:~# tailscale status\n" + "\n".join(rows) + "\n"
    peers = [p for p in run_json(text)["peers"] if p["from"] == "status"]
    assert [p["name"] for p in peers] == [f"host{i}" for i in range(len(ips))], text
    assert peers[0]["self"] and not any(p["self"] for p in peers[1:])
    assert all(p["ip"] == "redacted" for p in peers), peers


def test_the_pasted_rows_with_a_doubled_dot_and_a_half_masked_group() -> None:
    text = (
        "100.69.191.XXX   ubuntu-with-issue   XXX@    linux   -\n"
        "100.123.246..XXX  winpc1          XXX@    windows -\n"
        "100.125.75.2XXX   winpc2    XXX@    windows -\n"
    )
    peers = run_json(text)["peers"]
    assert [(p["name"], p["os"], p["path"]) for p in peers] == [
        ("ubuntu-with-issue", "linux", "idle"),
        ("winpc1", "windows", "idle"),
        ("winpc2", "windows", "idle"),
    ]


def test_a_version_or_dotted_number_in_prose_is_still_not_a_row() -> None:
    # the widened mask needs a mask character: plain dotted numbers stay prose
    text = "1.82.5 is what runs here on linux -\n100.64.0.1  me  me@  linux  -\n"
    peers = run_json(text)["peers"]
    assert [p["name"] for p in peers] == ["me"]


# -------------------------------------------------------------------------- notices in the health block

UNSTABLE_NOTICES = [
    "This is an unstable (development) version of Tailscale; frequent updates and bugs are likely",
    "This is an unstable version of Tailscale meant for testing and development purposes. Please report any "
    "issues to Tailscale.",
]
UPDATE_NOTICE = "An update from version 1.63.0 to 1.64.2 is available."
FAULT = "not connected to home DERP region 12"
SELF_ROW = "100.102.2.96    ubuntu               dgentry@       linux   -\n"


@given(
    st.sampled_from(UNSTABLE_NOTICES),
    st.booleans(),
    st.booleans(),
    st.sampled_from(["#     - ", "# - ", "#\t- "]),
    st.sampled_from(["", "...etc, etc...\n", "100.64.0.7  peer  dgentry@  linux  idle\n"]),
)
@settings(max_examples=40, deadline=None)
def test_the_unstable_version_notice_is_not_a_fault(
    notice: str, with_update: bool, with_fault: bool, bullet: str, between: str
) -> None:
    items = [notice] + ([UPDATE_NOTICE] if with_update else []) + ([FAULT] if with_fault else [])
    text = SELF_ROW + between + "\n# Health check:\n" + "".join(f"{bullet}{item}\n" for item in items)
    document = run_json(text)
    assert any("unstable" in h for s in document["statuses"] for h in s["health"]), document["statuses"]
    (finding,) = by_rule(run_text(text), "TS-STATUS-HEALTH")
    if with_fault:
        assert finding.severity is Severity.WARNING
        assert "home DERP region 12" in finding.cause and "unstable" not in finding.cause
        assert document["summary"]["exit_code"] == 1
    else:
        assert finding.severity is Severity.INFO
        assert "unstable" in finding.title
        assert document["summary"]["exit_code"] == 0


def test_the_update_notice_alone_keeps_its_own_advice() -> None:
    text = SELF_ROW + "\n# Health check:\n#     - " + UPDATE_NOTICE + "\n"
    (finding,) = by_rule(run_text(text), "TS-STATUS-HEALTH")
    assert finding.severity is Severity.INFO and "update is available" in finding.title


@given(st.sampled_from(UNSTABLE_NOTICES), st.booleans())
@settings(max_examples=10, deadline=None)
def test_the_unstable_notice_in_status_json_is_not_a_fault(notice: str, with_fault: bool) -> None:
    items = ",\n".join(f'  "{item}"' for item in [notice] + ([FAULT] if with_fault else []))
    text = "$ tailscale status --json | jq .Health\n[\n" + items + "\n]\n"
    (finding,) = by_rule(run_text(text), "TS-STATUS-HEALTH")
    assert finding.severity is (Severity.WARNING if with_fault else Severity.INFO)
    assert run_json(text)["summary"]["exit_code"] == (1 if with_fault else 0)
