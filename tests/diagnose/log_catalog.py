"""The harness the tailscaled log source catalogs share (network/control, services).

A catalog entry is one or more messages as tailscaled logs them, the issues an expert reads from them (none for a
routine line) and where the wording comes from. Each entry is pasted under the line prefixes people paste, after a
routine "logtail started" line so that the paste is a tailscaled log, and a lone message twice (a single disco
timeout or DERP drop is routine: the recognisers want a repeat).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from opskit.errors import InputError
from tests.diagnose.conftest import run_json

# A paste's line prefixes: the message goes where {msg} is.
LOG_PREFIXES = (
    "{msg}",
    "Nov 13 02:07:34 host tailscaled[11844]: {msg}",
    "2024/01/12 10:41:06 {msg}",
    "tailscale-1  | 2024/01/12 10:41:06 {msg}",
    "2024-04-30T03:52:44.875476938-04:00 2024/04/30 07:52:44 {msg}",
    "Thu Oct 17 18:02:08 2024 daemon.err tailscaled[5930]: 2024/10/17 10:02:08 {msg}",
    "2022-11-06 18:09:07.789407752 +0000 UTC: {msg}",
    "2023-05-27 01:02:04.758978-0400  localhost tailscaled[19332]: {msg}",
)

# (messages, issues an expert reads, source file and versions)
Entry = tuple[tuple[str, ...], frozenset[str], str]
Reading = tuple[set[str], int]


def entry(messages: str | tuple[str, ...], kinds: str, source: str) -> Entry:
    """One catalog entry; `kinds` is a space-separated list of issue kinds, or "none"."""
    lines = (messages,) if isinstance(messages, str) else messages
    return lines, frozenset(kinds.split()) if kinds != "none" else frozenset(), source


def paste(prefix: str, messages: tuple[str, ...], *, start: str | None = "logtail started") -> str:
    """The messages under `prefix` (a lone one twice), after a routine `start` line unless it is None."""
    lines = [prefix.format(msg=start)] if start is not None else []
    for message in messages:
        # a multi-line message (a goroutine dump, apt's output) keeps its continuation lines bare
        first, *rest = message.split("\n")
        lines += [prefix.format(msg=first), *rest] * (2 if len(messages) == 1 else 1)
    return "\n".join(lines) + "\n"


def paste_lines(prefix: str, *messages: str, start: str = "logtail started") -> str:
    """Each message once under `prefix`, after a routine `start` line (the log a generated variant is read in)."""
    return "\n".join(prefix.format(msg=m) for m in (start, *messages)) + "\n"


def paste_messages(prefix: str, *messages: str) -> str:
    """Each message once under `prefix`, nothing before them."""
    return "\n".join(prefix.format(msg=message) for message in messages) + "\n"


def document_of(text: str) -> dict[str, Any]:
    """The JSON document of a paste, or, when nothing in it was recognised (exit 2), an empty one with that exit code
    (so that a test can say what the paste does not read as)."""
    try:
        return run_json(text)
    except InputError:
        empty: dict[str, Any] = {key: [] for key in ("daemon_logs", "windows", "findings", "warnings", "blocks")}
        return {**empty, "peers": [], "pings": [], "summary": {"exit_code": 2}}


def log_kinds(document: dict[str, Any]) -> set[str]:
    """The kinds of every issue of every tailscaled log a report names."""
    return {issue["kind"] for issue in log_issues(document)}


def exit_code(document: dict[str, Any]) -> int:
    return int(document["summary"]["exit_code"])


def finding_rules(document: dict[str, Any]) -> set[str]:
    return {finding["rule"] for finding in document["findings"]}


def log_issues(document: dict[str, Any]) -> list[dict[str, Any]]:
    """Every issue of every tailscaled log a report names, in order."""
    return [issue for log in document["daemon_logs"] for issue in log["issues"]]


def issue_kinds(document: dict[str, Any]) -> Reading:
    """The issues and CLI kinds a report names (hand-started aside: the prefixes decide it) and its exit code."""
    kinds = {issue["kind"] for log in document["daemon_logs"] for issue in log["issues"]}
    kinds |= {window["kind"] for window in document["windows"]}
    return kinds - {"hand-started"}, document["summary"]["exit_code"]


def read(prefix: str, messages: tuple[str, ...]) -> Reading:
    """How opskit reads the entry's messages pasted under `prefix`."""
    return issue_kinds(run_json(paste(prefix, messages)))


def expected_reading(expected: frozenset[str], not_problems: frozenset[str]) -> Reading:
    """The reading an expert expects: the issues, and exit 1 when any of them is a problem."""
    return set(expected), 1 if expected - not_problems else 0


def rotating_cases(
    catalog: Sequence[Entry], prefixes: Sequence[str], not_problems: frozenset[str], *, always: int = 2
) -> list[Any]:
    """Every entry under prefixes[always] (the Go log stamp) and one more prefix, in turn, as catalog_test params."""
    return [
        pytest.param(prefix, item, not_problems, id=f"{index:03d}-{p}")
        for index, item in enumerate(catalog)
        for p, prefix in enumerate(prefixes)
        if p % 4 == index % 4 or p == always
    ]


CatalogTest = Callable[[str, Entry, frozenset[str]], None]


def catalog_test(cases: Sequence[Any], reader: Callable[..., Reading] = read) -> CatalogTest:
    """The generated test every catalog shares: each case's entry, pasted under its prefix, reads as an expert reads
    it (the issues, and exit 1 when one of them is not in the case's not-problems).

    `cases` are (prefix, entry, not_problems) params, as rotating_cases gives them; a module names the test by
    assigning it: `test_each_catalog_message_reads_as_an_expert_reads_it = catalog_test(CASES)`.
    """

    @pytest.mark.parametrize(("prefix", "entry", "not_problems"), cases)
    def test(prefix: str, entry: Entry, not_problems: frozenset[str]) -> None:
        messages, expected, source = entry
        assert reader(prefix, messages) == expected_reading(expected, not_problems), (source, messages)

    return test


# A drawn variant of a log family: (message, kind, key, what the finding must quote), then the rule and words of its
# fix when the family names them itself (else variant_family_test looks them up by kind and key).
Variant = tuple[str, ...]
VariantFamilies = Mapping[str, Callable[[], st.SearchStrategy[Variant]]]
GeneratedTest = Callable[..., None]


def variant_family_test(
    prefixes: Mapping[str, str],
    families: VariantFamilies,
    *,
    rules: Mapping[str, str] | None = None,
    fixes: Mapping[str, str] | None = None,
    sole_issue: bool = False,
    never: Collection[str] = (),
    max_examples: int = 12,
) -> GeneratedTest:
    """The generated test a log vocabulary shares: a variant drawn from each family, pasted once under each prefix,
    raises its issue with its key (the paste's only issue when `sole_issue`), one finding of its rule (`rules` by
    kind) that quotes the variant's words, names its fix (`fixes` by key) and cites the line, none of the `never`
    kinds, and exit 1. A module names the test by assigning it, as with catalog_test."""

    @pytest.mark.parametrize("prefix_name", sorted(prefixes))
    @pytest.mark.parametrize("family", sorted(families))
    @settings(max_examples=max_examples, deadline=None)
    @given(data=st.data())
    def test(family: str, prefix_name: str, data: st.DataObject) -> None:
        message, kind, key, quote, *named = data.draw(families[family]())
        rule, fix = named if named else ((rules or {})[kind], (fixes or {}).get(key))
        document = run_json(paste_lines(prefixes[prefix_name], message))
        issues = log_issues(document)
        if sole_issue:
            assert [(issue["kind"], issue["about"]) for issue in issues] == [(kind, key)], (message, issues)
        else:
            assert [issue["about"] for issue in issues if issue["kind"] == kind] == [key], (message, issues)
        findings = [finding for finding in document["findings"] if finding["rule"] == rule]
        assert len(findings) == 1, [finding["rule"] for finding in document["findings"]]
        assert quote in findings[0]["cause"], findings[0]["cause"]
        assert fix is None or fix in findings[0]["fix"], findings[0]["fix"]
        assert any(message in line["text"] for line in findings[0]["evidence"])
        assert document["summary"]["exit_code"] == 1
        assert not {issue["kind"] for issue in issues} & set(never), (message, issues)

    return test


def message_run_family_test(
    prefixes: Mapping[str, str], families: VariantFamilies, *, max_examples: int = 8
) -> GeneratedTest:
    """variant_family_test for families whose variant is a run of lines with everything it names:
    (messages, kind, key, quote, rule, fix, cause). The run, pasted under each prefix, raises exactly that issue and
    key, one finding of the rule whose cause quotes the words and says the cause, names the fix, cites the run's last
    line, and exit 1."""

    @pytest.mark.parametrize("prefix_name", sorted(prefixes))
    @pytest.mark.parametrize("family", sorted(families))
    @settings(max_examples=max_examples, deadline=None)
    @given(data=st.data())
    def test(family: str, prefix_name: str, data: st.DataObject) -> None:
        messages, kind, key, quote, rule, fix, cause = data.draw(families[family]())
        document = run_json(paste_lines(prefixes[prefix_name], *messages))
        assert {(issue["kind"], issue["about"]) for issue in log_issues(document)} == {(kind, key)}, (
            messages,
            document,
        )
        findings = [finding for finding in document["findings"] if finding["rule"] == rule]
        assert len(findings) == 1, [finding["rule"] for finding in document["findings"]]
        assert quote in findings[0]["cause"] and cause in findings[0]["cause"], findings[0]["cause"]
        assert fix in findings[0]["fix"], findings[0]["fix"]
        assert any(messages[-1] in line["text"] for line in findings[0]["evidence"])
        assert document["summary"]["exit_code"] == 1

    return test


def routine_lines_test(prefixes: Mapping[str, str], lines: Sequence[str]) -> GeneratedTest:
    """The generated test of a vocabulary's routine lines: each, logged twice under each prefix, raises nothing."""

    @pytest.mark.parametrize("prefix_name", sorted(prefixes))
    @pytest.mark.parametrize("line", lines)
    def test(prefix_name: str, line: str) -> None:
        document = run_json(paste_lines(prefixes[prefix_name], line, line))
        assert log_issues(document) == [], log_issues(document)
        assert document["summary"]["exit_code"] == 0

    return test


def prose_lines_test(prefix: str, lines: Sequence[str], rules: Collection[str]) -> GeneratedTest:
    """The generated test of a vocabulary's words in prose: each line, written under a routine log line, raises no
    issue and no finding of the vocabulary's `rules`."""

    @pytest.mark.parametrize("line", lines)
    def test(line: str) -> None:
        document = run_json(paste_lines(prefix, "magicsock: home is now derp-4 (fra)") + line + "\n")
        assert log_issues(document) == [], log_issues(document)
        assert not any(finding["rule"] in rules for finding in document["findings"])

    return test


def entries_read_right(
    catalog: Iterable[Entry],
    prefixes: Sequence[str],
    not_problems: frozenset[str],
    reader: Callable[..., Reading] = read,
) -> int:
    """How many entries read as expected under every prefix (the figure reported before and after a change)."""
    return sum(
        all(reader(prefix, messages) == expected_reading(expected, not_problems) for prefix in prefixes)
        for messages, expected, _ in catalog
    )


def misreadings(
    catalog: Iterable[Entry],
    prefixes: Sequence[str],
    not_problems: frozenset[str],
    reader: Callable[..., Reading] = read,
    label: str = "",
) -> list[str]:
    """Each entry read wrong, under the first prefix that reads it wrong, with what was read (a developer's run)."""
    out = []
    for messages, expected, _ in catalog:
        for prefix in prefixes:
            got = reader(prefix, messages)
            if got != expected_reading(expected, not_problems):
                out.append(f"{label}{messages[-1][:90]!r} under {prefix[:30]!r}: {sorted(got[0])} exit {got[1]}")
                break
    return out


# Where else tailscaled's (and the apps') lines are pasted from: each platform's log viewer or log file, by name.
# (Tabs of a viewer's columns are kept: text.py makes them spaces, as a paste into a web form does.)
PLATFORM_PREFIXES: dict[str, str] = {
    # Windows: the service's log file under C:\ProgramData\Tailscale\Logs (log/filelogger: local time with its
    # offset, or Z), Event Viewer's "Save All Events As" text, PowerShell's Get-WinEvent / Get-EventLog tables and
    # their `Format-List` form (the message on the "Message :" line)
    "windows-logfile": "2024-01-12T10:41:06.123-08:00: {msg}",
    "windows-logfile-utc": "2024-01-12T18:41:06.123Z: {msg}",
    "eventviewer-text": "Information\t1/12/2024 10:41:06 AM\tTailscale\t1\tNone\t{msg}",
    "get-winevent-table": "1/12/2024 10:41:06 AM                1 Information      {msg}",
    "get-eventlog-table": "   12345 Jan 12 10:41  Information Tailscale                       1 {msg}",
    "winevent-list": "Message      : {msg}",
    # macOS: `log show` / `log stream` default and compact styles, Console.app's copy (with its subsystem and
    # category columns too), an iOS sysdiagnose's logarchive shown the same way
    "log-show-default": "2024-01-12 10:41:06.123456-0800 0x1a2b3c   Default     0x0                  512    0    "
    "IPNExtension: {msg}",
    "log-show-compact": "2024-01-12 10:41:06.123 Df IPNExtension[512:1a2b3c] {msg}",
    "log-show-compact-subsystem": "2024-01-12 10:41:06.123 Df IPNExtension[512:1a2b3c] "
    "[io.tailscale.ipn.macsys.network-extension:default] {msg}",
    "console-copy": "default\t10:41:06.895744-0800\tio.tailscale.ipn.macsys.network-extension\t{msg}",
    "console-copy-subsystem": "default\t10:41:06.895744-0800\tIPNExtension\tio.tailscale.ipn.macsys.network-extension"
    "\tdefault\t{msg}",
    "ios-sysdiagnose": "2024-01-12 10:41:06.123456+0100 0x2c4d1    Default     0x0                  388    0    "
    "IPNExtension: {msg}",
    "brew-services-log": "2024/01/12 10:41:06 {msg}",
    # routers and NAS: OpenWrt logread (no Go stamp when the init script logs through procd), BusyBox syslogd,
    # Synology DSM 7's /var/log/messages, FreeBSD/pfSense syslog
    "openwrt-logread": "Fri Jan 12 10:41:06 2024 daemon.err tailscaled[5930]: {msg}",
    "openwrt-logread-notice": "Fri Jan 12 10:41:06 2024 daemon.notice tailscaled[5930]: {msg}",
    "busybox-syslog": "Jan 12 10:41:06 router daemon.info tailscaled[5930]: {msg}",
    "synology-messages": "2024-01-12T10:41:06+01:00 DiskStation tailscaled[10922]: {msg}",
    "freebsd-syslog": "Jan 12 10:41:06 pfSense tailscaled[81234]: {msg}",
    # containers: docker logs --timestamps, kubectl logs --prefix (and --timestamps), podman logs -t
    "docker-timestamps": "2024-01-12T10:41:06.123456789Z 2024/01/12 10:41:06 {msg}",
    "kubectl-prefix": "[pod/ts-xyz-0/tailscale] 2024/01/12 10:41:06 {msg}",
    "kubectl-prefix-timestamps": "[pod/ts-xyz-0/tailscale] 2024-01-12T10:41:06.123456789Z 2024/01/12 10:41:06 {msg}",
    "podman-timestamps": "2024-01-12T10:41:06.123456789+00:00 2024/01/12 10:41:06 {msg}",
}
