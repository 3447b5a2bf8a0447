"""Generated tests: the log sweep's second round of session 12 (tests/diagnose/log_sweep.py, `--list unread`).

Read from tailscale/tailscale's source (HEAD de9ec7ee2; older wordings at the tags named): an app connector that
cannot advertise (or withdraw) the routes of its domains (appc/appconnector.go v1.60-v1.88 behind its "appc: "
logger, ipn/ipnlocal/local.go v1.80+/v1.90+) is the new `app-connector-failed`; Windows' Group Policy NRPT table
tailscaled cannot update (net/dns/nrpt_windows.go updateGroupPoliciesLocked, v1.66+) is `dns-config-failed` keyed
`nrpt-group-policy`; a tailnet lock disablement this node cannot apply (ipn/ipnlocal network-lock.go v1.30+,
tailnet-lock.go since) is `tailnet-lock-sync-failed` keyed `disablement`. Each variant is drawn with varied values
and pasted under the prefixes people paste; what a user sees is asserted on the JSON document: the issue's kind and
key, its rule's finding quoting the line, the exit code. Routine lines of the same subsystems (the port mapper,
netmon, DNS detection and flushes, control's dial fallbacks) and the same words in prose raise nothing.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.diagnose.conftest import run_json
from tests.diagnose.log_catalog import (
    log_issues,
    paste_lines,
    prose_lines_test,
    routine_lines_test,
    variant_family_test,
)
from tests.diagnose.test_android_catalog import FORMATS as LOGCAT_FORMATS
from tests.diagnose.test_android_catalog import GO_TAG

PREFIXES = {
    "journald": "Oct 06 09:12:44 connector tailscaled[812]: {msg}",
    "go-stamp": "2025/10/06 09:12:44 {msg}",
    "docker": "2025-10-06T09:12:44.123456789Z 2025/10/06 09:12:44 {msg}",
    "windows-logfile": "2025-10-06T09:12:44.123-07:00: {msg}",
    "logcat": LOGCAT_FORMATS["threadtime"].format(lvl="I", tag=GO_TAG, msg="{msg}"),
    "openwrt": "Thu Oct 17 18:02:08 2024 daemon.err tailscaled[5930]: 2024/10/17 10:02:08 {msg}",
}

# ------------------------------------------------------------------------------------------- values

_v4 = st.builds(lambda a, b, c: f"{a}.{b}.{c}.{(a * b + c) % 250 + 1}", st.integers(1, 223), st.integers(0, 255),
                st.integers(0, 255))  # fmt: skip
_v6 = st.sampled_from(["2606:50c0:8000::154", "2a00:1450:4001:82b::200e", "2001:4860:4802:32::15"])
_prefixes = st.lists(
    st.one_of(_v4.map(lambda a: f"{a}/32"), _v6.map(lambda a: f"{a}/128")), min_size=1, max_size=3, unique=True
).map(lambda ps: "[" + " ".join(ps) + "]")
_domains = st.sampled_from(["github.com", "*.okta.com", "login.salesforce.com", "app.example.internal", "jira.corp"])
_edit_errors = st.sampled_from(
    [
        "can't reconfigure tailscaled when using a config file; config file is locked",
        "managed by policy",
        "route 140.82.112.0/24 has non-address bits set; expected 140.82.112.0/24",
        "profile local data storage unavailable",
    ]
)
_rule_ids = st.uuids().map(lambda u: "{" + str(u) + "}")
_win_errors = st.sampled_from(
    ["Access is denied.", "The system cannot find the file specified.", "The handle is invalid."]
)
_lock_errors = st.sampled_from(
    ["incorrect disablement secret", "disablement secret not valid", "tailchonk: open: permission denied"]
)

# (message, kind, key, what the finding must quote)
Variant = tuple[str, str, str, str]


@st.composite
def app_connector_variants(draw: st.DrawFn) -> Variant:
    routes, err, domain = draw(_prefixes), draw(_edit_errors), draw(_domains)
    message, key = draw(
        st.sampled_from(
            [
                (f"appc: failed to advertise routes: {routes}: {err}", "advertise"),  # v1.60+ (both loggers)
                (f"appc: failed to advertise routes for {domain}: {routes}: {err}", "advertise"),  # v1.60-v1.88
                (f"error advertising stored app connector routes: {err}", "advertise"),  # v1.80+
                (f"appc: failed to unadvertise routes: {routes}: {err}", "unadvertise"),  # v1.60+
                (f"appc: failed to unadvertise routes on domain removal: [{domain}]: {routes}: {err}", "unadvertise"),
            ]
        )
    )
    return message, "app-connector-failed", key, err[:20]  # the finding quotes the line, shortened past 240


@st.composite
def nrpt_group_policy_variants(draw: st.DrawFn) -> Variant:
    rule_id, err = draw(_rule_ids), draw(_win_errors)
    message, quote = draw(
        st.sampled_from(
            [
                (f'dns: updateGroupPoliciesLocked: copyNRPTRule("{rule_id}") failed with error {err}', err),
                (f'dns: updateGroupPoliciesLocked: DeleteKey for rule "{rule_id}" failed with error {err}', err),
                (f"dns: updateGroupPoliciesLocked: isPolicyConfigSubkeyEmpty error {err}", err),
                ("dns: updateGroupPoliciesLocked: policy config subkey should be empty, but isn't!", "should be empty"),
                (f"dns: updateGroupPoliciesLocked DeleteKey error {err}", err),
            ]
        )
    )
    return message, "dns-config-failed", "nrpt-group-policy", quote


@st.composite
def lock_disablement_variants(draw: st.DrawFn) -> Variant:
    err = draw(_lock_errors)
    return f"Disablement failed, leaving TKA enabled. Error: {err}", "tailnet-lock-sync-failed", "disablement", err


RULES = {
    "app-connector-failed": "TS-LOG-APP-CONNECTOR-FAILED",
    "dns-config-failed": "TS-LOG-DNS-CONFIG-FAILED",
    "tailnet-lock-sync-failed": "TS-LOG-TAILNET-LOCK-SYNC-FAILED",
}
FIXES = {  # words of each key's own fix
    "advertise": "AdvertiseRoutes",
    "unadvertise": "AdvertiseRoutes",
    "nrpt-group-policy": "gpupdate /force",
    "disablement": "tailscale lock local-disable",
}
FAMILIES: dict[str, Callable[[], st.SearchStrategy[Variant]]] = {
    "app-connector": app_connector_variants,
    "nrpt-group-policy": nrpt_group_policy_variants,
    "lock-disablement": lock_disablement_variants,
}


test_each_variant_raises_its_issue_key_and_finding = variant_family_test(PREFIXES, FAMILIES, rules=RULES, fixes=FIXES)


@pytest.mark.parametrize("prefix_name", sorted(PREFIXES))
@settings(max_examples=10, deadline=None)
@given(failed=_prefixes, later=_prefixes, err=_edit_errors)
def test_a_later_batch_advertised_without_error_clears(prefix_name: str, failed: str, later: str, err: str) -> None:
    prefix = PREFIXES[prefix_name]
    attempt, failure = (
        f"advertising new app connector routes: {failed}",
        f"appc: failed to advertise routes: {failed}: {err}",
    )
    success = f"advertising new app connector routes: {later}"
    cleared = run_json(paste_lines(prefix, attempt, failure, success))
    assert log_issues(cleared) == [] and cleared["summary"]["exit_code"] == 0, log_issues(cleared)
    # the attempt logged before its own failure clears nothing
    held = run_json(paste_lines(prefix, success, attempt, failure))
    assert [issue["about"] for issue in log_issues(held)] == ["advertise"]
    # a failed withdrawal is not cleared by an advertisement
    stale = run_json(paste_lines(prefix, f"appc: failed to unadvertise routes: {failed}: {err}", success))
    assert [issue["about"] for issue in log_issues(stale)] == ["unadvertise"]


@pytest.mark.parametrize("prefix_name", sorted(PREFIXES))
def test_the_app_connector_cause_follows_the_error(prefix_name: str) -> None:
    causes = {
        "can't reconfigure tailscaled when using a config file; config file is locked": "locked by a config file",
        "managed by policy": "system policy",
    }
    for err, cause in causes.items():
        document = run_json(
            paste_lines(PREFIXES[prefix_name], f"appc: failed to advertise routes: [1.2.3.4/32]: {err}")
        )
        finding = next(f for f in document["findings"] if f["rule"] == "TS-LOG-APP-CONNECTOR-FAILED")
        assert cause in finding["cause"], finding["cause"]


ROUTINE = [
    # the app connector at work
    "advertising new app connector routes: [140.82.112.3/32 140.82.112.4/32]",
    "appc: adding domain github.com",
    # an edit cut short by a shutdown or a profile switch
    "appc: failed to advertise routes for example.com: [93.184.216.34/32]: setting prefs: context canceled",
    "appc: failed to advertise routes: [140.82.112.3/32]: shutting down",
    "appc: failed to unadvertise routes: [140.82.112.3/32]: profile changed",
    # the port mapper on a router without UPnP / NAT-PMP / PCP (or with one that says no): no mapping, DERP or STUN
    "portmapper: failed to get PCP mapping: PCP response not ok, code 8",
    "portmapper: ProbePCP: context deadline exceeded",
    "portmapper: fallback to UPnP due to no PCP and PMP failed",
    'portmapper: getUPnPRootDevice: loc="http://192.168.1.1:5000/rootDesc.xml" err=context deadline exceeded',
    'portmapper: addAnyPortMapping: 41641, err="SOAP fault: ConflictInMappingEntry"',
    "portmapper: invalidating PMP mappings since returned epoch 12 < stored epoch 40",
    "portmapper: unrecognized UPnP discovery response; ignoring: invalid HTTP response",
    # netmon: fallbacks and transient reads
    "monitor: monitor_linux: AF_NETLINK RTMGRP failed, falling back to polling",
    "monitor: error from link monitor: netlink receive: no buffer space available",
    "monitor: interfaces.State: route ip+net: netlinkrib: address family not supported by protocol",
    # DNS: detection noise, cache flushes, the resolv.conf fallback copy
    "dns: ResolvConfMode error: dbus: property ResolvConfMode not found",
    "dns: resolvedIsActuallyResolver error: resolv.conf doesn't point to systemd-resolved; points to [8.8.8.8]",
    "wgengine: dns flush failed after major link change: exit status 1",
    "Error flushing DNS on session unlock: exit status 1",
    'dns: rename of "/etc/resolv.conf.tmp" to "/etc/resolv.conf" failed (invalid cross-device link), falling back '
    "to copy+delete",
    # control: its dial plan falling back to DNS, the map stream's verbose errors
    "controlhttp: failed dialing using DialPlan, falling back to DNS; errs=dial tcp 3.33.1.2:80: i/o timeout",
    "netmap: size read error after 3m2s: unexpected EOF",
    # tailnet lock: a node not logged in yet
    "[v1] TKA sync error: tkaSyncIfNeeded: no node key in prefs",
]
PROSE = [
    "Our app connector fails to advertise routes for github.com since the upgrade.",
    "We saw appc: failed to advertise routes in the logs, any idea?",
    "Group policy NRPT rules: updateGroupPoliciesLocked appears in the code, is that relevant?",
    "The disablement failed, we are leaving TKA enabled for now.",
    "portmapper: I think UPnP is off on my router",
]


test_routine_lines_raise_nothing = routine_lines_test(PREFIXES, ROUTINE)
test_the_same_words_in_prose_raise_nothing = prose_lines_test(PREFIXES["go-stamp"], PROSE, RULES.values())


def test_the_sweep_reads_each_new_family_at_head() -> None:
    """A floor on the sweep: every HEAD message of these families is read with its issue, none left unread."""
    from tests.diagnose.log_sweep import assert_families_read

    wanted = {
        "appc: failed to advertise routes": "app-connector-failed",
        "appc: failed to unadvertise routes": "app-connector-failed",
        "error advertising stored app connector routes": "app-connector-failed",
        "updateGroupPoliciesLocked": "dns-config-failed",
        "Disablement failed, leaving TKA enabled": "tailnet-lock-sync-failed",
    }
    assert_families_read(wanted)
