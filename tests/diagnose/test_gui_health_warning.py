"""Blind batch 17 (577): a health warning copied from the desktop app, proven over the ways people paste it.

The app shows tailscaled's warnables as title, text and ``Code: <warnable>`` (health/state.go). Titles and
texts below are the warnables' own (health/warnings.go, net/dns/resolver/forwarder.go, net/dns/manager.go).
Read as CLI/GUI kind ``gui-health-warning`` (TS-CLI-GUI-HEALTH-WARNING) with the warnable's own advice, the text
as the status health item it is; notices are info; never a GUI connection failure.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from opskit.errors import InputError
from tests.diagnose.conftest import run_json, run_text

# (title, text, code, words of the advice)
WARNABLES = [
    (
        "DNS unavailable",
        "Tailscale can't reach the configured DNS servers. Internet connectivity may be affected.",
        "dns-forward-failing",
        "DNS servers set in the admin console",
    ),
    (
        "Out of sync",
        "Unable to connect to the Tailscale coordination server to synchronize the state of your tailnet. "
        "Peer reachability might degrade over time.",
        "not-in-map-poll",
        "connection to the control server",
    ),
    (
        "No home relay server",
        "Tailscale could not connect to any relay server. Check your Internet connection.",
        "no-derp-home",
        "TCP 443",
    ),
    (
        "Failed to set system DNS configuration",
        "Failed to set system DNS configuration: exit status 1",
        "dns-set-os-config-failed",
        "",
    ),
]

NOTICES = [
    ("Update available", "An update from version 1.80.2 to 1.82.0 is available.", "update-available"),
    ("Tailscale is starting", "Tailscale is starting. Please wait.", "warming-up"),
]


def _layout(title: str | None, text: str, code: str, bold: bool, quote: bool, blanks: bool, wrap: int) -> str:
    words = text.split(" ")
    if wrap and len(words) > wrap:  # the text wrapped over two lines by the app's width or the paste
        text = " ".join(words[:wrap]) + "\n" + " ".join(words[wrap:])
    parts = [] if title is None else [f"**{title}**" if bold else title]
    parts += [text, f"Code: {code}"]
    body = ("\n\n" if blanks else "\n").join(parts)
    if quote:
        body = "\n".join(f"> {line}" if line else ">" for line in body.split("\n"))
    return "I get this in the menu bar:\n\n" + body + "\n"


@settings(max_examples=60, deadline=None)
@given(
    warnable=st.sampled_from(WARNABLES),
    titled=st.booleans(),
    bold=st.booleans(),
    quote=st.booleans(),
    blanks=st.booleans(),
    wrap=st.sampled_from([0, 5, 9]),
    title_case=st.booleans(),
)
def test_app_health_warning_is_read_in_every_layout(
    warnable: tuple[str, str, str, str],
    titled: bool,
    bold: bool,
    quote: bool,
    blanks: bool,
    wrap: int,
    title_case: bool,
) -> None:
    title, text, code, advice = warnable
    shown = (title.title() if title_case else title) if titled else None
    # an untitled text wrapped by the paste cannot be told from a plain title over one line: the app always
    # shows the title, so that layout is left out
    document = run_json(_layout(shown, text, code, bold, quote, blanks, wrap if titled else 0))
    kinds = [e["kind"] for e in document.get("windows") or []]
    assert kinds == ["gui-health-warning"], document.get("windows")
    assert not {"gui-cannot-connect", "service-not-running"} & set(kinds)
    first_words = " ".join(text.split(" ")[:4])
    assert any(first_words in h for s in document["statuses"] for h in s["health"]), document["statuses"]
    found = [f for f in document["findings"] if f["rule"] == "TS-CLI-GUI-HEALTH-WARNING"]
    assert len(found) == 1 and found[0]["severity"] == "warning"
    assert code in found[0]["cause"]
    assert advice in found[0]["fix"]
    assert "TS-STATUS-HEALTH" not in {f["rule"] for f in document["findings"]}  # said once, by the app's rule
    assert document["summary"]["exit_code"] == 1


@pytest.mark.parametrize(("title", "text", "code"), NOTICES)
def test_notice_warnables_are_info(title: str, text: str, code: str) -> None:
    document = run_json(_layout(title, text, code, bold=True, quote=True, blanks=False, wrap=0))
    found = [f for f in document["findings"] if f["rule"] == "TS-CLI-GUI-HEALTH-WARNING"]
    assert len(found) == 1 and found[0]["severity"] == "info"
    assert document["summary"]["exit_code"] == 0


@pytest.mark.parametrize(
    "text",
    [
        "Code: 404\n",  # not a warnable code
        "The function below is wrong.\nCode: see below\n",
        "Here is my setup.\nCode:\n",
    ],
)
def test_other_code_lines_are_no_app_warning(text: str) -> None:
    with pytest.raises(InputError):  # nothing else in them either: exit 2, "nothing to diagnose"
        run_text(text)


# fix18 (corpus 478): the banner quoted inside the user's own sentence, without its "Code:" line, its title in any
# case or left out, the text in quotes (straight, typographic, mismatched) or inline code. The warnable is named by
# its text's words; every warnable whose text says which it is (health/warnings.go, forwarder.go), its values filled.
QUOTED = [
    ("DNS unavailable", "Tailscale can't reach the configured DNS servers. Internet connectivity may be affected.",
     "dns-forward-failing"),
    ("Network down", "Tailscale cannot connect because the network is down. Check your Internet connection.",
     "network-status"),
    ("Out of sync", "Unable to connect to the Tailscale coordination server to synchronize the state of your "
     "tailnet. Peer reachability might degrade over time.", "not-in-map-poll"),
    ("No home relay server", "Tailscale could not connect to any relay server. Check your Internet connection.",
     "no-derp-home"),
    ("Relay server unavailable", "Tailscale could not connect to the 'Frankfurt' relay server. Your Internet "
     "connection might be down, or the server might be temporarily unavailable.", "no-derp-connection"),
    ("Relay server timed out", "Tailscale hasn't heard from the home relay server (region ID '999') in 10m0s. The "
     "server might be temporarily unavailable, or your Internet connection might be down.", "derp-timed-out"),
    ("NAT traversal setup failure", "Tailscale couldn't listen for incoming UDP connections.", "no-udp4-bind"),
    ("Network map response timeout", "Tailscale hasn't received a network map from the coordination server in 5m.",
     "mapresponse-timeout"),
    ("MagicSock function not running", "The MagicSock function ReceiveIPv4 is not running. You might experience "
     "connectivity issues.", "magicsock-receive-func-error"),
    ("IP forwarding is off", "Subnet routing is enabled, but IP forwarding is disabled. Check that IP forwarding is "
     "enabled on your machine.", "ip-forwarding-off"),
]  # fmt: skip
QUOTED_SENTENCES = [
    'In the Tailscale app I see "Connected" with a warning, and the banner {title} {text}',
    "The app keeps showing {title} `{text}`",
    "After the update I get: {text}",
    "iOS app shows a red triangle: {title}: \u201c{text}\u201d",
]
QUOTED_TITLES = ['"{t}"', "\"{t}'", "**{t}**", "{t}"]


@settings(max_examples=60, deadline=None)
@given(
    warnable=st.sampled_from(QUOTED),
    sentence=st.sampled_from(QUOTED_SENTENCES),
    title_form=st.sampled_from(QUOTED_TITLES),
    upper=st.booleans(),
)
def test_a_banner_quoted_in_a_sentence_is_the_apps_health_warning(
    warnable: tuple[str, str, str], sentence: str, title_form: str, upper: bool
) -> None:
    title, text, code = warnable
    shown = title_form.format(t=title.upper() if upper else title)
    document = run_json(sentence.format(title=shown, text=text) + "\n")
    kinds = [e["kind"] for e in document.get("windows") or []]
    assert kinds == ["gui-health-warning"], document.get("windows")
    first_words = " ".join(text.split(" ")[:4])
    assert any(first_words in h for s in document["statuses"] for h in s["health"]), document["statuses"]
    found = [f for f in document["findings"] if f["rule"] == "TS-CLI-GUI-HEALTH-WARNING"]
    assert len(found) == 1 and code in found[0]["cause"]


@pytest.mark.parametrize(
    ("text", "block"),
    [
        # `tailscale status`'s health item, bare or bulleted: the status block's, not the app's banner
        ("Tailscale can't reach the configured DNS servers. Internet connectivity may be affected.\n", "status"),
        ("# Health check:\n#     - Tailscale could not connect to any relay server. Check your Internet "
         "connection.\n", "status"),
        # tailscaled's own log of the warnable
        ('2024/08/07 10:00:00 health(warnable=dns-forward-failing): error: Tailscale can\'t reach the configured '
         "DNS servers. Internet connectivity may be affected.\n", "tailscaled-log"),
    ],
)  # fmt: skip
def test_the_warnable_text_in_status_or_the_log_stays_theirs(text: str, block: str) -> None:
    document = run_json(text)
    assert [b["kind"] for b in document["blocks"]] == [block], document["blocks"]
    assert not document.get("windows")
