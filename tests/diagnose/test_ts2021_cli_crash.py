"""Generated tests: `tailscale debug ts2021` cut short by the CLI's own crash (blind batch 25, corpus 1151). The
trace's first step (runTS2021's "Fetching keys from <url> ...", log.Printf: bare, under Go's stamp or the time
alone) followed by a Go panic and its goroutine stack, with or without the command shown, in a fence, the stack
cut anywhere: the trace reads as `debug-ts2021` and the crash as the CLI's (`cli-panic`), not as tailscaled's
crash (the trace is the CLI's output, so the crash that cuts it is the CLI's).
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.diagnose.conftest import by_rule, run_json, run_text

STAMPS = ["", "2024/11/19 10:12:13 ", "10:12:13.123456 "]
URLS = ["https://controlplane.tailscale.com/key?v=106", "https://hs.example.com/key?v=88"]
CRASHES = [
    "panic: netns.NewDialer called with nil netMon",
    "panic: runtime error: invalid memory address or nil pointer dereference",
    "fatal error: concurrent map writes",
]
STACK = [
    "",
    "goroutine 1 [running]:",
    "        runtime/debug.Stack()",
    "                runtime/debug/stack.go:26 +0x5e",
    "        tailscale.com/util/singleflight.newPanicError({0xfac7a0, 0x11b7b70})",
    "                tailscale.com@v1.76.4/util/singleflight/singleflight.go:49 +0x25",
    "        tailscale.com/net/netns.NewDialer(...)",
    "                tailscale.com@v1.76.4/net/netns/netns.go:75",
    "        tailscale.com/net/dnsfallback.bootstrapDNSMap({0x11bf500?, 0xc00032a150?}, ...)",
]
COMMANDS = ["", "PS C:\\Users\\me> tailscale debug ts2021", "$ tailscale debug ts2021"]
WRAPS = ["{t}", "```console\n{t}\n```", "```\n{t}"]


@given(
    st.sampled_from(STAMPS),
    st.sampled_from(URLS),
    st.sampled_from(CRASHES),
    st.integers(min_value=2, max_value=len(STACK)),
    st.sampled_from(COMMANDS),
    st.sampled_from(WRAPS),
)
@settings(max_examples=50, deadline=None)
def test_a_ts2021_trace_cut_by_a_panic_is_the_clis_crash(
    stamp: str, url: str, crash: str, cut: int, command: str, wrap: str
) -> None:
    lines = ([command] if command else []) + [f"{stamp}Fetching keys from {url} ...", crash, *STACK[:cut]]
    text = wrap.format(t="\n".join(lines))
    document = run_json(text)
    assert [w["kind"] for w in document["windows"]] == ["cli-panic"], text
    report = run_text(text)
    assert by_rule(report, "TS-CLI-PANIC"), text
    assert not by_rule(report, "TS-LOG-CRASH"), text
    assert by_rule(report, "TS-TS2021"), text
