"""templates/ sits at the top level (the design card fixes the layout) but ships inside the wheel as
the package ``opskit.templates``, loaded with importlib.resources. pyproject.toml alone cannot map a
top-level folder into a package found by ``packages.find``, hence this shim; metadata stays in pyproject.

Each family folder (templates/edge, ...) is declared as a package of its own: setuptools warns about
data folders that sit inside a package without being one, and may stop shipping them."""

from pathlib import Path

from setuptools import find_packages, setup

TEMPLATE_FAMILIES = sorted(
    p.name for p in (Path(__file__).parent / "templates").iterdir() if p.is_dir() and p.name != "__pycache__"
)
TEMPLATE_PACKAGES = ["opskit.templates", *(f"opskit.templates.{family}" for family in TEMPLATE_FAMILIES)]

setup(
    packages=[*find_packages(include=["opskit", "opskit.*"]), *TEMPLATE_PACKAGES],
    package_dir={"opskit.templates": "templates"},
    package_data={
        "opskit": ["py.typed", "data/**/*"],
        **{package: ["*.j2", "*.jinja"] for package in TEMPLATE_PACKAGES},
    },
)
