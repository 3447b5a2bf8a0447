"""The CHK rule catalog names every id a `check` finding can carry, and nothing else.

The ids come from the judgements' own source (every ``CheckItem("<id>", ...)`` and every proxy-target
behaviour that can fail or warn), so a new check row without a catalog entry fails here, and so does
a catalog entry no judgement can produce. SARIF's ``rules[]`` is the catalog: a result whose rule is
missing there would have no ``ruleIndex`` and no help text in GitHub code scanning."""

from __future__ import annotations

import ast
from pathlib import Path

from opskit.core.check.nginx_targets import Behaviour
from opskit.core.check.resolver import _STATUS_BY_BEHAVIOUR
from opskit.core.check.result import CheckItem, Status, check_findings
from opskit.core.check.rules import all_rules, rules_of

CHECK = Path(__file__).resolve().parents[2] / "opskit" / "core" / "check"


def _literal_check_ids(module: str) -> set[str]:
    ids: set[str] = set()
    for node in ast.walk(ast.parse((CHECK / module).read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "CheckItem" and node.args:
            first = node.args[0]
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                ids.add(first.value)
    return ids


def _producible_rule_ids() -> set[str]:
    harbor = {CheckItem(i, "", Status.FAIL, "").rule_id("harbor") for i in _literal_check_ids("harbor_judgement.py")}
    names = {CheckItem(i, "", Status.FAIL, "").rule_id("resolver") for i in _literal_check_ids("resolver.py")}
    # A target that follows DNS fails when its resolver has no address; the others by behaviour.
    failing = {b for b, s in _STATUS_BY_BEHAVIOUR.items() if s is not Status.PASS} | {Behaviour.FOLLOWS_DNS}
    targets = {CheckItem(f"target.{b.name.lower()}", "", Status.FAIL, "").rule_id("resolver") for b in failing}
    return harbor | names | targets


def test_the_catalog_names_exactly_the_ids_checks_can_produce() -> None:
    catalog = {r.id for r in all_rules()}
    assert len(catalog) == len(all_rules())
    producible = _producible_rule_ids()
    assert producible - catalog == set(), "check rows whose findings have no CHK rule"
    assert catalog - producible == set(), "CHK rules no check can produce"
    assert {r.id for r in rules_of("harbor")} | {r.id for r in rules_of("resolver")} == catalog


def test_every_rule_is_documented_and_belongs_to_check() -> None:
    for rule in all_rules():
        assert rule.info.tool == "check" and rule.info.family == f"check-{rule.info.target}"
        assert rule.id.startswith(f"CHK-{rule.info.target.upper()}-")
        assert rule.section("why"), f"{rule.id} needs a *Why*"


def test_each_rule_yields_the_findings_of_its_own_rows() -> None:
    items = [
        CheckItem("v2", "GET /v2/ challenge", Status.PASS, "401 Bearer"),
        CheckItem("realm", "realm matches entry", Status.WARN, "another host", "why", "fix"),
        CheckItem("tls.expiry", "certificate expiry", Status.FAIL, "expired 3 days ago"),
        CheckItem("token.login", "token with credentials", Status.FAIL, "401"),
    ]
    subject = "https://harbor.example.test:5088"
    by_rules = [f for rule in rules_of("harbor") for f in rule.run(items, subject)]
    assert sorted(by_rules, key=lambda f: f.rule_id) == sorted(
        check_findings(items, "harbor", subject), key=lambda f: f.rule_id
    )
    assert {f.rule_id for f in by_rules} == {"CHK-HARBOR-REALM", "CHK-HARBOR-TLS-EXPIRY", "CHK-HARBOR-TOKEN-LOGIN"}


def test_findings_mask_the_credentials_of_an_entry_url() -> None:
    """`check harbor https://user:pw@host` (or a realm quoting one): no password in findings[]."""
    from opskit.core.check.harbor_judgement import EntryReport, HarborCheck
    from opskit.output.check import harbor_json

    url = "https://robot:s3cr3t-pw@harbor.example.test:5088"
    item = CheckItem("realm", "realm matches entry", Status.FAIL, f"realm {url}/service/token", "why", "fix")
    document = harbor_json(HarborCheck((EntryReport(url, (item,), "", ""),)).entries)
    (finding,) = document["findings"]
    assert finding["rule"] == "CHK-HARBOR-REALM"
    assert "s3cr3t-pw" not in str(document["findings"])
    assert finding["evidence"][0]["file"] == document["entries"][0]["url"]
