"""Generated tests for `ip-forwarding-check-failed` (blind batch 25, corpus 1261): the warning `tailscale up` /
`set` print when tailscaled could not READ the kernel's forwarding settings, so their state is unknown.

Every wording the check returns when the read fails (checked against Tailscale's source): v1.0-v1.20
``couldn't check|parse net.ipv4.ip_forward (<err>).`` + ``Subnet routes won't work without IP forwarding.``
(v1.0.0 cmd/tailscale/cli/up.go, v1.8.0 ipn/ipnlocal/local.go:2625/2630), today's ``Couldn't check system's
IP forwarding configuration, subnet routing/exit nodes may not work: <err>`` (net/netutil/ip_forward.go:68-88,
from v1.20) and its ``…; no link state`` form, under the command, a fence, a KB link, a CI runner's stamp.
A forwarding setting that was read and is off stays `ip-forwarding-disabled`.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from opskit.core.findings import Severity
from tests.diagnose.conftest import by_rule, run_json, run_text

ERRORS = [
    ('exec: "sysctl": executable file not found in $PATH', "`sysctl` program is not on tailscaled's PATH"),
    ("open /proc/sys/net/ipv4/ip_forward: no such file or directory", "/proc/sys is not reachable"),
    ('exec: "sysctl": executable file not found in %PATH%', "`sysctl` program is not on tailscaled's PATH"),
    ("exit status 255", "sysctl/procfs was not reachable"),
]
KEYS = ["net.ipv4.ip_forward", "net.ipv6.conf.all.forwarding"]


def _old(verb: str, key: str, error: str) -> str:
    # v1.0-v1.20: "couldn't check %s (%v).\nSubnet routes won't work without IP forwarding."
    return f"couldn't {verb} {key} ({error}).\nSubnet routes won't work without IP forwarding."


def _new(error: str) -> str:
    # net/netutil/ip_forward.go: "Couldn't check system's IP forwarding configuration, subnet routing/exit nodes
    # may not work: %w%s" (the %s a "\nSee https://tailscale.com/s/ip-forwarding" KB link)
    return f"Couldn't check system's IP forwarding configuration, subnet routing/exit nodes may not work: {error}"


COMMANDS = [
    "",
    "# tailscale up --advertise-exit-node",
    "$ sudo tailscale set --advertise-routes=192.168.1.0/24",
    "root@nixos:~# tailscale up --advertise-routes=10.0.0.0/24 --advertise-exit-node",
]
LINKS = ["", "See https://tailscale.com/s/ip-forwarding", "See https://tailscale.com/kb/1104/enable-ip-forwarding/"]
WRAPS = ["{t}", "```\n{t}\n```", "```console\n{t}\n```\n"]
STAMP = "2024-06-14T15:32:34.6123970Z "


@st.composite
def _warnings(draw: st.DrawFn) -> tuple[str, str]:
    error, said = draw(st.sampled_from(ERRORS))
    if draw(st.booleans()):
        message = _old(draw(st.sampled_from(["check", "parse"])), draw(st.sampled_from(KEYS)), error)
    else:
        message = _new("failed to check sysctl net/ipv4/ip_forward; no procfs? stat /proc/sys: no such file or "
                       "directory" if said.startswith("/proc") else error)  # fmt: skip
    return message, said


@given(
    _warnings(),
    st.sampled_from(COMMANDS),
    st.sampled_from(LINKS),
    st.sampled_from(WRAPS),
    st.booleans(),
)
@settings(max_examples=60, deadline=None)
def test_a_forwarding_check_that_could_not_read_is_check_failed_not_disabled(
    case: tuple[str, str], command: str, link: str, wrap: str, stamped: bool
) -> None:
    message, said = case
    lines = message.split("\n")
    lines[0] = "Warning: " + lines[0]
    lines = ([command] if command else []) + lines + ([link] if link else [])
    if stamped:
        lines = [STAMP + line for line in lines]
    text = wrap.format(t="\n".join(lines))
    document = run_json(text)
    assert [w["kind"] for w in document["windows"]] == ["ip-forwarding-check-failed"], text
    assert document["summary"]["exit_code"] == 1, text
    report = run_text(text)
    assert not by_rule(report, "TS-CLI-IP-FORWARDING-DISABLED"), text
    (finding,) = by_rule(report, "TS-CLI-IP-FORWARDING-CHECK-FAILED")
    assert finding.severity is Severity.WARNING
    assert "UNKNOWN" in finding.cause and said in finding.cause, (text, finding.cause)
    assert "sysctl net.ipv4.ip_forward" in finding.fix and "PATH" in finding.fix


def test_no_link_state_is_a_failed_check() -> None:
    text = "Warning: Couldn't check system's IP forwarding configuration; no link state\n"
    report = run_text(text)
    (finding,) = by_rule(report, "TS-CLI-IP-FORWARDING-CHECK-FAILED")
    assert "no link state" in finding.cause


def test_forwarding_read_and_off_stays_disabled() -> None:
    text = "# tailscale up --advertise-exit-node\nWarning: net.ipv4.ip_forward is disabled. Subnet routes won't work.\n"
    assert [w["kind"] for w in run_json(text)["windows"]] == ["ip-forwarding-disabled"]
