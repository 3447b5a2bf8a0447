"""Explain an `ss` filter written from the other side of the connection and give this host's version.

The trap (scenarios §6): ``ss -K "dport = 7890 and src 203.0.113.5"`` run on the server. In ss,
``s*`` is always the socket's own end and ``d*`` the remote end. On the server the Headscale socket
has *source* port 7890 and *destination* the client, so the filter describes the client's socket and
matches nothing on the server — and on a host where both ends live (loopback, a sidecar) it matches
the client's socket and kills that one instead.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass

from opskit.errors import InputError

_TOKEN = re.compile(r"\s*(\(|\)|&&|\|\||!=|==|>=|<=|=|<|>|!|[^\s()!=<>]+)")
_KEYS = {"sport", "dport", "src", "dst"}
_OPS = {
    "=": "=",
    "==": "=",
    "eq": "=",
    "!=": "!=",
    "ne": "!=",
    "neq": "!=",
    ">=": ">=",
    "ge": ">=",
    "geq": ">=",
    "<=": "<=",
    "le": "<=",
    "leq": "<=",
    ">": ">",
    "gt": ">",
    "<": "<",
    "lt": "<",
}
_SWAP = {"sport": "dport", "dport": "sport", "src": "dst", "dst": "src"}


@dataclass(frozen=True)
class Condition:
    key: str  # sport | dport | src | dst
    op: str
    value: str  # ":7890" for ports, an address (maybe with :port) or CIDR for hosts


@dataclass(frozen=True)
class Node:
    kind: str  # "cond" | "and" | "or" | "not"
    children: tuple[Node, ...] = ()
    cond: Condition | None = None


@dataclass(frozen=True)
class Explanation:
    original: str
    normalized: str
    describes: str  # "client" | "server" | "unknown"
    equivalent_here: str
    reasons: tuple[str, ...]


# Parentheses and "not" may nest this deep. The parser recurses once per level; real filters nest two
# or three levels, and a bound keeps a hostile one an error instead of a RecursionError.
MAX_NESTING = 50


class _Parser:
    def __init__(self, text: str) -> None:
        self.tokens = [m.group(1) for m in _TOKEN.finditer(text)]
        self.pos = 0
        self.depth = 0

    def peek(self) -> str | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self) -> str:
        token = self.peek()
        if token is None:
            raise _error("the filter ends too early")
        self.pos += 1
        return token

    def parse(self) -> Node:
        if not self.tokens:
            raise _error("empty filter")
        node = self.parse_or()
        if self.peek() is not None:
            raise _error(f"unexpected {self.peek()!r}")
        return node

    def parse_or(self) -> Node:
        parts = [self.parse_and()]
        while self.peek() in {"or", "||"}:
            self.take()
            parts.append(self.parse_and())
        return parts[0] if len(parts) == 1 else Node("or", tuple(parts))

    def parse_and(self) -> Node:
        parts = [self.parse_unary()]
        while self.peek() not in {None, ")", "or", "||"}:
            if self.peek() in {"and", "&&"}:
                self.take()
            parts.append(self.parse_unary())  # ss treats juxtaposition as "and"
        return parts[0] if len(parts) == 1 else Node("and", tuple(parts))

    def parse_unary(self) -> Node:
        token = self.take()
        if token in {"not", "!", "("}:
            self.depth += 1
            if self.depth > MAX_NESTING:
                raise _error(f"nested more than {MAX_NESTING} levels deep (parentheses and 'not')")
            try:
                return self._parse_nested(token)
            finally:
                self.depth -= 1
        if token not in _KEYS:
            raise _error(f"{token!r} is not one of sport, dport, src, dst (or and/or/not/parentheses)")
        op = "="
        if self.peek() in _OPS:
            op = _OPS[self.take()]
        value = self.take()
        return Node("cond", cond=Condition(token, op, _check_value(token, value)))

    def _parse_nested(self, token: str) -> Node:
        if token != "(":
            return Node("not", (self.parse_unary(),))
        node = self.parse_or()
        if self.take() != ")":
            raise _error("missing ')'")
        return node


def _error(problem: str) -> InputError:
    return InputError.option("filter", problem)


def _is_port(text: str) -> bool:
    # ASCII digits only: str.isdigit() accepts "²" and int() refuses it; 5 digits keep int() cheap.
    return 0 < len(text) <= 5 and text.isascii() and text.isdigit() and 0 < int(text) <= 65535


def _check_value(key: str, value: str) -> str:
    if key in {"sport", "dport"}:
        port = value.lstrip(":")
        if not _is_port(port):
            raise _error(f"{key} wants a port like :7890, not {value!r}")
        return f":{int(port)}"
    host, port = value, ""
    if value.startswith("["):
        host, _, rest = value[1:].partition("]")
        port = rest.lstrip(":")
    elif value.count(":") == 1:
        host, _, port = value.partition(":")
    if port and port != "*" and not _is_port(port):
        raise _error(f"bad port in {value!r}")
    if host not in {"*", ""}:
        try:
            ipaddress.ip_network(host, strict=False)
        except ValueError:
            raise _error(f"{key} wants an IP address or CIDR, not {value!r}") from None
    return value


def parse_filter(text: str) -> Node:
    """Parse the part of the ss filter language that names ports and addresses."""
    return _Parser(text).parse()


def render(node: Node, *, top: bool = True) -> str:
    """The filter back as text, in ss's canonical spelling (``sport = :P``)."""
    if node.kind == "cond" and node.cond is not None:
        c = node.cond
        return (
            f"{c.key} {c.op} {c.value}"
            if c.key in {"sport", "dport"}
            else (f"{c.key} {c.value}" if c.op == "=" else f"not {c.key} {c.value}")
        )
    if node.kind == "not":
        return f"not {render(node.children[0], top=False)}"
    inner = f" {node.kind} ".join(render(child, top=False) for child in node.children)
    return inner if top else f"( {inner} )"


def swap_sides(node: Node) -> Node:
    """The same connection described from the other end: s* ↔ d*."""
    if node.kind == "cond" and node.cond is not None:
        return Node("cond", cond=Condition(_SWAP[node.cond.key], node.cond.op, node.cond.value))
    return Node(node.kind, tuple(swap_sides(child) for child in node.children))


def _conditions(node: Node) -> list[Condition]:
    if node.cond is not None:
        return [node.cond]
    return [c for child in node.children for c in _conditions(child)]


def explain_filter(text: str, *, service_port: int | None = None) -> Explanation:
    """Say which side ``text`` describes and give the filter to run on this host (the server).

    ``service_port`` is the port the server listens on, when known; without it a filter pinning
    ``dport`` (the remote port) is taken to be written from the client's side.
    """
    tree = parse_filter(text)
    conds = _conditions(tree)
    ports = {c.key: c.value for c in conds if c.key in {"sport", "dport"} and c.op == "="}
    hosts = [c for c in conds if c.key in {"src", "dst"}]
    service = f":{service_port}" if service_port else None
    if service is not None:
        side = "client" if ports.get("dport") == service else "server" if ports.get("sport") == service else "unknown"
    else:
        side = (
            "client"
            if "dport" in ports and "sport" not in ports
            else ("server" if "sport" in ports and "dport" not in ports else "unknown")
        )
    normalized = render(tree)
    if side == "server":
        return Explanation(
            text,
            normalized,
            "server",
            normalized,
            (
                "In ss, s* is this host's end and d* the remote end. This filter pins the local port "
                "(sport), so it already describes the server's own socket: run it as is on the server.",
            ),
        )
    if side == "unknown":
        return Explanation(
            text,
            normalized,
            "unknown",
            normalized,
            (
                "The filter does not pin which end holds the service port, so its side cannot be told. "
                "On the server the service socket has sport = :PORT and dst CLIENT; on the client it has "
                "dport = :PORT and src CLIENT.",
            ),
        )
    here = render(swap_sides(tree))
    port_number = ports["dport"].lstrip(":")
    reasons = [
        "In ss, s* (sport, src) is always the end of the socket on the host where ss runs and d* "
        "(dport, dst) the remote end.",
        f"This filter asks for remote port {port_number}: that is the client's socket, which connects TO the "
        f"service port {port_number}. It describes the connection from the CLIENT's side.",
        f"On the server the same connection has local port {port_number} (sport) and the client as remote "
        f"address (dst), so the server-side filter is: {here}",
        f"Run on a server, the original matches nothing: no server socket has remote port {port_number} "
        + ("and a local address of the client" if hosts else "")
        + ", so `ss -K` prints nothing and "
        "exits 0 — looking exactly like success.",
        "On a host where both ends live (loopback tests, a sidecar, a client on the same machine) it "
        "matches the CLIENT's socket: `ss -K` would reset the client side, not the server's session.",
        "Behind a proxy (Traefik, nginx, HAProxy) the backend sees the proxy's address, not the "
        "client's: cut the session on the edge that holds the client's connection.",
    ]
    return Explanation(text, normalized, "client", here, tuple(reasons))
