"""The local node and the backend state of a status paste, however it is printed.

A ``status --json`` document names its BackendState even when it is Running (the text form prints no state
then), and the judge must be able to hold an unnamed self row (names redacted to asterisks) to its facts.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from opskit.output.diagnose import to_json
from tests.diagnose.conftest import run_text
from tests.diagnose.corpus_check import _peer_facts


def _status_json(state: str, self_os: str, peer_os: str) -> dict[str, Any]:
    def entry(host: str, ip: str, os: str, rx: int, tx: int) -> dict[str, Any]:
        return {
            "HostName": host,
            "DNSName": f"{host.lower()}.tail1234.ts.net.",
            "OS": os,
            "TailscaleIPs": [ip],
            "CurAddr": "",
            "Relay": "mia",
            "RxBytes": rx,
            "TxBytes": tx,
            "Online": True,
            "Active": False,
        }

    return {
        "Version": "1.96.3-t3ffddb134-g460d8764a",
        "TUN": True,
        "BackendState": state,
        "AuthURL": "",
        "TailscaleIPs": ["100.117.157.117"],
        "Self": entry("Old_X1_Carbon", "100.117.157.117", self_os, 0, 0),
        "Health": [],
        "Peer": {"nodekey:7e1f": entry("localhost", "100.76.118.108", peer_os, 2794936, 150008)},
        "ClientVersion": None,
    }


@pytest.mark.parametrize("state", ["Running", "Starting", "NeedsLogin", "NeedsMachineAuth"])
@pytest.mark.parametrize("newline", ["\n", "\r\n"])
@pytest.mark.parametrize("indent", [2, 4, None])
@pytest.mark.parametrize(("self_os", "peer_os"), [("windows", "iOS"), ("linux", "android"), ("macOS", "linux")])
def test_status_json_names_its_backend_state_and_its_self(
    state: str, newline: str, indent: int | None, self_os: str, peer_os: str
) -> None:
    text = json.dumps(_status_json(state, self_os, peer_os), indent=indent).replace("\n", newline)
    document = to_json(run_text(text), 1)
    assert [state in (s["state"] or "") for s in document["statuses"]] == [True]
    me = [p for p in document["peers"] if p["self"]]
    assert [(p["ip"], p["os"]) for p in me] == [("100.117.157.117", self_os)]


def test_a_running_text_status_still_shows_no_state() -> None:
    text = "100.101.6.89    hawkman      jrmuizel@    linux   -\n100.101.6.90    robin        jrmuizel@    linux   -\n"
    assert [s["state"] for s in to_json(run_text(text), 1)["statuses"]] == [None]


@pytest.mark.parametrize("stars", ["*****", "********", "???", "[redacted]"])
@pytest.mark.parametrize("cell", ["idle; offers exit node", "-"])
def test_an_unnamed_self_expectation_is_held_to_the_self_row_only(stars: str, cell: str) -> None:
    text = (
        f"100.107.140.19  {stars}         {stars}@        linux    {cell}\n"
        f"100.96.138.69   {stars}       {stars}@  windows  offline, last seen 12h ago\n"
        f"100.106.57.64   {stars}          {stars}      macOS    active; direct 151.74.158.185:37765, tx 10 rx 20\n"
    )
    peers = to_json(run_text(text), 1)["peers"]
    exit_node = "offers exit node" if "offers" in cell else None
    right = {"ip": "100.107.140.19", "self": True, "os": "linux"} | ({"exit_node": exit_node} if exit_node else {})
    assert list(_peer_facts([right], peers)) == []
    # the same address without self = true is a peer's: the self row does not stand in for it
    assert list(_peer_facts([{"ip": "100.107.140.19", "os": "linux"}], peers)) != []
    # and self = true never matches a peer row
    assert list(_peer_facts([{"ip": "100.96.138.69", "self": True}], peers)) != []
