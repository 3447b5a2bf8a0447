"""Generated tests for blind batch 37's netcheck miss (corpus 2000), read as a class (what a user sees in the JSON).

Without ``--verbose``, netcheck (net/netcheck/netcheck.go since v1.0: enoughRegions() = 3, 100 with --verbose from
v1.2) stops probing once three regions answered, after a timer of twice the slowest of them; regions not heard from
by then print without a latency. A report consistent with that stop (UDP works, three or more answers, none beyond
third-fastest + twice it, some of Tailscale's own regions blank too) is not silence: `nodes[].stopped_early`,
`TS-NETCHECK-DERP-SILENT` an info naming the unmeasured self-hosted regions and pointing to `--verbose`, exit 0.
A verbose run (typed flag, "(derp1, New York City)" names, netcheck's stamped log lines), an answer beyond the
window, fewer than three answers, or only self-hosted regions blank while every official one answered keep the
warning.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from opskit.core.diagnose.models import NetcheckReport
from opskit.core.diagnose.netcheck import parse_netcheck_text
from opskit.core.diagnose.profile import command_is_verbose
from opskit.core.diagnose.regions import PUBLIC_REGIONS
from opskit.core.diagnose.text import SourceLine
from tests.diagnose.conftest import run_json

_RULE = "TS-NETCHECK-DERP-SILENT"
_PUBLIC = {region.code: region for region in PUBLIC_REGIONS}
_NEAR = ("lax", "sfo", "sea", "den", "dfw", "ord", "nyc", "tor", "mia", "hnl")
_FAR = ("sin", "fra", "syd", "blr", "tok", "lhr", "sao", "ams", "jnb", "par", "mad", "hkg", "waw", "dbi", "nai")
_CUSTOM = (("usa", "美国"), ("cni-hb", "中国-湖北"), ("home", "Home DERP"), ("SH", "Shanghai"), ("myderp", "my-derp"))
_CUSTOM_NEAR = ("usa", "美国")
# (header lines for the layout, whether it has the HairPinning line)
_LAYOUTS = {
    "v1.2-v1.67": ("* HairPinning: true", "* PortMapping:"),
    "v1.68-v1.77": ("* PortMapping:", "* CaptivePortal: false"),
    "v1.78-v1.99": ("* PortMapping:", "* CaptivePortal: false"),
    "v1.100+": ("* PortMapping:", "* CaptivePortal: false"),
}
_TIME = {"v1.78-v1.99": "2025-06-23 09:41:07.123456789 +0000 UTC", "v1.100+": "2026-09-01 15:45:04.195906728+02:00"}


def _go_duration(ms: float) -> str:
    """How netcheck prints a latency: time.Duration rounded to 0.1 ms, then String() ("700µs", "1ms", "13.1ms")."""
    tenths = round(ms * 10)
    if tenths < 10:
        return f"{tenths * 100}µs"
    text = f"{tenths / 10:.1f}".rstrip("0").rstrip(".")
    return f"{text}ms"


def _printed(ms: float) -> float:
    return round(ms * 10) / 10


def _report(
    answered: list[tuple[str, str, float]],
    blank: list[tuple[str, str]],
    *,
    layout: str = "v1.2-v1.67",
    indent: str = "\t",
    command: str | None = "tailscale netcheck",
    verbose_names: bool = False,
    udp: bool = True,
    before: tuple[str, ...] = (),
) -> str:
    lines = [f"$ {command}"] if command else []
    lines.extend(before)
    lines += ["", "Report:"]
    if layout in _TIME:
        lines.append(f"{indent}* Time: {_TIME[layout]}")
    lines += [
        f"{indent}* UDP: {'true' if udp else 'false'}",
        f"{indent}* IPv4: yes, 198.51.100.20:40001" if udp else f"{indent}* IPv4: (no addr found)",
        f"{indent}* IPv6: no, but OS has support",
        f"{indent}* MappingVariesByDestIP: false" if udp else f"{indent}* MappingVariesByDestIP:",
        *(f"{indent}{line}" for line in _LAYOUTS[layout]),
        f"{indent}* Nearest DERP: {answered[0][1] if answered else 'unknown (no response to latency probes)'}",
        f"{indent}* DERP latency:",
    ]
    ordered = sorted(answered, key=lambda row: row[2])
    for number, (code, name, ms) in enumerate([*ordered, *((c, n, None) for c, n in blank)], start=1):
        region_id = _PUBLIC[code].region_id if code in _PUBLIC else 900 + number
        shown = f"derp{region_id}, {name}" if verbose_names else name
        latency = _go_duration(ms) if ms is not None else ""
        lines.append(f"{indent}{indent}- {code:>3}: {latency:<7} ({shown})")
    return "\n".join(lines) + "\n"


def _region(code: str) -> tuple[str, str]:
    return code, _PUBLIC[code].name


def _node(document: dict[str, Any]) -> dict[str, Any]:
    (node,) = document["nodes"]
    return node  # type: ignore[no-any-return]


def _silent(document: dict[str, Any]) -> dict[str, Any] | None:
    return next((finding for finding in document["findings"] if finding["rule"] == _RULE), None)


@st.composite
def _early_stop(draw: st.DrawFn) -> tuple[list[tuple[str, str, float]], list[tuple[str, str]], list[str]]:
    """Three nearest answers, maybe a few more inside the window, blank far official regions and custom ones."""
    third = draw(st.floats(min_value=1.0, max_value=120.0))
    first = draw(st.floats(min_value=0.1, max_value=third))
    second = draw(st.floats(min_value=first, max_value=third))
    near = draw(st.permutations(_NEAR))
    answered = [(*_region(near[0]), first), (*_region(near[1]), second), (*_region(near[2]), third)]
    window = 3 * _printed(third)
    for code in near[3 : 3 + draw(st.integers(0, 4))]:
        answered.append((*_region(code), draw(st.floats(min_value=third, max_value=max(third, window - 0.3)))))
    far = draw(st.lists(st.sampled_from(_FAR), min_size=1, max_size=8, unique=True))
    custom = draw(st.lists(st.sampled_from(_CUSTOM), min_size=0, max_size=3, unique=True))
    if draw(st.booleans()):  # the nearest is a self-hosted relay next door (corpus 2000: 'usa' at 700µs)
        answered[0] = (*_CUSTOM_NEAR, first)
        custom = [c for c in custom if c[0] != _CUSTOM_NEAR[0]]
    blank = [*(_region(code) for code in far), *custom]
    return answered, draw(st.permutations(blank)), [code for code, _ in custom]


# ------------------------------------------------------------------ positives: blanks the early stop explains


@settings(max_examples=60, deadline=None)
@given(
    case=_early_stop(),
    layout=st.sampled_from(sorted(_LAYOUTS)),
    indent=st.sampled_from(("\t", "    ", "        ")),
    command=st.sampled_from(
        (
            None,
            "tailscale netcheck",
            "sudo tailscale netcheck",
            "tailscale.exe netcheck",
            "tailscale netcheck -verbose=false",
        )
    ),
)
def test_blank_regions_inside_the_early_stop_are_an_info_not_a_warning(
    case: tuple[list[tuple[str, str, float]], list[tuple[str, str]], list[str]],
    layout: str,
    indent: str,
    command: str | None,
) -> None:
    answered, blank, custom = case
    document = run_json(_report(answered, blank, layout=layout, indent=indent, command=command))
    assert _node(document)["stopped_early"] is True
    assert document["summary"]["exit_code"] == 0
    silent = _silent(document)
    assert silent is not None and silent["severity"] == "info"
    assert "stopped waiting" in silent["cause"] and "tailscale netcheck --verbose" in silent["fix"]
    for code in custom:
        assert code in silent["cause"] and code in silent["fix"]
    # the blank regions stay shown as printed: no latency made up
    latencies = {row["code"]: row["latency_ms"] for row in _node(document)["derp_latencies"]}
    assert all(latencies[code] is None for code, _ in blank)


def test_corpus_2000_shape_reads_as_an_early_stop() -> None:
    answered = [("usa", "美国", 0.7), (*_region("lax"), 1.0), (*_region("sfo"), 13.1)]
    answered += [(*_region("sea"), 32.3), (*_region("den"), 34.5)]
    blank = [*(_region(code) for code in _FAR), ("cni-hb", "中国-湖北"), ("cnh", "中国香港")]
    document = run_json(_report(answered, blank, indent="        ", command=None))
    silent = _silent(document)
    assert document["summary"]["exit_code"] == 0 and _node(document)["stopped_early"] is True
    assert silent is not None and silent["severity"] == "info"
    # "cnh" looks like an official code but is none of Tailscale's regions: named as self-hosted too
    assert "cni-hb (中国-湖北)" in silent["cause"] and "cnh (中国香港)" in silent["cause"]


# ------------------------------------------------------------------ negatives: today's reading stays


def _custom_blank_case(third: float = 13.1) -> tuple[list[tuple[str, str, float]], list[tuple[str, str]]]:
    answered = [(*_region("lax"), 1.0), (*_region("sfo"), third / 2), (*_region("sea"), third)]
    return answered, [_region("sin"), _region("fra"), ("home", "Home DERP")]


def _assert_warning(document: dict[str, Any]) -> None:
    assert _node(document)["stopped_early"] is False
    silent = _silent(document)
    assert silent is not None and silent["severity"] == "warning" and "home (Home DERP)" in silent["cause"]
    assert document["summary"]["exit_code"] == 1


@pytest.mark.parametrize(
    "command",
    [
        "tailscale netcheck --verbose",
        "tailscale netcheck -verbose",
        "sudo tailscale netcheck --verbose",
        "tailscale netcheck --verbose=true",
        "tailscale netcheck -verbose=1",
        "tailscale netcheck --every=5s --verbose",
        "tailscale.exe netcheck --verbose",
    ],
)
def test_a_typed_verbose_run_keeps_the_warning(command: str) -> None:
    answered, blank = _custom_blank_case()
    _assert_warning(run_json(_report(answered, blank, command=command)))


@pytest.mark.parametrize("layout", sorted(_LAYOUTS))
def test_verbose_region_names_keep_the_warning(layout: str) -> None:
    answered, blank = _custom_blank_case()
    _assert_warning(run_json(_report(answered, blank, layout=layout, command=None, verbose_names=True)))


@settings(max_examples=40, deadline=None)
@given(third=st.floats(min_value=1.0, max_value=120.0), beyond=st.floats(min_value=1.0, max_value=400.0))
def test_an_answer_beyond_the_window_keeps_the_warning(third: float, beyond: float) -> None:
    answered, blank = _custom_blank_case(third)
    answered.append((*_region("nyc"), 3 * _printed(third) + beyond))
    _assert_warning(run_json(_report(answered, blank)))


@pytest.mark.parametrize("count", [1, 2])
def test_fewer_than_three_answers_keep_the_warning(count: int) -> None:
    answered, blank = _custom_blank_case()
    _assert_warning(run_json(_report(answered[:count], blank)))


def test_only_self_hosted_regions_blank_while_every_official_one_answered_keeps_the_reading() -> None:
    """Corpus 2001's shape: Johannesburg answered, so a reachable relay would have answered inside the window."""
    answered = [("cni-hb-cy", "中国-湖北-崇阳", 41.4), ("cni-zj-nb", "中国-浙江-宁波", 59.6)]
    answered += [(*_region(code), 239.7 + 10 * n) for n, code in enumerate((*_NEAR, *_FAR))]
    document = run_json(_report(answered, [("myderp", "my-derp")]))
    assert _node(document)["stopped_early"] is False
    silent = _silent(document)
    assert silent is not None and silent["severity"] == "warning" and "stopped waiting" not in silent["cause"]


def test_udp_blocked_is_not_an_early_stop() -> None:
    answered, blank = _custom_blank_case()
    document = run_json(_report([(c, n, ms + 300) for c, n, ms in answered], blank, udp=False))
    assert _node(document)["stopped_early"] is False
    assert _silent(document) is None


@pytest.mark.parametrize(
    ("logged", "verbose"),
    [
        ("2024/02/20 17:34:24 netcheck: sent to 145.236.142.188:3478", True),
        ("2023/02/22 17:42:04.123456 netcheck: [v1] measuring ICMP latency of sin (3): no address", True),
        ("2024/02/20 17:34:25 netcheck: GetReport took 1.203s; err=<nil>", True),
        ("GetReport took 312ms; err=<nil>", True),
        ("netcheck: UDP test failure: listen udp4 :0: bind: address already in use", False),  # every mode, unstamped
        ("2024/02/20 17:34:24 portmap: monitor: gateway and self IP changed: gw=192.168.1.1 self=192.168.1.20", False),
        ("# netcheck: the nearest region is sfo", False),
    ],
)
def test_verbose_log_lines_inside_the_report_block(logged: str, verbose: bool) -> None:
    """Parser level: netcheck's own stamped log lines (only --verbose prints them) mark the block verbose."""
    text = [
        "Report:",
        "* UDP: true",
        logged,
        "* Nearest DERP: Los Angeles",
        "* DERP latency:",
        "- lax: 1ms (Los Angeles)",
    ]
    report: NetcheckReport = parse_netcheck_text([SourceLine(n, t) for n, t in enumerate(text, start=1)])
    assert report.verbose is verbose


@pytest.mark.parametrize(
    ("command", "verbose"),
    [
        ("tailscale netcheck --verbose", True),
        ("tailscale netcheck -verbose", True),
        ("tailscale netcheck --verbose=TRUE", True),
        ("tailscale netcheck --verbose=false", False),
        ("tailscale netcheck -verbose=0", False),
        ("tailscale netcheck", False),
        ("tailscale netcheck --format=json", False),
        ("tailscale netcheck --verbosity=2", False),
        (None, False),
    ],
)
def test_command_is_verbose(command: str | None, verbose: bool) -> None:
    assert command_is_verbose(command) is verbose
