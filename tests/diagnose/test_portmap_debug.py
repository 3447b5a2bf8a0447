"""`tailscale debug portmap` (blind 16, corpus 639: read as a tailscaled log, no NAT profile): generated from the
lines the command prints (feature/debugportmapper/debugportmapper.go: `gw=%v; self=%v`, `Probe: %+v`,
`mapping: %v` / `no mapping` / `no portmapping services available`, `cb: …`; net/portmapper: `[v1] Got PMP
response; IP: %v, epoch: %v`, `[v1] Got PCP response: epoch: %v`, `[v1] UPnP reply %+v, %q`,
`client.GetExternalIPAddress: %v, %v`, `successfully obtained mapping: … external=%v type=%s …`; before v1.38
`tailscaled -debug-portmap` printed the same with Go's log date), whole or cut, under the wrappings people
paste. The user sees: block kind portmap-debug, the mappers that answered as the node's port mapping, and a
double-NAT warning exactly when a mapper reports a private or CGNAT external address.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from opskit.output.diagnose import to_json
from tests.diagnose.conftest import by_rule, run_text

EXTERNAL = {"public": "198.51.100.7", "private": "192.168.1.3", "cgnat": "100.87.12.4"}
PROMPTS = [
    None,
    "$ tailscale debug portmap",
    "$ sudo tailscale debug portmap --type=pmp",
    "PS C:\\Users\\me> tailscale debug portmap",
    "% tailscale debug portmap -duration=10s",
    "tailscale debug portmap",
]


def _lines(answered: list[str], scope: str, result: str, with_gw: bool, with_probe: bool, monitor: bool) -> list[str]:
    ip = EXTERNAL[scope]
    lines = ["monitor: monitor: gateway and self IP changed: gw=192.168.8.1 self=192.168.8.195"] if monitor else []
    if with_gw:
        lines.append("gw=192.168.8.1; self=192.168.8.195")
    for protocol in answered:
        if protocol == "NAT-PMP":
            lines.append(f"portmapper: [v1] Got PMP response; IP: {ip}, epoch: 18")
        elif protocol == "PCP":
            lines.append("portmapper: [v1] Got PCP response: epoch: 5731")
        else:
            lines.append(
                "portmapper: [v1] UPnP reply {Location:http://192.168.8.1:2828/gateway_description.xml "
                "Server:RouterOS/7.16UPnP/1.0 MikroTik UPnP/1.0 USN:uuid:x::urn:schemas-upnp-org:device:"
                'InternetGatewayDevice:1}, "HTTP/1.1 200 OK\\r\\nEXT: \\r\\n\\r\\n"'
            )
            lines.append(f"portmapper: client.GetExternalIPAddress: {ip}, <nil>")
    if with_probe:
        flags = {p: str(p in answered).lower() for p in ("PCP", "NAT-PMP", "UPnP")}
        lines.append(f"Probe: {{PCP:{flags['PCP']} PMP:{flags['NAT-PMP']} UPnP:{flags['UPnP']}}}")
    if result == "mapping" and answered:
        lines.append(f"portmapper: [v1] successfully obtained mapping: now=1667510043 external={ip}:41641 type=pmp")
        lines.append(f"mapping: {ip}:41641")
    elif result == "no-mapping" and answered:
        lines.append("no mapping")
    elif result != "cut" and not answered and with_probe:
        lines.append("no portmapping services available")
    return lines


@st.composite
def pastes(draw: st.DrawFn) -> tuple[str, list[str], str]:
    answered = draw(st.lists(st.sampled_from(["UPnP", "NAT-PMP", "PCP"]), unique=True, max_size=3))
    scope = draw(st.sampled_from(sorted(EXTERNAL)))
    result = draw(st.sampled_from(["mapping", "no-mapping", "cut"]))
    prompt = draw(st.sampled_from(PROMPTS))
    with_gw = draw(st.booleans()) or prompt is None or not answered  # never an empty output
    lines = _lines(answered, scope, result, with_gw, draw(st.booleans()), draw(st.booleans()))
    if draw(st.booleans()):  # the old tailscaled -debug-portmap: Go's log date on every line
        lines = [f"2022/11/03 21:14:0{i % 10} {line}" for i, line in enumerate(lines)]
    indent = draw(st.sampled_from(["", "    ", "\t"]))
    body = [indent + line for line in lines]
    if prompt is not None:
        body.insert(0, prompt)
    if draw(st.booleans()):
        body = ["```", *body, "```"]
    reported = [p for p in answered if p in ("NAT-PMP", "UPnP")] or (["mapping"] if result == "mapping" else [])
    return "\n".join(body) + "\n", answered, scope if reported and answered else "none"


@settings(max_examples=150, deadline=None)
@given(pastes())
def test_every_variant_is_one_portmap_block_whose_mappers_are_the_nat_profile(case: tuple[str, list[str], str]) -> None:
    text, answered, scope = case
    diagnosis = run_text(text)
    document = to_json(diagnosis, 1 if diagnosis.has_problems else 0)
    assert [b["kind"] for b in document["blocks"]] == ["portmap-debug"], text
    assert not document["daemon_logs"], text
    (node,) = document["nodes"]
    assert sorted(node["port_mapping"]["protocols"]) == sorted(answered), text
    double_nat = by_rule(diagnosis, "TS-PORTMAP-DOUBLE-NAT")
    if scope in ("private", "cgnat"):
        (finding,) = double_nat
        assert EXTERNAL[scope] in finding.cause
        assert ("ISP" in finding.fix) is (scope == "cgnat")
        assert node["port_mapping"]["usable"] is False and "double-nat" in node["artefacts"]
        assert document["summary"]["exit_code"] == 1
    else:
        assert not double_nat, text
        assert "double-nat" not in node["artefacts"]


def test_a_logs_own_portmapper_lines_stay_the_log() -> None:
    """tailscaled logs `portmapper:` lines too: without the command's own lines (gw=, Probe:) or its prompt,
    a run of them is no portmap debug, dated by journald or pasted bare."""
    for prefix in ("Nov 13 10:00:01 host tailscaled[812]: ", ""):
        text = (
            f"{prefix}portmapper: [v1] Got PMP response; IP: 192.168.1.3, epoch: 18\n"
            f"{prefix}portmapper: UPnP meta changed: [{{Location:http://192.168.8.1:2828/x.xml}}]\n"
            f"{prefix}magicsock: home is now derp-2 (sfo)\n"
        )
        kinds = [b.kind for b in run_text(text).blocks]
        assert "portmap-debug" not in kinds and "tailscaled-log" in kinds, (prefix, kinds)


def test_a_netcheck_beside_it_stays_the_profile_and_learns_the_double_nat() -> None:
    text = (
        "$ tailscale netcheck\n\nReport:\n\t* UDP: true\n\t* IPv4: yes, 203.0.113.9:41641\n"
        "\t* IPv6: no, but OS has support\n\t* MappingVariesByDestIP: true\n\t* PortMapping: NAT-PMP\n"
        "\t* Nearest DERP: Frankfurt\n\n"
        "$ tailscale debug portmap\ngw=192.168.8.1; self=192.168.8.195\n"
        "portmapper: [v1] Got PMP response; IP: 192.168.1.3, epoch: 18\n"
    )
    diagnosis = run_text(text)
    (profile,) = diagnosis.profiles
    assert profile.report.layout.startswith("text")  # the netcheck's measurement, not the debug's
    assert profile.portmap_usable is False and "double-nat" in profile.artefacts
    assert by_rule(diagnosis, "TS-PORTMAP-DOUBLE-NAT")
    assert {b.kind for b in diagnosis.blocks} == {"netcheck", "portmap-debug"}


def test_a_upnp_answer_from_another_device_than_the_gateway_is_told_as_in_netcheck() -> None:
    text = (
        "$ tailscale debug portmap\ngw=192.168.5.1; self=192.168.5.40\n"
        "portmapper: UPnP discovery response from 192.168.5.2, but gateway IP is 192.168.5.1\n"
        "portmapper: [v1] UPnP reply {Location:http://192.168.5.2:5000/rootDesc.xml Server:MiniUPnPd/2.3 "
        'USN:uuid:a}, "HTTP/1.1 200 OK\\r\\n\\r\\n"\n'
        "Probe: {PCP:false PMP:false UPnP:true}\nmapping: 203.0.113.50:41641\n"
    )
    diagnosis = run_text(text)
    (finding,) = by_rule(diagnosis, "TS-NETCHECK-UPNP-NOT-GATEWAY")
    assert "192.168.5.2" in finding.cause and finding.evidence[0].line == 3
    assert not by_rule(diagnosis, "TS-PORTMAP-DOUBLE-NAT")  # a public mapping
    assert {f.rule_id for f in diagnosis.findings} == {"TS-NETCHECK-UPNP-NOT-GATEWAY"}  # no unmeasured-field noise
