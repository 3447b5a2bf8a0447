"""Generated tests for session 14's small leftovers in `opskit diagnose` (what a user sees in the JSON document).

1. systemctl's answer that tailscaled's start job failed ("Job for tailscaled.service failed because …"): the CLI's
   service-not-running and, as systemd's verdict on the run it just tried, the log's crash (the paste shows only
   systemd's words: tailscaled's own reason is not in this view). Another unit's job, a masked unit, a dependency
   job, systemd's own resource failure and prose stay no crash.
2. sha256sum's bare "WARNING: N computed checksum(s) did NOT match" next to a Tailscale download: install-failed;
   with nothing Tailscale-related around it, no finding.
3. A map response the client cannot decode ("[v1] netmap: decode error: response: json: …"), amid the map poll's other
   errors: control-too-old (control answered; the client cannot read its map), not control-unreachable and not
   unread; one followed by a map response decoded is transient.
4. journalctl -x's catalog text ("░░ Subject: …") under journal lines: read with the journal (never a skipped line);
   the catalog entry of a failed start job of tailscaled's unit is a crash, another unit's is not.
5. Any command name (or a path to one) after a BusyBox prompt's "<dir> # " is a typed command; a path annotated in
   prose, a comment and a heading are not.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from opskit.core.diagnose.text import _NOTE_WORDS, _PROSE_WORDS
from tests.diagnose.log_catalog import LOG_PREFIXES, document_of, issue_kinds, log_issues, paste_lines


def _finding(document: dict[str, Any], rule: str) -> dict[str, Any]:
    found = [finding for finding in document["findings"] if finding["rule"] == rule]
    assert len(found) == 1, [finding["rule"] for finding in document["findings"]]
    return found[0]


def _skipped(document: dict[str, Any]) -> list[str]:
    return [warning for warning in document["warnings"] if "skipped" in warning]


# ------------------------------------------------------------------ 1. systemctl's failed start job

_PROMPTS = (
    "$ sudo systemctl {verb} {unit}",
    "root@raspberrypi:~# systemctl {verb} {unit}",
    "[root@pikvm ~]# systemctl {verb} {unit}",
    "user@host:~$ sudo systemctl {verb} {unit}",
    None,  # the answer pasted alone
)
_VERBS = ("start", "restart", "enable --now")
_UNITS = ("tailscaled", "tailscaled.service", "tailscaled@tailscale0.service", "tailscale.service")
# systemd's bus-wait-for-jobs explanations of the unit's Result= that mean tailscaled ran and failed
_CRASH_RESULTS = (
    "the control process exited with error code.",
    "a fatal signal was delivered to the control process.",
    "a fatal signal was delivered causing the control process to dump core.",
    "a timeout was exceeded.",
    "the service did not take the steps required by its unit configuration.",
    "start of the service was attempted too often.",
)
_SEE = 'See "systemctl status {unit}" and "journalctl -xeu {unit}" for details.'


def _unit_name(unit: str) -> str:
    return unit if unit.endswith(".service") else unit + ".service"


def _job_paste(prompt: str | None, verb: str, unit: str, result: str, see: bool) -> tuple[str, str]:
    job = f"Job for {_unit_name(unit)} failed because {result}"
    lines = [prompt.format(verb=verb, unit=unit)] if prompt is not None else []
    lines.append(job)
    if see:
        lines.append(_SEE.format(unit=_unit_name(unit)))
    return "\n".join(lines) + "\n", job


@settings(max_examples=80, deadline=None)
@given(
    st.sampled_from(_PROMPTS),
    st.sampled_from(_VERBS),
    st.sampled_from(_UNITS),
    st.sampled_from(_CRASH_RESULTS),
    st.booleans(),
)
def test_a_failed_start_job_of_tailscaleds_unit_is_a_crash_besides_not_running(
    prompt: str | None, verb: str, unit: str, result: str, see: bool
) -> None:
    text, job = _job_paste(prompt, verb, unit, result, see)
    document = document_of(text)
    assert issue_kinds(document) == ({"service-not-running", "crash"}, 1), text
    assert [(issue["kind"], issue["about"]) for issue in log_issues(document)] == [("crash", "exit")]
    crash = _finding(document, "TS-LOG-CRASH")
    assert job in crash["cause"]
    assert "not in this view" in crash["cause"]  # only systemd's words are pasted
    assert "journalctl -u tailscaled" in crash["fix"]
    assert [line["text"] for line in crash["evidence"]] == [job]
    assert _finding(document, "TS-WIN-SERVICE-NOT-RUNNING")
    assert not _skipped(document)


@pytest.mark.parametrize(
    "text",
    [
        # another unit's start job (a web server, Tailscale's own autoconnect oneshot running `tailscale up`)
        "$ sudo systemctl restart nginx\n"
        "Job for nginx.service failed because the control process exited with error code.\n"
        'See "systemctl status nginx.service" and "journalctl -xeu nginx.service" for details.\n',
        "$ sudo systemctl start tailscale-autoconnect\n"
        "Job for tailscale-autoconnect.service failed because the control process exited with error code.\n",
        # systemd could not even run it, a unit it depends on failed, the unit is masked
        "$ sudo systemctl start tailscaled\n"
        "Job for tailscaled.service failed because of unavailable resources or another system error.\n",
        "$ sudo systemctl start tailscaled\n"
        "A dependency job for tailscaled.service failed. See 'journalctl -xe' for details.\n",
        "$ sudo systemctl start tailscaled\nFailed to start tailscaled.service: Unit tailscaled.service is masked.\n",
        # the line quoted in prose
        "When I ran it I got Job for tailscaled.service failed because the control process exited with error "
        "code. and nothing else\n",
        "The docs say that `Job for tailscaled.service failed because a timeout was exceeded.` means it hung.\n",
    ],
)
def test_other_start_job_answers_and_prose_are_no_crash(text: str) -> None:
    document = document_of(text)
    assert "crash" not in issue_kinds(document)[0], text
    assert "TS-LOG-CRASH" not in {finding["rule"] for finding in document["findings"]}


# ------------------------------------------------------------------ 4. journalctl -x's catalog text

_JOURNAL_PREFIXES = (
    "Dec 07 08:00:0{s} host {proc}: {msg}",
    "2025-11-25T03:10:4{s}.123456+00:00 host {proc}: {msg}",
    "Dec 07 08:00:0{s} <hostname> {proc}: {msg}",
)
_ROUTINE = ("tailscaled[812]", "logtail started")
_UNIT_SUCCEEDED = (
    "░░ Subject: Unit succeeded",
    "░░ Defined-By: systemd",
    "░░ Support: https://lists.freedesktop.org/mailman/listinfo/systemd-devel",
    "░░ ",
    "░░ The unit {unit} has successfully entered the 'dead' state.",
    "░░ ",
    "░░ The job identifier is {job}.",
)
_START_JOB_FAILED = (
    "░░ Subject: A start job for unit {unit} has failed",
    "░░ Defined-By: systemd",
    "░░ Support: https://www.debian.org/support",
    "░░ ",
    "░░ A start job for unit {unit} has finished with a failure.",
    "░░ ",
    "░░ The job identifier is {job} and the job result is failed.",
)
_TAILSCALED_UNITS = ("tailscaled.service", "tailscaled@tailscale0.service")


def _journal(prefix: str, entries: list[tuple[str, str, tuple[str, ...]]]) -> str:
    """Journal lines, each followed by its catalog text (journalctl -x)."""
    lines: list[str] = []
    for second, (proc, message, catalog) in enumerate(entries):
        lines.append(prefix.format(s=second, proc=proc, msg=message))
        lines.extend(catalog)
    return "\n".join(lines) + "\n"


def _catalog(lines: tuple[str, ...], unit: str, job: int, keep: list[bool]) -> tuple[str, ...]:
    """The catalog entry for `unit`, some of its lines left out (a paste cut or trimmed), the first always kept."""
    return tuple(line.format(unit=unit, job=job) for line, kept in zip(lines, [True, *keep], strict=False) if kept)


@settings(max_examples=60, deadline=None)
@given(
    st.sampled_from(_JOURNAL_PREFIXES),
    st.just("tailscaled.service"),
    st.integers(min_value=1, max_value=999_999),
    st.lists(st.booleans(), min_size=6, max_size=6),
)
def test_catalog_text_under_a_journal_is_read_with_it_never_skipped(
    prefix: str, unit: str, job: int, keep: list[bool]
) -> None:
    text = _journal(
        prefix,
        [
            (*_ROUTINE, ()),
            ("systemd[1]", f"{unit}: Deactivated successfully.", _catalog(_UNIT_SUCCEEDED, unit, job, keep)),
            ("tailscaled[813]", "magicsock: derp-4 connected; connGen=1", ()),
        ],
    )
    document = document_of(text)
    assert not _skipped(document), (text, document["warnings"])
    assert issue_kinds(document) == (set(), 0)


@settings(max_examples=60, deadline=None)
@given(
    st.sampled_from(_JOURNAL_PREFIXES),
    st.sampled_from(_TAILSCALED_UNITS),
    st.integers(min_value=1, max_value=999_999),
    st.sampled_from(("Subject", "job result")),
)
def test_the_catalog_entry_of_tailscaleds_failed_start_job_is_a_crash(
    prefix: str, unit: str, job: int, kept: str
) -> None:
    # the journal line above it (e.g. "Failed to start …") is not in the paste: the catalog text alone says it failed
    catalog = tuple(
        line.format(unit=unit, job=job)
        for line in _START_JOB_FAILED
        if (kept == "Subject") == line.startswith("░░ Subject") or "finished with" in line
    )
    text = _journal(prefix, [(*_ROUTINE, catalog)])
    document = document_of(text)
    assert not _skipped(document), (text, document["warnings"])
    assert issue_kinds(document) == ({"crash"}, 1), text
    crash = _finding(document, "TS-LOG-CRASH")
    assert any(line["text"].startswith("░░") for line in crash["evidence"]), crash["evidence"]


# what explains systemd's verdicts away explains its catalog entry too (merged into one crash, the entry's own reason
# must not undo the verdict's: 1580 is an exec failure with the catalog text under it)
_NEVER_RAN_OR_KILLED = (
    ("tailscaled.service: Failed to load environment files: No such file or directory", "resources", "exec-failed"),
    ("tailscaled.service: Failed to spawn 'start-pre' task: No such file or directory", "resources", "exec-failed"),
    ("tailscaled.service: A process of this unit has been killed by the OOM killer.", "oom-kill", "oom-killed"),
)


@settings(max_examples=40, deadline=None)
@given(
    st.sampled_from(_JOURNAL_PREFIXES),
    st.sampled_from(_NEVER_RAN_OR_KILLED),
    st.integers(min_value=1, max_value=999_999),
    st.lists(st.booleans(), min_size=6, max_size=6),
)
def test_the_catalog_entry_after_an_exec_failure_or_an_oom_kill_is_no_crash(
    prefix: str, cause: tuple[str, str, str], job: int, keep: list[bool]
) -> None:
    line, result, kind = cause
    unit = "tailscaled.service"
    text = _journal(
        prefix,
        [
            ("systemd[1]", line, ()),
            ("systemd[1]", f"{unit}: Failed with result '{result}'.", ()),
            ("systemd[1]", "Failed to start Tailscale node agent.", _catalog(_START_JOB_FAILED, unit, job, keep)),
        ],
    )
    kinds, code = issue_kinds(document_of(text))
    assert kind in kinds, text
    assert "crash" not in kinds, text
    assert code == 1


@pytest.mark.parametrize("unit", ["nginx.service", "systemd-networkd-wait-online.service", "docker.service"])
@pytest.mark.parametrize("prefix", _JOURNAL_PREFIXES)
def test_another_units_failed_start_job_in_the_catalog_is_no_crash(prefix: str, unit: str) -> None:
    catalog = _catalog(_START_JOB_FAILED, unit, 4242, [True] * 6)
    text = _journal(prefix, [(*_ROUTINE, ()), ("systemd[1]", f"Failed to start {unit}.", catalog)])
    document = document_of(text)
    assert "crash" not in issue_kinds(document)[0]
    assert not [warning for warning in _skipped(document) if "░" in warning]


# ------------------------------------------------------------------ 2. sha256sum's bare checksum warning

_VERSIONS = st.builds(lambda a, b, c: f"1.{a}.{b}", st.integers(20, 96), st.integers(0, 9), st.just(0))
_ARCHES = st.sampled_from(("amd64", "arm64", "arm", "386", "riscv64"))
_DOWNLOADS = (
    "$ curl -fsSLO https://pkgs.tailscale.com/stable/tailscale_{version}_{arch}.tgz",
    "$ wget -q https://pkgs.tailscale.com/unstable/tailscale_{version}_{arch}.tgz",
    "Downloading https://pkgs.tailscale.com/stable/tailscale_{version}_{arch}.tgz",
    "$ curl -fsSL https://tailscale.com/install.sh | sh",
    "Run tailscale/github-action@v2",
    "tailscale_{version}_{arch}.tgz: FAILED",
    "#7 2.31 tailscale_{version}_{arch}.deb: FAILED",
)
_BETWEEN = (
    "  % Total    % Received % Xferd  Average Speed   Time    Time     Time  Current",
    '$ echo "$SHA256SUM  tailscale.tgz" | sha256sum -c',
    "",
    "Saving to: 'tailscale.tgz'",
)
_WARNINGS = (
    "sha256sum: WARNING: {n} computed checksum{s} did NOT match",
    "shasum: WARNING: {n} computed checksum{s} did NOT match",
    "#7 2.32 sha256sum: WARNING: {n} computed checksum{s} did NOT match",
)


def _checksum_warning(template: str, n: int) -> str:
    return template.format(n=n, s="" if n == 1 else "s")


@settings(max_examples=80, deadline=None)
@given(
    st.sampled_from(_DOWNLOADS),
    _VERSIONS,
    _ARCHES,
    st.lists(st.sampled_from(_BETWEEN), max_size=4),
    st.sampled_from(_WARNINGS),
    st.integers(min_value=1, max_value=12),
)
def test_a_bare_checksum_warning_next_to_a_tailscale_download_is_install_failed(
    download: str, version: str, arch: str, between: list[str], template: str, n: int
) -> None:
    warning = _checksum_warning(template, n)
    if "FAILED" in download:
        between = []  # sha256sum prints its summary right under the files that failed
    text = "\n".join([download.format(version=version, arch=arch), *between, warning]) + "\n"
    document = document_of(text)
    assert issue_kinds(document) == ({"install-failed"}, 1), text
    finding = _finding(document, "TS-CLI-INSTALL-FAILED")
    # under the named file's "FAILED" line the finding is that line's (batch 30), the warning one message with it
    named = download.format(version=version, arch=arch).split(": FAILED")[0].split()[-1] if "FAILED" in download else ""
    assert (named or f"{n} computed checksum") in finding["cause"]
    assert "pkgs.tailscale.com" in finding["fix"]
    assert any((named or warning) in line["text"] for line in finding["evidence"])


@pytest.mark.parametrize("template", _WARNINGS)
@pytest.mark.parametrize(
    "around",
    [
        (),  # alone
        ("$ curl -fsSLO https://nodejs.org/dist/v20.11.0/node-v20.11.0-linux-x64.tar.xz",),
        ("go1.22.0.linux-amd64.tar.gz: FAILED",),
        ("$ sha256sum -c SHA256SUMS", "ubuntu-24.04-live-server-amd64.iso: FAILED"),
        ("I read about tailscale yesterday and then verified my ISO",),
    ],
)
def test_a_bare_checksum_warning_with_nothing_tailscale_around_it_is_no_finding(
    around: tuple[str, ...], template: str
) -> None:
    document = document_of("\n".join([*around, _checksum_warning(template, 1)]) + "\n")
    assert "install-failed" not in issue_kinds(document)[0]
    assert "TS-CLI-INSTALL-FAILED" not in {finding["rule"] for finding in document["findings"]}


# ------------------------------------------------------------------ 5. any command at a BusyBox prompt

_BUSYBOX_DIRS = ("/", "/app", "~", "/data", "/var/lib/tailscale", "/etc/tailscale", "~/work")
_NOTE_OPENERS = ("where", "its", "the", "set", "this", "holds", "see", "shows", "note", "contains", "is", "default")
# a command's name: lowercase, digits and -_.+ after the first letter (rc-update, python3, jq, nft, ip6tables)
# (not an English word that opens a note: text.py's lists of them)
_command_names = st.from_regex(r"[a-z][a-z0-9_+-]{0,10}[a-z0-9]", fullmatch=True).filter(
    lambda name: name not in _NOTE_WORDS and name not in _PROSE_WORDS
)
_arguments = st.lists(st.from_regex(r"(?:-{1,2}[a-z]+|[a-z0-9./=_-]{1,12})", fullmatch=True), max_size=3)
_TAILSCALE_PATHS = ("tailscale", "./tailscale", "/usr/bin/tailscale", "/usr/local/bin/tailscale", "bin/tailscale")


@settings(max_examples=120, deadline=None)
@given(st.sampled_from(_BUSYBOX_DIRS), _command_names, _arguments, st.integers(min_value=1, max_value=3))
def test_any_command_name_after_a_busybox_prompt_is_a_typed_command(
    directory: str, name: str, arguments: list[str], offline: int
) -> None:
    typed = " ".join([name, *arguments])
    rows = [f"100.64.0.{n}   peer-{n}   user@   linux   offline" for n in range(2, 2 + offline)]
    text = "\n".join(
        [f"{directory} # {typed}", f"{directory} # tailscale status", "100.64.0.1   box   user@   linux   -", *rows]
    )
    document = document_of(text + "\n")
    assert [block["kind"] for block in document["blocks"]] == ["status"], text
    assert [peer["offline"] for peer in document["peers"]] == [False] + [True] * offline
    assert not _skipped(document), (text, document["warnings"])  # the first line is a prompt, not an unread line


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(_BUSYBOX_DIRS), st.sampled_from(_TAILSCALE_PATHS), st.sampled_from(("up", "login", "up --ssh")))
def test_a_tailscale_path_after_a_busybox_prompt_is_the_typed_command(directory: str, binary: str, sub: str) -> None:
    text = f"{directory} # {binary} {sub}\n\nTo authenticate, visit:\n\n\thttps://login.tailscale.com/a/cae2d9c2019d\n"
    document = document_of(text)
    assert "TS-STATUS-NOT-RUNNING" in {finding["rule"] for finding in document["findings"]}, text
    assert not _skipped(document), (text, document["warnings"])


@settings(max_examples=60, deadline=None)
@given(
    st.sampled_from(_BUSYBOX_DIRS),
    st.sampled_from(_NOTE_OPENERS),
    st.lists(st.sampled_from(("state", "lives", "here", "FLAGS", "file", "of", "node", "keys")), max_size=4),
)
def test_a_path_annotated_in_prose_is_no_prompt(directory: str, opener: str, words: list[str]) -> None:
    from opskit.core.diagnose.text import prompt_command

    line = " ".join([f"{directory} #", opener, *words])
    assert prompt_command(line) is None, line
    for heading in (f"# {opener} {' '.join(words)}", f"## Tailscale {opener}"):
        assert prompt_command(heading) is None, heading


# ------------------------------------------------------------------ 3. a map response the client cannot decode

_GO_TYPES = ("string", "number", "bool", "array", "object")
_FIELDS = ("MapResponse.Peers", "Node.Capabilities", "MapResponse.DNSConfig", "Node.Addresses", "MapResponse.Debug")
_decode_errors = st.one_of(
    st.builds(
        "response: json: cannot unmarshal {} into Go struct field {} of type {}".format,
        st.sampled_from(_GO_TYPES),
        st.sampled_from(_FIELDS),
        st.sampled_from(("[]*tailcfg.Node", "int64", "tailcfg.NodeCapMap", "string", "netip.Prefix")),
    ),
    st.builds(
        "response: invalid character {!r} looking for beginning of value".format,
        st.sampled_from(("<", "\\x00", "H", "}")),
    ),
    st.just("response: unexpected end of JSON input"),
    st.just("magic number mismatch"),
    st.just("%!v(MISSING)"),  # v1.20-v1.58 logged the format without its argument
)
_MAP_POLL_NOISE = (
    "control: [v1] mapRoutine: backoff: 990 msec",
    "health(warnable=not-in-map-poll): error: Unable to connect to the Tailscale coordination server.",
    'health("overall"): error: not in map poll',
    "control: [v1] mapRoutine: state:authenticated",
    "control: [v1] netmap: read size 2315 after 14ms",
)
_DECODED = (
    "control: [v1] mapRoutine: netmap received: state:synchronized",
    "netmap diff:",
    "Switching ipn state Starting -> Running (WantRunning=true, nm=true)",
)
_MAP_PREFIXES = {"bare": "{msg}", "journal": LOG_PREFIXES[1], "go": LOG_PREFIXES[2], "compose": LOG_PREFIXES[3]}


def _decode_run(error: str, noise: list[str], repeats: int) -> list[str]:
    run = []
    for _ in range(repeats):
        run += ["control: [v1] netmap: read body after 120ms", f"control: [v1] netmap: decode error: {error}", *noise]
    return run


@pytest.mark.parametrize("prefix_name", sorted(_MAP_PREFIXES))
@settings(max_examples=25, deadline=None)
@given(_decode_errors, st.lists(st.sampled_from(_MAP_POLL_NOISE), max_size=3), st.integers(min_value=1, max_value=3))
def test_a_map_response_the_client_cannot_decode_is_control_too_old(
    prefix_name: str, error: str, noise: list[str], repeats: int
) -> None:
    messages = _decode_run(error, noise, repeats)
    document = document_of(paste_lines(_MAP_PREFIXES[prefix_name], *messages))
    assert issue_kinds(document) == ({"control-too-old"}, 1), messages
    finding = _finding(document, "TS-LOG-CONTROL-TOO-OLD")
    assert f"netmap: decode error: {error}" in finding["cause"]
    assert "cannot decode the map" in finding["cause"]
    assert "Headscale" in finding["fix"]


@pytest.mark.parametrize("prefix_name", sorted(_MAP_PREFIXES))
@settings(max_examples=25, deadline=None)
@given(_decode_errors, st.lists(st.sampled_from(_MAP_POLL_NOISE[:1]), max_size=1), st.sampled_from(_DECODED))
def test_a_decode_error_followed_by_a_decoded_map_is_transient(
    prefix_name: str, error: str, noise: list[str], decoded: str
) -> None:
    messages = [*_decode_run(error, noise, 1), "control: [v1] netmap: read body after 98ms", decoded]
    document = document_of(paste_lines(_MAP_PREFIXES[prefix_name], *messages))
    assert issue_kinds(document) == (set(), 0), messages


@pytest.mark.parametrize("error", ["unexpected EOF", "context canceled"])
def test_a_cut_map_stream_stays_routine(error: str) -> None:
    messages = _decode_run(error, [], 2)
    document = document_of(paste_lines(_MAP_PREFIXES["go"], *messages))
    assert issue_kinds(document) == (set(), 0), messages
