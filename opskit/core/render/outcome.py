"""What one `opskit render` run did: the families rendered, each file's state, the validation verdicts."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from opskit.core.render.model import RenderedFamily, ValidationResult
from opskit.core.render.pipeline import FileDrift


@dataclass(frozen=True)
class RenderOutcome:
    spec: str
    output_dir: str
    mode: Literal["write", "check"]
    families: tuple[RenderedFamily, ...]
    drift: list[FileDrift]
    written: list[str] = field(default_factory=list)
    validations: list[ValidationResult] = field(default_factory=list)

    @property
    def validation_failed(self) -> bool:
        """A validator rejected the output (then nothing was written)."""
        return any(not v.ok for v in self.validations)

    @property
    def drifted(self) -> bool:
        """Some rendered path differs from the folder (missing, changed, orphaned or not ours)."""
        return any(item.status != "unchanged" for item in self.drift)
