"""Generated tests for the status / ping / CLI-warning classes blind batch 10 missed (corpus 599, 603, 605,
607-609, 657-661), each proven on variants rather than on the paste that showed it:

- the warnings `tailscale up` / `set` / `login` print after applying prefs that advertise routes: IP
  forwarding off (every wording of net/netutil/ip_forward.go) and the UDP GRO throughput advisory, with
  their "See https://tailscale.com/…" line;
- a login that printed "To authenticate, visit:" and then "Success.";
- the local node's own row when it is an approved exit node (`idle; offers exit node`);
- a health block holding only the update-available notice;
- a control server that reports no presence (every peer offline while traffic flows);
- `tailscale ping`'s closing error under Go's log stamp, and a ping that ends on a Peer Relay.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from opskit.core.findings import Severity
from tests.diagnose.conftest import by_rule, cli_kinds, run_json, run_text

# ------------------------------------------------------------------------- CLI warnings after `up`/`set`

# Every message CheckIPForwarding returns as a warning (Linux, FreeBSD, illumos, the other BSDs), as the CLI
# prints it (warnf: "Warning: " + message; the message may run over several lines), with what opskit says.
FORWARDING_WARNINGS = [
    ("IP forwarding is disabled, subnet routing/exit nodes will not work.", "IP forwarding is off"),
    ("IPv6 forwarding is disabled, subnet routing/exit nodes may not work.", "IPv6 forwarding is off"),
    ("IPv6 forwarding is disabled.\nSubnet routes and exit nodes may not work correctly.", "IPv6 forwarding is off"),
    (
        "Traffic received on eth1 won't be forwarded (net.ipv4.conf.eth1.forwarding disabled)\n"
        "Subnet routes and exit nodes may not work correctly.",
        "per-interface",
    ),
    (
        "IPv6 forwarding is disabled.\nTraffic received on enp3s0 won't be forwarded (net.ipv4.conf.enp3s0."
        "forwarding disabled)\nSubnet routes and exit nodes may not work correctly.",
        "per-interface",
    ),
    ("IPv4 forwarding is disabled.\nSubnet routes and exit nodes may not work correctly.", "IPv4 forwarding is off"),
    # (a failed check, "Couldn't check system's IP forwarding configuration …", is ip-forwarding-check-failed:
    # test_ip_forwarding_check.py)
    (
        "Subnet routing and exit nodes only work with additional manual configuration on openbsd, and is not "
        "currently officially supported.",
        "manual configuration",
    ),
]
KB_LINKS = ["", "See https://tailscale.com/s/ip-forwarding", "See https://tailscale.com/kb/1104/enable-ip-forwarding/"]
COMMANDS = [
    "",
    "# tailscale up --advertise-exit-node",
    "$ sudo tailscale set --advertise-routes=192.168.1.0/24",
    "root@gw:~# tailscale up --login-server=https://hs.example.com --advertise-routes=10.0.0.0/24",
]
WRAPS = ["{t}", "```console\n{t}\n```", "```\n{t}\n```\n"]
# a workflow step's output: every line under the runner's stamp
STAMPED = "2024-06-14T15:32:34.6123970Z "


def _paste(command: str, message: str, link: str, wrap: str) -> str:
    lines = message.split("\n")
    lines[0] = "Warning: " + lines[0]
    lines = ([command] if command else []) + lines + ([link] if link else [])
    return wrap.format(t="\n".join(lines))


@given(
    st.sampled_from(FORWARDING_WARNINGS),
    st.sampled_from(KB_LINKS),
    st.sampled_from(COMMANDS),
    st.sampled_from(WRAPS),
    st.booleans(),
)
@settings(max_examples=80, deadline=None)
def test_forwarding_warnings_are_ip_forwarding_disabled_a_problem(
    case: tuple[str, str], link: str, command: str, wrap: str, stamped: bool
) -> None:
    message, said = case
    text = _paste(command, message, link, wrap)
    if stamped:
        text = "\n".join(STAMPED + line for line in text.split("\n"))
    document = run_json(text)
    assert [w["kind"] for w in document["windows"]] == ["ip-forwarding-disabled"], text
    report = run_text(text)
    (finding,) = by_rule(report, "TS-CLI-IP-FORWARDING-DISABLED")
    assert finding.severity is Severity.WARNING
    expected = {
        "IP forwarding is off": "IP forwarding is off in the kernel",
        "IPv6 forwarding is off": "IPv6 forwarding is off",
        "IPv4 forwarding is off": "IPv4 forwarding is off",
        "per-interface": "per-interface",
        "manual configuration": "manual configuration",
    }[said]
    assert expected in finding.cause, (text, finding.cause)
    assert document["summary"]["exit_code"] == 1
    # the KB link closes the message: it is read, not reported as a skipped line
    assert not any("See https://" in w for w in report.warnings), report.warnings


def test_hardening_prose_about_ip_forwarding_is_not_the_cli_warning() -> None:
    from opskit.core.diagnose.windows import is_windows_error_line

    for prose in (
        "# 3.1.1 Ensure IP forwarding is disabled",
        "If `firewalld` is active and IP forwarding is disabled (`0`), your system is running with the expected "
        "defaults.",
        'zap.S().Warn("IP forwarding is disabled.")',
    ):
        assert not is_windows_error_line(prose), prose


NICS = ["eno1", "eth0", "vmbr0", "enp3s0", "br-lan", "ens18", "wlan0.100"]


@given(st.sampled_from(NICS), st.sampled_from(COMMANDS), st.sampled_from(WRAPS), st.booleans())
@settings(max_examples=40, deadline=None)
def test_udp_gro_advisory_is_info_naming_the_nic(nic: str, command: str, wrap: str, link: bool) -> None:
    message = (
        f"UDP GRO forwarding is suboptimally configured on {nic}, UDP forwarding throughput capability will "
        "increase with a configuration change."
    )
    text = _paste(command, message, "See https://tailscale.com/s/ethtool-config-udp-gro" if link else "", wrap)
    document = run_json(text)
    assert [w["kind"] for w in document["windows"]] == ["udp-gro-suboptimal"], text
    (finding,) = by_rule(run_text(text), "TS-CLI-UDP-GRO-SUBOPTIMAL")
    assert finding.severity is Severity.INFO
    assert f"ethtool -K {nic} rx-udp-gro-forwarding on" in finding.fix
    assert document["summary"]["exit_code"] == 0


# cli/risks.go presentRiskToUser (v1.68-v1.96): the LocalAPI check-reverse-path-filtering warning
# (healthmsg.WarnExitNodeUsage + ":", one "- interface %q has strict reverse-path filtering enabled" per NIC,
# healthmsg.DisableRPFilter), then "To skip this warning, use --accept-risk=linux-strict-rp-filter" and the prompt
RP_COMMANDS = [
    "$ tailscale up --exit-node=lizard",
    "root@box:~# tailscale set --exit-node=100.64.0.7 --exit-node-allow-lan-access",
    "$ sudo tailscale up --exit-node=us-nyc-wg-301.mullvad.ts.net",
    "",
]
RP_NICS = ["ens4", "eth0", "tailscale0", "enp3s0", "wlan0.100", "br-lan", "docker0"]
RP_ENDS = ["", "Continue? [y/N] ", "Continue? [y/N] y\nSuccess.", "$"]


@given(
    st.sampled_from(RP_COMMANDS),
    st.lists(st.sampled_from(RP_NICS), min_size=1, max_size=3, unique=True),
    st.sampled_from(RP_ENDS),
    st.sampled_from(WRAPS),
    st.booleans(),
)
@settings(max_examples=40, deadline=None)
def test_exit_node_strict_rp_filter_risk_is_one_warning_naming_each_nic(
    command: str, nics: list[str], end: str, wrap: str, stamped: bool
) -> None:
    lines = [
        "The following issues on your machine will likely make usage of exit nodes impossible:",
        *(f'- interface "{nic}" has strict reverse-path filtering enabled' for nic in nics),
        "Please set rp_filter=2 instead of rp_filter=1; see https://github.com/tailscale/tailscale/issues/3310",
        "To skip this warning, use --accept-risk=linux-strict-rp-filter",
    ]
    if stamped:
        lines = [STAMPED + line for line in lines]
    text = wrap.format(t="\n".join(([command] if command else []) + lines + ([end] if end else [])))
    document = run_json(text)
    assert {w["kind"] for w in document["windows"]} == {"exit-node-rp-filter-risk"}, text
    (finding,) = by_rule(run_text(text), "TS-CLI-EXIT-NODE-RP-FILTER-RISK")
    assert finding.severity is Severity.WARNING
    for nic in ["all", *nics]:
        assert f"net.ipv4.conf.{nic}.rp_filter=2" in finding.fix, (nic, finding.fix)
    assert document["summary"]["exit_code"] == 1


@pytest.mark.parametrize(
    "text",
    [
        # the same words folded into a health item (status) or a log line: the warnable, not the CLI's question
        '- The following issues on your machine will likely make usage of exit nodes impossible: [interface "eth0" '
        "has strict reverse-path filtering enabled], please set rp_filter=2 instead of rp_filter=1; see "
        "https://github.com/tailscale/tailscale/issues/3310",
        "- Exit node misconfiguration: The following issues on your machine will likely make usage of exit nodes "
        'impossible: [interface "eth0" has strict reverse-path filtering enabled], Please set rp_filter=2 instead of '
        "rp_filter=1; see https://github.com/tailscale/tailscale/issues/3310",
        '2024/02/21 21:17:07 health("overall"): error: The following issues on your machine will likely make usage '
        'of exit nodes impossible: [interface "eth0" has strict reverse-path filtering enabled], please set '
        "rp_filter=2 instead of rp_filter=1; see https://github.com/tailscale/tailscale/issues/3310",
    ],
)
def test_the_folded_rp_filter_warnable_is_not_the_cli_risk_message(text: str) -> None:
    from opskit.core.diagnose.windows import is_windows_error_line

    assert not is_windows_error_line(text), text


def test_both_warnings_of_one_up_are_both_read() -> None:
    text = (
        "yii-jump:~# tailscale up --advertise-routes=10.10.10.0/24,192.168.100.0/24\n"
        "Warning: IPv6 forwarding is disabled.\nSubnet routes and exit nodes may not work correctly.\n"
        "See https://tailscale.com/s/ip-forwarding\n"
        "Warning: UDP GRO forwarding is suboptimally configured on eth0, UDP forwarding throughput capability will "
        "increase with a configuration change.\nSee https://tailscale.com/s/ethtool-config-udp-gro\n"
    )
    assert sorted(cli_kinds(text)) == ["ip-forwarding-disabled", "udp-gro-suboptimal"]


# ------------------------------------------------------------------------------ login URL, then Success

LOGIN_URLS = [
    "https://login.tailscale.com/a/1a2b3c4d5e6f",
    " http://X.X.X.X:8080/register?key=30e9c9c952e2d66680b9904eb861e24a",
    "\thttps://hs.example.com/register/nodekey:abcdef0123456789",
]


_LOGIN_HEADERS = ("To authenticate, visit:", "To approve your machine, visit (as admin):")
_TYPED = (
    "",
    "$ sudo tailscale up\n\n",
    "root@vyos:~# tailscale up --advertise-routes=10.0.0.0/24\n",
    "# tailscale login\n",
)


@given(
    st.sampled_from(LOGIN_URLS), st.booleans(), st.booleans(), st.sampled_from(_LOGIN_HEADERS), st.sampled_from(_TYPED)
)
@settings(max_examples=40, deadline=None)
def test_a_login_that_printed_its_url_then_success_is_done(
    url: str, success: bool, blank: bool, header: str, typed: str
) -> None:
    gap = "\n" if blank else ""
    text = f"{typed}{header}\n{gap}{url}\n{gap}" + ("Success.\n" if success else "")
    diagnosis = run_text(text)
    if success:
        # lead (session 16, blind 37-38: 1981, 2042, 2043): the login went through, so it is not reported under
        # TS-STATUS-NOT-RUNNING (whose name says the opposite) but as TS-CLI-LOGIN-SUCCEEDED
        assert not by_rule(diagnosis, "TS-STATUS-NOT-RUNNING")
        (finding,) = by_rule(diagnosis, "TS-CLI-LOGIN-SUCCEEDED")
        assert finding.severity is Severity.INFO and "Success." in finding.cause
    else:
        assert not by_rule(diagnosis, "TS-CLI-LOGIN-SUCCEEDED")
        (finding,) = by_rule(diagnosis, "TS-STATUS-NOT-RUNNING")
        assert finding.severity is Severity.ERROR


# ------------------------------------------------------------------------- self row offering an exit node

PEER_ROWS = [
    ("100.87.138.101", "gha-ubuntu", "linux", "idle; offers exit node; offline, last seen 1m ago"),
    ("100.85.218.16", "hamid", "windows", "offline, last seen 2d ago"),
    ("100.90.132.42", "salon", "linux", "active; direct 192.168.1.176:41641, tx 118188 rx 97316"),
    ("100.64.7.30", "hk3", "linux", "idle; offers exit node"),
]


@given(
    st.lists(st.sampled_from(PEER_ROWS), min_size=1, max_size=4),
    st.sampled_from([1, 2, 4]),
    st.sampled_from(["", "   ", " " * 40]),
)
@settings(max_examples=40, deadline=None)
def test_the_first_row_idle_offering_an_exit_node_is_the_local_node(
    peers: list[tuple[str, str, str, str]], gap: int, pad: str
) -> None:
    sep = " " * gap

    def row(ip: str, host: str, os: str, cell: str) -> str:
        return f"{ip:<16}{sep}{host:<18}{sep}{'someone@':<10}{sep}{os:<8}{sep}{cell}{pad}"

    text = "\n".join(
        [row("100.113.186.105", "jkg-server", "linux", "idle; offers exit node")] + [row(*p) for p in peers]
    )
    rows = [p for p in run_json(text)["peers"] if p["from"] == "status"]
    assert rows[0]["name"] == "jkg-server" and rows[0]["self"] is True
    assert rows[0]["exit_node"] == "offers exit node"
    assert not any(r["self"] for r in rows[1:]), rows


def test_a_first_row_that_is_offline_or_active_is_not_the_local_node() -> None:
    for cell in ("idle; offers exit node; offline, last seen 1m ago", 'active; relay "fra", tx 10 rx 20'):
        text = f"100.64.0.2  peer  someone@  linux  {cell}\n100.64.0.3  other  someone@  linux  offline"
        rows = run_json(text)["peers"]
        assert not rows[0]["self"], cell


# ------------------------------------------------------------------------------- update-available notice

UPDATE_NOTICES = [
    "An update from version 1.88.4 to 1.94.2 is available. Run `tailscale update` or `tailscale set --auto-update` "
    "to update now.",
    "An update from version 1.66.0 to 1.66.4 is available.",
]
STATUS = (
    "100.68.116.54   13900k               Martins3@    linux   -\n"
    "100.105.106.81  windows              Martins3@    windows active; direct 192.168.2.228:41641, tx 144 rx 406\n"
)


@given(st.sampled_from(UPDATE_NOTICES), st.sampled_from(["", "no DERP home", "A security update"]))
@settings(max_examples=20, deadline=None)
def test_an_update_notice_alone_is_not_a_health_problem(notice: str, other: str) -> None:
    lines = [f"#     - {notice}"]
    if other == "no DERP home":
        lines.append("#     - not connected to home DERP region 12")
    elif other:
        lines = ["#     - A security update from version 1.56.0 to 1.56.1 is available."]
    text = STATUS + "\n# Health check:\n" + "\n".join(lines) + "\n"
    (finding,) = by_rule(run_text(text), "TS-STATUS-HEALTH")
    if other:
        assert finding.severity is Severity.WARNING
        assert "An update from" not in finding.cause
    else:
        assert finding.severity is Severity.INFO
        assert run_json(text)["summary"]["exit_code"] == 0


# --------------------------------------------------------------------- no presence from the control server

ACTIVE_CELLS = [
    'active; relay "thk"; offline, tx 1608 rx 1552',
    "active; direct xxxx:2756; offline, tx 50424 rx 34056",
    "active; direct [240e:390:caf:1870::b0b]:41641; offline, tx 181992 rx 3910120",
]


@given(
    st.lists(st.sampled_from(ACTIVE_CELLS), min_size=2, max_size=4),
    st.sampled_from(["", "offline", "idle; offline, tx 100 rx 20", "-"]),
)
@settings(max_examples=30, deadline=None)
def test_every_peer_offline_while_traffic_flows_is_one_info(cells: list[str], extra: str) -> None:
    rows = [f"                peer{i:<16} default      linux   {cell}" for i, cell in enumerate(cells)]
    if extra:
        rows.append(f"100.64.0.9      zzz-peer             default      linux   {extra}")
    text = "\n".join(rows) + "\n"
    findings = by_rule(run_text(text), "TS-STATUS-ACTIVE-OFFLINE")
    if extra == "-":  # a peer that is online: the offline flags are real
        assert len(findings) == len(cells) and all(f.severity is Severity.WARNING for f in findings)
    else:
        (finding,) = findings
        assert finding.severity is Severity.INFO and "reports no presence" in finding.cause


def test_one_active_offline_peer_stays_a_warning() -> None:
    text = (
        "100.101.6.89    hawkman      someone@  linux   -\n"
        '100.101.6.90    macbook      someone@  macOS   active; relay "ord"; offline, tx 264376 rx 227224\n'
    )
    (finding,) = by_rule(run_text(text), "TS-STATUS-ACTIVE-OFFLINE")
    assert finding.severity is Severity.WARNING


# ----------------------------------------------------------------------------------- ping: stamps, relays

STAMPS = ["2025/12/14 17:38:41 ", "2021/03/02 09:01:02.123456 ", ""]
DERP_PONG = "pong from router-0 (100.69.114.112) via DERP(ord) in 463ms"
RELAY_PONG = "pong from router-0 (100.69.114.112) via peer-relay(67.4.225.236:7777:vni:619) in 306ms"


@given(st.sampled_from(STAMPS), st.integers(min_value=1, max_value=4))
@settings(max_examples=20, deadline=None)
def test_the_ping_verdict_under_a_go_log_stamp_is_read(stamp: str, pongs: int) -> None:
    text = (
        "$ tailscale ping router-0\n" + "\n".join([DERP_PONG] * pongs) + f"\n{stamp}direct connection not established\n"
    )
    document = run_json(text)
    (ping,) = document["pings"]
    assert ping["outcome"] == "not-established" and ping["pongs"] == pongs
    assert "TS-INPUT-UNREAD" not in {f["rule"] for f in document["findings"]}


@given(st.sampled_from(STAMPS[:2]))
@settings(max_examples=4, deadline=None)
def test_a_stamped_no_reply_is_a_ping_without_reply(stamp: str) -> None:
    text = '$ tailscale ping nas\nping "100.64.0.5" timed out\nping "100.64.0.5" timed out\n' + f"{stamp}no reply\n"
    (ping,) = run_json(text)["pings"]
    assert ping["outcome"] == "timeout"


def test_a_stamped_context_canceled_is_not_claimed_by_ping() -> None:
    from opskit.core.diagnose.ping import is_ping_line

    assert not is_ping_line("2025/12/14 17:38:41 context canceled")
    assert is_ping_line("2025/12/14 17:38:41 direct connection not established")


@given(st.integers(min_value=0, max_value=3), st.integers(min_value=1, max_value=3), st.booleans())
@settings(max_examples=30, deadline=None)
def test_a_ping_that_ends_on_a_peer_relay_has_outcome_peer_relay(derp: int, relay: int, verdict: bool) -> None:
    text = "\n".join([DERP_PONG] * derp + [RELAY_PONG] * relay) + (
        "\ndirect connection not established" if verdict else ""
    )
    document = run_json(text)
    (ping,) = document["pings"]
    assert ping["outcome"] == "peer-relay" and ping["path"] == "peer-relay"
    assert document["summary"]["exit_code"] == 0
    (finding,) = by_rule(run_text(text), "TS-PING-NOT-DIRECT")
    assert finding.severity is Severity.INFO


def test_a_ping_that_falls_back_from_peer_relay_to_derp_is_relayed() -> None:
    document = run_json(f"{RELAY_PONG}\n{DERP_PONG}\n")
    (ping,) = document["pings"]
    assert ping["outcome"] == "relayed-only"
    assert document["summary"]["exit_code"] == 1


# ------------------------------------------- `tailscale status` health items listed as plain "- " bullets

BULLET_HEALTH = [
    "not connected to home DERP region 22",
    'The following issues on your machine will likely make usage of exit nodes impossible: [interface "eth0" has '
    "strict reverse-path filtering enabled], please set rp_filter=2 instead of rp_filter=1; see "
    "https://github.com/tailscale/tailscale/issues/3310",
    "Exit node misconfiguration: The following issues on your machine will likely make usage of exit nodes "
    'impossible: [interface "ens4" has strict reverse-path filtering enabled interface "tailscale0" has strict '
    "reverse-path filtering enabled], Please set rp_filter=2 instead of rp_filter=1; see "
    "https://github.com/tailscale/tailscale/issues/3310",
    "Tailscale can't reach the configured DNS servers. Internet connectivity may be affected.",
]


@given(
    st.lists(st.sampled_from(BULLET_HEALTH), min_size=1, max_size=3, unique=True),
    st.sampled_from(["- ", "-  ", "-\t"]),
    st.sampled_from(WRAPS),
)
@settings(max_examples=30, deadline=None)
def test_health_items_as_plain_dash_bullets_are_a_status_health_list(items: list[str], bullet: str, wrap: str) -> None:
    text = wrap.format(t="\n".join(bullet + item for item in items))
    document = run_json(text)
    (status,) = document["statuses"]
    assert status["health"] == items, text
    assert document["windows"] == [], text
    assert document["summary"]["exit_code"] == 1


def test_a_dash_bullet_of_other_words_is_no_health_item() -> None:
    from opskit.core.diagnose.status import is_status_line

    for line in ("- not a health message at all", "- The following issues were fixed in 1.62:", "- interface eth0"):
        assert not is_status_line(line), line
