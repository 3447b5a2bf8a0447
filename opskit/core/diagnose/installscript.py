"""Parse a run of Tailscale's Linux install script (scripts/installer.sh, `curl -fsSL https://tailscale.com/install.sh
| sh`) as it prints its progress::

    Installing Tailscale for ubuntu noble, using method apt
    + sudo mkdir -p --mode=0755 /usr/share/keyrings
    …
    Installation complete! Log in to start using Tailscale by running:

    sudo tailscale up

The script (``set -eu``) says ``Installing Tailscale[ <version>] for <os>[ <version>], using method <method>`` before
it installs, runs the package manager's commands under ``set -x`` (each echoed ``+ <command>``, sudo/doas asking for a
password), may warn that a distribution ``maintains their own Tailscale package``, and only when every step worked
prints ``Installation complete! …`` and the login command (``$SUDO tailscale up``). Between the two lines is the
package manager's own output: all of it the one run that completed. Its refusals (cli_catalog/installer.py) are not
this view's: a run that stops with one never prints ``Installation complete!``, and the lines after its start that
are none of the script's progress end the view, so the refusal is read as install-failed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from opskit.core.diagnose.cli_catalog import find_refusal
from opskit.core.diagnose.lazyre import lazy_compile
from opskit.core.diagnose.text import SourceLine, is_elision_line

_STARTING = lazy_compile(
    r"^Installing Tailscale (?:(?P<version>\d[\w.+~-]*) )?for (?P<os>[\w.-]+)(?: (?P<os_version>[\w.-]+))?, "
    r"using method (?P<method>[\w-]+)$"
)
_COMPLETE = "Installation complete! Log in to start using Tailscale by running:"
# what the script prints between its start and its end: set -x's echo of a command, sudo's or doas's password prompt,
# a distribution's own-package advisory, the poster's elision
_PROGRESS = lazy_compile(
    r"^\++ \S|^\[sudo\] password for \S+:|^doas \(\S+\) password:"
    r"|^Warning: .+ maintains? their own Tailscale package\b"
)
# the login command the script echoes last ("$SUDO tailscale up"): the script's line, not a prompt, when nothing follows
_NEXT = re.compile(r"^(?:(?:sudo|doas) )?tailscale up$")
# how far the end may lie after the start: the package manager's output of one install
_MAX_RUN = 400


@dataclass(frozen=True)
class InstallScriptReport:
    """One run of the install script as its progress lines show it. None where the paste does not show the fact."""

    rule_target: ClassVar[str] = "install-script"
    os: str | None  # "ubuntu noble" (the script's $OS $VERSION)
    method: str | None  # the package type it used: apt, dnf, yum, zypper, pacman, apk, …
    version: str | None  # the version it was asked to install (TAILSCALE_VERSION), None for the track's newest
    complete: bool  # it printed "Installation complete!" (every step worked)
    next_step: str | None  # the login command it printed last ("sudo tailscale up")
    lines: tuple[SourceLine, ...]

    @property
    def layout(self) -> str:
        version = f" {self.version}" if self.version else ""
        target = f" for {self.os}" if self.os else ""
        method = f" via {self.method}" if self.method else ""
        done = "installed" if self.complete else "installing"
        next_step = f"; next: {self.next_step}" if self.next_step else ""
        return f"install script: {done}{version}{target}{method}{next_step}"

    def facts(self) -> dict[str, Any]:
        return {
            "os": self.os,
            "method": self.method,
            "version": self.version,
            "complete": self.complete,
            "next_step": self.next_step,
        }


def may_be_install_line(text: str) -> bool:
    """Cheap test for the splitter (every line meets it): ``text`` may start the install script's progress."""
    return text[:13] == "Installation " or text[:21] == "Installing Tailscale "


def _echoed_next(lines: Sequence[SourceLine], index: int) -> bool:
    """Whether ``lines[index]`` is the login command the script echoes (not one typed at a prompt: no prompt mark,
    and nothing printed under it; the splitter may take "sudo tailscale up" for a command)."""
    line = lines[index]
    if _NEXT.match(line.text) is None or (line.command is not None and line.text != line.command):
        return False
    after = next((later for later in lines[index + 1 :] if not later.is_blank), None)
    return after is None or after.command is not None


def _after_complete(lines: Sequence[SourceLine], complete: int) -> int:
    """The view's last index: the "Installation complete!" line, or the login command echoed under it."""
    for index in range(complete + 1, min(len(lines), complete + 4)):
        if lines[index].is_blank:
            continue
        return index if _echoed_next(lines, index) else complete
    return complete


def install_script_extent(lines: Sequence[SourceLine], start: int) -> int | None:
    """The index of the last line of the install script's run starting at ``lines[start]``, or None."""
    text = lines[start].text
    if text == _COMPLETE:
        return _after_complete(lines, start)
    if _STARTING.match(text) is None:
        return None
    # the script reached its end: everything between is that run's (set -eu: no step failed)
    for index in range(start + 1, min(len(lines), start + _MAX_RUN)):
        line = lines[index]
        if line.command is not None or (line.text and find_refusal(line.text) is not None):
            break  # another command, or the script (or the package manager) refusing: this run did not complete
        if line.text == _COMPLETE:
            return _after_complete(lines, index)
    # no end shown: only the script's own progress lines, so that whatever stopped it is read on its own
    end = start
    for index in range(start + 1, min(len(lines), start + _MAX_RUN)):
        line = lines[index]
        if line.command is not None:
            break
        if line.text and _PROGRESS.match(line.text) is None and not is_elision_line(line.text):
            break
        end = index if line.text else end
    return end


def parse_install_script(lines: Sequence[SourceLine]) -> InstallScriptReport:
    """The run's report."""
    os = method = version = next_step = None
    complete = False
    for line in lines:
        if (match := _STARTING.match(line.text)) is not None:
            os = " ".join(part for part in (match["os"], match["os_version"]) if part)
            method, version = match["method"], match["version"]
        elif line.text == _COMPLETE:
            complete = True
        elif complete and _NEXT.match(line.text) is not None:
            next_step = line.text
    return InstallScriptReport(os, method, version, complete, next_step, tuple(lines))
