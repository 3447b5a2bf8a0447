"""One view model: every read-only ``tailscale …`` view diagnose reads goes through the one registry
(opskit/core/diagnose/viewkinds.py ``VIEWS``) and shows in JSON ``views[]`` under its block kind.

Run over every sample and every rule fixture: a view block without its ``views[]`` entry, an entry of a kind the
registry does not hold, a registry row no paste exercises, or a schema enum that drifted from the registry fails.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from opskit.core.diagnose.viewkinds import VIEWS
from opskit.errors import InputError
from opskit.output.diagnose import to_json
from tests.diagnose.conftest import RULE_FIXTURES, SAMPLES, SCENARIO, load, run_json

REGISTRY_KINDS = {view.block.value for view in VIEWS}
SCHEMA = json.loads((Path(__file__).parents[2] / "docs" / "diagnose.schema.json").read_text(encoding="utf-8"))


@cache
def _documents() -> tuple[tuple[str, dict[str, Any]], ...]:
    from opskit.core.diagnose.engine import diagnose

    documents: list[tuple[str, dict[str, Any]]] = []
    paths = [*sorted(SAMPLES.rglob("*.txt")), *sorted(SCENARIO.glob("*.txt")), *sorted(RULE_FIXTURES.rglob("*.txt"))]
    for path in paths:
        try:
            diagnosis = diagnose([load(path)])
        except InputError:
            continue  # nothing recognisable: no document
        documents.append((path.as_posix(), to_json(diagnosis, 1 if diagnosis.has_problems else 0)))
    return tuple(documents)


def test_every_view_block_has_its_views_entry_and_nothing_else_is_a_view() -> None:
    for name, document in _documents():
        blocks = [(b["label"], b["kind"], b["first_line"]) for b in document["blocks"] if b["kind"] in REGISTRY_KINDS]
        entries = [(v["label"], v["kind"], v["line"]) for v in document["views"]]
        assert entries == blocks, name


def test_every_registry_row_is_read_from_some_paste() -> None:
    seen = {view["kind"] for _, document in _documents() for view in document["views"]}
    assert seen == REGISTRY_KINDS


def test_every_document_with_a_view_validates_against_the_published_schema() -> None:
    """test_corpus.py validates the samples; the rule fixtures hold the views no sample shows yet (derp-map,
    switch --list, …), so every document with a view is validated here, whatever it came from."""
    validator = jsonschema.Draft202012Validator(SCHEMA)
    for name, document in _documents():
        if document["views"]:
            errors = [error.message for error in validator.iter_errors({"opskit": 1, "kind": "diagnose", **document})]
            assert errors == [], name


def test_the_schema_lists_exactly_the_registry_kinds() -> None:
    assert set(SCHEMA["properties"]["views"]["items"]["properties"]["kind"]["enum"]) == REGISTRY_KINDS


def test_one_row_per_block_kind() -> None:
    assert len(REGISTRY_KINDS) == len(VIEWS)


def test_the_engine_names_no_view_kind() -> None:
    """A new view is a registry row: engine.py dispatches, runs rules and lists reports without naming one."""
    engine = (Path(__file__).parents[2] / "opskit" / "core" / "diagnose" / "engine.py").read_text(encoding="utf-8")
    named = [view.block.name for view in VIEWS if f"BlockKind.{view.block.name}" in engine]
    assert named == []


@pytest.mark.parametrize(("legacy", "kind"), [("tailnet_locks", "tailnet-lock-status"), ("dns_statuses", "dns-status")])
def test_the_arrays_kept_for_compatibility_hold_the_same_facts(legacy: str, kind: str) -> None:
    compared = 0
    for name, document in _documents():
        views = [{k: v for k, v in view.items() if k != "kind"} for view in document["views"] if view["kind"] == kind]
        assert [dict(sorted(entry.items())) for entry in document[legacy]] == [
            dict(sorted(view.items())) for view in views
        ], name
        compared += len(views)
    assert compared >= 3


def test_debug_prefs_never_shows_the_persisted_keys() -> None:
    paste = """$ tailscale debug prefs
{
	"ControlURL": "https://controlplane.tailscale.com",
	"RouteAll": true,
	"ExitNodeID": "nExit123CNTRL",
	"CorpDNS": true,
	"WantRunning": true,
	"LoggedOut": false,
	"Persist": {
		"PrivateNodeKey": "privkey:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
		"OldPrivateNodeKey": "privkey:0000000000000000000000000000000000000000000000000000000000000000",
		"UserProfile": {"LoginName": "alice@example.com"}
	}
}
"""
    (view,) = run_json(paste)["views"]
    assert view["kind"] == "debug-prefs"
    assert view["prefs"] == {
        "ControlURL": "https://controlplane.tailscale.com",
        "WantRunning": True,
        "LoggedOut": False,
        "CorpDNS": True,
        "RouteAll": True,
        "ExitNodeID": "nExit123CNTRL",
    }
    assert "privkey" not in json.dumps(run_json(paste))


def test_netmap_counts_only_what_the_paste_shows() -> None:
    peers = """$ tailscale debug netmap | jq .Peers
[
  {"Name": "nas.tail1234.ts.net.", "Addresses": ["100.64.0.2/32"], "Online": true},
  {"Name": "phone.tail1234.ts.net.", "Addresses": ["100.64.0.3/32"], "Online": false},
  {"Name": "tv.tail1234.ts.net.", "Addresses": ["100.64.0.4/32"]}
]
"""
    (view,) = run_json(peers)["views"]
    assert (view["piece"], view["peer_count"], view["peers_online"], view["peers_offline"]) == ("Peers", 3, 1, 1)
    policy = """$ tailscale debug netmap | jq .SSHPolicy
{
  "rules": []
}
"""
    (view,) = run_json(policy)["views"]
    assert (view["piece"], view["peer_count"], view["ssh_rules"]) == ("SSHPolicy", None, 0)
