"""The rule registry: an explicit list of rule modules, each with one decorated ``check`` function.

Adding a rule touches its module, one line in ``RULE_MODULES`` and its fixture folder — nothing else.
No discovery by directory listing or subclass scanning: the list *is* the registry, reviewed in diffs.
"""

from __future__ import annotations

import importlib
import inspect
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any, Literal, TypeVar

from opskit.core.findings import Finding, Severity
from opskit.core.lint.docs import doc_examples, doc_section
from opskit.errors import InputError

Target = Literal["nginx", "haproxy", "cross"]
CheckFunction = Callable[[Any, Any], Iterator[Finding]]
F = TypeVar("F", bound=CheckFunction)

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


@dataclass(frozen=True)
class RuleInfo:
    """What the decorator declares about a rule."""

    id: str
    name: str
    family: str
    severity: Severity
    summary: str
    target: Target
    # True for NGX000/HAP000: the real binary finds these (``lint --validate``), not ``check``.
    validator: bool = False


@dataclass(frozen=True)
class Rule:
    """A registered rule: its declaration, its check function and its documentation."""

    info: RuleInfo
    check: CheckFunction
    doc: str

    @property
    def id(self) -> str:
        return self.info.id

    def section(self, heading: str) -> str:
        """The prose of ``*Why*`` (or any heading) from the docstring."""
        return doc_section(self.doc, heading)

    def examples(self, heading: str) -> list[str]:
        """Config examples of ``*Bad*`` or ``*Good*`` from the docstring."""
        return doc_examples(self.doc, heading)


def rule(
    *,
    id: str,
    name: str,
    family: str,
    severity: Severity,
    summary: str,
    target: Target,
    validator: bool = False,
) -> Callable[[F], F]:
    """Declare a ``check(tree, ctx)`` function as a lint rule (``validator``: found by the real binary)."""

    def mark(function: F) -> F:
        function.__opskit_rule__ = RuleInfo(  # type: ignore[attr-defined]
            id, name, family, severity, summary, target, validator
        )
        return function

    return mark


@cache
def all_rules() -> tuple[Rule, ...]:
    """Every registered rule, in registry order (imports the rule modules on first use)."""
    rules: list[Rule] = []
    for module_name in RULE_MODULES:
        module = importlib.import_module(module_name)
        check = getattr(module, "check", None)
        info = getattr(check, "__opskit_rule__", None)
        if check is None or not isinstance(info, RuleInfo):
            raise RuntimeError(f"{module_name} has no check() decorated with @rule")
        rules.append(Rule(info, check, inspect.getdoc(check) or ""))
    ids = [r.id for r in rules]
    if len(set(ids)) != len(ids):
        raise RuntimeError(f"duplicate rule ids in registry: {sorted(i for i in ids if ids.count(i) > 1)}")
    return tuple(rules)


def matches(rule_: Rule, selector: str) -> bool:
    """A selector is a rule id, an id prefix (``NGX1``, ``HAP``), a rule name or a family."""
    wanted = selector.strip()
    info = rule_.info
    return info.id.upper().startswith(wanted.upper()) or wanted.lower() in (info.name, info.family)


def select_rules(rules: Iterable[Rule], select: list[str], ignore: list[str]) -> tuple[Rule, ...]:
    """Rules picked by ``--select`` (all when empty) minus those named by ``--ignore``."""
    pool = tuple(rules)
    for selector in (*select, *ignore):
        if not any(matches(r, selector) for r in pool):
            raise InputError.at(
                None,
                None,
                "--select/--ignore",
                f"{selector!r} names no rule "
                "(use an id like NGX101, a prefix like NGX or HAP, a rule name or a family)",
            )
    chosen = [r for r in pool if not select or any(matches(r, s) for s in select)]
    return tuple(r for r in chosen if not any(matches(r, s) for s in ignore))
