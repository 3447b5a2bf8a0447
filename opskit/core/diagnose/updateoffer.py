"""`tailscale update` saying the node is current while the same paste shows the package manager offering a newer
Tailscale (``update-not-offered``).

clientupdate/clientupdate.go (confirm) answers ``already running <track> version X; no update needed`` when the
latest version it found equals the installed one, and ``installed <track> version X is newer than the latest
available version Y; no update needed`` when it is older. Alone that is a routine answer (clianswers.py). Beside a
package manager's own listing of a newer tailscale package the updater's "latest" was wrong: v1.54's Alpine updater
(parseAlpinePackageVersion) took the first ``tailscale-X-rN`` line of ``apk info tailscale``, the installed package
when the index lists two (fixed later by taking the highest); other installs read a repository the package manager
does not use (a stale track, a pinned mirror). The node stays on X.

The package managers' listings read here (each names a version it offers): ``apk info``/``apk search``'s
``tailscale-<version>-r<N>``; ``apt-cache policy tailscale``'s ``Candidate: <version>``; ``apt list --upgradable``'s
``tailscale/<suite> <version> <arch> [upgradable from: …]``; ``dnf``/``yum`` ``list``/``check-update`` rows
``tailscale.<arch>  <version>-<release>  <repo>``; ``brew outdated --verbose``'s ``tailscale (<old>) < <new>``.
Pure functions.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from opskit.core.diagnose.models import CliError, CliErrorKind
from opskit.core.diagnose.text import SourceLine

_VERSION = r"(?P<version>\d+\.\d+\.\d+)"
_NO_UPDATE = re.compile(
    r"(?:already running (?P<track>\S+) version (?P<current>\d+\.\d+\.\d+)\S*"
    r"|installed (?P<track_newer>\S+) version (?P<current_newer>\d+\.\d+\.\d+)\S* is newer than the latest "
    r"available version \d+\.\d+\.\d+\S*); no update needed"
)
# (the package manager, its line naming a tailscale version it has)
_OFFERS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("apk", re.compile(rf"^tailscale-{_VERSION}-r\d+\b")),
    ("apt", re.compile(rf"^tailscale/\S+ (?:\d+:)?{_VERSION}\S* \S+ \[upgradable from: ")),
    ("dnf", re.compile(rf"^tailscale\.\w+\s+(?:\d+:)?{_VERSION}-\S+\s+\S+\s*$")),
    ("brew", re.compile(rf"^tailscale \([\d.]+\) < {_VERSION}\b")),
)
# apt-cache policy's candidate, under its "tailscale:" header (the lines between: "Installed: …")
_APT_POLICY_HEAD = "tailscale:"
_APT_CANDIDATE = re.compile(rf"^\s*Candidate: (?:\d+:)?{_VERSION}")
_APT_POLICY_SPAN = 3

_UPGRADE = {
    "apk": "`apk upgrade tailscale` (then `rc-service tailscale restart`)",
    "apt": "`sudo apt-get install --only-upgrade tailscale`",
    "dnf": "`sudo dnf upgrade tailscale` (or `yum update tailscale`)",
    "brew": "`brew upgrade tailscale`",
}


def _numbers(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))


def _offers(lines: Sequence[SourceLine]) -> list[tuple[str, str, SourceLine]]:
    """Every (package manager, version, line) the paste's package listings name for tailscale."""
    found = []
    for index, line in enumerate(lines):
        text = line.text.strip()
        if not text.startswith(("tailscale", "Candidate")) and "Candidate:" not in text:
            continue  # the cheap test: these listings open with the package's name
        for manager, pattern in _OFFERS:
            if (match := pattern.match(text)) is not None:
                found.append((manager, match.group("version"), line))
        if text == _APT_POLICY_HEAD:
            for below in lines[index + 1 : index + 1 + _APT_POLICY_SPAN]:
                if (candidate := _APT_CANDIDATE.match(below.text)) is not None:
                    found.append(("apt", candidate.group("version"), below))
    return found


def update_not_offered(lines: Sequence[SourceLine]) -> CliError | None:
    """`tailscale update`'s "no update needed" in ``lines`` (the paste's lines) beside a package listing that names a
    newer tailscale, as ``update-not-offered``; None when either is missing."""
    found = next(
        ((line, said) for line in lines if "no update needed" in line.text and (said := _NO_UPDATE.search(line.text))),
        None,
    )
    if found is None:
        return None
    answer, said = found
    current = said.group("current") or said.group("current_newer")
    track = said.group("track") or said.group("track_newer")
    newer = [(m, v, line) for m, v, line in _offers(lines) if _numbers(v) > _numbers(current)]
    if not newer:
        return None
    manager, version, offer = max(newer, key=lambda found: _numbers(found[1]))
    alpine = (
        " On Alpine, `tailscale update` of that time read the first `tailscale-X-rN` line of `apk info tailscale` as "
        "the latest version: with two packages listed that is the installed one."
        if manager == "apk"
        else ""
    )
    cause = (
        f"`tailscale update` says this node already has the latest {track} version ({current}), but the paste's "
        f"{manager} listing offers tailscale {version} (line {offer.number}): the updater read the wrong 'latest', "
        f"so nothing was updated and the node stays on {current}.{alpine}"
    )
    fix = (
        f"Update through the package manager: {_UPGRADE[manager]}, then check `tailscale version`; a later "
        "Tailscale's `tailscale update` reads the listing correctly."
    )
    return CliError(
        CliErrorKind.UPDATE_NOT_OFFERED, answer, detail=f"{current} < {version} ({manager})", explanation=(cause, fix)
    )
