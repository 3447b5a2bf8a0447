"""Rules that read one ``tailscale lock status``: this node's signature, the nodes the lock keeps out.

With Tailnet Lock on, a node's key must be signed by a trusted signing key (a tailnet-lock key held by a
node the tailnet trusts) before any peer accepts it; control alone can no longer add nodes. A node whose
key is not signed is "locked out": it is in the tailnet, but no peer talks to it.
"""

from __future__ import annotations

from collections.abc import Iterator

from opskit.core.diagnose.lockstatus import LockStatusReport
from opskit.core.diagnose.rules.facts import DiagnoseContext
from opskit.core.findings import Finding, Severity
from opskit.core.rules import rule


@rule(
    id="TS-LOCK-NODE-LOCKED-OUT",
    name="lock-node-locked-out",
    family="tailscale-lock",
    severity=Severity.ERROR,
    summary="tailscale lock status: this node is locked out by Tailnet Lock",
    target="tailnet-lock",
)
def node_locked_out(report: LockStatusReport, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: with Tailnet Lock enabled, peers drop every node whose key no trusted signing key has signed.
    A node added after the lock was turned on (or re-authenticated: a new node key) stays locked out until
    a node holding a trusted key signs it; it shows as connected to control but reaches no peer.

    *Bad*::

        $ tailscale lock status
        Tailnet lock is ENABLED.

        This node is LOCKED OUT by tailnet lock, and action is required to establish connectivity.
        Run the following command on a node with a trusted key:
                tailscale lock sign nodekey:6bd1c4b0a2f6e2b0d7a7c4a57e1d0b7e0d3b2a1c9e8f7d6c5b4a39281706f5e4 tlpub:44a0e23cd53a4b8acc02f6732813d8f5ba8b35d02d48bf94c9f1724ebe31c943

    *Good*::

        $ tailscale lock status
        Tailnet lock is ENABLED.

        This node is accessible under tailnet lock. Node signature:
        SigKind: direct
    """
    if report.node_signed is not False or report.node_line is None:
        return
    command = report.sign_command or "tailscale lock sign <this node's nodekey:…> <its tlpub:… key>"
    yield ctx.finding(
        f"{ctx.facts.label}: this node is locked out by Tailnet Lock: its node key carries no signature from "
        "a trusted signing key, so every peer drops it (it can reach control, not the tailnet).",
        f"On a node that holds a trusted signing key (`tailscale lock status` there lists its key under "
        f"'Trusted signing keys'), run `{command}`; or log this node in again with a pre-signed auth key "
        "(`tailscale lock sign tskey-auth-…` on a trusted node wraps one). Signing from this node itself does "
        "nothing unless its own key is trusted.",
        ctx.facts.evidence(report.node_line),
    )


_MULLVAD_DOMAIN = ".mullvad.ts.net"


@rule(
    id="TS-LOCK-PEERS-LOCKED-OUT",
    name="lock-peers-locked-out",
    family="tailscale-lock",
    severity=Severity.ERROR,
    summary="tailscale lock status: other nodes are locked out by Tailnet Lock",
    target="tailnet-lock",
)
def peers_locked_out(report: LockStatusReport, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: ``tailscale lock status`` lists the nodes this node filters out because their keys are not
    signed: they cannot connect to it (nor, in general, to any peer). Each needs a signature from a node that
    holds a trusted signing key (``tailscale lock sign nodekey:…`` there); the list gives the node key to sign.
    The Mullvad exit nodes the Mullvad add-on shares into the tailnet (``*.mullvad.ts.net.``) are nodes like any
    other here: unsigned, they are dropped, and no Mullvad exit node can be used until each is signed. People
    paste the section alone, its head cut or elided to "...", and the rows shortened to a placeholder.

    *Bad*::

        $ tailscale lock status
        Tailnet lock is ENABLED.

        The following nodes are locked out by tailnet lock and cannot connect to other nodes:
                laptop	100.101.102.103,fd7a:115c:a1e0::1	nF5Fb7CNTRL	nodekey:0e3b5d0c4a9c1c7a4b8e7d6f5e4d3c2b1a0918273645f6e7d8c9b0a1f2e3d4c5

    *Good*::

        $ tailscale lock status
        Tailnet lock is ENABLED.

        This node is accessible under tailnet lock. Node signature:
        SigKind: direct
    """
    if not report.locked_out:
        return
    names = ", ".join(
        # (a name is its MagicDNS FQDN, "host.tailnet.ts.net.": the root's dot would close the sentence twice)
        node.name.rstrip(".") or (node.addresses[0] if node.addresses else node.stable_id)
        for node in report.locked_out
    )
    commands = "; ".join(f"`tailscale lock sign {node.node_key}`" for node in report.locked_out[:5])
    more = f" (and {len(report.locked_out) - 5} more)" if len(report.locked_out) > 5 else ""
    # the Mullvad add-on's exit nodes are shared in, not yours to remove: signing them is the only way to use them
    mullvad = any(node.name.rstrip(".").endswith(_MULLVAD_DOMAIN) for node in report.locked_out)
    shared = (
        f"The *{_MULLVAD_DOMAIN} nodes are the Mullvad exit nodes the Mullvad add-on shares into the tailnet: under"
        " Tailnet Lock they need a signature too (each one, from a trusted signing node) before any can be used as"
        " an exit node. "
        if mullvad
        else ""
    )
    yield ctx.finding(
        f"{ctx.facts.label}: Tailnet Lock keeps {len(report.locked_out)} node(s) out: {names}. Their keys carry "
        "no trusted signature, so they cannot connect to this node or other peers.",
        f"If these nodes are yours, sign them on a node that holds a trusted signing key: {commands}{more}. "
        f"{shared}A node you do not recognise is what the lock is for: leave it unsigned and remove it in the admin"
        " console.",
        ctx.facts.evidence(*(node.line for node in report.locked_out)),
    )


@rule(
    id="TS-LOCK-STATUS",
    name="lock-status",
    family="tailscale-lock",
    severity=Severity.INFO,
    summary="tailscale lock status: what the lock says about this node",
    target="tailnet-lock",
)
def lock_state(report: LockStatusReport, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: people paste ``tailscale lock status`` to ask "is this node fine under the lock?"; a signed
    node, or a tailnet without the lock, is the answer, with nothing to fix.

    *Bad*::

        $ tailscale lock status
        Tailnet lock is ENABLED.

        This node is accessible under tailnet lock. Node signature:
        SigKind: direct

    *Good*::

        $ tailscale lock status
        Tailnet lock is ENABLED.

        This node is LOCKED OUT by tailnet lock, and action is required to establish connectivity.
    """
    if report.node_signed is False:
        return  # TS-LOCK-NODE-LOCKED-OUT says it
    if report.enabled is False and report.header is not None:
        yield ctx.finding(
            f"{ctx.facts.label}: Tailnet Lock is not enabled on this tailnet: nodes need no signature to connect.",
            "Nothing to fix.",
            ctx.facts.evidence(report.header),
            title="Tailnet Lock is not enabled",
        )
        return
    if report.node_signed and report.node_line is not None:
        how = f" (signature kind: {report.sig_kind})" if report.sig_kind else ""
        keys = ""
        if report.trusted_keys:
            preauth = sum(1 for k in report.trusted_keys if k.preauth is not None)
            own = any(k.own for k in report.trusted_keys)
            keys = (
                f"; {len(report.trusted_keys)} trusted signing key(s)"
                + (f", {preauth} wrapping a pre-auth key" if preauth else "")
                + ("; this node's own tailnet-lock key is one of them, so it can sign others" if own else "")
            )
        yield ctx.finding(
            f"{ctx.facts.label}: Tailnet Lock is enabled and this node's key is signed{how}: peers accept it{keys}.",
            "Nothing to fix.",
            ctx.facts.evidence(report.node_line),
            title="signed under Tailnet Lock",
        )
