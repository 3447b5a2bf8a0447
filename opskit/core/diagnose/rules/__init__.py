"""The diagnose rule catalog: adding a rule = its function, one line here, and its fixture folder.

The framework (decorator, Rule, RuleContext) is opskit.core.rules, shared with lint.
"""

from __future__ import annotations

from opskit.core.diagnose.rules import (
    daemonlog,
    derpcheck,
    live,
    lockstatus,
    netcheck,
    pairs,
    ping,
    portmapdebug,
    skipped,
    status,
    windows,
)
from opskit.core.diagnose.rules.facts import DiagnoseContext, InputFacts
from opskit.core.rules import Rule

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
    netcheck.upnp_not_gateway,
    status.relayed,
    status.tx_no_rx,
    status.active_offline,
    status.exit_node_offline,
    status.health,
    status.not_running,
    status.legacy,
    status.peer_relay,
    status.direct,
    ping.not_direct,
    ping.direct_after_relay,
    ping.no_reply,
    ping.no_target,
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
    windows.up_flags_required,
    windows.macos_gui_failed,
    windows.auth_key_rejected,
    windows.cli_usage,
    windows.exit_node_refused,
    windows.funnel_unavailable,
    windows.tls_intercepted,
    windows.cert_failed,
    windows.ssh_failed,
    windows.ip_forwarding_disabled,
    windows.udp_gro_suboptimal,
    windows.control_unreachable,
    windows.ssh_server_unsupported,
    windows.daemon_connection_reset,
    windows.derpmap_fetch_failed,
    windows.cli_panic,
    windows.not_running_state,
    windows.netfilter_off_warning,
    windows.taildrop_failed,
    windows.tailnet_lock_failed,
    windows.tags_not_permitted,
    windows.configure_host_failed,
    windows.subcommand_unavailable,
    windows.peer_not_found,
    windows.accept_routes_off,
    windows.exit_node_offline,
    windows.serve_not_configured,
    windows.serve_failed,
    windows.serve_not_enabled,
    windows.config_file_locked,
    windows.drive_failed,
    windows.switch_failed,
    windows.update_failed,
    windows.dns_query_failed,
    windows.configure_failed,
    windows.tsnet_up_timeout,
    windows.install_failed,
    windows.other_error,
    daemonlog.hand_started,
    daemonlog.derp_unreachable,
    daemonlog.derp_send_queue_full,
    daemonlog.control_unreachable,
    daemonlog.login_required,
    daemonlog.dns_forward_failing,
    daemonlog.dns_config_failed,
    daemonlog.tun_unavailable,
    daemonlog.firewall_failed,
    daemonlog.state_unwritable,
    daemonlog.port_in_use,
    daemonlog.socket_in_use,
    daemonlog.serve_backend_down,
    daemonlog.no_peer_for_address,
    daemonlog.tls_intercepted,
    daemonlog.clock_skew,
    daemonlog.peer_unreachable,
    daemonlog.destination_refused,
    daemonlog.inbound_port_unhandled,
    daemonlog.subnet_ping_failed,
    daemonlog.tailnet_lock_dropped_peer,
    daemonlog.cgnat_overlap,
    daemonlog.packet_dropped,
    daemonlog.crash,
    daemonlog.exec_failed,
    daemonlog.auth_key_mint_failed,
    daemonlog.upload_failing,
    daemonlog.health_errors,
    derpcheck.region_failing,
    derpcheck.stun_no_response,
    derpcheck.check_notes,
    lockstatus.node_locked_out,
    lockstatus.peers_locked_out,
    lockstatus.lock_state,
    portmapdebug.double_nat,
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


_BY_TARGET: dict[str, tuple[Rule, ...]] = {}
for _rule in RULES:
    _BY_TARGET[_rule.info.target] = (*_BY_TARGET.get(_rule.info.target, ()), _rule)


def all_rules() -> tuple[Rule, ...]:
    """Every diagnose rule, in catalog order."""
    return RULES


def rules_for(target: str) -> tuple[Rule, ...]:
    """The rules that read one kind of subject (``netcheck``, ``status``, ...)."""
    return _BY_TARGET.get(target, ())


__all__ = ["RULES", "DiagnoseContext", "InputFacts", "Rule", "all_rules", "rules_for"]
