"""templates/ sits at the top level (the design card fixes the layout) but ships inside the wheel as
the package ``opskit.templates``, loaded with importlib.resources. pyproject.toml alone cannot map a
top-level folder into a package found by ``packages.find``, hence this shim; metadata stays in pyproject."""

from setuptools import find_packages, setup

setup(
    packages=[*find_packages(include=["opskit", "opskit.*"]), "opskit.templates"],
    package_dir={"opskit.templates": "templates"},
)
