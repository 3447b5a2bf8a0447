"""Pure core: DSN masking, schema validation, partial-index predicates, the Traefik edit, plan/journal
loading and option parsing. No database, no files."""

from __future__ import annotations

import json

import pytest

from opskit.core.headscale.journal import (
    BeforeImage,
    Committed,
    MoveStep,
    RouteIntent,
    RouteOutcome,
    record_text,
)
from opskit.core.headscale.journal_parse import parse_journal
from opskit.core.headscale.options import parse_client, parse_column, parse_duration_ms, parse_hook
from opskit.core.headscale.plan import load_plan
from opskit.core.headscale.schema import Catalog, UniqueIndex, predicate_holds, tenant_schema
from opskit.core.headscale.snapshot import endpoint_ips
from opskit.core.redact import redact_dsn as mask_dsn
from opskit.core.traefik.dynamic import router_service, switch_router_service
from opskit.errors import InputError


@pytest.mark.parametrize(
    ("dsn", "shown"),
    [
        (
            "postgresql://hs:s3cr%40t@db.example:5432/headscale",
            "postgresql://hs:***@db.example:5432/headscale",
        ),
        (
            "postgres://hs:pw@h1,h2/hs?sslmode=require&password=pw2",
            "postgres://hs:***@h1,h2/hs?sslmode=require&password=***",
        ),
        ("host=db user=hs password=secret dbname=hs", "host=db user=hs password=*** dbname=hs"),
        ("host=db password = 'with space' user=hs", "host=db password = *** user=hs"),
        ("postgresql://hs@db/headscale", "postgresql://hs@db/headscale"),
    ],
)
def test_mask_dsn_hides_every_password_form(dsn: str, shown: str) -> None:
    assert mask_dsn(dsn) == shown


def _catalog(**overrides: tuple[str, ...]) -> Catalog:
    columns = {
        "users": ("id", "name", "deleted_at", "provider_identifier", "cluster_id"),
        "nodes": (
            "id",
            "user_id",
            "auth_key_id",
            "machine_key",
            "node_key",
            "ipv4",
            "ipv6",
            "given_name",
            "endpoints",
            "cluster_id",
        ),
        "pre_auth_keys": ("id", "user_id", "prefix", "cluster_id"),
    }
    columns.update(overrides)
    return Catalog(columns, (), ())


def test_schema_without_cluster_column_names_what_is_missing() -> None:
    with pytest.raises(InputError) as caught:
        tenant_schema(_catalog(), cluster_column="instance_id")
    text = caught.value.describe()
    assert "users: missing column(s) instance_id" in text
    assert "nodes: missing column(s) instance_id" in text


def test_pre_023_machines_schema_is_refused_with_the_reason() -> None:
    catalog = _catalog()
    columns = dict(catalog.columns)
    del columns["nodes"]
    columns["machines"] = ("id", "ip_addresses", "cluster_id")
    with pytest.raises(InputError) as caught:
        tenant_schema(Catalog(columns, (), ()))
    assert "pre-0.23 `machines` table" in caught.value.describe()


def test_unscoped_cluster_table_is_refused() -> None:
    catalog = _catalog(dns_records=("id", "name", "cluster_id"))
    with pytest.raises(InputError) as caught:
        tenant_schema(catalog)
    assert "dns_records: has `cluster_id` but no foreign key" in caught.value.describe()


@pytest.mark.parametrize(
    ("predicate", "row", "holds"),
    [
        ("(provider_identifier IS NULL)", {"provider_identifier": None}, True),
        ("(provider_identifier IS NULL)", {"provider_identifier": "https://idp/x"}, False),
        ("(provider_identifier IS NOT NULL)", {"provider_identifier": "https://idp/x"}, True),
        ("((prefix IS NOT NULL) AND (prefix <> ''::text))", {"prefix": ""}, False),
        ("((prefix IS NOT NULL) AND (prefix <> ''::text))", {"prefix": "a1b2"}, True),
        ("(lower(name) ~ 'x'::text)", {"name": "x"}, None),
        (None, {}, True),
    ],
)
def test_partial_index_predicates(predicate: str | None, row: dict[str, object], holds: bool | None) -> None:
    assert predicate_holds(predicate, row) is holds


def test_index_scope_is_read_from_its_columns() -> None:
    schema = tenant_schema(
        Catalog(
            _catalog().columns,
            (),
            (
                UniqueIndex(
                    "idx_name_no_provider_identifier",
                    "users",
                    ("cluster_id", "name"),
                    "(provider_identifier IS NULL)",
                ),
                UniqueIndex("users_name_key", "users", ("name",), None),
            ),
        )
    )
    assert [schema.scope_of(i) for i in schema.user_unique] == ["per cluster", "whole database"]
    assert schema.variant == "upgraded-legacy"


def test_endpoint_ips_parses_v4_v6_and_skips_garbage() -> None:
    assert endpoint_ips('["203.0.113.5:41641","[2001:db8::23]:41641","bogus:1","203.0.113.5:1"]') == (
        "203.0.113.5",
        "2001:db8::23",
    )
    assert endpoint_ips("not json") == ()
    assert endpoint_ips(None) == ()


DYNAMIC = """\
# edge for all tenants
http:
  routers:
    hsa:   # tenant a
      entryPoints: [web]
      rule: Host(`hsa.demo.com`)
      service: 'headscale-cluster3'  # moved by opskit
    hsb: {rule: Host(`hsb.demo.com`), service: headscale-cluster3}
  services:
    headscale-cluster3:
      loadBalancer:
        servers:
        - url: http://127.0.0.2:8080
    headscale-cluster4:
      loadBalancer:
        servers:
        - url: http://127.0.0.3:8080
"""


def test_route_switch_changes_one_value_and_keeps_every_other_byte() -> None:
    edit = switch_router_service(DYNAMIC, "hsa", "headscale-cluster4", "tenants.yml")
    assert edit.old_service == "headscale-cluster3"
    assert edit.text == DYNAMIC.replace(
        "service: 'headscale-cluster3'  # moved", "service: 'headscale-cluster4'  # moved"
    )
    assert router_service(edit.text, "hsb", "tenants.yml") == "headscale-cluster3"
    flow = switch_router_service(DYNAMIC, "hsb", "headscale-cluster4", "tenants.yml")
    assert "hsb: {rule: Host(`hsb.demo.com`), service: headscale-cluster4}" in flow.text


def test_route_switch_refuses_missing_router_and_undefined_service() -> None:
    with pytest.raises(InputError, match=r"router not found \(routers here: hsa, hsb\)"):
        switch_router_service(DYNAMIC, "hsz", "headscale-cluster4", "tenants.yml")
    with pytest.raises(InputError, match="target service is not defined"):
        switch_router_service(DYNAMIC, "hsa", "headscale-cluster9", "tenants.yml")
    with pytest.raises(InputError, match="not a Traefik router/service name"):
        switch_router_service(DYNAMIC, "hsa", "x'; rm -rf /", "tenants.yml")
    # a service from another provider is allowed by name@provider
    assert "service: 'svc4@docker'" in switch_router_service(DYNAMIC, "hsa", "svc4@docker", "t.yml").text


def test_route_switch_reports_yaml_errors_with_a_line() -> None:
    with pytest.raises(InputError, match=r"tenants.yml:3: invalid YAML"):
        switch_router_service("http:\n  routers:\n    a: b: c\n", "a", "b", "tenants.yml")


def _header_line(version: int, rows: dict[str, dict[str, str]], **extra: object) -> str:
    """A journal header as opskit writes it (every format so far has had the same header fields)."""
    header = {
        "record": "header",
        "format": version,
        "started_at": "2026-12-01T10:00:00.000000+00:00",
        "database": "host=db user=headscale password=***",
        "plan_fingerprint": "f" * 32,
        "cluster_column": "cluster_id",
        "tenant": {"id": 1, "name": "hsa", "provider_identifier": None},
        "source_cluster": 3,
        "target_cluster": 4,
        "rows": rows,
        "columns": {t: ["id", "name", "cluster_id"] for t in rows},
        "steps": [{"name": "db-move", "action": "UPDATE", "inverse": "restore"}],
        "route": None,
        **extra,
    }
    return json.dumps(header) + "\n"


def test_journal_tolerates_a_torn_last_line_and_knows_it_never_committed() -> None:
    text = (
        _header_line(1, {"users": {"1": "abc"}})
        + '{"record":"before","table":"users","copy":"1\\thsa\\t3"}\n'
        + '{"record":"ste'
    )
    journal = parse_journal(text, "j")
    assert journal.state == "uncommitted"
    assert journal.torn_tail
    assert journal.before == {"users": ["1\thsa\t3"]}
    assert journal.before_fingerprints == {"users": {1: "abc"}}
    with pytest.raises(InputError, match="not an opskit tenant-move journal"):
        parse_journal('{"record":"before"}\n', "j")


def test_journal_before_image_is_raw_copy_text_up_to_the_end_marker() -> None:
    header = _header_line(2, {"nodes": {"7": "x"}})
    # COPY escapes every backslash, so a data line can never be the bare end marker \.
    rows = b'7\thost\\.\t\\N\t3\n8\t{"a":"b\\tc"}\t\\.\t3\n'
    before = record_text(BeforeImage("nodes")).encode() + rows + b"\\.\n"
    done = record_text(MoveStep("updated", "t", {"nodes": 2})) + record_text(Committed("t"))
    journal = parse_journal(header.encode() + before + done.encode(), "j")
    assert journal.before == {"nodes": ["7\thost\\.\t\\N\t3", '8\t{"a":"b\\tc"}\t\\.\t3']}
    assert journal.state == "committed" and journal.steps[0] == MoveStep("updated", "t", {"nodes": 2})
    # killed while the block was being written: no end marker, never committed
    torn = parse_journal(header.encode() + before[:-20], "j")
    assert torn.torn_tail and torn.state == "uncommitted"


def test_journal_of_an_unknown_format_is_refused_naming_the_version() -> None:
    with pytest.raises(InputError, match=r"j:1: format: journal format 9 is not one this opskit reads \(1, 2, 3\)"):
        parse_journal(_header_line(9, {"users": {"1": "abc"}}), "j")


def test_journal_fields_of_the_wrong_type_are_bad_input_with_their_line() -> None:
    step = '{"record":"step","name":"db-move","state":"updated","at":5}\n'
    with pytest.raises(InputError, match=r"j:2: at: missing or not a string"):
        parse_journal(_header_line(3, {"users": {"1": "abc"}}) + step, "j")
    with pytest.raises(InputError, match=r"j:2: name: unknown journal step 'db-dance'"):
        parse_journal(_header_line(3, {}) + '{"record":"step","name":"db-dance","at":"t"}\n', "j")


def test_route_to_reverse_is_the_intent_unless_its_outcome_says_failed() -> None:
    header = _header_line(3, {"users": {"1": "abc"}})
    intent = RouteIntent("route-switch", "t", "/etc/traefik/t.yml", "hsa", "svc3", "svc4")
    only_intent = parse_journal(header + record_text(intent), "j")
    assert only_intent.route_to_reverse() is not None
    assert only_intent.route_to_reverse().confirmed is False  # type: ignore[union-attr]
    assert (only_intent.route_to_reverse().from_service, only_intent.route_to_reverse().to_service) == (  # type: ignore[union-attr]
        "svc3",
        "svc4",
    )
    failed = RouteOutcome("route-switch", "failed", "t", error="disk full")
    assert parse_journal(header + record_text(intent) + record_text(failed), "j").route_to_reverse() is None
    switched = RouteOutcome("route-switch", "switched", "t", "/etc/traefik/t.yml", "hsa", "svc3", "svc4")
    done = parse_journal(header + record_text(intent) + record_text(switched), "j").route_to_reverse()
    assert done is not None and done.confirmed
    # a format 2 journal has no intents: its "switched" outcome alone says what to reverse
    old = parse_journal(_header_line(2, {"users": {"1": "abc"}}) + record_text(switched), "j").route_to_reverse()
    assert old == done
    # every record written is read back as the same typed record
    for record in (intent, failed, switched):
        assert parse_journal(header + record_text(record), "j").steps == [record]


def test_plan_loader_rejects_non_json_foreign_and_tampered_plans(tmp_path: object) -> None:
    with pytest.raises(InputError, match=r"plan.json:1: not JSON"):
        load_plan("{", "plan.json")
    with pytest.raises(InputError, match="not an opskit tenant-move plan"):
        load_plan('{"kind": "other"}', "plan.json")
    with pytest.raises(InputError, match="invalid plan"):
        load_plan(json.dumps({"opskit_plan": 1, "tenant": "x"}), "plan.json")


@pytest.mark.parametrize(("text", "ms"), [("500ms", 500), ("5s", 5000), ("2m", 120000), ("1.5", 1500)])
def test_durations(text: str, ms: int) -> None:
    assert parse_duration_ms(text, "--lock-timeout") == ms


def test_bad_option_values_are_input_errors() -> None:
    with pytest.raises(InputError, match="--lock-timeout"):
        parse_duration_ms("soon", "--lock-timeout")
    with pytest.raises(InputError, match="not an IP"):
        parse_client("hsa.demo.com")
    with pytest.raises(InputError, match="plain column name"):
        parse_column('cluster_id"; DROP TABLE users; --')
    assert parse_hook("systemctl restart 'headscale@3'", "--post-hook", 5).argv == [
        "systemctl",
        "restart",
        "headscale@3",
    ]
    assert parse_client("::ffff:203.0.113.5") == "203.0.113.5"  # what a dual-stack listener reports


def test_copy_line_field_replacement_is_exact_and_checked() -> None:
    from opskit.core.headscale.rowtext import field, row_fingerprint, with_field

    line = '7\\tmkey:ab\t{"cluster_id":3}\t3'  # an escaped tab inside a value, the same digits elsewhere
    assert field(line, 2) == "3"
    moved = with_field(line, 2, "3", "4")
    assert moved == '7\\tmkey:ab\t{"cluster_id":3}\t4'
    assert row_fingerprint(moved) != row_fingerprint(line)
    with pytest.raises(ValueError):
        with_field(line, 2, "5", "4")


def test_node_clashes_pairs_every_shared_value_and_ignores_empty_ones() -> None:
    from opskit.core.headscale.snapshot import NodeIdentity, node_clashes

    moving = [
        NodeIdentity(1, "100.64.0.1", "fd7a::1", "laptop", "nodekey:a", "mkey:a"),
        NodeIdentity(2, "", None, "phone", "nodekey:b", "mkey:b"),
    ]
    present = [
        NodeIdentity(10, "100.64.0.1", "fd7a::9", "laptop", "nodekey:x", "mkey:x", deleted=True),
        NodeIdentity(11, "", None, "tv", "nodekey:b", "mkey:y"),
    ]
    found = [(c.kind, c.row_id, c.other_id, c.other_deleted) for c in node_clashes(moving, present)]
    assert found == [("given_name", 1, 10, True), ("ipv4", 1, 10, True), ("node_key", 2, 11, False)]


def test_cut_clients_default_to_the_endpoints_of_the_nodes_that_move() -> None:
    from opskit.core.headscale.cut import plan_cut
    from opskit.core.headscale.snapshot import NodeRow, TenantSnapshot, UserRow

    def node(node_id: int, user_id: int | None, *ips: str) -> NodeRow:
        return NodeRow(node_id, user_id, 1, f"n{node_id}", None, None, None, None, None, ips, "fp")

    snapshot = TenantSnapshot(
        tenant=UserRow(1, "hsa", None, 3, False, "fp"),
        nodes=(node(1, 1, "198.51.100.7", "192.168.1.23"), node(2, 1, "198.51.100.7")),
        keys=(),
        tagged_nodes=(node(3, None, "203.0.113.9"),),
        cross_references=(),
        children=(),
    )
    untagged = plan_cut(entry_port=443, clients=(), wait_seconds=5, snapshot=snapshot, with_tagged=False)
    assert (untagged.clients, untagged.clients_source) == (["192.168.1.23", "198.51.100.7"], "node endpoints")
    tagged = plan_cut(entry_port=443, clients=(), wait_seconds=5, snapshot=snapshot, with_tagged=True)
    assert tagged.clients == ["192.168.1.23", "198.51.100.7", "203.0.113.9"]
    given = plan_cut(entry_port=443, clients=("10.0.0.1",), wait_seconds=5, snapshot=snapshot, with_tagged=True)
    assert (given.clients, given.clients_source) == (["10.0.0.1"], "--client")
