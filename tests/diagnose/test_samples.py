"""Every public sample (tests/diagnose/samples, sources in SOURCES.md) and the conclusion a person
would draw from it."""

from __future__ import annotations

from pathlib import Path

import pytest

from opskit.core.diagnose.models import DerpHomeState, Ipv6State, PathKind, PortMapState
from opskit.core.diagnose.paths import Prediction
from opskit.core.diagnose.profile import AddressScope, Mapping
from opskit.core.findings import Severity
from tests.diagnose.conftest import SAMPLES, by_rule, rule_ids, run_files


def sample(name: str) -> Path:
    return SAMPLES / name


# The first 23 samples, sorted by output kind; the public-paste corpus (samples/corpus, 60 pastes with
# their ground truth) is judged by test_corpus.py.
ALL_SAMPLES = sorted(p.relative_to(SAMPLES).as_posix() for p in SAMPLES.rglob("*.txt") if p.parent.name != "corpus")


def test_every_sample_is_copied_with_its_source() -> None:
    sources = (SAMPLES / "SOURCES.md").read_text()
    assert len(ALL_SAMPLES) == 23
    for name in ALL_SAMPLES:
        assert name in sources, f"{name} has no source line in SOURCES.md"


@pytest.mark.parametrize("name", ALL_SAMPLES)
def test_every_sample_is_recognised_as_its_folder_kind(name: str) -> None:
    diagnosis = run_files(sample(name))
    kinds = {b.kind for b in diagnosis.blocks}
    expected = {"netcheck": "netcheck", "status": "status", "ping": "ping", "windows": "windows-error"}
    assert kinds == {expected[name.split("/")[0]]}


# ------------------------------------------------------------------------------------------- netcheck


def test_v1_0_layout_easy_nat_home_sin() -> None:
    diagnosis = run_files(sample("netcheck/v1.0-old-format-easy-nat-sin.txt"))
    (profile,) = diagnosis.profiles
    assert profile.report.layout == "text v1.0"
    assert profile.mapping is Mapping.EASY
    assert profile.report.ipv6_state is Ipv6State.NO
    assert profile.report.portmap_state is PortMapState.NONE_FOUND  # empty = probed, nothing answered
    assert profile.home_derp == "sin"
    assert profile.home_latency is not None and profile.home_latency.latency_ms == pytest.approx(76.5)
    assert profile.ipv4_scope is AddressScope.REDACTED
    assert [d.region_id for d in profile.report.latencies] == [1, 2, 3, 4, 5]
    assert not [f for f in diagnosis.findings if f.severity >= Severity.WARNING]


def test_udp_blocked_wifi_means_every_peer_is_relayed() -> None:
    diagnosis = run_files(sample("netcheck/udp-blocked-wifi-v1.10.txt"))
    (profile,) = diagnosis.profiles
    assert profile.udp is False
    assert profile.report.mapping_varies is None  # blank = not measured, not false
    assert profile.report.hairpinning is None
    assert profile.mapping is Mapping.UNKNOWN
    (finding,) = by_rule(diagnosis, "TS-NETCHECK-UDP-BLOCKED")
    assert finding.severity is Severity.ERROR
    assert "3 of 11" in finding.cause and "non-UDP" in finding.cause
    assert "UDP 3478" in finding.fix and "41641" in finding.fix
    assert [e.line for e in finding.evidence][:2] == [4, 5]
    assert "TS-NETCHECK-MAPPING-UNKNOWN" not in rule_ids(diagnosis)  # UDP false explains it
    assert "TS-NETCHECK-DERP-SILENT" not in rule_ids(diagnosis)


def test_udp_blocked_node_is_derp_only_with_any_peer() -> None:
    diagnosis = run_files(
        sample("netcheck/udp-blocked-wifi-v1.10.txt"),
        sample("netcheck/public-ip-no-nat-ipv6-hairpin-v1.28.txt"),
    )
    (pair,) = diagnosis.predictions
    assert pair.prediction is Prediction.DERP_ONLY
    assert "udp-blocked-wifi-v1.10" in pair.reason and "UDP is blocked" in pair.reason
    assert "allow outbound UDP" in pair.change


def test_udp_blocked_node_gets_one_finding_for_all_its_pairs() -> None:
    diagnosis = run_files(
        sample("netcheck/udp-blocked-wifi-v1.10.txt"),
        sample("netcheck/public-ip-no-nat-ipv6-hairpin-v1.28.txt"),
        sample("netcheck/pair-machine2-easy-nat-ipv6-no.txt"),
    )
    (finding,) = by_rule(diagnosis, "TS-PAIR-DERP-ONLY")
    assert finding.title == "Everything to and from udp-blocked-wifi-v1.10 is relayed: its network blocks UDP"
    assert len(finding.extra["pairs"]) == 2
    # The two other nodes can reach each other directly.
    other = next(p for p in diagnosis.predictions if "udp-blocked-wifi-v1.10" not in (p.a, p.b))
    assert other.prediction is Prediction.DIRECT_IPV4


def test_hard_nat_with_nat_pmp_is_reachable_through_the_mapping() -> None:
    diagnosis = run_files(sample("netcheck/hard-nat-natpmp-nairobi-bradfitz.txt"))
    (profile,) = diagnosis.profiles
    assert profile.mapping is Mapping.HARD and profile.portmap_usable
    assert profile.report.portmap_protocols == ("NAT-PMP",)
    assert profile.home_derp == "Nairobi"
    (finding,) = by_rule(diagnosis, "TS-NETCHECK-HARD-NAT")
    assert finding.severity is Severity.INFO and "NAT-PMP" in finding.cause


def test_hard_nat_natpmp_vs_campus_hard_nat_is_direct_via_the_mapping() -> None:
    diagnosis = run_files(
        sample("netcheck/hard-nat-natpmp-nairobi-bradfitz.txt"),
        sample("netcheck/v1.100-time-format-windows-hard-nat-campus.txt"),
    )
    (pair,) = diagnosis.predictions
    assert pair.prediction is Prediction.DIRECT_PORTMAP
    assert pair.hard_side == "hard-nat-natpmp-nairobi-bradfitz"


def test_public_droplet_is_open_to_everyone() -> None:
    diagnosis = run_files(sample("netcheck/public-ip-no-nat-ipv6-hairpin-v1.28.txt"))
    (profile,) = diagnosis.profiles
    assert profile.mapping is Mapping.EASY and profile.ipv6_global
    assert profile.report.hairpinning is True
    assert profile.ipv4_scope is AddressScope.PUBLIC
    assert not diagnosis.findings


def test_campus_hard_nat_new_time_layout() -> None:
    diagnosis = run_files(sample("netcheck/v1.100-time-format-windows-hard-nat-campus.txt"))
    (profile,) = diagnosis.profiles
    assert profile.report.layout == "text v1.100+"
    assert profile.report.time == "2026-09-01 15:02:16.8349557+08:00"
    assert profile.mapping is Mapping.HARD and not profile.portmap_usable
    assert len(profile.report.latencies) == 28
    (hard,) = by_rule(diagnosis, "TS-NETCHECK-HARD-NAT")
    assert hard.severity is Severity.WARNING and "cannot reach it unsolicited" in hard.cause
    (far,) = by_rule(diagnosis, "TS-NETCHECK-FAR-DERP")
    assert "hkg" in far.cause and "163 ms" in far.cause
    # The PowerShell prompt and the portmap log line before Report: are noise, not warnings.
    assert not diagnosis.warnings


def test_campus_hard_nat_vs_easy_nat_is_uncertain_because_of_filtering() -> None:
    diagnosis = run_files(
        sample("netcheck/v1.100-time-format-windows-hard-nat-campus.txt"),
        sample("netcheck/pair-machine2-easy-nat-ipv6-no.txt"),
    )
    (pair,) = diagnosis.predictions
    assert pair.prediction is Prediction.UNCERTAIN
    assert "filtering" in pair.reason and "netcheck measures mapping, not filtering" in pair.reason


def test_two_hard_nats_without_mapping_are_derp_only() -> None:
    campus = sample("netcheck/v1.100-time-format-windows-hard-nat-campus.txt")
    from opskit.core.diagnose.engine import InputText, diagnose

    text = campus.read_text()
    diagnosis = diagnose([InputText("campus1", "c1.txt", text), InputText("campus2", "c2.txt", text)])
    # The same public IPv4 means one site: direct over the LAN whatever the NAT type.
    assert diagnosis.predictions[0].prediction is Prediction.DIRECT_IPV4
    assert "same public IPv4" in diagnosis.predictions[0].reason
    other = text.replace("153.3.60.172", "101.6.1.9")
    diagnosis = diagnose([InputText("campus1", "c1.txt", text), InputText("campus2", "c2.txt", other)])
    (pair,) = diagnosis.predictions
    assert pair.prediction is Prediction.DERP_ONLY
    assert "UPnP, NAT-PMP or PCP" in pair.change and "41641" in pair.change


def test_headscale_custom_derp_without_latency_is_flagged() -> None:
    diagnosis = run_files(sample("netcheck/easy-nat-upnp-custom-derp-headscale.txt"))
    (profile,) = diagnosis.profiles
    assert profile.mapping is Mapping.EASY and profile.portmap_usable
    (silent,) = by_rule(diagnosis, "TS-NETCHECK-DERP-SILENT")
    assert silent.severity is Severity.WARNING
    assert "SH (HOME)" in silent.cause and "self-hosted" in silent.cause
    assert silent.evidence[0].line == 12
    # The "………" elision line is noise, not a skipped-line warning.
    assert not diagnosis.warnings


def test_machine_pair_4090_lines_before_the_report_are_reported_as_skipped() -> None:
    diagnosis = run_files(sample("netcheck/pair-machine1-easy-nat-ipv6-yes.txt"))
    assert diagnosis.profiles[0].ipv6_global
    assert diagnosis.warnings == ("pair-machine1-easy-nat-ipv6-yes.txt: skipped line 1 (not recognised): 'machine1'",)


# --------------------------------------------------------------------------------------------- status


def test_bt_smarthub_mobile_peer_is_relayed_via_paris() -> None:
    diagnosis = run_files(sample("status/bt-smarthub-relay-par-idle.txt"))
    (relayed,) = by_rule(diagnosis, "TS-STATUS-RELAYED")
    assert relayed.extra["peer"] == "my-mobile-device" and '"par"' in relayed.cause
    assert relayed.evidence[0].line == 3


def test_mixed_direct_and_toronto_relay() -> None:
    diagnosis = run_files(sample("status/direct-and-relay-tor-mixed.txt"))
    (relayed,) = by_rule(diagnosis, "TS-STATUS-RELAYED")
    assert relayed.extra["peer"] == "dgentry-tor1"
    # The healthy peer is said to be direct (users paste status to ask exactly that), and only as info.
    about_air = [f for f in diagnosis.findings if f.extra.get("peer") == "dentons-air"]
    assert [(f.rule_id, f.severity) for f in about_air] == [("TS-STATUS-DIRECT", Severity.INFO)]
    assert about_air[0].title == "dentons-air is direct" and "10.1.10.170:60659" in about_air[0].cause


def test_exit_node_direct_but_offline_is_a_control_plane_problem() -> None:
    diagnosis = run_files(sample("status/exit-node-direct-but-offline.txt"))
    (finding,) = by_rule(diagnosis, "TS-STATUS-ACTIVE-OFFLINE")
    assert "control plane" in finding.cause and "not the tunnel" in finding.cause


def test_tx_without_rx_is_not_a_nat_problem() -> None:
    diagnosis = run_files(sample("status/headscale-relay-mia-tx-no-rx.txt"))
    (finding,) = by_rule(diagnosis, "TS-STATUS-TX-NO-RX")
    assert finding.severity is Severity.ERROR
    assert "NAT type does not explain this" in finding.cause
    assert "TS-STATUS-RELAYED" not in rule_ids(diagnosis)  # the bigger problem is reported instead


def test_tabwriter_layout_with_last_seen() -> None:
    diagnosis = run_files(sample("status/tabwriter-v1.90-relay-hkg-last-seen.txt"))
    assert diagnosis.blocks[0].layout == "tabwriter (v1.90+)"
    (relayed,) = by_rule(diagnosis, "TS-STATUS-RELAYED")
    assert relayed.extra["peer"] == "pcofcg"


def test_legacy_status_layout_shows_no_path() -> None:
    diagnosis = run_files(sample("status/v1.2-legacy-format-key-os-ip-tx-rx.txt"))
    assert diagnosis.blocks[0].layout == "legacy (<= v1.2)"
    (finding,) = by_rule(diagnosis, "TS-STATUS-LEGACY")
    assert "does not show which path" in finding.cause


# ----------------------------------------------------------------------------------------------- ping


def test_derp_then_direct_on_mobile_data() -> None:
    diagnosis = run_files(sample("ping/derp-3x-then-direct-mobile-data.txt"))
    (finding,) = by_rule(diagnosis, "TS-PING-DIRECT-AFTER-RELAY")
    assert "after 3 relayed" in finding.cause and "82.XXX.184.XXX:55081" in finding.cause
    assert not diagnosis.has_problems


def test_qemu_guest_never_goes_direct() -> None:
    diagnosis = run_files(sample("ping/qemu-host-guest-10x-derp-sea-not-established.txt"))
    (finding,) = by_rule(diagnosis, "TS-PING-NOT-DIRECT")
    assert finding.severity is Severity.WARNING
    assert "10 pong(s), all relayed via DERP sea" in finding.cause
    assert finding.evidence[-1].text == "direct connection not established"


def test_three_via_forms() -> None:
    from opskit.core.diagnose.ping import parse_ping
    from opskit.core.diagnose.text import split_lines

    lines = split_lines(sample("ping/peer-relay-derp-direct-three-paths.txt").read_text())
    report = parse_ping(lines[1:], lines[0].command)
    assert [p.path for p in report.pongs] == [PathKind.PEER_RELAY, PathKind.DERP, PathKind.DIRECT]
    assert report.pongs[1].derp_region == "lax"
    assert report.target == "i5-12400-2"


def test_latency_in_seconds_is_slow_and_relayed() -> None:
    diagnosis = run_files(sample("ping/derp-fra-latency-in-seconds.txt"))
    (slow,) = by_rule(diagnosis, "TS-PING-SLOW")
    assert "1.023 s" in slow.cause
    assert by_rule(diagnosis, "TS-PING-NOT-DIRECT")


def test_v1_2_direct_over_ipv6() -> None:
    diagnosis = run_files(sample("ping/v1.2-derp-sfo-then-direct-ipv6.txt"))
    (finding,) = by_rule(diagnosis, "TS-PING-DIRECT-AFTER-RELAY")
    assert "direct over IPv6" in finding.cause


# -------------------------------------------------------------------------------------------- windows


def test_domain_user_refused_by_local_admin_owned_daemon() -> None:
    diagnosis = run_files(sample("windows/401-server-mode-domain-user-not-allowed.txt"))
    (finding,) = by_rule(diagnosis, "TS-WIN-NOT-OWNER")
    # Go's %q doubled the backslashes; the tool quotes the real account names.
    assert finding.extra["owner"] == "ADMIN01\\Administrator"
    assert finding.extra["caller"] == "DOMAIN\\BBuchanan"
    assert finding.extra["tailscaled_pid"] == 3440
    assert "whoami` confirms" in finding.cause and "elevated and in Administrators" in finding.cause
    # Fixes in order of safety: run as the owner first, editing the state file last.
    fix = finding.fix
    assert fix.index("run the CLI as") < fix.index("Unattended Mode") < fix.index("server-mode-start-key")
    # The --statedir advice is explained, never presented as the fix.
    assert "do not confirm it as a fix" in fix
    assert "--statedir" not in fix.split("About `tailscaled.exe")[0]
    assert [e.line for e in finding.evidence] == [13, 2]
    # Admin-group and elevation context is used, only the raw group listing is reported as skipped.
    assert len(diagnosis.warnings) == 1 and "whoami /groups" in diagnosis.warnings[0]


@pytest.mark.parametrize(
    ("name", "rule_id", "phrase"),
    [
        ("windows/pipe-not-found-cannot-find-file.txt", "TS-WIN-PIPE-MISSING", "not a permissions problem"),
        ("windows/503-no-backend-service-running.txt", "TS-WIN-NO-BACKEND", "Permissions are not the issue"),
        ("windows/tailscaled-nonadmin-pipe-access-denied.txt", "TS-WIN-PIPE-ACCESS-DENIED", "non-elevated"),
    ],
)
def test_other_windows_failures_are_not_blamed_on_ownership(name: str, rule_id: str, phrase: str) -> None:
    diagnosis = run_files(sample(name))
    assert rule_ids(diagnosis) == {rule_id}
    assert phrase in diagnosis.findings[0].cause


def test_derp_home_states_parse() -> None:
    from opskit.core.diagnose.netcheck import parse_netcheck_text
    from opskit.core.diagnose.text import split_lines

    for value, state in [
        ("unknown (no response to latency probes)", DerpHomeState.NO_RESPONSE),
        ("[none]", DerpHomeState.NONE),
        ("999 (region not found in map)", DerpHomeState.NOT_IN_MAP),
        ("Frankfurt", DerpHomeState.OK),
    ]:
        report = parse_netcheck_text(split_lines(f"Report:\n\t* UDP: true\n\t* Nearest DERP: {value}\n"))
        assert report.derp_home_state is state
