"""The whole site spec: one optional section per config family.

Adding a family adds one field here (its section model lives in its own module) and one line in
``opskit.core.render.families.FAMILY_MODULES``.
"""

from __future__ import annotations

from typing import Literal

from pydantic import model_validator

from opskit.core.spec.base import SpecModel
from opskit.core.spec.harbor import HarborSpec
from opskit.core.spec.edge import EdgeSpec
from opskit.core.spec.k8s import K8sGatewaySpec
from opskit.core.spec.types import Name


class SiteSpec(SpecModel):
    """Top level of a spec file."""

    spec_version: Literal[1] = 1
    site: Name
    # Family sections (one line each):
    harbor: HarborSpec | None = None
    edge: EdgeSpec | None = None
    k8s_gateway: K8sGatewaySpec | None = None

    @model_validator(mode="after")
    def _at_least_one_family(self) -> SiteSpec:
        if not any(getattr(self, name) is not None for name in self.family_sections()):
            names = ", ".join(self.family_sections()) or "(none available)"
            raise ValueError(f"the spec describes nothing to render: add one of: {names}")
        return self

    @classmethod
    def family_sections(cls) -> list[str]:
        return [name for name in cls.model_fields if name not in ("spec_version", "site")]
