"""A path the user names that the OS refuses (longer than a file name may be, a loop of links, under a
file instead of a folder) is their environment: exit 2 naming the path, never a traceback (exit 70).
Found by the CLI fuzzer's exploration (`render -o` with a 300-character name, `--cut-inventory`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

EXAMPLES = Path(__file__).parents[2] / "examples"


def _unusable(base: Path, how: str) -> str:
    if how == "too-long":
        return str(base / ("n" * 300))
    if how == "under-a-file":
        (base / "plain").write_text("x")
        return str(base / "plain" / "inside")
    loop = base / "loop"
    if not loop.is_symlink():
        loop.symlink_to(loop)
    return str(loop / "inside")


COMMANDS = [
    lambda p: ["render", str(EXAMPLES / "haproxy-edge.yaml"), "-o", p],
    lambda p: ["lint", p],
    lambda p: ["diagnose", p],
    lambda p: ["headscale", "migrate", "apply", "--cut-inventory", p, "--", p],
]


@given(st.sampled_from(["too-long", "under-a-file", "a-loop"]), st.sampled_from(range(len(COMMANDS))))
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_a_path_the_os_refuses_is_exit_2_naming_it(cli: Any, tmp_path: Path, how: str, command: int) -> None:
    path = _unusable(tmp_path, how)
    result = cli(COMMANDS[command](path))
    assert result.exit_code == 2, result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    assert path[:40] in result.stderr or Path(path).name[:40] in result.stderr
