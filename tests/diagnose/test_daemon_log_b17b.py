"""Generated tests for tailscaled-log classes blind batch 17 missed: the version named by the periodic peer
statistics line, the bootstrap-DNS fallback failing for the coordination server (control not reached), and
containerboot/kubestore failing to read or write the node's state Secret through the Kubernetes API.

Each class is proven over the prefixes people paste (test_daemon_log.PREFIXES), the wrappings it comes in, and
the wordings Tailscale's source prints (ipn/ipnlocal statsLogf, net/dnsfallback, kube/kubeclient,
cmd/containerboot), not on the one sample that exposed it.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.diagnose.conftest import by_rule, run_text
from tests.diagnose.test_daemon_log import PREFIXES, _kinds, _log, _mangle

MANGLES = st.sampled_from(["plain", "crlf", "quote", "fence", "indent"])
VERSIONS = st.sampled_from(
    [
        ("1.76.3", "v1.76.3-t02acaa00e-g551df6588"),
        ("1.56.1", "v1.56.1-t906f85d10-g2b5c4c4e7"),
        # a dev build keeps its commit date, as its Program starting line does (lead decision, blind batch 34: 1787)
        ("1.92.0-dev20251201", "v1.92.0-dev20251201-t1234567890"),
        ("1.38.2", "v1.38.2"),
    ]
)
STATS_FORMS = st.sampled_from(["[v1] {v} peers: {rest}", "{v} peers: {rest}"])
STATS_REST = st.sampled_from(["37569296/7424000 1080/248 2128/4636 109014776/59720396", "", "0/0", "[xI8Q9] 1/2 3/4"])
# ------------------------------------------------------------------------ the statistics line's version


@given(st.sampled_from(PREFIXES), VERSIONS, STATS_FORMS, STATS_REST, MANGLES)
@settings(max_examples=80, deadline=None)
def test_the_peer_statistics_line_names_the_daemon_version(
    prefix: str, version: tuple[str, str], form: str, rest: str, how: str
) -> None:
    stats = form.format(v=version[1], rest=rest).rstrip()
    other = "magicsock: derp-4 connected; connGen=1"
    log = _log(_mangle([prefix.format(msg=stats), prefix.format(msg=other)], how))
    assert log["version"] == version[0]
    assert log["exit"] == 0


def test_a_start_line_version_wins_over_a_later_statistics_line() -> None:
    log = _log(
        '2024/01/12 10:41:06 Program starting: v1.80.0-t1, Go 1.23: []string{"tailscaled"}\n'
        "2024/01/12 10:41:07 [v1] v1.80.0-t1 peers: 1/2\n"
    )
    assert log["version"] == "1.80.0"


# ----------------------------------------------------- bootstrap DNS for the coordination server

CONTROL_HOSTS = st.sampled_from(
    ["controlplane.tailscale.com", "headscale.mydomain.com", "hs.example.org", "login.tailscale.com"]
)
CANDIDATES = st.sampled_from(
    [
        ("derp16d.tailscale.com", "2607:f740:17::475", "[2607:f740:17::475]:443"),
        ("derp3.tailscale.com", "68.183.179.66", "68.183.179.66:443"),
    ]
)
DIAL_ERRORS = st.sampled_from(
    [
        "connectex: A socket operation was attempted to an unreachable network.",
        "connect: network is unreachable",
        "connect: connection refused",
        "i/o timeout",
        "connectex: No connection could be made because the target machine actively refused it.",
    ]
)
SUBSYSTEM = st.sampled_from(["control: ", ""])  # control's logf prefix; old versions logged it bare


def _bootstrap(sub: str, cand: tuple[str, str, str], host: str, outcome: str) -> list[str]:
    name, ip, _ = cand
    return [
        f'{sub}trying bootstrapDNS("{name}", "{ip}") for "{host}" ...',
        f'{sub}bootstrapDNS("{name}", "{ip}") for "{host}" {outcome}',
    ]


@given(st.sampled_from(PREFIXES), SUBSYSTEM, CANDIDATES, CONTROL_HOSTS, DIAL_ERRORS, MANGLES)
@settings(max_examples=100, deadline=None)
def test_bootstrap_dns_failing_for_the_control_server_is_control_unreachable(
    prefix: str, sub: str, cand: tuple[str, str, str], host: str, error: str, how: str
) -> None:
    outcome = f'error: Get "https://{cand[0]}/bootstrap-dns?q={host}": dial tcp {cand[2]}: {error}'
    lines = [prefix.format(msg=m) for m in _bootstrap(sub, cand, host, outcome)]
    log = _log(_mangle(lines, how))
    assert "control-unreachable" in _kinds(log)
    assert not {"derp-unreachable", "tls-intercepted", "log-upload-failing"} & _kinds(log)
    assert log["exit"] == 1


@given(st.sampled_from(PREFIXES), SUBSYSTEM, CANDIDATES, CONTROL_HOSTS, DIAL_ERRORS)
@settings(max_examples=60, deadline=None)
def test_a_later_candidate_answering_clears_it(
    prefix: str, sub: str, cand: tuple[str, str, str], host: str, error: str
) -> None:
    failed = f'error: Get "https://{cand[0]}/bootstrap-dns?q={host}": dial tcp {cand[2]}: {error}'
    lines = _bootstrap(sub, cand, host, failed) + _bootstrap(sub, cand, host, "= [18.193.143.177 3.121.104.141]")
    log = _log("\n".join(prefix.format(msg=m) for m in lines) + "\n")
    assert "control-unreachable" not in _kinds(log)


@given(st.sampled_from(PREFIXES), CANDIDATES, st.sampled_from(["log.tailscale.io", "log.tailscale.com"]), DIAL_ERRORS)
@settings(max_examples=40, deadline=None)
def test_bootstrap_dns_for_the_log_server_is_not_control(
    prefix: str, cand: tuple[str, str, str], host: str, error: str
) -> None:
    outcome = f'error: Get "https://{cand[0]}/bootstrap-dns?q={host}": dial tcp {cand[2]}: {error}'
    log = _log("\n".join(prefix.format(msg=m) for m in _bootstrap("", cand, host, outcome)) + "\n")
    assert "control-unreachable" not in _kinds(log)


# ---------------------------------------------------------------- the Kubernetes state Secret

SECRETS = st.sampled_from(["tailscale-tailscale-secret", "tailscale", "ts-subnet-router-0", "tailscale-state"])
API_ERRORS = st.sampled_from(
    [
        'Post "https://kubernetes.default.svc/apis/authorization.k8s.io/v1/selfsubjectaccessreviews": remote error: '
        "tls: internal error",
        'Post "https://kubernetes.default.svc/apis/authorization.k8s.io/v1/selfsubjectaccessreviews": dial tcp '
        "10.43.0.1:443: i/o timeout",
        "the server has asked for the client to provide credentials",
        'Get "https://kubernetes.default.svc/api/v1/namespaces/ix-tailscale/secrets/tailscale": dial tcp '
        "10.43.0.1:443: connect: connection refused",
    ]
)
# kube/kubeclient and cmd/containerboot (their format strings, with %s/%v filled)
SECRET_FORMS = st.sampled_from(
    [
        "error checking get permission on secret {secret}: {err}",
        "error checking update permission on secret {secret}: {err}",
        "error checking patch permission on secret {secret}: {err}",
        "error checking create permission on secret {secret}: {err}",
        "some Kubernetes permissions are missing, please check your RBAC configuration: missing get permission on "
        'secret "{secret}"',
        "getting Tailscale state Secret {secret}: {err}",
        'getting Secret "{secret}": {err}',
        "error retrieving state Secret: {err}",
        "error patching state Secret: {err}",
        'failed to read state Secret "{secret}" to reset state: {err}',
        "storing device ID in Kubernetes Secret: {err}",
        "storing device IPs and FQDN in Kubernetes Secret: {err}",
    ]
)
BOOT_PREFIXES = st.sampled_from(
    [
        "boot: 2024/01/01 20:08:15 {msg}",
        "2024-01-01T20:08:15.123Z boot: 2024/01/01 20:08:15 {msg}",
        "[pod/ts-0/tailscale] boot: 2024/01/01 20:08:15 {msg}",
        "boot: 2024/01/01 20:08:15 failed to run: {msg}",
    ]
)


@given(BOOT_PREFIXES, SECRET_FORMS, SECRETS, API_ERRORS, MANGLES)
@settings(max_examples=100, deadline=None)
def test_the_state_secret_out_of_reach_is_state_unwritable(
    prefix: str, form: str, secret: str, error: str, how: str
) -> None:
    line = prefix.format(msg=form.format(secret=secret, err=error))
    log = _log(_mangle([line], how))
    assert "state-unwritable" in _kinds(log)
    assert not {"tls-intercepted", "clock-skew", "login-required", "dns-forward-failing"} & _kinds(log)
    assert log["exit"] == 1


@given(SECRET_FORMS, SECRETS, API_ERRORS)
@settings(max_examples=30, deadline=None)
def test_the_state_secret_finding_names_the_kubernetes_fix(form: str, secret: str, error: str) -> None:
    diagnosis = run_text("boot: 2024/01/01 20:08:15 " + form.format(secret=secret, err=error) + "\n")
    (finding,) = by_rule(diagnosis, "TS-LOG-STATE-UNWRITABLE")
    assert "Kubernetes" in finding.cause
    assert "kubectl auth can-i" in finding.fix


def test_an_unrelated_secret_word_raises_nothing() -> None:
    log = _log("boot: 2024/01/01 20:08:15 Starting tailscaled\nboot: 2024/01/01 20:08:16 kube secret name set\n")
    assert "state-unwritable" not in _kinds(log)
