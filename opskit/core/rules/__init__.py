"""One rule framework for every tool that reports findings (lint, diagnose, check).

A rule is one function decorated with :func:`rule`: its id, name, family, severity, summary and
target (what it reads: an nginx tree, a HAProxy config, a netcheck report, ...) live in the
decorator; its docstring says *Why* and shows a *Bad* input that fires and a *Good* one that does
not. Each tool keeps an explicit catalog (a reviewed list, no discovery) of its rules.
"""

from opskit.core.rules.framework import (
    CHECK_TARGETS,
    DIAGNOSE_TARGETS,
    LINT_TARGETS,
    CheckFunction,
    Rule,
    RuleContext,
    RuleInfo,
    Target,
    rule,
)
from opskit.core.rules.select import matches, rule_named, select_rules

__all__ = [
    "CHECK_TARGETS",
    "DIAGNOSE_TARGETS",
    "LINT_TARGETS",
    "CheckFunction",
    "Rule",
    "RuleContext",
    "RuleInfo",
    "Target",
    "matches",
    "rule",
    "rule_named",
    "select_rules",
]
