"""Which client sessions a move cuts, decided from the snapshot (pure)."""

from __future__ import annotations

from collections.abc import Sequence

from opskit.core.headscale.plan import CutSpec
from opskit.core.headscale.snapshot import TenantSnapshot


def plan_cut(
    *,
    entry_port: int,
    clients: Sequence[str],
    wait_seconds: float,
    snapshot: TenantSnapshot,
    with_tagged: bool | None,
) -> CutSpec:
    """The cut step: the ``--client`` addresses when given, else every endpoint IP of the nodes that
    move (tagged nodes only when they move too), sorted and each once."""
    chosen = list(clients)
    if not chosen:
        moving = snapshot.nodes + (snapshot.tagged_nodes if with_tagged else ())
        chosen = sorted({ip for node in moving for ip in node.endpoint_ips})
    return CutSpec(
        entry_port=entry_port,
        clients=chosen,
        clients_source="--client" if clients else "node endpoints",
        wait_seconds=wait_seconds,
    )
