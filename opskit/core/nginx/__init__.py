"""nginx configuration as a tree with file:line on every directive (parsed with crossplane's lexer)."""

from opskit.core.nginx.parser import ConfigSource, parse_nginx
from opskit.core.nginx.tree import Directive, NginxConfig, Node

__all__ = ["ConfigSource", "Directive", "NginxConfig", "Node", "parse_nginx"]
