"""Which TCP sessions match, seen from which side, and how to cut them with `ss -K` (pure)."""

from opskit.core.sockets.model import CutReport, Session, SessionFilter

__all__ = ["CutReport", "Session", "SessionFilter"]
