"""Generated tests for the deformation classes fixed by s12-deform2 (tests/diagnose/deform.py finds them).

Health items soft-wrapped into three or more pieces, or at 60-80 columns (once read as a terminal's cut and joined
without a space), as `#     - ` items, `- ` bullets or bare messages; a terminal's cut re-wrapped by a chat client;
netcheck's port mapper lines wrapped at a space; a log line under the Windows service's two stamps broken between
the stamps and its message.
"""

from __future__ import annotations

import textwrap
from typing import Any

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from tests.diagnose.conftest import run_json

WIDTHS = st.integers(40, 100)
# a health item re-wrapped at 50 columns or narrower is left open: its pieces are short lines, which prose written
# under the item (no blank line between) would be too (blocks._MIN_WRAP_WIDTH)
HEALTH_WIDTHS = st.integers(51, 100)
OCTET = st.integers(1, 254)
IPV4 = st.tuples(st.sampled_from([10, 172, 192]), OCTET, OCTET, OCTET).map(lambda q: ".".join(map(str, q)))
CHAIN = st.sampled_from(["ts-forward", "ts-input", "ts-postrouting"])
REGION = st.sampled_from(["Frankfurt", "New York City", "São Paulo", "aliyun", "Tokyo"])

# health messages `tailscale status` prints (health warnables' texts, with their values drawn); session 13's
# narrow-wrap tests (test_deformed_classes_s12c.py, test_followups_s13.py) draw from the same ones
IPTABLES_MESSAGES = st.tuples(CHAIN, st.sampled_from(["iptables", "ip6tables"]), st.integers(1, 4)).map(
    lambda v: (
        f"adding [-i tailscale0 -j MARK --set-mark 0x40000/0xff0000] in v4/filter/{v[0]}: running "
        f"[/sbin/{v[1]} -t filter -A {v[0]} -i tailscale0 -j MARK --set-mark 0x40000/0xff0000 --wait]: exit status "
        f"{v[2]}: {v[1]}: Invalid argument. Run `dmesg' for more information."
    )
)
DNS_OS_MESSAGES = st.sampled_from(["dns-os", "dns"]).map(
    lambda k: (
        f'{k}: running /usr/sbin/resolvconf -m 0 -x -a tailscale: Failed to resolve interface "tailscale": '
        "No such device"
    )
)
SSH_ACL_MESSAGES = st.just(
    "Tailscale SSH enabled, but access controls don't allow anyone to access this device. Update your "
    "tailnet's ACLs to allow access."
)
RELAY_MESSAGES = REGION.map(
    lambda r: (
        f"Tailscale could not connect to the '{r}' relay server. Your Internet connection might be down, "
        "or the server might be temporarily unavailable."
    )
)
LOGIN_ERROR_MESSAGES = st.integers(20, 130).map(
    lambda v: (
        'not logged in, last login error=fetch control key: Get "https://controlplane.tailscale.com/key?'
        f'v={v}": x509: certificate signed by unknown authority'
    )
)
ITEM_MESSAGES = st.one_of(IPTABLES_MESSAGES, DNS_OS_MESSAGES, SSH_ACL_MESSAGES, RELAY_MESSAGES)
# health messages people paste on their own or as "- " bullets (status.BARE_HEALTH)
BARE_MESSAGES = st.one_of(
    st.sampled_from(["eth0", "enp3s0", "wlan0"]).map(
        lambda nic: (
            "The following issues on your machine will likely make usage of exit nodes impossible: "
            f'[interface "{nic}" has strict reverse-path filtering enabled], please set rp_filter=2 instead of '
            "rp_filter=1; see https://github.com/tailscale/tailscale/issues/3310"
        )
    ),
    LOGIN_ERROR_MESSAGES,
    RELAY_MESSAGES,
)


def _soft_wrapped(line: str, width: int) -> list[str]:
    return textwrap.wrap(line, width, break_long_words=False, break_on_hyphens=False)


def _terminal_like(pieces: list[str]) -> bool:
    # every piece but the last 80+ columns and as wide as the first: a terminal's cut, read so (left open: a
    # soft wrap that happens to look exactly like one)
    widths = {len(p) for p in pieces[:-1]}
    return len(widths) == 1 and min(widths) >= 80


def _shows_its_wrap(pieces: list[str], lines_around: list[str]) -> bool:
    # what tells a re-wrap from prose under an item (blocks._soft_wrapped_after): the paste's width (three lines or
    # more within 12 columns of its longest, 51+ wide), else each piece going on in lower case or a quote/bracket
    widths = sorted((len(line) for line in [*pieces, *lines_around]), reverse=True)[:8]
    if widths[0] > 50 and sum(width >= widths[0] - 12 for width in widths) >= 3:
        return True
    return all(piece[0].islower() or piece[0] in "-'\"([" for piece in pieces[1:])


def _ends_no_sentence(pieces: list[str]) -> bool:
    # a re-wrap that cut right after a sentence's end ("…Invalid argument." / "Run `dmesg' …") is left open: a
    # finished health item is not glued to the line under it (prose typed right under it would be)
    return all(piece[-1] not in ".!?)" for piece in pieces[:-1])


def health_items(document: dict[str, Any]) -> list[str]:
    return [h for status in document["statuses"] or [] for h in status.get("health", [])]


@given(ITEM_MESSAGES, HEALTH_WIDTHS, st.sampled_from(["", "100.64.0.1  router  tagged-devices linux -\n"]),
       st.sampled_from([("", ""), ("```\n", "```\n")]))  # fmt: skip
@settings(max_examples=200, deadline=None)
def test_a_health_item_soft_wrapped_at_any_width_keeps_its_words(
    message: str, width: int, rows: str, fence: tuple[str, str]
) -> None:
    pieces = _soft_wrapped("#     - " + message, width)
    assume(len(pieces) > 1 and not _terminal_like(pieces) and _shows_its_wrap(pieces, rows.split("\n")))
    assume(_ends_no_sentence(pieces))
    text = f"{fence[0]}$ tailscale status\n{rows}# Health check:\n" + "\n".join(pieces) + f"\n{fence[1]}"
    document = run_json(text)
    assert health_items(document) == [message], text
    unwrapped = run_json(f"{fence[0]}$ tailscale status\n{rows}# Health check:\n#     - {message}\n{fence[1]}")
    assert document["summary"]["exit_code"] == unwrapped["summary"]["exit_code"] == 1
    assert sorted(f["rule"] for f in document["findings"]) == sorted(f["rule"] for f in unwrapped["findings"])


@given(BARE_MESSAGES, HEALTH_WIDTHS, st.sampled_from(["", "- ", "- not connected to home DERP region 22\n- "]))
@settings(max_examples=150, deadline=None)
def test_a_bare_or_bulleted_health_message_soft_wrapped_keeps_its_words(message: str, width: int, lead: str) -> None:
    pieces = _soft_wrapped(lead.rsplit("\n", 1)[-1] + message, width)
    assume(len(pieces) > 1 and not _terminal_like(pieces) and _shows_its_wrap(pieces, lead.split("\n")))
    assume(_ends_no_sentence(pieces))
    text = "```\n" + (lead.rsplit("\n", 1)[0] + "\n" if "\n" in lead else "") + "\n".join(pieces) + "\n```\n"
    health = health_items(run_json(text))
    assert message in health, text
    assert len(health) == 1 + ("\n" in lead), text


@given(st.sampled_from(["invalid key: API key does not exist", "fetch control key: context canceled",
                        "register request: http 401: node key expired"]), HEALTH_WIDTHS)  # fmt: skip
@settings(max_examples=60, deadline=None)
def test_a_health_item_cut_after_its_closing_colon_takes_the_error_under_it(error: str, width: int) -> None:
    # "…The last login error was:" then the error, which alone reads as a log's or the CLI's own line
    head = "#     - You are logged out. The last login error was:"
    pieces = [*_soft_wrapped(head, width), *_soft_wrapped(error, width)]
    text = "$ tailscale status\n# Health check:\n" + "\n".join(pieces) + "\n\nunexpected state: NoState\n"
    assert health_items(run_json(text)) == [f"You are logged out. The last login error was: {error}"], text


@given(CHAIN, st.sampled_from(["iptables", "ip6tables"]), st.sampled_from([120, 130, 160]), st.integers(51, 80))
@settings(max_examples=120, deadline=None)
def test_a_terminal_cut_re_wrapped_by_a_chat_client_keeps_its_bracketed_command_line(
    chain: str, tool: str, terminal: int, width: int
) -> None:
    # an unclosed "[" keeps the item open whatever the widths (the short piece the terminal's cut left included);
    # the terminal's first cut inside the bracketed command line, as in corpus 473 (a cut before it, leaving a
    # short piece outside the brackets, is read as the item's end)
    command = f"[/sbin/{tool} -t filter -A {chain} -i tailscale0 -j MARK --set-mark 0x40000/0xff0000 --wait]"
    message = (f"adding [-i tailscale0 -j MARK --set-mark 0x40000/0xff0000] in v4/filter/{chain}: running {command}: "
               f"exit status 1: {tool}: Invalid argument. Run `dmesg' for more information.")  # fmt: skip
    item = "#     - " + message
    cut = [item[i : i + terminal] for i in range(0, len(item), terminal)]
    pieces = [piece for line in cut for piece in _soft_wrapped(line, width) or [line]]
    text = "$ tailscale status\n# Health check:\n" + "\n".join(pieces) + "\n"
    health = health_items(run_json(text))
    # a seam may gain or lose a space (a terminal's cut mid-word, re-wrapped, cannot be told from a word's end)
    assert len(health) == 1 and command.replace(" ", "") in health[0].replace(" ", ""), text


def _upnp_paste(lines: list[str], width: int, prompt: str) -> str:
    wrapped = [piece for line in lines for piece in _soft_wrapped(line, width)]
    return (f"{prompt}tailscale netcheck\n" if prompt else "") + "\n".join(wrapped) + "\n"


STAMPS = st.sampled_from(["", "2024/02/20 17:34:24 ", "2023/03/08 22:32:00.123456 "])


@given(st.tuples(IPV4, IPV4).filter(lambda pair: pair[0] != pair[1]), STAMPS, WIDTHS, st.integers(1, 3),
       st.sampled_from(["", "$ ", "root@istoreos:~# "]))  # fmt: skip
@settings(max_examples=150, deadline=None)
def test_the_port_mappers_not_gateway_line_wrapped_is_still_its_warning(
    pair: tuple[str, str], stamp: str, width: int, repeats: int, prompt: str
) -> None:
    responder, gateway = pair
    line = f"{stamp}portmap: UPnP discovery response from {responder}, but gateway IP is {gateway}"
    assume(len(_soft_wrapped(line, width)) > 1)
    document = run_json(_upnp_paste([line] * repeats, width, prompt))
    assert [b["kind"] for b in document["blocks"]] == ["netcheck"], document["blocks"]
    findings = [f for f in document["findings"] if f["rule"] == "TS-NETCHECK-UPNP-NOT-GATEWAY"]
    assert len(findings) == 1 and responder in findings[0]["cause"] and gateway in findings[0]["cause"]
    assert document["summary"]["exit_code"] == 1


@given(st.integers(1025, 65535), STAMPS, WIDTHS, st.sampled_from(["192.168.0.1:49152", "10.0.0.1:1900"]))
@settings(max_examples=100, deadline=None)
def test_the_port_mappers_chatter_wrapped_is_netcheck_chatter(port: int, stamp: str, width: int, location: str) -> None:
    lines = [
        f"{stamp}portmap: UPnP discovery response from non-UPnP port {port}",
        f"{stamp}portmap: [v1] UPnP reply {{Location:http://{location}/IGDdevicedesc_brlan0.xml Server:Linux/4.9.135, "
        "UPnP/1.0, Portable SDK for UPnP devices/1.6.22 USN:uuid:ebf5a0a0-1dd1-11b2-a90f-021018f320f4::urn:schemas-"
        'upnp-org:device:InternetGatewayDevice:1}, "HTTP/1.1 200 OK\\r\\nCACHE-CONTROL: max-age=1800\\r\\n"',
    ]
    assume(len(_soft_wrapped(lines[0], width)) > 1)
    document = run_json(_upnp_paste(lines, width, "$ "))
    assert [b["kind"] for b in document["blocks"]] == ["netcheck"], document["blocks"]
    assert document["summary"]["exit_code"] == 0 and document["findings"] == []


WINDOWS_STAMPS = st.sampled_from(["2021-04-20T22:12:16.875-07:00: 2021/04/20 22:12:16 ",
                                  "2022-11-02T08:01:59.102+01:00: 2022/11/02 08:01:59 "])  # fmt: skip
FACTS = ("udp", "mapping", "derp_home", "derp_home_region", "port_mapping", "ipv6")


@given(WINDOWS_STAMPS, st.sampled_from([(1, "nyc"), (10, "sea"), (21, "tor")]), st.booleans(), st.booleans(),
       st.booleans(), WIDTHS)  # fmt: skip
@settings(max_examples=150, deadline=None)
def test_a_netcheck_log_line_under_two_stamps_broken_between_them_is_read(
    stamps: str, region: tuple[int, int | str], udp: bool, varies: bool, netinfo: bool, width: int
) -> None:
    number = region[0]
    if netinfo:
        message = (f"control: NetInfo: NetInfo{{varies={str(varies).lower()} hairpin=false ipv6=true "
                   f'udp={str(udp).lower()} derp=#{number} portmap= link=""}}')  # fmt: skip
    else:
        message = (f"netcheck: report: udp={str(udp).lower()} v6=false v6os=true mapvarydest={str(varies).lower()} "
                   f"hair=false portmap=U v4a=198.51.100.4:41641 derp={number} derpdist={number}v4:27ms")  # fmt: skip
    # the break between the stamps and the message (a text box as wide as the stamps), then the message re-wrapped
    text = stamps.rstrip() + "\n" + "\n".join(_soft_wrapped(message, width)) + "\n"
    before, after = run_json(stamps + message + "\n"), run_json(text)
    assert after["nodes"], text
    assert [{k: n[k] for k in FACTS} for n in after["nodes"]] == [{k: n[k] for k in FACTS} for n in before["nodes"]]
    assert after["summary"]["exit_code"] == before["summary"]["exit_code"], text
