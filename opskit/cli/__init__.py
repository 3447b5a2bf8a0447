"""Thin typer layer: parse arguments, call core + adapters, print, return an exit code.

Every module here imports only typer and the standard library at import time, so that
``opskit --version`` and ``--help`` stay fast; heavy modules are imported inside the command.
"""
