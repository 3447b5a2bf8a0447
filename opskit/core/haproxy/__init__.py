"""HAProxy configuration parsed into sections and statements, each with file:line."""

from opskit.core.haproxy.model import HaproxyConfig, Section, Statement, parse_time_ms
from opskit.core.haproxy.parser import parse_haproxy

__all__ = ["HaproxyConfig", "Section", "Statement", "parse_haproxy", "parse_time_ms"]
