"""DNS queries for `opskit check resolver` (dnspython). Names are asked as absolute names, like nginx does."""

from __future__ import annotations

import re
import time

import dns.exception
import dns.name
import dns.rdatatype
import dns.resolver

from opskit.core.check.resolver import DnsAnswer, Nameserver


def query(name: str, rdtype: str, nameserver: Nameserver | None, timeout: float = 3.0) -> DnsAnswer:
    """Ask one name server (or the system's, from resolv.conf) for ``rdtype`` records of ``name``.

    Search domains are never applied: nginx's resolver does not apply them either.
    """
    resolver = dns.resolver.Resolver(configure=nameserver is None)
    if nameserver is not None:
        resolver.nameservers = [nameserver.address]
        resolver.port = nameserver.port
    resolver.lifetime = timeout
    resolver.timeout = timeout
    asked = str(nameserver) if nameserver is not None else ", ".join(str(s) for s in resolver.nameservers)
    started = time.perf_counter()
    try:
        qname = dns.name.from_text(name)  # absolute: no search list
    except dns.exception.DNSException as error:
        return DnsAnswer(name, rdtype, (), None, asked, f"not a DNS name: {error}")
    try:
        answer = resolver.resolve(qname, rdtype, search=False, raise_on_no_answer=False)
    except dns.resolver.NXDOMAIN:
        return DnsAnswer(name, rdtype, (), None, asked, "NXDOMAIN (no such name)", _since(started))
    except dns.resolver.LifetimeTimeout:
        return DnsAnswer(name, rdtype, (), None, asked, f"no answer within {timeout:g} s", _since(started))
    except dns.resolver.NoNameservers as error:
        # dnspython's text names every server tried; the rcode is what an operator needs.
        rcode = re.search(r"answered (\w+)", str(error))
        why = f"{asked} answered {rcode.group(1)}" if rcode else f"no name server answered: {error}"
        return DnsAnswer(name, rdtype, (), None, asked, why, _since(started))
    except dns.exception.DNSException as error:
        return DnsAnswer(name, rdtype, (), None, asked, str(error) or type(error).__name__, _since(started))
    server = f"{answer.nameserver}:{answer.port}" if getattr(answer, "nameserver", None) else asked
    records = tuple(sorted(r.to_text() for r in answer.rrset)) if answer.rrset is not None else ()
    ttl = answer.rrset.ttl if answer.rrset is not None else None
    return DnsAnswer(name, rdtype, records, ttl, server, "", _since(started))


def _since(started: float) -> float:
    return (time.perf_counter() - started) * 1000
