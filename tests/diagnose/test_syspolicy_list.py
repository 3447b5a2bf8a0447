"""`tailscale syspolicy list` / `reload` (cmd/tailscale/cli/syspolicy.go printPolicySettings) read as a view.

Generated tables as the CLI's tabwriter (min width 0, padding 2) prints them, and their ``--json`` form
(setting.Snapshot, ``{"Summary", "Settings": {key: {"Value", "Error", "Origin": {"Name", "Scope"}}}}``, tab-indented):
settings sorted by key, origins ``<source> (<scope>)`` or a bare scope, values as ``%v``, and settings that could not
be read with an empty value and ``{error}``. Each must give its rows in ``views[]`` and one TS-SYSPOLICY-ERROR
warning per unreadable setting.
"""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.diagnose.conftest import run_json

KEYS = [
    "AdvertiseExitNode", "AllowIncomingConnections", "AlwaysOn.Enabled", "AlwaysOn.OverrideWithReason",
    "AuthKey", "EncryptState", "ExitNode.AllowOverride", "ExitNodeID", "Hostname", "LoginURL",
    "PostureChecking", "Tailnet", "UseTailscaleDNSSettings", "KeyExpirationNotice",
]  # fmt: skip
ORIGINS = ["Platform (Device)", "Platform (User)", "Device", "Device Policy (GP)", "Environment (Device)"]
VALUES = ["false", "true", "always", "never", "user-decides", "auto:any", "24h0m0s", "[100.64.0.0/10 10.0.0.0/8]"]
ERRORS = ["value type mismatch", 'type mismatch: "ExitNodeID" is bool, want string', "access denied"]


def _table(rows: list[tuple[str, str, str, str]]) -> str:
    header = [("Name", "Origin", "Value", "Error"), ("----", "------", "-----", "-----")]
    widths = [max(len(r[c]) for r in header + rows) + 2 for c in range(3)]
    return "\n".join(
        "".join(cell.ljust(width) for cell, width in zip(row[:3], widths, strict=True)) + row[3]
        for row in header + rows
    )  # tabwriter pads every cell but the last; the last column ends the line (its cell may be empty)


def _snapshot_json(rows: list[tuple[str, str, str | None, str | None]]) -> str:
    def origin(text: str) -> dict[str, str]:
        name, _, scope = text.partition(" (")
        return {"Name": name, "Scope": scope.rstrip(")")} if scope else {"Scope": text}

    def value(text: str) -> object:
        return {"true": True, "false": False}.get(text, text.strip("[]").split() if text.startswith("[") else text)

    settings_ = {
        key: {**({"Value": value(v)} if v is not None else {}), **({"Error": e} if e else {}), "Origin": origin(o)}
        for key, o, v, e in rows
    }
    return json.dumps({"Summary": {"Scope": "Device"}, "Settings": settings_}, indent="\t")


@given(
    rows=st.lists(
        st.tuples(
            st.sampled_from(ORIGINS),
            st.one_of(st.tuples(st.sampled_from(VALUES), st.none()), st.tuples(st.none(), st.sampled_from(ERRORS))),
        ),
        min_size=1,
        max_size=len(KEYS),
    ),
    command=st.sampled_from(["$ tailscale syspolicy list", "PS C:\\> tailscale syspolicy reload", ""]),
    fence=st.booleans(),
    as_json=st.booleans(),
)
@settings(max_examples=80, deadline=None)
def test_a_policy_table_gives_its_settings_and_a_warning_per_error(
    rows: list[tuple[str, tuple[str | None, str | None]]], command: str, fence: bool, as_json: bool
) -> None:
    keyed = [(key, origin, value, error) for key, (origin, (value, error)) in zip(sorted(KEYS), rows, strict=False)]
    printed = [(k, o, v or "", "{" + e + "}" if e else "") for k, o, v, e in keyed]
    output = _snapshot_json(keyed) if as_json else _table(printed)
    text = "\n".join(line for line in [command + (" --json" if command and as_json else ""), output] if line)
    if fence:
        text = f"```console\n{text}\n```"
    document = run_json(text + "\n")
    assert [b["kind"] for b in document["blocks"]] == ["syspolicy-list"], text
    (view,) = document["views"]
    assert [(p["name"], p["origin"], p["value"], p["error"]) for p in view["policies"]] == keyed, text
    warned = [f for f in document["findings"] if f["rule"] == "TS-SYSPOLICY-ERROR"]
    assert len(warned) == sum(1 for *_, error in keyed if error), text
    assert not [f for f in document["findings"] if f["severity"] == "error"]
    assert not document["warnings"], document["warnings"]


def test_no_policy_settings_stays_a_routine_answer() -> None:
    document = run_json(
        "$ tailscale syspolicy list\nNo policy settings\n$ tailscale status\n100.64.0.1  pc  me@  linux  -\n"
    )
    # a routine answer, listed as the cli-answer view since blind batch 35 (lead decision, corpus 1820): never the
    # syspolicy-list view
    assert sorted(b["kind"] for b in document["blocks"]) == ["cli-answer", "status"]
    assert [view["kind"] for view in document["views"]] == ["cli-answer"] and not document["warnings"]
    assert document["views"][0]["commands"] == ["syspolicy list"]
