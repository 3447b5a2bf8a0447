"""The read-only CLI views diagnose reads, one module each, and the one type their rules take.

exitnodes.py (``tailscale exit-node list``), peerrelay.py (``tailscale debug peer-relay-sessions``), netmap.py
(``tailscale debug netmap``), servestatus.py (``tailscale serve status`` / ``funnel status``, tree and
``--json``), ts2021.py (``tailscale debug ts2021``), debugprefs.py (``tailscale debug prefs``).
"""

from __future__ import annotations

from opskit.core.diagnose.debugprefs import DebugPrefsReport
from opskit.core.diagnose.exitnodes import ExitNodeListReport
from opskit.core.diagnose.netmap import DebugNetmapReport
from opskit.core.diagnose.peerrelay import PeerRelaySessionsReport
from opskit.core.diagnose.servestatus import ServeStatusReport
from opskit.core.diagnose.ts2021 import Ts2021Report

CliView = (
    ExitNodeListReport
    | PeerRelaySessionsReport
    | DebugNetmapReport
    | ServeStatusReport
    | Ts2021Report
    | DebugPrefsReport
)
