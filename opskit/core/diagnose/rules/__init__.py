"""Explicit rule registry: adding a rule = its function, one line here, and its fixture folder."""

from __future__ import annotations

from opskit.core.diagnose.rules import daemonlog, live, netcheck, pairs, ping, skipped, status, windows
from opskit.core.diagnose.rules.base import Rule, RuleContext, rule

RULES: tuple[Rule, ...] = (
    skipped.unread,
    netcheck.udp_blocked,
    netcheck.hard_nat,
    netcheck.mapping_unknown,
    netcheck.lan_stun,
    netcheck.v4mapped_bug,
    netcheck.logged_out_old,
    netcheck.derp_silent,
    netcheck.no_derp_home,
    netcheck.captive_portal,
    netcheck.far_derp,
    netcheck.ipv6_os_only,
    status.relayed,
    status.tx_no_rx,
    status.active_offline,
    status.health,
    status.not_running,
    status.legacy,
    status.peer_relay,
    status.direct,
    ping.not_direct,
    ping.direct_after_relay,
    ping.no_reply,
    ping.slow,
    ping.host_firewall,
    windows.not_owner,
    windows.pipe_missing,
    windows.pipe_access_denied,
    windows.no_backend,
    windows.deadline,
    windows.domain_trust,
    windows.service_not_running,
    windows.version_mismatch,
    windows.unix_access_denied,
    windows.backend_error,
    windows.other_error,
    daemonlog.hand_started,
    daemonlog.derp_unreachable,
    daemonlog.health_errors,
    pairs.derp_only,
    pairs.uncertain,
    pairs.first_contact,
    pairs.reality_differs,
    live.no_daemon,
    live.hand_started,
    live.other_user,
    live.cli_missing,
    live.cli_failed,
)


def rules_for(subject: str) -> tuple[Rule, ...]:
    return tuple(r for r in RULES if r.subject == subject)


__all__ = ["RULES", "Rule", "RuleContext", "rule", "rules_for"]
