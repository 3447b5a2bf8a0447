"""templates/ sits at the top level (the design card fixes the layout) but ships inside the wheel as
the package ``opskit.templates``, loaded with importlib.resources. pyproject.toml alone cannot map a
top-level folder into a package found by ``packages.find``, hence this shim; metadata stays in pyproject.

Each family folder (templates/edge, ...) is declared as a package of its own: setuptools warns about
data folders that sit inside a package without being one, and may stop shipping them."""

from pathlib import Path

from setuptools import find_namespace_packages, find_packages, setup
from setuptools.command.editable_wheel import editable_wheel

TEMPLATE_FAMILIES = sorted(
    p.name for p in (Path(__file__).parent / "templates").iterdir() if p.is_dir() and p.name != "__pycache__"
)
TEMPLATE_PACKAGES = ["opskit.templates", *(f"opskit.templates.{family}" for family in TEMPLATE_FAMILIES)]

# The Ansible collection opskit.fleet ships beside opskit as site-packages/ansible_collections/opskit/fleet/:
# ansible-core finds collections by looking for an `ansible_collections` folder in every sys.path entry.
# Collections have no __init__.py files, hence namespace packages; galaxy.yml and meta/ are its data.
COLLECTION = "ansible_collections.opskit.fleet"
COLLECTION_PACKAGES = find_namespace_packages(include=["ansible_collections", "ansible_collections.*"])


class EditableWithCollection(editable_wheel):
    """`pip install -e .` maps packages through an import hook that ansible's sys.path scan cannot see;
    an extra .pth puts this checkout on sys.path so the scan finds ./ansible_collections live."""

    def _select_strategy(self, name, tag, build_lib):  # type: ignore[no-untyped-def]
        inner = super()._select_strategy(name, tag, build_lib)
        root = Path(self.project_dir or ".").resolve()

        class WithCollectionPath:
            def __enter__(self):  # type: ignore[no-untyped-def]
                inner.__enter__()
                return self

            def __exit__(self, *exc):  # type: ignore[no-untyped-def]
                return inner.__exit__(*exc)

            def __call__(self, wheel, files, mapping):  # type: ignore[no-untyped-def]
                inner(wheel, files, mapping)
                wheel.writestr(f"__editable__.{name}.ansible_collections.pth", f"{root}\n".encode())

        return WithCollectionPath()


setup(
    packages=[*find_packages(include=["opskit", "opskit.*"]), *TEMPLATE_PACKAGES, *COLLECTION_PACKAGES],
    package_dir={"opskit.templates": "templates"},
    package_data={
        "opskit": ["py.typed", "data/**/*"],
        **{package: ["*.j2", "*.jinja"] for package in TEMPLATE_PACKAGES},
        COLLECTION: ["galaxy.yml", "README.md", "meta/*.yml", "playbooks/*.yml"],
    },
    cmdclass={"editable_wheel": EditableWithCollection},
)
