"""opskit: turn hard-won incident write-ups into tools an on-call engineer can trust."""

__version__ = "0.1.0"
