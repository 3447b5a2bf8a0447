"""The lint rule catalog: an explicit list of rule modules, each with one ``check`` rule.

Adding a rule touches its module, one line in ``RULE_MODULES`` and its fixture folder — nothing else.
No discovery by directory listing or subclass scanning: the list *is* the catalog, reviewed in diffs.
The framework (decorator, Rule, RuleContext, selection) is shared with diagnose: opskit.core.rules.
"""

from __future__ import annotations

import importlib
from functools import cache

from opskit.core.rules import Rule

RULE_MODULES: tuple[str, ...] = (
    # nginx: DNS re-resolution (Kubernetes, Docker, Tengine)
    "opskit.core.lint.rules.ngx101_static_service_name",
    "opskit.core.lint.rules.ngx102_resolver_unused",
    "opskit.core.lint.rules.ngx103_shadowed_variable_target",
    "opskit.core.lint.rules.ngx104_short_name_with_resolver",
    "opskit.core.lint.rules.ngx105_resolver_cannot_answer",
    "opskit.core.lint.rules.ngx106_resolver_valid",
    "opskit.core.lint.rules.ngx107_variable_target_without_resolver",
    "opskit.core.lint.rules.ngx108_variable_proxy_pass_uri",
    "opskit.core.lint.rules.ngx109_upstream_resolve_incomplete",
    "opskit.core.lint.rules.ngx110_feature_needs_newer_nginx",
    "opskit.core.lint.rules.ngx111_dynamic_resolve_without_resolver",
    "opskit.core.lint.rules.ngx112_resolver_hostname",
    # nginx: registry / Harbor proxies
    "opskit.core.lint.rules.ngx201_registry_body_size",
    "opskit.core.lint.rules.ngx202_registry_request_buffering",
    "opskit.core.lint.rules.ngx203_registry_host_drops_port",
    "opskit.core.lint.rules.ngx204_forwarded_port_mismatch",
    "opskit.core.lint.rules.ngx205_forwarded_proto_wrong_hop",
    "opskit.core.lint.rules.ngx206_www_authenticate_without_always",
    # nginx: edge
    "opskit.core.lint.rules.ngx301_proxy_protocol_without_real_ip",
    "opskit.core.lint.rules.ngx302_user_root",
    # HAProxy
    "opskit.core.lint.rules.hap101_missing_http_request_timeout",
    "opskit.core.lint.rules.hap102_stick_table_ip_with_ipv6",
    "opskit.core.lint.rules.hap103_http_rules_in_tcp_mode",
    "opskit.core.lint.rules.hap104_listen_with_address",
    "opskit.core.lint.rules.hap105_server_name_without_resolvers",
    "opskit.core.lint.rules.hap106_removed_keyword",
    "opskit.core.lint.rules.hap201_duplicate_forwarded_for",
    "opskit.core.lint.rules.hap202_forwardfor_keeps_client_xff",
    "opskit.core.lint.rules.hap203_add_header_forwarded_proto",
    "opskit.core.lint.rules.hap301_sni_without_inspect_delay",
    "opskit.core.lint.rules.hap302_sni_without_final_reject",
    "opskit.core.lint.rules.hap303_timeout_client_below_inspect_delay",
    "opskit.core.lint.rules.hap304_inspect_delay_in_anonymous_defaults",
    "opskit.core.lint.rules.hap401_stats_literal_password",
    "opskit.core.lint.rules.hap402_rate_limit_not_per_source",
    # HAProxy ↔ nginx
    "opskit.core.lint.rules.x001_proxy_protocol_sent_not_accepted",
    "opskit.core.lint.rules.x002_proxy_protocol_expected_not_sent",
    "opskit.core.lint.rules.x003_nginx_header_timeout_behind_http_mode",
    # the real binaries (lint --validate)
    "opskit.core.lint.rules.ngx000_rejected_by_nginx",
    "opskit.core.lint.rules.hap000_rejected_by_haproxy",
)


@cache
def all_rules() -> tuple[Rule, ...]:
    """Every lint rule, in catalog order (imports the rule modules on first use)."""
    rules: list[Rule] = []
    for module_name in RULE_MODULES:
        check = getattr(importlib.import_module(module_name), "check", None)
        if not isinstance(check, Rule) or check.info.tool != "lint":
            raise RuntimeError(f"{module_name} has no check() decorated with @rule and a lint target")
        rules.append(check)
    ids = [r.id for r in rules]
    if len(set(ids)) != len(ids):
        raise RuntimeError(f"duplicate rule ids in catalog: {sorted(i for i in ids if ids.count(i) > 1)}")
    return tuple(rules)
