"""`opskit check resolver`: DNS answers per name, and what they mean for nginx's proxy targets.

Pure: DNS answers come in from ``opskit.adapters.dns``; the config's targets from ``nginx_targets``.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence
from dataclasses import dataclass

from opskit.core.check.nginx_targets import Behaviour, ProxyTarget, ResolverDirective
from opskit.core.check.result import CheckItem, Status, check_findings, worst
from opskit.core.findings import Finding


@dataclass(frozen=True)
class Nameserver:
    address: str
    port: int = 53

    def __str__(self) -> str:
        host = f"[{self.address}]" if ":" in self.address else self.address
        return host if self.port == 53 else f"{host}:{self.port}"


def parse_nameserver(text: str) -> Nameserver:
    """``IP``, ``IP:PORT`` or ``[IPv6]:PORT`` (nginx's resolver syntax); ValueError otherwise."""
    value = text.strip()
    port_text = ""
    if value.startswith("["):
        address, _, rest = value[1:].partition("]")
        if rest and not rest.startswith(":"):
            raise ValueError(f"{text!r} is not IP[:PORT]")
        port_text = rest[1:]
    elif value.count(":") == 1:
        address, port_text = value.split(":")
    else:
        address = value
    try:
        ipaddress.ip_address(address)
    except ValueError:
        raise ValueError(f"{text!r}: {address!r} is not an IP address (give the resolver's IP, like nginx)") from None
    port = 53
    if port_text:
        if not port_text.isdigit() or not 0 < int(port_text) < 65536:
            raise ValueError(f"{text!r}: port must be 1..65535")
        port = int(port_text)
    return Nameserver(address, port)


def nameservers_of(resolver: ResolverDirective) -> tuple[list[Nameserver], list[str]]:
    """The resolver directive's addresses as name servers, and those given as names (resolved at start-up)."""
    servers: list[Nameserver] = []
    names: list[str] = []
    for address in resolver.addresses:
        try:
            servers.append(parse_nameserver(address))
        except ValueError:
            names.append(address)
    return servers, names


@dataclass(frozen=True)
class DnsAnswer:
    """One query's outcome. ``records`` empty with ``error`` set when it failed."""

    name: str
    rdtype: str
    records: tuple[str, ...]
    ttl: int | None
    server: str  # which name server answered (or was asked)
    error: str = ""
    millis: float = 0.0

    @property
    def status(self) -> Status:
        """Per row; a name fails as a whole only when none of its rows has an address (see name_items)."""
        if self.records:
            return Status.PASS
        return Status.WARN if self.error else Status.SKIP


def is_short_name(name: str) -> bool:
    """A single label: only resolv.conf search domains make it resolve, and nginx ignores those."""
    return "." not in name.rstrip(".")


def name_items(answers: Sequence[DnsAnswer]) -> list[CheckItem]:
    """Explanations for the names asked on the command line."""
    items: list[CheckItem] = []
    seen: set[str] = set()
    for answer in answers:
        if answer.name in seen:
            continue
        seen.add(answer.name)
        if is_short_name(answer.name):
            items.append(
                CheckItem(
                    "name.short",
                    answer.name,
                    Status.WARN,
                    "short name",
                    "nginx's resolver does not apply resolv.conf search domains (the system resolver and ping "
                    "do): in a variable proxy_pass it is never found. It was asked here as the absolute name.",
                    "write the FQDN, e.g. <svc>.<namespace>.svc.cluster.local",
                )
            )
        same = [a for a in answers if a.name == answer.name]
        if not any(a.records for a in same):
            error = next((a.error for a in same if a.error), "no A or AAAA records")
            items.append(
                CheckItem(
                    "name.error",
                    answer.name,
                    Status.FAIL,
                    error,
                    f"{same[0].server} gave no address for it: nginx cannot reach it by this name.",
                )
            )
    return items


@dataclass(frozen=True)
class TargetCheck:
    target: ProxyTarget
    answers: tuple[DnsAnswer, ...]
    resolver_text: str
    item: CheckItem

    @property
    def location(self) -> str:
        return f"{self.target.file}:{self.target.line} {self.target.where}"

    @property
    def directive(self) -> str:
        return self.target.directive

    @property
    def host_port(self) -> str:
        via = f" (upstream {self.target.via_upstream})" if self.target.via_upstream else ""
        return self.target.host_port + via

    @property
    def behaviour(self) -> Behaviour:
        return self.target.behaviour

    @property
    def answer_text(self) -> str:
        records = [r for a in self.answers for r in a.records]
        if records:
            return ", ".join(records)
        errors = [a.error for a in self.answers if a.error]
        return errors[0] if errors else ("-" if not self.answers else "no records")


_STATUS_BY_BEHAVIOUR = {
    Behaviour.FOLLOWS_DNS: Status.PASS,
    Behaviour.IP_ADDRESS: Status.PASS,
    Behaviour.UNIX_SOCKET: Status.PASS,
    Behaviour.REQUEST_DEPENDENT: Status.PASS,
    Behaviour.STALE: Status.WARN,
    Behaviour.SHADOWED: Status.FAIL,
    Behaviour.NO_RESOLVER: Status.FAIL,
    Behaviour.SHORT_NAME: Status.FAIL,
}


def judge_target(target: ProxyTarget, answers: Sequence[DnsAnswer], resolver_text: str) -> TargetCheck:
    """A target's status: follows DNS and its resolver answers → pass; stale → warn; broken → fail."""
    status = _STATUS_BY_BEHAVIOUR[target.behaviour]
    explanation = target.explanation
    if target.behaviour is Behaviour.FOLLOWS_DNS and answers:
        if all(a.error for a in answers):
            status = Status.FAIL
            explanation += f"; but the resolver gave no answer: {answers[0].error}"
        elif not any(a.records for a in answers):
            status = Status.FAIL
            explanation += "; but the resolver has no address for it (nginx answers 502)"
    detail = f"{target.host_port}: {target.behaviour}"
    item = CheckItem(
        f"target.{target.behaviour.name.lower()}",
        f"{target.file}:{target.line} {target.host_port}",
        status,
        detail,
        explanation,
    )
    return TargetCheck(target, tuple(answers), resolver_text, item)


@dataclass(frozen=True)
class ResolverReport:
    names: tuple[DnsAnswer, ...]
    name_items: tuple[CheckItem, ...]
    config_file: str
    targets: tuple[TargetCheck, ...]

    @property
    def status(self) -> Status:
        return worst([*self.name_items, *(t.item for t in self.targets)])

    @property
    def failed(self) -> bool:
        return self.status is Status.FAIL

    @property
    def findings(self) -> tuple[Finding, ...]:
        """Failing and warning checks as findings (``CHK-RESOLVER-…`` ids), shaped like lint's and diagnose's.

        A name's finding points at the config (or ``resolver`` when none was given); a proxy target's at
        its own ``file:line``."""
        subject = self.config_file or "resolver"
        targets = (t.item.finding("resolver", t.target.file, t.target.line) for t in self.targets)
        return (*check_findings(self.name_items, "resolver", subject), *(f for f in targets if f is not None))
