"""Judge `opskit diagnose` on the public-paste corpus against the ground truth in corpus/truth.toml.

Each sample's facts (written from an expert reading before opskit ran on it) are compared with the
structured JSON document `opskit diagnose --format json` would print. A sample is *right* when every
fact it states holds. Run as a script for the accuracy figures::

    python -m tests.diagnose.corpus_check            # dev and held-out accuracy (held-out: counts only)
    python -m tests.diagnose.corpus_check --details  # every failing fact, held-out included
    python -m tests.diagnose.corpus_check --select log_dev  # figures over samples whose truth sets a key
"""

from __future__ import annotations

import sys
import tomllib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from opskit.core.diagnose.engine import InputText, diagnose
from opskit.errors import InputError
from opskit.output.diagnose import to_json

CORPUS = Path(__file__).parent / "samples" / "corpus"
NOTHING = "exit 2: nothing recognised"


def load_truth() -> list[dict[str, Any]]:
    """Every [[sample]] of truth.toml, then of each truth-<batch>.toml (one file per collection batch, so
    batches gathered in parallel never edit the same file), in file order."""
    samples: list[dict[str, Any]] = []
    for path in [CORPUS / "truth.toml", *sorted(CORPUS.glob("truth-*.toml"))]:
        with path.open("rb") as handle:
            samples.extend(tomllib.load(handle)["sample"])
    return samples


def document_for(name: str) -> dict[str, Any] | None:
    """The JSON payload for one sample (None when opskit exits 2: nothing recognised)."""
    path = CORPUS / name
    try:
        diagnosis = diagnose([InputText(path.stem, path.name, path.read_text(encoding="utf-8"))])
    except InputError:
        return None
    return to_json(diagnosis, 1 if diagnosis.has_problems else 0)


def _lower(value: object) -> str:
    return str(value).strip().lower()


def _node_facts(expected: dict[str, Any], node: dict[str, Any]) -> Iterable[str]:
    ipv6 = node.get("ipv6") or {}
    checks: dict[str, tuple[object, object]] = {
        "udp": (expected.get("udp"), node.get("udp")),
        "mapping": (expected.get("mapping"), node.get("mapping")),
        "ipv6_state": (expected.get("ipv6_state"), ipv6.get("state")),
        "ipv6_global": (expected.get("ipv6_global"), ipv6.get("global")),
        "ipv4_scope": (expected.get("ipv4_scope"), (node.get("ipv4") or {}).get("scope")),
    }
    for key, (want, got) in checks.items():
        if key in expected and want != got:
            yield f"node.{key}: expected {want!r}, got {got!r}"
    if "ipv6_state_not" in expected and ipv6.get("state") == expected["ipv6_state_not"]:
        yield f"node.ipv6.state must not be {expected['ipv6_state_not']!r}"
    if "derp_home" in expected:
        region = node.get("derp_home_region") or {}
        shown = {_lower(node.get("derp_home")), _lower(region.get("code")), _lower(region.get("name"))}
        if not shown & {_lower(v) for v in expected["derp_home"]}:
            yield f"node.derp_home: expected one of {expected['derp_home']}, got {sorted(shown - {'none'})}"
    if "portmap" in expected:
        got = sorted((node.get("port_mapping") or {}).get("protocols") or [])
        if got != sorted(expected["portmap"]):
            yield f"node.portmap: expected {sorted(expected['portmap'])}, got {got}"
    for artefact in expected.get("artefacts", []):
        if artefact not in (node.get("artefacts") or []):
            yield f"node.artefacts: {artefact!r} missing from {node.get('artefacts')}"
    for code in expected.get("silent_regions", []):
        latencies = {_lower(d.get("code")): d.get("latency_ms") for d in node.get("derp_latencies") or []}
        if _lower(code) not in latencies or latencies[_lower(code)] is not None:
            yield f"node.derp_latencies: region {code!r} should be shown without a latency"


def _peer_matches(expected: dict[str, Any], peer: dict[str, Any]) -> bool:
    for key, want in expected.items():
        if key == "name":
            continue
        if key == "ip":
            got = peer.get("ip")
            if (want == "" and got not in (None, "")) or (want != "" and _lower(got) != _lower(want)):
                return False
        elif key == "derp":
            if _lower((peer.get("derp") or {}).get("code")) != _lower(want):
                return False
        elif key in ("os", "exit_node", "path", "endpoint"):
            if _lower(peer.get(key)) != _lower(want):
                return False
        elif peer.get(key) != want:
            return False
    return True


def _peer_facts(expected_peers: list[dict[str, Any]], peers: list[dict[str, Any]] | None) -> Iterable[str]:
    if peers is None:
        yield "no peers[] in the output"
        return
    for expected in expected_peers:
        if "name" in expected:
            candidates = [p for p in peers if _lower(p.get("name")) == _lower(expected["name"])]
        else:
            # an unnamed expectation is matched against the self row only when it says self = true (a
            # redacted name, or a truth that gives only the address): otherwise never against the self row
            candidates = [p for p in peers if bool(p.get("self")) == bool(expected.get("self"))]
        if not any(_peer_matches(expected, p) for p in candidates):
            shown = [{k: p.get(k) for k in ("name", "ip", "path", "derp", "endpoint", "offline")} for p in candidates]
            yield f"peer {expected}: no match among {shown or 'no peer of that name'}"


def _ping_facts(expected: dict[str, Any], document: dict[str, Any]) -> Iterable[str]:
    pings = document.get("pings")
    if pings is None:  # schema 1: only the outcome is shown, in the block layout
        layouts = [b["layout"] for b in document.get("blocks", []) if b["kind"] == "ping"]
        if "outcome" in expected and not any(f"({expected['outcome']})" in lay for lay in layouts):
            yield f"ping.outcome: expected {expected['outcome']!r}, blocks say {layouts}"
        if set(expected) - {"outcome"}:
            yield "no pings[] in the output"
        return
    if not pings:
        yield "ping: no ping run recognised"
        return
    best = next((p for p in reversed(pings) if p.get("pongs")), pings[-1])
    for key, want in expected.items():
        got = best.get(key)
        if key == "derp_regions":
            if sorted(_lower(x) for x in got or []) != sorted(_lower(x) for x in want):
                yield f"ping.derp_regions: expected {sorted(want)}, got {got}"
        elif (_lower(got) if isinstance(want, str) else got) != (_lower(want) if isinstance(want, str) else want):
            yield f"ping.{key}: expected {want!r}, got {got!r}"


def _windows_facts(expected: dict[str, Any], document: dict[str, Any]) -> Iterable[str]:
    errors = document.get("windows")
    if errors is None:  # schema 1: kinds only, in the block layout
        kinds = {k for b in document.get("blocks", []) if b["kind"] == "windows-error" for k in b["layout"].split(", ")}
        entries: list[dict[str, Any]] = []
    else:
        kinds = {e.get("kind") for e in errors}
        entries = errors
    for kind in expected.get("kinds", []):
        if kind not in kinds:
            yield f"windows.kinds: {kind!r} missing from {sorted(k for k in kinds if k)}"
    for kind in expected.get("not", []):
        if kind in kinds:
            yield f"windows.kinds: {kind!r} must not be claimed"
    for key in ("owner", "pid", "caller"):
        if key in expected and not any(e.get(key) == expected[key] for e in entries):
            yield f"windows.{key}: expected {expected[key]!r}, got {[e.get(key) for e in entries]}"


def _daemon_facts(expected: dict[str, Any], logs: list[dict[str, Any]]) -> Iterable[str]:
    """Facts read from tailscaled logs: scalars hold on some log of the paste, issues on their union."""
    if not logs:
        yield "daemon: no tailscaled log recognised"
        return
    issues = {issue.get("kind") for log in logs for issue in log.get("issues") or []}
    for kind in expected.get("issues", []):
        if kind not in issues:
            yield f"daemon.issues: {kind!r} missing from {sorted(k for k in issues if k)}"
    for kind in expected.get("issues_absent", []):
        if kind in issues:
            yield f"daemon.issues: {kind!r} must not be claimed"
    if "home_derp" in expected:
        wanted = {_lower(v) for v in expected["home_derp"]}
        shown = {
            _lower(v) for log in logs for v in ((log.get("home_derp") or {}).get(k) for k in ("id", "code", "name"))
        }
        if not shown & wanted:
            yield f"daemon.home_derp: expected one of {expected['home_derp']}, got {sorted(shown - {'none'})}"
    for key, want in expected.items():
        if key in ("issues", "issues_absent", "home_derp"):
            continue
        got = [log.get(key) for log in logs]
        # names compare as the rest of the judge does (peers' os is case-blind): "macOS" is "macos"
        if (_lower(want) not in [_lower(g) for g in got]) if isinstance(want, str) else want not in got:
            yield f"daemon.{key}: expected {want!r}, got {got[-1] if len(got) == 1 else got!r}"


def check_sample(truth: dict[str, Any], document: dict[str, Any] | None) -> list[str]:
    """Every fact of ``truth`` the document gets wrong (empty: the sample is right)."""
    recognised = truth.get("recognised", True)
    if document is None:
        return [] if recognised in (False, "either") else [NOTHING]
    if recognised is False:
        return ["expected exit 2 (nothing to diagnose), got a diagnosis"]
    problems: list[str] = []
    kinds = {b["kind"] for b in document.get("blocks", [])}
    for kind in truth.get("kinds", []):
        if kind not in kinds:
            problems.append(f"kinds: {kind!r} not recognised (got {sorted(kinds)})")
    if "problem" in truth:
        code = document["summary"]["exit_code"]
        if code != (1 if truth["problem"] else 0):
            problems.append(f"problem: expected exit {1 if truth['problem'] else 0}, got {code}")
    if "node" in truth:
        nodes = document.get("nodes") or []
        if not nodes:
            problems.append("node: no NAT profile in the output")
        else:
            problems.extend(_node_facts(truth["node"], nodes[-1]))
    if "peers" in truth:
        problems.extend(_peer_facts(truth["peers"], document.get("peers")))
    if "ping" in truth:
        problems.extend(_ping_facts(truth["ping"], document))
    if "windows" in truth:
        problems.extend(_windows_facts(truth["windows"], document))
    if "daemon" in truth:
        problems.extend(_daemon_facts(truth["daemon"], document.get("daemon_logs") or []))
    statuses = document.get("statuses") or []
    # a health message: a status's health item, or a warnable a tailscaled log still reported failing at its end
    health = [h for report in (*statuses, *(document.get("daemon_logs") or [])) for h in report.get("health") or []]
    if "health" in truth and not any(truth["health"] in h for h in health):
        problems.append(f"health: {truth['health']!r} not among {health}")
    if "state" in truth and not any(truth["state"] in (s.get("state") or "") for s in statuses):
        problems.append(f"state: {truth['state']!r} not among {[s.get('state') for s in statuses]}")
    rules = {f["rule"] for f in document.get("findings", [])}
    for rule_id in truth.get("rules_absent", []):
        if rule_id in rules:
            problems.append(f"rule {rule_id} must not fire")
    titles = [f["title"] for f in document.get("findings", [])]
    for text in truth.get("titles_exclude", []):
        if any(text in t for t in titles):
            problems.append(f"a finding title says {text!r}")
    return problems


def count_facts(truth: dict[str, Any]) -> int:
    """How many facts ``truth`` states, in the units check_sample reports a miss in (one per kind, per
    node/ping/daemon key, per expected peer, per Windows entry, per absent rule or excluded title)."""
    facts = len(truth.get("kinds", [])) + sum(1 for key in ("problem", "health", "state") if key in truth)
    facts += len(truth.get("node", {})) + len(truth.get("peers", [])) + len(truth.get("ping", {}))
    daemon = truth.get("daemon", {})
    facts += len(set(daemon) - {"issues", "issues_absent"}) + len(daemon.get("issues", []))
    facts += (
        len(daemon.get("issues_absent", [])) + len(truth.get("rules_absent", [])) + len(truth.get("titles_exclude", []))
    )
    windows = truth.get("windows", {})
    facts += len(windows.get("kinds", [])) + len(windows.get("not", []))
    facts += sum(k in windows for k in ("owner", "pid", "caller"))
    return max(facts, 1)  # a sample that states only "recognised" still counts as one fact


def batch_figures(batch: int) -> tuple[int, int, int, int, list[tuple[str, list[str]]]]:
    """(right samples, samples, right facts, facts, misses) for one blind batch of truth.toml."""
    return figures([t for t in load_truth() if t.get("blind_batch") == batch])


def figures(truths: list[dict[str, Any]]) -> tuple[int, int, int, int, list[tuple[str, list[str]]]]:
    """(right samples, samples, right facts, facts, misses) over ``truths``."""
    results = [(t["file"], count_facts(t), check_sample(t, document_for(t["file"]))) for t in truths]
    facts = sum(n for _, n, _ in results)
    # exit 2 on a paste that shows something loses every fact it states, not one
    wrong = sum(n if problems == [NOTHING] else min(n, len(problems)) for _, n, problems in results)
    right = sum(1 for _, _, problems in results if not problems)
    return right, len(results), facts - wrong, facts, [(name, problems) for name, _, problems in results if problems]


def main(argv: list[str]) -> int:
    details = "--details" in argv
    labels = {
        "dev": "dev (worked on)",
        "held": "held-out (the last 15 collected, not looked at while fixing)",
        "fresh": "fresh (collected after the fixes; scored blind once, see truth.toml)",
    }
    groups: dict[str, list[tuple[str, list[str]]]] = {key: [] for key in labels}
    for truth in load_truth():
        group = "fresh" if truth.get("fresh") else "held" if truth.get("held_out") else "dev"
        groups[group].append((truth["file"], check_sample(truth, document_for(truth["file"]))))
    for group, results in groups.items():
        right = sum(1 for _, problems in results if not problems)
        print(f"{labels[group]}: {right}/{len(results)} right ({100 * right / max(1, len(results)):.0f} %)")
        if details or group == "dev":
            for name, problems in results:
                for problem in problems:
                    print(f"  {name}: {problem}")
    batches = sorted({t["blind_batch"] for t in load_truth() if "blind_batch" in t})
    for batch in batches:
        right, samples, right_facts, facts, _ = batch_figures(batch)
        print(
            f"blind batch {batch}: {right}/{samples} pastes right ({100 * right / max(1, samples):.0f} %), "
            f"{right_facts}/{facts} facts right ({100 * right_facts / max(1, facts):.0f} %)"
        )
    for key in argv[argv.index("--select") + 1 :][:1] if "--select" in argv else []:
        selected = [t for t in load_truth() if t.get(key)]
        right, samples, right_facts, facts, misses = figures(selected)
        print(
            f"{key}: {right}/{samples} pastes right ({100 * right / max(1, samples):.0f} %), "
            f"{right_facts}/{facts} facts right ({100 * right_facts / max(1, facts):.0f} %)"
        )
        for label, truths in _by_input_kind(selected):
            right, samples, right_facts, facts, _ = figures(truths)
            print(f"  {label}: {right}/{samples} pastes right, {right_facts}/{facts} facts right")
        for name, problems in misses:
            for problem in problems:
                print(f"  {name}: {problem}")
    return 0


def _by_input_kind(truths: list[dict[str, Any]]) -> list[tuple[str, list[dict[str, Any]]]]:
    """The samples split as the accuracy figures are reported: logs, CLI/GUI errors, the rest."""
    logs = [t for t in truths if "tailscaled-log" in t.get("kinds", [])]
    cli = [t for t in truths if t not in logs and "windows-error" in t.get("kinds", [])]
    rest = [t for t in truths if t not in logs and t not in cli]
    groups = (("status/ping/netcheck", rest), ("CLI/GUI errors", cli), ("tailscaled logs", logs))
    return [(label, group) for label, group in groups if group]


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
