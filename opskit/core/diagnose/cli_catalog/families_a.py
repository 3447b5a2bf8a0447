"""Catalogued CLI refusals: the command families of group A (see the package docstring)."""

from __future__ import annotations

from opskit.core.diagnose.cli_catalog import Refusal

REFUSALS: tuple[Refusal, ...] = ()
