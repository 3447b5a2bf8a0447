"""Hostile files around `render`: alias bombs and deep nesting in the spec (and in the other YAML/JSON
inputs), links and FIFOs planted in the output folder, and writes that fail half-way (ENOSPC, EROFS).
Each ends in exit 1 or 2 with a one-line reason, no secret is ever read, and nothing is half-written."""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from opskit.adapters import output_files
from opskit.adapters.output_files import WriteFailed, write_files
from opskit.core.headscale.journal_parse import parse_journal
from opskit.core.headscale.plan import load_plan
from opskit.core.spec.loader import MAX_DEPTH, load_yaml_marked
from opskit.core.traefik.dynamic import switch_router_service
from opskit.errors import InputError
from tests.support.tools import require_binary, require_root

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "harbor-three-entries.yaml"
SECRET = "CI_TOKEN=s3cr3t-do-not-print"


# --- the spec: aliases and nesting -----------------------------------------------------------------


@st.composite
def alias_bombs(draw: st.DrawFn) -> str:
    """'Billion laughs' in several shapes: lists, maps, merge keys, aliases as keys or values."""
    levels = draw(st.integers(1, 9))
    width = draw(st.integers(2, 10))
    shape = draw(st.sampled_from(["list", "map", "merge", "flow"]))
    lines = ["spec_version: 1", "site: bomb", 'a0: &a0 ["lol"]']
    for level in range(1, levels + 1):
        refs = [f"*a{level - 1}"] * width
        if shape == "list":
            lines.append(f"a{level}: &a{level} [{', '.join(refs)}]")
        elif shape == "map":
            lines.append(f"a{level}: &a{level} {{{', '.join(f'k{i}: {r}' for i, r in enumerate(refs))}}}")
        elif shape == "merge":
            lines.append(f"a{level}: &a{level}\n  <<: *a{level - 1}\n  extra: {refs[0]}")
        else:
            lines.append(f"a{level}: &a{level}\n" + "".join(f"  - {r}\n" for r in refs).rstrip())
    target = draw(st.sampled_from(["value", "key", "harbor"]))
    if target == "key":
        lines.append(f"? *a{levels}\n: x")
    elif target == "harbor":
        lines.append(f"harbor:\n  entries: *a{levels}")
    return "\n".join(lines) + "\n"


@settings(max_examples=60, deadline=None)
@given(alias_bombs())
def test_alias_bombs_are_refused_without_expanding(text: str) -> None:
    with pytest.raises(InputError) as caught:
        load_yaml_marked(text, "bomb.yaml")
    problems = caught.value.problems
    assert problems and all(p.file == "bomb.yaml" and p.line is not None for p in problems)
    assert any("aliases" in p.problem or "anchors" in p.problem or "merge keys" in p.problem for p in problems)


scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=20))
documents = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)),
    max_leaves=25,
)


@settings(max_examples=150, deadline=None)
@given(document=st.dictionaries(st.text(min_size=1, max_size=8), documents, min_size=1, max_size=5))
def test_the_event_built_spec_data_equals_pyyaml_safe_load(document: dict[str, object]) -> None:
    """Building data from events (to refuse aliases and cap nesting) loses nothing safe_load keeps."""
    for style in (False, True):
        text = yaml.safe_dump(document, default_flow_style=style, allow_unicode=True)
        data, lines = load_yaml_marked(text, "gen.yaml")
        assert data == yaml.safe_load(text)
        assert all(line >= 1 for line in lines.values())


def test_an_alias_names_its_line_and_field() -> None:
    text = "spec_version: 1\nsite: x\nharbor:\n  hostname: &h registry.example.com\n  other: *h\n"
    with pytest.raises(InputError) as caught:
        load_yaml_marked(text, "s.yaml")
    described = caught.value.describe()
    assert "s.yaml:4: harbor.hostname: YAML anchors (&h) are not supported" in described
    assert "s.yaml:5: harbor.other: YAML aliases (*h) are not supported" in described


def test_a_recursive_alias_is_refused() -> None:
    with pytest.raises(InputError) as caught:
        load_yaml_marked("loop: &a [*a, *a]\n", "loop.yaml")
    assert "loop.yaml:1: loop[0]: YAML aliases (*a) are not supported" in caught.value.describe()


@settings(max_examples=20, deadline=None)
@given(depth=st.one_of(st.integers(MAX_DEPTH + 1, 2000), st.sampled_from([100_000, 300_000])), flow=st.booleans())
def test_deep_nesting_is_bad_input_not_a_crash(depth: int, flow: bool) -> None:
    """libyaml's composer recurses in C: 100,000 '[' used to kill the process with SIGSEGV."""
    if flow:
        text = "[" * depth + "]" * depth
    else:
        depth = min(depth, 1500)  # block nesting costs depth² bytes of indentation
        text = "".join(f"{' ' * level}k:\n" for level in range(depth)) + " " * depth + "v\n"
    # ours ("nested more than 64 levels deep"), or libyaml >= 0.2.5's own ("exceeded maximum nesting
    # depth", 1,000 flow levels, raised while it scans ahead): both a one-line exit-2 error.
    with pytest.raises(InputError, match=r"deep.yaml:\d+: (.*nested more than 64 levels deep|.*nesting depth)"):
        load_yaml_marked(text, "deep.yaml")


def test_nesting_within_the_limit_is_accepted() -> None:
    data, _ = load_yaml_marked("[" * MAX_DEPTH + "]" * MAX_DEPTH, "ok.yaml")
    for _ in range(MAX_DEPTH - 1):
        data = data[0]
    assert data == []


@pytest.mark.parametrize("depth", [900, 5_000, 200_000])
def test_deep_json_in_a_plan_or_journal_is_bad_input(depth: int) -> None:
    text = "[" * depth + "]" * depth
    with pytest.raises(InputError):
        load_plan(text, "plan.json")
    with pytest.raises(InputError):
        parse_journal((text + "\n").encode(), "journal.jsonl")


TRAEFIK = """http:
  routers:
    web:
      rule: Host(`a.example.com`)
      service: old
  services:
    old:
      loadBalancer: {servers: [{url: "http://127.0.0.1:1"}]}
    new:
      loadBalancer: {servers: [{url: "http://127.0.0.1:2"}]}
"""


@settings(max_examples=10, deadline=None)
@given(levels=st.integers(6, 12), width=st.integers(6, 10))
def test_an_alias_bomb_in_a_traefik_file_runs_out_of_budget_not_memory(levels: int, width: int) -> None:
    bomb = ["x:", '  a0: &a0 ["lol"]']
    for level in range(1, levels + 1):
        bomb.append(f"  a{level}: &a{level} [{', '.join([f'*a{level - 1}'] * width)}]")
    with pytest.raises(InputError, match="aliases expand to more than"):
        switch_router_service(TRAEFIK + "\n".join(bomb) + "\n", "web", "new", "dynamic.yml")


def test_a_traefik_file_with_a_few_aliases_still_switches() -> None:
    text = TRAEFIK + "x:\n  a: &a [1, 2]\n  b: *a\n"
    assert switch_router_service(text, "web", "new", "dynamic.yml").changed


def test_deep_nesting_in_a_traefik_file_is_bad_input() -> None:
    with pytest.raises(InputError, match="nested (more than 64 levels deep|too deeply)|nesting depth"):
        switch_router_service(TRAEFIK + "x: " + "[" * 200_000 + "]" * 200_000 + "\n", "web", "new", "d.yml")


def test_render_refuses_a_billion_laughs_spec_at_once(cli, tmp_path: Path) -> None:
    spec = tmp_path / "bomb.yaml"
    lol = ['a0: &a0 ["lol"]'] + [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 10)]
    spec.write_text("spec_version: 1\nsite: bomb\n" + "\n".join(lol) + "\n")
    result = cli(["render", str(spec)])
    assert result.exit_code == 2
    assert f"{spec}:3: a0: YAML anchors (&a0) are not supported in a spec" in result.stderr
    assert not (tmp_path / "bomb").exists()


# --- the output folder -----------------------------------------------------------------------------


def _snapshot(folder: Path) -> dict[str, tuple[str, bytes]]:
    """Every entry under ``folder`` (without following links): kind and content or link target."""
    found: dict[str, tuple[str, bytes]] = {}
    for dirpath, dirnames, filenames in os.walk(folder):
        for name in dirnames + filenames:
            path = Path(dirpath) / name
            relative = path.relative_to(folder).as_posix()
            if path.is_symlink():
                found[relative] = ("link", os.readlink(path).encode())
            elif path.is_dir():
                found[relative] = ("dir", b"")
            elif path.is_file():
                found[relative] = ("file", path.read_bytes())
            else:
                found[relative] = ("other", b"")
    return found


PLANTED = ["link to the secret", "link to a folder", "dangling link", "fifo", "directory"]


def _plant(folder: Path, name: str, kind: str, secret: Path) -> None:
    target = folder / name
    target.unlink()
    if kind == "link to the secret":
        target.symlink_to(secret)
    elif kind == "link to a folder":
        target.symlink_to(secret.parent)
    elif kind == "dangling link":
        target.symlink_to(folder / "nowhere")
    elif kind == "fifo":
        os.mkfifo(target)
    else:
        target.mkdir()
        (target / "inner").write_text(SECRET)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    name=st.sampled_from(["harbor.yml", "nginx-harbor.conf", "harbor-realms.md"]),
    kind=st.sampled_from(PLANTED),
    json_output=st.booleans(),
)
def test_something_planted_in_the_output_folder_is_never_read_nor_written_through(
    cli, name: str, kind: str, json_output: bool
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        secret = base / "secrets" / "environ"
        secret.parent.mkdir()
        secret.write_text(SECRET)
        spec = base / "site.yaml"
        spec.write_text(EXAMPLE.read_text())
        assert cli(["render", str(spec)]).exit_code == 0
        out = base / "site"
        _plant(out, name, kind, secret)
        before = _snapshot(base)
        extra = ["--format", "json"] if json_output else []

        check = cli(["render", "--check", str(spec), *extra])
        assert check.exit_code == 1, check.stderr
        assert SECRET not in check.stdout + check.stderr and "s3cr3t" not in check.stdout + check.stderr
        if json_output:
            files = {f["path"]: f["status"] for f in json.loads(check.stdout)["files"]}
            assert files[name] == "foreign"
        else:
            assert "not a file opskit wrote" in check.stdout

        write = cli(["render", str(spec), *extra])
        assert write.exit_code == 2
        assert f"{out / name}" in write.stderr and "not a file opskit wrote" in write.stderr
        assert SECRET not in write.stdout + write.stderr
        assert _snapshot(base) == before  # nothing written anywhere, the secret untouched


def test_the_output_option_naming_a_file_is_bad_input(cli, tmp_path: Path) -> None:
    spec = tmp_path / "site.yaml"
    spec.write_text(EXAMPLE.read_text())
    existing = tmp_path / "out.txt"
    existing.write_text("keep me")
    for args in (["render", str(spec), "-o", str(existing)], ["render", "--check", str(spec), "-o", str(existing)]):
        result = cli(args)
        assert result.exit_code == 2
        assert f"command line: --output: {existing} exists and is not a folder" in result.stderr
    assert existing.read_text() == "keep me"


@st.composite
def file_sets(draw: st.DrawFn) -> dict[str, str]:
    names = st.sampled_from(["a.conf", "b.yml", "c.md", "sub/d.conf", "sub/deep/e.txt", "other/f"])
    chosen = draw(st.sets(names, min_size=1, max_size=6))
    return {name: draw(st.text(max_size=300)) for name in chosen}


@settings(max_examples=40, deadline=None)
@given(
    old=file_sets(), new=file_sets(), step=st.sampled_from(["write", "fsync", "link", "replace"]), nth=st.integers(0, 6)
)
def test_a_write_that_fails_at_any_step_changes_nothing(
    old: dict[str, str], new: dict[str, str], step: str, nth: int
) -> None:
    """Fail the n-th write/fsync/link/rename of a multi-file write (once, like a disk that fills up and
    is then freed by the cleanup): the folder is as it was."""
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "out"
        write_files(root, old)
        before = _snapshot(Path(folder))
        real = {"write": os.write, "fsync": os.fsync, "link": os.link, "replace": os.replace}[step]
        calls = [0]

        def failing(*args: object, **kwargs: object) -> object:
            calls[0] += 1
            if calls[0] == nth + 1:
                raise OSError(28, "No space left on device")
            return real(*args, **kwargs)  # type: ignore[operator]

        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(output_files.os, step, failing)
            try:
                write_files(root, new)
            except WriteFailed as failure:
                assert "nothing was changed" in failure.message
                assert _snapshot(Path(folder)) == before
                return
        after = {path: content for path, (kind, content) in _snapshot(root).items() if kind == "file"}
        assert after == {**{p: t.encode() for p, t in old.items()}, **{p: t.encode() for p, t in new.items()}}


@contextmanager
def small_tmpfs(where: Path, size: str) -> Iterator[Path]:
    require_root("mounts a small tmpfs to fill it")
    require_binary("mount", "util-linux")
    where.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)], check=True, timeout=30)
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False, timeout=30)


def test_a_full_disk_leaves_the_old_files_whole(cli, tmp_path: Path) -> None:
    """ENOSPC for real: the old render stays byte for byte; no temp file is left behind."""
    with small_tmpfs(tmp_path / "disk", "64k") as disk:
        spec = disk / "site.yaml"
        spec.write_text(EXAMPLE.read_text())
        assert cli(["render", str(spec)]).exit_code == 0
        spec.write_text(EXAMPLE.read_text().replace("xx.xxx.com", "registry-renamed.example.com"))
        filler = disk / "filler"
        fd = os.open(filler, os.O_WRONLY | os.O_CREAT, 0o600)
        try:
            while os.write(fd, b"\0" * 4096):
                pass
        except OSError:
            pass
        finally:
            os.close(fd)
        os.truncate(filler, filler.stat().st_size - 8 * 1024)  # three files need three 4 KiB pages
        before = {k: v for k, v in _snapshot(disk).items() if k != "filler"}
        result = cli(["render", str(spec)])
        assert result.exit_code == 2, result.stdout + result.stderr
        assert "No space left on device; nothing was changed" in result.stderr
        assert "Traceback" not in result.stderr
        assert {k: v for k, v in _snapshot(disk).items() if k != "filler"} == before


def test_a_read_only_output_folder_is_bad_input_and_changes_nothing(cli, tmp_path: Path) -> None:
    with small_tmpfs(tmp_path / "disk", "1m") as disk:
        spec = tmp_path / "site.yaml"
        spec.write_text(EXAMPLE.read_text())
        out = disk / "site"
        assert cli(["render", str(spec), "-o", str(out)]).exit_code == 0
        spec.write_text(EXAMPLE.read_text().replace("xx.xxx.com", "registry-two.example.com"))
        before = _snapshot(disk)
        subprocess.run(["mount", "-o", "remount,ro", str(disk)], check=True, timeout=30)
        result = cli(["render", str(spec), "-o", str(out)])
        assert result.exit_code == 2, result.stdout + result.stderr
        assert "Read-only file system; nothing was changed" in result.stderr
        assert _snapshot(disk) == before
        assert cli(["render", "--check", str(spec), "-o", str(out)]).exit_code == 1


def test_the_output_folder_walk_is_bounded(cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`-o ~` must not walk a home folder; deep folders are not descended; a huge file is not read."""
    spec = tmp_path / "site.yaml"
    spec.write_text(EXAMPLE.read_text())
    out = tmp_path / "site"
    assert cli(["render", str(spec)]).exit_code == 0

    deep = out
    for level in range(300):  # deeper than Python's recursion would survive without the depth cap
        deep = deep / f"d{level % 10}"
    deep.mkdir(parents=True)
    (deep / "x.conf").write_text("# generated by opskit from site.yaml; do not edit by hand.\n")
    assert cli(["render", "--check", str(spec)]).exit_code == 0

    (out / "harbor.yml").write_bytes(b"x" * (8 << 20))
    check = cli(["render", "--check", str(spec)])
    assert check.exit_code == 1
    assert "8,388,608 bytes, far more than opskit renders here: not read" in check.stdout
    assert "xxxxxxxx" not in check.stdout
    assert cli(["render", str(spec)]).exit_code == 0
    assert (out / "harbor.yml").read_text().startswith("# generated by opskit from site.yaml")

    monkeypatch.setattr(output_files, "MAX_OUTPUT_ENTRIES", 50)
    for index in range(60):
        (out / f"extra-{index}.txt").write_text("not ours")
    result = cli(["render", "--check", str(spec)])
    assert result.exit_code == 2
    assert "the output folder holds more than 50 entries: is it the right folder?" in result.stderr


@pytest.mark.parametrize("blocker", ["file", "link"])
def test_a_file_or_link_where_a_folder_should_be_fails_the_whole_write(tmp_path: Path, blocker: str) -> None:
    root = tmp_path / "out"
    write_files(root, {"a.conf": "old a\n"})
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    if blocker == "file":
        (root / "sub").write_text("a file")
    else:
        (root / "sub").symlink_to(elsewhere)
    before = _snapshot(tmp_path)
    with pytest.raises(WriteFailed, match=r"sub is (a file|a symbolic link), not a folder .*nothing was changed"):
        write_files(root, {"a.conf": "new a\n", "sub/b.conf": "b\n", "z.conf": "z\n"})
    assert _snapshot(tmp_path) == before
    assert not list(elsewhere.iterdir())


def test_a_filesystem_without_hard_links_still_gets_its_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "out"
    write_files(root, {"a.conf": "old\n"})

    def no_links(*args: object, **kwargs: object) -> None:
        raise OSError(1, "Operation not permitted")  # what vfat answers to link()

    monkeypatch.setattr(output_files.os, "link", no_links)
    assert write_files(root, {"a.conf": "new\n", "b.conf": "b\n"}) == ["a.conf", "b.conf"]
    assert {p.name: p.read_text() for p in root.iterdir()} == {"a.conf": "new\n", "b.conf": "b\n"}
