"""Generated tests for connections a userspace-networking tailscaled proxies (SOCKS5 server, outbound HTTP
proxy) into the tailnet, and for peers magicsock reaches over DERP (blind batch 11: a PaaS pod exporting its
logs behind platform columns, dials to a subnet behind a peer that time out, then are refused).

A refusal is the far side answering: the tailnet path works and the destination refuses
(``destination-refused``); dials that get no answer at all say the path does not carry them
(``peer-unreachable``) until a refusal or a direct path shows it does.
"""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from opskit.core.diagnose.daemonlog import message_of
from opskit.core.diagnose.regions import PUBLIC_REGIONS
from opskit.output.diagnose import to_json
from tests.diagnose.conftest import by_rule, run_text

# The platform's columns between its own stamp and tailscaled's Go stamp: log type, version, environment, level.
COLUMN_WORDS = st.lists(
    st.sampled_from(["Application", "Logs", "1.0.0", "Development", "Production", "v2", "app-7f9c", "stdout"]),
    min_size=0,
    max_size=4,
)
LEVELS = st.sampled_from(["INFO", "WARN", "ERROR", "DEBUG"])
STAMPS = st.sampled_from(["2025-10-09T06:31:46.631Z", "2025-10-09T06:31:46Z", "2025-10-09 06:31:46"])

DESTINATIONS = st.one_of(
    st.tuples(st.integers(1, 223), st.integers(0, 255), st.integers(0, 255), st.integers(1, 254)).map(
        lambda parts: ".".join(map(str, parts))
    ),
    st.sampled_from(["[fd00::5]", "[fd7a:115c:a1e0::1]", "db.internal"]),
)
PORTS = st.integers(1, 65535)


def _refused(destination: str, wording: int) -> str:
    """The refusal as each dialer words it (gVisor's netstack, the kernel)."""
    return [
        f"socks5: client connection failed: connect tcp {destination}: connection was refused",
        f"socks5: client connection failed: dial tcp {destination}: connect: connection refused",
    ][wording]


TIMEOUTS = st.sampled_from(
    [
        "socks5: client connection failed: context deadline exceeded",
        "socks5: client connection failed: dial tcp 172.16.4.207:1433: i/o timeout",
    ]
)
# Another program of the same pod logging between tailscaled's lines (not tailscaled's, never read as an issue).
FORWARDER = (
    "Failed to connect to destination 172.16.4.207:1433 through proxy: socks connect tcp "
    "localhost:1055->172.16.4.207:1433: unknown error general SOCKS server failure"
)


def _prefixed(stamp: str, columns: list[str], level: str, message: str) -> str:
    return " ".join([stamp, *columns, level, "2025/10/09 06:31:46", message])


def _log(text: str) -> dict[str, Any]:
    diagnosis = run_text(text)
    document = to_json(diagnosis, 1 if diagnosis.has_problems else 0)
    (log,) = document["daemon_logs"]
    return {**log, "exit": document["summary"]["exit_code"], "peers": document["peers"], "diagnosis": diagnosis}


def _kinds(log: dict[str, Any]) -> set[str]:
    return {issue["kind"] for issue in log["issues"]}


@given(STAMPS, COLUMN_WORDS, LEVELS, st.sampled_from(["magicsock: derp-1 connected; connGen=1", "Start"]))
@settings(max_examples=40, deadline=None)
def test_a_platform_export_peels_its_columns_before_the_go_stamp(
    stamp: str, columns: list[str], level: str, message: str
) -> None:
    assert message_of(_prefixed(stamp, ["Application", *columns], level, message)).text == message


@given(STAMPS, COLUMN_WORDS, LEVELS, DESTINATIONS, PORTS, st.integers(0, 1), st.booleans())
@settings(max_examples=60, deadline=None)
def test_a_refused_proxied_dial_is_destination_refused(
    stamp: str, columns: list[str], level: str, host: str, port: int, wording: int, forwarder: bool
) -> None:
    destination = f"{host}:{port}"
    lines = [_prefixed(stamp, ["Application", *columns], level, _refused(destination, wording))]
    if forwarder:
        lines.insert(0, _prefixed(stamp, ["Application", *columns], "ERROR", FORWARDER))
    log = _log("\n".join([_prefixed(stamp, ["Application"], "INFO", "magicsock: derp-1 connected; connGen=1"), *lines]))
    assert [issue["kind"] for issue in log["issues"]] == ["destination-refused"]
    assert log["exit"] == 1
    (finding,) = by_rule(log["diagnosis"], "TS-LOG-DESTINATION-REFUSED")
    assert destination in finding.cause and "nothing accepts connections" in finding.cause


@given(st.lists(TIMEOUTS, min_size=2, max_size=5), st.sampled_from(["refused", "direct", "none"]))
@settings(max_examples=40, deadline=None)
def test_proxied_dials_timing_out_are_peer_unreachable_until_the_path_answers(timeouts: list[str], then: str) -> None:
    lines = ["2025/10/09 06:17:52 magicsock: derp-1 connected; connGen=1"]
    lines += [f"2025/10/09 06:31:52 {timeout}" for timeout in timeouts]
    if then == "refused":
        lines.append(f"2025/10/09 06:32:23 {_refused('172.16.4.207:1433', 0)}")
    elif then == "direct":
        lines.append("2025/10/09 06:32:17 magicsock: disco: node [Zopo7] d:a984d511a78a8 now using 65.51.181.220:41641")
    kinds = _kinds(_log("\n".join(lines)))
    assert ("peer-unreachable" in kinds) is (then == "none")
    assert ("destination-refused" in kinds) is (then == "refused")


def test_one_proxied_dial_timing_out_is_no_issue() -> None:
    """A single dial can time out for a reason of its own (the destination host busy): it needs a second."""
    log = _log("2025/10/09 06:31:52 socks5: client connection failed: context deadline exceeded\n")
    assert "peer-unreachable" not in _kinds(log)


@given(st.sampled_from(PUBLIC_REGIONS), st.sampled_from(["Zopo7", "CnK7M", "abc12"]), st.booleans(), st.booleans())
@settings(max_examples=40, deadline=None)
def test_a_peer_magicsock_reaches_over_derp_is_listed_on_that_region(
    region: Any, key: str, newest_first: bool, direct_later: bool
) -> None:
    lines = [
        f"2025/10/08 16:24:41 derphttp.Client.Recv: connecting to derp-{region.region_id} ({region.code})",
        f"2025/10/08 16:24:41 magicsock: adding connection to derp-{region.region_id} for [{key}]",
        f"2025/10/08 16:24:42 magicsock: derp-{region.region_id} connected; connGen=1",
    ]
    if direct_later:
        lines.append(f"2025/10/08 16:24:50 magicsock: disco: node [{key}] d:a984d511a78a89af now using 10.0.0.7:41641")
    if newest_first:
        lines.reverse()
    (peer,) = _log("\n".join(lines))["peers"]
    assert peer["name"] == key
    if direct_later:
        assert (peer["path"], peer["endpoint"], peer["derp"]) == ("direct", "10.0.0.7:41641", None)
    else:
        assert peer["path"] == "derp"
        assert peer["derp"] == {"code": region.code, "name": region.name}
