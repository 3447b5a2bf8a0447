"""scenarios.md §5: "C is unreachable until C pings first" — A and B (Windows, easy NAT) and C (Linux
edge gateway, hard NAT with UPnP). The pastes in scenario5/ follow the section's values and the real
netcheck layout (PowerShell prompt, log line before Report:, Markdown fence, tabs vs spaces)."""

from __future__ import annotations

from opskit.core.diagnose.engine import InputText, diagnose
from opskit.core.diagnose.models import PathKind
from opskit.core.diagnose.paths import Prediction
from opskit.core.diagnose.profile import Mapping
from tests.diagnose.conftest import SCENARIO, by_rule, load, run_files


def _abc() -> list[InputText]:
    return [load(SCENARIO / f"{n}.txt") for n in "ABC"]


def test_profiles_match_what_the_pastes_say() -> None:
    diagnosis = diagnose(_abc())
    profiles = {p.label: p for p in diagnosis.profiles}
    assert profiles["A"].mapping is Mapping.EASY and profiles["B"].mapping is Mapping.EASY
    assert profiles["C"].mapping is Mapping.HARD
    assert profiles["C"].portmap_usable and profiles["C"].report.portmap_protocols == ("UPnP",)
    assert not profiles["A"].portmap_usable
    assert all(p.home_derp == "hw-shanghai" for p in profiles.values())


def test_c_is_reachable_only_through_its_upnp_mapping_which_needs_c_to_send_first() -> None:
    diagnosis = diagnose(_abc())
    pairs = {frozenset((p.a, p.b)): p for p in diagnosis.predictions}
    assert pairs[frozenset("AB")].prediction is Prediction.DIRECT_IPV4
    for peer in "AB":
        pair = pairs[frozenset((peer, "C"))]
        assert pair.prediction is Prediction.DIRECT_PORTMAP
        assert pair.hard_side == "C"
        # The mechanism is explained, not just named.
        assert "45 s" in pair.reason and "lease" in pair.reason
        assert "C sends" in pair.reason or "When C sends" in pair.reason
        # The change that removes the dependency on C speaking first.
        assert "UDP 41641" in pair.change and "--port=41641" in pair.change
    (finding,) = by_rule(diagnosis, "TS-PAIR-FIRST-CONTACT")  # one finding for C, naming both peers
    assert finding.extra["pairs"] == [["A", "C"], ["B", "C"]] and finding.extra["hard_side"] == "C"
    assert finding.title.startswith("C is reachable only after it has sent first")
    # Evidence quotes every node's mapping lines with their line numbers.
    evidence = {(e.file, e.line, e.text) for e in finding.evidence}
    assert ("C.txt", 8, "* MappingVariesByDestIP: true") in evidence
    assert ("C.txt", 9, "* PortMapping: UPnP") in evidence
    assert ("A.txt", 8, "* MappingVariesByDestIP: false") in evidence
    assert ("B.txt", 10, "* MappingVariesByDestIP: false") in evidence


def test_a_and_b_share_a_public_address_so_they_are_on_one_site() -> None:
    diagnosis = diagnose(_abc())
    pair = next(p for p in diagnosis.predictions if {p.a, p.b} == {"A", "B"})
    assert "same public IPv4" in pair.reason
    assert not by_rule(diagnosis, "TS-PAIR-DERP-ONLY")


def test_the_probe_port_is_never_presented_as_the_users_port() -> None:
    diagnosis = diagnose(_abc())
    c_hard = by_rule(diagnosis, "TS-NETCHECK-HARD-NAT")[0]
    assert "49676" not in c_hard.fix
    assert "probe socket" in c_hard.fix
    for finding in diagnosis.findings:
        assert "forward UDP 49676" not in finding.fix and "forward UDP 55074" not in finding.fix


def test_status_on_a_showing_c_relayed_is_explained_by_the_missing_mapping() -> None:
    status_a = (
        "PS C:\\Users\\ops> tailscale status\n"
        "100.64.0.1      a-pc          ops@      windows  -\n"
        "100.64.0.2      b-pc          ops@      windows  active; direct 192.168.1.23:41641, tx 1200 rx "
        "1100\n"
        '100.64.0.3      c             ops@      linux    active; relay "hws", tx 5000 rx 4200\n'
    )
    inputs = [*_abc()]
    inputs[0] = InputText("A", "A.txt", inputs[0].text + "\n" + status_a)
    diagnosis = diagnose(inputs)
    observed = {(o.observer, o.peer, o.path) for o in diagnosis.observations}
    assert ("A", "C", PathKind.DERP) in observed
    differs = by_rule(diagnosis, "TS-PAIR-REALITY-DIFFERS")
    assert len(differs) == 1
    assert "port mapping not existing yet" in differs[0].cause
    assert differs[0].extra["predicted"] == "direct-via-portmap"
    assert differs[0].evidence[0].line == 21  # the `relay "hws"` row, after the netcheck block


def test_ping_from_c_going_direct_confirms_the_prediction() -> None:
    ping_c = (
        "root@edge-gw:~# tailscale ping a\n"
        "pong from a (100.64.0.1) via DERP(hws) in 21ms\n"
        "pong from a (100.64.0.1) via 123.152.221.80:55074 in 8ms\n"
    )
    inputs = [*_abc()]
    inputs[2] = InputText("C", "C.txt", inputs[2].text + ping_c)
    diagnosis = diagnose(inputs)
    assert ("C", "A", PathKind.DIRECT) in {(o.observer, o.peer, o.path) for o in diagnosis.observations}
    assert not by_rule(diagnosis, "TS-PAIR-REALITY-DIFFERS")


def test_two_homes_with_ipv6_go_direct_even_behind_hard_nat() -> None:
    """The related story: different ISPs, 18 ms direct, because both have IPv6."""
    home = (
        "Report:\n\t* UDP: true\n\t* IPv4: yes, 198.51.100.{n}:3312{n}\n"
        "\t* IPv6: yes, [2001:db8:{n}::5]:4164{n}\n\t* MappingVariesByDestIP: true\n\t* PortMapping: \n"
        "\t* Nearest DERP: Frankfurt\n\t* DERP latency:\n\t\t- fra: 12.{n}ms  (Frankfurt)\n"
    )
    diagnosis = diagnose([InputText(f"home{n}", f"home{n}.txt", home.format(n=n)) for n in (1, 2)])
    (pair,) = diagnosis.predictions
    assert pair.prediction is Prediction.DIRECT_IPV6
    assert not by_rule(diagnosis, "TS-PAIR-DERP-ONLY")


def test_public_pair_from_issue_4090_says_direct_and_blames_a_firewall_when_relayed() -> None:
    from tests.diagnose.conftest import SAMPLES

    m1 = SAMPLES / "netcheck" / "pair-machine1-easy-nat-ipv6-yes.txt"
    m2 = SAMPLES / "netcheck" / "pair-machine2-easy-nat-ipv6-no.txt"
    diagnosis = run_files(m1, m2)
    (pair,) = diagnosis.predictions
    assert pair.prediction is Prediction.DIRECT_IPV4  # easy ↔ easy
    # The issue reported a relayed path: with that observation the tool points at a firewall.
    status = (
        "$ tailscale status\n"
        "100.101.1.1  machine1  u@  linux  -\n"
        '100.101.1.2  pair-machine2-easy-nat-ipv6-no  u@  linux  active; relay "lhr", tx 9000 rx 8000\n'
    )
    m1_text = m1.read_text() + status
    diagnosis = diagnose([InputText(m1.stem, m1.name, m1_text), load(m2)])
    (differs,) = by_rule(diagnosis, "TS-PAIR-REALITY-DIFFERS")
    assert "firewall" in differs.cause and "NAT types allow direct" in differs.cause
