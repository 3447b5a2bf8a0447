"""The CLI refusals catalog (opskit/core/diagnose/cli_catalog/): every entry is whole and reads its own message.

The per-family tests (test_cli_catalog_*.py) prove each family under the ways people paste; these tests hold
for every entry whoever wrote it, so an entry cannot be added that opskit would not then report.
"""

from __future__ import annotations

import string

from opskit.core.diagnose.cli_catalog import REFUSALS, find_refusal
from opskit.core.diagnose.models import CliErrorKind
from opskit.output.diagnose import to_json
from tests.diagnose.conftest import run_text


def test_every_entry_is_whole() -> None:
    for refusal in REFUSALS:
        assert refusal.phrase == refusal.phrase.lower() and len(refusal.phrase) >= 8, refusal
        assert refusal.phrase in refusal.example.lower(), refusal
        assert refusal.cause.strip() and refusal.fix.strip(), refusal
        # a file of Tailscale's repository (scripts/installer.sh: the Linux install script)
        # or the Android app's ("tailscale-android android/src/…"), or Android's own dialog about the app's VPN
        # ("AOSP packages/apps/VpnDialogs …": the always-on VPN that cannot connect)
        sources = (
            "cmd/", "ipn/", "feature/", "client/", "tsnet/", "control/", "scripts/", "tailscale-android ",
            "AOSP packages/apps/VpnDialogs ",
            # Android's package manager refusing the app's APK (adb install, pm install)
            "AOSP frameworks/base ",
            # the wrappers printing their own verdict on the CLI (cli_catalog/wrappers.py)
            "tailscale/github-action ", "hassio-addons/addon-tailscale ", "traefik/traefik ",
            # Headscale's admin CLI refusing to register a node key (blind 32: headscale-register-failed)
            "juanfont/headscale ",
            # the Tailscale SSH server's messages to the SSH client (cli_catalog/ssh_server.py)
            "ssh/tailssh/",
        )  # fmt: skip
        assert refusal.source.startswith(sources), refusal
        assert refusal.kind is not CliErrorKind.OTHER, refusal
        groups = set(refusal.pattern.groupindex)
        for text in (refusal.cause, refusal.fix):
            named = {field for _, field, _, _ in string.Formatter().parse(text) if field}
            assert named <= groups, (refusal, named - groups)


def test_every_entry_reads_its_example_as_its_kind() -> None:
    for refusal in REFUSALS:
        found = find_refusal(refusal.example)
        assert found is not None, refusal
        assert found[0].kind is refusal.kind, (refusal, found[0])


def test_every_example_pasted_alone_is_a_reported_refusal() -> None:
    for refusal in REFUSALS:
        diagnosis = run_text(f"{refusal.example}\n")
        document = to_json(diagnosis, 1 if diagnosis.has_problems else 0)
        kinds = [error["kind"] for error in document["windows"]]
        assert refusal.kind.value in kinds, (refusal.example, kinds)
        assert diagnosis.has_problems, refusal.example


def _said(text: str) -> list[str]:
    """What opskit says about a pasted message: each finding's cause and fix, in order."""
    return [f"{finding.cause} | {finding.fix}" for finding in run_text(text).findings]


def test_wrapping_a_message_in_quotes_or_code_changes_nothing_it_says() -> None:
    # A message's own values keep their quotes ("unix:/run/web.sock" with its closing one) however it was
    # wrapped: in inline code, in quotes, after "error:", or with a stray quote a cut selection left.
    wrappings = ("`{}`", '"{}"', "error: `{}`", "Error: {}", "{}`", "`{}")
    for refusal in REFUSALS:
        bare = _said(f"{refusal.example}\n")
        for wrapping in wrappings:
            assert _said(wrapping.format(refusal.example) + "\n") == bare, (wrapping, refusal.example)
