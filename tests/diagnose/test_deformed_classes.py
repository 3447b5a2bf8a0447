"""Generated tests for the deformation classes fixed by fix25b-deform (tests/diagnose/deform.py finds them).

Status rows without their owner (or OS) column whose first column is a whole IPv4 address of a Headscale prefix
or whose host is named after an OS; notes typed after a row, a gron value or a Windows owner; health items
and IP-less status rows soft-wrapped at a space by a chat client or a narrow text box.
"""

from __future__ import annotations

import textwrap
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from opskit.output.diagnose import to_json
from tests.diagnose.conftest import run_text

GAPS = st.sampled_from(["  ", "   ", "      ", "\t"])
NOTES = st.sampled_from(["  # my NAS", "   <-- this one", "  // 这是家里的", "  (offline since monday)", " ← here"])
OSES = st.sampled_from(["linux", "windows", "macOS", "android", "iOS", "freebsd"])
PLAIN_V4 = st.tuples(st.sampled_from([10, 172, 192]), st.integers(0, 255), st.integers(0, 255), st.integers(1, 254))
CELLS = [
    ("-", "idle"),
    ("offline", "offline"),
    ('active; relay "headscale", tx 2960 rx 0', "derp"),
    ("active; direct 192.0.2.7:41641, tx 10 rx 20", "direct"),
]


def _document(text: str) -> dict[str, Any]:
    return dict(to_json(run_text(text), 1))


def _peers(text: str) -> list[tuple[Any, ...]]:
    return [(p["name"], p["ip"], p["os"], p["path"]) for p in _document(text)["peers"] or []]


@given(PLAIN_V4, st.sampled_from(["ishun-20201124mhj", "node-2", "coredns", "macos", "windows"]), OSES,
       st.sampled_from(CELLS), GAPS, st.booleans())  # fmt: skip
@settings(max_examples=120, deadline=None)
def test_an_ownerless_row_with_a_headscale_prefix_address_keeps_ip_host_and_os(
    quad: tuple[int, ...], host: str, os_name: str, cell: tuple[str, str], gap: str, blank: bool
) -> None:
    ip = ".".join(map(str, quad))
    owner = " " * 9 + gap if blank else ""  # the owner cell blanked (an HTML table copy) or dropped
    text, path = cell
    row = f"{ip}{gap}{host}{gap}{owner}{os_name}{gap}{text}"
    peers = _peers(f"$ tailscale status\n{row}\n{' ' * 16}laptop{gap}alice{gap}linux{gap}offline\n")
    assert peers[0] == (host, ip, os_name, path), row


@given(st.sampled_from(['("tsdev")', "tsdev"]), NOTES, GAPS, OSES)
@settings(max_examples=80, deadline=None)
def test_a_note_after_an_ip_less_row_does_not_slide_its_columns(host: str, note: str, gap: str, os_name: str) -> None:
    row = f"{' ' * 16}{host}{gap}-{gap}{os_name}{gap}-{note}"
    names = [name for name, *_ in _peers(f"$ tailscale status\n{row}\n")]
    assert names == ["tsdev"], row


@given(NOTES)
@settings(max_examples=20, deadline=None)
def test_a_note_after_a_gron_value_is_not_part_of_it(note: str) -> None:
    text = (
        "$ tailscale status --json | gron\n"
        'json.Peer["nodekey:abcd"].HostName = "nas";\n'
        'json.Peer["nodekey:abcd"].CurAddr = "35.167.162.239:41641";' + note + "\n"
        'json.Peer["nodekey:abcd"].Relay = "sea";\n'
    )
    endpoints = [p["endpoint"] for p in _document(text)["peers"] or []]
    assert endpoints == ["35.167.162.239:41641"], text


@given(NOTES, st.sampled_from(["unknown-user-1b4e28ba-2fa1-11d2-883f-0016d3cca427", "DESKTOP-1\\alice"]))
@settings(max_examples=30, deadline=None)
def test_a_note_after_a_windows_owner_is_not_the_owner(note: str, owner: str) -> None:
    document = _document(f"> tailscale up\nTailscale is already in use by {owner}{note}\n")
    assert [e["owner"] for e in document["windows"]] == [owner]


HEALTH = [
    "Some peers are advertising routes but --accept-routes is false",
    "Unable to connect to the Tailscale coordination server to synchronize the state of your tailnet.",
    "Tailscale could not connect to the 'aliyun' relay server. Your Internet connection might be down.",
    'TLS connection error for "": certificate is self-signed',
]
ROWS = (
    "100.85.19.11    pop-os-1               alice@    linux    -\n"
    "100.96.21.4     fablab-tantanly        alice@    linux    offline, last seen 102d ago\n"
    "100.115.222.44  jetson-desktop         alice@    linux    active; direct 192.0.2.9:41641, tx 10 rx 20\n"
)


# up to 60 columns: a first piece 60 or more wide is read as a terminal's hard cut (anywhere, mid-word too), which
# a soft wrap at a space cannot be told from without the paste's other lines (left open)
@given(st.sampled_from(HEALTH), st.integers(50, 60), st.booleans())
@settings(max_examples=80, deadline=None)
def test_a_health_item_soft_wrapped_at_a_space_is_read_whole(message: str, width: int, with_rows: bool) -> None:
    item = "#     - " + message
    wrapped = textwrap.wrap(item, width, break_long_words=False, break_on_hyphens=False)
    rows = "\n".join(textwrap.wrap(ROWS, width, break_long_words=False)) if with_rows else ""
    text = f"$ tailscale status\n{rows}\n\n# Health check:\n" + "\n".join(wrapped) + "\n"
    health = [h for status in _document(text)["statuses"] or [] for h in status.get("health", [])]
    assert any(message in h for h in health), (text, health)


@given(st.sampled_from(CELLS[1:]), OSES, st.booleans())
@settings(max_examples=60, deadline=None)
def test_a_row_wrapped_after_its_os_or_owner_is_one_row(cell: tuple[str, str], os_name: str, ip_less: bool) -> None:
    # an IP-less row (Headscale, logged out) cut after its OS; a row with its address cut after its owner
    text, path = cell
    rows = [f"10.24.0.8{' ' * 7}{'xmac':<21}kovacs{' ' * 7}macOS   -"]
    if ip_less:
        rows += [f"{' ' * 16}{'alivpn':<21}kovacs{' ' * 7}{os_name}", text]
    else:
        rows += [f"100.77.153.86{' ' * 3}{'alivpn':<21}kovacs", f"{os_name}  {text}"]
    peers = _peers("$ tailscale status\n" + "\n".join(rows) + "\n")
    assert ("alivpn", "" if ip_less else "100.77.153.86", os_name, path) in [
        (n, ip or "", o, p) for n, ip, o, p in peers
    ], (rows, peers)


def test_a_health_item_ending_mid_sentence_does_not_swallow_the_posters_next_sentence() -> None:
    text = (
        "$ tailscale status\n" + ROWS + "\n# Health check:\n"
        "#     - not connected to home DERP region 22\nI restarted it twice.\n"
    )
    health = [h for status in _document(text)["statuses"] or [] for h in status.get("health", [])]
    assert health == ["not connected to home DERP region 22"]
