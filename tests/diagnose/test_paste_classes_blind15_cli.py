"""Generated tests for the CLI classes blind batch 15 missed (corpus 673, 683, 705, 781, 782), on variants:

- `tailscale status` rows whose host column is a placeholder the poster typed in place of a name, spaces
  and all (`<this machine>`, `[my laptop]`): read as one host, the self row first, every column kept;
- before LocalAPI (<= 1.2) clients dialled tailscaled through safesocket: the old Windows GUI's "Tailscale
  service is not running." over the dial error it got (`safesocket.Connect: dial tcp 127.0.0.1:41112: …
  refused`) is one GUI message (`gui-cannot-connect`, its cause naming the refused dial); the CLI's "Failed
  to connect to connect to tailscaled. (safesocket.Connect: …)" is `service-not-running`;
- Taildrop answered by a tailscaled without PeerAPI (1.6-1.18 "peerapi disabled[; no storage configured]",
  1.20-1.56 "peerapi unavailable; not listening"), also in 1.4-1.18's client wording "HTTP 500 Internal
  Server Error: <body>" with its "(expected 200)" tail on the next line: `taildrop-failed`, not "not running";
- installing or updating Tailscale as a systemd system extension (Steam Deck/SteamOS scripts, Flatcar, atomic
  desktops) failing: systemctl's "Job for systemd-sysext.service failed …" (after an installer's progress
  text, retyped), the unit's journal ("Hierarchy /usr is already merged", "Failed with result", "Failed to
  start Merge System Extension Images into /usr/"), bare or under journald stamps: `install-failed` (with the
  unmerge advice when the journal says a hierarchy is merged), never `service-not-running`; Tailscale's
  install script (scripts/installer.sh) stopping before it installed anything is the same kind, with the
  message's own cause and fix (cli_catalog/installer.py).
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from opskit.core.diagnose.cli_catalog import Refusal, find_refusal, installer
from opskit.core.diagnose.windows import is_windows_error_line, normalise_error_text
from opskit.output.diagnose import to_json
from tests.diagnose.conftest import cli_kinds, run_json, run_text

# --------------------------------------------------------------------------- placeholder host names

PLACEHOLDERS = ["<this machine>", "<my laptop>", "<redacted hostname>", "[this host]", "<hostname>", "[redacted]"]
OWNERS = ["private", "jane@", "tagged-devices", "Jane Doe"]
OS_NAMES = ["linux", "windows", "macOS", "android"]
CELLS = [
    ("-", "idle", None, None),
    ("offline", "offline", None, None),
    ('active; relay "fra", tx 4321 rx 1234', "derp", 4321, None),
    ("active; offers exit node; direct X.X.X.X:1234, tx 1332 rx 1452", "direct", 1332, "X.X.X.X:1234"),
    ("active; direct 203.0.113.7:41641, tx 99 rx 77", "direct", 99, "203.0.113.7:41641"),
]
FENCES = [("", ""), ("```\n", "```\n"), ("$ tailscale status\n", "")]


@settings(max_examples=60, deadline=None)
@given(
    self_name=st.sampled_from(PLACEHOLDERS),
    peer_name=st.sampled_from([*PLACEHOLDERS, "server1"]),
    owner=st.sampled_from(OWNERS),
    os_name=st.sampled_from(OS_NAMES),
    cell=st.sampled_from(CELLS),
    fence=st.sampled_from(FENCES),
    gap=st.sampled_from(["  ", "      ", "\t"]),
)
def test_placeholder_host_names_are_read_whole(
    self_name: str,
    peer_name: str,
    owner: str,
    os_name: str,
    cell: tuple[str, str, int | None, str | None],
    fence: tuple[str, str],
    gap: str,
) -> None:
    text, path, tx, endpoint = cell
    if peer_name == self_name:
        peer_name = "server1"
    paste = (
        f"{fence[0]}100.64.0.1{gap}{self_name}{gap}{owner}{gap}{os_name}{gap}-\n"
        f"100.64.0.2{gap}{peer_name}{gap}{owner}{gap}{os_name}{gap}{text}\n"
        f"100.64.0.4{gap}raspi{gap}{owner}{gap}{os_name}{gap}offline\n{fence[1]}"
    )
    peers = {p["name"]: p for p in run_json(paste)["peers"]}
    assert set(peers) == {self_name, peer_name, "raspi"}, paste
    me = peers[self_name]
    assert me["self"] is True and me["ip"] == "100.64.0.1" and me["os"].lower() == os_name.lower()
    peer = peers[peer_name]
    assert peer["self"] is False and peer["ip"] == "100.64.0.2"
    assert peer["path"] == path and peer["tx"] == tx and peer["endpoint"] == endpoint
    assert peers["raspi"]["path"] == "offline"


# --------------------------------------------------------------------------- pre-LocalAPI safesocket dials

DIALS = [
    "dial tcp 127.0.0.1:41112: connectex: No connection could be made because the target machine actively refused it.",
    "dial tcp 127.0.0.1:41112: connect: connection refused",
    "dial unix /var/run/tailscale/tailscaled.sock: connect: no such file or directory",
]
GUI_LAYOUTS = [
    "Tailscale service is not running.\nsafesocket.Connect: {dial}\n",
    "Tailscale service is not running.\n\nsafesocket.Connect: {dial}\n",
    "> Tailscale service is not running.\n> safesocket.Connect: {dial}\n",
    "```\nTailscale service is not running.\nsafesocket.Connect: {dial}\n```\n",
    "Tailscale service is not running. safesocket.Connect: {dial}\n",
    "Tailscale service is not running\n",
]
CLI_LAYOUTS = [
    "Failed to connect to connect to tailscaled. (safesocket.Connect: {dial})\n",
    "2020/09/23 10:11:12 Failed to connect to connect to tailscaled. (safesocket.Connect: {dial})\n",
    "PS C:\\> tailscale status\n2020/09/23 10:11:12 Failed to connect to connect to tailscaled. "
    "(safesocket.Connect: {dial})\n",
    "$ sudo tailscale up\nFailed to connect to tailscaled. (safesocket.Connect: {dial})\n",
]


@settings(max_examples=40, deadline=None)
@given(layout=st.sampled_from(GUI_LAYOUTS), dial=st.sampled_from(DIALS[:2]))  # the Windows GUI dialled TCP
def test_the_old_windows_gui_saying_the_service_is_not_running_is_one_gui_message(layout: str, dial: str) -> None:
    paste = layout.format(dial=dial)
    document = run_json(paste)
    assert cli_kinds(paste) == ["gui-cannot-connect"], paste
    assert document["summary"]["exit_code"] == 1
    if "{dial}" in layout:
        cause = " ".join(f["cause"] for f in document["findings"] if f["rule"] == "TS-WIN-SERVICE-NOT-RUNNING")
        assert "nothing listened" in cause and dial.split(": ")[0] in cause, cause


@settings(max_examples=30, deadline=None)
@given(layout=st.sampled_from(CLI_LAYOUTS), dial=st.sampled_from(DIALS))
def test_the_pre_localapi_cli_failing_to_dial_tailscaled_is_service_not_running(layout: str, dial: str) -> None:
    paste = layout.format(dial=dial)
    assert cli_kinds(paste) == ["service-not-running"], paste


def test_prose_saying_the_service_is_not_running_is_not_the_gui() -> None:
    for prose in (
        "I think the Tailscale service is not running after the update, any idea?",
        "Is the Tailscale service is not running bug fixed?",
    ):
        assert not is_windows_error_line(prose), prose


# --------------------------------------------------------------------------- Taildrop without PeerAPI

BODIES = ["peerapi disabled", "peerapi disabled; no storage configured", "peerapi unavailable; not listening"]
FILE_COMMANDS = [
    ("sudo tailscale file get /volume1/downloads/", "getting WaitingFiles: "),
    ("tailscale file get --wait .", "getting WaitingFiles: "),
    ("tailscale file get ~/Downloads", ""),
]
STATUS_FORMS = [
    "HTTP 500 Internal Server Error: {body}\n (expected 200)",
    "HTTP 500 Internal Server Error: {body}\n(expected 200)",
    "HTTP 500 Internal Server Error: {body} (expected 200)",
    "500 Internal Server Error: {body}",
    "expected 204 No Content; got HTTP 500 Internal Server Error: {body}",
]


@settings(max_examples=60, deadline=None)
@given(
    body=st.sampled_from(BODIES),
    command=st.sampled_from(FILE_COMMANDS),
    form=st.sampled_from(STATUS_FORMS),
    fence=st.sampled_from(FENCES),
)
def test_taildrop_answered_without_peerapi_is_taildrop_failed(
    body: str, command: tuple[str, str], form: str, fence: tuple[str, str]
) -> None:
    typed, wrapper = command
    paste = f"{fence[0]}$ {typed}\n{wrapper}{form.format(body=body)}\n{fence[1]}"
    diagnosis = run_text(paste)
    document = to_json(diagnosis, 1 if diagnosis.has_problems else 0)
    assert [e["kind"] for e in document["windows"]] == ["taildrop-failed"], paste
    assert document["summary"]["exit_code"] == 1
    finding = next(f for f in document["findings"] if f["rule"] == "TS-CLI-TAILDROP-FAILED")
    assert "PeerAPI" in finding["cause"] and "--statedir" in finding["fix"]
    assert not [w for w in diagnosis.warnings if "skipped" in w], diagnosis.warnings


def test_tailscaleds_own_peerapi_log_line_is_not_a_cli_refusal() -> None:
    for line in ("peerapi disabled; no state directory", "peerapi disabled; error making directory: mkdir x: EROFS"):
        assert not is_windows_error_line(line), line


# --------------------------------------------------------------------------- Tailscale sysext not merged

JOB_LINES = [
    "Job for systemd-sysext.service failed because the control process exited with error code.",
    "Job for systemd-sysext.se rvice failed because the control process exited with error code.",
    "Job for systemd-sysext.service failed.",
    "A dependency job for systemd-sysext.service failed. See 'journalctl -xe' for details.",
]
SEE = 'See "systemctl status systemd-sysext.service" and "journalctl -xeu systemd-sysext.service" for details.'
BEFORE = [
    "",
    "root permissions detected continuing...\nInstalling Tailscale: Getting version...got 1.50.1. Downloading...done. "
    "Installing...",
    "$ sudo bash tailscale.sh\n",
    "(deck@steamdeck ~)$ sudo systemctl restart systemd-sysext\n",
]
JOURNAL = [
    "",
    "Hierarchy /usr is already merged\nsystemd-sysext.service: Failed with result 'exit-code'\n"
    "Failed to start Merge System Extension Images into /usr/\n",
    "Dec 06 10:00:01 steamdeck systemd-sysext[812]: Hierarchy '/usr' is already merged.\n"
    "Dec 06 10:00:01 steamdeck systemd[1]: systemd-sysext.service: Failed with result 'exit-code'.\n"
    "Dec 06 10:00:01 steamdeck systemd[1]: Failed to start systemd-sysext.service - Merge System Extension Images "
    "into /usr/ and /opt/.\n",
    "Dec 06 10:00:01 steamdeck systemd[1]: Failed to start Merge System Extension Images into /usr/ and /opt/.\n",
]


@settings(max_examples=80, deadline=None)
@given(
    job=st.sampled_from(JOB_LINES),
    before=st.sampled_from(BEFORE),
    journal=st.sampled_from(JOURNAL),
    fence=st.sampled_from(FENCES[:2]),
    see_apart=st.booleans(),
)
def test_a_tailscale_system_extension_not_merged_is_install_failed(
    job: str, before: str, journal: str, fence: tuple[str, str], see_apart: bool
) -> None:
    see = f"\n{SEE}" if see_apart else f" {SEE}"
    paste = f"{fence[0]}{before}{job}{see}\n{journal}{fence[1]}"
    document = run_json(paste)
    kinds = {e["kind"] for e in document["windows"]}
    assert kinds == {"install-failed"}, (paste, kinds)
    assert document["summary"]["exit_code"] == 1
    finding = next(f for f in document["findings"] if f["rule"] == "TS-CLI-INSTALL-FAILED")
    assert "systemd-sysext" in finding["fix"] and "installer" in finding["fix"]
    if "already merged" in journal:
        assert "unmerge" in finding["fix"] and "still merged" in finding["cause"], finding


@settings(max_examples=20, deadline=None)
@given(journal=st.sampled_from(JOURNAL[1:]))
def test_the_sysext_journal_alone_is_install_failed(journal: str) -> None:
    assert {e["kind"] for e in run_json(journal)["windows"]} == {"install-failed"}, journal


def test_tailscaleds_own_job_failure_stays_service_not_running() -> None:
    paste = "Job for tailscaled.service failed because the control process exited with error code.\n" + SEE + "\n"
    assert {e["kind"] for e in run_json(paste)["windows"]} == {"service-not-running"}


def test_prose_about_system_extensions_is_not_an_install_failure() -> None:
    for prose in (
        "I installed it with systemd-sysext on my Steam Deck and it works",
        "How do I merge system extension images after an update?",
        "the branch is already merged upstream",
    ):
        assert not is_windows_error_line(prose), prose


INSTALL_COMMAND = "curl -fsSL https://tailscale.com/install.sh | sh"
INSTALLER_WAYS = {
    "prompt": "$ " + INSTALL_COMMAND + "\n{message}\n",
    "progress": "$ " + INSTALL_COMMAND + "\nInstalling Tailscale for ubuntu jammy, using method apt\n{message}\n",
    "fenced": "```\nroot@vps:~# " + INSTALL_COMMAND + "\n{message}\n```\n",
    "quoted": '"{message}"\n',
    "inline-code": "The script stops with `{message}` every time.\n",
    "crlf": "$ " + INSTALL_COMMAND + "\r\n{message}\r\n",
    "doubled-spaces": "$ " + INSTALL_COMMAND + "\n{doubled}\n",
}
INSTALLER_CASES = [
    pytest.param(refusal, text, id=f"{refusal.phrase[:20]}-{way}")
    for refusal in installer.REFUSALS
    for way, text in INSTALLER_WAYS.items()
]


@pytest.mark.parametrize(("refusal", "way"), INSTALLER_CASES)
def test_the_install_script_stopping_is_install_failed_with_its_own_cause(refusal: Refusal, way: str) -> None:
    paste = way.format(message=refusal.example, doubled=refusal.example.replace(" ", "  "))
    diagnosis = run_text(paste)
    document = to_json(diagnosis, 1 if diagnosis.has_problems else 0)
    assert [e["kind"] for e in document["windows"]] == ["install-failed"], paste
    assert document["summary"]["exit_code"] == 1
    found = find_refusal(normalise_error_text(refusal.example))
    assert found is not None and found[0] is refusal
    cause, fix = refusal.explain(found[1])
    assert any(cause in f.cause and fix in f.fix for f in diagnosis.findings), paste


def test_the_install_scripts_progress_and_advisories_are_not_failures() -> None:
    for line in (
        "Installing Tailscale for ubuntu jammy, using method apt",
        "Installation complete! Log in to start using Tailscale by running:",
        "Warning: Arch Linux maintains their own Tailscale package. Version pinning may not work as expected, "
        "as the target version may no longer be available.",
        "the installer reached pkgs.tailscale.com fine",
    ):
        assert not is_windows_error_line(line), line
