"""The public-paste corpus: every sample's expert facts hold on the structured output, every sample's
JSON validates against docs/diagnose.schema.json, and pastes mangled the way people post them (redacted
addresses, fragments, quotes, indentation, prompts, CRLF, tabs) still yield what they show."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from opskit.core.diagnose.engine import diagnose
from opskit.output.diagnose import to_json
from tests.diagnose.conftest import SAMPLES, SCENARIO, load, run_text
from tests.diagnose.corpus_check import CORPUS, check_sample, document_for, load_truth

SCHEMA = json.loads((Path(__file__).parents[2] / "docs" / "diagnose.schema.json").read_text())
TRUTH = load_truth()


def envelope(payload: dict[str, Any]) -> dict[str, Any]:
    """What emit_json prints around the payload."""
    return {"opskit": 1, "kind": "diagnose", **payload}


def test_corpus_has_sixty_sourced_samples_with_fifteen_held_out() -> None:
    files = sorted(p.name for p in CORPUS.glob("*.txt"))
    assert len(files) >= 60
    assert sorted(t["file"] for t in TRUTH) == files
    assert all(t["source"].startswith("https://") and t["note"] for t in TRUTH)
    assert sum(1 for t in TRUTH if t.get("held_out") and not t.get("fresh")) == 15


# Every key the judge reads (corpus_check.check_sample): a misspelt key would otherwise be a fact that
# is never judged, and a batch would score better than it is.
KNOWN_KEYS: dict[str, set[str]] = {
    "sample": {
        "file", "source", "client", "os", "note", "held_out", "fresh", "blind_batch", "log_dev", "cli_dev",
        "kinds", "problem", "recognised", "node", "peers", "ping", "windows", "daemon", "health", "state",
        "rules_absent", "titles_exclude", "open_miss",
    },
    "node": {
        "udp", "mapping", "ipv6_state", "ipv6_state_not", "ipv6_global", "ipv4_scope", "derp_home", "portmap",
        "artefacts", "silent_regions",
    },
    "peers": {"name", "ip", "self", "path", "derp", "endpoint", "tx", "rx", "offline", "os", "exit_node"},
    "ping": {"outcome", "path", "derp_regions", "endpoint", "pongs", "timeouts", "target"},
    "windows": {"kinds", "not", "owner", "pid", "caller"},
    "daemon": {"version", "hand_started", "os", "state", "home_derp", "userspace", "issues", "issues_absent"},
}  # fmt: skip


def unknown_keys(truth: dict[str, Any]) -> list[str]:
    """The keys of one truth entry the judge would silently ignore."""
    # batch markers of development sets: log_dev, cli_dev, cli_dev2, …
    unknown = [key for key in truth if key not in KNOWN_KEYS["sample"] and not re.fullmatch(r"\w+_dev\d*", key)]
    for part in ("node", "ping", "windows", "daemon"):
        unknown += [f"{part}.{key}" for key in truth.get(part, {}) if key not in KNOWN_KEYS[part]]
    for peer in truth.get("peers", []):
        unknown += [f"peers.{key}" for key in peer if key not in KNOWN_KEYS["peers"]]
    return unknown


@pytest.mark.parametrize("truth", TRUTH, ids=[t["file"] for t in TRUTH])
def test_every_truth_key_is_one_the_judge_reads(truth: dict[str, Any]) -> None:
    assert unknown_keys(truth) == []


def _expected_to_hold(truth: dict[str, Any]) -> Any:
    """A sample whose miss is still open (``open_miss = "why"``) must still miss: the day it is right,
    the strict xfail fails and the marker has to go."""
    if "open_miss" not in truth:
        return truth
    return pytest.param(truth, marks=pytest.mark.xfail(strict=True, reason=f"open miss: {truth['open_miss']}"))


@pytest.mark.parametrize("truth", [_expected_to_hold(t) for t in TRUTH], ids=[t["file"] for t in TRUTH])
def test_expert_facts_hold_on_the_structured_output(truth: dict[str, Any]) -> None:
    assert check_sample(truth, document_for(truth["file"])) == []


ALL_PASTES = sorted(SAMPLES.rglob("*.txt")) + sorted(SCENARIO.glob("*.txt"))


@pytest.mark.parametrize("path", ALL_PASTES, ids=[p.relative_to(p.parents[1]).as_posix() for p in ALL_PASTES])
def test_every_sample_output_validates_against_the_published_schema(path: Path) -> None:
    document = document_for(path.name) if path.parent == CORPUS else None
    if document is None:
        try:
            diagnosis = diagnose([load(path)])
        except Exception:  # noqa: BLE001 - samples that hold nothing recognisable exit 2 (no document)
            return
        document = to_json(diagnosis, 1 if diagnosis.has_problems else 0)
    jsonschema.validate(envelope(document), SCHEMA)


def test_all_scenario_nodes_together_validate() -> None:
    diagnosis = diagnose([load(p) for p in sorted(SCENARIO.glob("*.txt"))])
    jsonschema.validate(envelope(to_json(diagnosis, 1)), SCHEMA)


# ------------------------------------------------------------------- pastes as people post them

RELAYED_ROW = '100.66.43.110   macbook-pro-4        jrmuizel@    macOS   active; relay "ord", tx 264376 rx 0'
SELF_ROW = "100.101.6.89    hawkman              jrmuizel@    linux   -"

redactions = st.sampled_from(["100.66.43.110", "100.x.y.z", "100.xx.xx.xx", "***", "<redacted>", "xxx", ""])
mangles = st.sampled_from(
    [
        lambda t: t,
        lambda t: t.replace('"', "\u201c", 1).replace('"', "\u201d", 1),  # chat-smartened quotes
        lambda t: "    " + t,  # Markdown code indentation
        lambda t: "> " + t,  # Markdown quote marker
        lambda t: t.replace("   ", "\t"),  # tabs
        lambda t: t.split("macOS", 1)[1].strip() if "macOS" in t else t,  # fragment starting mid-row
        lambda t: "macOS " + t.split("macOS", 1)[1].strip() if "macOS" in t else t,
        lambda t: t.replace("jrmuizel@", "..."),  # middle column elided
    ]
)
prompts = st.sampled_from(["", "$ tailscale status\n", "PS C:\\> tailscale status\n", "\u276f tailscale status\n"])
line_ends = st.sampled_from(["\n", "\r\n"])


@given(redactions, mangles, prompts, line_ends, st.booleans())
@settings(max_examples=150, deadline=None)
def test_a_relayed_silent_peer_is_never_lost_however_it_is_pasted(
    ip: str, mangle: Any, prompt: str, eol: str, with_self: bool
) -> None:
    row = mangle(RELAYED_ROW.replace("100.66.43.110", ip, 1) if ip else RELAYED_ROW.replace("100.66.43.110", " "))
    text = prompt + ((SELF_ROW + "\n") if with_self else "") + row + "\n"
    diagnosis = run_text(text.replace("\n", eol))
    # The row that shows the problem must never turn into "no problems".
    assert diagnosis.has_problems, text
    peers = [p for p in to_json(diagnosis, 1)["peers"] if not p["self"]]
    assert [(p["path"], (p["derp"] or {}).get("code"), p["tx"], p["rx"]) for p in peers] == [
        ("derp", "ord", 264376, 0)
    ], text
    if ip and ip != "100.66.43.110" and peers[0]["ip"] is not None:
        assert peers[0]["ip"] == "redacted"


ERROR = (
    "failed to connect to local tailscaled (which appears to be running as tailscaled.exe, pid 8264). Got error: "
    'Get "http://local-tailscaled.sock/localapi/v0/status": context deadline exceeded'
)


@given(
    st.lists(st.sampled_from([" ", "  ", "\t"]), min_size=1, max_size=3),
    st.sampled_from([str.lower, str.upper, lambda s: s]),
    st.sampled_from(["", "`", '"', "'"]),
)
@settings(max_examples=80, deadline=None)
def test_windows_errors_match_after_whitespace_case_and_quotes_change(gaps: list[str], case: Any, quote: str) -> None:
    text = ERROR.replace("context deadline", "context" + "".join(gaps) + "deadline")
    text = text.replace("context", case("context")).replace("DEADLINE", case("DEADLINE"))
    document = to_json(run_text(quote + text + quote), 1)
    assert [(w["kind"], w["pid"]) for w in document["windows"]] == [("deadline-exceeded", 8264)]
    assert "TS-LOCALAPI-ERROR" not in {f["rule"] for f in document["findings"]}  # no generic advice


def test_one_direct_pong_is_not_called_direct_after_relayed_pings() -> None:
    diagnosis = run_text("pong from ultraman (100.64.0.6) via 192.168.3.100:41641 in 10ms\n")
    (finding,) = [f for f in diagnosis.findings if f.rule_id == "TS-PING-DIRECT-AFTER-RELAY"]
    assert finding.title == "tailscale ping went direct at once"


def test_peer_relay_pongs_are_not_called_derp() -> None:
    text = "".join(
        f"pong from nas (100.64.0.9) via peer-relay(192.168.1.215:7777:vni:1) in {ms}ms\n" for ms in (28, 30, 29)
    )
    diagnosis = run_text(text)
    (finding,) = [f for f in diagnosis.findings if f.rule_id == "TS-PING-NOT-DIRECT"]
    assert "Peer Relay" in finding.title and "DERP" not in finding.cause.split(":")[1]
    assert to_json(diagnosis, 0)["pings"][0]["path"] == "peer-relay"


def test_the_same_status_pasted_twice_gives_each_finding_once() -> None:
    status = f"{SELF_ROW}\n{RELAYED_ROW}\n"
    diagnosis = run_text(f"$ tailscale status\n{status}\n$ tailscale status\n{status}")
    rules = [f.rule_id for f in diagnosis.findings]
    assert len(rules) == len(set(rules))


def test_logged_out_netcheck_caveat_is_the_same_in_every_pair() -> None:
    from opskit.core.diagnose.engine import InputText

    logged_out = (CORPUS / "011-netcheck-logged-out-pre-1.16.txt").read_text()
    easy = (SAMPLES / "netcheck" / "pair-machine2-easy-nat-ipv6-no.txt").read_text()
    hard = (SAMPLES / "netcheck" / "hard-nat-natpmp-nairobi-bradfitz.txt").read_text()
    diagnosis = diagnose([InputText("out", "out.txt", logged_out), InputText("e", "e.txt", easy),
                          InputText("h", "h.txt", hard)])  # fmt: skip
    about = [p for p in diagnosis.predictions if "out" in (p.a, p.b)]
    assert {p.prediction.value for p in about} == {"uncertain"}
    assert all("logged out" in p.reason for p in about)
    assert "TS-PAIR-DERP-ONLY" not in {f.rule_id for f in diagnosis.findings}


def test_lan_stun_node_with_upnp_is_uncertain_with_every_peer() -> None:
    from opskit.core.diagnose.engine import InputText

    lan = (
        "Report:\n\t* UDP: true\n\t* IPv4: yes, 192.168.1.10:41641\n\t* IPv6: no\n"
        "\t* MappingVariesByDestIP: true\n\t* PortMapping: UPnP\n\t* Nearest DERP: Frankfurt\n"
        "\t* DERP latency:\n\t\t- fra: 5ms (Frankfurt)\n"
    )
    easy = (SAMPLES / "netcheck" / "pair-machine2-easy-nat-ipv6-no.txt").read_text()
    hard = (SAMPLES / "netcheck" / "v1.100-time-format-windows-hard-nat-campus.txt").read_text()
    diagnosis = diagnose([InputText("lan", "lan.txt", lan), InputText("e", "e.txt", easy),
                          InputText("h", "h.txt", hard)])  # fmt: skip
    about = [p for p in diagnosis.predictions if "lan" in (p.a, p.b)]
    assert {p.prediction.value for p in about} == {"uncertain"}
    assert all("inside its own network" in p.reason for p in about)
