"""Edge spec: bad input is refused with file:line: field: problem and exit 2, nothing written."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from tests.render.edge.conftest import minimal_edge, write_spec

SECRET_ADVICE = (
    "a password must never be written in a spec (it would end up in a committed config); name an "
    "environment variable with `password_env: HAPROXY_STATS_PASSWORD` (HAProxy expands it at start-up) or "
    "point `users_file:` at an HAProxy userlist file kept outside the repository"
)


def render_bad(cli, tmp_path: Path, edge: dict) -> str:  # type: ignore[no-untyped-def]
    spec = write_spec(tmp_path, edge)
    out = tmp_path / "out"
    result = cli(["render", str(spec), "-o", str(out)])
    assert result.exit_code == 2, result.stdout + result.stderr
    assert not out.exists(), "nothing may be written for a bad spec"
    assert "Traceback" not in result.stderr
    return " ".join(result.stderr.split())


def test_literal_stats_password_is_refused_at_its_line(cli, tmp_path: Path) -> None:
    edge = minimal_edge(stats={"bind": {"address": "127.0.0.1", "port": 8070}, "password": "hunter2"})
    message = render_bad(cli, tmp_path, edge)
    assert f"edge.stats.password: {SECRET_ADVICE}" in message
    assert "hunter2" not in message
    # the line of the offending key itself
    lines = (tmp_path / "edge.yaml").read_text().splitlines()
    line = next(i for i, text in enumerate(lines, 1) if "password:" in text)
    assert f"edge.yaml:{line}: edge.stats.password" in message


@pytest.mark.parametrize("key", ["stats_password", "admin_pass", "secret"])
def test_other_secret_looking_keys_are_refused_with_advice(cli, tmp_path: Path, key: str) -> None:
    edge = minimal_edge(stats={"bind": {"address": "127.0.0.1", "port": 8070}, "password_env": "PW", key: "x"})
    message = render_bad(cli, tmp_path, edge)
    assert f"edge.stats: `{key}`: {SECRET_ADVICE}" in message


def test_secret_key_at_the_edge_level_is_refused(cli, tmp_path: Path) -> None:
    edge = minimal_edge(stats_password="hunter2")
    assert f"edge: `stats_password`: {SECRET_ADVICE}" in render_bad(cli, tmp_path, edge)


def test_password_env_holding_a_password_is_refused(cli, tmp_path: Path) -> None:
    edge = minimal_edge(stats={"bind": {"address": "127.0.0.1", "port": 8070}, "password_env": "s3cr3t!pw"})
    message = render_bad(cli, tmp_path, edge)
    assert "edge.stats.password_env: password_env takes the NAME of an environment variable" in message
    assert "never the password itself" in message


def test_stats_needs_exactly_one_credential_source(cli, tmp_path: Path) -> None:
    edge = minimal_edge(stats={"bind": {"address": "127.0.0.1", "port": 8070}})
    assert "edge.stats: give exactly one of `password_env`" in render_bad(cli, tmp_path, edge)
    both = minimal_edge(
        stats={
            "bind": {"address": "127.0.0.1", "port": 8070},
            "password_env": "PW",
            "users_file": "/etc/haproxy/users.cfg",
        }
    )
    assert "edge.stats: give exactly one of `password_env`" in render_bad(cli, tmp_path, both)


@pytest.mark.parametrize("fragment", ["iPhone OS", 'a"b', "x{y}", "a#b", "Andr.*id\\d", "a;b", ""])
def test_user_agent_fragments_cannot_carry_syntax(cli, tmp_path: Path, fragment: str) -> None:
    edge = minimal_edge()
    edge["http"]["user_agent_routes"] = [{"contains": [fragment], "backend": "web"}]
    message = render_bad(cli, tmp_path, edge)
    assert "edge.http.user_agent_routes[0].contains[0]:" in message
    assert "must be 1-64 letters, digits or ._/:+- (a plain substring of the User-Agent" in message


def test_cross_field_problems_are_all_listed(cli, tmp_path: Path) -> None:
    edge = minimal_edge()
    edge["http"]["default_backend"] = "web_tls"
    edge["http"]["user_agent_routes"] = [{"contains": ["iPhone"], "backend": "app"}]
    edge["tls"]["inspect_delay"] = "1m"
    edge["tls"]["routes"][0]["backend"] = "nope"
    message = render_bad(cli, tmp_path, edge)
    assert (
        "http routes to 'web_tls', which is not in `http_backends` (it is a tls backend: mode tcp cannot "
        "serve HTTP routing)"
    ) in message
    assert "http routes to 'app', which is not in `http_backends`" in message
    assert "tls routes to 'nope', which is not in `tls_backends`" in message
    assert (
        "tls.inspect_delay (1m) is longer than timeouts.client (30s): the client timeout would cut "
        "connections still being inspected"
    ) in message


def test_duplicate_sni_host_and_bind_clash_are_refused(cli, tmp_path: Path) -> None:
    edge = minimal_edge()
    edge["tls"]["routes"].append(copy.deepcopy(edge["tls"]["routes"][0]))  # no YAML alias
    edge["tls"]["binds"] = [{"address": "127.0.0.1", "port": 8000}]
    message = render_bad(cli, tmp_path, edge)
    assert "SNI host 'www.example.com' appears in tls.routes[0] and tls.routes[1]" in message
    assert "tls.binds and http.binds both bind 127.0.0.1 port 8000" in message


def test_nginx_port_cannot_be_plain_and_tls(cli, tmp_path: Path) -> None:
    edge = minimal_edge()
    edge["tls_backends"][0]["servers"][0]["port"] = 8080
    message = render_bad(cli, tmp_path, edge)
    assert "nginx port(s) 8080 would be both a plain-HTTP and a TLS+PROXY listener" in message


@pytest.mark.parametrize(
    ("path", "value", "expected"),
    [
        (
            ("http", "redirect_to_https"),
            ["bad host"],
            "edge.http.redirect_to_https[0]: 'bad host' is not an RFC 1123",
        ),
        (("timeouts", "http_request"), "10 s", "edge.timeouts.http_request: '10 s' is not a duration"),
        (
            ("nginx", "root"),
            "/var/www; return 200",
            "edge.nginx.root: '/var/www; return 200' must be an absolute path",
        ),
        (
            ("nginx", "haproxy_addresses"),
            ["10.0.0.0/8"],
            "edge.nginx.haproxy_addresses[0]: '10.0.0.0/8' is not an",
        ),
    ],
)
def test_constrained_values(cli, tmp_path: Path, path: tuple[str, str], value: object, expected: str) -> None:
    edge = minimal_edge()
    edge.setdefault(path[0], {})[path[1]] = value
    assert expected in render_bad(cli, tmp_path, edge)


def test_a_timeout_past_haproxys_timer_limit_is_refused_at_its_line(cli, tmp_path: Path) -> None:
    """`timeouts.client: 9999999d` used to pass the spec and fail only in `haproxy -c` (timer overflow,
    more than 2^31-1 ms): now exit 2 at render time, naming file, line and field, nothing written."""
    edge = minimal_edge(timeouts={"client": "9999999d"})
    message = render_bad(cli, tmp_path, edge)
    lines = (tmp_path / "edge.yaml").read_text().splitlines()
    line = next(i for i, text in enumerate(lines, 1) if "9999999d" in text)
    assert f"edge.yaml:{line}: edge.timeouts.client: 9999999d is longer than HAProxy's timers can hold" in message
    assert "at most 2147483s" in message


def test_unknown_key_is_an_error(cli, tmp_path: Path) -> None:
    edge = minimal_edge()
    edge["http"]["timeout_http_request"] = "10s"
    assert "edge.http.timeout_http_request: unknown key" in render_bad(cli, tmp_path, edge)


def test_keys_merely_containing_a_secret_word_get_the_plain_unknown_key_error(cli, tmp_path: Path) -> None:
    edge = minimal_edge(passthrough=True)
    message = render_bad(cli, tmp_path, edge)
    assert "edge.passthrough: unknown key" in message
    assert "a password must never" not in message
