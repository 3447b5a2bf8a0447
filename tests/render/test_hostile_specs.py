"""No spec value can add a directive, in any family.

Every scalar of every bundled example spec (found by walking the spec tree, so a new field is covered
the day it is added) gets hostile text: config syntax (``;`` ``{`` ``}`` ``#`` ``$`` quotes), line
breaks and controls (CR, LF, TAB, NUL, U+0085, U+2028), address tricks (``%zone``, ``]``, brackets),
template syntax (``{{ }}``) and very long values, alone or around the original value, plus random
text. Either the spec is refused as bad input (exit 2, every problem naming file, line and field), or
the rendered nginx and HAProxy configs parse, with opskit's own parsers, to exactly the directives of
the clean render, and harbor.yml to exactly its keys.
"""

from __future__ import annotations

import typing
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

from opskit.core.render.engine import environment, yaml_string
from opskit.core.render.pipeline import render_site
from opskit.core.spec.loader import dotted, load_spec_text, load_yaml_marked, validate_marked
from opskit.core.spec.model import SiteSpec
from opskit.errors import InputError
from tests.render.structure import Shape, file_shape

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))

PAYLOADS = [
    # nginx / HAProxy statement syntax
    ";",
    "; add_header X-Pwned yes;",
    "{",
    "}",
    "} server { listen 81; }",
    "#",
    " # x",
    "$host",
    "${HOME}",
    '"',
    "'",
    '"; add_header X-Pwned yes; #',
    "\\",
    "`",
    " ",
    "a b",
    " backup",
    " resolve",
    " if TRUE",
    " valid=1s",
    "%[src]",
    # line breaks and control characters (YAML also breaks lines on U+0085, U+2028, U+2029)
    "\n",
    "\r",
    "\r\n",
    "\t",
    "\x00",
    "\x0b",
    "\x0c",
    "\x1b[31m",
    "\x85",
    "\u2028",
    "\u2029",
    "\nhttp-request deny",
    "\n    server evil 203.0.113.66:80",
    "\nreturn 200 pwned;",
    "\rreturn 200 pwned;",
    "\u2028new_key: pwned",
    "\x85new_key: pwned",
    "\nnew_key: pwned",
    '"\nnew_key: pwned\nx: "',
    # addresses: zone ids, brackets, ports
    "%",
    "%eth0",
    "%x]; add_header X-Pwned yes; #",
    "%x\nnew_key: pwned",
    "]",
    "[",
    "]:81",
    "]; return 200 pwned; #",
    ":81",
    # template syntax: values are data, never evaluated
    "{{ 7 * 7 }}",
    "{% if true %}x{% endif %}",
    "{# c #}",
    # length
    "a" * 64,
    "a" * 300,
    "1." * 200,
    "x" * 100_000,
]
ADDRESS_BASES = ["fe80::1", "fe80::1%eth0", "::1", "[::1]", "127.0.0.1", "fd00::2", "::ffff:127.0.0.1", "FD00::2"]

Path_ = tuple[str | int, ...]
# Boolean keys are switches, not text: a hostile word cannot reach a config through them.
BOOLEAN_KEYS = {"realm_rewrite", "default_server", "ipv6", "skip_regex_locations", "spa_fallback"}


def scalar_paths(node: Any, path: Path_ = ()) -> list[Path_]:
    if isinstance(node, dict):
        return [p for key, value in node.items() for p in scalar_paths(value, (*path, key))]
    if isinstance(node, list):
        return [p for index, value in enumerate(node) for p in scalar_paths(value, (*path, index))]
    return [path]


def leaf(data: Any, path: Path_) -> Any:
    for part in path:
        data = data[part]
    return data


def replaced(data: Any, path: Path_, value: Any) -> Any:
    if not path:
        return value
    if isinstance(data, dict):
        return {k: (replaced(v, path[1:], value) if k == path[0] else v) for k, v in data.items()}
    return [replaced(v, path[1:], value) if i == path[0] else v for i, v in enumerate(data)]


_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def dumped(data: Any) -> str:
    """The spec as YAML text (libyaml's emitter: a 100,000-character value costs ~1 ms, not ~100 ms)."""
    return yaml.dump(data, Dumper=_DUMPER, allow_unicode=True, sort_keys=False)


def _example(name: str) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((ROOT / "examples" / f"{name}.yaml").read_text())
    return data


def _edge_with_users_file() -> dict[str, Any]:
    data = _example("haproxy-edge")
    data["edge"]["stats"] = {
        "bind": {"address": "127.0.0.1", "port": 8070},
        "uri": "/stats",
        "refresh": "5s",
        "user": "admin",
        "users_file": "/etc/haproxy/stats-users.cfg",
        "userlist": "ops",
    }
    data["edge"]["tls"]["default_backend"] = data["edge"]["tls"]["routes"][0]["backend"]
    return data


def _k8s_with_every_option() -> dict[str, Any]:
    data = _example("k8s-gateway-nginx")
    gateway = data["k8s_gateway"]
    gateway["resolver"].update(address="10.96.0.10", port=5353)
    gateway["listen"].update(addresses=["10.0.0.5", "fd00::5"])
    gateway["static"].update(index="main.html")
    return data


def _manifests_with_every_option() -> dict[str, Any]:
    data = _example("k8s-gateway-manifests")
    manifests = data["k8s_gateway"]["manifests"]
    manifests.update(conf_dir="/etc/nginx/conf.d")
    manifests["resources"]["limits"] = {"cpu": "500m", "memory": "256Mi"}
    manifests["service"].update(type="NodePort", node_port=30080)
    return data


# The bundled examples, plus variants that fill the optional keys no example uses (the coverage test
# below fails when a new spec key appears in none of them).
SPEC_CASES: dict[str, str] = {
    **{path.stem: path.read_text() for path in EXAMPLES},
    "haproxy-edge+users-file": dumped(_edge_with_users_file()),
    "k8s-gateway-nginx+every-option": dumped(_k8s_with_every_option()),
    "k8s-gateway-manifests+every-option": dumped(_manifests_with_every_option()),
}
# The per-field sweep of a variant covers only what it adds to its example (the rest is swept there).
VARIANT_FOCUS: dict[str, tuple[Path_, ...]] = {
    "haproxy-edge+users-file": (("edge", "stats"), ("edge", "tls", "default_backend")),
    "k8s-gateway-nginx+every-option": (
        ("k8s_gateway", "resolver"),
        ("k8s_gateway", "listen"),
        ("k8s_gateway", "static"),
    ),
    "k8s-gateway-manifests+every-option": (("k8s_gateway", "manifests"),),
}


def shapes(spec: SiteSpec, name: str) -> dict[str, Shape | None]:
    site = render_site(spec, name)
    return {path: file_shape(path, text) for path, text in site.files.items()}


def hostile_values(original: Any) -> st.SearchStrategy[str]:
    """Hostile text built around a field's clean value: payload alone, after, before, or inside it."""
    text = "" if original is None else str(original)
    payload = st.one_of(st.sampled_from(PAYLOADS), st.text(max_size=12))
    if isinstance(original, int):
        # a number gets only payloads: random digits could form another valid number
        return st.builds(lambda p, before: p + text if before else text + p, st.sampled_from(PAYLOADS), st.booleans())
    base = st.sampled_from([text, "", *ADDRESS_BASES])
    tail = st.sampled_from(["", text, "x", "; add_header X-Pwned yes;"])
    return st.builds(lambda b, p, t: b + p + t, base, payload, tail)


def assert_refusal_is_precise(error: InputError, spec_name: str) -> None:
    assert error.problems, error.message
    for problem in error.problems:
        assert problem.file == spec_name, problem
        assert problem.line is not None, f"no line in: {problem}"
        assert problem.field, f"no field in: {problem}"


@pytest.mark.parametrize("case", sorted(SPEC_CASES))
def test_hostile_values_are_refused_or_inert(case: str) -> None:
    name = f"{case}.yaml"
    clean_text = SPEC_CASES[case]
    data = yaml.safe_load(clean_text)
    clean = shapes(load_spec_text(SiteSpec, clean_text, name), name)
    assert any(shape for shape in clean.values()), "nothing to compare: no config in the clean render"
    # Booleans are left alone: a random word like "yes" is a legitimate value that may change the output.
    paths = [p for p in scalar_paths(data) if not isinstance(leaf(data, p), bool)]

    @settings(max_examples=120, derandomize=True, deadline=None, suppress_health_check=list(HealthCheck))
    @given(draw=st.data())
    def check(draw: st.DataObject) -> None:
        path = draw.draw(st.sampled_from(paths), label="field")
        value = draw.draw(hostile_values(leaf(data, path)), label="value")
        hostile = dumped(replaced(data, path, value))
        try:
            spec = load_spec_text(SiteSpec, hostile, name)
        except InputError as error:
            assert_refusal_is_precise(error, name)
            return
        # accepted: every config must parse to the clean render's exact structure
        result = shapes(spec, name)
        assert result.keys() == clean.keys()
        for file_name, shape in result.items():
            assert shape == clean[file_name], f"{dotted(path)}={value!r} changed the structure of {file_name}"

    check()


# Every payload in EVERY field of every example (the hypothesis test samples fields, so it could
# miss one): after the clean value, before it, and, for fields holding an address, after an IPv6
# address (where a zone id would start).
@pytest.mark.parametrize("case", sorted(SPEC_CASES))
def test_every_field_refuses_or_ignores_every_payload_family(case: str) -> None:
    name = f"{case}.yaml"
    # Straight to validation with the clean file's line map (a scalar swap moves no key): a YAML
    # round trip per value would cost 3/4 of the time here, and the hypothesis test goes through YAML.
    data, lines = load_yaml_marked(SPEC_CASES[case], name)
    clean = shapes(validate_marked(SiteSpec, data, lines, name), name)
    addresses = set(address_fields(data))
    focus = VARIANT_FOCUS.get(case, ((),))
    for path in scalar_paths(data):
        original = leaf(data, path)
        if isinstance(original, bool) or not any(path[: len(prefix)] == prefix for prefix in focus):
            continue
        for payload in PAYLOADS:
            values = [f"{original}{payload}", f"{payload}{original}"]
            if path in addresses:
                values.append(f"fe80::1{payload}")
            for value in values:
                try:
                    spec = validate_marked(SiteSpec, replaced(data, path, value), lines, name)
                except InputError as error:
                    assert_refusal_is_precise(error, name)
                    continue
                assert shapes(spec, name) == clean, f"{dotted(path)}={value[:80]!r} changed the structure"


def address_fields(data: Any) -> list[Path_]:
    """Every leaf of a spec holding an IP address (bound, connected, matched or in a URL)."""
    import ipaddress

    found = []
    for path in scalar_paths(data):
        value = leaf(data, path)
        try:
            ipaddress.ip_address(str(value).strip("[]"))
        except ValueError:
            continue
        found.append(path)
    return found


ADDRESS_CASES = [
    (case, path) for case in sorted(SPEC_CASES) for path in address_fields(yaml.safe_load(SPEC_CASES[case]))
]


def _models_in(annotation: Any) -> list[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [model for argument in typing.get_args(annotation) for model in _models_in(argument)]


def model_leaves(model: type[BaseModel], prefix: tuple[str, ...] = ()) -> set[tuple[str, ...]]:
    """Every scalar key of the spec models (list items share their list's key)."""
    found: set[tuple[str, ...]] = set()
    for key, field in model.model_fields.items():
        if field.exclude:  # refused secret keys: they never hold a value
            continue
        nested = _models_in(field.annotation)
        if nested:
            for sub in nested:
                found |= model_leaves(sub, (*prefix, key))
        else:
            found.add((*prefix, key))
    return found


def test_every_spec_key_is_exercised_by_some_case() -> None:
    used = {
        tuple(str(p) for p in path if isinstance(p, str))
        for case in SPEC_CASES.values()
        for path in scalar_paths(yaml.safe_load(case))
    }
    booleans = {path for path in model_leaves(SiteSpec) if path[-1] in BOOLEAN_KEYS}
    missing = model_leaves(SiteSpec) - used - booleans
    assert not missing, f"add these keys to an example or a SPEC_CASES variant: {sorted(missing)}"


def test_every_family_has_address_fields_under_test() -> None:
    families = {path[0] for _, path in ADDRESS_CASES}
    assert families == {"harbor", "edge", "k8s_gateway"}


@pytest.mark.parametrize(
    "zone", ["%eth0", "%x]; add_header X-Pwned yes; #", '%x"\nnew_key: pwned', "%25eth0", "%", "%lo\x00"]
)
@pytest.mark.parametrize(("case", "path"), ADDRESS_CASES, ids=lambda x: x if isinstance(x, str) else dotted(x))
def test_a_zone_id_is_refused_in_every_address_field_with_the_reason(case: str, path: Path_, zone: str) -> None:
    data = yaml.safe_load(SPEC_CASES[case])
    hostile = dumped(replaced(data, path, "fe80::1" + zone))
    with pytest.raises(InputError) as caught:
        load_spec_text(SiteSpec, hostile, f"{case}.yaml")
    problems = caught.value.problems
    assert [p.field for p in problems] == [dotted(path)], caught.value.describe()
    assert problems[0].line is not None
    assert "zone" in problems[0].problem and "nginx" in problems[0].problem, problems[0].problem


def test_a_hostile_zone_is_refused_by_the_cli_with_exit_2_and_nothing_written(cli: Any, tmp_path: Path) -> None:
    source = ROOT / "examples" / "k8s-gateway-nginx.yaml"
    data = yaml.safe_load(source.read_text())
    data["k8s_gateway"].setdefault("resolver", {})["address"] = "fe80::1%x]; add_header X-Pwned yes; #"
    spec = tmp_path / "site.yaml"
    spec.write_text(yaml.safe_dump(data, sort_keys=False))
    out = tmp_path / "out"
    result = cli(["render", str(spec), "-o", str(out)])
    assert result.exit_code == 2, result.stdout + result.stderr
    assert not out.exists()
    assert "k8s_gateway.resolver.address" in result.stderr
    assert f"{spec}:" in result.stderr
    assert "Traceback" not in result.stderr


def test_template_syntax_in_a_value_is_printed_never_evaluated() -> None:
    # Values reach templates as data: Jinja only evaluates the template's own source.
    template = environment().from_string("server_name {{ name }};\nhostname: {{ name | yaml_string }}")
    assert template.render(name="{{ 7 * 7 }}") == 'server_name {{ 7 * 7 }};\nhostname: "{{ 7 * 7 }}"'


@pytest.mark.parametrize("value", ['a"\nnew_key: 1', "a\x85b", "a\u2028b: c", "a\\", "\x00", "é"])
def test_yaml_string_always_loads_back_as_the_same_single_value(value: str) -> None:
    assert yaml.safe_load(f"key: {yaml_string(value)}\n") == {"key": value}


# --- durations at the limit of the binary they reach ---------------------------------------------
# Every duration a spec can set: (spec case, field) → (the longest value opskit accepts, the shortest it
# refuses), as the duration syntax (at most nine digits) can write them. HAProxy's limits are its own,
# measured with `haproxy -c` (2.6.12): 2^31-1 ms for every timer (2147483s is the longest writable),
# 2^31-1 s for `stats refresh` (35791394m). `nginx -t` (1.22.1) accepts up to 2^63-1 ms, far more than the
# duration syntax can write (nine digits), so a duration reaching nginx is bounded by the syntax
# (999999999d) or by the field's own rule (the resolver's valid= and timeout).
HAPROXY_TIMER = ("2147483s", "2147484s")
DURATION_BOUNDS: dict[tuple[str, str], tuple[str, str]] = {
    ("haproxy-edge", "edge.timeouts.connect"): HAPROXY_TIMER,
    ("haproxy-edge", "edge.timeouts.client"): HAPROXY_TIMER,
    ("haproxy-edge", "edge.timeouts.server"): HAPROXY_TIMER,
    ("haproxy-edge", "edge.timeouts.http_request"): HAPROXY_TIMER,
    ("haproxy-edge", "edge.timeouts.http_keep_alive"): HAPROXY_TIMER,
    ("haproxy-edge", "edge.http.limits.expire"): HAPROXY_TIMER,
    ("haproxy-edge", "edge.http.limits.period"): HAPROXY_TIMER,
    ("haproxy-edge", "edge.tls.inspect_delay"): HAPROXY_TIMER,
    ("haproxy-edge", "edge.stats.refresh"): ("35791394m", "35791395m"),
    ("harbor-three-entries", "harbor.registry_timeout"): ("999999999d", "1000000000d"),
    ("k8s-gateway-nginx", "k8s_gateway.resolver.valid"): ("30s", "31s"),
    ("k8s-gateway-nginx", "k8s_gateway.resolver.timeout"): ("30s", "30001ms"),
    # Tengine's dynamic_resolve: no Tengine here, and --validate drops it for stock nginx.
    ("k8s-gateway-tengine", "k8s_gateway.tengine.fail_timeout"): ("999999999d", "1000000000d"),
}


def duration_fields(model: type[BaseModel], prefix: tuple[str, ...] = ()) -> set[str]:
    """The dotted path of every Duration field of the spec models."""
    from opskit.core.spec.types import Duration

    found: set[str] = set()
    for key, field in model.model_fields.items():
        if field.annotation is Duration:
            found.add(".".join((*prefix, key)))
        for sub in _models_in(field.annotation):
            found |= duration_fields(sub, (*prefix, key))
    return found


# Fields another field must cover: set to their longest, so only the field under test can be refused.
COMPANIONS = {"edge.tls.inspect_delay": {"edge.timeouts.client": HAPROXY_TIMER[0]}}


def with_value(case: str, field: str, value: str) -> str:
    """The case's spec text with ``field`` (dotted; parents made when absent) set to ``value``."""
    data = yaml.safe_load(SPEC_CASES[case])
    for path, text in {**COMPANIONS.get(field, {}), field: value}.items():
        node = data
        *parents, last = path.split(".")
        for part in parents:
            node = node.setdefault(part, {})
        node[last] = text
    return dumped(data)


def test_every_duration_field_has_its_limit_under_test() -> None:
    assert duration_fields(SiteSpec) == {field for _, field in DURATION_BOUNDS}


@pytest.mark.integration
@pytest.mark.parametrize(("case", "field"), sorted(DURATION_BOUNDS), ids=lambda x: x)
def test_a_duration_at_its_limit_renders_a_config_the_real_binary_accepts(case: str, field: str) -> None:
    from opskit.adapters.validate import validate_rendered
    from tests.support.tools import require_binary, require_root

    require_root("validation runs in private namespaces")
    longest, _ = DURATION_BOUNDS[(case, field)]
    site = render_site(load_spec_text(SiteSpec, with_value(case, field, longest), f"{case}.yaml"), f"{case}.yaml")
    assert any(longest in text for text in site.files.values()), f"{longest} reaches no rendered file"
    targets = [t for family in site.families for t in family.validations if t.tool in ("haproxy", "nginx")]
    assert targets
    for target in targets:
        require_binary(target.tool, f"apt-get install {target.tool}")
        result = validate_rendered(site.files, target)
        assert result.ok, f"{target.tool} rejected {field}={longest}:\n{result.output}"


@pytest.mark.parametrize(("case", "field"), sorted(DURATION_BOUNDS), ids=lambda x: x)
def test_a_duration_one_past_its_limit_is_refused_naming_file_line_and_field(case: str, field: str) -> None:
    _, shortest_refused = DURATION_BOUNDS[(case, field)]
    with pytest.raises(InputError) as caught:
        load_spec_text(SiteSpec, with_value(case, field, shortest_refused), f"{case}.yaml")
    [problem] = caught.value.problems
    assert (problem.file, problem.field) == (f"{case}.yaml", field), caught.value.describe()
    assert problem.line is not None and shortest_refused in problem.problem


HAPROXY_TIMER_FIELDS = sorted(f for (case, f), bounds in DURATION_BOUNDS.items() if bounds == HAPROXY_TIMER)
UNIT_MS = {"ms": 1, "s": 1000, "m": 60_000, "h": 3_600_000, "d": 86_400_000}


@settings(max_examples=150, derandomize=True, deadline=None)
@given(
    field=st.sampled_from(HAPROXY_TIMER_FIELDS),
    unit=st.sampled_from(sorted(UNIT_MS)),
    around=st.integers(-3, 3),
)
def test_a_haproxy_timer_in_any_unit_is_accepted_exactly_up_to_the_limit(field: str, unit: str, around: int) -> None:
    """Around the limit in each unit (24d passes, 25d does not; 2147483s passes, 2147484s does not; in
    ms the limit needs ten digits, which the duration syntax refuses anyway)."""
    from opskit.core.spec.types import HAPROXY_MAX_TIMER_MS

    count = max(HAPROXY_MAX_TIMER_MS // UNIT_MS[unit] + around, 0)
    value = f"{count}{unit}"
    too_long = count * UNIT_MS[unit] > HAPROXY_MAX_TIMER_MS or len(str(count)) > 9
    try:
        load_spec_text(SiteSpec, with_value("haproxy-edge", field, value), "haproxy-edge.yaml")
    except InputError as error:
        assert too_long, error.describe()
        assert [p.field for p in error.problems] == [field]
        return
    assert not too_long, f"{field}: {value} accepted"
