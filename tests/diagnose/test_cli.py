"""`opskit diagnose` as a user runs it: files, stdin, labels, exit codes, JSON, warnings, errors."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import jsonschema

from tests.diagnose.conftest import SAMPLES, SCENARIO

JSON_SCHEMA = {
    "type": "object",
    "required": [
        "opskit",
        "kind",
        "summary",
        "blocks",
        "nodes",
        "pairs",
        "observations",
        "findings",
        "warnings",
        "live",
    ],
    "properties": {
        "opskit": {"const": 1},
        "kind": {"const": "diagnose"},
        "summary": {
            "type": "object",
            "required": ["error", "warning", "info", "exit_code"],
        },
        "nodes": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["label", "udp", "ipv4", "ipv6", "mapping", "port_mapping", "derp_home"],
                "properties": {
                    "udp": {"type": ["boolean", "null"]},
                    "mapping": {"enum": ["easy", "hard", "unknown"]},
                    "mapping_varies_by_dest_ip": {"type": ["boolean", "null"]},
                },
            },
        },
        "pairs": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["a", "b", "prediction", "reason", "change", "observed"],
                "properties": {
                    "prediction": {
                        "enum": ["direct-ipv6", "direct-ipv4", "direct-via-portmap", "uncertain", "derp-only"]
                    }
                },
            },
        },
        "findings": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["rule", "severity", "title", "cause", "fix", "evidence"],
                "properties": {
                    "severity": {"enum": ["info", "warning", "error"]},
                    "evidence": {
                        "type": "array",
                        "items": {"type": "object", "required": ["file", "line", "text"]},
                    },
                },
            },
        },
        "warnings": {"type": "array", "items": {"type": "string"}},
    },
}


def scenario_files(tmp_path: Path) -> list[str]:
    for name in ("A.txt", "B.txt", "C.txt"):
        shutil.copy(SCENARIO / name, tmp_path / name)
    return [str(tmp_path / n) for n in ("A.txt", "B.txt", "C.txt")]


def test_human_output_has_profiles_matrix_and_panels(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = cli(["diagnose", *scenario_files(tmp_path)])
    assert result.exit_code == 1  # warnings: C reachable only after it sends first
    out = result.stdout
    assert "NAT profile per node" in out and "Expected path per pair" in out
    assert "direct via C's port mapping, once C has sent" in out
    assert "TS-PAIR-FIRST-CONTACT" in out and "Cause:" in out and "Fix:" in out
    assert "C.txt:8" in out  # evidence with file:line
    assert "49676" not in out  # the probe port is never shown as the user's
    assert result.stderr == ""


def test_piped_findings_are_boxes_as_wide_as_their_text(  # type: ignore[no-untyped-def]
    cli, tmp_path: Path, monkeypatch
) -> None:
    # `opskit diagnose paste.txt > report.txt` (or into a ticket): no COLUMNS, not a terminal. Lines are not
    # hard-wrapped mid-token, and a finding's box is not padded out to the pipe's 4096 columns.
    monkeypatch.delenv("COLUMNS")
    result = cli(["diagnose", *scenario_files(tmp_path)])
    assert result.exit_code == 1 and "TS-PAIR-FIRST-CONTACT" in result.stdout
    boxes = re.findall(r"^╭.*?^╰.*?$", result.stdout, flags=re.MULTILINE | re.DOTALL)
    assert boxes
    for box in boxes:
        top, *inside, bottom = box.splitlines()
        widest_text = max(len(line[1:-1].rstrip()) for line in inside)
        assert len(top) == len(bottom) <= max(widest_text + 3, len(top.rstrip("─╮")) + 2)


def test_json_output_matches_schema_and_carries_the_same_content(  # type: ignore[no-untyped-def]
    cli, tmp_path: Path, monkeypatch
) -> None:
    scenario_files(tmp_path)
    monkeypatch.chdir(tmp_path)  # evidence names the file as the user typed it
    result = cli(["diagnose", "--format", "json", "A.txt", "B.txt", "C.txt"])
    assert result.exit_code == 1
    document = json.loads(result.stdout)
    jsonschema.validate(document, JSON_SCHEMA)
    assert [n["label"] for n in document["nodes"]] == ["A", "B", "C"]
    c = document["nodes"][2]
    assert c["mapping"] == "hard" and c["port_mapping"]["protocols"] == ["UPnP"]
    assert c["ipv4"]["address"] == "115.199.109.106"
    predictions = {(p["a"], p["b"]): p["prediction"] for p in document["pairs"]}
    assert predictions == {
        ("A", "B"): "direct-ipv4",
        ("A", "C"): "direct-via-portmap",
        ("B", "C"): "direct-via-portmap",
    }
    assert document["summary"]["exit_code"] == 1 and document["summary"]["warning"] == 1
    first = next(f for f in document["findings"] if f["rule"] == "TS-PAIR-FIRST-CONTACT")
    assert {"file": "C.txt", "line": 9, "text": "* PortMapping: UPnP"} in first["evidence"]


def test_stdin_and_label(cli) -> None:  # type: ignore[no-untyped-def]
    text = (SAMPLES / "windows" / "503-no-backend-service-running.txt").read_text()
    result = cli(["diagnose", "-", "--label", "office-pc", "-F", "json"], input=text)
    assert result.exit_code == 1
    document = json.loads(result.stdout)
    assert document["blocks"][0]["label"] == "office-pc" and document["blocks"][0]["source"] == "<stdin>"
    assert document["findings"][0]["rule"] == "TS-WIN-NO-BACKEND"
    assert document["findings"][0]["evidence"][0]["file"] == "<stdin>"


def test_clean_input_exits_zero(cli) -> None:  # type: ignore[no-untyped-def]
    path = SAMPLES / "netcheck" / "public-ip-no-nat-ipv6-hairpin-v1.28.txt"
    result = cli(["diagnose", str(path)])
    assert result.exit_code == 0
    assert "No problems found" in result.stdout


def test_unrecognised_input_exits_2_and_says_what_was_expected(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    junk = tmp_path / "notes.txt"
    junk.write_text("hello\nthis is my nginx.conf\nserver { listen 80; }\n")
    result = cli(["diagnose", str(junk)])
    assert result.exit_code == 2
    assert "opskit: error:" in result.stderr and "notes.txt" in result.stderr
    assert "tailscale netcheck" in result.stderr and "tailscale status" in result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""


def test_partly_recognised_input_gives_findings_and_names_skipped_lines(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "mixed.txt"
    path.write_text(
        "I ran this on the gateway, see below\n"
        + (SAMPLES / "status" / "headscale-relay-mia-tx-no-rx.txt").read_text()
        + "and then it hung for a while\n"
    )
    result = cli(["diagnose", str(path)])
    assert result.exit_code == 1
    assert "TS-STATUS-TX-NO-RX" in result.stdout
    assert "skipped line 1" in result.stderr and "skipped line 3" in result.stderr


def test_missing_file_label_mismatch_and_no_arguments_exit_2(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    missing = cli(["diagnose", str(tmp_path / "nope.txt")])
    assert missing.exit_code == 2 and "nope.txt" in missing.stderr and "cannot read" in missing.stderr
    files = scenario_files(tmp_path)
    mismatch = cli(["diagnose", *files, "--label", "x"])
    assert mismatch.exit_code == 2 and "--label" in mismatch.stderr
    nothing = cli(["diagnose"])
    assert nothing.exit_code == 2 and "--live" in nothing.stderr
    duplicate = cli(["diagnose", files[0], files[1], "--label", "x", "--label", "X"])
    assert duplicate.exit_code == 2 and "same node label" in duplicate.stderr


def test_binary_garbage_file_is_a_clean_exit_2(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "core.bin"
    path.write_bytes(bytes(range(256)) * 8)
    result = cli(["diagnose", str(path)])
    assert result.exit_code == 2 and "Traceback" not in result.stderr


def test_json_mode_keeps_stderr_quiet_and_carries_warnings_and_peers(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "mixed.txt"
    path.write_text(
        "I ran this on the gateway, see below\n" + (SAMPLES / "status" / "headscale-relay-mia-tx-no-rx.txt").read_text()
    )
    result = cli(["diagnose", "--format", "json", str(path)])
    assert result.exit_code == 1 and result.stderr == ""
    document = json.loads(result.stdout)
    assert document["schema_version"] == 2
    assert any("skipped line 1" in w for w in document["warnings"])
    (peer,) = document["peers"]
    assert (peer["name"], peer["path"], peer["derp"], peer["tx"], peer["rx"]) == (
        "arrakis",
        "derp",
        {"code": "mia", "name": "Miami"},
        444,
        0,
    )


def test_human_output_lists_the_path_of_every_peer(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "status.txt"
    path.write_text((SAMPLES / "status" / "direct-and-relay-tor-mixed.txt").read_text())
    result = cli(["diagnose", str(path)])
    out = result.stdout
    assert "Path per peer" in out
    assert "dentons-air" in out and "10.1.10.170:60659" in out  # the healthy peer is said, with its endpoint
    assert "tor (Toronto)" in out  # the relayed one names its DERP region both ways
    assert "dentons-air is direct" in out


def test_list_rules_and_explain_like_lint(cli) -> None:  # type: ignore[no-untyped-def]
    from opskit.core.diagnose.rules import all_rules

    listed = json.loads(cli(["diagnose", "--list-rules", "-F", "json"]).stdout)
    assert [r["id"] for r in listed["rules"]] == [r.id for r in all_rules()]
    assert listed["rules"][0]["help_uri"].endswith("#" + listed["rules"][0]["id"].lower())
    human = cli(["diagnose", "--list-rules"])
    assert human.exit_code == 0 and "TS-NETCHECK-UDP-BLOCKED" in human.stdout
    explained = cli(["diagnose", "--explain", "ts-netcheck-hard-nat"])
    assert explained.exit_code == 0
    assert "Why:" in explained.stdout and "Bad:" in explained.stdout and "MappingVariesByDestIP" in explained.stdout
    by_name = json.loads(cli(["diagnose", "--explain", "netcheck-udp-blocked", "-F", "json"]).stdout)
    assert by_name["id"] == "TS-NETCHECK-UDP-BLOCKED" and by_name["examples"]["good"]
    unknown = cli(["diagnose", "--explain", "TS-NOPE"])
    assert unknown.exit_code == 2 and "opskit diagnose --list-rules" in unknown.stderr
