"""Parse ``tailscale metrics print`` and ``tailscale debug metrics``: tailscaled's counters in Prometheus text.

``metrics print`` (cmd/tailscale/cli/metrics.go, v1.78+) prints the user metrics (util/usermetric): ``# TYPE`` and
``# HELP`` lines, then ``name{label="value"} N`` samples::

    # TYPE tailscaled_inbound_bytes_total counter
    # HELP tailscaled_inbound_bytes_total Counts the number of bytes received from other peers
    tailscaled_inbound_bytes_total{path="direct_ipv4"} 1234567
    tailscaled_inbound_bytes_total{path="derp"} 2048

The paths (wgengine/magicsock Path): ``direct_ipv4``, ``direct_ipv6``, ``derp``, ``peer_relay_ipv4``,
``peer_relay_ipv6``; dropped packets by ``reason`` (usermetric DropReason: ``acl``, ``multicast``,
``link_local_unicast``, ``too_short``, ``fragment``, ``unknown_protocol``, ``error``); ``tailscaled_health_messages
{type="warning"}``; ``tailscaled_home_derp_region_id``; ``tailscaled_advertised_routes``/``approved_routes``.

``debug metrics`` (debug.go runDaemonMetrics, util/clientmetric WritePrometheusExpositionFormat, v1.26+) prints
the client metrics: ``# TYPE name counter|gauge`` then ``name N`` (``magicsock_recv_data_derp``,
``magicsock_recv_data_ipv4``, ``magicsock_send_udp``, ``derp_home_change`` …). Its ``--watch`` form (``name +N =>
M``) is a routine answer (clianswers.py).

Either says whether this node's traffic with peers went only through DERP (``derp_only``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

from opskit.core.diagnose.text import SourceLine

_COMMENT = re.compile(
    r"# (?:TYPE [a-z][a-z0-9_]* (?:counter|gauge|histogram|summary|untyped)|HELP [a-z][a-z0-9_]* .*)$"
)
_SAMPLE = re.compile(r"(?P<name>[a-z][a-z0-9_]*)(?:\{(?P<labels>[^{}]*)\})? (?P<value>-?\d+(?:\.\d+)?(?:e[+-]?\d+)?)$")
_LABEL = re.compile(r'(\w+)="([^"]*)"')
# Tailscale's own metric families: a Prometheus text of some other program is not this view
_TAILSCALE_PREFIXES = (
    "tailscaled_",
    "magicsock_",
    "controlclient_",
    "derp_",
    "netcheck_",
    "portmap_",
    "dns_",
    "health_",
    "netmon_",
    "tstun_",
    "peerapi_",
    "localapi_",
    "wgengine_",
    "ipnlocal_",
    "netstack_",
)
_MAX_LINES = 20_000
_MAX_COUNTERS = 2_000


@dataclass(frozen=True)
class MetricsReport:
    rule_target: ClassVar[str] = "metrics"
    user_metrics: bool  # `metrics print`'s tailscaled_* families (else `debug metrics`' client metrics)
    home_derp: int | None
    inbound_bytes: dict[str, int] = field(default_factory=dict)  # by path
    outbound_bytes: dict[str, int] = field(default_factory=dict)
    dropped_inbound: dict[str, int] = field(default_factory=dict)  # by reason
    dropped_outbound: dict[str, int] = field(default_factory=dict)
    health_warnings: int | None = None
    counters: dict[str, int] = field(default_factory=dict)  # samples without labels
    lines: tuple[SourceLine, ...] = ()

    @property
    def derp_bytes(self) -> int:
        """Bytes (user metrics) or data packets received (client metrics) through DERP."""
        if self.user_metrics:
            return self.inbound_bytes.get("derp", 0) + self.outbound_bytes.get("derp", 0)
        return self.counters.get("magicsock_recv_data_derp", 0)

    @property
    def derp_only(self) -> bool | None:
        """Whether the traffic with peers went only through DERP; None: the paste does not say."""
        if self.user_metrics:
            paths = {**self.inbound_bytes}
            for path, count in self.outbound_bytes.items():
                paths[path] = paths.get(path, 0) + count
            if not paths:
                return None
            other = sum(count for path, count in paths.items() if path != "derp")
            return self.derp_bytes > 0 and other == 0
        direct = [self.counters.get(f"magicsock_recv_data_{family}") for family in ("ipv4", "ipv6")]
        if "magicsock_recv_data_derp" not in self.counters or all(count is None for count in direct):
            return None
        return self.derp_bytes > 0 and not any(direct)

    @property
    def layout(self) -> str:
        which = "tailscale metrics print" if self.user_metrics else "tailscale debug metrics"
        return f"{which} ({len(self.counters) + len(self.inbound_bytes) + len(self.outbound_bytes)} samples)"

    def facts(self) -> dict[str, Any]:
        return {
            "source": "metrics print" if self.user_metrics else "debug metrics",
            "home_derp": self.home_derp,
            "inbound_bytes": dict(self.inbound_bytes),
            "outbound_bytes": dict(self.outbound_bytes),
            "dropped_inbound": dict(self.dropped_inbound),
            "dropped_outbound": dict(self.dropped_outbound),
            "health_warnings": self.health_warnings,
            "counters": dict(self.counters),
            "derp_only": self.derp_only,
        }


def _tailscale_name(name: str) -> bool:
    return name.startswith(_TAILSCALE_PREFIXES)


def is_metrics_start(text: str) -> bool:
    """A cheap gate: a line that may open the view (a ``# TYPE``/``# HELP`` line, or a Tailscale sample)."""
    return text[:7] in ("# TYPE ", "# HELP ") or (text[0] in "tmcdnphlwi" and _tailscale_name(text))


def metrics_extent(lines: Sequence[SourceLine], start: int) -> int | None:
    """The index of the last Prometheus line of a run starting at ``lines[start]`` that names a Tailscale metric
    family, or None."""
    end: int | None = None
    tailscale = False
    for index in range(start, min(len(lines), start + _MAX_LINES)):
        line = lines[index]
        text = line.text
        if line.command is not None or not text:
            break
        if text[0] == "#":
            if _COMMENT.match(text) is None:
                break
            name = text[7:].split(" ", 1)[0]
        else:
            sample = _SAMPLE.match(text)
            if sample is None:
                break
            name = sample["name"]
        tailscale = tailscale or _tailscale_name(name)
        end = index
    return end if tailscale else None


def parse_metrics(lines: Sequence[SourceLine]) -> MetricsReport:
    inbound: dict[str, int] = {}
    outbound: dict[str, int] = {}
    dropped_in: dict[str, int] = {}
    dropped_out: dict[str, int] = {}
    counters: dict[str, int] = {}
    health: int | None = None
    home: int | None = None
    user = False
    by_label = {
        ("tailscaled_inbound_bytes_total", "path"): inbound,
        ("tailscaled_outbound_bytes_total", "path"): outbound,
        ("tailscaled_inbound_dropped_packets_total", "reason"): dropped_in,
        ("tailscaled_outbound_dropped_packets_total", "reason"): dropped_out,
    }
    for line in lines:
        sample = _SAMPLE.match(line.text)
        if sample is None:
            continue
        name = sample["name"]
        user = user or name.startswith("tailscaled_")
        value = int(float(sample["value"]))
        labels = dict(_LABEL.findall(sample["labels"] or ""))
        if name == "tailscaled_health_messages" and labels.get("type") == "warning":
            health = value
        elif name == "tailscaled_home_derp_region_id":
            home = value
        for (family, key), into in by_label.items():
            if name == family and key in labels:
                into[labels[key]] = value
        if not labels and len(counters) < _MAX_COUNTERS:
            counters[name] = value
    return MetricsReport(user, home, inbound, outbound, dropped_in, dropped_out, health, counters, tuple(lines))
