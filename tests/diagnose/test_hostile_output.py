"""Pasted text is outside text: markup, ESC sequences and bidi overrides in it are shown, never obeyed."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings

from tests.support.hostile import hostile_text, terminal_safe

SAMPLES = Path(__file__).parent / "samples"


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(junk=hostile_text, label=hostile_text)
def test_hostile_paste_and_label_render_terminal_safe(cli: Any, junk: str, label: str) -> None:
    text = (SAMPLES / "status" / "direct-and-relay-tor-mixed.txt").read_text()
    # The hostile text lands in a host name (shown in tables) and in an evidence line (shown in panels).
    junk_name = "".join(ch for ch in junk if not ch.isspace()) or "x"
    pasted = text.replace("dentons-air", "dentons-" + junk_name).replace('relay "tor"', f'relay "tor{junk_name}"')
    result = cli(["diagnose", "-", "--label", "pc" + label.replace("\n", "")], input=pasted)
    assert result.exit_code in (0, 1, 2), result.stderr
    assert terminal_safe(result.stdout), repr(result.stdout)
    assert terminal_safe(result.stderr), repr(result.stderr)


def test_escape_sequences_and_markup_in_a_paste_are_visible(cli: Any) -> None:
    text = (SAMPLES / "windows" / "503-no-backend-service-running.txt").read_text()
    hostile = text.replace("pid 11700", "pid 11700 \x1b[2J\x1b]8;;https://evil.example\x07[bold red]x[/]\u202e")
    result = cli(["diagnose", "-", "--label", "[link=https://evil.example]pc[/link]\x1b[31m"], input=hostile)
    assert result.exit_code == 1, result.stderr
    assert terminal_safe(result.stdout)
    assert "[link=https://evil.example]pc[/link]\\x1b[31m" in result.stdout
    # The paste reader drops terminal colour sequences itself; what is left is shown, not obeyed.
    assert "[bold red]x[/]\\u202e" in result.stdout
    raw = json.loads(cli(["diagnose", "-", "-F", "json"], input=hostile).stdout)
    assert any("x[/]\u202e" in e["text"] for f in raw["findings"] for e in f["evidence"])  # JSON: raw text


def test_per_peer_table_shows_pasted_names_visibly(cli, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The per-peer table (issue 12) prints names, OS and endpoints from the paste: escaped too."""
    paste = tmp_path / "status.txt"
    paste.write_text(
        "100.64.0.1   me        me@   linux   -\n"
        "100.64.0.2   evil\u202egnp[red]x   me@   linux   active; direct 10.0.0.3:41641, tx 10 rx 20\n"
    )
    result = cli(["diagnose", str(paste)])
    table = result.stdout.split("Path per peer", 1)[1]
    assert "\u202e" not in table  # the bidi override itself never reaches the terminal
    assert "evil\\u202egnp[red]x" in table  # shown visibly, markup not obeyed


RULES = Path(__file__).parent / "rules"


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(junk=hostile_text)
def test_hostile_interface_names_and_login_hosts_render_terminal_safe(cli: Any, junk: str) -> None:
    # The values the route-lookup and login-server findings quote: the interface a tailnet address left through,
    # the login URL's host. Both reach the finding's cause and evidence.
    word = "".join(ch for ch in junk if not ch.isspace()) or "x"
    route = (RULES / "TS-TAILNET-ROUTE-OUTSIDE" / "bad_ip_route_get_eth0.txt").read_text()
    login = (RULES / "TS-CLI-LOGIN-SERVER-MISMATCH" / "bad_headscale_url_after_tailscale.txt").read_text()
    pasted = route.replace("dev eth0", f"dev eth0{word}") + "\n" + login.replace("hs.corp.net", f"hs{word}.corp.net")
    for form in (["diagnose", "-"], ["diagnose", "-", "--format", "json"]):
        result = cli(form, input=pasted)
        assert result.exit_code in (0, 1, 2), result.stderr
        assert terminal_safe(result.stdout), repr(result.stdout)
        assert terminal_safe(result.stderr), repr(result.stderr)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(junk=hostile_text)
def test_hostile_values_in_session_19s_quoted_fields_render_terminal_safe(cli: Any, junk: str) -> None:
    # The values session 19's readings quote in a cause: the keychain item's key, the GUI setup box's error, the
    # unroutable login URL's path, the package listing's line beside `tailscale update`.
    word = "".join(ch for ch in junk if not ch.isspace()) or "x"
    pastes = (
        f"prefs_save failed add tailscale-serve/{word} to keychain: 100001: UNIX[Operation not permitted]\n",
        f"Unable to setup Tailscale client:\nwalk.NewNotifyIcon: Shell_NotifyIcon {word}\n",
        (RULES / "TS-CLI-LOGIN-URL-UNROUTABLE" / "bad_unspecified_server_url.txt")
        .read_text()
        .replace("VuW7vroFGIPClakw5tqNfHA8", f"VuW7{word}"),
        f"# tailscale update\nalready running stable version 1.54.1; no update needed\n# apk info tailscale\n"
        f"tailscale-1.58.2-r0 description: {word}\n",
    )
    for pasted in pastes:
        for form in (["diagnose", "-"], ["diagnose", "-", "--format", "json"]):
            result = cli(form, input=pasted)
            assert result.exit_code in (0, 1, 2), result.stderr
            assert terminal_safe(result.stdout), repr(result.stdout)
            assert terminal_safe(result.stderr), repr(result.stderr)
